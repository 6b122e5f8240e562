#!/usr/bin/env node
// Search's budgets, measured (never asserted in tests: speed belongs here).
//
// usage: node bench/search.js [--pages 10000] [--runs 3]
//
// 1. The shipped guide: each language's index's and the script's gzip size, and a query's time
//    in headless Chromium on an English page (median of 50, the index already loaded).
// 2. A corpus of N pages (bench/corpus.py, the shipped theme): what a first search loads
//    (gzip size of the index parts it asked for), the first query's time once its parts are
//    loaded, and the build's wall time with and without search (median of --runs each).
// 3. mdBook on the same corpus (bench/corpus.py's mdBook book, with mdBook's search turned on
//    and its own theme): its build time, its `searchindex` size (gzip), the time from opening
//    the search bar to the index being ready, and each query's time with mdBook's own script
//    (typing the query, a keyup: elasticlunr's search and the results shown), beside
//    elasticlunr's search alone on the same index and options. `--no-mdbook` skips it.
// Uses target/release/plumb (built if missing), `mdbook` on the PATH and /usr/bin/chromium.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const zlib = require("node:zlib");
const { execFileSync } = require("node:child_process");
const { serve, launch } = require("../tests/browser/lib.js");

const REPO = path.resolve(__dirname, "..");
const PLUMB = path.join(REPO, "target", "release", "plumb");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf("--" + name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const PAGES = option("pages", 10000);
const RUNS = option("runs", 3);
const MDBOOK = !args.includes("--no-mdbook");
const QUERIES = ["appeal", "mileage", "deactivated", "driver schedule", "insurance repair"];

const gzipSize = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1) + " KB";
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function build(root, out) {
  const start = process.hrtime.bigint();
  execFileSync(PLUMB, ["build", "--root", root, "--output-dir", out, "--force"], { stdio: "ignore" });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Loads `url`, then for each query: the index parts its first run asked for, and the median
// time of `repeat` runs once they are loaded.
async function measureQueries(browser, url, repeat) {
  const page = await browser.newPage();
  const parts = [];
  page.on("request", (r) => { if (/\/search\/[^/]+\.js$/.test(r.url())) parts.push(new URL(r.url()).pathname); });
  await page.goto(url);
  await page.waitForFunction(() => window.plumbSearch && window.plumbSearch.query);
  const results = [];
  for (const query of QUERIES) {
    parts.length = 0;
    const first = await page.evaluate(async (q) => {
      const start = performance.now();
      const found = await window.plumbSearch.query(q);
      return { ms: performance.now() - start, count: found.results.length };
    }, query);
    const loaded = [...parts];
    const times = await page.evaluate(async ({ q, n }) => {
      const all = [];
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        await window.plumbSearch.query(q);
        all.push(performance.now() - start);
      }
      return all;
    }, { q: query, n: repeat });
    results.push({ query, loaded, firstMs: first.ms, ms: median(times), count: first.count });
  }
  await page.close();
  return results;
}

