//! The site's static files: the theme's and the site's `static/` folders, files that sit beside
//! pages in `content/`, and plumb's built-in assets (the checklist script, the highlighting
//! stylesheet).
//!
//! CSS and JS are published under a name that carries a hash of their bytes
//! (`style.3f9a0c1d2e.css`), so a host may cache them for ever; templates find those names through
//! `asset(path=...)`. Every other file keeps its name.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::claims::Origin;
use crate::output::{Contents, OutputFile};

/// The checklist's browser script.
pub const CHECKLIST_JS: &str = include_str!("../assets/checklist.js");

/// The script that registers the service worker and offers reloads for new versions.
pub const OFFLINE_JS: &str = include_str!("../assets/offline.js");

/// The search field's script: loads the index part by part and shows results.
pub const SEARCH_JS: &str = include_str!("../assets/search.js");

/// Built-in and static files, and the fingerprinted URL of each CSS and JS file.
#[derive(Debug, Default)]
pub struct Assets {
    pub files: Vec<OutputFile>,
    /// Name below `static/` (`style.css`) -> root-relative URL (`/style.3f9a0c1d2e.css`).
    pub urls: HashMap<String, String>,
    /// What each file's output path comes from (files on disk by their path on disk).
    pub origins: Vec<(String, Origin)>,
    fingerprint: bool,
}

impl Assets {
    /// Collects static files (site's over theme's, already merged by the theme) and the
    /// built-in assets, which a static file of the same name replaces.
    /// Without `fingerprint` (the dev server) CSS and JS keep their names, so a changed
    /// stylesheet can replace the old one in an open page.
    pub fn collect(
        static_files: &BTreeMap<String, PathBuf>,
        content_files: &[(String, PathBuf)],
        built_in: Vec<(String, String)>,
        fingerprint: bool,
    ) -> Result<Self, Diagnostics> {
        let mut assets = Self {
            fingerprint,
            ..Self::default()
        };
        let mut diagnostics = Diagnostics::default();
        for (name, text) in built_in {
            if !static_files.contains_key(&name) {
                let origin = Origin::Generated(format!("built-in `{name}`"));
                assets.add_fingerprinted(&name, text.into_bytes(), origin);
            }
        }
        for (name, path) in static_files {
            if is_fingerprinted(name) {
                match std::fs::read(path) {
                    Ok(bytes) => assets.add_fingerprinted(name, bytes, Origin::File(path.clone())),
                    Err(err) => diagnostics.push(
                        Diagnostic::error(format!("cannot read this static file: {err}"))
                            .in_file(path)
                            .with_hint("check that the file exists and that you may read it"),
                    ),
                }
            } else {
                assets.add_copy(name, path);
            }
        }
        for (name, path) in content_files {
            assets.add_copy(name, path);
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(assets)
    }

    fn add_fingerprinted(&mut self, name: &str, bytes: Vec<u8>, origin: Origin) {
        let path = if self.fingerprint {
            fingerprinted_name(name, &bytes)
        } else {
            name.to_owned()
        };
        self.urls.insert(name.to_owned(), format!("/{path}"));
        self.origins.push((path.clone(), origin));
        self.files.push(OutputFile::new(path, bytes));
    }

    fn add_copy(&mut self, name: &str, path: &std::path::Path) {
        self.origins
            .push((name.to_owned(), Origin::File(path.to_path_buf())));
        self.files.push(OutputFile {
            path: name.to_owned(),
            contents: Contents::Copy(path.to_path_buf()),
        });
    }
}

fn is_fingerprinted(name: &str) -> bool {
    name.ends_with(".css") || name.ends_with(".js")
}

/// `css/style.css` -> `css/style.<10 hex digits of its hash>.css`.
pub fn fingerprinted_name(name: &str, bytes: &[u8]) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    let hex = format!("{hash:016x}");
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hex[..10]),
        None => format!("{name}.{}", &hex[..10]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_follow_the_bytes() {
        let a = fingerprinted_name("css/style.css", b"body{}");
        assert!(
            a.starts_with("css/style.")
                && a.ends_with(".css")
                && a.len() == "css/style..css".len() + 10
        );
        assert_eq!(a, fingerprinted_name("css/style.css", b"body{}"));
        assert_ne!(a, fingerprinted_name("css/style.css", b"body{ }"));
    }

    #[test]
    fn static_files_replace_built_ins_and_keep_other_names() {
        let dir = tempfile::tempdir().unwrap();
        let js = dir.path().join("checklist.js");
        let png = dir.path().join("logo.png");
        std::fs::write(&js, "custom()").unwrap();
        std::fs::write(&png, "png").unwrap();
        let statics: BTreeMap<String, PathBuf> = [
            ("checklist.js".to_owned(), js),
            ("logo.png".to_owned(), png),
        ]
        .into();
        let assets = Assets::collect(
            &statics,
            &[],
            vec![("checklist.js".into(), "builtin()".into())],
            true,
        )
        .unwrap();
        assert_eq!(assets.files.len(), 2);
        let url = &assets.urls["checklist.js"];
        assert_eq!(
            url,
            &format!("/{}", fingerprinted_name("checklist.js", b"custom()"))
        );
        assert!(assets.files.iter().any(|f| f.path == "logo.png"));
        let plain = Assets::collect(&statics, &[], Vec::new(), false).unwrap();
        assert_eq!(
            plain.urls["checklist.js"], "/checklist.js",
            "the dev server keeps names"
        );
    }
}
