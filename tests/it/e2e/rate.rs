//! The store's rate limit: the default --rate stays under it, a tighter store is waited out.

use ecwid_import::sandbox::SandboxArgs;

use super::*;
use crate::support::{Workspace, emails_csv, numbered};

/// At the default --rate, a store allowing 30 requests per 2 s never answers 429.
#[tokio::test]
async fn default_rate_stays_under_the_store_limit() {
    let emails = numbered("paced", 40);
    let store = start(SandboxArgs {
        rate_limit: 30,
        rate_window_secs: 2.0,
        ..store_args()
    })
    .await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &[]).await, 0);
    assert_all_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.rate_limited, 0, "{stats:?}");
    assert!(stats.max_in_window <= 30, "{stats:?}");
    // The store's size first (an empty store: nothing more to read), then the creates, then
    // the read-back's one page.
    assert_eq!(stats.requests, 42, "{stats:?}");
}

/// A store tighter than --rate answers 429s; the import waits them out and creates each row once.
#[tokio::test]
async fn tight_store_limit_is_waited_out() {
    let emails = numbered("tight", 15);
    let store = start(SandboxArgs {
        rate_limit: 5,
        rate_window_secs: 1.0,
        ..store_args()
    })
    .await;
    let ws = Workspace::new(&emails_csv(&emails));
    assert_eq!(ws.import(&store.api_url(), &FAST).await, 0);
    assert_eq!(ws.results().len(), 15);
    assert_all_created_with_store_ids(&ws, &store);
    assert_holds_each_once(&store, &emails);
    let stats = store.stats();
    assert!(stats.rate_limited > 0, "{stats:?}");
    assert_eq!(stats.creates, 15, "{stats:?}");
    assert_eq!(stats.duplicate_creates, 0, "{stats:?}");
}
