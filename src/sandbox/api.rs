//! The endpoints of the store, as plain functions from a request to a [`Reply`].
//!
//! They know nothing of HTTP connections, tokens, rate limits or faults: the server applies
//! those first. That keeps one implementation of each endpoint for both a single request and
//! a request inside a batch, which Ecwid runs the same way.

use axum::extract::Query;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::batch;
use super::lock;
use super::rules;
use super::scopes;
use super::server::Shared;
use super::store::{EmailTaken, Filter, Store, StoredCustomer};
use crate::customer::CustomerRequest;

/// Page size when the client names none, and the most it may ask for.
const MAX_LIMIT: usize = 100;

/// The customer groups of every sandbox store; group 0 exists in every Ecwid store.
const GROUPS: &[(u64, &str)] = &[
    (0, "General"),
    (9_367_001, "VIP"),
    (9_367_002, "Wholesale"),
    (9_367_003, "Retail partners"),
];

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

/// Where a request came from: batches may not hold batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Client,
    Batch,
}

/// Runs one request on the store. `path` is what follows `/api/v3/{storeId}` (e.g.
/// `/customers/5`), `query` the part after `?`, `body` the parsed JSON body (`Null` if none).
pub(crate) fn dispatch(
    shared: &Shared,
    origin: Origin,
    method: &Method,
    path: &str,
    query: &str,
    body: Value,
) -> Reply {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if let Some(refusal) = scopes::refusal(&shared.config.scopes, &segments, method) {
        return refusal;
    }
    let answer = match (segments.as_slice(), method.as_str()) {
        (["customer_groups"], "GET") if shared.config.plan_without_groups => Err(Reply::error(
            StatusCode::PAYMENT_REQUIRED,
            "NOT_AVAILABLE_ON_CURRENT_PLAN",
            "Customer groups are not available on the store's current plan",
        )),
        (["customers"], "GET") => search(shared, query),
        (["customers"], "POST") => create(shared, body),
        (["customers", id], "GET") => with_id(id).and_then(|id| get(shared, id)),
        (["customers", id], "PUT") => with_id(id).and_then(|id| update(shared, id, body)),
        (["customers", id], "DELETE") => with_id(id).and_then(|id| delete(shared, id)),
        (["customer_groups"], "GET") => groups(query),
        (["profile"], "GET") => Ok(profile(shared)),
        (["batch"], _) if origin == Origin::Batch => Err(Reply::wrong_parameter(
            "A batch cannot contain requests to /batch",
        )),
        (["batch"], "POST") => batch::submit(shared, query, body),
        (["batch"], "GET") => batch::status(shared, query),
        (["customers" | "customer_groups" | "profile" | "batch"] | ["customers", _], _) => {
            Err(Reply::error(
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                format!("{method} is not supported on {path}"),
            ))
        }
        _ => Err(Reply::error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("No such endpoint: {path}"),
        )),
    };
    answer.unwrap_or_else(|error| error)
}

/// The answer, or the error that replaces it.
type Answer = Result<Reply, Reply>;

/// Reads query parameters as serde would from a URL, with the error as a 400.
pub(crate) fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, Reply> {
    let uri: Uri = format!("/?{query}")
        .parse()
        .map_err(|_| Reply::wrong_parameter(format!("Malformed query string: {query}")))?;
    Query::<T>::try_from_uri(&uri)
        .map(|Query(params)| params)
        .map_err(|e| Reply::wrong_parameter(e.body_text()))
}

fn with_id(text: &str) -> Result<u64, Reply> {
    text.parse().map_err(|_| customer_not_found(text))
}

fn customer_not_found(id: impl std::fmt::Display) -> Reply {
    Reply::error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        format!("Customer with id {id} not found"),
    )
}

fn email_exists() -> Reply {
    Reply::error(
        StatusCode::CONFLICT,
        "CONSTRAINT_VIOLATION",
        "The customer with the given email already exists",
    )
}

fn store(shared: &Shared) -> std::sync::MutexGuard<'_, Store> {
    lock(&shared.store)
}

/// The body as a customer, refused as Ecwid documents it would be (see [`rules`]).
fn checked_customer(shared: &Shared, body: Value) -> Result<CustomerRequest, Reply> {
    let customer: CustomerRequest = serde_json::from_value(body)
        .map_err(|e| Reply::wrong_parameter(format!("Invalid customer: {e}")))?;
    let refused: Vec<String> = rules::refusals(&customer)
        .iter()
        .map(ToString::to_string)
        .collect();
    if !refused.is_empty() {
        return Err(Reply::wrong_parameter(refused.join("; ")));
    }
    if let Some(lang) = rules::language_refused(&customer, &shared.config.languages) {
        return Err(Reply::error(
            StatusCode::BAD_REQUEST,
            "LANGUAGES_NOT_ALLOWED",
            format!(
                "Language {lang:?} is not enabled in the store; enabled: {}",
                shared.config.languages.join(", ")
            ),
        ));
    }
    Ok(customer)
}

