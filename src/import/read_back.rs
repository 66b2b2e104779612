//! Reading back what the run wrote (`--read-back`): once every row is recorded, the customers
//! the run created or updated are listed from the store by the listing the snapshot and export
//! use ([`crate::store::listing`]: 100 a request, through the same engine, rate budget and
//! retries as every other request; one page at a time, as the read-back stops once it has seen
//! every customer written) and each field a write sent is compared with what the store holds
//! ([`crate::store::not_kept`]): a 200 says the store took the request, not that it kept every
//! field as sent.
//!
//! Which customers:
//! - `sample` (the default): the first page of the customers registered since the run's start
//!   (`createdFrom`, oldest first), when the run created any, and the first page of those
//!   updated since then that registered before it (`updatedFrom`, and `createdTo` the second
//!   after the start, least recently updated first), when it updated any: one or two
//!   requests, the first 100 customers of each kind of write, enough to learn what the store
//!   does with each field;
//! - `all`: every page of the customers updated since the run's start (a create updates too),
//!   until every customer written has been seen;
//! - `none`: nothing.
//!
//! The run's start is the store's clock's ([`crate::ecwid::StoreClock`]); the listings start
//! its margin before it. A listed customer the run did not write (another app's, at the same
//! time) is passed over. A listing that fails leaves the rest unchecked with a warning: the
//! writes are done either way.
//! Rows this run did not write (replayed from an interrupted run's journal) are not read back.

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use super::send::create::create_request;
use crate::config::ReadBackMode;
use crate::customer::CustomerRequest;
use crate::ecwid::engine::{Engine, Failure, Kind, Stop};
use crate::ecwid::{Found, ListFilter, MARGIN, Order, PAGE_SIZE};
use crate::outcome::{RowOutcome, Status};
use crate::store::listing::{self, RESTART_AFTER, Reading};
use crate::store::not_kept::{self, Remembered};

/// What the run sent, by customer id: the row and its request.
type Sent = HashMap<u64, (u64, CustomerRequest)>;

/// Customers of each kind `sample` reads: one page.
pub(crate) const SAMPLE: u64 = PAGE_SIZE;

/// Rows of each kind a sample keeps what it sent for, in the order they were written: the
/// listing's first page holds the customers the store registered (or updated) first, which are
/// the first written give or take the writes in flight at once and the second a time is
/// rounded to.
const SAMPLE_KEPT: usize = 3 * SAMPLE as usize;

/// What the run wrote and will read back; shared by the rows as they finish.
#[derive(Debug)]
pub(crate) struct ReadBack {
    all: bool,
    remembered: Arc<Remembered>,
    /// By customer id: the row and what its create sent.
    created: Mutex<Sent>,
    /// By customer id: the row and what its update compared (the row, remembered fields out).
    updated: Mutex<Sent>,
}

/// What the read-back found.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// The note of each row whose customer the store did not keep as sent, by row.
    pub(crate) notes: BTreeMap<u64, String>,
    /// Customers with each field not kept, by field.
    pub(crate) fields: BTreeMap<String, u64>,
    /// Customers compared.
    pub(crate) checked: u64,
    /// Listing requests made.
    pub(crate) requests: u64,
}

impl ReadBack {
    /// `None` for `--read-back none`.
    pub(crate) fn new(mode: ReadBackMode, remembered: Arc<Remembered>) -> Option<Self> {
        let all = match mode {
            ReadBackMode::None => return None,
            ReadBackMode::Sample => false,
            ReadBackMode::All => true,
        };
        Some(Self {
            all,
            remembered,
            created: Mutex::default(),
            updated: Mutex::default(),
        })
    }

    /// The requests a read-back costs after `creates` and `updates` writes (at least: the
    /// listing also holds what others changed meanwhile).
    pub(crate) fn cost(mode: ReadBackMode, creates: u64, updates: u64) -> u64 {
        match mode {
            ReadBackMode::None => 0,
            ReadBackMode::Sample => u64::from(creates > 0) + u64::from(updates > 0),
            ReadBackMode::All => (creates + updates).div_ceil(PAGE_SIZE),
        }
    }

    /// Whether what a row sends is still wanted (a sample keeps the first rows only).
    pub(crate) fn wants(&self) -> bool {
        self.all
            || [&self.created, &self.updated]
                .iter()
                .any(|m| lock(m).len() < SAMPLE_KEPT)
    }

