//! `--create-groups`: the customer groups a file names and the store lacks, created once each
//! before any customer is sent, listed by `plan`, named in the first message without the
//! option, removed by `undo` once empty, and a plan without groups stopping the run.

use ecwid_import::sandbox::{Sandbox, SandboxArgs};

use crate::e2e::{start, store_args};
use crate::support::{TOKEN, Workspace};

const FILE: &str = "email,customerGroupName\na@example.com,VIP\nb@example.com,Gold\n\
                    c@example.com, gold\nd@example.com,Silver\ne@example.com,\n";

/// Runs `command` on `ws` as a process; the exit status and stderr.
fn run(ws: &Workspace, command: &str, api_url: &str, extra: &[&str]) -> (i32, String) {
    let output = ws.process(command, api_url, extra).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

fn group_id(store: &Sandbox, name: &str) -> Option<u64> {
    store
        .groups()
        .into_iter()
        .find(|(_, n)| n == name)
        .map(|(id, _)| id)
}

/// The group id the store holds for `email`.
fn group_of(store: &Sandbox, email: &str) -> Option<u64> {
    store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some(email))
        .and_then(|c| c.body.get("customerGroupId").and_then(|v| v.as_u64()))
}

/// Each missing group is created once (in any case the file writes it) before its rows, and
/// its customers are put in it; the summary counts the creates.
#[test]
fn missing_groups_are_created_once_and_their_rows_join_them() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    let ws = Workspace::new(FILE);
    let summary = ws.dir.path().join("summary.json");
    let summary_arg = summary.to_string_lossy().into_owned();
    let (code, stderr) = run(
        &ws,
        "import",
        &store.api_url(),
        &["--create-groups", "--summary-json", &summary_arg],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(store.stats().group_creates, 2);
    let gold = group_id(&store, "Gold").expect("Gold created");
    let silver = group_id(&store, "Silver").expect("Silver created");
    assert_eq!(group_of(&store, "b@example.com"), Some(gold));
    assert_eq!(group_of(&store, "c@example.com"), Some(gold));
    assert_eq!(group_of(&store, "d@example.com"), Some(silver));
    assert_eq!(group_of(&store, "a@example.com"), Some(9_367_001));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary).expect("summary")).expect("json");
    assert_eq!(summary["requests_by_kind"]["group_create"], 2);
    assert_eq!(summary["requests_by_kind"]["groups"], 1);

    // A second run finds them: nothing more is created.
    let again = Workspace::new(&FILE.replace("@example.com", "@example.org"));
    assert_eq!(
        run(&again, "import", &store.api_url(), &["--create-groups"]).0,
        0
    );
    assert_eq!(store.stats().group_creates, 2);
}

/// Without the option, the run's first warning names the missing groups and the option; their
/// rows fail, nothing is created.
#[test]
fn without_the_option_the_first_message_names_the_missing_groups() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    let ws = Workspace::new(FILE);
    let (code, stderr) = run(&ws, "import", &store.api_url(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let first = stderr
        .lines()
        .find(|l| l.contains("WARN"))
        .unwrap_or_default();
    assert!(first.contains("\"Gold\" (2 customers)"), "{stderr}");
    assert!(first.contains("\"Silver\" (1 customers)"), "{stderr}");
    assert!(first.contains("--create-groups"), "{stderr}");
    assert!(!first.contains("VIP"), "{stderr}");
    let status: Vec<String> = ws.results().iter().map(|r| r["status"].clone()).collect();
    assert_eq!(status, ["created", "failed", "failed", "failed", "created"]);
    assert_eq!(store.stats().group_creates, 0);
}

/// `plan --create-groups` lists the groups it would create with their customers, creates none,
/// and plans their rows as creates.
#[test]
fn plan_lists_the_groups_it_would_create() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    let ws = Workspace::new(FILE);
    let (code, stderr) = run(&ws, "plan", &store.api_url(), &["--create-groups"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "would create 2 customer groups first: \"Gold\" (2 customers), \"Silver\" (1 customers)"
        ),
        "{stderr}"
    );
    assert_eq!(store.stats().group_creates, 0);
    assert_eq!(store.groups().len(), 4);
    let plan = crate::support::read_csv(&ws.dir.path().join("customers.plan.csv"));
    assert!(
        plan.iter().all(|r| r["status"] == "would_create"),
        "{plan:?}"
    );
}

