//! The annotated report (`--report`; by default for `validate` and `plan`): the Rows sheet
//! people fix their file in, its Summary, and the round trip of a fixed report into the store.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::report_read::{BAD, CHANGED, CREATED, Report, fix_cells};
use crate::support::{Workspace, run_in_process};

/// A file with a valid row, a row breaking three rules, a duplicate, and cells a spreadsheet
/// would turn into numbers or formulas.
const CSV: &str = "email,name,billingPerson.countryCode,billingPerson.phone,billingPerson.postalCode,taxExempt\n\
ann@example.com,Ann,DE,+49 30 1234,01234,\n\
bad-email,Bob,Germny,0049,00123,yes\n\
ANN@example.com,Ann again,FR,,,\n\
cy@example.com,=1+2,de,123456789012345678,,no\n";

fn arg(p: &Path) -> String {
    p.to_str().expect("utf-8 path").to_string()
}

/// `ecwid-import <args...> -q` in-process; the exit status.
async fn run(args: &[&str]) -> i32 {
    let mut all = vec!["ecwid-import".to_string()];
    all.extend(args.iter().map(|s| s.to_string()));
    all.push("-q".into());
    run_in_process(all).await
}

async fn validate(ws: &Workspace, extra: &[&str]) -> i32 {
    let input = arg(&ws.input);
    let mut args = vec!["validate", input.as_str()];
    args.extend_from_slice(extra);
    run(&args).await
}

fn default_report(ws: &Workspace) -> PathBuf {
    ws.dir.path().join("customers.validation.report.xlsx")
}

/// Validate writes the report beside its output: status and message first, then the file's
/// own columns and cells in order, as text; each bad cell highlighted with a note naming the
/// rule and a value that passes; valid rows not coloured; header frozen, filter on status.
#[tokio::test]
async fn validate_writes_a_report_that_marks_each_bad_cell() {
    let ws = Workspace::new(CSV);
    assert_eq!(validate(&ws, &[]).await, 1);
    let report = Report::read(&default_report(&ws));
    assert_eq!(report.sheet_names, ["Rows", "Summary"]);
    assert_eq!(
        report.rows[0],
        [
            "status",
            "message",
            "email",
            "name",
            "billingPerson.countryCode",
            "billingPerson.phone",
            "billingPerson.postalCode",
            "taxExempt"
        ]
    );
    let statuses: Vec<&str> = (1..=4).map(|r| report.cell(r, "status")).collect();
    assert_eq!(statuses, ["valid", "invalid", "duplicate", "valid"]);
    // Cells as typed: leading zeros, a phone's +, long digits, a formula-looking value.
    assert!(report.all_text, "every cell is text");
    assert_eq!(report.cell(1, "billingPerson.postalCode"), "01234");
    assert_eq!(report.cell(1, "billingPerson.phone"), "+49 30 1234");
    assert_eq!(report.cell(2, "billingPerson.phone"), "0049");
    assert_eq!(report.cell(4, "billingPerson.phone"), "123456789012345678");
    assert_eq!(report.cell(4, "name"), "=1+2");
    // The bad cells of row 2, each with its rule and an example that passes.
    assert_eq!(
        report.filled_in_row(2),
        ["billingPerson.countryCode", "email", "status", "taxExempt"]
    );
    assert_eq!(report.fill(2, "email"), Some(BAD));
    assert_eq!(
        report.note(2, "billingPerson.countryCode"),
        Some(
            "billingPerson.countryCode \"Germny\": must be an ISO 3166-1 alpha-2 country code \
             such as US, DE or GB; e.g. DE or Germany\n\
             hint: did you mean Germany (DE)? (\"Germny\" is one letter off; nothing was changed)"
        )
    );
    assert!(
        report.note(2, "email").is_some_and(
            |n| n.contains("must be an email address") && n.ends_with("e.g. ann@example.com")
        ),
        "{:?}",
        report.note(2, "email")
    );
    assert!(report.cell(2, "message").contains("taxExempt \"yes\""));
    // A duplicate's email is marked, naming the first row.
    assert_eq!(report.filled_in_row(3), ["email", "status"]);
    assert!(
        report
            .note(3, "email")
            .unwrap()
            .contains("same email as row 1")
    );
    // Rows that pass are not coloured and carry no note.
    for row in [1, 4] {
        assert!(report.filled_in_row(row).is_empty(), "row {row}");
        assert!(report.note(row, "email").is_none());
    }
    assert!(report.frozen, "the header row is frozen");
    assert_eq!(report.autofilter.as_deref(), Some("A1:A5"));
}

