//! The finishing pass on whole sites: each test guards a bug the string scanners it replaced
//! had, and fails on a build without the pass.

mod common;

use common::{Fixture, lines};

/// The `basic` fixture (under `https://example.org/docs/`) with a page `guide/extra.md` (at
/// `/guide/extra/`, beside `guide/pic.svg`) whose body is `body`.
fn basic_with(body: &str) -> Fixture {
    let site = Fixture::new("basic");
    site.write(
        "content/guide/extra.md",
        &format!("+++\ntitle = \"Extra page\"\nweight = 9\n+++\n{body}\n"),
    );
    site
}

/// `plumb check`'s diagnostics for `site`, one a line (empty when every link holds).
fn check(site: &Fixture) -> String {
    match plumb::build::check(&site.options()) {
        Ok(_) => String::new(),
        Err(diagnostics) => lines(&diagnostics),
    }
}

#[test]
fn email_autolinks_are_mailto_links() {
    let site = basic_with("Write to <foo@bar.example.com>.");
    site.build().expect("builds");
    let html = site.read("guide/extra/index.html");
    assert!(
        html.contains(r#"href="mailto:foo@bar.example.com""#),
        "{html}"
    );
}

#[test]
fn srcset_urls_are_written_relative_under_a_sub_path() {
    let site = basic_with(r#"<img alt="" src="/guide/pic.svg" srcset="/guide/pic.svg 2x">"#);
    site.build().expect("builds");
    let html = site.read("guide/extra/index.html");
    assert!(
        html.contains(r#"<img alt="" src="../pic.svg" srcset="../pic.svg 2x">"#),
        "{html}"
    );
    assert_eq!(check(&site), "");
}

#[test]
fn urls_as_text_in_raw_pre_are_left_as_written() {
    let site = basic_with("<pre>href=\"/guide/first/\"</pre>");
    site.build().expect("builds");
    let html = site.read("guide/extra/index.html");
    assert!(html.contains("<pre>href=\"/guide/first/\"</pre>"), "{html}");
}

#[test]
fn a_commented_out_link_is_not_checked() {
    let site = basic_with("<!-- <a href=\"gone/\">gone</a> -->\n\nText.");
    assert_eq!(check(&site), "");
}

/// `extra.md`'s front matter is four lines: its body starts on line 5.
#[test]
fn a_broken_raw_link_is_named_at_its_markdown_line() {
    let site = basic_with("Text.\n\n<p>\n  <a href=\"/nowhere/\">gone</a>\n</p>");
    assert_eq!(
        lines_of(&check(&site)),
        [
            "content/guide/extra.md:8:3: error: `guide/extra/index.html` links to `../../nowhere/`, which is not in the build (`<a href>`) (hint: point the link at a page or file of the site)"
        ]
    );
}

#[test]
fn a_broken_markdown_link_is_named_at_its_markdown_line() {
    let site = basic_with(
        "# Extra\n\nSee [the first page](first.md)\nand [elsewhere](/gone/) or\n![a picture](missing.png).",
    );
    assert_eq!(
        lines_of(&check(&site)),
        [
            "content/guide/extra.md:8:5: error: `guide/extra/index.html` links to `../../gone/`, which is not in the build (`<a href>`) (hint: point the link at a page or file of the site)",
            "content/guide/extra.md:9:1: error: `guide/extra/index.html` links to `../missing.png`, which is not in the build (`<img src>`) (hint: point the link at a page or file of the site)",
        ]
    );
}

/// A template's link is named in the page, even beside the same link in the markdown.
#[test]
fn a_broken_link_a_template_writes_is_named_in_the_page() {
    let site = Fixture::new("basic");
    site.write(
        "content/guide/extra.md",
        "+++\ntitle = \"Extra page\"\ntemplate = \"extra.html\"\n+++\nSee [gone](/gone/).\n",
    );
    site.write(
        "templates/extra.html",
        "<main>\n{{ page.content | safe }}\n<a href=\"/gone/\">gone</a></main>",
    );
    assert_eq!(
        lines_of(&check(&site)),
        [
            "content/guide/extra.md: error: `guide/extra/index.html` links to `../../gone/`, which is not in the build (`<a href>`, line 4, column 1 of the page) (hint: the link may come from a template, a shortcode or the page; point it at a page of the site)",
            "content/guide/extra.md:5:5: error: `guide/extra/index.html` links to `../../gone/`, which is not in the build (`<a href>`) (hint: point the link at a page or file of the site)",
        ]
    );
}

fn lines_of(text: &str) -> Vec<&str> {
    text.lines().collect()
}

#[test]
fn a_raw_relative_image_beside_the_page_is_found_under_pretty_urls() {
    let site = basic_with(r#"<img alt="a picture" src="pic.svg">"#);
    site.build().expect("builds");
    let html = site.read("guide/extra/index.html");
    assert!(
        html.contains(r#"<img alt="a picture" src="../pic.svg">"#),
        "{html}"
    );
    assert_eq!(check(&site), "");
}

#[test]
fn footnotes_have_ids_no_heading_has() {
    let site = basic_with("## 1\n\nA claim.[^1]\n\n[^1]: Its source.");
    site.build().expect("builds");
    let html = site.read("guide/extra/index.html");
    assert!(html.contains(r#"id="1""#), "{html}");
    assert!(html.contains(r#"id="fn-1""#), "{html}");
    assert!(html.contains(r##"href="#fn-1""##), "{html}");
}

#[test]
fn a_checklist_printed_twice_on_a_page_is_a_duplicate_id_error() {
    let site = Fixture::new("checklist");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.content | safe }}\n{{ page.content | safe }}{% endblock %}",
    );
    let Err(diagnostics) = site.build() else {
        panic!("duplicate ids must fail the build");
    };
    let errors = lines(&diagnostics);
    assert!(
        errors.contains(
            "content/guide/article.md: error: `guide/article/index.html` has a second element with the id `checklist-demo`"
        ),
        "{errors}"
    );
}

/// The errors of a build of `site` that is expected to fail, one a line.
fn build_errors(site: &Fixture) -> String {
    match site.build() {
        Ok(_) => panic!("the build must fail"),
        Err(diagnostics) => lines(&diagnostics),
    }
}

#[test]
fn a_duplicate_id_of_raw_html_is_named_at_its_markdown_line() {
    let site = basic_with("## Intro\n\nText.\n\n<div id=\"intro\">A box.</div>");
    assert_eq!(
        lines_of(&build_errors(&site)),
        [
            "content/guide/extra.md:9:1: error: `guide/extra/index.html` has a second element with the id `intro` (hint: ids must be unique in a page: rename one (a heading's id is set with `{#id}` after it), or embed the checklist once)"
        ]
    );
}

#[test]
fn a_duplicate_id_of_a_heading_is_named_at_its_markdown_line() {
    let site = basic_with("<div id=\"intro\">A box.</div>\n\nText.\n\n## Intro");
    assert_eq!(
        lines_of(&build_errors(&site)),
        [
            "content/guide/extra.md:9:1: error: `guide/extra/index.html` has a second element with the id `intro` (hint: ids must be unique in a page: rename one (a heading's id is set with `{#id}` after it), or embed the checklist once)"
        ]
    );
}

#[test]
fn an_image_from_another_host_is_named_at_its_markdown_line() {
    let site = basic_with("Text.\n\nSee ![a chart](https://cdn.example.net/chart.png) here.");
    assert_eq!(
        lines_of(&build_errors(&site)),
        [
            "content/guide/extra.md:7:5: error: `guide/extra/index.html` loads `https://cdn.example.net/chart.png` from another host (`<img>`) (hint: copy the file into `static/` and link it from there, so pages work offline and readers' devices talk to no one else; or set `external_resources` in site.toml)"
        ]
    );
}
