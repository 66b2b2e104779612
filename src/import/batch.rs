//! The batch lane (`--lane batch`, `--batch`, or `--lane auto` for a big enough file): a group
//! of rows goes to the store as one `POST /batch` (in parallel mode), and their answers come
//! back together under a ticket, so that a file of N rows costs about N / size submits plus a
//! few polls instead of N creates. How fast rows go out and when a ticket is polled follow what
//! the store shows ([`LanePace`]); rows the store refused with 429 inside a batch (it counts
//! those requests, and its budget was spent) go into a later batch of their group.
//!
//! A group is the next `--batch-size` rows of the file, whatever they turn out to be; its rows
//! to send go into one batch under a deduplication key ([`dedup_key`]: the run, the store, the
//! group's position and every request in it), so that the same batch sent again (after a
//! timeout, a lost answer, a crash or with `--resume`) gets the first one's ticket instead of
//! running twice, while any other batch, of this run or another, never does.
//! What the batch says for each row is then fed into the row's usual state machine
//! ([`Sender::after_batch`]): a 409 is looked up (the store may have retried the row's own
//! create) and then goes the `--on-existing` way unless the customer is the row's, a refusal
//! fails the row, an
//! inner 5xx is looked up before it is sent again on its own, a request the store did not run
//! is sent on its own. Submits and polls take a slot and the rate budget like any request.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

pub(crate) use super::batch_key::{KeyBase, dedup_key};
use super::check::Item;
use super::job::Job;
use super::lane::{FIRST_POLL, LanePace};
use super::send::create::create_request;
use super::send::{FromBatch, Held, Sender, Step};
use crate::ecwid::engine::{Failure, Kind, STOPPED_RUN};
use crate::ecwid::{ApiError, BatchRequest, BatchResponse, InnerOutcome, body_of};
use crate::ledger::resumed::OpenBatch;
use crate::outcome::RowOutcome;
use crate::report::summary::BatchCounts;

/// How the id of a create inside a batch names its row.
pub(crate) const ID_PREFIX: &str = "row-";
/// How the id of a `PUT` inside a batch names its row.
pub(crate) const PUT_PREFIX: &str = "put-";
/// How the id of a `DELETE` and of a read inside a batch name their row (`undo`).
const DELETE_PREFIX: &str = "del-";
const GET_PREFIX: &str = "get-";
/// The most batches of a group in which the store refuses rows with 429 (not executed); rows
/// still refused after that are sent on their own, through the run's budget and its pauses for
/// 429.
const MAX_ROUNDS: u32 = 20;

/// Sends groups of rows as batches (`allowParallelMode=true`: the requests of a batch are rows
/// of their own, in no order with one another).
#[derive(Debug)]
pub(crate) struct Batcher {
    pub(crate) sender: Arc<Sender>,
    /// What every deduplication key of the run covers besides its batch: the run's id, the
    /// store and the API address (see [`dedup_key`]).
    pub(crate) run: KeyBase,
    pub(crate) batch_size: usize,
    /// A batch not done after this long (`--batch-timeout`) is given up on: stopped first,
    /// then its rows are looked up one by one ([`Batcher::give_up`]).
    pub(crate) timeout: Duration,
    /// Batches an interrupted run left open, from the journal: polled before anything is sent.
    pub(crate) open: Vec<OpenBatch>,
    /// Batches sent (or taken up from an interrupted run), and polled to the end.
    pub(crate) sent: AtomicU64,
    pub(crate) done: AtomicU64,
    /// Batches given up on and confirmed stopped.
    pub(crate) stopped: AtomicU64,
    /// The row budget and the poll cadence, from what the store has shown ([`LanePace`]).
    pub(crate) pace: LanePace,
    /// Rows each batch in the store has not finished, by the order of its submit: what a
    /// batch waits for before it is done (the store runs its batches in order).
    pub(crate) in_store: Mutex<BTreeMap<u64, u64>>,
    pub(crate) submits: AtomicU64,
}

/// The rows a fate is for.
pub(super) enum Covers {
    All,
    /// The rows of a batch an interrupted run sent.
    Range(std::ops::RangeInclusive<u64>),
    Rows(HashSet<u64>),
}

impl Covers {
    fn contains(&self, row: u64) -> bool {
        match self {
            Covers::All => true,
            Covers::Range(range) => range.contains(&row),
            Covers::Rows(rows) => rows.contains(&row),
        }
    }
}

/// Whether the store refused the request with 429: it did not run it.
fn refused(response: &BatchResponse) -> bool {
    response.refused()
}

