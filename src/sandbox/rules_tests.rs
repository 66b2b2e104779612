//! Unit tests of the store's own rules: each documented refusal, and what the store accepts.
use serde_json::{Value, json};

use super::*;

fn customer(body: Value) -> CustomerRequest {
    serde_json::from_value(body).expect("a customer body")
}

/// `(path, value, reason)` of each refusal of `body`.
fn refused(body: Value) -> Vec<(String, String, &'static str)> {
    refusals(&customer(body))
        .into_iter()
        .map(|r| (r.path, r.value, r.reason))
        .collect()
}

fn refusal(path: &str, value: &str, reason: &'static str) -> (String, String, &'static str) {
    (path.to_string(), value.to_string(), reason)
}

/// A customer with every documented field in its documented form is accepted.
#[test]
fn accepts_the_documented_forms() {
    let body = json!({
        "email": "ann.lee+shop@mail.example.co.uk",
        "billingPerson": {"name": "Ann Lee", "countryCode": "DE"},
        "shippingAddresses": [{"countryCode": "FR"}, {"city": "Nowhere"}],
        "contacts": [
            {"type": "EMAIL", "contact": "ann@work.example.com", "default": true, "orderBy": 0},
            {"type": "PHONE", "contact": "+49 30 1234", "default": true},
            {"type": "EMAIL", "contact": "ann@home.example.com", "default": false},
            {"type": "FB_MESSENGER", "contact": "https://m.me/ann", "handle": "ann"},
        ],
        "b2b_b2c": "b2b",
        "taxId": "DE123456789",
        "taxExempt": true,
        "lang": "de",
    });
    assert_eq!(refused(body), vec![]);
    let tax_id_marked_valid = json!({
        "email": "a@b.co", "taxId": "X1", "taxIdValid": true, "taxExempt": true,
    });
    assert_eq!(refused(tax_id_marked_valid), vec![]);
    assert_eq!(
        refused(json!({"email": "a@b.co", "taxExempt": false})),
        vec![]
    );
    assert_eq!(refused(json!({"email": "ü@bücher.example"})), vec![]);
}

/// Email is required (blank counts as missing) and must be an address a mail server takes.
#[test]
fn email_is_required_and_deliverable() {
    assert_eq!(
        refused(json!({})),
        vec![refusal("email", "", EMAIL_REQUIRED)]
    );
    assert_eq!(
        refused(json!({"email": "  "})),
        vec![refusal("email", "", EMAIL_REQUIRED)]
    );
    for bad in [
        "ann",
        "@example.com",
        "ann@",
        "ann@example",
        "ann@@example.com",
        "ann@b@example.com",
        "ann lee@example.com",
        "ann@example..com",
        "ann@.example.com",
        "ann@example.com.",
        "ann@-example.com",
        "ann@example_shop.com",
        "ann\u{7}@example.com",
    ] {
        assert_eq!(
            refused(json!({"email": bad})),
            vec![refusal("email", bad, EMAIL_FORM)],
            "{bad:?}"
        );
    }
}

/// Country codes are assigned ISO alpha-2 codes in capitals, in billing and shipping alike.
#[test]
fn country_codes_are_assigned_alpha_2_in_capitals() {
    let body = json!({
        "email": "a@b.co",
        "billingPerson": {"countryCode": "de"},
        "shippingAddresses": [{"countryCode": "GB"}, {"countryCode": "UK"}, {"countryCode": ""}],
    });
    assert_eq!(
        refused(body),
        vec![
            refusal("billingPerson.countryCode", "de", COUNTRY),
            refusal("shippingAddresses.1.countryCode", "UK", COUNTRY),
            refusal("shippingAddresses.2.countryCode", "", COUNTRY),
        ]
    );
    for bad in ["DEU", "D", "AD AE", " US"] {
        let body = json!({"email": "a@b.co", "billingPerson": {"countryCode": bad}});
        assert_eq!(refused(body).len(), 1, "{bad:?}");
    }
}

