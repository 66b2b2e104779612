//! What every reader of the input gives the rest of the tool, CSV ([`super::reader`]) and
//! workbooks ([`super::workbook`]) alike: the rows as read, and why a file could not be opened.
//! Both readers stand on this module; neither needs the other for it.

use std::io;

use csv::ByteRecord;

/// The most bytes one row may hold: far beyond any real customer, small enough that one broken
/// quote cannot make the reader hold the whole file.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;

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
