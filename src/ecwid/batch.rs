//! Ecwid's batch endpoint: many requests (creates, updates, deletes, reads) in one `POST /batch`,
//! their answers fetched later under a ticket with `GET /batch?ticket=..&escapedJson=true`.
//!
//! The client only speaks the wire format: it sends the requests it is given under the key it
//! is given, and turns each inner answer back into what a single create would have returned
//! (an id, a count, a record, or the same [`ApiError`] a single request would have got), so that
//! the import and `undo` can treat a row answered inside a batch exactly like one answered on its
//! own.

use bytes::Bytes;
use reqwest::header;
use serde::Deserialize;

use super::{
    ApiError, Client, CreatedBody, DeletedBody, ErrorBody, UpdatedBody, excerpt, parse_body,
};

/// One request inside a batch: the id that ties the answer to its row, the method, the path
/// (without the `/api/v3/{storeId}` prefix) and the serialized JSON body, if any.
#[derive(Debug, Clone)]
pub(crate) struct BatchRequest {
    pub(crate) id: String,
    pub(crate) method: &'static str,
    pub(crate) path: String,
    pub(crate) body: Option<Bytes>,
}

impl BatchRequest {
    /// `POST /customers` with the customer's body.
    pub(crate) fn create(id: String, body: Bytes) -> Self {
        Self {
            id,
            method: "POST",
            path: "/customers".into(),
            body: Some(body),
        }
    }

    /// `PUT /customers/{customer}` with the fields to change.
    pub(crate) fn update(id: String, customer: u64, body: Bytes) -> Self {
        Self {
            id,
            method: "PUT",
            path: format!("/customers/{customer}"),
            body: Some(body),
        }
    }

    /// `DELETE /customers/{customer}`.
    pub(crate) fn delete(id: String, customer: u64) -> Self {
        Self {
            id,
            method: "DELETE",
            path: format!("/customers/{customer}"),
            body: None,
        }
    }

    /// `GET /customers/{customer}`.
    pub(crate) fn get(id: String, customer: u64) -> Self {
        Self {
            id,
            method: "GET",
            path: format!("/customers/{customer}"),
            body: None,
        }
    }

    pub(crate) fn is_create(&self) -> bool {
        self.method == "POST" && self.path == "/customers"
    }
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

/// What became of one request inside a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InnerOutcome<T = u64> {
    /// The store did not run it (an earlier failure stopped the batch, or it gave up).
    NotExecuted,
    /// What the single request would have returned (for a create, the new customer's id).
    Answered(Result<T, ApiError>),
}

