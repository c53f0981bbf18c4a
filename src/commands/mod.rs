//! One file per command; `dispatch` picks the handler.

pub mod run;

use crate::cli::{Cli, Command};

pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run(args) => run::run(&cli.global, args),
    }
}
