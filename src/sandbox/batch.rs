//! Ecwid's batch API: many requests in one, answered later under a ticket.
//!
//! A client that uses batches must poll for the outcome and must cope with a repeated submit
//! (its own retry after a lost answer), which Ecwid de-duplicates by `deduplicationKey` for an
//! hour. The submit only queues the batch; the store's queue ([`super::queue`]) runs it later,
//! so a poll finds it `QUEUED`, `IN_PROGRESS` with the answers so far, or `COMPLETED`, as with
//! Ecwid, and a client that does not wait for `COMPLETED` is caught.

use std::time::Instant;

use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::lock;
use super::reply::{Reply, parse_query};
use super::state::{Queued, Request, Shared, State, Ticket};

/// The most requests one batch may hold.
const MAX_REQUESTS: usize = 500;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubmitQuery {
    stop_on_first_failure: Option<bool>,
    allow_parallel_mode: Option<bool>,
    deduplication_key: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StatusQuery {
    ticket: String,
    #[serde(default)]
    escaped_json: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StopQuery {
    ticket_id: String,
}

fn ticket_reply(ticket: &str) -> Reply {
    Reply::ok(json!({ "ticket": ticket }))
}

/// `POST /batch`: queues the requests and answers with the ticket to poll; with a
/// deduplication key the store remembers, the ticket of the batch first sent with it.
pub(crate) fn submit(shared: &Shared, query: &str, body: Value) -> Result<Reply, Reply> {
    let query: SubmitQuery = parse_query(query)?;
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
    let mut batches = lock(&shared.batches);
    let now = Instant::now();
    let memory = shared.config.dedup_key_ttl;
    batches
        .by_key
        .retain(|_, (_, at)| now.saturating_duration_since(*at) < memory);
    if let Some((ticket, _)) = query
        .deduplication_key
        .as_ref()
        .and_then(|key| batches.by_key.get(key))
    {
        shared.stats_mut().deduplicated_batches += 1;
        return Ok(ticket_reply(ticket));
    }
    batches.submitted += 1;
    shared.stats_mut().batches_queued += 1;
    let ticket = format!("sandbox-{}-{}", shared.config.store_id, batches.submitted);
    let queued = Queued {
        ticket: ticket.clone(),
        requests,
        stop_on_failure: query.stop_on_first_failure.unwrap_or(true),
        parallel: query.allow_parallel_mode.unwrap_or(false) && shared.config.parallel_mode,
    };
    let ticket_state = Ticket {
        total: queued.requests.len(),
        state: State::Queued,
        answers: Vec::new(),
    };
    if shared.queue.send(queued).is_err() {
        return Err(Reply::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "INTERNAL_ERROR",
            "The store is shutting down",
        ));
    }
    if let Some(key) = query.deduplication_key {
        batches.by_key.insert(key, (ticket.clone(), now));
    }
    batches.tickets.insert(ticket.clone(), ticket_state);
    Ok(ticket_reply(&ticket))
}

/// `DELETE /batch?ticketId=...`, "Stop and delete": the batch's requests not yet run never run
/// (the one running, if any, finishes), and the ticket is forgotten (a poll of it is a 404).
/// `{"deleteCount": 1}`, or 0 for a ticket the store does not know.
pub(crate) fn stop(shared: &Shared, query: &str) -> Result<Reply, Reply> {
    let query: StopQuery = parse_query(query)?;
    let removed = lock(&shared.batches).tickets.remove(&query.ticket_id);
    let count = u64::from(removed.is_some());
    if removed.is_some() {
        shared.stats_mut().batches_stopped += 1;
    }
    Ok(Reply::ok(json!({ "deleteCount": count })))
}

/// `GET /batch?ticket=...`: where the batch is, and the answers of the requests done so far.
pub(crate) fn status(shared: &Shared, query: &str) -> Result<Reply, Reply> {
    let query: StatusQuery = parse_query(query)?;
    shared.stats_mut().batch_polls += 1;
    let batches = lock(&shared.batches);
    let ticket = batches.tickets.get(&query.ticket).ok_or_else(|| {
        Reply::error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("No batch with ticket {:?}", query.ticket),
        )
    })?;
    let state = match ticket.state {
        State::Queued => "QUEUED",
        State::InProgress => "IN_PROGRESS",
        State::Completed => "COMPLETED",
    };
    let responses: Vec<Value> = ticket
        .answers
        .iter()
        .map(|(id, reply)| response(id, reply.as_ref(), query.escaped_json))
        .collect();
    let completed = ticket.answers.iter().filter(|(_, r)| r.is_some()).count();
    Ok(Reply::ok(json!({
        "status": state,
        "totalRequests": ticket.total,
        "completedRequests": completed,
        "responses": responses,
    })))
}

/// One entry of `responses`: the answer's body as an escaped JSON string when the client asked
/// for `escapedJson=true`, else as JSON; `httpStatusLine` the reason phrase (`OK`, `Conflict`).
/// A request not executed has the `httpStatusCode` 0 of Ecwid's own client.
fn response(id: &Value, reply: Option<&Reply>, escaped: bool) -> Value {
    let mut entry = Map::new();
    entry.insert("id".into(), id.clone());
    let Some(reply) = reply else {
        entry.insert("status".into(), "NOT_EXECUTED".into());
        entry.insert("httpStatusCode".into(), 0.into());
        return Value::Object(entry);
    };
    let status = if reply.status.is_success() {
        "COMPLETED"
    } else {
        "FAILED"
    };
    entry.insert("status".into(), status.into());
    entry.insert("httpStatusCode".into(), reply.status.as_u16().into());
    let reason = reply.status.canonical_reason().unwrap_or("");
    entry.insert("httpStatusLine".into(), reason.into());
    if escaped {
        entry.insert("escapedHttpBody".into(), reply.body.to_string().into());
    } else {
        entry.insert("httpBody".into(), reply.body.clone());
    }
    Value::Object(entry)
}
