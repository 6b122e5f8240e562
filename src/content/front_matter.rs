//! Front matter: splitting a content file into its TOML header and markdown body, and the typed
//! header itself.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::value::Datetime;

use crate::diagnostic::{Diagnostic, Source};
use crate::toml_input;

/// The TOML header of a page or section, between `+++` lines.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The page's title, shown in its `<h1>`, `<title>` and every listing.
    #[serde(default)]
    pub title: String,
    /// One sentence about the page, for listings, search engines and sharing.
    pub description: Option<String>,
    /// When the page was published; dated pages go into the feed.
    pub date: Option<PageDate>,
    /// When the page last changed meaningfully.
    pub updated: Option<PageDate>,
    /// A draft is published only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Order within the section: lower first; pages without a weight come last.
    pub weight: Option<i64>,
    /// Replaces the last segment of the page's URL.
    pub slug: Option<String>,
    /// A template of the theme to render with instead of `page.html` / `section.html`.
    pub template: Option<String>,
    /// `false` keeps the page off readers' devices: the service worker never saves it.
    pub offline: Option<bool>,
    /// Anything else, passed to templates as `page.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

/// A date in front matter: a TOML date or date-time (`2024-05-31`, `2024-05-31T08:00:00Z`), or
/// the same written as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageDate(Datetime);

impl PageDate {
    fn new(datetime: Datetime) -> Result<Self, String> {
        if datetime.date.is_none() {
            return Err(format!("`{datetime}` has a time but no date"));
        }
        Ok(Self(datetime))
    }

    /// `YYYY-MM-DD`.
    pub fn day(&self) -> String {
        self.0.date.map(|d| d.to_string()).unwrap_or_default()
    }

    /// A full RFC 3339 timestamp, as Atom and sitemaps want: midnight UTC when the time or
    /// offset is missing.
    pub fn rfc3339(&self) -> String {
        let time = self
            .0
            .time
            .map_or_else(|| "00:00:00".to_owned(), |t| t.to_string());
        let offset = self
            .0
            .offset
            .map_or_else(|| "Z".to_owned(), |o| o.to_string());
        format!("{}T{time}{offset}", self.day())
    }
}

impl<'de> Deserialize<'de> for PageDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl<'de> Visitor<'de> for DateVisitor {
            type Value = PageDate;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2024-05-31")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<PageDate, E> {
                let datetime: Datetime = text
                    .parse()
                    .map_err(|_| E::custom(format!("invalid date `{text}`")))?;
                PageDate::new(datetime).map_err(E::custom)
            }

            fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<PageDate, M::Error> {
                let datetime = Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                PageDate::new(datetime).map_err(de::Error::custom)
            }
        }

        deserializer.deserialize_any(DateVisitor)
    }
}

/// A content file cut in two: where its TOML header and its markdown body are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the TOML between the `+++` lines.
    pub header: std::ops::Range<usize>,
    /// Byte offset where the markdown body starts.
    pub body: usize,
}

const FENCE: &str = "+++";

/// How many closing `+++` lines `parse` tries before it reports the first one's error.
const MAX_CUTS: usize = 8;

/// Finds the front matter of `text`: `+++` alone on the first line, the TOML, `+++` alone on a
/// line. A byte-order mark before it is allowed; so are `\r\n` line ends.
pub fn split(source: &Source) -> Result<Split, Diagnostic> {
    let mut candidates = splits(source)?;
    candidates.next().ok_or_else(|| unterminated(source))
}

/// Every way to cut `source` at a closing `+++` line, first to last: a TOML multi-line string
/// may itself hold a `+++` line, so the first fence is not always the closing one.
fn splits(source: &Source) -> Result<impl Iterator<Item = Split> + '_, Diagnostic> {
    let text = &*source.text;
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let first_line = text[start..first_line_end].trim_end();
    if first_line != FENCE {
        let hint = if first_line == "---" {
            "front matter is TOML between `+++` lines; replace the `---` lines with `+++` and write the keys as TOML"
        } else {
            "add `+++` on the first line, then `title = \"...\"`, then `+++` on a line of its own"
        };
        return Err(Diagnostic::error("missing front matter")
            .at(source, start..first_line_end)
            .with_hint(hint));
    }
    let header_start = (first_line_end + 1).min(text.len());
    let mut offset = header_start;
    Ok(text[header_start..]
        .split_inclusive('\n')
        .filter_map(move |line| {
            let line_start = offset;
            offset += line.len();
            (line.trim_end() == FENCE).then(|| Split {
                header: header_start..line_start,
                body: line_start + line.len(),
            })
        }))
}

