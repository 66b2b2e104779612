//! Presets and mapping files: the exact request each Shopify and WooCommerce export's rows
//! become, imports of real-looking exports into the sandbox with no flags, and `--preset`.
//! Which export a header is detected as is in `preset_detection.rs`; mapping files and header
//! errors are in `mapping.rs`.

use std::path::{Path, PathBuf};

use clap::Parser;
use csv::ByteRecord;
use ecwid_import::cli::Cli;
use ecwid_import::input::mapping::{Choice, ColumnMap, HeaderError, Layout};
use ecwid_import::input::mapping_file::MappingFile;
use ecwid_import::input::presets::Preset;
use ecwid_import::sandbox::Sandbox;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::support::{Workspace, column};

pub(crate) fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/presets")
        .join(name)
}

pub(crate) fn read_sample(name: &str) -> String {
    std::fs::read_to_string(sample(name)).expect("sample readable")
}

/// The header and rows of a CSV text.
fn parse(csv: &str) -> (ByteRecord, Vec<ByteRecord>) {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.byte_headers().expect("header").clone();
    let rows = reader.byte_records().map(|r| r.expect("row")).collect();
    (headers, rows)
}

pub(crate) fn map(
    csv: &str,
    layout: &Layout,
) -> Result<(ColumnMap, Choice, Vec<ByteRecord>), HeaderError> {
    let (headers, rows) = parse(csv);
    let (map, choice) = ColumnMap::new(&headers, layout)?;
    Ok((map, choice, rows))
}

/// Row `n` (1-based) of a sample mapped with detection: its JSON body and notes.
fn row_body(name: &str, n: usize) -> (Value, Vec<String>) {
    let (map, _, rows) = map(&read_sample(name), &Layout::default()).expect("header maps");
    let mapped = map.request(&rows[n - 1]).expect("row is valid");
    (serde_json::to_value(&mapped.request).unwrap(), mapped.notes)
}

pub(crate) fn mapping(text: &str) -> MappingFile {
    MappingFile::parse(Path::new("m.toml"), text).expect("valid mapping")
}

/// `ecwid-import <args> -q` in-process: the exit status, and the error message if any.
pub(crate) async fn run(args: &[&str]) -> (i32, String) {
    let mut all = vec!["ecwid-import"];
    all.extend(args);
    all.push("-q");
    let cli = Cli::try_parse_from(all).expect("valid command line");
    match ecwid_import::run(cli, None).await {
        Ok(status) => (status.code(), String::new()),
        Err(e) => (e.exit_status().code(), e.to_string()),
    }
}

/// The stored customer with this email, as JSON.
pub(crate) fn stored(store: &Sandbox, email: &str) -> Value {
    let customer = store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some(email))
        .unwrap_or_else(|| panic!("{email} is stored"));
    serde_json::to_value(&customer.customer).unwrap()
}

/// A current Shopify row: names and address lines joined, quotes stripped, address phone.
#[test]
fn shopify_current_row_gives_exactly_this_body() {
    let (body, notes) = row_body("shopify-current.csv", 1);
    assert_eq!(
        body,
        json!({
            "email": "zoe.mueller@example.de",
            "acceptMarketing": true,
            "taxExempt": false,
            "privateAdminNotes": "Prefers email.\nCall only after 17:00.",
            "billingPerson": {
                "name": "Zoë Müller-Lüdenscheidt",
                "companyName": "Café Größe GmbH",
                "street": "Königstraße 12\nHinterhaus, 3. OG",
                "city": "Stuttgart",
                "stateOrProvinceCode": "BW",
                "countryCode": "DE",
                "postalCode": "70173",
                "phone": "+49 711 1234567",
            },
        })
    );
    assert!(notes.is_empty(), "{notes:?}");
    let (body, _) = row_body("shopify-current.csv", 2);
    assert_eq!(body["billingPerson"]["phone"], "+7 495 123-45-67");
    assert_eq!(
        body["billingPerson"]["street"],
        "ул. Тверская, д. 7\nкв. 12"
    );
    assert_eq!(body["billingPerson"]["name"], "Иван Петров");
    let (body, _) = row_body("shopify-current.csv", 6);
    assert_eq!(body["billingPerson"]["name"], "Núñez");
}

/// Tax Exempt = yes with no tax ID: sent without it, with a note saying so.
#[test]
fn shopify_tax_exempt_row_is_sent_without_it_with_a_note() {
    let (body, notes) = row_body("shopify-current.csv", 3);
    assert_eq!(body.get("taxExempt"), None);
    assert_eq!(body["billingPerson"]["name"], "太郎 山田");
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].starts_with("Tax Exempt \"yes\" not sent"),
        "{notes:?}"
    );
    assert!(notes[0].contains("tax ID"), "{notes:?}");
}

