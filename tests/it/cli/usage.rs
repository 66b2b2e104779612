//! Usage errors: exit 2, the hint on stderr, nothing on stdout and no results file, for
//! missing or unreadable input, headers that cannot map, and command lines that cannot run.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

use super::{ALL_VALID, CANARY, bin, read, write};

/// Asserts a usage error: exit 2, nothing on stdout, `hint` on stderr, no results file.
fn assert_usage_error(cmd: &mut Command, hint: &str, results: &Path) {
    cmd.assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(hint));
    assert!(!results.exists(), "no results file after a usage error");
}

/// A missing input file is a usage error naming the file.
#[test]
fn missing_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("nope.csv");
    assert_usage_error(
        bin().arg("validate").arg(&input),
        "nope.csv",
        &dir.path().join("nope.validation.csv"),
    );
}

/// An empty input file is a usage error saying the header row is missing.
#[test]
fn empty_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "empty.csv", "");
    assert_usage_error(
        bin().arg("validate").arg(&input),
        "empty",
        &dir.path().join("empty.validation.csv"),
    );
}

/// Files that are not CSV at all are refused with what to do: a byte order mark alone, a
/// folder, an Excel workbook (new and old format), a web page.
#[test]
fn files_that_are_not_csv_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("export.csv");
    std::fs::create_dir(&folder).unwrap();
    let cases: [(PathBuf, &str); 5] = [
        (write(&dir, "bom.csv", b"\xEF\xBB\xBF"), "no header row"),
        (folder, "folder"),
        (
            write(&dir, "book.csv", b"PK\x03\x04\x14\x00\x06\x00"),
            "Save As",
        ),
        (
            write(
                &dir,
                "old.csv",
                [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            ),
            "Excel workbook",
        ),
        (
            write(
                &dir,
                "page.csv",
                "\n<!DOCTYPE html>\n<html><body>Sign in</body></html>\n",
            ),
            "web page",
        ),
    ];
    for (input, hint) in cases {
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let results = dir.path().join(format!("{stem}.validation.csv"));
        assert_usage_error(bin().arg("validate").arg(&input), hint, &results);
    }
}

/// A header without an email column is a usage error that lists the header and the fix.
#[test]
fn no_email_column_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "c.csv", "Contact Info,name\nann@example.com,Ann\n");
    assert_usage_error(
        bin().arg("validate").arg(&input),
        "no column holds the email",
        &dir.path().join("c.validation.csv"),
    );
    bin().arg("validate").arg(&input).assert().stderr(
        predicate::str::contains("\"Contact Info\"").and(predicate::str::contains("template")),
    );
}

/// Two columns that fill the same field are a usage error naming both and the field.
#[test]
fn two_columns_for_one_field_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(
        &dir,
        "c.csv",
        "email,name,billingPerson.Name\nann@example.com,Ann,Ann\n",
    );
    assert_usage_error(
        bin().arg("validate").arg(&input),
        "billingPerson.name",
        &dir.path().join("c.validation.csv"),
    );
    bin().arg("validate").arg(&input).assert().stderr(
        predicate::str::contains("\"name\"")
            .and(predicate::str::contains("\"billingPerson.Name\"")),
    );
}

/// `import` without a store id is a usage error pointing at --store-id.
#[test]
fn import_without_store_id_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "c.csv", ALL_VALID);
    assert_usage_error(
        bin().arg("import").arg(&input).env("ECWID_TOKEN", CANARY),
        "--store-id",
        &dir.path().join("c.results.csv"),
    );
}

/// `import` without a token is a usage error pointing at ECWID_TOKEN and --token-file.
#[test]
fn import_without_token_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "c.csv", ALL_VALID);
    assert_usage_error(
        bin().arg("import").arg(&input).args(["--store-id", "1003"]),
        "ECWID_TOKEN",
        &dir.path().join("c.results.csv"),
    );
    let empty_token_file = write(&dir, "token", "\n");
    assert_usage_error(
        bin()
            .arg("import")
            .arg(&input)
            .args(["--store-id", "1003", "--token-file"])
            .arg(&empty_token_file),
        "empty",
        &dir.path().join("c.results.csv"),
    );
}

/// Command lines that cannot run: exit 2 with the hint on stderr, nothing on stdout and no
/// results file, whether clap refuses them or the checks after it do.
#[test]
fn invalid_command_lines_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "c.csv", ALL_VALID);
    let bad_mapping = write(&dir, "bad.toml", "email = [");
    let missing = dir.path().join("missing");
    let [input, bad_mapping, missing] =
        [&input, &bad_mapping, &missing].map(|p| p.to_str().unwrap().to_string());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![], "Usage: ecwid-import"),
        (vec!["frobnicate"], "unrecognized subcommand"),
        (vec!["validate"], "required arguments"),
        (
            vec!["validate", &input, "--delimiter", "x"],
            "use one of , ; tab |",
        ),
        (
            vec!["validate", &input, "--encoding", "klingon"],
            "windows-1252",
        ),
        (
            vec!["validate", &input, "--preset", "excel"],
            "possible values",
        ),
        (
            vec!["validate", &input, "--mapping", &missing],
            "cannot read the mapping file",
        ),
        (
            vec!["validate", &input, "--mapping", &bad_mapping],
            "is not valid TOML",
        ),
        // The token is never a flag's value: it would show in the shell's history.
        (
            vec!["import", &input, "--token", CANARY],
            "unexpected argument '--token'",
        ),
        (
            vec!["import", &input, "--store-id", "abc"],
            "invalid value 'abc'",
        ),
        (vec!["import", &input, "--rate", "0"], "--rate"),
        (
            vec!["import", &input, "--concurrency", "0"],
            "--concurrency",
        ),
        (vec!["import", &input, "--timeout", "0"], "above 0"),
        (
            vec!["import", &input, "--on-existing", "merge"],
            "possible values",
        ),
        (vec!["import", &input, "--batch-size", "10"], "--batch"),
        (
            vec![
                "import",
                &input,
                "--store-id",
                "1003",
                "--token-file",
                &missing,
            ],
            "cannot read the token file",
        ),
    ];
    for (args, hint) in cases {
        let results = match args.first() {
            Some(&"validate") => "c.validation.csv",
            _ => "c.results.csv",
        };
        assert_usage_error(bin().args(&args), hint, &dir.path().join(results));
    }
}

/// --output naming the input (however spelled) is a usage error, and the input is untouched.
#[test]
fn output_equal_to_input_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let input = write(&dir, "c.csv", ALL_VALID);
    for output in [input.clone(), dir.path().join("sub/../c.csv")] {
        bin()
            .arg("validate")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("overwrite the input"));
        assert_eq!(read(&input), ALL_VALID, "the input is untouched");
    }
}
