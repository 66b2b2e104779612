//! What the matcher chooses and says it chose, what it leaves alone (the columns a mapping file
//! uses, look-alike columns), and real files of no known export.

use assert_cmd::Command;
use ecwid_import::input::mapping::Layout;
use ecwid_import::input::presets::Preset;
use serde_json::json;

use super::*;
use crate::presets::mapping;

/// The run says once what it chose and why, and what it left out.
#[test]
fn the_log_states_each_choice_and_what_was_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("kunden.csv");
    std::fs::write(
        &input,
        "Vorname,Nachname,E-Mail,Stadt,Ort,Kundennummer\nKarl,Kraus,karl@example.de,Köln,Köln,7\n",
    )
    .unwrap();
    let output = Command::cargo_bin("ecwid-import")
        .unwrap()
        .env_remove("RUST_LOG")
        .args(["validate", input.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let log = String::from_utf8_lossy(&output.stderr);
    assert_eq!(log.matches("matched by meaning:").count(), 1, "{log}");
    assert!(
        log.contains("\"Vorname\" + \"Nachname\" -> billingPerson.name"),
        "{log}"
    );
    assert!(log.contains("\"E-Mail\" -> email"), "{log}");
    assert!(log.contains("\"Ort\" -> billingPerson.city"), "{log}");
    assert!(
        log.contains("left out: \"Stadt\" (billingPerson.city comes from \"Ort\")"),
        "{log}"
    );
    assert!(log.contains("Kundennummer"), "{log}");
}

/// Canonical names win over synonyms, and a detected preset is read as before.
#[test]
fn canonical_names_and_presets_win_over_synonyms() {
    let (requests, choice) = bodies(
        "email,billingPerson.city,City,name\nann@example.com,Oslo,Bergen,Ann Lee\n",
        &Layout::default(),
    );
    assert_eq!(
        requests[0],
        json!({"email": "ann@example.com", "billingPerson": {"name": "Ann Lee", "city": "Oslo"}})
    );
    assert!(choice.contains("left out: \"City\""), "{choice}");
    // A file of canonical names only is read exactly as before: nothing matched.
    let (_, choice) = bodies("email,name\nann@example.com,Ann\n", &Layout::default());
    assert!(!choice.contains("matched by meaning"), "{choice}");
    // `--preset ecwid` reads canonical names only.
    let fixed = Layout {
        preset: Some(Preset::Ecwid),
        mapping: None,
    };
    let (requests, _) = bodies("email,City\nann@example.com,Oslo\n", &fixed);
    assert_eq!(requests[0], json!({"email": "ann@example.com"}));
}

/// The run names the everyday fields no column fills, so a person sees what the file lacks;
/// a field filled by any column (here the name, the phone and the whole address) is not named.
#[test]
fn the_fields_no_column_fills_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("list.csv");
    std::fs::write(
        &input,
        "Email,Name,Phone,Street,City,Zip,Country,Newsletter\n\
         a@example.com,Ann,123,1 Main St,Springfield,62701,US,yes\n",
    )
    .unwrap();
    let output = Command::cargo_bin("ecwid-import")
        .unwrap()
        .arg("validate")
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let line = stderr
        .lines()
        .find(|l| l.contains("fields no column of the file fills"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        line.ends_with("billingPerson.companyName, customerGroupName, privateAdminNotes"),
        "{line}"
    );
}

/// Address blocks placed by their type column (Wix's `Address N - Type`) fill the billing
/// address on a row that types one billing: its fields are not named as ones no column fills.
#[test]
fn typed_address_blocks_count_as_filling_the_billing_address() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/values/wix-typed-addresses.csv"
    );
    let csv = std::fs::read_to_string(path).unwrap();
    let (map, _, _) = map(&csv, &Layout::default()).expect("header maps");
    assert_eq!(
        map.unfilled(),
        ["customerGroupName", "privateAdminNotes"],
        "the name, phone, company, address and consent are filled"
    );
}

/// With the matcher on (a mapping file without `match_by_meaning = false`), it takes no
/// column the mapping file uses, and no canonical name or preset fills another field from it.
#[test]
fn a_column_the_mapping_file_uses_is_read_only_as_it_says() {
    let csv = "email,name,Vorname,Land,Stadt\nann@example.de,Lee,Ann,Deutschland,Bonn\n";
    let layout = Layout {
        preset: None,
        mapping: Some(mapping(
            "[fields]\n\"shippingAddresses.0.countryCode\" = { column = \"Land\", code_or_name = true }\n\
             \"shippingAddresses.0.name\" = \"name\"\n",
        )),
    };
    let (body, choice) = first_body(csv, &layout);
    assert_eq!(
        body,
        json!({"email": "ann@example.de",
               "billingPerson": {"name": "Ann", "city": "Bonn"},
               "shippingAddresses": [{"name": "Lee", "countryCode": "DE"}]}),
        "{choice}"
    );
    assert!(!choice.contains("\"Land\" ->"), "{choice}");
    // A preset's column too: Shopify's `Phone` moved to a contact is no longer the phone.
    let shopify = "First Name,Last Name,Email,Address1,Phone,Accepts Marketing\n\
                   Ann,Lee,ann@example.com,1 Main St,555 0100,no\n";
    let moved = Layout {
        preset: None,
        mapping: Some(mapping(
            "[fields]\n\"contacts.0.contact\" = \"Phone\"\n\"contacts.0.type\" = { value = \"PHONE\" }\n",
        )),
    };
    let (body, choice) = first_body(shopify, &moved);
    assert!(choice.starts_with("preset shopify"), "{choice}");
    assert_eq!(body["billingPerson"].get("phone"), None, "{body}");
    assert_eq!(body["contacts"][0]["contact"], "555 0100", "{body}");
    // Turned off: only the file's lines and the canonical names.
    let off = Layout {
        preset: None,
        mapping: Some(mapping(
            "match_by_meaning = false\n[fields]\n\"billingPerson.city\" = \"Stadt\"\n",
        )),
    };
    let (body, choice) = first_body(csv, &off);
    assert_eq!(
        body,
        json!({"email": "ann@example.de", "billingPerson": {"name": "Lee", "city": "Bonn"}}),
        "{choice}"
    );
    assert!(!choice.contains("matched by meaning"), "{choice}");
}

