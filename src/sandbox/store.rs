//! The sandbox store's customers, in memory.
//!
//! Ecwid keeps one customer per email, compared without regard to case; that is the rule that
//! makes a blind retry of a create visible (a 409), so the store indexes emails in lower case.
//! Each customer also carries when it was registered and last updated, which the answers show
//! and a listing may be ordered and cut by.
//!
//! A customer is held as the JSON its writes sent (every top-level field, known to the client or
//! not: a `PUT` replaces each field it sends, a list whole), beside the store's own bookkeeping
//! of its list entries: each contact and shipping address has an id and a creation time of the
//! store's making, stable for as long as the entry is sent back with its id (as Ecwid's answers
//! show them), so that a test can tell an entry "sent back unchanged" from one made anew.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::groups::Groups;
use crate::customer::CustomerRequest;

/// A customer as `GET /_sandbox/customers` shows it: its id and every field it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCustomer {
    pub id: u64,
    /// The fields the client's reader knows, read from [`StoredCustomer::body`].
    pub customer: CustomerRequest,
    /// The customer's fields as its writes sent them (the last write of each top-level field),
    /// fields the client does not know included; never the store's own additions.
    pub body: Map<String, Value>,
}

impl Serialize for StoredCustomer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut shown = self.body.clone();
        shown.insert("id".into(), self.id.into());
        shown.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for StoredCustomer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut body = Map::deserialize(deserializer)?;
        let id = body
            .remove("id")
            .and_then(|id| id.as_u64())
            .ok_or_else(|| serde::de::Error::custom("a stored customer has a numeric id"))?;
        Ok(StoredCustomer {
            id,
            customer: typed(&body),
            body,
        })
    }
}

/// The store's bookkeeping of one list entry: its id and when it was made (UNIX seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub id: u64,
    pub created: i64,
}

/// A customer as the store holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    /// What the writes sent, top-level field by field.
    pub body: Map<String, Value>,
    /// `body` as the request model reads it: the email, names and group the store goes by.
    pub customer: CustomerRequest,
    /// UNIX seconds of the create.
    pub registered: i64,
    /// UNIX seconds of the last create or update.
    pub updated: i64,
    /// The store's count of writes at the last one: orders updates made within one second.
    pub revision: u64,
    /// Orders the customer placed: the sandbox takes none, tests set them.
    pub orders: u64,
    /// One per entry of `body.contacts`, in its order.
    pub contacts: Vec<Entry>,
    /// One per entry of `body.shippingAddresses`, in its order.
    pub addresses: Vec<Entry>,
    /// The `EMAIL` contact the store makes from the email, while the contacts sent do not hold
    /// that address.
    pub email_contact: Entry,
    /// The id of the customer's group, as the store resolved it at the last write that named
    /// one (0, "General", when none did).
    pub group: u64,
}

/// The fields that name a customer's group.
pub(crate) const GROUP_KEYS: [&str; 2] = ["customerGroupId", "customerGroupName"];

/// Another customer already has this email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EmailTaken;

#[derive(Debug)]
pub(crate) struct Store {
    customers: BTreeMap<u64, Record>,
    by_email: HashMap<String, u64>,
    next_id: u64,
    /// The next id of a contact or shipping address.
    next_entry_id: u64,
    writes: u64,
    /// The latest time written: a clock set back never makes a later write look older.
    latest: i64,
    /// The store's customer groups.
    pub(crate) groups: Groups,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            customers: BTreeMap::new(),
            by_email: HashMap::new(),
            // Ids of the size Ecwid hands out, so that a client storing them in too small a
            // type finds out here.
            next_id: 188_000_001,
            next_entry_id: 113_861_381,
            writes: 0,
            latest: i64::MIN,
            groups: Groups::default(),
        }
    }
}

/// The customer's email in lower case, the key of the one-customer-per-email rule.
pub(crate) fn email_key(customer: &CustomerRequest) -> String {
    customer.email.as_deref().unwrap_or("").to_lowercase()
}

