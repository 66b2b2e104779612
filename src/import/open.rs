//! The first stage of a run: open the input, learn what its columns mean, and make ready what
//! its rows go to (the client, the journal of an import, the results file), refusing at once
//! what cannot work before anything is sent or written.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, Lane, Mode, SendConfig, Writes};
use crate::ecwid::Client;
use crate::error::Error;
use crate::input::mapping::{Choice, ColumnMap};
use crate::input::source::Input;
use crate::ledger::journal::{self, Identity, Journal};
use crate::ledger::resumed::Finished;
use crate::ledger::undo_log::UndoLog;
use crate::report::annotated::{ReportKind, ReportWriter, SummaryFacts};
use crate::report::results::ResultsWriter;
use crate::report::temp_files::TempFiles;
use crate::words::count;

/// What the run's later stages start from.
pub(super) struct Opened {
    pub input: Input,
    pub map: ColumnMap,
    pub journal: Option<Arc<Journal>>,
    /// The undo log an import appends to (not for a sandbox store, gone with the run).
    pub undo: Option<Arc<UndoLog>>,
    /// What an interrupted run finished (nothing unless `--resume`).
    pub finished: Finished,
    /// The run's id, which its batches' deduplication keys cover: the interrupted run's with
    /// `--resume` (empty for a dry run).
    pub run_id: String,
    pub results: ResultsWriter,
    /// The annotated workbook, when the run writes one.
    pub report: Option<ReportWriter>,
}

/// The input and what its columns mean, before anything is written.
pub(super) fn input(config: &Config) -> Result<(Input, ColumnMap, Choice), Error> {
    let input =
        Input::open(&config.input, config.read_options()).map_err(|source| Error::Input {
            path: config.input.clone(),
            source,
        })?;
    if let Some(sheet) = input.sheet() {
        tracing::info!("reading the sheet {sheet:?}");
        if config.delimiter.is_some() || config.encoding.is_some() {
            tracing::warn!("--delimiter and --encoding apply to CSV only: ignored for a workbook");
        }
    }
    let (map, choice) =
        ColumnMap::new(input.headers(), &config.layout).map_err(|source| Error::Header {
            path: config.input.clone(),
            source,
        })?;
    tracing::info!("{choice}");
    if map.report_columns() > 0 {
        tracing::info!("the first two columns, status and message, are a report's own: ignored");
    }
    Ok((input, map, choice))
}

/// Names the columns no field takes, once the store's extra fields had their say.
pub(super) fn warn_not_imported(map: &ColumnMap) {
    let not_imported = map.not_imported();
    if !not_imported.is_empty() {
        tracing::warn!(
            "columns not imported (no field takes them): {}",
            not_imported.join(", ")
        );
    }
    let unfilled = map.unfilled();
    if !unfilled.is_empty() {
        tracing::info!(
            "fields no column of the file fills: {}",
            unfilled.join(", ")
        );
    }
}

/// Opens the journal and the results file of the run over `input`, with `client` (the one its
/// engine sends with, made before: a bad API URL is refused before anything is written).
pub(super) fn open(
    config: &Config,
    temp_files: &TempFiles,
    (input, map, choice): (Input, ColumnMap, Choice),
    client: Option<Client>,
) -> Result<Opened, Error> {
    let (journal, mut finished) = match (&config.mode, &client, &config.outputs.journal) {
        (Mode::Import(send, writes), Some(client), Some(path)) => {
            open_journal(config, path, (send, writes), client)?
        }
        _ => (None, Finished::default()),
    };
    // Named with the journal: for an import into a store that outlives the run.
    let undo = config
        .outputs
        .undo_log
        .as_deref()
        .map(open_undo_log)
        .transpose()?;
    let run_id = match (config.mode.is_check(), finished.run_id.take()) {
        (true, _) => String::new(),
        (false, Some(resumed)) => resumed,
        (false, None) => new_run_id(),
    };
    let results = ResultsWriter::create(
        &config.outputs.results,
        &config.outputs.failed,
        input.headers(),
        input.delimiter(),
        temp_files,
    )
    .map(|writer| match map.orders() {
        Some(_) => writer.for_orders(),
        None => writer,
    })
    .map_err(|source| Error::Output {
        path: config.outputs.results.clone(),
        source,
    })?;
    let report = match &config.outputs.report {
        Some(path) => Some(open_report(config, path, &map, choice)?),
        None => None,
    };
    Ok(Opened {
        input,
        map,
        journal,
        undo,
        finished,
        run_id,
        results,
        report,
    })
}

