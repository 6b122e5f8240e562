// Site search (src/search/, src/assets/search.js, the guide theme's header) on the SHIPPED
// guide in headless Chromium: served over http with lib.js's strict CSP, offline after one
// visit, and from file:// in a `--portable` build with the same CSP as a <meta> element. In
// each, words of the articles find their pages with no CSP violation; `plumb serve` serves the
// index and writes it again when a page changes; and a one-typo query,
// the snippet's marks, the keyboard, axe, no JavaScript and print are checked once served.
// On the two-language fixture, each language's pages search their own language's index.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { pathToFileURL } = require("node:url");
const { REPO, PLUMB_BIN, CSP, serve, launch, watch, cleanup, tempDir, copyFixture } = require("./lib.js");
const { spawnServe } = require("./plumb-serve.js");

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

// Words of the guide's articles and a page each must find (its URL's end).
const WORDS = [
  ["deactivated", "/examples/multi-app-driver/"],
  ["shifts", "/guide/control-through-systems/"],
];

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  cleanup();
});

// The shipped guide built into a fresh temp folder; returns the output folder.
function buildGuide(extra = []) {
  const out = path.join(tempDir("search"), "out");
  const args = ["build", "--root", REPO, "--output-dir", out, ...extra];
  try {
    execFileSync(PLUMB_BIN, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`plumb ${args.join(" ")} failed (status ${e.status}):\n${e.stdout || ""}${e.stderr || ""}`);
  }
  return out;
}

// A context whose pages record every CSP violation in window.cspViolations.
async function newContext(options = {}) {
  const context = await browser.newContext(options);
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.cspViolations.push(e.violatedDirective + " " + e.blockedURI);
    });
  });
  return context;
}

const violations = (page) => page.evaluate(() => window.cspViolations);

// Types `query` in the search field and waits for the status to say what was found.
async function search(page, query) {
  const field = page.locator("[data-search] input");
  // Empty first, so the status read below answers this query, not the one before.
  await field.fill("");
  await page.waitForFunction(() => document.querySelector("[data-search-status]").textContent === "", null, { timeout: 10000 });
  await field.fill(query);
  await page.waitForFunction(() => document.querySelector("[data-search-status]").textContent !== "", null, { timeout: 10000 });
  return page.evaluate(() => ({
    status: document.querySelector("[data-search-status]").textContent,
    results: Array.from(document.querySelectorAll("[data-search-results] li"), (item) => ({
      href: item.querySelector("a").href,
      title: item.querySelector("a").textContent,
      marks: Array.from(item.querySelectorAll("mark"), (m) => m.textContent),
    })),
  }));
}

// Every word of WORDS finds its page among the results.
async function assertWordsFindTheirPages(page, where) {
  for (const [word, url] of WORDS) {
    const found = await search(page, word);
    assert.match(found.status, /^Results: \d+$/, `${where}: "${word}": ${found.status}`);
    assert.ok(found.results.some((r) => new URL(r.href).pathname.endsWith(url) || new URL(r.href).pathname.endsWith(url + "index.html")),
      `${where}: "${word}" finds ${url}: ${JSON.stringify(found.results.map((r) => r.href))}`);
  }
}

test("served under the strict CSP: words find their pages, a one-typo query too, the snippet marks the match", async () => {
  const out = buildGuide();
  const server = await serve(out);
  const context = await newContext();
  try {
    const page = await context.newPage();
    const guard = watch(page);
    await page.goto(server.url + "guide/");
    assert.ok(await page.getByRole("searchbox", { name: "Search" }).isVisible(), "the search field is shown once the script ran");
    await assertWordsFindTheirPages(page, "served");

    const exact = await search(page, "appeal");
    assert.ok(exact.results.length > 0, "appeal finds pages");
    assert.ok(exact.results[0].marks.some((m) => /^appeal/i.test(m)), "the snippet marks the match: " + JSON.stringify(exact.results[0]));
    const typo = await search(page, "apeal ");
    assert.deepEqual(typo.results.map((r) => r.href), exact.results.map((r) => r.href), "one typo finds the same pages");

    const prefix = await search(page, "deactiv");
    assert.ok(prefix.results.length > 0, "the start of a word finds pages while typing");
    const none = await search(page, "zzyzx");
    assert.equal(none.status, "No pages match “zzyzx”");
    assert.equal(await page.locator("[data-search-results]").isVisible(), false, "no results, no list");

    // A result leads to its heading's anchor on its page.
    const found = await search(page, "shifts");
    const first = page.locator("[data-search-results] a").first();
    const href = await first.getAttribute("href");
    await Promise.all([page.waitForURL(href), first.click()]);
    const anchor = new URL(href).hash.slice(1);
    if (anchor) assert.equal(await page.locator(`[id="${anchor}"]`).count(), 1, "the anchor is a heading of the page");
    assert.ok(found.results.length > 0);

    assert.deepEqual(await violations(page), [], "no CSP violation");
    guard.check("served");
  } finally {
    await context.close();
    await server.close();
  }
});