/// A store whose plan has no customer groups stops a run with `--create-groups` before any
/// customer is created: exit 3, saying groups need a higher plan; every row `not_sent`.
#[test]
fn a_plan_without_groups_stops_the_run_before_any_customer() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(SandboxArgs {
        plan_without_groups: true,
        ..store_args()
    }));
    let ws = Workspace::new(FILE);
    let (code, stderr) = run(&ws, "import", &store.api_url(), &["--create-groups"]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("higher Ecwid plan"), "{stderr}");
    assert!(store.customers().is_empty());
    let status: Vec<String> = ws.results().iter().map(|r| r["status"].clone()).collect();
    assert!(status.iter().all(|s| s == "not_sent"), "{status:?}");
}

/// `undo` removes the groups the import created once they hold no customer, and reports one
/// that still does (a customer the undo left: it ordered since) as left in place.
#[test]
fn undo_removes_the_created_groups_that_are_empty() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    let ws = Workspace::new(FILE);
    assert_eq!(
        run(&ws, "import", &store.api_url(), &["--create-groups"]).0,
        0
    );
    let gold = group_id(&store, "Gold").expect("Gold");
    let silver = group_id(&store, "Silver").expect("Silver");
    let ordered = store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some("c@example.com"))
        .expect("c")
        .id;
    store.set_orders(ordered, 1);
    let undo = |yes: bool| {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"));
        command
            .arg("undo")
            .arg(ws.output())
            .args([
                "--store-id",
                "1003",
                "--api-url",
                &store.api_url(),
                "--rate",
                "60000",
            ])
            .env("ECWID_TOKEN", TOKEN)
            .env_remove("ECWID_STORE_ID")
            .env_remove("ECWID_API_URL");
        if yes {
            command.arg("--yes");
        }
        let output = command.output().expect("runs");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let dry = undo(false);
    assert!(
        dry.contains(&format!(
            "\"Silver\" (id {silver}) created by the import: would be removed"
        )),
        "{dry}"
    );
    assert!(group_id(&store, "Silver").is_some());
    let done = undo(true);
    assert!(
        done.contains(&format!(
            "\"Silver\" (id {silver}) created by the import: removed"
        )),
        "{done}"
    );
    assert!(
        done.contains(&format!(
            "\"Gold\" (id {gold}) created by the import: left in place: it holds 1 customers"
        )),
        "{done}"
    );
    assert_eq!(group_id(&store, "Silver"), None);
    assert_eq!(group_id(&store, "Gold"), Some(gold));
    assert_eq!(
        store.stats().by_status.get("400"),
        None,
        "no delete was refused"
    );
}

/// A group create whose answer is lost (500) may have taken effect: the store's groups are read
/// again, the group found there is taken (and journaled for `undo`), not created twice.
#[tokio::test]
async fn a_group_create_of_unknown_outcome_is_looked_up() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let groups = "/api/v3/1003/customer_groups";
    let page = |items: serde_json::Value| {
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "total": items.as_array().map_or(0, Vec::len), "items": items
        }))
    };
    Mock::given(method("GET"))
        .and(path(groups))
        .respond_with(page(serde_json::json!([{"id": 0, "name": "General"}])))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(groups))
        .respond_with(page(
            serde_json::json!([{"id": 0, "name": "General"}, {"id": 77, "name": "Gold"}]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(groups))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v3/1003/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 5})))
        .mount(&server)
        .await;
    let ws = Workspace::new("email,customerGroupName\nb@example.com,Gold\n");
    let api = format!("{}/api/v3", server.uri());
    let code = ws
        .import(&api, &["--create-groups", "--snapshot", "never"])
        .await;
    assert_eq!(code, 0);
    let sent: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path().ends_with("/customers"))
        .map(|r| serde_json::from_slice(&r.body).expect("json"))
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["customerGroupId"], 77);
    let log = std::fs::read_to_string(ws.dir.path().join("customers.results.undo.jsonl"))
        .expect("undo log");
    assert!(
        log.contains(r#""group_created":{"id":77,"name":"Gold"}"#),
        "{log}"
    );
}
