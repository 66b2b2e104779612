//! `template`, `validate` and `import --dry-run`: the results and failed-rows files of a
//! check, exact and in input order, with nothing sent.

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

use super::{ALL_VALID, HEADER, MIXED, MIXED_FAILED, bin, mixed_results, read, write};

/// `template` prints exactly the canonical header line on stdout, and nothing on stderr.
#[test]
fn template_prints_the_canonical_header_line() {
    let expected = "email,password,customerGroupId,customerGroupName,b2b_b2c,taxId,taxIdValid,\
        taxExempt,fiscalCode,electronicInvoicePecEmail,electronicInvoiceSdiCode,acceptMarketing,\
        lang,privateAdminNotes,\
        billingPerson.name,billingPerson.companyName,billingPerson.street,billingPerson.city,\
        billingPerson.countryCode,billingPerson.countryName,billingPerson.postalCode,\
        billingPerson.stateOrProvinceCode,billingPerson.stateOrProvinceName,billingPerson.phone,\
        shippingAddresses.0.name,shippingAddresses.0.companyName,shippingAddresses.0.street,\
        shippingAddresses.0.city,shippingAddresses.0.countryCode,shippingAddresses.0.countryName,\
        shippingAddresses.0.postalCode,shippingAddresses.0.stateOrProvinceCode,\
        shippingAddresses.0.stateOrProvinceName,shippingAddresses.0.phone,\
        contacts.0.type,contacts.0.contact,contacts.0.handle,contacts.0.note,contacts.0.default,\
        contacts.0.orderBy,extrafields.loyalty_id\n";
    bin()
        .arg("template")
        .assert()
        .code(0)
        .stdout(expected)
        .stderr("");
}

/// A template header, used as an input, is accepted whole: every column maps to a field.
#[test]
fn template_header_is_a_valid_input_header() {
    let header = String::from_utf8(bin().arg("template").output().unwrap().stdout).unwrap();
    let dir = TempDir::new().unwrap();
    let columns = header.trim_end().split(',').count();
    let row = format!("ann@example.com{}", ",".repeat(columns - 1));
    let input = write(&dir, "t.csv", format!("{header}{row}\n"));
    bin()
        .args(["validate", "-q"])
        .arg(&input)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("not imported").not());
    assert_eq!(
        read(&dir.path().join("t.validation.csv")),
        format!("{HEADER}\n1,2,ann@example.com,valid,,,0,\n")
    );
}

/// `validate` exits 0 when every row is valid and lists each as `valid`, sending nothing.
#[test]
fn validate_exits_0_when_all_rows_are_valid() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", ALL_VALID);
    bin()
        .arg("validate")
        .arg(&input)
        .assert()
        .code(0)
        .stdout("");
    assert_eq!(
        read(&dir.path().join("customers.validation.csv")),
        format!("{HEADER}\n1,2,ann@example.com,valid,,,0,\n2,3,bob@example.com,valid,,,0,\n")
    );
    assert_eq!(
        read(&dir.path().join("customers.validation.failed.csv")),
        "email,name,shippingAddresses.0.countryCode,contacts.0.type,contacts.0.contact\n"
    );
}

/// `validate` exits 1 with invalid and duplicate rows; results are exact, in input order, with
/// physical line numbers that account for quoted line breaks.
#[test]
fn validate_reports_invalid_and_duplicate_rows_exactly() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", MIXED);
    bin()
        .arg("validate")
        .arg(&input)
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(
        read(&dir.path().join("customers.validation.csv")),
        mixed_results()
    );
}

/// The failed-rows file `<output stem>.failed.csv` holds the header and the invalid rows'
/// cells unchanged (duplicates and valid rows are left out).
#[test]
fn failed_rows_file_holds_the_header_and_invalid_rows_unchanged() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", MIXED);
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let output = dir.path().join("out/checked.csv");
    bin()
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .assert()
        .code(1);
    assert_eq!(read(&output), mixed_results());
    let failed = dir.path().join("out/checked.failed.csv");
    assert_eq!(read(&failed), MIXED_FAILED);
    assert!(
        !dir.path().join("customers.validation.csv").exists(),
        "--output replaces the default results path"
    );
}

