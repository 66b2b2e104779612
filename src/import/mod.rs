//! The pipeline of a run, one named stage after the other: [`open`] the input and what its
//! rows go to; read the store first when `--snapshot` finds it worth it ([`read_store`], after
//! a quick first pass over the file, [`survey`]); plan the sending ([`Sending`]: none in a dry
//! run, row by row, or in batches);
//! stream the rows, read and checked on two threads of their own ([`threads`]), through the
//! sending; record each outcome in input order ([`record`]); finish the results file and the
//! journal and sum the run up.
//!
//! Rows are processed concurrently, each row to send as a task of its own, but recorded in
//! input order: `buffered` keeps at most a window of rows in progress (a few times
//! `--concurrency`) and yields them in order, which is the reorder buffer, bounded by the
//! concurrency and not by the file. Every request goes through the run's [`engine`](crate::ecwid::engine), which
//! bounds the requests in flight by `--concurrency` and keeps to the rate budget.
//!
//! With `--batch`, rows are grouped `--batch-size` at a time and each group is sent as one batch
//! ([`batch`]); groups are processed a few at a time in the same ordered way, and their outcomes
//! are recorded row by row like any others.

pub(crate) mod batch;
mod batch_updates;
mod buyers;
pub mod check;
mod extras;
pub(crate) mod facts;
mod groups;
pub mod job;
mod notes;
mod open;
mod read_back;
mod record;
pub(crate) mod send;
mod survey;
mod threads;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime};

use futures_util::stream::{self, BoxStream};
use futures_util::{Stream, StreamExt};

use crate::config::{Config, Lane, Mode, SendConfig, SnapshotMode};
use crate::ecwid::engine::{Engine, Failure, Kind, STOPPED_RUN, Stop};
use crate::error::Error;
use crate::input::mapping::ColumnMap;
use crate::lane::BatchLane;
use crate::lane::KeyBase;
use crate::ledger::resumed::OpenBatch;
use crate::outcome::{RowOutcome, Status};
use crate::report::ending::ending;
use crate::report::progress::Progress;
use crate::report::summary::{BatchCounts, PlanCounts, ReadBackCounts, Summary};
use crate::report::temp_files::TempFiles;
use crate::store::not_kept::Remembered;
use crate::store::snapshot::{self, Decision, Snapshot};
use batch::Batcher;
use check::{Checker, Item};
use open::Opened;
use read_back::{Findings, ReadBack};
use record::Recorder;
use send::Sender;

/// Rows in progress at once, as a multiple of `--concurrency`: room for the others to go on
/// while one row waits out a backoff.
const WINDOW_PER_SLOT: usize = 4;
/// Groups in progress at once in the batch lane: the batches outstanding in the store. While
/// one is polled the next ones are sent, so that the store always has a batch to work on (it
/// runs them in order) and is never left idle waiting for a poll to come back; more would only
/// hold more rows in memory and more work the run must account for if it is interrupted.
const GROUPS_IN_FLIGHT: usize = 3;

