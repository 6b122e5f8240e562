//! Writing a build: every output file into a staging folder beside the output, then one swap,
//! so the published folder is always a complete build: the previous one until the new one has
//! been written whole.
//!
//! This is the only stage that writes files, and it writes nowhere but the staging folder and
//! the output folder it replaces.

pub mod assets;
pub mod claims;
pub mod compress;
pub mod feeds;
pub mod first_load;
mod folder;
pub mod offline;
pub mod precache;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use folder::{MARKER, check_output_dir};

use crate::finish::Facts;
use folder::{StagingLock, sibling_folders};

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

const MARKER_TEXT: &str = "This folder was written by plumb. Each build replaces it whole.\n";

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

    /// What the finishing pass recorded of the page at `path`: only a sink whose reader checks
    /// the pages (`plumb check`) keeps it.
    fn keep_facts(&self, path: &str, facts: Facts) {
        let _ = (path, facts);
    }
}

/// The record of `bytes` written at `path`.
pub(crate) fn record(path: &str, bytes: &[u8]) -> Record {
    Record {
        path: path.to_owned(),
        hash: xxhash_rust::xxh3::xxh3_64(bytes),
        len: bytes.len() as u64,
    }
}

/// The record of `file` as it is, reading a copied file's bytes: for sinks that write nothing.
fn record_of(file: &OutputFile) -> io::Result<Record> {
    Ok(match &file.contents {
        Contents::Bytes(bytes) => record(&file.path, bytes),
        Contents::Copy(from) => record(&file.path, &fs::read(from)?),
    })
}

/// Keeps every file in memory: the site as it would be published, for tests and tools.
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<Vec<OutputFile>>,
}

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn accept(&self, file: OutputFile) -> io::Result<Record> {
        let record = record_of(&file)?;
        lock(&self.files).push(file);
        Ok(record)
    }
}

/// Keeps only what `plumb check` reads: each page's facts. Every file is recorded (its path,
/// hash and size) and its bytes dropped at once, so checking a site holds no page in memory.
#[derive(Debug, Default)]
pub struct FactsOnly {
    pages: Mutex<HashMap<String, Facts>>,
}

impl FactsOnly {
    /// Each page's facts, by its output path.
    pub fn into_pages(self) -> HashMap<String, Facts> {
        self.pages.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for FactsOnly {
    fn accept(&self, file: OutputFile) -> io::Result<Record> {
        record_of(&file)
    }

    fn keep_facts(&self, path: &str, facts: Facts) {
        lock(&self.pages).insert(path.to_owned(), facts);
    }
}

/// Writes a build into `.<output>.staging` beside the output, then [`Staging::commit`] swaps it
/// in. The staging folder is kept after the swap, holding the previous build, and the next build
/// starts from it: a file whose bytes are already there is left alone, one whose bytes equal the
/// current output's is hard-linked from it, and only the rest is written; files the build does
/// not produce are removed before the swap. So a rebuild of an unchanged site writes nothing and
/// creates or deletes no folder. Dropped without a commit, the output is untouched and the
/// staging folder is left for the next build, which trusts none of its contents.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    /// Paths (below the staging folder) this build produced.
    written: Mutex<HashSet<PathBuf>>,
    /// Folders (below the staging folder) this build has made sure are not links.
    checked: Mutex<HashSet<PathBuf>>,
    /// Held until the build is committed or dropped: one build at a time writes here.
    _lock: StagingLock,
}

impl Staging {
    /// Takes the staging folder of `output`, waiting (after calling `waiting`) while another
    /// build holds it. Refuses a symbolic link at the output's names. Links inside the staging
    /// folder are removed before anything is written below them (see [`Staging::accept`]),
    /// and the rest when the build commits, so no write goes through one.
    pub fn begin(output: &Path, waiting: &dyn Fn()) -> io::Result<Self> {
        let (staging, old) = sibling_folders(output)?;
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        folder::refuse_links(output)?;
        let lock = StagingLock::take(&staging, waiting)?;
        // A build killed between the two renames of a non-atomic swap left the previous output
        // aside: put it back before anything else.
        if fs::symlink_metadata(output).is_err()
            && fs::symlink_metadata(&old).is_ok_and(|m| m.is_dir())
        {
            fs::rename(&old, output)?;
        }
        if fs::symlink_metadata(staging.join(MARKER)).is_ok_and(|m| m.file_type().is_symlink()) {
            fs::remove_file(staging.join(MARKER))?;
        }
        let marker = staging.join(MARKER);
        if !Self::holds(&marker, MARKER_TEXT.as_bytes()) {
            replace(&marker, MARKER_TEXT.as_bytes())?;
        }
        Ok(Self {
            output: output.to_path_buf(),
            staging,
            old,
            written: Mutex::new(HashSet::from([PathBuf::from(MARKER)])),
            checked: Mutex::default(),
            _lock: lock,
        })
    }

