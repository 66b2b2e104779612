//! The check stage: each raw row becomes a job to send, or a final outcome (`invalid`,
//! `duplicate`, or `valid` in a dry run) that needs no request. A row sent with part of it
//! left out carries a note, which ends up in the `error` column of the results.
//!
//! Duplicates are found by a 64-bit hash of the lower-cased email rather than the email itself,
//! so that memory stays small on files of millions of rows; two different emails share a hash
//! with odds of about 1 in 30 million in a file of a million rows.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use super::journal::Finished;
use super::outcome::{RowOutcome, Status};
use super::send::Job;
use crate::input::mapping::ColumnMap;
use crate::input::reader::RawRow;

/// What the check stage hands on.
#[derive(Debug)]
pub enum Item {
    /// The row is settled without a request.
    Ready(RowOutcome),
    Send(Box<Job>),
}

/// Checks rows in file order.
pub struct Checker {
    map: ColumnMap,
    dry_run: bool,
    /// What an interrupted run finished, when resuming.
    finished: Finished,
    hasher: RandomState,
    /// Email hash -> first row that had it.
    seen: HashMap<u64, u64>,
    /// Whether a dry run has said that group names cannot be checked offline.
    told_groups_offline: bool,
    /// Rows sent with a note so far.
    noted: u64,
}

/// Rows whose notes are logged; more would bury the progress and the summary.
const WARNED_NOTES: u64 = 5;

impl Checker {
    pub fn new(map: ColumnMap, dry_run: bool, finished: Finished) -> Self {
        Self {
            map,
            dry_run,
            finished,
            hasher: RandomState::new(),
            seen: HashMap::new(),
            told_groups_offline: false,
            noted: 0,
        }
    }

    pub fn check(&mut self, raw: RawRow) -> Item {
        let email = self.map.email(&raw.record);
        let first_row = self.first_row_of(&email, raw.row);
        if let Some(done) = self.finished.outcome(raw.row) {
            return Item::Ready(RowOutcome {
                row: raw.row,
                line: raw.line,
                email,
                status: done.status,
                customer_id: done.customer_id,
                http_status: done.http_status,
                attempts: done.attempts,
                error: done.error.clone(),
                reasons: Vec::new(),
                record: raw.record,
                settled: true,
            });
        }
        let ready = |status, error: String, reasons: Vec<String>| {
            Item::Ready(RowOutcome {
                row: raw.row,
                line: raw.line,
                email: email.clone(),
                status,
                customer_id: None,
                http_status: None,
                attempts: 0,
                error,
                reasons,
                record: raw.record.clone(),
                settled: true,
            })
        };
        if let Some(problem) = &raw.problem {
            let reasons = vec![problem.clone()];
            return ready(Status::Invalid, problem.clone(), reasons);
        }
        let mapped = match self.map.request(&raw.record) {
            Ok(mapped) => mapped,
            Err(invalid) => return ready(Status::Invalid, invalid.error, invalid.reasons),
        };
        if let Some(first) = first_row {
            let error = format!("same email as row {first} (emails are compared ignoring case)");
            let reason = "email appeared earlier in the file".to_string();
            return ready(Status::Duplicate, error, vec![reason]);
        }
        let note = mapped.notes.join("; ");
        if !note.is_empty() {
            self.warn(raw.row, raw.line, &note);
        }
        if self.dry_run {
            let named_group = mapped.request.customer_group_name.is_some()
                && mapped.request.customer_group_id.is_none();
            if named_group && !std::mem::replace(&mut self.told_groups_offline, true) {
                tracing::warn!(
                    "customerGroupName cannot be checked offline: names are matched against \
                     the store's groups when importing"
                );
            }
            return ready(Status::Valid, note, Vec::new());
        }
        Item::Send(Box::new(Job {
            row: raw.row,
            line: raw.line,
            maybe_sent: self.finished.maybe_sent.contains(&raw.row),
            request: mapped.request,
            email,
            record: raw.record,
            note,
        }))
    }

    /// A warning for the first rows with a note; the results file has them all.
    fn warn(&mut self, row: u64, line: u64, note: &str) {
        self.noted += 1;
        if self.noted <= WARNED_NOTES {
            tracing::warn!("row {row} (line {line}): {note}");
        } else if self.noted == WARNED_NOTES + 1 {
            tracing::warn!("more rows have notes: see the error column of the results file");
        }
    }

    /// The first row with this email, when it is not this one; notes this one otherwise.
    fn first_row_of(&mut self, email: &str, row: u64) -> Option<u64> {
        if email.is_empty() {
            return None;
        }
        let key = self.hasher.hash_one(email.to_lowercase());
        let first = *self.seen.entry(key).or_insert(row);
        (first != row).then_some(first)
    }
}
