// Site search in the `[data-search]` box: loads the index of the page's `<html lang>`
// (`search/index.js` names other languages' folders) a part at a time (`index.js`, a
// `terms-<key>.js` per word, the `docs-<n>.js` of the results shown), each a classic script
// calling `plumbSearch`: it works from file://, offline, under `default-src 'self'`.
//
// Words are folded as the index folded them (`search/words.rs`). A word matches a stem when it
// is the stem, a word seen with it, the start of either (the last word, while typing), a seen
// word of 4+ letters and up to 2 more ("pagos": "pago"), or one edit from either. Pages must
// match every word; fewest typo-only words rank first, then the best part's score.
//
// The box's `data-results`, `data-found` and `data-none` come from site.toml's `[search]`.
(function () {
  "use strict";
  const script = document.currentScript;
  const box = document.querySelector("[data-search]");
  if (!script || !box) return;
  const field = box.querySelector("input");
  const list = box.querySelector("[data-search-results]");
  const status = box.querySelector("[data-search-status]");
  const mostResults = Number(box.dataset.results) || 8;
  const siteRoot = new URL("./", script.src);

  // --- Loading the index's parts

  // By address: what a part holds, once its script ran.
  const parts = new Map();
  const arrivals = new Map();

  function load(url) {
    const address = url.href;
    if (!parts.has(address)) {
      parts.set(address, new Promise((resolve, reject) => {
        arrivals.set(address, resolve);
        const tag = document.createElement("script");
        tag.src = address;
        tag.onerror = () => reject(new Error("search index part missing: " + address));
        document.head.appendChild(tag);
      }));
    }
    return parts.get(address);
  }

  // The script running is the part that arrived.
  function arrived(value) {
    const resolve = document.currentScript && arrivals.get(document.currentScript.src);
    if (resolve) resolve(value);
  }

  // The index of the page's language: its folder and manifest.
  async function pageIndex() {
    let folder = new URL("search/", siteRoot);
    let manifest = await load(new URL("index.js", folder));
    const other = (manifest.languages || {})[document.documentElement.lang];
    if (other) {
      folder = new URL(other, siteRoot);
      manifest = await load(new URL("index.js", folder));
    }
    return { folder, manifest };
  }

  const loadPart = (index, name) => load(new URL(name, index.folder));

  // --- Words and matching

  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function wordsOf(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2 && w.length <= 32);
  }

  function shardOf(term, keyLength) {
    if (keyLength === 0) return "all";
    return Array.from(term).slice(0, keyLength)
      .map((c) => (/[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16))).join("");
  }

  // Whether `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours.
  function oneEditApart(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a === b) return false;
    let start = 0;
    while (start < a.length && a[start] === b[start]) start++;
    let endA = a.length, endB = b.length;
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
    const restA = endA - start, restB = endB - start;
    if (restA <= 1 && restB <= 1) return true;
    return restA === 2 && restB === 2 && a[start] === b[start + 1] && a[start + 1] === b[start];
  }

  const TYPO = 0.6;

  // The stems `word` may stand for, each with how surely (1 exact, less for a start or a typo).
  function stemsFor(word, shard, asPrefix) {
    const stems = new Map();
    const consider = (stem, weight) => {
      if ((stems.get(stem) || 0) < weight) stems.set(stem, weight);
    };
    const typos = word.length >= 4;
    const compare = (written, stem) => {
      if (written === word) consider(stem, 1);
      else if (asPrefix && written.startsWith(word)) consider(stem, 0.8);
      else if (typos && written.length >= 4 && word.length <= written.length + 2 && word.startsWith(written)) consider(stem, 0.8);
      else if (typos && oneEditApart(word, written)) consider(stem, TYPO);
    };
    for (const stem of shard.stems.keys()) compare(stem, stem);
    for (const [written, stem] of shard.words) compare(written, stem);
    return stems;
  }

  // page -> part -> score for one word, and the pages matching more than by a typo (whose
  // typos then count for nothing).
  async function scoresFor(word, index, asPrefix) {
    const manifest = index.manifest;
    const scores = new Map();
    const sure = new Map();
    const key = shardOf(word, manifest.key);
    if (!manifest.shards.includes(key)) return { scores, sure };
    const shard = await loadPart(index, "terms-" + key + ".js");
    for (const [stem, weight] of [...stemsFor(word, shard, asPrefix)].sort((a, b) => b[1] - a[1])) {
      const home = shardOf(stem, manifest.key);
      const postings = (home === key ? shard : await loadPart(index, "terms-" + home + ".js")).stems.get(stem) || [];
      let page = 0;
      for (let i = 0; i < postings.length; i += 3) {
        page += postings[i];
        if (weight <= TYPO && sure.has(page)) continue;
        const byPart = scores.get(page) || new Map();
        const score = postings[i + 2] * weight;
        byPart.set(postings[i + 1], Math.max(byPart.get(postings[i + 1]) || 0, score));
        scores.set(page, byPart);
        if (weight > TYPO) sure.set(page, true);
      }
    }
    return { scores, sure };
  }

  // The best pages for `query`, each with its best part: [{page, part, score, typos, ...}].
  async function query(text) {
    const index = await pageIndex();
    const manifest = index.manifest;
    const words = wordsOf(text).filter((w) => !manifest.stop.includes(w));
    if (words.length === 0) return { words, results: [] };
    const typing = !/\s$/.test(text);
    const perWord = await Promise.all(words.map((word, i) =>
      scoresFor(word, index, typing && i === words.length - 1)));
    const results = [];
    for (const [page] of perWord[0].scores) {
      if (!perWord.every(({ scores }) => scores.has(page))) continue;
      let score = 0;
      const typos = perWord.filter(({ sure }) => !sure.has(page)).length;
      const byPart = new Map();
      for (const { scores } of perWord) {
        const parts = scores.get(page);
        score += Math.max(...parts.values());
        for (const [part, s] of parts) byPart.set(part, (byPart.get(part) || 0) + s);
      }
      let best = 0;
      for (const [part, s] of byPart) if (s > (byPart.get(best) || 0)) best = part;
      results.push({ page, part: best, score, typos });
    }
    results.sort((a, b) => a.typos - b.typos || b.score - a.score || a.page - b.page);
    const shown = results.slice(0, mostResults);
    await Promise.all(shown.map(async (result) => {
      const rows = await loadPart(index, "docs-" + Math.floor(result.page / manifest.per) + ".js");
      const [url, title, pageParts] = rows[result.page % manifest.per];
      const [anchor, heading, passage] = pageParts[result.part] || pageParts[0];
      let href = url + (manifest.portable && (url === "" || url.endsWith("/")) ? "index.html" : "");
      if (anchor) href += "#" + anchor;
      Object.assign(result, { href: new URL(href, siteRoot).href, title, heading, passage });
    }));
    return { words, results: shown };
  }

  window.plumbSearch = {
    init: (manifest) => arrived(manifest),
    terms: (key, stems, words) =>
      arrived({ stems: new Map(Object.entries(stems)), words: new Map(Object.entries(words)) }),
    docs: (n, rows) => arrived(rows),
    query,
  };

  // --- Showing results

  // The passage around its first word that matches the query, matches in <mark>.
  function snippet(passage, words) {
    const matches = (token) => {
      const folded = fold(token);
      return words.some((w) => folded.startsWith(w) ||
        (w.length >= 4 && ((folded.length >= 4 && w.startsWith(folded)) || oneEditApart(w, folded))));
    };
    const tokens = Array.from(passage.matchAll(/[\p{L}\p{N}]+/gu)).filter((t) => matches(t[0]));
    const first = tokens.length ? tokens[0].index : 0;
    let start = Math.max(0, passage.lastIndexOf(" ", Math.max(0, first - 60)) + 1);
    if (first - start > 60) start = first;
    const end = Math.min(passage.length, start + 200);
    const paragraph = document.createElement("p");
    paragraph.className = "search-snippet";
    let at = start;
    if (start > 0) paragraph.append("…");
    for (const token of tokens) {
      if (token.index < start || token.index + token[0].length > end) continue;
      paragraph.append(passage.slice(at, token.index));
      const mark = document.createElement("mark");
      mark.textContent = token[0];
      paragraph.append(mark);
      at = token.index + token[0].length;
    }
    paragraph.append(passage.slice(at, end));
    if (end < passage.length) paragraph.append("…");
    return paragraph;
  }

  function show(found, text) {
    list.replaceChildren(...found.results.map((result) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = result.href;
      link.textContent = result.title;
      if (result.heading) {
        const heading = document.createElement("span");
        heading.className = "search-heading";
        heading.textContent = result.heading;
        link.append(" › ", heading);
      }
      item.append(link);
      if (result.passage) item.append(snippet(result.passage, found.words));
      return item;
    }));
    list.hidden = found.results.length === 0;
    status.textContent = found.results.length
      ? box.dataset.found.replace("{count}", String(found.results.length))
      : box.dataset.none.replace("{query}", text.trim());
  }

  function close() {
    list.hidden = true;
    list.replaceChildren();
    status.textContent = "";
  }

  let latest = 0;
  field.addEventListener("input", async () => {
    const asked = ++latest;
    const text = field.value;
    if (wordsOf(text).length === 0) return close();
    try {
      const found = await query(text);
      if (asked === latest) show(found, text);
    } catch (error) {
      if (asked === latest) status.textContent = error.message;
    }
  });

  // --- Keyboard

  const links = () => Array.from(list.querySelectorAll("a"));

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    event.preventDefault();
    field.focus();
  });

  field.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Enter" && links().length) {
      event.preventDefault();
      links()[0].click();
    } else if (event.key === "Escape") {
      if (field.value === "" && list.hidden) field.blur();
      field.value = "";
      close();
    }
  });

  list.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) field.focus();
      else all[Math.min(next, all.length - 1)].focus();
    } else if (event.key === "Escape") {
      close();
      field.focus();
    }
  });

  box.hidden = false;
})();
