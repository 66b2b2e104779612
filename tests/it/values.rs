//! The values a person reads past (contract, Values): placeholders that stand for nothing,
//! names that are email addresses, and numbers a spreadsheet changed. Each on a file written in
//! its platform's export layout (`tests/data/values/`), imported into the sandbox with no flag.

use std::path::Path;

use ecwid_import::input::mapping::Layout;
use ecwid_import::input::mapping_file::MappingFile;
use ecwid_import::input::presets::Preset;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::presets::stored;
use crate::support::Workspace;

/// A file of `tests/data/values/`.
pub(crate) fn read_value_sample(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/values")
        .join(name);
    std::fs::read_to_string(path).expect("sample readable")
}

/// Imports a sample into a fresh sandbox: the exit status, the summary, the results rows and
/// the body the store holds for each created row (null for the others).
pub(crate) async fn import(name: &str) -> (i32, Value, Vec<Value>) {
    let store = start(store_args()).await;
    let ws = Workspace::new(&read_value_sample(name));
    let (code, summary) = ws.import_summary(&store.api_url(), &[]).await;
    let rows = ws
        .results()
        .iter()
        .map(|r| {
            let body = if r["status"] == "created" {
                stored(&store, &r["email"])
            } else {
                Value::Null
            };
            json!({"status": r["status"], "error": r["error"], "body": body})
        })
        .collect();
    store.shutdown().await;
    (code, summary, rows)
}

/// HubSpot contacts with `NULL`, `N/A`, `none`, `-`, `[not provided]`, `#N/A` and `undefined`
/// in text cells: each is blank (the field left out, a blank email is required as ever), a name
/// that is the email address is no name, and the summary counts each kind once per column.
#[tokio::test]
async fn placeholders_are_blank_and_counted_once_per_column() {
    let (code, summary, rows) = import("hubspot-placeholders.csv").await;
    assert_eq!(code, 1, "{rows:?}");
    let first = &rows[0]["body"];
    assert_eq!(first["billingPerson"]["name"], "Amara Okafor");
    assert_eq!(first["billingPerson"].get("phone"), None, "{first}");
    assert_eq!(first["billingPerson"].get("companyName"), None, "{first}");
    let second = &rows[1]["body"]["billingPerson"];
    for field in ["phone", "companyName", "street", "stateOrProvinceName"] {
        assert_eq!(second.get(field), None, "{field}: {second}");
    }
    assert_eq!(second["city"], "Leeds");
    let third = &rows[2]["body"]["billingPerson"];
    assert_eq!(third.get("name"), None, "an email is no name: {third}");
    assert_eq!(third["phone"], "+34 600 123 456");
    assert_eq!(rows[3]["status"], "invalid");
    let error = rows[3]["error"].as_str().unwrap();
    assert!(error.starts_with("Email \"\": required"), "{error}");
    assert_eq!(
        summary["left_blank"],
        json!([
            {"kind": "placeholder", "column": "Email", "cells": 1},
            {"kind": "placeholder", "column": "Phone Number", "cells": 3},
            {"kind": "placeholder", "column": "Company Name", "cells": 3},
            {"kind": "placeholder", "column": "Street Address", "cells": 1},
            {"kind": "placeholder", "column": "State/Region", "cells": 2},
            {"kind": "email_as_name", "column": "First Name + Last Name", "cells": 1},
        ])
    );
}

/// The summary a person reads says the same, once per kind: the total, then each column.
#[tokio::test]
async fn the_summary_text_names_each_kind_once() {
    let ws = Workspace::new(&read_value_sample("hubspot-placeholders.csv"));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ecwid-import"))
        .args(["validate", ws.input.to_str().unwrap()])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&output.stderr);
    // The summary's lines, not the log's (which start with their level).
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("left") && !l.starts_with(' '))
        .collect();
    assert_eq!(
        lines,
        [
            "10 cells held a placeholder (null, N/A, -, ...) and were left blank: Email 1, \
             Phone Number 3, Company Name 3, Street Address 1, State/Region 2",
            "1 name was an email address and was left out: First Name + Last Name 1",
        ],
        "{text}"
    );
}

