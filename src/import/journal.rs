//! The journal of an import: an append-only file beside the results that records, as the run
//! goes, which rows went out and how each one ended, so that `--resume` can finish the job after
//! Ctrl-C, a crash or `kill -9` without sending any finished row again.
//!
//! Each line is a CSV record. `S` and `B` lines, and the header, are written at once with one
//! `write` each (together with the `F` lines waiting, see [`Journal::finished`]), so a killed
//! process leaves at most a torn last line (dropped on resume):
//!
//! - `ecwid-import-journal,2,<input fingerprint>,<store id>,<api url>`: the header;
//! - `S,<row>`: the row's first create is about to leave (it may reach the store), on its own
//!   or inside a batch;
//! - `B,<first row>,<last row>,<deduplication key>,<ticket>`: a batch holding rows of that range
//!   was accepted by the store under that ticket (`--batch`);
//! - `F,<row>,<status>,<customer id>,<http status>,<attempts>,<error>`: the row's final outcome.
//!
//! `F` lines are written in input order, and only up to the first row the run did not finish,
//! so the finished rows are always rows 1 to K. On resume those are replayed from the journal;
//! rows after K that have an `S` line may have been created and are looked up before anything
//! is sent; the rest are sent as usual. A `B` line whose rows are not all finished is an open
//! batch: a resumed batch run polls its ticket before sending any of its rows again.
//!
//! Version 2 added `B` lines; a version 1 journal is read as well (it has none), while an older
//! ecwid-import refuses a version 2 journal rather than miss its open batches.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use crate::outcome::{RowOutcome, Status};

const MAGIC: &str = "ecwid-import-journal";
const VERSION: &str = "2";
/// Journal versions this one reads: each earlier one is a subset of the current one.
const READS: [&str; 2] = ["1", "2"];

/// What a journal belongs to: a resume must match it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub fingerprint: String,
    pub store_id: u64,
    pub api_url: String,
}

/// Why a journal cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("{} is not a journal of ecwid-import {VERSION}: delete it to start over", path.display())]
    NotAJournal { path: PathBuf },
    #[error(
        "{} belongs to another input file: the file changed since the interrupted run. Resume \
         with the same file, or delete the journal to start over",
        path.display()
    )]
    OtherInput { path: PathBuf },
    #[error(
        "{} belongs to store {store_id} at {api_url}: resume with the same --store-id and \
         --api-url, or delete the journal to start over",
        path.display()
    )]
    OtherStore {
        path: PathBuf,
        store_id: u64,
        api_url: String,
    },
}

/// The path of the journal of a results file.
pub fn path_for(output: &Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(".journal");
    output.with_file_name(name)
}

/// Size and SHA-256 of the input: a changed file is never resumed.
pub fn fingerprint(input: &Path) -> io::Result<String> {
    let mut file = File::open(input)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    let digest: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(format!("{size}:{digest}"))
}

/// What an earlier run finished, read back from its journal.
#[derive(Debug, Default)]
pub struct Finished {
    /// The final outcomes of rows 1 to K, in order.
    outcomes: Vec<Replayed>,
    /// Rows after K whose create may have reached the store.
    pub maybe_sent: HashSet<u64>,
    /// Batches accepted by the store whose rows are not all finished, in the order sent.
    pub open_batches: Vec<OpenBatch>,
}

/// A batch the store accepted, as its `B` line has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenBatch {
    pub first_row: u64,
    pub last_row: u64,
    pub key: String,
    pub ticket: String,
}

/// One finished row as the journal has it.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub status: Status,
    pub customer_id: Option<u64>,
    pub http_status: Option<u16>,
    pub attempts: u32,
    pub error: String,
}

impl Finished {
    /// How many rows, from the first, are finished.
    pub fn count(&self) -> u64 {
        self.outcomes.len() as u64
    }

    /// The outcome of finished row `row` (1-based).
    pub fn outcome(&self, row: u64) -> Option<&Replayed> {
        let index = usize::try_from(row.checked_sub(1)?).ok()?;
        self.outcomes.get(index)
    }
}

/// The journal being written.
#[derive(Debug)]
pub struct Journal {
    file: Mutex<Lines>,
    error: Mutex<Option<io::Error>>,
}

/// The journal file, and lines formatted but not yet written.
#[derive(Debug)]
struct Lines {
    file: File,
    /// `F` lines waiting for the next line that must reach the file at once.
    pending: Vec<u8>,
    /// A write failed: the file may miss lines, and nothing more is added to it.
    broken: bool,
}

/// Bytes of `F` lines that may wait in memory (a few hundred lines).
const PENDING_MAX: usize = 16 * 1024;

