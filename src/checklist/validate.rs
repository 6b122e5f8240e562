//! Checking a parsed criteria file and turning it into a [`Checklist`]: every problem is
//! collected with its place in the file and a hint, so an author fixes them all in one pass.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::model::{
    BandDef, ClauseDef, CriteriaFile, FindingDef, HolderNamesDef, QuestionDef, RangeTextDef,
    StepDef,
};
use super::{
    AnswerOption, Band, Checklist, Clause, Dimension, Finding, HolderNames, Link, Question,
    RangeText, ShowIf, Step,
};
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

pub(super) fn validate(raw: CriteriaFile, source: &Source) -> Result<Checklist, Diagnostics> {
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
        check_texts(&mut check, dimension.id.get_ref(), &dimension.texts);
    }
    for name in [
        &raw.holders.you,
        &raw.holders.shared,
        &raw.holders.platform,
        &raw.holders.unknown,
    ]
    .into_iter()
    .flatten()
    {
        check.not_empty(name, "holder name");
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
    check.unique(raw.findings.iter().map(|f| &f.id), "finding");
    for finding in &raw.findings {
        check_finding(&mut check, finding, &raw.questions, &dimension_ids);
    }
    if let Some(min) = &raw.min_answers {
        let (min, questions) = (*min.get_ref(), raw.questions.len());
        if min == 0 || min as usize > questions {
            check.error(
                raw.min_answers.as_ref().map_or(0..0, Spanned::span),
                format!("`min_answers = {min}` is not between 1 and the number of questions ({questions})"),
                "leave `min_answers` out to wait for every question shown that is not `optional`",
            );
        }
    }

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
        if option.unsure
            && (option.points > 0 || option.holder.is_some() || option.carried_by.is_some())
        {
            check.error(
                option.id.span(),
                format!("the \"not sure\" option `{}` has points or a holder", option.id.get_ref()),
                "a \"not sure\" answer scores nothing and holds nothing: remove `points`, `holder` and `carried_by`",
            );
        } else if question.risk.is_some() && !option.unsure && option.carried_by.is_none() {
            check.error(
                option.id.span(),
                format!(
                    "option `{}` of the risk question `{id}` does not say who carries the risk",
                    option.id.get_ref()
                ),
                "add `carried_by = \"you\"`, `\"shared\"` or `\"platform\"` to the option",
            );
        } else if question.risk.is_none() && option.carried_by.is_some() {
            check.error(
                option.id.span(),
                format!("option `{}` says who carries a risk, but question `{id}` names no risk", option.id.get_ref()),
                "name the risk on the question, such as `risk = \"Vehicle costs\"`, or remove `carried_by`",
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

/// A range of scores written as `min` and `max`: both at most 100, `min` not above `max`.
fn check_range(check: &mut Check<'_>, min: &Spanned<u32>, max: &Spanned<u32>, what: &str) {
    let (low, high) = (*min.get_ref(), *max.get_ref());
    if low > high || high > 100 {
        check.error(
            min.span().start..max.span().end,
            format!("{what} runs from {low} to {high}"),
            "`min` and `max` are scores from 0 to 100, with `min` not above `max`",
        );
    }
}

/// A dimension's texts: each a range of scores, none overlapping another.
fn check_texts(check: &mut Check<'_>, dimension: &str, texts: &[RangeTextDef]) {
    let mut sorted: Vec<&RangeTextDef> = texts.iter().collect();
    sorted.sort_by_key(|t| *t.min.get_ref());
    let mut end: Option<u32> = None;
    for text in sorted {
        check.not_empty(&text.text, "dimension text");
        check_range(
            check,
            &text.min,
            &text.max,
            &format!("a text of dimension `{dimension}`"),
        );
        let min = *text.min.get_ref();
        if let Some(end) = end
            && min <= end
        {
            check.error(
                text.min.span(),
                format!("two texts of dimension `{dimension}` both cover the score {min}"),
                format!("start this text at {} or later", end + 1),
            );
        }
        end = Some(end.map_or(*text.max.get_ref(), |e| e.max(*text.max.get_ref())));
    }
}

fn check_finding(
    check: &mut Check<'_>,
    finding: &FindingDef,
    questions: &[QuestionDef],
    dimensions: &[&str],
) {
    check.not_empty(&finding.text, "finding text");
    if finding.all.is_empty() && finding.any.is_empty() {
        check.error(
            finding.id.span(),
            format!("finding `{}` has no condition", finding.id.get_ref()),
            "add `all = [...]` or `any = [...]` with clauses such as `{ question = \"costs\", answers = [\"me\"] }`",
        );
    }
    for clause in finding.all.iter().chain(&finding.any) {
        check_clause(check, clause, questions, dimensions);
    }
}

fn check_clause(
    check: &mut Check<'_>,
    clause: &Spanned<ClauseDef>,
    questions: &[QuestionDef],
    dimensions: &[&str],
) {
    let span = clause.span();
    let clause = clause.get_ref();
    match (&clause.question, &clause.dimension) {
        (Some(question), None) => {
            if clause.min.is_some() || clause.max.is_some() {
                check.error(
                    span.clone(),
                    "a clause about a question has `min` or `max`".into(),
                    "`min` and `max` go with `dimension`; a question clause lists `answers`",
                );
            }
            let target = question.get_ref();
            let Some(found) = questions.iter().find(|q| q.id.get_ref() == target) else {
                let hint = match suggest(target, questions.iter().map(|q| q.id.get_ref().as_str())) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name the id of a question of this file".to_owned(),
                };
                return check.error(question.span(), format!("a finding names an unknown question `{target}`"), hint);
            };
            let options: Vec<&str> = found.options.get_ref().iter().map(|o| o.id.get_ref().as_str()).collect();
            if clause.answers.is_empty() {
                check.error(span, format!("the clause about `{target}` lists no answers"), "list the option ids, such as `answers = [\"me\"]`");
            }
            for answer in &clause.answers {
                if !options.contains(&answer.get_ref().as_str()) {
                    check.error(
                        answer.span(),
                        format!("`{}` is not an option of question `{target}`", answer.get_ref()),
                        format!("options of `{target}`: {}", options.join(", ")),
                    );
                }
            }
        }
        (None, Some(dimension)) => {
            if !clause.answers.is_empty() {
                check.error(
                    span.clone(),
                    "a clause about a dimension lists `answers`".into(),
                    "a dimension clause gives a range of scores with `min` and `max`",
                );
            }
            let name = dimension.get_ref();
            if !dimensions.contains(&name.as_str()) {
                let hint = match suggest(name, dimensions.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("known dimensions: {}", dimensions.join(", ")),
                };
                check.error(dimension.span(), format!("a finding names an unknown dimension `{name}`"), hint);
            }
            let zero = Spanned::new(span.start..span.start, 0);
            let hundred = Spanned::new(span.end..span.end, 100);
            check_range(
                check,
                clause.min.as_ref().unwrap_or(&zero),
                clause.max.as_ref().unwrap_or(&hundred),
                &format!("the range of dimension `{name}`"),
            );
        }
        _ => check.error(
            span,
            "a clause must name either a `question` or a `dimension`".into(),
            "write `{ question = \"id\", answers = [\"option\"] }` or `{ dimension = \"id\", min = 0, max = 40 }`",
        ),
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
        check_range(
            check,
            &band.min,
            &band.max,
            &format!("band `{}`", band.id.get_ref()),
        );
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

fn link(link: Spanned<String>) -> Link {
    Link {
        span: link.span(),
        path: link.into_inner(),
    }
}

fn holder_names(raw: HolderNamesDef) -> HolderNames {
    let or = |name: Option<Spanned<String>>, default: &str| {
        name.map_or_else(|| default.to_owned(), Spanned::into_inner)
    };
    HolderNames {
        you: or(raw.you, "You"),
        shared: or(raw.shared, "Shared"),
        platform: or(raw.platform, "The company or app"),
        unknown: or(raw.unknown, "Not known"),
    }
}

fn clause(raw: Spanned<ClauseDef>) -> Clause {
    let raw = raw.into_inner();
    match (raw.question, raw.dimension) {
        (Some(question), _) => Clause::Answer {
            question: question.into_inner(),
            answers: raw.answers.into_iter().map(Spanned::into_inner).collect(),
        },
        (None, dimension) => Clause::Score {
            dimension: dimension.map(Spanned::into_inner).unwrap_or_default(),
            min: raw.min.map_or(0, Spanned::into_inner),
            max: raw.max.map_or(100, Spanned::into_inner),
        },
    }
}

fn build(raw: CriteriaFile) -> Checklist {
    let version = raw.version.into_inner();
    Checklist {
        findings: raw
            .findings
            .into_iter()
            .map(|f| Finding {
                id: f.id.into_inner(),
                text: f.text.into_inner(),
                link: f.link.map(link),
                all: f.all.into_iter().map(clause).collect(),
                any: f.any.into_iter().map(clause).collect(),
            })
            .collect(),
        min_answers: raw.min_answers.map(Spanned::into_inner),
        show_points: raw.show_points,
        holders: holder_names(raw.holders),
        id_span: raw.id.span(),
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
                texts: d
                    .texts
                    .into_iter()
                    .map(|t| RangeText {
                        min: t.min.into_inner(),
                        max: t.max.into_inner(),
                        text: t.text.into_inner(),
                    })
                    .collect(),
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
                risk: q.risk,
                optional: q.optional,
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
                        carried_by: o.carried_by,
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
                    next_steps: b
                        .next_steps
                        .into_iter()
                        .map(|step| match step {
                            StepDef::Text(text) => Step { text, link: None },
                            StepDef::Linked(step) => Step {
                                text: step.text,
                                link: Some(link(step.link)),
                            },
                        })
                        .collect(),
                })
                .collect();
            bands.sort_by_key(|b| b.min);
            bands
        },
    }
}
