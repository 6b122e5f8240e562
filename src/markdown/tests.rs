use super::*;
use crate::content::{Body, FrontMatter};
use crate::diagnostic::Source;

fn doc(path: &str, body: &str) -> Document {
    Document {
        source: Source::new(format!("content/{path}"), body),
        relative_path: path.to_owned(),
        url: crate::content::paths::url_of(path, None),
        meta: FrontMatter::default(),
        body: Body::Markdown(0),
    }
}

fn links() -> Links {
    [
        ("guide/risk.md", "/guide/risk/", DocId::Page(1)),
        ("guide/_index.md", "/guide/", DocId::Section(1)),
        ("about.md", "/about/", DocId::Page(2)),
    ]
    .into_iter()
    .map(|(path, url, id)| (path.to_owned(), (url.to_owned(), id)))
    .collect()
}

/// Two shortcodes: `tag(text=...)` and `box(title=...)` with a body.
struct TestShortcodes;

impl Shortcodes for TestShortcodes {
    fn names(&self) -> Vec<&str> {
        vec!["tag", "box"]
    }

    fn render(
        &self,
        name: &str,
        args: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<String, String> {
        let text = |key: &str| {
            args.get(key)
                .map(ToString::to_string)
                .ok_or(format!("Variable `{key}` not found"))
        };
        match name {
            "tag" => Ok(format!("<b>{}</b>", text("text")?)),
            _ => Ok(format!(
                "<aside data-title={}>{}</aside>\n",
                text("title")?,
                args["body"].as_str().unwrap_or_default()
            )),
        }
    }
}

fn render_at(path: &str, body: &str) -> Rendered {
    let links = links();
    let embeds: Embeds = [(
        "demo".to_owned(),
        "<section data-checklist=\"demo\"></section>".to_owned(),
    )]
    .into();
    let highlighter = Highlighter::default();
    let cx = RenderContext {
        smart_punctuation: true,
        links: &links,
        embeds: &embeds,
        highlighter: &highlighter,
        shortcodes: &TestShortcodes,
    };
    render(&doc(path, body), DocId::Page(0), &cx)
}

#[test]
fn table_alignment_is_a_class_and_text_that_looks_like_it_is_left_alone() {
    check(
        "| a | b | c |\n| :- | :-: | --: |\n| 1 | 2 | 3 |\n",
        "<table><thead><tr><th class=\"align-left\">a</th><th class=\"align-center\">b</th>\
         <th class=\"align-right\">c</th></tr></thead><tbody>\n<tr><td class=\"align-left\">1</td>\
         <td class=\"align-center\">2</td><td class=\"align-right\">3</td></tr>\n</tbody></table>\n",
    );
    let code = render_at(
        "guide/here.md",
        "| x |\n| :-: |\n| y |\n\n```\n<td style=\"text-align: left\">\n```\n",
    );
    assert!(
        code.html.contains("&lt;td style=\"text-align: left\"&gt;"),
        "{}",
        code.html
    );
}

fn check(body: &str, expected: &str) {
    let rendered = render_at("guide/here.md", body);
    assert_eq!(rendered.html, expected);
    assert!(
        rendered.diagnostics.is_empty(),
        "{:?}",
        rendered.diagnostics
    );
}

fn check_error(body: &str, expected: &str) {
    let rendered = render_at("guide/here.md", body);
    let messages: Vec<String> = rendered
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(messages, [expected]);
}

#[test]
fn headings_get_unique_ids() {
    check(
        "## Who pays?\n\n## Who pays?\n\n### Details {#why}\n",
        "<h2 id=\"who-pays\">Who pays?</h2>\n<h2 id=\"who-pays-1\">Who pays?</h2>\n<h3 id=\"why\">Details</h3>\n",
    );
}

#[test]
fn toc_nests_headings() {
    let rendered = render_at("a.md", "## One\n### One a\n## Two\n");
    assert_eq!(rendered.toc.len(), 2);
    assert_eq!(rendered.toc[0].children[0].id, "one-a");
    assert_eq!(rendered.toc[1].title, "Two");
}

#[test]
fn zola_at_links_name_content_paths_from_the_root() {
    check(
        "[r](@/guide/risk.md#pay)",
        "<p><a href=\"/guide/risk/#pay\">r</a></p>\n",
    );
    check("[a](@/about.md)", "<p><a href=\"/about/\">a</a></p>\n");
}

#[test]
fn md_links_become_page_urls() {
    check("[r](risk.md)", "<p><a href=\"/guide/risk/\">r</a></p>\n");
    check(
        "[a](../about.md#top)",
        "<p><a href=\"/about/#top\">a</a></p>\n",
    );
    check("[s](_index.md)", "<p><a href=\"/guide/\">s</a></p>\n");
    check(
        "[x](https://example.org/a.md)",
        "<p><a href=\"https://example.org/a.md\">x</a></p>\n",
    );
    check(
        "![p](img/p.png)",
        "<p><img src=\"/guide/img/p.png\" alt=\"p\" /></p>\n",
    );
}

#[test]
fn anchors_are_recorded_for_checking() {
    let rendered = render_at("guide/here.md", "[a](../about.md#top) [b](#local)");
    let checks: Vec<_> = rendered
        .anchor_checks
        .iter()
        .map(|c| (c.target, c.anchor.as_str()))
        .collect();
    assert_eq!(checks, [(DocId::Page(2), "top"), (DocId::Page(0), "local")]);
}

#[test]
fn missing_page_is_an_error_with_a_suggestion() {
    check_error(
        "Text\n\nsee [r](rsk.md)",
        "content/guide/here.md:3:5: error: link to a missing page `rsk.md` (content/guide/rsk.md) (hint: did you mean `risk.md`? (paths are relative to this file's folder))",
    );
}

#[test]
fn links_may_not_leave_content() {
    check_error(
        "[x](../../etc/passwd.md)",
        "content/guide/here.md:1:1: error: the link `../../etc/passwd.md` leads outside `content/` (hint: link to a file inside `content/`, relative to this file's folder)",
    );
}

#[test]
fn code_is_highlighted_with_classes() {
    let rendered = render_at("a.md", "```toml\nkey = \"v\"\n```\n");
    assert!(
        rendered
            .html
            .starts_with("<pre class=\"code\" data-lang=\"toml\"><code><span class=\"hl-"),
        "{}",
        rendered.html
    );
}

#[test]
fn unknown_language_warns_and_renders_plain() {
    let rendered = render_at("a.md", "```klingon\n<x>\n```\n");
    assert_eq!(
        rendered.html,
        "<pre class=\"code\" data-lang=\"klingon\"><code>&lt;x&gt;\n</code></pre>\n"
    );
    assert_eq!(
        rendered.diagnostics[0].to_string(),
        "content/a.md:1:1: warning: no highlighting for the language `klingon` (hint: use a known language name such as `toml`, `json`, `sh` or `text`)"
    );
}

#[test]
fn a_line_too_long_to_highlight_warns_with_its_line() {
    let long = "x".repeat(100_000);
    let rendered = render_at(
        "a.md",
        &format!("Intro.\n\n```perl\nprint 1;\n{long}\n```\n"),
    );
    assert!(rendered.html.contains(&long) && !rendered.html.contains("hl-"));
    assert_eq!(
        rendered.diagnostics[0].to_string(),
        "content/a.md:3:1: warning: line 5 is longer than 2000 characters: this `perl` block is shown without highlighting (hint: break the line, or mark the block `text` to show it plain without a warning)"
    );
}

#[test]
fn nul_bytes_become_replacement_characters() {
    check(
        "a\0b `c\0d` <x\0>\n\n```\ne\0\n```\n",
        "<p>a\u{FFFD}b <code>c\u{FFFD}d</code> &lt;x\u{FFFD}&gt;</p>\n<pre class=\"code\"><code>e\u{FFFD}\n</code></pre>\n",
    );
}

#[test]
fn checklist_blocks_embed_the_compiled_checklist() {
    let rendered = render_at("a.md", "Intro\n\n```checklist\ndemo\n```\n");
    assert_eq!(
        rendered.html,
        "<p>Intro</p>\n<section data-checklist=\"demo\"></section>"
    );
    assert!(rendered.has_checklist);
    check_error(
        "```checklist\ndemoo\n```\n",
        "content/guide/here.md:1:1: error: unknown checklist `demoo` (hint: did you mean `demo`?)",
    );
}

#[test]
fn embedding_one_checklist_twice_on_a_page_is_an_error_at_the_second() {
    check_error(
        "```checklist\ndemo\n```\n\nMore.\n\n```checklist\ndemo\n```\n",
        "content/guide/here.md:7:1: error: the checklist `demo` is already embedded on this page, at line 1 (hint: embed a checklist once per page; elsewhere link to it with `[the checklist](#checklist-demo)`)",
    );
}

#[test]
fn raw_html_passes_only_where_written() {
    check(
        "<kbd>Ctrl</kbd> and `<b>`",
        "<p><kbd>Ctrl</kbd> and <code>&lt;b&gt;</code></p>\n",
    );
}

#[test]
fn extensions_are_on() {
    check(
        "~~no~~ \"yes\"",
        "<p><del>no</del> \u{201c}yes\u{201d}</p>\n",
    );
    check(
        "- [x] done\n",
        "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone</li>\n</ul>\n",
    );
    check(
        "|a|\n|-|\n|1|\n",
        "<table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td>1</td></tr>\n</tbody></table>\n",
    );
}

#[test]
fn summary_and_word_count() {
    let rendered = render_at("a.md", "## Head\n\nFirst para\nline two.\n\nSecond.\n");
    assert_eq!(rendered.summary, "First para line two.");
    assert_eq!(rendered.word_count, 6);
}

#[test]
fn external_urls_are_recognised() {
    for url in [
        "https://a.org",
        "mailto:x@y.z",
        "//cdn.example/x.js",
        "tel:+1",
    ] {
        assert!(is_external(url), "{url}");
    }
    for url in [
        "a.md",
        "../b.md",
        "#x",
        "/abs/",
        "c:d/e.md".trim_start_matches("c:"),
    ] {
        assert!(!is_external(url), "{url}");
    }
}

fn messages(body: &str) -> Vec<String> {
    render_at("guide/here.md", body)
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn inline_shortcodes_render_their_template() {
    check(
        "Pay {{ tag(text=\"late\", n=3, ok=true, list=[1, 'a']) }} again.\n\n{{ tag(text='alone') }}\n",
        "<p>Pay <b>\"late\"</b> again.</p>\n<b>\"alone\"</b>\n",
    );
}

#[test]
fn shortcode_bodies_are_markdown_of_the_page() {
    check(
        "{% box(title=\"Key\") %}\nRead [risk](risk.md) **first**.\n{% end %}\n\nAfter.\n",
        "<aside data-title=\"Key\"><p>Read <a href=\"/guide/risk/\">risk</a> <strong>first</strong>.</p>\n</aside>\n<p>After.</p>\n",
    );
}

#[test]
fn shortcodes_in_code_and_escaped_calls_stay_as_written() {
    check(
        "`{{ tag(text=1) }}` and {{/* tag(text=2) */}}\n\n```text\n{{ nope() }}\n{%/* box() */%}\n```\n",
        "<p><code>{{ tag(text=1) }}</code> and {{ tag(text=2) }}</p>\n<pre class=\"code\" data-lang=\"text\"><code>{{ nope() }}\n{% box() %}\n</code></pre>\n",
    );
}

#[test]
fn unknown_shortcodes_and_bad_arguments_are_located_errors() {
    assert_eq!(
        messages("One.\n\n{{ tga(text=\"x\") }}\n"),
        ["content/guide/here.md:3:1: error: unknown shortcode `tga` (hint: did you mean `tag`?)"]
    );
    assert_eq!(
        messages("{{ tag(text=late) }}\n"),
        [
            "content/guide/here.md:1:13: error: the value of `text` is not text in quotes, a number, true, false or a list (hint: write arguments as key=\"text\", key=3, key=true or key=[\"a\", \"b\"], separated by commas)"
        ]
    );
    assert_eq!(
        messages("{{ tag() }}\n"),
        [
            "content/guide/here.md:1:1: error: the shortcode `tag` failed: Variable `text` not found (hint: check the call's arguments against the variables its template uses)"
        ]
    );
    assert_eq!(
        messages("{% box(title=\"a\") %}\nNo end.\n"),
        [
            "content/guide/here.md:1:1: error: the shortcode `box` has no `{% end %}` (hint: end its body with `{% end %}` on a line of its own)"
        ]
    );
}

#[test]
fn call_like_text_is_kept_with_a_warning_and_a_way_to_write_it() {
    let rendered = render_at(
        "guide/here.md",
        "Intro.\n\n{{< figure src=\"a.png\" >}}\n\n{{#include ../x.rs}}\n\nHi {{ page.title }}.\n",
    );
    let warnings: Vec<String> = rendered
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].starts_with("content/guide/here.md:3:1: warning: `{{< figure src=\"a.png\" >}}` looks like a shortcode call but is not one"), "{}", warnings[0]);
    assert!(warnings[0].contains("Hugo shortcodes"), "{}", warnings[0]);
    assert!(
        warnings[1].contains("mdBook's `{{#include}}`"),
        "{}",
        warnings[1]
    );
    assert!(
        warnings[2].contains("write `{{/* ... */}}`"),
        "{}",
        warnings[2]
    );
    assert!(
        rendered.html.contains("{{#include ../x.rs}}"),
        "{}",
        rendered.html
    );
}

