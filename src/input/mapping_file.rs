//! `--mapping FILE`: the user's own column mapping, for files no preset knows.
//!
//! A TOML file names Ecwid fields by their path (as the canonical columns do) and says where
//! each value comes from: one column, several columns joined, or the same value for every
//! row. It is read when the command line is checked, so a mistake in it stops the run before
//! the input is opened; whether its columns exist is checked against the header, in
//! [`super::mapping`]. Every error names the file, the key and what to do, since the user
//! wrote the file by hand.

use std::path::{Path, PathBuf};

use crate::customer::fields::{EXAMPLE_EXTRA_KEY, Field};
use types::{address_types, phone_types};

#[path = "mapping_file_types.rs"]
mod types;

/// A checked mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingFile {
    pub(crate) path: PathBuf,
    /// In the order of the file.
    pub(crate) fields: Vec<Mapped>,
    /// `strip_leading_quote`; `None` leaves it to the preset. `false` keeps Excel's text
    /// marker, but not the guard before a formula, which every import removes.
    pub(crate) strip_leading_quote: Option<bool>,
    /// `match_by_meaning` (default true): whether the columns neither the file nor the
    /// canonical names use are matched by meaning. `template --mapping --from` writes `false`,
    /// so that a line deleted from its file is a column not imported.
    pub(crate) match_by_meaning: bool,
    /// `[address_types]`: addresses whose parts go, row by row, where a column of address
    /// types says (`billingPerson = "Address 1 - Type"`): the address (`None` for
    /// `billingPerson`, else shipping address `i`) and the column.
    pub(crate) address_types: Vec<(Option<usize>, String)>,
    /// `[phone_types]`: phones whose row is left out when a column of types names a fax
    /// (`"billingPerson.phone" = "Phone 1 - Type"`): the phone's field and the column.
    pub(crate) phone_types: Vec<(Field, String)>,
}

/// One field of the mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mapped {
    /// The key as the file spells it, for messages.
    pub(crate) key: String,
    pub(crate) field: Field,
    pub(crate) source: Source,
}

/// Where a mapped field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// The non-blank cells of these columns, joined: `separators[i]` goes before column
    /// `i + 1` (one fewer than the columns; none for one column), so that a street is
    /// followed by its house number after a space and by a second line after a line break.
    Columns {
        columns: Vec<String>,
        separators: Vec<String>,
    },
    /// The same value for every row.
    Value(String),
    /// A column of codes or names of a country or state (`code_or_name = true`): a code goes
    /// to the code field, a name to the name field (a country name known to the country table
    /// as its code).
    CodeOrName(String),
    /// A column of yes/no answers in any language (`yes_no = true`), for a yes/no field: any
    /// other answer is left out of the request with a note.
    YesNo(String),
    /// A column whose values the field's rule may refuse (`if_valid = true`): such a value
    /// is left out of the request with a note, and the row is still sent.
    IfValid(String),
}

impl Source {
    /// Columns joined by the same separator.
    pub(crate) fn joined(columns: Vec<String>, separator: &str) -> Self {
        let separators = vec![separator.to_string(); columns.len().saturating_sub(1)];
        Source::Columns {
            columns,
            separators,
        }
    }

    /// The columns of the header it reads (none for a value).
    pub(crate) fn columns(&self) -> &[String] {
        match self {
            Source::Columns { columns, .. } => columns,
            Source::CodeOrName(column) | Source::YesNo(column) | Source::IfValid(column) => {
                std::slice::from_ref(column)
            }
            Source::Value(_) => &[],
        }
    }
}

impl Mapped {
    /// The fields it fills: both the code and the name for a `code_or_name` column.
    pub(crate) fn fields(&self) -> Vec<Field> {
        match (&self.source, code_and_name(&self.field)) {
            (Source::CodeOrName(_), Some((code, name))) => vec![code, name],
            _ => vec![self.field.clone()],
        }
    }
}

