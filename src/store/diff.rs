//! What a row would change in the store's record ([`Diff`], a list of [`Change`]s and the
//! update's body), and the pieces of comparing that the customer's own fields ([`super::compare`])
//! and its lists ([`super::lists`]) share: set values, an address's fields one by one, and a
//! store's entry with the row's differences over it.

use std::fmt;

use serde_json::{Map, Value};

use super::derived::{drop_split_name, strip_names_beside_codes};
use crate::customer::Address;
use crate::words::quoted;

/// One field whose value the row would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// The field's path, as columns name it (`billingPerson.city`, `contacts.1.note`).
    pub(crate) field: String,
    /// The store's value; empty when unset.
    pub(crate) old: String,
    pub(crate) new: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} -> {}",
            self.field,
            quoted(&self.old),
            quoted(&self.new)
        )
    }
}

/// What a row would change in the store's record.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Diff {
    pub(crate) changes: Vec<Change>,
    /// The `PUT` body: the top-level fields that differ, and whole every list and object that
    /// holds a difference.
    pub(crate) update: Map<String, Value>,
}

impl Diff {
    /// Whether the store already holds everything the row sets.
    pub(crate) fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes on one line, `; ` between them, for the results file.
    pub(crate) fn describe(&self) -> String {
        let parts: Vec<String> = self.changes.iter().map(ToString::to_string).collect();
        parts.join("; ")
    }
}

/// A set value: present and not blank.
pub(super) fn set(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

/// The store's value as text, empty when unset.
pub(super) fn shown(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// A change of `field` from `old` (the store's) to `new` (the row's).
pub(super) fn change(field: &str, old: String, new: String) -> Change {
    Change {
        field: field.to_string(),
        old,
        new,
    }
}

/// The fields of an address, by name, for comparing them one by one.
pub(super) fn address_fields(a: &Address) -> [(&'static str, &Option<String>); 10] {
    [
        ("name", &a.name),
        ("companyName", &a.company_name),
        ("street", &a.street),
        ("city", &a.city),
        ("countryCode", &a.country_code),
        ("countryName", &a.country_name),
        ("postalCode", &a.postal_code),
        ("stateOrProvinceCode", &a.state_or_province_code),
        ("stateOrProvinceName", &a.state_or_province_name),
        ("phone", &a.phone),
    ]
}

/// The fields of `row` that differ from `store`'s, by name, with the store's value and the
/// row's. A country's or state's name is no difference where its code is known on either side
/// (the store derives the name from the code).
pub(super) fn address_differences(
    row: &Address,
    store: &Address,
) -> Vec<(&'static str, String, String)> {
    let code_known =
        |row: &Option<String>, store: &Option<String>| set(row).is_some() || set(store).is_some();
    let country_known = code_known(&row.country_code, &store.country_code);
    let state_known = code_known(&row.state_or_province_code, &store.state_or_province_code);
    let mut found = Vec::new();
    for ((name, new), (_, old)) in address_fields(row).into_iter().zip(address_fields(store)) {
        let Some(new) = set(new) else { continue };
        let derived = match name {
            "countryName" => country_known,
            "stateOrProvinceName" => state_known,
            _ => false,
        };
        let same = match set(old) {
            _ if derived => true,
            Some(old) if name == "countryCode" => old.trim().eq_ignore_ascii_case(new.trim()),
            old => old == Some(new),
        };
        if !same {
            found.push((name, shown(old), new.to_string()));
        }
    }
    found
}

/// The store's entry (an object, or none) with the row's differing fields over it, every other
/// field as it came; names beside codes left out, and the split name beside a changed name.
pub(super) fn overlay(
    raw: Option<&Value>,
    differences: &[(&'static str, String, String)],
) -> Value {
    let mut entry = match raw {
        Some(Value::Object(fields)) => fields.clone(),
        _ => Map::new(),
    };
    for (name, _, new) in differences {
        entry.insert((*name).to_string(), Value::String(new.clone()));
    }
    if differences.iter().any(|(name, _, _)| *name == "name") {
        drop_split_name(&mut entry);
    }
    strip_names_beside_codes(&mut entry);
    Value::Object(entry)
}
