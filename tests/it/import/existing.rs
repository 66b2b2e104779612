//! A customer the store has already: `--on-existing` on a 409, the look-up that settles a
//! create of unknown outcome by its registration date, and the requests each takes.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::mock::{
    CUSTOMERS, answer, api, conflict, listing, mock_store, posts, sent, updated,
};
use crate::support::{Workspace, column, emails_csv};

/// A store with one existing customer: 409 on create, found by look-up as id 900, PUT accepted.
async fn store_with_existing_customer() -> MockServer {
    let server = mock_store().await;
    answer(&server, "POST", conflict()).await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("email", "old@example.com"))
        .respond_with(listing(json!([{"id": 900, "email": "old@example.com"}])))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{CUSTOMERS}/900")))
        // Only what differs from the store's record: the email is the same, the name is new.
        .and(body_json(json!({"billingPerson": {"name": "Customer 0"}})))
        .respond_with(updated())
        .mount(&server)
        .await;
    server
}

/// The summary counts each kind of request; a look-up that fails is retried, and its retry is
/// counted with the others.
#[tokio::test]
async fn summary_counts_requests_by_kind_and_lookup_retries() {
    let server = mock_store().await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, "POST", ResponseTemplate::new(409)).await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(listing(json!([{"id": 900, "email": "old@example.com"}])))
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["old@example.com"]));
    let summary = ws.dir.path().join("summary.json");
    let summary_arg = summary.to_str().expect("utf-8 path");
    let code = ws
        .import(&api(&server), &["--summary-json", summary_arg])
        .await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["exists"]);
    assert_eq!(
        column(&rows, "attempts"),
        ["3"],
        "a create and two look-ups"
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("json");
    assert_eq!(json["requests_by_kind"]["create"], 1, "{json}");
    assert_eq!(json["requests_by_kind"]["search"], 2, "{json}");
    assert_eq!(json["requests_by_kind"]["update"], 0, "{json}");
    assert_eq!(
        json["requests_by_kind"]["list"], 1,
        "the store's size: {json}"
    );
    assert_eq!(json["requests"], 4, "{json}");
    assert_eq!(json["retries"], 1, "the look-up's retry: {json}");
    assert_eq!(json["lookups"], 2, "{json}");
}

/// Each `--on-existing` choice on a 409: skip -> exists, update -> updated, fail -> failed.
#[tokio::test]
async fn existing_email_follows_on_existing() {
    for (choice, status, code, puts) in [
        ("skip", "exists", 0, 0),
        ("update", "updated", 0, 1),
        ("fail", "failed", 1, 0),
    ] {
        let server = store_with_existing_customer().await;
        let ws = Workspace::new(&emails_csv(&["old@example.com"]));
        let got = ws.import(&api(&server), &["--on-existing", choice]).await;
        assert_eq!(got, code, "{choice}");
        let rows = ws.results();
        assert_eq!(column(&rows, "status"), [status], "{choice}");
        assert_eq!(column(&rows, "customer_id"), ["900"], "{choice}");
        let requests = sent(server.received_requests().await.expect("recorded"));
        let put_count = requests
            .iter()
            .filter(|r| r.method.as_str() == "PUT")
            .count();
        assert_eq!(put_count, puts, "{choice}");
        assert_eq!(posts(&requests).len(), 1, "{choice}: one create only");
        // One look-up; under `update` it asks for the fields the row is compared with. (The
        // read-back after an update lists the customer without an email.)
        let lookups: Vec<String> = requests
            .iter()
            .filter(|r| r.method.as_str() == "GET")
            .filter(|r| r.url.query_pairs().any(|(k, _)| k == "email"))
            .filter_map(|r| {
                r.url
                    .query_pairs()
                    .find(|(k, _)| k == "responseFields")
                    .map(|(_, v)| v.into_owned())
            })
            .collect();
        assert_eq!(lookups.len(), 1, "{choice}: {lookups:?}");
        let full = lookups[0].contains("contacts") && lookups[0].contains("registered");
        assert_eq!(full, choice == "update", "{choice}: {lookups:?}");
    }
}

/// `registered` as Ecwid writes it, `ago` before now.
fn registered(ago: Duration) -> String {
    let at = std::time::SystemTime::now() - ago;
    chrono::DateTime::<chrono::Utc>::from(at)
        .format("%Y-%m-%d %H:%M:%S +0000")
        .to_string()
}

