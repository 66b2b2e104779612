//! `--read-back`: after its writes a run reads back the customers it wrote and compares each
//! field it sent with what the store holds. A field the store drops is noted in the row's
//! `error` (status unchanged), counted in the summary, and remembered beside the results file,
//! so that a later run of the same file sends no write for it; `none` reads nothing, `all`
//! every customer written, `sample` the first page of each kind of write.

use ecwid_import::sandbox::{Sandbox, SandboxArgs};
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::plan::plan;
use crate::support::{Workspace, column, emails_csv};

const ITALIANS: &str = "email,name,fiscalCode\n\
ann@example.com,Ann Rossi,RSSNNA80A41H501X\n\
bob@example.com,Bob Verdi,VRDBBO75B12F205Y\n\
cy@example.com,Cy Bianchi,BNCCYI90C03L219Z\n";

/// A store that silently drops `fiscalCode`, as a store may.
async fn dropping_store() -> Sandbox {
    start(SandboxArgs {
        drop_fields: vec!["fiscalCode".into()],
        ..store_args()
    })
    .await
}

fn remembered(ws: &Workspace) -> std::path::PathBuf {
    ws.dir.path().join("customers.results.not-kept.json")
}

/// An import into a store that drops `fiscalCode`: every row `created`, its `error` naming the
/// field, the value sent and what the store holds; the summary counts it; the field is
/// remembered beside the results file. An unchanged re-run with `--on-existing update` then
/// sends no write at all (its rows `unchanged`); once the file of remembered fields is deleted,
/// the same re-run sends the field again, and the read-back of the updates notes it again.
#[tokio::test]
async fn a_dropped_field_is_noted_counted_remembered_and_not_written_again() {
    let store = dropping_store().await;
    let ws = Workspace::new(ITALIANS);
    let (code, summary) = ws.import_summary(&store.api_url(), &[]).await;
    assert_eq!(code, 0, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"; 3]);
    assert!(
        rows[0]["error"].contains(
            r#"the store did not keep: fiscalCode sent "RSSNNA80A41H501X", the store holds """#
        ),
        "{:?}",
        rows[0]
    );
    assert_eq!(
        summary["fields_not_kept"],
        json!({"fiscalCode": 3}),
        "{summary}"
    );
    assert_eq!(summary["read_back"]["customers"], 3, "{summary}");
    assert_eq!(summary["read_back"]["requests"], 1, "{summary}");
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(remembered(&ws)).expect("remembered"))
            .expect("json");
    assert_eq!(file["fields"], json!(["fiscalCode"]), "{file}");

    store.backdate(3_600);
    let update = ["--on-existing", "update"];
    // A plan of the same file reads the fields remembered beside the import's results too.
    let (code, planned) = plan(&ws, &store.api_url(), &update).await;
    assert_eq!(code, 0, "{planned}");
    assert_eq!(planned["by_status"], json!({"unchanged": 3}), "{planned}");
    let before = store.stats();
    let (code, summary) = ws.import_summary(&store.api_url(), &update).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(column(&ws.results(), "status"), ["unchanged"; 3]);
    let after = store.stats();
    assert_eq!(
        (after.updates, after.creates),
        (before.updates, before.creates),
        "an unchanged re-run wrote"
    );
    assert_eq!(summary["requests_by_kind"]["update"], 0, "{summary}");
    assert_eq!(summary["fields_not_kept"], json!({}), "{summary}");
    assert_eq!(
        summary["read_back"]["requests"], 0,
        "nothing written, nothing read: {summary}"
    );

    std::fs::remove_file(remembered(&ws)).expect("forget");
    let (code, summary) = ws.import_summary(&store.api_url(), &update).await;
    assert_eq!(code, 0, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["updated"; 3]);
    assert!(
        rows[2]["error"].contains("the store did not keep: fiscalCode"),
        "{:?}",
        rows[2]
    );
    assert_eq!(store.stats().updates, before.updates + 3);
    assert_eq!(
        summary["fields_not_kept"],
        json!({"fiscalCode": 3}),
        "{summary}"
    );
    assert_eq!(summary["read_back"]["customers"], 3, "{summary}");
    assert!(remembered(&ws).exists());
}

