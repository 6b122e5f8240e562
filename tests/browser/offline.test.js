// Offline support in headless Chromium: the service worker (src/assets/sw.js) precaching a build,
// the page script (src/assets/offline.js) registering it and offering an update, the manifest,
// and `plumb build --portable` read from file://. Sites are served over http on 127.0.0.1 with
// the strict CSP of lib.js; "offline" means both context.setOffline(true) and the server closed,
// so nothing can come from the network.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { pathToFileURL } = require("node:url");
const { REPO, FIXTURES, PLUMB_BIN, buildFixture, serve, launch, watch, cleanup, tempDir } = require("./lib.js");
const { throttled } = require("./throttle.js");

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  cleanup();
});

// ---------------------------------------------------------------------------------------------
// Helpers

function plumb(args) {
  if (!fs.existsSync(PLUMB_BIN)) throw new Error("plumb binary not found at " + PLUMB_BIN);
  try {
    return execFileSync(PLUMB_BIN, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    throw new Error(`plumb ${args.join(" ")} failed (status ${e.status}):\n${e.stdout || ""}${e.stderr || ""}`);
  }
}

// The shipped guide (the repository root is the site) built into a fresh temp folder.
// Returns the output folder; `buildGuide.stdout` keeps the last build's summary line.
function buildGuide(extra = []) {
  const out = path.join(tempDir("guide"), "out");
  buildGuide.stdout = plumb(["build", "--root", REPO, "--output-dir", out, ...extra]);
  return out;
}

// Copy a fixture (adding the plain test theme, as buildFixture does) without building it.
function copyFixture(name, dir) {
  const root = path.join(dir, "site");
  fs.cpSync(path.join(FIXTURES, name), root, { recursive: true });
  if (!fs.existsSync(path.join(root, "themes"))) {
    fs.cpSync(path.join(FIXTURES, "_theme"), path.join(root, "themes", "plain"), { recursive: true });
  }
  return root;
}

// The cache name and the lists written into a build's sw.js: `entries` (url, revision, bytes,
// page) saved ahead, in the order of saving; `files`, their URLs; `unsaved`, the URLs never saved.
function workerInfo(swText) {
  const cache = /const CACHE = "plumb-" \+ "([0-9a-f]+)";/.exec(swText);
  const list = /const FILES = (\[.*\]);/.exec(swText);
  const unsaved = /const UNSAVED = (\[.*\]);/.exec(swText);
  const languages = /const LANGUAGES = (\[.*\]);/.exec(swText);
  assert.ok(cache && list && unsaved && languages, "sw.js names its cache and lists its files");
  const entries = JSON.parse(list[1]).map(([url, revision, bytes, page]) => ({ url, revision, bytes, page: page === 1 }));
  // A reader of the default language saves ahead every file but the other languages' pages
  // and search indexes.
  const otherLanguage = (e) => JSON.parse(languages[1])
    .some((folder) => e.url.startsWith(folder) && (e.page || e.url.startsWith(folder + "search/")));
  const files = entries.filter((e) => !otherLanguage(e)).map((e) => e.url);
  return { cache: "plumb-" + cache[1], entries, files, all: entries.map((e) => e.url), unsaved: JSON.parse(unsaved[1]) };
}

// The file on disk a precache URL stands for ("guide/" -> guide/index.html, "./" -> index.html).
function fileOf(out, url) {
  const rel = url === "./" ? "" : url;
  return path.join(out, rel.endsWith("/") || rel === "" ? rel + "index.html" : rel);
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
function decodeHtml(s) {
  return s.replace(/<[^>]*>/g, "").replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

// The text of the first <h1> of a built HTML file.
function h1OnDisk(file) {
  const m = /<h1\b[^>]*>([\s\S]*?)<\/h1>/.exec(fs.readFileSync(file, "utf8"));
  assert.ok(m, "an <h1> in " + file);
  return decodeHtml(m[1]).replace(/\s+/g, " ").trim();
}

const h1Text = async (page) => (await page.locator("h1").first().textContent()).replace(/\s+/g, " ").trim();

// Wait until the page's registration has an active worker, the page is controlled (reloading
// once if the first load was not), and the cache `name` holds every URL of `urls`.
// Returns the registration's {scope, scriptURL} and the cached URLs.
async function waitForWorker(page, name, urls, timeout = 20000) {
  const reg = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => ({ scope: r.scope, scriptURL: r.active.scriptURL })));
  const controlled = () => page.evaluate(() => !!navigator.serviceWorker.controller);
  if (!(await controlled())) {
    try {
      await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 3000 });
    } catch (e) {
      await page.reload();
    }
  }
  assert.ok(await controlled(), "the page is controlled by the service worker");
  const deadline = Date.now() + timeout;
  let state;
  for (;;) {
    state = await page.evaluate(async (n) => {
      const names = await caches.keys();
      const cached = names.includes(n) ? (await (await caches.open(n)).keys()).map((r) => r.url) : [];
      return { names, cached };
    }, name);
    if (urls.every((u) => state.cached.includes(u))) break;
    if (Date.now() > deadline) {
      assert.fail(`cache ${name} did not get every file in time: caches ${JSON.stringify(state.names)}, ` +
        `missing ${JSON.stringify(urls.filter((u) => !state.cached.includes(u)))}`);
    }
    await page.waitForTimeout(100);
  }
  return { ...reg, names: state.names, cached: state.cached };
}

