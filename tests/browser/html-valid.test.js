// HTML validity of the SHIPPED guide: every .html file of `plumb build --root <repo>` (404.html
// included) through the W3C Nu HTML Checker (npm package vnu-jar, run with the system Java).
// No Java is a failure, not a skip: scripts/test installs Debian's default-jre-headless.
// PLUMB_GUIDE_ROOT=<dir> builds another copy of the site instead (to try a theme fix first).
"use strict";
const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync, spawnSync } = require("node:child_process");
const { REPO, PLUMB_BIN, cleanup, tempDir } = require("./lib.js");

const VNU_JAR = String(require("vnu-jar"));
const JAVA = process.env.JAVA || "java";
const SITE_ROOT = process.env.PLUMB_GUIDE_ROOT || REPO;

after(cleanup);

function htmlFiles(dir) {
  const found = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) found.push(...htmlFiles(p));
    else if (e.isFile() && e.name.endsWith(".html")) found.push(p);
  }
  return found.sort();
}

// Runs vnu on the files; returns its messages (vnu writes the JSON report to stderr).
function vnu(files) {
  const r = spawnSync(JAVA, ["-jar", VNU_JAR, "--errors-only", "--format", "json", ...files],
    { encoding: "utf8", timeout: 180000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  let report;
  try {
    report = JSON.parse(r.stderr);
  } catch (e) {
    throw new Error(`vnu gave no JSON report (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, messages: report.messages };
}

test("Java is installed (the HTML checker needs it)", () => {
  const r = spawnSync(JAVA, ["-version"], { encoding: "utf8" });
  assert.ok(!r.error, `\`${JAVA} -version\` failed (${r.error && r.error.code}): install a Java runtime ` +
    "(scripts/test installs Debian's default-jre-headless) or set JAVA");
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.existsSync(VNU_JAR), "vnu.jar at " + VNU_JAR + " (npm ci)");
});

test("the checker reports invalid HTML (so a clean result means something)", () => {
  const dir = tempDir("vnu-probe");
  const bad = path.join(dir, "bad.html");
  fs.writeFileSync(bad, '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p id="a" id="a"><div></p></body></html>\n');
  const { status, messages } = vnu([bad]);
  assert.notEqual(status, 0, "vnu exits non-zero on errors");
  assert.ok(messages.some((m) => m.type === "error" && /Duplicate attribute/.test(m.message)), JSON.stringify(messages));
});

test("every HTML page of the shipped guide is valid (W3C Nu HTML Checker, errors only)", () => {
  if (!fs.existsSync(PLUMB_BIN)) throw new Error("plumb binary not found at " + PLUMB_BIN + " (run cargo build or set PLUMB_BIN)");
  const out = path.join(tempDir("guide-html"), "out");
  const args = ["build", "--root", SITE_ROOT, "--output-dir", out];
  try {
    execFileSync(PLUMB_BIN, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`plumb ${args.join(" ")} failed (status ${e.status}):\n${e.stdout || ""}${e.stderr || ""}`);
  }
  const files = htmlFiles(out);
  assert.ok(files.length >= 15, "at least 15 pages: " + files.length);
  assert.ok(files.includes(path.join(out, "404.html")), "404.html is checked");

  const { status, messages } = vnu(files);
  const errors = messages.filter((m) => m.type === "error" || m.type === "non-document-error");
  const lines = errors.map((m) => {
    const file = m.url ? path.relative(out, decodeURIComponent(m.url.replace(/^file:/, ""))) : "?";
    return `${file}:${m.lastLine || "?"}:${m.firstColumn || m.lastColumn || "?"}: ${m.message}${m.extract ? `\n    ${m.extract.replace(/\n/g, "⏎")}` : ""}`;
  });
  assert.equal(lines.length, 0, `vnu found ${lines.length} error(s) in ${files.length} files:\n` + lines.join("\n"));
  assert.equal(status, 0, "vnu exit status");
});
