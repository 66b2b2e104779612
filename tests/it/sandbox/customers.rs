//! The checks every request meets (token, store id, body), and creating, searching,
//! updating and deleting customers.

use reqwest::StatusCode;
use serde_json::json;

use ecwid_import::sandbox::SandboxArgs;

use super::{error_code, start, start_default};

/// Create answers `{"id": N}` and the customer is stored with every field it was given.
#[tokio::test]
async fn create_stores_the_customer_and_answers_its_id() {
    let f = start_default().await;
    let body = json!({
        "email": "ann@example.com",
        "billingPerson": { "name": "Ann Lee", "countryCode": "DE" },
        "contacts": [{ "type": "PHONE", "contact": "+49 30 1234" }],
        "acceptMarketing": true,
        "lang": "de",
    });
    let (status, answer) = f.post("/customers", body).await;
    assert_eq!(status, StatusCode::OK);
    let id = answer["id"].as_u64().expect("id");
    let stored = f.stored().await;
    assert_eq!(stored, f.sandbox.customers());
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, id);
    let customer = &stored[0].customer;
    assert_eq!(customer.email.as_deref(), Some("ann@example.com"));
    assert_eq!(customer.accept_marketing, Some(true));
    let billing = customer.billing_person.as_ref().expect("billing person");
    assert_eq!(billing.name.as_deref(), Some("Ann Lee"));
    f.sandbox.shutdown().await;
}

/// The same email in another case is a 409 with Ecwid's body, and nothing is stored twice.
#[tokio::test]
async fn same_email_in_other_case_is_409_constraint_violation() {
    let f = start_default().await;
    f.create("Bob@Example.com").await;
    let (status, body) = f
        .post("/customers", json!({ "email": "bob@EXAMPLE.com" }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body,
        json!({
            "errorMessage": "The customer with the given email already exists",
            "errorCode": "CONSTRAINT_VIOLATION",
        })
    );
    assert_eq!(f.sandbox.customers().len(), 1);
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.duplicate_creates), (1, 1));
}

/// A missing or wrong token is a 403 INVALID_API_TOKEN, for any endpoint.
#[tokio::test]
async fn missing_or_wrong_token_is_403() {
    let f = start_default().await;
    let url = f.url("/customers");
    let missing = f.http.get(&url);
    let wrong = f.http.get(&url).bearer_auth("secret_wrong");
    let other_scheme = f.http.get(&url).basic_auth("user", Some(f.sandbox.token()));
    for request in [missing, wrong, other_scheme] {
        let (status, body) = f.send(request).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(error_code(&body), "INVALID_API_TOKEN");
        assert!(body["errorMessage"].is_string());
    }
    assert_eq!(f.stats().await.bad_token, 3);
}

/// Another store id is a 404 STORE_NOT_FOUND.
#[tokio::test]
async fn another_store_id_is_404_store_not_found() {
    let f = start_default().await;
    for url in [
        format!("{}/1004/profile", f.sandbox.api_url()),
        format!("{}/abc/profile", f.sandbox.api_url()),
    ] {
        let request = f.http.get(url).bearer_auth(f.sandbox.token());
        let (status, body) = f.send(request).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error_code(&body), "STORE_NOT_FOUND");
    }
}

