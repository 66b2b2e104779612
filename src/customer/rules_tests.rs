//! Unit tests of the value rules: every row of the contract's Values table.
use serde_json::json;

use super::*;

/// The request of one row given as `(column, cell)` pairs, columns named canonically.
pub(super) fn row(cells: &[(&str, &str)]) -> Result<CustomerRequest, Vec<Problem>> {
    let mut builder = RowBuilder::new();
    let mut checker = RowChecker::new();
    for &(column, raw) in cells {
        let field = Field::parse(column).unwrap_or_else(|| panic!("{column} is canonical"));
        builder.set(&field, column, raw);
        checker.check(&field, column, raw);
    }
    let built = builder.finish("email");
    // A dry run only checks: it must find exactly the problems an import finds.
    assert_eq!(
        checker.finish("email").err(),
        built.as_ref().err().cloned(),
        "{cells:?}"
    );
    built
}

pub(super) fn valid(cells: &[(&str, &str)]) -> CustomerRequest {
    row(cells).unwrap_or_else(|p| panic!("{cells:?} should be valid, got {p:?}"))
}

pub(super) fn problems(cells: &[(&str, &str)]) -> Vec<Problem> {
    match row(cells) {
        Ok(request) => panic!("{cells:?} should be invalid, got {request:?}"),
        Err(problems) => problems,
    }
}

pub(super) fn problem(column: &str, value: &str, rule: &'static str) -> Problem {
    Problem {
        column: column.to_string(),
        value: value.to_string(),
        rule,
    }
}

pub(super) const EMAIL: (&str, &str) = ("email", "ann@example.com");
/// The contact and type every contact needs, for tests of a contact's other cells.
const PHONE: [(&str, &str); 2] = [
    ("contacts.0.type", "phone"),
    ("contacts.0.contact", "+1 555 0100"),
];

/// `trim_cell` strips spaces, tabs and line breaks at both ends and keeps inner ones.
#[test]
fn trim_cell_strips_the_ends_only() {
    assert_eq!(trim_cell("  Ann\t"), "Ann");
    assert_eq!(trim_cell("\t \r\n Ann Smith \r\n\t"), "Ann Smith");
    assert_eq!(trim_cell("\nline one\nline two\n"), "line one\nline two");
    assert_eq!(trim_cell("a\r\nb"), "a\r\nb");
    assert_eq!(trim_cell(" \t\r\n "), "");
    assert_eq!(trim_cell(""), "");
}

/// Text values are sent trimmed at the ends, with inner line breaks and spaces kept.
#[test]
fn text_values_are_trimmed_and_keep_inner_line_breaks() {
    let request = valid(&[
        ("email", " \tann@example.com\r\n"),
        ("password", "  s3cret pass\t"),
        (
            "privateAdminNotes",
            "\r\n first line\nsecond  line\r\nthird \n",
        ),
        ("billingPerson.street", "\t1 Main St\nApt 2 "),
        ("shippingAddresses.0.city", " Berlin "),
        ("contacts.0.note", " call\nafter 5 "),
        PHONE[0],
        PHONE[1],
    ]);
    assert_eq!(request.email.as_deref(), Some("ann@example.com"));
    assert_eq!(request.password.as_deref(), Some("s3cret pass"));
    assert_eq!(
        request.private_admin_notes.as_deref(),
        Some("first line\nsecond  line\r\nthird")
    );
    let billing = request.billing_person.expect("billing person");
    assert_eq!(billing.street.as_deref(), Some("1 Main St\nApt 2"));
    let shipping = request.shipping_addresses.expect("shipping addresses");
    assert_eq!(shipping[0].city.as_deref(), Some("Berlin"));
    let contacts = request.contacts.expect("contacts");
    assert_eq!(contacts[0].note.as_deref(), Some("call\nafter 5"));
}

/// A blank cell (empty or only whitespace) in any column but email leaves its field out.
#[test]
fn blank_cells_are_left_out_of_the_request() {
    let mut builder = RowBuilder::new();
    builder.set(&Field::Email, "email", "ann@example.com");
    for field in Field::canonical() {
        if field != Field::Email {
            for blank in ["", "   ", "\t", " \r\n "] {
                builder.set(&field, &field.to_string(), blank);
            }
        }
    }
    let request = builder.finish("email").expect("blank cells break no rule");
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"email": "ann@example.com"})
    );
}

