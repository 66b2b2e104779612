//! The real `ecwid-import` binary, run as a user or a cron job would run it: commands, the
//! results and failed-rows files, exit statuses, input encodings and delimiters, usage errors,
//! the summary JSON and the secrecy of the token. Nothing leaves 127.0.0.1.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ecwid_import::customer::rules::{RULE_COUNTRY, RULE_EMAIL, RULE_EMAIL_REQUIRED};
use predicates::prelude::*;
use tempfile::TempDir;

const HEADER: &str = "row,line,email,status,customer_id,http_status,attempts,error";
const CANARY: &str = "secret_canary_123";

/// The binary with none of the user's ECWID_* settings or log filter leaking in.
fn bin() -> Command {
    let mut cmd = Command::cargo_bin("ecwid-import").expect("the binary is built");
    for var in ["ECWID_TOKEN", "ECWID_STORE_ID", "ECWID_API_URL", "RUST_LOG"] {
        cmd.env_remove(var);
    }
    cmd
}

fn write(dir: &TempDir, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("test file written");
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A CSV field as the results writer spells it: quoted when it holds `,` `"` or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The results file's records (header included), parsed.
fn records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .expect("results file opens");
    reader
        .records()
        .map(|r| {
            r.expect("results record")
                .iter()
                .map(String::from)
                .collect()
        })
        .collect()
}

/// Status counts of a results file.
fn status_counts(path: &Path) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for record in records(path).iter().skip(1) {
        *counts.entry(record[3].clone()).or_default() += 1;
    }
    counts
}

/// An input with a valid row, a multi-line quoted cell, an invalid email, a case-insensitive
/// duplicate, an unassigned country with a CRLF cell, a blank email, and another valid row.
const MIXED: &str = "email,name,billingPerson.countryCode,privateAdminNotes\n\
    ann@example.com,Ann,de,\"first line\nsecond line\"\n\
    bob@example,\"Bob \"\"B\"\", Jr.\",US,\n\
    ANN@Example.com,Ann again,DE,\n\
    carol@example.com,Carol,UK,\"a\r\nb\"\r\n\
    ,Nobody,,\n\
    dave@example.com,Dave,us,\n";

/// The results file `validate` writes for [`MIXED`].
fn mixed_results() -> String {
    let bad_email = format!("email \"bob@example\": {RULE_EMAIL}");
    let bad_country = format!("billingPerson.countryCode \"UK\": {RULE_COUNTRY}");
    let no_email = format!("email \"\": {RULE_EMAIL_REQUIRED}");
    [
        HEADER.to_string(),
        "1,2,ann@example.com,valid,,,0,".to_string(),
        format!("2,4,bob@example,invalid,,,0,{}", field(&bad_email)),
        "3,5,ANN@Example.com,duplicate,,,0,same email as row 1 (emails are compared ignoring case)"
            .to_string(),
        format!("4,6,carol@example.com,invalid,,,0,{}", field(&bad_country)),
        format!("5,8,,invalid,,,0,{}", field(&no_email)),
        "6,9,dave@example.com,valid,,,0,".to_string(),
    ]
    .map(|line| line + "\n")
    .concat()
}

/// The failed-rows file for [`MIXED`]: the input's header and the invalid rows' cells.
const MIXED_FAILED: &str = "email,name,billingPerson.countryCode,privateAdminNotes\n\
    bob@example,\"Bob \"\"B\"\", Jr.\",US,\n\
    carol@example.com,Carol,UK,\"a\r\nb\"\n\
    ,Nobody,,\n";

const ALL_VALID: &str = "email,name,shippingAddresses.0.countryCode,contacts.0.type,contacts.0.contact\n\
    ann@example.com,Ann,de,email,ann@work.example.com\n\
    bob@example.com,Bob,US,PHONE,+1 555 0100\n";

