//! The mapping file's forms and the mistakes it names.

use super::*;
use crate::customer::fields::AddressField;
use crate::input::mapping::starter;

fn parse(text: &str) -> Result<MappingFile, MappingError> {
    MappingFile::parse(Path::new("m.toml"), text)
}

/// The three forms of a field: a column, columns joined, a value.
#[test]
fn parses_columns_joins_and_values() {
    let m = parse(
        "[fields]\nemail = \"E-mail\"\n\
         \"billingPerson.name\" = { columns = [\"Vorname\", \"Nachname\"] }\n\
         \"billingPerson.countryCode\" = { value = \"DE\" }\n\
         acceptMarketing = { value = true }\n",
    )
    .unwrap();
    let sources: Vec<(Field, Source)> = m.fields.into_iter().map(|f| (f.field, f.source)).collect();
    let columns =
        |c: &[&str], s: &str| Source::joined(c.iter().map(|c| c.to_string()).collect(), s);
    assert_eq!(
        sources,
        vec![
            (Field::Email, columns(&["E-mail"], " ")),
            (
                Field::Billing(AddressField::Name),
                columns(&["Vorname", "Nachname"], " ")
            ),
            (
                Field::Billing(AddressField::CountryCode),
                Source::Value("DE".into())
            ),
            (Field::AcceptMarketing, Source::Value("true".into())),
        ]
    );
}

/// The e-invoicing fields, state names and extra fields are field paths too; an extra
/// field's key is kept as written, quoted or nested.
#[test]
fn maps_invoicing_state_names_and_extra_fields() {
    let m = parse(
        "[fields]\nemail = \"E-mail\"\nfiscalCode = \"Codice fiscale\"\n\
         \"shippingAddresses.0.stateOrProvinceName\" = \"Provincia\"\n\
         \"extrafields.Loyalty_ID\" = \"Tessera\"\n\
         extrafields.tier = { value = \"gold\" }\n",
    )
    .unwrap();
    let keys: Vec<(String, String)> = m
        .fields
        .iter()
        .map(|f| (f.key.clone(), f.field.to_string()))
        .collect();
    let pair = |k: &str, f: &str| (k.to_string(), f.to_string());
    assert_eq!(
        keys,
        vec![
            pair("email", "email"),
            pair("fiscalCode", "fiscalCode"),
            pair(
                "shippingAddresses.0.stateOrProvinceName",
                "shippingAddresses.0.stateOrProvinceName"
            ),
            pair("extrafields.Loyalty_ID", "extrafields.Loyalty_ID"),
            pair("extrafields.tier", "extrafields.tier"),
        ]
    );
}

/// Mistakes name the key and say what to write instead.
#[test]
fn mistakes_name_the_key() {
    for (text, key, says) in [
        (
            "[fields]\nbilling.city = \"x\"",
            "fields.billing",
            "field path",
        ),
        (
            "[fields]\nemail = { value = \"a@b.co\" }",
            "fields.email",
            "column",
        ),
        ("[fields]\nemail = 3", "fields.email", "column name"),
        (
            "[fields]\nname = \"a\"\n\"billingPerson.name\" = \"b\"",
            "fields.billingPerson.name",
            "already",
        ),
        (
            "[fields]\nemail = { columns = [] }",
            "fields.email",
            "blank",
        ),
        (
            "[fields]\nemail = { colums = [\"a\"] }",
            "fields.email.colums",
            "field path",
        ),
        (
            "[fields]\nemail = { column = \"a\", sep = \" \" }",
            "fields.email",
            "unknown setting",
        ),
        ("[fields]\nemail = {}", "fields.email", "column name"),
        ("emial = \"x\"", "emial", "unknown key"),
        ("strip_leading_quote = true", "fields", "missing"),
        (
            "[fields]\nemail = \"a\"\ncity = { column = \"x\", code_or_name = true }",
            "fields.city",
            "field path",
        ),
        (
            "[fields]\nemail = \"a\"\n\"billingPerson.city\" = { column = \"x\", code_or_name = true }",
            "fields.billingPerson.city",
            "country or state",
        ),
        (
            "[fields]\nemail = \"a\"\n\"billingPerson.countryName\" = \"y\"\n\
             \"billingPerson.countryCode\" = { column = \"x\", code_or_name = true }",
            "fields.billingPerson.countryCode",
            "already",
        ),
        (
            "[fields]\nemail = \"a\"\nlang = { column = \"x\", yes_no = true }",
            "fields.lang",
            "acceptMarketing",
        ),
        (
            "[fields]\nemail = \"a\"\nacceptMarketing = { columns = [\"x\", \"y\"], yes_no = true }",
            "fields.acceptMarketing",
            "one column",
        ),
        (
            "[fields]\nemail = \"a\"\nlang = { value = \"de\", if_valid = true }",
            "fields.lang",
            "one column",
        ),
        (
            "[fields]\nemail = \"a\"\npassword = { column = \"pass\", if_valid = true }",
            "fields.password",
            "password hash is never sent",
        ),
        (
            "[fields]\nemail = \"a\"\npassword = { column = \"pass\", yes_no = true }",
            "fields.password",
            "as it is",
        ),
        (
            "[fields]\nemail = \"a\"\nname = { columns = [\"x\", \"y\"], separator = [\" \", \"-\"] }",
            "fields.name",
            "2 columns take 1, not 2",
        ),
        (
            "match_by_meaning = \"no\"\n[fields]\nemail = \"a\"",
            "match_by_meaning",
            "true or false",
        ),
        (
            "[fields]\nemail = \"a\"\nextrafields = \"b\"",
            "fields.extrafields",
            "key of the extra field",
        ),
    ] {
        match parse(text) {
            Err(MappingError::Key {
                key: k, problem, ..
            }) => {
                assert!(k.starts_with(key), "{text}: {k}");
                assert!(problem.contains(says), "{text}: {problem}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
    assert!(matches!(parse("[fields"), Err(MappingError::Toml { .. })));
}

/// The starter file is a valid mapping naming only the email.
#[test]
fn starter_is_a_valid_mapping() {
    let m = parse(&starter()).unwrap();
    assert_eq!(m.fields.len(), 1);
    for field in Field::canonical() {
        assert!(starter().contains(&field.to_string()), "{field}");
    }
}

/// A separator per gap between the columns (the house number after a space, a second line
/// after a line break), and `match_by_meaning`, true unless the file says false.
#[test]
fn separators_per_gap_and_match_by_meaning() {
    let m = parse(
        "match_by_meaning = false\n[fields]\nemail = \"E-Mail\"\n\
         \"billingPerson.street\" = { columns = [\"Straße\", \"Nr\", \"Zusatz\"], separator = [\" \", \"\\n\"] }\n",
    )
    .unwrap();
    assert!(!m.match_by_meaning);
    assert_eq!(
        m.fields[1].source,
        Source::Columns {
            columns: vec!["Straße".into(), "Nr".into(), "Zusatz".into()],
            separators: vec![" ".into(), "\n".into()],
        }
    );
    assert!(parse("[fields]\nemail = \"a\"").unwrap().match_by_meaning);
}
