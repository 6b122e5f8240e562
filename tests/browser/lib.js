// Shared helpers for plumb's headless-browser tests (node:test + playwright-core driving the
// system Chromium). Nothing here downloads a browser.
//
//   buildFixture(name, {baseUrl})  copy tests/fixtures/<name> to a temp dir (adding the plain
//                                  test theme when the fixture has no themes/), run `plumb build`,
//                                  return {root, out, stdout}
//   serve(dir, {prefix, headers})  static http server on 127.0.0.1:<random>, strict CSP by
//                                  default; returns {url, close}
//   launch()                       headless /usr/bin/chromium
//   watch(page)                    record page errors, CSP violations, console errors and
//                                  failed responses; watch(page).check() asserts there were none
//   cleanup()                      remove every temp dir made by buildFixture
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const http = require("node:http");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const { chromium } = require("playwright-core");

const REPO = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO, "tests", "fixtures");
const PLUMB_BIN = process.env.PLUMB_BIN || path.join(REPO, "target", "debug", "plumb");
const CHROMIUM = process.env.CHROMIUM_BIN || "/usr/bin/chromium";

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

const tempDirs = [];

function tempDir(tag) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "plumb-browser-" + tag + "-"));
  tempDirs.push(d);
  return d;
}

function cleanup() {
  while (tempDirs.length) fs.rmSync(tempDirs.pop(), { recursive: true, force: true });
}

// Copy a fixture site, add the plain test theme if it has none, build it.
function buildFixture(name, { baseUrl } = {}) {
  const src = path.join(FIXTURES, name);
  if (!fs.existsSync(path.join(src, "site.toml"))) throw new Error("no fixture site at " + src);
  if (!fs.existsSync(PLUMB_BIN)) throw new Error("plumb binary not found at " + PLUMB_BIN + " (run cargo build or set PLUMB_BIN)");
  const dir = tempDir(name);
  const root = path.join(dir, "site");
  const out = path.join(dir, "out");
  fs.cpSync(src, root, { recursive: true });
  if (!fs.existsSync(path.join(root, "themes"))) {
    fs.cpSync(path.join(FIXTURES, "_theme"), path.join(root, "themes", "plain"), { recursive: true });
  }
  const args = ["build", "--root", root, "--output-dir", out];
  if (baseUrl) args.push("--base-url", baseUrl);
  let stdout;
  try {
    stdout = execFileSync(PLUMB_BIN, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`plumb ${args.join(" ")} failed (status ${e.status}):\n${e.stdout || ""}${e.stderr || ""}`);
  }
  return { root, out, stdout };
}

function sendFile(res, file, status, headers, head) {
  const body = fs.readFileSync(file);
  res.writeHead(status, {
    ...headers,
    "Content-Type": TYPES[path.extname(file).toLowerCase()] || "application/octet-stream",
    "Content-Length": body.length,
    "Cache-Control": "no-store",
  });
  res.end(head ? undefined : body);
}

