//! Ctrl-C or SIGTERM while batches are in the store: nothing new is submitted, the batches
//! already in the store are polled on for the bounded wait of the work in flight (`--timeout`),
//! so that their rows get their real statuses; rows of groups not yet submitted are `not_sent`;
//! only the rows of a batch still unfinished when the wait ends are left for `--resume`
//! (`failed`, saying so: they may be in the store). Exit 130 each time, and `--resume` sends
//! nothing twice. The store's batch queue is held ([`Sandbox::hold_batches`]) so that the
//! batches are certainly unfinished when the signal comes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output};
use std::sync::mpsc::Receiver;

use ecwid_import::sandbox::Sandbox;

use crate::e2e::{assert_holds_each_once, start, store_args};
use crate::resume::wait_until;
use crate::support::{TOKEN, Workspace, column, emails_csv, numbered};
use crate::undo::{undo, undo_results};

/// The batch lane in groups of 3, nothing but the writes counted.
const LANE: [&str; 8] = [
    "--lane",
    "batch",
    "--batch-size",
    "3",
    "--snapshot",
    "never",
    "--read-back",
    "none",
];

/// `command` started, with its stderr's lines coming through the receiver.
fn spawn(mut command: Command) -> (Child, Receiver<String>) {
    let mut child = command.spawn().expect("spawn");
    let stderr = child.stderr.take().expect("stderr piped");
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    (child, lines)
}

/// Sends `signal` (`INT` or `TERM`) to the process and waits until it says it is stopping:
/// from then on it submits nothing new.
async fn signal_and_see_it_stopping(child: &Child, signal: &str, lines: Receiver<String>) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let stopping = tokio::task::spawn_blocking(move || {
        let seen = lines
            .iter()
            .find(|line| line.contains("stopping: finishing the requests in flight"));
        // The rest of stderr is drained, so that the process never blocks on it.
        std::thread::spawn(move || lines.iter().for_each(drop));
        seen
    });
    assert!(
        stopping.await.expect("join").is_some(),
        "the {signal} is seen"
    );
}

async fn exited(child: Child) -> Output {
    tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("exits")
}

/// Waits until the store has queued `n` batches more than `before`.
async fn wait_for_batches(store: &Sandbox, child: &mut Child, before: u64, n: u64) {
    wait_until(child, || store.stats().batches_queued >= before + n).await;
}

/// Three groups' batches are queued in the store (the fourth group waits for the first) when
/// the signal comes; the queue then runs. The three batches' rows are `created` with their
/// ids, the fourth group's `not_sent`, exit 130; `--resume` sends the fourth group alone.
#[tokio::test]
async fn a_signal_while_batches_are_polled_waits_for_their_outcomes() {
    for signal in ["INT", "TERM"] {
        let store = start(store_args()).await;
        store.hold_batches();
        let emails = numbered(&format!("polled{signal}"), 12);
        let ws = Workspace::new(&emails_csv(&emails));
        let (mut child, lines) = spawn(ws.import_process(&store.api_url(), &LANE));
        wait_for_batches(&store, &mut child, 0, 3).await;
        signal_and_see_it_stopping(&child, signal, lines).await;
        store.release_batches();
        let output = exited(child).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(130), "{signal}: {stderr}");
        let rows = ws.results();
        let statuses = column(&rows, "status");
        let mut expected = vec!["created"; 9];
        expected.extend(["not_sent"; 3]);
        assert_eq!(statuses, expected, "{signal}: {rows:?}");
        assert!(rows[..9].iter().all(|r| !r["customer_id"].is_empty()));
        let stats = store.stats();
        assert_eq!(
            (stats.batches, stats.creates),
            (3, 9),
            "{signal}: {stats:?}"
        );

        let resume: Vec<&str> = LANE.iter().copied().chain(["--resume"]).collect();
        let output = exited(spawn(ws.import_process(&store.api_url(), &resume)).0).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{signal}: {stderr}");
        assert_eq!(column(&ws.results(), "status"), vec!["created"; 12]);
        let ids = column(&ws.results(), "customer_id");
        assert_eq!(ids[..9], column(&rows, "customer_id")[..9], "{signal}");
        let stats = store.stats();
        assert_eq!(
            (stats.batches, stats.creates),
            (4, 12),
            "{signal}: {stats:?}"
        );
        assert_eq!(stats.duplicate_creates, 0, "{signal}");
        assert_holds_each_once(&store, &emails);
        store.shutdown().await;
    }
}

/// The queue stays held past the wait (`--timeout 2`): the rows of the two batches in the
/// store are `failed`, saying their outcome is not known yet and to resume, exit 130. Once the
/// queue runs, `--resume` polls the tickets and takes the rows' answers from them: no batch
/// and no create is sent again.
#[tokio::test]
async fn a_batch_that_outlasts_the_wait_is_left_to_resume() {
    let store = start(store_args()).await;
    store.hold_batches();
    let emails = numbered("outlasts", 6);
    let ws = Workspace::new(&emails_csv(&emails));
    let args: Vec<&str> = LANE.iter().copied().chain(["--timeout", "2"]).collect();
    let (mut child, lines) = spawn(ws.import_process(&store.api_url(), &args));
    wait_for_batches(&store, &mut child, 0, 2).await;
    signal_and_see_it_stopping(&child, "TERM", lines).await;
    let output = exited(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), vec!["failed"; 6]);
    for row in &rows {
        let error = &row["error"];
        assert!(error.contains("outcome is not known yet"), "{row:?}");
        assert!(error.contains("--resume"), "{row:?}");
    }
    assert_eq!(store.stats().creates, 0);

    store.release_batches();
    let resume: Vec<&str> = LANE.iter().copied().chain(["--resume"]).collect();
    let output = exited(spawn(ws.import_process(&store.api_url(), &resume)).0).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 6]);
    let stats = store.stats();
    assert_eq!((stats.batches, stats.creates), (2, 6), "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0);
    assert_holds_each_once(&store, &emails);
}

/// `undo --lane batch` interrupted while its batch of deletes is queued (its reads ran): the
/// deletes run within the wait, and the rows say `deleted`, exit 130; the same undo again
/// finds them gone and the store stays empty.
#[tokio::test]
async fn an_undo_interrupted_while_its_deletes_are_queued_reports_them() {
    let store = start(store_args()).await;
    let emails = numbered("undone", 3);
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 0);
    let before = store.stats().batches_queued;
    // The reads run; the deletes they call for wait in the queue.
    store.hold_batches();
    store.allow_batch_requests(3);
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"));
    command
        .arg("undo")
        .arg(ws.output())
        .args(["--store-id", "1003", "--api-url", &store.api_url()])
        .args(["--rate", "60000", "--yes", "-q"])
        .args(["--lane", "batch", "--batch-size", "3"])
        .env("ECWID_TOKEN", TOKEN)
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let (mut child, lines) = spawn(command);
    wait_for_batches(&store, &mut child, before, 2).await;
    assert_eq!(store.customers().len(), 3, "the deletes are queued");
    signal_and_see_it_stopping(&child, "INT", lines).await;
    store.release_batches();
    let output = exited(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let rows = undo_results(&ws);
    assert_eq!(column(&rows, "status"), vec!["deleted"; 3], "{rows:?}");
    assert!(store.customers().is_empty());

    let creates = store.stats().creates;
    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 0);
    assert!(store.customers().is_empty());
    assert_eq!(store.stats().creates, creates);
}
