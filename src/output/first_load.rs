//! The heaviest first visit of a site: the page, and everything it loads, that costs a reader
//! the most to download, compressed as hosts compress on the fly.
//!
//! Compressing every page of a large site would double its build time, so pages are ranked by
//! their uncompressed weight (the page and what it loads) as they pass, the few heaviest are
//! kept, and only those are compressed at the end. Text files other than pages are few and are
//! compressed as they pass.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{compress, lock};

/// How many of the heaviest pages, uncompressed, are compressed to find the heaviest one.
const CANDIDATES: usize = 8;

/// A page's first visit: the page (its path below the output folder) and its cost in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstLoad {
    pub page: String,
    pub bytes: u64,
}

/// A page kept for the final measure.
struct Candidate {
    page: String,
    raw: u64,
    bytes: Vec<u8>,
    loads: Vec<String>,
}

/// What is learnt of first loads while files pass to the sink (from many threads at once).
pub struct FirstLoads {
    /// Uncompressed sizes of the files known before pages render (static files, built-in assets).
    known: HashMap<String, u64>,
    candidates: Mutex<Vec<Candidate>>,
    /// Path -> compressed size, for text files other than pages.
    transfer: Mutex<HashMap<String, u64>>,
}

impl FirstLoads {
    /// `known`: the uncompressed sizes of the files pages may load, as far as known in advance.
    pub fn new(known: HashMap<String, u64>) -> Self {
        Self {
            known,
            candidates: Mutex::new(Vec::with_capacity(CANDIDATES + 1)),
            transfer: Mutex::new(HashMap::new()),
        }
    }

    /// A page, with the files of the site it loads.
    pub fn page(&self, page: &str, bytes: &[u8], loads: &[String]) {
        let raw = bytes.len() as u64
            + loads
                .iter()
                .map(|l| self.known.get(l).copied().unwrap_or(0))
                .sum::<u64>();
        let mut candidates = lock(&self.candidates);
        if candidates.len() == CANDIDATES
            && candidates.iter().all(|c| (c.raw, &*c.page) >= (raw, page))
        {
            return;
        }
        candidates.push(Candidate {
            page: page.to_owned(),
            raw,
            bytes: bytes.to_vec(),
            loads: loads.to_vec(),
        });
        // Heaviest first, ties by path, so the same site gives the same answer.
        candidates.sort_by(|a, b| b.raw.cmp(&a.raw).then_with(|| a.page.cmp(&b.page)));
        candidates.truncate(CANDIDATES);
    }

    /// A text file other than a page.
    pub fn text(&self, path: &str, bytes: &[u8]) {
        let size = compress::transfer_size(bytes);
        lock(&self.transfer).insert(path.to_owned(), size);
    }

    /// The compressed size of a text file other than a page, once it has passed.
    pub fn transfer_of(&self, path: &str) -> Option<u64> {
        lock(&self.transfer).get(path).copied()
    }

    /// The heaviest first visit: the candidate page compressed, plus each file it loads
    /// (compressed when text, else as it is: `len` gives a file's size) and `always`, the
    /// compressed bytes every first visit downloads (the service worker).
    pub fn heaviest(self, len: impl Fn(&str) -> u64, always: u64) -> Option<FirstLoad> {
        let transfer = self
            .transfer
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let size = |path: &str| transfer.get(path).copied().unwrap_or_else(|| len(path));
        self.candidates
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|c| FirstLoad {
                bytes: compress::transfer_size(&c.bytes)
                    + c.loads.iter().map(|l| size(l)).sum::<u64>()
                    + always,
                page: c.page,
            })
            .max_by(|a, b| a.bytes.cmp(&b.bytes).then_with(|| b.page.cmp(&a.page)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heaviest_page_with_what_it_loads() {
        let loads = FirstLoads::new(HashMap::from([("big.png".to_owned(), 50_000)]));
        let text = "<p>pay, hours and who decides</p>".repeat(200);
        loads.page("a/index.html", text.as_bytes(), &["style.css".to_owned()]);
        loads.page("b/index.html", b"<p>short</p>", &["big.png".to_owned()]);
        for i in 0..20 {
            loads.page(&format!("c{i}/index.html"), b"<p>tiny</p>", &[]);
        }
        loads.text(
            "style.css",
            "body { color: black }\n".repeat(100).as_bytes(),
        );
        let len = |path: &str| if path == "big.png" { 50_000 } else { 0 };
        let heaviest = loads.heaviest(len, 1000).unwrap();
        assert_eq!(heaviest.page, "b/index.html");
        assert!(
            heaviest.bytes > 51_000 && heaviest.bytes < 51_100,
            "{heaviest:?}"
        );
    }
}
