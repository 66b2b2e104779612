//! The report past a sheet's row limit, with a small limit in place of Excel's million.

use calamine::{Data, Reader, open_workbook_auto};
use csv::ByteRecord;

use super::*;
use crate::input::mapping::Layout;
use crate::outcome::ExitStatus;

fn with_record(row: u64, record: ByteRecord, status: Status) -> RowOutcome {
    RowOutcome {
        row,
        line: row + 1,
        email: String::from_utf8_lossy(&record[0]).into_owned(),
        status,
        customer_id: None,
        http_status: None,
        attempts: 0,
        error: String::new(),
        reasons: Vec::new(),
        record,
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
        left_blank: Vec::new(),
        plan: None,
        read_back: None,
        fields_not_kept: Default::default(),
        stopped: None,
        next_steps: Vec::new(),
        dry_run: true,
        report: None,
    }
}

/// What a report of rows with `emails` (those without `@` invalid) looks like, written
/// within `limits`: the Rows sheet's email column, the Summary's lines (cells joined by ` | `),
/// and the sheet's XML and its notes' XML.
fn written(emails: &[&str], limits: Limits) -> (Vec<String>, Vec<String>, String, String) {
    let records: Vec<ByteRecord> = emails
        .iter()
        .map(|e| ByteRecord::from(vec![*e, "Name"]))
        .collect();
    written_records(&records, limits)
}

