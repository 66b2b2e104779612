//! The engine on tokio's paused clock, with a fake transport: each request is a closure that
//! notes when it left and answers as the test says, so no test waits in real time.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use tokio::time::Instant;

use super::*;
use crate::ecwid::ClientConfig;

fn engine(concurrency: usize, max_retries: u32) -> Arc<Engine> {
    let client = Client::new(&ClientConfig {
        // Never reached: the tests' requests are closures.
        api_url: "http://127.0.0.1:9/api/v3".into(),
        store_id: 1003,
        token: SecretString::from("secret_test"),
        timeout: Duration::from_secs(30),
        max_connections: concurrency,
    })
    .expect("client");
    let budget = RateBudget::new(NonZeroU32::new(60_000).expect("non-zero"));
    Arc::new(Engine::new(
        client,
        budget,
        concurrency,
        max_retries,
        Stop::default(),
    ))
}

fn status(status: u16, retry_after: Option<u64>) -> ApiError {
    ApiError::Status {
        status,
        message: "m".into(),
        code: None,
        retry_after: retry_after.map(Duration::from_secs),
    }
}

/// When each request left, by kind.
type Sent = Arc<Mutex<Vec<(Kind, Instant)>>>;

/// A 429 to one request holds every request of every kind until its `Retry-After` has passed:
/// look-ups, groups, profile, batch polls and submits, updates, deletes alike.
#[tokio::test(start_paused = true)]
async fn no_request_of_any_kind_leaves_during_a_429_pause() {
    let engine = engine(4, 3);
    let sent: Sent = Arc::default();
    let refused_at: Arc<Mutex<Option<Instant>>> = Arc::default();
    let pause = Duration::from_secs(5);

    let mut tasks = Vec::new();
    // The create that the store answers 429 to, 50 ms after it left.
    {
        let (engine, sent, refused_at) = (engine.clone(), sent.clone(), refused_at.clone());
        tasks.push(tokio::spawn(async move {
            let mut tries = engine.tries();
            let result = engine
                .send(Kind::Create, &mut tries, || {
                    let (sent, refused_at) = (sent.clone(), refused_at.clone());
                    async move {
                        sent.lock().unwrap().push((Kind::Create, Instant::now()));
                        let first = refused_at.lock().unwrap().is_none();
                        if first {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            *refused_at.lock().unwrap() = Some(Instant::now());
                            return Err(status(429, Some(pause.as_secs())));
                        }
                        Ok(1)
                    }
                })
                .await;
            assert!(result.is_ok(), "the create goes through after the pause");
            assert_eq!(
                (tries.attempts, tries.rate_limited, tries.retries),
                (2, 1, 0)
            );
        }));
    }
    // Every other kind keeps sending, a request each 20 ms, for 8 seconds.
    let others: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|&k| k != Kind::Create)
        .collect();
    assert_eq!(others.len(), Kind::ALL.len() - 1);
    for &kind in &others {
        let (engine, sent) = (engine.clone(), sent.clone());
        tasks.push(tokio::spawn(async move {
            let until = Instant::now() + Duration::from_secs(8);
            while Instant::now() < until {
                let mut tries = engine.tries();
                let sent = sent.clone();
                let answer = engine
                    .send(kind, &mut tries, || {
                        let sent = sent.clone();
                        async move {
                            sent.lock().unwrap().push((kind, Instant::now()));
                            Ok::<_, ApiError>(())
                        }
                    })
                    .await;
                assert!(answer.is_ok());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    for task in tasks {
        task.await.expect("no panic");
    }

    let refused_at = refused_at.lock().unwrap().expect("the 429 was answered");
    let sent = sent.lock().unwrap();
    let during: Vec<_> = sent
        .iter()
        .filter(|(_, t)| *t > refused_at && *t < refused_at + pause)
        .collect();
    assert!(during.is_empty(), "sent during the pause: {during:?}");
    for &kind in &others {
        let after = sent
            .iter()
            .filter(|(k, t)| *k == kind && *t >= refused_at + pause)
            .count();
        assert!(after > 0, "{kind:?} goes on after the pause");
    }
    let counts = engine.counts();
    assert_eq!(counts.kind(Kind::Create).rate_limited, 1);
    assert_eq!(counts.total().rate_limited, 1);
    assert_eq!(counts.total().requests, sent.len() as u64);
}

/// Look-ups that fail are retried after a backoff, and each retry is counted as the look-up's.
#[tokio::test(start_paused = true)]
async fn retries_of_lookups_are_counted() {
    let engine = engine(2, 5);
    let calls = Arc::new(Mutex::new(0));
    let mut tries = engine.tries();
    let found = engine
        .send(Kind::Search, &mut tries, || {
            let calls = calls.clone();
            async move {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                match *calls {
                    1 => Err(status(503, None)),
                    2 => Err(ApiError::Timeout(Duration::from_secs(30))),
                    _ => Ok(Some(7_u64)),
                }
            }
        })
        .await;
    assert!(matches!(found, Ok(Some(7))));
    assert_eq!((tries.attempts, tries.retries), (3, 2));
    let search = engine.counts().kind(Kind::Search);
    assert_eq!((search.requests, search.retries), (3, 2));
    assert_eq!(engine.counts().total().retries, 2);
}

/// A create whose outcome is unknown is not sent again: the caller is told to settle it, and
/// the next request of the row waits out a backoff as a retry.
#[tokio::test(start_paused = true)]
async fn a_create_of_unknown_outcome_is_handed_back() {
    let engine = engine(1, 5);
    let mut tries = engine.tries();
    let calls = Arc::new(Mutex::new(0));
    let created = engine
        .send(Kind::Create, &mut tries, || {
            let calls = calls.clone();
            async move {
                *calls.lock().unwrap() += 1;
                Err::<u64, _>(status(500, None))
            }
        })
        .await;
    assert!(matches!(
        created,
        Err(Failure::Failed {
            why: Why::Unknown,
            ..
        })
    ));
    assert_eq!(*calls.lock().unwrap(), 1, "never sent twice by the engine");
    assert_eq!(tries.retries, 1);
    let before = Instant::now();
    let _ = engine
        .send(Kind::Search, &mut tries, || async {
            Ok::<_, ApiError>(None::<u64>)
        })
        .await;
    assert!(
        Instant::now() - before >= Duration::from_millis(250),
        "backoff first"
    );
}

/// Retries stop at the operation's limit; a refused token stops the run before anything else
/// leaves; a 404 to a look-up stops the run, a 404 to a poll names only the ticket.
#[tokio::test(start_paused = true)]
async fn retries_run_out_and_refusals_stop_the_run() {
    let engine = engine(1, 2);
    let mut tries = engine.tries();
    let gave_up = engine
        .send(Kind::Update, &mut tries, || async {
            Err::<(), _>(status(502, None))
        })
        .await;
    assert!(matches!(
        gave_up,
        Err(Failure::Failed {
            why: Why::GaveUp,
            ..
        })
    ));
    assert_eq!((tries.attempts, tries.retries), (3, 2));

    let mut tries = engine.tries();
    let poll = engine
        .send(Kind::BatchPoll, &mut tries, || async {
            Err::<(), _>(status(404, None))
        })
        .await;
    assert!(matches!(
        poll,
        Err(Failure::Failed {
            why: Why::Refused(Action::FailRow),
            ..
        })
    ));
    assert!(!engine.stop().is_stopped());

    let mut tries = engine.tries();
    let search = engine
        .send(Kind::Search, &mut tries, || async {
            Err::<(), _>(status(403, None))
        })
        .await;
    assert!(matches!(
        search,
        Err(Failure::Failed {
            why: STOPPED_RUN,
            ..
        })
    ));
    assert!(engine.stop().is_stopped());
    let after = engine
        .send(Kind::Create, &mut engine.tries(), || async {
            Ok::<_, ApiError>(1)
        })
        .await;
    assert!(matches!(after, Err(Failure::Stopped)));
    assert_eq!(engine.counts().kind(Kind::Create).requests, 0);
}

/// A profile the token may not read, and groups on a plan without them, stop nothing.
#[tokio::test(start_paused = true)]
async fn optional_reads_do_not_stop_the_run() {
    let engine = engine(1, 0);
    for (kind, code) in [(Kind::Profile, 403), (Kind::Groups, 402)] {
        let answer = engine
            .send(kind, &mut engine.tries(), || async {
                Err::<(), _>(status(code, None))
            })
            .await;
        assert!(
            matches!(
                answer,
                Err(Failure::Failed {
                    why: Why::Refused(Action::FailRow),
                    ..
                })
            ),
            "{kind:?}"
        );
    }
    assert!(!engine.stop().is_stopped());
}

/// A plan's engine refuses every kind of request that writes before it leaves, and counts
/// none of them; reads go through.
#[tokio::test(start_paused = true)]
async fn a_read_only_engine_sends_no_write() {
    let engine = engine(2, 0);
    let engine = Arc::into_inner(engine).expect("one owner").read_only();
    let sent: Sent = Arc::default();
    for kind in Kind::ALL {
        let mut tries = engine.tries();
        let sent = sent.clone();
        let result = engine
            .send(kind, &mut tries, || {
                let sent = sent.clone();
                async move {
                    sent.lock().unwrap().push((kind, Instant::now()));
                    Ok(())
                }
            })
            .await;
        assert_eq!(result.is_ok(), !kind.writes(), "{kind:?}");
        assert_eq!(
            engine.counts().kind(kind).requests,
            u64::from(!kind.writes())
        );
    }
    let kinds: Vec<Kind> = sent.lock().unwrap().iter().map(|(k, _)| *k).collect();
    assert!(kinds.iter().all(|k| !k.writes()), "{kinds:?}");
    assert_eq!(
        kinds.len(),
        8,
        "the reads: search, get, list, groups, profile, poll, extra fields, read-back"
    );
}

fn why_of<T>(result: Result<T, Failure>) -> Option<Why> {
    match result {
        Err(Failure::Failed { why, .. }) => Some(why),
        _ => None,
    }
}

/// An answer that says the request can never work fails it at once (one request, no retry);
/// a success of the kind starts the count again; the third such answer in a row stops the run.
#[tokio::test(start_paused = true)]
async fn never_working_answers_fail_at_once_and_stop_the_run_when_they_persist() {
    let engine = engine(1, 5);
    let never = || async { Err::<u64, _>(status(501, None)) };
    for _ in 0..2 {
        let mut tries = engine.tries();
        let failed = engine.send(Kind::Create, &mut tries, never).await;
        assert_eq!(why_of(failed), Some(Why::Refused(Action::Never)));
        assert_eq!((tries.attempts, tries.retries), (1, 0));
    }
    let ok = engine
        .send(Kind::Create, &mut engine.tries(), || async {
            Ok::<_, ApiError>(7)
        })
        .await;
    assert!(ok.is_ok());
    // Another kind's answers count apart.
    let update = engine.send(Kind::Update, &mut engine.tries(), never).await;
    assert_eq!(why_of(update), Some(Why::Refused(Action::Never)));
    for _ in 0..2 {
        let failed = engine.send(Kind::Create, &mut engine.tries(), never).await;
        assert_eq!(why_of(failed), Some(Why::Refused(Action::Never)));
    }
    assert!(!engine.stop().is_stopped());
    let third = engine.send(Kind::Create, &mut engine.tries(), never).await;
    assert_eq!(why_of(third), Some(STOPPED_RUN));
    assert!(engine.stop().is_stopped());
    let Some(StopReason::Aborted(message)) = engine.stop().reason() else {
        panic!("aborted");
    };
    assert!(message.contains("HTTP 501"), "{message}");
    assert!(message.contains("--api-url"), "{message}");
    assert_eq!(engine.counts().kind(Kind::Create).retries, 0);
}

/// A read whose success answer cannot be read is tried once more, then fails as unreadable; a
/// write's unreadable answer leaves its outcome unknown and goes by the retry policy.
#[tokio::test(start_paused = true)]
async fn an_unreadable_answer_to_a_read_is_tried_once_more() {
    let engine = engine(1, 5);
    let garbled = || async {
        Err::<u64, _>(ApiError::BadBody {
            status: 200,
            body: "missing field `items`".into(),
        })
    };
    for kind in [Kind::Search, Kind::Get, Kind::List, Kind::BatchPoll] {
        let mut tries = engine.tries();
        let failed = engine.send(kind, &mut tries, garbled).await;
        assert_eq!(why_of(failed), Some(Why::Unreadable), "{kind:?}");
        assert_eq!((tries.attempts, tries.retries), (2, 1), "{kind:?}");
    }
    let mut tries = engine.tries();
    let update = engine.send(Kind::Update, &mut tries, garbled).await;
    assert_eq!(why_of(update), Some(Why::GaveUp));
    assert_eq!(tries.attempts, 6);
    let mut tries = engine.tries();
    let create = engine.send(Kind::Create, &mut tries, garbled).await;
    assert_eq!(why_of(create), Some(Why::Unknown));
    assert_eq!(tries.attempts, 1);
}

/// After an interrupt, polls of batches already in the store go on for `--timeout` (the bounded
/// wait of the work in flight), while nothing else leaves; after that wait, and after an abort,
/// no poll either.
#[tokio::test(start_paused = true)]
async fn after_an_interrupt_only_polls_go_on_and_only_for_the_wait() {
    let answer = || async { Ok::<_, ApiError>(()) };
    let engine = engine(2, 3);
    engine.stop().interrupt();
    let mut tries = engine.tries();
    let create = engine.send(Kind::Create, &mut tries, answer).await;
    assert!(matches!(create, Err(Failure::Stopped)));
    let submit = engine.send(Kind::BatchSubmit, &mut tries, answer).await;
    assert!(matches!(submit, Err(Failure::Stopped)));
    tokio::time::sleep(Duration::from_secs(29)).await;
    let poll = engine.send(Kind::BatchPoll, &mut tries, answer).await;
    assert!(poll.is_ok());
    assert!(!engine.sleep_in_flight(Duration::from_secs(5)).await);
    let poll = engine.send(Kind::BatchPoll, &mut tries, answer).await;
    assert!(matches!(poll, Err(Failure::Stopped)));

    let engine = self::engine(2, 3);
    engine.stop().abort("refused".into());
    let poll = engine.send(Kind::BatchPoll, &mut tries, answer).await;
    assert!(matches!(poll, Err(Failure::Stopped)));
    assert!(!engine.sleep_in_flight(Duration::from_secs(5)).await);
}
