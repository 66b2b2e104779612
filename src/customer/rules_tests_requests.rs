//! Unit tests of the value rules, continued: whole requests (every column group, positions,
//! contacts and their defaults), problems as they read, and the cells spreadsheets change.
use serde_json::json;

use super::tests::{EMAIL, problem, problems, row, valid};
use super::*;

/// A problem reads as: column "value": rule.
#[test]
fn problem_display_names_column_value_and_rule() {
    assert_eq!(
        problem("lang", "english", RULE_LANG).to_string(),
        format!("lang \"english\": {RULE_LANG}")
    );
}

/// A row with only shippingAddresses.1.* sends one address, not an empty one before it.
#[test]
fn only_the_filled_shipping_position_is_sent() {
    let request = valid(&[
        EMAIL,
        ("shippingAddresses.1.city", "Paris"),
        ("shippingAddresses.1.countryCode", "fr"),
        ("shippingAddresses.0.city", "  "),
    ]);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "email": "ann@example.com",
            "shippingAddresses": [{"city": "Paris", "countryCode": "FR"}],
        })
    );
}

/// Contacts are sent in the order of their positions, whatever the column order.
#[test]
fn contacts_keep_the_order_of_their_positions() {
    let request = valid(&[
        EMAIL,
        ("contacts.10.type", "url"),
        ("contacts.10.contact", "https://example.com"),
        ("contacts.2.type", "phone"),
        ("contacts.2.contact", "+49 30 1234"),
        ("contacts.0.contact", "ann.work@example.com"),
        ("contacts.0.type", "email"),
    ]);
    let got: Vec<(Option<&str>, Option<&str>)> = request
        .contacts
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| (c.kind.as_deref(), c.contact.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("EMAIL"), Some("ann.work@example.com")),
            (Some("PHONE"), Some("+49 30 1234")),
            (Some("URL"), Some("https://example.com")),
        ]
    );
    let two = valid(&[
        EMAIL,
        ("contacts.0.contact", "first"),
        ("contacts.0.type", "other"),
        ("contacts.1.contact", "second"),
        ("contacts.1.type", "other"),
    ]);
    let contacts = two.contacts.unwrap();
    assert_eq!(contacts.len(), 2);
    assert_eq!(contacts[0].contact.as_deref(), Some("first"));
    assert_eq!(contacts[1].contact.as_deref(), Some("second"));
}

/// A row using every column group gives exactly this JSON body.
#[test]
fn request_with_every_column_group_serializes_exactly() {
    let request = valid(&[
        ("email", " Ann@Example.com "),
        ("password", "pw 123"),
        ("customerGroupId", "7"),
        ("customerGroupName", "Wholesale"),
        ("b2b_b2c", "B2B"),
        ("taxId", "DE123456789"),
        ("taxIdValid", "yes"),
        ("taxExempt", "TRUE"),
        ("acceptMarketing", "n"),
        ("lang", "pt_BR"),
        ("privateAdminNotes", "VIP\ncall first"),
        ("fiscalCode", "SMTNNA80A41H501X"),
        ("electronicInvoicePecEmail", "ann@pec.example.it"),
        ("electronicInvoiceSdiCode", "M5UXCR1"),
        ("billingPerson.name", "Ann Smith"),
        ("billingPerson.companyName", "Smith GmbH"),
        ("billingPerson.street", "Hauptstr. 1"),
        ("billingPerson.city", "Berlin"),
        ("billingPerson.countryCode", "de"),
        ("billingPerson.countryName", "Germany"),
        ("billingPerson.postalCode", "10115"),
        ("billingPerson.stateOrProvinceCode", "BE"),
        ("billingPerson.stateOrProvinceName", "Berlin"),
        ("billingPerson.phone", "+49 30 1"),
        ("shippingAddresses.0.name", "Ann at work"),
        ("shippingAddresses.0.companyName", "Smith GmbH"),
        ("shippingAddresses.0.street", "Werkstr. 2"),
        ("shippingAddresses.0.city", "Potsdam"),
        ("shippingAddresses.0.countryCode", "DE"),
        ("shippingAddresses.0.countryName", "Germany"),
        ("shippingAddresses.0.postalCode", "14467"),
        ("shippingAddresses.0.stateOrProvinceCode", "BB"),
        ("shippingAddresses.0.stateOrProvinceName", "Brandenburg"),
        ("shippingAddresses.0.phone", "+49 331 2"),
        ("shippingAddresses.1.city", "Wien"),
        ("shippingAddresses.1.countryCode", "at"),
        ("contacts.0.type", "email"),
        ("contacts.0.contact", "ann@work.example.com"),
        ("contacts.0.handle", "ann"),
        ("contacts.0.note", "work"),
        ("contacts.0.default", "1"),
        ("contacts.0.orderBy", "0"),
        ("contacts.1.type", "Telegram"),
        ("contacts.1.contact", "https://t.me/ann"),
        ("contacts.1.handle", "@ann"),
        ("extrafields.loyalty_id", " L-0042 "),
        ("ExtraFields.Birthday", "03-14"),
    ]);
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({
            "email": "Ann@Example.com",
            "password": "pw 123",
            "customerGroupId": 7,
            "customerGroupName": "Wholesale",
            "b2b_b2c": "b2b",
            "taxId": "DE123456789",
            "taxIdValid": true,
            "taxExempt": true,
            "acceptMarketing": false,
            "lang": "pt_BR",
            "privateAdminNotes": "VIP\ncall first",
            "fiscalCode": "SMTNNA80A41H501X",
            "electronicInvoicePecEmail": "ann@pec.example.it",
            "electronicInvoiceSdiCode": "M5UXCR1",
            "billingPerson": {
                "name": "Ann Smith",
                "companyName": "Smith GmbH",
                "street": "Hauptstr. 1",
                "city": "Berlin",
                "countryCode": "DE",
                "countryName": "Germany",
                "postalCode": "10115",
                "stateOrProvinceCode": "BE",
                "stateOrProvinceName": "Berlin",
                "phone": "+49 30 1",
            },
            "shippingAddresses": [
                {
                    "name": "Ann at work",
                    "companyName": "Smith GmbH",
                    "street": "Werkstr. 2",
                    "city": "Potsdam",
                    "countryCode": "DE",
                    "countryName": "Germany",
                    "postalCode": "14467",
                    "stateOrProvinceCode": "BB",
                    "stateOrProvinceName": "Brandenburg",
                    "phone": "+49 331 2",
                },
                {"city": "Wien", "countryCode": "AT"},
            ],
            "contacts": [
                {
                    "type": "EMAIL",
                    "contact": "ann@work.example.com",
                    "handle": "ann",
                    "note": "work",
                    "default": true,
                    "orderBy": 0,
                },
                {"type": "TELEGRAM", "contact": "https://t.me/ann", "handle": "@ann"},
            ],
            "extrafields": [
                {"key": "loyalty_id", "value": "L-0042"},
                {"key": "Birthday", "value": "03-14"},
            ],
        })
    );
}

