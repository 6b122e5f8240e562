// plumb checklist script (built-in asset `checklist.js`). Owns, for every [data-checklist]
// section on the page: live scoring (the README's scoring rules; must agree exactly with the
// Rust reference), conditional questions and their numbering, the words it shows (read from the
// page's `script.checklist-words`, in the page's language: none are written here), the result (only once enough is
// answered), saving/restoring answers in localStorage, and the reset/export/summary/import/
// share/print tools. Classic deferred script, no inline styles, no innerHTML: safe under
// `script-src 'self'; style-src 'self'` and from file://.
//
// Classes this script adds (style them in the theme; give buttons/inputs >= 24x24 px):
//   js (on <html>), checklist-enhanced, checklist-has-result (on the [data-checklist] root)
//   checklist-print-worksheet (on <html> while the blank worksheet prints)
//   checklist-notices, checklist-notice, checklist-notice-warning   notes above the form
//   checklist-result-ready                 on the live line once the result is shown
//   checklist-report                       full result, right after .checklist-result
//   checklist-report-heading               its h3/h4 headings
//   checklist-progress, checklist-progress-label, checklist-progress-bar, checklist-waiting
//   checklist-overall, checklist-verdict, checklist-verdict-title, checklist-verdict-summary,
//   checklist-findings, checklist-finding-link, checklist-dimensions, checklist-dimension-text,
//   checklist-next-steps, checklist-next-step-link
//   checklist-map, checklist-risk-map, checklist-key, checklist-holder,
//   checklist-holder-{you,shared,platform,unknown}
//   checklist-find-out, checklist-find-out-question, checklist-find-out-action
//   checklist-answers (the answers in words: printed and saved, not shown on screen)
//   checklist-button, checklist-button-{reset,export,summary,import,share,print,worksheet}
//   checklist-import-label, checklist-import-input, checklist-visually-hidden
//   checklist-share, checklist-share-label, checklist-share-field, checklist-tools-message
//   checklist-download (temporary hidden <a download>)
(function () {
  "use strict";
  const own = (o, k) => o != null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k);
  const optionOf = (q, id) => typeof id === "string" ? q.options.find((o) => o.id === id) || null : null;
  const num = (v, d) => (typeof v === "number" ? v : d);

  // The README's scoring rules. Pure: model + {questionId: optionId} -> result object, the
  // same shape as the Rust reference's Outcome.
  function score(model, answers) {
    answers = answers || {};
    const shownById = new Map(), sums = new Map(), visible = [], controlMap = [], riskMap = [], findOut = [];
    let answered = 0, required = 0, requiredAnswered = 0;
    model.dimensions.forEach((d) => sums.set(d.id, { points: 0, most: 0 }));
    model.questions.forEach((q) => {
      const s = q.show_if;
      const shown = !s || (shownById.get(s.question) === true && own(answers, s.question) &&
        s.answers.indexOf(answers[s.question]) >= 0);
      shownById.set(q.id, shown);
      if (!shown) return;
      visible.push(q.id);
      const o = own(answers, q.id) ? optionOf(q, answers[q.id]) : null;
      if (o) answered++;
      if (!q.optional) { required++; if (o) requiredAnswered++; }
      if (o && o.unsure) findOut.push(q.id);
      const sum = sums.get(q.dimension);
      if (o && !o.unsure && sum) {
        const w = num(q.weight, 1), most = Math.max.apply(null, q.options.map((x) => num(x.points, 0)));
        sum.points += w * num(o.points, 0);
        sum.most += w * most;
      }
      const known = o && !o.unsure ? o : null;
      if (q.control_point != null) controlMap.push({ question: q.id, holder: (known && known.holder) || null });
      if (q.risk != null) riskMap.push({ question: q.id, holder: (known && known.carried_by) || null });
    });
    const dimensions = {}, dimensionTexts = {};
    let weighted = 0, weights = 0;
    model.dimensions.forEach((dim) => {
      const sum = sums.get(dim.id);
      const p = sum.most === 0 ? null : Math.floor((200 * sum.points + sum.most) / (2 * sum.most));
      dimensions[dim.id] = p;
      const text = p === null ? -1 : (dim.texts || []).findIndex((t) => t.min <= p && p <= t.max);
      dimensionTexts[dim.id] = text < 0 ? null : text;
      if (p !== null) { const w = num(dim.weight, 1); weighted += w * p; weights += w; }
    });
    const min = model.min_answers;
    const needed = min == null ? required : Math.min(min, visible.length);
    const left = Math.max(0, needed - (min == null ? requiredAnswered : answered));
    const ready = left === 0;
    const overall = !ready || weights === 0 ? null : Math.floor((2 * weighted + weights) / (2 * weights));
    const band = overall === null ? null : model.bands.find((b) => b.min <= overall && overall <= b.max);
    const holds = (c) => c.question != null
      ? shownById.get(c.question) === true && own(answers, c.question) && c.answers.indexOf(answers[c.question]) >= 0
      : dimensions[c.dimension] != null && c.min <= dimensions[c.dimension] && dimensions[c.dimension] <= c.max;
    const findings = !ready ? [] : (model.findings || [])
      .filter((f) => f.all.every(holds) && (f.any.length === 0 || f.any.some(holds)))
      .map((f) => f.id);
    return {
      ready, left, overall, band: band ? band.id : null, dimensions, dimension_texts: dimensionTexts,
      findings, answered, visible: visible.length, visible_questions: visible,
      control_map: controlMap, risk_map: riskMap, find_out: findOut,
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

  // Stored/exported value -> {answers, cleared: [question ids dropped because changed_in > version],
  // dropped: whether anything else was left out (a removed question, an unknown option)}. The
  // caller saves at once when anything was left out, so a question removed now and restored in
  // a later version never brings back an old answer.
  function migrate(model, stored) {
    const given = stored && stored.answers;
    const a = sanitize(model, given), ver = num(stored && stored.version, 0), cleared = [];
    const dropped = given != null && typeof given === "object" && Object.keys(given).length > Object.keys(a).length;
    model.questions.forEach((q) => {
      if (own(a, q.id) && q.changed_in != null && ver < q.changed_in) { delete a[q.id]; cleared.push(q.id); }
    });
    return { answers: a, cleared, dropped };
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

  const holderClass = (holder) => "checklist-holder checklist-holder-" + (holder || "unknown");
  const holderName = (model, holder) => (model.holders || {})[holder || "unknown"] || "";

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  // The answers in words, one "question: answer" pair per visible answered question.
  function answersInWords(model, answers, visibleQuestions) {
    const shown = new Set(visibleQuestions);
    return model.questions.filter((q) => shown.has(q.id) && own(answers, q.id) && optionOf(q, answers[q.id]))
      .map((q) => ({ question: q.text, answer: optionOf(q, answers[q.id]).label }));
  }

  // The words the script shows, from the page's `script.checklist-words` (in the page's
  // language); `{name}` in a word is filled from `values`. A missing word shows its key.
  function wordsOf(root) {
    let words = {};
    try { words = JSON.parse(root.querySelector("script.checklist-words").textContent) || {}; } catch (e) { /* keys shown */ }
    return (key, values) => {
      const text = own(words, key) ? String(words[key]) : key;
      return text.replace(/\{(\w+)\}/g, (whole, name) => (values && own(values, name) ? String(values[name]) : whole));
    };
  }

  function init(root) {
    let model;
    try { model = JSON.parse(root.querySelector("script.checklist-model").textContent); } catch (e) { return; }
    const word = wordsOf(root);
    const id = model.id, key = "plumb-checklist:" + id, pre = "checklist-" + id + "-";
    const form = root.querySelector(".checklist-form"), status = root.querySelector(".checklist-result");
    if (!form || !status) return;
    const qs = new Map(model.questions.map((q) => [q.id, q]));
    const fieldsets = Array.from(form.querySelectorAll("fieldset[data-question]"));
    // Links and the map's key, written by the template (so URLs go through the build's rewrite).
    const links = new Map();
    root.querySelectorAll(".checklist-strings a[data-link]").forEach((a) => links.set(a.getAttribute("data-link"), a));
    const keyLines = Array.from(root.querySelectorAll(".checklist-strings .checklist-map-key"));
    root.classList.add("checklist-enhanced");
    root.querySelectorAll(".checklist-condition").forEach((p) => { p.hidden = true; });
    fieldsets.forEach((fs) => {
      const n = fs.querySelector(".checklist-number");
      if (n) n.setAttribute("data-number", n.textContent);
    });
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
      notice(word("not_saved"),
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
    const cleared = word("cleared");

    if (store) {
      let stored = null;
      try { stored = JSON.parse(store.getItem(key)); } catch (e) { /* unreadable: start empty */ }
      if (stored && stored.checklist === id) {
        const m = migrate(model, stored);
        answers = m.answers;
        if (m.cleared.length) notice(cleared);
        if (m.cleared.length || m.dropped) save();
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
      return b;
    };
    const apply = (a, text) => { answers = a; sync(); save(); update(); say(text); };
    const download = (text, type, name) => {
      const a = el("a", "checklist-download");
      a.href = URL.createObjectURL(new Blob([text], { type }));
      a.download = name;
      a.hidden = true;
      root.appendChild(a);
      a.click();
      root.removeChild(a);
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    };

    const printResult = button(word("print_result"), "print", () => window.print());
    const saveSummary = button(word("save_summary"), "summary", () => {
      download(summaryHtml(), "text/html", id + "-result.html");
      say(word("summary_saved"));
    });
    button(word("print_worksheet"), "worksheet", () => {
      const html = document.documentElement, checked = Array.from(form.querySelectorAll("input:checked"));
      html.classList.add("checklist-print-worksheet");
      checked.forEach((r) => { r.checked = false; });
      fieldsets.forEach((fs) => {
        const n = fs.querySelector(".checklist-number");
        if (n) n.textContent = n.getAttribute("data-number");
      });
      try { window.print(); } finally {
        html.classList.remove("checklist-print-worksheet");
        checked.forEach((r) => { r.checked = true; });
        update();
      }
    });
    button(word("export"), "export", () => {
      download(JSON.stringify(storedValue(model, answers, new Date()), null, 2) + "\n", "application/json", id + "-answers.json");
    });
    const file = el("input", "checklist-import-input checklist-visually-hidden");
    file.type = "file";
    file.id = pre + "import";
    file.accept = ".json,application/json";
    file.tabIndex = -1;
    const fileLabel = el("label", "checklist-import-label checklist-visually-hidden", word("import_label"));
    fileLabel.htmlFor = file.id;
    button(word("import"), "import", () => file.click());
    file.addEventListener("change", () => {
      const f = file.files && file.files[0];
      if (!f) return;
      const rd = new FileReader();
      rd.onload = () => {
        let data = null;
        try { data = JSON.parse(rd.result); } catch (e) { /* reported below */ }
        file.value = "";
        if (!data || data.checklist !== id || !data.answers || typeof data.answers !== "object") {
          return say(word("import_wrong"));
        }
        const m = migrate(model, data);
        apply(m.answers, m.cleared.length ? word("imported") + " " + cleared : word("imported"));
      };
      rd.onerror = () => { file.value = ""; say(word("import_unreadable")); };
      rd.readAsText(f);
    });
    const share = el("p", "checklist-share");
    const shareLabel = el("label", "checklist-share-label", word("share_label"));
    const shareField = el("input", "checklist-share-field");
    shareField.type = "text";
    shareField.readOnly = true;
    shareField.id = shareLabel.htmlFor = pre + "share";
    shareField.addEventListener("focus", () => shareField.select());
    share.append(shareLabel, shareField);
    share.hidden = true;
    button(word("share"), "share", () => {
      const url = shareUrl(location.href, id, answers);
      shareField.value = url;
      share.hidden = false;
      const fallback = () => say(word("copy_yourself"));
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(() => say(word("copied")), fallback);
      } else fallback();
    });
    button(word("reset"), "reset", () => {
      if (!window.confirm(word("reset_confirm"))) return;
      apply({}, word("reset_done"));
    });
    tools.append(fileLabel, file, share, msg);

    // The result as a page of its own: the report's text and links, no script, no style.
    function summaryHtml() {
      const doc = document.implementation.createHTMLDocument(model.title);
      const meta = doc.createElement("meta");
      meta.setAttribute("charset", "utf-8");
      doc.head.prepend(meta);
      const viewport = doc.createElement("meta");
      viewport.name = "viewport";
      viewport.content = "width=device-width, initial-scale=1";
      doc.head.appendChild(viewport);
      const h1 = doc.createElement("h1");
      h1.textContent = model.title;
      const from = doc.createElement("p");
      from.textContent = word("saved_from", { date: new Date().toISOString().slice(0, 10), address: location.href.split("#")[0] });
      const copy = doc.importNode(report, true);
      copy.querySelectorAll("progress").forEach((e) => e.remove());
      const originals = report.querySelectorAll("a[href]");   // absolute, so the saved file's links work
      copy.querySelectorAll("a[href]").forEach((a, i) => a.setAttribute("href", originals[i].href));
      doc.body.append(h1, from, ...Array.from(copy.childNodes));
      return "<!doctype html>\n" + doc.documentElement.outerHTML + "\n";
    }

    // Result rendering: a short live line (pinned while answering), the report below it.
    function update() {
      const r = score(model, answers), shown = new Set(r.visible_questions);
      let n = 0;
      fieldsets.forEach((fs) => {
        fs.hidden = !shown.has(fs.getAttribute("data-question"));
        const number = fs.querySelector(".checklist-number");
        if (!fs.hidden && number) number.textContent = ++n + ".";
      });
      const band = model.bands.find((b) => b.id === r.band);
      const progress = word("progress", { answered: r.answered, visible: r.visible });
      status.textContent = !r.ready ? word("left", { progress, left: r.left })
        : band ? word("ready_band", { band: band.title }) : word("ready");
      status.classList.toggle("checklist-result-ready", r.ready);
      root.classList.toggle("checklist-has-result", r.ready);
      printResult.hidden = saveSummary.hidden = !r.ready;
      if (!share.hidden) shareField.value = shareUrl(location.href, id, answers);

      report.textContent = "";
      const add = (parent, tag, cls, text) => parent.appendChild(el(tag, cls, text));
      const head = (lvl, text) => add(report, "h" + lvl, "checklist-report-heading", text);
      const linkTo = (parent, path, cls) => {
        const a = links.get(path);
        if (!a) return;
        const link = add(parent, "a", cls, word("read", { title: a.textContent }));
        link.href = a.getAttribute("href");
      };
      head(3, word("your_result"));
      if (!r.ready) {
        const p = add(report, "p", "checklist-progress");
        const bar = el("progress", "checklist-progress-bar");
        bar.id = pre + "progress";
        bar.max = r.visible || 1;
        bar.value = r.answered;
        add(p, "label", "checklist-progress-label", progress + " ").htmlFor = bar.id;
        p.appendChild(bar);
        add(report, "p", "checklist-waiting", r.left === 1 ? word("waiting_one") : word("waiting", { left: r.left }));
        return;
      }
      const v = add(report, "div", "checklist-verdict");
      if (band) {
        add(v, "h4", "checklist-report-heading checklist-verdict-title", band.title);
        add(v, "p", "checklist-verdict-summary", band.summary);
        add(v, "p", "checklist-overall", word("overall", { score: r.overall }));
      } else {
        add(v, "p", "checklist-overall", word("no_overall"));
      }
      if (r.findings.length) {
        head(4, word("findings"));
        const ul = add(report, "ul", "checklist-findings");
        r.findings.forEach((fid) => {
          const f = model.findings.find((x) => x.id === fid), li = add(ul, "li");
          add(li, "span", "", f.text + " ");
          if (f.link) linkTo(li, f.link, "checklist-finding-link");
        });
      }
      head(4, word("dimensions"));
      const dl = add(report, "ul", "checklist-dimensions");
      model.dimensions.forEach((d) => {
        const x = r.dimensions[d.id], li = add(dl, "li"), t = r.dimension_texts[d.id];
        add(li, "strong", "", d.title + ": ");
        add(li, "span", "", x === null ? word("no_score") : word("dimension_score", { score: x }));
        if (d.description) add(li, "p", "checklist-dimension-description", d.description);
        if (t !== null && t !== undefined) add(li, "p", "checklist-dimension-text", d.texts[t].text);
      });
      const mapTable = (caption, cls, rows, label) => {
        const t = add(report, "table", cls);
        add(t, "caption", "", caption);
        const hr = add(add(t, "thead"), "tr");
        add(hr, "th", "", label).scope = "col";
        add(hr, "th", "", word("who")).scope = "col";
        const tb = add(t, "tbody");
        rows.forEach((row) => {
          const tr = add(tb, "tr");
          add(tr, "th", "", row.label).scope = "row";
          add(tr, "td", holderClass(row.holder), holderName(model, row.holder));
        });
      };
      if (r.control_map.length || r.risk_map.length) {
        head(4, word("maps"));
        if (r.control_map.length) {
          mapTable(word("control_map"), "checklist-map", r.control_map.map((c) => ({ label: qs.get(c.question).control_point, holder: c.holder })), word("decision"));
        }
        if (r.risk_map.length) {
          mapTable(word("risk_map"), "checklist-risk-map", r.risk_map.map((c) => ({ label: qs.get(c.question).risk, holder: c.holder })), word("risk"));
        }
        const keyBox = add(report, "div", "checklist-key");
        keyLines.forEach((line) => keyBox.appendChild(line.cloneNode(true)));
      }
      if (r.find_out.length) {
        head(4, word("find_out"));
        const ul = add(report, "ul", "checklist-find-out");
        r.find_out.forEach((qid) => {
          const q = qs.get(qid), li = add(ul, "li");
          add(li, "p", "checklist-find-out-question", q.text);
          if (q.find_out) add(li, "p", "checklist-find-out-action", q.find_out);
        });
      }
      if (band && band.next_steps && band.next_steps.length) {
        head(4, word("next_steps"));
        const ul = add(report, "ul", "checklist-next-steps");
        band.next_steps.forEach((s) => {
          const li = add(ul, "li");
          add(li, "span", "", s.text + " ");
          if (s.link) linkTo(li, s.link, "checklist-next-step-link");
        });
      }
      const words = answersInWords(model, answers, r.visible_questions);
      const box = add(report, "div", "checklist-answers");
      add(box, "h4", "checklist-report-heading", word("your_answers"));
      const ol = add(box, "ol");
      words.forEach((w) => { const li = add(ol, "li"); add(li, "span", "", w.question + " "); add(li, "strong", "", w.answer); });
    }

    // Answers from a shared link win over stored ones; the fragment is then removed so a
    // reload keeps later changes.
    const loadShared = () => {
      const a = parseShare(location.hash, id);
      if (!a) return;
      answers = sanitize(model, a);
      sync();
      save();
      notice(word("shared_loaded"));
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
    module.exports = { score, sanitize, migrate, storedValue, answersInWords, encodeAnswers, decodeAnswers, parseShare, stripShare, shareUrl };
  } else {
    document.documentElement.classList.add("js");
    document.querySelectorAll("[data-checklist]").forEach(init);
  }
})();
