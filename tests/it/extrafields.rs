//! Extra fields by the names merchants see: columns titled as one of the store's customer extra
//! fields, `extrafields.KEY` columns checked against the store's keys before anything is sent,
//! dates of `datetime` fields, a token without the scope, and `validate` offline.

use ecwid_import::sandbox::{Sandbox, SandboxArgs};
use serde_json::{Value, json};

use crate::e2e::{start, store_args};
use crate::support::Workspace;

/// The `extrafields` the store holds for `email`.
fn stored_extras(store: &Sandbox, email: &str) -> Value {
    store
        .customers()
        .into_iter()
        .find(|c| c.customer.email.as_deref() == Some(email))
        .map(|c| c.body.get("extrafields").cloned().unwrap_or(Value::Null))
        .unwrap_or(Value::Null)
}

/// Runs `command` (`import`, `plan` or `validate`) on `ws` as a process, with info logs; the
/// exit status and stderr.
fn run(ws: &Workspace, command: &str, api_url: &str, extra: &[&str]) -> (i32, String) {
    let output = ws
        .process(command, api_url, extra)
        .env("RUST_LOG", "ecwid_import=info")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

/// A column named as an extra field is titled (case and spaces aside) fills that field's key,
/// and the run's mapping report says so; a key written in another case is sent as the store
/// spells it.
#[test]
fn a_column_titled_as_an_extra_field_fills_its_key() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    store.define_extra_field("6r0fUGw", "Offline card ID", false);
    let ws = Workspace::new(
        "email,loyalty  NUMBER,extrafields.6R0FUGW\nann@example.com,L-1,C-9\nbo@example.com,,C-8\n",
    );
    let (code, stderr) = run(&ws, "import", &store.api_url(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("\"loyalty  NUMBER\" -> extrafields.loyalty_id"),
        "{stderr}"
    );
    assert!(!stderr.contains("not imported"), "{stderr}");
    assert_eq!(
        stored_extras(&store, "ann@example.com"),
        json!([{"key": "loyalty_id", "value": "L-1"}, {"key": "6r0fUGw", "value": "C-9"}])
    );
    assert_eq!(
        stored_extras(&store, "bo@example.com"),
        json!([{"key": "6r0fUGw", "value": "C-8"}])
    );
    assert_eq!(store.stats().creates, 2);
}

/// `extrafields.KEY` columns whose key the store does not define stop `import` and `plan`
/// before anything is sent (exit 2), naming the columns and the store's keys and titles.
#[test]
fn an_undefined_key_stops_the_run_before_anything_is_sent() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    let ws = Workspace::new(
        "email,extrafields.tier,extrafields.loyalty_id,extrafields.nope\nann@example.com,gold,L,x\n",
    );
    for command in ["import", "plan"] {
        let (code, stderr) = run(&ws, command, &store.api_url(), &[]);
        assert_eq!(code, 2, "{command}: {stderr}");
        for named in [
            "\"extrafields.tier\"",
            "\"extrafields.nope\"",
            "loyalty_id (\"Loyalty number\")",
        ] {
            assert!(stderr.contains(named), "{command}: {named}: {stderr}");
        }
        assert!(
            !stderr.contains("\"extrafields.loyalty_id\" (key"),
            "{stderr}"
        );
    }
    let stats = store.stats();
    assert_eq!(
        (stats.creates, stats.requests),
        (0, 2),
        "only the two reads"
    );
    assert!(!ws.output().exists());
}

