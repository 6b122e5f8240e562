//! Hostile text in every field that reaches HTML: `site.toml`, front matter and criteria files.
//! Each must come out escaped (exactly once), never as markup, a script, an attribute or a
//! template expression. Raw HTML passes through only where an author wrote it: in a markdown
//! body.

mod common;

use std::fs;

use common::Fixture;
use plumb::theme::escape_html;

/// Every hostile string, in one value, so each field is tried with all of them at once.
const HOSTILE: &str = concat!(
    "\"><script>alert(1)</script>",
    " </script><!-- ",
    " ' onmouseover='x ",
    "\" onmouseover=\"x ",
    " javascript:alert(1) ",
    " {{ 7*7 }} {% raw %} ",
    " &lt; &amp; ]]> ",
);

/// The value written into `field`: the field's name first, so a value found in a page can be
/// traced back to where it was written.
fn value(field: &str) -> String {
    format!("[{field}]{HOSTILE}")
}

/// A TOML basic string holding `text`.
fn toml_string(text: &str) -> String {
    let mut table = toml::Table::new();
    table.insert("v".into(), toml::Value::String(text.to_owned()));
    let line = toml::to_string(&table).expect("serializes");
    line.trim_end()
        .strip_prefix("v = ")
        .expect("one key")
        .to_owned()
}

/// Fields shown in pages, by where they are written; the theme decides where they appear.
const SHOWN: [&str; 27] = [
    "site.title",
    "site.description",
    "site.extra",
    "home.title",
    "home.description",
    "page.title",
    "page.description",
    "page.extra",
    "section.title",
    "section.description",
    "checklist.title",
    "checklist.intro",
    "dimension.title",
    "question.text",
    "question.help",
    "option.label",
    "band.title",
    "band.summary",
    "offline.saving",
    "offline.ready",
    "offline.paused",
    "offline.note",
    "offline.update",
    "offline.reload",
    "holders.platform",
    "page.tags",
    "shortcode.caption",
];

/// Fields only the guide theme shows: tags, and its shortcodes' arguments.
const GUIDE_ONLY: [&str; 2] = ["page.tags", "shortcode.caption"];

/// Fields the checklist's JSON model carries, for the browser script to show.
const IN_MODEL: [&str; 14] = [
    "checklist.title",
    "dimension.title",
    "dimension.description",
    "dimension.text",
    "question.risk",
    "finding.text",
    "holders.platform",
    "question.text",
    "question.control_point",
    "question.find_out",
    "option.label",
    "band.title",
    "band.summary",
    "band.next_steps",
];

