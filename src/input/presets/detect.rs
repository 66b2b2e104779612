//! Telling an export by its header: each preset's signature, a few columns only that export
//! has together, tried in order.

use super::Preset;

/// A header that only one export has: all of its columns must be present.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Signature {
    pub(crate) preset: Preset,
    pub(crate) columns: &'static [&'static str],
    /// Columns whose presence says the file is another export that shares the signature's
    /// names (Zoho CRM's `Record Id` and `Contact Owner`, with its lookup `Contact Owner.id`).
    pub(crate) unless: &'static [&'static str],
}

/// Tried in order; the first whose columns are all in the header wins. Each names columns that
/// only its export has together, so that no file is taken for another export by one common
/// name (`Email`, `First Name`).
pub(crate) const SIGNATURES: [Signature; 19] = [
    Signature {
        preset: Preset::Shopify,
        columns: &[
            "First Name",
            "Default Address Address1",
            "Accepts Email Marketing",
        ],
        unless: &[],
    },
    Signature {
        preset: Preset::Shopify,
        columns: &["First Name", "Address1", "Accepts Email Marketing"],
        unless: &[],
    },
    Signature {
        preset: Preset::Shopify,
        columns: &["First Name", "Address1", "Accepts Marketing"],
        unless: &[],
    },
    Signature {
        preset: Preset::WooCommerce,
        columns: &["user_email", "billing_address_1"],
        unless: &[],
    },
    Signature {
        preset: Preset::WooCommerce,
        columns: &["email", "billing_address_1"],
        unless: &[],
    },
    Signature {
        preset: Preset::WooCommerce,
        columns: &["Username", "Last Active", "Total Spend"],
        unless: &[],
    },
    // WordPress users without WooCommerce's billing columns (WebToffee's users export): the
    // columns of WordPress's users table.
    Signature {
        preset: Preset::WooCommerce,
        columns: &["user_email", "user_login", "user_nicename"],
        unless: &[],
    },
    // The main file and the composite file (which adds `_address_*`) alike.
    Signature {
        preset: Preset::Magento,
        columns: &["email", "_website", "_store"],
        unless: &[],
    },
    Signature {
        preset: Preset::BigCommerce,
        columns: &["Store Credit", "Customer Group"],
        unless: &[],
    },
    Signature {
        preset: Preset::PrestaShop,
        columns: &["Social title", "Email address", "Last visit"],
        unless: &[],
    },
    Signature {
        preset: Preset::Wix,
        columns: &["Email 1", "Email subscriber status"],
        unless: &[],
    },
    Signature {
        preset: Preset::Wix,
        columns: &["Email 1", "Address 1 - Street"],
        unless: &[],
    },
    Signature {
        preset: Preset::Squarespace,
        columns: &["Billing Name", "Billing Province/State"],
        unless: &[],
    },
    Signature {
        preset: Preset::Mailchimp,
        columns: &["MEMBER_RATING", "OPTIN_TIME"],
        unless: &[],
    },
    Signature {
        preset: Preset::HubSpot,
        columns: &["Record ID", "Contact owner"],
        unless: &["Contact Owner.id"],
    },
    Signature {
        preset: Preset::HubSpot,
        columns: &["Record ID", "Email", "Create Date"],
        unless: &["Contact Owner.id"],
    },
    // An export with associated records names the contact's own id so.
    Signature {
        preset: Preset::HubSpot,
        columns: &["Record ID - Contact", "Email"],
        unless: &[],
    },
    // Stripe: the card's columns, in every generation of the export.
    Signature {
        preset: Preset::Stripe,
        columns: &["Card Name", "Card Address Line1"],
        unless: &[],
    },
    Signature {
        preset: Preset::Stripe,
        columns: &["Created (UTC)", "Card ID"],
        unless: &[],
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
        if signature
            .unless
            .iter()
            .any(|other| names.iter().any(|n| same_name(n, other)))
        {
            return None;
        }
        let found: Option<Vec<String>> = signature
            .columns
            .iter()
            .map(|wanted| names.iter().find(|n| same_name(n, wanted)).cloned())
            .collect();
        found.map(|found| (signature.preset, found))
    })
}
