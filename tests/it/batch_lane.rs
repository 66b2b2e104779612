//! The batch lane against stores that count the requests inside batches against the token's
//! rate limit, as the sandbox models them (`--batch-counting`): every row ends in the store
//! exactly once and none is reported failed for the store's 429s, whether the store refuses
//! the requests past its limit (FAILED, `httpStatusCode` 429: the row goes into a later batch)
//! or throttles them (its window fills, and the run's own polls meet 429s).

use ecwid_import::sandbox::{Counting, Sandbox, SandboxArgs};

use crate::e2e::{assert_holds_each_once, start, store_args};
use crate::resume::wait_until;
use crate::support::{Workspace, emails_csv, numbered};

/// A store of 10 requests a second (600 a minute, in a short window so the test is quick),
/// counting the requests inside batches as `counting` says.
async fn counting_store(counting: Counting) -> Sandbox {
    start(SandboxArgs {
        rate_limit: 10,
        rate_window_secs: 1.0,
        batch_counting: counting,
        ..store_args()
    })
    .await
}

/// The batch lane in groups of 40, at the store's pace.
const LANE: [&str; 9] = [
    "--batch",
    "--batch-size",
    "40",
    "--rate",
    "600",
    "--snapshot",
    "never",
    "--read-back",
    "none",
];

/// Imports `emails` through the batch lane; the exit status.
async fn import(ws: &Workspace, store: &Sandbox) -> i32 {
    ws.import(&store.api_url(), &LANE).await
}

fn assert_each_created(ws: &Workspace) {
    for row in ws.results() {
        assert_eq!(row["status"], "created", "{row:?}");
        assert!(row["error"].is_empty(), "{row:?}");
    }
}

/// Refused past the limit: the store answers many rows FAILED 429 (not run); each goes into a
/// later batch, and every row ends created exactly once.
#[tokio::test]
async fn rows_refused_with_429_inside_a_batch_go_into_later_batches() {
    let store = counting_store(Counting::Refused).await;
    let emails = numbered("refused", 160);
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(import(&ws, &store).await, 0);
    assert_eq!(ws.results().len(), 160);
    assert_each_created(&ws);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert!(
        stats.batch_inner_429 > 0,
        "the store refused none: {stats:?}"
    );
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
}

/// Throttled to the limit: the store's window fills with the batches' requests and refuses the
/// run's own polls; the run waits them out and every row ends created exactly once.
#[tokio::test]
async fn a_store_that_throttles_batches_still_gets_each_row_once() {
    let store = counting_store(Counting::Throttled).await;
    let emails = numbered("throttled", 160);
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(import(&ws, &store).await, 0);
    assert_each_created(&ws);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(
        (stats.duplicate_creates, stats.batch_inner_429),
        (0, 0),
        "{stats:?}"
    );
}

/// A store that does not count them, with parallel mode honoured: the batches run their
/// requests at once, and the run sends a handful of requests for hundreds of rows.
#[tokio::test]
async fn an_uncounting_store_runs_batches_in_parallel() {
    let store = start(SandboxArgs {
        batch_request_ms: 5,
        ..store_args()
    })
    .await;
    let emails = numbered("fast", 600);
    let ws = Workspace::new(&emails_csv(&emails));
    let args = [
        "--batch",
        "--batch-size",
        "200",
        "--snapshot",
        "never",
        "--read-back",
        "none",
    ];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_each_created(&ws);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.batch_max_parallel, 100, "{stats:?}");
    assert_eq!(stats.batches, 3);
    // Three submits and their polls, with a store-speed cadence: far under the 600 of the
    // direct lane.
    assert!(stats.requests <= 3 * 4, "{stats:?}");
}

/// `--lane auto`: the batch lane for a file of at least `--batch-size` rows to send, one request
/// a row for a smaller one; every row created once either way.
#[tokio::test]
async fn auto_lane_batches_only_a_file_that_fills_a_batch() {
    for (rows, batches) in [(50, 2), (30, 0)] {
        let store = start(store_args()).await;
        let emails = numbered(&format!("auto{rows}-"), rows);
        let ws = Workspace::new(&emails_csv(&emails));
        let args = [
            "--lane",
            "auto",
            "--batch-size",
            "40",
            "--snapshot",
            "never",
            "--read-back",
            "none",
        ];
        assert_eq!(ws.import(&store.api_url(), &args).await, 0);
        assert_each_created(&ws);
        assert_holds_each_once(&store, &emails);
        let stats = store.stats();
        assert_eq!(stats.batches, batches, "{rows} rows: {stats:?}");
        assert_eq!(stats.creates, rows as u64);
    }
}

/// `kill -9` while the store refuses rows with 429 (some rows created, some refused, batches
/// open), then `--resume --lane auto`: the open batches are polled, rows refused go out again,
/// and every row ends created exactly once.
#[tokio::test]
async fn killed_while_rows_are_refused_then_resumed_each_once() {
    let store = counting_store(Counting::Refused).await;
    let emails = numbered("killed", 160);
    let ws = Workspace::new(&emails_csv(&emails));
    let mut child = process(&ws, &store, &LANE).spawn().expect("spawn");
    wait_until(&mut child, || {
        let stats = store.stats();
        stats.batch_inner_429 > 0 && stats.creates > 20
    })
    .await;
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let resume = [&LANE[1..], &["--resume", "--lane", "auto"]].concat();
    assert_eq!(store.stats().duplicate_creates, 0);
    let output = tokio::task::spawn_blocking({
        let mut command = process(&ws, &store, &resume);
        move || command.output()
    })
    .await
    .expect("join")
    .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(ws.results().len(), 160);
    for row in ws.results() {
        assert_eq!(row["status"], "created", "{row:?}");
    }
    assert_holds_each_once(&store, &emails);
    assert_eq!(store.stats().duplicate_creates, 0);
}

/// `ecwid-import import` of the workspace's file as a real process, with these options only
/// (the store, the token in the environment, `-q`).
fn process(ws: &Workspace, store: &Sandbox, extra: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"));
    command
        .arg("import")
        .arg(&ws.input)
        .args(["--store-id", "1003", "--api-url", &store.api_url(), "-q"])
        .args(extra)
        .env("ECWID_TOKEN", store.token())
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    command
}

/// 5xx answers and lost answers to submits and polls (a submit sent again under its key), and
/// polls that find batches queued, then partly done, then done: every row created once.
#[tokio::test]
async fn faults_on_submits_and_polls_and_partial_results_end_each_row_once() {
    let store = start(SandboxArgs {
        fail_before: 0.2,
        drop_batch_after: 0.3,
        seed: Some(11),
        ..store_args()
    })
    .await;
    store.hold_batches();
    let emails = numbered("faulty", 200);
    let ws = Workspace::new(&emails_csv(&emails));
    let api = store.api_url();
    let args = [
        "--batch",
        "--batch-size",
        "50",
        "--rate",
        "60000",
        "--snapshot",
        "never",
        "--read-back",
        "none",
    ];
    let watch = async {
        let polled = |n: u64| {
            let store = &store;
            async move {
                while store.stats().batch_polls < n {
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
            }
        };
        // Queued at the first poll; ten requests run before the next: a partial answer.
        polled(1).await;
        store.allow_batch_requests(10);
        let seen = store.stats().batch_polls;
        polled(seen + 1).await;
        store.release_batches();
    };
    let (code, ()) = tokio::join!(ws.import(&api, &args), watch);
    assert_eq!(code, 0);
    assert_each_created(&ws);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert!(stats.injected_faults > 0, "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
}
