//! What the store derives or rewrites itself, so that the tool neither counts it as a difference
//! nor sends it beside what it is derived from (which would make a file that spells it its own
//! way "changed" on every scheduled run, forever). From the API notes (`ecwid-api.md`, "What the
//! store derives" and "What records may hold"):
//!
//! - `countryName` from `countryCode`, `stateOrProvinceName` from `stateOrProvinceCode`, in the
//!   store's own English names (Ecwid's official client leaves both out of what it writes). Not
//!   compared where the code is known, on the row's side or the store's; never sent beside a
//!   code: [`strip_names_beside_codes`] (the store would name the place again anyway, and a
//!   name that disagrees with the code could be kept by a store that does not);
//! - `billingPerson.firstName`/`lastName` from `name`: never compared (the tool reads no such
//!   column); sent back as they came, except beside a name the update changes, where they would
//!   be stale: [`drop_split_name`];
//! - the `EMAIL` contact made from `email`: not a difference when the row leaves it out, nor when
//!   the row names the customer's own email as an `EMAIL` contact the list lacks;
//! - `customerGroupName` from `customerGroupId`: the group compares by id;
//! - an entry's `id`, a contact's `timestamp`, an address's `createdDate`, `addressFormatted`,
//!   `defaultAddress` and `orderBy` (which the store adds to every address): never compared;
//!   sent back as they came, so that the store keeps its entries as they are;
//! - the top-level `name` (the customer's name where `billingPerson.name` is empty), `registered`,
//!   `updated`, `stats`, `totalOrderCount`, `favorites`: read, never sent.

use serde_json::{Map, Value};

/// Fields of a list entry the store fills in itself: an undo that finds them changed has not
/// found the entry changed.
const ENTRY_BOOKKEEPING: &[&str] = &[
    "id",
    "timestamp",
    "createdDate",
    "addressFormatted",
    "firstName",
    "lastName",
];

/// Whether an entry's text field holds something: present, a string, not blank.
fn holds_text(entry: &Map<String, Value>, key: &str) -> bool {
    entry
        .get(key)
        .and_then(Value::as_str)
        .is_some_and(|text| !text.trim().is_empty())
}

/// Drops `countryName` beside a `countryCode`, and `stateOrProvinceName` beside a
/// `stateOrProvinceCode`, from an address (`billingPerson` or a shipping address) about to be
/// sent: the store names countries and states from their codes.
pub(crate) fn strip_names_beside_codes(entry: &mut Map<String, Value>) {
    if holds_text(entry, "countryCode") {
        entry.remove("countryName");
    }
    if holds_text(entry, "stateOrProvinceCode") {
        entry.remove("stateOrProvinceName");
    }
}

/// Drops `firstName` and `lastName` from an address whose `name` an update changes: the store
/// splits the new name itself, and the old parts beside it would disagree with it.
pub(crate) fn drop_split_name(entry: &mut Map<String, Value>) {
    entry.remove("firstName");
    entry.remove("lastName");
}

/// A body of the store's own values about to be sent back (an undo's restore): every address
/// with [`strip_names_beside_codes`] applied (the billing person and each shipping address), and
/// the `null` entries of its lists left out ([`drop_null_entries`]).
pub(crate) fn prepare_sent_back(body: &mut Map<String, Value>) {
    if let Some(Value::Object(person)) = body.get_mut("billingPerson") {
        strip_names_beside_codes(person);
    }
    if let Some(Value::Array(addresses)) = body.get_mut("shippingAddresses") {
        for address in addresses.iter_mut() {
            if let Value::Object(address) = address {
                strip_names_beside_codes(address);
            }
        }
    }
    for list in ["shippingAddresses", "contacts", "extrafields"] {
        if let Some(Value::Array(entries)) = body.get_mut(list) {
            drop_null_entries(entries);
        }
    }
}

/// Leaves out the `null` entries of a list about to be sent: a store that answers one holds no
/// entry there, and a `null` where an entry belongs is what a store may refuse.
pub(crate) fn drop_null_entries(entries: &mut Vec<Value>) {
    entries.retain(|entry| !entry.is_null());
}

