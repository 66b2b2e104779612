//! The sandbox store, driven in-process over HTTP on 127.0.0.1 as a client would drive Ecwid.

use clap::Parser;
use ecwid_import::sandbox::{Sandbox, SandboxArgs, Stats, StoredCustomer};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A started sandbox and a client that talks to it directly (never through a proxy).
struct Fixture {
    sandbox: Sandbox,
    http: reqwest::Client,
}

async fn start(args: SandboxArgs) -> Fixture {
    let sandbox = Sandbox::start(&args).await.expect("sandbox starts");
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client builds");
    Fixture { sandbox, http }
}

async fn start_default() -> Fixture {
    start(SandboxArgs::default()).await
}

impl Fixture {
    fn url(&self, path: &str) -> String {
        format!(
            "{}/{}{}",
            self.sandbox.api_url(),
            self.sandbox.store_id(),
            path
        )
    }

    fn inspection_url(&self, path: &str) -> String {
        let api = self.sandbox.api_url();
        format!("{}{}", api.trim_end_matches("/api/v3"), path)
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(self.sandbox.token())
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.send().await.expect("the sandbox answers");
        let status = response.status();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::POST, path).json(&body))
            .await
    }

    async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::PUT, path).json(&body))
            .await
    }

    async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::DELETE, path)).await
    }

    async fn create(&self, email: &str) -> u64 {
        let (status, body) = self.post("/customers", json!({ "email": email })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["id"].as_u64().expect("id is a number")
    }

    async fn stored(&self) -> Vec<StoredCustomer> {
        let url = self.inspection_url("/_sandbox/customers");
        let response = self.http.get(url).send().await.expect("answers");
        response.json().await.expect("a list of customers")
    }

    async fn stats(&self) -> Stats {
        let url = self.inspection_url("/_sandbox/stats");
        let response = self.http.get(url).send().await.expect("answers");
        response.json().await.expect("stats")
    }
}

fn error_code(body: &Value) -> &str {
    body["errorCode"].as_str().unwrap_or_default()
}

/// Create answers `{"id": N}` and the customer is stored with every field it was given.
#[tokio::test]
async fn create_stores_the_customer_and_answers_its_id() {
    let f = start_default().await;
    let body = json!({
        "email": "ann@example.com",
        "billingPerson": { "name": "Ann Lee", "countryCode": "DE" },
        "contacts": [{ "type": "PHONE", "contact": "+49 30 1234" }],
        "acceptMarketing": true,
        "lang": "de",
    });
    let (status, answer) = f.post("/customers", body).await;
    assert_eq!(status, StatusCode::OK);
    let id = answer["id"].as_u64().expect("id");
    let stored = f.stored().await;
    assert_eq!(stored, f.sandbox.customers());
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, id);
    let customer = &stored[0].customer;
    assert_eq!(customer.email.as_deref(), Some("ann@example.com"));
    assert_eq!(customer.accept_marketing, Some(true));
    let billing = customer.billing_person.as_ref().expect("billing person");
    assert_eq!(billing.name.as_deref(), Some("Ann Lee"));
    f.sandbox.shutdown().await;
}

/// The same email in another case is a 409 with Ecwid's body, and nothing is stored twice.
#[tokio::test]
async fn same_email_in_other_case_is_409_constraint_violation() {
    let f = start_default().await;
    f.create("Bob@Example.com").await;
    let (status, body) = f
        .post("/customers", json!({ "email": "bob@EXAMPLE.com" }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body,
        json!({
            "errorMessage": "The customer with the given email already exists",
            "errorCode": "CONSTRAINT_VIOLATION",
        })
    );
    assert_eq!(f.sandbox.customers().len(), 1);
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.duplicate_creates), (1, 1));
}

