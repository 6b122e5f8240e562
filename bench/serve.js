#!/usr/bin/env node
// plumb serve's edit-to-reload latency on the 10,000-page corpus.
//
// usage: node --experimental-websocket bench/serve.js [--pages 25] [--templates 5]
//        (node 22+ needs no flag; without WebSocket at all, a minimal client on `net` is used)
//
// Generates the corpus if missing (bench/corpus.py, into
// bench/corpus/10000, the layout bench/run uses, with themes/guide copied from the repo), starts
// `target/release/plumb serve --port 0` on it (or $PLUMB_BIN), follows the live-reload websocket
// like a page does, then:
//   - page edits: writes a new line into a page's body (alternating between two pages), timing
//     from just before the write to the `reload` message, then checks over HTTP that the page
//     shows the new line;
//   - template edits: appends a comment to themes/guide/templates/page.html (a full rebuild),
//     timed the same way.
// Prints min/median/max of each (ms), what the server itself reported for each rebuild, and the
// machine's core count; restores the corpus files at the end (also on Ctrl-C or failure).
// Exits 1 when the median page edit misses the target (30 ms).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const net = require("node:net");
const path = require("node:path");
const crypto = require("node:crypto");
const { execFileSync } = require("node:child_process");
const { spawnServe } = require("../tests/browser/plumb-serve.js");
const { performance } = require("node:perf_hooks");

const REPO = path.resolve(__dirname, "..");
const SIZE = 10000;
const CORPUS_ROOT = path.join(REPO, "bench", "corpus", String(SIZE));
const SITE = path.join(CORPUS_ROOT, "plumb");
const PLUMB = process.env.PLUMB_BIN || path.join(REPO, "target", "release", "plumb");
const GEN = path.join(REPO, "bench", "corpus.py");
const TARGET_MEDIAN_MS = 30;

function option(name, fallback) {
  const i = process.argv.indexOf("--" + name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const PAGE_EDITS = option("pages", 25);
const TEMPLATE_EDITS = option("templates", 5);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- setup ----------------------------------------------------------------------------------

function newestSource() {
  let newest = { path: null, mtime: 0 };
  const visit = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else if (st.mtimeMs > newest.mtime) newest = { path: p, mtime: st.mtimeMs };
  };
  for (const p of ["src", "Cargo.toml", "Cargo.lock"]) if (fs.existsSync(path.join(REPO, p))) visit(path.join(REPO, p));
  return newest;
}

function ensureCorpus() {
  if (!fs.existsSync(path.join(SITE, "site.toml"))) {
    // bench/run generates bench/corpus/N only when the folder is missing, and then for all its
    // engines: create the folder the same way, so that bench/run still finds its peers' sites.
    const engines = fs.existsSync(CORPUS_ROOT) ? ["plumb"] : ["plumb", "hugo", "mdbook"];
    console.log(`generating the ${SIZE}-page corpus (${engines.join(", ")}) in ${path.relative(REPO, CORPUS_ROOT)} ...`);
    execFileSync("python3", [GEN, String(SIZE), CORPUS_ROOT, ...engines], { stdio: ["ignore", "ignore", "inherit"] });
  }
  const theme = path.join(SITE, "themes", "guide");
  if (!fs.existsSync(theme)) fs.cpSync(path.join(REPO, "themes", "guide"), theme, { recursive: true });
}

// ---- the server -----------------------------------------------------------------------------

async function startServer() {
  const t0 = performance.now();
  const server = await spawnServe(PLUMB, ["--root", SITE, "--port", "0"], { timeout: 600000 });
  server.startup = performance.now() - t0;
  const built = server.lines.map((l) => /Built in (\d+) ms/.exec(l)).find(Boolean);
  server.built = built && Number(built[1]);
  return server;
}

function peakMemoryMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch (e) {
    return null;
  }
}

// ---- the websocket (as live.js follows it) ---------------------------------------------------

