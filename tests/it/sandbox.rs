//! The sandbox store, driven in-process over HTTP on 127.0.0.1 as a client would drive Ecwid.

use clap::Parser;
use ecwid_import::sandbox::{Counting, Sandbox, SandboxArgs, Stats, StoredCustomer};
use reqwest::StatusCode;
use serde_json::{Value, json};

mod batch;
mod batch_models;
mod customers;
mod extra_fields;
mod faults;
mod fidelity;
mod groups;
mod records;
mod refusals;

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
    assert_eq!(
        args.scopes,
        [
            "create_customers",
            "read_customers",
            "update_customers",
            "read_store_profile",
            "read_customers_extrafields"
        ]
    );
    assert_eq!(args.scopes, SandboxArgs::default().scopes);
    assert!(!args.plan_without_groups);
    assert!(args.drop_fields.is_empty());
    assert_eq!(
        (args.batch_retry_secs, args.dedup_key_ttl_secs),
        (3.0, 3600.0)
    );
    assert_eq!(args.batch_inner_500_once, 0.0);
    assert_eq!(args.batch_request_ms, 0);
    assert!(!args.ignore_parallel_mode);
    assert_eq!(args.batch_counting, Counting::None);
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
        "--scopes=read_customers,create_customers",
        "--plan-without-groups",
        "--batch-inner-500-once=0.5",
        "--batch-retry-secs=0.01",
        "--dedup-key-ttl-secs=60",
        "--drop-fields=fiscalCode,electronicInvoiceSdiCode",
        "--not-applied=a@example.com,B@example.com",
        "--batch-request-ms=100",
        "--ignore-parallel-mode",
        "--batch-counting=refused",
    ])
    .expect("options parse");
    let args = cli.sandbox;
    assert_eq!(args.drop_after, 0.3);
    assert_eq!(args.spurious_429, 0.4);
    assert_eq!(args.languages, ["en", "nl"]);
    assert_eq!(args.scopes, ["read_customers", "create_customers"]);
    assert!(args.plan_without_groups);
    assert_eq!(args.drop_fields, ["fiscalCode", "electronicInvoiceSdiCode"]);
    assert_eq!(args.batch_inner_500_once, 0.5);
    assert_eq!(
        (args.batch_retry_secs, args.dedup_key_ttl_secs),
        (0.01, 60.0)
    );
    assert_eq!(args.not_applied, ["a@example.com", "B@example.com"]);
    assert_eq!(args.batch_request_ms, 100);
    assert!(args.ignore_parallel_mode);
    assert_eq!(args.batch_counting, Counting::Refused);
    assert!(Cli::try_parse_from(["sandbox", "--batch-counting=some"]).is_err());
    assert!(Cli::try_parse_from(["sandbox", "--batch-inner-500-once=2"]).is_err());
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
        SandboxArgs {
            batch_retry_secs: -1.0,
            ..SandboxArgs::default()
        },
        SandboxArgs {
            dedup_key_ttl_secs: f64::NAN,
            ..SandboxArgs::default()
        },
        SandboxArgs {
            batch_inner_500_once: 1.5,
            ..SandboxArgs::default()
        },
    ];
    for args in bad {
        let error = Sandbox::start(&args).await.err().expect("refused");
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{args:?}");
    }
}