/// Runs the import (or dry run) of `config` and records every row: open, plan the sending,
/// stream the rows through it, record each outcome, finish. Its temporary files are listed in
/// `temp_files` while they are written.
pub(crate) async fn run(
    config: &Config,
    stop: &Stop,
    temp_files: &TempFiles,
) -> Result<Summary, Error> {
    let started = Instant::now();
    let started_at = SystemTime::now();
    let (input, mut map, choice) = open::input(config)?;
    // Made before anything is written: a bad API URL is refused first.
    let engine = match &config.mode {
        Mode::Check => None,
        Mode::Plan(send) => Some(send.connection.engine(stop)?.read_only()),
        Mode::Import(send, _) => Some(send.connection.engine(stop)?),
    }
    .map(Arc::new);
    let client = engine.as_ref().map(|engine| engine.client.clone());
    match &engine {
        Some(engine) => extras::match_store(engine, &mut map).await?,
        None => extras::tell_offline(&map),
    }
    open::warn_not_imported(&map);
    let Opened {
        input,
        map,
        journal,
        undo,
        mut finished,
        run_id,
        results,
        report,
    } = open::open(config, temp_files, (input, map, choice), client)?;
    let open_batches = std::mem::take(&mut finished.open_batches);
    let sending = match (config.mode.send(), engine) {
        (Some(send), Some(engine)) => {
            let facts = groups::settle(config, &map, &engine, undo.as_deref(), stop).await;
            let snapshot = read_store(config, send.snapshot, &map, &engine).await;
            let remembered = config.outputs.not_kept.as_deref().map(remembered);
            let remembered = Arc::new(remembered.unwrap_or_default());
            let read_back = match config.mode.is_plan() {
                true => None,
                false => ReadBack::new(send.read_back, Arc::clone(&remembered)),
            };
            let sender = Sender {
                engine,
                on_existing: send.on_existing,
                journal: journal.clone(),
                undo,
                facts,
                confirmed_by_lookup: AtomicU64::new(0),
                snapshot,
                plan: config.mode.is_plan(),
                consent_defaulted: AtomicU64::new(0),
                remembered,
                read_back,
                hold_updates: false,
            };
            let batches = batch_lane(config, &map, !open_batches.is_empty()).await;
            Sending::plan(send, batches, sender, run_id, open_batches)
        }
        _ => Sending::DryRun,
    };
    let total_bytes = std::fs::metadata(&config.input).map_or(0, |m| m.len());
    let progress = Progress::start(config.progress, total_bytes);
    let mut recorder = Recorder::new(results, report, journal, finished.count(), progress);
    // An orders export: each buyer's rows made into one customer before anything is sent.
    let buyers = match (map.orders(), config.mode.is_check()) {
        (Some(_), false) => buyers::gather(config, &map).await,
        _ => buyers::Buyers::default(),
    };
    let checker = Checker::new(map, config.mode.is_check(), finished).with_buyers(buyers);
    let (items, background) = threads::start(input, checker);
    let outcomes = sending.stream(items);
    record_all(outcomes, &mut recorder, &sending, config, stop).await;
    if let Some(sender) = sending.sender() {
        sender.tell_consent();
    }
    let (left_blank, read) = background.finish().await;
    let findings = read_back(&sending, stop, started_at).await;
    let mut summary = finish(
        config,
        (stop, temp_files),
        recorder,
        read,
        &sending,
        started,
        findings,
    )?;
    summary.left_blank = left_blank;
    Ok(summary)
}

/// The fields remembered beside the results file as not kept by the store
/// ([`crate::store::not_kept`]). A file that cannot be read is no reason to stop: every field
/// is then compared, as before the file was written.
fn remembered(file: &std::path::Path) -> Remembered {
    let path = file.display();
    match Remembered::load(file) {
        Ok(remembered) => {
            if !remembered.is_empty() {
                let fields: Vec<&str> = remembered.fields.iter().map(String::as_str).collect();
                tracing::info!(
                    "not compared with the store, which did not keep them in an earlier run: {} \
                     (remembered in {path}; delete that file to compare and send them again)",
                    fields.join(", ")
                );
            }
            remembered
        }
        Err(problem) => {
            tracing::warn!(
                "{path} cannot be read ({problem}): every field is compared with the store; \
                 delete the file, and the next read-back writes it again"
            );
            Remembered::default()
        }
    }
}

/// Reads back what the run wrote (`--read-back`); not after a run that stopped early, nor in a
/// dry run or a plan. `started`: the run's start by this computer's clock, for a store whose
/// answers gave no time.
async fn read_back(sending: &Sending, stop: &Stop, started: SystemTime) -> Option<Findings> {
    let sender = sending.sender()?;
    let read_back = sender.read_back.as_ref()?;
    if stop.is_stopped() {
        return None;
    }
    let started = sender.engine.client.clock().started().unwrap_or(started);
    Some(read_back.run(&sender.engine, started, stop).await)
}