/// `--report PATH` writes it elsewhere, `--no-report` writes none; `import` writes one only
/// with `--report`.
#[tokio::test]
async fn report_goes_where_asked_and_only_when_asked() {
    let ws = Workspace::new(CSV);
    let elsewhere = ws.dir.path().join("fix-me.xlsx");
    assert_eq!(validate(&ws, &["--no-report"]).await, 1);
    assert!(!default_report(&ws).exists());
    let summary = ws.dir.path().join("summary.json");
    let args = [
        "--report",
        &arg(&elsewhere),
        "--summary-json",
        &arg(&summary),
    ];
    assert_eq!(validate(&ws, &args).await, 1);
    assert!(elsewhere.exists() && !default_report(&ws).exists());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).unwrap()).unwrap();
    assert_eq!(json["report"], arg(&elsewhere), "{json}");

    let store = crate::e2e::start(crate::e2e::store_args()).await;
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 1);
    let import_report = ws.dir.path().join("customers.results.report.xlsx");
    assert!(!import_report.exists(), "import writes none unasked");
    let asked = ws.dir.path().join("import.xlsx");
    let rerun = ws.dir.path().join("again.csv");
    let args = [
        "--rate",
        "60000",
        "--report",
        &arg(&asked),
        "-o",
        &arg(&rerun),
    ];
    assert_eq!(ws.import(&store.api_url(), &args).await, 1);
    let report = Report::read(&asked);
    let statuses: Vec<&str> = (1..=4).map(|r| report.cell(r, "status")).collect();
    assert_eq!(statuses, ["exists", "invalid", "duplicate", "exists"]);
}

/// The Summary: counts per status; errors per column and per rule, most frequent first, with
/// their first rows; the mapping chosen and why, and the columns left out.
#[tokio::test]
async fn summary_counts_errors_and_says_how_columns_were_mapped() {
    let csv = "E-Mail,Vorname,billingPerson.countryCode,Lieblingsfarbe\n\
               ann@example.com,Ann,XX,blau\n\
               bad,Bob,YY,rot\n\
               cy@example.com,Cy,DE,grün\n\
               dee@example.com,Dee,ZZ,\n";
    let ws = Workspace::new(csv);
    assert_eq!(validate(&ws, &[]).await, 1);
    let report = Report::read(&default_report(&ws));
    assert_eq!(report.summary_line("rows", "valid")[1], "1");
    let by_column = report.summary_line("Errors by column", "billingPerson.countryCode");
    assert_eq!(by_column[1..], ["3", "1, 2, 4"]);
    let by_column = report.summary_line("Errors by column", "E-Mail");
    assert_eq!(by_column[1..], ["1", "2"]);
    let rule = report.summary_line(
        "Errors by rule",
        "must be an ISO 3166-1 alpha-2 country code such as US, DE or GB",
    );
    assert_eq!(rule[1..], ["3", "1, 2, 4"]);
    let email = report.summary_line("Mapping", "E-Mail");
    assert_eq!(email[1], "email");
    assert!(email[2].starts_with("matched by meaning"), "{email:?}");
    let country = report.summary_line("Mapping", "billingPerson.countryCode");
    assert_eq!(country[2], "canonical column name");
    let left = report.summary_line("Columns left out", "Lieblingsfarbe");
    assert!(left[2].contains("not imported"), "{left:?}");
    let would = report.summary_line(
        "What an import would send",
        "creates or updates, at most (one per valid row)",
    );
    assert_eq!(would[1], "1");
}

