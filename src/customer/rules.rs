//! The value rules of the contract: what a cell may hold and how it is sent.
//!
//! [`RowChecker`] checks the cells of one row and [`RowBuilder`] turns them into a
//! [`CustomerRequest`]; both collect every broken rule instead of stopping at the first, so
//! that one look at the results file tells the user everything to fix in a row.

use std::collections::BTreeMap;
use std::fmt;

use super::fields::{AddressField, ContactField, Field};
use super::spreadsheet::is_numeric_text;
pub(crate) use super::spreadsheet::{is_exponent_form, is_placeholder, without_float_zeros};
use super::{Address, CONTACT_TYPES, Contact, CustomerRequest, ExtraField, countries};
use crate::words::quoted;

/// One broken rule in one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The column as the file names it.
    pub(crate) column: String,
    /// The cell as the file holds it (trimmed).
    pub(crate) value: String,
    pub(crate) rule: &'static str,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.column, quoted(&self.value), self.rule)
    }
}

pub const RULE_EMAIL: &str =
    "must be an email address: one @, a name before it, a domain with a dot after it, no spaces";
pub const RULE_EMAIL_REQUIRED: &str = "required: every customer needs an email";
pub(crate) const RULE_BOOLEAN: &str = "must be true/false, yes/no, y/n or 1/0";
pub(crate) const RULE_INTEGER: &str = "must be a whole number of decimal digits";
pub const RULE_COUNTRY: &str = "must be an ISO 3166-1 alpha-2 country code such as US, DE or GB";
pub(crate) const RULE_B2B: &str = "must be b2b or b2c";
pub(crate) const RULE_LANG: &str = "must be a language code such as en, de or pt_BR";
pub(crate) const RULE_CONTACT_TYPE: &str = "must be one of EMAIL PHONE FACEBOOK INSTAGRAM TWITTER YOUTUBE \
     TIKTOK PINTEREST VK FB_MESSENGER WHATSAPP TELEGRAM VIBER URL OTHER";
pub(crate) const RULE_TAX_EXEMPT: &str = "can be true only with a taxId in the same row";
pub(crate) const RULE_CONTACT_INCOMPLETE: &str =
    "required: a contact needs both its contact and its type (Ecwid refuses one without either)";
pub(crate) const RULE_ONE_DEFAULT: &str = "only one contact of each type can be the default";
pub(crate) const RULE_ROUNDED: &str = "a spreadsheet rounded this number to exponent form, and \
     its last digits are lost: take the value from the original export, opened with this column \
     as text (Excel: Data > From Text/CSV, column type Text; Google Sheets: File > Import with \
     \"Convert text to numbers\" unchecked), or type the full number";

/// A value that keeps `rule`, for the report's notes ("e.g. DE or Germany"); `None` for a rule
/// that no single cell keeps (it spans cells, or comes from a preset).
pub(crate) fn example(rule: &str) -> Option<&'static str> {
    let example = match rule {
        RULE_EMAIL | RULE_EMAIL_REQUIRED => "ann@example.com",
        RULE_BOOLEAN => "yes or no",
        RULE_INTEGER => "42",
        RULE_COUNTRY => "DE or Germany",
        RULE_B2B => "b2c",
        RULE_LANG => "en or pt_BR",
        RULE_CONTACT_TYPE => "PHONE",
        RULE_TAX_EXEMPT => "a taxId in the same row, or no here",
        RULE_CONTACT_INCOMPLETE => "both the contact (+49 30 1234) and its type (PHONE)",
        RULE_ONE_DEFAULT => "yes in one of these columns, no in the others",
        _ => return None,
    };
    Some(example)
}

