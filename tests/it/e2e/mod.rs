//! End to end: the import pipeline against the sandbox store on 127.0.0.1, checked from both
//! sides (the results file and exit status the user sees, and what the store received and
//! holds): the shared store and checks here, the tests by concern in the modules below.

mod binary;
mod faults;
mod rate;
mod runs;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use ecwid_import::sandbox::{Sandbox, SandboxArgs, StoredCustomer};
use serde_json::Value;

use crate::support::{TOKEN, Workspace, emails_csv};

/// Options that keep the rate out of the way where it is not under test.
pub(super) const FAST: [&str; 2] = ["--rate", "60000"];

pub(super) fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/customers.csv")
}

/// Sandbox options matching the helper's `--store-id 1003` and token file, with no wait between
/// the store's own retries of a request inside a batch (3 s in a real store).
pub(crate) fn store_args() -> SandboxArgs {
    SandboxArgs {
        store_id: 1003,
        token: TOKEN.to_string(),
        batch_retry_secs: 0.0,
        ..SandboxArgs::default()
    }
}

pub(crate) async fn start(args: SandboxArgs) -> Sandbox {
    Sandbox::start(&args).await.expect("sandbox starts")
}

pub(super) fn lower(email: &str) -> String {
    email.trim().to_lowercase()
}

/// How many customers the store holds per email (lower case).
pub(super) fn stored_counts(customers: &[StoredCustomer]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for c in customers {
        let email = c.customer.email.as_deref().expect("stored with an email");
        *counts.entry(lower(email)).or_default() += 1;
    }
    counts
}

/// The store holds exactly these emails (any case), each once.
pub(crate) fn assert_holds_each_once(store: &Sandbox, emails: &[String]) {
    let counts = stored_counts(&store.customers());
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "stored more than once: {twice:?}");
    let held: Vec<String> = counts.into_keys().collect();
    let mut expected: Vec<String> = emails.iter().map(|e| lower(e)).collect();
    expected.sort();
    expected.dedup();
    assert_eq!(held, expected);
}

/// Email (lower case) -> stored customer id.
pub(super) fn stored_ids(store: &Sandbox) -> HashMap<String, u64> {
    store
        .customers()
        .into_iter()
        .map(|c| (lower(c.customer.email.as_deref().unwrap_or("")), c.id))
        .collect()
}

/// Every row is `created` with the id the store gave that email.
pub(super) fn assert_all_created_with_store_ids(ws: &Workspace, store: &Sandbox) {
    let ids = stored_ids(store);
    for row in ws.results() {
        assert_eq!(row["status"], "created", "{row:?}");
        let id: u64 = row["customer_id"].parse().expect("customer id");
        assert_eq!(ids.get(&lower(&row["email"])), Some(&id), "{row:?}");
        let attempts: u32 = row["attempts"].parse().expect("attempts");
        assert!(attempts >= 1, "{row:?}");
    }
}

/// The rows that say `created` carry the id the store holds for their email.
pub(super) fn assert_all_created_with_store_ids_of(
    rows: &[HashMap<String, String>],
    store: &Sandbox,
) {
    let ids = stored_ids(store);
    for row in rows.iter().filter(|r| r["status"] == "created") {
        let id: u64 = row["customer_id"].parse().expect("customer id");
        assert_eq!(ids.get(&lower(&row["email"])), Some(&id), "{row:?}");
    }
}

/// Runs `emails` into a sandbox with `faults`; asserts each row created once, returns the store.
pub(super) async fn import_all_created(
    faults: SandboxArgs,
    emails: &[String],
    extra: &[&str],
) -> Sandbox {
    let store = start(faults).await;
    let ws = Workspace::new(&emails_csv(emails));
    let mut args = FAST.to_vec();
    args.extend_from_slice(extra);
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_eq!(ws.results().len(), emails.len());
    assert_all_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, emails);
    let stats = store.stats();
    assert_eq!(stats.creates, emails.len() as u64, "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
    store
}

pub(super) fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("summary written");
    serde_json::from_str(&text).expect("summary is JSON")
}
