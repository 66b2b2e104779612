//! The failures a user can cause before or around a run, each with its documented exit status.
//! Problems with single rows are not errors: they end up in the results file.
//!
//! One enum, so that `main` has one way to report a failure and one place, [`Error::exit_status`],
//! says which status each failure ends with.

use std::io;
use std::path::PathBuf;

use crate::ecwid::SetupError;
use crate::input::mapping::HeaderError;
use crate::input::mapping_file::MappingError;
use crate::input::raw::OpenError;
use crate::ledger::journal::JournalError;
use crate::outcome::ExitStatus;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no store: give --store-id or set ECWID_STORE_ID (the store ID is in the store's control \
         panel, at the bottom of the dashboard); or check the file only with --dry-run"
    )]
    NoStoreId,
    #[error("no token: set ECWID_TOKEN or give --token-file with the store's secret access token")]
    NoToken,
    #[error(
        "the token file {} is empty: set ECWID_TOKEN or give --token-file with the store's secret \
         access token",
        path.display()
    )]
    EmptyTokenFile { path: PathBuf },
    #[error("cannot read the token file {}: {source}", path.display())]
    TokenFileUnreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// `path` is one of the files the run writes (`config::Outputs`): the results,
    /// failed rows, lock, journal, undo log, fields not kept, summary or report.
    #[error(
        "{} would overwrite the input: choose another path with --output (the rows to fix go to \
         <output stem>.failed.csv, the lock to <output>.lock, an import's journal to \
         <output>.journal, its undo log to <output stem>.undo.jsonl and the fields the store did \
         not keep to <output stem>.not-kept.json), --summary-json or --report",
        path.display()
    )]
    WouldOverwriteInput { path: PathBuf },
    /// A file `undo` writes (`config::UndoFiles`) is one it reads: a link in its place.
    #[error(
        "undo would write {} over {}, which it reads: remove or rename {} (a link to it) and run \
         undo again",
        path.display(),
        read.display(),
        path.display()
    )]
    UndoWouldOverwrite { path: PathBuf, read: PathBuf },
    #[error("{source}")]
    MappingInvalid {
        path: PathBuf,
        #[source]
        source: MappingError,
    },
    #[error(
        "an interrupted run left {}: add --resume to continue it (rows already finished are not \
         sent again), or delete that file to start over",
        path.display()
    )]
    JournalLeft { path: PathBuf },
    /// Columns `extrafields.KEY` whose key the store does not define.
    #[error("{message}")]
    ExtraFieldsUnknown { message: String },
    /// The journal of an interrupted run does not fit this run (another input, store or version).
    #[error("{source}")]
    JournalUnusable {
        path: PathBuf,
        #[source]
        source: JournalError,
    },
    #[error(
        "the interrupted run left {open_batches} batches open in the store: resume with --batch, \
         so that their tickets are polled before any of their rows is sent again"
    )]
    ResumeNeedsBatch { open_batches: usize },
    /// A bad API URL or token, or an HTTP client that cannot be built.
    #[error("{source}")]
    ClientSetup {
        #[source]
        source: SetupError,
    },
    /// The `sandbox` command.
    #[error("cannot start the sandbox: {source}")]
    SandboxStart {
        #[source]
        source: io::Error,
    },
    /// `import --sandbox`: the store the run imports into.
    #[error("cannot start the sandbox store: {source}")]
    SandboxStoreStart {
        #[source]
        source: io::Error,
    },
    #[error("cannot start the async runtime: {source}")]
    Runtime {
        #[source]
        source: io::Error,
    },
    /// `undo`: the results file has no undo log beside it, or it cannot be read.
    #[error(
        "cannot read the undo log {}: {source} (an import writes it beside its results file)",
        path.display()
    )]
    UndoLog {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
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
    /// `export --group`: the store has no group of this name.
    #[error(
        "--group {name:?}: the store has no customer group of this name; its groups are: {groups}"
    )]
    UnknownGroup { name: String, groups: String },
    /// Another run holds the lock of this output (see `lock`); `holder` is its pid when known.
    #[error(
        "another run is writing {}{}: it holds the lock {}. Nothing was done; try again when \
         it has finished",
        output.display(),
        holder.map(|pid| format!(" (process {pid})")).unwrap_or_default(),
        lock.display()
    )]
    OutputLocked {
        output: PathBuf,
        lock: PathBuf,
        holder: Option<u32>,
    },
}

