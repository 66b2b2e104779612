//! The sandbox holds a customer as its writes sent it and answers as a store does: fields the
//! client does not know kept, lists replaced whole by a `PUT`, places named from their codes,
//! consent left unset when not sent, stable ids and creation times for contacts and addresses,
//! records with `null`s returned as they are, and the listing's filters honoured or refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use ecwid_import::sandbox::SandboxArgs;

use super::{Fixture, error_code, start, start_default};

async fn created(f: &Fixture, body: Value) -> u64 {
    let (status, answer) = f.post("/customers", body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer["id"].as_u64().expect("an id")
}

async fn record(f: &Fixture, id: u64) -> Value {
    let (status, record) = f.get(&format!("/customers/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{record}");
    record
}

/// Fields the client does not know, at the top level and inside entries, are stored and
/// answered as they were sent; the inspection shows the body as sent.
#[tokio::test]
async fn fields_the_client_does_not_know_are_kept() {
    let f = start_default().await;
    let id = created(
        &f,
        json!({
            "email": "ann@example.com", "x-top": {"a": [1, null]},
            "billingPerson": {"name": "Ann Lee", "x-app": true},
            "shippingAddresses": [{"street": "1 Main St", "x-gate": "B"}],
            "contacts": [{"type": "PHONE", "contact": "+1 555", "x-app": 7}],
            "extrafields": [{"key": "loyalty", "value": "gold", "x-app": "y"}],
        }),
    )
    .await;
    let answer = record(&f, id).await;
    assert_eq!(answer["x-top"], json!({"a": [1, null]}));
    assert_eq!(answer["billingPerson"]["x-app"], true);
    assert_eq!(answer["shippingAddresses"][0]["x-gate"], "B");
    assert_eq!(answer["contacts"][1]["x-app"], 7);
    assert_eq!(answer["extrafields"][0]["x-app"], "y");
    let stored = f.stored().await;
    assert_eq!(stored[0].body["x-top"], json!({"a": [1, null]}));
    assert!(stored[0].body.get("id").is_none());
}

/// A `PUT` replaces each field it sends whole (a list loses the entries, and an entry the
/// fields, it does not send again) and keeps the fields it does not send.
#[tokio::test]
async fn an_update_replaces_what_it_sends_whole() {
    let f = start_default().await;
    let id = created(
        &f,
        json!({
            "email": "ann@example.com", "x-top": 1, "taxId": "DE1",
            "contacts": [{"type": "PHONE", "contact": "+1", "note": "work", "x-app": 1},
                         {"type": "PHONE", "contact": "+2"}],
            "extrafields": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}],
        }),
    )
    .await;
    let (status, answer) = f
        .put(
            &format!("/customers/{id}"),
            json!({"contacts": [{"type": "PHONE", "contact": "+1"}],
                   "extrafields": [{"key": "a", "value": "3"}]}),
        )
        .await;
    assert_eq!(
        (status, answer),
        (StatusCode::OK, json!({"updateCount": 1}))
    );
    let answer = record(&f, id).await;
    let contacts = answer["contacts"].as_array().expect("contacts");
    assert_eq!(contacts.len(), 2, "the made EMAIL contact and +1: {answer}");
    assert_eq!(contacts[1]["contact"], "+1");
    assert!(contacts[1].get("note").is_none() && contacts[1].get("x-app").is_none());
    assert_eq!(answer["extrafields"], json!([{"key": "a", "value": "3"}]));
    assert_eq!(
        (&answer["x-top"], &answer["taxId"]),
        (&json!(1), &json!("DE1"))
    );
    assert_eq!(f.stats().await.updates, 1);
}

