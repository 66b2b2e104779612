//! The rate limit, injected faults and the stats that count them.

use reqwest::StatusCode;
use serde_json::{Value, json};

use ecwid_import::sandbox::SandboxArgs;

use super::{error_code, start, start_default};

/// Past the limit every request is a 429 with Retry-After until the window frees; 429s do
/// not count toward the window; inspection is never limited.
#[tokio::test]
async fn rate_limit_answers_429_until_the_window_frees() {
    let f = start(SandboxArgs {
        rate_limit: 5,
        rate_window_secs: 1.0,
        ..SandboxArgs::default()
    })
    .await;
    for _ in 0..5 {
        assert_eq!(f.get("/profile").await.0, StatusCode::OK);
    }
    let mut retry_after = 0;
    for _ in 0..3 {
        let response = f
            .request(reqwest::Method::GET, "/profile")
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let header = response.headers().get("Retry-After").expect("Retry-After");
        retry_after = header
            .to_str()
            .expect("text")
            .parse::<u64>()
            .expect("seconds");
        assert!(retry_after >= 1);
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(
            body,
            json!({ "errorMessage": "Too many requests", "errorCode": "RATE_LIMITED" })
        );
    }
    let stats = f.stats().await;
    assert_eq!(stats.rate_limited, 3);
    assert_eq!(stats.by_status.get("429"), Some(&3));
    assert_eq!(stats.max_in_window, 8);
    tokio::time::sleep(std::time::Duration::from_secs(retry_after)).await;
    assert_eq!(f.get("/profile").await.0, StatusCode::OK);
}

/// fail-before answers 500 or 503 INTERNAL_ERROR and stores nothing.
#[tokio::test]
async fn fail_before_stores_nothing() {
    let f = start(SandboxArgs {
        fail_before: 1.0,
        seed: Some(7),
        ..SandboxArgs::default()
    })
    .await;
    for i in 0..4 {
        let (status, body) = f
            .post(
                "/customers",
                json!({ "email": format!("f{i}@example.com") }),
            )
            .await;
        assert!(
            [
                StatusCode::INTERNAL_SERVER_ERROR,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(&status),
            "{status}"
        );
        assert_eq!(error_code(&body), "INTERNAL_ERROR");
    }
    assert!(f.stored().await.is_empty());
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.injected_faults), (0, 4));
}

/// fail-after stores the customer, then answers 500: a blind retry meets a 409.
#[tokio::test]
async fn fail_after_stores_then_answers_500() {
    let f = start(SandboxArgs {
        fail_after: 1.0,
        seed: Some(7),
        ..SandboxArgs::default()
    })
    .await;
    let body = json!({ "email": "late@example.com" });
    let (status, answer) = f.post("/customers", body.clone()).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_code(&answer), "INTERNAL_ERROR");
    assert_eq!(f.stored().await.len(), 1);
    let (status, _) = f.post("/customers", body).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Only creates are hit: a search still answers.
    assert_eq!(f.get("/customers").await.0, StatusCode::OK);
}

/// drop-after stores the customer, then closes the connection with no answer.
#[tokio::test]
async fn drop_after_stores_then_closes_the_connection() {
    let f = start(SandboxArgs {
        drop_after: 1.0,
        seed: Some(7),
        ..SandboxArgs::default()
    })
    .await;
    let sent = f
        .request(reqwest::Method::POST, "/customers")
        .json(&json!({ "email": "gone@example.com" }))
        .send()
        .await;
    let error = sent.expect_err("no answer");
    assert!(!error.is_status(), "{error}");
    let stored = f.stored().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].customer.email.as_deref(),
        Some("gone@example.com")
    );
    let stats = f.stats().await;
    assert_eq!((stats.creates, stats.dropped), (1, 1));
    // The server goes on serving other connections.
    assert_eq!(f.get("/profile").await.0, StatusCode::OK);
}

/// spurious-429 answers 429 with Retry-After: 1 under the limit and takes no effect.
#[tokio::test]
async fn spurious_429_says_retry_after_one_second() {
    let f = start(SandboxArgs {
        spurious_429: 1.0,
        latency_ms: 5,
        seed: Some(7),
        ..SandboxArgs::default()
    })
    .await;
    let response = f
        .request(reqwest::Method::POST, "/customers")
        .json(&json!({ "email": "s@example.com" }))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after = response.headers().get("Retry-After").expect("header");
    assert_eq!(retry_after, "1");
    assert!(f.sandbox.customers().is_empty());
    assert_eq!(f.sandbox.stats().rate_limited, 1);
}

/// Stats count requests, answers by status, creates and their duplicates; inspection is free.
#[tokio::test]
async fn stats_count_what_the_store_saw() {
    let f = start_default().await;
    f.create("a@example.com").await;
    f.post("/customers", json!({ "email": "A@example.com" }))
        .await;
    f.post("/customers", json!({ "email": "bad" })).await;
    f.send(f.http.get(f.url("/profile"))).await;
    f.stored().await;
    let stats = f.stats().await;
    assert_eq!(stats, f.sandbox.stats());
    assert_eq!(stats.requests, 4);
    let by_status: Vec<(&str, u64)> = stats
        .by_status
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(by_status, [("200", 1), ("400", 1), ("403", 1), ("409", 1)]);
    assert_eq!(stats.creates, 1);
    assert_eq!(stats.duplicate_creates, 1);
    assert_eq!(stats.bad_token, 1);
    assert_eq!(stats.max_in_window, 4);
    assert_eq!(stats.rate_limited, 0);
}

/// The fault choices under one seed are the same from run to run.
#[tokio::test]
async fn a_seed_repeats_the_fault_choices() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let f = start(SandboxArgs {
            fail_before: 0.5,
            seed: Some(42),
            ..SandboxArgs::default()
        })
        .await;
        let mut statuses = Vec::new();
        for _ in 0..20 {
            statuses.push(f.get("/profile").await.0.as_u16());
        }
        runs.push(statuses);
        f.sandbox.shutdown().await;
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].contains(&200) && runs[0].iter().any(|s| *s >= 500));
}
