//! Payment platforms' customer exports: Stripe's `unified_customers.csv` in two of its column
//! orders (`tests/data/presets/stripe-unified-customers*.csv`, written in the documented
//! layout).

use ecwid_import::input::mapping::Layout;
use ecwid_import::input::presets::Preset;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::presets::{map, read_sample, stored};
use crate::support::{Workspace, column};

/// Imports a sample into a fresh sandbox: exit status, statuses, and each created body.
async fn import(name: &str) -> (i32, Vec<String>, Vec<Value>) {
    let store = start(store_args()).await;
    let ws = Workspace::new(&read_sample(name));
    let code = ws.import(&store.api_url(), &[]).await;
    let results = ws.results();
    let bodies = results
        .iter()
        .map(|r| stored(&store, &r["email"]))
        .collect();
    store.shutdown().await;
    (code, column(&results, "status"), bodies)
}

/// Both column orders are detected as Stripe's; the metadata columns are named as left out,
/// and `Business Vat ID` is the tax ID, not a shipping column.
#[test]
fn stripe_exports_are_detected_in_any_column_order() {
    for name in [
        "stripe-unified-customers.csv",
        "stripe-unified-customers-newer.csv",
    ] {
        let (map, choice, _) = map(&read_sample(name), &Layout::default()).unwrap();
        assert_eq!(choice.preset, Preset::Stripe, "{name}");
        let report = choice.to_string();
        assert!(
            report.contains("(metadata)\" (metadata: the account's own field"),
            "{report}"
        );
        let not_imported = map.not_imported();
        assert!(
            not_imported.iter().all(|c| !c.contains("(metadata)")),
            "{not_imported:?}"
        );
        assert!(!not_imported.contains(&"Business Vat ID".to_string()));
        assert!(!not_imported.contains(&"Description".to_string()));
    }
}

/// The card's billing address is the billing address; `Card Name` is the person where `Name`
/// is a company (which becomes the company), an email address, or empty; `Description` is the
/// admin note and `Business Vat ID` the tax ID. Where `Name` is a person, it stays the name.
#[tokio::test]
async fn stripe_customers_reach_the_store_as_a_person_would_enter_them() {
    let (code, statuses, bodies) = import("stripe-unified-customers.csv").await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created"; 4]);
    let acme = &bodies[0];
    assert_eq!(
        acme["billingPerson"],
        json!({
            "name": "Greta Vogel",
            "companyName": "Acme Tools GmbH",
            "street": "Industriestraße 4\nHalle 2",
            "city": "Stuttgart",
            "stateOrProvinceCode": "BW",
            "postalCode": "70565",
            "countryCode": "DE",
        })
    );
    assert_eq!(acme["privateAdminNotes"], "Wholesale, invoice monthly");
    assert_eq!(acme["taxId"], "DE123456789");
    assert_eq!(bodies[1]["billingPerson"]["name"], "Sam Ortiz");
    assert_eq!(bodies[1]["billingPerson"].get("companyName"), None);
    assert_eq!(bodies[2]["billingPerson"]["name"], "Li Wei");
    assert_eq!(bodies[2]["billingPerson"]["postalCode"], "018956");
    assert_eq!(bodies[3]["billingPerson"]["name"], "Mia Kowalski");
}

/// The newer column order, with `Phone` and a shipping block.
#[tokio::test]
async fn a_newer_stripe_export_reads_its_phone_and_shipping_address() {
    let (code, _, bodies) = import("stripe-unified-customers-newer.csv").await;
    assert_eq!(code, 0);
    let ana = &bodies[0];
    assert_eq!(ana["billingPerson"]["name"], "Ana Reyes");
    assert_eq!(ana["billingPerson"]["phone"], "+34 600 123 456");
    assert_eq!(ana["shippingAddresses"][0]["city"], "Madrid");
    assert_eq!(ana["privateAdminNotes"], "VIP");
}

/// Stripe's `Name` holding an email address (as Stripe fills it when no name was given) or a
/// company's name: the person is the card's `Card Name`; the printed mapping names both
/// columns it tries, in order.
#[tokio::test]
async fn a_name_that_is_an_email_gives_way_to_the_card_name() {
    let ws = Workspace::new(&read_sample("stripe-unified-customers-email-names.csv"));
    let text = crate::matcher::template_from(&ws.input);
    assert!(
        text.contains("# \"Name\", then \"Card Name\" -> billingPerson.name, the first"),
        "{text}"
    );
    let (code, statuses, bodies) = import("stripe-unified-customers-email-names.csv").await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created"; 3]);
    assert_eq!(bodies[0]["billingPerson"]["name"], "Olga Kim");
    assert_eq!(bodies[0]["billingPerson"]["street"], "1 Bay St\nUnit 2");
    assert_eq!(bodies[0]["privateAdminNotes"], "Met at fair");
    assert_eq!(bodies[1]["billingPerson"]["name"], "Jan Bauer");
    assert_eq!(
        bodies[1]["billingPerson"]["companyName"],
        "Bauer Werkzeuge GmbH"
    );
    assert_eq!(bodies[1]["taxId"], "DE123456789");
    assert_eq!(bodies[2].get("billingPerson"), None, "{}", bodies[2]);
}
