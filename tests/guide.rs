//! The shipped guide: it builds cleanly, its worked examples get the verdicts their articles
//! state, and its prose is its own.

mod common;
#[path = "originality/runs.rs"]
mod runs;

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;

use plumb::BuildOptions;
use plumb::checklist;
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
    let examples = common::worked_examples();
    for example in &examples {
        let (file, answers) = (&example.file, &example.answers);
        assert_eq!(example.checklist, "independence");
        for (question, option) in answers {
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
        let outcome = checklist::score(&independence, answers);
        assert_eq!(
            outcome.answered,
            outcome.visible,
            "{}: every question the person sees is answered",
            file.display()
        );
        assert_eq!(
            outcome.band.as_deref(),
            Some(example.verdict.as_str()),
            "{}: scored {:?}",
            file.display(),
            outcome.overall
        );
    }
    assert!(
        examples.len() >= 3,
        "at least three worked examples, found {}",
        examples.len()
    );
}

/// The article's runs of eight words, as hashes (see `tests/originality/runs.rs`).
fn source_runs() -> HashSet<u64> {
    let path = common::repo().join("tests/originality/source-runs.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            u64::from_str_radix(line, 16)
                .unwrap_or_else(|e| panic!("{}: `{line}`: {e}", path.display()))
        })
        .collect()
}

/// Each run of `text` found in `source`, as `line: words`.
fn copied_runs(text: &str, source: &HashSet<u64>) -> Vec<String> {
    let words = runs::words(text);
    words
        .windows(runs::RUN)
        .filter(|run| source.contains(&runs::hash(run)))
        .map(|run| {
            let words: Vec<&str> = run.iter().map(|w| w.text.as_str()).collect();
            format!("{}: {}", run[0].line, words.join(" "))
        })
        .collect()
}

#[test]
fn no_run_of_eight_words_is_shared_with_the_source_article() {
    let source = source_runs();
    assert!(
        source.len() > 500,
        "source-runs.txt holds {} runs: regenerate it (see its first lines)",
        source.len()
    );
    let mut shared = Vec::new();
    for file in content_files("md").into_iter().chain(content_files("toml")) {
        let text = fs::read_to_string(&file).expect("content");
        for run in copied_runs(&text, &source) {
            shared.push(format!("{}:{run}", file.display()));
        }
    }
    assert!(
        shared.is_empty(),
        "runs copied from the source article, by file and line:\n{}",
        shared.join("\n")
    );
}

#[test]
fn the_overlap_check_would_catch_a_copied_sentence() {
    let source: HashSet<u64> =
        runs::runs("Independence implies control over scheduling and availability, always.")
            .into_iter()
            .map(|(hash, _)| hash)
            .collect();
    let copy =
        "Some intro.\nindependence IMPLIES control over scheduling, and availability always!";
    assert_eq!(
        copied_runs(copy, &source),
        ["2: independence implies control over scheduling and availability always"]
    );
    assert!(
        copied_runs(
            "Independence implies control over hours and availability, always.",
            &source
        )
        .is_empty()
    );
}

#[test]
fn nothing_tracked_reads_outside_the_repository() {
    // Spelled in two parts so that this file does not match itself.
    let outside = ["..", "shared"].join("/");
    let listed = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(common::repo())
        .output()
        .expect("git ls-files: the tests run in a git checkout");
    assert!(listed.status.success(), "git ls-files failed");
    let mut found = Vec::new();
    for path in listed.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = common::repo().join(String::from_utf8_lossy(path).as_ref());
        let Ok(text) = fs::read_to_string(&path) else {
            continue; // binary files, and files deleted but not yet committed
        };
        for (index, line) in text.lines().enumerate() {
            if line.contains(&outside) {
                found.push(format!("{}:{}: {line}", path.display(), index + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "tracked files refer to a folder outside the repository:\n{}",
        found.join("\n")
    );
}
