//! The annotated report: a workbook people fix their spreadsheet from (`--report`; written by
//! default by `validate` and `plan`).
//!
//! Sheet `Rows` holds the input's own columns and cells in order, after a `status` and a
//! `message` column: each offending cell is highlighted and carries a note naming the rule and
//! a value that passes; in a plan, each cell the import would change is marked, with the
//! store's value in its note. Sheet `Summary` sums it up (see [`summary_sheet`]). Every cell is
//! written as text, as read: no number or date is reformatted, leading zeros, a phone's `+` and
//! long digit strings stay as typed, and nothing is ever a formula. The import reads the
//! `Rows` sheet back as it is: it ignores the leading `status` and `message` columns by name.
//!
//! The `Rows` sheet's cells are written as XML as each row is recorded (see [`sheet_xml`]) and
//! deflated on a thread of their own into an unnamed temporary file (see [`spool`]), so memory
//! does not grow with the rows; the notes' text is spooled the same way (see [`notes_xml`]).
//! What does grow is bounded: each note's cell (at most [`MAX_NOTES`]; past that, cells are
//! still highlighted and the message column says it all) and the Summary's counts. At the end
//! `rust_xlsxwriter` writes the rest of the workbook and the cells and notes are put in it
//! (see [`package`]); the workbook is saved to a temporary file and moved into place, like the
//! results file.

mod hints;
mod marks;
mod notes_xml;
mod package;
mod sheet_xml;
mod spool;
mod summary_sheet;
mod zip_out;

use std::borrow::Cow;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;

use hints::Hinter;
pub(crate) use marks::Look;
use marks::{marks, merge};
use notes_xml::NotesWriter;
use package::{Formats, RowsSheet};
use sheet_xml::{MAX_CELL_UNITS, RowXml, Styles, clip_units, column_letters};
use spool::{CHUNK, Spool};
use summary_sheet::Counted;
pub(crate) use summary_sheet::{ReportKind, SummaryFacts};

use super::results::temp_beside;
use super::summary::Summary;
use super::temp_files::TempFiles;
use crate::input::mapping::ColumnMap;
use crate::outcome::{RowOutcome, Status};

/// The most rows a sheet holds, the header's included (Excel's limit).
pub(crate) const SHEET_ROWS: u32 = 1_048_576;
/// Notes written at most: each one's cell is kept in memory until the workbook is saved.
pub(crate) const MAX_NOTES: u64 = 10_000;
/// The widest a column is made to fit its content, in characters.
const MAX_WIDTH: usize = 50;
/// The widest the message column is made.
const MAX_MESSAGE_WIDTH: usize = 80;
/// The most columns a sheet holds (Excel's limit): the input's columns past it are left out of
/// the Rows sheet (a warning says so; the results file has every cell).
pub(crate) const SHEET_COLUMNS: usize = 16_384;
/// The two columns the report puts first.
const REPORT_COLUMNS: [&str; 2] = ["status", "message"];

/// Writes the report as rows are recorded.
pub(crate) struct ReportWriter {
    path: PathBuf,
    map: ColumnMap,
    formats: Formats,
    styles: Styles,
    xml: RowXml,
    /// The sheet's XML not yet handed to the spool.
    buffer: Vec<u8>,
    spool: Spool,
    /// The sheet's next row (0 is the header).
    next_row: u32,
    limits: Limits,
    /// Rows recorded that did not fit in the sheet.
    left_out: u64,
    /// Leading columns of the input that an earlier report added: not written again.
    skip: usize,
    /// The widest content of each sheet column, in characters (capped).
    widths: Vec<usize>,
    /// Whether a row had cells past the sheet's last column.
    columns_left_out: bool,
    /// The notes, spooled as they come.
    notes: NotesWriter,
    counted: Counted,
    facts: SummaryFacts,
    hinter: Hinter,
}

/// How much the report holds: rows of the Rows sheet (the header's included) and notes.
/// [`SHEET_ROWS`] and [`MAX_NOTES`] but in tests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) rows: u32,
    pub(crate) notes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            rows: SHEET_ROWS,
            notes: MAX_NOTES,
        }
    }
}

