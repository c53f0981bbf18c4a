//! Every clap type of `miiflow`. Doc comments are the help text. No I/O here: parsing only
//! validates (files, keys and the network are the commands' business).

use clap::{Args, Parser, Subcommand, ValueEnum};

mod agents;
mod api;
pub mod generate;
mod history;
mod keys;
mod login;
mod mcp;
mod program;
mod results;
mod run;
mod status;
mod token;

pub(crate) use agents::*;
pub(crate) use api::*;
pub(crate) use history::*;
pub(crate) use keys::*;
pub(crate) use login::*;
pub(crate) use mcp::*;
pub(crate) use program::*;
pub(crate) use results::*;
pub(crate) use run::*;
pub(crate) use status::*;
pub(crate) use token::*;

pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0    success (HTTP 2xx)
  1    any other failure (keyring, I/O, a refused redirect)
  2    usage or bad input; nothing was sent
  3    no API key, or the server said 401/403
  4    any other HTTP 4xx
  5    HTTP 5xx
  6    network: no connection, timeout, connection dropped, body cut short
  130  interrupted (Ctrl-C)
  141  a batch cut short: the reader of its results on stdout went away
  143  terminated (SIGTERM or SIGHUP)";

pub(crate) const ENVIRONMENT: &str = "\
Environment:
  MIIFLOW_API_KEY          the API key to send (used when no --profile is given)
  MIIFLOW_BASE_URL         the API's base URL for this shell, over the profile's (never saved)
  MIIFLOW_PROFILE          the profile to use (default \"default\")
  MIIFLOW_CONFIG_DIR       the config folder (default ~/.config/miiflow on Linux)
  MIIFLOW_KEYRING_TIMEOUT  seconds a keyring call may take (default 5)
  MIIFLOW_KEYRING          off: never touch the OS keyring (miiflow-mock exec sets it)
  MIIFLOW_LOCK_TIMEOUT     seconds to wait for another miiflow changing the config (default 10)
  MIIFLOW_MAX_INPUT        the largest input file miiflow reads (default 256M)
  MIIFLOW_MAX_BUFFER       the largest answer held whole, for --jq or one event (default 256M)
  MIIFLOW_MAX_RETRY_WAIT   the longest Retry-After waited for; longer: a batch pauses (default 60)
  MIIFLOW_DATA_DIR         the run history's folder (default ~/.local/share/miiflow on Linux)
  MIIFLOW_HISTORY          off: record no run in the history
  HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY   proxies, as curl reads them (never for loopback)
  SSL_CERT_FILE, SSL_CERT_DIR                    extra trusted CAs (PEM), e.g. a private CA
  NO_COLOR                 no colour, unless --color always
  CLICOLOR_FORCE           colour even when not on a terminal";

pub(crate) const FILES: &str = "\
Files:
  ~/.config/miiflow/config.toml      profiles: base URL, key id and name, where the key is (never the key)
  ~/.config/miiflow/credentials/     keys stored by login --insecure-storage (0600 files)
  ~/.local/share/miiflow/history.sqlite   run history (MIIFLOW_DATA_DIR; never the key)
  OS keyring, service \"miiflow\"      keys stored by login and keys create; account = profile name";

const EXAMPLES: &str = "\
Examples:
  miiflow login
  miiflow run agent_abc123 city=Paris days:=3
  MIIFLOW_API_KEY=… miiflow run agent_abc123 --input params.json --jq .output
  miiflow run agent_abc123 --batch inputs.jsonl --concurrency 16 > results.jsonl";

/// Run Miiflow workflows from the command line.
///
/// stdout carries the answer's body and nothing else; the status line, warnings and
/// errors go to stderr.
#[derive(Debug, Parser)]
#[command(
    name = "miiflow",
    version = env!("MIIFLOW_VERSION"),
    after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}\n\n{ENVIRONMENT}")
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct Global {
    /// The profile whose stored key and base URL to use [default: $MIIFLOW_PROFILE, else "default"].
    #[arg(long, global = true, value_name = "P")]
    pub(crate) profile: Option<String>,

    #[arg(
        long,
        global = true,
        value_name = "URL",
        help = "The API's base URL [default: $MIIFLOW_BASE_URL, else the profile's, else \
                https://api.miiflow.ai]"
    )]
    pub(crate) base_url: Option<String>,

    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,

    /// Show request and response headers on stderr (key masked); twice also the request body.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,

    /// Print no status line, only errors.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,

    /// Allow plain http:// to a host that is not loopback (the key would cross the network unencrypted).
    #[arg(long, global = true)]
    pub(crate) allow_http: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Global {
    /// What the commands below take of these options (the colour goes to the Ui), with the
    /// command line's words.
    pub(crate) fn options(&self, argv: Vec<std::ffi::OsString>) -> crate::context::Options {
        crate::context::Options {
            profile: self.profile.clone(),
            base_url: self.base_url.clone(),
            verbose: self.verbose,
            quiet: self.quiet,
            allow_http: self.allow_http,
            argv,
        }
    }
}

