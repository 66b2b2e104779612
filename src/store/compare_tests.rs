use serde_json::{Value, json};

use super::*;

fn row(body: Value) -> CustomerRequest {
    serde_json::from_value(body).expect("a request")
}

/// A record as the store shows one: empty strings for unset text, the `EMAIL` contact it made
/// from the email, ids and timestamps.
fn record(extra: Value) -> CustomerRecord {
    let mut base = json!({
        "id": 7, "name": "Ann Lee", "email": "ann@example.com",
        "registered": "2021-12-21 06:05:58 +0000", "updated": "2024-06-04 21:15:10 +0000",
        "customerGroupId": 0, "customerGroupName": "General",
        "billingPerson": {"name": "Ann Lee", "firstName": "Ann", "lastName": "Lee",
                          "city": "Oslo", "countryCode": "NO"},
        "shippingAddresses": [{"id": 11, "street": "1 Main St", "postalCode": "0150",
                               "city": "Oslo", "countryCode": "NO"}],
        "contacts": [
            {"id": 7000, "contact": "ann@example.com", "type": "EMAIL", "default": true,
             "orderBy": 0, "timestamp": "2024-06-04 21:15:10 +0000"},
            {"id": 7001, "contact": "+47 555", "type": "PHONE", "default": false,
             "orderBy": 1, "timestamp": "2024-06-04 21:15:10 +0000"},
        ],
        "taxExempt": false, "taxId": "", "taxIdValid": true, "b2b_b2c": "b2c",
        "fiscalCode": "", "electronicInvoicePecEmail": "", "electronicInvoiceSdiCode": "",
        "acceptMarketing": false, "lang": "en", "privateAdminNotes": "", "favorites": [],
    });
    if let (Value::Object(fields), Value::Object(more)) = (&mut base, extra) {
        fields.extend(more);
    }
    serde_json::from_value(base).expect("a record")
}

/// The `PUT` body, as JSON.
fn sent(diff: &Diff) -> Value {
    Value::Object(diff.update.clone())
}

fn texts(diff: &Diff) -> Vec<String> {
    diff.changes.iter().map(ToString::to_string).collect()
}

#[test]
fn the_same_values_are_no_change() {
    let same = row(json!({
        "email": "ann@example.com", "billingPerson": {"name": "Ann Lee", "city": "Oslo"},
        "taxExempt": false, "lang": "en", "b2b_b2c": "b2c", "customerGroupId": 0,
    }));
    let diff = compare(&same, &record(json!({})));
    assert!(diff.is_empty(), "{:?}", texts(&diff));
    assert!(diff.update.is_empty());
}

#[test]
fn a_blank_or_absent_cell_never_clears_a_field() {
    let blank = row(json!({
        "email": "ann@example.com", "billingPerson": {"city": "  "}, "taxId": "",
        "privateAdminNotes": " ",
    }));
    let store = record(json!({"taxId": "NO123", "privateAdminNotes": "keep"}));
    let diff = compare(&blank, &store);
    assert!(diff.is_empty(), "{:?}", texts(&diff));
}

#[test]
fn the_password_and_the_email_are_never_compared() {
    let with = row(json!({"email": "ANN@example.com", "password": "new secret"}));
    let diff = compare(&with, &record(json!({})));
    assert!(diff.is_empty(), "{:?}", texts(&diff));
    assert!(diff.update.is_empty());
}

#[test]
fn text_fields_take_the_stores_empty_string_as_unset() {
    let with = row(json!({"taxId": "NO123", "fiscalCode": "RSSMRA", "lang": "fr"}));
    let diff = compare(&with, &record(json!({"fiscalCode": null})));
    assert_eq!(
        texts(&diff),
        [
            r#"taxId: "" -> "NO123""#,
            r#"fiscalCode: "" -> "RSSMRA""#,
            r#"lang: "en" -> "fr""#,
        ]
    );
    assert_eq!(
        sent(&diff),
        json!({"taxId": "NO123", "fiscalCode": "RSSMRA", "lang": "fr"})
    );
}

#[test]
fn booleans_compare_by_value_and_absence_is_a_difference() {
    let with = row(json!({"taxExempt": true, "acceptMarketing": false, "taxIdValid": true}));
    let diff = compare(&with, &record(json!({"taxIdValid": null})));
    assert_eq!(
        texts(&diff),
        [
            r#"taxIdValid: "" -> "true""#,
            r#"taxExempt: "false" -> "true""#
        ]
    );
    assert_eq!(sent(&diff), json!({"taxIdValid": true, "taxExempt": true}));
}