    /// Removes what this build did not produce, then swaps the staging folder in as the output.
    pub fn commit(self) -> io::Result<()> {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        prune(&self.staging, &written)?;
        swap(&self.staging, &self.output, &self.old)
    }

    /// Whether `target` is a file (not a link) already holding exactly `bytes`.
    fn holds(target: &Path, bytes: &[u8]) -> bool {
        fs::symlink_metadata(target).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && fs::read(target).is_ok_and(|old| old == bytes)
    }

    /// Removes a link standing at any folder of `relative` (a path below the staging folder),
    /// checking each folder once per build: a write below it would land wherever it points.
    fn clear_links_above(&self, relative: &Path) -> io::Result<()> {
        let mut folder = PathBuf::new();
        for part in relative.parent().into_iter().flat_map(Path::components) {
            folder.push(part);
            if lock(&self.checked).contains(&folder) {
                continue;
            }
            let path = self.staging.join(&folder);
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                remove_file_if_present(&path)?;
            }
            lock(&self.checked).insert(folder.clone());
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn accept(&self, file: OutputFile) -> io::Result<Record> {
        self.clear_links_above(Path::new(&file.path))?;
        let target = self.staging.join(&file.path);
        let bytes = match file.contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Copy(from) => fs::read(&from)?,
        };
        if !Self::holds(&target, &bytes) {
            let previous = self.output.join(&file.path);
            let result = if Self::holds(&previous, &bytes) {
                make_room(&self.staging, &target)
                    .and_then(|()| fs::hard_link(&previous, &target))
                    .or_else(|_| replace(&target, &bytes))
            } else {
                make_room(&self.staging, &target).and_then(|()| replace(&target, &bytes))
            };
            result.map_err(|err| {
                io::Error::new(err.kind(), format!("{}: {err}", target.display()))
            })?;
        }
        lock(&self.written).insert(PathBuf::from(&file.path));
        Ok(record(&file.path, &bytes))
    }
}

/// Locks `mutex`, also after a panic elsewhere: the sinks' lists stay valid either way.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Clears the way for a new file at `target` inside `root`: whatever is at `target` goes (it may
/// be a hard link the output shares, which must not be written through), and a file standing
/// where one of its folders should be goes too.
fn make_room(root: &Path, target: &Path) -> io::Result<()> {
    match fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(target)?,
        Ok(_) => fs::remove_file(target)?,
        Err(_) => {}
    }
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    if fs::create_dir_all(parent).is_ok() {
        return Ok(());
    }
    for folder in parent
        .ancestors()
        .take_while(|a| a.starts_with(root) && *a != root)
    {
        if fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir()) {
            // Another page below the same folder may have removed it first.
            remove_file_if_present(folder)?;
        }
    }
    fs::create_dir_all(parent)
}

/// Writes `bytes` as a new file at `path`, never through an existing one (nor a link).
fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    remove_file_if_present(path)?;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

fn remove_file_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

