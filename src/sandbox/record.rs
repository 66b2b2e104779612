//! A customer as Ecwid's answers show it (`GET /customers`, `GET /customers/{id}`), which is
//! more than was sent: the listing example in `ecwid-api.md` has `registered` and `updated`, a
//! top-level `name`, the group's name, an `EMAIL` contact the store made from the email, and
//! the defaults of fields never set (empty strings for text).
//!
//! The answer is what the writes sent, every field as it came (fields the client does not know
//! and `null`s included), with what the store derives or keeps itself over it: ids and creation
//! times of contacts and shipping addresses ([`super::store::Entry`]), `addressFormatted`, the
//! split of the billing name, and the names of countries and states from their codes
//! ([`super::places`]), which replace any name sent beside a code. `acceptMarketing` is `null`
//! for a customer created without it, as a store leaves it. Never the password.
//!
//! A client that reads records back (to compare a row with the store, or to undo) meets here
//! the shape it will meet in a real store, not an echo of what it sent.

use serde_json::{Map, Value, json};

use super::clock;
use super::groups::Groups;
use super::places;
use super::store::{Entry, Record};

/// The record of customer `id` as the API answers it; never with its password. `lang` is the
/// store's default language, which a customer without one is shown with; `groups` the store's
/// customer groups, which name the customer's.
pub(crate) fn shown(id: u64, record: &Record, lang: &str, groups: &Groups) -> Value {
    let group_id = record.group;
    let group_name = groups.name(group_id).unwrap_or_default();
    let mut shown = match json!({
        "email": "",
        "taxExempt": false,
        "taxId": "",
        "taxIdValid": true,
        "b2b_b2c": "b2c",
        "fiscalCode": "",
        "electronicInvoicePecEmail": "",
        "electronicInvoiceSdiCode": "",
        "extrafields": [],
        "acceptMarketing": null,
        "lang": lang,
        "privateAdminNotes": "",
        "favorites": [],
    }) {
        Value::Object(defaults) => defaults,
        _ => Map::new(),
    };
    shown.extend(
        record
            .body
            .iter()
            .filter(|(key, _)| *key != "password")
            .map(|(key, value)| (key.clone(), value.clone())),
    );
    let person = billing_person(record.body.get("billingPerson"));
    let name = person
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .or_else(|| record.body.get("name").and_then(Value::as_str))
        .unwrap_or_default()
        .to_string();
    let derived = json!({
        "id": id,
        "name": name,
        "registered": clock::format(record.registered),
        "updated": clock::format(record.updated),
        "totalOrderCount": record.orders,
        "customerGroupId": group_id,
        "customerGroupName": group_name,
        "billingPerson": person,
        "shippingAddresses": addresses(record),
        "contacts": contacts(record),
        "stats": { "numberOfOrders": 0, "salesValue": 0, "averageOrderValue": 0 },
    });
    if let Value::Object(derived) = derived {
        shown.extend(derived);
    }
    Value::Object(shown)
}

/// A text field of an entry, when it is text.
fn text<'e>(entry: &'e Map<String, Value>, key: &str) -> Option<&'e str> {
    entry.get(key).and_then(Value::as_str).map(str::trim)
}

/// The names the store gives a country and a state from their codes, over whatever was sent
/// beside them; a name sent without a code the store knows stays as it was sent.
fn name_places(entry: &mut Map<String, Value>) {
    let country = text(entry, "countryCode").unwrap_or_default().to_string();
    if let Some(name) = places::country(&country) {
        entry.insert("countryName".into(), name.into());
    }
    let state = text(entry, "stateOrProvinceCode").and_then(|code| places::state(&country, code));
    if let Some(name) = state {
        entry.insert("stateOrProvinceName".into(), name.into());
    }
}

/// The billing person as sent, its name also split in `firstName` and `lastName` at its first
/// space, as the listing example shows it, and its places named; `{}` when there is none.
fn billing_person(sent: Option<&Value>) -> Map<String, Value> {
    let mut person = match sent {
        Some(Value::Object(fields)) => fields.clone(),
        _ => Map::new(),
    };
    if let Some(name) = text(&person, "name").map(str::to_string) {
        let (first, last) = name.split_once(' ').unwrap_or((&name, ""));
        person.insert("firstName".into(), first.into());
        person.insert("lastName".into(), last.trim().into());
    }
    name_places(&mut person);
    person
}

