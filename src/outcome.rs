//! What became of each row and of the run: the values the results file, the summary and the
//! exit status are made from. The pipeline (`import`) makes them and the record stage (`report`)
//! writes them, so they belong to neither: both depend on this module, and `report` never on
//! `import`.

use std::fmt;

use csv::ByteRecord;
use serde::{Serialize, Serializer};

/// A row's final status, as the results file spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Created,
    Updated,
    /// It existed with the row's values (`--on-existing update`): nothing was sent.
    Unchanged,
    Exists,
    Valid,
    Invalid,
    Duplicate,
    /// A later row of the same buyer in an orders export: joined to the buyer's first row,
    /// which carries the buyer's details; nothing is sent for it.
    Merged,
    Failed,
    NotSent,
    /// `undo`: the customer the import created is deleted.
    Deleted,
    /// `undo`: the customer the import updated holds its old values again.
    Restored,
    /// `undo`: changed in the store since the import (or has orders): left alone.
    Skipped,
    /// `undo`: the customer is not in the store (any more).
    NotFound,
    /// `undo` without `--yes`: would be deleted.
    WouldDelete,
    /// `undo` without `--yes`: would get its old values back.
    WouldRestore,
    /// `plan`: the import would create it.
    WouldCreate,
    /// `plan`: it exists and the import would send what the row changes (`error` lists it).
    WouldUpdate,
    /// `plan`: the import would fail the row (`error` says why).
    WouldFail,
}

impl Status {
    /// Every status, in the order summaries list them.
    pub const ALL: [Status; 19] = [
        Status::Created,
        Status::Updated,
        Status::Unchanged,
        Status::Exists,
        Status::Valid,
        Status::Invalid,
        Status::Duplicate,
        Status::Merged,
        Status::Failed,
        Status::NotSent,
        Status::Deleted,
        Status::Restored,
        Status::Skipped,
        Status::NotFound,
        Status::WouldDelete,
        Status::WouldRestore,
        Status::WouldCreate,
        Status::WouldUpdate,
        Status::WouldFail,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Updated => "updated",
            Status::Unchanged => "unchanged",
            Status::Exists => "exists",
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::Duplicate => "duplicate",
            Status::Merged => "merged",
            Status::Failed => "failed",
            Status::NotSent => "not_sent",
            Status::Deleted => "deleted",
            Status::Restored => "restored",
            Status::Skipped => "skipped",
            Status::NotFound => "not_found",
            Status::WouldDelete => "would_delete",
            Status::WouldRestore => "would_restore",
            Status::WouldCreate => "would_create",
            Status::WouldUpdate => "would_update",
            Status::WouldFail => "would_fail",
        }
    }

    /// Whether the row is done as the user wanted it.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            Status::Created
                | Status::Updated
                | Status::Unchanged
                | Status::Exists
                | Status::Merged
                | Status::Valid
                | Status::Deleted
                | Status::Restored
                | Status::NotFound
                | Status::WouldDelete
                | Status::WouldRestore
                | Status::WouldCreate
                | Status::WouldUpdate
        )
    }

    /// Whether the row goes to the failed-rows file, to be fixed and imported again.
    pub fn is_fixable(self) -> bool {
        matches!(self, Status::Invalid | Status::Failed | Status::WouldFail)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one input row.
#[derive(Debug, Clone)]
pub struct RowOutcome {
    pub row: u64,
    pub line: u64,
    pub email: String,
    pub status: Status,
    pub customer_id: Option<u64>,
    pub http_status: Option<u16>,
    /// Requests sent for the row (creates and look-ups).
    pub attempts: u32,
    /// What went wrong, or a note on how the status was reached; empty when nothing to say.
    pub error: String,
    /// Short forms of what went wrong that alike rows share, one per broken rule, for the
    /// summary's most frequent errors.
    pub reasons: Vec<String>,
    /// The row's cells as read, for the failed-rows file.
    pub record: ByteRecord,
    /// `false` when the run stopped before the row was settled: a resumed run takes it up again.
    pub settled: bool,
}

/// How the program ended, as its exit status tells a script (see "Exit status" in docs/outputs.md).
/// A run's own end is one of `Ok`, `RowsFailed`, `StoreRefused` and `Interrupted`; every
/// [`Error`](crate::error::Error) ends with the status its `exit_status` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExitStatus {
    /// Every row is created, updated, unchanged, exists or merged (or valid in a dry run; would be
    /// created or updated in a plan).
    Ok = 0,
    /// The run finished, and some rows are invalid, duplicate or failed.
    RowsFailed = 1,
    /// A usage error, an input that cannot be read, or an output that cannot be written.
    Usage = 2,
    /// The store refused the token, plan or store: the run stopped at once.
    StoreRefused = 3,
    /// Another run holds this output file (a scheduled run still going): nothing was done;
    /// try later. `EX_TEMPFAIL` of sysexits.h, which schedulers know as "try again".
    Busy = 75,
    /// SIGINT or SIGTERM: the run stopped early; `--resume` continues it.
    Interrupted = 130,
}

impl ExitStatus {
    /// The number the process exits with.
    pub fn code(self) -> i32 {
        self as i32
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        // Every status is below 256 by its definition above.
        std::process::ExitCode::from(status as u8)
    }
}

/// As its number: schedulers read `"exit_code": 1` in the summary JSON.
impl Serialize for ExitStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i32(self.code())
    }
}
