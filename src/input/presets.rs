//! The layouts of customer exports from other shops, and how to tell them apart by header.
//!
//! Merchants moving to Ecwid bring the file their old shop gave them, not one with Ecwid's
//! column names. Each preset is a table: which columns fill which field, and how several
//! columns are joined into one value (first and last name, two address lines). A column is
//! named by every spelling the export has used over the years, so one table covers every
//! generation of an export. Detection looks for a few columns that only that export has (its
//! signature), so that a file is never mistaken for another export by one common name.

use std::fmt;

use crate::customer::fields::{AddressField as A, Field};

mod bigcommerce;
mod hubspot;
pub(crate) mod magento;
mod mailchimp;
mod prestashop;
mod squarespace;
mod wix;

/// A known input layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// The canonical column names (`ecwid-import template`).
    Ecwid,
    /// The Shopify customer export, in its three generations.
    Shopify,
    /// The WooCommerce exports: WebToffee (users and customers), SkyVerge and the Analytics
    /// customers download.
    WooCommerce,
    /// Magento 2's customer export: the main file and the composite file with addresses.
    Magento,
    /// BigCommerce's customer export (the Bulk Edit template and the default one).
    BigCommerce,
    /// PrestaShop's export of the customer list (back office, Customers > Export).
    PrestaShop,
    /// Wix's contacts export.
    Wix,
    /// Squarespace's contacts (profiles) export.
    Squarespace,
    /// Mailchimp's audience export.
    Mailchimp,
    /// HubSpot's contacts export.
    HubSpot,
}

impl Preset {
    /// Every preset, for the tests that go over them all.
    #[cfg(test)]
    pub(crate) const ALL: [Preset; 10] = [
        Preset::Ecwid,
        Preset::Shopify,
        Preset::WooCommerce,
        Preset::Magento,
        Preset::BigCommerce,
        Preset::PrestaShop,
        Preset::Wix,
        Preset::Squarespace,
        Preset::Mailchimp,
        Preset::HubSpot,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Preset::Ecwid => "ecwid",
            Preset::Shopify => "shopify",
            Preset::WooCommerce => "woocommerce",
            Preset::Magento => "magento",
            Preset::BigCommerce => "bigcommerce",
            Preset::PrestaShop => "prestashop",
            Preset::Wix => "wix",
            Preset::Squarespace => "squarespace",
            Preset::Mailchimp => "mailchimp",
            Preset::HubSpot => "hubspot",
        }
    }

    /// Excel marks a cell as text with a leading `'`, and Shopify writes phones and zips that
    /// way so that leading zeros survive; nobody means the quote as part of the value. Apart
    /// from this, every preset removes the `'` that the output files put before a formula
    /// (`input::formulas`); the mapping removes one `'` at most, whichever rule applies.
    pub(crate) fn strips_leading_quote(self) -> bool {
        !matches!(self, Preset::Ecwid)
    }

    /// The preset's columns; empty for `ecwid`, whose column names are the field paths.
    pub(crate) fn entries(self) -> Vec<Entry> {
        match self {
            Preset::Ecwid => Vec::new(),
            Preset::Shopify => shopify(),
            Preset::WooCommerce => woocommerce(),
            Preset::Magento => magento::entries(),
            Preset::BigCommerce => bigcommerce::entries(),
            Preset::PrestaShop => prestashop::entries(),
            Preset::Wix => wix::entries(),
            Preset::Squarespace => squarespace::entries(),
            Preset::Mailchimp => mailchimp::entries(),
            Preset::HubSpot => hubspot::entries(),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a preset's value goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Field(Field),
    /// A country given either as a code (`DE`) or a name (`Germany`, `Deutschland`, `USA`):
    /// a name of the country table (`data/countries.toml`) is sent as its code, another
    /// two-letter value as a code, anything else as the name. WooCommerce Analytics writes
    /// either, and so do files matched by meaning.
    Country {
        code: Field,
        name: Field,
    },
    /// A state, province or region given either as a code (`NY`, `SP`, `NSW`) or a name
    /// (`Bavaria`): two or three letters or digits are the code, anything else the name.
    State {
        code: Field,
        name: Field,
    },
    /// A yes/no field from a column of answers in any language of the synonym table (`ja`,
    /// `oui`, `sí`, `sim`, `nee`): any other answer is left out with a note, never guessed.
    /// Consent matched by meaning is read this way.
    YesNo(Field),
    /// A field from a column whose values may not all be of the field's kind (a `Language`
    /// column of names where `lang` takes codes): a value the field's rule refuses is left
    /// out with a note, and the row is still sent.
    IfValid(Field),
    /// `taxExempt`, for exports with no tax ID: Ecwid refuses a tax-exempt customer without
    /// one, and refusing the whole customer for it would lose more than it keeps. A `yes`
    /// without a tax ID is left out with a note; `no` is sent.
    TaxExemptWithoutId,
}

impl Target {
    /// The fields this target may fill: what a mapping file must name to replace it.
    pub(crate) fn fields(&self) -> Vec<Field> {
        match self {
            Target::Field(f) => vec![f.clone()],
            Target::Country { code, name } | Target::State { code, name } => {
                vec![code.clone(), name.clone()]
            }
            Target::YesNo(field) | Target::IfValid(field) => vec![field.clone()],
            Target::TaxExemptWithoutId => vec![Field::TaxExempt],
        }
    }
}

/// One column of a preset by every name it has had, e.g. `Default Address City` or `City`.
pub(crate) type Part = &'static [&'static str];