// Calls onMessage(text, receivedAt) for each text message. Uses the built-in WebSocket when
// there is one, else a minimal client (RFC 6455: handshake, unmasked server frames, no sending).
function follow(url, onMessage) {
  const wsUrl = url.replace(/^http/, "ws") + "__plumb/socket";
  if (typeof globalThis.WebSocket === "function") {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      ws.onmessage = (e) => onMessage(String(e.data), performance.now());
      ws.onopen = () => resolve({ kind: "built-in WebSocket", close: () => ws.close() });
      ws.onerror = () => reject(new Error("websocket error"));
    });
  }
  return new Promise((resolve, reject) => {
    const u = new URL(wsUrl);
    const key = crypto.randomBytes(16).toString("base64");
    const socket = net.connect(Number(u.port), u.hostname);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let open = false;
    let fragments = [];
    socket.on("connect", () => {
      socket.write(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      const receivedAt = performance.now();
      buffer = Buffer.concat([buffer, chunk]);
      if (!open) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString("latin1");
        const accept = crypto.createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
        if (!/^HTTP\/1\.1 101/.test(head) || !head.includes(accept)) {
          return reject(new Error("websocket handshake failed:\n" + head));
        }
        open = true;
        buffer = buffer.subarray(end + 4);
        resolve({ kind: "minimal net client", close: () => socket.destroy() });
      }
      for (;;) {
        if (buffer.length < 2) return;
        const fin = buffer[0] & 0x80;
        const opcode = buffer[0] & 0x0f;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 0x1 || opcode === 0x0) {
          fragments.push(payload);
          if (fin) {
            onMessage(Buffer.concat(fragments).toString("utf8"), receivedAt);
            fragments = [];
          }
        } else if (opcode === 0x8) {
          socket.destroy();
          return;
        } else if (opcode === 0x9) {
          // ping: answer with a masked pong carrying the same payload
          const mask = crypto.randomBytes(4);
          const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
          socket.write(Buffer.concat([Buffer.from([0x8a, 0x80 | masked.length]), mask, masked]));
        }
      }
    });
  });
}

// ---- measuring ----------------------------------------------------------------------------

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { n: s.length, min: s[0], median, max: s[s.length - 1] };
}

function show(name, values) {
  if (!values.length) return NaN;
  const { n, min, median, max } = stats(values);
  const f = (v) => v.toFixed(1).padStart(7);
  console.log(`  ${name.padEnd(34)} n=${String(n).padStart(2)}  min ${f(min)}  median ${f(median)}  max ${f(max)}  (ms)`);
  return median;
}

