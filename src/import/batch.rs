//! Batch mode (`--batch`): a group of rows goes to the store as one `POST /batch`, and their
//! answers come back together under a ticket, so that a file of N rows costs about N / size
//! submits plus a few polls instead of N creates.
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

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::time::Instant;

use super::check::Item;
use super::engine::{Failure, Kind, STOPPED_RUN};
use super::job::Job;
use super::resumed::OpenBatch;
use super::send::create::create_request;
use super::send::{FromBatch, Sender};
use crate::ecwid::{ApiError, BatchCreate, BatchResponse, InnerOutcome, body_of};
use crate::outcome::RowOutcome;
use crate::report::summary::BatchCounts;

/// The first poll comes this long after the submit; each next one twice as long after, up to
/// [`MAX_POLL_INTERVAL`]: a small batch is often done at once, a big one may take a while.
const FIRST_POLL: Duration = Duration::from_millis(250);
const MAX_POLL_INTERVAL: Duration = Duration::from_secs(10);
/// How the id of a request inside a batch names its row.
const ID_PREFIX: &str = "row-";

/// Sends groups of rows as batches.
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
}

/// What became of a batch as a whole.
enum Fate {
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
            let (fate, attempts) = self.submit_and_poll(index, &jobs).await;
            (vec![(None, fate)], attempts)
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
                let range = batch.first_row..=batch.last_row;
                let rows = (batch.first_row, batch.last_row);
                fates.push((Some(range), self.poll(&batch.ticket, rows, true).await));
            }
            (fates, 1)
        };
        let settled = jobs.into_iter().map(|(at, job)| {
            let found = fates
                .iter()
                .find(|(range, _)| range.as_ref().is_none_or(|r| r.contains(&job.row)));
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

    /// Submits the group's rows as one batch, re-sending it under the same key until the store
    /// gives a ticket, then polls the ticket; also how many submits the rows went out in.
    async fn submit_and_poll(&self, index: u64, jobs: &[(usize, Box<Job>)]) -> (Fate, u32) {
        let rows: Vec<u64> = jobs.iter().map(|(_, job)| job.row).collect();
        let creates: Vec<BatchCreate> = jobs
            .iter()
            .map(|(_, job)| BatchCreate {
                id: format!("{ID_PREFIX}{}", job.row),
                body: body_of(&create_request(&job.request)),
            })
            .collect();
        let key = dedup_key(&self.run, index, &creates);
        let sender = &self.sender;
        let engine = &sender.engine;
        let mut tries = engine.tries();
        // Safe to repeat: the store runs a key's batch once.
        let submitted = engine
            .send_noted(
                Kind::BatchSubmit,
                &mut tries,
                || {
                    let jobs: Vec<&Job> = jobs.iter().map(|(_, job)| &**job).collect();
                    sender.note_sending(&rows) && sender.note_creates(&jobs)
                },
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
        (self.poll(&ticket, (first, last), false).await, attempts)
    }

    /// Polls a ticket, more and more slowly, until the batch is done; `resumed` for a ticket
    /// an interrupted run left. `rows` is the first and last row of the batch, for the journal.
    async fn poll(&self, ticket: &str, rows: (u64, u64), resumed: bool) -> Fate {
        let engine = &self.sender.engine;
        self.sent.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let mut interval = if resumed { Duration::ZERO } else { FIRST_POLL };
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
            match polled {
                Ok(status) if status.is_completed() => {
                    self.done.fetch_add(1, Ordering::Relaxed);
                    return Fate::Answered(by_row(&status.responses));
                }
                Ok(_) => interval = (interval * 2).clamp(FIRST_POLL, MAX_POLL_INTERVAL),
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

    /// Gives a batch up (`why`: polling timed out or failed): stops it first, so that it can
    /// never run later (after the look-ups, after an `undo`, during the next run) and create
    /// customers nobody tracks. Confirmed stopped (`deleteCount` 1): journaled, and its rows
    /// are looked up one by one. Nothing stopped (`deleteCount` 0, or a 404): the batch may
    /// have finished meanwhile, which one more poll tells. Otherwise (the stop failed) the
    /// batch may still run: its rows stay in doubt.
    async fn give_up(&self, ticket: &str, (first, last): (u64, u64), why: ApiError) -> Fate {
        let engine = &self.sender.engine;
        let mut tries = engine.tries();
        let stopped = engine
            .send(Kind::BatchCancel, &mut tries, || {
                engine.client.stop_batch(ticket)
            })
            .await;
        let refusal = match stopped {
            // Nothing stopped, or no such ticket to stop: the poll tells what became of it.
            Ok(0) => return self.last_poll(ticket, why).await,
            Err(Failure::Failed { error, why: w })
                if w != STOPPED_RUN && error.status() == Some(404) =>
            {
                return self.last_poll(ticket, why).await;
            }
            Ok(_) => {
                self.stopped.fetch_add(1, Ordering::Relaxed);
                if let Some(journal) = &self.sender.journal {
                    journal.batch_stopped(first, last, ticket);
                }
                tracing::info!("batch {ticket} stopped; looking its rows up one by one");
                return Fate::Each(FromBatch::Unknown(why));
            }
            Err(Failure::Failed { error, why: w }) if w != STOPPED_RUN => error.to_string(),
            Err(_) => return Fate::Stopped { sent: true },
        };
        tracing::warn!("batch {ticket} could not be stopped ({refusal}): its rows stay in doubt");
        Fate::InDoubt(format!(
            "its batch (ticket {ticket}) was given up on ({why}) and could not be stopped \
             ({refusal})"
        ))
    }

    /// The store stopped nothing of a batch given up on: done meanwhile (its answers), or
    /// forgotten (its rows are looked up); anything else leaves its rows in doubt.
    async fn last_poll(&self, ticket: &str, why: ApiError) -> Fate {
        let engine = &self.sender.engine;
        let mut tries = engine.tries();
        let polled = engine
            .send(Kind::BatchPoll, &mut tries, || {
                engine.client.batch_status(ticket)
            })
            .await;
        let state = match polled {
            Ok(status) if status.is_completed() => {
                self.done.fetch_add(1, Ordering::Relaxed);
                return Fate::Answered(by_row(&status.responses));
            }
            Err(Failure::Failed { error, why: w })
                if w != STOPPED_RUN && error.status() == Some(404) =>
            {
                return Fate::Each(FromBatch::Unknown(why));
            }
            Ok(status) => format!("still {}", status.status),
            Err(Failure::Failed { error, why: w }) if w != STOPPED_RUN => error.to_string(),
            Err(_) => return Fate::Stopped { sent: true },
        };
        tracing::warn!("batch {ticket}: the store stopped nothing, and the batch is {state}");
        Fate::InDoubt(format!(
            "its batch (ticket {ticket}) was given up on ({why}); the store stopped nothing of \
             it, and it is {state}"
        ))
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
fn by_row(responses: &[BatchResponse]) -> HashMap<u64, InnerOutcome> {
    responses
        .iter()
        .filter_map(|r| {
            let id = r.id_text();
            let row = id.strip_prefix(ID_PREFIX)?.parse().ok()?;
            Some((row, r.outcome()))
        })
        .collect()
}

/// What a run's deduplication keys cover besides the batch itself.
#[derive(Debug)]
pub(crate) struct KeyBase {
    /// Random per run, and kept in the journal for `--resume`.
    pub(crate) run_id: String,
    pub(crate) store_id: u64,
    pub(crate) api_url: String,
}

/// The deduplication key of a batch. Ecwid answers a key it saw within the hour with that
/// batch's ticket and runs nothing, so a key must be new for anything but the same batch sent
/// again: it covers the run (a resumed run keeps its id), the store, the API address, the
/// group's place in the file and every request's id and body. Fixing a mapping and importing
/// again, importing into a second store, or importing again after deleting the customers all
/// make new keys. Shaped as a UUID, as Ecwid's docs show the key.
pub(crate) fn dedup_key(run: &KeyBase, index: u64, creates: &[BatchCreate]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"ecwid-import batch 2\0");
    for part in [run.run_id.as_str(), &run.store_id.to_string(), &run.api_url] {
        hasher.update(part.as_bytes());
        hasher.update(b"\0");
    }
    hasher.update(index.to_le_bytes());
    for create in creates {
        hasher.update(create.id.as_bytes());
        hasher.update(b"\0");
        hasher.update((create.body.len() as u64).to_le_bytes());
        hasher.update(&create.body);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(run_id: &str, store_id: u64, api_url: &str) -> KeyBase {
        KeyBase {
            run_id: run_id.into(),
            store_id,
            api_url: api_url.into(),
        }
    }

    fn creates(rows: &[(u64, &str)]) -> Vec<BatchCreate> {
        rows.iter()
            .map(|(row, body)| BatchCreate {
                id: format!("{ID_PREFIX}{row}"),
                body: bytes::Bytes::copy_from_slice(body.as_bytes()),
            })
            .collect()
    }

    /// The same batch of the same run gets the same key; another run (or a second import of
    /// the same file), another store, another API address, another place in the file, other
    /// rows or any changed body get another.
    #[test]
    fn keys_are_stable_and_tell_batches_apart() {
        let url = "https://app.ecwid.com/api/v3";
        let base = run("4f2a", 1003, url);
        let rows = creates(&[
            (301, r#"{"email":"a@x.com"}"#),
            (302, r#"{"email":"b@x.com"}"#),
        ]);
        let key = dedup_key(&base, 3, &rows);
        assert_eq!(key, dedup_key(&run("4f2a", 1003, url), 3, &rows));
        assert_eq!(key.len(), 36);
        assert_eq!(key.matches('-').count(), 4);
        let fixed = creates(&[
            (301, r#"{"email":"a@x.com","lang":"en"}"#),
            (302, r#"{"email":"b@x.com"}"#),
        ]);
        for other in [
            dedup_key(&run("4f2b", 1003, url), 3, &rows),
            dedup_key(&run("4f2a", 1004, url), 3, &rows),
            dedup_key(&run("4f2a", 1003, "http://127.0.0.1:8080/api/v3"), 3, &rows),
            dedup_key(&base, 4, &rows),
            dedup_key(&base, 3, &rows[..1]),
            dedup_key(&base, 3, &fixed),
        ] {
            assert_ne!(key, other);
        }
    }
}
