//! Orders exports as a customer list (`tests/data/orders/`, written in each platform's
//! documented layout): the buyer is the customer, the rows of one buyer are one customer
//! (`merged`), order data is listed once as left out, the parts of an address stay together,
//! labels in other languages are read, and exports that never hold emails are refused saying so.

use std::path::{Path, PathBuf};

use ecwid_import::input::mapping::Layout;
use serde_json::{Value, json};

use crate::e2e::{assert_holds_each_once, start, store_args};
use crate::presets::{map, run, stored};
use crate::resume::{slow_store, wait_for_creates};
use crate::support::{Workspace, column};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/orders")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(sample(name)).expect("sample readable")
}

/// Imports a sample into a fresh sandbox: the exit status, the results, and the stored body of
/// each created row's customer (by row).
async fn import(
    name: &str,
) -> (
    i32,
    Vec<std::collections::HashMap<String, String>>,
    Vec<Value>,
) {
    let store = start(store_args()).await;
    let ws = Workspace::new(&read(name));
    let code = ws.import(&store.api_url(), &[]).await;
    let results = ws.results();
    let bodies = results
        .iter()
        .map(|r| {
            if r["status"] == "created" {
                stored(&store, &r["email"])
            } else {
                Value::Null
            }
        })
        .collect();
    store.shutdown().await;
    (code, results, bodies)
}

/// Shopify's `orders_export.csv`: the mapping report says it is an orders export and lists
/// the order's columns once as order data (`Name`, the order's `#1062`, among them), and they
/// are not listed again as not imported.
#[test]
fn shopify_orders_are_recognised_and_order_data_listed_once() {
    let (map, choice, _) = map(&read("shopify-orders.csv"), &Layout::default()).unwrap();
    let report = choice.to_string();
    assert!(
        report.contains(
            "an orders export (one row per order or line item, told by \"Lineitem quantity\")"
        ),
        "{report}"
    );
    let data = report.split("; left out as order data: ").nth(1).unwrap();
    for column in [
        "\"Name\"",
        "\"Lineitem name\"",
        "\"Total\"",
        "\"Payment Method\"",
        "\"Fulfillment Status\"",
        "\"Created at\"",
    ] {
        assert!(data.contains(column), "{column} in {data}");
    }
    assert!(
        !report.contains("\"Name\" -> billingPerson.name"),
        "{report}"
    );
    assert!(
        report.contains("\"Billing Name\" -> billingPerson.name"),
        "{report}"
    );
    assert!(
        report.contains("\"Shipping Company\" -> shippingAddresses.0.companyName"),
        "{report}"
    );
    let not_imported = map.not_imported();
    assert!(
        !not_imported.contains(&"Lineitem name".to_string()),
        "{not_imported:?}"
    );
    assert!(
        !not_imported.contains(&"Name".to_string()),
        "{not_imported:?}"
    );
}

