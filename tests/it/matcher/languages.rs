//! Headers, consent and language values in the languages the matcher knows, with no flags.

use ecwid_import::input::mapping::Layout;
use serde_json::json;

use super::*;
use crate::e2e::{start, store_args};
use crate::presets::{map, stored};
use crate::support::Workspace;

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
