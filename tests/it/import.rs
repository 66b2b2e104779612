//! The pipeline against a mock store (wiremock on 127.0.0.1): request bodies, each failure
//! class of the retry policy, ordering and the atomic results file.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{TOKEN, Workspace, column, emails_csv};

const CUSTOMERS: &str = "/api/v3/1003/customers";

fn created(id: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "id": id }))
}

fn not_found_by_lookup() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"total": 0, "count": 0, "offset": 0, "limit": 100, "items": []}))
}

/// A mock store that answers the one request every import with `--snapshot auto` makes
/// first, the store's size (`limit=1&responseFields=total`): an empty store, which needs no
/// further request to read. Each test mounts the answers it is about.
async fn mock_store() -> MockServer {
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

/// The requests a test is about: all but the store's size asked first (see [`mock_store`]).
fn sent(requests: Vec<Request>) -> Vec<Request> {
    requests
        .into_iter()
        .filter(|r| {
            !r.url
                .query_pairs()
                .any(|(k, v)| k == "responseFields" && v == "total")
        })
        .collect()
}

async fn api(server: &MockServer) -> String {
    format!("{}/api/v3", server.uri())
}

fn posts(requests: &[Request]) -> Vec<Value> {
    requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).expect("json body"))
        .collect()
}

/// A row using every column group is sent as exactly this JSON, with the bearer token; the
/// country's and state's names are not sent beside their codes (the store names them).
#[tokio::test]
async fn sends_the_exact_body_for_every_column_group() {
    let server = mock_store().await;
    let expected = json!({
        "email": "Ann.Lee@example.com",
        "password": "s3cret pass",
        "billingPerson": {
            "name": "Ann Lee", "companyName": "Lee & Co", "street": "1 Main St\nSuite 2",
            "city": "Boston", "countryCode": "US",
            "postalCode": "02101", "stateOrProvinceCode": "MA",
            "phone": "+1 617 555 0100"
        },
        "shippingAddresses": [
            {"name": "Dock", "street": "5 Pier Rd", "city": "Boston", "countryCode": "US", "postalCode": "02110",
             "stateOrProvinceName": "Massachusetts"},
            {"city": "Toronto", "countryCode": "CA"}
        ],
        "contacts": [
            {"type": "PHONE", "contact": "+1 617 555 0100", "default": true, "orderBy": 0},
            {"type": "INSTAGRAM", "contact": "https://instagram.com/annlee", "handle": "annlee", "note": "DMs ok"}
        ],
        "customerGroupId": 9367001,
        "b2b_b2c": "b2b",
        "taxId": "US-123",
        "taxIdValid": true,
        "taxExempt": true,
        "acceptMarketing": false,
        "lang": "pt_BR",
        "privateAdminNotes": "first line\nsecond line",
        "fiscalCode": "LEENNA80A41Z404X",
        "electronicInvoicePecEmail": "ann@pec.example.it",
        "electronicInvoiceSdiCode": "0000000",
        "extrafields": [
            {"key": "loyalty_id", "value": "L-0042"},
            {"key": "Preferred Store", "value": "Back Bay"}
        ]
    });
    Mock::given(method("POST"))
        .and(path(CUSTOMERS))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected))
        .respond_with(created(501))
        .expect(1)
        .mount(&server)
        .await;
    let csv = "email,password,name,billingPerson.companyName,billingPerson.street,billingPerson.city,\
billingPerson.countryCode,billingPerson.countryName,billingPerson.postalCode,billingPerson.stateOrProvinceCode,\
billingPerson.phone,shippingAddresses[0].name,shippingAddresses.0.street,shippingAddresses.0.city,\
shippingAddresses.0.countryCode,shippingAddresses.0.postalCode,shippingAddresses.3.city,shippingAddresses.3.countryCode,\
contacts.0.type,contacts.0.contact,contacts.0.default,contacts.0.orderBy,contacts.1.type,contacts.1.contact,\
contacts.1.handle,contacts.1.note,contacts.1.default,CustomerGroupId,B2B_B2C,taxId,taxIdValid,taxExempt,\
acceptMarketing,lang,privateAdminNotes,Customer Tags,FiscalCode,electronicInvoicePecEmail,electronicInvoiceSdiCode,\
billingPerson.stateOrProvinceName,shippingAddresses[0].stateOrProvinceName,extrafields.loyalty_id,\
ExtraFields.Preferred Store\n \
Ann.Lee@example.com ,s3cret pass,Ann Lee,Lee & Co,\"1 Main St\nSuite 2\",Boston,us,United States,02101,MA,\
+1 617 555 0100,Dock,5 Pier Rd,Boston,US,02110,Toronto,ca,phone,+1 617 555 0100,yes,0,Instagram,\
https://instagram.com/annlee,annlee,DMs ok,,9367001,B2B,US-123,TRUE,y,No,pt_BR,\"first line\nsecond line\",vip,\
LEENNA80A41Z404X,ann@pec.example.it,0000000,Massachusetts,Massachusetts,L-0042,Back Bay\n";
    let ws = Workspace::new(csv);
    let code = ws.import(&api(&server).await, &[]).await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"]);
    assert_eq!(column(&rows, "customer_id"), ["501"]);
    assert_eq!(column(&rows, "email"), ["Ann.Lee@example.com"]);
    assert_eq!(column(&rows, "http_status"), ["200"]);
    assert_eq!(column(&rows, "attempts"), ["1"]);
}

