//! The lists of a customer in the comparison: shipping addresses, contacts and extra fields.
//! Each is matched entry by entry with the store's (addresses by street and postal code,
//! contacts by type and value, extra fields by key); when anything differs, the list is sent
//! whole, built on the store's entries as they came ([`CustomerRecord::raw`]: every field,
//! known to this tool or not, in the store's order) with the row's changed fields over the
//! entries they match and the row's new entries after them. No entry of the store is removed.
//!
//! The typed lists of a record hold one entry per entry of the raw list, so a position in one is
//! the same position in the other. A `null` entry of the store's list is no entry: it is left out
//! of the list sent.

use serde_json::{Map, Value};

use super::derived::{drop_null_entries, strip_names_beside_codes};
use super::diff::{Diff, address_differences, address_fields, change, overlay, set, shown};
use crate::customer::record::CustomerRecord;
use crate::customer::{Address, Contact, ExtraField};

/// The store's list `key` as it came, entry for entry beside `typed`; the typed entries
/// themselves where the raw list does not line up with them (a record built by hand).
fn raw_list<T: serde::Serialize>(store: &CustomerRecord, key: &str, typed: &[T]) -> Vec<Value> {
    match store.raw.get(key) {
        Some(Value::Array(items)) if items.len() == typed.len() => items.clone(),
        _ => typed
            .iter()
            .map(|entry| serde_json::to_value(entry).unwrap_or(Value::Null))
            .collect(),
    }
}

