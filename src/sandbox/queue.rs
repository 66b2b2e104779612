//! The store's batch queue: one per store, worked in order, a batch at a time and, within it, a
//! request at a time or up to 100 at once in parallel mode, as Ecwid runs batches
//! (`ecwid-api.md`, "Batch"). How long a request takes and how it counts against the rate limit
//! are the sandbox's options (`--batch-request-ms`, `--batch-counting`): Ecwid documents neither.
//!
//! Running batches later rather than at submit is what lets a poll see `QUEUED` and
//! `IN_PROGRESS`, and what makes the store's own retries of an inner 5xx (five, 3 s apart, with
//! `stopOnFirstFailure=false`) possible: a create that took effect and then answered 500 is run
//! again and comes back as a 409, which a client must be ready for.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use axum::http::{Method, StatusCode};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::api::{self, Origin};
use super::faults::Inner;
use super::lock;
use super::reply::Reply;
use super::state::{Pace, Queued, Request, Shared};
use super::{Counting, PARALLEL_REQUESTS};

/// The store's own retries of a request inside a batch that answered 5xx.
const STORE_RETRIES: u32 = 5;

/// Runs the queued batches one after another until `stop`.
pub(crate) async fn work(
    shared: Arc<Shared>,
    mut queue: mpsc::UnboundedReceiver<Queued>,
    stop: CancellationToken,
) {
    loop {
        let next = tokio::select! {
            () = stop.cancelled() => return,
            next = queue.recv() => next,
        };
        let Some(batch) = next else { return };
        tokio::select! {
            () = stop.cancelled() => return,
            () = run_batch(&shared, batch) => {}
        }
    }
}

/// Runs a batch's requests in order, up to [`PARALLEL_REQUESTS`] at once when it asked for
/// parallel mode and the store honours it, else one after another; it is `IN_PROGRESS` from
/// its first request on. A batch stopped (`DELETE /batch`) starts no request from then on; those
/// already running finish.
async fn run_batch(shared: &Shared, batch: Queued) {
    let ticket = batch.ticket.as_str();
    let width = if batch.parallel { PARALLEL_REQUESTS } else { 1 };
    let failed = AtomicBool::new(false);
    let mut running = FuturesUnordered::new();
    for (position, request) in batch.requests.into_iter().enumerate() {
        while running.len() >= width {
            running.next().await;
        }
        step(&shared.pace).await;
        if lock(&shared.batches).is_stopped(ticket) {
            while running.next().await.is_some() {}
            return;
        }
        if position == 0 {
            lock(&shared.batches).started(ticket);
        }
        let failed = &failed;
        running.push(async move {
            let answer = if failed.load(Ordering::Relaxed) && batch.stop_on_failure {
                None
            } else {
                run_request(shared, ticket, &request, !batch.stop_on_failure).await
            };
            if answer.as_ref().is_some_and(|r| !r.status.is_success()) {
                failed.store(true, Ordering::Relaxed);
            }
            lock(&shared.batches).answered(ticket, request.id, answer);
        });
        let at_once = running.len() as u64;
        let mut stats = shared.stats_mut();
        stats.batch_max_parallel = stats.batch_max_parallel.max(at_once);
    }
    while running.next().await.is_some() {}
    // A batch of no requests is taken up and done at once.
    lock(&shared.batches).completed(ticket);
    shared.stats_mut().batches += 1;
}

/// Counts one request inside a batch against the token's rate limit, as `--batch-counting`
/// says: `Err` with the answer of a request refused for it (not executed).
async fn count(shared: &Shared) -> Result<(), Reply> {
    match shared.config.counting {
        Counting::None => Ok(()),
        Counting::Refused => match shared.window().take(Instant::now()) {
            Ok(()) => Ok(()),
            Err(_) => {
                let mut stats = shared.stats_mut();
                stats.batch_inner_429 += 1;
                Err(Reply::error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "RATE_LIMITED",
                    "Too many requests",
                ))
            }
        },
        Counting::Throttled => loop {
            let taken = shared.window().take(Instant::now());
            match taken {
                Ok(()) => return Ok(()),
                Err(wait) => tokio::time::sleep(wait).await,
            }
        },
    }
}

/// One request of a batch (its first attempt already allowed by the pace), with the faults
/// drawn for it and, when `retry`, the store's own retries of a 5xx; `None` when it was not
/// executed.
async fn run_request(
    shared: &Shared,
    ticket: &str,
    request: &Request,
    retry: bool,
) -> Option<Reply> {
    let fault = shared.faults.inner();
    if fault != Inner::Run {
        shared.stats_mut().injected_faults += 1;
    }
    if fault == Inner::NotExecuted {
        return None;
    }
    if let Err(refused) = count(shared).await {
        return Some(refused);
    }
    // The time the request takes, before it takes effect: a batch stopped meanwhile leaves
    // it unrun.
    tokio::time::sleep(shared.config.batch_request).await;
    let mut attempt = 0;
    loop {
        if attempt > 0 {
            step(&shared.pace).await;
            // A batch stopped between the store's own retries runs nothing more.
            if lock(&shared.batches).is_stopped(ticket) {
                return Some(inner_error());
            }
        }
        let reply = match fault {
            Inner::Fail { took_effect, .. } if attempt == 0 => {
                if took_effect {
                    run(shared, request);
                }
                inner_error()
            }
            Inner::Fail { lasting: true, .. } => inner_error(),
            _ => run(shared, request),
        };
        if !(retry && reply.status.is_server_error() && attempt < STORE_RETRIES) {
            return Some(reply);
        }
        attempt += 1;
        shared.stats_mut().batch_retries += 1;
        tokio::time::sleep(shared.config.batch_retry).await;
    }
}

/// Waits until the pace allows one more attempt, and takes it.
async fn step(pace: &watch::Sender<Pace>) {
    let mut changes = pace.subscribe();
    loop {
        let mut took = false;
        pace.send_if_modified(|pace| match pace {
            Pace::Free => {
                took = true;
                false
            }
            Pace::Steps(0) => false,
            Pace::Steps(left) => {
                *left -= 1;
                took = true;
                true
            }
        });
        if took || changes.changed().await.is_err() {
            return;
        }
    }
}

fn inner_error() -> Reply {
    Reply::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_ERROR",
        "Internal server error (injected by the sandbox)",
    )
}

fn run(shared: &Shared, request: &Request) -> Reply {
    let Ok(method) = Method::from_bytes(request.method.to_ascii_uppercase().as_bytes()) else {
        return Reply::wrong_parameter(format!("Unknown method {:?}", request.method));
    };
    let (path, query) = request
        .path
        .split_once('?')
        .unwrap_or((request.path.as_str(), ""));
    api::dispatch(
        shared,
        Origin::Batch,
        &method,
        path,
        query,
        request.body.clone(),
    )
}
