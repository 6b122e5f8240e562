//! The preview's search index, kept as postings by stem rather than as pages: a few bytes per
//! hit instead of a string each, and a page's edit rewrites only the term shards holding its
//! old and new words and its document shard.
//!
//! It writes exactly the files `search::shards::files` writes for the same pages, through that
//! module's own writers; an edit that changes how the index is split (the terms' key length,
//! the set of term shards, the pages per document shard) writes every file again. It does no
//! I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::output::OutputFile;
use crate::search::Page;
use crate::search::shards::{self, Layout, Posting, Shard};

/// The index of every page of the site, brought up to date page by page.
pub(super) struct SearchIndex {
    /// Every posting of each stem (none cut yet), sorted.
    stems: HashMap<Box<str>, Vec<Posting>>,
    /// Each word whose stem differs from it: that stem, and the pages holding the word, sorted.
    words: HashMap<Box<str>, (Box<str>, Vec<u32>)>,
    /// Each page's URL, title and parts, for the document shards (no hits, no words).
    docs: Vec<Page>,
    /// Postings in all: how the terms are split follows from it.
    hits: usize,
    /// The split of the files last written: key length, term shards, pages per document shard.
    length: usize,
    keys: BTreeSet<String>,
    per: usize,
}

/// The files an edit wrote.
pub(super) enum Update {
    /// Every file of the index: the ones of the last write that are not among them are gone.
    Whole(Vec<OutputFile>),
    /// The files that changed; the others stay as they are.
    Part(Vec<OutputFile>),
}

impl SearchIndex {
    /// The index of `pages` (in the order results refer to them), and its files.
    pub(super) fn new(pages: Vec<Page>, layout: &Layout<'_>) -> (Self, Vec<OutputFile>) {
        let mut index = Self {
            stems: HashMap::new(),
            words: HashMap::new(),
            docs: Vec::with_capacity(pages.len()),
            hits: 0,
            length: 0,
            keys: BTreeSet::new(),
            per: 1,
        };
        for (n, page) in pages.into_iter().enumerate() {
            index.docs.push(Page::default());
            index.add(n as u32, page);
        }
        for postings in index.stems.values_mut() {
            postings.shrink_to_fit();
        }
        let files = index.write_all(layout);
        (index, files)
    }

    /// Puts `page` in the place of page `n`, and writes the files that changed.
    pub(super) fn replace(&mut self, n: usize, page: Page, layout: &Layout<'_>) -> Update {
        let number = n as u32;
        let mut touched = self.remove(number);
        touched.extend(self.add(number, page));
        let length = shards::key_length(self.hits);
        let keys = self.keys_of(length);
        if length != self.length
            || keys != self.keys
            || shards::pages_per_shard(&self.docs) != self.per
        {
            return Update::Whole(self.write_all(layout));
        }
        let touched: BTreeSet<String> = touched
            .iter()
            .map(|term| shards::shard_key(term, length))
            .collect();
        let grouped = self.group(|key| touched.contains(key));
        let mut files: Vec<OutputFile> = grouped
            .par_iter()
            .map(|(key, shard)| shards::term_shard(key, shard))
            .collect();
        let chunk = n / self.per;
        let pages = &self.docs[chunk * self.per..((chunk + 1) * self.per).min(self.docs.len())];
        files.push(shards::doc_shard(chunk, pages));
        Update::Part(files)
    }

    /// Adds the hits and words of `page` as page `n`; returns its stems and words.
    fn add(&mut self, n: u32, mut page: Page) -> Vec<Box<str>> {
        let mut terms = Vec::with_capacity(page.hits.len() + page.words.len());
        self.hits += page.hits.len();
        for hit in std::mem::take(&mut page.hits) {
            let postings = self.stems.entry(hit.stem.clone()).or_default();
            let posting = (n, hit.part, hit.score);
            let at = postings.partition_point(|p| *p < posting);
            postings.insert(at, posting);
            terms.push(hit.stem);
        }
        for (word, stem) in std::mem::take(&mut page.words) {
            let (_, pages) = self
                .words
                .entry(word.clone())
                .or_insert_with(|| (stem, Vec::new()));
            let at = pages.partition_point(|p| *p < n);
            pages.insert(at, n);
            terms.push(word);
        }
        self.docs[n as usize] = page;
        terms
    }

    /// Takes page `n`'s hits and words out; returns its stems and words.
    fn remove(&mut self, n: u32) -> Vec<Box<str>> {
        let mut terms = Vec::new();
        let mut removed = 0;
        self.stems.retain(|stem, postings| {
            let from = postings.partition_point(|p| p.0 < n);
            let to = postings.partition_point(|p| p.0 <= n);
            if from < to {
                postings.drain(from..to);
                removed += to - from;
                terms.push(stem.clone());
            }
            !postings.is_empty()
        });
        self.words.retain(|word, (_, pages)| {
            if let Ok(at) = pages.binary_search(&n) {
                pages.remove(at);
                terms.push(word.clone());
            }
            !pages.is_empty()
        });
        self.hits -= removed;
        terms
    }

    /// Every file of the index, as `search::shards::files` writes it.
    fn write_all(&mut self, layout: &Layout<'_>) -> Vec<OutputFile> {
        self.length = shards::key_length(self.hits);
        self.keys = self.keys_of(self.length);
        self.per = shards::pages_per_shard(&self.docs);
        let grouped = self.group(|_| true);
        let mut files: Vec<OutputFile> = grouped
            .par_iter()
            .map(|(key, shard)| shards::term_shard(key, shard))
            .collect();
        files.extend(
            self.docs
                .par_chunks(self.per)
                .enumerate()
                .map(|(n, chunk)| shards::doc_shard(n, chunk))
                .collect::<Vec<_>>(),
        );
        let keys = grouped.keys().map(String::as_str).collect();
        files.push(shards::manifest(
            keys,
            self.length,
            self.per,
            self.docs.len(),
            layout,
        ));
        files
    }

