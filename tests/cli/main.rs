//! One integration binary, organised by command. Every test runs the real binaries against a
//! real loopback server, in a scrubbed environment.

mod batch;
mod credentials;
mod generated;
mod items;
mod keyring;
mod keys;
mod local_state;
mod mock;
mod reliability;
mod run;
mod stream;
mod support;
