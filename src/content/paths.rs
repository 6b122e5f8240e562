//! Content paths -> URLs, and resolving relative links between content files.
//!
//! A translation sits beside its original with the language's code before the extension
//! (`guide/a.es.md`, `_index.es.md`, `checklists/x.es.toml`) and publishes under `/es/` at the
//! original's address.

use crate::config::languages::is_language_code;

/// The language of a translation and the path of its original: `guide/a.es.md` ->
/// (`guide/a.md`, `Some("es")`); any other path -> (itself, `None`).
pub fn split_language(relative_path: &str) -> (String, Option<&str>) {
    let (folder, name) = match relative_path.rfind('/') {
        Some(i) => relative_path.split_at(i + 1),
        None => ("", relative_path),
    };
    let Some((stem_and_code, extension)) = name.rsplit_once('.') else {
        return (relative_path.to_owned(), None);
    };
    match stem_and_code.rsplit_once('.') {
        Some((stem, code))
            if is_language_code(code) && !stem.is_empty() && matches!(extension, "md" | "toml") =>
        {
            (format!("{folder}{stem}.{extension}"), Some(code))
        }
        _ => (relative_path.to_owned(), None),
    }
}

/// The path of `original`'s translation into `code`: `guide/a.md` -> `guide/a.es.md`.
pub fn translated_path(original: &str, code: &str) -> String {
    match original.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') && !stem.is_empty() => {
            format!("{stem}.{code}.{extension}")
        }
        _ => format!("{original}.{code}"),
    }
}

/// Whether a content file is its folder's section index: `_index.md`, or `README.md` as on
/// GitHub and in mdBook.
pub fn is_section_index(relative_path: &str) -> bool {
    let (original, _) = split_language(relative_path);
    matches!(
        file_name(&original),
        "_index.md" | "README.md" | "readme.md"
    )
}

/// Whether a content file is a page bundle's page: `a/b/index.md` publishes at `/a/b/`, with
/// the files of its folder beside it.
pub fn is_bundle_page(relative_path: &str) -> bool {
    file_name(&split_language(relative_path).0) == "index.md"
}

fn file_name(relative_path: &str) -> &str {
    relative_path.rsplit('/').next().unwrap_or(relative_path)
}

/// The URL of a content file: `a/b.md` -> `/a/b/`, `a/_index.md` (or `a/README.md`, or the
/// bundle `a/index.md`) -> `/a/`, `_index.md` -> `/`. `slug` replaces the last segment of a
/// page's URL. A translation publishes under its language's folder: `a/b.es.md` -> `/es/a/b/`.
pub fn url_of(relative_path: &str, slug: Option<&str>) -> String {
    match split_language(relative_path) {
        (original, Some(code)) => format!("/{code}{}", original_url(&original, slug)),
        (_, None) => original_url(relative_path, slug),
    }
}

fn original_url(relative_path: &str, slug: Option<&str>) -> String {
    let without_ext = relative_path
        .strip_suffix(".md")
        .or_else(|| relative_path.strip_suffix(".toml"))
        .unwrap_or(relative_path);
    let mut segments: Vec<String> = without_ext.split('/').map(slug::slugify).collect();
    if is_section_index(relative_path) {
        segments.pop();
    } else {
        if is_bundle_page(relative_path) {
            segments.pop();
        }
        if let Some(slug) = slug
            && let Some(last) = segments.last_mut()
        {
            *last = slug.to_owned();
        }
    }
    segments.retain(|s| !s.is_empty());
    if segments.is_empty() {
        "/".to_owned()
    } else {
        format!("/{}/", segments.join("/"))
    }
}

/// The file a page at `url` is written to: `/a/b/` -> `a/b/index.html`.
pub fn page_output(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// Why a `slug` cannot be used, if it cannot.
pub fn check_slug(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        Some("`slug` is empty")
    } else if slug.contains('/') || slug.contains('\\') {
        Some("`slug` contains a `/`")
    } else if slug == "." || slug == ".." {
        Some("`slug` is `.` or `..`")
    } else if slug
        .chars()
        .any(|c| c.is_whitespace() || c == '#' || c == '?' || c == '%')
    {
        Some("`slug` contains a space, `#`, `?` or `%`")
    } else {
        None
    }
}

/// Resolves `target` (as written in a link) against the folder of `from` (a content path).
/// Returns `None` when the path climbs out of `content/`.
pub fn resolve(from: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = match from.rfind('/') {
        Some(i) => from[..i].split('/').collect(),
        None => Vec::new(),
    };
    let target = target.strip_prefix("./").unwrap_or(target);
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_urls() {
        assert_eq!(url_of("_index.md", None), "/");
        assert_eq!(url_of("guide/_index.md", None), "/guide/");
        assert_eq!(url_of("guide/risk.md", None), "/guide/risk/");
        assert_eq!(url_of("guide/risk.md", Some("danger")), "/guide/danger/");
        assert_eq!(
            url_of("checklists/independence.toml", None),
            "/checklists/independence/"
        );
        assert_eq!(url_of("My Notes/Page One.md", None), "/my-notes/page-one/");
    }

    #[test]
    fn bundles_and_readmes_publish_at_their_folder() {
        assert_eq!(url_of("guide/pay/index.md", None), "/guide/pay/");
        assert_eq!(url_of("guide/pay/index.md", Some("wages")), "/guide/wages/");
        assert_eq!(url_of("format/README.md", None), "/format/");
        assert_eq!(url_of("README.md", None), "/");
        assert!(is_section_index("format/README.md") && is_section_index("_index.md"));
        assert!(!is_section_index("guide/pay/index.md") && is_bundle_page("guide/pay/index.md"));
    }

    #[test]
    fn translations_publish_under_their_language() {
        assert_eq!(url_of("guide/risk.es.md", None), "/es/guide/risk/");
        assert_eq!(url_of("_index.es.md", None), "/es/");
        assert_eq!(url_of("guide/_index.es.md", None), "/es/guide/");
        assert_eq!(
            url_of("guide/risk.es.md", Some("riesgo")),
            "/es/guide/riesgo/"
        );
        assert_eq!(
            url_of("checklists/independence.es.toml", None),
            "/es/checklists/independence/"
        );
        assert!(is_section_index("guide/_index.es.md"));
        assert_eq!(
            split_language("guide/a.es.md"),
            ("guide/a.md".to_owned(), Some("es"))
        );
        assert_eq!(split_language("v1.2.md"), ("v1.2.md".to_owned(), None));
        assert_eq!(translated_path("guide/a.md", "es"), "guide/a.es.md");
        assert_eq!(translated_path("_index.md", "es"), "_index.es.md");
        assert_eq!(split_language(".es.md"), (".es.md".to_owned(), None));
    }

    #[test]
    fn slugs_that_escape_are_refused() {
        assert!(check_slug("../etc").is_some());
        assert!(check_slug("a/b").is_some());
        assert!(check_slug("..").is_some());
        assert!(check_slug("fine-slug").is_none());
    }

    #[test]
    fn relative_links_resolve_like_on_github() {
        assert_eq!(resolve("guide/a.md", "b.md").as_deref(), Some("guide/b.md"));
        assert_eq!(
            resolve("guide/a.md", "./b.md").as_deref(),
            Some("guide/b.md")
        );
        assert_eq!(
            resolve("guide/a.md", "../x/_index.md").as_deref(),
            Some("x/_index.md")
        );
        assert_eq!(resolve("a.md", "../b.md"), None);
    }
}
