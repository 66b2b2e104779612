//! The pipeline of a run: read -> check -> send -> record.
//!
//! One blocking thread reads rows and another checks them (the reader works out rows for the
//! checker while it would otherwise wait); they hand rows on in batches through bounded
//! channels, so they are never more than a few batches ahead. Rows are then processed
//! concurrently, each row to send as a task of its own, but recorded in input order:
//! `buffered` keeps at most a window of rows in progress (a few times `--concurrency`) and
//! yields them in order, which is the reorder buffer, bounded by the concurrency and not by the
//! file. Requests in flight are bounded separately by `--concurrency` slots.
//!
//! With `--batch`, rows are grouped `--batch-size` at a time and each group is sent as one batch
//! (`batch`); groups are processed a few at a time in the same ordered way, and their outcomes
//! are recorded row by row like any others.

pub mod batch;
pub mod check;
pub mod facts;
pub mod journal;
pub mod rate;
pub mod retry;
pub mod send;
pub mod stop;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::Instant;

use futures_util::StreamExt;
use futures_util::stream::{self, BoxStream};
use tokio::sync::{Semaphore, mpsc};

use crate::config::{Config, SendConfig};
use crate::ecwid::Client;
use crate::error::Error;
use crate::input::mapping::ColumnMap;
use crate::input::reader::CsvInput;
use crate::outcome::{ExitStatus, RowOutcome, Status};
use crate::report::progress::Progress;
use crate::report::results::ResultsWriter;
use crate::report::summary::{BatchCounts, Summary, Tally};
use crate::report::temp_files::TempFiles;
use batch::Batcher;
use check::{Checker, Item, Preparer, Row};
use journal::{Finished, Identity, Journal};
use rate::RateBudget;
use send::{Counters, Sender};
use stop::{Stop, StopReason};

/// Rows the reader hands over at once: one wake-up of the other side per batch rather than per
/// row, which was a third of the CPU time of a dry run. 512 rather than 128 halved the thread
/// switches again (about 3,000 instead of 7,000 for 500,000 rows) for under 1 MB more memory
/// in a dry run (an import's rows carry their requests: 1–2 MB more).
const BATCH: usize = 512;
/// Batches each stage (reading, checking) may have waiting for the next.
const READ_AHEAD: usize = 2;
/// Rows the reader prepares before it looks again whether the checker has room for its batch.
const PREPARE_AT_ONCE: usize = 32;
/// Rows in progress at once, as a multiple of `--concurrency`: room for the others to go on
/// while one row waits out a backoff.
const WINDOW_PER_SLOT: usize = 4;
/// Groups in progress at once with `--batch`: one polled while the next is sent, so the store
/// always has a batch to work on; more would only hold more rows in memory.
const GROUPS_IN_FLIGHT: usize = 2;