/// A missing or wrong token is a 403 INVALID_API_TOKEN, for any endpoint.
#[tokio::test]
async fn missing_or_wrong_token_is_403() {
    let f = start_default().await;
    let url = f.url("/customers");
    let missing = f.http.get(&url);
    let wrong = f.http.get(&url).bearer_auth("secret_wrong");
    let other_scheme = f.http.get(&url).basic_auth("user", Some(f.sandbox.token()));
    for request in [missing, wrong, other_scheme] {
        let (status, body) = f.send(request).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(error_code(&body), "INVALID_API_TOKEN");
        assert!(body["errorMessage"].is_string());
    }
    assert_eq!(f.stats().await.bad_token, 3);
}

/// Another store id is a 404 STORE_NOT_FOUND.
#[tokio::test]
async fn another_store_id_is_404_store_not_found() {
    let f = start_default().await;
    for url in [
        format!("{}/1004/profile", f.sandbox.api_url()),
        format!("{}/abc/profile", f.sandbox.api_url()),
    ] {
        let request = f.http.get(url).bearer_auth(f.sandbox.token());
        let (status, body) = f.send(request).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error_code(&body), "STORE_NOT_FOUND");
    }
}

/// A body not declared as JSON is a 415; a body that does not parse is a 400.
#[tokio::test]
async fn body_must_be_declared_and_parse_as_json() {
    let f = start_default().await;
    let form = f
        .request(reqwest::Method::POST, "/customers")
        .header("Content-Type", "text/plain")
        .body(r#"{"email":"a@example.com"}"#);
    let (status, _) = f.send(form).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let broken = f
        .request(reqwest::Method::POST, "/customers")
        .header("Content-Type", "application/json; charset=utf-8")
        .body(r#"{"email": "#);
    let (status, body) = f.send(broken).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["errorMessage"].is_string());
    let wrong_type = f.post("/customers", json!({ "email": 42 })).await;
    assert_eq!(wrong_type.0, StatusCode::BAD_REQUEST);
    assert!(f.sandbox.customers().is_empty());
}

/// Values that break the contract's rules are a 400 WRONG_PARAMETER naming field, value, rule.
#[tokio::test]
async fn broken_value_rules_are_400_wrong_parameter() {
    let f = start_default().await;
    let body = json!({
        "email": "not-an-email",
        "billingPerson": { "countryCode": "XX" },
    });
    let (status, answer) = f.post("/customers", body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&answer), "WRONG_PARAMETER");
    let message = answer["errorMessage"].as_str().expect("message");
    assert!(message.contains("email \"not-an-email\""), "{message}");
    assert!(message.contains("must be an email address"), "{message}");
    assert!(
        message.contains("billingPerson.countryCode \"XX\""),
        "{message}"
    );
    let (status, answer) = f.post("/customers", json!({ "name": "No Email" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        answer["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("required"))
    );
    assert!(f.sandbox.customers().is_empty());
}

/// `lang` must be a language enabled in the store.
#[tokio::test]
async fn lang_must_be_enabled_in_the_store() {
    let f = start(SandboxArgs {
        languages: vec!["en".into(), "pt_BR".into()],
        ..SandboxArgs::default()
    })
    .await;
    let (status, body) = f
        .post(
            "/customers",
            json!({ "email": "a@example.com", "lang": "fr" }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "LANGUAGES_NOT_ALLOWED");
    let (status, _) = f
        .post(
            "/customers",
            json!({ "email": "a@example.com", "lang": "pt_BR" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// Search by exact email (any case), by substring and keyword, with offset/limit paging.
#[tokio::test]
async fn search_by_email_keyword_and_pages() {
    let f = start_default().await;
    let ann = f.create("ann@example.com").await;
    f.create("joanna@example.com").await;
    f.create("carl@other.org").await;
    let (status, body) = f
        .get("/customers?email=ANN@example.com&useExactEmailMatch=true")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1);
    assert_eq!(body["count"], 1);
    assert_eq!(body["items"][0]["id"], ann);
    assert_eq!(body["items"][0]["email"], "ann@example.com");

    let (_, body) = f.get("/customers?email=EXAMPLE.com").await;
    assert_eq!(body["total"], 2, "substring search: {body}");

    let (_, body) = f.get("/customers?keyword=other.org").await;
    assert_eq!(body["total"], 1);

    let (_, body) = f.get("/customers?offset=1&limit=1").await;
    assert_eq!(
        (
            &body["total"],
            &body["count"],
            &body["offset"],
            &body["limit"]
        ),
        (&json!(3), &json!(1), &json!(1), &json!(1))
    );
    assert_eq!(body["items"][0]["email"], "joanna@example.com");

    let (_, body) = f.get("/customers?limit=1000").await;
    assert_eq!(body["limit"], 100);
    assert_eq!(body["count"], 3);

    let (status, body) = f.get("/customers?limit=many").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "WRONG_PARAMETER");
}

/// Search never shows a password, though the store keeps it.
#[tokio::test]
async fn search_hides_passwords() {
    let f = start_default().await;
    let body = json!({ "email": "p@example.com", "password": "hunter2" });
    assert_eq!(f.post("/customers", body).await.0, StatusCode::OK);
    let (_, found) = f.get("/customers?email=p@example.com").await;
    assert!(found["items"][0].get("password").is_none(), "{found}");
    assert_eq!(
        f.sandbox.customers()[0].customer.password.as_deref(),
        Some("hunter2")
    );
}

/// PUT replaces the fields it names (lists whole) and keeps the rest; DELETE removes; 404 after.
#[tokio::test]
async fn update_and_delete_a_customer() {
    let f = start_default().await;
    let body = json!({
        "email": "u@example.com",
        "taxId": "DE123",
        "shippingAddresses": [{ "city": "Berlin" }, { "city": "Bonn" }],
    });
    let id = f.post("/customers", body).await.1["id"]
        .as_u64()
        .expect("id");
    let change = json!({ "shippingAddresses": [{ "city": "Köln" }], "acceptMarketing": true });
    let (status, body) = f.put(&format!("/customers/{id}"), change).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "updateCount": 1 }))
    );
    let customer = f.sandbox.customers().remove(0).customer;
    assert_eq!(customer.tax_id.as_deref(), Some("DE123"));
    assert_eq!(customer.accept_marketing, Some(true));
    let cities: Vec<_> = customer
        .shipping_addresses
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.city)
        .collect();
    assert_eq!(cities, [Some("Köln".to_string())]);

    let (status, body) = f
        .put(&format!("/customers/{id}"), json!({ "lang": "xx" }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "LANGUAGES_NOT_ALLOWED");

    let (status, _) = f.put("/customers/1", json!({ "taxId": "X" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = f.delete(&format!("/customers/{id}")).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({ "deleteCount": 1 }))
    );
    assert!(f.sandbox.customers().is_empty());
    let (status, _) = f.delete(&format!("/customers/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Customer groups include group 0 "General" and page with offset/limit.
#[tokio::test]
async fn customer_groups_page() {
    let f = start_default().await;
    let (status, body) = f.get("/customer_groups").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["items"][0], json!({ "id": 0, "name": "General" }));
    assert!(body["items"].as_array().is_some_and(|items| {
        items
            .iter()
            .any(|g| g == &json!({ "id": 9367001, "name": "VIP" }))
    }));
    let total = body["total"].as_u64().expect("total");
    let (_, page) = f.get("/customer_groups?offset=1&limit=1").await;
    assert_eq!(page["total"], total);
    assert_eq!(page["count"], 1);
    assert_eq!(page["items"][0]["id"], body["items"][1]["id"]);
}

/// The profile names the store and its enabled languages.
#[tokio::test]
async fn profile_lists_store_and_languages() {
    let f = start_default().await;
    let (status, body) = f.get("/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["generalInfo"]["storeId"], 1003);
    assert_eq!(
        body["languages"],
        json!({ "enabledLanguages": ["en", "fr", "de", "es"], "defaultLanguage": "en" })
    );
}

/// Polls a batch ticket: the first poll is QUEUED, the next COMPLETED.
async fn poll(f: &Fixture, ticket: &str) -> Value {
    let path = format!("/batch?ticket={ticket}&escapedJson=true");
    let (status, first) = f.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["status"], "QUEUED");
    let (_, done) = f.get(&path).await;
    assert_eq!(done["status"], "COMPLETED");
    done
}

fn create_item(id: &str, email: &str) -> Value {
    json!({ "id": id, "path": "/customers", "method": "POST", "body": { "email": email } })
}

/// A batch stops at its first failure by default; later requests are NOT_EXECUTED.
#[tokio::test]
async fn batch_stops_on_first_failure_by_default() {
    let f = start_default().await;
    let batch = json!([
        create_item("row-1", "a@example.com"),
        create_item("row-2", "A@example.com"),
        create_item("row-3", "b@example.com"),
    ]);
    let (status, body) = f.post("/batch", batch).await;
    assert_eq!(status, StatusCode::OK);
    let ticket = body["ticket"].as_str().expect("ticket").to_string();
    let done = poll(&f, &ticket).await;
    assert_eq!(done["totalRequests"], 3);
    assert_eq!(done["completedRequests"], 2);
    let responses = done["responses"].as_array().expect("responses");
    assert_eq!(responses[0]["id"], "row-1");
    assert_eq!(responses[0]["status"], "COMPLETED");
    assert_eq!(responses[0]["httpStatusCode"], 200);
    let escaped = responses[0]["escapedHttpBody"]
        .as_str()
        .expect("escaped body");
    let created: Value = serde_json::from_str(escaped).expect("escaped JSON");
    assert_eq!(created["id"], f.sandbox.customers()[0].id);
    assert_eq!(responses[1]["status"], "FAILED");
    assert_eq!(responses[1]["httpStatusCode"], 409);
    assert_eq!(
        responses[2],
        json!({ "id": "row-3", "status": "NOT_EXECUTED" })
    );
    assert_eq!(f.sandbox.customers().len(), 1);
}

/// With stopOnFirstFailure=false every request runs; a deduplication key runs a batch once.
#[tokio::test]
async fn batch_runs_all_without_stop_and_deduplicates_by_key() {
    let f = start_default().await;
    let batch = json!([
        create_item("1", "a@example.com"),
        create_item("2", "a@example.com"),
        create_item("3", "b@example.com"),
        { "id": "4", "path": "/customers?email=b@example.com&useExactEmailMatch=true", "method": "GET" },
    ]);
    let path = "/batch?stopOnFirstFailure=false&deduplicationKey=7f9c-key";
    let (_, first) = f.post(path, batch.clone()).await;
    let (_, again) = f.post(path, batch).await;
    assert_eq!(first["ticket"], again["ticket"]);
    let ticket = first["ticket"].as_str().expect("ticket").to_string();
    let done = poll(&f, &ticket).await;
    let statuses: Vec<&Value> = done["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .map(|r| &r["status"])
        .collect();
    assert_eq!(statuses, ["COMPLETED", "FAILED", "COMPLETED", "COMPLETED"]);
    let found = done["responses"][3]["escapedHttpBody"]
        .as_str()
        .expect("body");
    let found: Value = serde_json::from_str(found).expect("JSON");
    assert_eq!(found["total"], 1);
    assert_eq!(f.sandbox.customers().len(), 2);
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.duplicate_creates), (2, 1));
}

/// A batch holds at most 500 requests; an unknown ticket is a 404.
#[tokio::test]
async fn batch_limits_and_unknown_ticket() {
    let f = start_default().await;
    let items: Vec<Value> = (0..501)
        .map(|i| create_item(&i.to_string(), &format!("c{i}@example.com")))
        .collect();
    let (status, body) = f.post("/batch", Value::Array(items)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "WRONG_PARAMETER");
    assert!(f.sandbox.customers().is_empty());
    let (status, _) = f.get("/batch?ticket=nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Past the limit every request is a 429 with Retry-After until the window frees; 429s do
/// not count toward the window; inspection is never limited.
#[tokio::test]
async fn rate_limit_answers_429_until_the_window_frees() {
    let f = start(SandboxArgs {
        rate_limit: 5,
        rate_window_secs: 1.0,
        ..SandboxArgs::default()
    })
    .await;
    for _ in 0..5 {
        assert_eq!(f.get("/profile").await.0, StatusCode::OK);
    }
    let mut retry_after = 0;
    for _ in 0..3 {
        let response = f
            .request(reqwest::Method::GET, "/profile")
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let header = response.headers().get("Retry-After").expect("Retry-After");
        retry_after = header
            .to_str()
            .expect("text")
            .parse::<u64>()
            .expect("seconds");
        assert!(retry_after >= 1);
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(
            body,
            json!({ "errorMessage": "Too many requests", "errorCode": "RATE_LIMITED" })
        );
    }
    let stats = f.stats().await;
    assert_eq!(stats.rate_limited, 3);
    assert_eq!(stats.by_status.get("429"), Some(&3));
    assert_eq!(stats.max_in_window, 8);
    tokio::time::sleep(std::time::Duration::from_secs(retry_after)).await;
    assert_eq!(f.get("/profile").await.0, StatusCode::OK);
}

/// fail-before answers 500 or 503 INTERNAL_ERROR and stores nothing.
#[tokio::test]
async fn fail_before_stores_nothing() {
    let f = start(SandboxArgs {
        fail_before: 1.0,
        seed: Some(7),
        ..SandboxArgs::default()
    })
    .await;
    for i in 0..4 {
        let (status, body) = f
            .post(
                "/customers",
                json!({ "email": format!("f{i}@example.com") }),
            )
            .await;
        assert!(
            [
                StatusCode::INTERNAL_SERVER_ERROR,
                StatusCode::SERVICE_UNAVAILABLE
            ]
            .contains(&status),
            "{status}"
        );
        assert_eq!(error_code(&body), "INTERNAL_ERROR");
    }
    assert!(f.stored().await.is_empty());
    let stats = f.sandbox.stats();
    assert_eq!((stats.creates, stats.injected_faults), (0, 4));
}

/// fail-after stores the customer, then answers 500: a blind retry meets a 409.
#[tokio::test]
async fn fail_after_stores_then_answers_500() {
    let f = start(SandboxArgs {
        fail_after: 1.0,
        seed: Some(7),
        ..SandboxArgs::default()
    })
    .await;
    let body = json!({ "email": "late@example.com" });
    let (status, answer) = f.post("/customers", body.clone()).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_code(&answer), "INTERNAL_ERROR");
    assert_eq!(f.stored().await.len(), 1);
    let (status, _) = f.post("/customers", body).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Only creates are hit: a search still answers.
    assert_eq!(f.get("/customers").await.0, StatusCode::OK);
}

/// drop-after stores the customer, then closes the connection with no answer.
#[tokio::test]
async fn drop_after_stores_then_closes_the_connection() {
    let f = start(SandboxArgs {
        drop_after: 1.0,
        seed: Some(7),
        ..SandboxArgs::default()
    })
    .await;
    let sent = f
        .request(reqwest::Method::POST, "/customers")
        .json(&json!({ "email": "gone@example.com" }))
        .send()
        .await;
    let error = sent.expect_err("no answer");
    assert!(!error.is_status(), "{error}");
    let stored = f.stored().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].customer.email.as_deref(),
        Some("gone@example.com")
    );
    let stats = f.stats().await;
    assert_eq!((stats.creates, stats.dropped), (1, 1));
    // The server goes on serving other connections.
    assert_eq!(f.get("/profile").await.0, StatusCode::OK);
}

/// spurious-429 answers 429 with Retry-After: 1 under the limit and takes no effect.
#[tokio::test]
async fn spurious_429_says_retry_after_one_second() {
    let f = start(SandboxArgs {
        spurious_429: 1.0,
        latency_ms: 5,
        seed: Some(7),
        ..SandboxArgs::default()
    })
    .await;
    let response = f
        .request(reqwest::Method::POST, "/customers")
        .json(&json!({ "email": "s@example.com" }))
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after = response.headers().get("Retry-After").expect("header");
    assert_eq!(retry_after, "1");
    assert!(f.sandbox.customers().is_empty());
    assert_eq!(f.sandbox.stats().rate_limited, 1);
}

/// Stats count requests, answers by status, creates and their duplicates; inspection is free.
#[tokio::test]
async fn stats_count_what_the_store_saw() {
    let f = start_default().await;
    f.create("a@example.com").await;
    f.post("/customers", json!({ "email": "A@example.com" }))
        .await;
    f.post("/customers", json!({ "email": "bad" })).await;
    f.send(f.http.get(f.url("/profile"))).await;
    f.stored().await;
    let stats = f.stats().await;
    assert_eq!(stats, f.sandbox.stats());
    assert_eq!(stats.requests, 4);
    let by_status: Vec<(&str, u64)> = stats
        .by_status
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(by_status, [("200", 1), ("400", 1), ("403", 1), ("409", 1)]);
    assert_eq!(stats.creates, 1);
    assert_eq!(stats.duplicate_creates, 1);
    assert_eq!(stats.bad_token, 1);
    assert_eq!(stats.max_in_window, 4);
    assert_eq!(stats.rate_limited, 0);
}

/// The fault choices under one seed are the same from run to run.
#[tokio::test]
async fn a_seed_repeats_the_fault_choices() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let f = start(SandboxArgs {
            fail_before: 0.5,
            seed: Some(42),
            ..SandboxArgs::default()
        })
        .await;
        let mut statuses = Vec::new();
        for _ in 0..20 {
            statuses.push(f.get("/profile").await.0.as_u16());
        }
        runs.push(statuses);
        f.sandbox.shutdown().await;
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].contains(&200) && runs[0].iter().any(|s| *s >= 500));
}

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    sandbox: SandboxArgs,
}

