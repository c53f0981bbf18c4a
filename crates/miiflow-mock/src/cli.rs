//! The options of `miiflow-mock serve` and `exec`, also parsed by tests that start the stand-in
//! in their own process.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::{Config, Fault};

#[derive(Debug, Args)]
pub struct Options {
    /// Port to listen on (0: a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,

    /// An accepted API key (repeatable); without one, a key is made up and printed.
    #[arg(long = "key", value_name = "KEY")]
    keys: Vec<String>,

    /// A folder of AGENT_ID.json canned answers (see the README); without it runs are echoed.
    #[arg(long, value_name = "DIR")]
    answers: Option<PathBuf>,

    /// Milliseconds to wait before every agent_run answer.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency: u64,

    /// A fault for the next agent_run request, in order (repeatable):
    /// STATUS, 429:SECS (with Retry-After), drop, truncate, slow:MS, redirect:URL.
    #[arg(long = "fault", value_name = "SPEC")]
    faults: Vec<Fault>,

    /// A fault for the next key-API request, in order (repeatable): STATUS, drop, slow:MS.
    #[arg(long = "key-fault", value_name = "SPEC")]
    key_faults: Vec<Fault>,

    /// Append every request (method, path, headers, body) to FILE as a JSON line.
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,

    /// Answer 404 to the key API, as a server without one would.
    #[arg(long)]
    no_key_api: bool,

    /// Serve https with this certificate chain (a PEM file); needs --tls-key.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,

    /// The private key for --tls-cert (a PEM file).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

fn made_up_key() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("mk_mock_{:x}{:x}", nanos, std::process::id())
}

impl Options {
    /// The address to bind, what to serve, and the first accepted key (made up when none was
    /// given).
    pub fn config(self) -> (SocketAddr, Config, String) {
        let mut keys = self.keys;
        if keys.is_empty() {
            keys.push(made_up_key());
        }
        let first = keys[0].clone();
        let config = Config {
            keys,
            answers: self.answers,
            latency: Duration::from_millis(self.latency),
            faults: self.faults,
            key_faults: self.key_faults,
            log: self.log,
            no_key_api: self.no_key_api,
            tls: self.tls_cert.zip(self.tls_key),
            remember: false,
        };
        (SocketAddr::new(self.bind, self.port), config, first)
    }
}