/// One request of a row to go inside a batch.
pub(crate) struct Out {
    pub(crate) row: u64,
    pub(crate) request: BatchRequest,
}

/// What is noted before the rows leave in a batch (the journal, the undo log); `false` keeps
/// the batch from leaving (the run stops).
pub(crate) type Note<'a> = &'a (dyn Fn(&[u64]) -> bool + Send + Sync);

/// What became of a batch as a whole.
pub(super) enum Fate {
    /// The store ran it: each request's answer, by row (its id tells what kind of request).
    Answered(HashMap<u64, BatchResponse>),
    /// Its outcome cannot be learnt; each row is settled on its own, as this says.
    Each(FromBatch),
    /// The run stopped; `sent` when the batch may have reached the store.
    Stopped { sent: bool },
    /// Given up on, and the store did not confirm it stopped: it may still run. Its rows stay
    /// in doubt (unsettled, so that `--resume` settles them through the ticket), as this says.
    InDoubt(String),
}

impl Batcher {
    /// Sends one group (rows in file order) and returns each row's outcome, in the same order:
    /// the creates of its rows in one batch, then the `PUT`s its rows came to (an existing
    /// customer, with `--on-existing update`) in another.
    pub(crate) async fn send_group(&self, index: u64, items: Vec<Item>) -> Vec<RowOutcome> {
        let mut done: Vec<Option<RowOutcome>> = Vec::with_capacity(items.len());
        let mut jobs: Vec<(usize, Box<Job>)> = Vec::new();
        let mut held: Vec<(usize, Held)> = Vec::new();
        for item in items {
            match item {
                Item::Ready(outcome) => done.push(Some(outcome)),
                Item::Send(job) => {
                    match self.sender.facts.prepare(&self.sender.engine, job).await {
                        // A row the snapshot settles never goes into a batch of creates; a row
                        // of a batch the interrupted run left open is settled through its ticket
                        // first.
                        Ok(job) if self.in_open_batch(job.row) => {
                            jobs.push((done.len(), job));
                            done.push(None);
                        }
                        Ok(job) => match self.sender.in_snapshot(&job).await {
                            Some(found) => {
                                let step = self.sender.known(job, found).await;
                                keep(step, &mut done, &mut held);
                            }
                            None => {
                                jobs.push((done.len(), job));
                                done.push(None);
                            }
                        },
                        Err(outcome) => done.push(Some(outcome)),
                    }
                }
            }
        }
        for (at, step) in self.send_creates(index, jobs).await {
            match step {
                Step::Done(outcome) => done[at] = Some(outcome),
                Step::Put(row) => held.push((at, *row)),
            }
        }
        for (at, outcome) in self.send_updates(index, held).await {
            done[at] = Some(outcome);
        }
        done.into_iter().flatten().collect()
    }

    /// The creates of a group's rows (by their place in the group) in one batch, or the batch
    /// an interrupted run left open for them; where each row stands after it.
    async fn send_creates(&self, index: u64, jobs: Vec<(usize, Box<Job>)>) -> Vec<(usize, Step)> {
        if jobs.is_empty() {
            return Vec::new();
        }
        let rows: Vec<u64> = jobs.iter().map(|(_, job)| job.row).collect();
        let open: Vec<&OpenBatch> = self
            .open
            .iter()
            .filter(|b| rows.iter().any(|r| (b.first_row..=b.last_row).contains(r)))
            .collect();
        let (fates, attempts) = if open.is_empty() {
            let outs: Vec<Out> = jobs
                .iter()
                .map(|(_, job)| Out {
                    row: job.row,
                    request: BatchRequest::create(
                        format!("{ID_PREFIX}{}", job.row),
                        body_of(&create_request(&job.request)),
                    ),
                })
                .collect();
            let by_row: HashMap<u64, &Job> =
                jobs.iter().map(|(_, job)| (job.row, &**job)).collect();
            let note = |rows: &[u64]| {
                let jobs: Vec<&Job> = rows.iter().filter_map(|r| by_row.get(r).copied()).collect();
                self.sender.note_sending(rows) && self.sender.note_creates(&jobs)
            };
            self.submit_and_poll(index, &outs, &note).await
        } else {
            // The interrupted run's create went out once, inside that batch.
            let mut fates = Vec::new();
            for batch in open {
                tracing::info!(
                    "rows {} to {}: polling the batch the interrupted run sent (ticket {})",
                    batch.first_row,
                    batch.last_row,
                    batch.ticket
                );
                let range = Covers::Range(batch.first_row..=batch.last_row);
                let rows = (batch.first_row, batch.last_row);
                fates.push((range, self.poll(&batch.ticket, rows, None).await));
            }
            (fates, 1)
        };
        let settled = jobs.into_iter().map(|(at, job)| {
            let fate = fate_of(&fates, job.row);
            async move { (at, self.settle(job, attempts, fate).await) }
        });
        futures_util::future::join_all(settled).await
    }

