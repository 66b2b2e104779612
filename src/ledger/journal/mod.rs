//! The journal of an import: an append-only file beside the results that records, as the run
//! goes, which rows went out and how each one ended, so that `--resume` can finish the job after
//! Ctrl-C, a crash or `kill -9` without sending any finished row again.
//!
//! Each line is a CSV record. `S` and `B` lines, the header and the `T` line are written at once
//! with one `write` each (together with the `F` lines waiting, see [`Journal::finished`]), so a
//! killed process leaves at most a torn last line (dropped on resume):
//!
//! - `ecwid-import-journal,4,<input fingerprint>,<store id>,<api url>,<run id>`: the header;
//!   the run id is random, and the deduplication keys of the run's batches cover it, so that a
//!   resumed run sends a lost batch again under the same key;
//! - `T,<seconds since 1970>`: when the run started by the store's clock, once its first answer
//!   told (see `ecwid::StoreClock`); a resumed run keeps it, so its look-ups still tell the
//!   run's own creates from customers that were there before;
//! - `S,<row>`: the row's first create is about to leave (it may reach the store), on its own
//!   or inside a batch;
//! - `B,<first row>,<last row>,<deduplication key>,<ticket>`: a batch holding rows of that range
//!   was accepted by the store under that ticket (`--batch`);
//! - `X,<first row>,<last row>,<ticket>`: that batch was given up on and the store confirmed it
//!   stopped (`DELETE /batch`): it is no longer open, its rows are looked up;
//! - `F,<row>,<status>,<customer id>,<http status>,<attempts>,<error>`: the row's final outcome.
//!
//! `F` lines are written in input order, and only up to the first row the run did not finish,
//! so the finished rows are always rows 1 to K. On resume those are replayed from the journal;
//! rows after K that have an `S` line may have been created and are looked up before anything
//! is sent; the rest are sent as usual. A `B` line whose rows are not all finished is an open
//! batch: a resumed batch run polls its ticket before sending any of its rows again.
//!
//! Version 2 added `B` lines, version 3 the run id and `T` lines, version 4 `X` lines; earlier versions are read
//! as well (they have none: a run resumed from one gets a new run id), while an older
//! ecwid-import refuses a newer journal rather than miss what it adds.

mod replay;
#[cfg(test)]
mod tests;
mod write;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use write::Journal;

const MAGIC: &str = "ecwid-import-journal";
const VERSION: &str = "4";
/// Journal versions this one reads: each earlier one is a subset of the current one.
const READS: [&str; 4] = ["1", "2", "3", "4"];

/// What a journal belongs to: a resume must match it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) fingerprint: String,
    pub(crate) store_id: u64,
    pub(crate) api_url: String,
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
pub(crate) fn path_for(output: &Path) -> PathBuf {
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