// Static server for `dir` under URL `prefix` on 127.0.0.1 (port chosen by the OS).
// Default headers include the strict CSP; pass {headers: {"Content-Security-Policy": null}} to drop it.
function serve(dir, { prefix = "/", headers = {} } = {}) {
  const base = path.resolve(dir);
  if (!prefix.startsWith("/")) prefix = "/" + prefix;
  if (!prefix.endsWith("/")) prefix += "/";
  const all = { "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", ...headers };
  for (const k of Object.keys(all)) if (all[k] == null) delete all[k];

  const notFound = (res, head) => {
    const page = path.join(base, "404.html");
    if (fs.existsSync(page)) return sendFile(res, page, 404, all, head);
    res.writeHead(404, { ...all, "Content-Type": "text/plain; charset=utf-8" });
    res.end(head ? undefined : "not found\n");
  };

  const server = http.createServer((req, res) => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) {
      res.writeHead(405, { ...all, Allow: "GET, HEAD" });
      return res.end();
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch (e) {
      return notFound(res, head);
    }
    if (pathname.includes("\0")) return notFound(res, head);
    // /sub (the prefix without its slash) redirects like a directory would.
    if (pathname + "/" === prefix) {
      res.writeHead(301, { ...all, Location: prefix });
      return res.end();
    }
    if (!pathname.startsWith(prefix)) return notFound(res, head);
    const rel = pathname.slice(prefix.length);
    const file = path.resolve(base, "." + path.sep + rel);
    if (file !== base && !file.startsWith(base + path.sep)) return notFound(res, head);
    let st;
    try { st = fs.statSync(file); } catch (e) { return notFound(res, head); }
    if (st.isDirectory()) {
      if (!pathname.endsWith("/")) {
        const u = new URL(req.url, "http://127.0.0.1");
        res.writeHead(301, { ...all, Location: u.pathname + "/" + u.search });
        return res.end();
      }
      const index = path.join(file, "index.html");
      if (!fs.existsSync(index)) return notFound(res, head);
      return sendFile(res, index, 200, all, head);
    }
    if (!st.isFile()) return notFound(res, head);
    return sendFile(res, file, 200, all, head);
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}${prefix}`,
        close: () => new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      });
    });
  });
}

const LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
}

// Collect everything that should make a test fail: uncaught errors, CSP violations,
// console errors, HTTP errors (the browser's own /favicon.ico probe excepted).
// `notFound`: URLs (a RegExp) that must answer 404 in the test; their 404 is not a problem.
function watch(page, { notFound = null } = {}) {
  const problems = [];
  const expected = (url) => notFound !== null && notFound.test(url);
  page.on("pageerror", (e) => problems.push("page error: " + (e && e.message)));
  page.on("console", (m) => {
    const text = m.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) problems.push("CSP violation: " + text);
    else if (m.type() === "error" && !/\/favicon\.ico$/.test((m.location() || {}).url || "")
      && !(expected((m.location() || {}).url || "") && / 404 /.test(text))) {
      problems.push("console error: " + text);
    }
  });
  page.on("response", (r) => {
    if (r.status() === 404 && expected(r.url())) return;
    if (r.status() >= 400 && !/\/favicon\.ico$/.test(new URL(r.url()).pathname)) {
      problems.push(`HTTP ${r.status()} for ${r.url()}`);
    }
  });
  page.on("requestfailed", (r) => {
    const f = r.failure();
    // Downloads are reported as aborted requests; they are not failures.
    if (f && /ERR_ABORTED/.test(f.errorText) && r.url().startsWith("blob:")) return;
    problems.push(`request failed: ${r.url()} (${f && f.errorText})`);
  });
  return {
    problems,
    check(extra = "") {
      assert.deepEqual(problems, [], "the page reported problems" + (extra ? " (" + extra + ")" : ""));
    },
  };
}

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

// axe-core's WCAG 2.2 AA violations on the page as it is now, one line each ("id: targets").
// axe is injected with page.evaluate: a devtools evaluation, not subject to the page's CSP.
async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, AXE_TAGS);
}

module.exports = { REPO, FIXTURES, PLUMB_BIN, CSP, buildFixture, serve, launch, watch, cleanup, tempDir, axeViolations };

// Copy a fixture site to a temp dir (removed by cleanup()), adding the plain test theme when the
// fixture has no themes/, without building it: for `plumb serve`, which builds in memory.
// Returns {dir, root}: the temp dir and the site's folder inside it.
function copyFixture(name) {
  const src = path.join(FIXTURES, name);
  if (!fs.existsSync(path.join(src, "site.toml"))) throw new Error("no fixture site at " + src);
  const dir = tempDir(name);
  const root = path.join(dir, "site");
  fs.cpSync(src, root, { recursive: true });
  if (!fs.existsSync(path.join(root, "themes"))) {
    fs.cpSync(path.join(FIXTURES, "_theme"), path.join(root, "themes", "plain"), { recursive: true });
  }
  return { dir, root };
}

module.exports.copyFixture = copyFixture;
