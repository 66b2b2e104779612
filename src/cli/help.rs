//! The closing lines of the commands' `--help`: examples and exit statuses, kept apart from
//! the options so that the command line's shape reads at once in `cli`.

/// The exit statuses, for `import --help`: what a script or scheduler acts on.
macro_rules! exit_status_help {
    () => {
        "\n\nExit status:\n  \
         0    every row created, updated or already in the store\n  \
         1    the run finished, and some rows are invalid, duplicate or failed\n  \
         2    usage error, or the input or an output file cannot be used\n  \
         3    the store refused the token, plan or store\n  \
         75   another run holds the results file (<output>.lock): nothing was done; try later\n  \
         130  interrupted (Ctrl-C, SIGTERM): --resume continues"
    };
}

/// `import --help`'s closing lines; the first example needs the sandbox.
#[cfg(feature = "sandbox")]
pub(super) const IMPORT_AFTER_HELP: &str = concat!(
    "The token is read from ECWID_TOKEN or --token-file, never from a flag.\n\
     A customer created from a row that gives no acceptMarketing (no column, or a blank cell) \
     is created with acceptMarketing false: consent is never implied.\n\n\
     Examples:\n  \
     ecwid-import import customers.csv --sandbox\n  \
     ECWID_TOKEN=secret_... ecwid-import import customers.csv --store-id 1003\n  \
     ecwid-import import customers.csv --store-id 1003 --token-file token.txt --resume",
    exit_status_help!()
);
#[cfg(not(feature = "sandbox"))]
pub(super) const IMPORT_AFTER_HELP: &str = concat!(
    "The token is read from ECWID_TOKEN or --token-file, never from a flag.\n\
     A customer created from a row that gives no acceptMarketing (no column, or a blank cell) \
     is created with acceptMarketing false: consent is never implied.\n\n\
     Examples:\n  \
     ECWID_TOKEN=secret_... ecwid-import import customers.csv --store-id 1003\n  \
     ecwid-import import customers.csv --store-id 1003 --token-file token.txt --resume",
    exit_status_help!()
);

/// `undo --help`'s closing lines.
pub(super) const UNDO_AFTER_HELP: &str = "Reads <RESULTS stem>.undo.jsonl, which the import wrote beside its results file, \
     and writes <RESULTS stem>.undo-results.csv. A customer changed in the store since the import, \
     or with orders, is left alone (skipped). Passwords are never logged and cannot be restored.\n\n\
     Examples:\n  \
     ecwid-import undo customers.results.csv --store-id 1003\n  \
     ecwid-import undo customers.results.csv --store-id 1003 --yes\n\n\
     Exit status:\n  \
     0    every write deleted, restored or not found (or would_delete / would_restore)\n  \
     1    some writes skipped (changed in the store, has orders) or failed\n  \
     2    usage error, or the undo log or an output file cannot be used\n  \
     3    the store refused the token, plan or store\n  \
     75   another run holds the results file (<RESULTS>.lock): nothing was done; try later\n  \
     130  interrupted (Ctrl-C, SIGTERM): writes not undone are not_sent";

/// `plan --help`'s closing lines.
pub(super) const PLAN_AFTER_HELP: &str = "Reads the store (customers, groups, languages) as the import with the same options \
     would, and writes for each row what the import would do: would_create (error notes the \
     acceptMarketing false a create sends when the file gives no consent), would_update (error \
     lists each change as field: \"old\" -> \"new\"), unchanged, exists, would_fail, invalid or \
     duplicate. Sends no create, update or delete; keeps no journal and no undo log. The summary \
     gives the requests the import would need.\n\n\
     Examples:\n  \
     ecwid-import plan customers.csv --store-id 1003\n  \
     ecwid-import plan customers.csv --store-id 1003 --on-existing update --summary-json plan.json\n\n\
     Exit status:\n  \
     0    every row would be created or updated, or is unchanged or exists\n  \
     1    some rows are invalid, duplicate or would fail\n  \
     2    usage error, or the input or an output file cannot be used\n  \
     3    the store refused the token, plan or store\n  \
     75   another run holds the plan file (<output>.lock): nothing was done; try later\n  \
     130  interrupted (Ctrl-C, SIGTERM)";

/// `plan`'s own default output: never an import's results file.
pub(super) const PLAN_OUTPUT_HELP: &str =
    "Plan CSV [default: <input stem>.plan.csv beside the input]";

/// `validate`'s own default output: never an import's results file.
pub(super) const VALIDATE_OUTPUT_HELP: &str =
    "Results CSV [default: <input stem>.validation.csv beside the input]";

/// `export --help`'s closing lines.
pub(super) const EXPORT_AFTER_HELP: &str = "\
The file is written only when every customer has been read: a stopped or failed export leaves \
no file at the output path and says how many customers it had read. The columns are those of \
`ecwid-import template` (more shipping addresses and contacts when customers have them, a \
column per extra field by its key); groups go by name, so that the file can be imported into \
another store. See docs/export.md.

Examples:
  ECWID_TOKEN=secret_... ecwid-import export -o backup.csv --store-id 1003
  ecwid-import export -o vip.xlsx --store-id 1003 --token-file token.txt --group VIP
  ecwid-import export -o recent.csv --store-id 1003 --updated-since 2025-01-31

Exit status:
  0    every customer is in the file
  1    the file is written, but some customers or fields could not be read, or customers were
       deleted while it was read (see the summary); or the store could not be read to the end
       (no file)
  2    usage error, or the output cannot be written
  3    the store refused the token, plan or store (no file)
  75   another run holds the output file (<output>.lock): nothing was done; try later
  130  interrupted (Ctrl-C, SIGTERM): no file";
