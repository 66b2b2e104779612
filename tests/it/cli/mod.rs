//! The real `ecwid-import` binary, run as a user or a cron job would run it: commands, the
//! results and failed-rows files, exit statuses, input encodings and delimiters, usage errors,
//! the summary JSON and the secrecy of the token. Nothing leaves 127.0.0.1.

mod encodings;
mod secrecy;
mod usage;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ecwid_import::customer::rules::{RULE_COUNTRY, RULE_EMAIL, RULE_EMAIL_REQUIRED};
use tempfile::TempDir;

const HEADER: &str = "row,line,email,status,customer_id,http_status,attempts,error";
const CANARY: &str = "secret_canary_123";

/// The binary with none of the user's ECWID_* settings or log filter leaking in.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("ecwid-import").expect("the binary is built");
    for var in ["ECWID_TOKEN", "ECWID_STORE_ID", "ECWID_API_URL", "RUST_LOG"] {
        cmd.env_remove(var);
    }
    cmd
}

fn write(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("test file written");
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A CSV field as the results writer spells it: quoted when it holds `,` `"` or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The results file's records (header included), parsed.
fn records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("results file opens");
    reader
        .records()
        .map(|r| {
            r.expect("results record")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect()
}

/// Status counts of a results file.
fn status_counts(path: &Path) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for record in records(path).iter().skip(1) {
        *counts.entry(record[3].clone()).or_default() += 1;
    }
    counts
}

/// An input with a valid row, a multi-line quoted cell, an invalid email, a case-insensitive
/// duplicate, an unassigned country with a CRLF cell, a blank email, and another valid row.
const MIXED: &str = "email,name,billingPerson.countryCode,privateAdminNotes\n\
    ann@example.com,Ann,de,\"first line\nsecond line\"\n\
    bob@example,\"Bob \"\"B\"\", Jr.\",US,\n\
    ANN@Example.com,Ann again,DE,\n\
    carol@example.com,Carol,UK,\"a\r\nb\"\r\n\
    ,Nobody,,\n\
    dave@example.com,Dave,us,\n";

/// The results file `validate` writes for [`MIXED`].
fn mixed_results() -> String {
    let bad_email = format!("email \"bob@example\": {RULE_EMAIL}");
    let bad_country = format!("billingPerson.countryCode \"UK\": {RULE_COUNTRY}");
    let no_email = format!("email \"\": {RULE_EMAIL_REQUIRED}");
    [
        HEADER.to_string(),
        "1,2,ann@example.com,valid,,,0,".to_string(),
        format!("2,4,bob@example,invalid,,,0,{}", field(&bad_email)),
        "3,5,ANN@Example.com,duplicate,,,0,same email as row 1 (emails are compared ignoring case)"
            .to_string(),
        format!("4,6,carol@example.com,invalid,,,0,{}", field(&bad_country)),
        format!("5,8,,invalid,,,0,{}", field(&no_email)),
        "6,9,dave@example.com,valid,,,0,".to_string(),
    ]
    .map(|line| line + "\n")
    .concat()
}

/// The failed-rows file for [`MIXED`]: the input's header and the invalid rows' cells.
const MIXED_FAILED: &str = "email,name,billingPerson.countryCode,privateAdminNotes\n\
    bob@example,\"Bob \"\"B\"\", Jr.\",US,\n\
    carol@example.com,Carol,UK,\"a\r\nb\"\n\
    ,Nobody,,\n";

const ALL_VALID: &str = "email,name,shippingAddresses.0.countryCode,contacts.0.type,contacts.0.contact\n\
    ann@example.com,Ann,de,email,ann@work.example.com\n\
    bob@example.com,Bob,US,PHONE,+1 555 0100\n";