/// Invalid and duplicate rows never reach the store; the others do, once each.
#[tokio::test]
async fn invalid_and_duplicate_rows_are_never_sent() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(created(1))
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&[
        "a@example.com",
        "not-an-email",
        "A@EXAMPLE.COM",
        "b@example.com",
        "",
    ]));
    let code = ws.import(&api(&server).await, &[]).await;
    assert_eq!(code, 1);
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["created", "invalid", "duplicate", "created", "invalid"]
    );
    assert!(rows[2]["error"].contains("row 1"), "{}", rows[2]["error"]);
    let sent: Vec<Value> = posts(&server.received_requests().await.expect("recorded"));
    let emails: Vec<&str> = sent
        .iter()
        .map(|b| b["email"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(emails.len(), 2);
    assert!(emails.contains(&"a@example.com") && emails.contains(&"b@example.com"));
}

/// Answers in the order given, then the last one forever; notes when each request came.
struct Script {
    answers: Vec<ResponseTemplate>,
    calls: AtomicUsize,
    seen: Mutex<Vec<Instant>>,
}

impl Script {
    fn new(answers: Vec<ResponseTemplate>) -> Self {
        Self {
            answers,
            calls: AtomicUsize::new(0),
            seen: Mutex::new(Vec::new()),
        }
    }
}

impl Respond for &'static Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.seen.lock().expect("lock").push(Instant::now());
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        self.answers[n.min(self.answers.len() - 1)].clone()
    }
}

/// A store whose first create answers 429 with this `Retry-After`, and every later one 200.
async fn rate_limited_once(retry_after: &str) -> (MockServer, &'static Script) {
    let server = mock_store().await;
    let script: &'static Script = Box::leak(Box::new(Script::new(vec![
        ResponseTemplate::new(429)
            .insert_header("Retry-After", retry_after)
            .set_body_json(
                json!({"errorMessage": "Too many requests", "errorCode": "RATE_LIMITED"}),
            ),
        created(7),
    ])));
    Mock::given(method("POST"))
        .respond_with(script)
        .mount(&server)
        .await;
    (server, script)
}