/// The list `key` as sent, each entry with the store's id and creation time (under `created`)
/// laid over it; an entry that is not an object is shown as it was sent.
fn with_entries(record: &Record, key: &str, entries: &[Entry], created: &str) -> Vec<Value> {
    let Some(Value::Array(items)) = record.body.get(key) else {
        return Vec::new();
    };
    items
        .iter()
        .zip(entries)
        .map(|(item, entry)| {
            let mut item = item.clone();
            if let Value::Object(fields) = &mut item {
                fields.insert("id".into(), entry.id.into());
                fields.insert(created.into(), clock::format(entry.created).into());
            }
            item
        })
        .collect()
}

/// The shipping addresses as sent, with the store's id, `createdDate`, places named and
/// `addressFormatted`, and `defaultAddress` and `orderBy` where not sent.
fn addresses(record: &Record) -> Value {
    match record.body.get("shippingAddresses") {
        None => return Value::Array(Vec::new()),
        Some(Value::Array(_)) => {}
        Some(other) => return other.clone(),
    }
    let shown = with_entries(
        record,
        "shippingAddresses",
        &record.addresses,
        "createdDate",
    );
    let shown = shown
        .into_iter()
        .enumerate()
        .map(|(position, mut address)| {
            if let Value::Object(address) = &mut address {
                name_places(address);
                let formatted = formatted(address);
                address.insert("addressFormatted".into(), formatted.into());
                address
                    .entry("defaultAddress")
                    .or_insert((position == 0).into());
                address.entry("orderBy").or_insert(position.into());
            }
            address
        });
    Value::Array(shown.collect())
}

/// An address on one line, as the store formats it: street (its lines joined), city, state,
/// postal code, country.
fn formatted(address: &Map<String, Value>) -> String {
    let street = text(address, "street").map(|s| s.lines().collect::<Vec<_>>().join(", "));
    let state = text(address, "stateOrProvinceName").or(text(address, "stateOrProvinceCode"));
    let parts = [
        street.as_deref(),
        text(address, "city"),
        state,
        text(address, "postalCode"),
        text(address, "countryName"),
    ];
    let parts: Vec<&str> = parts
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect();
    parts.join(", ")
}

