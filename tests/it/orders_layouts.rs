//! Orders exports in more of their documented layouts (`tests/data/orders/`): Shopify's with
//! its line items' rows (only the order's name, email, date and the item filled), the mapping
//! `template --mapping --from` prints for it, and the WooCommerce plugins that name a block
//! after the label (`First Name (Shipping)`).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::presets::stored;
use crate::support::{Workspace, column};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/orders")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(sample(name)).expect("sample readable")
}

/// Imports the file (with `extra` arguments) into a fresh sandbox: the exit status, the
/// results' statuses and the stored customers by email.
async fn import(ws: &Workspace, extra: &[&str], emails: &[&str]) -> (i32, Vec<String>, Vec<Value>) {
    let store = start(store_args()).await;
    let code = ws.import(&store.api_url(), extra).await;
    let statuses = column(&ws.results(), "status");
    let bodies = emails.iter().map(|e| stored(&store, e)).collect();
    store.shutdown().await;
    (code, statuses, bodies)
}

/// The mapping printed for Shopify's orders export is the one the run uses: the buyer named
/// by `Billing Name` (else `Shipping Name`), never by `Name`, the order's `#1005`, which is
/// listed with the other order data; read back with `--mapping`, it makes the same customers.
#[tokio::test]
async fn the_printed_mapping_of_an_orders_export_names_the_buyer_as_the_run_does() {
    let ws = Workspace::new(&read("shopify-orders-line-items.csv"));
    let text = crate::matcher::template_from(&ws.input);
    assert!(
        text.contains(
            "\"billingPerson.name\" = \"Billing Name\"   # else \"Shipping Name\" where that is \
             blank: an orders export's buyer\n"
        ),
        "{text}"
    );
    assert!(
        !text.contains("\"billingPerson.name\" = \"Name\""),
        "{text}"
    );
    let order_data = text.split("# Left out as order data").nth(1).expect(&text);
    for column in [
        "\"Name\"",
        "\"Lineitem name\"",
        "\"Total\"",
        "\"Created at\"",
    ] {
        assert!(
            order_data.contains(&format!("# \"?\" = {column}\n")),
            "{text}"
        );
    }
    assert!(!text.contains("the field is filled already"), "{text}");

    let emails = ["Sara.Jones@example.com", "gift.buyer@example.com"];
    let (code, statuses, plain) = import(&ws, &[], &emails).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "merged", "created", "merged"]);
    let mapping = ws.dir.path().join("m.toml");
    std::fs::write(&mapping, &text).unwrap();
    let (code, statuses, mapped) =
        import(&ws, &["--mapping", mapping.to_str().unwrap()], &emails).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "merged", "created", "merged"]);
    for (plain, mapped) in plain.iter().zip(&mapped) {
        for field in [
            "name",
            "billingPerson",
            "shippingAddresses",
            "acceptMarketing",
        ] {
            assert_eq!(plain[field], mapped[field], "{field}: {plain} / {mapped}");
        }
    }
    let sara = &mapped[0];
    assert_eq!(sara["billingPerson"]["name"], "Sara Jones");
    assert_eq!(sara["billingPerson"]["city"], "Boston");
    let shipping: Vec<&Value> = sara["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["name"])
        .collect();
    assert_eq!(shipping, [&json!("Tom Jones"), &json!("Sara Jones")]);
    // A gift order without a billing address: the buyer is named by the shipping name.
    assert_eq!(mapped[1]["billingPerson"]["name"], "Paula Gift");
}

/// WooCommerce's order export plugins name the block after the label, in brackets (`First
/// Name (Shipping)`, `City (Billing)`): each block stays whole, the shipping one a shipping
/// address of its own with its own name (before, it was read as a second billing block and
/// left out), and a line item's row joins its buyer.
#[tokio::test]
async fn a_block_named_after_the_label_is_that_block() {
    let ws = Workspace::new(&read("woocommerce-advanced-order-export.csv"));
    let text = crate::matcher::template_from(&ws.input);
    for line in [
        "\"shippingAddresses.0.name\" = { columns = [\"First Name (Shipping)\", \"Last Name \
         (Shipping)\"], separator = \" \" }",
        "\"shippingAddresses.0.city\" = \"City (Shipping)\"",
        "\"billingPerson.city\" = \"City (Billing)\"",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    let (code, statuses, bodies) =
        import(&ws, &[], &["marie@example.fr", "john@example.com"]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "merged", "merged", "created"]);
    let marie = &bodies[0];
    assert_eq!(marie["billingPerson"]["street"], "12 Rue Cuvier, Bât. B");
    assert_eq!(marie["billingPerson"]["companyName"], "Radium SARL");
    let shipping = marie["shippingAddresses"].as_array().unwrap();
    assert_eq!(shipping[0]["name"], "Pierre Curie");
    assert_eq!(shipping[0]["street"], "3 Rue Lhomond");
    assert_eq!(shipping[1]["name"], "Marie Curie");
    assert_eq!(shipping.len(), 2);
    // A buyer without a shipping block has no shipping address.
    assert_eq!(bodies[1].get("shippingAddresses"), None, "{}", bodies[1]);
}

