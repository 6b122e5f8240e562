// Registers plumb's service worker (where browsers allow one: https or localhost), asks it to
// save the site for offline use starting with what this page already loaded, shows how saving
// goes in the theme's status element, and, when a new version of the site has installed, offers
// the reader a reload instead of switching pages under them. Loaded as a classic script from
// the site's root folder, so the worker's URL is found next to this file.
//
// The status element is the theme's: `[data-offline-status]` (role="status"), whose
// `data-saving` ("Saving for offline: {saved} of {total} pages"), `data-ready` and
// `data-paused` attributes hold the words, in the site's language; `data-update` and
// `data-reload` word the offer of a new version. Without it no status is shown, and the offer
// is in English.
(function () {
  "use strict";
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  const secure = location.protocol === "https:" || location.hostname === "localhost" || location.hostname === "127.0.0.1";
  if (!secure) return;
  const workerUrl = new URL("sw.js", script.src);
  let reloadRequested = false;

  // --- The saving status ---------------------------------------------------------------------

  const statusElement = document.querySelector("[data-offline-status]");

  function statusText(progress) {
    const words = statusElement.dataset;
    if (progress.state === "ready") return words.ready || "";
    if (progress.state === "paused") return words.paused || "";
    return (words.saving || "")
      .replace("{saved}", String(progress.saved))
      .replace("{total}", String(progress.total));
  }

  function showProgress(progress) {
    document.documentElement.setAttribute("data-offline-state", progress.state);
    if (!statusElement) return;
    const text = statusText(progress);
    if (statusElement.textContent !== text) statusElement.textContent = text;
    statusElement.setAttribute("data-state", progress.state);
  }

  navigator.serviceWorker.addEventListener("message", (event) => {
    const data = event.data;
    if (data && data.type === "plumb-offline" && typeof data.saved === "number" && typeof data.total === "number") {
      showProgress(data);
    }
  });

  // The files of the site this page loaded: the worker saves them first, from the browser's
  // cache, instead of downloading them again.
  function loadedHere() {
    const resources = performance.getEntriesByType("resource").map((entry) => entry.name);
    return [location.href].concat(resources).filter((url) => new URL(url).origin === location.origin);
  }

  function askToSave(worker) {
    worker.postMessage({ type: "plumb-save", loaded: loadedHere() });
  }

  // --- A new version ---------------------------------------------------------------------------

  function offerReload(worker) {
    if (document.querySelector(".plumb-update")) return;
    const box = document.createElement("div");
    box.className = "plumb-update";
    box.setAttribute("role", "status");
    const text = document.createElement("span");
    const words = statusElement ? statusElement.dataset : {};
    text.textContent = words.update || "A new version of this site is ready.";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "plumb-update-reload";
    button.textContent = words.reload || "Reload";
    button.addEventListener("click", () => {
      reloadRequested = true;
      worker.postMessage("plumb-skip-waiting");
    });
    box.append(text, " ", button);
    document.body.appendChild(box);
  }

  function watchInstall(worker) {
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerReload(worker);
    });
  }

  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloadRequested) {
      reloadRequested = false;
      location.reload();
    } else if (navigator.serviceWorker.controller) {
      // The first worker took over this page: saving can start.
      askToSave(navigator.serviceWorker.controller);
    }
  });

  navigator.serviceWorker.register(workerUrl.href, { scope: new URL("./", workerUrl).href }).then((registration) => {
    document.documentElement.setAttribute("data-offline", "registered");
    if (navigator.serviceWorker.controller) askToSave(navigator.serviceWorker.controller);
    if (registration.waiting && navigator.serviceWorker.controller) offerReload(registration.waiting);
    if (registration.installing) watchInstall(registration.installing);
    registration.addEventListener("updatefound", () => {
      if (registration.installing) watchInstall(registration.installing);
    });
    if (registration.active) registration.update().catch(() => {});
  }).catch(() => {});
})();
