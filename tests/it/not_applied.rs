//! Writes the store answers with a count of 0 (`{"updateCount": 0}`, `{"deleteCount": 0}`):
//! Ecwid documents them as "not updated / not deleted", so the row is `failed` with that
//! reason, counted, and the run exits 1; never `updated`, `deleted` or `restored`.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::e2e::{start, store_args};
use crate::support::mock::{CUSTOMERS, answer_at, api, conflict, listing};
use crate::support::{Workspace, column};
use crate::undo::{undo, undo_results};

const FAST: [&str; 2] = ["--rate", "60000"];

/// An update answered `updateCount: 0` fails its row, naming the answer and what reading the
/// customer back found (still there, still different); the other row is updated; exit 1, and
/// the summary counts the failure and its reason.
#[tokio::test]
async fn an_update_answered_zero_is_failed() {
    let store = start(store_args()).await;
    let first = Workspace::new("email,name\nstuck@example.com,Old One\nfree@example.com,Old Two\n");
    assert_eq!(first.import(&store.api_url(), &FAST).await, 0);
    store.not_applied(&["stuck@example.com"]);

    let ws = Workspace::new("email,name\nstuck@example.com,New One\nfree@example.com,New Two\n");
    let (code, summary) = ws
        .import_summary(&store.api_url(), &["--on-existing", "update"])
        .await;
    assert_eq!(code, 1, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed", "updated"]);
    let error = &rows[0]["error"];
    assert!(error.contains(r#"{"updateCount": 0}"#), "{error}");
    assert!(error.contains("did not apply the update"), "{error}");
    assert!(error.contains("still differs"), "{error}");
    assert!(error.contains(r#""Old One" -> "New One""#), "{error}");
    assert!(!rows[0]["customer_id"].is_empty(), "{rows:?}");
    assert_eq!(summary["by_status"]["failed"], 1, "{summary}");
    assert_eq!(summary["by_status"]["updated"], 1, "{summary}");
    // The update, then the read back: one GET for the failed row.
    assert_eq!(summary["requests_by_kind"]["update"], 2, "{summary}");
    assert_eq!(summary["requests_by_kind"]["get"], 1, "{summary}");
    let top = summary["top_errors"].to_string();
    assert!(top.contains("did not apply the write"), "{top}");
    let names: Vec<_> = store
        .customers()
        .into_iter()
        .map(|c| c.customer.billing_person.and_then(|b| b.name))
        .collect();
    assert_eq!(
        names,
        [Some("Old One".to_string()), Some("New Two".to_string())]
    );
    // The failed row is in the failed-rows file, to be imported again.
    let failed = std::fs::read_to_string(ws.failed_output()).expect("failed rows");
    assert!(failed.contains("stuck@example.com"), "{failed}");
}

/// Undo: a delete and a restore answered with a count of 0 are `failed` (the customer is still
/// there as it was), the others `deleted` / `restored`; exit 1.
#[tokio::test]
async fn undo_writes_answered_zero_are_failed() {
    let store = start(store_args()).await;
    let first = Workspace::new("email,name\nkept@example.com,Old Name\n");
    assert_eq!(first.import(&store.api_url(), &FAST).await, 0);
    store.backdate(3600);

    let ws = Workspace::new(
        "email,name\nkept@example.com,New Name\nnew1@example.com,A\nnew2@example.com,B\n",
    );
    let args = ["--rate", "60000", "--on-existing", "update"];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_eq!(
        column(&ws.results(), "status"),
        ["updated", "created", "created"]
    );
    store.not_applied(&["kept@example.com", "new1@example.com"]);

    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 1);
    let rows = undo_results(&ws);
    assert_eq!(column(&rows, "status"), ["failed", "failed", "deleted"]);
    assert!(
        rows[0]["error"].contains(r#"{"updateCount": 0}: it did not apply the restore"#),
        "{rows:?}"
    );
    assert!(
        rows[1]["error"].contains(r#"{"deleteCount": 0}: it did not apply the delete"#),
        "{rows:?}"
    );
    assert!(rows[1]["error"].contains("still in the store"), "{rows:?}");
    let emails: Vec<_> = store
        .customers()
        .into_iter()
        .map(|c| c.customer.email.unwrap_or_default())
        .collect();
    assert_eq!(emails, ["kept@example.com", "new1@example.com"]);
}

/// A store where `k@example.com` exists as customer 77 named "Old" (registered a day ago):
/// creates meet 409, the look-up finds it.
async fn store_with_old_customer() -> MockServer {
    let server = MockServer::start().await;
    answer_at(&server, "POST", CUSTOMERS, conflict()).await;
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    let registered = chrono::DateTime::<chrono::Utc>::from(day_ago)
        .format("%Y-%m-%d %H:%M:%S +0000")
        .to_string();
    let found = listing(
        json!([{"id": 77, "email": "k@example.com", "registered": registered,
                                "billingPerson": {"name": "Old"}}]),
    );
    answer_at(&server, "GET", CUSTOMERS, found).await;
    server
}

/// An update answered `updateCount: 0` whose customer is gone when read back: `failed`, saying
/// the customer is no longer in the store.
#[tokio::test]
async fn an_update_answered_zero_of_a_customer_gone_says_so() {
    let server = store_with_old_customer().await;
    Mock::given(method("PUT"))
        .and(path(format!("{CUSTOMERS}/77")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"updateCount": 0})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{CUSTOMERS}/77")))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "errorMessage": "Customer not found", "errorCode": "NOT_FOUND"
        })))
        .mount(&server)
        .await;
    let ws = Workspace::new("email,name\nk@example.com,New\n");
    let api = api(&server);
    let args = ["--on-existing", "update", "--snapshot", "never"];
    assert_eq!(ws.import(&api, &args).await, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    let error = &rows[0]["error"];
    assert!(error.contains(r#"{"updateCount": 0}"#), "{error}");
    assert!(
        error.contains("customer 77 is no longer in the store"),
        "{error}"
    );
}

/// An update sent again after a 5xx (its outcome unknown), answered `updateCount: 0` because
/// the first attempt applied it: the customer read back holds the row's values, so the row is
/// `updated`.
#[tokio::test]
async fn a_repeated_update_answered_zero_after_an_unknown_outcome_is_confirmed_by_reading() {
    let server = store_with_old_customer().await;
    Mock::given(method("PUT"))
        .and(path(format!("{CUSTOMERS}/77")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{CUSTOMERS}/77")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"updateCount": 0})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{CUSTOMERS}/77")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": 77, "email": "k@example.com", "billingPerson": {"name": "New"}
        })))
        .mount(&server)
        .await;
    let ws = Workspace::new("email,name\nk@example.com,New\n");
    let api = api(&server);
    let args = ["--on-existing", "update", "--snapshot", "never"];
    assert_eq!(ws.import(&api, &args).await, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["updated"], "{rows:?}");
    let requests = server.received_requests().await.expect("recorded");
    let puts = requests
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .count();
    assert_eq!(puts, 2);
}
