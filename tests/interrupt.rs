//! A build killed at any moment leaves the previous output exactly as it was: the output folder
//! is always either the old build, byte for byte, or (when the kill came after the swap) the
//! complete new one; never a mix. The next build then succeeds and leaves nothing beside the
//! output but the staging folder, which holds the previous build.

mod common;

use std::collections::HashSet;
use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Fixture;

type Tree = Vec<(String, Vec<u8>)>;

/// Sections and pages added to make the write take a while.
const SECTIONS: usize = 60;
const PAGES_PER_SECTION: usize = 50;

fn grow(site: &Fixture) {
    let paragraph = "Who decides when you work, and who carries the cost when a job goes wrong? \
                     This paragraph is here to give the page some weight on disk. "
        .repeat(6);
    for s in 0..SECTIONS {
        site.write(
            &format!("content/bulk{s:02}/_index.md"),
            &format!("+++\ntitle = \"Bulk section {s}\"\nweight = {s}\n+++\nSection {s}.\n"),
        );
        for p in 0..PAGES_PER_SECTION {
            site.write(
                &format!("content/bulk{s:02}/page{p:03}.md"),
                &format!(
                    "+++\ntitle = \"Page {p} of {s}\"\nweight = {p}\n+++\n{paragraph}\n\n\
                     ## Costs\n\n{paragraph}\n\n## Control\n\n{paragraph}\n\n\
                     ```toml\nsection = {s}\npage = {p}\n```\n\n[Back](_index.md)\n"
                ),
            );
        }
    }
}

fn tree(output: &Path) -> Tree {
    common::tree(output)
}