/// `import --dry-run` writes the same results and failed rows and exits like `validate`,
/// with no store id and no token.
#[test]
fn import_dry_run_behaves_like_validate() {
    for input_text in [MIXED, ALL_VALID] {
        let dir = TempDir::new().unwrap();
        let input = write(&dir, "customers.csv", input_text);
        let validate = bin()
            .arg("validate")
            .arg(&input)
            .arg("-o")
            .arg(dir.path().join("v.csv"))
            .output()
            .unwrap();
        let dry_run = bin()
            .args(["import", "--dry-run"])
            .arg(&input)
            .arg("-o")
            .arg(dir.path().join("d.csv"))
            .output()
            .unwrap();
        assert_eq!(dry_run.status.code(), validate.status.code());
        assert!(matches!(validate.status.code(), Some(0 | 1)));
        assert_eq!(dry_run.stdout, validate.stdout);
        assert_eq!(
            read(&dir.path().join("d.csv")),
            read(&dir.path().join("v.csv"))
        );
        assert_eq!(
            read(&dir.path().join("d.failed.csv")),
            read(&dir.path().join("v.failed.csv"))
        );
    }
}

/// Ragged rows and a row too large to keep are invalid; the failed-rows file keeps the ragged
/// row's cells as they were and the run goes on.
#[test]
fn ragged_and_oversized_rows_are_invalid_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("dir");
    let input = dir.path().join("broken.csv");
    let mut text = b"email,name\nann@example.com,Ann,extra\nbig@example.com,\"".to_vec();
    text.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    text.extend(b"\"\nbob@example.com,Bob\n");
    std::fs::write(&input, text).expect("input");
    Command::cargo_bin("ecwid-import")
        .expect("binary")
        .args(["validate", "-q"])
        .arg(&input)
        .assert()
        .code(1);
    let results =
        std::fs::read_to_string(dir.path().join("broken.validation.csv")).expect("results");
    let statuses: Vec<&str> = results
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["invalid", "invalid", "valid"], "{results}");
    assert!(
        results.contains("3 cells but the header has 2"),
        "{results}"
    );
    assert!(results.contains("larger than 1024 KiB"), "{results}");
    let failed =
        std::fs::read_to_string(dir.path().join("broken.validation.failed.csv")).expect("failed");
    assert_eq!(failed, "email,name\nann@example.com,Ann,extra\n");
}

/// `validate` says once that group names cannot be checked offline, and keeps the rows valid.
#[test]
fn validate_says_group_names_are_not_checked_offline() {
    let dir = tempfile::tempdir().expect("dir");
    let input = dir.path().join("groups.csv");
    std::fs::write(
        &input,
        "email,customerGroupName\na@example.com,VIP\nb@example.com,Gold\n",
    )
    .expect("input");
    let assert = Command::cargo_bin("ecwid-import")
        .expect("binary")
        .arg("validate")
        .arg(&input)
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(
        stderr.matches("cannot be checked offline").count(),
        1,
        "{stderr}"
    );
}

/// A value in a message is shown as the file holds it, in any script: the combining marks of
/// Devanagari or Thai are not written as `\u{...}` escapes; a quote in it is escaped.
#[test]
fn messages_show_values_in_every_script_as_they_are() {
    let dir = TempDir::new().unwrap();
    let input = write(
        &dir,
        "customers.csv",
        "email,name\nगुप्ता,Aarav\n\"สมชาย \"\"x\"\"\",Somchai\n",
    );
    bin().arg("validate").arg(&input).assert().code(1);
    let results = read(&dir.path().join("customers.validation.csv"));
    assert!(results.contains("email \"\"गुप्ता\"\":"), "{results}");
    assert!(results.contains(r#"email ""สมชาย \""x\"""":"#), "{results}");
    assert!(!results.contains("\\u{"), "{results}");
}
