//! The arguments of `token`: the active key, for scripts.

use clap::Args;

/// Print the API key in use, for scripts (as `gh auth token`).
///
/// The key is the one a run would send: --profile's stored key, else MIIFLOW_API_KEY, else the
/// stored key of MIIFLOW_PROFILE or "default". It goes to stdout alone on its line and is never
/// logged. On a terminal, miiflow asks first (or pass --show): a key on a screen ends up in
/// screenshots and recordings.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  export MIIFLOW_API_KEY=$(miiflow token)
  miiflow token --profile ci | other-tool --key-stdin")]
pub(crate) struct TokenArgs {
    /// Print it on a terminal without asking.
    #[arg(long)]
    pub(crate) show: bool,
}
