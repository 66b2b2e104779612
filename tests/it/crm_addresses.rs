//! A CRM's second address and one-cell address (issue 27), read as a person would: Zoho CRM's
//! and Salesforce's `Other ...` block is a second address beside the `Mailing ...` one (the
//! customer's own), and Pipedrive's one-cell `Postal address` is the address where its
//! `Postal address - ...` parts are blank (the parts win where a row has them).

use ecwid_import::input::mapping::Layout;
use serde_json::json;

use crate::crm::{import, read};
use crate::presets::map;

/// Zoho CRM's contacts: `Mailing ...` is the billing address, `Other ...` a shipping address
/// of its own (never mixed into the billing one); `Other Phone` stays a phone.
#[tokio::test]
async fn zoho_other_address_is_a_second_address() {
    let (code, statuses, bodies) = import(&read("zoho-contacts.csv"), &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    let ines = &bodies[0];
    assert_eq!(ines["billingPerson"]["city"], "Paris");
    assert_eq!(
        ines["shippingAddresses"],
        json!([{
            "street": "3 Quai Perrache",
            "city": "Lyon",
            "postalCode": "69002",
            "countryCode": "FR",
        }])
    );
    // Omar has no address at all: none is sent.
    assert_eq!(bodies[1].get("shippingAddresses"), None, "{}", bodies[1]);
}

/// Salesforce's and Outlook's `Other ...` block comes after the file's shipping block
/// (Outlook's `Business ...`): three addresses, each whole.
#[tokio::test]
async fn other_address_comes_after_a_shipping_block() {
    let csv = "First Name,Last Name,E-mail Address,Home Street,Home City,Home Postal Code,\
               Home Country/Region,Business Street,Business City,Business Postal Code,\
               Business Country/Region,Other Street,Other City,Other Postal Code,\
               Other Country/Region,Other Phone\n\
               Kim,Lee,kim@example.com,1 Home Rd,Austin,78701,United States,2 Work Ave,Dallas,\
               75201,United States,3 Lake Ln,Tahoe City,96145,United States,+1 555 0130\n";
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    let kim = &bodies[0];
    assert_eq!(kim["billingPerson"]["city"], "Austin");
    assert_eq!(kim["billingPerson"]["phone"], "+1 555 0130");
    let cities: Vec<&str> = kim["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["city"].as_str().unwrap())
        .collect();
    assert_eq!(cities, ["Dallas", "Tahoe City"]);
    assert_eq!(kim["shippingAddresses"][1]["street"], "3 Lake Ln");
    assert_eq!(kim["shippingAddresses"][1]["postalCode"], "96145");
}

/// Pipedrive's people with `Postal address` and its parts: a row with the parts is read from
/// them (the one cell is the same address, not read); a row whose parts are blank (an address
/// Pipedrive could not take apart) is read from the one cell, split.
#[tokio::test]
async fn pipedrive_postal_address_is_read_where_its_parts_are_blank() {
    let csv = "Person - Name,Person - Email - Work,Person - Postal address,\
               Person - Postal address - Street/road name,Person - Postal address - House number,\
               Person - Postal address - City/town/village/locality,\
               Person - Postal address - ZIP/Postal code,Person - Postal address - Country\n\
               Ada Byron,ada@example.com,\"12 Queen St, London, W1A 1AA, United Kingdom\",\
               Queen St,12,London,W1A 1AA,United Kingdom\n\
               Cal Dune,cal@example.com,\"350 Fifth Avenue, New York, NY 10118, United States\",,,,,\n";
    let (_, choice, _) = map(csv, &Layout::default()).unwrap();
    assert!(
        choice.to_string().contains(
            "the whole address in one cell where the row leaves its parts blank: \"Postal \
             address\""
        ),
        "{choice}"
    );
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    assert_eq!(
        bodies[0]["billingPerson"],
        json!({
            "name": "Ada Byron",
            "street": "Queen St 12",
            "city": "London",
            "postalCode": "W1A 1AA",
            "countryCode": "GB",
        })
    );
    assert_eq!(
        bodies[1]["billingPerson"],
        json!({
            "name": "Cal Dune",
            "street": "350 Fifth Avenue",
            "city": "New York",
            "stateOrProvinceCode": "NY",
            "postalCode": "10118",
            "countryCode": "US",
        })
    );
}

/// Pipedrive's `Postal address` without its parts is the whole address, split.
#[tokio::test]
async fn pipedrive_postal_address_alone_is_split() {
    let csv = "Person - Name,Person - Email - Work,Person - Postal address\n\
               Cal Dune,cal@example.com,\"350 Fifth Avenue, New York, NY 10118, United States\"\n";
    let (code, statuses, bodies) = import(csv, &[]).await;
    assert_eq!(code, 0, "{statuses:?}");
    assert_eq!(bodies[0]["billingPerson"]["city"], "New York");
    assert_eq!(bodies[0]["billingPerson"]["street"], "350 Fifth Avenue");
    assert_eq!(bodies[0]["billingPerson"]["countryCode"], "US");
}

/// `template --mapping --from` says the one cell is read where its parts are blank, and the
/// mapping it prints, used with `--mapping`, makes the same customers.
#[tokio::test]
async fn the_printed_mapping_reads_the_postal_address_alike() {
    let csv = "Person - Name,Person - Email - Work,Person - Phone - Work,Person - Phone - Home,\
               Person - Postal address,Person - Postal address - Street/road name,\
               Person - Postal address - City/town/village/locality,\
               Person - Postal address - ZIP/Postal code,Person - Postal address - Country\n\
               Cal Dune,cal@example.com,,+1 555 0140,\"350 Fifth Avenue, New York, NY 10118, \
               United States\",,,,\n";
    let dir = tempfile::TempDir::new().unwrap();
    let input = dir.path().join("people.csv");
    std::fs::write(&input, csv).unwrap();
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"))
        .args(["template", "--mapping", "--from"])
        .arg(&input)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "# \"Postal address\" -> billingPerson: the whole address in one cell, read only on a \
             row whose parts (the lines above) are blank"
        ),
        "{text}"
    );
    let mapping = dir.path().join("mapping.toml");
    std::fs::write(&mapping, &text).unwrap();
    let (_, _, detected) = import(csv, &[]).await;
    let mapping = mapping.to_string_lossy().to_string();
    let (code, statuses, mapped) = import(csv, &["--mapping", &mapping]).await;
    assert_eq!(code, 0, "{statuses:?}");
    assert_eq!(mapped[0]["billingPerson"], detected[0]["billingPerson"]);
    assert_eq!(mapped[0]["billingPerson"]["city"], "New York");
    assert_eq!(mapped[0]["billingPerson"]["phone"], "+1 555 0140");
}
