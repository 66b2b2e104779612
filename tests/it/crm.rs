//! CRM exports with associated records (`tests/data/crm/`, written in the platforms' layouts):
//! the columns after an association marker are the associated record's, and a header that is
//! truly ambiguous is refused naming every repeated pair at once.

use std::path::{Path, PathBuf};

use ecwid_import::input::mapping::Layout;
use ecwid_import::input::presets::Preset;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::presets::{map, run, stored};
use crate::support::{Workspace, column};

pub(crate) fn read(name: &str) -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/crm")
        .join(name);
    std::fs::read_to_string(path).expect("sample readable")
}

pub(crate) async fn import(csv: &str, extra: &[&str]) -> (i32, Vec<String>, Vec<Value>) {
    let store = start(store_args()).await;
    let ws = Workspace::new(csv);
    let code = ws.import(&store.api_url(), extra).await;
    let results = ws.results();
    let bodies = results
        .iter()
        .map(|r| match r["status"].as_str() {
            "created" => stored(&store, &r["email"]),
            _ => Value::Null,
        })
        .collect();
    store.shutdown().await;
    (code, column(&results, "status"), bodies)
}

/// HubSpot's contacts with the associated company after `Record ID - Company`, under the same
/// labels: detected as HubSpot by `Record ID - Contact`, imported (not refused); the contact's
/// own columns win; the company's name fills the company where the contact has none; the
/// company's phone, city and country never land in the person's fields. `Mobile Phone Number`
/// beside another phone is a PHONE contact.
#[tokio::test]
async fn hubspot_contacts_with_their_company_are_read_as_the_contacts() {
    let csv = read("hubspot-contacts-with-company.csv");
    let (_, choice, _) = map(&csv, &Layout::default()).unwrap();
    assert_eq!(choice.preset, Preset::HubSpot);
    let (code, statuses, bodies) = import(&csv, &[]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "created"]);
    let ada = &bodies[0];
    assert_eq!(
        ada["billingPerson"],
        json!({
            "name": "Ada Byron",
            "companyName": "Analytical Engines Ltd",
            "city": "London",
            "countryCode": "GB",
            "phone": "+44 20 7946 0000",
        })
    );
    assert_eq!(
        ada["contacts"],
        json!([{"type": "PHONE", "contact": "+44 7700 900123"}])
    );
    let bo = &bodies[1];
    assert_eq!(
        bo["billingPerson"],
        json!({"name": "Bo Chen", "companyName": "Chen Design"})
    );
    assert_eq!(bo.get("contacts"), None);
}

/// A mobile alone is the contact's phone, not also a contact.
#[test]
fn a_mobile_alone_is_the_phone() {
    let csv =
        "Record ID,Email,Create Date,Mobile Phone Number\n1,a@example.com,2024-01-01,+1 555 0100\n";
    let (map, _, rows) = map(csv, &Layout::default()).unwrap();
    let body = serde_json::to_value(map.request(&rows[0]).unwrap().request).unwrap();
    assert_eq!(body["billingPerson"]["phone"], "+1 555 0100");
    assert_eq!(body.get("contacts"), None);
}

/// Salesforce's contacts with their account after `Account ID`, matched by meaning: the
/// mailing address is the person's; the account's name is the company; its phone, city and
/// country are not the person's.
#[tokio::test]
async fn salesforce_contacts_with_their_account_keep_the_account_apart() {
    let (code, _, bodies) = import(&read("salesforce-contacts-with-account.csv"), &[]).await;
    assert_eq!(code, 0);
    assert_eq!(
        bodies[0]["billingPerson"],
        json!({
            "name": "Ines Moreau",
            "companyName": "Moreau Conseil SARL",
            "city": "Lyon",
            "countryCode": "FR",
            "phone": "+33 1 40 00 00 00",
        })
    );
    assert_eq!(
        bodies[1]["billingPerson"],
        json!({"name": "Omar Haddad", "companyName": "Haddad Trading"})
    );
}

