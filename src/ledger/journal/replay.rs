//! Reading a journal back for `--resume`: the torn last line a killed process may leave is cut,
//! the header must name the run's input and store, and the lines become what the earlier run
//! finished (rows 1 to K), the rows whose create may have reached the store, and the batches
//! still open. What a resume trusts of an earlier run is decided here and nowhere else.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::{Identity, JournalError, MAGIC, READS, from_one_line};
use crate::ledger::resumed::{Finished, OpenBatch, Replayed};
use crate::outcome::Status;

/// Cuts a last line that a killed process left without its line break. Journal lines are
/// short, so walking back byte by byte to the last line break stays cheap.
pub(super) fn drop_torn_line(file: &mut File) -> io::Result<()> {
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

pub(super) fn read(
    file: &mut File,
    path: &Path,
    identity: &Identity,
) -> Result<Finished, JournalError> {
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
    let run_id = header.get(5).map(str::to_string);
    let store_id = header.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
    let api_url = header.get(4).unwrap_or_default().to_string();
    if store_id != identity.store_id || api_url != identity.api_url {
        return Err(JournalError::OtherStore {
            path: path.to_path_buf(),
            store_id,
            api_url,
        });
    }
    let mut finished = Finished {
        run_id,
        ..Finished::default()
    };
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
            // Not a row: the run's start, in seconds since 1970 by the store's clock.
            Some("T") => {
                finished.store_started =
                    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(row));
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
            // A batch the store confirmed stopped: no longer open (its rows, with their `S`
            // lines, are looked up).
            Some("X") => {
                let ticket = record.get(3).ok_or_else(not_a_journal)?;
                finished.open_batches.retain(|b| b.ticket != ticket);
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
