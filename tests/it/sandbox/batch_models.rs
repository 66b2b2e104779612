//! The stores the sandbox can stand in for, where Ecwid's docs are silent: how many requests of
//! a batch run at once (parallel mode honoured or not), and how requests inside batches count
//! against the token's rate limit (not at all, throttled to it, or refused past it).

use reqwest::StatusCode;
use serde_json::{Value, json};

use ecwid_import::sandbox::{Counting, SandboxArgs};

use super::Fixture;
use super::batch::finished;
use super::start;

fn creates(n: usize) -> Vec<Value> {
    (1..=n)
        .map(|i| {
            json!({
                "id": format!("row-{i}"),
                "path": "/customers",
                "method": "POST",
                "body": { "email": format!("m{i}@example.com") },
            })
        })
        .collect()
}

async fn submit(f: &Fixture, query: &str, n: usize) -> String {
    let (status, body) = f
        .post(&format!("/batch{query}"), Value::Array(creates(n)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["ticket"].as_str().expect("ticket").to_string()
}

/// Waits, through the inspection endpoint (which never counts), until the store has run
/// `batches` batches to the end or created `creates` customers.
async fn until_store(f: &Fixture, done: impl Fn(&ecwid_import::sandbox::Stats) -> bool) {
    for _ in 0..5_000 {
        if done(&f.sandbox.stats()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("the store never got there: {:?}", f.sandbox.stats());
}

/// With `allowParallelMode=true` the store runs up to 100 requests of a batch at once; without
/// it, or when the store does not honour it, one at a time. Every request runs once either way.
#[tokio::test]
async fn parallel_mode_runs_up_to_a_hundred_at_once_when_honoured() {
    for (ignore, query, widest) in [
        (
            false,
            "?stopOnFirstFailure=false&allowParallelMode=true",
            100,
        ),
        (false, "?stopOnFirstFailure=false", 1),
        (true, "?stopOnFirstFailure=false&allowParallelMode=true", 1),
    ] {
        let f = start(SandboxArgs {
            batch_request_ms: 2,
            ignore_parallel_mode: ignore,
            ..SandboxArgs::default()
        })
        .await;
        let ticket = submit(&f, query, 250).await;
        let done = finished(&f, &ticket).await;
        assert_eq!(done["completedRequests"], 250);
        let stats = f.sandbox.stats();
        assert_eq!(
            stats.batch_max_parallel, widest,
            "{query}, ignored: {ignore}"
        );
        assert_eq!((stats.creates, stats.duplicate_creates), (250, 0));
    }
}

/// Counted and refused: past the token's limit (the submit took one slot), a request inside
/// the batch is not executed and answered FAILED with httpStatusCode 429; the client's own
/// requests find the window full too.
#[tokio::test]
async fn refused_model_answers_inner_requests_past_the_limit_429() {
    let f = start(SandboxArgs {
        rate_limit: 10,
        batch_counting: Counting::Refused,
        ..SandboxArgs::default()
    })
    .await;
    let ticket = submit(&f, "?stopOnFirstFailure=false", 15).await;
    until_store(&f, |s| s.batches == 1).await;
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.batch_inner_429), (9, 6));
    assert_eq!(f.sandbox.customers().len(), 9);
    let (status, _) = f.get(&format!("/batch?ticket={ticket}")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the window is spent");
}

/// The refused answers as a client reads them: FAILED, 429, the reason phrase, and an error body.
#[tokio::test]
async fn refused_inner_requests_read_as_failed_429() {
    let f = start(SandboxArgs {
        rate_limit: 4,
        rate_window_secs: 0.3,
        batch_counting: Counting::Refused,
        ..SandboxArgs::default()
    })
    .await;
    let ticket = submit(&f, "?stopOnFirstFailure=false", 6).await;
    // The poll waits out the short window when it finds it full.
    let done = finished(&f, &ticket).await;
    let responses = done["responses"].as_array().expect("responses");
    let refused: Vec<&Value> = responses
        .iter()
        .filter(|r| r["httpStatusCode"] == 429)
        .collect();
    assert!(!refused.is_empty(), "{done}");
    for r in &refused {
        assert_eq!(
            (&r["status"], &r["httpStatusLine"]),
            (&json!("FAILED"), &json!("Too Many Requests"))
        );
        let body: Value =
            serde_json::from_str(r["escapedHttpBody"].as_str().expect("body")).expect("JSON body");
        assert_eq!(body["errorCode"], "RATE_LIMITED");
    }
    let created = responses
        .iter()
        .filter(|r| r["status"] == "COMPLETED")
        .count();
    assert_eq!(created + refused.len(), 6);
    assert_eq!(f.sandbox.customers().len(), created);
}

/// Counted and throttled: a request inside the batch waits for room in the window instead of
/// failing, so the batch takes longer; meanwhile the client's own requests find the window full.
#[tokio::test]
async fn throttled_model_waits_for_room_and_fills_the_window() {
    let f = start(SandboxArgs {
        rate_limit: 10,
        batch_counting: Counting::Throttled,
        ..SandboxArgs::default()
    })
    .await;
    let ticket = submit(&f, "?stopOnFirstFailure=false", 15).await;
    until_store(&f, |s| s.creates == 9).await;
    let (status, _) = f.get(&format!("/batch?ticket={ticket}")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the window is spent");
    let stats = f.sandbox.stats();
    assert_eq!(
        (stats.batches, stats.batch_inner_429),
        (0, 0),
        "still running"
    );

    // With a short window, the rest runs as room comes: every request once, none refused.
    let f = start(SandboxArgs {
        rate_limit: 5,
        rate_window_secs: 0.2,
        batch_counting: Counting::Throttled,
        ..SandboxArgs::default()
    })
    .await;
    let ticket = submit(&f, "?stopOnFirstFailure=false&allowParallelMode=true", 15).await;
    let done = finished(&f, &ticket).await;
    assert_eq!(done["completedRequests"], 15);
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.batch_inner_429), (15, 0));
}

/// Not counted (the default): a batch of more requests than the limit runs them all.
#[tokio::test]
async fn uncounted_model_runs_a_batch_past_the_limit() {
    let f = start(SandboxArgs {
        rate_limit: 5,
        ..SandboxArgs::default()
    })
    .await;
    let ticket = submit(&f, "?stopOnFirstFailure=false", 20).await;
    let done = finished(&f, &ticket).await;
    assert_eq!(done["completedRequests"], 20);
    assert_eq!(f.sandbox.customers().len(), 20);
}
