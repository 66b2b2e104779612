//! The batch API: tickets, polling, stopOnFirstFailure and deduplication.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Fixture, error_code, start_default};

/// Polls a batch ticket: the first poll is QUEUED, the next COMPLETED.
async fn poll(f: &Fixture, ticket: &str) -> Value {
    let path = format!("/batch?ticket={ticket}&escapedJson=true");
    let (status, first) = f.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["status"], "QUEUED");
    let (_, done) = f.get(&path).await;
    assert_eq!(done["status"], "COMPLETED");
    done
}

/// Polls a batch ticket until the batch is `COMPLETED`; its last status.
pub(super) async fn finished(f: &Fixture, ticket: &str) -> Value {
    let path = format!("/batch?ticket={ticket}&escapedJson=true");
    for _ in 0..2_000 {
        let (status, body) = f.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if body["status"] == "COMPLETED" {
            return body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("batch {ticket} never completed");
}

fn create_item(id: &str, email: &str) -> Value {
    json!({ "id": id, "path": "/customers", "method": "POST", "body": { "email": email } })
}

/// A batch stops at its first failure by default; later requests are NOT_EXECUTED.
#[tokio::test]
async fn batch_stops_on_first_failure_by_default() {
    let f = start_default().await;
    let batch = json!([
        create_item("row-1", "a@example.com"),
        create_item("row-2", "A@example.com"),
        create_item("row-3", "b@example.com"),
    ]);
    let (status, body) = f.post("/batch", batch).await;
    assert_eq!(status, StatusCode::OK);
    let ticket = body["ticket"].as_str().expect("ticket").to_string();
    let done = poll(&f, &ticket).await;
    assert_eq!(done["totalRequests"], 3);
    assert_eq!(done["completedRequests"], 2);
    let responses = done["responses"].as_array().expect("responses");
    assert_eq!(responses[0]["id"], "row-1");
    assert_eq!(responses[0]["status"], "COMPLETED");
    assert_eq!(responses[0]["httpStatusCode"], 200);
    let escaped = responses[0]["escapedHttpBody"]
        .as_str()
        .expect("escaped body");
    let created: Value = serde_json::from_str(escaped).expect("escaped JSON");
    assert_eq!(created["id"], f.sandbox.customers()[0].id);
    assert_eq!(responses[1]["status"], "FAILED");
    assert_eq!(responses[1]["httpStatusCode"], 409);
    assert_eq!(
        responses[2],
        json!({ "id": "row-3", "status": "NOT_EXECUTED" })
    );
    assert_eq!(f.sandbox.customers().len(), 1);
}

/// With stopOnFirstFailure=false every request runs; a deduplication key runs a batch once.
#[tokio::test]
async fn batch_runs_all_without_stop_and_deduplicates_by_key() {
    let f = start_default().await;
    let batch = json!([
        create_item("1", "a@example.com"),
        create_item("2", "a@example.com"),
        create_item("3", "b@example.com"),
        { "id": "4", "path": "/customers?email=b@example.com&useExactEmailMatch=true", "method": "GET" },
    ]);
    let path = "/batch?stopOnFirstFailure=false&deduplicationKey=7f9c-key";
    let (_, first) = f.post(path, batch.clone()).await;
    let (_, again) = f.post(path, batch).await;
    assert_eq!(first["ticket"], again["ticket"]);
    let ticket = first["ticket"].as_str().expect("ticket").to_string();
    let done = poll(&f, &ticket).await;
    let statuses: Vec<&Value> = done["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, ["COMPLETED", "FAILED", "COMPLETED", "COMPLETED"]);
    let found = done["responses"][3]["escapedHttpBody"]
        .as_str()
        .expect("body");
    let found: Value = serde_json::from_str(found).expect("JSON");
    assert_eq!(found["total"], 1);
    assert_eq!(f.sandbox.customers().len(), 2);
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.duplicate_creates), (2, 1));
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
