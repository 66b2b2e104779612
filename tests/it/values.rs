//! The values a person reads past (contract, Values): placeholders that stand for nothing,
//! names that are email addresses, and numbers a spreadsheet changed. Each on a file written in
//! its platform's export layout (`tests/data/values/`), imported into the sandbox with no flag.

use std::path::Path;

use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::presets::stored;
use crate::support::Workspace;

/// A file of `tests/data/values/`.
pub(crate) fn read_value_sample(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/values")
        .join(name);
    std::fs::read_to_string(path).expect("sample readable")
}

/// Imports a sample into a fresh sandbox: the exit status, the summary, the results rows and
/// the body the store holds for each created row (null for the others).
async fn import(name: &str) -> (i32, Value, Vec<Value>) {
    let store = start(store_args()).await;
    let ws = Workspace::new(&read_value_sample(name));
    let (code, summary) = ws.import_summary(&store.api_url(), &[]).await;
    let rows = ws
        .results()
        .iter()
        .map(|r| {
            let body = if r["status"] == "created" {
                stored(&store, &r["email"])
            } else {
                Value::Null
            };
            json!({"status": r["status"], "error": r["error"], "body": body})
        })
        .collect();
    store.shutdown().await;
    (code, summary, rows)
}

/// HubSpot contacts with `NULL`, `N/A`, `none`, `-`, `[not provided]`, `#N/A` and `undefined`
/// in text cells: each is blank (the field left out, a blank email is required as ever), a name
/// that is the email address is no name, and the summary counts each kind once per column.
#[tokio::test]
async fn placeholders_are_blank_and_counted_once_per_column() {
    let (code, summary, rows) = import("hubspot-placeholders.csv").await;
    assert_eq!(code, 1, "{rows:?}");
    let first = &rows[0]["body"];
    assert_eq!(first["billingPerson"]["name"], "Amara Okafor");
    assert_eq!(first["billingPerson"].get("phone"), None, "{first}");
    assert_eq!(first["billingPerson"].get("companyName"), None, "{first}");
    let second = &rows[1]["body"]["billingPerson"];
    for field in ["phone", "companyName", "street", "stateOrProvinceName"] {
        assert_eq!(second.get(field), None, "{field}: {second}");
    }
    assert_eq!(second["city"], "Leeds");
    let third = &rows[2]["body"]["billingPerson"];
    assert_eq!(third.get("name"), None, "an email is no name: {third}");
    assert_eq!(third["phone"], "+34 600 123 456");
    assert_eq!(rows[3]["status"], "invalid");
    let error = rows[3]["error"].as_str().unwrap();
    assert!(error.starts_with("Email \"\": required"), "{error}");
    assert_eq!(
        summary["left_blank"],
        json!([
            {"kind": "placeholder", "column": "Email", "cells": 1},
            {"kind": "placeholder", "column": "Phone Number", "cells": 3},
            {"kind": "placeholder", "column": "Company Name", "cells": 3},
            {"kind": "placeholder", "column": "Street Address", "cells": 1},
            {"kind": "placeholder", "column": "State/Region", "cells": 2},
            {"kind": "email_as_name", "column": "First Name + Last Name", "cells": 1},
        ])
    );
}

/// The summary a person reads says the same, once per kind: the total, then each column.
#[tokio::test]
async fn the_summary_text_names_each_kind_once() {
    let ws = Workspace::new(&read_value_sample("hubspot-placeholders.csv"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ecwid-import"))
        .args(["validate", ws.input.to_str().unwrap()])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stderr);
    // The summary's lines, not the log's (which start with their level).
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("left") && !l.starts_with(' '))
        .collect();
    assert_eq!(
        lines,
        [
            "10 cells held a placeholder (null, N/A, -, ...) and were left blank: Email 1, \
             Phone Number 3, Company Name 3, Street Address 1, State/Region 2",
            "1 name was an email address and was left out: First Name + Last Name 1",
        ],
        "{text}"
    );
}

/// A Shopify export re-saved by a spreadsheet: a phone or postal code saved as a float
/// (`46701234567.00`, `97201.0`) is sent without its zeros; one in exponent form (`5.51E+12`),
/// its digits lost, makes the row invalid, naming the rounding and how to keep the column as
/// text. The rounded `Customer ID`, not imported, is no reason to refuse a row.
#[tokio::test]
async fn numbers_a_spreadsheet_changed() {
    let (code, _, rows) = import("shopify-excel-resaved.csv").await;
    assert_eq!(code, 1);
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["invalid", "created", "created", "invalid"]);
    let first = rows[0]["error"].as_str().unwrap();
    assert!(
        first.starts_with("Phone \"5.51E+12\": a spreadsheet rounded this number"),
        "{first}"
    );
    assert!(first.contains("column type Text"), "{first}");
    let last = rows[3]["error"].as_str().unwrap();
    assert!(
        last.starts_with("Zip \"9.7201E+4\": a spreadsheet rounded"),
        "{last}"
    );
    assert_eq!(rows[1]["body"]["billingPerson"]["phone"], "46701234567");
    assert_eq!(rows[2]["body"]["billingPerson"]["phone"], "561156445");
    assert_eq!(rows[2]["body"]["billingPerson"]["postalCode"], "97201");
}
