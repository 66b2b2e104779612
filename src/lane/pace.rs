//! How fast the batch lane feeds the store, and how often it polls, from what the store shows.
//!
//! Whether Ecwid counts the requests inside a batch against the token's 600 a minute is not
//! documented, so the lane finds out as it goes. Until the store shows it counts them, rows go
//! out as fast as the bound on outstanding batches lets them: a store that does not count runs
//! them at its own speed. The store shows it counts them by answering a request inside a batch
//! FAILED with `httpStatusCode` 429 (not executed: the row goes into a later batch), or by
//! answering the run's own submits and polls 429 (its window is full of the batches' requests,
//! which a store that throttles them fills). From then on, the rows in any 60 seconds stay
//! within a row budget: `--rate` less room for the run's own submits and polls ([`reserve`]),
//! so that a poll is not the request the store refuses.
//!
//! How the row budget counts a row depends on how the store counts it. A store that throttles
//! the requests inside batches runs a backlog at its own pace, and then its window is full of
//! the lane's own rows: the run's submits and polls are answered 429 until the backlog is
//! done, while the store works as fast as it allows. There the budget counts a row from its
//! submit, which keeps a batch waiting in the store for when its window frees. A store that
//! refuses rows inside a batch counts a row when it runs it, and refuses at once, in a burst,
//! every row that comes before its window frees; once it has done so, a row counts until a
//! window after it ran: from its submit until a poll shows it finished, then from when it ran
//! at the latest (the store's fastest speed after the lane last saw it waiting, else the poll
//! that showed it done; not before its submit left, which may have waited out a pause). Rows
//! counted from the grant instead came back refused, a few hundred at a time, whenever the
//! next batch reached the store as the window freed (a tenth and more of a 10,000-row run).
//!
//! Cuts. A sign while rows sent before the last cut are still in the window (or rows refused
//! inside a batch sent before it) says nothing about the cut: it only holds the climb back.
//! Rows refused inside a batch sent under the current budget mean the store allows less: the
//! row budget drops to just under the rows the store took in its window as the lane counts
//! them (a twentieth at least, half at most), so that a batch a little early costs little and
//! another app on the token its share. A 429 to a submit or poll cuts it by a fifth, unless
//! rows of the lane wait in the store: then the store is throttling them, they are what fills
//! its window and it runs them as fast as it allows, so a cut would only leave it idle once
//! they are done (the budget stays at most the room beside the run's own requests). Cutting at every such 429 cost a
//! tenth of a 10,000-row run against a throttling store. [`CLIMB_EVERY`] without any sign
//! raises the budget by a twentieth of `--rate`, up to that room. A store that showed it
//! counts only once (a stray 429, another app's requests) gets a quarter more each
//! [`CLIMB_EVERY`] instead, past the room and, past four times it, back to no row budget: a
//! store that does count refuses or holds back the first surplus, and its sign then keeps the
//! budget at the room for the rest of the run. Rows refused inside a batch are no stray sign:
//! the budget never climbs past the room after them.
//!
//! Polls: a batch's next poll comes when the store, at the speed it has shown (rows finished
//! a second, over the last polls of any batch since the lane last had nothing in it), should have finished the rows before it and its
//! own; until it has shown a speed, after 250 ms and then twice as long each time.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// The fewest rows a batch takes while a row budget is in force, unless fewer are left: a
/// batch of the room the window has left, so that rows flow at the budget's pace and not a
/// whole batch a window.
const MIN_CHUNK: u64 = 50;
/// The store's window.
const WINDOW: Duration = Duration::from_secs(60);
/// Without a sign for this long, the row budget climbs a step.
const CLIMB_EVERY: Duration = Duration::from_secs(30);
/// The first poll of a batch while the store's speed is unknown, and the shortest and longest
/// wait between polls.
pub(crate) const FIRST_POLL: Duration = Duration::from_millis(250);
const MIN_POLL: Duration = Duration::from_millis(50);
const MAX_POLL: Duration = Duration::from_secs(10);
/// How far back the store's speed is measured.
const SPEED_SPAN: Duration = Duration::from_secs(20);

