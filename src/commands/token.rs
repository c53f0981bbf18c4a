//! `miiflow token`: the key in use, on stdout, for scripts.

use std::io::IsTerminal;

use crate::cli::TokenArgs;
use crate::context::Context;
use crate::error::Error;

pub(crate) fn run(ctx: &Context, args: TokenArgs) -> anyhow::Result<()> {
    let resolved = ctx.resolve_key()?;
    if ctx.term.stdout_tty && !args.show {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(Error::BadInput(
                "stdout is a terminal: pass --show to print the key on it".into(),
            )
            .into());
        }
        let sure = super::confirm(&format!(
            "Print the API key {} on this terminal?",
            resolved.key.masked()
        ))?;
        if !sure {
            anyhow::bail!("not printed");
        }
    }
    crate::output::print_line(resolved.key.expose())?;
    Ok(())
}