impl From<ColorChoice> for crate::ui::Color {
    fn from(choice: ColorChoice) -> crate::ui::Color {
        match choice {
            ColorChoice::Auto => crate::ui::Color::Auto,
            ColorChoice::Always => crate::ui::Color::Always,
            ColorChoice::Never => crate::ui::Color::Never,
        }
    }
}

// One command is parsed per process: the size of the largest variant (run's arguments) costs
// nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Run(RunArgs),
    Login(LoginArgs),
    Logout(LogoutArgs),
    Status(StatusArgs),
    #[command(subcommand)]
    Keys(KeysCommand),
    Token(TokenArgs),
    Api(ApiArgs),
    History(HistoryArgs),
    #[command(subcommand)]
    Results(ResultsCommand),
    #[command(subcommand)]
    Agents(AgentsCommand),
    #[command(subcommand)]
    Mcp(McpCommand),
    Version(VersionArgs),
    Completions(CompletionsArgs),
}

/// The global options that do something in each command; the others are hidden from its
/// help (they are still accepted, as everywhere).
const GLOBALS_USED: &[(&str, &[&str])] = &[
    ("run", ALL_GLOBALS),
    ("login", &["profile", "base_url", "allow_http"]),
    ("logout", &["profile"]),
    ("status", &["profile", "base_url", "allow_http"]),
    ("keys", &["profile", "base_url", "allow_http"]),
    ("token", &["profile"]),
    ("api", ALL_GLOBALS),
    // history: only `rerun` sends; `list` resolves an alias with the profile; `show` colours.
    ("history list", &["profile"]),
    ("history show", &["color"]),
    ("history clear", &[]),
    ("history stats", &["profile"]),
    ("history rerun", ALL_GLOBALS),
    ("agents", &["profile"]),
    ("results", &["quiet"]),
    ("mcp serve", &["profile", "base_url", "allow_http", "quiet"]),
    ("mcp list-tools", &["profile"]),
    ("mcp install", &["profile"]),
    ("completions", &[]),
    ("version", &[]),
];
const ALL_GLOBALS: &[&str] = &[
    "profile",
    "base_url",
    "color",
    "verbose",
    "quiet",
    "allow_http",
];

/// The whole interface, as parsed and as documented (help, man pages, completions).
pub(crate) fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    for (name, used) in GLOBALS_USED {
        // A subcommand that already has an argument keeps it when clap hands the global ones
        // down: a hidden copy stays accepted but out of that command's help.
        let hidden: Vec<clap::Arg> = globals
            .iter()
            .filter(|a| !used.contains(&a.get_id().as_str()))
            .map(|a| a.clone().hide(true))
            .collect();
        cmd = match name.split_once(' ') {
            Some((parent, child)) => {
                cmd.mut_subcommand(parent, |p| p.mut_subcommand(child, |sub| sub.args(hidden)))
            }
            None => cmd.mut_subcommand(name, |sub| sub.args(hidden)),
        };
    }
    cmd
}

pub(super) fn non_empty(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(s.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn run_help_is_grouped_and_status_help_lists_only_what_works_there() {
        let mut cmd = command();
        cmd.build();
        let help = cmd
            .find_subcommand_mut("run")
            .unwrap()
            .render_help()
            .to_string();
        let at = |h: &str| help.find(h).unwrap_or_else(|| panic!("{h} not in {help}"));
        assert!(at("Input:") < at("Batch:"));
        assert!(at("Batch:") < at("Output:"));
        assert!(at("Output:") < at("Network:"));
        assert!(at("Network:") < at("Global options:"));
        assert!(at("--jq") < at("--raw-output") && at("--raw-output") < at("--compact-output"));
        assert!(at("--compact-output") < at("--output <FILE>"));
        assert!(at("Global options:") < at("--profile"));
        let status = cmd
            .find_subcommand_mut("status")
            .unwrap()
            .render_help()
            .to_string();
        for absent in ["--verbose", "--quiet", "--color"] {
            assert!(!status.contains(absent), "{absent} in {status}");
        }
        assert!(status.contains("--profile"));
    }

    #[test]
    fn hidden_global_options_are_still_accepted_anywhere() {
        for argv in [
            &[
                "miiflow",
                "status",
                "-v",
                "--color",
                "never",
                "--profile",
                "p",
            ][..],
            &["miiflow", "--profile", "p", "-q", "status"],
        ] {
            let m = command().try_get_matches_from(argv).unwrap();
            let cli = <Cli as clap::FromArgMatches>::from_arg_matches(&m).unwrap();
            assert_eq!(cli.global.profile.as_deref(), Some("p"), "{argv:?}");
        }
    }

    #[test]
    fn help_lists_exit_codes_and_environment() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("130  interrupted"), "{help}");
        assert!(help.contains("MIIFLOW_API_KEY"), "{help}");
    }

    #[test]
    fn batch_options_need_a_batch() {
        for flag in [
            &["--resume"][..],
            &["--retry-failed"],
            &["--shard", "1/2"],
            &["--concurrency", "2"],
        ] {
            let mut argv = vec!["miiflow", "run", "agent_a"];
            argv.extend_from_slice(flag);
            let err = command().try_get_matches_from(argv).unwrap_err();
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::MissingRequiredArgument,
                "{flag:?}"
            );
        }
    }
}