/// One field of a preset: where its value comes from.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) target: Target,
    /// Tried in order for each row: the first whose joined value is not blank wins (the
    /// address phone, else the customer's phone). Each is a list of parts joined.
    pub(crate) alternatives: Vec<Vec<Part>>,
    /// Between the non-blank parts of an alternative.
    pub(crate) separator: &'static str,
}

fn one(target: Field, part: Part) -> Entry {
    Entry {
        target: Target::Field(target),
        alternatives: vec![vec![part]],
        separator: "",
    }
}

fn joined(target: Field, parts: Vec<Part>, separator: &'static str) -> Entry {
    Entry {
        target: Target::Field(target),
        alternatives: vec![parts],
        separator,
    }
}

/// A header that only one export has: all of its columns must be present.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signature {
    pub(crate) preset: Preset,
    pub(crate) columns: &'static [&'static str],
}

/// Tried in order; the first whose columns are all in the header wins. Each names columns that
/// only its export has together, so that no file is taken for another export by one common
/// name (`Email`, `First Name`).
pub(crate) const SIGNATURES: [Signature; 16] = [
    Signature {
        preset: Preset::Shopify,
        columns: &[
            "First Name",
            "Default Address Address1",
            "Accepts Email Marketing",
        ],
    },
    Signature {
        preset: Preset::Shopify,
        columns: &["First Name", "Address1", "Accepts Email Marketing"],
    },
    Signature {
        preset: Preset::Shopify,
        columns: &["First Name", "Address1", "Accepts Marketing"],
    },
    Signature {
        preset: Preset::WooCommerce,
        columns: &["user_email", "billing_address_1"],
    },
    Signature {
        preset: Preset::WooCommerce,
        columns: &["email", "billing_address_1"],
    },
    Signature {
        preset: Preset::WooCommerce,
        columns: &["Username", "Last Active", "Total Spend"],
    },
    // WordPress users without WooCommerce's billing columns (WebToffee's users export): the
    // columns of WordPress's users table.
    Signature {
        preset: Preset::WooCommerce,
        columns: &["user_email", "user_login", "user_nicename"],
    },
    // The main file and the composite file (which adds `_address_*`) alike.
    Signature {
        preset: Preset::Magento,
        columns: &["email", "_website", "_store"],
    },
    Signature {
        preset: Preset::BigCommerce,
        columns: &["Store Credit", "Customer Group"],
    },
    Signature {
        preset: Preset::PrestaShop,
        columns: &["Social title", "Email address", "Last visit"],
    },
    Signature {
        preset: Preset::Wix,
        columns: &["Email 1", "Email subscriber status"],
    },
    Signature {
        preset: Preset::Wix,
        columns: &["Email 1", "Address 1 - Street"],
    },
    Signature {
        preset: Preset::Squarespace,
        columns: &["Billing Name", "Billing Province/State"],
    },
    Signature {
        preset: Preset::Mailchimp,
        columns: &["MEMBER_RATING", "OPTIN_TIME"],
    },
    Signature {
        preset: Preset::HubSpot,
        columns: &["Record ID", "Contact owner"],
    },
    Signature {
        preset: Preset::HubSpot,
        columns: &["Record ID", "Email", "Create Date"],
    },
];

/// Whether a header name is `wanted`: ignoring case and surrounding spaces, as everywhere.
pub(crate) fn same_name(header: &str, wanted: &str) -> bool {
    header.trim().eq_ignore_ascii_case(wanted.trim())
}

/// The preset whose signature the header has, with the signature's columns as the file spells
/// them.
pub(crate) fn detect(names: &[String]) -> Option<(Preset, Vec<String>)> {
    SIGNATURES.iter().find_map(|signature| {
        let found: Option<Vec<String>> = signature
            .columns
            .iter()
            .map(|wanted| names.iter().find(|n| same_name(n, wanted)).cloned())
            .collect();
        found.map(|found| (signature.preset, found))
    })
}

