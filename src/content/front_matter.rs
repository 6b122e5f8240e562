//! Front matter: splitting a content file into its TOML header and markdown body, and the typed
//! header itself.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;
use toml::value::{Datetime, Offset};

use crate::diagnostic::{Diagnostic, Source};
use crate::toml_input;

/// The TOML header of a page or section, between `+++` lines. Unknown keys are found by
/// `toml_input::check_keys` before this is read, so that keys other generators use can be
/// warnings ([`FOREIGN_KEYS`]) while typos stay errors. The values checked after parsing keep
/// their span in the whole content file, from the parse.
#[derive(Debug, Clone, Default, Deserialize)]
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
    pub slug: Option<Spanned<String>>,
    /// A template of the theme to render with instead of `page.html` / `section.html`.
    pub template: Option<Spanned<String>>,
    /// `false` keeps the page off readers' devices: the service worker never saves it.
    pub offline: Option<bool>,
    /// Old URLs of the page (`/old/path/`): each gets a page that sends readers here.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// A section's `redirect_to`: its URL sends readers to this URL or content path instead.
    pub redirect_to: Option<Spanned<String>>,
    /// The page's tags: each gets a page listing its pages, at `/tags/<tag>/`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Zola's form of tags: `[taxonomies]` with `tags = [...]`, merged into `tags`.
    #[serde(default)]
    pub taxonomies: std::collections::BTreeMap<String, Vec<String>>,
    /// Anything else, passed to templates as `page.extra`.
    #[serde(default)]
    pub extra: toml::Table,
    /// The text before `<!-- more -->` in the body, when the author marked a summary.
    #[serde(skip)]
    pub summary: Option<String>,
    /// Warnings found while reading the header (keys of other generators).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

impl FrontMatter {
    /// The slug as written.
    pub fn slug(&self) -> Option<&str> {
        self.slug.as_ref().map(|slug| slug.get_ref().as_str())
    }

    /// The template as written.
    pub fn template(&self) -> Option<&str> {
        self.template.as_ref().map(|name| name.get_ref().as_str())
    }
}

/// Front matter keys that Zola or Hugo know and plumb has no use for, with what to do instead.
pub const FOREIGN_KEYS: &[(&str, &str)] = &[
    (
        "insert_anchor_links",
        "every heading gets an id; the theme decides how to link to it: remove the key",
    ),
    (
        "sort_by",
        "pages are ordered by `weight`, then date, then title: give pages a `weight`",
    ),
    ("render", "every `_index.md` is rendered: remove the key"),
    (
        "in_search_index",
        "plumb builds no search index: remove the key",
    ),
    (
        "paginate_by",
        "a section lists all its pages on one page: remove the key",
    ),
    (
        "paginate_path",
        "a section lists all its pages on one page: remove the key",
    ),
    (
        "transparent",
        "a section lists its own pages only: remove the key",
    ),
    ("page_template", "set `template` in each page instead"),
    (
        "generate_feeds",
        "every dated page goes into `atom.xml`: remove the key",
    ),
    (
        "generate_feed",
        "every dated page goes into `atom.xml`: remove the key",
    ),
    (
        "path",
        "set `slug` for the last segment, and `aliases` for old URLs",
    ),
    (
        "url",
        "set `slug` for the last segment, and `aliases` for old URLs",
    ),
    ("lastmod", "write it as `updated`"),
    ("publishDate", "write it as `date`"),
    (
        "summary",
        "write `description`, or put `<!-- more -->` after the summary in the body",
    ),
    (
        "toc",
        "the theme shows a table of contents when a page has three or more headings: remove the key",
    ),
    ("categories", "plumb has one taxonomy: list them in `tags`"),
    ("layout", "name the template with `template`"),
    ("type", "name the template with `template`"),
    (
        "authors",
        "put it under `[extra]`, where templates read it as `page.extra.authors`",
    ),
    ("keywords", "put it under `[extra]`"),
    ("linkTitle", "put it under `[extra]`"),
];

/// A date in front matter: a TOML date or date-time (`2024-05-31`, `2024-05-31T08:00:00Z`), or
/// the same written as a string. Dates compare by the instant they name (`08:00+02:00` is
/// before `07:00Z`); a date or time without an offset counts as UTC.
#[derive(Debug, Clone, Copy)]
pub struct PageDate(Datetime);

