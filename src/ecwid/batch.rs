//! Ecwid's batch endpoint: many creates in one `POST /batch`, their answers fetched later under
//! a ticket with `GET /batch?ticket=..&escapedJson=true`.
//!
//! The client only speaks the wire format: it sends the requests it is given under the key it
//! is given, and turns each inner answer back into what a single create would have returned
//! (an id, or the same [`ApiError`] a single request would have got), so that the import can
//! treat a row answered inside a batch exactly like a row answered on its own.

use bytes::Bytes;
use reqwest::header;
use serde::Deserialize;

use super::{ApiError, Client, CreatedBody, DeletedBody, ErrorBody, excerpt, parse_body};

/// One create inside a batch: the id that ties the answer to its row, and the customer's
/// serialized JSON body.
#[derive(Debug, Clone)]
pub(crate) struct BatchCreate {
    pub(crate) id: String,
    pub(crate) body: Bytes,
}

#[derive(Debug, Deserialize)]
struct TicketBody {
    ticket: String,
}

/// The state of a batch, as `GET /batch` reports it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BatchStatus {
    /// `QUEUED`, `IN_PROGRESS` or `COMPLETED`.
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) responses: Vec<BatchResponse>,
    /// Requests finished so far, when the store says.
    #[serde(default)]
    pub(crate) completed_requests: Option<u64>,
    /// Requests in the batch, when the store says.
    #[serde(default)]
    pub(crate) total_requests: Option<u64>,
}

impl BatchStatus {
    pub(crate) fn is_completed(&self) -> bool {
        self.status.eq_ignore_ascii_case("COMPLETED")
    }

    /// Requests finished so far: the store's count, else the answers it shows.
    pub(crate) fn finished(&self) -> u64 {
        self.completed_requests
            .unwrap_or(self.responses.len() as u64)
    }
}

/// The answer to one request of a batch.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BatchResponse {
    /// The id the request was sent with; Ecwid echoes whatever JSON value it was.
    #[serde(default)]
    pub(crate) id: serde_json::Value,
    /// `COMPLETED`, `FAILED` or `NOT_EXECUTED`.
    #[serde(default)]
    pub(crate) status: String,
    /// Absent or 0 when the store did not run the request.
    pub(crate) http_status_code: Option<u16>,
    pub(crate) http_status_line: Option<String>,
    pub(crate) escaped_http_body: Option<String>,
}

/// What became of one create inside a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InnerOutcome {
    /// The store did not run it (an earlier failure stopped the batch, or it gave up).
    NotExecuted,
    /// What a single `POST /customers` would have returned.
    Answered(Result<u64, ApiError>),
}

impl BatchResponse {
    /// The request's id as text, whether Ecwid echoes it as a string or a number.
    pub(crate) fn id_text(&self) -> String {
        match &self.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// The inner answer as a single create would have had it. Whether the store ran the
    /// request is read from `status`: Ecwid's own client defaults `httpStatusCode` to 0, so a
    /// request it did not run may still carry a code.
    pub(crate) fn outcome(&self) -> InnerOutcome {
        if self.status.eq_ignore_ascii_case("NOT_EXECUTED") {
            return InnerOutcome::NotExecuted;
        }
        let status = match self.http_status_code {
            Some(status) if status != 0 => status,
            // Executed, or said to be, with no status: what happened is unknown.
            _ => {
                return InnerOutcome::Answered(Err(ApiError::BadBody {
                    status: 200,
                    body: format!("batch answer {:?} without an HTTP status", self.status),
                }));
            }
        };
        let body = self.escaped_http_body.as_deref().unwrap_or("").as_bytes();
        if (200..300).contains(&status) {
            return InnerOutcome::Answered(parse_body::<CreatedBody>(status, body).map(|b| b.id));
        }
        let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
        let (message, code) = parsed.map_or((None, None), |b| (b.error_message, b.error_code));
        let message = message
            .filter(|m| !m.trim().is_empty())
            .or_else(|| Some(excerpt(body)).filter(|m| !m.is_empty()))
            .or_else(|| self.http_status_line.clone())
            .unwrap_or_default();
        InnerOutcome::Answered(Err(ApiError::Status {
            status,
            message,
            code: code.filter(|c| !c.is_empty()),
            retry_after: None,
        }))
    }
}

impl Client {
    /// `POST /batch?stopOnFirstFailure=false&allowParallelMode=true&deduplicationKey=<key>` with
    /// one `POST /customers` per create (run up to 100 at once: each is a row of its own, in no
    /// order with the others); the ticket to poll. Sending the same key again within an hour returns the
    /// first batch's ticket instead of running it twice.
    pub(crate) async fn submit_batch(
        &self,
        key: &str,
        creates: &[BatchCreate],
    ) -> Result<String, ApiError> {
        let request = self
            .http
            .post(format!("{}/batch", self.base))
            .query(&[
                ("stopOnFirstFailure", "false"),
                ("allowParallelMode", "true"),
                ("deduplicationKey", key),
            ])
            .header(header::CONTENT_TYPE, "application/json")
            .body(batch_body(creates));
        let (status, bytes) = self.send(request).await?;
        parse_body::<TicketBody>(status, &bytes).map(|b| b.ticket)
    }

