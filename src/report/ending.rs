//! How a run ends: its exit status and why it stopped early, from its stop signal and its rows
//! (one mapping for `import`, `plan`, `validate` and `undo`; `export` has no rows: its own end
//! is in `export`), and the end of an import, plan or check on stderr and in `--summary-json`
//! (undo's is in [`super::undo`]).

use super::next::{self, Ended, Typed};
use super::summary::{NextStep, Summary};
use crate::config::Config;
use crate::ecwid::engine::{Stop, StopReason};
use crate::error::Error;
use crate::outcome::ExitStatus;

/// Removes the summary JSON of an earlier run before this one starts: a scheduler must never
/// read the summary of an earlier run as this one's.
pub(crate) fn clear_summary_json(config: &Config) -> Result<(), Error> {
    match &config.outputs.summary_json {
        Some(path) => match std::fs::remove_file(path) {
            Err(source) if source.kind() != std::io::ErrorKind::NotFound => Err(Error::Output {
                path: path.clone(),
                source,
            }),
            _ => Ok(()),
        },
        None => Ok(()),
    }
}

/// The end of an import, plan or check: its next steps made from the command line as
/// `typed`, the summary JSON written, and the summary on stderr (one line when `quiet`).
pub(crate) fn after_import(
    config: &Config,
    mut summary: Summary,
    typed: Option<&Typed>,
    quiet: bool,
) -> Result<ExitStatus, Error> {
    summary.next_steps = next_steps(config, &summary, typed);
    if let Some(path) = &config.outputs.summary_json {
        summary.write_json(path).map_err(|source| Error::Output {
            path: path.clone(),
            source,
        })?;
    }
    let text = if quiet {
        summary.to_line()
    } else {
        summary.to_text()
    };
    tracing_indicatif::suspend_tracing_indicatif(|| eprint!("{text}"));
    Ok(summary.exit_code)
}

/// What the person can do next after this run (see [`super::next`]).
fn next_steps(config: &Config, summary: &Summary, typed: Option<&Typed>) -> Vec<NextStep> {
    let plan = summary.plan.unwrap_or_default();
    // The undo log is kept with the journal: not for a plan, nor for `--sandbox`.
    let undo_log = config.outputs.undo_log.as_ref();
    next::after_import(
        typed,
        &Ended {
            stopped: summary.stopped.is_some(),
            plan: config.mode.send().map(|_| config.mode.is_plan()),
            journal: config.outputs.journal.is_some(),
            to_fix: summary.to_fix(),
            would_write: plan.create + plan.update,
            results: &summary.output,
            failed_output: &summary.failed_output,
            undo_log: undo_log.is_some_and(|log| std::fs::metadata(log).is_ok_and(|m| m.len() > 0)),
        },
    )
}

/// The exit status, and why the run stopped early when it did; `all_succeeded`: whether every
/// row ended well, `not_done`: what an interrupted run's unsent rows mean (how to continue is
/// the summary's first next step, [`super::next`]).
pub(crate) fn ending(
    stop: &Stop,
    all_succeeded: bool,
    not_done: &str,
) -> (ExitStatus, Option<String>) {
    match stop.reason() {
        Some(StopReason::Aborted(message)) => (ExitStatus::StoreRefused, Some(message.clone())),
        Some(StopReason::Interrupted) => (
            ExitStatus::Interrupted,
            Some(format!("interrupted; {not_done}")),
        ),
        None if all_succeeded => (ExitStatus::Ok, None),
        None => (ExitStatus::RowsFailed, None),
    }
}
