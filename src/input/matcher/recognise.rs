//! A column name read through the synonym table: its meaning, the address block it belongs
//! to (`Shipping City`, `BillAddr1`, `Address_2 City`), its number and its rank among the
//! columns of the same meaning.

use super::table::{Meaning, TABLE, split_number};
use crate::input::names::normalise;

/// Normalised suffixes of a column naming the type of another (`Phone 1 - Type`).
const LABEL_SUFFIXES: [&str; 2] = ["type", "label"];

/// One recognised column.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) column: usize,
    pub(super) meaning: Meaning,
    /// `None` for the billing address (and the customer), else a shipping address.
    pub(super) address: Option<usize>,
    /// Lower is better: a column named without a block prefix, earlier in the synonym list,
    /// with a lower number, further left.
    pub(super) rank: (bool, usize, u32, usize),
    pub(super) number: Option<u32>,
}

/// The meaning of one column name, with the address it belongs to, if the table has it. A
/// name with a remark in brackets (Temu's `Versandpostleitzahl (...)`) that means nothing as a
/// whole is read without the remark; a remark that names an address block (`First Name
/// (Shipping)`, `City (Billing)`: WooCommerce's order export plugins) puts the column in that
/// block, as the same word before the name does.
pub(super) fn recognise(column: usize, name: &str) -> Option<Candidate> {
    if let Some(rest) = associated_column(name) {
        return associated(column, rest);
    }
    recognise_label(column, name).or_else(|| {
        let (before, remark) = name.split_once('(')?;
        let block = remark.trim().trim_end_matches(')');
        if !before.trim().is_empty() && names_a_block(block) {
            return recognise_label(column, &format!("{block} {before}"));
        }
        let metadata = ["metadata", "metafield"].iter().any(|m| remark.contains(m));
        recognise_label(column, before).filter(|_| !before.trim().is_empty() && !metadata)
    })
}

/// A label as a whole, else as synonyms of one field joined by `/` or `or` (`Postal Code/Zip`,
/// `Zip or Postal Code`, `Home Zip/Postal Code`): every part means the same field, and the
/// parts that name a block name the same one; the column is that field, of that block. Parts
/// of two meanings (`Email/Phone`) or two blocks mean nothing together.
fn recognise_label(column: usize, name: &str) -> Option<Candidate> {
    if let Some(candidate) = recognise_whole(column, name) {
        return Some(candidate);
    }
    let lower = name.to_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    for word in &TABLE.or_words {
        parts = parts.iter().flat_map(|p| p.split(word.as_str())).collect();
    }
    if parts.len() < 2 {
        return None;
    }
    let read: Vec<Candidate> = parts
        .iter()
        .map(|part| recognise_whole(column, part))
        .collect::<Option<_>>()?;
    let first = &read[0];
    let blocks: Vec<&Candidate> = read.iter().filter(|c| c.rank.0).collect();
    let same_meaning = read.iter().all(|c| c.meaning == first.meaning);
    let same_block = blocks.windows(2).all(|w| w[0].address == w[1].address);
    (same_meaning && same_block).then(|| blocks.first().copied().unwrap_or(first).clone())
}

/// What follows the word for an address at the start of a normalised label (`city` of
/// `addresscity`), if it starts with one.
fn after_address_word(compact: &str) -> Option<&str> {
    TABLE
        .address_words
        .iter()
        .filter_map(|w| compact.strip_prefix(w.as_str()))
        .find(|rest| !rest.is_empty())
}

/// Whether a word names an address block as a whole (`Shipping`, `Billing Address`,
/// `Livraison`), as the blocks' prefixes do.
fn names_a_block(word: &str) -> bool {
    let word = normalise(word);
    // `Home Address`, `Work Address`: a block's word and the word for an address.
    let is_prefix = |p: &str| {
        [&TABLE.billing.0, &TABLE.shipping.0]
            .iter()
            .any(|prefixes| prefixes.iter().any(|q| q == p))
    };
    is_prefix(&word)
        || TABLE
            .address_words
            .iter()
            .filter_map(|w| word.strip_suffix(w.as_str()))
            .any(is_prefix)
}

/// An associated record's column (`Company: Phone Number`, see `mapping::associated`): what
/// follows the record's name.
fn associated_column(name: &str) -> Option<&str> {
    let (object, rest) = name.split_once(": ")?;
    let object = normalise(object);
    crate::input::names::is_associated(&object).then_some(rest)
}

/// Of an associated record's columns only its name means something to the person: the
/// company, after the person's own company columns. Its phone, city or country are the
/// record's, never the person's.
fn associated(column: usize, rest: &str) -> Option<Candidate> {
    let rest = normalise(rest);
    let named = [
        "name",
        "accountname",
        "organizationname",
        "organisationname",
    ]
    .contains(&rest.as_str())
        || TABLE.get(&rest).is_some_and(|(m, _)| m == Meaning::Company);
    named.then_some(Candidate {
        column,
        meaning: Meaning::Company,
        address: None,
        rank: (true, usize::MAX, 0, column),
        number: None,
    })
}

