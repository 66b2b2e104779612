//! A local stand-in of the Ecwid REST API, so that a whole import can be seen, tested and
//! benchmarked with no account and no network.
//!
//! It keeps customers in memory, answers the endpoints ecwid-import uses the way Ecwid's docs
//! describe them (`ecwid-api.md`), runs batches in a queue of its own as Ecwid does, enforces
//! the per-token rate limit and the token's scopes, and can be told to
//! misbehave (errors before or after a create takes effect, dropped connections, spurious 429s,
//! latency) so that the client's retry and de-duplication logic meets the failures it is built
//! for. It listens on 127.0.0.1 only: it has a fixed token and no persistence, so it must never
//! be reachable from another machine.
//!
//! Two inspection endpoints, outside the API and without auth, let tests and users see what
//! the store holds: `GET /_sandbox/customers` and `GET /_sandbox/stats`.

mod api;
mod batch;
mod clock;
mod extra_fields;
mod faults;
mod gate;
mod groups;
mod listing;
mod places;
mod queue;
mod record;
mod reply;
mod response_fields;
mod rules;
mod scopes;
mod server;
mod state;
mod stats;
mod store;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use stats::Stats;
pub use store::StoredCustomer;

/// Options of `ecwid-import sandbox` (and of the in-process sandbox of `import --sandbox`).
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 to listen on; 0 picks a free one
    #[arg(long, default_value_t = 8080, help_heading = "Store")]
    pub port: u16,
    /// Store ID the sandbox answers to; other IDs get 404 STORE_NOT_FOUND
    #[arg(long, default_value_t = 1003, help_heading = "Store")]
    pub store_id: u64,
    /// The one access token accepted (`Authorization: Bearer <token>`)
    #[arg(long, default_value = "secret_sandbox", help_heading = "Store")]
    pub token: String,
    /// Requests allowed per token in any window of --rate-window-secs; past it, 429
    #[arg(long, default_value_t = 600, help_heading = "Rate limit")]
    pub rate_limit: u32,
    /// Length of the sliding rate-limit window, in seconds
    #[arg(long, default_value_t = 60.0, help_heading = "Rate limit")]
    pub rate_window_secs: f64,
    /// Share (0 to 1) of API requests answered 500 or 503 without taking effect
    #[arg(long, default_value_t = 0.0, value_parser = parse_share, help_heading = "Faults")]
    pub fail_before: f64,
    /// Share (0 to 1) of creates that store the customer, then answer 500
    #[arg(long, default_value_t = 0.0, value_parser = parse_share, help_heading = "Faults")]
    pub fail_after: f64,
    /// Share (0 to 1) of creates that store the customer, then close the connection unanswered
    #[arg(long, default_value_t = 0.0, value_parser = parse_share, help_heading = "Faults")]
    pub drop_after: f64,
    /// Share (0 to 1) of API requests answered 429 with `Retry-After: 1` although under the limit
    #[arg(long, default_value_t = 0.0, value_parser = parse_share, help_heading = "Faults")]
    pub spurious_429: f64,
    /// Share (0 to 1) of batch submits that queue the batch, then close the connection unanswered
    #[arg(long, default_value_t = 0.0, value_parser = parse_share, help_heading = "Faults")]
    pub drop_batch_after: f64,
    /// Share (0 to 1) of requests inside a batch answered 500 at every attempt, so that the
    /// store's own retries give up; half of them took effect at the first
    #[arg(long, default_value_t = 0.0, value_parser = parse_share, help_heading = "Faults")]
    pub batch_inner_500: f64,
    /// Share (0 to 1) of requests inside a batch answered 500 once, half of them after taking
    /// effect; the store retries them itself (stopOnFirstFailure=false), so a create that took
    /// effect comes back as 409
    #[arg(long, default_value_t = 0.0, value_parser = parse_share, help_heading = "Faults")]
    pub batch_inner_500_once: f64,
    /// Seconds between the store's own retries of a request inside a batch that answered 5xx
    #[arg(long, default_value_t = 3.0, help_heading = "Faults")]
    pub batch_retry_secs: f64,
    /// Seconds a batch's deduplication key is remembered
    #[arg(long, default_value_t = 3600.0, help_heading = "Faults")]
    pub dedup_key_ttl_secs: f64,
    /// Share (0 to 1) of requests inside a batch left NOT_EXECUTED
    #[arg(long, default_value_t = 0.0, value_parser = parse_share, help_heading = "Faults")]
    pub batch_not_executed: f64,
    /// Creates of emails at this domain are refused with 400 WRONG_PARAMETER, a store-side rule
    /// that no client can check beforehand
    #[arg(long, value_name = "DOMAIN", help_heading = "Faults")]
    pub refuse_domain: Option<String>,
    /// Milliseconds one request inside a batch takes to run (Ecwid documents no time; 0 runs
    /// them at once)
    #[arg(long, default_value_t = 0, value_name = "MS", help_heading = "Batches")]
    pub batch_request_ms: u64,
    /// Run a batch's requests one after another even when it was sent with
    /// `allowParallelMode=true` (Ecwid documents up to 100 at once)
    #[arg(long, help_heading = "Batches")]
    pub ignore_parallel_mode: bool,
    /// How requests inside batches count against the token's rate limit (Ecwid does not say):
    /// `none`, `throttled` (each waits for room in the window, so batches take longer and the
    /// client's own requests may find the window full) or `refused` (past the limit, answered
    /// FAILED with httpStatusCode 429 and not executed)
    #[arg(long, value_enum, default_value_t = Counting::None, help_heading = "Batches")]
    pub batch_counting: Counting,
    /// Milliseconds added to every API request
    #[arg(long, default_value_t = 0, help_heading = "Rate limit")]
    pub latency_ms: u64,
    /// Seed of the fault choices, so that a run with faults can be repeated exactly
    #[arg(long, help_heading = "Faults")]
    pub seed: Option<u64>,
    /// Languages enabled in the store (a customer's `lang` must be one); the first is the default
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "en,fr,de,es",
        help_heading = "Store"
    )]
    pub languages: Vec<String>,
    /// Access scopes of the token's app; an endpoint that needs one it lacks answers 403
    /// INSUFFICIENT_APP_SCOPE
    #[arg(long, value_delimiter = ',', default_value = ALL_SCOPES, help_heading = "Store")]
    pub scopes: Vec<String>,
    /// The store's plan has no customer groups: every `/customer_groups` request (list, create,
    /// delete) answers 402 NOT_AVAILABLE_ON_CURRENT_PLAN
    #[arg(long, help_heading = "Store")]
    pub plan_without_groups: bool,
    /// The customer extra fields the store defines (`GET /store_extrafields/customers`), each
    /// `KEY=Title`, or `KEY=Title:datetime` for a date field
    #[arg(long, value_delimiter = ',', default_value = DEFAULT_EXTRA_FIELDS, help_heading = "Store")]
    pub extra_fields: Vec<String>,
    /// Start with this many customers in the store (emails `seeded-<id>@example.com`), each
    /// registered a second after the one before, all before the sandbox started
    #[arg(long, default_value_t = 0, value_name = "N", help_heading = "Store")]
    pub seed_customers: u64,
    /// Writes to the customers with these emails are answered `{"updateCount": 0}` /
    /// `{"deleteCount": 0}` and change nothing, as Ecwid documents for a write it did not apply
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "EMAIL,...",
        help_heading = "Faults"
    )]
    pub not_applied: Vec<String>,
    /// Top-level fields of a customer that a write silently drops: the create or update is
    /// answered as usual, but the store keeps none of these (e.g. `fiscalCode`), as a store
    /// may do with a field it does not take; for trying out `import --read-back`
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "FIELDS",
        help_heading = "Faults"
    )]
    pub drop_fields: Vec<String>,
}

