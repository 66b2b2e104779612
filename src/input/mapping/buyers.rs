//! Who the customer is, where the header says more than its columns' names: in an orders
//! export the buyer (the order's `Name` is no person's, the billing name else the shipping
//! name), and in any file the rows a company flag marks as a company's.

use super::{Fill, Rule};
use crate::customer::fields::{AddressField as A, ContactField as C, Field};
use crate::input::mapping_file::{Mapped, Source};
use crate::input::matcher::{LeftOut, Matched};
use crate::input::orders;
use crate::input::presets::{self, Target};

/// Columns that say whether a row is a company's or a person's (normalised names): Odoo's
/// `Is a Company` and `Company Type`, CRMs' record or contact types. Their values are read by
/// [`super::row`]: yes, or a word for a company; any other value (a person, `Retail`) leaves
/// the row a person's.
const COMPANY_FLAGS: &[&str] = &[
    "isacompany",
    "iscompany",
    "companytype",
    "isorganization",
    "isorganisation",
    "recordtype",
    "contacttype",
    "partnertype",
    "entitytype",
    "istfirma",
    "istunternehmen",
    "estunesociete",
    "esempresa",
];

/// In an orders export, the canonical `name` column is the order's name (Shopify's `Name` is
/// `#1060`) when another column names the person: it is then left out, as order data.
pub(super) fn without_order_name(rules: Vec<Rule>, names: &[String]) -> (Vec<Rule>, Option<usize>) {
    let is_order_name = |i: usize| presets::same_name(&names[i], "name");
    let person_named = names
        .iter()
        .enumerate()
        .any(|(i, n)| !is_order_name(i) && crate::input::matcher::names_a_person(i, n));
    let order_name = names.iter().position(|n| presets::same_name(n, "name"));
    if !person_named || order_name.is_none() {
        return (rules, None);
    }
    let rules = rules
        .into_iter()
        .filter(|r| !matches!(r.fill, Fill::Column(i) if is_order_name(i)))
        .collect();
    (rules, order_name)
}

/// In an orders export a website is the shop's or the marketplace's (Amazon's order history
/// writes `Amazon.com`), never the buyer's: the URL contacts the matcher made of such columns
/// are dropped, and the columns listed as left out with that reason.
pub(super) fn without_shop_websites(
    rules: &mut Vec<Rule>,
    matched: &mut Matched,
    names: &[String],
) {
    let urls: Vec<usize> = rules
        .iter()
        .filter_map(|r| match (&r.target, &r.fill) {
            (Target::Field(Field::Contact(p, C::Type)), Fill::Value(v))
                if v.eq_ignore_ascii_case("URL") =>
            {
                Some(*p)
            }
            _ => None,
        })
        .collect();
    let of_url =
        |r: &Rule| matches!(r.target, Target::Field(Field::Contact(p, _)) if urls.contains(&p));
    for rule in rules.iter().filter(|r| of_url(r)) {
        if let Fill::Column(i) = rule.fill {
            leave_out_website(matched, &names[i]);
        }
    }
    rules.retain(|r| !of_url(r));
}

/// [`without_shop_websites`] for the mapping `template --mapping --from` prints.
pub(super) fn without_shop_websites_in(model: &mut Vec<Mapped>, matched: &mut Matched) {
    let urls: Vec<usize> = model
        .iter()
        .filter_map(|m| match (&m.field, &m.source) {
            (Field::Contact(p, C::Type), Source::Value(v)) if v.eq_ignore_ascii_case("URL") => {
                Some(*p)
            }
            _ => None,
        })
        .collect();
    let of_url = |m: &Mapped| matches!(m.field, Field::Contact(p, _) if urls.contains(&p));
    for mapped in model.iter().filter(|m| of_url(m)) {
        for name in mapped.source.columns() {
            leave_out_website(matched, name);
        }
    }
    model.retain(|m| !of_url(m));
}

/// A website column taken for the shop's: no longer a choice, listed as left out.
fn leave_out_website(matched: &mut Matched, name: &str) {
    matched
        .choices
        .retain(|c| !c.starts_with(&format!("{} ->", crate::words::quoted(name))));
    matched.left_out.push(LeftOut {
        column: name.to_string(),
        field: None,
        why: SHOP_WEBSITE.into(),
    });
}

/// Why a website column of an orders export is left out.
const SHOP_WEBSITE: &str =
    "in an orders export, the shop's or marketplace's website, not the buyer's";