#[test]
fn errors_after_a_shortcode_keep_their_place_in_the_file() {
    assert_eq!(
        messages("{{ tag(text=\"a long argument that shifts offsets\") }} [x](missing.md)\n"),
        [
            "content/guide/here.md:1:55: error: link to a missing page `missing.md` (content/guide/missing.md) (hint: check the path: it is relative to this file's folder, as on GitHub)"
        ]
    );
}

#[test]
fn github_alerts_become_labelled_callouts() {
    check(
        "> [!WARNING]\n> Keep **every** receipt.\n\n> A plain quote.\n",
        "<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>\n<p>Keep <strong>every</strong> receipt.</p>\n</div>\n<blockquote>\n<p>A plain quote.</p>\n</blockquote>\n",
    );
    for (marker, class, title) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("CAUTION", "caution", "Caution"),
    ] {
        let html = render_at("a.md", &format!("> [!{marker}]\n> Text.\n")).html;
        assert!(
            html.starts_with(&format!("<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>")),
            "{html}"
        );
    }
}

#[test]
fn math_becomes_mathml_and_prices_stay_text() {
    let rendered = render_at("a.md", "Area: $\\pi r^2$.\n\n$$\nx = \\frac{1}{2}\n$$\n");
    assert!(
        rendered.diagnostics.is_empty(),
        "{:?}",
        rendered.diagnostics
    );
    assert!(
        rendered.html.contains("<p>Area: <math"),
        "{}",
        rendered.html
    );
    assert!(rendered.html.contains("<mfrac>"), "{}", rendered.html);
    check(
        "A day rate of $160 is about $17.78 an hour; fuel costs $45.\n",
        "<p>A day rate of $160 is about $17.78 an hour; fuel costs $45.</p>\n",
    );
}

#[test]
fn bad_math_is_a_located_error() {
    let rendered = render_at("guide/here.md", "Ratio $\\frac{1}$ here.\n");
    let messages: Vec<String> = rendered
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("content/guide/here.md:1:7: error: this math does not parse:"),
        "{}",
        messages[0]
    );
}

#[test]
fn words_split_by_punctuation_count_once() {
    assert_eq!(render_at("a.md", "It's $5 and don't.\n").word_count, 4);
}
