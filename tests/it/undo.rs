//! `undo` against the sandbox: the store back as it was before the import, nothing touched that
//! changed since, orders kept, writes of unknown outcome found, the log written before a write
//! leaves, and one run per results file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ecwid_import::lock::{OutputLock, path_for};
use ecwid_import::sandbox::{Sandbox, SandboxArgs, StoredCustomer};
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::resume::{interrupt, wait_for_creates, wait_until};
use crate::support::{TOKEN, Workspace, column, emails_csv, read_csv, run_in_process};

const FAST: [&str; 2] = ["--rate", "60000"];

fn emails(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}@example.com")).collect()
}

/// `ecwid-import undo <results> --store-id 1003 --api-url <api> --token-file ... <extra>`,
/// run in-process; the exit status.
pub(crate) async fn undo(ws: &Workspace, api_url: &str, extra: &[&str]) -> i32 {
    let results = ws.output();
    let token = ws.token_file.to_string_lossy().into_owned();
    let mut args: Vec<String> = [
        "ecwid-import",
        "-q",
        "undo",
        &results.to_string_lossy(),
        "--store-id",
        "1003",
        "--api-url",
        api_url,
        "--token-file",
        &token,
        "--rate",
        "60000",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    run_in_process(args).await
}

pub(crate) fn undo_results(ws: &Workspace) -> Vec<HashMap<String, String>> {
    read_csv(&ws.dir.path().join("customers.results.undo-results.csv"))
}

fn undo_log(ws: &Workspace) -> PathBuf {
    ws.dir.path().join("customers.results.undo.jsonl")
}

fn sorted(mut customers: Vec<StoredCustomer>) -> Vec<StoredCustomer> {
    customers.sort_by_key(|c| c.id);
    customers
}

fn statuses(ws: &Workspace) -> Vec<String> {
    column(&undo_results(ws), "status")
}

/// A store holding `existing` customers, imported before (and so before the run under test).
async fn store_with(existing: &[String]) -> Sandbox {
    let store = start(store_args()).await;
    let before = Workspace::new(&emails_csv(existing));
    assert_eq!(before.import(&store.api_url(), &FAST).await, 0);
    store.backdate(3600);
    store
}

/// The record as `GET /customers/{id}` shows it, without the time of the last write.
async fn shown(store: &Sandbox, id: u64) -> Value {
    let url = format!("{}/1003/customers/{id}", store.api_url());
    let client = reqwest::Client::new();
    let answer = client
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("get");
    let mut record: Value = answer.json().await.expect("json");
    strip_times(&mut record);
    record
}

fn strip_times(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("updated");
            map.remove("timestamp");
            map.values_mut().for_each(strip_times);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_times),
        _ => {}
    }
}

/// `PUT /customers/{id}` from outside the tool, as a merchant's edit in the control panel.
async fn edit(store: &Sandbox, id: u64, body: Value) {
    let url = format!("{}/1003/customers/{id}", store.api_url());
    let client = reqwest::Client::new();
    let answer = client.put(url).bearer_auth(TOKEN).json(&body).send().await;
    assert!(answer.expect("put").status().is_success());
}

fn id_of(store: &Sandbox, email: &str) -> u64 {
    let found = store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some(email));
    found.expect("in the store").id
}

/// Import, then `undo` (nothing written: would_delete), then `undo --yes`: the store as before
/// the import, a customer that existed before untouched; a second `undo --yes` writes nothing.
#[tokio::test]
async fn undo_returns_the_store_to_before_the_import() {
    let old = emails("old", 2);
    let store = store_with(&old).await;
    let before = sorted(store.customers());
    let mut rows = emails("new", 5);
    rows.push(old[0].clone());
    let ws = Workspace::new(&emails_csv(&rows));
    // Row by row, so that the existing customer's create is sent (and refused with a 409).
    let row_by_row = [FAST[0], FAST[1], "--snapshot", "never"];
    assert_eq!(ws.import(&store.api_url(), &row_by_row).await, 0);
    assert_eq!(store.customers().len(), 7);

    assert_eq!(undo(&ws, &store.api_url(), &[]).await, 0);
    let mut expected = vec!["would_delete"; 5];
    expected.push("not_found");
    assert_eq!(statuses(&ws), expected);
    assert_eq!(store.customers().len(), 7, "nothing deleted without --yes");

    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    let mut expected = vec!["deleted"; 5];
    expected.push("not_found");
    assert_eq!(statuses(&ws), expected);
    assert_eq!(sorted(store.customers()), before);

    let requests = store.stats().requests;
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert_eq!(statuses(&ws), vec!["not_found"; 6]);
    let http: Vec<String> = column(&undo_results(&ws), "http_status");
    assert_eq!(http[..5], vec!["404"; 5]);
    // One read for each deleted customer (a 404), and no write.
    assert_eq!(store.stats().requests - requests, 5);
    assert_eq!(sorted(store.customers()), before);
    for file in [
        undo_log(&ws),
        ws.dir.path().join("customers.results.undo-results.csv"),
    ] {
        let text = std::fs::read_to_string(&file).expect("written");
        assert!(!text.contains(TOKEN), "token in {}", file.display());
    }
}