/// The room left in `--rate` for the run's own submits and polls once the store shows it counts
/// the requests inside batches: a submit a batch and a poll every couple of seconds, at least.
fn reserve(rate: u32) -> u32 {
    (rate / 30).max(10).min(rate.saturating_sub(1))
}

#[derive(Debug)]
pub(crate) struct LanePace {
    state: Mutex<State>,
    rate: u32,
}

/// Rows a submit took ([`LanePace::submit`]): `id` names them in [`LanePace::ran`],
/// [`LanePace::refused`] and [`LanePace::settled`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lease {
    pub(crate) id: u64,
    pub(crate) rows: u64,
    /// When it was granted (and the batch submitted).
    pub(crate) at: Instant,
}

/// Rows of a submit: those that count in the window (all but the refused), those no poll
/// has shown finished yet (`at`: when the lane last learnt they were not), or those a poll
/// showed finished (`at`: when they ran at the latest).
#[derive(Debug)]
struct Sent {
    id: u64,
    at: Instant,
    rows: u64,
}

#[derive(Debug)]
struct State {
    /// Rows a minute the store is given; `None` until it shows it counts them.
    rows_per_minute: Option<u32>,
    /// Signs that set or cut the row budget.
    signs: u32,
    /// The last sign of any kind, and the last that set or cut the row budget.
    last_sign: Option<Instant>,
    last_cut: Option<Instant>,
    changed: Instant,
    next_id: u64,
    /// Rows submitted within the last [`WINDOW`] (rows the store refused with 429 did not
    /// run, and are taken off).
    submitted: VecDeque<Sent>,
    /// Rows of the lane waiting in the store: submitted, no poll has shown them finished.
    in_store: Vec<Sent>,
    /// Rows polls showed finished, from when each ran at the latest (run or refused: the
    /// refused are taken off): what a store that refuses past its window counts.
    ran: VecDeque<Sent>,
    /// Whether the store has refused requests inside a batch: it counts rows when it runs
    /// them, and refuses those past its window at once.
    refuses: bool,
    /// When the lane's own submits and polls left, within the last [`WINDOW`]: a store that
    /// refuses counts them in the same window as the rows.
    own: VecDeque<Instant>,
    /// The run's 429s last seen (any request), to notice new ones.
    refusals_seen: u64,
    /// Rows the store has finished, over time: (when, finished so far).
    finished: VecDeque<(Instant, u64)>,
    finished_rows: u64,
    /// The fastest the store has been seen to finish rows ([`LanePace::peak_speed`]).
    fastest: Option<f64>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl State {
    fn expire(&mut self, now: Instant) {
        let recent = |b: &Sent| b.rows > 0 && now.saturating_duration_since(b.at) < WINDOW;
        self.submitted.retain(recent);
        self.ran.retain(recent);
        self.own
            .retain(|&at| now.saturating_duration_since(at) < WINDOW);
    }

    /// Rows in the window ending now: those submitted in it, or, for a store that refuses,
    /// those that ran in it and those it has still to run.
    fn counted(&self) -> u64 {
        if self.refuses {
            let own = self.own.len() as u64;
            own + self.waiting() + self.ran.iter().map(|b| b.rows).sum::<u64>()
        } else {
            self.submitted.iter().map(|b| b.rows).sum()
        }
    }

    /// Rows of the lane no poll has shown finished.
    fn waiting(&self) -> u64 {
        self.in_store.iter().map(|b| b.rows).sum()
    }

    /// The counted rows as they leave the window: when, and how many.
    fn leaving(&self) -> Vec<(Instant, u64)> {
        let counted = if self.refuses {
            &self.ran
        } else {
            &self.submitted
        };
        let mut leaving: Vec<_> = counted.iter().map(|b| (b.at + WINDOW, b.rows)).collect();
        if self.refuses {
            leaving.extend(self.own.iter().map(|&at| (at + WINDOW, 1)));
        }
        leaving.sort_unstable();
        leaving
    }

    /// When the oldest row still counted was submitted.
    fn oldest(&self) -> Option<Instant> {
        self.submitted.iter().map(|b| b.at).min()
    }
}

impl LanePace {
    pub(crate) fn new(rate: u32, now: Instant) -> Self {
        Self {
            rate,
            state: Mutex::new(State {
                rows_per_minute: None,
                signs: 0,
                last_sign: None,
                last_cut: None,
                changed: now,
                next_id: 0,
                submitted: VecDeque::new(),
                in_store: Vec::new(),
                ran: VecDeque::new(),
                refuses: false,
                own: VecDeque::new(),
                refusals_seen: 0,
                finished: VecDeque::new(),
                finished_rows: 0,
                fastest: None,
            }),
        }
    }

