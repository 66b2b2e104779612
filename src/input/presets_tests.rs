//! Unit tests of the presets: detection, address tables, targets.
use super::*;

fn names(header: &str) -> Vec<String> {
    header.split(',').map(str::to_string).collect()
}

/// Each signature picks its preset, ignoring case and spaces; a canonical header none.
#[test]
fn signatures_pick_their_preset() {
    let shopify = names(" first name ,Email,ADDRESS1,Accepts Marketing");
    assert_eq!(detect(&shopify).map(|d| d.0), Some(Preset::Shopify));
    let woo = names("user_email,billing_address_1");
    assert_eq!(detect(&woo).map(|d| d.0), Some(Preset::WooCommerce));
    assert_eq!(detect(&names("email,name,billingPerson.street")), None);
    assert_eq!(detect(&names("First Name,Email")), None);
    for (header, preset) in [
        (
            "user_login,user_pass,user_nicename,user_email",
            Preset::WooCommerce,
        ),
        (
            "email,_website,_store,firstname,lastname,taxvat",
            Preset::Magento,
        ),
        (
            "Email Address,First Name,Store Credit,Customer Group",
            Preset::BigCommerce,
        ),
        (
            "ID,Social title,First name,Email address,Last visit",
            Preset::PrestaShop,
        ),
        ("First Name,Email 1,Email subscriber status", Preset::Wix),
        (
            "Email,Billing Name,Billing Province/State",
            Preset::Squarespace,
        ),
        ("Email Address,MEMBER_RATING,OPTIN_TIME", Preset::Mailchimp),
        ("Record ID,Email,Contact owner", Preset::HubSpot),
        ("Record ID,Email,Create Date", Preset::HubSpot),
    ] {
        assert_eq!(
            detect(&names(header)).map(|d| d.0),
            Some(preset),
            "{header}"
        );
    }
}

/// Every preset but `ecwid` has a signature, and its table fills the email.
#[test]
fn every_export_is_detected_and_gives_the_email() {
    for preset in Preset::ALL {
        let detected = SIGNATURES.iter().any(|s| s.preset == preset);
        assert_eq!(detected, preset != Preset::Ecwid, "{preset}");
        let email = Target::Field(Field::Email);
        let gives_email = preset.entries().iter().any(|e| e.target == email);
        assert_eq!(gives_email, preset != Preset::Ecwid, "{preset}");
    }
}

/// An address has an entry for each part its export names, and none for a part left out;
/// the state and the country go where the export's spelling says.
#[test]
fn an_address_has_the_parts_its_export_names() {
    let columns = AddressColumns {
        street: &[&["Street 1"], &["Street 2"]],
        state: Some(&["State"]),
        country: Some(&["Country"]),
        ..AddressColumns::NONE
    };
    let entries = address(Field::Billing, &columns, Given::CodeOrName, Given::Code);
    let targets: Vec<Target> = entries.into_iter().map(|e| e.target).collect();
    let state = Target::State {
        code: Field::Billing(A::StateOrProvinceCode),
        name: Field::Billing(A::StateOrProvinceName),
    };
    let street = Target::Field(Field::Billing(A::Street));
    let country = Target::Field(Field::Billing(A::CountryCode));
    assert_eq!(targets, [street, state, country]);
    let shipping = |a| Field::Shipping(1, a);
    let entries = address(shipping, &columns, Given::Name, Given::CodeOrName);
    let targets: Vec<Target> = entries.into_iter().map(|e| e.target).collect();
    let state = Target::Field(Field::Shipping(1, A::StateOrProvinceName));
    let country = Target::Country {
        code: Field::Shipping(1, A::CountryCode),
        name: Field::Shipping(1, A::CountryName),
    };
    assert_eq!(targets[1..], [state, country]);
}

/// No preset names a target twice, so no field is filled by two entries.
#[test]
fn every_target_appears_once_per_preset() {
    for preset in Preset::ALL {
        let mut seen = Vec::new();
        for entry in preset.entries() {
            for field in entry.target.fields() {
                assert!(!seen.contains(&field), "{preset} {field}");
                seen.push(field);
            }
        }
    }
}

/// Google's ` ::: ` first (its values may hold `;`), else `;` and line breaks; blanks dropped.
#[test]
fn several_values_of_a_cell() {
    assert_eq!(split_values("a@x.de ::: b@y.de"), ["a@x.de", "b@y.de"]);
    assert_eq!(
        split_values("a@x.de; b@y.de;\nc@z.de;"),
        ["a@x.de", "b@y.de", "c@z.de"]
    );
    assert_eq!(split_values("+1 555 0100"), ["+1 555 0100"]);
    assert!(split_values(" ; ").is_empty());
    assert_eq!(
        split_values("+1 555 0100; +1 555 0199"),
        ["+1 555 0100", "+1 555 0199"]
    );
}

/// An extension or a remark after a `;` or a line break is part of the value before it, not a
/// value of its own.
#[test]
fn an_extension_stays_with_its_number() {
    assert_eq!(split_values("555-1234;ext=2"), ["555-1234;ext=2"]);
    assert_eq!(
        split_values("+1 212 555 0100\next. 12; +1 212 555 0199"),
        ["+1 212 555 0100\next. 12", "+1 212 555 0199"]
    );
    assert_eq!(split_values("a@x.de;"), ["a@x.de"]);
}
