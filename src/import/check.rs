//! The check stage: each raw row becomes a job to send, or a final outcome (`invalid`,
//! `duplicate`, or `valid` in a dry run) that needs no request. A row sent with part of it
//! left out carries a note, which ends up in the `error` column of the results.
//!
//! Duplicates are found by 62 bits of a hash of the lower-cased email rather than the email
//! itself, so that memory stays small on files of millions of rows; two different emails share
//! those bits with odds of about 1 in 9 million in a file of a million rows. Each hash with its
//! first row takes 10 bytes (see [`SeenEmails`]), so memory grows by little more than that a row.

use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use super::buyers::{Anchors, Buyers, buyer_key};
use super::job::Job;
use crate::customer::CustomerRequest;
use crate::input::mapping::{Blanked, ColumnMap, Invalid};
use crate::input::raw::RawRow;
use crate::ledger::resumed::Finished;
use crate::outcome::{RowOutcome, Status};
use crate::report::summary::LeftBlank;

/// What the check stage hands on.
#[derive(Debug)]
pub enum Item {
    /// The row is settled without a request.
    Ready(RowOutcome),
    Send(Box<Job>),
}

/// A row on its way to the check, with what the row alone tells once a thread has worked it
/// out (see [`Preparer`]).
pub struct Row {
    raw: RawRow,
    prepared: Option<Prepared>,
}

impl From<RawRow> for Row {
    fn from(raw: RawRow) -> Self {
        Self {
            raw,
            prepared: None,
        }
    }
}

/// What the row alone tells: its email, the email's hash and what the mapping makes of it
/// (not worked out for a row that an interrupted run finished: its outcome is replayed).
struct Prepared {
    email: String,
    hash: Option<u64>,
    mapped: Option<Result<Mapped, Invalid>>,
}

/// A valid row: its request (none in a dry run, which only checks; boxed, so that batches of
/// rows stay small), whether a dry run met a group it cannot look up, and notes on what is
/// left out.
struct Mapped {
    request: Option<Box<CustomerRequest>>,
    group_by_name: bool,
    notes: Vec<String>,
    blanked: Vec<Blanked>,
}

/// Works out what each row alone tells: most of the check, and the same for every row, so
/// either thread may do it: the checker, or the reader while it would otherwise wait for the
/// checker to take its rows (which evens out the two cores' work in a dry run).
#[derive(Clone)]
pub(crate) struct Preparer {
    map: Arc<ColumnMap>,
    dry_run: bool,
    hasher: RandomState,
    /// Rows 1 to this one were finished by an interrupted run.
    replayed: u64,
}

impl Preparer {
    /// Prepares at most `limit` rows of `rows` that are not yet; the number of rows still
    /// unprepared after that.
    pub(crate) fn prepare(&self, rows: &mut [Row], limit: usize) -> usize {
        let mut lower = String::new();
        let mut unprepared = rows.iter_mut().filter(|r| r.prepared.is_none());
        for row in unprepared.by_ref().take(limit) {
            row.prepared = Some(self.prepared(&row.raw, &mut lower));
        }
        unprepared.count()
    }

    fn prepared(&self, raw: &RawRow, lower: &mut String) -> Prepared {
        let email = self.map.email(&raw.record);
        let hash = self.hash_of(&email, lower);
        Prepared {
            email,
            hash,
            mapped: (raw.row > self.replayed).then(|| self.mapped(raw)),
        }
    }

    fn mapped(&self, raw: &RawRow) -> Result<Mapped, Invalid> {
        if let Some(problem) = &raw.problem {
            Err(Invalid::new(problem.clone(), problem))
        } else if self.dry_run {
            self.map.check(&raw.record).map(|c| Mapped {
                request: None,
                group_by_name: c.checked.group_by_name,
                notes: c.notes,
                blanked: c.blanked,
            })
        } else {
            self.map.request(&raw.record).map(|r| Mapped {
                request: Some(Box::new(r.request)),
                group_by_name: false,
                notes: r.notes,
                blanked: r.blanked,
            })
        }
    }

