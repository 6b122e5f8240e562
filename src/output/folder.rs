//! Which folders a build may write, and one build at a time per output folder.
//!
//! The output folder and the folders beside it (`.<name>.staging`, `.<name>.old`) are checked
//! without following symbolic links: a link at any of those names is refused, so a site
//! repository (git keeps links) cannot point a build at folders it would then empty. A file at
//! the output's name is refused too: a build replaces its output whole. The staging folder is
//! locked (`flock`) while a build writes it, so a second build of the same output waits.
//!
//! This module deletes nothing.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// The file that marks a folder as a build of plumb's, which the next build may replace.
pub const MARKER: &str = ".plumb-build";

/// `.<name>.staging` and `.<name>.old` beside `output`, on the same file system so renames are
/// atomic.
pub(crate) fn sibling_folders(output: &Path) -> io::Result<(PathBuf, PathBuf)> {
    let name = output
        .file_name()
        .ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "the output folder has no name")
        })?
        .to_string_lossy();
    let parent = output.parent().unwrap_or(Path::new("."));
    Ok((
        parent.join(format!(".{name}.staging")),
        parent.join(format!(".{name}.old")),
    ))
}

/// Refuses output folders that would overwrite the site's own files: the root itself, a folder
/// holding the root, or a folder inside `content/`, `themes/`, `templates/` or `static/`; an
/// output, staging or aside name that is a symbolic link; an output name that is a file.
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
    check_names(&output).map_err(|(path, what)| {
        Diagnostic::error(format!("`{}` {what}", path.display()))
            .in_file(&path)
            .with_hint(format!(
                "a build replaces its output folder whole and never follows a link: remove `{}`, or choose another --output-dir",
                path.display()
            ))
    })?;
    if !force && !is_ours_or_empty(&output) {
        return Err(Diagnostic::error(format!(
            "the output folder `{}` holds files plumb did not write",
            config.output_dir.display()
        ))
        .with_hint("a build replaces its output folder whole: choose an empty or new folder, or pass --force to replace this one"));
    }
    Ok(())
}

/// The first of the output's names that may not be used: a link anywhere, or a file at the
/// output's own name. The staging and aside names may be files (a build removes those).
fn check_names(output: &Path) -> Result<(), (PathBuf, &'static str)> {
    let (staging, old) =
        sibling_folders(output).map_err(|_| (output.to_path_buf(), "has no name"))?;
    for (path, is_output) in [(output.to_path_buf(), true), (staging, false), (old, false)] {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err((path, "is a symbolic link; plumb will not write through it"));
            }
            Ok(meta) if is_output && !meta.is_dir() => {
                return Err((path, "is a file, not a folder"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The same check for callers without a config: an `InvalidInput` error naming the link.
pub(crate) fn refuse_links(output: &Path) -> io::Result<()> {
    check_names(output).map_err(|(path, what)| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} {what}", path.display()),
        )
    })
}

/// A folder plumb may replace: missing, empty, or holding plumb's marker.
fn is_ours_or_empty(output: &Path) -> bool {
    match fs::read_dir(output) {
        Err(_) => true,
        Ok(mut entries) => {
            entries.next().is_none()
                || fs::symlink_metadata(output.join(MARKER)).is_ok_and(|m| m.is_file())
        }
    }
}

/// Holds the staging folder of one output for one build; other builds of the same output wait
/// in [`StagingLock::take`] until it is dropped (or the process ends).
#[derive(Debug)]
pub(super) struct StagingLock(#[allow(dead_code)] File);

impl StagingLock {
    /// Creates the staging folder if needed and locks it, calling `waiting` once if another
    /// build holds it. The lock is on the folder itself; if another build swapped it in as its
    /// output while this one waited, the folder now at the staging name is locked instead.
    pub(super) fn take(staging: &Path, waiting: &dyn Fn()) -> io::Result<Self> {
        let mut told = false;
        loop {
            match fs::symlink_metadata(staging) {
                Ok(meta) if meta.is_dir() => {}
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "{} is a symbolic link; plumb will not write through it",
                            staging.display()
                        ),
                    ));
                }
                // A file left at the staging name is not a build; it goes.
                Ok(_) => fs::remove_file(staging)?,
                Err(_) => {}
            }
            match fs::create_dir(staging) {
                Err(err) if err.kind() != io::ErrorKind::AlreadyExists => return Err(err),
                _ => {}
            }
            let folder = open_folder(staging)?;
            match folder.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    if !told {
                        waiting();
                        told = true;
                    }
                    folder.lock()?;
                }
                Err(fs::TryLockError::Error(err)) => return Err(err),
            }
            if same_folder(&folder, staging) {
                return Ok(Self(folder));
            }
        }
    }
}

/// Opens a folder for locking, refusing a link at its name.
#[cfg(target_os = "linux")]
fn open_folder(path: &Path) -> io::Result<File> {
    use rustix::fs::{CWD, Mode, OFlags, openat};
    let fd = openat(
        CWD,
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    Ok(File::from(fd))
}

#[cfg(not(target_os = "linux"))]
fn open_folder(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Whether `folder` is still the folder at `path`.
#[cfg(unix)]
fn same_folder(folder: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (folder.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_folder(_: &File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join(".public.staging");
        let first = StagingLock::take(&staging, &|| panic!("nothing held it")).unwrap();
        let waited = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                StagingLock::take(&staging, &|| waited.store(true, Ordering::SeqCst)).unwrap()
            });
            while !waited.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            assert!(!second.is_finished(), "the second lock waits");
            drop(first);
            second.join().unwrap();
        });
    }

    #[test]
    fn a_link_at_the_staging_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("docs");
        fs::create_dir(&elsewhere).unwrap();
        let staging = dir.path().join(".public.staging");
        std::os::unix::fs::symlink(&elsewhere, &staging).unwrap();
        let err = StagingLock::take(&staging, &|| {}).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(refuse_links(&dir.path().join("public")).is_err());
    }
}