/// How requests inside batches count against the token's rate limit (`--batch-counting`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Counting {
    // Not at all: only the submit and the polls count.
    None,
    // Each waits until the window has room and then counts: batches run at the budget's pace.
    Throttled,
    // Each counts; past the limit it is not executed and answered FAILED, httpStatusCode 429.
    Refused,
}

/// The most requests of one batch a store runs at once with `allowParallelMode=true`.
pub(crate) const PARALLEL_REQUESTS: usize = 100;

/// Every scope an endpoint of the sandbox needs (`ecwid-api.md` names them per endpoint).
const ALL_SCOPES: &str = "create_customers,read_customers,update_customers,read_store_profile,\
                          read_customers_extrafields";

/// The extra fields of a sandbox store unless told otherwise: `template`'s example key.
const DEFAULT_EXTRA_FIELDS: &str = "loyalty_id=Loyalty number";

impl Default for SandboxArgs {
    /// The command line's defaults, except `port: 0`: an in-process sandbox (tests,
    /// `import --sandbox`) must not collide with anything already listening on 8080.
    fn default() -> Self {
        Self {
            port: 0,
            store_id: 1003,
            token: "secret_sandbox".to_string(),
            rate_limit: 600,
            rate_window_secs: 60.0,
            fail_before: 0.0,
            fail_after: 0.0,
            drop_after: 0.0,
            spurious_429: 0.0,
            drop_batch_after: 0.0,
            batch_inner_500: 0.0,
            batch_inner_500_once: 0.0,
            batch_retry_secs: 3.0,
            dedup_key_ttl_secs: 3600.0,
            batch_not_executed: 0.0,
            refuse_domain: None,
            batch_request_ms: 0,
            ignore_parallel_mode: false,
            batch_counting: Counting::None,
            latency_ms: 0,
            seed: None,
            languages: ["en", "fr", "de", "es"].map(String::from).to_vec(),
            scopes: ALL_SCOPES.split(',').map(String::from).collect(),
            plan_without_groups: false,
            extra_fields: DEFAULT_EXTRA_FIELDS.split(',').map(String::from).collect(),
            seed_customers: 0,
            not_applied: Vec::new(),
            drop_fields: Vec::new(),
        }
    }
}

