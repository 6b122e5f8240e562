use super::*;
use crate::urls::LinkStyle;

/// The page at `/guide/first/`, built from `content/guide/first.md`.
fn first_page() -> Target<'static> {
    Target {
        url: "/guide/first/",
        rewriter: Rewriter::RelativeTo("/guide/first/", LinkStyle::Pretty),
        source_folder: Some("/guide/"),
        body: None,
    }
}

fn text(page: &Page) -> String {
    match &page.file.contents {
        crate::output::Contents::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        crate::output::Contents::Copy(path) => panic!("a page copied from {}", path.display()),
    }
}

fn check(html: &str, expected: &str) {
    let finished =
        finish("guide/first/index.html".to_owned(), html, &first_page()).expect("finishes");
    assert_eq!(text(&finished), expected);
}

fn links(html: &str) -> Vec<String> {
    let finished =
        finish("guide/first/index.html".to_owned(), html, &first_page()).expect("finishes");
    finished
        .facts
        .links
        .iter()
        .map(|l| {
            format!(
                "{}:{} {} {}{}",
                l.at.line,
                l.at.column,
                l.tag,
                l.url,
                if l.loaded { " (loads)" } else { "" }
            )
        })
        .collect()
}

#[test]
fn root_relative_urls_become_page_relative() {
    check(
        r##"<a href="/guide/other/">o</a><img src='/pic.png'><a href="https://e.org/">e</a><a href="//cdn/x">c</a><a href="#t">t</a><p data-x="/no">/no</p><a class=x href=/unquoted>"##,
        r##"<a href="../other/">o</a><img src="../../pic.png"><a href="https://e.org/">e</a><a href="//cdn/x">c</a><a href="#t">t</a><p data-x="/no">/no</p><a class=x href="../../unquoted">"##,
    );
}

#[test]
fn every_srcset_candidate_is_rewritten() {
    check(
        r#"<img srcset="/guide/pic.svg 2x, /big.png 800w, https://e.org/x.png 3x">"#,
        r#"<img srcset="../pic.svg 2x, ../../big.png 800w, https://e.org/x.png 3x">"#,
    );
}

#[test]
fn every_url_attribute_of_the_list() {
    check(
        r#"<video poster="/p.png"></video><form action="/f/"><button formaction="/g/"></button></form><object data="/o.svg"></object><blockquote cite="/c/"></blockquote>"#,
        r#"<video poster="../../p.png"></video><form action="../../f/"><button formaction="../../g/"></button></form><object data="../../o.svg"></object><blockquote cite="../../c/"></blockquote>"#,
    );
}

#[test]
fn raw_text_and_comments_are_left_alone() {
    let html = r#"<pre>href="/guide/first/"</pre><!-- <a href="/gone/"> --><script>let a = '<a href="/x/">';</script><textarea><img src="/y.png"></textarea><style>a[href="/z/"]{}</style>"#;
    check(html, html);
    assert!(links(html).is_empty(), "{:?}", links(html));
}

#[test]
fn relative_urls_of_raw_html_are_read_from_the_content_files_folder() {
    check(
        r#"<img src="pic.png"><a href="../top.pdf">t</a><a href="?q=1">q</a><a href="mailto:a@b.c">m</a>"#,
        r#"<img src="../pic.png"><a href="../../top.pdf">t</a><a href="?q=1">q</a><a href="mailto:a@b.c">m</a>"#,
    );
}

#[test]
fn links_are_recorded_with_their_place() {
    assert_eq!(
        links(
            "<p>\n  <a href=\"/a/?x=1&amp;y=2\">a</a><img srcset=\"/b.png 1x, /c.png 2x\">\n<link rel=\"stylesheet\" href=\"/s.css\">"
        ),
        [
            "2:3 a ../../a/?x=1&y=2",
            "2:34 img ../../b.png (loads)",
            "2:34 img ../../c.png (loads)",
            "3:1 link ../../s.css (loads)",
        ]
    );
}

/// Character references are read as a browser reads attributes: any named or numeric one, but
/// not a name without `;` followed by `=`, which query strings hold.
#[test]
fn urls_and_ids_are_recorded_as_the_browser_reads_them() {
    assert_eq!(
        links("<a href=\"https://e.org/?a=1&copy=2&amp;b=&#x2F;&eacute;\">a</a>"),
        ["1:1 a https://e.org/?a=1&copy=2&b=/é"]
    );
    let finished = finish(
        "guide/first/index.html".to_owned(),
        "<h2 id=\"caf&eacute;&#39;s\">A</h2>",
        &first_page(),
    )
    .expect("finishes");
    assert_eq!(finished.facts.ids[0].name, "café's");
}

#[test]
fn ids_are_recorded_and_duplicates_found() {
    let finished = finish(
        "guide/first/index.html".to_owned(),
        "<h2 id=\"a\">A</h2>\n<p id='b'></p><div id=\"a\"></div>",
        &first_page(),
    )
    .expect("finishes");
    let ids: Vec<String> = finished
        .facts
        .ids
        .iter()
        .map(|id| format!("{}:{} {}", id.at.line, id.at.column, id.name))
        .collect();
    assert_eq!(ids, ["1:1 a", "2:1 b", "2:15 a"]);
    let duplicates: Vec<String> = finished
        .facts
        .duplicate_ids()
        .iter()
        .map(|id| format!("{}:{} {}", id.at.line, id.at.column, id.name))
        .collect();
    assert_eq!(duplicates, ["2:15 a"]);
}

#[test]
fn the_current_page_is_marked_in_each_navigation() {
    check(
        r#"<nav><a href="/">H</a><a href="/guide/first/">F</a><a href="/guide/first/">again</a></nav><a href="/guide/first/">out</a><nav><a href="/guide/first/" aria-current="page">F</a></nav>"#,
        r#"<nav><a href="../../">H</a><a href="./" aria-current="page">F</a><a href="./">again</a></nav><a href="./">out</a><nav><a href="./" aria-current="page">F</a></nav>"#,
    );
}

#[test]
fn pages_of_no_content_file_and_the_404_page() {
    let target = Target {
        url: "/404.html",
        rewriter: Rewriter::UnderBase("/sub/"),
        source_folder: None,
        body: None,
    };
    let finished = finish(
        "404.html".to_owned(),
        r#"<a href="/a/">a</a><img src="x.png">"#,
        &target,
    )
    .expect("finishes");
    assert_eq!(
        text(&finished),
        r#"<a href="/sub/a/">a</a><img src="x.png">"#
    );
}
