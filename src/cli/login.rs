//! The arguments of `login` and `logout`: a profile's key stored and forgotten.

use clap::Args;

/// Store an API key for a profile, in the OS keyring.
///
/// On a terminal the key is asked for with a hidden prompt; in scripts, pipe it in with
/// --with-key. The key is never taken as a command-line value (it would show in `ps` and in
/// your shell history). It is checked against the server before it is stored, unless
/// --no-verify.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow login                                   # asks for the key, hidden
  miiflow login --profile staging --base-url https://staging.example.com
  printf %s \"$KEY\" | miiflow login --with-key      # from a secret store, in a script
  miiflow login --with-key --insecure-storage < key.txt   # a machine with no keyring")]
pub(crate) struct LoginArgs {
    /// Read the key from stdin (one trailing newline is dropped).
    #[arg(long)]
    pub(crate) with_key: bool,

    /// Store the key without checking it against the server.
    #[arg(long)]
    pub(crate) no_verify: bool,

    /// Keep the key in a plain file (mode 0600) instead of the OS keyring, for machines that
    /// have none. Anyone who can read your files can read the key.
    #[arg(long)]
    pub(crate) insecure_storage: bool,
}

/// Forget a profile's stored key. This does not revoke it on the server (`keys delete` does).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow logout
  miiflow logout --profile staging
  miiflow logout --all")]
pub(crate) struct LogoutArgs {
    /// Forget every profile's key.
    #[arg(long)]
    pub(crate) all: bool,
}
