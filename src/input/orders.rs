//! Orders exports read as a customer list: Shopify's `orders_export.csv`, WooCommerce's order
//! exports, Etsy's sold orders, Temu's and Amazon's seller exports, Squarespace's and Ecwid's
//! orders. Many merchants have no customer export, only these, with one row per order or per
//! line item and the buyer's details on each row.
//!
//! A header is an orders export when it has an order's id (or a line-item column) and at least
//! two more columns of order data (`data/orders.toml`). Then the buyer is the customer: the
//! rows of one buyer (one email, ignoring case) are one customer, made by [`merge`] from all of
//! them, and the columns no customer field takes that hold the order (totals, line items,
//! payment, fulfilment) are listed once as order data.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::customer::{Address, CustomerRequest};
use crate::input::names::normalise;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrdersFile {
    ids: Vec<String>,
    dates: Vec<String>,
    words: Vec<String>,
    names: Vec<String>,
    line_items: Vec<String>,
    no_email: Vec<NoEmailFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoEmailFile {
    platform: String,
    columns: Vec<String>,
}

/// `data/orders.toml`, normalised.
struct Table {
    ids: Vec<String>,
    dates: Vec<String>,
    words: Vec<String>,
    names: Vec<String>,
    line_items: Vec<String>,
    no_email: Vec<(String, Vec<String>)>,
}

const ORDERS: &str = include_str!("../../data/orders.toml");

static TABLE: LazyLock<Table> =
    LazyLock::new(|| parse(ORDERS).expect("data/orders.toml is checked by tests"));

fn parse(text: &str) -> Result<Table, String> {
    let file: OrdersFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let all = |list: &[String]| list.iter().map(|n| normalise(n)).collect::<Vec<_>>();
    Ok(Table {
        ids: all(&file.ids),
        dates: all(&file.dates),
        words: all(&file.words),
        names: all(&file.names),
        line_items: all(&file.line_items),
        no_email: file
            .no_email
            .iter()
            .map(|n| (n.platform.clone(), all(&n.columns)))
            .collect(),
    })
}

/// What makes a header an orders export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrdersLayout {
    /// The order's id column, or the first line-item column: what the mapping report names.
    pub(crate) marker: usize,
    /// The column of the order's date, which tells the most recent order of a buyer.
    pub(crate) date: Option<usize>,
}

/// The orders layout of a header, if it is one.
pub(crate) fn detect(names: &[String]) -> Option<OrdersLayout> {
    let table = &*TABLE;
    let normal: Vec<String> = names.iter().map(|n| normalise(n)).collect();
    let id = normal.iter().position(|n| table.ids.contains(n));
    let line_item = normal
        .iter()
        .position(|n| n.starts_with("lineitem") || table.line_items.contains(n));
    let marker = id.or(line_item)?;
    let data = normal
        .iter()
        .enumerate()
        .filter(|(i, n)| *i != marker && is_order_data_normal(n))
        .count();
    if data < 2 {
        return None;
    }
    let date = table
        .dates
        .iter()
        .find_map(|d| normal.iter().position(|n| n == d));
    Some(OrdersLayout { marker, date })
}

/// Whether a column holds the order rather than the customer (when no field takes it).
pub(crate) fn is_order_data(name: &str) -> bool {
    is_order_data_normal(&normalise(name))
}

fn is_order_data_normal(name: &str) -> bool {
    let table = &*TABLE;
    !name.is_empty()
        && (table.ids.iter().any(|n| n == name)
            || table.names.iter().any(|n| n == name)
            || table.words.iter().any(|w| name.contains(w.as_str())))
}

/// The platform whose orders export this header is, when that platform never gives the
/// buyer's email (Etsy, Amazon): said when the file is refused for having no email column.
pub(crate) fn platform_without_emails(names: &[String]) -> Option<&'static str> {
    let normal: Vec<String> = names.iter().map(|n| normalise(n)).collect();
    TABLE
        .no_email
        .iter()
        .find(|(_, columns)| columns.iter().all(|c| normal.contains(c)))
        .map(|(platform, _)| match platform.as_str() {
            "Etsy" => "Etsy",
            "Amazon" => "Amazon",
            _ => "this platform",
        })
}