impl Error {
    /// The status the program exits with after this failure, as docs/outputs.md documents it.
    pub fn exit_status(&self) -> ExitStatus {
        // No wildcard: a new failure must choose its status here.
        match self {
            Error::NoStoreId
            | Error::NoToken
            | Error::EmptyTokenFile { .. }
            | Error::TokenFileUnreadable { .. }
            | Error::WouldOverwriteInput { .. }
            | Error::UndoWouldOverwrite { .. }
            | Error::MappingInvalid { .. }
            | Error::JournalLeft { .. }
            | Error::ExtraFieldsUnknown { .. }
            | Error::JournalUnusable { .. }
            | Error::ResumeNeedsBatch { .. }
            | Error::ClientSetup { .. }
            | Error::SandboxStart { .. }
            | Error::SandboxStoreStart { .. }
            | Error::Runtime { .. }
            | Error::Input { .. }
            | Error::Header { .. }
            | Error::ReadFailed { .. }
            | Error::UndoLog { .. }
            | Error::Output { .. }
            | Error::UnknownGroup { .. } => ExitStatus::Usage,
            Error::OutputLocked { .. } => ExitStatus::Busy,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::mem::discriminant;
    use std::path::Path;

    use super::*;

    fn io_error() -> io::Error {
        io::Error::new(io::ErrorKind::PermissionDenied, "denied")
    }

    /// Each failure once, with the code the exit status table of docs/outputs.md gives it.
    fn every_error() -> Vec<(Error, i32)> {
        let path = || Path::new("customers.csv").to_path_buf();
        let bad_header = reqwest::header::HeaderValue::from_str("\n").unwrap_err();
        let bad_url = "not a url".parse::<reqwest::Url>().unwrap_err();
        vec![
            (Error::NoStoreId, 2),
            (Error::NoToken, 2),
            (Error::EmptyTokenFile { path: path() }, 2),
            (
                Error::TokenFileUnreadable {
                    path: path(),
                    source: io_error(),
                },
                2,
            ),
            (Error::WouldOverwriteInput { path: path() }, 2),
            (
                Error::UndoWouldOverwrite {
                    path: path(),
                    read: path(),
                },
                2,
            ),
            (
                Error::MappingInvalid {
                    path: path(),
                    source: MappingError::Toml {
                        path: "m.toml".into(),
                        message: "expected `=`".into(),
                    },
                },
                2,
            ),
            (Error::JournalLeft { path: path() }, 2),
            (
                Error::JournalUnusable {
                    path: path(),
                    source: JournalError::NotAJournal { path: path() },
                },
                2,
            ),
            (Error::ResumeNeedsBatch { open_batches: 3 }, 2),
            (
                Error::ClientSetup {
                    source: SetupError::TokenNotAHeader(bad_header),
                },
                2,
            ),
            (
                Error::ClientSetup {
                    source: SetupError::ApiUrl {
                        api_url: "not a url".into(),
                        source: bad_url,
                    },
                },
                2,
            ),
            (Error::SandboxStart { source: io_error() }, 2),
            (Error::SandboxStoreStart { source: io_error() }, 2),
            (Error::Runtime { source: io_error() }, 2),
            (
                Error::Input {
                    path: path(),
                    source: OpenError::Empty,
                },
                2,
            ),
            (
                Error::Header {
                    path: path(),
                    source: HeaderError::NoEmail {
                        found: "\"name\"".into(),
                        tried: "ecwid".into(),
                        platform: String::new(),
                    },
                },
                2,
            ),
            (
                Error::ReadFailed {
                    path: path(),
                    row: 7,
                    source: io_error(),
                },
                2,
            ),
            (
                Error::Output {
                    path: path(),
                    source: io_error(),
                },
                2,
            ),
            (
                Error::UndoLog {
                    path: path(),
                    source: io_error(),
                },
                2,
            ),
            (
                Error::UnknownGroup {
                    name: "VIPs".into(),
                    groups: "General, VIP".into(),
                },
                2,
            ),
            (
                Error::OutputLocked {
                    output: path(),
                    lock: path(),
                    holder: Some(4242),
                },
                75,
            ),
        ]
    }

    /// Every failure a user can cause ends with the status docs/outputs.md documents for it.
    #[test]
    fn each_error_exits_with_its_documented_status() {
        let table = every_error();
        for (error, code) in &table {
            assert_eq!(error.exit_status().code(), *code, "{error:?}");
        }
        let variants: HashSet<_> = table.iter().map(|(e, _)| discriminant(e)).collect();
        assert_eq!(variants.len(), 21, "every variant of Error is in the table");
    }

    /// The run's own ends keep their documented numbers, in the summary JSON too.
    #[test]
    fn run_statuses_have_their_documented_codes() {
        let table = [
            (ExitStatus::Ok, 0),
            (ExitStatus::RowsFailed, 1),
            (ExitStatus::Usage, 2),
            (ExitStatus::StoreRefused, 3),
            (ExitStatus::Busy, 75),
            (ExitStatus::Interrupted, 130),
        ];
        for (status, code) in table {
            assert_eq!(status.code(), code);
            assert_eq!(serde_json::to_value(status).unwrap(), code);
        }
    }
}
