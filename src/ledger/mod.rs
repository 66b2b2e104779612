//! The ledger of an import: the two append-only files it keeps beside its results, written as
//! the rows go out, each line before or as the write it records leaves.
//!
//! - the [`journal`]: which rows went out and how each ended, so that `--resume` finishes an
//!   interrupted run without sending a finished row again ([`resumed`] is what it reads back);
//! - the [`undo_log`]: what each write changed in the store, so that `undo` can reverse it.
//!
//! They live together, below the commands, because one run writes both and two commands read
//! them: the import writes them and reads the journal back on resume, `undo` reads the undo log,
//! and the error type names the journal's errors. Neither file knows about requests or the
//! engine; they record outcomes (`outcome`) and bodies (`customer`).

pub mod journal;
pub mod resumed;
pub(crate) mod undo_log;
