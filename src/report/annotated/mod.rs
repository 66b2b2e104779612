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
//! The `Rows` sheet is written row by row in `rust_xlsxwriter`'s constant-memory mode, to a
//! temporary file beside the report, so memory does not grow with the rows; what does is
//! bounded: the notes (at most [`MAX_NOTES`]; past that, cells are still highlighted and the
//! message column says it all) and the Summary's counts. The workbook is saved to a temporary
//! file and moved into place at the end, like the results file.

mod hints;
mod marks;
mod summary_sheet;

use std::io;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook, Worksheet, XlsxError};

use hints::Hinter;
pub(crate) use marks::Look;
use marks::{marks, merge};
use summary_sheet::Counted;
pub(crate) use summary_sheet::{ReportKind, SummaryFacts};

use super::results::temp_beside;
use super::summary::Summary;
use super::temp_files::TempFiles;
use crate::input::mapping::ColumnMap;
use crate::outcome::{RowOutcome, Status};

/// The most rows a sheet holds, the header's included (Excel's limit).
pub(crate) const SHEET_ROWS: u32 = 1_048_576;
/// Notes written at most: each is kept in memory until the workbook is saved.
pub(crate) const MAX_NOTES: u64 = 10_000;
/// The widest a column is made to fit its content, in characters.
const MAX_WIDTH: usize = 50;
/// The widest the message column is made.
const MAX_MESSAGE_WIDTH: usize = 80;
/// The longest text a cell holds (Excel's limit, in UTF-16 units; counted in characters here,
/// which is at most as many).
const MAX_CELL_CHARS: usize = 32_767;
/// The two columns the report puts first.
const REPORT_COLUMNS: [&str; 2] = ["status", "message"];

/// Writes the report as rows are recorded.
pub(crate) struct ReportWriter {
    workbook: Workbook,
    path: PathBuf,
    map: ColumnMap,
    formats: Formats,
    /// The sheet's next row (0 is the header).
    next_row: u32,
    limits: Limits,
    /// Rows recorded that did not fit in the sheet.
    left_out: u64,
    /// Leading columns of the input that an earlier report added: not written again.
    skip: usize,
    /// The widest content of each sheet column, in characters (capped).
    widths: Vec<usize>,
    notes: u64,
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

/// The looks of the sheet's cells.
struct Formats {
    header: Format,
    text: Format,
    bad: Format,
    changed: Format,
    created: Format,
}

impl Formats {
    fn new() -> Self {
        // Text (`@`): a value typed into the sheet stays as typed too.
        let text = Format::new().set_num_format("@");
        Self {
            header: Format::new()
                .set_bold()
                .set_num_format("@")
                .set_border_bottom(FormatBorder::Thin),
            bad: text
                .clone()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006)),
            changed: text
                .clone()
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_font_color(Color::RGB(0x9C5700)),
            created: text
                .clone()
                .set_background_color(Color::RGB(0xC6EFCE))
                .set_font_color(Color::RGB(0x006100)),
            text,
        }
    }
}

impl ReportWriter {
    /// Starts the report at `path`: the `Rows` sheet and its header. `headers` are the input's.
    pub(crate) fn create(
        path: &Path,
        map: ColumnMap,
        facts: SummaryFacts,
    ) -> Result<Self, XlsxError> {
        Self::with_limits(path, map, facts, Limits::default())
    }

