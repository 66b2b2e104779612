//! What became of each row: the values the results file, the summary and the exit status are
//! made from. The pipeline (`import`) makes them and the record stage (`report`) writes them, so
//! they belong to neither: both depend on this module, and `report` never on `import`.

use std::fmt;

use csv::ByteRecord;

/// A row's final status, as the results file spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Created,
    Updated,
    Exists,
    Valid,
    Invalid,
    Duplicate,
    Failed,
    NotSent,
}

impl Status {
    /// Every status, in the order summaries list them.
    pub const ALL: [Status; 8] = [
        Status::Created,
        Status::Updated,
        Status::Exists,
        Status::Valid,
        Status::Invalid,
        Status::Duplicate,
        Status::Failed,
        Status::NotSent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Updated => "updated",
            Status::Exists => "exists",
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::Duplicate => "duplicate",
            Status::Failed => "failed",
            Status::NotSent => "not_sent",
        }
    }

    /// Whether the row is done as the user wanted it.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            Status::Created | Status::Updated | Status::Exists | Status::Valid
        )
    }

    /// Whether the row goes to the failed-rows file, to be fixed and imported again.
    pub fn is_fixable(self) -> bool {
        matches!(self, Status::Invalid | Status::Failed)
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
