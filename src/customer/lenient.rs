//! Reading the store's JSON leniently, one field at a time: a field that is `null` or missing
//! is unset, at any depth, and never a failure (Ecwid's own client declares every part of a
//! record nullable, and a store leaves out what it never filled). A field that is present with
//! a type that cannot be read as the field (`"id": "abc"`, `"contacts": 5`) is noted, by its
//! path, as the first problem of the record; the reading goes on, so that what can be read is.
//!
//! Serde's derive cannot do this: one `null` where it expects a string fails the whole record,
//! and with it a listing page of 100 customers.

use serde_json::{Map, Value};

/// Longest excerpt of an unreadable value in a message.
const EXCERPT: usize = 40;

/// The reading of one record: the first field that could not be read, if any.
#[derive(Debug, Default)]
pub(crate) struct Lenient {
    pub(crate) problem: Option<String>,
}

/// `prefix.key`, or `key` at the top level.
pub(crate) fn path(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// A value as a message shows it: its JSON, cut short.
fn excerpt(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= EXCERPT {
        text
    } else {
        let cut: String = text.chars().take(EXCERPT).collect();
        format!("{cut}...")
    }
}

impl Lenient {
    /// Notes that the field at `path` holds `found` where `expected` was expected; only the
    /// first problem is kept.
    pub(crate) fn refuse(&mut self, path: String, expected: &str, found: &Value) {
        if self.problem.is_none() {
            self.problem = Some(format!(
                "{path}: {expected} was expected, found {}",
                excerpt(found)
            ));
        }
    }

    /// A text field; a number is taken as its digits (a phone or postal code a store kept as
    /// a number is still the same text).
    pub(crate) fn text(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Option<String> {
        match object.get(key)? {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            other => {
                self.refuse(path(at, key), "text", other);
                None
            }
        }
    }

    /// A whole number from 0: a JSON number, or text of digits.
    pub(crate) fn whole(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Option<u64> {
        let value = object.get(key)?;
        let read = match value {
            Value::Null => return None,
            Value::Number(number) => number.as_u64(),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        };
        if read.is_none() {
            self.refuse(path(at, key), "a whole number", value);
        }
        read
    }

    /// A boolean: `true`/`false`, or the same as text.
    pub(crate) fn boolean(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Option<bool> {
        let value = object.get(key)?;
        let read = match value {
            Value::Null => return None,
            Value::Bool(flag) => Some(*flag),
            Value::String(text) if text.trim().eq_ignore_ascii_case("true") => Some(true),
            Value::String(text) if text.trim().eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
        if read.is_none() {
            self.refuse(path(at, key), "true or false", value);
        }
        read
    }

    /// An object field.
    pub(crate) fn object<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Option<&'v Map<String, Value>> {
        match object.get(key)? {
            Value::Null => None,
            Value::Object(inner) => Some(inner),
            other => {
                self.refuse(path(at, key), "an object", other);
                None
            }
        }
    }

    /// A list of objects, each read by `read` (with its path, `contacts.2`). An entry that is
    /// `null` reads as `read` of an empty object, so that positions stay those of the store's
    /// list; an entry of another kind is a problem, and reads the same.
    pub(crate) fn list<T>(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        key: &str,
        mut read: impl FnMut(&mut Self, &Map<String, Value>, &str) -> T,
    ) -> Option<Vec<T>> {
        let items = match object.get(key)? {
            Value::Null => return None,
            Value::Array(items) => items,
            other => {
                self.refuse(path(at, key), "a list", other);
                return None;
            }
        };
        let empty = Map::new();
        let list = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = path(&path(at, key), &i.to_string());
                let fields = match item {
                    Value::Object(fields) => fields,
                    Value::Null => &empty,
                    other => {
                        self.refuse(at.clone(), "an object", other);
                        &empty
                    }
                };
                read(self, fields, &at)
            })
            .collect();
        Some(list)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fields(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn null_and_missing_are_unset_and_no_problem() {
        let object = fields(json!({"a": null, "b": null, "c": null, "d": null, "e": null}));
        let mut l = Lenient::default();
        assert_eq!(l.text(&object, "", "a"), None);
        assert_eq!(l.whole(&object, "", "b"), None);
        assert_eq!(l.boolean(&object, "", "c"), None);
        assert!(l.object(&object, "", "d").is_none());
        assert!(l.list(&object, "", "e", |_, _, _| ()).is_none());
        assert_eq!(l.text(&object, "", "missing"), None);
        assert_eq!(l.problem, None);
    }

    #[test]
    fn readable_forms_are_read() {
        let object =
            fields(json!({"phone": 4755501, "n": "42", "flag": "TRUE", "list": [null, {}]}));
        let mut l = Lenient::default();
        assert_eq!(l.text(&object, "", "phone").as_deref(), Some("4755501"));
        assert_eq!(l.whole(&object, "", "n"), Some(42));
        assert_eq!(l.boolean(&object, "", "flag"), Some(true));
        assert_eq!(
            l.list(&object, "", "list", |_, _, at| at.to_string()),
            Some(vec!["list.0".to_string(), "list.1".to_string()])
        );
        assert_eq!(l.problem, None);
    }

    /// The first unreadable field is named by its path, with what it holds.
    #[test]
    fn the_first_unreadable_field_is_named() {
        let object = fields(json!({"contacts": [{}, {"orderBy": "first"}], "id": "abc"}));
        let mut l = Lenient::default();
        let orders = l.list(&object, "", "contacts", |l, entry, at| {
            l.whole(entry, at, "orderBy")
        });
        assert_eq!(orders, Some(vec![None, None]));
        assert_eq!(l.whole(&object, "", "id"), None);
        assert_eq!(
            l.problem.as_deref(),
            Some(r#"contacts.1.orderBy: a whole number was expected, found "first""#)
        );
        let mut l = Lenient::default();
        let object = fields(json!({"contacts": 5, "note": ["x".repeat(60)]}));
        assert!(l.list(&object, "", "contacts", |_, _, _| ()).is_none());
        assert_eq!(
            l.problem.as_deref(),
            Some("contacts: a list was expected, found 5")
        );
        let mut l = Lenient::default();
        assert_eq!(l.text(&object, "x", "note"), None);
        let problem = l.problem.unwrap_or_default();
        assert!(
            problem.starts_with("x.note: text was expected, found [\"xxx"),
            "{problem}"
        );
        assert!(problem.ends_with("..."), "{problem}");
    }
}
