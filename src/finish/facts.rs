//! What the finishing pass learns of a page as it streams through: every id and every URL,
//! each with its line and column in the generated page. `plumb check`, the anchor checks, the
//! other-host check and the offline plan read these facts; none of them parses a page again.

use crate::diagnostic::{Diagnostic, Severity, Source};

/// A place in a generated page: 1-based line and column (in characters of the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A URL written in a page, as the page holds it after the pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    /// The element's name, lowercase (`a`, `img`).
    pub tag: &'static str,
    pub attribute: &'static str,
    /// Whether the browser loads it with the page (an image, a stylesheet), not only links.
    pub loaded: bool,
    pub at: Position,
    /// The byte offset in the page's content file of the markdown that wrote it, when the
    /// page's markdown body did (not a template).
    pub source: Option<usize>,
}

/// An element's `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id {
    pub name: String,
    pub at: Position,
    /// The byte offset in the page's content file of the markdown that wrote it (a heading, raw
    /// HTML), when the page's markdown body did.
    pub source: Option<usize>,
}

/// Everything the pass recorded of one page, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub ids: Vec<Id>,
    pub links: Vec<Link>,
}

impl Facts {
    /// Whether the page has an element with this id.
    pub(crate) fn has_id(&self, name: &str) -> bool {
        self.ids.iter().any(|id| id.name == name)
    }

    /// Each id that is on more than one element, with its second place, in document order.
    pub(crate) fn duplicate_ids(&self) -> Vec<&Id> {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by(|&a, &b| self.ids[a].name.cmp(&self.ids[b].name).then(a.cmp(&b)));
        let mut repeated: Vec<&Id> = order
            .windows(2)
            .filter(|pair| self.ids[pair[0]].name == self.ids[pair[1]].name)
            .map(|pair| &self.ids[pair[1]])
            .collect();
        repeated.sort_by_key(|id| id.at);
        repeated.dedup_by(|a, b| a.name == b.name);
        repeated
    }

    /// The URLs the page makes the browser load, with their element, in document order.
    pub(crate) fn loaded(&self) -> impl Iterator<Item = &Link> {
        self.links.iter().filter(|link| link.loaded)
    }
}

/// Where a problem with something the pass recorded is shown: at the line of the content file
/// whose markdown wrote it, else at its place in the generated page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recorded<'a> {
    /// The page's output path (`guide/first/index.html`).
    pub(crate) path: &'a str,
    /// The content file the page was built from, when one was.
    pub(crate) file: Option<&'a Source>,
    /// The offset in `file` of the markdown that wrote it, when the markdown did.
    pub(crate) written: Option<usize>,
    pub(crate) at: Position,
}

impl Recorded<'_> {
    /// Whether the diagnostic points at the markdown that wrote it.
    pub(crate) fn in_markdown(&self) -> bool {
        self.file.is_some() && self.written.is_some()
    }

    /// `message`, closed in parentheses by `what` (the element, say) and by the place in the
    /// page when the content file's line is not known.
    pub(crate) fn diagnostic(
        &self,
        severity: Severity,
        message: &str,
        what: Option<&str>,
    ) -> Diagnostic {
        let new = |text: String| match severity {
            Severity::Error => Diagnostic::error(text),
            Severity::Warning => Diagnostic::warning(text),
        };
        match (self.file, self.written) {
            (Some(file), Some(offset)) => {
                let text = match what {
                    Some(what) => format!("{message} ({what})"),
                    None => message.to_owned(),
                };
                new(text).at(file, offset..offset)
            }
            (file, _) => {
                let place = format!("{} of the page", self.at);
                let text = match what {
                    Some(what) => format!("{message} ({what}, {place})"),
                    None => format!("{message} ({place})"),
                };
                let shown = file.map_or_else(
                    || format!("public/{}", self.path).into(),
                    |file| file.path.clone(),
                );
                new(text).in_file(&shown)
            }
        }
    }
}

/// Turns byte offsets that only grow into lines and columns, reading each byte once.
#[derive(Debug)]
pub(crate) struct Lines<'a> {
    text: &'a [u8],
    /// The offset counted up to, its line and its column (characters since the line's start).
    counted: usize,
    line: u32,
    column: u32,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self::new_bytes(text.as_bytes())
    }

    /// The position of `offset`; an offset before one asked for earlier is counted again from
    /// the start.
    pub(crate) fn at(&mut self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        if offset < self.counted {
            *self = Self::new_bytes(self.text);
        }
        let span = &self.text[self.counted..offset];
        let line_start = match memchr::memrchr(b'\n', span) {
            Some(last) => {
                let newlines = memchr::memchr_iter(b'\n', span).count();
                self.line += u32::try_from(newlines).unwrap_or(u32::MAX);
                self.column = 0;
                last + 1
            }
            None => 0,
        };
        self.column += chars(&span[line_start..]);
        self.counted = offset;
        Position {
            line: self.line,
            column: self.column + 1,
        }
    }

    fn new_bytes(text: &'a [u8]) -> Self {
        Self {
            text,
            counted: 0,
            line: 1,
            column: 0,
        }
    }
}

/// The characters of UTF-8 `bytes`: every byte that does not continue a character.
fn chars(bytes: &[u8]) -> u32 {
    let count = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let mut lines = Lines::new("ab\ncdé\nf");
        let at = |lines: &mut Lines, offset| lines.at(offset).to_string();
        assert_eq!(at(&mut lines, 0), "line 1, column 1");
        assert_eq!(at(&mut lines, 4), "line 2, column 2");
        assert_eq!(at(&mut lines, 8), "line 3, column 1");
        assert_eq!(
            at(&mut lines, 1),
            "line 1, column 2",
            "going back counts again"
        );
    }

    #[test]
    fn duplicates_are_named_once_at_their_second_place() {
        let id = |name: &str, line| Id {
            name: name.to_owned(),
            at: Position { line, column: 1 },
            source: None,
        };
        let facts = Facts {
            ids: vec![id("a", 1), id("b", 2), id("a", 3), id("a", 4), id("c", 5)],
            links: Vec::new(),
        };
        let found: Vec<String> = facts
            .duplicate_ids()
            .iter()
            .map(|id| format!("{} {}", id.name, id.at))
            .collect();
        assert_eq!(found, ["a line 3, column 1"]);
    }
}