/// A date as a number that sorts as the dates do (`YYYYMMDDhhmmss`), for the dates orders
/// exports write: `2024-03-02 10:15:00 +0000`, `2024-03-02T10:15:00Z`, `03/02/24` and
/// `03/02/2024` (month first, as US exports write it, unless the first number is over 12),
/// `02.03.2024` (day first). The time zone is not read. `None` for anything else.
pub(crate) fn date_key(value: &str) -> Option<u64> {
    let groups: Vec<&str> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let number = |i: usize| groups.get(i).and_then(|g| g.parse::<u64>().ok());
    let (year, month, day) = match groups.first()?.len() {
        4 => (number(0)?, number(1)?, number(2)?),
        1 | 2 => {
            let (a, b, mut year) = (number(0)?, number(1)?, number(2)?);
            if groups[2].len() == 2 {
                year += 2000;
            }
            let day_first = value.trim_start().chars().find(|c| !c.is_ascii_digit()) == Some('.');
            if day_first || a > 12 {
                (year, b, a)
            } else {
                (year, a, b)
            }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || year > 9999 {
        return None;
    }
    let time = |i: usize| number(i).filter(|&t| t < 60).unwrap_or(0);
    let (hour, minute, second) = (time(3).min(23), time(4), time(5));
    Some(((((year * 100 + month) * 100 + day) * 100 + hour) * 100 + minute) * 100 + second)
}

/// One buyer's customer from the requests of all its rows, oldest order first: the most recent
/// order's details (each field from the most recent row that gives it; the billing address
/// whole, never mixed from two orders), every different shipping address (the most recent
/// first) and every different contact. The email is the most recent row's: the caller gives
/// the customer the email of the row it is sent for.
pub(crate) fn merge(rows: Vec<CustomerRequest>) -> CustomerRequest {
    let mut rows = rows.into_iter().rev();
    let Some(mut merged) = rows.next() else {
        return CustomerRequest::default();
    };
    for older in rows {
        let CustomerRequest {
            email: _,
            password,
            billing_person,
            shipping_addresses,
            contacts,
            customer_group_id,
            customer_group_name,
            b2b_b2c,
            tax_id,
            tax_id_valid,
            tax_exempt,
            accept_marketing,
            lang,
            private_admin_notes,
            fiscal_code,
            electronic_invoice_pec_email,
            electronic_invoice_sdi_code,
            extrafields,
            lang_if_enabled,
        } = older;
        let m = &mut merged;
        fill(&mut m.password, password);
        if m.billing_person.as_ref().is_none_or(is_blank) {
            m.billing_person = billing_person.or(m.billing_person.take());
        }
        for address in shipping_addresses.into_iter().flatten() {
            let list = m.shipping_addresses.get_or_insert_with(Vec::new);
            if !is_blank(&address) && !list.iter().any(|a| same_address(a, &address)) {
                list.push(address);
            }
        }
        for contact in contacts.into_iter().flatten() {
            let list = m.contacts.get_or_insert_with(Vec::new);
            let same = |c: &crate::customer::Contact| {
                c.kind == contact.kind && lower(&c.contact) == lower(&contact.contact)
            };
            if !list.iter().any(same) {
                list.push(contact);
            }
        }
        fill(&mut m.customer_group_id, customer_group_id);
        fill(&mut m.customer_group_name, customer_group_name);
        fill(&mut m.b2b_b2c, b2b_b2c);
        fill(&mut m.tax_id, tax_id);
        fill(&mut m.tax_id_valid, tax_id_valid);
        fill(&mut m.tax_exempt, tax_exempt);
        fill(&mut m.accept_marketing, accept_marketing);
        if m.lang.is_none() && lang.is_some() {
            // The check a language gets goes with the column it came from.
            m.lang = lang;
            m.lang_if_enabled = lang_if_enabled;
        }
        fill(&mut m.private_admin_notes, private_admin_notes);
        fill(&mut m.fiscal_code, fiscal_code);
        fill(
            &mut m.electronic_invoice_pec_email,
            electronic_invoice_pec_email,
        );
        fill(
            &mut m.electronic_invoice_sdi_code,
            electronic_invoice_sdi_code,
        );
        for field in extrafields.into_iter().flatten() {
            let list = m.extrafields.get_or_insert_with(Vec::new);
            if !list.iter().any(|f| f.key == field.key) {
                list.push(field);
            }
        }
    }
    merged
}

/// A buyer's customer as a person would enter it: a phone contact that only repeats the
/// billing phone (Shopify's order `Phone` beside `Billing Phone`) is left out.
pub(crate) fn tidy(customer: &mut CustomerRequest) {
    let digits = |v: &str| v.chars().filter(char::is_ascii_digit).collect::<String>();
    let phone = customer
        .billing_person
        .as_ref()
        .and_then(|b| b.phone.as_deref())
        .map(digits);
    if let (Some(phone), Some(contacts)) = (phone, customer.contacts.as_mut()) {
        contacts.retain(|c| {
            c.kind.as_deref() != Some("PHONE")
                || c.contact.as_deref().map(digits) != Some(phone.clone())
        });
        if contacts.is_empty() {
            customer.contacts = None;
        }
    }
}

/// The newer value, else the older one.
fn fill<T>(newer: &mut Option<T>, older: Option<T>) {
    if newer.is_none() {
        *newer = older;
    }
}

fn lower(value: &Option<String>) -> Option<String> {
    value.as_deref().map(|v| v.trim().to_lowercase())
}

fn is_blank(address: &Address) -> bool {
    *address == Address::default()
}

/// Two addresses alike but for case and surrounding spaces.
fn same_address(a: &Address, b: &Address) -> bool {
    let parts = |x: &Address| {
        [
            lower(&x.name),
            lower(&x.company_name),
            lower(&x.street),
            lower(&x.city),
            lower(&x.country_code),
            lower(&x.country_name),
            lower(&x.postal_code),
            lower(&x.state_or_province_code),
            lower(&x.state_or_province_name),
            lower(&x.phone),
        ]
    };
    parts(a) == parts(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(header: &str) -> Vec<String> {
        header.split(',').map(str::to_string).collect()
    }

    #[test]
    fn the_table_parses() {
        let table = parse(ORDERS).unwrap();
        assert!(table.ids.contains(&"orderid".to_string()));
        assert!(!table.no_email.is_empty());
    }

    /// Orders exports are told from customer lists by an id or line item and order data.
    #[test]
    fn orders_headers_are_told_from_customer_lists() {
        for header in [
            "Name,Email,Financial Status,Created at,Lineitem quantity,Lineitem name,Total",
            "Sale Date,Order ID,Buyer User ID,Full Name,Street 1,Ship City,Order Total,Currency",
            "order-id,purchase-date,buyer-email,sku,quantity-purchased,item-price,ship-city",
            "Bestellnummer,Artikelname,Menge,Name des Empfängers,Versandpostleitzahl (5-stellig)",
        ] {
            assert!(detect(&names(header)).is_some(), "{header}");
        }
        for header in [
            "Email,First Name,Last Name,Total Spent,Orders Count",
            "Customer ID,First Name,Email,Accepts Marketing,Total Spent,Total Orders,Tags",
            "Email,Name,Products Purchased,Total Spent,Orders Count",
            "email,name,billingPerson.street",
        ] {
            assert_eq!(detect(&names(header)), None, "{header}");
        }
        let shopify = detect(&names("Name,Email,Lineitem name,Total,Paid at,Created at")).unwrap();
        assert_eq!((shopify.marker, shopify.date), (2, Some(5)));
    }

    #[test]
    fn dates_sort_as_they_fall() {
        let key = |v: &str| date_key(v).unwrap();
        assert_eq!(key("2024-03-02 10:15:00 +0000"), 20240302101500);
        assert_eq!(key("2024-03-02T10:15:00Z"), 20240302101500);
        assert_eq!(key("03/02/24"), 20240302000000);
        assert_eq!(key("13/02/2024"), 20240213000000);
        assert_eq!(key("02.03.2024 09:30"), 20240302093000);
        assert!(key("2023-12-31 23:59") < key("01/01/24"));
        for value in ["", "yesterday", "#1060", "2024-13-01"] {
            assert_eq!(date_key(value), None, "{value}");
        }
    }

    fn address(street: &str) -> Address {
        Address {
            street: Some(street.into()),
            ..Address::default()
        }
    }

    /// The most recent row's values win; older rows fill what it lacks; every different
    /// shipping address is kept, the most recent first; the billing address is never mixed.
    #[test]
    fn the_most_recent_order_gives_the_details() {
        let old = CustomerRequest {
            email: Some("A@example.com".into()),
            billing_person: Some(Address {
                name: Some("Old Name".into()),
                city: Some("Hamburg".into()),
                ..address("Alte Straße 1")
            }),
            shipping_addresses: Some(vec![address("Alte Straße 1")]),
            accept_marketing: Some(true),
            private_admin_notes: Some("old note".into()),
            ..CustomerRequest::default()
        };
        let line_item = CustomerRequest {
            email: Some("a@example.com".into()),
            ..CustomerRequest::default()
        };
        let new = CustomerRequest {
            email: Some("a@example.com".into()),
            billing_person: Some(address("Hauptstraße 5")),
            shipping_addresses: Some(vec![address("Gartenweg 9")]),
            accept_marketing: Some(false),
            ..CustomerRequest::default()
        };
        let merged = merge(vec![old, new.clone(), line_item]);
        assert_eq!(merged.billing_person, new.billing_person);
        assert_eq!(
            merged.shipping_addresses,
            Some(vec![address("Gartenweg 9"), address("Alte Straße 1")])
        );
        assert_eq!(merged.accept_marketing, Some(false));
        assert_eq!(merged.private_admin_notes.as_deref(), Some("old note"));
    }
}
