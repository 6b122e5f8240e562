//! Checklists: criteria files -> validated [`Checklist`] models -> an HTML form with the model as
//! JSON beside it, for the shared browser script to enhance.
//!
//! **Compiling a checklist is a pure function of its criteria file** (and, for the HTML, of the
//! theme's `checklist.html`). Scoring lives once, in [`score()`], as the reference the browser
//! script must agree with; the test vectors prove they do.

mod links;
mod model;
pub mod score;
mod translate;
mod validate;

use std::ops::Range;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Source};
pub use links::{LinkTarget, LinkUrls, resolve_links};
pub use model::{Holder, json_schema};
pub use score::{Answers, Outcome, score};

/// A validated checklist, as the browser script receives it (see `model_json`).
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub id: String,
    /// Where `id` is written in the criteria file.
    #[serde(skip)]
    pub id_span: std::ops::Range<usize>,
    pub version: u32,
    pub title: String,
    pub intro: String,
    pub dimensions: Vec<Dimension>,
    pub questions: Vec<Question>,
    pub bands: Vec<Band>,
    pub findings: Vec<Finding>,
    /// Answers the verdict waits for; `None`: every visible question that is not optional.
    pub min_answers: Option<u32>,
    pub show_points: bool,
    pub holders: HolderNames,
}

/// What the result calls each holder.
#[derive(Debug, Clone, Serialize)]
pub struct HolderNames {
    pub you: String,
    pub shared: String,
    pub platform: String,
    pub unknown: String,
}

