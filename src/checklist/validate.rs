//! Checking a parsed criteria file and turning it into a [`Checklist`]: every problem is
//! collected with its place in the file and a hint, so an author fixes them all in one pass.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::model::{BandDef, CriteriaFile, QuestionDef};
use super::{AnswerOption, Band, Checklist, Dimension, Question, ShowIf};
use crate::diagnostic::{Diagnostic, Diagnostics, Source, suggest};

struct Check<'a> {
    source: &'a Source,
    diagnostics: Diagnostics,
}

impl Check<'_> {
    fn error(&mut self, span: Range<usize>, message: String, hint: impl Into<String>) {
        self.diagnostics.push(
            Diagnostic::error(message)
                .at(self.source, span)
                .with_hint(hint),
        );
    }

    fn not_empty(&mut self, text: &Spanned<String>, what: &str) {
        if text.get_ref().trim().is_empty() {
            self.error(
                text.span(),
                format!("{what} is empty"),
                format!("write the {what}"),
            );
        }
    }

    /// Reports a weight outside 1 to [`LIMIT`] of the `what` with this id.
    fn weight(&mut self, id: &Spanned<String>, what: &str, weight: u32) {
        if weight == 0 || weight > LIMIT {
            self.error(
                id.span(),
                format!("{what} `{}` has weight {weight}", id.get_ref()),
                format!("weights run from 1 to {LIMIT}; remove the {what} to leave it out"),
            );
        }
    }

    /// Reports ids that are malformed or seen twice.
    fn unique<'i>(&mut self, ids: impl Iterator<Item = &'i Spanned<String>>, what: &str) {
        let mut seen: HashMap<&str, ()> = HashMap::new();
        for id in ids {
            if !is_id(id.get_ref()) {
                self.error(
                    id.span(),
                    format!("the {what} id `{}` is not a valid id", id.get_ref()),
                    "use lowercase letters, digits and `-`, starting with a letter or digit",
                );
            }
            if seen.insert(id.get_ref(), ()).is_some() {
                self.error(
                    id.span(),
                    format!("duplicate {what} id `{}`", id.get_ref()),
                    format!("give each {what} its own id"),
                );
            }
        }
    }
}

/// The largest weight or number of points. Scores stay exact far below 2^53, so the browser
/// script's doubles agree with the reference's integers (and nothing overflows).
const LIMIT: u32 = 1000;

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub fn validate(raw: CriteriaFile, source: &Source) -> Result<Checklist, Diagnostics> {
    let mut check = Check {
        source,
        diagnostics: Diagnostics::default(),
    };
    check.unique(std::iter::once(&raw.id), "checklist");
    check.not_empty(&raw.title, "title");
    let version = *raw.version.get_ref();
    if version == 0 {
        check.error(
            raw.version.span(),
            "`version` must be 1 or more".into(),
            "start at `version = 1`",
        );
    }
    let whole = 0..0;
    for (what, empty) in [
        ("dimension", raw.dimensions.is_empty()),
        ("question", raw.questions.is_empty()),
        ("band", raw.bands.is_empty()),
    ] {
        if empty {
            check.error(
                whole.clone(),
                format!("the checklist has no {what}"),
                format!("add at least one `[[{what}s]]` table"),
            );
        }
    }

    check.unique(raw.dimensions.iter().map(|d| &d.id), "dimension");
    for dimension in &raw.dimensions {
        check.not_empty(&dimension.title, "dimension title");
        check.weight(&dimension.id, "dimension", dimension.weight);
    }
    let dimension_ids: Vec<&str> = raw
        .dimensions
        .iter()
        .map(|d| d.id.get_ref().as_str())
        .collect();

    check.unique(raw.questions.iter().map(|q| &q.id), "question");
    for (index, question) in raw.questions.iter().enumerate() {
        check_question(
            &mut check,
            &raw.questions,
            index,
            question,
            &dimension_ids,
            version,
        );
    }
    check_bands(&mut check, &raw.bands);

    if check.diagnostics.has_errors() {
        return Err(check.diagnostics);
    }
    Ok(build(raw))
}

