//! The words readers see that are not content, in each language of the site: plumb's own
//! (the checklist's form and script, `src/assets/i18n/<code>.toml`, in the languages plumb
//! ships), then the theme's `themes/<theme>/i18n/<code>.toml` over them. Templates read them
//! with `t(key="nav.contents", lang=lang)`; the checklist script gets its group from its page.
//!
//! The default language's words are the reference: every other language must have each of its
//! keys and no other, or the build fails naming the file and the key. A theme with an `i18n/`
//! folder must have a file for each of the site's languages. This module reads files only in
//! [`Words::load`]; looking a word up does no I/O.

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
    /// Reads the words of each of the site's languages: plumb's own (the checklist's, in the
    /// languages plumb ships), then the theme's `i18n/<code>.toml` over them. `dir` is the
    /// theme's folder on disk, `shown` as authors know it (`themes/guide`).
    pub fn load(config: &Config, dir: &Path, shown: &Path) -> Result<Self, Diagnostics> {
        let folder = shown.join("i18n");
        let themed = dir.join("i18n").is_dir();
        let mut diagnostics = Diagnostics::default();
        let mut found: Vec<(String, PathBuf, Flat)> = Vec::new();
        for language in &config.languages {
            let code = language.code.as_str();
            let theme_file = folder.join(format!("{code}.toml"));
            let mut flat = Flat::new();
            let mut built_in = BUILT_IN.iter().find(|(c, _)| *c == code);
            // A default language plumb has no words for keeps the English ones it always had.
            if built_in.is_none() && code == config.default_language() && !themed {
                built_in = BUILT_IN.first();
            }
            if let Some((c, text)) = built_in {
                let source = Source::new(format!("(built-in) i18n/{c}.toml"), *text);
                match flatten(&source) {
                    Ok(words) => flat.extend(words),
                    Err(d) => diagnostics.push(d),
                }
            }
            let path = dir.join("i18n").join(format!("{code}.toml"));
            if themed && !path.is_file() {
                diagnostics.push(
                    Diagnostic::error(format!("the theme has no words for the language `{code}`"))
                        .in_file(&theme_file)
                        .with_hint(format!(
                            "copy `{}` to `{}` and translate each value",
                            folder
                                .join(format!("{}.toml", config.default_language()))
                                .display(),
                            theme_file.display()
                        )),
                );
                continue;
            }
            if themed {
                match crate::content::read_text(&path, &theme_file) {
                    Ok(text) => match flatten(&Source::new(theme_file.clone(), text)) {
                        Ok(words) => flat.extend(words),
                        Err(d) => diagnostics.push(d),
                    },
                    Err(d) => diagnostics.push(d),
                }
            }
            if !flat.is_empty() {
                found.push((code.to_owned(), theme_file, flat));
            }
        }
        if let Some((_, _, reference)) = found.first() {
            for (_, file, flat) in &found[1..] {
                diagnostics.extend(compare(reference, file, flat));
            }
        }
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let by_language = found
            .into_iter()
            .map(|(code, _, flat)| {
                let words = flat
                    .into_iter()
                    .map(|(key, word)| (key, word.text))
                    .collect();
                (code, Language { words })
            })
            .collect();
        Ok(Self {
            by_language,
            folder,
        })
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

/// The checklist's words plumb ships, by language; the first is the fallback of a default
/// language plumb has no words for.
const BUILT_IN: [(&str, &str); 2] = [
    ("en", include_str!("../assets/i18n/en.toml")),
    ("es", include_str!("../assets/i18n/es.toml")),
];

/// A language's words by dotted key.
type Flat = BTreeMap<String, Word>;

/// One word, with where it was written.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    source: Source,
    span: std::ops::Range<usize>,
}

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
                    let word = Word {
                        text: text.to_string(),
                        source: source.clone(),
                        span: key.span(),
                    };
                    flat.insert(dotted, word);
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

/// A language's words against the default language's: each key missing from them (to add to
/// `file`, the language's file in the theme), and each key the default does not have.
fn compare(reference: &Flat, file: &Path, flat: &Flat) -> Vec<Diagnostic> {
    let missing = reference
        .iter()
        .filter(|(key, _)| !flat.contains_key(*key))
        .map(|(key, word)| {
            Diagnostic::error(format!("`{}` has no key `{key}`", file.display()))
                .at(&word.source, word.span.clone())
                .with_hint(format!(
                    "add `{key}` to `{}`: it says \"{}\" in `{}`",
                    file.display(),
                    word.text,
                    word.source.path.display()
                ))
        });
    let unknown = flat
        .iter()
        .filter(|(key, _)| !reference.contains_key(*key))
        .map(|(key, word)| {
            let hint = match suggest(key, reference.keys().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "remove it, or add it to the default language's file first".to_owned(),
            };
            Diagnostic::error(format!(
                "unknown key `{key}`: the default language has no such key"
            ))
            .at(&word.source, word.span.clone())
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
        let (_, reference) = flat(reference);
        let other_source = Source::new("themes/t/i18n/es.toml", other);
        let other = flatten(&other_source).unwrap();
        let found: Vec<String> = compare(&reference, &other_source.path, &other)
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
                "themes/t/i18n/es.toml:3:1: error: unknown key `nav.skp`: the default language has no such key (hint: did you mean `nav.skip`?)",
            ],
        );
        check("a = 'A'\n", "a = 'A'\n", &[]);
    }
}
