//! `undo --lane batch`: the reads of a group's customers in one batch, its deletes and restores in
//! another, against the sandbox: the store exactly as before the import, each logged write's
//! status right, a second undo sends no write; with faults on submits and polls and rows
//! refused with 429 inside batches; `kill -9` then undo again.

use ecwid_import::sandbox::{Counting, Sandbox, SandboxArgs};

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column, run_in_process};
use crate::undo::{undo, undo_results};

fn numbered(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}@example.com")).collect()
}

/// The store's customers as the tool reads them, by id.
fn snapshot(store: &Sandbox) -> Vec<(u64, serde_json::Value)> {
    let mut customers: Vec<(u64, serde_json::Value)> = store
        .customers()
        .into_iter()
        .map(|c| (c.id, serde_json::to_value(&c.customer).expect("json")))
        .collect();
    customers.sort_by_key(|(id, _)| *id);
    customers
}

/// A store of 60 customers named `Old N` (registered a day ago), and a file that renames them
/// `New N` and adds 50 new ones; imported through the batch lane with `--on-existing update`
/// (60 `PUT`s and 50 creates, in batches). The store as it was before the import.
async fn imported(args: SandboxArgs) -> (Sandbox, Workspace, Vec<(u64, serde_json::Value)>) {
    let store = start(args).await;
    let old = numbered("kept", 60);
    for (i, email) in old.iter().enumerate() {
        let body =
            serde_json::json!({"email": email, "billingPerson": {"name": format!("Old {i}")}});
        store.seed_customer(body).expect("seeded");
    }
    let before = snapshot(&store);
    let mut csv = String::from("email,name\n");
    for (i, email) in old.iter().chain(&numbered("added", 50)).enumerate() {
        csv.push_str(&format!("{email},New {i}\n"));
    }
    let ws = Workspace::new(&csv);
    let args = [
        "--rate",
        "60000",
        "--batch",
        "--batch-size",
        "40",
        "--on-existing",
        "update",
        "--read-back",
        "none",
    ];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    let statuses = column(&ws.results(), "status");
    assert_eq!(statuses.iter().filter(|s| *s == "updated").count(), 60);
    assert_eq!(statuses.iter().filter(|s| *s == "created").count(), 50);
    (store, ws, before)
}

const LANE: [&str; 5] = ["--yes", "--lane", "batch", "--batch-size", "40"];

/// The undo's statuses of the updates (`kept…` customers) and of the creates (`added…`).
fn undone(ws: &Workspace) -> (Vec<String>, Vec<String>) {
    let rows = undo_results(ws);
    assert_eq!(rows.len(), 110, "{rows:?}");
    let of = |prefix: &str| -> Vec<String> {
        let rows = rows.iter().filter(|r| r["email"].starts_with(prefix));
        rows.map(|r| format!("{} {}", r["status"], r["error"]))
            .collect()
    };
    (of("kept"), of("added"))
}

/// Each logged write's undo status: 60 `restored`, 50 `deleted`.
fn assert_undone(ws: &Workspace) {
    let (updates, creates) = undone(ws);
    assert_eq!(updates.len(), 60);
    assert!(
        updates.iter().all(|s| s.starts_with("restored ")),
        "{updates:?}"
    );
    assert!(
        creates.iter().all(|s| s.starts_with("deleted ")),
        "{creates:?}"
    );
}

/// An undo of a batch import through batches: the store exactly as before the import, every
/// write `restored` or `deleted`; the requests the store received are batches (3 groups: a
/// batch of reads and one of writes each) and their polls; a second undo reads in batches and
/// writes nothing.
#[tokio::test]
async fn an_undo_through_batches_restores_the_store_exactly() {
    let (store, ws, before) = imported(store_args()).await;
    let seen = store.stats();
    assert_eq!(undo(&ws, &store.api_url(), &LANE).await, 0);
    assert_undone(&ws);
    assert_eq!(snapshot(&store), before);
    let stats = store.stats();
    assert_eq!(stats.batches - seen.batches, 6, "{stats:?}");
    let requests = stats.requests - seen.requests;
    assert!(requests <= 6 * 6, "{requests} requests: {stats:?}");

    let again = store.stats();
    assert_eq!(undo(&ws, &store.api_url(), &LANE).await, 0);
    let (updates, creates) = undone(&ws);
    let already = "restored already holds its old values";
    assert!(updates.iter().all(|s| s == already), "{updates:?}");
    assert!(
        creates.iter().all(|s| s.starts_with("not_found ")),
        "{creates:?}"
    );
    let last = store.stats();
    assert_eq!(
        (last.updates, last.not_applied),
        (again.updates, again.not_applied)
    );
    // Reads only: a batch a group.
    assert_eq!(last.batches - again.batches, 3, "{last:?}");
    assert_eq!(snapshot(&store), before);
}

