//! The arguments of `status`: where the key and the base URL come from.

use clap::Args;

/// Show each profile: base URL, where its key comes from, the key masked, its id and name.
///
/// Exits 3 when the active profile has no key.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow status
  miiflow status --json | jq -r .active")]
pub(crate) struct StatusArgs {
    /// Print JSON for scripts.
    #[arg(long)]
    pub(crate) json: bool,
}
