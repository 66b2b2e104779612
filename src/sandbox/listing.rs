//! `GET /customers`: a search by email or keyword, and with no search term the listing of the
//! whole store, a page at a time (`offset`, `limit`), in the order asked for (`sortBy`), cut by
//! registration and update times (`createdFrom`/`createdTo`, `updatedFrom`/`updatedTo`) and by
//! group (`customerGroupIds`, a comma-separated list of ids), with the `total` that tells the
//! store's size (`ecwid-api.md`, "Listing customers"). A filter value that cannot be read (a
//! time, a group id, a number, `useExactEmailMatch`) is refused with 400 `WRONG_PARAMETER`,
//! never ignored: a client that sends it wrong finds out here.
//!
//! An offset of 10,000 or more is refused with 400 `WRONG_PARAMETER` ([`MAX_OFFSET`]).
//! A client that reads a whole store pages through it in `REGISTERED_DATE_ASC` order; the sandbox
//! keeps that order stable (by id within a second), so a client that pages wrong is caught.

use serde::Deserialize;
use serde_json::{Value, json};

use super::reply::{Reply, parse_query};
use super::state::Shared;
use super::store::{Record, email_key};
use super::{clock, lock, record};

/// Page size when the client names none, and the most it may ask for.
const MAX_LIMIT: usize = 100;

/// The first offset the listing refuses (400 `WRONG_PARAMETER`), as Ecwid effectively does:
/// a client reading a larger store starts again from a later `createdFrom`.
const MAX_OFFSET: usize = 10_000;

/// The orders `sortBy` takes, each also with `_DESC`.
const ORDERS: &str = "NAME, EMAIL, REGISTERED_DATE and UPDATED_DATE, each _ASC or _DESC";

/// Where a page starts and how long it is.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Page {
    offset: Option<usize>,
    limit: Option<usize>,
}

impl Page {
    pub(crate) fn offset(&self) -> usize {
        self.offset.unwrap_or(0)
    }

    pub(crate) fn limit(&self) -> usize {
        self.limit.map_or(MAX_LIMIT, |l| l.min(MAX_LIMIT))
    }
}

