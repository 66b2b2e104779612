//! The HTTP client of the Ecwid REST API, as far as ecwid-import uses it, and the request
//! [`engine`] every command sends through.
//!
//! The client reports what happened (an id, a status with the store's message, a timeout, a
//! lost connection) and leaves what to do about it to the engine's retry policy. It knows
//! nothing about CSV, rows or rate limits. The engine sits on the client and below the commands
//! (import, undo, export and the store reads they share), so each of them stands on it and none
//! reaches into another for it.

mod batch;
mod clock;
pub(crate) mod engine;
mod listing;
mod settings;

pub(crate) use listing::{ListFilter, Order, PAGE_SIZE, Page, Unreadable};
pub(crate) use settings::{Group, StoreExtraField, extra_fields_unread};

pub(crate) use clock::{MARGIN, StoreClock, parse_ecwid_time};

use std::time::Duration;

use reqwest::header::{self, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::customer::CustomerRequest;
use crate::customer::record::{COMPARED_FIELDS, CustomerRecord};
pub(crate) use batch::{BatchRequest, BatchResponse, InnerOutcome};

/// Ecwid's REST API: the default of `--api-url`.
pub(crate) const DEFAULT_API_URL: &str = "https://app.ecwid.com/api/v3";

/// Idle connections are closed after this long: well under the keep-alive of most servers, so a
/// pooled connection is not reused just as the server closes it.
const IDLE_TIMEOUT: Duration = Duration::from_secs(20);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the store is and how to reach it.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// API base, such as `https://app.ecwid.com/api/v3`.
    pub(crate) api_url: String,
    pub(crate) store_id: u64,
    pub(crate) token: SecretString,
    /// Whole-request timeout.
    pub(crate) timeout: Duration,
    /// Connections kept open at most (one per request in flight).
    pub(crate) max_connections: usize,
}

/// Why a client cannot be set up from its settings (nothing has been sent).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot set up the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
    #[error("the token holds characters that cannot be sent in a header: check the token file")]
    TokenNotAHeader(#[source] header::InvalidHeaderValue),
    #[error("the API URL {api_url:?} is not a URL: {source}")]
    ApiUrl {
        api_url: String,
        #[source]
        source: <reqwest::Url as std::str::FromStr>::Err,
    },
}

/// A failed call, as the wire saw it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The store answered with an error status.
    #[error("HTTP {status}{}: {message}", code.as_deref().map(|c| format!(" {c}")).unwrap_or_default())]
    Status {
        status: u16,
        message: String,
        code: Option<String>,
        retry_after: Option<Duration>,
    },
    /// No answer within the timeout, after the request may have been sent.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The connection could not be made: nothing was sent.
    #[error("could not connect: {0}")]
    NotConnected(String),
    /// The connection broke after the request may have been sent.
    #[error("connection lost: {0}")]
    ConnectionLost(String),
    /// A success status with a body that is not what the API documents.
    #[error("HTTP {status} with an unexpected body: {body}")]
    BadBody { status: u16, body: String },
}