/// The key two values match by: trimmed, in any case, inner spaces as one.
fn key(value: &Option<String>) -> String {
    let value = value.as_deref().unwrap_or_default().to_lowercase();
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A row's entry as JSON, its unset fields left out.
fn entry_of<T: serde::Serialize>(entry: &T) -> Value {
    let mut value = serde_json::to_value(entry).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut value {
        strip_names_beside_codes(fields);
    }
    value
}

/// The row's shipping addresses against the store's, matched by street and postal code.
pub(super) fn shipping(row: &[Address], store: &CustomerRecord, diff: &mut Diff) {
    let mut typed: Vec<Address> = store.shipping_addresses.clone().unwrap_or_default();
    let mut raw = raw_list(store, "shippingAddresses", &typed);
    let before = diff.changes.len();
    for address in row {
        let same_place = |a: &Address| {
            key(&a.street) == key(&address.street)
                && key(&a.postal_code) == key(&address.postal_code)
        };
        match typed.iter().position(same_place) {
            Some(at) => {
                let differences = address_differences(address, &typed[at]);
                if differences.is_empty() {
                    continue;
                }
                for (name, old, new) in &differences {
                    let field = format!("shippingAddresses.{at}.{name}");
                    diff.changes.push(change(&field, old.clone(), new.clone()));
                }
                raw[at] = overlay(raw.get(at), &differences);
                for (name, _, new) in &differences {
                    set_address_field(&mut typed[at], name, new);
                }
            }
            None => {
                let field = format!("shippingAddresses.{}", typed.len());
                diff.changes
                    .push(change(&field, String::new(), describe_address(address)));
                raw.push(entry_of(address));
                typed.push(address.clone());
            }
        }
    }
    if diff.changes.len() > before {
        for entry in &mut raw {
            if let Value::Object(fields) = entry {
                strip_names_beside_codes(fields);
            }
        }
        drop_null_entries(&mut raw);
        diff.update
            .insert("shippingAddresses".into(), Value::Array(raw));
    }
}

/// Keeps a typed address in step with the raw one it stands beside, for a later row address
/// matched to the same entry.
fn set_address_field(address: &mut Address, name: &str, value: &str) {
    let slot = match name {
        "name" => &mut address.name,
        "companyName" => &mut address.company_name,
        "street" => &mut address.street,
        "city" => &mut address.city,
        "countryCode" => &mut address.country_code,
        "countryName" => &mut address.country_name,
        "postalCode" => &mut address.postal_code,
        "stateOrProvinceCode" => &mut address.state_or_province_code,
        "stateOrProvinceName" => &mut address.state_or_province_name,
        _ => &mut address.phone,
    };
    *slot = Some(value.to_string());
}

/// A new address in one line: its set fields, in the API's order.
fn describe_address(address: &Address) -> String {
    let parts: Vec<&str> = address_fields(address)
        .into_iter()
        .filter_map(|(_, value)| set(value))
        .collect();
    parts.join(", ")
}

fn kind(contact: &Contact) -> String {
    contact
        .kind
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_uppercase()
}

fn value(contact: &Contact) -> &str {
    contact.contact.as_deref().unwrap_or_default().trim()
}

/// Whether a store contact is the row's: same type (any case) and same value (any case for
/// an `EMAIL`, else as written, trimmed).
fn same_contact(store: &Contact, row: &Contact) -> bool {
    if kind(store) != kind(row) {
        return false;
    }
    if kind(row) == "EMAIL" {
        value(store).eq_ignore_ascii_case(value(row))
    } else {
        value(store) == value(row)
    }
}

/// The row's contacts against the store's, matched by type and value. A row's `EMAIL` contact
/// of the customer's own email is the one the store makes from the email: never new.
pub(super) fn contacts(row: &[Contact], store: &CustomerRecord, diff: &mut Diff) {
    let mut typed: Vec<Contact> = store.contacts.clone().unwrap_or_default();
    let mut raw = raw_list(store, "contacts", &typed);
    let own_email = store.email.as_deref().unwrap_or_default().trim();
    let before = diff.changes.len();
    for contact in row {
        match typed.iter().position(|c| same_contact(c, contact)) {
            Some(at) => {
                let differences = contact_differences(contact, &typed[at]);
                if differences.is_empty() {
                    continue;
                }
                let mut entry = match raw.get(at) {
                    Some(Value::Object(fields)) => fields.clone(),
                    _ => Map::new(),
                };
                for (name, old, new) in differences {
                    let field = format!("contacts.{at}.{name}");
                    let text = match &new {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    diff.changes.push(change(&field, old, text));
                    entry.insert(name.to_string(), new);
                }
                raw[at] = Value::Object(entry);
            }
            None if kind(contact) == "EMAIL"
                && !own_email.is_empty()
                && value(contact).eq_ignore_ascii_case(own_email) => {}
            None => {
                let field = format!("contacts.{}", typed.len());
                let new = format!("{} {}", kind(contact), value(contact));
                diff.changes
                    .push(change(&field, String::new(), new.trim().to_string()));
                raw.push(entry_of(contact));
                typed.push(contact.clone());
            }
        }
    }
    if diff.changes.len() > before {
        drop_null_entries(&mut raw);
        diff.update.insert("contacts".into(), Value::Array(raw));
    }
}

/// The fields of a matched contact besides its type and value that the row sets differently:
/// name, the store's value as text, the row's as JSON.
fn contact_differences(row: &Contact, store: &Contact) -> Vec<(&'static str, String, Value)> {
    let mut found = Vec::new();
    for (name, new, old) in [
        ("handle", &row.handle, &store.handle),
        ("note", &row.note, &store.note),
    ] {
        if let Some(new) = set(new)
            && set(old) != Some(new)
        {
            found.push((name, shown(old), Value::String(new.to_string())));
        }
    }
    if let Some(new) = row.default
        && store.default != Some(new)
    {
        let old = store.default.map(|b| b.to_string()).unwrap_or_default();
        found.push(("default", old, Value::Bool(new)));
    }
    if let Some(new) = row.order_by
        && store.order_by != Some(new)
    {
        let old = store.order_by.map(|n| n.to_string()).unwrap_or_default();
        found.push(("orderBy", old, Value::from(new)));
    }
    found
}

/// Extra fields by key. When one differs, the customer's whole list is sent: the store's
/// entries as they came (`title`, `type` and whatever else they carry), the row's values over
/// them by key, the row's new keys after them. Ecwid documents no merge of this list on a
/// `PUT`, and its own client sends it whole: right whether the store merges or replaces.
pub(super) fn extra_fields(row: &[ExtraField], store: &CustomerRecord, diff: &mut Diff) {
    let typed: Vec<ExtraField> = store.extrafields.clone().unwrap_or_default();
    let mut raw = raw_list(store, "extrafields", &typed);
    let mut changed = false;
    for field in row.iter().filter(|f| !f.value.trim().is_empty()) {
        let at = typed.iter().position(|s| s.key == field.key);
        let old = at.map(|at| typed[at].value.clone()).unwrap_or_default();
        if old == field.value {
            continue;
        }
        changed = true;
        let name = format!("extrafields.{}", field.key);
        diff.changes.push(change(&name, old, field.value.clone()));
        let new = Value::String(field.value.clone());
        match at.and_then(|at| raw.get_mut(at)) {
            Some(Value::Object(entry)) => {
                entry.insert("value".into(), new);
            }
            Some(entry) => *entry = entry_of(field),
            None => raw.push(entry_of(field)),
        }
    }
    if changed {
        drop_null_entries(&mut raw);
        diff.update.insert("extrafields".into(), Value::Array(raw));
    }
}
