//! A mapping file's `[fields]` lines as TOML text: what both starter mappings print, the one
//! of the matcher's choices (`starter`) and the one of a preset (`preset_starter`).

use crate::input::mapping_file::{Mapped, Source};

/// One field of the model as a line of `[fields]`.
pub(super) fn line(mapped: &Mapped) -> String {
    let key = toml_string(&mapped.key);
    let value = match &mapped.source {
        Source::Columns { columns, .. } if columns.len() == 1 => toml_string(&columns[0]),
        Source::Columns {
            columns,
            separators,
        } => {
            let list: Vec<String> = columns.iter().map(|c| toml_string(c)).collect();
            let separator = match separators.as_slice() {
                [first, rest @ ..] if rest.iter().all(|s| s == first) => toml_string(first),
                each => {
                    let each: Vec<String> = each.iter().map(|s| toml_string(s)).collect();
                    format!("[{}]", each.join(", "))
                }
            };
            format!(
                "{{ columns = [{}], separator = {separator} }}",
                list.join(", ")
            )
        }
        Source::Value(value) => format!("{{ value = {} }}", toml_string(value)),
        Source::CodeOrName(column) => {
            format!(
                "{{ column = {}, code_or_name = true }}",
                toml_string(column)
            )
        }
        Source::YesNo(column) => format!("{{ column = {}, yes_no = true }}", toml_string(column)),
        Source::IfValid(column) => {
            format!("{{ column = {}, if_valid = true }}", toml_string(column))
        }
    };
    format!("{key} = {value}")
}

/// A TOML basic string: `"..."` with quotes, backslashes and control characters escaped.
pub(super) fn toml_string(text: &str) -> String {
    crate::words::quoted(text)
}