/// Round trip: the Rows sheet, its bad cells fixed and nothing else touched, imports as it is:
/// status and message are ignored by name, every row is created, and the cells reach the store
/// as typed (leading zeros, a phone's +, long digits, a formula-looking name). Checked again,
/// it gives a report with status and message once.
#[tokio::test]
async fn a_fixed_report_imports_as_it_is() {
    let csv = "email,name,billingPerson.countryCode,billingPerson.phone,billingPerson.postalCode,taxExempt,privateAdminNotes\n\
               ann@example.com,Ann,DE,+49 30 1234,01234,,VIP\n\
               bad-email,Bob,Germny,0049,00123,yes,\n\
               cy@example.com,=1+2,de,123456789012345678,,no,status\n";
    let ws = Workspace::new(csv);
    assert_eq!(validate(&ws, &[]).await, 1);
    let report = Report::read(&default_report(&ws));
    let fixes: HashMap<&str, &str> = HashMap::from([
        ("bad-email", "bob@example.com"),
        ("Germny", "DE"),
        ("yes", "no"),
    ]);
    let mut fixed_cells = HashMap::new();
    for reference in report.fills.keys().filter(|r| !r.starts_with('A')) {
        let row: usize = reference[1..].parse().unwrap();
        let col = (reference.as_bytes()[0] - b'A') as usize;
        let old = report.rows[row - 1][col].as_str();
        let new = fixes.get(old).unwrap_or_else(|| panic!("a fix for {old}"));
        fixed_cells.insert(reference.clone(), new.to_string());
    }
    assert_eq!(fixed_cells.len(), 3, "{fixed_cells:?}");
    let fixed = ws.dir.path().join("fixed.xlsx");
    fix_cells(&default_report(&ws), &fixed, &fixed_cells);

    let store = crate::e2e::start(crate::e2e::store_args()).await;
    let results = ws.dir.path().join("fixed.results.csv");
    let input = arg(&fixed);
    let api = store.api_url();
    let args = [
        "import",
        &input,
        "--store-id",
        "1003",
        "--api-url",
        &api,
        "--rate",
        "60000",
        "--token-file",
        &arg(&ws.token_file),
        "-o",
        &arg(&results),
    ];
    assert_eq!(run(&args).await, 0, "every row imports");
    let statuses = crate::support::column(&crate::support::read_csv(&results), "status");
    assert_eq!(statuses, ["created"; 3]);
    let stored = |email: &str| {
        let customer = store
            .customers()
            .into_iter()
            .find(|c| c.customer.email.as_deref() == Some(email))
            .unwrap_or_else(|| panic!("{email} is stored"));
        serde_json::to_value(&customer.customer).unwrap()
    };
    let ann = stored("ann@example.com");
    assert_eq!(ann["billingPerson"]["postalCode"], "01234");
    assert_eq!(ann["billingPerson"]["phone"], "+49 30 1234");
    assert_eq!(ann["privateAdminNotes"], "VIP");
    let bob = stored("bob@example.com");
    assert_eq!(bob["billingPerson"]["countryCode"], "DE");
    assert_eq!(bob["billingPerson"]["postalCode"], "00123");
    let cy = stored("cy@example.com");
    assert_eq!(cy["billingPerson"]["name"], "=1+2");
    assert_eq!(cy["billingPerson"]["phone"], "123456789012345678");
    assert_eq!(cy["privateAdminNotes"], "status");

    // Checked again, the fixed report gives a report of its own cells, status and message once.
    let again = ws.dir.path().join("again.xlsx");
    let args = [
        "validate",
        &input,
        "--report",
        &arg(&again),
        "-o",
        &arg(&ws.dir.path().join("again.csv")),
    ];
    assert_eq!(run(&args).await, 0);
    let report = Report::read(&again);
    assert_eq!(report.rows[0][..4], ["status", "message", "email", "name"]);
    assert_eq!(report.rows[0].len(), 9);
    let mapping_status = report.summary_line("Columns left out", "status");
    assert!(
        mapping_status[2].contains("the report's own column"),
        "{mapping_status:?}"
    );
}

