//! The arguments of `mcp`: Miiflow agents as tools for AI assistants (Model Context Protocol).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

/// Serve your Miiflow agents to AI assistants (Claude, Cursor, VS Code, Zed) over the Model
/// Context Protocol, the key kept in the keyring: no secret in any config file.
///
/// Each alias (`miiflow agents add NAME ID --description TEXT --param city:string`) is a tool
/// named after it; a call runs the agent with the alias's items and the call's arguments
/// merged over them, through the same engine as `miiflow run`.
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  miiflow mcp list-tools\n  miiflow mcp install --client claude-desktop --tool weather\n  miiflow mcp serve --tool weather"
)]
pub(crate) enum McpCommand {
    Serve(McpServeArgs),
    ListTools(McpListToolsArgs),
    Install(McpInstallArgs),
    #[command(subcommand)]
    Token(McpTokenCommand),
}

/// The bearer tokens `mcp serve --http` accepts, kept where the API key is (the OS keyring, or
/// a plain file with --insecure-storage); config.toml records only their names and digests.
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  miiflow mcp token create open-webui          # the token alone on stdout, once
  miiflow mcp token list
  miiflow mcp token revoke open-webui          # a running server refuses it at once")]
pub(crate) enum McpTokenCommand {
    /// Make a new token (256 random bits) and show it once, alone on stdout.
    #[command(after_help = "Examples:
  miiflow mcp token create open-webui
  miiflow mcp token create gateway --insecure-storage   # a machine without a keyring")]
    Create(McpTokenCreateArgs),
    /// The tokens there are: name, store, when made (never the secret).
    #[command(after_help = "Examples:\n  miiflow mcp token list")]
    List,
    /// End a token: a server that is running refuses it from its next request.
    #[command(after_help = "Examples:\n  miiflow mcp token revoke open-webui")]
    Revoke(McpTokenNameArgs),
}

#[derive(Debug, Args)]
pub(crate) struct McpTokenCreateArgs {
    /// A name for the token (who or what uses it).
    #[arg(value_name = "NAME")]
    pub(crate) name: String,

    /// Keep it in a plain file (mode 0600) instead of the OS keyring.
    #[arg(long)]
    pub(crate) insecure_storage: bool,
}

#[derive(Debug, Args)]
pub(crate) struct McpTokenNameArgs {
    #[arg(value_name = "NAME")]
    pub(crate) name: String,
}

/// Run the MCP server on stdio (what an assistant starts; stdout carries only the protocol), or
/// over HTTP with --http.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow mcp serve                                # every alias the profile sees
  miiflow mcp serve --profile work --tool support --tool weather
  MIIFLOW_MCP_TOKEN=$(openssl rand -hex 32) miiflow mcp serve --http 127.0.0.1:8931
  miiflow mcp serve --http 10.0.0.5:8931 --allow-remote --allow-host mcp.example.com \\
      --tls-cert /etc/miiflow/cert.pem --tls-key /etc/miiflow/key.pem
  miiflow mcp install --client claude-desktop      # writes this into the client's config")]
pub(crate) struct McpServeArgs {
    /// Serve only this alias (repeatable) [default: `[mcp] tools` in config.toml, else every
    /// alias the profile sees].
    #[arg(long = "tool", value_name = "ALIAS")]
    pub(crate) tools: Vec<String>,

    /// Start at most N runs per second (N/s) or per minute (N/m), across all calls.
    #[arg(long, value_name = "N/s|N/m", value_parser = crate::duration::rate)]
    pub(crate) rate: Option<Duration>,

    /// How many runs are in flight at once; more calls wait their turn.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub(crate) concurrency: u32,

    /// Seconds a call may take, retries included [default: 300].
    #[arg(long, value_name = "SECS", value_parser = crate::duration::seconds)]
    pub(crate) timeout: Option<Duration>,

    /// How often to send again when nothing can have run (as `run --retries`).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub(crate) retries: u32,

    /// Do not record the calls in the history.
    #[arg(long)]
    pub(crate) no_history: bool,

    /// Serve over HTTP (MCP's Streamable HTTP, at /mcp) on ADDR instead of stdio, e.g.
    /// 127.0.0.1:8931 (port 0: a free one; the URL is said on stderr). Every request must
    /// carry `Authorization: Bearer TOKEN`, a token of `mcp token create` or MIIFLOW_MCP_TOKEN.
    #[arg(long, value_name = "ADDR")]
    pub(crate) http: Option<std::net::SocketAddr>,