/// Runs the import (or dry run) of `config` and records every row. Its temporary files are
/// listed in `temp_files` while they are written.
pub(crate) async fn run(
    config: &Config,
    stop: &Stop,
    temp_files: &TempFiles,
) -> Result<Summary, Error> {
    let started = Instant::now();
    let input = CsvInput::open(&config.input, config.delimiter, config.encoding.as_deref())
        .map_err(|source| Error::Input {
            path: config.input.clone(),
            source,
        })?;
    let map =
        ColumnMap::for_input(input.headers(), &config.layout).map_err(|source| Error::Header {
            path: config.input.clone(),
            source,
        })?;
    let not_imported = map.not_imported();
    if !not_imported.is_empty() {
        tracing::warn!(
            "not imported (no Ecwid field has these names): {}",
            not_imported.join(", ")
        );
    }
    // The client before the journal: a bad API URL is refused before anything is written.
    let client = config
        .send
        .as_ref()
        .map(|send| Client::new(&send.client).map_err(|source| Error::ClientSetup { source }))
        .transpose()?;
    let (journal, mut finished, fingerprint) = match &config.send {
        Some(send) if send.journal => open_journal(config, send)?,
        Some(_) => (None, Finished::default(), input_fingerprint(config)?),
        None => (None, Finished::default(), String::new()),
    };
    let open_batches = std::mem::take(&mut finished.open_batches);
    let results = ResultsWriter::create(
        &config.output,
        &config.failed_output,
        input.headers(),
        input.delimiter(),
        temp_files,
    )
    .map_err(|source| Error::Output {
        path: config.output.clone(),
        source,
    })?;

    let counters = Arc::new(Counters::default());
    let sender = config
        .send
        .as_ref()
        .zip(client)
        .map(|(send, client)| sender(send, client, stop, &counters, journal.clone()));
    let budget = sender.as_ref().map(|s| Arc::clone(&s.budget));
    let window = config.send.as_ref().map_or(1, |s| s.concurrency) * WINDOW_PER_SLOT;
    let batcher = match (&sender, config.send.as_ref().and_then(|s| s.batch_size)) {
        (Some(sender), Some(batch_size)) => Some(Arc::new(Batcher {
            sender: Arc::clone(sender),
            fingerprint,
            batch_size,
            open: open_batches,
        })),
        _ => None,
    };
    let batch_counts = || {
        batcher.as_ref().map(|_| {
            BatchCounts::new(
                counters.batches_sent.load(Ordering::Relaxed),
                counters.batches_done.load(Ordering::Relaxed),
            )
        })
    };

    let total_bytes = std::fs::metadata(&config.input).map_or(0, |m| m.len());
    let mut recorder = Recorder {
        results,
        journal,
        replayed: finished.count(),
        journal_open: true,
        tally: Tally::default(),
        progress: Progress::start(config.progress, total_bytes),
        error: None,
    };
    let (tx, mut rx) = mpsc::channel(READ_AHEAD);
    let checker = Checker::new(map, config.send.is_none(), finished);
    let preparer = checker.preparer();
    // Reading and checking each get a thread, so that a dry run uses two cores.
    let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel(READ_AHEAD);
    let reader = tokio::task::spawn_blocking(move || read_rows(input, &raw_tx, &preparer));
    let checking = tokio::task::spawn_blocking(move || check_rows(checker, &raw_rx, &tx));

    let batches = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let items = batches.flat_map(stream::iter);
    let mut outcomes: BoxStream<'_, RowOutcome> = match &batcher {
        Some(batcher) => items
            .chunks(batcher.batch_size)
            .enumerate()
            .map(|(index, group)| {
                let batcher = Arc::clone(batcher);
                async move { batcher.send_group(index as u64, group).await }
            })
            .buffered(GROUPS_IN_FLIGHT)
            .flat_map(stream::iter)
            .boxed(),
        None => match sender.clone() {
            Some(sender) => items
                .map(move |item| {
                    // A row to send is a task of its own, run on the runtime's worker threads
                    // beside the connections' tasks: half the thread switches of running every
                    // row's requests on this thread. The window still bounds them.
                    let sending = match item {
                        Item::Ready(outcome) => Err(outcome),
                        Item::Send(job) => {
                            let sender = Arc::clone(&sender);
                            Ok(tokio::spawn(async move { sender.send(job).await }))
                        }
                    };
                    async move {
                        match sending {
                            Err(outcome) => outcome,
                            // A row's task ends only with its outcome, or with a bug's panic.
                            Ok(task) => task
                                .await
                                .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic())),
                        }
                    }
                })
                .buffered(window)
                .boxed(),
            // A dry run has nothing to wait for: its rows are recorded as they come.
            None => items
                .map(|item| match item {
                    Item::Ready(outcome) => outcome,
                    // A dry run makes no jobs; were there one, it would be a valid row.
                    Item::Send(job) => job.unsent(Status::Valid),
                })
                .boxed(),
        },
    };
    while let Some(outcome) = outcomes.next().await {
        recorder.record(&outcome, config, stop);
        let paused = budget.as_ref().and_then(|b| b.paused_for());
        // Where the recorded row starts in the file: the reader runs a little ahead.
        let done = outcome.record.position().map_or(0, |p| p.byte());
        let retries = counters.retries.load(Ordering::Relaxed);
        recorder
            .progress
            .update(&recorder.tally, done, retries, paused, batch_counts());
    }
    // The checker ends once the reader has, or when the rows are no longer wanted.
    if let Err(e) = checking.await
        && e.is_panic()
    {
        // A bug: the rows it had not handed on would be missing from the results.
        std::panic::resume_unwind(e.into_panic());
    }
    let read = reader
        .await
        .unwrap_or_else(|e| Err((0, std::io::Error::other(e))));
    let Recorder {
        results,
        journal,
        tally,
        error,
        ..
    } = recorder;
    if let Some(error) = error {
        return Err(error);
    }
    results.finish().map_err(|source| Error::Output {
        path: config.output.clone(),
        source,
    })?;
    if let Err((row, source)) = read {
        return Err(Error::ReadFailed {
            path: config.input.clone(),
            row,
            source,
        });
    }
    let continue_with = config
        .continue_with
        .as_deref()
        .map(|command| format!(". To continue: {command}"))
        .unwrap_or_default();
    let (exit_code, stopped) = match stop.reason() {
        Some(StopReason::Aborted(message)) => (
            ExitStatus::StoreRefused,
            Some(format!("{message}{continue_with}")),
        ),
        Some(StopReason::Interrupted) => (
            ExitStatus::Interrupted,
            Some(format!(
                "interrupted; rows marked not_sent were not sent{continue_with}"
            )),
        ),
        None if tally.all_succeeded() => (ExitStatus::Ok, None),
        None => (ExitStatus::RowsFailed, None),
    };
    // A finished run needs no journal: the next run of the same command starts afresh. A
    // stopped one leaves it complete for `--resume`.
    if let Some(journal) = &journal {
        let path = journal_path(config);
        let done = match stopped {
            None => std::fs::remove_file(&path),
            Some(_) => journal.flush(),
        };
        done.map_err(|source| Error::Output { path, source })?;
    }
    let count = |c: &AtomicU64| c.load(Ordering::Relaxed);
    Ok(Summary {
        rows: tally.rows,
        by_status: tally.by_status(),
        requests: count(&counters.requests),
        retries: count(&counters.retries),
        rate_limited: count(&counters.rate_limited),
        lookups: count(&counters.lookups),
        confirmed_by_lookup: count(&counters.confirmed_by_lookup),
        batches: batch_counts(),
        elapsed_seconds: started.elapsed().as_secs_f64(),
        exit_code,
        output: config.output.display().to_string(),
        failed_output: config.failed_output.display().to_string(),
        top_errors: tally.top_errors(),
        stopped,
        dry_run: config.send.is_none(),
    })
}