    /// Whether the row is in a batch an interrupted run left open.
    fn in_open_batch(&self, row: u64) -> bool {
        self.open
            .iter()
            .any(|b| (b.first_row..=b.last_row).contains(&row))
    }

    /// One row of a batch of creates, from what became of the batch.
    async fn settle(&self, job: Box<Job>, attempts: u32, fate: Option<&Fate>) -> Step {
        let sender = &self.sender;
        let from = match fate {
            Some(Fate::Stopped { sent: true }) => {
                return Step::Done(sender.stopped_in_batch(job, attempts));
            }
            Some(Fate::InDoubt(note)) => return Step::Done(sender.in_doubt(job, attempts, note)),
            Some(Fate::Stopped { sent: false }) => FromBatch::NotExecuted,
            Some(Fate::Each(from)) => from.clone(),
            // A batch of `PUT`s an interrupted run left open, polled to its end: the row goes
            // on from its start, and the comparison with the store tells what is left to send.
            Some(Fate::Answered(answers))
                if answers
                    .get(&job.row)
                    .is_some_and(|r| r.id_text().starts_with(PUT_PREFIX)) =>
            {
                return sender.prepared(job).await;
            }
            Some(Fate::Answered(answers)) => {
                match answers.get(&job.row).map(|r| (r, r.outcome())) {
                    Some((_, InnerOutcome::NotExecuted)) => FromBatch::NotExecuted,
                    // Refused for the rate limit: not run (a batch an interrupted run left).
                    Some((r, _)) if refused(r) => FromBatch::NotExecuted,
                    // A 409 to a row an interrupted run may have created: likely that run's
                    // create, so it is looked up as after any create of unknown outcome.
                    Some((_, InnerOutcome::Answered(Err(e))))
                        if job.maybe_sent && e.status() == Some(409) =>
                    {
                        FromBatch::Unknown(e)
                    }
                    Some((_, InnerOutcome::Answered(answer))) => FromBatch::Answer(answer),
                    None => FromBatch::Unknown(ApiError::BadBody {
                        status: 200,
                        body: "the batch's answer has no response for this row".into(),
                    }),
                }
            }
            None => FromBatch::NotExecuted,
        };
        // Not run by this batch, but an interrupted run may have sent the row (on its own
        // after an earlier resume, or in a batch whose ticket is gone): look it up first.
        let from = match from {
            FromBatch::NotExecuted if job.maybe_sent => FromBatch::MaybeCreated,
            other => other,
        };
        sender.after_batch(job, attempts, from).await
    }

    /// Submits the rows' requests as one batch and polls it; rows the store refused with 429
    /// inside it (not executed) go into a later batch, until none is refused or
    /// [`MAX_ROUNDS`]. `note` is called with the rows of each batch before it leaves. What
    /// became of the rows, and how many submits they went out in.
    pub(super) async fn submit_and_poll(
        &self,
        index: u64,
        outs: &[Out],
        note: Note<'_>,
    ) -> (Vec<(Covers, Fate)>, u32) {
        let not_executed = |out: &Out| BatchResponse::not_executed(out.request.id.clone());
        let mut answered: HashMap<u64, BatchResponse> = HashMap::new();
        let mut left: Vec<&Out> = outs.iter().collect();
        let mut attempts = 0;
        let mut refusals = 0;
        let mut round = 0;
        while !left.is_empty() && refusals < MAX_ROUNDS {
            let (fate, tries, submitted_at, sent) = self.round(index, round, &left, note).await;
            round += 1;
            attempts += tries;
            let (went, later) = left.split_at(sent.min(left.len()));
            let Fate::Answered(mut answers) = fate else {
                // Rows not sent yet (the row budget had no room for them) are sent on their own.
                for out in later {
                    answered.insert(out.row, not_executed(out));
                }
                let rows = went.iter().map(|out| out.row).collect();
                let fates = vec![
                    (Covers::Rows(rows), fate),
                    (Covers::All, Fate::Answered(answered)),
                ];
                return (fates, attempts);
            };
            let again: HashSet<u64> = went
                .iter()
                .map(|out| out.row)
                .filter(|row| answers.get(row).is_some_and(refused))
                .collect();
            answers.retain(|row, _| !again.contains(row));
            answered.extend(answers);
            if !again.is_empty() {
                refusals += 1;
                tracing::info!(
                    "{} rows refused with 429 inside their batch (not run): they go into a \
                     later batch",
                    again.len()
                );
                self.pace
                    .refused(submitted_at, again.len() as u64, Instant::now());
            }
            let later: HashSet<u64> = later.iter().map(|out| out.row).collect();
            left.retain(|out| again.contains(&out.row) || later.contains(&out.row));
        }
        // Refused in every round: each is sent on its own.
        for out in left {
            answered.entry(out.row).or_insert_with(|| not_executed(out));
        }
        (vec![(Covers::All, Fate::Answered(answered))], attempts)
    }

