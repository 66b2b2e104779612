//! Refusals a real store makes that the tool must meet: a token without a scope, a plan
//! without customer groups, a token that keeps failing; and the JSON content types it takes.
//! Checked over HTTP, and for scope and plan also through an import into such a store.

use reqwest::StatusCode;
use serde_json::{Value, json};

use ecwid_import::sandbox::SandboxArgs;

use super::batch::finished;
use super::{error_code, start, start_default};
use crate::e2e::{self, store_args};
use crate::support::Workspace;

fn scopes(list: &[&str]) -> SandboxArgs {
    SandboxArgs {
        scopes: list.iter().map(|s| s.to_string()).collect(),
        ..SandboxArgs::default()
    }
}

/// An endpoint needing a scope the token lacks is a 403 INSUFFICIENT_APP_SCOPE naming it; the
/// others answer as usual.
#[tokio::test]
async fn missing_scope_is_403_insufficient_app_scope() {
    let f = start(scopes(&["create_customers", "read_customers"])).await;
    let (status, body) = f.get("/profile").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "INSUFFICIENT_APP_SCOPE");
    assert!(
        body["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("read_store_profile")),
        "{body}"
    );
    let id = f.create("scoped@example.com").await;
    assert_eq!(f.get("/customers").await.0, StatusCode::OK);
    assert_eq!(f.get("/customer_groups").await.0, StatusCode::OK);
    let path = format!("/customers/{id}");
    let (status, body) = f.put(&path, json!({ "taxId": "X" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "INSUFFICIENT_APP_SCOPE");
    assert_eq!(f.delete(&path).await.0, StatusCode::FORBIDDEN);
    assert_eq!(f.sandbox.customers().len(), 1);

    let f = start(scopes(&["read_customers", "read_store_profile"])).await;
    let (status, body) = f
        .post("/customers", json!({ "email": "a@example.com" }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("create_customers")),
        "{body}"
    );
    assert_eq!(f.get("/profile").await.0, StatusCode::OK);
    assert!(f.sandbox.customers().is_empty());
}

/// Inside a batch each request needs its own scope, as on its own.
#[tokio::test]
async fn missing_scope_inside_a_batch_is_an_inner_403() {
    let f = start(scopes(&["read_customers"])).await;
    let batch = json!([{
        "id": "row-1", "path": "/customers", "method": "POST",
        "body": { "email": "a@example.com" }
    }]);
    let (status, body) = f.post("/batch?stopOnFirstFailure=false", batch).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let done = finished(&f, body["ticket"].as_str().expect("ticket")).await;
    let answer = &done["responses"][0];
    assert_eq!(answer["status"], "FAILED");
    assert_eq!(answer["httpStatusCode"], 403);
    let inner: Value =
        serde_json::from_str(answer["escapedHttpBody"].as_str().expect("body")).expect("JSON");
    assert_eq!(error_code(&inner), "INSUFFICIENT_APP_SCOPE");
    assert!(f.sandbox.customers().is_empty());
}

/// On a plan without customer groups, `GET /customer_groups` is a 402
/// NOT_AVAILABLE_ON_CURRENT_PLAN; customers are still served.
#[tokio::test]
async fn plan_without_groups_is_402_for_groups() {
    let f = start(SandboxArgs {
        plan_without_groups: true,
        ..SandboxArgs::default()
    })
    .await;
    let (status, body) = f.get("/customer_groups").await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(error_code(&body), "NOT_AVAILABLE_ON_CURRENT_PLAN");
    f.create("a@example.com").await;
    assert_eq!(
        start_default().await.get("/customer_groups").await.0,
        StatusCode::OK
    );
}

/// `text/json` is a JSON content type, as Ecwid takes it; `text/plain` is not.
#[tokio::test]
async fn text_json_is_taken_as_json() {
    let f = start_default().await;
    for (i, media) in ["text/json", "TEXT/JSON; charset=utf-8"].iter().enumerate() {
        let request = f
            .request(reqwest::Method::POST, "/customers")
            .header("Content-Type", *media)
            .body(format!(r#"{{"email":"t{i}@example.com"}}"#));
        let (status, body) = f.send(request).await;
        assert_eq!(status, StatusCode::OK, "{media}: {body}");
    }
    let plain = f
        .request(reqwest::Method::POST, "/customers")
        .header("Content-Type", "text/plain")
        .body(r#"{"email":"p@example.com"}"#);
    assert_eq!(f.send(plain).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(f.sandbox.customers().len(), 2);
}

/// Asks with `token` until the store has refused it 20 times, then once more: that answer.
async fn after_twenty_refusals(f: &super::Fixture, token: &str, path: &str) -> reqwest::Response {
    for _ in 0..20 {
        let response = f
            .http
            .get(f.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    f.http
        .get(f.url("/customers"))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers")
}

/// The 429 of a blocked token: a `Retry-After` far beyond the rate limit's minute.
async fn assert_blocked(response: reqwest::Response) {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let seconds: u64 = response
        .headers()
        .get("Retry-After")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!(seconds > 60, "{seconds}");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), "RATE_LIMITED");
}

/// A token refused (403) 20 times in a minute is blocked: every request of it is a 429 with a
/// long Retry-After, whatever it asks; another token is not affected.
#[tokio::test]
async fn a_token_that_keeps_failing_is_blocked() {
    let f = start_default().await;
    assert_blocked(after_twenty_refusals(&f, "secret_wrong", "/profile").await).await;
    assert_eq!(f.get("/customers").await.0, StatusCode::OK);

    let f = start(scopes(&["read_customers"])).await;
    let token = f.sandbox.token().to_string();
    assert_blocked(after_twenty_refusals(&f, &token, "/profile").await).await;
    assert_eq!(f.sandbox.stats().by_status.get("403"), Some(&20));
}

/// An import with a `lang` column, with a token that may not read the store profile: the run
/// goes on, the rows are created, and the store judges `lang` itself.
#[tokio::test]
async fn import_with_lang_and_no_profile_scope_creates_the_rows() {
    let store = e2e::start(SandboxArgs {
        scopes: ["create_customers", "read_customers", "update_customers"]
            .map(String::from)
            .to_vec(),
        ..store_args()
    })
    .await;
    let ws = Workspace::new(
        "email,name,lang\nen@example.com,Ann,en\nfr@example.com,Bea,fr\nxx@example.com,Cy,xx\n",
    );
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 1);
    let rows = ws.results();
    let status: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(status, ["created", "created", "failed"], "{rows:?}");
    assert!(
        rows[2]["error"].contains("LANGUAGES_NOT_ALLOWED"),
        "{rows:?}"
    );
    assert_eq!(store.customers().len(), 2);
    assert_eq!(
        store.stats().by_status.get("403"),
        Some(&1),
        "the profile was refused once"
    );
}

/// An import naming customer groups into a store whose plan has none: those rows fail with the
/// plan's message, the others are created, and the run is not aborted.
#[tokio::test]
async fn import_naming_groups_on_a_plan_without_them_fails_only_those_rows() {
    let store = e2e::start(SandboxArgs {
        plan_without_groups: true,
        ..store_args()
    })
    .await;
    let ws = Workspace::new(
        "email,name,customerGroupName\na@example.com,Ann,VIP\nb@example.com,Bea,\n\
         c@example.com,Cy,Wholesale\nd@example.com,Di,\n",
    );
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 1);
    let rows = ws.results();
    let status: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(
        status,
        ["failed", "created", "failed", "created"],
        "{rows:?}"
    );
    for row in [&rows[0], &rows[2]] {
        assert!(row["error"].contains("plan"), "{row:?}");
        assert!(row["error"].contains("402"), "{row:?}");
    }
    let emails: Vec<String> = store
        .customers()
        .into_iter()
        .filter_map(|c| c.customer.email)
        .collect();
    assert_eq!(emails, ["b@example.com", "d@example.com"]);
    assert_eq!(store.stats().by_status.get("402"), Some(&1));
}