fn hostile_site(theme: &str) -> Fixture {
    let site = Fixture::new("checklist");
    if theme == "guide" {
        common::copy_tree(
            &common::repo().join("themes/guide"),
            &site.root.join("themes/guide"),
        );
    } else {
        // The plain test theme shows no descriptions or extras: these templates, which
        // override it, show every field, in text and in both kinds of quoted attributes.
        site.write(
            "templates/page.html",
            r##"{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ site.title }}{% endblock %}
{% block scripts %}{% if page.has_checklist %}<script src="{{ asset(path="checklist.js") }}" defer></script>{% endif %}{% endblock %}
{% block main %}
<h1 title="{{ page.title }}" data-x='{{ page.title }}'>{{ page.title }}</h1>
<meta name="description" content="{{ site.description }}"><p class="site-description">{{ site.description }}</p>
{% if site.extra.note %}<p class="site-extra" data-note='{{ site.extra.note }}'>{{ site.extra.note }}</p>{% endif %}
{% if page.description %}<p class="description" data-d="{{ page.description }}">{{ page.description }}</p>{% endif %}
{% if page.extra.note %}<p class="page-extra" data-note='{{ page.extra.note }}'>{{ page.extra.note }}</p>{% endif %}
<p class="summary">{{ page.summary }}</p>
{% if toc | length > 1 %}<nav><ul>{% for h in toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a></li>{% endfor %}</ul></nav>{% endif %}
{{ page.content | safe }}
{% endblock %}
"##,
        );
        site.write(
            "templates/section.html",
            r#"{% extends "base.html" %}
{% block title %}{{ section.title }} · {{ site.title }}{% endblock %}
{% block main %}
<h1 title='{{ section.title }}'>{{ section.title }}</h1>
{% if section.description %}<p class="description" data-d="{{ section.description }}">{{ section.description }}</p>{% endif %}
{{ section.content | safe }}
<ul>{% for p in section.pages %}<li><a href="{{ p.url }}" title="{{ p.title }}">{{ p.title }}</a>{% if p.description %}: {{ p.description }}{% endif %}</li>{% endfor %}</ul>
{% endblock %}
"#,
        );
        site.write(
            "templates/index.html",
            r#"{% extends "base.html" %}
{% block main %}
<h1>{{ section.title }}</h1><p>{{ site.description }}</p>
{% if section.description %}<p data-d="{{ section.description }}">{{ section.description }}</p>{% endif %}
{{ section.content | safe }}
<ul>{% for s in section.subsections %}<li><a href="{{ s.url }}">{{ s.title }}</a>{% if s.description %} {{ s.description }}{% endif %}</li>{% endfor %}</ul>
{% endblock %}
"#,
        );
    }
    let s = |field: &str| toml_string(&value(field));
    site.write(
        "site.toml",
        &format!(
            "title = {}\ndescription = {}\nbase_url = \"http://127.0.0.1/\"\ntheme = \"{theme}\"\n\n[extra]\nnote = {}\nfooter = {}\n\n[offline]\nsaving = {}\nready = {}\npaused = {}\nnote = {}\nupdate = {}\nreload = {}\n",
            s("site.title"),
            s("site.description"),
            s("site.extra"),
            s("site.extra"),
            s("offline.saving"),
            s("offline.ready"),
            s("offline.paused"),
            s("offline.note"),
            s("offline.update"),
            s("offline.reload"),
        ),
    );
    site.write(
        "content/_index.md",
        &format!(
            "+++\ntitle = {}\ndescription = {}\n+++\nThe [article](guide/article.md) embeds the demo checklist.\n",
            s("home.title"),
            s("home.description"),
        ),
    );
    site.write(
        "content/guide/_index.md",
        &format!(
            "+++\ntitle = {}\ndescription = {}\n+++\n",
            s("section.title"),
            s("section.description"),
        ),
    );
    site.write(
        "content/guide/article.md",
        &format!(
            "+++\ntitle = {}\ndescription = {}\ndate = 2024-05-31\ntags = [{}]\naliases = [\"/moved/\"]\n[extra]\nnote = {}\n+++\n\
             A summary with escaped markup: &lt;script&gt;alert(1)&lt;/script&gt; and {{{{ 7*7 }}}}.\n\n\
             ## First &lt;script&gt;alert(1)&lt;/script&gt;\n\n\
             ## Second ' onmouseover='x\n\n\
             ## Third {{#x\"y'z}}\n\n\
             A [page with a hostile slug](slugged.md).\n\n\
             ```checklist\ndemo\n```\n\nText after the checklist.\n",
            s("page.title"),
            s("page.description"),
            s("page.tags"),
            s("page.extra"),
        ),
    );
    if theme == "guide" {
        // Backticks quote a shortcode argument that holds both kinds of quotes.
        site.write(
            "content/guide/figure.md",
            &format!(
                "+++\ntitle = \"Figure\"\n+++\n{{{{ figure(src=\"pic.svg\", alt=`{alt}`, caption=`{caption}`) }}}}\n",
                alt = value("shortcode.caption"),
                caption = value("shortcode.caption"),
            ),
        );
    }
    // A slug may hold quotes and angle brackets (not spaces or `/`): its URL is printed in
    // attributes, listings, the sitemap and links from other pages.
    site.write(
        "content/guide/slugged.md",
        "+++\ntitle = \"Slugged\"\nslug = \"s'\\\"><script>alert(1)<img>\"\n+++\nA page.\n",
    );
    site.write(
        "content/checklists/demo.toml",
        &format!(
            r#"id = "demo"
version = 1
title = {}
intro = {}

[holders]
platform = {}

[[dimensions]]
id = "control"
title = {}
description = {}
texts = [{{ min = 0, max = 100, text = {} }}]

[[questions]]
id = "hours"
dimension = "control"
text = {}
help = {}
control_point = {}
find_out = {}
[[questions.options]]
id = "me"
label = {}
points = 2
holder = "you"
[[questions.options]]
id = "them"
label = "They do"
holder = "platform"
[[questions.options]]
id = "unsure"
label = "Not sure"
unsure = true

[[questions]]
id = "switch"
dimension = "control"
text = "Can you switch?"
show_if = {{ question = "hours", answers = ["me"] }}
risk = {}
[[questions.options]]
id = "yes"
label = "Yes"
points = 1
carried_by = "you"
[[questions.options]]
id = "no"
label = "No"
carried_by = "platform"

[[findings]]
id = "f"
text = {}
link = "../guide/article.md"
all = [{{ question = "hours", answers = ["me"] }}]

[[bands]]
id = "low"
min = 0
max = 49
title = {}
summary = {}
next_steps = [{}, "Plain step."]

[[bands]]
id = "high"
min = 50
max = 100
title = "High"
summary = "Fine."
"#,
            s("checklist.title"),
            s("checklist.intro"),
            s("holders.platform"),
            s("dimension.title"),
            s("dimension.description"),
            s("dimension.text"),
            s("question.text"),
            s("question.help"),
            s("question.control_point"),
            s("question.find_out"),
            s("option.label"),
            s("question.risk"),
            s("finding.text"),
            s("band.title"),
            s("band.summary"),
            s("band.next_steps"),
        ),
    );
    site
}

/// Every output file whose name ends with one of `extensions`, with its text.
fn outputs(site: &Fixture, extensions: &[&str]) -> Vec<(String, String)> {
    site.snapshot_tree()
        .into_iter()
        .filter(|(path, _)| extensions.iter().any(|e| path.ends_with(e)))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

/// The JSON models of the checklists embedded in `html`.
fn models(html: &str) -> Vec<&str> {
    const OPEN: &str = "<script type=\"application/json\" class=\"checklist-model\">";
    html.match_indices(OPEN)
        .map(|(i, _)| {
            let start = i + OPEN.len();
            let end = start + html[start..].find("</script>").expect("closed");
            &html[start..end]
        })
        .collect()
}

/// Every attribute name of every tag of `html`, with its tag's name: a small tokenizer that
/// knows quoted values, which is all escaped text can break out of.
fn attributes(html: &str) -> Vec<(String, String)> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let name_end = i
            + 1
            + html[i + 1..]
                .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                .unwrap_or(html.len() - i - 1);
        let tag = html[i + 1..name_end].to_ascii_lowercase();
        let mut j = name_end;
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let start = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !b"=>/".contains(&bytes[j])
            {
                j += 1;
            }
            found.push((tag.clone(), html[start..j].to_ascii_lowercase()));
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                match bytes.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        j += 1 + html[j + 1..].find(q as char).unwrap_or(html.len() - j - 1) + 1;
                    }
                    _ => {
                        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>'
                        {
                            j += 1;
                        }
                    }
                }
            }
        }
        i = j + 1;
    }
    found
}