/// A Shopify export re-saved by a spreadsheet: a phone or postal code saved as a float
/// (`46701234567.00`, `97201.0`) is sent without its zeros; one in exponent form (`5.51E+12`),
/// its digits lost, makes the row invalid, naming the rounding and how to keep the column as
/// text. The rounded `Customer ID`, not imported, is no reason to refuse a row.
#[tokio::test]
async fn numbers_a_spreadsheet_changed() {
    let (code, _, rows) = import("shopify-excel-resaved.csv").await;
    assert_eq!(code, 1);
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["invalid", "created", "created", "invalid"]);
    let first = rows[0]["error"].as_str().unwrap();
    assert!(
        first.starts_with("Phone \"5.51E+12\": a spreadsheet rounded this number"),
        "{first}"
    );
    assert!(first.contains("column type Text"), "{first}");
    let last = rows[3]["error"].as_str().unwrap();
    assert!(
        last.starts_with("Zip \"9.7201E+4\": a spreadsheet rounded"),
        "{last}"
    );
    assert_eq!(rows[1]["body"]["billingPerson"]["phone"], "46701234567");
    assert_eq!(rows[2]["body"]["billingPerson"]["phone"], "561156445");
    assert_eq!(rows[2]["body"]["billingPerson"]["postalCode"], "97201");
}

/// A customer list of no known export kept by a spreadsheet as text (`'01234`, `'+44 ...`:
/// Excel's text marker, which a person never types): the phone, postal code and further
/// phone are sent without the `'`; a `'` before anything else (a town's `'s-Hertogenbosch`)
/// stays.
#[tokio::test]
async fn a_spreadsheet_s_text_marker_before_a_number_is_not_sent() {
    let csv = "E-Mail,Vorname,Nachname,Telefon,Handy,PLZ,Ort\n\
               ann@example.com,Ann,Lee,'+44 20 7946 0000,'07700 900123,'01234,'s-Hertogenbosch\n";
    let store = start(store_args()).await;
    let ws = Workspace::new(csv);
    assert_eq!(ws.import(&store.api_url(), &[]).await, 0);
    let ann = stored(&store, "ann@example.com");
    assert_eq!(ann["billingPerson"]["phone"], "+44 20 7946 0000");
    assert_eq!(ann["billingPerson"]["postalCode"], "01234");
    assert_eq!(ann["billingPerson"]["city"], "'s-Hertogenbosch");
    assert_eq!(
        ann["contacts"],
        json!([{"type": "PHONE", "contact": "07700 900123"}])
    );
    store.shutdown().await;
}

