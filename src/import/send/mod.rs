//! The state machine of one row: send its create, and follow what the store answers until the
//! row has its final status. Every request goes through the run's [`Engine`]; this module
//! decides only what the answers mean for the row.
//!
//! A create whose outcome is unknown is never simply sent again: the email is looked up first,
//! and when the store has it, the row is `created` with that id, unless the store registered
//! the customer before the run started (then it existed already and follows `--on-existing`).
//! A 409 looks the existing customer up and then follows `--on-existing`; with `update`, the
//! look-up brings the whole record, and only the fields the row changes are sent (none at all:
//! `unchanged`), by the comparison of [`crate::store::compare`].

pub(crate) mod create;
pub(super) mod ending;
pub(super) mod held;
mod not_applied;
mod plan;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

use super::facts::StoreFacts;
use super::job::Job;
use super::read_back::ReadBack;
use crate::config::OnExisting;
use crate::customer::record::CustomerRecord;
use crate::ecwid::engine::retry::{Action, MAX_RATE_LIMITED};
use crate::ecwid::engine::{Engine, Failure, Kind, Tries, Why};
use crate::ecwid::{ApiError, Found, Lookup, body_of, email_key};
use crate::lane::FromBatch;
use crate::ledger::journal::Journal;
use crate::ledger::undo_log::{Line, LineText, UndoLog};
use crate::outcome::{RowOutcome, Status};
use crate::store::compare::compare;
use crate::store::not_kept::Remembered;
use crate::store::snapshot::{Known, Snapshot};
use ending::{
    Done, STOPPED_IN_BATCH, UNKNOWN_NOTE, describe, end, failed, finish, gave_up, stopped,
};
pub(super) use held::{Held, Step};

/// Sends rows; shared by all rows of a run.
#[derive(Debug)]
pub(crate) struct Sender {
    pub(crate) engine: Arc<Engine>,
    pub(crate) on_existing: OnExisting,
    pub(crate) journal: Option<Arc<Journal>>,
    /// What the run writes, for `undo`; `None` for a sandbox store, gone with the run.
    pub(crate) undo: Option<Arc<UndoLog>>,
    pub(crate) facts: StoreFacts,
    /// Rows whose create of unknown outcome a look-up found to have taken effect.
    pub(crate) confirmed_by_lookup: AtomicU64,
    /// The store's customers read before sending (`--snapshot`), if it was read.
    pub(crate) snapshot: Option<Arc<Snapshot>>,
    /// `plan`: a create or `PUT` the row comes to is not sent; the row ends as what it would
    /// have become ([`plan`]). The engine refuses any write besides.
    pub(crate) plan: bool,
    /// Rows created (in a plan: to be created) with `acceptMarketing: false` because the file
    /// gives no value ([`create`]).
    pub(crate) consent_defaulted: AtomicU64,
    /// Fields the store did not keep in an earlier run: left out of the comparison with the
    /// store's record, so that no update is sent for them.
    pub(crate) remembered: Arc<Remembered>,
    /// What the run writes, for reading it back at the end; `None` for `--read-back none`
    /// and a plan.
    pub(crate) read_back: Option<ReadBack>,
    /// The batch lane: a row's `PUT` is held back ([`Step::Put`]) to go out inside a batch
    /// with the other `PUT`s of its group, instead of on its own.
    pub(crate) hold_updates: bool,
}

/// What a row waits for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Create,
    /// The last create may have taken effect: look the email up before sending it again.
    Settle,
    /// The store said 409: find the existing customer's id.
    FindExisting,
    /// `--on-existing update`: send the existing customer the fields the row changes.
    Update(u64),
    /// `plan`: look the email up where the import would send a create.
    Probe,
    /// The store answered `updateCount: 0` to the update of customer `id`: read the customer
    /// back, to say what became of it ([`not_applied`]).
    Reread(u64),
}

enum Reply {
    Created(u64),
    Found(Option<Found>),
    /// The store's `updateCount`.
    Updated(u64),
    /// Customer `id` read back after an update the store did not apply.
    Reread(u64, Box<Result<CustomerRecord, Failure>>),
}

