//! The batch API as Ecwid runs it: one queue per store worked in order, `QUEUED` then
//! `IN_PROGRESS` with the answers so far then `COMPLETED`; stopOnFirstFailure; the store's own
//! retries of an inner 5xx; the answers' form; and deduplication keys for their time.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use ecwid_import::sandbox::SandboxArgs;

use super::{Fixture, error_code, start, start_default};

/// Polls a batch ticket every `interval` until `done` holds for its status; that status. A 429
/// (a slow machine, many polls) is waited out.
async fn until_every(
    f: &Fixture,
    ticket: &str,
    interval: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let path = format!("/batch?ticket={ticket}&escapedJson=true");
    for _ in 0..2_000 {
        let (status, body) = f.get(&path).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{body}");
        if done(&body) {
            return body;
        }
        tokio::time::sleep(interval).await;
    }
    panic!("batch {ticket} never got there");
}

async fn until(f: &Fixture, ticket: &str, done: impl Fn(&Value) -> bool) -> Value {
    until_every(f, ticket, Duration::from_millis(10), done).await
}

fn is_completed(body: &Value) -> bool {
    body["status"] == "COMPLETED"
}

/// Polls a batch ticket until the batch is `COMPLETED`; its last status.
pub(super) async fn finished(f: &Fixture, ticket: &str) -> Value {
    until(f, ticket, is_completed).await
}

