//! The arguments of `version` and `completions`: what needs no config, key or network.

use clap::Args;

/// Print the version, the commit it was built from, and what was compiled in.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  miiflow version\n  miiflow version --json | jq -r .commit")]
pub(crate) struct VersionArgs {
    /// Print JSON for scripts: version, commit, commit date, target, TLS, keyring stores.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Print a shell completion script.
///
/// The same scripts are in the repository's completions/ folder.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow completions bash > ~/.local/share/bash-completion/completions/miiflow
  miiflow completions zsh > \"${fpath[1]}/_miiflow\"
  miiflow completions fish > ~/.config/fish/completions/miiflow.fish")]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}