    /// [`ReportWriter::create`] holding at most `limits`.
    pub(crate) fn with_limits(
        path: &Path,
        map: ColumnMap,
        facts: SummaryFacts,
        limits: Limits,
    ) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        workbook.set_tempdir(&dir)?;
        // The fastest deflate: compressing the sheet's XML took most of the report's time at
        // the default level (figures in BENCHMARKS.md), for a file a few tenths larger.
        workbook.set_zip_compression_level(1);
        let skip = map.report_columns();
        let mut writer = Self {
            workbook,
            path: path.to_path_buf(),
            formats: Formats::new(),
            next_row: 1,
            limits,
            left_out: 0,
            skip,
            widths: Vec::new(),
            notes: 0,
            counted: Counted::default(),
            facts,
            hinter: Hinter::new(&map),
            map,
        };
        writer.start()?;
        Ok(writer)
    }

    /// The `Rows` sheet with its header, frozen.
    fn start(&mut self) -> Result<(), XlsxError> {
        let names: Vec<String> = REPORT_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .chain(self.map.names().iter().skip(self.skip).cloned())
            .collect();
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Rows")?;
        sheet.set_freeze_panes(1, 0)?;
        for (col, name) in names.iter().enumerate() {
            // Text (`@`) for the whole column, set before any row: a cell written without a
            // format of its own takes it as its row is written, without the format lookup (a
            // hash of the whole format) that a cell's own format costs, the largest part of
            // the report's time.
            sheet.set_column_format(col as u16, &self.formats.text)?;
            sheet.write_string_with_format(0, col as u16, name, &self.formats.header)?;
        }
        self.widths = names.iter().map(|n| width(n)).collect();
        Ok(())
    }

    fn sheet(&mut self) -> Result<&mut Worksheet, XlsxError> {
        self.workbook.worksheet_from_index(0)
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
        self.write_row(outcome, &marks).map_err(io::Error::other)
    }

    fn write_row(&mut self, outcome: &RowOutcome, marks: &[marks::Mark]) -> Result<(), XlsxError> {
        let row = self.next_row;
        self.next_row += 1;
        let status_look = match outcome.status {
            Status::WouldCreate => Some(&self.formats.created),
            s if s.is_fixable() || s == Status::Duplicate => Some(&self.formats.bad),
            Status::WouldUpdate => Some(&self.formats.changed),
            _ => None,
        };
        let status = outcome.status.as_str();
        let mut pending_notes: Vec<(u16, String)> = Vec::new();
        let formats = &self.formats;
        let sheet = self.workbook.worksheet_from_index(0)?;
        match status_look {
            Some(look) => sheet.write_string_with_format(row, 0, status, look)?,
            None => sheet.write_string(row, 0, status)?,
        };
        let message = clip(&outcome.error);
        sheet.write_string(row, 1, message)?;
        let mut marks = marks.iter().peekable();
        for (i, cell) in outcome.record.iter().enumerate() {
            let mark = marks.next_if(|m| m.column == i);
            if i < self.skip {
                continue;
            }
            let col = (i - self.skip + REPORT_COLUMNS.len()) as u16;
            let text = String::from_utf8_lossy(cell);
            let text = clip(&text);
            match mark.map(|m| m.look) {
                Some(Look::Bad) => sheet.write_string_with_format(row, col, text, &formats.bad)?,
                Some(Look::Changed) => {
                    sheet.write_string_with_format(row, col, text, &formats.changed)?
                }
                _ => sheet.write_string(row, col, text)?,
            };
            if let Some(mark) = mark {
                pending_notes.push((col, mark.note.clone()));
            }
            let w = width(text);
            match self.widths.get_mut(col as usize) {
                Some(known) => *known = (*known).max(w),
                None => self.widths.resize(col as usize + 1, w),
            }
        }
        if outcome.status == Status::WouldCreate {
            pending_notes.push((0, "not in the store: the import would create it".into()));
        }
        self.widths[1] = self.widths[1].max(width(message).min(MAX_MESSAGE_WIDTH));
        for (col, text) in pending_notes {
            self.note(row, col, &text)?;
        }
        Ok(())
    }

    /// Adds a note, while fewer than the limit are written.
    fn note(&mut self, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
        if self.notes >= self.limits.notes {
            return Ok(());
        }
        self.notes += 1;
        let note = Note::new(clip_chars(text, MAX_CELL_CHARS - 100))
            .set_author("ecwid-import")
            .add_author_prefix(false)
            .set_width(360)
            .set_height(110);
        self.sheet()?.insert_note(row, col, &note)?;
        Ok(())
    }

    /// The rows written, how many did not fit, and the notes written.
    fn finish_rows(&mut self) -> Result<(), XlsxError> {
        let last_row = self.next_row.saturating_sub(1);
        let widths = std::mem::take(&mut self.widths);
        let sheet = self.sheet()?;
        for (col, w) in widths.iter().enumerate() {
            let cap = if col == 1 {
                MAX_MESSAGE_WIDTH
            } else {
                MAX_WIDTH
            };
            sheet.set_column_width(col as u16, (*w).clamp(8, cap) as f64 + 1.0)?;
        }
        sheet.autofilter(0, 0, last_row, 0)?;
        Ok(())
    }

    /// Writes the `Summary` sheet from the run's `summary`, saves the workbook to a temporary
    /// file beside the report and moves it into place.
    pub(crate) fn finish(mut self, summary: &Summary, temp_files: &TempFiles) -> io::Result<()> {
        if self.left_out > 0 {
            tracing::warn!(
                "the report's Rows sheet holds the first {} rows: a sheet holds at most {} rows, \
                 so {} rows are left out of it (the results file has every row)",
                self.next_row - 1,
                SHEET_ROWS,
                self.left_out
            );
        }
        self.finish_rows().map_err(io::Error::other)?;
        let facts = summary_sheet::Facts {
            summary,
            facts: &self.facts,
            counted: &self.counted,
            rows_in_sheet: u64::from(self.next_row - 1),
            left_out: self.left_out,
            notes: self.notes,
            max_notes: self.limits.notes,
            map: &self.map,
        };
        let sheet = self.workbook.add_worksheet();
        summary_sheet::write(sheet, &facts).map_err(io::Error::other)?;
        let temp = temp_files.create(|| temp_beside(&self.path))?;
        self.workbook
            .save_to_writer(temp.as_file())
            .map_err(io::Error::other)?;
        temp.as_file().sync_all()?;
        let temp_path = temp.path().to_path_buf();
        temp.persist(&self.path).map_err(|e| e.error)?;
        temp_files.forget(&temp_path);
        Ok(())
    }
}

/// The width of `text` in characters (bytes for ASCII), capped.
fn width(text: &str) -> usize {
    let widest_line = text.lines().map(str::len).max().unwrap_or(0);
    widest_line.min(MAX_MESSAGE_WIDTH)
}

/// `text`, cut to what a cell holds.
fn clip(text: &str) -> &str {
    clip_chars(text, MAX_CELL_CHARS)
}

fn clip_chars(text: &str, chars: usize) -> &str {
    if text.len() <= chars {
        return text;
    }
    match text.char_indices().nth(chars) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
