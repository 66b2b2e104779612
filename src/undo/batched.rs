//! `undo --lane batch` (or `auto` with at least `--batch-size` logged writes): the logged
//! writes a group at a time, each group in two batches: the reads of its customers
//! (`GET /customers/{id}`), then the deletes and restores those reads call for. The judgement
//! is the direct lane's own ([`Reverser::verdict`]), so that a customer changed since the
//! import is left alone either way, and a second undo sends no write.
//!
//! The batch lane's rules hold as for an import: each batch under a deduplication key (over
//! the store, the API address, the undo log's content and every request: an undo run again
//! over the same log while a killed one's batch is still queued gets that batch's ticket instead
//! of a second batch), rows refused with 429 inside a batch go into a later one, a batch given up
//! on is stopped first. A write whose batch did not run it is reversed on its own, from a fresh
//! read; one whose outcome is unknown too, and then a customer found gone or holding its old
//! values counts as undone by that write.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream;

use super::reverse::{Done, Reverser, Verdict, ended};
use crate::customer::record::CustomerRecord;
use crate::ecwid::engine::{Failure, Tries};
use crate::ecwid::{BatchRequest, InnerOutcome};
use crate::lane::{
    BatchLane, DELETE_PREFIX, Fate, FromBatch, GET_PREFIX, Out, PUT_PREFIX, fate_of,
};
use crate::ledger::undo_log::Logged;
use crate::ledger::undo_log::Sent;
use crate::outcome::{RowOutcome, Status};

/// Groups in progress at once: while one is polled, the next ones are sent.
const GROUPS_IN_FLIGHT: usize = 3;

/// Reverses logged writes through batches.
pub(super) struct Batched {
    pub(super) reverser: Arc<Reverser>,
    pub(super) lane: BatchLane,
    pub(super) size: usize,
    /// Random for each run, in the keys of the batches of reads: a read is never answered from
    /// another run's batch (it would be stale), while the writes the reads call for are
    /// deduplicated across runs over the same log.
    pub(super) reads: u64,
}

/// A logged write on its way.
struct Pending {
    entry: Logged,
    tries: Tries,
}

impl Batched {
    /// Reverses every entry, in order.
    pub(super) async fn reverse_all(self: Arc<Self>, entries: Vec<Logged>) -> Vec<RowOutcome> {
        let mut groups: Vec<Vec<Logged>> = Vec::new();
        let mut entries = entries.into_iter().peekable();
        while entries.peek().is_some() {
            groups.push(entries.by_ref().take(self.size).collect());
        }
        stream::iter(groups.into_iter().enumerate())
            .map(|(index, group)| {
                let batched = Arc::clone(&self);
                async move { batched.group(index as u64, group).await }
            })
            .buffered(GROUPS_IN_FLIGHT)
            .flat_map(stream::iter)
            .collect()
            .await
    }

    /// One group: its customers read in one batch, its writes sent in another.
    async fn group(&self, index: u64, entries: Vec<Logged>) -> Vec<RowOutcome> {
        let reverser = &self.reverser;
        let mut done: Vec<Option<RowOutcome>> = Vec::with_capacity(entries.len());
        let mut reads: Vec<(usize, Pending, u64)> = Vec::new();
        for entry in entries {
            let mut tries = reverser.engine.tries();
            match reverser.customer_of(&entry, &mut tries).await {
                Ok(Ok(id)) => {
                    reads.push((done.len(), Pending { entry, tries }, id));
                    done.push(None);
                }
                Ok(Err(end)) => done.push(Some(ended(&entry, Ok(end), &tries))),
                Err(failure) => done.push(Some(ended(&entry, Err(failure), &tries))),
            }
        }
        let mut writes: Vec<(usize, Pending, Verdict)> = Vec::new();
        for (at, mut pending, verdict) in self.read(index, reads).await {
            match verdict {
                Ok(Verdict::Done(end)) => {
                    done[at] = Some(ended(&pending.entry, Ok(end), &pending.tries));
                }
                Ok(verdict) => writes.push((at, pending, verdict)),
                // Not read inside the batch: on its own, from the start.
                Err(()) => {
                    let tries = std::mem::replace(&mut pending.tries, reverser.engine.tries());
                    done[at] = Some(reverser.reverse_with(&pending.entry, tries).await);
                }
            }
        }
        for (at, outcome) in self.write(index, writes).await {
            done[at] = Some(outcome);
        }
        done.into_iter().flatten().collect()
    }

    /// Reads the customers in one batch: each write's verdict, or `Err` when its read did not
    /// come back from the batch (it is reversed on its own).
    async fn read(
        &self,
        index: u64,
        reads: Vec<(usize, Pending, u64)>,
    ) -> Vec<(usize, Pending, Result<Verdict, ()>)> {
        if reads.is_empty() {
            return Vec::new();
        }
        let outs: Vec<Out> = reads
            .iter()
            .map(|(_, p, id)| Out {
                row: p.entry.row,
                request: BatchRequest::get(format!("{GET_PREFIX}{}", p.entry.row), *id),
            })
            .collect();
        let key_index = self.reads.wrapping_add(index);
        let (fates, attempts) = self.lane.submit_and_poll(key_index, &outs, &|_| true).await;
        reads
            .into_iter()
            .map(|(at, mut pending, id)| {
                pending.tries.attempts += attempts;
                let verdict = match fate_of(&fates, pending.entry.row) {
                    Some(Fate::Answered(answers)) => match answers.get(&pending.entry.row) {
                        Some(r) if !r.refused() => match r.answer::<CustomerRecord>() {
                            InnerOutcome::Answered(Ok(record)) => {
                                Ok(self.reverser.verdict(&pending.entry, id, &record))
                            }
                            InnerOutcome::Answered(Err(e)) if e.status() == Some(404) => {
                                let gone = self.reverser.gone(&pending.entry, id, &pending.tries);
                                Ok(Verdict::Done(gone))
                            }
                            _ => Err(()),
                        },
                        _ => Err(()),
                    },
                    _ => Err(()),
                };
                (at, pending, verdict)
            })
            .collect()
    }

