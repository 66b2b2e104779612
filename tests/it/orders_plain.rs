//! An orders export with plain English labels (order number, customer email, billing and
//! shipping blocks, items): no platform's documented layout, such as a shop's own control-panel
//! export whose column list is not published (Ecwid's own orders export among them). Read as
//! an orders layout in general: the buyer is the customer, one customer for all their rows.

use std::path::Path;

use ecwid_import::input::mapping::Layout;
use serde_json::json;

use crate::crm::import;
use crate::presets::map;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/orders")
        .join(name);
    std::fs::read_to_string(path).expect("sample readable")
}

/// Told by `Order Number`; the buyer's name is the billing name (`Customer Name` after it);
/// the order's columns (total, statuses, items, date) are order data;
/// the buyer's rows (two line items of one order, a later order) are one customer with the
/// most recent order's details and both shipping addresses, the most recent first.
#[tokio::test]
async fn plain_english_orders_are_an_orders_layout() {
    let csv = read("plain-english-orders.csv");
    let (_, choice, _) = map(&csv, &Layout::default()).unwrap();
    let report = choice.to_string();
    assert!(
        report.contains(
            "an orders export (one row per order or line item, told by \"Order Number\")"
        ),
        "{report}"
    );
    // The billing name is the buyer's, before the customer's name column.
    assert!(
        report.contains("billingPerson.name from Billing Name or Shipping Name"),
        "{report}"
    );
    assert!(
        report.contains(
            "left out as order data: \"Order Number\", \"Order Date\", \"Order Total\", \
             \"Payment Status\", \"Fulfillment Status\", \"Item Name\", \"Item SKU\", \
             \"Item Quantity\", \"Item Price\""
        ),
        "{report}"
    );
    let (code, statuses, bodies) = import(&csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    assert_eq!(statuses, ["created", "merged", "merged"]);
    let ann = &bodies[0];
    assert_eq!(ann["email"], "ann@example.com");
    assert_eq!(
        ann["billingPerson"],
        json!({
            "name": "Ann Lee",
            "companyName": "Lee LLC",
            "street": "1 Main St",
            "city": "Austin",
            "stateOrProvinceCode": "TX",
            "postalCode": "78701",
            "countryCode": "US",
            "phone": "+1 555 0100",
        })
    );
    let shipping: Vec<(&str, &str)> = ann["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["city"].as_str().unwrap()))
        .collect();
    assert_eq!(shipping, [("Ann Lee", "Austin"), ("Bob Lee", "Dallas")]);
}
