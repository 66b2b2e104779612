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

/// What `validate` with no flag makes of `file`, as a line of the tables below:
/// `file | layout | valid invalid duplicate | fields of the first valid row`.
async fn read(file: &Path) -> String {
    let out = tempfile::tempdir().expect("temp dir");
    let (code, summary) = validate(file, out.path(), &[]).await;
    assert!(code == 0 || code == 1, "{}: exit {code}", file.display());
    let mut input =
        ecwid_import::input::reader::CsvInput::open(file, None, None).expect("the file opens");
    let layout = ecwid_import::input::mapping::Layout::default();
    let (map, choice) = ecwid_import::input::mapping::ColumnMap::new(input.headers(), &layout)
        .expect("the header maps");
    let mut first = String::new();
    while let Some(raw) = input.next_row().expect("a row") {
        if let Ok(row) = map.request(&raw.record) {
            first = shape(&serde_json::to_value(&row.request).expect("a body"));
            break;
        }
    }
    let layout = if choice.matched_by_meaning() {
        MATCHED.to_string()
    } else {
        format!("preset {}", choice.preset)
    };
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let counts = ["valid", "invalid", "duplicate"].map(|s| count(&summary, s).to_string());
    format!("{name} | {layout} | {} | {first}", counts.join(" "))
}

/// The fields of a request body that hold a value, in order of their names, an object's
/// within brackets: `billingPerson(city name) email`.
fn shape(value: &Value) -> String {
    let Value::Object(map) = value else {
        return String::new();
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let mut parts = Vec::new();
    for key in keys {
        match &map[key] {
            Value::Null => {}
            Value::Object(_) => parts.push(format!("{key}({})", shape(&map[key]))),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    parts.push(format!("{key}.{i}({})", shape(item)));
                }
            }
            _ => parts.push(key.clone()),
        }
    }
    parts.join(" ")
}

/// Checks every file of a folder of the corpus against its line in `table` (one a file, as
/// [`read`] writes it), and that every file has a line.
async fn check_folder(sub: &str, table: &str) {
    let Some(dir) = corpus(sub) else {
        return;
    };
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .filter_map(|e| Some(e.ok()?.file_name().to_str()?.to_string()))
        .collect();
    listed.sort();
    let lines: Vec<&str> = table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let names: Vec<&str> = lines.iter().filter_map(|l| l.split(" | ").next()).collect();
    assert_eq!(listed, names, "{sub}: a file with no line in the table");
    for (name, expected) in names.iter().zip(lines) {
        assert_eq!(read(&dir.join(name)).await, expected, "{sub}/{name}");
    }
}

/// Every Shopify export of the corpus (three generations, Excel re-saves, a broken one) is
/// detected and read.
#[tokio::test]
async fn shopify_exports_are_detected_and_read() {
    check_folder("shopify", SHOPIFY).await;
}

const SHOPIFY: &str = "
broken_shopify_truncated_open_quote.csv | preset shopify | 2 2 0 | acceptMarketing billingPerson(city countryCode name phone postalCode street) email taxExempt
shopify_newest_akhdar_us.csv | preset shopify | 11 0 0 | acceptMarketing billingPerson(city countryCode name phone postalCode stateOrProvinceCode street) email taxExempt
shopify_newest_b2bsaas.csv | preset shopify | 1306 53 0 | acceptMarketing email taxExempt
shopify_newest_bodybar_ae.csv | preset shopify | 33 1 0 | acceptMarketing billingPerson(countryCode name) email taxExempt
shopify_newest_laslira_cl.csv | preset shopify | 1107 320 0 | acceptMarketing billingPerson(city countryCode name phone stateOrProvinceCode street) email taxExempt
shopify_newest_metafield_br.csv | preset shopify | 2 0 0 | acceptMarketing billingPerson(city countryCode name phone postalCode stateOrProvinceCode street) email taxExempt
shopify_newest_mobeen_pk.csv | preset shopify | 398 10 0 | acceptMarketing billingPerson(city countryCode name phone postalCode street) email taxExempt
shopify_oldest_accepts_marketing.csv | preset shopify | 709 0 0 | acceptMarketing email taxExempt
shopify_prev_customer_vip.csv | preset shopify | 1483 28 0 | acceptMarketing email taxExempt
shopify_prev_excel_no_note_crlf.csv | preset shopify | 1915 91 0 | acceptMarketing billingPerson(city countryCode countryName name phone postalCode stateOrProvinceCode street) email taxExempt
shopify_prev_excel_resaved.csv | preset shopify | 4 4 0 | acceptMarketing billingPerson(city countryCode countryName name postalCode stateOrProvinceCode street) email taxExempt
shopify_prev_kin_onerow.csv | preset shopify | 1 0 0 | acceptMarketing billingPerson(countryCode countryName) email taxExempt
shopify_prev_olt_au.csv | preset shopify | 506 31 0 | acceptMarketing email taxExempt
";

