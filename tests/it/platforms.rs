//! The presets of other platforms' exports (Magento, BigCommerce, PrestaShop, Wix, Squarespace,
//! Mailchimp, HubSpot, and WordPress users as WooCommerce): the rows of each sample in
//! `tests/data/presets/` reach the sandbox store as exactly the bodies in the snapshots
//! (`snapshots/it__platforms__*.snap`), with the status and error of every row. Which export
//! each sample is detected as, over all samples, is in `preset_detection.rs`.

use ecwid_import::input::mapping::Layout;
use ecwid_import::input::presets::Preset;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::presets::{map, read_sample, stored};
use crate::support::Workspace;

/// Other layouts of these exports: BigCommerce's default template, PrestaShop 1.6, Wix without
/// the subscriber status, HubSpot without the owner column.
#[test]
fn other_layouts_of_the_exports_are_detected() {
    for (header, preset) in [
        (
            "Customer ID,First Name,Last Name,Company,Email,Phone,Notes,Store Credit,\
             Customer Group,Date Joined,Addresses",
            Preset::BigCommerce,
        ),
        (
            "ID,Social title,First name,Last name,Email address,Sales,Enabled,Newsletter,\
             Opt-in,Registration,Last visit",
            Preset::PrestaShop,
        ),
        (
            "First Name,Last Name,Email 1,Phone 1,Address 1 - Street,Address 1 - City",
            Preset::Wix,
        ),
        (
            "Record ID,First Name,Last Name,Email,Create Date",
            Preset::HubSpot,
        ),
    ] {
        let (_, choice, _) = map(&format!("{header}\n"), &Layout::default()).expect(header);
        assert_eq!(choice.preset, preset, "{header}");
    }
}

/// Imports a sample into a fresh sandbox with no flags: the exit status, and per input row its
/// status, error and the body the store holds for it (null when none was created).
async fn import_sample(name: &str) -> (i32, Vec<Value>) {
    let store = start(store_args()).await;
    let ws = Workspace::new(&read_sample(name));
    let code = ws.import(&store.api_url(), &[]).await;
    let rows = ws
        .results()
        .iter()
        .map(|result| {
            let body = if result["status"] == "created" {
                stored(&store, &result["email"])
            } else {
                Value::Null
            };
            json!({
                "row": result["row"],
                "status": result["status"],
                "error": result["error"],
                "body": body,
            })
        })
        .collect();
    store.shutdown().await;
    (code, rows)
}

/// WordPress users without billing columns: the email and the name; neither the password hash
/// nor a plain-text password (`wt_hash` = no) is ever sent.
#[tokio::test]
async fn woocommerce_users_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("woocommerce-users.csv").await;
    assert_eq!(code, 0);
    for row in &rows {
        assert_eq!(row["body"].get("password"), None, "{row}");
    }
    insta::assert_json_snapshot!(rows);
}

/// Magento's main file: first, middle and last name joined; taxvat as the tax ID.
#[tokio::test]
async fn magento_main_rows_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("magento-main.csv").await;
    assert_eq!(code, 0);
    insta::assert_json_snapshot!(rows);
}

/// Magento's composite file: the address of the row as the billing person, the street's line
/// break kept; the row without an email is invalid because it continues the customer above.
#[tokio::test]
async fn magento_composite_rows_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("magento-composite.csv").await;
    assert_eq!(code, 1);
    assert_eq!(rows[1]["status"], "invalid");
    let error = rows[1]["error"].as_str().unwrap();
    assert!(
        error.starts_with("email \"\": blank: in Magento's composite export a row without an email continues the customer above it"),
        "{error}"
    );
    assert!(!error.contains("required"), "{error}");
    insta::assert_json_snapshot!(rows);
}

/// The same blank email in Magento's main file, which has no addresses, is only a missing email.
#[test]
fn a_blank_email_of_the_main_file_is_required_as_anywhere() {
    let csv = read_sample("magento-main.csv").replace("sofia.rossi@example.it", "");
    let (map, _, rows) = map(&csv, &Layout::default()).unwrap();
    let invalid = map.request(&rows[1]).unwrap_err();
    assert!(
        format!("{invalid:?}").contains("required: every customer needs an email"),
        "{invalid:?}"
    );
}

