//! The results file (one row per input row, in input order) and the failed-rows file (the
//! original cells of every `invalid` and `failed` row, ready to fix and import again).
//!
//! Both are written to a temporary file in the destination's folder and moved into place at the
//! end, so the file at the output path is always complete: a crash leaves the previous file, or
//! none, never half of one. The temporary files are listed in the run's [`TempFiles`], so that a
//! second Ctrl-C removes them too.

use std::io;
use std::path::{Path, PathBuf};

use csv::ByteRecord;
use tempfile::NamedTempFile;

use super::temp_files::TempFiles;
use crate::outcome::RowOutcome;

/// The results file's columns, in order.
pub(crate) const RESULT_COLUMNS: [&str; 8] = [
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
pub(crate) struct ResultsWriter {
    results: csv::Writer<NamedTempFile>,
    failed: csv::Writer<NamedTempFile>,
    output: PathBuf,
    failed_output: PathBuf,
    temp_files: TempFiles,
}

impl ResultsWriter {
    /// Starts both files, listed in `temp_files` until they are in place. The failed-rows file
    /// gets the input's header and delimiter.
    pub(crate) fn create(
        output: &Path,
        failed_output: &Path,
        input_headers: &ByteRecord,
        delimiter: u8,
        temp_files: &TempFiles,
    ) -> io::Result<Self> {
        let mut results = csv::WriterBuilder::new()
            .buffer_capacity(BUFFER)
            .from_writer(temp_files.create(|| temp_beside(output))?);
        results.write_record(RESULT_COLUMNS)?;
        // Flexible: an invalid row may have more or fewer cells than the header.
        let mut failed = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .buffer_capacity(BUFFER)
            .from_writer(temp_files.create(|| temp_beside(failed_output))?);
        failed.write_byte_record(input_headers)?;
        Ok(Self {
            results,
            failed,
            output: output.to_path_buf(),
            failed_output: failed_output.to_path_buf(),
            temp_files: temp_files.clone(),
        })
    }

    pub(crate) fn write(&mut self, outcome: &RowOutcome) -> io::Result<()> {
        // Field by field, numbers formatted on the stack: no allocation a row.
        let mut digits = Digits::default();
        let results = &mut self.results;
        results.write_field(digits.of(Some(outcome.row)))?;
        results.write_field(digits.of(Some(outcome.line)))?;
        results.write_field(&outcome.email)?;
        results.write_field(outcome.status.as_str())?;
        results.write_field(digits.of(outcome.customer_id))?;
        results.write_field(digits.of(outcome.http_status.map(u64::from)))?;
        results.write_field(digits.of(Some(u64::from(outcome.attempts))))?;
        results.write_field(&outcome.error)?;
        results.write_record(None::<&[u8]>)?;
        // A row too large to keep has no cells left to write: the results file lists it.
        if outcome.status.is_fixable() && !outcome.record.is_empty() {
            self.failed.write_byte_record(&outcome.record)?;
        }
        Ok(())
    }

    /// Flushes both files to disk and moves them into place.
    pub(crate) fn finish(self) -> io::Result<()> {
        persist(self.results, &self.output, &self.temp_files)?;
        persist(self.failed, &self.failed_output, &self.temp_files)
    }
}

/// Bytes buffered before a write to each file.
const BUFFER: usize = 64 * 1024;

/// Room to write one number in decimal.
#[derive(Default)]
struct Digits([u8; 20]);

impl Digits {
    /// `n` in decimal, or nothing for `None`.
    fn of(&mut self, n: Option<u64>) -> &[u8] {
        let Some(mut n) = n else { return &[] };
        let mut start = self.0.len();
        loop {
            start -= 1;
            self.0[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                return &self.0[start..];
            }
        }
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

fn persist(
    writer: csv::Writer<NamedTempFile>,
    path: &Path,
    temp_files: &TempFiles,
) -> io::Result<()> {
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.as_file().sync_all()?;
    let temp = file.path().to_path_buf();
    file.persist(path).map_err(|e| e.error)?;
    temp_files.forget(&temp);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_decimal_and_none_is_empty() {
        let mut digits = Digits::default();
        for n in [0, 7, 10, 409, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(digits.of(Some(n)), n.to_string().as_bytes());
        }
        assert_eq!(digits.of(None), b"");
    }
}
