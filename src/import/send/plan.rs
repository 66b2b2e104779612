//! The row state machine in a plan: it walks the same phases as an import, and where the
//! import would write (a create, a `PUT`), it stops and says what that write would be. Every
//! decision before that point (groups, languages, the snapshot, `--on-existing`, the
//! comparison) is the import's own, so that a plan and the import that follows it agree row
//! by row.

use super::ending::Done;
use super::{Phase, Progress, Sender};
use crate::outcome::{RowOutcome, Status};

impl Sender {
    /// In a plan, what the row's next phase comes to instead of its write: `Some` ends the
    /// row as it would end; `None` sends the phase's request (a read). An import never stops
    /// here.
    pub(super) fn plan_step(&self, p: &mut Progress, email: &str) -> Option<Done> {
        if !self.plan {
            return None;
        }
        match p.phase {
            // The store had no such customer when it was read (or its email sampled).
            Phase::Create if self.snapshot.as_ref().is_some_and(|s| s.lacks(email)) => {
                Some(Done::WouldCreate)
            }
            // Where the import's create would meet a 409, the plan asks first.
            Phase::Create => {
                p.phase = Phase::Probe;
                None
            }
            Phase::Update(id) => Some(Done::WouldUpdate(id)),
            Phase::Settle | Phase::FindExisting | Phase::Probe | Phase::Reread(_) => None,
        }
    }
}

/// A plan's outcome: a row the import would fail is `would_fail`. A row the run stopped
/// before settling keeps its status: it says nothing of the import.
pub(super) fn would(mut outcome: RowOutcome) -> RowOutcome {
    if outcome.status == Status::Failed && outcome.settled {
        outcome.status = Status::WouldFail;
    }
    outcome
}
