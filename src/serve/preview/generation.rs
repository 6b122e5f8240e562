//! The sink of the preview's full rebuild: the files of the new generation, in memory, each
//! sharing the previous generation's bytes when it did not change, so that the snapshot still
//! served and the new one hold one copy of them, from the moment each file is made.

use std::fs;
use std::io;
use std::sync::{Arc, Mutex};

use super::Files;
use crate::output::{self, Contents, OutputFile, Record, Sink, lock};

/// The files a full rebuild makes, beside the previous generation's.
pub(super) struct Generation<'a> {
    previous: &'a Files,
    files: Mutex<Files>,
}

impl<'a> Generation<'a> {
    /// A generation that follows `previous` (empty for the first).
    pub(super) fn after(previous: &'a Files) -> Self {
        Self {
            previous,
            files: Mutex::new(Files::with_capacity(previous.len())),
        }
    }

    /// The site as it is while the rebuild runs: the files made so far, and the previous
    /// generation's for the rest.
    pub(super) fn so_far(&self) -> Files {
        let mut files = self.previous.clone();
        files.extend(
            lock(&self.files)
                .iter()
                .map(|(path, bytes)| (path.clone(), bytes.clone())),
        );
        files
    }

    /// The new generation's files: those of the previous one it did not make are gone.
    pub(super) fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for Generation<'_> {
    fn accept(&self, file: OutputFile) -> io::Result<Record> {
        let bytes = match file.contents {
            Contents::Bytes(bytes) => bytes,
            Contents::Copy(from) => fs::read(&from)
                .map_err(|err| io::Error::new(err.kind(), format!("{}: {err}", from.display())))?,
        };
        let record = output::record(&file.path, &bytes);
        let bytes: Arc<[u8]> = match self.previous.get(&file.path) {
            Some(old) if **old == *bytes => old.clone(),
            _ => bytes.into(),
        };
        lock(&self.files).insert(file.path, bytes);
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_files_share_the_previous_bytes() {
        let previous: Files = [
            ("same.html".to_owned(), Arc::from(&b"same"[..])),
            ("changed.html".to_owned(), Arc::from(&b"one"[..])),
            ("gone.html".to_owned(), Arc::from(&b"gone"[..])),
        ]
        .into_iter()
        .collect();
        let generation = Generation::after(&previous);
        for (path, bytes) in [("same.html", "same"), ("changed.html", "two")] {
            let record = generation
                .accept(OutputFile::new(path.to_owned(), bytes.as_bytes().to_vec()))
                .unwrap();
            assert_eq!(record, output::record(path, bytes.as_bytes()));
        }
        let so_far = generation.so_far();
        assert_eq!(&*so_far["gone.html"], b"gone", "not yet replaced");
        assert_eq!(&*so_far["changed.html"], b"two");
        let files = generation.into_files();
        assert!(Arc::ptr_eq(&files["same.html"], &previous["same.html"]));
        assert_eq!(&*files["changed.html"], b"two");
        assert!(!files.contains_key("gone.html"));
    }
}