/// Wix's contacts export: every address where its `Address N - Type` says, however many there
/// are (the billing one third in the file, two shipping ones, a home one left out with a note
/// beside shipping ones; home and work as shipping addresses where none is typed shipping);
/// `Email 2` and `Phone 2`, `Phone 3` as contacts; `Language` where the store has it, else left
/// out with a note (the row is still created).
#[tokio::test]
async fn wix_addresses_go_where_their_type_says() {
    let (code, _, rows) = import("wix-typed-addresses.csv").await;
    assert_eq!(code, 0, "{rows:?}");
    let mia = &rows[0]["body"];
    assert_eq!(mia["billingPerson"]["street"], "Rechnungsallee 1");
    assert_eq!(mia["billingPerson"]["name"], "Mia Keller");
    let streets: Vec<&Value> = mia["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["street"])
        .collect();
    assert_eq!(streets, [&json!("Lagerstraße 4"), &json!("Hafenstraße 9")]);
    let error = rows[0]["error"].as_str().unwrap();
    assert!(
        error.contains("Address 2 - Type \"Home\" not sent") && error.contains("typed shipping"),
        "{error}"
    );
    assert_eq!(mia["lang"], "de");
    assert_eq!(
        mia["contacts"],
        json!([
            {"contact": "mia@work.example.de", "type": "EMAIL"},
            {"contact": "+49 170 1234567", "type": "PHONE"},
            {"contact": "+49 171 7654321", "type": "PHONE"},
        ])
    );
    let noah = &rows[1]["body"];
    assert_eq!(noah["billingPerson"].get("street"), None, "{noah}");
    let cities: Vec<&Value> = noah["shippingAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["city"])
        .collect();
    assert_eq!(cities, [&json!("Stockholm"), &json!("Uppsala")]);
    assert_eq!(noah.get("lang"), None);
    let error = rows[1]["error"].as_str().unwrap();
    assert!(
        error.starts_with("lang \"sv\" not sent: not enabled in the store"),
        "{error}"
    );
}

/// Google Contacts writes several emails or phones in one cell, separated by ` ::: `; other
/// files use `;`. A phone whose `Phone N - Type` names a fax is no phone. The first is the email (or phone), the others contacts of the same type, and
/// a row whose email cell holds two addresses is valid, with the first. `Website 1 - Value` is
/// a URL contact.
#[tokio::test]
async fn several_values_in_one_cell() {
    let (code, _, rows) = import("google-contacts.csv").await;
    assert_eq!(code, 0, "{rows:?}");
    let ana = &rows[0]["body"];
    assert_eq!(ana["email"], "ana@example.com.br");
    assert_eq!(ana["billingPerson"]["phone"], "+55 11 91234 5678");
    let contacts = ana["contacts"].as_array().unwrap();
    for expected in [
        json!({"contact": "ana.souza@work.example.com.br", "type": "EMAIL"}),
        json!({"contact": "ana.other@example.com.br", "type": "EMAIL"}),
        json!({"contact": "+55 11 99876 5432", "type": "PHONE"}),
        json!({"contact": "https://ana.example.com.br", "type": "URL"}),
    ] {
        assert!(contacts.contains(&expected), "{expected} in {contacts:?}");
    }
    let ben = &rows[1]["body"];
    assert_eq!(ben["email"], "ben@example.com");
    // His second phone is typed `Work Fax`: a fax is not a phone, and is left out with a note.
    assert_eq!(
        ben["contacts"],
        json!([{"contact": "ben.ode@example.org", "type": "EMAIL"}])
    );
    let error = rows[1]["error"].as_str().unwrap();
    assert_eq!(
        error,
        "Phone 2 - Value \"+1 212 555 0199\" not sent: its type \"Work Fax\" says it is a \
         fax, not a phone"
    );
}

/// Google Contacts' `Address 1 - Type`: a `Home` address is a shipping address (none is typed
/// shipping), while the name, company and phone stay the customer's; the printed mapping says
/// so in `[address_types]`, and read back gives the same requests. Label columns of phones and
/// emails are left out with their reason.
#[tokio::test]
async fn typed_addresses_of_a_contacts_export() {
    let (code, _, rows) = import("google-contacts.csv").await;
    assert_eq!(code, 0, "{rows:?}");
    let ana = &rows[0]["body"];
    assert_eq!(ana["billingPerson"]["name"], "Ana Souza");
    assert_eq!(ana["billingPerson"]["companyName"], "Souza Ltda");
    assert_eq!(ana["billingPerson"].get("street"), None, "{ana}");
    assert_eq!(ana["shippingAddresses"][0]["street"], "Rua A 1");
    assert_eq!(ana["shippingAddresses"][0]["city"], "São Paulo");
    assert_eq!(ana["shippingAddresses"][0]["postalCode"], "01000-000");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/values/google-contacts.csv");
    let text = crate::matcher::template_from(&path);
    assert!(
        text.contains("[address_types]\nbillingPerson = \"Address 1 - Type\"\n"),
        "{text}"
    );
    assert!(
        text.contains("# \"?\" = \"E-mail 1 - Type\"   # the label of an email or website"),
        "{text}"
    );
    assert!(
        text.contains("[phone_types]\n\"billingPerson.phone\" = \"Phone 1 - Type\"\n"),
        "{text}"
    );
    let csv = read_value_sample("google-contacts.csv");
    let requests = |layout: &Layout| -> Vec<Value> {
        let (map, _, records) = crate::presets::map(&csv, layout).expect("maps");
        records
            .iter()
            .map(|r| serde_json::to_value(map.request(r).expect("valid").request).unwrap())
            .collect()
    };
    let read_back = Layout {
        preset: Some(Preset::Ecwid),
        mapping: Some(crate::presets::mapping(&text)),
    };
    assert_eq!(requests(&read_back), requests(&Layout::default()));
    // Without the `[address_types]` line, the address stays where `[fields]` puts it.
    let untyped = text.replace("billingPerson = \"Address 1 - Type\"\n", "");
    let layout = Layout {
        preset: Some(Preset::Ecwid),
        mapping: Some(crate::presets::mapping(&untyped)),
    };
    assert_eq!(requests(&layout)[0]["billingPerson"]["street"], "Rua A 1");
}

/// A mapping file's `[address_types]` naming a column the header lacks stops the run with
/// the key and the header; one naming no address is refused when the file is read.
#[test]
fn address_types_of_a_mapping_file_are_checked() {
    let csv = read_value_sample("google-contacts.csv");
    let file = "[fields]\nemail = \"E-mail 1 - Value\"\n\"billingPerson.street\" = \
                \"Address 1 - Street\"\n[address_types]\nbillingPerson = \"Kind\"\n";
    let layout = Layout {
        preset: None,
        mapping: Some(crate::presets::mapping(file)),
    };
    let error = crate::presets::map(&csv, &layout).expect_err("refused");
    let message = error.to_string();
    assert!(
        message.contains("address_types.billingPerson") && message.contains("\"Kind\""),
        "{message}"
    );
    let bad = "[fields]\nemail = \"E-mail 1 - Value\"\n[address_types]\ncontacts = \"Kind\"\n";
    let parsed = MappingFile::parse(Path::new("m.toml"), bad);
    let message = parsed.expect_err("refused").to_string();
    assert!(message.contains("not an address"), "{message}");
}
