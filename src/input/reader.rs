//! Turns the input file into raw rows: transcoding, delimiter detection, RFC 4180 parsing, and
//! the row and line numbers that the results file reports.
//!
//! Records are parsed with `csv-core` rather than the `csv` crate's reader for two reasons.
//! Memory: a row larger than [`MAX_ROW_BYTES`] (say an unterminated quote that would swallow
//! the rest of the file) is not kept; its row becomes invalid and memory stays flat. Numbers:
//! every input byte passes through here, so the physical line where a record starts is counted
//! exactly (the `csv` crate's line numbers drift after quoted line breaks, CRLF line ends and
//! encoding trouble).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

use csv::{ByteRecord, Position};
use csv_core::ReadRecordResult;
use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;

/// How many bytes of the file's start are looked at to detect the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// The delimiters that are detected, in order of preference on a tie.
pub(crate) const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// The most bytes one row may hold: far beyond any real customer, small enough that one broken
/// quote cannot make the reader hold the whole file.
pub(crate) const MAX_ROW_BYTES: usize = 1024 * 1024;
/// The most cells one row may have.
const MAX_CELLS: usize = 10_000;

/// One data record as the file holds it.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// 1-based index of the data record (the header is not counted).
    pub row: u64,
    /// Physical line where the record starts (the header is line 1).
    pub(crate) line: u64,
    pub record: ByteRecord,
    /// Why the row cannot be used as read (too large, a NUL byte), if it cannot.
    pub(crate) problem: Option<String>,
}

/// A streaming reader of the input's rows.
pub struct CsvInput {
    source: BufReader<Box<dyn Read + Send>>,
    parser: csv_core::Reader,
    headers: ByteRecord,
    delimiter: u8,
    next_row: u64,
    /// Byte offset of the next unread input byte.
    offset: u64,
    /// Line breaks passed so far.
    lines: u64,
    /// Whether the last byte passed was a `\r`, whose `\n` may come in the next chunk.
    after_cr: bool,
    output: Vec<u8>,
    ends: Vec<usize>,
}

/// Why the input could not be opened as CSV.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("the file is empty: it needs a header row naming the columns")]
    Empty,
    #[error("the file has no header row (only a byte order mark or blank lines)")]
    NoHeader,
    #[error("this is a folder, not a file: give the path of the CSV file")]
    Directory,
    /// A ZIP or OLE2 container that calamine cannot read as a workbook.
    #[error(
        "this is an Excel workbook or another ZIP/OLE2 file that cannot be read ({0}): open it \
         in Excel and use File > Save As > \"Excel Workbook (.xlsx)\" or \"CSV UTF-8 (Comma \
         delimited)\""
    )]
    Workbook(String),
    #[error(
        "this {format} workbook would take about {cost_mib} MiB of memory to read{cells}, more \
         than the {budget_mib} MiB allowed ({format} files are loaded whole): save it as .xlsx \
         (read row by row) or as CSV UTF-8"
    )]
    WorkbookTooLarge {
        format: &'static str,
        cost_mib: u64,
        budget_mib: u64,
        /// ` for its N cells, ...` when the cells were counted (`.ods`), else empty.
        cells: String,
    },
    /// A workbook's sheet without a non-blank row.
    #[error(
        "the sheet {0:?} is blank: it needs a header row naming the columns (choose another \
         sheet with --sheet NAME or --sheet N)"
    )]
    BlankSheet(String),
    /// An error value (`#REF!`) in a workbook's header row: its text is no column's name.
    #[error(
        "cell {cell} of the header row holds the error {error} (a formula that could not be \
         computed), not a column name: type the column's name in that cell, save the workbook \
         and run again"
    )]
    HeaderErrorValue { cell: String, error: String },
    /// An `.ods` sheet whose values go past the rows or columns that can be loaded.
    #[error(
        "the sheet {sheet:?} has values past row 1,048,576 or column 16,384 (a row or a cell \
         repeated past them), which would be left out: remove those rows or columns, or the \
         repetition, in a spreadsheet application and save the workbook again"
    )]
    OdsPastLimits { sheet: String },
    #[error(
        "the workbook has no sheet {wanted:?}: its sheets are {sheets} (give --sheet a name or a number)"
    )]
    NoSuchSheet { wanted: String, sheets: String },
    #[error(
        "--sheet applies to workbooks only (.xlsx, .xlsm, .xlsb, .xls, .ods): this file is CSV"
    )]
    SheetOfCsv,
    #[error("this is a web page (HTML), not CSV: download the export file itself")]
    Html,
    #[error("unknown encoding {0:?}: use a label such as windows-1252, latin1, utf-16le or utf-8")]
    UnknownEncoding(String),
    #[error(
        "the header row is larger than {} bytes: check that the file is CSV",
        MAX_ROW_BYTES
    )]
    HugeHeader,
}

