//! `miiflow-mock`: the command line of the stand-in API (see the library).

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use miiflow_mock::{Mock, Options};

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
    ///
    /// COMMAND gets throwaway miiflow config and data folders (MIIFLOW_CONFIG_DIR,
    /// MIIFLOW_DATA_DIR) and MIIFLOW_KEYRING=off, removed afterwards: trying miiflow against the
    /// stand-in leaves nothing in your profiles, history or keyring. --own-state gives it yours.
    /// Each exec serves on a new port, and a batch's results record the base URL: to --resume
    /// a batch across execs, give a fixed --port.
    #[command(
        after_help = "Examples:\n  miiflow-mock exec -- miiflow run agent_demo city=Paris\n  \
                            miiflow-mock exec --port 8931 -- miiflow run agent_demo --batch in.jsonl -o out.jsonl --resume"
    )]
    Exec {
        #[command(flatten)]
        options: Options,
        /// Give COMMAND your own miiflow config, history and keyring instead of throwaway ones.
        #[arg(long)]
        own_state: bool,
        /// The command to run, after --.
        #[arg(last = true, required = true, value_name = "COMMAND")]
        command: Vec<String>,
    },
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

async fn exec(options: Options, command: Vec<String>, own_state: bool) -> anyhow::Result<u8> {
    let (addr, config, key) = options.config();
    let mock = Mock::start(addr, config).await?;
    let mut cmd = tokio::process::Command::new(&command[0]);
    cmd.args(&command[1..])
        .env("MIIFLOW_BASE_URL", mock.url())
        .env("MIIFLOW_API_KEY", key);
    // Removed when exec ends (on every exit but SIGKILL).
    let state = match own_state {
        true => None,
        false => Some(
            tempfile::Builder::new()
                .prefix("miiflow-mock-state-")
                .tempdir()
                .map_err(|e| anyhow::anyhow!("cannot make throwaway folders: {e}"))?,
        ),
    };
    if let Some(dir) = &state {
        cmd.env("MIIFLOW_CONFIG_DIR", dir.path().join("config"))
            .env("MIIFLOW_DATA_DIR", dir.path().join("data"))
            .env("MIIFLOW_KEYRING", "off");
    }
    let mut child = cmd
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
            Cmd::Exec {
                options,
                command,
                own_state,
            } => exec(options, command, own_state).await,
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