/// Every accepted boolean spelling, in any case, parses to the right value.
#[test]
fn booleans_accept_every_spelling_in_any_case() {
    for (text, expected) in [
        ("true", true),
        ("TRUE", true),
        ("True", true),
        ("tRuE", true),
        ("yes", true),
        ("YES", true),
        ("Yes", true),
        ("y", true),
        ("Y", true),
        ("1", true),
        ("false", false),
        ("FALSE", false),
        ("False", false),
        ("no", false),
        ("NO", false),
        ("No", false),
        ("n", false),
        ("N", false),
        ("0", false),
    ] {
        assert_eq!(parse_bool(text), Some(expected), "{text}");
    }
}

/// Anything else is not a boolean.
#[test]
fn booleans_reject_other_spellings() {
    for text in [
        "",
        "t",
        "f",
        "on",
        "off",
        "2",
        "-1",
        "01",
        "00",
        "ja",
        "nein",
        "yess",
        "true.",
        "truefalse",
        " true",
        "no ",
        "si",
    ] {
        assert_eq!(parse_bool(text), None, "{text:?}");
    }
}

/// Every boolean column sends JSON true/false and names column, value and rule otherwise.
#[test]
fn boolean_columns_send_booleans_and_report_bad_values() {
    let request = valid(&[
        EMAIL,
        ("taxId", "DE123"),
        ("taxIdValid", " YES "),
        ("taxExempt", "y"),
        ("acceptMarketing", "0"),
        ("contacts.0.default", "False"),
        PHONE[0],
        PHONE[1],
    ]);
    assert_eq!(request.tax_id_valid, Some(true));
    assert_eq!(request.tax_exempt, Some(true));
    assert_eq!(request.accept_marketing, Some(false));
    assert_eq!(request.contacts.unwrap()[0].default, Some(false));

    for column in [
        "taxIdValid",
        "taxExempt",
        "acceptMarketing",
        "contacts.0.default",
    ] {
        assert_eq!(
            problems(&[
                EMAIL,
                ("taxId", "DE123"),
                PHONE[0],
                PHONE[1],
                (column, " maybe ")
            ]),
            vec![problem(column, "maybe", RULE_BOOLEAN)],
            "{column}"
        );
    }
}

/// Integers are decimal digits only, up to the largest u64.
#[test]
fn integers_accept_decimal_digits() {
    assert_eq!(parse_integer("0"), Some(0));
    assert_eq!(parse_integer("42"), Some(42));
    assert_eq!(parse_integer("007"), Some(7));
    assert_eq!(parse_integer("18446744073709551615"), Some(u64::MAX));
}

/// Signs, decimals, separators, spaces, other digits and overflow are not integers.
#[test]
fn integers_reject_everything_else() {
    for text in [
        "",
        "+1",
        "-1",
        "1.0",
        "1.",
        ".5",
        "1,000",
        "1 000",
        " 1",
        "1 ",
        "1e3",
        "0x1F",
        "one",
        "\u{0661}\u{0662}",
        "１２",
        "18446744073709551616",
        "99999999999999999999999",
    ] {
        assert_eq!(parse_integer(text), None, "{text:?}");
    }
}

/// Integer columns send JSON numbers (cell trimmed) and report bad values with their rule.
#[test]
fn integer_columns_send_numbers_and_report_bad_values() {
    let request = valid(&[
        EMAIL,
        ("customerGroupId", " 12 "),
        ("contacts.0.orderBy", "3"),
        PHONE[0],
        PHONE[1],
    ]);
    assert_eq!(request.customer_group_id, Some(12));
    assert_eq!(request.contacts.unwrap()[0].order_by, Some(3));
    for column in ["customerGroupId", "contacts.0.orderBy"] {
        for bad in ["-1", "+1", "1.5", "1 2", "18446744073709551616"] {
            assert_eq!(
                problems(&[EMAIL, PHONE[0], PHONE[1], (column, bad)]),
                vec![problem(column, bad, RULE_INTEGER)],
                "{column} {bad:?}"
            );
        }
    }
}

/// Well-formed addresses are emails.
#[test]
fn email_accepts_well_formed_addresses() {
    for text in [
        "ann@example.com",
        "a@b.co",
        "ann.smith+shop@mail.example.co.uk",
        "ANN@EXAMPLE.COM",
        "o'brien@example.ie",
        "zoë@example.de",
    ] {
        assert!(is_email(text), "{text}");
    }
}

