//! The parts of one address kept together, whatever block prefix each column has or lacks.

use super::recognise::{Candidate, LEFT_OUT_BLOCK, OTHER_BLOCK};
use super::table::{Meaning, TABLE, split_number};
use crate::input::names::normalise;

/// The parts of one address stay together, as the file means them:
///
/// - Unprefixed place columns beside a shipping block and no billing block, that name only
///   parts the shipping block lacks, are that block's (Etsy's `Street 1`, `Street 2` beside
///   `Ship City`, `Ship State`, `Ship Zipcode`, `Ship Country`; Temu's `Stadt` beside
///   `Versandpostleitzahl`): one address, never split between two.
/// - `Shipping Company` beside a `Billing Company` is the shipping address's company, not the
///   carrier it means alone.
/// - In an orders export, the order's `Name` is no person's name where another column names
///   the person; the billing name is the buyer's name before `Customer Name` or
///   `Buyer Name`; the billing block's phone is the buyer's phone before the order's own
///   `Phone`, which then becomes a contact.
/// - The place columns of a further address (`Other Street`, `Other City`) are the shipping
///   address after the file's others (see [`further_address`]).
pub(super) fn keep_blocks_whole(names: &[String], candidates: &mut Vec<Candidate>) {
    let billing_block = |c: &Candidate| c.address.is_none() && c.rank.0;
    let places = |address: Option<usize>, prefixed: Option<bool>, cs: &[Candidate]| {
        cs.iter()
            .filter(|c| c.address == address && c.meaning.is_place())
            .filter(|c| prefixed.is_none_or(|p| c.rank.0 == p))
            .map(|c| c.meaning)
            .collect::<Vec<_>>()
    };
    let billing = places(None, Some(true), candidates);
    let plain = places(None, Some(false), candidates);
    let shipping = places(Some(0), None, candidates);
    if billing.is_empty()
        && !plain.is_empty()
        && !shipping.is_empty()
        && plain.iter().all(|m| !shipping.contains(m))
    {
        for c in candidates.iter_mut() {
            if c.address.is_none() && c.meaning.is_place() {
                c.address = Some(0);
                c.rank.0 = true;
            }
        }
    }
    home_and_work(names, candidates);
    further_address(candidates);
    // A whole address beside its parts is not their street (see `whole_beside_parts`).
    candidates.retain(|c| !(c.meaning == Meaning::Street && whole_beside_parts(names, c.column)));
    let billing_company = candidates
        .iter()
        .any(|c| billing_block(c) && c.meaning == Meaning::Company);
    for c in candidates.iter_mut() {
        let name = normalise(&names[c.column]);
        let shipping_company = TABLE
            .shipping
            .0
            .iter()
            .any(|p| name.strip_prefix(p.as_str()) == Some("company"));
        if billing_company && c.meaning == Meaning::Carrier && shipping_company {
            c.meaning = Meaning::Company;
            c.address = Some(0);
            c.rank.0 = true;
        }
    }
    if crate::input::orders::detect(names).is_some() {
        // The order's `Name` (Shopify's `#1060`) where another column names the person.
        let bare = |c: &Candidate| normalise(&names[c.column]) == "name";
        let person = |c: &Candidate| {
            !bare(c)
                && matches!(
                    c.meaning,
                    Meaning::FirstName | Meaning::LastName | Meaning::FullName
                )
        };
        if candidates.iter().any(person) {
            candidates.retain(|c| !bare(c));
        }
        for c in candidates.iter_mut() {
            if c.meaning == Meaning::Phone && c.address.is_none() {
                c.rank.0 = !c.rank.0;
            }
        }
        // The buyer's name is the billing name: `Customer Name`, `Buyer Name` come after it.
        for c in candidates.iter_mut() {
            let name = normalise(&names[c.column]);
            let of_customer = ["customer", "buyer"].iter().any(|p| name.starts_with(p));
            if of_customer && c.address.is_none() && person(c) {
                c.rank.0 = true;
                c.rank.1 = c.rank.1.saturating_add(1);
            }
        }
    }
}