fn journal_path(config: &Config) -> PathBuf {
    journal::path_for(&config.output)
}

fn input_fingerprint(config: &Config) -> Result<String, Error> {
    journal::fingerprint(&config.input).map_err(|source| Error::Input {
        path: config.input.clone(),
        source: source.into(),
    })
}

/// The journal of this import: a new one, or with `--resume` the one an interrupted run left
/// and what it finished; and the input's fingerprint.
fn open_journal(
    config: &Config,
    send: &SendConfig,
) -> Result<(Option<Arc<Journal>>, Finished, String), Error> {
    let path = journal_path(config);
    let identity = Identity {
        fingerprint: input_fingerprint(config)?,
        store_id: send.client.store_id,
        api_url: send.client.api_url.clone(),
    };
    let output_error = |source| Error::Output {
        path: path.clone(),
        source,
    };
    if !path.exists() {
        if send.resume {
            tracing::info!("nothing to resume: starting from the first row");
        }
        let journal = Journal::create(&path, &identity).map_err(output_error)?;
        return Ok((
            Some(Arc::new(journal)),
            Finished::default(),
            identity.fingerprint,
        ));
    }
    if !send.resume {
        return Err(Error::JournalLeft { path });
    }
    let (journal, finished) = Journal::resume(&path, &identity).map_err(|e| match e {
        journal::JournalError::Io(source) => output_error(source),
        source => Error::JournalUnusable {
            path: path.clone(),
            source,
        },
    })?;
    tracing::info!(
        "resuming: {} rows were finished, {} may have been sent and are looked up first",
        finished.count(),
        finished.maybe_sent.len()
    );
    if !finished.open_batches.is_empty() && send.batch_size.is_none() {
        return Err(Error::ResumeNeedsBatch {
            open_batches: finished.open_batches.len(),
        });
    }
    if !finished.open_batches.is_empty() {
        tracing::info!(
            "{} batches of the interrupted run are open: their tickets are polled first",
            finished.open_batches.len()
        );
    }
    Ok((Some(Arc::new(journal)), finished, identity.fingerprint))
}