/// Removes every file (and link) below `root` that is not in `keep` (paths relative to
/// `root`), and the folders left empty. Links are removed, never followed.
fn prune(root: &Path, keep: &HashSet<PathBuf>) -> io::Result<()> {
    let folders: HashSet<&Path> = keep
        .iter()
        .flat_map(|path| path.ancestors().skip(1))
        .collect();
    for entry in walkdir::WalkDir::new(root)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if entry.file_type().is_dir() {
            if !folders.contains(relative) {
                fs::remove_dir(entry.path())?;
            }
        } else if !keep.contains(relative) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Puts `staging` in place of `output`; afterwards `staging` holds the previous build (when there
/// was one), ready to become the next.
fn swap(staging: &Path, output: &Path, old: &Path) -> io::Result<()> {
    if old.exists() {
        fs::remove_dir_all(old)?;
    }
    if output.exists() {
        // One atomic step where the system has one: the output folder is the old build or the
        // new one at every instant, so a build killed here leaves a complete site.
        if exchange(staging, output).is_ok() {
            return Ok(());
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
        fs::rename(old, staging)?;
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
        let staging = Staging::begin(output, &|| {})?;
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
        assert_eq!(tree(&out), [".plumb-build", "b.txt"]);
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"two");
        // Beside it, only the previous build, kept for the next one to start from.
        let mut beside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        beside.sort();
        assert_eq!(beside, [".public.staging", "public"]);
        assert_eq!(
            tree(&dir.path().join(".public.staging")),
            [".plumb-build", "a/index.html"]
        );
    }

    /// Every file below `root`, relative, sorted.
    fn tree(root: &Path) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let relative = e.path().strip_prefix(root).unwrap();
                relative.to_string_lossy().replace('\\', "/")
            })
            .collect();
        files.sort();
        files
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

    #[test]
    fn a_rebuild_of_unchanged_files_writes_nothing() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let files = |changed: &[u8]| {
            vec![
                OutputFile::new("a/same.html".into(), b"same".to_vec()),
                OutputFile::new("changed.html".into(), changed.to_vec()),
            ]
        };
        let inodes =
            || ["a/same.html", "changed.html"].map(|f| fs::metadata(out.join(f)).unwrap().ino());
        publish(&out, files(b"one")).unwrap();
        publish(&out, files(b"two")).unwrap();
        let second = inodes();
        // The third build starts from the first one's tree; every file it needs is already
        // there or in the output.
        publish(&out, files(b"two")).unwrap();
        assert_eq!(inodes(), second);
        assert_eq!(fs::read(out.join("changed.html")).unwrap(), b"two");
    }

    #[test]
    fn a_messy_staging_folder_is_set_right() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = dir.path().join(".public.staging");
        // Left by an interrupted build: a file where a folder goes, a folder where a file goes,
        // a stale file, and a right file with wrong bytes.
        fs::create_dir_all(staging.join("page.html/deep")).unwrap();
        fs::create_dir_all(staging.join("old")).unwrap();
        fs::write(staging.join("guide"), "file in the way").unwrap();
        fs::write(staging.join("old/stale.html"), "stale").unwrap();
        fs::write(staging.join("index.html"), "half writ").unwrap();
        publish(
            &out,
            vec![
                OutputFile::new("guide/a/index.html".into(), b"a".to_vec()),
                OutputFile::new("guide/b/index.html".into(), b"b".to_vec()),
                OutputFile::new("page.html".into(), b"page".to_vec()),
                OutputFile::new("index.html".into(), b"home".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(
            tree(&out),
            [
                ".plumb-build",
                "guide/a/index.html",
                "guide/b/index.html",
                "index.html",
                "page.html"
            ]
        );
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"home");
        assert!(!out.join("old").exists(), "emptied folders go too");
    }

    #[test]
    fn a_file_shared_with_the_output_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |bytes: &[u8]| vec![OutputFile::new("index.html".into(), bytes.to_vec())];
        publish(&out, page(b"same")).unwrap();
        // Linked from the first build: the staging folder and the output share the file now.
        publish(&out, page(b"same")).unwrap();
        let missing = dir.path().join("does-not-exist");
        let mut next = page(b"new");
        next.push(OutputFile {
            path: "copy.bin".into(),
            contents: Contents::Copy(missing),
        });
        assert!(publish(&out, next).is_err());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"same");
    }
}
