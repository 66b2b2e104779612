//! Each failure class of the retry policy: a 5xx or a time-out (looked up, then sent again),
//! a refused connection, a 400 (failed at once), a 403 or a 404 (the run stops).

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::support::mock::{
    CUSTOMERS, answer, answer_once, api, created, listing, mock_store, not_found_by_lookup, posts,
    sent,
};
use crate::support::{Workspace, column, emails_csv};

/// A 500 may have created the customer: the email is looked up, not found, and sent again.
#[tokio::test]
async fn server_error_is_looked_up_then_retried() {
    let server = mock_store().await;
    answer_once(&server, "POST", ResponseTemplate::new(500)).await;
    answer(&server, "POST", created(42)).await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("email", "x@example.com"))
        .and(query_param("useExactEmailMatch", "true"))
        .respond_with(not_found_by_lookup())
        .expect(1)
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["x@example.com"]));
    assert_eq!(ws.import(&api(&server), &[]).await, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"]);
    assert_eq!(column(&rows, "customer_id"), ["42"]);
    assert_eq!(column(&rows, "attempts"), ["3"]);
}

/// When the look-up finds the customer, the create had taken effect: no second create.
#[tokio::test]
async fn server_error_after_the_create_took_effect_is_settled_by_lookup() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(listing(json!([{"id": 77, "email": "Y@Example.com"}])))
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["y@example.com"]));
    assert_eq!(ws.import(&api(&server), &[]).await, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"]);
    assert_eq!(column(&rows, "customer_id"), ["77"]);
    assert!(
        rows[0]["error"].contains("confirmed by look-up"),
        "{}",
        rows[0]["error"]
    );
}

/// A request that times out is treated as maybe done: looked up, then sent again.
#[tokio::test]
async fn timeout_is_looked_up_then_retried() {
    let server = mock_store().await;
    answer_once(
        &server,
        "POST",
        created(1).set_delay(Duration::from_secs(3)),
    )
    .await;
    answer(&server, "POST", created(2)).await;
    answer(&server, "GET", not_found_by_lookup()).await;
    let ws = Workspace::new(&emails_csv(&["t@example.com"]));
    assert_eq!(ws.import(&api(&server), &["--timeout", "0.3"]).await, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"]);
    assert_eq!(column(&rows, "customer_id"), ["2"]);
    assert_eq!(column(&rows, "attempts"), ["3"]);
}

/// Retries run out: the row is failed, and says the customer may exist.
#[tokio::test]
async fn retries_run_out_and_the_row_fails() {
    let server = mock_store().await;
    answer(&server, "POST", ResponseTemplate::new(502)).await;
    answer(&server, "GET", not_found_by_lookup()).await;
    let ws = Workspace::new(&emails_csv(&["r@example.com"]));
    let code = ws.import(&api(&server), &["--max-retries", "2"]).await;
    assert_eq!(code, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert_eq!(column(&rows, "http_status"), ["502"]);
    assert!(
        rows[0]["error"].contains("gave up after 2 retries"),
        "{}",
        rows[0]["error"]
    );
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(posts(&requests).len(), 3, "the first try and two retries");
}

/// A 400 fails the row at once with the store's message and code; it is not retried.
#[tokio::test]
async fn bad_request_fails_the_row_without_retry() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errorMessage": "Language 'xx' is not enabled", "errorCode": "LANGUAGES_NOT_ALLOWED"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["l@example.com"]));
    assert_eq!(ws.import(&api(&server), &[]).await, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert_eq!(column(&rows, "http_status"), ["400"]);
    assert_eq!(column(&rows, "attempts"), ["1"]);
    let error = &rows[0]["error"];
    assert!(
        error.contains("LANGUAGES_NOT_ALLOWED") && error.contains("Language 'xx' is not enabled"),
        "{error}"
    );
    let failed = std::fs::read_to_string(ws.failed_output()).expect("failed file");
    assert_eq!(failed, "email,name\nl@example.com,Customer 0\n");
}

/// A 403 stops the run: at most --concurrency requests, every row in the results, exit 3.
#[tokio::test]
async fn forbidden_token_stops_the_run() {
    let server = mock_store().await;
    answer(
        &server,
        "POST",
        ResponseTemplate::new(403).set_body_json(json!({
            "errorMessage": "Invalid token", "errorCode": "INVALID_API_TOKEN"
        })),
    )
    .await;
    let emails: Vec<String> = (0..40).map(|i| format!("s{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let code = ws.import(&api(&server), &["--concurrency", "3"]).await;
    assert_eq!(code, 3);
    let requests = sent(server.received_requests().await.expect("recorded"));
    assert!(
        requests.len() <= 3,
        "{} requests after a 403",
        requests.len()
    );
    let rows = ws.results();
    assert_eq!(rows.len(), 40);
    let statuses = column(&rows, "status");
    assert_eq!(
        statuses.iter().filter(|s| *s == "failed").count(),
        requests.len()
    );
    assert_eq!(
        statuses.iter().filter(|s| *s == "not_sent").count(),
        40 - requests.len()
    );
    assert_eq!(
        column(&rows, "row"),
        (1..=40).map(|i| i.to_string()).collect::<Vec<_>>()
    );
}

/// A refused connection is retried (nothing was sent, so no look-up) until retries run out.
#[tokio::test]
async fn unreachable_store_fails_rows_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let ws = Workspace::new(&emails_csv(&["u@example.com"]));
    let api = format!("http://127.0.0.1:{port}/api/v3");
    assert_eq!(ws.import(&api, &["--max-retries", "1"]).await, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert_eq!(column(&rows, "attempts"), ["2"]);
    assert!(
        rows[0]["error"].contains("could not connect"),
        "{}",
        rows[0]["error"]
    );
    assert!(
        !rows[0]["error"].contains("may have been created"),
        "{}",
        rows[0]["error"]
    );
}

/// A 404 to a create (a wrong --api-url answering with an HTML page) stops the run at once
/// instead of failing every row alike.
#[tokio::test]
async fn not_found_on_create_stops_the_run() {
    let server = mock_store().await;
    answer(
        &server,
        "POST",
        ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"),
    )
    .await;
    let emails: Vec<String> = (0..20).map(|i| format!("nf{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let code = ws
        .import(&server.uri(), &["--concurrency", "2", "--rate", "60000"])
        .await;
    assert_eq!(code, 3);
    let requests = server.received_requests().await.expect("recorded");
    assert!(
        requests.len() <= 2,
        "{} requests after a 404",
        requests.len()
    );
    let rows = ws.results();
    assert_eq!(rows.len(), 20);
    assert!(
        column(&rows, "status")
            .iter()
            .all(|s| s == "failed" || s == "not_sent")
    );
}
