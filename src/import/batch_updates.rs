//! The batch lane's `PUT`s (`--on-existing update`): the rows of a group that came to an update
//! (known from the snapshot of the store, or after a 409 and a look-up) send their `PUT`s as
//! one batch, after the group's creates. The same rules as for creates hold: a deduplication
//! key per batch (the method and path of each request are in it), the undo log's lines written
//! before the batch leaves, the batch journaled under its ticket, rows refused with 429 inside
//! it sent in a later batch, a batch given up on stopped first. What the batch says for each row
//! goes into the row's own state machine ([`Sender::after_put_batch`]), as the answer of a `PUT`
//! of its own would: a count of 0 is read back, a 5xx or a request not run is sent again on its
//! own.

use std::collections::HashMap;
use std::sync::Mutex;

use super::batch::Batcher;
use super::send::Held;
use super::send::held::{from_put, no_response};
use crate::ecwid::BatchRequest;
use crate::lane::{Fate, FromBatch, Out, PUT_PREFIX, fate_of};
use crate::ledger::undo_log::LineText;
use crate::outcome::RowOutcome;

impl Batcher {
    /// Sends the held `PUT`s of group `index` (by their place in the group) as one batch and
    /// settles each row from what became of it.
    pub(super) async fn send_updates(
        &self,
        index: u64,
        mut held: Vec<(usize, Held)>,
    ) -> Vec<(usize, RowOutcome)> {
        if held.is_empty() {
            return Vec::new();
        }
        let sender = &self.sender;
        let outs: Vec<Out> = held
            .iter()
            .map(|(_, row)| {
                let (customer, body) = row.put();
                let id = format!("{PUT_PREFIX}{}", row.row());
                Out {
                    row: row.row(),
                    request: BatchRequest::update(id, customer, body),
                }
            })
            .collect();
        // Each line is written once, before the first batch that holds its `PUT`.
        let lines: Mutex<HashMap<u64, LineText>> = Mutex::new(
            held.iter_mut()
                .filter_map(|(_, row)| Some((row.row(), row.take_undo_line()?)))
                .collect(),
        );
        let note = |rows: &[u64]| {
            let mut lines = lines.lock().unwrap_or_else(|e| e.into_inner());
            let due: Vec<LineText> = rows.iter().filter_map(|row| lines.remove(row)).collect();
            sender.note_writes(&due)
        };
        let (fates, attempts) = self.lane.submit_and_poll(index, &outs, &note).await;
        let settled = held.into_iter().map(|(at, row)| {
            let fate = fate_of(&fates, row.row());
            async move { (at, self.settle_put(row, attempts, fate).await) }
        });
        futures_util::future::join_all(settled).await
    }

    /// One row of a batch of `PUT`s, from what became of the batch.
    async fn settle_put(&self, held: Held, attempts: u32, fate: Option<&Fate>) -> RowOutcome {
        let sender = &self.sender;
        let from = match fate {
            Some(Fate::Stopped { sent: true }) => {
                return sender.stopped_in_put_batch(held, attempts);
            }
            Some(Fate::InDoubt(note)) => return sender.put_in_doubt(held, attempts, note),
            Some(Fate::Stopped { sent: false }) | None => FromBatch::NotExecuted,
            Some(Fate::Each(from)) => from.clone(),
            Some(Fate::Answered(answers)) => match answers.get(&held.row()) {
                // Refused for the rate limit in every round: not run.
                Some(r) if r.refused() => FromBatch::NotExecuted,
                Some(r) => from_put(r.updated()),
                None => no_response(),
            },
        };
        // Boxed, as in [`Batcher::settle`](super::batch): only a row that sends a request of its
        // own holds that request's state.
        Box::pin(sender.after_put_batch(held, attempts, from)).await
    }
}
