//! Batch mode (`--batch`) against the sandbox: rows grouped into `POST /batch`, polled to the
//! end, each row's status and id right; a lost submit answer re-sent under the same key; a
//! crash between submit and poll resumed by polling the ticket; inner 5xx and `NOT_EXECUTED`
//! rows retried on their own. Checked from the results, the store and the exit status.

use std::process::Command;
use std::time::Duration;

use clap::Parser;
use ecwid_import::cli::Cli;
use ecwid_import::sandbox::{Sandbox, SandboxArgs, Stats};

use crate::e2e::{assert_holds_each_once, start, store_args};
use crate::resume::wait_until;
use crate::support::{Workspace, column, emails_csv, numbered, read_csv};

const FAST: [&str; 2] = ["--rate", "60000"];

/// Email (lower case) -> the id the store gave it.
fn stored_ids(store: &Sandbox) -> std::collections::HashMap<String, u64> {
    store
        .customers()
        .into_iter()
        .map(|c| (c.customer.email.unwrap_or_default().to_lowercase(), c.id))
        .collect()
}

/// Every row is `created` with the id the store holds for its email.
fn assert_created_with_store_ids(ws: &Workspace, store: &Sandbox) {
    let ids = stored_ids(store);
    for row in ws.results() {
        assert_eq!(row["status"], "created", "{row:?}");
        let id: u64 = row["customer_id"].parse().expect("customer id");
        assert_eq!(ids.get(&row["email"].to_lowercase()), Some(&id), "{row:?}");
    }
}

/// Creates customers in the store directly, as if they were there before the run; their ids.
async fn precreate(store: &Sandbox, emails: &[String]) -> Vec<u64> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let mut ids = Vec::new();
    for email in emails {
        let url = format!("{}/{}/customers", store.api_url(), store.store_id());
        let body: serde_json::Value = http
            .post(url)
            .bearer_auth(store.token())
            .json(&serde_json::json!({ "email": email }))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("json");
        ids.push(body["id"].as_u64().expect("id"));
    }
    ids
}

/// 1,200 rows in groups of 100: created, existing, store-refused, invalid and duplicate rows
/// each get the right status and id, with a small fraction of the requests of per-row mode.
#[tokio::test]
async fn twelve_hundred_rows_in_batches_with_store_side_refusals() {
    let store = start(SandboxArgs {
        refuse_domain: Some("refused.example".into()),
        ..store_args()
    })
    .await;
    let mut emails = numbered("batch", 1200);
    for i in (7..1200).step_by(40) {
        emails[i] = format!("blocked{i}@refused.example");
    }
    emails[500] = "not an email".into();
    emails[900] = emails[899].to_uppercase();
    let existing: Vec<String> = (13..1200)
        .step_by(97)
        .map(|i| emails[i].clone())
        .filter(|e| !e.ends_with("@refused.example"))
        .collect();
    let existing_ids = precreate(&store, &existing).await;
    // Customers of the store from before the run, not ones the run may have created.
    store.backdate(3600);
    let before = store.stats();
    let ws = Workspace::new(&emails_csv(&emails));
    let summary = ws.dir.path().join("summary.json");
    let args = [
        &FAST[..],
        // Per row, so that the existing emails meet the 409 path inside batches.
        &["--batch", "--snapshot", "never", "--summary-json"],
        &[summary.to_str().expect("utf-8")],
    ]
    .concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 1);

    let rows = ws.results();
    assert_eq!(rows.len(), 1200);
    let ids = stored_ids(&store);
    for (i, row) in rows.iter().enumerate() {
        let email = &emails[i];
        let status = row["status"].as_str();
        if i == 500 {
            assert_eq!(status, "invalid", "{row:?}");
        } else if i == 900 {
            assert_eq!(status, "duplicate", "{row:?}");
        } else if email.ends_with("@refused.example") {
            assert_eq!(status, "failed", "{row:?}");
            assert!(row["error"].contains("WRONG_PARAMETER"), "{row:?}");
            assert!(row["error"].contains("does not accept emails"), "{row:?}");
            assert_eq!(row["http_status"], "400");
        } else if let Some(k) = existing.iter().position(|e| e == email) {
            assert_eq!(status, "exists", "{row:?}");
            assert_eq!(row["customer_id"], existing_ids[k].to_string());
        } else {
            assert_eq!(status, "created", "{row:?}");
            let id: u64 = row["customer_id"].parse().expect("id");
            assert_eq!(ids.get(&email.to_lowercase()), Some(&id), "{row:?}");
            assert_eq!(row["attempts"], "1");
        }
    }
    let stats = store.stats();
    assert_eq!(stats.batches, 12);
    assert_eq!(stats.duplicate_creates, existing.len() as u64);
    let requests = stats.requests - before.requests;
    // 12 submits, about two polls each, the look-ups of the existing emails: far under 1,200.
    assert!(
        requests <= 12 * 4 + existing.len() as u64,
        "{requests} requests"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(summary).expect("summary")).expect("json");
    assert_eq!(
        json["batches"],
        serde_json::json!({"sent": 12, "done": 12, "stopped": 0, "pending": 0})
    );
    assert_eq!(json["requests"], requests);
}

