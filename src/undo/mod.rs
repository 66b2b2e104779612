//! `undo`: reversing an import from the undo log it left beside its results file, through the
//! same engine as the import (rate, concurrency, retries, stop).
//!
//! Every logged write is judged on what the store holds *now*, read first: a customer the
//! import created is deleted only while it still holds what the import wrote and has no orders;
//! a customer it updated gets its old values back only while it still holds what the import
//! sent. Anything else is left alone and reported. Reading before writing makes a second undo
//! send no write at all.

mod groups;
mod reverse;

use std::path::PathBuf;
use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream;

use crate::config::Connection;
use crate::ecwid::engine::Stop;
use crate::error::Error;
use crate::ledger::undo_log;
use crate::outcome::{ExitStatus, RowOutcome};
use crate::report;
use crate::report::next::Typed;
use crate::report::results::write_results;
use crate::report::temp_files::TempFiles;
use crate::report::undo::UndoRun;
use reverse::Reverser;

/// The checked settings of an undo.
#[derive(Debug, Clone)]
pub(crate) struct UndoConfig {
    /// The import's results file: the lock is taken on it, the log and output are beside it.
    pub(crate) results: PathBuf,
    pub(crate) log: PathBuf,
    pub(crate) output: PathBuf,
    /// Without it nothing is written to the store: `would_delete` / `would_restore`.
    pub(crate) yes: bool,
    pub(crate) connection: Connection,
}

/// Undoes the logged writes, writes the undo results and sums the run up on stderr: in one
/// line when `quiet`, with the next step made from the command line as `typed`.
pub(crate) async fn run(
    config: &UndoConfig,
    stop: &Stop,
    temp_files: &TempFiles,
    quiet: bool,
    typed: Option<&Typed>,
) -> Result<ExitStatus, Error> {
    let entries = undo_log::read(&config.log).map_err(|source| Error::UndoLog {
        path: config.log.clone(),
        source,
    })?;
    let engine = config.connection.engine(stop)?;
    let reverser = Arc::new(Reverser {
        engine,
        yes: config.yes,
    });
    let outcomes: Vec<RowOutcome> = stream::iter(entries)
        .map(|entry| {
            let reverser = Arc::clone(&reverser);
            async move { reverser.reverse(&entry).await }
        })
        .buffered(config.connection.concurrency)
        .collect()
        .await;
    write_results(&config.output, &outcomes, temp_files).map_err(|source| Error::Output {
        path: config.output.clone(),
        source,
    })?;
    let created = undo_log::created_groups(&config.log).map_err(|source| Error::UndoLog {
        path: config.log.clone(),
        source,
    })?;
    let groups = groups::remove(&reverser.engine, &created, config.yes, stop).await;
    let run = UndoRun {
        log: &config.log,
        output: &config.output,
        yes: config.yes,
        outcomes: &outcomes,
        counts: reverser.engine.counts(),
    };
    let (code, summary) = report::undo::end(&run, stop, typed, quiet);
    tracing_indicatif::suspend_tracing_indicatif(|| eprint!("{groups}{summary}"));
    Ok(code)
}
