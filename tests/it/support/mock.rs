//! A mock store (wiremock on 127.0.0.1) for the tests of one answer at a time: the store's
//! size every import asks first, the common answers, and the requests a test is about.

use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The customers endpoint of the store every test imports into (`--store-id 1003`).
pub const CUSTOMERS: &str = "/api/v3/1003/customers";

/// A create accepted with this id.
pub fn created(id: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "id": id }))
}

/// An update accepted.
pub fn updated() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"updateCount": 1}))
}

/// One page of customers holding `items` (a JSON array), all there are.
pub fn listing(items: Value) -> ResponseTemplate {
    let n = items.as_array().map_or(0, Vec::len);
    ResponseTemplate::new(200)
        .set_body_json(json!({"total": n, "count": n, "offset": 0, "limit": 100, "items": items}))
}

/// A look-up by email that finds nobody.
pub fn not_found_by_lookup() -> ResponseTemplate {
    listing(json!([]))
}

/// A mock store that answers the one request every import with `--snapshot auto` makes
/// first, the store's size (`limit=1&responseFields=total`): an empty store, which needs no
/// further request to read. Each test mounts the answers it is about.
pub async fn mock_store() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("responseFields", "total"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total": 0, "count": 0, "offset": 0, "limit": 1})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    server
}

/// Every request with this HTTP method (`"POST"`, `"GET"`, `"PUT"`) is answered so.
pub async fn answer(server: &MockServer, verb: &str, with: impl Respond + 'static) {
    Mock::given(method(verb))
        .respond_with(with)
        .mount(server)
        .await;
}

/// The first request with this HTTP method is answered so; later ones fall through to the
/// answers mounted after.
pub async fn answer_once(server: &MockServer, verb: &str, with: impl Respond + 'static) {
    Mock::given(method(verb))
        .respond_with(with)
        .up_to_n_times(1)
        .mount(server)
        .await;
}

/// The requests a test is about: all but the store's size asked first (see [`mock_store`]).
pub fn sent(requests: Vec<Request>) -> Vec<Request> {
    requests
        .into_iter()
        .filter(|r| {
            !r.url
                .query_pairs()
                .any(|(k, v)| k == "responseFields" && v == "total")
        })
        .collect()
}

/// The `--api-url` of the mock store.
pub fn api(server: &MockServer) -> String {
    format!("{}/api/v3", server.uri())
}

/// The bodies of the creates (POST) among `requests`.
pub fn posts(requests: &[Request]) -> Vec<Value> {
    requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).expect("json body"))
        .collect()
}

/// A create refused because the email is taken.
pub fn conflict() -> ResponseTemplate {
    ResponseTemplate::new(409).set_body_json(json!({
        "errorMessage": "The customer with the given email already exists",
        "errorCode": "CONSTRAINT_VIOLATION"
    }))
}

/// The batch endpoint of the store every test imports into (`--store-id 1003`).
pub const BATCH: &str = "/api/v3/1003/batch";

/// Every request with this HTTP method on this path is answered so.
pub async fn answer_at(server: &MockServer, verb: &str, at: &str, with: impl Respond + 'static) {
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(with)
        .mount(server)
        .await;
}

/// A store whose batch endpoint takes every batch as `ticket`, answers its polls with `poll`
/// and its stops (`DELETE`) with `stop`.
pub async fn batch_store(
    ticket: &str,
    poll: impl Respond + 'static,
    stop: impl Respond + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    let submitted = ResponseTemplate::new(200).set_body_json(json!({ "ticket": ticket }));
    answer_at(&server, "POST", BATCH, submitted).await;
    answer_at(&server, "GET", BATCH, poll).await;
    answer_at(&server, "DELETE", BATCH, stop).await;
    server
}

/// How many of `requests` have this HTTP method and a path ending with `on`.
pub fn count(requests: &[Request], verb: &str, on: &str) -> usize {
    requests
        .iter()
        .filter(|r| r.method.as_str() == verb && r.url.path().ends_with(on))
        .count()
}
