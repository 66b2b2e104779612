//! Estimates the memory a `.xls` or `.ods` file takes once calamine has loaded it, before it is
//! loaded: those formats have no cell-by-cell reader, so the estimate is what stands between a
//! small file and a load that takes all the machine's memory.
//!
//! An `.ods` file's size says little on its own: a row or a cell may say it repeats
//! (`table:number-rows-repeated="3000000"`), and calamine writes out every repeat of a row or
//! cell that holds a value. So its `content.xml` is scanned first, as a stream of XML events,
//! and its cells counted as calamine will lay them out, repeats included. The same scan finds
//! values past the rows and columns calamine loads, which it would drop without a word.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::Format;
use crate::input::raw::OpenError;

/// Memory per byte of a `.xls` file once calamine has loaded it: 7.5 measured (sheets of
/// 30,000 and 60,000 rows of 6 columns, 5.5 and 11 MB, took 42 and 83 MB), rounded up.
const XLS_COST_PER_BYTE: u64 = 8;
/// Memory per byte of an `.ods` file's unpacked `content.xml`: 1.6 measured (sheets of 60,000
/// and 200,000 rows of 6 columns, 38 and 127 MB of content, took 68 and 209 MB), rounded up.
const ODS_COST_PER_BYTE: u64 = 2;
/// Memory per cell of an `.ods` sheet as calamine lays it out: 174 measured on the same
/// sheets (1.2 million cells took 209 MB), rounded up. A repeated cell costs about as much as
/// a written one, as calamine copies it, its text included: a row of one short text repeated
/// to 1,048,576 rows took 130 MB, two texts 236 MB (105 a cell).
const ODS_COST_PER_CELL: u64 = 180;
/// calamine's own limits on an `.ods` sheet: what lies past them is dropped, not loaded.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

/// What loading a workbook whole would take.
pub(super) struct Cost {
    pub(super) bytes: u64,
    /// The cells of an `.ods` file's sheets, repeats counted, when they were counted.
    pub(super) cells: Option<u64>,
    /// The first sheet of an `.ods` file with values past calamine's limits, when scanned.
    pub(super) cut: Option<String>,
}

/// The estimated memory a `.xls` or `.ods` file takes once loaded. An `.ods` file's cells are
/// counted only when its content's size is within `budget`, so that a huge content is refused
/// without being read.
pub(super) fn whole_load_cost(path: &Path, format: Format, budget: u64) -> Result<Cost, OpenError> {
    if format != Format::Ods {
        let bytes = std::fs::metadata(path)?
            .len()
            .saturating_mul(XLS_COST_PER_BYTE);
        return Ok(Cost {
            bytes,
            cells: None,
            cut: None,
        });
    }
    let unreadable = |e: zip::result::ZipError| OpenError::Workbook(e.to_string());
    let mut zip = zip::ZipArchive::new(BufReader::new(File::open(path)?)).map_err(unreadable)?;
    let content = zip.by_name("content.xml").map_err(unreadable)?;
    let by_size = content.size().saturating_mul(ODS_COST_PER_BYTE);
    if by_size > budget {
        return Ok(Cost {
            bytes: by_size,
            cells: None,
            cut: None,
        });
    }
    let scan = ods_cells(BufReader::new(content))?;
    Ok(Cost {
        bytes: by_size.max(scan.cells.saturating_mul(ODS_COST_PER_CELL)),
        cells: Some(scan.cells),
        cut: scan.cut,
    })
}

/// What the scan of an `.ods` file's content found.
struct OdsScan {
    pub(super) cells: u64,
    /// The first sheet with values past calamine's limits.
    pub(super) cut: Option<String>,
}