/// Names repeated within the person's own columns are truly ambiguous: refused (exit 2) with
/// every repeated pair in one message, each with the mapping-file line that picks one; that
/// line in a mapping file imports the file.
#[tokio::test]
async fn an_ambiguous_header_names_every_pair_with_its_resolution() {
    let csv =
        "Email,Phone,City,phone,Name,CITY\na@example.com,+1 555 0100,Boston,+1 555 0199,Al,Salem\n";
    let ws = Workspace::new(csv);
    let (code, message) = run(&["validate", ws.input.to_str().unwrap()]).await;
    assert_eq!(code, 2);
    assert!(
        message.contains(
            "\"Phone\" (column 2) and \"phone\" (column 4): `billingPerson.phone = \"Phone#1\"` \
             takes the first, `\"Phone#2\"` the other"
        ),
        "{message}"
    );
    assert!(
        message.contains(
            "\"City\" (column 3) and \"CITY\" (column 6): `billingPerson.city = \"City#1\"`"
        ),
        "{message}"
    );
    let mapping = ws.dir.path().join("m.toml");
    std::fs::write(
        &mapping,
        "[fields]\n\"billingPerson.phone\" = \"Phone#2\"\n\"billingPerson.city\" = \"City#1\"\n",
    )
    .unwrap();
    let (code, statuses, bodies) = import(csv, &["--mapping", mapping.to_str().unwrap()]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created"]);
    assert_eq!(bodies[0]["billingPerson"]["phone"], "+1 555 0199");
    assert_eq!(bodies[0]["billingPerson"]["city"], "Boston");
}

/// A row the file marks as a company (Odoo's `Is a Company`), or whose name is a company's
/// (`Deco Addict SA`), fills the company, not the person's name; a person's row keeps its
/// name and its related company; a surname that is also a legal form (`Sá`) is a person's.
#[tokio::test]
async fn a_company_is_a_company() {
    let (code, statuses, bodies) = import(&read("odoo-contacts.csv"), &[]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created"; 4]);
    let azure = &bodies[0]["billingPerson"];
    assert_eq!(azure["companyName"], "Azure Interior");
    assert_eq!(azure.get("name"), None, "{azure}");
    assert_eq!(azure["city"], "Fremont");
    let brandon = &bodies[1]["billingPerson"];
    assert_eq!(brandon["name"], "Brandon Freeman");
    assert_eq!(brandon["companyName"], "Azure Interior");
    let deco = &bodies[2]["billingPerson"];
    assert_eq!(deco["companyName"], "Deco Addict SA");
    assert_eq!(deco.get("name"), None, "{deco}");
    assert_eq!(bodies[3]["billingPerson"]["name"], "Ana Sá");
}

/// Odoo's contacts exported with `Display Name` and `Company Type`: the company's row is the
/// company's; a person's display name, written after its company's (`Deco Addict, Addison
/// Olson`), is the person's own name; a state written with its country's code in brackets
/// (`California (US)`) is the state's name.
#[tokio::test]
async fn odoo_display_names_and_states_are_read_as_a_person_would() {
    let (code, statuses, bodies) = import(&read("odoo-contacts-display-name.csv"), &[]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created"; 2]);
    let company = &bodies[0]["billingPerson"];
    assert_eq!(company["companyName"], "Deco Addict");
    assert_eq!(company.get("name"), None, "{company}");
    assert_eq!(company["stateOrProvinceName"], "California");
    assert_eq!(bodies[0]["taxId"], "US12345677");
    let person = &bodies[1]["billingPerson"];
    assert_eq!(person["name"], "Addison Olson");
    assert_eq!(person["companyName"], "Deco Addict");
    assert_eq!(person["stateOrProvinceName"], "California");
}

/// A CRM's record type says which rows are companies: `Company` is one, `Person` is not.
#[test]
fn a_record_type_marks_the_company_rows() {
    let csv = "Email,Full Name,Record Type\n\
               a@example.com,Globex,Company\n\
               b@example.com,Hank Scorpio,Person\n";
    let (map, _, rows) = map(csv, &Layout::default()).unwrap();
    assert!(!map.not_imported().contains(&"Record Type".to_string()));
    let body = |i: usize| serde_json::to_value(map.request(&rows[i]).unwrap().request).unwrap();
    assert_eq!(body(0)["billingPerson"], json!({"companyName": "Globex"}));
    assert_eq!(body(1)["billingPerson"], json!({"name": "Hank Scorpio"}));
}

/// Pipedrive's people with their organization (every column named after its record): the
/// person's own columns are read by their labels (name, typed phones, postal address parts,
/// marketing status), the organization's only for its name, never its phone or address. A
/// mobile beside a work phone is a PHONE contact; a home phone alone is the phone.
#[tokio::test]
async fn pipedrive_people_with_their_organization_keep_it_apart() {
    let (code, statuses, bodies) =
        import(&read("pipedrive-people-with-organization.csv"), &[]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "created"]);
    let ada = &bodies[0];
    assert_eq!(
        ada["billingPerson"],
        json!({
            "name": "Ada Byron",
            "companyName": "Analytical Engines Ltd",
            "street": "Queen St 12",
            "city": "London",
            "postalCode": "W1A 1AA",
            "countryCode": "GB",
            "phone": "+44 20 7946 0000",
        })
    );
    assert_eq!(ada["acceptMarketing"], true);
    assert!(
        ada["contacts"]
            .as_array()
            .unwrap()
            .contains(&json!({"type": "PHONE", "contact": "+44 7700 900123"})),
        "{ada}"
    );
    let bo = &bodies[1];
    // Only a home phone: it is her phone (tests/it/phones.rs).
    assert_eq!(
        bo["billingPerson"],
        json!({"name": "Bo Chen", "phone": "+1 555 0100"})
    );
    assert_eq!(bo.get("contacts"), None, "{bo}");
    assert_eq!(bo["acceptMarketing"], false);
}

/// Zoho CRM's contacts (`Record Id`, lookups as `X.id` beside `X`): not taken for HubSpot's
/// (which shares `Record Id` and `Contact Owner`), read by meaning: the mailing address, the
/// account's name as the company, further phones and emails as contacts; the owner, creator
/// and vendor (the lookups' names) and `Email Opt Out` are not the person's.
#[tokio::test]
async fn zoho_contacts_are_read_as_the_contacts() {
    let csv = read("zoho-contacts.csv");
    let (_, choice, _) = map(&csv, &Layout::default()).unwrap();
    assert_eq!(choice.preset, Preset::Ecwid);
    let (code, statuses, bodies) = import(&csv, &[]).await;
    assert_eq!(code, 0);
    assert_eq!(statuses, ["created", "created"]);
    let ines = &bodies[0];
    assert_eq!(
        ines["billingPerson"],
        json!({
            "name": "Ines Moreau",
            "companyName": "Moreau Conseil SARL",
            "street": "12 Rue de la Paix",
            "city": "Paris",
            "postalCode": "75002",
            "countryCode": "FR",
            "phone": "+33 1 40 00 00 00",
        })
    );
    let contacts: Vec<&str> = ines["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["contact"].as_str().unwrap())
        .collect();
    assert_eq!(contacts, ["ines.perso@example.com", "+33 6 00 00 00 00"]);
    assert_eq!(
        bodies[1]["billingPerson"],
        json!({"name": "Omar Haddad", "companyName": "Haddad Trading"})
    );
    assert_eq!(bodies[1]["acceptMarketing"], false);
}

/// The columns no field takes are named as the run reads them: the company's `Phone Number`
/// and `City` as the company's (`Company: City`), never so that the contact's own, which are
/// imported, look left out.
#[test]
fn the_company_columns_not_imported_are_named_as_the_company_s() {
    let (map, _, _) = map(
        &read("hubspot-contacts-with-company.csv"),
        &Layout::default(),
    )
    .unwrap();
    let not_imported = map.not_imported();
    for column in [
        "Company: Phone Number",
        "Company: City",
        "Company: Country/Region",
    ] {
        assert!(
            not_imported.contains(&column.to_string()),
            "{column} in {not_imported:?}"
        );
    }
    for column in ["Phone Number", "City", "Country/Region"] {
        assert!(
            !not_imported.contains(&column.to_string()),
            "{column} in {not_imported:?}"
        );
    }
}
