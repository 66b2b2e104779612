//! End to end: the import pipeline against the sandbox store on 127.0.0.1, checked from both
//! sides (the results file and exit status the user sees, and what the store received and
//! holds), including every fault kind of the sandbox, its rate limit, a bad token, re-runs, and
//! the real binary driving a real `ecwid-import sandbox` process.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use ecwid_import::sandbox::{Sandbox, SandboxArgs, StoredCustomer};
use serde_json::{Value, json};

use crate::support::{TOKEN, Workspace, column, emails_csv, read_csv};

/// Options that keep the rate out of the way where it is not under test.
const FAST: [&str; 2] = ["--rate", "60000"];

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/customers.csv")
}

/// Sandbox options matching the helper's `--store-id 1003` and token file, with no wait between
/// the store's own retries of a request inside a batch (3 s in a real store).
pub(crate) fn store_args() -> SandboxArgs {
    SandboxArgs {
        store_id: 1003,
        token: TOKEN.to_string(),
        batch_retry_secs: 0.0,
        ..SandboxArgs::default()
    }
}

pub(crate) async fn start(args: SandboxArgs) -> Sandbox {
    Sandbox::start(&args).await.expect("sandbox starts")
}

fn lower(email: &str) -> String {
    email.trim().to_lowercase()
}

/// How many customers the store holds per email (lower case).
fn stored_counts(customers: &[StoredCustomer]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for c in customers {
        let email = c.customer.email.as_deref().expect("stored with an email");
        *counts.entry(lower(email)).or_default() += 1;
    }
    counts
}

/// The store holds exactly these emails (any case), each once.
pub(crate) fn assert_holds_each_once(store: &Sandbox, emails: &[String]) {
    let counts = stored_counts(&store.customers());
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "stored more than once: {twice:?}");
    let held: Vec<String> = counts.into_keys().collect();
    let mut expected: Vec<String> = emails.iter().map(|e| lower(e)).collect();
    expected.sort();
    expected.dedup();
    assert_eq!(held, expected);
}

/// Email (lower case) -> stored customer id.
fn stored_ids(store: &Sandbox) -> HashMap<String, u64> {
    store
        .customers()
        .into_iter()
        .map(|c| (lower(c.customer.email.as_deref().unwrap_or("")), c.id))
        .collect()
}

/// Every row is `created` with the id the store gave that email.
fn assert_all_created_with_store_ids(ws: &Workspace, store: &Sandbox) {
    let ids = stored_ids(store);
    for row in ws.results() {
        assert_eq!(row["status"], "created", "{row:?}");
        let id: u64 = row["customer_id"].parse().expect("customer id");
        assert_eq!(ids.get(&lower(&row["email"])), Some(&id), "{row:?}");
        let attempts: u32 = row["attempts"].parse().expect("attempts");
        assert!(attempts >= 1, "{row:?}");
    }
}

fn numbered_emails(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}@example.com")).collect()
}

/// The shipped sample: 22 created, 2 invalid, 1 duplicate, and the store holds the rows as written.
#[tokio::test]
async fn sample_file_lands_in_the_store_as_written() {
    let store = start(store_args()).await;
    let csv = std::fs::read_to_string(sample_path()).expect("sample readable");
    let ws = Workspace::new(&csv);
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 1);

    let rows = ws.results();
    assert_eq!(rows.len(), 25);
    let count = |s: &str| rows.iter().filter(|r| r["status"] == s).count();
    assert_eq!(
        (count("created"), count("invalid"), count("duplicate")),
        (22, 2, 1)
    );
    let created: Vec<String> = rows
        .iter()
        .filter(|r| r["status"] == "created")
        .map(|r| r["email"].clone())
        .collect();
    assert_holds_each_once(&store, &created);
    assert_all_created_with_store_ids_of(&rows, &store);
    assert_eq!(store.stats().creates, 22);
    assert_eq!(store.stats().duplicate_creates, 0);

    let rich = store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some("orders@northwind-traders.example.com"))
        .expect("the rich row is stored");
    let stored = serde_json::to_value(&rich.customer).expect("serializes");
    assert_eq!(
        stored["billingPerson"],
        json!({
            "name": "Andrew Fuller",
            "companyName": "Northwind Traders Ltd",
            "street": "221 Industrial Way\nUnit 4",
            "city": "Seattle",
            "countryCode": "US",
            "postalCode": "98104",
            "stateOrProvinceCode": "WA",
            "phone": "+1 206 555 0100"
        })
    );
    assert_eq!(
        stored["shippingAddresses"],
        json!([{
            "name": "Receiving Dock",
            "street": "221 Industrial Way\nDock B",
            "city": "Seattle",
            "countryCode": "US",
            "postalCode": "98104"
        }])
    );
    assert_eq!(
        stored["contacts"],
        json!([{
            "type": "EMAIL",
            "contact": "billing@northwind-traders.example.com",
            "default": true
        }])
    );
    assert_eq!(stored["customerGroupId"], json!(9367002));
    assert_eq!(stored["b2b_b2c"], json!("b2b"));
    assert_eq!(stored["taxId"], json!("US-84-1234567"));
    assert_eq!(stored["taxExempt"], json!(true));
    assert_eq!(stored["acceptMarketing"], json!(false));
}