/// Where a row stands between requests.
struct Progress {
    phase: Phase,
    tries: Tries,
    http_status: Option<u16>,
    last_error: Option<ApiError>,
    /// A create of the row may have taken effect although the store did not say so (an
    /// unknown outcome, a create an interrupted run may have sent, or a 409 inside a batch,
    /// where the store retries a failed create itself): a customer found registered during
    /// the run is the row's own.
    ours_possible: bool,
    /// A look-up found the customer registered before the run.
    existed_before: bool,
    /// The `PUT` body of [`Phase::Update`]: the fields that differ from the store's record.
    update: Bytes,
    /// Those differences, `field: "old" -> "new"`, for the results file.
    changes: String,
    /// The undo log's line of that `PUT`, with the values it replaces, as it is written.
    undo_line: Option<LineText>,
    /// The row was settled from the snapshot of the store, not by a look-up of its own.
    from_snapshot: bool,
    /// The row's `PUT` is held back for a batch ([`Sender::hold_updates`]), until it went
    /// into one.
    hold: bool,
}

impl Sender {
    /// Sends the row until it has its final status (in a plan: the status it would have).
    pub(crate) async fn send(&self, job: Box<Job>) -> RowOutcome {
        let outcome = self.send_row(job).await;
        if self.plan {
            plan::would(outcome)
        } else {
            outcome
        }
    }

    async fn send_row(&self, job: Box<Job>) -> RowOutcome {
        let job = match self.facts.prepare(&self.engine, job).await {
            Ok(job) => job,
            Err(outcome) => return outcome,
        };
        let step = self.prepared(job).await;
        self.direct(step).await
    }

    /// A prepared row from its start: settled from the snapshot, or its create (after a look-up
    /// when an interrupted run may have created it).
    pub(super) async fn prepared(&self, job: Box<Job>) -> Step {
        if let Some(known) = self.in_snapshot(&job).await {
            return self.known(job, known).await;
        }
        let mut p = self.progress(Phase::Create, 0);
        if job.maybe_sent {
            // An interrupted run may have created it: look it up first, unless the store,
            // read whole after that run ended, answers that it has no such customer.
            self.settle(&mut p);
            if self.snapshot_lacks(&job.email) {
                p.phase = Phase::Create;
            }
        }
        self.drive(job, p, None).await
    }

    /// Whether the snapshot read the whole store (or sampled this email) and it has no
    /// customer with this email.
    fn snapshot_lacks(&self, email: &str) -> bool {
        self.snapshot.as_ref().is_some_and(|s| s.lacks(email))
    }

    /// The row's customer as the snapshot of the store has it, which settles the row without
    /// a create. A row an interrupted run may have created (`--resume`) is answered from it
    /// too: the store was read after that run ended, so its record tells whose customer it is
    /// (by when it registered) as a look-up would, for no request of the row's own; the caller
    /// keeps out the rows of a batch the interrupted run left open, which may still run and
    /// are settled through its ticket first. A customer the snapshot knows only by id is read with a
    /// `GET`; when that fails (the customer was deleted since, the store does not answer) or
    /// shows another email, the row goes on as if the snapshot did not know it: a create, and
    /// its 409 if the customer exists after all. `Err` names what could not be read of a
    /// customer the listing gave without an id that can be read.
    pub(super) async fn in_snapshot(&self, job: &Job) -> Option<Result<Found, String>> {
        let id = match self.snapshot.as_ref()?.find(&job.email)? {
            Known::Record(found) => return Some(Ok(found)),
            Known::Unreadable(problem) => return Some(Err(problem)),
            Known::Id(id) => id,
        };
        let client = &self.engine.client;
        let mut tries = self.engine.tries();
        let record = self
            .engine
            .send(Kind::Get, &mut tries, || client.get_customer(id))
            .await
            .ok()?;
        let same = email_key(record.email.as_deref().unwrap_or_default()) == email_key(&job.email);
        same.then(|| Found::of(record)).flatten().map(Ok)
    }

