//! Retry what can succeed, fail at once what cannot: answers that say a request can never work
//! (`501`, `505`, ...) are not sent again and stop the run when they persist; a read whose
//! answer cannot be read is tried once more, then fails naming what could not be read.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::mock::{CUSTOMERS, api, conflict};
use crate::support::{Workspace, column, emails_csv};

fn count(requests: &[Request], verb: &str) -> usize {
    requests
        .iter()
        .filter(|r| r.method.as_str() == verb)
        .count()
}

/// A server that answers 501 to every create: each row it answers fails after that one
/// request (no retry, no look-up), and the third such answer in a row stops the run: exit 3,
/// the rows not yet sent `not_sent`, the summary saying why.
#[tokio::test]
async fn a_501_to_every_create_fails_each_row_once_and_stops_the_run() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(501).set_body_string("Not Implemented"))
        .mount(&server)
        .await;
    let emails: Vec<String> = (0..200).map(|i| format!("c{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let args = ["--snapshot", "never", "--concurrency", "2"];
    let (code, summary) = ws.import_summary(&api(&server), &args).await;
    assert_eq!(code, 3, "{summary}");

    let rows = ws.results();
    assert_eq!(rows.len(), 200);
    let answered: Vec<_> = rows.iter().filter(|r| r["http_status"] == "501").collect();
    assert!(answered.len() >= 3, "{summary}");
    for row in &answered {
        assert_eq!(row["status"], "failed", "{row:?}");
        assert_eq!(row["attempts"], "1", "{row:?}");
        assert!(row["error"].contains("HTTP 501"), "{row:?}");
    }
    assert!(
        answered[0]["error"].contains("can never work"),
        "{:?}",
        answered[0]
    );
    let not_sent = column(&rows, "status")
        .iter()
        .filter(|s| *s == "not_sent")
        .count();
    assert_eq!(not_sent + answered.len(), 200, "{summary}");
    // The run stops at the third answer; the requests in flight then may add one each.
    assert!(answered.len() <= 4, "{}", answered.len());

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(count(&requests, "POST"), answered.len());
    assert_eq!(
        count(&requests, "GET"),
        0,
        "no look-up: a 501 took no effect"
    );
    assert_eq!(summary["retries"], 0, "{summary}");
    let stopped = summary["stopped"].as_str().unwrap_or_default();
    assert!(stopped.contains("HTTP 501"), "{summary}");
    assert!(stopped.contains("--api-url"), "{summary}");
}

/// A look-up (after a 409) whose 200 answer cannot be read is tried once more, then the row
/// fails naming what could not be read; exit 1. Not five times: a read changed nothing.
#[tokio::test]
async fn a_look_up_whose_answer_cannot_be_read_is_tried_once_more() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CUSTOMERS))
        .respond_with(conflict())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": 5})))
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["k@example.com"]));
    let args = ["--snapshot", "never"];
    let (code, summary) = ws.import_summary(&api(&server), &args).await;
    assert_eq!(code, 1, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert_eq!(rows[0]["attempts"], "3", "the create and two look-ups");
    let error = &rows[0]["error"];
    assert!(error.contains("could not be read"), "{error}");
    assert!(error.contains("invalid type: integer `5`"), "{error}");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(count(&requests, "GET"), 2);
    assert_eq!(summary["retries"], 1, "{summary}");
}
