//! A batch given up on (`--batch-timeout`, or polls that keep failing) is stopped before its
//! rows are looked up, so that it can never run later.

use std::sync::atomic::Ordering;

use super::{BatchLane, Fate, FromBatch, by_row};
use crate::ecwid::ApiError;
use crate::ecwid::engine::{Failure, Kind, STOPPED_RUN};

impl BatchLane {
    /// Gives a batch up (`why`: polling timed out or failed): stops it first, so that it can
    /// never run later (after the look-ups, after an `undo`, during the next run) and create
    /// customers nobody tracks. Confirmed stopped (`deleteCount` 1): journaled, and its rows
    /// are looked up one by one. Nothing stopped (`deleteCount` 0, or a 404): the batch may
    /// have finished meanwhile, which one more poll tells. Otherwise (the stop failed) the
    /// batch may still run: its rows stay in doubt.
    pub(crate) async fn give_up(
        &self,
        ticket: &str,
        (first, last): (u64, u64),
        why: ApiError,
    ) -> Fate {
        let engine = &self.engine;
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
                if let Some(journal) = &self.journal {
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
        let engine = &self.engine;
        let mut tries = engine.tries();
        let polled = engine
            .send(Kind::BatchPoll, &mut tries, || {
                engine.client.batch_status(ticket)
            })
            .await;
        let state = match polled {
            Ok(status) if status.is_completed() => {
                self.done.fetch_add(1, Ordering::Relaxed);
                return Fate::Answered(by_row(status.responses));
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
}
