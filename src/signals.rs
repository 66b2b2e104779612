//! Ctrl-C and SIGTERM while a command runs, the same for `import`, `plan`, `validate`, `undo`
//! and `export`. First signal: stop taking rows and finish cleanly (the requests in flight
//! finish, and the batches already in the store are polled on, for at most `--timeout`: see
//! `Engine::in_flight_over`; the results so far are written). Second: leave at once, removing the run's temporary
//! files first, since leaving runs no destructor (the journal stays: it still lets `--resume`
//! finish the job, every create left after its `S` line).

use tokio::task::JoinHandle;

use crate::ecwid::engine::Stop;
use crate::outcome::ExitStatus;
use crate::report::temp_files::TempFiles;

/// A run's stop signal and temporary files, with the signals watched for it until
/// [`Watched::end`] (or until it is dropped).
pub(crate) struct Watched {
    pub(crate) stop: Stop,
    pub(crate) temp_files: TempFiles,
    task: JoinHandle<()>,
}

impl Watched {
    /// Starts watching the signals for a new run.
    pub(crate) fn start() -> Self {
        let stop = Stop::default();
        let temp_files = TempFiles::default();
        let task = tokio::spawn(watch(stop.clone(), temp_files.clone()));
        Self {
            stop,
            temp_files,
            task,
        }
    }

    /// Stops watching: the run's own work is over.
    pub(crate) fn end(self) {}
}

impl Drop for Watched {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn watch(stop: Stop, temp_files: TempFiles) {
    let mut signals = Signals::new();
    signals.next().await;
    tracing::warn!(
        "stopping: finishing the requests in flight (press Ctrl-C again to quit at once)"
    );
    stop.interrupt();
    signals.next().await;
    temp_files.remove_all();
    std::process::exit(ExitStatus::Interrupted.code());
}

/// SIGINT and SIGTERM as one stream; signals that come between two waits are not lost.
struct Signals {
    #[cfg(unix)]
    streams: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = signal(SignalKind::interrupt()).and_then(|int| {
                let term = signal(SignalKind::terminate())?;
                Ok((int, term))
            });
            Self {
                streams: streams.ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        match &mut self.streams {
            Some((int, term)) => {
                tokio::select! {
                    _ = int.recv() => {}
                    _ = term.recv() => {}
                }
            }
            // Signals cannot be watched: never resolve, the run goes on without them.
            None => std::future::pending().await,
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