/// 5xx and lost answers on submits and polls (a submit sent again under its key): the store
/// exactly as before the import, every write undone once.
#[tokio::test]
async fn faults_on_submits_and_polls_still_undo_exactly() {
    let (store, ws, before) = imported(SandboxArgs {
        fail_before: 0.2,
        drop_batch_after: 0.3,
        seed: Some(5),
        ..store_args()
    })
    .await;
    assert_eq!(undo(&ws, &store.api_url(), &LANE).await, 0);
    assert_undone(&ws);
    assert_eq!(snapshot(&store), before);
    let stats = store.stats();
    assert!(stats.injected_faults > 0, "{stats:?}");
}

/// A store that refuses the requests inside batches past its limit (FAILED 429, not run): the
/// refused reads and writes go into later batches, none fails for it.
#[tokio::test]
async fn reads_and_writes_refused_with_429_go_into_later_batches() {
    let (store, ws, before) = imported(SandboxArgs {
        rate_limit: 10,
        rate_window_secs: 1.0,
        batch_counting: Counting::Refused,
        ..store_args()
    })
    .await;
    let code = run_in_process(undo_args(&ws, &store, "600")).await;
    assert_eq!(code, 0);
    assert_undone(&ws);
    assert_eq!(snapshot(&store), before);
    let stats = store.stats();
    assert!(stats.batch_inner_429 > 0, "{stats:?}");
}

/// `ecwid-import -q undo <results> --yes --lane batch --batch-size 40` at `--rate <rate>`.
fn undo_args(ws: &Workspace, store: &Sandbox, rate: &str) -> Vec<String> {
    let results = ws.output().to_string_lossy().into_owned();
    let token = ws.token_file.to_string_lossy().into_owned();
    let api = store.api_url();
    let fixed = ["ecwid-import", "-q", "undo", &results, "--store-id", "1003"];
    let more = ["--api-url", &api, "--token-file", &token, "--rate", rate];
    fixed
        .iter()
        .chain(&more)
        .chain(&LANE)
        .map(|s| s.to_string())
        .collect()
}

/// `kill -9` while the undo's batch of writes is queued in the store, then the same undo again:
/// the store runs its batches in order, so the new run's reads find what the queued batch did,
/// and it sends no write of its own; the store exactly as before the import.
#[tokio::test]
async fn killed_with_writes_queued_then_undone_again() {
    let (store, ws, before) = imported(store_args()).await;
    let queued = store.stats().batches_queued;
    let log = ws.dir.path().join("undo.stderr");
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"));
    command
        .args(&undo_args(&ws, &store, "60000")[1..])
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"));
    // The three groups' reads (40, 40 and 30 of them) are queued first; then 40 requests run:
    // the reads of the batch first in the queue (and, if it held 30, 10 of the next one's), so
    // that one group queues its batch of writes behind the others' reads, where it stays until
    // the kill.
    store.hold_batches();
    let mut child = command.spawn().expect("spawn");
    let undo_log = || std::fs::read_to_string(&log).unwrap_or_default();
    let reads_queued = || store.stats().batches_queued >= queued + 3;
    wait_or_tell(&mut child, reads_queued, undo_log).await;
    store.allow_batch_requests(40);
    let writes_queued = || store.stats().batches_queued >= queued + 4;
    wait_or_tell(&mut child, writes_queued, undo_log).await;
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    // No write of the undo ran: the import's 60 updates, its 110 customers.
    let seen = store.stats();
    assert!(seen.updates == 60 && seen.not_applied == 0, "{seen:?}");
    assert_eq!(store.customers().len(), 110);
    store.release_batches();

    assert_eq!(undo(&ws, &store.api_url(), &LANE).await, 0);
    assert_eq!(snapshot(&store), before);
    let stats = store.stats();
    assert_eq!(stats.not_applied, 0, "a write ran twice: {stats:?}");
    let (updates, creates) = undone(&ws);
    assert!(
        updates.iter().all(|s| s.starts_with("restored ")),
        "{updates:?}"
    );
    let gone = |s: &String| s.starts_with("deleted ") || s.starts_with("not_found ");
    assert!(creates.iter().all(gone), "{creates:?}");
}

/// Waits until `ready` holds; if the process ends first, fails with what `stderr` gives.
async fn wait_or_tell(
    child: &mut std::process::Child,
    ready: impl Fn() -> bool,
    stderr: impl Fn() -> String,
) {
    while !ready() {
        if child.try_wait().expect("child state").is_some() {
            panic!("the undo ended before it could be killed: {}", stderr());
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}
