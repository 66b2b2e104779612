//! `template --mapping --from FILE`: the mapping a file's columns get, written as a mapping
//! file, so that a user whose file the matcher read not quite right fixes one line instead of
//! writing the file. The text is made from the same model the run uses ([`Mapped`]), so that
//! the file read back with `--mapping` gives the same requests.

use std::fmt::Write as _;
use std::path::Path;

use csv::ByteRecord;

use super::header::{choose_preset, header_names, same_names};
use super::meaning::by_meaning;
use super::preset_starter::preset_starter;
use super::rules::{HeaderError, canonical_rules, preset_rules};
use super::toml_line::{line, toml_string};
use super::{ColumnMap, is_title};
use crate::customer::fields::Field;
use crate::input::mapping_file::Mapped;
use crate::input::matcher::LeftOut;
use crate::input::presets::Preset;

impl ColumnMap {
    /// The starter mapping file for a file with this header (`file` is named in it). `titles`
    /// are the store's customer extra fields as `(key, title)`, when the store was asked: a
    /// column no line takes, named as one is titled, gets a line for its key.
    pub(crate) fn starter(
        headers: &ByteRecord,
        file: &Path,
        titles: &[(String, String)],
    ) -> Result<String, HeaderError> {
        let names = header_names(headers);
        // The columns of an associated record under the record's name, as a run reads them.
        let records = super::associated::records(&names);
        let names = super::associated::named_by_record(names, &records);
        same_names(&names, &[])?;
        let (preset, reason) = choose_preset(None, &names);
        let shown = file.display();
        if preset != Preset::Ecwid {
            let rules = preset_rules(preset, &names);
            let shown = shown.to_string();
            return Ok(preset_starter(preset, &reason, &rules, &names, &shown));
        }
        let mut rules = canonical_rules(&names)?;
        let orders = crate::input::orders::detect(&names).is_some();
        // As the run: an orders export's `Name` is the order's (`#1060`), not the buyer's.
        let mut order_name = None;
        if orders {
            (rules, order_name) = super::buyers::without_order_name(rules, &names);
        }
        let (mut model, mut matched) = by_meaning(&mut rules, &names, &[]);
        if orders {
            super::buyers::without_shop_websites_in(&mut model, &mut matched);
        }
        let mut text = format!(
            "# ecwid-import column mapping for {shown}, as the run reads it: canonical column\n\
             # names and columns matched by meaning, one line per field. Check each line, fix\n\
             # what is wrong (or delete it), then:\n\
             #   ecwid-import import {shown} --mapping this-file.toml\n\
             #\n\
             #   \"Column\"                                       one column of the file\n\
             #   {{ columns = [\"A\", \"B\"], separator = \" \" }}      columns joined (blanks skipped)\n\
             #   {{ columns = [\"A\", \"B\", \"C\"], separator = [\" \", \"\\n\"] }}\n\
             #                                                  one separator per gap: A B, then\n\
             #                                                  C on a new line\n\
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
             \n\
             # Only the lines below are imported (and columns named exactly as an Ecwid field,\n\
             # such as email, unless a line below uses them): no other column is matched by\n\
             # meaning, so a line deleted here is a column not imported, and a column moved to\n\
             # another field is sent there only. Set it to true to match the columns no line\n\
             # uses by meaning again.\n\
             match_by_meaning = false\n\
             \n[fields]\n"
        );
        let fields: Vec<Field> = model.iter().flat_map(Mapped::fields).collect();
        let buyer_note = orders
            .then(|| super::buyers::buyer_name_note(&model))
            .flatten();
        for mapped in &model {
            let whole = matched.address_types.is_empty()
                && mapped.source.columns().len() == 1
                && !matches!(mapped.source, crate::input::mapping_file::Source::Value(_))
                && super::whole_address::lone_street(&mapped.field, &fields).is_some();
            let note = if whole {
                "   # the whole address in one cell: split where that is certain, else the street"
            } else if mapped.field == Field::Billing(crate::customer::fields::AddressField::Name) {
                buyer_note.as_deref().unwrap_or("")
            } else {
                ""
            };
            let _ = writeln!(text, "{}{note}", line(mapped));
        }
        let taken = |name: &String| {
            model.iter().any(|m| m.source.columns().contains(name))
                || matched.left_out.iter().any(|l| &l.column == name)
        };
        let mut titled: Vec<String> = Vec::new();
        for name in names.iter().filter(|n| !n.is_empty() && !taken(n)) {
            if let Some((key, title)) = titles.iter().find(|(_, t)| is_title(t, name)) {
                let _ = writeln!(
                    text,
                    "{} = {}   # the title of the store's customer extra field {key:?} ({title:?})",
                    toml_string(&format!("extrafields.{key}")),
                    toml_string(name)
                );
                titled.push(name.clone());
            }
        }
        // A whole address beside its parts: read by the run on rows whose parts are blank,
        // whatever the mapping file says (see `whole_address`).
        for (i, name) in names.iter().enumerate() {
            if taken(name) || titled.contains(name) {
                continue;
            }
            if let Some(address) = super::whole_address::address_beside(&model, &names, i) {
                let _ = writeln!(
                    text,
                    "# {} -> {address}: the whole address in one cell, read only on a row whose \
                     parts (the lines above) are blank",
                    toml_string(name)
                );
                titled.push(name.clone());
            }
        }
        if !model.iter().any(|m| m.field == Field::Email) {
            text.push_str("# email = \"?\"   # no column holds the email: name it here\n");
        }
        let rest: Vec<String> = names
            .iter()
            .filter(|n| !titled.contains(n))
            .cloned()
            .collect();
        let typed: Vec<&String> = matched
            .address_types
            .iter()
            .map(|(_, c)| c)
            .chain(matched.phone_types.iter().map(|(_, c)| c))
            .collect();
        let order_data = if orders {
            let mut used: Vec<bool> = names
                .iter()
                .map(|n| {
                    n.is_empty()
                        || model.iter().any(|m| m.source.columns().contains(n))
                        || typed.contains(&n)
                })
                .collect();
            super::buyers::order_data(&names, &mut used, &matched.left_out, order_name)
        } else {
            Vec::new()
        };
        if !order_data.is_empty() {
            text.push_str(
                "\n# Left out as order data (an orders export: one row per order or line item, the\n\
                 # buyer is the customer; write a field path in place of ? to import one):\n",
            );
            for name in &order_data {
                let _ = writeln!(text, "# \"?\" = {}", toml_string(name));
            }
        }
        let rest: Vec<String> = rest
            .into_iter()
            .filter(|n| !order_data.contains(n))
            .collect();
        write_left_out(&mut text, &matched.left_out, &rest, &model, &typed);
        if !matched.address_types.is_empty() {
            text.push_str(
                "\n# Each address below goes, row by row, where its type column says: Billing to\n\
                 # billingPerson, each Shipping to shippingAddresses, Home or Work to\n\
                 # shippingAddresses where none is Shipping. Delete a line to keep the address\n\
                 # where [fields] puts it.\n[address_types]\n",
            );
            for (address, column) in &matched.address_types {
                let key = address.map_or("billingPerson".to_string(), |i| {
                    format!("\"shippingAddresses.{i}\"")
                });
                let _ = writeln!(text, "{key} = {}", toml_string(column));
            }
        }
        if !matched.phone_types.is_empty() {
            text.push_str(
                "\n# On a row whose type column below names a fax (Work Fax), the phone is left\n\
                 # out with a note: a fax is not a phone. Delete a line to send it whatever its\n\
                 # type.\n[phone_types]\n",
            );
            for (field, column) in &matched.phone_types {
                let _ = writeln!(
                    text,
                    "{} = {}",
                    toml_string(&field.to_string()),
                    toml_string(column)
                );
            }
        }

        Ok(text)
    }
}

