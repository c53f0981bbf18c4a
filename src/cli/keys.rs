//! The arguments of the commands about keys: login, logout, status, keys.

use clap::{Args, Subcommand};

use super::non_empty;

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

/// Manage API keys on the server (with the active key).
///
/// These calls use a key API that Miiflow does not document (see docs/API.md); a server
/// without one says so, and keys are then made in the dashboard.
#[derive(Debug, Subcommand)]
#[command(after_help = "\
Examples:
  miiflow keys list
  miiflow keys create ci
  miiflow keys rotate ci
  miiflow keys delete ci --yes")]
pub(crate) enum KeysCommand {
    Create(KeysCreateArgs),
    List(KeysListArgs),
    Delete(KeysDeleteArgs),
    Rotate(KeysRotateArgs),
}

/// Create a key on the server and store it as a profile of the same name.
///
/// The id and name are printed on stderr. The secret is printed only with --show (once, alone
/// on its line on stdout), or when it could not be stored, so that it is never lost.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow keys create ci                     # stored in the keyring as profile 'ci'
  KEY=$(miiflow keys create ci --no-store)   # hand it to another system instead")]
pub(crate) struct KeysCreateArgs {
    /// The key's name on the server, and the profile that stores it.
    #[arg(value_parser = non_empty)]
    pub(crate) name: String,

    /// Also print the secret on stdout, once.
    #[arg(long)]
    pub(crate) show: bool,

    /// Do not store the key; print it (implies --show).
    #[arg(long)]
    pub(crate) no_store: bool,
}

/// List the server's keys, marking those stored here.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow keys list
  miiflow keys list --json | jq -r '.[].id'")]
pub(crate) struct KeysListArgs {
    /// Print JSON for scripts.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Revoke a key on the server and forget the local profile that holds it.
///
/// Asks for confirmation on a terminal; elsewhere it needs --yes.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow keys delete ci
  miiflow keys delete key_8f2a --yes
  miiflow keys delete old-ci --yes --missing-ok   # exit 0 when it is already gone")]
pub(crate) struct KeysDeleteArgs {
    /// The key's id or name on the server, or the local profile that holds it.
    #[arg(value_name = "NAME|ID", value_parser = non_empty)]
    pub(crate) target: String,

    /// Do not ask for confirmation.
    #[arg(long, short)]
    pub(crate) yes: bool,

    /// A key that does not exist is not an error (exit 0, nothing to do): for scripts that
    /// delete idempotently.
    #[arg(long)]
    pub(crate) missing_ok: bool,
}

/// Replace a profile's key: create a new one, store it, check it, then delete the old one.
///
/// Nothing is deleted until the new key is stored and works.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow keys rotate            # the active profile
  miiflow keys rotate ci")]
pub(crate) struct KeysRotateArgs {
    /// The profile to rotate [default: the active profile].
    pub(crate) name: Option<String>,
}