/// A 429 pauses every worker for Retry-After, then the row is sent again and created.
#[tokio::test]
async fn rate_limited_answer_holds_all_workers_then_retries() {
    let (server, script) = rate_limited_once("1").await;
    let emails: Vec<String> = (0..6).map(|i| format!("c{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    // One slot at first, so the 429 is answered before any other request leaves.
    let code = ws
        .import(&api(&server).await, &["--concurrency", "1"])
        .await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), vec!["created"; 6]);
    assert_eq!(rows[0]["attempts"], "2");
    let seen = script.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 7, "six creates and one retry");
    // Retry-After is a lower bound: nothing may leave before it has passed.
    assert!(
        seen[1] - seen[0] >= Duration::from_millis(950),
        "the next request left {:?} after the 429",
        seen[1] - seen[0]
    );
}

/// With several workers, none sends while the pause holds.
#[tokio::test]
async fn rate_limited_answer_pauses_other_workers_too() {
    let (server, script) = rate_limited_once("2").await;
    let emails: Vec<String> = (0..12).map(|i| format!("w{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let code = ws
        .import(&api(&server).await, &["--concurrency", "4"])
        .await;
    assert_eq!(code, 0);
    let seen = script.seen.lock().expect("lock").clone();
    let first = seen[0];
    // Requests already in flight when the 429 came may land just after it; a request that
    // left after the 429 was received cannot land within the pause.
    let late: Vec<Duration> = seen
        .iter()
        .map(|t| *t - first)
        .filter(|d| *d > Duration::from_millis(200) && *d < Duration::from_millis(1900))
        .collect();
    assert!(late.is_empty(), "requests sent during the pause: {late:?}");
    assert_eq!(column(&ws.results(), "status"), vec!["created"; 12]);
}

/// A 500 may have created the customer: the email is looked up, not found, and sent again.
#[tokio::test]
async fn server_error_is_looked_up_then_retried() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(created(42))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("email", "x@example.com"))
        .and(query_param("useExactEmailMatch", "true"))
        .respond_with(not_found_by_lookup())
        .expect(1)
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["x@example.com"]));
    assert_eq!(ws.import(&api(&server).await, &[]).await, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"]);
    assert_eq!(column(&rows, "customer_id"), ["42"]);
    assert_eq!(column(&rows, "attempts"), ["3"]);
}

/// When the look-up finds the customer, the create had taken effect: no second create.
#[tokio::test]
async fn server_error_after_the_create_took_effect_is_settled_by_lookup() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 1, "count": 1, "offset": 0, "limit": 100,
            "items": [{"id": 77, "email": "Y@Example.com"}]
        })))
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["y@example.com"]));
    assert_eq!(ws.import(&api(&server).await, &[]).await, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"]);
    assert_eq!(column(&rows, "customer_id"), ["77"]);
    assert!(
        rows[0]["error"].contains("confirmed by look-up"),
        "{}",
        rows[0]["error"]
    );
}

/// A request that times out is treated as maybe done: looked up, then sent again.
#[tokio::test]
async fn timeout_is_looked_up_then_retried() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(created(1).set_delay(Duration::from_secs(3)))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(created(2))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(not_found_by_lookup())
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["t@example.com"]));
    assert_eq!(
        ws.import(&api(&server).await, &["--timeout", "0.3"]).await,
        0
    );
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"]);
    assert_eq!(column(&rows, "customer_id"), ["2"]);
    assert_eq!(column(&rows, "attempts"), ["3"]);
}

/// Retries run out: the row is failed, and says the customer may exist.
#[tokio::test]
async fn retries_run_out_and_the_row_fails() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(not_found_by_lookup())
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["r@example.com"]));
    let code = ws
        .import(&api(&server).await, &["--max-retries", "2"])
        .await;
    assert_eq!(code, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert_eq!(column(&rows, "http_status"), ["502"]);
    assert!(
        rows[0]["error"].contains("gave up after 2 retries"),
        "{}",
        rows[0]["error"]
    );
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(posts(&requests).len(), 3, "the first try and two retries");
}