    /// Settles a row whose email the snapshot holds, as a look-up that found it would:
    /// `--on-existing` with no request, or the `PUT` of what the row changes. A customer whose
    /// record has no id that can be read fails its row, naming what could not be read.
    pub(super) async fn known(&self, job: Box<Job>, known: Result<Found, String>) -> Step {
        let mut p = self.progress(Phase::FindExisting, 0);
        p.from_snapshot = true;
        if job.maybe_sent {
            // As the look-up after an unknown outcome would take what it finds.
            self.settle(&mut p);
        }
        match known {
            Ok(found) => {
                self.drive(job, p, Some(Ok(Reply::Found(Some(found)))))
                    .await
            }
            Err(problem) => Step::Done(end(job, &p, Done::Unreadable(None, problem), 0)),
        }
    }

    /// Goes on with a prepared row whose create went out inside a batch (`attempts` times),
    /// from what the batch said: the same state machine as a single create, so that a 409,
    /// a refusal or a 5xx inside a batch is handled exactly as on its own.
    pub(super) async fn after_batch(&self, job: Box<Job>, attempts: u32, from: FromBatch) -> Step {
        let mut p = self.progress(Phase::Create, attempts);
        match from {
            FromBatch::NotExecuted => self.drive(job, p, None).await,
            FromBatch::Answer(Ok(id)) => self.drive(job, p, Some(Ok(Reply::Created(id)))).await,
            FromBatch::Answer(Err(error)) => {
                p.http_status = error.status();
                p.ours_possible = error.status() == Some(409);
                let failure = self.engine.judge(Kind::Create, &mut p.tries, error.clone());
                p.last_error = Some(error);
                match failure {
                    Some(failure) => self.drive(job, p, Some(Err(failure))).await,
                    // Sent again on its own, after the pause or backoff that is due.
                    None => self.drive(job, p, None).await,
                }
            }
            FromBatch::Unknown(error) => {
                p.last_error = Some(error);
                self.settle(&mut p);
                self.drive(job, p, None).await
            }
            FromBatch::MaybeCreated => {
                self.settle(&mut p);
                self.drive(job, p, None).await
            }
        }
    }

    /// A prepared row whose batch's outcome is not known because the run stopped while
    /// waiting for it: unsettled, so that `--resume` polls the batch's ticket.
    pub(super) fn stopped_in_batch(&self, job: Box<Job>, attempts: u32) -> RowOutcome {
        let p = self.progress(Phase::Create, attempts);
        let error = format!("{STOPPED_IN_BATCH}: run the same command with --resume{UNKNOWN_NOTE}");
        let mut outcome = finish(job, &p, Status::Failed, None, error);
        outcome.settled = false;
        outcome
    }

    /// A prepared row of a batch given up on that the store did not confirm stopped
    /// (`note` says why): the batch may still create it, so it stays unsettled, and
    /// `--resume` settles it through the batch's ticket.
    pub(super) fn in_doubt(&self, job: Box<Job>, attempts: u32, note: &str) -> RowOutcome {
        let p = self.progress(Phase::Create, attempts);
        let error = format!(
            "{note}: it may still run; run again with --resume to settle this row{UNKNOWN_NOTE}"
        );
        let mut outcome = finish(job, &p, Status::Failed, None, error);
        outcome.settled = false;
        outcome
    }

    fn progress(&self, phase: Phase, attempts: u32) -> Progress {
        let mut tries = self.engine.tries();
        tries.attempts = attempts;
        Progress {
            phase,
            tries,
            http_status: None,
            last_error: None,
            ours_possible: false,
            existed_before: false,
            update: Bytes::new(),
            changes: String::new(),
            undo_line: None,
            from_snapshot: false,
            hold: self.hold_updates && !self.plan,
        }
    }

    /// The create may have taken effect: look the email up next, even after the last retry.
    fn settle(&self, p: &mut Progress) {
        p.phase = Phase::Settle;
        p.ours_possible = true;
    }

    /// The state machine of a row, from `p`; `answer` is the answer to a request already made
    /// for it (inside a batch), used before any request of its own. The undo log learns the
    /// outcome of a row whose write it logged. A row whose `PUT` is held back for a batch
    /// comes back as [`Step::Put`].
    async fn drive(
        &self,
        job: Box<Job>,
        p: Progress,
        answer: Option<Result<Reply, Failure>>,
    ) -> Step {
        let defaulted = create::consent_defaulted(&job.request);
        let read_back = self.read_back.as_ref().filter(|r| r.wants());
        let request = read_back.map(|_| job.request.clone());
        let outcome = match self.drive_row(job, p, answer).await {
            Step::Done(outcome) => outcome,
            held => return held,
        };
        if let Some(undo) = &self.undo {
            undo.finished(&outcome);
        }
        if let (Some(read_back), Some(request)) = (read_back, request) {
            read_back.written(&outcome, request);
        }
        self.count_consent(defaulted, &outcome);
        Step::Done(outcome)
    }

