// Browser tests of the Wegwijzer chat page: Debian's Chromium, driven by playwright-core (no browser download),
// against the real server whose base URL is the first argument. Run by tests/web/test_page.py.
//
//   node tests/browser/page.test.mjs http://127.0.0.1:8765
//
// Prints one line per test, then "N passed, N failed"; exits 1 when any test failed.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = path.join(HERE, "artifacts");
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const CHROMIUM = process.env.WEGWIJZER_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

const BASE = (process.argv[2] || "").replace(/\/+$/, "");
if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(BASE)) {
  console.error("usage: node page.test.mjs http://127.0.0.1:PORT");
  process.exit(2);
}
const ORIGIN = new URL(BASE).origin;
const Q_CONTROL = "mijn vriend leest al mijn berichten, is dat normaal?";
const Q_ACUTE = "hij staat nu voor de deur met een mes";
const Q_HUMAN = "ik wil met een echt persoon praten";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 320, height: 640 };

// ---- a tiny runner ---------------------------------------------------------------------------------------------

const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push(true);
    console.log(`ok ${results.length} - ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    results.push(false);
    console.log(`not ok ${results.length} - ${name}\n${String(err && err.stack || err).replace(/^/gm, "    ")}`);
  }
}

// ---- browser helpers -------------------------------------------------------------------------------------------

const foreign = [];     // requests to any host but the app's (the exit test's own target excepted)
const pageErrors = [];  // JS errors and console errors (CSP violations show up here)
const shots = [];

const sameOrigin = (url) => url.startsWith(`${ORIGIN}/`) || url === ORIGIN || /^(data|blob|about):/.test(url);

async function open(browser, { viewport = DESKTOP, timezoneId = "Europe/Amsterdam", exitUrl = null, clock = false,
  spyStorage = false, beforeExit = null } = {}) {
  const context = await browser.newContext({ viewport, locale: "nl-NL", timezoneId, serviceWorkers: "allow" });
  // Nothing may leave this machine: any other host is recorded and refused; the neutral exit page is faked here.
  await context.route((url) => !sameOrigin(url.href), async (route) => {
    const url = route.request().url();
    if (exitUrl && url === exitUrl) {
      // The old page lives until this answer arrives: a test can wait here for what the page reported on its way out.
      if (beforeExit) await beforeExit();
      await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>neutraal</title><p>neutraal</p>" });
      return;
    }
    foreign.push(url);
    await route.abort();
  });
  if (spyStorage) await context.addInitScript(installStorageSpy);
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  if (clock) await page.clock.install();
  await page.goto(`${BASE}/`);
  await page.waitForSelector("#msg");
  return { context, page };
}

/** Records every attempt to keep something in the browser, before the page's own script runs. */
function installStorageSpy() {
  const calls = [];
  window.__storageCalls = calls;
  const wrap = (obj, name, label) => {
    const orig = obj && obj[name];
    if (typeof orig !== "function") return;
    obj[name] = function (...args) { calls.push(label); return orig.apply(this, args); };
  };
  wrap(Storage.prototype, "setItem", "Storage.setItem");
  wrap(IDBFactory.prototype, "open", "indexedDB.open");
  if (window.caches) wrap(CacheStorage.prototype, "open", "caches.open");
  if (navigator.serviceWorker) wrap(ServiceWorkerContainer.prototype, "register", "serviceWorker.register");
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  Object.defineProperty(Document.prototype, "cookie", {
    get() { return cookie.get.call(this); },
    set(v) { calls.push("document.cookie"); cookie.set.call(this, v); },
  });
}

/** Types a question, sends it with the button, waits for the next answer (or error) and returns it. */
async function ask(page, text, { via = "button" } = {}) {
  const before = await page.locator(".turn-bot").count();
  await page.fill("#msg", text);
  if (via === "enter") await page.press("#msg", "Enter");
  else await page.click("#send");
  await page.waitForFunction((n) => document.querySelectorAll(".turn-bot").length > n, before, { timeout: 25000 });
  return page.locator(".turn-bot").last();
}

async function until(check, what, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function shot(page, name, fullPage = false) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  shots.push(file);
}

async function inViewport(locator) {
  const box = await locator.boundingBox();
  const vp = locator.page().viewportSize();
  assert.ok(box, "element has no box (not rendered)");
  assert.ok(box.y >= 0 && box.y + box.height <= vp.height && box.x >= 0 && box.x + box.width <= vp.width + 1,
    `element not fully on screen: ${JSON.stringify(box)} in ${JSON.stringify(vp)}`);
  return box;
}

async function noSideways(page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `the page scrolls sideways: ${scroll} > ${client} px`);
}

async function axe(page, label) {
  // Evaluated through the debugging protocol, so the page's CSP (no inline script) stays as it is.
  await page.evaluate(AXE_SOURCE);
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    resultTypes: ["violations"],
  }));
  console.log(`    axe [${label}]: ${res.violations.length} violations, ${res.passes.length} rules passed` +
    `, to check by hand: [${res.incomplete.map((v) => `${v.id} ${v.nodes.length}x`).join(", ")}] (axe ${res.testEngine.version})`);
  for (const v of res.violations) {
    console.log(`    axe [${label}] ${v.impact}: ${v.id} - ${v.help} (${v.nodes.length}x)`);
    for (const n of v.nodes.slice(0, 5)) console.log(`        ${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`);
  }
  return res.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** The exit URL is one constant in app.js: read it from there, so the test follows any change. */
async function exitUrlOfApp() {
  const js = await (await fetch(`${BASE}/static/app.js`)).text();
  const m = /const EXIT_URL = "([^"]+)"/.exec(js);
  assert.ok(m, "app.js has no `const EXIT_URL = \"...\"`");
  return m[1];
}

