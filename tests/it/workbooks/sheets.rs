//! Which sheet is read (`--sheet`, by name or number), and the options that mean nothing for a
//! workbook.

use std::path::Path;

use super::*;
use crate::e2e::{start, store_args};
use crate::support::{Workspace, column};

/// `--sheet` chooses the second sheet by its name (any case) or its number.
#[tokio::test]
async fn sheet_chooses_by_name_or_number() {
    for (extension, write) in [
        ("xlsx", write_xlsx as fn(&Path)),
        ("ods", copy_ods),
        ("xls", copy_xls),
    ] {
        for sheet in ["second", "2"] {
            let store = start(store_args()).await;
            let ws = workspace(extension, write);
            let code = ws.import(&store.api_url(), &["--sheet", sheet]).await;
            assert_eq!(code, 0, "{extension} --sheet {sheet}");
            let results = ws.results();
            assert_eq!(column(&results, "email"), ["cy@example.com"]);
            assert_eq!(column(&results, "line"), ["2"]);
            assert_eq!(store.customers().len(), 1);
        }
    }
}

/// A sheet the workbook does not have: exit 2, and the sheets are listed.
#[tokio::test]
async fn a_wrong_sheet_lists_the_sheets() {
    let ws = workspace("xlsx", write_xlsx);
    let input = ws.input.to_str().unwrap();
    for sheet in ["Orders", "3"] {
        let (message, code) = failure(&["ecwid-import", "validate", input, "--sheet", sheet]).await;
        assert_eq!(code, 2, "{message}");
        assert!(
            message.contains(r#"its sheets are 1 "Customers", 2 "Second""#),
            "{message}"
        );
    }
}

/// `--sheet` on a CSV file is refused: it would be silently meaningless.
#[tokio::test]
async fn sheet_on_a_csv_is_refused() {
    let ws = Workspace::new("email\nann@example.com\n");
    let input = ws.input.to_str().unwrap();
    let (message, code) = failure(&["ecwid-import", "validate", input, "--sheet", "1"]).await;
    assert_eq!(code, 2);
    assert!(message.contains("workbooks only"), "{message}");
}

/// `--delimiter` and `--encoding` do not apply to a workbook: the run says so and goes on; the
/// log names the sheet read.
#[test]
fn csv_options_on_a_workbook_are_ignored_with_a_warning() {
    let ws = workspace("ods", copy_ods);
    let output = assert_cmd::Command::cargo_bin("ecwid-import")
        .expect("the binary is built")
        .env_remove("RUST_LOG")
        .args(["validate", ws.input.to_str().unwrap()])
        .args(["--delimiter", ";", "--encoding", "latin1"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--delimiter and --encoding apply to CSV only: ignored for a workbook"),
        "{stderr}"
    );
    assert!(
        stderr.contains(r#"reading the sheet "Customers""#),
        "{stderr}"
    );
}
