//! Writes the store answers with a count of 0 (`{"updateCount": 0}`, `{"deleteCount": 0}`):
//! Ecwid documents them as "not updated / not deleted", so the row is `failed` with that
//! reason, counted, and the run exits 1; never `updated`, `deleted` or `restored`.

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column};
use crate::undo::{undo, undo_results};

const FAST: [&str; 2] = ["--rate", "60000"];

/// An update answered `updateCount: 0` fails its row, naming the answer and what reading the
/// customer back found (still there, still different); the other row is updated; exit 1, and
/// the summary counts the failure and its reason.
#[tokio::test]
async fn an_update_answered_zero_is_failed() {
    let store = start(store_args()).await;
    let first = Workspace::new("email,name\nstuck@example.com,Old One\nfree@example.com,Old Two\n");
    assert_eq!(first.import(&store.api_url(), &FAST).await, 0);
    store.not_applied(&["stuck@example.com"]);

    let ws = Workspace::new("email,name\nstuck@example.com,New One\nfree@example.com,New Two\n");
    let (code, summary) = ws
        .import_summary(&store.api_url(), &["--on-existing", "update"])
        .await;
    assert_eq!(code, 1, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["failed", "updated"]);
    let error = &rows[0]["error"];
    assert!(error.contains(r#"{"updateCount": 0}"#), "{error}");
    assert!(error.contains("did not apply the update"), "{error}");
    assert!(error.contains("still differs"), "{error}");
    assert!(error.contains(r#""Old One" -> "New One""#), "{error}");
    assert!(!rows[0]["customer_id"].is_empty(), "{rows:?}");
    assert_eq!(summary["by_status"]["failed"], 1, "{summary}");
    assert_eq!(summary["by_status"]["updated"], 1, "{summary}");
    // The update, then the read back: one GET for the failed row.
    assert_eq!(summary["requests_by_kind"]["update"], 2, "{summary}");
    assert_eq!(summary["requests_by_kind"]["get"], 1, "{summary}");
    let top = summary["top_errors"].to_string();
    assert!(top.contains("did not apply the write"), "{top}");
    let names: Vec<_> = store
        .customers()
        .into_iter()
        .map(|c| c.customer.billing_person.and_then(|b| b.name))
        .collect();
    assert_eq!(
        names,
        [Some("Old One".to_string()), Some("New Two".to_string())]
    );
    // The failed row is in the failed-rows file, to be imported again.
    let failed = std::fs::read_to_string(ws.failed_output()).expect("failed rows");
    assert!(failed.contains("stuck@example.com"), "{failed}");
}

/// Undo: a delete and a restore answered with a count of 0 are `failed` (the customer is still
/// there as it was), the others `deleted` / `restored`; exit 1.
#[tokio::test]
async fn undo_writes_answered_zero_are_failed() {
    let store = start(store_args()).await;
    let first = Workspace::new("email,name\nkept@example.com,Old Name\n");
    assert_eq!(first.import(&store.api_url(), &FAST).await, 0);
    store.backdate(3600);

    let ws = Workspace::new(
        "email,name\nkept@example.com,New Name\nnew1@example.com,A\nnew2@example.com,B\n",
    );
    let args = ["--rate", "60000", "--on-existing", "update"];
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_eq!(
        column(&ws.results(), "status"),
        ["updated", "created", "created"]
    );
    store.not_applied(&["kept@example.com", "new1@example.com"]);

    assert_eq!(undo(&ws, &store.api_url(), &["--yes"]).await, 1);
    let rows = undo_results(&ws);
    assert_eq!(column(&rows, "status"), ["failed", "failed", "deleted"]);
    assert!(
        rows[0]["error"].contains(r#"{"updateCount": 0}: it did not apply the restore"#),
        "{rows:?}"
    );
    assert!(
        rows[1]["error"].contains(r#"{"deleteCount": 0}: it did not apply the delete"#),
        "{rows:?}"
    );
    assert!(rows[1]["error"].contains("still in the store"), "{rows:?}");
    let emails: Vec<_> = store
        .customers()
        .into_iter()
        .map(|c| c.customer.email.unwrap_or_default())
        .collect();
    assert_eq!(emails, ["kept@example.com", "new1@example.com"]);
}
