//! The reference scoring of a checklist: answers -> per-dimension and overall scores, the
//! verdict band, the control map and the find-out list.
//!
//! Integers only, rounding half up, so the browser script (`assets/checklist.js`) can agree
//! with it exactly; the test vectors written from this function are the proof.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{Checklist, Holder};

/// Answers by question id: the chosen option's id.
pub type Answers = HashMap<String, String>;

/// The result of scoring one set of answers. Serialises to the shape the script produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// 0 to 100, or `None` before any question that counts is answered.
    pub overall: Option<u32>,
    /// The id of the band `overall` falls in.
    pub band: Option<String>,
    /// Every dimension's score, `None` where none of its questions counts yet.
    pub dimensions: BTreeMap<String, Option<u32>>,
    /// Visible questions answered, "not sure" included.
    pub answered: usize,
    pub visible: usize,
    pub visible_questions: Vec<String>,
    pub control_map: Vec<ControlPoint>,
    /// Visible questions answered "not sure".
    pub find_out: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlPoint {
    pub question: String,
    /// `you`, `shared`, `platform`, or `unknown`.
    pub holder: String,
}

/// `numerator / denominator` as a rounded percentage, half up.
fn percent(numerator: u64, denominator: u64) -> u32 {
    ((200 * numerator + denominator) / (2 * denominator)) as u32
}

pub fn score(checklist: &Checklist, answers: &Answers) -> Outcome {
    let mut visible: HashMap<&str, bool> = HashMap::new();
    let mut sums: HashMap<&str, (u64, u64)> = HashMap::new();
    let mut outcome = Outcome {
        overall: None,
        band: None,
        dimensions: BTreeMap::new(),
        answered: 0,
        visible: 0,
        visible_questions: Vec::new(),
        control_map: Vec::new(),
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
        if question.control_point.is_some() {
            let holder = chosen.filter(|o| !o.unsure).and_then(|o| o.holder);
            outcome.control_map.push(ControlPoint {
                question: question.id.clone(),
                holder: holder_name(holder).to_owned(),
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
    }
    if weights > 0 {
        let overall = percent(weighted, weights * 100);
        outcome.overall = Some(overall);
        outcome.band = checklist
            .bands
            .iter()
            .find(|b| b.min <= overall && overall <= b.max)
            .map(|b| b.id.clone());
    }
    outcome
}

fn holder_name(holder: Option<Holder>) -> &'static str {
    match holder {
        Some(Holder::You) => "you",
        Some(Holder::Shared) => "shared",
        Some(Holder::Platform) => "platform",
        None => "unknown",
    }
}