    /// The most rows a minute beside the run's own requests.
    fn room(&self) -> u32 {
        self.rate.saturating_sub(reserve(self.rate)).max(1)
    }

    /// The row budget now, `None` when there is none.
    #[cfg(test)]
    fn rows_per_minute(&self) -> Option<u32> {
        lock(&self.state).rows_per_minute
    }

    /// How many of `rows` may be submitted now (all of them while there is no row budget;
    /// else what the window has room for, if that is at least [`MIN_CHUNK`] or all of them):
    /// counted as submitted at `now`. `Err`: how long to wait before asking again.
    pub(crate) fn submit(&self, rows: u64, now: Instant) -> Result<Lease, Duration> {
        let mut state = lock(&self.state);
        self.climb(&mut state, now);
        state.expire(now);
        let mut granted = rows;
        if let Some(limit) = state.rows_per_minute {
            let limit = u64::from(limit);
            let least = rows.min(MIN_CHUNK).min(limit).max(1);
            let counted = state.counted();
            let room = limit.saturating_sub(counted);
            tracing::debug!("row budget {limit}: {counted} rows in the window, room for {room}");
            if room < least {
                // The wait until enough of the window's rows have left it; rows still to
                // run leave it only once a poll shows them run.
                let mut left = counted;
                for (frees, rows) in state.leaving() {
                    left -= rows;
                    if left + least <= limit {
                        return Err(frees.saturating_duration_since(now).max(MIN_POLL));
                    }
                }
                return Err(if state.refuses { MAX_POLL } else { WINDOW });
            }
            granted = rows.min(room);
        }
        if state.waiting() == 0 {
            // Nothing of the lane's in the store: its speed is measured from here, not over
            // the time it had nothing to do.
            let total = state.finished_rows;
            state.finished.clear();
            state.finished.push_back((now, total));
        }
        let id = state.next_id;
        state.next_id += 1;
        state.in_store.push(Sent {
            id,
            at: now,
            rows: granted,
        });
        state.submitted.push_back(Sent {
            id,
            at: now,
            rows: granted,
        });
        Ok(Lease {
            id,
            rows: granted,
            at: now,
        })
    }

    /// One of the lane's own requests (a submit or a poll) leaves now.
    pub(crate) fn request(&self, now: Instant) {
        lock(&self.state).own.push_back(now);
    }

    /// The lease's submit leaves now (it may have waited out a pause after its grant): its
    /// rows cannot have run before.
    pub(crate) fn leaves(&self, id: u64, now: Instant) {
        let mut state = lock(&self.state);
        state.own.push_back(now);
        let Some(batch) = state.in_store.iter_mut().find(|b| b.id == id) else {
            return;
        };
        batch.at = now;
        let rows = batch.rows;
        if state.waiting() == rows {
            // Nothing else of the lane's in the store: its speed is measured from here.
            let total = state.finished_rows;
            state.finished.clear();
            state.finished.push_back((now, total));
        }
    }

