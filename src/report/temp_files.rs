//! The temporary files a run writes before moving them into place, listed so that they can be
//! removed when the process must leave at once.
//!
//! Normally each one is moved into place at the end, or removed by its destructor when the run
//! fails. A second Ctrl-C ends the process without running destructors, so the signal watcher
//! removes what is listed here first. The journal is not listed: it is what `--resume` needs.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tempfile::NamedTempFile;

/// A cloneable handle on the list of one run's temporary files.
#[derive(Debug, Clone, Default)]
pub(crate) struct TempFiles(Arc<Mutex<List>>);

#[derive(Debug, Default)]
struct List {
    paths: Vec<PathBuf>,
    /// Set by [`TempFiles::remove_all`]: the process is leaving, no file is made after it.
    closed: bool,
}

impl TempFiles {
    /// Makes a temporary file with `make` and lists it. Under the list's lock, so that a file is
    /// never made just after the others were removed and then left behind.
    pub(crate) fn create(
        &self,
        make: impl FnOnce() -> io::Result<NamedTempFile>,
    ) -> io::Result<NamedTempFile> {
        let mut list = self.lock();
        if list.closed {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "the run is quitting",
            ));
        }
        let file = make()?;
        list.paths.push(file.path().to_path_buf());
        Ok(file)
    }

    /// Takes `path` off the list: its file was moved into place.
    pub(crate) fn forget(&self, path: &Path) {
        self.lock().paths.retain(|p| p != path);
    }

    /// Removes every listed file that is still there; none is made after this.
    pub(crate) fn remove_all(&self) {
        let mut list = self.lock();
        list.closed = true;
        for path in list.paths.drain(..) {
            // Already gone (moved into place, or removed when its run failed): nothing to do.
            let _ = std::fs::remove_file(path);
        }
    }

    /// The list, even if a thread panicked while holding it: a list of paths stays usable.
    fn lock(&self) -> MutexGuard<'_, List> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn remove_all_leaves_only_the_files_moved_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let temp_files = TempFiles::default();
        let make = || NamedTempFile::new_in(dir.path());
        let kept = temp_files.create(make).unwrap();
        let left = temp_files.create(make).unwrap();
        let path = kept.path().to_path_buf();
        kept.persist(dir.path().join("results.csv")).unwrap();
        temp_files.forget(&path);
        // As after `std::process::exit`: no destructor runs.
        std::mem::forget(left);

        temp_files.remove_all();
        assert_eq!(names(dir.path()), ["results.csv"]);
        let late = temp_files.create(make);
        assert_eq!(late.unwrap_err().kind(), io::ErrorKind::Interrupted);
        assert_eq!(names(dir.path()), ["results.csv"]);
    }
}