fn recognise_whole(column: usize, name: &str) -> Option<Candidate> {
    let mut compact = normalise(name);
    // `E-mail 1 - Value`, `Phone 2 - Value` (Google Contacts): the column holds what it names.
    let named = TABLE.value_suffixes.iter().find_map(|s| {
        let rest = compact.strip_suffix(s.as_str())?;
        TABLE.get(&split_number(rest).0).map(|_| rest.to_string())
    });
    if let Some(rest) = named {
        compact = rest;
    }
    let candidate_of = |meaning, address, number: Option<u32>| Candidate {
        column,
        meaning,
        address,
        rank: (true, 0, number.unwrap_or(0), column),
        number,
    };
    // `Phone 1 - Type`, `E-mail 2 - Label`, `Address 1 - Type` (Google Contacts, Wix): the type
    // of the column of the same name and number.
    for suffix in LABEL_SUFFIXES {
        let Some(rest) = compact.strip_suffix(suffix).filter(|r| !r.is_empty()) else {
            continue;
        };
        for prefix in &TABLE.numbered {
            if let Some(block) = rest
                .strip_prefix(prefix.as_str())
                .and_then(|n| n.parse::<usize>().ok())
            {
                let number = u32::try_from(block).ok();
                return Some(candidate_of(
                    Meaning::AddressType,
                    block.checked_sub(2),
                    number,
                ));
            }
        }
        let (base, number) = split_number(rest);
        if let Some((meaning, _)) = TABLE.get(&base)
            && matches!(meaning, Meaning::Email | Meaning::Phone | Meaning::Website)
        {
            let label = if meaning == Meaning::Phone {
                Meaning::PhoneLabel
            } else {
                Meaning::ValueLabel
            };
            return Some(candidate_of(label, None, number));
        }
    }
    let candidate = |meaning, address, prefixed, rank, number: Option<u32>| Candidate {
        column,
        meaning,
        address,
        rank: (prefixed, rank, number.unwrap_or(0), column),
        number,
    };
    let lookup = |rest: &str| {
        let (base, number) = split_number(rest);
        TABLE
            .get(&base)
            .map(|(meaning, rank)| (meaning, rank, number))
    };
    if let Some((meaning, rank, number)) = lookup(&compact) {
        return Some(candidate(meaning, None, false, rank, number));
    }
    // `Name` is the canonical column, and the last name only beside a first name.
    if TABLE.last_name_beside_first.contains(&compact) {
        return Some(candidate(Meaning::FullName, None, false, usize::MAX, None));
    }
    // `Address_1 City`, `Address_2 Street Line 1`: numbered blocks.
    for prefix in &TABLE.numbered {
        let Some(rest) = compact.strip_prefix(prefix.as_str()) else {
            continue;
        };
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (block, rest) = rest.split_at(digits);
        if let (Ok(block), Some((meaning, rank, number))) = (block.parse::<usize>(), lookup(rest))
            && meaning.is_address()
        {
            let address = block.checked_sub(2);
            return Some(candidate(meaning, address, true, rank, number));
        }
    }
    let blocks = [(None, &TABLE.billing), (Some(0), &TABLE.shipping)];
    for (address, (prefixes, suffixes)) in blocks {
        let rests = prefixes
            .iter()
            .filter_map(|p| compact.strip_prefix(p.as_str()))
            .chain(
                suffixes
                    .iter()
                    .filter_map(|s| compact.strip_suffix(s.as_str())),
            );
        // `Adresse de livraison - Ville`: the word for an address before the block's suffix.
        let after_word = after_address_word(&compact).into_iter().flat_map(|after| {
            suffixes
                .iter()
                .filter_map(|s| after.strip_prefix(s.as_str()))
        });
        let rests = rests.chain(after_word);
        for rest in rests.filter(|r| !r.is_empty()) {
            // `Home Address City` is `Home City`: the word for an address adds nothing.
            let read = lookup(rest).or_else(|| after_address_word(rest).and_then(lookup));
            if let Some((meaning, rank, number)) = read {
                return Some(candidate(meaning, address, true, rank, number));
            }
            // `Billing Name`, `Shipping Name`, `Name des Empfängers`: a block's own name is
            // the whole name of its person (bare `Name` is the canonical column).
            if rest == "name" {
                return Some(candidate(Meaning::FullName, address, true, 0, None));
            }
        }
    }
    // `Address City`, `Address - Zip`, `Adresse PLZ`: the plain address's part, as `City` is.
    if let Some((meaning, rank, number)) = after_address_word(&compact).and_then(lookup)
        && meaning.is_address()
    {
        return Some(candidate(meaning, None, false, rank, number));
    }
    // `Other Street`, `Other City` (Salesforce, Zoho, Outlook): a further address, whose
    // place only; which shipping address it is, `blocks` decides once every column is read.
    TABLE
        .other
        .iter()
        .filter_map(|p| compact.strip_prefix(p.as_str()))
        .filter(|r| !r.is_empty())
        .find_map(lookup)
        .filter(|(meaning, _, _)| meaning.is_place())
        .map(|(meaning, rank, number)| candidate(meaning, Some(OTHER_BLOCK), true, rank, number))
}

/// The address of an `Other ...` column until `blocks` gives it its shipping address.
pub(super) const OTHER_BLOCK: usize = usize::MAX;

/// The address of a home or work block beside a block named shipping: left out (see
/// `blocks::home_and_work`).
pub(super) const LEFT_OUT_BLOCK: usize = usize::MAX - 1;
