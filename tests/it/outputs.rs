//! Who writes which output. One run per results file: a second run on an output another run
//! holds sends nothing, writes nothing and exits 75 naming the holder; once the holder ends
//! (finished or killed), the next run goes ahead. And no command writes another's output by
//! default: a check never replaces an import's results.

use std::path::{Path, PathBuf};
use std::process::Output;

use ecwid_import::lock::{OutputLock, path_for};
use ecwid_import::sandbox::{Sandbox, SandboxArgs};

use crate::e2e::{assert_holds_each_once, start, store_args};
use crate::resume::wait_for_creates;
use crate::support::{Workspace, column, emails_csv, read_csv};

fn emails(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("lock{i}@example.com")).collect()
}

fn lock_file(ws: &Workspace) -> PathBuf {
    ws.dir.path().join("customers.results.csv.lock")
}

fn journal(ws: &Workspace) -> PathBuf {
    ws.dir.path().join("customers.results.csv.journal")
}

fn summary(ws: &Workspace) -> PathBuf {
    ws.dir.path().join("customers.summary.json")
}

/// `import --resume --summary-json ...` as a real process, run to its end.
async fn run_to_end(ws: &Workspace, store: &Sandbox) -> Output {
    let summary = summary(ws);
    let mut command = ws.import_process(
        &store.api_url(),
        &["--resume", "--summary-json", summary.to_str().unwrap()],
    );
    tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("runs")
}

/// The refusal a second run must give: exit 75, the holder's pid and the lock file named,
/// and a hint to try later.
fn assert_refused(output: &Output, holder: u32, lock: &Path) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains(&format!("process {holder}")), "{stderr}");
    assert!(stderr.contains(&lock.display().to_string()), "{stderr}");
    assert!(stderr.contains("try again"), "{stderr}");
}

/// While the lock is held, `import` (and a `validate` onto the same file) sends no request
/// and writes no results, failed rows, journal or summary; once it is let go, the same
/// command imports every row.
#[tokio::test]
async fn a_held_output_refuses_the_run_until_it_is_let_go() {
    let store = start(store_args()).await;
    let emails = emails(5);
    let ws = Workspace::new(&emails_csv(&emails));
    let held = OutputLock::take(&ws.output(), &path_for(&ws.output())).expect("lock taken");

    let refused = run_to_end(&ws, &store).await;
    assert_refused(&refused, std::process::id(), &lock_file(&ws));
    let validate = assert_cmd::Command::cargo_bin("ecwid-import")
        .expect("binary")
        .args(["validate", "-q", "-o"])
        .arg(ws.output())
        .arg(&ws.input)
        .output()
        .expect("runs");
    assert_refused(&validate, std::process::id(), &lock_file(&ws));
    assert_eq!(store.stats().requests, 0, "nothing was sent");
    for path in [ws.output(), ws.failed_output(), journal(&ws), summary(&ws)] {
        assert!(!path.exists(), "{} was written", path.display());
    }

    drop(held);
    let output = run_to_end(&ws, &store).await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 5]);
    assert_holds_each_once(&store, &emails);
    assert!(lock_file(&ws).exists(), "the lock file stays");
}

/// A cron run and a manual one overlapping: the second, started while the first sends rows,
/// exits 75 naming the first's pid without a request to its store (another sandbox here, so
/// that its requests can be counted apart), and leaves the first's run, journal and results
/// alone. Once the first has finished, the next run takes the lock and imports.
#[tokio::test]
async fn an_overlapping_run_exits_75_and_the_first_finishes_intact() {
    // Slow enough that the first run is still sending while the second starts and ends.
    let first_store = start(SandboxArgs {
        latency_ms: 150,
        ..store_args()
    })
    .await;
    let second_store = start(store_args()).await;
    let emails = emails(24);
    let ws = Workspace::new(&emails_csv(&emails));
    let mut first = ws
        .import_process(&first_store.api_url(), &["--resume", "--concurrency", "1"])
        .spawn()
        .expect("spawn");
    wait_for_creates(&first_store, 2, &mut first).await;

    let refused = run_to_end(&ws, &second_store).await;
    assert_refused(&refused, first.id(), &lock_file(&ws));
    assert_eq!(
        second_store.stats().requests,
        0,
        "the second run sent nothing"
    );
    assert!(!summary(&ws).exists(), "the second run wrote no summary");
    assert!(
        journal(&ws).exists(),
        "the first run's journal is still there"
    );

    let status = tokio::task::spawn_blocking(move || first.wait())
        .await
        .expect("join")
        .expect("exits");
    assert_eq!(status.code(), Some(0), "the first run finished undisturbed");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 24]);
    assert_holds_each_once(&first_store, &emails);
    assert_eq!(first_store.stats().duplicate_creates, 0);

    let next = run_to_end(&ws, &second_store).await;
    assert_eq!(next.status.code(), Some(0), "{next:?}");
    assert_holds_each_once(&second_store, &emails);
}

/// `kill -9` leaves the lock file (with the killed run's pid) but not the lock: `--resume`
/// takes it and finishes the job.
#[tokio::test]
async fn a_killed_run_never_leaves_the_lock_held() {
    let store = start(SandboxArgs {
        latency_ms: 25,
        ..store_args()
    })
    .await;
    let emails = emails(40);
    let ws = Workspace::new(&emails_csv(&emails));
    let mut child = ws
        .import_process(&store.api_url(), &["--concurrency", "2"])
        .spawn()
        .expect("spawn");
    wait_for_creates(&store, 3, &mut child).await;
    let pid = child.id();
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let left = std::fs::read_to_string(lock_file(&ws)).expect("lock file stays");
    assert_eq!(left.trim(), pid.to_string());

    let output = run_to_end(&ws, &store).await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 40]);
    assert_holds_each_once(&store, &emails);
    assert_eq!(store.stats().duplicate_creates, 0);
}

