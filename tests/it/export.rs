//! `export`: the store's customers as a file that imports back unchanged. Against the sandbox:
//! exported and imported into an empty store, the customers are the same field for field (what
//! the store assigns aside); imported back into the same store with `--on-existing update`,
//! every row is `unchanged` and no write is sent. Workbooks keep values text; filters pick
//! customers. Exports that stop are in `export_stops`.

use std::path::Path;

use ecwid_import::sandbox::{Sandbox, SandboxArgs};
use serde_json::{Map, Value, json};

use crate::e2e::{start, store_args};
use crate::fidelity::answered;
use crate::support::{Workspace, column, read_csv, run_in_process};

/// Customers using every field the tool reads and writes: multi-line streets, several shipping
/// addresses and contacts, extra fields, groups, e-invoicing, values a spreadsheet mangles
/// (phones with `+`, postal codes with leading zeros, long ids) or would evaluate.
fn customers() -> Vec<Value> {
    vec![
        json!({
            "email": "ann@example.com", "customerGroupId": 9_367_001,
            "billingPerson": {"name": "Ann Lee", "companyName": "@Lee & Co",
                              "street": "Hauptstr. 1\nHinterhaus, 3. OG", "city": "München",
                              "countryCode": "DE", "postalCode": "01234",
                              "stateOrProvinceCode": "BY", "phone": "+49 89 1234567"},
            "shippingAddresses": [
                {"name": "Ann Lee", "street": "Hauptstr. 1\nHinterhaus", "city": "München",
                 "countryCode": "DE", "postalCode": "01234", "phone": "+49 89 1234567"},
                {"name": "Lee Depot", "companyName": "Lee & Co", "street": "Dock 9\nGate B",
                 "city": "Hamburg", "countryCode": "DE", "postalCode": "20457",
                 "stateOrProvinceCode": "HH"},
            ],
            "contacts": [
                {"type": "PHONE", "contact": "+49 170 5550100", "note": "mobile", "default": true},
                {"type": "WHATSAPP", "contact": "+49 170 5550100", "handle": "annlee"},
                {"type": "EMAIL", "contact": "ann.work@example.com", "note": "=work"},
            ],
            "extrafields": [{"key": "loyalty", "value": "00012345678901234567"},
                            {"key": "source", "value": "-fair 2024"}],
            "taxId": "DE123456789", "taxIdValid": true, "taxExempt": true, "b2b_b2c": "b2b",
            "acceptMarketing": true, "lang": "de",
            "privateAdminNotes": "=HYPERLINK(\"http://x.example\")\nsecond line",
        }),
        json!({
            "email": "bob@example.com", "customerGroupName": "Wholesale",
            "billingPerson": {"name": "Bob Rossi", "countryCode": "IT", "city": "Roma",
                              "postalCode": "00184"},
            "contacts": [{"type": "EMAIL", "contact": "bob@example.com", "note": "newsletter"}],
            "fiscalCode": "RSSBBB80A01H501U", "electronicInvoicePecEmail": "bob@pec.example.it",
            "electronicInvoiceSdiCode": "0000000", "acceptMarketing": false, "lang": "fr",
            "taxId": "IT0123", "taxIdValid": false,
            "extrafields": [{"key": "loyalty", "value": "7"}],
        }),
        json!({"email": "carl@example.com", "acceptMarketing": false,
               "billingPerson": {"name": "Carl 'Q' Ng"}}),
    ]
}

/// A sandbox store that defines the extra fields of [`customers`] (each store gives its fields
/// keys of its own; these two stores share them).
fn with_fields() -> SandboxArgs {
    SandboxArgs {
        extra_fields: vec!["loyalty=Loyalty number".into(), "source=Source".into()],
        ..store_args()
    }
}

/// A sandbox store holding [`customers`].
async fn source() -> Sandbox {
    let store = start(with_fields()).await;
    for customer in customers() {
        store.seed_customer(customer).expect("seeded");
    }
    store
}