    /// One batch of the first of the rows, as many as the row budget has room for: waits for
    /// room, submits it (re-sending it under the same key until the store gives a ticket) and
    /// polls the ticket; also how many submits it took, when it went out and how many rows it
    /// took.
    async fn round(
        &self,
        index: u64,
        round: u32,
        outs: &[&Out],
        note: Note<'_>,
    ) -> (Fate, u32, Instant, usize) {
        let sender = &self.sender;
        let engine = &sender.engine;
        let (submitted_at, granted) = loop {
            let now = Instant::now();
            self.pace
                .refusals(engine.counts().total().rate_limited, now);
            match self.pace.submit(outs.len() as u64, now) {
                Ok(granted) => break (now, usize::try_from(granted).unwrap_or(outs.len())),
                Err(wait) => {
                    if !engine.stop().sleep(wait).await {
                        return (Fate::Stopped { sent: false }, 0, now, outs.len());
                    }
                }
            }
        };
        let outs = &outs[..granted.clamp(1, outs.len())];
        let rows: Vec<u64> = outs.iter().map(|out| out.row).collect();
        let requests: Vec<BatchRequest> = outs.iter().map(|out| out.request.clone()).collect();
        let key = dedup_key(&self.run, index, round, &requests);
        let mut tries = engine.tries();
        // Safe to repeat: the store runs a key's batch once.
        let submitted = engine
            .send_noted(
                Kind::BatchSubmit,
                &mut tries,
                || note(&rows),
                || engine.client.submit_batch(&key, &requests),
            )
            .await;
        let attempts = tries.attempts;
        let ticket = match submitted {
            Ok(ticket) => ticket,
            Err(Failure::Failed { error, why }) if why != STOPPED_RUN => {
                tracing::warn!(
                    "batch of rows {:?} to {:?} not accepted: {error}",
                    rows.first(),
                    rows.last()
                );
                let each = if tries.maybe_took_effect {
                    FromBatch::Unknown(error)
                } else {
                    FromBatch::NotExecuted
                };
                return (Fate::Each(each), attempts, submitted_at, outs.len());
            }
            Err(_) => {
                let sent = tries.maybe_took_effect;
                return (Fate::Stopped { sent }, attempts, submitted_at, outs.len());
            }
        };
        let first = rows.first().copied().unwrap_or_default();
        let last = rows.last().copied().unwrap_or_default();
        if let Some(journal) = &sender.journal {
            journal.batch(first, last, &key, &ticket);
        }
        let seq = self.submits.fetch_add(1, Ordering::Relaxed);
        self.store_left(seq, Some(rows.len() as u64));
        let fate = self.poll(&ticket, (first, last), Some(seq)).await;
        self.store_left(seq, None);
        (fate, attempts, submitted_at, outs.len())
    }

    /// Notes how many rows of the batch submitted `seq`-th the store has still to finish
    /// (`None`: none, or no longer followed).
    fn store_left(&self, seq: u64, left: Option<u64>) {
        let mut in_store = self.in_store.lock().unwrap_or_else(|e| e.into_inner());
        match left {
            Some(left) => in_store.insert(seq, left),
            None => in_store.remove(&seq),
        };
    }

    /// Rows the store has to finish before the batch submitted `seq`-th is done.
    fn ahead(&self, seq: u64) -> u64 {
        let in_store = self.in_store.lock().unwrap_or_else(|e| e.into_inner());
        in_store.range(..=seq).map(|(_, left)| left).sum()
    }

