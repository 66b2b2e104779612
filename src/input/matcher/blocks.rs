//! The parts of one address kept together, whatever block prefix each column has or lacks.

use super::recognise::Candidate;
use super::table::{Meaning, TABLE};
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
///   the person; the billing block's phone is the buyer's phone before the order's own
///   `Phone`, which then becomes a contact.
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
    }
}
