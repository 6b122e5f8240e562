//! The words of the theme in each language of the site: `themes/<theme>/i18n/<code>.toml`,
//! read once per build and served to templates by `t(key="nav.contents", lang=lang)`.
//!
//! The default language's file is the reference: every other language's file must hold each
//! of its keys and no other, or the build fails naming the file and the key. A theme without an
//! `i18n/` folder has no words to translate, and `t()` then fails naming the file it looked for.
//! This module reads files only in [`Words::load`]; looking a word up does no I/O.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::Value;
use toml::de::{DeTable, DeValue};

use crate::config::Config;
use crate::config::languages::primary_subtag;
use crate::diagnostic::{Diagnostic, Diagnostics, Source, suggest};

/// Every language's words, by code, then by dotted key (`checklist.reset`).
#[derive(Debug, Default)]
pub struct Words {
    by_language: HashMap<String, Language>,
    /// The theme's `i18n/` folder as authors know it, for messages.
    folder: PathBuf,
}

#[derive(Debug, Default)]
struct Language {
    words: BTreeMap<String, String>,
}

impl Words {
    /// Reads the theme's translation file of each of the site's languages. `dir` is the theme's
    /// folder on disk, `shown` as authors know it (`themes/guide`).
    pub fn load(config: &Config, dir: &Path, shown: &Path) -> Result<Self, Diagnostics> {
        let folder = shown.join("i18n");
        let mut words = Self {
            by_language: HashMap::new(),
            folder: folder.clone(),
        };
        if !dir.join("i18n").is_dir() {
            return Ok(words);
        }
        let mut diagnostics = Diagnostics::default();
        let mut sources = Vec::new();
        for language in &config.languages {
            let name = format!("{}.toml", language.code);
            let path = dir.join("i18n").join(&name);
            let shown = folder.join(&name);
            if !path.is_file() {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "the theme has no words for the language `{}`",
                        language.code
                    ))
                    .in_file(&shown)
                    .with_hint(format!(
                        "copy `{}` to `{}` and translate each value",
                        folder
                            .join(format!("{}.toml", config.default_language()))
                            .display(),
                        shown.display()
                    )),
                );
                continue;
            }
            match crate::content::read_text(&path, &shown) {
                Ok(text) => {
                    let source = Source::new(shown, text);
                    match flatten(&source) {
                        Ok(flat) => {
                            sources.push((language.code.clone(), source, flat));
                        }
                        Err(d) => diagnostics.push(d),
                    }
                }
                Err(d) => diagnostics.push(d),
            }
        }
        if let Some((_, reference_source, reference)) = sources.first() {
            for (_, source, flat) in &sources[1..] {
                diagnostics.extend(compare(reference_source, reference, source, flat));
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        for (code, _, flat) in sources {
            let found = flat
                .into_iter()
                .map(|(key, (text, _))| (key, text))
                .collect();
            words.by_language.insert(code, Language { words: found });
        }
        Ok(words)
    }

    /// The word `key` in the language of `tag` (`es`, `en-US`).
    pub fn get(&self, tag: &str, key: &str) -> Result<&str, String> {
        let code = primary_subtag(tag);
        let file = self.folder.join(format!("{code}.toml"));
        let Some(language) = self.by_language.get(&code) else {
            return Err(format!(
                "t(key=\"{key}\", lang=\"{tag}\"): `{}` does not exist",
                file.display()
            ));
        };
        language.words.get(key).map(String::as_str).ok_or_else(|| {
            let hint = match suggest(key, language.words.keys().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("add `{key}` to `{}`", file.display()),
            };
            format!(
                "t(key=\"{key}\"): `{}` has no key `{key}` ({hint})",
                file.display()
            )
        })
    }

    /// Every word of language `tag` whose key starts with `prefix` and a dot, by the rest of
    /// the key: what a script receives from its page.
    pub fn group(&self, tag: &str, prefix: &str) -> BTreeMap<String, String> {
        let start = format!("{prefix}.");
        self.by_language
            .get(&primary_subtag(tag))
            .map(|language| {
                language
                    .words
                    .iter()
                    .filter_map(|(key, text)| {
                        key.strip_prefix(&start)
                            .map(|rest| (rest.to_owned(), text.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The template function `t(key=..., lang=...)`.
    pub fn function(self: Arc<Self>) -> impl tera::Function {
        move |args: &HashMap<String, Value>| {
            let key = match args.get("key") {
                Some(Value::String(key)) => key,
                _ => return Err(tera::Error::msg("t() needs a string argument `key`")),
            };
            let lang = match args.get("lang") {
                Some(Value::String(lang)) => lang,
                _ => {
                    return Err(tera::Error::msg(format!(
                        "t(key=\"{key}\") needs the page's language: write `t(key=\"{key}\", lang=lang)`"
                    )));
                }
            };
            self.get(lang, key)
                .map(|text| Value::String(text.to_owned()))
                .map_err(tera::Error::msg)
        }
    }
}

/// A translation file's words by dotted key, each with the span of its key.
type Flat = BTreeMap<String, (String, std::ops::Range<usize>)>;

/// Reads a translation file: tables of strings, any depth, read as dotted keys.
fn flatten(source: &Source) -> Result<Flat, Diagnostic> {
    let document = DeTable::parse(&source.text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        Diagnostic::error(err.message().trim().to_owned())
            .at(source, span)
            .with_hint("a translation file is TOML: `key = \"words\"` under `[tables]`")
    })?;
    let mut flat = Flat::new();
    let mut stack = vec![(String::new(), document.get_ref())];
    while let Some((prefix, table)) = stack.pop() {
        for (key, value) in table {
            let dotted = if prefix.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{prefix}.{}", key.get_ref())
            };
            match value.get_ref() {
                DeValue::String(text) => {
                    flat.insert(dotted, (text.to_string(), key.span()));
                }
                DeValue::Table(inner) => stack.push((dotted, inner)),
                _ => {
                    return Err(Diagnostic::error(format!("`{dotted}` is not text"))
                        .at(source, value.span())
                        .with_hint("every value of a translation file is a string in quotes"));
                }
            }
        }
    }
    Ok(flat)
}

/// A language's file against the default language's: each key missing from it, and each key
/// the default does not have.
fn compare(
    reference_source: &Source,
    reference: &Flat,
    source: &Source,
    flat: &Flat,
) -> Vec<Diagnostic> {
    let missing = reference
        .iter()
        .filter(|(key, _)| !flat.contains_key(*key))
        .map(|(key, (text, span))| {
            Diagnostic::error(format!("`{}` has no key `{key}`", source.path.display()))
                .at(reference_source, span.clone())
                .with_hint(format!(
                    "add `{key}` to `{}`: it says \"{text}\" in `{}`",
                    source.path.display(),
                    reference_source.path.display()
                ))
        });
    let unknown = flat
        .iter()
        .filter(|(key, _)| !reference.contains_key(*key))
        .map(|(key, (_, span))| {
            let hint = match suggest(key, reference.keys().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "remove it, or add it to `{}` first",
                    reference_source.path.display()
                ),
            };
            Diagnostic::error(format!(
                "unknown key `{key}`: `{}` has no such key",
                reference_source.path.display()
            ))
            .at(source, span.clone())
            .with_hint(hint)
        });
    missing.chain(unknown).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(text: &str) -> (Source, Flat) {
        let source = Source::new("themes/t/i18n/x.toml", text);
        let flat = flatten(&source).unwrap();
        (source, flat)
    }

    fn check(reference: &str, other: &str, expected: &[&str]) {
        let (reference_source, reference) = flat(reference);
        let other_source = Source::new("themes/t/i18n/es.toml", other);
        let other = flatten(&other_source).unwrap();
        let found: Vec<String> = compare(&reference_source, &reference, &other_source, &other)
            .iter()
            .map(ToString::to_string)
            .collect();
        let found: Vec<&str> = found.iter().map(String::as_str).collect();
        assert_eq!(found.len(), expected.len(), "{found:?}");
        for (found, expected) in found.iter().zip(expected) {
            assert!(found.starts_with(expected), "{found}");
        }
    }

    #[test]
    fn tables_read_as_dotted_keys() {
        let (_, words) = flat("[nav]\ncontents = 'Contents'\n[a.b]\nc = 'deep'\n");
        let keys: Vec<&str> = words.keys().map(String::as_str).collect();
        assert_eq!(keys, ["a.b.c", "nav.contents"]);
    }

    #[test]
    fn a_missing_or_unknown_key_names_the_file_and_the_key() {
        check(
            "[nav]\ncontents = 'Contents'\nskip = 'Skip'\n",
            "[nav]\ncontents = 'Índice'\nskp = 'Saltar'\n",
            &[
                "themes/t/i18n/x.toml:3:1: error: `themes/t/i18n/es.toml` has no key `nav.skip`",
                "themes/t/i18n/es.toml:3:1: error: unknown key `nav.skp`",
            ],
        );
        check("a = 'A'\n", "a = 'A'\n", &[]);
    }
}
