//! `responseFields`: the answer cut down to the fields the client names, as Ecwid does for any
//! `GET` (`ecwid-api.md`: `responseFields=total,items(id,email)`).
//!
//! A client that asks for fewer fields must still find what it reads; one that reads a field it
//! did not ask for finds it missing here, as it would with Ecwid.

use serde_json::Value;

/// Nesting deeper than this is refused rather than followed, so that no query can exhaust the
/// stack.
const MAX_DEPTH: usize = 16;

/// One named field, and the fields to keep inside it (`items(id,email)`), if named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    name: String,
    inner: Option<Vec<Field>>,
}

/// Reads `total,items(id,email)`; the error says what is wrong.
pub(crate) fn parse(text: &str) -> Result<Vec<Field>, String> {
    let mut rest = text;
    let fields = list(&mut rest, 0)?;
    if rest.is_empty() {
        Ok(fields)
    } else {
        Err(format!("responseFields {text:?}: unexpected {rest:?}"))
    }
}

/// Fields separated by commas, up to a `)` or the end, which it leaves in `rest`.
fn list(rest: &mut &str, depth: usize) -> Result<Vec<Field>, String> {
    if depth > MAX_DEPTH {
        return Err(format!("responseFields nest deeper than {MAX_DEPTH}"));
    }
    let mut fields = Vec::new();
    loop {
        let end = rest.find([',', '(', ')']).unwrap_or(rest.len());
        let name = rest[..end].trim();
        if name.is_empty() {
            return Err("responseFields: a field name is missing".into());
        }
        let mut field = Field {
            name: name.to_string(),
            inner: None,
        };
        *rest = &rest[end..];
        if let Some(after) = rest.strip_prefix('(') {
            *rest = after;
            field.inner = Some(list(rest, depth + 1)?);
            *rest = rest
                .strip_prefix(')')
                .ok_or_else(|| format!("responseFields: {name}( is not closed"))?;
        }
        fields.push(field);
        match rest.strip_prefix(',') {
            Some(after) => *rest = after,
            None => return Ok(fields),
        }
    }
}

/// Keeps only `fields` of an object, in each object of a list, and so on inside.
pub(crate) fn apply(value: &mut Value, fields: &[Field]) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| fields.iter().any(|f| f.name == *key));
            for field in fields {
                if let (Some(inner), Some(child)) = (&field.inner, map.get_mut(&field.name)) {
                    apply(child, inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| apply(item, fields)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn cut(mut value: Value, fields: &str) -> Value {
        apply(&mut value, &parse(fields).expect("parses"));
        value
    }

    #[test]
    fn keeps_the_fields_named_at_every_level() {
        let page = json!({"total": 2, "count": 2, "items": [
            {"id": 1, "email": "a@x.io", "billingPerson": {"name": "A", "city": "B"}},
            {"id": 2, "email": "b@x.io"},
        ]});
        assert_eq!(cut(page.clone(), "total"), json!({"total": 2}));
        assert_eq!(
            cut(page.clone(), " total , items( id ,billingPerson(city))"),
            json!({"total": 2, "items": [
                {"id": 1, "billingPerson": {"city": "B"}}, {"id": 2},
            ]})
        );
        assert_eq!(cut(page, "nothing"), json!({}));
    }

    #[test]
    fn refuses_what_does_not_parse() {
        let deep = format!("{}x{}", "a(".repeat(100), ")".repeat(100));
        for bad in ["", "a,,b", "a(b", "a)", "(a)", "a(b))", "a,", deep.as_str()] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
