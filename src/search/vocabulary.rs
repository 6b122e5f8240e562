//! One language's words over a whole build: each folded word is looked up once per mention
//! with no allocation, and stemmed once per build (not once per page), however many pages
//! and threads meet it. Pages then hold numbers, not strings.
//!
//! Pages index in parallel: they share the vocabulary behind a read-write lock, read it while
//! they tokenize and write only the words it did not have yet, all at once per page. Word and
//! stem numbers depend on which page got there first, so nothing written from them may follow
//! their order: the index's files sort by the words' text.
//!
//! It never forgets a word: `plumb serve` keeps it across edits, and a word no page holds any
//! more only costs its few bytes (the index is written from the pages, not from this).

use std::sync::{PoisonError, RwLock, RwLockReadGuard};

use rustc_hash::FxHashMap;

use super::words::Language;

/// A known word: its number, its stem's, and whether the stem differs from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub id: u32,
    pub stem: u32,
    pub stemmed: bool,
}

/// A language's words and stems so far.
#[derive(Default)]
pub struct Vocabulary {
    known: RwLock<Known>,
}

/// What the vocabulary holds.
#[derive(Default)]
pub struct Known {
    /// Each word met, `None` for a stop word.
    words: FxHashMap<Box<str>, Option<Word>>,
    /// By word number: the word's text and its stem's number.
    texts: Vec<(Box<str>, u32)>,
    /// By stem number: the stem's text.
    stems: Vec<Box<str>>,
    stem_ids: FxHashMap<Box<str>, u32>,
}

impl Vocabulary {
    /// A vocabulary that knows `language`'s stop words.
    pub fn new(language: &Language) -> Self {
        let mut known = Known::default();
        for word in language.stop_words() {
            known.words.insert(word.clone(), None);
        }
        Self {
            known: RwLock::new(known),
        }
    }

    /// The words and stems so far, for reading (many threads at once).
    pub fn read(&self) -> RwLockReadGuard<'_, Known> {
        self.known.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `words` (folded, none of them a stop word), stemmed by `language`, and returns
    /// them in the same order. A word another page added meanwhile keeps its number.
    pub fn add(&self, words: &[String], language: &Language) -> Vec<Word> {
        // Stemming is the slow part: done before the lock is taken.
        let stems: Vec<String> = words
            .iter()
            .map(|word| language.stem(word).into_owned())
            .collect();
        let mut known = self.known.write().unwrap_or_else(PoisonError::into_inner);
        words
            .iter()
            .zip(stems)
            .map(|(word, stem)| known.add(word, stem))
            .collect()
    }
}

impl Known {
    /// How `word` was met: `Some(None)` for a stop word, `None` for a word not met yet.
    pub fn get(&self, word: &str) -> Option<Option<Word>> {
        self.words.get(word).copied()
    }

    /// The text of word number `id`.
    pub fn word(&self, id: u32) -> &str {
        &self.texts[id as usize].0
    }

    /// The texts of word number `id` and of its stem.
    pub fn word_and_stem(&self, id: u32) -> (&str, &str) {
        let (word, stem) = &self.texts[id as usize];
        (word, self.stem(*stem))
    }

    /// The text of stem number `id`.
    pub fn stem(&self, id: u32) -> &str {
        &self.stems[id as usize]
    }

    fn add(&mut self, word: &str, stem: String) -> Word {
        if let Some(Some(known)) = self.words.get(word) {
            return *known;
        }
        let stemmed = stem != word;
        let stem = match self.stem_ids.get(stem.as_str()) {
            Some(&id) => id,
            None => {
                let id = number(self.stems.len());
                let stem: Box<str> = stem.into();
                self.stems.push(stem.clone());
                self.stem_ids.insert(stem, id);
                id
            }
        };
        let known = Word {
            id: number(self.texts.len()),
            stem,
            stemmed,
        };
        self.texts.push((word.into(), stem));
        self.words.insert(word.into(), Some(known));
        known
    }
}

/// A count as a word or stem number. A language with four billion distinct words is not a
/// site plumb builds; past that, numbers would repeat rather than the build fail.
fn number(count: usize) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_one_stem_share_its_number_and_keep_their_own() {
        let language = Language::of("en");
        let vocabulary = Vocabulary::new(&language);
        let added = vocabulary.add(&["appealed".into(), "appeal".into()], &language);
        assert_eq!(added[0].stem, added[1].stem);
        assert_ne!(added[0].id, added[1].id);
        assert!(added[0].stemmed && !added[1].stemmed);
        let known = vocabulary.read();
        assert_eq!(known.stem(added[0].stem), "appeal");
        assert_eq!(known.word(added[0].id), "appealed");
        assert_eq!(known.get("appealed"), Some(Some(added[0])));
    }

    #[test]
    fn a_word_added_twice_keeps_its_number() {
        let language = Language::of("es");
        let vocabulary = Vocabulary::new(&language);
        let first = vocabulary.add(&["pagos".into()], &language);
        let again = vocabulary.add(&["pagos".into()], &language);
        assert_eq!(first, again);
    }

    #[test]
    fn knows_the_languages_stop_words() {
        let vocabulary = Vocabulary::new(&Language::of("es"));
        assert_eq!(vocabulary.read().get("de"), Some(None));
        assert_eq!(vocabulary.read().get("pago"), None);
    }
}