impl HolderNames {
    /// The words for `holder`; `None` is not known.
    pub fn name(&self, holder: Option<Holder>) -> &str {
        match holder {
            Some(Holder::You) => &self.you,
            Some(Holder::Shared) => &self.shared,
            Some(Holder::Platform) => &self.platform,
            None => &self.unknown,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Dimension {
    pub id: String,
    pub title: String,
    pub description: String,
    pub weight: u32,
    pub texts: Vec<RangeText>,
}

impl Dimension {
    /// The index of the text for `score`, if one covers it.
    pub fn text_for(&self, score: u32) -> Option<usize> {
        self.texts
            .iter()
            .position(|t| t.min <= score && score <= t.max)
    }
}

/// Text for scores from `min` to `max`.
#[derive(Debug, Clone, Serialize)]
pub struct RangeText {
    pub min: u32,
    pub max: u32,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub dimension: String,
    pub text: String,
    pub help: String,
    pub weight: u32,
    pub control_point: Option<String>,
    pub find_out: Option<String>,
    pub risk: Option<String>,
    pub optional: bool,
    pub changed_in: u32,
    pub show_if: Option<ShowIf>,
    pub options: Vec<AnswerOption>,
}

impl Question {
    /// The most points an answer to this question can score.
    pub fn max_points(&self) -> u32 {
        self.options.iter().map(|o| o.points).max().unwrap_or(0)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ShowIf {
    pub question: String,
    pub answers: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerOption {
    pub id: String,
    pub label: String,
    pub points: u32,
    pub holder: Option<Holder>,
    pub carried_by: Option<Holder>,
    pub unsure: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Band {
    pub id: String,
    pub min: u32,
    pub max: u32,
    pub title: String,
    pub summary: String,
    pub next_steps: Vec<Step>,
}

/// A next step, with an optional link to a page of the site.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub text: String,
    pub link: Option<Link>,
}

/// A link to a content file as the criteria file wrote it (relative to the file), resolved to
/// a URL by [`resolve_links`] once every page's URL is known.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Link {
    pub path: String,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// A statement shown when the answers match its clauses.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    pub text: String,
    pub link: Option<Link>,
    /// Every one must hold.
    pub all: Vec<Clause>,
    /// One must hold, when there are any.
    pub any: Vec<Clause>,
}

/// One condition of a finding.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Clause {
    /// The question is shown and answered with one of `answers`.
    Answer {
        question: String,
        answers: Vec<String>,
    },
    /// The dimension has a score from `min` to `max`.
    Score {
        dimension: String,
        min: u32,
        max: u32,
    },
}

/// Parses and validates one criteria file.
pub fn parse(source: &Source) -> Result<Checklist, Diagnostics> {
    let raw: model::CriteriaFile = crate::toml_input::parse(source, &source.text, 0)?;
    validate::validate(raw, source)
}

/// Parses every criteria file and refuses two checklists with one id; then lays each
/// translation (`x.es.toml`) over its original's model. A translation keeps its original's id:
/// answers are stored by id, so they follow a reader from one language to the other.
/// `drafts` turns untranslated texts into warnings.
pub fn parse_all(sources: &[Source], drafts: bool) -> (Vec<(Checklist, Source)>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut checklists: Vec<(Checklist, Source)> = Vec::new();
    let (translations, originals): (Vec<&Source>, Vec<&Source>) = sources
        .iter()
        .partition(|source| language_of(source).is_some());
    for source in originals {
        match parse(source) {
            Ok(checklist) => {
                if let Some((_, first)) = checklists.iter().find(|(c, _)| c.id == checklist.id) {
                    diagnostics.push(
                        Diagnostic::error(format!(
                            "the checklist id `{}` is already used by `{}`",
                            checklist.id,
                            first.path.display()
                        ))
                        .at(source, checklist.id_span.clone())
                        .with_hint("give each criteria file its own `id`"),
                    );
                } else {
                    checklists.push((checklist, source.clone()));
                }
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    let mut translated = Vec::new();
    for source in translations {
        let original_path = crate::content::paths::split_language(&content_path(source)).0;
        let Some((_, original)) = checklists
            .iter()
            .find(|(_, s)| content_path(s) == original_path)
        else {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` translates `content/{original_path}`, which is not a checklist of the site",
                    source.path.display()
                ))
                .at(source, 0..0)
                .with_hint("a checklist's translation sits beside its criteria file and shares its name"),
            );
            continue;
        };
        match parse_translation(original, source, drafts) {
            Ok((checklist, warnings)) => {
                diagnostics.extend(warnings);
                translated.push((checklist, source.clone()));
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    checklists.extend(translated);
    (checklists, diagnostics)
}

/// The original's model with a translation's texts, validated like any criteria file.
pub fn parse_translation(
    original: &Source,
    translation: &Source,
    drafts: bool,
) -> Result<(Checklist, Vec<Diagnostic>), Diagnostics> {
    let raw: model::CriteriaFile = crate::toml_input::parse(original, &original.text, 0)?;
    let (raw, warnings) = translate::apply(raw, translation, drafts)?;
    Ok((validate::validate(raw, original)?, warnings))
}

/// The path of a criteria file below `content/`, with `/` between folders.
pub(crate) fn content_path(source: &Source) -> String {
    source
        .path
        .strip_prefix("content")
        .unwrap_or(&source.path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The language of a criteria file: `Some("es")` for a translation `x.es.toml`.
pub fn language_of(source: &Source) -> Option<String> {
    crate::content::paths::split_language(&content_path(source))
        .1
        .map(str::to_owned)
}

/// The key of a checklist's form among the embeds: its id, with the language of a
/// translation (`independence@es`), so each language's pages embed their own form.
pub fn embed_key(id: &str, language: Option<&str>) -> String {
    match language {
        Some(code) => format!("{id}@{code}"),
        None => id.to_owned(),
    }
}

/// The model as JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&`
/// are written as `\u` escapes, so no text can close the element or open a comment.
pub fn model_json(checklist: &Checklist) -> String {
    #[derive(Serialize)]
    struct ModelQuestion<'a> {
        id: &'a str,
        dimension: &'a str,
        text: &'a str,
        weight: u32,
        control_point: &'a Option<String>,
        find_out: &'a Option<String>,
        risk: &'a Option<String>,
        optional: bool,
        changed_in: u32,
        show_if: &'a Option<ShowIf>,
        options: &'a [AnswerOption],
    }
    let model = serde_json::json!({
        "id": checklist.id,
        "version": checklist.version,
        "title": checklist.title,
        "min_answers": checklist.min_answers,
        "holders": checklist.holders,
        "dimensions": checklist.dimensions,
        "questions": checklist.questions.iter().map(|q| ModelQuestion {
            id: &q.id, dimension: &q.dimension, text: &q.text, weight: q.weight,
            control_point: &q.control_point, find_out: &q.find_out, risk: &q.risk,
            optional: q.optional, changed_in: q.changed_in, show_if: &q.show_if, options: &q.options,
        }).collect::<Vec<_>>(),
        "bands": checklist.bands,
        "findings": checklist.findings,
    });
    script_json(&model)
}

/// A value as JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&`
/// are written as `\u` escapes, so no text can close the element or open a comment.
pub fn script_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The template context of `checklist.html`: the model, the JSON, what a worksheet shows, and
/// the URL of each link (`links`: `path` as the criteria file wrote it, `url` root-relative).
pub fn template_context(checklist: &Checklist, urls: &LinkUrls) -> serde_json::Value {
    let number_of = |id: &str| {
        checklist
            .questions
            .iter()
            .position(|q| q.id == id)
            .map_or(0, |i| i + 1)
    };
    let questions: Vec<serde_json::Value> = checklist
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let condition = q.show_if.as_ref().map(|cond| {
                let target = checklist.questions.iter().find(|t| t.id == cond.question);
                let labels: Vec<String> = cond
                    .answers
                    .iter()
                    .filter_map(|a| target?.options.iter().find(|o| &o.id == a))
                    .map(|o| format!("\u{201c}{}\u{201d}", o.label))
                    .collect();
                serde_json::json!({"number": number_of(&cond.question), "answers": labels.join(" or "), "answer_list": labels})
            });
            serde_json::json!({
                "number": i + 1,
                "question": q,
                "max_points": q.max_points(),
                "condition": condition,
            })
        })
        .collect();
    serde_json::json!({
        "checklist": checklist,
        "questions": questions,
        "model_json": model_json(checklist),
        "links": urls.iter().map(|(path, target)| serde_json::json!({"path": path, "url": target.url, "title": target.title})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests;
