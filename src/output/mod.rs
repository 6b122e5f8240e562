//! Writing a build: every output file into a staging folder beside the output, then one swap,
//! so the published folder is always a complete build: the previous one until the new one has
//! been written whole.
//!
//! This is the only stage that writes files, and it writes nowhere but the staging folder and
//! the output folder it replaces.

pub mod assets;
pub mod feeds;
pub mod offline;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path below the output folder, with `/` separators.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    /// Copied as it is from this file.
    Copy(PathBuf),
}

impl OutputFile {
    pub fn new(path: String, bytes: Vec<u8>) -> Self {
        Self {
            path,
            contents: Contents::Bytes(bytes),
        }
    }
}

/// Refuses output folders that would overwrite the site's own files: the root itself, a folder
/// holding the root, or a folder inside `content/`, `themes/`, `templates/` or `static/`.
/// Unless `force`, also refuses a folder holding files that plumb did not write.
pub fn check_output_dir(config: &Config, force: bool) -> Result<(), Diagnostic> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let output = absolute(&config.output_dir);
    let root = absolute(&config.root);
    let problem = if root.starts_with(&output) {
        Some("is the site's folder, or holds it")
    } else {
        ["content", "themes", "templates", "static"]
            .into_iter()
            .find(|dir| output.starts_with(root.join(dir)))
            .map(|_| "is inside the site's sources")
    };
    if let Some(problem) = problem {
        return Err(Diagnostic::error(format!(
            "the output folder `{}` {problem}; a build replaces its output folder whole",
            config.output_dir.display()
        ))
        .with_hint("choose another --output-dir, such as `public`"));
    }
    if !force && !is_ours_or_empty(&output) {
        return Err(Diagnostic::error(format!(
            "the output folder `{}` holds files plumb did not write",
            config.output_dir.display()
        ))
        .with_hint("a build replaces its output folder whole: choose an empty or new folder, or pass --force to replace this one"));
    }
    Ok(())
}

/// The file that marks a folder as a build of plumb's, which the next build may replace.
pub const MARKER: &str = ".plumb-build";

const MARKER_TEXT: &str = "This folder was written by plumb. Each build replaces it whole.\n";

/// A folder plumb may replace: missing, empty, or holding plumb's marker.
fn is_ours_or_empty(output: &Path) -> bool {
    match fs::read_dir(output) {
        Err(_) => true,
        Ok(mut entries) => entries.next().is_none() || output.join(MARKER).is_file(),
    }
}

/// Writes `files` as the new contents of `output`, replacing what was there only once all of
/// them are written.
pub fn publish(output: &Path, files: &[OutputFile]) -> io::Result<()> {
    let (staging, old) = sibling_folders(output)?;
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    for folder in &folders {
        fs::create_dir_all(folder)?;
    }
    fs::write(staging.join(MARKER), MARKER_TEXT)?;
    let written: io::Result<()> = files.par_iter().try_for_each(|file| {
        let target = staging.join(&file.path);
        match &file.contents {
            Contents::Bytes(bytes) => fs::write(&target, bytes),
            Contents::Copy(from) => fs::copy(from, &target).map(drop),
        }
        .map_err(|err| io::Error::new(err.kind(), format!("{}: {err}", target.display())))
    });
    if let Err(err) = written {
        fs::remove_dir_all(&staging).ok();
        return Err(err);
    }
    swap(&staging, output, &old)
}

/// `.<name>.staging` and `.<name>.old` beside `output`, on the same file system so renames are
/// atomic.
fn sibling_folders(output: &Path) -> io::Result<(PathBuf, PathBuf)> {
    let name = output
        .file_name()
        .ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "the output folder has no name")
        })?
        .to_string_lossy();
    let parent = output.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    Ok((
        parent.join(format!(".{name}.staging")),
        parent.join(format!(".{name}.old")),
    ))
}

fn swap(staging: &Path, output: &Path, old: &Path) -> io::Result<()> {
    if old.exists() {
        fs::remove_dir_all(old)?;
    }
    if output.exists() {
        fs::rename(output, old)?;
    }
    if let Err(err) = fs::rename(staging, output) {
        if old.exists() {
            fs::rename(old, output).ok();
        }
        return Err(err);
    }
    if old.exists() {
        fs::remove_dir_all(old)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(
            &out,
            &[OutputFile::new("a/index.html".into(), b"one".to_vec())],
        )
        .unwrap();
        publish(&out, &[OutputFile::new("b.txt".into(), b"two".to_vec())]).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(
            &out,
            &[OutputFile::new("index.html".into(), b"old".to_vec())],
        )
        .unwrap();
        let missing = dir.path().join("does-not-exist");
        let files = [
            OutputFile::new("index.html".into(), b"new".to_vec()),
            OutputFile {
                path: "copy.bin".into(),
                contents: Contents::Copy(missing),
            },
        ];
        assert!(publish(&out, &files).is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
    }
}
