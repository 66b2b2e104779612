//! The closing lines of the commands' `--help`: examples and exit statuses, kept apart from
//! the options so that the command line's shape reads at once in `cli`; and the headings the
//! options are grouped under. An example that uses the sandbox is only in the build that has it.

/// The file read and how: delimiter, encoding, sheet, preset, mapping.
pub(crate) const INPUT: &str = "Input";
/// Which store, and what to do with the customers it already has.
pub(crate) const STORE: &str = "Store";
/// How requests are sent: pace, retries, resume, batches, or nothing at all.
pub(crate) const SENDING: &str = "Sending";
/// What the run writes and says: results, summary JSON, quiet or verbose logs.
pub(crate) const OUTPUT: &str = "Output";

/// The exit statuses, for `import --help`: what a script or scheduler acts on.
macro_rules! exit_status_help {
    () => {
        "\n\nExit status:\n  \
         0    every row created, updated, already in the store, or merged (an orders export)\n  \
         1    the run finished, and some rows are invalid, duplicate or failed\n  \
         2    usage error, or the input or an output file cannot be used\n  \
         3    the store refused the token, plan or store\n  \
         75   another run holds the results file (<output>.lock): nothing was done; try later\n  \
         130  interrupted (Ctrl-C, SIGTERM): --resume continues"
    };
}

/// `ecwid-import --help`'s closing lines.
pub(super) const TOP_AFTER_HELP: &str = "Each command's --help has its options and examples.\n\n\
     Examples:\n  \
     ecwid-import validate customers.csv\n  \
     ECWID_TOKEN=secret_... ecwid-import import customers.csv --store-id 1003\n  \
     ecwid-import template > customers.csv\n\n\
     Environment:\n  \
     ECWID_TOKEN                    the access token (or --token-file); never a flag\n  \
     ECWID_STORE_ID                 the store ID (or --store-id)\n  \
     ECWID_API_URL                  the API base (or --api-url)\n  \
     NO_COLOR                       set to a value: no colour in the log\n  \
     RUST_LOG                       the log's level, in place of -q / -v\n  \
     ECWID_IMPORT_PROGRESS_SECONDS  seconds between progress lines off a terminal [10]";

/// What `import --help` says before its examples.
macro_rules! import_notes {
    () => {
        "The token is read from ECWID_TOKEN or --token-file, never from a flag. Its app needs the \
         scopes create_customers and read_customers (update_customers for --on-existing update, \
         read_store_profile for a lang column, read_customers_extrafields to check extra fields; a \
         custom app asks Ecwid for the extra ones). The REST API needs a paid Ecwid plan, customer \
         groups the Business plan or higher.\n\
         Every customer created or updated fires the store's webhooks (customer.created, \
         customer.updated): connected apps react (welcome emails, newsletter syncs); run plan \
         first to see how many. Customers of past guest orders already exist, without addresses: \
         they come out exists; --on-existing update fills them in.\n\
         A customer created from a row that gives no acceptMarketing (no column, or a blank cell) \
         is created with acceptMarketing false: consent is never implied.\n\
         The run ends with the next step as a command to paste: --resume after a stop, the \
         failed rows' file to import once fixed, the undo.\n\n"
    };
}

/// `import --help`'s closing lines; the first example needs the sandbox.
#[cfg(feature = "sandbox")]
pub(super) const IMPORT_AFTER_HELP: &str = concat!(
    import_notes!(),
    "Examples:\n  \
     ecwid-import import customers.csv --sandbox\n  \
     ECWID_TOKEN=secret_... ecwid-import import customers.csv --store-id 1003\n  \
     ecwid-import import customers.csv --store-id 1003 --token-file token.txt --resume",
    exit_status_help!()
);
#[cfg(not(feature = "sandbox"))]
pub(super) const IMPORT_AFTER_HELP: &str = concat!(
    import_notes!(),
    "Examples:\n  \
     ECWID_TOKEN=secret_... ecwid-import import customers.csv --store-id 1003\n  \
     ecwid-import import customers.csv --store-id 1003 --token-file token.txt --resume\n  \
     ecwid-import import customers.csv --store-id 1003 --on-existing update -q \\\n    \
     --summary-json run.json",
    exit_status_help!()
);

/// `undo --help`'s closing lines.
pub(super) const UNDO_AFTER_HELP: &str = "Reads <RESULTS stem>.undo.jsonl, which the import wrote beside its results file, \
     and writes <RESULTS stem>.undo-results.csv. A customer changed in the store since the import, \
     or with orders, is left alone (skipped). Passwords are never logged and cannot be restored. \
     Without --yes, the summary ends with the command that writes. Customer groups the import \
     created (--create-groups) are removed once they hold no customer, else left in place and \
     reported. The token's app needs the scopes read_customers and update_customers.\n\n\
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
     gives the requests the import would need, the read-back after its writes (--read-back) \
     included, and the creates and updates it would make: each fires the store's webhooks \
     (connected apps send welcome emails, sync newsletters). Needs the scope read_customers \
     (read_store_profile for a lang column, read_customers_extrafields to check extra fields). \
     It ends with the import command to paste.\n\n\
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

/// `validate --help`'s closing lines.
pub(super) const VALIDATE_AFTER_HELP: &str = "Reads the file as import would (same preset, \
     mapping and rules) and writes each row's status (valid, invalid, duplicate) with what is \
     wrong, and the rows to fix in <output stem>.failed.csv. Nothing is sent; no token needed.\n\n\
     Examples:\n  \
     ecwid-import validate customers.csv\n  \
     ecwid-import validate export.xlsx --sheet Customers -o checked.csv\n  \
     ecwid-import validate kunden.csv --preset shopify -q --summary-json check.json\n\n\
     Exit status:\n  \
     0    every row is valid\n  \
     1    some rows are invalid or duplicate\n  \
     2    usage error, or the input or an output file cannot be used";

/// `template --help`'s closing lines.
pub(super) const TEMPLATE_AFTER_HELP: &str = "Examples:\n  \
     ecwid-import template > customers.csv\n  \
     ecwid-import template --mapping > mapping.toml\n  \
     ecwid-import template --mapping --from kunden.csv > kunden.toml";

/// `completions --help`'s closing lines.
pub(super) const COMPLETIONS_AFTER_HELP: &str = "Examples:\n  \
     ecwid-import completions bash > /etc/bash_completion.d/ecwid-import\n  \
     ecwid-import completions zsh > ~/.zfunc/_ecwid-import";

/// `sandbox --help`'s closing lines.
#[cfg(feature = "sandbox")]
pub(super) const SANDBOX_AFTER_HELP: &str = "Examples:\n  \
     ecwid-import sandbox --port 8080 --fail-before 0.1 --seed 7\n  \
     ECWID_TOKEN=secret_sandbox ecwid-import import customers.csv --store-id 1003 \\\n    \
     --api-url http://127.0.0.1:8080/api/v3\n  \
     ecwid-import sandbox --seed-customers 5000 --latency-ms 50";
