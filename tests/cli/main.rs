//! One integration binary, organised by command. Every test runs the real binaries against a
//! real loopback server, in a scrubbed environment.
//!
//! Linux only: the tests read /proc, watch the binary with strace, give it a terminal with
//! util-linux's `script`, and use FIFOs, signals and mount namespaces. On macOS and Windows
//! (.github/workflows/ci.yml) the unit tests, the shape test, the stand-in's tests and a run of
//! the real binaries against the stand-in stand in for them.
#![cfg(target_os = "linux")]

mod batch;
mod batch_ci;
mod ci_tests;
mod contracts;
mod credentials;
mod day_one;
mod day_two;
mod diff;
mod generated;
mod history;
mod hostile;
mod items;
mod keyring;
mod keys;
mod local_state;
mod mcp;
mod mcp_http;
mod merge;

mod network;
mod output_file;
mod recipes;
mod reliability;
mod run;
mod snapshots;
mod stand_in;
mod stream;
mod support;
mod terminal;
