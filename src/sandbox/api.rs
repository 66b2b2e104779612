//! The endpoints of the store, as plain functions from a request to a [`Reply`].
//!
//! They know nothing of HTTP connections, tokens, rate limits or faults: the server applies
//! those first. That keeps one implementation of each endpoint for both a single request and
//! a request inside a batch, which Ecwid runs the same way.

use axum::http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::groups::GroupRefusal;
use super::listing::{self, Page, page_of};
use super::record;
use super::reply::{Reply, parse_query};
use super::state::Shared;
use super::store::{EmailTaken, GROUP_KEYS, Store};
use super::{batch, clock, extra_fields, lock, response_fields, rules, scopes};
use crate::customer::CustomerRequest;

/// Where a request came from: batches may not hold batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    Client,
    Batch,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FieldsQuery {
    response_fields: Option<String>,
}

/// Runs one request on the store. `path` is what follows `/api/v3/{storeId}` (e.g.
/// `/customers/5`), `query` the part after `?`, `body` the parsed JSON body (`Null` if none).
/// A `GET`'s answer keeps only the `responseFields` named, when the query names any.
pub(crate) fn dispatch(
    shared: &Shared,
    origin: Origin,
    method: &Method,
    path: &str,
    query: &str,
    body: Value,
) -> Reply {
    let fields = match response_fields_of(method, query) {
        Ok(fields) => fields,
        Err(refused) => return refused,
    };
    let mut reply = endpoint(shared, origin, method, path, query, body);
    if let Some(fields) = fields.filter(|_| reply.status.is_success()) {
        response_fields::apply(&mut reply.body, &fields);
    }
    reply
}

/// The fields a `GET` asks for, if it names any.
fn response_fields_of(
    method: &Method,
    query: &str,
) -> Result<Option<Vec<response_fields::Field>>, Reply> {
    if *method != Method::GET {
        return Ok(None);
    }
    let asked: FieldsQuery = parse_query(query)?;
    asked
        .response_fields
        .map(|text| response_fields::parse(&text).map_err(Reply::wrong_parameter))
        .transpose()
}

