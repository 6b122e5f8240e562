//! Typed TOML parsing that turns every failure into a [`Diagnostic`] pointing at the right place.
//!
//! Config, front matter and criteria files all come through here, so an unknown key gets the
//! same "did you mean" hint everywhere. `offset` maps a span in an embedded TOML block (front
//! matter) back to its place in the whole file.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Source, suggest};

/// Parses `text`, which starts at byte `offset` of `source`, into `T`.
pub fn parse<T: DeserializeOwned>(
    source: &Source,
    text: &str,
    offset: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|err| to_diagnostic(source, offset, &err))
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

    #[test]
    fn syntax_error_has_position() {
        let source = Source::new("x.toml", "title = \n");
        let err = parse::<Sample>(&source, "title = \n", 0).unwrap_err();
        assert!(err.to_string().starts_with("x.toml:1:"), "{err}");
    }
}