    /// A row is done; `request` is the row's request, kept when the row wrote its customer.
    /// A create confirmed by finding the customer is left out: the customer found may not be
    /// the write's, and a field wrongly taken as not kept would never be sent again.
    pub(crate) fn written(&self, outcome: &RowOutcome, request: CustomerRequest) {
        let Some(id) = outcome.customer_id else {
            return;
        };
        if super::send::ending::confirmed_by_finding(outcome) {
            return;
        }
        let (map, sent) = match outcome.status {
            Status::Created => (&self.created, create_request(&request).into_owned()),
            Status::Updated => (&self.updated, self.remembered.strip(&request).into_owned()),
            _ => return,
        };
        let mut map = lock(map);
        if self.all || map.len() < SAMPLE_KEPT {
            map.insert(id, (outcome.row, sent));
        }
    }

    /// Reads back the customers written since `started` (the store's time) and compares them.
    pub(crate) async fn run(&self, engine: &Engine, started: SystemTime, stop: &Stop) -> Findings {
        let mut created = std::mem::take(&mut *lock(&self.created));
        let mut updated = std::mem::take(&mut *lock(&self.updated));
        let mut findings = Findings::default();
        let seconds = |t: SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let from = started.checked_sub(MARGIN).map_or(0, seconds);
        // Registered up to the second after the run's start: every customer registered before
        // the run, whatever the rounding of the store's whole-second times; the run's own
        // creates of its first seconds too, which are passed over.
        let before_start = seconds(started) + 1;
        let before = engine.counts().kind(Kind::ReadBack).requests;
        let read = if self.all {
            let filter = ListFilter {
                order: Order::Updated,
                updated_from: Some(from),
                ..ListFilter::default()
            };
            let mut sent = [&mut created, &mut updated];
            read_written(engine, &filter, stop, &mut sent, true, &mut findings).await
        } else {
            let kinds = [
                (Order::Registered, None, &mut created),
                (Order::Updated, Some(before_start), &mut updated),
            ];
            let mut read = Ok(());
            for (order, created_to, sent) in kinds {
                if sent.is_empty() || read.is_err() || stop.is_stopped() {
                    continue;
                }
                let filter = match order {
                    Order::Registered => ListFilter {
                        created_from: Some(from),
                        ..ListFilter::default()
                    },
                    Order::Updated => ListFilter {
                        order,
                        updated_from: Some(from),
                        created_to,
                        ..ListFilter::default()
                    },
                };
                read = read_written(engine, &filter, stop, &mut [sent], false, &mut findings).await;
            }
            read
        };
        findings.requests = engine.counts().kind(Kind::ReadBack).requests - before;
        if let Err(Failure::Failed { error, .. }) = read {
            tracing::warn!(
                "the read-back stopped ({error}): {} customers were compared, the rest were not",
                findings.checked
            );
        }
        findings
    }
}

/// The customers `filter` lists, through the shared listing ([`listing::read`]) one page at a
/// time; each customer the run wrote is compared and taken out of `sent`. Every page until
/// every customer in `sent` has been seen when `all`, else the first page only.
async fn read_written(
    engine: &Engine,
    filter: &ListFilter,
    stop: &Stop,
    sent: &mut [&mut Sent],
    all: bool,
    findings: &mut Findings,
) -> Result<(), Failure> {
    let unseen = |sent: &[&mut Sent]| sent.iter().any(|s| !s.is_empty());
    if !unseen(sent) || stop.is_stopped() {
        return Ok(());
    }
    let reading = Reading {
        kind: Kind::ReadBack,
        ahead: 1,
    };
    let listed = listing::read(engine, reading, filter, |page| {
        for found in page.customers {
            if let Some((row, request)) = sent.iter_mut().find_map(|s| s.remove(&found.id)) {
                compare(row, &request, &found, findings);
            }
        }
        match all && unseen(sent) && !stop.is_stopped() {
            true => ControlFlow::Continue(()),
            false => ControlFlow::Break(()),
        }
    })
    .await?;
    if !listed.complete {
        tracing::warn!(
            "the read-back reached the listing's end ({RESTART_AFTER} customers updated in one \
             second): the rest were not compared"
        );
    }
    Ok(())
}

/// Compares what row `row` sent with the store's record, noting what was not kept.
fn compare(row: u64, sent: &CustomerRequest, found: &Found, findings: &mut Findings) {
    if found.record.unreadable.is_some() {
        return;
    }
    findings.checked += 1;
    let changes = not_kept::not_kept(sent, &found.record);
    if changes.is_empty() {
        return;
    }
    let mut fields: Vec<String> = changes.iter().map(not_kept::field_name).collect();
    fields.sort();
    fields.dedup();
    for field in fields {
        *findings.fields.entry(field).or_default() += 1;
    }
    findings.notes.insert(row, not_kept::note(&changes));
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
