//! The one way a request of the run leaves: every create, look-up, update, group or profile
//! read, batch submit and poll goes through [`Engine::send`].
//!
//! It waits for a slot among `--concurrency` and then for the rate budget, sends at once after
//! that (so requests leave as evenly as the budget hands them out), honours a 429 by pausing
//! every request of the run *before* the slot is freed (so that no other request slips out
//! after the store said stop), stops the run on a refused token before the slot is freed too,
//! retries by the one policy in [`retry`], gives up when the run stops, and counts requests,
//! retries and 429s per kind of request. What a request means for a row (look up before
//! sending a create again, `--on-existing`) is the caller's business: the engine knows requests,
//! not rows.
//!
//! It lives beside the client rather than in the import because import, undo, export and the
//! store reads (snapshot, listing, groups) all send through it: each command stands on it, and
//! none depends on another command to reach the store.

use std::future::Future;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

mod counts;
pub(crate) mod rate;
pub(crate) mod retry;
pub(crate) mod stop;

pub(crate) use counts::{Counts, Kind};
pub(crate) use rate::{DEFAULT_RATE, RateBudget};
use retry::{Action, MAX_RATE_LIMITED, NEVER_WORKS_IN_A_ROW};
pub(crate) use stop::{Stop, StopReason};

use crate::ecwid::{ApiError, Client};

/// Where one operation (a row's requests, a batch's submits, a ticket's polls) stands: its
/// requests, retries and 429 answers so far. Shared by the requests of the operation, so that
/// `--max-retries` bounds the operation and not each of its requests.
#[derive(Debug, Clone)]
pub(crate) struct Tries {
    /// Requests sent.
    pub(crate) attempts: u32,
    pub(crate) retries: u32,
    pub(crate) rate_limited: u32,
    /// Retries allowed: `--max-retries`.
    pub(crate) limit: u32,
    /// One more retry is allowed while set: the look-up that settles a create of unknown
    /// outcome is made even after the last retry.
    pub(crate) settling: bool,
    /// Whether a request of the operation may have taken effect without a clear answer.
    pub(crate) maybe_took_effect: bool,
    /// The next request is a retry and waits out a backoff first.
    backoff_due: bool,
    /// Answers to reads of the operation whose body could not be read.
    unreadable: u32,
}

/// Why a request did not succeed.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// The run stopped before the request left (or before it could be tried again).
    Stopped,
    /// The store or the wire said no: the last error, and what it means.
    Failed { error: ApiError, why: Why },
}

/// What a failed request means for its operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// The store answered no, as the retry policy classes it: [`Action::Exists`],
    /// [`Action::FailRow`], or [`Action::StopRun`] (the run is stopped already).
    Refused(Action),
    /// 429 more than [`MAX_RATE_LIMITED`] times.
    RateLimited,
    /// The retries ran out.
    GaveUp,
    /// A read's answer could not be read, twice ([`MAX_UNREADABLE`] tries more).
    Unreadable,
    /// A create may have taken effect: it must not be sent again before the store is asked.
    /// Counted as a retry: the operation's next request waits out a backoff first.
    Unknown,
}

/// A read (which changes nothing) whose success answer cannot be read is tried this many times
/// more, then fails: the same answer again is likely, and the row's error names what could not
/// be read. A write's unreadable answer leaves its outcome unknown, and goes by the retry policy.
const MAX_UNREADABLE: u32 = 1;

/// The store refused the token, plan or store: the engine has stopped the run.
pub(crate) const STOPPED_RUN: Why = Why::Refused(Action::StopRun);

impl Failure {
    fn new(error: ApiError, why: Why) -> Self {
        Failure::Failed { error, why }
    }
}

/// Sends every request of a run; shared by all its rows.
#[derive(Debug)]
pub(crate) struct Engine {
    pub(crate) client: Client,
    budget: RateBudget,
    slots: Semaphore,
    max_retries: u32,
    stop: Stop,
    counts: Counts,
    /// `plan`: a request that writes is refused here, whoever asks for it.
    read_only: bool,
    /// How long the work in flight may go on after an interrupt: `--timeout`, the longest a
    /// request in flight takes (see [`Engine::in_flight_over`]).
    in_flight_wait: Duration,
}

impl Engine {
    pub(crate) fn new(
        client: Client,
        budget: RateBudget,
        concurrency: usize,
        max_retries: u32,
        stop: Stop,
    ) -> Self {
        Self {
            in_flight_wait: client.timeout(),
            client,
            budget,
            slots: Semaphore::new(concurrency),
            max_retries,
            stop,
            counts: Counts::default(),
            read_only: false,
        }
    }

