//! The results file (one row per input row, in input order) and the failed-rows file (the
//! original cells of every `invalid` and `failed` row, ready to fix and import again).
//!
//! Both are written to a temporary file in the destination's folder and moved into place at the
//! end, so the file at the output path is always complete: a crash leaves the previous file, or
//! none, never half of one. The temporary files are listed in the run's [`TempFiles`], so that a
//! second Ctrl-C removes them too.
//!
//! Merchants open both in a spreadsheet, so every cell that one would evaluate as a formula
//! (see [`formulas`]) is written with a leading `'`: the email, the error, and each original
//! cell and header name of the failed-rows file. The import removes that `'` again.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use csv::ByteRecord;
use tempfile::NamedTempFile;

use super::temp_files::TempFiles;
use crate::input::formulas;
use crate::outcome::{RowOutcome, Status};

/// The results file's columns, in order.
const RESULT_COLUMNS: [&str; 8] = [
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
    /// Room to put the guard before a cell, kept across rows.
    guarded: Vec<u8>,
    /// In an orders export, the buyers (lower-cased emails) whose row went to the failed-rows
    /// file: their `merged` rows follow it there, so that the fixed file makes the same
    /// customer from all of the buyer's rows again. `None` for other files.
    failed_buyers: Option<HashSet<String>>,
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
        let mut guarded = Vec::new();
        write_guarded_record(&mut failed, input_headers, &mut guarded)?;
        Ok(Self {
            results,
            failed,
            output: output.to_path_buf(),
            failed_output: failed_output.to_path_buf(),
            temp_files: temp_files.clone(),
            guarded,
            failed_buyers: None,
        })
    }

    /// The same writer for an orders export: a `merged` row whose buyer's row failed goes to
    /// the failed-rows file with it.
    pub(crate) fn for_orders(mut self) -> Self {
        self.failed_buyers = Some(HashSet::new());
        self
    }

    pub(crate) fn write(&mut self, outcome: &RowOutcome) -> io::Result<()> {
        let guarded = &mut self.guarded;
        write_row(&mut self.results, outcome, guarded)?;
        // A row too large to keep has no cells left to write: the results file lists it.
        let buyer = || outcome.email.trim().to_lowercase();
        let fixable = match &mut self.failed_buyers {
            Some(failed) if outcome.status.is_fixable() => {
                // An invalid row is no buyer's first row: merged rows never join it.
                if matches!(outcome.status, Status::Failed | Status::WouldFail) {
                    failed.insert(buyer());
                }
                true
            }
            Some(failed) => outcome.status == Status::Merged && failed.contains(&buyer()),
            None => outcome.status.is_fixable(),
        };
        if fixable && !outcome.record.is_empty() {
            write_guarded_record(&mut self.failed, &outcome.record, guarded)?;
        }
        Ok(())
    }

    /// Adds `notes` (by row number) to the `error` cell of those rows, once every row is
    /// written and before the file is moved into place: the file, written as rows finished, is
    /// read again from its temporary copy and written once more beside it with the notes (the
    /// read-back's, which can only come after the last write). Nothing is done for no notes.
    pub(crate) fn add_notes(&mut self, notes: &BTreeMap<u64, String>) -> io::Result<()> {
        if notes.is_empty() {
            return Ok(());
        }
        self.results.flush()?;
        let written = self.results.get_ref().reopen()?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(io::BufReader::new(written));
        let mut again = csv::WriterBuilder::new()
            .buffer_capacity(BUFFER)
            .from_writer(self.temp_files.create(|| temp_beside(&self.output))?);
        let mut record = ByteRecord::new();
        let error_at = RESULT_COLUMNS.len() - 1;
        while reader.read_byte_record(&mut record)? {
            let row = std::str::from_utf8(&record[0])
                .ok()
                .and_then(|r| r.parse().ok());
            let Some(note) = row.and_then(|row: u64| notes.get(&row)) else {
                again.write_byte_record(&record)?;
                continue;
            };
            for cell in record.iter().take(error_at) {
                again.write_field(cell)?;
            }
            let error = record.get(error_at).unwrap_or_default();
            let mut cell = error.to_vec();
            if !cell.is_empty() {
                cell.extend_from_slice(b"; ");
            }
            cell.extend_from_slice(note.as_bytes());
            if error.is_empty() {
                write_guarded(&mut again, &cell, &mut self.guarded)?;
            } else {
                // Already guarded where it starts.
                again.write_field(&cell)?;
            }
            again.write_record(None::<&[u8]>)?;
        }
        let before = std::mem::replace(&mut self.results, again);
        let before = before.into_inner().map_err(|e| e.into_error())?;
        self.temp_files.forget(before.path());
        before.close()
    }

    /// Flushes both files to disk and moves them into place.
    pub(crate) fn finish(self) -> io::Result<()> {
        persist(self.results, &self.output, &self.temp_files)?;
        persist(self.failed, &self.failed_output, &self.temp_files)
    }
}

