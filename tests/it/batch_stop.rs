//! A batch the tool gives up on (`--batch-timeout`) is stopped first (`DELETE /batch?ticketId=`)
//! so that it can never run later; only then are its rows looked up. A batch whose stop the
//! store does not confirm leaves its rows in doubt, and `--resume` settles them through the
//! ticket.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::json;
use wiremock::{Request, Respond, ResponseTemplate};

use crate::e2e::{assert_holds_each_once, start, store_args};
use crate::support::mock::{BATCH, answer_at, api, batch_store, count};
use crate::support::{Workspace, column, emails_csv, numbered};

/// The store's queue never gets to the batch: after `--batch-timeout` the run stops it, looks
/// each row up and creates it on its own. Released afterwards, the stopped batch never runs:
/// no create of it ever reaches the store.
#[tokio::test]
async fn a_batch_given_up_on_is_stopped_then_its_rows_looked_up() {
    let store = start(store_args()).await;
    store.hold_batches();
    let emails = numbered("held", 12);
    let ws = Workspace::new(&emails_csv(&emails));
    let args = [
        "--batch",
        "--batch-timeout",
        "1",
        "--snapshot",
        "never",
        "--read-back",
        "none",
    ];
    let (code, summary) = ws.import_summary(&store.api_url(), &args).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 12]);
    let kinds = &summary["requests_by_kind"];
    assert_eq!(kinds["batch_cancel"], 1, "{summary}");
    assert_eq!(kinds["search"], 12, "{summary}");
    assert_eq!(kinds["create"], 12, "{summary}");
    let batches = &summary["batches"];
    assert_eq!(
        batches,
        &json!({"sent": 1, "done": 0, "stopped": 1, "pending": 0})
    );
    assert_eq!(store.stats().batches_stopped, 1);

    // The queue runs again: a later batch runs to the end, the stopped one never.
    store.release_batches();
    let later = Workspace::new(&emails_csv(&["later@example.com"]));
    assert_eq!(later.import(&store.api_url(), &["--batch"]).await, 0);
    let stats = store.stats();
    assert_eq!(
        (stats.batches, stats.duplicate_creates),
        (1, 0),
        "{stats:?}"
    );
    let mut all = emails.clone();
    all.push("later@example.com".into());
    assert_holds_each_once(&store, &all);
}

fn inner_created(rows: std::ops::RangeInclusive<u64>) -> serde_json::Value {
    let responses: Vec<_> = rows
        .map(|row| {
            json!({"id": format!("row-{row}"), "status": "COMPLETED", "httpStatusCode": 200,
                   "escapedHttpBody": format!("{{\"id\":{}}}", 500 + row)})
        })
        .collect();
    json!({"status": "COMPLETED", "totalRequests": responses.len(),
           "completedRequests": responses.len(), "responses": responses})
}

/// A store that never finishes the batch and refuses to stop it: the rows stay in doubt
/// (`failed`, saying why, exit 1; the journal keeps the batch open), and nothing is looked up
/// or sent on its own. `--resume --batch` then polls the ticket first and takes the rows'
/// answers from it: no create is sent again.
#[tokio::test]
async fn rows_of_a_batch_not_confirmed_stopped_stay_in_doubt_until_resume() {
    let queued = ResponseTemplate::new(200).set_body_json(json!({"status": "QUEUED"}));
    let server = batch_store("t-1", queued, ResponseTemplate::new(503)).await;
    let api = api(&server);
    let ws = Workspace::new(&emails_csv(&numbered("doubt", 3)));
    let args = [
        "--batch",
        "--batch-timeout",
        "1",
        "--snapshot",
        "never",
        "--max-retries",
        "1",
    ];
    let (code, summary) = ws.import_summary(&api, &args).await;
    assert_eq!(code, 1, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), vec!["failed"; 3]);
    for row in &rows {
        assert!(row["error"].contains("could not be stopped"), "{row:?}");
        assert!(row["error"].contains("--resume"), "{row:?}");
    }
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(
        count(&requests, "DELETE", "/batch"),
        2,
        "the stop and its retry"
    );
    assert_eq!(count(&requests, "GET", "/customers"), 0, "no look-up");
    assert_eq!(
        count(&requests, "POST", "/customers"),
        0,
        "no create on its own"
    );
    let journal = ws.dir.path().join("customers.results.csv.journal");
    let text = std::fs::read_to_string(&journal).expect("journal kept");
    assert!(text.contains("\nB,1,3,"), "{text}");
    assert!(!text.contains("\nX,"), "{text}");

    server.reset().await;
    let done = ResponseTemplate::new(200).set_body_json(inner_created(1..=3));
    answer_at(&server, "GET", BATCH, done).await;
    // No read-back: the requests counted are the settling of the ticket alone.
    let resume = [
        "--batch",
        "--resume",
        "--snapshot",
        "never",
        "--read-back",
        "none",
    ];
    let (code, summary) = ws.import_summary(&api, &resume).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 3]);
    assert_eq!(column(&ws.results(), "customer_id"), ["501", "502", "503"]);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(count(&requests, "GET", "/batch"), 1, "the ticket polled");
    assert_eq!(requests.len(), 1, "nothing else: {requests:?}");
}

/// The batch finishes just as the run gives it up: the stop answers `deleteCount` 0 (nothing
/// left to stop), and one more poll finds it `COMPLETED`: the rows take their answers from it,
/// with no look-up and no create of their own.
#[tokio::test]
async fn a_batch_that_finished_meanwhile_gives_its_answers() {
    /// `QUEUED` until the stop was asked, `COMPLETED` after.
    struct Finishes(Arc<AtomicBool>);
    impl Respond for Finishes {
        fn respond(&self, _: &Request) -> ResponseTemplate {
            let body = if self.0.load(Ordering::SeqCst) {
                inner_created(1..=3)
            } else {
                json!({"status": "QUEUED"})
            };
            ResponseTemplate::new(200).set_body_json(body)
        }
    }
    /// `deleteCount` 0, noting that the stop was asked.
    struct NothingStopped(Arc<AtomicBool>);
    impl Respond for NothingStopped {
        fn respond(&self, _: &Request) -> ResponseTemplate {
            self.0.store(true, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(json!({"deleteCount": 0}))
        }
    }
    let asked = Arc::new(AtomicBool::new(false));
    let server = batch_store("t-2", Finishes(asked.clone()), NothingStopped(asked)).await;
    let api = api(&server);
    let ws = Workspace::new(&emails_csv(&numbered("late", 3)));
    // No read-back: a GET of /customers here can only be a look-up.
    let args = [
        "--batch",
        "--batch-timeout",
        "1",
        "--snapshot",
        "never",
        "--read-back",
        "none",
    ];
    let (code, summary) = ws.import_summary(&api, &args).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(column(&ws.results(), "customer_id"), ["501", "502", "503"]);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(count(&requests, "DELETE", "/batch"), 1);
    assert_eq!(count(&requests, "GET", "/customers"), 0, "no look-up");
    assert_eq!(
        count(&requests, "POST", "/customers"),
        0,
        "no create on its own"
    );
    assert!(!ws.dir.path().join("customers.results.csv.journal").exists());
}