/// The code and name fields of a country or state field of an address.
pub(crate) fn code_and_name(field: &Field) -> Option<(Field, Field)> {
    use crate::customer::fields::AddressField as A;
    let pair = |a: A| match a {
        A::CountryCode | A::CountryName => Some((A::CountryCode, A::CountryName)),
        A::StateOrProvinceCode | A::StateOrProvinceName => {
            Some((A::StateOrProvinceCode, A::StateOrProvinceName))
        }
        _ => None,
    };
    match field {
        Field::Billing(a) => pair(*a).map(|(c, n)| (Field::Billing(c), Field::Billing(n))),
        Field::Shipping(i, a) => {
            pair(*a).map(|(c, n)| (Field::Shipping(*i, c), Field::Shipping(*i, n)))
        }
        _ => None,
    }
}

/// What is wrong with a mapping file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MappingError {
    #[error("cannot read the mapping file {path}: {message}")]
    Read { path: String, message: String },
    #[error(
        "the mapping file {path} is not valid TOML: {message}. Run `ecwid-import template \
         --mapping` for a starter file"
    )]
    Toml { path: String, message: String },
    #[error("the mapping file {path}, key {key:?}: {problem}")]
    Key {
        path: String,
        key: String,
        problem: String,
    },
}

const FIELD_FORMS: &str = "give a column name (\"E-mail\"), several columns joined \
    ({ columns = [\"First\", \"Last\"], separator = \" \" }), one value for every row \
    ({ value = \"DE\" }) or, for a country or state, a column of codes or names \
    ({ column = \"Country\", code_or_name = true })";

impl MappingFile {
    /// Reads and checks the file at `path`.
    pub(crate) fn read(path: &Path) -> Result<Self, MappingError> {
        let text = std::fs::read_to_string(path).map_err(|e| MappingError::Read {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::parse(path, &text)
    }

    /// Checks the text of a mapping file; `path` is for messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self, MappingError> {
        let shown = path.display().to_string();
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| MappingError::Toml {
                path: shown.clone(),
                message: e.to_string(),
            })?;
        let key_error = |key: &str, problem: String| MappingError::Key {
            path: shown.clone(),
            key: key.to_string(),
            problem,
        };
        let top = top_level(&table, &key_error)?;
        Ok(MappingFile {
            path: path.to_path_buf(),
            fields: mapped_fields(top.fields, &key_error)?,
            strip_leading_quote: top.strip_leading_quote,
            match_by_meaning: top.match_by_meaning.unwrap_or(true),
            address_types: address_types(top.address_types, &key_error)?,
            phone_types: phone_types(top.phone_types, &key_error)?,
        })
    }
}

/// The top level of a mapping file.
struct TopLevel<'t> {
    fields: &'t toml::Table,
    address_types: Option<&'t toml::Table>,
    phone_types: Option<&'t toml::Table>,
    strip_leading_quote: Option<bool>,
    match_by_meaning: Option<bool>,
}

/// The `[fields]` table, `strip_leading_quote` and `match_by_meaning` of a mapping file; any
/// other key is refused.
fn top_level<'t>(
    table: &'t toml::Table,
    key_error: &impl Fn(&str, String) -> MappingError,
) -> Result<TopLevel<'t>, MappingError> {
    let mut fields = None;
    let mut address_types = None;
    let mut phone_types = None;
    let mut strip_leading_quote = None;
    let mut match_by_meaning = None;
    for (key, value) in table {
        match (key.as_str(), value) {
            ("fields", toml::Value::Table(t)) => fields = Some(t),
            ("address_types", toml::Value::Table(t)) => address_types = Some(t),
            ("phone_types", toml::Value::Table(t)) => phone_types = Some(t),
            ("address_types" | "phone_types", _) => {
                return Err(key_error(
                    key,
                    format!("must be a table: start it with [{key}]"),
                ));
            }
            ("strip_leading_quote", toml::Value::Boolean(b)) => strip_leading_quote = Some(*b),
            ("match_by_meaning", toml::Value::Boolean(b)) => match_by_meaning = Some(*b),
            ("fields", _) => {
                return Err(key_error(
                    key,
                    "must be a table: start it with [fields]".into(),
                ));
            }
            ("strip_leading_quote" | "match_by_meaning", _) => {
                return Err(key_error(key, "must be true or false".into()));
            }
            _ => {
                return Err(key_error(
                    key,
                    "unknown key: a mapping file has a [fields] table and optionally \
                     [address_types] and [phone_types] tables, strip_leading_quote = \
                     true|false and match_by_meaning = true|false (field paths go under \
                     [fields])"
                        .into(),
                ));
            }
        }
    }
    let Some(fields) = fields else {
        return Err(key_error(
            "fields",
            "missing: put the fields under a [fields] table".into(),
        ));
    };
    Ok(TopLevel {
        fields,
        address_types,
        phone_types,
        strip_leading_quote,
        match_by_meaning,
    })
}

