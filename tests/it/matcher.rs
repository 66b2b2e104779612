//! Columns matched by meaning: headers in seven languages imported with no flags, the choices
//! stated in the log, password hashes never sent, real files of no known export, and the
//! round trip of `template --mapping --from` through `--mapping`.

use std::path::Path;

use assert_cmd::Command;
use csv::ByteRecord;
use ecwid_import::input::mapping::{ColumnMap, Layout};
use ecwid_import::input::presets::Preset;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::presets::{map, mapping, stored};
use crate::support::Workspace;

/// Every row of a CSV text mapped with no flags: the request bodies, and the run's choice.
fn bodies(csv: &str, layout: &Layout) -> (Vec<Value>, String) {
    let (map, choice, rows) = map(csv, layout).expect("header maps");
    let bodies = rows
        .iter()
        .map(|row| serde_json::to_value(map.request(row).expect("row is valid").request).unwrap())
        .collect();
    (bodies, choice.to_string())
}

/// `ecwid-import template --mapping --from <input>`: what it prints, after checking it ran.
pub(crate) fn template_from(input: &Path) -> String {
    let output = Command::cargo_bin("ecwid-import")
        .unwrap()
        .args(["template", "--mapping", "--from"])
        .arg(input)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Each of `rows` is sent without its password, with a note that it looked like a hash.
pub(crate) fn assert_sent_without_hash(columns: &ColumnMap, rows: &[ByteRecord]) {
    for row in rows {
        let mapped = columns.request(row).unwrap();
        assert_eq!(mapped.request.password, None);
        assert!(
            mapped.notes[0].contains("password hash"),
            "{:?}",
            mapped.notes
        );
    }
}

/// One small file per language, each with its own spellings, imported into the sandbox with
/// no flags: the stored customers are exactly the request bodies.
#[tokio::test]
async fn headers_in_seven_languages_import_with_no_flags() {
    let files = [
        (
            "German",
            "Vorname,Name,E-Mail-Adresse,Straße,Adresszusatz,PLZ,Ort,Bundesland,Land,Telefon,Handy,Firma,USt-IdNr.\n\
             Karl,Kraus,karl@example.de,Hauptstr. 1,Hinterhaus,50667,Köln,NRW,Deutschland,0221 1,0170 2,Kraus GmbH,DE123\n",
            json!({"email": "karl@example.de", "taxId": "DE123",
                   "billingPerson": {"name": "Karl Kraus", "street": "Hauptstr. 1\nHinterhaus",
                      "postalCode": "50667", "city": "Köln", "stateOrProvinceCode": "NRW",
                      "countryCode": "DE", "phone": "0221 1", "companyName": "Kraus GmbH"},
                   "contacts": [{"type": "PHONE", "contact": "0170 2"}]}),
        ),
        (
            "French",
            "Prénom,Nom,Courriel,Adresse,Code postal,Ville,Région,Pays,Téléphone,Société\n\
             Zoé,Lefèvre,zoe@example.fr,3 rue de la Paix,75002,Paris,Île-de-France,France,01 23,Lefèvre SA\n",
            json!({"email": "zoe@example.fr",
                   "billingPerson": {"name": "Zoé Lefèvre", "street": "3 rue de la Paix",
                      "postalCode": "75002", "city": "Paris",
                      "stateOrProvinceName": "Île-de-France", "countryCode": "FR",
                      "phone": "01 23", "companyName": "Lefèvre SA"}}),
        ),
        (
            "Spanish",
            "Nombre,Apellidos,Correo electrónico,Dirección,Código postal,Ciudad,Provincia,País,Teléfono,Empresa,Notas\n\
             Ana,García López,ana@example.es,Calle Mayor 5,28013,Madrid,Madrid,España,91 1,Ana SL,VIP\n",
            json!({"email": "ana@example.es", "privateAdminNotes": "VIP",
                   "billingPerson": {"name": "Ana García López", "street": "Calle Mayor 5",
                      "postalCode": "28013", "city": "Madrid", "stateOrProvinceName": "Madrid",
                      "countryCode": "ES", "phone": "91 1", "companyName": "Ana SL"}}),
        ),
        (
            "Italian",
            "Nome,Cognome,Email,Indirizzo,CAP,Città,Provincia,Paese,Cellulare,Azienda,Partita IVA,Codice fiscale\n\
             Luca,Bianchi,luca@example.it,Via Roma 1,00184,Roma,RM,Italia,333 1,Bianchi Srl,IT01,BNCLCU\n",
            json!({"email": "luca@example.it", "taxId": "IT01", "fiscalCode": "BNCLCU",
                   "billingPerson": {"name": "Luca Bianchi", "street": "Via Roma 1",
                      "postalCode": "00184", "city": "Roma", "stateOrProvinceCode": "RM",
                      "countryCode": "IT", "phone": "333 1", "companyName": "Bianchi Srl"}}),
        ),
        (
            "Dutch",
            "Voornaam,Achternaam,E-mailadres,Straat,Postcode,Woonplaats,Provincie,Land,Telefoonnummer,Bedrijfsnaam,Nieuwsbrief\n\
             Sanne,de Vries,sanne@example.nl,Damrak 1,1012 LG,Amsterdam,Noord-Holland,Nederland,020 1,Vries BV,yes\n",
            json!({"email": "sanne@example.nl", "acceptMarketing": true,
                   "billingPerson": {"name": "Sanne de Vries", "street": "Damrak 1",
                      "postalCode": "1012 LG", "city": "Amsterdam",
                      "stateOrProvinceName": "Noord-Holland", "countryCode": "NL",
                      "phone": "020 1", "companyName": "Vries BV"}}),
        ),
        (
            "Portuguese",
            "Nome,Sobrenome,E-mail,Endereço,CEP,Cidade,Estado,País,Telefone,Celular\n\
             João,Silva,joao@example.com.br,Rua Augusta 10,01305-000,São Paulo,SP,Brasil,11 1,11 9\n",
            json!({"email": "joao@example.com.br",
                   "billingPerson": {"name": "João Silva", "street": "Rua Augusta 10",
                      "postalCode": "01305-000", "city": "São Paulo",
                      "stateOrProvinceCode": "SP", "countryCode": "BR", "phone": "11 1"},
                   "contacts": [{"type": "PHONE", "contact": "11 9"}]}),
        ),
        (
            "English",
            "FirstName,LastName,EmailAddress,Address Line 1,Address Line 2,Town,County,Postcode,Country,Mobile,Phone,Accepts Marketing,Shipping Address,Shipping City,Shipping Country\n\
             Amy,Pond,amy@example.co.uk,1 High St,Flat 2,Leadworth,Gloucestershire,GL1 1AA,UK,07700 1,01452 1,no,2 Low St,Gloucester,United Kingdom\n",
            json!({"email": "amy@example.co.uk", "acceptMarketing": false,
                   "billingPerson": {"name": "Amy Pond", "street": "1 High St\nFlat 2",
                      "city": "Leadworth", "stateOrProvinceName": "Gloucestershire",
                      "postalCode": "GL1 1AA", "countryCode": "GB", "phone": "01452 1"},
                   "shippingAddresses": [{"street": "2 Low St", "city": "Gloucester",
                      "countryCode": "GB"}],
                   "contacts": [{"type": "PHONE", "contact": "07700 1"}]}),
        ),
    ];
    let store = start(store_args()).await;
    for (language, csv, expected) in files {
        let (bodies, choice) = bodies(csv, &Layout::default());
        assert!(
            choice.contains("matched by meaning"),
            "{language}: {choice}"
        );
        assert_eq!(bodies[0], expected, "{language}");
        let ws = Workspace::new(csv);
        assert_eq!(ws.import(&store.api_url(), &[]).await, 0, "{language}");
        let email = expected["email"].as_str().unwrap();
        let mut customer = stored(&store, email);
        for key in [
            "id",
            "registered",
            "updated",
            "customerGroupId",
            "customerGroupName",
        ] {
            customer.as_object_mut().unwrap().remove(key);
        }
        for (key, value) in expected.as_object().unwrap() {
            let mut stored_value = customer[key].clone();
            if key == "contacts" {
                // The store adds the EMAIL contact it makes from the email.
                stored_value = json!(
                    stored_value
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|c| c["type"] != "EMAIL" || c["contact"] != email)
                        .map(|c| json!({"type": c["type"], "contact": c["contact"]}))
                        .collect::<Vec<_>>()
                );
            }
            assert_eq!(&stored_value, value, "{language}: {key}");
        }
    }
    store.shutdown().await;
}

