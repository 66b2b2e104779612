//! A valid row on its way to the store, and how it becomes a row outcome: what the check stage
//! hands to the sending stages (single rows and batches alike).

use csv::ByteRecord;

use crate::customer::CustomerRequest;
use crate::outcome::{RowOutcome, Status};

/// A valid row, ready to be sent. It travels boxed (`Box<Job>`): the send path's async calls
/// would otherwise copy the whole job at each step.
#[derive(Debug)]
pub struct Job {
    pub(crate) row: u64,
    pub(crate) line: u64,
    /// An interrupted run may have created it: look it up before sending.
    pub(crate) maybe_sent: bool,
    pub(crate) email: String,
    pub(crate) request: CustomerRequest,
    pub(crate) record: ByteRecord,
    /// What the row's request leaves out and why; shown in `error` whatever the status.
    pub(crate) note: String,
}

/// How a row ended, beside its status: what the results file says about its requests.
#[derive(Debug, Default)]
pub(crate) struct Ending {
    pub(crate) customer_id: Option<u64>,
    pub(crate) http_status: Option<u16>,
    pub(crate) attempts: u32,
    pub(crate) error: String,
    /// The short form of what went wrong, for the summary's most frequent errors.
    pub(crate) reason: Option<String>,
}

impl Job {
    /// The row's outcome; its note joins the error.
    pub(crate) fn outcome(self: Box<Self>, status: Status, ending: Ending) -> RowOutcome {
        let job = *self;
        RowOutcome {
            row: job.row,
            line: job.line,
            email: job.email,
            status,
            customer_id: ending.customer_id,
            http_status: ending.http_status,
            attempts: ending.attempts,
            error: with_note(ending.error, job.note),
            reasons: ending.reason.into_iter().collect(),
            record: job.record,
            settled: true,
        }
    }

    /// Adds to what the row's request leaves out.
    pub(crate) fn add_note(&mut self, note: &str) {
        if !self.note.is_empty() {
            self.note.push_str("; ");
        }
        self.note.push_str(note);
    }

    /// The outcome of the row when no request is made for it.
    pub(crate) fn unsent(self: Box<Self>, status: Status) -> RowOutcome {
        self.outcome(status, Ending::default())
    }

    /// A row settled before any request of its own, with what to say and a short reason.
    pub(crate) fn settled_as(
        self: Box<Self>,
        status: Status,
        error: String,
        reason: &str,
    ) -> RowOutcome {
        let ending = Ending {
            error,
            reason: Some(reason.to_string()),
            ..Ending::default()
        };
        self.outcome(status, ending)
    }

    /// A row the run stopped before sending: `not_sent`, and not settled, so that `--resume`
    /// takes it up again.
    pub(crate) fn stopped_unsent(self: Box<Self>) -> RowOutcome {
        let ending = Ending {
            error: "the run stopped before this row was sent".into(),
            ..Ending::default()
        };
        let mut outcome = self.outcome(Status::NotSent, ending);
        outcome.settled = false;
        outcome
    }
}

/// The row's error, or its note when there is none, or both.
fn with_note(error: String, note: String) -> String {
    match (error.is_empty(), note.is_empty()) {
        (_, true) => error,
        (true, false) => note,
        (false, false) => format!("{error}; {note}"),
    }
}
