//! A workbook's cells as a person sees them: an .xlsx made here, the checked-in .ods and .xls,
//! error values, stray cells outside the header, durations.

use std::path::Path;

use rust_xlsxwriter::{Format, Formula, Workbook};
use serde_json::json;

use super::*;
use crate::e2e::{start, store_args};
use crate::support::{column, read_csv};

/// An .xlsx imports with every cell as the spreadsheet shows it.
#[tokio::test]
async fn an_xlsx_imports_with_its_cells_as_shown() {
    let store = start(store_args()).await;
    let ws = workspace("xlsx", write_xlsx);
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 1);
    assert_eq!(rows_lines_statuses(&ws), expected_rows());

    let ann = stored(&store, "ann@example.com");
    assert_eq!(
        field(&ann, "/billingPerson"),
        &json!({"name": "Ann Lee", "postalCode": "01067", "phone": "491701234567890"})
    );
    assert_eq!(field(&ann, "/privateAdminNotes"), "2024-03-05");
    assert_eq!(field(&ann, "/acceptMarketing"), true);
    let bob = stored(&store, "bob@example.com");
    assert_eq!(
        field(&bob, "/billingPerson"),
        &json!({"name": "Bob Stone", "postalCode": "02134", "phone": "15551234567"})
    );
    assert_eq!(field(&bob, "/privateAdminNotes"), "2024-03-05T10:30:00");
    assert_eq!(field(&bob, "/acceptMarketing"), false);
    assert_eq!(store.customers().len(), 2);
    assert_failed_rows_file(&ws, &HEADER);
}

/// The checked-in .ods (whose dates are ISO dates already) and .xls (an old Excel file, loaded
/// whole) import alike.
#[tokio::test]
async fn an_ods_and_an_xls_import_with_their_cells_as_shown() {
    for (extension, write) in [("ods", copy_ods as fn(&Path)), ("xls", copy_xls)] {
        import_checked_in(extension, write).await;
    }
}

async fn import_checked_in(extension: &str, write: fn(&Path)) {
    let store = start(store_args()).await;
    let ws = workspace(extension, write);
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 1, "{extension}");
    assert_eq!(rows_lines_statuses(&ws), expected_rows());
    let ann = stored(&store, "ann@example.com");
    assert_eq!(
        field(&ann, "/billingPerson"),
        &json!({"name": "Ann Lee", "postalCode": "01067", "phone": "491701234567890"})
    );
    assert_eq!(field(&ann, "/privateAdminNotes"), "2024-03-05");
    let bob = stored(&store, "bob@example.com");
    assert_eq!(field(&bob, "/billingPerson/postalCode"), "02134");
    assert_eq!(field(&bob, "/billingPerson/phone"), "15551234567");
    assert_eq!(field(&bob, "/privateAdminNotes"), "2024-03-05T10:30:00");
    assert_failed_rows_file(&ws, &HEADER[..5]);
}

/// A formula that failed (`#N/A`) makes its row invalid, and so does a value under no header;
/// the failed-rows file keeps the error's text, and a record as wide as the header.
#[tokio::test]
async fn error_values_and_cells_without_a_header_make_the_row_invalid() {
    let ws = workspace("xlsx", |path| {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (col, name) in ["email", "name", "billingPerson.phone"].iter().enumerate() {
            sheet.write_string(0, col as u16, *name).unwrap();
        }
        sheet.write_string(1, 0, "ann@example.com").unwrap();
        sheet.write_string(1, 1, "Ann").unwrap();
        let lookup = Formula::new("=VLOOKUP(A2,Z:Z,2,FALSE)").set_result("#N/A");
        sheet.write_formula(1, 2, lookup).unwrap();
        sheet.write_string(2, 0, "bob@example.com").unwrap();
        sheet.write_string(2, 4, "stray").unwrap();
        sheet.write_string(3, 0, "cy@example.com").unwrap();
        book.save(path).unwrap();
    });
    let input = ws.input.to_str().unwrap();
    let (message, code) = failure(&["ecwid-import", "validate", input, "-q"]).await;
    assert_eq!(code, 1, "{message}");
    let results = read_csv(&ws.dir.path().join("customers.validation.csv"));
    assert_eq!(column(&results, "status"), ["invalid", "invalid", "valid"]);
    assert!(
        results[0]["error"].contains("cell C2 holds the error #N/A"),
        "{results:?}"
    );
    assert!(
        results[1]["error"].contains(
            r#"the row has a value in E3 ("stray"), outside the header's columns A to C: clear it or give its column a header"#
        ),
        "{results:?}"
    );
    // The stray value is in the reason, not in the record: its column has no name to go under.
    let failed = std::fs::read_to_string(ws.dir.path().join("customers.validation.failed.csv"));
    let failed = failed.expect("failed-rows file");
    let lines: Vec<&str> = failed.lines().collect();
    assert_eq!(
        lines,
        [
            "email,name,billingPerson.phone",
            "ann@example.com,Ann,#N/A",
            "bob@example.com,,"
        ]
    );
}