test("keyboard: / focuses the field, arrows move through results, Escape closes, Enter opens", async () => {
  const out = buildGuide();
  const server = await serve(out);
  const context = await newContext();
  try {
    const page = await context.newPage();
    const guard = watch(page);
    await page.goto(server.url);
    await page.locator("main").click();
    await page.keyboard.press("/");
    const focusedId = () => page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
    assert.equal(await focusedId(), "site-search-field", "/ focuses the search field");
    await page.keyboard.type("driver");
    await page.waitForSelector("[data-search-results] li a", { timeout: 10000 });
    const links = await page.locator("[data-search-results] a").evaluateAll((all) => all.map((a) => a.href));
    assert.ok(links.length >= 2, "several results for driver");
    const focusedHref = () => page.evaluate(() => document.activeElement.href || null);
    await page.keyboard.press("ArrowDown");
    assert.equal(await focusedHref(), links[0], "ArrowDown moves to the first result");
    await page.keyboard.press("ArrowDown");
    assert.equal(await focusedHref(), links[1], "ArrowDown moves to the next result");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    assert.equal(await focusedId(), "site-search-field", "ArrowUp from the first result returns to the field");
    await page.keyboard.press("Escape");
    assert.equal(await page.locator("[data-search-results]").isVisible(), false, "Escape closes the results");
    await page.keyboard.type("shifts");
    await page.waitForSelector("[data-search-results] li a", { timeout: 10000 });
    const target = await page.locator("[data-search-results] a").first().evaluate((a) => a.href);
    await Promise.all([page.waitForURL(target), page.keyboard.press("Enter")]);
    assert.deepEqual(await violations(page), [], "no CSP violation");
    guard.check("keyboard");
  } finally {
    await context.close();
    await server.close();
  }
});

test("axe finds no violation with results shown, at a phone's width and on a desktop", async () => {
  const out = buildGuide();
  const server = await serve(out);
  try {
    for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 900 }]) {
      const context = await newContext({ viewport });
      const page = await context.newPage();
      await page.goto(server.url + "guide/");
      await search(page, "appeal");
      await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } })
        .then((r) => r.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "))), AXE_TAGS);
      assert.deepEqual(result, [], `axe at ${viewport.width} px`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `nothing scrolls sideways at ${viewport.width} px: ${overflow}`);
      await context.close();
    }
  } finally {
    await server.close();
  }
});

test("without JavaScript, and in print, the search field is hidden", async () => {
  const out = buildGuide();
  const server = await serve(out);
  try {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(server.url + "guide/");
    assert.equal(await page.locator("[data-search]").isVisible(), false, "hidden without JavaScript");
    assert.equal(await page.locator("a.nav-jump").count(), 1, "the contents link stays");
    await noScript.close();

    const context = await newContext();
    const printed = await context.newPage();
    await printed.goto(server.url + "guide/");
    assert.ok(await printed.locator("[data-search]").isVisible(), "shown on screen");
    await printed.emulateMedia({ media: "print" });
    assert.equal(await printed.locator("[data-search]").isVisible(), false, "hidden in print");
    await context.close();
  } finally {
    await server.close();
  }
});

test("offline after one visit: the worker saved the index, and words still find their pages", async () => {
  const out = buildGuide();
  const sw = fs.readFileSync(path.join(out, "sw.js"), "utf8");
  const saved = JSON.parse(/const FILES = (\[.*\]);/.exec(sw)[1]).map(([url]) => url);
  const index = fs.readdirSync(path.join(out, "search")).map((f) => "search/" + f);
  assert.ok(index.includes("search/index.js"), "the index has its manifest");
  for (const part of index) assert.ok(saved.includes(part), "the worker saves " + part + " ahead");

  const server = await serve(out);
  const origin = new URL(server.url).origin;
  const context = await newContext();
  try {
    const page = await context.newPage();
    const guard = watch(page);
    await page.goto(server.url);
    await page.waitForSelector('html[data-offline-state="ready"]', { state: "attached", timeout: 20000 });
    await server.close();
    await context.setOffline(true);
    const response = await page.goto(origin + "/guide/");
    assert.ok(response.fromServiceWorker(), "the page came from the worker");
    await assertWordsFindTheirPages(page, "offline");
    assert.deepEqual(await violations(page), [], "no CSP violation");
    guard.check("offline");
  } finally {
    await context.close();
  }
});