/// Addresses without exactly one @, a local part, a dotted domain, or with spaces are not.
#[test]
fn email_rejects_malformed_addresses() {
    for text in [
        "",
        "ann",
        "ann.example.com",
        "ann@",
        "@example.com",
        "ann@example",
        "ann@@example.com",
        "ann@ex@ample.com",
        "ann smith@example.com",
        "ann@example .com",
        "ann\t@example.com",
        "ann@exa\nmple.com",
        "ann@\u{a0}example.com",
        "ann@.com",
        "ann@example.",
        "ann@example.com.",
    ] {
        assert!(!is_email(text), "{text:?}");
    }
}

/// The email is sent trimmed but otherwise as given (case kept).
#[test]
fn email_is_sent_trimmed_and_as_given() {
    let request = valid(&[("email", "  Ann.Smith@Example.COM \t")]);
    assert_eq!(request.email.as_deref(), Some("Ann.Smith@Example.COM"));
}

/// A malformed email is one problem naming the column, the trimmed value and the rule.
#[test]
fn bad_email_is_reported_with_column_value_and_rule() {
    for bad in [
        "ann@example",
        "ann smith@example.com",
        "@example.com",
        "a@b@c.de",
    ] {
        assert_eq!(
            problems(&[("email", &format!(" {bad} "))]),
            vec![problem("email", bad, RULE_EMAIL)],
            "{bad}"
        );
    }
}

/// A row with no email column, or a blank email cell, breaks the "required" rule.
#[test]
fn missing_email_is_a_required_problem() {
    assert_eq!(
        problems(&[("name", "Ann")]),
        vec![problem("email", "", RULE_EMAIL_REQUIRED)]
    );
    assert_eq!(
        problems(&[("email", " \t "), ("name", "Ann")]),
        vec![problem("email", "", RULE_EMAIL_REQUIRED)]
    );
    let mut builder = RowBuilder::new();
    builder.set(&Field::Email, "E-Mail Address", "");
    assert_eq!(
        builder.finish("E-Mail Address").unwrap_err(),
        vec![problem("E-Mail Address", "", RULE_EMAIL_REQUIRED)]
    );
}

/// Country codes are accepted in any case and sent upper case, in billing and shipping.
#[test]
fn country_codes_are_sent_upper_case() {
    let request = valid(&[
        EMAIL,
        ("billingPerson.countryCode", "de"),
        ("shippingAddresses.0.countryCode", " gB "),
        ("shippingAddresses.1.countryCode", "Us"),
    ]);
    assert_eq!(
        request.billing_person.unwrap().country_code.as_deref(),
        Some("DE")
    );
    let shipping = request.shipping_addresses.unwrap();
    assert_eq!(shipping[0].country_code.as_deref(), Some("GB"));
    assert_eq!(shipping[1].country_code.as_deref(), Some("US"));
}

/// Unassigned or malformed country codes (UK, EN, ...) are reported with their column.
#[test]
fn unassigned_country_codes_are_rejected() {
    for column in [
        "billingPerson.countryCode",
        "shippingAddresses.2.countryCode",
    ] {
        for bad in ["UK", "uk", "EN", "XX", "D", "DEU", "Germany", "1"] {
            assert_eq!(
                problems(&[EMAIL, (column, bad)]),
                vec![problem(column, bad, RULE_COUNTRY)],
                "{column} {bad}"
            );
        }
    }
}

/// b2b_b2c takes b2b or b2c in any case and sends lower case; anything else is a problem.
#[test]
fn b2b_b2c_is_sent_lower_case() {
    assert_eq!(
        valid(&[EMAIL, ("b2b_b2c", "B2B")]).b2b_b2c.as_deref(),
        Some("b2b")
    );
    assert_eq!(
        valid(&[EMAIL, ("b2b_b2c", " b2C ")]).b2b_b2c.as_deref(),
        Some("b2c")
    );
    for bad in ["b2x", "business", "b 2b", "b2bb", "B2G"] {
        assert_eq!(
            problems(&[EMAIL, ("b2b_b2c", bad)]),
            vec![problem("b2b_b2c", bad, RULE_B2B)],
            "{bad}"
        );
    }
}

/// Language codes such as en, pt_BR and zh-Hant are sent as given; others are problems.
#[test]
fn lang_accepts_language_codes_as_given() {
    for code in ["en", "de", "fil", "pt_BR", "zh-Hant", "es-419", "EN"] {
        assert!(is_lang(code), "{code}");
        assert_eq!(valid(&[EMAIL, ("lang", code)]).lang.as_deref(), Some(code));
    }
    for bad in [
        "e",
        "english",
        "12",
        "en_",
        "_BR",
        "pt_BRAZIL",
        "en US",
        "en_U",
        "é",
    ] {
        assert!(!is_lang(bad), "{bad}");
        assert_eq!(
            problems(&[EMAIL, ("lang", bad)]),
            vec![problem("lang", bad, RULE_LANG)],
            "{bad}"
        );
    }
}

