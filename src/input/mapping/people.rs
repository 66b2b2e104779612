//! The person, the company and the place a row's cells stand for, where one column may hold
//! either: a company's name in the name column, Stripe's `Name` or `Card Name`, a company flag,
//! a region code of another platform.

use std::borrow::Cow;

use super::{ColumnMap, Fill, Invalid};
use crate::customer::fields::{AddressField as A, Field};
use crate::input::matcher::{country_code, yes_no};
use crate::input::presets::looks_like_company;

impl ColumnMap {
    /// Why a state code is left out of the row: a code of another platform that Ecwid does not
    /// use for the country of the same address ([`foreign_region`]); `None` to send it.
    ///
    /// [`foreign_region`]: crate::customer::countries::foreign_region
    pub(super) fn foreign_region<'m>(
        &'m self,
        field: &Field,
        code: &str,
        value: &impl Fn(&'m Fill) -> Result<Cow<'m, str>, Invalid>,
    ) -> Result<Option<&'static str>, Invalid> {
        let country_field = match field {
            Field::Billing(A::StateOrProvinceCode) => Field::Billing(A::CountryCode),
            Field::Shipping(i, A::StateOrProvinceCode) => Field::Shipping(*i, A::CountryCode),
            _ => return Ok(None),
        };
        for rule in &self.rules {
            if rule.target.fields().contains(&country_field) {
                let country = value(&rule.fill)?;
                let iso = country_code(&country).unwrap_or_else(|| country.to_string());
                return Ok(crate::customer::countries::foreign_region(&iso, code));
            }
        }
        Ok(None)
    }
}

/// Whether a company flag's value says the row is a company's: yes in any language, or a word
/// for a company.
pub(super) fn is_company_answer(value: &str) -> bool {
    const COMPANY: &[&str] = &[
        "company",
        "organization",
        "organisation",
        "business",
        "account",
        "firma",
        "unternehmen",
        "entreprise",
        "societe",
        "empresa",
        "azienda",
        "bedrijf",
    ];
    yes_no(value) == Some(true) || COMPANY.contains(&crate::input::names::normalise(value).as_str())
}

/// The columns of each alternative of a rule's fill.
pub(super) fn alternatives(fill: &Fill) -> Vec<Vec<usize>> {
    match fill {
        Fill::Column(i) => vec![vec![*i]],
        Fill::Columns { alternatives, .. } => alternatives.clone(),
        Fill::Value(_) => Vec::new(),
    }
}

/// A person's name and a company's from the values of a [`Target::Person`], in order: the
/// first that [`looks_like_company`] is the company, an email address is no name, and the
/// first other value is the person's name.
pub(super) fn person_and_company(values: Vec<String>) -> (Option<String>, Option<String>) {
    let (mut person, mut firm) = (None, None);
    for value in values.into_iter().filter(|v| !v.is_empty()) {
        if looks_like_company(&value) {
            firm.get_or_insert(value);
        } else if !looks_like_email(&value) {
            person.get_or_insert(value);
        }
    }
    (person, firm)
}

/// A value that is an email address, not a name: one `@` with text on both sides, no space.
fn looks_like_email(value: &str) -> bool {
    let mut parts = value.split('@');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(local), Some(domain), None)
            if !local.is_empty() && domain.contains('.') && !value.contains(' ')
    )
}

/// A state written with its country's code after it in brackets (Odoo's `California (US)`):
/// the state's own name.
pub(super) fn without_country_suffix(state: &str) -> &str {
    match state
        .trim_end()
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once(" ("))
    {
        Some((name, code))
            if !name.trim().is_empty()
                && code.len() == 2
                && code.bytes().all(|b| b.is_ascii_uppercase()) =>
        {
            name.trim_end()
        }
        _ => state,
    }
}

/// A person's name written after its company's, as Odoo's display name is (`Deco Addict,
/// Addison Olson` beside the company `Deco Addict`): the person's own name; `None` when the
/// name does not begin so.
pub(super) fn after_company<'v>(name: &'v str, company: &str) -> Option<&'v str> {
    let company = company.trim();
    if company.is_empty() {
        return None;
    }
    let rest = name
        .get(..company.len())
        .filter(|head| head.eq_ignore_ascii_case(company))?;
    let person = name[rest.len()..].strip_prefix(',')?.trim();
    (!person.is_empty()).then_some(person)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_code_after_a_state_is_dropped() {
        assert_eq!(without_country_suffix("California (US)"), "California");
        assert_eq!(without_country_suffix("Bayern (DE) "), "Bayern");
        assert_eq!(without_country_suffix("Texas"), "Texas");
        assert_eq!(
            without_country_suffix("Yukon (territory)"),
            "Yukon (territory)"
        );
        assert_eq!(without_country_suffix("(US)"), "(US)");
    }

    #[test]
    fn a_name_after_its_company_is_the_person_s() {
        assert_eq!(
            after_company("Deco Addict, Addison Olson", "Deco Addict"),
            Some("Addison Olson")
        );
        assert_eq!(after_company("Addison Olson", "Deco Addict"), None);
        assert_eq!(after_company("Deco Addict", "Deco Addict"), None);
        assert_eq!(after_company("Deco Addicts, Ann", "Deco Addict"), None);
        assert_eq!(after_company("Ann, Bo", ""), None);
        assert_eq!(after_company("Zoë, Ann", "Zo"), None);
    }
}
