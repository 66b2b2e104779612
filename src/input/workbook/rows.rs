//! Gathers a sheet's cells, in sheet order, into the header and the records the pipeline
//! reads: blank rows skipped, gaps filled with empty cells, and a row's problems (an error
//! value, a value under no header) said in the words of the spreadsheet (`cell C7`).

use std::io;
use std::sync::mpsc::SyncSender;

use calamine::DataRef;
use csv::{ByteRecord, Position};

use super::cells::cell_text;
use super::{BATCH, Message};
use crate::input::raw::{OpenError, RawRow};

/// Gathers cells, in sheet order, into rows, and hands them over: the first non-blank row is
/// the header, blank rows are skipped (their numbers still count for `line`).
pub(super) struct Rows<'a> {
    tx: &'a SyncSender<Message>,
    pub(super) sheet: String,
    /// The sheet row being gathered (0-based), and its non-empty cells by column.
    at: Option<u32>,
    cells: Vec<(u32, String)>,
    /// The error values of the row being gathered, by column.
    errors: Vec<(u32, String)>,
    /// The header's first and last column, once read.
    columns: Option<(u32, u32)>,
    next_row: u64,
    batch: Vec<RawRow>,
    text: String,
    /// The file's size and the sheet's last row (0-based), which give each record a byte
    /// offset in proportion to its row: the progress shows the share of the file read by it.
    pub(super) file_len: u64,
    pub(super) last_row: u32,
    /// Whether the receiving side still wants rows.
    wanted: bool,
    /// Whether the header, or why there is none, has been handed over.
    opened: bool,
}

impl<'a> Rows<'a> {
    pub(super) fn new(tx: &'a SyncSender<Message>) -> Self {
        Self {
            tx,
            sheet: String::new(),
            at: None,
            cells: Vec::new(),
            errors: Vec::new(),
            columns: None,
            next_row: 1,
            batch: Vec::with_capacity(BATCH),
            text: String::new(),
            file_len: 0,
            last_row: 0,
            wanted: true,
            opened: false,
        }
    }

    /// Takes one cell (positions 0-based, in sheet order); `false` once rows are no longer
    /// wanted.
    pub(super) fn cell(
        &mut self,
        row: u32,
        column: u32,
        value: &DataRef<'_>,
        format: Option<&str>,
    ) -> bool {
        if self.at != Some(row) {
            self.end_row();
            self.at = Some(row);
        }
        self.text.clear();
        let error = cell_text(value, format, &mut self.text);
        if let Err(error) = error {
            self.errors.push((column, error));
        }
        if !self.text.is_empty() {
            self.cells.push((column, std::mem::take(&mut self.text)));
        }
        self.wanted
    }

    /// Turns the gathered row into the header or a record.
    fn end_row(&mut self) {
        let Some(at) = self.at.take() else { return };
        let cells = std::mem::take(&mut self.cells);
        let errors = std::mem::take(&mut self.errors);
        if cells.is_empty() {
            return;
        }
        let line = u64::from(at) + 1;
        let Some((first, last)) = self.columns else {
            self.header(&cells, &errors, line);
            return;
        };
        let row = self.next_row;
        self.next_row += 1;
        let problem = if let Some((column, error)) = errors.first() {
            Some(format!(
                "cell {}{line} holds the error {error} (a formula that could not be computed): \
                 fix it in the workbook",
                column_name(*column)
            ))
        } else {
            outside_problem(&cells, first, last, line)
        };
        // Always the header's columns, stray cells or not: a record as wide as its header
        // keeps every field under its own name, and the failed-rows file reads back as the
        // sheet did (a stray cell at XFD would otherwise make a record of 16,384 fields).
        let mut record = record(&cells, first, last, line, row);
        if let Some(mut position) = record.position().cloned() {
            let share = line as f64 / (f64::from(self.last_row) + 1.0);
            position.set_byte((self.file_len as f64 * share.min(1.0)) as u64);
            record.set_position(Some(position));
        }
        self.batch.push(RawRow {
            row,
            line,
            record,
            problem,
        });
        if self.batch.len() == BATCH {
            self.hand_over();
        }
    }

