//! The reference scoring of a checklist: answers -> per-dimension and overall scores, whether
//! enough is answered for a verdict, the verdict band, the findings that hold, the maps of who
//! holds each decision and who carries each risk, and the find-out list.
//!
//! Integers only, rounding half up, so the browser script (`assets/checklist.js`) can agree
//! with it exactly; the test vectors written from this function are the proof.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{Checklist, Clause, Finding, Holder};

/// Answers by question id: the chosen option's id.
pub type Answers = HashMap<String, String>;

/// The result of scoring one set of answers. Serialises to the shape the script produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Enough is answered for a verdict (see [`Outcome::left`]).
    pub ready: bool,
    /// Answers still needed before the verdict: 0 once `ready`.
    pub left: usize,
    /// 0 to 100, or `None` before the verdict is ready or while no answer counts.
    pub overall: Option<u32>,
    /// The id of the band `overall` falls in.
    pub band: Option<String>,
    /// Every dimension's score, `None` where none of its questions counts yet.
    pub dimensions: BTreeMap<String, Option<u32>>,
    /// The index of each scored dimension's text for its score, if one covers it.
    pub dimension_texts: BTreeMap<String, Option<usize>>,
    /// Ids of the findings that hold, in file order; none before the verdict is ready.
    pub findings: Vec<String>,
    /// Visible questions answered, "not sure" included.
    pub answered: usize,
    pub visible: usize,
    pub visible_questions: Vec<String>,
    /// Visible questions with a `control_point`, and who holds it.
    pub control_map: Vec<MapRow>,
    /// Visible questions with a `risk`, and who carries it.
    pub risk_map: Vec<MapRow>,
    /// Visible questions answered "not sure".
    pub find_out: Vec<String>,
}

/// One row of a map: the question, and the holder its answer names (`None`: not known, the
/// question being unanswered or answered "not sure").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapRow {
    pub question: String,
    pub holder: Option<Holder>,
}

/// `numerator / denominator` as a rounded percentage, half up.
fn percent(numerator: u64, denominator: u64) -> u32 {
    ((200 * numerator + denominator) / (2 * denominator)) as u32
}

pub fn score(checklist: &Checklist, answers: &Answers) -> Outcome {
    let mut visible: HashMap<&str, bool> = HashMap::new();
    let mut sums: HashMap<&str, (u64, u64)> = HashMap::new();
    let (mut required, mut required_answered) = (0usize, 0usize);
    let mut outcome = Outcome {
        ready: false,
        left: 0,
        overall: None,
        band: None,
        dimensions: BTreeMap::new(),
        dimension_texts: BTreeMap::new(),
        findings: Vec::new(),
        answered: 0,
        visible: 0,
        visible_questions: Vec::new(),
        control_map: Vec::new(),
        risk_map: Vec::new(),
        find_out: Vec::new(),
    };
    for question in &checklist.questions {
        let shown = match &question.show_if {
            None => true,
            Some(condition) => {
                visible
                    .get(condition.question.as_str())
                    .copied()
                    .unwrap_or(false)
                    && answers
                        .get(&condition.question)
                        .is_some_and(|a| condition.answers.contains(a))
            }
        };
        visible.insert(&question.id, shown);
        if !shown {
            continue;
        }
        outcome.visible += 1;
        outcome.visible_questions.push(question.id.clone());
        let chosen = answers
            .get(&question.id)
            .and_then(|a| question.options.iter().find(|o| &o.id == a));
        if !question.optional {
            required += 1;
            required_answered += usize::from(chosen.is_some());
        }
        if let Some(option) = chosen {
            outcome.answered += 1;
            if option.unsure {
                outcome.find_out.push(question.id.clone());
            } else {
                let weight = u64::from(question.weight);
                let sum = sums.entry(&question.dimension).or_default();
                sum.0 += weight * u64::from(option.points);
                sum.1 += weight * u64::from(question.max_points());
            }
        }
        let known = chosen.filter(|o| !o.unsure);
        if question.control_point.is_some() {
            outcome.control_map.push(MapRow {
                question: question.id.clone(),
                holder: known.and_then(|o| o.holder),
            });
        }
        if question.risk.is_some() {
            outcome.risk_map.push(MapRow {
                question: question.id.clone(),
                holder: known.and_then(|o| o.carried_by),
            });
        }
    }
    let (mut weighted, mut weights) = (0u64, 0u64);
    for dimension in &checklist.dimensions {
        let score = sums
            .get(dimension.id.as_str())
            .filter(|(_, den)| *den > 0)
            .map(|&(num, den)| percent(num, den));
        if let Some(score) = score {
            weighted += u64::from(dimension.weight) * u64::from(score);
            weights += u64::from(dimension.weight);
        }
        outcome.dimensions.insert(dimension.id.clone(), score);
        outcome.dimension_texts.insert(
            dimension.id.clone(),
            score.and_then(|s| dimension.text_for(s)),
        );
    }
    let needed = checklist
        .min_answers
        .map_or(required, |min| (min as usize).min(outcome.visible));
    let answered = if checklist.min_answers.is_some() {
        outcome.answered
    } else {
        required_answered
    };
    outcome.left = needed.saturating_sub(answered);
    outcome.ready = outcome.left == 0;
    if outcome.ready && weights > 0 {
        let overall = percent(weighted, weights * 100);
        outcome.overall = Some(overall);
        outcome.band = checklist
            .bands
            .iter()
            .find(|b| b.min <= overall && overall <= b.max)
            .map(|b| b.id.clone());
    }
    if outcome.ready {
        outcome.findings = checklist
            .findings
            .iter()
            .filter(|f| holds(f, answers, &visible, &outcome.dimensions))
            .map(|f| f.id.clone())
            .collect();
    }
    outcome
}

/// A finding holds when all of its `all` clauses do, and one of its `any` clauses if it has any.
fn holds(
    finding: &Finding,
    answers: &Answers,
    visible: &HashMap<&str, bool>,
    dimensions: &BTreeMap<String, Option<u32>>,
) -> bool {
    let clause_holds = |clause: &Clause| match clause {
        Clause::Answer {
            question,
            answers: options,
        } => {
            visible.get(question.as_str()).copied().unwrap_or(false)
                && answers.get(question).is_some_and(|a| options.contains(a))
        }
        Clause::Score {
            dimension,
            min,
            max,
        } => dimensions
            .get(dimension)
            .copied()
            .flatten()
            .is_some_and(|s| *min <= s && s <= *max),
    };
    finding.all.iter().all(clause_holds)
        && (finding.any.is_empty() || finding.any.iter().any(clause_holds))
}
