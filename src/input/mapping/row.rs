//! From a row's cells to a request, or only to a check of them: each cell trimmed and cleaned,
//! joined where a field takes several columns, and put through the value rules. This runs for
//! every row of the file, so cells are borrowed rather than copied and UTF-8 is checked once a
//! row rather than once a cell.

use std::borrow::Cow;
use std::str::Utf8Error;

use csv::ByteRecord;

use super::apply::Apply;
use super::blanks::Blanked;
use super::invalid::Invalid;
use super::people::{
    after_company, alternatives, is_company_answer, person_and_company, without_country_suffix,
};
use super::row_cells::Cells;
use super::several::{first_value, has_several, several_kind};
use super::whole_address::{self, is_state_code};
use super::{ColumnMap, Fill, RULE_DATE, store_date, typed};
use crate::customer::CustomerRequest;
use crate::customer::fields::{AddressField as A, ContactField as C, Field};
use crate::customer::rules::{
    Checked, Problem, RULE_EMAIL_REQUIRED, RowBuilder, RowChecker, broken_rule, is_email,
    is_placeholder, parse_bool, trim_cell,
};
use crate::input::formulas;
use crate::input::matcher::{country_code, is_password_hash, yes_no};
use crate::input::presets::{Target, in_address, looks_like_company, packed_field, split_values};

/// A row's request, with notes on what was left out of it and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRequest {
    pub request: CustomerRequest,
    pub notes: Vec<String>,
    /// The cells read as blank although they held something.
    pub blanked: Vec<Blanked>,
}

/// What the check of a valid row found, with notes on what would be left out of its request.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCheck {
    pub checked: Checked,
    pub notes: Vec<String>,
    /// The cells read as blank although they held something.
    pub blanked: Vec<Blanked>,
}

/// What [`ColumnMap::fill`] gives for a row that keeps the rules: what it was filled into, the
/// notes on what was left out, and the cells read as blank.
type Filled<T> = (T, Vec<String>, Vec<Blanked>);

impl ColumnMap {
    /// The row's email as it would be sent, trimmed (empty when blank or not UTF-8).
    pub fn email(&self, record: &ByteRecord) -> String {
        // One cell: checking the whole row's UTF-8 would cost more than it saves.
        let cells = Cells::unchecked(record);
        let rule = self.email_rule_of(&cells);
        self.value(&self.rules[rule].fill, &cells)
            .map(|email| first_value(&email).to_string())
            .unwrap_or_default()
    }

    /// The request of one row with its notes, or what is wrong with it.
    pub fn request(&self, record: &ByteRecord) -> Result<RowRequest, Invalid> {
        let (request, notes, blanked) = self.fill(record, RowBuilder::new())?;
        Ok(RowRequest {
            request,
            notes,
            blanked,
        })
    }

    /// What [`ColumnMap::request`] would find in a row that is only checked (a dry run): the
    /// same problems and notes, with nothing built and no cell copied.
    pub fn check(&self, record: &ByteRecord) -> Result<RowCheck, Invalid> {
        let (checked, notes, blanked) = self.fill(record, RowChecker::new())?;
        Ok(RowCheck {
            checked,
            notes,
            blanked,
        })
    }

