//! The snapshot of the store (`--snapshot`): an import reads the store's customers first when
//! that costs fewer requests than probing row by row, and settles the rows it finds there
//! without a create. Against the sandbox, with its offset cap and seeded customers.

use std::collections::HashMap;

use ecwid_import::sandbox::{Sandbox, SandboxArgs};
use serde_json::Value;

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column, emails_csv, numbered};

const FAST: [&str; 2] = ["--rate", "60000"];

/// Runs an import with `extra` options and `--summary-json`; the exit status and the summary.
async fn import(ws: &Workspace, store: &Sandbox, extra: &[&str]) -> (i32, Value) {
    let summary = ws.dir.path().join("summary.json");
    let mut args = vec!["--summary-json", summary.to_str().expect("utf-8")];
    args.extend(FAST);
    args.extend(extra);
    let code = ws.import(&store.api_url(), &args).await;
    let text = std::fs::read_to_string(&summary).expect("summary");
    (code, serde_json::from_str(&text).expect("json"))
}

fn kind(summary: &Value, kind: &str) -> u64 {
    summary["requests_by_kind"][kind].as_u64().expect("a count")
}

/// Email (lower case) -> id, as the store holds them.
fn ids(store: &Sandbox) -> HashMap<String, u64> {
    store
        .customers()
        .into_iter()
        .map(|c| (c.customer.email.unwrap_or_default().to_lowercase(), c.id))
        .collect()
}

fn count(statuses: &[String], status: &str) -> usize {
    statuses.iter().filter(|s| *s == status).count()
}

/// A store holding a 300-row file's customers and 1,000 more, the customers registered
/// before the run that reads it.
async fn store_with_the_file(emails: &[String]) -> Sandbox {
    let store = start(store_args()).await;
    store.seed(1_000);
    let ws = Workspace::new(&emails_csv(emails));
    let (code, _) = import(&ws, &store, &[]).await;
    assert_eq!(code, 0);
    store.backdate(3_600);
    store
}

/// Re-running an unchanged file: the store's size and 13 pages, no create, no look-up.
#[tokio::test]
async fn rerun_of_an_unchanged_file_reads_the_store_and_sends_nothing() {
    let emails = numbered("rerun", 300);
    let store = store_with_the_file(&emails).await;
    let before = store.stats();
    let ws = Workspace::new(&emails_csv(&emails));
    let (code, summary) = import(&ws, &store, &[]).await;
    assert_eq!(code, 0, "{summary}");
    let rows = ws.results();
    let ids = ids(&store);
    for (row, email) in rows.iter().zip(&emails) {
        assert_eq!(row["status"], "exists", "{row:?}");
        assert_eq!(row["customer_id"], ids[email].to_string(), "{row:?}");
        assert_eq!(row["attempts"], "0", "{row:?}");
    }
    // 1,300 customers: the size, then ceil(1300 / 100) pages.
    assert_eq!(kind(&summary, "list"), 1 + 13, "{summary}");
    assert_eq!(kind(&summary, "create"), 0, "{summary}");
    assert_eq!(kind(&summary, "search"), 0, "{summary}");
    assert_eq!(summary["requests"], 14, "{summary}");
    assert_eq!(store.stats().requests - before.requests, 14);
    assert_eq!(summary["snapshot"]["customers"], 1_300, "{summary}");
    assert_eq!(summary["snapshot"]["requests"], 14, "{summary}");
}

/// `--on-existing update` after 1% of the rows changed: three PUTs and the listing.
#[tokio::test]
async fn update_sends_only_the_changed_rows() {
    let emails = numbered("upd", 300);
    let store = store_with_the_file(&emails).await;
    let mut csv = String::from("email,name\n");
    for (i, email) in emails.iter().enumerate() {
        let name = if i % 100 == 7 { "Renamed" } else { "Customer" };
        csv.push_str(&format!("{email},{name} {i}\n"));
    }
    let ws = Workspace::new(&csv);
    let (code, summary) = import(&ws, &store, &["--on-existing", "update"]).await;
    assert_eq!(code, 0, "{summary}");
    let statuses = column(&ws.results(), "status");
    assert_eq!(count(&statuses, "updated"), 3, "{statuses:?}");
    assert_eq!(count(&statuses, "unchanged"), 297, "{statuses:?}");
    assert_eq!(kind(&summary, "update"), 3, "{summary}");
    assert_eq!(kind(&summary, "list"), 14, "{summary}");
    assert_eq!(kind(&summary, "read_back"), 1, "{summary}");
    assert_eq!(summary["requests"], 3 + 14 + 1, "{summary}");
    let renamed = store
        .customers()
        .into_iter()
        .filter(|c| {
            c.customer
                .billing_person
                .as_ref()
                .and_then(|b| b.name.as_deref())
                == Some("Renamed 107")
        })
        .count();
    assert_eq!(renamed, 1);
}

