// Accessibility of the SHIPPED guide (this repository's site.toml, content/ and themes/guide/)
// in headless Chromium, served over http on 127.0.0.1 with lib.js's strict CSP:
//   - axe-core (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) on every HTML page of the build,
//     404.html included, at a phone (390x844) and a desktop (1280x900) viewport, and in the dark
//     colour scheme at the phone width; the checklist page also once answered (result, control
//     map, find-out list, tools and share link shown), light and dark;
//   - every page: exactly one h1, a skip link that is the first Tab stop and moves focus to #main;
//   - the checklist page: every Tab stop shows a focus indicator (computed outline/box-shadow
//     differ from the unfocused state), the indicator is not hidden under the sticky result bar
//     and its outline has >= 3:1 contrast with what is behind it; option rows, buttons and the
//     share field are at least 24x24 CSS px.
// axe is injected with page.evaluate(source): a devtools evaluation, not subject to the page's
// CSP (page.addScriptTag would be an inline script and is blocked). The first test proves axe
// actually runs and reports under the CSP.
// PLUMB_GUIDE_ROOT=<dir> builds another copy of the site instead (to try a theme fix first).
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { REPO, PLUMB_BIN, serve, launch, watch, cleanup, tempDir } = require("./lib.js");

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const ID = "independence";
const CHECKLIST = "checklists/" + ID + "/";

// Answers that show every part of the result: all three holders in the control map, not-sure
// answers (find-out list), both conditional questions (appeal after notice, switch after clients),
// findings and the risk map.
const ANSWERS = [
  ["schedule", "pick-slots"], ["accept", "risky"], ["metrics", "not-sure"], ["costs", "me-not-priced"],
  ["injury", "not-sure"], ["leave", "not-sure"], ["notice", "short-warning"], ["appeal", "form-only"],
  ["clients", "two-three"], ["switch", "limited"], ["price", "me"],
  // the rest, so the result (shown only once every question is answered) is there to check
  ["methods", "some-rules"], ["route", "suggested"], ["procedures", "few-rules"], ["discipline", "mixed"],
  ["overruns", "same-pay"], ["penalties", "some"], ["algorithm", "yes"], ["volume", "them"],
  ["negotiate", "rarely"], ["customers", "none"],
];

const SITE_ROOT = process.env.PLUMB_GUIDE_ROOT || REPO;

let browser, server, out, pages;

// All .html files under dir, as paths relative to it with "/" separators, sorted.
function htmlFiles(dir, rel = "") {
  const found = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? rel + "/" + e.name : e.name;
    if (e.isDirectory()) found.push(...htmlFiles(dir, r));
    else if (e.isFile() && e.name.endsWith(".html")) found.push(r);
  }
  return found.sort();
}

// "index.html" -> "", "guide/index.html" -> "guide/", "404.html" -> "404.html"
const urlPath = (file) => (file === "index.html" ? "" : file.endsWith("/index.html") ? file.slice(0, -"index.html".length) : file);

before(async () => {
  if (!fs.existsSync(PLUMB_BIN)) throw new Error("plumb binary not found at " + PLUMB_BIN + " (run cargo build or set PLUMB_BIN)");
  out = path.join(tempDir("guide-a11y"), "out");
  const args = ["build", "--root", SITE_ROOT, "--output-dir", out];
  try {
    execFileSync(PLUMB_BIN, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`plumb ${args.join(" ")} failed (status ${e.status}):\n${e.stdout || ""}${e.stderr || ""}`);
  }
  pages = htmlFiles(out).map(urlPath);
  server = await serve(out);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  cleanup();
});

// ---------------------------------------------------------------------------------------------
// Helpers

async function open(contextOptions) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  return { context, page, guard: watch(page) };
}