/// A plan's report marks every cell the import would change, with the store's value in its
/// note, and each row it would create; its Summary counts the writes and their time.
#[tokio::test]
async fn plan_report_marks_what_the_import_would_change() {
    let store = crate::e2e::start(crate::e2e::store_args()).await;
    let seed = Workspace::new(
        "email,name,billingPerson.city\nsame@example.com,Same Name,Oslo\nchanged@example.com,Old Name,Oslo\n",
    );
    assert_eq!(seed.import(&store.api_url(), &["--rate", "60000"]).await, 0);
    let ws = Workspace::new(
        "email,name,billingPerson.city\n\
         new@example.com,New Customer,Bergen\n\
         same@example.com,Same Name,Oslo\n\
         changed@example.com,New Name,Oslo\n\
         not-an-email,Nobody,\n",
    );
    let input = arg(&ws.input);
    let api = store.api_url();
    let token = arg(&ws.token_file);
    let args = [
        "plan",
        &input,
        "--store-id",
        "1003",
        "--api-url",
        &api,
        "--token-file",
        &token,
        "--rate",
        "120",
        "--on-existing",
        "update",
    ];
    assert_eq!(run(&args).await, 1);
    let report = Report::read(&ws.dir.path().join("customers.plan.report.xlsx"));
    let statuses: Vec<&str> = (1..=4).map(|r| report.cell(r, "status")).collect();
    assert_eq!(
        statuses,
        ["would_create", "unchanged", "would_update", "invalid"]
    );
    // The row to create: its status marked as such.
    assert_eq!(report.filled_in_row(1), ["status"]);
    assert_eq!(report.fill(1, "status"), Some(CREATED));
    assert!(report.note(1, "status").unwrap().contains("would create"));
    assert!(
        report.filled_in_row(2).is_empty(),
        "an unchanged row is not marked"
    );
    // The row to update: the changed cell only, with the store's value.
    assert_eq!(report.filled_in_row(3), ["name", "status"]);
    assert_eq!(report.fill(3, "name"), Some(CHANGED));
    assert_eq!(
        report.note(3, "name"),
        Some("billingPerson.name: the store has \"Old Name\"; the import would send \"New Name\"")
    );
    assert_eq!(report.fill(4, "email"), Some(BAD));
    let line = |what: &str| report.summary_line("What the import would send", what)[1].clone();
    assert_eq!(line("creates"), "1");
    assert_eq!(line("updates"), "1");
    assert_eq!(line("write requests"), "2");
    let time = report.summary_line(
        "What the import would send",
        "time at 120 requests a minute, about",
    );
    assert_eq!(time[2], "a minute");
}