/// A value left of the header's first column, or far right of its last, leaves the row's
/// fields under their own names: the email is the email, and the failed-rows record has the
/// header's fields, no more.
#[tokio::test]
async fn stray_cells_outside_the_header_shift_nothing() {
    let store = start(store_args()).await;
    let ws = workspace("xlsx", |path| {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        // The header in B1:C1.
        sheet.write_string(0, 1, "email").unwrap();
        sheet.write_string(0, 2, "name").unwrap();
        sheet.write_string(1, 0, "stray").unwrap();
        sheet.write_string(1, 1, "ann@example.com").unwrap();
        sheet.write_string(1, 2, "Ann").unwrap();
        sheet.write_string(2, 1, "bob@example.com").unwrap();
        sheet.write_string(2, 2, "Bob").unwrap();
        sheet.write_string(3, 1, "cy@example.com").unwrap();
        sheet.write_string(3, 16_383, "far").unwrap();
        book.save(path).unwrap();
    });
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 1);
    let results = ws.results();
    assert_eq!(
        column(&results, "email"),
        ["ann@example.com", "bob@example.com", "cy@example.com"]
    );
    assert_eq!(
        column(&results, "status"),
        ["invalid", "created", "invalid"]
    );
    assert!(
        results[0]["error"].contains(
            r#"the row has a value in A2 ("stray"), outside the header's columns B to C: clear it or give its column a header"#
        ),
        "{results:?}"
    );
    assert!(
        results[2]["error"].contains(r#"XFD4 ("far")"#),
        "{results:?}"
    );
    let failed = std::fs::read_to_string(ws.failed_output()).expect("failed-rows file");
    let lines: Vec<&str> = failed.lines().collect();
    assert_eq!(
        lines,
        ["email,name", "ann@example.com,Ann", "cy@example.com,"]
    );
    assert_eq!(store.customers().len(), 1);
}

/// Durations read as hours, minutes and seconds; one too long to count in seconds (a number
/// such as -1e300 formatted `[h]:mm:ss`) reads as its number, and the rows after it are read.
#[tokio::test]
async fn a_huge_duration_reads_as_its_number() {
    let store = start(store_args()).await;
    let ws = workspace("xlsx", |path| {
        let mut book = Workbook::new();
        let hours = Format::new().set_num_format("[h]:mm:ss");
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "email").unwrap();
        sheet.write_string(0, 1, "privateAdminNotes").unwrap();
        sheet.write_string(1, 0, "ann@example.com").unwrap();
        sheet
            .write_number_with_format(1, 1, -1e300, &hours)
            .unwrap();
        sheet.write_string(2, 0, "bob@example.com").unwrap();
        sheet.write_number_with_format(2, 1, 1.5, &hours).unwrap();
        book.save(path).unwrap();
    });
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    let results = ws.results();
    assert_eq!(column(&results, "status"), ["created", "created"]);
    let ann = stored(&store, "ann@example.com");
    assert_eq!(
        field(&ann, "/privateAdminNotes"),
        &format!("{}", -1e300_f64)
    );
    let bob = stored(&store, "bob@example.com");
    assert_eq!(field(&bob, "/privateAdminNotes"), "36:00:00");
}
