//! `--resume` answers the rows an interrupted run may have sent from the store it reads anyway:
//! when the snapshot (the whole store, 100 a request) is read, no row is looked up on its own;
//! without it, each such row is looked up as before. A batch the interrupted run left open is
//! settled through its ticket first.

use std::time::{SystemTime, UNIX_EPOCH};

use ecwid_import::sandbox::Sandbox;
use serde_json::Value;

use crate::e2e::{assert_holds_each_once, start, store_args};
use crate::support::{Workspace, column, emails_csv, numbered};

/// Creates customers in the store directly, as the interrupted run did.
async fn precreate(store: &Sandbox, emails: &[String]) {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    for email in emails {
        let url = format!("{}/{}/customers", store.api_url(), store.store_id());
        let answer = http
            .post(url)
            .bearer_auth(store.token())
            .json(&serde_json::json!({ "email": email }))
            .send()
            .await
            .expect("sent");
        assert!(answer.status().is_success());
    }
}

/// The state `kill -9` leaves: 40 rows, rows 1 to 20 went out (`S` lines), the first 10 of them
/// reached the store; the run started two hours ago (by the store's clock) and its creates an
/// hour ago. Another customer was in the store before the run. Extra journal lines follow the
/// start.
async fn interrupted(extra: &str) -> (Sandbox, Workspace, Vec<String>) {
    let store = start(store_args()).await;
    let emails = numbered("again", 40);
    let mut rows = emails.clone();
    rows.push("before@example.com".into());
    let ws = Workspace::new(&emails_csv(&rows));
    precreate(&store, &["before@example.com".to_string()]).await;
    store.backdate(4 * 3600);
    precreate(&store, &emails[..10]).await;
    store.backdate(3600);
    let fingerprint = ecwid_import::ledger::journal::fingerprint(&ws.input).expect("fingerprint");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let mut journal = format!(
        "ecwid-import-journal,3,{fingerprint},1003,{},0123456789abcdef\nT,{}\n",
        store.api_url(),
        now - 2 * 3600
    );
    for row in 1..=20 {
        journal.push_str(&format!("S,{row}\n"));
    }
    journal.push_str(extra);
    std::fs::write(ws.dir.path().join("customers.results.csv.journal"), journal).expect("write");
    (store, ws, rows)
}

/// Rows 1 to 10 `created` (the interrupted run's, confirmed), 11 to 40 created now, the
/// customer from before `exists`.
fn assert_settled(ws: &Workspace) {
    let rows = ws.results();
    let mut expected = vec!["created"; 40];
    expected.push("exists");
    assert_eq!(column(&rows, "status"), expected);
    for row in &rows[..10] {
        assert!(row["error"].starts_with("confirmed"), "{row:?}");
    }
    for row in &rows[10..40] {
        assert!(row["error"].is_empty(), "{row:?}");
    }
}

fn kinds(summary: &Value) -> (u64, u64, u64) {
    let kind = |k: &str| summary["requests_by_kind"][k].as_u64().expect("count");
    (kind("list"), kind("search"), kind("create"))
}

/// With the whole store read (`--snapshot always`), the 20 rows that may have been sent are
/// answered from it: no look-up; the 10 it holds are confirmed, the 10 it lacks created at
/// once. Requests: the size and one page, and 30 creates.
#[tokio::test]
async fn rows_in_doubt_are_answered_from_the_snapshot() {
    let (store, ws, rows) = interrupted("").await;
    let args = ["--resume", "--snapshot", "always"];
    let (code, summary) = ws.import_summary(&store.api_url(), &args).await;
    assert_eq!(code, 0, "{summary}");
    assert_settled(&ws);
    let first = &ws.results()[0];
    assert!(first["error"].contains("the store read first"), "{first:?}");
    assert_eq!(kinds(&summary), (2, 0, 30), "{summary}");
    // And one page read back: the 30 created now (the 10 confirmed are not read back).
    assert_eq!(summary["requests"], 33, "{summary}");
    assert_eq!(summary["read_back"]["customers"], 30, "{summary}");
    assert_eq!(store.stats().duplicate_creates, 0);
    assert_holds_each_once(&store, &rows);
}

/// Without a snapshot, each of the 20 is looked up as before: 20 look-ups, 30 creates, and the
/// customer from before meets the 409 path (a create and a look-up).
#[tokio::test]
async fn without_a_snapshot_rows_in_doubt_are_looked_up() {
    let (store, ws, rows) = interrupted("").await;
    let args = ["--resume", "--snapshot", "never"];
    let (code, summary) = ws.import_summary(&store.api_url(), &args).await;
    assert_eq!(code, 0, "{summary}");
    assert_settled(&ws);
    assert_eq!(kinds(&summary), (0, 21, 31), "{summary}");
    assert_holds_each_once(&store, &rows);
}

/// With `--batch`, the rows of the batch the interrupted run left open (rows 1 to 20, its
/// ticket forgotten by the store) are settled through the ticket first, never from the
/// snapshot read before: its poll, then a look-up each (the batch may have run after the
/// store was read). The other rows are answered from the snapshot as above.
#[tokio::test]
async fn rows_of_an_open_batch_are_settled_through_its_ticket_first() {
    let (store, ws, rows) = interrupted("B,1,20,0000-key,sandbox-1003-999\n").await;
    let args = ["--resume", "--batch", "--snapshot", "always"];
    let (code, summary) = ws.import_summary(&store.api_url(), &args).await;
    assert_eq!(code, 0, "{summary}");
    assert_settled(&ws);
    let kind = |k: &str| summary["requests_by_kind"][k].as_u64().expect("count");
    assert_eq!(kind("batch_poll"), 1, "{summary}");
    assert_eq!(kind("search"), 20, "{summary}");
    assert_eq!(kind("list"), 2, "{summary}");
    assert_eq!(store.stats().duplicate_creates, 0);
    assert_holds_each_once(&store, &rows);
}