/// The list holds the 249 assigned codes, sorted, each two capitals, once.
#[test]
fn country_list_is_the_assigned_codes() {
    let codes: Vec<&str> = COUNTRY_CODES.split(' ').collect();
    assert_eq!(codes.len(), 249);
    assert!(codes.windows(2).all(|w| w[0] < w[1]));
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
    );
}

/// b2b_b2c is b2c or b2b as the docs write them; a contact type is one of the listed ones.
#[test]
fn b2b_b2c_and_contact_types_as_documented() {
    let body = json!({
        "email": "a@b.co",
        "b2b_b2c": "B2B",
        "contacts": [
            {"type": "email", "contact": "a@b.co"},
            {"type": "SKYPE", "contact": "ann.lee"},
            {"type": "OTHER", "contact": "pigeon"},
        ],
    });
    assert_eq!(
        refused(body),
        vec![
            refusal("b2b_b2c", "B2B", B2B_B2C),
            refusal("contacts.0.type", "email", CONTACT_TYPE),
            refusal("contacts.1.type", "SKYPE", CONTACT_TYPE),
        ]
    );
}

/// A contact needs both `contact` and `type`: one with only a note (which the client's rules
/// let through) is refused on both.
#[test]
fn contact_needs_contact_and_type() {
    let body = json!({
        "email": "a@b.co",
        "contacts": [
            {"note": "call after 6pm"},
            {"type": "TELEGRAM", "handle": "@ann"},
            {"contact": "+1 555 0100", "type": " "},
        ],
    });
    assert_eq!(
        refused(body),
        vec![
            refusal("contacts.0.type", "", CONTACT_PART),
            refusal("contacts.0.contact", "", CONTACT_PART),
            refusal("contacts.1.contact", "", CONTACT_PART),
            refusal("contacts.2.type", "", CONTACT_PART),
        ]
    );
}

/// Only one contact of a type may be the default; the second one is named.
#[test]
fn one_default_contact_per_type() {
    let body = json!({
        "email": "a@b.co",
        "contacts": [
            {"type": "PHONE", "contact": "1", "default": true},
            {"type": "EMAIL", "contact": "a@b.co", "default": true},
            {"type": "PHONE", "contact": "2", "default": false},
            {"type": "PHONE", "contact": "3", "default": true},
        ],
    });
    assert_eq!(
        refused(body),
        vec![refusal("contacts.3.default", "true", ONE_DEFAULT)]
    );
}

/// taxExempt=true needs a tax ID that is not blank and not marked invalid.
#[test]
fn tax_exempt_needs_a_valid_tax_id() {
    for body in [
        json!({"email": "a@b.co", "taxExempt": true}),
        json!({"email": "a@b.co", "taxExempt": true, "taxId": " "}),
        json!({"email": "a@b.co", "taxExempt": true, "taxId": "X1", "taxIdValid": false}),
    ] {
        assert_eq!(
            refused(body.clone()),
            vec![refusal("taxExempt", "true", TAX_EXEMPT)],
            "{body}"
        );
    }
}

/// `lang` must be enabled in the store, in any case; no `lang` is always fine.
#[test]
fn language_must_be_enabled() {
    let enabled = ["en".to_string(), "pt_BR".to_string()];
    let with = |lang: &str| customer(json!({"email": "a@b.co", "lang": lang}));
    assert_eq!(language_refused(&with("pt_br"), &enabled), None);
    assert_eq!(language_refused(&with("fr"), &enabled), Some("fr"));
    assert_eq!(
        language_refused(&customer(json!({"email": "a@b.co"})), &enabled),
        None
    );
}

/// A refusal names the field, the value when there is one, and the reason.
#[test]
fn refusal_reads_path_value_reason() {
    let shown: Vec<String> = refusals(&customer(json!({"b2b_b2c": "b2x"})))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        [
            format!("email: {EMAIL_REQUIRED}"),
            format!("b2b_b2c \"b2x\": {B2B_B2C}"),
        ]
    );
}
