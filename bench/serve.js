#!/usr/bin/env node
// The dev server as an author lives it, on the 10,000-page corpus: from saving a file to the
// open page showing the change in a real browser, and the server's memory; `plumb serve` and
// `hugo server` measured in the same run.
//
// usage: node bench/serve.js [--edits 15] [--templates 5] [--no-hugo]
//
// Generates the corpus if missing (bench/corpus.py into bench/corpus/10000, the layout bench/run
// uses, with themes/guide copied from the repo). For each server: starts it on a free port,
// opens one page in headless Chromium (its live-reload script tells the server which page is
// open), scrolls down, then
//   - body edits: appends a new sentence to that page's markdown, timing from just before the
//     write to the moment the sentence is in the page's text;
//   - template edits: puts a new visible line after the content in the page template, timed the
//     same way.
// Also notes whether the page reloaded (plumb should update it in place) and kept its scroll
// position, and the server's resident memory after the first build and after the template
// edits (and its peak). Restores every edited file at the end (also on Ctrl-C or failure).
// Prints min/median/max (ms) and plumb's ratio to Hugo; exits 1 when a plumb median misses its
// budget (body edit 50 ms, template edit 150 ms, 400 MB resident after the template edits).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const net = require("node:net");
const path = require("node:path");
const { spawn, execFileSync } = require("node:child_process");
const { performance } = require("node:perf_hooks");
const { spawnServe } = require("../tests/browser/plumb-serve.js");
const { launch } = require("../tests/browser/lib.js");

const REPO = path.resolve(__dirname, "..");
const SIZE = 10000;
const CORPUS = path.join(REPO, "bench", "corpus", String(SIZE));
const PLUMB = process.env.PLUMB_BIN || path.join(REPO, "target", "release", "plumb");
const BUDGET = { body: 50, template: 150 };