/// The status of a batch now.
async fn status_of(f: &Fixture, ticket: &str) -> Value {
    let (status, body) = f.get(&format!("/batch?ticket={ticket}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn create_item(id: &str, email: &str) -> Value {
    json!({ "id": id, "path": "/customers", "method": "POST", "body": { "email": email } })
}

/// Submits a batch; its ticket.
async fn submit(f: &Fixture, query: &str, items: Vec<Value>) -> String {
    let (status, body) = f.post(&format!("/batch{query}"), Value::Array(items)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["ticket"].as_str().expect("ticket").to_string()
}

/// The inner answer's body, unescaped.
fn inner_body(response: &Value) -> Value {
    let escaped = response["escapedHttpBody"].as_str().expect("escaped body");
    serde_json::from_str(escaped).expect("escaped JSON")
}

/// A batch waits in the store's queue (`QUEUED`), runs a request at a time (`IN_PROGRESS`, with
/// the answers so far), then is `COMPLETED`; the next batch starts only after it.
#[tokio::test]
async fn batches_queue_and_run_one_after_another() {
    let f = start_default().await;
    f.sandbox.hold_batches();
    let first = (1..=3)
        .map(|i| create_item(&format!("row-{i}"), &format!("a{i}@example.com")))
        .collect();
    let a = submit(&f, "", first).await;
    let b = submit(&f, "", vec![create_item("row-9", "b@example.com")]).await;
    for ticket in [&a, &b] {
        let queued = status_of(&f, ticket).await;
        assert_eq!(queued["status"], "QUEUED");
        assert_eq!(queued["completedRequests"], 0);
        assert_eq!(queued["responses"], json!([]));
    }
    assert_eq!(status_of(&f, &a).await["totalRequests"], 3);

    f.sandbox.allow_batch_requests(1);
    let partial = until(&f, &a, |body| body["completedRequests"] == 1).await;
    assert_eq!(partial["status"], "IN_PROGRESS");
    let responses = partial["responses"].as_array().expect("responses");
    assert_eq!(responses.len(), 1);
    assert_eq!(
        (&responses[0]["id"], &responses[0]["status"]),
        (&json!("row-1"), &json!("COMPLETED"))
    );
    assert_eq!(status_of(&f, &b).await["status"], "QUEUED");
    assert_eq!(f.sandbox.customers().len(), 1);

    f.sandbox.allow_batch_requests(2);
    let done = finished(&f, &a).await;
    assert_eq!(done["completedRequests"], 3);
    assert_eq!(done["responses"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        status_of(&f, &b).await["status"],
        "QUEUED",
        "b ran beside a"
    );
    assert_eq!(f.sandbox.stats().batches, 1);

    f.sandbox.release_batches();
    finished(&f, &b).await;
    assert_eq!(f.sandbox.customers().len(), 4);
    assert_eq!(f.sandbox.stats().batches, 2);
}

/// A batch stops at its first failure by default; later requests are NOT_EXECUTED with
/// `httpStatusCode` 0; the status line is the reason phrase.
#[tokio::test]
async fn batch_stops_on_first_failure_by_default() {
    let f = start_default().await;
    let batch = vec![
        create_item("row-1", "a@example.com"),
        create_item("row-2", "A@example.com"),
        create_item("row-3", "b@example.com"),
    ];
    let ticket = submit(&f, "", batch).await;
    let done = finished(&f, &ticket).await;
    assert_eq!(done["totalRequests"], 3);
    assert_eq!(done["completedRequests"], 2);
    let responses = done["responses"].as_array().expect("responses");
    assert_eq!(responses[0]["id"], "row-1");
    assert_eq!(responses[0]["status"], "COMPLETED");
    assert_eq!(responses[0]["httpStatusCode"], 200);
    assert_eq!(responses[0]["httpStatusLine"], "OK");
    assert_eq!(inner_body(&responses[0])["id"], f.sandbox.customers()[0].id);
    assert_eq!(responses[1]["status"], "FAILED");
    assert_eq!(responses[1]["httpStatusCode"], 409);
    assert_eq!(responses[1]["httpStatusLine"], "Conflict");
    assert_eq!(
        responses[2],
        json!({ "id": "row-3", "status": "NOT_EXECUTED", "httpStatusCode": 0 })
    );
    assert_eq!(f.sandbox.customers().len(), 1);
}

/// With stopOnFirstFailure=false every request runs; a deduplication key runs a batch once.
#[tokio::test]
async fn batch_runs_all_without_stop_and_deduplicates_by_key() {
    let f = start_default().await;
    let batch = vec![
        create_item("1", "a@example.com"),
        create_item("2", "a@example.com"),
        create_item("3", "b@example.com"),
        json!({ "id": "4", "path": "/customers?email=b@example.com&useExactEmailMatch=true", "method": "GET" }),
    ];
    let query = "?stopOnFirstFailure=false&deduplicationKey=7f9c-key";
    let first = submit(&f, query, batch.clone()).await;
    let again = submit(&f, query, batch).await;
    assert_eq!(first, again);
    let done = finished(&f, &first).await;
    let statuses: Vec<&Value> = done["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, ["COMPLETED", "FAILED", "COMPLETED", "COMPLETED"]);
    assert_eq!(inner_body(&done["responses"][3])["total"], 1);
    assert_eq!(f.sandbox.customers().len(), 2);
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.duplicate_creates), (2, 1));
    assert_eq!((stats.batches, stats.deduplicated_batches), (1, 1));
}

/// A deduplication key is forgotten after its time: the same batch sent later runs again.
#[tokio::test]
async fn deduplication_keys_are_forgotten_after_their_time() {
    let f = start(SandboxArgs {
        dedup_key_ttl_secs: 0.05,
        ..SandboxArgs::default()
    })
    .await;
    let query = "?stopOnFirstFailure=false&deduplicationKey=short-lived";
    let first = submit(&f, query, vec![create_item("1", "a@example.com")]).await;
    finished(&f, &first).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let again = submit(&f, query, vec![create_item("1", "a@example.com")]).await;
    assert_ne!(first, again);
    let done = finished(&f, &again).await;
    assert_eq!(done["responses"][0]["httpStatusCode"], 409);
    let stats = f.sandbox.stats();
    assert_eq!((stats.batches, stats.deduplicated_batches), (2, 0));
}

/// An inner 5xx is retried by the store itself (stopOnFirstFailure=false), so a create that
/// took effect before its 500 comes back as a 409, and one that did not as a 200.
#[tokio::test]
async fn the_store_retries_an_inner_5xx_and_a_create_that_took_effect_comes_back_409() {
    let f = start(SandboxArgs {
        batch_inner_500_once: 1.0,
        batch_retry_secs: 0.0,
        seed: Some(3),
        ..SandboxArgs::default()
    })
    .await;
    let items = (0..20)
        .map(|i| create_item(&format!("row-{i}"), &format!("c{i}@example.com")))
        .collect();
    let ticket = submit(&f, "?stopOnFirstFailure=false", items).await;
    let done = finished(&f, &ticket).await;
    let mut conflicts = 0;
    for response in done["responses"].as_array().expect("responses") {
        match response["httpStatusCode"].as_u64() {
            Some(200) => assert_eq!(response["httpStatusLine"], "OK"),
            Some(409) => {
                conflicts += 1;
                assert_eq!(response["status"], "FAILED");
                assert_eq!(response["httpStatusLine"], "Conflict");
                assert_eq!(error_code(&inner_body(response)), "CONSTRAINT_VIOLATION");
            }
            _ => panic!("neither created nor a conflict: {response}"),
        }
    }
    assert!(conflicts > 0 && conflicts < 20, "{conflicts} conflicts");
    assert_eq!(f.sandbox.customers().len(), 20, "each created once");
    let stats = f.sandbox.stats();
    assert_eq!(stats.batch_retries, 20);
    assert_eq!(stats.duplicate_creates, conflicts);
}

/// A 5xx that lasts is retried five times, then answered; with stopOnFirstFailure (the
/// default) it is not retried and stops the batch.
#[tokio::test]
async fn a_lasting_inner_5xx_is_retried_five_times_then_answered() {
    let f = start(SandboxArgs {
        batch_inner_500: 1.0,
        batch_retry_secs: 0.0,
        seed: Some(3),
        ..SandboxArgs::default()
    })
    .await;
    let one = vec![create_item("row-1", "a@example.com")];
    let ticket = submit(&f, "?stopOnFirstFailure=false", one).await;
    let response = &finished(&f, &ticket).await["responses"][0];
    assert_eq!(response["status"], "FAILED");
    assert_eq!(response["httpStatusCode"], 500);
    assert_eq!(response["httpStatusLine"], "Internal Server Error");
    assert_eq!(f.sandbox.stats().batch_retries, 5);

    let two = vec![
        create_item("row-1", "b@example.com"),
        create_item("row-2", "c@example.com"),
    ];
    let ticket = submit(&f, "", two).await;
    let done = finished(&f, &ticket).await;
    assert_eq!(done["responses"][0]["httpStatusCode"], 500);
    assert_eq!(done["responses"][1]["status"], "NOT_EXECUTED");
    assert_eq!(
        f.sandbox.stats().batch_retries,
        5,
        "no retry with stopOnFirstFailure"
    );
}

/// The store's retries wait `--batch-retry-secs` apart (3 s by default): five retries take
/// 15 s of the paused clock.
#[tokio::test(start_paused = true)]
async fn the_store_waits_between_its_retries() {
    let f = start(SandboxArgs {
        batch_inner_500: 1.0,
        seed: Some(3),
        ..SandboxArgs::default()
    })
    .await;
    let started = tokio::time::Instant::now();
    let ticket = submit(
        &f,
        "?stopOnFirstFailure=false",
        vec![create_item("1", "a@example.com")],
    )
    .await;
    until_every(&f, &ticket, Duration::from_secs(1), is_completed).await;
    assert!(
        started.elapsed() >= Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(f.sandbox.stats().batch_retries, 5);
}

/// A batch holds at most 500 requests; an unknown ticket is a 404.
#[tokio::test]
async fn batch_limits_and_unknown_ticket() {
    let f = start_default().await;
    let items: Vec<Value> = (0..501)
        .map(|i| create_item(&i.to_string(), &format!("c{i}@example.com")))
        .collect();
    let (status, body) = f.post("/batch", Value::Array(items)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "WRONG_PARAMETER");
    assert!(f.sandbox.customers().is_empty());
    let (status, _) = f.get("/batch?ticket=nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// `DELETE /batch?ticketId=` stops a batch: the request already run stays done, the ones not yet
/// run never run, the ticket is gone (a poll is a 404), and the queue goes on with the next
/// batch. A queued batch stopped runs nothing; an unknown ticket answers `deleteCount` 0.
#[tokio::test]
async fn a_stopped_batch_runs_no_more_requests() {
    let f = start_default().await;
    f.sandbox.hold_batches();
    let items = (1..=3)
        .map(|i| create_item(&format!("row-{i}"), &format!("s{i}@example.com")))
        .collect();
    let running = submit(&f, "", items).await;
    let queued = submit(&f, "", vec![create_item("row-5", "q@example.com")]).await;
    let last = submit(&f, "", vec![create_item("row-9", "last@example.com")]).await;
    f.sandbox.allow_batch_requests(1);
    until(&f, &running, |body| body["completedRequests"] == 1).await;

    for ticket in [&running, &queued] {
        let (status, body) = f.delete(&format!("/batch?ticketId={ticket}")).await;
        assert_eq!(
            (status, body),
            (StatusCode::OK, json!({ "deleteCount": 1 }))
        );
        let (status, _) = f.get(&format!("/batch?ticket={ticket}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, body) = f.delete(&format!("/batch?ticketId={running}")).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "deleteCount": 0 }))
    );

    f.sandbox.release_batches();
    finished(&f, &last).await;
    let mut emails: Vec<String> = f
        .sandbox
        .customers()
        .into_iter()
        .filter_map(|c| c.customer.email)
        .collect();
    emails.sort();
    assert_eq!(emails, ["last@example.com", "s1@example.com"]);
    let stats = f.sandbox.stats();
    assert_eq!((stats.batches_stopped, stats.batches), (2, 1));
}