/// A batch whose answer is lost (the store ran it, then the connection dropped) is sent again
/// under the same key: the store answers with the first ticket and nothing is created twice.
#[tokio::test]
async fn lost_batch_answer_is_resent_under_the_same_key() {
    let store = start(SandboxArgs {
        drop_batch_after: 0.5,
        seed: Some(11),
        ..store_args()
    })
    .await;
    let emails = numbered("lost", 300);
    let ws = Workspace::new(&emails_csv(&emails));
    let args = [&FAST[..], &["--batch", "--batch-size", "50"]].concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);

    assert_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert!(stats.dropped > 0, "no answer was lost: {stats:?}");
    assert!(stats.deduplicated_batches > 0, "{stats:?}");
    assert_eq!(stats.batches, 6, "a batch ran twice: {stats:?}");
    assert_eq!((stats.creates, stats.duplicate_creates), (300, 0));
}

/// Requests inside a batch that answer 500 (some after taking effect) are looked up and then
/// sent on their own; those the store did not execute are sent on their own: each row once.
#[tokio::test]
async fn inner_5xx_and_not_executed_rows_are_retried_on_their_own() {
    let store = start(SandboxArgs {
        batch_inner_500: 0.15,
        batch_not_executed: 0.15,
        seed: Some(5),
        ..store_args()
    })
    .await;
    let emails = numbered("inner", 200);
    let ws = Workspace::new(&emails_csv(&emails));
    let args = [&FAST[..], &["--batch", "--batch-size", "50"]].concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);

    assert_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert!(stats.injected_faults > 0);
    assert_eq!(
        stats.duplicate_creates, 0,
        "a create that took effect was sent again"
    );
    let rows = ws.results();
    let retried = rows.iter().filter(|r| r["attempts"] != "1").count();
    assert!(retried > 0, "no row was retried");
    let confirmed = rows
        .iter()
        .filter(|r| r["error"].starts_with("confirmed by look-up"))
        .count();
    assert!(
        confirmed > 0,
        "no inner 500 after the create was confirmed by look-up"
    );
}

/// A store that retries an inner 5xx itself, as Ecwid does with stopOnFirstFailure=false: a
/// create that took effect before its 500 comes back as a 409. With lasting 5xx and requests not
/// executed too, every row still ends exactly once, each customer is stored once, and each row
/// carries the store's id for its email.
#[tokio::test]
async fn store_side_retries_of_inner_5xx_still_end_every_row_once() {
    let store = start(SandboxArgs {
        batch_inner_500_once: 0.3,
        batch_inner_500: 0.05,
        batch_not_executed: 0.05,
        seed: Some(8),
        ..store_args()
    })
    .await;
    let emails = numbered("retried", 200);
    let ws = Workspace::new(&emails_csv(&emails));
    let args = [&FAST[..], &["--batch", "--batch-size", "50"]].concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);

    let rows = ws.results();
    let numbers: Vec<String> = (1..=200).map(|i| i.to_string()).collect();
    assert_eq!(column(&rows, "row"), numbers, "each row once, in order");
    assert_holds_each_once(&store, &emails);
    let ids = stored_ids(&store);
    for row in &rows {
        // A row whose create the store retried into a 409 is found by the look-up that
        // follows, registered during the run: the row's own, `created`.
        assert_eq!(row["status"], "created", "{row:?}");
        let id: u64 = row["customer_id"].parse().expect("customer id");
        assert_eq!(ids.get(&row["email"].to_lowercase()), Some(&id), "{row:?}");
    }
    let stats = store.stats();
    assert!(stats.batch_retries > 0, "{stats:?}");
    assert!(stats.duplicate_creates > 0, "no create came back as a 409");
    assert_eq!(stats.creates, 200);
}