fn plumb(root: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plumb"));
    command
        .arg("build")
        .arg("--root")
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// The paths of a tree's files.
fn paths(tree: &Tree) -> HashSet<String> {
    tree.iter().map(|(p, _)| p.clone()).collect()
}

/// How the output folder compares with the old and the new build.
fn describe(tree: &Tree, old: &Tree, new: &Tree) -> String {
    let files = paths(tree);
    let old_files = paths(old);
    let new_files = paths(new);
    let from_old = files.iter().filter(|p| old_files.contains(*p)).count();
    let from_new = files.iter().filter(|p| new_files.contains(*p)).count();
    format!(
        "{} files ({from_old} named as in the old build of {}, {from_new} as in the new of {})",
        files.len(),
        old.len(),
        new.len()
    )
}

#[test]
fn a_killed_build_leaves_the_old_output_untouched() {
    let site = Fixture::new("basic");
    site.build().expect("the small site builds");
    let old = site.snapshot_tree();
    assert!(!old.is_empty());

    grow(&site);
    // The complete new build, written elsewhere, to recognise it; timed, to aim the kills.
    let reference = site.root.parent().expect("temp dir").join("reference");
    let started = Instant::now();
    let status = plumb(&site.root)
        .arg("--output-dir")
        .arg(&reference)
        .status()
        .expect("runs plumb");
    let full = started.elapsed();
    assert!(status.success(), "the large site builds");
    let new = tree(&reference);
    assert!(
        new.len() > SECTIONS * PAGES_PER_SECTION,
        "{} files",
        new.len()
    );
    assert_ne!(old, new);

    let output = site.output();
    let staging = site.root.join(".public.staging");
    let (old_paths, new_paths) = (paths(&old), paths(&new));
    let mut delays: Vec<Duration> = [5, 20, 50, 100]
        .into_iter()
        .map(Duration::from_millis)
        .collect();
    // Kills spread over the whole build, so that some land while pages are being written.
    delays.extend([15, 35, 55, 75, 90].map(|pct| full * pct / 100));
    let mut current = old.clone();
    let mut mid_write = 0;
    let mut log = Vec::new();
    for delay in delays {
        let mut child = plumb(&site.root).spawn().expect("starts plumb");
        std::thread::sleep(delay);
        child.kill().expect("kill");
        let status = child.wait().expect("wait");
        let killed = status.signal() == Some(9);
        let now = tree(&output);
        // Pages of the new build in the staging folder while the output is still the old one:
        // the kill landed mid-write.
        let staged = tree(&staging)
            .iter()
            .filter(|(path, _)| !old_paths.contains(path) && new_paths.contains(path))
            .count();
        if killed && staged > 0 && now == old {
            mid_write += 1;
        }
        log.push(format!(
            "{delay:?}: {}, new pages staged: {staged}, output: {}",
            if killed { "killed" } else { "finished" },
            describe(&now, &old, &new)
        ));
        if now == current {
            continue;
        }
        assert!(
            now == new,
            "after a kill at {delay:?} the output is neither the previous build nor the new one: {}\n{}",
            describe(&now, &old, &new),
            log.join("\n")
        );
        // The build got as far as the swap; from now on the new build is the one to keep.
        current = new.clone();
    }
    assert!(
        mid_write > 0,
        "no kill landed while new pages were being staged (full build: {full:?}); the test proved nothing:\n{}",
        log.join("\n")
    );

    let status = plumb(&site.root).status().expect("runs plumb");
    assert!(status.success(), "a normal build after the kills succeeds");
    assert!(tree(&output) == new, "and writes the complete new build");
    let mut leftovers: Vec<String> = fs::read_dir(&site.root)
        .expect("root")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.') && name != ".public.staging")
        .collect();
    leftovers.sort();
    assert!(leftovers.is_empty(), "folders left behind: {leftovers:?}");
    eprintln!("full build: {full:?}\n{}", log.join("\n"));
}

/// The swap itself: the kill lands between moving the old output aside and moving the new one
/// in. strace holds the build there (it delays the return of the first rename by two seconds),
/// which makes the moment that a random kill rarely hits certain. After the kill the output must
/// be the old build or the complete new one.
/// Guards the atomic exchange (`renameat2` with `RENAME_EXCHANGE`) in `output::swap`: two
/// renames would leave a moment with no output folder at all. strace is installed by
/// `scripts/test`.
#[test]
fn a_build_killed_during_the_swap_leaves_the_old_output() {
    let site = Fixture::new("basic");
    site.build().expect("builds");
    let old = site.snapshot_tree();
    site.write(
        "content/notes/added.md",
        "+++\ntitle = \"Added\"\n+++\nNew.\n",
    );
    let reference = site.root.parent().expect("temp dir").join("reference");
    let status = plumb(&site.root)
        .arg("--output-dir")
        .arg(&reference)
        .status()
        .expect("runs plumb");
    assert!(status.success());
    let new = tree(&reference);
    let strace = Command::new("strace")
        .args([
            "-f",
            "-o",
            "/dev/null",
            "-e",
            "trace=rename,renameat,renameat2",
        ])
        .args([
            "-e",
            "inject=rename,renameat,renameat2:delay_exit=2000000:when=1",
        ])
        .arg(env!("CARGO_BIN_EXE_plumb"))
        .arg("build")
        .arg("--root")
        .arg(&site.root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut strace = strace.expect("strace runs (scripts/test installs Debian's strace)");
    // The swap has begun once the old output is aside, gone, or replaced.
    let aside = site.root.join(".public.old");
    let output = site.output();
    let swapping =
        || aside.exists() || !output.exists() || output.join("notes/added/index.html").exists();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !swapping() {
        assert!(
            Instant::now() < deadline && strace.try_wait().expect("wait").is_none(),
            "strace could not hold the build at the swap"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    // The build is inside the delayed rename: kill plumb itself (strace's child).
    let children = format!("/proc/{0}/task/{0}/children", strace.id());
    let pid = fs::read_to_string(children).expect("strace's children");
    let pid = pid
        .split_whitespace()
        .next()
        .expect("plumb runs under strace");
    let killed = Command::new("kill")
        .args(["-9", pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    strace.wait().expect("strace ends");
    let now = site.snapshot_tree();
    assert!(
        now == old || now == new,
        "the output is neither the old build nor the new: {}; the site folder holds {:?}",
        describe(&now, &old, &new),
        fs::read_dir(&site.root)
            .expect("root")
            .map(|e| e.expect("entry").file_name())
            .collect::<Vec<_>>()
    );
    let status = plumb(&site.root).status().expect("runs plumb");
    assert!(status.success(), "the next build succeeds");
    assert!(site.snapshot_tree() == new, "and writes the new build");
    let leftovers: Vec<_> = fs::read_dir(&site.root)
        .expect("root")
        .map(|e| e.expect("entry").file_name())
        .filter(|name| name.to_string_lossy().starts_with('.') && name != ".public.staging")
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}
