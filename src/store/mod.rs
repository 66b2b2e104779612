//! What the tool knows of the store, apart from sending: the comparison of a row with the
//! store's record of the same customer ([`compare`]), and the snapshot of the store's customers
//! an import reads first when that costs fewer requests than probing row by row ([`snapshot`]).
//!
//! It lives outside `import` because three commands need the same answer to "what would this
//! row change?": `--on-existing update` sends only that, `plan` will show it, and `undo` will
//! use it to tell whether a customer changed since the import. One comparison keeps the three
//! from disagreeing.

pub(crate) mod compare;
pub(crate) mod derived;
pub(crate) mod diff;
pub(crate) mod groups;
mod kept;
pub(crate) mod listing;
mod lists;
pub(crate) mod not_kept;
pub(crate) mod snapshot;