/// `kill -9` after the batch was submitted and its ticket polled while still queued in the
/// store: `--resume --batch` polls the ticket from the journal and sends nothing again.
#[tokio::test]
async fn crash_between_submit_and_poll_then_resume_polls_the_ticket() {
    let (store, ws, emails) = killed_once(true, |stats| stats.batch_polls > 0).await;
    let polls_before = store.stats().batch_polls;
    let journal = ws.dir.path().join("customers.results.csv.journal");
    let text = std::fs::read_to_string(&journal).expect("journal");
    assert!(
        text.contains("\nB,1,60,"),
        "the ticket is in the journal: {text}"
    );

    let mut resume = import_command(&ws, &store, true);
    let output = tokio::task::spawn_blocking(move || resume.output())
        .await
        .expect("join")
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.batches, 1, "the batch ran again: {stats:?}");
    assert_eq!(stats.deduplicated_batches, 0, "the batch was sent again");
    assert_eq!((stats.creates, stats.duplicate_creates), (60, 0));
    assert!(
        stats.batch_polls > polls_before,
        "the ticket was not polled"
    );
    assert!(!ws.dir.path().join("customers.results.csv.journal").exists());
    assert_eq!(column(&read_csv(&ws.output()), "attempts"), vec!["1"; 60]);
}

/// `kill -9` just after the store ran the batch, perhaps before the ticket reached the
/// journal: `--resume` sends the batch again under the same key, and the store runs it once.
#[tokio::test]
async fn crash_right_after_submit_then_resume_creates_each_once() {
    let (store, ws, emails) = killed_once(false, |stats| stats.batches > 0).await;
    let mut resume = import_command(&ws, &store, true);
    let output = tokio::task::spawn_blocking(move || resume.output())
        .await
        .expect("join")
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.batches, 1, "the batch ran again: {stats:?}");
    assert_eq!((stats.creates, stats.duplicate_creates), (60, 0));
}

/// A journaled batch whose ticket the store no longer knows: `--resume --batch` looks its rows
/// up one by one, so those the lost batch created are not created again.
#[tokio::test]
async fn resume_with_a_forgotten_ticket_looks_the_rows_up() {
    let store = start(store_args()).await;
    let emails = numbered("forgotten", 20);
    let ws = Workspace::new(&emails_csv(&emails));
    let ran = precreate(&store, &emails[..8]).await;
    // The interrupted run was an hour ago, and its journal (version 2) has no start: the rows
    // it created are still its own.
    store.backdate(3600);
    let fingerprint = ecwid_import::ledger::journal::fingerprint(&ws.input).expect("fingerprint");
    let mut journal = format!(
        "ecwid-import-journal,2,{fingerprint},1003,{}\n",
        store.api_url()
    );
    for row in 1..=20 {
        journal.push_str(&format!("S,{row}\n"));
    }
    journal.push_str("B,1,20,0000-key,sandbox-1003-999\n");
    std::fs::write(ws.dir.path().join("customers.results.csv.journal"), journal).expect("write");

    let args = [&FAST[..], &["--batch", "--resume"]].concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let rows = ws.results();
    for (i, row) in rows.iter().enumerate() {
        let confirmed = row["error"].starts_with("confirmed by look-up");
        assert_eq!(confirmed, i < 8, "{row:?}");
        if i < 8 {
            assert_eq!(row["customer_id"], ran[i].to_string());
        }
    }
    let stats = store.stats();
    assert_eq!(
        stats.batches, 0,
        "rows of a batch of unknown outcome went into a new batch"
    );
    assert_eq!(stats.duplicate_creates, 0);
}

