//! The HTTP side: the accept loop, and the order in which a request meets the token check, the
//! rate limit, the faults and finally the store.
//!
//! The loop is hand-rolled rather than `axum::serve` for one fault: drop-after must close the
//! TCP connection with no answer at all, after the customer was stored, and only the code that
//! owns the connection can do that. Each connection gets a kill switch that its requests can
//! pull; pulling it drops the connection while the handler withholds its response.

use std::collections::HashSet;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower_service::Service;

use super::api::{self, Origin, Reply};
use super::batch::Batches;
use super::faults::{After, Before, Faults};
use super::gate::{FailingTokens, RateWindow, credential, has_token};
use super::queue::{self, Pace, Queued};
use super::store::{Store, StoredCustomer};
use super::{Counting, SandboxArgs, Stats, check_share, lock};

/// Largest request body read; a full batch of 500 rich customers stays well under it.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The options that do not change while the sandbox runs.
#[derive(Debug)]
pub(crate) struct Config {
    pub store_id: u64,
    pub token: String,
    pub languages: Vec<String>,
    pub latency: Duration,
    /// Emails at this domain (lower case) are refused by the store.
    pub refuse_domain: Option<String>,
    /// The scopes of the token's app.
    pub scopes: HashSet<String>,
    pub plan_without_groups: bool,
    /// Between the store's own retries of a request inside a batch.
    pub batch_retry: Duration,
    /// How long a batch's deduplication key is remembered.
    pub dedup_key_ttl: Duration,
    /// Top-level fields a write drops without a word (`--drop-fields`).
    pub drop_fields: HashSet<String>,
    /// How long one request inside a batch takes (`--batch-request-ms`).
    pub batch_request: Duration,
    /// Whether `allowParallelMode=true` is honoured (not `--ignore-parallel-mode`).
    pub parallel_mode: bool,
    /// How requests inside batches count against the rate limit (`--batch-counting`).
    pub counting: Counting,
}

/// Everything the requests share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: Config,
    pub faults: Faults,
    pub store: Mutex<Store>,
    pub batches: Mutex<Batches>,
    /// The store's batch queue, worked by [`queue::work`].
    pub queue: mpsc::UnboundedSender<Queued>,
    pub pace: watch::Sender<Pace>,
    /// The customer extra fields the store defines.
    pub extra_fields: Mutex<Vec<super::extra_fields::FieldDef>>,
    /// When the sandbox started: the creation time its extra fields show.
    pub started: i64,
    stats: Mutex<Stats>,
    window: Mutex<RateWindow>,
    failing: Mutex<FailingTokens>,
    /// Whether a listing from `createdFrom` gives the customers of one registration second
    /// newest id first ([`crate::sandbox::Sandbox::reverse_ties_from_created`]).
    pub ties_reversed: std::sync::atomic::AtomicBool,
    /// Emails (lower case) whose customers' writes the store does not apply
    /// ([`crate::sandbox::Sandbox::not_applied`]).
    pub not_applied: Mutex<HashSet<String>>,
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