    /// With --http: listen on an address other machines reach (not loopback).
    #[arg(long, requires = "http")]
    pub(crate) allow_remote: bool,

    /// With --http: a browser origin allowed besides the server's own (repeatable), e.g.
    /// `https://chat.example.com:443`.
    #[arg(long = "allow-origin", value_name = "ORIGIN", requires = "http")]
    pub(crate) allow_origins: Vec<String>,

    /// With --http: a name clients reach the server by, taken in the `Host` header besides
    /// the bound address (repeatable), e.g. `mcp.example.com` (any port) or
    /// `mcp.example.com:8931`: the certificate's name, or a proxy's.
    #[arg(long = "allow-host", value_name = "HOST[:PORT]", requires = "http")]
    pub(crate) allow_hosts: Vec<String>,

    /// With --http: serve https with this certificate chain (PEM; the server's first).
    #[arg(long, value_name = "FILE", requires_all = ["http", "tls_key"])]
    pub(crate) tls_cert: Option<PathBuf>,

    /// With --http: the certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, value_name = "FILE", requires_all = ["http", "tls_cert"])]
    pub(crate) tls_key: Option<PathBuf>,
}

/// Show the tools a client would see: names, descriptions and input schemas.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  miiflow mcp list-tools\n  miiflow mcp list-tools --json | jq -r '.tools[].name'"
)]
pub(crate) struct McpListToolsArgs {
    /// Only this alias (repeatable), as `mcp serve --tool`.
    #[arg(long = "tool", value_name = "ALIAS")]
    pub(crate) tools: Vec<String>,

    /// Print the tools as MCP's tools/list gives them (JSON).
    #[arg(long)]
    pub(crate) json: bool,
}

/// Add (or update) a `miiflow` server in an AI client's config file: the absolute path of
/// this miiflow and its arguments, never a key.
///
/// Other entries and the file's layout are kept byte for byte (comments too, in Zed's and VS
/// Code's JSON with comments); the file is replaced atomically with its mode and owner (a
/// symlink is written through), and the one it replaces is kept in a new backup beside it:
/// FILE.miiflow-backup, then FILE.miiflow-backup.1, .2, … (never over an earlier one). The
/// entry starts the profile, base URL and folders in force here.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow mcp install --client claude-desktop --dry-run
  miiflow mcp install --client cursor --profile work --tool support
  miiflow mcp install --client vscode --config .vscode/mcp.json
  miiflow mcp install --client cursor --url http://127.0.0.1:8931/mcp")]
pub(crate) struct McpInstallArgs {
    /// The client whose config to change.
    #[arg(long, value_enum, value_name = "CLIENT")]
    pub(crate) client: Client,

    /// The config file [default: the client's own, for this platform and user].
    #[arg(long, value_name = "PATH")]
    pub(crate) config: Option<PathBuf>,

    /// Serve only this alias (repeatable): added to the server's arguments.
    #[arg(long = "tool", value_name = "ALIAS", conflicts_with = "url")]
    pub(crate) tools: Vec<String>,

    /// Point the client at a server already running over HTTP (`mcp serve --http`), e.g.
    /// `http://127.0.0.1:8931/mcp`, instead of having it start one. The token comes from the
    /// client's environment reference (Claude Code, Cursor) or its secret prompt (VS Code),
    /// never from the file.
    #[arg(long, value_name = "URL")]
    pub(crate) url: Option<String>,

    /// With --url: the environment variable the client reads the token from (Claude Code,
    /// Cursor).
    #[arg(
        long,
        value_name = "NAME",
        default_value = "MIIFLOW_MCP_TOKEN",
        requires = "url"
    )]
    pub(crate) token_env: String,

    /// The server's name in the client's config.
    #[arg(long, value_name = "NAME", default_value = "miiflow")]
    pub(crate) name: String,

    /// Print the change and change nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

/// An AI client with MCP servers in a config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Client {
    ClaudeDesktop,
    ClaudeCode,
    Cursor,
    Vscode,
    Zed,
}

impl From<Client> for crate::mcp::install::Client {
    fn from(client: Client) -> Self {
        use crate::mcp::install::Client as To;
        match client {
            Client::ClaudeDesktop => To::ClaudeDesktop,
            Client::ClaudeCode => To::ClaudeCode,
            Client::Cursor => To::Cursor,
            Client::Vscode => To::Vscode,
            Client::Zed => To::Zed,
        }
    }
}