/// What each `--read-back` costs on 250 creates, counted by the run and by the store: `none`
/// sends no read, `sample` one page (100 customers), `all` every page (3), each as its plan
/// says; a store that keeps everything gets no note.
#[tokio::test]
async fn none_reads_nothing_sample_one_page_all_every_page() {
    let emails: Vec<String> = (0..250).map(|i| format!("c{i}@example.com")).collect();
    let csv = emails_csv(&emails);
    for (mode, requests, customers) in [
        ("none", 0, None),
        ("sample", 1, Some(100)),
        ("all", 3, Some(250)),
    ] {
        let store = start(store_args()).await;
        let ws = Workspace::new(&csv);
        let (_, planned) = plan(&ws, &store.api_url(), &["--read-back", mode]).await;
        assert_eq!(
            planned["import_would_send"]["read_back"], requests,
            "{mode}: {planned}"
        );
        let args = ["--read-back", mode, "--snapshot", "never"];
        let (code, summary) = ws.import_summary(&store.api_url(), &args).await;
        assert_eq!(code, 0, "{mode}: {summary}");
        assert_eq!(
            summary["requests_by_kind"]["read_back"], requests,
            "{mode}: {summary}"
        );
        assert_eq!(
            summary["requests_by_kind"]["create"], 250,
            "{mode}: {summary}"
        );
        let stats = store.stats();
        // The plan's look-ups, the creates and the read-back's pages, and nothing else.
        let plan_requests = planned["requests"].as_u64().expect("a count");
        assert_eq!(
            stats.requests,
            plan_requests + 250 + requests,
            "{mode}: {stats:?}"
        );
        assert_eq!(
            summary["read_back"]["customers"].as_u64(),
            customers,
            "{mode}: {summary}"
        );
        assert_eq!(summary["fields_not_kept"], json!({}), "{mode}: {summary}");
        assert!(ws.results().iter().all(|r| r["error"].is_empty()), "{mode}");
        assert!(!remembered(&ws).exists(), "{mode}");
    }
}

/// A store that refuses the read-back (a token without the `read_customers` scope) ends the
/// read-back, never the run: the rows stay `created`, the exit status 0.
#[tokio::test]
async fn a_refused_read_back_does_not_fail_the_run() {
    let store = start(SandboxArgs {
        scopes: ["create_customers", "update_customers", "read_store_profile"]
            .map(String::from)
            .to_vec(),
        ..store_args()
    })
    .await;
    let ws = Workspace::new(ITALIANS);
    let (code, summary) = ws
        .import_summary(&store.api_url(), &["--snapshot", "never"])
        .await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(column(&ws.results(), "status"), ["created"; 3]);
    assert_eq!(summary["requests_by_kind"]["read_back"], 1, "{summary}");
    assert_eq!(summary["read_back"]["customers"], 0, "{summary}");
    assert!(summary.get("stopped").is_none(), "{summary}");
}

/// Rows sent through the batch endpoint are read back as those sent one by one are.
#[tokio::test]
async fn rows_sent_in_batches_are_read_back_too() {
    let store = dropping_store().await;
    let ws = Workspace::new(ITALIANS);
    let (code, summary) = ws.import_summary(&store.api_url(), &["--batch"]).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["requests_by_kind"]["batch_submit"], 1, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created"; 3]);
    assert!(
        rows[1]["error"].contains("the store did not keep: fiscalCode"),
        "{:?}",
        rows[1]
    );
    assert_eq!(
        summary["fields_not_kept"],
        json!({"fiscalCode": 3}),
        "{summary}"
    );
}

/// An update run straight after the import that created its customers (in the same second,
/// very likely) reads back its updates as any other: customers registered just before a run
/// are not taken for its creates.
#[tokio::test]
async fn updates_right_after_the_creates_are_read_back() {
    let store = start(store_args()).await;
    let ws = Workspace::new(ITALIANS);
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 0);
    let renamed = ITALIANS
        .replace("Ann Rossi", "Anna Rossi")
        .replace("Cy Bianchi", "Ciro Bianchi");
    std::fs::write(&ws.input, renamed).expect("rewrite the file");
    let update = ["--on-existing", "update"];
    let (code, summary) = ws.import_summary(&store.api_url(), &update).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(
        column(&ws.results(), "status"),
        ["updated", "unchanged", "updated"]
    );
    assert_eq!(summary["read_back"]["customers"], 2, "{summary}");
    assert_eq!(summary["read_back"]["requests"], 1, "{summary}");
    assert_eq!(summary["fields_not_kept"], json!({}), "{summary}");
}

/// `all` past the listing's last offset (10,000): the read-back starts again from the last
/// update time it read and compares every customer written, each once.
#[tokio::test]
async fn all_reads_past_the_listings_last_offset() {
    let store = start(SandboxArgs {
        drop_fields: vec!["fiscalCode".into()],
        rate_limit: 1_000_000,
        ..store_args()
    })
    .await;
    let mut csv = String::from("email,fiscalCode\n");
    for i in 0..10_050 {
        csv.push_str(&format!("c{i}@example.com,RSSNNA80A41H501X\n"));
    }
    let ws = Workspace::new(&csv);
    let args = [
        "--read-back",
        "all",
        "--snapshot",
        "never",
        "--concurrency",
        "32",
    ];
    let (code, summary) = ws.import_summary(&store.api_url(), &args).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(summary["read_back"]["customers"], 10_050, "{summary}");
    assert_eq!(
        summary["fields_not_kept"],
        json!({"fiscalCode": 10_050}),
        "{summary}"
    );
    let pages = summary["requests_by_kind"]["read_back"]
        .as_u64()
        .expect("a count");
    assert!((101..=103).contains(&pages), "{summary}");
}
