//! One document's share of the index, made while its page renders and kept until every page
//! has rendered: its URL and title, a short passage per heading part (for snippets), and its
//! weighed stems. It holds no body: a 10,000-page build keeps these, not the pages' text, and
//! keeps them small: stems and words are numbers of its language's [`Vocabulary`], and the
//! parts' texts one string.

use rustc_hash::FxHashMap;

use super::vocabulary::{Vocabulary, Word};
use super::words::Language;
use crate::markdown::SearchText;

/// A hit in the title counts this many times a hit in the body.
pub const TITLE_WEIGHT: u16 = 12;
/// A hit in a heading counts this many times a hit in the body.
pub const HEADING_WEIGHT: u16 = 6;
/// Body hits of one stem in one part count up to this many times (a long list of "driver"
/// should not outrank a page titled "Driver").
pub const MOST_BODY_HITS: u16 = 4;
/// Characters of each part's text kept for its snippet.
pub const PASSAGE_CHARS: usize = 1_500;
/// Parts past this many are searched as the last one.
const MOST_PARTS: usize = 200;

/// What the index keeps of one document.
#[derive(Debug, Default, Clone)]
pub struct Page {
    /// Root-relative, as the site's links: `/guide/risk/`.
    pub url: String,
    pub title: String,
    /// The site's language the page is in, by its place in the site's languages.
    pub language: usize,
    /// Each part's anchor, heading and passage, one after the other.
    texts: String,
    /// Where each part's anchor, heading and passage end in `texts`.
    ends: Vec<[u32; 3]>,
    /// Sorted by stem, then part.
    pub hits: Vec<Hit>,
    /// The words whose stem differs from them, by number, sorted.
    pub words: Vec<u32>,
}

/// A part of the page, from one heading to the next.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Part<'a> {
    /// Empty for the page's top.
    pub anchor: &'a str,
    pub heading: &'a str,
    /// The start of the part's text, cut at a word.
    pub passage: &'a str,
}

/// A stem (by its number in the page's language's vocabulary) in one part of the page, with
/// its weight there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub stem: u32,
    pub part: u16,
    pub score: u16,
}

/// Where a word was found.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Body,
    Heading,
    Title,
}

/// A word met in the text: known to the vocabulary, or the page's `n`th new word.
#[derive(Clone, Copy)]
enum Met {
    Known(Word),
    New(u32),
}

/// What to index of each page, and the words indexed so far in its language.
#[derive(Clone, Copy)]
pub struct Indexing<'a> {
    pub language: &'a Language,
    pub vocabulary: &'a Vocabulary,
    pub include_code: bool,
}

impl Page {
    /// The share of the document at `url` titled `title` whose body's text is `text`.
    ///
    /// Every mention of a word is looked up in the vocabulary (no allocation) and kept as a
    /// number; the words the vocabulary lacks are added, stemmed, once per page. Mentions are
    /// then sorted by stem and part, and each run of one stem in one part is its hit.
    pub fn of(url: &str, title: &str, text: &SearchText, indexing: Indexing<'_>) -> Self {
        let language = indexing.language;
        let mut mentions: Vec<(Met, u16, Field)> = Vec::new();
        let mut new_words: FxHashMap<String, u32> = FxHashMap::default();
        {
            let known = indexing.vocabulary.read();
            let mut add = |text: &str, part: u16, field: Field| {
                language.each_word(text, |word| {
                    let met = match known.get(word) {
                        Some(Some(word)) => Met::Known(word),
                        Some(None) => return,
                        None => Met::New(new_index(&mut new_words, word)),
                    };
                    mentions.push((met, part, field));
                });
            };
            add(title, 0, Field::Title);
            for (i, part) in text.parts.iter().enumerate() {
                let index = i.min(MOST_PARTS - 1) as u16;
                add(&part.heading, index, Field::Heading);
                add(&part.text, index, Field::Body);
                if indexing.include_code {
                    add(&part.code, index, Field::Body);
                }
            }
        }
        let added = if new_words.is_empty() {
            Vec::new()
        } else {
            let mut new_words: Vec<(String, u32)> = new_words.into_iter().collect();
            new_words.sort_unstable_by_key(|(_, n)| *n);
            let new_words: Vec<String> = new_words.into_iter().map(|(word, _)| word).collect();
            indexing.vocabulary.add(&new_words, language)
        };
        let word = |met: Met| match met {
            Met::Known(word) => word,
            Met::New(n) => added[n as usize],
        };
        let mut words: Vec<u32> = Vec::new();
        let mut stems: Vec<(u32, u16, Field)> = mentions
            .into_iter()
            .map(|(met, part, field)| {
                let word = word(met);
                if word.stemmed {
                    words.push(word.id);
                }
                (word.stem, part, field)
            })
            .collect();
        words.sort_unstable();
        words.dedup();
        stems.sort_unstable();
        let hits = stems
            .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
            .map(|run| Hit {
                stem: run[0].0,
                part: run[0].1,
                score: score(run.iter().map(|mention| mention.2)),
            })
            .collect();
        let mut page = Self {
            url: url.to_owned(),
            title: title.to_owned(),
            hits,
            words,
            ..Self::default()
        };
        for part in text.parts.iter().take(MOST_PARTS) {
            page.push_part(&part.anchor, &part.heading, passage(&part.text));
        }
        if page.ends.is_empty() {
            page.push_part("", "", "");
        }
        page.texts.shrink_to_fit();
        page
    }