/// Locks a mutex of the sandbox. A request that panicked while holding one left counters or a
/// map half-updated at worst; serving on is more useful to a test than failing every request.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn parse_share(text: &str) -> Result<f64, String> {
    let share: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    check_share(share)
}

fn check_share(share: f64) -> Result<f64, String> {
    if (0.0..=1.0).contains(&share) {
        Ok(share)
    } else {
        Err(format!("{share} is not a share between 0 and 1"))
    }
}

/// A running sandbox. Dropping it stops the server too; [`Sandbox::shutdown`] also waits for it.
pub struct Sandbox {
    addr: SocketAddr,
    state: Arc<state::Shared>,
    stop: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds 127.0.0.1:`args.port` and serves in a tokio task, with the batch queue in
    /// another. Fails with `InvalidInput` on options that make no sense (a share outside 0..1,
    /// a zero rate limit, a window that is not a positive number of seconds, a negative time,
    /// no languages).
    pub async fn start(args: &SandboxArgs) -> io::Result<Sandbox> {
        let (state, queued) = state::Shared::new(args)?;
        let state = Arc::new(state);
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port)).await?;
        let addr = listener.local_addr()?;
        let stop = CancellationToken::new();
        let server = server::accept_loop(listener, Arc::clone(&state), stop.clone());
        let worker = queue::work(Arc::clone(&state), queued, stop.clone());
        let sandbox = Sandbox {
            addr,
            state,
            stop,
            tasks: vec![tokio::spawn(server), tokio::spawn(worker)],
        };
        sandbox.seed(args.seed_customers);
        Ok(sandbox)
    }

    /// Adds `n` customers, each registered a second after the one before and all before
    /// now (emails `seeded-<id>@example.com`): a large store in an instant, for tests of
    /// reading the whole store.
    pub fn seed(&self, n: u64) {
        let n_secs = i64::try_from(n).unwrap_or(i64::MAX);
        // Well before now, so that none counts as registered during a run.
        let first_at = clock::now().saturating_sub(n_secs).saturating_sub(86_400);
        lock(&self.state.store).seed(n, first_at);
    }

    /// The API base to give a client, e.g. `http://127.0.0.1:8080/api/v3`; requests go to
    /// `{api_url}/{store_id}/...` as with Ecwid.
    pub fn api_url(&self) -> String {
        format!("http://{}/api/v3", self.addr)
    }

    pub fn store_id(&self) -> u64 {
        self.state.config.store_id
    }

    pub fn token(&self) -> &str {
        &self.state.config.token
    }

    /// The same as `GET /_sandbox/stats`.
    pub fn stats(&self) -> Stats {
        self.state.stats()
    }

    /// The same as `GET /_sandbox/customers`: every stored customer, by id.
    pub fn customers(&self) -> Vec<StoredCustomer> {
        self.state.customers()
    }

    /// Puts a customer into the store as `body` says, with none of a write's checks: a record
    /// such as a store may hold and a client never sends (`null`s at any depth, fields the
    /// client does not know, at the top level and in entries), for tests of reading and
    /// updating such records. Registered a day before now, so that it counts as existing
    /// before a run. Its contacts and shipping addresses get ids and creation times as any
    /// write's do. `Err` says why it was not stored: not an object, or its email is taken.
    pub fn seed_customer(&self, body: serde_json::Value) -> Result<u64, String> {
        let serde_json::Value::Object(body) = body else {
            return Err("a customer is a JSON object".into());
        };
        let customer = store::typed(&body);
        let at = clock::now().saturating_sub(86_400);
        lock(&self.state.store)
            .create(body, customer, at)
            .map_err(|_| "another customer has this email".to_string())
    }

    /// Moves the registration and last update of every customer the store holds `seconds`
    /// into the past, as if they had registered that long before: tests use it for customers
    /// that were in the store before a run (ecwid-import tells them from its own creates by
    /// when they registered).
    pub fn backdate(&self, seconds: i64) {
        lock(&self.state.store).backdate(seconds);
    }

    /// The store's customer groups, `(id, name)` by id: what `GET /customer_groups` lists.
    pub fn groups(&self) -> Vec<(u64, String)> {
        lock(&self.state.store)
            .groups
            .all()
            .map(|(id, name)| (id, name.to_string()))
            .collect()
    }

    /// Defines a customer extra field of the store, as `--extra-fields` does (`kind` `TEXT` or
    /// `DATETIME`), or replaces the one with this key; `GET /store_extrafields/customers`
    /// lists it from now on.
    pub fn define_extra_field(&self, key: &str, title: &str, datetime: bool) {
        let field = extra_fields::FieldDef {
            key: key.to_string(),
            title: title.to_string(),
            kind: if datetime { "DATETIME" } else { "TEXT" },
        };
        let mut fields = lock(&self.state.extra_fields);
        match fields.iter_mut().find(|f| f.key == key) {
            Some(known) => *known = field,
            None => fields.push(field),
        }
    }

    /// Removes every customer extra field of the store.
    pub fn clear_extra_fields(&self) {
        lock(&self.state.extra_fields).clear();
    }

    /// Gives customer `id` this many orders, as its record's `totalOrderCount` shows them (the
    /// sandbox takes no orders): tests of what must not touch a customer who ordered.
    pub fn set_orders(&self, id: u64, orders: u64) -> bool {
        lock(&self.state.store).set_orders(id, orders)
    }

    /// From now on, a listing with `createdFrom` gives the customers registered in one second
    /// newest id first, where one without it gives them oldest first. Ecwid documents no order
    /// among customers of one second; tests use this to see a client that must not rely on it.
    pub fn reverse_ties_from_created(&self) {
        self.state
            .ties_reversed
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// From now on, every `PUT` and `DELETE` of the customer with one of these emails (any case)
    /// is answered `{"updateCount": 0}` / `{"deleteCount": 0}` and changes nothing: a write the
    /// store did not apply, as Ecwid documents it (`--not-applied`).
    pub fn not_applied(&self, emails: &[&str]) {
        let mut set = lock(&self.state.not_applied);
        set.extend(emails.iter().map(|e| e.trim().to_lowercase()));
    }

    /// Holds the store's batch queue: no request inside a batch runs until
    /// [`Sandbox::allow_batch_requests`] or [`Sandbox::release_batches`] says so. A real store
    /// works its queue at a pace no client controls; tests use this to see a batch `QUEUED` or
    /// `IN_PROGRESS` for certain.
    pub fn hold_batches(&self) {
        self.state.pace.send_replace(state::Pace::Steps(0));
    }

    /// Lets `n` more requests inside batches run while the queue is held; each of the store's
    /// own retries of a request counts as one more.
    pub fn allow_batch_requests(&self, n: u64) {
        self.state.pace.send_modify(|pace| {
            if let state::Pace::Steps(left) = pace {
                *left = left.saturating_add(n);
            }
        });
    }

    /// Lets the batch queue run freely again.
    pub fn release_batches(&self) {
        self.state.pace.send_replace(state::Pace::Free);
    }

    /// Stops accepting, closes open connections, stops the batch queue and waits for both
    /// tasks to end.
    pub async fn shutdown(mut self) {
        self.stop.cancel();
        for task in std::mem::take(&mut self.tasks) {
            // A panicked task has nothing left to clean up; there is no one to tell.
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// The `sandbox` command: starts the sandbox, prints to stdout the API URL, store id and token
/// (one `name: value` per line, so scripts can pick them out), and serves until Ctrl-C.
pub async fn serve(args: SandboxArgs) -> io::Result<()> {
    let sandbox = Sandbox::start(&args).await?;
    println!("api url: {}", sandbox.api_url());
    println!("store id: {}", sandbox.store_id());
    println!("token: {}", sandbox.token());
    eprintln!("sandbox running; press Ctrl-C to stop");
    let waited = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    waited
}