/// A likely typo (a common email domain misspelt, a country name one letter off) is suggested
/// in a note, and only there: the cell is not coloured, the row stays valid, the cell as typed.
#[tokio::test]
async fn hints_are_notes_only() {
    let csv = "email,Country,shippingAddresses.0.countryCode\n\
               ann@gmial.com,Germny,\n\
               bob@example.com,France,Frnace\n";
    let ws = Workspace::new(csv);
    assert_eq!(validate(&ws, &[]).await, 1);
    let report = Report::read(&default_report(&ws));
    assert_eq!(report.cell(1, "status"), "valid");
    assert!(report.filled_in_row(1).is_empty(), "a hint colours nothing");
    assert_eq!(report.cell(1, "email"), "ann@gmial.com");
    assert!(
        report
            .note(1, "email")
            .is_some_and(|n| n.starts_with("hint: did you mean ann@gmail.com?")),
        "{:?}",
        report.note(1, "email")
    );
    assert!(
        report
            .note(1, "Country")
            .is_some_and(|n| n.contains("did you mean Germany (DE)?")),
        "{:?}",
        report.note(1, "Country")
    );
    // A bad cell keeps its rule, and gets the hint beside it.
    assert_eq!(report.cell(2, "status"), "invalid");
    assert_eq!(report.fill(2, "shippingAddresses.0.countryCode"), Some(BAD));
    let note = report.note(2, "shippingAddresses.0.countryCode").unwrap();
    assert!(
        note.contains("e.g. DE or Germany") && note.contains("did you mean France (FR)?"),
        "{note}"
    );
    assert!(report.note(2, "email").is_none());
}

/// A workbook input: the report holds the sheet's values as text, as the import reads them
/// (a zip formatted `00000`, a long phone number, a date), and marks its bad cells alike.
#[tokio::test]
async fn a_workbook_input_gives_its_values_as_text() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut ws = Workspace::new("");
    std::fs::remove_file(&ws.input).expect("remove the CSV");
    ws.input = ws.dir.path().join("customers.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "email",
        "billingPerson.postalCode",
        "billingPerson.phone",
        "privateAdminNotes",
    ];
    for (col, name) in header.iter().enumerate() {
        sheet.write_string(0, col as u16, *name).unwrap();
    }
    let zip = Format::new().set_num_format("00000");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(1, 0, "ann@example.com").unwrap();
    sheet.write_number_with_format(1, 1, 2134.0, &zip).unwrap();
    sheet.write_number(1, 2, 491_701_234_567_890.0).unwrap();
    let day = ExcelDateTime::from_ymd(2024, 3, 5).unwrap();
    sheet.write_datetime_with_format(1, 3, &day, &date).unwrap();
    sheet.write_string(2, 0, "not-an-email").unwrap();
    sheet.write_string(2, 1, "00501").unwrap();
    book.save(&ws.input).unwrap();

    assert_eq!(validate(&ws, &[]).await, 1);
    let report = Report::read(&default_report(&ws));
    assert!(report.all_text);
    assert_eq!(report.cell(1, "billingPerson.postalCode"), "02134");
    assert_eq!(report.cell(1, "billingPerson.phone"), "491701234567890");
    assert_eq!(report.cell(1, "privateAdminNotes"), "2024-03-05");
    assert_eq!(report.cell(2, "billingPerson.postalCode"), "00501");
    assert_eq!(report.filled_in_row(2), ["email", "status"]);
    assert!(report.filled_in_row(1).is_empty());
}

/// A file whose own first columns are named status and message keeps them when a mapping file
/// names them: they are the user's columns then, not a report's.
#[tokio::test]
async fn a_mapping_file_that_names_status_keeps_it() {
    let ws = Workspace::new("Status,Message,email\nVIP,hello,ann@example.com\n");
    let mapping = ws.dir.path().join("mapping.toml");
    std::fs::write(
        &mapping,
        "[fields]\nemail = \"email\"\nprivateAdminNotes = \"Status\"\n",
    )
    .unwrap();
    assert_eq!(validate(&ws, &["--mapping", &arg(&mapping)]).await, 0);
    let report = Report::read(&default_report(&ws));
    assert_eq!(
        report.rows[0],
        ["status", "message", "Status", "Message", "email"]
    );
    let status = report.summary_line("Mapping", "Status");
    assert_eq!(status[1..], ["privateAdminNotes", "mapping file"]);
    // Without the mapping file, they are a report's: ignored, and not repeated.
    assert_eq!(validate(&ws, &[]).await, 0);
    let report = Report::read(&default_report(&ws));
    assert_eq!(report.rows[0], ["status", "message", "email"]);
}