/// Consent is read from yes and no in any language, and never guessed from other answers.
#[test]
fn consent_is_yes_or_no_in_any_language_and_never_guessed() {
    let csv = "E-Mail,Newsletter\n\
               a@example.de,ja\n\
               b@example.fr,Non\n\
               c@example.es,sí\n\
               d@example.de,vielleicht\n\
               e@example.de,\n";
    let (map, _, rows) = map(csv, &Layout::default()).unwrap();
    let consent: Vec<Option<bool>> = rows
        .iter()
        .map(|r| map.request(r).unwrap().request.accept_marketing)
        .collect();
    assert_eq!(consent, [Some(true), Some(false), Some(true), None, None]);
    let notes = map.request(&rows[3]).unwrap().notes;
    assert!(
        notes[0].starts_with("Newsletter \"vielleicht\" not sent: not a yes or no"),
        "{notes:?}"
    );
    assert!(map.request(&rows[4]).unwrap().notes.is_empty());
}

/// A language column takes codes; a language name is left out with a note, and the row is sent.
#[test]
fn a_language_column_sends_codes_and_leaves_names_out() {
    let csv = "Courriel,Langue\na@example.fr,fr\nb@example.fr,Français\n";
    let (map, choice, rows) = map(csv, &Layout::default()).unwrap();
    assert!(
        choice.to_string().contains("\"Langue\" -> lang"),
        "{choice}"
    );
    assert_eq!(
        map.request(&rows[0]).unwrap().request.lang.as_deref(),
        Some("fr")
    );
    let second = map.request(&rows[1]).unwrap();
    assert_eq!(second.request.lang, None);
    assert!(
        second.notes[0].starts_with("Langue \"Français\" not sent: "),
        "{:?}",
        second.notes
    );
}

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

