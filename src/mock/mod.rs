//! `miiflow-mock`: a local stand-in for Miiflow's API, written from the public contract and the
//! assumptions in `docs/API.md`. It is not Miiflow.
//!
//! It checks bearer keys, echoes `agent_run` inputs (or serves canned answers, SSE included),
//! keeps keys in memory for the key API, logs every request as a JSON line, and injects faults.

mod answers;
mod faults;
mod keys;
mod reply;
mod server;

pub use faults::Fault;
pub use server::{Config, Mock};