// watch(page).check(), except for the favicon fetch that Chromium cancels when a test moves on
// to the next page before it finished (net::ERR_ABORTED): that is the test's doing, not the page's.
function checkPage(guard, name) {
  const aborted = /^request failed: \S+\/icon\.svg \(net::ERR_ABORTED\)$/;
  for (let i = guard.problems.length - 1; i >= 0; i--) if (aborted.test(guard.problems[i])) guard.problems.splice(i, 1);
  guard.check(name);
}

async function gotoPage(page, rel) {
  const res = await page.goto(server.url + rel);
  assert.ok(res, "a response for /" + rel);
  assert.equal(res.status(), 200, "status of /" + rel);
  if (rel === CHECKLIST) await page.waitForSelector(`[data-checklist="${ID}"].checklist-enhanced`, { state: "attached", timeout: 5000 });
}

// Inject axe (once per document) and run it; returns {violations, incomplete} in a printable shape.
async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object" && typeof window.axe.run === "function"))) {
    await page.evaluate(AXE_SOURCE);
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations", "incomplete"],
    });
    const shape = (list) => list.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html.slice(0, 160), summary: (n.failureSummary || "").replace(/\s+/g, " ").trim() })),
    }));
    return { violations: shape(r.violations), incomplete: shape(r.incomplete) };
  }, AXE_TAGS);
}