/// `import --sandbox` takes the lock too: its results file is a real file.
#[tokio::test]
async fn import_into_the_sandbox_takes_the_lock() {
    let ws = Workspace::new(&emails_csv(&emails(2)));
    let _held = OutputLock::take(&ws.output(), &path_for(&ws.output())).expect("lock taken");
    let output = assert_cmd::Command::cargo_bin("ecwid-import")
        .expect("binary")
        .args(["import", "--sandbox", "-q"])
        .arg(&ws.input)
        .output()
        .expect("runs");
    assert_refused(&output, std::process::id(), &lock_file(&ws));
    assert!(!ws.output().exists());
}

/// `validate` and `import --dry-run` write `<stem>.validation.csv` and
/// `<stem>.validation.failed.csv`, and leave an import's results, failed rows and journal as
/// they were.
#[test]
fn a_check_never_replaces_the_import_results() {
    let ws = Workspace::new("email,name\nann@example.com,Ann\nnot-an-email,Bob\n");
    let import_files = [ws.output(), ws.failed_output(), journal(&ws)];
    for path in &import_files {
        std::fs::write(path, "an import's own\n").expect("written");
    }
    let checks: [&[&str]; 2] = [&["validate"], &["import", "--dry-run"]];
    for args in checks {
        let validation = ws.dir.path().join("customers.validation.csv");
        let failed = ws.dir.path().join("customers.validation.failed.csv");
        let _ = std::fs::remove_file(&validation);
        let _ = std::fs::remove_file(&failed);
        assert_cmd::Command::cargo_bin("ecwid-import")
            .expect("binary")
            .args(args)
            .arg("-q")
            .arg(&ws.input)
            .env_remove("ECWID_STORE_ID")
            .assert()
            .code(1);
        let statuses = column(&read_csv(&validation), "status");
        assert_eq!(statuses, ["valid", "invalid"], "{args:?}");
        let failed = std::fs::read_to_string(&failed).expect("failed rows");
        assert_eq!(failed, "email,name\nnot-an-email,Bob\n", "{args:?}");
        for path in &import_files {
            let kept = std::fs::read_to_string(path).expect("still there");
            assert_eq!(kept, "an import's own\n", "{args:?}: {}", path.display());
        }
    }
}

/// Every file an import writes is checked against the input, not only the results and the
/// failed rows: an `--output` whose journal, undo log or remembered fields would be the input,
/// or a `--report` (for validate, its default beside the output) naming it, is a usage error
/// before anything is read or sent, and the input is untouched.
#[test]
fn no_file_a_run_writes_may_be_the_input() {
    let csv = "email,name\nann@example.com,Ann\n";
    let store = [
        "--store-id",
        "1003",
        "--api-url",
        "http://127.0.0.1:9/api/v3",
    ];
    let cases: [(&str, &str, &[&str]); 5] = [
        ("journal", "c.csv.journal", &["import", "-o", "c.csv"]),
        ("undo log", "c.undo.jsonl", &["import", "-o", "c.csv"]),
        (
            "fields not kept",
            "c.not-kept.json",
            &["import", "-o", "c.csv"],
        ),
        ("report", "c.csv", &["import", "--report", "c.csv"]),
        (
            "default report",
            "c.report.xlsx",
            &["validate", "-o", "c.csv"],
        ),
    ];
    for (what, name, args) in cases {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let input = dir.path().join(name);
        std::fs::write(&input, csv).expect("written");
        let (command, options) = args.split_first().expect("a command");
        let output = assert_cmd::Command::cargo_bin("ecwid-import")
            .expect("binary")
            .current_dir(dir.path())
            .arg(command)
            .arg(name)
            .args(options)
            .args(if *command == "import" {
                &store[..]
            } else {
                &[]
            })
            .env("ECWID_TOKEN", "secret-token")
            .env_remove("ECWID_STORE_ID")
            .env_remove("ECWID_API_URL")
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains(&format!("{name} would overwrite the input")),
            "{what}: {stderr}"
        );
        let kept = std::fs::read_to_string(&input).expect("still there");
        assert_eq!(kept, csv, "{what}: the input is untouched");
        for results in ["c.csv", "c.results.csv"]
            .into_iter()
            .filter(|r| *r != name)
        {
            assert!(!dir.path().join(results).exists(), "{what}: no {results}");
        }
    }
}

/// Only the files a run writes are checked: an import into a sandbox store keeps no journal
/// (nothing could be resumed), so an input named as its journal would be is imported.
#[test]
fn files_a_run_does_not_write_are_not_refused() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let csv = "email,name\nann@example.com,Ann\n";
    let input = dir.path().join("c.csv.journal");
    std::fs::write(&input, csv).expect("written");
    let output = assert_cmd::Command::cargo_bin("ecwid-import")
        .expect("binary")
        .current_dir(dir.path())
        .args(["import", "c.csv.journal", "-o", "c.csv", "--sandbox", "-q"])
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(std::fs::read_to_string(&input).expect("kept"), csv);
    assert_eq!(
        column(&read_csv(&dir.path().join("c.csv")), "status"),
        ["created"]
    );
}
