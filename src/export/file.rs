//! The export's file: rows spooled to disk as the store is read, then written out whole under
//! the header they need, to a temporary file beside the target that is moved into place only
//! when it is complete.
//!
//! The header depends on every customer (the most shipping addresses and contacts any one has,
//! the extra fields any one fills), and the listing is read once, so the rows wait in a spool
//! file beside the target: one CSV record per customer, field name then value for each cell it
//! fills. Memory holds one row at a time, whatever the store's size.
//!
//! Cells are formula-safe as in the results file ([`formulas`]): a cell a spreadsheet would
//! evaluate gets a leading `'`, which the import takes off again. (A value that itself starts
//! with `'` before such a character, `'=x`, comes back without its `'`: the import takes one
//! `'` off there, whatever wrote it.) In a
//! workbook every cell is text (and every column formatted as text), so that phones with `+`,
//! postal codes with leading zeros and long ids are not turned into numbers.

use std::collections::HashMap;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};

use csv::StringRecord;
use tempfile::NamedTempFile;

use super::row::Cells;
use crate::customer::fields::Field;
use crate::input::formulas;
use crate::report::temp_files::TempFiles;

/// Rows a worksheet holds below its header.
pub(crate) const MAX_WORKBOOK_ROWS: u64 = 1_048_575;

/// The kind of file, by the output's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// `.xlsx` (any case) is a workbook; anything else CSV.
    pub(crate) fn of(path: &Path) -> Format {
        let xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if xlsx { Format::Xlsx } else { Format::Csv }
    }
}

/// The rows read so far, and what the header will need.
pub(crate) struct Spool {
    writer: csv::Writer<BufWriter<NamedTempFile>>,
    /// Customers spooled.
    pub(crate) rows: u64,
    addresses: usize,
    contacts: usize,
    /// Extra-field keys, in the order first met.
    extra_keys: Vec<String>,
    record: Vec<String>,
}

impl Spool {
    /// A spool beside `output`, listed in `temp_files` (it never is moved into place).
    pub(crate) fn create(output: &Path, temp_files: &TempFiles) -> io::Result<Self> {
        let file = temp_files.create(|| temp_beside(output, ".spool"))?;
        let writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(BufWriter::with_capacity(64 * 1024, file));
        Ok(Self {
            writer,
            rows: 0,
            addresses: 0,
            contacts: 0,
            extra_keys: Vec::new(),
            record: Vec::new(),
        })
    }

    pub(crate) fn add(&mut self, row: &Cells) -> io::Result<()> {
        self.addresses = self.addresses.max(row.addresses);
        self.contacts = self.contacts.max(row.contacts);
        self.record.clear();
        for (field, value) in &row.cells {
            if let Field::Extra(key) = field
                && !self.extra_keys.iter().any(|k| **k == **key)
            {
                self.extra_keys.push(key.to_string());
            }
            self.record.push(field.to_string());
            self.record.push(value.clone());
        }
        // A customer with no cell at all still is a row.
        if self.record.is_empty() {
            self.record.push(Field::Email.to_string());
            self.record.push(String::new());
        }
        self.writer.write_record(&self.record)?;
        self.rows += 1;
        Ok(())
    }

    /// The header: the canonical columns, with as many shipping addresses and contacts as a
    /// customer has (one at least, as `template` prints them) and a column per extra field
    /// filled (none for the template's example key).
    fn header(&self) -> Vec<String> {
        let mut header = Vec::new();
        for field in Field::canonical() {
            match field {
                Field::Shipping(0, f) => {
                    for at in 0..self.addresses.max(1) {
                        header.push((at, Field::Shipping(at, f)));
                    }
                }
                Field::Contact(0, f) => {
                    for at in 0..self.contacts.max(1) {
                        header.push((at, Field::Contact(at, f)));
                    }
                }
                Field::Extra(_) => {}
                other => header.push((0, other)),
            }
        }
        // Each list entry's fields together: shippingAddresses.0.*, then .1.*, ...
        header.sort_by_key(|(at, field)| match field {
            Field::Shipping(..) => (1, *at),
            Field::Contact(..) => (2, *at),
            _ => (0, 0),
        });
        let mut names: Vec<String> = header.iter().map(|(_, f)| f.to_string()).collect();
        names.extend(
            self.extra_keys
                .iter()
                .map(|k| Field::Extra(k.as_str().into()).to_string()),
        );
        names
    }

    /// Writes the file at `output` from the spool: to a temporary file beside it, moved into
    /// place once complete.
    pub(crate) fn finish(
        self,
        output: &Path,
        format: Format,
        temp_files: &TempFiles,
    ) -> io::Result<()> {
        let header = self.header();
        let spool = self
            .writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?
            .into_inner()
            .map_err(|e| e.into_error())?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(spool.path())?;
        let index: HashMap<&str, usize> = header
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let temp = temp_files.create(|| temp_beside(output, ".tmp"))?;
        let mut rows = Rows {
            reader: &mut reader,
            index: &index,
            record: StringRecord::new(),
            row: vec![String::new(); header.len()],
        };
        let temp = match format {
            Format::Csv => write_csv(temp, &header, &mut rows)?,
            Format::Xlsx => write_xlsx(temp, output, &header, &mut rows)?,
        };
        temp.as_file().sync_all()?;
        let path = temp.path().to_path_buf();
        temp.persist(output).map_err(|e| e.error)?;
        temp_files.forget(&path);
        // The spool goes with its handle.
        drop(spool);
        Ok(())
    }
}

/// The spooled rows, each laid out under the header.
struct Rows<'a> {
    reader: &'a mut csv::Reader<std::fs::File>,
    index: &'a HashMap<&'a str, usize>,
    record: StringRecord,
    row: Vec<String>,
}