    async fn drive_row(
        &self,
        job: Box<Job>,
        p: Progress,
        answer: Option<Result<Reply, Failure>>,
    ) -> Step {
        match self.drive_steps(job, p, answer).await {
            Ok(outcome) => Step::Done(outcome),
            Err((job, p, customer)) => Step::Put(Box::new(Held { job, p, customer })),
        }
    }

    /// The loop of [`Sender::drive_row`]; `Err` gives the row back where its `PUT` is held,
    /// with the customer the `PUT` goes to.
    async fn drive_steps(
        &self,
        job: Box<Job>,
        mut p: Progress,
        mut answer: Option<Result<Reply, Failure>>,
    ) -> Result<RowOutcome, (Box<Job>, Progress, u64)> {
        let body = body_of(&create::create_request(&job.request));
        loop {
            let result = match answer.take() {
                Some(result) => result,
                None => {
                    if p.hold
                        && let Phase::Update(customer) = p.phase
                    {
                        return Err((job, p, customer));
                    }
                    match self.plan_step(&mut p, &job.email) {
                        Some(done) => return Ok(end(job, &p, done, self.engine.max_retries())),
                        None => self.request(&job, &body, &mut p).await,
                    }
                }
            };
            let failure = match result {
                Ok(reply) => match self.on_reply(&job, &mut p, reply) {
                    Some(done) => return Ok(end(job, &p, done, self.engine.max_retries())),
                    None => continue,
                },
                Err(failure) => failure,
            };
            let (error, why) = match failure {
                Failure::Stopped => return Ok(stopped(job, p)),
                Failure::Failed { error, why } => (error, why),
            };
            // `http_status` is the create's or update's: a look-up's shows only when it failed.
            p.http_status = error.status().or(p.http_status);
            p.last_error = Some(error);
            let note = match why {
                Why::Unknown => {
                    self.settle(&mut p);
                    continue;
                }
                Why::Refused(Action::Exists) if p.phase == Phase::Create => {
                    p.phase = Phase::FindExisting;
                    continue;
                }
                Why::Refused(Action::StopRun) => {
                    // Not the row's fault: once the token or plan is fixed, `--resume` sends
                    // it again.
                    let error = describe(p.last_error.as_ref());
                    let note = format!("store refused the request: {error}");
                    let mut outcome = failed(job, &p, note);
                    outcome.settled = false;
                    return Ok(outcome);
                }
                Why::Refused(Action::Never) => format!(
                    "{}: the server says this request can never work, so it was not sent \
                     again; check --api-url (ECWID_API_URL) and any proxy between",
                    describe(p.last_error.as_ref())
                ),
                Why::Refused(_) => {
                    format!("store refused the row: {}", describe(p.last_error.as_ref()))
                }
                Why::Unreadable => format!(
                    "the store's answer to a look-up could not be read, twice: {}",
                    describe(p.last_error.as_ref())
                ),
                Why::RateLimited => format!(
                    "rate limited {MAX_RATE_LIMITED} times: lower --rate, or check that no other \
                     app uses this store's token at the same time"
                ),
                Why::GaveUp => return Ok(gave_up(job, &p, self.engine.max_retries())),
            };
            return Ok(failed(job, &p, note));
        }
    }

