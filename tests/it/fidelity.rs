//! `--on-existing update` and `undo` against records that hold more than the tool models:
//! fields it does not know (at the top level, in the billing person, contacts, shipping
//! addresses and extra fields) survive an update and come back exactly with `undo`; the extra
//! fields a file does not change are kept; names the store derives from codes and the
//! top-level `name` make no write.

use ecwid_import::sandbox::Sandbox;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::support::{TOKEN, Workspace, column};
use crate::undo::{undo, undo_results};

/// The record as `GET /customers/{id}` answers it, without the time of the last write.
pub(crate) async fn answered(store: &Sandbox, id: u64) -> Value {
    let url = format!("{}/1003/customers/{id}", store.api_url());
    let answer = reqwest::Client::new()
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("get");
    let mut record: Value = answer.json().await.expect("json");
    if let Value::Object(fields) = &mut record {
        fields.remove("updated");
    }
    record
}

/// A customer as a store may hold it, with fields no client of this tool knows everywhere.
fn rich(email: &str) -> Value {
    json!({
        "email": email,
        "x-loyalty-app": {"tier": "gold", "since": [2019, 4]},
        "externalReferenceId": "crm-42",
        "billingPerson": {"name": "Ann Lee", "city": "Oslo", "countryCode": "NO",
                          "x-geo": {"lat": 59.9, "lon": 10.7}},
        "shippingAddresses": [
            {"street": "1 Main St", "postalCode": "0150", "city": "Oslo", "countryCode": "NO",
             "note": "ring twice", "x-gate": "B"},
            {"street": "9 Dock Rd", "postalCode": "5003", "city": "Bergen"},
        ],
        "contacts": [{"type": "PHONE", "contact": "+47 555", "x-verified": true,
                      "handle": "ann"}],
        "extrafields": [
            {"key": "loyalty", "value": "gold", "title": "Loyalty", "type": "TEXT", "x-app": 1},
            {"key": "card", "value": "C-1", "title": "Card", "type": "TEXT"},
        ],
    })
}

/// A file that changes one field in each place the store keeps unknown fields: the billing
/// city, a shipping address's city, a contact's note and an extra field.
const CHANGES: &str = "email,billingPerson.city,shippingAddresses.0.street,\
shippingAddresses.0.postalCode,shippingAddresses.0.city,contacts.0.type,contacts.0.contact,\
contacts.0.note,extrafields.loyalty\n\
ann@example.com,Bergen,1 Main St,0150,Trondheim,PHONE,+47 555,evenings,silver\n";

/// An update keeps every field the store holds and the tool does not know; `undo --yes` gives
/// back the records exactly as they were (the time of the last write aside).
#[tokio::test]
async fn unknown_fields_survive_an_update_and_undo_restores_them_exactly() {
    let store = start(store_args()).await;
    store.define_extra_field("loyalty", "Loyalty", false);
    let id = store
        .seed_customer(rich("ann@example.com"))
        .expect("seeded");
    let before = answered(&store, id).await;
    let ws = Workspace::new(CHANGES);
    let (code, summary) = ws
        .import_summary(&store.api_url(), &["--on-existing", "update"])
        .await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(column(&ws.results(), "status"), ["updated"]);
    assert_eq!(store.stats().updates, 1);

    let after = answered(&store, id).await;
    assert_eq!(after["billingPerson"]["city"], "Bergen");
    assert_eq!(after["shippingAddresses"][0]["city"], "Trondheim");
    assert_eq!(after["contacts"][1]["note"], "evenings");
    assert_eq!(after["extrafields"][0]["value"], "silver");
    // Everything else is as it was, the unknown fields and the store's own ids included.
    for path in [
        "/x-loyalty-app",
        "/externalReferenceId",
        "/billingPerson/x-geo",
        "/billingPerson/name",
        "/shippingAddresses/0/x-gate",
        "/shippingAddresses/0/note",
        "/shippingAddresses/0/id",
        "/shippingAddresses/0/createdDate",
        "/shippingAddresses/1",
        "/contacts/0",
        "/contacts/1/x-verified",
        "/contacts/1/handle",
        "/contacts/1/id",
        "/contacts/1/timestamp",
        "/extrafields/0/x-app",
        "/extrafields/0/title",
        "/extrafields/1",
    ] {
        assert_eq!(after.pointer(path), before.pointer(path), "{path}");
        assert!(before.pointer(path).is_some(), "{path}");
    }

    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert_eq!(column(&undo_results(&ws), "status"), ["restored"]);
    assert_eq!(answered(&store, id).await, before);
    // A second undo finds the old values there and writes nothing.
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert_eq!(column(&undo_results(&ws), "status"), ["restored"]);
    assert_eq!(store.stats().updates, 2);
}