    /// Takes the first non-blank row as the header, unless a cell of it holds an error value,
    /// whose text (`#REF!`) would be taken for a column's name.
    fn header(&mut self, cells: &[(u32, String)], errors: &[(u32, String)], line: u64) {
        self.opened = true;
        if let Some((column, error)) = errors.first() {
            let refused = OpenError::HeaderErrorValue {
                cell: format!("{}{line}", column_name(*column)),
                error: error.clone(),
            };
            let _ = self.tx.send(Message::Opened(Err(refused)));
            self.wanted = false;
            return;
        }
        let first = cells.first().map_or(0, |c| c.0);
        let last = cells.last().map_or(0, |c| c.0);
        self.columns = Some((first, last));
        let headers = record(cells, first, last, line, 0);
        let opened = Message::Opened(Ok((self.sheet.clone(), headers)));
        self.wanted = self.tx.send(opened).is_ok();
    }

    fn hand_over(&mut self) {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        if self.wanted && !batch.is_empty() {
            self.wanted = self.tx.send(Message::Rows(batch)).is_ok();
        }
    }

    pub(super) fn finish(mut self) {
        self.end_row();
        if !self.opened {
            let blank = OpenError::BlankSheet(self.sheet.clone());
            let _ = self.tx.send(Message::Opened(Err(blank)));
            return;
        }
        self.hand_over();
        if self.wanted {
            let _ = self.tx.send(Message::End);
        }
    }

    /// Hands over `e`: as the opening's failure before the header, else as a read error.
    pub(super) fn fail(mut self, e: OpenError) {
        if !self.opened {
            let _ = self.tx.send(Message::Opened(Err(e)));
            return;
        }
        self.hand_over();
        let e = match e {
            OpenError::Io(e) => e,
            other => io::Error::other(other.to_string()),
        };
        let _ = self.tx.send(Message::Failed(e));
    }
}

/// The most cells outside the header a row's problem names.
const STRAY_CELLS_NAMED: usize = 3;
/// The most characters of a stray cell's value a row's problem quotes.
const STRAY_VALUE_CHARS: usize = 40;

/// Why a row with values outside the header's columns `first` to `last` is invalid, naming
/// the cells and their values: the record leaves them out, so the reason is where they show.
fn outside_problem(cells: &[(u32, String)], first: u32, last: u32, line: u64) -> Option<String> {
    let outside: Vec<&(u32, String)> = cells
        .iter()
        .filter(|(column, _)| *column < first || *column > last)
        .collect();
    if outside.is_empty() {
        return None;
    }
    let mut named: Vec<String> = outside
        .iter()
        .take(STRAY_CELLS_NAMED)
        .map(|(column, value)| {
            let mut shown: String = value.chars().take(STRAY_VALUE_CHARS).collect();
            if shown.len() < value.len() {
                shown.push_str("...");
            }
            format!("{}{line} ({shown:?})", column_name(*column))
        })
        .collect();
    if outside.len() > STRAY_CELLS_NAMED {
        named.push(format!("{} more", outside.len() - STRAY_CELLS_NAMED));
    }
    let columns = if first == last {
        format!("the header's column {}", column_name(first))
    } else {
        format!(
            "the header's columns {} to {}",
            column_name(first),
            column_name(last)
        )
    };
    Some(if outside.len() == 1 {
        format!(
            "the row has a value in {}, outside {columns}: clear it or give its column a header",
            named.join(", ")
        )
    } else {
        format!(
            "the row has values in {}, outside {columns}: clear them or give their columns a \
             header",
            named.join(", ")
        )
    })
}

/// The cells from column `first` to `last`, empty where the sheet has none.
fn record(cells: &[(u32, String)], first: u32, last: u32, line: u64, row: u64) -> ByteRecord {
    let mut record = ByteRecord::with_capacity(cells.iter().map(|c| c.1.len()).sum(), 0);
    let mut cells = cells.iter().peekable();
    for column in first..=last {
        while cells.next_if(|c| c.0 < column).is_some() {}
        match cells.next_if(|c| c.0 == column) {
            Some((_, text)) => record.push_field(text.as_bytes()),
            None => record.push_field(b""),
        }
    }
    let mut position = Position::new();
    position.set_line(line).set_record(row);
    record.set_position(Some(position));
    record
}

/// The spreadsheet's name of a 0-based column: A, B, ..., Z, AA, ...
fn column_name(column: u32) -> String {
    let mut n = column + 1;
    let mut name = Vec::new();
    while n > 0 {
        let digit = (n - 1) % 26;
        name.push(b'A' + digit as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_the_spreadsheet_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    /// Missing cells become empty ones, between the header's first and last column.
    #[test]
    fn records_fill_the_gaps() {
        let cells = vec![(1, "a".to_string()), (3, "c".to_string())];
        let got = record(&cells, 1, 4, 5, 2);
        let got: Vec<&[u8]> = got.iter().collect();
        assert_eq!(got, vec![&b"a"[..], b"", b"c", b""]);
    }
}