    /// A poll answered `now` showed `rows` more of the lease's rows finished, with `ahead` rows
    /// (these among them) for the store to finish before them when the lane last looked: no
    /// longer waiting in the store. They ran after the lane last saw them waiting, and by the
    /// time the store needs for `ahead` rows at the fastest it has shown, or else by now (a
    /// poll held back by a pause comes long after).
    pub(crate) fn ran(&self, id: u64, rows: u64, ahead: u64, now: Instant) {
        let mut state = lock(&self.state);
        let peak = Self::peak_speed(&state);
        let Some(batch) = state.in_store.iter_mut().find(|b| b.id == id) else {
            return;
        };
        let rows = rows.min(batch.rows);
        batch.rows -= rows;
        let since = batch.at;
        batch.at = now;
        if rows == 0 {
            return;
        }
        let at = match peak {
            Some(speed) => {
                (since + Duration::from_secs_f64(ahead.max(rows) as f64 / speed)).min(now)
            }
            None => now,
        };
        state.ran.push_back(Sent { id, at, rows });
    }

    /// The lease's batch is done with, however it ended: none of its rows wait in the store
    /// any more (they still count in the window; those no poll showed finished from now).
    pub(crate) fn settled(&self, id: u64, now: Instant) {
        let mut state = lock(&self.state);
        let rows: u64 = state
            .in_store
            .iter()
            .filter(|b| b.id == id)
            .map(|b| b.rows)
            .sum();
        state.in_store.retain(|b| b.id != id);
        if rows > 0 {
            state.ran.push_back(Sent { id, at: now, rows });
        }
    }

    /// `rows` of the lease were refused 429: they did not run, so they do not count in the
    /// window; and the store has shown, beyond doubt, that it counts the requests inside
    /// batches and refuses those past its window (which says nothing about a cut made after
    /// the batch went out): from now on rows count from when they ran.
    pub(crate) fn refused(&self, lease: &Lease, rows: u64, now: Instant) {
        let id = lease.id;
        let mut state = lock(&self.state);
        if let Some(batch) = state.submitted.iter_mut().find(|b| b.id == id) {
            batch.rows -= rows.min(batch.rows);
        }
        let mut left = rows;
        for batch in state.ran.iter_mut().rev().filter(|b| b.id == id) {
            let off = left.min(batch.rows);
            batch.rows -= off;
            left -= off;
        }
        state.refuses = true;
        state.signs = state.signs.max(2);
        self.sign(&mut state, now, Some((lease.at, rows)));
    }

    /// The run's count of 429 answers now: a new one to a request of the lane while rows are in
    /// the store is a sign that the store counts them.
    pub(crate) fn refusals(&self, count: u64, now: Instant) {
        let mut state = lock(&self.state);
        if count > state.refusals_seen {
            state.refusals_seen = count;
            self.sign(&mut state, now, None);
        }
    }

    /// A sign that the store counts the requests inside batches: rows refused inside a batch
    /// submitted at `refused`, else a 429 to a submit or poll.
    fn sign(&self, state: &mut State, now: Instant, refused: Option<(Instant, u64)>) {
        state.last_sign = Some(now);
        state.expire(now);
        let room = self.room();
        let next = match (state.rows_per_minute, state.last_cut) {
            (Some(r), Some(cut)) => {
                // Rows sent before the last cut may be what the store refused.
                let refused_at = refused.map(|(at, _)| at);
                if state
                    .oldest()
                    .into_iter()
                    .chain(refused_at)
                    .any(|t| t < cut)
                {
                    return;
                }
                let waiting = state.in_store.iter().any(|b| b.rows > 0);
                if let Some((_, rows)) = refused.filter(|_| state.refuses) {
                    // The store had room for that many rows fewer than the lane counted (a
                    // twentieth at least, half at most): a batch a little early costs little,
                    // another app on the token its share.
                    let rows = u32::try_from(rows).unwrap_or(u32::MAX);
                    r.saturating_sub(rows)
                        .min(r - r / 20)
                        .max(r / 2)
                        .min(room)
                        .max(1)
                } else if refused.is_some() || !waiting {
                    (r - r / 5).min(room).max(1)
                } else {
                    // The store holds the lane's rows back and runs them at its own pace: they
                    // are what fills its window, and a cut would leave it idle once they are
                    // done. No more than the room, though.
                    r.min(room)
                }
            }
            _ => room,
        };
        state.signs += 1;
        if state.rows_per_minute == Some(next) {
            return;
        }
        tracing::info!(
            "the store counts the requests inside batches: now at most {next} rows a minute \
             (--rate {} less {} for the run's own requests)",
            self.rate,
            reserve(self.rate)
        );
        state.rows_per_minute = Some(next);
        state.last_cut = Some(now);
        state.changed = now;
    }