/// A 400 fails the row at once with the store's message and code; it is not retried.
#[tokio::test]
async fn bad_request_fails_the_row_without_retry() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errorMessage": "Language 'xx' is not enabled", "errorCode": "LANGUAGES_NOT_ALLOWED"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["l@example.com"]));
    assert_eq!(ws.import(&api(&server).await, &[]).await, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert_eq!(column(&rows, "http_status"), ["400"]);
    assert_eq!(column(&rows, "attempts"), ["1"]);
    let error = &rows[0]["error"];
    assert!(
        error.contains("LANGUAGES_NOT_ALLOWED") && error.contains("Language 'xx' is not enabled"),
        "{error}"
    );
    let failed = std::fs::read_to_string(ws.failed_output()).expect("failed file");
    assert_eq!(failed, "email,name\nl@example.com,Customer 0\n");
}

/// A 403 stops the run: at most --concurrency requests, every row in the results, exit 3.
#[tokio::test]
async fn forbidden_token_stops_the_run() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "errorMessage": "Invalid token", "errorCode": "INVALID_API_TOKEN"
        })))
        .mount(&server)
        .await;
    let emails: Vec<String> = (0..40).map(|i| format!("s{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let code = ws
        .import(&api(&server).await, &["--concurrency", "3"])
        .await;
    assert_eq!(code, 3);
    let requests = sent(server.received_requests().await.expect("recorded"));
    assert!(
        requests.len() <= 3,
        "{} requests after a 403",
        requests.len()
    );
    let rows = ws.results();
    assert_eq!(rows.len(), 40);
    let statuses = column(&rows, "status");
    assert_eq!(
        statuses.iter().filter(|s| *s == "failed").count(),
        requests.len()
    );
    assert_eq!(
        statuses.iter().filter(|s| *s == "not_sent").count(),
        40 - requests.len()
    );
    assert_eq!(
        column(&rows, "row"),
        (1..=40).map(|i| i.to_string()).collect::<Vec<_>>()
    );
}

/// Answers with the row's number as id after a random delay, so they come back out of order.
struct Shuffled;

impl Respond for Shuffled {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let email = body["email"].as_str().unwrap_or_default();
        let n: u64 = email
            .trim_start_matches('n')
            .split('@')
            .next()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        let delay = (n * 7919) % 60;
        created(1000 + n).set_delay(Duration::from_millis(delay))
    }
}

/// Results are in input order whatever order the answers come back in.
#[tokio::test]
async fn results_keep_input_order_when_answers_arrive_shuffled() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(Shuffled)
        .mount(&server)
        .await;
    let emails: Vec<String> = (1..=60).map(|i| format!("n{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(
        ws.import(
            &api(&server).await,
            &["--concurrency", "16", "--rate", "60000"]
        )
        .await,
        0
    );
    let rows = ws.results();
    let expected: Vec<String> = (1..=60).map(|i| (1000 + i).to_string()).collect();
    assert_eq!(column(&rows, "customer_id"), expected);
    assert_eq!(
        column(&rows, "row"),
        (1..=60).map(|i| i.to_string()).collect::<Vec<_>>()
    );
}

/// While a run goes on, the results path holds the previous file or the finished one: never
/// a part.
#[tokio::test]
async fn results_file_is_never_half_written() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(created(5).set_delay(Duration::from_millis(20)))
        .mount(&server)
        .await;
    let emails: Vec<String> = (0..40).map(|i| format!("h{i}@example.com")).collect();
    let ws = std::sync::Arc::new(Workspace::new(&emails_csv(&emails)));
    std::fs::write(ws.output(), "previous run\n").expect("old results");
    let api = api(&server).await;
    let run = {
        let ws = std::sync::Arc::clone(&ws);
        tokio::spawn(async move {
            ws.import(&api, &["--concurrency", "2", "--rate", "60000"])
                .await
        })
    };
    let mut looks = 0;
    while !run.is_finished() {
        let text = std::fs::read_to_string(ws.output()).expect("results path always exists");
        assert!(
            text == "previous run\n" || text.lines().count() == 41,
            "partial results file seen: {} lines",
            text.lines().count()
        );
        looks += 1;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(run.await.expect("run"), 0);
    assert!(looks > 1);
    assert_eq!(ws.results().len(), 40);
}