/// A commented starter file with every field path, printed by `template --mapping`.
pub(crate) fn starter() -> String {
    let mut text = String::from(
        "# ecwid-import column mapping: ecwid-import import customers.csv --mapping this-file.toml\n\
         #\n\
         # Each key under [fields] is an Ecwid field path; its value says where it comes from:\n\
         #   \"Column name\"                                       one column of the file\n\
         #   { columns = [\"First\", \"Last\"], separator = \" \" }   several columns joined\n\
         #                                                       (blank cells are skipped)\n\
         #   { value = \"DE\" }                                    the same value for every row\n\
         # Column names match ignoring case and surrounding spaces. Fields not named here come\n\
         # from the preset (--preset, detected from the header by default). Uncomment a line\n\
         # and put your column's name in it.\n\
         \n\
         # Remove Excel's leading ' (a text marker) from every value (a ' before = + - @ is\n\
         # removed in any case: the results files put it before formulas):\n\
         # strip_leading_quote = true\n\
         \n\
         # Columns this file does not use are matched by meaning (Vorname, Code postal, ...)\n\
         # when no preset applies; false imports only the fields below and the columns named\n\
         # exactly as Ecwid fields (email, billingPerson.city):\n\
         # match_by_meaning = false\n\
         \n\
         [fields]\n\
         email = \"email\"\n",
    );
    for field in Field::canonical() {
        if field == Field::Email {
            continue;
        }
        let path = field.to_string();
        let key = if path.contains('.') {
            format!("{path:?}")
        } else {
            path.clone()
        };
        if matches!(field, Field::Extra(_)) {
            text.push_str(
                "# Extra fields: one key per extra field, after extrafields. as the store names\n\
                 # it (only the key and the value are sent), for example:\n",
            );
        }
        let _ = writeln!(text, "# {key} = \"{path}\"");
    }
    text
}

/// The columns the run leaves out, as commented lines to uncomment.
fn write_left_out(
    text: &mut String,
    left_out: &[LeftOut],
    names: &[String],
    model: &[Mapped],
    typed: &[&String],
) {
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
        model.iter().any(|m| m.source.columns().contains(name))
            || left_out.iter().any(|l| &l.column == name)
            || typed.contains(&name)
    };
    let rest: Vec<&String> = names.iter().filter(|n| !n.is_empty() && !used(n)).collect();
    if !rest.is_empty() {
        text.push_str("\n# Not imported (write a field path in place of ? to import one):\n");
        for name in rest {
            let _ = writeln!(text, "# \"?\" = {}", toml_string(name));
        }
    }
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
        let text = ColumnMap::starter(&header, Path::new("kunden.csv"), &[]).unwrap();
        let parsed = MappingFile::parse(Path::new("m.toml"), &text).unwrap();
        let (model, _) = by_meaning(
            &mut canonical_rules(&header_names(&header)).unwrap(),
            &header_names(&header),
            &[],
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
