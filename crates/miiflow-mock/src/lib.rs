//! `miiflow-mock`: a local stand-in for Miiflow's API, written from the public contract and the
//! assumptions in miiflow's `docs/API.md`. It is not Miiflow.
//!
//! It checks bearer keys, echoes `agent_run` inputs (or serves canned answers, SSE included),
//! keeps keys in memory for the key API, logs every request as a JSON line, and injects faults.
//! [`Mock`] serves in the current tokio runtime; [`Running`] serves on a thread of its own, for
//! a test that starts the stand-in in its own process.

mod answers;
mod cli;
mod faults;
mod keys;
mod reply;
mod server;

pub use cli::Options;
pub use faults::Fault;
pub use server::{Config, Mock};

/// Whether a [`Running`] stand-in keeps every request in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remember {
    /// For [`Running::requests`] (tests).
    Requests,
    /// Nothing: a long run's many requests and large bodies are not kept.
    Nothing,
}

/// A stand-in serving on a thread of its own (with its own runtime), stopped on drop. Requests
/// and keys are read from memory.
pub struct Running {
    mock: Option<Mock>,
    url: String,
    key: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Serves what `args` (the options of `miiflow-mock serve`) say.
    pub fn start(args: &[&str], remember: Remember) -> anyhow::Result<Running> {
        use clap::Parser;
        #[derive(Parser)]
        struct Serve {
            #[command(flatten)]
            options: Options,
        }
        let serve = Serve::try_parse_from(std::iter::once("serve").chain(args.iter().copied()))?;
        let (addr, mut config, key) = serve.options.config();
        config.remember = remember == Remember::Requests;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("miiflow-mock".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match Mock::start(addr, config).await {
                        Ok(mock) => {
                            let _ = ready_tx.send(Ok(mock.clone_handle()));
                            let _ = stopped.await;
                            mock.stop();
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let mock = ready_rx
            .recv()
            .map_err(|_| anyhow::anyhow!("the stand-in's thread ended"))??;
        Ok(Running {
            url: mock.url(),
            mock: Some(mock),
            key,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (or https).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The first accepted key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Every request so far, in order (see [`Mock::requests`]).
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.mock.as_ref().map(Mock::requests).unwrap_or_default()
    }

    /// The keys the key API knows, as it lists them.
    pub fn keys(&self) -> Vec<serde_json::Value> {
        self.mock.as_ref().map(Mock::keys).unwrap_or_default()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
