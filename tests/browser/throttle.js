// A slow static server for the offline tests and measurements: a built site served on
// 127.0.0.1 as a phone on a weak signal would receive it.
//
//   throttled(dir, {bytesPerSecond, latency, gzip})  -> {url, requests, cut(), restore(), close(), sent()}
//
// - Every response body shares one link of `bytesPerSecond` (default 40 KB/s), after `latency`
//   ms (default 50) per request, in 1 KB chunks.
// - Text is gzip-compressed when the browser accepts it (as hosts do; `gzip: false` for a host
//   that does not), so byte counts are what a reader's phone would download.
// - Headers as a careful host sends them: the strict CSP, an ETag, `Cache-Control: no-cache`
//   (the browser keeps a copy and asks before reusing it); `If-None-Match` gets a 304.
// - `requests` logs every request ({path, status, bytes}); `cut()` drops every connection,
//   mid-transfer too, and refuses new ones until `restore()`, which listens again on the same
//   port (the same origin, so the service worker and its caches carry over).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const http = require("node:http");
const zlib = require("node:zlib");
const crypto = require("node:crypto");
const { CSP } = require("./lib.js");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".png": "image/png",
};
const TEXT = /\.(html|css|js|json|webmanifest|svg|xml|txt)$/;
const CHUNK = 1024;

function throttled(dir, { bytesPerSecond = 40 * 1024, latency = 50, gzip = true } = {}) {
  const base = path.resolve(dir);
  const requests = [];
  const sockets = new Set();
  let linkFreeAt = 0;
  let port = 0;
  let server = null;
  let totalSent = 0;

  // Sends `body` through the shared link, a chunk at a time.
  function sendSlowly(res, body) {
    let offset = 0;
    const next = () => {
      if (res.destroyed || res.socket === null) return;
      if (offset >= body.length) return res.end();
      const chunk = body.subarray(offset, offset + CHUNK);
      offset += chunk.length;
      const now = Date.now();
      const start = Math.max(now, linkFreeAt);
      linkFreeAt = start + (chunk.length * 1000) / bytesPerSecond;
      setTimeout(() => {
        if (res.destroyed) return;
        totalSent += chunk.length;
        res.write(chunk);
        next();
      }, linkFreeAt - now);
    };
    next();
  }

  function fileFor(pathname) {
    const file = path.resolve(base, "." + pathname);
    if (file !== base && !file.startsWith(base + path.sep)) return null;
    try {
      const stat = fs.statSync(file);
      if (stat.isDirectory()) return pathname.endsWith("/") ? fileFor(pathname + "index.html") : null;
      return stat.isFile() ? file : null;
    } catch (e) {
      return null;
    }
  }

  function handle(req, res) {
    const pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    const file = fileFor(pathname);
    const entry = { path: pathname, status: 404, bytes: 0 };
    requests.push(entry);
    setTimeout(() => {
      if (res.destroyed) return;
      let body = file ? fs.readFileSync(file) : Buffer.from("not found\n");
      const headers = { "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" };
      if (!file) {
        res.writeHead(404, { ...headers, "Content-Type": "text/plain" });
        return res.end(body);
      }
      const etag = '"' + crypto.createHash("sha1").update(body).digest("hex").slice(0, 16) + '"';
      headers.ETag = etag;
      headers["Content-Type"] = TYPES[path.extname(file)] || "application/octet-stream";
      if (req.headers["if-none-match"] === etag) {
        entry.status = 304;
        res.writeHead(304, headers);
        return res.end();
      }
      if (gzip && TEXT.test(file) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
        body = zlib.gzipSync(body);
        headers["Content-Encoding"] = "gzip";
        headers.Vary = "Accept-Encoding";
      }
      headers["Content-Length"] = body.length;
      entry.status = 200;
      entry.bytes = body.length;
      res.writeHead(200, headers);
      sendSlowly(res, body);
    }, latency);
  }

  function listen() {
    return new Promise((resolve, reject) => {
      server = http.createServer(handle);
      server.on("connection", (socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = server.address().port;
        resolve();
      });
    });
  }

  function stop() {
    if (!server) return Promise.resolve();
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => closing.close(() => resolve()));
  }

  return listen().then(() => ({
    url: `http://127.0.0.1:${port}/`,
    requests,
    sent: () => totalSent,
    cut: stop,
    restore: () => { linkFreeAt = 0; return listen(); },
    close: stop,
  }));
}

module.exports = { throttled };
