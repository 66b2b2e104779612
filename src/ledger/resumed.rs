//! What an interrupted run finished, as its journal tells it: the journal reads it back on
//! `--resume`, the check stage replays the finished rows from it and looks up the rows that may
//! have been sent, and batch mode polls the batches it left open. Plain data, so that those
//! stages depend on what a resume knows and not on how the journal stores it.

use std::collections::HashSet;
use std::time::SystemTime;

use crate::outcome::Status;

/// What an earlier run finished, read back from its journal.
#[derive(Debug, Default)]
pub struct Finished {
    /// The final outcomes of rows 1 to K, in order.
    pub(crate) outcomes: Vec<Replayed>,
    /// Rows after K whose create may have reached the store.
    pub(crate) maybe_sent: HashSet<u64>,
    /// Batches accepted by the store whose rows are not all finished, in the order sent.
    pub(crate) open_batches: Vec<OpenBatch>,
    /// The interrupted run's id, which its batches' deduplication keys cover (journals of
    /// ecwid-import before version 3 have none).
    pub(crate) run_id: Option<String>,
    /// When the interrupted run started, by the store's clock, once it knew.
    pub(crate) store_started: Option<SystemTime>,
}

/// A batch the store accepted, as its `B` line has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBatch {
    pub(crate) first_row: u64,
    pub(crate) last_row: u64,
    pub(crate) key: String,
    pub(crate) ticket: String,
}

/// One finished row as the journal has it.
#[derive(Debug, Clone)]
pub(crate) struct Replayed {
    pub(crate) status: Status,
    pub(crate) customer_id: Option<u64>,
    pub(crate) http_status: Option<u16>,
    pub(crate) attempts: u32,
    pub(crate) error: String,
}

impl Finished {
    /// How many rows, from the first, are finished.
    pub(crate) fn count(&self) -> u64 {
        self.outcomes.len() as u64
    }

    /// The outcome of finished row `row` (1-based).
    pub(crate) fn outcome(&self, row: u64) -> Option<&Replayed> {
        let index = usize::try_from(row.checked_sub(1)?).ok()?;
        self.outcomes.get(index)
    }
}
