//! The check stage: each raw row becomes a job to send, or a final outcome (`invalid`,
//! `duplicate`, or `valid` in a dry run) that needs no request. A row sent with part of it
//! left out carries a note, which ends up in the `error` column of the results.
//!
//! Duplicates are found by a 64-bit hash of the lower-cased email rather than the email itself,
//! so that memory stays small on files of millions of rows; two different emails share a hash
//! with odds of about 1 in 30 million in a file of a million rows. Each hash with its first row
//! takes 12 bytes (see [`SeenEmails`]): a million rows fit in about 14 MB.

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
    seen: SeenEmails,
    /// The email being hashed, lower-cased; kept to spare an allocation a row.
    lower: String,
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
            seen: SeenEmails::default(),
            lower: String::new(),
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
        let ready = |raw: RawRow, email, status, error: String, reasons: Vec<String>| {
            Item::Ready(RowOutcome {
                row: raw.row,
                line: raw.line,
                email,
                status,
                customer_id: None,
                http_status: None,
                attempts: 0,
                error,
                reasons,
                record: raw.record,
                settled: true,
            })
        };
        if let Some(problem) = &raw.problem {
            let (error, reasons) = (problem.clone(), vec![problem.clone()]);
            return ready(raw, email, Status::Invalid, error, reasons);
        }
        let mapped = if self.dry_run {
            self.map.check(&raw.record)
        } else {
            self.map.request(&raw.record)
        };
        let mapped = match mapped {
            Ok(mapped) => mapped,
            Err(invalid) => {
                return ready(raw, email, Status::Invalid, invalid.error, invalid.reasons);
            }
        };
        if let Some(first) = first_row {
            let error = format!("same email as row {first} (emails are compared ignoring case)");
            let reason = "email appeared earlier in the file".to_string();
            return ready(raw, email, Status::Duplicate, error, vec![reason]);
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
            return ready(raw, email, Status::Valid, note, Vec::new());
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
        self.lower.clear();
        if email.is_ascii() {
            self.lower.push_str(email);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.push_str(&email.to_lowercase());
        }
        let key = self.hasher.hash_one(self.lower.as_str());
        let first = self.seen.first_or_insert(key, row);
        (first != row).then_some(first)
    }
}

/// A map of email hash to the first row with it, in 12 bytes an entry and no spike when it
/// grows (a `HashMap<u64, u64>` took 32 bytes a row at times, and twice that while growing).
///
/// The hash's top 16 bits choose one of 65,536 shards and are not stored; each shard is a
/// sorted list of the other 48 bits and the row (48 bits too), grown by an eighth at a time.
#[derive(Default)]
struct SeenEmails {
    shards: Vec<Vec<[u16; 6]>>,
}

const SHARD_BITS: u32 = 16;
const LOW_BITS: u64 = (1 << 48) - 1;

impl SeenEmails {
    /// The first row with `hash`, which is `row` when it is new (and then noted).
    fn first_or_insert(&mut self, hash: u64, row: u64) -> u64 {
        if self.shards.is_empty() {
            self.shards.resize_with(1 << SHARD_BITS, Vec::new);
        }
        let shard = &mut self.shards[(hash >> (64 - SHARD_BITS)) as usize];
        let key = hash & LOW_BITS;
        match shard.binary_search_by_key(&key, |e| join48(&e[..3])) {
            Ok(i) => join48(&shard[i][3..]),
            Err(i) => {
                if shard.len() == shard.capacity() {
                    shard.reserve_exact((shard.len() / 8).max(4));
                }
                let [k0, k1, k2] = split48(key);
                // Rows past 2^48 (a file of petabytes) would share the last number.
                let [r0, r1, r2] = split48(row.min(LOW_BITS));
                shard.insert(i, [k0, k1, k2, r0, r1, r2]);
                row
            }
        }
    }
}

fn split48(n: u64) -> [u16; 3] {
    [(n >> 32) as u16, (n >> 16) as u16, n as u16]
}

fn join48(parts: &[u16]) -> u64 {
    parts.iter().fold(0, |n, &p| (n << 16) | u64::from(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_emails_give_the_first_row_of_each_hash() {
        let mut seen = SeenEmails::default();
        let hashes = [
            0,
            u64::MAX,
            1 << 48,
            (1 << 48) - 1,
            0xdead_beef_cafe_f00d,
            7,
        ];
        for (row, &hash) in hashes.iter().enumerate() {
            assert_eq!(seen.first_or_insert(hash, row as u64 + 1), row as u64 + 1);
        }
        for (row, &hash) in hashes.iter().enumerate() {
            assert_eq!(seen.first_or_insert(hash, 100), row as u64 + 1, "{hash:x}");
        }
        for n in 1..10_000u64 {
            let hash = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            assert_eq!(seen.first_or_insert(hash, n + 1_000), n + 1_000);
        }
        assert_eq!(seen.first_or_insert(0xdead_beef_cafe_f00d, 1), 5);
    }
}
