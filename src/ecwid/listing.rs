//! `GET /customers` with no search term: the store's size, and its customers a page at a time
//! (`ecwid-api.md`, "Listing customers"), for the snapshot of the store an import reads first
//! and for `export`, which may narrow the listing by the filters the endpoint offers
//! ([`ListFilter`]).
//!
//! Each customer of a page is read on its own ([`CustomerRecord::read`]): a record that cannot
//! be read is that customer's problem, never the page's, so one odd record does not make the
//! snapshot give up on the store.

use std::time::UNIX_EPOCH;

use serde::Deserialize;

use super::{ApiError, Client, Found, parse_body, parse_ecwid_time};
use crate::customer::record::{COMPARED_FIELDS, CustomerRecord};

/// Customers a page holds at most: the most the API hands out at once.
pub(crate) const PAGE_SIZE: u64 = 100;

#[derive(Debug, Deserialize)]
struct ListBody {
    #[serde(default)]
    total: u64,
    #[serde(default)]
    items: Vec<serde_json::Value>,
}

/// A customer of a page whose record has no id that can be read: the snapshot cannot keep it,
/// but the row of its email can be told why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unreadable {
    /// Its email, when that could be read.
    pub(crate) email: Option<String>,
    /// What could not be read, by the field's path.
    pub(crate) problem: String,
}

/// One page of the listing.
#[derive(Debug)]
pub(crate) struct Page {
    /// Customers matching the query, the page's and the later ones'.
    pub(crate) total: u64,
    /// The page's customers, in the order asked for, each with its id; a record may hold a
    /// field that could not be read ([`CustomerRecord::unreadable`]).
    pub(crate) customers: Vec<Found>,
    /// The page's customers without an id that can be read.
    pub(crate) unreadable: Vec<Unreadable>,
}

/// Which customers a listing asks for, and in which order: every customer, or those a filter
/// of the endpoint picks (`export --created-since`, `--updated-since`, `--group`; the
/// read-back's customers written since the run's start).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ListFilter {
    /// The order of the pages, and the time a listing starts again from.
    pub(crate) order: Order,
    /// Registered at this time (UNIX seconds) or later: `createdFrom`.
    pub(crate) created_from: Option<u64>,
    /// Last changed at this time (UNIX seconds) or later: `updatedFrom`.
    pub(crate) updated_from: Option<u64>,
    /// Registered at this time (UNIX seconds) or earlier: `createdTo`.
    pub(crate) created_to: Option<u64>,
    /// In this customer group: `customerGroupIds`.
    pub(crate) group: Option<u64>,
}

/// The order a listing pages in: by registration (the snapshot, export, the read-back of
/// creates) or by the last change (the read-back of updates: a create is a change too). Each
/// customer has one time of each kind, so a listing may start again from the last one read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Order {
    /// `REGISTERED_DATE_ASC`, oldest first.
    #[default]
    Registered,
    /// `UPDATED_DATE_ASC`, least recently changed first; each customer also brings its
    /// `updated` time.
    Updated,
}

impl Order {
    /// The customer's time in this order (UNIX seconds), if the store said.
    pub(crate) fn time_of(self, found: &Found) -> Option<u64> {
        let time = match self {
            Order::Registered => found.registered,
            Order::Updated => found
                .record
                .raw
                .get("updated")
                .and_then(serde_json::Value::as_str)
                .and_then(parse_ecwid_time),
        };
        time.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs())
    }
}

impl ListFilter {
    /// Starts the listing from `second` of its order's time, the customers of that second
    /// included; `false` when it starts there already (it cannot get any further).
    pub(crate) fn start_from(&mut self, second: u64) -> bool {
        let from = match self.order {
            Order::Registered => &mut self.created_from,
            Order::Updated => &mut self.updated_from,
        };
        if *from == Some(second) {
            return false;
        }
        *from = Some(second);
        true
    }
}

