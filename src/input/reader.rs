//! Turns the input file into raw rows: transcoding, delimiter detection, RFC 4180 parsing, and
//! the row and line numbers that the results file reports.
//!
//! Numbers are counted here rather than taken from the `csv` crate, whose line numbers drift
//! after quoted line breaks and encoding trouble: every `\r` and `\n` byte the parser is fed is
//! noted, and a record's line is one more than the line breaks before its first byte. The
//! position the `csv` crate gives a record is where parsing began, which can be before the
//! record's first byte: on the `\n` of the previous record's CRLF, or on blank lines it skips.
//! No record starts with `\r` or `\n`, so those are stepped over first.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;

use csv::ByteRecord;
use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;

/// How many bytes of the file's start are looked at to detect the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// The delimiters that are detected, in order of preference on a tie.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// One data record as the file holds it.
#[derive(Debug, Clone)]
pub struct RawRow {
    /// 1-based index of the data record (the header is not counted).
    pub row: u64,
    /// Physical line where the record starts (the header is line 1).
    pub line: u64,
    pub record: ByteRecord,
}

/// A streaming reader of the input's rows.
pub struct CsvInput {
    reader: csv::Reader<LineCounter<Box<dyn Read + Send>>>,
    headers: ByteRecord,
    delimiter: u8,
    next_row: u64,
    record: ByteRecord,
}

/// Why the input could not be opened as CSV.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("the file is empty: it needs a header row naming the columns")]
    Empty,
    #[error("unknown encoding {0:?}: use a label such as windows-1252, latin1, utf-16le or utf-8")]
    UnknownEncoding(String),
}

impl CsvInput {
    /// Opens `path`. UTF-8 (with or without BOM) and UTF-16 with BOM are recognised; `encoding`
    /// names the encoding of a file without BOM. `delimiter` overrides detection.
    pub fn open(
        path: &Path,
        delimiter: Option<u8>,
        encoding: Option<&str>,
    ) -> Result<Self, OpenError> {
        let file = File::open(path)?;
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
            .build(file);
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
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(LineCounter::new(source));
        let mut headers = ByteRecord::new();
        if !reader
            .read_byte_record(&mut headers)
            .map_err(io::Error::other)?
        {
            return Err(OpenError::Empty);
        }
        Ok(Self {
            reader,
            headers,
            delimiter,
            next_row: 1,
            record: ByteRecord::new(),
        })
    }

    pub fn headers(&self) -> &ByteRecord {
        &self.headers
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The next data record, or `None` at the end of the file.
    pub fn next_row(&mut self) -> io::Result<Option<RawRow>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => return Ok(None),
            Err(e) => return Err(io::Error::other(e)),
        }
        let start = self.record.position().map_or(0, |p| p.byte());
        let line = 1 + self.reader.get_mut().lines_before(start);
        let row = self.next_row;
        self.next_row += 1;
        Ok(Some(RawRow {
            row,
            line,
            record: self.record.clone(),
        }))
    }
}

/// Reads up to [`SNIFF_BYTES`] from the start of the source.
fn read_head(source: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    source.take(SNIFF_BYTES as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// The delimiter that occurs most often outside quotes in the header line; `,` when none does.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
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

/// Notes the offset of every `\r` and `\n` that passes through, for [`CsvInput`]'s line
/// numbers. It holds only the ones not yet passed by the parser: memory stays flat.
struct LineCounter<R> {
    inner: R,
    offset: u64,
    /// Offset of each `\r` or `\n` not yet passed, and whether it is a `\n`.
    breaks: VecDeque<(u64, bool)>,
    counted: u64,
}

impl<R> LineCounter<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            breaks: VecDeque::new(),
            counted: 0,
        }
    }

    /// How many line breaks stand before the record whose parse began at byte `offset`: the
    /// `\n`s before it, and those of the line ends and blank lines the parser skips from
    /// `offset` on before the record's first byte (offsets only ever grow).
    fn lines_before(&mut self, offset: u64) -> u64 {
        let mut start = offset;
        while let Some(&(at, is_lf)) = self.breaks.front() {
            if at == start {
                start += 1;
            } else if at > start {
                break;
            }
            self.breaks.pop_front();
            if is_lf {
                self.counted += 1;
            }
        }
        self.counted
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let base = self.offset;
        self.breaks.extend(
            memchr::memchr2_iter(b'\r', b'\n', &buf[..n])
                .map(|i| (base + i as u64, buf[i] == b'\n')),
        );
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(u64, u64, Vec<String>)> {
        let mut input =
            CsvInput::from_reader(Box::new(Cursor::new(text.to_string())), None).expect("opens");
        let mut out = Vec::new();
        while let Some(r) = input.next_row().expect("reads") {
            let cells = r
                .record
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned());
            out.push((r.row, r.line, cells.collect()));
        }
        out
    }

    #[test]
    fn counts_rows_and_physical_lines_across_quoted_breaks_and_blank_lines() {
        let text = "a,b\n1,\"x\ny\nz\"\n\n2,3\r\n\"4\",\"5\"\n";
        let got: Vec<(u64, u64)> = rows(text).iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(got, vec![(1, 2), (2, 6), (3, 7)]);
    }

    #[test]
    fn counts_lines_of_crlf_files_with_blank_lines() {
        let text = "a,b\r\n1,2\r\n\r\n\n3,\"x\r\ny\"\r\n\r\n4,5\r\n";
        let got: Vec<(u64, u64)> = rows(text).iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(got, vec![(1, 2), (2, 5), (3, 8)]);
    }

    #[test]
    fn header_with_a_line_break_pushes_the_first_line_down() {
        let got = rows("\"a\nA\",b\n1,2\n");
        assert_eq!((got[0].0, got[0].1), (1, 3));
    }

    #[test]
    fn sniffs_each_delimiter_outside_quotes() {
        assert_eq!(sniff_delimiter(b"email;name;city\n"), b';');
        assert_eq!(sniff_delimiter(b"email\tname\n"), b'\t');
        assert_eq!(sniff_delimiter(b"email|name|x,y\n"), b'|');
        assert_eq!(sniff_delimiter(b"\"a;b;c\",d\n"), b',');
        assert_eq!(sniff_delimiter(b"email\n"), b',');
        assert_eq!(sniff_delimiter(b""), b',');
    }

    #[test]
    fn semicolon_file_reads_with_detected_delimiter() {
        let got = rows("email;name\nann@example.com;Ann\n");
        assert_eq!(got[0].2, vec!["ann@example.com", "Ann"]);
    }

    #[test]
    fn empty_input_is_refused() {
        let err = CsvInput::from_reader(Box::new(Cursor::new(Vec::new())), None).err();
        assert!(matches!(err, Some(OpenError::Empty)));
    }
}