/// What a column of `field` accepts, in the words of the rule messages: the column reference
/// of docs/files-and-columns.md is made from this, so the two cannot drift apart.
pub(crate) fn accepted(field: Field) -> String {
    let bare = |rule: &'static str| rule.strip_prefix("must be ").unwrap_or(rule);
    match field {
        Field::Email => format!("{RULE_EMAIL_REQUIRED}; {}", bare(RULE_EMAIL)),
        Field::CustomerGroupId | Field::Contact(_, ContactField::OrderBy) => {
            bare(RULE_INTEGER).into()
        }
        Field::TaxIdValid | Field::AcceptMarketing => bare(RULE_BOOLEAN).into(),
        Field::Contact(_, ContactField::Default) => {
            format!("{}; {RULE_ONE_DEFAULT}", bare(RULE_BOOLEAN))
        }
        Field::TaxExempt => format!("{}; {RULE_TAX_EXEMPT}", bare(RULE_BOOLEAN)),
        Field::B2bB2c => bare(RULE_B2B).into(),
        Field::Lang => format!(
            "{}, enabled in the store (any case, `-` or `_`; sent as the store spells it)",
            bare(RULE_LANG)
        ),
        Field::Billing(AddressField::CountryCode)
        | Field::Shipping(_, AddressField::CountryCode) => bare(RULE_COUNTRY).into(),
        Field::Contact(_, ContactField::Type) => {
            format!("{}; required in a contact", bare(RULE_CONTACT_TYPE))
        }
        Field::Contact(_, ContactField::Contact) => "any text; required in a contact".into(),
        Field::CustomerGroupName => {
            "the name of one of the store's customer groups, any case".into()
        }
        Field::ElectronicInvoicePecEmail => {
            "any text (not checked as an email address: the API documents no form for it)".into()
        }
        field if is_numeric_text(&field) => "any text; a number a spreadsheet saved with \
             decimals (`561156445.00`) is sent without them; one in exponent form \
             (`7.02255E+12`) is refused: its digits are lost"
            .into(),
        Field::Extra(_) => "any text (a date for a `datetime` field). An example of \
             `extrafields.<key>`: one column per extra field of the store, named by its key (case \
             kept) or by the field's title, sent as `{\"key\": \"<key>\", \"value\": <the \
             cell>}`; `import` and `plan` stop before sending when the store does not define the \
             key"
        .into(),
        _ => "any text".into(),
    }
}

/// Trims the ends of a cell: spaces, tabs and line breaks (inner line breaks are kept).
pub(crate) fn trim_cell(raw: &str) -> &str {
    // Byte by byte: the four are ASCII, and no byte of a longer UTF-8 character is.
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bytes = raw.as_bytes();
    let start = bytes.iter().position(|b| !blank(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !blank(b))
        .map_or(start, |i| i + 1);
    &raw[start..end]
}

/// `true`/`false`, `yes`/`no`, `y`/`n`, `1`/`0`, in any case.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    let is = |words: [&str; 4]| words.iter().any(|w| text.eq_ignore_ascii_case(w));
    if is(["true", "yes", "y", "1"]) {
        Some(true)
    } else if is(["false", "no", "n", "0"]) {
        Some(false)
    } else {
        None
    }
}

/// Decimal digits only: no sign, no spaces, no decimal point.
pub(crate) fn parse_integer(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// One `@`, a non-empty local part, a domain with a dot inside it, no whitespace.
pub(crate) fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !has_whitespace(text)
        && domain
            .split_once('.')
            .is_some_and(|(head, tail)| !head.is_empty() && !tail.is_empty())
        && !domain.ends_with('.')
}

/// Whether `text` holds a character that `char::is_whitespace` accepts; ASCII text byte by byte.
fn has_whitespace(text: &str) -> bool {
    if text.is_ascii() {
        // The ASCII characters of Unicode's White_Space: tab to carriage return, and space.
        text.bytes().any(|b| matches!(b, b'\t'..=b'\r' | b' '))
    } else {
        text.chars().any(char::is_whitespace)
    }
}

/// `b2b` or `b2c` in any case (sent in lower case).
fn is_b2b(text: &str) -> bool {
    text.eq_ignore_ascii_case("b2b") || text.eq_ignore_ascii_case("b2c")
}