/// A password hash is never sent: not from a column matched by meaning, nor from a
/// `password` column of any preset; a plain password still is.
#[test]
fn password_hashes_are_never_sent() {
    let (requests, choice) = bodies(
        "EmailAddress,PasswordHash,user_pass\nann@example.com,L/Rlwxzp4w7RW=,$P$BZ1a9mD3bq9ccf7Qe1q\n",
        &Layout::default(),
    );
    assert_eq!(requests[0], json!({"email": "ann@example.com"}));
    assert!(
        choice.contains("\"PasswordHash\" (a password or its hash"),
        "{choice}"
    );
    let csv = "email,password\n\
               a@example.com,$2y$10$abcdefghijklmnopqrstuv\n\
               b@example.com,6a9c9bfb2ba88a6ad2a64e7402df44a763e0c48cd21d7af9e7e796cd4677ee28:RF\n\
               c@example.com,correct horse\n";
    let (columns, _, rows) = map(csv, &Layout::default()).unwrap();
    assert_sent_without_hash(&columns, &rows[..2]);
    assert_eq!(
        columns
            .request(&rows[2])
            .unwrap()
            .request
            .password
            .as_deref(),
        Some("correct horse")
    );
    let mapped = mapping("[fields]\nemail = \"email\"\npassword = \"password\"\n");
    let layout = Layout {
        preset: Some(Preset::Shopify),
        mapping: Some(mapped),
    };
    let (columns, _, rows) = map(csv, &layout).unwrap();
    assert_eq!(columns.request(&rows[0]).unwrap().request.password, None);
}

/// `template --mapping --from FILE` prints the matcher's choices as a mapping file which,
/// read back with `--mapping` (and no matcher: `--preset ecwid`), gives the same requests.
#[test]
fn template_mapping_from_a_file_reads_back_to_the_same_requests() {
    let dir = tempfile::tempdir().unwrap();
    for (i, csv) in [
        "Vorname,Name,E-Mail,Straße,Adresszusatz,PLZ,Ort,Land,Bundesland,Telefon,Handy,Mobil,Fax\n\
         Karl,Kraus,karl@example.de,Hauptstr. 1,Hinterhaus,50667,Köln,Deutschland,NRW,0221 1,0170 2,0171 3,x\n\
         Eva,,eva@example.at,Ring 2,,1010,Wien,AT,Wien,,,,\n",
        "email,name,First Name,Phone1,Phone2,Email 2,Shipping Address 1,Shipping Address 2,Ship City,Ship Country,Newsletter,Language\n\
         amy@example.com,Pond,Amy,1,2,amy@work.example,1 Low St,Flat 3,Leeds,UK,yes,English\n\
         rory@example.com,Williams,Rory,,,,,,,,nope,en\n",
        "ListID,FirstName,LastName,CompanyName,Email,BillAddr1,BillAddr2,BillCity,BillState,ShipAddr1,ShipCity,ShipState,Notes\n\
         1,Jo,Ng,Ng Inc,jo@example.com,1 A St,Suite 2,Miami,FL,2 B St,Tampa,Florida,hi\n",
        "E-Mail,Straße,Hausnummer,Adresszusatz,PLZ,Ort\n\
         karl@example.de,Hauptstraße,12a,Hinterhaus,50667,Köln\n\
         eva@example.de,Ring,,Hof 2,1010,Wien\n",
    ]
    .into_iter()
    .enumerate()
    {
        let input = dir.path().join(format!("f{i}.csv"));
        std::fs::write(&input, csv).unwrap();
        let text = template_from(&input);
        let (matched, _) = bodies(csv, &Layout::default());
        for preset in [Some(Preset::Ecwid), None] {
            let layout = Layout {
                preset,
                mapping: Some(mapping(&text)),
            };
            let (read_back, choice) = bodies(csv, &layout);
            assert_eq!(read_back, matched, "{text}\n{choice}");
        }
    }
}