    /// Puts every rule's value of the row through `row`: its result, with notes on what was
    /// left out.
    pub(super) fn fill<'m, R: Apply>(
        &'m self,
        record: &'m ByteRecord,
        mut row: R,
    ) -> Result<Filled<R::Done>, Invalid> {
        if record.len() != self.names.len() {
            let error = format!(
                "the row has {} cells but the header has {} columns: check for a stray delimiter \
                 or a missing quote",
                record.len(),
                self.names.len()
            );
            return Err(Invalid::new(error, "cell count differs from the header"));
        }
        let cells = Cells::new(record);
        let value = |fill: &'m Fill| {
            self.value(fill, &cells).map_err(|(column, e)| {
                let offset = record.position().map_or(0, |p| p.byte());
                let error = format!(
                    "column {} is not valid UTF-8 (byte {} of the cell, near byte {offset} of \
                     the file): if the file was saved by Excel, try --encoding windows-1252",
                    self.names[column],
                    e.valid_up_to()
                );
                Invalid::new(error, "not valid UTF-8")
            })
        };
        // Needed only by presets that have a tax-exempt column without a tax ID one.
        let has_tax_id = || {
            self.rules
                .iter()
                .filter(|r| r.target == Target::Field(Field::TaxId))
                .any(|r| value(&r.fill).is_ok_and(|v| !v.is_empty()))
        };
        let mut notes = Vec::new();
        let mut blanked = self.placeholders(&cells);
        let value_of = &value;
        // A company's row (its flag says so): its name is the company's.
        let company_row = match self.company_flag {
            Some(i) => cells.get(i).is_ok_and(|v| is_company_answer(self.clean(v))),
            None => false,
        };
        let company_of = || -> Result<Option<Cow<'_, str>>, Invalid> {
            for r in &self.rules {
                if r.target == Target::Field(Field::Billing(A::CompanyName)) {
                    let company = value_of(&r.fill)?;
                    if !company.is_empty() {
                        return Ok(Some(company));
                    }
                }
            }
            Ok(None)
        };
        let company_given = || company_of().map(|c| c.is_some());
        let mut next_contact = self.first_free_contact;
        let mut contact = |row: &mut R, kind: &str, label: &str, value: &str| {
            row.set(&Field::Contact(next_contact, C::Contact), label, value);
            row.set(&Field::Contact(next_contact, C::Type), label, kind);
            next_contact += 1;
        };
        let faxes = self.faxes(&cells);
        let unfilled = self.unfilled_contacts(&value, &faxes)?;
        // The row's phone may come from a further phone column (see `phones`).
        let phone_swap = self.phone_swap(&cells, &faxes);
        let swapped_phone = Target::Field(Field::Billing(A::Phone));
        let swapped_contact_phone = Target::Contact("PHONE");
        // The row's email may come from a further email column (see `emails`): then the email
        // column's own addresses are contacts.
        let email_rule = self.email_rule_of(&cells);
        let swapped_email = Target::Field(Field::Email);
        let swapped_contact = Target::Contact("EMAIL");
        let routes = if self.typed_blocks {
            let blocks = self.blocks(&value)?;
            typed::routes(&blocks, self.first_free_shipping, &mut notes)
        } else {
            Vec::new()
        };
        for (index, rule) in self.rules.iter().enumerate() {
            if unfilled.skips(rule) {
                continue;
            }
            if let Some((_, kind)) = faxes.iter().find(|(r, _)| *r == index) {
                let value = value(&rule.fill)?;
                if !value.is_empty() {
                    let value = crate::words::quoted(&value);
                    notes.push(format!(
                        "{} {value} not sent: its type {kind:?} says it is a fax, not a phone",
                        rule.label
                    ));
                }
                continue;
            }
            if email_rule != self.email_rule && self.emails.is_type_of(rule, email_rule) {
                continue;
            }
            if phone_swap.is_some_and(|chosen| self.phones.is_type_of(rule, chosen)) {
                continue;
            }
            let target = match &rule.target {
                _ if email_rule != self.email_rule && index == email_rule => {
                    Cow::Borrowed(&swapped_email)
                }
                _ if email_rule != self.email_rule && index == self.email_rule => {
                    Cow::Borrowed(&swapped_contact)
                }
                _ if phone_swap == Some(index) => Cow::Borrowed(&swapped_phone),
                // The phone column's own phone, where another is the phone: a contact.
                target if phone_swap.is_some() && *target == swapped_phone => {
                    Cow::Borrowed(&swapped_contact_phone)
                }
                Target::AddressType(_) => continue,
                Target::InAddress(block, part) => match routes.get(*block) {
                    Some(Some(address)) => Cow::Owned(in_address(part, *address)),
                    _ => continue,
                },
                target => Cow::Borrowed(target),
            };
            let mut value = value(&rule.fill)?;
            if self.number_marks
                && let Some(number) = super::several::unmarked_number(&self.rules, &target, &value)
            {
                value = Cow::Owned(number.to_string());
            }
            if is_name(&target) && is_email(&value) {
                blanked.push(Blanked::EmailAsName(index));
                value = Cow::Borrowed("");
            }
            if ends_in_password(&rule.target) && is_password_hash(&value) {
                notes.push(format!(
                    "{} not sent: it holds a password hash, which Ecwid would take as the \
                     password itself; the customer can set a password with \"forgot \
                     password\"",
                    rule.label
                ));
                continue;
            }
            // A company's name in the name field: the company, not the person.
            if *target == Target::Field(Field::Billing(A::Name))
                && !value.is_empty()
                && (company_row || looks_like_company(&value))
            {
                if !company_given()? {
                    row.set(&Field::Billing(A::CompanyName), &rule.label, &value);
                }
                continue;
            }
            // A person's name after its company's (Odoo's display name): the person's own.
            if *target == Target::Field(Field::Billing(A::Name))
                && let Some(company) = company_of()?
                && let Some(person) = after_company(&value, &company)
            {
                value = Cow::Owned(person.to_string());
            }
            let state_code = match &*target {
                Target::Field(field) => Some(field),
                Target::State { code, .. } if is_state_code(&value) => Some(code),
                _ => None,
            };
            if let Some(field) = state_code
                && let Some(why) = self.foreign_region(field, &value, &value_of)?
            {
                let value = crate::words::quoted(&value);
                notes.push(format!("{} {value} not sent: {why}", rule.label));
                continue;
            }
            match &*target {
                // Routed above.
                Target::AddressType(_) | Target::InAddress(..) => {}
                Target::Field(field) if self.is_date(field) && !value.is_empty() => {
                    match store_date(&value) {
                        Some(date) => row.set(field, &rule.label, &date),
                        None => row.refuse(&rule.label, &value, RULE_DATE),
                    }
                }
                Target::Field(field) => match several_kind(field) {
                    Some(kind) if has_several(&value) => {
                        let values = split_values(&value);
                        let (first, rest) = values.split_first().unwrap_or((&"", &[]));
                        row.set(field, &rule.label, first);
                        for value in rest {
                            contact(&mut row, kind, &rule.label, value);
                        }
                    }
                    _ => row.set(field, &rule.label, &value),
                },
                Target::Contact(kind) => {
                    for value in split_values(&value) {
                        contact(&mut row, kind, &rule.label, value);
                    }
                }
                Target::Country { code, name } => match country_code(&value) {
                    Some(iso) => row.set(code, &rule.label, &iso),
                    // An unknown two letters are meant as a code: its rule says what is wrong.
                    None if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) => {
                        row.set(code, &rule.label, &value);
                    }
                    None => row.set(name, &rule.label, &value),
                },
                Target::State { code, name } => {
                    let value = without_country_suffix(&value);
                    let field = if is_state_code(value) { code } else { name };
                    row.set(field, &rule.label, value);
                }
                Target::YesNo(field) => match yes_no(&value) {
                    Some(answer) => row.set(field, &rule.label, &answer.to_string()),
                    None if value.is_empty() => {}
                    None => {
                        let value = crate::words::quoted(&value);
                        notes.push(format!(
                            "{} {value} not sent: not a yes or no, and {field} is never guessed",
                            rule.label
                        ));
                    }
                },
                Target::IfValid(field) if self.is_date(field) && !value.is_empty() => {
                    match store_date(&value) {
                        Some(date) => row.set(field, &rule.label, &date),
                        None => {
                            let value = crate::words::quoted(&value);
                            notes.push(format!(
                                "{} {value} not sent: the store's field is a date, and this is \
                                 not one in the form YYYY-MM-DD (a time may follow)",
                                rule.label
                            ));
                        }
                    }
                }
                Target::IfValid(field) => match broken_rule(field, &value) {
                    Some(broken) if !value.is_empty() => {
                        let value = crate::words::quoted(&value);
                        notes.push(format!("{} {value} not sent: {broken}", rule.label));
                    }
                    _ => {
                        row.set(field, &rule.label, &value);
                        if *field == Field::Lang && !value.is_empty() {
                            row.lang_if_enabled();
                        }
                    }
                },
                Target::TaxExemptWithoutId if parse_bool(&value) == Some(true) && !has_tax_id() => {
                    let value = crate::words::quoted(&value);
                    notes.push(format!(
                        "{} {value} not sent: Ecwid makes a customer tax exempt only with a \
                         tax ID, which the file does not have; add it in Ecwid's control panel",
                        rule.label
                    ));
                }
                Target::TaxExemptWithoutId => row.set(&Field::TaxExempt, &rule.label, &value),
                Target::PhoneContact { position, unless } => {
                    let other = self
                        .rules
                        .iter()
                        .find(|r| r.target == Target::Field(unless.clone()))
                        .map(|r| value_of(&r.fill))
                        .transpose()?;
                    let same = other.is_some_and(|o| o.trim() == value.trim());
                    if !value.is_empty() && !same {
                        let contact = |part| Field::Contact(*position, part);
                        row.set(&contact(C::Contact), &rule.label, &value);
                        row.set(&contact(C::Type), &rule.label, "PHONE");
                    }
                }
                Target::Person { name, company } => {
                    let mut texts = Vec::new();
                    for columns in alternatives(&rule.fill) {
                        let mut parts = Vec::new();
                        for i in columns {
                            let text = cells.get(i).map_err(|_| {
                                Invalid::new(
                                    format!(
                                        "column {} is not valid UTF-8: if the file was saved \
                                         by Excel, try --encoding windows-1252",
                                        self.names[i]
                                    ),
                                    "not valid UTF-8",
                                )
                            })?;
                            let text = self.clean(text);
                            if !text.is_empty() {
                                parts.push(text);
                            }
                        }
                        texts.push(parts.join(" "));
                    }
                    let (person, firm) = person_and_company(texts);
                    if let Some(person) = person {
                        row.set(name, &rule.label, &person);
                    }
                    if let Some(firm) = firm {
                        row.set(company, &rule.label, &firm);
                    }
                }
                Target::PackedAddress(address)
                    if self.parts_given(index, *address, value_of)? => {}
                Target::PackedAddress(address) => {
                    let name = packed_field(*address, A::Name);
                    let name_free = || {
                        !self.rules.iter().any(|r| {
                            r.target.fields().contains(&name)
                                && value_of(&r.fill).is_ok_and(|v| !v.is_empty())
                        })
                    };
                    let cell = (*address, rule.label.as_str(), &*value);
                    let filled = whole_address::fill(&mut row, cell, name_free, &mut notes);
                    if let whole_address::Filled::KeptWhole = filled {
                        blanked.push(Blanked::AddressKeptWhole(index));
                    }
                }
            }
        }
        let email_label = &self.rules[email_rule].label;
        match row.finish(email_label) {
            Ok(done) => Ok((done, notes, blanked)),
            Err(mut problems) => {
                if let Some(rule) = self.blank_email_rule {
                    for problem in &mut problems {
                        if problem.rule == RULE_EMAIL_REQUIRED && problem.column == *email_label {
                            problem.rule = rule;
                        }
                    }
                }
                let mut invalid = invalid(problems);
                invalid.blanked = blanked;
                Err(invalid)
            }
        }
    }

    /// The value of a rule for one row: each cell trimmed and cleaned, blanks skipped, the
    /// first non-blank alternative joined. A single cell is borrowed, not copied. `Err` names a
    /// column that is not UTF-8.
    pub(super) fn value<'a>(
        &'a self,
        fill: &'a Fill,
        cells: &Cells<'a>,
    ) -> Result<Cow<'a, str>, (usize, Utf8Error)> {
        let (alternatives, separators) = match fill {
            Fill::Value(value) => return Ok(Cow::Borrowed(value)),
            Fill::Column(i) => {
                let cell = cells.get(*i).map_err(|e| (*i, e))?;
                return Ok(Cow::Borrowed(self.clean(cell)));
            }
            Fill::Columns {
                alternatives,
                separators,
            } => (alternatives, separators),
        };
        for columns in alternatives {
            let mut joined: Option<Cow<'a, str>> = None;
            for (k, &i) in columns.iter().enumerate() {
                let cell = self.clean(cells.get(i).map_err(|e| (i, e))?);
                if cell.is_empty() {
                    continue;
                }
                joined = Some(match joined {
                    None => Cow::Borrowed(cell),
                    Some(before) => {
                        let separator = separators
                            .get(k.saturating_sub(1))
                            .or(separators.last())
                            .map_or("", String::as_str);
                        let mut text = before.into_owned();
                        text.push_str(separator);
                        text.push_str(cell);
                        Cow::Owned(text)
                    }
                });
            }
            if let Some(value) = joined {
                return Ok(value);
            }
        }
        Ok(Cow::Borrowed(""))
    }

    /// The cell as [`ColumnMap::unmarked`] gives it, blank when it holds a value that stands
    /// for nothing (`null`, `N/A`, `-`; see [`is_placeholder`]).
    pub(super) fn clean<'c>(&self, cell: &'c str) -> &'c str {
        let cell = self.unmarked(cell);
        if is_placeholder(cell) { "" } else { cell }
    }

    /// The cell trimmed, without one leading `'`: any `'` where the preset or mapping file
    /// strips Excel's text marker, else only the guard the output files put before a formula
    /// (in every preset). Never two: `''=x` is read as `'=x`, as the file's own cell.
    pub(super) fn unmarked<'c>(&self, cell: &'c str) -> &'c str {
        let cell = trim_cell(cell);
        let rest = if self.strip_quote {
            cell.strip_prefix('\'')
        } else {
            formulas::unguard(cell)
        };
        rest.map_or(cell, trim_cell)
    }
}

/// Whether a rule's value ends in the password field, whatever the kind of its target: the one
/// place a password hash is kept from being sent, so that no way of mapping a column (as it
/// is, `if_valid`, one added later) can send one.
fn ends_in_password(target: &Target) -> bool {
    matches!(
        target,
        Target::Field(field) | Target::IfValid(field) | Target::YesNo(field)
            if *field == Field::Password
    )
}

fn invalid(problems: Vec<Problem>) -> Invalid {
    let errors: Vec<String> = problems.iter().map(ToString::to_string).collect();
    Invalid {
        error: errors.join("; "),
        reasons: problems
            .iter()
            .map(|p| format!("{}: {}", p.column, p.rule))
            .collect(),
        blanked: Vec::new(),
        problems,
    }
}

/// Whether a rule fills a person's name (the billing person's or an address's): a name that
/// is an email address is no name (sign-up forms put the email there when no name is given).
fn is_name(target: &Target) -> bool {
    matches!(
        target,
        Target::Field(Field::Billing(A::Name) | Field::Shipping(_, A::Name))
    )
}
