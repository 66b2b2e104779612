//! The type columns of an address or phone (`Address 1 - Type`, `Phone 2 - Type`), as the
//! matcher reads them: the address goes where its type says, and a fax is no phone (see
//! `mapping::typed`).

use super::Matcher;
use super::recognise::Candidate;
use super::table::Meaning;
use crate::customer::fields::{AddressField as A, Field};

impl Matcher<'_> {
    /// The column of an address's types, where the matcher filled a part of the address: its
    /// parts then go, row by row, where the type says (see `mapping::typed`).
    pub(super) fn address_type(&mut self, candidates: Vec<&Candidate>, address: Option<usize>) {
        let Some((first, rest)) = candidates.split_first() else {
            return;
        };
        let place = address.map_or("billingPerson".to_string(), |i| {
            format!("shippingAddresses.{i}")
        });
        // The place of the address: its name, company and phone are not typed.
        let is_place = |a: &A| !matches!(a, A::Name | A::CompanyName | A::Phone);
        let in_address = |f: &Field| match (f, address) {
            (Field::Billing(a), None) => is_place(a),
            (Field::Shipping(i, a), Some(j)) => *i == j && is_place(a),
            _ => false,
        };
        let filled = self.out.fields.iter().any(|m| in_address(&m.field));
        if !filled {
            let why = "the type of an address no street, city, postal code or country column fills";
            self.leave(first.column, None, why);
        } else {
            let name = self.names[first.column].clone();
            let shown = crate::words::quoted(&name);
            self.out.choices.push(format!(
                "{shown} -> where the {place} columns go, row by row (Billing to \
                 billingPerson, Shipping to shippingAddresses, Home or Work to \
                 shippingAddresses where none is Shipping)"
            ));
            self.out.address_types.push((address, name));
        }
        for c in rest {
            let why = format!(
                "the types of {place} come from {}",
                crate::words::quoted(&self.names[first.column])
            );
            self.leave(c.column, None, &why);
        }
    }

    /// The label column of a phone: where the phone of the same number was taken, a row whose
    /// label names a fax leaves it out (see `mapping::faxes`); else the column is left out.
    pub(super) fn phone_type(&mut self, label: &Candidate, candidates: &[Candidate]) {
        let phone = candidates
            .iter()
            .find(|c| c.meaning == Meaning::Phone && c.number == label.number)
            .map(|c| self.names[c.column].clone());
        let field = phone.and_then(|phone| {
            self.out
                .fields
                .iter()
                .find(|m| m.source.columns() == std::slice::from_ref(&phone))
                .map(|m| m.field.clone())
        });
        match field {
            Some(field) => {
                let name = self.names[label.column].clone();
                let shown = crate::words::quoted(&name);
                self.out.choices.push(format!(
                    "{shown} -> the type of {field}: a fax is left out, not sent as a phone"
                ));
                self.out.phone_types.push((field, name));
            }
            None => {
                let why = "the label of a phone no column of the same number gives";
                self.leave(label.column, None, why);
            }
        }
    }
}
