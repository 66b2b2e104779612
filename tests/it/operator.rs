//! What a person at a terminal and a scheduler see: progress (bar or plain lines), help,
//! completions, the template and the summary, pinned by snapshots where the text is the
//! product.

use std::process::Command as Process;

use assert_cmd::Command;
use ecwid_import::outcome::ExitStatus;
use ecwid_import::report::summary::{
    LeftBlank, NextStep, ReadBackCounts, SnapshotCounts, Summary, TopError,
};

use crate::support::emails_csv;

fn binary() -> Command {
    let mut command = Command::cargo_bin("ecwid-import").expect("binary");
    command
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .env_remove("ECWID_TOKEN")
        .env_remove("RUST_LOG");
    command
}

fn stdout_of(args: &[&str]) -> String {
    let output = binary().args(args).output().expect("runs");
    assert!(output.status.success(), "{args:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

/// A file of `n` valid rows in a temporary folder.
fn rows_file(n: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("people.csv");
    let emails: Vec<String> = (0..n).map(|i| format!("p{i}@example.com")).collect();
    std::fs::write(&path, emails_csv(&emails)).expect("write");
    (dir, path)
}

/// The template is the canonical header line.
#[test]
fn template_snapshot() {
    insta::assert_snapshot!(stdout_of(&["template"]));
}

/// Help of every command, with its examples.
#[test]
fn help_snapshots() {
    insta::assert_snapshot!("help", stdout_of(&["--help"]));
    insta::assert_snapshot!("help_import", stdout_of(&["import", "--help"]));
    insta::assert_snapshot!("help_validate", stdout_of(&["validate", "--help"]));
    insta::assert_snapshot!("help_sandbox", stdout_of(&["sandbox", "--help"]));
    insta::assert_snapshot!("help_undo", stdout_of(&["undo", "--help"]));
    insta::assert_snapshot!("help_plan", stdout_of(&["plan", "--help"]));
    insta::assert_snapshot!("help_export", stdout_of(&["export", "--help"]));
}

/// The version is printed with -V.
#[test]
fn version_flag() {
    let version = stdout_of(&["-V"]);
    assert_eq!(
        version.trim(),
        format!("ecwid-import {}", env!("CARGO_PKG_VERSION"))
    );
}

/// The summary text of a run with every kind of count.
#[test]
fn summary_text_snapshot() {
    let summary = Summary {
        rows: 1200,
        by_status: vec![("created", 1100), ("exists", 40), ("invalid", 50), ("failed", 10)],
        requests: 1191,
        requests_by_kind: vec![
            ("create", 1160),
            ("search", 12),
            ("get", 0),
            ("list", 0),
            ("update", 15),
            ("delete", 0),
            ("groups", 1),
            ("profile", 2),
            ("batch_submit", 0),
            ("batch_poll", 0),
            ("batch_cancel", 0),
            ("group_create", 0),
            ("group_delete", 0),
            ("extrafields", 0),
            ("read_back", 1),
        ],
        retries: 40,
        rate_limited: 3,
        lookups: 12,
        confirmed_by_lookup: 2,
        batches: None,
        snapshot: None,
        elapsed_seconds: 130.24,
        exit_code: ExitStatus::RowsFailed,
        output: "customers.results.csv".into(),
        failed_output: "customers.results.failed.csv".into(),
        top_errors: vec![
            TopError {
                error: "invalid: billingPerson.countryCode: must be an ISO 3166-1 alpha-2 country code such as US, DE or GB".into(),
                count: 31,
                first_row: 7,
            },
            TopError {
                error: "failed: HTTP 400 WRONG_PARAMETER".into(),
                count: 10,
                first_row: 88,
            },
        ],
        left_blank: vec![
            LeftBlank {
                kind: LeftBlank::PLACEHOLDER,
                column: "Phone Number".into(),
                cells: 81,
            },
            LeftBlank {
                kind: LeftBlank::PLACEHOLDER,
                column: "Zip".into(),
                cells: 2,
            },
            LeftBlank {
                kind: LeftBlank::EMAIL_AS_NAME,
                column: "First Name + Last Name".into(),
                cells: 1,
            },
        ],
        plan: None,
        read_back: Some(ReadBackCounts {
            customers: 100,
            requests: 1,
            remembered_in: Some("customers.results.not-kept.json".into()),
        }),
        fields_not_kept: [("fiscalCode".to_string(), 60)].into(),
        stopped: None,
        next_steps: vec![NextStep {
            what: "To import the 60 rows once fixed in customers.results.failed.csv".into(),
            command: "ecwid-import import customers.results.failed.csv --store-id 1003".into(),
        }],
        dry_run: false,
        report: None,
    };
    insta::assert_snapshot!(summary.to_text());
    let json: serde_json::Value = serde_json::to_value(&summary).expect("json");
    insta::assert_json_snapshot!("summary_json", json);
    // A run that read the store first says so, in the text and the JSON.
    let read_first = Summary {
        snapshot: Some(SnapshotCounts {
            customers: 1300,
            requests: 14,
            in_file: 40,
        }),
        ..summary
    };
    let text = read_first.to_text();
    assert!(
        text.contains("Store read first: 1300 customers in 14 requests, 40 of them in the file"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::to_value(&read_first).expect("json");
    assert_eq!(json["snapshot"]["customers"], 1300, "{json}");
    assert_eq!(json["snapshot"]["requests"], 14, "{json}");
}

/// Completion scripts for the shells clap knows.
#[test]
fn completions_for_bash_and_zsh() {
    let bash = stdout_of(&["completions", "bash"]);
    assert!(
        bash.contains("_ecwid__import()") && bash.contains("--on-existing"),
        "{bash}"
    );
    let zsh = stdout_of(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef ecwid-import"), "{zsh}");
}

/// Not on a terminal: plain progress lines (here every 0 s), none with -q.
#[test]
fn plain_progress_lines_off_a_terminal() {
    let (_dir, input) = rows_file(30);
    let output = binary()
        .args(["import", "--sandbox", "--rate", "60000"])
        .arg(&input)
        .env("ECWID_IMPORT_PROGRESS_SECONDS", "0")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("progress: "))
        .collect();
    assert!(lines.len() >= 10, "{stderr}");
    assert!(
        lines.iter().all(|l| l.contains("% of the file")),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour codes off a terminal: {stderr}"
    );

    let quiet = binary()
        .args(["import", "--sandbox", "--rate", "60000", "-q"])
        .arg(&input)
        .env("ECWID_IMPORT_PROGRESS_SECONDS", "0")
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("progress: "));
}

/// On a terminal (a pseudo-terminal from `script`): a progress bar with counts and ETA.
#[test]
fn progress_bar_on_a_terminal() {
    let (_dir, input) = rows_file(25);
    let bin = assert_cmd::cargo::cargo_bin("ecwid-import");
    let command = format!("{} import --sandbox {}", bin.display(), input.display());
    let output = Process::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .output()
        .expect("script runs");
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(screen.contains("ETA"), "{screen}");
    assert!(screen.contains("created"), "{screen}");
    assert!(screen.contains("/s)"), "rows per second: {screen}");
    assert!(screen.contains("Imported 25 rows"), "{screen}");
}

/// The column reference of docs/files-and-columns.md is the one the code makes.
#[test]
fn docs_column_reference_is_current() {
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/files-and-columns.md"
    ))
    .expect("docs/files-and-columns.md");
    let (_, rest) = readme
        .split_once("<!-- columns:begin -->\n")
        .expect("the page has the columns:begin marker");
    let (block, _) = rest
        .split_once("<!-- columns:end -->")
        .expect("the page has the columns:end marker");
    let expected = ecwid_import::column_reference();
    assert_eq!(
        block, expected,
        "paste this between the markers in docs/files-and-columns.md:\n{expected}"
    );
}

/// Counts per status in a results file.
fn status_counts(results: &std::path::Path) -> std::collections::BTreeMap<String, u64> {
    let mut counts = std::collections::BTreeMap::new();
    for row in crate::support::read_csv(results) {
        *counts.entry(row["status"].clone()).or_default() += 1;
    }
    counts
}

/// The summary JSON agrees with the results file and the exit status, run after run, across
/// every status an import can give: created, exists, updated, unchanged, invalid, duplicate,
/// failed, not_sent.
#[tokio::test]
async fn summary_json_agrees_with_results_for_every_status() {
    use crate::e2e::{start, store_args};
    use crate::support::Workspace;
    let store = start(store_args()).await;
    let csv = "email,customerGroupName,billingPerson.countryCode\n\
               a@example.com,,US\n\
               b@example.com,VIP,\n\
               c@example.com,,XX\n\
               A@example.com,,\n\
               d@example.com,Gold,\n";
    let ws = Workspace::new(csv);
    let summary = ws.dir.path().join("summary.json");
    let json_arg = summary.to_str().expect("utf-8").to_string();
    let mut runs = Vec::new();
    for (run, (extra, expected_exit)) in [
        (vec!["--on-existing", "skip"], 1),
        (vec!["--on-existing", "skip"], 1),
        (vec!["--on-existing", "update"], 1),
    ]
    .into_iter()
    .enumerate()
    {
        if run == 2 {
            // One row changes, the other is as the store has it: updated and unchanged.
            let changed = csv.replace("a@example.com,,US", "a@example.com,,CA");
            std::fs::write(&ws.input, changed).expect("rewrite input");
        }
        let mut args = vec!["--summary-json", json_arg.as_str(), "--rate", "60000"];
        args.extend(extra);
        let code = ws.import(&store.api_url(), &args).await;
        assert_eq!(code, expected_exit);
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary"))
                .expect("json");
        let by_status: std::collections::BTreeMap<String, u64> =
            serde_json::from_value(json["by_status"].clone()).expect("counts");
        assert_eq!(by_status, status_counts(&ws.output()));
        assert_eq!(json["exit_code"], code);
        assert_eq!(json["rows"], 5);
        runs.push(by_status);
    }
    let count = |run: usize, status: &str| runs[run].get(status).copied().unwrap_or(0);
    assert_eq!(
        (
            count(0, "created"),
            count(0, "invalid"),
            count(0, "duplicate"),
            count(0, "failed")
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(count(1, "exists"), 2);
    assert_eq!((count(2, "updated"), count(2, "unchanged")), (1, 1));

    // A refused token: failed and not_sent rows, exit 3, and the JSON says so.
    std::fs::write(&ws.token_file, "secret_wrong").expect("token");
    let code = ws
        .import(
            &store.api_url(),
            &["--summary-json", &json_arg, "--concurrency", "1"],
        )
        .await;
    assert_eq!(code, 3);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("json");
    let by_status: std::collections::BTreeMap<String, u64> =
        serde_json::from_value(json["by_status"].clone()).expect("counts");
    assert_eq!(by_status, status_counts(&ws.output()));
    assert!(by_status.contains_key("not_sent"), "{json}");
    assert_eq!(json["exit_code"], 3);
    assert!(
        json["stopped"]
            .as_str()
            .is_some_and(|s| s.contains("INVALID_API_TOKEN")),
        "{json}"
    );
}

/// Every command's help has a description, its options under the headings Input, Store,
/// Sending, Output (no option left in a heading of its own but --help), and two or three
/// examples.
#[test]
fn every_command_help_is_grouped_with_examples() {
    use clap::CommandFactory;
    let mut cli = ecwid_import::cli::Cli::command();
    cli.build();
    for command in cli.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = command.get_name();
        assert!(command.get_about().is_some(), "{name} has no description");
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if arg.is_positional() || id == "help" || arg.is_hide_set() {
                continue;
            }
            assert!(
                arg.get_help_heading().is_some(),
                "{name} --{id} is under no heading"
            );
        }
        let help = stdout_of(&[name, "--help"]);
        let (_, examples) = help
            .split_once("Examples:\n")
            .unwrap_or_else(|| panic!("{name} --help has no examples:\n{help}"));
        let count = examples
            .lines()
            .take_while(|l| l.starts_with("  "))
            .filter(|l| l.trim_start().contains("ecwid-import "))
            .count();
        assert!((2..=3).contains(&count), "{name}: {count} examples\n{help}");
    }
}