/// BigCommerce's Bulk Edit template: the customer's name, the first address as the billing
/// person, the second as the first shipping address; country names as names.
#[tokio::test]
async fn bigcommerce_rows_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("bigcommerce-bulk-edit.csv").await;
    assert_eq!(code, 0);
    insta::assert_json_snapshot!(rows);
}

/// PrestaShop's `;`-separated list: the newsletter flag as the marketing consent.
#[tokio::test]
async fn prestashop_rows_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("prestashop.csv").await;
    assert_eq!(code, 0);
    insta::assert_json_snapshot!(rows);
}

/// Wix: the first email and phone, the others as contacts; each address where its type says
/// (`Home` and `Work` as shipping addresses where none is typed shipping, `Billing` as the
/// billing address); `Language` where the store has it, else left out with a note; the
/// subscriber status word is consent only for `Subscribed` (`Unsubscribed` and `Never
/// subscribed` are no; on create every other word is `false` too, never implied).
#[tokio::test]
async fn wix_rows_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("wix.csv").await;
    assert_eq!(code, 0);
    let consent: Vec<&Value> = rows.iter().map(|r| &r["body"]["acceptMarketing"]).collect();
    assert_eq!(consent, [&json!(true), &json!(false), &json!(false)]);
    insta::assert_json_snapshot!(rows);
}

/// Squarespace: billing and shipping blocks, the billing name when the contact has none, and
/// `Accepts Marketing`.
#[tokio::test]
async fn squarespace_rows_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("squarespace.csv").await;
    assert_eq!(code, 0);
    insta::assert_json_snapshot!(rows);
}

/// Mailchimp: email, name, phone and notes; no consent read (the file is not told by its
/// header), so none is implied: `false`. The packed `Address` is split into the billing
/// address: six parts, or five without the second line (a blank second line keeps its two
/// spaces); a cell of any other shape is not certain, and goes whole to the street.
#[tokio::test]
async fn mailchimp_rows_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("mailchimp-subscribed.csv").await;
    assert_eq!(code, 0);
    for row in &rows {
        assert_eq!(row["body"]["acceptMarketing"], false, "{row}");
    }
    let billing = |i: usize| &rows[i]["body"]["billingPerson"];
    assert_eq!(billing(0)["street"], "12 Queen Street\nApt 4");
    assert_eq!(billing(0)["countryCode"], "NZ");
    assert_eq!(billing(2)["street"], "Calle Mayor 5");
    assert_eq!(billing(2)["city"], "Madrid");
    assert_eq!(billing(2)["countryCode"], "ES");
    assert_eq!(billing(3)["stateOrProvinceCode"], "IL");
    assert_eq!(billing(3)["postalCode"], "62701");
    assert_eq!(billing(4)["street"], "5 High Street, London", "{}", rows[4]);
    assert!(billing(4).get("city").is_none(), "{}", rows[4]);
    insta::assert_json_snapshot!(rows);
}

/// HubSpot: the contact's properties; the mobile phone when there is no phone number.
#[tokio::test]
async fn hubspot_rows_reach_the_store_as_these_bodies() {
    let (code, rows) = import_sample("hubspot.csv").await;
    assert_eq!(code, 0);
    insta::assert_json_snapshot!(rows);
}

/// `--preset` takes each new export by name, over detection.
#[tokio::test]
async fn preset_option_names_each_export() {
    let csv = "First Name,Last Name,Email,Phone Number\nAnn,Lee,ann@example.com,+47 22 00 00 00\n";
    let (_, choice, _) = map(csv, &Layout::default()).unwrap();
    assert_eq!(choice.preset, Preset::Ecwid);
    let store = start(store_args()).await;
    let ws = Workspace::new(csv);
    assert_eq!(
        ws.import(&store.api_url(), &["--preset", "hubspot"]).await,
        0
    );
    assert_eq!(
        stored(&store, "ann@example.com"),
        json!({
            "email": "ann@example.com",
            "billingPerson": {"name": "Ann Lee", "phone": "+47 22 00 00 00"},
            "acceptMarketing": false,
        })
    );
    store.shutdown().await;
    for name in [
        "magento",
        "bigcommerce",
        "prestashop",
        "wix",
        "squarespace",
        "mailchimp",
    ] {
        let ws = Workspace::new(csv);
        let input = ws.input.to_str().unwrap();
        let (code, message) = crate::presets::run(&["validate", input, "--preset", name]).await;
        // Wix names its email column `Email 1`: this header has none for it.
        let expected = if name == "wix" { 2 } else { 0 };
        assert_eq!(code, expected, "{name}: {message}");
    }
}

