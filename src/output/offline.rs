//! What makes a build work offline: the web app manifest, the service worker (its template
//! filled with the build's list of files to save, see [`super::precache`]), what each page
//! loads (the files of the site it needs, in order) and the check that no page loads anything
//! from another host, both read from the [`Facts`] the finishing pass recorded, never from the
//! page's bytes.

use serde_json::json;

use super::precache::Plan;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity, Source};
use crate::finish::Facts;
use crate::finish::facts::Recorded;

/// The service worker's file name, at the site's root so its scope is the whole site.
pub const SERVICE_WORKER: &str = "sw.js";
pub const MANIFEST: &str = "manifest.webmanifest";

/// The web app manifest. URLs in it are relative to the manifest, which sits at the site's root,
/// so they hold under any sub-path.
pub fn manifest(config: &Config) -> String {
    let m = &config.manifest;
    let icon_type = if m.icon.ends_with(".svg") {
        "image/svg+xml"
    } else {
        "image/png"
    };
    let manifest = json!({
        "name": config.title,
        "short_name": m.short_name.as_deref().unwrap_or(&config.title),
        "description": config.description,
        "lang": config.language,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": m.theme_color,
        "background_color": m.background_color,
        "icons": [{"src": m.icon, "sizes": "any", "type": icon_type, "purpose": "any"}],
    });
    serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"
}

/// The service worker for a build whose files to save are `plan`'s. It lists what is saved
/// ahead, in order, each file with its revision, and the files never saved; any other file of
/// the site is saved when the reader opens it. So the list grows with the budget, not with the
/// site, and the worker's bytes change whenever a saved-ahead file's do: browsers see a new
/// worker for each such build, and download only the files that changed. `language_folders`
/// are the other languages' folders (`es/`): a reader saves ahead only the language being read.
pub fn service_worker(plan: &Plan, language_folders: &[String]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let ahead: Vec<serde_json::Value> = plan
        .entries
        .iter()
        .filter(|entry| entry.ahead)
        .map(|entry| {
            hasher.update(entry.path.as_bytes());
            hasher.update(&entry.hash.to_le_bytes());
            json!([
                precache_url(&entry.path),
                revision(entry.hash),
                entry.len,
                u8::from(entry.page)
            ])
        })
        .collect();
    let unsaved: Vec<String> = plan.unsaved.iter().map(|p| precache_url(p)).collect();
    for path in &unsaved {
        hasher.update(path.as_bytes());
    }
    let build = format!("{:016x}", hasher.digest());
    include_str!("../assets/sw.js")
        .replace("__PLUMB_BUILD__", &json!(build).to_string())
        .replace(
            "__PLUMB_FILES__",
            &serde_json::Value::Array(ahead).to_string(),
        )
        .replace("__PLUMB_UNSAVED__", &json!(unsaved).to_string())
        .replace("__PLUMB_LANGUAGES__", &json!(language_folders).to_string())
}

/// A file's revision in the worker's list: enough of its hash to tell two versions apart.
fn revision(hash: u64) -> String {
    format!("{:010x}", hash >> 24)
}

/// The URL a file is requested by, relative to the site's root: pages by their folder.
fn precache_url(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some("") => "./".to_owned(),
        Some(folder) if folder.ends_with('/') => folder.to_owned(),
        _ => path.to_owned(),
    }
}

/// What the page would load from another host: `(tag, url)` pairs, in document order.
pub fn external(facts: &Facts) -> Vec<(&'static str, &str)> {
    facts
        .loaded()
        .filter(|link| is_other_host(&link.url))
        .map(|link| (link.tag, link.url.as_str()))
        .collect()
}

/// The files of the site the page at `page_path` (below the output folder) loads, as paths
/// below the output folder, each once, in document order. Root-relative URLs (the 404 page's)
/// are read under `base_path`.
pub fn local(facts: &Facts, page_path: &str, base_path: &str) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    for link in facts.loaded() {
        if let Some(path) = resolve(page_path, &link.url, base_path)
            && !paths.contains(&path)
        {
            paths.push(path);
        }
    }
    paths
}

