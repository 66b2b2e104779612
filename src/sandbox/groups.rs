//! The store's customer groups: state of each sandbox store, seeded with the same few groups
//! every sandbox starts with (group 0, "General", exists in every Ecwid store).
//!
//! Ecwid documents `GET /customer_groups` and `POST /customer_groups {"name"}`, and the older
//! docs `DELETE /customer_groups/{id}` (`ecwid-api.md`, "Customer groups"). Where the docs are
//! silent the sandbox refuses rather than guesses, so that a client cannot pass a test on an
//! assumption a store may not share:
//! - a customer sent with a `customerGroupId` the store has no group of, or (without an id) a
//!   `customerGroupName` that names none, is refused with 400 `WRONG_PARAMETER`, naming the
//!   field, the value and the store's groups; never stored with an empty name or put in
//!   "General" silently;
//! - a group is created only with a non-blank name no other group has (case and surrounding
//!   spaces aside): another is 409 `CONSTRAINT_VIOLATION`;
//! - group 0 cannot be deleted, nor a group that still holds customers (400); an unknown id is
//!   `{"deleteCount": 0}`, as the docs answer a delete that deleted nothing.

use std::collections::BTreeMap;

use crate::customer::CustomerRequest;

/// The groups every sandbox store starts with.
const SEEDED: &[(u64, &str)] = &[
    (0, "General"),
    (9_367_001, "VIP"),
    (9_367_002, "Wholesale"),
    (9_367_003, "Retail partners"),
];

/// Why a group cannot be created or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GroupRefusal {
    /// 400: the request itself is wrong (a blank name, group 0, a group holding customers).
    Wrong(String),
    /// 409: another group has the name.
    Taken(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Groups {
    by_id: BTreeMap<u64, String>,
    next_id: u64,
}

impl Default for Groups {
    fn default() -> Self {
        Self {
            by_id: SEEDED
                .iter()
                .map(|&(id, name)| (id, name.to_string()))
                .collect(),
            next_id: 9_367_101,
        }
    }
}

fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl Groups {
    /// Every group, by id: `(id, name)`.
    pub(crate) fn all(&self) -> impl Iterator<Item = (u64, &str)> {
        self.by_id.iter().map(|(&id, name)| (id, name.as_str()))
    }

    pub(crate) fn len(&self) -> usize {
        self.by_id.len()
    }

    pub(crate) fn name(&self, id: u64) -> Option<&str> {
        self.by_id.get(&id).map(String::as_str)
    }

    fn by_name(&self, name: &str) -> Option<u64> {
        self.all()
            .find(|(_, n)| same_name(n, name))
            .map(|(id, _)| id)
    }

    /// The names, for a message: `General, VIP, ...`.
    fn listed(&self) -> String {
        self.all()
            .map(|(id, name)| format!("{name} ({id})"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The group a customer sent as it is goes to: its id (which must be a group's), or else
    /// the group its name names (which must exist), or `None` when it names no group. `Err`
    /// is the store's refusal, naming the field and its value.
    pub(crate) fn check(&self, customer: &CustomerRequest) -> Result<Option<u64>, String> {
        if let Some(id) = customer.customer_group_id {
            return match self.by_id.contains_key(&id) {
                true => Ok(Some(id)),
                false => Err(format!(
                    "customerGroupId {id}: the store has no customer group with this id; its \
                     groups are: {}",
                    self.listed()
                )),
            };
        }
        match customer.customer_group_name.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(name) => self.by_name(name).map(Some).ok_or_else(|| {
                format!(
                    "customerGroupName {name:?}: the store has no customer group of this name; \
                     its groups are: {}",
                    self.listed()
                )
            }),
        }
    }

    /// The customer's group id as the store keeps it: its id, or the id of the group its name
    /// names, or 0 ("General"). What a write may not hold was refused before ([`Groups::check`]).
    /// A record only a test could have put there (seeded unchecked) keeps an unknown id.
    pub(crate) fn resolve(&self, customer: &CustomerRequest) -> u64 {
        match self.check(customer) {
            Ok(group) => group.unwrap_or(0),
            Err(_) => customer.customer_group_id.unwrap_or(0),
        }
    }

    /// Creates a group named `name` (trimmed); its id.
    pub(crate) fn create(&mut self, name: &str) -> Result<u64, GroupRefusal> {
        let name = name.trim();
        if name.is_empty() {
            return Err(GroupRefusal::Wrong(
                "name: a customer group needs a name".into(),
            ));
        }
        if let Some(id) = self.by_name(name) {
            return Err(GroupRefusal::Taken(format!(
                "A customer group named {name:?} already exists (id {id})"
            )));
        }
        let id = self.next_id;
        self.next_id += 1;
        self.by_id.insert(id, name.to_string());
        Ok(id)
    }

    /// Deletes group `id`, which holds `members` customers: `Ok(false)` when there is no such
    /// group.
    pub(crate) fn delete(&mut self, id: u64, members: usize) -> Result<bool, GroupRefusal> {
        if id == 0 {
            return Err(GroupRefusal::Wrong(
                "Group 0 (General) cannot be deleted".into(),
            ));
        }
        if !self.by_id.contains_key(&id) {
            return Ok(false);
        }
        if members > 0 {
            return Err(GroupRefusal::Wrong(format!(
                "The customer group {id} holds {members} customers: move them to another \
                 group first"
            )));
        }
        self.by_id.remove(&id);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: Option<u64>, name: Option<&str>) -> CustomerRequest {
        CustomerRequest {
            customer_group_id: id,
            customer_group_name: name.map(String::from),
            ..CustomerRequest::default()
        }
    }

    #[test]
    fn ids_and_names_must_be_the_stores() {
        let groups = Groups::default();
        assert_eq!(groups.check(&customer(None, None)), Ok(None));
        assert_eq!(groups.check(&customer(None, Some(" "))), Ok(None));
        assert_eq!(groups.check(&customer(Some(0), None)), Ok(Some(0)));
        assert_eq!(
            groups.check(&customer(None, Some(" vip "))),
            Ok(Some(9_367_001))
        );
        // An id wins over a name.
        assert_eq!(
            groups.check(&customer(Some(9_367_002), Some("VIP"))),
            Ok(Some(9_367_002))
        );
        let unknown = groups.check(&customer(Some(5), None)).unwrap_err();
        assert!(unknown.starts_with("customerGroupId 5:"), "{unknown}");
        assert!(unknown.contains("VIP (9367001)"), "{unknown}");
        let unmatched = groups.check(&customer(None, Some("Gold"))).unwrap_err();
        assert!(
            unmatched.starts_with("customerGroupName \"Gold\":"),
            "{unmatched}"
        );
    }

    #[test]
    fn groups_are_created_once_and_deleted_when_empty() {
        let mut groups = Groups::default();
        let gold = groups.create(" Gold ").expect("created");
        assert_eq!(groups.name(gold), Some("Gold"));
        assert!(matches!(groups.create("GOLD"), Err(GroupRefusal::Taken(_))));
        assert!(matches!(groups.create("  "), Err(GroupRefusal::Wrong(_))));
        assert!(matches!(
            groups.delete(gold, 1),
            Err(GroupRefusal::Wrong(_))
        ));
        assert!(matches!(groups.delete(0, 0), Err(GroupRefusal::Wrong(_))));
        assert_eq!(groups.delete(gold, 0), Ok(true));
        assert_eq!(groups.delete(gold, 0), Ok(false));
        assert_eq!(groups.name(gold), None);
    }
}
