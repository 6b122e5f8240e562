// The test server of lib.js (no browser): the other browser tests rely on it serving a built
// site the way a static host would, with the strict CSP on every response.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const { buildFixture, serve, cleanup, CSP } = require("./lib.js");

let site, root, sub;

before(async () => {
  site = buildFixture("checklist");
  root = await serve(site.out);
  sub = await serve(site.out, { prefix: "/sub/", headers: { "X-Test": "1" } });
});

after(async () => {
  if (root) await root.close();
  if (sub) await sub.close();
  cleanup();
});

// Raw request so that "..", "%2e%2e" and friends reach the server unnormalized.
function get(base, rawPath) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    http.get({ host: u.hostname, port: u.port, path: rawPath }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { body += c; });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on("error", reject);
  });
}

test("serves directory URLs as index.html with the strict CSP and right content types", async () => {
  assert.match(root.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await get(root.url, "/guide/article/");
  assert.equal(page.status, 200);
  assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
  assert.equal(page.headers["content-security-policy"], CSP);
  assert.match(page.body, /data-checklist="demo"/);

  const css = /href="\.\.\/\.\.\/(style\.[0-9a-f]+\.css)"/.exec(page.body);
  const js = /src="\.\.\/\.\.\/(checklist\.[0-9a-f]+\.js)"/.exec(page.body);
  assert.ok(css && js, "the article links the stylesheet and the checklist script");
  const types = {
    ["/" + css[1]]: "text/css; charset=utf-8",
    ["/" + js[1]]: "text/javascript; charset=utf-8",
    "/sitemap.xml": "application/xml; charset=utf-8",
    "/robots.txt": "text/plain; charset=utf-8",
  };
  for (const [p, type] of Object.entries(types)) {
    const r = await get(root.url, p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers["content-type"], type, p);
    assert.equal(r.headers["content-security-policy"], CSP, p);
  }
  const redirect = await get(root.url, "/guide");
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, "/guide/");
});

test("missing files and paths escaping the folder get 404 with the site's 404 page", async () => {
  for (const p of ["/nope/", "/nope.css", "/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/guide/..%2f..%2f..%2fetc/passwd", "/%00"]) {
    const r = await get(root.url, p);
    assert.equal(r.status, 404, p);
    assert.match(r.body, /<h1>Not found<\/h1>/, p + " serves 404.html");
    assert.equal(r.headers["content-security-policy"], CSP, p);
  }
});

test("a URL prefix serves the site under it and nothing outside it", async () => {
  assert.match(sub.url, /^http:\/\/127\.0\.0\.1:\d+\/sub\/$/);
  const page = await get(sub.url, "/sub/guide/article/");
  assert.equal(page.status, 200);
  assert.equal(page.headers["x-test"], "1", "extra headers are sent");
  assert.equal(page.headers["content-security-policy"], CSP, "the CSP stays unless removed");
  assert.equal((await get(sub.url, "/guide/article/")).status, 404, "outside the prefix");
  assert.equal((await get(sub.url, "/sub")).headers.location, "/sub/");
});