const flag = (name) => process.argv.includes("--" + name);
function option(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const BODY_EDITS = option("edits", 15);
const TEMPLATE_EDITS = option("templates", 5);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the corpus -----------------------------------------------------------------------------

function ensureCorpus(engines) {
  const missing = engines.filter((e) => !fs.existsSync(path.join(CORPUS, e)));
  if (missing.length) {
    console.log(`generating the ${SIZE}-page corpus (${missing.join(", ")}) ...`);
    execFileSync("python3", [path.join(REPO, "bench", "corpus.py"), String(SIZE), CORPUS, ...missing],
      { stdio: ["ignore", "ignore", "inherit"] });
  }
  const theme = path.join(CORPUS, "plumb", "themes", "guide");
  if (!fs.existsSync(theme)) fs.cpSync(path.join(REPO, "themes", "guide"), theme, { recursive: true });
}

// What each server is, where its files are, and how an edit is written.
const ENGINES = {
  plumb: {
    site: path.join(CORPUS, "plumb"),
    page: "content/part-0001/note-000025.md",
    url: "part-0001/note-000025/",
    template: "themes/guide/templates/page.html",
    templateAnchor: "{{ page.content | safe }}",
    async start(site) {
      const server = await spawnServe(PLUMB, ["--root", site, "--port", "0"], { timeout: 600000 });
      return { url: server.url, pid: server.proc.pid, lines: server.lines, stop: () => server.stop(), output: () => server.output() };
    },
  },
  hugo: {
    site: path.join(CORPUS, "hugo"),
    page: "content/part-0001/note-000025.md",
    url: "part-0001/note-000025/",
    template: "layouts/_default/single.html",
    templateAnchor: "{{ .Content }}",
    async start(site) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/`;
      const proc = spawn("hugo", ["server", "--source", site, "--bind", "127.0.0.1", "--port", String(port),
        "--baseURL", url, "--appendPort=false"], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      proc.stdout.on("data", (d) => { out += d; });
      proc.stderr.on("data", (d) => { out += d; });
      const started = performance.now();
      while (!/Web Server is available/.test(out)) {
        if (proc.exitCode !== null) throw new Error("hugo server exited:\n" + out);
        if (performance.now() - started > 600000) throw new Error("hugo server did not start:\n" + out);
        await sleep(50);
      }
      return {
        url,
        pid: proc.pid,
        output: () => out,
        stop: () => new Promise((resolve) => {
          if (proc.exitCode !== null) return resolve();
          proc.once("exit", resolve);
          proc.kill("SIGTERM");
        }),
      };
    },
  },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function memoryMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

// ---- measuring ------------------------------------------------------------------------------

// Resolves to the time (node's clock) at which the page's text first holds `token`, polling as
// fast as the browser answers; a reload in between only makes a poll fail.
async function shownAt(page, token, timeout = 60000) {
  const deadline = performance.now() + timeout;
  for (;;) {
    const found = await page.evaluate((t) => document.body !== null && document.body.textContent.includes(t), token)
      .catch(() => false);
    if (found) return performance.now();
    if (performance.now() > deadline) throw new Error(`"${token}" was not shown within ${timeout} ms`);
  }
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length / 2;
  const median = s.length % 2 ? s[Math.floor(mid)] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, min: s[0], median, max: s[s.length - 1] };
}

function line(name, values) {
  const { n, min, median, max } = stats(values);
  const f = (v) => v.toFixed(1).padStart(7);
  return `  ${name.padEnd(30)} n=${String(n).padStart(2)}  min ${f(min)}  median ${f(median)}  max ${f(max)}  (ms)`;
}

// Starts `name`'s server, opens its page, edits, and returns what it measured.
async function measure(name, browser, restoreAll) {
  const engine = ENGINES[name];
  const file = (rel) => path.join(engine.site, rel);
  const originals = new Map([engine.page, engine.template].map((rel) => [rel, fs.readFileSync(file(rel), "utf8")]));
  restoreAll.push(() => {
    for (const [rel, text] of originals) if (fs.readFileSync(file(rel), "utf8") !== text) fs.writeFileSync(file(rel), text);
  });

  const t0 = performance.now();
  const server = await engine.start(engine.site);
  const startup = performance.now() - t0;
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  let reloads = 0;
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) reloads++; });
  try {
    await page.goto(server.url + engine.url, { waitUntil: "load" });
    await sleep(1000); // the live-reload socket connects and says which page is open
    const afterBuild = memoryMb(server.pid);
    await page.evaluate(() => window.scrollTo(0, 600));
    const scrollY = () => page.evaluate(() => Math.round(window.scrollY));
    const scrolled = await scrollY();

    let serial = 0;
    const timeEdit = async (rel, text, token) => {
      const before = reloads;
      const from = server.lines ? server.lines.length : 0;
      const start = performance.now();
      fs.writeFileSync(file(rel), text);
      const shown = await shownAt(page, token);
      // plumb prints one line per rebuild, ending "in N ms": the server's own count.
      const rebuilt = async () => {
        for (let i = 0; server.lines && i < 600; i++) {
          const done = server.lines.slice(from).map((l) => / in (\d+) ms$/.exec(l)).find(Boolean);
          if (done) return Number(done[1]);
          await sleep(50);
        }
        return null;
      };
      return { ms: shown - start, server: await rebuilt(), reloaded: reloads > before, scrollKept: (await scrollY()) === scrolled };
    };
    const run = async (count, edit) => {
      const results = [];
      // One warm-up edit, not counted: the first save after start-up also starts the watcher.
      for (let n = -1; n < count; n++) {
        const token = `Bench${process.pid}x${++serial}`;
        const result = await edit(token);
        if (n >= 0) results.push(result);
        await sleep(300);
      }
      return results;
    };
    const body = await run(BODY_EDITS, (token) =>
      timeEdit(engine.page, originals.get(engine.page).trimEnd() + `\n\nBench sentence ${token}.\n`, token));
    const template = await run(TEMPLATE_EDITS, (token) => {
      const text = originals.get(engine.template);
      if (!text.includes(engine.templateAnchor)) throw new Error(`${engine.template} has no ${engine.templateAnchor}`);
      return timeEdit(engine.template, text.replace(engine.templateAnchor, `${engine.templateAnchor}<p>Template ${token}</p>`), token);
    });
    await sleep(3000); // settled: the last rebuild has ended and the server idles
    const afterTemplates = memoryMb(server.pid);
    return { name, startup, afterBuild, afterTemplates, body, template };
  } catch (err) {
    console.error(server.output());
    throw err;
  } finally {
    await context.close();
    for (const [rel, text] of originals) fs.writeFileSync(file(rel), text);
    await server.stop();
  }
}

function report(r) {
  const kinds = (results) => {
    const reloaded = results.filter((x) => x.reloaded).length;
    const kept = results.filter((x) => x.scrollKept).length;
    return `reloaded ${reloaded}/${results.length}, scroll kept ${kept}/${results.length}`;
  };
  console.log(`${r.name}: ready after ${(r.startup / 1000).toFixed(1)} s; memory ${r.afterBuild.rss} MB after the first ` +
    `build, ${r.afterTemplates.rss} MB after the template edits, peak ${r.afterTemplates.peak} MB`);
  for (const [name, results] of [["body edit -> text shown", r.body], ["template edit -> shown", r.template]]) {
    console.log(line(name, results.map((x) => x.ms)) + `  ${kinds(results)}`);
    const own = results.map((x) => x.server).filter((x) => x !== null);
    if (own.length) console.log(line("  whole rebuild (server's count)", own));
  }
}

async function main() {
  if (!fs.existsSync(PLUMB)) throw new Error(`no plumb binary at ${PLUMB} (cargo build --release, or set PLUMB_BIN)`);
  const hugo = !flag("no-hugo");
  if (hugo) execFileSync("hugo", ["version"], { stdio: "ignore" });
  const names = hugo ? ["plumb", "hugo"] : ["plumb"];
  ensureCorpus(names);

  const restoreAll = [];
  const restore = () => restoreAll.forEach((f) => f());
  const interrupted = () => { restore(); process.exit(130); };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const browser = await launch();
  const results = [];
  try {
    for (const name of names) results.push(await measure(name, browser, restoreAll));
  } finally {
    restore();
    await browser.close();
  }

  console.log(`\nserver edit -> open page shows it, ${SIZE}-page corpus, headless Chromium at 360 px`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; ` +
    `plumb ${path.relative(REPO, PLUMB)}${hugo ? `; ${execFileSync("hugo", ["version"]).toString().split(" ")[1]}` : ""}`);
  results.forEach(report);
  const median = (r, kind) => stats(r[kind].map((x) => x.ms)).median;
  const [plumb, peer] = results;
  if (peer) {
    console.log(`plumb/hugo: body edit ${(median(plumb, "body") / median(peer, "body")).toFixed(2)}x, ` +
      `template edit ${(median(plumb, "template") / median(peer, "template")).toFixed(2)}x, ` +
      `memory after template edits ${(plumb.afterTemplates.rss / peer.afterTemplates.rss).toFixed(2)}x`);
  }
  const memoryOk = plumb.afterTemplates.rss <= 400;
  console.log(`budget: plumb memory after the template edits <= 400 MB: ${memoryOk ? "met" : "MISSED"}`);
  if (!memoryOk) process.exitCode = 1;
  for (const kind of ["body", "template"]) {
    const ok = median(plumb, kind) <= BUDGET[kind];
    console.log(`budget: plumb ${kind} edit median <= ${BUDGET[kind]} ms: ${ok ? "met" : "MISSED"}`);
    if (!ok) process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
