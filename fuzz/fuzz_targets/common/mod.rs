//! Checks shared by the criteria targets.

use std::sync::OnceLock;

use plumb::checklist::{Answers, Checklist, LinkUrls, model_json, parse, score, template_context};
use plumb::diagnostic::{Diagnostics, Source};

/// With `FUZZ_VERBOSE` set, says whether each input was a valid checklist (or its first
/// error): to see what share of a corpus gets past validation.
pub fn report(result: Result<&Checklist, &Diagnostics>) {
    static VERBOSE: OnceLock<bool> = OnceLock::new();
    if !*VERBOSE.get_or_init(|| std::env::var_os("FUZZ_VERBOSE").is_some()) {
        return;
    }
    match result {
        Ok(checklist) => eprintln!("VALID {} questions", checklist.questions.len()),
        Err(diagnostics) => eprintln!(
            "INVALID {}",
            diagnostics
                .iter()
                .next()
                .map(|d| d.message.clone())
                .unwrap_or_default()
        ),
    }
}

pub fn check_outcome(checklist: &Checklist, answers: &Answers) {
    let outcome = score(checklist, answers);
    if let Some(overall) = outcome.overall {
        assert!(overall <= 100, "{outcome:?}");
    }
    assert_eq!(
        outcome.overall.is_some(),
        outcome.band.is_some(),
        "{outcome:?}"
    );
    assert!(outcome.answered <= outcome.visible, "{outcome:?}");
    assert_eq!(outcome.visible, outcome.visible_questions.len());
    assert_eq!(outcome.ready, outcome.left == 0, "{outcome:?}");
    if !outcome.ready {
        assert!(
            outcome.band.is_none() && outcome.findings.is_empty(),
            "{outcome:?}"
        );
    }
    for id in &outcome.find_out {
        assert!(outcome.visible_questions.contains(id), "{outcome:?}");
    }
    for point in &outcome.control_map {
        assert!(
            outcome.visible_questions.contains(&point.question),
            "{outcome:?}"
        );
    }
    for score in outcome.dimensions.values().flatten() {
        assert!(*score <= 100, "{outcome:?}");
    }
}

/// Scoring with answer sets of every shape, then the model JSON and the template context.
pub fn check_checklist(checklist: &Checklist, salt: usize) {
    let pick = |choose: &dyn Fn(usize, usize) -> usize| -> Answers {
        checklist
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| {
                (
                    q.id.clone(),
                    q.options[choose(i, q.options.len())].id.clone(),
                )
            })
            .collect()
    };
    check_outcome(checklist, &Answers::new());
    check_outcome(checklist, &pick(&|_, _| 0));
    check_outcome(checklist, &pick(&|_, n| n - 1));
    check_outcome(checklist, &pick(&|i, n| (i * 7 + salt) % n));
    check_outcome(checklist, &pick(&|i, n| (i + 1) % n));
    // The best answer to every question.
    let best: Answers = checklist
        .questions
        .iter()
        .filter_map(|q| {
            q.options
                .iter()
                .filter(|o| !o.unsure)
                .max_by_key(|o| o.points)
                .map(|o| (q.id.clone(), o.id.clone()))
        })
        .collect();
    check_outcome(checklist, &best);
    // Unknown answers are ignored, not trusted.
    let stray: Answers = checklist
        .questions
        .iter()
        .map(|q| (q.id.clone(), "no-such-option".to_owned()))
        .collect();
    check_outcome(checklist, &stray);

    let json = model_json(checklist);
    assert!(!json.contains(['<', '>', '&']), "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).expect("model JSON parses");
    assert_eq!(value["id"], checklist.id.as_str());
    assert_eq!(value["title"], checklist.title.as_str());
    let _ = template_context(checklist, &LinkUrls::new());
}

/// Parses `text` as a criteria file: a checklist must keep every invariant, and diagnostics
/// must render.
pub fn check_criteria_text(text: &str) {
    let source = Source::new("content/checklists/fuzz.toml", text);
    match parse(&source) {
        Ok(checklist) => {
            report(Ok(&checklist));
            check_checklist(&checklist, text.len());
        }
        Err(diagnostics) => {
            report(Err(&diagnostics));
            for diagnostic in diagnostics.iter() {
                let _ = diagnostic.to_string();
                let _ = diagnostic.render(false);
            }
        }
    }
}
