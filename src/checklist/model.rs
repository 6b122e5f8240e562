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
pub struct CriteriaFile {
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
}

/// One thing the checklist measures, such as control or risk.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DimensionDef {
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
}

/// One question, answered by choosing one option.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionDef {
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
pub struct Condition {
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
pub struct OptionDef {
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
    /// The "not sure" answer: scores nothing and puts the question on the find-out list.
    #[serde(default)]
    pub unsure: bool,
}

/// Who holds a control point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
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
pub struct BandDef {
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
    /// Concrete things to do next.
    #[serde(default)]
    pub next_steps: Vec<String>,
}

/// The JSON Schema of the criteria format, for editors.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(CriteriaFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
