//! Files other programs wrote: real customer exports and the test files of other CSV
//! libraries, read where they lie, in `testdata/realworld/` of the folder beside the project
//! (never copied into it: the store exports hold scrambled personal data and no licence).
//! Without that folder these tests say so and pass, except under `CI=true`, where they fail.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::support::run_in_process;

/// The longest any one file may take: a parser that loops would hang the test instead.
const PER_FILE: Duration = Duration::from_secs(60);

/// The folder of real-world files, or `None` (with the reason printed) when it is missing
/// outside CI.
pub(crate) fn corpus(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/testdata/realworld")
        .join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    let reason = format!(
        "{} is missing: the real-world files sit beside the project, not in it",
        dir.display()
    );
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{reason} (CI=true: a missing corpus fails)"
    );
    // Straight to the standard error, past the test harness's capture, so that a skip shows.
    let _ = writeln!(std::io::stderr(), "skipped: {reason}");
    None
}

/// `ecwid-import validate <file> <extra>` in-process, within [`PER_FILE`]: the exit status and
/// the summary (`Null` when none was written).
pub(crate) async fn validate(file: &Path, out: &Path, extra: &[String]) -> (i32, Value) {
    let summary = out.join("summary.json");
    let _ = std::fs::remove_file(&summary);
    let mut args: Vec<String> = vec![
        "ecwid-import".into(),
        "validate".into(),
        file.display().to_string(),
        "-q".into(),
        "--output".into(),
        out.join("results.csv").display().to_string(),
        "--summary-json".into(),
        summary.display().to_string(),
    ];
    args.extend(extra.iter().cloned());
    let run = tokio::time::timeout(PER_FILE, run_in_process(args));
    let code = run
        .await
        .unwrap_or_else(|_| panic!("{} took over {PER_FILE:?}", file.display()));
    let json = std::fs::read_to_string(&summary)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    (code, json)
}

/// A status's count in a summary, 0 when absent.
pub(crate) fn count(summary: &Value, status: &str) -> u64 {
    summary["by_status"][status].as_u64().unwrap_or(0)
}