/// The e-invoicing fields, the state names and extra fields are text: any value is sent as
/// given (trimmed). The PEC address is not checked as an email: the API documents it as a
/// string only, and the store is the judge of it.
#[test]
fn invoicing_state_names_and_extra_fields_are_text() {
    let request = valid(&[
        EMAIL,
        ("electronicInvoicePecEmail", " not an address "),
        ("fiscalCode", "x"),
        ("billingPerson.stateOrProvinceName", "Île-de-France"),
        ("extrafields.note", " two\nlines "),
    ]);
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body["electronicInvoicePecEmail"], "not an address");
    assert_eq!(
        body["billingPerson"]["stateOrProvinceName"],
        "Île-de-France"
    );
    assert_eq!(
        body["extrafields"],
        json!([{"key": "note", "value": "two\nlines"}])
    );
}

#[test]
fn fast_paths_agree_with_the_plain_definitions() {
    for byte in 0..=127u8 {
        let text = format!("a{}b", byte as char);
        let plain = text.chars().any(char::is_whitespace);
        assert_eq!(has_whitespace(&text), plain, "byte {byte}");
        let cell = format!("{}x{}", byte as char, byte as char);
        let trimmed = cell.trim_matches([' ', '\t', '\r', '\n']);
        assert_eq!(trim_cell(&cell), trimmed, "byte {byte}");
    }
    assert!(has_whitespace("ann\u{a0}@example.com"));
    assert_eq!(trim_cell(" \u{a0}é\n"), "\u{a0}é");
    for word in [
        "TRUE", "Yes", "y", "1", "fAlSe", "NO", "n", "0", "", "maybe", "İ",
    ] {
        let plain = match word.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" => Some(false),
            _ => None,
        };
        assert_eq!(parse_bool(word), plain, "{word}");
    }
}

#[test]
fn country_codes_are_checked_without_allocating_and_sent_in_capitals() {
    let cases = [
        ("de", Some("DE")),
        ("De", Some("DE")),
        ("US", Some("US")),
        ("gb", Some("GB")),
        ("XX", None),
        ("D", None),
        ("DEU", None),
        ("é", None),
        ("", None),
        ("d\u{0}", None),
    ];
    for (code, sent) in cases {
        assert_eq!(countries::is_assigned(code), sent.is_some(), "{code:?}");
        if let Some(sent) = sent {
            let request = valid(&[("email", "a@b.co"), ("billingPerson.countryCode", code)]);
            let billing = request.billing_person.unwrap_or_default();
            assert_eq!(billing.country_code.as_deref(), Some(sent), "{code:?}");
        }
    }
}