/// A language code: two or three letters, optionally `_` or `-` and a region of 2 to 4 letters
/// or digits (`en`, `pt_BR`, `zh-Hant`). Whether the store has it enabled is the store's call.
pub(crate) fn is_lang(text: &str) -> bool {
    let (lang, region) = match text.split_once(['_', '-']) {
        Some((l, r)) => (l, Some(r)),
        None => (text, None),
    };
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_alphabetic())
        && region.is_none_or(|r| {
            (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// A contact type of [`CONTACT_TYPES`] in any case (sent in upper case).
fn is_contact_type(text: &str) -> bool {
    CONTACT_TYPES.iter().any(|t| t.eq_ignore_ascii_case(text))
}

/// The rule that a filled, trimmed `value` of `field` breaks, if any. This is the one place
/// that says which values each field takes; [`accepted`] says it in words.
pub(crate) fn broken_rule(field: &Field, value: &str) -> Option<&'static str> {
    let (ok, rule) = match field {
        Field::Email => (is_email(value), RULE_EMAIL),
        Field::CustomerGroupId | Field::Contact(_, ContactField::OrderBy) => {
            (parse_integer(value).is_some(), RULE_INTEGER)
        }
        Field::TaxIdValid
        | Field::TaxExempt
        | Field::AcceptMarketing
        | Field::Contact(_, ContactField::Default) => (parse_bool(value).is_some(), RULE_BOOLEAN),
        Field::B2bB2c => (is_b2b(value), RULE_B2B),
        Field::Lang => (is_lang(value), RULE_LANG),
        Field::Billing(AddressField::CountryCode)
        | Field::Shipping(_, AddressField::CountryCode) => {
            (countries::is_assigned(value), RULE_COUNTRY)
        }
        Field::Contact(_, ContactField::Type) => (is_contact_type(value), RULE_CONTACT_TYPE),
        field if is_numeric_text(field) => (!is_exponent_form(value), RULE_ROUNDED),
        _ => return None,
    };
    (!ok).then_some(rule)
}

/// Checks the cells of one row against the value rules without building anything: what a dry
/// run needs (no copy of any cell for a valid row), and the first step of [`RowBuilder`].
#[derive(Debug, Default)]
pub(crate) struct RowChecker {
    problems: Vec<Problem>,
    email_seen: bool,
    tax_id_seen: bool,
    /// The column and value of a tax-exempt cell that says true, for the problem without a
    /// tax ID.
    tax_exempt: Option<(String, String)>,
    group_id_seen: bool,
    group_name_seen: bool,
    /// The contacts the row fills, by position, for the rules that span a contact's cells.
    contacts: Vec<ContactCells>,
}

/// What the cells of one contact hold, as far as the rules across them need.
#[derive(Debug)]
struct ContactCells {
    position: usize,
    has_contact: bool,
    /// The type, upper case.
    kind: Option<String>,
    /// The column and cell that make it the default.
    default: Option<(String, String)>,
    /// The column and cell of a contact in a spreadsheet's exponent form: a phone's digits lost.
    rounded: Option<(String, String)>,
}

/// What the check of a valid row found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// The row names its customer group but gives no ID: the name is matched against the
    /// store's groups when importing.
    pub group_by_name: bool,
}

impl RowChecker {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Checks one cell: its trimmed value when it is filled and keeps its field's rule. A blank
    /// cell (after trimming) leaves the field out of the request.
    pub(crate) fn check<'v>(
        &mut self,
        field: &Field,
        column: &str,
        raw: &'v str,
    ) -> Option<&'v str> {
        let mut value = trim_cell(raw);
        if value.is_empty() {
            return None;
        }
        if is_numeric_text(field) {
            value = without_float_zeros(value);
        }
        match field {
            Field::Email => self.email_seen = true,
            Field::TaxId => self.tax_id_seen = true,
            Field::CustomerGroupId => self.group_id_seen = true,
            Field::CustomerGroupName => self.group_name_seen = true,
            Field::Contact(position, part) => self.contact_cell(*position, *part, column, value),
            Field::TaxExempt if parse_bool(value) == Some(true) => {
                self.tax_exempt = Some((column.to_string(), value.to_string()));
            }
            _ => {}
        }
        let Some(rule) = broken_rule(field, value) else {
            return Some(value);
        };
        self.problems.push(Problem {
            column: column.to_string(),
            value: value.to_string(),
            rule,
        });
        None
    }

    /// Records a rule that a filled `value` of `column` breaks, found outside the field's own
    /// rule (a date of a `datetime` extra field, which only the store's settings make one).
    pub(crate) fn refuse(&mut self, column: &str, value: &str, rule: &'static str) {
        self.problems.push(Problem {
            column: column.to_string(),
            value: value.to_string(),
            rule,
        });
    }

    /// What the row needs, or every rule it breaks. `email_column` names the email column in
    /// the "required" message.
    pub(crate) fn finish(mut self, email_column: &str) -> Result<Checked, Vec<Problem>> {
        if !self.email_seen {
            self.problems.push(Problem {
                column: email_column.to_string(),
                value: String::new(),
                rule: RULE_EMAIL_REQUIRED,
            });
        }
        if let Some((column, value)) = self.tax_exempt.take()
            && !self.tax_id_seen
        {
            self.problems.push(Problem {
                column,
                value,
                rule: RULE_TAX_EXEMPT,
            });
        }
        self.check_contacts();
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        Ok(Checked {
            group_by_name: self.group_name_seen && !self.group_id_seen,
        })
    }
}

