//! Sends one row to the store and follows the retry policy until the row has its final status.
//!
//! Every request waits for a slot among `--concurrency` and then for the rate budget, and is
//! sent at once after that, so that requests leave as evenly as the budget hands them out.
//! A create whose outcome is unknown is never simply sent again: the email is looked up first,
//! and when the store has it, the row is `created` with that id.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use csv::ByteRecord;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::facts::StoreFacts;
use super::journal::Journal;
use super::rate::RateBudget;
use super::retry::{self, Action, MAX_RATE_LIMITED};
use super::stop::Stop;
use crate::config::OnExisting;
use crate::customer::CustomerRequest;
use crate::ecwid::{ApiError, Client, body_of};
use crate::outcome::{RowOutcome, Status};

/// A valid row, ready to be sent. It travels boxed (`Box<Job>`): the send path's async calls
/// would otherwise copy its half a kilobyte at each step.
#[derive(Debug)]
pub struct Job {
    pub row: u64,
    pub line: u64,
    /// An interrupted run may have created it: look it up before sending.
    pub maybe_sent: bool,
    pub email: String,
    pub request: CustomerRequest,
    pub record: ByteRecord,
    /// What the row's request leaves out and why; shown in `error` whatever the status.
    pub note: String,
}

impl Job {
    /// The outcome of the row when no request is made for it.
    pub fn unsent(self: Box<Self>, status: Status) -> RowOutcome {
        finish(self, &Progress::default(), status, None, String::new())
    }

    /// A row settled before any request of its own, with what to say and a short reason.
    pub fn settled_as(self: Box<Self>, status: Status, error: String, reason: &str) -> RowOutcome {
        let mut outcome = finish(self, &Progress::default(), status, None, error);
        outcome.reasons = vec![reason.to_string()];
        outcome
    }
}

/// Counts over the whole run, for the summary.
#[derive(Debug, Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub retries: AtomicU64,
    pub rate_limited: AtomicU64,
    pub lookups: AtomicU64,
    pub confirmed_by_lookup: AtomicU64,
    /// Batches sent (or taken up from an interrupted run's journal) and polled to the end.
    pub batches_sent: AtomicU64,
    pub batches_done: AtomicU64,
}

impl Counters {
    pub(super) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Sends rows; shared by all rows of a run.
#[derive(Debug)]
pub struct Sender {
    pub client: Client,
    pub budget: Arc<RateBudget>,
    pub slots: Arc<Semaphore>,
    pub max_retries: u32,
    pub on_existing: OnExisting,
    pub journal: Option<Arc<Journal>>,
    pub facts: StoreFacts,
    pub stop: Stop,
    pub counters: Arc<Counters>,
}

/// What a row waits for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Create,
    /// The last create may have taken effect: look the email up before sending it again.
    Settle,
    /// The store said 409: find the existing customer's id.
    FindExisting,
    /// `--on-existing update`: replace the existing customer's fields.
    Update(u64),
}

enum Reply {
    Created(u64),
    Found(Option<u64>),
    Updated,
}

/// Where a row stands between attempts.
struct Progress {
    phase: Phase,
    attempts: u32,
    retries: u32,
    rate_limited: u32,
    http_status: Option<u16>,
    last_error: Option<ApiError>,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            phase: Phase::Create,
            attempts: 0,
            retries: 0,
            rate_limited: 0,
            http_status: None,
            last_error: None,
        }
    }
}

/// What a batch said about a row's create, for [`Sender::after_batch`].
#[derive(Debug, Clone)]
pub(super) enum FromBatch {
    /// The store did not run it: send it on its own.
    NotExecuted,
    /// The create's answer, as a single request would have had it.
    Answer(Result<u64, ApiError>),
    /// The batch's outcome could not be learnt (ticket lost, polling gave up): the create may
    /// have taken effect, so look the email up first.
    Unknown(ApiError),
    /// An interrupted run may have created it (on its own or in a batch): look it up first.
    MaybeCreated,
}