/// The previous and oldest Shopify exports: bare address columns, Country as the name.
#[test]
fn older_shopify_rows_give_exactly_these_bodies() {
    assert_eq!(
        row_body("shopify-previous.csv", 1).0,
        json!({
            "email": "lukasz.wisniewski@example.pl",
            "acceptMarketing": true,
            "taxExempt": false,
            "billingPerson": {
                "name": "Łukasz Wiśniewski",
                "companyName": "Wiśniewski Sp. z o.o.",
                "street": "ul. Marszałkowska 84/92\nlok. 5",
                "city": "Warszawa",
                "stateOrProvinceCode": "MZ",
                "countryCode": "PL",
                "countryName": "Poland",
                "postalCode": "00-514",
                "phone": "+48 22 123 45 67",
            },
        })
    );
    assert_eq!(
        row_body("shopify-oldest.csv", 1).0,
        json!({
            "email": "jose.goncalves@example.pt",
            "acceptMarketing": true,
            "taxExempt": false,
            "billingPerson": {
                "name": "José Gonçalves",
                "street": "Rua Augusta 274\n2.º Esq.",
                "city": "Lisboa",
                "stateOrProvinceCode": "11",
                "countryCode": "PT",
                "countryName": "Portugal",
                "postalCode": "1100-053",
                "phone": "+351 21 123 4567",
            },
        })
    );
    assert_eq!(
        row_body("shopify-oldest.csv", 2).0.get("acceptMarketing"),
        Some(&json!(false))
    );
}

/// WebToffee: billing and shipping blocks; a blank block is left out, names fall back.
#[test]
fn webtoffee_rows_give_exactly_these_bodies() {
    let address = json!({
        "name": "静 陈",
        "street": "信義路五段7號",
        "city": "台北市",
        "countryCode": "TW",
        "postalCode": "110",
        "phone": "+886 2 1234 5678",
    });
    let mut shipping = address.clone();
    shipping["companyName"] = json!("台北101");
    shipping["street"] = json!("信義路五段7號 89樓");
    shipping["phone"] = json!("+886 2 8101 8800");
    assert_eq!(
        row_body("woocommerce-webtoffee.csv", 4).0,
        json!({
            "email": "chen.jing@example.tw",
            "billingPerson": address,
            "shippingAddresses": [shipping],
        })
    );
    assert_eq!(
        row_body("woocommerce-webtoffee.csv", 2).0,
        json!({
            "email": "dmitry.volkov@example.kz",
            "billingPerson": {
                "name": "Дмитрий Волков",
                "street": "пр. Абая 10",
                "city": "Алматы",
                "countryCode": "KZ",
                "postalCode": "050000",
                "phone": "+7 727 123 4567",
            },
        })
    );
    let noah = row_body("woocommerce-webtoffee.csv", 5).0;
    assert_eq!(
        noah["billingPerson"]["street"],
        "1100 Congress Ave\nSuite 200\nAttn: Accounts"
    );
}

/// SkyVerge: billing names before the account's; the shipping block as shippingAddresses.0.
#[test]
fn skyverge_rows_give_exactly_these_bodies() {
    assert_eq!(
        row_body("woocommerce-skyverge.csv", 1).0,
        json!({
            "email": "amelie.dubois@example.be",
            "billingPerson": {
                "name": "Amélie Dubois",
                "companyName": "Chocolaterie Dubois SPRL",
                "street": "Rue Neuve 21",
                "city": "Bruxelles",
                "countryCode": "BE",
                "postalCode": "1000",
                "phone": "+32 2 123 45 67",
            },
            "shippingAddresses": [{
                "name": "Amélie Dubois",
                "street": "Avenue Louise 54\nBoîte 3",
                "city": "Ixelles",
                "countryCode": "BE",
                "postalCode": "1050",
            }],
        })
    );
    let hiroshi = row_body("woocommerce-skyverge.csv", 3).0;
    assert_eq!(hiroshi["billingPerson"]["name"], "Hiroshi Sato");
    assert_eq!(hiroshi["billingPerson"]["stateOrProvinceCode"], "JP27");
    assert_eq!(hiroshi.get("shippingAddresses"), None);
}

/// Analytics: a two-letter Country / Region is the code, anything else the name.
#[test]
fn analytics_rows_give_exactly_these_bodies() {
    assert_eq!(
        row_body("woocommerce-analytics.csv", 1).0,
        json!({
            "email": "bjork@example.is",
            "billingPerson": {
                "name": "Björk Guðmundsdóttir",
                "city": "Reykjavík",
                "countryCode": "IS",
                "postalCode": "101",
            },
        })
    );
    let alexey = row_body("woocommerce-analytics.csv", 2).0;
    assert_eq!(alexey["billingPerson"]["countryName"], "Belarus");
    assert_eq!(alexey["billingPerson"].get("countryCode"), None);
    assert_eq!(
        row_body("woocommerce-analytics.csv", 3).0["billingPerson"]["stateOrProvinceCode"],
        "MA"
    );
}