/// The cells calamine lays out for the sheets of an `.ods` file's `content.xml`: each sheet
/// is the rectangle from its first to its last row holding a value, and from its leftmost to
/// its rightmost such column, with every repeat of a row or cell in it; empty repeats at a
/// row's or sheet's end are not laid out.
fn ods_cells(content: impl BufRead) -> Result<OdsScan, OpenError> {
    let mut xml = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut sheet = Sheet::default();
    let mut row = Row::default();
    let mut scan = OdsScan {
        cells: 0,
        cut: None,
    };
    let broken = |e: &dyn std::fmt::Display| OpenError::Workbook(format!("content.xml: {e}"));
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| broken(&e))?;
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => sheet = Sheet::named(&e),
                "table:table-row" => row = Row::new(repeats(&e, "table:number-rows-repeated")),
                "table:table-cell" | "table:covered-table-cell" => row.cell(&e),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "table:table-row" => {
                    sheet.row(&Row::new(repeats(&e, "table:number-rows-repeated")))
                }
                "table:table-cell" | "table:covered-table-cell" => row.cell(&e),
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table-row" => sheet.row(&row),
                "table:table" => {
                    scan.cells = scan.cells.saturating_add(sheet.cells());
                    if sheet.cut && scan.cut.is_none() {
                        scan.cut = Some(std::mem::take(&mut sheet.name));
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(scan),
            _ => {}
        }
        buf.clear();
    }
}

