//! Hints: a value that keeps its rule but is very likely a typo of a common one (an email at
//! `gmial.com`), or a country that no name of the table matches but one letter off one. A
//! hint is a note on the cell only: it never colours it, never changes the row's status, and
//! nothing is applied; the person decides.

use crate::customer::fields::{AddressField, Field};
use crate::input::mapping::ColumnMap;
use crate::input::matcher::{country_code, country_names};
use crate::input::names::normalise;

use super::marks::{Look, Mark};

/// Email domains common enough that a domain one letter off one is likely its typo.
const COMMON_DOMAINS: [&str; 24] = [
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.fr",
    "hotmail.com",
    "hotmail.co.uk",
    "hotmail.fr",
    "outlook.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "t-online.de",
    "orange.fr",
    "free.fr",
    "mail.ru",
    "yandex.ru",
    "protonmail.com",
];

/// The columns hints look at, found once a run.
pub(crate) struct Hinter {
    emails: Vec<usize>,
    countries: Vec<usize>,
}

impl Hinter {
    pub(crate) fn new(map: &ColumnMap) -> Self {
        let countries = map.columns_filling(|field| {
            matches!(
                field,
                Field::Billing(AddressField::CountryCode | AddressField::CountryName)
                    | Field::Shipping(_, AddressField::CountryCode | AddressField::CountryName)
            )
        });
        Self {
            emails: map.email_columns(),
            countries,
        }
    }

    /// The hints of one row's cells.
    pub(crate) fn hints(&self, cells: &csv::ByteRecord) -> Vec<Mark> {
        let mut marks = Vec::new();
        let text = |i: usize| cells.get(i).and_then(|c| std::str::from_utf8(c).ok());
        for &column in &self.emails {
            if let Some(note) = text(column).and_then(email_hint) {
                marks.push(hint(column, note));
            }
        }
        for &column in &self.countries {
            if let Some(note) = text(column).and_then(country_hint) {
                marks.push(hint(column, note));
            }
        }
        marks
    }
}

fn hint(column: usize, note: String) -> Mark {
    Mark {
        column,
        look: Look::Plain,
        note,
    }
}

/// `ann@gmial.com`: did you mean `ann@gmail.com`?
fn email_hint(email: &str) -> Option<String> {
    let email = email.trim();
    let (local, domain) = email.rsplit_once('@')?;
    if domain.is_empty()
        || COMMON_DOMAINS
            .iter()
            .any(|d| d.eq_ignore_ascii_case(domain))
    {
        return None;
    }
    let lower = domain.to_ascii_lowercase();
    let near = COMMON_DOMAINS.iter().find(|d| one_edit_apart(d, &lower))?;
    Some(format!(
        "hint: did you mean {local}@{near}? ({domain} looks like a misspelt {near}; nothing \
         was changed)"
    ))
}

/// `Germny`: did you mean Germany (DE)? Only for a value no country name or code matches.
fn country_hint(value: &str) -> Option<String> {
    let value = value.trim();
    if value.chars().count() < 4 || country_code(value).is_some() {
        return None;
    }
    let key = normalise(value);
    let (name, code) = country_names()
        .filter(|(name, _)| one_edit_apart(name, &key))
        .min_by_key(|(name, _)| *name)?;
    Some(format!(
        "hint: did you mean {} ({code})? ({value:?} is one letter off; nothing was changed)",
        title_case(name)
    ))
}

fn title_case(name: &str) -> String {
    name.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Whether `a` and `b` differ by exactly one letter: one changed, added, dropped, or two
/// neighbours swapped.
fn one_edit_apart(a: &str, b: &str) -> bool {
    if a == b || a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return one_apart(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_apart(&a, &b)
}

fn one_apart<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    match (a.len(), b.len()) {
        (1, 1) | (1, 0) | (0, 1) => true,
        (2, 2) => a[0] == b[1] && a[1] == b[0],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_letter_off_is_a_change_an_addition_a_drop_or_a_swap() {
        for (a, b) in [
            ("gmail.com", "gmial.com"),
            ("gmail.com", "gmai.com"),
            ("gmail.com", "gmaill.com"),
            ("gmail.com", "gmakl.com"),
            ("germany", "germny"),
            ("hotmail.com", "hotmial.com"),
        ] {
            assert!(one_edit_apart(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("gmail.com", "gmail.com"),
            ("gmail.com", "mail.ru"),
            ("gmx.de", "web.de"),
            ("example.com", "gmail.com"),
            ("abc", "cba"),
        ] {
            assert!(!one_edit_apart(a, b), "{a} {b}");
        }
    }

    #[test]
    fn hints_suggest_without_changing() {
        assert_eq!(
            email_hint("ann@gmial.com").as_deref(),
            Some(
                "hint: did you mean ann@gmail.com? (gmial.com looks like a misspelt gmail.com; \
                 nothing was changed)"
            )
        );
        assert_eq!(email_hint("ann@gmail.com"), None);
        assert_eq!(email_hint("ann@example.com"), None);
        assert!(
            country_hint("Germny").is_some_and(|h| h.contains("Germany (DE)")),
            "{:?}",
            country_hint("Germny")
        );
        assert_eq!(country_hint("Germany"), None);
        assert_eq!(country_hint("DE"), None);
        assert_eq!(country_hint("Atlantis"), None);
    }
}
