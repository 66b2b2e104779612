//! What a merchant must know before touching a live store, as the docs and `--help` say it:
//! the scopes, plans and webhooks in `--help`, and customers of past guest orders (an account
//! with the email and no address) coming out `exists`, then filled in by `--on-existing update`.

use clap::CommandFactory;
use serde_json::json;

use ecwid_import::cli::Cli;

use crate::e2e::{start, store_args};
use crate::support::Workspace;

fn help_of(command: &str) -> String {
    let mut cli = Cli::command();
    let help = cli
        .find_subcommand_mut(command)
        .expect("a command")
        .render_long_help()
        .to_string();
    // One line: the help is wrapped to the terminal.
    help.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `import --help` names the scopes, the paid plan, the webhooks and the guest-order customers;
/// `plan`, `undo` and `--create-groups` say what depends on them.
#[test]
fn help_says_what_a_live_store_needs() {
    let import = help_of("import");
    for fact in [
        "create_customers and read_customers",
        "read_customers_extrafields",
        "a custom app asks Ecwid",
        "paid Ecwid plan",
        "Business plan or higher",
        "webhooks",
        "run plan first",
        "guest orders",
        "--on-existing update fills them in",
    ] {
        assert!(
            import.contains(fact),
            "import --help lacks {fact:?}:\n{import}"
        );
    }
    let plan = help_of("plan");
    assert!(plan.contains("webhooks"), "{plan}");
    assert!(plan.contains("creates and updates it would make"), "{plan}");
    let undo = help_of("undo");
    assert!(
        undo.contains("read_customers and update_customers"),
        "{undo}"
    );
    assert!(undo.contains("--create-groups"), "{undo}");
}

/// A customer of a past guest order (email only, no address) is `exists` by default and sent
/// nothing; `--on-existing update` fills in the file's name and address.
#[tokio::test]
async fn guest_order_customers_exist_and_update_fills_them_in() {
    let store = start(store_args()).await;
    let id = store
        .seed_customer(json!({"email": "guest@example.com"}))
        .expect("seeded");
    let ws = Workspace::new(
        "email,name,billingPerson.street,billingPerson.city,billingPerson.countryCode\n\
         guest@example.com,Gina Guest,Main St 1,Berlin,DE\n",
    );
    assert_eq!(ws.import(&store.api_url(), &["--rate", "60000"]).await, 0);
    assert_eq!(ws.results()[0]["status"], "exists");
    assert_eq!(store.stats().updates, 0);
    assert_eq!(
        ws.import(
            &store.api_url(),
            &["--rate", "60000", "--on-existing", "update"]
        )
        .await,
        0
    );
    assert_eq!(ws.results()[0]["status"], "updated");
    let held = store
        .customers()
        .into_iter()
        .find(|c| c.id == id)
        .expect("held");
    assert_eq!(held.body["billingPerson"]["city"], "Berlin");
    assert_eq!(held.body["billingPerson"]["name"], "Gina Guest");
}
