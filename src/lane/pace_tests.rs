//! The row budget and the poll cadence of the batch lane, on given instants: no test waits.

use super::*;

fn granted(result: Result<Lease, Duration>) -> Option<u64> {
    result.ok().map(|lease| lease.rows)
}

/// A lane whose store has shown more than once that it counts the requests inside batches:
/// its row budget is the room beside the run's own requests, and stays there.
fn counting_store(t: Instant) -> LanePace {
    let pace = LanePace::new(600, t);
    pace.refusals(1, t);
    lock(&pace.state).signs = 2;
    pace
}

#[test]
fn no_row_budget_until_the_store_shows_it_counts() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    for i in 0..100 {
        assert_eq!(
            granted(pace.submit(500, t + Duration::from_millis(i))),
            Some(500)
        );
    }
    assert_eq!(pace.rows_per_minute(), None);
    // A 429 seen: the room beside the run's own requests, and a full window waits.
    pace.refusals(1, t);
    assert_eq!(pace.rows_per_minute(), Some(580));
    assert!(pace.submit(100, t + Duration::from_secs(1)).is_err());
}

#[test]
fn rows_refused_do_not_count() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let lease = pace.submit(500, t).unwrap();
    pace.ran(lease.id, 500, 500, t);
    pace.refused(&lease, 450, t);
    assert_eq!(pace.rows_per_minute(), Some(580));
    // 50 rows still count: 500 more fit in the window, then 30: fewer than a chunk.
    assert_eq!(granted(pace.submit(500, t)), Some(500));
    assert!(pace.submit(100, t).is_err());
}

#[test]
fn a_sign_holds_the_climb_back() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let _ = pace.submit(500, t).unwrap();
    pace.refusals(1, t + Duration::from_secs(1));
    pace.refusals(2, t + Duration::from_secs(29));
    let _ = pace.submit(1, t + Duration::from_secs(40));
    assert_eq!(pace.rows_per_minute(), Some(580));
    let _ = pace.submit(1, t + Duration::from_secs(59));
    assert_eq!(pace.rows_per_minute(), Some(725));
}

#[test]
fn a_batch_takes_the_room_the_window_has_left() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    pace.refusals(1, t);
    let _ = pace.submit(500, t).unwrap();
    let s = t + Duration::from_secs(1);
    assert_eq!(granted(pace.submit(500, s)), Some(80));
    assert_eq!(pace.submit(10, s), Err(Duration::from_secs(59)));
    // Fewer than a chunk left to send: they wait for room for all of them.
    assert_eq!(pace.submit(30, s), Err(Duration::from_secs(59)));
}

#[test]
fn one_stray_sign_climbs_back_to_no_budget() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    pace.refusals(3, t);
    assert_eq!(pace.rows_per_minute(), Some(580));
    // The same count again is no new sign.
    pace.refusals(3, t + Duration::from_secs(10));
    let mut budgets = Vec::new();
    for i in 1..9 {
        let _ = pace.submit(1, t + CLIMB_EVERY * i);
        budgets.push(pace.rows_per_minute());
    }
    // A quarter more each half minute; past four times the room, none.
    let climbed = [725, 906, 1132, 1415, 1768, 2210].map(Some);
    assert_eq!(budgets[..6], climbed);
    assert_eq!(budgets[6..], [None, None]);
    // Another stray sign much later is a first one again.
    pace.refusals(4, t + Duration::from_secs(600));
    assert_eq!(pace.rows_per_minute(), Some(580));
    let _ = pace.submit(1, t + Duration::from_secs(630));
    assert_eq!(pace.rows_per_minute(), Some(725));
}

#[test]
fn a_store_that_refuses_past_the_room_keeps_the_room() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    pace.refusals(1, t);
    let _ = pace.submit(1, t + CLIMB_EVERY);
    assert_eq!(pace.rows_per_minute(), Some(725));
    // Rows sent past the room come back refused: the budget is the room again, and climbs no
    // further.
    let at = t + Duration::from_secs(40);
    let lease = pace.submit(1_000, at).unwrap();
    assert_eq!(lease.rows, 724);
    pace.ran(lease.id, 724, 724, at);
    pace.refused(&lease, 144, at);
    assert_eq!(pace.rows_per_minute(), Some(580));
    for i in 1..10 {
        let _ = pace.submit(1, at + CLIMB_EVERY * i);
    }
    assert_eq!(pace.rows_per_minute(), Some(580));
}

