//! Site search that works offline, from `file://` and under `default-src 'self'`: the index
//! is written at build time as classic script files that the browser script (`search.js`)
//! loads with `<script src>` part by part.
//!
//! Each language of the site has its own index, in its own folder (`search/` for the default
//! language, `es/search/` for Spanish), stemmed by its algorithm and without its stop words,
//! so a reader searching a Spanish page finds Spanish pages, and saves offline only the index
//! of the language read.
//!
//! Pages add their share ([`Page`]) as they render (`words` folds and splits; `vocabulary`
//! stems each distinct word once per build and knows the stop words; `page` weighs title,
//! heading and body hits and keeps a passage per heading part); `shards` writes each
//! language's index once every page has rendered. Nothing here does I/O.

pub mod page;
pub mod shards;
pub mod vocabulary;
pub mod words;

pub use page::{Indexing, Page};
pub use vocabulary::Vocabulary;
pub use words::Language;

use crate::config::Config;
use crate::content::Document;
use crate::markdown::SearchText;
use crate::output::OutputFile;

/// The site's search indexes as they are built: one per language, and what they index.
pub struct Indexer {
    /// The default language first, then the others in the site's order.
    languages: Vec<Indexed>,
    include_code: bool,
    portable: bool,
}

/// One language's index as it is built.
struct Indexed {
    /// The language's code (`es`); its pages' `<html lang>` unless it is the default.
    code: String,
    language: Language,
    vocabulary: Vocabulary,
}

impl Indexer {
    /// The indexer `config` asks for, `None` when search is off.
    pub fn new(config: &Config) -> Option<Self> {
        if !config.search.enabled {
            return None;
        }
        let default = Indexed::new(config.default_language(), &config.language);
        let others = config
            .languages
            .iter()
            .skip(1)
            .map(|language| Indexed::new(&language.code, &language.code));
        Some(Self {
            languages: std::iter::once(default).chain(others).collect(),
            include_code: config.search.include_code,
            portable: config.portable,
        })
    }

    /// One document's share of its language's index.
    pub fn page(&self, doc: &Document, text: &SearchText) -> Page {
        let number = doc
            .translation_language()
            .and_then(|code| self.languages.iter().position(|l| l.code == code))
            .unwrap_or(0);
        let indexed = &self.languages[number];
        let indexing = Indexing {
            language: &indexed.language,
            vocabulary: &indexed.vocabulary,
            include_code: self.include_code,
        };
        let mut page = Page::of(&doc.url, &doc.meta.title, text, indexing);
        page.language = number;
        page
    }

    /// Every language's index files from `pages` (each language's pages in the order of
    /// `pages`, which results refer to).
    pub fn files(&self, pages: &[Page]) -> Vec<OutputFile> {
        let files = std::sync::Mutex::new(Vec::new());
        self.write(pages, &|file| {
            files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        });
        files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    /// Hands every language's index files from `pages` to `emit` as each is made (see
    /// [`Indexer::files`]), from several threads.
    pub fn write(&self, pages: &[Page], emit: &(dyn Fn(OutputFile) + Sync)) {
        let folders: Vec<String> = (0..self.languages.len())
            .map(|number| self.folder(number))
            .collect();
        let others: Vec<(&str, &str)> = self.languages[1..]
            .iter()
            .zip(&folders[1..])
            .map(|(indexed, folder)| (indexed.code.as_str(), folder.as_str()))
            .collect();
        for (number, indexed) in self.languages.iter().enumerate() {
            let of_language: Vec<&Page> = pages.iter().filter(|p| p.language == number).collect();
            let layout = shards::Layout {
                folder: &folders[number],
                stop_words: indexed.language.stop_words(),
                portable: self.portable,
                languages: if number == 0 { &others[..] } else { &[] },
            };
            shards::write(&of_language, &indexed.vocabulary.read(), &layout, emit);
        }
    }

    /// Where language number `number`'s index is published, below the output.
    fn folder(&self, number: usize) -> String {
        match number {
            0 => format!("{}/", shards::FOLDER),
            _ => format!("{}/{}/", self.languages[number].code, shards::FOLDER),
        }
    }
}

impl Indexed {
    fn new(code: &str, tag: &str) -> Self {
        let language = Language::of(tag);
        Self {
            code: code.to_owned(),
            vocabulary: Vocabulary::new(&language),
            language,
        }
    }
}
