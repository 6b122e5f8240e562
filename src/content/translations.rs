//! Which documents are versions of one another in the site's languages.
//!
//! A document and its translations share an original path (`guide/a.md` for `guide/a.es.md`).
//! This module groups them once per build, so each page can name its versions in every
//! language (for `hreflang` alternates and the language switcher) with one lookup. It never
//! invents a version: a language without a translation of a page has none here, and readers
//! are sent to that language's home instead.

use std::collections::HashMap;

use serde::Serialize;

use super::{DocId, Document, Site};
use crate::config::Config;

/// The site's documents grouped by original path.
#[derive(Debug, Default)]
pub struct Translations {
    /// Original path -> (language code, document) for each version, the default language's
    /// included.
    by_original: HashMap<String, Vec<(String, DocId)>>,
}

/// One language's version of a page, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Version {
    /// The language's code (`es`), for `hreflang` and `lang`.
    pub code: String,
    /// The language's name from `site.toml`, if it gives one.
    pub name: Option<String>,
    /// The page in this language; `None` when it has no translation.
    pub url: Option<String>,
    /// The absolute address of `url`, for alternates.
    pub permalink: Option<String>,
    /// The language's home page, where the switcher leads when `url` is `None`.
    pub home: String,
    /// Whether this is the language of the page being rendered.
    pub current: bool,
}

impl Translations {
    pub fn of(site: &Site, config: &Config) -> Self {
        let mut by_original: HashMap<String, Vec<(String, DocId)>> = HashMap::new();
        for (id, doc) in site.documents() {
            let code = doc
                .translation_language()
                .unwrap_or(config.default_language());
            by_original
                .entry(doc.original_path())
                .or_default()
                .push((code.to_owned(), id));
        }
        Self { by_original }
    }

    /// The versions of `doc` in each language of the site, in the order of `site.toml`.
    pub fn versions(&self, site: &Site, config: &Config, doc: &Document) -> Vec<Version> {
        let current = language_of(config, doc);
        let found = self.by_original.get(&doc.original_path());
        config
            .languages
            .iter()
            .map(|language| {
                let url = found
                    .and_then(|list| list.iter().find(|(code, _)| *code == language.code))
                    .map(|&(_, id)| site.document(id).url.clone());
                Version {
                    code: language.code.clone(),
                    name: language.name.clone(),
                    permalink: url.as_deref().map(|url| config.permalink(url)),
                    url,
                    home: language.home(config.default_language()),
                    current: language.code == current,
                }
            })
            .collect()
    }
}

/// The language a document is written in.
pub fn language_of<'a>(config: &'a Config, doc: &'a Document) -> &'a str {
    doc.translation_language()
        .unwrap_or(config.default_language())
}