#[test]
fn a_429_while_rows_wait_in_the_store_does_not_cut() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    pace.refusals(1, t);
    let probe = pace.submit(1, t + CLIMB_EVERY).unwrap();
    assert_eq!(pace.rows_per_minute(), Some(725));
    // A store that throttles holds the surplus back, and answers a poll 429 meanwhile: the
    // room again, not less (it runs the rows it holds as fast as it allows).
    let at = t + Duration::from_secs(40);
    let lease = pace.submit(700, at).unwrap();
    pace.refusals(2, at + Duration::from_secs(5));
    assert_eq!(pace.rows_per_minute(), Some(580));
    // A while later, the rows done: a 429 then is still theirs (sent before the cut).
    let later = at + Duration::from_secs(50);
    pace.settled(probe.id, later);
    pace.settled(lease.id, later);
    pace.refusals(3, later);
    assert_eq!(pace.rows_per_minute(), Some(580));
    // Nothing of the lane's in the store, every row counted sent under the budget: the store
    // allows less than the room.
    let again = later + Duration::from_secs(61);
    let lease = pace.submit(100, again).unwrap();
    pace.settled(lease.id, again);
    pace.refusals(4, again);
    assert_eq!(pace.rows_per_minute(), Some(464));
}

#[test]
fn polls_follow_the_speed_the_store_showed() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    // Unknown speed: 250 ms, then doubling up to 10 s.
    assert_eq!(pace.next_poll(100, Duration::ZERO), FIRST_POLL);
    assert_eq!(pace.next_poll(100, FIRST_POLL), FIRST_POLL * 2);
    assert_eq!(pace.next_poll(100, Duration::from_secs(8)), MAX_POLL);
    // 1,000 rows a second shown: 500 rows ahead is half a second.
    pace.finished(100, t);
    pace.finished(1_000, t + Duration::from_secs(1));
    assert_eq!(pace.next_poll(500, FIRST_POLL), Duration::from_millis(500));
    assert_eq!(pace.next_poll(1, FIRST_POLL), MIN_POLL);
    assert_eq!(pace.next_poll(1_000_000, FIRST_POLL), MAX_POLL);
}

#[test]
fn reserve_leaves_room_for_submits_and_polls() {
    assert_eq!(reserve(600), 20);
    assert_eq!(reserve(590), 19);
    assert_eq!(reserve(60), 10);
    assert_eq!(reserve(5), 4);
}

#[test]
fn rows_refused_in_a_batch_sent_before_the_cut_do_not_cut_it() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let first = pace.submit(500, t).unwrap();
    let second = pace.submit(500, t).unwrap();
    // The first polls show the store at 1,000 rows a second.
    let polled = t + Duration::from_millis(250);
    pace.ran(first.id, 250, 500, polled);
    pace.ran(second.id, 0, 750, polled);
    pace.finished(250, polled);
    // The next polls were answered 429 for a minute: the first 429 sets the budget when they
    // answer.
    let answered = t + Duration::from_secs(61);
    pace.refusals(3, answered);
    assert_eq!(pace.rows_per_minute(), Some(580));
    pace.ran(first.id, 250, 250, answered);
    pace.ran(second.id, 500, 750, answered);
    pace.finished(750, answered);
    for lease in [&first, &second] {
        pace.settled(lease.id, answered);
    }
    // The second batch's refusals are a minute old and its rows, run in the first second by
    // the store's speed, no longer count: the cut made since is still untried.
    pace.refused(&second, 407, answered);
    assert_eq!(pace.rows_per_minute(), Some(580));
    assert_eq!(granted(pace.submit(500, answered)), Some(500));
}