/// The store names countries and states from their codes, in its own English names, over
/// whatever name was sent beside them.
#[tokio::test]
async fn places_are_named_by_the_store() {
    let f = start_default().await;
    let id = created(
        &f,
        json!({
            "email": "ann@example.com",
            "billingPerson": {"countryCode": "DE", "countryName": "Deutschland",
                              "stateOrProvinceCode": "BY", "stateOrProvinceName": "Bayern"},
            "shippingAddresses": [{"countryCode": "US", "stateOrProvinceCode": "NY",
                                   "street": "5 Pier Rd", "city": "New York"}],
        }),
    )
    .await;
    let answer = record(&f, id).await;
    assert_eq!(answer["billingPerson"]["countryName"], "Germany");
    assert_eq!(answer["billingPerson"]["stateOrProvinceName"], "Bavaria");
    let address = &answer["shippingAddresses"][0];
    assert_eq!(address["countryName"], "United States");
    assert_eq!(address["stateOrProvinceName"], "New York");
    assert_eq!(
        address["addressFormatted"],
        "5 Pier Rd, New York, New York, United States"
    );
}

/// A customer created without `acceptMarketing` is answered `null` (unset, as a store leaves
/// it); one created with it, as sent.
#[tokio::test]
async fn consent_not_sent_is_unset() {
    let f = start_default().await;
    let unset = created(&f, json!({"email": "a@example.com"})).await;
    let refused = created(
        &f,
        json!({"email": "b@example.com", "acceptMarketing": false}),
    )
    .await;
    assert_eq!(record(&f, unset).await["acceptMarketing"], Value::Null);
    assert_eq!(record(&f, refused).await["acceptMarketing"], false);
}

/// Contacts and shipping addresses have ids and creation times of the store's making: an entry
/// sent back with its id keeps both (an update does not touch its `timestamp`), one sent
/// without an id is new.
#[tokio::test]
async fn entries_keep_their_ids_and_creation_times() {
    let f = start_default().await;
    let id = created(
        &f,
        json!({
            "email": "ann@example.com",
            "contacts": [{"type": "PHONE", "contact": "+1"}],
            "shippingAddresses": [{"street": "1 Main St", "city": "Oslo"}],
        }),
    )
    .await;
    // An hour ago, so that an update now shows another time than the creation.
    f.sandbox.backdate(3_600);
    let first = record(&f, id).await;
    let (contacts, addresses) = (&first["contacts"], &first["shippingAddresses"]);
    assert!(contacts[1]["id"].is_u64() && contacts[1]["timestamp"].is_string());
    assert!(addresses[0]["id"].is_u64(), "{addresses}");
    assert_eq!(addresses[0]["createdDate"], first["registered"]);
    assert_eq!(addresses[0]["defaultAddress"], true);
    assert_eq!(addresses[0]["orderBy"], 0);
    // Sent back as they came, the made EMAIL contact included, with one new entry each.
    let mut new_contacts = contacts.as_array().cloned().unwrap_or_default();
    new_contacts.push(json!({"type": "PHONE", "contact": "+2"}));
    let mut new_addresses = addresses.as_array().cloned().unwrap_or_default();
    new_addresses.push(json!({"street": "2 Side St"}));
    let body = json!({"contacts": new_contacts, "shippingAddresses": new_addresses});
    assert_eq!(
        f.put(&format!("/customers/{id}"), body).await.0,
        StatusCode::OK
    );
    let second = record(&f, id).await;
    assert_ne!(second["updated"], first["updated"]);
    for (list, at) in [("contacts", 0), ("contacts", 1), ("shippingAddresses", 0)] {
        assert_eq!(second[list][at], first[list][at], "{list}.{at}");
    }
    let added = &second["contacts"][2];
    assert!(added["id"].is_u64() && added["id"] != first["contacts"][1]["id"]);
    assert_eq!(added["timestamp"], second["updated"]);
    assert_ne!(
        second["shippingAddresses"][1]["id"],
        first["shippingAddresses"][0]["id"]
    );
}

