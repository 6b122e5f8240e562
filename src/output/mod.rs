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
use std::sync::Mutex;

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

/// What a sink did with one file: enough to name the build and count its size, without its
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub path: String,
    pub hash: u64,
    pub len: u64,
}

/// Where the files of a build go, as they are produced (from many threads at once).
pub trait Sink: Sync {
    fn accept(&self, file: OutputFile) -> io::Result<Record>;
}

fn record(path: &str, bytes: &[u8]) -> Record {
    Record {
        path: path.to_owned(),
        hash: xxhash_rust::xxh3::xxh3_64(bytes),
        len: bytes.len() as u64,
    }
}

/// Keeps every file in memory: for `plumb check` and previews.
#[derive(Debug, Default)]
pub struct Memory(Mutex<Vec<OutputFile>>);

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn accept(&self, file: OutputFile) -> io::Result<Record> {
        let record = match &file.contents {
            Contents::Bytes(bytes) => record(&file.path, bytes),
            Contents::Copy(from) => record(&file.path, &fs::read(from)?),
        };
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(record)
    }
}

/// Writes a build into `.<output>.staging` beside the output, then [`Staging::commit`] swaps it
/// in. A file whose bytes equal the previous build's is hard-linked from it instead of written
/// again. Dropped without a commit, the staging folder is removed and the output untouched.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn begin(output: &Path) -> io::Result<Self> {
        let (staging, old) = sibling_folders(output)?;
        // A build killed between the two renames of a non-atomic swap left the previous output
        // aside: put it back before anything else.
        if !output.exists() && old.exists() {
            fs::rename(&old, output)?;
        }
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        fs::write(staging.join(MARKER), MARKER_TEXT)?;
        Ok(Self {
            output: output.to_path_buf(),
            staging,
            old,
            committed: false,
        })
    }

    /// Swaps the staging folder in as the output.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        swap(&self.staging, &self.output, &self.old)
    }

    /// Links the previous build's copy of `path` if it holds exactly `bytes`.
    fn reuse(&self, path: &str, bytes: &[u8], target: &Path) -> bool {
        let previous = self.output.join(path);
        fs::metadata(&previous).is_ok_and(|m| m.len() == bytes.len() as u64)
            && fs::read(&previous).is_ok_and(|old| old == bytes)
            && fs::hard_link(&previous, target).is_ok()
    }
}

impl Sink for Staging {
    fn accept(&self, file: OutputFile) -> io::Result<Record> {
        let target = self.staging.join(&file.path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let bytes = match file.contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Copy(from) => fs::read(&from)?,
        };
        if !self.reuse(&file.path, &bytes, &target) {
            fs::write(&target, &bytes).map_err(|err| {
                io::Error::new(err.kind(), format!("{}: {err}", target.display()))
            })?;
        }
        Ok(record(&file.path, &bytes))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            fs::remove_dir_all(&self.staging).ok();
        }
    }
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
        // One atomic step where the system has one: the output folder is the old build or the
        // new one at every instant, so a build killed here leaves a complete site.
        if exchange(staging, output).is_ok() {
            // `staging` now holds the previous build.
            return fs::remove_dir_all(staging);
        }
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

/// Exchanges two folders atomically (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    fn publish(output: &Path, files: Vec<OutputFile>) -> io::Result<()> {
        let staging = Staging::begin(output)?;
        files
            .into_par_iter()
            .try_for_each(|file| staging.accept(file).map(drop))?;
        staging.commit()
    }

    #[test]
    fn publish_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(
            &out,
            vec![OutputFile::new("a/index.html".into(), b"one".to_vec())],
        )
        .unwrap();
        publish(&out, vec![OutputFile::new("b.txt".into(), b"two".to_vec())]).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["public"]);
    }

    #[test]
    fn unchanged_files_are_linked_not_written() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = || {
            vec![
                OutputFile::new("same.html".into(), b"same".to_vec()),
                OutputFile::new("changed.html".into(), b"one".to_vec()),
            ]
        };
        publish(&out, files()).unwrap();
        let before = fs::metadata(out.join("same.html")).unwrap().ino();
        let mut next = files();
        next[1] = OutputFile::new("changed.html".into(), b"two".to_vec());
        publish(&out, next).unwrap();
        assert_eq!(fs::metadata(out.join("same.html")).unwrap().ino(), before);
        assert_eq!(fs::read(out.join("changed.html")).unwrap(), b"two");
    }

    #[test]
    fn a_failed_write_leaves_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(
            &out,
            vec![OutputFile::new("index.html".into(), b"old".to_vec())],
        )
        .unwrap();
        let missing = dir.path().join("does-not-exist");
        let files = vec![
            OutputFile::new("index.html".into(), b"new".to_vec()),
            OutputFile {
                path: "copy.bin".into(),
                contents: Contents::Copy(missing),
            },
        ];
        assert!(publish(&out, files).is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"old");
    }
}
