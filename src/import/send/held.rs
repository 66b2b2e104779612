//! A row whose `PUT` is held back to go out inside a batch (the batch lane with
//! `--on-existing update`): the state machine stops where it would send the `PUT`, the batch
//! lane sends the `PUT`s of a group as one batch, and each row goes on from what its batch said,
//! exactly as from the answer of its own `PUT`: a count of 0 is read back, a refusal fails the
//! row, a 5xx or a request the store did not run is sent again on its own (a `PUT` of the same
//! values is safe to repeat), an unknown outcome is sent again after a look-up settles it.

use bytes::Bytes;

use super::ending::{STOPPED_IN_BATCH, UNKNOWN_NOTE, finish};
use super::{Progress, Reply, Sender};
use crate::ecwid::engine::{Failure, Kind, Why};
use crate::ecwid::{ApiError, InnerOutcome};
use crate::import::job::Job;
use crate::lane::FromBatch;
use crate::ledger::undo_log::LineText;
use crate::outcome::{RowOutcome, Status};

/// Where the state machine of a row stopped.
pub(in crate::import) enum Step {
    Done(RowOutcome),
    /// The row's `PUT` is held back for a batch.
    Put(Box<Held>),
}

/// A row whose `PUT` waits for its batch.
pub(in crate::import) struct Held {
    pub(super) job: Box<Job>,
    pub(super) p: Progress,
    /// The customer the `PUT` goes to.
    pub(super) customer: u64,
}

impl Held {
    pub(in crate::import) fn row(&self) -> u64 {
        self.job.row
    }

    /// The customer the `PUT` goes to and its body.
    pub(in crate::import) fn put(&self) -> (u64, Bytes) {
        (self.customer, self.p.update.clone())
    }

    /// The undo log's line of the `PUT`, to be written before it leaves (once).
    pub(in crate::import) fn take_undo_line(&mut self) -> Option<LineText> {
        self.p.undo_line.take()
    }
}

impl Sender {
    /// A row on the direct lane: a `PUT` held back (which only the batch lane does) is sent on
    /// its own.
    pub(super) async fn direct(&self, step: Step) -> RowOutcome {
        match step {
            Step::Done(outcome) => outcome,
            Step::Put(held) => self.put_on_its_own(*held, 0, None).await,
        }
    }

    /// Goes on with a held row whose `PUT` went out inside a batch (`attempts` submits), from
    /// what the batch said; any further request of the row goes on its own.
    pub(in crate::import) async fn after_put_batch(
        &self,
        held: Held,
        attempts: u32,
        from: FromBatch,
    ) -> RowOutcome {
        let answer = match from {
            FromBatch::NotExecuted | FromBatch::MaybeCreated => None,
            FromBatch::Answer(answer) => Some(answer),
            FromBatch::Unknown(error) => {
                let failure = Failure::Failed {
                    error,
                    why: Why::Unknown,
                };
                return self
                    .put_on_its_own(held, attempts, Some(Err(failure)))
                    .await;
            }
        };
        let mut held = held;
        let answer = match answer {
            None => None,
            Some(Ok(count)) => Some(Ok(Reply::Updated(count))),
            Some(Err(error)) => {
                held.p.http_status = error.status();
                held.p.last_error = Some(error.clone());
                let judged = self.engine.judge(Kind::Update, &mut held.p.tries, error);
                // `None`: sent again on its own, after the pause or backoff that is due.
                judged.map(Err)
            }
        };
        self.put_on_its_own(held, attempts, answer).await
    }

    async fn put_on_its_own(
        &self,
        mut held: Held,
        attempts: u32,
        mut answer: Option<Result<Reply, Failure>>,
    ) -> RowOutcome {
        held.p.tries.attempts += attempts;
        if let Some(Err(Failure::Failed {
            why: Why::Unknown,
            error,
        })) = &answer
        {
            // As after a `PUT` of its own whose outcome is unknown: sent again (the same values).
            held.p.tries.maybe_took_effect = true;
            held.p.last_error = Some(error.clone());
            answer = None;
        }
        loop {
            held.p.hold = false;
            match self.drive(held.job, held.p, answer.take()).await {
                Step::Done(outcome) => return outcome,
                // Not held again: `hold` is off.
                Step::Put(again) => held = *again,
            }
        }
    }

    /// A held row whose batch's outcome is not known because the run stopped while waiting
    /// for it (`sent`: the batch may have reached the store): unsettled, so that `--resume`
    /// polls the batch's ticket and compares the customer again.
    pub(in crate::import) fn stopped_in_put_batch(&self, held: Held, attempts: u32) -> RowOutcome {
        let error = format!("{STOPPED_IN_BATCH}: run the same command with --resume{UNKNOWN_NOTE}");
        unsettled(held, attempts, error)
    }

    /// A held row of a batch given up on that the store did not confirm stopped (`note` says
    /// why): the batch may still run its `PUT`, so the row stays unsettled.
    pub(in crate::import) fn put_in_doubt(
        &self,
        held: Held,
        attempts: u32,
        note: &str,
    ) -> RowOutcome {
        let error = format!(
            "{note}: it may still run; run again with --resume to settle this row{UNKNOWN_NOTE}"
        );
        unsettled(held, attempts, error)
    }
}

/// A held row failed for now and left for `--resume` to settle (`error` says why).
fn unsettled(held: Held, attempts: u32, error: String) -> RowOutcome {
    let Held {
        job,
        mut p,
        customer,
    } = held;
    p.tries.attempts += attempts;
    let mut outcome = finish(job, &p, Status::Failed, Some(customer), error);
    outcome.settled = false;
    outcome
}

/// What a `PUT`'s inner answer says, for [`Sender::after_put_batch`].
pub(in crate::import) fn from_put(outcome: InnerOutcome) -> FromBatch {
    match outcome {
        InnerOutcome::NotExecuted => FromBatch::NotExecuted,
        InnerOutcome::Answered(answer) => FromBatch::Answer(answer),
    }
}

/// The unknown outcome of a `PUT` whose batch answer has no response for it.
pub(in crate::import) fn no_response() -> FromBatch {
    FromBatch::Unknown(ApiError::BadBody {
        status: 200,
        body: "the batch's answer has no response for this row".into(),
    })
}