impl CsvInput {
    /// Opens `path`. UTF-8 (with or without BOM) and UTF-16 with BOM are recognised; `encoding`
    /// names the encoding of a file without BOM. `delimiter` overrides detection.
    pub fn open(
        path: &Path,
        delimiter: Option<u8>,
        encoding: Option<&str>,
    ) -> Result<Self, OpenError> {
        if path.is_dir() {
            return Err(OpenError::Directory);
        }
        let mut file = File::open(path)?;
        let mut start = Vec::with_capacity(512);
        (&mut file).take(512).read_to_end(&mut start)?;
        if start.is_empty() {
            return Err(OpenError::Empty);
        }
        refuse_other_formats(&start)?;
        let encoding = encoding
            .map(|label| {
                Encoding::for_label(label.trim().as_bytes())
                    .ok_or_else(|| OpenError::UnknownEncoding(label.to_string()))
            })
            .transpose()?;
        let decoded = DecodeReaderBytesBuilder::new()
            .encoding(encoding)
            .bom_sniffing(true)
            .utf8_passthru(true)
            .strip_bom(true)
            .build(Cursor::new(start).chain(file));
        Self::from_reader(Box::new(decoded), delimiter)
    }

    /// Reads CSV from any byte source (already UTF-8).
    pub fn from_reader(
        mut source: Box<dyn Read + Send>,
        delimiter: Option<u8>,
    ) -> Result<Self, OpenError> {
        let head = read_head(&mut source)?;
        let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&head));
        let source: Box<dyn Read + Send> = Box::new(Cursor::new(head).chain(source));
        let mut input = Self {
            source: BufReader::with_capacity(64 * 1024, source),
            parser: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            headers: ByteRecord::new(),
            delimiter,
            next_row: 1,
            offset: 0,
            lines: 0,
            after_cr: false,
            output: Vec::new(),
            ends: Vec::new(),
        };
        match input.read_record()? {
            None => Err(OpenError::NoHeader),
            Some((_, true)) => Err(OpenError::HugeHeader),
            Some((headers, false)) => {
                input.headers = headers;
                Ok(input)
            }
        }
    }

    pub fn headers(&self) -> &ByteRecord {
        &self.headers
    }

    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The next data record, or `None` at the end of the file.
    pub fn next_row(&mut self) -> io::Result<Option<RawRow>> {
        let Some((record, too_large)) = self.read_record()? else {
            return Ok(None);
        };
        let row = self.next_row;
        self.next_row += 1;
        let line = record.position().map_or(0, Position::line);
        let problem = if too_large {
            Some(format!(
                "the row is larger than {} KiB: a quote is probably missing its closing \
                 partner, so this row runs into the following lines",
                MAX_ROW_BYTES / 1024
            ))
        } else if memchr::memchr(0, record.as_slice()).is_some() {
            Some(
                "the row holds NUL bytes: the file may be UTF-16 without a byte order mark \
                 (try --encoding utf-16le) or not a text file"
                    .into(),
            )
        } else {
            None
        };
        Ok(Some(RawRow {
            row,
            line,
            record,
            problem,
        }))
    }

    /// Parses one record; `true` when it was too large and only its start was kept.
    fn read_record(&mut self) -> io::Result<Option<(ByteRecord, bool)>> {
        if !self.skip_line_ends()? {
            return Ok(None);
        }
        let mut position = Position::new();
        position.set_byte(self.offset).set_line(self.lines + 1);
        position.set_record(self.next_row.saturating_sub(1));
        // The buffers keep their size from row to row: clearing and refilling them with zeros
        // for every row was a sizeable part of a dry run's work (the figure is in BENCHMARKS.md).
        if self.output.len() < 4096 {
            self.output.resize(4096, 0);
            self.ends.resize(64, 0);
        }
        let (mut out_len, mut ends_len, mut too_large) = (0, 0, false);
        loop {
            let input = self.source.fill_buf()?;
            let (result, read, written, ended) = self.parser.read_record(
                input,
                &mut self.output[out_len..],
                &mut self.ends[ends_len..],
            );
            self.lines += count_breaks(&input[..read], &mut self.after_cr);
            self.source.consume(read);
            self.offset += read as u64;
            // `csv-core` counts field ends from the record's start, across calls.
            out_len += written;
            ends_len += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull if self.output.len() < MAX_ROW_BYTES => {
                    let grown = (self.output.len() * 2).min(MAX_ROW_BYTES);
                    self.output.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull if self.ends.len() < MAX_CELLS => {
                    let grown = (self.ends.len() * 2).min(MAX_CELLS);
                    self.ends.resize(grown, 0);
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                    // Keep parsing to find the record's end, but keep none of it.
                    too_large = true;
                    out_len = 0;
                    ends_len = 0;
                }
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return Ok(None),
            }
        }
        let mut record = ByteRecord::with_capacity(out_len, ends_len);
        if !too_large {
            let mut start = 0;
            for &end in &self.ends[..ends_len] {
                record.push_field(&self.output[start..end]);
                start = end;
            }
        }
        record.set_position(Some(position));
        Ok(Some((record, too_large)))
    }

    /// Steps over line breaks before a record (blank lines are no records), counting them;
    /// `false` at the end of the input.
    fn skip_line_ends(&mut self) -> io::Result<bool> {
        loop {
            let input = self.source.fill_buf()?;
            if input.is_empty() {
                return Ok(false);
            }
            let skip = input
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            self.lines += count_breaks(&input[..skip], &mut self.after_cr);
            self.source.consume(skip);
            self.offset += skip as u64;
            if skip == 0 {
                return Ok(true);
            }
        }
    }
}

