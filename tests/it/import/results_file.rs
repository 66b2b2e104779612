//! The results file: in input order whatever order the answers come in, and never
//! half-written.

use std::time::Duration;

use serde_json::Value;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::support::mock::{answer, api, created, mock_store};
use crate::support::{Workspace, column, emails_csv};

/// Answers with the row's number as id after a random delay, so they come back out of order.
struct Shuffled;

impl Respond for Shuffled {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let email = body["email"].as_str().unwrap_or_default();
        let n: u64 = email
            .trim_start_matches('n')
            .split('@')
            .next()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        let delay = (n * 7919) % 60;
        created(1000 + n).set_delay(Duration::from_millis(delay))
    }
}

/// Results are in input order whatever order the answers come back in.
#[tokio::test]
async fn results_keep_input_order_when_answers_arrive_shuffled() {
    let server = mock_store().await;
    answer(&server, "POST", Shuffled).await;
    let emails: Vec<String> = (1..=60).map(|i| format!("n{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(
        ws.import(&api(&server), &["--concurrency", "16", "--rate", "60000"])
            .await,
        0
    );
    let rows = ws.results();
    let expected: Vec<String> = (1..=60).map(|i| (1000 + i).to_string()).collect();
    assert_eq!(column(&rows, "customer_id"), expected);
    assert_eq!(
        column(&rows, "row"),
        (1..=60).map(|i| i.to_string()).collect::<Vec<_>>()
    );
}

/// While a run goes on, the results path holds the previous file or the finished one: never
/// a part.
#[tokio::test]
async fn results_file_is_never_half_written() {
    let server = mock_store().await;
    answer(
        &server,
        "POST",
        created(5).set_delay(Duration::from_millis(20)),
    )
    .await;
    let emails: Vec<String> = (0..40).map(|i| format!("h{i}@example.com")).collect();
    let ws = std::sync::Arc::new(Workspace::new(&emails_csv(&emails)));
    std::fs::write(ws.output(), "previous run\n").expect("old results");
    let api = api(&server);
    let run = {
        let ws = std::sync::Arc::clone(&ws);
        tokio::spawn(async move {
            ws.import(&api, &["--concurrency", "2", "--rate", "60000"])
                .await
        })
    };
    let mut looks = 0;
    while !run.is_finished() {
        let text = std::fs::read_to_string(ws.output()).expect("results path always exists");
        assert!(
            text == "previous run\n" || text.lines().count() == 41,
            "partial results file seen: {} lines",
            text.lines().count()
        );
        looks += 1;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(run.await.expect("run"), 0);
    assert!(looks > 1);
    assert_eq!(ws.results().len(), 40);
}
