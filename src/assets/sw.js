// plumb's service worker, generated at build. It saves the site on the reader's device a file at
// a time, in the order the build chose (the page being read first, taken from what the browser
// already downloaded; then the checklists' pages; then the rest in reading order), so a dropped
// connection keeps every file that arrived and the next visit goes on from there. Files past
// the site's budget are not listed: any file of the site but the UNSAVED ones is saved when
// the reader opens it. It serves saved files first (pages too); the cache holds one build,
// named after it, and each stored file carries its revision, so a new build downloads only the
// files whose bytes changed (files saved as visited are asked for again with their ETag, and
// come back only when changed). A new build's worker waits for the page's consent before it
// takes over (the page offers a reload).
"use strict";
const CACHE = "plumb-" + __PLUMB_BUILD__;
// What is saved ahead, in the order of saving: [url relative to the site's root, revision,
// bytes, 1 for a page].
const FILES = __PLUMB_FILES__;
// Files of the site never saved (feeds, excluded files and pages).
const UNSAVED = __PLUMB_UNSAVED__;
// The folders of the site's other languages (`es/`). A reader saves ahead the pages and the
// search index of the language being read (and the 404 page); other languages' are saved
// when opened.
const LANGUAGES = __PLUMB_LANGUAGES__;
const REVISION = "X-Plumb-Revision";
// The revision of a file saved as the reader opened it: the build does not list it.
const VISITED = "visited";

const scope = self.registration.scope;
const entries = new Map(FILES.map(([path, revision, bytes, page]) => {
  const url = new URL(path, scope).href;
  return [url, { url, revision, bytes, page: page === 1 }];
}));
const savedAhead = [...entries.values()];
const languageFolders = LANGUAGES.map((folder) => new URL(folder, scope).href);
const notFoundPage = new URL("404.html", scope).href;
// The folder of the language a URL is in: one of `languageFolders`, or the scope.
const languageOf = (url) => languageFolders.find((folder) => url.startsWith(folder)) || scope;
// Each language's search index is in its folder (`search/`, `es/search/`); the default
// language's manifest, which names the others' folders, is every reader's.
const searchManifest = new URL("search/index.js", scope).href;
const isSearchPart = (url) => url.startsWith(languageOf(url) + "search/") && url !== searchManifest;
// What a reader of the page at `pageUrl` saves ahead: every file but other languages' pages
// and search indexes.
function aheadFor(pageUrl) {
  const language = languageOf(pageUrl);
  const ofALanguage = (entry) => (entry.page && entry.url !== notFoundPage) || isSearchPart(entry.url);
  return savedAhead.filter((entry) => !ofALanguage(entry) || languageOf(entry.url) === language);
}
const unsaved = new Set(UNSAVED.map((path) => new URL(path, scope).href));

const isOurs = (name) => name.startsWith("plumb-");

// The URL a file is saved under: no query or fragment, and a page by its folder (`a/` for
// `a/index.html`).
function savedUrl(href) {
  const url = new URL(href);
  url.hash = "";
  url.search = "";
  return url.href.replace(/\/index\.html$/, "/");
}

// The entry a request is for: listed (saved ahead), or one made up for a file of the site saved
// as visited; none for files never saved and anything outside the site.
function entryFor(href) {
  const url = savedUrl(href);
  if (entries.has(url)) return entries.get(url);
  if (!url.startsWith(scope) || unsaved.has(url) || /\.(gz|br)$/.test(url)) return undefined;
  return { url, revision: VISITED, bytes: null, page: false };
}

// The entry of a URL a page says it loaded (not trusted to be a URL at all).
function entryOfLoaded(href) {
  try {
    return entryFor(href);
  } catch (error) {
    return undefined;
  }
}

// The stored copy of `entry` in `cache`, if it is this build's revision.
async function stored(cache, entry) {
  const hit = await cache.match(entry.url);
  return hit && hit.headers.get(REVISION) === entry.revision ? hit : undefined;
}

// Puts `body` (with `from`'s headers) into `cache` as `url`, marked with `revision`. The body
// is decoded: the headers that described it on the wire go.
async function keep(cache, url, from, body, revision) {
  const headers = new Headers(from.headers);
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  headers.set(REVISION, revision);
  await cache.put(url, new Response(body, { status: 200, statusText: "OK", headers }));
}

// Stores `response` as `entry` once its body has arrived whole and, for a listed file, has the
// build's length (a response of another build, mid-deploy, is not stored under this build's
// name).
async function store(cache, entry, response) {
  if (!response.ok || response.type !== "basic" || response.redirected) return false;
  const body = await response.arrayBuffer();
  if (entry.bytes !== null && body.byteLength !== entry.bytes) return false;
  await keep(cache, entry.url, response, body, entry.revision);
  return true;
}

// Downloads `entry` into `cache`; `cacheMode` "force-cache" takes what the browser already has.
async function download(cache, entry, cacheMode) {
  const response = await fetch(new Request(entry.url, { cache: cacheMode, credentials: "same-origin" }));
  return store(cache, entry, response);
}