/// What `validate` gives for a file of the parser corpus: its exit status as it is, then, with
/// a mapping that takes the first column as the email (none of these files is a customer
/// list, so only that way is every row read): the exit status, the rows and the `invalid`
/// rows.
type Gives = (&'static str, i32, i32, u64, u64);

/// Every file of the parser corpus (other CSV libraries' test files: encodings, BOMs, line
/// ends, delimiters, broken quoting) runs through `validate` with no panic and no hang, and
/// gives what the table says. None has an email column, so each first stops at the header
/// (exit 2); with the first column taken as the email, each is read to its end. Rows count
/// records after the header, blank lines not included.
#[tokio::test]
async fn the_parser_corpus_reads_without_panic_or_hang() {
    let Some(dir) = corpus("parsers") else {
        return;
    };
    let expected: [Gives; 24] = [
        ("clevercsv_airedale_crlf.csv", 2, 1, 54, 54),
        ("commons_csv_bom.csv", 2, 1, 251, 251),
        ("commons_csv_emoji.csv", 2, 1, 4, 4),
        ("commons_csv_japanese.csv", 2, 1, 3, 3),
        ("commons_csv_psql_escapes.csv", 2, 1, 2, 2),
        ("commons_csv_semicolon_quoted.csv", 2, 1, 1, 1),
        ("csvkit_bad_ragged.csv", 2, 1, 3, 3),
        ("csvkit_header_whitespace.csv", 2, 1, 1, 1),
        ("csvkit_latin1.csv", 2, 1, 2, 2),
        ("csvkit_mac_newlines.csv", 2, 1, 2, 2),
        ("csvkit_null_byte.csv", 2, 1, 1, 1),
        ("csvkit_skip_lines.csv", 2, 1, 1, 1),
        ("csvkit_sniff_semicolon.csv", 2, 1, 1, 1),
        ("csvkit_utf16_big.csv", 2, 1, 2, 2),
        ("csvkit_utf16_little.csv", 2, 1, 2, 2),
        ("csvkit_utf8_bom.csv", 2, 1, 2, 2),
        ("frictionless_iso8859_7_greek.csv", 2, 1, 4, 4),
        ("frictionless_latin1_semicolon_crlf_fr.csv", 2, 1, 638, 638),
        (
            "frictionless_latin1_semicolon_quoted_fr.csv",
            2,
            1,
            882,
            882,
        ),
        ("papaparse_malformed.tsv", 2, 1, 8, 8),
        ("papaparse_utf8_bom.csv", 2, 1, 1, 1),
        ("univocity_essential_dos.csv", 2, 1, 19, 19),
        ("univocity_european_semicolon.csv", 2, 1, 5, 5),
        ("w3c_utf16le_bom_crlf.csv", 2, 1, 3, 3),
    ];
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .filter_map(|e| Some(e.ok()?.file_name().to_str()?.to_string()))
        .collect();
    listed.sort();
    let names: Vec<&str> = expected.iter().map(|g| g.0).collect();
    assert_eq!(
        listed, names,
        "a file of the corpus with no line in the table"
    );
    let mut gave = Vec::new();
    for (name, ..) in expected {
        let file = dir.join(name);
        let out = tempfile::tempdir().expect("temp dir");
        let (plain, _) = validate(&file, out.path(), &[]).await;
        let mapping = out.path().join("mapping.toml");
        let first = first_column(&file);
        let toml = format!("[fields]\nemail = {}\n", toml_string(&first));
        std::fs::write(&mapping, toml).expect("mapping");
        let extra = ["--mapping".to_string(), mapping.display().to_string()];
        let (mapped, summary) = validate(&file, out.path(), &extra).await;
        let rows = summary["rows"].as_u64().unwrap_or(0);
        gave.push((name, plain, mapped, rows, count(&summary, "invalid")));
    }
    assert_eq!(gave, expected);
}

/// The first column's name as the tool reads the header.
fn first_column(file: &Path) -> String {
    let input = ecwid_import::input::reader::CsvInput::open(file, None, None).expect("opens");
    let first = input.headers().get(0).unwrap_or_default();
    String::from_utf8_lossy(first).trim().to_string()
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string")
}

/// The layout of a file read by canonical names and columns matched by meaning.
const MATCHED: &str = "matched by meaning";

/// What the tool makes of a customer export, as the table of a test says it.
#[derive(Debug, PartialEq)]
struct Read {
    /// The layout chosen: `preset shopify`, or [`MATCHED`].
    layout: String,
    valid: u64,
    invalid: u64,
    duplicate: u64,
    /// The fields the request of the first valid row fills, as paths (`billingPerson.city`).
    first: Vec<String>,
}

/// What `validate` with no flag makes of `file`, and the fields of its first valid row's
/// request.
async fn read(file: &Path) -> Read {
    let out = tempfile::tempdir().expect("temp dir");
    let (code, summary) = validate(file, out.path(), &[]).await;
    assert!(code == 0 || code == 1, "{}: exit {code}", file.display());
    let mut input =
        ecwid_import::input::reader::CsvInput::open(file, None, None).expect("the file opens");
    let layout = ecwid_import::input::mapping::Layout::default();
    let (map, choice) = ecwid_import::input::mapping::ColumnMap::new(input.headers(), &layout)
        .expect("the header maps");
    let mut first = Vec::new();
    while let Some(raw) = input.next_row().expect("a row") {
        if let Ok(row) = map.request(&raw.record) {
            let body = serde_json::to_value(&row.request).expect("a body");
            paths(&body, "", &mut first);
            break;
        }
    }
    let layout = if choice.matched_by_meaning() {
        MATCHED.to_string()
    } else {
        format!("preset {}", choice.preset)
    };
    Read {
        layout,
        valid: count(&summary, "valid"),
        invalid: count(&summary, "invalid"),
        duplicate: count(&summary, "duplicate"),
        first,
    }
}

/// The paths of the leaves of a request body that hold a value.
fn paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                paths(value, &path, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                paths(item, &format!("{prefix}.{i}"), out);
            }
        }
        Value::Null => {}
        _ => out.push(prefix.to_string()),
    }
}

/// One file's line in a table: its name, the layout, valid, invalid and duplicate rows, and
/// the fields of its first valid row.
type Expected = (
    &'static str,
    &'static str,
    u64,
    u64,
    u64,
    &'static [&'static str],
);

/// Checks every file of a folder of the corpus against its line in `table`, and that every
/// file has a line.
async fn check_folder(sub: &str, table: &[Expected]) {
    let Some(dir) = corpus(sub) else {
        return;
    };
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .filter_map(|e| Some(e.ok()?.file_name().to_str()?.to_string()))
        .collect();
    listed.sort();
    let names: Vec<&str> = table.iter().map(|e| e.0).collect();
    assert_eq!(listed, names, "{sub}: a file with no line in the table");
    for (name, layout, valid, invalid, duplicate, first) in table {
        let got = read(&dir.join(name)).await;
        let expected = Read {
            layout: layout.to_string(),
            valid: *valid,
            invalid: *invalid,
            duplicate: *duplicate,
            first: first.iter().map(|f| f.to_string()).collect(),
        };
        assert_eq!(got, expected, "{sub}/{name}");
    }
}