/// `--on-existing update` changed a customer; undo gives it back its old values exactly (an
/// unset text as it was), and a second undo finds it restored without a write.
#[tokio::test]
async fn undo_restores_what_an_update_replaced() {
    let store = start(store_args()).await;
    let first = Workspace::new("email,name,privateAdminNotes\nkept@example.com,Old Name,\n");
    assert_eq!(first.import(&store.api_url(), &FAST).await, 0);
    let id = id_of(&store, "kept@example.com");
    let before = shown(&store, id).await;

    let ws = Workspace::new("email,name,privateAdminNotes\nkept@example.com,New Name,imported\n");
    let args = ["--rate", "60000", "--on-existing", "update"];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_eq!(column(&ws.results(), "status"), vec!["updated"]);
    assert_ne!(shown(&store, id).await, before);

    assert_eq!(undo(&ws, &store.api_url(), &[]).await, 0);
    assert_eq!(statuses(&ws), vec!["would_restore"]);
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert_eq!(statuses(&ws), vec!["restored"]);
    assert_eq!(shown(&store, id).await, before);

    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    let rows = undo_results(&ws);
    assert_eq!(column(&rows, "status"), vec!["restored"]);
    assert!(rows[0]["error"].contains("already"), "{rows:?}");
}

/// A customer edited in the store since the import, and one with orders, are left alone
/// (skipped, with what changed), the others deleted; exit 1.
#[tokio::test]
async fn undo_leaves_changed_customers_and_customers_with_orders() {
    let store = start(store_args()).await;
    let rows = emails("kept", 4);
    let named: Vec<String> = rows.iter().map(|e| format!("{e},Imported Name")).collect();
    let ws = Workspace::new(&format!("email,name\n{}\n", named.join("\n")));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let edited = id_of(&store, &rows[0]);
    edit(&store, edited, json!({"billingPerson": {"name": "Edited"}})).await;
    let ordered = id_of(&store, &rows[1]);
    assert!(store.set_orders(ordered, 2));

    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 1);
    let results = undo_results(&ws);
    assert_eq!(
        column(&results, "status"),
        vec!["skipped", "skipped", "deleted", "deleted"]
    );
    assert!(
        results[0]["error"].contains("billingPerson.name"),
        "{results:?}"
    );
    assert!(results[0]["error"].contains("Edited"), "{results:?}");
    assert_eq!(results[1]["error"], "has orders");
    let left: Vec<u64> = sorted(store.customers()).iter().map(|c| c.id).collect();
    assert_eq!(left, vec![edited, ordered]);
}

/// Creates whose answer was lost (the store created them, then failed or dropped the
/// connection), and a log without outcome lines (a killed import): each looked up by its
/// email and deleted.
#[tokio::test]
async fn undo_finds_creates_of_unknown_outcome() {
    for faults in [
        SandboxArgs {
            fail_after: 1.0,
            seed: Some(3),
            ..store_args()
        },
        SandboxArgs {
            drop_after: 1.0,
            seed: Some(4),
            ..store_args()
        },
    ] {
        let store = start(faults).await;
        let ws = Workspace::new(&emails_csv(&emails("lost", 4)));
        ws.import(&store.api_url(), &FAST).await;
        assert_eq!(store.customers().len(), 4);
        keep_only_write_lines(&undo_log(&ws));
        assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
        assert_eq!(statuses(&ws), vec!["deleted"; 4]);
        assert!(store.customers().is_empty());
    }
}

/// Removes the outcome lines from an undo log, as if the import had been killed before any
/// outcome was known.
fn keep_only_write_lines(log: &Path) {
    let text = std::fs::read_to_string(log).expect("undo log");
    let kept: Vec<&str> = text.lines().filter(|l| l.contains("\"write\"")).collect();
    assert_eq!(kept.len(), 4, "{text}");
    std::fs::write(log, kept.join("\n") + "\n").expect("rewrite log");
}

/// `kill -9` right after the store got creates: each of them is in the log already; after
/// `--resume`, undo deletes every customer of both runs. The log is readable by its owner only.
#[tokio::test]
async fn the_log_reaches_the_file_before_the_create_leaves() {
    let store = start(SandboxArgs {
        latency_ms: 25,
        ..store_args()
    })
    .await;
    let ws = Workspace::new(&emails_csv(&emails("killed", 60)));
    let mut child = ws
        .import_process(&store.api_url(), &["--concurrency", "4"])
        .spawn()
        .expect("spawn");
    wait_for_creates(&store, 3, &mut child).await;
    child.kill().expect("kill");
    child.wait().expect("wait");
    let log = std::fs::read_to_string(undo_log(&ws)).expect("undo log");
    for customer in store.customers() {
        let email = customer.customer.email.unwrap_or_default();
        assert!(log.contains(&format!("\"{email}\"")), "{email} not logged");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(undo_log(&ws)).expect("log").permissions();
        assert_eq!(mode.mode() & 0o777, 0o600);
    }
    // `--resume` appends to the same log: one undo reverses both runs.
    let resume = ["--rate", "60000", "--resume"];
    assert_eq!(ws.import(&store.api_url(), &resume).await, 0);
    assert_eq!(store.customers().len(), 60);
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert!(store.customers().is_empty());
    assert_eq!(statuses(&ws), vec!["deleted"; 60]);
}