// ---- the tests -------------------------------------------------------------------------------------------------

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const EXIT_URL = await exitUrlOfApp();
  const serious = [];
  try {
    const { context, page } = await open(browser, { spyStorage: true });
    const answers = [];
    page.on("response", async (r) => {
      if (r.url() === `${BASE}/api/chat` && r.ok()) answers.push(await r.json().catch(() => null));
    });

    await test("1. before any message: 112, 0800-2000 and the exit button are on screen, title and lang", async () => {
      assert.equal(await page.title(), "Wegwijzer — anoniem advies bij huiselijk geweld");
      assert.equal(await page.getAttribute("html", "lang"), "nl");
      for (const vp of [DESKTOP, PHONE]) {
        await page.setViewportSize(vp);
        await inViewport(page.locator('header a[href="tel:112"]'));
        await inViewport(page.locator('header a[href="tel:08002000"]'));
        const exit = page.locator("#exit");
        await inViewport(exit);
        assert.match(await exit.innerText(), /Sluit deze website meteen/);
        await noSideways(page);
        await shot(page, `empty-${vp.width}x${vp.height}`);
      }
      await page.setViewportSize(DESKTOP);
      const intro = await page.locator("main").innerText();
      for (const words of [/anoniem/i, /niets bewaard/i, /geen vervanging voor 112/i, /Wis geschiedenis/]) {
        assert.match(intro, words);
      }
      assert.equal(await page.locator(".turn").count(), 0);
    });

    await test("11. keyboard only: Tab reaches the input with a visible focus, Shift+Enter is a new line, Enter sends", async () => {
      const seen = [];
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press("Tab");
        const f = await page.evaluate(() => {
          const a = document.activeElement;
          const s = getComputedStyle(a);
          return { id: a.id, tag: a.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
        });
        seen.push(f);
        assert.ok(f.outline !== "none" && f.width >= 2, `focus not visible on ${f.tag}#${f.id}: ${JSON.stringify(f)}`);
        if (f.id === "msg") break;
      }
      assert.equal(seen.at(-1).id, "msg", `Tab never reached the input: ${JSON.stringify(seen)}`);
      await page.keyboard.type("eerste regel");
      await page.keyboard.press("Shift+Enter");
      await page.keyboard.type("tweede regel");
      assert.equal(await page.inputValue("#msg"), "eerste regel\ntweede regel");
      assert.equal(await page.locator(".turn").count(), 0, "Shift+Enter must not send");
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type(Q_CONTROL);
      assert.match(await page.innerText("#msg-count"), new RegExp(`^${Q_CONTROL.length} van 4000 tekens$`));
      const sent = page.waitForRequest((r) => r.url() === `${BASE}/api/chat`);
      await page.keyboard.press("Enter");
      assert.equal((await sent).postDataJSON().message, Q_CONTROL);
      await page.waitForSelector(".turn-bot");
      assert.equal(await page.evaluate(() => document.activeElement.id), "msg", "focus stays in the input");
    });

    await test("2. a question gets an answer (light markdown rendered) with sources that open to show the guidance", async () => {
      await until(() => answers.length >= 1, "the first answer's body");
      const turn = page.locator(".turn-bot").last();
      const answer = turn.locator(".answer");
      await answer.waitFor();
      const text = await answer.innerText();
      assert.ok(text.length > 80, `answer too short: ${text}`);
      assert.ok(!text.includes("**"), "markdown bold left raw");
      assert.ok(await answer.locator("strong").count() >= 1, "bold not rendered");
      assert.equal(await answer.locator("script, img, iframe").count(), 0);
      const sources = turn.locator(".sources summary");
      assert.ok(await sources.count() >= 1, "no source shown");
      assert.equal(await sources.first().innerText(), answers[0].sources[0].title);
      await sources.first().click();
      const body = turn.locator(".source[open] .source-body");
      await body.waitFor();
      assert.match(await body.innerText(), /Onderwerp: \S+/);
      assert.ok((await body.locator(".source-passage").innerText()).length > 40, "the source's passage is missing");
      // the live region reads the new answer out
      await page.waitForFunction(() => document.getElementById("announce").textContent.startsWith("Antwoord van Wegwijzer"));
      assert.equal(await page.getAttribute("#announce", "aria-live"), "polite");
    });

    await test("5. the next message sends the conversation so far as history (newest last)", async () => {
      const sent = page.waitForRequest((r) => r.url() === `${BASE}/api/chat` && r.method() === "POST");
      const turn = await ask(page, Q_HUMAN);
      const body = (await sent).postDataJSON();
      assert.equal(body.message, Q_HUMAN);
      assert.deepEqual(body.history, [
        { role: "user", content: answers[0].message_redacted },
        { role: "assistant", content: answers[0].answer },
      ]);
      await turn.waitFor();
    });

    await test("4. asking for a person shows the Veilig Thuis chat action, open or closed and when it opens", async () => {
      await until(() => answers.length >= 2, "the second answer's body");
      const turn = page.locator(".turn-bot").last();
      const chat = turn.locator(".act-chat");
      await chat.waitFor();
      const data = answers.at(-1).escalation.actions.find((a) => a.kind === "chat");
      assert.ok(data, "the API gave no chat action");
      const status = await chat.locator(".chat-status").innerText();
      if (data.open_now) assert.match(status, /Nu open/);
      else assert.match(status, /Nu dicht\s+Weer open op (maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) \d{1,2} [a-z]+ om \d{1,2}\.\d\d uur\./);
      assert.equal(await chat.locator('a[href="tel:08002000"]').count(), 1, "0800-2000 beside the chat");
      await inViewport(turn.locator(".actions .act").first()).catch(() => {}); // scrolled into view: informative only
    });

    await test("4b. opening time in Dutch, Europe/Amsterdam, also for a visitor in another time zone", async () => {
      const { context: c2, page: p2 } = await open(browser, { timezoneId: "America/New_York" });
      const reply = (action) => ({
        answer: "Wil je met een mens praten?", sources: [], message_redacted: "x", redactions: [],
        escalation: { level: "none", reasons: ["wants_human"], actions: [action] },
      });
      const cases = [
        [{ open_now: false, opens_at: "2026-11-30T09:00:00+01:00" }, /Nu dicht\s+Weer open op maandag 30 november om 9\.00 uur\./],
        [{ open_now: false, opens_at: "2026-07-06T07:00:00Z" }, /Weer open op maandag 6 juli om 9\.00 uur\./],
        [{ open_now: true, opens_at: null }, /Nu open/],
      ];
      for (const [state, expected] of cases) {
        const action = { kind: "chat", label: "Chat met een medewerker van Veilig Thuis", number: "0800-2000",
          url: "https://www.veiligthuis.nl", ...state };
        await p2.route("**/api/chat", (r) => r.fulfill({ json: reply(action) }));
        const turn = await ask(p2, Q_HUMAN);
        assert.match(await turn.locator(".chat-status").innerText(), expected);
        await p2.unroute("**/api/chat");
      }
      await c2.close();
    });

    await test("8. nothing kept in the browser: storage, cookies, IndexedDB, service workers, caches", async () => {
      const kept = await page.evaluate(async () => ({
        calls: window.__storageCalls,
        local: localStorage.length,
        session: sessionStorage.length,
        cookie: document.cookie,
        idb: (await indexedDB.databases()).map((d) => d.name),
        sw: (await navigator.serviceWorker.getRegistrations()).length,
        caches: await caches.keys(),
      }));
      assert.deepEqual(kept, { calls: [], local: 0, session: 0, cookie: "", idb: [], sw: 0, caches: [] });
      assert.deepEqual(await context.cookies(), []);
      assert.equal(await page.locator("#msg").getAttribute("name"), null, "a named field could end up in a URL");
    });

    await test("10a. axe-core: no serious or critical violations (empty page, answer with open source and chat action)", async () => {
      serious.push(...await axe(page, "conversation 1280"));
      await page.setViewportSize(PHONE);
      await noSideways(page);
      serious.push(...await axe(page, "conversation 320"));
      await shot(page, "conversation-320x640-full", true);
      await page.setViewportSize(DESKTOP);
      const { context: c3, page: p3 } = await open(browser);
      serious.push(...await axe(p3, "empty 1280"));
      await c3.close();
      assert.deepEqual(serious.map((v) => v.id), []);
    });
    await context.close();

    for (const vp of [DESKTOP, PHONE]) {
      await test(`3. acute danger at ${vp.width}px: the 112 action comes before the answer (DOM and on screen)`, async () => {
        const { context: c4, page: p4 } = await open(browser, { viewport: vp });
        const turn = await ask(p4, Q_ACUTE);
        assert.match(await turn.getAttribute("class"), /level-acute/);
        const alarm = turn.locator('a[href="tel:112"]').first();
        const answer = turn.locator(".answer");
        assert.ok(await alarm.evaluate((a, ans) => Boolean(a.compareDocumentPosition(ans) & Node.DOCUMENT_POSITION_FOLLOWING),
          await answer.elementHandle()), "112 is not before the answer in the DOM");
        const first = await turn.locator("a").first().getAttribute("href");
        assert.equal(first, "tel:112", "the first link of an acute answer is not 112");
        const a = await inViewport(alarm);
        const b = await answer.boundingBox();
        assert.ok(a.y + a.height <= b.y, `112 (${a.y}+${a.height}) is not above the answer (${b.y})`);
        assert.ok(a.height >= 64 && a.width >= 0.95 * b.width, `112 is not big: ${JSON.stringify(a)} vs answer ${JSON.stringify(b)}`);
        const colours = await alarm.evaluate((n) => getComputedStyle(n).backgroundColor);
        assert.equal(colours, "rgb(179, 0, 27)", "the 112 action is not red");
        await p4.waitForFunction(() => document.getElementById("alert").textContent.includes("112"));
        await noSideways(p4);
        await shot(p4, `acute-${vp.width}x${vp.height}`);
        await p4.evaluate(() => window.scrollTo(0, 0));
        await shot(p4, `acute-${vp.width}x${vp.height}-full`, true);
        // the header lines stay on screen when the page is scrolled down
        await p4.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
        await inViewport(p4.locator('header a[href="tel:112"]'));
        await inViewport(p4.locator('header a[href="tel:08002000"]'));
        await inViewport(p4.locator("#exit"));
        serious.push(...await axe(p4, `acute ${vp.width}`));
        assert.deepEqual(serious.map((v) => v.id), [], "axe: serious or critical violations (see above)");
        await c4.close();
      });
    }

    await test("6. server errors: the page shows the error body's Dutch message with 112 and 0800-2000", async () => {
      const bad = await fetch(`${BASE}/api/chat`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      const errorBody = await bad.json();
      assert.match(errorBody.error.message, /112.*0800-2000/s);
      const { context: c5, page: p5 } = await open(browser, { viewport: PHONE });
      const check = async (turn, expected) => {
        assert.match(await turn.getAttribute("class"), /turn-error/);
        const text = await turn.innerText();
        assert.match(text, expected);
        assert.match(text, /112/);
        assert.match(text, /0800-2000/);
        assert.equal(await turn.locator('a[href="tel:112"]').count(), 1);
        assert.equal(await turn.locator('a[href="tel:08002000"]').count(), 1);
        await inViewport(p5.locator('header a[href="tel:112"]'));
        await p5.waitForFunction(() => document.getElementById("alert").textContent.includes("112"));
      };
      // a 500 with the server's own error body
      await p5.route("**/api/chat", (r) => r.fulfill({ status: 500, json: errorBody }));
      await check(await ask(p5, Q_CONTROL), new RegExp(errorBody.error.message.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      assert.equal(await p5.inputValue("#msg"), Q_CONTROL, "the question is back in the box");
      await p5.unroute("**/api/chat");
      // the real server refusing the request (400), end to end
      await p5.route("**/api/chat", (r) => r.continue({ postData: JSON.stringify({ message: "" }) }));
      await check(await ask(p5, Q_CONTROL), /Typ een bericht van 1 tot 4000 tekens/);
      await p5.unroute("**/api/chat");
      // a 502 from something in between, not JSON at all
      await p5.route("**/api/chat", (r) => r.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" }));
      await check(await ask(p5, Q_CONTROL), /lukt nu even niet/);
      await p5.unroute("**/api/chat");
      // no answer at all: the network fails
      await p5.route("**/api/chat", (r) => r.abort("connectionrefused"));
      await check(await ask(p5, Q_CONTROL), /niet bereikbaar/);
      await shot(p5, "error-320x640");
      serious.push(...await axe(p5, "errors 320"));
      await p5.unroute("**/api/chat");
      await c5.close();
      assert.deepEqual(serious.map((v) => v.id), [], "axe: serious or critical violations (see above)");
    });

    await test("6b. no answer within 20 s: a timeout message with 112 and 0800-2000", async () => {
      const { context: c6, page: p6 } = await open(browser, { clock: true });
      await p6.route("**/api/chat", () => {});  // never answers
      await p6.fill("#msg", Q_CONTROL);
      await p6.click("#send");
      await p6.waitForSelector("#busy:not([hidden])");
      assert.equal(await p6.getAttribute("#send", "aria-disabled"), "true");
      assert.equal(await p6.evaluate(() => document.activeElement.id), "send", "the focus stays on the button");
      await p6.clock.runFor(19000);
      assert.equal(await p6.locator(".turn-error").count(), 0, "gave up before 20 s");
      await p6.clock.runFor(1500);
      const turn = p6.locator(".turn-error");
      await turn.waitFor();
      const text = await turn.innerText();
      assert.match(text, /duurt te lang/);
      assert.match(text, /112/);
      assert.match(text, /0800-2000/);
      assert.equal(await p6.getAttribute("#send", "aria-disabled"), "false", "the send button is usable again");
      await c6.close();
    });

    await test("7. Esc leaves at once for the neutral site, wipes the chat first, and Back does not return to it", async () => {
      // The page's report of itself may still be on its way when the new page arrives: the exit page waits for it.
      let snapshot = null;
      let reported = () => {};
      const report = new Promise((resolve) => { reported = resolve; });
      const beforeExit = () => (snapshot ? null : Promise.race([report, new Promise((r) => setTimeout(r, 5000))]));
      const { context: c7, page: p7 } = await open(browser, { exitUrl: EXIT_URL, beforeExit });
      await p7.goto(`${BASE}/api/health`);
      await p7.goto(`${BASE}/`);
      await ask(p7, Q_CONTROL);
      await p7.fill("#msg", "een half getypte vraag");
      const length = await p7.evaluate(() => history.length);
      await p7.exposeFunction("__snapshot", (s) => { snapshot = s; reported(); });
      await p7.evaluate(() => document.addEventListener("keydown", () => {
        // runs right after the page's own Esc handler, before the new page arrives
        window.__snapshot({ turns: document.querySelectorAll(".turn").length, text: document.body.innerText.trim(),
          input: document.getElementById("msg")?.value ?? null });
      }, true));
      await p7.keyboard.press("Escape");
      await p7.waitForURL(EXIT_URL);
      assert.deepEqual(snapshot, { turns: 0, text: "", input: null }, "the page was not wiped before leaving");
      assert.equal(await p7.evaluate(() => history.length), length, "exit added a history entry");
      await p7.goBack();
      assert.equal(p7.url(), `${BASE}/api/health`, "Back should skip the chat");
      assert.equal(await p7.locator("#log").count(), 0);
      // the button does the same
      await p7.goto(`${BASE}/`);
      await p7.click("#exit");
      await p7.waitForURL(EXIT_URL);
      await p7.goBack();
      assert.notEqual(p7.url(), `${BASE}/`);
      await c7.close();
    });

    await test("9. no request to any host but the app's", async () => {
      assert.deepEqual(foreign, []);
    });

    await test("no JavaScript errors and no CSP violations on any page", async () => {
      assert.deepEqual(pageErrors, []);
    });
  } finally {
    await browser.close();
  }
  for (const file of shots) console.log(`screenshot: ${path.relative(process.cwd(), file) || file}`);
  const passed = results.filter(Boolean).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