    /// Sends the deletes and restores in one batch, and ends each from what became of it.
    async fn write(
        &self,
        index: u64,
        writes: Vec<(usize, Pending, Verdict)>,
    ) -> Vec<(usize, RowOutcome)> {
        if writes.is_empty() {
            return Vec::new();
        }
        let outs: Vec<Out> = writes
            .iter()
            .filter_map(|(_, p, verdict)| {
                let row = p.entry.row;
                let request = match verdict {
                    Verdict::Delete(id) => {
                        BatchRequest::delete(format!("{DELETE_PREFIX}{row}"), *id)
                    }
                    Verdict::Restore(id, body) => {
                        BatchRequest::update(format!("{PUT_PREFIX}{row}"), *id, body.clone())
                    }
                    Verdict::Done(_) => return None,
                };
                Some(Out { row, request })
            })
            .collect();
        let (fates, attempts) = self.lane.submit_and_poll(index, &outs, &|_| true).await;
        let by_row: HashMap<u64, &Fate> = writes
            .iter()
            .filter_map(|(_, p, _)| Some((p.entry.row, fate_of(&fates, p.entry.row)?)))
            .collect();
        let settled = writes.into_iter().map(|(at, mut pending, verdict)| {
            pending.tries.attempts += attempts;
            let fate = by_row.get(&pending.entry.row).copied();
            async move { (at, self.settle(pending, verdict, fate).await) }
        });
        futures_util::future::join_all(settled).await
    }

    /// One write of a batch, from what became of the batch.
    async fn settle(
        &self,
        mut pending: Pending,
        verdict: Verdict,
        fate: Option<&Fate>,
    ) -> RowOutcome {
        let reverser = &self.reverser;
        let entry = &pending.entry;
        let id = match verdict {
            Verdict::Delete(id) | Verdict::Restore(id, _) => id,
            Verdict::Done(end) => return ended(entry, Ok(end), &pending.tries),
        };
        let maybe = match fate {
            Some(Fate::Answered(answers)) => match answers.get(&entry.row) {
                Some(r) if r.refused() => false,
                Some(r) => {
                    let answer = match entry.write {
                        Sent::Create => r.deleted(),
                        Sent::Update => r.updated(),
                    };
                    let tries = &mut pending.tries;
                    let end = match answer {
                        InnerOutcome::NotExecuted => None,
                        InnerOutcome::Answered(Ok(count)) => Some(match entry.write {
                            Sent::Create => {
                                Box::pin(reverser.deleted(entry, id, count, tries)).await
                            }
                            Sent::Update => {
                                Box::pin(reverser.restored(entry, id, count, tries)).await
                            }
                        }),
                        InnerOutcome::Answered(Err(e)) if e.status() == Some(404) => {
                            Some(reverser.gone(entry, id, tries))
                        }
                        // Refused by the store: as a write of its own would be.
                        InnerOutcome::Answered(Err(e))
                            if e.status().is_some_and(|s| (400..500).contains(&s)) =>
                        {
                            return ended(entry, Ok(Done::refused(id, &e)), tries);
                        }
                        // A 5xx the store retried itself, or an answer that cannot be read:
                        // the write may have taken effect.
                        InnerOutcome::Answered(Err(_)) => {
                            tries.maybe_took_effect = true;
                            None
                        }
                    };
                    if let Some(end) = end {
                        return ended(entry, Ok(end), tries);
                    }
                    pending.tries.maybe_took_effect
                }
                None => true,
            },
            Some(Fate::Each(FromBatch::NotExecuted)) | None => false,
            Some(Fate::Each(_)) => true,
            Some(Fate::Stopped { sent: false }) => {
                return ended(entry, Err(Failure::Stopped), &pending.tries);
            }
            Some(Fate::Stopped { sent: true }) => {
                // Still unfinished in the store when the wait for the work in flight ended.
                let note = "the run stopped before its batch finished in the store, so its \
                            outcome is not known yet: run the same undo again, which reads the \
                            store first";
                let end = Done::new(Status::Failed, Some(id), note);
                return ended(entry, Ok(end), &pending.tries);
            }
            Some(Fate::InDoubt(note)) => {
                let note = format!(
                    "{note}: it may still run; run the same undo again once it has, which reads \
                     the store first"
                );
                return ended(
                    entry,
                    Ok(Done::new(Status::Failed, Some(id), note)),
                    &pending.tries,
                );
            }
        };
        // Not run by the batch, or of unknown outcome: on its own, from a fresh read. Its
        // requests' state is boxed (and their reads above): a group's rows are settled
        // together, and only the rows that send a request of their own should hold one.
        pending.tries.maybe_took_effect |= maybe;
        Box::pin(reverser.reverse_with(entry, pending.tries)).await
    }
}
