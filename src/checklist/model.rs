//! The criteria file format, as the author writes it. These types are the format's single
//! definition: they parse the TOML (keeping spans for diagnostics) and generate the JSON Schema
//! published for editors.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

fn one() -> u32 {
    1
}

/// A checklist: questions in dimensions, scored into verdict bands.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "plumb checklist criteria")]
pub(super) struct CriteriaFile {
    /// Unique id of the checklist: lowercase letters, digits and `-`. Articles embed it by this id.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: Spanned<String>,
    /// Bump when a change alters what answers mean; see `changed_in` on questions.
    #[schemars(with = "u32", range(min = 1))]
    pub version: Spanned<u32>,
    /// The checklist's title, shown above it and as its page's title.
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// Plain text shown above the questions.
    #[serde(default)]
    pub intro: String,
    /// What the checklist measures. At least one.
    #[schemars(length(min = 1))]
    pub dimensions: Vec<DimensionDef>,
    /// The questions, in the order they are shown.
    #[schemars(length(min = 1))]
    pub questions: Vec<QuestionDef>,
    /// Verdict bands over the overall score; together they cover 0 to 100 with no gap or overlap.
    #[schemars(length(min = 1))]
    pub bands: Vec<BandDef>,
    /// Statements shown with the verdict when the reader's answers match their condition: they
    /// say in words what the answers mean.
    #[serde(default)]
    pub findings: Vec<FindingDef>,
    /// How many of the questions shown must be answered ("not sure" counts) before the verdict
    /// appears. Default: every question shown, optional ones aside.
    #[schemars(with = "Option<u32>", range(min = 1))]
    pub min_answers: Option<Spanned<u32>>,
    /// Show each answer's points beside it on screen. The printed worksheet always shows them.
    #[serde(default)]
    pub show_points: bool,
    /// What the result calls each holder, in the map and its key.
    #[serde(default)]
    pub holders: HolderNamesDef,
}

/// The words for each holder. Any left out keeps its default.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct HolderNamesDef {
    /// Default "You".
    #[schemars(with = "Option<String>")]
    pub you: Option<Spanned<String>>,
    /// Default "Shared".
    #[schemars(with = "Option<String>")]
    pub shared: Option<Spanned<String>>,
    /// Default "The company or app".
    #[schemars(with = "Option<String>")]
    pub platform: Option<Spanned<String>>,
    /// For questions not answered, or answered "not sure". Default "Not known".
    #[schemars(with = "Option<String>")]
    pub unknown: Option<Spanned<String>>,
}

/// A statement shown when the answers match: every clause of `all`, and one of `any` if it
/// has clauses.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct FindingDef {
    /// Unique id within the file.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What the answers mean, in plain words.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// A page of the site to read more: a `.md` path relative to this file, checked at build.
    #[schemars(with = "Option<String>")]
    pub link: Option<Spanned<String>>,
    /// Clauses that must all hold.
    #[serde(default)]
    #[schemars(with = "Vec<ClauseDef>")]
    pub all: Vec<Spanned<ClauseDef>>,
    /// Clauses of which one must hold (when there are any).
    #[serde(default)]
    #[schemars(with = "Vec<ClauseDef>")]
    pub any: Vec<Spanned<ClauseDef>>,
}

/// One clause of a finding: either `question` with `answers` (the question is shown and was
/// answered with one of them), or `dimension` with `min` and `max` (its score is in that range).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ClauseDef {
    /// The id of a question.
    #[schemars(with = "Option<String>")]
    pub question: Option<Spanned<String>>,
    /// Option ids of that question.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub answers: Vec<Spanned<String>>,
    /// The id of a dimension.
    #[schemars(with = "Option<String>")]
    pub dimension: Option<Spanned<String>>,
    /// The lowest score of the range (default 0).
    #[schemars(with = "Option<u32>", range(max = 100))]
    pub min: Option<Spanned<u32>>,
    /// The highest score of the range (default 100).
    #[schemars(with = "Option<u32>", range(max = 100))]
    pub max: Option<Spanned<u32>>,
}

/// Text for a dimension's scores from `min` to `max`, both included.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RangeTextDef {
    #[schemars(with = "u32", range(max = 100))]
    pub min: Spanned<u32>,
    #[schemars(with = "u32", range(max = 100))]
    pub max: Spanned<u32>,
    /// What a score in this range means, in plain words.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
}