fn unterminated(source: &Source) -> Diagnostic {
    let first_line_end = source.text.find('\n').unwrap_or(source.text.len());
    Diagnostic::error("unterminated front matter")
        .at(source, 0..first_line_end)
        .with_hint("close the front matter with `+++` on a line of its own")
}

/// Splits and parses the front matter of a content file. The header ends at the first `+++`
/// line after which it parses; if none does, the error is the first cut's.
pub fn parse(source: &Source) -> Result<(FrontMatter, usize), Diagnostic> {
    let mut first_error = None;
    // Each cut parses the header again: a few cover any multi-line string an author writes,
    // and the bound keeps a file of many `+++` lines from costing quadratic time.
    for split in splits(source)?.take(MAX_CUTS) {
        let header = &source.text[split.header.clone()];
        match toml_input::parse(source, header, split.header.start) {
            Ok(front_matter) => return Ok((front_matter, split.body)),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| unterminated(source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_err(text: &str, expected: &str) {
        let source = Source::new("a.md", text);
        let err = parse(&source).unwrap_err();
        assert_eq!(err.to_string(), expected);
    }

    #[test]
    fn splits_header_and_body() {
        let source = Source::new("a.md", "+++\ntitle = \"A\"\n+++\nBody\n");
        let (fm, body) = parse(&source).unwrap();
        assert_eq!(fm.title, "A");
        assert_eq!(&source.text[body..], "Body\n");
    }

    #[test]
    fn accepts_crlf_and_bom() {
        let source = Source::new("a.md", "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nBody");
        let (fm, body) = parse(&source).unwrap();
        assert_eq!(fm.title, "A");
        assert_eq!(&source.text[body..], "Body");
    }

    #[test]
    fn missing_front_matter() {
        check_err(
            "# Title\n",
            "a.md:1:1: error: missing front matter (hint: add `+++` on the first line, then `title = \"...\"`, then `+++` on a line of its own)",
        );
    }

    #[test]
    fn yaml_front_matter_gets_its_own_hint() {
        let source = Source::new("a.md", "---\ntitle: A\n---\n");
        let err = parse(&source).unwrap_err();
        assert!(err.hint.unwrap().contains("replace the `---` lines"));
    }

    #[test]
    fn unterminated_front_matter() {
        check_err(
            "+++\ntitle = \"A\"\n",
            "a.md:1:1: error: unterminated front matter (hint: close the front matter with `+++` on a line of its own)",
        );
    }

    #[test]
    fn toml_errors_point_into_the_file_not_the_block() {
        check_err(
            "+++\ntitle = \"A\"\nweigth = 1\n+++\n",
            "a.md:3:1: error: unknown key `weigth` (hint: did you mean `weight`?)",
        );
    }

    #[test]
    fn dates_as_literals_or_strings() {
        let source = Source::new(
            "a.md",
            "+++\ndate = 2024-05-31\nupdated = \"2024-06-01T10:00:00+02:00\"\n+++\n",
        );
        let (fm, _) = parse(&source).unwrap();
        assert_eq!(fm.date.unwrap().rfc3339(), "2024-05-31T00:00:00Z");
        assert_eq!(fm.updated.unwrap().rfc3339(), "2024-06-01T10:00:00+02:00");
    }

    #[test]
    fn invalid_date_is_an_error() {
        check_err(
            "+++\ndate = \"2024-13-45\"\n+++\n",
            "a.md:2:8: error: invalid date `2024-13-45` (hint: write dates as 2024-05-31 or 2024-05-31T08:00:00Z)",
        );
    }
}