impl Rows<'_> {
    /// The next row's cells, guarded; `None` at the end.
    fn next(&mut self) -> io::Result<Option<&[String]>> {
        if !self.reader.read_record(&mut self.record)? {
            return Ok(None);
        }
        for cell in &mut self.row {
            cell.clear();
        }
        let mut cells = self.record.iter();
        while let (Some(name), Some(value)) = (cells.next(), cells.next()) {
            if let Some(&at) = self.index.get(name) {
                guard(value, &mut self.row[at]);
            }
        }
        Ok(Some(&self.row))
    }
}

/// `value` into `into`, with a leading `'` where a spreadsheet would evaluate it.
fn guard(value: &str, into: &mut String) {
    if formulas::needs_guard(value.as_bytes()) {
        into.push('\'');
    }
    into.push_str(value);
}

fn write_csv(
    temp: NamedTempFile,
    header: &[String],
    rows: &mut Rows<'_>,
) -> io::Result<NamedTempFile> {
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(64 * 1024)
        .from_writer(temp);
    let mut guarded = String::new();
    for name in header {
        guarded.clear();
        guard(name, &mut guarded);
        writer.write_field(&guarded)?;
    }
    writer.write_record(None::<&[u8]>)?;
    while let Some(row) = rows.next()? {
        writer.write_record(row)?;
    }
    writer.into_inner().map_err(|e| e.into_error())
}

fn write_xlsx(
    mut temp: NamedTempFile,
    output: &Path,
    header: &[String],
    rows: &mut Rows<'_>,
) -> io::Result<NamedTempFile> {
    use rust_xlsxwriter::{Format as Look, Workbook};
    let failed = |e: rust_xlsxwriter::XlsxError| io::Error::other(e.to_string());
    let mut workbook = Workbook::new();
    workbook.set_tempdir(dir_of(output)).map_err(failed)?;
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(failed)?;
    sheet.set_name("Customers").map_err(failed)?;
    let text = Look::new().set_num_format("@");
    let bold = Look::new().set_num_format("@").set_bold();
    for (col, name) in header.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| io::Error::other("too many columns"))?;
        sheet.set_column_format(col, &text).map_err(failed)?;
        sheet
            .write_string_with_format(0, col, name, &bold)
            .map_err(failed)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    let mut at: u32 = 0;
    while let Some(row) = rows.next()? {
        at += 1;
        for (col, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let col = col as u16;
            sheet.write_string(at, col, cell).map_err(|e| {
                io::Error::other(format!(
                    "row {}, column {}: {e}",
                    at + 1,
                    header[col as usize]
                ))
            })?;
        }
    }
    workbook
        .save_to_writer(temp.as_file_mut())
        .map_err(failed)?;
    Ok(temp)
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A hidden temporary file beside `path`: `.customers.csv.XXXX<suffix>`.
fn temp_beside(path: &Path, suffix: &str) -> io::Result<NamedTempFile> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(suffix)
        .tempfile_in(dir_of(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::fields::{AddressField as A, ContactField as C};

    #[test]
    fn guards_what_a_spreadsheet_would_evaluate() {
        let guarded = |v: &str| {
            let mut s = String::new();
            guard(v, &mut s);
            s
        };
        assert_eq!(guarded("=1+2"), "'=1+2");
        assert_eq!(guarded("+49 30 1234"), "'+49 30 1234");
        assert_eq!(guarded("'s-Hertogenbosch"), "'s-Hertogenbosch");
        assert_eq!(guarded("-12.5"), "-12.5");
        assert_eq!(guarded("01234"), "01234");
        // What the import reads back: the cell without the one guard.
        for value in ["=1+2", "+49 30 1234", "'s-Hertogenbosch", "-fair"] {
            let cell = guarded(value);
            assert_eq!(formulas::unguard(&cell).unwrap_or(&cell), value);
        }
    }

    /// The header grows with the lists customers have, each entry's fields together, extra
    /// fields last; the template's example extra field is not among them.
    #[test]
    fn the_header_has_a_column_for_every_cell_spooled() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("c.csv");
        let temp_files = TempFiles::default();
        let mut spool = Spool::create(&output, &temp_files).unwrap();
        let row = Cells {
            cells: vec![
                (Field::Email, "a@example.com".into()),
                (Field::Shipping(1, A::City), "Berlin".into()),
                (Field::Contact(0, C::Type), "PHONE".into()),
                (Field::Extra("loyalty".into()), "7".into()),
            ],
            addresses: 2,
            contacts: 1,
            group_by_id: false,
        };
        spool.add(&row).unwrap();
        spool.add(&Cells::default()).unwrap();
        let header = spool.header();
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert!(at("shippingAddresses.0.phone") < at("shippingAddresses.1.name"));
        assert!(at("shippingAddresses.1.phone") < at("contacts.0.type"));
        assert_eq!(
            header.last().map(String::as_str),
            Some("extrafields.loyalty")
        );
        assert!(!header.iter().any(|h| h.contains("loyalty_id")));
        spool.finish(&output, Format::Csv, &temp_files).unwrap();
        let text = std::fs::read_to_string(&output).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().map(|l| l.split(',').count()),
            Some(header.len())
        );
        let first = lines.next().unwrap();
        assert!(first.starts_with("a@example.com,"), "{first}");
        assert!(
            first.contains(",Berlin,") && first.ends_with(",7"),
            "{first}"
        );
        assert!(lines.next().unwrap().chars().all(|c| c == ','));
        // Only the file is left: the spool and the temporary file are gone.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
