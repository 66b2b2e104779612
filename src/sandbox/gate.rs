//! Who may reach the store, and how often: the bearer token, the sliding-window rate limit, and
//! the block of a token that keeps failing.
//!
//! Ecwid limits each token to 600 requests in any 60 seconds and answers 429 with
//! `Retry-After` past it. The sandbox enforces the same rule exactly, so that a client that
//! bursts over its budget is caught here rather than by a real store. Ecwid also blocks "for
//! much longer" a token that keeps failing (403) past 20 requests a minute (`ecwid-api.md`,
//! "Rate limit"); the sandbox does so too, so that a client which keeps knocking with a refused
//! token finds out what that costs.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;

/// Whether the request carries `Authorization: Bearer <token>` with exactly this token.
pub(crate) fn has_token(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let Some((scheme, given)) = value.trim().split_once(' ') else {
        return false;
    };
    scheme.eq_ignore_ascii_case("bearer") && given.trim() == token
}

/// Refusals (403) of one token within a window after which it is blocked.
const FAILURES_BEFORE_BLOCK: usize = 20;

/// How long a token that kept failing is blocked. Ecwid says only "much longer" than the block
/// of the rate limit, which lasts until the minute's window frees; ten minutes is much longer.
const FAILING_TOKEN_BLOCK: Duration = Duration::from_secs(10 * 60);

/// Tracked credentials past which the refusals of those that stopped failing are forgotten.
const TRACKED: usize = 1024;

/// The credential a request presents, as sent: the block is per token, right or wrong.
pub(crate) fn credential(headers: &HeaderMap) -> String {
    headers
        .get(AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .unwrap_or_default()
}

/// Refusals per credential over the last window, and the credentials blocked for them: after
/// [`FAILURES_BEFORE_BLOCK`] refusals in a window, every request presenting it is answered 429
/// for [`FAILING_TOKEN_BLOCK`], whatever it asks.
#[derive(Debug)]
pub(crate) struct FailingTokens {
    window: Duration,
    refused: HashMap<String, VecDeque<Instant>>,
    /// Credential -> when its block ends.
    blocked: HashMap<String, Instant>,
}

impl FailingTokens {
    pub(crate) fn new(window: Duration) -> Self {
        Self {
            window,
            refused: HashMap::new(),
            blocked: HashMap::new(),
        }
    }

    /// The whole seconds (at least 1) left of the credential's block, if it is blocked.
    pub(crate) fn blocked(&mut self, credential: &str, now: Instant) -> Option<u64> {
        let until = *self.blocked.get(credential)?;
        if now >= until {
            self.blocked.remove(credential);
            return None;
        }
        Some(whole_seconds(until.saturating_duration_since(now)))
    }

    /// Notes a 403 answered to the credential; blocks it at the last one allowed.
    pub(crate) fn refused(&mut self, credential: &str, now: Instant) {
        let times = self.refused.entry(credential.to_string()).or_default();
        expire(times, now, self.window);
        times.push_back(now);
        if times.len() >= FAILURES_BEFORE_BLOCK {
            self.refused.remove(credential);
            let until = now.checked_add(FAILING_TOKEN_BLOCK).unwrap_or(now);
            self.blocked.insert(credential.to_string(), until);
        }
        if self.refused.len() + self.blocked.len() > TRACKED {
            let window = self.window;
            self.refused.retain(|_, times| {
                expire(times, now, window);
                !times.is_empty()
            });
            self.blocked.retain(|_, until| *until > now);
        }
    }
}

/// Requests of the one valid token over the last window.
///
/// Requests answered 429 do not count toward the window: otherwise a client that keeps asking
/// during the block would push the end of the block further out forever, and the sandbox's
/// `Retry-After` would be a promise it does not keep.
#[derive(Debug)]
pub(crate) struct RateWindow {
    limit: usize,
    window: Duration,
    admitted: VecDeque<Instant>,
    /// Every API request received, admitted or not, for `max_in_window`: the limit itself keeps
    /// `admitted` at or under it, so only this shows a client that sends too fast.
    seen: VecDeque<Instant>,
}

impl RateWindow {
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            window,
            admitted: VecDeque::new(),
            seen: VecDeque::new(),
        }
    }

    /// Notes one received API request; returns how many were received in the window ending now.
    pub(crate) fn see(&mut self, now: Instant) -> usize {
        expire(&mut self.seen, now, self.window);
        self.seen.push_back(now);
        self.seen.len()
    }

    /// Admits one request, or says in how many whole seconds (at least 1) the window frees a slot.
    pub(crate) fn admit(&mut self, now: Instant) -> Result<(), u64> {
        self.take(now).map_err(whole_seconds)
    }

    /// Admits one request, or says exactly how long until the window frees a slot: a request
    /// inside a batch that waits for room (`--batch-counting throttled`) waits that long.
    pub(crate) fn take(&mut self, now: Instant) -> Result<(), Duration> {
        expire(&mut self.admitted, now, self.window);
        if self.admitted.len() < self.limit {
            self.admitted.push_back(now);
            return Ok(());
        }
        let wait = self
            .admitted
            .front()
            .and_then(|&oldest| oldest.checked_add(self.window))
            .map_or(self.window, |frees_at| {
                frees_at.saturating_duration_since(now)
            });
        Err(wait.max(Duration::from_millis(1)))
    }
}