/// The WooCommerce files of the corpus: the WebToffee users samples (no billing columns) and
/// the Analytics download.
#[tokio::test]
async fn woocommerce_exports_are_detected_and_read() {
    check_folder("woocommerce", WOOCOMMERCE).await;
}

const WOOCOMMERCE: &str = "
webtoffee_sample_users_v1_crlf.csv | preset woocommerce | 1 0 0 | billingPerson(name) email
webtoffee_sample_users_v2_wt_hash.csv | preset woocommerce | 1 0 0 | billingPerson(name) email
webtoffee_sample_users_v3_customer_id.csv | preset woocommerce | 1 0 0 | billingPerson(name) email
webtoffee_sample_users_v4_quoted.csv | preset woocommerce | 1 0 0 | billingPerson(name) email
woo_analytics_customers_bom.csv | preset woocommerce | 1 0 0 | billingPerson(city countryCode name postalCode stateOrProvinceCode) email
";

/// The other customer files of the corpus, no known export but Magento's: each read with no
/// flag, its columns matched by meaning, with the fields a person would expect filled.
#[tokio::test]
async fn other_customer_files_are_read_by_meaning() {
    check_folder("other", OTHER).await;
}

const OTHER: &str = "
adventureworks_customers_bom.csv | matched by meaning | 440 0 407 | billingPerson(companyName name phone) email
chinook_customers.csv | matched by meaning | 59 0 0 | billingPerson(city companyName countryCode name phone postalCode stateOrProvinceCode street) email
housecallpro_customers.csv | matched by meaning | 56 3 0 | billingPerson(city name phone postalCode stateOrProvinceCode street) email privateAdminNotes
magento2_fixture_composite_extra_address_rows.csv | preset magento | 4 1 0 | billingPerson(city countryCode name phone postalCode stateOrProvinceName street) email
magento2_fixture_customers_to_import.csv | preset magento | 6 0 0 | billingPerson(name) email
magento2_sample_customer_composite.csv | preset magento | 1 0 0 | billingPerson(city countryCode name phone postalCode stateOrProvinceName street) email
magento2_sample_customer_main.csv | preset magento | 1 0 0 | billingPerson(name) email
quickbooks_desktop_customers.csv | matched by meaning | 4626 2711 107 | billingPerson(city companyName name phone postalCode stateOrProvinceCode street) email shippingAddresses.0(city postalCode stateOrProvinceCode street)
thai_loyalty_crm_bom.csv | matched by meaning | 109 22 2 | billingPerson(name phone) email
uk500_customers_cr_only.csv | matched by meaning | 500 0 0 | billingPerson(city companyName name phone postalCode stateOrProvinceName street) contacts.0(contact type) contacts.1(contact type) email
wave_interview_customers_short_row.csv | matched by meaning | 4 1 0 | billingPerson(city countryCode name postalCode stateOrProvinceCode street) email
";
