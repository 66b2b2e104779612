//! `undo`: reversing an import from the undo log it left beside its results file, through the
//! same engine as the import (rate, concurrency, retries, stop).
//!
//! Every logged write is judged on what the store holds *now*, read first: a customer the
//! import created is deleted only while it still holds what the import wrote and has no orders;
//! a customer it updated gets its old values back only while it still holds what the import
//! sent. Anything else is left alone and reported. Reading before writing makes a second undo
//! send no write at all.

mod groups;
pub(crate) mod log;
mod reverse;

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream;

use crate::ecwid::{Client, ClientConfig};
use crate::error::Error;
use crate::import::engine::{Engine, Kind};
use crate::import::rate::RateBudget;
use crate::import::stop::{Stop, StopReason};
use crate::outcome::{ExitStatus, RowOutcome, Status};
use crate::report::results::write_results;
use crate::report::temp_files::TempFiles;
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
    pub(crate) client: ClientConfig,
    pub(crate) rate: NonZeroU32,
    pub(crate) concurrency: usize,
    pub(crate) max_retries: u32,
}

/// Undoes the logged writes, writes the undo results and sums the run up on stderr.
pub(crate) async fn run(
    config: &UndoConfig,
    stop: &Stop,
    temp_files: &TempFiles,
) -> Result<ExitStatus, Error> {
    let entries = log::read(&config.log).map_err(|source| Error::UndoLog {
        path: config.log.clone(),
        source,
    })?;
    let client = Client::new(&config.client).map_err(|source| Error::ClientSetup { source })?;
    let engine = Engine::new(
        client,
        RateBudget::new(config.rate),
        config.concurrency,
        config.max_retries,
        stop.clone(),
    );
    let reverser = Arc::new(Reverser {
        engine,
        yes: config.yes,
    });
    let outcomes: Vec<RowOutcome> = stream::iter(entries)
        .map(|entry| {
            let reverser = Arc::clone(&reverser);
            async move { reverser.reverse(&entry).await }
        })
        .buffered(config.concurrency)
        .collect()
        .await;
    write_results(&config.output, &outcomes, temp_files).map_err(|source| Error::Output {
        path: config.output.clone(),
        source,
    })?;
    let created = log::created_groups(&config.log).map_err(|source| Error::UndoLog {
        path: config.log.clone(),
        source,
    })?;
    let groups = groups::remove(&reverser.engine, &created, config.yes, stop).await;
    let (code, why) = ending(stop, &outcomes);
    let mut summary = summary(config, &outcomes, &reverser.engine, why);
    summary.insert_str(0, &groups);
    tracing_indicatif::suspend_tracing_indicatif(|| eprint!("{summary}"));
    Ok(code)
}

/// The exit status, and why the run stopped early when it did.
fn ending(stop: &Stop, outcomes: &[RowOutcome]) -> (ExitStatus, Option<String>) {
    match stop.reason() {
        Some(StopReason::Aborted(message)) => (ExitStatus::StoreRefused, Some(message.clone())),
        Some(StopReason::Interrupted) => (
            ExitStatus::Interrupted,
            Some("interrupted; writes marked not_sent were not undone".into()),
        ),
        None if outcomes.iter().all(|o| o.status.is_success()) => (ExitStatus::Ok, None),
        None => (ExitStatus::RowsFailed, None),
    }
}

/// The summary on stderr: counts per status, requests per kind, the output and exit status.
fn summary(
    config: &UndoConfig,
    outcomes: &[RowOutcome],
    engine: &Engine,
    why: Option<String>,
) -> String {
    let counts: Vec<String> = Status::ALL
        .iter()
        .filter_map(|&status| {
            let n = outcomes.iter().filter(|o| o.status == status).count();
            (n > 0).then(|| format!("{n} {status}"))
        })
        .collect();
    let requests: Vec<String> = [
        Kind::Get,
        Kind::Search,
        Kind::Delete,
        Kind::Update,
        Kind::List,
        Kind::GroupDelete,
    ]
    .iter()
    .map(|&kind| (kind.key(), engine.counts().kind(kind).requests))
    .filter(|(_, n)| *n > 0)
    .map(|(key, n)| format!("{n} {key}"))
    .collect();
    let mut text = format!("undo: {} logged writes", outcomes.len());
    if !counts.is_empty() {
        text.push_str(&format!(": {}", counts.join(", ")));
    }
    text.push('\n');
    if !requests.is_empty() {
        text.push_str(&format!("requests: {}\n", requests.join(", ")));
    }
    if !config.yes {
        text.push_str("nothing was written to the store: run again with --yes to undo\n");
    }
    if let Some(why) = why {
        text.push_str(&format!("stopped: {why}\n"));
    }
    text.push_str(&format!("results: {}\n", config.output.display()));
    text
}
