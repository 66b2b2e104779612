//! `--mapping` files and the header errors as the user meets them: joins, constants and
//! overrides of a preset, every mistake in a mapping file, duplicate names, no email column,
//! and the starter file of `template --mapping`.

use ecwid_import::input::mapping::Layout;
use ecwid_import::input::presets::Preset;
use serde_json::json;

use crate::e2e::{start, store_args};
use crate::presets::{map, mapping, read_sample, run, sample, stored};
use crate::support::Workspace;

/// A mapping joins columns, sets constants and replaces the preset's fields it names only.
#[test]
fn mapping_joins_sets_constants_and_overrides_the_preset() {
    let layout = Layout {
        preset: None,
        mapping: Some(mapping(
            "[fields]\n\
             \"billingPerson.name\" = { columns = [\"Last Name\", \"First Name\"], separator = \", \" }\n\
             billingPerson.countryCode = { value = \"at\" }\n\
             lang = { value = \"de\" }\n\
             \"contacts.0.contact\" = \"Tags\"\n\
             \"contacts.0.type\" = { value = \"other\" }\n",
        )),
    };
    let (map, choice, rows) = map(&read_sample("shopify-current.csv"), &layout).unwrap();
    assert_eq!(choice.preset, Preset::Shopify);
    assert!(choice.to_string().ends_with(
        "; from the mapping file: billingPerson.name, billingPerson.countryCode, lang, contacts.0.contact, contacts.0.type"
    ));
    assert!(!map.not_imported().contains(&"Tags".to_string()));
    let body = serde_json::to_value(map.request(&rows[0]).unwrap().request).unwrap();
    assert_eq!(body["billingPerson"]["name"], "Müller-Lüdenscheidt, Zoë");
    assert_eq!(body["billingPerson"]["countryCode"], "AT");
    assert_eq!(body["billingPerson"]["city"], "Stuttgart");
    assert_eq!(body["lang"], "de");
    assert_eq!(body["contacts"][0]["contact"], "vip, wholesale");
}

/// A file no preset knows imports through a mapping file given on the command line.
#[tokio::test]
async fn mapping_file_imports_a_file_no_preset_knows() {
    let ws =
        Workspace::new("E-Mail-Adresse;Vorname;Nachname;Ort\nkarl@example.de;Karl;Kraus;Köln\n");
    let file = ws.dir.path().join("mapping.toml");
    std::fs::write(
        &file,
        "[fields]\nemail = \"e-mail-adresse\"\n\
         name = { columns = [\"Vorname\", \"Nachname\"] }\n\
         \"billingPerson.city\" = \"Ort\"\n\"billingPerson.countryCode\" = { value = \"DE\" }\n",
    )
    .unwrap();
    let store = start(store_args()).await;
    let code = ws
        .import(&store.api_url(), &["--mapping", file.to_str().unwrap()])
        .await;
    assert_eq!(code, 0);
    assert_eq!(
        stored(&store, "karl@example.de")["billingPerson"],
        json!({"name": "Karl Kraus", "city": "Köln", "countryCode": "DE"})
    );
    store.shutdown().await;
}

/// Each mistake in a mapping file exits 2 naming the file, the key and the fix.
#[tokio::test]
async fn mapping_file_errors_exit_2_with_file_key_and_fix() {
    let ws = Workspace::new("Mail,Stadt\nann@example.com,Bonn\n");
    for (text, says) in [
        (
            "[fields]\nemail = \"Mail\"\n\"billingPerson.town\" = \"Stadt\"\n",
            "key \"fields.billingPerson.town\": not an Ecwid field path",
        ),
        (
            "[fields]\nemail = \"E-Mail\"\n",
            "key \"fields.email\": the header has no column \"E-Mail\" (it has \"Mail\", \"Stadt\")",
        ),
        ("[fields]\nemail = \"Mail\n", "is not valid TOML"),
        (
            "[fields]\nemail = \"Mail\"\ncity = \"Stadt\"\n",
            "key \"fields.city\"",
        ),
    ] {
        let file = ws.dir.path().join("bad.toml");
        std::fs::write(&file, text).unwrap();
        let input = ws.input.to_str().unwrap();
        let (code, message) = run(&["validate", input, "--mapping", file.to_str().unwrap()]).await;
        assert_eq!(code, 2, "{text}");
        assert!(message.contains("bad.toml"), "{message}");
        assert!(message.contains(says), "{text}: {message}");
        assert!(
            !ws.output().exists(),
            "{text}: no results after a usage error"
        );
    }
    let missing = ws.dir.path().join("missing.toml");
    let input = ws.input.to_str().unwrap();
    let (code, message) = run(&["validate", input, "--mapping", missing.to_str().unwrap()]).await;
    assert_eq!(code, 2);
    assert!(
        message.contains("cannot read the mapping file"),
        "{message}"
    );
}