/// A record seeded with `null`s at every depth is answered with them, as a store may hold it.
#[tokio::test]
async fn seeded_records_keep_their_nulls() {
    let f = start_default().await;
    let id = f
        .sandbox
        .seed_customer(json!({
            "email": "nulls@example.com", "taxId": null, "acceptMarketing": null, "lang": null,
            "billingPerson": {"name": "Nia Null", "city": null},
            "contacts": [{"type": "PHONE", "contact": "+1", "note": null, "default": null}],
            "extrafields": [{"key": "loyalty", "value": null, "title": null, "type": null}],
        }))
        .expect("seeded");
    let answer = record(&f, id).await;
    assert_eq!(
        (&answer["taxId"], &answer["lang"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(answer["billingPerson"]["city"], Value::Null);
    assert_eq!(answer["contacts"][1]["note"], Value::Null);
    assert_eq!(answer["contacts"][1]["default"], Value::Null);
    assert_eq!(answer["extrafields"][0]["value"], Value::Null);
    assert!(
        f.sandbox
            .seed_customer(json!({"email": "NULLS@example.com"}))
            .is_err()
    );
    assert!(f.sandbox.seed_customer(json!([1])).is_err());
}

/// The listing honours `email` (exact or in part) and `customerGroupIds`, and refuses a group
/// id it cannot read.
#[tokio::test]
async fn the_listing_filters_by_email_and_group() {
    let f = start_default().await;
    created(
        &f,
        json!({"email": "ann@example.com", "customerGroupId": 9_367_001}),
    )
    .await;
    created(
        &f,
        json!({"email": "annie@example.com", "customerGroupId": 9_367_002}),
    )
    .await;
    created(&f, json!({"email": "bo@example.com"})).await;
    let emails = |body: &Value| -> Vec<String> {
        let items = body["items"].as_array().cloned().unwrap_or_default();
        items
            .iter()
            .map(|c| c["email"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    for (query, expected) in [
        (
            "email=ANN@example.com&useExactEmailMatch=true",
            vec!["ann@example.com"],
        ),
        ("email=ann", vec!["ann@example.com", "annie@example.com"]),
        ("customerGroupIds=9367001", vec!["ann@example.com"]),
        (
            "customerGroupIds=0,%209367002",
            vec!["annie@example.com", "bo@example.com"],
        ),
        ("customerGroupIds=0&email=ann", vec![]),
    ] {
        let (status, body) = f.get(&format!("/customers?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(emails(&body), expected, "{query}");
        assert_eq!(body["total"], expected.len(), "{query}");
    }
    for bad in [
        "customerGroupIds=vip",
        "customerGroupIds=1,,2",
        "useExactEmailMatch=maybe",
    ] {
        let (status, body) = f.get(&format!("/customers?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(error_code(&body), "WRONG_PARAMETER", "{bad}");
    }
}

/// `--drop-fields`: a create and an update that send a dropped field are answered as usual,
/// the store keeps everything else they send, and the dropped field keeps what it held before
/// (nothing, here); a field not named is kept.
#[tokio::test]
async fn dropped_fields_are_answered_as_written_but_not_kept() {
    let f = start(SandboxArgs {
        drop_fields: vec!["fiscalCode".into(), " electronicInvoiceSdiCode ".into()],
        ..SandboxArgs::default()
    })
    .await;
    let id = created(
        &f,
        json!({"email": "ann@example.com", "fiscalCode": "RSSMRA80A01H501U",
               "electronicInvoiceSdiCode": "ABC1234", "taxId": "IT1"}),
    )
    .await;
    let answer = record(&f, id).await;
    assert_eq!(answer["fiscalCode"], "");
    assert_eq!(answer["electronicInvoiceSdiCode"], "");
    assert_eq!(answer["taxId"], "IT1");
    let (status, answer) = f
        .put(
            &format!("/customers/{id}"),
            json!({"fiscalCode": "RSSMRA80A01H501U", "electronicInvoicePecEmail": "a@pec.it",
                   "lang": "fr"}),
        )
        .await;
    assert_eq!(
        (status, answer),
        (StatusCode::OK, json!({"updateCount": 1}))
    );
    let answer = record(&f, id).await;
    assert_eq!(answer["fiscalCode"], "");
    assert_eq!(answer["electronicInvoicePecEmail"], "a@pec.it");
    assert_eq!(answer["lang"], "fr");
    assert!(f.stored().await[0].body.get("fiscalCode").is_none());
}