/// Every contact type is accepted in any case and sent upper case.
#[test]
fn contact_types_are_sent_upper_case() {
    for kind in CONTACT_TYPES {
        for spelling in [kind.to_ascii_lowercase(), kind.to_string()] {
            let request = valid(&[EMAIL, ("contacts.0.type", &spelling), PHONE[1]]);
            assert_eq!(request.contacts.unwrap()[0].kind.as_deref(), Some(*kind));
        }
    }
    let request = valid(&[EMAIL, ("contacts.0.type", " Fb_Messenger "), PHONE[1]]);
    assert_eq!(
        request.contacts.unwrap()[0].kind.as_deref(),
        Some("FB_MESSENGER")
    );
}

/// Contact types outside the list (SKYPE, ...) are reported with column, value and rule.
#[test]
fn unknown_contact_types_are_rejected() {
    for bad in ["SKYPE", "skype", "mail", "FB MESSENGER", "LINKEDIN"] {
        assert_eq!(
            problems(&[EMAIL, ("contacts.1.type", bad), ("contacts.1.contact", "x")]),
            vec![problem("contacts.1.type", bad, RULE_CONTACT_TYPE)],
            "{bad}"
        );
    }
}

/// taxExempt=true needs a non-blank taxId; taxExempt=false needs none.
#[test]
fn tax_exempt_true_needs_a_tax_id() {
    assert_eq!(
        problems(&[EMAIL, ("taxExempt", "Yes")]),
        vec![problem("taxExempt", "Yes", RULE_TAX_EXEMPT)]
    );
    assert_eq!(
        problems(&[EMAIL, ("taxId", "  "), ("taxExempt", "true")]),
        vec![problem("taxExempt", "true", RULE_TAX_EXEMPT)]
    );
    let request = valid(&[EMAIL, ("taxExempt", "true"), ("taxId", "DE123456789")]);
    assert_eq!(request.tax_exempt, Some(true));
    assert_eq!(request.tax_id.as_deref(), Some("DE123456789"));
    let request = valid(&[EMAIL, ("taxExempt", "false")]);
    assert_eq!(request.tax_exempt, Some(false));
    assert_eq!(request.tax_id, None);
}

/// A row breaking several rules reports every one, each with column, value and rule.
#[test]
fn every_broken_rule_of_a_row_is_reported() {
    let got = problems(&[
        ("email", "ann@example"),
        ("customerGroupId", "-3"),
        ("b2b_b2c", "b2x"),
        ("taxExempt", "1"),
        ("acceptMarketing", "maybe"),
        ("lang", "english"),
        ("billingPerson.countryCode", "UK"),
        ("shippingAddresses.1.countryCode", "EN"),
        ("contacts.0.type", "SKYPE"),
        ("contacts.0.orderBy", "1.5"),
        ("contacts.1.note", "no contact, no type"),
    ]);
    assert_eq!(
        got,
        vec![
            problem("email", "ann@example", RULE_EMAIL),
            problem("customerGroupId", "-3", RULE_INTEGER),
            problem("b2b_b2c", "b2x", RULE_B2B),
            problem("acceptMarketing", "maybe", RULE_BOOLEAN),
            problem("lang", "english", RULE_LANG),
            problem("billingPerson.countryCode", "UK", RULE_COUNTRY),
            problem("shippingAddresses.1.countryCode", "EN", RULE_COUNTRY),
            problem("contacts.0.type", "SKYPE", RULE_CONTACT_TYPE),
            problem("contacts.0.orderBy", "1.5", RULE_INTEGER),
            problem("taxExempt", "1", RULE_TAX_EXEMPT),
            problem("contacts.0.contact", "", RULE_CONTACT_INCOMPLETE),
            problem("contacts.1.contact", "", RULE_CONTACT_INCOMPLETE),
            problem("contacts.1.type", "", RULE_CONTACT_INCOMPLETE),
        ]
    );
    let missing = problems(&[("name", "Ann"), ("lang", "english")]);
    assert_eq!(
        missing,
        vec![
            problem("lang", "english", RULE_LANG),
            problem("email", "", RULE_EMAIL_REQUIRED),
        ]
    );
}
