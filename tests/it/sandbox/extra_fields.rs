//! `GET /store_extrafields/customers`: the customer extra fields a sandbox store defines, set by
//! `--extra-fields` or `Sandbox::define_extra_field`, behind the scope
//! `read_customers_extrafields`.

use reqwest::StatusCode;
use serde_json::json;

use ecwid_import::sandbox::{Sandbox, SandboxArgs};

use super::{error_code, start, start_default};

/// The store lists its fields with key, title and type (`TEXT` or `DATETIME`), as the docs'
/// example shows them; a field defined later is listed too, one with a key known replaces it.
#[tokio::test]
async fn the_store_lists_its_customer_extra_fields() {
    let f = start(SandboxArgs {
        extra_fields: vec![
            "6r0fUGw=Offline card ID".into(),
            "bday=Birthday:datetime".into(),
        ],
        ..SandboxArgs::default()
    })
    .await;
    let (status, body) = f.get("/store_extrafields/customers").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(
        (&items[0]["key"], &items[0]["title"], &items[0]["type"]),
        (&json!("6r0fUGw"), &json!("Offline card ID"), &json!("TEXT"))
    );
    assert_eq!(items[0]["entityTypes"], json!(["CUSTOMERS"]));
    assert!(items[0]["createdDate"].is_string());
    assert_eq!(items[1]["type"], "DATETIME");
    f.sandbox.define_extra_field("tier", "Tier", false);
    f.sandbox.define_extra_field("bday", "Date of birth", true);
    let (_, body) = f.get("/store_extrafields/customers").await;
    let titles: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["title"].as_str())
        .collect();
    assert_eq!(titles, ["Offline card ID", "Date of birth", "Tier"]);
    f.sandbox.clear_extra_fields();
    assert_eq!(
        f.get("/store_extrafields/customers").await.1["items"],
        json!([])
    );
    // The default store defines `template`'s example key.
    let (_, body) = start_default()
        .await
        .get("/store_extrafields/customers")
        .await;
    assert_eq!(body["items"][0]["key"], "loyalty_id");
}

/// Without `read_customers_extrafields` the list is a 403 naming the scope.
#[tokio::test]
async fn the_list_needs_its_scope() {
    let f = start(SandboxArgs {
        scopes: vec!["read_customers".into()],
        ..SandboxArgs::default()
    })
    .await;
    let (status, body) = f.get("/store_extrafields/customers").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "INSUFFICIENT_APP_SCOPE");
    assert!(
        body["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("read_customers_extrafields")),
        "{body}"
    );
}

/// A field given without a title or key is refused at start.
#[tokio::test]
async fn a_field_without_key_or_title_is_refused_at_start() {
    for spec in ["loyalty", "=Title", "key="] {
        let args = SandboxArgs {
            extra_fields: vec![spec.into()],
            ..SandboxArgs::default()
        };
        let error = Sandbox::start(&args).await.err().expect("refused");
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{spec}");
    }
}
