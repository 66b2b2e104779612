//! The end-of-run summary: counts per status, requests, retries and the most frequent errors,
//! as text for people (stderr) and as JSON for schedulers (`--summary-json`).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::outcome::{ExitStatus, RowOutcome, Status};
use crate::words::count;

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
        // Ties in the order of the text too, so that the same file gives the same summary.
        all.sort_by(|a, b| {
            (b.count.cmp(&a.count))
                .then(a.first_row.cmp(&b.first_row))
                .then_with(|| a.error.cmp(&b.error))
        });
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

/// Cells of one column read as blank although they held something: a value that stands for
/// nothing (`null`, `N/A`, `-`), or a name that is an email address.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LeftBlank {
    /// [`LeftBlank::PLACEHOLDER`], [`LeftBlank::EMAIL_AS_NAME`] or
    /// [`LeftBlank::ADDRESS_KEPT_WHOLE`] (not blank: a whole address in one cell that was not
    /// split for certain, sent whole as the street).
    pub kind: &'static str,
    /// The column, or the columns of a name joined by ` + `.
    pub column: String,
    pub cells: u64,
}

impl LeftBlank {
    pub const PLACEHOLDER: &'static str = "placeholder";
    pub const EMAIL_AS_NAME: &'static str = "email_as_name";
    pub const ADDRESS_KEPT_WHOLE: &'static str = "address_kept_whole";
}

/// Batches of `--batch`: sent (or taken up from an interrupted run), done, stopped (given up on
/// and stopped by the store: `DELETE /batch`), and still pending.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct BatchCounts {
    pub sent: u64,
    pub done: u64,
    pub stopped: u64,
    pub pending: u64,
}

impl BatchCounts {
    pub(crate) fn new(sent: u64, done: u64, stopped: u64) -> Self {
        Self {
            sent,
            done,
            stopped,
            pending: sent.saturating_sub(done).saturating_sub(stopped),
        }
    }

    /// `, stopped N` when a batch was stopped, for the lines that show the counts.
    pub(crate) fn stopped_text(&self) -> String {
        if self.stopped == 0 {
            String::new()
        } else {
            format!(", {} stopped", self.stopped)
        }
    }
}

/// The store read before sending: customers read, how many of them the file names, and the
/// requests that cost (the store's size and the pages: every `list` request of the run).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct SnapshotCounts {
    pub customers: u64,
    pub requests: u64,
    /// Customers read whose email is in the file.
    pub in_file: u64,
}

/// `plan`: the writes the import with the same options would send (one create per
/// `would_create` row, one `PUT` per `would_update` row), beside the reads the plan made.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct PlanCounts {
    pub create: u64,
    pub update: u64,
    /// The listing requests the import's read-back would make after those writes
    /// (`--read-back`), at least.
    pub read_back: u64,
}

/// The read-back after the writes (`--read-back`): customers compared, the listing requests
/// that cost, and where the fields not kept are remembered (when any were found).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ReadBackCounts {
    pub customers: u64,
    pub requests: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remembered_in: Option<String>,
}

/// What the person does next, as a command to paste: `what` says when and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NextStep {
    pub what: String,
    pub command: String,
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
    /// Cells read as blank although they held something, by kind and column.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub left_blank: Vec<LeftBlank>,
    /// Only for `plan`: the writes the import would send.
    #[serde(rename = "import_would_send", skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanCounts>,
    /// Only when the run read back what it wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_back: Option<ReadBackCounts>,
    /// Customers whose store did not keep each field as sent, by field (empty when none, or
    /// when nothing was read back).
    pub fields_not_kept: BTreeMap<String, u64>,
    /// Why the run stopped early; absent when it ran to the end. How to continue is the first
    /// of `next_steps`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// The commands to run next, the most pressing first (see `report::next`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next_steps: Vec<NextStep>,
    #[serde(skip)]
    pub dry_run: bool,
    /// The annotated workbook, when the run wrote one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
}

