//! Words as the index and the reader's query both see them: lowercase, accents folded
//! (`décidé` -> `decide`), split on anything that is not a letter or a digit, then stemmed
//! (`appealed` -> `appeal`) by the page's language, whose stop words are left out.
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

/// One language as the indexer needs it: its stemmer and its stop words.
pub struct Language {
    stemmer: Option<Stemmer>,
    /// Folded, sorted, without duplicates.
    stop_words: Vec<Box<str>>,
}

impl Language {
    /// The language of a BCP 47 tag (`en`, `en-GB`, `es`). One that Snowball has no stemmer
    /// for is only folded and split; one that NLTK has no stop words for keeps every word.
    pub fn of(tag: &str) -> Self {
        let primary = crate::config::languages::primary_subtag(tag);
        let mut language = Self {
            stemmer: algorithm(&primary).map(Stemmer::create),
            stop_words: Vec::new(),
        };
        let mut stop_words: Vec<Box<str>> = Vec::new();
        for listed in stop_words::lookup(&primary).unwrap_or_default() {
            // "don't" folds to "don", already a stop word of its own: the list's words are
            // folded and split as the pages' text is.
            language.each_word(listed, |word| stop_words.push(word.into()));
        }
        stop_words.sort_unstable();
        stop_words.dedup();
        language.stop_words = stop_words;
        language
    }

    /// Folded and sorted, as the manifest gives them to the browser script.
    pub fn stop_words(&self) -> &[Box<str>] {
        &self.stop_words
    }

    /// The stem of a folded word (the word itself without a stemmer).
    pub fn stem<'w>(&self, word: &'w str) -> std::borrow::Cow<'w, str> {
        match &self.stemmer {
            Some(stemmer) => stemmer.stem(word),
            None => std::borrow::Cow::Borrowed(word),
        }
    }

    /// Calls `each` with every word of `text` of an indexable length, folded, in order. Stop
    /// words are left to the caller (the vocabulary knows them), so this reads each character
    /// once and allocates nothing per word.
    pub fn each_word(&self, text: &str, mut each: impl FnMut(&str)) {
        let mut word = String::new();
        // Characters in `word`; bytes, while it is ASCII.
        let mut chars = 0;
        let mut flush = |word: &mut String, chars: &mut usize| {
            if (SHORTEST..=LONGEST).contains(chars) {
                each(word);
            }
            word.clear();
            *chars = 0;
        };
        // Most text is ASCII: only other characters are decomposed (NFD), to drop their marks.
        let mut decomposed = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
                chars += 1;
                continue;
            }
            if c.is_ascii() {
                if !word.is_empty() {
                    flush(&mut word, &mut chars);
                }
                continue;
            }
            decomposed.clear();
            decompose_canonical(c, |part| decomposed.push(part));
            for part in decomposed.chars() {
                if part.is_alphanumeric() {
                    for lower in part.to_lowercase() {
                        word.push(lower);
                        chars += 1;
                    }
                } else if !is_combining_mark(part) && !word.is_empty() {
                    flush(&mut word, &mut chars);
                }
            }
        }
        if !word.is_empty() {
            flush(&mut word, &mut chars);
        }
    }
}

/// Snowball's algorithm for a primary subtag, if `rust-stemmers` has one.
fn algorithm(primary: &str) -> Option<Algorithm> {
    Some(match primary {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
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
    fn leaves_out_single_letters_and_long_strings() {
        check("en", "a platform", &["platform"]);
        check("en", &"x".repeat(LONGEST + 1), &[]);
        check("es", &"é".repeat(LONGEST), &["e".repeat(LONGEST).as_str()]);
    }

    fn is_stop_word(language: &str, word: &str) -> bool {
        Language::of(language)
            .stop_words()
            .binary_search(&word.into())
            .is_ok()
    }

    #[test]
    fn stop_words_are_the_languages_own_and_folded() {
        assert!(is_stop_word("en-GB", "the"));
        assert!(!is_stop_word("es", "the"));
        // "él" and "más" are Spanish stop words; the index only ever sees them folded.
        assert!(is_stop_word("es", "el") && is_stop_word("es", "mas"));
        assert!(!is_stop_word("en", "appeal") && !is_stop_word("es", "pago"));
        assert!(Language::of("xx").stop_words().is_empty());
    }

    #[test]
    fn stems_by_language() {
        assert_eq!(Language::of("en-GB").stem("appealed"), "appeal");
        assert_eq!(Language::of("es").stem("decisiones"), "decision");
        assert_eq!(
            Language::of("es").stem("pagos"),
            Language::of("es").stem("pago")
        );
        assert_eq!(Language::of("xx").stem("appealed"), "appealed");
    }
}
