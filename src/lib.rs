//! `miiflow`: a command-line client for running Miiflow workflows over Miiflow's HTTP API,
//! and `miiflow-mock`, a local stand-in for that API.
//!
//! The library is the program: its outside users are its own binaries (`main`, the stand-in's
//! `mock`) and the test that checks the generated files (`docs`). Everything else is
//! `pub(crate)`.

mod api;
mod app;
mod batch;
mod cli;
mod client;
mod commands;
mod config;
mod context;
mod credentials;
pub mod docs;
mod error;
mod exchange;
mod expect;
mod fs;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod history;
mod input;
mod items;
mod json;
mod latency;
mod limits;
mod mcp;
mod output;
mod proxy;
mod request;
mod retry;
mod shard;
mod sse;
mod suggest;
mod target;
mod ui;

pub use app::main;
