//! The arguments of `keys`: the key API (create, list, delete, rotate).

use clap::{Args, Subcommand};

use super::non_empty;

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
