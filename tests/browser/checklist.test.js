// The checklist in headless Chromium: fixture `checklist` (criteria content/checklists/demo.toml),
// embedded in /guide/article/ and on its own page /checklists/demo/. Served over http on
// 127.0.0.1 with a strict CSP; any page error, CSP violation, console error or HTTP error fails
// the test (see lib.js watch()).
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const http = require("node:http");
const { pathToFileURL } = require("node:url");
const { execFileSync } = require("node:child_process");
const { REPO, PLUMB_BIN, buildFixture, serve, launch, watch, cleanup, tempDir } = require("./lib.js");

const ID = "demo";
const KEY = "plumb-checklist:" + ID;
const VECTORS = JSON.parse(fs.readFileSync(path.join(REPO, "tests", "vectors", "demo.json"), "utf8"));
const MODEL = VECTORS.model;

let browser, site, server, guideServer;

before(async () => {
  site = buildFixture("checklist");
  server = await serve(site.out);
  // The shipped guide too (this repository's site), for its checklist as drivers meet it.
  const guideOut = path.join(tempDir("guide"), "out");
  execFileSync(PLUMB_BIN, ["build", "--root", REPO, "--output-dir", guideOut], { stdio: ["ignore", "pipe", "pipe"] });
  guideServer = await serve(guideOut);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (guideServer) await guideServer.close();
  cleanup();
});

const ARTICLE = () => server.url + "guide/article/";
const OWN_PAGE = () => server.url + "checklists/demo/";

// ---------------------------------------------------------------------------------------------
// Helpers

// A fresh context (empty profile) and page with problem watching. Returns {context, page, guard}.
async function open(url, contextOptions = {}, setup) {
  const context = await browser.newContext(contextOptions);
  if (setup) await setup(context);
  const page = await context.newPage();
  const guard = watch(page);
  if (url) await gotoReady(page, url, contextOptions.javaScriptEnabled !== false);
  return { context, page, guard };
}

async function gotoReady(page, url, enhanced = true) {
  const res = await page.goto(url);
  if (res) assert.equal(res.status(), 200, "status of " + url);
  if (enhanced) await page.waitForSelector(`[data-checklist="${ID}"].checklist-enhanced`, { state: "attached", timeout: 5000 });
}

const radio = (page, q, v) => page.locator(`input[type=radio][name="checklist-${ID}-${q}"][value="${v}"]`);
const label = (page, q, v) => page.locator(`label.checklist-option:has(input[name="checklist-${ID}-${q}"][value="${v}"])`);
const fieldset = (page, q) => page.locator(`fieldset[data-question="${q}"]`);
const statusText = (page) => page.locator(".checklist-result[role=status]").textContent();
const reportText = (page) => page.locator(".checklist-report").textContent();

// {question: option} for every checked radio of the checklist.
const checkedAnswers = (page) => page.evaluate((id) => {
  const out = {};
  document.querySelectorAll(`[data-checklist="${id}"] fieldset[data-question] input[type=radio]:checked`)
    .forEach((r) => { out[r.closest("fieldset").getAttribute("data-question")] = r.value; });
  return out;
}, ID);

const visibleQuestions = (page) => page.evaluate(() =>
  Array.from(document.querySelectorAll("fieldset[data-question]"))
    .filter((f) => f.getClientRects().length > 0 && getComputedStyle(f).visibility !== "hidden")
    .map((f) => f.getAttribute("data-question")));

const activeInfo = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a ? { tag: a.tagName.toLowerCase(), type: a.type || null, name: a.name || null, value: a.value || null, checked: !!a.checked } : null;
});

const storedValue = (page) => page.evaluate((k) => {
  try { return JSON.parse(localStorage.getItem(k)); } catch (e) { return "unreadable"; }
}, KEY);

// Click the label of an option (a mouse user) and check the radio took it.
async function clickAnswer(page, q, v) {
  await label(page, q, v).click();
  assert.equal(await radio(page, q, v).isChecked(), true, `${q}=${v} checked after clicking its label`);
}

async function progress(page) {
  const text = (await page.locator(".checklist-progress").textContent()).trim();
  const bar = await page.locator(".checklist-progress progress").evaluate((b) => ({ value: b.value, max: b.max }));
  return { text, bar };
}

function decodeBase64Url(s) {
  return JSON.parse(Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("utf8"));
}

function fetchText(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { body += c; });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on("error", reject);
  });
}

const SAMPLE = { hours: "them", refuse: "yes", costs: "me", apps: "several", switch: "unsure" };

async function answerAll(page, answers) {
  for (const q of MODEL.questions) if (answers[q.id]) await clickAnswer(page, q.id, answers[q.id]);
}

// ---------------------------------------------------------------------------------------------
// 1. Keyboard only.

