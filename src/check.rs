//! `plumb check`'s look at a build as readers will get it: every link and image in every
//! generated page, whether a template, markdown or raw HTML wrote it, must lead to a file of
//! the build, and every `#anchor` to an element with that id.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::html;
use crate::markdown::is_external;
use crate::output::{Contents, OutputFile};

/// Attributes whose value is a URL the reader's browser follows or loads.
const URL_ATTRIBUTES: [&str; 3] = ["href", "src", "poster"];

/// Broken internal links of the built `files`. `base_path` is the site's path on its host (for
/// the absolute paths of the 404 page); `sources` maps output paths to the files they came from.
pub fn links(
    files: &[OutputFile],
    base_path: &str,
    sources: &HashMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let pages: Vec<(&str, String)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| match &f.contents {
            Contents::Bytes(bytes) => {
                Some((f.path.as_str(), String::from_utf8_lossy(bytes).into_owned()))
            }
            Contents::Copy(_) => None,
        })
        .collect();
    let ids: HashMap<&str, HashSet<String>> = pages
        .iter()
        .map(|(path, html)| {
            let ids = html::tags(html).filter_map(|t| t.attr("id")).collect();
            (*path, ids)
        })
        .collect();
    let mut diagnostics = Vec::new();
    for (path, text) in &pages {
        for tag in html::tags(text) {
            for (name, url) in &tag.attrs() {
                if !URL_ATTRIBUTES.contains(&name.as_str()) || is_external(url) || url.is_empty() {
                    continue;
                }
                if let Some(problem) = check_one(path, url, base_path, &paths, &ids) {
                    let shown = sources
                        .get(*path)
                        .cloned()
                        .unwrap_or_else(|| format!("public/{path}").into());
                    diagnostics.push(
                        Diagnostic::error(format!("`{path}` {problem}"))
                            .in_file(&shown)
                            .with_hint("the link may come from the page, a template, or raw HTML; point it at a page of the site"),
                    );
                }
            }
        }
    }
    diagnostics
}

fn check_one(
    page: &str,
    url: &str,
    base_path: &str,
    paths: &HashSet<&str>,
    ids: &HashMap<&str, HashSet<String>>,
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
        && ids
            .get(target.as_str())
            .is_some_and(|set| !set.contains(fragment.as_ref()))
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

    fn check(pages: &[(&str, &str)]) -> Vec<String> {
        let files: Vec<OutputFile> = pages
            .iter()
            .map(|(p, h)| OutputFile::new((*p).to_owned(), h.as_bytes().to_vec()))
            .collect();
        links(&files, "/base/", &HashMap::new())
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
            ("404.html", r#"<a href="/base/a/">a</a>"#),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn broken_links_and_anchors_are_found() {
        let found = check(&[
            (
                "index.html",
                r##"<a href="b/">b</a><a href="a/#nope">n</a><a href="../../x">x</a><a href="#gone">g</a>"##,
            ),
            ("a/index.html", r#"<h1 id="top">A</h1>"#),
        ]);
        assert_eq!(
            found,
            [
                "`index.html` links to `b/`, which is not in the build",
                "`index.html` links to `a/#nope`, but `a/index.html` has no element with the id `nope`",
                "`index.html` links to `../../x`, outside the site",
                "`index.html` links to `#gone`, but `index.html` has no element with the id `gone`",
            ]
        );
    }
}
