//! Writing the journal as the run goes. A line that must be on disk before a request leaves
//! (the header, `S` and `B` lines) goes out with a single `write`, together with the `F` lines
//! waiting before it, so that a killed process leaves whole lines and at most a torn last one;
//! after a failed write nothing more is added, so the file never has a gap that `--resume`
//! would misread.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::replay::{drop_torn_line, read};
use super::{Identity, JournalError, MAGIC, VERSION, one_line};
use crate::ecwid::StoreClock;
use crate::ledger::resumed::Finished;
use crate::outcome::RowOutcome;

/// The journal being written.
#[derive(Debug)]
pub struct Journal {
    file: Mutex<Lines>,
    error: Mutex<Option<io::Error>>,
    /// The run's start by the store's clock, written in a `T` line with the first line after
    /// it is known.
    clock: Arc<StoreClock>,
    start_noted: AtomicBool,
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
    pub(crate) fn create(
        path: &Path,
        identity: &Identity,
        run_id: &str,
        clock: Arc<StoreClock>,
    ) -> io::Result<Self> {
        let mut options = OpenOptions::new();
        // It holds customer ids and what the store said of each row, which may quote the row's
        // personal data: readable by the owner only. (The results file is the user's own
        // output, to share or open elsewhere: no mode is chosen for it on purpose.)
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.write(true).create_new(true).open(path)?;
        let journal = Self::new(file, clock);
        journal.append(&[
            MAGIC,
            VERSION,
            &identity.fingerprint,
            &identity.store_id.to_string(),
            &identity.api_url,
            run_id,
        ])?;
        Ok(journal)
    }

    /// Opens the journal of an interrupted run to go on with it: what it finished, and the
    /// journal to append to.
    /// The interrupted run's start by the store's clock, when it knew it, is this run's too.
    pub(crate) fn resume(
        path: &Path,
        identity: &Identity,
        clock: Arc<StoreClock>,
    ) -> Result<(Self, Finished), JournalError> {
        let mut file = OpenOptions::new().read(true).write(true).open(path)?;
        drop_torn_line(&mut file)?;
        file.seek(SeekFrom::Start(0))?;
        let finished = read(&mut file, path, identity)?;
        file.seek(SeekFrom::End(0))?;
        clock.resume_from(finished.store_started);
        let journal = Self::new(file, clock);
        // Known or not, the start is settled: no `T` line is added.
        journal.start_noted.store(true, Ordering::Relaxed);
        Ok((journal, finished))
    }

    pub(super) fn new(file: File, clock: Arc<StoreClock>) -> Self {
        Self {
            file: Mutex::new(Lines {
                file,
                pending: Vec::with_capacity(PENDING_MAX),
                broken: false,
            }),
            error: Mutex::new(None),
            clock,
            start_noted: AtomicBool::new(false),
        }
    }

    /// Notes that the row's create is about to leave; `false` when the line could not be
    /// written, and the create must then not leave.
    pub(crate) fn sending(&self, row: u64) -> bool {
        self.note(&["S", &row.to_string()])
    }

    /// Notes that these rows are about to leave in one batch, as one write; `false` when the
    /// lines could not be written, and the batch must then not leave.
    pub(crate) fn sending_all(&self, rows: &[u64]) -> bool {
        let lines: Vec<[String; 2]> = rows.iter().map(|r| ["S".into(), r.to_string()]).collect();
        self.keep_error(self.write(&lines, true))
    }

    /// Notes that the store accepted a batch of rows `first..=last` under `ticket`.
    pub(crate) fn batch(&self, first: u64, last: u64, key: &str, ticket: &str) {
        self.note(&["B", &first.to_string(), &last.to_string(), key, ticket]);
    }

    /// Notes that the store confirmed the batch of rows `first..=last` under `ticket` stopped
    /// (`DELETE /batch` answered `deleteCount` 1): none of its requests not yet run will run, so
    /// a resume looks its rows up instead of polling it.
    pub(crate) fn batch_stopped(&self, first: u64, last: u64, ticket: &str) {
        self.note(&["X", &first.to_string(), &last.to_string(), ticket]);
    }

    /// Notes the final outcome of a row. Unless `now`, the line waits in memory for the next
    /// line that must reach the file at once (an `S` or `B` line), or for [`Journal::flush`]:
    /// one `write` a row instead of two. The caller lets it wait only where losing it changes
    /// nothing but a request: for a row created (`--resume` looks it up, finds it and reports
    /// it created) or never sent (checked again alike).
    pub(crate) fn finished(&self, outcome: &RowOutcome, now: bool) {
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
    pub(crate) fn flush(&self) -> io::Result<()> {
        self.write::<[&str; 0], &str>(&[], true)
    }

    /// The first write error, if any: the journal is then no longer complete.
    pub(crate) fn take_error(&self) -> Option<io::Error> {
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
    fn write<R: AsRef<[F]>, F: AsRef<[u8]>>(&self, records: &[R], mut now: bool) -> io::Result<()> {
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
                .flexible(true)
                .from_writer(&mut *pending);
            if !self.start_noted.load(Ordering::Relaxed)
                && let Some(started) = self.clock.started()
            {
                let seconds = started
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                format.write_record(["T", &seconds.to_string()])?;
                self.start_noted.store(true, Ordering::Relaxed);
                // At once: a resumed run without it cannot tell the first creates apart.
                now = true;
            }
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