/// Reads the store first when `--snapshot` says it is worth it (see [`snapshot::choose`]);
/// when it is not, the customers its sample found, so that their rows are not looked up
/// again. `None` sends every row as before. A store that cannot be read is no reason to stop:
/// the rows are then looked up one by one, as without a snapshot.
async fn read_store(
    config: &Config,
    mode: SnapshotMode,
    map: &ColumnMap,
    engine: &Engine,
) -> Option<Arc<Snapshot>> {
    if mode == SnapshotMode::Never {
        return None;
    }
    let file = survey::survey(config, map).await;
    let read = match snapshot::choose(engine, mode, &file).await {
        Ok(Decision::List(size)) => {
            // The records it keeps go into a temporary file beside the results.
            let dir = match config.outputs.results.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => std::path::Path::new("."),
            };
            snapshot::read(engine, size, &file, Some(dir)).await
        }
        Ok(Decision::OneByOne(sampled)) if sampled.is_empty() => return None,
        Ok(Decision::OneByOne(sampled)) => Ok(*sampled),
        Err(failure) => Err(failure),
    };
    match read {
        Ok(snapshot) => Some(Arc::new(snapshot)),
        Err(Failure::Failed { error, why }) if why != STOPPED_RUN => {
            tracing::warn!(
                "the store's customers could not be read ({error}): rows are looked up one by one"
            );
            None
        }
        // The run has stopped: its rows are not sent.
        Err(_) => None,
    }
}

/// The batches of the batch lane, `None` for the direct lane (and a plan). `--lane auto` takes
/// the batch lane when the file has at least `--batch-size` rows to send (one full batch: fewer
/// gain little over sending them one by one, and a small run's results come at once), or
/// when an interrupted run left batches open (only their tickets tell what became of them).
async fn batch_lane(config: &Config, map: &ColumnMap, open_batches: bool) -> Option<Batches> {
    let writes = config.mode.writes()?;
    let batches = Batches {
        size: writes.batch_size?,
        timeout: writes.batch_timeout,
    };
    if writes.lane != Lane::Auto || open_batches {
        return Some(batches);
    }
    let rows = survey::survey(config, map).await.rows;
    let batch = rows >= batches.size as u64;
    tracing::info!(
        "--lane auto: {rows} rows to send, {}",
        if batch {
            "through the batch lane".to_string()
        } else {
            format!("fewer than --batch-size {}: one request each", batches.size)
        }
    );
    batch.then_some(batches)
}

/// The batch lane's batches: rows in each, and how long one may take (`--batch-timeout`).
#[derive(Debug, Clone, Copy)]
struct Batches {
    size: usize,
    timeout: std::time::Duration,
}

/// How the rows reach the store.
enum Sending {
    /// Nothing is sent: `validate` and `--dry-run`.
    DryRun,
    /// Each row on its own, `window` rows in progress at once.
    Rows { sender: Arc<Sender>, window: usize },
    /// `--batch`: groups of rows, each in one batch.
    Batches(Arc<Batcher>),
}

impl Sending {
    /// The sending of an import.
    fn plan(
        send: &SendConfig,
        batches: Option<Batches>,
        sender: Sender,
        run_id: String,
        open: Vec<OpenBatch>,
    ) -> Self {
        let mut sender = sender;
        sender.hold_updates = batches.is_some();
        let sender = Arc::new(sender);
        let connection = &send.connection;
        match batches {
            Some(Batches { size, timeout }) => {
                let run = KeyBase {
                    run_id,
                    store_id: connection.client.store_id,
                    api_url: connection.client.api_url.clone(),
                };
                let engine = Arc::clone(&sender.engine);
                let journal = sender.journal.clone();
                let rate = connection.rate.get();
                Sending::Batches(Arc::new(Batcher {
                    sender,
                    lane: BatchLane::new(engine, journal, run, timeout, rate),
                    batch_size: size,
                    open,
                }))
            }
            None => Sending::Rows {
                sender,
                window: connection.concurrency * WINDOW_PER_SLOT,
            },
        }
    }