/// The command line's defaults and option names, and shares outside 0..1 refused.
#[test]
fn command_line_options() {
    let cli = Cli::try_parse_from(["sandbox"]).expect("defaults parse");
    let args = cli.sandbox;
    assert_eq!(
        (args.port, args.store_id, args.rate_limit),
        (8080, 1003, 600)
    );
    assert_eq!(args.token, "secret_sandbox");
    assert_eq!(args.rate_window_secs, 60.0);
    assert_eq!(args.languages, ["en", "fr", "de", "es"]);
    let cli = Cli::try_parse_from([
        "sandbox",
        "--port=0",
        "--fail-before=0.1",
        "--fail-after=0.2",
        "--drop-after=0.3",
        "--spurious-429=0.4",
        "--latency-ms=5",
        "--seed=9",
        "--rate-window-secs=0.5",
        "--languages=en,nl",
    ])
    .expect("options parse");
    let args = cli.sandbox;
    assert_eq!(args.drop_after, 0.3);
    assert_eq!(args.spurious_429, 0.4);
    assert_eq!(args.languages, ["en", "nl"]);
    assert!(Cli::try_parse_from(["sandbox", "--fail-after=1.5"]).is_err());
    assert!(Cli::try_parse_from(["sandbox", "--drop-after=-0.1"]).is_err());
}

/// Options that make no sense are refused at start, not met as a panic later.
#[tokio::test]
async fn start_refuses_senseless_options() {
    let bad = [
        SandboxArgs {
            rate_limit: 0,
            ..SandboxArgs::default()
        },
        SandboxArgs {
            rate_window_secs: 0.0,
            ..SandboxArgs::default()
        },
        SandboxArgs {
            rate_window_secs: f64::NAN,
            ..SandboxArgs::default()
        },
        SandboxArgs {
            fail_before: 2.0,
            ..SandboxArgs::default()
        },
        SandboxArgs {
            languages: vec![" ".into()],
            ..SandboxArgs::default()
        },
    ];
    for args in bad {
        let error = Sandbox::start(&args).await.err().expect("refused");
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{args:?}");
    }
}
