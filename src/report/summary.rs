//! The end-of-run summary: counts per status, requests, retries and the most frequent errors,
//! as text for people (stderr) and as JSON for schedulers (`--summary-json`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::outcome::{ExitStatus, RowOutcome, Status};

/// How many distinct errors are tracked; rarer ones past this are still counted per status.
const MAX_REASONS: usize = 1000;
/// How many of the most frequent errors the summary lists.
const TOP_ERRORS: usize = 5;

/// Counts outcomes as they are recorded.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) rows: u64,
    by_status: HashMap<Status, u64>,
    reasons: HashMap<String, (u64, u64)>,
}

impl Tally {
    pub(crate) fn add(&mut self, outcome: &RowOutcome) {
        self.rows += 1;
        *self.by_status.entry(outcome.status).or_default() += 1;
        if outcome.status.is_success() || outcome.status == Status::NotSent {
            return;
        }
        for reason in &outcome.reasons {
            let key = format!("{}: {reason}", outcome.status);
            if let Some(entry) = self.reasons.get_mut(&key) {
                entry.0 += 1;
            } else if self.reasons.len() < MAX_REASONS {
                self.reasons.insert(key, (1, outcome.row));
            }
        }
    }

    pub(crate) fn count(&self, status: Status) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }

    /// Whether every row ended as the user wanted.
    pub(crate) fn all_succeeded(&self) -> bool {
        self.by_status.keys().all(|s| s.is_success())
    }

    /// Counts per status, in the summary's order, zero counts left out.
    pub(crate) fn by_status(&self) -> Vec<(&'static str, u64)> {
        Status::ALL
            .iter()
            .map(|&s| (s.as_str(), self.count(s)))
            .filter(|&(_, n)| n > 0)
            .collect()
    }

    /// The most frequent errors, most frequent first, with the first row of each.
    pub(crate) fn top_errors(&self) -> Vec<TopError> {
        let mut all: Vec<TopError> = self
            .reasons
            .iter()
            .map(|(error, &(count, first_row))| TopError {
                error: error.clone(),
                count,
                first_row,
            })
            .collect();
        all.sort_by(|a, b| b.count.cmp(&a.count).then(a.first_row.cmp(&b.first_row)));
        all.truncate(TOP_ERRORS);
        all
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopError {
    pub error: String,
    pub count: u64,
    pub first_row: u64,
}

/// Batches of `--batch`: sent (or taken up from an interrupted run), done, and still pending.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct BatchCounts {
    pub sent: u64,
    pub done: u64,
    pub pending: u64,
}

impl BatchCounts {
    pub(crate) fn new(sent: u64, done: u64) -> Self {
        Self {
            sent,
            done,
            pending: sent.saturating_sub(done),
        }
    }
}

/// The snapshot of the store read before sending: customers read, and the requests that cost
/// (the store's size and the pages).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct SnapshotCounts {
    pub customers: u64,
    pub requests: u64,
}

/// `plan`: the writes the import with the same options would send (one create per
/// `would_create` row, one `PUT` per `would_update` row), beside the reads the plan made.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct PlanCounts {
    pub create: u64,
    pub update: u64,
}

/// Everything the summary says.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub rows: u64,
    /// Counts per status in the order of [`Status::ALL`], zero counts left out.
    #[serde(serialize_with = "as_map")]
    pub by_status: Vec<(&'static str, u64)>,
    pub requests: u64,
    /// Requests per kind (`create`, `search`, ...), every kind present.
    #[serde(serialize_with = "as_map")]
    pub requests_by_kind: Vec<(&'static str, u64)>,
    pub retries: u64,
    pub rate_limited: u64,
    pub lookups: u64,
    pub confirmed_by_lookup: u64,
    /// Only with `--batch`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batches: Option<BatchCounts>,
    /// Only when the store was read first (`--snapshot`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<SnapshotCounts>,
    pub elapsed_seconds: f64,
    /// Written as its number.
    pub exit_code: ExitStatus,
    pub output: String,
    pub failed_output: String,
    pub top_errors: Vec<TopError>,
    /// Only for `plan`: the writes the import would send.
    #[serde(rename = "import_would_send", skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanCounts>,
    /// Why the run stopped early, and what to do; absent when it ran to the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    #[serde(skip)]
    pub dry_run: bool,
    /// The annotated workbook, when the run wrote one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
}

impl Summary {
    /// The summary for a person at a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let verb = match (self.dry_run, self.plan.is_some()) {
            (true, _) => "Checked",
            (false, true) => "Planned",
            (false, false) => "Imported",
        };
        let _ = writeln!(
            out,
            "{verb} {} rows in {:.1} s",
            self.rows, self.elapsed_seconds
        );
        for (status, count) in &self.by_status {
            let _ = writeln!(out, "  {status:<13} {count:>8}");
        }
        if !self.dry_run {
            let _ = writeln!(
                out,
                "Requests {}, retries {}, rate limited (429) {}, look-ups {} ({} confirmed a create)",
                self.requests,
                self.retries,
                self.rate_limited,
                self.lookups,
                self.confirmed_by_lookup
            );
        }
        if let Some(p) = &self.plan {
            let _ = writeln!(
                out,
                "The import would send {} creates and {} updates (and read the store as this \
                 plan did: {} requests)",
                p.create, p.update, self.requests
            );
        }
        if let Some(s) = &self.snapshot {
            let _ = writeln!(
                out,
                "Store read first: {} customers in {} requests (rows it holds needed no create)",
                s.customers, s.requests
            );
        }
        if let Some(b) = &self.batches {
            let _ = writeln!(
                out,
                "Batches sent {}, done {}, pending {}",
                b.sent, b.done, b.pending
            );
        }
        if !self.top_errors.is_empty() {
            let _ = writeln!(out, "Most frequent errors:");
            for e in &self.top_errors {
                let _ = writeln!(
                    out,
                    "  {:>6} x {} (first at row {})",
                    e.count, e.error, e.first_row
                );
            }
        }
        let _ = writeln!(out, "Results: {}", self.output);
        if let Some(report) = &self.report {
            let _ = writeln!(
                out,
                "Report (open it in a spreadsheet, fix, import it): {report}"
            );
        }
        let to_fix: u64 = self
            .by_status
            .iter()
            .filter(|(s, _)| matches!(*s, "invalid" | "failed" | "would_fail"))
            .map(|(_, n)| n)
            .sum();
        if to_fix > 0 {
            let _ = writeln!(
                out,
                "{to_fix} rows to fix and import again: {}",
                self.failed_output
            );
        }
        if let Some(stopped) = &self.stopped {
            let _ = writeln!(out, "Stopped early: {stopped}");
        }
        out
    }

    pub(crate) fn write_json(&self, path: &Path) -> io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        std::fs::write(path, json + "\n")
    }
}

fn as_map<S: serde::Serializer>(pairs: &[(&'static str, u64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}
