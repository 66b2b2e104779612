//! The layouts of customer exports from other shops, and how to tell them apart by header.
//!
//! Merchants moving to Ecwid bring the file their old shop gave them, not one with Ecwid's
//! column names. Each preset is a table: which columns fill which field, and how several
//! columns are joined into one value (first and last name, two address lines). A column is
//! named by every spelling the export has used over the years, so one table covers every
//! generation of an export. Detection looks for a few columns that only that export has (its
//! signature), so that a file is never mistaken for another export by one common name.

use std::fmt;

use crate::customer::fields::{AddressField as A, ContactField, Field};
pub(crate) use company::looks_like_company;

mod address_cell;
mod bigcommerce;
mod cells;
mod company;
mod detect;
mod hubspot;
pub(crate) mod magento;
pub(crate) use address_cell::{has_parts, split_packed_address};
pub(crate) use cells::split_values;
pub(crate) use detect::{SIGNATURES, detect, same_name};
mod mailchimp;
mod prestashop;
mod shopify;
mod squarespace;
mod stripe;
mod wix;
mod woocommerce;

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
    /// Stripe's customers export (`unified_customers.csv`).
    Stripe,
}

impl Preset {
    /// Every preset, for the tests that go over them all.
    #[cfg(test)]
    pub(crate) const ALL: [Preset; 11] = [
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
        Preset::Stripe,
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
            Preset::Stripe => "stripe",
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
            Preset::Shopify => shopify::entries(),
            Preset::WooCommerce => woocommerce::entries(),
            Preset::Magento => magento::entries(),
            Preset::BigCommerce => bigcommerce::entries(),
            Preset::PrestaShop => prestashop::entries(),
            Preset::Wix => wix::entries(),
            Preset::Squarespace => squarespace::entries(),
            Preset::Mailchimp => mailchimp::entries(),
            Preset::HubSpot => hubspot::entries(),
            Preset::Stripe => stripe::entries(),
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
    /// A whole address in one cell, for the billing address (`None`) or shipping address
    /// `i`: Mailchimp's `Address` (street, second line, city, state, postal code, country
    /// between double spaces), Amazon's order history (name, street, city, province, postal
    /// code, country between commas), an address as printed on lines. Split where its reading
    /// is certain (see [`split_packed_address`]); any other cell is sent whole as the street
    /// and counted once a run, never guessed. Also the street of any file's address that has
    /// no other place column (`mapping::whole_address`).
    PackedAddress(Option<usize>),
    /// A person's name from the first alternative that holds one, where an export's name
    /// column may hold a company or an email address instead (Stripe's `Name`, with the
    /// payer's `Card Name` after it): a value that [`looks_like_company`] fills `company`
    /// (when no earlier alternative did), an email address is no name, and the first other
    /// value is the name.
    Person {
        name: Field,
        company: Field,
    },
    /// A further phone as contact `position` (type `PHONE`), unless it is the value `unless`
    /// already has (HubSpot's `Mobile Phone Number`, which is the phone when the contact has no
    /// other, and a contact beside another).
    PhoneContact {
        position: usize,
        unless: Field,
    },
    /// Each value of the cell (several are split as [`split_values`] does) is a contact of
    /// this type (`EMAIL`, `PHONE`, `URL`), after those the file's contact columns fill: a
    /// second or third email or phone of an export (Wix's `Email 2`, `Phone 3`).
    Contact(&'static str),
    /// The type of address block `n` of an export (Wix's `Address 2 - Type`: `Billing`,
    /// `Shipping`, `Home`, `Work`), which decides row by row where the block's parts go
    /// (`mapping::typed`).
    AddressType(usize),
    /// A part of address block `n`, written as a part of the billing address; row by row it
    /// goes to the address its block's type gives.
    InAddress(usize, Box<Target>),
}

impl Target {
    /// The same target with each of its fields put through `field` (a field, or a country's
    /// or state's code and name); the others as they are.
    pub(crate) fn with_address_fields(&self, field: impl Fn(&Field) -> Field) -> Target {
        match self {
            Target::Field(f) => Target::Field(field(f)),
            Target::Country { code, name } => Target::Country {
                code: field(code),
                name: field(name),
            },
            Target::State { code, name } => Target::State {
                code: field(code),
                name: field(name),
            },
            other => other.clone(),
        }
    }

    /// The fields this target may fill: what a mapping file must name to replace it.
    pub(crate) fn fields(&self) -> Vec<Field> {
        match self {
            Target::Field(f) => vec![f.clone()],
            Target::Country { code, name } | Target::State { code, name } => {
                vec![code.clone(), name.clone()]
            }
            Target::YesNo(field) | Target::IfValid(field) => vec![field.clone()],
            Target::TaxExemptWithoutId => vec![Field::TaxExempt],
            Target::Person { name, company } => vec![name.clone(), company.clone()],
            Target::PhoneContact { position, .. } => vec![
                Field::Contact(*position, ContactField::Contact),
                Field::Contact(*position, ContactField::Type),
            ],
            // A contact at the next free position: no field of its own to replace.
            Target::Contact(_) | Target::AddressType(_) => Vec::new(),
            // Named by its block, as the block's shipping address: the field it fills is
            // chosen row by row.
            Target::InAddress(block, part) => part
                .fields()
                .into_iter()
                .map(|f| match f {
                    Field::Billing(a) => Field::Shipping(*block, a),
                    other => other,
                })
                .collect(),
            Target::PackedAddress(field) => [
                A::Street,
                A::City,
                A::StateOrProvinceCode,
                A::StateOrProvinceName,
                A::PostalCode,
                A::CountryCode,
                A::CountryName,
            ]
            .into_iter()
            .map(|a| packed_field(*field, a))
            .collect(),
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

/// A yes/no field from a column of answers in any language (see [`Target::YesNo`]).
fn yes_no(target: Field, part: Part) -> Entry {
    Entry {
        target: Target::YesNo(target),
        alternatives: vec![vec![part]],
        separator: "",
    }
}

/// The target of a part of an address block ([`Target::InAddress`]) in the address its row
/// sends it to: the billing address (`None`) or shipping address `i`.
pub(crate) fn in_address(part: &Target, address: Option<usize>) -> Target {
    part.with_address_fields(|f| match f {
        Field::Billing(a) => packed_field(address, *a),
        other => other.clone(),
    })
}

/// Address block `block` of an export, routed row by row by the type in `kind` (see
/// [`Target::AddressType`]): its type entry, then its parts.
fn typed_address(
    block: usize,
    kind: Part,
    columns: &AddressColumns,
    state: Given,
    country: Given,
) -> Vec<Entry> {
    let mut entries = vec![Entry {
        target: Target::AddressType(block),
        alternatives: vec![vec![kind]],
        separator: "",
    }];
    for entry in address(Field::Billing, columns, state, country) {
        entries.push(Entry {
            target: Target::InAddress(block, Box::new(entry.target)),
            ..entry
        });
    }
    entries
}

/// Field `a` of the address a [`Target::PackedAddress`] fills.
pub(crate) fn packed_field(address: Option<usize>, a: A) -> Field {
    match address {
        None => Field::Billing(a),
        Some(i) => Field::Shipping(i, a),
    }
}

/// Each value of one column of each of `parts` is a contact of type `kind`.
fn contacts(kind: &'static str, parts: &[Part]) -> Vec<Entry> {
    parts
        .iter()
        .map(|part| Entry {
            target: Target::Contact(kind),
            alternatives: vec![vec![*part]],
            separator: "",
        })
        .collect()
}

fn joined(target: Field, parts: Vec<Part>, separator: &'static str) -> Entry {
    Entry {
        target: Target::Field(target),
        alternatives: vec![parts],
        separator,
    }
}

/// The columns of one address in an export. A part the export does not have, or fills from
/// its own entry (one with alternatives), is left out: empty, or `None`.
#[derive(Debug, Clone, Copy)]
struct AddressColumns {
    /// Joined with a space: first and last name, or one column with the whole name.
    name: &'static [Part],
    company: Option<Part>,
    /// The street lines, joined with a line break: Ecwid keeps them in one field.
    street: &'static [Part],
    city: Option<Part>,
    state: Option<Part>,
    postal_code: Option<Part>,
    country: Option<Part>,
    phone: Option<Part>,
}

impl AddressColumns {
    /// No column: a table starts from it and names only what its export has.
    const NONE: AddressColumns = AddressColumns {
        name: &[],
        company: None,
        street: &[],
        city: None,
        state: None,
        postal_code: None,
        country: None,
        phone: None,
    };
}

/// How an export writes a state or a country, which decides the field its column fills.
#[derive(Debug, Clone, Copy)]
enum Given {
    /// Always a code (`NY`, `DE`).
    Code,
    /// A name (`California`), or whatever the customer typed: Ecwid's name field takes both.
    Name,
    /// Either, told apart row by row ([`Target::State`], [`Target::Country`]).
    CodeOrName,
}

impl Given {
    fn target(self, code: Field, name: Field, either: fn(Field, Field) -> Target) -> Target {
        match self {
            Given::Code => Target::Field(code),
            Given::Name => Target::Field(name),
            Given::CodeOrName => either(code, name),
        }
    }
}

/// The entries of one address, `state` and `country` saying how the export writes those;
/// `field` puts a part in the billing address or in one of the shipping addresses. Every
/// export's address comes out in one order (name, company, street, city, state, postal code,
/// country, phone). A row does not show that order, neither in its request nor in its
/// problems: each field is filled once, and the country code is the only address field with a
/// rule to break.
fn address(
    field: impl Fn(A) -> Field,
    columns: &AddressColumns,
    state: Given,
    country: Given,
) -> Vec<Entry> {
    let state_target = state.target(
        field(A::StateOrProvinceCode),
        field(A::StateOrProvinceName),
        |code, name| Target::State { code, name },
    );
    let country_target = country.target(
        field(A::CountryCode),
        field(A::CountryName),
        |code, name| Target::Country { code, name },
    );
    let parts = |target: Target, parts: &[Part], separator| {
        (!parts.is_empty()).then(|| Entry {
            target,
            alternatives: vec![parts.to_vec()],
            separator,
        })
    };
    let column = |target: Target, part: Option<Part>| parts(target, part.as_slice(), "");
    [
        parts(Target::Field(field(A::Name)), columns.name, " "),
        column(Target::Field(field(A::CompanyName)), columns.company),
        parts(Target::Field(field(A::Street)), columns.street, "\n"),
        column(Target::Field(field(A::City)), columns.city),
        column(state_target, columns.state),
        column(Target::Field(field(A::PostalCode)), columns.postal_code),
        column(country_target, columns.country),
        column(Target::Field(field(A::Phone)), columns.phone),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
#[path = "presets_tests.rs"]
mod tests;