fn create(shared: &Shared, body: Value) -> Answer {
    let customer = checked_customer(shared, body)?;
    if let (Some(domain), Some(email)) = (&shared.config.refuse_domain, &customer.email)
        && email
            .rsplit_once('@')
            .is_some_and(|(_, d)| d.trim().eq_ignore_ascii_case(domain))
    {
        return Err(Reply::wrong_parameter(format!(
            "The store does not accept emails at {domain}"
        )));
    }
    let created = store(shared).create(customer);
    let mut stats = shared.stats_mut();
    match created {
        Ok(id) => {
            stats.creates += 1;
            Ok(Reply::ok(json!({ "id": id })))
        }
        Err(EmailTaken) => {
            stats.duplicate_creates += 1;
            Err(email_exists())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SearchQuery {
    email: Option<String>,
    #[serde(default)]
    use_exact_email_match: bool,
    keyword: Option<String>,
    // Not `#[serde(flatten)] page: Page`: query values are all text, and flatten loses the
    // conversion of text to numbers.
    offset: Option<usize>,
    limit: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
struct Page {
    offset: Option<usize>,
    limit: Option<usize>,
}

impl Page {
    fn offset(&self) -> usize {
        self.offset.unwrap_or(0)
    }

    fn limit(&self) -> usize {
        self.limit.map_or(MAX_LIMIT, |l| l.min(MAX_LIMIT))
    }
}

/// A page of results in Ecwid's shape.
fn page_of(total: usize, page: &Page, items: Vec<Value>) -> Reply {
    Reply::ok(json!({
        "total": total,
        "count": items.len(),
        "offset": page.offset(),
        "limit": page.limit(),
        "items": items,
    }))
}

/// A customer as the API shows it: never with its password.
fn shown(mut customer: StoredCustomer) -> Value {
    customer.customer.password = None;
    serde_json::to_value(customer).unwrap_or(Value::Null)
}

fn search(shared: &Shared, query: &str) -> Answer {
    let query: SearchQuery = parse_query(query)?;
    let filter = Filter {
        email: query.email,
        exact: query.use_exact_email_match,
        keyword: query.keyword,
    };
    let page = Page {
        offset: query.offset,
        limit: query.limit,
    };
    let (total, found) = store(shared).search(&filter, page.offset(), page.limit());
    let items = found.into_iter().map(shown).collect();
    Ok(page_of(total, &page, items))
}

fn get(shared: &Shared, id: u64) -> Answer {
    let customer = store(shared)
        .get(id)
        .cloned()
        .ok_or_else(|| customer_not_found(id))?;
    Ok(Reply::ok(shown(StoredCustomer { id, customer })))
}

/// Fields present in the body replace the stored ones whole (a list or an address is replaced,
/// not merged); fields absent are kept.
fn update(shared: &Shared, id: u64, body: Value) -> Answer {
    let Value::Object(changes) = body else {
        return Err(Reply::wrong_parameter("The body must be a JSON object"));
    };
    let mut store = store(shared);
    let current = store.get(id).ok_or_else(|| customer_not_found(id))?;
    let mut merged = serde_json::to_value(current).unwrap_or(Value::Null);
    if let Value::Object(fields) = &mut merged {
        fields.extend(changes);
    }
    let customer = checked_customer(shared, merged)?;
    match store.replace(id, customer) {
        Some(Ok(())) => Ok(Reply::ok(json!({ "updateCount": 1 }))),
        Some(Err(EmailTaken)) => Err(email_exists()),
        None => Err(customer_not_found(id)),
    }
}

fn delete(shared: &Shared, id: u64) -> Answer {
    if store(shared).delete(id) {
        Ok(Reply::ok(json!({ "deleteCount": 1 })))
    } else {
        Err(customer_not_found(id))
    }
}

fn groups(query: &str) -> Answer {
    let page: Page = parse_query(query)?;
    let items = GROUPS
        .iter()
        .skip(page.offset())
        .take(page.limit())
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    Ok(page_of(GROUPS.len(), &page, items))
}

fn profile(shared: &Shared) -> Reply {
    let config = &shared.config;
    Reply::ok(json!({
        "generalInfo": { "storeId": config.store_id },
        "settings": { "storeName": "ecwid-import sandbox" },
        "languages": {
            "enabledLanguages": config.languages,
            "defaultLanguage": config.languages.first(),
        },
    }))
}
