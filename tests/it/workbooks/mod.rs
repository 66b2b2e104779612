//! Workbooks as input: an `.xlsx` made here and the checked-in `.ods`, imported into the
//! sandbox with their cells as a person sees them (zip codes with leading zeros, 15-digit phones,
//! dates, formulas' cached values, booleans), blank rows skipped, `--sheet`, and the
//! failed-rows file as CSV with the sheet's header.

mod cells;
mod commands;
mod limits;
mod sheets;

use std::path::{Path, PathBuf};

use clap::Parser;
use ecwid_import::cli::Cli;
use ecwid_import::sandbox::Sandbox;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::Value;

use crate::support::{Workspace, column, read_csv};

pub(super) const FAST: [&str; 2] = ["--rate", "60000"];
pub(super) const HEADER: [&str; 6] = [
    "email",
    "name",
    "billingPerson.postalCode",
    "billingPerson.phone",
    "privateAdminNotes",
    "acceptMarketing",
];

/// A workspace whose input is `customers.<extension>`, written by `write`.
pub(super) fn workspace(extension: &str, write: impl FnOnce(&Path)) -> Workspace {
    let mut ws = Workspace::new("");
    std::fs::remove_file(&ws.input).expect("remove the CSV");
    ws.input = ws.dir.path().join(format!("customers.{extension}"));
    write(&ws.input);
    ws
}

/// Sheet "Customers": a text zip with a leading zero, a zip as a number formatted `00000`,
/// 15-digit phones as numbers, a date, a date-time, a formula, booleans, a blank row and an
/// invalid email; sheet "Second": one more customer.
pub(super) fn write_xlsx(path: &Path) {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let zip = Format::new().set_num_format("00000");
    let sheet = book.add_worksheet();
    sheet.set_name("Customers").unwrap();
    for (col, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "ann@example.com").unwrap();
    let name = Formula::new(r#"="Ann"&" Lee""#).set_result("Ann Lee");
    sheet.write_formula(1, 1, name).unwrap();
    sheet.write_string(1, 2, "01067").unwrap();
    sheet.write_number(1, 3, 491_701_234_567_890.0).unwrap();
    let day = ExcelDateTime::from_ymd(2024, 3, 5).unwrap();
    sheet.write_datetime_with_format(1, 4, &day, &date).unwrap();
    sheet.write_boolean(1, 5, true).unwrap();
    // Row 3 of the sheet is blank.
    sheet.write_string(3, 0, "bob@example.com").unwrap();
    sheet.write_string(3, 1, "Bob Stone").unwrap();
    sheet.write_number_with_format(3, 2, 2134.0, &zip).unwrap();
    sheet.write_number(3, 3, 15_551_234_567.0).unwrap();
    let when = day.clone().and_hms(10, 30, 0).unwrap();
    sheet
        .write_datetime_with_format(3, 4, &when, &date_time)
        .unwrap();
    sheet.write_boolean(3, 5, false).unwrap();
    sheet.write_string(4, 0, "not-an-email").unwrap();
    sheet.write_string(4, 1, "Nobody").unwrap();
    sheet.write_string(4, 2, "00501").unwrap();
    let second = book.add_worksheet();
    second.set_name("Second").unwrap();
    for (col, name) in HEADER.iter().enumerate() {
        second.write_string(0, col as u16, *name).unwrap();
    }
    second.write_string(1, 0, "cy@example.com").unwrap();
    second.write_string(1, 1, "Cy Young").unwrap();
    book.save(path).unwrap();
}

/// A checked-in workbook of `tests/data/workbooks/` (written by
/// `python3 scripts/workbooks.py test-data`): the cells of [`write_xlsx`], but the booleans.
pub(super) fn checked_in(extension: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/data/workbooks/customers.{extension}"))
}

pub(super) fn copy_ods(path: &Path) {
    std::fs::copy(checked_in("ods"), path).expect("copy the .ods");
}

pub(super) fn copy_xls(path: &Path) {
    std::fs::copy(checked_in("xls"), path).expect("copy the .xls");
}

/// What the store holds for `email`, as JSON.
pub(super) fn stored(store: &Sandbox, email: &str) -> Value {
    let customer = store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some(email))
        .unwrap_or_else(|| panic!("{email} is stored"));
    serde_json::to_value(&customer.customer).expect("serializes")
}

/// `field` of a stored customer's JSON.
pub(super) fn field<'a>(customer: &'a Value, pointer: &str) -> &'a Value {
    customer.pointer(pointer).unwrap_or(&Value::Null)
}

/// The results' (row, line, status): lines are the sheet's row numbers, blank rows counted.
pub(super) fn rows_lines_statuses(ws: &Workspace) -> Vec<(String, String, String)> {
    let results = ws.results();
    let rows = column(&results, "row");
    let lines = column(&results, "line");
    let statuses = column(&results, "status");
    rows.into_iter()
        .zip(lines)
        .zip(statuses)
        .map(|((r, l), s)| (r, l, s))
        .collect()
}

pub(super) fn expected_rows() -> Vec<(String, String, String)> {
    [
        ("1", "2", "created"),
        ("2", "4", "created"),
        ("3", "5", "invalid"),
    ]
    .iter()
    .map(|(r, l, s)| (r.to_string(), l.to_string(), s.to_string()))
    .collect()
}

/// The failed-rows file is comma-separated CSV with the sheet's header and the invalid row.
pub(super) fn assert_failed_rows_file(ws: &Workspace, header: &[&str]) {
    let text = std::fs::read_to_string(ws.failed_output()).expect("failed-rows file");
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(first, header.join(","));
    let failed = read_csv(&ws.failed_output());
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["email"], "not-an-email");
    assert_eq!(failed[0]["billingPerson.postalCode"], "00501");
}

/// The message and exit status of a command line run in-process.
pub(super) async fn failure(args: &[&str]) -> (String, i32) {
    let cli = Cli::try_parse_from(args).expect("valid command line");
    match ecwid_import::run(cli, None).await {
        Ok(status) => (String::new(), status.code()),
        Err(e) => (e.to_string(), e.exit_status().code()),
    }
}

/// An .ods file (a ZIP archive of XML) with `content` as its `content.xml`.
pub(super) fn write_ods(path: &Path, content: &str) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path).expect("create the .ods");
    let mut zip = zip::ZipWriter::new(file);
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts = [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
        ("content.xml", content),
    ];
    for (name, text) in parts {
        zip.start_file(name, stored).expect("a part");
        zip.write_all(text.as_bytes()).expect("written");
    }
    zip.finish().expect("the archive is complete");
}