impl BatchResponse {
    /// The request's id as text, whether Ecwid echoes it as a string or a number.
    pub(crate) fn id_text(&self) -> String {
        match &self.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// The answer of a request the store did not run (`id` is the request's id).
    pub(crate) fn not_executed(id: String) -> Self {
        Self {
            id: serde_json::Value::String(id),
            status: "NOT_EXECUTED".into(),
            http_status_code: None,
            http_status_line: None,
            escaped_http_body: None,
        }
    }

    /// Whether the store refused the request with 429 (it did not run it).
    pub(crate) fn refused(&self) -> bool {
        !self.status.eq_ignore_ascii_case("NOT_EXECUTED") && self.http_status_code == Some(429)
    }

    /// The inner answer as a single create would have had it: the new customer's id.
    pub(crate) fn outcome(&self) -> InnerOutcome {
        self.answer::<CreatedBody>().map(|b| b.id)
    }

    /// The inner answer as a single `PUT` would have had it: the store's `updateCount`.
    pub(crate) fn updated(&self) -> InnerOutcome {
        self.answer::<UpdatedBody>().map(|b| b.update_count)
    }

    /// The inner answer as a single `DELETE` would have had it: the store's `deleteCount`.
    pub(crate) fn deleted(&self) -> InnerOutcome {
        self.answer::<DeletedBody>().map(|b| b.delete_count)
    }

    /// The inner answer read as a single request's answer of type `T`. Whether the store ran
    /// the request is read from `status`: Ecwid's own client defaults `httpStatusCode` to 0,
    /// so a request it did not run may still carry a code.
    pub(crate) fn answer<T: for<'de> Deserialize<'de>>(&self) -> InnerOutcome<T> {
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
            return InnerOutcome::Answered(parse_body::<T>(status, body));
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

impl<T> InnerOutcome<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> InnerOutcome<U> {
        match self {
            InnerOutcome::NotExecuted => InnerOutcome::NotExecuted,
            InnerOutcome::Answered(answer) => InnerOutcome::Answered(answer.map(f)),
        }
    }
}

impl Client {
    /// `POST /batch?stopOnFirstFailure=false&allowParallelMode=true&deduplicationKey=<key>` with
    /// the requests (run up to 100 at once: each is a row of its own, in no order with the
    /// others); the ticket to poll. Sending the same key again within an hour returns the first
    /// batch's ticket instead of running it twice.
    pub(crate) async fn submit_batch(
        &self,
        key: &str,
        requests: &[BatchRequest],
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
            .body(batch_body(requests));
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
fn batch_body(requests: &[BatchRequest]) -> Bytes {
    let size = |r: &BatchRequest| r.body.as_ref().map_or(0, Bytes::len) + r.path.len() + 64;
    let mut out = Vec::with_capacity(requests.iter().map(size).sum());
    out.push(b'[');
    for (i, request) in requests.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // A string always serializes.
        let text = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        out.extend_from_slice(b"{\"id\":");
        out.extend_from_slice(text(&request.id).as_bytes());
        out.extend_from_slice(b",\"path\":");
        out.extend_from_slice(text(&request.path).as_bytes());
        out.extend_from_slice(b",\"method\":");
        out.extend_from_slice(text(request.method).as_bytes());
        if let Some(body) = &request.body {
            out.extend_from_slice(b",\"body\":");
            out.extend_from_slice(body);
        }
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
        let requests = [
            BatchRequest::create(
                "row-1".into(),
                Bytes::from_static(br#"{"email":"a@example.com"}"#),
            ),
            BatchRequest::create(
                "row-\"2\"".into(),
                Bytes::from_static(br#"{"email":"b@example.com"}"#),
            ),
            BatchRequest::update("put-3".into(), 77, Bytes::from_static(br#"{"name":"A"}"#)),
            BatchRequest::delete("del-4".into(), 78),
        ];
        let parsed: serde_json::Value =
            serde_json::from_slice(&batch_body(&requests)).expect("valid JSON");
        assert_eq!(parsed[1]["id"], "row-\"2\"");
        assert_eq!(parsed[0]["path"], "/customers");
        assert_eq!(parsed[0]["method"], "POST");
        assert_eq!(parsed[0]["body"]["email"], "a@example.com");
        assert_eq!(parsed[2]["path"], "/customers/77");
        assert_eq!(parsed[2]["method"], "PUT");
        assert_eq!(parsed[2]["body"]["name"], "A");
        assert_eq!(parsed[3]["method"], "DELETE");
        assert!(parsed[3].get("body").is_none());
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

    /// A `PUT`'s inner answer reads as its `updateCount`; a 429 is a refusal (not run), a
    /// request not run is none.
    #[test]
    fn inner_updates_read_their_count_and_refusals() {
        let applied = response(serde_json::json!({
            "id": "put-1", "status": "COMPLETED", "httpStatusCode": 200,
            "escapedHttpBody": "{\"updateCount\":1}"
        }));
        assert_eq!(applied.updated(), InnerOutcome::Answered(Ok(1)));
        assert!(!applied.refused());
        let refused = response(serde_json::json!({
            "id": "put-2", "status": "FAILED", "httpStatusCode": 429,
            "escapedHttpBody": "{\"errorMessage\":\"Too many requests\"}"
        }));
        assert!(refused.refused());
        let skipped = BatchResponse::not_executed("put-3".into());
        assert_eq!(skipped.id_text(), "put-3");
        assert_eq!(skipped.updated(), InnerOutcome::NotExecuted);
        assert!(!skipped.refused());
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