    /// The engine of a plan: every request that would change the store is refused before it
    /// leaves, so that a plan sends no write whatever its callers do.
    pub(crate) fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// A new operation's count of tries.
    pub(crate) fn tries(&self) -> Tries {
        Tries {
            attempts: 0,
            retries: 0,
            rate_limited: 0,
            limit: self.max_retries,
            settling: false,
            maybe_took_effect: false,
            backoff_due: false,
            unreadable: 0,
        }
    }

    pub(crate) fn max_retries(&self) -> u32 {
        self.max_retries
    }

    pub(crate) fn stop(&self) -> &Stop {
        &self.stop
    }

    /// Resolves when the work in flight at a stop may no longer go on: never while the run
    /// goes on; at once after an abort (the store refused the token: nothing more would be
    /// answered); `--timeout` after an interrupt, the same bound as a request in flight has.
    /// What goes on meanwhile is the requests already sent and the polls of the batches
    /// already in the store ([`Kind::finishes_in_flight`]), so that their rows get their real
    /// outcomes rather than an unknown one; nothing new is sent.
    pub(crate) async fn in_flight_over(&self) {
        self.stop.stopped().await;
        if let Some(end) = self.in_flight_end() {
            tokio::time::sleep_until(end).await;
        }
    }

    /// Sleeps `wait` for work in flight; `false` when [`Engine::in_flight_over`] comes first.
    pub(crate) async fn sleep_in_flight(&self, wait: Duration) -> bool {
        tokio::select! {
            _ = self.in_flight_over() => false,
            _ = tokio::time::sleep(wait) => true,
        }
    }

    /// How long the work in flight may go on after an interrupt (`--timeout`).
    pub(crate) fn in_flight_wait(&self) -> Duration {
        self.in_flight_wait
    }

    /// When the wait for the work in flight ends, once the run was interrupted.
    pub(crate) fn in_flight_end(&self) -> Option<tokio::time::Instant> {
        self.stop
            .interrupted_at()
            .map(|at| at + self.in_flight_wait)
    }

    /// Whether a request of `kind` may no longer leave: the run stopped, and the request is
    /// not one that finishes work in flight, or the wait for that is over.
    fn halted(&self, kind: Kind) -> bool {
        if !self.stop.is_stopped() {
            return false;
        }
        match self.in_flight_end() {
            Some(end) if kind.finishes_in_flight() => tokio::time::Instant::now() >= end,
            _ => true,
        }
    }

    /// Resolves when a request of `kind` may no longer leave (see [`Engine::halted`]).
    async fn halts(&self, kind: Kind) {
        if kind.finishes_in_flight() {
            self.in_flight_over().await;
        } else {
            self.stop.stopped().await;
        }
    }

    /// Sleeps `wait` before a request of `kind`; `false` when it may no longer leave.
    async fn sleep_before(&self, kind: Kind, wait: Duration) -> bool {
        tokio::select! {
            _ = self.halts(kind) => false,
            _ = tokio::time::sleep(wait) => true,
        }
    }

    pub(crate) fn counts(&self) -> &Counts {
        &self.counts
    }

    pub(crate) fn budget(&self) -> &RateBudget {
        &self.budget
    }