/// `ecwid-import export -o <output> --store-id 1003 --api-url <api> --token-file ... -q <extra>`
/// in-process; the exit status.
pub(crate) async fn export(ws: &Workspace, api_url: &str, output: &Path, extra: &[&str]) -> i32 {
    let mut args: Vec<String> = ["ecwid-import", "export", "-o"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(output.display().to_string());
    for arg in [
        "--store-id",
        "1003",
        "--api-url",
        api_url,
        "--rate",
        "60000",
        "-q",
    ] {
        args.push(arg.to_string());
    }
    args.push("--token-file".into());
    args.push(ws.token_file.display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    run_in_process(args).await
}

/// A workspace whose input is `file` (the export), results beside it.
fn importing(file: &Path) -> Workspace {
    let ws = Workspace::new("");
    let name = file.file_name().expect("a name");
    let input = ws.dir.path().join(name);
    std::fs::copy(file, &input).expect("copied");
    Workspace { input, ..ws }
}

fn results_of(ws: &Workspace) -> Vec<std::collections::HashMap<String, String>> {
    let stem = ws.input.file_stem().expect("stem").to_string_lossy();
    read_csv(&ws.dir.path().join(format!("{stem}.results.csv")))
}

/// The customer as far as a customer goes: the fields the tool reads and writes, without what
/// the store assigns (ids, times, derived names, formatting, the `EMAIL` contact it makes).
fn customer_fields(record: &Value) -> Value {
    let keep = |value: &Value, drop: &[&str]| -> Value {
        let mut fields: Map<String, Value> = value.as_object().cloned().unwrap_or_default();
        fields.retain(|k, v| !drop.contains(&k.as_str()) && !v.is_null());
        Value::Object(fields)
    };
    let mut out = keep(
        record,
        &[
            "id",
            "registered",
            "updated",
            "stats",
            "favorites",
            "totalOrderCount",
            "name",
        ],
    );
    let place = [
        "id",
        "createdDate",
        "addressFormatted",
        "firstName",
        "lastName",
    ];
    out["billingPerson"] = keep(&record["billingPerson"], &place);
    let list = |key: &str, drop: &[&str]| -> Value {
        let items = record[key].as_array().cloned().unwrap_or_default();
        Value::Array(items.iter().map(|item| keep(item, drop)).collect())
    };
    out["shippingAddresses"] = list("shippingAddresses", &place);
    out["contacts"] = list("contacts", &["id", "timestamp"]);
    // A store's entries carry the field's title and type from its settings: key and value are
    // the customer's.
    out["extrafields"] = list("extrafields", &["title", "type"]);
    out
}

/// Every customer of `store`, by email, as [`customer_fields`] sees it.
async fn held(store: &Sandbox) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for stored in store.customers() {
        let record = answered(store, stored.id).await;
        let email = record["email"].as_str().unwrap_or_default().to_string();
        all.push((email, customer_fields(&record)));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// Exported, imported into an empty store, the customers are the same field for field;
/// imported back into both stores with `--on-existing update`, every row is unchanged and no
/// write is sent.
async fn round_trip(name: &str) {
    let from = source().await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join(name);
    assert_eq!(export(&ws, &from.api_url(), &file, &[]).await, 0);
    assert_eq!(from.stats().requests, 1, "one page for three customers");

    let to = start(with_fields()).await;
    let into = importing(&file);
    let code = into.import(&to.api_url(), &["--rate", "60000"]).await;
    let results = results_of(&into);
    assert_eq!(code, 0, "{results:?}");
    assert_eq!(column(&results, "status"), ["created"; 3]);
    let (before, after) = (held(&from).await, held(&to).await);
    assert_eq!(before.len(), 3);
    for ((email, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(was, is, "{email}");
    }
    // The check above is not empty-handed: the values that travel are there.
    let ann = &after[0].1;
    assert_eq!(
        ann["billingPerson"]["street"],
        "Hauptstr. 1\nHinterhaus, 3. OG"
    );
    assert_eq!(ann["customerGroupName"], "VIP");
    assert_eq!(ann["contacts"].as_array().map(Vec::len), Some(4));
    assert_eq!(ann["extrafields"][0]["value"], "00012345678901234567");

    for store in [&from, &to] {
        let writes = (store.stats().creates, store.stats().updates);
        let again = importing(&file);
        let code = again
            .import(
                &store.api_url(),
                &["--rate", "60000", "--on-existing", "update"],
            )
            .await;
        let results = results_of(&again);
        assert_eq!(code, 0, "{results:?}");
        assert_eq!(column(&results, "status"), ["unchanged"; 3], "{results:?}");
        assert_eq!((store.stats().creates, store.stats().updates), writes);
    }
}

#[tokio::test]
async fn a_csv_export_imports_into_an_empty_store_and_back_unchanged() {
    round_trip("customers.csv").await;
}

#[tokio::test]
async fn a_workbook_export_imports_into_an_empty_store_and_back_unchanged() {
    round_trip("customers.xlsx").await;
}

/// The CSV: canonical columns, as many list entries as a customer has, extra fields by key,
/// cells a spreadsheet would evaluate guarded, the store's own `EMAIL` contact left out.
#[tokio::test]
async fn the_csv_has_the_canonical_columns_and_guarded_cells() {
    let store = source().await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("out.csv");
    assert_eq!(export(&ws, &store.api_url(), &file, &[]).await, 0);
    let rows = read_csv(&file);
    let header: Vec<String> = {
        let mut reader = csv::Reader::from_path(&file).expect("file");
        reader
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect()
    };
    let template = ecwid_import::template();
    for name in template
        .split(',')
        .filter(|n| !n.starts_with("extrafields."))
    {
        assert!(header.iter().any(|h| h == name), "{name}");
    }
    for name in [
        "shippingAddresses.1.street",
        "contacts.2.note",
        "extrafields.source",
    ] {
        assert!(header.iter().any(|h| h == name), "{name}");
    }
    assert!(!header.iter().any(|h| h == "extrafields.loyalty_id"));
    assert_eq!(
        column(&rows, "email"),
        ["ann@example.com", "bob@example.com", "carl@example.com"]
    );
    let ann = &rows[0];
    assert_eq!(ann["customerGroupName"], "VIP");
    assert_eq!(ann["customerGroupId"], "");
    assert_eq!(ann["billingPerson.phone"], "'+49 89 1234567");
    assert_eq!(ann["billingPerson.postalCode"], "01234");
    assert_eq!(ann["billingPerson.companyName"], "'@Lee & Co");
    assert_eq!(ann["contacts.2.note"], "'=work");
    assert_eq!(ann["extrafields.source"], "'-fair 2024");
    assert_eq!(ann["password"], "");
    // Bob's own email contact holds a note: kept. Carl's is the store's own: left out.
    assert_eq!(rows[1]["contacts.0.contact"], "bob@example.com");
    assert_eq!(rows[2]["contacts.0.contact"], "");
    assert_eq!(rows[1]["customerGroupName"], "Wholesale");
    assert_eq!(rows[2]["customerGroupName"], "");
    assert_eq!(rows[2]["billingPerson.name"], "Carl 'Q' Ng");
}

/// In the workbook every cell is text: a phone with `+`, a postal code with a leading zero and
/// a long id are not numbers.
#[tokio::test]
async fn workbook_cells_stay_text() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let store = source().await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("out.xlsx");
    assert_eq!(export(&ws, &store.api_url(), &file, &[]).await, 0);
    let mut book: Xlsx<_> = open_workbook(&file).expect("a workbook");
    let sheet = book.worksheet_range("Customers").expect("the sheet");
    let header: Vec<String> = sheet
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let ann: Vec<Data> = sheet.rows().nth(1).expect("a row").to_vec();
    for (name, value) in [
        ("billingPerson.phone", "'+49 89 1234567"),
        ("billingPerson.postalCode", "01234"),
        ("extrafields.loyalty", "00012345678901234567"),
        ("taxExempt", "true"),
    ] {
        assert_eq!(ann[at(name)], Data::String(value.into()), "{name}");
    }
}

/// `--group`, `--created-since` and `--updated-since` pick customers through the listing's own
/// filters; an unknown group is refused before the store is listed.
#[tokio::test]
async fn filters_pick_customers() {
    let store = source().await;
    // One more customer, registered now (the seeded ones registered a day ago).
    let ws = Workspace::new("email,name,customerGroupName\ndora@example.com,Dora,VIP\n");
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 0);
    let emails = |file: &Path| column(&read_csv(file), "email");
    let file = ws.dir.path().join("vip.csv");
    assert_eq!(
        export(&ws, &store.api_url(), &file, &["--group", " vip "]).await,
        0
    );
    assert_eq!(emails(&file), ["ann@example.com", "dora@example.com"]);
    let an_hour_ago = (std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
        .to_string();
    for option in ["--created-since", "--updated-since"] {
        let file = ws.dir.path().join("recent.csv");
        assert_eq!(
            export(&ws, &store.api_url(), &file, &[option, &an_hour_ago]).await,
            0
        );
        assert_eq!(emails(&file), ["dora@example.com"], "{option}");
    }
    let file = ws.dir.path().join("none.csv");
    let before = store.stats().requests;
    assert_eq!(
        export(&ws, &store.api_url(), &file, &["--group", "VIPs"]).await,
        2
    );
    assert_eq!(store.stats().requests, before + 1, "the groups only");
    assert!(!file.exists());
}