#[test]
fn the_group_compares_by_id_not_by_the_stores_name() {
    let vip = row(json!({"customerGroupId": 9_367_001}));
    let store = record(json!({"customerGroupId": 9_367_001, "customerGroupName": "Wholesale"}));
    assert!(compare(&vip, &store).is_empty());
    let diff = compare(&vip, &record(json!({})));
    assert_eq!(texts(&diff), [r#"customerGroupId: "0" -> "9367001""#]);
    assert_eq!(sent(&diff), json!({"customerGroupId": 9_367_001}));
}

#[test]
fn country_codes_compare_in_any_case() {
    let upper = row(json!({"billingPerson": {"countryCode": "NO"},
                           "shippingAddresses": [{"street": "1 Main St", "postalCode": "0150",
                                                  "countryCode": "NO"}]}));
    let store = record(json!({
        "billingPerson": {"countryCode": "no"},
        "shippingAddresses": [{"street": "1 Main St", "postalCode": "0150", "countryCode": "no"}],
    }));
    assert!(compare(&upper, &store).is_empty());
    let other = row(json!({"billingPerson": {"countryCode": "SE"}}));
    assert_eq!(
        texts(&compare(&other, &store)),
        [r#"billingPerson.countryCode: "no" -> "SE""#]
    );
}

#[test]
fn the_billing_person_sent_keeps_the_stores_other_fields() {
    let moved = row(json!({"billingPerson": {"city": "Bergen"}}));
    let diff = compare(&moved, &record(json!({})));
    assert_eq!(texts(&diff), [r#"billingPerson.city: "Oslo" -> "Bergen""#]);
    assert_eq!(
        sent(&diff),
        json!({"billingPerson": {"name": "Ann Lee", "firstName": "Ann", "lastName": "Lee",
                                 "city": "Bergen", "countryCode": "NO"}})
    );
}

#[test]
fn the_stores_own_email_contact_is_no_difference() {
    // The row names only the phone the store has; the store's extra EMAIL contact, its ids,
    // timestamps and positions are not differences.
    let phone = row(json!({"contacts": [{"type": "PHONE", "contact": "+47 555"}]}));
    assert!(compare(&phone, &record(json!({}))).is_empty());
    // An EMAIL contact of the row matches the store's in any case.
    let email = row(json!({"contacts": [{"type": "email", "contact": "ANN@example.com"}]}));
    assert!(compare(&email, &record(json!({}))).is_empty());
}

#[test]
fn contacts_match_by_type_and_value() {
    let store = record(json!({}));
    // Same value, another type: a new contact. A phone in another case is another value.
    let other_type = row(json!({"contacts": [{"type": "WHATSAPP", "contact": "+47 555"}]}));
    assert_eq!(
        texts(&compare(&other_type, &store)),
        [r#"contacts.2: "" -> "WHATSAPP +47 555""#]
    );
    // Same type and value, a note added: that entry changes, in place.
    let noted = row(json!({"contacts": [{"type": "PHONE", "contact": "+47 555", "note": "work"}]}));
    let diff = compare(&noted, &store);
    assert_eq!(texts(&diff), [r#"contacts.1.note: "" -> "work""#]);
    let body = sent(&diff);
    let contacts = body["contacts"].as_array().expect("contacts sent");
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[1]["note"], "work");
    assert_eq!(contacts[1]["orderBy"], 1);
}

#[test]
fn lists_sent_are_merged_never_replaced() {
    let more = row(json!({
        "contacts": [{"type": "PHONE", "contact": "+47 999"}],
        "shippingAddresses": [{"street": "2 Side St", "postalCode": "5003", "city": "Bergen"}],
    }));
    let diff = compare(&more, &record(json!({})));
    let body = sent(&diff);
    let values = |list: &str, field: &str| -> Vec<Value> {
        let entries = body[list].as_array().cloned().unwrap_or_default();
        entries.iter().map(|e| e[field].clone()).collect()
    };
    assert_eq!(
        values("contacts", "contact"),
        [json!("ann@example.com"), json!("+47 555"), json!("+47 999")]
    );
    assert_eq!(
        values("shippingAddresses", "street"),
        [json!("1 Main St"), json!("2 Side St")]
    );
    assert_eq!(
        texts(&diff),
        [
            r#"shippingAddresses.1: "" -> "2 Side St, Bergen, 5003""#,
            r#"contacts.2: "" -> "PHONE +47 999""#,
        ]
    );
}

#[test]
fn addresses_match_by_street_and_postal_code() {
    let store = record(json!({}));
    // Same street and postal code (spaces and case aside), a new city: changed in place.
    let same_place = row(json!({"shippingAddresses": [
        {"street": " 1 MAIN  st", "postalCode": "0150", "city": "Oslo", "phone": "+47 1"},
    ]}));
    let diff = compare(&same_place, &store);
    assert_eq!(
        texts(&diff),
        [
            r#"shippingAddresses.0.street: "1 Main St" -> " 1 MAIN  st""#,
            r#"shippingAddresses.0.phone: "" -> "+47 1""#,
        ]
    );
    assert_eq!(
        sent(&diff)["shippingAddresses"].as_array().map(Vec::len),
        Some(1)
    );
    // Same street, another postal code: another address, added.
    let elsewhere =
        row(json!({"shippingAddresses": [{"street": "1 Main St", "postalCode": "0151"}]}));
    let diff = compare(&elsewhere, &store);
    assert_eq!(
        sent(&diff)["shippingAddresses"].as_array().map(Vec::len),
        Some(2)
    );
    // The same address with no other field set: nothing to send.
    let same = row(json!({"shippingAddresses": [{"street": "1 Main St", "postalCode": "0150"}]}));
    assert!(compare(&same, &store).is_empty());
}

/// Extra fields compare by key; when one differs, the whole list is sent: the store's entries
/// as they came (title, type, a never-filled `null` value), the row's values over them, the
/// row's new keys after them.
#[test]
fn extra_fields_compare_by_key_and_the_whole_list_is_sent() {
    let store = record(json!({"extrafields": [
        {"key": "loyalty", "value": "gold", "title": "Loyalty", "type": "TEXT"},
        {"key": "card", "value": null, "title": "Card", "type": "TEXT"},
    ]}));
    let same = row(json!({"extrafields": [{"key": "loyalty", "value": "gold"}]}));
    assert!(compare(&same, &store).is_empty());
    let with = row(json!({"extrafields": [
        {"key": "loyalty", "value": "silver"}, {"key": "since", "value": "2020"},
    ]}));
    let diff = compare(&with, &store);
    assert_eq!(
        texts(&diff),
        [
            r#"extrafields.loyalty: "gold" -> "silver""#,
            r#"extrafields.since: "" -> "2020""#
        ]
    );
    assert_eq!(
        sent(&diff),
        json!({"extrafields": [
            {"key": "loyalty", "value": "silver", "title": "Loyalty", "type": "TEXT"},
            {"key": "card", "value": null, "title": "Card", "type": "TEXT"},
            {"key": "since", "value": "2020"},
        ]})
    );
}

#[test]
fn a_record_with_nothing_set_takes_every_row_field_as_new() {
    let store = CustomerRecord {
        id: Some(1),
        ..CustomerRecord::default()
    };
    let with = row(
        json!({"email": "a@example.com", "billingPerson": {"name": "A"},
                          "contacts": [{"type": "PHONE", "contact": "1"}]}),
    );
    let diff = compare(&with, &store);
    assert_eq!(
        texts(&diff),
        [
            r#"billingPerson.name: "" -> "A""#,
            r#"contacts.0: "" -> "PHONE 1""#
        ]
    );
    assert_eq!(diff.describe(), texts(&diff).join("; "));
}

/// The store's entries go back with their ids, so that a `PUT` of the merged lists keeps them as
/// the store has them; a new entry from the row has none.
#[test]
fn merged_lists_keep_the_stores_ids() {
    let more = row(json!({
        "email": "ann@example.com",
        "contacts": [{"type": "WHATSAPP", "contact": "+47 999"}],
        "shippingAddresses": [{"street": "1 Main St", "postalCode": "0150", "city": "Bergen"}],
    }));
    let diff = compare(&more, &record(json!({})));
    let body = sent(&diff);
    let ids: Vec<Value> = body["contacts"]
        .as_array()
        .expect("contacts sent")
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert_eq!(ids, [json!(7000), json!(7001), Value::Null]);
    assert_eq!(body["shippingAddresses"][0]["id"], 11);
    assert_eq!(body["shippingAddresses"][0]["city"], "Bergen");
}

/// Entries sent back carry every field the store gave them, known to the tool or not, `null`s
/// included; only the row's changed fields are laid over them.
#[test]
fn entries_go_back_with_every_field_the_store_gave_them() {
    let store = record(json!({
        "billingPerson": {"name": "Ann Lee", "city": "Oslo", "x-app": {"tier": 2}, "phone": null},
        "shippingAddresses": [{"id": 11, "street": "1 Main St", "postalCode": "0150",
                               "addressFormatted": "1 Main St, 0150", "note": "gate",
                               "x-app": [1, 2], "createdDate": "2024-01-01 00:00:00 +0000"}],
        "contacts": [{"id": 7001, "contact": "+47 555", "type": "PHONE", "x-app": "kept",
                      "timestamp": "2024-06-04 21:15:10 +0000", "handle": null}],
    }));
    let more = row(json!({
        "billingPerson": {"city": "Bergen"},
        "shippingAddresses": [{"street": "1 Main St", "postalCode": "0150", "city": "Oslo"}],
        "contacts": [{"type": "PHONE", "contact": "+47 555", "note": "work"}],
    }));
    let body = sent(&compare(&more, &store));
    assert_eq!(
        body["billingPerson"],
        json!({"name": "Ann Lee", "city": "Bergen", "x-app": {"tier": 2}, "phone": null})
    );
    assert_eq!(
        body["shippingAddresses"],
        json!([{"id": 11, "street": "1 Main St", "postalCode": "0150", "city": "Oslo",
                "addressFormatted": "1 Main St, 0150", "note": "gate", "x-app": [1, 2],
                "createdDate": "2024-01-01 00:00:00 +0000"}])
    );
    assert_eq!(
        body["contacts"],
        json!([{"id": 7001, "contact": "+47 555", "type": "PHONE", "x-app": "kept",
                "timestamp": "2024-06-04 21:15:10 +0000", "handle": null, "note": "work"}])
    );
}

/// A country's or state's name is no difference where its code is known (the store names
/// places itself), and is not sent beside a code.
#[test]
fn names_the_store_derives_are_no_difference_and_not_sent() {
    let store = record(json!({
        "billingPerson": {"name": "Ann Lee", "countryCode": "DE", "countryName": "Germany",
                          "stateOrProvinceCode": "BY", "stateOrProvinceName": "Bavaria"},
    }));
    let german = row(json!({"billingPerson": {
        "countryCode": "DE", "countryName": "Deutschland",
        "stateOrProvinceCode": "BY", "stateOrProvinceName": "Bayern"}}));
    assert!(compare(&german, &store).is_empty());
    // The name alone, beside the store's code: still the store's to name.
    let named = row(json!({"billingPerson": {"countryName": "Deutschland"}}));
    assert!(compare(&named, &store).is_empty());
    // Without a code on either side, a name is a name.
    let bare = record(json!({"billingPerson": {"name": "Ann Lee", "countryName": "Germany"}}));
    assert_eq!(
        texts(&compare(&named, &bare)),
        [r#"billingPerson.countryName: "Germany" -> "Deutschland""#]
    );
    // Sent: the store's object, the names beside codes left out.
    let moved = row(json!({"billingPerson": {"city": "Nürnberg"}}));
    assert_eq!(
        sent(&compare(&moved, &store)),
        json!({"billingPerson": {"name": "Ann Lee", "countryCode": "DE",
                                 "stateOrProvinceCode": "BY", "city": "Nürnberg"}})
    );
}

/// A new name drops the store's split of the old one, which the store makes again.
#[test]
fn a_changed_name_is_sent_without_the_old_split() {
    let renamed = row(json!({"billingPerson": {"name": "Ann Berg"}}));
    assert_eq!(
        sent(&compare(&renamed, &record(json!({})))),
        json!({"billingPerson": {"name": "Ann Berg", "city": "Oslo", "countryCode": "NO"}})
    );
}

/// The top-level `name` is the customer's name where the billing person has none: the same
/// name is no change, and a billing person sent keeps it.
#[test]
fn the_top_level_name_stands_in_for_a_missing_billing_name() {
    let store = record(json!({"name": "Ann Lee", "billingPerson": null}));
    let same = row(json!({"billingPerson": {"name": "Ann Lee"}}));
    assert!(compare(&same, &store).is_empty());
    let other = row(json!({"billingPerson": {"name": "Ann Berg"}}));
    assert_eq!(
        texts(&compare(&other, &store)),
        [r#"billingPerson.name: "Ann Lee" -> "Ann Berg""#]
    );
    let city = row(json!({"billingPerson": {"city": "Oslo"}}));
    assert_eq!(
        sent(&compare(&city, &store)),
        json!({"billingPerson": {"city": "Oslo", "name": "Ann Lee"}})
    );
}

/// An `EMAIL` contact of the customer's own email is the one the store makes: never new, even
/// where the store's list does not show it.
#[test]
fn the_own_email_as_a_contact_is_never_new() {
    let store = record(json!({"contacts": []}));
    let own = row(json!({"contacts": [{"type": "EMAIL", "contact": "Ann@Example.com"}]}));
    assert!(compare(&own, &store).is_empty());
}

/// A `null` entry of the store's list is no entry: left out of the list sent back.
#[test]
fn null_entries_are_not_sent_back() {
    let store = record(json!({"contacts": [null, {"id": 7001, "contact": "+47 555",
                                                  "type": "PHONE"}]}));
    let noted = row(json!({"contacts": [{"type": "PHONE", "contact": "+47 555", "note": "x"}]}));
    let diff = compare(&noted, &store);
    assert_eq!(texts(&diff), [r#"contacts.1.note: "" -> "x""#]);
    assert_eq!(
        sent(&diff)["contacts"],
        json!([{"id": 7001, "contact": "+47 555", "type": "PHONE", "note": "x"}])
    );
}
