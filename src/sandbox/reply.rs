//! The answer of an endpoint ([`Reply`]) and the reading of query parameters into one: what
//! every part of the store answers with, below the endpoints, the batch queue and the server.

use axum::extract::Query;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// An answer: status, JSON body and, for 429, the seconds to wait.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub retry_after: Option<u64>,
}

impl Reply {
    pub(crate) fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            retry_after: None,
        }
    }

    /// An error in Ecwid's shape: `{"errorMessage": ..., "errorCode": ...}`.
    pub(crate) fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: json!({ "errorMessage": message.into(), "errorCode": code }),
            retry_after: None,
        }
    }

    pub(crate) fn wrong_parameter(message: impl Into<String>) -> Self {
        Self::error(StatusCode::BAD_REQUEST, "WRONG_PARAMETER", message)
    }

    pub(crate) fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::error(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMITED",
                "Too many requests",
            )
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Reads query parameters as serde would from a URL, with the error as a 400.
pub(crate) fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, Reply> {
    let uri: Uri = format!("/?{query}")
        .parse()
        .map_err(|_| Reply::wrong_parameter(format!("Malformed query string: {query}")))?;
    Query::<T>::try_from_uri(&uri)
        .map(|Query(params)| params)
        .map_err(|e| Reply::wrong_parameter(e.body_text()))
}