impl Shared {
    /// The shared state of a sandbox with these options, and the receiving end of its batch
    /// queue.
    pub(crate) fn new(args: &SandboxArgs) -> io::Result<(Self, mpsc::UnboundedReceiver<Queued>)> {
        for (name, share) in [
            ("--fail-before", args.fail_before),
            ("--fail-after", args.fail_after),
            ("--drop-after", args.drop_after),
            ("--spurious-429", args.spurious_429),
            ("--drop-batch-after", args.drop_batch_after),
            ("--batch-inner-500", args.batch_inner_500),
            ("--batch-inner-500-once", args.batch_inner_500_once),
            ("--batch-not-executed", args.batch_not_executed),
        ] {
            check_share(share).map_err(|e| invalid(format!("{name}: {e}")))?;
        }
        if args.rate_limit == 0 {
            return Err(invalid("--rate-limit must be at least 1".into()));
        }
        let window = Duration::try_from_secs_f64(args.rate_window_secs)
            .ok()
            .filter(|w| !w.is_zero())
            .ok_or_else(|| invalid("--rate-window-secs must be a positive number".into()))?;
        let languages: Vec<String> = args
            .languages
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if languages.is_empty() {
            return Err(invalid(
                "--languages must name at least one language".into(),
            ));
        }
        let seconds = |name: &str, value: f64| {
            queue::seconds(value)
                .ok_or_else(|| invalid(format!("{name} must be a number of seconds from 0")))
        };
        let batch_retry = seconds("--batch-retry-secs", args.batch_retry_secs)?;
        let dedup_key_ttl = seconds("--dedup-key-ttl-secs", args.dedup_key_ttl_secs)?;
        let extra_fields = args
            .extra_fields
            .iter()
            .filter(|spec| !spec.trim().is_empty())
            .map(|spec| super::extra_fields::parse(spec).map_err(invalid))
            .collect::<io::Result<Vec<_>>>()?;
        let (queue, queued) = mpsc::unbounded_channel();
        let shared = Self {
            config: Config {
                store_id: args.store_id,
                token: args.token.clone(),
                languages,
                latency: Duration::from_millis(args.latency_ms),
                refuse_domain: args
                    .refuse_domain
                    .as_deref()
                    .map(|d| d.trim().trim_start_matches('@').to_lowercase())
                    .filter(|d| !d.is_empty()),
                scopes: args
                    .scopes
                    .iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                plan_without_groups: args.plan_without_groups,
                batch_retry,
                dedup_key_ttl,
                drop_fields: args
                    .drop_fields
                    .iter()
                    .map(|f| f.trim().to_string())
                    .filter(|f| !f.is_empty())
                    .collect(),
                batch_request: Duration::from_millis(args.batch_request_ms),
                parallel_mode: !args.ignore_parallel_mode,
                counting: args.batch_counting,
            },
            store: Mutex::default(),
            batches: Mutex::default(),
            queue,
            pace: watch::Sender::new(Pace::Free),
            extra_fields: Mutex::new(extra_fields),
            started: super::clock::now(),
            stats: Mutex::default(),
            window: Mutex::new(RateWindow::new(args.rate_limit, window)),
            failing: Mutex::new(FailingTokens::new(window)),
            ties_reversed: Default::default(),
            not_applied: Mutex::new(
                args.not_applied
                    .iter()
                    .map(|e| e.trim().to_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect(),
            ),
            faults: Faults::new(args)?,
        };
        Ok((shared, queued))
    }

    pub(crate) fn stats_mut(&self) -> MutexGuard<'_, Stats> {
        lock(&self.stats)
    }

    pub(crate) fn stats(&self) -> Stats {
        self.stats_mut().clone()
    }

    pub(crate) fn customers(&self) -> Vec<StoredCustomer> {
        lock(&self.store).all()
    }

    pub(crate) fn window(&self) -> MutexGuard<'_, RateWindow> {
        lock(&self.window)
    }

    fn failing(&self) -> MutexGuard<'_, FailingTokens> {
        lock(&self.failing)
    }
}

/// Accepts connections until `stop` is cancelled, then closes them all.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: CancellationToken,
) {
    let router = router(shared);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone(), stop.child_token()));
                }
                Err(error) => {
                    // Usually out of file descriptors: wait for some to close instead of spinning.
                    tracing::debug!(%error, "sandbox: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

/// The kill switch of the connection a request came on (see the module comment).
#[derive(Debug, Clone)]
struct ConnectionKill(CancellationToken);

async fn serve_connection(stream: TcpStream, router: Router, kill: CancellationToken) {
    let switch = ConnectionKill(kill.clone());
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(switch.clone());
        let mut router = router.clone();
        async move { router.call(request).await }
    });
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        served = connection => {
            if let Err(error) = served {
                tracing::debug!(%error, "sandbox: connection ended with an error");
            }
        }
        // Dropping the connection future closes the socket without another byte written.
        () = kill.cancelled() => {}
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/v3/{*rest}", any(api_request))
        .route(
            "/_sandbox/customers",
            get(|State(s): State<Arc<Shared>>| async move { axum::Json(s.customers()) }),
        )
        .route(
            "/_sandbox/stats",
            get(|State(s): State<Arc<Shared>>| async move { axum::Json(s.stats()) }),
        )
        .fallback(|| async {
            Reply::error(
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "Not an API path: use /api/v3/{storeId}/...",
            )
        })
        .with_state(shared)
}

/// How a request ends: an answer, or the connection closed without one.
enum Ending {
    Answer(Reply),
    Drop,
}

async fn api_request(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    let presented = credential(request.headers());
    let ending = handle(&shared, &presented, request).await;
    if matches!(&ending, Ending::Answer(reply) if reply.status == StatusCode::FORBIDDEN) {
        shared.failing().refused(&presented, Instant::now());
    }
    match &ending {
        Ending::Answer(reply) => shared.stats_mut().count_status(reply.status.as_u16()),
        Ending::Drop => shared.stats_mut().dropped += 1,
    }
    match ending {
        Ending::Answer(reply) => reply.into_response(),
        Ending::Drop => {
            if let Some(ConnectionKill(kill)) = kill {
                kill.cancel();
                // Never answer: the connection task sees the switch and drops the connection
                // together with this future.
                std::future::pending::<()>().await;
            }
            // Only reachable when served without the accept loop, which never happens.
            let message = "Connection dropped";
            Reply::error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", message)
                .into_response()
        }
    }
}