impl Client {
    /// The number of customers in the store: `limit=1&responseFields=total`, one request.
    pub(crate) async fn store_size(&self) -> Result<u64, ApiError> {
        let request = self
            .http
            .get(format!("{}/customers", self.base))
            .query(&[("limit", "1"), ("responseFields", "total")]);
        let (status, bytes) = self.send(request).await?;
        parse_body::<ListBody>(status, &bytes).map(|b| b.total)
    }

    /// The customers `filter` picks, `PAGE_SIZE` from `offset`, in its order, with every
    /// field the comparison reads (and `updated` in the order of changes).
    pub(crate) async fn list_customers(
        &self,
        filter: &ListFilter,
        offset: u64,
    ) -> Result<Page, ApiError> {
        let sort = match filter.order {
            Order::Registered => "REGISTERED_DATE_ASC",
            Order::Updated => "UPDATED_DATE_ASC",
        };
        let mut query = vec![("sortBy", sort.to_string())];
        if let Some(from) = filter.created_from {
            query.push(("createdFrom", from.to_string()));
        }
        if let Some(from) = filter.updated_from {
            query.push(("updatedFrom", from.to_string()));
        }
        if let Some(to) = filter.created_to {
            query.push(("createdTo", to.to_string()));
        }
        if let Some(group) = filter.group {
            query.push(("customerGroupIds", group.to_string()));
        }
        match filter.order {
            Order::Registered => self.list_page(query, COMPARED_FIELDS, offset).await,
            Order::Updated => {
                let fields = format!("{COMPARED_FIELDS},updated");
                self.list_page(query, &fields, offset).await
            }
        }
    }

    /// One page of `GET /customers` with `query`, `fields` of each customer.
    async fn list_page(
        &self,
        mut query: Vec<(&str, String)>,
        fields: &str,
        offset: u64,
    ) -> Result<Page, ApiError> {
        query.extend([
            ("limit", PAGE_SIZE.to_string()),
            ("offset", offset.to_string()),
            ("responseFields", format!("total,items({fields})")),
        ]);
        let request = self
            .http
            .get(format!("{}/customers", self.base))
            .query(&query);
        let (status, bytes) = self.send(request).await?;
        let body = parse_body::<ListBody>(status, &bytes)?;
        let mut page = Page {
            total: body.total,
            customers: Vec::with_capacity(body.items.len()),
            unreadable: Vec::new(),
        };
        for item in body.items {
            let record = match CustomerRecord::read(item) {
                Ok(record) => record,
                Err(problem) => {
                    page.unreadable.push(Unreadable {
                        email: None,
                        problem,
                    });
                    continue;
                }
            };
            let (email, problem) = (record.email.clone(), record.unreadable.clone());
            match Found::of(record) {
                Some(found) => page.customers.push(found),
                None => page.unreadable.push(Unreadable {
                    email,
                    problem: problem.unwrap_or_else(|| "id: missing".into()),
                }),
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each order reads its own time of a customer, and a listing starts again from a second
    /// of it once: from the second it starts at already, it gets no further.
    #[test]
    fn an_order_reads_its_time_and_starts_again_once_from_a_second() {
        let record = serde_json::json!({ "id": 7, "email": "a@example.com",
                                          "registered": "2024-01-01 10:00:00 +0000",
                                          "updated": "2024-01-02 10:00:00 +0000" });
        let found = Found::of(serde_json::from_value(record).expect("a record")).expect("an id");
        assert_eq!(Order::Registered.time_of(&found), Some(1_704_103_200));
        assert_eq!(Order::Updated.time_of(&found), Some(1_704_189_600));

        for order in [Order::Registered, Order::Updated] {
            let mut filter = ListFilter {
                order,
                group: Some(3),
                ..ListFilter::default()
            };
            assert!(filter.start_from(100), "{order:?}");
            assert!(!filter.start_from(100), "{order:?}");
            let from = match order {
                Order::Registered => (filter.created_from, filter.updated_from),
                Order::Updated => (filter.updated_from, filter.created_from),
            };
            assert_eq!(from, (Some(100), None), "{order:?}");
            assert_eq!(filter.group, Some(3));
        }
    }
}