/// `template` prints exactly the canonical header line on stdout, and nothing on stderr.
#[test]
fn template_prints_the_canonical_header_line() {
    let expected = "email,password,customerGroupId,customerGroupName,b2b_b2c,taxId,taxIdValid,\
        taxExempt,fiscalCode,electronicInvoicePecEmail,electronicInvoiceSdiCode,acceptMarketing,\
        lang,privateAdminNotes,\
        billingPerson.name,billingPerson.companyName,billingPerson.street,billingPerson.city,\
        billingPerson.countryCode,billingPerson.countryName,billingPerson.postalCode,\
        billingPerson.stateOrProvinceCode,billingPerson.stateOrProvinceName,billingPerson.phone,\
        shippingAddresses.0.name,shippingAddresses.0.companyName,shippingAddresses.0.street,\
        shippingAddresses.0.city,shippingAddresses.0.countryCode,shippingAddresses.0.countryName,\
        shippingAddresses.0.postalCode,shippingAddresses.0.stateOrProvinceCode,\
        shippingAddresses.0.stateOrProvinceName,shippingAddresses.0.phone,\
        contacts.0.type,contacts.0.contact,contacts.0.handle,contacts.0.note,contacts.0.default,\
        contacts.0.orderBy,extrafields.loyalty_id\n";
    bin()
        .arg("template")
        .assert()
        .code(0)
        .stdout(expected)
        .stderr("");
}

/// A template header, used as an input, is accepted whole: every column maps to a field.
#[test]
fn template_header_is_a_valid_input_header() {
    let header = String::from_utf8(bin().arg("template").output().unwrap().stdout).unwrap();
    let dir = TempDir::new().unwrap();
    let columns = header.trim_end().split(',').count();
    let row = format!("ann@example.com{}", ",".repeat(columns - 1));
    let input = write(&dir, "t.csv", format!("{header}{row}\n"));
    bin()
        .args(["validate", "-q"])
        .arg(&input)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("not imported").not());
    assert_eq!(
        read(&dir.path().join("t.validation.csv")),
        format!("{HEADER}\n1,2,ann@example.com,valid,,,0,\n")
    );
}

/// `validate` exits 0 when every row is valid and lists each as `valid`, sending nothing.
#[test]
fn validate_exits_0_when_all_rows_are_valid() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", ALL_VALID);
    bin()
        .arg("validate")
        .arg(&input)
        .assert()
        .code(0)
        .stdout("");
    assert_eq!(
        read(&dir.path().join("customers.validation.csv")),
        format!("{HEADER}\n1,2,ann@example.com,valid,,,0,\n2,3,bob@example.com,valid,,,0,\n")
    );
    assert_eq!(
        read(&dir.path().join("customers.validation.failed.csv")),
        "email,name,shippingAddresses.0.countryCode,contacts.0.type,contacts.0.contact\n"
    );
}

/// `validate` exits 1 with invalid and duplicate rows; results are exact, in input order, with
/// physical line numbers that account for quoted line breaks.
#[test]
fn validate_reports_invalid_and_duplicate_rows_exactly() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", MIXED);
    bin()
        .arg("validate")
        .arg(&input)
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(
        read(&dir.path().join("customers.validation.csv")),
        mixed_results()
    );
}

/// The failed-rows file `<output stem>.failed.csv` holds the header and the invalid rows'
/// cells unchanged (duplicates and valid rows are left out).
#[test]
fn failed_rows_file_holds_the_header_and_invalid_rows_unchanged() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", MIXED);
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let output = dir.path().join("out/checked.csv");
    bin()
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .assert()
        .code(1);
    assert_eq!(read(&output), mixed_results());
    let failed = dir.path().join("out/checked.failed.csv");
    assert_eq!(read(&failed), MIXED_FAILED);
    assert!(
        !dir.path().join("customers.validation.csv").exists(),
        "--output replaces the default results path"
    );
}

/// `import --dry-run` writes the same results and failed rows and exits like `validate`,
/// with no store id and no token.
#[test]
fn import_dry_run_behaves_like_validate() {
    for input_text in [MIXED, ALL_VALID] {
        let dir = TempDir::new().unwrap();
        let input = write(&dir, "customers.csv", input_text);
        let validate = bin()
            .arg("validate")
            .arg(&input)
            .arg("-o")
            .arg(dir.path().join("v.csv"))
            .output()
            .unwrap();
        let dry_run = bin()
            .args(["import", "--dry-run"])
            .arg(&input)
            .arg("-o")
            .arg(dir.path().join("d.csv"))
            .output()
            .unwrap();
        assert_eq!(dry_run.status.code(), validate.status.code());
        assert!(matches!(validate.status.code(), Some(0 | 1)));
        assert_eq!(dry_run.stdout, validate.stdout);
        assert_eq!(
            read(&dir.path().join("d.csv")),
            read(&dir.path().join("v.csv"))
        );
        assert_eq!(
            read(&dir.path().join("d.failed.csv")),
            read(&dir.path().join("v.failed.csv"))
        );
    }
}