/// A home or work block beside blocks named billing or shipping, as typed address blocks are
/// placed (`mapping::typed`): alone, `Home ...` (Outlook's, `Home Address City`) is the
/// customer's own address and `Work ...`, `Business ...` the shipping address; beside a block
/// named billing (`Billing`, `Mailing`, `Invoice`), a home block is a shipping address after the
/// file's others where no block is named shipping, and left out where one is; a work block
/// beside a block named shipping is left out. A left-out block is said so, with the reason. Only the place moves: a block's name, company and
/// phone stay where they are.
fn home_and_work(names: &[String], candidates: &mut [Candidate]) {
    let starts = |c: &Candidate, words: &[&str]| {
        let name = normalise(&names[c.column]);
        c.rank.0 && c.meaning.is_place() && words.iter().any(|w| name.starts_with(w))
    };
    let home = |c: &Candidate| c.address.is_none() && starts(c, &["home"]);
    let work = |c: &Candidate| c.address == Some(0) && starts(c, &["work", "business"]);
    let named = |c: &Candidate, address: Option<usize>| {
        c.address == address && c.rank.0 && c.meaning.is_place() && !home(c) && !work(c)
    };
    let billing = candidates.iter().any(|c| named(c, None));
    let shipping = candidates.iter().any(|c| named(c, Some(0)));
    let next = next_address(candidates);
    for c in candidates.iter_mut() {
        if (billing && home(c) || work(c)) && shipping {
            c.address = Some(LEFT_OUT_BLOCK);
        } else if billing && home(c) {
            c.address = Some(next);
        }
    }
}

/// Gives the columns of a further address (`Other Street`, `Other City`: Salesforce's and
/// Zoho CRM's second address beside `Mailing ...`, Outlook's beside `Home ...` and
/// `Business ...`) the shipping address after every other the file has: `shippingAddresses.0`
/// where it has none, else the next.
fn further_address(candidates: &mut [Candidate]) {
    let next = next_address(candidates);
    for c in candidates.iter_mut() {
        if c.address == Some(OTHER_BLOCK) {
            c.address = Some(next);
        }
    }
}

/// The shipping address after every one the candidates have (`0` where they have none).
fn next_address(candidates: &[Candidate]) -> usize {
    candidates
        .iter()
        .filter_map(|c| c.address.filter(|&a| a < LEFT_OUT_BLOCK))
        .max()
        .map_or(0, |a| a + 1)
}

/// Whether column `column` holds a whole address whose parts are columns beside it, named with
/// its name before theirs (Pipedrive's `Postal address` beside `Postal address - Street/road
/// name`, `Postal address - City/town/village/locality`): a street and a city, postal code or
/// country. Such a column is not the street: the parts are read, and the whole cell only on a
/// row whose parts are blank (`mapping::whole_address`).
pub(crate) fn whole_beside_parts(names: &[String], column: usize) -> bool {
    let whole = normalise(&names[column]);
    if whole.is_empty() {
        return false;
    }
    let parts: Vec<Meaning> = names
        .iter()
        .filter_map(|name| {
            normalise(name)
                .strip_prefix(whole.as_str())
                .map(str::to_string)
        })
        .filter_map(|rest| {
            TABLE
                .get(&split_number(&rest).0)
                .map(|(meaning, _)| meaning)
        })
        .filter(|meaning| meaning.is_place())
        .collect();
    parts.contains(&Meaning::Street)
        && parts
            .iter()
            .any(|m| matches!(m, Meaning::City | Meaning::PostalCode | Meaning::Country))
}

/// Why a column of a block with no place is read as if the block word were not there.
pub(super) const NO_PLACE: &str =
    "no address: its block has no street, city, postal code, country or state column";

/// A block (`Shipping ...`, `Work ...`, `Business ...`, `Address 2 ...`) is an address only
/// where it has a place: a street, city, postal code, country or state column, or such a field
/// the canonical columns fill. A block with none is no address (`Work Mobile`, `Work Company`,
/// `Shipping Phone` alone): its columns are read as they would be without the block word,
/// after the unprefixed columns of their meaning (a phone is the customer's phone where no
/// other column is, else a contact; a company the customer's company where none is; a name
/// is left out where the customer has one). Returns the columns so read, for the report.
pub(super) fn unblock_placeless(
    candidates: &mut [Candidate],
    claimed: &[(Option<usize>, crate::customer::fields::Field)],
) -> Vec<usize> {
    use crate::customer::fields::{AddressField as A, Field};
    let claimed_place = |a: usize| {
        claimed.iter().any(|(_, f)| {
            matches!(f, Field::Shipping(i, field) if *i == a && !matches!(
                field,
                A::Name | A::CompanyName | A::Phone
            ))
        })
    };
    let has_place = |a: usize, cs: &[Candidate]| {
        claimed_place(a)
            || cs
                .iter()
                .any(|c| c.address == Some(a) && c.meaning.is_place())
    };
    let moved: Vec<usize> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.meaning != Meaning::AddressType)
        .filter(|(_, c)| {
            c.address
                .is_some_and(|a| a < LEFT_OUT_BLOCK && !has_place(a, candidates))
        })
        .map(|(i, _)| i)
        .collect();
    for &i in &moved {
        let c = &mut candidates[i];
        c.address = None;
        c.rank.0 = true;
    }
    moved.iter().map(|&i| candidates[i].column).collect()
}
