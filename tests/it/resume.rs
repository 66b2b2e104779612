//! Stopping and resuming: `kill -9` and Ctrl-C of the real binary, then `--resume`; the
//! journal's refusals. The invariant each time: every valid row in the store exactly once, no
//! row finished before the stop sent again, and a complete results file.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

use ecwid_import::sandbox::{Sandbox, SandboxArgs};

use crate::e2e::{assert_holds_each_once, start, store_args};
use crate::support::{TOKEN, Workspace, column, emails_csv};

const ROWS: usize = 80;

fn emails() -> Vec<String> {
    (0..ROWS)
        .map(|i| format!("resume{i}@example.com"))
        .collect()
}

fn workspace() -> Workspace {
    let emails = emails();
    Workspace::new(&emails_csv(&emails))
}

/// A store slow enough (latency per request) that a run can be stopped half-way.
pub(crate) async fn slow_store() -> Sandbox {
    start(SandboxArgs {
        latency_ms: 25,
        ..store_args()
    })
    .await
}

/// `ecwid-import import <input> ... [--resume]` as a real process.
fn import_command(ws: &Workspace, store: &Sandbox, resume: bool) -> Command {
    let resume: &[&str] = if resume { &["--resume"] } else { &[] };
    ws.import_process(
        &store.api_url(),
        &[&["--concurrency", "4"], resume].concat(),
    )
}

