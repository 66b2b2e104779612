//! The batch lane (`--lane batch`, `--batch`, or `--lane auto` for a big enough file): a group
//! of rows goes to the store as one `POST /batch` (in parallel mode), and their answers come
//! back together under a ticket, so that a file of N rows costs about N / size submits plus a
//! few polls instead of N creates. How fast rows go out and when a ticket is polled follow what
//! the store shows ([`crate::lane::LanePace`]); rows the store refused with 429 inside a batch (it counts
//! those requests, and its budget was spent) go into a later batch of their group.
//!
//! A group is the next `--batch-size` rows of the file, whatever they turn out to be; its rows
//! to send go into one batch under a deduplication key ([`dedup_key`]: the run, the store, the
//! group's position and every request in it; [`super::batch_lane`]), so that the same batch sent again (after a
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

use super::check::Item;
use super::job::Job;
use super::send::create::create_request;
use super::send::{Held, Sender, Step};
use crate::ecwid::{ApiError, BatchRequest, InnerOutcome, body_of};
use crate::lane::{
    BatchLane, Covers, Fate, FromBatch, ID_PREFIX, Out, PUT_PREFIX, fate_of, refused,
};
use crate::ledger::resumed::OpenBatch;
use crate::outcome::RowOutcome;
use crate::report::summary::BatchCounts;

/// Sends groups of rows as batches (`allowParallelMode=true`: the requests of a batch are rows
/// of their own, in no order with one another), through the run's [`BatchLane`].
#[derive(Debug)]
pub(crate) struct Batcher {
    pub(crate) sender: Arc<Sender>,
    pub(crate) lane: BatchLane,
    pub(crate) batch_size: usize,
    /// Batches an interrupted run left open, from the journal: polled before anything is sent.
    pub(crate) open: Vec<OpenBatch>,
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
            self.lane.submit_and_poll(index, &outs, &note).await
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
                fates.push((range, self.lane.poll(&batch.ticket, rows, None).await));
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
                return Box::pin(sender.prepared(job)).await;
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
        // Boxed: the state of a row's own requests (a few KB) is taken only by a row the batch
        // did not settle, when it gets there, instead of being part of every row's future
        // (a group's rows are settled together).
        Box::pin(sender.after_batch(job, attempts, from)).await
    }

    /// Batches sent (or taken up from an interrupted run's journal), polled to the end,
    /// stopped, and still pending.
    pub(crate) fn counts(&self) -> BatchCounts {
        self.lane.counts()
    }
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
