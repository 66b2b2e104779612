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
    assert_eq!(diff.update, CustomerRequest::default());
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
    assert_eq!(diff.update.password, None);
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
    let sent = serde_json::to_value(&diff.update).expect("serializes");
    assert_eq!(
        sent,
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
    let sent = serde_json::to_value(&diff.update).expect("serializes");
    assert_eq!(sent, json!({"taxIdValid": true, "taxExempt": true}));
}

#[test]
fn the_group_compares_by_id_not_by_the_stores_name() {
    let vip = row(json!({"customerGroupId": 9_367_001}));
    let store = record(json!({"customerGroupId": 9_367_001, "customerGroupName": "Wholesale"}));
    assert!(compare(&vip, &store).is_empty());
    let diff = compare(&vip, &record(json!({})));
    assert_eq!(texts(&diff), [r#"customerGroupId: "0" -> "9367001""#]);
    assert_eq!(diff.update.customer_group_id, Some(9_367_001));
    assert_eq!(diff.update.customer_group_name, None);
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
    let sent = serde_json::to_value(&diff.update).expect("serializes");
    assert_eq!(
        sent,
        json!({"billingPerson": {"name": "Ann Lee", "city": "Bergen", "countryCode": "NO"}})
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
    let sent = diff.update.contacts.expect("contacts sent");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].note.as_deref(), Some("work"));
    assert_eq!(sent[1].order_by, Some(1));
}

#[test]
fn lists_sent_are_merged_never_replaced() {
    let more = row(json!({
        "contacts": [{"type": "PHONE", "contact": "+47 999"}],
        "shippingAddresses": [{"street": "2 Side St", "postalCode": "5003", "city": "Bergen"}],
    }));
    let diff = compare(&more, &record(json!({})));
    let contacts = diff.update.contacts.clone().expect("contacts sent");
    let values: Vec<_> = contacts
        .iter()
        .map(|c| c.contact.clone().unwrap_or_default())
        .collect();
    assert_eq!(values, ["ann@example.com", "+47 555", "+47 999"]);
    let addresses = diff
        .update
        .shipping_addresses
        .clone()
        .expect("addresses sent");
    let streets: Vec<_> = addresses
        .iter()
        .map(|a| a.street.clone().unwrap_or_default())
        .collect();
    assert_eq!(streets, ["1 Main St", "2 Side St"]);
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
    assert_eq!(diff.update.shipping_addresses.map(|a| a.len()), Some(1));
    // Same street, another postal code: another address, added.
    let elsewhere =
        row(json!({"shippingAddresses": [{"street": "1 Main St", "postalCode": "0151"}]}));
    let diff = compare(&elsewhere, &store);
    assert_eq!(diff.update.shipping_addresses.map(|a| a.len()), Some(2));
    // The same address with no other field set: nothing to send.
    let same = row(json!({"shippingAddresses": [{"street": "1 Main St", "postalCode": "0150"}]}));
    assert!(compare(&same, &store).is_empty());
}

#[test]
fn extra_fields_compare_by_key_and_only_differing_ones_are_sent() {
    let store = record(json!({"extrafields": [{"key": "loyalty", "value": "gold"}]}));
    let with = row(json!({"extrafields": [
        {"key": "loyalty", "value": "gold"}, {"key": "since", "value": "2020"},
    ]}));
    let diff = compare(&with, &store);
    assert_eq!(texts(&diff), [r#"extrafields.since: "" -> "2020""#]);
    let sent = serde_json::to_value(&diff.update).expect("serializes");
    assert_eq!(
        sent,
        json!({"extrafields": [{"key": "since", "value": "2020"}]})
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
    let body = serde_json::to_value(&diff.update).expect("json");
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
