//! What a run says at its end, driven through the binary: `-q`'s one line, no colour with
//! `NO_COLOR`, words and numbers that agree (the summaries and INFO lines of `validate`,
//! `plan`, `import` and `undo` on an empty store, a full one and a mixed run, pinned by
//! snapshots), and next steps that work when pasted into a shell.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ecwid_import::sandbox::Sandbox;

use crate::e2e::{start, store_args};
use crate::resume::{interrupt_and_wait, slow_store, wait_for_creates};
use crate::support::{TOKEN, read_csv};

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("ecwid-import")
}

/// A command run in `dir` with the token in the environment and no other setting from it.
fn in_dir(dir: &Path, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .env("ECWID_TOKEN", TOKEN)
        .env("ECWID_IMPORT_PROGRESS_SECONDS", "3600")
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// `ecwid-import <args>` in `dir`.
fn binary(dir: &Path, args: &[&str]) -> Command {
    let mut command = in_dir(dir, bin());
    command.args(args);
    command
}

/// A next step's command, pasted into `sh -c` in `dir`.
fn pasted(dir: &Path, line: &str) -> Command {
    let mut command = in_dir(dir, "sh");
    command.args(["-c", line]);
    command
}

/// Runs `command` to its end off the runtime's threads (the sandbox answers on them): its exit
/// status and stderr.
async fn run(mut command: Command) -> (i32, String) {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains(TOKEN), "the token on stderr: {stderr}");
    (output.status.code().unwrap_or(-1), stderr)
}

/// The store options of every command here.
fn connection_args(store: &Sandbox) -> Vec<String> {
    [
        "--store-id",
        "1003",
        "--api-url",
        &store.api_url(),
        "--rate",
        "60000",
    ]
    .map(String::from)
    .to_vec()
}

/// The command of the next step whose line starts with `what`.
fn step(stderr: &str, what: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.starts_with(what))
        .unwrap_or_else(|| panic!("no step {what:?} in:\n{stderr}"));
    let (_, command) = line.split_once(": ").expect("what: command");
    command.to_string()
}

/// Words that must agree with the number before them: never `1 rows`.
fn assert_plurals_agree(text: &str) {
    const PLURALS: &[&str] = &[
        "rows",
        "requests",
        "customers",
        "creates",
        "updates",
        "retries",
        "pages",
        "writes",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    for pair in words.windows(2) {
        let next = pair[1].trim_matches(|c: char| !c.is_alphabetic());
        assert!(
            !(pair[0].trim_start_matches('(') == "1" && PLURALS.contains(&next)),
            "\"{} {}\" in:\n{text}",
            pair[0],
            pair[1]
        );
    }
    assert!(!text.contains("0 customers in"), "{text}");
}

/// The INFO line that ends a store read and the summary's line say the same.
fn assert_store_read_agrees(text: &str) {
    let read: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("INFO "))
        .filter(|l| l.starts_with("Store read first:"))
        .collect();
    for info in read {
        assert!(
            text.lines().any(|l| l == info),
            "the summary does not say {info:?}:\n{text}"
        );
    }
}