/// Whether two of the store's values are the same as far as the customer goes: `null`, a
/// missing field and `""` are all unset; objects compare by the fields of `old` (what the store
/// fills in itself aside); lists entry by entry, `null` entries aside.
pub(crate) fn same_value(old: &Value, now: Option<&Value>) -> bool {
    let unset = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::String(text)) => text.is_empty(),
        _ => false,
    };
    match (old, now) {
        _ if unset(Some(old)) => unset(now),
        (Value::Object(old), Some(Value::Object(now))) => same_entry(old, now),
        (Value::Array(old), Some(Value::Array(now))) => {
            // A `null` entry is no entry (it is never sent back).
            let old: Vec<&Value> = old.iter().filter(|v| !v.is_null()).collect();
            let now: Vec<&Value> = now.iter().filter(|v| !v.is_null()).collect();
            old.len() == now.len() && old.iter().zip(now).all(|(o, n)| same_value(o, Some(n)))
        }
        (old, Some(now)) => old == now,
        (_, None) => false,
    }
}

/// Whether `now` holds `old`'s fields, the store's bookkeeping and the names it derives from a
/// code aside.
fn same_entry(old: &Map<String, Value>, now: &Map<String, Value>) -> bool {
    let derived = |key: &str| {
        ENTRY_BOOKKEEPING.contains(&key)
            || (key == "countryName" && holds_text(old, "countryCode"))
            || (key == "stateOrProvinceName" && holds_text(old, "stateOrProvinceCode"))
    };
    old.iter()
        .filter(|(key, _)| !derived(key))
        .all(|(key, value)| same_value(value, now.get(key)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn names_go_only_where_their_code_is() {
        let mut with = object(json!({"countryCode": "DE", "countryName": "Deutschland",
                                     "stateOrProvinceName": "Bayern", "city": "München"}));
        strip_names_beside_codes(&mut with);
        assert_eq!(
            Value::Object(with),
            json!({"countryCode": "DE", "stateOrProvinceName": "Bayern", "city": "München"})
        );
        let mut blank = object(json!({"countryCode": " ", "countryName": "Germany",
                                      "stateOrProvinceCode": "BY", "stateOrProvinceName": "Bavaria"}));
        strip_names_beside_codes(&mut blank);
        assert_eq!(
            Value::Object(blank),
            json!({"countryCode": " ", "countryName": "Germany", "stateOrProvinceCode": "BY"})
        );
    }

    #[test]
    fn a_body_sent_back_loses_names_beside_codes_and_null_entries() {
        let mut body = object(json!({
            "billingPerson": {"countryCode": "DE", "countryName": "Germany", "x": null},
            "shippingAddresses": [null, {"countryCode": "US", "countryName": "United States"}],
            "contacts": [null], "extrafields": [{"key": "a", "value": null}],
        }));
        prepare_sent_back(&mut body);
        assert_eq!(
            Value::Object(body),
            json!({
                "billingPerson": {"countryCode": "DE", "x": null},
                "shippingAddresses": [{"countryCode": "US"}],
                "contacts": [], "extrafields": [{"key": "a", "value": null}],
            })
        );
    }

    #[test]
    fn values_compare_with_unset_as_one_and_bookkeeping_aside() {
        assert!(same_value(&json!(""), None));
        assert!(same_value(&json!(null), Some(&json!(""))));
        assert!(!same_value(&json!("a"), Some(&json!(""))));
        let old = json!([{"id": 1, "contact": "+1", "timestamp": "t1", "x-app": {"a": 1}}]);
        let now = json!([{"id": 2, "contact": "+1", "timestamp": "t2", "x-app": {"a": 1}}]);
        assert!(same_value(&old, Some(&now)));
        let longer = json!([{"contact": "+1"}, {"contact": "+2"}]);
        assert!(!same_value(&old, Some(&longer)));
        let person = json!({"countryCode": "DE", "countryName": "Deutschland"});
        assert!(same_value(
            &person,
            Some(&json!({"countryCode": "DE", "countryName": "Germany"}))
        ));
    }
}