/// A store past the offset cap (10,000) is read whole: the listing starts again from the last
/// registration time, and every customer is read once.
#[tokio::test]
async fn listing_past_the_offset_cap_reads_every_customer_once() {
    let store = start(store_args()).await;
    store.seed(10_250);
    let ids = ids(&store);
    let mut seeded: Vec<(&String, &u64)> = ids.iter().collect();
    seeded.sort_by_key(|(_, id)| **id);
    let wanted: Vec<String> = [0, 9_999, 10_000, 10_249]
        .iter()
        .map(|&i| seeded[i].0.clone())
        .chain(["new@example.com".to_string()])
        .collect();
    let ws = Workspace::new(&emails_csv(&wanted));
    let (code, summary) = import(&ws, &store, &["--snapshot", "always"]).await;
    assert_eq!(code, 0, "{summary}");
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["exists", "exists", "exists", "exists", "created"]
    );
    for row in &rows[..4] {
        assert_eq!(
            row["customer_id"],
            ids[&row["email"]].to_string(),
            "{row:?}"
        );
    }
    assert_eq!(summary["snapshot"]["customers"], 10_250, "{summary}");
    // The size, 100 pages up to the cap, then 251 customers (one read again) in 3 pages.
    assert_eq!(kind(&summary, "list"), 1 + 100 + 3, "{summary}");
    assert_eq!(kind(&summary, "search"), 0, "{summary}");
    assert_eq!(kind(&summary, "create"), 1, "{summary}");
}

/// Under spurious 429s and 5xx answers, every customer is still read once, and the retries
/// are counted.
#[tokio::test]
async fn listing_under_faults_reads_every_customer_once() {
    let store = start(SandboxArgs {
        spurious_429: 0.15,
        fail_before: 0.2,
        seed: Some(11),
        ..store_args()
    })
    .await;
    store.seed(1_000);
    let ids = ids(&store);
    let mut emails: Vec<String> = ids.keys().take(20).cloned().collect();
    emails.extend(numbered("fresh", 5));
    let ws = Workspace::new(&emails_csv(&emails));
    let args = ["--snapshot", "always", "--max-retries", "20"];
    let (code, summary) = import(&ws, &store, &args).await;
    assert_eq!(code, 0, "{summary}");
    let rows = ws.results();
    for row in &rows[..20] {
        assert_eq!(row["status"], "exists", "{row:?}");
        assert_eq!(
            row["customer_id"],
            ids[&row["email"]].to_string(),
            "{row:?}"
        );
    }
    assert_eq!(count(&column(&rows, "status"), "created"), 5);
    assert_eq!(summary["snapshot"]["customers"], 1_000, "{summary}");
    let faults = store.stats().injected_faults;
    assert!(faults > 0, "the sandbox injected no fault");
    let retried = summary["retries"].as_u64().expect("retries")
        + summary["rate_limited"].as_u64().expect("429s");
    assert_eq!(retried, faults, "every fault retried once: {summary}");
    // The size and 10 pages, and some of them again after a fault.
    assert!(kind(&summary, "list") > 11, "{summary}");
    assert_eq!(
        summary["snapshot"]["requests"],
        kind(&summary, "list"),
        "{summary}"
    );
}

/// `--snapshot never` keeps today's pattern: a create and a look-up per existing row.
#[tokio::test]
async fn never_probes_row_by_row() {
    let emails = numbered("never", 50);
    let store = store_with_the_file(&emails).await;
    let ws = Workspace::new(&emails_csv(&emails));
    let (code, summary) = import(&ws, &store, &["--snapshot", "never"]).await;
    assert_eq!(code, 0, "{summary}");
    assert!(
        column(&ws.results(), "status")
            .iter()
            .all(|s| s == "exists")
    );
    assert_eq!(kind(&summary, "list"), 0, "{summary}");
    assert_eq!(kind(&summary, "create"), 50, "{summary}");
    assert_eq!(kind(&summary, "search"), 50, "{summary}");
    assert!(summary.get("snapshot").is_none(), "{summary}");
}

