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
use super::engine::{Failure, Kind, STOPPED_RUN};
use super::job::Job;
use super::lane::{FIRST_POLL, LanePace, Lease};
use super::resumed::OpenBatch;
use super::send::create::create_request;
use super::send::{FromBatch, Sender};
use crate::ecwid::{ApiError, BatchCreate, BatchResponse, InnerOutcome, body_of};
use crate::outcome::RowOutcome;
use crate::report::summary::BatchCounts;

/// How the id of a request inside a batch names its row.
pub(crate) const ID_PREFIX: &str = "row-";
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
enum Covers {
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
fn refused(outcome: &InnerOutcome) -> bool {
    matches!(outcome, InnerOutcome::Answered(Err(e)) if e.status() == Some(429))
}

/// What became of a batch as a whole.
pub(super) enum Fate {
    /// The store ran it: each request's answer, by row.
    Answered(HashMap<u64, InnerOutcome>),
    /// Its outcome cannot be learnt; each row is settled on its own, as this says.
    Each(FromBatch),
    /// The run stopped; `sent` when the batch may have reached the store.
    Stopped { sent: bool },
    /// Given up on, and the store did not confirm it stopped: it may still run. Its rows stay
    /// in doubt (unsettled, so that `--resume` settles them through the ticket), as this says.
    InDoubt(String),
}

impl Batcher {
    /// Sends one group (rows in file order) and returns each row's outcome, in the same order.
    pub(crate) async fn send_group(&self, index: u64, items: Vec<Item>) -> Vec<RowOutcome> {
        let mut done: Vec<Option<RowOutcome>> = Vec::with_capacity(items.len());
        let mut jobs: Vec<(usize, Box<Job>)> = Vec::new();
        for item in items {
            match item {
                Item::Ready(outcome) => done.push(Some(outcome)),
                Item::Send(job) => {
                    match self.sender.facts.prepare(&self.sender.engine, job).await {
                        // A row the snapshot settles never goes into a batch; a row of a batch
                        // the interrupted run left open is settled through its ticket first.
                        Ok(job) if self.in_open_batch(job.row) => {
                            jobs.push((done.len(), job));
                            done.push(None);
                        }
                        Ok(job) => match self.sender.in_snapshot(&job).await {
                            Some(found) => done.push(Some(self.sender.known(job, found).await)),
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
        if jobs.is_empty() {
            return done.into_iter().flatten().collect();
        }
        let rows: Vec<u64> = jobs.iter().map(|(_, job)| job.row).collect();
        let open: Vec<&OpenBatch> = self
            .open
            .iter()
            .filter(|b| rows.iter().any(|r| (b.first_row..=b.last_row).contains(r)))
            .collect();
        let (fates, attempts) = if open.is_empty() {
            self.submit_and_poll(index, &jobs).await
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
            // A batch that ran the row tells more than one that refused it (later batches of a
            // group hold rows an earlier one refused with 429).
            let ran = fates.iter().find(|(covers, fate)| {
                covers.contains(job.row)
                    && matches!(fate, Fate::Answered(a) if a.get(&job.row).is_some_and(|o| !refused(o)))
            });
            let found = ran.or_else(|| fates.iter().find(|(covers, _)| covers.contains(job.row)));
            let fate = found.map(|(_, fate)| fate);
            async move { (at, self.settle(job, attempts, fate).await) }
        });
        for (at, outcome) in futures_util::future::join_all(settled).await {
            done[at] = Some(outcome);
        }
        done.into_iter().flatten().collect()
    }

    /// Whether the row is in a batch an interrupted run left open.
    fn in_open_batch(&self, row: u64) -> bool {
        self.open
            .iter()
            .any(|b| (b.first_row..=b.last_row).contains(&row))
    }

    /// One row of a batch, from what became of the batch.
    async fn settle(&self, job: Box<Job>, attempts: u32, fate: Option<&Fate>) -> RowOutcome {
        let sender = &self.sender;
        let from = match fate {
            Some(Fate::Stopped { sent: true }) => return sender.stopped_in_batch(job, attempts),
            Some(Fate::InDoubt(note)) => return sender.in_doubt(job, attempts, note),
            Some(Fate::Stopped { sent: false }) => FromBatch::NotExecuted,
            Some(Fate::Each(from)) => from.clone(),
            Some(Fate::Answered(answers)) => match answers.get(&job.row) {
                Some(InnerOutcome::NotExecuted) => FromBatch::NotExecuted,
                // Refused for the rate limit: not run (a batch an interrupted run left).
                Some(outcome) if refused(outcome) => FromBatch::NotExecuted,
                // A 409 to a row an interrupted run may have created: likely that run's
                // create, so it is looked up as after any create of unknown outcome.
                Some(InnerOutcome::Answered(Err(e)))
                    if job.maybe_sent && e.status() == Some(409) =>
                {
                    FromBatch::Unknown(e.clone())
                }
                Some(InnerOutcome::Answered(answer)) => FromBatch::Answer(answer.clone()),
                None => FromBatch::Unknown(ApiError::BadBody {
                    status: 200,
                    body: "the batch's answer has no response for this row".into(),
                }),
            },
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

    /// Submits the group's rows as one batch and polls it; rows the store refused with 429
    /// inside it (not executed) go into a later batch, until none is refused or
    /// [`MAX_ROUNDS`]. What became of the rows, and how many submits they went out in.
    async fn submit_and_poll(
        &self,
        index: u64,
        jobs: &[(usize, Box<Job>)],
    ) -> (Vec<(Covers, Fate)>, u32) {
        let mut answered: HashMap<u64, InnerOutcome> = HashMap::new();
        let mut left: Vec<&Job> = jobs.iter().map(|(_, job)| &**job).collect();
        let mut attempts = 0;
        let mut refusals = 0;
        let mut round = 0;
        while !left.is_empty() && refusals < MAX_ROUNDS {
            let (fate, tries, lease, sent) = self.round(index, round, &left).await;
            round += 1;
            attempts += tries;
            let (went, later) = left.split_at(sent.min(left.len()));
            let Fate::Answered(mut answers) = fate else {
                // Rows not sent yet (the row budget had no room for them) are sent on their own.
                for job in later {
                    answered.insert(job.row, InnerOutcome::NotExecuted);
                }
                let rows = went.iter().map(|job| job.row).collect();
                let fates = vec![
                    (Covers::Rows(rows), fate),
                    (Covers::All, Fate::Answered(answered)),
                ];
                return (fates, attempts);
            };
            let again: HashSet<u64> = went
                .iter()
                .map(|job| job.row)
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
                if let Some(lease) = lease {
                    self.pace
                        .refused(&lease, again.len() as u64, Instant::now());
                }
            }
            let later: HashSet<u64> = later.iter().map(|job| job.row).collect();
            left.retain(|job| again.contains(&job.row) || later.contains(&job.row));
        }
        // Refused in every round: each is sent on its own.
        for job in left {
            answered.entry(job.row).or_insert(InnerOutcome::NotExecuted);
        }
        (vec![(Covers::All, Fate::Answered(answered))], attempts)
    }

    /// One batch of the first of the rows, as many as the row budget has room for: waits for
    /// room, submits it (re-sending it under the same key until the store gives a ticket) and
    /// polls the ticket; also how many submits it took, the rows the row budget counts for it
    /// (`None` if it never went out) and how many rows it took.
    async fn round(
        &self,
        index: u64,
        round: u32,
        jobs: &[&Job],
    ) -> (Fate, u32, Option<Lease>, usize) {
        let engine = &self.sender.engine;
        let lease = loop {
            let now = Instant::now();
            self.pace
                .refusals(engine.counts().total().rate_limited, now);
            match self.pace.submit(jobs.len() as u64, now) {
                Ok(lease) => break lease,
                Err(wait) => {
                    if !engine.stop().sleep(wait).await {
                        return (Fate::Stopped { sent: false }, 0, None, jobs.len());
                    }
                }
            }
        };
        let granted = usize::try_from(lease.rows).unwrap_or(jobs.len());
        tracing::debug!(
            "group {index}, round {round}: a batch of {} of {} rows (lease {})",
            lease.rows,
            jobs.len(),
            lease.id
        );
        let jobs = &jobs[..granted.clamp(1, jobs.len())];
        let (fate, attempts) = self.submit_batch(index, round, jobs, lease).await;
        tracing::debug!("lease {} done with", lease.id);
        // However it ended, rows no poll showed finished may have run.
        self.pace.settled(lease.id);
        (fate, attempts, Some(lease), jobs.len())
    }

    /// Submits the rows as one batch and polls it to the end; also how many submits it took.
    async fn submit_batch(
        &self,
        index: u64,
        round: u32,
        jobs: &[&Job],
        lease: Lease,
    ) -> (Fate, u32) {
        let sender = &self.sender;
        let engine = &sender.engine;
        let rows: Vec<u64> = jobs.iter().map(|job| job.row).collect();
        let creates: Vec<BatchCreate> = jobs
            .iter()
            .map(|job| BatchCreate {
                id: format!("{ID_PREFIX}{}", job.row),
                body: body_of(&create_request(&job.request)),
            })
            .collect();
        let key = dedup_key(&self.run, index, round, &creates);
        let mut tries = engine.tries();
        // Safe to repeat: the store runs a key's batch once.
        let submitted = engine
            .send_noted(
                Kind::BatchSubmit,
                &mut tries,
                || sender.note_sending(&rows) && sender.note_creates(jobs),
                || engine.client.submit_batch(&key, &creates),
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
                return (Fate::Each(each), attempts);
            }
            Err(_) => {
                let sent = tries.maybe_took_effect;
                return (Fate::Stopped { sent }, attempts);
            }
        };
        let first = rows.first().copied().unwrap_or_default();
        let last = rows.last().copied().unwrap_or_default();
        if let Some(journal) = &sender.journal {
            journal.batch(first, last, &key, &ticket);
        }
        let seq = self.submits.fetch_add(1, Ordering::Relaxed);
        self.store_left(seq, Some(rows.len() as u64));
        let fate = self
            .poll(&ticket, (first, last), Some((seq, lease.id)))
            .await;
        self.store_left(seq, None);
        (fate, attempts)
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
    /// speed it has shown ([`LanePace::next_poll`]); `sent` is the order of this run's submit
    /// and the row budget's lease of it, `None` for a ticket an interrupted run left (polled at
    /// once). `rows` is the first and last row of the batch, for the journal.
    async fn poll(&self, ticket: &str, rows: (u64, u64), sent: Option<(u64, u64)>) -> Fate {
        let seq = sent.map(|(seq, _)| seq);
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
            let now = Instant::now();
            self.pace
                .refusals(engine.counts().total().rate_limited, now);
            if let Ok(status) = &polled {
                let finished = status.finished().max(seen);
                self.pace.finished(finished - seen, now);
                if let Some((_, lease)) = sent {
                    self.pace.ran(lease, finished - seen);
                }
                seen = finished;
            }
            match polled {
                Ok(status) if status.is_completed() => {
                    self.done.fetch_add(1, Ordering::Relaxed);
                    return Fate::Answered(by_row(&status.responses));
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
pub(super) fn by_row(responses: &[BatchResponse]) -> HashMap<u64, InnerOutcome> {
    responses
        .iter()
        .filter_map(|r| {
            let id = r.id_text();
            let row = id.strip_prefix(ID_PREFIX)?.parse().ok()?;
            Some((row, r.outcome()))
        })
        .collect()
}
