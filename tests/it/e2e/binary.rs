//! The real binaries: `import` against an `ecwid-import sandbox` process, and `import --sandbox`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use super::*;
use crate::support::{Workspace, column, emails_csv, numbered, read_csv};

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

    let emails = numbered("process", 5);
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
