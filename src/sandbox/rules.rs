//! What the stand-in store refuses in a customer, decided from Ecwid's documentation of the
//! customer endpoints (`ecwid-api.md` and its create-customer page), not from the client's
//! rules in `customer::rules`.
//!
//! Sharing the client's rules would make every end-to-end test agree with itself: a rule the
//! client gets wrong would pass both sides unseen. So the store keeps its own, and where the
//! documentation names a form but not what the store does with another (country codes in
//! capitals, one default contact per type), the sandbox refuses anything but the documented
//! form, so that a client sending it finds out here rather than in a merchant's store.
//! `orderBy` needs no rule here: the request model takes only whole numbers from 0, so
//! anything else is already refused when the body is read.

use std::collections::HashSet;
use std::fmt;

use crate::customer::{Address, Contact, CustomerRequest};

/// One refused value: where it is in the body, what it holds, and why the store refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The field's JSON path, list positions 0-based: `contacts.0.contact`.
    pub path: String,
    /// The value as received; empty when the field is missing.
    pub value: String,
    pub reason: &'static str,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}: {}", self.path, self.reason)
        } else {
            write!(f, "{} {:?}: {}", self.path, self.value, self.reason)
        }
    }
}

/// Current docs mark `email` required (ecwid-api.md, "Create customer").
pub(crate) const EMAIL_REQUIRED: &str = "is required: every customer needs an email";
/// The docs give no form, but the store mails its customers: see [`is_deliverable`].
pub(crate) const EMAIL_FORM: &str = "is not an email address: it needs a name, one @ and a domain \
     of dot-separated labels, without spaces";
/// "ISO 3166-1 alpha-2" (ecwid-api.md), "Two-letter country code" (create-customer page).
pub(crate) const COUNTRY: &str =
    "is not a two-letter ISO 3166-1 alpha-2 country code in capitals, such as US or DE";
/// "One of: `b2c` (default), `b2b`" (create-customer page).
pub(crate) const B2B_B2C: &str = "must be b2c or b2b";
/// "One of: EMAIL, PHONE, ..., OTHER" (create-customer page, contacts table).
pub(crate) const CONTACT_TYPE: &str = "is not a contact type: use EMAIL, PHONE, FACEBOOK, \
     INSTAGRAM, TWITTER, YOUTUBE, TIKTOK, PINTEREST, VK, FB_MESSENGER, WHATSAPP, TELEGRAM, \
     VIBER, URL or OTHER";
/// "Ecwid's contacts endpoint marks a contact's `contact` and `type` as required" (ecwid-api.md).
pub(crate) const CONTACT_PART: &str = "is required: every contact needs both contact and type";
/// "Only one contact of the same type can be default" (create-customer page, contacts table).
pub(crate) const ONE_DEFAULT: &str = "only one contact of the same type can be default";
/// taxExempt "Requires a valid tax ID" (create-customer page); see [`has_valid_tax_id`].
pub(crate) const TAX_EXEMPT: &str =
    "requires a valid tax ID: a non-blank taxId, and taxIdValid not false";