    fn climb(&self, state: &mut State, now: Instant) {
        let Some(r) = state.rows_per_minute else {
            return;
        };
        let quiet = |t: Instant| now.saturating_duration_since(t) >= CLIMB_EVERY;
        if !quiet(state.changed) || !state.last_sign.is_none_or(quiet) {
            return;
        }
        let room = self.room();
        state.changed = now;
        state.rows_per_minute = if state.signs < 2 {
            // One sign only: a quarter more, and past four times the room no row budget.
            let up = r.saturating_add((r / 4).max(1));
            if up > room.saturating_mul(4) {
                state.signs = 0;
                tracing::info!("no sign of the store's limit for a while: no row budget");
                None
            } else {
                Some(up)
            }
        } else {
            Some(r.saturating_add((self.rate / 20).max(1)).min(room.max(r)))
        };
    }

    /// A poll showed a batch with `done` more rows finished than this lane knew of.
    pub(crate) fn finished(&self, done: u64, now: Instant) {
        if done == 0 {
            return;
        }
        let mut state = lock(&self.state);
        if let Some(&(t0, n0)) = state.finished.back() {
            let span = now.saturating_duration_since(t0).as_secs_f64();
            if span >= 0.05 {
                let speed = (state.finished_rows + done - n0) as f64 / span;
                state.fastest = Some(state.fastest.map_or(speed, |f| f.max(speed)));
            }
        }
        state.finished_rows += done;
        let total = state.finished_rows;
        state.finished.push_back((now, total));
        while state.finished.len() > 2
            && state
                .finished
                .front()
                .is_some_and(|&(t, _)| now.saturating_duration_since(t) > SPEED_SPAN)
        {
            state.finished.pop_front();
        }
    }

    /// The fastest the store has run the lane's rows between two polls, in rows a second: how
    /// fast it runs them when it has them (a store that refuses is idle between the lane's
    /// batches, and a poll held back by a pause shows rows that ran long before it).
    fn peak_speed(state: &State) -> Option<f64> {
        state.fastest
    }

    /// The store's speed, in rows a second, over the last polls; `None` until it has shown one.
    fn speed(state: &State) -> Option<f64> {
        let (t0, n0) = *state.finished.front()?;
        let (t1, n1) = *state.finished.back()?;
        let span = t1.saturating_duration_since(t0).as_secs_f64();
        (span >= 0.05 && n1 > n0).then(|| (n1 - n0) as f64 / span)
    }

    /// When to poll a batch again: `ahead` rows to finish before the batch is done (those of
    /// the batches before it and its own not finished yet), `last` the wait before this one.
    pub(crate) fn next_poll(&self, ahead: u64, last: Duration) -> Duration {
        let state = lock(&self.state);
        match Self::speed(&state) {
            Some(speed) => Duration::from_secs_f64(ahead as f64 / speed).clamp(MIN_POLL, MAX_POLL),
            None => (last * 2).clamp(FIRST_POLL, MAX_POLL),
        }
    }
}

#[cfg(test)]
#[path = "pace_tests.rs"]
mod tests;
