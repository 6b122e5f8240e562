//! One document's share of the index, made while its page renders and kept until every page
//! has rendered: its URL and title, a short passage per heading part (for snippets), and its
//! weighed stems. It holds no body: a 10,000-page build keeps these, not the pages' text.

use std::collections::HashMap;

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
    pub parts: Vec<Part>,
    /// Sorted by stem, then part.
    pub hits: Vec<Hit>,
    /// Words whose stem differs from them, with that stem, sorted.
    pub words: Vec<(Box<str>, Box<str>)>,
}

/// A part of the page, from one heading to the next.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Part {
    /// Empty for the page's top.
    pub anchor: Box<str>,
    pub heading: Box<str>,
    /// The start of the part's text, cut at a word.
    pub passage: Box<str>,
}

/// A stem in one part of the page, with its weight there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub stem: Box<str>,
    pub part: u16,
    pub score: u16,
}

/// Where a word was found.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Heading,
    Body,
}

/// A stem's weight in one part: its best field, plus its body hits up to a bound.
#[derive(Default)]
struct Score {
    field: u16,
    body: u16,
}

/// What to index of each page.
#[derive(Clone, Copy)]
pub struct Indexing<'a> {
    pub language: &'a Language,
    pub include_code: bool,
}

impl Page {
    /// The share of the document at `url` titled `title` whose body's text is `text`.
    pub fn of(url: &str, title: &str, text: &SearchText, indexing: Indexing<'_>) -> Self {
        // Each distinct word is stemmed and allocated once; scores are keyed by its number.
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut stems: Vec<(String, String)> = Vec::new();
        let mut scores: HashMap<(u32, u16), Score> = HashMap::new();
        let language = indexing.language;
        let mut add = |text: &str, part: u16, field: Field| {
            language.each_word(text, |word| {
                let number = match vocabulary.get(word) {
                    Some(&number) => number,
                    None => {
                        let number = stems.len() as u32;
                        stems.push((word.to_owned(), language.stem(word).into_owned()));
                        vocabulary.insert(word.to_owned(), number);
                        number
                    }
                };
                let score = scores.entry((number, part)).or_default();
                match field {
                    Field::Title => score.field = score.field.max(TITLE_WEIGHT),
                    Field::Heading => score.field = score.field.max(HEADING_WEIGHT),
                    Field::Body => score.body = (score.body + 1).min(MOST_BODY_HITS),
                }
            });
        };
        add(title, 0, Field::Title);
        let mut parts = Vec::with_capacity(text.parts.len().min(MOST_PARTS));
        for (i, part) in text.parts.iter().enumerate() {
            let index = i.min(MOST_PARTS - 1) as u16;
            add(&part.heading, index, Field::Heading);
            add(&part.text, index, Field::Body);
            if indexing.include_code {
                add(&part.code, index, Field::Body);
            }
            if i < MOST_PARTS {
                parts.push(Part {
                    anchor: part.anchor.as_str().into(),
                    heading: part.heading.as_str().into(),
                    passage: passage(&part.text).into(),
                });
            }
        }
        if parts.is_empty() {
            parts.push(Part::default());
        }
        // Two words of one stem in one part count as the stem's best field and their body hits.
        let mut merged: HashMap<(&str, u16), Score> = HashMap::with_capacity(scores.len());
        for ((number, part), score) in scores {
            let merged = merged.entry((&stems[number as usize].1, part)).or_default();
            merged.field = merged.field.max(score.field);
            merged.body = (merged.body + score.body).min(MOST_BODY_HITS);
        }
        let mut hits: Vec<Hit> = merged
            .into_iter()
            .map(|((stem, part), score)| Hit {
                stem: stem.into(),
                part,
                score: score.field + score.body,
            })
            .collect();
        hits.sort_unstable_by(|a, b| (&a.stem, a.part).cmp(&(&b.stem, b.part)));
        let mut words: Vec<(Box<str>, Box<str>)> = stems
            .iter()
            .filter(|(word, stem)| word != stem)
            .map(|(word, stem)| (word.as_str().into(), stem.as_str().into()))
            .collect();
        words.sort_unstable();
        Self {
            url: url.to_owned(),
            title: title.to_owned(),
            parts,
            hits,
            words,
        }
    }
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

    fn page(title: &str, parts: &[(&str, &str, &str)]) -> Page {
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
        let language = Language::of("en");
        let indexing = Indexing {
            language: &language,
            include_code: false,
        };
        Page::of("/a/", title, &text, indexing)
    }

    fn score(page: &Page, stem: &str, part: u16) -> Option<u16> {
        page.hits
            .iter()
            .find(|h| &*h.stem == stem && h.part == part)
            .map(|h| h.score)
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
        assert_eq!(
            score(&page, "appeal", 0),
            Some(TITLE_WEIGHT + MOST_BODY_HITS)
        );
        assert_eq!(score(&page, "appeal", 1), Some(HEADING_WEIGHT));
    }

    #[test]
    fn body_hits_saturate() {
        let page = page(
            "T",
            &[("", "", "driver driver driver driver driver driver")],
        );
        assert_eq!(score(&page, "driver", 0), Some(MOST_BODY_HITS));
    }

    #[test]
    fn keeps_the_words_whose_stem_differs() {
        let page = page("T", &[("", "", "appealed appeal")]);
        assert_eq!(page.words, vec![("appealed".into(), "appeal".into())]);
    }

    #[test]
    fn code_is_left_out_unless_asked() {
        let page = page("T", &[("", "", "prose")]);
        assert_eq!(score(&page, "main", 0), None);
    }

    #[test]
    fn passages_end_at_a_word() {
        let long = "word ".repeat(PASSAGE_CHARS);
        let cut = passage(&long);
        assert!(cut.chars().count() <= PASSAGE_CHARS && cut.ends_with("word"));
        assert_eq!(passage("short text"), "short text");
    }
}
