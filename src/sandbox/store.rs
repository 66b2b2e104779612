//! The sandbox store's customers, in memory.
//!
//! Ecwid keeps one customer per email, compared without regard to case; that is the rule that
//! makes a blind retry of a create visible (a 409), so the store indexes emails in lower case.
//! Each customer also carries when it was registered and last updated, which the answers show
//! and a listing may be ordered and cut by.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::customer::CustomerRequest;

/// A customer as `GET /_sandbox/customers` shows it: its id and every field it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCustomer {
    pub id: u64,
    #[serde(flatten)]
    pub customer: CustomerRequest,
}

/// A customer as the store holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub customer: CustomerRequest,
    /// UNIX seconds of the create.
    pub registered: i64,
    /// UNIX seconds of the last create or update.
    pub updated: i64,
    /// The store's count of writes at the last one: orders updates made within one second.
    pub revision: u64,
    /// Orders the customer placed: the sandbox takes none, tests set them.
    pub orders: u64,
}

/// Another customer already has this email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EmailTaken;

#[derive(Debug)]
pub(crate) struct Store {
    customers: BTreeMap<u64, Record>,
    by_email: HashMap<String, u64>,
    next_id: u64,
    writes: u64,
    /// The latest time written: a clock set back never makes a later write look older.
    latest: i64,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            customers: BTreeMap::new(),
            by_email: HashMap::new(),
            // Ids of the size Ecwid hands out, so that a client storing them in too small a
            // type finds out here.
            next_id: 188_000_001,
            writes: 0,
            latest: i64::MIN,
        }
    }
}

/// The customer's email in lower case, the key of the one-customer-per-email rule.
pub(crate) fn email_key(customer: &CustomerRequest) -> String {
    customer.email.as_deref().unwrap_or("").to_lowercase()
}

impl Store {
    /// The time and revision of a write at `now` (UNIX seconds).
    fn stamp(&mut self, now: i64) -> (i64, u64) {
        self.latest = self.latest.max(now);
        self.writes += 1;
        (self.latest, self.writes)
    }

    pub(crate) fn create(
        &mut self,
        customer: CustomerRequest,
        now: i64,
    ) -> Result<u64, EmailTaken> {
        let key = email_key(&customer);
        if self.by_email.contains_key(&key) {
            return Err(EmailTaken);
        }
        let (at, revision) = self.stamp(now);
        let id = self.next_id;
        self.next_id += 1;
        self.by_email.insert(key, id);
        let record = Record {
            customer,
            registered: at,
            updated: at,
            revision,
            orders: 0,
        };
        self.customers.insert(id, record);
        Ok(id)
    }

    /// Adds `n` customers registered one second apart from `first_at` (UNIX seconds), so
    /// that the listing's order by registration is the order they were added in. Each has a
    /// made-up email of its own (`seeded-<id>@example.com`) and a name.
    pub(crate) fn seed(&mut self, n: u64, first_at: i64) {
        for i in 0..n {
            let id = self.next_id;
            let at = first_at.saturating_add(i64::try_from(i).unwrap_or(i64::MAX));
            let customer = CustomerRequest {
                email: Some(format!("seeded-{id}@example.com")),
                billing_person: Some(crate::customer::Address {
                    name: Some(format!("Seeded Customer {id}")),
                    ..Default::default()
                }),
                ..Default::default()
            };
            self.next_id += 1;
            self.writes += 1;
            self.by_email.insert(email_key(&customer), id);
            let record = Record {
                customer,
                registered: at,
                updated: at,
                revision: self.writes,
                orders: 0,
            };
            self.customers.insert(id, record);
        }
    }

    /// Moves every customer's registration and last update `seconds` into the past.
    pub(crate) fn backdate(&mut self, seconds: i64) {
        for record in self.customers.values_mut() {
            record.registered = record.registered.saturating_sub(seconds);
            record.updated = record.updated.saturating_sub(seconds);
        }
    }

    pub(crate) fn get(&self, id: u64) -> Option<&Record> {
        self.customers.get(&id)
    }

    /// Replaces a customer that exists, keeping when it registered. `None` when it does not.
    pub(crate) fn replace(
        &mut self,
        id: u64,
        customer: CustomerRequest,
        now: i64,
    ) -> Option<Result<(), EmailTaken>> {
        let old_key = email_key(&self.customers.get(&id)?.customer);
        let new_key = email_key(&customer);
        if self
            .by_email
            .get(&new_key)
            .is_some_and(|&owner| owner != id)
        {
            return Some(Err(EmailTaken));
        }
        let (at, revision) = self.stamp(now);
        self.by_email.remove(&old_key);
        self.by_email.insert(new_key, id);
        let record = self.customers.get_mut(&id)?;
        record.customer = customer;
        record.updated = at;
        record.revision = revision;
        Some(Ok(()))
    }

    /// Gives customer `id` `orders` orders; `false` when there is no such customer.
    pub(crate) fn set_orders(&mut self, id: u64, orders: u64) -> bool {
        match self.customers.get_mut(&id) {
            Some(record) => {
                record.orders = orders;
                true
            }
            None => false,
        }
    }

    pub(crate) fn delete(&mut self, id: u64) -> bool {
        let Some(record) = self.customers.remove(&id) else {
            return false;
        };
        self.by_email.remove(&email_key(&record.customer));
        true
    }

    /// Every customer, by id.
    pub(crate) fn records(&self) -> impl Iterator<Item = (u64, &Record)> {
        self.customers.iter().map(|(&id, record)| (id, record))
    }

    pub(crate) fn len(&self) -> usize {
        self.customers.len()
    }

    pub(crate) fn all(&self) -> Vec<StoredCustomer> {
        self.records()
            .map(|(id, record)| StoredCustomer {
                id,
                customer: record.customer.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(email: &str) -> CustomerRequest {
        CustomerRequest {
            email: Some(email.to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn emails_are_unique_in_any_case_and_free_again_after_delete() {
        let mut store = Store::default();
        let id = store.create(customer("Ann@Example.com"), 0).unwrap();
        assert_eq!(
            store.create(customer("ann@example.COM"), 0),
            Err(EmailTaken)
        );
        assert!(store.delete(id));
        assert!(store.create(customer("ann@example.com"), 0).is_ok());
    }

    #[test]
    fn replace_keeps_the_email_index_in_step() {
        let mut store = Store::default();
        let a = store.create(customer("a@example.com"), 0).unwrap();
        store.create(customer("b@example.com"), 0).unwrap();
        assert_eq!(
            store.replace(a, customer("B@example.com"), 0),
            Some(Err(EmailTaken))
        );
        assert_eq!(store.replace(a, customer("c@example.com"), 0), Some(Ok(())));
        assert!(store.create(customer("a@example.com"), 0).is_ok());
        assert_eq!(store.replace(999, customer("d@example.com"), 0), None);
    }

    #[test]
    fn writes_are_stamped_and_never_go_back_in_time() {
        let mut store = Store::default();
        let a = store.create(customer("a@example.com"), 100).unwrap();
        let b = store.create(customer("b@example.com"), 90).unwrap();
        store
            .replace(a, customer("a@example.com"), 80)
            .unwrap()
            .unwrap();
        let (a, b) = (store.get(a).unwrap(), store.get(b).unwrap());
        assert_eq!((a.registered, a.updated), (100, 100));
        assert_eq!((b.registered, b.updated), (100, 100));
        assert!(a.revision > b.revision, "the update came last");
    }
}
