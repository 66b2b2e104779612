//! `plan`: a store-aware dry run. It reads the store as the import with the same options
//! would, writes `<stem>.plan.csv` with what each row would become, sends no write, and agrees
//! row by row with the import that follows it.

use ecwid_import::sandbox::Sandbox;
use serde_json::Value;

use crate::e2e::{start, store_args};
use crate::resume::{interrupt_and_wait, slow_store, wait_until};
use crate::support::{Workspace, column, emails_csv, read_csv, run_in_process};

const FAST: [&str; 2] = ["--rate", "60000"];

/// `ecwid-import plan <input> --store-id 1003 ... --summary-json <dir>/plan.json <extra>`
/// in-process: the exit status and the summary (`Null` when none was written).
pub(crate) async fn plan(ws: &Workspace, api_url: &str, extra: &[&str]) -> (i32, Value) {
    let summary = ws.dir.path().join("plan.json");
    let mut args: Vec<String> = [
        "ecwid-import",
        "plan",
        ws.input.to_str().expect("utf-8"),
        "--store-id",
        "1003",
        "--api-url",
        api_url,
        "--token-file",
        ws.token_file.to_str().expect("utf-8"),
        "-q",
        "--summary-json",
        summary.to_str().expect("utf-8"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(FAST.iter().chain(extra).map(|s| s.to_string()));
    let code = run_in_process(args).await;
    let json = std::fs::read_to_string(&summary)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    (code, json)
}

fn kind(summary: &Value, kind: &str) -> u64 {
    summary["requests_by_kind"][kind].as_u64().expect("a count")
}

/// The store's customers as a comparable text: every field of every record.
fn contents(store: &Sandbox) -> String {
    format!("{:?}", store.customers())
}

/// A store holding two of the file's customers, registered before the plan.
async fn store_with(csv: &str) -> Sandbox {
    let store = start(store_args()).await;
    let ws = Workspace::new(csv);
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    store.backdate(3_600);
    store
}

/// The file of the agreement test: a new row, an unchanged one, a changed one, an invalid
/// one, a duplicate, and one naming a group the store does not have.
const FILE: &str = "email,name,customerGroupName\n\
                    new@example.com,New Customer,\n\
                    same@example.com,Same Name,\n\
                    changed@example.com,New Name,\n\
                    not-an-email,Nobody,\n\
                    NEW@example.com,Again,\n\
                    grouped@example.com,Grouped,No Such Group\n";

/// What the import's status is for a plan's.
fn import_status(planned: &str) -> &str {
    match planned {
        "would_create" => "created",
        "would_update" => "updated",
        "would_fail" => "failed",
        other => other,
    }
}

/// Plans `FILE` with `--on-existing <mode>`, checks that nothing was written anywhere, then
/// imports it and checks that every row ended as planned; the plan's statuses.
async fn plan_then_import(mode: &str, snapshot: &str) -> Vec<String> {
    let store =
        store_with("email,name\nsame@example.com,Same Name\nchanged@example.com,Old Name\n").await;
    let ws = Workspace::new(FILE);
    std::fs::write(ws.output(), "an earlier import's results\n").expect("write");
    let (stats, customers) = (store.stats(), contents(&store));
    let options = ["--on-existing", mode, "--snapshot", snapshot];
    let (code, summary) = plan(&ws, &store.api_url(), &options).await;
    assert_eq!(code, 1, "{summary}");
    // No write reached the store, and none was asked for.
    assert_eq!(store.stats().creates, stats.creates);
    assert_eq!(contents(&store), customers, "the plan changed the store");
    for write in ["create", "update", "delete", "batch_submit"] {
        assert_eq!(kind(&summary, write), 0, "{write}: {summary}");
    }
    // Its own file; the import's results, journal and undo log untouched or absent.
    let text = std::fs::read_to_string(ws.output()).expect("results");
    assert_eq!(text, "an earlier import's results\n");
    for name in std::fs::read_dir(ws.dir.path()).expect("dir") {
        let name = name
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .to_string();
        assert!(
            !name.contains("journal") && !name.contains("undo"),
            "{name}"
        );
    }
    let planned = column(
        &read_csv(&ws.dir.path().join("customers.plan.csv")),
        "status",
    );
    assert_eq!(
        summary["output"],
        ws.dir
            .path()
            .join("customers.plan.csv")
            .display()
            .to_string()
    );
    assert_eq!(
        ws.import(
            &store.api_url(),
            &["--rate", "60000", "--on-existing", mode]
        )
        .await,
        1
    );
    let imported = column(&ws.results(), "status");
    let expected: Vec<&str> = planned.iter().map(|s| import_status(s)).collect();
    assert_eq!(imported, expected, "plan {planned:?}");
    planned
}

/// `--on-existing update`: new, unchanged, changed (with its change), invalid, duplicate and a
/// row the import would fail; the summary counts them and the writes the import needs.
#[tokio::test]
async fn plan_with_update_agrees_with_the_import_that_follows() {
    // The store read first (auto chooses it here), and row by row.
    for snapshot in ["auto", "never"] {
        let planned = plan_then_import("update", snapshot).await;
        assert_eq!(
            planned,
            [
                "would_create",
                "unchanged",
                "would_update",
                "invalid",
                "duplicate",
                "would_fail"
            ],
            "--snapshot {snapshot}"
        );
    }
}

/// `--on-existing skip` and `fail`: existing rows are `exists`, or `would_fail`.
#[tokio::test]
async fn plan_with_skip_and_fail_agrees_with_the_import_that_follows() {
    for snapshot in ["auto", "never"] {
        let skip = plan_then_import("skip", snapshot).await;
        assert_eq!(skip[1..3], ["exists", "exists"], "--snapshot {snapshot}");
        let fail = plan_then_import("fail", snapshot).await;
        assert_eq!(
            fail[1..3],
            ["would_fail", "would_fail"],
            "--snapshot {snapshot}"
        );
    }
}

/// The plan file says what would change, and the summary what the import would send.
#[tokio::test]
async fn plan_lists_changes_and_the_writes_the_import_would_send() {
    let store = store_with("email,name\nchanged@example.com,Old Name\n").await;
    let ws = Workspace::new("email,name\nchanged@example.com,New Name\nfresh@example.com,Fresh\n");
    let (code, summary) = plan(&ws, &store.api_url(), &["--on-existing", "update"]).await;
    assert_eq!(code, 0, "{summary}");
    let rows = read_csv(&ws.dir.path().join("customers.plan.csv"));
    assert_eq!(column(&rows, "status"), ["would_update", "would_create"]);
    assert!(
        rows[0]["error"].contains(r#"billingPerson.name: "Old Name" -> "New Name""#),
        "{:?}",
        rows[0]
    );
    assert_eq!(summary["by_status"]["would_update"], 1, "{summary}");
    assert_eq!(summary["by_status"]["would_create"], 1, "{summary}");
    assert_eq!(summary["import_would_send"]["create"], 1, "{summary}");
    assert_eq!(summary["import_would_send"]["update"], 1, "{summary}");
    // The read-back's first page of creates and of updates (--read-back sample).
    assert_eq!(summary["import_would_send"]["read_back"], 2, "{summary}");
    assert_eq!(summary["exit_code"], 0, "{summary}");
    assert!(
        !ws.output().exists(),
        "plan wrote the import's results file"
    );
}

/// A 10-row file against a large store: the plan probes the file's emails, as the import
/// would, instead of listing the store; and it still sends no write.
#[tokio::test]
async fn a_small_file_against_a_large_store_is_probed_not_listed() {
    let store = start(store_args()).await;
    store.seed(5_000);
    let emails: Vec<String> = (0..10).map(|i| format!("small{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let creates = store.stats().creates;
    let (code, summary) = plan(&ws, &store.api_url(), &[]).await;
    assert_eq!(code, 0, "{summary}");
    // The store's size only: no page of customers.
    assert_eq!(kind(&summary, "list"), 1, "{summary}");
    // Each email once: the rows the sample asked about are not asked about again.
    assert_eq!(kind(&summary, "search"), 10, "{summary}");
    assert!(summary.get("snapshot").is_none(), "{summary}");
    assert_eq!(kind(&summary, "create"), 0, "{summary}");
    assert_eq!(summary["by_status"]["would_create"], 10, "{summary}");
    assert_eq!(store.stats().creates, creates);
}

/// A second plan on the same output while the first holds its lock: exit 75, nothing sent.
#[tokio::test]
async fn a_second_plan_while_the_lock_is_held_exits_75() {
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&["a@example.com"]));
    let plan_file = ws.dir.path().join("customers.plan.csv");
    let held =
        ecwid_import::lock::OutputLock::take(&plan_file, &ecwid_import::lock::path_for(&plan_file))
            .expect("lock taken");
    let before = store.stats().requests;
    let (code, _) = plan(&ws, &store.api_url(), &[]).await;
    assert_eq!(code, 75);
    assert_eq!(store.stats().requests, before);
    drop(held);
    let (code, summary) = plan(&ws, &store.api_url(), &[]).await;
    assert_eq!(code, 0, "{summary}");
}

/// A refused token: exit 3, every row `not_sent` in the plan, nothing written to the store.
#[tokio::test]
async fn a_plan_with_a_refused_token_exits_3() {
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&["a@example.com", "b@example.com"]));
    std::fs::write(&ws.token_file, "secret_wrong\n").expect("rewrite token");
    let (code, summary) = plan(&ws, &store.api_url(), &[]).await;
    assert_eq!(code, 3, "{summary}");
    let planned = read_csv(&ws.dir.path().join("customers.plan.csv"));
    assert_eq!(column(&planned, "status"), ["not_sent", "not_sent"]);
    assert_eq!(store.stats().creates, 0);
    assert!(store.customers().is_empty());
}

/// Ctrl-C while the plan reads the store: exit 130, every row `not_sent` in a complete plan,
/// no write sent; the plan run again finishes.
#[tokio::test]
async fn a_plan_stopped_while_reading_the_store_exits_130() {
    let store = slow_store().await;
    store.seed(3_000);
    let emails: Vec<String> = (0..40).map(|i| format!("stop{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let before = store.stats();
    let mut child = ws
        .process("plan", &store.api_url(), &["--snapshot", "always"])
        .spawn()
        .expect("spawn");
    wait_until(&mut child, || store.stats().requests >= before.requests + 5).await;
    let output = interrupt_and_wait(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let planned = read_csv(&ws.dir.path().join("customers.plan.csv"));
    assert_eq!(column(&planned, "status"), vec!["not_sent"; 40]);
    assert_eq!(store.stats().creates, before.creates);
    assert_eq!(store.customers().len(), 3_000);

    let (code, summary) = plan(&ws, &store.api_url(), &["--snapshot", "always"]).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["by_status"]["would_create"], 40, "{summary}");
}
