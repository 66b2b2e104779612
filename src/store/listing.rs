//! Reading the store's customers 100 a request: the one listing loop behind the snapshot an
//! import reads first ([`super::snapshot`]), behind `export`, and behind the read-back of what
//! an import wrote (`--read-back`), which lists by the time of the last change and stops once it
//! has seen every customer it wrote ([`read`]).
//!
//! The listing pages in its filter's order ([`Order`]: by registration, or by last change).
//! Ecwid does not serve offsets much past 10,000, so every [`RESTART_AFTER`] customers the
//! listing starts again from the last time seen in that order (`createdFrom` or `updatedFrom`,
//! which include that second). It skips the customers of that second it has read already but
//! the last one, which it reads again to check that the store orders that second's customers as
//! before; when it does not, the whole second is read again.
//!
//! A customer is handed on once: those read again (the check above, or the customers of a page
//! that a customer inserted before them pushed one place on) are known by id among the last
//! page's and the last registration second's, and left out. Memory stays flat: two small sets
//! of ids, whatever the store's size.
//!
//! What the order means for customers that change while the store is read (by registration): a
//! change does not move a customer, so each is read once, as it was when its
//! page was read. A customer registering meanwhile comes after the others, and is read when
//! its page is still to come. A customer deleted meanwhile moves the later ones one place back,
//! so one of them may be skipped: the listing notices the store's count fall between two pages
//! and says so ([`Listed::shrank`]).

use std::collections::HashSet;
use std::ops::ControlFlow;

use futures_util::{StreamExt, stream};

use crate::ecwid::engine::{Engine, Failure, Kind};
use crate::ecwid::{ListFilter, Order, PAGE_SIZE, Page};

/// Customers read from one `createdFrom` before the listing starts again from the last
/// registration time seen: Ecwid refuses offsets past 10,000.
pub(crate) const RESTART_AFTER: u64 = 10_000;

/// Pages asked for ahead of the one being taken in, within `--concurrency`: the listing then
/// waits for the store's rate budget, not for each page's answer in turn.
const LOOK_AHEAD: usize = 4;

/// How a listing went.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    /// Requests of the listing (the pages, a page read again included).
    pub(crate) requests: u64,
    /// Whether it read to the end (or to where the one taking the pages had all it wanted). It
    /// does not when more customers than the offsets reach share one second of the order's time
    /// (or none says when): the rest cannot be read in order.
    pub(crate) complete: bool,
    /// Whether the store's count of the customers asked for fell between two pages: customers
    /// were deleted while the store was read, and as many others may have been skipped.
    pub(crate) shrank: bool,
}

/// The last second of the order's time the listing reached, how many customers of that second
/// the current stretch has listed, and the ids of that second's customers read so far: where
/// the next stretch can start without reading them again, and which of them a page brings
/// again.
#[derive(Debug, Default)]
struct Tail {
    order: Order,
    second: Option<u64>,
    count: u64,
    last_id: Option<u64>,
    ids: HashSet<u64>,
}

impl Tail {
    fn note(&mut self, time: Option<u64>, id: u64) {
        match time {
            Some(second) if Some(second) == self.second => self.count += 1,
            Some(second) => {
                self.second = Some(second);
                self.count = 1;
                self.ids.clear();
            }
            None => {}
        }
        self.ids.insert(id);
        self.last_id = Some(id);
    }
}

/// How a listing's requests go: the kind the summary counts them as, and how many pages are
/// asked for ahead of the one being taken in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading {
    pub(crate) kind: Kind,
    /// 1 for a listing that may stop after any page (the read-back): a page asked for ahead
    /// would be a request sent for nothing.
    pub(crate) ahead: usize,
}

/// Reads every customer `filter` picks, a page at a time, handing each page to `take` with the
/// customers read before left out. `Err` when a page could not be read (the run may have
/// stopped): what was taken so far is all there is.
pub(crate) async fn read_all(
    engine: &Engine,
    filter: &ListFilter,
    mut take: impl FnMut(Page),
) -> Result<Listed, Failure> {
    let reading = Reading {
        kind: Kind::List,
        ahead: LOOK_AHEAD,
    };
    read(engine, reading, filter, |page| {
        take(page);
        ControlFlow::Continue(())
    })
    .await
}