/// A line of the printed mapping is all it takes to change a choice.
#[test]
fn a_printed_mapping_is_fixed_by_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("k.csv");
    std::fs::write(&input, "Email,Stadt,Ort\nann@example.com,Bonn,Beuel\n").unwrap();
    let text = template_from(&input);
    assert!(
        text.contains("\"billingPerson.city\" = \"Ort\"\n"),
        "{text}"
    );
    let comment = "# \"billingPerson.city\" = \"Stadt\"   # billingPerson.city comes from \"Ort\"";
    assert!(text.contains(comment), "{text}");
    let fixed = text.replace(
        "\"billingPerson.city\" = \"Ort\"\n",
        "\"billingPerson.city\" = \"Stadt\"\n",
    );
    let layout = Layout {
        preset: None,
        mapping: Some(mapping(&fixed)),
    };
    let (bodies, _) = bodies("Email,Stadt,Ort\nann@example.com,Bonn,Beuel\n", &layout);
    assert_eq!(bodies[0]["billingPerson"]["city"], "Bonn");
}

/// `--from` says so for a file of a known export, asks for the email when no column holds it,
/// and needs `--mapping`.
#[test]
fn template_mapping_from_a_preset_file_or_without_email() {
    let dir = tempfile::tempdir().unwrap();
    let template = |csv: &str| {
        let input = dir.path().join("t.csv");
        std::fs::write(&input, csv).unwrap();
        template_from(&input)
    };
    let shopify = template("First Name,Email,Address1,Accepts Marketing\nA,a@b.co,x,no\n");
    assert!(shopify.contains("preset shopify (detected"), "{shopify}");
    let no_email = template("Vorname,Ort\nAnn,Bonn\n");
    assert!(no_email.contains("# email = \"?\""), "{no_email}");
    assert!(
        no_email.contains("\"billingPerson.city\" = \"Ort\""),
        "{no_email}"
    );
    Command::cargo_bin("ecwid-import")
        .unwrap()
        .args(["template", "--from", "t.csv"])
        .assert()
        .code(2);
}

/// Square's customer export (its documented columns): `Email Subscription Status` is consent
/// read as a word (`subscribed` yes, `unsubscribed` no, `pending` neither: left out with a
/// note, so a created customer gets `false`), and `Memo` is the note.
#[test]
fn square_subscription_words_and_memo() {
    let csv = "Reference ID,First Name,Last Name,Email Address,Phone Number,Nickname,Company Name,\
               Street Address 1,Street Address 2,City,State,Postal Code,Birthday,Memo,\
               Square Customer ID,Creation Source,First Visit,Last Visit,Transaction Count,\
               Total Spend,Email Subscription Status,Instant Profile\n\
               R1,Mia,Chen,mia@example.com,+1 415 555 0100,,Chen Co,1 Market St,Suite 2,\
               San Francisco,CA,94105,,Prefers pickup,SQ1,Directory,2024-01-01,2024-02-01,3,\
               120.00,subscribed,No\n\
               R2,Leo,Park,leo@example.com,,,,,,,,,,,SQ2,Directory,,,0,0.00,unsubscribed,No\n\
               R3,Ivy,Ng,ivy@example.com,,,,,,,,,,,SQ3,Directory,,,0,0.00,pending,No\n";
    let (map, _, rows) = map(csv, &Layout::default()).expect("header maps");
    let mapped: Vec<_> = rows.iter().map(|r| map.request(r).unwrap()).collect();
    let body = |i: usize| serde_json::to_value(&mapped[i].request).unwrap();
    assert_eq!(body(0)["acceptMarketing"], true);
    assert_eq!(body(0)["privateAdminNotes"], "Prefers pickup");
    assert_eq!(body(0)["billingPerson"]["street"], "1 Market St\nSuite 2");
    assert_eq!(body(1)["acceptMarketing"], false);
    assert_eq!(body(2).get("acceptMarketing"), None);
    assert!(
        mapped[2]
            .notes
            .iter()
            .any(|n| n.contains("\"pending\" not sent")),
        "{:?}",
        mapped[2].notes
    );
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
