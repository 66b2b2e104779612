//! Which export each sample in `tests/data/presets/` is detected as, and the columns of each
//! that have no Ecwid field: one table over every sample, whatever platform wrote it. What the
//! rows of each export become is in `presets.rs` (Shopify, WooCommerce) and `platforms.rs`
//! (the other platforms).

use ecwid_import::input::mapping::Layout;
use ecwid_import::input::presets::Preset;

use crate::presets::{map, read_sample};

/// Each sample file is detected as its export, naming the columns that gave it away; a file
/// of no known export is read as Ecwid's own layout.
#[test]
fn every_sample_is_detected_as_its_export() {
    for (name, preset, signature) in [
        (
            "shopify-current.csv",
            Preset::Shopify,
            r#""First Name", "Default Address Address1", "Accepts Email Marketing""#,
        ),
        (
            "shopify-previous.csv",
            Preset::Shopify,
            r#""First Name", "Address1", "Accepts Email Marketing""#,
        ),
        (
            "shopify-oldest.csv",
            Preset::Shopify,
            r#""First Name", "Address1", "Accepts Marketing""#,
        ),
        (
            "woocommerce-webtoffee.csv",
            Preset::WooCommerce,
            r#""user_email", "billing_address_1""#,
        ),
        (
            "woocommerce-skyverge.csv",
            Preset::WooCommerce,
            r#""email", "billing_address_1""#,
        ),
        (
            "woocommerce-analytics.csv",
            Preset::WooCommerce,
            r#""Username", "Last Active", "Total Spend""#,
        ),
        (
            "woocommerce-users.csv",
            Preset::WooCommerce,
            r#""user_email", "user_login", "user_nicename""#,
        ),
        (
            "magento-main.csv",
            Preset::Magento,
            r#""email", "_website", "_store""#,
        ),
        (
            "magento-composite.csv",
            Preset::Magento,
            r#""email", "_website", "_store""#,
        ),
        (
            "bigcommerce-bulk-edit.csv",
            Preset::BigCommerce,
            r#""Store Credit", "Customer Group""#,
        ),
        (
            "prestashop.csv",
            Preset::PrestaShop,
            r#""Social title", "Email address", "Last visit""#,
        ),
        (
            "wix.csv",
            Preset::Wix,
            r#""Email 1", "Email subscriber status""#,
        ),
        (
            "squarespace.csv",
            Preset::Squarespace,
            r#""Billing Name", "Billing Province/State""#,
        ),
        (
            "mailchimp-subscribed.csv",
            Preset::Mailchimp,
            r#""MEMBER_RATING", "OPTIN_TIME""#,
        ),
        (
            "hubspot.csv",
            Preset::HubSpot,
            r#""Record ID", "Contact owner""#,
        ),
    ] {
        let csv = read_sample(name);
        // PrestaShop writes `;`: the reader detects it, the test's parser is told.
        let csv = if name == "prestashop.csv" {
            csv.replace(';', ",")
        } else {
            csv
        };
        let (_, choice, _) = map(&csv, &Layout::default()).expect(name);
        assert_eq!(choice.preset, preset, "{name}");
        // Shopify's older exports have the province's name beside its code: left out, saying
        // so, after the detection.
        let said = choice.to_string();
        let said = said
            .strip_suffix(
                "; left out: \"Province\" (the name of the place whose code \"Province Code\" \
                 gives, which the store names itself)",
            )
            .filter(|_| name.starts_with("shopify"))
            .unwrap_or(&said);
        assert_eq!(
            said,
            format!("preset {preset} (detected: the header has {signature})"),
            "{name}"
        );
    }
    let (_, choice, _) = map("email,name\n", &Layout::default()).unwrap();
    assert_eq!(choice.preset, Preset::Ecwid);
}

/// Columns with no Ecwid home are listed as not imported, and only those (password columns
/// among them).
#[test]
fn columns_without_a_field_are_listed_as_not_imported() {
    for (name, expected) in [
        (
            "shopify-current.csv",
            vec![
                "Customer ID",
                "Accepts SMS Marketing",
                "Accepts WhatsApp Marketing",
                "Total Spent",
                "Total Orders",
                "Tags",
                "Birth date (customer.metafields.facts.birth_date)",
            ],
        ),
        (
            "shopify-previous.csv",
            vec![
                "Accepts SMS Marketing",
                "Total Spent",
                "Total Orders",
                "Tags",
            ],
        ),
        (
            "woocommerce-webtoffee.csv",
            vec![
                "ID",
                "customer_id",
                "user_login",
                "user_pass",
                "user_nicename",
                "user_url",
                "user_registered",
                "display_name",
                "user_status",
                "roles",
            ],
        ),
        (
            "woocommerce-skyverge.csv",
            vec![
                "customer_id",
                "date_registered",
                "total_spent",
                "order_count",
            ],
        ),
        (
            "woocommerce-analytics.csv",
            vec![
                "Username",
                "Last Active",
                "Sign Up",
                "Orders",
                "Total Spend",
                "AOV",
            ],
        ),
        (
            "woocommerce-users.csv",
            vec![
                "ID",
                "user_login",
                "user_pass",
                "wt_hash",
                "user_nicename",
                "user_url",
                "user_registered",
                "display_name",
                "user_status",
                "roles",
            ],
        ),
        (
            "magento-composite.csv",
            vec![
                "_website",
                "_store",
                "confirmation",
                "created_at",
                "created_in",
                "disable_auto_group_change",
                "dob",
                "gender",
                "group_id",
                "password_hash",
                "prefix",
                "rp_token",
                "rp_token_created_at",
                "store_id",
                "suffix",
                "website_id",
                "password",
                "_address_fax",
                "_address_prefix",
                "_address_suffix",
                "_address_default_billing_",
                "_address_default_shipping_",
            ],
        ),
        (
            "bigcommerce-bulk-edit.csv",
            vec![
                "Customer ID",
                "Store Credit",
                "Customer Group",
                "Address ID - 1",
                "Address ID - 2",
                "Receive Review/Abandoned Cart Emails?",
                "Tax Exempt Category",
            ],
        ),
        (
            "mailchimp-subscribed.csv",
            vec![
                "Birthday",
                "MEMBER_RATING",
                "OPTIN_TIME",
                "OPTIN_IP",
                "CONFIRM_TIME",
                "CONFIRM_IP",
                "LATITUDE",
                "LONGITUDE",
                "GMTOFF",
                "DSTOFF",
                "TIMEZONE",
                "CC",
                "REGION",
                "LAST_CHANGED",
                "LEID",
                "EUID",
                "TAGS",
            ],
        ),
        (
            "hubspot.csv",
            vec![
                "Record ID",
                "Contact owner",
                "Lead Status",
                "Marketing contact status",
                "Create Date",
                "Last Activity Date",
            ],
        ),
    ] {
        let (map, _, _) = map(&read_sample(name), &Layout::default()).unwrap();
        assert_eq!(map.not_imported(), expected, "{name}");
    }
}