/// The output path a URL written in the page at `page_path` names, if it is a file of the site.
fn resolve(page_path: &str, url: &str, base_path: &str) -> Option<String> {
    let url = url.split(['#', '?']).next().unwrap_or("");
    let scheme = url
        .find(':')
        .is_some_and(|colon| !url[..colon].contains('/'));
    if url.is_empty() || scheme || url.starts_with("//") {
        return None;
    }
    let joined = match url.strip_prefix('/') {
        Some(rest) => format!("/{rest}").strip_prefix(base_path)?.to_owned(),
        None => {
            let folder = page_path.rsplit_once('/').map_or("", |(folder, _)| folder);
            format!("{folder}/{url}")
        }
    };
    let decoded = percent_encoding::percent_decode_str(&joined).decode_utf8_lossy();
    let mut segments: Vec<&str> = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            _ => segments.push(segment),
        }
    }
    let mut path = segments.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn is_other_host(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// Diagnostics for a page (`path`, built from `source` when a content file built it, with
/// `facts`) that would load from another host, each at the markdown line that wrote the URL
/// when the page's markdown did.
pub fn check_external(
    path: &str,
    facts: &Facts,
    source: Option<&Source>,
    severity: Severity,
) -> Vec<Diagnostic> {
    facts
        .loaded()
        .filter(|link| is_other_host(&link.url))
        .map(|link| {
            let place = Recorded {
                path,
                file: source,
                written: link.source,
                at: link.at,
            };
            let message = format!("`{path}` loads `{}` from another host", link.url);
            place
                .diagnostic(severity, &message, Some(&format!("`<{}>`", link.tag)))
                .with_hint(
                    "copy the file into `static/` and link it from there, so pages work offline and readers' devices talk to no one else; or set `external_resources` in site.toml",
                )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The facts of `html` finished as the page at `/guide/first/`.
    fn facts_of(html: &str) -> Facts {
        let target = crate::finish::Target {
            url: "/guide/first/",
            rewriter: crate::urls::Rewriter::RelativeTo(
                "/guide/first/",
                crate::urls::LinkStyle::Pretty,
            ),
            source_folder: None,
            body: None,
        };
        crate::finish::finish("guide/first/index.html".to_owned(), html, &target)
            .expect("finishes")
            .facts
    }

    fn external_resources(html: &str) -> Vec<(&'static str, String)> {
        external(&facts_of(html))
            .into_iter()
            .map(|(tag, url)| (tag, url.to_owned()))
            .collect()
    }

    #[test]
    fn finds_resources_that_load_from_other_hosts() {
        let html = r#"<a href="https://e.org/">a link is fine</a>
<link rel="canonical" href="https://e.org/x/"><link rel="stylesheet" href="https://cdn.e.org/s.css">
<script src="//cdn.e.org/x.js"></script><img alt=">" src='http://e.org/i.png'>
<img srcset="a.png 1x, https://e.org/b.png 2x"><script src="local.js"></script>"#;
        let found: Vec<String> = external_resources(html)
            .into_iter()
            .map(|(t, u)| format!("{t} {u}"))
            .collect();
        assert_eq!(
            found,
            [
                "link https://cdn.e.org/s.css",
                "script //cdn.e.org/x.js",
                "img http://e.org/i.png",
                "img https://e.org/b.png"
            ]
        );
    }

    #[test]
    fn pages_are_precached_by_folder() {
        assert_eq!(precache_url("index.html"), "./");
        assert_eq!(precache_url("guide/risk/index.html"), "guide/risk/");
        assert_eq!(precache_url("404.html"), "404.html");
        assert_eq!(precache_url("style.1234.css"), "style.1234.css");
    }

    #[test]
    fn pages_load_files_of_the_site() {
        let html = r#"<link rel="stylesheet" href="../../style.1.css"><link rel="canonical" href="https://e.org/">
<link rel="icon" href="/icon.svg"><script src="../../offline.2.js?v=1"></script>
<img src="pic.svg#x" srcset="pic.svg 1x, big%20pic.png 2x"><img src="data:image/png;base64,AA">
<a href="../other/">a link loads nothing</a><img src="https://e.org/far.png">"#;
        assert_eq!(
            local(&facts_of(html), "guide/first/index.html", "/"),
            [
                "style.1.css",
                "icon.svg",
                "offline.2.js",
                "guide/first/pic.svg",
                "guide/first/big pic.png"
            ]
        );
        let not_found =
            r#"<link rel="stylesheet" href="/style.1.css"><img src="https://e.org/far.png">"#;
        let not_found = crate::finish::finish(
            "404.html".to_owned(),
            not_found,
            &crate::finish::Target {
                url: "/404.html",
                rewriter: crate::urls::Rewriter::UnderBase("/sub/"),
                source_folder: None,
                body: None,
            },
        )
        .expect("finishes");
        assert_eq!(
            local(&not_found.facts, "404.html", "/sub/"),
            ["style.1.css"]
        );
        assert_eq!(resolve("404.html", "/elsewhere.png", "/sub/"), None);
        assert_eq!(resolve("index.html", "../../../x.css", "/"), None);
        assert_eq!(
            resolve("a/index.html", "./", "/").as_deref(),
            Some("a/index.html")
        );
    }

    #[test]
    fn the_worker_follows_the_bytes() {
        let plan = |hash| Plan {
            entries: vec![super::super::precache::Entry {
                path: "index.html".into(),
                hash,
                len: 3,
                page: true,
                ahead: true,
            }],
            ..Plan::default()
        };
        let a = service_worker(&plan(1 << 40), &[]);
        let b = service_worker(&plan(2 << 40), &[]);
        assert!(
            a.contains(r#"const FILES = [["./","0000010000",3,1]];"#),
            "{a}"
        );
        assert_ne!(a, b);
        assert_eq!(
            a,
            service_worker(&plan(1 << 40), &[]),
            "same build, same worker"
        );
    }
}