// Every stylesheet <link> of the page has a sheet with rules (it loaded, from wherever).
// From file:// the rules cannot be read (opaque origin): there, a stylesheet counts as loaded
// when its URL is in `finished` (URLs of requests that got a 200 response).
async function stylesheetsLoaded(page, finished) {
  const links = await page.evaluate(() => Array.from(document.querySelectorAll('link[rel~="stylesheet"]'), (l) => {
    try { return { href: l.href, rules: l.sheet ? l.sheet.cssRules.length : -1 }; } catch (e) { return { href: l.href, rules: null }; }
  }));
  return links.length > 0 && links.every((l) => (l.rules === null && finished ? finished.has(l.href) : l.rules > 0));
}

const BODY_PROPS = ["fontFamily", "marginTop", "marginLeft", "maxWidth", "color", "backgroundColor", "lineHeight", "paddingTop"];
const bodyStyle = (page) => page.evaluate((props) => {
  const cs = getComputedStyle(document.body);
  return Object.fromEntries(props.map((p) => [p, cs[p]]));
}, BODY_PROPS);

// The browser's own computed style of an unstyled <body>, for comparison.
let defaultBody;
async function browserDefaultBody() {
  if (defaultBody) return defaultBody;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent("<!DOCTYPE html><html><head></head><body><p>x</p></body></html>");
    defaultBody = await bodyStyle(page);
  } finally {
    await context.close();
  }
  return defaultBody;
}

async function assertStyled(page, where, finished) {
  assert.ok(await stylesheetsLoaded(page, finished), where + ": every stylesheet loaded with rules");
  assert.notDeepEqual(await bodyStyle(page), await browserDefaultBody(), where + ": the stylesheet changed the body's computed style");
}

// Checklist helpers (the shipped checklist `independence`).
const CL = "independence";
const clLabel = (page, q, v) => page.locator(`label.checklist-option:has(input[name="checklist-${CL}-${q}"][value="${v}"])`);
const clRadio = (page, q, v) => page.locator(`input[type=radio][name="checklist-${CL}-${q}"][value="${v}"]`);
const clReady = (page) => page.waitForSelector(`[data-checklist="${CL}"].checklist-enhanced`, { state: "attached", timeout: 10000 });
const clStatus = async (page) => (await page.locator(`[data-checklist="${CL}"] .checklist-result[role=status]`).textContent()).trim();
const clChecked = (page) => page.evaluate((id) => {
  const out = {};
  document.querySelectorAll(`[data-checklist="${id}"] fieldset[data-question] input[type=radio]:checked`)
    .forEach((r) => { out[r.closest("fieldset").getAttribute("data-question")] = r.value; });
  return out;
}, CL);
// Every question shown, so the result (which waits for all of them) appears.
const ANSWERS = {
  schedule: "me", accept: "freely", methods: "some-rules", route: "me", metrics: "light",
  procedures: "few-rules", discipline: "talk", costs: "me-priced", injury: "own-cover",
  overruns: "i-charge", penalties: "no", algorithm: "with-notice", leave: "little",
  notice: "written", clients: "one", price: "agreed", volume: "mixed", negotiate: "yes",
  customers: "some",
};

async function answerChecklist(page) {
  for (const [q, v] of Object.entries(ANSWERS)) {
    await clLabel(page, q, v).click();
    assert.equal(await clRadio(page, q, v).isChecked(), true, `${q}=${v} checked after clicking its label`);
  }
  const status = await clStatus(page);
  assert.match(status, /^Your result is ready: /, "the result is shown once every question is answered: " + status);
  assert.match(await page.locator(".checklist-overall").textContent(), /\d+ out of 100/, "the result shows a score");
  return status;
}

