//! `miiflow`: a command-line client for running Miiflow workflows over Miiflow's HTTP API,
//! and `miiflow-mock`, a local stand-in for that API.

/// `eprintln!` that never panics: a closed or full stderr must not turn an answer into a crash
/// (exit 101). What cannot be said is dropped. The active key is masked in whatever is said.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        $crate::output::say_line(&format!($($arg)*));
    }};
}

pub mod api;
pub mod cli;
pub mod client;
pub mod commands;
pub mod config;
pub mod context;
pub mod credentials;
pub mod docs;
pub mod error;
pub mod history;
pub mod input;
pub mod items;
pub mod json;
pub mod limits;
pub mod mock;
pub mod output;
pub mod proxy;
pub mod request;
pub mod retry;
pub mod sse;
pub mod suggest;