/// `auto` with a 10-row file against a store of 2,000: listing (20 pages) costs more than a
/// tenth of the rows, and the sampled look-ups find none of them, so the rows are sent as
/// without a snapshot.
#[tokio::test]
async fn auto_samples_instead_of_listing_a_large_store_for_a_small_file() {
    let store = start(store_args()).await;
    store.seed(2_000);
    let emails = numbered("small", 10);
    let ws = Workspace::new(&emails_csv(&emails));
    let (code, summary) = import(&ws, &store, &[]).await;
    assert_eq!(code, 0, "{summary}");
    assert!(
        column(&ws.results(), "status")
            .iter()
            .all(|s| s == "created")
    );
    assert_eq!(
        kind(&summary, "list"),
        1,
        "only the store's size: {summary}"
    );
    assert_eq!(kind(&summary, "search"), 10, "the sample: {summary}");
    assert_eq!(kind(&summary, "create"), 10, "{summary}");
    assert!(summary.get("snapshot").is_none(), "{summary}");
}

/// `auto` lists after all when the sample predicts enough existing rows: 30 rows that all
/// exist, against 20 pages, beat 30 creates refused and 30 look-ups.
#[tokio::test]
async fn auto_lists_when_the_sample_finds_the_rows_in_the_store() {
    let store = start(store_args()).await;
    store.seed(2_000);
    let emails: Vec<String> = ids(&store).into_keys().take(30).collect();
    let ws = Workspace::new(&emails_csv(&emails));
    let (code, summary) = import(&ws, &store, &[]).await;
    assert_eq!(code, 0, "{summary}");
    assert!(
        column(&ws.results(), "status")
            .iter()
            .all(|s| s == "exists")
    );
    assert_eq!(kind(&summary, "search"), 20, "the sample: {summary}");
    assert_eq!(kind(&summary, "list"), 1 + 20, "{summary}");
    assert_eq!(kind(&summary, "create"), 0, "{summary}");
}

/// With `--batch`, rows the snapshot holds never go into a batch.
#[tokio::test]
async fn batch_leaves_out_the_rows_the_snapshot_holds() {
    let store = start(store_args()).await;
    store.seed(100);
    let mut emails: Vec<String> = ids(&store).into_keys().take(20).collect();
    emails.extend(numbered("batched", 30));
    let ws = Workspace::new(&emails_csv(&emails));
    let (code, summary) = import(&ws, &store, &["--batch"]).await;
    assert_eq!(code, 0, "{summary}");
    let statuses = column(&ws.results(), "status");
    assert_eq!(count(&statuses, "exists"), 20, "{statuses:?}");
    assert_eq!(count(&statuses, "created"), 30, "{statuses:?}");
    let stats = store.stats();
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
    assert_eq!(stats.batches, 1, "{stats:?}");
    assert_eq!(kind(&summary, "create"), 0, "{summary}");
}

/// The sandbox's `--seed-customers` fills the store in registration order, and its listing
/// refuses an offset of 10,000 or more as Ecwid does.
#[tokio::test]
async fn sandbox_seeds_customers_and_caps_the_offset() {
    let store = start(SandboxArgs {
        seed_customers: 150,
        ..store_args()
    })
    .await;
    assert_eq!(store.customers().len(), 150);
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let url = format!("{}/{}/customers", store.api_url(), store.store_id());
    let get = |query: &'static [(&'static str, &'static str)]| {
        http.get(&url)
            .bearer_auth(store.token())
            .query(query)
            .send()
    };
    let page: Value = get(&[("sortBy", "REGISTERED_DATE_ASC"), ("offset", "100")])
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert_eq!(page["total"], 150, "{page}");
    let times: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["registered"].as_str().expect("registered"))
        .collect();
    assert_eq!(times.len(), 50);
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    let refused = get(&[("offset", "10000")]).await.expect("answer");
    assert_eq!(refused.status().as_u16(), 400);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["errorCode"], "WRONG_PARAMETER", "{body}");
}

