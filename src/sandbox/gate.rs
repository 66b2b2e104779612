//! Who may reach the store, and how often: the bearer token and the sliding-window rate limit.
//!
//! Ecwid limits each token to 600 requests in any 60 seconds and answers 429 with
//! `Retry-After` past it. The sandbox enforces the same rule exactly, so that a client that
//! bursts over its budget is caught here rather than by a real store.

use std::collections::VecDeque;
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
        let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Err(whole.max(1))
    }
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
