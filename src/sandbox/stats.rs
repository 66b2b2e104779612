//! What the sandbox saw, so that tests and benchmarks can check the client from the server's
//! side: how many requests it really sent, whether it ever exceeded the rate limit, whether a
//! retried create ever reached the store twice.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The body of `GET /_sandbox/stats`. Counts cover API requests only (not the inspection
/// endpoints); a batch is one request, though the creates inside it count in `creates` and
/// `duplicate_creates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// API requests received, whatever their answer.
    pub requests: u64,
    /// Answers sent, by HTTP status code (`"200"`, `"409"`, ...). Dropped connections have no
    /// status and are counted in `dropped` instead.
    pub by_status: BTreeMap<String, u64>,
    /// Customers created (including those whose answer was then replaced by a fault).
    pub creates: u64,
    /// Creates refused because the email already existed (the 409s of create).
    pub duplicate_creates: u64,
    /// Updates applied (`PUT /customers/{id}` answered `updateCount: 1`), inside batches too.
    #[serde(default)]
    pub updates: u64,
    /// Writes answered `updateCount: 0` / `deleteCount: 0`: not applied (`--not-applied`, or
    /// a delete of an id the store does not hold).
    #[serde(default)]
    pub not_applied: u64,
    /// Customer groups created (`POST /customer_groups`, one each).
    #[serde(default)]
    pub group_creates: u64,
    /// Requests refused for a missing or wrong token.
    pub bad_token: u64,
    /// The most API requests received in any one rate-limit window, answered or not: a client
    /// that keeps to the limit keeps this at or below it.
    pub max_in_window: u64,
    /// 429 answers sent, spurious ones and those to a blocked token included.
    pub rate_limited: u64,
    /// Requests answered 429 because their token was blocked for failing (403) too often.
    #[serde(default)]
    pub blocked: u64,
    /// Faults injected (fail-before, fail-after, drop-after, spurious 429, and the batch ones).
    pub injected_faults: u64,
    /// Connections closed with no answer (drop-after, drop-batch-after).
    pub dropped: u64,
    /// Batches the store has run to the end (each counted once, however often it was submitted).
    #[serde(default)]
    pub batches: u64,
    /// Batches taken into the store's queue (a submit answered with an earlier batch's ticket
    /// by its deduplication key is not counted): `batches` counts those run to the end.
    #[serde(default)]
    pub batches_queued: u64,
    /// Batch submits answered with an earlier batch's ticket because of their deduplication key.
    #[serde(default)]
    pub deduplicated_batches: u64,
    /// Polls of batch tickets (`GET /batch`).
    #[serde(default)]
    pub batch_polls: u64,
    /// Batches stopped by `DELETE /batch?ticketId=` (their requests not yet run never ran).
    #[serde(default)]
    pub batches_stopped: u64,
    /// Retries the store made itself of requests inside batches that answered 5xx.
    #[serde(default)]
    pub batch_retries: u64,
    /// Requests inside batches answered FAILED with httpStatusCode 429 and not executed
    /// (`--batch-counting refused`).
    #[serde(default)]
    pub batch_inner_429: u64,
    /// The most requests of one batch that ran at the same time.
    #[serde(default)]
    pub batch_max_parallel: u64,
}

impl Stats {
    pub(crate) fn count_status(&mut self, status: u16) {
        *self.by_status.entry(status.to_string()).or_default() += 1;
        if status == 429 {
            self.rate_limited += 1;
        }
    }
}
