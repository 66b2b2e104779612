//! The end of an `undo` on stderr, in the words of an import's summary ([`super::summary`]):
//! counts per status, requests per kind, the results file, why it stopped and the next step.

use std::path::Path;

use super::ending::ending;
use super::next::{self, Typed};
use super::summary::NextStep;
use crate::ecwid::engine::{Counts, Kind, Stop};
use crate::outcome::{ExitStatus, RowOutcome, Status};
use crate::words::count;

/// What an undo did, for its summary.
pub(crate) struct UndoRun<'a> {
    /// The undo log read.
    pub(crate) log: &'a Path,
    /// The undo results file written.
    pub(crate) output: &'a Path,
    /// `--yes`: whether anything was written to the store.
    pub(crate) yes: bool,
    pub(crate) outcomes: &'a [RowOutcome],
    /// The requests sent, by kind.
    pub(crate) counts: &'a Counts,
}

/// The undo's exit status and its summary: in one line when `quiet`, with the next step made
/// from the command line as `typed`.
pub(crate) fn end(
    run: &UndoRun<'_>,
    stop: &Stop,
    typed: Option<&Typed>,
    quiet: bool,
) -> (ExitStatus, String) {
    let all_succeeded = run.outcomes.iter().all(|o| o.status.is_success());
    let (code, why) = ending(
        stop,
        all_succeeded,
        "writes marked not_sent were not undone",
    );
    let count_of = |wanted: &[Status]| {
        run.outcomes
            .iter()
            .filter(|o| wanted.contains(&o.status))
            .count() as u64
    };
    let next = next::after_undo(
        typed,
        why.is_some(),
        run.yes,
        count_of(&[Status::WouldDelete, Status::WouldRestore]),
        count_of(&[Status::Failed]),
    );
    (code, summary(run, why, &next, quiet))
}

/// The summary; `quiet`: the counts, why it stopped and the next step in one line.
fn summary(run: &UndoRun<'_>, why: Option<String>, next: &[NextStep], quiet: bool) -> String {
    let outcomes = run.outcomes;
    let counts: Vec<String> = Status::ALL
        .iter()
        .filter_map(|&status| {
            let n = outcomes.iter().filter(|o| o.status == status).count();
            (n > 0).then(|| format!("{n} {status}"))
        })
        .collect();
    // Every kind the engine counted: an undo through the batch lane sends submits and polls.
    let kinds = Kind::ALL;
    let total: u64 = kinds.iter().map(|&k| run.counts.kind(k).requests).sum();
    let requests: Vec<String> = kinds
        .iter()
        .map(|&kind| (kind.key(), run.counts.kind(kind).requests))
        .filter(|(_, n)| *n > 0)
        .map(|(key, n)| format!("{n} {key}"))
        .collect();
    if outcomes.is_empty() {
        return format!(
            "Undo: nothing to undo (no write logged in {})\n",
            run.log.display()
        );
    }
    let mut text = format!(
        "Undo: {}",
        count(outcomes.len() as u64, "logged write", "logged writes")
    );
    if !counts.is_empty() {
        text.push_str(&format!(": {}", counts.join(", ")));
    }
    if quiet {
        if let Some(why) = why {
            text.push_str(&format!("; stopped early: {why}"));
        }
        if let Some(step) = next.first() {
            text.push_str(&format!(". {}: {}", step.what, step.command));
        }
        text.push('\n');
        return text;
    }
    text.push('\n');
    text.push_str(&format!("Requests: {total}"));
    if !requests.is_empty() {
        text.push_str(&format!(" ({})", requests.join(", ")));
    }
    text.push('\n');
    if !run.yes {
        text.push_str("Nothing was written to the store (no --yes)\n");
    }
    text.push_str(&format!("Results: {}\n", run.output.display()));
    if let Some(why) = why {
        text.push_str(&format!("Stopped early: {why}\n"));
    }
    for step in next {
        text.push_str(&format!("{}: {}\n", step.what, step.command));
    }
    text
}
