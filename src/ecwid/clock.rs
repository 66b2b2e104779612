//! When the run started, by the store's clock: a customer the store registered after that may
//! be the run's own create, one registered before existed already. The store's clock, not
//! ours, because `registered` comes from it: the start is the `Date` of the run's first answer
//! less the time that answer took since the run's first request left, so it is no later than
//! the store's time when that request left (to the second).

use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use tokio::time::Instant;

/// Customers registered up to this long before the run's start count as the run's own: the
/// store's `Date` and `registered` are whole seconds, and its servers' clocks may differ a
/// little. The cost: one that really registered in those seconds before the run is taken for
/// the run's own when a create of unknown outcome looks it up.
pub(crate) const MARGIN: Duration = Duration::from_secs(5);

/// The run's start by the store's clock, learnt from its first answer (or from the journal of
/// the run a `--resume` continues).
#[derive(Debug, Default)]
pub(crate) struct StoreClock {
    first_sent: OnceLock<Instant>,
    /// `Some(None)` once it is settled that the start cannot be known for this run.
    started: OnceLock<Option<SystemTime>>,
}

impl StoreClock {
    /// A request is about to leave.
    pub(super) fn sending(&self) {
        self.first_sent.get_or_init(Instant::now);
    }

    /// An answer came, with these headers.
    pub(super) fn answered(&self, headers: &HeaderMap) {
        if self.started.get().is_some() {
            return;
        }
        let Some(date) = headers
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
        else {
            return;
        };
        let took = self
            .first_sent
            .get()
            .map_or(Duration::ZERO, Instant::elapsed);
        let _ = self
            .started
            .set(Some(date.checked_sub(took).unwrap_or(date)));
    }

    /// The run's start, once known.
    pub(crate) fn started(&self) -> Option<SystemTime> {
        self.started.get().copied().flatten()
    }

    /// The start of the run that a `--resume` continues: it wins over what this run learns.
    /// `None` when that run did not write it down: its creates may have taken effect before
    /// this run's first answer, so no start of this run's would tell them apart, and the
    /// start stays unknown.
    pub(crate) fn resume_from(&self, started: Option<SystemTime>) {
        let _ = self.started.set(started);
    }

    /// Whether a customer registered at `registered` came after the run's start (within
    /// [`MARGIN`]); `None` when either is unknown.
    pub(crate) fn registered_during_run(&self, registered: Option<SystemTime>) -> Option<bool> {
        let started = self.started()?;
        let registered = registered?;
        Some(registered + MARGIN >= started)
    }
}

/// A time as Ecwid writes it in records: `2021-12-21 06:05:58 +0000`.
pub(crate) fn parse_ecwid_time(text: &str) -> Option<SystemTime> {
    let time = chrono::DateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S %z").ok()?;
    let seconds = u64::try_from(time.timestamp()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn ecwid_times_parse_with_their_offset() {
        let utc = parse_ecwid_time("2021-12-21 06:05:58 +0000").expect("parses");
        let secs = utc
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert_eq!(secs, 1_640_066_758);
        let plus_two = parse_ecwid_time(" 2021-12-21 08:05:58 +0200 ").expect("parses");
        assert_eq!(plus_two, utc);
        for bad in ["", "2021-12-21", "yesterday", "2021-13-01 00:00:00 +0000"] {
            assert_eq!(parse_ecwid_time(bad), None, "{bad:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_start_is_the_first_date_less_the_time_it_took() {
        let clock = StoreClock::default();
        assert_eq!(clock.started(), None);
        clock.sending();
        tokio::time::advance(Duration::from_secs(3)).await;
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::DATE,
            HeaderValue::from_static("Tue, 21 Dec 2021 06:06:00 GMT"),
        );
        clock.answered(&headers);
        let expected = parse_ecwid_time("2021-12-21 06:05:57 +0000");
        assert_eq!(clock.started(), expected);
        // Later answers change nothing.
        headers.insert(
            reqwest::header::DATE,
            HeaderValue::from_static("Tue, 21 Dec 2021 07:00:00 GMT"),
        );
        clock.answered(&headers);
        assert_eq!(clock.started(), expected);

        let at = |t: &str| parse_ecwid_time(t);
        let during = clock.registered_during_run(at("2021-12-21 06:05:57 +0000"));
        assert_eq!(during, Some(true));
        let within_margin = clock.registered_during_run(at("2021-12-21 06:05:52 +0000"));
        assert_eq!(within_margin, Some(true));
        let before = clock.registered_during_run(at("2021-12-21 06:05:51 +0000"));
        assert_eq!(before, Some(false));
        assert_eq!(clock.registered_during_run(None), None);
        assert_eq!(StoreClock::default().registered_during_run(expected), None);
    }

    #[test]
    fn a_resumed_run_keeps_the_first_runs_start() {
        let clock = StoreClock::default();
        let first = parse_ecwid_time("2021-12-21 06:05:57 +0000").expect("parses");
        clock.resume_from(Some(first));
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::DATE,
            HeaderValue::from_static("Wed, 22 Dec 2021 06:06:00 GMT"),
        );
        clock.answered(&headers);
        assert_eq!(clock.started(), Some(first));

        // A first run that never wrote its start down leaves it unknown for good.
        let clock = StoreClock::default();
        clock.resume_from(None);
        clock.answered(&headers);
        assert_eq!(clock.started(), None);
    }
}