#[test]
fn a_sign_cuts_only_once_the_rows_before_the_last_cut_have_left() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let old = pace.submit(500, t).unwrap();
    pace.refusals(1, t + Duration::from_secs(1));
    assert_eq!(pace.rows_per_minute(), Some(580));
    // The rows sent before the budget are still in the window: their 429s say nothing about
    // the budget, however many come.
    for i in 2..12 {
        pace.refusals(i, t + Duration::from_secs(i * 5));
    }
    assert_eq!(pace.rows_per_minute(), Some(580));
    // Out of the window but still held back in the store: it throttles them, and is not cut.
    pace.refusals(12, t + Duration::from_secs(61));
    assert_eq!(pace.rows_per_minute(), Some(580));
    pace.ran(old.id, 500, 500, t + Duration::from_secs(61));
    pace.settled(old.id, t + Duration::from_secs(61));
    let new = pace.submit(80, t + Duration::from_secs(62)).unwrap();
    assert_eq!(new.rows, 80);
    pace.settled(new.id, t + Duration::from_secs(62));
    // Nothing waits in the store and every row counted went out under the budget: the
    // store allows less.
    let at = t + Duration::from_secs(70);
    pace.refusals(13, at);
    assert_eq!(pace.rows_per_minute(), Some(464));
    // Half a minute without a sign: a twentieth of --rate back, never past the room after
    // two signs.
    let later = at + CLIMB_EVERY;
    let _ = pace.submit(1, later);
    assert_eq!(pace.rows_per_minute(), Some(494));
    for i in 1..20 {
        let _ = pace.submit(1, later + CLIMB_EVERY * i);
    }
    assert_eq!(pace.rows_per_minute(), Some(580));
}

#[test]
fn rows_count_for_a_window_from_their_submit() {
    let t = Instant::now();
    let pace = counting_store(t);
    assert_eq!(granted(pace.submit(300, t)), Some(300));
    let s = t + Duration::from_secs(20);
    assert_eq!(granted(pace.submit(500, s)), Some(280));
    assert_eq!(pace.submit(500, s), Err(Duration::from_secs(40)));
    assert_eq!(
        granted(pace.submit(500, t + Duration::from_secs(60))),
        Some(300)
    );
    assert_eq!(
        pace.submit(500, t + Duration::from_secs(60)),
        Err(Duration::from_secs(20))
    );
}

/// A store that has refused rows inside a batch, whose rows are counted from when they ran.
fn refusing_store(t: Instant) -> LanePace {
    let pace = LanePace::new(600, t);
    let lease = pace.submit(1, t).unwrap();
    pace.ran(lease.id, 1, 1, t);
    pace.settled(lease.id, t);
    pace.refused(&lease, 1, t);
    assert_eq!(pace.rows_per_minute(), Some(580));
    pace
}

#[test]
fn rows_refused_inside_a_batch_are_no_stray_sign() {
    let t = Instant::now();
    let pace = refusing_store(t);
    // However long the store stays quiet, the budget stays the room beside the run's own
    // requests (a stray 429 would let it climb a quarter at a time).
    for i in 1..10 {
        let _ = pace.submit(1, t + Duration::from_secs(61) + CLIMB_EVERY * i);
    }
    assert_eq!(pace.rows_per_minute(), Some(580));
}

#[test]
fn a_store_that_refuses_counts_rows_from_when_they_ran() {
    let t = Instant::now();
    let pace = refusing_store(t);
    let start = t + Duration::from_secs(61);
    // Granted at `start`, its submit held back 10 s by a pause: nothing of it can have run
    // before it left.
    let lease = pace.submit(500, start).unwrap();
    let left = start + Duration::from_secs(10);
    pace.leaves(lease.id, left);
    // Not shown finished yet: the rows count however long ago they were granted (and so does
    // the submit, a request in the store's window).
    let mut state = lock(&pace.state);
    state.expire(start + Duration::from_secs(69));
    assert_eq!(state.counted(), 501);
    drop(state);
    // A poll at 1,000 rows a second shows them done; they ran within half a second of the
    // submit leaving, so they count until then and a minute.
    let polled = left + Duration::from_millis(200);
    pace.ran(lease.id, 200, 500, polled);
    pace.finished(200, polled);
    let done = left + Duration::from_secs(5);
    pace.ran(lease.id, 300, 300, done);
    pace.finished(300, done);
    pace.settled(lease.id, done);
    // The first 200 count from the poll that showed them (no speed known yet), the other 300
    // from when the store's speed says they ran: a minute after the submit left, only room
    // for 80; half a second later, the rows still waiting (the 80) alone count.
    assert_eq!(
        granted(pace.submit(100, left + Duration::from_secs(60))),
        Some(80)
    );
    let ran = polled + Duration::from_millis(300);
    assert_eq!(granted(pace.submit(1_000, ran + WINDOW)), Some(500));
}