/// The values of a `datetime` extra field are checked as dates and sent as
/// `YYYY-MM-DD HH:MM:SS`; in a column named by the field's key, a value that is not one makes
/// its row invalid, naming the column.
#[test]
fn datetime_values_are_checked_and_sent_in_one_form() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    store.define_extra_field("bday", "Birthday", true);
    let ws = Workspace::new(
        "email,extrafields.bday\na@example.com,2024-03-05\nb@example.com,1990-12-01T08:30\n\
         c@example.com,03/05/2024\nd@example.com,\n",
    );
    let (code, stderr) = run(&ws, "import", &store.api_url(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let rows = ws.results();
    let status: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(status, ["created", "created", "invalid", "created"]);
    assert!(
        rows[2]["error"].contains("extrafields.bday \"03/05/2024\""),
        "{rows:?}"
    );
    assert!(rows[2]["error"].contains("YYYY-MM-DD"), "{rows:?}");
    assert_eq!(
        stored_extras(&store, "a@example.com"),
        json!([{"key": "bday", "value": "2024-03-05 00:00:00"}])
    );
    assert_eq!(
        stored_extras(&store, "b@example.com"),
        json!([{"key": "bday", "value": "1990-12-01 08:30:00"}])
    );
    assert_eq!(stored_extras(&store, "d@example.com"), Value::Null);
}

/// A token without `read_customers_extrafields`: the run says which scope is missing and goes
/// on; `extrafields.KEY` columns are sent by key, unchecked.
#[test]
fn without_the_scope_columns_by_key_are_sent_unchecked() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(SandboxArgs {
        scopes: ["create_customers", "read_customers", "update_customers"]
            .map(String::from)
            .to_vec(),
        ..store_args()
    }));
    let ws = Workspace::new("email,extrafields.nope,Loyalty number\nann@example.com,x,L-1\n");
    let (code, stderr) = run(&ws, "import", &store.api_url(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("read_customers_extrafields"), "{stderr}");
    assert!(stderr.contains("extrafields.nope sent by key"), "{stderr}");
    assert_eq!(
        stored_extras(&store, "ann@example.com"),
        json!([{"key": "nope", "value": "x"}])
    );
    assert_eq!(store.stats().by_status.get("403"), Some(&1));
}

/// `validate` reads no store: it names the columns that may be extra fields and says that
/// `plan` checks them.
#[test]
fn validate_names_the_columns_plan_will_check() {
    let ws = Workspace::new("email,extrafields.tier,Loyalty number\nann@example.com,gold,L-1\n");
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"))
        .arg("validate")
        .arg(&ws.input)
        .output()
        .expect("runs");
    let (code, stderr) = (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(code, 0, "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("extra fields are not checked offline"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("extrafields.tier"), "{line}");
    assert!(line.contains("Loyalty number"), "{line}");
    assert!(line.contains("`plan`"), "{line}");
}

/// `template --mapping --from FILE --store-id ID` reads the store's extra fields and writes a
/// line for a column named as one is titled; the file it prints, used with `--mapping`, sends
/// that column under the field's key. Without `--store-id` it reads no store.
#[test]
fn template_from_maps_a_titled_column_with_a_store() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    let ws = Workspace::new("E-mail,Loyalty Number,Shoe size\nann@example.com,L-7,x\n");
    let template = |store_args: &[&str]| {
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecwid-import"))
            .args(["template", "--mapping", "--from"])
            .arg(&ws.input)
            .args(store_args)
            .env("ECWID_TOKEN", crate::support::TOKEN)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let offline = template(&[]);
    assert!(!offline.contains("extrafields.loyalty_id"), "{offline}");
    let api = store.api_url();
    let text = template(&["--store-id", "1003", "--api-url", &api]);
    assert!(
        text.contains("\"extrafields.loyalty_id\" = \"Loyalty Number\""),
        "{text}"
    );
    assert!(text.contains("# \"?\" = \"Shoe size\""), "{text}");
    assert!(!text.contains("# \"?\" = \"Loyalty Number\""), "{text}");
    let mapping = ws.dir.path().join("mapping.toml");
    std::fs::write(&mapping, text).expect("write");
    let mapping = mapping.to_string_lossy().into_owned();
    let (code, stderr) = run(&ws, "import", &api, &["--mapping", &mapping]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stored_extras(&store, "ann@example.com"),
        json!([{"key": "loyalty_id", "value": "L-7"}])
    );
}

/// A column taken for a `datetime` field by its title (not named by the user, as Mailchimp's
/// `Birthday` of `03/15` may be): a value that is not a date is left out with a note and the
/// customer is still created; a date is sent in the store's form.
#[test]
fn a_titled_date_column_leaves_out_what_is_no_date() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let store = rt.block_on(start(store_args()));
    store.define_extra_field("bday", "Birthday", true);
    let ws = Workspace::new("email,Birthday\na@example.com,1990-03-15\nb@example.com,03/15\n");
    let (code, stderr) = run(&ws, "import", &store.api_url(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let rows = ws.results();
    let status: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(status, ["created", "created"]);
    assert!(
        rows[1]["error"].contains("Birthday \"03/15\" not sent"),
        "{rows:?}"
    );
    assert_eq!(
        stored_extras(&store, "a@example.com"),
        json!([{"key": "bday", "value": "1990-03-15 00:00:00"}])
    );
    assert_eq!(stored_extras(&store, "b@example.com"), Value::Null);
}
