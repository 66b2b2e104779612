//! `export`: the store's customers as a file that imports back unchanged. Against the sandbox:
//! exported and imported into an empty store, the customers are the same field for field (what
//! the store assigns aside); imported back into the same store with `--on-existing update`,
//! every row is `unchanged` and no write is sent. Workbooks keep values text; filters pick
//! customers; a stopped or failed export leaves no file.

use std::path::{Path, PathBuf};

use ecwid_import::sandbox::{Sandbox, SandboxArgs};
use serde_json::{Map, Value, json};

use crate::e2e::{start, store_args};
use crate::fidelity::answered;
use crate::support::{TOKEN, Workspace, column, read_csv, run_in_process};

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

/// A sandbox store holding [`customers`].
async fn source() -> Sandbox {
    let store = start(store_args()).await;
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

    let to = start(store_args()).await;
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

/// The files in `dir` other than the token, the inputs of the test and the output's lock (kept
/// between runs, as every command keeps it).
fn left_in(dir: &Path) -> Vec<PathBuf> {
    let mut left: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name != "token" && name != "customers.csv" && !name.ends_with(".lock")
        })
        .collect();
    left.sort();
    left
}

/// `ecwid-import export -o <file> ...` as a real process, the token in the environment.
fn export_process(store: &Sandbox, file: &Path, extra: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"));
    command
        .args(["export", "-o"])
        .arg(file)
        .args([
            "--store-id",
            "1003",
            "--api-url",
            &store.api_url(),
            "--rate",
            "60000",
        ])
        .args(extra)
        .env("ECWID_TOKEN", TOKEN)
        .env_remove("ECWID_STORE_ID")
        .env_remove("ECWID_API_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    command
}

/// Runs `command` to its end off the test's runtime (which serves the sandbox); its output.
async fn output_of(mut command: std::process::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("join")
        .expect("runs")
}

/// A store that cannot be read: the export says so and how many customers it read, writes no
/// file (an earlier one stays as it was) and leaves no temporary file.
#[tokio::test]
async fn a_failed_export_leaves_no_file_and_says_how_far_it_read() {
    let store = start(SandboxArgs {
        seed_customers: 250,
        fail_before: 1.0,
        ..store_args()
    })
    .await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("backup.csv");
    std::fs::write(&file, "the backup of yesterday\n").expect("written");
    let output = output_of(export_process(&store, &file, &["--max-retries", "0"])).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("could not be read to the end"), "{stderr}");
    assert!(stderr.contains("read 0 customers"), "{stderr}");
    assert!(stderr.contains("no file was written"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("kept"),
        "the backup of yesterday\n"
    );
    assert_eq!(left_in(ws.dir.path()), [file]);
    assert!(!stderr.contains(TOKEN));
}

/// Ctrl-C part-way: exit 130, the count of customers read, no file and no temporary file.
#[tokio::test]
async fn an_interrupted_export_leaves_no_file() {
    let store = start(SandboxArgs {
        seed_customers: 1_000,
        latency_ms: 100,
        ..store_args()
    })
    .await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("backup.csv");
    let mut child = export_process(&store, &file, &[]).spawn().expect("starts");
    crate::resume::wait_until(&mut child, || store.stats().requests >= 3).await;
    let output = crate::resume::interrupt_and_wait(child).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("export: interrupted"), "{stderr}");
    assert!(stderr.contains(" customers of 1,000 in "), "{stderr}");
    assert!(!stderr.contains("read 1,000 customers"), "{stderr}");
    assert!(!file.exists());
    assert_eq!(left_in(ws.dir.path()), Vec::<PathBuf>::new());
}

/// 250 customers cost three listing requests; past 10,000 the listing starts again from the
/// last registration time and reads every customer once.
#[tokio::test]
async fn the_store_is_read_a_hundred_customers_a_request() {
    let store = start(SandboxArgs {
        seed_customers: 10_050,
        ..store_args()
    })
    .await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("all.csv");
    assert_eq!(export(&ws, &store.api_url(), &file, &[]).await, 0);
    let emails = column(&read_csv(&file), "email");
    assert_eq!(emails.len(), 10_050);
    let distinct: std::collections::HashSet<&String> = emails.iter().collect();
    assert_eq!(distinct.len(), 10_050);
    // 101 pages, and the page of the restart.
    assert!(store.stats().requests <= 102, "{:?}", store.stats());
    assert_eq!(left_in(ws.dir.path()), [file]);
}

/// A field the store gives in a form that cannot be read is a blank cell, named in a warning;
/// the file is written and the export exits 1.
#[tokio::test]
async fn a_field_that_cannot_be_read_is_blank_and_the_export_exits_1() {
    let store = start(store_args()).await;
    store
        .seed_customer(
            json!({"email": "odd@example.com", "contacts": 5, "taxId": "X1",
                               "billingPerson": {"name": "Odd"}}),
        )
        .expect("seeded");
    let ws = Workspace::new("");
    let file = ws.dir.path().join("odd.csv");
    let output = output_of(export_process(&store, &file, &[])).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("contacts: a list was expected"), "{stderr}");
    assert!(stderr.contains("that cell is blank"), "{stderr}");
    let rows = read_csv(&file);
    assert_eq!(column(&rows, "billingPerson.name"), ["Odd"]);
    assert_eq!(column(&rows, "taxId"), ["X1"]);
    assert_eq!(column(&rows, "contacts.0.type"), [""]);
}

/// A customer deleted while the store is read pulls the later ones one place back: the export
/// sees the store's count fall, says that a customer may be missing, and exits 1.
#[tokio::test]
async fn a_customer_deleted_meanwhile_is_reported() {
    let store = start(SandboxArgs {
        seed_customers: 300,
        latency_ms: 150,
        ..store_args()
    })
    .await;
    let first = store
        .customers()
        .iter()
        .map(|c| c.id)
        .min()
        .expect("seeded");
    let ws = Workspace::new("");
    let file = ws.dir.path().join("all.csv");
    let mut child = export_process(&store, &file, &[]).spawn().expect("starts");
    crate::resume::wait_until(&mut child, || store.stats().requests >= 1).await;
    let url = format!("{}/1003/customers/{first}", store.api_url());
    let deleted = reqwest::Client::new()
        .delete(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("delete");
    assert!(deleted.status().is_success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("join")
        .expect("exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("customers were deleted while the store was read"),
        "{stderr}"
    );
    // The first page was read before the delete: 300 customers, or 299 with one skipped.
    let rows = read_csv(&file).len();
    assert!((299..=300).contains(&rows), "{rows}");
}

/// `--group` on a store whose plan has no customer groups: refused (exit 3), nothing listed, no
/// file, and the message says why.
#[tokio::test]
async fn a_group_on_a_plan_without_groups_is_refused() {
    let store = start(SandboxArgs {
        plan_without_groups: true,
        seed_customers: 5,
        ..store_args()
    })
    .await;
    let ws = Workspace::new("");
    let file = ws.dir.path().join("vip.csv");
    let output = output_of(export_process(&store, &file, &["--group", "VIP"])).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("no customer groups"), "{stderr}");
    assert_eq!(store.stats().requests, 1, "the groups only");
    assert!(!file.exists());
    // Without --group the same store exports.
    assert_eq!(export(&ws, &store.api_url(), &file, &[]).await, 0);
    assert_eq!(read_csv(&file).len(), 5);
}