/// A column the mapping report leaves out with its reason (`Billing Street` beside `Billing
/// Address1`, a shipping method) is not also called one that no field takes.
#[test]
fn a_column_left_out_with_a_reason_is_not_said_to_be_taken_by_no_field() {
    let csv = read("shopify-orders-line-items.csv");
    let (map, choice, _) = crate::presets::map(&csv, &Default::default()).unwrap();
    let report = choice.to_string();
    for reason in [
        "\"Billing Street\" (billingPerson.street comes from \"Billing Address1\" + \"Billing \
         Address2\")",
        "\"Shipping Method\" (a carrier or shipping method, not an address)",
    ] {
        assert!(report.contains(reason), "{reason} in {report}");
    }
    // The province's name beside the code a field takes is the same place, said so too.
    assert!(
        report.contains(
            "\"Billing Province Name\" (the name of the place whose code \"Billing Province\" \
             gives, which the store names itself)"
        ),
        "{report}"
    );
    assert!(map.not_imported().is_empty(), "{:?}", map.not_imported());
}

/// WebToffee's WooCommerce order export has the account's `customer_email` and the order's
/// `billing_email`: the same address twice is one email, not also an email contact; the
/// older order's different shipping address (with its own name, company and phone) is added.
#[tokio::test]
async fn the_order_s_billing_email_repeating_the_customer_s_is_no_contact() {
    let ws = Workspace::new(&read("woocommerce-webtoffee-orders.csv"));
    let (code, statuses, bodies) = import(&ws, &[], &["hans@example.de"]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "merged"]);
    let hans = &bodies[0];
    assert_eq!(hans.get("contacts"), None, "{hans}");
    assert_eq!(hans["billingPerson"]["city"], "Berlin");
    let shipping = hans["shippingAddresses"].as_array().unwrap();
    assert_eq!(shipping.len(), 2, "{hans}");
    assert_eq!(shipping[1]["name"], "Eva Müller");
    assert_eq!(shipping[1]["companyName"], "Müller GmbH");
    assert_eq!(shipping[1]["phone"], "+49 89 555");
}

/// Amazon's order report as it was written with `buyer-email` (the buyer's relay address):
/// imported, the buyer named by `buyer-name`, each different `recipient-name` address a
/// shipping address; `ship-service-level` is a shipping method, left out saying so.
#[tokio::test]
async fn an_amazon_order_report_with_the_buyer_s_email_is_imported() {
    let text = read("amazon-order-report-with-email.txt");
    // No cell holds a comma: the same table with commas, for the header's mapping.
    let (map, choice, _) =
        crate::presets::map(&text.replace('\t', ","), &Default::default()).unwrap();
    let report = choice.to_string();
    assert!(
        report.contains("\"ship-service-level\" (a carrier or shipping method, not an address)"),
        "{report}"
    );
    assert!(map.not_imported().is_empty(), "{:?}", map.not_imported());
    let ws = Workspace::new(&text);
    let relay = "abc123xyz@marketplace.amazon.com";
    let (code, statuses, bodies) = import(&ws, &[], &[relay]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "merged"]);
    let buyer = &bodies[0];
    assert_eq!(buyer["billingPerson"]["name"], "Ann Lee");
    let names: Vec<&Value> = buyer["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["name"])
        .collect();
    assert_eq!(names, [&json!("Ann Lee"), &json!("Bob Lee")]);
}

/// Etsy's other orders download, `EtsySoldOrderItems` (one row per item, `Ship Name`, `Ship
/// Address1`): refused for want of an email, and the message says first that Etsy never
/// exports buyers' emails, before the header and the ways to name an email column.
#[tokio::test]
async fn etsy_sold_order_items_are_refused_saying_why_first() {
    let ws = Workspace::new(&read("etsy-sold-order-items.csv"));
    let out = ws.output();
    let (code, message) = crate::presets::run(&[
        "validate",
        ws.input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
    .await;
    assert_eq!(code, 2);
    let reason = message.split(": ").nth(1).unwrap_or_default();
    assert!(
        reason.starts_with(
            "no column holds the email. This is Etsy's orders export, and Etsy never exports \
             its buyers' email addresses"
        ),
        "{message}"
    );
    assert!(
        message.contains("For reference: the header has \"Sale Date\""),
        "{message}"
    );
}