impl Journal {
    /// Starts a new journal at `path`, replacing none: the caller has checked that none exists.
    pub fn create(path: &Path, identity: &Identity) -> io::Result<Self> {
        let file = OpenOptions::new().write(true).create_new(true).open(path)?;
        let journal = Self::new(file);
        journal.append(&[
            MAGIC,
            VERSION,
            &identity.fingerprint,
            &identity.store_id.to_string(),
            &identity.api_url,
        ])?;
        Ok(journal)
    }

    /// Opens the journal of an interrupted run to go on with it: what it finished, and the
    /// journal to append to.
    pub fn resume(path: &Path, identity: &Identity) -> Result<(Self, Finished), JournalError> {
        let mut file = OpenOptions::new().read(true).write(true).open(path)?;
        drop_torn_line(&mut file)?;
        file.seek(SeekFrom::Start(0))?;
        let finished = read(&mut file, path, identity)?;
        file.seek(SeekFrom::End(0))?;
        Ok((Self::new(file), finished))
    }

    fn new(file: File) -> Self {
        Self {
            file: Mutex::new(Lines {
                file,
                pending: Vec::with_capacity(PENDING_MAX),
                broken: false,
            }),
            error: Mutex::new(None),
        }
    }

    /// Notes that the row's create is about to leave; `false` when the line could not be
    /// written, and the create must then not leave.
    pub fn sending(&self, row: u64) -> bool {
        self.note(&["S", &row.to_string()])
    }

    /// Notes that these rows are about to leave in one batch, as one write; `false` when the
    /// lines could not be written, and the batch must then not leave.
    pub fn sending_all(&self, rows: &[u64]) -> bool {
        let lines: Vec<[String; 2]> = rows.iter().map(|r| ["S".into(), r.to_string()]).collect();
        self.keep_error(self.write(&lines, true))
    }

    /// Notes that the store accepted a batch of rows `first..=last` under `ticket`.
    pub fn batch(&self, first: u64, last: u64, key: &str, ticket: &str) {
        self.note(&["B", &first.to_string(), &last.to_string(), key, ticket]);
    }

    /// Notes the final outcome of a row. Unless `now`, the line waits in memory for the next
    /// line that must reach the file at once (an `S` or `B` line), or for [`Journal::flush`]:
    /// one `write` a row instead of two. The caller lets it wait only where losing it changes
    /// nothing but a request: for a row created (`--resume` looks it up, finds it and reports
    /// it created) or never sent (checked again alike).
    pub fn finished(&self, outcome: &RowOutcome, now: bool) {
        let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        let fields = [
            "F",
            &outcome.row.to_string(),
            outcome.status.as_str(),
            &number(outcome.customer_id),
            &number(outcome.http_status.map(u64::from)),
            &outcome.attempts.to_string(),
            &one_line(&outcome.error),
        ];
        self.keep_error(self.write(&[fields], now));
    }

    /// Writes the `F` lines still waiting: when the run ends with the journal kept.
    pub fn flush(&self) -> io::Result<()> {
        self.write::<[&str; 0], &str>(&[], true)
    }

    /// The first write error, if any: the journal is then no longer complete.
    pub fn take_error(&self) -> Option<io::Error> {
        lock(&self.error).take()
    }

    /// Writes one line at once; `false` when it could not be.
    fn note(&self, fields: &[&str]) -> bool {
        self.keep_error(self.append(fields))
    }

    /// Keeps the first error for [`Journal::take_error`]; whether there was none.
    fn keep_error(&self, result: io::Result<()>) -> bool {
        match result {
            Ok(()) => true,
            Err(e) => {
                lock(&self.error).get_or_insert(e);
                false
            }
        }
    }

    /// Writes one line, after the lines waiting, with a single `write`, so that the line
    /// reaches the file as a whole however the process ends.
    fn append(&self, fields: &[&str]) -> io::Result<()> {
        self.write(&[fields], true)
    }

    /// Adds whole lines after those waiting; `now` writes them all with a single `write`,
    /// otherwise they wait while they are few. After a failed write nothing more is written,
    /// so that the file keeps a gapless run of finished rows that `--resume` can read.
    fn write<R: AsRef<[F]>, F: AsRef<[u8]>>(&self, records: &[R], now: bool) -> io::Result<()> {
        let mut lines = lock(&self.file);
        let Lines {
            file,
            pending,
            broken,
        } = &mut *lines;
        if *broken {
            return Err(io::Error::other("an earlier write to the journal failed"));
        }
        {
            // A small formatting buffer: the csv crate's default zeroes 8 KiB per writer.
            let mut format = csv::WriterBuilder::new()
                .buffer_capacity(256)
                .from_writer(&mut *pending);
            for fields in records {
                format.write_record(fields.as_ref())?;
            }
            format.flush()?;
        }
        if !now && pending.len() < PENDING_MAX {
            return Ok(());
        }
        let written = file.write_all(pending);
        pending.clear();
        *broken = written.is_err();
        written
    }
}

