//! One language's index as files in its folder (`search/`, `es/search/`): a small `index.js`
//! (how the index is split, the stop words, and in the default language's the folders of
//! the others'), term shards `terms-<key>.js` holding the stems whose first letters are
//! `<key>` with their postings and the words that stem to them, and document shards
//! `docs-<n>.js` holding each page's URL, title and parts, a fixed number of pages per shard.
//!
//! Each file is a classic script calling `plumbSearch` (defined by `search.js`), so it loads
//! with `<script src>` from `file://` and under `default-src 'self'`, where `fetch` of JSON
//! would not. A query loads the manifest, one term shard per word, and the document shards of
//! the results shown: never the whole index.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::page::Page;
use super::vocabulary::Known;
use crate::config::languages::is_language_code;
use crate::output::OutputFile;

/// The folder of an index, below the output (the default language's) or below a language's
/// folder (`es/search/`).
pub const FOLDER: &str = "search";

/// Whether `path` (below the output) is a part of a language's index.
pub fn is_index_file(path: &str) -> bool {
    let in_folder = |path: &str| {
        path.strip_prefix(FOLDER)
            .is_some_and(|rest| rest.starts_with('/'))
    };
    in_folder(path)
        || path
            .split_once('/')
            .is_some_and(|(code, rest)| is_language_code(code) && in_folder(rest))
}

/// A stem's postings are cut to its best this many: a word on every page of a large site says
/// little, and would make its shard as large as the site.
pub const MOST_POSTINGS: usize = 1_000;
/// Document shards hold about this many bytes of passages, so a result costs little to show.
const DOC_SHARD_BYTES: usize = 32 * 1024;

/// How the index is split, from its size: one shard for a small site, by first letter for a
/// middling one, by first two letters for a large one.
fn key_length(hits: usize) -> usize {
    match hits {
        0..20_000 => 0,
        20_000..400_000 => 1,
        _ => 2,
    }
}

/// The shard of a term: its first `length` characters, each kept if an ASCII letter or digit
/// and written as `_` and its hex code point otherwise (a file name safe everywhere). The
/// browser script computes the same (`shardOf`).
pub fn shard_key(term: &str, length: usize) -> String {
    if length == 0 {
        return "all".to_owned();
    }
    let mut key = String::new();
    for c in term.chars().take(length) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else {
            key.push_str(&format!("_{:x}", c as u32));
        }
    }
    key
}

/// What `search/index.js` tells the script.
#[derive(Serialize)]
struct Manifest<'a> {
    /// Characters of a term that name its shard (0: one shard, `all`).
    key: usize,
    shards: Vec<&'a str>,
    /// Pages per document shard.
    per: usize,
    pages: usize,
    stop: &'a [Box<str>],
    /// Whether links end in `index.html` (a `--portable` build).
    portable: bool,
    /// In the default language's: each other language's code (its pages' `<html lang>`)
    /// and its index's folder, below the site's root.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    languages: BTreeMap<&'a str, &'a str>,
}

/// Stems of one shard with their postings and the words that stem to them.
#[derive(Default)]
struct Shard<'a> {
    stems: BTreeMap<&'a str, Vec<(u32, u16, u16)>>,
    words: BTreeMap<&'a str, &'a str>,
}

/// Where a language's index is published and how its links are written.
pub struct Layout<'a> {
    /// Below the output, ending in `/`: `search/`, `es/search/`.
    pub folder: &'a str,
    pub stop_words: &'a [Box<str>],
    pub portable: bool,
    /// In the default language's index: each other language's code and index folder.
    pub languages: &'a [(&'a str, &'a str)],
}

/// Hands each index file of one language's `pages` (in the order results refer to them), whose
/// stems and words are numbers of `known`, to `emit` as soon as it is made, from several
/// threads: a large site's index (over 100 MB at 100,000 pages) is never held whole.
pub fn write(
    pages: &[&Page],
    known: &Known,
    layout: &Layout<'_>,
    emit: &(dyn Fn(OutputFile) + Sync),
) {
    let hits: usize = pages.iter().map(|p| p.hits.len()).sum();
    let length = key_length(hits);
    let shards = group(pages, known, length);
    shards
        .par_iter()
        .for_each(|(key, shard)| emit(term_shard(layout.folder, key, shard)));
    let keys: Vec<String> = shards.into_keys().collect();
    let per = pages_per_shard(pages);
    pages
        .par_chunks(per)
        .enumerate()
        .for_each(|(n, chunk)| emit(doc_shard(layout.folder, n, chunk)));
    let manifest = Manifest {
        key: length,
        shards: keys.iter().map(String::as_str).collect(),
        per,
        pages: pages.len(),
        stop: layout.stop_words,
        portable: layout.portable,
        languages: layout.languages.iter().copied().collect(),
    };
    emit(script(
        layout.folder,
        "index.js",
        format!("plumbSearch.init({});\n", json(&manifest)),
    ));
}