    /// The page's parts, in order (at least one).
    pub fn parts(&self) -> impl ExactSizeIterator<Item = Part<'_>> {
        let mut start = 0;
        self.ends.iter().map(move |&[anchor, heading, passage]| {
            let [anchor, heading, passage] = [anchor, heading, passage].map(|end| end as usize);
            let part = Part {
                anchor: &self.texts[start..anchor],
                heading: &self.texts[anchor..heading],
                passage: &self.texts[heading..passage],
            };
            start = passage;
            part
        })
    }

    /// Bytes of the parts' texts, for sizing the document shards.
    pub fn parts_len(&self) -> usize {
        self.texts.len()
    }

    fn push_part(&mut self, anchor: &str, heading: &str, passage: &str) {
        let mut end = |text: &str| {
            self.texts.push_str(text);
            // A page's kept text is at most 200 parts of 1,500 characters and two lines.
            u32::try_from(self.texts.len()).unwrap_or(u32::MAX)
        };
        let ends = [end(anchor), end(heading), end(passage)];
        self.ends.push(ends);
    }
}

/// The number of `word` among the page's new words, added if it is not there yet.
fn new_index(new_words: &mut FxHashMap<String, u32>, word: &str) -> u32 {
    if let Some(&n) = new_words.get(word) {
        return n;
    }
    let n = new_words.len() as u32;
    new_words.insert(word.to_owned(), n);
    n
}

/// A stem's weight in one part from its mentions there: its best field (title or heading),
/// plus its body hits up to [`MOST_BODY_HITS`].
fn score(fields: impl Iterator<Item = Field>) -> u16 {
    let mut best = 0;
    let mut body = 0;
    for field in fields {
        match field {
            Field::Title => best = TITLE_WEIGHT,
            Field::Heading => best = best.max(HEADING_WEIGHT),
            Field::Body => body = (body + 1).min(MOST_BODY_HITS),
        }
    }
    best + body
}

