//! The synonym and country tables of `data/`, read once; column names and country names both go
//! through the one normalisation of [`crate::input::names`] before they are compared.
//!
//! The tables are data, not code, so that a new spelling is one line in a TOML file; they are
//! embedded in the binary and parsed on first use (a unit test parses them, so a mistake in
//! them fails the tests, never a user's run).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::input::names::normalise;

/// What a column means, as the synonym table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Meaning {
    Email,
    FirstName,
    MiddleName,
    LastName,
    FullName,
    Company,
    Street,
    StreetExtra,
    HouseNumber,
    City,
    State,
    PostalCode,
    Country,
    Phone,
    Notes,
    Language,
    TaxId,
    FiscalCode,
    AcceptsMarketing,
    Password,
    Carrier,
    Website,
    /// The type of a numbered address block (`Address 1 - Type`, `Address 2 - Label`).
    AddressType,
    /// The label of an email or website column (`E-mail 2 - Label`, `Website 1 - Type`).
    ValueLabel,
    /// The label of a phone column (`Phone 1 - Type`: `Mobile`, `Work Fax`).
    PhoneLabel,
}

/// The keys of `[fields]` in `data/synonyms.toml`.
const KEYS: [(&str, Meaning); 22] = [
    ("email", Meaning::Email),
    ("first_name", Meaning::FirstName),
    ("middle_name", Meaning::MiddleName),
    ("last_name", Meaning::LastName),
    ("full_name", Meaning::FullName),
    ("company", Meaning::Company),
    ("street", Meaning::Street),
    ("street_extra", Meaning::StreetExtra),
    ("house_number", Meaning::HouseNumber),
    ("city", Meaning::City),
    ("state", Meaning::State),
    ("postal_code", Meaning::PostalCode),
    ("country", Meaning::Country),
    ("phone", Meaning::Phone),
    ("notes", Meaning::Notes),
    ("language", Meaning::Language),
    ("tax_id", Meaning::TaxId),
    ("fiscal_code", Meaning::FiscalCode),
    ("accepts_marketing", Meaning::AcceptsMarketing),
    ("password", Meaning::Password),
    ("carrier", Meaning::Carrier),
    ("website", Meaning::Website),
];

impl Meaning {
    /// Whether the meaning belongs to an address (billing or shipping), not to the customer.
    pub(crate) fn is_address(self) -> bool {
        self.is_place()
            || matches!(
                self,
                Meaning::FirstName
                    | Meaning::MiddleName
                    | Meaning::LastName
                    | Meaning::FullName
                    | Meaning::Company
                    | Meaning::Phone
            )
    }

