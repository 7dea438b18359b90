/* Wegwijzer chat page. Plain script, no dependencies, no third-party requests.
 *
 * Privacy by construction: the conversation lives in the `turns` array and in the DOM, nowhere else. No
 * localStorage, sessionStorage, cookies, IndexedDB, service worker or Cache API. Server text is only ever put on
 * the page through textContent / createTextNode (never innerHTML), after a small light-markdown parse.
 */
"use strict";

(() => {
  // One neutral place to leave to. location.replace() keeps the chat out of the Back history.
  const EXIT_URL = "https://www.google.nl/";
  const API = "/api/chat";
  const MAX_CHARS = 4000;        // contract: message 1..4000 characters
  const MAX_TURNS = 20;          // contract: history at most 20 turns, newest last
  const MAX_TURN_CHARS = 8000;   // server limit for one history turn
  const TIMEOUT_MS = 20000;
  const HELPLINES = "Ben je in acuut gevaar? Bel 112. Voor advies of zorgen: bel Veilig Thuis op 0800-2000 " +
    "(gratis, dag en nacht).";
  const FALLBACK_ACTIONS = [
    { kind: "call", label: "Bel 112: acuut gevaar, nu", number: "112" },
    { kind: "call", label: "Bel Veilig Thuis: 0800-2000 (gratis, dag en nacht)", number: "0800-2000" },
  ];
  const TOPICS = {
    "dwingende-controle": "Dwingende controle",
    "melden": "Melden bij Veilig Thuis",
    "na-melding": "Na een melding",
    "anoniem-melden": "Anoniem melden",
    "acuut-gevaar": "Acuut gevaar",
    "veiligheidsplan": "Veiligheidsplan",
    "omstander": "Als je iets ziet bij een ander",
    "kindermishandeling": "Kindermishandeling",
    "pleger-hulp": "Hulp als je zelf geweld gebruikt",
    "huisverbod": "Huisverbod",
    "opvang": "Opvang",
    "seksueel-geweld": "Seksueel geweld",
    "ouderenmishandeling": "Ouderenmishandeling",
    "stalking-digitaal": "Stalking en digitale controle",
    "financiele-controle": "Controle over geld",
    "eergerelateerd": "Eergerelateerd geweld",
    "meldcode": "Meldcode (voor professionals)",
    "contact": "Contact met hulp",
  };
  const DAYS = { Mon: "maandag", Tue: "dinsdag", Wed: "woensdag", Thu: "donderdag", Fri: "vrijdag",
    Sat: "zaterdag", Sun: "zondag" };
  const MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december"];

  /** The conversation so far, in memory only: [{role, content}], newest last. */
  let turns = [];
  let inFlight = null;

  const $ = (id) => document.getElementById(id);
  const form = $("form");
  const msg = $("msg");
  const send = $("send");
  const log = $("log");
  const busyNote = $("busy");
  const count = $("msg-count");
  const formNote = $("form-note");
  const announcer = $("announce");
  const alerter = $("alert");

  // ---- small DOM helpers (text only) ------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Inline light markdown: **bold**; everything else is text. */
  function appendInline(parent, text) {
    text.split(/\*\*(.+?)\*\*/).forEach((part, i) => {
      if (!part) return;
      parent.append(i % 2 ? el("strong", "", part) : document.createTextNode(part));
    });
  }

  /** Light markdown (paragraphs, "- " lists, **bold**) to DOM nodes, never through innerHTML. */
  function renderMarkdown(md) {
    const frag = document.createDocumentFragment();
    for (const block of md.replace(/\r\n?/g, "\n").split(/\n{2,}/)) {
      let para = null;
      let list = null;
      for (const raw of block.split("\n")) {
        const line = raw.trim();
        if (!line) continue;
        const item = /^[-*•]\s+(.*)$/.exec(line);
        if (item) {
          para = null;
          if (!list) frag.append((list = el("ul")));
          const li = el("li");
          appendInline(li, item[1]);
          list.append(li);
        } else {
          list = null;
          if (para) para.append(el("br"));
          else frag.append((para = el("p")));
          appendInline(para, line);
        }
      }
    }
    return frag;
  }

  const plain = (md) => md.replace(/\*\*/g, "").replace(/^\s*[-*•]\s+/gm, "").replace(/\s+/g, " ").trim();

  // ---- the answer's parts -------------------------------------------------------------------------------------

  /** Splits the answer into blocks; finds each cited document's passage (the blocks after its bold title) and
   *  drops the "Meer lezen:" list when it only repeats the sources, which the page shows as clickable items. */
  function splitAnswer(answer, sources) {
    const byHeading = new Map(sources.map((s) => [`**${s.title.trim()}**`, s.id]));
    const titles = new Set(sources.map((s) => s.title.trim()));
    const passages = new Map();
    const kept = [];
    let current = null;
    for (const block of answer.replace(/\r\n?/g, "\n").split(/\n{2,}/)) {
      const text = block.trim();
      const lines = text.split("\n").map((l) => l.trim());
      if (/^meer lezen:?$/i.test(lines[0]) && lines.length > 1 &&
          lines.slice(1).every((l) => titles.has(l.replace(/^[-*•]\s+/, "")))) {
        current = null;
        continue;
      }
      if (/^meer lezen/i.test(text)) current = null;
      if (byHeading.has(text)) {
        current = byHeading.get(text);
        passages.set(current, []);
      } else if (current) {
        passages.get(current).push(block);
      }
      kept.push(block);
    }
    return { body: kept.join("\n\n"), passages };
  }

  function telHref(number) {
    const digits = String(number).replace(/[^\d+]/g, "");
    return digits ? `tel:${digits}` : null;
  }

  const safeUrl = (url) => (typeof url === "string" && /^https:\/\//i.test(url) ? url : null);

  /** "donderdag 26 november om 9.00 uur" in Europe/Amsterdam, whatever the visitor's own time zone. */
  function dutchMoment(iso) {
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return null;
    const parts = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Amsterdam", weekday: "short", day: "numeric", month: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(when).forEach((p) => { parts[p.type] = p.value; });
    const day = DAYS[parts.weekday] || "";
    return `${day} ${Number(parts.day)} ${MONTHS[Number(parts.month) - 1]} om ${Number(parts.hour)}.${parts.minute} uur`
      .trim();
  }

  function callAction(action, extraClass) {
    const href = telHref(action.number);
    const node = href ? el("a", `act act-call ${extraClass || ""}`.trim()) : el("p", "act act-text");
    if (href) node.href = href;
    node.append(el("span", "act-icon", "☎"), el("span", "act-label", action.label || `Bel ${action.number}`));
    node.firstChild.setAttribute("aria-hidden", "true");
    if (action.number === "112") node.classList.add("act-112");
    return node;
  }

  function chatAction(action, besideCall) {
    const box = el("div", "act-chat");
    // The label may carry the server's own closed note; the page shows the status itself, from open_now/opens_at.
    const label = (action.label || "Chat met een medewerker van Veilig Thuis")
      .replace(/\s*De chat is nu (dicht|open)\b.*$/s, "");
    box.append(el("p", "chat-label", label));
    const status = el("p", `chat-status ${action.open_now ? "is-open" : "is-closed"}`);
    status.append(el("span", "chat-badge", action.open_now ? "Nu open" : "Nu dicht"));
    let when = null;
    if (!action.open_now && action.opens_at) when = dutchMoment(action.opens_at);
    status.append(document.createTextNode(action.open_now
      ? " Je kunt nu chatten. Je hoeft je naam niet te geven."
      : when ? ` Weer open op ${when}.` : " Probeer het later nog eens."));
    box.append(status);
    const url = safeUrl(action.url);
    if (url) {
      const text = action.open_now ? "Start de chat van Veilig Thuis" : "Naar de chat van Veilig Thuis";
      const link = el("a", "act act-link", text);
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.append(el("span", "visually-hidden", " (opent in een nieuw tabblad)"));
      box.append(link);
    }
    const href = telHref(action.number);
    if (href && besideCall) {
      // The same number is already a big button in this answer: here a plain link is enough.
      const line = el("p", "chat-call-note", "Bellen kan altijd, dag en nacht: ");
      const link = el("a", "", action.number);
      link.href = href;
      line.append(link, document.createTextNode(" (gratis)."));
      box.append(line);
    } else if (href) {
      box.append(el("p", "chat-call-note", "Bellen kan altijd, dag en nacht:"));
      box.append(callAction({ number: action.number, label: `Bel ${action.number} (gratis)` }));
    }
    return box;
  }

  function linkAction(action) {
    const url = safeUrl(action.url);
    if (!url) return el("p", "act act-text", action.label || "");
    const link = el("a", "act act-link", action.label || url);
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.append(el("span", "visually-hidden", " (opent in een nieuw tabblad)"));
    return link;
  }

  function renderAction(action, all) {
    if (action.kind === "chat") {
      return chatAction(action, all.some((a) => a.kind === "call" && a.number === action.number));
    }
    if (action.kind === "link") return linkAction(action);
    return callAction(action);
  }

  function actionsGroup(actions, label) {
    const group = el("div", "actions");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", label);
    actions.forEach((a) => group.append(renderAction(a, actions)));
    return group;
  }

  /** Make sure 112 and 0800-2000 are among the actions, whatever the server sent. */
  function withHelplines(actions) {
    const list = Array.isArray(actions) ? actions.filter((a) => a && typeof a === "object") : [];
    const numbers = new Set(list.map((a) => a.number));
    return [...list, ...FALLBACK_ACTIONS.filter((a) => !numbers.has(a.number))];
  }

  function sourcesBlock(sources, passages) {
    const box = el("section", "sources");
    box.append(el("h3", "sources-title", "Bronnen"));
    box.append(el("p", "sources-hint", "Klik op een bron om te zien wat erin staat."));
    const list = el("ul", "sources-list");
    for (const src of sources) {
      const item = el("li");
      const details = el("details", "source");
      const summary = el("summary", "", src.title);
      const body = el("div", "source-body");
      const topic = TOPICS[src.topic] || String(src.topic || "").replace(/-/g, " ");
      body.append(el("p", "source-topic", `Onderwerp: ${topic}`));
      const passage = (passages.get(src.id) || []).join("\n\n").trim();
      if (passage) {
        body.append(el("p", "source-lead", "Wat deze bron zegt (uit het antwoord):"));
        const quote = el("blockquote", "source-passage");
        quote.append(renderMarkdown(passage));
        body.append(quote);
      } else {
        body.append(el("p", "", "Deze bron staat niet in het antwoord hierboven. Wil je weten wat erin staat? " +
          "Stel de vraag dan aan Wegwijzer."));
        const ask = el("button", "ask-this", "Stel deze vraag");
        ask.type = "button";
        ask.addEventListener("click", () => submit(src.title));
        body.append(ask);
      }
      details.append(summary, body);
      item.append(details);
      list.append(item);
    }
    box.append(list);
    return box;
  }

  // ---- the conversation on the page ---------------------------------------------------------------------------

  function addUserTurn(text) {
    const turn = el("div", "turn turn-user");
    turn.append(el("p", "who", "Jij"), el("p", "bubble", text));
    log.append(turn);
  }

  function addAnswer(data) {
    const sources = Array.isArray(data.sources) ? data.sources.filter((s) => s && typeof s.title === "string") : [];
    const esc = data.escalation && typeof data.escalation === "object" ? data.escalation : {};
    let actions = Array.isArray(esc.actions) ? esc.actions.filter((a) => a && typeof a === "object") : [];
    const acute = esc.level === "acute";
    const turn = el("article", `turn turn-bot level-${acute ? "acute" : esc.level === "urgent" ? "urgent" : "none"}`);
    turn.setAttribute("aria-label", "Antwoord van Wegwijzer");
    turn.append(el("p", "who", "Wegwijzer"));

    if (acute) {
      // Acute danger: 112 first, before anything else, unmissable.
      const alarm = actions.find((a) => a.number === "112") || FALLBACK_ACTIONS[0];
      actions = actions.filter((a) => a !== alarm);
      const box = el("div", "acute");
      box.append(callAction(alarm, "act-acute"));
      turn.append(box);
    }

    const { body, passages } = splitAnswer(data.answer, sources);
    const answer = el("div", "answer");
    answer.append(renderMarkdown(body));
    turn.append(answer);
    if (actions.length) turn.append(actionsGroup(actions, "Bellen of chatten met een mens"));
    if (sources.length) turn.append(sourcesBlock(sources, passages));
    log.append(turn);
    turn.scrollIntoView({ block: "start" });

    if (acute) say(alerter, "Acuut gevaar? Bel meteen 112.");
    say(announcer, `Antwoord van Wegwijzer: ${plain(body)}`);
  }

  function addError(kind, serverMessage, serverActions, message) {
    const turn = el("article", "turn turn-bot turn-error");
    turn.setAttribute("aria-label", "Foutmelding");
    turn.append(el("p", "who", "Wegwijzer"));
    const title = {
      server: "Het lukt nu even niet om je vraag te beantwoorden.",
      timeout: "Het antwoord duurt te lang. Probeer het zo nog een keer.",
      network: "Wegwijzer is nu niet bereikbaar. Misschien is je internet weg, of werkt de website even niet.",
    }[kind];
    turn.append(el("p", "error-title", title));
    const text = typeof serverMessage === "string" && serverMessage.trim() ? serverMessage.trim() : HELPLINES;
    turn.append(el("p", "error-text", text));
    if (!/112/.test(text) || !/0800-2000/.test(text)) turn.append(el("p", "error-text", HELPLINES));
    turn.append(actionsGroup(withHelplines(serverActions), "Bel voor hulp"));
    if (message && !msg.value) {
      // Nothing is lost: the question goes back into the box, ready to send again.
      msg.value = message;
      updateCount();
      turn.append(el("p", "error-retry", "Je vraag staat weer in het vak hieronder. Je kunt hem opnieuw versturen."));
    }
    log.append(turn);
    turn.scrollIntoView({ block: "start" });
    say(alerter, `${title} ${text}`);
  }

  function say(region, text) {
    region.textContent = "";
    // A fresh node a moment later makes screen readers read it, also when the text is the same as before.
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  function setBusy(on) {
    busyNote.hidden = !on;
    // aria-disabled, not disabled: a disabled button would drop the keyboard focus while the answer is on its way.
    send.setAttribute("aria-disabled", on ? "true" : "false");
    log.setAttribute("aria-busy", on ? "true" : "false");
  }

  function note(text) {
    formNote.textContent = text;
    formNote.hidden = !text;
  }

  function updateCount() {
    const n = msg.value.length;
    count.textContent = `${n} van ${MAX_CHARS} tekens`;
    count.classList.toggle("count-near", n >= MAX_CHARS * 0.9);
    if (n >= MAX_CHARS) {
      note(`Je bericht is zo lang als kan (${MAX_CHARS} tekens). Stuur het en schrijf daarna verder.`);
    }
    else if (formNote.textContent.startsWith("Je bericht is zo lang")) note("");
  }

  // ---- talking to the server ----------------------------------------------------------------------------------

  function historyToSend() {
    return turns.slice(-MAX_TURNS).map((t) => ({ role: t.role, content: t.content.slice(0, MAX_TURN_CHARS) }));
  }

  function remember(role, content) {
    turns.push({ role, content });
    if (turns.length > MAX_TURNS) turns = turns.slice(-MAX_TURNS);
  }

  async function submit(text) {
    if (inFlight) return;
    const message = String(text || "").trim();
    if (!message) {
      note("Typ eerst je vraag.");
      msg.focus();
      return;
    }
    if (message.length > MAX_CHARS) {
      note(`Je bericht is te lang. Het mag ${MAX_CHARS} tekens zijn.`);
      return;
    }
    note("");
    const controller = new AbortController();
    let timedOut = false;
    const timer = window.setTimeout(() => { timedOut = true; controller.abort(); }, TIMEOUT_MS);
    inFlight = controller;
    const payload = { message, history: historyToSend(), locale: "nl" };
    addUserTurn(message);
    msg.value = "";
    updateCount();
    setBusy(true);
    say(announcer, "Wegwijzer zoekt een antwoord.");
    try {
      const res = await fetch(API, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload),
        signal: controller.signal,
        cache: "no-store",
        credentials: "omit",
        referrerPolicy: "no-referrer",
      });
      let data = null;
      try { data = await res.json(); } catch (_) { data = null; }
      if (inFlight !== controller) return;   // the visitor left meanwhile
      if (res.ok && data && typeof data.answer === "string") {
        addAnswer(data);
        // What the server used (personal data replaced) is what goes back as history.
        const used = typeof data.message_redacted === "string" && data.message_redacted.trim()
          ? data.message_redacted : message;
        remember("user", used);
        remember("assistant", data.answer);
      } else {
        const err = data && data.error && typeof data.error === "object" ? data.error : {};
        addError("server", err.message, data && data.escalation && data.escalation.actions, message);
      }
    } catch (_) {
      if (inFlight !== controller) return;
      addError(timedOut ? "timeout" : "network", null, null, message);
    } finally {
      window.clearTimeout(timer);
      if (inFlight === controller) {
        inFlight = null;
        setBusy(false);
      }
    }
  }

  // ---- leaving ------------------------------------------------------------------------------------------------

  /** Forget the conversation: JS memory and the page. */
  function wipe() {
    if (inFlight) inFlight.abort();
    inFlight = null;
    turns.length = 0;
    turns = [];
    log.replaceChildren();
    msg.value = "";
    announcer.textContent = "";
    alerter.textContent = "";
  }

  function quickExit(event) {
    if (event) event.preventDefault();
    wipe();
    document.body.replaceChildren();
    document.title = "";
    window.location.replace(EXIT_URL);
  }

  // ---- wiring -------------------------------------------------------------------------------------------------

  $("exit").href = EXIT_URL;
  $("exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !e.isComposing) quickExit(e);
  }, true);
  // Leaving the page in any other way also forgets the conversation, so Back (bfcache) cannot bring it back.
  window.addEventListener("pagehide", wipe);

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit(msg.value);
  });
  msg.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit(msg.value);
    }
  });
  msg.addEventListener("input", updateCount);
  updateCount();
})();