/// A results file alone, with the same columns (`undo`'s): written elsewhere and moved into
/// place whole.
pub(crate) fn write_results(
    output: &Path,
    outcomes: &[RowOutcome],
    temp_files: &TempFiles,
) -> io::Result<()> {
    let mut results = csv::WriterBuilder::new()
        .buffer_capacity(BUFFER)
        .from_writer(temp_files.create(|| temp_beside(output))?);
    results.write_record(RESULT_COLUMNS)?;
    let mut guarded = Vec::new();
    for outcome in outcomes {
        write_row(&mut results, outcome, &mut guarded)?;
    }
    persist(results, output, temp_files)
}

/// One row of the results file.
fn write_row<W: io::Write>(
    results: &mut csv::Writer<W>,
    outcome: &RowOutcome,
    guarded: &mut Vec<u8>,
) -> io::Result<()> {
    // Field by field, numbers formatted on the stack: no allocation a row.
    let mut digits = Digits::default();
    results.write_field(digits.of(Some(outcome.row)))?;
    results.write_field(digits.of(Some(outcome.line)))?;
    write_guarded(results, outcome.email.as_bytes(), guarded)?;
    results.write_field(outcome.status.as_str())?;
    results.write_field(digits.of(outcome.customer_id))?;
    results.write_field(digits.of(outcome.http_status.map(u64::from)))?;
    results.write_field(digits.of(Some(u64::from(outcome.attempts))))?;
    write_guarded(results, outcome.error.as_bytes(), guarded)?;
    results.write_record(None::<&[u8]>)?;
    Ok(())
}

/// Writes `cell`, with a leading `'` when a spreadsheet would evaluate it; `room` holds the
/// guarded copy, so only a guarded cell is copied, and into memory kept across rows.
fn write_guarded<W: io::Write>(
    writer: &mut csv::Writer<W>,
    cell: &[u8],
    room: &mut Vec<u8>,
) -> csv::Result<()> {
    if !formulas::needs_guard(cell) {
        return writer.write_field(cell);
    }
    room.clear();
    room.push(b'\'');
    room.extend_from_slice(cell);
    writer.write_field(&room)
}