impl Summary {
    fn verb(&self) -> &'static str {
        match (self.dry_run, self.plan.is_some()) {
            (true, _) => "Checked",
            (false, true) => "Planned",
            (false, false) => "Imported",
        }
    }

    /// The rows to fix: in the failed-rows file (`would_fail` rows of a plan are not in it,
    /// but fail alike).
    pub(crate) fn to_fix(&self) -> u64 {
        self.by_status
            .iter()
            .filter(|(s, _)| matches!(*s, "invalid" | "failed" | "would_fail"))
            .map(|(_, n)| n)
            .sum()
    }

    /// The summary for a person at a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} in {:.1} s",
            self.verb(),
            count(self.rows, "row", "rows"),
            self.elapsed_seconds
        );
        for (status, count) in &self.by_status {
            let _ = writeln!(out, "  {status:<13} {count:>8}");
        }
        if !self.dry_run {
            let _ = writeln!(out, "{}", self.requests_line());
        }
        if let Some(p) = &self.plan {
            let writes = match (p.create, p.update) {
                (0, 0) => "no write".to_string(),
                (create, update) => format!(
                    "{} and {}",
                    count(create, "create", "creates"),
                    count(update, "update", "updates")
                ),
            };
            let _ = writeln!(
                out,
                "The import would send {writes}, after the same reads as this plan{}",
                match p.read_back {
                    0 => String::new(),
                    n => format!(
                        ", then read back what it wrote: {}",
                        count(n, "request", "requests")
                    ),
                }
            );
        }
        if let Some(s) = &self.snapshot {
            let _ = writeln!(out, "{}", store_read(s));
        }
        // A run that wrote nothing read nothing back: no line for it.
        if let Some(r) = self.read_back.as_ref().filter(|r| r.requests > 0) {
            let _ = writeln!(
                out,
                "Read back {} in {}",
                count(r.customers, "customer", "customers"),
                count(r.requests, "request", "requests")
            );
        }
        if !self.fields_not_kept.is_empty() {
            let fields: Vec<String> = self
                .fields_not_kept
                .iter()
                .map(|(field, n)| format!("{field} ({})", count(*n, "customer", "customers")))
                .collect();
            let _ = writeln!(
                out,
                "The store did not keep as sent: {} (noted in the rows' error)",
                fields.join(", ")
            );
            if let Some(path) = self
                .read_back
                .as_ref()
                .and_then(|r| r.remembered_in.as_ref())
            {
                let _ = writeln!(
                    out,
                    "Remembered in {path}: later runs send no update for them (delete it to \
                     forget them)"
                );
            }
        }
        if let Some(b) = &self.batches {
            let _ = writeln!(
                out,
                "Batches: {} sent, {} done{}, {} pending",
                b.sent,
                b.done,
                b.stopped_text(),
                b.pending
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
        for kind in [
            LeftBlank::PLACEHOLDER,
            LeftBlank::EMAIL_AS_NAME,
            LeftBlank::ADDRESS_KEPT_WHOLE,
        ] {
            let of_kind: Vec<&LeftBlank> =
                self.left_blank.iter().filter(|b| b.kind == kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            let total: u64 = of_kind.iter().map(|b| b.cells).sum();
            let columns: Vec<String> = of_kind
                .iter()
                .map(|b| format!("{} {}", b.column, b.cells))
                .collect();
            let what = match (kind, total == 1) {
                (LeftBlank::PLACEHOLDER, true) => {
                    "cell held a placeholder (null, N/A, -, ...) and was left blank"
                }
                (LeftBlank::PLACEHOLDER, false) => {
                    "cells held a placeholder (null, N/A, -, ...) and were left blank"
                }
                (LeftBlank::EMAIL_AS_NAME, true) => "name was an email address and was left out",
                (LeftBlank::EMAIL_AS_NAME, false) => "names were email addresses and were left out",
                (_, true) => {
                    "address in one cell was not split into city, postal code and country for \
                     certain and was sent whole as the street (check it in Ecwid)"
                }
                (_, false) => {
                    "addresses in one cell were not split into city, postal code and country \
                     for certain and were sent whole as the street (check them in Ecwid)"
                }
            };
            let _ = writeln!(out, "{total} {what}: {}", columns.join(", "));
        }
        let _ = writeln!(out, "Results: {}", self.output);
        if let Some(report) = &self.report {
            let _ = writeln!(
                out,
                "Report (open it in a spreadsheet, fix, import it): {report}"
            );
        }
        let to_fix = self.to_fix();
        if to_fix > 0 {
            let _ = writeln!(
                out,
                "{} to fix: {}",
                count(to_fix, "row", "rows"),
                self.failed_output
            );
        }
        if let Some(stopped) = &self.stopped {
            let _ = writeln!(out, "Stopped early: {stopped}");
        }
        for step in &self.next_steps {
            let _ = writeln!(out, "{}: {}", step.what, step.command);
        }
        out
    }

    /// `-q`'s one line: the rows and their statuses, why the run stopped early, and the most
    /// pressing next step.
    pub fn to_line(&self) -> String {
        let statuses: Vec<String> = self
            .by_status
            .iter()
            .map(|(status, n)| format!("{n} {status}"))
            .collect();
        let mut line = format!(
            "{} {} in {:.1} s",
            self.verb(),
            count(self.rows, "row", "rows"),
            self.elapsed_seconds
        );
        if !statuses.is_empty() {
            line.push_str(&format!(": {}", statuses.join(", ")));
        }
        if let Some(stopped) = &self.stopped {
            line.push_str(&format!("; stopped early: {stopped}"));
        }
        if let Some(step) = self.next_steps.first() {
            line.push_str(&format!(". {}: {}", step.what, step.command));
        }
        line.push('\n');
        line
    }

    /// `Requests: 24 (22 create, 2 list), 0 retries, 0 rate-limited (429)`, and the creates a
    /// look-up confirmed when there were any.
    fn requests_line(&self) -> String {
        let kinds: Vec<String> = self
            .requests_by_kind
            .iter()
            .filter(|(_, n)| *n > 0)
            // The JSON's keys as words: `batch_poll` reads "batch poll".
            .map(|(kind, n)| format!("{n} {}", kind.replace('_', " ")))
            .collect();
        if self.requests == 0 {
            return "Requests: none".to_string();
        }
        let mut line = format!("Requests: {}", self.requests);
        if !kinds.is_empty() {
            line.push_str(&format!(" ({})", kinds.join(", ")));
        }
        line.push_str(&format!(
            ", {}, {} rate-limited (429)",
            count(self.retries, "retry", "retries"),
            self.rate_limited
        ));
        if self.confirmed_by_lookup > 0 {
            line.push_str(&format!(
                ", {} confirmed by a look-up",
                count(self.confirmed_by_lookup, "create", "creates")
            ));
        }
        line
    }

    pub(crate) fn write_json(&self, path: &Path) -> io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        std::fs::write(path, json + "\n")
    }
}