/// Asserts a usage error: exit 2, nothing on stdout, `hint` on stderr, no results file.
fn assert_usage_error(cmd: &mut Command, hint: &str, results: &Path) {
    cmd.assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(hint));
    assert!(!results.exists(), "no results file after a usage error");
}

/// A missing input file is a usage error naming the file.
#[test]
fn missing_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("nope.csv");
    assert_usage_error(
        bin().arg("validate").arg(&input),
        "nope.csv",
        &dir.path().join("nope.validation.csv"),
    );
}

/// An empty input file is a usage error saying the header row is missing.
#[test]
fn empty_file_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "empty.csv", "");
    assert_usage_error(
        bin().arg("validate").arg(&input),
        "empty",
        &dir.path().join("empty.validation.csv"),
    );
}

/// Files that are not CSV at all are refused with what to do: a byte order mark alone, a
/// folder, an Excel workbook (new and old format), a web page.
#[test]
fn files_that_are_not_csv_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("export.csv");
    std::fs::create_dir(&folder).unwrap();
    let cases: [(PathBuf, &str); 5] = [
        (write(&dir, "bom.csv", b"\xEF\xBB\xBF"), "no header row"),
        (folder, "folder"),
        (
            write(&dir, "book.csv", b"PK\x03\x04\x14\x00\x06\x00"),
            "Save As",
        ),
        (
            write(
                &dir,
                "old.csv",
                [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            ),
            "Excel workbook",
        ),
        (
            write(
                &dir,
                "page.csv",
                "\n<!DOCTYPE html>\n<html><body>Sign in</body></html>\n",
            ),
            "web page",
        ),
    ];
    for (input, hint) in cases {
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let results = dir.path().join(format!("{stem}.validation.csv"));
        assert_usage_error(bin().arg("validate").arg(&input), hint, &results);
    }
}

/// A header without an email column is a usage error that lists the header and the fix.
#[test]
fn no_email_column_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "c.csv", "Contact Info,name\nann@example.com,Ann\n");
    assert_usage_error(
        bin().arg("validate").arg(&input),
        "no column holds the email",
        &dir.path().join("c.validation.csv"),
    );
    bin().arg("validate").arg(&input).assert().stderr(
        predicate::str::contains("\"Contact Info\"").and(predicate::str::contains("template")),
    );
}

/// Two columns that fill the same field are a usage error naming both and the field.
#[test]
fn two_columns_for_one_field_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(
        &dir,
        "c.csv",
        "email,name,billingPerson.Name\nann@example.com,Ann,Ann\n",
    );
    assert_usage_error(
        bin().arg("validate").arg(&input),
        "billingPerson.name",
        &dir.path().join("c.validation.csv"),
    );
    bin().arg("validate").arg(&input).assert().stderr(
        predicate::str::contains("\"name\"")
            .and(predicate::str::contains("\"billingPerson.Name\"")),
    );
}

/// `import` without a store id is a usage error pointing at --store-id.
#[test]
fn import_without_store_id_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "c.csv", ALL_VALID);
    assert_usage_error(
        bin().arg("import").arg(&input).env("ECWID_TOKEN", CANARY),
        "--store-id",
        &dir.path().join("c.results.csv"),
    );
}

/// `import` without a token is a usage error pointing at ECWID_TOKEN and --token-file.
#[test]
fn import_without_token_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "c.csv", ALL_VALID);
    assert_usage_error(
        bin().arg("import").arg(&input).args(["--store-id", "1003"]),
        "ECWID_TOKEN",
        &dir.path().join("c.results.csv"),
    );
    let empty_token_file = write(&dir, "token", "\n");
    assert_usage_error(
        bin()
            .arg("import")
            .arg(&input)
            .args(["--store-id", "1003", "--token-file"])
            .arg(&empty_token_file),
        "empty",
        &dir.path().join("c.results.csv"),
    );
}

