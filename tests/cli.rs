//! The command line: exit codes, the summary line, and the diagnostics of every bad-input case
//! in `tests/errors/` (one folder per case, copied over the `basic` fixture; its expected
//! output is the `expected.snap` beside it).

mod common;

use std::fs;

use assert_cmd::Command;
use common::Fixture;

fn plumb() -> Command {
    Command::cargo_bin("plumb").expect("the plumb binary")
}

#[test]
fn every_bad_input_case_fails_with_its_expected_diagnostics() {
    let cases = common::repo().join("tests/errors");
    let mut names: Vec<_> = fs::read_dir(&cases)
        .expect("tests/errors")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "cases: {names:?}");
    for name in names {
        let case = cases.join(&name);
        let site = Fixture::new("basic").overlay(&case);
        fs::remove_file(site.root.join("expected.snap")).ok();
        let output = plumb()
            .args(["build", "--root"])
            .arg(&site.root)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr)
            .replace(&*site.root.to_string_lossy(), "<root>");
        assert_eq!(output.status.code(), Some(1), "{name}: exit code\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        assert!(output.stdout.is_empty(), "{name}: nothing on stdout");
        assert!(
            !site.output().exists(),
            "{name}: a failed build writes nothing"
        );
        insta::with_settings!({snapshot_path => &case, prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!("expected", stderr);
        });
    }
}

#[test]
fn success_prints_one_summary_line() {
    let site = Fixture::new("basic");
    let output = plumb()
        .args(["build", "--root"])
        .arg(&site.root)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("Built 3 pages, 2 sections, 0 checklists"),
        "{stdout}"
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn output_dir_option_is_honoured() {
    let site = Fixture::new("basic");
    let out = site.root.join("elsewhere");
    plumb()
        .args(["build", "--root"])
        .arg(&site.root)
        .arg("--output-dir")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("index.html").is_file());
    assert!(!site.output().exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Fixture::new("basic");
    site.build().expect("first build");
    let before = site.snapshot_tree();
    site.write("content/guide/first.md", "+++\ntitle = \"Broken\"\n");
    plumb()
        .args(["build", "--root"])
        .arg(&site.root)
        .assert()
        .code(1);
    assert_eq!(before, site.snapshot_tree());
}

#[test]
fn check_validates_without_writing() {
    let site = Fixture::new("basic");
    plumb()
        .args(["check", "--root"])
        .arg(&site.root)
        .assert()
        .success();
    assert!(!site.output().exists());
    site.write("content/guide/first.md", "no front matter\n");
    plumb()
        .args(["check", "--root"])
        .arg(&site.root)
        .assert()
        .code(1);
}

#[test]
fn output_folder_may_not_be_the_site_or_its_sources() {
    let site = Fixture::new("basic");
    for dir in [".", "content/out"] {
        let output = plumb()
            .args(["build", "--root"])
            .arg(&site.root)
            .arg("--output-dir")
            .arg(site.root.join(dir))
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(1), "{dir}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("choose another --output-dir"));
    }
    assert!(site.root.join("content/guide/first.md").is_file());
}

#[test]
fn schema_prints_the_criteria_json_schema() {
    let output = plumb().arg("schema").output().expect("runs");
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(schema["title"], "plumb checklist criteria");
}

#[test]
fn an_output_folder_with_foreign_files_is_refused_unless_forced() {
    let site = Fixture::new("basic");
    site.write("public/notes.txt", "mine");
    let output = plumb()
        .args(["build", "--root"])
        .arg(&site.root)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("holds files plumb did not write"));
    assert_eq!(
        fs::read_to_string(site.output().join("notes.txt")).expect("kept"),
        "mine"
    );
    plumb()
        .args(["build", "--force", "--root"])
        .arg(&site.root)
        .assert()
        .success();
    assert!(!site.output().join("notes.txt").exists());
    assert!(
        site.output().join(".plumb-build").is_file(),
        "the marker lets the next build replace it"
    );
    plumb()
        .args(["build", "--root"])
        .arg(&site.root)
        .assert()
        .success();
}

#[test]
fn strict_turns_warnings_into_failure() {
    let site = Fixture::new("basic");
    site.write(
        "content/guide/code.md",
        "+++\ntitle = \"Code\"\n+++\n```klingon\nx\n```\n",
    );
    let output = plumb()
        .args(["build", "--root"])
        .arg(&site.root)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("warning: no highlighting for the language `klingon`")
    );
    let output = plumb()
        .args(["build", "--strict", "--root"])
        .arg(&site.root)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("build failed: 0 errors, 1 warning"));
}

#[test]
fn init_writes_a_site_that_builds_cleanly_and_refuses_a_full_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("new-site");
    plumb().arg("init").arg(&site).assert().success();
    let output = plumb()
        .args(["build", "--strict", "--root"])
        .arg(&site)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("Built 1 page, 2 sections, 1 checklist ("),
        "counts of one are singular: {stdout}"
    );
    assert!(site.join("public/checklists/example/index.html").is_file());
    let ignored = fs::read_to_string(site.join(".gitignore")).expect("init writes .gitignore");
    let ignored: Vec<&str> = ignored.lines().collect();
    assert!(
        ignored.contains(&"/public/") && ignored.contains(&"/.public.staging/"),
        "{ignored:?}"
    );
    let again = plumb().arg("init").arg(&site).output().expect("runs");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
}

#[test]
fn check_finds_broken_links_that_templates_write() {
    let site = Fixture::new("basic");
    plumb()
        .args(["check", "--root"])
        .arg(&site.root)
        .assert()
        .success();
    site.write(
        "templates/404.html",
        "<main><a href=\"{{ url(path='nowhere') }}\">lost</a></main>",
    );
    let output = plumb()
        .args(["check", "--root"])
        .arg(&site.root)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: `404.html` links to `/docs/nowhere/`, which is not in the build"),
        "{stderr}"
    );
    assert!(!site.output().exists(), "check writes nothing");
}

/// Two names that differ only in bytes that are not UTF-8 would become one page (or file) if
/// read lossily: each is an error naming it instead.
#[test]
fn file_names_that_are_not_utf8_are_errors() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let site = Fixture::new("basic");
    for name in [&b"caf\xe9.md"[..], &b"caf\xe8.md"[..]] {
        let path = site
            .root
            .join("content/guide")
            .join(OsStr::from_bytes(name));
        fs::write(path, "+++\ntitle = \"Caf\"\n+++\nText.\n").expect("write");
    }
    fs::create_dir_all(site.root.join("static")).expect("mkdir");
    fs::write(
        site.root
            .join("static")
            .join(OsStr::from_bytes(b"logo\xff.png")),
        "png",
    )
    .expect("write");
    let output = plumb()
        .args(["build", "--root"])
        .arg(&site.root)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("this file's name is not UTF-8 text").count(),
        2,
        "{stderr}"
    );
    assert!(stderr.contains("content/guide/caf\u{fffd}.md"), "{stderr}");
    assert!(!site.output().exists());

    fs::remove_file(
        site.root
            .join("content/guide")
            .join(OsStr::from_bytes(b"caf\xe9.md")),
    )
    .expect("remove");
    fs::remove_file(
        site.root
            .join("content/guide")
            .join(OsStr::from_bytes(b"caf\xe8.md")),
    )
    .expect("remove");
    let output = plumb()
        .args(["build", "--root"])
        .arg(&site.root)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("static/logo\u{fffd}.png"), "{stderr}");
}