/// Records outcomes in input order: results file, journal, counts and progress.
struct Recorder {
    results: ResultsWriter,
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
    fn record(&mut self, outcome: &RowOutcome, config: &Config, stop: &Stop) {
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
            // a look-up: a created row is found as created, an unsent one checked again alike.
            // Once the run stops, no `S` line follows: lines go out at once.
            let alike_again = matches!(
                outcome.status,
                Status::Created | Status::Invalid | Status::Duplicate
            );
            journal.finished(outcome, !alike_again || stop.is_stopped());
        }
        if self.error.is_some() {
            return;
        }
        let journal_error = self.journal.as_ref().and_then(|j| j.take_error());
        self.error = match (self.results.write(outcome), journal_error) {
            (Err(source), _) => Some(Error::Output {
                path: config.output.clone(),
                source,
            }),
            (Ok(()), Some(source)) => Some(Error::Output {
                path: journal_path(config),
                source,
            }),
            (Ok(()), None) => None,
        };
        if self.error.is_some() {
            // Nothing more is sent; rows in flight still finish, so none is left unknown.
            stop.abort("the results or the journal cannot be written".into());
        }
    }
}

fn sender(
    send: &SendConfig,
    client: Client,
    stop: &Stop,
    counters: &Arc<Counters>,
    journal: Option<Arc<Journal>>,
) -> Arc<Sender> {
    Arc::new(Sender {
        client,
        budget: Arc::new(RateBudget::new(send.rate)),
        slots: Arc::new(Semaphore::new(send.concurrency)),
        max_retries: send.max_retries,
        on_existing: send.on_existing,
        journal,
        facts: facts::StoreFacts::default(),
        stop: stop.clone(),
        counters: Arc::clone(counters),
    })
}

/// Reads every row, in batches; `Err` holds the last row read before an I/O error.
fn read_rows(
    mut input: CsvInput,
    tx: &SyncSender<Vec<Row>>,
    preparer: &Preparer,
) -> Result<(), (u64, std::io::Error)> {
    let mut last_row = 0;
    let mut batch = Vec::with_capacity(BATCH);
    let read = loop {
        match input.next_row() {
            Ok(Some(raw)) => {
                last_row = raw.row;
                batch.push(Row::from(raw));
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err((last_row, e)),
        }
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if hand_over(tx, full, preparer).is_err() {
                return Ok(());
            }
        }
    };
    // The rows read before the end or an error are recorded all the same.
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    read
}

/// Hands a batch to the checker. While the checker has no room for it, the reader prepares the
/// batch's rows a few at a time instead of waiting: the checker then has less left to do.
/// `Err` when the checker has stopped taking rows.
fn hand_over(
    tx: &SyncSender<Vec<Row>>,
    mut batch: Vec<Row>,
    preparer: &Preparer,
) -> Result<(), ()> {
    loop {
        match tx.try_send(batch) {
            Ok(()) => return Ok(()),
            Err(TrySendError::Disconnected(_)) => return Err(()),
            Err(TrySendError::Full(back)) => batch = back,
        }
        if preparer.prepare(&mut batch, PREPARE_AT_ONCE) == 0 {
            return tx.send(batch).map_err(|_| ());
        }
    }
}

/// Checks the rows in file order and hands them on in the same batches.
fn check_rows(
    mut checker: Checker,
    rx: &std::sync::mpsc::Receiver<Vec<Row>>,
    tx: &mpsc::Sender<Vec<Item>>,
) {
    while let Ok(batch) = rx.recv() {
        let items = checker.check_batch(batch);
        if tx.blocking_send(items).is_err() {
            return;
        }
    }
}
