// plumb's service worker, generated at build. It saves the site on the reader's device a file at
// a time, in the order the build chose (the page being read first, taken from what the browser
// already downloaded; then the checklists' pages; then the rest in reading order), so a dropped
// connection keeps every file that arrived and the next visit goes on from there. Files past
// the site's budget are saved when the reader opens them. It serves saved files first (pages
// too); the cache holds one build, named after it, and each stored file carries its revision,
// so a new build downloads only the files whose bytes changed. A new build's worker waits for
// the page's consent before it takes over (the page offers a reload).
"use strict";
const CACHE = "plumb-" + __PLUMB_BUILD__;
// [url relative to the site's root, revision, bytes, flags], in the order of saving.
const FILES = __PLUMB_FILES__;
const PAGE = 1;
const AHEAD = 2;
const REVISION = "X-Plumb-Revision";

const scope = self.registration.scope;
const entries = new Map(FILES.map(([path, revision, bytes, flags]) => {
  const url = new URL(path, scope).href;
  return [url, { url, revision, bytes, page: (flags & PAGE) !== 0, ahead: (flags & AHEAD) !== 0 }];
}));
const savedAhead = [...entries.values()].filter((entry) => entry.ahead);
const pagesAhead = savedAhead.filter((entry) => entry.page).length;

const isOurs = (name) => name.startsWith("plumb-");

// The entry of the build a request is for (`a/index.html` is the page `a/`), if it is saved.
function entryFor(href) {
  const url = new URL(href);
  url.hash = "";
  url.search = "";
  return entries.get(url.href) || entries.get(url.href.replace(/index\.html$/, ""));
}

// The stored copy of `entry` in `cache`, if it is this build's revision.
async function stored(cache, entry) {
  const hit = await cache.match(entry.url);
  return hit && hit.headers.get(REVISION) === entry.revision ? hit : undefined;
}

// Stores `response` as `entry` once its body has arrived whole and has the build's length (a
// response of another build, mid-deploy, is not stored under this build's name).
async function store(cache, entry, response) {
  if (!response.ok || response.type !== "basic" || response.redirected) return false;
  const body = await response.arrayBuffer();
  if (body.byteLength !== entry.bytes) return false;
  const headers = new Headers(response.headers);
  headers.set(REVISION, entry.revision);
  await cache.put(entry.url, new Response(body, { status: 200, statusText: "OK", headers }));
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

// An update: before this worker counts as installed, every file an earlier build saved is
// copied when its revision is unchanged and downloaded when it changed, and what is saved ahead
// is made complete; so the reload the page offers shows the whole new build.
async function prepareUpdate() {
  const cache = await caches.open(CACHE);
  const earlier = new Set();
  for (const name of (await caches.keys()).filter((n) => isOurs(n) && n !== CACHE)) {
    for (const request of await (await caches.open(name)).keys()) earlier.add(request.url);
  }
  for (const entry of entries.values()) {
    if (!entry.ahead && !earlier.has(entry.url)) continue;
    if (await stored(cache, entry)) continue;
    if (await copyFromEarlierBuild(cache, entry)) continue;
    if (!(await download(cache, entry, "no-cache"))) throw new Error("plumb: " + entry.url + " changed during the update");
  }
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
async function announce(saved, state) {
  const message = { type: "plumb-offline", saved, total: pagesAhead, state };
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage(message);
}

let saving = null;

// Saves, in order: the files the page already loaded (from the browser's cache), then what is
// saved ahead. Each file is stored as it arrives; a failure stops the run, and the next page
// load starts another that skips what is there.
async function save(loaded) {
  const cache = await caches.open(CACHE);
  const first = [...new Set(loaded.map(entryFor).filter(Boolean))];
  const queue = first.concat(savedAhead.filter((entry) => !first.includes(entry)));
  let pagesSaved = 0;
  try {
    for (const [index, entry] of queue.entries()) {
      if (!(await stored(cache, entry))) {
        const ok = await download(cache, entry, index < first.length ? "force-cache" : "no-cache");
        if (!ok) throw new Error("plumb: " + entry.url + " is not this build's");
      }
      if (entry.ahead && entry.page) {
        pagesSaved += 1;
        await announce(pagesSaved, "saving");
      }
    }
    await announce(pagesSaved, "ready");
  } catch (error) {
    await announce(pagesSaved, "paused");
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