/// A wait in whole seconds, rounded up, at least 1: what `Retry-After` can say.
fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// Drops the times that are a whole window or more before `now`.
fn expire(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times
        .front()
        .is_some_and(|&t| now.saturating_duration_since(t) >= window)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_past_the_limit_until_the_oldest_request_leaves_the_window() {
        let start = Instant::now();
        let mut window = RateWindow::new(2, Duration::from_secs(10));
        assert_eq!(window.admit(start), Ok(()));
        assert_eq!(window.admit(start + Duration::from_secs(3)), Ok(()));
        assert_eq!(window.admit(start + Duration::from_secs(4)), Err(6));
        assert_eq!(window.admit(start + Duration::from_millis(9_500)), Err(1));
        assert_eq!(window.admit(start + Duration::from_secs(10)), Ok(()));
    }

    #[test]
    fn counts_every_request_seen_in_the_window() {
        let start = Instant::now();
        let mut window = RateWindow::new(1, Duration::from_secs(10));
        assert_eq!(window.see(start), 1);
        assert_eq!(window.see(start + Duration::from_secs(9)), 2);
        assert_eq!(window.see(start + Duration::from_secs(10)), 2);
    }

    #[test]
    fn a_credential_refused_twenty_times_in_a_window_is_blocked_for_long() {
        let start = Instant::now();
        let mut failing = FailingTokens::new(Duration::from_secs(60));
        let at = |s: u64| start + Duration::from_secs(s);
        // Nineteen in one window and one after it: not blocked.
        for _ in 0..19 {
            failing.refused("Bearer a", at(0));
        }
        failing.refused("Bearer a", at(60));
        assert_eq!(failing.blocked("Bearer a", at(60)), None);
        for _ in 0..19 {
            failing.refused("Bearer a", at(61));
        }
        assert_eq!(failing.blocked("Bearer a", at(61)), Some(600));
        assert_eq!(failing.blocked("Bearer b", at(61)), None);
        assert_eq!(failing.blocked("Bearer a", at(660)), Some(1));
        assert_eq!(failing.blocked("Bearer a", at(661)), None);
    }

    #[test]
    fn reads_the_bearer_token() {
        let mut headers = HeaderMap::new();
        assert!(!has_token(&headers, "t"));
        headers.insert(AUTHORIZATION, "Bearer t".parse().unwrap());
        assert!(has_token(&headers, "t"));
        headers.insert(AUTHORIZATION, "Bearer u".parse().unwrap());
        assert!(!has_token(&headers, "t"));
        headers.insert(AUTHORIZATION, "t".parse().unwrap());
        assert!(!has_token(&headers, "t"));
    }
}