/// [`read_all`], with requests as `reading` says, until `take` says it has all it wants.
pub(crate) async fn read(
    engine: &Engine,
    reading: Reading,
    filter: &ListFilter,
    mut take: impl FnMut(Page) -> ControlFlow<()>,
) -> Result<Listed, Failure> {
    let mut listed = Listed::default();
    let mut query = filter.clone();
    let mut offset = 0;
    let mut tail = Tail {
        order: filter.order,
        ..Tail::default()
    };
    // The ids of the page before: a customer inserted before them (registered in the past, or
    // newly matching the filter) pushes the last of them onto the next page.
    let mut recent: HashSet<u64> = HashSet::new();
    // The store's count of the customers asked for, at the stretch's last page.
    let mut stretch_total: Option<u64> = None;
    // After a restart: the id the new stretch's first customer must have, when the store
    // orders customers of one second alike in both stretches.
    let mut expect_first: Option<u64> = None;
    'stretches: loop {
        if offset >= RESTART_AFTER {
            // Start again from the last second read, skipping the customers of that second
            // read already but one: that one, read again, shows that the store orders the
            // second's customers as before.
            if !tail.second.is_some_and(|last| query.start_from(last)) {
                return Ok(listed);
            }
            offset = tail.count.saturating_sub(1);
            tail.count = offset;
            expect_first = tail.last_id;
            stretch_total = None;
        }
        // The pages of the stretch, a few asked for ahead of the one taken in: every page but
        // the last is full, so where each starts is known before the one before comes back.
        // Only up to the count the store last gave: the first page of a stretch comes alone,
        // and none is asked for past the end.
        let known = stretch_total.unwrap_or(0).max(offset + PAGE_SIZE);
        let stretch = &query;
        let mut pages =
            stream::iter((offset..known.min(RESTART_AFTER)).step_by(PAGE_SIZE as usize))
                .map(|at| async move {
                    let client = &engine.client;
                    let mut tries = engine.tries();
                    engine
                        .send(reading.kind, &mut tries, || {
                            client.list_customers(stretch, at)
                        })
                        .await
                })
                .buffered(reading.ahead);
        while let Some(page) = pages.next().await {
            let page = page?;
            listed.requests += 1;
            let count = (page.customers.len() + page.unreadable.len()) as u64;
            let total = page.total;
            if let Some(expected) = expect_first.take()
                && page.customers.first().map(|c| c.id) != Some(expected)
                && offset > 0
            {
                // The second's customers come in another order now: read the whole second
                // again (those read already are known by id and left out).
                offset = 0;
                tail.count = 0;
                continue 'stretches;
            }
            if stretch_total.is_some_and(|before| total < before) {
                listed.shrank = true;
            }
            stretch_total = Some(total);
            if take(fresh(page, &mut tail, &mut recent)).is_break() {
                break 'stretches;
            }
            // A short page is the last; so is one reaching the total, when the store gives
            // one. The pages asked for ahead of it are dropped unread.
            if count < PAGE_SIZE || (total > 0 && offset + count >= total) {
                break 'stretches;
            }
            offset += count;
        }
    }
    listed.complete = true;
    Ok(listed)
}

/// The page without the customers read before, noting every customer in the tail, and its ids
/// as the page before the next.
fn fresh(mut page: Page, tail: &mut Tail, recent: &mut HashSet<u64>) -> Page {
    let mut ids = HashSet::with_capacity(page.customers.len());
    let order = tail.order;
    page.customers.retain(|found| {
        let seen = recent.contains(&found.id) || tail.ids.contains(&found.id);
        tail.note(order.time_of(found), found.id);
        ids.insert(found.id);
        !seen
    });
    *recent = ids;
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecwid::Found;

    fn customer(id: u64, registered: &str) -> Found {
        let record = serde_json::json!({ "id": id, "email": format!("c{id}@example.com"),
                                          "registered": registered });
        Found::of(serde_json::from_value(record).expect("a record")).expect("an id")
    }

    fn page(customers: Vec<Found>) -> Page {
        Page {
            total: 0,
            customers,
            unreadable: Vec::new(),
        }
    }

    fn ids(page: &Page) -> Vec<u64> {
        page.customers.iter().map(|c| c.id).collect()
    }

    /// A customer the page before held, or one of the last second read, comes out once.
    #[test]
    fn customers_read_again_are_left_out() {
        let (mut tail, mut recent) = (Tail::default(), HashSet::new());
        let first = vec![
            customer(1, "2024-01-01 10:00:00 +0000"),
            customer(2, "2024-01-01 10:00:01 +0000"),
        ];
        assert_eq!(ids(&fresh(page(first), &mut tail, &mut recent)), [1, 2]);
        // Pushed on by a customer inserted before it: 2 again.
        let second = vec![
            customer(2, "2024-01-01 10:00:01 +0000"),
            customer(3, "2024-01-01 10:00:01 +0000"),
        ];
        assert_eq!(ids(&fresh(page(second), &mut tail, &mut recent)), [3]);
        assert_eq!((tail.second.is_some(), tail.count), (true, 3));
        // Two pages on, 2 is no longer the page before's, but still of the last second.
        let third = vec![customer(4, "2024-01-01 10:00:01 +0000")];
        assert_eq!(ids(&fresh(page(third), &mut tail, &mut recent)), [4]);
        let again = vec![
            customer(2, "2024-01-01 10:00:01 +0000"),
            customer(5, "2024-01-01 10:00:02 +0000"),
        ];
        assert_eq!(ids(&fresh(page(again), &mut tail, &mut recent)), [5]);
        assert_eq!(tail.ids, HashSet::from([5]));
    }
}