/// Each field of the `[fields]` table with where its value comes from.
fn mapped_fields(
    fields: &toml::Table,
    key_error: &impl Fn(&str, String) -> MappingError,
) -> Result<Vec<Mapped>, MappingError> {
    let mut mapped: Vec<Mapped> = Vec::new();
    let mut flat = Vec::new();
    flatten("", fields, &mut flat);
    for (key, value) in flat {
        let key = &key;
        let key_at = format!("fields.{key}");
        if Field::is_extra_without_key(key) {
            return Err(key_error(
                &key_at,
                format!(
                    "names no extra field: put the key of the extra field after the dot, as the \
                     store names it (\"extrafields.{EXAMPLE_EXTRA_KEY}\" = \"Loyalty number\")"
                ),
            ));
        }
        let field = Field::parse(key).ok_or_else(|| {
            key_error(
                &key_at,
                "not an Ecwid field path: use a path such as billingPerson.city or \
                 shippingAddresses.0.phone (`ecwid-import template --mapping` lists them all)"
                    .into(),
            )
        })?;
        let source = source(value).map_err(|problem| key_error(&key_at, problem))?;
        if field == Field::Password
            && matches!(
                source,
                Source::IfValid(_) | Source::YesNo(_) | Source::CodeOrName(_)
            )
        {
            return Err(key_error(
                &key_at,
                "password takes a column as it is (password = \"Password\"): a password has \
                 no codes, answers or rule to check, and a value that looks like a password \
                 hash is never sent"
                    .into(),
            ));
        }
        let yes_no_field = matches!(
            field,
            Field::AcceptMarketing | Field::TaxExempt | Field::TaxIdValid
        );
        if matches!(source, Source::YesNo(_)) && !yes_no_field {
            return Err(key_error(
                &key_at,
                "yes_no is for acceptMarketing, taxExempt or taxIdValid".into(),
            ));
        }
        if matches!(source, Source::CodeOrName(_)) && code_and_name(&field).is_none() {
            return Err(key_error(
                &key_at,
                "code_or_name is for a country or state field (billingPerson.countryCode, \
                 shippingAddresses.0.stateOrProvinceCode, ...)"
                    .into(),
            ));
        }
        let entry = Mapped {
            key: key.clone(),
            field: field.clone(),
            source,
        };
        if let Some(earlier) = mapped
            .iter()
            .find(|m| m.fields().iter().any(|f| entry.fields().contains(f)))
        {
            return Err(key_error(
                &key_at,
                format!(
                    "{field} is already mapped by key {}: keep one of them",
                    crate::words::quoted(&earlier.key)
                ),
            ));
        }
        if field == Field::Email && matches!(entry.source, Source::Value(_)) {
            return Err(key_error(
                &key_at,
                "the email must come from a column: every customer has their own".into(),
            ));
        }
        mapped.push(entry);
    }
    Ok(mapped)
}

const SOURCE_KEYS: [&str; 7] = [
    "column",
    "columns",
    "separator",
    "value",
    "code_or_name",
    "yes_no",
    "if_valid",
];

/// The fields of `[fields]` by their whole path: TOML reads an unquoted
/// `billingPerson.name = ...` as a nested table, and users should not have to quote keys.
/// A table with a source setting in it is a field's source, any other table a path part
/// (no field path has a part named like a setting).
fn flatten<'t>(prefix: &str, table: &'t toml::Table, out: &mut Vec<(String, &'t toml::Value)>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t)
                if !t.is_empty() && !t.keys().any(|k| SOURCE_KEYS.contains(&k.as_str())) =>
            {
                flatten(&path, t, out);
            }
            _ => out.push((path, value)),
        }
    }
}

