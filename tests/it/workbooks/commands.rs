//! `validate`, `plan` and `template --mapping --from` read a workbook as `import` does.

use std::path::Path;

use rust_xlsxwriter::Workbook;

use super::*;
use crate::e2e::{start, store_args};
use crate::support::{column, read_csv};

/// `validate` checks a workbook offline, the results numbered by the sheet's rows.
#[tokio::test]
async fn validate_checks_a_workbook() {
    for (extension, write) in [
        ("xlsx", write_xlsx as fn(&Path)),
        ("ods", copy_ods),
        ("xls", copy_xls),
    ] {
        let ws = workspace(extension, write);
        let input = ws.input.to_str().unwrap();
        let (message, code) = failure(&["ecwid-import", "validate", input, "-q"]).await;
        assert_eq!(code, 1, "{message}");
        let results = read_csv(&ws.dir.path().join("customers.validation.csv"));
        let statuses = column(&results, "status");
        assert_eq!(statuses, ["valid", "valid", "invalid"], "{extension}");
        assert_eq!(column(&results, "line"), ["2", "4", "5"]);
    }
}

/// `plan` reads a workbook's chosen sheet as `import` would, and writes nothing to the store.
#[tokio::test]
async fn plan_reads_a_workbook_sheet() {
    let store = start(store_args()).await;
    let ws = workspace("xlsx", write_xlsx);
    let api_url = store.api_url();
    let args = [
        "ecwid-import",
        "plan",
        ws.input.to_str().unwrap(),
        "--store-id",
        "1003",
        "--api-url",
        &api_url,
        "--token-file",
        ws.token_file.to_str().unwrap(),
        "-q",
        "--sheet",
        "Second",
    ];
    let (message, code) = failure(&args).await;
    assert_eq!(code, 0, "{message}");
    let results = read_csv(&ws.dir.path().join("customers.plan.csv"));
    assert_eq!(column(&results, "email"), ["cy@example.com"]);
    assert_eq!(column(&results, "status"), ["would_create"]);
    assert!(store.customers().is_empty());
}

/// `template --mapping --from` reads a workbook's sheet as import would: the starter mapping of
/// the sheet `--sheet` names, its columns matched by meaning.
#[test]
fn template_from_a_workbook_maps_the_sheet_chosen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kunden.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Notizen").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Kunden").unwrap();
    for (col, name) in ["Vorname", "Nachname", "E-Mail", "PLZ", "Ort"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    book.save(&path).unwrap();
    let output = assert_cmd::Command::cargo_bin("ecwid-import")
        .unwrap()
        .args(["template", "--mapping", "--from"])
        .arg(&path)
        .args(["--sheet", "kunden"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).expect("utf-8");
    for line in [
        "\"email\" = \"E-Mail\"",
        "\"billingPerson.postalCode\" = \"PLZ\"",
        "\"billingPerson.city\" = \"Ort\"",
    ] {
        assert!(printed.contains(line), "{line} in {printed}");
    }
    // Without --sheet the first sheet, "Notizen", is read: it is blank, so there is no header
    // to map, and the message says which sheet was read and how to choose another.
    assert_cmd::Command::cargo_bin("ecwid-import")
        .unwrap()
        .args(["template", "--mapping", "--from"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            r#"the sheet "Notizen" is blank: it needs a header row naming the columns (choose another sheet with --sheet NAME or --sheet N)"#,
        ));
}
