//! From the header to rules: which preset the file follows (chosen, or detected by its
//! columns), which columns fill which field, the mapping file on top, and why a header cannot
//! be used. This runs once, before any row is read, so that a header that cannot be imported
//! stops the run at once with a message that names its columns.

use std::fmt;

use csv::ByteRecord;

use super::meaning::{by_meaning, without_columns};
use super::rules::{HeaderError, canonical_rules, found, mapped_rules, preset_rules, quoted};
use super::{ColumnMap, Fill, Rule, contact_of};
use super::{associated, buyers};
use crate::customer::fields::{AddressField as A, Field};
use crate::input::formulas;
use crate::input::mapping_file::{Mapped, MappingFile};
use crate::input::matcher::{LeftOut, Matched};
use crate::input::orders;
use crate::input::presets::{self, Preset, Target};

/// How the input is laid out: the preset (`None` detects it) and the user's mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    pub preset: Option<Preset>,
    pub mapping: Option<MappingFile>,
}

/// The preset a run uses and why, for the log and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub preset: Preset,
    pub(crate) reason: String,
    /// The fields the mapping file sets, as it names them.
    pub(crate) mapped: Vec<String>,
    /// The choices of the matcher, one line each (empty when it matched nothing).
    pub(crate) matched: Vec<String>,
    /// Columns the matcher recognised and left out, and why.
    pub(crate) left_out: Vec<LeftOut>,
    /// In an orders export: the column that told it, the columns the buyer's name comes from,
    /// and the columns left out as order data.
    pub(crate) orders: Option<(String, Option<String>, Vec<String>)>,
    /// Street columns that are their address's only column, read as a whole address.
    pub(crate) whole_addresses: Vec<String>,
    /// Columns of a whole address beside its parts, read on rows whose parts are blank.
    pub(crate) wholes_beside_parts: Vec<String>,
}

impl Choice {
    /// Whether columns were matched by meaning (synonyms), not only by their canonical names.
    pub fn matched_by_meaning(&self) -> bool {
        !self.matched.is_empty()
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "preset {} ({})", self.preset, self.reason)?;
        if let Some((marker, name, _)) = &self.orders {
            write!(
                f,
                "; an orders export (one row per order or line item, told by {}): the \
                 buyer is the customer, named by the billing name (else the shipping name{}), \
                 and the rows of one buyer are one customer",
                crate::words::quoted(marker),
                name.as_ref()
                    .map_or(String::new(), |n| format!(": billingPerson.name from {n}"))
            )?;
        }
        if !self.matched.is_empty() {
            write!(f, "; matched by meaning: {}", self.matched.join(", "))?;
        }
        if !self.whole_addresses.is_empty() {
            write!(
                f,
                "; the whole address in one cell (split where that is certain, else sent as \
                 the street): {}",
                quoted(&self.whole_addresses)
            )?;
        }
        if !self.wholes_beside_parts.is_empty() {
            write!(
                f,
                "; the whole address in one cell where the row leaves its parts blank: {}",
                quoted(&self.wholes_beside_parts)
            )?;
        }
        if !self.left_out.is_empty() {
            let left: Vec<String> = self
                .left_out
                .iter()
                .map(|l| format!("{} ({})", crate::words::quoted(&l.column), l.why))
                .collect();
            write!(f, "; left out: {}", left.join(", "))?;
        }
        if let Some((_, _, data)) = &self.orders
            && !data.is_empty()
        {
            write!(f, "; left out as order data: {}", quoted(data))?;
        }
        if !self.mapped.is_empty() {
            write!(f, "; from the mapping file: {}", self.mapped.join(", "))?;
        }
        Ok(())
    }
}