/// Waits until `ready` holds, checking that the process has not ended meanwhile.
pub(crate) async fn wait_until(child: &mut Child, ready: impl Fn() -> bool) {
    while !ready() {
        assert!(
            child.try_wait().expect("child state").is_none(),
            "the process ended before it could be stopped"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits until the store has created at least `n` customers.
pub(crate) async fn wait_for_creates(store: &Sandbox, n: u64, child: &mut Child) {
    wait_until(child, || store.stats().creates >= n).await;
}

/// Ctrl-C (`kill -INT`) to the process, then waits for it: its output.
pub(crate) async fn interrupt_and_wait(child: Child) -> std::process::Output {
    interrupt(&child);
    tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("exits")
}

/// Runs `--resume` to the end; its exit status and stderr.
async fn resume(ws: &Workspace, store: &Sandbox) -> (i32, String) {
    let mut command = import_command(ws, store, true);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

fn journal(ws: &Workspace) -> std::path::PathBuf {
    ws.dir.path().join("customers.results.csv.journal")
}

/// After `kill -9` at any moment, `--resume` finishes the job: each row in the store once,
/// none finished before the kill sent again, the results complete, the journal gone.
#[tokio::test]
async fn kill_then_resume_creates_each_customer_once() {
    for stop_after in [1, 25, 60] {
        let store = slow_store().await;
        let ws = workspace();
        let mut child = import_command(&ws, &store, false).spawn().expect("spawn");
        wait_for_creates(&store, stop_after, &mut child).await;
        child.kill().expect("kill -9");
        child.wait().expect("reaped");
        assert!(journal(&ws).exists(), "the journal outlives the process");

        let (code, stderr) = resume(&ws, &store).await;
        assert_eq!(code, 0, "after {stop_after}: {stderr}");
        let rows = ws.results();
        assert_eq!(
            column(&rows, "status"),
            vec!["created"; ROWS],
            "after {stop_after}"
        );
        assert_holds_each_once(&store, &emails());
        let stats = store.stats();
        assert_eq!(stats.creates, ROWS as u64, "after {stop_after}");
        assert_eq!(stats.duplicate_creates, 0, "a finished row was sent again");
        assert!(!journal(&ws).exists(), "a finished run leaves no journal");
        store.shutdown().await;
    }
}

/// Ctrl-C: exit 130, a complete results file, the command to continue, and a journal that
/// only its owner can read (it holds personal data); then `--resume` sends only what was not
/// finished.
#[tokio::test]
async fn interrupt_then_resume_completes_the_import() {
    let store = slow_store().await;
    let ws = workspace();
    let mut child = import_command(&ws, &store, false).spawn().expect("spawn");
    wait_for_creates(&store, 20, &mut child).await;
    let output = interrupt_and_wait(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("To continue:") && stderr.contains("--resume"),
        "{stderr}"
    );
    let rows = ws.results();
    assert_eq!(rows.len(), ROWS, "every row in the results");
    let statuses = column(&rows, "status");
    assert!(
        statuses.iter().all(|s| s == "created" || s == "not_sent"),
        "{statuses:?}"
    );
    assert!(statuses.contains(&"not_sent".to_string()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(journal(&ws))
            .expect("journal left")
            .permissions();
        assert_eq!(
            mode.mode() & 0o777,
            0o600,
            "the journal is for its owner only"
        );
    }
    let created_before = store.stats().creates;

    let (code, stderr) = resume(&ws, &store).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; ROWS]);
    assert_holds_each_once(&store, &emails());
    let stats = store.stats();
    assert_eq!(stats.duplicate_creates, 0);
    assert_eq!(stats.creates, ROWS as u64);
    assert!(created_before < ROWS as u64);
}

/// A stopped run's journal: without `--resume` the next run refuses to start over silently;
/// `--resume` with a changed input is refused; with the fixed token it finishes.
#[tokio::test]
async fn journal_refuses_a_fresh_start_and_another_input() {
    let store = start(store_args()).await;
    let ws = workspace();
    std::fs::write(&ws.token_file, "secret_wrong").expect("token");
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 3);
    assert!(journal(&ws).exists());

    std::fs::write(&ws.token_file, TOKEN).expect("token");
    let again = ws.import(&store.api_url(), &["--rate", "60000"]).await;
    assert_eq!(again, 2, "a fresh start over a journal is refused");

    let original = std::fs::read(&ws.input).expect("input");
    std::fs::write(
        &ws.input,
        [original.as_slice(), b"late@example.com,Late\n"].concat(),
    )
    .expect("changed input");
    let changed = ws
        .import(&store.api_url(), &["--rate", "60000", "--resume"])
        .await;
    assert_eq!(changed, 2, "a changed input is refused");
    assert_eq!(store.stats().creates, 0);

    std::fs::write(&ws.input, &original).expect("input back");
    let resumed = ws
        .import(&store.api_url(), &["--rate", "60000", "--resume"])
        .await;
    assert_eq!(resumed, 0);
    assert_holds_each_once(&store, &emails());
    assert!(!Path::new(&journal(&ws)).exists());
}

/// A second Ctrl-C quits at once, and the journal it leaves still lets `--resume` finish.
#[tokio::test]
async fn second_interrupt_quits_at_once_and_resume_still_works() {
    let store = slow_store().await;
    let ws = workspace();
    let mut child = import_command(&ws, &store, false).spawn().expect("spawn");
    wait_for_creates(&store, 10, &mut child).await;
    // Both at once: the run has no time to finish cleanly between them.
    let signal = Command::new("sh")
        .args(["-c", &format!("kill -INT {0}; kill -INT {0}", child.id())])
        .status()
        .expect("kill -INT twice");
    assert!(signal.success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("join")
        .expect("exits");
    assert_eq!(status.code(), Some(130));
    assert!(journal(&ws).exists());

    let (code, stderr) = resume(&ws, &store).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; ROWS]);
    assert_holds_each_once(&store, &emails());
    assert_eq!(store.stats().duplicate_creates, 0);
}

/// A second Ctrl-C while the first waits for the requests in flight leaves at once and leaves
/// no temporary file behind: only the input, the token, the journal and the lock file (which
/// stays by design; the lock itself went with the process); `--resume` then finishes the job.
#[tokio::test]
async fn second_interrupt_leaves_no_temporary_files() {
    // Each request takes long enough that the first Ctrl-C has requests to wait for.
    let store = start(SandboxArgs {
        latency_ms: 800,
        ..store_args()
    })
    .await;
    let emails: Vec<String> = (0..8).map(|i| format!("temp{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let mut child = import_command(&ws, &store, false).spawn().expect("spawn");
    let stderr = child.stderr.take().expect("stderr piped");
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    // The fifth request is in the store only once the first four are answered: it is in flight.
    wait_until(&mut child, || store.stats().requests >= 5).await;
    interrupt(&child);
    let stopping = tokio::task::spawn_blocking(move || {
        lines
            .iter()
            .find(|line| line.contains("stopping: finishing the requests in flight"))
    });
    assert!(
        stopping.await.expect("join").is_some(),
        "the first Ctrl-C is seen"
    );
    interrupt(&child);
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .expect("join")
        .expect("exits");
    assert_eq!(status.code(), Some(130));
    let mut left: Vec<String> = std::fs::read_dir(ws.dir.path())
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // No results file either: the run did not get to finish cleanly.
    assert_eq!(
        left,
        [
            "customers.csv",
            "customers.results.csv.journal",
            "customers.results.csv.lock",
            "customers.results.undo.jsonl",
            "token"
        ]
    );

    let (code, stderr) = resume(&ws, &store).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 8]);
    assert_holds_each_once(&store, &emails);
    assert_eq!(store.stats().duplicate_creates, 0);
}

/// `kill -INT` of the process.
pub(crate) fn interrupt(child: &Child) {
    let signal = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(signal.success());
}

/// A refused token while reading the customer groups stops the run with the rows not sent;
/// with the token fixed, `--resume` sends them with their groups resolved.
#[tokio::test]
async fn refused_groups_look_up_leaves_rows_to_resume() {
    let store = start(store_args()).await;
    let csv = "email,customerGroupName\ng1@example.com,VIP\ng2@example.com,Wholesale\n";
    let ws = Workspace::new(csv);
    std::fs::write(&ws.token_file, "secret_wrong").expect("token");
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 3);
    assert_eq!(column(&ws.results(), "status"), ["not_sent", "not_sent"]);

    std::fs::write(&ws.token_file, TOKEN).expect("token");
    let code = ws
        .import(&store.api_url(), &["--rate", "60000", "--resume"])
        .await;
    assert_eq!(code, 0);
    assert_eq!(column(&ws.results(), "status"), ["created", "created"]);
    let groups: Vec<Option<u64>> = store
        .customers()
        .iter()
        .map(|c| c.customer.customer_group_id)
        .collect();
    assert_eq!(groups.len(), 2);
    assert!(
        groups
            .iter()
            .all(|g| matches!(g, Some(9367001) | Some(9367002))),
        "{groups:?}"
    );
}

