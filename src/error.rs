//! The failures a user can cause before or around a run, each with its documented exit status.
//! Problems with single rows are not errors: they end up in the results file.

use std::io;
use std::path::PathBuf;

use crate::input::mapping::HeaderError;
use crate::input::reader::OpenError;

/// Exit statuses, as the contract documents them.
pub mod exit {
    /// Every row is created, updated, exists (or valid in a dry run).
    pub const OK: i32 = 0;
    /// The run finished, and some rows are invalid, duplicate or failed.
    pub const ROWS_FAILED: i32 = 1;
    /// Usage error, unreadable input, or output that cannot be written.
    pub const USAGE: i32 = 2;
    /// The store refused the token, plan or store.
    pub const ABORTED: i32 = 3;
    /// SIGINT or SIGTERM.
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {}: {source}", path.display())]
    Input {
        path: PathBuf,
        #[source]
        source: OpenError,
    },
    #[error("{}: {source}", path.display())]
    Header {
        path: PathBuf,
        #[source]
        source: HeaderError,
    },
    #[error(
        "cannot read {} after row {row}: {source}. The results file lists the rows read before",
        path.display()
    )]
    ReadFailed {
        path: PathBuf,
        row: u64,
        #[source]
        source: io::Error,
    },
    #[error(
        "cannot write {}: {source}. Check that the folder exists and is writable, or choose \
         another path with --output",
        path.display()
    )]
    Output {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        exit::USAGE
    }
}
