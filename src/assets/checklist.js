// plumb checklist script (built-in asset `checklist.js`). Owns, for every [data-checklist]
// section on the page: live scoring (spec section 2; must agree exactly with the Rust
// reference), conditional questions, saving/restoring answers in localStorage, and the
// reset/export/import/share/print tools. Classic deferred script, no inline styles, no
// innerHTML: safe under `script-src 'self'; style-src 'self'` and from file://.
//
// Classes this script adds (style them in the theme; give buttons/inputs >= 24x24 px):
//   js (on <html>), checklist-enhanced (on the [data-checklist] root)
//   checklist-notices, checklist-notice, checklist-notice-warning   notes above the form
//   checklist-report                       full result, right after .checklist-result
//   checklist-report-heading               its h3/h4 headings
//   checklist-progress, checklist-progress-label, checklist-progress-bar   "7 of 12 answered" + <progress>
//   checklist-overall, checklist-verdict, checklist-verdict-title, checklist-verdict-summary,
//   checklist-next-steps-label, checklist-next-steps, checklist-dimensions
//   checklist-map, checklist-holder, checklist-holder-{you,shared,platform,unknown}
//   checklist-find-out, checklist-find-out-question, checklist-find-out-action
//   checklist-button, checklist-button-{reset,export,import,share,print}
//   checklist-import-label, checklist-import-input, checklist-visually-hidden
//   checklist-share, checklist-share-label, checklist-share-field, checklist-tools-message
//   checklist-download (temporary hidden <a download>)
(function () {
  "use strict";
  const own = (o, k) => o != null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k);
  const optionOf = (q, id) => typeof id === "string" ? q.options.find((o) => o.id === id) || null : null;
  const num = (v, d) => (typeof v === "number" ? v : d);

  // Spec section 2. Pure: model + {questionId: optionId} -> result object.
  function score(model, answers) {
    answers = answers || {};
    const vis = new Map(), dims = new Map(), visible = [], map = [], findOut = [];
    let answered = 0;
    model.dimensions.forEach((d) => dims.set(d.id, { n: 0, d: 0 }));
    model.questions.forEach((q) => {
      const s = q.show_if;
      const v = !s || (vis.get(s.question) === true && own(answers, s.question) &&
        s.answers.indexOf(answers[s.question]) >= 0);
      vis.set(q.id, v);
      if (!v) return;
      visible.push(q.id);
      const o = own(answers, q.id) ? optionOf(q, answers[q.id]) : null;
      if (o) answered++;
      if (o && o.unsure) findOut.push(q.id);
      const d = dims.get(q.dimension);
      if (o && !o.unsure && d) {
        const w = num(q.weight, 1), max = Math.max.apply(null, q.options.map((x) => num(x.points, 0)));
        d.n += w * num(o.points, 0);
        d.d += w * max;
      }
      if (q.control_point != null) {
        map.push({ question: q.id, holder: (o && !o.unsure && o.holder) || "unknown" });
      }
    });
    const dimensions = {};
    let N = 0, D = 0;
    model.dimensions.forEach((dim) => {
      const d = dims.get(dim.id);
      const p = d.d === 0 ? null : Math.floor((200 * d.n + d.d) / (2 * d.d));
      dimensions[dim.id] = p;
      if (p !== null) { const W = num(dim.weight, 1); N += W * p; D += W; }
    });
    const overall = D === 0 ? null : Math.floor((2 * N + D) / (2 * D));
    const band = overall === null ? null : model.bands.find((b) => b.min <= overall && overall <= b.max);
    return {
      overall, band: band ? band.id : null, dimensions, answered, visible: visible.length,
      visible_questions: visible, control_map: map, find_out: findOut,
    };
  }

  // Keep only known question ids mapped to known option ids, in question order.
  function sanitize(model, answers) {
    const out = {};
    model.questions.forEach((q) => {
      if (own(answers, q.id) && optionOf(q, answers[q.id])) out[q.id] = answers[q.id];
    });
    return out;
  }

  // Stored/exported value -> {answers, cleared: [question ids dropped because changed_in > version]}.
  function migrate(model, stored) {
    const a = sanitize(model, stored && stored.answers), ver = num(stored && stored.version, 0), cleared = [];
    model.questions.forEach((q) => {
      if (own(a, q.id) && q.changed_in != null && ver < q.changed_in) { delete a[q.id]; cleared.push(q.id); }
    });
    return { answers: a, cleared };
  }

  const storedValue = (model, answers, date) =>
    ({ checklist: model.id, version: model.version, answers, saved: date.toISOString() });

  function encodeAnswers(answers) {
    const bytes = new TextEncoder().encode(JSON.stringify(answers));
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // base64url JSON -> object of string values, or null if anything is off.
  function decodeAnswers(str) {
    try {
      const s = str.replace(/-/g, "+").replace(/_/g, "/");
      const bin = atob(s + "===".slice((s.length + 3) % 4));
      const data = JSON.parse(new TextDecoder("utf-8", { fatal: true })
        .decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
      if (!data || typeof data !== "object" || Array.isArray(data)) return null;
      const out = {};
      Object.keys(data).forEach((k) => { if (typeof data[k] === "string" && k !== "__proto__") out[k] = data[k]; });
      return out;
    } catch (e) {
      return null;
    }
  }

  // Fragment parts, "&"-separated; ours look like "answers=<id>:<base64url>".
  const hashParts = (hash) => (hash || "").replace(/^#/, "").split("&").filter(Boolean);
  const partFor = (part, id) => {
    let p = part;
    try { p = decodeURIComponent(part); } catch (e) { /* keep raw */ }
    return p.indexOf("answers=" + id + ":") === 0 ? p.slice(9 + id.length) : null;
  };

  function parseShare(hash, id) {
    for (const part of hashParts(hash)) {
      const data = partFor(part, id);
      if (data !== null) return decodeAnswers(data);
    }
    return null;
  }

  // The fragment with this checklist's answers removed ("" when nothing is left).
  function stripShare(hash, id) {
    const rest = hashParts(hash).filter((p) => partFor(p, id) === null);
    return rest.length ? "#" + rest.join("&") : "";
  }

  const shareUrl = (href, id, answers) => href.split("#")[0] + "#answers=" + id + ":" + encodeAnswers(answers);

  const HOLDERS = { you: "You", shared: "Shared", platform: "Platform", unknown: "Unknown" };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function init(root) {
    let model;
    try { model = JSON.parse(root.querySelector("script.checklist-model").textContent); } catch (e) { return; }
    const id = model.id, key = "plumb-checklist:" + id, pre = "checklist-" + id + "-";
    const form = root.querySelector(".checklist-form"), status = root.querySelector(".checklist-result");
    if (!form || !status) return;
    const qs = new Map(model.questions.map((q) => [q.id, q]));
    const fieldsets = Array.from(form.querySelectorAll("fieldset[data-question]"));
    root.classList.add("checklist-enhanced");
    root.querySelectorAll(".checklist-condition").forEach((p) => { p.hidden = true; });
    const notices = el("div", "checklist-notices");
    form.parentNode.insertBefore(notices, form);
    const report = el("div", "checklist-report");
    status.parentNode.insertBefore(report, status.nextSibling);
    let tools = root.querySelector(".checklist-tools");
    if (!tools) { tools = el("div", "checklist-tools"); report.parentNode.insertBefore(tools, report.nextSibling); }

    const notice = (text, cls) => notices.appendChild(el("p", "checklist-notice" + (cls ? " " + cls : ""), text));
    let store = null, warned = false;
    const warn = () => {
      if (warned) return;
      warned = true;
      notice("Your answers can't be saved on this device; they will be lost when you close the page.",
        "checklist-notice-warning");
    };
    try {
      store = window.localStorage;
      store.setItem("plumb-checklist:", "1");
      store.removeItem("plumb-checklist:");
    } catch (e) { store = null; warn(); }

    let answers = {};
    const save = () => {
      if (!store) return warn();
      try {
        if (Object.keys(answers).length) store.setItem(key, JSON.stringify(storedValue(model, answers, new Date())));
        else store.removeItem(key);
      } catch (e) { store = null; warn(); }
    };
    const sync = () => fieldsets.forEach((fs) => {
      const q = fs.getAttribute("data-question");
      fs.querySelectorAll("input[type=radio]").forEach((r) => { r.checked = own(answers, q) && answers[q] === r.value; });
    });
    const cleared = "Some answers were cleared because this checklist changed since you gave them. Please answer those questions again.";

    if (store) {
      let stored = null;
      try { stored = JSON.parse(store.getItem(key)); } catch (e) { /* unreadable: start empty */ }
      if (stored && stored.checklist === id) {
        const m = migrate(model, stored);
        answers = m.answers;
        if (m.cleared.length) { notice(cleared); save(); }
      }
    }

    // Tools.
    const msg = el("p", "checklist-tools-message");
    msg.setAttribute("role", "status");
    const say = (text) => { msg.textContent = text; };
    const button = (label, name, fn) => {
      const b = el("button", "checklist-button checklist-button-" + name, label);
      b.type = "button";
      b.addEventListener("click", fn);
      tools.appendChild(b);
    };
    const apply = (a, text) => { answers = a; sync(); save(); update(); say(text); };

    button("Reset answers", "reset", () => {
      if (!window.confirm("Clear all your answers to this checklist? This cannot be undone.")) return;
      apply({}, "Answers cleared.");
    });
    button("Export answers", "export", () => {
      const blob = new Blob([JSON.stringify(storedValue(model, answers, new Date()), null, 2) + "\n"],
        { type: "application/json" });
      const a = el("a", "checklist-download");
      a.href = URL.createObjectURL(blob);
      a.download = id + "-answers.json";
      a.hidden = true;
      root.appendChild(a);
      a.click();
      root.removeChild(a);
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    });
    const file = el("input", "checklist-import-input checklist-visually-hidden");
    file.type = "file";
    file.id = pre + "import";
    file.accept = ".json,application/json";
    file.tabIndex = -1;
    const fileLabel = el("label", "checklist-import-label checklist-visually-hidden", "Import answers from a file");
    fileLabel.htmlFor = file.id;
    button("Import answers", "import", () => file.click());
    file.addEventListener("change", () => {
      const f = file.files && file.files[0];
      if (!f) return;
      const rd = new FileReader();
      rd.onload = () => {
        let data = null;
        try { data = JSON.parse(rd.result); } catch (e) { /* reported below */ }
        file.value = "";
        if (!data || data.checklist !== id || !data.answers || typeof data.answers !== "object") {
          return say("That file does not hold answers for this checklist; nothing was changed.");
        }
        const m = migrate(model, data);
        apply(m.answers, m.cleared.length ? "Answers imported. " + cleared : "Answers imported.");
      };
      rd.onerror = () => { file.value = ""; say("The file could not be read."); };
      rd.readAsText(f);
    });
    const share = el("p", "checklist-share");
    const shareLabel = el("label", "checklist-share-label", "Share link (it contains your answers): ");
    const shareField = el("input", "checklist-share-field");
    shareField.type = "text";
    shareField.readOnly = true;
    shareField.id = shareLabel.htmlFor = pre + "share";
    shareField.addEventListener("focus", () => shareField.select());
    share.append(shareLabel, shareField);
    share.hidden = true;
    button("Copy share link", "share", () => {
      const url = shareUrl(location.href, id, answers);
      shareField.value = url;
      share.hidden = false;
      const fallback = () => say("Copy the link shown below the buttons.");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(() => say("Link copied. It is also shown below the buttons."), fallback);
      } else fallback();
    });
    button("Print", "print", () => window.print());
    tools.append(fileLabel, file, share, msg);

    // Result rendering: short line in the live region, full report in a plain sibling.
    function update() {
      const r = score(model, answers), shown = new Set(r.visible_questions);
      fieldsets.forEach((fs) => { fs.hidden = !shown.has(fs.getAttribute("data-question")); });
      const band = model.bands.find((b) => b.id === r.band);
      const progress = r.answered + " of " + r.visible + " answered";
      status.textContent = progress + "." + (r.overall === null ? "" :
        " Score " + r.overall + " out of 100" + (band ? ": " + band.title : "") + ".");
      if (!share.hidden) shareField.value = shareUrl(location.href, id, answers);

      report.textContent = "";
      const add = (parent, tag, cls, text) => parent.appendChild(el(tag, cls, text));
      const head = (lvl, text) => add(report, "h" + lvl, "checklist-report-heading", text);
      head(3, "Your result");
      const p = add(report, "p", "checklist-progress");
      const bar = el("progress", "checklist-progress-bar");
      bar.id = pre + "progress";
      bar.max = r.visible || 1;
      bar.value = r.answered;
      add(p, "label", "checklist-progress-label", progress + " ").htmlFor = bar.id;
      p.appendChild(bar);
      add(report, "p", "checklist-overall", r.overall === null
        ? "Overall score: not available yet. Answer at least one question with something other than \u201cNot sure\u201d."
        : "Overall score: " + r.overall + " out of 100");
      if (band) {
        const v = add(report, "div", "checklist-verdict");
        add(v, "h4", "checklist-report-heading checklist-verdict-title", band.title);
        add(v, "p", "checklist-verdict-summary", band.summary);
        if (band.next_steps && band.next_steps.length) {
          add(v, "p", "checklist-next-steps-label", "Next steps:");
          const ul = add(v, "ul", "checklist-next-steps");
          band.next_steps.forEach((s) => add(ul, "li", "", s));
        }
      }
      head(4, "Score by dimension");
      const dl = add(report, "ul", "checklist-dimensions");
      model.dimensions.forEach((d) => {
        const x = r.dimensions[d.id];
        add(dl, "li", "", d.title + ": " + (x === null ? "no score yet" : x + " out of 100"));
      });
      if (r.control_map.length) {
        head(4, "Who holds each control point");
        const t = add(report, "table", "checklist-map"), hr = add(add(t, "thead"), "tr");
        add(hr, "th", "", "Control point").scope = "col";
        add(hr, "th", "", "Held by").scope = "col";
        const tb = add(t, "tbody");
        r.control_map.forEach((c) => {
          const tr = add(tb, "tr"), h = HOLDERS[c.holder] ? c.holder : "unknown";
          add(tr, "th", "", qs.get(c.question).control_point).scope = "row";
          add(tr, "td", "checklist-holder checklist-holder-" + h, HOLDERS[h]);
        });
      }
      if (r.find_out.length) {
        head(4, "Find out");
        const ul = add(report, "ul", "checklist-find-out");
        r.find_out.forEach((qid) => {
          const q = qs.get(qid), li = add(ul, "li");
          add(li, "p", "checklist-find-out-question", q.text);
          if (q.find_out) add(li, "p", "checklist-find-out-action", q.find_out);
        });
      }
    }

    // Answers from a shared link win over stored ones; the fragment is then removed so a
    // reload keeps later changes.
    const loadShared = () => {
      const a = parseShare(location.hash, id);
      if (!a) return;
      answers = sanitize(model, a);
      sync();
      save();
      notice("Answers loaded from a shared link.");
      try { history.replaceState(history.state, "", location.href.split("#")[0] + stripShare(location.hash, id)); } catch (e) { /* keep fragment */ }
      update();
    };
    window.addEventListener("hashchange", loadShared);
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("change", (e) => {
      const t = e.target, fs = t.closest && t.closest("fieldset[data-question]");
      if (!fs || t.type !== "radio" || !t.checked || !qs.has(fs.getAttribute("data-question"))) return;
      answers[fs.getAttribute("data-question")] = t.value;
      save();
      update();
    });
    sync();
    update();
    loadShared();
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { score, sanitize, migrate, storedValue, encodeAnswers, decodeAnswers, parseShare, stripShare, shareUrl };
  } else {
    document.documentElement.classList.add("js");
    document.querySelectorAll("[data-checklist]").forEach(init);
  }
})();
