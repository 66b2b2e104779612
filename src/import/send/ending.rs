//! How a row's requests end up as its outcome: the status, the id, and what the `error`
//! column says about how the status was reached (or why the row failed, or what to check
//! before importing it again).

use super::create::{CONSENT_NOTE, consent_defaulted};
use super::{Phase, Progress};
use crate::ecwid::ApiError;
use crate::import::job::{Ending, Job};
use crate::outcome::{RowOutcome, Status};

/// How the `error` note of a row whose create was confirmed by finding the customer (not by
/// the create's own answer) begins: see [`confirmed_by_finding`].
const CONFIRMED: &str = "confirmed by ";

/// Whether the row's create was confirmed by finding its customer in the store rather than by
/// the create's own answer: what the store holds may then have been written by someone else,
/// so it says nothing about what the store keeps of a write (the read-back leaves such rows out).
pub(crate) fn confirmed_by_finding(outcome: &RowOutcome) -> bool {
    outcome.status == Status::Created && outcome.error.starts_with(CONFIRMED)
}

/// The row's outcome once an answer settled it.
pub(super) fn end(job: Box<Job>, p: &Progress, done: Done, max_retries: u32) -> RowOutcome {
    match done {
        Done::Created(id) => finish(job, p, Status::Created, Some(id), String::new()),
        Done::Confirmed(id) => {
            let note = match &p.last_error {
                Some(e) => {
                    format!("{CONFIRMED}look-up: the create that ended in \"{e}\" had taken effect")
                }
                None if p.from_snapshot => {
                    format!("{CONFIRMED}the store read first: created by the interrupted run")
                }
                None => format!("{CONFIRMED}look-up: created by the interrupted run"),
            };
            finish(job, p, Status::Created, Some(id), note)
        }
        Done::Exists(id) => {
            let note = match (&p.last_error, p.existed_before && p.ours_possible) {
                (Some(e), true) => format!(
                    "the customer existed before this run (by its registration date): the \
                     create that ended in \"{e}\" did not take effect"
                ),
                (None, true) => {
                    "the customer existed before the interrupted run (by its registration \
                     date)"
                        .into()
                }
                _ => String::new(),
            };
            finish(job, p, Status::Exists, Some(id), note)
        }
        Done::ExistsRefused(id) => {
            let note = format!(
                "the email already exists in the store (customer {id}) and --on-existing \
                 is fail"
            );
            finish(job, p, Status::Failed, Some(id), note)
        }
        Done::Vanished => {
            let note = format!(
                "the store answered \"{}\" but has no customer with this email",
                describe(p.last_error.as_ref())
            );
            failed(job, p, note)
        }
        Done::Updated(id) => finish(job, p, Status::Updated, id, p.changes.clone()),
        Done::Unchanged(id) => finish(job, p, Status::Unchanged, Some(id), String::new()),
        Done::GaveUp => gave_up(job, p, max_retries),
        Done::WouldCreate => {
            let note = if consent_defaulted(&job.request) {
                CONSENT_NOTE.to_string()
            } else {
                String::new()
            };
            finish(job, p, Status::WouldCreate, None, note)
        }
        Done::Unreadable(id, problem) => {
            let whose = id.map(|id| format!(" {id}")).unwrap_or_default();
            let note = format!(
                "the store's record of customer{whose} cannot be read ({problem}): the row was \
                 not compared or sent; look at the customer in the store"
            );
            let mut outcome = finish(job, p, Status::Failed, id, note);
            outcome.reasons = vec!["the store's record cannot be read".into()];
            outcome
        }
        Done::WouldUpdate(id) => finish(job, p, Status::WouldUpdate, Some(id), p.changes.clone()),
        Done::NotApplied(id, note) => {
            let mut outcome = finish(job, p, Status::Failed, Some(id), note);
            outcome.reasons = vec![NOT_APPLIED_REASON.into()];
            outcome
        }
    }
}

pub(super) fn gave_up(job: Box<Job>, p: &Progress, max_retries: u32) -> RowOutcome {
    let note = format!(
        "gave up after {} retries: {}",
        max_retries,
        describe(p.last_error.as_ref())
    );
    failed(job, p, note)
}

