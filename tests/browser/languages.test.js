// The languages fixture (English and Spanish) in the default theme, in headless Chromium under
// the strict CSP: a reader answers the checklist in English, follows the language switcher by
// keyboard to the Spanish checklist and finds the same answers and the same result there; the
// Spanish pages pass axe-core (WCAG 2.2 AA tags) at 360 px and every page the W3C Nu HTML
// Checker.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync, spawnSync } = require("node:child_process");
const { REPO, PLUMB_BIN, copyFixture, serve, launch, watch, cleanup, axeViolations } = require("./lib.js");

const ANSWERS = { hours: "both", refuse: "yes", costs: "me", apps: "several", switch: "limited", penalty: "no" };

let server, browser, out;

test.before(async () => {
  const { root, dir } = copyFixture("languages");
  fs.cpSync(path.join(REPO, "themes", "guide"), path.join(root, "themes", "guide"), { recursive: true });
  out = path.join(dir, "out");
  execFileSync(PLUMB_BIN, ["build", "--root", root, "--output-dir", out], { stdio: ["ignore", "ignore", "pipe"] });
  server = await serve(out);
  browser = await launch();
});

test.after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  cleanup();
});

// What the reader sees of the checklist: each question's checked answer, the overall score's
// number and the verdict's title (in the page's language).
async function state(page) {
  const checked = await page.locator("fieldset[data-question] input[type=radio]:checked").evaluateAll(
    (inputs) => inputs.map((input) => input.closest("fieldset").getAttribute("data-question") + "=" + input.value));
  const overall = (await page.locator(".checklist-overall").textContent()).match(/\d+/)[0];
  const verdict = (await page.locator(".checklist-verdict-title").textContent()).trim();
  return { checked: checked.sort(), overall, verdict };
}

test("answers given in English are there in Spanish, with the same result", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const guard = watch(page);
  try {
    await page.goto(server.url + "checklists/demo/");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    for (const [question, answer] of Object.entries(ANSWERS)) {
      await page.locator(`fieldset[data-question="${question}"] input[value="${answer}"]`).check();
    }
    const english = await state(page);
    assert.equal(english.checked.length, Object.keys(ANSWERS).length, JSON.stringify(english));
    assert.match(await page.locator(".checklist-report").textContent(), /Your result/);

    // The switcher by keyboard: focus its link and press Enter.
    const switcher = page.locator('.language-switcher a[hreflang="es"]');
    assert.equal(await switcher.getAttribute("lang"), "es");
    await switcher.focus();
    await Promise.all([page.waitForURL(/\/es\/checklists\/demo\/$/), page.keyboard.press("Enter")]);
    assert.equal(await page.getAttribute("html", "lang"), "es");

    const spanish = await state(page);
    assert.deepEqual(spanish.checked, english.checked, "the same answers");
    assert.equal(spanish.overall, english.overall, "the same overall score");
    assert.notEqual(spanish.verdict, english.verdict, "the verdict is in Spanish");
    const report = await page.locator(".checklist-report").textContent();
    assert.match(report, /Tu resultado/);
    assert.doesNotMatch(report, /Your result|out of 100/);
    assert.match(await page.locator(".checklist-result").textContent(), /Tu resultado está listo/);
    guard.check();
  } finally {
    await context.close();
  }
});

test("Spanish pages pass axe at 360 px", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const guard = watch(page);
  const found = [];
  try {
    for (const rel of ["es/", "es/guide/pay/", "es/checklists/demo/", "guide/hours/"]) {
      const res = await page.goto(server.url + rel);
      assert.equal(res.status(), 200, rel);
      const violations = await axeViolations(page);
      found.push(...violations.map((v) => `${rel}: ${v}`));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${rel} scrolls sideways at 360 px (${width} px)`);
    }
    assert.deepEqual(found, [], found.join("\n"));
    guard.check();
  } finally {
    await context.close();
  }
});

test("every page in both languages is valid HTML (W3C Nu HTML Checker, errors only)", () => {
  const pages = [];
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".html")) pages.push(p);
  });
  walk(out);
  assert.ok(pages.some((p) => p.includes(path.join("es", "checklists"))), pages.join(" "));
  const r = spawnSync(process.env.JAVA || "java", ["-jar", String(require("vnu-jar")), "--errors-only", "--format", "json", ...pages],
    { encoding: "utf8", timeout: 180000, maxBuffer: 64 * 1024 * 1024 });
  assert.ok(!r.error, String(r.error));
  const errors = JSON.parse(r.stderr).messages.map((m) => `${m.url}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, [], errors.join("\n"));
  assert.equal(r.status, 0);
});

test("a reader of the Spanish pages saves the Spanish pages ahead, not the English ones", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const guard = watch(page);
  try {
    await page.goto(server.url + "es/");
    await page.locator('[data-offline-status][data-state="ready"]').waitFor({ timeout: 30000 });
    const status = await page.locator("[data-offline-status]").textContent();
    assert.match(status, /sin conexión/, status);
    const saved = await page.evaluate(async () => {
      const name = (await caches.keys()).find((n) => n.startsWith("plumb-"));
      return (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    });
    for (const path of ["/es/", "/es/guide/pay/", "/es/checklists/demo/", "/404.html"]) {
      assert.ok(saved.includes(path), `${path} is saved: ${saved.join(" ")}`);
    }
    for (const path of ["/guide/pay/", "/guide/hours/", "/checklists/demo/"]) {
      assert.ok(!saved.includes(path), `${path} is not saved ahead: ${saved.join(" ")}`);
    }
    guard.check();
  } finally {
    await context.close();
  }
});
