//! The retry policy: what each failure means for the row and for the run.
//!
//! Hand-written on purpose: no retry crate both honours `Retry-After` and treats a create whose
//! outcome is unknown as unsafe to repeat until the store has been asked.

use std::time::Duration;

use rand::Rng;

use crate::ecwid::ApiError;

/// Waited after a 429 that carries no `Retry-After` (what Ecwid's own client does).
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(10);
/// A longer `Retry-After` is cut to this, so a typo on the server cannot park a run for a day.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(15 * 60);
/// 429 answers do not count against `--max-retries` (the store says when to come back), but a
/// row that keeps getting them this often gives up.
pub(crate) const MAX_RATE_LIMITED: u32 = 30;
const BACKOFF_BASE: Duration = Duration::from_millis(500);
const BACKOFF_CAP: Duration = Duration::from_secs(30);

/// What a failure calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    /// 429: hold every worker this long, then try again.
    Pause(Duration),
    /// Worth another try after a backoff. `unknown` when the request may have taken effect
    /// (it reached the store and no clear answer came back).
    Retry { unknown: bool },
    /// 409 on create: the email exists; `--on-existing` says what to do.
    Exists,
    /// The store refused this row: do not try again.
    FailRow,
    /// The answer says the request can never work, whatever the row ([`NEVER_WORKS`]): the row
    /// fails at once, and the engine stops the run when the same kind of request keeps meeting
    /// such answers ([`NEVER_WORKS_IN_A_ROW`]).
    Never,
    /// The token, plan or store is wrong: every further request would fail the same way, and
    /// Ecwid blocks tokens that keep failing. Stop the run.
    StopRun,
}

/// Statuses that say the request can never work, however often it is sent: they describe the
/// server or the request's method and protocol, not a passing state of the store. `405` Method
/// Not Allowed (the endpoint does not take this method), `501` Not Implemented, `505` HTTP
/// Version Not Supported, `506` Variant Also Negotiates and `508` Loop Detected (the server's
/// own configuration is broken), `510` Not Extended, `511` Network Authentication Required (a
/// network login, such as a hotel's or a company proxy's, stands between this computer and the
/// store). None of them took effect, so no look-up is needed before giving up. Every other
/// `5xx` may be passing, and is retried.
const NEVER_WORKS: [u16; 7] = [405, 501, 505, 506, 508, 510, 511];

/// The run stops when this many requests of one kind in a row (no success of that kind
/// between them) were answered with a status of [`NEVER_WORKS`]: every row would fail the same
/// way. More than one, so that one odd answer (a proxy's hiccup) does not end a long run;
/// few, so that a run against a server that cannot serve it ends in seconds.
pub(crate) const NEVER_WORKS_IN_A_ROW: u32 = 3;

/// Classifies a failed request.
pub(crate) fn classify(error: &ApiError) -> Action {
    match error {
        ApiError::Status {
            status: 429,
            retry_after,
            ..
        } => Action::Pause(
            retry_after
                .unwrap_or(DEFAULT_RETRY_AFTER)
                .min(MAX_RETRY_AFTER),
        ),
        ApiError::Status { status, code, .. } => match status {
            401..=403 => Action::StopRun,
            404 if code.as_deref() == Some("STORE_NOT_FOUND") => Action::StopRun,
            409 => Action::Exists,
            s if NEVER_WORKS.contains(s) => Action::Never,
            408 | 500..=599 => Action::Retry { unknown: true },
            _ => Action::FailRow,
        },
        ApiError::Timeout(_) | ApiError::ConnectionLost(_) => Action::Retry { unknown: true },
        ApiError::NotConnected(_) => Action::Retry { unknown: false },
        // A success status whose body we cannot read: the customer may well exist.
        ApiError::BadBody { .. } => Action::Retry { unknown: true },
    }
}

/// Like [`classify`], telling whether a 404 stops the run: for a request to `/customers` or
/// `/batch` as a whole it can only mean that the API address or the store is wrong, and every
/// further request would fail the same way; a 404 to a request that names one thing (a
/// customer, a batch ticket) or a store feature is that request's failure alone.
pub(crate) fn classify_for(error: &ApiError, not_found_stops_run: bool) -> Action {
    match error {
        ApiError::Status { status: 404, .. } if not_found_stops_run => Action::StopRun,
        _ => classify(error),
    }
}

/// Exponential backoff with jitter before retry number `retry` (1-based): half of the doubled
/// delay fixed, half random, so that workers that failed together do not return together.
pub(crate) fn backoff(retry: u32) -> Duration {
    let doubled = BACKOFF_BASE.saturating_mul(1 << retry.saturating_sub(1).min(16));
    let delay = doubled.min(BACKOFF_CAP);
    let half = delay / 2;
    half + half.mul_f64(rand::rng().random::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, code: Option<&str>) -> ApiError {
        ApiError::Status {
            status,
            message: "m".into(),
            code: code.map(String::from),
            retry_after: None,
        }
    }

    #[test]
    fn classifies_each_status() {
        assert_eq!(
            classify(&status(429, None)),
            Action::Pause(DEFAULT_RETRY_AFTER)
        );
        for s in [401, 402, 403] {
            assert_eq!(classify(&status(s, None)), Action::StopRun, "{s}");
        }
        assert_eq!(
            classify(&status(404, Some("STORE_NOT_FOUND"))),
            Action::StopRun
        );
        assert_eq!(classify(&status(409, None)), Action::Exists);
        for s in [400, 404, 415, 422] {
            assert_eq!(classify(&status(s, None)), Action::FailRow, "{s}");
        }
        for s in NEVER_WORKS {
            assert_eq!(classify(&status(s, None)), Action::Never, "{s}");
        }
        for s in [408, 500, 502, 503, 504, 507, 509, 599] {
            assert_eq!(
                classify(&status(s, None)),
                Action::Retry { unknown: true },
                "{s}"
            );
        }
        let not_connected = ApiError::NotConnected("refused".into());
        assert_eq!(classify(&not_connected), Action::Retry { unknown: false });
        let lost = ApiError::ConnectionLost("reset".into());
        assert_eq!(classify(&lost), Action::Retry { unknown: true });
    }

    #[test]
    fn not_found_stops_the_run_unless_one_customer_is_named() {
        assert_eq!(classify_for(&status(404, None), true), Action::StopRun);
        assert_eq!(classify_for(&status(404, None), false), Action::FailRow);
        assert_eq!(classify_for(&status(400, None), true), Action::FailRow);
    }

    #[test]
    fn long_retry_after_is_capped() {
        let error = ApiError::Status {
            status: 429,
            message: String::new(),
            code: None,
            retry_after: Some(Duration::from_secs(86_400)),
        };
        assert_eq!(classify(&error), Action::Pause(MAX_RETRY_AFTER));
    }

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        for retry in 1..=20 {
            let full = BACKOFF_BASE
                .saturating_mul(1 << (retry - 1).min(16))
                .min(BACKOFF_CAP);
            let got = backoff(retry);
            assert!(got >= full / 2 && got <= full, "retry {retry}: {got:?}");
        }
    }
}