/// A next step: plain text, or a table with `text` and a `link` to a page of the site.
#[derive(Debug, JsonSchema)]
#[schemars(untagged)]
pub(super) enum StepDef {
    Text(String),
    Linked(LinkedStepDef),
}

/// A next step with a link.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct LinkedStepDef {
    /// What to do.
    pub text: String,
    /// A page of the site: a `.md` path relative to this file, checked at build.
    #[schemars(with = "String")]
    pub link: Spanned<String>,
}

/// Reads a string or a table without buffering, so the table's spans survive (serde's
/// untagged enums would lose them).
impl<'de> Deserialize<'de> for StepDef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = StepDef;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, or a table with `text` and `link`")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<StepDef, E> {
                Ok(StepDef::Text(text.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<StepDef, A::Error> {
                LinkedStepDef::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(StepDef::Linked)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One thing the checklist measures, such as control or risk.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct DimensionDef {
    /// Unique id within the file; questions name it in `dimension`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// Plain text explaining the dimension.
    #[serde(default)]
    pub description: String,
    /// The dimension's weight in the overall score.
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 1000))]
    pub weight: u32,
    /// What the dimension's score means, by range, shown beside it with the result.
    #[serde(default)]
    pub texts: Vec<RangeTextDef>,
}

/// One question, answered by choosing one option.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct QuestionDef {
    /// Unique id within the file; stored answers are keyed by it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The id of the dimension the question scores in.
    #[schemars(with = "String")]
    pub dimension: Spanned<String>,
    /// The question as the reader sees it.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// Plain text that helps the reader answer.
    #[serde(default)]
    pub help: String,
    /// The label of this question in the control map; without it the question is not on the map.
    pub control_point: Option<String>,
    /// What to do to find out, shown on the find-out list when the reader is not sure.
    pub find_out: Option<String>,
    /// The label of this question in the map of who carries each risk (a cost, an injury):
    /// each option then says who carries it, in `carried_by`.
    pub risk: Option<String>,
    /// The verdict does not wait for an answer to this question.
    #[serde(default)]
    pub optional: bool,
    /// The question's weight within its dimension.
    #[serde(default = "one")]
    #[schemars(range(min = 1, max = 1000))]
    pub weight: u32,
    /// The version in which this question's meaning last changed: answers saved under an older
    /// version are dropped.
    #[schemars(with = "Option<u32>")]
    pub changed_in: Option<Spanned<u32>>,
    /// Show the question only when an earlier question was answered with one of these options.
    #[schemars(with = "Option<Condition>")]
    pub show_if: Option<Spanned<Condition>>,
    /// The answers to choose from; at least two.
    #[schemars(with = "Vec<OptionDef>", length(min = 2))]
    pub options: Spanned<Vec<OptionDef>>,
}

/// A question is shown only if `question` (an earlier one) was answered with one of `answers`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Condition {
    /// The id of an earlier question.
    #[schemars(with = "String")]
    pub question: Spanned<String>,
    /// Option ids of that question.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub answers: Vec<Spanned<String>>,
}

/// One answer to a question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct OptionDef {
    /// Unique id within the question; stored answers keep it.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The answer as the reader sees it.
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    /// Points this answer scores (0 to 1000); higher means more independent.
    #[serde(default)]
    #[schemars(range(max = 1000))]
    pub points: u32,
    /// Who holds the question's control point given this answer.
    pub holder: Option<Holder>,
    /// Who carries the question's risk given this answer.
    pub carried_by: Option<Holder>,
    /// The "not sure" answer: scores nothing and puts the question on the find-out list.
    #[serde(default)]
    pub unsure: bool,
}

/// Who holds a control point or carries a risk.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Holder {
    /// The reader decides.
    You,
    /// The reader and the other side decide together.
    Shared,
    /// The platform or company decides.
    Platform,
}

/// A verdict for overall scores from `min` to `max`, both included.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct BandDef {
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    #[schemars(with = "u32", range(max = 100))]
    pub min: Spanned<u32>,
    #[schemars(with = "u32", range(max = 100))]
    pub max: Spanned<u32>,
    #[schemars(with = "String")]
    pub title: Spanned<String>,
    /// Plain text: what this result means.
    #[schemars(with = "String")]
    pub summary: Spanned<String>,
    /// Concrete things to do next: plain text, or `{ text = "...", link = "page.md" }`.
    #[serde(default)]
    pub next_steps: Vec<StepDef>,
}

/// The JSON Schema of the criteria format, for editors.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(CriteriaFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
