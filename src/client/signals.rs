//! The runtime a command runs on, and the signals that stop it.

use crate::error::Error;

/// A single-threaded runtime: one process sends one run, or a batch of concurrent ones, and
/// waits on the network, not on the CPU.
pub(crate) fn runtime() -> anyhow::Result<Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        // Blocking threads run `--jq` and `--expect` on shallow answers (output::jq): room
        // for their recursion (reserved, not committed, until used).
        .thread_stack_size(16 * 1024 * 1024)
        .build()
        .map(|rt| Runtime(Some(rt)))
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))
}

/// The runtime, which is not waited for when it goes: a filter that never ends (`--expect
/// 'def f: f; f'`, given up at its deadline), or a read of stdin, keeps a blocking thread, and
/// a runtime dropped the usual way would wait for it for ever.
pub(crate) struct Runtime(Option<tokio::runtime::Runtime>);

impl std::ops::Deref for Runtime {
    type Target = tokio::runtime::Runtime;
    fn deref(&self) -> &tokio::runtime::Runtime {
        self.0.as_ref().expect("present until dropped")
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// Runs async work on a fresh runtime; Ctrl-C ends it at once with [`Error::Interrupted`],
/// SIGTERM or SIGHUP with [`Error::Terminated`]. The signals are caught before the work starts
/// (so a spinner it shows is always cleared).
pub(crate) fn block_on<T>(
    work: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<T> {
    runtime()?.block_on(async {
        let mut stop = Stop::new()?;
        tokio::select! {
            biased;
            e = stop.recv() => Err(e.into()),
            result = work => result,
        }
    })
}

/// The signals that stop miiflow, caught from the moment this is made (inside a runtime).
pub(crate) struct Stop {
    #[cfg(unix)]
    signals: [(tokio::signal::unix::Signal, Error); 3],
}

impl Stop {
    pub(crate) fn new() -> anyhow::Result<Stop> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let catch =
                |kind| signal(kind).map_err(|e| anyhow::anyhow!("cannot catch signals: {e}"));
            Ok(Stop {
                signals: [
                    (catch(SignalKind::interrupt())?, Error::Interrupted),
                    (catch(SignalKind::terminate())?, Error::Terminated),
                    (catch(SignalKind::hangup())?, Error::Terminated),
                ],
            })
        }
        #[cfg(not(unix))]
        Ok(Stop {})
    }

    /// Resolves with the error that stopping means: Ctrl-C is [`Error::Interrupted`]; SIGTERM
    /// and SIGHUP are [`Error::Terminated`]. Work in progress is then dropped, so temporary
    /// files go, as on Ctrl-C.
    pub(crate) async fn recv(&mut self) -> Error {
        #[cfg(unix)]
        {
            let [(int, _), (term, _), (hup, _)] = &mut self.signals;
            tokio::select! {
                _ = int.recv() => Error::Interrupted,
                _ = term.recv() => Error::Terminated,
                _ = hup.recv() => Error::Terminated,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Error::Interrupted
        }
    }
}