    fn sender(&self) -> Option<&Sender> {
        match self {
            Sending::DryRun => None,
            Sending::Rows { sender, .. } => Some(sender),
            Sending::Batches(batcher) => Some(&batcher.sender),
        }
    }

    fn engine(&self) -> Option<&Engine> {
        self.sender().map(|sender| &*sender.engine)
    }

    fn batch_counts(&self) -> Option<BatchCounts> {
        match self {
            Sending::Batches(batcher) => Some(batcher.counts()),
            _ => None,
        }
    }

    /// The checked rows' outcomes, in input order. Rows are processed concurrently but
    /// yielded in order: `buffered` is the reorder buffer, bounded by its window and not by
    /// the file.
    fn stream(
        &self,
        items: impl Stream<Item = Item> + Send + 'static,
    ) -> BoxStream<'static, RowOutcome> {
        match self {
            Sending::Batches(batcher) => {
                let batcher = Arc::clone(batcher);
                items
                    .chunks(batcher.batch_size)
                    .enumerate()
                    .map(move |(index, group)| {
                        let batcher = Arc::clone(&batcher);
                        async move { batcher.send_group(index as u64, group).await }
                    })
                    .buffered(GROUPS_IN_FLIGHT)
                    .flat_map(stream::iter)
                    .boxed()
            }
            Sending::Rows { sender, window } => {
                let sender = Arc::clone(sender);
                items
                    .map(move |item| send_row(&sender, item))
                    .buffered(*window)
                    .boxed()
            }
            // A dry run has nothing to wait for: its rows are recorded as they come.
            Sending::DryRun => items
                .map(|item| match item {
                    Item::Ready(outcome) => outcome,
                    // A dry run makes no jobs; were there one, it would be a valid row.
                    Item::Send(job) => job.unsent(Status::Valid),
                })
                .boxed(),
        }
    }
}

