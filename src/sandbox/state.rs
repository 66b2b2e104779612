//! The state every request of the sandbox shares ([`Shared`]): the options that do not change
//! while it runs, the store, the batches submitted and the queue they wait in, the rate window
//! and the counters. Below the endpoints (`api`, `listing`, `batch`), the batch queue (`queue`)
//! and the server, which all read and change it; it uses none of them.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use super::faults::Faults;
use super::gate::{FailingTokens, RateWindow};
use super::reply::Reply;
use super::store::{Store, StoredCustomer};
use super::{Counting, SandboxArgs, Stats, check_share, lock};

/// The options that do not change while the sandbox runs.
#[derive(Debug)]
pub(crate) struct Config {
    pub store_id: u64,
    pub token: String,
    pub languages: Vec<String>,
    pub latency: Duration,
    /// Emails at this domain (lower case) are refused by the store.
    pub refuse_domain: Option<String>,
    /// The scopes of the token's app.
    pub scopes: HashSet<String>,
    pub plan_without_groups: bool,
    /// Between the store's own retries of a request inside a batch.
    pub batch_retry: Duration,
    /// How long a batch's deduplication key is remembered.
    pub dedup_key_ttl: Duration,
    /// Top-level fields a write drops without a word (`--drop-fields`).
    pub drop_fields: HashSet<String>,
    /// How long one request inside a batch takes (`--batch-request-ms`).
    pub batch_request: Duration,
    /// Whether `allowParallelMode=true` is honoured (not `--ignore-parallel-mode`).
    pub parallel_mode: bool,
    /// How requests inside batches count against the rate limit (`--batch-counting`).
    pub counting: Counting,
}

/// Everything the requests share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: Config,
    pub faults: Faults,
    pub store: Mutex<Store>,
    pub batches: Mutex<Batches>,
    /// The store's batch queue, worked by [`super::queue::work`].
    pub queue: mpsc::UnboundedSender<Queued>,
    pub pace: watch::Sender<Pace>,
    /// The customer extra fields the store defines.
    pub extra_fields: Mutex<Vec<super::extra_fields::FieldDef>>,
    /// When the sandbox started: the creation time its extra fields show.
    pub started: i64,
    stats: Mutex<Stats>,
    window: Mutex<RateWindow>,
    failing: Mutex<FailingTokens>,
    /// Whether a listing from `createdFrom` gives the customers of one registration second
    /// newest id first ([`crate::sandbox::Sandbox::reverse_ties_from_created`]).
    pub ties_reversed: std::sync::atomic::AtomicBool,
    /// Emails (lower case) whose customers' writes the store does not apply
    /// ([`crate::sandbox::Sandbox::not_applied`]).
    pub not_applied: Mutex<HashSet<String>>,
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

impl Shared {
    /// The shared state of a sandbox with these options, and the receiving end of its batch
    /// queue.
    pub(crate) fn new(args: &SandboxArgs) -> io::Result<(Self, mpsc::UnboundedReceiver<Queued>)> {
        for (name, share) in [
            ("--fail-before", args.fail_before),
            ("--fail-after", args.fail_after),
            ("--drop-after", args.drop_after),
            ("--spurious-429", args.spurious_429),
            ("--drop-batch-after", args.drop_batch_after),
            ("--batch-inner-500", args.batch_inner_500),
            ("--batch-inner-500-once", args.batch_inner_500_once),
            ("--batch-not-executed", args.batch_not_executed),
        ] {
            check_share(share).map_err(|e| invalid(format!("{name}: {e}")))?;
        }
        if args.rate_limit == 0 {
            return Err(invalid("--rate-limit must be at least 1".into()));
        }
        let window = Duration::try_from_secs_f64(args.rate_window_secs)
            .ok()
            .filter(|w| !w.is_zero())
            .ok_or_else(|| invalid("--rate-window-secs must be a positive number".into()))?;
        let languages: Vec<String> = args
            .languages
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if languages.is_empty() {
            return Err(invalid(
                "--languages must name at least one language".into(),
            ));
        }
        let seconds = |name: &str, value: f64| {
            seconds(value)
                .ok_or_else(|| invalid(format!("{name} must be a number of seconds from 0")))
        };
        let batch_retry = seconds("--batch-retry-secs", args.batch_retry_secs)?;
        let dedup_key_ttl = seconds("--dedup-key-ttl-secs", args.dedup_key_ttl_secs)?;
        let extra_fields = args
            .extra_fields
            .iter()
            .filter(|spec| !spec.trim().is_empty())
            .map(|spec| super::extra_fields::parse(spec).map_err(invalid))
            .collect::<io::Result<Vec<_>>>()?;
        let (queue, queued) = mpsc::unbounded_channel();
        let shared = Self {
            config: Config {
                store_id: args.store_id,
                token: args.token.clone(),
                languages,
                latency: Duration::from_millis(args.latency_ms),
                refuse_domain: args
                    .refuse_domain
                    .as_deref()
                    .map(|d| d.trim().trim_start_matches('@').to_lowercase())
                    .filter(|d| !d.is_empty()),
                scopes: args
                    .scopes
                    .iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                plan_without_groups: args.plan_without_groups,
                batch_retry,
                dedup_key_ttl,
                drop_fields: args
                    .drop_fields
                    .iter()
                    .map(|f| f.trim().to_string())
                    .filter(|f| !f.is_empty())
                    .collect(),
                batch_request: Duration::from_millis(args.batch_request_ms),
                parallel_mode: !args.ignore_parallel_mode,
                counting: args.batch_counting,
            },
            store: Mutex::default(),
            batches: Mutex::default(),
            queue,
            pace: watch::Sender::new(Pace::Free),
            extra_fields: Mutex::new(extra_fields),
            started: super::clock::now(),
            stats: Mutex::default(),
            window: Mutex::new(RateWindow::new(args.rate_limit, window)),
            failing: Mutex::new(FailingTokens::new(window)),
            ties_reversed: Default::default(),
            not_applied: Mutex::new(
                args.not_applied
                    .iter()
                    .map(|e| e.trim().to_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect(),
            ),
            faults: Faults::new(args)?,
        };
        Ok((shared, queued))
    }

    pub(crate) fn stats_mut(&self) -> MutexGuard<'_, Stats> {
        lock(&self.stats)
    }