fn check_question(
    check: &mut Check<'_>,
    questions: &[QuestionDef],
    index: usize,
    question: &QuestionDef,
    dimensions: &[&str],
    version: u32,
) {
    let id = question.id.get_ref();
    check.not_empty(&question.text, "question text");
    let dimension = question.dimension.get_ref();
    if !dimensions.contains(&dimension.as_str()) {
        let hint = match suggest(dimension, dimensions.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("known dimensions: {}", dimensions.join(", ")),
        };
        check.error(
            question.dimension.span(),
            format!("question `{id}` names an unknown dimension `{dimension}`"),
            hint,
        );
    }
    check.weight(&question.id, "question", question.weight);
    let options = question.options.get_ref();
    if options.len() < 2 {
        check.error(
            question.options.span(),
            format!("question `{id}` has fewer than two options"),
            "add `[[questions.options]]` tables until there are at least two answers to choose from",
        );
    }
    check.unique(options.iter().map(|o| &o.id), "option");
    for option in options {
        check.not_empty(&option.label, "option label");
        if option.points > LIMIT {
            check.error(
                option.id.span(),
                format!(
                    "option `{}` scores {} points",
                    option.id.get_ref(),
                    option.points
                ),
                format!("points run from 0 to {LIMIT}"),
            );
        }
        if option.unsure && (option.points > 0 || option.holder.is_some()) {
            check.error(
                option.id.span(),
                format!("the \"not sure\" option `{}` has points or a holder", option.id.get_ref()),
                "a \"not sure\" answer scores nothing and holds nothing: remove `points` and `holder`",
            );
        }
    }
    if let Some(changed_in) = &question.changed_in
        && (*changed_in.get_ref() == 0 || *changed_in.get_ref() > version)
    {
        check.error(
            changed_in.span(),
            format!("`changed_in = {}` is not a version of this checklist (1 to {version})", changed_in.get_ref()),
            "set `changed_in` to the version in which the question's meaning changed, and bump `version` with it",
        );
    }
    if let Some(condition) = &question.show_if {
        let target = condition.get_ref().question.get_ref();
        let span = condition.get_ref().question.span();
        match questions.iter().position(|q| q.id.get_ref() == target) {
            Some(i) if i == index => check.error(
                span,
                format!("question `{id}` is shown on a condition about itself"),
                "a condition names an earlier question",
            ),
            Some(i) if i > index => check.error(
                span,
                format!("question `{id}` depends on `{target}`, which comes after it"),
                format!(
                    "move `{target}` before `{id}`, or make the condition name an earlier question"
                ),
            ),
            Some(i) => {
                let target_options: Vec<&str> = questions[i]
                    .options
                    .get_ref()
                    .iter()
                    .map(|o| o.id.get_ref().as_str())
                    .collect();
                for answer in &condition.get_ref().answers {
                    if !target_options.contains(&answer.get_ref().as_str()) {
                        check.error(
                            answer.span(),
                            format!(
                                "`{}` is not an option of question `{target}`",
                                answer.get_ref()
                            ),
                            format!("options of `{target}`: {}", target_options.join(", ")),
                        );
                    }
                }
                if condition.get_ref().answers.is_empty() {
                    check.error(
                        span,
                        "the condition lists no answers".into(),
                        "list the option ids that show this question",
                    );
                }
            }
            None => {
                let earlier = questions[..index].iter().map(|q| q.id.get_ref().as_str());
                let hint = match suggest(target, earlier) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name the id of an earlier question".to_owned(),
                };
                check.error(
                    span,
                    format!("question `{id}` depends on an unknown question `{target}`"),
                    hint,
                );
            }
        }
    }
}

/// Bands must tile 0..=100: sorted by `min`, the first starts at 0, each starts one after the
/// previous ends, the last ends at 100.
fn check_bands(check: &mut Check<'_>, bands: &[BandDef]) {
    check.unique(bands.iter().map(|b| &b.id), "band");
    let mut sorted: Vec<&BandDef> = bands.iter().collect();
    sorted.sort_by_key(|b| (*b.min.get_ref(), *b.max.get_ref()));
    for band in &sorted {
        check.not_empty(&band.title, "band title");
        check.not_empty(&band.summary, "band summary");
        let (min, max) = (*band.min.get_ref(), *band.max.get_ref());
        if min > max || max > 100 {
            check.error(
                band.min.span().start..band.max.span().end,
                format!("band `{}` runs from {min} to {max}", band.id.get_ref()),
                "`min` and `max` are scores from 0 to 100, with `min` not above `max`",
            );
        }
    }
    let mut expected = 0u32;
    for band in &sorted {
        let (min, max) = (*band.min.get_ref(), *band.max.get_ref());
        if min > expected {
            check.error(
                band.min.span(),
                format!("no band covers the scores {expected} to {}", min - 1),
                format!(
                    "start band `{}` at {expected}, or add a band for those scores",
                    band.id.get_ref()
                ),
            );
        } else if min < expected {
            check.error(
                band.min.span(),
                format!(
                    "band `{}` overlaps the band before it at {min} to {}",
                    band.id.get_ref(),
                    (expected - 1).min(max)
                ),
                format!("start band `{}` at {expected}", band.id.get_ref()),
            );
        }
        expected = expected.max(max.saturating_add(1));
    }
    if let Some(last) = sorted.last()
        && expected <= 100
    {
        check.error(
            last.max.span(),
            format!("no band covers the scores {expected} to 100"),
            format!(
                "end band `{}` at 100, or add a band for those scores",
                last.id.get_ref()
            ),
        );
    }
}

fn build(raw: CriteriaFile) -> Checklist {
    let version = raw.version.into_inner();
    Checklist {
        id: raw.id.into_inner(),
        version,
        title: raw.title.into_inner(),
        intro: raw.intro,
        dimensions: raw
            .dimensions
            .into_iter()
            .map(|d| Dimension {
                id: d.id.into_inner(),
                title: d.title.into_inner(),
                description: d.description,
                weight: d.weight,
            })
            .collect(),
        questions: raw
            .questions
            .into_iter()
            .map(|q| Question {
                id: q.id.into_inner(),
                dimension: q.dimension.into_inner(),
                text: q.text.into_inner(),
                help: q.help,
                weight: q.weight,
                control_point: q.control_point,
                find_out: q.find_out,
                changed_in: q.changed_in.map_or(1, Spanned::into_inner),
                show_if: q.show_if.map(|c| {
                    let c = c.into_inner();
                    ShowIf {
                        question: c.question.into_inner(),
                        answers: c.answers.into_iter().map(Spanned::into_inner).collect(),
                    }
                }),
                options: q
                    .options
                    .into_inner()
                    .into_iter()
                    .map(|o| AnswerOption {
                        id: o.id.into_inner(),
                        label: o.label.into_inner(),
                        points: o.points,
                        holder: o.holder,
                        unsure: o.unsure,
                    })
                    .collect(),
            })
            .collect(),
        bands: {
            let mut bands: Vec<Band> = raw
                .bands
                .into_iter()
                .map(|b| Band {
                    id: b.id.into_inner(),
                    min: b.min.into_inner(),
                    max: b.max.into_inner(),
                    title: b.title.into_inner(),
                    summary: b.summary.into_inner(),
                    next_steps: b.next_steps,
                })
                .collect();
            bands.sort_by_key(|b| b.min);
            bands
        },
    }
}