/// The output with what changes from run to run replaced: the binary's path, the store's
/// address, the elapsed time.
fn normalised(text: &str, store: &Sandbox) -> String {
    let text = text
        .replace(&bin().display().to_string(), "ecwid-import")
        .replace(&store.api_url(), "API");
    let mut out = String::new();
    for line in text.lines() {
        let mut line = line.to_string();
        if let Some(at) = line.find(" in ")
            && let Some(end) = line[at + 4..].find(" s")
            && line[at + 4..at + 4 + end]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
        {
            line.replace_range(at + 4..at + 4 + end, "T");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Runs each command in `dir` and gives their stderr one after the other, each under the
/// command line, checked for plurals and for the store read's agreement.
async fn transcript(dir: &Path, sandbox: &Sandbox, commands: &[Vec<String>]) -> String {
    let mut text = String::new();
    for args in commands {
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        let connection = connection_args(sandbox);
        if args[0] != "validate" {
            all.extend(connection.iter().map(String::as_str));
        }
        let (code, stderr) = run(binary(dir, &all)).await;
        assert_plurals_agree(&stderr);
        assert_store_read_agrees(&stderr);
        text.push_str(&format!("$ {} (exit {code})\n", args.join(" ")));
        text.push_str(&normalised(&stderr, sandbox));
    }
    text
}

fn words(line: &str) -> Vec<String> {
    line.split(' ').map(String::from).collect()
}

/// On an empty store: check, plan, import, then undo (shown, then written).
#[tokio::test]
async fn every_message_on_an_empty_store() {
    let store = start(store_args()).await;
    let dir = tempfile::tempdir().expect("dir");
    let csv = "email,name\nann@example.com,Ann Lee\nbob@example.com,Bob Roy\n";
    std::fs::write(dir.path().join("customers.csv"), csv).expect("write");
    let commands = [
        "validate customers.csv",
        "plan customers.csv",
        "import customers.csv",
        "undo customers.results.csv",
        "undo customers.results.csv --yes",
    ];
    let text = transcript(dir.path(), &store, &commands.map(words)).await;
    insta::assert_snapshot!(text);
}

/// On a store that holds every row: plan and import find them all, reading the store first.
#[tokio::test]
async fn every_message_on_a_full_store() {
    let store = start(store_args()).await;
    let dir = tempfile::tempdir().expect("dir");
    let csv = "email,name\nann@example.com,Ann Lee\nbob@example.com,Bob Roy\n";
    std::fs::write(dir.path().join("seed.csv"), csv).expect("write");
    std::fs::write(dir.path().join("customers.csv"), csv).expect("write");
    transcript(dir.path(), &store, &[words("import seed.csv -q")]).await;
    let commands = [
        "plan customers.csv --snapshot always",
        "import customers.csv --snapshot always",
        "undo customers.results.csv",
    ];
    let text = transcript(dir.path(), &store, &commands.map(words)).await;
    insta::assert_snapshot!(text);
}

/// A mixed run: updated, unchanged, created, invalid and duplicate rows, and its undo.
#[tokio::test]
async fn every_message_of_a_mixed_run() {
    let store = start(store_args()).await;
    let dir = tempfile::tempdir().expect("dir");
    let seed = "email,name\nann@example.com,Ann Lee\nbob@example.com,Bob Roy\n";
    std::fs::write(dir.path().join("seed.csv"), seed).expect("write");
    let csv = "email,name\nann@example.com,Ann Berg\nbob@example.com,Bob Roy\n\
               cy@example.com,Cy Day\nnot-an-email,Dee\nANN@example.com,Ann Again\n";
    std::fs::write(dir.path().join("customers.csv"), csv).expect("write");
    transcript(dir.path(), &store, &[words("import seed.csv -q")]).await;
    let commands = [
        "validate customers.csv",
        "plan customers.csv --on-existing update",
        "import customers.csv --on-existing update",
        "undo customers.results.csv",
    ];
    let text = transcript(dir.path(), &store, &commands.map(words)).await;
    insta::assert_snapshot!(text);
}

/// `-q`: warnings and the one-line outcome with its next step, nothing else; the summary
/// JSON is written all the same. Without `-q` the same run says more.
#[test]
fn quiet_is_warnings_and_one_line() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = "email,name,favourite colour\na@example.com,Ann,red\nnot-an-email,Bob,blue\n";
    std::fs::write(dir.path().join("customers.csv"), csv).expect("write");
    let args = [
        "import",
        "customers.csv",
        "--sandbox",
        "--summary-json",
        "summary.json",
    ];
    let output = binary(dir.path(), &[&args[..], &["-q"]].concat())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].contains("WARN") && lines[0].contains("favourite colour"),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with("Imported 2 rows in ")
            && lines[1].contains(
                ": 1 created, 1 invalid. To import the 1 row once fixed in \
                                 customers.results.failed.csv: "
            ),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("summary.json")).expect("summary"),
    )
    .expect("json");
    assert_eq!(json["rows"], 2);
    assert_eq!(json["by_status"]["invalid"], 1);

    let loud = binary(dir.path(), &args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&loud.stderr);
    assert!(
        stderr.contains(" INFO ") && stderr.contains("\nResults: "),
        "{stderr}"
    );
}

/// On a terminal, logs are coloured unless NO_COLOR is set to a value (an empty one does not
/// count).
#[test]
fn no_color_turns_colour_off() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("c.csv"), "email\na@example.com\n").expect("write");
    let screen = |no_color: Option<&str>| {
        let env = no_color.map_or(String::new(), |v| format!("NO_COLOR='{v}' "));
        let line = format!("{env}{} import --sandbox c.csv", bin().display());
        let output = Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .current_dir(dir.path())
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            .env_remove("RUST_LOG")
            .output()
            .expect("script runs");
        let screen = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(screen.contains("Imported 1 row"), "{screen}");
        screen
    };
    // An SGR sequence (ESC [ ... m) sets a colour or a weight; the bar's own cursor movements
    // are not colour.
    let coloured = |screen: &str| {
        screen.split('\u{1b}').skip(1).any(|seq| {
            seq.strip_prefix('[').is_some_and(|rest| {
                let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'));
                end.is_some_and(|at| rest[at..].starts_with('m'))
            })
        })
    };
    assert!(coloured(&screen(None)), "colour on a terminal");
    assert!(
        coloured(&screen(Some(""))),
        "an empty NO_COLOR does not count"
    );
    let plain = screen(Some("1"));
    assert!(!coloured(&plain), "{plain:?}");
}

