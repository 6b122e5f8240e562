// plumb's service worker, generated at build: precaches every file of one build under a cache
// named after the build's hash, serves from that cache (pages too) so the site works offline,
// removes older builds' caches once it takes over, and waits for the page's consent before it
// does (the page offers a reload when a new version has installed).
"use strict";
var CACHE = "plumb-" + __PLUMB_BUILD__;
var FILES = __PLUMB_FILES__;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(FILES.map(function (f) { return new Request(f, { cache: "reload" }); }));
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("plumb-") === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data === "plumb-skip-waiting") self.skipWaiting();
});

function lookup(cache, request) {
  var url = new URL(request.url);
  url.hash = "";
  return cache.match(url.href, { ignoreSearch: true }).then(function (hit) {
    if (hit || !/\/index\.html$/.test(url.pathname)) return hit;
    url.pathname = url.pathname.replace(/index\.html$/, "");
    return cache.match(url.href, { ignoreSearch: true });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return lookup(cache, request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).catch(function () {
        if (request.mode !== "navigate") throw new Error("offline");
        return cache.match(new URL("404.html", self.registration.scope).href).then(function (page) {
          return page && new Response(page.body, { status: 404, statusText: "Not Found", headers: page.headers });
        });
      });
    });
  }));
});
