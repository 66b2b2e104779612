//! The last stage of the pipeline: each row's outcome, in input order, goes to the results
//! file, the journal, the counts and the progress display.

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::ecwid::engine::Stop;
use crate::error::Error;
use crate::ledger::journal::Journal;
use crate::outcome::{RowOutcome, Status};
use crate::report::annotated::ReportWriter;
use crate::report::progress::Progress;
use crate::report::results::ResultsWriter;
use crate::report::summary::{BatchCounts, Tally};

/// What the recorder hands back once every row is recorded.
pub(super) struct Recorded {
    pub(super) results: ResultsWriter,
    pub(super) report: Option<ReportWriter>,
    pub(super) journal: Option<Arc<Journal>>,
    pub(super) tally: Tally,
}

/// Records outcomes in input order: results file, journal, counts and progress.
pub(super) struct Recorder {
    results: ResultsWriter,
    report: Option<ReportWriter>,
    journal: Option<Arc<Journal>>,
    /// Rows replayed from the journal of an interrupted run: already journaled.
    replayed: u64,
    /// Finished rows are journaled only while every earlier row is finished too.
    journal_open: bool,
    tally: Tally,
    progress: Progress,
    error: Option<Error>,
}

impl Recorder {
    /// `replayed`: rows 1 to this one were finished by an interrupted run.
    pub(super) fn new(
        results: ResultsWriter,
        report: Option<ReportWriter>,
        journal: Option<Arc<Journal>>,
        replayed: u64,
        progress: Progress,
    ) -> Self {
        Self {
            results,
            report,
            journal,
            replayed,
            journal_open: true,
            tally: Tally::default(),
            progress,
            error: None,
        }
    }

    /// Shows the counts so far, and how far into the file the recorded rows reach.
    pub(super) fn show(
        &mut self,
        done_bytes: u64,
        retries: u64,
        paused: Option<Duration>,
        batches: Option<BatchCounts>,
    ) {
        self.progress
            .update(&self.tally, done_bytes, retries, paused, batches);
    }

    /// Whether a row was left unsettled (the run stopped before it was, or its batch is in
    /// doubt): the journal is then kept for `--resume`.
    pub(super) fn left_unsettled(&self) -> bool {
        !self.journal_open
    }

    /// The results writer, report, journal and counts, once every row is recorded; `Err`
    /// when the results, the report or the journal could not be written.
    pub(super) fn finish(self) -> Result<Recorded, Error> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(Recorded {
                results: self.results,
                report: self.report,
                journal: self.journal,
                tally: self.tally,
            }),
        }
    }

    pub(super) fn record(&mut self, outcome: &RowOutcome, config: &Config, stop: &Stop) {
        tracing::debug!(
            "row {} (line {}) {}: {} {}",
            outcome.row,
            outcome.line,
            outcome.email,
            outcome.status,
            outcome.error
        );
        self.tally.add(outcome);
        self.journal_open &= outcome.settled;
        if let Some(journal) = &self.journal
            && self.journal_open
            && outcome.row > self.replayed
        {
            // Its line may wait for the next `S` line only where losing it costs no more than
            // a look-up: a created row is found as created (registered during the run, whose
            // start the journal keeps), an unsent one checked again alike.
            // Once the run stops, no `S` line follows: lines go out at once.
            let alike_again = matches!(
                outcome.status,
                Status::Created | Status::Invalid | Status::Duplicate | Status::Merged
            );
            journal.finished(outcome, !alike_again || stop.is_stopped());
        }
        if self.error.is_some() {
            return;
        }
        let journal_error = self.journal.as_ref().and_then(|j| j.take_error());
        let report = match (&mut self.report, &config.outputs.report) {
            (Some(report), Some(path)) => report.write(outcome).map_err(|source| Error::Output {
                path: path.clone(),
                source,
            }),
            _ => Ok(()),
        };
        self.error = match (self.results.write(outcome), journal_error) {
            (Err(source), _) => Some(Error::Output {
                path: config.outputs.results.clone(),
                source,
            }),
            (Ok(()), _) if report.is_err() => report.err(),
            (Ok(()), Some(source)) => Some(Error::Output {
                path: super::open::journal_path(config),
                source,
            }),
            (Ok(()), None) => None,
        };
        if self.error.is_some() {
            // Nothing more is sent; rows in flight still finish, so none is left unknown.
            stop.abort("the results, the report or the journal cannot be written".into());
        }
    }
}
