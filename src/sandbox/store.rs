//! The sandbox store's customers, in memory.
//!
//! Ecwid keeps one customer per email, compared without regard to case; that is the rule that
//! makes a blind retry of a create visible (a 409), so the store indexes emails in lower case.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::customer::CustomerRequest;

/// A customer as the store holds it: its id and every field it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCustomer {
    pub id: u64,
    #[serde(flatten)]
    pub customer: CustomerRequest,
}

/// Another customer already has this email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EmailTaken;

/// Which customers `GET /customers` asks for.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    pub email: Option<String>,
    /// `email` must equal the customer's email (any case) rather than occur in it.
    pub exact: bool,
    /// Occurs in the email or in a name (billing or shipping), any case.
    pub keyword: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Store {
    customers: BTreeMap<u64, CustomerRequest>,
    by_email: HashMap<String, u64>,
    next_id: u64,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            customers: BTreeMap::new(),
            by_email: HashMap::new(),
            // Ids of the size Ecwid hands out, so that a client storing them in too small a
            // type finds out here.
            next_id: 188_000_001,
        }
    }
}

fn email_key(customer: &CustomerRequest) -> String {
    customer.email.as_deref().unwrap_or("").to_lowercase()
}

impl Store {
    pub(crate) fn create(&mut self, customer: CustomerRequest) -> Result<u64, EmailTaken> {
        let key = email_key(&customer);
        if self.by_email.contains_key(&key) {
            return Err(EmailTaken);
        }
        let id = self.next_id;
        self.next_id += 1;
        self.by_email.insert(key, id);
        self.customers.insert(id, customer);
        Ok(id)
    }

    pub(crate) fn get(&self, id: u64) -> Option<&CustomerRequest> {
        self.customers.get(&id)
    }

    /// Replaces a customer that exists. `None` when it does not.
    pub(crate) fn replace(
        &mut self,
        id: u64,
        customer: CustomerRequest,
    ) -> Option<Result<(), EmailTaken>> {
        let old_key = email_key(self.customers.get(&id)?);
        let new_key = email_key(&customer);
        if self
            .by_email
            .get(&new_key)
            .is_some_and(|&owner| owner != id)
        {
            return Some(Err(EmailTaken));
        }
        self.by_email.remove(&old_key);
        self.by_email.insert(new_key, id);
        self.customers.insert(id, customer);
        Some(Ok(()))
    }

    pub(crate) fn delete(&mut self, id: u64) -> bool {
        let Some(customer) = self.customers.remove(&id) else {
            return false;
        };
        self.by_email.remove(&email_key(&customer));
        true
    }

    /// The customers that match, by id: `(total matching, the page from offset)`.
    pub(crate) fn search(
        &self,
        filter: &Filter,
        offset: usize,
        limit: usize,
    ) -> (usize, Vec<StoredCustomer>) {
        let email = filter.email.as_deref().map(str::to_lowercase);
        let keyword = filter.keyword.as_deref().map(str::to_lowercase);
        let matching: Vec<(&u64, &CustomerRequest)> = self
            .customers
            .iter()
            .filter(|(_, c)| {
                let own = email_key(c);
                let email_ok = email.as_deref().is_none_or(|e| {
                    if filter.exact {
                        own == e
                    } else {
                        own.contains(e)
                    }
                });
                email_ok && keyword.as_deref().is_none_or(|k| mentions(c, &own, k))
            })
            .collect();
        let page = matching
            .iter()
            .skip(offset)
            .take(limit)
            .map(|&(&id, c)| StoredCustomer {
                id,
                customer: c.clone(),
            })
            .collect();
        (matching.len(), page)
    }

    pub(crate) fn all(&self) -> Vec<StoredCustomer> {
        self.search(&Filter::default(), 0, usize::MAX).1
    }
}

/// Whether the lower-case `keyword` occurs in the email or a name of the customer.
fn mentions(customer: &CustomerRequest, email: &str, keyword: &str) -> bool {
    let names = customer
        .billing_person
        .iter()
        .chain(customer.shipping_addresses.iter().flatten())
        .filter_map(|a| a.name.as_deref());
    email.contains(keyword)
        || names
            .into_iter()
            .any(|n| n.to_lowercase().contains(keyword))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(email: &str) -> CustomerRequest {
        CustomerRequest {
            email: Some(email.to_string()),
            ..Default::default()
        }
    }

    #[test]
    fn emails_are_unique_in_any_case_and_free_again_after_delete() {
        let mut store = Store::default();
        let id = store.create(customer("Ann@Example.com")).unwrap();
        assert_eq!(store.create(customer("ann@example.COM")), Err(EmailTaken));
        assert!(store.delete(id));
        assert!(store.create(customer("ann@example.com")).is_ok());
    }

    #[test]
    fn replace_keeps_the_email_index_in_step() {
        let mut store = Store::default();
        let a = store.create(customer("a@example.com")).unwrap();
        store.create(customer("b@example.com")).unwrap();
        assert_eq!(
            store.replace(a, customer("B@example.com")),
            Some(Err(EmailTaken))
        );
        assert_eq!(store.replace(a, customer("c@example.com")), Some(Ok(())));
        assert!(store.create(customer("a@example.com")).is_ok());
        assert_eq!(store.replace(999, customer("d@example.com")), None);
    }
}