/// The run stopped before the row was settled. Not journaled as finished: `--resume`
/// takes the row up again (with a look-up first when a create may have reached the store).
pub(super) fn stopped(job: Box<Job>, p: Progress) -> RowOutcome {
    let mut outcome = match p.phase {
        Phase::Settle => {
            let note = format!(
                "the run stopped before the outcome of the last attempt (\"{}\") was known",
                describe(p.last_error.as_ref())
            );
            failed(job, &p, note)
        }
        Phase::Probe => {
            let note = "the run stopped before the email was looked up";
            finish(job, &p, Status::NotSent, None, note.to_string())
        }
        // The update's answer is known: the store did not apply it; only the read after failed.
        Phase::Reread(id) => {
            let note = format!(
                "the store answered {{\"updateCount\": 0}}: it did not apply the update of \
                 customer {id}; the run stopped before the customer was read back"
            );
            let mut outcome = finish(job, &p, Status::Failed, Some(id), note);
            outcome.reasons = vec![NOT_APPLIED_REASON.into()];
            return outcome;
        }
        Phase::FindExisting | Phase::Update(_) => {
            let note = "the email exists in the store (HTTP 409); the run stopped before \
                        --on-existing was applied";
            failed(job, &p, note.to_string())
        }
        Phase::Create => {
            let note = match &p.last_error {
                None => "the run stopped before this row was sent".to_string(),
                Some(e) => {
                    format!("the run stopped before this row could be retried (last: {e})")
                }
            };
            finish(job, &p, Status::NotSent, None, note)
        }
    };
    outcome.settled = false;
    outcome
}

/// How an answer settled a row.
pub(super) enum Done {
    Created(u64),
    /// A look-up found the customer a create of unknown outcome (or an interrupted run) made.
    Confirmed(u64),
    Exists(u64),
    /// It exists, and `--on-existing fail`.
    ExistsRefused(u64),
    /// The store said 409, yet a look-up finds no such email.
    Vanished,
    Updated(Option<u64>),
    /// It exists with every value the row sets (`--on-existing update`): nothing was sent.
    Unchanged(u64),
    /// A look-up found no customer after the last retry of the create.
    GaveUp,
    /// `plan`: the import would create it.
    WouldCreate,
    /// `plan`: the import would send customer `id` what the row changes.
    WouldUpdate(u64),
    /// The store answered `updateCount: 0` to the update of customer `id`: failed, as the note
    /// says (with what reading the customer back found).
    NotApplied(u64, String),
    /// The store's record of the customer (by id, when that could be read) holds a field that
    /// cannot be read, named: the row cannot be compared with it.
    Unreadable(Option<u64>, String),
}

/// The summary's short reason of a write the store answered with a count of 0.
const NOT_APPLIED_REASON: &str = "the store did not apply the write (count 0)";

/// How the note of a row whose batch was still unfinished in the store when the wait for the
/// work in flight (after an interrupt) ended begins: the journal keeps the batch open, and
/// `--resume` polls its ticket before anything else.
pub(super) const STOPPED_IN_BATCH: &str =
    "the run stopped before its batch finished in the store, so its outcome is not known yet";

pub(super) const UNKNOWN_NOTE: &str = "; the customer may have been created: look the email up in the store \
                            before importing this row again";

pub(super) fn describe(error: Option<&ApiError>) -> String {
    error.map(ToString::to_string).unwrap_or_default()
}

/// A failed row; one whose last create may have taken effect says so, since the failed-rows
/// file is meant to be imported again.
pub(super) fn failed(job: Box<Job>, p: &Progress, mut error: String) -> RowOutcome {
    if p.phase == Phase::Settle && !error.ends_with(UNKNOWN_NOTE) {
        error.push_str(UNKNOWN_NOTE);
    }
    finish(job, p, Status::Failed, None, error)
}

pub(super) fn finish(
    job: Box<Job>,
    p: &Progress,
    status: Status,
    id: Option<u64>,
    error: String,
) -> RowOutcome {
    let reason = match (&p.last_error, status) {
        (Some(ApiError::Status { status, code, .. }), Status::Failed) => Some(format!(
            "HTTP {status}{}",
            code.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
        )),
        (Some(e), Status::Failed) => Some(e.to_string()),
        _ => None,
    };
    let ending = Ending {
        customer_id: id,
        http_status: p.http_status,
        attempts: p.tries.attempts,
        error,
        reason,
    };
    job.outcome(status, ending)
}