/// Command lines that cannot run: exit 2 with the hint on stderr, nothing on stdout and no
/// results file, whether clap refuses them or the checks after it do.
#[test]
fn invalid_command_lines_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "c.csv", ALL_VALID);
    let bad_mapping = write(&dir, "bad.toml", "email = [");
    let missing = dir.path().join("missing");
    let [input, bad_mapping, missing] =
        [&input, &bad_mapping, &missing].map(|p| p.to_str().unwrap().to_string());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![], "Usage: ecwid-import"),
        (vec!["frobnicate"], "unrecognized subcommand"),
        (vec!["validate"], "required arguments"),
        (
            vec!["validate", &input, "--delimiter", "x"],
            "use one of , ; tab |",
        ),
        (
            vec!["validate", &input, "--encoding", "klingon"],
            "windows-1252",
        ),
        (
            vec!["validate", &input, "--preset", "excel"],
            "possible values",
        ),
        (
            vec!["validate", &input, "--mapping", &missing],
            "cannot read the mapping file",
        ),
        (
            vec!["validate", &input, "--mapping", &bad_mapping],
            "is not valid TOML",
        ),
        // The token is never a flag's value: it would show in the shell's history.
        (
            vec!["import", &input, "--token", CANARY],
            "unexpected argument '--token'",
        ),
        (
            vec!["import", &input, "--store-id", "abc"],
            "invalid value 'abc'",
        ),
        (vec!["import", &input, "--rate", "0"], "--rate"),
        (
            vec!["import", &input, "--concurrency", "0"],
            "--concurrency",
        ),
        (vec!["import", &input, "--timeout", "0"], "above 0"),
        (
            vec!["import", &input, "--on-existing", "merge"],
            "possible values",
        ),
        (vec!["import", &input, "--batch-size", "10"], "--batch"),
        (
            vec![
                "import",
                &input,
                "--store-id",
                "1003",
                "--token-file",
                &missing,
            ],
            "cannot read the token file",
        ),
    ];
    for (args, hint) in cases {
        let results = match args.first() {
            Some(&"validate") => "c.validation.csv",
            _ => "c.results.csv",
        };
        assert_usage_error(bin().args(&args), hint, &dir.path().join(results));
    }
}

/// --output naming the input (however spelled) is a usage error, and the input is untouched.
#[test]
fn output_equal_to_input_is_a_usage_error() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let input = write(&dir, "c.csv", ALL_VALID);
    for output in [input.clone(), dir.path().join("sub/../c.csv")] {
        bin()
            .arg("validate")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("overwrite the input"));
        assert_eq!(read(&input), ALL_VALID, "the input is untouched");
    }
}

/// Checks a file whose first row is valid and second has country UK, read with `args`.
fn check_two_rows(name: &str, bytes: &[u8], args: &[&str], expected_failed: &str) {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, name, bytes);
    bin()
        .arg("validate")
        .arg(&input)
        .args(args)
        .assert()
        .code(1);
    let stem = Path::new(name).file_stem().unwrap().to_string_lossy();
    let bad_country = format!("billingPerson.countryCode \"UK\": {RULE_COUNTRY}");
    assert_eq!(
        read(&dir.path().join(format!("{stem}.validation.csv"))),
        format!(
            "{HEADER}\n1,2,ann@example.com,valid,,,0,\n2,3,bob@example.com,invalid,,,0,{}\n",
            field(&bad_country)
        ),
        "{name}"
    );
    assert_eq!(
        read(&dir.path().join(format!("{stem}.validation.failed.csv"))),
        expected_failed,
        "{name}"
    );
}

/// Line numbers stay right in a CRLF file with blank lines and a quoted CRLF cell.
#[test]
fn crlf_file_with_blank_lines_has_right_line_numbers() {
    let dir = TempDir::new().unwrap();
    let text = "email,privateAdminNotes\r\n\
                ann@example.com,x\r\n\
                bob@example.com,\"two\r\nlines\"\r\n\
                \r\n\
                \r\n\
                carol@example.com,y\r\n\
                dave@example.com,z\r\n";
    let input = write(&dir, "crlf.csv", text);
    bin().arg("validate").arg(&input).assert().code(0);
    let lines: Vec<(String, String)> = records(&dir.path().join("crlf.validation.csv"))
        .into_iter()
        .skip(1)
        .map(|r| (r[1].clone(), r[2].clone()))
        .collect();
    let expected = [
        ("2", "ann@example.com"),
        ("3", "bob@example.com"),
        ("7", "carol@example.com"),
        ("8", "dave@example.com"),
    ]
    .map(|(l, e)| (l.to_string(), e.to_string()));
    assert_eq!(lines, expected);
}