/// Starts a batch import of 60 rows (one group) with the real binary against a slow store
/// and kills it with SIGKILL as soon as the store's stats pass `when`; with `hold`, the store's
/// batch queue waits until then (so the batch is still queued). The store has run the batch
/// when this returns.
async fn killed_once(
    hold: bool,
    when: impl Fn(&Stats) -> bool,
) -> (Sandbox, Workspace, Vec<String>) {
    let store = start(SandboxArgs {
        latency_ms: 150,
        ..store_args()
    })
    .await;
    if hold {
        store.hold_batches();
    }
    let emails = numbered("crash", 60);
    let ws = Workspace::new(&emails_csv(&emails));
    let mut child = import_command(&ws, &store, false).spawn().expect("spawn");
    wait_until(&mut child, || when(&store.stats())).await;
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    assert!(!ws.output().exists(), "the killed run wrote no results");
    store.release_batches();
    for _ in 0..2_000 {
        if store.stats().batches > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(store.stats().creates, 60, "the batch ran");
    (store, ws, emails)
}

/// The real binary in batch mode, one group, with or without `--resume`.
fn import_command(ws: &Workspace, store: &Sandbox, resume: bool) -> Command {
    let resume: &[&str] = if resume { &["--resume"] } else { &[] };
    ws.import_process(&store.api_url(), &[&["--batch"], resume].concat())
}

/// `--lane` takes auto, direct or batch, and not beside `--batch`; `--batch-size` takes 1 to
/// 500, and only with `--batch` or `--lane`; `--batch-timeout` a number of seconds
/// from 1.
#[test]
fn batch_size_and_timeout_are_checked() {
    let parse = |extra: &[&str]| {
        let args = [&["ecwid-import", "import", "in.csv"][..], extra].concat();
        Cli::try_parse_from(args).is_ok()
    };
    assert!(parse(&["--batch"]));
    assert!(parse(&["--batch", "--batch-size", "500"]));
    assert!(!parse(&["--batch", "--batch-size", "501"]));
    assert!(!parse(&["--batch", "--batch-size", "0"]));
    assert!(!parse(&["--batch-size", "50"]));
    assert!(parse(&["--lane", "auto", "--batch-size", "50"]));
    assert!(parse(&["--lane", "batch"]));
    assert!(parse(&["--lane", "direct"]));
    assert!(
        !parse(&["--lane", "batch", "--batch"]),
        "--batch is --lane batch"
    );
    assert!(!parse(&["--lane", "fast"]));
    assert!(parse(&["--batch", "--batch-timeout", "60"]));
    assert!(!parse(&["--batch", "--batch-timeout", "0"]));
    assert!(!parse(&["--batch", "--batch-timeout", "soon"]));
}

/// `--resume` without `--batch` while the interrupted run left a batch open is refused: the
/// batch may still be queued in the store, so only polling its ticket is safe.
#[tokio::test]
async fn resume_without_batch_is_refused_while_a_batch_is_open() {
    let store = start(store_args()).await;
    let emails = numbered("open", 5);
    let ws = Workspace::new(&emails_csv(&emails));
    let fingerprint = ecwid_import::ledger::journal::fingerprint(&ws.input).expect("fingerprint");
    let journal = format!(
        "ecwid-import-journal,2,{fingerprint},1003,{}\nS,1\nS,2\nS,3\nS,4\nS,5\nB,1,5,0000-key,sandbox-1003-1\n",
        store.api_url()
    );
    std::fs::write(ws.dir.path().join("customers.results.csv.journal"), journal).expect("write");
    let args = [&FAST[..], &["--resume"]].concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 2);
    assert_eq!(store.stats().requests, 0, "nothing was sent");
}

/// Deletes every customer of the sandbox store through the API.
async fn delete_all(store: &Sandbox) {
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    for customer in store.customers() {
        let url = format!(
            "{}/{}/customers/{}",
            store.api_url(),
            store.store_id(),
            customer.id
        );
        let answer = http
            .delete(url)
            .bearer_auth(store.token())
            .send()
            .await
            .expect("sent");
        assert!(answer.status().is_success(), "{answer:?}");
    }
    assert!(store.customers().is_empty());
}

/// Importing a file with `--batch` again after its customers were deleted, within the hour the
/// store remembers deduplication keys, creates them again: each run's keys are its own, so the
/// store does not answer with the first run's ticket and its stale ids.
#[tokio::test]
async fn a_second_run_of_the_same_file_gets_batch_keys_of_its_own() {
    let store = start(store_args()).await;
    let emails = numbered("again", 30);
    let ws = Workspace::new(&emails_csv(&emails));
    let args = ["--batch", "--batch-size", "10", FAST[0], FAST[1]];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_created_with_store_ids(&ws, &store);
    let first: Vec<String> = column(&ws.results(), "customer_id");

    delete_all(&store).await;
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let second: Vec<String> = column(&ws.results(), "customer_id");
    assert!(first.iter().zip(&second).all(|(a, b)| a != b), "new ids");
}