for (const [where, url] of [["article", ARTICLE], ["own page", OWN_PAGE]]) {
  test(`keyboard only (${where}): Tab into the first group, arrows/Space answer, live result updates, focus stays put`, async () => {
    const { context, page, guard } = await open(url());
    try {
      const initial = await statusText(page);
      assert.match(initial, /0 of 4 answered/, "initial status");

      // From the top of the page, Tab until a radio has focus: it must be the first question's first option.
      let info = null;
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press("Tab");
        info = await activeInfo(page);
        if (info && info.type === "radio") break;
      }
      assert.deepEqual(info, { tag: "input", type: "radio", name: `checklist-${ID}-hours`, value: "me", checked: false },
        "Tab from the top reaches the first question's radio group, nothing chosen yet");
      assert.equal(await statusText(page), initial, "focusing a radio does not answer it");

      // key, where focus must be, then the expected progress and score (computed from spec section 2 by hand).
      const steps = [
        { key: "Space", focus: ["hours", "me"], answered: 1, visible: 4, score: 100 },
        { key: "ArrowDown", focus: ["hours", "both"], answered: 1, visible: 4, score: 67 },
        { key: "Tab", focus: ["refuse", "yes"], unchecked: true },
        { key: "ArrowDown", focus: ["refuse", "no"], answered: 2, visible: 4, score: 50 },
        { key: "Tab", focus: ["costs", "company"], unchecked: true },
        { key: "Space", focus: ["costs", "company"], answered: 3, visible: 4, score: 70 },
        { key: "Tab", focus: ["apps", "one"], unchecked: true },
        // Choosing "several" reveals question 5 (switch).
        { key: "ArrowDown", focus: ["apps", "several"], answered: 4, visible: 5, score: 75 },
        { key: "Tab", focus: ["switch", "freely"], unchecked: true },
        // "Within limits" reveals question 6 (penalty).
        { key: "ArrowDown", focus: ["switch", "limited"], answered: 5, visible: 6, score: 72 },
        { key: "Tab", focus: ["penalty", "no"], unchecked: true },
        { key: "Space", focus: ["penalty", "no"], answered: 6, visible: 6, score: 73 },
        // ArrowUp from the first option wraps to the last one ("Not sure").
        { key: "ArrowUp", focus: ["penalty", "unsure"], answered: 6, visible: 6, score: 72 },
        // Back to the switch group (focus lands on its checked radio), change it so penalty hides:
        { key: "Shift+Tab", focus: ["switch", "limited"], same: true },
        { key: "ArrowUp", focus: ["switch", "freely"], answered: 5, visible: 5, score: 75 },
      ];
      let prev = initial;
      for (const s of steps) {
        await page.keyboard.press(s.key);
        const [q, v] = s.focus;
        const now = await statusText(page);
        const a = await activeInfo(page);
        assert.equal(a && a.name, `checklist-${ID}-${q}`, `after ${s.key}: focus in question ${q}`);
        assert.equal(a.value, v, `after ${s.key}: focus on option ${v} of ${q}`);
        if (s.unchecked || s.same) {
          assert.equal(a.checked, !s.unchecked, `after ${s.key}: ${q}=${v} checked state`);
          assert.equal(now, prev, `after ${s.key}: moving focus does not change the result`);
          continue;
        }
        assert.equal(a.checked, true, `after ${s.key}: ${q}=${v} is checked`);
        if (s.answered < s.visible) {
          // Not every question is answered: progress and how many are left, no verdict yet.
          assert.equal(now, `${s.answered} of ${s.visible} answered, ${s.visible - s.answered} left.`, `after ${s.key}: status`);
          const p = await progress(page);
          assert.match(p.text, new RegExp(`^${s.answered} of ${s.visible} answered`), `after ${s.key}: progress text`);
          assert.deepEqual(p.bar, { value: s.answered, max: s.visible }, `after ${s.key}: progress bar`);
          assert.equal(await page.locator(".checklist-verdict, .checklist-overall").count(), 0, `after ${s.key}: no verdict or score`);
        } else {
          assert.match(now, /^Your result is ready: /, `after ${s.key}: status`);
          assert.match(await page.locator(".checklist-overall").textContent(), new RegExp(`Overall: ${s.score} out of 100`), `after ${s.key}: score`);
          assert.equal(await page.locator(".checklist-progress").count(), 0, `after ${s.key}: no progress bar once the result shows`);
        }
        prev = now;
      }
      assert.deepEqual(await visibleQuestions(page), ["hours", "refuse", "costs", "apps", "switch"]);
      // Nothing moved focus later on (e.g. from a timer).
      await page.waitForTimeout(300);
      const last = await activeInfo(page);
      assert.deepEqual([last.name, last.value], [`checklist-${ID}-switch`, "freely"], "focus still on the last radio used");
      guard.check();
    } finally {
      await context.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Mouse and conditional questions.

test("mouse: clicking labels answers; conditional questions show and hide with their condition", async () => {
  const { context, page, guard } = await open(ARTICLE());
  try {
    const hidden = async (q) => !(await fieldset(page, q).isVisible());
    assert.ok(await hidden("switch"), "switch hidden before apps is answered");
    assert.ok(await hidden("penalty"), "penalty hidden before switch is answered");
    assert.equal(await page.locator(".checklist-condition").filter({ visible: true }).count(), 0,
      "condition notes are hidden once the script handles conditions");

    await clickAnswer(page, "hours", "me");
    assert.match(await statusText(page), /1 of 4 answered/);

    await clickAnswer(page, "apps", "one");
    assert.ok(await hidden("switch"), "switch stays hidden with apps=one");

    await clickAnswer(page, "apps", "several");
    assert.ok(await fieldset(page, "switch").isVisible(), "switch shown with apps=several");
    assert.ok(await hidden("penalty"), "penalty still hidden");
    assert.match(await statusText(page), /2 of 5 answered/);

    await clickAnswer(page, "switch", "limited");
    assert.ok(await fieldset(page, "penalty").isVisible(), "penalty shown with switch=limited");
    assert.match(await statusText(page), /3 of 6 answered/);

    // Click the option's text, not the input, to be sure the whole label is the target.
    await label(page, "penalty", "yes").locator("span").first().click();
    assert.equal(await radio(page, "penalty", "yes").isChecked(), true);
    assert.match(await statusText(page), /4 of 6 answered/);

    await clickAnswer(page, "switch", "freely");
    assert.ok(await hidden("penalty"), "penalty hidden again once switch is no longer limited");
    assert.match(await statusText(page), /3 of 5 answered/, "the hidden question no longer counts");

    await clickAnswer(page, "switch", "limited");
    assert.ok(await fieldset(page, "penalty").isVisible(), "penalty shown again");

    await clickAnswer(page, "apps", "one");
    assert.ok(await hidden("switch"), "switch hidden again with apps=one");
    assert.ok(await hidden("penalty"), "penalty hidden too (its condition's question is hidden)");
    assert.match(await statusText(page), /2 of 4 answered/);
    assert.deepEqual(await visibleQuestions(page), ["hours", "refuse", "costs", "apps"]);
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 3. Reload.

test("reload: answers survive in localStorage and the result is the same", async () => {
  const { context, page, guard } = await open(ARTICLE());
  try {
    await answerAll(page, SAMPLE);
    const status = await statusText(page), report = await reportText(page);
    assert.match(status, /^Your result is ready: /);
    const stored = await storedValue(page);
    assert.equal(stored && stored.checklist, ID);
    assert.equal(stored.version, MODEL.version);
    assert.deepEqual(stored.answers, SAMPLE);

    await page.reload();
    await page.waitForSelector(".checklist-enhanced", { state: "attached" });
    assert.deepEqual(await checkedAnswers(page), SAMPLE, "same radios checked after reload");
    assert.equal(await statusText(page), status, "same status after reload");
    assert.equal(await reportText(page), report, "same report after reload");
    assert.ok(await fieldset(page, "switch").isVisible(), "conditional question restored visible");

    // The other page with the same checklist (same origin) shows the same saved answers.
    await gotoReady(page, OWN_PAGE());
    assert.deepEqual(await checkedAnswers(page), SAMPLE, "same answers on the checklist's own page");
    assert.equal(await statusText(page), status);
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 4. Reset.

test("reset: asks for confirmation; dismissing keeps answers, accepting clears answers and storage", async () => {
  const { context, page, guard } = await open(ARTICLE());
  try {
    await answerAll(page, SAMPLE);
    const status = await statusText(page);
    const dialogs = [];
    let choice = "dismiss";
    page.on("dialog", async (d) => {
      dialogs.push({ type: d.type(), message: d.message() });
      if (choice === "accept") await d.accept(); else await d.dismiss();
    });
    const reset = page.locator(".checklist-button-reset");
    assert.equal(await reset.evaluate((b) => b.tagName + ":" + b.type), "BUTTON:button");

    await reset.click();
    assert.equal(dialogs.length, 1, "reset asked for confirmation");
    assert.equal(dialogs[0].type, "confirm");
    assert.ok(dialogs[0].message.length > 0, "the confirmation says something");
    assert.deepEqual(await checkedAnswers(page), SAMPLE, "dismissed: answers kept");
    assert.equal(await statusText(page), status, "dismissed: result kept");
    assert.deepEqual((await storedValue(page)).answers, SAMPLE, "dismissed: storage kept");

    choice = "accept";
    await reset.click();
    assert.equal(dialogs.length, 2, "asked again");
    assert.deepEqual(await checkedAnswers(page), {}, "accepted: no radio checked");
    assert.equal(await statusText(page), "0 of 4 answered, 4 left.", "accepted: result back to nothing answered");
    assert.equal(await storedValue(page), null, "accepted: storage cleared");
    assert.ok(!(await fieldset(page, "switch").isVisible()), "accepted: conditional question hidden again");

    await page.reload();
    await page.waitForSelector(".checklist-enhanced", { state: "attached" });
    assert.deepEqual(await checkedAnswers(page), {}, "still nothing after reload");
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 5. Export, then import in a fresh context.

test("export downloads a JSON file that imports into a fresh browser profile", async () => {
  const answers = { hours: "both", refuse: "unsure", costs: "company", apps: "several", switch: "limited", penalty: "no" };
  const dir = tempDir("download");
  const file = path.join(dir, "export.json");
  let status, report;
  {
    const { context, page, guard } = await open(ARTICLE(), { acceptDownloads: true });
    try {
      await answerAll(page, answers);
      status = await statusText(page);
      report = await reportText(page);
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 5000 }), page.locator(".checklist-button-export").click()]);
      assert.match(download.suggestedFilename(), /\.json$/, "a .json file name");
      assert.ok(download.suggestedFilename().includes(ID), "the file name names the checklist");
      await download.saveAs(file);
      const data = JSON.parse(fs.readFileSync(file, "utf8"));
      assert.equal(data.checklist, ID, "the file names the checklist id");
      assert.equal(data.version, MODEL.version, "the file records the checklist version");
      assert.deepEqual(data.answers, answers, "the file holds the answers");
      guard.check();
    } finally {
      await context.close();
    }
  }
  {
    const { context, page, guard } = await open(ARTICLE());
    try {
      assert.deepEqual(await checkedAnswers(page), {}, "fresh profile starts empty");
      assert.equal(await storedValue(page), null);
      const [chooser] = await Promise.all([page.waitForEvent("filechooser", { timeout: 5000 }),
        page.locator(".checklist-button-import").click()]);
      await chooser.setFiles(file);
      await page.waitForFunction((s) => document.querySelector(".checklist-result").textContent === s, status, { timeout: 5000 });
      assert.deepEqual(await checkedAnswers(page), answers, "imported answers checked");
      assert.equal(await reportText(page), report, "same report after import");
      assert.deepEqual((await storedValue(page)).answers, answers, "imported answers saved");
      assert.match(await page.locator(".checklist-tools-message").textContent(), /import/i, "the import is confirmed");
      guard.check();
    } finally {
      await context.close();
    }
  }
});

// ---------------------------------------------------------------------------------------------
// 6. Share link.

test("share link carries the answers in the fragment and restores them in a fresh profile", async () => {
  const answers = { hours: "me", refuse: "no", costs: "me", apps: "several", switch: "unsure" };
  let status, verdict, shareUrl;
  {
    const { context, page, guard } = await open(ARTICLE());
    try {
      await answerAll(page, answers);
      status = await statusText(page);
      verdict = await page.locator(".checklist-verdict-title").textContent();
      await page.locator(".checklist-button-share").click();
      const field = page.locator(".checklist-share-field");
      await field.waitFor({ state: "visible", timeout: 5000 });
      shareUrl = await field.inputValue();
      const m = /^(.*)#answers=demo:([A-Za-z0-9_-]+)$/.exec(shareUrl);
      assert.ok(m, "share URL has #answers=demo:<base64url>: " + shareUrl);
      assert.equal(m[1], ARTICLE(), "share URL points at this page");
      assert.deepEqual(decodeBase64Url(m[2]), answers, "the fragment holds exactly the answers");
      assert.equal(await page.locator(`label[for="${await field.getAttribute("id")}"]`).count(), 1, "the share field has a label");
      guard.check();
    } finally {
      await context.close();
    }
  }
  {
    const { context, page, guard } = await open(null);
    try {
      await gotoReady(page, shareUrl);
      assert.deepEqual(await checkedAnswers(page), answers, "same answers from the link");
      assert.equal(await statusText(page), status, "same result from the link");
      assert.equal(await page.locator(".checklist-verdict-title").textContent(), verdict, "same verdict");
      assert.equal(await page.evaluate(() => location.hash), "", "the answers are taken out of the address");
      assert.deepEqual((await storedValue(page)).answers, answers, "shared answers saved");
      guard.check();
    } finally {
      await context.close();
    }
  }
});

// ---------------------------------------------------------------------------------------------
// 7. Same verdict as the Rust reference (tests/vectors/demo.json).

function pickCases(cases) {
  const byId = new Map(MODEL.questions.map((q) => [q.id, q]));
  const vis = (c) => c.expected.visible_questions;
  const unsureVisible = (c) => vis(c).some((q) => {
    const o = byId.get(q).options.find((x) => x.id === c.answers[q]);
    return o && o.unsure;
  });
  const hiddenAnswered = (c) => Object.keys(c.answers).some((q) => byId.has(q) && !vis(c).includes(q));
  const unknownIds = (c) => Object.keys(c.answers).some((q) => !byId.has(q) ||
    !byId.get(q).options.some((o) => o.id === c.answers[q]));
  const nullDim = (c) => Object.values(c.expected.dimensions).some((v) => v === null);
  const kinds = [
    ["penalty visible and a not-sure answer", (c) => vis(c).includes("penalty") && unsureVisible(c)],
    ["penalty visible", (c) => vis(c).includes("penalty")],
    ["switch visible, penalty hidden", (c) => vis(c).includes("switch") && !vis(c).includes("penalty")],
    ["not-sure answers", unsureVisible],
    ["answers to hidden questions", hiddenAnswered],
    ["unknown question/option ids", unknownIds],
    ["a dimension without score", nullDim],
    ["band label", (c) => c.expected.band === "label"],
    ["band partly", (c) => c.expected.band === "partly"],
    ["band structure", (c) => c.expected.band === "structure"],
    ["findings", (c) => c.expected.findings.length > 0],
    ["a finding on a dimension's score", (c) => c.expected.findings.includes("free-to-switch") && c.answers.switch !== "freely"],
  ];
  const eligible = cases.filter((c) => c.expected.band !== null);
  const picked = [];
  for (const [, pred] of kinds) {
    let n = 0;
    for (const c of eligible) {
      if (n >= 2) break;
      if (!pred(c)) continue;
      n++;
      if (!picked.includes(c)) picked.push(c);
    }
  }
  return { picked, kinds: kinds.map(([name, pred]) => [name, picked.filter(pred).length]) };
}

test("same verdict, scores and lists as the Rust reference vectors", async () => {
  const { picked, kinds } = pickCases(VECTORS.cases);
  assert.ok(picked.length >= 8, "at least 8 vector cases with a band");
  for (const [name, n] of kinds) assert.ok(n >= 1, "the vectors include a case with " + name);

  const { context, page, guard } = await open(ARTICLE());
  try {
    // The page's model is the one the vectors were computed for.
    const pageModel = JSON.parse(await page.locator("script.checklist-model").textContent());
    assert.deepEqual(pageModel, MODEL, "the page embeds the model of tests/vectors/demo.json");

    for (const c of picked) {
      const e = c.expected, at = `case "${c.name}" ${JSON.stringify(c.answers)}`;
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      await page.waitForSelector(".checklist-enhanced", { state: "attached" });
      assert.deepEqual(await checkedAnswers(page), {}, at + ": starts empty");

      // Answer in model order, only questions visible now and options that exist.
      for (const q of MODEL.questions) {
        const v = c.answers[q.id];
        if (v === undefined || !q.options.some((o) => o.id === v)) continue;
        if (!(await fieldset(page, q.id).isVisible())) continue;
        await clickAnswer(page, q.id, v);
      }

      const band = MODEL.bands.find((b) => b.id === e.band);
      assert.deepEqual(await visibleQuestions(page), e.visible_questions, at + ": visible questions");
      const status = await statusText(page);
      assert.ok(e.ready, at + ": the case is ready for a verdict");
      assert.ok(status.includes(band.title), at + ": status names the band");
      assert.equal((await page.locator(".checklist-verdict-title").textContent()).trim(), band.title, at + ": verdict title");
      const overall = await page.locator(".checklist-overall").textContent();
      assert.match(overall, new RegExp(`(^|\\D)${e.overall} out of 100`), at + ": overall score");

      const dims = await page.locator(".checklist-dimensions > li").allTextContents();
      assert.equal(dims.length, MODEL.dimensions.length, at + ": one line per dimension");
      MODEL.dimensions.forEach((d, i) => {
        const line = dims[i].trim(), want = e.dimensions[d.id];
        assert.ok(line.startsWith(d.title), at + `: dimension line ${i} is ${d.title}: ${line}`);
        if (want === null) assert.doesNotMatch(line, /\d+ out of 100/, at + `: ${d.id} has no score: ${line}`);
        else assert.match(line, new RegExp(`(^|\\D)${want} out of 100`), at + `: ${d.id} = ${want}: ${line}`);
      });

      // Control map (holders in question order) and find-out list.
      const holders = await page.locator(".checklist-map tbody tr td.checklist-holder").evaluateAll((tds) =>
        tds.map((td) => (Array.from(td.classList).find((k) => /^checklist-holder-/.test(k)) || "").slice("checklist-holder-".length)));
      assert.deepEqual(holders, e.control_map.map((m) => m.holder || "unknown"), at + ": control map holders");
      const risks = await page.locator(".checklist-risk-map tbody tr td.checklist-holder").evaluateAll((tds) =>
        tds.map((td) => (Array.from(td.classList).find((k) => /^checklist-holder-/.test(k)) || "").slice("checklist-holder-".length)));
      assert.deepEqual(risks, e.risk_map.map((m) => m.holder || "unknown"), at + ": risk map holders");
      const findings = await page.locator(".checklist-findings > li > span:first-child").allTextContents();
      assert.deepEqual(findings.map((f) => f.trim()), e.findings.map((id) => MODEL.findings.find((f) => f.id === id).text), at + ": findings");
      const rows = await page.locator(".checklist-map tbody tr th").allTextContents();
      assert.deepEqual(rows.map((s) => s.trim()), e.control_map.map((m) => MODEL.questions.find((q) => q.id === m.question).control_point),
        at + ": control map rows");
      const findOut = await page.locator(".checklist-find-out-question").allTextContents();
      assert.deepEqual(findOut.map((s) => s.trim()), e.find_out.map((id) => MODEL.questions.find((q) => q.id === id).text),
        at + ": find-out list");
    }
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 8. JavaScript disabled.

test("JavaScript off: the whole form, condition notes and the worksheet are shown", async () => {
  for (const url of [ARTICLE(), OWN_PAGE()]) {
    const { context, page, guard } = await open(url, { javaScriptEnabled: false });
    try {
      assert.equal(await page.locator("html.js, .checklist-enhanced").count(), 0, "the script did not run");
      const qs = page.locator(`[data-checklist="${ID}"] fieldset.checklist-question`);
      assert.equal(await qs.count(), MODEL.questions.length, "one fieldset per question");
      for (const q of MODEL.questions) {
        const fs = fieldset(page, q.id);
        assert.ok(await fs.isVisible(), `${url}: question ${q.id} visible`);
        assert.ok((await fs.locator("legend").textContent()).includes(q.text), `${q.id}: legend has the question`);
        if (q.show_if) {
          const note = fs.locator(".checklist-condition");
          assert.equal(await note.count(), 1, `${q.id}: has a condition note`);
          assert.ok(await note.isVisible(), `${q.id}: condition note visible`);
        }
        for (const o of q.options) {
          const r = radio(page, q.id, o.id);
          assert.equal(await r.count(), 1, `radio ${q.id}=${o.id} present`);
          assert.ok(await r.isVisible(), `radio ${q.id}=${o.id} visible`);
          const labels = await r.evaluate((el) => Array.from(el.labels || []).map((l) => l.textContent));
          assert.equal(labels.length, 1, `radio ${q.id}=${o.id} has a label`);
          assert.ok(labels[0].includes(o.label), `label of ${q.id}=${o.id} says "${o.label}"`);
        }
      }
      assert.equal(await page.locator(`[data-checklist="${ID}"] input[type=radio]`).count(),
        MODEL.questions.reduce((n, q) => n + q.options.length, 0), "no other radios");
      assert.equal(await page.locator(".checklist-condition").filter({ visible: true }).count(),
        MODEL.questions.filter((q) => q.show_if).length, "every condition note visible");
      const ws = page.locator(".checklist-worksheet");
      assert.ok(await ws.isVisible(), "worksheet visible");
      assert.ok(await ws.locator("table").first().isVisible(), "worksheet table visible");
      for (const b of MODEL.bands) assert.ok((await ws.textContent()).includes(b.title), `worksheet lists band ${b.id}`);
      guard.check();
    } finally {
      await context.close();
    }
  }
});

// ---------------------------------------------------------------------------------------------
// 9. Storage refused.

test("storage refused: answering still scores and a visible note says answers cannot be saved", async () => {
  const { context, page, guard } = await open(ARTICLE(), {}, (ctx) => ctx.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      configurable: true,
      get() { throw new DOMException("The user denied storage.", "SecurityError"); },
    });
  }));
  try {
    assert.equal(await page.evaluate(() => { try { return typeof window.localStorage; } catch (e) { return "throws"; } }), "throws",
      "the init script took effect");
    const note = page.locator(".checklist-notice-warning, .checklist-notice").filter({ hasText: /(can(no|')t|can\u2019t|cannot|not) be saved/i });
    await clickAnswer(page, "hours", "me");
    await clickAnswer(page, "costs", "me");
    assert.equal(await note.count() >= 1, true, "a note says the answers cannot be saved");
    assert.ok(await note.first().isVisible(), "the note is visible");
    assert.equal(await statusText(page), "2 of 4 answered, 2 left.", "still counts");
    await clickAnswer(page, "refuse", "no");
    await clickAnswer(page, "apps", "one");
    // control (2*3 + 0)/(2*3 + 2) = 75, risk 0, exit 0: (3*75)/6 = 37.5 -> 38
    assert.match(await page.locator(".checklist-overall").textContent(), /Overall: 38 out of 100/, "still scores");
    assert.equal((await page.locator(".checklist-verdict-title").textContent()).trim(), "Independent in label only");
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 10. Hostile text stays inert.

test("hostile criteria text stays inert text", async () => {
  // The raw HTML: the only script elements without src are the JSON model and the script's
  // words (no inline code, so nothing escaped the help text), and the model JSON contains no
  // raw <, > or &.
  const raw = await fetchText(ARTICLE());
  assert.equal(raw.status, 200);
  assert.equal(raw.headers["content-security-policy"] !== undefined, true);
  const scripts = raw.body.match(/<script\b[^>]*>/gi) || [];
  const inline = scripts.filter((s) => !/\ssrc=/.test(s));
  assert.deepEqual(inline, ['<script type="application/json" class="checklist-model">',
    '<script type="application/json" class="checklist-words">'],
    "only the model and the words are inline script elements: " + scripts.join(" "));
  assert.ok(scripts.some((s) => /\ssrc="[^"]*checklist\.[0-9a-f]+\.js"/.test(s)), "the shared script is loaded");
  assert.doesNotMatch(raw.body, /<script>alert/, "the help text did not become markup");
  const modelJson = /<script type="application\/json" class="checklist-model">([\s\S]*?)<\/script>/.exec(raw.body);
  assert.ok(modelJson, "the model script element");
  assert.doesNotMatch(modelJson[1], /[<>&]/, "no raw < > & in the model JSON");

  const { context, page, guard } = await open(null);
  const dialogs = [];
  page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  try {
    await gotoReady(page, ARTICLE());
    await clickAnswer(page, "costs", "me");
    await page.waitForTimeout(200);
    assert.deepEqual(dialogs, [], "no dialog opened");
    const intro = page.locator(".checklist-intro");
    assert.equal(await intro.locator("b").count(), 0, "no <b> element inside the intro");
    assert.equal((await intro.textContent()).trim(), 'A fixture: <b>not bold</b> & "quoted".', "intro shows the literal text");
    const help = await page.locator('fieldset[data-question="costs"] .checklist-help').textContent();
    assert.ok(help.includes("</script><script>alert(1)</script>"), "help text shows the literal characters: " + help);
    assert.equal(await page.locator("script:not([src])").count(), 2, "no inline script element besides the model and the words");
    for (const script of await page.locator("script:not([src])").all()) {
      assert.equal(await script.getAttribute("type"), "application/json");
    }
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 11. file://

test("file://: the page opened from disk enhances and its stylesheet applies", async () => {
  const url = pathToFileURL(path.join(site.out, "guide", "article", "index.html")).href;
  const { context, page, guard } = await open(null);
  try {
    await page.goto(url);
    await page.waitForSelector(".checklist-enhanced", { state: "attached", timeout: 5000 });
    const maxWidth = await page.evaluate(() => getComputedStyle(document.body).maxWidth);
    assert.notEqual(maxWidth, "none", "the plain theme's body max-width applies (stylesheet resolved)");
    // The page has no code, so no highlighting stylesheet: every linked stylesheet loaded.
    assert.deepEqual(await page.evaluate(() => [Array.from(document.styleSheets).filter((s) => s.href).length,
      document.querySelectorAll('link[rel~="stylesheet"]').length]), [1, 1], "the stylesheet loaded");
    await clickAnswer(page, "hours", "me");
    await clickAnswer(page, "refuse", "no");
    await clickAnswer(page, "costs", "company");
    await clickAnswer(page, "apps", "one");
    // control 75, risk 100, exit 0: (3*75 + 2*100)/6 = 70.8 -> 71
    assert.equal(await statusText(page), "Your result is ready: Independent in structure. It is below the questions.");
    assert.equal((await page.locator(".checklist-verdict-title").textContent()).trim(), "Independent in structure");
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 12. A stored answer to a removed question does not come back.

test("an answer to a question the checklist no longer has is dropped from storage at load", async () => {
  const { context, page, guard } = await open(null);
  try {
    await page.goto(ARTICLE());
    await page.evaluate(([k, v]) => localStorage.setItem(k, JSON.stringify(v)),
      [KEY, { checklist: ID, version: MODEL.version, answers: { hours: "me", removed: "yes" }, saved: "2024-01-01T00:00:00.000Z" }]);
    await page.reload();
    await page.waitForSelector(".checklist-enhanced", { state: "attached" });
    assert.deepEqual(await checkedAnswers(page), { hours: "me" }, "the known answer is restored");
    assert.deepEqual((await storedValue(page)).answers, { hours: "me" },
      "the removed question's answer is gone from storage, so restoring the question later finds none");
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 13. The guide's checklist as a delivery driver meets it: a phone, one answer at a time.

const GUIDE = () => guideServer.url + "checklists/independence/";
const GUIDE_MODEL = JSON.parse(fs.readFileSync(path.join(REPO, "tests", "vectors", "independence.json"), "utf8")).model;
const PHONE = { viewport: { width: 360, height: 740 } };
// A driver for a delivery-service partner: hours set by the company, routes assigned and
// required, the company's van, paid by the hour.
const DSP = {
  schedule: "platform-sets", accept: "must-take", methods: "set-and-timed", route: "assigned",
  metrics: "can-cut-off", procedures: "set-by-others", discipline: "imposed", costs: "company",
  injury: "work-cover", overruns: "hourly", penalties: "yes", algorithm: "yes", leave: "lost-income",
  notice: "short-warning", appeal: "form-only", clients: "one", price: "set-for-me", volume: "them",
  negotiate: "no", customers: "none",
};
const DSP_CASE = JSON.parse(fs.readFileSync(path.join(REPO, "tests", "vectors", "independence.json"), "utf8"))
  .cases.find((c) => c.name === "delivery-partner driver paid by the hour, company van");

async function openGuide(options = {}) {
  const context = await browser.newContext({ ...PHONE, ...options });
  const page = await context.newPage();
  const guard = watch(page);
  await page.goto(GUIDE());
  await page.waitForSelector('[data-checklist="independence"].checklist-enhanced', { state: "attached", timeout: 5000 });
  return { context, page, guard };
}

const answerGuide = async (page, q, v) => {
  await page.locator(`label.checklist-option:has(input[name="checklist-independence-${q}"][value="${v}"])`).click();
};

test("guide: one answer gives no verdict, only how many are left, in a bar at most 48 px tall", async () => {
  const { context, page, guard } = await openGuide();
  try {
    await answerGuide(page, "schedule", "platform-sets");
    const status = page.locator(".checklist-result");
    assert.equal(await status.textContent(), "1 of 19 answered, 18 left.");
    assert.equal(await page.locator(".checklist-verdict, .checklist-overall, .checklist-findings, .checklist-dimensions, .checklist-map").count(), 0,
      "no band, score, findings or map");
    assert.match(await page.locator(".checklist-report").textContent(), /Answer 18 more questions to see your result/);
    const box = await status.boundingBox();
    assert.ok(box.height <= 48, "the pinned bar is at most 48 px tall: " + box.height);
    assert.equal(await status.evaluate((e) => getComputedStyle(e).position), "sticky", "pinned while answering");
    guard.check();
  } finally {
    await context.close();
  }
});

test("guide: numbers count the questions shown, with no gap where a conditional question hides", async () => {
  const { context, page, guard } = await openGuide();
  try {
    const numbers = () => page.locator("fieldset[data-question]:not([hidden]) .checklist-number").allTextContents();
    const expected = (n) => Array.from({ length: n }, (_, i) => (i + 1) + ".");
    assert.deepEqual(await numbers(), expected(19), "19 questions shown, numbered 1 to 19");
    assert.ok(await page.locator('fieldset[data-question="appeal"]').isHidden(), "the appeal question is hidden at first");
    await answerGuide(page, "notice", "none");   // shows the appeal question
    assert.deepEqual(await numbers(), expected(20), "20 questions, 1 to 20");
    assert.equal(await page.locator('fieldset[data-question="appeal"] .checklist-number').textContent(), "15.");
    await answerGuide(page, "notice", "written");   // hides it again
    assert.deepEqual(await numbers(), expected(19));
    assert.equal(await page.locator('fieldset[data-question="clients"] .checklist-number').textContent(), "15.",
      "the question after the hidden one takes its number");
    guard.check();
  } finally {
    await context.close();
  }
});

test("guide: no points beside the options on screen; the printed worksheet has them", async () => {
  const { context, page, guard } = await openGuide();
  try {
    const points = page.locator(".checklist-points");
    assert.ok(await points.count() > 50, "the points are in the page");
    assert.equal(await points.filter({ visible: true }).count(), 0, "none visible on screen");
    await page.emulateMedia({ media: "print" });
    assert.equal(await points.filter({ visible: true }).count(), await points.count(), "every one visible in print");
    guard.check();
  } finally {
    await context.close();
  }
});

test("guide: the delivery driver's result says in words what the answers mean", async () => {
  assert.ok(DSP_CASE, "the driver is one of the vectors' realistic cases");
  const { context, page, guard } = await openGuide();
  try {
    for (const [q, v] of Object.entries(DSP)) await answerGuide(page, q, v);
    const e = DSP_CASE.expected;
    const band = GUIDE_MODEL.bands.find((b) => b.id === e.band);
    assert.equal(await page.locator(".checklist-result").textContent(), `Your result is ready: ${band.title}. It is below the questions.`);
    assert.equal(await page.locator(".checklist-result").evaluate((el) => getComputedStyle(el).position), "static", "no longer pinned");
    assert.equal((await page.locator(".checklist-verdict-title").textContent()).trim(), band.title);
    const findings = await page.locator(".checklist-findings > li > span:first-child").allTextContents();
    assert.deepEqual(findings.map((f) => f.trim()), e.findings.map((id) => GUIDE_MODEL.findings.find((f) => f.id === id).text));
    assert.ok(findings.some((f) => /The company pays for the vehicle/.test(f)), "it says the company pays for the van");
    assert.ok(!/You carry much of the risk/.test(await page.locator(".checklist-report").textContent()), "no claim the answers contradict");
    // Every finding's link leads to a page of the guide that exists.
    for (const href of await page.locator(".checklist-finding-link, .checklist-next-step-link").evaluateAll((as) => as.map((a) => a.href))) {
      const res = await fetchText(href);
      assert.equal(res.status, 200, href);
    }
    assert.ok(await page.locator(".checklist-next-step-link").count() >= 1, "a next step links to a page");
    // Dimension texts, with the direction in words.
    const dims = await page.locator(".checklist-dimensions > li").allTextContents();
    GUIDE_MODEL.dimensions.forEach((d, i) => {
      const t = e.dimension_texts[d.id];
      assert.ok(dims[i].includes(d.description), d.id + ": description shown");
      if (t !== null) assert.ok(dims[i].includes(d.texts[t].text), d.id + ": text for its score shown");
    });
    assert.match(await page.locator(".checklist-report").textContent(), /How much of each part you hold/);
    // The maps name holders in words, with a key as text beside them.
    const holders = await page.locator(".checklist-map td.checklist-holder").allTextContents();
    assert.ok(holders.includes("The company or app") && !holders.includes("Platform"), "holders named by the criteria file");
    assert.equal(await page.locator(".checklist-risk-map tbody tr").count(), e.risk_map.length, "risk rows on the map");
    const key = await page.locator(".checklist-key").textContent();
    for (const name of Object.values(GUIDE_MODEL.holders)) assert.ok(key.includes(name + ":"), "the key explains " + name);
    assert.equal(await page.locator(".checklist-points").filter({ visible: true }).count(), 0, "still no points on screen");
    await page.locator(".checklist-report").screenshot({ path: path.join(tempDir("shots"), "dsp-result.png") });
    guard.check();
  } finally {
    await context.close();
  }
});

test("guide: the printed result fits on two A4 pages; the blank worksheet prints separately", async () => {
  const { context, page, guard } = await openGuide();
  try {
    for (const [q, v] of Object.entries(DSP)) await answerGuide(page, q, v);
    await page.emulateMedia({ media: "print" });
    const pdfPages = (pdf) => (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    const visibleText = () => page.evaluate(() => document.body.innerText);
    const result = await page.pdf({ format: "A4" });
    const resultText = await visibleText();
    assert.ok(pdfPages(result) >= 1 && pdfPages(result) <= 2, "the result prints on 1 or 2 pages: " + pdfPages(result));
    for (const part of ["Independent in label only", "What your answers show", "Who decides", "Who carries the risk", "Next steps", "Your answers"]) {
      assert.ok(resultText.includes(part), "the result sheet has " + part);
    }
    assert.ok(resultText.includes("My shifts are set for me"), "answers in words");
    assert.ok(!resultText.includes("Score it by hand"), "no worksheet on the result sheet");
    // The worksheet button's mode: questions and worksheet, no result.
    await page.evaluate(() => document.documentElement.classList.add("checklist-print-worksheet"));
    const sheetText = await visibleText();
    assert.ok(sheetText.includes("Score it by hand") && sheetText.includes("Who decides when you work?"), "the worksheet prints");
    assert.ok(!sheetText.includes("What your answers show"), "without the result");
    guard.check();
  } finally {
    await context.close();
  }
});

test("guide: the result saved as a page opens on its own in a fresh browser", async () => {
  const dir = tempDir("summary");
  const file = path.join(dir, "result.html");
  {
    const { context, page, guard } = await openGuide({ acceptDownloads: true });
    try {
      assert.ok(await page.locator(".checklist-button-summary").isHidden(), "no summary before there is a result");
      for (const [q, v] of Object.entries(DSP)) await answerGuide(page, q, v);
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 5000 }), page.locator(".checklist-button-summary").click()]);
      assert.match(download.suggestedFilename(), /^independence-result\.html$/);
      await download.saveAs(file);
      guard.check();
    } finally {
      await context.close();
    }
  }
  const html = fs.readFileSync(file, "utf8");
  assert.doesNotMatch(html, /<script/i, "no script in the saved page");
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(text.includes("Independent in label only"), "verdict");
    assert.ok(text.includes("The company pays for the vehicle and pays for the extra time"), "findings");
    assert.ok(text.includes("Who decides when you work?") && text.includes("My shifts are set for me"), "answers in words");
    assert.ok(text.includes("The company or app"), "the map");
    const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.length > 0 && hrefs.every((h) => h.startsWith(guideServer.url)), "links lead back to the guide: " + hrefs.join(" "));
  } finally {
    await context.close();
  }
});