    /// Polls a ticket until the batch is done, each poll when the store should be done by the
    /// speed it has shown ([`LanePace::next_poll`]); `seq` is the order of this run's submit,
    /// `None` for a ticket an interrupted run left (polled at once). `rows` is the first and
    /// last row of the batch, for the journal.
    async fn poll(&self, ticket: &str, rows: (u64, u64), seq: Option<u64>) -> Fate {
        let engine = &self.sender.engine;
        self.sent.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let mut interval = match seq {
            Some(seq) => self.pace.next_poll(self.ahead(seq), Duration::ZERO),
            None => Duration::ZERO,
        };
        // Requests of the batch seen finished so far.
        let mut seen = 0;
        // One count of retries for all the polls of the ticket.
        let mut tries = engine.tries();
        loop {
            if started.elapsed() > self.timeout {
                tracing::warn!(
                    "batch {ticket} not done after {} s (--batch-timeout): stopping it before \
                     looking its rows up",
                    self.timeout.as_secs()
                );
                return self
                    .give_up(ticket, rows, ApiError::Timeout(self.timeout))
                    .await;
            }
            if !engine.stop().sleep(interval).await {
                return Fate::Stopped { sent: true };
            }
            let polled = engine
                .send(Kind::BatchPoll, &mut tries, || {
                    engine.client.batch_status(ticket)
                })
                .await;
            if let Ok(status) = &polled {
                let finished = status.finished().max(seen);
                self.pace.finished(finished - seen, Instant::now());
                seen = finished;
            }
            match polled {
                Ok(status) if status.is_completed() => {
                    self.done.fetch_add(1, Ordering::Relaxed);
                    return Fate::Answered(by_row(status.responses));
                }
                Ok(status) => {
                    let own = match seq {
                        Some(seq) => {
                            let total = status.total_requests.unwrap_or(rows.1 - rows.0 + 1);
                            self.store_left(seq, Some(total.saturating_sub(seen)));
                            self.ahead(seq)
                        }
                        None => 0,
                    };
                    interval = self.pace.next_poll(own, interval.max(FIRST_POLL / 2));
                }
                // A 404 names the ticket, which the store no longer knows (it keeps them for a
                // while only): nothing is left to stop.
                Err(Failure::Failed { error, why })
                    if why != STOPPED_RUN && error.status() == Some(404) =>
                {
                    tracing::warn!("batch {ticket}: {error}; looking its rows up one by one");
                    return Fate::Each(FromBatch::Unknown(error));
                }
                Err(Failure::Failed { error, why }) if why != STOPPED_RUN => {
                    tracing::warn!(
                        "batch {ticket}: {error}; stopping it before looking its rows up"
                    );
                    return self.give_up(ticket, rows, error).await;
                }
                Err(_) => return Fate::Stopped { sent: true },
            }
        }
    }

    /// Batches sent (or taken up from an interrupted run's journal), polled to the end,
    /// stopped, and still pending.
    pub(crate) fn counts(&self) -> BatchCounts {
        BatchCounts::new(
            self.sent.load(Ordering::Relaxed),
            self.done.load(Ordering::Relaxed),
            self.stopped.load(Ordering::Relaxed),
        )
    }
}

/// Each answer by the row its id names; answers with ids of no row are ignored.
pub(super) fn by_row(responses: Vec<BatchResponse>) -> HashMap<u64, BatchResponse> {
    responses
        .into_iter()
        .filter_map(|r| {
            let id = r.id_text();
            let row = [ID_PREFIX, PUT_PREFIX, DELETE_PREFIX, GET_PREFIX]
                .iter()
                .find_map(|prefix| id.strip_prefix(prefix))?
                .parse()
                .ok()?;
            Some((row, r))
        })
        .collect()
}

/// What became of a row's request: a batch that ran it tells more than one that refused it
/// (later batches of a group hold rows an earlier one refused with 429).
pub(super) fn fate_of(fates: &[(Covers, Fate)], row: u64) -> Option<&Fate> {
    let ran = fates.iter().find(|(covers, fate)| {
        covers.contains(row)
            && matches!(fate, Fate::Answered(a) if a.get(&row).is_some_and(|r| !refused(r)))
    });
    let found = ran.or_else(|| fates.iter().find(|(covers, _)| covers.contains(row)));
    found.map(|(_, fate)| fate)
}

/// Where a row's step ended up: its outcome, or held for the group's batch of `PUT`s.
fn keep(step: Step, done: &mut Vec<Option<RowOutcome>>, held: &mut Vec<(usize, Held)>) {
    match step {
        Step::Done(outcome) => done.push(Some(outcome)),
        Step::Put(row) => {
            held.push((done.len(), *row));
            done.push(None);
        }
    }
}
