//! The program: parse the command line, run the command, say the error (the one place that
//! does, with its hints), and turn it into the exit code.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::ExitCode;

use clap::FromArgMatches;

use crate::cli::{self, Cli};
use crate::ui::{Color, Ui};
use crate::{commands, error, suggest};

/// `miiflow: error:` — the one prefix of every error, clap's included; `error:` in bold red on
/// a terminal only.
fn prefix(color: bool) -> &'static str {
    if color {
        "miiflow: \x1b[1;31merror:\x1b[0m"
    } else {
        "miiflow: error:"
    }
}

/// The words given on the command line that name (sub)commands: `["keys"]` for `miiflow
/// --profile ci keys`. Options and their values are passed over.
fn command_path(cmd: &clap::Command, argv: &[OsString]) -> Vec<String> {
    let mut path = Vec::new();
    let mut current = cmd.clone();
    let mut args = argv
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if let Some(option) = arg.strip_prefix("--") {
            let takes_value = current
                .get_arguments()
                .find(|a| a.get_long() == Some(option))
                .is_some_and(|a| a.get_action().takes_values());
            if takes_value && !option.contains('=') {
                args.next();
            }
            continue;
        }
        if arg.starts_with('-') {
            continue;
        }
        match current.find_subcommand(&arg) {
            Some(sub) => {
                path.push(arg.clone());
                current = sub.clone();
            }
            None => break,
        }
    }
    path
}

/// What a bare `miiflow` (or `miiflow keys`) prints: the usage line, the commands with their
/// first line of help, and where the whole help is. Well under 25 lines.
fn short_usage(argv: &[OsString]) -> String {
    let root = cli::command();
    let path = command_path(&root, argv);
    let mut cmd = root;
    for name in &path {
        cmd = cmd
            .find_subcommand(name)
            .expect("a subcommand just found")
            .clone();
    }
    let name = std::iter::once("miiflow".to_owned())
        .chain(path.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    // clap renders the list, as in `--help`: the same order, wrapped to the terminal.
    let template = format!(
        "Usage: {name} <COMMAND>\n\nCommands:\n{{subcommands}}\n\n`{name} --help` shows every \
         option, examples and exit codes; `{name} COMMAND --help` one command's."
    );
    cmd.disable_help_subcommand(true)
        .help_template(template)
        .render_help()
        .to_string()
        .trim_end()
        .to_owned()
}

/// For an unknown command that clap found no suggestion for (`rn`): the close ones.
fn did_you_mean(e: &clap::Error, argv: &[OsString]) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::InvalidSubcommand || e.get(ContextKind::SuggestedSubcommand).is_some()
    {
        return String::new();
    }
    let Some(ContextValue::String(word)) = e.get(ContextKind::InvalidSubcommand) else {
        return String::new();
    };
    let root = cli::command();
    let mut cmd = root.clone();
    for name in command_path(&root, argv) {
        cmd = cmd
            .find_subcommand(&name)
            .expect("a subcommand just found")
            .clone();
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    match suggest::closest(word, names.iter().map(String::as_str)).first() {
        Some(close) => format!("  tip: a similar subcommand exists: '{close}'"),
        None => String::new(),
    }
}

/// A line on stderr before a command runs (clap's errors, the short usage): no key is known yet.
fn say_line(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// The program: parse the command line, run the command, say the error (the one place that
/// does), and the exit code.
pub fn main() -> ExitCode {
    let stderr_tty = std::io::stderr().is_terminal();
    // The command line, read once.
    let argv: Vec<OsString> = std::env::args_os().collect();
    let parsed = cli::command()
        .try_get_matches_from(&argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code().clamp(0, 255) as u8;
            if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                // `miiflow`, `miiflow keys`: the commands, short, and where the help is.
                say_line(&short_usage(&argv));
                return ExitCode::from(error::code::USAGE);
            }
            if !e.use_stderr() {
                // Help and version: stdout, as clap prints them.
                let _ = e.print();
                return ExitCode::from(code);
            }
            let color = crate::ui::use_color(Color::Auto, stderr_tty);
            let rendered = e.render();
            let text = if color {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            // clap's own text starts with its `error:`; ours replaces it.
            let text = text
                .split_once("error:")
                .map(|(_, rest)| rest.trim_start_matches("\x1b[0m").trim_start().to_owned())
                .unwrap_or(text);
            // clap's own tip where it has one; ours (a wider net) where it has none.
            let text = match (text.split_once('\n'), did_you_mean(&e, &argv)) {
                (Some((first, rest)), tip) if !tip.is_empty() => {
                    format!("{first}\n\n{tip}\n{rest}")
                }
                _ => text,
            };
            say_line(&format!("{} {}", prefix(color), text.trim_end()));
            return ExitCode::from(code);
        }
    };
    let color = crate::ui::use_color(cli.global.color.into(), stderr_tty);
    let ui = Ui::new(cli.global.color.into(), cli.global.quiet);
    let words = argv.into_iter().skip(1).collect();
    // The error line and its hints go through the command's Ui: its key is masked in them.
    match commands::dispatch(cli, ui.clone(), words) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let (err, hints) = error::split_hints(err);
            // Ctrl-C and a closed stdout end quietly, as cargo and gh do.
            if !error::is_broken_pipe(&err) && !error::is_interrupted(&err) {
                ui.set_bar(None);
                ui.say(&format!("{} {err:#}", prefix(color)));
                for hint in hints {
                    ui.say(&format!("miiflow: note: {hint}"));
                }
            }
            ExitCode::from(error::exit_code(&err))
        }
    }
}