/// Writes each cell of `record` guarded (see [`write_guarded`]), then ends the record.
fn write_guarded_record<W: io::Write>(
    writer: &mut csv::Writer<W>,
    record: &ByteRecord,
    room: &mut Vec<u8>,
) -> csv::Result<()> {
    for cell in record {
        write_guarded(writer, cell, room)?;
    }
    writer.write_record(None::<&[u8]>)
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

pub(crate) fn temp_beside(path: &Path) -> io::Result<NamedTempFile> {
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
    use crate::outcome::Status;

    fn invalid(email: &str, error: &str, cells: &[&str]) -> RowOutcome {
        RowOutcome {
            row: 1,
            line: 2,
            email: email.to_string(),
            status: Status::Invalid,
            customer_id: None,
            http_status: None,
            attempts: 0,
            error: error.to_string(),
            reasons: Vec::new(),
            record: ByteRecord::from(cells.to_vec()),
            settled: true,
        }
    }

    /// Both files written for `outcomes`, with the input header `header` and `;` between cells:
    /// (results, failed rows).
    fn written(header: &[&str], outcomes: &[RowOutcome]) -> (String, String) {
        let dir = tempfile::tempdir().unwrap();
        let (output, failed) = (dir.path().join("r.csv"), dir.path().join("r.failed.csv"));
        let header = ByteRecord::from(header.to_vec());
        let temp_files = TempFiles::default();
        let mut writer =
            ResultsWriter::create(&output, &failed, &header, b';', &temp_files).unwrap();
        for outcome in outcomes {
            writer.write(outcome).unwrap();
        }
        writer.finish().unwrap();
        let read = |p: &Path| std::fs::read_to_string(p).unwrap();
        (read(&output), read(&failed))
    }

    /// A cell a spreadsheet would evaluate gets a leading `'` in both files, in every column
    /// (email, error, each original cell and the header); plain numbers, text and a `'` before
    /// anything else are written as they are.
    #[test]
    fn cells_a_spreadsheet_would_evaluate_are_guarded_in_both_files() {
        let cells = [
            "=1+2",
            "@SUM(A1)",
            "+1 555 0100",
            "-12.5",
            "+49",
            "\tcmd",
            "\rcmd",
            "'s-Hertogenbosch",
            "-",
            "12-3",
        ];
        let header = [
            "=HYPERLINK(\"x\")",
            "b",
            "c",
            "d",
            "e",
            "f",
            "g",
            "h",
            "i",
            "j",
        ];
        let outcomes = [
            invalid("=HYPERLINK(\"http://x.example\")", "-bad", &cells),
            invalid("-12.5", "+ok", &["a"; 10]),
        ];
        let (results, failed) = written(&header, &outcomes);
        assert_eq!(
            results,
            "row,line,email,status,customer_id,http_status,attempts,error\n\
             1,2,\"'=HYPERLINK(\"\"http://x.example\"\")\",invalid,,,0,'-bad\n\
             1,2,-12.5,invalid,,,0,'+ok\n"
        );
        assert_eq!(
            failed,
            "\"'=HYPERLINK(\"\"x\"\")\";b;c;d;e;f;g;h;i;j\n\
             '=1+2;'@SUM(A1);'+1 555 0100;-12.5;+49;'\tcmd;\"'\rcmd\";'s-Hertogenbosch;'-;12-3\n\
             a;a;a;a;a;a;a;a;a;a\n"
        );
    }

    /// Notes join the `error` of their rows only, after what it held (`; ` between), guarded
    /// where the cell was empty; the other rows are copied as they were.
    #[test]
    fn notes_join_the_error_of_their_rows() {
        let dir = tempfile::tempdir().unwrap();
        let (output, failed) = (dir.path().join("r.csv"), dir.path().join("r.failed.csv"));
        let temp_files = TempFiles::default();
        let header = ByteRecord::from(vec!["email"]);
        let mut writer =
            ResultsWriter::create(&output, &failed, &header, b',', &temp_files).unwrap();
        let mut rows = [
            invalid("a@example.com", "", &["a"]),
            invalid("b@example.com", "lang: \"en\" -> \"fr\"", &["b"]),
            invalid("c@example.com", "", &["c"]),
        ];
        for (n, outcome) in rows.iter_mut().enumerate() {
            outcome.row = n as u64 + 1;
            outcome.status = Status::Created;
            writer.write(outcome).unwrap();
        }
        let notes = BTreeMap::from([(2, "kept: no".to_string()), (3, "-x".to_string())]);
        writer.add_notes(&notes).unwrap();
        writer.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(&output).unwrap(),
            "row,line,email,status,customer_id,http_status,attempts,error\n\
             1,2,a@example.com,created,,,0,\n\
             2,2,b@example.com,created,,,0,\"lang: \"\"en\"\" -> \"\"fr\"\"; kept: no\"\n\
             3,2,c@example.com,created,,,0,'-x\n"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file is left: {left:?}");
    }

    /// A row of one empty cell stays a row (`""`), not a blank line a reader would skip.
    #[test]
    fn a_row_of_one_empty_cell_stays_a_row() {
        let (_, failed) = written(&["email"], &[invalid("", "blank", &[""])]);
        assert_eq!(failed, "email\n\"\"\n");
    }

    #[test]
    fn digits_are_decimal_and_none_is_empty() {
        let mut digits = Digits::default();
        for n in [0, 7, 10, 409, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(digits.of(Some(n)), n.to_string().as_bytes());
        }
        assert_eq!(digits.of(None), b"");
    }
}