/// The rows of one buyer are one customer: the later rows (another order, a line item, the
/// email in another case) are `merged`, naming the row they joined, and the run exits 0. The
/// buyer takes the most recent order's details (by `Created at`, whatever the file's order),
/// and each different shipping address is kept, the most recent first, each with its own
/// name, company and phone. A buyer with only a shipping name is named by it.
#[tokio::test]
async fn shopify_orders_make_one_customer_per_buyer() {
    let (code, results, bodies) = import("shopify-orders.csv").await;
    assert_eq!(code, 0, "{results:?}");
    assert_eq!(
        column(&results, "status"),
        ["created", "created", "merged", "merged", "created"]
    );
    for row in [2, 3] {
        assert!(
            results[row]["error"].starts_with("merged into row 2: another row of the same buyer"),
            "{}",
            results[row]["error"]
        );
    }
    let jonas = &bodies[1];
    assert_eq!(jonas["billingPerson"]["name"], "Jonas Weber");
    assert_eq!(jonas["billingPerson"]["street"], "Hauptstraße 5");
    assert_eq!(jonas["billingPerson"]["city"], "Berlin");
    assert_eq!(jonas["billingPerson"]["phone"], "+49 30 1234567");
    assert_eq!(
        jonas["acceptMarketing"], false,
        "the most recent order's answer"
    );
    let shipping: Vec<Value> = jonas["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            json!([
                a["name"],
                a["companyName"],
                a["street"],
                a["city"],
                a["phone"]
            ])
        })
        .collect();
    assert_eq!(
        shipping,
        [
            json!([
                "Lena Weber",
                "Weber GmbH",
                "Gartenweg 9",
                "Potsdam",
                "+49 331 765432"
            ]),
            json!([
                "Jonas Weber",
                null,
                "Alte Straße 1",
                "Hamburg",
                "+49 40 111111"
            ]),
        ]
    );
    assert_eq!(bodies[4]["billingPerson"]["name"], "Maya Lopez");
    // The order's `Phone`, the same number as the billing phone, is not a contact as well.
    assert_eq!(bodies[0].get("contacts"), None, "{}", bodies[0]);
    let amelia = &bodies[0]["billingPerson"];
    assert_eq!(amelia["name"], "Amelia Hart");
    assert_eq!(amelia["street"], "12 Rose Lane\nFlat 2");
    assert_eq!(amelia["postalCode"], "LS1 4AB");
}