    /// The hash the duplicate check compares emails by (ignoring case); `None` for no email.
    /// `lower` is room for the lower-cased email, kept to spare an allocation a row.
    fn hash_of(&self, email: &str, lower: &mut String) -> Option<u64> {
        if email.is_empty() {
            return None;
        }
        lower.clear();
        if email.is_ascii() {
            lower.push_str(email);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&email.to_lowercase());
        }
        Some(self.hasher.hash_one(lower.as_str()))
    }
}

/// Checks rows in file order.
pub struct Checker {
    preparer: Preparer,
    /// What an interrupted run finished, when resuming.
    finished: Finished,
    /// Email hash -> first row that had it.
    seen: SeenEmails,
    /// Whether a dry run has said that group names cannot be checked offline.
    told_groups_offline: bool,
    /// Rows sent with a note so far.
    noted: u64,
    /// In an orders export: each buyer's first row, and the customers made from all of a
    /// buyer's rows.
    orders: Option<(Anchors, Buyers)>,
    /// Cells read as blank although they held something, by kind and column.
    blanked: BTreeMap<Blanked, u64>,
}

/// Rows whose notes are logged; more would bury the progress and the summary.
const WARNED_NOTES: u64 = 5;

impl Checker {
    pub fn new(map: ColumnMap, dry_run: bool, finished: Finished) -> Self {
        Self {
            preparer: Preparer {
                map: Arc::new(map),
                dry_run,
                hasher: RandomState::new(),
                replayed: finished.count(),
            },
            finished,
            seen: SeenEmails::default(),
            told_groups_offline: false,
            noted: 0,
            orders: None,
            blanked: BTreeMap::new(),
        }
    }

    /// The cells read as blank although they held something, by kind and column (in the
    /// order of the columns), for the summary.
    pub(crate) fn left_blank(&self) -> Vec<LeftBlank> {
        let map = &self.preparer.map;
        self.blanked
            .iter()
            .map(|(&blanked, &cells)| LeftBlank {
                kind: match blanked {
                    Blanked::Placeholder(_) => LeftBlank::PLACEHOLDER,
                    Blanked::EmailAsName(_) => LeftBlank::EMAIL_AS_NAME,
                    Blanked::AddressKeptWhole(_) => LeftBlank::ADDRESS_KEPT_WHOLE,
                },
                column: map.blanked_label(blanked).to_string(),
                cells,
            })
            .collect()
    }

    fn count_blanked(&mut self, blanked: &[Blanked]) {
        for &b in blanked {
            *self.blanked.entry(b).or_default() += 1;
        }
    }

    /// The same checker for an orders export (a map with an orders layout): the later rows of
    /// a buyer are `merged` into its first valid row, which sends the customer `buyers` made
    /// from all of them.
    pub(crate) fn with_buyers(mut self, buyers: Buyers) -> Self {
        if self.preparer.map.orders().is_some() {
            self.orders = Some((Anchors::default(), buyers));
        }
        self
    }

    /// The same checker, saying nothing in the log: for a first pass over a file whose rows
    /// the run checks again (and warns about) as it sends them.
    pub(crate) fn silenced(mut self) -> Self {
        self.told_groups_offline = true;
        self.noted = WARNED_NOTES + 1;
        self
    }

    /// The preparer of this checker's rows, for another thread.
    pub(crate) fn preparer(&self) -> Preparer {
        self.preparer.clone()
    }

    /// Checks a batch of rows, in file order.
    pub fn check_batch(&mut self, rows: Vec<Row>) -> Vec<Item> {
        let mut lower = String::new();
        let rows: Vec<(RawRow, Prepared)> = rows
            .into_iter()
            .map(|row| match row.prepared {
                Some(prepared) => (row.raw, prepared),
                None => {
                    let prepared = self.preparer.prepared(&row.raw, &mut lower);
                    (row.raw, prepared)
                }
            })
            .collect();
        // Every email's place in the duplicate table, looked up for the batch at once.
        self.seen.warm(rows.iter().filter_map(|(_, p)| p.hash));
        let mut items = Vec::with_capacity(rows.len());
        for (raw, prepared) in rows {
            let first_row = prepared
                .hash
                .map(|hash| self.seen.first_or_insert(hash, raw.row))
                .filter(|&first| first != raw.row);
            items.push(self.check(raw, prepared, first_row));
        }
        items
    }