/// Ecwid refuses a contact without its contact or its type: the row is invalid, naming each
/// missing field (a row with only a note names both).
#[test]
fn a_contact_needs_its_contact_and_its_type() {
    assert_eq!(
        problems(&[EMAIL, ("contacts.0.note", "call after 5")]),
        vec![
            problem("contacts.0.contact", "", RULE_CONTACT_INCOMPLETE),
            problem("contacts.0.type", "", RULE_CONTACT_INCOMPLETE),
        ]
    );
    assert_eq!(
        problems(&[EMAIL, ("contacts.2.type", "phone")]),
        vec![problem("contacts.2.contact", "", RULE_CONTACT_INCOMPLETE)]
    );
    assert_eq!(
        problems(&[
            EMAIL,
            ("contacts.0.contact", "+1 555"),
            ("contacts.0.type", " ")
        ]),
        vec![problem("contacts.0.type", "", RULE_CONTACT_INCOMPLETE)]
    );
    // Blank cells make no contact at all.
    let none = valid(&[EMAIL, ("contacts.0.note", " "), ("contacts.0.type", "")]);
    assert_eq!(none.contacts, None);
}

/// At most one contact of a type is the default; the problem names both default columns.
#[test]
fn one_default_contact_per_type() {
    let contact = |i: usize, kind: &'static str, default: &'static str| {
        [
            (format!("contacts.{i}.type"), kind),
            (format!("contacts.{i}.contact"), "x"),
            (format!("contacts.{i}.default"), default),
        ]
    };
    let cells: Vec<(String, &str)> = [
        contact(0, "phone", "yes"),
        contact(1, "EMAIL", "true"),
        contact(2, "PHONE", "1"),
        contact(3, "phone", "no"),
    ]
    .concat();
    let mut row_cells = vec![EMAIL];
    row_cells.extend(cells.iter().map(|(c, v)| (c.as_str(), *v)));
    let got = problems(&row_cells);
    assert_eq!(
        got,
        vec![problem(
            "contacts.0.default, contacts.2.default",
            "1",
            RULE_ONE_DEFAULT
        )]
    );
    assert!(got[0].to_string().contains("default"));
    // One default of each type is fine.
    let fine: Vec<(&str, &str)> = row_cells
        .iter()
        .copied()
        .filter(|(c, _)| *c != "contacts.2.default")
        .collect();
    valid(&fine);
}

/// A phone or postal code a spreadsheet saved as a float is sent without its zeros, in an
/// address or a PHONE contact; one in exponent form breaks the rounding rule; other fields and
/// other numbers are as given.
#[test]
fn numbers_a_spreadsheet_changed() {
    let request = row(&[
        EMAIL,
        ("billingPerson.phone", "561156445.00"),
        ("billingPerson.postalCode", "90210.0"),
        ("shippingAddresses.0.phone", "12.5"),
        ("taxId", "123.00"),
        ("contacts.0.type", "phone"),
        ("contacts.0.contact", "4917012345.00"),
    ])
    .expect("valid");
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(body["billingPerson"]["phone"], "561156445");
    assert_eq!(body["billingPerson"]["postalCode"], "90210");
    assert_eq!(body["shippingAddresses"][0]["phone"], "12.5");
    assert_eq!(body["taxId"], "123.00");
    assert_eq!(body["contacts"][0]["contact"], "4917012345");
    for (column, value) in [
        ("billingPerson.phone", "7.02255E+12"),
        ("shippingAddresses.0.postalCode", "9.7201e+4"),
        ("contacts.0.contact", "6E+11"),
    ] {
        let cells = [EMAIL, ("contacts.0.type", "PHONE"), (column, value)];
        let mut cells = cells.to_vec();
        if column != "contacts.0.contact" {
            cells.push(("contacts.0.contact", "+1 555 0100"));
        }
        assert_eq!(
            problems(&cells),
            vec![problem(column, value, RULE_ROUNDED)],
            "{column}"
        );
    }
    // Not a spreadsheet's exponent: no `+`, or letters around it.
    for value in ["1E5", "E+12", "1.2E+", "SW1A 1AA"] {
        valid(&[EMAIL, ("billingPerson.postalCode", value)]);
    }
}

/// The placeholders of the contract, any case; nothing else.
#[test]
fn placeholders_stand_for_nothing() {
    for value in [
        "null",
        "NULL",
        "None",
        "N/A",
        "n/a",
        "#N/A",
        "-",
        "[not provided]",
        "Undefined",
    ] {
        assert!(is_placeholder(value), "{value}");
    }
    for value in ["", "--", "nullable", "n.a.", "No", "0", "Nonet"] {
        assert!(!is_placeholder(value), "{value}");
    }
}
