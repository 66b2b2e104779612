//! Workbooks refused before they are read short: an error value in the header, repeated rows
//! past the budget or past the last row a sheet holds.

use std::path::Path;

use rust_xlsxwriter::{Formula, Workbook};

use super::*;

/// An error value in the header row is no column's name: the sheet is refused (exit 2),
/// naming the cell.
#[tokio::test]
async fn an_error_value_in_the_header_is_refused() {
    let ws = workspace("xlsx", |path| {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "email").unwrap();
        let broken = Formula::new("=#REF!").set_result("#REF!");
        sheet.write_formula(0, 1, broken).unwrap();
        sheet.write_string(1, 0, "ann@example.com").unwrap();
        book.save(path).unwrap();
    });
    let input = ws.input.to_str().unwrap();
    let (message, code) = failure(&["ecwid-import", "validate", input, "-q"]).await;
    assert_eq!(code, 2, "{message}");
    assert!(
        message.contains("cell B1 of the header row holds the error #REF!"),
        "{message}"
    );
}

/// An .ods file whose sheet "Customers" has a header of `columns` cells and one row of as many
/// filled cells, repeated three million times.
fn write_repeated_rows(path: &Path, columns: usize) {
    let cell = r#"<table:table-cell office:value-type="string"><text:p>x@example.com</text:p></table:table-cell>"#;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Customers"><table:table-row>{header}</table:table-row><table:table-row table:number-rows-repeated="3000000">{cells}</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
        header = cell.replace("x@example.com", "email").repeat(columns),
        cells = cell.repeat(columns),
    );
    write_ods(path, &content);
}

/// An .ods file of a few hundred bytes whose one filled row of five cells repeats three
/// million times is refused before it is loaded (exit 2), its repeats counted in the estimate.
#[tokio::test]
async fn an_ods_of_repeated_rows_is_refused_by_its_cells() {
    let ws = workspace("ods", |path| write_repeated_rows(path, 5));
    let input = ws.input.to_str().unwrap();
    let (message, code) = failure(&["ecwid-import", "validate", input, "-q"]).await;
    assert_eq!(code, 2, "{message}");
    assert!(
        message.contains("this .ods workbook would take about")
            && message.contains("for its 5242880 cells, repeated rows and cells counted")
            && message.contains("more than the 512 MiB allowed"),
        "{message}"
    );
}

/// One filled cell repeated three million rows down fits the budget, but the rows past
/// 1,048,576 would be left out by the workbook library: the sheet is refused (exit 2) rather
/// than imported short.
#[tokio::test]
async fn an_ods_with_values_past_the_last_row_is_refused() {
    let ws = workspace("ods", |path| write_repeated_rows(path, 1));
    let input = ws.input.to_str().unwrap();
    let (message, code) = failure(&["ecwid-import", "validate", input, "-q"]).await;
    assert_eq!(code, 2, "{message}");
    assert!(
        message.contains(r#"the sheet "Customers" has values past row 1,048,576 or column 16,384"#),
        "{message}"
    );
}
