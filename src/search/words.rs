//! Words as the index and the reader's query both see them: lowercase, accents folded
//! (`décidé` -> `decide`), split on anything that is not a letter or a digit, stop words left
//! out, then stemmed (`appealed` -> `appeal`) for the site's language.
//!
//! The browser script folds and splits a query the same way (`search.js`, `words`) but does
//! not stem: the index ships the word -> stem table for the words whose stem differs, so the
//! one stemmer in play is this one.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Shorter words are not indexed (single letters find everything).
pub const SHORTEST: usize = 2;
/// Longer ones are hashes, URLs or identifiers, not words a reader types.
pub const LONGEST: usize = 32;

/// English words too common to tell pages apart. Other languages get stemming without a list
/// until one is written for them.
pub const ENGLISH_STOP_WORDS: &[&str] = &[
    "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does", "each",
    "for", "from", "had", "has", "have", "he", "her", "here", "him", "his", "how", "if", "in",
    "into", "is", "it", "its", "just", "me", "more", "most", "my", "no", "nor", "not", "of", "on",
    "only", "or", "other", "our", "out", "over", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "too", "under", "up", "us", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
];

/// The site's language as the indexer needs it: its stemmer and its stop words.
pub struct Language {
    stemmer: Option<Stemmer>,
    stop_words: &'static [&'static str],
}

impl Language {
    /// The language of a BCP 47 tag (`en`, `en-GB`, `es`); one without a stemmer is only
    /// folded and split.
    pub fn of(tag: &str) -> Self {
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let algorithm = match primary.as_str() {
            "ar" => Some(Algorithm::Arabic),
            "da" => Some(Algorithm::Danish),
            "nl" => Some(Algorithm::Dutch),
            "en" => Some(Algorithm::English),
            "fi" => Some(Algorithm::Finnish),
            "fr" => Some(Algorithm::French),
            "de" => Some(Algorithm::German),
            "el" => Some(Algorithm::Greek),
            "hu" => Some(Algorithm::Hungarian),
            "it" => Some(Algorithm::Italian),
            "nb" | "nn" | "no" => Some(Algorithm::Norwegian),
            "pt" => Some(Algorithm::Portuguese),
            "ro" => Some(Algorithm::Romanian),
            "ru" => Some(Algorithm::Russian),
            "es" => Some(Algorithm::Spanish),
            "sv" => Some(Algorithm::Swedish),
            "ta" => Some(Algorithm::Tamil),
            "tr" => Some(Algorithm::Turkish),
            _ => None,
        };
        Self {
            stemmer: algorithm.map(Stemmer::create),
            stop_words: if primary == "en" {
                ENGLISH_STOP_WORDS
            } else {
                &[]
            },
        }
    }

    pub fn stop_words(&self) -> &'static [&'static str] {
        self.stop_words
    }

    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.binary_search(&word).is_ok()
    }

    /// The stem of a folded word (the word itself without a stemmer).
    pub fn stem<'w>(&self, word: &'w str) -> std::borrow::Cow<'w, str> {
        match &self.stemmer {
            Some(stemmer) => stemmer.stem(word),
            None => std::borrow::Cow::Borrowed(word),
        }
    }

    /// Calls `each` with every indexable word of `text`, folded, stop words left out, in order.
    pub fn each_word(&self, text: &str, mut each: impl FnMut(&str)) {
        let mut word = String::new();
        let mut flush = |word: &mut String| {
            let chars = word.chars().count();
            if (SHORTEST..=LONGEST).contains(&chars) && !self.is_stop_word(word) {
                each(word);
            }
            word.clear();
        };
        // Most text is ASCII: only other characters are decomposed (NFD), to drop their marks.
        let mut decomposed = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
                continue;
            }
            if c.is_ascii() {
                if !word.is_empty() {
                    flush(&mut word);
                }
                continue;
            }
            decomposed.clear();
            decompose_canonical(c, |part| decomposed.push(part));
            for part in decomposed.chars() {
                if part.is_alphanumeric() {
                    word.extend(part.to_lowercase());
                } else if !is_combining_mark(part) && !word.is_empty() {
                    flush(&mut word);
                }
            }
        }
        if !word.is_empty() {
            flush(&mut word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(language: &str, text: &str, expected: &[&str]) {
        let mut words = Vec::new();
        Language::of(language).each_word(text, |w| words.push(w.to_owned()));
        assert_eq!(words, expected, "{text:?}");
    }

    #[test]
    fn folds_case_and_accents_and_splits_on_non_letters() {
        check(
            "en",
            "Décidé, NAÏVE co-op x2",
            &["decide", "naive", "co", "op", "x2"],
        );
        check("es", "¿Quién decide?", &["quien", "decide"]);
    }

    #[test]
    fn leaves_out_english_stop_words_and_single_letters() {
        check("en", "The appeal of a platform", &["appeal", "platform"]);
        check("fr", "the", &["the"]);
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(ENGLISH_STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn stems_by_language() {
        assert_eq!(Language::of("en-GB").stem("appealed"), "appeal");
        assert_eq!(Language::of("es").stem("decisiones"), "decision");
        assert_eq!(Language::of("xx").stem("appealed"), "appealed");
    }
}
