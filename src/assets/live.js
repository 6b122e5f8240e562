// The dev server's live reload, injected by `plumb serve` only: it follows the server over a
// websocket, reloads the page after a content change (keeping the scroll position), swaps
// stylesheets after a CSS change without a reload, and shows a build error over the page until
// it is fixed. It reconnects on its own when the server restarts.
(function () {
  "use strict";
  var scrollKey = "plumb-scroll:" + location.pathname;
  // The build this page came from: a newer one announced on connecting means a reload.
  var script = document.currentScript;
  var version = script && script.dataset.version ? Number(script.dataset.version) : null;
  var overlay = null;

  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
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

  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__plumb/socket");
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.kind === "hello") {
        if (version !== null && version !== message.version) return reload();
        version = message.version;
        if (message.error) showError(message.error); else hideError();
      } else if (message.kind === "reload") {
        version = message.version;
        reload();
      } else if (message.kind === "css") {
        version = message.version;
        hideError();
        swapStylesheets();
      } else if (message.kind === "error") {
        showError(message.error);
      }
    };
    socket.onclose = function () { setTimeout(connect, 300); };
  }

  connect();
})();