/// Two extra fields, the file changes one: both are right afterwards (the list is sent whole,
/// and the sandbox replaces it whole, as a store may); undo brings both back.
#[tokio::test]
async fn an_update_keeps_the_extra_fields_it_does_not_change() {
    let store = start(store_args()).await;
    store.define_extra_field("card", "Card", false);
    let id = store
        .seed_customer(json!({"email": "bo@example.com", "extrafields": [
            {"key": "loyalty", "value": "gold", "title": "Loyalty", "type": "TEXT"},
            {"key": "card", "value": "C-1", "title": "Card", "type": "TEXT"},
        ]}))
        .expect("seeded");
    let before = answered(&store, id).await;
    let ws = Workspace::new("email,extrafields.card\nbo@example.com,C-2\n");
    let (code, _) = ws
        .import_summary(&store.api_url(), &["--on-existing", "update"])
        .await;
    assert_eq!(code, 0);
    assert_eq!(
        answered(&store, id).await["extrafields"],
        json!([
            {"key": "loyalty", "value": "gold", "title": "Loyalty", "type": "TEXT"},
            {"key": "card", "value": "C-2", "title": "Card", "type": "TEXT"},
        ])
    );
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert_eq!(answered(&store, id).await, before);
}

/// A file that writes a country and a state by its own names beside their codes: the store
/// shows its names, and a second run of the same file sends no write, every row `unchanged`.
#[tokio::test]
async fn names_the_store_derives_make_no_perpetual_writes() {
    let store = start(store_args()).await;
    let csv = "email,name,billingPerson.countryCode,billingPerson.countryName,\
billingPerson.stateOrProvinceCode,billingPerson.stateOrProvinceName,shippingAddresses.0.street,\
shippingAddresses.0.postalCode,shippingAddresses.0.countryCode,shippingAddresses.0.countryName\n\
de@example.com,Dora Eck,DE,Deutschland,BY,Bayern,Hauptstr. 1,80331,DE,Deutschland\n\
us@example.com,Uma Sun,us,Vereinigte Staaten,NY,Staat New York,5 Pier Rd,10001,US,USA\n";
    let ws = Workspace::new(csv);
    let (code, _) = ws.import_summary(&store.api_url(), &[]).await;
    assert_eq!(code, 0);
    assert_eq!(column(&ws.results(), "status"), ["created"; 2]);
    let de = store.customers()[0].clone();
    let person = &de.body["billingPerson"];
    assert!(
        person.get("countryName").is_none(),
        "sent beside its code: {person}"
    );
    assert!(person.get("stateOrProvinceName").is_none(), "{person}");
    assert_eq!(
        answered(&store, de.id).await["billingPerson"]["countryName"],
        "Germany"
    );

    for _ in 0..2 {
        let (code, summary) = ws
            .import_summary(&store.api_url(), &["--on-existing", "update"])
            .await;
        assert_eq!(code, 0, "{summary}");
        let rows = ws.results();
        assert_eq!(column(&rows, "status"), ["unchanged"; 2], "{rows:?}");
        assert_eq!(summary["requests_by_kind"]["update"], 0, "{summary}");
    }
    assert_eq!(store.stats().updates, 0);
}

/// A customer the store holds with a top-level `name` and no billing person, and a row with that
/// very name: `unchanged`, no write; another name is a change from the top-level one.
#[tokio::test]
async fn the_top_level_name_is_the_customers_name() {
    let store = start(store_args()).await;
    store
        .seed_customer(json!({"email": "tia@example.com", "name": "Tia Top"}))
        .expect("seeded");
    let ws = Workspace::new("email,name\ntia@example.com,Tia Top\n");
    let (code, _) = ws
        .import_summary(&store.api_url(), &["--on-existing", "update"])
        .await;
    assert_eq!(code, 0);
    assert_eq!(column(&ws.results(), "status"), ["unchanged"]);
    assert_eq!(store.stats().updates, 0);

    std::fs::write(&ws.input, "email,name\ntia@example.com,Tia Berg\n").expect("rewrite");
    let (code, _) = ws
        .import_summary(&store.api_url(), &["--on-existing", "update"])
        .await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["updated"]);
    assert_eq!(
        rows[0]["error"],
        r#"billingPerson.name: "Tia Top" -> "Tia Berg""#
    );
}