/// Ctrl-C while the store is still being read (the snapshot, before any row is sent): exit
/// 130, every row `not_sent` in a complete results file, nothing created; then `--resume`
/// finishes the job, each customer once.
#[tokio::test]
async fn interrupt_while_reading_the_store_then_resume() {
    let store = slow_store().await;
    store.seed(3_000);
    let before = store.stats();
    let ws = workspace();
    let args = ["--concurrency", "4", "--snapshot", "always"];
    let mut child = ws
        .import_process(&store.api_url(), &args)
        .spawn()
        .expect("spawn");
    wait_until(&mut child, || store.stats().requests >= before.requests + 5).await;
    let output = interrupt_and_wait(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert_eq!(column(&ws.results(), "status"), vec!["not_sent"; ROWS]);
    assert_eq!(store.stats().creates, before.creates, "nothing created");

    let (code, stderr) = resume(&ws, &store).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; ROWS]);
    let mut stored: Vec<String> = store
        .customers()
        .into_iter()
        .filter_map(|c| c.customer.email)
        .filter(|email| !email.starts_with("seeded-"))
        .collect();
    stored.sort();
    let mut expected = emails();
    expected.sort();
    assert!(stored == expected, "each row's customer once");
    assert_eq!(store.stats().duplicate_creates, 0);
}