/// Counts the line breaks in `bytes`: `\n`, `\r\n` (once) and a lone `\r` (files saved as
/// "CSV (Macintosh)"). `after_cr` carries a `\r` that ended the previous chunk.
fn count_breaks(bytes: &[u8], after_cr: &mut bool) -> u64 {
    let mut breaks = 0;
    for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let after_cr = if at == 0 {
            *after_cr
        } else {
            bytes[at - 1] == b'\r'
        };
        if bytes[at] == b'\r' || !after_cr {
            breaks += 1;
        }
    }
    if let Some(&last) = bytes.last() {
        *after_cr = last == b'\r';
    }
    breaks
}

/// Refuses files that are plainly not CSV, with what to do instead.
fn refuse_other_formats(start: &[u8]) -> Result<(), OpenError> {
    if super::workbook::is_workbook(start) {
        return Err(OpenError::Workbook(
            "read it with the workbook reader, not as CSV".into(),
        ));
    }
    let text = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    let text: Vec<u8> = text
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(15)
        .map(u8::to_ascii_lowercase)
        .collect();
    if text.starts_with(b"<!doctype html") || text.starts_with(b"<html") {
        return Err(OpenError::Html);
    }
    Ok(())
}

/// Reads up to [`SNIFF_BYTES`] from the start of the source.
fn read_head(source: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    source.take(SNIFF_BYTES as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// The delimiter that occurs most often outside quotes in the header line; `,` when none does.
pub(crate) fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &byte in head {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == byte) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    // On a tie the earlier delimiter wins: `max_by_key` keeps the last maximum, so go backwards.
    let best = (0..DELIMITERS.len()).rev().max_by_key(|&i| counts[i]);
    match best {
        Some(i) if counts[i] > 0 => DELIMITERS[i],
        _ => b',',
    }
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;
