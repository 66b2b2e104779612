//! One run per output file at a time. A run that writes a results file (`import`, `validate`,
//! and the coming `plan` and `undo`) first takes an operating-system lock on `<output>.lock`
//! and holds it to its end, so that a scheduled run and a manual one on the same files cannot
//! both send rows, both append to the journal, or replace each other's results.
//!
//! The lock is the standard library's advisory file lock (`flock` on Unix, `LockFileEx` on
//! Windows): the kernel releases it when the process ends however it ends, `kill -9` included,
//! so a crashed run never leaves it held. The file itself stays (removing it would let a run
//! that opened the old file and one that creates a new one both hold "the" lock); it holds the
//! pid of its last holder, so that a refused run can say who is in the way.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Error;

/// The lock on an output file, held as long as this value lives.
#[derive(Debug)]
pub struct OutputLock {
    /// Kept open: closing it releases the lock.
    _file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock of `output` at `lock` (its [`path_for`], named with the run's other
    /// files) without waiting, and writes this process's id in it. [`Error::OutputLocked`]
    /// when another run holds it; [`Error::Output`] when the lock file cannot be opened,
    /// locked or written.
    pub fn take(output: &Path, lock: &Path) -> Result<Self, Error> {
        let path = lock.to_path_buf();
        let cannot = |source| Error::Output {
            path: path.clone(),
            source,
        };
        // Not truncated on opening: the holder's pid must stay readable to a run refused.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(cannot)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(Error::OutputLocked {
                    output: output.to_path_buf(),
                    holder: holder(&mut file),
                    lock: path,
                });
            }
            Err(TryLockError::Error(source)) => return Err(cannot(source)),
        }
        write_pid(&mut file).map_err(cannot)?;
        Ok(Self { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The lock file of an output: its path with `.lock` appended.
pub fn path_for(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

fn write_pid(file: &mut File) -> io::Result<()> {
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(format!("{}\n", std::process::id()).as_bytes())
}

/// The pid the holder wrote, if it is readable. A holder that has just taken the lock may
/// not have written it yet: a few short tries give it the time.
fn holder(file: &mut File) -> Option<u32> {
    for _ in 0..5 {
        let mut text = String::new();
        let read = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_string(&mut text));
        if let Ok(pid) = text.trim().parse() {
            return Some(pid);
        }
        // Unreadable (Windows locks keep others from reading): no use trying again.
        if read.is_err() {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second taker is refused with the holder's pid; once the first is dropped, it gets in.
    #[test]
    fn second_taker_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("customers.results.csv");
        let first = OutputLock::take(&output, &path_for(&output)).unwrap();
        assert_eq!(first.path(), dir.path().join("customers.results.csv.lock"));
        match OutputLock::take(&output, &path_for(&output)) {
            Err(Error::OutputLocked { holder, lock, .. }) => {
                assert_eq!(holder, Some(std::process::id()));
                assert_eq!(lock, first.path());
            }
            other => panic!("expected OutputLocked, got {other:?}"),
        }
        drop(first);
        let second = OutputLock::take(&output, &path_for(&output)).unwrap();
        assert!(second.path().exists(), "the lock file stays");
    }

    /// A lock file left with another pid (a run that crashed) is taken and rewritten.
    #[test]
    fn a_stale_lock_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out.csv");
        std::fs::write(path_for(&output), "4000000000 and more\n").unwrap();
        let _lock = OutputLock::take(&output, &path_for(&output)).unwrap();
        let text = std::fs::read_to_string(path_for(&output)).unwrap();
        assert_eq!(text, format!("{}\n", std::process::id()));
    }

    /// A folder that does not exist is an output that cannot be written, naming the lock file.
    #[test]
    fn a_missing_folder_is_an_output_error() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("nope/out.csv");
        match OutputLock::take(&output, &path_for(&output)) {
            Err(Error::Output { path, .. }) => assert_eq!(path, path_for(&output)),
            other => panic!("expected Output, got {other:?}"),
        }
    }
}