    pub(crate) fn stats(&self) -> Stats {
        self.stats_mut().clone()
    }

    pub(crate) fn customers(&self) -> Vec<StoredCustomer> {
        lock(&self.store).all()
    }

    pub(crate) fn window(&self) -> MutexGuard<'_, RateWindow> {
        lock(&self.window)
    }

    pub(super) fn failing(&self) -> MutexGuard<'_, FailingTokens> {
        lock(&self.failing)
    }
}

/// A batch waiting in the queue.
#[derive(Debug)]
pub(crate) struct Queued {
    pub ticket: String,
    pub requests: Vec<Request>,
    pub stop_on_failure: bool,
    /// Sent with `allowParallelMode=true`, and the store honours it.
    pub parallel: bool,
}

/// How far the queue may go: freely, or this many more attempts of requests (see
/// [`super::Sandbox::hold_batches`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pace {
    Free,
    Steps(u64),
}

/// `d` seconds as a duration, for `--batch-retry-secs` and `--dedup-key-ttl-secs`: `None`
/// unless a finite number from 0.
fn seconds(d: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(d).ok()
}

#[derive(Debug, Default)]
pub(crate) struct Batches {
    pub(super) tickets: HashMap<String, Ticket>,
    /// Deduplication key -> the ticket of the first batch sent with it, and when.
    pub(super) by_key: HashMap<String, (String, Instant)>,
    pub(super) submitted: u64,
}

/// Where a batch is in the store's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Queued,
    InProgress,
    Completed,
}

#[derive(Debug)]
pub(super) struct Ticket {
    pub(super) total: usize,
    pub(super) state: State,
    /// Per finished request, in order: its id, and its answer unless it was not executed.
    pub(super) answers: Vec<(Value, Option<Reply>)>,
}

/// One request of a batch, as the client wrote it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Request {
    #[serde(default)]
    pub id: Value,
    pub path: String,
    pub method: String,
    #[serde(default)]
    pub body: Value,
}

impl Batches {
    /// The queue took the batch up.
    pub(crate) fn started(&mut self, ticket: &str) {
        if let Some(t) = self.tickets.get_mut(ticket) {
            t.state = State::InProgress;
        }
    }

    /// One more request of the batch is done: its answer, or `None` if it was not executed.
    pub(crate) fn answered(&mut self, ticket: &str, id: Value, answer: Option<Reply>) {
        if let Some(t) = self.tickets.get_mut(ticket) {
            t.answers.push((id, answer));
        }
    }

    pub(crate) fn completed(&mut self, ticket: &str) {
        if let Some(t) = self.tickets.get_mut(ticket) {
            t.state = State::Completed;
        }
    }
}

impl Batches {
    /// Whether the batch was stopped ([`super::batch::stop`]): its requests not yet run never run.
    pub(crate) fn is_stopped(&self, ticket: &str) -> bool {
        !self.tickets.contains_key(ticket)
    }
}