#[test]
fn without_a_speed_rows_count_from_the_poll_that_showed_them_run() {
    let t = Instant::now();
    let pace = refusing_store(t);
    let start = t + Duration::from_secs(61);
    let lease = pace.submit(580, start).unwrap();
    let done = start + Duration::from_secs(3);
    pace.ran(lease.id, 580, 580, done);
    pace.settled(lease.id, done);
    assert_eq!(
        pace.submit(100, start + WINDOW),
        Err(Duration::from_secs(3))
    );
}

#[test]
fn rows_refused_under_the_budget_cut_it_to_what_the_store_took() {
    let t = Instant::now();
    let pace = refusing_store(t);
    let start = t + Duration::from_secs(61);
    // The store took 400 of the lane's rows in its window, and refused the rest: another app
    // takes the others.
    let lease = pace.submit(580, start).unwrap();
    pace.ran(lease.id, 580, 580, start + Duration::from_secs(1));
    pace.settled(lease.id, start + Duration::from_secs(1));
    pace.refused(&lease, 180, start + Duration::from_secs(1));
    assert_eq!(pace.rows_per_minute(), Some(400));
    // A few rows of a batch come a little early: a twentieth off, not a fifth.
    let later = start + Duration::from_secs(70);
    let pace = refusing_store(later);
    let start = later + Duration::from_secs(61);
    let lease = pace.submit(580, start).unwrap();
    pace.ran(lease.id, 580, 580, start + Duration::from_secs(1));
    pace.refused(&lease, 5, start + Duration::from_secs(1));
    assert_eq!(pace.rows_per_minute(), Some(551));
}

#[test]
fn a_poll_held_back_by_a_pause_does_not_slow_the_store_down() {
    let t = Instant::now();
    let pace = LanePace::new(600, t);
    let lease = pace.submit(500, t).unwrap();
    let polled = t + Duration::from_millis(250);
    pace.ran(lease.id, 250, 500, polled);
    pace.finished(250, polled);
    // The next poll waited out a minute's pause: the rest ran long before it.
    let late = t + Duration::from_secs(61);
    pace.ran(lease.id, 250, 250, late);
    pace.finished(250, late);
    assert_eq!(LanePace::peak_speed(&lock(&pace.state)), Some(1_000.0));
    let mut state = lock(&pace.state);
    state.refuses = true;
    state.expire(t + Duration::from_millis(60_500));
    assert_eq!(state.counted(), 0);
}

#[test]
fn a_store_that_refuses_counts_the_lanes_own_requests_beside_the_rows() {
    let t = Instant::now();
    let pace = refusing_store(t);
    let start = t + Duration::from_secs(61);
    for i in 0..30 {
        pace.request(start + Duration::from_millis(i));
    }
    // 580 less the 30 submits and polls of the last minute.
    let ran = start + Duration::from_secs(1);
    let lease = pace.submit(1_000, ran).unwrap();
    assert_eq!(lease.rows, 550);
    pace.ran(lease.id, 550, 550, ran);
    pace.settled(lease.id, ran);
    // The requests leave the window a minute after they went, the rows after they ran.
    let later = start + Duration::from_millis(60_500);
    assert!(pace.submit(31, later).is_err());
    assert_eq!(granted(pace.submit(30, later)), Some(30));
}