/// The contact types of the create-customer page's contacts table, as it writes them.
const CONTACT_TYPES: [&str; 15] = [
    "EMAIL",
    "PHONE",
    "FACEBOOK",
    "INSTAGRAM",
    "TWITTER",
    "YOUTUBE",
    "TIKTOK",
    "PINTEREST",
    "VK",
    "FB_MESSENGER",
    "WHATSAPP",
    "TELEGRAM",
    "VIBER",
    "URL",
    "OTHER",
];

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, space-separated, sorted.
const COUNTRY_CODES: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE \
EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM \
HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC \
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA \
NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO \
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// Every value of `customer` the store refuses with 400 `WRONG_PARAMETER`, in body order.
pub(crate) fn refusals(customer: &CustomerRequest) -> Vec<Refusal> {
    let mut found = Vec::new();
    let mut refuse = |path: String, value: &str, reason| {
        found.push(Refusal {
            path,
            value: value.to_string(),
            reason,
        });
    };
    // Answers write an unset text field as "", so a blank email counts as none.
    match customer.email.as_deref().filter(|e| !e.trim().is_empty()) {
        None => refuse("email".into(), "", EMAIL_REQUIRED),
        Some(email) if !is_deliverable(email) => refuse("email".into(), email, EMAIL_FORM),
        Some(_) => {}
    }
    let billing = customer
        .billing_person
        .iter()
        .map(|a| ("billingPerson".to_string(), a));
    let shipping = customer.shipping_addresses.iter().flatten().enumerate();
    let shipping = shipping.map(|(i, a)| (format!("shippingAddresses.{i}"), a));
    for (path, address) in billing.chain(shipping) {
        if let Some(code) = refused_country(address) {
            refuse(format!("{path}.countryCode"), code, COUNTRY);
        }
    }
    if let Some(kind) = customer
        .b2b_b2c
        .as_deref()
        .filter(|k| !matches!(*k, "b2c" | "b2b"))
    {
        refuse("b2b_b2c".into(), kind, B2B_B2C);
    }
    for (i, contact) in customer.contacts.iter().flatten().enumerate() {
        for (part, value, reason) in refused_contact(contact) {
            refuse(format!("contacts.{i}.{part}"), value, reason);
        }
    }
    if let Some(i) = second_default(customer.contacts.as_deref().unwrap_or_default()) {
        refuse(format!("contacts.{i}.default"), "true", ONE_DEFAULT);
    }
    if customer.tax_exempt == Some(true) && !has_valid_tax_id(customer) {
        refuse("taxExempt".into(), "true", TAX_EXEMPT);
    }
    found
}

/// The docs give email no form beyond "Customer's email"; the store must be able to mail it,
/// so it refuses what no mail server delivers to: a missing name or domain, a second `@`,
/// spaces or control characters, a domain that is not dot-separated labels (`a@b..com`).
fn is_deliverable(email: &str) -> bool {
    let Some((name, domain)) = email.split_once('@') else {
        return false;
    };
    let label = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    !name.is_empty()
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && domain.split('.').all(label)
}

/// ISO 3166-1 alpha-2 (ecwid-api.md), "two-letter country code" (create-customer page): an
/// assigned code, written in capitals as ISO writes it. `None` when absent or accepted.
fn refused_country(address: &Address) -> Option<&str> {
    let code = address.country_code.as_deref()?;
    let assigned = code.len() == 2 && COUNTRY_CODES.split(' ').any(|c| c == code);
    (!assigned).then_some(code)
}

/// The parts of a contact the store refuses: `contact` and `type` missing (Ecwid's contacts
/// endpoint marks both required, ecwid-api.md), or a type not in the docs' list, as written.
fn refused_contact(contact: &Contact) -> Vec<(&'static str, &str, &'static str)> {
    let mut refused = Vec::new();
    match contact.kind.as_deref().filter(|k| !k.trim().is_empty()) {
        None => refused.push(("type", "", CONTACT_PART)),
        Some(kind) if !CONTACT_TYPES.contains(&kind) => refused.push(("type", kind, CONTACT_TYPE)),
        Some(_) => {}
    }
    if contact
        .contact
        .as_deref()
        .is_none_or(|c| c.trim().is_empty())
    {
        refused.push(("contact", "", CONTACT_PART));
    }
    refused
}

/// "Only one contact of the same type can be default" (create-customer page): the position of
/// the first contact marked default after another of its type was.
fn second_default(contacts: &[Contact]) -> Option<usize> {
    let mut seen = HashSet::new();
    contacts.iter().enumerate().find_map(|(i, c)| {
        let kind = c.kind.as_deref().filter(|_| c.default == Some(true))?;
        (!seen.insert(kind)).then_some(i)
    })
}

/// taxExempt "requires a valid tax ID" (create-customer page): a tax ID, not marked invalid.
/// An absent taxIdValid counts as valid, as the store's own answers default it to true.
fn has_valid_tax_id(customer: &CustomerRequest) -> bool {
    let has_id = customer
        .tax_id
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    has_id && customer.tax_id_valid != Some(false)
}

/// The value of `lang` the store refuses with 400 `LANGUAGES_NOT_ALLOWED`: "must be one of the
/// translations enabled in the store" (create-customer page), compared without case.
pub(crate) fn language_refused<'c>(
    customer: &'c CustomerRequest,
    enabled: &[String],
) -> Option<&'c str> {
    let lang = customer.lang.as_deref()?;
    (!enabled.iter().any(|l| l.eq_ignore_ascii_case(lang))).then_some(lang)
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
