//! Typed TOML parsing that turns every failure into a [`Diagnostic`] pointing at the right place.
//!
//! Config, front matter and criteria files all come through here, so an unknown key gets the
//! same "did you mean" hint everywhere. `offset` maps a span in an embedded TOML block (front
//! matter) back to its place in the whole file.

use std::ops::Range;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Source, suggest};

/// Parses `text`, which starts at byte `offset` of `source`, into `T`.
pub(crate) fn parse<T: DeserializeOwned>(
    source: &Source,
    text: &str,
    offset: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|err| to_diagnostic(source, offset, &err))
}

/// The keys a serde struct accepts, read from its derived `Deserialize` (so the list of known
/// keys is the struct itself, written once).
pub(crate) fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that only records the field names a struct asks for.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only structs have fields"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("fields recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Which keys a TOML text may hold: the known keys of the top level (`""`) and of named
/// tables, and keys other generators know, each with what to do instead in plumb.
pub(crate) struct KeyRules<'a> {
    pub tables: &'a [(&'a str, &'static [&'static str])],
    /// Dotted key (`sort_by`, `markdown.render_emoji`) -> advice. These are warnings.
    pub foreign: &'a [(&'a str, &'a str)],
}

/// Every key of `text` (at byte `offset` of `source`) that `rules` do not know, in file order:
/// an error with "did you mean" for a key plumb does not know, a warning with advice for a key
/// another generator knows. A text that does not parse gives nothing here: the typed parse
/// reports it.
pub(crate) fn check_keys(
    source: &Source,
    text: &str,
    offset: usize,
    rules: &KeyRules<'_>,
) -> Vec<Diagnostic> {
    let Ok(document) = DeTable::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for &(table, known) in rules.tables {
        let entries = if table.is_empty() {
            Some(document.get_ref())
        } else {
            document
                .get_ref()
                .iter()
                .find(|(k, _)| k.get_ref() == table)
                .and_then(|(_, v)| match v.get_ref() {
                    DeValue::Table(t) => Some(t),
                    _ => None,
                })
        };
        for (key, _) in entries.into_iter().flatten() {
            let name: &str = key.get_ref();
            if known.contains(&name)
                || rules
                    .tables
                    .iter()
                    .any(|(t, _)| table.is_empty() && *t == name)
            {
                continue;
            }
            let dotted = if table.is_empty() {
                name.to_owned()
            } else {
                format!("{table}.{name}")
            };
            let span = key.span().start + offset..key.span().end + offset;
            found.push((
                span.start,
                unknown_key(source, span, &dotted, name, known, rules),
            ));
        }
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, d)| d).collect()
}

fn unknown_key(
    source: &Source,
    span: Range<usize>,
    dotted: &str,
    name: &str,
    known: &[&str],
    rules: &KeyRules<'_>,
) -> Diagnostic {
    if let Some((_, advice)) = rules.foreign.iter().find(|(k, _)| *k == dotted) {
        return Diagnostic::warning(format!("`{dotted}` has no use in plumb"))
            .at(source, span)
            .with_hint(*advice);
    }
    let diagnostic = Diagnostic::error(format!("unknown key `{name}`")).at(source, span);
    match suggest(name, known.iter().copied()) {
        Some(near) => diagnostic.with_hint(format!("did you mean `{near}`?")),
        None if known.is_empty() => diagnostic.with_hint("remove this key"),
        None => diagnostic.with_hint(format!("known keys here: `{}`", known.join("`, `"))),
    }
}

/// The span (in `source`) of the value of top-level `key` in `text`, which starts at `offset`.
pub(crate) fn value_span(text: &str, offset: usize, key: &str) -> Option<Range<usize>> {
    let document = DeTable::parse(text).ok()?;
    let (_, value) = document
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref() == key)?;
    let span = value.span();
    Some(span.start + offset..span.end + offset)
}