function formatViolations(where, violations) {
  const lines = [];
  for (const v of violations) {
    lines.push(`${where}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) lines.push(`    ${n.target}\n      ${n.html}\n      ${n.summary}`);
  }
  return lines;
}

const label = (page, q, v) => page.locator(`label.checklist-option:has(input[name="checklist-${ID}-${q}"][value="${v}"])`);

// Answer ANSWERS by clicking the option rows, then ask for the share link (shows the share field).
async function answerChecklist(page) {
  for (const [q, v] of ANSWERS) {
    await label(page, q, v).click();
    assert.equal(await page.locator(`input[name="checklist-${ID}-${q}"][value="${v}"]`).isChecked(), true, `${q}=${v} checked`);
  }
  await page.locator(".checklist-button-share").click();
  await page.locator(".checklist-share-field").waitFor({ state: "visible", timeout: 5000 });
  // Let colour transitions (a chosen row fades to its tint) end before anything measures colours.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), null, { timeout: 5000 });
}

async function assertResultShown(page) {
  for (const sel of [".checklist-result", ".checklist-report", ".checklist-verdict", ".checklist-map",
    ".checklist-holder-you", ".checklist-holder-shared", ".checklist-holder-platform", ".checklist-find-out",
    ".checklist-button-reset", ".checklist-button-share", ".checklist-share-field",
    'fieldset[data-question="appeal"]', 'fieldset[data-question="switch"]']) {
    assert.ok(await page.locator(sel).first().isVisible(), sel + " is shown");
  }
}

// ---------------------------------------------------------------------------------------------
// 0. The build and the injection work.

test("the build has the expected pages, and axe-core runs (and reports) under the strict CSP", async () => {
  assert.ok(pages.length >= 15, "at least 15 HTML pages: " + pages.join(" "));
  for (const p of ["", "404.html", CHECKLIST, "guide/"]) assert.ok(pages.includes(p), `the build has /${p}`);

  const { context, page, guard } = await open({ viewport: PHONE });
  try {
    await gotoPage(page, "guide/");
    const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get("content-security-policy"));
    assert.match(csp || "", /script-src 'self'/, "the page is served with the strict CSP");
    await page.evaluate(AXE_SOURCE);
    assert.equal(await page.evaluate(() => window.axe.version), require("axe-core/package.json").version, "axe loaded");
    // A deliberately broken control: axe must catch it, or a clean result would mean nothing.
    await page.evaluate(() => {
      const b = document.createElement("button");
      b.id = "a11y-probe";
      document.getElementById("main").appendChild(b);
    });
    const { violations } = await runAxe(page);
    assert.ok(violations.some((v) => v.id === "button-name" && v.nodes.some((n) => n.target === "#a11y-probe")),
      "axe reports the unnamed probe button: " + JSON.stringify(violations.map((v) => v.id)));
    checkPage(guard);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 1. axe on every page.

const RUNS = [
  ["phone, light", { viewport: PHONE, colorScheme: "light" }],
  ["desktop, light", { viewport: DESKTOP, colorScheme: "light" }],
  ["phone, dark", { viewport: PHONE, colorScheme: "dark" }],
];

for (const [name, options] of RUNS) {
  test(`axe: no WCAG 2.2 A/AA violations on any page (${name})`, async (t) => {
    const { context, page, guard } = await open(options);
    const problems = [], review = [];
    try {
      for (const rel of pages) {
        await gotoPage(page, rel);
        const { violations, incomplete } = await runAxe(page);
        problems.push(...formatViolations("/" + rel, violations));
        for (const v of incomplete) review.push(`/${rel}: ${v.id} (${v.nodes.length})`);
      }
      if (review.length) t.diagnostic("axe could not decide (needs review): " + review.join("; "));
      assert.equal(problems.length, 0, `axe violations (${name}):\n` + problems.join("\n"));
      checkPage(guard, name);
    } finally {
      await context.close();
    }
  });
}

for (const [name, options] of RUNS) {
  test(`axe: the answered checklist (result, control map, find-out list, tools) has no violations (${name})`, async () => {
    const { context, page, guard } = await open(options);
    try {
      await gotoPage(page, CHECKLIST);
      await answerChecklist(page);
      await assertResultShown(page);
      const { violations } = await runAxe(page);
      const problems = formatViolations("/" + CHECKLIST + " answered", violations);
      assert.equal(problems.length, 0, `axe violations (${name}):\n` + problems.join("\n"));
      checkPage(guard, name);
    } finally {
      await context.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 2. One h1, and a skip link first in Tab order that moves focus to #main.

for (const [name, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
  test(`every page: one h1, and a skip link that is the first Tab stop and moves focus to #main (${name})`, async () => {
    const { context, page, guard } = await open({ viewport });
    const problems = [];
    try {
      for (const rel of pages) {
        await gotoPage(page, rel);
        const where = "/" + rel;
        const s = await page.evaluate(() => {
          const h1 = Array.from(document.querySelectorAll("h1"));
          const main = document.querySelectorAll("#main");
          return {
            h1: h1.length,
            h1InMain: h1.every((h) => h.closest("main") !== null),
            h1Visible: h1.every((h) => h.getClientRects().length > 0),
            mains: main.length,
            mainTag: main.length ? main[0].tagName.toLowerCase() : null,
            sideways: document.scrollingElement.scrollWidth - innerWidth,
          };
        });
        if (s.h1 !== 1) problems.push(`${where}: ${s.h1} h1 elements`);
        else if (!s.h1InMain || !s.h1Visible) problems.push(`${where}: the h1 is not shown inside <main>`);
        if (s.sideways > 0) problems.push(`${where}: the page scrolls sideways by ${s.sideways}px`);
        if (s.mains !== 1 || s.mainTag !== "main") problems.push(`${where}: #main is not a single <main> (${s.mains}, ${s.mainTag})`);

        await page.keyboard.press("Tab");
        const first = await page.evaluate(() => {
          const a = document.activeElement, r = a.getBoundingClientRect();
          return {
            html: a.outerHTML.slice(0, 120),
            href: a.getAttribute("href"),
            text: (a.textContent || "").trim(),
            shown: r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
          };
        });
        if (first.href !== "#main" || !first.text) {
          problems.push(`${where}: the first Tab stop is not a skip link to #main: ${first.html}`);
          continue;
        }
        if (!first.shown) problems.push(`${where}: the focused skip link is not on screen`);
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => location.hash === "#main", null, { timeout: 2000 });
        // Focus moves to #main either by focusing it (tabindex=-1) or, as browsers do for a
        // fragment link to a non-focusable target, by moving the sequential focus navigation
        // starting point there: the next Tab must then land inside <main> (or after it).
        const onMain = await page.evaluate(() => document.activeElement === document.getElementById("main"));
        if (!onMain) {
          await page.keyboard.press("Tab");
          const next = await page.evaluate(() => {
            const a = document.activeElement, main = document.getElementById("main");
            const inOrAfter = main.contains(a) || !!(main.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
            return { ok: a !== document.body && inOrAfter, html: a.outerHTML.slice(0, 120) };
          });
          if (!next.ok) problems.push(`${where}: after the skip link, Tab goes to ${next.html}, not into <main>`);
        }
      }
      assert.equal(problems.length, 0, problems.join("\n"));
      checkPage(guard, name);
    } finally {
      await context.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 3. Focus indicators on the checklist page.

// Installed in the page: what the focus indicator of an element looks like now.
function installFocusProbe() {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || "");
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  // The colour behind an element's outline: the first opaque background among its ancestors.
  const behind = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a >= 0.99) return c;
    }
    return matchMedia("(prefers-color-scheme: dark)").matches ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
  };
  // The element and what may draw its focus ring (an option row draws it for its radio).
  const candidates = (el) => [el, el.closest("label"), el.parentElement].filter((e, i, all) => e && all.indexOf(e) === i);
  const look = (el) => candidates(el).map((c) => {
    const s = getComputedStyle(c), r = c.getBoundingClientRect();
    const oc = parse(s.outlineColor), bg = behind(c);
    return {
      outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} ${s.outlineOffset}`,
      outlineShown: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && !!oc && oc.a > 0,
      outlineContrast: oc ? Math.round(contrast(oc, bg) * 100) / 100 : 0,
      boxShadow: s.boxShadow,
      sized: r.width > 0 && r.height > 0,
    };
  });
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
    const extra = el.name ? `[name=${el.name}][value=${el.value}]` : "";
    return `${el.tagName.toLowerCase()}${id}${cls}${extra} "${(el.textContent || el.value || "").trim().slice(0, 40)}"`;
  };
  // Is the element's centre on screen and not covered by something else (the sticky result bar)?
  const visibleAt = (el) => {
    const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return "off screen";
    const hit = document.elementFromPoint(x, y);
    const owner = el.closest("label") || el;
    return hit && (hit === el || owner.contains(hit) || el.contains(hit)) ? "" : "covered by " + (hit ? describe(hit) : "nothing");
  };
  const settled = () => new Promise((resolve) => {
    let last = -1, same = 0;
    const step = () => {
      const y = scrollY + scrollX * 1e6;
      same = y === last ? same + 1 : 0;
      last = y;
      if (same >= 2) resolve(); else requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  window.__a11yFocus = { stops: [], look, describe, visibleAt, settled };
}

async function focusIndicatorProblems(page) {
  await page.evaluate(installFocusProbe);
  const stops = [];
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press("Tab");
    await page.evaluate(() => window.__a11yFocus.settled());
    const s = await page.evaluate(() => {
      const f = window.__a11yFocus, el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      if (f.stops.includes(el)) return { repeat: true };
      f.stops.push(el);
      return { what: f.describe(el), focusVisible: el.matches(":focus-visible"), look: f.look(el), hidden: f.visibleAt(el) };
    });
    if (!s || s.repeat) break;
    stops.push(s);
  }
  assert.ok(stops.length >= 20, "Tab went through the page: " + stops.length + " stops");
  // Now nothing focused: the same elements' styles without focus.
  const plain = await page.evaluate(() => {
    document.activeElement.blur();
    const f = window.__a11yFocus;
    return f.stops.map((el) => f.look(el));
  });
  const problems = [];
  stops.forEach((s, i) => {
    const shows = s.look.map((c, j) => {
      const u = plain[i][j];
      const changed = c.outline !== u.outline || c.boxShadow !== u.boxShadow;
      const drawn = c.sized && ((c.outlineShown && c.outline !== u.outline) || (c.boxShadow !== "none" && c.boxShadow !== u.boxShadow));
      return { changed, drawn, contrast: c.outlineShown ? c.outlineContrast : null };
    });
    const ring = shows.findIndex((x) => x.drawn);
    if (!s.focusVisible) problems.push(`${s.what}: focused by Tab but not :focus-visible`);
    const show = (looks) => looks.map((c) => `outline ${c.outline}, box-shadow ${c.boxShadow}`).join(" | ");
    if (ring < 0) problems.push(`${s.what}: no visible focus indicator (focused: ${show(s.look)}; not focused: ${show(plain[i])})`);
    else if (shows[ring].contrast !== null && shows[ring].contrast < 3) {
      problems.push(`${s.what}: focus outline contrast ${shows[ring].contrast}:1 against what is behind it (< 3:1): ${s.look[ring].outline}`);
    }
    if (s.hidden) problems.push(`${s.what}: focused but ${s.hidden}`);
  });
  return { stops, problems };
}

// reducedMotion: focus scrolls instantly instead of smoothly, so where things are on screen can be
// measured right after each Tab (the styles compared are the same either way).
for (const [name, options] of [["phone, light", { viewport: PHONE }], ["desktop, light", { viewport: DESKTOP }],
  ["phone, dark", { viewport: PHONE, colorScheme: "dark" }]]) {
  options.reducedMotion = "reduce";
  test(`checklist page: every Tab stop shows a focus indicator that is not hidden (${name})`, async (t) => {
    const { context, page, guard } = await open(options);
    try {
      await gotoPage(page, CHECKLIST);
      await answerChecklist(page);
      // Start again from the top with the answers restored and no mouse over anything; show the
      // share field without giving anything focus.
      await page.mouse.move(0, 0);
      await page.reload();
      await page.waitForSelector(".checklist-enhanced", { state: "attached" });
      await page.evaluate(() => document.querySelector(".checklist-button-share").click());
      await page.locator(".checklist-share-field").waitFor({ state: "visible", timeout: 5000 });
      await assertResultShown(page);
      const { stops, problems } = await focusIndicatorProblems(page);
      t.diagnostic(`${stops.length} Tab stops`);
      const want = [".skip-link", "checklist-independence-schedule", "checklist-button-reset", "checklist-button-print", "checklist-share-field"];
      for (const w of want) assert.ok(stops.some((s) => s.what.includes(w)), `Tab reaches ${w}`);
      assert.equal(problems.length, 0, problems.join("\n"));
      checkPage(guard, name);
    } finally {
      await context.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 4. Target size (WCAG 2.5.8): option rows, buttons and the share field are >= 24x24 CSS px.

for (const [name, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
  test(`checklist page: option rows, buttons and the share field are at least 24x24 px (${name})`, async () => {
    const { context, page, guard } = await open({ viewport });
    try {
      await gotoPage(page, CHECKLIST);
      await answerChecklist(page);
      const boxes = await page.evaluate(() => Array.from(document.querySelectorAll(
        "label.checklist-option, .checklist button, .checklist-share-field, .checklist input[type=radio]"))
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => {
          const r = e.getBoundingClientRect();
          const row = e.matches("input[type=radio]") ? e.closest("label.checklist-option") : null;
          const target = row ? row.getBoundingClientRect() : r;   // a radio's target is its whole row
          return { what: e.outerHTML.slice(0, 90), width: Math.round(target.width * 10) / 10, height: Math.round(target.height * 10) / 10 };
        }));
      assert.ok(boxes.filter((b) => b.what.startsWith("<label")).length >= 60, "option rows measured: " + boxes.length);
      assert.ok(boxes.filter((b) => b.what.startsWith("<button")).length >= 5, "tool buttons measured");
      const small = boxes.filter((b) => b.width < 24 || b.height < 24).map((b) => `${b.width}x${b.height}: ${b.what}`);
      assert.deepEqual(small, [], "targets smaller than 24x24 px");
      checkPage(guard, name);
    } finally {
      await context.close();
    }
  });
}