impl Drop for Journal {
    /// Writes the lines still waiting, as a run that returns early leaves them; an error here
    /// has nobody to tell, and costs only look-ups on `--resume`.
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Cuts a last line that a killed process left without its line break. Journal lines are
/// short, so walking back byte by byte to the last line break stays cheap.
fn drop_torn_line(file: &mut File) -> io::Result<()> {
    let len = file.metadata()?.len();
    let mut end = len;
    let mut byte = [0u8; 1];
    while end > 0 {
        file.seek(SeekFrom::Start(end - 1))?;
        file.read_exact(&mut byte)?;
        if byte[0] == b'\n' {
            break;
        }
        end -= 1;
    }
    if end < len {
        file.set_len(end)?;
    }
    Ok(())
}

fn read(file: &mut File, path: &Path, identity: &Identity) -> Result<Finished, JournalError> {
    let not_a_journal = || JournalError::NotAJournal {
        path: path.to_path_buf(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file);
    let mut records = reader.records();
    let header = records
        .next()
        .ok_or_else(not_a_journal)?
        .map_err(|_| not_a_journal())?;
    if header.get(0) != Some(MAGIC) || !header.get(1).is_some_and(|v| READS.contains(&v)) {
        return Err(not_a_journal());
    }
    if header.get(2) != Some(identity.fingerprint.as_str()) {
        return Err(JournalError::OtherInput {
            path: path.to_path_buf(),
        });
    }
    let store_id = header.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
    let api_url = header.get(4).unwrap_or_default().to_string();
    if store_id != identity.store_id || api_url != identity.api_url {
        return Err(JournalError::OtherStore {
            path: path.to_path_buf(),
            store_id,
            api_url,
        });
    }
    let mut finished = Finished::default();
    for record in records {
        let record = record.map_err(|_| not_a_journal())?;
        let row: u64 = record
            .get(1)
            .and_then(|r| r.parse().ok())
            .ok_or_else(not_a_journal)?;
        match record.get(0) {
            Some("S") => {
                finished.maybe_sent.insert(row);
            }
            Some("B") => {
                let field = |i: usize| record.get(i).map(str::to_string).ok_or_else(not_a_journal);
                let last_row = field(2)?.parse().map_err(|_| not_a_journal())?;
                finished.open_batches.push(OpenBatch {
                    first_row: row,
                    last_row,
                    key: field(3)?,
                    ticket: field(4)?,
                });
            }
            Some("F") if row == finished.count() + 1 => {
                finished.maybe_sent.remove(&row);
                finished
                    .outcomes
                    .push(replayed(&record).ok_or_else(not_a_journal)?);
            }
            _ => return Err(not_a_journal()),
        }
    }
    let done = finished.count();
    finished.open_batches.retain(|b| b.last_row > done);
    Ok(finished)
}

/// The text with its line breaks (and backslashes) escaped, so that every journal record is one
/// physical line and a torn last line is always cut at a record's end.
fn one_line(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// The inverse of [`one_line`].
fn from_one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn replayed(record: &csv::StringRecord) -> Option<Replayed> {
    let optional = |i: usize| -> Option<Option<u64>> {
        match record.get(i)? {
            "" => Some(None),
            text => text.parse().ok().map(Some),
        }
    };
    let status = Status::ALL
        .into_iter()
        .find(|s| Some(s.as_str()) == record.get(2))?;
    Some(Replayed {
        status,
        customer_id: optional(3)?,
        http_status: optional(4)?.and_then(|s| u16::try_from(s).ok()),
        attempts: record.get(5)?.parse().ok()?,
        error: from_one_line(record.get(6)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use csv::ByteRecord;

    fn identity() -> Identity {
        Identity {
            fingerprint: "3:abc".into(),
            store_id: 7,
            api_url: "http://127.0.0.1:1/api/v3".into(),
        }
    }

    fn outcome(row: u64, status: Status) -> RowOutcome {
        RowOutcome {
            row,
            line: row + 1,
            email: format!("r{row}@example.com"),
            status,
            customer_id: Some(100 + row),
            http_status: Some(200),
            attempts: 1,
            error: "a, \"quoted\"\nnote\r\n C:\\path \\n".into(),
            reasons: Vec::new(),
            record: ByteRecord::new(),
            settled: true,
        }
    }

    #[test]
    fn resume_replays_finished_rows_and_flags_rows_that_may_have_been_sent() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.csv.journal");
        let journal = Journal::create(&path, &identity()).expect("create");
        for row in 1..=3 {
            journal.sending(row);
        }
        journal.finished(&outcome(1, Status::Created), false);
        journal.finished(&outcome(2, Status::Failed), false);
        journal.sending(4);
        drop(journal);
        // A torn line, as a killed process may leave.
        let mut file = OpenOptions::new().append(true).open(&path).expect("open");
        file.write_all(b"F,3,crea").expect("write");
        drop(file);

        let (journal, finished) = Journal::resume(&path, &identity()).expect("resume");
        assert_eq!(finished.count(), 2);
        let second = finished.outcome(2).expect("row 2");
        assert_eq!(second.status, Status::Failed);
        assert_eq!(second.customer_id, Some(102));
        assert_eq!(second.error, "a, \"quoted\"\nnote\r\n C:\\path \\n");
        assert_eq!(finished.maybe_sent, HashSet::from([3, 4]));
        journal.finished(&outcome(3, Status::Created), false);
        drop(journal);
        let (_, finished) = Journal::resume(&path, &identity()).expect("resume again");
        assert_eq!(finished.count(), 3);
        assert_eq!(finished.maybe_sent, HashSet::from([4]));
    }

    #[test]
    fn finished_lines_wait_for_the_next_sending_line() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.csv.journal");
        let journal = Journal::create(&path, &identity()).expect("create");
        journal.sending(1);
        journal.sending(2);
        journal.finished(&outcome(1, Status::Created), false);
        let lines = || {
            std::fs::read_to_string(&path)
                .expect("read")
                .lines()
                .count()
        };
        assert_eq!(lines(), 3, "the F line waits");
        journal.sending(3);
        assert_eq!(lines(), 5, "it goes out before the S line of row 3");
        journal.finished(&outcome(2, Status::Created), false);
        // A killed process writes nothing more: row 2's F line is lost, its S line is not.
        std::mem::forget(journal);
        let (_, finished) = Journal::resume(&path, &identity()).expect("resume");
        assert_eq!(finished.count(), 1);
        assert_eq!(finished.maybe_sent, HashSet::from([2, 3]));
    }

    #[test]
    fn a_journal_that_cannot_be_written_says_so_and_takes_no_more_lines() {
        // Every write to /dev/full fails (no space left on the device).
        let full = OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let journal = Journal::new(full);
        journal.finished(&outcome(1, Status::Created), false);
        assert!(!journal.sending(2), "the create of row 2 must not leave");
        assert!(journal.take_error().is_some());
        assert!(!journal.sending_all(&[3, 4]));
        assert!(journal.flush().is_err());
    }

    #[test]
    fn open_batches_are_those_with_unfinished_rows() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("out.csv.journal");
        let journal = Journal::create(&path, &identity()).expect("create");
        journal.sending_all(&[1, 2]);
        journal.batch(1, 2, "k1", "t1");
        journal.sending_all(&[3, 5]);
        journal.batch(3, 5, "k2", "t,2");
        journal.finished(&outcome(1, Status::Created), false);
        journal.finished(&outcome(2, Status::Created), false);
        journal.finished(&outcome(3, Status::Created), false);
        drop(journal);
        let (_, finished) = Journal::resume(&path, &identity()).expect("resume");
        assert_eq!(finished.count(), 3);
        assert_eq!(finished.maybe_sent, HashSet::from([5]));
        let open = OpenBatch {
            first_row: 3,
            last_row: 5,
            key: "k2".into(),
            ticket: "t,2".into(),
        };
        assert_eq!(finished.open_batches, vec![open]);
    }

    #[test]
    fn version_1_journals_are_still_read() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("j");
        let id = identity();
        let header = format!(
            "{MAGIC},1,{},{},{}\nS,1\n",
            id.fingerprint, id.store_id, id.api_url
        );
        std::fs::write(&path, header).expect("write");
        let (_, finished) = Journal::resume(&path, &id).expect("a version 1 journal");
        assert_eq!(finished.maybe_sent, HashSet::from([1]));
    }

    #[test]
    fn resume_refuses_another_input_or_store() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("j");
        drop(Journal::create(&path, &identity()).expect("create"));
        let other_input = Identity {
            fingerprint: "3:abd".into(),
            ..identity()
        };
        let err = Journal::resume(&path, &other_input).err();
        assert!(matches!(err, Some(JournalError::OtherInput { .. })));
        let other_store = Identity {
            store_id: 8,
            ..identity()
        };
        let err = Journal::resume(&path, &other_store).err();
        assert!(matches!(err, Some(JournalError::OtherStore { .. })));
        std::fs::write(&path, "something else\n").expect("write");
        let err = Journal::resume(&path, &identity()).err();
        assert!(matches!(err, Some(JournalError::NotAJournal { .. })));
    }

    #[test]
    fn fingerprint_changes_with_the_content() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("in.csv");
        std::fs::write(&path, "email\na@example.com\n").expect("write");
        let first = fingerprint(&path).expect("fingerprint");
        std::fs::write(&path, "email\nb@example.com\n").expect("write");
        assert_ne!(first, fingerprint(&path).expect("fingerprint"));
    }
}