    /// Sends a request of `kind` made by `call` until it succeeds or the retry policy says no.
    pub(crate) async fn send<T, F, Fut>(
        &self,
        kind: Kind,
        tries: &mut Tries,
        call: F,
    ) -> Result<T, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        self.send_noted(kind, tries, || true, call).await
    }

    /// [`Engine::send`], with `note` called once the first attempt may leave and before it
    /// does: `false` keeps it from leaving (the caller stops the run).
    pub(crate) async fn send_noted<T, F, Fut>(
        &self,
        kind: Kind,
        tries: &mut Tries,
        note: impl FnOnce() -> bool,
        mut call: F,
    ) -> Result<T, Failure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        if self.read_only && kind.writes() {
            tracing::error!(
                "a {} request was refused: a plan sends no write",
                kind.key()
            );
            let error = ApiError::NotConnected("refused: a plan sends no write".into());
            return Err(Failure::new(error, Why::Refused(Action::FailRow)));
        }
        let mut note = Some(note);
        loop {
            if std::mem::take(&mut tries.backoff_due)
                && !self.sleep_before(kind, retry::backoff(tries.retries)).await
            {
                return Err(Failure::Stopped);
            }
            let slot = self.turn(kind).await.ok_or(Failure::Stopped)?;
            if note.take().is_some_and(|note| !note()) {
                return Err(Failure::Stopped);
            }
            Counts::bump(&self.counts.of(kind).requests);
            tries.attempts += 1;
            let error = match call().await {
                Ok(value) => {
                    self.counts
                        .of(kind)
                        .never_in_a_row
                        .store(0, Ordering::Relaxed);
                    return Ok(value);
                }
                Err(error) => error,
            };
            // Judged before the slot frees up: no other request may leave after the store
            // said 429 or refused the token.
            let verdict = self.judge(kind, tries, error);
            drop(slot);
            if let Some(failure) = verdict {
                return Err(failure);
            }
        }
    }

    /// What a failed request of `kind` means, by the retry policy: `None` when it is to be
    /// sent again (the pause of a 429 or the backoff due then holds it back), else why not.
    /// Records a 429's pause for every request of the run, stops the run on a refused token,
    /// and counts. Also for the answer to a request that went out inside a batch.
    pub(crate) fn judge(&self, kind: Kind, tries: &mut Tries, error: ApiError) -> Option<Failure> {
        let counts = self.counts.of(kind);
        let action = kind.classify(&error);
        match action {
            Action::Pause(wait) => {
                self.budget.rate_limited(wait);
                Counts::bump(&counts.rate_limited);
                tries.rate_limited += 1;
                (tries.rate_limited > MAX_RATE_LIMITED)
                    .then(|| Failure::new(error, Why::RateLimited))
            }
            Action::Retry { .. } if !kind.writes() && matches!(error, ApiError::BadBody { .. }) => {
                if tries.unreadable >= MAX_UNREADABLE || tries.retries >= tries.limit {
                    return Some(Failure::new(error, Why::Unreadable));
                }
                tries.unreadable += 1;
                Counts::bump(&counts.retries);
                tries.retries += 1;
                tries.backoff_due = true;
                None
            }
            Action::Retry { unknown } => {
                // A read takes no effect, whatever its answer.
                tries.maybe_took_effect |= unknown && kind.writes();
                let settle_first = unknown && !kind.repeatable();
                let limit = tries.limit + u32::from(tries.settling);
                if !settle_first && tries.retries >= limit {
                    return Some(Failure::new(error, Why::GaveUp));
                }
                Counts::bump(&counts.retries);
                tries.retries += 1;
                tries.backoff_due = true;
                settle_first.then(|| Failure::new(error, Why::Unknown))
            }
            Action::StopRun => {
                self.stop.abort(stop_hint(Some(&error)));
                Some(Failure::new(error, Why::Refused(action)))
            }
            Action::Never => {
                let seen = counts.never_in_a_row.fetch_add(1, Ordering::Relaxed) + 1;
                if seen < NEVER_WORKS_IN_A_ROW {
                    return Some(Failure::new(error, Why::Refused(action)));
                }
                let hint = format!(
                    "{} requests of this kind in a row were answered so, and every row would \
                     fail the same way: the server at --api-url (ECWID_API_URL) cannot serve \
                     them; check that it is Ecwid's API ({}) and that no proxy or network login \
                     stands between",
                    seen,
                    crate::ecwid::DEFAULT_API_URL,
                );
                self.stop.abort(format!(
                    "the store cannot serve the request ({error}): {hint}"
                ));
                Some(Failure::new(error, Why::Refused(Action::StopRun)))
            }
            Action::Exists | Action::FailRow => Some(Failure::new(error, Why::Refused(action))),
        }
    }

    /// Waits for a slot among `--concurrency` and then for the budget; the request of `kind`
    /// must leave at once after. `None` when it may no longer leave first (the run stopped;
    /// for a request that finishes work in flight, the wait for that is over).
    async fn turn(&self, kind: Kind) -> Option<SemaphorePermit<'_>> {
        if self.halted(kind) {
            return None;
        }
        let slot = tokio::select! {
            biased;
            _ = self.halts(kind) => return None,
            slot = self.slots.acquire() => slot.ok()?,
        };
        tokio::select! {
            biased;
            _ = self.halts(kind) => return None,
            _ = self.budget.acquire() => {}
        }
        if self.halted(kind) {
            return None;
        }
        Some(slot)
    }
}

/// What the user should check when the store refuses the token, the plan or the store.
fn stop_hint(error: Option<&ApiError>) -> String {
    let what = error.map(ToString::to_string).unwrap_or_default();
    let hint = match error.and_then(ApiError::status) {
        Some(402) => {
            "the store's plan does not allow this, or the store is suspended: check the plan \
             in the store's control panel"
        }
        Some(404) => {
            "the store or the API was not found: check --store-id (ECWID_STORE_ID) and \
             --api-url (ECWID_API_URL)"
        }
        _ => {
            "check the token (ECWID_TOKEN or --token-file) and that its app has the \
             create_customers and read_customers scopes"
        }
    };
    format!("the store refused the request ({what}): {hint}")
}

#[cfg(test)]
mod tests;