impl PageDate {
    /// Seconds since 1970-01-01T00:00:00Z and nanoseconds: the instant, for ordering.
    fn instant(&self) -> (i64, u32) {
        let (days, seconds, nanos) = match (self.0.date, self.0.time) {
            (Some(d), time) => {
                let days = days_from_civil(i64::from(d.year), d.month.into(), d.day.into());
                let (seconds, nanos) = time.map_or((0, 0), |t| {
                    let seconds = i64::from(t.hour) * 3600
                        + i64::from(t.minute) * 60
                        + i64::from(t.second.unwrap_or(0));
                    (seconds, t.nanosecond.unwrap_or(0))
                });
                (days, seconds, nanos)
            }
            (None, _) => (0, 0, 0),
        };
        let offset = match self.0.offset {
            Some(Offset::Custom { minutes }) => i64::from(minutes) * 60,
            Some(Offset::Z) | None => 0,
        };
        (days * 86_400 + seconds - offset, nanos)
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

impl PartialEq for PageDate {
    fn eq(&self, other: &Self) -> bool {
        self.instant() == other.instant()
    }
}

impl Eq for PageDate {}

impl PartialOrd for PageDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PageDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant().cmp(&other.instant())
    }
}

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

    /// A full RFC 3339 timestamp, as Atom and sitemaps want: seconds always written, midnight
    /// when the time is missing, UTC when the offset is.
    pub fn rfc3339(&self) -> String {
        let time = self.0.time.map_or_else(
            || "00:00:00".to_owned(),
            |t| {
                let fraction = t
                    .nanosecond
                    .map(|n| format!(".{n:09}").trim_end_matches('0').to_owned())
                    .filter(|f| f.len() > 1)
                    .unwrap_or_default();
                format!(
                    "{:02}:{:02}:{:02}{fraction}",
                    t.hour,
                    t.minute,
                    t.second.unwrap_or(0)
                )
            },
        );
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
        let fence_below = text[start..]
            .lines()
            .position(|line| !line.trim().is_empty())
            .filter(|&i| i > 0 && text[start..].lines().nth(i).map(str::trim_end) == Some(FENCE));
        let hint = if first_line == "---" {
            "front matter is TOML between `+++` lines; replace the `---` lines with `+++` and write the keys as TOML".to_owned()
        } else if let Some(blank) = fence_below {
            format!(
                "the `+++` must be the file's first line: remove the {} blank line{} above it",
                blank,
                if blank == 1 { "" } else { "s" }
            )
        } else {
            "add `+++` on the first line, then `title = \"...\"`, then `+++` on a line of its own"
                .to_owned()
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
        match toml_input::parse::<FrontMatter>(source, header, split.header.start) {
            Ok(front_matter) => {
                let front_matter = in_file(front_matter, split.header.start);
                return checked(source, header, split.header.start, front_matter)
                    .map(|meta| (meta, split.body));
            }
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| unterminated(source)))
}

/// `meta` parsed from a header at byte `offset` of its file, its spans made the file's.
fn in_file(mut meta: FrontMatter, offset: usize) -> FrontMatter {
    let moved = |value: &mut Spanned<String>| {
        let span = value.span();
        let text = std::mem::take(value.get_mut());
        *value = Spanned::new(span.start + offset..span.end + offset, text);
    };
    meta.slug.iter_mut().for_each(moved);
    meta.template.iter_mut().for_each(moved);
    meta.aliases.iter_mut().for_each(moved);
    meta.redirect_to.iter_mut().for_each(moved);
    meta
}