/// A refused connection is retried (nothing was sent, so no look-up) until retries run out.
#[tokio::test]
async fn unreachable_store_fails_rows_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let ws = Workspace::new(&emails_csv(&["u@example.com"]));
    let api = format!("http://127.0.0.1:{port}/api/v3");
    assert_eq!(ws.import(&api, &["--max-retries", "1"]).await, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert_eq!(column(&rows, "attempts"), ["2"]);
    assert!(
        rows[0]["error"].contains("could not connect"),
        "{}",
        rows[0]["error"]
    );
    assert!(
        !rows[0]["error"].contains("may have been created"),
        "{}",
        rows[0]["error"]
    );
}

/// A store with one existing customer: 409 on create, found by look-up as id 900, PUT accepted.
async fn store_with_existing_customer() -> MockServer {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "errorMessage": "The customer with the given email already exists",
            "errorCode": "CONSTRAINT_VIOLATION"
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("email", "old@example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 1, "count": 1, "offset": 0, "limit": 100,
            "items": [{"id": 900, "email": "old@example.com"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{CUSTOMERS}/900")))
        // Only what differs from the store's record: the email is the same, the name is new.
        .and(body_json(json!({"billingPerson": {"name": "Customer 0"}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"updateCount": 1})))
        .mount(&server)
        .await;
    server
}

/// The summary counts each kind of request; a look-up that fails is retried, and its retry is
/// counted with the others.
#[tokio::test]
async fn summary_counts_requests_by_kind_and_lookup_retries() {
    let server = mock_store().await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 1, "count": 1, "offset": 0, "limit": 100,
            "items": [{"id": 900, "email": "old@example.com"}]
        })))
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["old@example.com"]));
    let summary = ws.dir.path().join("summary.json");
    let summary_arg = summary.to_str().expect("utf-8 path");
    let code = ws
        .import(&api(&server).await, &["--summary-json", summary_arg])
        .await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["exists"]);
    assert_eq!(
        column(&rows, "attempts"),
        ["3"],
        "a create and two look-ups"
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("json");
    assert_eq!(json["requests_by_kind"]["create"], 1, "{json}");
    assert_eq!(json["requests_by_kind"]["search"], 2, "{json}");
    assert_eq!(json["requests_by_kind"]["update"], 0, "{json}");
    assert_eq!(
        json["requests_by_kind"]["list"], 1,
        "the store's size: {json}"
    );
    assert_eq!(json["requests"], 4, "{json}");
    assert_eq!(json["retries"], 1, "the look-up's retry: {json}");
    assert_eq!(json["lookups"], 2, "{json}");
}

/// Each `--on-existing` choice on a 409: skip -> exists, update -> updated, fail -> failed.
#[tokio::test]
async fn existing_email_follows_on_existing() {
    for (choice, status, code, puts) in [
        ("skip", "exists", 0, 0),
        ("update", "updated", 0, 1),
        ("fail", "failed", 1, 0),
    ] {
        let server = store_with_existing_customer().await;
        let ws = Workspace::new(&emails_csv(&["old@example.com"]));
        let got = ws
            .import(&api(&server).await, &["--on-existing", choice])
            .await;
        assert_eq!(got, code, "{choice}");
        let rows = ws.results();
        assert_eq!(column(&rows, "status"), [status], "{choice}");
        assert_eq!(column(&rows, "customer_id"), ["900"], "{choice}");
        let requests = sent(server.received_requests().await.expect("recorded"));
        let put_count = requests
            .iter()
            .filter(|r| r.method.as_str() == "PUT")
            .count();
        assert_eq!(put_count, puts, "{choice}");
        assert_eq!(posts(&requests).len(), 1, "{choice}: one create only");
        // One look-up; under `update` it asks for the fields the row is compared with. (The
        // read-back after an update lists the customer without an email.)
        let lookups: Vec<String> = requests
            .iter()
            .filter(|r| r.method.as_str() == "GET")
            .filter(|r| r.url.query_pairs().any(|(k, _)| k == "email"))
            .filter_map(|r| {
                r.url
                    .query_pairs()
                    .find(|(k, _)| k == "responseFields")
                    .map(|(_, v)| v.into_owned())
            })
            .collect();
        assert_eq!(lookups.len(), 1, "{choice}: {lookups:?}");
        let full = lookups[0].contains("contacts") && lookups[0].contains("registered");
        assert_eq!(full, choice == "update", "{choice}: {lookups:?}");
    }
}