/// State names that mean a status or a sales region, a tax amount and a carrier are not sent
/// as an address or a tax ID; a Brazilian `Estado` beside `Cidade` and `CEP` still is.
#[test]
fn look_alike_columns_of_statuses_regions_amounts_and_carriers_are_left_out() {
    for (csv, expected, left_out) in [
        (
            "Nombre,Correo,Estado\nAna,ana@example.es,Activo\n",
            json!({"email": "ana@example.es", "billingPerson": {"name": "Ana"}}),
            "\"Estado\" (as often a status",
        ),
        (
            "Prénom,Nom,Courriel,État\nZoé,Roy,zoe@example.fr,Actif\n",
            json!({"email": "zoe@example.fr", "billingPerson": {"name": "Zoé Roy"}}),
            "\"État\" (as often a status",
        ),
        (
            "Account,Email,City,Region\nAcme,jo@example.com,London,EMEA\n",
            json!({"email": "jo@example.com", "billingPerson": {"city": "London"}}),
            "\"Region\" (as often a status or a sales region",
        ),
        (
            "Email,Order Total,VAT\njo@example.com,120.00,20.00\n",
            json!({"email": "jo@example.com"}),
            "",
        ),
        (
            "Email,Shipping Company,Shipping Street,Shipping City\n\
             jo@example.com,UPS,1 Main St,Leeds\n",
            json!({"email": "jo@example.com", "shippingAddresses": [
                {"street": "1 Main St", "city": "Leeds"}]}),
            "\"Shipping Company\" (a carrier or shipping method, not an address)",
        ),
        (
            "Nome,E-mail,Cidade,Estado,CEP\nJoão,joao@example.com.br,Recife,PE,50000-000\n",
            json!({"email": "joao@example.com.br", "billingPerson": {"name": "João",
                   "city": "Recife", "stateOrProvinceCode": "PE", "postalCode": "50000-000"}}),
            "",
        ),
    ] {
        let (body, choice) = first_body(csv, &Layout::default());
        assert_eq!(body, expected, "{csv}{choice}");
        assert!(choice.contains(left_out), "{csv}{choice}");
    }
}

/// A house number column is joined to the street after a space, street first, in German and
/// Dutch files; the log says so.
#[test]
fn house_numbers_are_joined_to_the_street() {
    for (csv, street, choice_line) in [
        (
            "Vorname,Nachname,E-Mail,Straße,Hausnummer,Adresszusatz,PLZ,Ort\n\
             Karl,Kraus,karl@example.de,Hauptstraße,12a,Hinterhaus,50667,Köln\n",
            "Hauptstraße 12a\nHinterhaus",
            "\"Straße\" + \"Hausnummer\" + \"Adresszusatz\" -> billingPerson.street (the house \
             number after the street, a space between; a line break before each further line)",
        ),
        (
            "Voornaam,Achternaam,E-mailadres,Straat,Huisnummer,Postcode,Plaats\n\
             Sanne,de Vries,sanne@example.nl,Damrak,1,1012 LG,Amsterdam\n",
            "Damrak 1",
            "\"Straat\" + \"Huisnummer\" -> billingPerson.street (the house number after the \
             street, a space between)",
        ),
    ] {
        let (body, choice) = first_body(csv, &Layout::default());
        assert_eq!(body["billingPerson"]["street"], street, "{choice}");
        assert!(choice.contains(choice_line), "{choice}");
    }
}

/// A Google Contacts export, read by meaning with no flags: the `... - Value` columns, the
/// numbered address, the full `Name` giving way to the given and family names.
#[test]
fn a_google_contacts_export_is_read_by_meaning() {
    let csv = "Name,Given Name,Family Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,\
               Phone 1 - Value,Address 1 - Street,Address 1 - City,Address 1 - Region,\
               Address 1 - Postal Code,Address 1 - Country,Organization Name\n\
               Ann Lee,Ann,Lee,* Home,ann@example.com,Mobile,+1 555 0100,1 Main St,Springfield,\
               IL,62701,United States,Lee Co\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body,
        json!({"email": "ann@example.com",
               "billingPerson": {"name": "Ann Lee", "street": "1 Main St", "city": "Springfield",
                  "stateOrProvinceCode": "IL", "postalCode": "62701", "countryCode": "US",
                  "phone": "+1 555 0100", "companyName": "Lee Co"}}),
        "{choice}"
    );
}

/// A list of UK businesses (`first_name`, ..., `phone1`, `phone2`, `email`, `web`): `web` is
/// the customer's website, a URL contact, not a column left out.
#[test]
fn a_web_column_is_the_customer_s_website() {
    let csv = "\"first_name\",\"last_name\",\"company_name\",\"phone1\",\"phone2\",\"email\",\"web\"\n\
               \"Ann\",\"Lee\",\"Lee Co\",\"01835-703597\",\"01944-369967\",\"ann@example.com\",\
               \"http://www.leeco.co.uk\"\n";
    let (body, choice) = first_body(csv, &Layout::default());
    assert_eq!(
        body["contacts"],
        json!([{"type": "PHONE", "contact": "01944-369967"},
               {"type": "URL", "contact": "http://www.leeco.co.uk"}]),
        "{choice}"
    );
}
