//! `undo`: reversing an import from the undo log it left beside its results file, through the
//! same engine as the import (rate, concurrency, retries, stop).
//!
//! Every logged write is judged on what the store holds *now*, read first: a customer the
//! import created is deleted only while it still holds what the import wrote and has no orders;
//! a customer it updated gets its old values back only while it still holds what the import
//! sent. Anything else is left alone and reported. Reading before writing makes a second undo
//! send no write at all.

mod batched;
mod groups;
mod reverse;

use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream;

use crate::config::{Connection, Lane, UndoFiles};
use crate::ecwid::engine::Stop;
use crate::error::Error;
use crate::ledger::undo_log;
use crate::outcome::{ExitStatus, RowOutcome};
use crate::report;
use crate::report::next::Typed;
use crate::report::results::write_results;
use crate::report::temp_files::TempFiles;
use crate::report::undo::UndoRun;
use batched::Batched;
use reverse::Reverser;

use crate::lane::{BatchLane, KeyBase};
use crate::ledger::journal::fingerprint;

/// The checked settings of an undo.
#[derive(Debug, Clone)]
pub(crate) struct UndoConfig {
    /// The results file of the import undone, and the files beside it the undo reads and
    /// writes.
    pub(crate) files: UndoFiles,
    /// Without it nothing is written to the store: `would_delete` / `would_restore`.
    pub(crate) yes: bool,
    pub(crate) connection: Connection,
    /// `--lane`: the reads and writes one request each, or in batches of `batch_size`
    /// (`auto`: batches when there are at least that many logged writes).
    pub(crate) lane: Lane,
    pub(crate) batch_size: usize,
    /// `--batch-timeout`.
    pub(crate) batch_timeout: std::time::Duration,
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
    let entries = undo_log::read(&config.files.log).map_err(|source| Error::UndoLog {
        path: config.files.log.clone(),
        source,
    })?;
    let engine = config.connection.engine(stop)?;
    let reverser = Arc::new(Reverser {
        engine: Arc::new(engine),
        yes: config.yes,
    });
    let outcomes: Vec<RowOutcome> = match batched(config, &reverser, entries.len())? {
        Some(batched) => Arc::new(batched).reverse_all(entries).await,
        None => {
            stream::iter(entries)
                .map(|entry| {
                    let reverser = Arc::clone(&reverser);
                    async move { reverser.reverse(&entry).await }
                })
                .buffered(config.connection.concurrency)
                .collect()
                .await
        }
    };
    write_results(&config.files.output, &outcomes, temp_files).map_err(|source| Error::Output {
        path: config.files.output.clone(),
        source,
    })?;
    let created = undo_log::created_groups(&config.files.log).map_err(|source| Error::UndoLog {
        path: config.files.log.clone(),
        source,
    })?;
    let groups = groups::remove(&reverser.engine, &created, config.yes, stop).await;
    let run = UndoRun {
        log: &config.files.log,
        output: &config.files.output,
        yes: config.yes,
        outcomes: &outcomes,
        counts: reverser.engine.counts(),
    };
    let (code, summary) = report::undo::end(&run, stop, typed, quiet);
    tracing_indicatif::suspend_tracing_indicatif(|| eprint!("{groups}{summary}"));
    Ok(code)
}

/// The batch lane of the undo, `None` for the direct lane. Its deduplication keys cover the undo
/// log's content (and the store): the same undo run again over the same log, while a batch of a
/// killed run is still queued, sends the same writes under the same key and gets that batch's
/// ticket instead of a second batch; a new import writes a new log, and new keys.
fn batched(
    config: &UndoConfig,
    reverser: &Arc<Reverser>,
    entries: usize,
) -> Result<Option<Batched>, Error> {
    let size = config.batch_size.max(1);
    let batch = match config.lane {
        Lane::Direct => false,
        Lane::Batch => true,
        Lane::Auto => entries >= size,
    };
    if !batch {
        return Ok(None);
    }
    let log = fingerprint(&config.files.log).map_err(|source| Error::UndoLog {
        path: config.files.log.clone(),
        source,
    })?;
    let client = &config.connection.client;
    let run = KeyBase {
        run_id: format!("undo {log}"),
        store_id: client.store_id,
        api_url: client.api_url.clone(),
    };
    let engine = Arc::clone(&reverser.engine);
    let rate = config.connection.rate.get();
    Ok(Some(Batched {
        reverser: Arc::clone(reverser),
        lane: BatchLane::new(engine, None, run, config.batch_timeout, rate),
        size,
        reads: rand::random(),
    }))
}
