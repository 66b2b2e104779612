//! The results file (one row per input row, in input order) and the failed-rows file (the
//! original cells of every `invalid` and `failed` row, ready to fix and import again).
//!
//! Both are written to a temporary file in the destination's folder and moved into place at the
//! end, so the file at the output path is always complete: a crash leaves the previous file, or
//! none, never half of one.

use std::io;
use std::path::{Path, PathBuf};

use csv::ByteRecord;
use tempfile::NamedTempFile;

use crate::import::outcome::RowOutcome;

/// The results file's columns, in order.
pub const RESULT_COLUMNS: [&str; 8] = [
    "row",
    "line",
    "email",
    "status",
    "customer_id",
    "http_status",
    "attempts",
    "error",
];

/// Writes both files as rows finish.
pub struct ResultsWriter {
    results: csv::Writer<NamedTempFile>,
    failed: csv::Writer<NamedTempFile>,
    output: PathBuf,
    failed_output: PathBuf,
}

impl ResultsWriter {
    /// Starts both files. The failed-rows file gets the input's header and delimiter.
    pub fn create(
        output: &Path,
        failed_output: &Path,
        input_headers: &ByteRecord,
        delimiter: u8,
    ) -> io::Result<Self> {
        let mut results = csv::Writer::from_writer(temp_beside(output)?);
        results.write_record(RESULT_COLUMNS)?;
        // Flexible: an invalid row may have more or fewer cells than the header.
        let mut failed = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_writer(temp_beside(failed_output)?);
        failed.write_byte_record(input_headers)?;
        Ok(Self {
            results,
            failed,
            output: output.to_path_buf(),
            failed_output: failed_output.to_path_buf(),
        })
    }

    pub fn write(&mut self, outcome: &RowOutcome) -> io::Result<()> {
        let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        self.results.write_record([
            outcome.row.to_string().as_str(),
            &outcome.line.to_string(),
            &outcome.email,
            outcome.status.as_str(),
            &number(outcome.customer_id),
            &number(outcome.http_status.map(u64::from)),
            &outcome.attempts.to_string(),
            &outcome.error,
        ])?;
        // A row too large to keep has no cells left to write: the results file lists it.
        if outcome.status.is_fixable() && !outcome.record.is_empty() {
            self.failed.write_byte_record(&outcome.record)?;
        }
        Ok(())
    }

    /// Flushes both files to disk and moves them into place.
    pub fn finish(self) -> io::Result<()> {
        persist(self.results, &self.output)?;
        persist(self.failed, &self.failed_output)
    }
}

fn temp_beside(path: &Path) -> io::Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
}

fn persist(writer: csv::Writer<NamedTempFile>, path: &Path) -> io::Result<()> {
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}