/// Group names are resolved through one paged `GET /customer_groups` for the whole run; an
/// unknown name fails its row with the store's group names.
#[tokio::test]
async fn group_names_are_resolved_once_and_unknown_names_fail() {
    let server = mock_store().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/1003/customer_groups"))
        .and(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 3, "count": 2, "offset": 0, "limit": 100,
            "items": [{"id": 0, "name": "General"}, {"id": 9367001, "name": "VIP"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/1003/customer_groups"))
        .and(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 3, "count": 1, "offset": 2, "limit": 100,
            "items": [{"id": 9367002, "name": "Wholesale"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(created(3))
        .mount(&server)
        .await;
    let csv = "email,customerGroupName,customerGroupId\n\
               a@example.com,vip,\n\
               b@example.com, WHOLESALE ,\n\
               c@example.com,Gold,\n\
               d@example.com,VIP,0\n\
               e@example.com,,\n";
    let ws = Workspace::new(csv);
    assert_eq!(ws.import(&api(&server).await, &[]).await, 1);
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["created", "created", "failed", "created", "created"]
    );
    let error = &rows[2]["error"];
    assert!(
        error.contains("\"Gold\"") && error.contains("General, VIP, Wholesale"),
        "{error}"
    );
    let sent = posts(&server.received_requests().await.expect("recorded"));
    // Requests leave in any order: sort them by email (a, b, d, e).
    let mut groups: Vec<(String, Value)> = sent
        .iter()
        .map(|b| (b["email"].to_string(), b["customerGroupId"].clone()))
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    let ids: Vec<Value> = groups.into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids, [json!(9367001), json!(9367002), json!(0), Value::Null]);
    assert!(sent.iter().all(|b| b.get("customerGroupName").is_none()));
}

/// A `lang` the store has not enabled makes the row invalid before it is sent; one it has is
/// matched ignoring case and `-`/`_`, and sent in the store's own spelling; the profile is read
/// once.
#[tokio::test]
async fn languages_not_enabled_are_invalid_before_sending() {
    let server = mock_store().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/1003/profile"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "generalInfo": {"storeId": 1003},
            "languages": {"enabledLanguages": ["en", "pt_BR"], "defaultLanguage": "en"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(created(4))
        .expect(3)
        .mount(&server)
        .await;
    let csv = "email,lang\na@example.com,EN\nb@example.com,de\nc@example.com,pt-br\nd@example.com,pt_BR\n";
    let ws = Workspace::new(csv);
    assert_eq!(ws.import(&api(&server).await, &[]).await, 1);
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["created", "invalid", "created", "created"]
    );
    assert!(
        rows[1]["error"].contains("not enabled in the store (enabled: en, pt_BR)"),
        "{}",
        rows[1]["error"]
    );
    assert!(ws.failed_output().exists());
    let requests = server.received_requests().await.expect("recorded");
    let mut langs: Vec<(String, String)> = posts(&requests)
        .iter()
        .map(|b| (b["email"].to_string(), b["lang"].to_string()))
        .collect();
    langs.sort();
    let expected = [
        ("a@example.com", "en"),
        ("c@example.com", "pt_BR"),
        ("d@example.com", "pt_BR"),
    ]
    .map(|(e, l)| (format!("{e:?}"), format!("{l:?}")));
    assert_eq!(langs, expected, "sent in the store's own spelling");
}

/// A 404 to a create (a wrong --api-url answering with an HTML page) stops the run at once
/// instead of failing every row alike.
#[tokio::test]
async fn not_found_on_create_stops_the_run() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"))
        .mount(&server)
        .await;
    let emails: Vec<String> = (0..20).map(|i| format!("nf{i}@example.com")).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let code = ws
        .import(&server.uri(), &["--concurrency", "2", "--rate", "60000"])
        .await;
    assert_eq!(code, 3);
    let requests = server.received_requests().await.expect("recorded");
    assert!(
        requests.len() <= 2,
        "{} requests after a 404",
        requests.len()
    );
    let rows = ws.results();
    assert_eq!(rows.len(), 20);
    assert!(
        column(&rows, "status")
            .iter()
            .all(|s| s == "failed" || s == "not_sent")
    );
}

/// `registered` as Ecwid writes it, `ago` before now.
fn registered(ago: Duration) -> String {
    let at = std::time::SystemTime::now() - ago;
    chrono::DateTime::<chrono::Utc>::from(at)
        .format("%Y-%m-%d %H:%M:%S +0000")
        .to_string()
}

/// A store whose creates end in 500 and whose look-up finds the customer, registered `ago`.
async fn store_that_fails_creates_and_finds(ago: Duration) -> MockServer {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 1, "count": 1, "offset": 0, "limit": 100,
            "items": [{"id": 77, "email": "k@example.com", "registered": registered(ago)}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(format!("{CUSTOMERS}/77")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"updateCount": 1})))
        .mount(&server)
        .await;
    server
}

/// After a create of unknown outcome, the look-up tells by `registered` whether the create
/// took effect: a customer registered before the run (by the store's clock, the `Date` of its
/// first answer) existed already and follows `--on-existing`; one registered during the run is
/// the row's own, `created`.
#[tokio::test]
async fn lookup_after_an_unknown_outcome_tells_by_registration_date() {
    let long_ago = Duration::from_secs(3 * 86_400);
    for (ago, extra, status) in [
        (long_ago, None, "exists"),
        (long_ago, Some("update"), "updated"),
        (Duration::ZERO, None, "created"),
        (Duration::ZERO, Some("update"), "created"),
    ] {
        let server = store_that_fails_creates_and_finds(ago).await;
        let ws = Workspace::new(&emails_csv(&["k@example.com"]));
        let mut args = vec!["--max-retries", "1"];
        if let Some(choice) = extra {
            args.extend(["--on-existing", choice]);
        }
        assert_eq!(
            ws.import(&api(&server).await, &args).await,
            0,
            "{ago:?} {extra:?}"
        );
        let rows = ws.results();
        assert_eq!(column(&rows, "status"), [status], "{ago:?} {extra:?}");
        assert_eq!(column(&rows, "customer_id"), ["77"], "{ago:?} {extra:?}");
        let requests = server.received_requests().await.expect("recorded");
        let puts = requests
            .iter()
            .filter(|r| r.method.as_str() == "PUT")
            .count();
        assert_eq!(puts, usize::from(status == "updated"), "{ago:?} {extra:?}");
        assert_eq!(posts(&requests).len(), 1, "never a second create");
        if status == "exists" {
            assert!(
                rows[0]["error"].contains("existed before this run"),
                "{:?}",
                rows[0]
            );
        }
    }
}

/// Ecwid retries a create that failed inside a batch itself, so the customer it made can come
/// back as an inner 409: a customer registered during the run is then the row's own, `created`,
/// not `exists`.
#[tokio::test]
async fn inner_409_of_a_customer_registered_during_the_run_is_created() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .and(path("/api/v3/1003/batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ticket": "t-1"})))
        .mount(&server)
        .await;
    let conflict = json!({"errorMessage": "The customer with the given email already exists",
                          "errorCode": "CONSTRAINT_VIOLATION"});
    Mock::given(method("GET"))
        .and(path("/api/v3/1003/batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "COMPLETED", "totalRequests": 2, "completedRequests": 2,
            "responses": [
                {"id": "row-1", "status": "FAILED", "httpStatusCode": 409,
                 "httpStatusLine": "Conflict", "escapedHttpBody": conflict.to_string()},
                {"id": "row-2", "status": "FAILED", "httpStatusCode": 409,
                 "httpStatusLine": "Conflict", "escapedHttpBody": conflict.to_string()}
            ]
        })))
        .mount(&server)
        .await;
    for (email, id, ago) in [
        ("ours@example.com", 5, Duration::ZERO),
        ("theirs@example.com", 6, Duration::from_secs(86_400)),
    ] {
        Mock::given(method("GET"))
            .and(path(CUSTOMERS))
            .and(query_param("email", email))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "total": 1, "count": 1, "offset": 0, "limit": 100,
                "items": [{"id": id, "email": email, "registered": registered(ago)}]
            })))
            .mount(&server)
            .await;
    }
    let ws = Workspace::new(&emails_csv(&["ours@example.com", "theirs@example.com"]));
    assert_eq!(ws.import(&api(&server).await, &["--batch"]).await, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created", "exists"]);
    assert_eq!(column(&rows, "customer_id"), ["5", "6"]);
}

