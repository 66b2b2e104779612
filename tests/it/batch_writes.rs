//! Every write kind through the batch lane: `--on-existing update`'s `PUT`s go out inside
//! batches, as creates do, with the same rules: one batch per group under its own key, rows
//! refused with 429 inside a batch sent in a later one, 5xx and lost answers on submits and
//! polls, `kill -9` then `--resume`. Checked from the results, the store and the requests it
//! received.

use ecwid_import::sandbox::{Counting, Sandbox, SandboxArgs};

use crate::e2e::{start, store_args};
use crate::resume::wait_until;
use crate::support::{Workspace, column};

fn numbered(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}@example.com")).collect()
}

/// A file of `emails`, each with the name `name N`.
fn named_csv(emails: &[String], name: &str) -> String {
    let mut csv = String::from("email,name\n");
    for (i, email) in emails.iter().enumerate() {
        csv.push_str(&format!("{email},{name} {i}\n"));
    }
    csv
}

/// The batch lane in groups of 40, `--on-existing` next.
const LANE: [&str; 6] = [
    "--batch",
    "--batch-size",
    "40",
    "--read-back",
    "none",
    "--on-existing",
];

const FAST: [&str; 2] = ["--rate", "60000"];

/// A store holding `emails` named `Old N`, registered a day ago; the workspace's file names
/// them `New N`.
async fn changed_store(args: SandboxArgs, emails: &[String]) -> (Sandbox, Workspace) {
    let store = start(args).await;
    for (i, email) in emails.iter().enumerate() {
        let body =
            serde_json::json!({"email": email, "billingPerson": {"name": format!("Old {i}")}});
        store.seed_customer(body).expect("seeded");
    }
    (store, Workspace::new(&named_csv(emails, "New")))
}

/// Every customer of `emails` holds the name `New N`, once.
fn assert_renamed(store: &Sandbox, emails: &[String]) {
    let customers = store.customers();
    assert_eq!(customers.len(), emails.len());
    for (i, email) in emails.iter().enumerate() {
        let found: Vec<_> = customers
            .iter()
            .filter(|c| c.customer.email.as_deref() == Some(email.as_str()))
            .collect();
        assert_eq!(found.len(), 1, "{email}");
        let name = found[0]
            .customer
            .billing_person
            .as_ref()
            .and_then(|b| b.name.clone());
        assert_eq!(
            name.as_deref(),
            Some(format!("New {i}").as_str()),
            "{email}"
        );
    }
}

fn assert_each(ws: &Workspace, status: &str) {
    for row in ws.results() {
        assert_eq!(row["status"], status, "{row:?}");
    }
}

/// An update run of 100 changed customers through the batch lane: the store's customers read
/// once, their `PUT`s in three batches (groups of 40), each row `updated`; the same run again
/// finds every row `unchanged` and sends no batch.
#[tokio::test]
async fn an_update_run_sends_its_puts_in_batches_and_a_second_run_nothing() {
    let emails = numbered("upd", 100);
    let (store, ws) = changed_store(store_args(), &emails).await;
    let before = store.stats();
    let args = [&FAST[..], &LANE, &["update", "--snapshot", "always"]].concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_each(&ws, "updated");
    assert_renamed(&store, &emails);
    let after = store.stats();
    assert_eq!(after.updates - before.updates, 100, "{after:?}");
    assert_eq!(after.batches - before.batches, 3, "{after:?}");
    assert_eq!(
        after.creates, before.creates,
        "no create was sent: {after:?}"
    );
    // The listing, three submits and their polls: no `PUT` of its own.
    let requests = after.requests - before.requests;
    assert!(requests <= 3 + 3 * 6, "{requests} requests: {after:?}");

    let again = store.stats();
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_each(&ws, "unchanged");
    let last = store.stats();
    assert_eq!((last.updates, last.batches), (again.updates, again.batches));
}