/// Every Shopify export of the corpus (three generations, Excel re-saves, a broken one) is
/// detected and read.
#[tokio::test]
async fn shopify_exports_are_detected_and_read() {
    const NEWEST: &[&str] = &[
        "acceptMarketing",
        "billingPerson.city",
        "billingPerson.countryCode",
        "billingPerson.name",
        "billingPerson.phone",
        "billingPerson.postalCode",
        "billingPerson.stateOrProvinceCode",
        "billingPerson.street",
        "email",
        "taxExempt",
    ];
    const NEWSLETTER: &[&str] = &["acceptMarketing", "email", "taxExempt"];
    let shopify = "preset shopify";
    let table: [Expected; 13] = [
        (
            "broken_shopify_truncated_open_quote.csv",
            shopify,
            2,
            2,
            0,
            &[
                "acceptMarketing",
                "billingPerson.city",
                "billingPerson.countryCode",
                "billingPerson.name",
                "billingPerson.phone",
                "billingPerson.postalCode",
                "billingPerson.street",
                "email",
                "taxExempt",
            ],
        ),
        ("shopify_newest_akhdar_us.csv", shopify, 11, 0, 0, NEWEST),
        (
            "shopify_newest_b2bsaas.csv",
            shopify,
            1306,
            53,
            0,
            NEWSLETTER,
        ),
        (
            "shopify_newest_bodybar_ae.csv",
            shopify,
            33,
            1,
            0,
            &[
                "acceptMarketing",
                "billingPerson.countryCode",
                "billingPerson.name",
                "email",
                "taxExempt",
            ],
        ),
        (
            "shopify_newest_laslira_cl.csv",
            shopify,
            1107,
            320,
            0,
            &[
                "acceptMarketing",
                "billingPerson.city",
                "billingPerson.countryCode",
                "billingPerson.name",
                "billingPerson.phone",
                "billingPerson.stateOrProvinceCode",
                "billingPerson.street",
                "email",
                "taxExempt",
            ],
        ),
        ("shopify_newest_metafield_br.csv", shopify, 2, 0, 0, NEWEST),
        (
            "shopify_newest_mobeen_pk.csv",
            shopify,
            398,
            10,
            0,
            &[
                "acceptMarketing",
                "billingPerson.city",
                "billingPerson.countryCode",
                "billingPerson.name",
                "billingPerson.phone",
                "billingPerson.postalCode",
                "billingPerson.street",
                "email",
                "taxExempt",
            ],
        ),
        (
            "shopify_oldest_accepts_marketing.csv",
            shopify,
            709,
            0,
            0,
            NEWSLETTER,
        ),
        (
            "shopify_prev_customer_vip.csv",
            shopify,
            1483,
            28,
            0,
            NEWSLETTER,
        ),
        (
            "shopify_prev_excel_no_note_crlf.csv",
            shopify,
            1915,
            91,
            0,
            &[
                "acceptMarketing",
                "billingPerson.city",
                "billingPerson.countryCode",
                "billingPerson.countryName",
                "billingPerson.name",
                "billingPerson.phone",
                "billingPerson.postalCode",
                "billingPerson.stateOrProvinceCode",
                "billingPerson.street",
                "email",
                "taxExempt",
            ],
        ),
        (
            "shopify_prev_excel_resaved.csv",
            shopify,
            5,
            3,
            0,
            &[
                "acceptMarketing",
                "billingPerson.city",
                "billingPerson.countryCode",
                "billingPerson.countryName",
                "billingPerson.name",
                "billingPerson.postalCode",
                "billingPerson.stateOrProvinceCode",
                "billingPerson.street",
                "email",
                "taxExempt",
            ],
        ),
        (
            "shopify_prev_kin_onerow.csv",
            shopify,
            1,
            0,
            0,
            &[
                "acceptMarketing",
                "billingPerson.countryCode",
                "billingPerson.countryName",
                "email",
                "taxExempt",
            ],
        ),
        ("shopify_prev_olt_au.csv", shopify, 506, 31, 0, NEWSLETTER),
    ];
    check_folder("shopify", &table).await;
}