async function main() {
  if (!fs.existsSync(PLUMB)) throw new Error(`no plumb binary at ${PLUMB} (cargo build --release, or set PLUMB_BIN)`);
  const newest = newestSource();
  const binaryTime = fs.statSync(PLUMB).mtimeMs;
  ensureCorpus();

  const pages = ["content/section-001/page-00001.md", "content/section-050/page-04901.md"];
  const urls = ["section-001/page-00001/", "section-050/page-04901/"];
  const template = "themes/guide/templates/page.html";
  const originals = new Map([...pages, template].map((rel) => [rel, fs.readFileSync(path.join(SITE, rel))]));
  const restore = () => {
    for (const [rel, bytes] of originals) {
      const file = path.join(SITE, rel);
      if (!fs.readFileSync(file).equals(bytes)) fs.writeFileSync(file, bytes);
    }
  };

  let server;
  let socket;
  const interrupted = () => { restore(); if (server) server.proc.kill("SIGKILL"); process.exit(130); };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  try {
    server = await startServer();
    const messages = [];
    let waiter = null;
    socket = await follow(server.url, (text, at) => {
      const message = { ...JSON.parse(text), at };
      messages.push(message);
      if (waiter && waiter.test(message)) { const w = waiter; waiter = null; w.resolve(message); }
    });
    // The next message that is not a hello, or a timeout.
    const next = (timeout = 60000) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => { waiter = null; reject(new Error(`no message within ${timeout} ms`)); }, timeout);
      waiter = { test: (m) => m.kind !== "hello", resolve: (m) => { clearTimeout(timer); resolve(m); } };
    });
    await (async () => { const t = Date.now(); while (!messages.some((m) => m.kind === "hello")) { if (Date.now() - t > 10000) throw new Error("no hello"); await sleep(10); } })();

    const check = async (url, needle) => {
      const res = await fetch(server.url + url);
      const body = await res.text();
      if (res.status !== 200 || !body.includes(needle)) throw new Error(`${url}: ${res.status}, ${JSON.stringify(needle)} ${body.includes(needle) ? "present" : "missing"}`);
    };
    await check(urls[0], ">Page 1<");
    await check(urls[1], ">Page 4901<");

    // One edit waits for: it must rebuild and reload. Returns ms from just before the write.
    let serial = 0;
    const edit = async (rel, text, expect = "reload") => {
      const pending = next();
      const t0 = performance.now();
      fs.writeFileSync(path.join(SITE, rel), text);
      const message = await pending;
      if (message.kind !== expect) throw new Error(`${rel}: expected "${expect}", got ${JSON.stringify(message)}\n${server.lines.slice(-5).join("\n")}\n${server.stderr}`);
      return message.at - t0;
    };
    const pageText = (i, token) => originals.get(pages[i]).toString("utf8").trimEnd() + `\n\nBench edit ${token}.\n`;

    // Warm-up (not counted), and proof that the watcher is running ("Serving" is printed before
    // it starts): retry until an edit gets its reload.
    for (let tries = 0; ; tries++) {
      try {
        const pending = next(1000);
        fs.writeFileSync(path.join(SITE, pages[0]), pageText(0, `warm-up ${tries}`));
        await pending;
        break;
      } catch (e) {
        if (tries > 20) throw new Error("the server never reloaded after an edit\n" + server.lines.join("\n"));
      }
    }
    await sleep(100);

    const pageTimes = [];
    const pageServer = [];
    for (let n = 0; n < PAGE_EDITS; n++) {
      const i = n % 2;
      const token = `${++serial}-${crypto.randomBytes(4).toString("hex")}`;
      const from = server.lines.length;
      pageTimes.push(await edit(pages[i], pageText(i, token)));
      await check(urls[i], `Bench edit ${token}.`);
      const line = server.lines.slice(from).find((l) => / in \d+ ms$/.test(l)) || "";
      if (!/rebuilt 1 page in/.test(line)) throw new Error("a body edit rebuilt more than its page: " + line);
      pageServer.push(Number(/ in (\d+) ms$/.exec(line)[1]));
      await sleep(50);
    }

    const templateTimes = [];
    const templateServer = [];
    let templateText = originals.get(template).toString("utf8");
    for (let n = 0; n < TEMPLATE_EDITS; n++) {
      templateText += `\n{# plumb bench ${++serial} #}`;
      const from = server.lines.length;
      templateTimes.push(await edit(template, templateText));
      const line = server.lines.slice(from).find((l) => / in \d+ ms$/.test(l)) || "";
      if (!/rebuilt everything/.test(line)) throw new Error("a template edit did not rebuild everything: " + line);
      templateServer.push(Number(/ in (\d+) ms$/.exec(line)[1]));
      await sleep(100);
    }
    const memory = peakMemoryMb(server.proc.pid);

    // Restore, and wait for the server to take the originals back (checks they build).
    const pending = next(120000);
    restore();
    await pending;

    console.log(`plumb serve: edit-to-reload latency, ${SIZE}-page corpus (${path.relative(REPO, SITE)})`);
    console.log(`machine: ${os.cpus().length} cores (${os.availableParallelism ? os.availableParallelism() : "?"} available), ` +
      `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, node ${process.version}, websocket: ${socket.kind}`);
    console.log(`binary: ${path.relative(REPO, PLUMB)} built ${new Date(binaryTime).toISOString()}` +
      (newest.mtime > binaryTime ? `  WARNING: older than ${path.relative(REPO, newest.path)} (${new Date(newest.mtime).toISOString()})` : " (newer than src/)"));
    console.log(`start-up: first build ${server.built} ms (server's count), "Serving" after ${server.startup.toFixed(0)} ms; peak memory ${memory ?? "?"} MB`);
    const median = show(`page edit -> reload (${PAGE_EDITS})`, pageTimes);
    show("  server's own rebuild time", pageServer);
    show(`template edit -> reload (${TEMPLATE_EDITS})`, templateTimes);
    show("  server's own rebuild time", templateServer);
    const ok = median <= TARGET_MEDIAN_MS;
    console.log(`target: median page edit <= ${TARGET_MEDIAN_MS} ms: ${ok ? "met" : "MISSED"} (${median.toFixed(1)} ms)`);
    if (!ok) process.exitCode = 1;
  } finally {
    restore();
    if (socket) socket.close();
    if (server) await server.stop();
    for (const [rel, bytes] of originals) {
      if (!fs.readFileSync(path.join(SITE, rel)).equals(bytes)) console.error(`WARNING: ${rel} was not restored`);
    }
    process.removeListener("SIGINT", interrupted);
    process.removeListener("SIGTERM", interrupted);
  }
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
