//! The client's rules against the store's: the sandbox refuses what Ecwid documents it refuses,
//! with rules of its own, so a row that the client lets through but the store would not ends
//! `failed` with the store's answer instead of passing an end-to-end test unseen.

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column};

/// Rows the client's rules accept and the store refuses: a contact with only a note (Ecwid
/// requires `contact` and `type`) and a tax exemption with a tax ID marked invalid. Each ends
/// `failed` with HTTP 400 and the store's WRONG_PARAMETER message; the plain row is created.
#[tokio::test]
async fn rows_the_client_accepts_and_the_store_refuses_fail_with_its_answer() {
    let store = start(store_args()).await;
    let ws = Workspace::new(
        "email,contacts.0.note,taxId,taxIdValid,taxExempt\n\
         plain@example.com,,,,\n\
         note.only@example.com,call after 6pm,,,\n\
         exempt@example.com,,DE123,no,yes\n",
    );
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 1);

    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["created", "failed", "failed"]);
    assert_eq!(column(&rows, "http_status"), ["200", "400", "400"]);
    assert_eq!(column(&rows, "attempts"), ["1", "1", "1"]);
    let expected: [(&String, &[&str]); 2] = [
        (
            &rows[1]["error"],
            &[
                "contacts.0.type: is required",
                "contacts.0.contact: is required",
            ],
        ),
        (
            &rows[2]["error"],
            &["taxExempt \"true\": requires a valid tax ID"],
        ),
    ];
    for (error, parts) in expected {
        assert!(error.contains("WRONG_PARAMETER"), "{error}");
        for part in parts {
            assert!(error.contains(part), "{part:?} not in {error}");
        }
    }
    let stored: Vec<_> = store
        .customers()
        .into_iter()
        .filter_map(|c| c.customer.email)
        .collect();
    assert_eq!(stored, ["plain@example.com"]);
    let failed = std::fs::read_to_string(ws.failed_output()).expect("failed rows file");
    assert_eq!(failed.lines().count(), 3, "{failed}");
}
