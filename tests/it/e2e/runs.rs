//! Whole runs: the shipped sample as written, a refused token, and re-runs that find what the
//! first run created.

use ecwid_import::sandbox::SandboxArgs;
use serde_json::json;

use super::*;
use crate::support::{Workspace, column, emails_csv, numbered};

/// The shipped sample: 22 created, 2 invalid, 1 duplicate, and the store holds the rows as written.
#[tokio::test]
async fn sample_file_lands_in_the_store_as_written() {
    let store = start(store_args()).await;
    let csv = std::fs::read_to_string(sample_path()).expect("sample readable");
    let ws = Workspace::new(&csv);
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 1);

    let rows = ws.results();
    assert_eq!(rows.len(), 25);
    let count = |s: &str| rows.iter().filter(|r| r["status"] == s).count();
    assert_eq!(
        (count("created"), count("invalid"), count("duplicate")),
        (22, 2, 1)
    );
    let created: Vec<String> = rows
        .iter()
        .filter(|r| r["status"] == "created")
        .map(|r| r["email"].clone())
        .collect();
    assert_holds_each_once(&store, &created);
    assert_all_created_with_store_ids_of(&rows, &store);
    assert_eq!(store.stats().creates, 22);
    assert_eq!(store.stats().duplicate_creates, 0);

    let rich = store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some("orders@northwind-traders.example.com"))
        .expect("the rich row is stored");
    let stored = serde_json::to_value(&rich.customer).expect("serializes");
    assert_eq!(
        stored["billingPerson"],
        json!({
            "name": "Andrew Fuller",
            "companyName": "Northwind Traders Ltd",
            "street": "221 Industrial Way\nUnit 4",
            "city": "Seattle",
            "countryCode": "US",
            "postalCode": "98104",
            "stateOrProvinceCode": "WA",
            "phone": "+1 206 555 0100"
        })
    );
    assert_eq!(
        stored["shippingAddresses"],
        json!([{
            "name": "Receiving Dock",
            "street": "221 Industrial Way\nDock B",
            "city": "Seattle",
            "countryCode": "US",
            "postalCode": "98104"
        }])
    );
    assert_eq!(
        stored["contacts"],
        json!([{
            "type": "EMAIL",
            "contact": "billing@northwind-traders.example.com",
            "default": true
        }])
    );
    assert_eq!(stored["customerGroupId"], json!(9367002));
    assert_eq!(stored["b2b_b2c"], json!("b2b"));
    assert_eq!(stored["taxId"], json!("US-84-1234567"));
    assert_eq!(stored["taxExempt"], json!(true));
    assert_eq!(stored["acceptMarketing"], json!(false));
}

/// A token the store refuses stops the run at once: exit 3, nothing stored, nothing more sent.
#[tokio::test]
async fn bad_token_stops_the_run() {
    let emails = numbered("refused", 30);
    let store = start(SandboxArgs {
        token: "secret_other_token".to_string(),
        ..store_args()
    })
    .await;
    let ws = Workspace::new(&emails_csv(&emails));
    let code = ws
        .import(
            &store.api_url(),
            // Per row, so that creates meet the refusal (with a snapshot, the store's size
            // would be the one refused request).
            &[
                "--rate",
                "60000",
                "--concurrency",
                "4",
                "--snapshot",
                "never",
            ],
        )
        .await;
    assert_eq!(code, 3);
    let rows = ws.results();
    assert_eq!(rows.len(), 30);
    for row in &rows {
        assert!(
            row["status"] == "not_sent" || row["status"] == "failed",
            "{row:?}"
        );
        assert_eq!(row["customer_id"], "", "{row:?}");
    }
    assert!(rows.iter().any(|r| r["status"] == "failed"));
    let stats = store.stats();
    assert!(stats.bad_token >= 1 && stats.bad_token <= 4, "{stats:?}");
    assert_eq!(stats.requests, stats.bad_token, "{stats:?}");
    assert_eq!(stats.creates, 0, "{stats:?}");
    assert!(store.customers().is_empty());
}

/// Running the same import again creates nothing: every row `exists` with the first run's id.
#[tokio::test]
async fn rerun_finds_every_customer_and_creates_none() {
    let emails = numbered("again", 12);
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let first = ws.results();
    assert_eq!(store.stats().creates, 12);

    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let second = ws.results();
    assert_eq!(store.stats().creates, 12, "{:?}", store.stats());
    assert_eq!(column(&second, "status"), vec!["exists"; 12]);
    assert_eq!(
        column(&second, "customer_id"),
        column(&first, "customer_id")
    );
    assert_holds_each_once(&store, &emails);
}

/// `--on-existing update` on a second run sends the stored customers the new name.
#[tokio::test]
async fn rerun_with_update_replaces_the_stored_name() {
    let emails = numbered("renamed", 6);
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let first = ws.results();

    let mut renamed = String::from("email,name\n");
    for email in &emails {
        renamed.push_str(&format!("{email},New Name\n"));
    }
    std::fs::write(&ws.input, renamed).expect("rewrite input");
    let args = ["--rate", "60000", "--on-existing", "update"];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    let second = ws.results();
    assert_eq!(column(&second, "status"), vec!["updated"; 6]);
    assert_eq!(
        column(&second, "customer_id"),
        column(&first, "customer_id")
    );
    assert_eq!(store.stats().creates, 6);
    assert_holds_each_once(&store, &emails);
    for c in store.customers() {
        let name = c.customer.billing_person.and_then(|b| b.name);
        assert_eq!(name.as_deref(), Some("New Name"), "customer {}", c.id);
    }
}
