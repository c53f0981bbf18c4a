use std::process::ExitCode;

use clap::Parser;
use miiflow::{cli::Cli, commands, error};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Ctrl-C and a closed stdout end quietly, as cargo and gh do.
            if !error::is_broken_pipe(&err) && !error::is_interrupted(&err) {
                miiflow::say!("miiflow: error: {err:#}");
            }
            ExitCode::from(error::exit_code(&err))
        }
    }
}
