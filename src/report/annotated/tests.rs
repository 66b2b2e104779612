//! The report past a sheet's row limit, with a small limit in place of Excel's million.

use calamine::{Data, Reader, open_workbook_auto};
use csv::ByteRecord;

use super::*;
use crate::input::mapping::Layout;
use crate::outcome::ExitStatus;

fn outcome(row: u64, email: &str, status: Status) -> RowOutcome {
    RowOutcome {
        row,
        line: row + 1,
        email: email.into(),
        status,
        customer_id: None,
        http_status: None,
        attempts: 0,
        error: String::new(),
        reasons: Vec::new(),
        record: ByteRecord::from(vec![email, "Name"]),
        settled: true,
    }
}

fn summary(rows: u64, by_status: Vec<(&'static str, u64)>) -> Summary {
    Summary {
        rows,
        by_status,
        requests: 0,
        requests_by_kind: Vec::new(),
        retries: 0,
        rate_limited: 0,
        lookups: 0,
        confirmed_by_lookup: 0,
        batches: None,
        snapshot: None,
        elapsed_seconds: 0.1,
        exit_code: ExitStatus::RowsFailed,
        output: "c.validation.csv".into(),
        failed_output: "c.validation.failed.csv".into(),
        top_errors: Vec::new(),
        plan: None,
        stopped: None,
        dry_run: true,
        report: None,
    }
}

/// Past the limit, the Rows sheet holds the rows that fit; the Summary counts every row and
/// says that the rest are left out.
#[test]
fn rows_past_the_sheet_limit_are_left_out_and_the_summary_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    let header = ByteRecord::from(vec!["email", "name"]);
    let (map, choice) = ColumnMap::new(&header, &Layout::default()).unwrap();
    let facts = SummaryFacts {
        input: "c.csv".into(),
        kind: ReportKind::Validate,
        rate: 590,
        choice,
    };
    let mut report = ReportWriter::with_limit(&path, map, facts, 3).unwrap();
    let emails = [
        "a@example.com",
        "bad",
        "c@example.com",
        "bad2",
        "e@example.com",
    ];
    for (i, email) in emails.iter().enumerate() {
        let status = if email.contains('@') {
            Status::Valid
        } else {
            Status::Invalid
        };
        report.write(&outcome(i as u64 + 1, email, status)).unwrap();
    }
    let temp_files = TempFiles::default();
    let summary = summary(5, vec![("valid", 3), ("invalid", 2)]);
    report.finish(&summary, &temp_files).unwrap();

    let mut book = open_workbook_auto(&path).unwrap();
    let rows = book.worksheet_range("Rows").unwrap();
    let emails: Vec<String> = rows.rows().map(|r| r[2].to_string()).collect();
    assert_eq!(emails, ["email", "a@example.com", "bad"]);
    let lines: Vec<String> = book
        .worksheet_range("Summary")
        .unwrap()
        .rows()
        .map(|r| {
            r.iter()
                .filter(|c| **c != Data::Empty)
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    assert!(lines.contains(&"rows | 5".to_string()), "{lines:#?}");
    assert!(lines.contains(&"invalid | 2".to_string()), "{lines:#?}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "The Rows sheet holds the first 2 rows: a sheet holds at most 1048576 rows"
        ) && l.contains("the last 3 rows are left out")),
        "{lines:#?}"
    );
    // Both invalid rows are counted, the one left out of the sheet too.
    let email_errors = lines.iter().find(|l| l.starts_with("email |")).unwrap();
    assert_eq!(email_errors, "email | 2 | 2, 4");
}