impl Sender {
    /// Sends the row until it has its final status.
    pub async fn send(&self, job: Box<Job>) -> RowOutcome {
        let job = match self.prepare(job).await {
            Ok(job) => job,
            Err(outcome) => return outcome,
        };
        let mut p = Progress::default();
        if job.maybe_sent {
            p.phase = Phase::Settle;
        }
        self.drive(job, p, None).await
    }

    /// Goes on with a prepared row whose create went out inside a batch (`attempts` times),
    /// from what the batch said: the same state machine as a single create, so that a 409,
    /// a refusal or a 5xx inside a batch is handled exactly as on its own.
    pub(super) async fn after_batch(
        &self,
        job: Box<Job>,
        attempts: u32,
        from: FromBatch,
    ) -> RowOutcome {
        let mut p = Progress {
            attempts,
            ..Progress::default()
        };
        match from {
            FromBatch::NotExecuted => self.drive(job, p, None).await,
            FromBatch::Answer(answer) => self.drive(job, p, Some(answer.map(Reply::Created))).await,
            FromBatch::Unknown(error) => {
                p.phase = Phase::Settle;
                p.last_error = Some(error);
                self.drive(job, p, None).await
            }
            FromBatch::MaybeCreated => {
                p.phase = Phase::Settle;
                self.drive(job, p, None).await
            }
        }
    }

    /// A row the run stopped before sending: `not_sent`, and not settled.
    pub(super) fn stopped_unsent(&self, job: Box<Job>) -> RowOutcome {
        self.stopped(job, Progress::default())
    }

    /// A prepared row whose batch's outcome is not known because the run stopped while
    /// waiting for it: unsettled, so that `--resume` polls the batch's ticket.
    pub(super) fn stopped_in_batch(&self, job: Box<Job>, attempts: u32) -> RowOutcome {
        let mut outcome = finish(
            job,
            &Progress {
                attempts,
                ..Progress::default()
            },
            Status::Failed,
            None,
            format!("the run stopped before the outcome of its batch was known{UNKNOWN_NOTE}"),
        );
        outcome.settled = false;
        outcome
    }

