// Registers plumb's service worker (where browsers allow one: https or localhost) and, when a
// new version of the site has installed, offers the reader a reload instead of switching pages
// under them. Loaded as a classic script from the site's root folder, so the worker's URL is
// found next to this file.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var secure = location.protocol === "https:" || location.hostname === "localhost" || location.hostname === "127.0.0.1";
  if (!secure) return;
  var sw = new URL("sw.js", script.src);
  var requested = false;

  function offer(worker) {
    if (document.querySelector(".plumb-update")) return;
    var box = document.createElement("div");
    box.className = "plumb-update";
    box.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = "A new version of this site is ready.";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "plumb-update-reload";
    button.textContent = "Reload";
    button.addEventListener("click", function () {
      requested = true;
      worker.postMessage("plumb-skip-waiting");
    });
    box.appendChild(text);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(button);
    document.body.appendChild(box);
  }

  function watch(worker) {
    worker.addEventListener("statechange", function () {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  }

  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (!requested) return;
    requested = false;
    location.reload();
  });

  navigator.serviceWorker.register(sw.href, { scope: new URL("./", sw).href }).then(function (reg) {
    document.documentElement.setAttribute("data-offline", "registered");
    if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
    if (reg.installing) watch(reg.installing);
    reg.addEventListener("updatefound", function () { if (reg.installing) watch(reg.installing); });
    if (reg.active) reg.update().catch(function () {});
  }).catch(function () {});
})();