/// The real WebToffee users samples and Magento files, read where they are with `validate`:
/// each detected as its export, every row with its status, and the first row's body.
#[tokio::test]
async fn real_webtoffee_and_magento_files_are_detected_and_read() {
    let Some(dir) = crate::realworld::corpus("") else {
        return;
    };
    let mark = |last: &str, domain: &str| {
        json!({
            "email": format!("mark@{domain}"),
            "billingPerson": {"name": format!("Mark {last}")},
        })
    };
    let nealy = json!({
        "email": "AnthonyANealy@magento.com",
        "billingPerson": {
            "name": "Anthony A. Nealy",
            "street": "3176 Cambridge Court",
            "city": "Fayetteville",
            "stateOrProvinceName": "Arkansas",
            "countryCode": "US",
            "postalCode": "72701",
            "phone": "479-899-9849",
        },
    });
    let jon = json!({
        "email": "jondoe@example.com",
        "billingPerson": {
            "name": "Jon Doe",
            "street": "Main Street 1\nSuite 200",
            "city": "Campbell",
            "stateOrProvinceName": "California",
            "countryCode": "US",
            "postalCode": "95008",
            "phone": "123456789",
        },
    });
    let valid = |n: usize| vec!["valid"; n];
    for (file, preset, statuses, first) in [
        (
            "woocommerce/webtoffee_sample_users_v1_crlf.csv",
            Preset::WooCommerce,
            valid(1),
            mark("Wough", "xadapter.com"),
        ),
        (
            "woocommerce/webtoffee_sample_users_v2_wt_hash.csv",
            Preset::WooCommerce,
            valid(1),
            mark("Wough", "webtoffee.com"),
        ),
        (
            "woocommerce/webtoffee_sample_users_v3_customer_id.csv",
            Preset::WooCommerce,
            valid(1),
            mark("Wough", "webtoffee.com"),
        ),
        (
            "woocommerce/webtoffee_sample_users_v4_quoted.csv",
            Preset::WooCommerce,
            valid(1),
            mark("WebToffee", "webtoffee.com"),
        ),
        (
            "other/magento2_fixture_composite_extra_address_rows.csv",
            Preset::Magento,
            vec!["valid", "invalid", "valid", "valid", "valid"],
            nealy,
        ),
        (
            "other/magento2_fixture_customers_to_import.csv",
            Preset::Magento,
            valid(6),
            json!({"email": "AnthonyANealy@magento.com", "billingPerson": {"name": "Anthony A. Nealy"}}),
        ),
        (
            "other/magento2_sample_customer_composite.csv",
            Preset::Magento,
            valid(1),
            jon,
        ),
        (
            "other/magento2_sample_customer_main.csv",
            Preset::Magento,
            valid(1),
            json!({"email": "jondoe@example.com", "billingPerson": {"name": "Jon Doe"}}),
        ),
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).expect(file);
        let (map, choice, rows) = map(&text, &Layout::default()).expect(file);
        assert_eq!(choice.preset, preset, "{file}");
        let body = serde_json::to_value(map.request(&rows[0]).expect(file).request).unwrap();
        assert_eq!(body, first, "{file}");

        let out = tempfile::tempdir().unwrap();
        let results = out.path().join("results.csv");
        let (code, message) = crate::presets::run(&[
            "validate",
            path.to_str().unwrap(),
            "-o",
            results.to_str().unwrap(),
        ])
        .await;
        let expected = if statuses.contains(&"invalid") { 1 } else { 0 };
        assert_eq!(code, expected, "{file}: {message}");
        let results = crate::support::read_csv(&results);
        assert_eq!(
            crate::support::column(&results, "status"),
            statuses,
            "{file}"
        );
        for result in &results {
            if result["status"] == "invalid" {
                assert!(
                    result["error"].contains("continues the customer above it"),
                    "{file}: {result:?}"
                );
            }
        }
    }
}