test("file:// in a --portable build, under the strict CSP as a <meta>: words find their pages", async () => {
  const out = buildGuide(["--portable"]);
  // file:// has no headers: the same policy goes in every page (form-action and
  // frame-ancestors are not allowed in a <meta>).
  const policy = CSP.split("; ").filter((d) => !/^(form-action|frame-ancestors)/.test(d)).join("; ");
  const pagesOf = (dir) => fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".html")).map((e) => path.join(e.parentPath, e.name));
  for (const file of pagesOf(out)) {
    const html = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, html.replace("<head>", `<head><meta http-equiv="Content-Security-Policy" content="${policy}">`));
  }
  const context = await newContext();
  try {
    const page = await context.newPage();
    const guard = watch(page);
    const network = [];
    page.on("request", (r) => { if (!/^(file|data|blob):/.test(r.url())) network.push(r.url()); });
    await page.goto(pathToFileURL(path.join(out, "guide", "index.html")).href);
    // The policy is in force: a probe it forbids is reported (and then forgotten).
    await page.evaluate(() => fetch("data:,").catch(() => null));
    await page.waitForFunction(() => window.cspViolations.length > 0);
    assert.match((await violations(page))[0], /^connect-src data/, "the <meta> policy is enforced");
    await page.evaluate(() => { window.cspViolations = []; });
    await page.waitForTimeout(50);
    for (let i = guard.problems.length - 1; i >= 0; i--) if (/data:,/.test(guard.problems[i])) guard.problems.splice(i, 1);
    await assertWordsFindTheirPages(page, "file://");
    const first = page.locator("[data-search-results] a").first();
    const href = await first.getAttribute("href");
    assert.match(href, /^file:\/\/.*\/index\.html(#.*)?$/, "results link to files: " + href);
    await Promise.all([page.waitForURL(href), first.click()]);
    assert.deepEqual(await violations(page), [], "no CSP violation");
    assert.deepEqual(network, [], "nothing was requested over the network");
    guard.check("file://");
  } finally {
    await context.close();
  }
});

test("plumb serve serves the index, and a page's new word is found after its edit", async () => {
  const root = path.join(tempDir("search-serve"), "site");
  for (const part of ["site.toml", "content", "themes"]) fs.cpSync(path.join(REPO, part), path.join(root, part), { recursive: true });
  const server = await spawnServe(PLUMB_BIN, ["--root", root, "--port", "0"]);
  const context = await newContext();
  try {
    const page = await context.newPage();
    const guard = watch(page);
    await page.goto(server.url + "guide/");
    await assertWordsFindTheirPages(page, "plumb serve");

    // The watcher may start after the server answers: write the edit until a rebuild says so.
    const glossary = path.join(root, "content", "guide", "glossary.md");
    const edited = fs.readFileSync(glossary, "utf8") + "\nA zanzibar is a word no other page has.\n";
    const from = server.lines.length;
    const deadline = Date.now() + 20000;
    while (!server.lines.slice(from).some((l) => /glossary\.md: rebuilt/.test(l))) {
      assert.ok(Date.now() < deadline, "a rebuild for the edit:\n" + server.output());
      fs.writeFileSync(glossary, edited);
      await page.waitForTimeout(300);
    }
    await page.goto(server.url + "guide/");
    const found = await search(page, "zanzibar");
    assert.deepEqual(found.results.map((r) => new URL(r.href).pathname), ["/guide/glossary/"], "the edited page is found by its new word");
    assert.deepEqual(await violations(page), [], "no CSP violation");
    guard.check("plumb serve");
  } finally {
    await context.close();
    await server.stop();
  }
});