function report(results, out) {
  for (const r of results) {
    const bytes = r.loaded.reduce((sum, p) => sum + gzipSize(path.join(out, p.replace(/^\//, ""))), 0);
    console.log(`  "${r.query}": ${r.count} results; first search loaded ${r.loaded.length} parts, ${kb(bytes)} gzip ` +
      `(${r.firstMs.toFixed(1)} ms with loading); query once loaded: ${r.ms.toFixed(2)} ms`);
  }
}

// mdBook's book of the corpus in `corpus/mdbook`, with its search on and its own theme (the
// corpus's minimal layout has no search bar); returns the book's folder and its build time.
function buildMdbook(corpus) {
  const root = path.join(corpus, "mdbook");
  const toml = path.join(root, "book.toml");
  fs.writeFileSync(toml, fs.readFileSync(toml, "utf8").replace("[output.html.search]\nenable = false", "[output.html.search]\nenable = true"));
  fs.rmSync(path.join(root, "theme"), { recursive: true, force: true });
  const start = process.hrtime.bigint();
  execFileSync("mdbook", ["build"], { cwd: root, stdio: "ignore" });
  return { book: path.join(root, "book"), ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

// Opens the book's first page, opens the search bar (which loads the index) and times each
// query as a reader's keyup runs it through mdBook's script, and through elasticlunr alone.
async function measureMdbook(browser, url, repeat) {
  const page = await browser.newPage();
  await page.goto(url + "index.html");
  const start = Date.now();
  await page.click("#mdbook-search-toggle");
  await page.waitForFunction(() => window.search && window.search.index &&
    !document.querySelector("#mdbook-searchbar-outer").classList.contains("searching"), null, { timeout: 120000 });
  const loadMs = Date.now() - start;
  const results = [];
  for (const query of QUERIES) {
    results.push(await page.evaluate(({ q, n }) => {
      const bar = document.querySelector("#mdbook-searchbar");
      const type = (text) => {
        bar.value = text;
        const start = performance.now();
        bar.dispatchEvent(new KeyboardEvent("keyup"));
        return performance.now() - start;
      };
      // mdBook's script skips a query equal to the one before: the same words alternate in
      // lower and upper case (elasticlunr folds case, so both are the same search).
      const viaScript = [];
      for (let i = 0; i < n; i++) viaScript.push(type(i % 2 ? q.toUpperCase() : q));
      const count = document.querySelectorAll("#mdbook-searchresults > li").length;
      type("");
      const index = elasticlunr.Index.load(window.search.index);
      const alone = [];
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        index.search(q, window.search.search_options);
        alone.push(performance.now() - start);
      }
      const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      return { query: q, count, ms: median(viaScript), engineMs: median(alone) };
    }, { q: query, n: repeat }));
  }
  await page.close();
  return { loadMs, results };
}

async function main() {
  if (!fs.existsSync(PLUMB)) execFileSync("cargo", ["build", "--release", "--quiet"], { cwd: REPO, stdio: "inherit" });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "plumb-bench-search-"));
  const browser = await launch();
  try {
    // 1. The shipped guide.
    const guide = path.join(work, "guide");
    build(REPO, guide);
    const script = fs.readdirSync(guide).find((f) => /^search\.[0-9a-f]+\.js$/.test(f));
    console.log("shipped guide");
    // One index per language: the default's in search/, each other's in <code>/search/.
    const folders = ["search", ...fs.readdirSync(guide).map((f) => path.join(f, "search"))
      .filter((f) => fs.existsSync(path.join(guide, f)))];
    for (const folder of folders) {
      const index = fs.readdirSync(path.join(guide, folder)).map((f) => path.join(guide, folder, f));
      console.log(`  index in ${folder}/: ${index.length} files, ${kb(index.reduce((s, f) => s + gzipSize(f), 0))} gzip (budget 25 KB)`);
    }
    console.log(`  script: ${kb(gzipSize(path.join(guide, script)))} gzip (budget 4 KB)`);
    let server = await serve(guide);
    report(await measureQueries(browser, server.url + "guide/", 50), guide);
    await server.close();

    // 2. The corpus.
    const corpus = path.join(work, "corpus");
    execFileSync("python3", [path.join(REPO, "bench", "corpus.py"), String(PAGES), corpus, "plumb", "mdbook"], { stdio: "ignore" });
    const site = path.join(corpus, "plumb");
    fs.cpSync(path.join(REPO, "themes", "guide"), path.join(site, "themes", "guide"), { recursive: true });
    const toml = fs.readFileSync(path.join(site, "site.toml"), "utf8");
    const withSearch = [], withoutSearch = [];
    for (let run = 0; run < RUNS; run++) {
      fs.writeFileSync(path.join(site, "site.toml"), toml + "\n[search]\nenabled = false\n");
      withoutSearch.push(build(site, path.join(work, "off-" + run)));
      fs.writeFileSync(path.join(site, "site.toml"), toml);
      withSearch.push(build(site, path.join(work, "on-" + run)));
    }
    const out = path.join(work, "on-0");
    const files = fs.readdirSync(path.join(out, "search"));
    const total = files.reduce((s, f) => s + gzipSize(path.join(out, "search", f)), 0);
    const on = median(withSearch), off = median(withoutSearch);
    console.log(`\n${PAGES}-page corpus`);
    console.log(`  index: ${files.length} files, ${kb(total)} gzip in all`);
    console.log(`  build: ${(off / 1000).toFixed(2)} s without search, ${(on / 1000).toFixed(2)} s with ` +
      `(+${((on / off - 1) * 100).toFixed(1)} %, budget 10 %), median of ${RUNS}`);
    server = await serve(out);
    report(await measureQueries(browser, server.url, 20), out);
    await server.close();

    // 3. mdBook on the same corpus.
    if (MDBOOK) {
      const { book, ms } = buildMdbook(corpus);
      const files = fs.readdirSync(book);
      const index = files.find((f) => /^searchindex.*\.js$/.test(f));
      const scripts = files.filter((f) => /^(searcher|elasticlunr|mark).*\.js$/.test(f));
      console.log(`\nmdBook ${execFileSync("mdbook", ["--version"], { encoding: "utf8" }).trim()}, same corpus`);
      console.log(`  build: ${(ms / 1000).toFixed(2)} s (one run)`);
      console.log(`  index: ${index}, ${kb(fs.statSync(path.join(book, index)).size)}, ${kb(gzipSize(path.join(book, index)))} gzip, ` +
        `loaded whole by the first search; its scripts ${kb(scripts.reduce((s, f) => s + gzipSize(path.join(book, f)), 0))} gzip`);
      // mdBook's pages run inline scripts: served without plumb's strict CSP.
      server = await serve(book, { headers: { "Content-Security-Policy": null } });
      const mdbook = await measureMdbook(browser, server.url, 20);
      await server.close();
      console.log(`  opening the search bar to the index ready: ${mdbook.loadMs} ms`);
      for (const r of mdbook.results) {
        console.log(`  "${r.query}": ${r.count} results shown; query with its script: ${r.ms.toFixed(2)} ms, ` +
          `elasticlunr's search alone: ${r.engineMs.toFixed(2)} ms`);
      }
    }
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