/// A body not declared as JSON is a 415; a body that does not parse is a 400.
#[tokio::test]
async fn body_must_be_declared_and_parse_as_json() {
    let f = start_default().await;
    let form = f
        .request(reqwest::Method::POST, "/customers")
        .header("Content-Type", "text/plain")
        .body(r#"{"email":"a@example.com"}"#);
    let (status, _) = f.send(form).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let broken = f
        .request(reqwest::Method::POST, "/customers")
        .header("Content-Type", "application/json; charset=utf-8")
        .body(r#"{"email": "#);
    let (status, body) = f.send(broken).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["errorMessage"].is_string());
    let wrong_type = f.post("/customers", json!({ "email": 42 })).await;
    assert_eq!(wrong_type.0, StatusCode::BAD_REQUEST);
    assert!(f.sandbox.customers().is_empty());
}

/// Values the store refuses are a 400 WRONG_PARAMETER naming field, value and reason.
#[tokio::test]
async fn broken_value_rules_are_400_wrong_parameter() {
    let f = start_default().await;
    let body = json!({
        "email": "not-an-email",
        "billingPerson": { "countryCode": "XX" },
    });
    let (status, answer) = f.post("/customers", body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&answer), "WRONG_PARAMETER");
    let message = answer["errorMessage"].as_str().expect("message");
    assert!(message.contains("email \"not-an-email\""), "{message}");
    assert!(message.contains("is not an email address"), "{message}");
    assert!(
        message.contains("billingPerson.countryCode \"XX\""),
        "{message}"
    );
    let (status, answer) = f.post("/customers", json!({ "name": "No Email" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        answer["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("required"))
    );
    assert!(f.sandbox.customers().is_empty());
}

/// `lang` must be a language enabled in the store.
#[tokio::test]
async fn lang_must_be_enabled_in_the_store() {
    let f = start(SandboxArgs {
        languages: vec!["en".into(), "pt_BR".into()],
        ..SandboxArgs::default()
    })
    .await;
    let (status, body) = f
        .post(
            "/customers",
            json!({ "email": "a@example.com", "lang": "fr" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "LANGUAGES_NOT_ALLOWED");
    let (status, _) = f
        .post(
            "/customers",
            json!({ "email": "a@example.com", "lang": "pt_BR" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// Search by exact email (any case), by substring and keyword, with offset/limit paging.
#[tokio::test]
async fn search_by_email_keyword_and_pages() {
    let f = start_default().await;
    let ann = f.create("ann@example.com").await;
    f.create("joanna@example.com").await;
    f.create("carl@other.org").await;
    let (status, body) = f
        .get("/customers?email=ANN@example.com&useExactEmailMatch=true")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1);
    assert_eq!(body["count"], 1);
    assert_eq!(body["items"][0]["id"], ann);
    assert_eq!(body["items"][0]["email"], "ann@example.com");

    let (_, body) = f.get("/customers?email=EXAMPLE.com").await;
    assert_eq!(body["total"], 2, "substring search: {body}");

    let (_, body) = f.get("/customers?keyword=other.org").await;
    assert_eq!(body["total"], 1);

    let (_, body) = f.get("/customers?offset=1&limit=1").await;
    assert_eq!(
        (
            &body["total"],
            &body["count"],
            &body["offset"],
            &body["limit"]
        ),
        (&json!(3), &json!(1), &json!(1), &json!(1))
    );
    assert_eq!(body["items"][0]["email"], "joanna@example.com");

    let (_, body) = f.get("/customers?limit=1000").await;
    assert_eq!(body["limit"], 100);
    assert_eq!(body["count"], 3);

    let (status, body) = f.get("/customers?limit=many").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "WRONG_PARAMETER");
}

/// Search never shows a password, though the store keeps it.
#[tokio::test]
async fn search_hides_passwords() {
    let f = start_default().await;
    let body = json!({ "email": "p@example.com", "password": "hunter2" });
    assert_eq!(f.post("/customers", body).await.0, StatusCode::OK);
    let (_, found) = f.get("/customers?email=p@example.com").await;
    assert!(found["items"][0].get("password").is_none(), "{found}");
    assert_eq!(
        f.sandbox.customers()[0].customer.password.as_deref(),
        Some("hunter2")
    );
}

/// PUT replaces the fields it names (lists whole) and keeps the rest; DELETE removes; a DELETE
/// of an id the store does not hold answers `{"deleteCount": 0}`, as the docs say.
#[tokio::test]
async fn update_and_delete_a_customer() {
    let f = start_default().await;
    let body = json!({
        "email": "u@example.com",
        "taxId": "DE123",
        "shippingAddresses": [{ "city": "Berlin" }, { "city": "Bonn" }],
    });
    let id = f.post("/customers", body).await.1["id"]
        .as_u64()
        .expect("id");
    let change = json!({ "shippingAddresses": [{ "city": "Köln" }], "acceptMarketing": true });
    let (status, body) = f.put(&format!("/customers/{id}"), change).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "updateCount": 1 }))
    );
    let customer = f.sandbox.customers().remove(0).customer;
    assert_eq!(customer.tax_id.as_deref(), Some("DE123"));
    assert_eq!(customer.accept_marketing, Some(true));
    let cities: Vec<_> = customer
        .shipping_addresses
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.city)
        .collect();
    assert_eq!(cities, [Some("Köln".to_string())]);

    let (status, body) = f
        .put(&format!("/customers/{id}"), json!({ "lang": "xx" }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "LANGUAGES_NOT_ALLOWED");

    let (status, _) = f.put("/customers/1", json!({ "taxId": "X" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = f.delete(&format!("/customers/{id}")).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "deleteCount": 1 }))
    );
    assert!(f.sandbox.customers().is_empty());
    let (status, body) = f.delete(&format!("/customers/{id}")).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "deleteCount": 0 }))
    );
    assert_eq!(f.sandbox.stats().not_applied, 1);
}

/// Writes to the customers `--not-applied` names (or [`Sandbox::not_applied`] adds) are answered
/// with a count of 0 and change nothing; other customers' writes are applied.
#[tokio::test]
async fn writes_not_applied_answer_zero_and_change_nothing() {
    let args = SandboxArgs {
        not_applied: vec!["Stuck@Example.com".into()],
        ..SandboxArgs::default()
    };
    let f = start(args).await;
    let stuck = f.create("stuck@example.com").await;
    let later = f.create("later@example.com").await;
    let free = f.create("free@example.com").await;
    f.sandbox.not_applied(&["LATER@example.com"]);
    for id in [stuck, later] {
        let path = format!("/customers/{id}");
        let (status, body) = f.put(&path, json!({ "taxId": "X1" })).await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({ "updateCount": 0 }))
        );
        let (status, body) = f.delete(&path).await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({ "deleteCount": 0 }))
        );
    }
    let (status, body) = f
        .put(&format!("/customers/{free}"), json!({ "taxId": "X1" }))
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "updateCount": 1 }))
    );
    let stored = f.sandbox.customers();
    assert_eq!(stored.len(), 3);
    let taxes: Vec<_> = stored.iter().map(|c| c.customer.tax_id.clone()).collect();
    assert_eq!(taxes, [None, None, Some("X1".to_string())]);
    let stats = f.sandbox.stats();
    assert_eq!((stats.not_applied, stats.updates), (4, 1));
}

/// An endpoint the sandbox does not have is a 404; a method an endpoint lacks is a 405.
#[tokio::test]
async fn unknown_endpoints_and_methods() {
    let f = start_default().await;
    let (status, body) = f.get("/orders").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["errorMessage"], "No such endpoint: /orders");
    let (status, _) = f.delete("/customers").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}
