//! A whole address in one cell (contract, Values): Amazon's order history writes the name,
//! street, city, province, postal code and country in one cell between commas; other lists
//! write an address as printed, or on lines. Split into its parts where the reading is
//! certain; anywhere else the whole text is the street, said once in the run's summary.

use serde_json::json;

use crate::values::import;

/// An order history in Amazon's layout (`Shipping Address`, `Billing Address`: name, street,
/// city, province, postal code, country), with the buyer's email beside it: each address is
/// split, the recipient's name included; a state written as a name (`Bayern`) is not certain,
/// so that address goes whole to the street and the summary counts it. `Website` is the
/// marketplace's, not the buyer's.
#[tokio::test]
async fn amazon_order_history_addresses_are_split_with_their_names() {
    let (code, summary, rows) = import("amazon-order-history.csv").await;
    assert_eq!(code, 0, "{rows:?}");
    assert_eq!(rows[1]["status"], "merged");
    let jane = &rows[0]["body"];
    let address = json!({
        "name": "Jane Doe",
        "street": "123 Main St\nApt 4",
        "city": "Seattle",
        "stateOrProvinceCode": "WA",
        "postalCode": "98101-1234",
        "countryCode": "US",
    });
    for (key, value) in address.as_object().unwrap() {
        assert_eq!(&jane["billingPerson"][key], value, "{key}: {jane}");
        assert_eq!(&jane["shippingAddresses"][0][key], value, "{key}: {jane}");
    }
    let li = &rows[2]["body"]["shippingAddresses"][0];
    assert_eq!(li["city"], "Montréal");
    assert_eq!(li["stateOrProvinceCode"], "QC");
    assert_eq!(li["postalCode"], "H3Z 2Y7");
    assert_eq!(li["countryCode"], "CA");
    let max = &rows[3]["body"];
    assert_eq!(
        max["shippingAddresses"][0]["street"],
        "Max Mustermann, Hauptstr. 1, München, Bayern, 80331, Germany"
    );
    assert_eq!(max["shippingAddresses"][0].get("city"), None, "{max}");
    assert_eq!(max["billingPerson"]["city"], "Berlin");
    assert_eq!(max["billingPerson"]["postalCode"], "10115");
    assert_eq!(max["billingPerson"]["countryCode"], "DE");
    assert_eq!(
        summary["left_blank"],
        json!([{"kind": "address_kept_whole", "column": "Shipping Address", "cells": 1}])
    );
    // `Website` (Amazon.com) is the marketplace's, not the buyer's.
    assert_eq!(jane.get("contacts"), None, "{jane}");
}

/// A list's lone `Address` column holds the whole address: printed with commas, the postal
/// code before the city (Germany) or after it (the UK, on lines), the state and zip in one
/// part (the US). The name columns keep the name; a street with a comma in it and a plain
/// street stay the street, and only the first is counted (it has parts, the other has none).
/// A region code Ecwid does not use for the country is left out with a note.
#[tokio::test]
async fn a_lone_address_column_is_read_as_the_whole_address() {
    let (code, summary, rows) = import("one-cell-addresses.csv").await;
    assert_eq!(code, 0, "{rows:?}");
    let billing = |i: usize| rows[i]["body"]["billingPerson"].clone();
    assert_eq!(
        billing(0),
        json!({"name": "Anna Schmidt", "street": "Hauptstraße 5", "city": "Berlin",
               "postalCode": "10115", "countryCode": "DE"})
    );
    assert_eq!(
        billing(1),
        json!({"name": "Tom Baker", "street": "10 Downing Street", "city": "London",
               "postalCode": "SW1A 2AA", "countryCode": "GB"})
    );
    assert_eq!(
        billing(2),
        json!({"name": "Sam Lee", "street": "1 Main St", "city": "Springfield",
               "stateOrProvinceCode": "IL", "postalCode": "62701", "countryCode": "US"})
    );
    assert_eq!(
        billing(3),
        json!({"name": "Luís Gonçalves", "street": "Av. Brigadeiro Faria Lima, 2170"})
    );
    assert_eq!(
        billing(4),
        json!({"name": "Kim Park", "street": "12 Elm Road"})
    );
    assert_eq!(
        summary["left_blank"],
        json!([{"kind": "address_kept_whole", "column": "Address", "cells": 1}])
    );
}

/// `template --mapping --from` says which street columns hold the whole address, and the
/// mapping it prints reads the file as the run does: the cell split, its name kept.
#[tokio::test]
async fn the_printed_mapping_names_the_whole_address_and_reads_it_the_same() {
    let ws = crate::support::Workspace::new(&crate::values::read_value_sample(
        "amazon-order-history.csv",
    ));
    let text = crate::matcher::template_from(&ws.input);
    assert!(
        text.contains(
            "\"shippingAddresses.0.street\" = \"Shipping Address\"   # the whole address in one \
             cell: split where that is certain, else the street"
        ),
        "{text}"
    );
    let mapping = ws.dir.path().join("m.toml");
    std::fs::write(&mapping, &text).unwrap();
    let store = crate::e2e::start(crate::e2e::store_args()).await;
    let code = ws
        .import(&store.api_url(), &["--mapping", mapping.to_str().unwrap()])
        .await;
    assert_eq!(code, 0);
    let jane = crate::presets::stored(&store, "jane.doe@example.com");
    assert_eq!(jane["shippingAddresses"][0]["name"], "Jane Doe");
    assert_eq!(jane["shippingAddresses"][0]["city"], "Seattle");
    assert_eq!(jane.get("contacts"), None, "{jane}");
    store.shutdown().await;
}

/// QuickBooks Desktop's customer list writes the customer's name (and its contact's) as the
/// first lines of `BillAddr1`..`BillAddr5` and `ShipAddr1`..: they name the addressee, so the
/// street starts after them, as a person would read the address block.
#[tokio::test]
async fn quickbooks_addressee_lines_are_not_the_street() {
    let csv = "ListID,Name,FirstName,LastName,CompanyName,Email,Phone,BillAddr1,BillAddr2,\
               BillAddr3,BillAddr4,BillAddr5,BillCity,BillState,BillZip,ShipAddr1,ShipAddr2,\
               ShipAddr3,ShipAddr4,ShipAddr5,ShipCity,ShipState,ShipZip\n\
               80000001-1,Lund Design,Kay,Lund,Lund Design,kay@example.com,555-0100,\
               Lund Design,Kay Lund,12 Harbour Rd,Unit 4,,Tampa,FL,33602,Lund Design,\
               Dock 3,,,,Tampa,FL,33605\n\
               80000002-1,Max Roe,Max,Roe,,max@example.com,,Max Roe,9 Elm St,,,,Miami,FL,\
               33101,,,,,,,,\n";
    let (code, statuses, bodies) = crate::crm::import(csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    let kay = &bodies[0];
    assert_eq!(kay["billingPerson"]["street"], "12 Harbour Rd\nUnit 4");
    assert_eq!(kay["billingPerson"]["name"], "Kay Lund");
    assert_eq!(kay["billingPerson"]["companyName"], "Lund Design");
    assert_eq!(kay["shippingAddresses"][0]["street"], "Dock 3");
    assert_eq!(bodies[1]["billingPerson"]["street"], "9 Elm St");
}
