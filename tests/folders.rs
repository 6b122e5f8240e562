//! A build touches nothing outside its output folder and the staging folder beside it: links a
//! site repository may carry at those names (git keeps links) are refused or removed, never
//! followed; an output name that is a file is refused; and two builds of one output at once
//! take turns, leaving one complete build.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output};

use common::Fixture;

fn plumb_build(root: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plumb"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .expect("runs plumb")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_staging_link_to_another_folder_is_refused_and_the_folder_kept() {
    let site = Fixture::new("basic");
    let docs = site.root.parent().expect("temp dir").join("docs");
    fs::create_dir(&docs).expect("mkdir");
    fs::write(docs.join("thesis.tex"), "years of work").expect("write");
    symlink("../docs", site.root.join(".public.staging")).expect("link");

    let output = plumb_build(&site.root, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(".public.staging` is a symbolic link"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read_to_string(docs.join("thesis.tex")).expect("kept"),
        "years of work"
    );
    assert!(!site.output().exists(), "nothing was published");
}

#[test]
fn a_staging_link_to_the_site_folder_leaves_its_sources() {
    let site = Fixture::new("basic");
    symlink(".", site.root.join(".public.staging")).expect("link");
    let output = plumb_build(&site.root, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(site.root.join("content/guide/first.md").is_file());
    assert!(site.root.join("themes/plain/templates/page.html").is_file());
    assert!(site.root.join("site.toml").is_file());
}

#[test]
fn an_aside_link_is_refused() {
    let site = Fixture::new("basic");
    let docs = site.root.parent().expect("temp dir").join("docs");
    fs::create_dir(&docs).expect("mkdir");
    fs::write(docs.join("notes.txt"), "mine").expect("write");
    symlink("../docs", site.root.join(".public.old")).expect("link");
    let output = plumb_build(&site.root, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains(".public.old` is a symbolic link"));
    assert_eq!(
        fs::read_to_string(docs.join("notes.txt")).expect("kept"),
        "mine"
    );
}

#[test]
fn an_output_link_is_refused() {
    let site = Fixture::new("basic");
    let elsewhere = site.root.parent().expect("temp dir").join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    symlink(&elsewhere, site.output()).expect("link");
    let output = plumb_build(&site.root, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("is a symbolic link"));
    assert_eq!(fs::read_dir(&elsewhere).expect("dir").count(), 0);
}

#[test]
fn an_output_dir_that_is_a_file_is_refused_and_kept() {
    let site = Fixture::new("basic");
    let before = fs::read(site.root.join("site.toml")).expect("read");
    let output = Command::new(env!("CARGO_BIN_EXE_plumb"))
        .current_dir(&site.root)
        .args(["build", "--output-dir", "site.toml"])
        .output()
        .expect("runs plumb");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is a file, not a folder"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read(site.root.join("site.toml")).expect("kept"), before);
    assert!(!site.root.join(".site.toml.staging").exists());
}

#[test]
fn a_link_inside_the_staging_folder_is_removed_not_followed() {
    let site = Fixture::new("basic");
    let elsewhere = site.root.parent().expect("temp dir").join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    fs::write(elsewhere.join("keep.txt"), "mine").expect("write");
    let staging = site.root.join(".public.staging");
    fs::create_dir_all(staging.join("notes")).expect("mkdir");
    symlink(&elsewhere, staging.join("guide")).expect("link");
    symlink(&elsewhere, staging.join("notes/loose")).expect("link");
    symlink(elsewhere.join("keep.txt"), staging.join("index.html")).expect("link");
    symlink(&elsewhere, staging.join("stray")).expect("link");

    let output = plumb_build(&site.root, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(site.output().join("guide/first/index.html").is_file());
    assert!(site.output().join("notes/loose/index.html").is_file());
    let home = fs::symlink_metadata(site.output().join("index.html")).expect("home");
    assert!(
        home.is_file(),
        "the home page is a file of its own, not the link"
    );
    assert!(
        !site.output().join("stray").exists(),
        "a stray link is not published"
    );
    let mut left: Vec<_> = fs::read_dir(&elsewhere)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["keep.txt"], "nothing was written through the links");
    assert_eq!(
        fs::read_to_string(elsewhere.join("keep.txt")).expect("kept"),
        "mine"
    );
}

/// Two sites, different in every page, built into one output folder at the same moment.
#[test]
fn two_builds_at_once_leave_one_complete_build() {
    let one = Fixture::new("basic");
    let two = Fixture::new("basic");
    for (site, word) in [(&one, "first"), (&two, "second")] {
        for i in 0..120 {
            site.write(
                &format!("content/bulk/page{i:03}.md"),
                &format!("+++\ntitle = \"Page {i} of the {word} site\"\n+++\nThe {word} site.\n"),
            );
        }
    }
    let shared = one.root.parent().expect("temp dir").join("shared-public");
    let out = shared.to_str().expect("utf-8 temp path");
    let reference = |site: &Fixture| {
        let output = plumb_build(&site.root, &["--output-dir", out]);
        assert!(output.status.success(), "{}", stderr(&output));
        common::tree(&shared)
    };
    let (tree_one, tree_two) = (reference(&one), reference(&two));
    assert_ne!(tree_one, tree_two);

    for round in 0..10 {
        let spawn = |site: &Fixture| {
            Command::new(env!("CARGO_BIN_EXE_plumb"))
                .args(["build", "--output-dir", out, "--root"])
                .arg(&site.root)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawns plumb")
        };
        let (a, b) = (spawn(&one), spawn(&two));
        for child in [a, b] {
            let output = child.wait_with_output().expect("waits");
            assert!(
                output.status.success(),
                "round {round}: {}",
                stderr(&output)
            );
        }
        let now = common::tree(&shared);
        assert!(
            now == tree_one || now == tree_two,
            "round {round}: the output is not one complete build"
        );
    }
}
