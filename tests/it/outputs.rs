//! Who writes which output: no command writes another's output by default, so a check never
//! replaces an import's results.

use crate::support::{Workspace, column, read_csv};

fn journal(ws: &Workspace) -> std::path::PathBuf {
    ws.dir.path().join("customers.results.csv.journal")
}

/// `validate` and `import --dry-run` write `<stem>.validation.csv` and
/// `<stem>.validation.failed.csv`, and leave an import's results, failed rows and journal as
/// they were.
#[test]
fn a_check_never_replaces_the_import_results() {
    let ws = Workspace::new("email,name\nann@example.com,Ann\nnot-an-email,Bob\n");
    let import_files = [ws.output(), ws.failed_output(), journal(&ws)];
    for path in &import_files {
        std::fs::write(path, "an import's own\n").expect("written");
    }
    let checks: [&[&str]; 2] = [&["validate"], &["import", "--dry-run"]];
    for args in checks {
        let validation = ws.dir.path().join("customers.validation.csv");
        let failed = ws.dir.path().join("customers.validation.failed.csv");
        let _ = std::fs::remove_file(&validation);
        let _ = std::fs::remove_file(&failed);
        assert_cmd::Command::cargo_bin("ecwid-import")
            .expect("binary")
            .args(args)
            .arg("-q")
            .arg(&ws.input)
            .env_remove("ECWID_STORE_ID")
            .assert()
            .code(1);
        let statuses = column(&read_csv(&validation), "status");
        assert_eq!(statuses, ["valid", "invalid"], "{args:?}");
        let failed = std::fs::read_to_string(&failed).expect("failed rows");
        assert_eq!(failed, "email,name\nnot-an-email,Bob\n", "{args:?}");
        for path in &import_files {
            let kept = std::fs::read_to_string(path).expect("still there");
            assert_eq!(kept, "an import's own\n", "{args:?}: {}", path.display());
        }
    }
}