impl ColumnMap {
    /// Maps the header by `layout`: the preset's columns, then the mapping file's fields in
    /// place of the preset's for the fields it names.
    pub fn new(headers: &ByteRecord, layout: &Layout) -> Result<(Self, Choice), HeaderError> {
        let read_names = header_names(headers);
        // The `status` and `message` columns a report puts first are no one's data: the rules
        // are made as if they had no name, so that nothing maps them.
        let skip = match &layout.mapping {
            // A mapping file that names them makes them the user's own columns.
            Some(m)
                if m.fields
                    .iter()
                    .any(|f| names_any(f, &read_names[..2.min(read_names.len())])) =>
            {
                0
            }
            _ => report_columns(&read_names),
        };
        let mut names = read_names.clone();
        names[..skip].iter_mut().for_each(String::clear);
        // The columns of an associated record (a CRM's company) under the record's name.
        let records = associated::records(&names);
        let names = associated::named_by_record(names, &records);
        let picked: Vec<String> = layout
            .mapping
            .iter()
            .flat_map(|m| m.fields.iter().flat_map(|f| f.source.columns().to_vec()))
            .collect();
        same_names(&names, &picked)?;
        let (preset, mut reason) = choose_preset(layout.preset, &names);
        let mut rules = match preset {
            Preset::Ecwid => canonical_rules(&names)?,
            other => preset_rules(other, &names),
        };
        let mapping = layout.mapping.as_ref();
        let own = match mapping {
            Some(m) => mapped_rules(&m.fields, &m.path.display().to_string(), &names)?,
            None => Vec::new(),
        };
        let mut mapped = Vec::new();
        if let Some(mapping) = mapping {
            let named: Vec<Field> = mapping.fields.iter().flat_map(Mapped::fields).collect();
            rules.retain(|r| !r.target.fields().iter().any(|f| named.contains(f)));
            rules = without_columns(rules, &used_columns(&own, names.len()));
            mapped = mapping.fields.iter().map(|m| m.key.clone()).collect();
        }
        let mut matched = Matched::default();
        let by_meaning_on = mapping.is_none_or(|m| m.match_by_meaning);
        // An orders export whatever else the mapping file says: its rows are still orders.
        let orders = (preset == Preset::Ecwid && layout.preset.is_none())
            .then(|| orders::detect(&names))
            .flatten();
        let mut order_name = None;
        if orders.is_some() {
            (rules, order_name) = buyers::without_order_name(rules, &names);
        }
        if preset == Preset::Ecwid && layout.preset.is_none() && by_meaning_on {
            (_, matched) = by_meaning(&mut rules, &names, &own);
            if !matched.choices.is_empty() {
                reason.push_str(", then columns matched by meaning");
            }
        }
        if orders.is_some() {
            buyers::without_shop_websites(&mut rules, &mut matched, &names);
        }
        rules.extend(own);
        if orders.is_some() {
            // The buyer is named by the billing name, else by the shipping name, whether the
            // matcher or a mapping file (the one `template --mapping --from` prints) names them.
            buyers::buyer_name(&mut rules);
        }
        if preset == Preset::Ecwid {
            same_field(&rules)?;
        }
        let fax_guards = super::typed::apply_types(&mut rules, &matched, mapping, &names)?;
        let whole_addresses = super::whole_address::lone_streets(&mut rules);
        let (whole_beside_parts, wholes_beside_parts) =
            super::whole_address::beside_parts(&mut rules, &names);
        let Some(email_rule) = rules
            .iter()
            .position(|r| r.target == Target::Field(Field::Email))
        else {
            let tried = match (layout.preset, layout.mapping.is_some()) {
                (None, _) if preset == Preset::Ecwid => format!(
                    "{} (their header signatures are not in the file), then ecwid (canonical \
                     column names{}{})",
                    detected_presets("and"),
                    if by_meaning_on {
                        ", then columns matched by meaning"
                    } else {
                        ""
                    },
                    if mapped.is_empty() {
                        ""
                    } else {
                        ", and the mapping file"
                    }
                ),
                _ => format!("{preset} ({reason})"),
            };
            let platform = orders::platform_without_emails(&names).map_or(String::new(), |p| {
                format!(
                    ". This is {p}'s orders export, and {p} never exports its buyers' email \
                     addresses: the file cannot give the customers an email, so the customers \
                     cannot be imported from it; a customer export or a mailing list of the \
                     same buyers can, or this file with an email column added. For reference"
                )
            });
            return Err(HeaderError::NoEmail {
                found: found(&names),
                tried,
                platform,
            });
        };
        let emails = super::emails::Emails::new(&rules, &names, email_rule);
        let phones = super::phones::Phones::new(&rules);
        let mut used = used_columns(&rules, names.len());
        for column in emails.type_columns() {
            used[column] = true;
        }
        let order_data = match orders {
            Some(_) => buyers::order_data(&names, &mut used, &matched.left_out, order_name),
            None => Vec::new(),
        };
        for &(_, column) in &fax_guards {
            used[column] = true;
        }
        let strip_quote = layout
            .mapping
            .as_ref()
            .and_then(|m| m.strip_leading_quote)
            // An orders export is a platform's, and Shopify writes zips and phones as `'07034`.
            .unwrap_or(preset.strips_leading_quote() || orders.is_some());
        let company_flag = buyers::company_flag(&names, &mut used);
        let mut left_out = matched.left_out;
        let email_types: Vec<&String> = emails.type_columns().map(|t| &names[t]).collect();
        left_out.retain(|l| !email_types.contains(&&l.column));
        // A file read by meaning is a spreadsheet or another platform's export: a `'` before
        // the digits of a phone or postal code is Excel's text marker there.
        let number_marks = !strip_quote && !matched.choices.is_empty();
        let mut choices = matched.choices;
        choices.extend(email_types.iter().map(|t| {
            format!(
                "{} -> which email is the customer's: the one whose type begins with * (primary)",
                crate::words::quoted(t)
            )
        }));
        left_out.extend(buyers::metadata(&names, &mut used));
        left_out.extend(buyers::names_beside_codes(&names, &mut used));
        let choice = Choice {
            preset,
            reason,
            mapped,
            matched: choices,
            left_out,
            whole_addresses,
            wholes_beside_parts,
            orders: orders.as_ref().map(|o| {
                let name = rules
                    .iter()
                    .find(|r| r.target == Target::Field(Field::Billing(A::Name)))
                    .map(|r| r.label.clone());
                (names[o.marker].clone(), name, order_data)
            }),
        };
        // Magento's composite file continues a customer on rows without an email.
        let email_from_preset = layout
            .mapping
            .as_ref()
            .is_none_or(|m| m.fields.iter().all(|f| f.field != Field::Email));
        let blank_email_rule = (preset == Preset::Magento
            && email_from_preset
            && presets::magento::is_composite(&names))
        .then_some(presets::magento::CONTINUATION_RULE);
        let contact_constants = rules
            .iter()
            .any(|r| matches!(r.fill, Fill::Value(_)) && contact_of(&r.target).is_some());
        let first_free_contact = rules
            .iter()
            .filter_map(|r| contact_of(&r.target))
            .max()
            .map_or(0, |n| n + 1);
        let typed_blocks = rules
            .iter()
            .any(|r| matches!(r.target, Target::InAddress(..)));
        let first_free_shipping = rules
            .iter()
            .filter(|r| !matches!(r.target, Target::InAddress(..)))
            .flat_map(|r| r.target.fields())
            .filter_map(|f| match f {
                Field::Shipping(i, _) => Some(i + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let explained = names
            .iter()
            .map(|n| !n.is_empty() && choice.left_out.iter().any(|l| &l.column == n))
            .collect();
        let map = Self {
            shown: names,
            explained,
            report_columns: skip,
            // As read: a report's header repeats them, so that the fixed report imports as the
            // file did (the rules carry the names they were made with).
            names: read_names,
            rules,
            used,
            email_rule,
            strip_quote,
            number_marks,
            contact_constants,
            blank_email_rule,
            orders,
            extra_dates: Vec::new(),
            company_flag,
            first_free_contact,
            first_free_shipping,
            typed_blocks,
            fax_guards,
            emails,
            phones,
            whole_beside_parts,
        };
        Ok((map, choice))
    }

    /// Columns that fill no field, as the file names them (blank names shown by position).
    pub fn not_imported(&self) -> Vec<String> {
        self.shown
            .iter()
            .zip(&self.used)
            .enumerate()
            .skip(self.report_columns())
            .filter(|(i, (_, used))| !**used && !self.explained[*i])
            .map(|(i, (name, _))| {
                if name.is_empty() {
                    format!("(unnamed column {})", i + 1)
                } else {
                    name.clone()
                }
            })
            .collect()
    }
}

/// How many leading columns of `names` a report added: 2 when they start with `status` and
/// `message` (any case), else 0.
fn report_columns(names: &[String]) -> usize {
    match names {
        [status, message, ..]
            if status.eq_ignore_ascii_case("status") && message.eq_ignore_ascii_case("message") =>
        {
            2
        }
        _ => 0,
    }
}

/// Whether the mapping file's `mapped` field reads one of the columns `names`.
fn names_any(mapped: &crate::input::mapping_file::Mapped, names: &[String]) -> bool {
    use crate::input::mapping_file::Source;
    let named = |column: &String| names.iter().any(|n| n.eq_ignore_ascii_case(column));
    match &mapped.source {
        Source::Columns { columns, .. } => columns.iter().any(named),
        Source::CodeOrName(column) | Source::YesNo(column) | Source::IfValid(column) => {
            named(column)
        }
        Source::Value(_) => false,
    }
}

/// The header's column names, trimmed; a name the failed-rows file guarded as a formula is
/// read without the guard.
pub(super) fn header_names(headers: &ByteRecord) -> Vec<String> {
    headers
        .iter()
        .map(|h| {
            let name = String::from_utf8_lossy(h);
            let name = name.trim();
            formulas::unguard(name).unwrap_or(name).trim().to_string()
        })
        .collect()
}

/// The preset of the header, and why: the one chosen with `--preset`, else the one whose
/// signature the header has, else canonical column names.
pub(super) fn choose_preset(chosen: Option<Preset>, names: &[String]) -> (Preset, String) {
    match chosen {
        Some(preset) => (preset, "chosen with --preset".to_string()),
        None => match presets::detect(names) {
            Some((preset, found)) => (
                preset,
                format!("detected: the header has {}", quoted(&found)),
            ),
            None => (
                Preset::Ecwid,
                format!(
                    "no header of {} found: canonical column names",
                    detected_presets("or")
                ),
            ),
        },
    }
}

/// The presets that detection tries, in its order: `shopify, woocommerce, ... and hubspot`
/// (`conjunction` before the last).
fn detected_presets(conjunction: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    for signature in &presets::SIGNATURES {
        let name = signature.preset.name();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("{} {conjunction} {last}", rest.join(", "))
        }
        _ => names.concat(),
    }
}

/// Which of `count` columns fill a field: the others are reported as not imported.
fn used_columns(rules: &[Rule], count: usize) -> Vec<bool> {
    let mut used = vec![false; count];
    for rule in rules {
        match &rule.fill {
            Fill::Column(i) => used[*i] = true,
            Fill::Columns { alternatives, .. } => {
                for &i in alternatives.iter().flatten() {
                    used[i] = true;
                }
            }
            Fill::Value(_) => {}
        }
    }
    used
}

/// Two columns named alike (ignoring case and spaces) within one record would make any
/// mapping ambiguous, unless the mapping file picks one by its number (`picked`, the columns
/// the mapping file names). Every such pair is named at once, each with the line that picks
/// one of them.
pub(super) fn same_names(names: &[String], picked: &[String]) -> Result<(), HeaderError> {
    let pairs = associated::repeated(names, picked);
    if pairs.is_empty() {
        return Ok(());
    }
    let described: Vec<String> = pairs
        .iter()
        .map(|&(j, i)| {
            let number = names[..=i]
                .iter()
                .filter(|n| presets::same_name(n, &names[i]))
                .count();
            let field = crate::input::matcher::field_of(&names[j])
                .map_or_else(|| "FIELD".to_string(), |f| f.to_string());
            let base = names[j].trim();
            format!(
                "{} (column {}) and {} (column {}): `{field} = \"{base}#1\"` takes the \
                 first, `\"{base}#{number}\"` the other",
                crate::words::quoted(&names[j]),
                j + 1,
                crate::words::quoted(&names[i]),
                i + 1
            )
        })
        .collect();
    Err(HeaderError::SameName {
        pairs: described.join("; "),
    })
}

/// Two canonical columns for one field (`name` and `billingPerson.name`).
fn same_field(rules: &[Rule]) -> Result<(), HeaderError> {
    for (i, rule) in rules.iter().enumerate() {
        if let Some(first) = rules[..i].iter().find(|r| r.target == rule.target) {
            let field = rule.target.fields().first().map(Field::to_string);
            return Err(HeaderError::SameField {
                first: crate::words::quoted(&first.label),
                second: crate::words::quoted(&rule.label),
                field: field.unwrap_or_default(),
            });
        }
    }
    Ok(())
}