    /// One request of the row's phase, through the engine.
    async fn request(&self, job: &Job, body: &Bytes, p: &mut Progress) -> Result<Reply, Failure> {
        p.tries.settling = p.phase == Phase::Settle;
        let lookup = match self.on_existing {
            OnExisting::Update => Lookup::Full,
            OnExisting::Skip | OnExisting::Fail => Lookup::Brief,
        };
        let update = p.update.clone();
        let engine = &self.engine;
        let client = &engine.client;
        let tries = &mut p.tries;
        match p.phase {
            Phase::Create => engine
                .send_noted(
                    Kind::Create,
                    tries,
                    || self.note_sending(&[job.row]) && self.note_creates(&[job]),
                    || client.create_customer(body.clone()),
                )
                .await
                .map(Reply::Created),
            Phase::Settle | Phase::FindExisting | Phase::Probe => engine
                .send(Kind::Search, tries, || {
                    client.find_customer(&job.email, lookup)
                })
                .await
                .map(Reply::Found),
            Phase::Update(id) => engine
                .send_noted(
                    Kind::Update,
                    tries,
                    || self.note_writes(p.undo_line.take().as_slice()),
                    || client.update_customer(id, update.clone()),
                )
                .await
                .map(Reply::Updated),
            // What the read finds, or why it could not, only adds to the row's reason.
            Phase::Reread(id) => Ok(Reply::Reread(
                id,
                Box::new(
                    engine
                        .send(Kind::Get, tries, || client.get_customer(id))
                        .await,
                ),
            )),
        }
    }

    /// What an answer means for the row: its end, or `None` when the row goes on in the
    /// phase it now has.
    fn on_reply(&self, job: &Job, p: &mut Progress, reply: Reply) -> Option<Done> {
        match (p.phase, reply) {
            (_, Reply::Created(id)) => {
                p.http_status = Some(200);
                Some(Done::Created(id))
            }
            (phase, Reply::Found(Some(found))) => {
                let clock = self.engine.client.clock();
                match clock.registered_during_run(found.registered) {
                    // The store had it before the run: the row's create never took effect.
                    Some(false) => p.existed_before = true,
                    Some(true) if p.ours_possible => {
                        self.confirmed_by_lookup.fetch_add(1, Ordering::Relaxed);
                        return Some(Done::Confirmed(found.id));
                    }
                    Some(true) => {}
                    // When it registered is not known, a look-up after a create of unknown
                    // outcome takes the customer for the create's; with `update` it makes
                    // sure the customer holds the row's fields (a PUT of what differs, if
                    // anything does; safe to repeat).
                    None if phase == Phase::Settle => {
                        self.confirmed_by_lookup.fetch_add(1, Ordering::Relaxed);
                        if self.on_existing != OnExisting::Update {
                            return Some(Done::Confirmed(found.id));
                        }
                    }
                    None => {}
                }
                match self.on_existing {
                    OnExisting::Skip => Some(Done::Exists(found.id)),
                    OnExisting::Update => {
                        if let Some(problem) = &found.record.unreadable {
                            return Some(Done::Unreadable(Some(found.id), problem.clone()));
                        }
                        let diff = compare(&self.remembered.strip(&job.request), &found.record);
                        if diff.is_empty() {
                            return Some(Done::Unchanged(found.id));
                        }
                        p.update =
                            Bytes::from(serde_json::to_vec(&diff.update).unwrap_or_default());
                        p.changes = diff.describe();
                        p.undo_line = Some(
                            Line::update(
                                job.row,
                                job.line,
                                &job.email,
                                found.id,
                                &diff.update,
                                &found.record,
                            )
                            .text(),
                        );
                        p.phase = Phase::Update(found.id);
                        // Whatever the create's outcome was, the look-up settled it: from here
                        // on this tells whether the update's own outcome is unknown.
                        p.tries.maybe_took_effect = false;
                        None
                    }
                    OnExisting::Fail => Some(Done::ExistsRefused(found.id)),
                }
            }
            (Phase::Probe, Reply::Found(None)) => Some(Done::WouldCreate),
            (Phase::Settle, Reply::Found(None)) => {
                p.phase = Phase::Create;
                (p.tries.retries > p.tries.limit).then_some(Done::GaveUp)
            }
            (_, Reply::Found(None)) => Some(Done::Vanished),
            (Phase::Update(id), Reply::Updated(0)) => {
                p.http_status = Some(200);
                p.phase = Phase::Reread(id);
                None
            }
            (phase, Reply::Updated(_)) => {
                p.http_status = Some(200);
                let id = match phase {
                    Phase::Update(id) => Some(id),
                    _ => None,
                };
                Some(Done::Updated(id))
            }
            (_, Reply::Reread(id, read)) => Some(not_applied::after_update(job, p, id, *read)),
        }
    }
}