impl ReportWriter {
    /// Starts the report at `path`: the `Rows` sheet and its header. `headers` are the input's.
    pub(crate) fn create(path: &Path, map: ColumnMap, facts: SummaryFacts) -> io::Result<Self> {
        Self::with_limits(path, map, facts, Limits::default())
    }

    /// [`ReportWriter::create`] holding at most `limits`.
    pub(crate) fn with_limits(
        path: &Path,
        map: ColumnMap,
        facts: SummaryFacts,
        limits: Limits,
    ) -> io::Result<Self> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let skip = map.report_columns();
        let names: Vec<String> = REPORT_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .chain(map.names().iter().skip(skip).cloned())
            .take(SHEET_COLUMNS)
            .collect();
        let widths: Vec<usize> = names.iter().map(|n| width(n)).collect();
        let formats = Formats::new();
        let styles = package::styles(&RowsSheet {
            formats: &formats,
            widths: &column_widths(&widths),
            last_row: 0,
        })?;
        let mut writer = Self {
            path: path.to_path_buf(),
            formats,
            styles,
            xml: RowXml::default(),
            buffer: Vec::with_capacity(CHUNK + CHUNK / 4),
            spool: Spool::start(&dir)?,
            next_row: 1,
            limits,
            left_out: 0,
            skip,
            widths,
            columns_left_out: false,
            notes: NotesWriter::new(&dir),
            counted: Counted::default(),
            facts,
            hinter: Hinter::new(&map),
            map,
        };
        writer.xml.start(&mut writer.buffer, 0);
        for (col, name) in names.iter().enumerate() {
            let header = writer.styles.header;
            writer
                .xml
                .text(&mut writer.buffer, col as u16, name, header, true);
        }
        RowXml::end(&mut writer.buffer);
        Ok(writer)
    }

    /// Writes one row: its status, message and cells, marked.
    pub(crate) fn write(&mut self, outcome: &RowOutcome) -> io::Result<()> {
        let (mut marks, broken) = marks(&self.map, outcome);
        marks.extend(self.hinter.hints(&outcome.record));
        merge(&mut marks);
        self.counted.add(outcome, &broken);
        if self.next_row >= self.limits.rows {
            self.left_out += 1;
            return Ok(());
        }
        self.write_row(outcome, &marks)?;
        if self.buffer.len() >= CHUNK {
            self.spool.send(&mut self.buffer)?;
        }
        Ok(())
    }

    fn write_row(&mut self, outcome: &RowOutcome, marks: &[marks::Mark]) -> io::Result<()> {
        let row = self.next_row;
        self.next_row += 1;
        let styles = self.styles;
        let status_style = match outcome.status {
            Status::WouldCreate => styles.created,
            s if s.is_fixable() || s == Status::Duplicate => styles.bad,
            Status::WouldUpdate => styles.changed,
            _ => styles.text,
        };
        let limit = self.limits.notes;
        if outcome.status == Status::WouldCreate {
            let note = "not in the store: the import would create it";
            add_note(&mut self.notes, limit, row, 0, note)?;
        }
        let out = &mut self.buffer;
        self.xml.start(out, row);
        self.xml
            .text(out, 0, outcome.status.as_str(), status_style, false);
        self.xml.text(out, 1, &outcome.error, styles.text, false);
        let mut marks = marks.iter().peekable();
        let record = &outcome.record;
        // The row checked as UTF-8 at once, each cell then a slice of it: checking each cell
        // on its own took 5 % of a run with the report (BENCHMARKS.md).
        let whole = simdutf8::basic::from_utf8(record.as_slice()).ok();
        for (i, cell) in record.iter().enumerate() {
            let mark = marks.next_if(|m| m.column == i);
            if i < self.skip {
                continue;
            }
            let col = i - self.skip + REPORT_COLUMNS.len();
            if col >= SHEET_COLUMNS {
                self.columns_left_out = true;
                break;
            }
            let col = col as u16;
            let text = match whole.zip(record.range(i)).and_then(|(w, at)| w.get(at)) {
                Some(text) => Cow::Borrowed(text),
                None => String::from_utf8_lossy(cell),
            };
            let (style, blank) = match mark.map(|m| m.look) {
                Some(Look::Bad) => (styles.bad, true),
                Some(Look::Changed) => (styles.changed, true),
                _ => (styles.text, false),
            };
            self.xml.text(out, col, &text, style, blank);
            if let Some(mark) = mark {
                add_note(&mut self.notes, limit, row, col, &mark.note)?;
            }
            let w = width(&text);
            match self.widths.get_mut(usize::from(col)) {
                Some(known) => *known = (*known).max(w),
                None => self.widths.resize(usize::from(col) + 1, w),
            }
        }
        RowXml::end(out);
        self.widths[1] = self.widths[1].max(width(&outcome.error).min(MAX_MESSAGE_WIDTH));
        Ok(())
    }

    /// Writes the `Summary` sheet from the run's `summary`, saves the workbook to a temporary
    /// file beside the report and moves it into place.
    pub(crate) fn finish(self, summary: &Summary, temp_files: &TempFiles) -> io::Result<()> {
        if self.left_out > 0 {
            tracing::warn!(
                "the report's Rows sheet holds the first {} rows: a sheet holds at most {} rows, \
                 so {} rows are left out of it (the results file has every row)",
                self.next_row - 1,
                SHEET_ROWS,
                self.left_out
            );
        }
        if self.columns_left_out {
            tracing::warn!(
                "the report's Rows sheet holds the first {} columns of the file: a sheet holds \
                 at most {SHEET_COLUMNS} columns, the report's status and message included, so \
                 the columns past them are left out of it (the results file has every cell)",
                SHEET_COLUMNS - REPORT_COLUMNS.len()
            );
        }
        let cells = self.spool.finish(self.buffer)?;
        let last_row = self.next_row - 1;
        let note_count = self.notes.len();
        let notes = self.notes.finish()?;
        let widths = column_widths(&self.widths);
        let mut workbook = Workbook::new();
        RowsSheet {
            formats: &self.formats,
            widths: &widths,
            last_row,
        }
        .add_to(&mut workbook)
        .map_err(io::Error::other)?;
        let facts = summary_sheet::Facts {
            summary,
            facts: &self.facts,
            counted: &self.counted,
            rows_in_sheet: u64::from(last_row),
            left_out: self.left_out,
            notes: note_count,
            max_notes: self.limits.notes,
            map: &self.map,
        };
        summary_sheet::write(workbook.add_worksheet(), &facts).map_err(io::Error::other)?;
        let template = workbook.save_to_buffer().map_err(io::Error::other)?;
        let dimension = format!(
            "A1:{}{}",
            column_letters(self.widths.len().max(1) - 1),
            last_row + 1
        );
        let temp = temp_files.create(|| temp_beside(&self.path))?;
        let out = BufWriter::with_capacity(CHUNK, temp.as_file());
        package::write(
            out,
            &template,
            cells,
            &dimension,
            self.styles,
            notes,
            &widths,
        )?;
        temp.as_file().sync_all()?;
        let temp_path = temp.path().to_path_buf();
        temp.persist(&self.path).map_err(|e| e.error)?;
        temp_files.forget(&temp_path);
        Ok(())
    }
}

/// Adds a note, while fewer than `limit` are written.
fn add_note(notes: &mut NotesWriter, limit: u64, row: u32, col: u16, text: &str) -> io::Result<()> {
    if notes.len() < limit {
        notes.add(row, col, clip_units(text, MAX_CELL_UNITS - 100))?;
    }
    Ok(())
}

/// The width of each column of the sheet, from the widest content of each.
fn column_widths(widths: &[usize]) -> Vec<f64> {
    widths
        .iter()
        .enumerate()
        .map(|(col, w)| {
            let cap = if col == 1 {
                MAX_MESSAGE_WIDTH
            } else {
                MAX_WIDTH
            };
            (*w).clamp(8, cap) as f64 + 1.0
        })
        .collect()
}

/// The width of `text` in characters (bytes for ASCII), capped.
fn width(text: &str) -> usize {
    let widest_line = if memchr::memchr(b'\n', text.as_bytes()).is_none() {
        text.len()
    } else {
        text.lines().map(str::len).max().unwrap_or(0)
    };
    widest_line.min(MAX_MESSAGE_WIDTH)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
