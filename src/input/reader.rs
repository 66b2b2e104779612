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

use super::raw::{MAX_ROW_BYTES, OpenError, RawRow};

/// How many bytes of the file's start are looked at to detect the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// The delimiters that are detected, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// The most cells one row may have.
const MAX_CELLS: usize = 10_000;

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