/// The contacts sent, each with the store's id and creation `timestamp`, a position and a
/// `default` where not sent, after an `EMAIL` contact the store makes from the email unless one
/// of them already is that address. The made one is the default email contact unless a given
/// one is.
fn contacts(record: &Record) -> Value {
    let given = match record.body.get("contacts") {
        None | Some(Value::Array(_)) => {
            with_entries(record, "contacts", &record.contacts, "timestamp")
        }
        Some(other) => return other.clone(),
    };
    let email = record.customer.email.as_deref().unwrap_or("").trim();
    let is_email = |c: &Value| c.get("type").and_then(Value::as_str) == Some("EMAIL");
    let listed = given.iter().any(|c| {
        let address = c.get("contact").and_then(Value::as_str).map(str::trim);
        is_email(c) && address.is_some_and(|a| a.eq_ignore_ascii_case(email))
    });
    let default_given = given
        .iter()
        .any(|c| is_email(c) && c.get("default") == Some(&Value::Bool(true)));
    let mut shown = Vec::new();
    if !email.is_empty() && !listed {
        let made = record.email_contact;
        shown.push(json!({
            "id": made.id,
            "contact": email,
            "type": "EMAIL",
            "default": !default_given,
            "orderBy": 0,
            "timestamp": clock::format(made.created),
        }));
    }
    shown.extend(given);
    for (position, contact) in shown.iter_mut().enumerate() {
        if let Value::Object(fields) = contact {
            fields.entry("default").or_insert(false.into());
            fields.entry("orderBy").or_insert(position.into());
        }
    }
    Value::Array(shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::store::{Store, typed};

    /// A store holding one customer created from `body` at `at`; its id and the store.
    fn stored(body: Value, at: i64) -> (u64, Store) {
        let mut store = Store::default();
        let body = body.as_object().cloned().unwrap_or_default();
        let id = store
            .create(body.clone(), typed(&body), at)
            .expect("created");
        (id, store)
    }

    #[test]
    fn shows_the_listing_example() {
        let (id, mut store) = stored(
            json!({"email": "ec.apps@example.com", "password": "secret",
                   "billingPerson": {"name": "Support team"}}),
            1_640_066_758,
        );
        let body = store.get(id).map(|r| r.body.clone()).unwrap_or_default();
        store.replace(id, Map::new(), typed(&body), 1_717_535_710);
        let record = store.get(id).expect("stored");
        let shown = shown(id, record, "en", &Groups::default());
        assert_eq!(shown["registered"], "2021-12-21 06:05:58 +0000");
        assert_eq!(shown["updated"], "2024-06-04 21:15:10 +0000");
        assert_eq!(shown["name"], "Support team");
        assert_eq!(
            shown["billingPerson"],
            json!({"name": "Support team", "firstName": "Support", "lastName": "team"})
        );
        let made = record.email_contact.id;
        assert_eq!(
            shown["contacts"],
            json!([{"id": made, "contact": "ec.apps@example.com", "type": "EMAIL",
                    "default": true, "orderBy": 0, "timestamp": "2021-12-21 06:05:58 +0000"}])
        );
        assert_eq!(shown["customerGroupName"], "General");
        assert_eq!(shown["acceptMarketing"], Value::Null);
        assert!(shown.get("password").is_none());
    }

    #[test]
    fn an_email_contact_given_is_not_made_twice() {
        let (id, store) = stored(
            json!({
                "email": "a@example.com", "customerGroupName": "vip",
                "contacts": [
                    {"type": "EMAIL", "contact": "other@example.com", "default": true},
                    {"type": "PHONE", "contact": "+1 555"},
                ],
            }),
            0,
        );
        let shown = shown(id, store.get(id).expect("stored"), "fr", &store.groups);
        let contacts = shown["contacts"].as_array().expect("contacts");
        assert_eq!(contacts.len(), 3);
        assert_eq!(contacts[0]["contact"], "a@example.com");
        assert_eq!(contacts[0]["default"], false);
        assert_eq!(contacts[2]["orderBy"], 2);
        assert_eq!(
            (&shown["customerGroupId"], &shown["lang"]),
            (&json!(9_367_001), &json!("fr"))
        );
        let (id, own) = stored(
            json!({"email": "a@example.com",
                   "contacts": [{"type": "EMAIL", "contact": "A@example.com"}]}),
            0,
        );
        let contacts =
            super::shown(id, own.get(id).expect("stored"), "en", &own.groups)["contacts"].clone();
        assert_eq!(contacts.as_array().map(Vec::len), Some(1));
    }

    /// The store names places from their codes, over a name sent beside the code; a name with
    /// no code it knows stays as sent; an address is formatted on one line.
    #[test]
    fn places_are_named_from_their_codes() {
        let (id, store) = stored(
            json!({"email": "a@example.com",
                   "billingPerson": {"countryCode": "DE", "countryName": "Deutschland",
                                     "stateOrProvinceCode": "BY", "stateOrProvinceName": "Bayern"},
                   "shippingAddresses": [{"street": "Main St 1\nFlat 2", "city": "Mumbai",
                                          "countryCode": "IN", "postalCode": "400020",
                                          "stateOrProvinceName": "Maharashtra"}]}),
            0,
        );
        let shown = shown(id, store.get(id).expect("stored"), "en", &store.groups);
        let person = &shown["billingPerson"];
        assert_eq!(
            (&person["countryName"], &person["stateOrProvinceName"]),
            (&json!("Germany"), &json!("Bavaria"))
        );
        let address = &shown["shippingAddresses"][0];
        assert_eq!(address["countryName"], "India");
        assert_eq!(address["stateOrProvinceName"], "Maharashtra");
        assert_eq!(
            address["addressFormatted"],
            "Main St 1, Flat 2, Mumbai, Maharashtra, 400020, India"
        );
        assert_eq!(
            (&address["defaultAddress"], &address["orderBy"]),
            (&json!(true), &json!(0))
        );
        assert!(
            address["id"].is_u64() && address["createdDate"].is_string(),
            "{address}"
        );
    }
}
