//! A 429 and its `Retry-After`: every worker holds, then the row is sent again.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use crate::support::mock::{answer, api, created, mock_store};
use crate::support::{Workspace, column, emails_csv};

/// Answers in the order given, then the last one forever; notes when each request came.
struct Script {
    answers: Vec<ResponseTemplate>,
    calls: AtomicUsize,
    seen: Mutex<Vec<Instant>>,
}

impl Script {
    fn new(answers: Vec<ResponseTemplate>) -> Self {
        Self {
            answers,
            calls: AtomicUsize::new(0),
            seen: Mutex::new(Vec::new()),
        }
    }
}

impl Respond for &'static Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.seen.lock().expect("lock").push(Instant::now());
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        self.answers[n.min(self.answers.len() - 1)].clone()
    }
}

/// A store whose first create answers 429 with this `Retry-After`, and every later one 200.
async fn rate_limited_once(retry_after: &str) -> (MockServer, &'static Script) {
    let server = mock_store().await;
    let script: &'static Script = Box::leak(Box::new(Script::new(vec![
        ResponseTemplate::new(429)
            .insert_header("Retry-After", retry_after)
            .set_body_json(
                json!({"errorMessage": "Too many requests", "errorCode": "RATE_LIMITED"}),
            ),
        created(7),
    ])));
    answer(&server, "POST", script).await;
    (server, script)
}

/// A 429 pauses every worker for Retry-After, then the row is sent again and created.
#[tokio::test]
async fn rate_limited_answer_holds_all_workers_then_retries() {
    let (server, script) = rate_limited_once("1").await;
    let emails: Vec<String> = (0..6).map(|i| format!("c{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    // One slot at first, so the 429 is answered before any other request leaves.
    let code = ws.import(&api(&server), &["--concurrency", "1"]).await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), vec!["created"; 6]);
    assert_eq!(rows[0]["attempts"], "2");
    let seen = script.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 7, "six creates and one retry");
    // Retry-After is a lower bound: nothing may leave before it has passed.
    assert!(
        seen[1] - seen[0] >= Duration::from_millis(950),
        "the next request left {:?} after the 429",
        seen[1] - seen[0]
    );
}

/// With several workers, none sends while the pause holds.
#[tokio::test]
async fn rate_limited_answer_pauses_other_workers_too() {
    let (server, script) = rate_limited_once("2").await;
    let emails: Vec<String> = (0..12).map(|i| format!("w{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let code = ws.import(&api(&server), &["--concurrency", "4"]).await;
    assert_eq!(code, 0);
    let seen = script.seen.lock().expect("lock").clone();
    let first = seen[0];
    // Requests already in flight when the 429 came may land just after it; a request that
    // left after the 429 was received cannot land within the pause.
    let late: Vec<Duration> = seen
        .iter()
        .map(|t| *t - first)
        .filter(|d| *d > Duration::from_millis(200) && *d < Duration::from_millis(1900))
        .collect();
    assert!(late.is_empty(), "requests sent during the pause: {late:?}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 12]);
}
