//! Writes the scoring test vectors: many answer sets per criteria file, each with the outcome
//! the Rust reference computes. `tests/js/checklist-scoring.test.js` runs the browser script's
//! scoring on the same sets and must agree exactly. The files are committed, so a change to
//! scoring shows up in review as a change to the vectors.
//!
//! Besides generated sets, the guide's checklist gets realistic ones: its worked examples (from
//! their front matter) and the cases of `tests/vectors/<id>.cases.toml`, each stating the
//! verdict and the findings it must get.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use plumb::checklist::{self, Answers, Checklist};
use plumb::diagnostic::Source;
use serde_json::{Value, json};

/// Criteria files the vectors cover: the fixture that exercises every feature, and the guide's.
const CRITERIA: [&str; 2] = [
    "tests/fixtures/checklist/content/checklists/demo.toml",
    "content/checklists/independence.toml",
];

/// A small deterministic generator, so the vectors are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

fn answer_sets(checklist: &Checklist) -> Vec<(String, Answers)> {
    let mut sets = vec![("no answers".to_owned(), Answers::new())];
    for question in &checklist.questions {
        for option in &question.options {
            let answers: Answers = [(question.id.clone(), option.id.clone())].into();
            sets.push((format!("only {}={}", question.id, option.id), answers));
        }
    }
    // Every question answered with its first, then its last option (hidden ones included).
    for (name, pick_last) in [("all first options", false), ("all last options", true)] {
        let answers = checklist
            .questions
            .iter()
            .map(|q| {
                let option = if pick_last {
                    q.options.last()
                } else {
                    q.options.first()
                };
                (
                    q.id.clone(),
                    option.map(|o| o.id.clone()).unwrap_or_default(),
                )
            })
            .collect();
        sets.push((name.to_owned(), answers));
    }
    let mut random = Lcg(0x5eed ^ checklist.id.len() as u64);
    // Complete answer sets (every question answered with a real option), so every band and
    // finding is reached.
    for n in 0..200 {
        let answers = checklist
            .questions
            .iter()
            .map(|q| {
                let option = &q.options[random.next(q.options.len())];
                (q.id.clone(), option.id.clone())
            })
            .collect();
        sets.push((format!("complete {n}"), answers));
    }
    for n in 0..200 {
        let mut answers = Answers::new();
        for question in &checklist.questions {
            match random.next(8) {
                0 => {}
                1 => {
                    answers.insert(question.id.clone(), "no-such-option".to_owned());
                }
                _ => {
                    let option = &question.options[random.next(question.options.len())];
                    answers.insert(question.id.clone(), option.id.clone());
                }
            }
        }
        if n % 10 == 0 {
            answers.insert("no-such-question".to_owned(), "x".to_owned());
        }
        sets.push((format!("random {n}"), answers));
    }
    sets
}

/// A realistic answer set and what it must get.
#[derive(serde::Deserialize)]
struct Case {
    name: String,
    band: String,
    findings: Vec<String>,
    answers: Answers,
}

#[derive(serde::Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

/// The cases of `tests/vectors/<id>.cases.toml`, if there is such a file.
fn realistic_cases(id: &str) -> Vec<Case> {
    let path = common::repo().join(format!("tests/vectors/{id}.cases.toml"));
    match fs::read_to_string(&path) {
        Ok(text) => toml::from_str::<Cases>(&text).expect("cases file").cases,
        Err(_) => Vec::new(),
    }
}

/// The worked examples of the guide for checklist `id`: their answers and stated verdict.
fn worked_examples(id: &str) -> Vec<(String, String, Answers)> {
    common::worked_examples()
        .into_iter()
        .filter(|example| example.checklist == id)
        .map(|example| {
            let name = format!("worked example {}", example.title);
            (name, example.verdict, example.answers)
        })
        .collect()
}

fn vectors_for(path: &str) -> (String, Value, Vec<checklist::Outcome>) {
    let file = common::repo().join(path);
    let text = fs::read_to_string(&file).expect("criteria file");
    let checklist = checklist::parse(&Source::new(path, text)).expect("valid criteria");
    let model: Value = serde_json::from_str(&checklist::model_json(&checklist)).expect("json");
    let mut cases = Vec::new();
    let mut outcomes = Vec::new();
    let mut wrong = Vec::new();
    for case in realistic_cases(&checklist.id) {
        let outcome = checklist::score(&checklist, &case.answers);
        if outcome.band.as_deref() != Some(case.band.as_str()) || outcome.findings != case.findings
        {
            wrong.push(format!(
                "{}: got {:?} (score {:?}) with findings {:?}",
                case.name, outcome.band, outcome.overall, outcome.findings
            ));
        }
        let sorted: std::collections::BTreeMap<_, _> = case.answers.iter().collect();
        cases.push(json!({"name": case.name, "answers": sorted, "expected": outcome}));
        outcomes.push(outcome);
    }
    for (name, verdict, answers) in worked_examples(&checklist.id) {
        let outcome = checklist::score(&checklist, &answers);
        if outcome.band.as_deref() != Some(verdict.as_str()) {
            wrong.push(format!(
                "{name}: got {:?}, the article says {verdict}",
                outcome.band
            ));
        }
        let sorted: std::collections::BTreeMap<_, _> = answers.iter().collect();
        cases.push(json!({"name": name, "answers": sorted, "expected": outcome}));
        outcomes.push(outcome);
    }
    assert!(
        wrong.is_empty(),
        "realistic cases of {path}:\n{}",
        wrong.join("\n")
    );
    for (name, answers) in answer_sets(&checklist) {
        let outcome = checklist::score(&checklist, &answers);
        let sorted: std::collections::BTreeMap<_, _> = answers.iter().collect();
        cases.push(json!({"name": name, "answers": sorted, "expected": outcome}));
        outcomes.push(outcome);
    }
    (
        checklist.id.clone(),
        json!({"model": model, "cases": cases}),
        outcomes,
    )
}

