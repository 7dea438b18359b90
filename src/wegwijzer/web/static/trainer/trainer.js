/* Wegwijzer trainer page. Plain script, no dependencies, served under a strict CSP (script-src 'self').
 *
 * The token lives in the `token` variable only: never in localStorage, sessionStorage or a cookie. It is sent as the
 * X-Trainer-Token header. Server text reaches the page only through textContent (never innerHTML).
 */
"use strict";

(() => {
  const API = "/trainer/api";
  const LEVELS = { acute: "acuut (112)", urgent: "urgent (0800-2000)", none: "geen direct gevaar" };
  const DANGER_ERRORS = ["gemist gevaar", "onnodig alarm"];

  let token = "";
  let last = null;  // {question, result} of the last question asked

  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function row(cells) {
    const tr = document.createElement("tr");
    for (const c of cells) {
      const td = document.createElement("td");
      if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? "—" : String(c);
      tr.appendChild(td);
    }
    return tr;
  }

  function fill(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function num(x, digits = 3) {
    return typeof x === "number" ? x.toFixed(digits) : "—";
  }

  function meter(value, max) {
    const wrap = el("span", null, "scorecell");
    wrap.appendChild(el("span", num(value)));
    if (typeof value === "number") {
      const m = document.createElement("meter");
      m.min = 0; m.max = max; m.value = Math.max(0, Math.min(value, max));
      wrap.appendChild(m);
    }
    return wrap;
  }

  function levelBadge(node, level) {
    node.textContent = LEVELS[level] || level;
    node.className = `level level-${level}`;
  }

  async function call(path, body) {
    const init = { method: body ? "POST" : "GET", headers: { "X-Trainer-Token": token } };
    if (body) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const resp = await fetch(API + path, init);
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) {
      const msg = data && data.error ? data.error.message : `Fout ${resp.status}`;
      const err = new Error(msg);
      err.status = resp.status;
      throw err;
    }
    return data;
  }

  // ---- token -------------------------------------------------------------------------------------------------

  async function useToken(ev) {
    ev.preventDefault();
    token = $("token").value;
    $("token").value = "";
    try {
      const opts = await call("/options");
      buildForm(opts);
      $("token-status").textContent = "Token geaccepteerd. Je kunt vragen stellen.";
      $("ask").disabled = false;
      loadVerdicts();
    } catch (err) {
      token = "";
      $("ask").disabled = true;
      $("token-status").textContent = err.status === 401 ? "Token geweigerd." : err.message;
    }
  }

  function forget() {
    token = "";
    $("ask").disabled = true;
    $("result").hidden = true;
    $("verdicts").replaceChildren();
    $("token-status").textContent = "Token vergeten.";
  }

  function choice(type, name, value) {
    const label = el("label", null, "choice");
    const input = document.createElement("input");
    input.type = type; input.name = name; input.value = value;
    label.append(input, document.createTextNode(" " + value));
    return label;
  }

  function buildForm(opts) {
    $("overall").replaceChildren(...opts.overall.map((v) => choice("radio", "overall", v)));
    $("errors").replaceChildren(...opts.errors.map((v) => choice("checkbox", "errors", v)));
    const topic = $("expected-topic");
    topic.replaceChildren(topic.options[0], ...opts.topics.map((t) => new Option(t, t)));
    const level = $("expected-level");
    level.replaceChildren(level.options[0], ...opts.levels.map((l) => new Option(LEVELS[l] || l, l)));
  }

  // ---- ask ---------------------------------------------------------------------------------------------------

  async function ask(ev) {
    ev.preventDefault();
    const question = $("question").value.trim();
    if (!question) return;
    $("ask").disabled = true;
    $("ask-status").textContent = "Bezig…";
    try {
      const result = await call("/ask", { message: question, history: [] });
      last = { question, result };
      show(question, result);
      resetVerdict();
      $("ask-status").textContent = "";
    } catch (err) {
      $("ask-status").textContent = err.message;
    } finally {
      $("ask").disabled = !token;
    }
  }

  function show(question, { response, explanation: why }) {
    $("result").hidden = false;
    levelBadge($("level"), response.escalation.level);
    $("reasons").textContent = response.escalation.reasons.length ? `(${response.escalation.reasons.join(", ")})` : "";
    $("actions").replaceChildren(...response.escalation.actions.map((a) =>
      el("li", `${a.label}${a.open_now === false && a.opens_at ? ` — nu gesloten, open vanaf ${a.opens_at}` : ""}`)));
    $("answer").textContent = response.answer;
    fill($("sources"), why.sources.map((s) => row([`${s.title} (${s.id})`, s.topic, num(s.score), s.reviewed])));
    showWhy(question, why);
  }

  function showWhy(question, why) {
    $("redacted").textContent = why.message_redacted;
    fill($("redactions"), why.redactions.length
      ? why.redactions.map((r) => row([question.slice(r.start, r.end), r.type, r.recognizer || "—", num(r.score, 2)]))
      : [row(["niets gevonden", "", "", ""])]);
    levelBadge($("level2"), why.level);
    $("flags").textContent = why.flags.length ? `kenmerken: ${why.flags.join(", ")}` : "";
    fill($("rules"), why.rules.length
      ? why.rules.map((d) => row([el("code", d.rule_id), d.level, d.flags.join(", "), d.explanation,
        d.turn === 0 ? "deze vraag" : `${d.turn} eerder`]))
      : [row(["geen regel raakte", "", "", "", ""])]);
    const learned = Object.entries(why.learned);
    $("learned-none").hidden = learned.length > 0;
    $("learned-table").hidden = learned.length === 0;
    fill($("learned"), learned.map(([lvl, p]) => row([LEVELS[lvl] || lvl, num(p, 2), meter(p, 1)])));
    fill($("candidates"), why.candidates.map((c, i) => {
      const part = c.heading || (c.id.includes("#vraag-") ? "voorbeeldvraag" : "inleiding");
      const name = el("span", `${c.title} › ${part}`, c.cited ? "cited" : "");
      const tr = row([String(i + 1), name, c.topic, meter(c.dense, 1), num(c.lexical, 2), meter(c.fused, 1),
        c.reviewed]);
      if (c.cited) tr.className = "cited-row";
      return tr;
    }));
    $("timings").textContent = "Tijden (ms): " + Object.entries(why.timings_ms).map(([k, v]) => `${k} ${v}`).join(", ") +
      (why.degraded ? ` — beperkt antwoord: ${why.degraded} mislukte` : "");
  }

  // ---- verdict -----------------------------------------------------------------------------------------------

  function resetVerdict() {
    $("verdict-form").reset();
    $("verdict-status").textContent = "";
    $("verdict-hint").hidden = true;
  }

  function checked(name) {
    return [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  }

  function hint() {
    const errors = checked("errors");
    const notes = [];
    if (errors.some((e) => DANGER_ERRORS.includes(e)) && !$("expected-level").value) {
      notes.push("Kies het verwachte niveau: dan wordt dit oordeel bij `wegwijzer review export` een testgeval.");
    }
    if (errors.includes("verkeerde bron") && !$("expected-topic").value) {
      notes.push("Kies het verwachte onderwerp: dan wordt dit oordeel een testgeval voor het zoeken.");
    }
    $("verdict-hint").textContent = notes.join(" ");
    $("verdict-hint").hidden = notes.length === 0;
  }

  async function save(ev) {
    ev.preventDefault();
    if (!last) return;
    const overall = checked("overall")[0];
    if (!overall) {
      $("verdict-status").textContent = "Kies eerst goed, deels goed of fout.";
      return;
    }
    const { response } = last.result;
    const body = {
      question: last.question,
      overall,
      errors: checked("errors"),
      expected_topic: $("expected-topic").value || null,
      expected_level: $("expected-level").value || null,
      comment: $("comment").value,
      suggested_text: $("suggested").value,
      answer_level: response.escalation.level,
      answer_sources: response.sources.map((s) => ({ id: s.id, topic: s.topic })),
    };
    $("save").disabled = true;
    try {
      const saved = await call("/verdicts", body);
      $("verdict-status").textContent = `Bewaard als oordeel ${saved.id}.`;
      loadVerdicts();
    } catch (err) {
      $("verdict-status").textContent = err.message;
    } finally {
      $("save").disabled = false;
    }
  }

  async function loadVerdicts() {
    try {
      const { verdicts } = await call("/verdicts?limit=20");
      fill($("verdicts"), verdicts.map((v) => row([String(v.id), v.created.replace("T", " ").slice(0, 16),
        v.question_redacted, v.overall, v.errors.join(", "),
        [v.expected_topic, v.expected_level && (LEVELS[v.expected_level] || v.expected_level)].filter(Boolean)
          .join(", ")])));
    } catch (err) {
      $("verdicts").replaceChildren(row([err.message, "", "", "", "", ""]));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("token-form").addEventListener("submit", useToken);
    $("forget").addEventListener("click", forget);
    $("ask-form").addEventListener("submit", ask);
    $("verdict-form").addEventListener("submit", save);
    $("verdict-form").addEventListener("change", hint);
  });
})();