/// A page of results in Ecwid's shape.
pub(crate) fn page_of(total: usize, page: &Page, items: Vec<Value>) -> Reply {
    Reply::ok(json!({
        "total": total,
        "count": items.len(),
        "offset": page.offset(),
        "limit": page.limit(),
        "items": items,
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListQuery {
    email: Option<String>,
    #[serde(default)]
    use_exact_email_match: bool,
    keyword: Option<String>,
    // Not `#[serde(flatten)] page: Page`: query values are all text, and flatten loses the
    // conversion of text to numbers.
    offset: Option<usize>,
    limit: Option<usize>,
    sort_by: Option<String>,
    created_from: Option<String>,
    created_to: Option<String>,
    updated_from: Option<String>,
    updated_to: Option<String>,
    customer_group_ids: Option<String>,
}

/// Which customers the query asks for.
#[derive(Debug, Default)]
struct Filter {
    /// Lower case; equal to the customer's email with `exact`, else occurring in it.
    email: Option<String>,
    exact: bool,
    /// Lower case; occurs in the email or in a name (billing or shipping).
    keyword: Option<String>,
    /// Both ends included, UNIX seconds.
    registered: (Option<i64>, Option<i64>),
    updated: (Option<i64>, Option<i64>),
    /// The customer's group is one of these.
    groups: Option<Vec<u64>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Id,
    Name,
    Email,
    Registered,
    Updated,
}

/// `GET /customers?...`.
pub(crate) fn list(shared: &Shared, query: &str) -> Result<Reply, Reply> {
    let query: ListQuery = parse_query(query)?;
    let (key, descending) = order(query.sort_by.as_deref())?;
    let filter = Filter {
        email: query.email.as_deref().map(str::to_lowercase),
        exact: query.use_exact_email_match,
        keyword: query.keyword.as_deref().map(str::to_lowercase),
        registered: (
            time("createdFrom", query.created_from.as_deref())?,
            time("createdTo", query.created_to.as_deref())?,
        ),
        updated: (
            time("updatedFrom", query.updated_from.as_deref())?,
            time("updatedTo", query.updated_to.as_deref())?,
        ),
        groups: query
            .customer_group_ids
            .as_deref()
            .map(group_ids)
            .transpose()?,
    };
    let page = Page {
        offset: query.offset,
        limit: query.limit,
    };
    if page.offset() >= MAX_OFFSET {
        return Err(Reply::wrong_parameter(format!(
            "offset {}: at most {} customers are listed from one query; narrow it with \
             createdFrom",
            page.offset(),
            MAX_OFFSET
        )));
    }
    let store = lock(&shared.store);
    let mut found: Vec<(u64, &Record)> =
        store.records().filter(|(_, r)| filter.matches(r)).collect();
    match key {
        Key::Id => {}
        Key::Name => found.sort_by_cached_key(|(id, r)| (name_of(r).to_lowercase(), *id)),
        Key::Email => found.sort_by_cached_key(|(id, r)| (email_key(&r.customer), *id)),
        Key::Registered if query.created_from.is_some() && reversed_ties(shared) => {
            found.sort_by_key(|(id, r)| (r.registered, std::cmp::Reverse(*id)));
        }
        Key::Registered => found.sort_by_key(|(id, r)| (r.registered, *id)),
        Key::Updated => found.sort_by_key(|(_, r)| (r.updated, r.revision)),
    }
    if descending {
        found.reverse();
    }
    let lang = shared.config.languages.first().map_or("en", String::as_str);
    let items = found
        .iter()
        .skip(page.offset())
        .take(page.limit())
        .map(|(id, r)| record::shown(*id, r, lang, &store.groups))
        .collect();
    let mut reply = page_of(found.len(), &page, items);
    reply.body["allCustomerCount"] = store.len().into();
    Ok(reply)
}

fn reversed_ties(shared: &Shared) -> bool {
    shared
        .ties_reversed
        .load(std::sync::atomic::Ordering::Relaxed)
}

/// The key and direction of `sortBy`; by id when none is named.
fn order(sort_by: Option<&str>) -> Result<(Key, bool), Reply> {
    let Some(text) = sort_by.map(str::trim) else {
        return Ok((Key::Id, false));
    };
    let refused = || Reply::wrong_parameter(format!("sortBy {text:?}: use {ORDERS}"));
    let (name, descending) = match text.rsplit_once('_') {
        Some((name, "ASC")) => (name, false),
        Some((name, "DESC")) => (name, true),
        _ => return Err(refused()),
    };
    let key = match name {
        "NAME" => Key::Name,
        "EMAIL" => Key::Email,
        "REGISTERED_DATE" => Key::Registered,
        "UPDATED_DATE" => Key::Updated,
        _ => return Err(refused()),
    };
    Ok((key, descending))
}

/// A time parameter, if given: a UNIX timestamp or `2023-01-15 19:27:50`.
fn time(name: &str, value: Option<&str>) -> Result<Option<i64>, Reply> {
    value
        .map(|text| {
            clock::parse(text).ok_or_else(|| {
                Reply::wrong_parameter(format!(
                    "{name} {text:?} is neither a UNIX timestamp nor a time written \
                     2023-01-15 19:27:50"
                ))
            })
        })
        .transpose()
}

/// `customerGroupIds`: group ids separated by commas (spaces aside).
fn group_ids(text: &str) -> Result<Vec<u64>, Reply> {
    text.split(',')
        .map(|id| {
            id.trim().parse().map_err(|_| {
                Reply::wrong_parameter(format!(
                    "customerGroupIds {text:?}: give group ids separated by commas, such as 0,9367001"
                ))
            })
        })
        .collect()
}

fn name_of(record: &Record) -> &str {
    let billing = record.customer.billing_person.as_ref();
    let name = billing
        .and_then(|b| b.name.as_deref())
        .filter(|n| !n.trim().is_empty());
    let top = record.body.get("name").and_then(serde_json::Value::as_str);
    name.or(top).unwrap_or("")
}

impl Filter {
    fn matches(&self, record: &Record) -> bool {
        let within = |(from, to): (Option<i64>, Option<i64>), at: i64| {
            from.is_none_or(|f| at >= f) && to.is_none_or(|t| at <= t)
        };
        let own = email_key(&record.customer);
        let email_ok = self.email.as_deref().is_none_or(|e| {
            if self.exact {
                own == e
            } else {
                own.contains(e)
            }
        });
        email_ok
            && self
                .keyword
                .as_deref()
                .is_none_or(|k| mentions(record, &own, k))
            && within(self.registered, record.registered)
            && within(self.updated, record.updated)
            && self
                .groups
                .as_ref()
                .is_none_or(|groups| groups.contains(&record.group))
    }
}

/// Whether the lower-case `keyword` occurs in the email or a name of the customer.
fn mentions(record: &Record, email: &str, keyword: &str) -> bool {
    let customer = &record.customer;
    let mut names = customer
        .billing_person
        .iter()
        .chain(customer.shipping_addresses.iter().flatten())
        .filter_map(|a| a.name.as_deref());
    email.contains(keyword) || names.any(|n| n.to_lowercase().contains(keyword))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_by_takes_the_documented_orders() {
        assert_eq!(order(None).ok(), Some((Key::Id, false)));
        assert_eq!(
            order(Some("REGISTERED_DATE_ASC")).ok(),
            Some((Key::Registered, false))
        );
        assert_eq!(
            order(Some("UPDATED_DATE_DESC")).ok(),
            Some((Key::Updated, true))
        );
        assert_eq!(order(Some("EMAIL_DESC")).ok(), Some((Key::Email, true)));
        assert_eq!(order(Some("NAME_ASC")).ok(), Some((Key::Name, false)));
        for bad in ["", "ASC", "EMAIL", "email_asc", "ID_ASC", "EMAIL_UP"] {
            assert!(order(Some(bad)).is_err(), "{bad}");
        }
    }
}
