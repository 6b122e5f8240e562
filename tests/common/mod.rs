//! The one fixture builder every integration test uses: copies `tests/fixtures/<name>/` to a
//! temporary folder (with the plain test theme as `themes/plain` when the fixture has none),
//! lets a test change files, builds, and reads the output.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use plumb::{BuildOptions, Diagnostics};

pub(crate) fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

pub(crate) struct Fixture {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Fixture {
    pub(crate) fn new(name: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("site");
        copy_tree(&fixtures().join(name), &root);
        if !root.join("themes").exists() {
            copy_tree(&fixtures().join("_theme"), &root.join("themes/plain"));
        }
        Self { _dir: dir, root }
    }

    /// Copies `overlay`'s files over the fixture's.
    pub(crate) fn overlay(self, overlay: &Path) -> Self {
        copy_tree(overlay, &self.root);
        self
    }

    pub(crate) fn write(&self, path: &str, text: &str) -> &Self {
        let path = self.root.join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
        self
    }

    pub(crate) fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            ..BuildOptions::default()
        }
    }

    pub(crate) fn build(&self) -> Result<plumb::Summary, Diagnostics> {
        plumb::build(&self.options())
    }

    pub(crate) fn output(&self) -> PathBuf {
        self.root.join("public")
    }

    pub(crate) fn read(&self, path: &str) -> String {
        let path = self.output().join(path);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Every output file with its bytes, sorted by path.
    pub(crate) fn snapshot_tree(&self) -> Vec<(String, Vec<u8>)> {
        tree(&self.output())
    }
}

/// Every file below `dir` with its bytes, sorted by path.
pub(crate) fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The `<main>` element of a page, for snapshots that survive theme changes elsewhere.
pub(crate) fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    let end = html.rfind("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

/// Every diagnostic, one line each, as `plumb build` prints them in short form.
pub(crate) fn lines(diagnostics: &Diagnostics) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

/// A worked example of the guide: a page whose front matter's `[extra.example]` gives a
/// checklist's answers and the verdict its text states.
pub(crate) struct WorkedExample {
    pub file: PathBuf,
    pub title: String,
    pub checklist: String,
    pub verdict: String,
    pub answers: plumb::checklist::Answers,
}

/// Every worked example of the shipped guide's `content/`, in file name order.
pub(crate) fn worked_examples() -> Vec<WorkedExample> {
    let mut examples = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
    {
        let text = fs::read_to_string(entry.path()).expect("page");
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
        let text_of = |value: Option<&toml::Value>| {
            value
                .and_then(toml::Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        examples.push(WorkedExample {
            file: entry.into_path(),
            title: text_of(front.get("title")),
            checklist: text_of(example.get("checklist")),
            verdict: text_of(example.get("verdict")),
            answers: example["answers"]
                .as_table()
                .expect("answers")
                .iter()
                .map(|(q, a)| (q.clone(), a.as_str().expect("option id").to_owned()))
                .collect(),
        });
    }
    examples
}