fn to_diagnostic(source: &Source, offset: usize, err: &toml::de::Error) -> Diagnostic {
    let span = err
        .span()
        .map_or(offset..offset, |s| s.start + offset..s.end + offset);
    let message = err.message().trim().to_owned();
    let diagnostic = Diagnostic::error(first_line(&message)).at(source, span);
    match unknown_field(&message) {
        Some((key, expected)) => {
            let known = expected.join("`, `");
            let diagnostic = Diagnostic::error(format!("unknown key `{key}`"))
                .at(source, diagnostic.location.map_or(0..0, |l| l.span));
            match suggest(key, expected.iter().copied()) {
                Some(near) => diagnostic.with_hint(format!("did you mean `{near}`?")),
                None if known.is_empty() => diagnostic.with_hint("remove this key"),
                None => diagnostic.with_hint(format!("known keys here: `{known}`")),
            }
        }
        None => diagnostic.with_hint(hint_for(&message)),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_owned()
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" into the key and the known keys.
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field ")?;
    let mut quoted = rest.split('`').skip(1).step_by(2);
    let key = quoted.next()?;
    Some((key, quoted.collect()))
}

fn hint_for(message: &str) -> &'static str {
    if message.starts_with("missing field") {
        "add the missing key"
    } else if message.starts_with("invalid type") {
        "check the value's type: strings need quotes, numbers and booleans do not"
    } else if message.contains("invalid date") || message.contains("datetime") {
        "write dates as 2024-05-31 or 2024-05-31T08:00:00Z"
    } else {
        "see the TOML syntax at the marked place"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        weight: Option<i64>,
    }

    fn check(text: &str, expected: &str) {
        let source = Source::new("x.toml", text);
        let err = parse::<Sample>(&source, text, 0).unwrap_err();
        assert_eq!(err.to_string(), expected);
    }

    #[test]
    fn unknown_key_names_key_line_and_nearest() {
        check(
            "title = 'a'\nwieght = 3\n",
            "x.toml:2:1: error: unknown key `wieght` (hint: did you mean `weight`?)",
        );
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        check(
            "title = 'a'\nweight = 'heavy'\n",
            "x.toml:2:10: error: invalid type: string \"heavy\", expected i64 (hint: check the value's type: strings need quotes, numbers and booleans do not)",
        );
    }

    const RULES: KeyRules<'static> = KeyRules {
        tables: &[
            ("", &["title", "weight", "markdown"]),
            ("markdown", &["smart"]),
        ],
        foreign: &[("sort_by", "order pages with `weight`")],
    };

    fn check_keys_of(text: &str) -> Vec<String> {
        let source = Source::new("x.toml", text);
        check_keys(&source, text, 0, &RULES)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn every_unknown_key_is_reported_in_file_order() {
        assert_eq!(
            check_keys_of(
                "zeta = 1
title = 'a'
wieght = 2
[markdown]
smrt = true
"
            ),
            [
                "x.toml:1:1: error: unknown key `zeta` (hint: known keys here: `title`, `weight`, `markdown`)",
                "x.toml:3:1: error: unknown key `wieght` (hint: did you mean `weight`?)",
                "x.toml:5:1: error: unknown key `smrt` (hint: did you mean `smart`?)",
            ]
        );
    }

    #[test]
    fn other_generators_keys_are_warnings_with_advice() {
        assert_eq!(
            check_keys_of(
                "sort_by = 'date'
"
            ),
            [
                "x.toml:1:1: warning: `sort_by` has no use in plumb (hint: order pages with `weight`)"
            ]
        );
    }

    #[test]
    fn a_structs_fields_are_its_known_keys() {
        assert_eq!(fields_of::<Sample>(), ["title", "weight"]);
    }

    #[test]
    fn syntax_error_has_position() {
        let source = Source::new("x.toml", "title = \n");
        let err = parse::<Sample>(&source, "title = \n", 0).unwrap_err();
        assert!(err.to_string().starts_with("x.toml:1:"), "{err}");
    }
}