/// `html` with the contents of the checklist models left out.
fn without_models(html: &str) -> String {
    let mut out = html.to_owned();
    for json in models(html) {
        out = out.replace(json, "");
    }
    out
}

/// Every string in a JSON value.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn check_site(theme: &str) {
    let site = hostile_site(theme);
    if let Err(diagnostics) = site.build() {
        panic!(
            "the hostile site does not build:\n{}",
            common::lines(&diagnostics)
        );
    }
    let pages = outputs(&site, &[".html"]);
    assert!(pages.len() >= 5, "{pages:?}");
    let mut everything = String::new();
    let mut model_strings = Vec::new();
    for (path, page) in &pages {
        // The models are checked as JSON below; everything else is checked as HTML.
        let html = &without_models(page);
        let lower = html.to_ascii_lowercase();
        // The only scripts: files, and the checklist's model and words as JSON.
        for (i, _) in lower.match_indices("<script") {
            let tag = &html[i..];
            assert!(
                tag.starts_with("<script src=\"")
                    || tag.starts_with(
                        "<script type=\"application/json\" class=\"checklist-model\">"
                    )
                    || tag.starts_with(
                        "<script type=\"application/json\" class=\"checklist-words\">"
                    ),
                "{theme}: {path}: a script element that is not a file, the model or the words: {}",
                &tag[..tag.len().min(80)]
            );
        }
        for (tag, attribute) in attributes(html) {
            assert!(
                !attribute.starts_with("on"),
                "{theme}: {path}: an event handler attribute `{attribute}` on <{tag}>"
            );
        }
        for needle in [
            "' onmouseover=",
            "\" onmouseover=",
            "<!--",
            "href=\"javascript:",
            "src=\"javascript:",
            "]]>",
            ">alert(1)",
        ] {
            assert!(
                !lower.contains(needle),
                "{theme}: {path}: `{needle}` in\n{html}"
            );
        }
        for json in models(page) {
            assert!(
                !json.contains(['<', '>']),
                "{theme}: {path}: raw < or > in the model: {json}"
            );
            let value: serde_json::Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("{theme}: {path}: model is not JSON: {e}\n{json}"));
            strings(&value, &mut model_strings);
        }
        everything.push_str(html);
    }

    // Each shown field appears somewhere, escaped exactly once; never raw, never twice escaped,
    // never evaluated as a template.
    for field in SHOWN {
        // The guide theme shows the site's extra only as `footer`, and no page extras.
        if theme == "guide" && field == "page.extra"
            || theme != "guide" && GUIDE_ONLY.contains(&field)
        {
            continue;
        }
        // The plain theme has the offline status, not the footer's note.
        if theme == "plain" && field == "offline.note" {
            continue;
        }
        let raw = value(field);
        let escaped = escape_html(&raw);
        assert!(
            everything.contains(&escaped),
            "{theme}: `{field}` is not in any page, escaped once as\n{escaped}"
        );
        assert!(
            !everything.contains(&escape_html(&escaped)),
            "{theme}: `{field}` is escaped twice"
        );
        let prefix = format!("[{field}]");
        for (i, _) in everything.match_indices(&prefix) {
            let shown = &everything[i..];
            assert!(
                shown.starts_with(&escaped),
                "{theme}: `{field}` appears other than escaped: {}",
                &shown[..shown.len().min(160)]
            );
        }
    }
    // The model carries every text the script shows, intact.
    for field in IN_MODEL {
        assert!(
            model_strings.contains(&value(field)),
            "{theme}: `{field}` is not in the model as written"
        );
    }

    // The feed and sitemap: XML, escaped.
    for (path, xml) in outputs(&site, &[".xml"]) {
        assert!(!xml.to_ascii_lowercase().contains("<script"), "{path}");
        assert!(!xml.contains("<!--"), "{path}");
        assert!(!xml.contains("]]>"), "{path}: {xml}");
    }
    let feed = site.read("atom.xml");
    assert!(
        feed.contains(&escape_html(&value("page.title")).replace("&#39;", "'"))
            || feed.contains(&escape_html(&value("page.title"))),
        "the feed shows the page title escaped:\n{feed}"
    );
}

