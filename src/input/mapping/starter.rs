//! `template --mapping --from FILE`: the mapping a file's columns get, written as a mapping
//! file, so that a user whose file the matcher read not quite right fixes one line instead of
//! writing the file. The text is made from the same model the run uses ([`Mapped`]), so that
//! the file read back with `--mapping` gives the same requests.

use std::fmt::Write as _;
use std::path::Path;

use csv::ByteRecord;

use super::ColumnMap;
use super::header::{
    HeaderError, by_meaning, canonical_rules, choose_preset, header_names, same_names,
};
use crate::input::mapping_file::{Mapped, Source, starter};
use crate::input::matcher::LeftOut;
use crate::input::presets::Preset;

impl ColumnMap {
    /// The starter mapping file for a file with this header (`file` is named in it).
    pub fn starter(headers: &ByteRecord, file: &Path) -> Result<String, HeaderError> {
        let names = header_names(headers);
        same_names(&names)?;
        let (preset, reason) = choose_preset(None, &names);
        let shown = file.display();
        if preset != Preset::Ecwid {
            let mut text = format!(
                "# {shown}: preset {preset} ({reason}).\n\
                 # Its columns are mapped without a mapping file: name below only the fields to\n\
                 # change.\n#\n"
            );
            text.push_str(&starter());
            return Ok(text);
        }
        let mut rules = canonical_rules(&names)?;
        let (model, matched) = by_meaning(&mut rules, &names);
        let mut text = format!(
            "# ecwid-import column mapping for {shown}, as the run reads it: canonical column\n\
             # names and columns matched by meaning, one line per field. Check each line, fix\n\
             # what is wrong (or delete it), then:\n\
             #   ecwid-import import {shown} --mapping this-file.toml\n\
             #\n\
             #   \"Column\"                                       one column of the file\n\
             #   {{ columns = [\"A\", \"B\"], separator = \" \" }}      columns joined (blanks skipped)\n\
             #   {{ value = \"PHONE\" }}                            the same value for every row\n\
             #   {{ column = \"Country\", code_or_name = true }}    a country or state: a code to the\n\
             #                                                  code field, anything else to the\n\
             #                                                  name field (Deutschland as DE)\n\
             #   {{ column = \"Newsletter\", yes_no = true }}       yes or no in any language (ja,\n\
             #                                                  oui, sí, sim, nee); any other\n\
             #                                                  answer is left out, never guessed\n\
             #   {{ column = \"Language\", if_valid = true }}       a value the field does not take\n\
             #                                                  (a language name for lang) is\n\
             #                                                  left out; the row is still sent\n\
             \n[fields]\n"
        );
        for mapped in &model {
            let _ = writeln!(text, "{}", line(mapped));
        }
        if !model
            .iter()
            .any(|m| m.field == crate::customer::fields::Field::Email)
        {
            text.push_str("# email = \"?\"   # no column holds the email: name it here\n");
        }
        write_left_out(&mut text, &matched.left_out, &names, &model);
        Ok(text)
    }
}

/// The columns the run leaves out, as commented lines to uncomment.
fn write_left_out(text: &mut String, left_out: &[LeftOut], names: &[String], model: &[Mapped]) {
    if !left_out.is_empty() {
        text.push_str("\n# Recognised but left out (uncomment one to use it instead):\n");
        for l in left_out {
            let key = l
                .field
                .as_ref()
                .map_or("?".to_string(), ToString::to_string);
            let _ = writeln!(
                text,
                "# {} = {}   # {}",
                toml_string(&key),
                toml_string(&l.column),
                l.why
            );
        }
    }
    let used = |name: &String| {
        model.iter().any(|m| match &m.source {
            Source::Columns { columns, .. } => columns.contains(name),
            Source::CodeOrName(column) | Source::YesNo(column) | Source::IfValid(column) => {
                column == name
            }
            Source::Value(_) => false,
        }) || left_out.iter().any(|l| &l.column == name)
    };
    let rest: Vec<&String> = names.iter().filter(|n| !n.is_empty() && !used(n)).collect();
    if !rest.is_empty() {
        text.push_str("\n# Not imported (write a field path in place of ? to import one):\n");
        for name in rest {
            let _ = writeln!(text, "# \"?\" = {}", toml_string(name));
        }
    }
}

/// One field of the model as a line of `[fields]`.
fn line(mapped: &Mapped) -> String {
    let key = toml_string(&mapped.key);
    let value = match &mapped.source {
        Source::Columns { columns, .. } if columns.len() == 1 => toml_string(&columns[0]),
        Source::Columns { columns, separator } => {
            let list: Vec<String> = columns.iter().map(|c| toml_string(c)).collect();
            format!(
                "{{ columns = [{}], separator = {} }}",
                list.join(", "),
                toml_string(separator)
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
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::mapping_file::MappingFile;

    /// Every form of a field survives printing and parsing back, odd characters included.
    #[test]
    fn lines_parse_back_to_the_same_fields() {
        let header = ByteRecord::from(vec![
            "E-Mail",
            "Vorname",
            "Name",
            "Straße",
            "Adresszusatz",
            "Land",
            "Bundesland",
            "Telefon",
            "Handy",
            "Notiz \"intern\"\\x",
        ]);
        let text = ColumnMap::starter(&header, Path::new("kunden.csv")).unwrap();
        let parsed = MappingFile::parse(Path::new("m.toml"), &text).unwrap();
        let (model, _) = by_meaning(
            &mut canonical_rules(&header_names(&header)).unwrap(),
            &header_names(&header),
        );
        assert_eq!(parsed.fields, model, "{text}");
        assert!(text.contains("\"billingPerson.street\" = { columns = [\"Straße\", \"Adresszusatz\"], separator = \"\\n\" }"), "{text}");
        assert!(
            text.contains(
                "\"billingPerson.countryCode\" = { column = \"Land\", code_or_name = true }"
            ),
            "{text}"
        );
    }
}