// Copies `entry` from an earlier build's cache, if one holds this build's revision.
async function copyFromEarlierBuild(cache, entry) {
  for (const name of (await caches.keys()).filter((n) => isOurs(n) && n !== CACHE)) {
    const hit = await stored(await caches.open(name), entry);
    if (hit) {
      await cache.put(entry.url, hit);
      return true;
    }
  }
  return false;
}

// A file saved as visited by an earlier build, asked for again with its ETag: copied when the
// host says it has not changed, downloaded when it has, dropped when the host has no ETag.
async function revalidate(cache, url, earlier) {
  const etag = earlier.headers.get("ETag");
  if (!etag) return;
  const response = await fetch(new Request(url, { cache: "no-store", headers: { "If-None-Match": etag } }));
  const entry = { url, revision: VISITED, bytes: null, page: false };
  if (response.status === 304) await keep(cache, url, earlier, await earlier.arrayBuffer(), VISITED);
  else await store(cache, entry, response);
}

// An update: before this worker counts as installed, every file an earlier build saved is
// copied when its revision is unchanged and downloaded when it changed, and what is saved ahead
// is made complete; so the reload the page offers shows the whole new build.
async function prepareUpdate() {
  const cache = await caches.open(CACHE);
  const visited = new Map();
  for (const name of (await caches.keys()).filter((n) => isOurs(n) && n !== CACHE)) {
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      const entry = entryFor(request.url);
      if (!entry || entry.revision !== VISITED || visited.has(entry.url)) continue;
      const response = await old.match(request);
      if (response && !(await cache.match(entry.url))) visited.set(entry.url, response);
    }
  }
  for (const entry of savedAhead) {
    if (await stored(cache, entry)) continue;
    if (await copyFromEarlierBuild(cache, entry)) continue;
    if (!(await download(cache, entry, "no-cache"))) throw new Error("plumb: " + entry.url + " changed during the update");
  }
  for (const [url, earlier] of visited) await revalidate(cache, url, earlier);
}

self.addEventListener("install", (event) => {
  // A first visit has nothing to update: the worker takes over at once and the page asks it to
  // save (see "plumb-save"), so nothing waits for the whole site to arrive.
  if (self.registration.active) event.waitUntil(prepareUpdate());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((n) => isOurs(n) && n !== CACHE).map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

// Tells every open page how saving goes: pages saved ahead so far, of how many, and whether
// saving goes on ("saving"), is complete ("ready") or stopped ("paused").
async function announce(saved, total, state) {
  const message = { type: "plumb-offline", saved, total, state };
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage(message);
}

let saving = null;

// Saves, in order: the files the page already loaded (from the browser's cache), then what is
// saved ahead. Each file is stored as it arrives; a failure stops the run, and the next page
// load starts another that skips what is there.
async function save(loaded) {
  const cache = await caches.open(CACHE);
  const first = [];
  for (const entry of loaded.map(entryOfLoaded)) {
    if (entry && !first.some((e) => e.url === entry.url)) first.push(entry);
  }
  // The page asking is the first of what it loaded.
  const ahead = aheadFor(loaded.length ? savedUrl(loaded[0]) : scope);
  const total = ahead.filter((entry) => entry.page).length;
  const queue = first.concat(ahead.filter((entry) => !first.includes(entry)));
  let pagesSaved = 0;
  try {
    for (const [index, entry] of queue.entries()) {
      const downloading = !(await stored(cache, entry));
      if (downloading) {
        const ok = await download(cache, entry, index < first.length ? "force-cache" : "no-cache");
        // A listed file that did not arrive as the build wrote it belongs to another build: a
        // newer worker is on its way. Anything else the page loaded may just not be a file of
        // the site (the browser's /favicon.ico).
        if (!ok && entries.has(entry.url)) throw new Error("plumb: " + entry.url + " is not this build's");
      }
      if (entries.has(entry.url) && entry.page) {
        pagesSaved += 1;
        // A visit that finds everything saved goes straight to "ready", without counting aloud.
        if (downloading) await announce(pagesSaved, total, "saving");
      }
    }
    await announce(pagesSaved, total, "ready");
  } catch (error) {
    await announce(pagesSaved, total, "paused");
  }
}

self.addEventListener("message", (event) => {
  const data = event.data;
  if (data === "plumb-skip-waiting") {
    self.skipWaiting();
  } else if (data && data.type === "plumb-save" && Array.isArray(data.loaded)) {
    if (!saving) {
      const urls = data.loaded.filter((url) => typeof url === "string");
      saving = save(urls).finally(() => { saving = null; });
    }
    event.waitUntil(saving);
  }
});

async function respond(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const entry = entryFor(request.url);
  const hit = entry && (await stored(cache, entry));
  if (hit) return hit;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    if (request.mode !== "navigate") throw error;
    const page = await cache.match(new URL("404.html", scope).href);
    if (!page) throw error;
    return new Response(page.body, { status: 404, statusText: "Not Found", headers: page.headers });
  }
  // A file of the build the reader opens is saved as it passes, within the budget or not: the
  // reader opened it.
  if (entry && response.ok) event.waitUntil(store(cache, entry, response.clone()).catch(() => false));
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(respond(event));
});
