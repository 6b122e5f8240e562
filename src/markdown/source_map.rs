//! Where in its content file each link, image and piece of raw HTML of a rendered body was
//! written: a map from byte offsets of the body's HTML to byte offsets of the markdown file,
//! made while pulldown-cmark writes the HTML (each event's range comes from its offset
//! iterator), so no HTML is read again to make it.
//!
//! The map covers the events that can write URLs or ids: links, images, headings, footnote
//! references and definitions, and raw HTML, whose text is copied as written, so a place
//! inside it maps byte for byte. Once the
//! body's HTML is changed after writing (shortcodes expanded, a U+0000 replaced), places
//! after the first change are no longer in the map: a place the map does not
//! know is `None`, never a wrong line.

use std::cell::Cell;
use std::fmt;
use std::ops::Range;

use pulldown_cmark::Event;

/// One event's output: the HTML it wrote and the markdown it was written from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    html: Range<usize>,
    source: Range<usize>,
    /// Raw HTML, copied as written: a place inside it is at the same distance in the source.
    verbatim: bool,
}

/// Body HTML offsets -> content file offsets, for the places URLs and ids can be (see the
/// module).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// In order of `html.start`, not overlapping.
    entries: Vec<Entry>,
}

impl SourceMap {
    /// The byte offset in the content file that wrote the body's HTML at `offset`, when the
    /// map has it.
    pub fn source_of(&self, offset: usize) -> Option<usize> {
        let index = self
            .entries
            .partition_point(|entry| entry.html.start <= offset)
            .checked_sub(1)?;
        let entry = &self.entries[index];
        if offset >= entry.html.end {
            return None;
        }
        if !entry.verbatim {
            return Some(entry.source.start);
        }
        let within = offset - entry.html.start;
        Some((entry.source.start + within).min(entry.source.end))
    }

    /// Whether the map knows no place at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets every place at or after `offset` of the HTML, which is about to change there.
    pub(super) fn forget_from(&mut self, offset: usize) {
        let kept = self
            .entries
            .partition_point(|entry| entry.html.end <= offset);
        self.entries.truncate(kept);
    }
}

/// Writes `events` (each with the source range of the markdown it came from, when it is one
/// the map covers) as HTML to `html`, and returns the map of what it wrote.
pub(super) fn write_html<'a>(
    html: &mut String,
    events: impl IntoIterator<Item = (Event<'a>, Option<Range<usize>>)>,
) -> SourceMap {
    let written = Cell::new(html.len());
    let mut entries: Vec<Entry> = Vec::new();
    let mut open: Option<Entry> = None;
    // The writer asks for an event only once it has written the previous one (an image reads
    // its alt text's events first, after writing `<img src`), so the length written when it
    // asks ends the previous event's output.
    let events = events.into_iter().map(|(event, source)| {
        let at = written.get();
        if let Some(mut entry) = open.take() {
            entry.html.end = at;
            entries.push(entry);
        }
        open = source.filter(|_| is_mapped(&event)).map(|source| Entry {
            html: at..at,
            source,
            verbatim: matches!(event, Event::Html(_) | Event::InlineHtml(_)),
        });
        event
    });
    let writer = Counting {
        out: &mut *html,
        written: &written,
    };
    // Writing into a `String` cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(writer, events);
    if let Some(mut entry) = open {
        entry.html.end = written.get();
        entries.push(entry);
    }
    entries.retain(|entry| !entry.html.is_empty());
    SourceMap { entries }
}

/// Whether `event` can write a URL or an id, and so has a place in the map.
fn is_mapped(event: &Event<'_>) -> bool {
    use pulldown_cmark::Tag;
    matches!(
        event,
        Event::Start(
            Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. } | Tag::FootnoteDefinition(_)
        ) | Event::FootnoteReference(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
    )
}

/// A `String` writer that counts the bytes the string holds.
struct Counting<'s> {
    out: &'s mut String,
    written: &'s Cell<usize>,
}

impl fmt::Write for Counting<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.push_str(s);
        self.written.set(self.out.len());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    /// For each `needle` of the HTML that `markdown` renders to, the markdown from the place
    /// the map gives it to the end of that line.
    fn check(markdown: &str, needles: &[&str], expected: &[Option<&str>]) {
        let events = Parser::new_ext(markdown, Options::empty())
            .into_offset_iter()
            .map(|(event, range)| (event, Some(range)));
        let mut html = String::new();
        let map = write_html(&mut html, events);
        let found: Vec<Option<&str>> = needles
            .iter()
            .map(|needle| {
                let offset = html.find(needle).expect("the needle is in the HTML");
                map.source_of(offset).map(|at| {
                    let rest = &markdown[at..];
                    &rest[..rest.find('\n').unwrap_or(rest.len())]
                })
            })
            .collect();
        assert_eq!(found, expected, "{html}");
    }

    #[test]
    fn links_and_images_map_to_where_they_start() {
        check(
            "Some [text](a.md) and\n![a picture](p.png \"t\") here.\n",
            &["<a href", "<img", "Some"],
            &[
                Some("[text](a.md) and"),
                Some("![a picture](p.png \"t\") here."),
                None,
            ],
        );
    }

    #[test]
    fn raw_html_maps_byte_for_byte() {
        check(
            "Text.\n\n<div>\n  <a href=\"x/\">x</a>\n</div>\n\nMore <img src=\"y.png\"> inline.\n",
            &["<a href", "<img"],
            &[
                Some("<a href=\"x/\">x</a>"),
                Some("<img src=\"y.png\"> inline."),
            ],
        );
    }

    #[test]
    fn places_after_a_change_are_forgotten() {
        let events = Parser::new("[a](a.md)\n\n[b](b.md)\n")
            .into_offset_iter()
            .map(|(event, range)| (event, Some(range)));
        let mut html = String::new();
        let mut map = write_html(&mut html, events);
        let second = html.rfind("<a").expect("two links");
        map.forget_from(second);
        assert_eq!(map.source_of(html.find("<a").expect("a link")), Some(0));
        assert_eq!(map.source_of(second), None);
    }
}
