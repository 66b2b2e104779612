//! Records are read leniently: `null`s at any depth are unset, never a failure, so an update run
//! against such records reads the store by listing (no look-up per row) and finishes every row;
//! a record that truly cannot be read fails its own row only, naming the field.

use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::fidelity::answered;
use crate::support::{Workspace, column};

/// A customer with `null` where a store may leave one: top-level fields, the billing person,
/// a shipping address, a contact, and an extra field set up but never filled.
fn with_nulls(email: &str, name: &str) -> Value {
    json!({
        "email": email, "taxId": null, "lang": null, "acceptMarketing": null,
        "privateAdminNotes": null, "fiscalCode": null, "customerGroupId": null,
        "billingPerson": {"name": name, "city": null, "phone": null, "countryCode": null},
        "shippingAddresses": [{"street": "1 Main St", "postalCode": "0150", "city": null,
                               "countryName": null, "id": null}],
        "contacts": [{"type": "PHONE", "contact": "+47 555", "handle": null, "note": null,
                      "default": null, "orderBy": null}],
        "extrafields": [{"key": "loyalty", "value": null, "title": null, "type": null}],
    })
}

/// Every row of an update run against records full of `null`s is done, the store read by
/// listing alone; the values the rows do not change keep their `null`s.
#[tokio::test]
async fn records_with_nulls_are_read_by_listing_and_every_row_is_done() {
    let store = start(store_args()).await;
    store.define_extra_field("loyalty", "Loyalty", false);
    let mut ids = Vec::new();
    for (email, name) in [("n1@example.com", "Nia One"), ("n2@example.com", "Nia Two")] {
        ids.push(
            store
                .seed_customer(with_nulls(email, name))
                .expect("seeded"),
        );
    }
    let csv = "email,name,billingPerson.city,contacts.0.type,contacts.0.contact,contacts.0.note,\
extrafields.loyalty\n\
n1@example.com,Nia One,Oslo,PHONE,+47 555,evenings,gold\n\
n2@example.com,Nia Two,,,,,\n";
    let ws = Workspace::new(csv);
    let args = ["--on-existing", "update", "--snapshot", "always"];
    let (code, summary) = ws.import_summary(&store.api_url(), &args).await;
    assert_eq!(code, 0, "{summary}");
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["updated", "unchanged"],
        "{rows:?}"
    );
    let kinds = &summary["requests_by_kind"];
    assert!(kinds["list"].as_u64() >= Some(2), "{summary}");
    assert_eq!(
        (&kinds["search"], &kinds["get"]),
        (&json!(0), &json!(0)),
        "{summary}"
    );

    let one = answered(&store, ids[0]).await;
    assert_eq!(one["billingPerson"]["city"], "Oslo");
    assert_eq!(one["billingPerson"]["phone"], Value::Null);
    assert_eq!(one["contacts"][1]["note"], "evenings");
    assert_eq!(one["contacts"][1]["handle"], Value::Null);
    assert_eq!(
        one["extrafields"],
        json!([{"key": "loyalty", "value": "gold", "title": null, "type": null}])
    );
    assert_eq!(one["taxId"], Value::Null);
}

/// A record whose field cannot be read as that field fails its own row, naming the field; the
/// store is still read by listing and the other rows go on.
#[tokio::test]
async fn a_record_that_cannot_be_read_fails_its_own_row_only() {
    let store = start(store_args()).await;
    store
        .seed_customer(json!({"email": "bad@example.com", "contacts": 5}))
        .expect("seeded");
    store
        .seed_customer(with_nulls("good@example.com", "Gus Good"))
        .expect("seeded");
    let csv =
        "email,name\nbad@example.com,Bea Bad\ngood@example.com,Gus Gooder\nnew@example.com,Ned\n";
    let ws = Workspace::new(csv);
    let args = ["--on-existing", "update", "--snapshot", "always"];
    let (code, summary) = ws.import_summary(&store.api_url(), &args).await;
    assert_eq!(code, 1, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed", "updated", "created"]);
    let error = &rows[0]["error"];
    assert!(
        error.contains("cannot be read")
            && error.contains("contacts: a list was expected, found 5"),
        "{error}"
    );
    assert_eq!(summary["requests_by_kind"]["search"], 0, "{summary}");
    assert_eq!(store.stats().updates, 1);
    // With `skip`, the customer exists: nothing of its record is needed.
    let (code, _) = ws
        .import_summary(&store.api_url(), &["--snapshot", "always"])
        .await;
    assert_eq!(code, 0);
    assert_eq!(column(&ws.results(), "status"), ["exists"; 3]);
}
