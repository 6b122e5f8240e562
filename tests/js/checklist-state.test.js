// Unit tests of the checklist script's pure state helpers (storage migration, share links).
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const c = require("../../src/assets/checklist.js");

const model = {
  id: "independence", version: 3, title: "T",
  dimensions: [{ id: "d", title: "D", weight: 1 }],
  questions: [
    { id: "a", dimension: "d", text: "A?", weight: 1, control_point: null, find_out: null, changed_in: 1, show_if: null,
      options: [{ id: "x", label: "X", points: 1, holder: null, unsure: false }, { id: "y", label: "Y", points: 0, holder: null, unsure: false }] },
    { id: "b", dimension: "d", text: "B?", weight: 1, control_point: null, find_out: null, changed_in: 3, show_if: null,
      options: [{ id: "x", label: "X", points: 1, holder: null, unsure: false }, { id: "z", label: "Z", points: 0, holder: null, unsure: true }] },
    { id: "c", dimension: "d", text: "C?", weight: 1, control_point: null, find_out: null, changed_in: null, show_if: null,
      options: [{ id: "x", label: "X", points: 1, holder: null, unsure: false }, { id: "y", label: "Y", points: 0, holder: null, unsure: false }] },
  ],
  bands: [{ id: "all", min: 0, max: 100, title: "All", summary: "", next_steps: [] }],
};

test("base64url round trip, including non-ASCII and URL-unsafe output", () => {
  for (const a of [{}, { a: "x" }, { "é-q": "ü?>>", b: "not-sure" }, { q: "~~~???" }]) {
    const s = c.encodeAnswers(a);
    assert.match(s, /^[A-Za-z0-9_-]*$/);
    assert.deepEqual(c.decodeAnswers(s), a);
  }
});

test("decodeAnswers rejects garbage and keeps only string values", () => {
  assert.equal(c.decodeAnswers("!!!"), null);
  assert.equal(c.decodeAnswers("a"), null);
  assert.equal(c.decodeAnswers(Buffer.from("[1,2]").toString("base64url")), null);
  assert.equal(c.decodeAnswers(Buffer.from("not json").toString("base64url")), null);
  const s = Buffer.from('{"a":"x","n":1,"o":{},"__proto__":"y"}').toString("base64url");
  const out = c.decodeAnswers(s);
  assert.deepEqual(out, { a: "x" });
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
});

test("share link: build, parse, strip", () => {
  const answers = { a: "x", b: "z" };
  const url = c.shareUrl("file:///site/checklists/independence/index.html#old", "independence", answers);
  assert.ok(url.startsWith("file:///site/checklists/independence/index.html#answers=independence:"));
  const hash = url.slice(url.indexOf("#"));
  assert.deepEqual(c.parseShare(hash, "independence"), answers);
  assert.equal(c.parseShare(hash, "other"), null);
  assert.equal(c.parseShare("", "independence"), null);
  assert.equal(c.parseShare("#checklist-independence", "independence"), null);
  // an id that is a prefix of another must not match
  assert.equal(c.parseShare("#answers=independence-2:" + c.encodeAnswers(answers), "independence"), null);
  // several checklists in one fragment, and a percent-encoded colon
  const two = "#answers=other:" + c.encodeAnswers({ q: "o" }) + "&answers=independence%3A" + c.encodeAnswers(answers);
  assert.deepEqual(c.parseShare(two, "independence"), answers);
  assert.deepEqual(c.parseShare(two, "other"), { q: "o" });
  assert.equal(c.stripShare(two, "independence"), "#answers=other:" + c.encodeAnswers({ q: "o" }));
  assert.equal(c.stripShare(hash, "independence"), "");
  assert.equal(c.stripShare("#top", "independence"), "#top");
});

test("sanitize drops unknown question and option ids", () => {
  assert.deepEqual(c.sanitize(model, { a: "x", b: "y", c: 1, nope: "x", constructor: "x" }), { a: "x" });
  assert.deepEqual(c.sanitize(model, null), {});
});

test("migrate drops answers saved before a question's changed_in", () => {
  const all = { a: "y", b: "x", c: "x" };
  assert.deepEqual(c.migrate(model, { checklist: "independence", version: 3, answers: all }), { answers: all, cleared: [], dropped: false });
  assert.deepEqual(c.migrate(model, { checklist: "independence", version: 2, answers: all }),
    { answers: { a: "y", c: "x" }, cleared: ["b"], dropped: false });
  // no stored answer for b: nothing to clear, nothing to report
  assert.deepEqual(c.migrate(model, { version: 1, answers: { a: "x", c: "y" } }),
    { answers: { a: "x", c: "y" }, cleared: [], dropped: false });
  // missing version counts as 0: every question with a changed_in is dropped; changed_in null never is
  assert.deepEqual(c.migrate(model, { answers: all }), { answers: { c: "x" }, cleared: ["a", "b"], dropped: false });
  // unknown ids are dropped, not reported as cleared, but flagged so the caller saves at once
  assert.deepEqual(c.migrate(model, { version: 3, answers: { a: "q", zz: "x" } }), { answers: {}, cleared: [], dropped: true });
});

test("a removed question's answer is flagged as dropped, so it cannot come back with the question", () => {
  const without = JSON.parse(JSON.stringify(model));
  without.questions.splice(2, 1);   // question c removed in this version
  const stored = { checklist: "independence", version: 3, answers: { a: "x", c: "y" } };
  const m = c.migrate(without, stored);
  assert.deepEqual(m, { answers: { a: "x" }, cleared: [], dropped: true });
  // what the page saves after loading, read again once c is back: c stays unanswered
  const saved = c.storedValue(without, m.answers, new Date("2024-05-01T10:00:00Z"));
  assert.deepEqual(c.migrate(model, saved).answers, { a: "x" });
});

test("answersInWords gives each visible answered question and its answer's label", () => {
  assert.deepEqual(c.answersInWords(model, { a: "y", b: "z", nope: "x" }, ["a", "b", "c"]),
    [{ question: "A?", answer: "Y" }, { question: "B?", answer: "Z" }]);
  assert.deepEqual(c.answersInWords(model, { a: "y", b: "z" }, ["a"]), [{ question: "A?", answer: "Y" }]);
});

test("storedValue has the storage/export shape", () => {
  const d = new Date("2024-05-01T10:00:00Z");
  assert.deepEqual(c.storedValue(model, { a: "x" }, d),
    { checklist: "independence", version: 3, answers: { a: "x" }, saved: "2024-05-01T10:00:00.000Z" });
});

test("score: hidden questions keep no weight and unsure counts as answered", () => {
  const m = JSON.parse(JSON.stringify(model));
  m.questions[1].show_if = { question: "a", answers: ["x"] };
  const r = c.score(m, { a: "y", b: "x", c: "y" });
  assert.deepEqual(r.visible_questions, ["a", "c"]);
  assert.equal(r.dimensions.d, 0);
  const r2 = c.score(m, { a: "x", b: "z" });
  assert.deepEqual([r2.answered, r2.visible, r2.find_out, r2.ready, r2.left, r2.overall], [2, 3, ["b"], false, 1, null]);
  const r3 = c.score(m, { a: "x", b: "z", c: "x" });
  assert.deepEqual([r3.ready, r3.left, r3.overall], [true, 0, 100]);
});
