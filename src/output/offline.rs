//! What makes a build work offline: the web app manifest, the service worker that precaches
//! every file of the build, and the check that no page loads anything from another host.

use serde_json::json;

use super::Record;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};

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

/// The service worker for a build of the files in `records`: its cache is named after a hash
/// of every file's path and bytes, so each deploy that changes anything gets a new cache.
/// Returns the worker and the bytes it precaches.
pub fn service_worker(records: &[Record]) -> (String, u64) {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for record in &sorted {
        hasher.update(record.path.as_bytes());
        hasher.update(&record.hash.to_le_bytes());
    }
    let build = format!("{:016x}", hasher.digest());
    let urls: Vec<String> = sorted.iter().map(|r| precache_url(&r.path)).collect();
    let total = sorted.iter().map(|r| r.len).sum();
    let worker = include_str!("../assets/sw.js")
        .replace("__PLUMB_BUILD__", &json!(build).to_string())
        .replace("__PLUMB_FILES__", &json!(urls).to_string());
    (worker, total)
}

/// The URL a file is requested by, relative to the site's root: pages by their folder.
fn precache_url(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some("") => "./".to_owned(),
        Some(folder) if folder.ends_with('/') => folder.to_owned(),
        _ => path.to_owned(),
    }
}

/// Elements that load what their attributes name, and those attributes.
const LOADING: &[(&str, &[&str])] = &[
    ("script", &["src"]),
    ("img", &["src", "srcset"]),
    ("iframe", &["src"]),
    ("source", &["src", "srcset"]),
    ("video", &["src", "poster"]),
    ("audio", &["src"]),
    ("track", &["src"]),
    ("embed", &["src"]),
    ("object", &["data"]),
    ("link", &["href"]),
];

/// `rel` values of `<link>` that make the browser fetch the `href`.
const LOADING_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "apple-touch-icon",
    "preconnect",
];

/// Finds what a page would load from another host: `(tag, url)` pairs.
pub fn external_resources(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for tag in crate::html::tags(html) {
        let Some((name, attributes)) = LOADING.iter().find(|(name, _)| tag.is(name)) else {
            continue;
        };
        let attrs = tag.attrs();
        if *name == "link" {
            let rel = attrs
                .iter()
                .find(|(k, _)| k == "rel")
                .map(|(_, v)| v.to_ascii_lowercase());
            if !rel.is_some_and(|rel| rel.split_whitespace().any(|r| LOADING_RELS.contains(&r))) {
                continue;
            }
        }
        for (key, value) in &attrs {
            if attributes.contains(&key.as_str()) {
                for url in value
                    .split(',')
                    .map(|s| s.split_whitespace().next().unwrap_or(""))
                {
                    if is_other_host(url) {
                        found.push(((*name).to_owned(), url.to_owned()));
                    }
                }
            }
        }
    }
    found
}

fn is_other_host(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// Diagnostics for a page (`path`, built from `source`) that would load from another host.
pub fn check_external(
    path: &str,
    html: &str,
    source: &std::path::Path,
    severity: Severity,
) -> Vec<Diagnostic> {
    external_resources(html)
        .into_iter()
        .map(|(tag, url)| {
            let message = format!("`{path}` loads `{url}` from another host (`<{tag}>`)");
            let diagnostic = match severity {
                Severity::Error => Diagnostic::error(message),
                Severity::Warning => Diagnostic::warning(message),
            };
            diagnostic.in_file(source).with_hint(
                "copy the file into `static/` and link it from there, so pages work offline and readers' devices talk to no one else; or set `external_resources` in site.toml",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn worker_cache_follows_the_bytes() {
        let record = |hash| Record {
            path: "index.html".into(),
            hash,
            len: 3,
        };
        let (wa, size) = service_worker(&[record(1)]);
        let (wb, _) = service_worker(&[record(2)]);
        assert_eq!(size, 3);
        assert!(wa.contains(r#"var FILES = ["./"];"#), "{wa}");
        assert_ne!(wa.lines().nth(5), wb.lines().nth(5));
        assert_eq!(
            wa,
            service_worker(&[record(1)]).0,
            "same build, same worker"
        );
    }
}
