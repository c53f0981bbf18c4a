//! `miiflow token`: the key in use, on stdout, for scripts.

use crate::cli::TokenArgs;
use crate::context::Context;
use crate::error::Error;

pub(crate) fn run(ctx: &Context, args: TokenArgs) -> anyhow::Result<()> {
    let resolved = ctx.resolve_key()?;
    if ctx.ui.term().stdout_tty && !args.show {
        if !ctx.ui.can_prompt() {
            return Err(Error::BadInput(
                "stdout is a terminal: pass --show to print the key on it".into(),
            )
            .into());
        }
        let sure = ctx.ui.confirm(&format!(
            "Print the API key {} on this terminal?",
            resolved.key.masked()
        ))?;
        if !sure {
            anyhow::bail!("not printed");
        }
    }
    ctx.ui.line(resolved.key.expose())?;
    Ok(())
}
