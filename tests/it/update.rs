//! `--on-existing update` against the sandbox: a re-run sends only what changed, and nothing
//! (status `unchanged`) for a row the store already holds as it is.

use serde_json::Value;

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column};

/// Two contacts, a group by name and a country code in lower case: what the store holds
/// after the import is compared in its own spelling (group id, upper-case code).
const FIRST: &str = "email,name,customerGroupName,billingPerson.countryCode,\
contacts.0.type,contacts.0.contact,contacts.1.type,contacts.1.contact\n\
a@example.com,Ann Lee,VIP,no,PHONE,+47 555 0001,WHATSAPP,+47 555 0002\n\
b@example.com,Bo Ek,,se,PHONE,+46 555 0003,,\n\
c@example.com,Cy Oh,Wholesale,,,,,\n";

/// Runs an import with the summary JSON; the exit status and the summary.
async fn import(ws: &Workspace, api_url: &str, on_existing: &str) -> (i32, Value) {
    let summary = ws.dir.path().join("summary.json");
    let summary_arg = summary.to_str().expect("utf-8 path");
    let args = [
        "--rate",
        "60000",
        "--on-existing",
        on_existing,
        "--summary-json",
        summary_arg,
    ];
    let code = ws.import(api_url, &args).await;
    let text = std::fs::read_to_string(&summary).expect("summary");
    (code, serde_json::from_str(&text).expect("json"))
}

/// The same file again with `update`: every row `unchanged`, no `PUT`, exit 0.
#[tokio::test]
async fn rerun_of_an_unchanged_file_sends_no_update() {
    let store = start(store_args()).await;
    let ws = Workspace::new(FIRST);
    let (code, _) = import(&ws, &store.api_url(), "skip").await;
    assert_eq!(code, 0);
    assert_eq!(column(&ws.results(), "status"), ["created"; 3]);

    let (code, summary) = import(&ws, &store.api_url(), "update").await;
    assert_eq!(code, 0, "{summary}");
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["unchanged"; 3], "{rows:?}");
    assert!(rows.iter().all(|r| r["error"].is_empty()), "{rows:?}");
    assert_eq!(summary["requests_by_kind"]["update"], 0, "{summary}");
    assert_eq!(summary["by_status"]["unchanged"], 3, "{summary}");
    assert_eq!(summary["exit_code"], 0, "{summary}");
}

/// One field of one row changed: that row alone is sent, with that field alone, and the
/// contacts the store has (one the new file no longer lists) are all kept.
#[tokio::test]
async fn one_changed_field_sends_one_update_and_keeps_the_stores_contacts() {
    let store = start(store_args()).await;
    let ws = Workspace::new(FIRST);
    assert_eq!(import(&ws, &store.api_url(), "skip").await.0, 0);

    // Ann's name changes and her file lists only her phone; the rest is as the store has it.
    let second = "email,name,customerGroupName,billingPerson.countryCode,\
                  contacts.0.type,contacts.0.contact\n\
                  a@example.com,Ann Berg,VIP,NO,PHONE,+47 555 0001\n\
                  b@example.com,Bo Ek,,se,PHONE,+46 555 0003\n\
                  c@example.com,Cy Oh,Wholesale,,,\n";
    std::fs::write(&ws.input, second).expect("rewrite input");
    let (code, summary) = import(&ws, &store.api_url(), "update").await;
    assert_eq!(code, 0, "{summary}");
    let rows = ws.results();
    assert_eq!(
        column(&rows, "status"),
        ["updated", "unchanged", "unchanged"]
    );
    assert_eq!(
        rows[0]["error"],
        r#"billingPerson.name: "Ann Lee" -> "Ann Berg""#
    );
    assert_eq!(summary["requests_by_kind"]["update"], 1, "{summary}");
    assert_eq!(summary["by_status"]["unchanged"], 2, "{summary}");

    let ann = store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some("a@example.com"))
        .expect("Ann is stored");
    let person = ann.customer.billing_person.clone().unwrap_or_default();
    assert_eq!(person.name.as_deref(), Some("Ann Berg"));
    assert_eq!(person.country_code.as_deref(), Some("NO"));
    assert_eq!(ann.customer.customer_group_id, Some(9_367_001));
    let contacts: Vec<String> = ann
        .customer
        .contacts
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.contact)
        .collect();
    assert!(
        contacts.contains(&"+47 555 0001".to_string()),
        "{contacts:?}"
    );
    assert!(
        contacts.contains(&"+47 555 0002".to_string()),
        "{contacts:?}"
    );
}