    /// The term shards whose key `wanted` accepts, their postings cut as the build cuts them.
    fn group(&self, wanted: impl Fn(&str) -> bool) -> BTreeMap<String, Shard<'_>> {
        let mut grouped: BTreeMap<String, Shard<'_>> = BTreeMap::new();
        for (stem, postings) in &self.stems {
            let key = shards::shard_key(stem, self.length);
            if wanted(&key) {
                let mut postings = postings.clone();
                shards::best_postings(&mut postings);
                grouped.entry(key).or_default().stems.insert(stem, postings);
            }
        }
        for (word, (stem, _)) in &self.words {
            let key = shards::shard_key(word, self.length);
            if wanted(&key) {
                grouped.entry(key).or_default().words.insert(word, stem);
            }
        }
        grouped
    }

    /// The term shards' keys at `length` characters.
    fn keys_of(&self, length: usize) -> BTreeSet<String> {
        self.stems
            .keys()
            .chain(self.words.keys())
            .map(|term| shards::shard_key(term, length))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::output::Contents;
    use crate::search::page::{Hit, Part};

    const LAYOUT: Layout<'static> = Layout {
        stop_words: &["the"],
        portable: false,
    };

    /// A page of up to `stems` distinct stems over three parts, drawn by `seed` from a
    /// vocabulary; its stems start with one of `letters` letters from the `seed`th on.
    fn page(n: usize, seed: usize, stems: usize, letters: usize) -> Page {
        let mut hits: Vec<Hit> = (0..stems)
            .map(|i| {
                let letter = char::from(b'a' + ((seed + (i * 7) % letters) % 26) as u8);
                Hit {
                    stem: format!("{letter}{}", (seed * 31 + i * 13) % 400).into(),
                    part: (i % 3) as u16,
                    score: ((seed + i) % 9 + 1) as u16,
                }
            })
            .collect();
        hits.sort_unstable_by(|a, b| (&a.stem, a.part).cmp(&(&b.stem, b.part)));
        hits.dedup_by(|a, b| a.stem == b.stem && a.part == b.part);
        let words = vec![(format!("{}ing", hits[0].stem).into(), hits[0].stem.clone())];
        Page {
            url: format!("/p{n}/"),
            title: format!("Page {n} ({seed})"),
            parts: vec![Part {
                anchor: "".into(),
                heading: "".into(),
                passage: format!("version {seed} ").repeat(30).into(),
            }],
            hits,
            words,
        }
    }

    fn bytes(files: Vec<OutputFile>) -> HashMap<String, Vec<u8>> {
        files
            .into_iter()
            .map(|f| match f.contents {
                Contents::Bytes(b) => (f.path, b),
                Contents::Copy(from) => panic!("an index file copied from {}", from.display()),
            })
            .collect()
    }

    fn hits(pages: &[Page]) -> usize {
        pages.iter().map(|p| p.hits.len()).sum()
    }

    /// Replaces page `n` of `pages` with `next`: the preview's files are then the build's.
    /// Returns how many files the edit wrote, and how many the index has.
    fn check(pages: Vec<Page>, n: usize, next: Page) -> (usize, usize) {
        let (mut index, files) = SearchIndex::new(pages.clone(), &LAYOUT);
        let mut files = bytes(files);
        assert_eq!(
            files,
            bytes(shards::files(&pages, &LAYOUT)),
            "the first write"
        );
        let mut edited = pages;
        edited[n] = next.clone();
        let written = match index.replace(n, next, &LAYOUT) {
            Update::Whole(all) => {
                files = bytes(all);
                files.len()
            }
            Update::Part(changed) => {
                let written = changed.len();
                files.extend(bytes(changed));
                written
            }
        };
        assert_eq!(
            files,
            bytes(shards::files(&edited, &LAYOUT)),
            "after the edit"
        );
        (written, files.len())
    }

    #[test]
    fn an_edit_rewrites_only_its_shards_and_matches_the_build() {
        // 300 pages of 100 hits: terms split by their first letter, several document shards.
        let pages: Vec<Page> = (0..300).map(|n| page(n, n, 100, 3)).collect();
        assert_eq!(shards::key_length(hits(&pages)), 1);
        let (written, all) = check(pages, 123, page(123, 423, 100, 3));
        // Three letters' term shards before the edit, three after, and one document shard.
        assert!(written <= 7 && all > 26, "{written} files written of {all}");
    }

    #[test]
    fn an_edit_that_changes_the_split_rewrites_everything() {
        let mut pages: Vec<Page> = (0..200).map(|n| page(n, n, 100, 26)).collect();
        pages.truncate(pages.len() - (hits(&pages) - 19_000) / 100);
        let next = page(7, 7, 2_000, 26);
        assert!(hits(&pages) < 20_000 && hits(&pages) + next.hits.len() > 20_100);
        let (written, all) = check(pages, 7, next);
        assert_eq!(written, all, "every file written again");
    }

    #[test]
    fn a_small_site_has_one_term_shard() {
        let pages: Vec<Page> = (0..5).map(|n| page(n, n, 10, 26)).collect();
        assert_eq!(check(pages, 2, page(2, 77, 10, 26)), (2, 3));
    }
}