/// A dry run says the same: the later rows of a buyer are `merged`, exit 0 (Shopify's and
/// Squarespace's orders, whose second line item repeats only the email and the item).
#[tokio::test]
async fn a_dry_run_merges_the_rows_of_a_buyer_too() {
    let path = sample("squarespace-orders.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("checked.csv");
    let (code, message) = run(&[
        "validate",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
    .await;
    assert_eq!(code, 0, "{message}");
    let rows = crate::support::read_csv(&out);
    assert_eq!(column(&rows, "status"), ["valid", "merged"]);
    let path = sample("shopify-orders.csv");
    let (code, message) = run(&[
        "validate",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
    .await;
    assert_eq!(code, 0, "{message}");
    let rows = crate::support::read_csv(&out);
    assert_eq!(
        column(&rows, "status"),
        ["valid", "valid", "merged", "merged", "valid"]
    );
}

/// An orders file of many buyers, several orders each, the later orders after other buyers'
/// first ones.
fn many_orders(buyers: usize) -> (String, Vec<String>) {
    let mut csv = String::from(
        "Order ID,Order Date,Email,Billing Name,Billing City,Shipping Name,Shipping City,\
         Item Name,Quantity,Order Total\n",
    );
    let emails: Vec<String> = (0..buyers)
        .map(|b| format!("buyer{b}@example.com"))
        .collect();
    let mut order = 1000;
    for round in 0..3 {
        for (b, email) in emails.iter().enumerate() {
            if round == 2 && b % 2 == 1 {
                continue;
            }
            order += 1;
            csv.push_str(&format!(
                "{order},2024-0{}-10,{email},Buyer {b},City {round},Buyer {b},Town {round},Mug,1,9.00\n",
                round + 1
            ));
        }
    }
    (csv, emails)
}

/// `kill -9` at any moment, then `--resume`: each buyer is in the store once, created by its
/// first row with the most recent order's details; every later row is `merged`; no create is
/// sent twice.
#[tokio::test]
async fn a_killed_orders_import_resumes_with_each_buyer_once() {
    const BUYERS: usize = 30;
    for stop_after in [1, 12] {
        let store = slow_store().await;
        let (csv, emails) = many_orders(BUYERS);
        let ws = Workspace::new(&csv);
        let args = ["--concurrency", "4"];
        let mut child = ws
            .import_process(&store.api_url(), &args)
            .spawn()
            .expect("spawn");
        wait_for_creates(&store, stop_after, &mut child).await;
        child.kill().expect("kill -9");
        child.wait().expect("reaped");
        let mut resume = ws.import_process(&store.api_url(), &[&args[..], &["--resume"]].concat());
        let output = tokio::task::spawn_blocking(move || resume.output())
            .await
            .unwrap()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr}");
        let results = ws.results();
        let statuses = column(&results, "status");
        assert_eq!(statuses.iter().filter(|s| *s == "created").count(), BUYERS);
        assert!(
            statuses[BUYERS..].iter().all(|s| s == "merged"),
            "{statuses:?}"
        );
        assert_holds_each_once(&store, &emails);
        let stats = store.stats();
        assert_eq!(stats.creates, BUYERS as u64, "after {stop_after}");
        assert_eq!(stats.duplicate_creates, 0, "after {stop_after}");
        let first = stored(&store, "buyer0@example.com");
        assert_eq!(first["billingPerson"]["city"], "City 2");
        let odd = stored(&store, "buyer1@example.com");
        assert_eq!(odd["billingPerson"]["city"], "City 1");
        assert_eq!(odd["shippingAddresses"].as_array().unwrap().len(), 2);
        store.shutdown().await;
    }
}

/// A buyer whose first row the store refuses: that row is `failed` (exit 1), and its merged
/// rows go to the failed-rows file with it, so that the fixed file makes the same customer from
/// all of the buyer's rows again.
#[tokio::test]
async fn a_failed_buyer_takes_its_merged_rows_to_the_failed_rows_file() {
    let store = start(ecwid_import::sandbox::SandboxArgs {
        refuse_domain: Some("refused.example".into()),
        ..store_args()
    })
    .await;
    let csv = "Order ID,Order Date,Email,Billing Name,Shipping City,Item Name,Order Total\n\
               1,2024-01-01,ann@refused.example,Ann,Leeds,Mug,9.00\n\
               2,2024-01-02,bob@example.com,Bob,York,Mug,9.00\n\
               3,2024-02-01,ann@refused.example,Ann Smith,Bath,Cup,5.00\n";
    let ws = Workspace::new(csv);
    let code = ws.import(&store.api_url(), &[]).await;
    assert_eq!(code, 1);
    let results = ws.results();
    assert_eq!(column(&results, "status"), ["failed", "created", "merged"]);
    let failed = std::fs::read_to_string(ws.failed_output()).unwrap();
    let lines: Vec<&str> = failed.lines().collect();
    assert_eq!(lines.len(), 3, "{failed}");
    assert!(
        lines[1].starts_with("1,") && lines[2].starts_with("3,"),
        "{failed}"
    );
    store.shutdown().await;

    let store = start(store_args()).await;
    let again = Workspace::new(&failed);
    assert_eq!(again.import(&store.api_url(), &[]).await, 0);
    assert_eq!(column(&again.results(), "status"), ["created", "merged"]);
    let ann = stored(&store, "ann@refused.example");
    assert_eq!(ann["billingPerson"]["name"], "Ann Smith");
    assert_eq!(ann["shippingAddresses"].as_array().unwrap().len(), 2);
    store.shutdown().await;
}

/// Shopify writes the UK's nations as the province (`ENG`): not a region Ecwid uses for GB, so
/// it is left out with a note, and the rest of the address is sent.
#[tokio::test]
async fn a_region_code_ecwid_does_not_use_is_left_out_with_a_note() {
    let (_, results, bodies) = import("shopify-orders.csv").await;
    let amelia = &bodies[0]["billingPerson"];
    assert_eq!(amelia["countryCode"], "GB");
    assert_eq!(amelia.get("stateOrProvinceCode"), None, "{amelia}");
    assert_eq!(
        bodies[0]["shippingAddresses"][0].get("stateOrProvinceCode"),
        None
    );
    let note = &results[0]["error"];
    assert!(
        note.contains("Billing Province \"ENG\" not sent: a nation of the United Kingdom, not a region Ecwid uses for GB"),
        "{note}"
    );
    // A German Land's code is Ecwid's own: sent.
    assert_eq!(bodies[1]["billingPerson"]["stateOrProvinceCode"], "BE");
}

/// Etsy and Amazon never export their buyers' emails: their orders files are refused, as any
/// file without an email column is, and the message says why, so the merchant stops looking.
#[tokio::test]
async fn exports_that_never_hold_emails_say_so() {
    // Amazon's order history: the product by its ASIN, the address in one cell.
    let history =
        Workspace::new("Order ID,ASIN,Shipping Address\n111-1,B000,\"Al Po, 1 Main St\"\n");
    for (path, platform) in [
        (sample("etsy-sold-orders.csv"), "Etsy"),
        (sample("amazon-order-report.txt"), "Amazon"),
        (history.input.clone(), "Amazon"),
    ] {
        let name = path.display();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("checked.csv");
        let (code, message) = run(&[
            "validate",
            path.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .await;
        assert_eq!(code, 2, "{name}");
        assert!(message.contains("no column holds the email"), "{message}");
        assert!(
            message.contains(&format!(
                "This is {platform}'s orders export, and {platform} never exports its buyers' \
                 email addresses"
            )),
            "{message}"
        );
    }
    // Another file without emails is refused as before, without the platform's words.
    let ws = Workspace::new("Order ID,Item Name,Quantity,Order Total,Full Name\n1,Mug,1,9,Al\n");
    let (input, out) = (ws.input.to_str().unwrap(), ws.output());
    let (code, message) = run(&["validate", input, "-o", out.to_str().unwrap()]).await;
    assert_eq!(code, 2);
    assert!(!message.contains("never exports"), "{message}");
}

/// Etsy writes the ship-to street as `Street 1`/`Street 2` beside `Ship City`, `Ship State`,
/// `Ship Zipcode`, `Ship Country`: one address, the shipping one, never split between two (a
/// merchant's copy with the buyers' emails added).
#[test]
fn an_address_written_half_prefixed_stays_one_address() {
    let csv = read("etsy-sold-orders.csv");
    let mut lines = csv.lines();
    let mut with_email = format!("{},Email\n", lines.next().unwrap());
    for (i, line) in lines.enumerate() {
        with_email.push_str(&format!("{line},buyer{i}@example.com\n"));
    }
    let (map, choice, rows) = map(&with_email, &Layout::default()).unwrap();
    let report = choice.to_string();
    assert!(
        report.contains("\"Street 1\" + \"Street 2\" -> shippingAddresses.0.street"),
        "{report}"
    );
    let body = serde_json::to_value(map.request(&rows[0]).unwrap().request).unwrap();
    assert_eq!(
        body["shippingAddresses"][0],
        json!({
            "street": "45 Elm Street\nApt 3",
            "city": "Springfield",
            "stateOrProvinceCode": "IL",
            "postalCode": "62704",
            "countryCode": "US",
        })
    );
    assert_eq!(body["billingPerson"], json!({"name": "Rosa Diaz"}));
}

/// A German Temu export: `Name des Empfängers` is the buyer's (and the shipping address's)
/// name, `Versandpostleitzahl (...)` the postal code, `Virtuelle E-Mail` the email, and the
/// city, state and country beside the `Versand...` columns belong to that same address. The
/// buyer's two orders are one customer with both addresses, the most recent first.
#[tokio::test]
async fn a_german_temu_export_is_read_as_the_english_one_would_be() {
    let (code, results, bodies) = import("temu-de.csv").await;
    assert_eq!(code, 0, "{results:?}");
    assert_eq!(column(&results, "status"), ["created", "merged"]);
    let petra = &bodies[0];
    assert_eq!(petra["email"], "petra.s8k2@relay.temu.example");
    assert_eq!(petra["billingPerson"]["name"], "Petra Schulz");
    let addresses = petra["shippingAddresses"].as_array().unwrap();
    assert_eq!(addresses.len(), 2);
    assert_eq!(addresses[0]["street"], "Bergstraße 12\nHinterhaus");
    assert_eq!(addresses[0]["postalCode"], "04109");
    assert_eq!(addresses[0]["city"], "Leipzig");
    assert_eq!(addresses[0]["countryCode"], "DE");
    assert_eq!(addresses[0]["phone"], "+49 171 2345678");
    assert_eq!(addresses[1]["city"], "Dresden");
}

/// A WooCommerce order export (Customer/Order/Coupon Export's default columns): the billing
/// block is the buyer, `billing_email` the email; the buyer's older order to another shipping
/// address adds that address.
#[tokio::test]
async fn woocommerce_orders_make_one_customer_per_buyer() {
    let (code, results, bodies) = import("woocommerce-orders.csv").await;
    assert_eq!(code, 0, "{results:?}");
    assert_eq!(column(&results, "status"), ["created", "merged"]);
    let claire = &bodies[0];
    assert_eq!(claire["billingPerson"]["name"], "Claire Martin");
    assert_eq!(claire["billingPerson"]["companyName"], "Atelier Martin");
    let names: Vec<&Value> = claire["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["name"])
        .collect();
    assert_eq!(names, [&json!("Claire Martin"), &json!("Jean Martin")]);
}

/// A mapping file (even one that turns matching by meaning off) does not make an orders export
/// a customer list: the rows of one buyer are still one customer.
#[tokio::test]
async fn an_orders_export_with_a_mapping_file_still_merges_its_buyers() {
    let ws = Workspace::new(&read("woocommerce-orders.csv"));
    let mapping = ws.dir.path().join("m.toml");
    std::fs::write(
        &mapping,
        "match_by_meaning = false\n[fields]\nemail = \"billing_email\"\n\
         \"billingPerson.name\" = { columns = [\"billing_first_name\", \"billing_last_name\"] }\n",
    )
    .unwrap();
    let out = ws.output();
    let (code, message) = run(&[
        "validate",
        ws.input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--mapping",
        mapping.to_str().unwrap(),
    ])
    .await;
    assert_eq!(code, 0, "{message}");
    let rows = crate::support::read_csv(&out);
    assert_eq!(column(&rows, "status"), ["valid", "merged"]);
}

/// Orders written with Ecwid's own order model's field names (`orderNumber`, `createDate`,
/// `billingPerson.*`, `shippingPerson.*`, one row per item): an orders layout like Shopify's.
/// The buyer's rows are one customer with the most recent order's billing address (`Lee
/// Design`, `5 Elm St`), and each different shipping address, the most recent first.
#[tokio::test]
async fn ecwid_orders_by_their_field_names_make_one_customer_per_buyer() {
    let (map, choice, _) = map(&read("ecwid-orders.csv"), &Layout::default()).unwrap();
    let report = choice.to_string();
    assert!(report.contains("an orders export"), "{report}");
    assert!(report.contains("\"items.name\""), "{report}");
    assert!(map.not_imported().is_empty(), "{:?}", map.not_imported());
    let (code, results, bodies) = import("ecwid-orders.csv").await;
    assert_eq!(code, 0, "{results:?}");
    assert_eq!(
        column(&results, "status"),
        ["created", "merged", "merged", "created"]
    );
    let ann = &bodies[0];
    assert_eq!(ann["billingPerson"]["companyName"], "Lee Design");
    assert_eq!(ann["billingPerson"]["street"], "5 Elm St");
    let shipping: Vec<&Value> = ann["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["street"])
        .collect();
    assert_eq!(shipping, [&json!("5 Elm St"), &json!("2 Oak Ave")]);
    assert_eq!(ann["shippingAddresses"][1]["name"], "Bob Lee");
    assert_eq!(bodies[3]["shippingAddresses"][0]["city"], "Berlin");
}
