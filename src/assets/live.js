// The dev server's live reload, injected by `plumb serve` only: it follows the server over a
// websocket, tells it which page is open (so that page is rebuilt first), updates the page in
// place after a content change (a DOM morph that keeps scroll, focus and typed answers; a full
// reload, keeping the scroll position, when the head, a script or an element a script owns
// changed: a checklist's form, the search field), swaps stylesheets after a CSS change without
// a reload, shows a build error over the page until it is fixed, and a build's warnings in a
// panel at the bottom that hides nothing. It reconnects on its own when the server restarts.
(function () {
  "use strict";
  var scrollKey = "plumb-scroll:" + location.pathname;
  // The build this page came from: a newer one announced on connecting means a reload.
  var script = document.currentScript;
  var version = script && script.dataset.version ? Number(script.dataset.version) : null;
  var overlay = null;
  var warningsPanel = null;
  // Elements of this script's own, never morphed away.
  var OWN_IDS = ["plumb-error", "plumb-warnings"];
  // Elements the page's scripts own once it has loaded: a checklist's form (its answers) and
  // the search field (shown, filled with results). A morph leaves them as they are, and a
  // change to their markup is applied by a reload instead.
  var SCRIPT_OWNED = "[data-checklist], [data-search]";

  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  // The page as the server sent it last: what a new version is compared with. Scripts change
  // the live DOM (a checklist's answers), so the live DOM cannot tell what the server changed.
  var served = null;

  function fetchPage() {
    return fetch(location.href, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("status " + response.status);
      return response.text();
    }).then(function (text) {
      return new DOMParser().parseFromString(text, "text/html");
    });
  }

  // What only a reload applies: the head (less this script, whose build number changes), every
  // script, and the elements scripts own.
  function reloadSignature(doc) {
    var head = doc.head.cloneNode(true);
    head.querySelectorAll('script[src="/__plumb/live.js"]').forEach(function (s) { s.remove(); });
    var parts = [head.innerHTML];
    doc.body.querySelectorAll("script, " + SCRIPT_OWNED).forEach(function (element) {
      parts.push(element.outerHTML);
    });
    return parts.join("\n");
  }

  // Elements the page's scripts own: morphing leaves them as they are.
  function isOwned(node) {
    return node.nodeType === 1 && (node.matches(SCRIPT_OWNED) || OWN_IDS.indexOf(node.id) >= 0);
  }

  function sameKind(live, next) {
    return live.nodeType === next.nodeType && live.nodeName === next.nodeName &&
      (live.nodeType !== 1 || live.id === next.id);
  }

  // Brings `live`'s children to `next`'s, position by position; an element keeps its identity
  // (and so its listeners, focus and typed value) when its tag and id stay the same.
  function morphChildren(live, next) {
    var liveNodes = Array.prototype.filter.call(live.childNodes, function (n) { return !(n.nodeType === 1 && OWN_IDS.indexOf(n.id) >= 0); });
    var nextNodes = Array.prototype.slice.call(next.childNodes);
    nextNodes.forEach(function (nextNode, i) {
      var liveNode = liveNodes[i];
      if (!liveNode) live.appendChild(document.importNode(nextNode, true));
      else if (!sameKind(liveNode, nextNode)) liveNode.replaceWith(document.importNode(nextNode, true));
      else morphNode(liveNode, nextNode);
    });
    liveNodes.slice(nextNodes.length).forEach(function (extra) { extra.remove(); });
  }

  function morphNode(live, next) {
    if (live.nodeType !== 1) {
      if (live.nodeValue !== next.nodeValue) live.nodeValue = next.nodeValue;
      return;
    }
    if (isOwned(live)) return;
    Array.prototype.slice.call(live.attributes).forEach(function (attribute) {
      if (!next.hasAttribute(attribute.name)) live.removeAttribute(attribute.name);
    });
    Array.prototype.forEach.call(next.attributes, function (attribute) {
      if (live.getAttribute(attribute.name) !== attribute.value) live.setAttribute(attribute.name, attribute.value);
    });
    morphChildren(live, next);
  }

  // Shows the server's new version of the page: in place when only the body's markup changed.
  function update() {
    fetchPage().then(function (next) {
      if (served === null || reloadSignature(next) !== reloadSignature(served)) return reload();
      if (document.title !== next.title) document.title = next.title;
      morphChildren(document.body, next.body);
      served = next;
    }).catch(reload);
  }

  function swapStylesheets() {
    var stamp = "plumb=" + Date.now();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.delete("plumb");
      link.href = url.pathname + "?" + stamp;
    });
  }

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "plumb-error";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.inset = "0"; s.zIndex = "2147483647"; s.overflow = "auto";
      s.background = "rgba(20, 20, 20, 0.94)"; s.color = "#fff"; s.padding = "1.5rem";
      s.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
      var title = document.createElement("h2");
      title.textContent = "The site did not build";
      title.style.color = "#ff8a80";
      title.style.font = "bold 18px system-ui, sans-serif";
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text + "\n\nThe last good version of the page is underneath; this goes away when the error is fixed.";
  }

  function hideError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  // The warnings `plumb build` would print, or none: a panel at the bottom, closable.
  function showWarnings(text) {
    if (!text) {
      if (warningsPanel) { warningsPanel.remove(); warningsPanel = null; }
      return;
    }
    if (!warningsPanel) {
      warningsPanel = document.createElement("div");
      warningsPanel.id = "plumb-warnings";
      warningsPanel.setAttribute("role", "status");
      var s = warningsPanel.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "40vh";
      s.overflow = "auto"; s.zIndex = "2147483646"; s.background = "#2b2100"; s.color = "#fff";
      s.padding = "0.75rem 1rem"; s.font = "13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.style.float = "right";
      close.addEventListener("click", function () { warningsPanel.remove(); warningsPanel = null; });
      var title = document.createElement("h2");
      title.textContent = "The site built with warnings";
      title.style.color = "#ffd54f";
      title.style.font = "bold 15px system-ui, sans-serif";
      title.style.margin = "0 0 0.5rem";
      var pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      pre.style.margin = "0";
      warningsPanel.appendChild(close);
      warningsPanel.appendChild(title);
      warningsPanel.appendChild(pre);
      document.body.appendChild(warningsPanel);
    }
    warningsPanel.querySelector("pre").textContent = text;
  }

  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__plumb/socket");
    socket.onopen = function () {
      socket.send(JSON.stringify({ kind: "open", path: location.pathname }));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.kind === "hello") {
        if (version !== null && version !== message.version) return reload();
        version = message.version;
        if (message.error) showError(message.error); else hideError();
        showWarnings(message.warnings);
        if (served === null) fetchPage().then(function (doc) { served = doc; }).catch(function () {});
      } else if (message.kind === "reload") {
        version = message.version;
        hideError();
        showWarnings(message.warnings);
        update();
      } else if (message.kind === "css") {
        version = message.version;
        hideError();
        showWarnings(message.warnings);
        swapStylesheets();
      } else if (message.kind === "error") {
        showError(message.error);
      }
    };
    socket.onclose = function () { setTimeout(connect, 300); };
  }

  connect();
})();