/// The request model's reading of a stored body. A body only a test could have put there (a
/// field of a type no write would be let through with) reads as its email alone.
pub(crate) fn typed(body: &Map<String, Value>) -> CustomerRequest {
    serde_json::from_value(Value::Object(body.clone())).unwrap_or_else(|_| CustomerRequest {
        email: body.get("email").and_then(Value::as_str).map(String::from),
        ..CustomerRequest::default()
    })
}

impl Store {
    /// The time and revision of a write at `now` (UNIX seconds).
    fn stamp(&mut self, now: i64) -> (i64, u64) {
        self.latest = self.latest.max(now);
        self.writes += 1;
        (self.latest, self.writes)
    }

    fn new_entry(&mut self, at: i64) -> Entry {
        let id = self.next_entry_id;
        self.next_entry_id += 1;
        Entry { id, created: at }
    }

    /// The bookkeeping of the entries of list `key` in `body`: an entry sent with the id of one
    /// of `known` is that entry still (same id, same creation time); any other is new.
    fn entries(
        &mut self,
        body: &Map<String, Value>,
        key: &str,
        known: &[Entry],
        at: i64,
    ) -> Vec<Entry> {
        let Some(Value::Array(items)) = body.get(key) else {
            return Vec::new();
        };
        let mut entries = Vec::with_capacity(items.len());
        for item in items {
            let sent_id = item.get("id").and_then(Value::as_u64);
            let kept = known
                .iter()
                .find(|e| Some(e.id) == sent_id && !entries.contains(*e));
            let entry = match kept {
                Some(entry) => *entry,
                None => self.new_entry(at),
            };
            entries.push(entry);
        }
        entries
    }

    /// Stores a new customer from the body of a create (or what a test seeds), with its reading
    /// `customer`, registered at `now` (UNIX seconds).
    pub(crate) fn create(
        &mut self,
        body: Map<String, Value>,
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
        let contacts = self.entries(&body, "contacts", &[], at);
        let addresses = self.entries(&body, "shippingAddresses", &[], at);
        let email_contact = self.new_entry(at);
        let group = self.groups.resolve(&customer);
        let record = Record {
            body,
            customer,
            registered: at,
            updated: at,
            revision,
            orders: 0,
            contacts,
            addresses,
            email_contact,
            group,
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
            let mut body = Map::new();
            body.insert("email".into(), format!("seeded-{id}@example.com").into());
            body.insert(
                "billingPerson".into(),
                serde_json::json!({ "name": format!("Seeded Customer {id}") }),
            );
            let customer = typed(&body);
            // A fresh email of a fresh id: never taken.
            let _ = self.create(body, customer, at);
        }
    }

    /// Moves every customer's registration and last update `seconds` into the past.
    pub(crate) fn backdate(&mut self, seconds: i64) {
        for record in self.customers.values_mut() {
            record.registered = record.registered.saturating_sub(seconds);
            record.updated = record.updated.saturating_sub(seconds);
            for entry in record
                .contacts
                .iter_mut()
                .chain(&mut record.addresses)
                .chain(std::iter::once(&mut record.email_contact))
            {
                entry.created = entry.created.saturating_sub(seconds);
            }
        }
    }

    pub(crate) fn get(&self, id: u64) -> Option<&Record> {
        self.customers.get(&id)
    }