/// [`written`] of rows whose cells are `records` (email first).
fn written_records(
    records: &[ByteRecord],
    limits: Limits,
) -> (Vec<String>, Vec<String>, String, String) {
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
    let mut report = ReportWriter::with_limits(&path, map, facts, limits).unwrap();
    let mut by_status = vec![("valid", 0), ("invalid", 0)];
    for (i, record) in records.iter().enumerate() {
        let status = if record[0].contains(&b'@') {
            by_status[0].1 += 1;
            Status::Valid
        } else {
            by_status[1].1 += 1;
            Status::Invalid
        };
        let row = i as u64 + 1;
        report
            .write(&with_record(row, record.clone(), status))
            .unwrap();
    }
    let temp_files = TempFiles::default();
    report
        .finish(&summary(records.len() as u64, by_status), &temp_files)
        .unwrap();

    let mut book = open_workbook_auto(&path).unwrap();
    let rows = book.worksheet_range("Rows").unwrap();
    let emails: Vec<String> = rows.rows().map(|r| r[2].to_string()).collect();
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
    let part = |name: &str| {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut text = String::new();
        if let Ok(mut entry) = zip.by_name(name) {
            std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        }
        text
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    let notes = part("xl/comments1.xml");
    (emails, lines, sheet, notes)
}

/// Past the limit, the Rows sheet holds the rows that fit; the Summary counts every row and
/// says that the rest are left out.
#[test]
fn rows_past_the_sheet_limit_are_left_out_and_the_summary_says_so() {
    let emails = [
        "a@example.com",
        "bad",
        "c@example.com",
        "bad2",
        "e@example.com",
    ];
    let limits = Limits {
        rows: 3,
        notes: MAX_NOTES,
    };
    let (rows, lines, _, _) = written(&emails, limits);
    assert_eq!(rows, ["email", "a@example.com", "bad"]);
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

/// The streaming bound: the Rows sheet's strings are inline (not in a shared table kept in
/// memory), and notes, which are kept until the end, stop at
/// their limit while every bad cell is still highlighted.
#[test]
fn rows_stream_and_notes_stop_at_their_limit() {
    let emails = ["bad1", "bad2", "bad3", "bad4"];
    let limits = Limits {
        rows: 100,
        notes: 2,
    };
    let (rows, lines, sheet, notes) = written(&emails, limits);
    assert_eq!(rows.len(), 5);
    assert!(
        sheet.contains("t=\"inlineStr\""),
        "cells are inline strings"
    );
    assert!(!sheet.contains("t=\"s\""), "no shared strings");
    assert_eq!(notes.matches("<comment ").count(), 2, "{notes}");
    // Every bad email cell (column C) is highlighted with the same style as the first.
    let style_of = |cell: &str| {
        let at = sheet.find(&format!("<c r=\"{cell}\"")).unwrap();
        let tag = &sheet[at..at + sheet[at..].find('>').unwrap()];
        tag.split(" s=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    let bad = style_of("C2");
    assert_ne!(bad, style_of("D2"), "the name is not highlighted");
    for cell in ["C3", "C4", "C5"] {
        assert_eq!(style_of(cell), bad, "{cell}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Notes are on the first 2 marked cells")),
        "{lines:#?}"
    );
}

/// Whatever a cell holds reads back as it was (calamine), stays text, and the sheet is XML a
/// strict reader takes: markup, `]]>`, control characters, a carriage return, Excel's own
/// escape form typed literally, edge spaces, formula-looking text, characters beyond the BMP;
/// bytes that are not UTF-8 (a lone surrogate as CESU-8 writes it) become U+FFFD; a text past
/// a cell's 32,767 UTF-16 units is cut there, a character never split.
#[test]
fn odd_text_reads_back_as_written() {
    let long = "😀".repeat(20_000);
    let texts: Vec<&[u8]> = vec![
        b"<b>&amp;</b> x]]>y \"q\" 'a'",
        b"\x01bell\x07 \x1b[0m",
        b"line\r\nnext\tend",
        b"_x000D_ and _x005F_",
        b"  lead and trail \n",
        b"=HYPERLINK(\"http://x\",\"y\")",
        b"+4915112345678",
        "\u{FFFE}\u{FFFF}".as_bytes(),
        b"\xed\xa0\x80 half",
        long.as_bytes(),
    ];
    let records: Vec<ByteRecord> = texts
        .iter()
        .map(|t| ByteRecord::from(vec![&b"a@example.com"[..], t]))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.xlsx");
    let header = ByteRecord::from(vec!["email", "name"]);
    let (map, choice) = ColumnMap::new(&header, &Layout::default()).unwrap();
    let facts = SummaryFacts {
        input: "c.csv".into(),
        kind: ReportKind::Validate,
        rate: 590,
        choice,
    };
    let mut report = ReportWriter::create(&path, map, facts).unwrap();
    for (i, record) in records.iter().enumerate() {
        let row = with_record(i as u64 + 1, record.clone(), Status::Valid);
        report.write(&row).unwrap();
    }
    let by_status = vec![("valid", records.len() as u64)];
    report
        .finish(
            &summary(records.len() as u64, by_status),
            &TempFiles::default(),
        )
        .unwrap();

    let mut book = open_workbook_auto(&path).unwrap();
    let rows = book.worksheet_range("Rows").unwrap();
    let names: Vec<&Data> = rows.rows().skip(1).map(|r| &r[3]).collect();
    let expected: Vec<String> = texts
        .iter()
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect();
    for (i, (name, want)) in names.iter().zip(&expected).enumerate() {
        let Data::String(name) = name else {
            panic!("row {i}: {name:?} is not text");
        };
        if i == texts.len() - 1 {
            assert_eq!(
                name.encode_utf16().count(),
                32_766,
                "cut before the 32,767th unit"
            );
            assert!(want.starts_with(name.as_str()));
        } else {
            assert_eq!(name, want, "row {i}");
        }
    }
    assert_eq!(names.len(), texts.len());
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    let mut xml = quick_xml::Reader::from_str(&sheet);
    loop {
        match xml.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("the sheet is not XML: {e}"),
        }
    }
    assert!(!sheet.contains("]]>") && !sheet.contains('\r') && !sheet.contains('\u{1}'));
}

/// A row wider than a sheet (its cells past the header's, as a row with too many cells has):
/// the Rows sheet holds its first cells, up to the sheet's last column (XFD), and still opens.
#[test]
fn cells_past_the_sheet_limit_are_left_out() {
    let cells: Vec<String> = std::iter::once("a@example.com".to_string())
        .chain((1..SHEET_COLUMNS + 5).map(|i| format!("v{i}")))
        .collect();
    let header = ByteRecord::from(vec!["email", "name"]);
    let (map, choice) = ColumnMap::new(&header, &Layout::default()).unwrap();
    let facts = SummaryFacts {
        input: "wide.csv".into(),
        kind: ReportKind::Validate,
        rate: 590,
        choice,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.xlsx");
    let mut report = ReportWriter::create(&path, map, facts).unwrap();
    report
        .write(&with_record(1, ByteRecord::from(cells), Status::Invalid))
        .unwrap();
    report
        .finish(&summary(1, vec![("invalid", 1)]), &TempFiles::default())
        .unwrap();
    let mut book = open_workbook_auto(&path).unwrap();
    let rows = book.worksheet_range("Rows").unwrap();
    assert_eq!(rows.width(), SHEET_COLUMNS);
    let last = SHEET_COLUMNS - 1;
    let expected = format!("v{}", last - REPORT_COLUMNS.len());
    assert_eq!(rows.get((1, last)), Some(&Data::String(expected)));
    assert_eq!(rows.get((0, 2)), Some(&Data::String("email".into())));
}
