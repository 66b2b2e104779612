//! The batch lane's own work, for every kind of write (the import's creates and `PUT`s,
//! `undo`'s deletes, restores and reads): a batch of requests submitted under its deduplication
//! key ([`dedup_key`]), journaled under its ticket, polled at the store's speed ([`LanePace`]),
//! its rows the store refused with 429 sent in a later batch, a batch given up on stopped first
//! ([`BatchLane::give_up`]). What the answers mean for a row is its caller's to say.
//!
//! It stands below the commands that write through it (`import`, `undo`), on the engine and
//! the journal, so neither command reaches into the other.

mod give_up;
mod key;
mod pace;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::ecwid::engine::{Engine, Failure, Kind, STOPPED_RUN};
use crate::ecwid::{ApiError, BatchRequest, BatchResponse};
use crate::ledger::journal::Journal;
use crate::report::summary::BatchCounts;
pub(crate) use key::KeyBase;
use key::dedup_key;
pub(crate) use pace::LanePace;
use pace::{FIRST_POLL, Lease};

/// What a batch said about a row's create, for the writer that sent it (an import's `Sender::after_batch`).
#[derive(Debug, Clone)]
pub(crate) enum FromBatch {
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

/// How the id of a create inside a batch names its row.
pub(crate) const ID_PREFIX: &str = "row-";
/// How the id of a `PUT` inside a batch names its row.
pub(crate) const PUT_PREFIX: &str = "put-";
/// How the id of a `DELETE` and of a read inside a batch name their row (`undo`).
pub(crate) const DELETE_PREFIX: &str = "del-";
pub(crate) const GET_PREFIX: &str = "get-";
/// The most batches of a group in which the store refuses rows with 429 (not executed); rows
/// still refused after that are sent on their own, through the run's budget and its pauses for
/// 429.
const MAX_ROUNDS: u32 = 20;
/// How long before the end of the wait for the work in flight (after an interrupt) a batch's
/// last poll leaves at the latest (a quarter of the wait when that is shorter).
const LAST_POLL_AHEAD: Duration = Duration::from_secs(1);

/// Batches of one run: the engine they go through, the journal that records their tickets
/// (none for `undo`), the keys' base, the pace, and what they came to.
#[derive(Debug)]
pub(crate) struct BatchLane {
    pub(crate) engine: Arc<Engine>,
    pub(crate) journal: Option<Arc<Journal>>,
    /// What every deduplication key of the run covers besides its batch: the run's id, the
    /// store and the API address (see [`dedup_key`]).
    pub(crate) run: KeyBase,
    /// A batch not done after this long (`--batch-timeout`) is given up on: stopped first,
    /// then its rows are settled one by one ([`BatchLane::give_up`]).
    pub(crate) timeout: Duration,
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
pub(crate) enum Covers {
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
pub(crate) fn refused(response: &BatchResponse) -> bool {
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
pub(crate) enum Fate {
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

impl BatchLane {
    pub(crate) fn new(
        engine: Arc<Engine>,
        journal: Option<Arc<Journal>>,
        run: KeyBase,
        timeout: Duration,
        rate: u32,
    ) -> Self {
        Self {
            engine,
            journal,
            run,
            timeout,
            sent: AtomicU64::new(0),
            done: AtomicU64::new(0),
            stopped: AtomicU64::new(0),
            pace: LanePace::new(rate, Instant::now()),
            in_store: Mutex::default(),
            submits: AtomicU64::new(0),
        }
    }

    /// Submits the rows' requests as one batch and polls it; rows the store refused with 429
    /// inside it (not executed) go into a later batch, until none is refused or
    /// [`MAX_ROUNDS`]. `note` is called with the rows of each batch before it leaves. What
    /// became of the rows, and how many submits they went out in.
    pub(crate) async fn submit_and_poll(
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
            let (fate, tries, lease, sent) = self.round(index, round, &left, note).await;
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
                if let Some(lease) = lease {
                    self.pace
                        .refused(&lease, again.len() as u64, Instant::now());
                }
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
    /// polls the ticket; also how many submits it took, the rows the row budget counts for it
    /// (`None` if it never went out) and how many rows it took.
    async fn round(
        &self,
        index: u64,
        round: u32,
        outs: &[&Out],
        note: Note<'_>,
    ) -> (Fate, u32, Option<Lease>, usize) {
        let engine = &self.engine;
        let lease = loop {
            let now = Instant::now();
            self.pace
                .refusals(engine.counts().total().rate_limited, now);
            match self.pace.submit(outs.len() as u64, now) {
                Ok(lease) => break lease,
                Err(wait) => {
                    if !engine.stop().sleep(wait).await {
                        return (Fate::Stopped { sent: false }, 0, None, outs.len());
                    }
                }
            }
        };
        let granted = usize::try_from(lease.rows).unwrap_or(outs.len());
        tracing::debug!(
            "group {index}, round {round}: a batch of {} of {} rows (lease {})",
            lease.rows,
            outs.len(),
            lease.id
        );
        let outs = &outs[..granted.clamp(1, outs.len())];
        let (fate, attempts) = self.submit_batch(index, round, outs, note, lease).await;
        tracing::debug!("lease {} done with", lease.id);
        // However it ended, rows no poll showed finished may have run.
        self.pace.settled(lease.id, Instant::now());
        (fate, attempts, Some(lease), outs.len())
    }

    /// Submits the rows as one batch and polls it to the end; also how many submits it took.
    async fn submit_batch(
        &self,
        index: u64,
        round: u32,
        outs: &[&Out],
        note: Note<'_>,
        lease: Lease,
    ) -> (Fate, u32) {
        let engine = &self.engine;
        let rows: Vec<u64> = outs.iter().map(|out| out.row).collect();
        let requests: Vec<BatchRequest> = outs.iter().map(|out| out.request.clone()).collect();
        let key = dedup_key(&self.run, index, round, &requests);
        let mut tries = engine.tries();
        // Safe to repeat: the store runs a key's batch once.
        let submitted = engine
            .send_noted(
                Kind::BatchSubmit,
                &mut tries,
                || {
                    self.pace.leaves(lease.id, Instant::now());
                    note(&rows)
                },
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
                return (Fate::Each(each), attempts);
            }
            Err(_) => {
                let sent = tries.maybe_took_effect;
                return (Fate::Stopped { sent }, attempts);
            }
        };
        let first = rows.first().copied().unwrap_or_default();
        let last = rows.last().copied().unwrap_or_default();
        if let Some(journal) = &self.journal {
            journal.batch(first, last, &key, &ticket);
        }
        let seq = self.submits.fetch_add(1, Ordering::Relaxed);
        self.store_left(seq, Some(rows.len() as u64));
        let fate = self
            .poll(
                &ticket,
                (first, last),
                Some((seq, lease.id, rows.len() as u64)),
            )
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
    /// speed it has shown ([`LanePace::next_poll`]); `sent` is the order of this run's submit,
    /// the row budget's lease of it and the batch's number of requests, `None` for a ticket
    /// an interrupted run left (polled at once). `rows` is the first and last row of the batch,
    /// for the journal (an undo's rows are in the order of its log, not always ascending: the
    /// number of requests is not made from them).
    pub(crate) async fn poll(
        &self,
        ticket: &str,
        rows: (u64, u64),
        sent: Option<(u64, u64, u64)>,
    ) -> Fate {
        let seq = sent.map(|(seq, ..)| seq);
        let engine = &self.engine;
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
            let Some(wait) = self.before_next_poll(interval) else {
                return self.cut_short(ticket);
            };
            if engine.stop().is_stopped() {
                if !engine.sleep_in_flight(wait).await {
                    return self.cut_short(ticket);
                }
            } else if !engine.stop().sleep(wait).await {
                // Interrupted meanwhile: the wait is measured again.
                continue;
            }
            self.pace.request(Instant::now());
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
                // When the rows ran is judged by the store's speed before this poll.
                if let Some((seq, lease, _)) = sent {
                    self.pace.ran(lease, finished - seen, self.ahead(seq), now);
                }
                self.pace.finished(finished - seen, now);
                seen = finished;
            }
            match polled {
                Ok(status) if status.is_completed() => {
                    self.done.fetch_add(1, Ordering::Relaxed);
                    return Fate::Answered(by_row(status.responses));
                }
                Ok(status) => {
                    let own = match sent {
                        Some((seq, _, requests)) => {
                            let total = status.total_requests.unwrap_or(requests);
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
                Err(_) => return self.cut_short(ticket),
            }
        }
    }

    /// How long to wait before the next poll of a batch in the store, `interval` by the pace;
    /// `None` when no poll may follow. After an interrupt the batch is polled on for the
    /// bounded wait of the work in flight ([`Engine::in_flight_over`]), so that its rows get
    /// their real outcomes; its last poll leaves a little before that wait ends, so that its
    /// answer is still taken. After an abort, none.
    fn before_next_poll(&self, interval: Duration) -> Option<Duration> {
        let engine = &self.engine;
        if !engine.stop().is_stopped() {
            return Some(interval);
        }
        let end = engine.in_flight_end()?;
        let ahead = LAST_POLL_AHEAD.min(engine.in_flight_wait() / 4);
        let left = end.saturating_duration_since(Instant::now());
        (left > ahead).then(|| interval.min(left - ahead))
    }

    /// A batch in the store whose polling the run's stop cut short: its rows' outcome is
    /// unknown until `--resume` polls its ticket (the journal keeps it open).
    fn cut_short(&self, ticket: &str) -> Fate {
        if self.engine.stop().interrupted_at().is_some() {
            tracing::warn!(
                "batch {ticket} not finished when the wait for the work in flight ended: its \
                 rows stay unknown until --resume polls it"
            );
        }
        Fate::Stopped { sent: true }
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
pub(crate) fn by_row(responses: Vec<BatchResponse>) -> HashMap<u64, BatchResponse> {
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
pub(crate) fn fate_of(fates: &[(Covers, Fate)], row: u64) -> Option<&Fate> {
    let ran = fates.iter().find(|(covers, fate)| {
        covers.contains(row)
            && matches!(fate, Fate::Answered(a) if a.get(&row).is_some_and(|r| !refused(r)))
    });
    let found = ran.or_else(|| fates.iter().find(|(covers, _)| covers.contains(row)));
    found.map(|(_, fate)| fate)
}
