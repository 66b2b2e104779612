//! Ecwid's batch API: many requests in one, answered later under a ticket.
//!
//! A client that uses batches must poll for the outcome and must cope with a repeated submit
//! (its own retry after a lost answer), which Ecwid de-duplicates by `deduplicationKey`. The
//! sandbox runs the requests at once, through the same endpoint code as single requests, but
//! answers the first poll with `QUEUED`, so a client that does not poll is caught.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::api::{self, Origin, Reply};
use super::faults::Inner;
use super::lock;
use super::server::Shared;

/// The most requests one batch may hold.
const MAX_REQUESTS: usize = 500;

/// How long a deduplication key is remembered.
const DEDUPLICATION_MEMORY: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Default)]
pub(crate) struct Batches {
    tickets: HashMap<String, Ticket>,
    /// Deduplication key -> the ticket of the first batch sent with it, and when.
    by_key: HashMap<String, (String, Instant)>,
    submitted: u64,
}

#[derive(Debug)]
struct Ticket {
    /// Per request, in order: its id, and its answer unless it was not executed.
    outcomes: Vec<(Value, Option<Reply>)>,
    polled: bool,
}

#[derive(Debug, Deserialize)]
struct Request {
    #[serde(default)]
    id: Value,
    path: String,
    method: String,
    #[serde(default)]
    body: Value,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubmitQuery {
    stop_on_first_failure: Option<bool>,
    deduplication_key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusQuery {
    ticket: String,
    #[serde(default)]
    escaped_json: bool,
}

fn ticket_reply(ticket: &str) -> Reply {
    Reply::ok(json!({ "ticket": ticket }))
}

/// `POST /batch`: runs the requests now and answers with the ticket to poll.
pub(crate) fn submit(shared: &Shared, query: &str, body: Value) -> Result<Reply, Reply> {
    let query: SubmitQuery = api::parse_query(query)?;
    let requests: Vec<Request> = serde_json::from_value(body).map_err(|e| {
        Reply::wrong_parameter(format!(
            "The body must be a JSON array of {{id, path, method, body}}: {e}"
        ))
    })?;
    if requests.len() > MAX_REQUESTS {
        return Err(Reply::wrong_parameter(format!(
            "A batch holds at most {MAX_REQUESTS} requests, not {}",
            requests.len()
        )));
    }
    // Held while the requests run, so that a second submit with the same key waits for the
    // first and gets its ticket instead of running the batch again.
    let mut batches = lock(&shared.batches);
    let now = Instant::now();
    batches
        .by_key
        .retain(|_, (_, at)| now.saturating_duration_since(*at) < DEDUPLICATION_MEMORY);
    if let Some((ticket, _)) = query
        .deduplication_key
        .as_ref()
        .and_then(|key| batches.by_key.get(key))
    {
        shared.stats_mut().deduplicated_batches += 1;
        return Ok(ticket_reply(ticket));
    }
    let stop_on_failure = query.stop_on_first_failure.unwrap_or(true);
    let mut failed = false;
    let outcomes = requests
        .into_iter()
        .map(|request| {
            if failed && stop_on_failure {
                return (request.id, None);
            }
            let reply = match shared.faults.inner() {
                Inner::Run => run(shared, &request),
                Inner::NotExecuted => {
                    shared.stats_mut().injected_faults += 1;
                    return (request.id, None);
                }
                Inner::FailBefore => {
                    shared.stats_mut().injected_faults += 1;
                    inner_error()
                }
                Inner::FailAfter => {
                    shared.stats_mut().injected_faults += 1;
                    run(shared, &request);
                    inner_error()
                }
            };
            failed |= !reply.status.is_success();
            (request.id, Some(reply))
        })
        .collect();
    batches.submitted += 1;
    shared.stats_mut().batches += 1;
    let ticket = format!("sandbox-{}-{}", shared.config.store_id, batches.submitted);
    if let Some(key) = query.deduplication_key {
        batches.by_key.insert(key, (ticket.clone(), now));
    }
    batches.tickets.insert(
        ticket.clone(),
        Ticket {
            outcomes,
            polled: false,
        },
    );
    Ok(ticket_reply(&ticket))
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

/// `GET /batch?ticket=...`: `QUEUED` on the first poll, then `COMPLETED` with every answer.
pub(crate) fn status(shared: &Shared, query: &str) -> Result<Reply, Reply> {
    let query: StatusQuery = api::parse_query(query)?;
    shared.stats_mut().batch_polls += 1;
    let mut batches = lock(&shared.batches);
    let ticket = batches.tickets.get_mut(&query.ticket).ok_or_else(|| {
        Reply::error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("No batch with ticket {:?}", query.ticket),
        )
    })?;
    let total = ticket.outcomes.len();
    if !ticket.polled {
        ticket.polled = true;
        return Ok(Reply::ok(json!({
            "status": "QUEUED",
            "totalRequests": total,
            "completedRequests": 0,
            "responses": [],
        })));
    }
    let responses: Vec<Value> = ticket
        .outcomes
        .iter()
        .map(|(id, reply)| response(id, reply.as_ref(), query.escaped_json))
        .collect();
    let completed = ticket.outcomes.iter().filter(|(_, r)| r.is_some()).count();
    Ok(Reply::ok(json!({
        "status": "COMPLETED",
        "totalRequests": total,
        "completedRequests": completed,
        "responses": responses,
    })))
}

/// One entry of `responses`: the answer's body as an escaped JSON string when the client asked
/// for `escapedJson=true`, else as JSON.
fn response(id: &Value, reply: Option<&Reply>, escaped: bool) -> Value {
    let mut entry = Map::new();
    entry.insert("id".into(), id.clone());
    let Some(reply) = reply else {
        entry.insert("status".into(), "NOT_EXECUTED".into());
        return Value::Object(entry);
    };
    let status = if reply.status.is_success() {
        "COMPLETED"
    } else {
        "FAILED"
    };
    entry.insert("status".into(), status.into());
    entry.insert("httpStatusCode".into(), reply.status.as_u16().into());
    let line = format!(
        "HTTP/1.1 {} {}",
        reply.status.as_u16(),
        reply.status.canonical_reason().unwrap_or("")
    );
    entry.insert("httpStatusLine".into(), line.trim_end().into());
    if escaped {
        entry.insert("escapedHttpBody".into(), reply.body.to_string().into());
    } else {
        entry.insert("httpBody".into(), reply.body.clone());
    }
    Value::Object(entry)
}