/// The endpoint's answer, once the token's scopes allow the request.
fn endpoint(
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
        (["customer_groups", ..], _) if shared.config.plan_without_groups => Err(Reply::error(
            StatusCode::PAYMENT_REQUIRED,
            "NOT_AVAILABLE_ON_CURRENT_PLAN",
            "Customer groups are not available on the store's current plan: they need the \
             Business plan or higher",
        )),
        (["customers"], "GET") => listing::list(shared, query),
        (["customers"], "POST") => create(shared, body),
        (["customers", id], "GET") => with_id(id).and_then(|id| get(shared, id)),
        (["customers", id], "PUT") => with_id(id).and_then(|id| update(shared, id, body)),
        (["customers", id], "DELETE") => with_id(id).and_then(|id| delete(shared, id)),
        (["customer_groups"], "GET") => groups(shared, query),
        (["customer_groups"], "POST") => create_group(shared, body),
        (["customer_groups", id], "DELETE") => {
            with_group_id(id).and_then(|id| delete_group(shared, id))
        }
        (["profile"], "GET") => Ok(profile(shared)),
        (["store_extrafields", "customers"], "GET") => Ok(extra_fields::list(
            &lock(&shared.extra_fields),
            shared.started,
        )),
        (["batch"], _) if origin == Origin::Batch => Err(Reply::wrong_parameter(
            "A batch cannot contain requests to /batch",
        )),
        (["batch"], "POST") => batch::submit(shared, query, body),
        (["batch"], "GET") => batch::status(shared, query),
        (["batch"], "DELETE") => batch::stop(shared, query),
        (
            ["customers" | "customer_groups" | "profile" | "batch"]
            | ["customers" | "customer_groups", _],
            _,
        ) => Err(Reply::error(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("{method} is not supported on {path}"),
        )),
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

/// The body of a write as an object, refused with 400 otherwise.
fn object(body: Value) -> Result<serde_json::Map<String, Value>, Reply> {
    match body {
        Value::Object(fields) => Ok(fields),
        _ => Err(Reply::wrong_parameter("The body must be a JSON object")),
    }
}

/// Stores the body as it was sent (fields the client does not know included, but those
/// `--drop-fields` names), once the store's rules let it through.
fn create(shared: &Shared, body: Value) -> Answer {
    let mut body = object(body)?;
    let mut customer = checked_customer(shared, Value::Object(body.clone()))?;
    if drop_fields(shared, &mut body) {
        customer = super::store::typed(&body);
    }
    if let (Some(domain), Some(email)) = (&shared.config.refuse_domain, &customer.email)
        && email
            .rsplit_once('@')
            .is_some_and(|(_, d)| d.trim().eq_ignore_ascii_case(domain))
    {
        return Err(Reply::wrong_parameter(format!(
            "The store does not accept emails at {domain}"
        )));
    }
    let created = {
        let mut store = store(shared);
        store
            .groups
            .check(&customer)
            .map_err(Reply::wrong_parameter)?;
        store.create(body, customer, clock::now())
    };
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

fn get(shared: &Shared, id: u64) -> Answer {
    let store = store(shared);
    let record = store.get(id).ok_or_else(|| customer_not_found(id))?;
    let lang = shared.config.languages.first().map_or("en", String::as_str);
    Ok(Reply::ok(record::shown(id, record, lang, &store.groups)))
}

/// Fields present in the body replace the stored ones whole (a list or an address is replaced,
/// not merged, whatever it held that the body's does not); fields absent are kept. A list entry
/// sent back with its id keeps it (see [`super::store`]).
fn update(shared: &Shared, id: u64, body: Value) -> Answer {
    let mut changes = object(body)?;
    let mut store = store(shared);
    let current = store.get(id).ok_or_else(|| customer_not_found(id))?;
    if not_applied(shared, &current.customer) {
        shared.stats_mut().not_applied += 1;
        return Ok(Reply::ok(json!({ "updateCount": 0 })));
    }
    // The group the write names replaces the customer's, whether by id or by name.
    let names_group = GROUP_KEYS.iter().any(|k| changes.contains_key(*k));
    let mut base = current.body.clone();
    if names_group {
        for key in GROUP_KEYS {
            base.remove(key);
        }
    }
    let mut merged = base.clone();
    merged.extend(changes.clone());
    let mut customer = checked_customer(shared, Value::Object(merged))?;
    if names_group {
        store
            .groups
            .check(&customer)
            .map_err(Reply::wrong_parameter)?;
    }
    if drop_fields(shared, &mut changes) {
        base.extend(changes.clone());
        customer = super::store::typed(&base);
    }
    match store.replace(id, changes, customer, clock::now()) {
        Some(Ok(())) => {
            shared.stats_mut().updates += 1;
            Ok(Reply::ok(json!({ "updateCount": 1 })))
        }
        Some(Err(EmailTaken)) => Err(email_exists()),
        None => Err(customer_not_found(id)),
    }
}

/// Takes the fields `--drop-fields` names out of a write's body, as a store that does not keep
/// them would, after its rules let the write through; `true` when it took any.
fn drop_fields(shared: &Shared, body: &mut serde_json::Map<String, Value>) -> bool {
    let before = body.len();
    body.retain(|key, _| !shared.config.drop_fields.contains(key));
    body.len() != before
}

/// An id the store does not hold is answered `{"deleteCount": 0}` (200), as the docs say, not
/// 404.
fn delete(shared: &Shared, id: u64) -> Answer {
    let mut store = store(shared);
    let held = store
        .get(id)
        .is_some_and(|record| !not_applied(shared, &record.customer));
    if held && store.delete(id) {
        return Ok(Reply::ok(json!({ "deleteCount": 1 })));
    }
    drop(store);
    shared.stats_mut().not_applied += 1;
    Ok(Reply::ok(json!({ "deleteCount": 0 })))
}

/// Whether writes to this customer are not applied (`--not-applied`).
fn not_applied(shared: &Shared, customer: &CustomerRequest) -> bool {
    let email = super::store::email_key(customer);
    lock(&shared.not_applied).contains(&email)
}

fn groups(shared: &Shared, query: &str) -> Answer {
    let page: Page = parse_query(query)?;
    let store = store(shared);
    let items = store
        .groups
        .all()
        .skip(page.offset())
        .take(page.limit())
        .map(|(id, name)| json!({ "id": id, "name": name }))
        .collect();
    Ok(page_of(store.groups.len(), &page, items))
}

fn with_group_id(text: &str) -> Result<u64, Reply> {
    text.parse().map_err(|_| {
        Reply::error(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("Customer group with id {text} not found"),
        )
    })
}

fn group_refused(refusal: GroupRefusal) -> Reply {
    match refusal {
        GroupRefusal::Wrong(message) => Reply::wrong_parameter(message),
        GroupRefusal::Taken(message) => {
            Reply::error(StatusCode::CONFLICT, "CONSTRAINT_VIOLATION", message)
        }
    }
}

/// `POST /customer_groups {"name"}`: `{"id": N}`.
fn create_group(shared: &Shared, body: Value) -> Answer {
    let body = object(body)?;
    let name = match body.get("name") {
        Some(Value::String(name)) => name.clone(),
        _ => String::new(),
    };
    let id = store(shared).groups.create(&name).map_err(group_refused)?;
    shared.stats_mut().group_creates += 1;
    Ok(Reply::ok(json!({ "id": id })))
}

/// `DELETE /customer_groups/{id}`: `{"deleteCount": 1}`, or 0 when there is no such group.
fn delete_group(shared: &Shared, id: u64) -> Answer {
    let mut store = store(shared);
    let members = store.members(id);
    let deleted = store.groups.delete(id, members).map_err(group_refused)?;
    Ok(Reply::ok(json!({ "deleteCount": u8::from(deleted) })))
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
