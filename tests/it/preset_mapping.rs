//! `template --mapping --from FILE` for a file of a known export: the mapping the run really
//! uses, column by column, with each column's reason, and nothing the run does not do.

use ecwid_import::input::mapping::Layout;
use serde_json::Value;

use crate::matcher::template_from;
use crate::presets::{map, mapping, read_sample, sample};

/// The bodies of every valid row of `csv` under `layout`, with their notes.
fn bodies(csv: &str, layout: &Layout) -> Vec<(Value, Vec<String>)> {
    let (columns, _, rows) = map(csv, layout).expect("header maps");
    rows.iter()
        .filter_map(|row| columns.request(row).ok())
        .map(|r| (serde_json::to_value(&r.request).unwrap(), r.notes))
        .collect()
}

/// Every sample of an export: the printed mapping names the preset and why, names every
/// column the preset reads (a commented mapping line, or in words what no line can say), lists
/// every column it does not read as not imported by that preset, and read back with
/// `--mapping` gives exactly the same requests.
#[test]
fn a_preset_file_gets_the_mapping_the_run_uses() {
    for name in [
        "shopify-current.csv",
        "woocommerce-webtoffee.csv",
        "magento-composite.csv",
        "bigcommerce-bulk-edit.csv",
        "wix.csv",
        "squarespace.csv",
        "mailchimp-subscribed.csv",
        "hubspot.csv",
    ] {
        let text = template_from(&sample(name));
        let csv = read_sample(name);
        let (columns, choice, _) = map(&csv, &Layout::default()).unwrap();
        assert!(
            text.contains(&format!("preset {}", choice.preset)),
            "{name}: {text}"
        );
        assert!(
            !text.contains("\n[fields]\nemail = \"email\""),
            "{name}: {text}"
        );
        let not_imported = columns.not_imported();
        let header: Vec<String> = csv
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect();
        for column in &header {
            let quoted = format!("{column:?}");
            let listed = text.contains(&format!("# \"?\" = {quoted}\n"));
            assert_eq!(
                listed,
                not_imported.contains(column),
                "{name}: {column} listed as not imported: {listed}\n{text}"
            );
            if !listed {
                assert!(text.contains(&quoted), "{name}: {column} not named\n{text}");
            }
        }
        let read_back = Layout {
            preset: None,
            mapping: Some(mapping(&text)),
        };
        assert_eq!(
            bodies(&csv, &read_back),
            bodies(&csv, &Layout::default()),
            "{name}"
        );
    }
}

/// A line uncommented and edited is all it takes to change one field of a preset file.
#[test]
fn one_uncommented_line_changes_one_field() {
    let text = template_from(&sample("hubspot.csv"));
    let line = "# \"billingPerson.phone\" = \"Phone Number\"   # else \"Mobile Phone Number\" \
                where that is blank\n";
    assert!(text.contains(line), "{text}");
    let fixed = text.replace(line, "\"billingPerson.phone\" = \"Mobile Phone Number\"\n");
    let layout = Layout {
        preset: None,
        mapping: Some(mapping(&fixed)),
    };
    let rows = bodies(&read_sample("hubspot.csv"), &layout);
    assert_eq!(rows[0].0["billingPerson"].get("phone"), None);
    assert_eq!(rows[1].0["billingPerson"]["phone"], "+47 912 34 567");
    assert_eq!(rows[0].0["billingPerson"]["city"], "Dakar");
}