/// The rows that say `created` carry the id the store holds for their email.
fn assert_all_created_with_store_ids_of(rows: &[HashMap<String, String>], store: &Sandbox) {
    let ids = stored_ids(store);
    for row in rows.iter().filter(|r| r["status"] == "created") {
        let id: u64 = row["customer_id"].parse().expect("customer id");
        assert_eq!(ids.get(&lower(&row["email"])), Some(&id), "{row:?}");
    }
}

/// Runs `emails` into a sandbox with `faults`; asserts each row created once, returns the store.
async fn import_all_created(faults: SandboxArgs, emails: &[String], extra: &[&str]) -> Sandbox {
    let store = start(faults).await;
    let ws = Workspace::new(&emails_csv(emails));
    let mut args = FAST.to_vec();
    args.extend_from_slice(extra);
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_eq!(ws.results().len(), emails.len());
    assert_all_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, emails);
    let stats = store.stats();
    assert_eq!(stats.creates, emails.len() as u64, "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
    store
}

/// 5xx before a create takes effect: retried, every row created exactly once.
#[tokio::test]
async fn fail_before_is_retried_and_creates_each_once() {
    let emails = numbered_emails("before", 10);
    let faults = SandboxArgs {
        // Not higher: a row that fails k times in a row waits about 0.5 s * 2^k in all.
        fail_before: 0.3,
        seed: Some(11),
        ..store_args()
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = dir.path().join("summary.json");
    let summary_arg = summary.to_str().expect("utf-8 path");
    let extra = ["--max-retries", "20", "--summary-json", summary_arg];
    let store = import_all_created(faults, &emails, &extra).await;
    let stats = store.stats();
    assert!(stats.injected_faults > 0, "{stats:?}");
    assert!(stats.requests > emails.len() as u64, "{stats:?}");
    let summary = read_json(&summary);
    assert!(summary["retries"].as_u64() > Some(0), "{summary}");
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("summary written");
    serde_json::from_str(&text).expect("summary is JSON")
}

/// A 500 after every create took effect: the look-up confirms it, nothing is created twice.
#[tokio::test]
async fn fail_after_is_confirmed_by_look_up() {
    let emails = numbered_emails("after", 8);
    let faults = SandboxArgs {
        fail_after: 1.0,
        seed: Some(12),
        ..store_args()
    };
    let store = start(faults).await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    assert_all_created_with_store_ids(&ws, &store);
    for row in ws.results() {
        assert!(
            row["error"].contains("confirmed by look-up"),
            "{}",
            row["error"]
        );
        assert_eq!(row["attempts"], "2", "{row:?}");
    }
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.creates, 8, "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
    assert_eq!(stats.by_status.get("500"), Some(&8), "{stats:?}");
}

/// Connections lost after every create took effect: the look-up confirms it, nothing twice.
#[tokio::test]
async fn drop_after_is_confirmed_by_look_up() {
    let emails = numbered_emails("drop", 8);
    let faults = SandboxArgs {
        drop_after: 1.0,
        seed: Some(13),
        ..store_args()
    };
    let store = start(faults).await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    assert_all_created_with_store_ids(&ws, &store);
    for row in ws.results() {
        assert!(
            row["error"].contains("confirmed by look-up"),
            "{}",
            row["error"]
        );
    }
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.creates, 8, "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
    assert_eq!(stats.dropped, 8, "{stats:?}");
}

/// Spurious 429s are waited out and retried: all rows created once, 429s counted on both sides.
#[tokio::test]
async fn spurious_429_is_waited_out() {
    let emails = numbered_emails("limited", 10);
    let faults = SandboxArgs {
        spurious_429: 0.3,
        seed: Some(14),
        ..store_args()
    };
    let store = start(faults).await;
    let ws = Workspace::new(&emails_csv(&emails));
    let summary = ws.dir.path().join("summary.json");
    let summary_arg = summary.to_str().expect("utf-8 path");
    let args = ["--rate", "60000", "--summary-json", summary_arg];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_all_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.creates, 10, "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
    assert!(stats.rate_limited > 0, "{stats:?}");
    let summary = read_json(&summary);
    assert_eq!(
        summary["rate_limited"],
        json!(stats.rate_limited),
        "{summary}"
    );
}

/// 30 rows with 3 invalid and 3 duplicate ones, and every data row's email.
fn mixed_csv() -> (String, Vec<String>) {
    let mut csv = String::from("email,name\n");
    let mut valid = Vec::new();
    for i in 0..30 {
        let email = match i % 10 {
            7 => format!("broken{i}@nodot"),
            9 => format!("MIXED{}@Example.com", i - 9),
            _ => {
                let email = format!("mixed{i}@example.com");
                valid.push(email.clone());
                email
            }
        };
        csv.push_str(&format!("{email},Customer {i}\n"));
    }
    (csv, valid)
}

/// The shares of each fault in the mixed schedules. Lower than one would pick for a single
/// fault: a row that meets several in a row waits out a doubling backoff each time (0.5 s,
/// 1 s, 2 s, ...), and the test must stay fast on every seed.
fn mixed_faults(seed: u64) -> SandboxArgs {
    SandboxArgs {
        fail_before: 0.1,
        fail_after: 0.2,
        drop_after: 0.2,
        spurious_429: 0.05,
        seed: Some(seed),
        ..store_args()
    }
}

/// Under seeded mixes of every fault, each valid email ends up in the store exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_fault_schedules_never_store_a_customer_twice() {
    let (csv, valid) = mixed_csv();
    let runs = (1..=8u64).map(|seed| {
        let csv = csv.clone();
        async move {
            let store = start(mixed_faults(seed)).await;
            let ws = Workspace::new(&csv);
            let code = ws
                .import(
                    &store.api_url(),
                    &["--rate", "60000", "--max-retries", "10"],
                )
                .await;
            (seed, store, ws, code)
        }
    });
    // Concurrently: each run mostly waits on backoffs, and they are independent stores.
    for (seed, store, ws, code) in futures_util::future::join_all(runs).await {
        let rows = ws.results();
        assert_eq!(rows.len(), 30, "seed {seed}");
        assert_eq!(code, 1, "seed {seed}");
        let counts = stored_counts(&store.customers());
        for (i, row) in rows.iter().enumerate() {
            let expected = match i % 10 {
                7 => "invalid",
                9 => "duplicate",
                _ => "created",
            };
            let email = lower(&row["email"]);
            if row["status"] == "failed" && expected == "created" {
                // Ten retries can run out, rarely; the row must then not claim less than it knows.
                assert!(
                    !counts.contains_key(&email) || row["error"].contains("may have been created"),
                    "seed {seed}: {row:?}"
                );
            } else {
                assert_eq!(row["status"], expected, "seed {seed}: {row:?}");
            }
        }
        assert_all_created_with_store_ids_of(&rows, &store);
        let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "seed {seed}: stored twice: {twice:?}");
        let unexpected: Vec<_> = counts.keys().filter(|e| !valid.contains(e)).collect();
        assert!(unexpected.is_empty(), "seed {seed}: {unexpected:?}");
        let created = rows.iter().filter(|r| r["status"] == "created").count();
        let stats = store.stats();
        assert!(
            counts.len() >= created && stats.creates == counts.len() as u64,
            "seed {seed}: {stats:?}"
        );
        assert_eq!(stats.duplicate_creates, 0, "seed {seed}: {stats:?}");
    }
}

