//! The summary JSON against the results file, and the token (a canary) in none of the
//! outputs of a dry run, a refused command or a failed import.

use std::collections::BTreeMap;
use std::path::Path;

use tempfile::TempDir;

use super::{CANARY, MIXED, bin, read, records, status_counts, write};

/// Reads the summary JSON and checks it against the results file and the exit status.
fn check_summary(summary: &Path, results: &Path, exit_code: i32) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(&read(summary)).expect("summary is JSON");
    for key in [
        "rows",
        "by_status",
        "requests",
        "retries",
        "elapsed_seconds",
        "exit_code",
        "output",
    ] {
        assert!(json.get(key).is_some(), "summary has {key}: {json}");
    }
    let counts = status_counts(results);
    let rows: u64 = counts.values().sum();
    assert_eq!(json["rows"], rows, "{json}");
    let by_status: BTreeMap<String, u64> =
        serde_json::from_value(json["by_status"].clone()).expect("by_status maps to counts");
    assert_eq!(by_status, counts);
    assert_eq!(json["exit_code"], exit_code);
    assert_eq!(json["output"], results.display().to_string());
    assert!(json["elapsed_seconds"].as_f64().is_some_and(|s| s >= 0.0));
    assert!(
        json["requests"].is_u64() && json["retries"].is_u64(),
        "{json}"
    );
    // Every kind of request has its count, and together they are all the requests.
    let by_kind: BTreeMap<String, u64> = serde_json::from_value(json["requests_by_kind"].clone())
        .expect("requests_by_kind maps to counts");
    let kinds: Vec<&str> = by_kind.keys().map(String::as_str).collect();
    let mut expected = [
        "create",
        "search",
        "get",
        "list",
        "update",
        "delete",
        "groups",
        "profile",
        "batch_submit",
        "batch_poll",
        "batch_cancel",
        "group_create",
        "group_delete",
        "extrafields",
        "read_back",
    ];
    expected.sort_unstable();
    assert_eq!(kinds, expected, "{json}");
    assert_eq!(json["requests"], by_kind.values().sum::<u64>(), "{json}");
    json
}

/// --summary-json writes the documented keys, with counts that agree with the results file.
#[test]
fn summary_json_agrees_with_the_results_file() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", MIXED);
    let results = dir.path().join("results.csv");
    let summary = dir.path().join("summary.json");
    bin()
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&results)
        .arg("--summary-json")
        .arg(&summary)
        .assert()
        .code(1)
        .stdout("");
    let json = check_summary(&summary, &results, 1);
    assert_eq!(json["rows"], 6);
    assert_eq!(
        json["by_status"],
        serde_json::json!({"valid": 2, "invalid": 3, "duplicate": 1})
    );
    assert_eq!(json["requests"], 0);
    assert_eq!(json["retries"], 0);
}

/// The token never shows in stdout, stderr, results, failed rows or summary of a dry run.
#[test]
fn token_is_never_shown_in_a_dry_run() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", MIXED);
    let summary = dir.path().join("summary.json");
    let assert = bin()
        .args(["-vv", "import", "--dry-run", "--store-id", "1003"])
        .arg(&input)
        .arg("--summary-json")
        .arg(&summary)
        .env("ECWID_TOKEN", CANARY)
        .assert()
        .code(1);
    assert_no_canary(
        &assert.get_output().stdout,
        &assert.get_output().stderr,
        &dir,
        WRITTEN_BY_DRY_RUN,
    );
}

/// An API URL that is not a URL is refused (exit 2) before anything is written: no journal
/// is left to block the corrected command (only the lock file, which stays by design).
#[test]
fn a_malformed_api_url_leaves_no_journal() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", "email\nann@example.com\n");
    bin()
        .args([
            "import",
            "--store-id",
            "1003",
            "--api-url",
            "http://exa mple.com/api",
        ])
        .arg(&input)
        .env("ECWID_TOKEN", CANARY)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a URL"));
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["customers.csv", "customers.results.csv.lock"]);
}

/// Importing to an unreachable store fails the row after --max-retries 0, exits 1, and the
/// token never shows in any output, even at the highest log level.
#[test]
fn token_is_never_shown_in_a_failed_import() {
    let dir = TempDir::new().unwrap();
    let input = write(
        &dir,
        "customers.csv",
        "email,name\nann@example.com,Ann\nnot-an-email,Bob\n",
    );
    let results = dir.path().join("customers.results.csv");
    let summary = dir.path().join("summary.json");
    let assert = bin()
        .args(["-vv", "import", "--store-id", "1003"])
        .args([
            "--api-url",
            "http://127.0.0.1:9/api/v3",
            "--max-retries",
            "0",
        ])
        .args(["--timeout", "10"])
        .arg(&input)
        .arg("--summary-json")
        .arg(&summary)
        .env("ECWID_TOKEN", CANARY)
        .assert()
        .code(1);
    assert_no_canary(
        &assert.get_output().stdout,
        &assert.get_output().stderr,
        &dir,
        WRITTEN_BY_IMPORT,
    );

    let got = records(&results);
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[1][..7],
        ["1", "2", "ann@example.com", "failed", "", "", "1"]
    );
    assert!(!got[1][7].is_empty(), "a failed row says why");
    assert_eq!(
        got[2][..7],
        ["2", "3", "not-an-email", "invalid", "", "", "0"]
    );

    let json = check_summary(&summary, &results, 1);
    // The store's size (`--snapshot auto` asks it first), and the one create.
    assert_eq!(json["requests"], 2, "{json}");
    assert_eq!(json["requests_by_kind"]["create"], 1, "{json}");
    assert_eq!(json["retries"], 0, "--max-retries 0 sends no retry: {json}");
}

/// The input, the results, the failed rows, the report, the summary and the lock.
const WRITTEN_BY_DRY_RUN: usize = 6;
/// An import writes no report unasked, and adds its undo log.
const WRITTEN_BY_IMPORT: usize = WRITTEN_BY_DRY_RUN;

/// The canary is in none of the outputs of a run, nor in any of the `files` it left in `dir`.
fn assert_no_canary(stdout: &[u8], stderr: &[u8], dir: &TempDir, files: usize) {
    let stdout = String::from_utf8_lossy(stdout);
    let stderr = String::from_utf8_lossy(stderr);
    assert!(!stdout.contains(CANARY), "token on stdout: {stdout}");
    assert!(!stderr.contains(CANARY), "token on stderr: {stderr}");
    let mut found = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(CANARY),
            "token in {}",
            path.display()
        );
        found += 1;
    }
    assert_eq!(found, files, "the run wrote its files");
}
