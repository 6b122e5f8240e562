#!/usr/bin/env python3
"""Writes one N-page benchmark site for each of plumb, Hugo and mdBook (deterministic, stdlib only).

usage: bench/corpus.py N OUT [ENGINE ...]      ENGINE: plumb hugo mdbook (default: all three)

Each engine gets OUT/ENGINE/ with the same pages in the same sections (50 pages a section):
the same titles, dates and descriptions, and the same markdown body (an intro, headings, a
bulleted and a numbered list, a table, one fenced code block in one of five languages, and
links to three other pages, one of them in another section). Only what each engine spells its
own way differs:

  front matter   TOML between +++ lines for plumb and Hugo; mdBook has none (the title is an H1
                 and SUMMARY.md lists the pages in order).
  page links     a relative path to the .md file for plumb and mdBook (both check it at build);
                 a root-relative URL for Hugo.
  theme          plumb's site has site.toml and content/ only: bench/run copies the theme it
                 measures with. Hugo and mdBook get a minimal page template of their own.

Run twice with the same N, it writes byte-identical files.
"""
import os
import random
import shutil
import sys

PAGES_PER_SECTION = 50

VOCABULARY = (
    "route shift driver order pickup dropoff depot van mileage fuel rating app contract pay "
    "week hour tip bonus rule policy account appeal schedule zone area customer store parcel "
    "map phone receipt insurance repair deduction invoice client rate offer accept decline "
    "control risk choice decision record notebook question answer worker company platform "
    "the a an of to in on at for with from by and or but if when then after before each every "
    "some many few more less most all this that these those it they you we your our their "
    "is are was were be been has have had can could may might will would should must "
    "keeps checks writes reads sets pays asks takes gives needs shows counts starts ends"
).split()

CODE = {
    "rust": "fn total(trips: &[u32]) -> u32 {\n    trips.iter().sum()\n}\n\n"
            "fn main() {\n    println!(\"{}\", total(&[12, 7, 30]));\n}",
    "toml": "[route]\nname = \"north loop\"\nstops = 42\n\n[pay]\nper_hour = 18.5\nper_stop = 0.0",
    "python": "def weekly_pay(hours, rate):\n    \"\"\"Pay for one week, before costs.\"\"\"\n"
              "    return round(hours * rate, 2)\n\nprint(weekly_pay(38.5, 18.5))",
    "javascript": "const stops = [12, 7, 30];\nconst total = stops.reduce((sum, n) => sum + n, 0);\n"
                  "console.log(`stops: ${total}`);",
    "sh": "#!/bin/sh\nfor day in mon tue wed; do\n  echo \"shift on $day\"\ndone",
}
LANGUAGES = sorted(CODE)


def section_of(i):
    return i // PAGES_PER_SECTION


def section_dir(s):
    return f"part-{s + 1:04d}"


def page_file(i):
    return f"note-{i + 1:06d}"


def title(i):
    return f"Note {i + 1}"


def date(i):
    year = 2019 + i % 6
    month = i // 6 % 12 + 1
    day = i // 72 % 28 + 1
    return f"{year:04d}-{month:02d}-{day:02d}"


def phrase(rng, low, high):
    return " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(low, high)))


def sentence(rng):
    text = phrase(rng, 5, 14)
    return text[0].upper() + text[1:] + "."


def paragraph(rng, low, high):
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def description(i):
    return phrase(random.Random(f"description {i}"), 6, 12)


def neighbours(i, n):
    """Three other pages: the next one, one further on, one in another section."""
    found = []
    for j in ((i + 1) % n, (i + 11) % n, (i + PAGES_PER_SECTION + 3) % n):
        if j != i and j not in found:
            found.append(j)
    return found


def relative_md(target, origin):
    if section_of(target) == section_of(origin):
        return f"{page_file(target)}.md"
    return f"../{section_dir(section_of(target))}/{page_file(target)}.md"


def hugo_url(target, origin):
    return f"/{section_dir(section_of(target))}/{page_file(target)}/"


def body(i, n, link):
    rng = random.Random(f"page {i}")
    others = neighbours(i, n)
    language = LANGUAGES[i % len(LANGUAGES)]
    bullets = [f"- **{rng.choice(VOCABULARY)}**: {phrase(rng, 3, 8)}",
               f"- `{rng.choice(VOCABULARY)}_{rng.choice(VOCABULARY)}` {phrase(rng, 2, 6)}",
               f"- read [{title(others[0])}]({link(others[0], i)}) about {phrase(rng, 2, 5)}"]
    bullets += [f"- {phrase(rng, 3, 9)}" for _ in range(rng.randint(1, 3))]
    rows = ["| Item | Who | Count |", "| --- | --- | ---: |"]
    rows += [f"| {rng.choice(VOCABULARY)} | {rng.choice(VOCABULARY)} | {rng.randint(1, 500)} |"
             for _ in range(rng.randint(3, 6))]
    steps = [f"{k + 1}. {phrase(rng, 3, 7)}" for k in range(rng.randint(2, 4))]
    related = [f"- [{title(j)}]({link(j, i)})" for j in others]
    return "\n\n".join([
        paragraph(rng, 2, 4),
        "## What happens",
        paragraph(rng, 3, 6),
        "\n".join(bullets),
        "### The numbers",
        "\n".join(rows),
        "### Steps",
        "\n".join(steps),
        paragraph(rng, 1, 3),
        f"```{language}\n{CODE[language]}\n```",
        "## See also",
        "\n".join(related),
    ]) + "\n"