// The failed update checks that surfaced as page errors, once each.
function unhandledUpdateFailures(guard) {
  return [...new Set(guard.problems.filter((p) => /Failed to update a ServiceWorker/.test(p))
    .map((p) => p.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")))];
}
const UPDATE_MSG = "offline.js must handle a failed update check quietly (reg.update() is called without .catch, so every page load offline throws an unhandled rejection)";

// Offline, each page load makes offline.js register (which resolves from the existing
// registration: data-offline="registered") and then ask for an update, which fails (no
// network). That failure must be handled quietly. Wait for both, then for our own update
// request, queued behind offline.js's, to settle, so that an unhandled rejection has surfaced
// as a page error (and watch() has seen it) before the next navigation.
async function settle(page) {
  await page.waitForSelector('html[data-offline="registered"]', { state: "attached", timeout: 15000 });
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r && r.update()).then(() => "updated", (e) => "failed"));
  await page.waitForTimeout(100);
}

// ---------------------------------------------------------------------------------------------
// 1 (and 5). The shipped guide works offline after one visit; online, it only talks to 127.0.0.1.

test("shipped guide: after one visit every page, the checklist and the 404 page work offline", async (t) => {
  const out = buildGuide();
  const { cache, files, all } = workerInfo(fs.readFileSync(path.join(out, "sw.js"), "utf8"));
  const sitemap = Array.from(fs.readFileSync(path.join(out, "sitemap.xml"), "utf8").matchAll(/<loc>([^<]+)<\/loc>/g), (m) => decodeHtml(m[1]));
  assert.ok(sitemap.length >= 10, "the sitemap lists the guide's pages: " + sitemap.length);
  // The guide excludes nothing: every page is saved ahead.
  const excluded = sitemap.filter((loc) => !all.includes(new URL(loc).pathname.slice(1) || "./"));
  assert.deepEqual(excluded.map((loc) => new URL(loc).pathname), [], "pages not saved");
  // A reader of the English pages saves them ahead; the Spanish ones are saved as opened.
  const locs = sitemap.filter((loc) => files.includes(new URL(loc).pathname.slice(1) || "./"));
  assert.ok(locs.length >= 10 && locs.length < sitemap.length, `the English pages: ${locs.length} of ${sitemap.length}`);
  assert.ok(files.includes("404.html") && files.includes("./"), "the worker precaches the home and 404 pages");

  const server = await serve(out);
  const origin = new URL(server.url).origin;
  const context = await browser.newContext();
  const requests = [];
  let online = true;
  context.on("request", (r) => { if (online) requests.push(r.url()); });
  try {
    const page = await context.newPage();
    page.on("request", (r) => { if (online) requests.push(r.url()); });
    const guard = watch(page, { notFound: /\/no\/such\/page\/$/ });

    // Online: one visit to the home page.
    const res = await page.goto(server.url);
    assert.equal(res.status(), 200);
    await page.waitForSelector('html[data-offline="registered"]', { state: "attached", timeout: 10000 });
    const expected = files.map((f) => new URL(f, server.url + "sw.js").href);
    const reg = await waitForWorker(page, cache, expected);
    assert.equal(reg.scope, server.url, "the worker's scope is the site");
    assert.equal(reg.scriptURL, server.url + "sw.js");
    assert.deepEqual(reg.names.filter((n) => n.startsWith("plumb-")), [cache], "one plumb cache, named after this build");
    assert.deepEqual([...reg.cached].sort(), [...expected].sort(), "the cache holds exactly the worker's FILES");
    // Every precached body is the file on disk.
    const cachedSizes = await page.evaluate(async (n) => {
      const c = await caches.open(n);
      const outSizes = {};
      for (const req of await c.keys()) outSizes[req.url] = (await (await c.match(req)).arrayBuffer()).byteLength;
      return outSizes;
    }, cache);
    for (const f of files) {
      const url = new URL(f, server.url).href;
      assert.equal(cachedSizes[url], fs.statSync(fileOf(out, f)).size, "cached size of " + f);
    }
    // The manifest: linked, start_url and scope the site's root, its icons precached.
    const manifestUrl = await page.evaluate(() => document.querySelector('link[rel="manifest"]').href);
    assert.equal(manifestUrl, server.url + "manifest.webmanifest");
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.webmanifest"), "utf8"));
    assert.equal(new URL(manifest.start_url, manifestUrl).href, server.url, "start_url is the site's root");
    assert.equal(new URL(manifest.scope, manifestUrl).href, server.url, "scope is the site's root");
    assert.ok(Array.isArray(manifest.icons) && manifest.icons.length > 0, "the manifest has an icon");
    for (const icon of manifest.icons) {
      assert.ok(reg.cached.includes(new URL(icon.src, manifestUrl).href), "the manifest's icon is a precached file of the site: " + icon.src);
    }
    guard.check("online visit");

    // 5. Everything the page and its worker asked for, online, went to 127.0.0.1.
    await t.test("online, every request goes to 127.0.0.1", () => {
      assert.ok(requests.length >= files.length, `requests were recorded (${requests.length})`);
      assert.ok(requests.includes(server.url + "sw.js"), "the worker script request was recorded");
      for (const u of expected) assert.ok(requests.includes(u), "the worker's precache request was recorded: " + u);
      const other = requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== origin);
      assert.deepEqual(other, [], "requests to anything but the site's own origin on 127.0.0.1");
    });

    // Offline: no network, no server.
    online = false;
    await server.close();
    await context.setOffline(true);

    for (const loc of locs) {
      const p = new URL(loc).pathname;
      const url = origin + p;
      const r = await page.goto(url);
      assert.ok(r, "a response for " + url);
      assert.equal(r.status(), 200, "offline status of " + p);
      assert.equal(r.fromServiceWorker(), true, p + " came from the service worker");
      assert.equal(await h1Text(page), h1OnDisk(fileOf(out, p.slice(1))), "offline <h1> of " + p);
      assert.ok(await stylesheetsLoaded(page), p + ": stylesheets loaded offline");
      await settle(page);
    }

    // The checklist: answer, reload offline, the answers and the result are still there.
    await page.goto(origin + "/checklists/independence/");
    await clReady(page);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await clReady(page);
    assert.deepEqual(await clChecked(page), {}, "the checklist starts empty");
    const status = await answerChecklist(page);
    const reloaded = await page.reload();
    assert.equal(reloaded.fromServiceWorker(), true, "the reload came from the service worker");
    await clReady(page);
    assert.deepEqual(await clChecked(page), ANSWERS, "answers still checked after an offline reload");
    assert.equal(await clStatus(page), status, "the same result after an offline reload");
    assert.ok(await page.locator(".checklist-verdict-title").isVisible(), "the verdict is shown");
    assert.ok((await page.locator(".checklist-verdict-title").textContent()).trim().length > 0, "the verdict has a title");
    await settle(page);

    // An unknown path: the site's own 404 page, styled, from the cache.
    const missing = await page.goto(origin + "/no/such/page/");
    assert.equal(missing && missing.status(), 404, "an unknown path answers 404 offline");
    assert.equal(await h1Text(page), h1OnDisk(path.join(out, "404.html")), "the site's 404 page offline");
    assert.ok(await page.locator(".not-found").count() === 1, "the 404 page's content");
    await assertStyled(page, "offline 404 page");
    await settle(page);
    // Its link home works offline too.
    await Promise.all([page.waitForURL(origin + "/"), page.locator('.not-found a[href="/"]').click()]);
    assert.equal(await h1Text(page), h1OnDisk(path.join(out, "index.html")), "home page from the 404 page's link, offline");
    await settle(page);
    assert.deepEqual(unhandledUpdateFailures(guard), [], UPDATE_MSG);
    guard.check("offline");
  } finally {
    await context.close();
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 2. A new build: the page offers a reload instead of switching by itself.

test("update: a new build installs in the background, the page offers a reload and switches only on click", async () => {
  const site = buildFixture("basic");
  const server = await serve(site.out);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const guard = watch(page);
    const url = server.url + "guide/first/";
    const navigations = [];
    page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });

    await page.goto(url);
    const before = workerInfo(fs.readFileSync(path.join(site.out, "sw.js"), "utf8"));
    const expected = before.files.map((f) => new URL(f, server.url).href);
    await waitForWorker(page, before.cache, expected);
    assert.match(await page.locator("main").textContent(), /Start here, then go to/, "the old text");

    // Rebuild into the served folder with a changed page.
    const md = path.join(site.root, "content", "guide", "first.md");
    const text = fs.readFileSync(md, "utf8");
    assert.ok(text.includes("Start here, then go to"), "the fixture text to change");
    fs.writeFileSync(md, text.replace("Start here, then go to", "Begin with this new line, then go to"));
    plumb(["build", "--root", site.root, "--output-dir", site.out]);
    const afterBuild = workerInfo(fs.readFileSync(path.join(site.out, "sw.js"), "utf8"));
    assert.notEqual(afterBuild.cache, before.cache, "the new build's worker has a new cache name");

    await page.evaluate(() => { window.__plumbMarker = "still here"; });
    const navigationsBefore = navigations.length;
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));

    const notice = page.locator('.plumb-update[role="status"]');
    await notice.waitFor({ state: "visible", timeout: 20000 });
    assert.equal(await notice.count(), 1, "one update notice");
    const button = notice.locator("button.plumb-update-reload");
    assert.ok(await button.isVisible(), "the notice has its reload button");
    assert.equal(await button.getAttribute("type"), "button");
    assert.match(await notice.textContent(), /new version/i, "the notice says why");

    // The new worker waits; the page did not reload; the old text and worker stay.
    await page.waitForTimeout(500);
    const waiting = await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => ({
      waiting: r.waiting && r.waiting.state, controller: navigator.serviceWorker.controller.scriptURL,
    })));
    assert.equal(waiting.waiting, "installed", "the new worker waits");
    assert.equal(await page.evaluate(() => window.__plumbMarker), "still here", "the page was not reloaded by itself");
    assert.equal(navigations.length, navigationsBefore, "no navigation before the click");
    assert.match(await page.locator("main").textContent(), /Start here, then go to/, "still the old text before the click");
    assert.deepEqual((await page.evaluate(() => caches.keys())).filter((n) => n.startsWith("plumb-")).sort(),
      [before.cache, afterBuild.cache].sort(), "both builds cached while the new worker waits");

    // Click: the new worker takes over and the page reloads with the new text.
    const [reloaded] = await Promise.all([
      page.waitForResponse((r) => r.url() === url && r.request().isNavigationRequest(), { timeout: 20000 }),
      page.waitForEvent("load", { timeout: 20000 }),
      button.click(),
    ]);
    assert.equal(reloaded.fromServiceWorker(), true, "the reloaded page came from the (new) service worker");
    await page.waitForFunction(() => document.readyState === "complete");
    assert.equal(await page.evaluate(() => window.__plumbMarker), undefined, "the page reloaded after the click");
    assert.ok(navigations.length > navigationsBefore, "a navigation after the click");
    assert.equal(page.url(), url, "same page after the reload");
    assert.match(await page.locator("main").textContent(), /Begin with this new line, then go to/, "the new text");
    assert.doesNotMatch(await page.locator("main").textContent(), /Start here, then go to/, "not the old text");
    assert.equal(await page.locator(".plumb-update").count(), 0, "no notice after the reload");
    await page.waitForFunction((name) => caches.keys().then((k) => !k.includes(name)), before.cache, { timeout: 10000 });
    assert.deepEqual((await page.evaluate(() => caches.keys())).filter((n) => n.startsWith("plumb-")), [afterBuild.cache],
      "the old build's cache is gone");
    guard.check();
  } finally {
    await context.close();
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 3. A site under a sub-path.

test("sub-path /guide/: worker scope, manifest start_url and offline pages (404 included) stay under /guide/", async () => {
  const dir = tempDir("subpath");
  const out = path.join(dir, "out");
  const server = await serve(out, { prefix: "/guide/" });
  const context = await browser.newContext();
  try {
    const root = copyFixture("basic", dir);
    plumb(["build", "--root", root, "--output-dir", out, "--base-url", server.url]);
    const { cache, files } = workerInfo(fs.readFileSync(path.join(out, "sw.js"), "utf8"));
    const origin = new URL(server.url).origin;

    const page = await context.newPage();
    const guard = watch(page, { notFound: /\/no\/such\/page\/$/ });
    const res = await page.goto(server.url);
    assert.equal(res.status(), 200);
    const expected = files.map((f) => new URL(f, server.url).href);
    const reg = await waitForWorker(page, cache, expected);
    assert.equal(reg.scope, server.url, "the registration's scope is the sub-path");
    assert.equal(reg.scriptURL, server.url + "sw.js");

    const manifest = await page.evaluate(async () => {
      const link = document.querySelector('link[rel="manifest"]');
      const r = await fetch(link.href);
      return { href: link.href, status: r.status, json: await r.json() };
    });
    assert.equal(manifest.href, server.url + "manifest.webmanifest", "the manifest sits at the sub-path's root");
    assert.equal(manifest.status, 200);
    assert.equal(new URL(manifest.json.start_url, manifest.href).href, server.url, "start_url resolves to /guide/");
    assert.equal(new URL(manifest.json.scope, manifest.href).href, server.url, "scope resolves to /guide/");
    guard.check("online visit");

    await server.close();
    await context.setOffline(true);

    const pages = [["", "index.html"], ["guide/first/", "guide/first/index.html"], ["guide/page-two/", "guide/page-two/index.html"],
      ["notes/loose/", "notes/loose/index.html"], ["guide/", "guide/index.html"]];
    for (const [p, file] of pages) {
      const r = await page.goto(server.url + p);
      assert.equal(r.status(), 200, "offline status of /guide/" + p);
      assert.equal(r.fromServiceWorker(), true, "/guide/" + p + " from the worker");
      assert.equal(await h1Text(page), h1OnDisk(path.join(out, file)), "offline <h1> of /guide/" + p);
      await assertStyled(page, "/guide/" + p);
      await settle(page);
    }

    // Following a link offline.
    await page.goto(server.url + "guide/first/");
    await Promise.all([page.waitForURL(server.url + "guide/page-two/"), page.locator('main a[href="../page-two/"]').first().click()]);
    assert.equal(await h1Text(page), "Second page", "link followed offline");

    // Unknown path under /guide/: the 404 page with its stylesheet (absolute /guide/ URLs) from the cache.
    const r404 = await page.goto(server.url + "no/such/page/");
    assert.ok(r404, "a response for the unknown path");
    assert.equal(r404.status(), 404, "an unknown path answers 404 offline");
    assert.equal(await h1Text(page), h1OnDisk(path.join(out, "404.html")), "the site's 404 page offline");
    const sheets = await page.evaluate(() => Array.from(document.querySelectorAll('link[rel~="stylesheet"]'), (l) => l.href));
    assert.ok(sheets.length > 0 && sheets.every((h) => h.startsWith(server.url)), "the 404 page's stylesheets are under /guide/: " + sheets);
    await assertStyled(page, "offline 404 under /guide/");
    await Promise.all([page.waitForURL(server.url), page.locator('main a:text-is("Home")').click()]);
    assert.equal(await h1Text(page), h1OnDisk(path.join(out, "index.html")), "the 404 page's Home link leads to /guide/ offline");
    assert.equal(new URL(page.url()).origin, origin);
    await settle(page);
    assert.deepEqual(unhandledUpdateFailures(guard), [], UPDATE_MSG);
    guard.check("offline");
  } finally {
    await context.close();
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// 4. --portable read straight from the file system.

test("file:// portable build: click through home, two articles and the checklist; no worker registration", async () => {
  const out = buildGuide(["--portable"]);
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.__plumbRegisterCalls = 0;
    if (typeof ServiceWorkerContainer !== "undefined") {
      const register = ServiceWorkerContainer.prototype.register;
      ServiceWorkerContainer.prototype.register = function () {
        window.__plumbRegisterCalls++;
        return register.apply(this, arguments);
      };
    }
  });
  try {
    const page = await context.newPage();
    const guard = watch(page);
    const httpRequests = [];
    page.on("request", (r) => { if (!/^(file|data|blob):/.test(r.url())) httpRequests.push(r.url()); });
    const finished = new Set();
    page.on("response", (r) => { if (r.status() === 200) finished.add(r.url()); });

    const visited = [];
    async function checkPage(where) {
      await page.waitForLoadState("load");
      const url = page.url();
      assert.ok(url.startsWith("file://"), where + ": a file URL: " + url);
      assert.match(url, /\/index\.html$/, where + ": the URL ends with index.html");
      const h1 = await h1Text(page);
      assert.ok(h1.length > 0, where + ": has an <h1>");
      assert.equal(h1, h1OnDisk(new URL(url).pathname), where + ": the <h1> of the file");
      await assertStyled(page, where, finished);
      // Give offline.js (deferred) its chance, then check it did not register.
      await page.waitForFunction(() => document.readyState === "complete");
      assert.equal(await page.locator("script[src*='offline.']").count(), 1, where + ": the page loads offline.js");
      assert.equal(await page.evaluate(() => document.documentElement.hasAttribute("data-offline")), false,
        where + ": offline.js did not register (no data-offline)");
      assert.equal(await page.evaluate(() => window.__plumbRegisterCalls), 0, where + ": no serviceWorker.register call");
      visited.push(url);
      return h1;
    }

    await page.goto(pathToFileURL(path.join(out, "index.html")).href);
    await checkPage("home");

    const article = page.locator('main a[href="guide/what-independence-means/index.html"]').first();
    assert.equal(await article.count(), 1, "the home page links the first article");
    await Promise.all([page.waitForURL(/\/guide\/what-independence-means\/index\.html$/), article.click()]);
    await checkPage("first article");

    const next = page.locator("a.pager-next");
    assert.equal(await next.count(), 1, "the article links the next one");
    const nextTitle = (await next.locator(".pager-title").textContent()).trim();
    const nextHref = await next.getAttribute("href");
    assert.match(nextHref, /index\.html$/, "the next link is portable: " + nextHref);
    await Promise.all([page.waitForURL((u) => u.href.endsWith("/index.html") && !u.href.includes("what-independence-means")), next.click()]);
    assert.equal(await checkPage("next article"), nextTitle, "the next article is the one the pager named");

    const start = page.locator("header a.button-cta");
    assert.match(await start.getAttribute("href"), /checklists\/independence\/index\.html$/);
    await Promise.all([page.waitForURL(/\/checklists\/independence\/index\.html$/), start.click()]);
    await checkPage("checklist page");
    await clReady(page);
    await answerChecklist(page);
    assert.ok(await page.locator(".checklist-verdict-title").isVisible(), "a verdict is shown");

    assert.equal(new Set(visited).size, 4, "four different pages visited");
    assert.deepEqual(httpRequests, [], "nothing was requested over the network");
    guard.check();
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// What the shipped guide saves ahead, for the record (printed, and checked against the build).

test("the shipped guide saves ahead every file readers need, and the summary says how much", () => {
  const out = buildGuide();
  const { entries, all: files, unsaved } = workerInfo(fs.readFileSync(path.join(out, "sw.js"), "utf8"));
  for (const entry of entries) {
    assert.equal(entry.bytes, fs.statSync(fileOf(out, entry.url)).size, "the listed size of " + entry.url);
  }
  const total = files.reduce((n, f) => n + fs.statSync(fileOf(out, f)).size, 0);
  const listed = new Set(entries.map((e) => path.relative(out, fileOf(out, e.url))));
  const onDisk = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else onDisk.push(path.relative(out, p));
    }
  })(out);
  // plumb's own marker file (.plumb-build) is not part of the site.
  const notAhead = onDisk.filter((f) => !listed.has(f) && !path.basename(f).startsWith(".plumb")).sort();
  assert.deepEqual(notAhead.filter((f) => !/^syntax\.[0-9a-f]+\.css$/.test(f)),
    ["atom.xml", "es/atom.xml", "robots.txt", "sitemap.xml", "sw.js"],
    "saved ahead: every output file but the machines' files, the unused stylesheet and the worker");
  assert.deepEqual(unsaved, ["atom.xml", "es/atom.xml", "robots.txt", "sitemap.xml"], "never saved");
  assert.equal(notAhead.filter((f) => /^syntax\./.test(f)).length, 1,
    "the highlighting stylesheet, which no page of the guide loads, is saved only if a reader opens it");
  console.log(`# shipped guide saved ahead: ${files.length} files, ${total} bytes`);
  const said = /; saved ahead for offline: all (\d+) pages, (\d+) KB \(budget 5 MB\);/.exec(buildGuide.stdout);
  assert.ok(said, "the build summary states what is saved ahead: " + buildGuide.stdout);
  assert.equal(Number(said[1]), entries.filter((e) => e.page).length, "the summary's pages");
  assert.equal(Number(said[2]), Math.ceil(total / 1024), "the summary's KB are the bytes saved ahead");
});

// ---------------------------------------------------------------------------------------------
// A weak signal: the shipped guide over a 40 KB/s link (throttle.js), the connection cut 1.5 s
// after the first page loaded.

// What the page's cache holds: URL -> revision, for `cache`.
const cachedRevisions = (page, cache) => page.evaluate(async (name) => {
  const out = {};
  if (!(await caches.has(name))) return out;
  const c = await caches.open(name);
  for (const request of await c.keys()) out[request.url] = (await c.match(request)).headers.get("X-Plumb-Revision");
  return out;
}, cache);

const statusText = async (page) => ((await page.locator("[data-offline-status]").textContent()) || "").trim();

test("weak signal: cut 1.5 s after the first page loads, that page and the checklist work offline; the next visit finishes saving", async (t) => {
  const out = buildGuide();
  const { cache, entries, files } = workerInfo(fs.readFileSync(path.join(out, "sw.js"), "utf8"));
  const server = await throttled(out);
  const url = (u) => new URL(u, server.url).href;
  const checklistFiles = ["checklists/independence/", ...entries.filter((e) => /^checklist\.[0-9a-f]+\.js$/.test(e.url)).map((e) => e.url)];
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(server.url);
    const loadedAt = Date.now();
    const firstVisitBytes = server.sent();
    const pageRequests = server.requests.length;
    // The reader is told how saving goes, in the page's words.
    const status = page.locator('.offline-status[role="status"]');
    await page.waitForFunction(() => /^Saving for offline: \d+ of \d+ pages$/.test(document.querySelector("[data-offline-status]").textContent), null, { timeout: 5000 });

    // Until the cut: when did the checklist become usable offline?
    let checklistSavedAt = null;
    while (Date.now() < loadedAt + 1500) {
      const cached = await cachedRevisions(page, cache);
      if (checklistSavedAt === null && checklistFiles.every((f) => cached[url(f)])) checklistSavedAt = Date.now();
      await page.waitForTimeout(25);
    }
    await server.cut();
    const cached = await cachedRevisions(page, cache);
    const savedBeforeCut = files.filter((f) => cached[url(f)]);
    console.log(`# 40 KB/s: home page loaded in ${loadedAt - started} ms with ${firstVisitBytes} bytes; ` +
      `checklist offline ${checklistSavedAt === null ? "not yet" : checklistSavedAt - started + " ms"} after the start; ` +
      `${savedBeforeCut.length} of ${files.length} files saved at the cut`);
    assert.ok(savedBeforeCut.length < files.length, "the cut came before everything was saved (else this tests nothing)");
    for (const f of ["./", ...checklistFiles]) assert.ok(cached[url(f)], f + " was saved before the cut");
    const revisions = Object.fromEntries(entries.map((e) => [url(e.url), e.revision]));
    for (const [u, revision] of Object.entries(cached)) assert.equal(revision, revisions[u], "stored with its revision: " + u);
    // The page's own files came from the browser's cache, not the network again.
    const requested = server.requests.slice(pageRequests).map((r) => r.path);
    for (const own of server.requests.slice(0, pageRequests).map((r) => r.path)) {
      assert.ok(!requested.includes(own), own + " was downloaded once");
    }
    await page.waitForFunction(() => document.querySelector("[data-offline-status]").textContent === "Saving for offline paused: it goes on at your next visit", null, { timeout: 10000 });
    assert.equal(await status.count(), 1, "one status, in the footer, not a dialog");
    assert.equal(await page.locator('[role="dialog"], [role="alertdialog"], dialog').count(), 0, "never a modal");

    // Offline: the page read and the checklist work.
    await context.setOffline(true);
    const home = await page.goto(server.url);
    assert.equal(home.status(), 200);
    assert.equal(home.fromServiceWorker(), true, "the home page from the device");
    assert.equal(await h1Text(page), h1OnDisk(path.join(out, "index.html")));
    await assertStyled(page, "home offline");
    const checklist = await page.goto(url("checklists/independence/"));
    assert.equal(checklist.status(), 200);
    assert.equal(checklist.fromServiceWorker(), true, "the checklist page from the device");
    await clReady(page);
    await answerChecklist(page);

    // The next visit, online: saving goes on from where it stopped, and says when it is done.
    await context.setOffline(false);
    await server.restore();
    const resumedFrom = server.requests.length;
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector("[data-offline-status]").textContent === "Ready to use offline", null, { timeout: 20000 });
    assert.equal(await page.locator('[data-offline-status][data-state="ready"]').count(), 1);
    const after = await cachedRevisions(page, cache);
    assert.deepEqual(files.filter((f) => !after[url(f)]), [], "every file saved ahead is on the device");
    const again = server.requests.slice(resumedFrom).map((r) => r.path.slice(1) || "./");
    assert.deepEqual(again.filter((p) => savedBeforeCut.includes(p)), [], "nothing saved before the cut was downloaded again");
    console.log(`# resumed: ${again.length} requests after the cut, ${server.sent()} bytes in all`);
  } finally {
    await context.close();
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// An update over the slow link: only the changed page and the worker travel. The status words
// come from site.toml (here in Spanish).

test("update: after one page changes, the new worker downloads that page, the search index parts with its words and itself, not the site", async () => {
  const dir = tempDir("update");
  const root = copyFixture("basic", dir);
  const out = path.join(dir, "out");
  fs.appendFileSync(path.join(root, "site.toml"), [
    "", "[offline]",
    'saving = "Guardando para usar sin conexión: {saved} de {total} páginas"',
    'ready = "Listo para usar sin conexión"',
    'update = "Hay una versión nueva de esta guía."', 'reload = "Recargar"', "",
  ].join("\n"));
  plumb(["build", "--root", root, "--output-dir", out]);
  const before = workerInfo(fs.readFileSync(path.join(out, "sw.js"), "utf8"));
  const server = await throttled(out, { bytesPerSecond: 200 * 1024 });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const guard = watch(page);
    await page.goto(server.url + "guide/page-two/");
    await page.waitForFunction(() => document.querySelector("[data-offline-status]").textContent === "Listo para usar sin conexión", null, { timeout: 20000 });
    assert.equal(await page.locator('[data-offline-status][role="status"]').count(), 1);
    const saved = await cachedRevisions(page, before.cache);
    assert.deepEqual(before.files.filter((f) => !saved[new URL(f, server.url).href]), [], "everything saved ahead");

    const md = path.join(root, "content", "guide", "first.md");
    fs.writeFileSync(md, fs.readFileSync(md, "utf8").replace("Start here, then go to", "Begin with this new line, then go to"));
    plumb(["build", "--root", root, "--output-dir", out]);
    const after = workerInfo(fs.readFileSync(path.join(out, "sw.js"), "utf8"));
    const changed = after.entries.filter((e, i) => e.revision !== before.entries[i].revision).map((e) => e.url);
    const INDEX_PARTS = ["search/docs-0.js", "search/terms-all.js"];
    assert.deepEqual(changed, ["guide/first/", ...INDEX_PARTS], "one page changed, and the search index parts with its words");

    const from = server.requests.length;
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    const notice = page.locator('.plumb-update[role="status"]');
    await notice.waitFor({ state: "visible", timeout: 20000 });
    assert.equal((await notice.textContent()).trim(), "Hay una versión nueva de esta guía. Recargar", "the offer in the site's words");
    const downloaded = server.requests.slice(from).filter((r) => r.status === 200).map((r) => r.path);
    assert.deepEqual(downloaded.sort(), ["/guide/first/", ...INDEX_PARTS.map((p) => "/" + p), "/sw.js"],
      "the update downloaded the changed page, the changed index parts and the worker");
    const newCache = await cachedRevisions(page, after.cache);
    assert.deepEqual(after.files.filter((f) => newCache[new URL(f, server.url).href] !== after.entries.find((e) => e.url === f).revision), [],
      "the new build's cache is complete, every file at its new revision");

    // The offer stays an offer: the reload happens on the reader's click.
    await Promise.all([page.waitForEvent("load", { timeout: 20000 }), notice.locator("button").click()]);
    await page.goto(server.url + "guide/first/");
    assert.match(await page.locator("main").textContent(), /Begin with this new line/, "the new text");
    guard.check();
  } finally {
    await context.close();
    await server.close();
  }
});

// ---------------------------------------------------------------------------------------------
// A site past its budget: saved ahead within the budget, visited pages saved as read.

// A generated site of `count` pages of about 3 KB each, in the plain test theme.
function generatedSite(dir, count, offlineTable) {
  const root = path.join(dir, "site");
  fs.mkdirSync(path.join(root, "content", "pages"), { recursive: true });
  fs.cpSync(path.join(FIXTURES, "_theme"), path.join(root, "themes", "plain"), { recursive: true });
  fs.writeFileSync(path.join(root, "site.toml"), `title = "Many pages"\nbase_url = "https://example.org/"\ntheme = "plain"\n\n${offlineTable}\n`);
  fs.writeFileSync(path.join(root, "content", "_index.md"), '+++\ntitle = "Home"\n+++\nStart with [the first page](pages/p0001.md).\n');
  fs.writeFileSync(path.join(root, "content", "pages", "_index.md"), '+++\ntitle = "Pages"\n+++\nAll of them.\n');
  for (let i = 1; i <= count; i++) {
    const name = "p" + String(i).padStart(4, "0");
    const words = Array.from({ length: 300 }, (_, w) => `word${(i * 31 + w * 7) % 997}`).join(" ");
    const next = i < count ? `\n\nNext: [page ${i + 1}](p${String(i + 1).padStart(4, "0")}.md).` : "";
    fs.writeFileSync(path.join(root, "content", "pages", name + ".md"), `+++\ntitle = "Page ${i}"\nweight = ${i}\n+++\n${words}${next}\n`);
  }
  return root;
}

test("past the budget: what is saved ahead stays within it, and pages the reader opened work offline", async () => {
  const dir = tempDir("budget");
  const root = generatedSite(dir, 150, '[offline]\nbudget = "100 KB"');
  const out = path.join(dir, "out");
  const summary = plumb(["build", "--root", root, "--output-dir", out]);
  assert.match(summary, /; saved ahead for offline: \d+ of 153 pages, \d+ KB \(budget 100 KB\), the rest as readers visit them;/);
  const { cache, entries, files } = workerInfo(fs.readFileSync(path.join(out, "sw.js"), "utf8"));
  const aheadBytes = entries.reduce((n, e) => n + e.bytes, 0);
  assert.ok(aheadBytes <= 100 * 1024, "ahead within the budget: " + aheadBytes);
  const later = Array.from({ length: 150 }, (_, i) => `pages/p${String(i + 1).padStart(4, "0")}/`).filter((p) => !files.includes(p));
  assert.ok(later.length > 100, "most pages wait for a visit: " + later.length);
  const [visitFirst, visitNext, neverOpened] = ["pages/p0120/", "pages/p0121/", "pages/p0140/"];
  for (const p of [visitFirst, visitNext, neverOpened]) assert.ok(later.includes(p), p + " is not saved ahead");

  const server = await throttled(out, { bytesPerSecond: 400 * 1024 });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(server.url + visitFirst);
    await page.waitForFunction(() => document.querySelector("[data-offline-status]").textContent === "Ready to use offline", null, { timeout: 30000 });
    // The next page, followed by its link, under the worker.
    await Promise.all([page.waitForURL(server.url + visitNext), page.locator('main a:text-is("page 121")').click()]);
    await page.waitForFunction((name) => caches.open(name).then((c) => c.match(location.href)).then(Boolean), cache, { timeout: 10000 });
    const cached = await cachedRevisions(page, cache);
    const url = (u) => new URL(u, server.url).href;
    const cachedBytes = await page.evaluate(async (name) => {
      const c = await caches.open(name);
      let total = 0;
      for (const request of await c.keys()) total += (await (await c.match(request)).arrayBuffer()).byteLength;
      return total;
    }, cache);
    const visitedBytes = [visitFirst, visitNext].reduce((n, p) => n + fs.statSync(fileOf(out, p)).size, 0);
    assert.ok(cachedBytes <= 100 * 1024 + visitedBytes, `on the device: ${cachedBytes} bytes, within the budget and the two pages read`);
    assert.deepEqual(Object.keys(cached).filter((u) => !files.includes(u.slice(server.url.length) || "./")).sort(),
      [url(visitFirst), url(visitNext)], "besides what is saved ahead, the two pages read (their files were saved ahead)");
    assert.equal(cached[url(visitNext)], "visited", "a page saved as visited is marked so");
    assert.deepEqual(files.filter((f) => !cached[url(f)]), [], "everything saved ahead is there");
    assert.ok(!cached[url(neverOpened)], "a page never opened is not saved");

    await server.cut();
    await context.setOffline(true);
    for (const p of [visitFirst, visitNext, "./"]) {
      const r = await page.goto(url(p));
      assert.equal(r.status(), 200, p + " offline");
      assert.equal(r.fromServiceWorker(), true, p + " from the device");
    }
    assert.equal(await h1Text(page), h1OnDisk(path.join(out, "index.html")));
    const missing = await page.goto(url(neverOpened));
    assert.equal(missing.status(), 404, "a page never opened is not there offline: the site's 404 page says so");
  } finally {
    await context.close();
    await server.close();
  }
});