/// The first [`PASSAGE_CHARS`] characters of `text`, ending at a word's end.
fn passage(text: &str) -> &str {
    let Some((end, _)) = text.char_indices().nth(PASSAGE_CHARS) else {
        return text;
    };
    let cut = &text[..end];
    cut.rfind(' ').map_or(cut, |space| &cut[..space])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::search_text::Part as TextPart;

    /// A page indexed in `language`, with the vocabulary it was indexed with.
    struct Indexed {
        page: Page,
        vocabulary: Vocabulary,
    }

    fn index(language: &str, title: &str, parts: &[(&str, &str, &str)]) -> Indexed {
        let text = SearchText {
            parts: parts
                .iter()
                .map(|(anchor, heading, text)| TextPart {
                    anchor: (*anchor).to_owned(),
                    heading: (*heading).to_owned(),
                    text: (*text).to_owned(),
                    code: "fn main".to_owned(),
                })
                .collect(),
        };
        let language = Language::of(language);
        let vocabulary = Vocabulary::new(&language);
        let indexing = Indexing {
            language: &language,
            vocabulary: &vocabulary,
            include_code: false,
        };
        let page = Page::of("/a/", title, &text, indexing);
        Indexed { page, vocabulary }
    }

    fn page(title: &str, parts: &[(&str, &str, &str)]) -> Indexed {
        index("en", title, parts)
    }

    impl Indexed {
        fn score(&self, stem: &str, part: u16) -> Option<u16> {
            let known = self.vocabulary.read();
            self.page
                .hits
                .iter()
                .find(|h| known.stem(h.stem) == stem && h.part == part)
                .map(|h| h.score)
        }

        fn stemmed_words(&self) -> Vec<String> {
            let known = self.vocabulary.read();
            let mut words: Vec<String> = self
                .page
                .words
                .iter()
                .map(|&id| known.word(id).to_owned())
                .collect();
            words.sort();
            words
        }
    }

    #[test]
    fn title_and_heading_hits_outweigh_body_hits() {
        let page = page(
            "Appeals",
            &[
                ("", "", "appeal appeal appeal appeal appeal appeal"),
                ("how", "How to appeal", ""),
            ],
        );
        assert_eq!(page.score("appeal", 0), Some(TITLE_WEIGHT + MOST_BODY_HITS));
        assert_eq!(page.score("appeal", 1), Some(HEADING_WEIGHT));
    }

    #[test]
    fn body_hits_saturate() {
        let page = page(
            "T",
            &[("", "", "driver driver driver driver driver driver")],
        );
        assert_eq!(page.score("driver", 0), Some(MOST_BODY_HITS));
    }

    #[test]
    fn words_of_one_stem_in_one_part_are_one_hit() {
        let page = page("T", &[("", "", "appealed appeals appeal")]);
        assert_eq!(page.score("appeal", 0), Some(3));
        assert_eq!(page.page.hits.len(), 1);
    }

    #[test]
    fn keeps_the_words_whose_stem_differs() {
        let page = page("T", &[("", "", "appealed appeal")]);
        assert_eq!(page.stemmed_words(), ["appealed"]);
    }

    #[test]
    fn stop_words_are_left_out() {
        let page = page("The appeal", &[("", "", "of the platform")]);
        assert_eq!(page.page.hits.len(), 2);
        assert_eq!(page.score("the", 0), None);
    }

    #[test]
    fn spanish_pages_are_stemmed_in_spanish_without_its_stop_words() {
        let page = index("es", "Los pagos", &[("", "", "El pago de las decisiones")]);
        assert_eq!(page.score("pag", 0), Some(TITLE_WEIGHT + 1));
        assert_eq!(page.score("decision", 0), Some(1));
        assert_eq!(page.score("los", 0), None);
        assert_eq!(page.score("el", 0), None);
        assert_eq!(page.stemmed_words(), ["decisiones", "pago", "pagos"]);
    }

    #[test]
    fn code_is_left_out_unless_asked() {
        let page = page("T", &[("", "", "prose")]);
        assert_eq!(page.score("main", 0), None);
    }

    #[test]
    fn keeps_each_parts_anchor_heading_and_passage() {
        let page = page("T", &[("", "", "top"), ("how", "How", "the rest")]);
        let parts: Vec<Part<'_>> = page.page.parts().collect();
        let expected = [
            Part {
                anchor: "",
                heading: "",
                passage: "top",
            },
            Part {
                anchor: "how",
                heading: "How",
                passage: "the rest",
            },
        ];
        assert_eq!(parts, expected);
        assert_eq!(page.page.parts_len(), "tophowHowthe rest".len());
    }

    #[test]
    fn passages_end_at_a_word() {
        let long = "word ".repeat(PASSAGE_CHARS);
        let cut = passage(&long);
        assert!(cut.chars().count() <= PASSAGE_CHARS && cut.ends_with("word"));
        assert_eq!(passage("short text"), "short text");
    }
}
