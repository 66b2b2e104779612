//! Orders exports: the rows of one buyer are one customer ([`crate::input::orders`]).
//!
//! Before a run sends anything, a first pass over the file gathers each buyer's valid rows and
//! makes from them the one customer the buyer's first valid row sends ([`gather`]); the check
//! stage then sends that customer for the first row and settles every later row of the buyer
//! as `merged`, naming the row it joined ([`Anchors`]). A merged row never sends anything, so a
//! buyer is created once however the run is stopped and resumed: a resumed run makes the same
//! customers from the same file, and knows each buyer's first row again from the statuses the
//! journal replays.

use std::collections::HashMap;

use crate::config::Config;
use crate::customer::CustomerRequest;
use crate::input::mapping::ColumnMap;
use crate::input::orders::merge;
use crate::input::source::Input;
use crate::outcome::Status;

/// The customer of each buyer with more than one valid row, by lower-cased email. It holds
/// every buyer's rows until the file is read (an orders file's buyers, not a customer list's
/// millions), then only the buyers that have several.
#[derive(Debug, Default)]
pub(crate) struct Buyers {
    merged: HashMap<String, CustomerRequest>,
}

impl Buyers {
    /// The customer made from all of this buyer's rows, once: `None` for a buyer of one row.
    pub(crate) fn take(&mut self, key: &str) -> Option<CustomerRequest> {
        self.merged.remove(key)
    }
}

/// The key a buyer is known by: the email, trimmed and lower-cased.
pub(crate) fn buyer_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Reads the whole file once, on a thread of its own, and makes each buyer's customer. A file
/// that cannot be read here is reported by the run's own pass: then no buyer is merged here,
/// and each buyer's first row is sent as it is.
pub(super) async fn gather(config: &Config, map: &ColumnMap) -> Buyers {
    let config = config.clone();
    let map = map.clone();
    tokio::task::spawn_blocking(move || gather_blocking(&config, &map))
        .await
        .unwrap_or_default()
}

fn gather_blocking(config: &Config, map: &ColumnMap) -> Buyers {
    let Ok(mut input) = Input::open(&config.input, config.read_options()) else {
        return Buyers::default();
    };
    // Per buyer: (order date, row) and the row's request, in file order.
    let mut rows: HashMap<String, Vec<(Option<u64>, u64, CustomerRequest)>> = HashMap::new();
    // A line item's row without a date belongs to the order above it.
    let mut last_date = None;
    while let Ok(Some(raw)) = input.next_row() {
        let date = map.order_date(&raw.record).or(last_date);
        last_date = date;
        if raw.problem.is_some() {
            continue;
        }
        if let Ok(mapped) = map.request(&raw.record) {
            let key = buyer_key(&map.email(&raw.record));
            rows.entry(key)
                .or_default()
                .push((date, raw.row, mapped.request));
        }
    }
    let merged = rows
        .into_iter()
        .filter(|(_, rows)| rows.len() > 1)
        .map(|(key, mut rows)| {
            // Oldest first; without dates, file order.
            rows.sort_by_key(|(date, row, _)| (*date, *row));
            let customer = merge(rows.into_iter().map(|(_, _, r)| r).collect());
            (key, customer)
        })
        .collect();
    Buyers { merged }
}

/// Each buyer's first valid row, as the check stage meets the rows in file order.
#[derive(Debug, Default)]
pub(crate) struct Anchors {
    first: HashMap<String, u64>,
}

impl Anchors {
    /// The buyer's first row when `row` is a later one; else `row` becomes the buyer's.
    pub(crate) fn joined(&mut self, email: &str, row: u64) -> Option<u64> {
        let first = *self.first.entry(buyer_key(email)).or_insert(row);
        (first != row).then_some(first)
    }

    /// A row an interrupted run finished: a buyer's first row unless it was invalid, merged or
    /// a duplicate, so that the rows after it join it again.
    pub(crate) fn replayed(&mut self, email: &str, row: u64, status: Status) {
        let sent_as_buyer = !matches!(status, Status::Invalid | Status::Merged | Status::Duplicate);
        if sent_as_buyer && !email.trim().is_empty() {
            self.first.entry(buyer_key(email)).or_insert(row);
        }
    }
}
