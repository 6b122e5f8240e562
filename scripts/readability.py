#!/usr/bin/env python3
"""Reading-ease figures for the guide in content/, one line per page and per checklist.

English pages (`page.md`) get the Flesch-Kincaid grade (target: 8 or lower); Spanish pages
(`page.es.md`) get the Fernandez-Huerta score (target: 80 or higher, "easy"). Before measuring,
each page loses its front matter, shortcodes, code, link targets and markdown marks, so only the
words a reader reads are counted. A checklist (`independence.toml`, `independence.es.toml`) is
measured on its texts: title, intro, questions, options, results and findings.

Usage: scripts/readability.py [CONTENT_DIR]   (needs `pip install textstat`)
Exits 1 when a page or checklist misses its target, so authors see it at once.
"""

import re
import sys
import tomllib
from pathlib import Path

import textstat

# Each language's formula, its target in words, and whether a score meets it.
TARGETS = {
    "en": ("Flesch-Kincaid grade", "8 or lower", lambda score: score <= 8),
    "es": ("Fernandez-Huerta", "80 or higher", lambda score: score >= 80),
}

FRONT_MATTER = re.compile(r"\A\+\+\+\n.*?\n\+\+\+\n", re.S)
FENCED_CODE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
SHORTCODE_BLOCK = re.compile(r"\{%.*?%\}", re.S)
SHORTCODE_INLINE = re.compile(r"\{\{.*?\}\}", re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HEADING_ID = re.compile(r"\s*\{#[^}]*\}\s*$", re.M)
CALLOUT = re.compile(r"^>\s*\[![A-Z]+\]\s*$", re.M)
HTML_TAG = re.compile(r"<[^>]+>")
TABLE_RULE = re.compile(r"^\|?[ \t:|-]+\|[ \t:|-]*\n", re.M)
TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$", re.M)
LINE_MARK = re.compile(r"^\s*(#+|>|[-*+]|\d+\.)\s+", re.M)
EMPHASIS = re.compile(r"[*_]{1,3}")


def language(path: Path) -> str:
    """`page.es.md` is Spanish; a file with no language part is English."""
    parts = path.name.split(".")
    return parts[-2] if len(parts) > 2 else "en"


def page_text(markdown: str) -> str:
    """The words of a page as a reader sees them, one sentence per line or paragraph."""
    text = FRONT_MATTER.sub("", markdown)
    text = FENCED_CODE.sub("", text)
    text = SHORTCODE_BLOCK.sub("", text)
    text = SHORTCODE_INLINE.sub("", text)
    text = INLINE_CODE.sub("", text)
    text = LINK.sub(r"\1", text)
    text = HEADING_ID.sub("", text)
    text = CALLOUT.sub("", text)
    text = HTML_TAG.sub("", text)
    text = TABLE_RULE.sub("", text)
    text = TABLE_ROW.sub(r"\1", text)
    text = LINE_MARK.sub("", text)
    text = EMPHASIS.sub("", text)
    text = text.replace("|", ". ")
    return sentences(text.splitlines())


def sentences(lines) -> str:
    """Ends every heading, list item, cell or label with a full stop if it has none, so a
    formula counts it as the short sentence a reader sees, not as part of the next one."""
    out = []
    for line in (line.strip() for line in lines):
        if line and line[-1] not in ".!?)\"”»":
            line += "."
        out.append(line)
    return "\n".join(out)


# Keys of a criteria file that hold ids, links or conditions rather than words for a reader.
NOT_TEXT = {
    "id", "link", "holder", "carried_by", "dimension", "question", "answers", "all", "any", "show_if"
}


def reader_strings(value, key=None):
    """The strings of a criteria file that a reader sees, in file order."""
    if key in NOT_TEXT:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from reader_strings(item)
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from reader_strings(item, k)


def checklist_text(path: Path) -> str:
    with path.open("rb") as file:
        criteria = tomllib.load(file)
    return sentences(reader_strings(criteria))


def score(text: str, lang: str) -> float:
    if lang == "es":
        textstat.set_lang("es")
        return textstat.fernandez_huerta(text)
    textstat.set_lang("en_US")
    return textstat.flesch_kincaid_grade(text)


def main() -> int:
    default = Path(__file__).resolve().parent.parent / "content"
    content = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    texts = {lang: [] for lang in TARGETS}
    missed = 0
    files = sorted(content.rglob("*.md")) + sorted(content.glob("checklists/*.toml"))
    print("lang  score  words  file")
    for path in files:
        lang = language(path)
        if lang not in TARGETS:
            continue
        if path.suffix == ".toml":
            text = checklist_text(path)
        else:
            text = page_text(path.read_text(encoding="utf-8"))
        texts[lang].append(text)
        name, target, meets = TARGETS[lang]
        value = score(text, lang)
        note = "" if meets(value) else f"   <- {name} should be {target}"
        missed += not meets(value)
        words = textstat.lexicon_count(text)
        print(f"{lang:4}  {value:5.1f}  {words:5d}  {path.relative_to(content)}{note}")
    print()
    for lang, (name, target, _) in TARGETS.items():
        if texts[lang]:
            whole = "\n".join(texts[lang])
            print(
                f"{lang}: {name} {score(whole, lang):.1f} for all {len(texts[lang])} texts "
                f"together ({textstat.lexicon_count(whole)} words; target {target} per text)"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