/// Shopify's customer export. The current one prefixes address columns with `Default
/// Address`; the oldest has one `Accepts Marketing` where later ones split email and SMS.
fn shopify() -> Vec<Entry> {
    let street: Vec<Part> = vec![
        &["Default Address Address1", "Address1"],
        &["Default Address Address2", "Address2"],
    ];
    vec![
        one(Field::Email, &["Email"]),
        joined(
            Field::Billing(A::Name),
            vec![&["First Name"], &["Last Name"]],
            " ",
        ),
        one(
            Field::Billing(A::CompanyName),
            &["Default Address Company", "Company"],
        ),
        joined(Field::Billing(A::Street), street, "\n"),
        one(Field::Billing(A::City), &["Default Address City", "City"]),
        // The province name only when the file has no code: Ecwid's field holds a code.
        one(
            Field::Billing(A::StateOrProvinceCode),
            &["Default Address Province Code", "Province Code", "Province"],
        ),
        one(
            Field::Billing(A::CountryCode),
            &["Default Address Country Code", "Country Code"],
        ),
        one(Field::Billing(A::CountryName), &["Country"]),
        one(
            Field::Billing(A::PostalCode),
            &["Default Address Zip", "Zip"],
        ),
        Entry {
            target: Target::Field(Field::Billing(A::Phone)),
            alternatives: vec![vec![&["Default Address Phone"]], vec![&["Phone"]]],
            separator: "",
        },
        one(
            Field::AcceptMarketing,
            &["Accepts Email Marketing", "Accepts Marketing"],
        ),
        one(Field::PrivateAdminNotes, &["Note"]),
        Entry {
            target: Target::TaxExemptWithoutId,
            alternatives: vec![vec![&["Tax Exempt"]]],
            separator: "",
        },
    ]
}

/// WooCommerce has no customer export of its own: WebToffee and SkyVerge name columns after
/// the user meta keys (`billing_city`), Analytics after its table headings (`City`).
fn woocommerce() -> Vec<Entry> {
    let mut entries = vec![
        Entry {
            target: Target::Field(Field::Email),
            alternatives: vec![vec![&["user_email", "email"]], vec![&["billing_email"]]],
            separator: "",
        },
        Entry {
            target: Target::Field(Field::Billing(A::Name)),
            alternatives: vec![
                vec![&["billing_first_name"], &["billing_last_name"]],
                vec![&["first_name"], &["last_name"]],
                vec![&["Name"]],
            ],
            separator: " ",
        },
        Entry {
            target: Target::Country {
                code: Field::Billing(A::CountryCode),
                name: Field::Billing(A::CountryName),
            },
            // billing_country is always a code, so the two-letter rule sends it as one.
            alternatives: vec![vec![&["billing_country", "Country / Region"]]],
            separator: "",
        },
        one(Field::Billing(A::City), &["billing_city", "City"]),
        one(
            Field::Billing(A::StateOrProvinceCode),
            &["billing_state", "Region"],
        ),
        one(
            Field::Billing(A::PostalCode),
            &["billing_postcode", "Postal Code"],
        ),
    ];
    entries.extend(address(Field::Billing, BILLING));
    entries.extend(address(|a| Field::Shipping(0, a), SHIPPING));
    entries
}

/// The columns of a WooCommerce address, named after its meta keys.
struct AddressColumns {
    name: [Part; 2],
    company: Part,
    street: [Part; 2],
    city: Part,
    state: Part,
    postcode: Part,
    country: Part,
    phone: Part,
}

const BILLING: AddressColumns = AddressColumns {
    // The name, place and country of the billing address are in the entries above, with the
    // Analytics spellings as alternatives.
    name: [&[], &[]],
    company: &["billing_company"],
    street: [&["billing_address_1"], &["billing_address_2"]],
    city: &[],
    state: &[],
    postcode: &[],
    country: &[],
    phone: &["billing_phone"],
};

const SHIPPING: AddressColumns = AddressColumns {
    name: [&["shipping_first_name"], &["shipping_last_name"]],
    company: &["shipping_company"],
    street: [&["shipping_address_1"], &["shipping_address_2"]],
    city: &["shipping_city"],
    state: &["shipping_state"],
    postcode: &["shipping_postcode"],
    country: &["shipping_country"],
    phone: &["shipping_phone"],
};

fn address(field: impl Fn(A) -> Field, c: AddressColumns) -> Vec<Entry> {
    vec![
        joined(field(A::Name), c.name.to_vec(), " "),
        one(field(A::CompanyName), c.company),
        joined(field(A::Street), c.street.to_vec(), "\n"),
        one(field(A::City), c.city),
        one(field(A::StateOrProvinceCode), c.state),
        one(field(A::PostalCode), c.postcode),
        one(field(A::CountryCode), c.country),
        one(field(A::Phone), c.phone),
    ]
    .into_iter()
    // An empty part names no column: the entry is elsewhere for this address.
    .filter(|e| e.alternatives.iter().flatten().any(|part| !part.is_empty()))
    .collect()
}

#[cfg(test)]
mod tests {
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
}
