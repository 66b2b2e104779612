//! The HTTP side: the accept loop, and the order in which a request meets the token check, the
//! rate limit, the faults and finally the store.
//!
//! The loop is hand-rolled rather than `axum::serve` for one fault: drop-after must close the
//! TCP connection with no answer at all, after the customer was stored, and only the code that
//! owns the connection can do that. Each connection gets a kill switch that its requests can
//! pull; pulling it drops the connection while the handler withholds its response.

use std::sync::Arc;
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
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower_service::Service;

use super::api::{self, Origin};
use super::reply::Reply;
use super::state::Shared;

use super::faults::{After, Before};
use super::gate::{credential, has_token};

/// Largest request body read; a full batch of 500 rich customers stays well under it.
const BODY_LIMIT: usize = 16 * 1024 * 1024;

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
