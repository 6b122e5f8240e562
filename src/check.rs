//! `plumb check`'s look at a build as readers will get it: every URL of every generated page,
//! whether a template, markdown or raw HTML wrote it, must lead to a file of the build, and
//! every `#anchor` to an element with that id. It reads the [`Facts`] the finishing pass
//! recorded of each page (URLs and ids with their places), never the pages' bytes, so a link in
//! a comment or in `<pre>` text is no link. A link a page's markdown wrote is named at its line
//! of the content file; any other at its place in the generated page.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::finish::Facts;
use crate::finish::facts::{Link, Recorded};
use crate::markdown::is_external;

/// Broken internal links of a build of the files at `paths`, whose pages' facts are `facts` (by
/// output path).
/// `base_path` is the site's path on its host (for the absolute paths of the 404 page);
/// `sources` maps output paths to the content files they came from.
pub fn links(
    paths: &HashSet<&str>,
    facts: &HashMap<String, Facts>,
    base_path: &str,
    sources: &HashMap<String, &Source>,
) -> Vec<Diagnostic> {
    let mut pages: Vec<(&String, &Facts)> = facts.iter().collect();
    pages.sort_unstable_by_key(|(path, _)| *path);
    let mut diagnostics = Vec::new();
    for (path, page) in pages {
        for link in &page.links {
            if is_external(&link.url) {
                continue;
            }
            if let Some(problem) = check_one(path, &link.url, base_path, paths, facts) {
                let source = sources.get(path).copied();
                diagnostics.push(broken(path, &problem, link, source));
            }
        }
    }
    diagnostics
}

/// The error for `link` of the page at `path`, built from `source`: at the link's line of
/// `source` when the page's markdown wrote it, else at its place in the page.
fn broken(path: &str, problem: &str, link: &Link, source: Option<&Source>) -> Diagnostic {
    let place = Recorded {
        path,
        file: source,
        written: link.source,
        at: link.at,
    };
    let hint = if place.in_markdown() {
        "point the link at a page or file of the site"
    } else {
        "the link may come from a template, a shortcode or the page; point it at a page of the site"
    };
    let element = format!("`<{} {}>`", link.tag, link.attribute);
    place
        .diagnostic(
            Severity::Error,
            &format!("`{path}` {problem}"),
            Some(&element),
        )
        .with_hint(hint)
}

fn check_one(
    page: &str,
    url: &str,
    base_path: &str,
    paths: &HashSet<&str>,
    facts: &HashMap<String, Facts>,
) -> Option<String> {
    let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
    let path = path.split('?').next().unwrap_or("");
    let target = if path.is_empty() {
        page.to_owned()
    } else {
        let Some(resolved) = resolve(page, path, base_path) else {
            return Some(format!("links to `{url}`, outside the site"));
        };
        if resolved.is_empty() || resolved.ends_with('/') {
            format!("{resolved}index.html")
        } else {
            resolved
        }
    };
    if !paths.contains(target.as_str()) {
        return Some(format!("links to `{url}`, which is not in the build"));
    }
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    if !fragment.is_empty()
        && facts
            .get(target.as_str())
            .is_some_and(|page| !page.has_id(fragment.as_ref()))
    {
        return Some(format!(
            "links to `{url}`, but `{target}` has no element with the id `{fragment}`"
        ));
    }
    None
}

/// `url` (relative to the output file `page`, or absolute under `base_path`) as an output path.
fn resolve(page: &str, url: &str, base_path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if let Some(absolute) = url.strip_prefix('/') {
        let under_base = absolute
            .strip_prefix(base_path.trim_start_matches('/'))
            .unwrap_or(absolute);
        return resolve("", under_base, "/");
    } else {
        page.rsplit_once('/')
            .map_or(Vec::new(), |(dir, _)| dir.split('/').collect())
    };
    let trailing = url.ends_with('/');
    for part in url.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::{LinkStyle, Rewriter};

    /// The messages for `pages` (output path, HTML as written by a template), finished as the
    /// pages of a site under `/base/`.
    fn check(pages: &[(&str, &str)]) -> Vec<String> {
        let paths: HashSet<&str> = pages.iter().map(|(path, _)| *path).collect();
        let mut facts = HashMap::new();
        for (path, html) in pages {
            if !path.ends_with(".html") {
                continue;
            }
            let url = format!("/{}", path.trim_end_matches("index.html"));
            let target = crate::finish::Target {
                url: &url,
                rewriter: if *path == "404.html" {
                    Rewriter::UnderBase("/base/")
                } else {
                    Rewriter::RelativeTo(&url, LinkStyle::Pretty)
                },
                source_folder: None,
                body: None,
            };
            let page = crate::finish::finish((*path).to_owned(), html, &target).expect("finishes");
            facts.insert((*path).to_owned(), page.facts);
        }
        links(&paths, &facts, "/base/", &HashMap::new())
            .iter()
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn good_links_pass() {
        let found = check(&[
            (
                "index.html",
                r##"<a href="a/">a</a><a href="a/index.html#top">t</a><a href="https://e.org/x">x</a><a href="#me">m</a><p id="me">"##,
            ),
            (
                "a/index.html",
                r#"<h1 id="top">A</h1><a href="../">home</a><img src="../pic.png">"#,
            ),
            ("pic.png", ""),
            ("404.html", r#"<a href="/a/">a</a>"#),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn broken_links_and_anchors_are_found() {
        let found = check(&[
            (
                "index.html",
                "<a href=\"b/\">b</a>\n<a href=\"a/#nope\">n</a><a href=\"../../x\">x</a>\n<img src=\"#gone\">",
            ),
            ("a/index.html", r#"<h1 id="top">A</h1>"#),
        ]);
        assert_eq!(
            found,
            [
                "`index.html` links to `b/`, which is not in the build (`<a href>`, line 1, column 1 of the page)",
                "`index.html` links to `a/#nope`, but `a/index.html` has no element with the id `nope` (`<a href>`, line 2, column 1 of the page)",
                "`index.html` links to `../../x`, outside the site (`<a href>`, line 2, column 24 of the page)",
                "`index.html` links to `#gone`, but `index.html` has no element with the id `gone` (`<img src>`, line 3, column 1 of the page)",
            ]
        );
    }

    #[test]
    fn links_in_comments_and_raw_text_are_no_links() {
        let found = check(&[(
            "index.html",
            r#"<!-- <a href="gone/">old</a> --><pre>href="gone/"</pre><textarea><a href="gone/"></textarea>"#,
        )]);
        assert!(found.is_empty(), "{found:?}");
    }
}