/// At the default --rate, a store allowing 30 requests per 2 s never answers 429.
#[tokio::test]
async fn default_rate_stays_under_the_store_limit() {
    let emails = numbered_emails("paced", 40);
    let store = start(SandboxArgs {
        rate_limit: 30,
        rate_window_secs: 2.0,
        ..store_args()
    })
    .await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &[]).await, 0);
    assert_all_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.rate_limited, 0, "{stats:?}");
    assert!(stats.max_in_window <= 30, "{stats:?}");
    // The store's size first (an empty store: nothing more to read), then the creates, then
    // the read-back's one page.
    assert_eq!(stats.requests, 42, "{stats:?}");
}

/// A store tighter than --rate answers 429s; the import waits them out and creates each row once.
#[tokio::test]
async fn tight_store_limit_is_waited_out() {
    let emails = numbered_emails("tight", 15);
    let store = start(SandboxArgs {
        rate_limit: 5,
        rate_window_secs: 1.0,
        ..store_args()
    })
    .await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    assert_eq!(ws.results().len(), 15);
    assert_all_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert!(stats.rate_limited > 0, "{stats:?}");
    assert_eq!(stats.creates, 15, "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
}

/// A token the store refuses stops the run at once: exit 3, nothing stored, nothing more sent.
#[tokio::test]
async fn bad_token_stops_the_run() {
    let emails = numbered_emails("refused", 30);
    let store = start(SandboxArgs {
        token: "secret_other_token".to_string(),
        ..store_args()
    })
    .await;
    let ws = Workspace::new(&emails_csv(&emails));
    let code = ws
        .import(
            &store.api_url(),
            // Per row, so that creates meet the refusal (with a snapshot, the store's size
            // would be the one refused request).
            &[
                "--rate",
                "60000",
                "--concurrency",
                "4",
                "--snapshot",
                "never",
            ],
        )
        .await;
    assert_eq!(code, 3);
    let rows = ws.results();
    assert_eq!(rows.len(), 30);
    for row in &rows {
        assert!(
            row["status"] == "not_sent" || row["status"] == "failed",
            "{row:?}"
        );
        assert_eq!(row["customer_id"], "", "{row:?}");
    }
    assert!(rows.iter().any(|r| r["status"] == "failed"));
    let stats = store.stats();
    assert!(stats.bad_token >= 1 && stats.bad_token <= 4, "{stats:?}");
    assert_eq!(stats.requests, stats.bad_token, "{stats:?}");
    assert_eq!(stats.creates, 0, "{stats:?}");
    assert!(store.customers().is_empty());
}

/// Running the same import again creates nothing: every row `exists` with the first run's id.
#[tokio::test]
async fn rerun_finds_every_customer_and_creates_none() {
    let emails = numbered_emails("again", 12);
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let first = ws.results();
    assert_eq!(store.stats().creates, 12);

    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let second = ws.results();
    assert_eq!(store.stats().creates, 12, "{:?}", store.stats());
    assert_eq!(column(&second, "status"), vec!["exists"; 12]);
    assert_eq!(
        column(&second, "customer_id"),
        column(&first, "customer_id")
    );
    assert_holds_each_once(&store, &emails);
}

/// `--on-existing update` on a second run sends the stored customers the new name.
#[tokio::test]
async fn rerun_with_update_replaces_the_stored_name() {
    let emails = numbered_emails("renamed", 6);
    let store = start(store_args()).await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let first = ws.results();

    let mut renamed = String::from("email,name\n");
    for email in &emails {
        renamed.push_str(&format!("{email},New Name\n"));
    }
    std::fs::write(&ws.input, renamed).expect("rewrite input");
    let args = ["--rate", "60000", "--on-existing", "update"];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    let second = ws.results();
    assert_eq!(column(&second, "status"), vec!["updated"; 6]);
    assert_eq!(
        column(&second, "customer_id"),
        column(&first, "customer_id")
    );
    assert_eq!(store.stats().creates, 6);
    assert_holds_each_once(&store, &emails);
    for c in store.customers() {
        let name = c.customer.billing_person.and_then(|b| b.name);
        assert_eq!(name.as_deref(), Some("New Name"), "customer {}", c.id);
    }
}

/// Kills the child process when dropped, so that a failing test leaves no sandbox running.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn binary() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"));
    for var in ["ECWID_TOKEN", "ECWID_STORE_ID", "ECWID_API_URL", "RUST_LOG"] {
        cmd.env_remove(var);
    }
    cmd
}