/// A row's or cell's repeat count: 1 when absent or unreadable (calamine refuses the file
/// then, when it loads it).
fn repeats(element: &BytesStart<'_>, name: &str) -> u64 {
    element
        .try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

/// Whether a cell holds something calamine keeps: a value of any type, or a formula (a cell
/// with a style only, which LibreOffice repeats to the sheet's edge, is empty).
fn holds_a_value(cell: &BytesStart<'_>) -> bool {
    cell.attributes().with_checks(false).flatten().any(|a| {
        matches!(
            a.key.as_ref(),
            "office:value"
                | "office:string-value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value"
                | "table:formula"
        ) || (a.key.as_ref() == "office:value-type" && a.value == "string")
    })
}

/// The row being scanned: its repeats, its columns so far, and the span of its values.
#[derive(Default)]
struct Row {
    repeats: u64,
    columns: u64,
    /// The first column holding a value, and the column after the last.
    values: Option<(u64, u64)>,
    /// Whether a value lies past the last column calamine loads.
    cut: bool,
}

impl Row {
    fn new(repeats: u64) -> Self {
        Self {
            repeats,
            ..Self::default()
        }
    }

    fn cell(&mut self, cell: &BytesStart<'_>) {
        let wanted = repeats(cell, "table:number-columns-repeated");
        let count = wanted.min(ODS_MAX_COLUMNS.saturating_sub(self.columns));
        let value = holds_a_value(cell);
        self.cut |= value && count < wanted;
        if count > 0 && value {
            let first = self.values.map_or(self.columns, |(first, _)| first);
            self.values = Some((first, self.columns + count));
        }
        self.columns += count;
    }
}

/// The sheet being scanned: its rows so far, and the rectangle of its values.
#[derive(Default)]
struct Sheet {
    name: String,
    /// Whether a value lies past the last row or column calamine loads.
    cut: bool,
    rows: u64,
    /// Rows from the first holding a value to the last, and the empty ones after it.
    spanned: u64,
    empty_after: u64,
    columns: Option<(u64, u64)>,
}

impl Sheet {
    fn named(table: &BytesStart<'_>) -> Self {
        let name = table.try_get_attribute("table:name").ok().flatten();
        Self {
            name: name.map(|a| a.value.into_owned()).unwrap_or_default(),
            ..Self::default()
        }
    }

    fn row(&mut self, row: &Row) {
        let repeats = row.repeats.min(ODS_MAX_ROWS.saturating_sub(self.rows));
        self.rows += repeats;
        self.cut |= row.cut || (row.values.is_some() && repeats < row.repeats);
        match (row.values, &mut self.columns) {
            (None, None) => {}
            (None, Some(_)) => self.empty_after = self.empty_after.saturating_add(repeats),
            (Some((first, end)), columns) => {
                let (left, right) =
                    columns.map_or((first, end), |(l, r)| (l.min(first), r.max(end)));
                *columns = Some((left, right));
                self.spanned = self.spanned.saturating_add(self.empty_after + repeats);
                self.empty_after = 0;
            }
        }
    }

    fn cells(&self) -> u64 {
        self.columns
            .map_or(0, |(left, right)| self.spanned.saturating_mul(right - left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(rows: &str) -> u64 {
        let content = format!(
            "<office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"S\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        );
        let scan = ods_cells(content.as_bytes()).expect("scans");
        scan.cells
    }

    fn cut(rows: &str) -> Option<String> {
        let content = format!("<table:table table:name=\"Kunden\">{rows}</table:table>");
        ods_cells(content.as_bytes()).expect("scans").cut
    }

    /// Values past the rows or columns calamine loads are found, with their sheet; empty
    /// repeats past them are not (LibreOffice writes them to the sheet's edge).
    #[test]
    fn values_past_the_limits_are_found() {
        let many = format!(
            "<table:table-row table:number-rows-repeated=\"3000000\">{FILLED}</table:table-row>"
        );
        assert_eq!(cut(&many).as_deref(), Some("Kunden"));
        let after = format!(
            "<table:table-row table:number-rows-repeated=\"1048576\"><table:table-cell/></table:table-row>\
             <table:table-row>{FILLED}</table:table-row>"
        );
        assert_eq!(cut(&after).as_deref(), Some("Kunden"));
        let wide = format!(
            "<table:table-row><table:table-cell table:number-columns-repeated=\"16384\"/>\
             {FILLED}</table:table-row>"
        );
        assert_eq!(cut(&wide).as_deref(), Some("Kunden"));
        let edge = format!(
            "<table:table-row>{FILLED}<table:table-cell table:number-columns-repeated=\"99999\"/>\
             </table:table-row><table:table-row table:number-rows-repeated=\"2000000\">\
             <table:table-cell/></table:table-row>"
        );
        assert_eq!(cut(&edge), None);
    }

    const FILLED: &str =
        "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";

    /// Written cells count once; a repeated row or cell holding a value counts every repeat.
    #[test]
    fn repeats_of_values_are_counted() {
        assert_eq!(
            cells(&format!(
                "<table:table-row>{FILLED}{FILLED}</table:table-row>"
            )),
            2
        );
        let repeated_row = format!(
            "<table:table-row table:number-rows-repeated=\"1000\">{FILLED}{FILLED}</table:table-row>"
        );
        assert_eq!(cells(&repeated_row), 2000);
        let repeated_cell = "<table:table-row table:number-rows-repeated=\"10\">\
            <table:table-cell table:number-columns-repeated=\"50\" office:value-type=\"float\" \
            office:value=\"1\"/></table:table-row>";
        assert_eq!(cells(repeated_cell), 500);
        // calamine stops a sheet at 1,048,576 rows and 16,384 columns.
        let huge = format!(
            "<table:table-row table:number-rows-repeated=\"3000000\">{FILLED}</table:table-row>"
        );
        assert_eq!(cells(&huge), 1_048_576);
        let wide = "<table:table-row><table:table-cell table:number-columns-repeated=\"99999\" \
            table:formula=\"of:=1\"/></table:table-row>";
        assert_eq!(cells(wide), 16_384);
    }

    /// Empty repeats are laid out between values only: LibreOffice's styled cells and rows
    /// repeated to the sheet's edge cost nothing.
    #[test]
    fn empty_repeats_count_between_values_only() {
        let styled =
            "<table:table-cell table:style-name=\"ce1\" table:number-columns-repeated=\"16000\"/>";
        let rows = format!(
            "<table:table-row table:number-rows-repeated=\"5\"><table:table-cell/></table:table-row>\
             <table:table-row>{FILLED}{styled}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"8\">{styled}</table:table-row>\
             <table:table-row><table:table-cell table:number-columns-repeated=\"2\"/>{FILLED}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048000\">{styled}</table:table-row>"
        );
        // Rows 6 to 15 (10 rows), columns A to C.
        assert_eq!(cells(&rows), 30);
        assert_eq!(
            cells("<table:table-row><table:table-cell/></table:table-row>"),
            0
        );
    }

    /// Broken XML is refused as a workbook that cannot be read.
    #[test]
    fn broken_content_is_refused() {
        let err = ods_cells("<a></b>".as_bytes()).err().map(|e| e.to_string());
        assert!(err.unwrap_or_default().contains("content.xml"));
    }
}
