//! The links of a criteria file (findings and next steps): each `.md` path, relative to the
//! criteria file as in markdown, resolved to its page's URL, or an error at the link naming the
//! missing page. A translation's links lead to the same language's page where one exists, and
//! to the original's page otherwise. Pure: the caller gives the URL of every content file.

use std::collections::{BTreeMap, HashMap};

use super::{Checklist, Link};
use crate::content::paths::{self, resolve};
use crate::diagnostic::{Diagnostic, Diagnostics, Source, suggest};

/// Each link as written -> its page.
pub type LinkUrls = BTreeMap<String, LinkTarget>;

/// The page a link leads to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LinkTarget {
    /// Root-relative, as templates write URLs.
    pub url: String,
    pub title: String,
}

/// Resolves every link of `checklist`, written in `source` (at `relative_path` under
/// `content/`), against `pages`: content path -> its page.
pub fn resolve_links(
    checklist: &Checklist,
    source: &Source,
    relative_path: &str,
    pages: &HashMap<String, LinkTarget>,
) -> Result<LinkUrls, Diagnostics> {
    let links = checklist
        .findings
        .iter()
        .filter_map(|f| f.link.as_ref())
        .chain(
            checklist
                .bands
                .iter()
                .flat_map(|b| &b.next_steps)
                .filter_map(|s| s.link.as_ref()),
        );
    let mut urls = LinkUrls::new();
    let mut diagnostics = Diagnostics::default();
    for link in links {
        match url_of(link, relative_path, pages) {
            Ok(target) => {
                urls.insert(link.path.clone(), target);
            }
            Err((message, hint)) => diagnostics.push(
                Diagnostic::error(message)
                    .at(source, link.span.clone())
                    .with_hint(hint),
            ),
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(urls)
    }
}

fn url_of(
    link: &Link,
    relative_path: &str,
    pages: &HashMap<String, LinkTarget>,
) -> Result<LinkTarget, (String, String)> {
    let path = &link.path;
    if path.contains('#') || path.contains("://") || path.starts_with('/') {
        return Err((
            format!("the link `{path}` is not a path to a page of the site"),
            "write the path of a `.md` file relative to this criteria file, without `#`, such as `../guide/what-next.md`".to_owned(),
        ));
    }
    let Some(resolved) = resolve(relative_path, path) else {
        return Err((
            format!("the link `{path}` leads outside `content/`"),
            "link to a file inside `content/`, relative to this file's folder".to_owned(),
        ));
    };
    // A translation's links lead to the pages in its language, where there are some.
    let translated = paths::split_language(relative_path)
        .1
        .map(|code| paths::translated_path(&resolved, code));
    if let Some(url) = translated.and_then(|path| pages.get(&path)) {
        return Ok(url.clone());
    }
    if let Some(url) = pages.get(&resolved) {
        return Ok(url.clone());
    }
    let hint = match suggest(&resolved, pages.keys().map(String::as_str)) {
        Some(near) => {
            format!("did you mean `content/{near}`? (paths are relative to this file's folder)")
        }
        None => "check the path: it is relative to this file's folder, as in markdown".to_owned(),
    };
    Err((
        format!("link to a missing page `{path}` (content/{resolved})"),
        hint,
    ))
}