#[test]
fn vectors_cover_every_outcome_kind_and_are_written() {
    let dir = common::repo().join("tests/vectors");
    fs::create_dir_all(&dir).expect("vectors folder");
    for path in CRITERIA {
        let (id, vectors, outcomes) = vectors_for(path);
        // The sets must reach every band, conditional visibility and "not sure", or the
        // JS comparison would prove less than it claims.
        let bands: HashMap<_, _> = outcomes
            .iter()
            .filter_map(|o| o.band.clone())
            .map(|b| (b, ()))
            .collect();
        let model_bands = vectors["model"]["bands"].as_array().expect("bands").len();
        assert_eq!(bands.len(), model_bands, "{id}: every band is reached");
        assert!(
            outcomes.iter().any(|o| !o.find_out.is_empty()),
            "{id}: some not-sure answers"
        );
        assert!(
            outcomes.iter().any(|o| o.overall.is_none()),
            "{id}: some sets with no score"
        );
        assert!(
            outcomes.iter().any(|o| !o.ready && o.left > 0),
            "{id}: some sets not ready for a verdict"
        );
        for finding in vectors["model"]["findings"].as_array().expect("findings") {
            let finding = finding["id"].as_str().expect("finding id");
            assert!(
                outcomes
                    .iter()
                    .any(|o| o.findings.iter().any(|f| f == finding)),
                "{id}: finding `{finding}` is reached"
            );
        }
        let counts: Vec<usize> = outcomes.iter().map(|o| o.visible).collect();
        assert!(
            counts.iter().min() < counts.iter().max(),
            "{id}: conditional questions appear and hide"
        );
        let text = one_case_per_line(&vectors);
        write_if_changed(&dir.join(format!("{id}.json")), &text);
    }
}

/// Compact JSON with one case per line: small files, readable diffs.
fn one_case_per_line(vectors: &Value) -> String {
    let cases: Vec<String> = vectors["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| serde_json::to_string(c).expect("json"))
        .collect();
    format!(
        "{{\"model\": {},\n\"cases\": [\n{}\n]}}\n",
        serde_json::to_string(&vectors["model"]).expect("json"),
        cases.join(",\n")
    )
}

fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).expect("write vectors");
    }
}

/// Criteria files and their translations (`x.es.toml`), whose scoring must be the original's.
const TRANSLATIONS: [(&str, &str); 2] = [
    (
        "content/checklists/independence.toml",
        "content/checklists/independence.es.toml",
    ),
    (
        "tests/fixtures/languages/content/checklists/demo.toml",
        "tests/fixtures/languages/content/checklists/demo.es.toml",
    ),
];

fn source_of(path: &str) -> Source {
    let text = fs::read_to_string(common::repo().join(path)).expect("criteria file");
    Source::new(path, text)
}

#[test]
fn translations_score_as_their_originals_and_are_written() {
    let dir = common::repo().join("tests/vectors");
    for (original, translation) in TRANSLATIONS {
        let english = checklist::parse(&source_of(original)).expect("valid criteria");
        let (spanish, warnings) =
            checklist::parse_translation(&source_of(original), &source_of(translation), false)
                .expect("a complete translation");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            spanish.id, english.id,
            "answers are stored by the original's id"
        );
        assert_ne!(spanish.title, english.title, "{translation} is applied");
        let mut cases = Vec::new();
        for (name, answers) in answer_sets(&english) {
            let expected = checklist::score(&english, &answers);
            let found = checklist::score(&spanish, &answers);
            assert_eq!(
                serde_json::to_value(&found).expect("json"),
                serde_json::to_value(&expected).expect("json"),
                "{translation}: {name}"
            );
            let sorted: std::collections::BTreeMap<_, _> = answers.iter().collect();
            cases.push(json!({"name": name, "answers": sorted, "expected": expected}));
        }
        let model: Value = serde_json::from_str(&checklist::model_json(&spanish)).expect("json");
        let language = Path::new(translation)
            .file_stem()
            .and_then(|stem| Path::new(stem).extension())
            .and_then(|code| code.to_str())
            .expect("a language code in the name");
        let text = one_case_per_line(&json!({"model": model, "cases": cases}));
        write_if_changed(&dir.join(format!("{}.{language}.json", spanish.id)), &text);
    }
}
