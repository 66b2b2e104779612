//! Shared helpers: input files in a temporary folder, running the library's `run` as the
//! command line would, and reading the results file back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::Parser;
use ecwid_import::cli::Cli;
use tempfile::TempDir;

pub mod mock;

pub const TOKEN: &str = "secret_test_token_42";

/// A temporary folder holding one input file and the token file.
pub struct Workspace {
    pub dir: TempDir,
    pub input: PathBuf,
    pub token_file: PathBuf,
}

impl Workspace {
    pub fn new(csv: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("customers.csv");
        std::fs::write(&input, csv).expect("write input");
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, format!("{TOKEN}\n")).expect("write token");
        Self {
            dir,
            input,
            token_file,
        }
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("customers.results.csv")
    }

    pub fn failed_output(&self) -> PathBuf {
        self.dir.path().join("customers.results.failed.csv")
    }

    /// `ecwid-import import <input> --store-id 1003 --api-url <api> --token-file ... -q <extra>`
    /// run in-process; the exit status.
    pub async fn import(&self, api_url: &str, extra: &[&str]) -> i32 {
        let mut args: Vec<String> = [
            "ecwid-import",
            "import",
            path(&self.input),
            "--store-id",
            "1003",
            "--api-url",
            api_url,
            "--token-file",
            path(&self.token_file),
            "-q",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        run_in_process(args).await
    }

    /// `ecwid-import import <input> --store-id 1003 --api-url <api> --rate 60000 -q <extra>` as a
    /// real process, with the token in `ECWID_TOKEN` and stderr captured.
    pub fn import_process(&self, api_url: &str, extra: &[&str]) -> std::process::Command {
        self.process("import", api_url, extra)
    }

    /// `ecwid-import <command> <input> ...` (`import` or `plan`) as a real process, with
    /// the token in the environment, stderr piped.
    pub fn process(&self, name: &str, api_url: &str, extra: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"));
        command
            .arg(name)
            .arg(&self.input)
            .args([
                "--store-id",
                "1003",
                "--api-url",
                api_url,
                "--rate",
                "60000",
                "-q",
            ])
            .args(extra)
            .env("ECWID_TOKEN", TOKEN)
            .env_remove("ECWID_STORE_ID")
            .env_remove("ECWID_API_URL")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        command
    }

    pub fn results(&self) -> Vec<HashMap<String, String>> {
        read_csv(&self.output())
    }

    /// [`Workspace::import`] with `--rate 60000 --summary-json <dir>/summary.json` and `extra`;
    /// the exit status and the summary.
    pub async fn import_summary(&self, api_url: &str, extra: &[&str]) -> (i32, serde_json::Value) {
        let summary = self.dir.path().join("summary.json");
        let mut args = vec!["--rate", "60000", "--summary-json", path(&summary)];
        args.extend_from_slice(extra);
        let code = self.import(api_url, &args).await;
        let text = std::fs::read_to_string(&summary).expect("summary");
        (code, serde_json::from_str(&text).expect("json"))
    }
}

/// A command line run in-process through the library's `run`, as `main` would run it; the
/// exit status.
pub async fn run_in_process(args: Vec<String>) -> i32 {
    let cli = Cli::try_parse_from(args).expect("valid command line");
    match ecwid_import::run(cli, None).await {
        Ok(status) => status.code(),
        Err(e) => e.exit_status().code(),
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// A CSV file as one map per row, header -> cell.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("results file exists");
    let headers = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The values of one column, in row order.
pub fn column(rows: &[HashMap<String, String>], name: &str) -> Vec<String> {
    rows.iter().map(|r| r[name].clone()).collect()
}

/// A CSV with the given emails, one per row, and a name column.
pub fn emails_csv<S: AsRef<str>>(emails: &[S]) -> String {
    let mut csv = String::from("email,name\n");
    for (i, email) in emails.iter().enumerate() {
        csv.push_str(&format!("{},Customer {i}\n", email.as_ref()));
    }
    csv
}

/// `n` distinct emails, `<prefix>0@example.com` on.
pub fn numbered(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}@example.com")).collect()
}
