//! Each path of the output is written by one source: a page, a file plumb generates (the 404
//! page, feed, sitemap, offline files), a static file, or a file beside the pages. Two sources
//! claiming one path would overwrite each other in whatever order they were written; that is an
//! error naming both, found before anything is written.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// What writes a file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The page built from this content file (shown path, relative to the site).
    Page(PathBuf),
    /// A file plumb writes itself, in words ("404 page").
    Generated(String),
    /// A file copied (or fingerprinted) from the site's or theme's folders.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Page(path) => write!(f, "the page of `{}`", path.display()),
            Self::Generated(what) => write!(f, "plumb's {what}"),
            Self::File(path) => write!(f, "`{}`", path.display()),
        }
    }
}

/// The files plumb generates whatever the site holds, by output path.
pub fn generated(offline: bool) -> Vec<(String, Origin)> {
    let mut files = vec![
        ("404.html", "404 page (the theme's `404.html`)"),
        ("sitemap.xml", "sitemap"),
        ("atom.xml", "Atom feed"),
        ("robots.txt", "robots.txt"),
    ];
    if offline {
        files.push((super::offline::MANIFEST, "web app manifest"));
        files.push((super::offline::SERVICE_WORKER, "service worker"));
    }
    files
        .into_iter()
        .map(|(path, what)| (path.to_owned(), Origin::Generated(what.to_owned())))
        .collect()
}

/// One error for each output path claimed twice, at the file that should move (a copied file
/// rather than a page, a page rather than a generated file).
pub fn check(claims: impl IntoIterator<Item = (String, Origin)>) -> Vec<Diagnostic> {
    let mut first: HashMap<String, Origin> = HashMap::new();
    let mut diagnostics = Vec::new();
    for (path, origin) in claims {
        let Some(earlier) = first.get(&path) else {
            first.insert(path, origin);
            continue;
        };
        let at = [&origin, earlier].into_iter().find_map(|o| match o {
            Origin::File(p) | Origin::Page(p) => Some(p.as_path()),
            Origin::Generated(_) => None,
        });
        let diagnostic = Diagnostic::error(format!(
            "{origin} and {earlier} would both be written to `{path}`"
        ))
        .with_hint("rename or move one of them: each file of the output has one source");
        diagnostics.push(match at {
            Some(file) => diagnostic.in_file(file),
            None => diagnostic,
        });
    }
    diagnostics
}

/// `path` as the author knows it: relative to the site's folder when it is inside.
pub fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_claimed_twice_names_both_sources() {
        let errors = check(
            [
                (
                    "index.html".into(),
                    Origin::Page("content/_index.md".into()),
                ),
                ("a.png".into(), Origin::File("static/a.png".into())),
                (
                    "index.html".into(),
                    Origin::File("static/index.html".into()),
                ),
            ]
            .into_iter()
            .chain(generated(false))
            .chain([("atom.xml".into(), Origin::File("static/atom.xml".into()))]),
        );
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].starts_with("static/index.html: error: `static/index.html` and the page of `content/_index.md` would both be written to `index.html`"),
            "{}",
            shown[0]
        );
        assert!(
            shown[1].contains("`static/atom.xml` and plumb's Atom feed"),
            "{}",
            shown[1]
        );
    }
}
