use std::io::IsTerminal;
use std::process::ExitCode;

use clap::FromArgMatches;
use miiflow::{cli::Cli, cli::ColorChoice, commands, error, output};

/// `miiflow: error:` — the one prefix of every error, clap's included; `error:` in bold red on
/// a terminal only.
fn prefix(color: bool) -> &'static str {
    if color {
        "miiflow: \x1b[1;31merror:\x1b[0m"
    } else {
        "miiflow: error:"
    }
}

fn main() -> ExitCode {
    let stderr_tty = std::io::stderr().is_terminal();
    let parsed = miiflow::cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code().clamp(0, 255) as u8;
            if !e.use_stderr() {
                // Help and version: stdout, as clap prints them.
                let _ = e.print();
                return ExitCode::from(code);
            }
            let color = output::use_color(ColorChoice::Auto, stderr_tty);
            let rendered = e.render();
            let text = if color {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            // clap's own text starts with its `error:`; ours replaces it.
            let text = text
                .split_once("error:")
                .map(|(_, rest)| rest.trim_start_matches("\x1b[0m").to_owned())
                .unwrap_or(text);
            miiflow::say!("{}{}", prefix(color), text.trim_end());
            return ExitCode::from(code);
        }
    };
    let color = output::use_color(cli.global.color, stderr_tty);
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Ctrl-C and a closed stdout end quietly, as cargo and gh do.
            if !error::is_broken_pipe(&err) && !error::is_interrupted(&err) {
                miiflow::say!("{} {err:#}", prefix(color));
            }
            ExitCode::from(error::exit_code(&err))
        }
    }
}