/// Each ending's next step, pasted into a shell, does what it says: a path with a space is
/// quoted, and the token is never in it. Failed rows: fixed, then imported; success: undone
/// (shown, then written); a plan: imported.
#[tokio::test]
async fn pasted_next_steps_work() {
    let store = start(store_args()).await;
    let dir = tempfile::tempdir().expect("dir");
    let csv = "email,name\nann@example.com,Ann\nnot-an-email,Bob\n";
    std::fs::write(dir.path().join("my customers.csv"), csv).expect("write");
    let connection = connection_args(&store);
    let with = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(connection.iter().map(String::as_str));
        binary(dir.path(), &all)
    };

    let (code, stderr) = run(with(&["plan", "my customers.csv"])).await;
    assert_eq!(code, 1, "{stderr}");
    let (code, stderr) = run(pasted(dir.path(), &step(&stderr, "To import as planned"))).await;
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(store.customers().len(), 1);

    let failed = dir.path().join("my customers.results.failed.csv");
    let fixed = std::fs::read_to_string(&failed)
        .expect("failed rows")
        .replace("not-an-email", "bob@example.com");
    std::fs::write(&failed, fixed).expect("fix");
    let import_fixed = step(&stderr, "To import the 1 row once fixed in");
    assert!(
        import_fixed.contains("'my customers.results.failed.csv'"),
        "{import_fixed}"
    );
    let (code, stderr) = run(pasted(dir.path(), &import_fixed)).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(store.customers().len(), 2);

    let (code, stderr) = run(pasted(dir.path(), &step(&stderr, "To undo this import"))).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(store.customers().len(), 2, "shown, not written");
    let (code, stderr) = run(pasted(dir.path(), &step(&stderr, "To undo these writes"))).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(store.customers().len(), 1, "bob's create undone: {stderr}");
}

/// Interrupted: the command to continue, pasted, finishes the import; with `-q` it is in the
/// one line.
#[tokio::test]
async fn the_continue_step_of_an_interrupted_run_finishes_it() {
    let store = slow_store().await;
    let dir = tempfile::tempdir().expect("dir");
    let emails: Vec<String> = (0..60).map(|i| format!("p{i}@example.com")).collect();
    std::fs::write(
        dir.path().join("my customers.csv"),
        crate::support::emails_csv(&emails),
    )
    .expect("write");
    let connection = connection_args(&store);
    let mut args = vec!["import", "my customers.csv", "-q", "--concurrency", "2"];
    args.extend(connection.iter().map(String::as_str));
    let mut child = binary(dir.path(), &args).spawn().expect("spawn");
    wait_for_creates(&store, 5, &mut child).await;
    let output = interrupt_and_wait(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    let outcome = stderr.lines().last().expect("the outcome");
    let (_, command) = outcome
        .split_once(". To continue: ")
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(command.ends_with(" --resume"), "{command}");
    let (code, stderr) = run(pasted(dir.path(), command)).await;
    assert_eq!(code, 0, "{stderr}");
    let rows = read_csv(&dir.path().join("my customers.results.csv"));
    assert!(rows.iter().all(|r| r["status"] == "created"), "{rows:?}");
    assert_eq!(store.customers().len(), 60);
}

/// `-q` of `validate` and `undo`: one line each, with the next step.
#[tokio::test]
async fn quiet_check_and_undo_are_one_line() {
    let store = start(store_args()).await;
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("c.csv"),
        "email\na@example.com\nb@example.com\n",
    )
    .expect("write");
    let (code, stderr) = run(binary(dir.path(), &["validate", "c.csv", "-q"])).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("Checked 2 rows in ")
            && stderr.contains(": 2 valid. To see what the import would do in the store: "),
        "{stderr}"
    );
    let connection = connection_args(&store);
    let with = |args: &[&str]| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(connection.iter().map(String::as_str));
        binary(dir.path(), &all)
    };
    let (code, stderr) = run(with(&["import", "c.csv", "-q"])).await;
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = run(with(&["-q", "undo", "c.results.csv"])).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("Undo: 2 logged writes: 2 would_delete. To undo these writes: ")
            && stderr.trim_end().ends_with(" --yes"),
        "{stderr}"
    );
}