/// The one more look-up that settles a create of unknown outcome does not lend the update a
/// retry: `--max-retries` bounds the row's retries, and here the create's took the one there
/// was, so the PUT is not sent again.
#[tokio::test]
async fn the_settling_look_up_lends_the_update_no_retry() {
    let server = mock_store().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 1, "count": 1, "offset": 0, "limit": 100,
            "items": [{"id": 77, "email": "k@example.com",
                       "registered": registered(Duration::from_secs(86_400))}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["k@example.com"]));
    let args = ["--max-retries", "1", "--on-existing", "update"];
    assert_eq!(ws.import(&api(&server).await, &args).await, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed"]);
    assert!(
        rows[0]["error"].contains("gave up after 1 retries"),
        "{:?}",
        rows[0]
    );
    let requests = server.received_requests().await.expect("recorded");
    let puts = requests
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .count();
    assert_eq!(puts, 1, "the row's one retry went to the create");
}

/// A customer the store gained after the snapshot was read (here: the listing does not show
/// it, the create meets 409) still ends `exists` through the 409 path: the snapshot never
/// makes the store get a customer twice, nor a row fail.
#[tokio::test]
async fn customer_created_after_the_listing_ends_exists_by_the_409_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("responseFields", "total"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total": 1, "count": 1, "offset": 0, "limit": 1})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("sortBy", "REGISTERED_DATE_ASC"))
        .and(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 1, "count": 1, "offset": 0, "limit": 100,
            "items": [{"id": 5, "email": "someone@example.com",
                       "registered": "2020-01-01 00:00:00 +0000"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "errorMessage": "The customer with the given email already exists",
            "errorCode": "CONSTRAINT_VIOLATION"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CUSTOMERS))
        .and(query_param("email", "late@example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 1, "count": 1, "offset": 0, "limit": 100,
            "items": [{"id": 900, "email": "late@example.com",
                       "registered": "2020-01-02 00:00:00 +0000"}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let ws = Workspace::new(&emails_csv(&["late@example.com"]));
    let code = ws
        .import(&api(&server).await, &["--snapshot", "always"])
        .await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["exists"]);
    assert_eq!(column(&rows, "customer_id"), ["900"]);
    assert_eq!(column(&rows, "http_status"), ["409"]);
}