/// A row's outcome. A row to send is a task of its own, run on the runtime's worker threads
/// beside the connections' tasks: fewer thread switches than running every row's requests on
/// the recording thread. The window still bounds them.
fn send_row(sender: &Arc<Sender>, item: Item) -> impl Future<Output = RowOutcome> + Send + use<> {
    let sending = match item {
        Item::Ready(outcome) => Err(outcome),
        Item::Send(job) => {
            let sender = Arc::clone(sender);
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
}

/// Records every outcome as it comes, and shows the progress.
async fn record_all(
    mut outcomes: BoxStream<'static, RowOutcome>,
    recorder: &mut Recorder,
    sending: &Sending,
    config: &Config,
    stop: &Stop,
) {
    while let Some(outcome) = outcomes.next().await {
        recorder.record(&outcome, config, stop);
        let engine = sending.engine();
        let paused = engine.and_then(|e| e.budget().paused_for());
        let retries = engine.map_or(0, |e| e.counts().total().retries);
        // Where the recorded row starts in the file: the reader runs a little ahead.
        let done = outcome.record.position().map_or(0, |p| p.byte());
        recorder.show(done, retries, paused, sending.batch_counts());
    }
}

/// Completes the results file, the report and the journal, and sums the run up; `read` is how
/// reading the input ended, `findings` what the read-back found.
fn finish(
    config: &Config,
    (stop, temp_files): (&Stop, &TempFiles),
    recorder: Recorder,
    read: Result<(), (u64, std::io::Error)>,
    sending: &Sending,
    started: Instant,
    findings: Option<Findings>,
) -> Result<Summary, Error> {
    let unsettled = recorder.left_unsettled();
    let record::Recorded {
        mut results,
        report,
        journal,
        tally,
    } = recorder.finish()?;
    let notes = findings.as_ref().map(|f| &f.notes);
    results
        .add_notes(notes.unwrap_or(&Default::default()))
        .and_then(|()| results.finish())
        .map_err(|source| Error::Output {
            path: config.outputs.results.clone(),
            source,
        })?;
    if let (Some(path), Some(findings)) = (&config.outputs.not_kept, &findings)
        && !findings.fields.is_empty()
    {
        Remembered::remember(path, &findings.fields).map_err(|source| Error::Output {
            path: path.clone(),
            source,
        })?;
    }
    if let Err((row, source)) = read {
        return Err(Error::ReadFailed {
            path: config.input.clone(),
            row,
            source,
        });
    }
    let (exit_code, stopped) = ending(
        stop,
        tally.all_succeeded(),
        "rows marked not_sent were not sent",
    );
    // A finished run needs no journal: the next run of the same command starts afresh. A
    // stopped one, or one that left rows in doubt (a batch the store did not confirm stopped),
    // leaves it complete for `--resume`.
    if let Some(journal) = &journal {
        let path = open::journal_path(config);
        let done = match stopped {
            None if !unsettled => std::fs::remove_file(&path),
            None => {
                tracing::warn!(
                    "rows of a batch the store did not confirm stopped stay in doubt: run the \
                     same command with --resume to settle them through the batch's ticket"
                );
                journal.flush()
            }
            Some(_) => journal.flush(),
        };
        done.map_err(|source| Error::Output { path, source })?;
    }
    let counts = sending.engine().map(Engine::counts);
    let total = counts.map(|c| c.total()).unwrap_or_default();
    let summary = Summary {
        rows: tally.rows,
        by_status: tally.by_status(),
        requests: total.requests,
        requests_by_kind: Kind::ALL
            .iter()
            .map(|&kind| (kind.key(), counts.map_or(0, |c| c.kind(kind).requests)))
            .collect(),
        retries: total.retries,
        rate_limited: total.rate_limited,
        lookups: counts.map_or(0, |c| c.kind(Kind::Search).requests),
        confirmed_by_lookup: sending
            .sender()
            .map_or(0, |s| s.confirmed_by_lookup.load(Ordering::Relaxed)),
        batches: sending.batch_counts(),
        snapshot: sending
            .sender()
            .and_then(|s| s.snapshot.as_deref())
            .filter(|s| s.listed)
            .zip(sending.engine())
            .map(|(s, engine)| s.counts(engine)),
        elapsed_seconds: started.elapsed().as_secs_f64(),
        exit_code,
        output: config.outputs.results.display().to_string(),
        failed_output: config.outputs.failed.display().to_string(),
        top_errors: tally.top_errors(),
        plan: match &config.mode {
            Mode::Plan(send) => Some(send),
            Mode::Check | Mode::Import(..) => None,
        }
        .map(|send| {
            let (create, update) = (
                tally.count(Status::WouldCreate),
                tally.count(Status::WouldUpdate),
            );
            PlanCounts {
                create,
                update,
                read_back: ReadBack::cost(send.read_back, create, update),
            }
        }),
        read_back: findings.as_ref().map(|f| ReadBackCounts {
            customers: f.checked,
            requests: f.requests,
            remembered_in: (!f.fields.is_empty())
                .then_some(config.outputs.not_kept.as_ref())
                .flatten()
                .map(|path| path.display().to_string()),
        }),
        fields_not_kept: findings.map(|f| f.fields).unwrap_or_default(),
        left_blank: Vec::new(),
        stopped,
        next_steps: Vec::new(),
        dry_run: config.mode.is_check(),
        report: config
            .outputs
            .report
            .as_ref()
            .map(|p| p.display().to_string()),
    };
    if let (Some(report), Some(path)) = (report, &config.outputs.report) {
        report
            .finish(&summary, temp_files)
            .map_err(|source| Error::Output {
                path: path.clone(),
                source,
            })?;
    }
    Ok(summary)
}