def front_matter(page_title, page_date=None, text=None):
    lines = ["+++", f'title = "{page_title}"']
    if page_date:
        lines.append(f"date = {page_date}")
    if text:
        lines.append(f'description = "{text}"')
    return "\n".join(lines + ["+++", "", ""])


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        file.write(text)


def sections(n):
    return range((n + PAGES_PER_SECTION - 1) // PAGES_PER_SECTION)


def pages_of(s, n):
    return range(s * PAGES_PER_SECTION, min(n, (s + 1) * PAGES_PER_SECTION))


def toml_site(root, n, config, link):
    """The layout plumb and Hugo share: content/_index.md, a folder per section, a file a page."""
    write(os.path.join(root, config[0]), config[1])
    write(os.path.join(root, "content", "_index.md"), front_matter("Bench notes") + "All notes.\n")
    for s in sections(n):
        folder = os.path.join(root, "content", section_dir(s))
        write(os.path.join(folder, "_index.md"), front_matter(f"Part {s + 1}") + f"Notes of part {s + 1}.\n")
        for i in pages_of(s, n):
            write(os.path.join(folder, page_file(i) + ".md"),
                  front_matter(title(i), date(i), description(i)) + body(i, n, link))


def plumb(root, n):
    toml_site(root, n, ("site.toml", 'title = "Bench notes"\nbase_url = "https://bench.example/"\n'),
              relative_md)


HUGO_LAYOUT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
{{ .Content }}
{{ if .IsNode }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</main></body></html>
"""


def hugo(root, n):
    config = ('baseURL = "https://bench.example/"\ntitle = "Bench notes"\nlanguageCode = "en"\n'
              'disableKinds = ["taxonomy", "term"]\n\n[markup.highlight]\nnoClasses = false\n')
    toml_site(root, n, ("hugo.toml", config), hugo_url)
    for name in ("index.html", "_default/list.html", "_default/single.html"):
        write(os.path.join(root, "layouts", name), HUGO_LAYOUT)


MDBOOK_LAYOUT = """<!DOCTYPE html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main>{{{ content }}}</main></body></html>
"""


def mdbook(root, n):
    write(os.path.join(root, "book.toml"),
          '[book]\ntitle = "Bench notes"\nlanguage = "en"\nsrc = "src"\n\n'
          "[output.html.search]\nenable = false\n\n[output.html.print]\nenable = false\n")
    write(os.path.join(root, "theme", "index.hbs"), MDBOOK_LAYOUT)
    write(os.path.join(root, "src", "README.md"), "# Bench notes\n\nAll notes.\n")
    summary = ["# Summary", "", "[Bench notes](README.md)", ""]
    for s in sections(n):
        folder = os.path.join(root, "src", section_dir(s))
        write(os.path.join(folder, "README.md"), f"# Part {s + 1}\n\nNotes of part {s + 1}.\n")
        summary.append(f"- [Part {s + 1}]({section_dir(s)}/README.md)")
        for i in pages_of(s, n):
            summary.append(f"  - [{title(i)}]({section_dir(s)}/{page_file(i)}.md)")
            write(os.path.join(folder, page_file(i) + ".md"),
                  f"# {title(i)}\n\n*{date(i)}*: {description(i)}\n\n" + body(i, n, relative_md))
    write(os.path.join(root, "src", "SUMMARY.md"), "\n".join(summary) + "\n")


ENGINES = {"plumb": plumb, "hugo": hugo, "mdbook": mdbook}


def main(argv):
    if len(argv) < 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit(__doc__)
    n, out, engines = int(argv[1]), argv[2], argv[3:] or list(ENGINES)
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        sys.exit(f"unknown engine {', '.join(unknown)}; known: {', '.join(ENGINES)}")
    for engine in engines:
        root = os.path.join(out, engine)
        shutil.rmtree(root, ignore_errors=True)
        ENGINES[engine](root, n)
    print(f"{n} pages for {', '.join(engines)} in {out}")


if __name__ == "__main__":
    main(sys.argv)
