//! Old addresses that send readers on: a page's `aliases` and a section's `redirect_to`.
//!
//! Each becomes a small page of its own (a meta refresh and a canonical link, no script), which
//! the sitemap and offline saving leave out: [`Site::redirect_paths`] lists their files.
//! Checked here, with the rest of the model: an alias must be a path of the site that no page
//! has, and a `redirect_to` must lead somewhere.

use std::collections::HashMap;

use toml::Spanned;

use super::{Document, Site, paths};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// One address that redirects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old root-relative URL (`/old/path/`, or a file such as `/old.html`).
    pub from: String,
    /// Where it sends readers: a root-relative URL of the site or an external URL.
    pub to: String,
    /// The title of the page it leads to, for the link on the redirect page.
    pub title: String,
    /// A section's `redirect_to`: the page is written in place of the section's own.
    pub replaces_section: bool,
}

impl Redirect {
    /// The file the redirect page is written to: `/old/` -> `old/index.html`.
    pub fn output_path(&self) -> String {
        let path = self.from.trim_start_matches('/');
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else if path.ends_with(".html") || path.ends_with(".htm") {
            path.to_owned()
        } else {
            format!("{path}/index.html")
        }
    }
}

impl Site {
    /// The output paths of every redirect page: files that are not content, which the
    /// sitemap and the offline cache leave out.
    pub fn redirect_paths(&self) -> impl Iterator<Item = String> + '_ {
        self.redirects.iter().map(Redirect::output_path)
    }
}

/// Every alias and section `redirect_to` of `site`, checked.
pub(super) fn collect(site: &Site) -> Result<Vec<Redirect>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let by_path: HashMap<&str, &Document> = site
        .documents()
        .map(|(_, d)| (d.relative_path.as_str(), d))
        .collect();
    let mut taken: HashMap<String, &Document> = site
        .documents()
        .map(|(_, d)| (paths::page_output(&d.url), d))
        .collect();
    let mut redirects = Vec::new();
    for section in &site.sections {
        let doc = &section.doc;
        let Some(target) = &doc.meta.redirect_to else {
            continue;
        };
        match resolve_target(target.get_ref(), doc, &by_path) {
            Ok((to, title)) => redirects.push(Redirect {
                from: doc.url.clone(),
                to,
                title,
                replaces_section: true,
            }),
            Err(problem) => diagnostics.push(located(doc, target, "redirect_to", problem)),
        }
    }
    for (_, doc) in site.documents() {
        for alias in &doc.meta.aliases {
            let from = match normalise_alias(alias.get_ref()) {
                Ok(from) => from,
                Err(problem) => {
                    diagnostics.push(located(doc, alias, "aliases", problem));
                    continue;
                }
            };
            let redirect = Redirect {
                from,
                to: doc.url.clone(),
                title: doc.meta.title.clone(),
                replaces_section: false,
            };
            if let Some(other) = taken.insert(redirect.output_path(), doc) {
                diagnostics.push(located(
                    doc,
                    alias,
                    "aliases",
                    format!(
                        "the alias `{alias}` is already the address of `{}`",
                        other.source.path.display()
                    ),
                ));
                continue;
            }
            redirects.push(redirect);
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    redirects.sort_by(|a, b| a.from.cmp(&b.from));
    Ok(redirects)
}

/// `problem` of the value `at` of `key` in the front matter of `doc`.
fn located(doc: &Document, at: &Spanned<String>, key: &str, problem: String) -> Diagnostic {
    let hint = if key == "aliases" {
        "an alias is an old path of this site, such as `/old/page/`; each may be used once"
    } else {
        "redirect to a content file (`@/guide/page.md`), a path of the site (`/guide/page/`) or a full URL"
    };
    Diagnostic::error(problem)
        .at(&doc.source, at.span())
        .with_hint(hint)
}

/// `/old/path`, `old/path/` -> `/old/path/`; `/old.html` stays a file.
fn normalise_alias(alias: &str) -> Result<String, String> {
    let trimmed = alias.trim();
    if crate::markdown::is_external(trimmed) {
        return Err(format!(
            "the alias `{alias}` is a full URL, not a path of this site"
        ));
    }
    let path = trimmed.trim_start_matches('/');
    if path.is_empty() {
        return Err("an alias may not be the site's home `/`".to_owned());
    }
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == "." || segment.contains(['?', '#', '\\']))
    {
        return Err(format!("the alias `{alias}` is not a plain path"));
    }
    if path.ends_with('/') || path.ends_with(".html") || path.ends_with(".htm") {
        Ok(format!("/{path}"))
    } else {
        Ok(format!("/{path}/"))
    }
}

/// A section's `redirect_to`: a content path (`@/a.md`, `a.md`), a path of the site (`/a/`,
/// or `a/` as Zola writes it) or a full URL.
fn resolve_target(
    target: &str,
    doc: &Document,
    by_path: &HashMap<&str, &Document>,
) -> Result<(String, String), String> {
    if crate::markdown::is_external(target) {
        return Ok((target.to_owned(), target.to_owned()));
    }
    let content_path = match target.strip_prefix("@/") {
        Some(path) => Some(path.to_owned()),
        None if target.ends_with(".md") => paths::resolve(&doc.relative_path, target),
        None => None,
    };
    if let Some(path) = content_path {
        return match by_path.get(path.as_str()) {
            Some(found) => Ok((found.url.clone(), found.meta.title.clone())),
            None => Err(format!("`redirect_to` names a missing page `{target}`")),
        };
    }
    if target.trim().is_empty() || target.split('/').any(|segment| segment == "..") {
        return Err(format!(
            "`redirect_to` is neither a content file, a path nor a URL: `{target}`"
        ));
    }
    // Zola writes site paths without the leading `/` (`docs/start/`).
    let path = format!("/{}", target.trim_start_matches('/'));
    Ok((path.clone(), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_paths_of_the_site() {
        assert_eq!(normalise_alias("/old/page").as_deref(), Ok("/old/page/"));
        assert_eq!(normalise_alias("old/").as_deref(), Ok("/old/"));
        assert_eq!(normalise_alias("/old.html").as_deref(), Ok("/old.html"));
        assert!(normalise_alias("/").is_err());
        assert!(normalise_alias("/../etc/").is_err());
        assert!(normalise_alias("https://elsewhere.org/").is_err());
    }

    #[test]
    fn redirect_pages_are_written_where_the_old_address_was() {
        let redirect = |from: &str| Redirect {
            from: from.to_owned(),
            to: "/new/".to_owned(),
            title: "New".to_owned(),
            replaces_section: false,
        };
        assert_eq!(redirect("/old/").output_path(), "old/index.html");
        assert_eq!(redirect("/old.html").output_path(), "old.html");
    }
}