    /// The state machine of a row, from `p`; `answer` is the answer to a request already made
    /// for it (inside a batch), used before any request of its own.
    async fn drive(
        &self,
        job: Box<Job>,
        mut p: Progress,
        mut answer: Option<Result<Reply, ApiError>>,
    ) -> RowOutcome {
        let body = body_of(&job.request);
        loop {
            let result = match answer.take() {
                Some(result) => result,
                None => {
                    let Some(result) = self.attempt(&job, &body, p.phase).await else {
                        return self.stopped(job, p);
                    };
                    p.attempts += 1;
                    result
                }
            };
            let error = match (p.phase, result) {
                (_, Err(error)) => error,
                (_, Ok(Reply::Created(id))) => {
                    p.http_status = Some(200);
                    return finish(job, &p, Status::Created, Some(id), String::new());
                }
                // The customer may have existed before the run: with `update`, make sure it holds
                // the row's fields (a PUT is safe to repeat).
                (Phase::Settle, Ok(Reply::Found(Some(id))))
                    if self.on_existing == OnExisting::Update =>
                {
                    Counters::bump(&self.counters.confirmed_by_lookup);
                    p.phase = Phase::Update(id);
                    continue;
                }
                (Phase::Settle, Ok(Reply::Found(Some(id)))) => {
                    Counters::bump(&self.counters.confirmed_by_lookup);
                    let note = match &p.last_error {
                        Some(e) => format!(
                            "confirmed by look-up: the create that ended in \"{e}\" had taken effect"
                        ),
                        None => "confirmed by look-up: created by the interrupted run".into(),
                    };
                    return finish(job, &p, Status::Created, Some(id), note);
                }
                (Phase::Settle, Ok(Reply::Found(None))) => {
                    p.phase = Phase::Create;
                    if p.retries > self.max_retries {
                        return self.gave_up(job, p);
                    }
                    continue;
                }
                (_, Ok(Reply::Found(Some(id)))) => match self.on_existing {
                    OnExisting::Skip => {
                        return finish(job, &p, Status::Exists, Some(id), String::new());
                    }
                    OnExisting::Update => {
                        p.phase = Phase::Update(id);
                        continue;
                    }
                    OnExisting::Fail => {
                        let note = format!(
                            "the email already exists in the store (customer {id}) and \
                             --on-existing is fail"
                        );
                        return finish(job, &p, Status::Failed, Some(id), note);
                    }
                },
                (_, Ok(Reply::Found(None))) => {
                    let note = format!(
                        "the store answered \"{}\" but has no customer with this email",
                        describe(p.last_error.as_ref())
                    );
                    return failed(job, &p, note);
                }
                (phase, Ok(Reply::Updated)) => {
                    p.http_status = Some(200);
                    let id = match phase {
                        Phase::Update(id) => Some(id),
                        _ => None,
                    };
                    return finish(job, &p, Status::Updated, id, String::new());
                }
            };
            // `http_status` is the create's or update's: a look-up's shows only when it failed.
            p.http_status = error.status().or(p.http_status);
            let action = retry::classify_for(&error, matches!(p.phase, Phase::Update(_)));
            p.last_error = Some(error);
            match action {
                Action::Exists if p.phase == Phase::Create => p.phase = Phase::FindExisting,
                Action::Pause(wait) => {
                    Counters::bump(&self.counters.rate_limited);
                    self.budget.rate_limited(wait);
                    p.rate_limited += 1;
                    if p.rate_limited > MAX_RATE_LIMITED {
                        let note = format!(
                            "rate limited {MAX_RATE_LIMITED} times: lower --rate, or check that no \
                             other app uses this store's token at the same time"
                        );
                        return failed(job, &p, note);
                    }
                }
                Action::Exists | Action::FailRow => {
                    let note =
                        format!("store refused the row: {}", describe(p.last_error.as_ref()));
                    return failed(job, &p, note);
                }
                Action::StopRun => {
                    // Not the row's fault: once the token or plan is fixed, `--resume` sends
                    // it again.
                    let note = describe(p.last_error.as_ref());
                    let mut outcome = failed(job, &p, format!("store refused the request: {note}"));
                    outcome.settled = false;
                    return outcome;
                }
                Action::Retry { unknown } => {
                    if unknown && p.phase == Phase::Create {
                        p.phase = Phase::Settle;
                    }
                    p.retries += 1;
                    let final_lookup_due =
                        p.phase == Phase::Settle && p.retries == self.max_retries + 1;
                    if p.retries > self.max_retries && !final_lookup_due {
                        return self.gave_up(job, p);
                    }
                    // Counted only when another request for the row follows.
                    Counters::bump(&self.counters.retries);
                    let wait = retry::backoff(p.retries);
                    if !self.stop.sleep(wait).await {
                        return self.stopped(job, p);
                    }
                }
            }
        }
    }

    /// One request, once a slot and the budget allow; `None` when the run stops first.
    async fn attempt(
        &self,
        job: &Job,
        body: &Bytes,
        phase: Phase,
    ) -> Option<Result<Reply, ApiError>> {
        let _slot = self.turn().await?;
        if phase == Phase::Create && !self.note_sending(&[job.row]) {
            return None;
        }
        let result = match phase {
            Phase::Create => self
                .client
                .create_customer(body.clone())
                .await
                .map(Reply::Created),
            Phase::Settle | Phase::FindExisting => {
                Counters::bump(&self.counters.lookups);
                self.client
                    .find_customer(&job.email)
                    .await
                    .map(Reply::Found)
            }
            Phase::Update(id) => self
                .client
                .update_customer(id, body.clone())
                .await
                .map(|()| Reply::Updated),
        };
        // Stop the run before this slot frees up, so that no other request leaves after the
        // store has refused the token.
        if let Err(e) = &result
            && retry::classify_for(e, matches!(phase, Phase::Update(_))) == Action::StopRun
        {
            self.stop.abort(stop_hint(Some(e)));
        }
        Some(result)
    }