test("two languages: a Spanish page searches Spanish pages, an English page English ones, offline too", async () => {
  const { root, dir } = copyFixture("languages");
  fs.cpSync(path.join(REPO, "themes", "guide"), path.join(root, "themes", "guide"), { recursive: true });
  const out = path.join(dir, "out");
  execFileSync(PLUMB_BIN, ["build", "--root", root, "--output-dir", out], { stdio: ["ignore", "ignore", "pipe"] });
  const server = await serve(out);
  const origin = new URL(server.url).origin;
  const context = await newContext();
  const paths = (found) => found.results.map((r) => new URL(r.href).pathname);
  try {
    const page = await context.newPage();
    const guard = watch(page);
    await page.goto(server.url + "es/guide/");
    assert.equal(await page.getAttribute("html", "lang"), "es");
    await page.waitForSelector('html[data-offline-state="ready"]', { state: "attached", timeout: 20000 });
    // A Spanish reader saved the Spanish index ahead, and not the English one's parts.
    const cached = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((n) => n.startsWith("plumb-"));
      return (await (await caches.open(names[0])).keys()).map((r) => new URL(r.url).pathname);
    });
    for (const part of ["/es/search/index.js", "/es/search/terms-all.js", "/es/search/docs-0.js", "/search/index.js"]) {
      assert.ok(cached.includes(part), part + " is saved: " + cached);
    }
    assert.ok(!cached.includes("/search/terms-all.js"), "the English index's terms are not saved for a Spanish reader");

    // "guía" is one letter from "guide": one index for both found the English pages too.
    const spanish = await search(page, "guía");
    assert.ok(paths(spanish).includes("/es/guide/"), "guía finds the Spanish guide: " + paths(spanish));
    assert.ok(paths(spanish).every((p) => p.startsWith("/es/")), "no English page: " + paths(spanish));
    const plural = await search(page, "pagos ");
    assert.ok(paths(plural).includes("/es/guide/pay/"), "Spanish stemming: pagos finds El pago: " + paths(plural));

    await page.goto(server.url + "guide/");
    const english = await search(page, "guide");
    assert.ok(paths(english).includes("/guide/"), "guide finds the English guide: " + paths(english));
    assert.ok(paths(english).every((p) => !p.startsWith("/es/")), "no Spanish page: " + paths(english));

    await server.close();
    await context.setOffline(true);
    const response = await page.goto(origin + "/es/");
    assert.ok(response.fromServiceWorker(), "the Spanish home came from the worker");
    const offline = await search(page, "guía");
    assert.deepEqual(paths(offline), paths(spanish), "offline, the same Spanish results");
    assert.deepEqual(await violations(page), [], "no CSP violation");
    guard.check("two languages");
  } finally {
    await context.close();
    await server.close();
  }
});

test("a page with the word itself ranks above a page that has it only by a typo, even in a heading", async () => {
  const { root, dir } = copyFixture("languages");
  fs.cpSync(path.join(REPO, "themes", "guide"), path.join(root, "themes", "guide"), { recursive: true });
  // "pasos" is one letter from "pagos", which the tips page has.
  const write = (name, title, body) =>
    fs.writeFileSync(path.join(root, "content", "guide", name), `+++\ntitle = "${title}"\n+++\n${body}\n`);
  write("steps.md", "Next", "## Your next steps\n\nTalk to others.");
  write("steps.es.md", "Después", "## Sus próximos pasos\n\nHable con otros.");
  write("tips.md", "Tips", "Keep every pay slip.");
  write("tips.es.md", "Consejos", "Guarde los recibos de sus pagos.");
  // The site never writes "multas", only "multa"; "mulas" (mules) is one letter from "multas".
  write("fines.md", "Fines", "Pay the fine on time.");
  write("fines.es.md", "Sanciones", "Pague la multa a tiempo.");
  write("ranch.md", "Ranch", "## The ranch's mules\n\nThey rest.");
  write("ranch.es.md", "Rancho", "## Las mulas del rancho\n\nDescansan.");
  write("fees.md", "Fees", "The fine goes up.\n\n## Mules\n\nThey rest.");
  write("fees.es.md", "Cuotas", "La multa sube.\n\n## Las mulas\n\nDescansan.");
  const out = path.join(dir, "out");
  execFileSync(PLUMB_BIN, ["build", "--root", root, "--output-dir", out], { stdio: ["ignore", "ignore", "pipe"] });
  const server = await serve(out);
  const context = await newContext();
  try {
    const page = await context.newPage();
    const guard = watch(page);
    await page.goto(server.url + "es/guide/");
    const found = (await search(page, "pagos ")).results.map((r) => new URL(r.href).pathname);
    const tips = found.indexOf("/es/guide/tips/");
    const steps = found.indexOf("/es/guide/steps/");
    assert.ok(tips >= 0 && steps >= 0, "both pages are found: " + found);
    assert.ok(tips < steps, "the body's exact word ranks above the heading's typo: " + found);
    // A plural the site never wrote is its singular and an ending, not a typo.
    const plural = (await search(page, "multas ")).results.map((r) => new URL(r.href).pathname);
    const fines = plural.indexOf("/es/guide/fines/");
    const ranch = plural.indexOf("/es/guide/ranch/");
    assert.ok(fines >= 0 && ranch >= 0, "both pages are found: " + plural);
    assert.ok(fines < ranch, "multa and an ending ranks above the heading's typo: " + plural);
    // A page with the word shows the part that has it, not a part with only a typo of it.
    const fees = (await search(page, "multas ")).results.find((r) => new URL(r.href).pathname === "/es/guide/fees/");
    assert.ok(fees && !fees.title.includes("mulas"), "the fees page shows its part with multa: " + (fees && fees.title));
    guard.check("typo ranking");
  } finally {
    await context.close();
    await server.close();
  }
});
