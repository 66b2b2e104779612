//! The client's rules against the store's: the sandbox refuses what Ecwid documents it refuses,
//! with rules of its own, so a row that the client lets through but the store would not ends
//! `failed` with the store's answer instead of passing an end-to-end test unseen.

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column};

/// A row the client's rules accept and the store refuses: a tax exemption with a tax ID marked
/// invalid (the client asks only for a tax ID in the row). It ends `failed` with HTTP 400 and
/// the store's WRONG_PARAMETER message; the plain row is created.
#[tokio::test]
async fn rows_the_client_accepts_and_the_store_refuses_fail_with_its_answer() {
    let store = start(store_args()).await;
    let ws = Workspace::new(
        "email,taxId,taxIdValid,taxExempt\n\
         plain@example.com,,,\n\
         exempt@example.com,DE123,no,yes\n",
    );
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 1);

    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created", "failed"]);
    assert_eq!(column(&rows, "http_status"), ["200", "400"]);
    assert_eq!(column(&rows, "attempts"), ["1", "1"]);
    let error = &rows[1]["error"];
    assert!(error.contains("WRONG_PARAMETER"), "{error}");
    let part = "taxExempt \"true\": requires a valid tax ID";
    assert!(error.contains(part), "{part:?} not in {error}");
    let stored: Vec<_> = store
        .customers()
        .into_iter()
        .filter_map(|c| c.customer.email)
        .collect();
    assert_eq!(stored, ["plain@example.com"]);
    let failed = std::fs::read_to_string(ws.failed_output()).expect("failed rows file");
    assert_eq!(failed.lines().count(), 2, "{failed}");
}