    /// Checks one prepared row; `first_row` is an earlier row with the same email.
    fn check(&mut self, raw: RawRow, prepared: Prepared, first_row: Option<u64>) -> Item {
        let Prepared { email, mapped, .. } = prepared;
        if let Some(done) = self.finished.outcome(raw.row) {
            if let Some((anchors, _)) = &mut self.orders {
                anchors.replayed(&email, raw.row, done.status);
            }
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
        // Worked out beforehand for every row but the replayed ones.
        let mapped = mapped.unwrap_or_else(|| self.preparer.mapped(&raw));
        let mapped = match mapped {
            Ok(mapped) => {
                self.count_blanked(&mapped.blanked);
                mapped
            }
            Err(invalid) => {
                self.count_blanked(&invalid.blanked);
                return ready(raw, email, Status::Invalid, invalid.error, invalid.reasons);
            }
        };
        if let Some((anchors, _)) = &mut self.orders
            && let Some(first) = anchors.joined(&email, raw.row)
        {
            let error = format!(
                "merged into row {first}: another row of the same buyer (same email, ignoring \
                 case), whose customer is made from all of the buyer's rows"
            );
            return ready(raw, email, Status::Merged, error, Vec::new());
        }
        if let Some(first) = first_row.filter(|_| self.orders.is_none()) {
            let error = format!("same email as row {first} (emails are compared ignoring case)");
            let reason = "email appeared earlier in the file".to_string();
            return ready(raw, email, Status::Duplicate, error, vec![reason]);
        }
        let note = mapped.notes.join("; ");
        if !note.is_empty() {
            self.warn(raw.row, raw.line, &note);
        }
        if mapped.group_by_name && !std::mem::replace(&mut self.told_groups_offline, true) {
            tracing::warn!(
                "customerGroupName cannot be checked offline: names are matched against the \
                 store's groups when importing"
            );
        }
        let Some(mut request) = mapped.request else {
            return ready(raw, email, Status::Valid, note, Vec::new());
        };
        if let Some((_, buyers)) = &mut self.orders {
            if let Some(customer) = buyers.take(&buyer_key(&email)) {
                let email = request.email.take();
                *request = CustomerRequest { email, ..customer };
            }
            crate::input::orders::tidy(&mut request);
        }
        Item::Send(Box::new(Job {
            row: raw.row,
            line: raw.line,
            maybe_sent: self.finished.maybe_sent.contains(&raw.row),
            request: *request,
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
}

/// A map of email hash to the first row with it, in 10 bytes an entry and no spike when it
/// grows (a `HashMap<u64, u64>` took several times that, and more while growing).
///
/// The hash's top 14 bits choose one of 16,384 shards and are not stored; each shard is a
/// sorted list of the hash's low 48 bits and the row (32 bits), grown by an eighth at a time.
/// More shards took more memory at the same speed (the figures are in BENCHMARKS.md).
#[derive(Default)]
struct SeenEmails {
    shards: Vec<Vec<[u16; 5]>>,
}

const SHARD_BITS: u32 = 14;
const LOW_BITS: u64 = (1 << 48) - 1;

impl SeenEmails {
    /// Brings what looking up `hashes` reads into the cache: one pass over their shards, one
    /// over the entries a binary search reads first (the middle) and last (the ends). The table
    /// outgrows the caches, and a lookup waits out two misses in a row, a large part of a dry
    /// run's time; the loads of one pass do not depend on each other, so the processor waits
    /// for them together.
    fn warm(&self, hashes: impl Iterator<Item = u64> + Clone) {
        if self.shards.is_empty() {
            return;
        }
        let mut sum = 0usize;
        for hash in hashes.clone() {
            sum = sum.wrapping_add(self.shards[shard_of(hash)].len());
        }
        for hash in hashes {
            let shard = &self.shards[shard_of(hash)];
            let probes = [shard.get(shard.len() / 2), shard.first(), shard.last()];
            for entry in probes.into_iter().flatten() {
                sum = sum.wrapping_add(usize::from(entry[0]));
            }
        }
        std::hint::black_box(sum);
    }

    /// The first row with `hash`, which is `row` when it is new (and then noted).
    fn first_or_insert(&mut self, hash: u64, row: u64) -> u64 {
        if self.shards.is_empty() {
            self.shards.resize_with(1 << SHARD_BITS, Vec::new);
        }
        let shard = &mut self.shards[shard_of(hash)];
        let key = hash & LOW_BITS;
        match shard.binary_search_by_key(&key, |e| join48(&e[..3])) {
            Ok(i) => u64::from(shard[i][3]) << 16 | u64::from(shard[i][4]),
            Err(i) => {
                if shard.len() == shard.capacity() {
                    shard.reserve_exact((shard.len() / 8).max(4));
                }
                let [k0, k1, k2] = split48(key);
                // Rows past 2^32 (a file of tens of gigabytes) are noted as the last number,
                // which only a later duplicate's message shows.
                let noted = row.min(u64::from(u32::MAX));
                shard.insert(i, [k0, k1, k2, (noted >> 16) as u16, noted as u16]);
                row
            }
        }
    }
}

fn shard_of(hash: u64) -> usize {
    (hash >> (64 - SHARD_BITS)) as usize
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
    use crate::input::mapping::Layout;
    use crate::input::reader::CsvInput;

    /// The outcomes of checking `csv` in one batch, `prepared` rows of it prepared beforehand
    /// (as the reader does while the checker is busy).
    fn outcomes(csv: &str, dry_run: bool, prepared: usize) -> Vec<String> {
        let source = Box::new(std::io::Cursor::new(csv.as_bytes().to_vec()));
        let mut input = CsvInput::from_reader(source, None).expect("a CSV");
        let (map, _) = ColumnMap::new(input.headers(), &Layout::default()).expect("a header");
        let mut checker = Checker::new(map, dry_run, Finished::default());
        let mut rows = Vec::new();
        while let Some(raw) = input.next_row().expect("rows") {
            rows.push(Row::from(raw));
        }
        checker.preparer().prepare(&mut rows, prepared);
        let items = checker.check_batch(rows);
        items.iter().map(|item| format!("{item:?}")).collect()
    }

    #[test]
    fn rows_prepared_by_another_thread_are_checked_alike() {
        let csv = "email,name,lang,taxExempt\n\
                   ann@example.com,Ann,en,\n\
                   bad-email,Bob,english,yes\n\
                   ANN@example.com,Ann again,,\n\
                   cy@example.com,Cy,de,no\n\
                   ,No one,,\n";
        for dry_run in [true, false] {
            let alone = outcomes(csv, dry_run, 0);
            assert_eq!(alone.len(), 5);
            assert!(alone[1].contains("Invalid") && alone[2].contains("Duplicate"));
            for prepared in [1, 3, 5] {
                assert_eq!(
                    outcomes(csv, dry_run, prepared),
                    alone,
                    "{prepared} prepared"
                );
            }
        }
    }

    #[test]
    fn seen_emails_give_the_first_row_of_each_hash() {
        let mut seen = SeenEmails::default();
        let hashes = [
            0,
            u64::MAX,
            1 << 50,
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
        // Rows past 2^32 are new rows all the same; a duplicate of one names the last number.
        let far = u64::from(u32::MAX) + 10;
        assert_eq!(seen.first_or_insert(42 << 50, far), far);
        assert_eq!(seen.first_or_insert(42 << 50, far + 1), u64::from(u32::MAX));
    }
}