/// A Shopify export and every WooCommerce export import with no flags, with their fields.
#[tokio::test]
async fn exports_import_into_the_sandbox_with_no_flags() {
    let store = start(store_args()).await;
    for (name, rows) in [
        ("shopify-current.csv", 6),
        ("woocommerce-webtoffee.csv", 5),
        ("woocommerce-skyverge.csv", 4),
        ("woocommerce-analytics.csv", 5),
    ] {
        let ws = Workspace::new(&read_sample(name));
        assert_eq!(ws.import(&store.api_url(), &[]).await, 0, "{name}");
        let results = ws.results();
        assert_eq!(column(&results, "status"), vec!["created"; rows], "{name}");
    }
    assert_eq!(store.customers().len(), 20);
    let zoe = stored(&store, "zoe.mueller@example.de");
    assert_eq!(
        zoe["billingPerson"]["street"],
        "Königstraße 12\nHinterhaus, 3. OG"
    );
    assert_eq!(zoe["billingPerson"]["postalCode"], "70173");
    let fatima = stored(&store, "fatima.alzahra@example.ae");
    assert_eq!(fatima["billingPerson"]["name"], "فاطمة الزهراء");
    assert_eq!(fatima["privateAdminNotes"], "عميل مميز");
    let theo = stored(&store, "theo.papadopoulos@example.gr");
    assert_eq!(
        theo["shippingAddresses"][0]["companyName"],
        "Papadopoulos & Sons"
    );
    let li = stored(&store, "li.na@example.cn");
    assert_eq!(li["billingPerson"]["city"], "上海");
    let yamada = stored(&store, "yamada.taro@example.jp");
    assert_eq!(yamada.get("taxExempt"), None);
    store.shutdown().await;
}

/// The Tax Exempt note reaches the results file's error column of a created row.
#[tokio::test]
async fn tax_exempt_note_is_in_the_results() {
    let store = start(store_args()).await;
    let ws = Workspace::new(&read_sample("shopify-previous.csv"));
    assert_eq!(ws.import(&store.api_url(), &[]).await, 0);
    let results = ws.results();
    assert_eq!(results[2]["status"], "created");
    assert!(
        results[2]["error"].starts_with("Tax Exempt \"yes\" not sent"),
        "{results:?}"
    );
    assert_eq!(results[0]["error"], "");
    store.shutdown().await;
}

/// `--preset` wins over detection: a header with no signature read as WooCommerce.
#[tokio::test]
async fn preset_option_overrides_detection() {
    let csv = "Name,Email,City,Postal Code\nAnn Lee,ann@example.com,Oslo,'0150\n";
    let (map_auto, choice, rows) = map(csv, &Layout::default()).unwrap();
    assert_eq!(choice.preset, Preset::Ecwid);
    // Detected as no export: City and Postal Code are matched by meaning.
    assert!(choice.matched_by_meaning(), "{choice}");
    assert!(map_auto.not_imported().is_empty());
    let fixed = Layout {
        preset: Some(Preset::WooCommerce),
        mapping: None,
    };
    let (map_woo, choice, _) = map(csv, &fixed).unwrap();
    assert_eq!(
        choice.to_string(),
        "preset woocommerce (chosen with --preset)"
    );
    assert!(map_woo.not_imported().is_empty());
    let city = serde_json::to_value(map_woo.request(&rows[0]).unwrap().request).unwrap();
    assert_eq!(city["billingPerson"]["postalCode"], "0150");

    let store = start(store_args()).await;
    let ws = Workspace::new(csv);
    assert_eq!(
        ws.import(&store.api_url(), &["--preset", "woocommerce"])
            .await,
        0
    );
    assert_eq!(
        stored(&store, "ann@example.com")["billingPerson"]["city"],
        "Oslo"
    );
    store.shutdown().await;
}

/// A Mailchimp audience with the `Company` field many audiences add: the company, not a
/// column left out; the packed address split with double spaces.
#[test]
fn a_mailchimp_company_field_is_the_company() {
    let (map, choice, _) = map(
        &read_sample("mailchimp-with-company.csv"),
        &Layout::default(),
    )
    .unwrap();
    assert_eq!(choice.preset, Preset::Mailchimp);
    assert!(!map.not_imported().contains(&"Company".to_string()));
    let (body, _) = row_body("mailchimp-with-company.csv", 1);
    assert_eq!(body["billingPerson"]["companyName"], "Bloggs Inc");
    assert_eq!(body["billingPerson"]["street"], "1 Main St\nApt 2");
    assert_eq!(body["billingPerson"]["city"], "Springfield");
}