/// The WooCommerce files of the corpus: the WebToffee users samples (no billing columns) and
/// the Analytics download.
#[tokio::test]
async fn woocommerce_exports_are_detected_and_read() {
    let woo = "preset woocommerce";
    let user: &[&str] = &["billingPerson.name", "email"];
    let table: [Expected; 5] = [
        ("webtoffee_sample_users_v1_crlf.csv", woo, 1, 0, 0, user),
        ("webtoffee_sample_users_v2_wt_hash.csv", woo, 1, 0, 0, user),
        (
            "webtoffee_sample_users_v3_customer_id.csv",
            woo,
            1,
            0,
            0,
            user,
        ),
        ("webtoffee_sample_users_v4_quoted.csv", woo, 1, 0, 0, user),
        (
            "woo_analytics_customers_bom.csv",
            woo,
            1,
            0,
            0,
            &[
                "billingPerson.city",
                "billingPerson.countryCode",
                "billingPerson.name",
                "billingPerson.postalCode",
                "billingPerson.stateOrProvinceCode",
                "email",
            ],
        ),
    ];
    check_folder("woocommerce", &table).await;
}

/// The other customer files of the corpus, no known export but Magento's: each read with no
/// flag, its columns matched by meaning, with the fields a person would expect filled.
#[tokio::test]
async fn other_customer_files_are_read_by_meaning() {
    let magento = "preset magento";
    let magento_address: &[&str] = &[
        "billingPerson.city",
        "billingPerson.countryCode",
        "billingPerson.name",
        "billingPerson.phone",
        "billingPerson.postalCode",
        "billingPerson.stateOrProvinceName",
        "billingPerson.street",
        "email",
    ];
    let magento_main: &[&str] = &["billingPerson.name", "email"];
    let table: [Expected; 11] = [
        (
            "adventureworks_customers_bom.csv",
            MATCHED,
            440,
            0,
            407,
            &[
                "billingPerson.companyName",
                "billingPerson.name",
                "billingPerson.phone",
                "email",
            ],
        ),
        (
            "chinook_customers.csv",
            MATCHED,
            59,
            0,
            0,
            &[
                "billingPerson.city",
                "billingPerson.companyName",
                "billingPerson.countryCode",
                "billingPerson.name",
                "billingPerson.phone",
                "billingPerson.postalCode",
                "billingPerson.stateOrProvinceCode",
                "billingPerson.street",
                "email",
            ],
        ),
        (
            "housecallpro_customers.csv",
            MATCHED,
            56,
            3,
            0,
            &[
                "billingPerson.city",
                "billingPerson.name",
                "billingPerson.phone",
                "billingPerson.postalCode",
                "billingPerson.stateOrProvinceCode",
                "billingPerson.street",
                "email",
                "privateAdminNotes",
            ],
        ),
        (
            "magento2_fixture_composite_extra_address_rows.csv",
            magento,
            4,
            1,
            0,
            magento_address,
        ),
        (
            "magento2_fixture_customers_to_import.csv",
            magento,
            6,
            0,
            0,
            magento_main,
        ),
        (
            "magento2_sample_customer_composite.csv",
            magento,
            1,
            0,
            0,
            magento_address,
        ),
        (
            "magento2_sample_customer_main.csv",
            magento,
            1,
            0,
            0,
            magento_main,
        ),
        (
            "quickbooks_desktop_customers.csv",
            MATCHED,
            4580,
            2757,
            107,
            &[
                "billingPerson.city",
                "billingPerson.companyName",
                "billingPerson.name",
                "billingPerson.phone",
                "billingPerson.postalCode",
                "billingPerson.stateOrProvinceCode",
                "billingPerson.street",
                "email",
                "shippingAddresses.0.city",
                "shippingAddresses.0.postalCode",
                "shippingAddresses.0.stateOrProvinceCode",
                "shippingAddresses.0.street",
            ],
        ),
        (
            "thai_loyalty_crm_bom.csv",
            MATCHED,
            109,
            22,
            2,
            &["billingPerson.name", "billingPerson.phone", "email"],
        ),
        (
            "uk500_customers_cr_only.csv",
            MATCHED,
            500,
            0,
            0,
            &[
                "billingPerson.city",
                "billingPerson.companyName",
                "billingPerson.name",
                "billingPerson.phone",
                "billingPerson.postalCode",
                "billingPerson.stateOrProvinceName",
                "billingPerson.street",
                "contacts.0.contact",
                "contacts.0.type",
                "email",
            ],
        ),
        (
            "wave_interview_customers_short_row.csv",
            MATCHED,
            4,
            1,
            0,
            &[
                "billingPerson.city",
                "billingPerson.countryCode",
                "billingPerson.name",
                "billingPerson.postalCode",
                "billingPerson.stateOrProvinceCode",
                "billingPerson.street",
                "email",
            ],
        ),
    ];
    check_folder("other", &table).await;
}