/// What the types cannot say: unknown keys, a missing or empty title, Zola's taxonomies.
fn checked(
    source: &Source,
    header: &str,
    offset: usize,
    mut meta: FrontMatter,
) -> Result<FrontMatter, Diagnostic> {
    let rules = toml_input::KeyRules {
        tables: &[("", toml_input::fields_of::<FrontMatter>())],
        foreign: FOREIGN_KEYS,
    };
    for diagnostic in toml_input::check_keys(source, header, offset, &rules) {
        if diagnostic.is_error() {
            return Err(diagnostic);
        }
        meta.warnings.push(diagnostic);
    }
    // A section that only redirects is never shown, and needs no title.
    if meta.title.trim().is_empty() && meta.redirect_to.is_none() {
        let hint = "every page needs a title for its heading, its tab and every link to it: write `title = \"...\"`";
        return Err(match toml_input::value_span(header, offset, "title") {
            Some(span) => Diagnostic::error("the title is empty").at(source, span),
            None => Diagnostic::error("the front matter has no `title`")
                .at(source, opening_fence(source)),
        }
        .with_hint(hint));
    }
    for (name, values) in std::mem::take(&mut meta.taxonomies) {
        if name == "tags" {
            meta.tags.extend(values);
        } else {
            meta.warnings.push(
                Diagnostic::warning(format!("plumb has no taxonomy `{name}`"))
                    .at(
                        source,
                        toml_input::value_span(header, offset, "taxonomies").unwrap_or(0..0),
                    )
                    .with_hint("plumb has one taxonomy, tags: list these in `tags`"),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    meta.tags
        .retain(|t| !t.trim().is_empty() && seen.insert(t.clone()));
    if let Some(tag) = meta.tags.iter().find(|t| slug::slugify(t).is_empty()) {
        let span = toml_input::value_span(header, offset, "tags")
            .or_else(|| toml_input::value_span(header, offset, "taxonomies"))
            .unwrap_or(0..0);
        return Err(Diagnostic::error(format!(
            "the tag `{tag}` has no letter or digit for its URL"
        ))
        .at(source, span)
        .with_hint("name tags with words, such as `pay` or `hours`"));
    }
    Ok(meta)
}

fn opening_fence(source: &Source) -> std::ops::Range<usize> {
    let start = if source.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    start..(start + FENCE.len()).min(source.text.len())
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
    fn blank_lines_before_the_fence_get_a_precise_hint() {
        check_err(
            "\n\n+++\ntitle = \"A\"\n+++\n",
            "a.md:1:1: error: missing front matter (hint: the `+++` must be the file's first line: remove the 2 blank lines above it)",
        );
    }

    #[test]
    fn a_missing_or_empty_title_is_a_located_error() {
        check_err(
            "+++\nweight = 1\n+++\n",
            "a.md:1:1: error: the front matter has no `title` (hint: every page needs a title for its heading, its tab and every link to it: write `title = \"...\"`)",
        );
        check_err(
            "+++\ntitle = \" \"\n+++\n",
            "a.md:2:9: error: the title is empty (hint: every page needs a title for its heading, its tab and every link to it: write `title = \"...\"`)",
        );
    }

    #[test]
    fn other_generators_keys_warn_and_zola_taxonomies_become_tags() {
        let source = Source::new(
            "a.md",
            "+++\ntitle = \"A\"\nsort_by = \"date\"\ntags = [\"pay\"]\n[taxonomies]\ntags = [\"pay\", \"time\"]\n+++\n",
        );
        let (meta, _) = parse(&source).unwrap();
        assert_eq!(meta.tags, ["pay", "time"]);
        let warnings: Vec<String> = meta.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "a.md:3:1: warning: `sort_by` has no use in plumb (hint: pages are ordered by `weight`, then date, then title: give pages a `weight`)"
            ]
        );
    }

    #[test]
    fn a_tag_without_letters_is_an_error() {
        check_err(
            "+++\ntitle = \"A\"\ntags = [\"pay\", \"!!!\"]\n+++\n",
            "a.md:3:8: error: the tag `!!!` has no letter or digit for its URL (hint: name tags with words, such as `pay` or `hours`)",
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
            "+++\ntitle = \"A\"\ndate = 2024-05-31\nupdated = \"2024-06-01T10:00:00+02:00\"\n+++\n",
        );
        let (fm, _) = parse(&source).unwrap();
        assert_eq!(fm.date.unwrap().rfc3339(), "2024-05-31T00:00:00Z");
        assert_eq!(fm.updated.unwrap().rfc3339(), "2024-06-01T10:00:00+02:00");
    }

    fn date(text: &str) -> PageDate {
        let source = Source::new("a.md", format!("+++\ntitle = \"A\"\ndate = {text}\n+++\n"));
        parse(&source).unwrap().0.date.unwrap()
    }

    #[test]
    fn dates_with_offsets_order_by_instant() {
        let mut dates: Vec<PageDate> = [
            "2024-05-31T05:00:00Z",
            "2024-05-31T08:00:00-02:00",
            "2024-05-31T11:00:00Z",
            "2024-05-31T07:00:00Z",
            "2024-05-31T08:00:00+02:00",
            "2024-05-31T09:00:00Z",
        ]
        .into_iter()
        .map(date)
        .collect();
        dates.sort_by(|a, b| b.cmp(a));
        let order: Vec<String> = dates.iter().map(PageDate::rfc3339).collect();
        assert_eq!(
            order,
            [
                "2024-05-31T11:00:00Z",
                "2024-05-31T08:00:00-02:00",
                "2024-05-31T09:00:00Z",
                "2024-05-31T07:00:00Z",
                "2024-05-31T08:00:00+02:00",
                "2024-05-31T05:00:00Z",
            ]
        );
        assert!(date("2024-05-31T08:00:00+02:00") == date("2024-05-31T06:00:00Z"));
        assert!(date("2023-12-31") < date("2024-01-01T00:00:01Z"));
    }

    #[test]
    fn feed_dates_always_have_seconds() {
        assert_eq!(
            date("\"2024-05-31 08:00\"").rfc3339(),
            "2024-05-31T08:00:00Z"
        );
        assert_eq!(date("2024-05-31T08:00Z").rfc3339(), "2024-05-31T08:00:00Z");
        assert_eq!(
            date("2024-05-31T08:00:00.250+02:00").rfc3339(),
            "2024-05-31T08:00:00.25+02:00"
        );
    }

    #[test]
    fn invalid_date_is_an_error() {
        check_err(
            "+++\ndate = \"2024-13-45\"\n+++\n",
            "a.md:2:8: error: invalid date `2024-13-45` (hint: write dates as 2024-05-31 or 2024-05-31T08:00:00Z)",
        );
    }
}