/// A store of 9,900 seeded customers and 350 created in a burst, which share their
/// registration second or two.
async fn store_with_a_busy_second() -> Sandbox {
    let store = start(store_args()).await;
    store.seed(9_900);
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let url = format!("{}/{}/customers", store.api_url(), store.store_id());
    let burst: Vec<_> = numbered("burst", 350)
        .into_iter()
        .map(|email| {
            let request = http
                .post(&url)
                .bearer_auth(store.token())
                .json(&serde_json::json!({ "email": email }));
            async move { request.send().await.expect("sent").status().is_success() }
        })
        .collect();
    assert!(
        futures_util::future::join_all(burst)
            .await
            .into_iter()
            .all(|ok| ok)
    );
    store
}

/// Imports a file of the burst's first and last customer and a new one, reading the store
/// first: both found, the new one created, every customer counted once. The summary.
async fn import_reading_the_busy_store(store: &Sandbox) -> Value {
    let wanted = [
        "burst0@example.com",
        "burst349@example.com",
        "new@example.com",
    ];
    let ws = Workspace::new(&emails_csv(&wanted));
    let (code, summary) = import(&ws, store, &["--snapshot", "always"]).await;
    assert_eq!(code, 0, "{summary}");
    assert_eq!(
        column(&ws.results(), "status"),
        ["exists", "exists", "created"]
    );
    assert_eq!(summary["snapshot"]["customers"], 10_250, "{summary}");
    summary
}

/// Customers created in a burst share their registration second, and the listing's restart
/// falls inside that second: the next stretch skips the customers of that second read already
/// (all but one, read again to check the store orders them as before), so no page is read
/// twice.
#[tokio::test]
async fn a_restart_inside_a_busy_second_reads_no_page_twice() {
    let store = store_with_a_busy_second().await;
    let summary = import_reading_the_busy_store(&store).await;
    // The size, 100 pages up to the cap, then 251 customers (one read again) in 3 pages.
    assert_eq!(kind(&summary, "list"), 1 + 100 + 3, "{summary}");
}

/// A store that orders the customers of one second differently after the restart: the check
/// sees another customer where the last one read should be, and the whole second is read
/// again, so no customer is missed (each still counted once).
#[tokio::test]
async fn a_restart_reads_the_whole_second_again_when_the_store_reorders_it() {
    let store = store_with_a_busy_second().await;
    store.reverse_ties_from_created();
    let summary = import_reading_the_busy_store(&store).await;
    // The size, 100 pages up to the cap, the page that shows the other order, then the
    // whole busy second and what follows it from offset 0.
    assert!(kind(&summary, "list") > 1 + 100 + 3, "{summary}");
}

/// A sample that finds some of the file's customers but not enough to list the store: the
/// customers it found are settled from its records (the unchanged one needs no request, the
/// renamed one one `PUT`), and no row is looked up twice or meets a 409.
#[tokio::test]
async fn the_sample_settles_the_rows_it_found_without_asking_again() {
    let store = start(store_args()).await;
    store.seed(2_000);
    let seeded: Vec<(String, String)> = store
        .customers()
        .into_iter()
        .filter_map(|c| {
            let name = c.customer.billing_person?.name?;
            Some((c.customer.email?, name))
        })
        .take(2)
        .collect();
    let mut csv = String::from("email,name\n");
    csv.push_str(&format!("{},{}\n", seeded[0].0, seeded[0].1));
    csv.push_str(&format!("{},A New Name\n", seeded[1].0));
    for email in numbered("fresh", 8) {
        csv.push_str(&format!("{email},Fresh Customer\n"));
    }
    let ws = Workspace::new(&csv);
    let (code, summary) = import(&ws, &store, &["--on-existing", "update"]).await;
    assert_eq!(code, 0, "{summary}");
    let statuses = column(&ws.results(), "status");
    assert_eq!(statuses[..2], ["unchanged", "updated"], "{summary}");
    assert_eq!(count(&statuses, "created"), 8, "{summary}");
    assert_eq!(kind(&summary, "list"), 1, "only the size: {summary}");
    assert_eq!(kind(&summary, "search"), 10, "the sample only: {summary}");
    assert_eq!(kind(&summary, "update"), 1, "{summary}");
    assert_eq!(
        kind(&summary, "create"),
        8,
        "no create for a sampled customer: {summary}"
    );
    assert!(summary.get("snapshot").is_none(), "not listed: {summary}");
}