/// A second run on the same results file while one holds its lock: exit 75, nothing sent.
#[tokio::test]
async fn undo_while_the_results_file_is_locked_exits_75() {
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails("locked", 2)));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let requests = store.stats().requests;
    let _held = OutputLock::take(&ws.output(), &path_for(&ws.output())).expect("lock");
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 75);
    assert_eq!(store.stats().requests, requests);
    assert_eq!(store.customers().len(), 2);
}

/// An undo whose results file would be written over the log it reads (a link in its place) is
/// refused with exit 2 before anything is sent; the log is as it was, the store untouched.
#[cfg(unix)]
#[tokio::test]
async fn undo_refuses_to_write_its_results_over_the_log_it_reads() {
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails("linked", 2)));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let log = std::fs::read(undo_log(&ws)).expect("the import's undo log");
    let link = ws.dir.path().join("customers.results.undo-results.csv");
    std::os::unix::fs::symlink(undo_log(&ws), &link).expect("link");
    let requests = store.stats().requests;
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 2);
    assert_eq!(store.stats().requests, requests, "nothing sent");
    assert_eq!(store.customers().len(), 2);
    assert_eq!(
        std::fs::read(undo_log(&ws)).expect("log"),
        log,
        "the log as it was"
    );
}

/// Without an undo log (a sandbox import keeps none) undo refuses with exit 2.
#[tokio::test]
async fn undo_without_a_log_is_a_usage_error() {
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails("none", 1)));
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 2);
}

/// Creates sent inside batches are logged one by one and undone like any others.
#[tokio::test]
async fn undo_reverses_a_batch_import() {
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails("batched", 7)));
    let args = ["--rate", "60000", "--batch", "--batch-size", "3"];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_eq!(store.customers().len(), 7);
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert_eq!(statuses(&ws), vec!["deleted"; 7]);
    assert!(store.customers().is_empty());
}

/// A token the store refuses stops the undo with exit 3, and nothing is deleted.
#[tokio::test]
async fn undo_with_a_refused_token_exits_3() {
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails("refused", 3)));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    std::fs::write(&ws.token_file, "secret_wrong\n").expect("rewrite token");
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 3);
    assert_eq!(store.customers().len(), 3);
}

/// Ctrl-C stops the undo: exit 130, the results written with what was not undone `not_sent`;
/// the next undo finishes the job.
#[tokio::test]
async fn interrupted_undo_writes_its_results_and_can_be_run_again() {
    let store = start(SandboxArgs {
        latency_ms: 25,
        ..store_args()
    })
    .await;
    let ws = Workspace::new(&emails_csv(&emails("stopped", 40)));
    assert_eq!(
        ws.import(&store.api_url(), &["--concurrency", "8"]).await,
        0
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"))
        .arg("undo")
        .arg(ws.output())
        .args(["--store-id", "1003", "--api-url", &store.api_url()])
        .args(["--concurrency", "1", "--yes", "-q"])
        .env("ECWID_TOKEN", TOKEN)
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    wait_until(&mut child, || store.customers().len() <= 37).await;
    interrupt(&child);
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("join")
        .expect("exits");
    assert_eq!(status.code(), Some(130));
    let first = statuses(&ws);
    assert_eq!(first.len(), 40);
    assert!(first.contains(&"deleted".to_string()), "{first:?}");
    assert!(first.contains(&"not_sent".to_string()), "{first:?}");
    assert!(
        first.iter().all(|s| s == "deleted" || s == "not_sent"),
        "{first:?}"
    );

    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert!(store.customers().is_empty());
}

/// A create whose outcome the log does not have, for an email that was in the store well before
/// the import: the customer found by the look-up is not the import's, and stays.
#[tokio::test]
async fn a_customer_registered_before_the_import_is_never_deleted() {
    let old = emails("before", 4);
    let store = store_with(&old).await;
    let before = sorted(store.customers());
    let ws = Workspace::new(&emails_csv(&old));
    // Row by row, so that the creates are sent (and refused with a 409) and logged.
    let row_by_row = [FAST[0], FAST[1], "--snapshot", "never"];
    assert_eq!(ws.import(&store.api_url(), &row_by_row).await, 0);
    assert_eq!(column(&ws.results(), "status"), vec!["exists"; 4]);
    keep_only_write_lines(&undo_log(&ws));
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    let results = undo_results(&ws);
    assert_eq!(column(&results, "status"), vec!["not_found"; 4]);
    assert!(
        results[0]["error"].contains("registered before"),
        "{results:?}"
    );
    assert_eq!(sorted(store.customers()), before);
}
