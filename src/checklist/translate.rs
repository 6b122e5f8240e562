//! A criteria file's translation (`independence.es.toml` beside `independence.toml`): only the
//! texts, keyed by the original's ids, laid over the original's parsed model.
//!
//! Structure, ids, points, holders, conditions and links always come from the original, so a
//! translated checklist scores exactly as the original does. Every id of the translation must
//! exist in the original, every list must have the original's length, and every text of the
//! original must be translated (an error, or a warning when drafts are built). Pure: the
//! caller reads the files.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::model::{CriteriaFile, StepDef};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity, Source, suggest};

/// A translation file as written. Ids are keys with their spans, for the errors that name
/// an id the original does not have.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Translation {
    title: Option<String>,
    intro: Option<String>,
    #[serde(default)]
    holders: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    dimensions: BTreeMap<Spanned<String>, DimensionText>,
    #[serde(default)]
    questions: BTreeMap<Spanned<String>, QuestionText>,
    #[serde(default)]
    bands: BTreeMap<Spanned<String>, BandText>,
    #[serde(default)]
    findings: BTreeMap<Spanned<String>, FindingText>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DimensionText {
    title: Option<String>,
    description: Option<String>,
    texts: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionText {
    text: Option<String>,
    help: Option<String>,
    control_point: Option<String>,
    find_out: Option<String>,
    risk: Option<String>,
    #[serde(default)]
    options: BTreeMap<Spanned<String>, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BandText {
    title: Option<String>,
    summary: Option<String>,
    next_steps: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingText {
    text: Option<String>,
}

/// Lays the texts of `translation` over `original`. An untranslated text is an error, or a
/// warning (keeping the original's text) when `drafts` is set; the warnings come back with
/// the translated model.
pub(super) fn apply(
    mut original: CriteriaFile,
    translation: &Source,
    drafts: bool,
) -> Result<(CriteriaFile, Vec<Diagnostic>), Diagnostics> {
    let words: Translation = crate::toml_input::parse(translation, &translation.text, 0)?;
    let mut check = Check {
        source: translation,
        untranslated: if drafts {
            Severity::Warning
        } else {
            Severity::Error
        },
        found: Vec::new(),
    };
    check.unknown_ids(&original, &words);
    let Translation {
        title,
        intro,
        mut holders,
        mut dimensions,
        mut questions,
        mut bands,
        mut findings,
    } = words;
    check.text(original.title.get_mut(), title, &[], "title");
    if !original.intro.is_empty() {
        check.text(&mut original.intro, intro, &[], "intro");
    }
    for (name, holder) in [
        ("you", &mut original.holders.you),
        ("shared", &mut original.holders.shared),
        ("platform", &mut original.holders.platform),
        ("unknown", &mut original.holders.unknown),
    ] {
        // A holder the original leaves to plumb's default name may be named here too.
        match (holder, holders.remove(name)) {
            (Some(holder), given) => check.text(holder.get_mut(), given, &["holders"], name),
            (holder, Some(given)) => *holder = Some(Spanned::new(0..0, given)),
            (None, None) => {}
        }
    }
    for dimension in &mut original.dimensions {
        let id = dimension.id.get_ref().clone();
        let words = dimensions.remove(id.as_str()).unwrap_or_default();
        let at = ["dimensions", id.as_str()];
        check.text(dimension.title.get_mut(), words.title, &at, "title");
        if !dimension.description.is_empty() {
            check.text(
                &mut dimension.description,
                words.description,
                &at,
                "description",
            );
        }
        if !dimension.texts.is_empty() {
            let mut texts: Vec<&mut String> = dimension
                .texts
                .iter_mut()
                .map(|range| range.text.get_mut())
                .collect();
            check.list(&mut texts, words.texts, &at, "texts");
        }
    }
    for question in &mut original.questions {
        let id = question.id.get_ref().clone();
        let mut words = questions.remove(id.as_str()).unwrap_or_default();
        let at = ["questions", id.as_str()];
        check.text(question.text.get_mut(), words.text, &at, "text");
        if !question.help.is_empty() {
            check.text(&mut question.help, words.help, &at, "help");
        }
        for (key, text, given) in [
            (
                "control_point",
                &mut question.control_point,
                words.control_point,
            ),
            ("find_out", &mut question.find_out, words.find_out),
            ("risk", &mut question.risk, words.risk),
        ] {
            if let Some(text) = text {
                check.text(text, given, &at, key);
            }
        }
        let at = ["questions", id.as_str(), "options"];
        for option in question.options.get_mut() {
            let option_id = option.id.get_ref().clone();
            let given = words.options.remove(option_id.as_str());
            check.text(option.label.get_mut(), given, &at, &option_id);
        }
    }
    for band in &mut original.bands {
        let id = band.id.get_ref().clone();
        let words = bands.remove(id.as_str()).unwrap_or_default();
        let at = ["bands", id.as_str()];
        check.text(band.title.get_mut(), words.title, &at, "title");
        check.text(band.summary.get_mut(), words.summary, &at, "summary");
        if !band.next_steps.is_empty() {
            let mut texts: Vec<&mut String> = band
                .next_steps
                .iter_mut()
                .map(|step| match step {
                    StepDef::Text(text) => text,
                    StepDef::Linked(linked) => &mut linked.text,
                })
                .collect();
            check.list(&mut texts, words.next_steps, &at, "next_steps");
        }
    }
    for finding in &mut original.findings {
        let id = finding.id.get_ref().clone();
        let words = findings.remove(id.as_str()).unwrap_or_default();
        check.text(
            finding.text.get_mut(),
            words.text,
            &["findings", &id],
            "text",
        );
    }
    let (errors, warnings): (Vec<_>, Vec<_>) =
        check.found.into_iter().partition(Diagnostic::is_error);
    if errors.is_empty() {
        Ok((original, warnings))
    } else {
        Err(errors.into_iter().collect())
    }
}

/// What checking a translation found, as it goes.
struct Check<'a> {
    source: &'a Source,
    untranslated: Severity,
    found: Vec<Diagnostic>,
}

impl Check<'_> {
    /// Replaces `text` by its translation, or reports it untranslated.
    fn text(&mut self, text: &mut String, given: Option<String>, table: &[&str], key: &str) {
        match given {
            Some(given) => *text = given,
            None => self.missing(table, key),
        }
    }

    /// Replaces each text of a list by its translation, in order; the lists' lengths must
    /// agree.
    fn list(
        &mut self,
        texts: &mut [&mut String],
        given: Option<Spanned<Vec<String>>>,
        table: &[&str],
        key: &str,
    ) {
        let Some(given) = given else {
            self.missing(table, key);
            return;
        };
        let span = given.span();
        let given = given.into_inner();
        if given.len() != texts.len() {
            let mut path = table.to_vec();
            path.push(key);
            self.found.push(
                Diagnostic::error(format!(
                    "`{}` has {} texts, the original {}",
                    path.join("."),
                    given.len(),
                    texts.len()
                ))
                .at(self.source, span)
                .with_hint("translate each text of the original's list, in the same order"),
            );
            return;
        }
        for (text, given) in texts.iter_mut().zip(given) {
            **text = given;
        }
    }

    fn missing(&mut self, table: &[&str], key: &str) {
        let (message, hint) = if table.is_empty() {
            (
                format!("`{key}` is not translated"),
                format!("add `{key} = \"...\"` at the top of the file"),
            )
        } else {
            (
                format!("`{}.{key}` is not translated", table.join(".")),
                format!("add `{key} = \"...\"` under `[{}]`", table.join(".")),
            )
        };
        // The nearest table that is there, or the start of the file.
        let span = (0..=table.len())
            .rev()
            .find_map(|n| value_span(self.source, &table[..n]).filter(|_| n > 0))
            .map_or(0..0, |span| span.start..span.start);
        let hint = if self.untranslated == Severity::Warning {
            format!("{hint}; until then the original's text is shown")
        } else {
            format!("{hint}, or build with `--drafts` to publish it untranslated")
        };
        let diagnostic = match self.untranslated {
            Severity::Error => Diagnostic::error(message),
            Severity::Warning => Diagnostic::warning(message),
        };
        self.found
            .push(diagnostic.at(self.source, span).with_hint(hint));
    }

    /// Every id of the translation must be one of the original's.
    fn unknown_ids(&mut self, original: &CriteriaFile, words: &Translation) {
        let holders = ["you", "shared", "platform", "unknown"];
        let dimensions = ids(&original.dimensions, |d| &d.id);
        let questions = ids(&original.questions, |q| &q.id);
        let bands = ids(&original.bands, |b| &b.id);
        let findings = ids(&original.findings, |f| &f.id);
        for (table, given, known) in [
            (
                "holders",
                words.holders.keys().collect::<Vec<_>>(),
                holders.to_vec(),
            ),
            ("dimensions", words.dimensions.keys().collect(), dimensions),
            ("questions", words.questions.keys().collect(), questions),
            ("bands", words.bands.keys().collect(), bands),
            ("findings", words.findings.keys().collect(), findings),
        ] {
            for id in given {
                self.unknown_id(&[table], id, &known);
            }
        }
        for (id, question) in &words.questions {
            let Some(original) = original
                .questions
                .iter()
                .find(|q| q.id.get_ref() == id.get_ref())
            else {
                continue;
            };
            let known = ids(original.options.get_ref(), |o| &o.id);
            for option in question.options.keys() {
                self.unknown_id(&["questions", id.get_ref(), "options"], option, &known);
            }
        }
    }

    fn unknown_id(&mut self, table: &[&str], id: &Spanned<String>, known: &[&str]) {
        let span = id.span();
        let id = id.get_ref().as_str();
        if known.contains(&id) {
            return;
        }
        let hint = match suggest(id, known.iter().copied()) {
            Some(near) => format!(
                "did you mean `{near}`? the original's ids here: `{}`",
                known.join("`, `")
            ),
            None => format!("the original's ids here: `{}`", known.join("`, `")),
        };
        self.found.push(
            Diagnostic::error(format!(
                "unknown id `{id}` in `[{}]`: the original has no such id",
                table.join(".")
            ))
            .at(self.source, span)
            .with_hint(hint),
        );
    }
}

/// The span of the value at `path` (`["questions", "schedule"]`) in a TOML text: where a
/// missing text's table is.
fn value_span(source: &Source, path: &[&str]) -> Option<Range<usize>> {
    let document = DeTable::parse(&source.text).ok()?;
    let mut table = document.get_ref();
    let mut found = None;
    for (depth, name) in path.iter().enumerate() {
        let (_, value) = table.iter().find(|(key, _)| key.get_ref() == name)?;
        found = Some(value.span());
        if depth + 1 < path.len() {
            let DeValue::Table(inner) = value.get_ref() else {
                return None;
            };
            table = inner;
        }
    }
    found
}

/// The ids of the original's `items`, as `id` reads each.
fn ids<T>(items: &[T], id: impl Fn(&T) -> &Spanned<String>) -> Vec<&str> {
    items
        .iter()
        .map(|item| id(item).get_ref().as_str())
        .collect()
}