/// Semicolon-, tab- and pipe-delimited files are detected; the failed-rows file keeps the
/// input's delimiter.
#[test]
fn semicolon_tab_and_pipe_delimiters_are_detected() {
    for (name, d) in [("semi.csv", ";"), ("tab.tsv", "\t"), ("pipe.csv", "|")] {
        let text = format!(
            "email{d}name{d}billingPerson.countryCode\nann@example.com{d}Ann, A.{d}de\n\
             bob@example.com{d}Bob{d}UK\n"
        );
        let failed =
            format!("email{d}name{d}billingPerson.countryCode\nbob@example.com{d}Bob{d}UK\n");
        check_two_rows(name, text.as_bytes(), &[], &failed);
    }
}

/// --delimiter overrides detection.
#[test]
fn delimiter_option_overrides_detection() {
    // Detection would pick `,` (two of them in the header); the file is really `;`.
    let text = "email;\"a,b,c\";billingPerson.countryCode\nann@example.com;x;de\n\
                bob@example.com;y;UK\n";
    // Cells are unchanged; `a,b,c` needs no quotes with `;` as the delimiter.
    let failed = "email;a,b,c;billingPerson.countryCode\nbob@example.com;y;UK\n";
    check_two_rows("forced.csv", text.as_bytes(), &["--delimiter", ";"], failed);
}

/// A UTF-8 file with a BOM reads like one without: the BOM does not stick to the first column.
#[test]
fn utf8_bom_file_is_read() {
    let text = "\u{feff}email,name,billingPerson.countryCode\nann@example.com,Zoë,de\n\
                bob@example.com,Bob,UK\n";
    let failed = "email,name,billingPerson.countryCode\nbob@example.com,Bob,UK\n";
    check_two_rows("bom.csv", text.as_bytes(), &[], failed);
}

/// A UTF-16LE file with a BOM is decoded: non-ASCII text arrives intact.
#[test]
fn utf16le_bom_file_is_read() {
    let text = "email,name,billingPerson.countryCode\nann@example.com,Zoë,de\n\
                bob@example.com,Jürgen Ø,UK\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let failed = "email,name,billingPerson.countryCode\nbob@example.com,Jürgen Ø,UK\n";
    check_two_rows("utf16.csv", &bytes, &[], failed);
}

/// A Windows-1252 file: right characters with --encoding windows-1252; without it the row is
/// invalid with a message suggesting --encoding, and its bytes go unchanged to the failed file.
#[test]
fn windows_1252_needs_the_encoding_option() {
    let dir = TempDir::new().unwrap();
    let mut bytes = b"email,name\n".to_vec();
    bytes.extend(b"andr\xe9@example.com,Andr\xe9 M\xfcller \x80\n");
    bytes.extend(b"bob@example.com,Bob\n");
    let input = write(&dir, "latin.csv", &bytes);
    let results = dir.path().join("latin.validation.csv");
    let failed = dir.path().join("latin.validation.failed.csv");

    bin()
        .arg("validate")
        .arg(&input)
        .args(["--encoding", "windows-1252"])
        .assert()
        .code(0);
    assert_eq!(
        read(&results),
        format!("{HEADER}\n1,2,andré@example.com,valid,,,0,\n2,3,bob@example.com,valid,,,0,\n")
    );

    bin().arg("validate").arg(&input).assert().code(1);
    let got = records(&results);
    assert_eq!(got.len(), 3);
    assert_eq!(got[1][..7], ["1", "2", "", "invalid", "", "", "0"]);
    assert!(
        got[1][7].contains("--encoding windows-1252"),
        "error suggests --encoding: {}",
        got[1][7]
    );
    assert_eq!(
        got[2],
        ["2", "3", "bob@example.com", "valid", "", "", "0", ""]
    );
    let failed_bytes = std::fs::read(&failed).unwrap();
    assert_eq!(
        failed_bytes,
        b"email,name\nandr\xe9@example.com,Andr\xe9 M\xfcller \x80\n"
    );
}