/// The store read first: the summary's line, and the INFO line at the end of the read.
pub(crate) fn store_read(s: &SnapshotCounts) -> String {
    let requests = count(s.requests, "request", "requests");
    if s.customers == 0 {
        format!("Store read first: no customers yet ({requests})")
    } else {
        format!(
            "Store read first: {} in {requests}, {} of them in the file",
            count(s.customers, "customer", "customers"),
            s.in_file
        )
    }
}

fn as_map<S: serde::Serializer>(pairs: &[(&'static str, u64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of rows that were all invalid: no request, no write, and words that agree with
    /// their numbers.
    #[test]
    fn a_plan_of_nothing_reads_plainly() {
        let summary = Summary {
            rows: 1,
            by_status: vec![("invalid", 1)],
            requests: 0,
            requests_by_kind: vec![("create", 0)],
            retries: 0,
            rate_limited: 0,
            lookups: 0,
            confirmed_by_lookup: 0,
            batches: None,
            snapshot: None,
            elapsed_seconds: 0.0,
            exit_code: ExitStatus::RowsFailed,
            output: "c.plan.csv".into(),
            failed_output: "c.plan.failed.csv".into(),
            top_errors: Vec::new(),
            left_blank: Vec::new(),
            plan: Some(PlanCounts::default()),
            read_back: None,
            fields_not_kept: BTreeMap::new(),
            stopped: None,
            next_steps: Vec::new(),
            dry_run: false,
            report: None,
        };
        assert_eq!(
            summary.to_text(),
            "Planned 1 row in 0.0 s\n  invalid              1\nRequests: none\n\
             The import would send no write, after the same reads as this plan\n\
             Results: c.plan.csv\n1 row to fix: c.plan.failed.csv\n"
        );
        assert_eq!(summary.to_line(), "Planned 1 row in 0.0 s: 1 invalid\n");
    }
}