impl RowChecker {
    fn contact_cell(&mut self, position: usize, part: ContactField, column: &str, value: &str) {
        let at = match self.contacts.iter().position(|c| c.position == position) {
            Some(at) => at,
            None => {
                self.contacts.push(ContactCells {
                    position,
                    has_contact: false,
                    kind: None,
                    default: None,
                    rounded: None,
                });
                self.contacts.len() - 1
            }
        };
        let contact = &mut self.contacts[at];
        match part {
            ContactField::Contact => {
                contact.has_contact = true;
                if is_exponent_form(value) {
                    contact.rounded = Some((column.to_string(), value.to_string()));
                }
            }
            ContactField::Type => contact.kind = Some(value.to_ascii_uppercase()),
            ContactField::Default if parse_bool(value) == Some(true) => {
                contact.default = Some((column.to_string(), value.to_string()));
            }
            _ => {}
        }
    }

    /// Ecwid's rules across a contact's cells: each contact has its contact and its type (a
    /// missing one is named by its field, as the file may have no such column), and at most
    /// one contact of a type is the default (named by both default columns).
    fn check_contacts(&mut self) {
        self.contacts.sort_by_key(|c| c.position);
        for (i, contact) in self.contacts.iter().enumerate() {
            let missing = [
                (!contact.has_contact).then_some("contact"),
                contact.kind.is_none().then_some("type"),
            ];
            for part in missing.into_iter().flatten() {
                self.problems.push(Problem {
                    column: format!("contacts.{}.{part}", contact.position),
                    value: String::new(),
                    rule: RULE_CONTACT_INCOMPLETE,
                });
            }
            if let (Some("PHONE"), Some((column, value))) =
                (contact.kind.as_deref(), &contact.rounded)
            {
                self.problems.push(Problem {
                    column: column.clone(),
                    value: value.clone(),
                    rule: RULE_ROUNDED,
                });
            }
            let Some((column, value)) = &contact.default else {
                continue;
            };
            let earlier = self.contacts[..i]
                .iter()
                .find(|c| c.default.is_some() && c.kind.is_some() && c.kind == contact.kind);
            if let Some((first, _)) = earlier.and_then(|c| c.default.as_ref()) {
                self.problems.push(Problem {
                    column: format!("{first}, {column}"),
                    value: value.clone(),
                    rule: RULE_ONE_DEFAULT,
                });
            }
        }
    }
}

/// Builds the request of one row, cell by cell, from the cells [`RowChecker`] lets through.
#[derive(Debug, Default)]
pub(crate) struct RowBuilder {
    checker: RowChecker,
    request: CustomerRequest,
    billing: Address,
    shipping: BTreeMap<usize, Address>,
    contacts: BTreeMap<usize, Contact>,
    extrafields: Vec<ExtraField>,
}

impl RowBuilder {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn checker_mut(&mut self) -> &mut RowChecker {
        &mut self.checker
    }