/// Reads the summary JSON and checks it against the results file and the exit status.
fn check_summary(summary: &Path, results: &Path, exit_code: i32) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(&read(summary)).expect("summary is JSON");
    for key in [
        "rows",
        "by_status",
        "requests",
        "retries",
        "elapsed_seconds",
        "exit_code",
        "output",
    ] {
        assert!(json.get(key).is_some(), "summary has {key}: {json}");
    }
    let counts = status_counts(results);
    let rows: u64 = counts.values().sum();
    assert_eq!(json["rows"], rows, "{json}");
    let by_status: BTreeMap<String, u64> =
        serde_json::from_value(json["by_status"].clone()).expect("by_status maps to counts");
    assert_eq!(by_status, counts);
    assert_eq!(json["exit_code"], exit_code);
    assert_eq!(json["output"], results.display().to_string());
    assert!(json["elapsed_seconds"].as_f64().is_some_and(|s| s >= 0.0));
    assert!(
        json["requests"].is_u64() && json["retries"].is_u64(),
        "{json}"
    );
    // Every kind of request has its count, and together they are all the requests.
    let by_kind: BTreeMap<String, u64> = serde_json::from_value(json["requests_by_kind"].clone())
        .expect("requests_by_kind maps to counts");
    let kinds: Vec<&str> = by_kind.keys().map(String::as_str).collect();
    let mut expected = [
        "create",
        "search",
        "get",
        "list",
        "update",
        "delete",
        "groups",
        "profile",
        "batch_submit",
        "batch_poll",
        "batch_cancel",
        "group_create",
        "group_delete",
        "extrafields",
        "read_back",
    ];
    expected.sort_unstable();
    assert_eq!(kinds, expected, "{json}");
    assert_eq!(json["requests"], by_kind.values().sum::<u64>(), "{json}");
    json
}

/// --summary-json writes the documented keys, with counts that agree with the results file.
#[test]
fn summary_json_agrees_with_the_results_file() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", MIXED);
    let results = dir.path().join("results.csv");
    let summary = dir.path().join("summary.json");
    bin()
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&results)
        .arg("--summary-json")
        .arg(&summary)
        .assert()
        .code(1)
        .stdout("");
    let json = check_summary(&summary, &results, 1);
    assert_eq!(json["rows"], 6);
    assert_eq!(
        json["by_status"],
        serde_json::json!({"valid": 2, "invalid": 3, "duplicate": 1})
    );
    assert_eq!(json["requests"], 0);
    assert_eq!(json["retries"], 0);
}

/// The token never shows in stdout, stderr, results, failed rows or summary of a dry run.
#[test]
fn token_is_never_shown_in_a_dry_run() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", MIXED);
    let summary = dir.path().join("summary.json");
    let assert = bin()
        .args(["-vv", "import", "--dry-run", "--store-id", "1003"])
        .arg(&input)
        .arg("--summary-json")
        .arg(&summary)
        .env("ECWID_TOKEN", CANARY)
        .assert()
        .code(1);
    assert_no_canary(
        &assert.get_output().stdout,
        &assert.get_output().stderr,
        &dir,
        WRITTEN_BY_DRY_RUN,
    );
}

/// An API URL that is not a URL is refused (exit 2) before anything is written: no journal
/// is left to block the corrected command (only the lock file, which stays by design).
#[test]
fn a_malformed_api_url_leaves_no_journal() {
    let dir = TempDir::new().unwrap();
    let input = write(&dir, "customers.csv", "email\nann@example.com\n");
    bin()
        .args([
            "import",
            "--store-id",
            "1003",
            "--api-url",
            "http://exa mple.com/api",
        ])
        .arg(&input)
        .env("ECWID_TOKEN", CANARY)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a URL"));
    let mut left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["customers.csv", "customers.results.csv.lock"]);
}