/// A store whose creates end in 500 and whose look-up finds the customer, registered `ago`.
async fn store_that_fails_creates_and_finds(ago: Duration) -> MockServer {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(listing(
            json!([{"id": 77, "email": "k@example.com", "registered": registered(ago)}]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{CUSTOMERS}/77")))
        .respond_with(updated())
        .mount(&server)
        .await;
    server
}

/// After a create of unknown outcome, the look-up tells by `registered` whether the create
/// took effect: a customer registered before the run (by the store's clock, the `Date` of its
/// first answer) existed already and follows `--on-existing`; one registered during the run is
/// the row's own, `created`.
#[tokio::test]
async fn lookup_after_an_unknown_outcome_tells_by_registration_date() {
    let long_ago = Duration::from_secs(3 * 86_400);
    for (ago, extra, status) in [
        (long_ago, None, "exists"),
        (long_ago, Some("update"), "updated"),
        (Duration::ZERO, None, "created"),
        (Duration::ZERO, Some("update"), "created"),
    ] {
        let server = store_that_fails_creates_and_finds(ago).await;
        let ws = Workspace::new(&emails_csv(&["k@example.com"]));
        let mut args = vec!["--max-retries", "1"];
        if let Some(choice) = extra {
            args.extend(["--on-existing", choice]);
        }
        assert_eq!(
            ws.import(&api(&server), &args).await,
            0,
            "{ago:?} {extra:?}"
        );
        let rows = ws.results();
        assert_eq!(column(&rows, "status"), [status], "{ago:?} {extra:?}");
        assert_eq!(column(&rows, "customer_id"), ["77"], "{ago:?} {extra:?}");
        let requests = server.received_requests().await.expect("recorded");
        let puts = requests
            .iter()
            .filter(|r| r.method.as_str() == "PUT")
            .count();
        assert_eq!(puts, usize::from(status == "updated"), "{ago:?} {extra:?}");
        assert_eq!(posts(&requests).len(), 1, "never a second create");
        if status == "exists" {
            assert!(
                rows[0]["error"].contains("existed before this run"),
                "{:?}",
                rows[0]
            );
        }
    }
}

/// Ecwid retries a create that failed inside a batch itself, so the customer it made can come
/// back as an inner 409: a customer registered during the run is then the row's own, `created`,
/// not `exists`.
#[tokio::test]
async fn inner_409_of_a_customer_registered_during_the_run_is_created() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/1003/batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ticket": "t-1"})))
        .mount(&server)
        .await;
    let conflict = json!({"errorMessage": "The customer with the given email already exists",
                          "errorCode": "CONSTRAINT_VIOLATION"});
    Mock::given(method("GET"))
        .and(path("/api/v3/1003/batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "COMPLETED", "totalRequests": 2, "completedRequests": 2,
            "responses": [
                {"id": "row-1", "status": "FAILED", "httpStatusCode": 409,
                 "httpStatusLine": "Conflict", "escapedHttpBody": conflict.to_string()},
                {"id": "row-2", "status": "FAILED", "httpStatusCode": 409,
                 "httpStatusLine": "Conflict", "escapedHttpBody": conflict.to_string()}
            ]
        })))
        .mount(&server)
        .await;
    for (email, id, ago) in [
        ("ours@example.com", 5, Duration::ZERO),
        ("theirs@example.com", 6, Duration::from_secs(86_400)),
    ] {
        Mock::given(method("GET"))
            .and(path(CUSTOMERS))
            .and(query_param("email", email))
            .respond_with(listing(
                json!([{"id": id, "email": email, "registered": registered(ago)}]),
            ))
            .mount(&server)
            .await;
    }
    let ws = Workspace::new(&emails_csv(&["ours@example.com", "theirs@example.com"]));
    assert_eq!(ws.import(&api(&server), &["--batch"]).await, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created", "exists"]);
    assert_eq!(column(&rows, "customer_id"), ["5", "6"]);
}

/// The one more look-up that settles a create of unknown outcome does not lend the update a
/// retry: `--max-retries` bounds the row's retries, and here the create's took the one there
/// was, so the PUT is not sent again.
#[tokio::test]
async fn the_settling_look_up_lends_the_update_no_retry() {
    let server = mock_store().await;
    answer(&server, "POST", ResponseTemplate::new(500)).await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(listing(json!([{"id": 77, "email": "k@example.com",
                       "registered": registered(Duration::from_secs(86_400))}])))
        .mount(&server)
        .await;
    answer(&server, "PUT", ResponseTemplate::new(500)).await;
    let ws = Workspace::new(&emails_csv(&["k@example.com"]));
    let args = ["--max-retries", "1", "--on-existing", "update"];
    assert_eq!(ws.import(&api(&server), &args).await, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert!(
        rows[0]["error"].contains("gave up after 1 retries"),
        "{:?}",
        rows[0]
    );
    let requests = server.received_requests().await.expect("recorded");
    let puts = requests
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .count();
    assert_eq!(puts, 1, "the row's one retry went to the create");
}

/// A customer the store gained after the snapshot was read (here: the listing does not show
/// it, the create meets 409) still ends `exists` through the 409 path: the snapshot never
/// makes the store get a customer twice, nor a row fail.
#[tokio::test]
async fn customer_created_after_the_listing_ends_exists_by_the_409_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("responseFields", "total"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total": 1, "count": 1, "offset": 0, "limit": 1})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("sortBy", "REGISTERED_DATE_ASC"))
        .and(query_param("offset", "0"))
        .respond_with(listing(json!([{"id": 5, "email": "someone@example.com",
                       "registered": "2020-01-01 00:00:00 +0000"}])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(conflict())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("email", "late@example.com"))
        .respond_with(listing(json!([{"id": 900, "email": "late@example.com",
                       "registered": "2020-01-02 00:00:00 +0000"}])))
        .expect(1)
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["late@example.com"]));
    let code = ws.import(&api(&server), &["--snapshot", "always"]).await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["exists"]);
    assert_eq!(column(&rows, "customer_id"), ["900"]);
    assert_eq!(column(&rows, "http_status"), ["409"]);
}
