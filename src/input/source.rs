//! The input file, whatever its format: CSV ([`CsvInput`]) or a workbook ([`WorkbookInput`]).
//! Every stage after the reader takes rows from an [`Input`], so both formats go down one
//! pipeline; which one a file is, its content decides (a ZIP or OLE2 container is a workbook),
//! not its name.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use csv::ByteRecord;

use super::raw::{OpenError, RawRow};
use super::reader::CsvInput;
use super::workbook::{self, WorkbookInput};

/// How to read the input: the options `import`, `validate` and `plan` share.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    /// CSV only: the field delimiter (detected when `None`).
    pub delimiter: Option<u8>,
    /// CSV only: the encoding of a file without BOM (UTF-8 when `None`).
    pub encoding: Option<&'a str>,
    /// Workbooks only: the sheet's name or number (the first visible sheet when `None`).
    pub sheet: Option<&'a str>,
}

/// A streaming reader of the input's rows.
// One `Input` is made per pass over the file, so its size is of no account; boxing the CSV
// reader would put an indirection on the benchmarked path instead.
#[allow(clippy::large_enum_variant)]
pub enum Input {
    Csv(CsvInput),
    Workbook(WorkbookInput),
}

impl Input {
    /// Opens `path` as CSV or as a workbook, by its content.
    pub fn open(path: &Path, options: ReadOptions<'_>) -> Result<Self, OpenError> {
        if path.is_dir() {
            return Err(OpenError::Directory);
        }
        let mut start = Vec::with_capacity(8);
        File::open(path)?.take(8).read_to_end(&mut start)?;
        if workbook::is_workbook(&start) {
            return WorkbookInput::open(path, options.sheet).map(Input::Workbook);
        }
        if options.sheet.is_some() && !start.is_empty() {
            return Err(OpenError::SheetOfCsv);
        }
        CsvInput::open(path, options.delimiter, options.encoding).map(Input::Csv)
    }

    pub fn headers(&self) -> &ByteRecord {
        match self {
            Input::Csv(csv) => csv.headers(),
            Input::Workbook(book) => book.headers(),
        }
    }

    /// The next data record, or `None` at the end of the input.
    #[inline]
    pub fn next_row(&mut self) -> io::Result<Option<RawRow>> {
        match self {
            Input::Csv(csv) => csv.next_row(),
            Input::Workbook(book) => book.next_row(),
        }
    }

    /// The delimiter of the failed-rows file: the input's own for CSV, so that the file reads
    /// back as the input did; a comma for a workbook.
    pub(crate) fn delimiter(&self) -> u8 {
        match self {
            Input::Csv(csv) => csv.delimiter(),
            Input::Workbook(_) => b',',
        }
    }

    /// The sheet read, for a workbook.
    pub fn sheet(&self) -> Option<&str> {
        match self {
            Input::Csv(_) => None,
            Input::Workbook(book) => Some(book.sheet()),
        }
    }
}