impl ApiError {
    /// The HTTP status received, if any.
    pub(crate) fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } | ApiError::BadBody { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The error body Ecwid sends: `{"errorMessage": "...", "errorCode": "..."}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    error_message: Option<String>,
    error_code: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CreatedBody {
    id: u64,
}

/// The answer to a `PUT`: `{"updateCount": 1}`, or 0 when the store did not apply it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdatedBody {
    update_count: u64,
}

/// The answer to a `DELETE`: `{"deleteCount": 1}`, or 0 when the store deleted nothing.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeletedBody {
    delete_count: u64,
}

/// The items are read one by one ([`CustomerRecord::read`]): one that cannot be read does not
/// keep the others from being read.
#[derive(Debug, Deserialize)]
struct SearchBody {
    #[serde(default)]
    items: Vec<serde_json::Value>,
}

/// A customer a look-up by email found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub(crate) id: u64,
    /// When the store registered it, if it said.
    pub(crate) registered: Option<std::time::SystemTime>,
    /// The record as the store returned it: the whole of it when the look-up asked for it
    /// ([`Lookup::Full`]), else its id, email and `registered` only. It may hold a field that
    /// could not be read ([`CustomerRecord::unreadable`]).
    pub(crate) record: Box<CustomerRecord>,
}

/// An email as Ecwid tells emails apart: ignoring case and surrounding spaces. Every place
/// that matches a row's email with the store's (the look-up, the snapshot and the first pass
/// over the file that keys it) uses this one form.
pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Found {
    /// The customer of a record the store returned; `None` without an id.
    pub(crate) fn of(record: CustomerRecord) -> Option<Self> {
        Some(Found {
            id: record.id?,
            registered: record
                .registered
                .as_deref()
                .and_then(clock::parse_ecwid_time),
            record: Box::new(record),
        })
    }
}

/// How much of the customer a look-up by email asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Its id, email and registration date: enough to know whether it exists.
    Brief,
    /// Also every field a row is compared with (`--on-existing update`): the same one request.
    Full,
}

#[derive(Debug, Deserialize)]
struct Profile {
    #[serde(default)]
    languages: Option<Languages>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Languages {
    #[serde(default)]
    enabled_languages: Vec<String>,
}

/// A client for one store.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    /// `{base}/customers`, parsed once: the URL of every create.
    customers: reqwest::Url,
    auth: HeaderValue,
    timeout: Duration,
    /// The run's start by the store's clock, shared by the clones of the client.
    clock: std::sync::Arc<StoreClock>,
}

impl Client {
    /// A client for the store of `config`; nothing is sent yet.
    pub(crate) fn new(config: &ClientConfig) -> Result<Self, SetupError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(CONNECT_TIMEOUT.min(config.timeout))
            .pool_idle_timeout(IDLE_TIMEOUT)
            .pool_max_idle_per_host(config.max_connections)
            .user_agent(concat!("ecwid-import/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(SetupError::Http)?;
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", config.token.expose_secret()))
            .map_err(SetupError::TokenNotAHeader)?;
        auth.set_sensitive(true);
        let base = format!(
            "{}/{}",
            config.api_url.trim_end_matches('/'),
            config.store_id
        );
        let customers = reqwest::Url::parse(&format!("{base}/customers")).map_err(|source| {
            SetupError::ApiUrl {
                api_url: config.api_url.clone(),
                source,
            }
        })?;
        Ok(Self {
            http,
            base,
            customers,
            auth,
            timeout: config.timeout,
            clock: std::sync::Arc::default(),
        })
    }

    /// The whole-request timeout (`--timeout`).
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// When the run started by the store's clock, once its first answer told.
    pub(crate) fn clock(&self) -> &std::sync::Arc<StoreClock> {
        &self.clock
    }

    /// `POST /customers` with an already serialized [`CustomerRequest`]; the new customer's id.
    pub(crate) async fn create_customer(&self, body: bytes::Bytes) -> Result<u64, ApiError> {
        let request = self
            .http
            .post(self.customers.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        let (status, bytes) = self.send(request).await?;
        parse_body::<CreatedBody>(status, &bytes).map(|b| b.id)
    }

    /// `PUT /customers/{id}` with an already serialized [`CustomerRequest`]; the store's
    /// `updateCount`: 0 says it did not apply the update. A 200 without a count is a body that
    /// cannot be read (the update's outcome is unknown).
    pub(crate) async fn update_customer(
        &self,
        id: u64,
        body: bytes::Bytes,
    ) -> Result<u64, ApiError> {
        let request = self
            .http
            .put(format!("{}/customers/{id}", self.base))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body);
        let (status, bytes) = self.send(request).await?;
        parse_body::<UpdatedBody>(status, &bytes).map(|b| b.update_count)
    }

    /// `GET /customers/{id}`: the customer's whole record.
    pub(crate) async fn get_customer(&self, id: u64) -> Result<CustomerRecord, ApiError> {
        let request = self.http.get(format!("{}/customers/{id}", self.base));
        let (status, bytes) = self.send(request).await?;
        parse_body::<CustomerRecord>(status, &bytes)
    }

    /// `DELETE /customers/{id}`; the store's `deleteCount`: 0 says it deleted nothing.
    pub(crate) async fn delete_customer(&self, id: u64) -> Result<u64, ApiError> {
        let request = self.http.delete(format!("{}/customers/{id}", self.base));
        let (status, bytes) = self.send(request).await?;
        parse_body::<DeletedBody>(status, &bytes).map(|b| b.delete_count)
    }

    /// The languages enabled in the store, from `GET /profile`.
    pub(crate) async fn enabled_languages(&self) -> Result<Vec<String>, ApiError> {
        let request = self.http.get(format!("{}/profile", self.base));
        let (status, bytes) = self.send(request).await?;
        let profile = parse_body::<Profile>(status, &bytes)?;
        Ok(profile
            .languages
            .map(|l| l.enabled_languages)
            .unwrap_or_default())
    }

    /// `GET /customers?email=..&useExactEmailMatch=true`: the customer with this email (its id,
    /// when it registered and, for [`Lookup::Full`], its record), compared case-insensitively
    /// here too in case the store ignores the exact flag.
    pub(crate) async fn find_customer(
        &self,
        email: &str,
        lookup: Lookup,
    ) -> Result<Option<Found>, ApiError> {
        let fields = match lookup {
            Lookup::Brief => "items(id,email,registered)".to_string(),
            Lookup::Full => format!("items({COMPARED_FIELDS})"),
        };
        let request = self.http.get(format!("{}/customers", self.base)).query(&[
            ("email", email),
            ("useExactEmailMatch", "true"),
            ("responseFields", fields.as_str()),
        ]);
        let (status, bytes) = self.send(request).await?;
        let found = parse_body::<SearchBody>(status, &bytes)?;
        let wanted = email_key(email);
        let Some(record) = found
            .items
            .into_iter()
            .filter_map(|item| CustomerRecord::read(item).ok())
            .find(|c| email_key(c.email.as_deref().unwrap_or_default()) == wanted)
        else {
            return Ok(None);
        };
        // A customer without an id is not one the API documents: its row cannot go on.
        let problem = record.unreadable.clone();
        let found = Found::of(record).ok_or_else(|| ApiError::BadBody {
            status,
            body: problem.unwrap_or_else(|| format!("no id: {}", excerpt(&bytes))),
        })?;
        Ok(Some(found))
    }

    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<(u16, bytes::Bytes), ApiError> {
        self.clock.sending();
        let response = request
            .header(header::AUTHORIZATION, self.auth.clone())
            .header(header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        self.clock.answered(response.headers());
        let status = response.status().as_u16();
        let reason = response.status().canonical_reason().unwrap_or("");
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?;
        if (200..300).contains(&status) {
            return Ok((status, bytes));
        }
        let body: Option<ErrorBody> = serde_json::from_slice(&bytes).ok();
        let (message, code) = match body {
            Some(b) => (b.error_message, b.error_code),
            None => (None, None),
        };
        let message = message
            .filter(|m| !m.trim().is_empty())
            .or_else(|| Some(excerpt(&bytes)).filter(|m| !m.is_empty()))
            .unwrap_or_else(|| reason.to_string());
        Err(ApiError::Status {
            status,
            message,
            code: code.filter(|c| !c.is_empty()),
            retry_after,
        })
    }

    fn transport_error(&self, e: &reqwest::Error) -> ApiError {
        let detail = error_chain(e);
        if e.is_timeout() {
            ApiError::Timeout(self.timeout)
        } else if e.is_connect() {
            ApiError::NotConnected(detail)
        } else {
            ApiError::ConnectionLost(detail)
        }
    }
}

/// The body read as `T`; else a [`ApiError::BadBody`] naming what could not be read (the
/// parser's words: a missing field, a value of the wrong type, where) and the body's start.
fn parse_body<T: for<'de> Deserialize<'de>>(status: u16, bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::BadBody {
        status,
        body: format!("{e}; the answer begins {:?}", excerpt(bytes)),
    })
}

/// The start of a body, on one line, for an error message.
fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(200).collect()
}

/// Every cause of a transport error, innermost last: reqwest's own text alone says little.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// `Retry-After` as seconds or as an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_nan() || seconds < 0.0 {
            return None;
        }
        return Some(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Serializes a request body once, to be sent as often as retries need.
pub fn body_of(request: &CustomerRequest) -> bytes::Bytes {
    // Room for a typical body at once, rather than growing (and copying) it several times.
    let mut body = Vec::with_capacity(1024);
    // A struct of strings, numbers and booleans always serializes.
    let _ = serde_json::to_writer(&mut body, request);
    body.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("12"), Some(Duration::from_secs(12)));
        assert_eq!(
            parse_retry_after(" 1.5 "),
            Some(Duration::from_millis(1500))
        );
        let past = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(parse_retry_after(past), Some(Duration::ZERO));
        let future =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
        let got = parse_retry_after(&future).expect("parses");
        assert!(got > Duration::from_secs(25) && got <= Duration::from_secs(30));
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-3"), None);
        // Too large for a u64 and for a Duration: no panic, just no usable value.
        // Too large for a Duration: the longest wait, which the retry policy then caps.
        let huge = Some(Duration::MAX);
        assert_eq!(parse_retry_after("99999999999999999999999999999"), huge);
        assert_eq!(parse_retry_after("1e300"), huge);
        assert_eq!(parse_retry_after("NaN"), None);
    }
}