/// The checks in Ecwid's order (a token blocked for failing, the token, the store, the rate
/// limit), then the faults, then the store. `presented` is the request's credential.
async fn handle(shared: &Shared, presented: &str, request: Request) -> Ending {
    let now = Instant::now();
    let seen = shared.window().see(now);
    {
        let mut stats = shared.stats_mut();
        stats.requests += 1;
        stats.max_in_window = stats.max_in_window.max(seen as u64);
    }
    tokio::time::sleep(shared.config.latency).await;
    if let Some(retry_after) = shared.failing().blocked(presented, Instant::now()) {
        shared.stats_mut().blocked += 1;
        return Ending::Answer(Reply::rate_limited(retry_after));
    }
    let (parts, body) = request.into_parts();
    if !has_token(&parts.headers, &shared.config.token) {
        shared.stats_mut().bad_token += 1;
        let message = "Invalid or missing access token: send Authorization: Bearer <token>";
        return Ending::Answer(Reply::error(
            StatusCode::FORBIDDEN,
            "INVALID_API_TOKEN",
            message,
        ));
    }
    let full_path = parts
        .uri
        .path()
        .strip_prefix("/api/v3/")
        .unwrap_or_default();
    // `path` keeps its leading slash, as Ecwid's docs and batch requests spell paths.
    let (store_id, path) = full_path.split_at(full_path.find('/').unwrap_or(full_path.len()));
    if store_id.parse::<u64>().ok() != Some(shared.config.store_id) {
        let message = format!("Store with id {store_id} not found");
        return Ending::Answer(Reply::error(
            StatusCode::NOT_FOUND,
            "STORE_NOT_FOUND",
            message,
        ));
    }
    if let Err(retry_after) = shared.window().admit(Instant::now()) {
        return Ending::Answer(Reply::rate_limited(retry_after));
    }
    match shared.faults.before() {
        Before::Proceed => {}
        Before::Spurious429 => {
            shared.stats_mut().injected_faults += 1;
            return Ending::Answer(Reply::rate_limited(1));
        }
        Before::Fail(status) => {
            shared.stats_mut().injected_faults += 1;
            return Ending::Answer(injected_error(status));
        }
    }
    let body = match read_body(&parts.method, &parts.headers, body).await {
        Ok(body) => body,
        Err(reply) => return Ending::Answer(reply),
    };
    let query = parts.uri.query().unwrap_or("");
    let reply = api::dispatch(shared, Origin::Client, &parts.method, path, query, body);
    after_effect(shared, &parts.method, path, reply)
}

/// The faults that strike after a create or a batch submit took effect: the answer replaced by
/// a 500, or the connection dropped.
fn after_effect(shared: &Shared, method: &Method, path: &str, reply: Reply) -> Ending {
    let posted = |to: &str| *method == Method::POST && path.trim_matches('/') == to;
    if posted("batch") && reply.status.is_success() {
        return match shared.faults.after_batch() {
            After::Drop => {
                shared.stats_mut().injected_faults += 1;
                Ending::Drop
            }
            _ => Ending::Answer(reply),
        };
    }
    if !(posted("customers") && reply.status.is_success()) {
        return Ending::Answer(reply);
    }
    match shared.faults.after_create() {
        After::Answer => Ending::Answer(reply),
        After::Fail => {
            shared.stats_mut().injected_faults += 1;
            Ending::Answer(injected_error(StatusCode::INTERNAL_SERVER_ERROR))
        }
        After::Drop => {
            shared.stats_mut().injected_faults += 1;
            Ending::Drop
        }
    }
}

fn injected_error(status: StatusCode) -> Reply {
    Reply::error(
        status,
        "INTERNAL_ERROR",
        "Internal server error (injected by the sandbox)",
    )
}

/// The JSON body of a POST or PUT (`Null` for other methods): 415 unless it is declared
/// `application/json` or `text/json` (which Ecwid takes too), 400 unless it parses.
async fn read_body(method: &Method, headers: &HeaderMap, body: Body) -> Result<Value, Reply> {
    if *method != Method::POST && *method != Method::PUT {
        return Ok(Value::Null);
    }
    let declared_json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .is_some_and(|media| {
            media.eq_ignore_ascii_case("application/json")
                || media.eq_ignore_ascii_case("text/json")
        });
    if !declared_json {
        return Err(Reply::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Content-Type must be application/json",
        ));
    }
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|e| {
        Reply::error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("Cannot read the body: {e}"),
        )
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Reply::wrong_parameter(format!("The body is not valid JSON: {e}")))
}
