//! Site search that works offline, from `file://` and under `default-src 'self'`: the index
//! is written at build time as classic script files that the browser script (`search.js`)
//! loads with `<script src>` part by part.
//!
//! Pages add their share ([`Page`]) as they render (`words` folds, splits, drops stop words and
//! stems; `page` weighs title, heading and body hits and keeps a passage per heading part);
//! `shards` writes the index once every page has rendered. Nothing here does I/O.

pub mod page;
pub mod shards;
pub mod words;

use page::Indexing;
pub use page::Page;
use words::Language;

use crate::config::Config;
use crate::markdown::SearchText;
use crate::output::OutputFile;

/// The site's search index as it is built: its language and what it indexes.
pub struct Indexer {
    language: Language,
    include_code: bool,
    portable: bool,
}

impl Indexer {
    /// The indexer `config` asks for, `None` when search is off.
    pub fn new(config: &Config) -> Option<Self> {
        config.search.enabled.then(|| Self {
            language: Language::of(&config.language),
            include_code: config.search.include_code,
            portable: config.portable,
        })
    }

    /// One document's share of the index.
    pub fn page(&self, url: &str, title: &str, text: &SearchText) -> Page {
        let indexing = Indexing {
            language: &self.language,
            include_code: self.include_code,
        };
        Page::of(url, title, text, indexing)
    }

    /// The index files of `pages`, in the order results refer to them.
    pub fn files(&self, pages: &[Page]) -> Vec<OutputFile> {
        shards::files(pages, &self.layout())
    }

    /// How the index is published, for writing it shard by shard.
    pub fn layout(&self) -> shards::Layout<'_> {
        shards::Layout {
            stop_words: self.language.stop_words(),
            portable: self.portable,
        }
    }
}
