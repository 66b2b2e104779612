//! `GET /store_extrafields/customers` (scope `read_customers_extrafields`): the customer extra
//! fields the store defines, each with the key a customer's `extrafields` entries name it by,
//! the title merchants know it by, and its type (`TEXT`, or `DATETIME` for a date picker at
//! checkout), as `ecwid-api.md` shows the answer.
//!
//! Which fields a sandbox store defines is set with `--extra-fields` (or
//! [`crate::sandbox::Sandbox::define_extra_field`] in tests). Ecwid documents nothing of what a
//! customer write does with an entry of a key the store does not define, so the sandbox keeps
//! such an entry as sent; ecwid-import never sends one (it stops the run first).

use serde_json::{Value, json};

use super::clock;
use super::reply::Reply;

/// One customer extra field of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldDef {
    pub key: String,
    pub title: String,
    /// `TEXT` or `DATETIME`.
    pub kind: &'static str,
}

/// Reads one `KEY=Title` or `KEY=Title:datetime` (or `:text`) of `--extra-fields`.
pub(crate) fn parse(spec: &str) -> Result<FieldDef, String> {
    let refused = || {
        format!(
            "--extra-fields {spec:?}: give KEY=Title, or KEY=Title:datetime for a date field, \
             such as loyalty_id=Loyalty number"
        )
    };
    let (key, rest) = spec.split_once('=').ok_or_else(refused)?;
    let (title, kind) = match rest.rsplit_once(':') {
        Some((title, kind)) if kind.trim().eq_ignore_ascii_case("datetime") => (title, "DATETIME"),
        Some((title, kind)) if kind.trim().eq_ignore_ascii_case("text") => (title, "TEXT"),
        _ => (rest, "TEXT"),
    };
    let (key, title) = (key.trim(), title.trim());
    if key.is_empty() || title.is_empty() {
        return Err(refused());
    }
    Ok(FieldDef {
        key: key.to_string(),
        title: title.to_string(),
        kind,
    })
}

/// The answer: every field, in the order defined.
pub(crate) fn list(fields: &[FieldDef], created: i64) -> Reply {
    let items: Vec<Value> = fields
        .iter()
        .map(|f| {
            json!({
                "key": f.key,
                "title": f.title,
                "entityTypes": ["CUSTOMERS"],
                "type": f.kind,
                "shownOnOrderDetails": false,
                "linkedWithCheckoutField": false,
                "createdDate": clock::format(created),
            })
        })
        .collect();
    Reply::ok(json!({ "total": items.len(), "count": items.len(), "items": items }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_name_key_title_and_type() {
        let card = parse(" card = Offline card ID ").expect("parses");
        assert_eq!(
            (card.key.as_str(), card.title.as_str(), card.kind),
            ("card", "Offline card ID", "TEXT")
        );
        let day = parse("bday=Birthday:DateTime").expect("parses");
        assert_eq!((day.title.as_str(), day.kind), ("Birthday", "DATETIME"));
        let colon = parse("t=Time: local").expect("parses");
        assert_eq!(colon.title, "Time: local");
        for bad in ["", "key", "=Title", "key=", "key= :datetime"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
