//! Workbooks as input: an `.xlsx` made here and the checked-in `.ods`, imported into the
//! sandbox with their cells as a person sees them (zip codes with leading zeros, 15-digit phones,
//! dates, formulas' cached values, booleans), blank rows skipped, `--sheet`, and the
//! failed-rows file as CSV with the sheet's header.

use std::path::{Path, PathBuf};

use clap::Parser;
use ecwid_import::cli::Cli;
use ecwid_import::sandbox::Sandbox;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column, read_csv};

const FAST: [&str; 2] = ["--rate", "60000"];
const HEADER: [&str; 6] = [
    "email",
    "name",
    "billingPerson.postalCode",
    "billingPerson.phone",
    "privateAdminNotes",
    "acceptMarketing",
];

/// A workspace whose input is `customers.<extension>`, written by `write`.
fn workspace(extension: &str, write: impl FnOnce(&Path)) -> Workspace {
    let mut ws = Workspace::new("");
    std::fs::remove_file(&ws.input).expect("remove the CSV");
    ws.input = ws.dir.path().join(format!("customers.{extension}"));
    write(&ws.input);
    ws
}

/// Sheet "Customers": a text zip with a leading zero, a zip as a number formatted `00000`,
/// 15-digit phones as numbers, a date, a date-time, a formula, booleans, a blank row and an
/// invalid email; sheet "Second": one more customer.
fn write_xlsx(path: &Path) {
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
fn checked_in(extension: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/data/workbooks/customers.{extension}"))
}

fn copy_ods(path: &Path) {
    std::fs::copy(checked_in("ods"), path).expect("copy the .ods");
}

fn copy_xls(path: &Path) {
    std::fs::copy(checked_in("xls"), path).expect("copy the .xls");
}

/// What the store holds for `email`, as JSON.
fn stored(store: &Sandbox, email: &str) -> Value {
    let customer = store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some(email))
        .unwrap_or_else(|| panic!("{email} is stored"));
    serde_json::to_value(&customer.customer).expect("serializes")
}

/// `field` of a stored customer's JSON.
fn field<'a>(customer: &'a Value, pointer: &str) -> &'a Value {
    customer.pointer(pointer).unwrap_or(&Value::Null)
}

/// The results' (row, line, status): lines are the sheet's row numbers, blank rows counted.
fn rows_lines_statuses(ws: &Workspace) -> Vec<(String, String, String)> {
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

fn expected_rows() -> Vec<(String, String, String)> {
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
fn assert_failed_rows_file(ws: &Workspace, header: &[&str]) {
    let text = std::fs::read_to_string(ws.failed_output()).expect("failed-rows file");
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(first, header.join(","));
    let failed = read_csv(&ws.failed_output());
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["email"], "not-an-email");
    assert_eq!(failed[0]["billingPerson.postalCode"], "00501");
}

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

/// The message and exit status of a command line run in-process.
async fn failure(args: &[&str]) -> (String, i32) {
    let cli = Cli::try_parse_from(args).expect("valid command line");
    match ecwid_import::run(cli, None).await {
        Ok(status) => (String::new(), status.code()),
        Err(e) => (e.to_string(), e.exit_status().code()),
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

/// An .ods file (a ZIP archive of XML) with `content` as its `content.xml`.
fn write_ods(path: &Path, content: &str) {
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
