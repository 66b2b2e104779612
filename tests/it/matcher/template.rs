//! `template --mapping --from`: the matcher's choices printed as a mapping file that reads back
//! to the same requests, and a printed line deleted or moved is obeyed.

use assert_cmd::Command;
use ecwid_import::input::mapping::Layout;
use ecwid_import::input::presets::Preset;
use serde_json::json;

use super::*;
use crate::e2e::{start, store_args};
use crate::presets::{mapping, stored};
use crate::support::Workspace;

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
