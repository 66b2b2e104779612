//! Columns matched by meaning: headers in seven languages imported with no flags, the choices
//! stated in the log and what the matcher leaves alone, password hashes never sent, real files
//! of no known export, and the round trip of `template --mapping --from` through `--mapping`.

mod choices;
mod labels;
mod languages;
mod passwords;
mod template;

use std::path::Path;

use assert_cmd::Command;
use csv::ByteRecord;
use ecwid_import::input::mapping::{ColumnMap, Layout};
use serde_json::Value;

use crate::presets::map;

/// Every row of a CSV text mapped with no flags: the request bodies, and the run's choice.
pub(super) fn bodies(csv: &str, layout: &Layout) -> (Vec<Value>, String) {
    let (map, choice, rows) = map(csv, layout).expect("header maps");
    let bodies = rows
        .iter()
        .map(|row| serde_json::to_value(map.request(row).expect("row is valid").request).unwrap())
        .collect();
    (bodies, choice.to_string())
}

/// The first row's request body and the run's choice, with no flags or with `layout`.
pub(super) fn first_body(csv: &str, layout: &Layout) -> (Value, String) {
    let (map, choice, rows) = map(csv, layout).expect("header maps");
    let request = map.request(&rows[0]).expect("row is valid").request;
    (serde_json::to_value(request).unwrap(), choice.to_string())
}

/// `ecwid-import template --mapping --from <input>`: what it prints, after checking it ran.
pub(crate) fn template_from(input: &Path) -> String {
    let output = Command::cargo_bin("ecwid-import")
        .unwrap()
        .args(["template", "--mapping", "--from"])
        .arg(input)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Each of `rows` is sent without its password, with a note that it looked like a hash.
pub(crate) fn assert_sent_without_hash(columns: &ColumnMap, rows: &[ByteRecord]) {
    for row in rows {
        let mapped = columns.request(row).unwrap();
        assert_eq!(mapped.request.password, None);
        assert!(
            mapped.notes[0].contains("password hash"),
            "{:?}",
            mapped.notes
        );
    }
}