/// Without a snapshot the creates go first: each answered 409 inside its batch, the customer is
/// looked up, and the `PUT`s of the group go out in a batch of their own.
#[tokio::test]
async fn without_a_snapshot_the_409s_come_to_a_batch_of_puts() {
    let emails = numbered("nosnap", 50);
    let (store, ws) = changed_store(store_args(), &emails).await;
    let before = store.stats();
    let args = [&FAST[..], &LANE, &["update", "--snapshot", "never"]].concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_each(&ws, "updated");
    assert_renamed(&store, &emails);
    let after = store.stats();
    assert_eq!(after.updates - before.updates, 50);
    // Two groups: a batch of creates (all 409) and one of `PUT`s each.
    assert_eq!(after.batches - before.batches, 4, "{after:?}");
    assert_eq!(after.creates, before.creates);
}

/// A store that refuses the requests inside batches past its limit (FAILED 429, not run): the
/// refused `PUT`s go into later batches, and every row ends `updated`, none failed for it.
#[tokio::test]
async fn puts_refused_with_429_inside_a_batch_go_into_later_batches() {
    let emails = numbered("upd429-", 120);
    let (store, ws) = changed_store(
        SandboxArgs {
            rate_limit: 10,
            rate_window_secs: 1.0,
            batch_counting: Counting::Refused,
            ..store_args()
        },
        &emails,
    )
    .await;
    let args = [
        &["--rate", "600"][..],
        &LANE,
        &["update", "--snapshot", "always"],
    ]
    .concat();
    assert_eq!(ws.import(&store.api_url(), &args).await, 0);
    assert_each(&ws, "updated");
    assert_renamed(&store, &emails);
    let stats = store.stats();
    assert!(
        stats.batch_inner_429 > 0,
        "the store refused none: {stats:?}"
    );
}

/// 5xx answers and lost answers to submits and polls (a submit sent again under its key), and
/// polls that find a batch queued, then partly done: every row `updated`, each once.
#[tokio::test]
async fn faults_on_submits_and_polls_of_puts_end_each_row_updated() {
    let emails = numbered("updfault", 120);
    let (store, ws) = changed_store(
        SandboxArgs {
            fail_before: 0.2,
            drop_batch_after: 0.3,
            seed: Some(7),
            ..store_args()
        },
        &emails,
    )
    .await;
    store.hold_batches();
    let args = [&FAST[..], &LANE, &["update", "--snapshot", "always"]].concat();
    let watch = async {
        let polled = |n: u64| {
            let store = &store;
            async move {
                while store.stats().batch_polls < n {
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
            }
        };
        polled(1).await;
        store.allow_batch_requests(10);
        let seen = store.stats().batch_polls;
        polled(seen + 1).await;
        store.release_batches();
    };
    let api = store.api_url();
    let (code, ()) = tokio::join!(ws.import(&api, &args), watch);
    assert_eq!(code, 0);
    assert_each(&ws, "updated");
    assert_renamed(&store, &emails);
    let stats = store.stats();
    assert!(stats.injected_faults > 0, "{stats:?}");
    assert_eq!(stats.not_applied, 0, "{stats:?}");
}

/// `kill -9` while a batch of `PUT`s is queued in the store, then `--resume`: the open batch is
/// polled before anything is sent, and every row ends `updated` with the file's values.
#[tokio::test]
async fn killed_with_a_batch_of_puts_queued_then_resumed() {
    let emails = numbered("updkill", 60);
    let (store, ws) = changed_store(store_args(), &emails).await;
    store.hold_batches();
    let args = [&LANE[..], &["update", "--snapshot", "always"]].concat();
    let mut child = ws
        .import_process(&store.api_url(), &args)
        .spawn()
        .expect("spawn");
    wait_until(&mut child, || store.stats().batch_polls > 0).await;
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let journal = ws.dir.path().join("customers.results.csv.journal");
    let text = std::fs::read_to_string(&journal).expect("journal");
    assert!(
        text.contains("\nB,1,40,"),
        "the ticket is in the journal: {text}"
    );
    store.release_batches();

    let resume = [&FAST[..], &args, &["--resume"]].concat();
    assert_eq!(ws.import(&store.api_url(), &resume).await, 0);
    let rows = ws.results();
    assert_eq!(rows.len(), 60);
    let statuses = column(&rows, "status");
    assert!(
        statuses.iter().all(|s| s == "updated" || s == "unchanged"),
        "{rows:?}"
    );
    assert_renamed(&store, &emails);
    let stats = store.stats();
    assert_eq!(stats.deduplicated_batches, 0, "{stats:?}");
}