/// Importing to an unreachable store fails the row after --max-retries 0, exits 1, and the
/// token never shows in any output, even at the highest log level.
#[test]
fn token_is_never_shown_in_a_failed_import() {
    let dir = TempDir::new().unwrap();
    let input = write(
        &dir,
        "customers.csv",
        "email,name\nann@example.com,Ann\nnot-an-email,Bob\n",
    );
    let results = dir.path().join("customers.results.csv");
    let summary = dir.path().join("summary.json");
    let assert = bin()
        .args(["-vv", "import", "--store-id", "1003"])
        .args([
            "--api-url",
            "http://127.0.0.1:9/api/v3",
            "--max-retries",
            "0",
        ])
        .args(["--timeout", "10"])
        .arg(&input)
        .arg("--summary-json")
        .arg(&summary)
        .env("ECWID_TOKEN", CANARY)
        .assert()
        .code(1);
    assert_no_canary(
        &assert.get_output().stdout,
        &assert.get_output().stderr,
        &dir,
        WRITTEN_BY_DRY_RUN + 1,
    );

    let got = records(&results);
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[1][..7],
        ["1", "2", "ann@example.com", "failed", "", "", "1"]
    );
    assert!(!got[1][7].is_empty(), "a failed row says why");
    assert_eq!(
        got[2][..7],
        ["2", "3", "not-an-email", "invalid", "", "", "0"]
    );

    let json = check_summary(&summary, &results, 1);
    // The store's size (`--snapshot auto` asks it first), and the one create.
    assert_eq!(json["requests"], 2, "{json}");
    assert_eq!(json["requests_by_kind"]["create"], 1, "{json}");
    assert_eq!(json["retries"], 0, "--max-retries 0 sends no retry: {json}");
}

/// The input, the results, the failed rows, the summary and the lock; an import adds its undo
/// log.
const WRITTEN_BY_DRY_RUN: usize = 5;

/// The canary is in none of the outputs of a run, nor in any of the `files` it left in `dir`.
fn assert_no_canary(stdout: &[u8], stderr: &[u8], dir: &TempDir, files: usize) {
    let stdout = String::from_utf8_lossy(stdout);
    let stderr = String::from_utf8_lossy(stderr);
    assert!(!stdout.contains(CANARY), "token on stdout: {stdout}");
    assert!(!stderr.contains(CANARY), "token on stderr: {stderr}");
    let mut found = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(CANARY),
            "token in {}",
            path.display()
        );
        found += 1;
    }
    assert_eq!(found, files, "the run wrote its files");
}

/// Ragged rows and a row too large to keep are invalid; the failed-rows file keeps the ragged
/// row's cells as they were and the run goes on.
#[test]
fn ragged_and_oversized_rows_are_invalid_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("dir");
    let input = dir.path().join("broken.csv");
    let mut text = b"email,name\nann@example.com,Ann,extra\nbig@example.com,\"".to_vec();
    text.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    text.extend(b"\"\nbob@example.com,Bob\n");
    std::fs::write(&input, text).expect("input");
    Command::cargo_bin("ecwid-import")
        .expect("binary")
        .args(["validate", "-q"])
        .arg(&input)
        .assert()
        .code(1);
    let results =
        std::fs::read_to_string(dir.path().join("broken.validation.csv")).expect("results");
    let statuses: Vec<&str> = results
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["invalid", "invalid", "valid"], "{results}");
    assert!(
        results.contains("3 cells but the header has 2"),
        "{results}"
    );
    assert!(results.contains("larger than 1024 KiB"), "{results}");
    let failed =
        std::fs::read_to_string(dir.path().join("broken.validation.failed.csv")).expect("failed");
    assert_eq!(failed, "email,name\nann@example.com,Ann,extra\n");
}

/// `validate` says once that group names cannot be checked offline, and keeps the rows valid.
#[test]
fn validate_says_group_names_are_not_checked_offline() {
    let dir = tempfile::tempdir().expect("dir");
    let input = dir.path().join("groups.csv");
    std::fs::write(
        &input,
        "email,customerGroupName\na@example.com,VIP\nb@example.com,Gold\n",
    )
    .expect("input");
    let assert = Command::cargo_bin("ecwid-import")
        .expect("binary")
        .arg("validate")
        .arg(&input)
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(
        stderr.matches("cannot be checked offline").count(),
        1,
        "{stderr}"
    );
}