    /// Waits for a slot among `--concurrency` and then for the budget; the request must leave
    /// at once after. `None` when the run stops first.
    pub(super) async fn turn(&self) -> Option<SemaphorePermit<'_>> {
        let slot = tokio::select! {
            biased;
            _ = self.stop.stopped() => return None,
            slot = self.slots.acquire() => slot.ok()?,
        };
        tokio::select! {
            biased;
            _ = self.stop.stopped() => return None,
            _ = self.budget.acquire() => {}
        }
        if self.stop.is_stopped() {
            return None;
        }
        Counters::bump(&self.counters.requests);
        Some(slot)
    }

    /// Notes in the journal that these rows' creates (one, or a batch's) are about to leave.
    /// `false` when that cannot be written: the creates must then not leave, and the run stops.
    /// Without its `S` line, a create that reached the store would not be looked up on
    /// `--resume` and could be sent twice.
    pub(super) fn note_sending(&self, rows: &[u64]) -> bool {
        let noted = match (&self.journal, rows) {
            (None, _) => true,
            (Some(journal), [row]) => journal.sending(*row),
            (Some(journal), rows) => journal.sending_all(rows),
        };
        if !noted {
            self.stop
                .abort("the journal cannot be written: no more rows are sent".into());
        }
        noted
    }

    fn gave_up(&self, job: Box<Job>, p: Progress) -> RowOutcome {
        let note = format!(
            "gave up after {} retries: {}",
            self.max_retries,
            describe(p.last_error.as_ref())
        );
        failed(job, &p, note)
    }

    /// The run stopped before the row was settled. Not journaled as finished: `--resume`
    /// takes the row up again (with a look-up first when a create may have reached the store).
    fn stopped(&self, job: Box<Job>, p: Progress) -> RowOutcome {
        let mut outcome = match p.phase {
            Phase::Settle => {
                let note = format!(
                    "the run stopped before the outcome of the last attempt (\"{}\") was known",
                    describe(p.last_error.as_ref())
                );
                failed(job, &p, note)
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
}

const UNKNOWN_NOTE: &str = "; the customer may have been created: look the email up in the store \
                            before importing this row again";

fn describe(error: Option<&ApiError>) -> String {
    error.map(ToString::to_string).unwrap_or_default()
}

/// What the user should check when the store refuses the token, the plan or the store.
pub(super) fn stop_hint(error: Option<&ApiError>) -> String {
    let what = describe(error);
    let hint = match error.and_then(ApiError::status) {
        Some(402) => {
            "the store's plan does not allow this, or the store is suspended: check the plan \
             in the store's control panel"
        }
        Some(404) => {
            "the store or the API was not found: check --store-id (ECWID_STORE_ID) and \
             --api-url (ECWID_API_URL)"
        }
        _ => {
            "check the token (ECWID_TOKEN or --token-file) and that its app has the \
             create_customers and read_customers scopes"
        }
    };
    format!("the store refused the request ({what}): {hint}")
}

/// A failed row; one whose last create may have taken effect says so, since the failed-rows
/// file is meant to be imported again.
fn failed(job: Box<Job>, p: &Progress, mut error: String) -> RowOutcome {
    if p.phase == Phase::Settle && !error.ends_with(UNKNOWN_NOTE) {
        error.push_str(UNKNOWN_NOTE);
    }
    finish(job, p, Status::Failed, None, error)
}

/// The row's error, or its note when there is none, or both.
fn with_note(error: String, note: String) -> String {
    match (error.is_empty(), note.is_empty()) {
        (_, true) => error,
        (true, false) => note,
        (false, false) => format!("{error}; {note}"),
    }
}

fn finish(
    job: Box<Job>,
    p: &Progress,
    status: Status,
    id: Option<u64>,
    error: String,
) -> RowOutcome {
    let reason = match (&p.last_error, status) {
        (Some(ApiError::Status { status, code, .. }), Status::Failed) => {
            format!(
                "HTTP {status}{}",
                code.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
            )
        }
        (Some(e), Status::Failed) => e.to_string(),
        _ => String::new(),
    };
    let reasons = if reason.is_empty() {
        Vec::new()
    } else {
        vec![reason]
    };
    RowOutcome {
        row: job.row,
        line: job.line,
        email: job.email,
        status,
        customer_id: id,
        http_status: p.http_status,
        attempts: p.attempts,
        error: with_note(error, job.note),
        reasons,
        record: job.record,
        settled: true,
    }
}