    /// Whether the meaning is a part of an address's place (not its person or phone).
    pub(super) fn is_place(self) -> bool {
        matches!(
            self,
            Meaning::Street
                | Meaning::StreetExtra
                | Meaning::HouseNumber
                | Meaning::City
                | Meaning::State
                | Meaning::PostalCode
                | Meaning::Country
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymFile {
    fields: HashMap<String, Vec<String>>,
    last_name_beside_first_name: NameList,
    state_beside_street_or_postal_code: NameList,
    value_columns: Affixes,
    blocks: Blocks,
    yes_no: YesNo,
    address_words: AddressWords,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddressWords {
    names: Vec<String>,
    or: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YesNo {
    yes: Vec<String>,
    no: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NameList {
    names: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Blocks {
    billing: Affixes,
    shipping: Affixes,
    #[serde(default)]
    other: Affixes,
    numbered: Affixes,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Affixes {
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    suffixes: Vec<String>,
}

/// The synonym table, normalised.
#[derive(Debug)]
pub(crate) struct Synonyms {
    /// Normalised name -> its meaning and rank (its place in the meaning's list).
    names: HashMap<String, (Meaning, usize)>,
    pub(crate) last_name_beside_first: Vec<String>,
    /// State names that as often mean a status or a sales region, normalised.
    pub(crate) state_beside_street_or_postal_code: Vec<String>,
    /// Normalised, longest first, so that `lieferadresse` is tried before `liefer`.
    pub(crate) billing: (Vec<String>, Vec<String>),
    pub(crate) shipping: (Vec<String>, Vec<String>),
    /// A further address beside the customer's own (`Other Street`): its place columns only.
    pub(crate) other: Vec<String>,
    pub(crate) numbered: Vec<String>,
    /// Normalised suffixes of a column holding the value of what it names (`Value`).
    pub(crate) value_suffixes: Vec<String>,
    /// The word for an address (`Address`, `Adresse`, `Dirección`), normalised, longest first:
    /// written between a block's word and the part (`Home Address City`) or before the part
    /// alone (`Address City`), it adds nothing to what the column means.
    pub(crate) address_words: Vec<String>,
    /// The words that join two synonyms of one field in a label (`Postal Code or Zip`), in
    /// lower case, each with a space either side; `/` joins them too.
    pub(crate) or_words: Vec<String>,
    /// Normalised answers of a consent column: `true` for yes.
    answers: HashMap<String, bool>,
}

impl Synonyms {
    /// The meaning and rank of a normalised name without its number.
    pub(crate) fn get(&self, name: &str) -> Option<(Meaning, usize)> {
        self.names.get(name).copied()
    }
}

const SYNONYMS: &str = include_str!("../../../data/synonyms.toml");
const COUNTRIES: &str = include_str!("../../../data/countries.toml");

pub(crate) static TABLE: LazyLock<Synonyms> =
    LazyLock::new(|| parse_synonyms(SYNONYMS).expect("data/synonyms.toml is checked by tests"));

static COUNTRY_NAMES: LazyLock<HashMap<String, String>> =
    LazyLock::new(|| parse_countries(COUNTRIES).expect("data/countries.toml is checked by tests"));

fn parse_synonyms(text: &str) -> Result<Synonyms, String> {
    let file: SynonymFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut names = HashMap::new();
    for (key, list) in &file.fields {
        let meaning = KEYS
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, m)| *m)
            .ok_or_else(|| format!("unknown meaning {key:?}"))?;
        for (rank, name) in list.iter().enumerate() {
            let (base, _) = split_number(&normalise(name));
            match names.get(&base) {
                Some(&(other, _)) if other != meaning => {
                    return Err(format!("{name:?} is a synonym of {key} and of {other:?}"));
                }
                Some(_) => {}
                None => {
                    names.insert(base, (meaning, rank));
                }
            }
        }
    }
    let affixes = |list: &[String]| {
        let mut list: Vec<String> = list.iter().map(|n| normalise(n)).collect();
        list.sort_by_key(|n| std::cmp::Reverse(n.len()));
        list
    };
    let blocks = &file.blocks;
    let mut answers = HashMap::new();
    for (list, answer) in [(&file.yes_no.yes, true), (&file.yes_no.no, false)] {
        for word in list {
            if answers.insert(normalise(word), answer) == Some(!answer) {
                return Err(format!("{word:?} is both yes and no"));
            }
        }
    }
    Ok(Synonyms {
        answers,
        names,
        last_name_beside_first: affixes(&file.last_name_beside_first_name.names),
        state_beside_street_or_postal_code: affixes(&file.state_beside_street_or_postal_code.names),
        billing: (
            affixes(&blocks.billing.prefixes),
            affixes(&blocks.billing.suffixes),
        ),
        shipping: (
            affixes(&blocks.shipping.prefixes),
            affixes(&blocks.shipping.suffixes),
        ),
        other: affixes(&blocks.other.prefixes),
        numbered: affixes(&blocks.numbered.prefixes),
        value_suffixes: affixes(&file.value_columns.suffixes),
        address_words: affixes(&file.address_words.names),
        or_words: file
            .address_words
            .or
            .iter()
            .map(|w| format!(" {} ", w.trim().to_lowercase()))
            .collect(),
    })
}

fn parse_countries(text: &str) -> Result<HashMap<String, String>, String> {
    let table: HashMap<String, Vec<String>> = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut names = HashMap::new();
    for (code, list) in table {
        if !crate::customer::countries::is_assigned(&code) {
            return Err(format!("{code} is no assigned country code"));
        }
        for name in list {
            let key = normalise(&name);
            if let Some(other) = names.insert(key, code.clone())
                && other != code
            {
                return Err(format!("{name:?} is a name of {code} and of {other}"));
            }
        }
    }
    Ok(names)
}

/// A normalised name without the number at its end, and that number: `phone2` is `phone`
/// and 2. A name that is only digits keeps them.
pub(crate) fn split_number(name: &str) -> (String, Option<u32>) {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    if base.is_empty() || base.len() == name.len() {
        return (name.to_string(), None);
    }
    (base.to_string(), name[base.len()..].parse().ok())
}

/// A yes or no in any language of the table (`ja`, `oui`, `sí`, `sim`, `nee`), or `None`.
///
/// Two parsers on purpose: a canonical column (`acceptMarketing`, `taxExempt`) keeps the
/// contract's documented rule, [`parse_bool`](crate::customer::rules::parse_bool) (`true`/
/// `false`, `yes`/`no`, `y`/`n`, `1`/`0`, in English; anything else makes the row invalid),
/// while a column matched by meaning or mapped with `yes_no = true` is in the file's own
/// language, and any other answer is left out with a note. The table holds every answer of
/// the contract with the same meaning (a test checks), so a column reads the same either way.
pub(crate) fn yes_no(value: &str) -> Option<bool> {
    TABLE.answers.get(&normalise(value)).copied()
}

/// The ISO code of a country name or code in any language of the table, in any case: `DE`,
/// `Deutschland`, `United States`, `USA`, `UK`. `None` when the value is no country the table
/// or the list of codes knows.
pub(crate) fn country_code(value: &str) -> Option<String> {
    let key = normalise(value);
    if let Some(code) = COUNTRY_NAMES.get(&key) {
        return Some(code.clone());
    }
    let value = value.trim();
    crate::customer::countries::is_assigned(value).then(|| value.to_ascii_uppercase())
}

/// Every country name of the table (normalised: lower case, no accents) with its code.
pub(crate) fn country_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    COUNTRY_NAMES
        .iter()
        .map(|(name, code)| (name.as_str(), code.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The data files parse, every meaning has synonyms, and no name (after normalising) is
    /// claimed by two meanings or two countries.
    #[test]
    fn data_files_parse_without_clashes() {
        let table = parse_synonyms(SYNONYMS).unwrap();
        for (_, meaning) in KEYS {
            assert!(
                table.names.values().any(|(m, _)| *m == meaning),
                "{meaning:?}"
            );
        }
        for name in &table.state_beside_street_or_postal_code {
            assert_eq!(
                table.get(name).map(|(m, _)| m),
                Some(Meaning::State),
                "{name}"
            );
        }
        let countries = parse_countries(COUNTRIES).unwrap();
        assert_eq!(countries["deutschland"], "DE");
        let clash = "[fields]\nemail = [\"Mail\"]\nphone = [\"mail\"]\n\
                     [last_name_beside_first_name]\nnames = []\n\
                     [state_beside_street_or_postal_code]\nnames = []\n\
                     [value_columns]\nprefixes = []\n\
                     [blocks.billing]\nprefixes = []\n[blocks.shipping]\nprefixes = []\n\
                     [blocks.numbered]\nprefixes = []\n[yes_no]\nyes = []\nno = []\n\
                     [address_words]\nnames = []\nor = []\n";
        let error = parse_synonyms(clash).unwrap_err();
        assert!(error.to_lowercase().contains("\"mail\""), "{error}");
        assert!(parse_countries("DE = [\"X\"]\nFR = [\"x\"]").is_err());
    }

    #[test]
    fn names_normalise_case_accents_separators_and_camel_case() {
        for (name, normal) in [
            ("First Name", "firstname"),
            ("FirstName", "firstname"),
            ("first_name", "firstname"),
            (" E-Mail ", "email"),
            ("EmailAddress", "emailaddress"),
            ("Prénom", "prenom"),
            ("Straße", "strasse"),
            ("USt-IdNr.", "ustidnr"),
            ("Código postal", "codigopostal"),
            ("Address_1", "address1"),
        ] {
            assert_eq!(normalise(name), normal, "{name}");
        }
        assert_eq!(split_number("phone1"), ("phone".into(), Some(1)));
        assert_eq!(
            split_number("addressline12"),
            ("addressline".into(), Some(12))
        );
        assert_eq!(split_number("city"), ("city".into(), None));
        assert_eq!(split_number("42"), ("42".into(), None));
    }

    #[test]
    fn countries_by_name_or_code_in_any_language() {
        for (value, code) in [
            ("Germany", "DE"),
            ("deutschland", "DE"),
            ("Allemagne", "DE"),
            ("United States", "US"),
            ("USA", "US"),
            ("U.S.A.", "US"),
            ("UK", "GB"),
            ("España", "ES"),
            ("Países Bajos", "NL"),
            ("de", "DE"),
            ("Brazil", "BR"),
        ] {
            assert_eq!(country_code(value).as_deref(), Some(code), "{value}");
        }
        for value in ["Atlantis", "XX", ""] {
            assert_eq!(country_code(value), None, "{value}");
        }
    }

    #[test]
    fn yes_and_no_in_any_language() {
        for (value, answer) in [
            ("Ja", true),
            ("oui", true),
            ("Sí", true),
            ("nee", false),
            ("NÃO", false),
        ] {
            assert_eq!(yes_no(value), Some(answer), "{value}");
        }
        assert_eq!(yes_no("maybe"), None);
        // The contract's answers mean the same here.
        for word in ["true", "TRUE", "yes", "Y", "1", "false", "no", "N", "0"] {
            let contract = crate::customer::rules::parse_bool(word);
            assert!(contract.is_some(), "{word}");
            assert_eq!(yes_no(word), contract, "{word}");
        }
        assert_eq!(yes_no(""), None);
    }
}
