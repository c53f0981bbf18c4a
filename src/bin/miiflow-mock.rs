//! `miiflow-mock`: the command line of the stand-in API (see `miiflow::mock`).

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use miiflow::mock::{Config, Fault, Mock};

/// A local stand-in for Miiflow's API: for trying miiflow without an account, for your own CI,
/// and for miiflow's tests.
///
/// It is written from Miiflow's public contract (POST /api/v1/agent_run) and miiflow's
/// documented assumptions about the key API: it is not Miiflow, and a workflow that works
/// here may still fail there. It echoes each run's input back as its output, or serves
/// canned answers from --answers DIR/AGENT_ID.json.
#[derive(Debug, Parser)]
#[command(name = "miiflow-mock", version)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Serve until Ctrl-C; prints the MIIFLOW_BASE_URL and MIIFLOW_API_KEY to use.
    Serve(Options),
    /// Start on a free port, run COMMAND with MIIFLOW_BASE_URL and MIIFLOW_API_KEY set, stop,
    /// and exit with COMMAND's code.
    #[command(after_help = "Example:\n  miiflow-mock exec -- miiflow run agent_demo city=Paris")]
    Exec {
        #[command(flatten)]
        options: Options,
        /// The command to run, after --.
        #[arg(last = true, required = true, value_name = "COMMAND")]
        command: Vec<String>,
    },
}

#[derive(Debug, Args)]
struct Options {
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
    fn config(self) -> (SocketAddr, Config, String) {
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
        };
        (SocketAddr::new(self.bind, self.port), config, first)
    }
}

async fn serve(options: Options) -> anyhow::Result<u8> {
    let (addr, config, key) = options.config();
    let mock = Mock::start(addr, config).await?;
    // One write, and no panic if whoever started us stopped reading.
    let exports = format!(
        "export MIIFLOW_BASE_URL={}\nexport MIIFLOW_API_KEY={key}\n",
        mock.url()
    );
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(exports.as_bytes()).and_then(|()| out.flush());
    drop(out);
    eprintln!(
        "miiflow-mock: serving on {} (a stand-in written from the public contract, not Miiflow); Ctrl-C stops it",
        mock.url()
    );
    tokio::signal::ctrl_c().await?;
    mock.stop();
    Ok(0)
}

async fn exec(options: Options, command: Vec<String>) -> anyhow::Result<u8> {
    let (addr, config, key) = options.config();
    let mock = Mock::start(addr, config).await?;
    let mut child = tokio::process::Command::new(&command[0])
        .args(&command[1..])
        .env("MIIFLOW_BASE_URL", mock.url())
        .env("MIIFLOW_API_KEY", key)
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", command[0]))?;
    // Ctrl-C reaches the child too; wait for it and pass on its code.
    let status = loop {
        tokio::select! {
            status = child.wait() => break status?,
            _ = tokio::signal::ctrl_c() => {}
        }
    };
    mock.stop();
    Ok(match status.code() {
        Some(code) => code.clamp(0, 255) as u8,
        None => signal_code(&status),
    })
}

/// A child killed by a signal exits as a shell reports it: 128 + the signal.
#[cfg(unix)]
fn signal_code(status: &std::process::ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    status.signal().map_or(1, |s| (128 + s).clamp(0, 255) as u8)
}

#[cfg(not(unix))]
fn signal_code(_: &std::process::ExitStatus) -> u8 {
    1
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("miiflow-mock: error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Cmd::Serve(options) => serve(options).await,
            Cmd::Exec { options, command } => exec(options, command).await,
        }
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("miiflow-mock: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