/// The real binaries: `import` against a separately running `ecwid-import sandbox` process.
#[test]
fn binary_imports_into_a_sandbox_process() {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"))
        .args(["sandbox", "--port", "0"])
        .env_remove("RUST_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sandbox starts");
    let mut sandbox = KillOnDrop(child);
    let stdout = sandbox.0.stdout.take().expect("stdout piped");
    let mut lines = BufReader::new(stdout).lines();
    let mut next = || lines.next().expect("a line").expect("utf-8 line");
    let (url_line, id_line, token_line) = (next(), next(), next());
    let url = url_line
        .strip_prefix("api url: ")
        .unwrap_or_else(|| panic!("{url_line}"));
    let port = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/api/v3"))
        .unwrap_or_else(|| panic!("{url}"));
    assert!(port.parse::<u16>().is_ok_and(|p| p != 0), "{url}");
    assert_eq!(id_line, "store id: 1003");
    assert_eq!(token_line, "token: secret_sandbox");

    let emails = numbered_emails("process", 5);
    let ws = Workspace::new(&emails_csv(&emails));
    binary()
        .arg("import")
        .arg(&ws.input)
        .args(["--store-id", "1003", "--api-url", url, "--rate", "60000"])
        .env("ECWID_TOKEN", "secret_sandbox")
        .assert()
        .code(0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), vec!["created"; 5]);
    assert!(rows.iter().all(|r| r["customer_id"].parse::<u64>().is_ok()));
    drop(sandbox);
}

/// `import --sandbox` on the shipped sample: exit 1 and 22 rows created.
#[test]
fn binary_imports_the_sample_into_its_own_sandbox() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("customers.csv");
    std::fs::copy(sample_path(), &input).expect("sample copied");
    binary()
        .arg("import")
        .arg(&input)
        .args(["--sandbox", "-q"])
        .assert()
        .code(1);
    let rows = read_csv(&dir.path().join("customers.results.csv"));
    assert_eq!(rows.len(), 25);
    let created = rows.iter().filter(|r| r["status"] == "created").count();
    assert_eq!(created, 22);
}
