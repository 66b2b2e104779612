//! The fields of Ecwid's customer beyond the first column groups: the Italian e-invoicing
//! fields, state names, and extra fields (`extrafields.<key>`), from the header or a mapping
//! file into the store, and the header error of an extra-field column without a key.

use serde_json::json;

use crate::e2e::{start, store_args};
use crate::presets::{run, stored};
use crate::support::{Workspace, column};

const FAST: [&str; 2] = ["--rate", "60000"];

/// Canonical columns of the new fields import into the sandbox, which stores them as sent:
/// extra fields as `{key, value}` in column order, keys as the header writes them.
#[tokio::test]
async fn invoicing_state_names_and_extra_fields_are_stored() {
    let store = start(store_args()).await;
    store.define_extra_field("Loyalty_ID", "Loyalty ID", false);
    store.define_extra_field("tier", "Tier", false);
    let ws = Workspace::new(
        "email,fiscalCode,electronicInvoicePecEmail,electronicInvoiceSdiCode,\
         billingPerson.stateOrProvinceName,shippingAddresses.0.city,\
         shippingAddresses.0.stateOrProvinceName,EXTRAFIELDS.Loyalty_ID,extrafields.tier\n\
         marco@example.it,RSSMRC80A01H501U,marco@pec.example.it,M5UXCR1,Lazio,Milano,\
         Lombardia,L-7,gold\n\
         anna@example.it,,,,,,,,silver\n",
    );
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    assert_eq!(column(&ws.results(), "status"), ["created", "created"]);
    let marco = stored(&store, "marco@example.it");
    assert_eq!(marco["fiscalCode"], "RSSMRC80A01H501U");
    assert_eq!(marco["electronicInvoicePecEmail"], "marco@pec.example.it");
    assert_eq!(marco["electronicInvoiceSdiCode"], "M5UXCR1");
    assert_eq!(
        marco["billingPerson"],
        json!({"stateOrProvinceName": "Lazio"})
    );
    assert_eq!(
        marco["shippingAddresses"],
        json!([{"city": "Milano", "stateOrProvinceName": "Lombardia"}])
    );
    assert_eq!(
        marco["extrafields"],
        json!([{"key": "Loyalty_ID", "value": "L-7"}, {"key": "tier", "value": "gold"}])
    );
    let anna = stored(&store, "anna@example.it");
    assert_eq!(
        anna["extrafields"],
        json!([{"key": "tier", "value": "silver"}])
    );
    assert!(anna.get("fiscalCode").is_none(), "{anna}");
    store.shutdown().await;
}

/// A mapping file fills the new fields from any column, and an extra field from a constant.
#[tokio::test]
async fn mapping_file_fills_invoicing_fields_and_extra_fields() {
    let ws = Workspace::new(
        "Mail;Codice fiscale;PEC;Codice SDI;Provincia;Tessera\n\
         lucia@example.it;BNCLCU85M41F205Z;lucia@pec.example.it;KRRH6B9;Milano;T-1\n",
    );
    let file = ws.dir.path().join("mapping.toml");
    std::fs::write(
        &file,
        "[fields]\nemail = \"Mail\"\nfiscalCode = \"Codice fiscale\"\n\
         electronicInvoicePecEmail = \"PEC\"\nelectronicInvoiceSdiCode = \"Codice SDI\"\n\
         billingPerson.stateOrProvinceName = \"Provincia\"\n\
         extrafields.card_number = \"Tessera\"\n\
         \"extrafields.Source\" = { value = \"migration\" }\n",
    )
    .unwrap();
    let store = start(store_args()).await;
    store.define_extra_field("card_number", "Card number", false);
    store.define_extra_field("Source", "Source", false);
    let mut args = vec!["--mapping", file.to_str().unwrap()];
    args.extend(FAST);
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    let lucia = stored(&store, "lucia@example.it");
    assert_eq!(lucia["fiscalCode"], "BNCLCU85M41F205Z");
    assert_eq!(lucia["electronicInvoicePecEmail"], "lucia@pec.example.it");
    assert_eq!(lucia["electronicInvoiceSdiCode"], "KRRH6B9");
    assert_eq!(
        lucia["billingPerson"],
        json!({"stateOrProvinceName": "Milano"})
    );
    assert_eq!(
        lucia["extrafields"],
        json!([
            {"key": "card_number", "value": "T-1"},
            {"key": "Source", "value": "migration"}
        ])
    );
    store.shutdown().await;
}

/// A column `extrafields.` (or `extrafields`) names no extra field: exit 2, saying what to
/// write instead, before any row is read.
#[tokio::test]
async fn extra_field_column_without_a_key_exits_2() {
    for header in ["extrafields.", "ExtraFields", "extrafields.  "] {
        let ws = Workspace::new(&format!("email,\"{header}\"\nann@example.com,x\n"));
        let (code, message) = run(&["validate", ws.input.to_str().unwrap()]).await;
        assert_eq!(code, 2, "{header}");
        assert!(message.contains("no key"), "{header}: {message}");
        assert!(
            message.contains("extrafields.loyalty_id"),
            "{header}: {message}"
        );
        assert!(!ws.output().exists(), "{header}");
    }
}
