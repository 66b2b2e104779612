//! Columns matched by meaning, for files that are no known export: `Vorname`, `E-Mail-Adresse`,
//! `Code postal`, `ShipZip` are given their field through a table of synonyms
//! (`data/synonyms.toml`), after the canonical names have taken theirs.
//!
//! The matcher says what it chose in the same model a mapping file has ([`Mapped`]: a field
//! from a column, from columns joined, from a constant, or from a column of codes or names),
//! so that `template --mapping --from FILE` prints exactly what the run would do, and the
//! printed file read back with `--mapping` gives the same requests.

mod blocks;
mod hash;
mod recognise;
mod table;
mod typed;

use std::collections::BTreeMap;

use crate::customer::fields::{AddressField as A, ContactField, Field};
use crate::input::mapping_file::{Mapped, Source};
use crate::input::names::normalise;
pub(crate) use blocks::whole_beside_parts;
use blocks::{NO_PLACE, keep_blocks_whole, unblock_placeless};
pub(crate) use hash::is_password_hash;
use recognise::{Candidate, LEFT_OUT_BLOCK, recognise};
use table::{Meaning, TABLE, split_number};
pub(crate) use table::{country_code, country_names, yes_no};

/// What the matcher made of the columns the canonical names left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Matched {
    /// The fields it fills, in the mapping file's model.
    pub(crate) fields: Vec<Mapped>,
    /// One line per choice: `"Vorname" + "Nachname" -> billingPerson.name`.
    pub(crate) choices: Vec<String>,
    /// Columns it recognised but does not import, and why.
    pub(crate) left_out: Vec<LeftOut>,
    /// The column of the canonical `name` alias, when it gives way to a first-name column.
    pub(crate) gives_way: Option<usize>,
    /// Addresses whose parts go where a column of types says (Google's `Address 1 - Type`):
    /// the address (`None`: the billing address) and the column, as a mapping file's
    /// `[address_types]` says them.
    pub(crate) address_types: Vec<(Option<usize>, String)>,
    /// Phones whose label column may say they are a fax (Google's `Phone 1 - Type`): the
    /// field the phone fills and the label column, as a mapping file's `[phone_types]`.
    pub(crate) phone_types: Vec<(Field, String)>,
}

/// A column the matcher recognised and left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LeftOut {
    pub(crate) column: String,
    /// The field it would fill, for a commented line of `template --mapping --from`.
    pub(crate) field: Option<Field>,
    pub(crate) why: String,
}