    /// Applies one cell, as [`RowChecker::check`] does, and keeps its value in the form sent.
    pub(crate) fn set(&mut self, field: &Field, column: &str, raw: &str) {
        let Some(value) = self.checker.check(field, column, raw) else {
            return;
        };
        let text = || Some(value.to_string());
        let r = &mut self.request;
        match field {
            Field::Email => r.email = text(),
            Field::Password => r.password = text(),
            Field::CustomerGroupId => r.customer_group_id = parse_integer(value),
            Field::CustomerGroupName => r.customer_group_name = text(),
            Field::B2bB2c => r.b2b_b2c = Some(value.to_ascii_lowercase()),
            Field::TaxId => r.tax_id = text(),
            Field::TaxIdValid => r.tax_id_valid = parse_bool(value),
            Field::TaxExempt => r.tax_exempt = parse_bool(value),
            Field::AcceptMarketing => r.accept_marketing = parse_bool(value),
            Field::Lang => r.lang = text(),
            Field::PrivateAdminNotes => r.private_admin_notes = text(),
            Field::FiscalCode => r.fiscal_code = text(),
            Field::ElectronicInvoicePecEmail => r.electronic_invoice_pec_email = text(),
            Field::ElectronicInvoiceSdiCode => r.electronic_invoice_sdi_code = text(),
            Field::Billing(a) => set_address(&mut self.billing, *a, value),
            Field::Shipping(i, a) => set_address(self.shipping.entry(*i).or_default(), *a, value),
            Field::Extra(key) => self.extrafields.push(ExtraField {
                key: key.to_string(),
                value: value.to_string(),
            }),
            Field::Contact(i, c) => {
                let contact = self.contacts.entry(*i).or_default();
                match c {
                    ContactField::Type => contact.kind = Some(value.to_ascii_uppercase()),
                    ContactField::Contact => contact.contact = text(),
                    ContactField::Handle => contact.handle = text(),
                    ContactField::Note => contact.note = text(),
                    ContactField::Default => contact.default = parse_bool(value),
                    ContactField::OrderBy => contact.order_by = parse_integer(value),
                }
            }
        }
    }

    /// Marks the row's `lang` as one to leave out, with a note, when the store has not
    /// enabled it (see [`CustomerRequest::lang_if_enabled`]).
    pub(crate) fn lang_if_enabled(&mut self) {
        self.request.lang_if_enabled = true;
    }

    /// The request, or every rule the row breaks (see [`RowBuilder::finish`]).
    pub(crate) fn finish(self, email_column: &str) -> Result<CustomerRequest, Vec<Problem>> {
        self.checker.finish(email_column)?;
        let mut request = self.request;
        // Lists hold the filled positions in order: a row with only `shippingAddresses.1.*`
        // sends one address, not an empty one before it.
        let mut billing = self.billing;
        let customer = [billing.name.clone(), billing.company_name.clone()];
        super::without_addressee_lines(&mut billing, &customer);
        request.billing_person = (billing != Address::default()).then_some(billing);
        let mut shipping: Vec<Address> = self.shipping.into_values().collect();
        for address in &mut shipping {
            super::without_addressee_lines(address, &customer);
        }
        request.shipping_addresses = (!shipping.is_empty()).then_some(shipping);
        let mut contacts: Vec<Contact> = self.contacts.into_values().collect();
        for contact in &mut contacts {
            if contact.kind.as_deref() == Some("PHONE")
                && let Some(phone) = &mut contact.contact
            {
                let digits = without_float_zeros(phone).len();
                phone.truncate(digits);
            }
        }
        super::without_repeats(&mut contacts, request.email.as_deref());
        request.contacts = (!contacts.is_empty()).then_some(contacts);
        request.extrafields = (!self.extrafields.is_empty()).then_some(self.extrafields);
        Ok(request)
    }
}

/// Sets one field of `address` to a value that keeps its rule.
fn set_address(address: &mut Address, field: AddressField, value: &str) {
    let slot = match field {
        AddressField::Name => &mut address.name,
        AddressField::CompanyName => &mut address.company_name,
        AddressField::Street => &mut address.street,
        AddressField::City => &mut address.city,
        AddressField::CountryCode => {
            address.country_code = Some(value.to_ascii_uppercase());
            return;
        }
        AddressField::CountryName => &mut address.country_name,
        AddressField::PostalCode => &mut address.postal_code,
        AddressField::StateOrProvinceCode => &mut address.state_or_province_code,
        AddressField::StateOrProvinceName => &mut address.state_or_province_name,
        AddressField::Phone => &mut address.phone,
    };
    *slot = Some(value.to_string());
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "rules_tests_requests.rs"]
mod tests_requests;