    /// Writes `changes` (each top-level field replaces the stored one whole) into a customer
    /// that exists, keeping when it registered; `customer` is the reading of the result. `None`
    /// when there is no such customer.
    pub(crate) fn replace(
        &mut self,
        id: u64,
        changes: Map<String, Value>,
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
        let old = self.customers.get(&id)?.clone();
        let mut known_contacts = old.contacts.clone();
        known_contacts.push(old.email_contact);
        let contacts = changes
            .contains_key("contacts")
            .then(|| self.entries(&changes, "contacts", &known_contacts, at));
        let addresses = changes
            .contains_key("shippingAddresses")
            .then(|| self.entries(&changes, "shippingAddresses", &old.addresses, at));
        self.by_email.remove(&old_key);
        self.by_email.insert(new_key, id);
        let names_group = GROUP_KEYS.iter().any(|k| changes.contains_key(*k));
        let group = self.groups.resolve(&customer);
        let record = self.customers.get_mut(&id)?;
        if names_group {
            // The group the write names replaces the one the customer had, by id or by name.
            for key in GROUP_KEYS {
                record.body.remove(key);
            }
            record.group = group;
        }
        record.body.extend(changes);
        record.customer = customer;
        record.updated = at;
        record.revision = revision;
        if let Some(contacts) = contacts {
            record.contacts = contacts;
        }
        if let Some(addresses) = addresses {
            record.addresses = addresses;
        }
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

    /// How many customers group `id` holds.
    pub(crate) fn members(&self, group: u64) -> usize {
        self.customers.values().filter(|r| r.group == group).count()
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
                body: record.body.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn body(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn create(store: &mut Store, email: &str, now: i64) -> Result<u64, EmailTaken> {
        let body = body(json!({ "email": email }));
        let customer = typed(&body);
        store.create(body, customer, now)
    }

    fn replace(
        store: &mut Store,
        id: u64,
        changes: Value,
        now: i64,
    ) -> Option<Result<(), EmailTaken>> {
        let changes = body(changes);
        let mut merged = store.get(id).map(|r| r.body.clone()).unwrap_or_default();
        merged.extend(changes.clone());
        store.replace(id, changes, typed(&merged), now)
    }

    #[test]
    fn emails_are_unique_in_any_case_and_free_again_after_delete() {
        let mut store = Store::default();
        let id = create(&mut store, "Ann@Example.com", 0).unwrap();
        assert_eq!(create(&mut store, "ann@example.COM", 0), Err(EmailTaken));
        assert!(store.delete(id));
        assert!(create(&mut store, "ann@example.com", 0).is_ok());
    }

    #[test]
    fn replace_keeps_the_email_index_in_step() {
        let mut store = Store::default();
        let a = create(&mut store, "a@example.com", 0).unwrap();
        create(&mut store, "b@example.com", 0).unwrap();
        assert_eq!(
            replace(&mut store, a, json!({"email": "B@example.com"}), 0),
            Some(Err(EmailTaken))
        );
        assert_eq!(
            replace(&mut store, a, json!({"email": "c@example.com"}), 0),
            Some(Ok(()))
        );
        assert!(create(&mut store, "a@example.com", 0).is_ok());
        assert_eq!(
            replace(&mut store, 999, json!({"email": "d@example.com"}), 0),
            None
        );
    }

    #[test]
    fn writes_are_stamped_and_never_go_back_in_time() {
        let mut store = Store::default();
        let a = create(&mut store, "a@example.com", 100).unwrap();
        let b = create(&mut store, "b@example.com", 90).unwrap();
        replace(&mut store, a, json!({}), 80).unwrap().unwrap();
        let (a, b) = (store.get(a).unwrap(), store.get(b).unwrap());
        assert_eq!((a.registered, a.updated), (100, 100));
        assert_eq!((b.registered, b.updated), (100, 100));
        assert!(a.revision > b.revision, "the update came last");
    }

    /// A contact sent back with its id keeps it and its creation time; one sent without gets a
    /// new one; the made `EMAIL` contact's id carries over when it is sent back.
    #[test]
    fn entries_keep_their_ids_while_sent_back_with_them() {
        let mut store = Store::default();
        let created = body(json!({"email": "a@example.com",
                                  "contacts": [{"type": "PHONE", "contact": "+1"}]}));
        let a = store.create(created.clone(), typed(&created), 100).unwrap();
        let (phone, made) = {
            let record = store.get(a).unwrap();
            (record.contacts[0], record.email_contact)
        };
        assert_eq!(phone.created, 100);
        let back = json!({"contacts": [
            {"id": made.id, "type": "EMAIL", "contact": "a@example.com"},
            {"id": phone.id, "type": "PHONE", "contact": "+1"},
            {"id": 5, "type": "PHONE", "contact": "+2"},
        ]});
        replace(&mut store, a, back, 200).unwrap().unwrap();
        let record = store.get(a).unwrap();
        assert_eq!(record.contacts[..2], [made, phone]);
        assert_eq!(record.contacts[2].created, 200);
        assert!(record.contacts[2].id != 5);
    }
}