/// Matches the columns and fields that `claimed` leaves: the canonical columns and the mapping
/// file's, each column (by position; none for a constant) with the field it fills.
/// `name_alias` is the column of the canonical `name`, which gives way to a first-name column.
pub(crate) fn match_columns(
    names: &[String],
    claimed: &[(Option<usize>, Field)],
    name_alias: Option<usize>,
) -> Matched {
    let mut candidates: Vec<Candidate> = names
        .iter()
        .enumerate()
        .filter(|(i, _)| !claimed.iter().any(|(c, _)| *c == Some(*i)))
        .filter_map(|(i, name)| recognise(i, name))
        .collect();
    keep_blocks_whole(names, &mut candidates);
    let unblocked = unblock_placeless(&mut candidates, claimed);
    candidates.sort_by_key(|c| c.rank);
    let (left_out, mut candidates): (Vec<Candidate>, Vec<Candidate>) = candidates
        .into_iter()
        .partition(|c| c.address == Some(LEFT_OUT_BLOCK));
    let mut m = Matcher {
        names,
        claimed: claimed.iter().map(|(_, f)| f.clone()).collect(),
        out: Matched::default(),
        unblocked,
        next_contact: claimed
            .iter()
            .filter_map(|(_, f)| match f {
                Field::Contact(n, _) => Some(n + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0),
    };
    for c in left_out {
        let why = "a home or work address beside an address named shipping (and, for a home \
                   address, one named billing): a home or work address is a shipping address \
                   only where no address is named shipping";
        m.leave(c.column, None, why);
    }
    let has_first = |address: Option<usize>| {
        candidates
            .iter()
            .any(|c| c.meaning == Meaning::FirstName && c.address == address)
    };
    if let Some(alias) = name_alias
        && has_first(None)
    {
        m.out.gives_way = Some(alias);
        m.claimed.retain(|f| *f != Field::Billing(A::Name));
        candidates.push(Candidate {
            column: alias,
            meaning: Meaning::FullName,
            address: None,
            rank: (false, usize::MAX, 0, alias),
            number: None,
        });
    }
    let mut addresses: Vec<Option<usize>> = candidates
        .iter()
        .filter(|c| c.meaning.is_address())
        .map(|c| c.address)
        .collect();
    addresses.sort();
    addresses.dedup();
    let mut extra_phones = Vec::new();
    for address in addresses {
        extra_phones.extend(m.address(&candidates, address));
    }
    m.customer(&candidates, extra_phones);
    m.out
}

/// The field a column of this name would fill on its own: its canonical name's, else the
/// matcher's choice (for the mapping-file line a message suggests).
pub(crate) fn field_of(name: &str) -> Option<Field> {
    Field::parse(name).or_else(|| {
        let names = [name.to_string()];
        match_columns(&names, &[], None)
            .fields
            .into_iter()
            .next()
            .map(|m| m.field)
    })
}

/// Whether a column names a person (a first, last or whole name, of any block).
pub(crate) fn names_a_person(column: usize, name: &str) -> bool {
    recognise(column, name).is_some_and(|c| {
        matches!(
            c.meaning,
            Meaning::FirstName | Meaning::LastName | Meaning::FullName
        )
    })
}

struct Matcher<'n> {
    names: &'n [String],
    /// Fields already filled: by canonical columns, then by the matcher's choices.
    claimed: Vec<Field>,
    out: Matched,
    /// Columns of a block with no place, read without the block word (see
    /// [`unblock_placeless`]): each choice or reason naming one says so.
    unblocked: Vec<usize>,
    next_contact: usize,
}

impl Matcher<'_> {
    /// The fields of one address (`None`: the billing person); the phones it does not take.
    fn address(&mut self, candidates: &[Candidate], address: Option<usize>) -> Vec<usize> {
        let of = |meaning: Meaning| -> Vec<&Candidate> {
            candidates
                .iter()
                .filter(|c| c.meaning == meaning && c.address == address)
                .collect()
        };
        let field = |a: A| match address {
            None => Field::Billing(a),
            Some(i) => Field::Shipping(i, a),
        };
        self.name(&of, field(A::Name));
        // Before the street is taken: whether the address has one, for the state's rule.
        let has =
            |meaning: Meaning, a: A| !of(meaning).is_empty() || self.claimed.contains(&field(a));
        let street_or_postal_code =
            has(Meaning::Street, A::Street) || has(Meaning::PostalCode, A::PostalCode);
        let place = street_or_postal_code || has(Meaning::City, A::City);
        self.street(
            [of(Meaning::Street), of(Meaning::StreetExtra)],
            of(Meaning::HouseNumber),
            field(A::Street),
        );
        self.best(of(Meaning::Company), field(A::CompanyName));
        self.best(of(Meaning::City), field(A::City));
        self.best(of(Meaning::PostalCode), field(A::PostalCode));
        let states = self.states_of_an_address(of(Meaning::State), place, street_or_postal_code);
        self.code_or_name(states, field(A::StateOrProvinceCode));
        self.code_or_name(of(Meaning::Country), field(A::CountryCode));
        self.address_type(of(Meaning::AddressType), address);
        let phones: Vec<usize> = of(Meaning::Phone).iter().map(|c| c.column).collect();
        let phone = field(A::Phone);
        match phones.split_first() {
            Some((&first, rest)) if !self.claimed.contains(&phone) => {
                self.one(first, phone);
                rest.to_vec()
            }
            _ => phones,
        }
    }

    /// The customer's own fields; further emails and `phones` become contacts. Passwords and
    /// shipping columns of no address field are left out.
    fn customer(&mut self, candidates: &[Candidate], phones: Vec<usize>) {
        let top = |meaning: Meaning| -> Vec<&Candidate> {
            candidates
                .iter()
                .filter(|c| c.meaning == meaning && c.address.is_none())
                .collect()
        };
        let mut emails: Vec<usize> = top(Meaning::Email).iter().map(|c| c.column).collect();
        if !self.claimed.contains(&Field::Email) && !emails.is_empty() {
            self.one(emails.remove(0), Field::Email);
        }
        for column in emails {
            self.contact(column, "EMAIL");
        }
        for column in phones {
            self.contact(column, "PHONE");
        }
        for c in top(Meaning::Website) {
            self.contact(c.column, "URL");
        }
        self.best(top(Meaning::Notes), Field::PrivateAdminNotes);
        self.if_valid(top(Meaning::Language), Field::Lang);
        self.best(top(Meaning::TaxId), Field::TaxId);
        self.best(top(Meaning::FiscalCode), Field::FiscalCode);
        self.yes_no(top(Meaning::AcceptsMarketing), Field::AcceptMarketing);
        for c in candidates {
            if c.meaning == Meaning::Password {
                let why = "a password or its hash: never matched by meaning";
                self.leave(c.column, None, why);
            } else if c.meaning == Meaning::Carrier {
                let why = "a carrier or shipping method, not an address";
                self.leave(c.column, None, why);
            } else if c.meaning == Meaning::PhoneLabel {
                self.phone_type(c, candidates);
            } else if c.meaning == Meaning::ValueLabel {
                let why = "the label of an email or website (home, work): Ecwid's contacts \
                           have no such label; an email's label that begins with * (primary) \
                           makes its address the customer's email";
                self.leave(c.column, None, why);
            } else if c.meaning == Meaning::AddressType {
                // Taken or left out with its address.
            } else if !c.meaning.is_address() && c.address.is_some() {
                self.leave(c.column, None, "a shipping column of no address field");
            }
        }
    }

    fn quoted(&self, columns: &[usize]) -> String {
        let quoted: Vec<String> = columns
            .iter()
            .map(|&i| crate::words::quoted(&self.names[i]))
            .collect();
        quoted.join(" + ")
    }

    fn push(&mut self, field: Field, columns: &[usize], source: Source, how: &str) {
        let how = match columns.iter().any(|c| self.unblocked.contains(c)) {
            true if how.is_empty() => format!(" ({NO_PLACE})"),
            true => format!("{}; {NO_PLACE})", how.trim_end_matches(')')),
            false => how.to_string(),
        };
        self.out
            .choices
            .push(format!("{} -> {field}{how}", self.quoted(columns)));
        self.claimed.push(field.clone());
        self.out.fields.push(Mapped {
            key: field.to_string(),
            field,
            source,
        });
    }

    fn columns(&self, columns: &[usize], separator: &str) -> Source {
        let names = columns.iter().map(|&i| self.names[i].clone()).collect();
        Source::joined(names, separator)
    }

    fn one(&mut self, column: usize, field: Field) {
        let source = self.columns(&[column], " ");
        self.push(field, &[column], source, "");
    }

    fn leave(&mut self, column: usize, field: Option<Field>, why: &str) {
        self.out.left_out.push(LeftOut {
            column: self.names[column].clone(),
            field,
            why: match self.unblocked.contains(&column) {
                true => format!("{why} ({NO_PLACE})"),
                false => why.to_string(),
            },
        });
    }

    /// The skeleton of every one-column choice: the best-ranked column fills `field` from
    /// `source` (stated with `how`), and also claims `also`; the other columns are left out,
    /// naming it. When `field` or `also` is filled already, every column is left out.
    fn choose(
        &mut self,
        candidates: &[&Candidate],
        (field, also): (Field, Option<Field>),
        source: impl Fn(String) -> Source,
        how: &str,
    ) {
        let Some((first, rest)) = candidates.split_first() else {
            return;
        };
        let filled = |f: &Field| self.claimed.contains(f);
        if filled(&field) || also.as_ref().is_some_and(filled) {
            for c in candidates {
                self.leave(c.column, Some(field.clone()), "the field is filled already");
            }
            return;
        }
        let column = first.column;
        self.push(
            field.clone(),
            &[column],
            source(self.names[column].clone()),
            how,
        );
        self.claimed.extend(also);
        let why = format!(
            "{field} comes from {}",
            crate::words::quoted(&self.names[column])
        );
        for c in rest {
            self.leave(c.column, Some(field.clone()), &why);
        }
    }

    /// The best-ranked column fills `field` as it is.
    fn best(&mut self, candidates: Vec<&Candidate>, field: Field) {
        let source = |column| Source::joined(vec![column], " ");
        self.choose(&candidates, (field, None), source, "");
    }

    /// A column some of whose values the field may not take: those are left out.
    fn if_valid(&mut self, candidates: Vec<&Candidate>, field: Field) {
        let how = " (a value it does not take left out)";
        self.choose(&candidates, (field, None), Source::IfValid, how);
    }

    /// A consent column: yes and no in any language, any other answer left out.
    fn yes_no(&mut self, candidates: Vec<&Candidate>, field: Field) {
        let how = " (yes or no; any other answer left out)";
        self.choose(&candidates, (field, None), Source::YesNo, how);
    }

    /// A state or country column: a code goes to the code field, anything else (a country
    /// name first looked up in the country table) to the name field.
    fn code_or_name(&mut self, candidates: Vec<&Candidate>, code: Field) {
        let Some((_, name)) = crate::input::mapping_file::code_and_name(&code) else {
            return;
        };
        let how = if matches!(
            code,
            Field::Billing(A::CountryCode) | Field::Shipping(_, A::CountryCode)
        ) {
            format!(" (a name such as Germany as its code; else {name})")
        } else {
            format!(" (a short code such as NY; else {name})")
        };
        self.choose(&candidates, (code, Some(name)), Source::CodeOrName, &how);
    }

    /// The state columns of an address that may be taken: a state only where the address has
    /// a street, city or postal code (alone, it is as often a status or a sales region), and
    /// a name of `state_beside_street_or_postal_code` (`Region`, `Estado`, `État`) only where
    /// it has a street or postal code (a city is not enough: CRM lists give a city with a sales
    /// region). The others are left out, saying so.
    fn states_of_an_address<'c>(
        &mut self,
        states: Vec<&'c Candidate>,
        place: bool,
        street_or_postal_code: bool,
    ) -> Vec<&'c Candidate> {
        let mut kept = Vec::new();
        for c in states {
            let name = normalise(&self.names[c.column]);
            let (base, _) = split_number(&name);
            let ambiguous = TABLE
                .state_beside_street_or_postal_code
                .iter()
                .any(|a| name.ends_with(a.as_str()) || base.ends_with(a.as_str()));
            if ambiguous && !street_or_postal_code {
                let why = "as often a status or a sales region as a state: taken only beside a \
                           street or postal code column";
                self.leave(c.column, None, why);
            } else if !place {
                let why = "a state only beside a street, city or postal code column";
                self.leave(c.column, None, why);
            } else {
                kept.push(c);
            }
        }
        kept
    }

    /// First, middle and last name joined by spaces; where there is a first name and no last
    /// name, `Name`/`Nom`/`Naam` is the last name. Else the full name.
    fn name<'c>(&mut self, of: &impl Fn(Meaning) -> Vec<&'c Candidate>, field: Field) {
        let firsts = of(Meaning::FirstName);
        let mut fulls = of(Meaning::FullName);
        let mut lasts = of(Meaning::LastName);
        if !firsts.is_empty() && lasts.is_empty() {
            let beside = fulls.iter().position(|c| {
                TABLE
                    .last_name_beside_first
                    .contains(&normalise(&self.names[c.column]))
            });
            if let Some(i) = beside {
                lasts.push(fulls.remove(i));
            }
        }
        let parts: Vec<&Candidate> = [
            firsts.first(),
            of(Meaning::MiddleName).first(),
            lasts.first(),
        ]
        .into_iter()
        .flatten()
        .copied()
        .collect();
        if parts.is_empty() || self.claimed.contains(&field) {
            return self.best(fulls, field);
        }
        let columns: Vec<usize> = parts.iter().map(|c| c.column).collect();
        let source = self.columns(&columns, " ");
        self.push(field.clone(), &columns, source, "");
        let why = format!("{field} comes from {}", self.quoted(&columns));
        let unused = firsts.iter().skip(1).chain(lasts.iter().skip(1));
        let unused: Vec<usize> = unused.chain(&fulls).map(|c| c.column).collect();
        for column in unused {
            self.leave(column, Some(field.clone()), &why);
        }
    }

    /// Address lines by their number (`Address 1`, `Address 2`; a second-line name is line
    /// 2), the best-ranked column of each line, joined by line breaks; a house number column
    /// (`Hausnummer`, `Huisnummer`) after the first line, a space between, where the address
    /// has a street column.
    fn street(
        &mut self,
        [streets, extras]: [Vec<&Candidate>; 2],
        numbers: Vec<&Candidate>,
        field: Field,
    ) {
        let mut lines: BTreeMap<u32, usize> = BTreeMap::new();
        let mut losers = Vec::new();
        for c in streets.iter().chain(&extras) {
            let default = if c.meaning == Meaning::StreetExtra {
                2
            } else {
                1
            };
            let line = c.number.unwrap_or(default);
            match lines.get(&line) {
                None => {
                    lines.insert(line, c.column);
                }
                Some(_) => losers.push(c.column),
            }
        }
        if streets.is_empty() || self.claimed.contains(&field) {
            for c in &numbers {
                let why = if self.claimed.contains(&field) {
                    "the field is filled already"
                } else {
                    "a house number without a street column"
                };
                self.leave(c.column, Some(field.clone()), why);
            }
        }
        if lines.is_empty() {
            return;
        }
        if self.claimed.contains(&field) {
            for c in streets.iter().chain(&extras) {
                self.leave(c.column, Some(field.clone()), "the field is filled already");
            }
            return;
        }
        let mut columns: Vec<usize> = lines.into_values().collect();
        let mut separators = vec!["\n".to_string(); columns.len() - 1];
        let mut how = Vec::new();
        if let (false, Some((number, rest))) = (streets.is_empty(), numbers.split_first()) {
            columns.insert(1, number.column);
            separators.insert(0, " ".to_string());
            how.push("the house number after the street, a space between");
            losers.extend(rest.iter().map(|c| c.column));
        }
        if separators.contains(&"\n".to_string()) {
            how.push("a line break before each further line");
        }
        let how = if how.is_empty() {
            String::new()
        } else {
            format!(" ({})", how.join("; "))
        };
        let source = Source::Columns {
            columns: columns.iter().map(|&i| self.names[i].clone()).collect(),
            separators,
        };
        self.push(field.clone(), &columns, source, &how);
        let why = format!("{field} comes from {}", self.quoted(&columns));
        for column in losers {
            self.leave(column, Some(field.clone()), &why);
        }
    }

    /// A further phone or email: the next contact of that type.
    fn contact(&mut self, column: usize, kind: &str) {
        let n = self.next_contact;
        self.next_contact += 1;
        let contact = Field::Contact(n, ContactField::Contact);
        let source = self.columns(&[column], " ");
        self.push(contact, &[column], source, &format!(" ({kind})"));
        let kind_field = Field::Contact(n, ContactField::Type);
        self.claimed.push(kind_field.clone());
        self.out.fields.push(Mapped {
            key: kind_field.to_string(),
            field: kind_field,
            source: Source::Value(kind.to_string()),
        });
    }
}

#[cfg(test)]
mod tests;
