//! Which pages are open in a browser, as their live-reload sockets say, so a rebuild renders
//! and publishes them before the rest.
//!
//! Each socket registers the page it belongs to and holds an [`Opened`] for as long as it is
//! connected; dropping it (the socket closed, or went silent) takes the page off. The registry
//! only counts: it never decides what to rebuild.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::http::file_key;
use crate::output::lock;

/// The output paths of the open pages (`guide/risk/index.html`), each with how many sockets
/// have it open.
#[derive(Debug, Clone, Default)]
pub(super) struct OpenPages(Arc<Mutex<BTreeMap<String, usize>>>);

impl OpenPages {
    /// Registers a page open at the URL path `path` (`/guide/risk/`), until the returned
    /// [`Opened`] is dropped. `None` for a path that is no file of a site.
    pub(super) fn open(&self, path: &str) -> Option<Opened> {
        let key = file_key(path)?;
        *lock(&self.0).entry(key.clone()).or_default() += 1;
        Some(Opened {
            pages: self.clone(),
            key,
        })
    }

    /// The output paths of the pages open now, in a stable order.
    pub(super) fn paths(&self) -> Vec<String> {
        lock(&self.0).keys().cloned().collect()
    }
}

/// One socket's page, registered as open until this is dropped.
#[derive(Debug)]
pub(super) struct Opened {
    pages: OpenPages,
    key: String,
}

impl Drop for Opened {
    fn drop(&mut self) {
        let mut pages = lock(&self.pages.0);
        if let Some(count) = pages.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                pages.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_open_while_any_of_its_sockets_is() {
        let pages = OpenPages::default();
        let first = pages.open("/guide/risk/");
        let second = pages.open("/guide/risk/");
        let home = pages.open("/");
        assert_eq!(pages.paths(), ["guide/risk/index.html", "index.html"]);
        drop(first);
        assert_eq!(pages.paths(), ["guide/risk/index.html", "index.html"]);
        drop(second);
        drop(home);
        assert!(pages.paths().is_empty());
        assert!(pages.open("/../etc/passwd").is_none());
    }
}