/// Two columns named alike, in any preset, exit 2 naming both.
#[tokio::test]
async fn duplicate_header_names_exit_2() {
    for (csv, preset) in [
        ("email,Name,EMAIL \na@b.co,A,a@b.co\n", "auto"),
        ("First Name,Email,first name\nA,a@b.co,A\n", "shopify"),
        (
            "user_email,billing_city,Billing_City\na@b.co,X,Y\n",
            "woocommerce",
        ),
    ] {
        let ws = Workspace::new(csv);
        let (code, message) =
            run(&["validate", ws.input.to_str().unwrap(), "--preset", preset]).await;
        assert_eq!(code, 2, "{csv}");
        assert!(message.contains("with the same name"), "{message}");
        assert!(
            message.contains("(column 1)") || message.contains("(column 2)"),
            "{message}"
        );
        assert!(message.contains("(column 3)"), "{message}");
    }
}

/// No email column exits 2, listing the columns found and the presets tried.
#[tokio::test]
async fn no_email_column_lists_columns_and_presets_tried() {
    let ws = Workspace::new("Vorname,Kontakt\nAnn,ann@example.com\n");
    let input = ws.input.to_str().unwrap();
    let (code, message) = run(&["validate", input]).await;
    assert_eq!(code, 2);
    assert!(
        message.contains("the header has \"Vorname\", \"Kontakt\""),
        "{message}"
    );
    assert!(
        message.contains(
            "presets tried: shopify, woocommerce, magento, bigcommerce, prestashop, wix, \
             squarespace, mailchimp, hubspot and stripe (their header signatures are not in the \
             file)"
        ),
        "{message}"
    );
    assert!(message.contains("then ecwid"), "{message}");
    assert!(message.contains("columns matched by meaning"), "{message}");
    assert!(
        message.contains("`ecwid-import template --mapping --from FILE` prints a mapping file"),
        "{message}"
    );
    let (code, message) = run(&["validate", input, "--preset", "shopify"]).await;
    assert_eq!(code, 2);
    assert!(
        message.contains("presets tried: shopify (chosen with --preset)"),
        "{message}"
    );
}

/// `template --mapping` prints a mapping file that parses and maps the template's header.
#[test]
fn template_mapping_is_a_valid_mapping_file() {
    let out = assert_cmd::Command::cargo_bin("ecwid-import")
        .unwrap()
        .args(["template", "--mapping"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("# \"contacts.0.orderBy\""), "{text}");
    let layout = Layout {
        preset: None,
        mapping: Some(mapping(&text)),
    };
    let header = ecwid_import::template();
    let cells = header.split(',').count();
    let row = format!("ann@example.com{}", ",".repeat(cells - 1));
    let (map, _, rows) = map(&format!("{header}\n{row}\n"), &layout).unwrap();
    assert!(map.not_imported().is_empty());
    assert_eq!(map.email(&rows[0]), "ann@example.com");
}

/// The run logs the preset it chose and why.
#[test]
fn the_run_logs_the_preset_and_why() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("ecwid-import")
        .unwrap()
        .env_remove("RUST_LOG")
        .args(["validate", "-o"])
        .arg(dir.path().join("results.csv"))
        .arg(sample("shopify-current.csv"))
        .assert()
        .code(0)
        .stderr(predicates::str::contains(
            "preset shopify (detected: the header has \"First Name\", \
             \"Default Address Address1\", \"Accepts Email Marketing\")",
        ));
}

/// A contact whose type a mapping file sets as a constant exists only in rows that fill its
/// contact: a row with a blank phone has no contact, and is valid; a row with one sends it.
#[test]
fn a_constant_contact_type_makes_no_contact_of_a_blank_cell() {
    let layout = Layout {
        preset: None,
        mapping: Some(mapping(
            "[fields]\nemail = \"Email\"\n\"contacts.0.contact\" = \"Phone\"\n\
             \"contacts.0.type\" = { value = \"PHONE\" }\n",
        )),
    };
    let csv = "Email,Phone\na@example.com,+1 555 0100\nb@example.com,\n";
    let (map, _, rows) = map(csv, &layout).unwrap();
    let with_phone = serde_json::to_value(map.request(&rows[0]).unwrap().request).unwrap();
    assert_eq!(
        with_phone["contacts"],
        json!([{"type": "PHONE", "contact": "+1 555 0100"}])
    );
    let blank = serde_json::to_value(map.request(&rows[1]).unwrap().request).unwrap();
    assert_eq!(blank, json!({"email": "b@example.com"}));
    assert!(map.check(&rows[1]).is_ok(), "a dry run agrees");
}