#[test]
fn hostile_text_is_escaped_in_the_plain_theme() {
    check_site("plain");
}

#[test]
fn hostile_text_is_escaped_in_the_guide_theme() {
    check_site("guide");
}

#[test]
fn markdown_escapes_stay_escaped_in_summary_and_table_of_contents() {
    let site = hostile_site("plain");
    site.build().expect("builds");
    let html = site.read("guide/article/index.html");
    // The summary and the headings were escaped in markdown: their text holds `<script>`, which
    // must be escaped again wherever a template prints it as text.
    assert!(
        html.contains("<p class=\"summary\">A summary with escaped markup: &lt;script&gt;alert(1)&lt;/script&gt; and {{ 7*7 }}.</p>"),
        "{html}"
    );
    assert!(
        html.contains(">First &lt;script&gt;alert(1)&lt;/script&gt;</a>"),
        "{html}"
    );
    assert!(html.contains("{{ 7*7 }}"), "not evaluated: {html}");
}

/// Raw HTML is the author's to write in a markdown body, and passes through there; the same
/// text in a title, a description or a criteria file is text.
#[test]
fn raw_html_passes_through_only_in_markdown_bodies() {
    const RAW: &str =
        "<span class=\"authored\" onclick=\"go()\">hi</span><script>window.authored = 1;</script>";
    let site = Fixture::new("checklist");
    site.write(
        "content/guide/raw.md",
        &format!(
            "+++\ntitle = {}\ndescription = {}\n+++\nBefore.\n\n{RAW}\n\nAfter.\n",
            toml_string(RAW),
            toml_string(RAW),
        ),
    );
    site.build().expect("builds");
    let html = site.read("guide/raw/index.html");
    assert!(
        html.contains(RAW),
        "the body's raw HTML passes through:\n{html}"
    );
    assert_eq!(html.matches(RAW).count(), 1, "only the body's:\n{html}");
    assert!(
        html.contains(&format!("<h1>{}</h1>", escape_html(RAW))),
        "the title is text:\n{html}"
    );
    // In listings the title is text too.
    let section = fs::read_to_string(site.output().join("guide/index.html")).expect("section");
    assert!(!section.contains(RAW), "{section}");
    assert!(section.contains(&escape_html(RAW)), "{section}");
}