/// The annotated workbook at `path`, its header written.
fn open_report(
    config: &Config,
    path: &std::path::Path,
    map: &ColumnMap,
    choice: Choice,
) -> Result<ReportWriter, Error> {
    let (kind, rate) = match &config.mode {
        Mode::Check => (ReportKind::Validate, crate::ecwid::engine::DEFAULT_RATE),
        Mode::Plan(send) => (ReportKind::Plan, send.connection.rate.get()),
        Mode::Import(send, _) => (ReportKind::Import, send.connection.rate.get()),
    };
    let facts = SummaryFacts {
        input: config.input.clone(),
        kind,
        rate,
        choice,
    };
    ReportWriter::create(path, map.clone(), facts).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

fn open_undo_log(path: &Path) -> Result<Arc<UndoLog>, Error> {
    UndoLog::open(path)
        .map(Arc::new)
        .map_err(|source| Error::Output {
            path: path.to_path_buf(),
            source,
        })
}

/// The run's journal, for the stages that have one open.
pub(super) fn journal_path(config: &Config) -> PathBuf {
    config.outputs.journal.clone().unwrap_or_default()
}

fn input_fingerprint(config: &Config) -> Result<String, Error> {
    journal::fingerprint(&config.input).map_err(|source| Error::Input {
        path: config.input.clone(),
        source: source.into(),
    })
}

/// A new run's id: random, so that no two runs' batches share a deduplication key.
fn new_run_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The journal of this import: a new one, or with `--resume` the one an interrupted run left
/// and what it finished (with the run's id).
fn open_journal(
    config: &Config,
    path: &Path,
    (send, writes): (&SendConfig, &Writes),
    client: &Client,
) -> Result<(Option<Arc<Journal>>, Finished), Error> {
    let path = path.to_path_buf();
    let identity = Identity {
        fingerprint: input_fingerprint(config)?,
        store_id: send.connection.client.store_id,
        api_url: send.connection.client.api_url.clone(),
    };
    let output_error = |source| Error::Output {
        path: path.clone(),
        source,
    };
    if !path.exists() {
        if writes.resume {
            tracing::info!("nothing to resume: starting from the first row");
        }
        let run_id = new_run_id();
        let journal = Journal::create(&path, &identity, &run_id, Arc::clone(client.clock()))
            .map_err(output_error)?;
        let finished = Finished {
            run_id: Some(run_id),
            ..Finished::default()
        };
        return Ok((Some(Arc::new(journal)), finished));
    }
    if !writes.resume {
        return Err(Error::JournalLeft { path });
    }
    let clock = Arc::clone(client.clock());
    let (journal, mut finished) =
        Journal::resume(&path, &identity, clock).map_err(|e| match e {
            journal::JournalError::Io(source) => output_error(source),
            source => Error::JournalUnusable {
                path: path.clone(),
                source,
            },
        })?;
    // A journal of an ecwid-import before version 3 has no run id: one made from its input's
    // fingerprint is the same on every resume of it, as those versions' keys were.
    finished
        .run_id
        .get_or_insert_with(|| format!("journal-{}", identity.fingerprint));
    let maybe_sent = finished.maybe_sent.len() as u64;
    tracing::info!(
        "resuming: {} finished, {} may have been sent and {} looked up first",
        count(finished.count(), "row was", "rows were"),
        maybe_sent,
        if maybe_sent == 1 { "is" } else { "are" }
    );
    if !finished.open_batches.is_empty() && writes.lane == Lane::Direct {
        return Err(Error::ResumeNeedsBatch {
            open_batches: finished.open_batches.len(),
        });
    }
    if !finished.open_batches.is_empty() {
        tracing::info!(
            "{} of the interrupted run open: polled first",
            count(
                finished.open_batches.len() as u64,
                "batch is",
                "batches are"
            )
        );
    }
    Ok((Some(Arc::new(journal)), finished))
}