/// The source a field's value in the file describes.
fn source(value: &toml::Value) -> Result<Source, String> {
    let table = match value {
        toml::Value::String(column) => {
            return columns(vec![column.clone()], Separator::One(" ".into()));
        }
        toml::Value::Table(table) => table,
        _ => return Err(FIELD_FORMS.into()),
    };
    let mut column_list = None;
    let mut separator = None;
    let mut constant = None;
    let mut code_or_name = false;
    let mut yes_no = false;
    let mut if_valid = false;
    for (key, value) in table {
        match (key.as_str(), value) {
            ("column", toml::Value::String(c)) => column_list = Some(vec![c.clone()]),
            ("columns", toml::Value::Array(list)) => {
                let names: Option<Vec<String>> = list
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect();
                column_list =
                    Some(names.ok_or("columns must be a list of column names in quotes")?);
            }
            ("separator", toml::Value::String(s)) => separator = Some(Separator::One(s.clone())),
            ("separator", toml::Value::Array(list)) => {
                let each: Option<Vec<String>> = list
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect();
                separator = Some(Separator::Each(
                    each.ok_or("separator must be a text or a list of texts in quotes")?,
                ));
            }
            ("value", toml::Value::String(s)) => constant = Some(s.clone()),
            ("value", toml::Value::Boolean(b)) => constant = Some(b.to_string()),
            ("value", toml::Value::Integer(n)) => constant = Some(n.to_string()),
            ("code_or_name", toml::Value::Boolean(b)) => code_or_name = *b,
            ("yes_no", toml::Value::Boolean(b)) => yes_no = *b,
            ("if_valid", toml::Value::Boolean(b)) => if_valid = *b,
            (k, _) if SOURCE_KEYS.contains(&k) => {
                return Err(format!("{key} has the wrong kind of value: {FIELD_FORMS}"));
            }
            _ => return Err(format!("unknown setting {key:?}: {FIELD_FORMS}")),
        }
    }
    if if_valid {
        return match (
            column_list.as_deref(),
            constant,
            separator,
            yes_no || code_or_name,
        ) {
            (Some([column]), None, None, false) if !column.trim().is_empty() => {
                Ok(Source::IfValid(column.clone()))
            }
            _ => {
                Err("if_valid takes one column: { column = \"Language\", if_valid = true }".into())
            }
        };
    }
    if yes_no {
        return match (column_list.as_deref(), constant, separator, code_or_name) {
            (Some([column]), None, None, false) if !column.trim().is_empty() => {
                Ok(Source::YesNo(column.clone()))
            }
            _ => Err("yes_no takes one column: { column = \"Newsletter\", yes_no = true }".into()),
        };
    }
    if code_or_name {
        return match (column_list.as_deref(), constant, separator) {
            (Some([column]), None, None) if !column.trim().is_empty() => {
                Ok(Source::CodeOrName(column.clone()))
            }
            _ => Err(
                "code_or_name takes one column: { column = \"Country\", code_or_name = \
                      true }"
                    .into(),
            ),
        };
    }
    match (column_list, constant) {
        (Some(_), Some(_)) => Err("give either columns or a value, not both".into()),
        (Some(list), None) => columns(list, separator.unwrap_or(Separator::One(" ".into()))),
        (None, Some(_)) if separator.is_some() => {
            Err("a separator joins columns: it has no use with a value".into())
        }
        (None, Some(value)) => Ok(Source::Value(value)),
        (None, None) => Err(FIELD_FORMS.into()),
    }
}

/// `separator = " "` (between every two columns) or `separator = [" ", "\n"]` (one per gap).
enum Separator {
    One(String),
    Each(Vec<String>),
}

fn columns(list: Vec<String>, separator: Separator) -> Result<Source, String> {
    if list.is_empty() || list.iter().any(|c| c.trim().is_empty()) {
        return Err("a column name is blank: name the column as the file's header does".into());
    }
    match separator {
        Separator::One(separator) => Ok(Source::joined(list, &separator)),
        Separator::Each(separators) if separators.len() + 1 == list.len() => Ok(Source::Columns {
            columns: list,
            separators,
        }),
        Separator::Each(separators) => Err(format!(
            "a list of separators has one for each gap between the columns: {} columns take \
             {}, not {}",
            list.len(),
            list.len() - 1,
            separators.len()
        )),
    }
}

#[cfg(test)]
#[path = "mapping_file_tests.rs"]
mod tests;
