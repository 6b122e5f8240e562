// The moving-in fixture in the default theme, in headless Chromium under the strict CSP: the
// pages that callouts, shortcodes, math and tags write pass axe-core (WCAG 2.2 AA tags) in
// light and dark at 360 px, and an alias's redirect page takes the reader to the page, with no
// script.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { REPO, PLUMB_BIN, copyFixture, serve, launch, watch, cleanup, axeViolations } = require("./lib.js");

const PAGES = ["pay/tips/", "pay/fees/", "pay/draft-notes/", "hours/", "tags/", "tags/pay/"];

let server, browser;

test.before(async () => {
  const { root, dir } = copyFixture("moving-in");
  fs.cpSync(path.join(REPO, "themes", "guide"), path.join(root, "themes", "guide"), { recursive: true });
  const out = path.join(dir, "out");
  execFileSync(PLUMB_BIN, ["build", "--drafts", "--root", root, "--output-dir", out], { stdio: ["ignore", "ignore", "pipe"] });
  server = await serve(out);
  browser = await launch();
});

test.after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  cleanup();
});

for (const scheme of ["light", "dark"]) {
  test(`callouts, shortcodes, math and tag pages pass axe in ${scheme} mode at 360 px`, async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 }, colorScheme: scheme });
    const page = await context.newPage();
    const guard = watch(page);
    const found = [];
    for (const rel of PAGES) {
      const res = await page.goto(server.url + rel);
      assert.equal(res.status(), 200, rel);
      const violations = await axeViolations(page);
      found.push(...violations.map((v) => `${rel}: ${v}`));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${rel} scrolls sideways at 360 px (${width} px)`);
    }
    assert.deepEqual(found, [], found.join("\n"));
    guard.check();
    await context.close();
  });
}

test("an alias sends the reader to the page, without a script", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + "old-tips/");
  await page.waitForURL(server.url + "pay/tips/", { timeout: 5000 });
  assert.equal(await page.locator("h1").textContent(), "Tips");
  await context.close();
});
