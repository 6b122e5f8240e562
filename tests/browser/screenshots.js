#!/usr/bin/env node
// Screenshots of the shipped guide for humans to look at (not a test):
//   node tests/browser/screenshots.js [folder]        (default /tmp/plumb-shots)
// Builds the guide (`plumb build --root <repo>`, or PLUMB_GUIDE_ROOT), serves it with the strict
// CSP and saves, at a 390 px wide phone viewport, light and dark:
//   article-{light,dark}.png           an article, whole page
//   checklist-{light,dark}.png         the checklist page after answering, whole page
//   checklist-result-{light,dark}.png  just the answered checklist's result, control map and tools
// Prints the files written. Any page error, CSP violation or failed request is reported.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { REPO, PLUMB_BIN, serve, launch, watch, cleanup, tempDir } = require("./lib.js");

const ARTICLE = "guide/what-independence-means/";
const ID = "independence";
const CHECKLIST = "checklists/" + ID + "/";
const ANSWERS = [
  ["schedule", "pick-slots"], ["accept", "risky"], ["metrics", "not-sure"], ["costs", "me-not-priced"],
  ["injury", "not-sure"], ["leave", "not-sure"], ["notice", "short-warning"], ["appeal", "form-only"],
  ["clients", "two-three"], ["switch", "limited"], ["price", "me"],
];

async function main() {
  const dest = path.resolve(process.argv[2] || "/tmp/plumb-shots");
  fs.mkdirSync(dest, { recursive: true });
  const out = path.join(tempDir("shots"), "out");
  execFileSync(PLUMB_BIN, ["build", "--root", process.env.PLUMB_GUIDE_ROOT || REPO, "--output-dir", out], { stdio: ["ignore", "ignore", "inherit"] });
  const server = await serve(out);
  const browser = await launch();
  const written = [], problems = [];
  try {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: scheme, reducedMotion: "reduce" });
      const page = await context.newPage();
      const guard = watch(page);
      const shot = async (name, target) => {
        const file = path.join(dest, `${name}-${scheme}.png`);
        if (target) await target.screenshot({ path: file });
        else await page.screenshot({ path: file, fullPage: true });
        written.push(file);
      };

      await page.goto(server.url + ARTICLE);
      await shot("article");

      await page.goto(server.url + CHECKLIST);
      await page.waitForSelector(".checklist-enhanced", { state: "attached", timeout: 5000 });
      for (const [q, v] of ANSWERS) {
        await page.locator(`label.checklist-option:has(input[name="checklist-${ID}-${q}"][value="${v}"])`).click();
      }
      await page.locator(".checklist-button-share").click();
      await page.locator(".checklist-share-field").waitFor({ state: "visible", timeout: 5000 });
      await page.mouse.move(0, 0);
      await shot("checklist");
      // The result, report and tools, from the live line down to the share field.
      const box = await page.evaluate(() => {
        const top = document.querySelector(".checklist-result").getBoundingClientRect();
        const bottom = document.querySelector(".checklist-tools").getBoundingClientRect();
        return { y: top.top + scrollY - 8, height: bottom.bottom - top.top + 16 };
      });
      const file = path.join(dest, `checklist-result-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: box.y, width: 390, height: box.height } });
      written.push(file);

      problems.push(...guard.problems.map((p) => `${scheme}: ${p}`));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
    cleanup();
  }
  for (const f of written) console.log(f);
  if (problems.length) {
    console.error("the pages reported problems:\n" + problems.join("\n"));
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  cleanup();
  process.exitCode = 1;
});