/// Every stem and word by shard; postings sorted by page, cut to the best [`MOST_POSTINGS`].
fn group<'a>(pages: &[&Page], known: &'a Known, length: usize) -> BTreeMap<String, Shard<'a>> {
    type Postings = FxHashMap<u32, Vec<(u32, u16, u16)>>;
    let stems: Postings = pages
        .par_iter()
        .enumerate()
        .fold(Postings::default, |mut stems, (n, page)| {
            for hit in &page.hits {
                stems
                    .entry(hit.stem)
                    .or_default()
                    .push((n as u32, hit.part, hit.score));
            }
            stems
        })
        .reduce(Postings::default, |mut a, b| {
            for (stem, postings) in b {
                a.entry(stem).or_default().extend(postings);
            }
            a
        });
    let mut shards: BTreeMap<String, Shard<'_>> = BTreeMap::new();
    for (stem, mut postings) in stems {
        if postings.len() > MOST_POSTINGS {
            postings.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            postings.truncate(MOST_POSTINGS);
        }
        postings.sort_unstable();
        let stem = known.stem(stem);
        shards
            .entry(shard_key(stem, length))
            .or_default()
            .stems
            .insert(stem, postings);
    }
    for page in pages {
        for &word in &page.words {
            let (word, stem) = known.word_and_stem(word);
            shards
                .entry(shard_key(word, length))
                .or_default()
                .words
                .insert(word, stem);
        }
    }
    shards
}

/// `search/terms-<key>.js`: each stem's postings as a flat list of numbers, page (as the
/// difference from the previous posting's), part and score, so that it compresses well.
fn term_shard(folder: &str, key: &str, shard: &Shard<'_>) -> OutputFile {
    let stems: BTreeMap<&str, Vec<u32>> = shard
        .stems
        .iter()
        .map(|(stem, postings)| {
            let mut flat = Vec::with_capacity(postings.len() * 3);
            let mut previous = 0;
            for &(page, part, score) in postings {
                flat.extend([page - previous, u32::from(part), u32::from(score)]);
                previous = page;
            }
            (*stem, flat)
        })
        .collect();
    script(
        folder,
        &format!("terms-{key}.js"),
        format!(
            "plumbSearch.terms({},{},{});\n",
            json(&key),
            json(&stems),
            json(&shard.words)
        ),
    )
}

/// How many pages one document shard holds: about [`DOC_SHARD_BYTES`] of text each, or all
/// of them when they hold little more.
fn pages_per_shard(pages: &[&Page]) -> usize {
    let bytes: usize = pages
        .iter()
        .map(|p| p.url.len() + p.title.len() + p.parts_len())
        .sum();
    if bytes <= 2 * DOC_SHARD_BYTES {
        return pages.len().max(1);
    }
    let average = bytes.div_ceil(pages.len().max(1)).max(1);
    (DOC_SHARD_BYTES / average).clamp(1, pages.len().max(1))
}

/// `search/docs-<n>.js`: `[url, title, [[anchor, heading, passage], ...]]` per page.
fn doc_shard(folder: &str, n: usize, pages: &[&Page]) -> OutputFile {
    let rows: Vec<(&str, &str, Vec<[&str; 3]>)> = pages
        .iter()
        .map(|page| {
            let parts = page
                .parts()
                .map(|p| [p.anchor, p.heading, p.passage])
                .collect();
            (page.url.trim_start_matches('/'), page.title.as_str(), parts)
        })
        .collect();
    script(
        folder,
        &format!("docs-{n}.js"),
        format!("plumbSearch.docs({n},{});\n", json(&rows)),
    )
}

fn script(folder: &str, name: &str, text: String) -> OutputFile {
    OutputFile::new(format!("{folder}{name}"), text.into_bytes())
}

/// JSON of plain data (strings, numbers, lists, maps with string keys), which cannot fail.
fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_files_are_in_the_default_or_a_languages_search_folder() {
        for path in [
            "search/index.js",
            "es/search/terms-all.js",
            "fil/search/docs-0.js",
        ] {
            assert!(is_index_file(path), "{path}");
        }
        for path in [
            "search.js",
            "searching/a.js",
            "guide/search/a.js",
            "es/search",
        ] {
            assert!(!is_index_file(path), "{path}");
        }
    }
}
