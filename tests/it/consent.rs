//! Marketing consent is never implied: a create whose row gives no `acceptMarketing` (no such
//! column, or a blank cell) sends `false`, alone or inside a batch, and `plan` says so; an update
//! never sends it unless the row gives it; the run says once how many it created so.

use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column, read_csv, run_in_process};

/// The stored bodies' `acceptMarketing`, by email, in the store's order.
fn consent(store: &ecwid_import::sandbox::Sandbox) -> Vec<(String, Value)> {
    store
        .customers()
        .into_iter()
        .map(|c| {
            let email = c.customer.email.clone().unwrap_or_default();
            (
                email,
                c.body
                    .get("acceptMarketing")
                    .cloned()
                    .unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// No column: `false`; a blank cell: `false`; a yes or a no: as the file says.
#[tokio::test]
async fn a_create_without_a_value_sends_false() {
    let store = start(store_args()).await;
    let ws = Workspace::new("email,name\na@example.com,Ann\n");
    assert_eq!(ws.import_summary(&store.api_url(), &[]).await.0, 0);
    let ws = Workspace::new(
        "email,acceptMarketing\nb@example.com,\nc@example.com,yes\nd@example.com,no\n",
    );
    assert_eq!(ws.import_summary(&store.api_url(), &[]).await.0, 0);
    assert_eq!(
        consent(&store),
        [
            ("a@example.com".to_string(), json!(false)),
            ("b@example.com".to_string(), json!(false)),
            ("c@example.com".to_string(), json!(true)),
            ("d@example.com".to_string(), json!(false)),
        ]
    );
}

/// Creates inside a batch carry the same `false`.
#[tokio::test]
async fn a_create_inside_a_batch_sends_false() {
    let store = start(store_args()).await;
    let ws = Workspace::new("email,name\na@example.com,Ann\nb@example.com,Bo\n");
    assert_eq!(ws.import_summary(&store.api_url(), &["--batch"]).await.0, 0);
    assert_eq!(store.stats().batches, 1);
    let values: Vec<Value> = consent(&store).into_iter().map(|(_, v)| v).collect();
    assert_eq!(values, [json!(false), json!(false)]);
}

/// A customer who agreed, updated from a file without the column: the consent stays, and the
/// update's body never carries the create's default.
#[tokio::test]
async fn an_update_without_a_value_leaves_the_stores_consent() {
    let store = start(store_args()).await;
    store
        .seed_customer(json!({"email": "ann@example.com", "acceptMarketing": true,
                              "billingPerson": {"name": "Ann Lee"}}))
        .expect("seeded");
    let ws = Workspace::new("email,name\nann@example.com,Ann Berg\n");
    let (code, _) = ws
        .import_summary(&store.api_url(), &["--on-existing", "update"])
        .await;
    assert_eq!(code, 0);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["updated"]);
    assert_eq!(
        rows[0]["error"],
        r#"billingPerson.name: "Ann Lee" -> "Ann Berg""#
    );
    assert_eq!(consent(&store)[0].1, json!(true));
    // Through a refused create too (row by row, no snapshot): the 409's update leaves it.
    std::fs::write(&ws.input, "email,name\nann@example.com,Ann Lee\n").expect("rewrite");
    let args = ["--on-existing", "update", "--snapshot", "never"];
    assert_eq!(ws.import_summary(&store.api_url(), &args).await.0, 0);
    assert_eq!(column(&ws.results(), "status"), ["updated"]);
    assert_eq!(consent(&store)[0].1, json!(true));
}

/// `plan` shows the `false` a create would send, on the row that would send it.
#[tokio::test]
async fn a_plan_shows_the_false_it_would_send() {
    let store = start(store_args()).await;
    let ws = Workspace::new("email,acceptMarketing\nnew@example.com,\nyes@example.com,yes\n");
    let output = ws.dir.path().join("customers.plan.csv");
    let args: Vec<String> = [
        "ecwid-import",
        "plan",
        ws.input.to_str().expect("utf-8"),
        "--store-id",
        "1003",
        "--api-url",
        &store.api_url(),
        "--token-file",
        ws.token_file.to_str().expect("utf-8"),
        "-q",
        "--rate",
        "60000",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(run_in_process(args).await, 0);
    let rows = read_csv(&output);
    assert_eq!(column(&rows, "status"), ["would_create"; 2]);
    assert!(
        rows[0]["error"].contains("acceptMarketing: false"),
        "{rows:?}"
    );
    assert_eq!(rows[1]["error"], "");
    assert!(store.customers().is_empty());
}

/// The run says once, at its end, how many customers it created with `false`.
#[test]
fn the_run_says_how_many_it_created_without_consent() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    let ws =
        Workspace::new("email,acceptMarketing\na@example.com,\nb@example.com,\nc@example.com,1\n");
    let output = ws
        .import_process(&store.api_url(), &[])
        .env("RUST_LOG", "ecwid_import=info")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("acceptMarketing: false"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("2 customers were created with acceptMarketing: false"),
        "{stderr}"
    );
}
