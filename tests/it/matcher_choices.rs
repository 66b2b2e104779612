//! What the matcher leaves alone: a password hash in any form and by any mapping, the columns
//! a mapping file uses (and every column, with `match_by_meaning = false`), state names that
//! mean a status or a sales region, carriers and tax amounts; and house numbers joined to
//! their street.

use assert_cmd::Command;
use ecwid_import::input::mapping::Layout;
use ecwid_import::input::mapping_file::MappingFile;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::matcher::{assert_sent_without_hash, template_from};
use crate::presets::{map, mapping, stored};
use crate::support::Workspace;

/// The first row's request body and the run's choice, with no flags or with `layout`.
fn first_body(csv: &str, layout: &Layout) -> (Value, String) {
    let (map, choice, rows) = map(csv, layout).expect("header maps");
    let request = map.request(&rows[0]).expect("row is valid").request;
    (serde_json::to_value(request).unwrap(), choice.to_string())
}

/// A password hash is not sent in any of the forms hashes take (Django, LDAP schemes, base64
/// digests), and a mapping file cannot send one through `if_valid`: it is refused, with why.
#[test]
fn password_hashes_of_every_form_are_never_sent() {
    let csv = "email,password\n\
               a@example.com,pbkdf2_sha256$260000$0Rz1fq3bMJbFpcdm$3b5Lq0hJnTzq+9l7I0bP5y=\n\
               b@example.com,{SSHA}Y4HhJEdpNQbSlf9I8ZpzGsEj3hCv1Kxq\n\
               c@example.com,L/Rlwxzp4w7RWmEgXX+/A7cXaePEPcp+KwQhl2fJL7w=\n\
               d@example.com,sha1$a1976$a36cc8cbf81742a8fb52e221aaeab48ed7f58ab4\n\
               e@example.com,Tr0ub4dor&3\n";
    let (columns, _, rows) = map(csv, &Layout::default()).unwrap();
    assert_sent_without_hash(&columns, &rows[..4]);
    let plain = columns.request(&rows[4]).unwrap().request.password;
    assert_eq!(plain.as_deref(), Some("Tr0ub4dor&3"));
    let error = MappingFile::parse(
        std::path::Path::new("m.toml"),
        "[fields]\nemail = \"email\"\npassword = { column = \"password\", if_valid = true }\n",
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("fields.password"), "{error}");
    assert!(error.contains("password hash is never sent"), "{error}");
    // Joined columns end in the password field too: the joined value is checked.
    let joined = mapping(
        "[fields]\nemail = \"email\"\n\
         password = { columns = [\"scheme\", \"rest\"], separator = \"$\" }\n",
    );
    let layout = Layout {
        preset: None,
        mapping: Some(joined),
    };
    let (body, _) = first_body(
        "email,scheme,rest\na@example.com,$P,BZ1a9mD3bq9ccf7Qe1qSz.f4y1Hk0s/\n",
        &layout,
    );
    assert_eq!(body, json!({"email": "a@example.com"}));
}

/// The printed mapping says the matcher is off, and a line deleted from it is a field not
/// sent; a column moved to another field is sent there only.
#[tokio::test]
async fn a_printed_mapping_line_deleted_or_moved_is_obeyed() {
    let csv = "Nome,E-mail,Endereço,Cidade,Estado,CEP,País\n\
               João,joao@example.com.br,Rua Augusta 10,São Paulo,SP,01305-000,Brasil\n";
    let ws = Workspace::new(csv);
    let text = template_from(&ws.input);
    assert!(text.contains("\nmatch_by_meaning = false\n"), "{text}");
    assert!(
        text.contains("a line deleted here is a column not imported"),
        "{text}"
    );
    let state_line =
        "\"billingPerson.stateOrProvinceCode\" = { column = \"Estado\", code_or_name = true }\n";
    assert!(text.contains(state_line), "{text}");
    let deleted = text.replace(state_line, "");
    let moved = text.replace(
        "\"billingPerson.countryCode\" = {",
        "\"shippingAddresses.0.countryCode\" = {",
    );
    assert_ne!(moved, text);
    for (i, (edited, billing, shipping)) in [
        (
            &deleted,
            json!({"name": "João", "street": "Rua Augusta 10", "city": "São Paulo",
                   "postalCode": "01305-000", "countryCode": "BR"}),
            None,
        ),
        (
            &moved,
            json!({"name": "João", "street": "Rua Augusta 10", "city": "São Paulo",
                   "postalCode": "01305-000", "stateOrProvinceCode": "SP"}),
            Some(json!({"countryCode": "BR"})),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let store = start(store_args()).await;
        let file = ws.dir.path().join(format!("m{i}.toml"));
        std::fs::write(&file, edited).unwrap();
        let email = "joao@example.com.br";
        let code = ws
            .import(&store.api_url(), &["--mapping", file.to_str().unwrap()])
            .await;
        assert_eq!(code, 0);
        let customer = stored(&store, email);
        let mut got = customer["billingPerson"].clone();
        got.as_object_mut().unwrap().retain(|_, v| !v.is_null());
        assert_eq!(got, billing, "{edited}");
        let ship = customer["shippingAddresses"]
            .get(0)
            .map(|a| json!({"countryCode": a["countryCode"]}));
        assert_eq!(ship, shipping, "{edited}");
        store.shutdown().await;
    }
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

/// `template --help` says what `--from` prints: a line per field, then comments.
#[test]
fn template_help_says_what_from_prints() {
    let output = Command::cargo_bin("ecwid-import")
        .unwrap()
        .args(["template", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap().replace('\n', " ");
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("one line per field the run would fill"),
        "{help}"
    );
    assert!(!help.contains("unsure"), "{help}");
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