    /// `DELETE /batch?ticketId=..`: stops the batch (its requests not yet run never run) and
    /// deletes it; the store's `deleteCount`, 0 when it stopped nothing.
    pub(crate) async fn stop_batch(&self, ticket: &str) -> Result<u64, ApiError> {
        let request = self
            .http
            .delete(format!("{}/batch", self.base))
            .query(&[("ticketId", ticket)]);
        let (status, bytes) = self.send(request).await?;
        parse_body::<DeletedBody>(status, &bytes).map(|b| b.delete_count)
    }

    /// `GET /batch?ticket=..&escapedJson=true`.
    pub(crate) async fn batch_status(&self, ticket: &str) -> Result<BatchStatus, ApiError> {
        let request = self
            .http
            .get(format!("{}/batch", self.base))
            .query(&[("ticket", ticket), ("escapedJson", "true")]);
        let (status, bytes) = self.send(request).await?;
        parse_body::<BatchStatus>(status, &bytes)
    }
}

/// The JSON array of a batch, written by hand around the bodies already serialized for the
/// rows, so that a body is not parsed back only to be written again.
fn batch_body(creates: &[BatchCreate]) -> Bytes {
    let mut out = Vec::with_capacity(creates.iter().map(|c| c.body.len() + 64).sum());
    out.push(b'[');
    for (i, create) in creates.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // A string always serializes.
        let id = serde_json::to_string(&create.id).unwrap_or_else(|_| "\"\"".into());
        out.extend_from_slice(b"{\"id\":");
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(b",\"path\":\"/customers\",\"method\":\"POST\",\"body\":");
        out.extend_from_slice(&create.body);
        out.push(b'}');
    }
    out.push(b']');
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(json: serde_json::Value) -> BatchResponse {
        serde_json::from_value(json).expect("response")
    }

    #[test]
    fn body_is_a_json_array_of_creates() {
        let creates = [
            BatchCreate {
                id: "row-1".into(),
                body: Bytes::from_static(br#"{"email":"a@example.com"}"#),
            },
            BatchCreate {
                id: "row-\"2\"".into(),
                body: Bytes::from_static(br#"{"email":"b@example.com"}"#),
            },
        ];
        let parsed: serde_json::Value =
            serde_json::from_slice(&batch_body(&creates)).expect("valid JSON");
        assert_eq!(parsed[1]["id"], "row-\"2\"");
        assert_eq!(parsed[0]["path"], "/customers");
        assert_eq!(parsed[0]["body"]["email"], "a@example.com");
        assert_eq!(batch_body(&[]).as_ref(), b"[]");
    }

    #[test]
    fn inner_answers_read_like_single_ones() {
        let created = response(serde_json::json!({
            "id": "row-1", "status": "COMPLETED", "httpStatusCode": 200,
            "escapedHttpBody": "{\"id\":77}"
        }));
        assert_eq!(created.outcome(), InnerOutcome::Answered(Ok(77)));
        let refused = response(serde_json::json!({
            "id": 2, "status": "FAILED", "httpStatusCode": 400,
            "escapedHttpBody": "{\"errorMessage\":\"bad\",\"errorCode\":\"WRONG_PARAMETER\"}"
        }));
        assert_eq!(refused.id_text(), "2");
        let InnerOutcome::Answered(Err(ApiError::Status {
            status,
            code,
            message,
            ..
        })) = refused.outcome()
        else {
            panic!("a status error");
        };
        assert_eq!(
            (status, code.as_deref(), message.as_str()),
            (400, Some("WRONG_PARAMETER"), "bad")
        );
        let skipped = response(serde_json::json!({ "id": "row-3", "status": "NOT_EXECUTED" }));
        assert_eq!(skipped.outcome(), InnerOutcome::NotExecuted);
        let garbled = response(serde_json::json!({
            "id": "row-4", "status": "COMPLETED", "httpStatusCode": 200, "escapedHttpBody": "?"
        }));
        assert!(matches!(
            garbled.outcome(),
            InnerOutcome::Answered(Err(ApiError::BadBody { .. }))
        ));
    }

    /// Ecwid's own client defaults `httpStatusCode` to 0, so a request the store did not run
    /// may carry one: its `status` says so, not the missing code.
    #[test]
    fn not_executed_is_read_from_the_status_even_with_a_status_code() {
        for code in [
            serde_json::json!(0),
            serde_json::json!(null),
            serde_json::json!(500),
        ] {
            let skipped = response(serde_json::json!({
                "id": "row-5", "status": "NOT_EXECUTED", "httpStatusCode": code
            }));
            assert_eq!(skipped.outcome(), InnerOutcome::NotExecuted, "{code}");
        }
        let lower = response(serde_json::json!({ "id": "row-6", "status": "not_executed" }));
        assert_eq!(lower.outcome(), InnerOutcome::NotExecuted);
        // Said to be run, with the client's default of 0: what happened is unknown.
        let zero = response(serde_json::json!({
            "id": "row-7", "status": "FAILED", "httpStatusCode": 0
        }));
        assert!(
            matches!(
                zero.outcome(),
                InnerOutcome::Answered(Err(ApiError::BadBody { .. }))
            ),
            "{:?}",
            zero.outcome()
        );
    }
}
