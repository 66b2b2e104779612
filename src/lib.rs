//! ecwid-import: bulk-import customers from CSV into an Ecwid store.

pub mod customer;
pub mod sandbox;
