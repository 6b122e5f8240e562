//! The shipped guide: it builds cleanly, its worked examples get the verdicts their articles
//! state, and its prose is its own.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;

use plumb::BuildOptions;
use plumb::checklist::{self, Answers};
use plumb::diagnostic::Source;

fn content_files(ext: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(common::repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect()
}

#[test]
fn shipped_guide_builds_without_warnings() {
    let out = tempfile::tempdir().expect("temp dir");
    let options = BuildOptions {
        root: common::repo().to_path_buf(),
        output_dir: Some(out.path().join("public")),
        ..BuildOptions::default()
    };
    let summary = plumb::build(&options).unwrap_or_else(|d| panic!("{}", common::lines(&d)));
    assert!(
        summary.warnings.is_empty(),
        "{}",
        common::lines(&summary.warnings)
    );
    assert!(summary.checklists >= 1);
    assert!(
        out.path()
            .join("public/checklists/independence/index.html")
            .is_file()
    );
}

#[test]
fn worked_examples_get_the_verdict_their_article_states() {
    let path = "content/checklists/independence.toml";
    let text = fs::read_to_string(common::repo().join(path)).expect("criteria");
    let independence = checklist::parse(&Source::new(path, text)).expect("valid criteria");
    let mut examples = 0;
    for file in content_files("md") {
        let text = fs::read_to_string(&file).expect("page");
        let Some(header) = text
            .strip_prefix("+++\n")
            .and_then(|t| t.split("\n+++\n").next())
        else {
            continue;
        };
        let front: toml::Table = toml::from_str(header).expect("front matter");
        let Some(example) = front.get("extra").and_then(|e| e.get("example")) else {
            continue;
        };
        examples += 1;
        assert_eq!(example["checklist"].as_str(), Some("independence"));
        let answers: Answers = example["answers"]
            .as_table()
            .expect("answers")
            .iter()
            .map(|(q, a)| (q.clone(), a.as_str().expect("option id").to_owned()))
            .collect();
        for (question, option) in &answers {
            let known = independence
                .questions
                .iter()
                .find(|q| &q.id == question)
                .is_some_and(|q| q.options.iter().any(|o| &o.id == option));
            assert!(
                known,
                "{}: `{question} = {option}` is not in the checklist",
                file.display()
            );
        }
        let outcome = checklist::score(&independence, &answers);
        assert_eq!(
            outcome.answered,
            outcome.visible,
            "{}: every question the person sees is answered",
            file.display()
        );
        assert_eq!(
            outcome.band.as_deref(),
            example["verdict"].as_str(),
            "{}: scored {:?}",
            file.display(),
            outcome.overall
        );
    }
    assert!(
        examples >= 3,
        "at least three worked examples, found {examples}"
    );
}

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\u{2019}', '\''], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn no_run_of_eight_words_is_shared_with_the_source_article() {
    const RUN: usize = 8;
    let source = common::repo().join("../shared/reference/when-independent-isnt.txt");
    let source =
        fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let source_words = words(&source);
    let runs: HashSet<&[String]> = source_words.windows(RUN).collect();
    let mut shared = Vec::new();
    for file in content_files("md").into_iter().chain(content_files("toml")) {
        let text = fs::read_to_string(&file).expect("content");
        for run in words(&text).windows(RUN) {
            if runs.contains(run) {
                shared.push(format!("{}: {}", file.display(), run.join(" ")));
            }
        }
    }
    assert!(
        shared.is_empty(),
        "runs copied from the source:\n{}",
        shared.join("\n")
    );
}

#[test]
fn the_overlap_check_would_catch_a_copied_sentence() {
    let source = words("Independence implies control over scheduling and availability, always.");
    let copy =
        words("Some intro. independence IMPLIES control over scheduling, and availability always!");
    let runs: HashSet<&[String]> = source.windows(8).collect();
    assert!(copy.windows(8).any(|run| runs.contains(run)));
}
