//! `miiflow`: a command-line client for running Miiflow workflows over Miiflow's HTTP API,
//! and `miiflow-mock`, a local stand-in for that API.
//!
//! The library is the program: its outside users are its own binaries (`main`, the stand-in's
//! `mock`) and the test that checks the generated files (`docs`). Everything else is
//! `pub(crate)`.

mod app;
mod batch;
mod cli;
mod client;
mod commands;
mod config;
mod context;
mod credentials;
mod duration;
mod engine;
mod env;
mod error;
mod expect;
mod fs;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod history;
mod input;
mod items;
mod json;
mod keys_api;
mod limits;
mod mcp;
mod output;
mod proxy;
mod report;
mod request;
mod results;
mod retry;
#[cfg(test)]
mod secret_safety;
mod shard;
mod sse;
mod suggest;
mod target;
mod ui;

pub use app::main;
/// Shell completions and man pages (for the test that checks the committed copies).
pub use cli::generate as docs;