/// In an orders export the buyer is named by the billing name, else by the shipping name.
pub(super) fn buyer_name(rules: &mut Vec<Rule>) {
    let columns = |rule: &Rule| match &rule.fill {
        Fill::Column(i) => vec![vec![*i]],
        Fill::Columns { alternatives, .. } => alternatives.clone(),
        Fill::Value(_) => Vec::new(),
    };
    let billing = Target::Field(Field::Billing(A::Name));
    let shipping = Target::Field(Field::Shipping(0, A::Name));
    let Some(ship) = rules.iter().find(|r| r.target == shipping) else {
        return;
    };
    let (ship_columns, ship_label) = (columns(ship), ship.label.clone());
    let separators = vec![" ".to_string()];
    match rules.iter_mut().find(|r| r.target == billing) {
        Some(rule) if !matches!(rule.fill, Fill::Value(_)) => {
            let mut alternatives = columns(rule);
            alternatives.extend(ship_columns);
            rule.fill = Fill::columns(alternatives, separators);
            rule.label = format!("{} or {ship_label}", rule.label);
        }
        Some(_) => {}
        None => rules.push(Rule {
            target: billing,
            fill: Fill::columns(ship_columns, separators),
            label: ship_label,
        }),
    }
}

/// For the printed mapping of an orders export: the note on the billing name's line, naming
/// the shipping name that [`buyer_name`] takes where the billing name is blank.
pub(super) fn buyer_name_note(model: &[Mapped]) -> Option<String> {
    let shipping = model
        .iter()
        .find(|m| m.field == Field::Shipping(0, A::Name))?;
    let columns: Vec<String> = shipping
        .source
        .columns()
        .iter()
        .map(|c| crate::words::quoted(c))
        .collect();
    (!columns.is_empty()).then(|| {
        format!(
            "   # else {} where that is blank: an orders export's buyer",
            columns.join(" + ")
        )
    })
}

/// In an orders export, the columns no field takes that hold the order (`order_name`, the
/// order's `Name`, among them; a column the matcher left out with its own reason is not), now
/// counted as used: they are listed once, as order data.
pub(super) fn order_data(
    names: &[String],
    used: &mut [bool],
    left_out: &[LeftOut],
    order_name: Option<usize>,
) -> Vec<String> {
    let mut data = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let explained = left_out.iter().any(|l| l.column == *name);
        let order = orders::is_order_data(name) || order_name == Some(i);
        if !used[i] && !explained && order {
            used[i] = true;
            data.push(name.clone());
        }
    }
    data
}

/// The column that says whether a row is a company's ([`COMPANY_FLAGS`], read row by row),
/// now counted as used.
pub(super) fn company_flag(names: &[String], used: &mut [bool]) -> Option<usize> {
    let flag = names.iter().enumerate().position(|(i, name)| {
        !used[i] && COMPANY_FLAGS.contains(&crate::input::names::normalise(name).as_str())
    })?;
    used[flag] = true;
    Some(flag)
}

/// Stripe's `key (metadata)` columns, the account's own fields: named as left out, never
/// guessed.
pub(super) fn metadata(names: &[String], used: &mut [bool]) -> Vec<LeftOut> {
    let mut left_out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if !used[i] && name.to_ascii_lowercase().ends_with("(metadata)") {
            used[i] = true;
            left_out.push(LeftOut {
                column: name.clone(),
                field: None,
                why: "metadata: the account's own field, never guessed; map it with --mapping \
                      (e.g. to an extra field) to import it"
                    .into(),
            });
        }
    }
    left_out
}

/// A region's or country's name beside the column of its code that a field takes (Shopify's
/// `Province` beside `Province Code`, `Billing Province Name` beside `Billing Province`): the
/// same place, which the store names from the code; listed as left out with that reason, not
/// as a column no field takes.
pub(super) fn names_beside_codes(names: &[String], used: &mut [bool]) -> Vec<LeftOut> {
    let normal: Vec<String> = names
        .iter()
        .map(|n| crate::input::names::normalise(n))
        .collect();
    let mut left_out = Vec::new();
    for (i, name) in normal.iter().enumerate() {
        let place = ["province", "state", "region", "country"]
            .iter()
            .any(|p| name.contains(p));
        if used[i] || name.is_empty() || !place {
            continue;
        }
        let code = normal.iter().enumerate().find(|(j, other)| {
            used[*j]
                && (**other == format!("{name}code")
                    || name.strip_suffix("name").is_some_and(|n| *other == n))
        });
        if let Some((j, _)) = code {
            used[i] = true;
            left_out.push(LeftOut {
                column: names[i].clone(),
                field: None,
                why: format!(
                    "the name of the place whose code {} gives, which the store names itself",
                    crate::words::quoted(&names[j])
                ),
            });
        }
    }
    left_out
}
