//! `export` that stops or cannot read everything: a failed, refused or interrupted export
//! leaves no file and says how far it read; what it could not read is named and the export
//! exits 1; the store is read 100 customers a request.

use std::path::{Path, PathBuf};

use ecwid_import::sandbox::{Sandbox, SandboxArgs};
use serde_json::json;

use crate::e2e::{start, store_args};
use crate::export::export;
use crate::support::{TOKEN, Workspace, column, read_csv};

/// The files in `dir` other than the token, the inputs of the test and the output's lock (kept
/// between runs, as every command keeps it).
pub(crate) fn left_in(dir: &Path) -> Vec<PathBuf> {
    let mut left: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name != "token" && name != "customers.csv" && !name.ends_with(".lock")
        })
        .collect();
    left.sort();
    left
}

/// `ecwid-import export -o <file> ...` as a real process, the token in the environment.
fn export_process(store: &Sandbox, file: &Path, extra: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"));
    command
        .args(["export", "-o"])
        .arg(file)
        .args([
            "--store-id",
            "1003",
            "--api-url",
            &store.api_url(),
            "--rate",
            "60000",
        ])
        .args(extra)
        .env("ECWID_TOKEN", TOKEN)
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    command
}

/// Runs `command` to its end off the test's runtime (which serves the sandbox); its output.
async fn output_of(mut command: std::process::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("runs")
}

/// A store that cannot be read: the export says so and how many customers it read, writes no
/// file (an earlier one stays as it was) and leaves no temporary file.
#[tokio::test]
async fn a_failed_export_leaves_no_file_and_says_how_far_it_read() {
    let store = start(SandboxArgs {
        seed_customers: 250,
        fail_before: 1.0,
        ..store_args()
    })
    .await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("backup.csv");
    std::fs::write(&file, "the backup of yesterday\n").expect("written");
    let output = output_of(export_process(&store, &file, &["--max-retries", "0"])).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("could not be read to the end"), "{stderr}");
    assert!(stderr.contains("read 0 customers"), "{stderr}");
    assert!(stderr.contains("no file was written"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("kept"),
        "the backup of yesterday\n"
    );
    assert_eq!(left_in(ws.dir.path()), [file]);
    assert!(!stderr.contains(TOKEN));
}

/// Ctrl-C part-way: exit 130, the count of customers read, no file and no temporary file.
#[tokio::test]
async fn an_interrupted_export_leaves_no_file() {
    let store = start(SandboxArgs {
        seed_customers: 1_000,
        latency_ms: 100,
        ..store_args()
    })
    .await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("backup.csv");
    let mut child = export_process(&store, &file, &[]).spawn().expect("starts");
    crate::resume::wait_until(&mut child, || store.stats().requests >= 3).await;
    let output = crate::resume::interrupt_and_wait(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("export: interrupted"), "{stderr}");
    assert!(stderr.contains(" customers of 1,000 in "), "{stderr}");
    assert!(!stderr.contains("read 1,000 customers"), "{stderr}");
    assert!(!file.exists());
    assert_eq!(left_in(ws.dir.path()), Vec::<PathBuf>::new());
}

/// 250 customers cost three listing requests; past 10,000 the listing starts again from the
/// last registration time and reads every customer once.
#[tokio::test]
async fn the_store_is_read_a_hundred_customers_a_request() {
    let store = start(SandboxArgs {
        seed_customers: 10_050,
        ..store_args()
    })
    .await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("all.csv");
    assert_eq!(export(&ws, &store.api_url(), &file, &[]).await, 0);
    let emails = column(&read_csv(&file), "email");
    assert_eq!(emails.len(), 10_050);
    let distinct: std::collections::HashSet<&String> = emails.iter().collect();
    assert_eq!(distinct.len(), 10_050);
    // 101 pages, and the page of the restart.
    assert!(store.stats().requests <= 102, "{:?}", store.stats());
    assert_eq!(left_in(ws.dir.path()), [file]);
}

/// A field the store gives in a form that cannot be read is a blank cell, named in a warning;
/// the file is written and the export exits 1.
#[tokio::test]
async fn a_field_that_cannot_be_read_is_blank_and_the_export_exits_1() {
    let store = start(store_args()).await;
    store
        .seed_customer(
            json!({"email": "odd@example.com", "contacts": 5, "taxId": "X1",
                               "billingPerson": {"name": "Odd"}}),
        )
        .expect("seeded");
    let ws = Workspace::new("");
    let file = ws.dir.path().join("odd.csv");
    let output = output_of(export_process(&store, &file, &[])).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("contacts: a list was expected"), "{stderr}");
    assert!(stderr.contains("that cell is blank"), "{stderr}");
    let rows = read_csv(&file);
    assert_eq!(column(&rows, "billingPerson.name"), ["Odd"]);
    assert_eq!(column(&rows, "taxId"), ["X1"]);
    assert_eq!(column(&rows, "contacts.0.type"), [""]);
}

/// A customer deleted while the store is read pulls the later ones one place back: the export
/// sees the store's count fall, says that a customer may be missing, and exits 1.
#[tokio::test]
async fn a_customer_deleted_meanwhile_is_reported() {
    let store = start(SandboxArgs {
        seed_customers: 300,
        latency_ms: 150,
        ..store_args()
    })
    .await;
    let first = store
        .customers()
        .iter()
        .map(|c| c.id)
        .min()
        .expect("seeded");
    let ws = Workspace::new("");
    let file = ws.dir.path().join("all.csv");
    let mut child = export_process(&store, &file, &[]).spawn().expect("starts");
    crate::resume::wait_until(&mut child, || store.stats().requests >= 1).await;
    let url = format!("{}/1003/customers/{first}", store.api_url());
    let deleted = reqwest::Client::new()
        .delete(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("delete");
    assert!(deleted.status().is_success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("customers were deleted while the store was read"),
        "{stderr}"
    );
    // The first page was read before the delete: 300 customers, or 299 with one skipped.
    let rows = read_csv(&file).len();
    assert!((299..=300).contains(&rows), "{rows}");
}

/// `--group` on a store whose plan has no customer groups: refused (exit 3), nothing listed, no
/// file, and the message says why.
#[tokio::test]
async fn a_group_on_a_plan_without_groups_is_refused() {
    let store = start(SandboxArgs {
        plan_without_groups: true,
        seed_customers: 5,
        ..store_args()
    })
    .await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("vip.csv");
    let output = output_of(export_process(&store, &file, &["--group", "VIP"])).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("no customer groups"), "{stderr}");
    assert_eq!(store.stats().requests, 1, "the groups only");
    assert!(!file.exists());
    // Without --group the same store exports.
    assert_eq!(export(&ws, &store.api_url(), &file, &[]).await, 0);
    assert_eq!(read_csv(&file).len(), 5);
}
