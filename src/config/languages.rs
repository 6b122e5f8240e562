//! The languages a site publishes in: the default one (`language`) and each `[languages.xx]`
//! table of `site.toml`, checked into [`Language`]s.
//!
//! This module owns the rule for language codes (a BCP 47 primary subtag: two or three
//! lowercase ASCII letters) and where each language's pages live (`/` for the default, `/xx/`
//! for the others). It reads nothing but the text of `site.toml` it is given.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Diagnostics, Source};

/// A `[languages.xx]` table of `site.toml` as the author wrote it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageToml {
    /// The site's name in this language.
    pub title: String,
    /// The site's one-sentence description in this language.
    #[serde(default)]
    pub description: String,
    /// The language's own name, shown in the language switcher (`Español`); the code if absent.
    pub name: Option<String>,
}

/// One language of the site, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The BCP 47 primary subtag: `en`, `es`.
    pub code: String,
    /// The language's own name, for the switcher (`name` of its table); when absent, the
    /// theme's translation of `language.name` is used.
    pub name: Option<String>,
    pub title: String,
    pub description: String,
}

impl Language {
    /// Where this language's home page is: `/` for the site's default, `/xx/` for the others.
    pub fn home(&self, default: &str) -> String {
        if self.code == default {
            "/".to_owned()
        } else {
            format!("/{}/", self.code)
        }
    }
}

/// Whether `code` is a language code plumb accepts: a BCP 47 primary subtag, two or three
/// lowercase ASCII letters (`es`, `fil`).
pub fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// The primary subtag of a BCP 47 tag: `en-US` -> `en`.
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase()
}

/// The site's languages, the default first, the others in file order. `source` is `site.toml`,
/// read for the position of each table's name.
pub fn resolve(
    default: Language,
    tables: BTreeMap<String, LanguageToml>,
    source: &Source,
) -> Result<Vec<Language>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let mut languages = vec![default];
    let mut ordered: Vec<(usize, String, LanguageToml)> = tables
        .into_iter()
        .map(|(code, table)| {
            let at = code_span(source, &code).map_or(0, |span| span.start);
            (at, code, table)
        })
        .collect();
    ordered.sort_by_key(|(at, _, _)| *at);
    for (_, code, table) in ordered {
        let span = code_span(source, &code).unwrap_or(0..0);
        if !is_language_code(&code) {
            diagnostics.push(
                Diagnostic::error(format!("`{code}` is not a language code"))
                    .at(source, span)
                    .with_hint("name a language by its two- or three-letter BCP 47 code in lowercase: `[languages.es]`, `[languages.fr]`"),
            );
            continue;
        }
        if code == languages[0].code {
            diagnostics.push(
                Diagnostic::error(format!("`{code}` is already the site's `language`"))
                    .at(source, span)
                    .with_hint("`[languages.xx]` tables are for the other languages: remove this one, or change `language`"),
            );
            continue;
        }
        languages.push(Language {
            name: table.name,
            code,
            title: table.title,
            description: table.description,
        });
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(languages)
}

/// The span of `code`'s name in `[languages.code]` (or `languages = { code = ... }`).
fn code_span(source: &Source, code: &str) -> Option<std::ops::Range<usize>> {
    let document = DeTable::parse(&source.text).ok()?;
    let (_, languages) = document
        .get_ref()
        .iter()
        .find(|(key, _)| key.get_ref() == "languages")?;
    let DeValue::Table(table) = languages.get_ref() else {
        return None;
    };
    table
        .iter()
        .find(|(key, _)| key.get_ref() == code)
        .map(|(key, _)| key.span())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Language {
        Language {
            code: "en".to_owned(),
            name: None,
            title: "Guide".to_owned(),
            description: String::new(),
        }
    }

    fn check(text: &str, expected: Result<&[&str], &str>) {
        let source = Source::new("site.toml", text);
        #[derive(Deserialize)]
        struct Only {
            #[serde(default)]
            languages: BTreeMap<String, LanguageToml>,
        }
        let only: Only = toml::from_str(text).unwrap();
        match (resolve(english(), only.languages, &source), expected) {
            (Ok(languages), Ok(codes)) => {
                let found: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
                assert_eq!(found, codes);
            }
            (Err(errors), Err(message)) => {
                let first = errors.iter().next().unwrap().to_string();
                assert!(first.starts_with(message), "{first}");
            }
            (found, _) => panic!("unexpected: {found:?}"),
        }
    }

    #[test]
    fn languages_keep_their_file_order_after_the_default() {
        check(
            "[languages.fr]\ntitle = 'Guide'\n[languages.es]\ntitle = 'Guía'\n",
            Ok(&["en", "fr", "es"]),
        );
    }

    #[test]
    fn a_code_that_is_no_primary_subtag_is_located() {
        check(
            "[languages.spanish]\ntitle = 'Guía'\n",
            Err("site.toml:1:12: error: `spanish` is not a language code"),
        );
        check(
            "[languages.en]\ntitle = 'Guide'\n",
            Err("site.toml:1:12: error: `en` is already the site's `language`"),
        );
    }

    #[test]
    fn primary_subtags_of_tags() {
        assert_eq!(primary_subtag("en-US"), "en");
        assert_eq!(primary_subtag("es"), "es");
        assert!(is_language_code("fil") && !is_language_code("E") && !is_language_code("es-MX"));
    }
}
