//! Every clap type of `miiflow`. Doc comments are the help text. No I/O here: parsing only
//! validates (files, keys and the network are the commands' business).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
  143  terminated (SIGTERM or SIGHUP)";

pub(crate) const ENVIRONMENT: &str = "\
Environment:
  MIIFLOW_API_KEY          the API key to send (used when no --profile is given)
  MIIFLOW_BASE_URL         the API's base URL (default https://api.miiflow.ai)
  MIIFLOW_PROFILE          the profile to use (default \"default\")
  MIIFLOW_CONFIG_DIR       the config folder (default ~/.config/miiflow on Linux)
  MIIFLOW_KEYRING_TIMEOUT  seconds a keyring call may take (default 5)
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

    /// The API's base URL.
    #[arg(
        long,
        global = true,
        env = "MIIFLOW_BASE_URL",
        hide_env_values = true,
        value_name = "URL"
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
    Agents(AgentsCommand),
    Version(VersionArgs),
    Completions(CompletionsArgs),
}

/// Runs recorded on this machine: list them, show one, run one again, clear them.
///
/// Every run (single runs, --workflow runs, each batch line) is recorded in a local SQLite
/// database (never the key): $MIIFLOW_DATA_DIR, else the platform's data folder
/// (~/.local/share/miiflow on Linux). Off with --no-history, MIIFLOW_HISTORY=off, or
/// `history = false` in config.toml.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "\
Examples:
  miiflow history                         # the last 20 runs
  miiflow history --failed --since 1d
  miiflow history show 42 --output | jq .output
  miiflow history rerun 42 lang=fr
  miiflow history clear --older-than 30d --yes"
)]
pub(crate) struct HistoryArgs {
    #[command(subcommand)]
    pub(crate) command: Option<HistoryCommand>,

    #[command(flatten)]
    pub(crate) list: HistoryListArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum HistoryCommand {
    List(HistoryListArgs),
    Show(HistoryShowArgs),
    Rerun(HistoryRerunArgs),
    Clear(HistoryClearArgs),
}

/// List recorded runs, newest first: a table on a terminal, JSON otherwise.
#[derive(Debug, Args)]
pub(crate) struct HistoryListArgs {
    /// How many.
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 20)]
    pub(crate) limit: usize,

    /// Only runs of this agent or workflow id (or alias).
    #[arg(long, value_name = "ID")]
    pub(crate) agent: Option<String>,

    /// Only runs that failed (exit code not 0).
    #[arg(long)]
    pub(crate) failed: bool,

    /// Only runs newer than this: 30m, 2h, 1d, 1w.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub(crate) since: Option<Duration>,

    /// Print JSON, also on a terminal.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Show one recorded run: what was sent and what came back.
#[derive(Debug, Args)]
pub(crate) struct HistoryShowArgs {
    /// The entry's id (from `miiflow history`).
    #[arg(value_name = "ID")]
    pub(crate) id: i64,

    /// Only the input, its exact bytes (pretty on a terminal).
    #[arg(long, conflicts_with = "output")]
    pub(crate) input: bool,

    /// Only the answer, its exact bytes (pretty on a terminal).
    #[arg(long)]
    pub(crate) output: bool,
}

/// Run a recorded run again: the same agent or workflow and input, items merged over it,
/// recorded as a new entry. The key and base URL are the current ones (--profile, as for run).
#[derive(Debug, Args)]
pub(crate) struct HistoryRerunArgs {
    /// The entry's id.
    #[arg(value_name = "ID")]
    pub(crate) id: i64,

    /// Request items merged over the recorded input.
    #[arg(value_name = "ITEM")]
    pub(crate) items: Vec<String>,

    /// Do not record this run in the history.
    #[arg(long)]
    pub(crate) no_history: bool,

    #[command(flatten)]
    pub(crate) out: OutputArgs,

    #[command(flatten)]
    pub(crate) net: NetworkArgs,
}

/// Delete recorded runs (asks first on a terminal; elsewhere it needs --yes).
#[derive(Debug, Args)]
pub(crate) struct HistoryClearArgs {
    /// Only runs older than this: 30d, 12h.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub(crate) older_than: Option<Duration>,

    /// Do not ask for confirmation.
    #[arg(long, short)]
    pub(crate) yes: bool,
}

/// Names for agents and workflows, with default items: `miiflow run NAME`.
///
/// Aliases live in config.toml: for every profile, or with --profile for that profile only
/// (it hides a global alias of the same name).
#[derive(Debug, Subcommand)]
#[command(after_help = "\
Examples:
  miiflow agents add support agent_xxxYYYzzz lang=en
  miiflow agents add nightly wf_123 --workflow
  miiflow run support question='Where is my order?'
  miiflow agents list
  miiflow agents remove support")]
pub(crate) enum AgentsCommand {
    Add(AgentsAddArgs),
    List(AgentsListArgs),
    Remove(AgentsRemoveArgs),
}

/// Save an alias: `miiflow run NAME [ITEM…]` then runs ID with these items, the command
/// line's merged over them.
#[derive(Debug, Args)]
pub(crate) struct AgentsAddArgs {
    /// The alias (letters, digits, - _ .; not an id such as agent_…).
    #[arg(value_name = "NAME")]
    pub(crate) name: String,

    /// The agent's id (or with --workflow, the workflow's).
    #[arg(value_name = "ID", value_parser = non_empty)]
    pub(crate) id: String,

    /// ID is a workflow (Miiflow's second run contract).
    #[arg(long)]
    pub(crate) workflow: bool,

    /// Default request items: key=value, key:=json, key=@file, key:=@file.
    #[arg(value_name = "ITEM")]
    pub(crate) items: Vec<String>,
}

/// List the aliases this profile sees (its own, then the global ones).
#[derive(Debug, Args)]
pub(crate) struct AgentsListArgs {
    /// Print JSON for scripts.
    #[arg(long)]
    pub(crate) json: bool,

    /// Print only the names, one per line (for shell completion).
    #[arg(long, hide = true)]
    pub(crate) names: bool,
}

/// Remove an alias (with --profile, that profile's).
#[derive(Debug, Args)]
pub(crate) struct AgentsRemoveArgs {
    #[arg(value_name = "NAME")]
    pub(crate) name: String,
}

/// `30m`, `2h`, `1d`, `1w`. A bare number is refused: `3` might mean seconds or days, and a
/// history clear is no place to guess.
pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(format!(
            "'{text}' has no unit: write {t}d for days, {t}h for hours, {t}m for minutes (or \
             1w, 30s)"
        ));
    }
    humantime::parse_duration(t)
        .map_err(|e| format!("'{text}': {e}; write it as 30m, 2h, 1d or 1w"))
}

/// A duration in words for a question or a message: `30 days`, `1 hour 30 minutes`.
pub(crate) fn duration_words(d: Duration) -> String {
    let mut secs = d.as_secs();
    let mut parts = Vec::new();
    for (unit, size) in [
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ] {
        let n = secs / size;
        secs %= size;
        if n > 0 {
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
    }
    match parts.is_empty() {
        true => "0 seconds".into(),
        false => parts.join(" "),
    }
}

/// Print the version, the commit it was built from, and what was compiled in.
#[derive(Debug, Args)]
pub(crate) struct VersionArgs {
    /// Print JSON for scripts: version, commit, commit date, target, TLS, keyring stores.
    #[arg(long)]
    pub(crate) json: bool,
}

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
    ("history", ALL_GLOBALS),
    ("agents", &["profile"]),
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
        cmd = cmd.mut_subcommand(name, |sub| sub.args(hidden));
    }
    cmd
}

fn non_empty(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(s.to_owned())
    }
}

fn seconds(s: &str) -> Result<Duration, String> {
    let n: f64 = s
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if !(0.0..=crate::limits::MAX_SECONDS).contains(&n) {
        return Err(format!(
            "'{s}' is out of range: give 0 to {} seconds (a year)",
            crate::limits::MAX_SECONDS
        ));
    }
    Duration::try_from_secs_f64(n).map_err(|_| format!("'{s}' is not a usable number of seconds"))
}

/// Run a workflow (agent) and print its answer.
///
/// `run AGENT_ID` speaks Miiflow's agent_run contract; `run --workflow ID` its workflow-run
/// contract. The input is built from --input (a JSON file, or - for stdin) and request items in
/// HTTPie's syntax, merged over it, or is one string (--text). What you write is what is sent:
/// numbers, escapes and key order are kept byte for byte.
#[derive(Debug, Args)]
#[command(after_help = "\
Request items:
  key=value          a string
  key:=json          raw JSON (number, boolean, null, array, object)
  key=@file          the text of a file
  key:=@file.json    the JSON of a file
  a[b][c]=x          nested objects; a[]=x appends, a[2]=x sets an index
  k\\=q=v             a backslash escapes separator characters

Examples:
  miiflow run agent_abc123 city=Paris days:=3
  miiflow run agent_abc123 --input params.json --jq .output
  echo '{\"q\": \"hi\"}' | miiflow run agent_abc123 --input -
  miiflow run agent_abc123 city=Paris --curl
  miiflow run agent_abc123 --batch inputs.jsonl --concurrency 16 > results.jsonl
  miiflow run support question='Where is my order?'     # an alias: miiflow agents add
  miiflow run agent_abc123 --batch inputs.csv -o results.jsonl --resume --rate 5/s
  miiflow run --workflow wf_123 --text 'Your input data'")]
pub(crate) struct RunArgs {
    /// The agent's id, as shown in its API Access example (agent_…), or an alias (`miiflow
    /// agents`); with --workflow, leave it out and start with the items.
    #[arg(value_name = "AGENT_ID", required_unless_present = "workflow", value_parser = non_empty)]
    pub(crate) agent_id: Option<String>,

    /// Request items merged into the input: key=value, key:=json, key=@file, key:=@file.
    #[arg(value_name = "ITEM", help_heading = "Input")]
    pub(crate) items: Vec<String>,

    /// Run a workflow over Miiflow's second contract: POST {base}/v1/workflows/ID/run with
    /// {"input": …}, instead of an agent.
    #[arg(long, value_name = "WORKFLOW_ID", help_heading = "Input", value_parser = non_empty)]
    pub(crate) workflow: Option<String>,

    /// A JSON file with the input; - reads stdin (stdin is read only when asked for).
    #[arg(long, short = 'i', value_name = "FILE|-", help_heading = "Input")]
    pub(crate) input: Option<PathBuf>,

    /// Send the input as a JSON string, as Miiflow's docs' example does; - reads stdin.
    #[arg(long, value_name = "TEXT|-", help_heading = "Input", conflicts_with_all = ["input", "batch"])]
    pub(crate) text: Option<String>,

    /// Run once per line of a JSON-lines or CSV file (- for stdin), items merged into each; one
    /// JSON result line per input line, on stdout in input order, or to -o RESULTS as each
    /// finishes.
    #[arg(long, value_name = "FILE.jsonl|FILE.csv|-", help_heading = "Batch", conflicts_with_all = ["input", "include", "dry_run", "curl"])]
    pub(crate) batch: Option<PathBuf>,

    /// With --batch: the input's format [default: csv for a .csv file, else jsonl].
    #[arg(
        long,
        value_name = "FORMAT",
        value_enum,
        requires = "batch",
        help_heading = "Batch"
    )]
    pub(crate) batch_format: Option<BatchFormat>,

    /// With --batch: how many runs are in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4, requires = "batch", help_heading = "Batch", value_parser = clap::value_parser!(u32).range(1..=256))]
    pub(crate) concurrency: u32,

    /// With --batch: start at most N runs per second (N/s) or per minute (N/m), across all
    /// workers.
    #[arg(long, value_name = "N/s|N/m", requires = "batch", help_heading = "Batch", value_parser = rate)]
    pub(crate) rate: Option<Duration>,

    /// With --batch: run only the lines whose (line - 1) mod N = I - 1, keeping their line
    /// numbers (one job of a CI matrix of N).
    #[arg(long, value_name = "I/N", requires = "batch", help_heading = "Batch")]
    pub(crate) shard: Option<crate::shard::Shard>,

    /// With --batch -o RESULTS: keep the results RESULTS already holds for unchanged input
    /// lines and run only the rest.
    #[arg(long, requires = "batch", help_heading = "Batch")]
    pub(crate) resume: bool,

    /// --resume, and also run again the lines whose recorded result failed.
    #[arg(long, requires = "batch", help_heading = "Batch")]
    pub(crate) retry_failed: bool,

    /// Do not record this run (or batch) in the history.
    #[arg(long, help_heading = "Output")]
    pub(crate) no_history: bool,

    #[command(flatten)]
    pub(crate) out: OutputArgs,

    #[command(flatten)]
    pub(crate) net: NetworkArgs,

    /// `history rerun`: the recorded input, used instead of --input (items merged over it).
    #[arg(skip)]
    pub(crate) recorded_input: Option<(i64, Vec<u8>)>,
}

/// The format of a `--batch` input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum BatchFormat {
    /// One JSON value per line.
    Jsonl,
    /// A header row naming the keys, then one row per run (RFC 4180).
    Csv,
}

/// `--rate N/s` or `N/m`: the time between two starts.
fn rate(text: &str) -> Result<Duration, String> {
    let usage = || format!("'{text}': expected N/s or N/m, e.g. 10/s or 300/m");
    let (n, per) = text.split_once('/').ok_or_else(usage)?;
    let n: f64 = n.trim().parse().map_err(|_| usage())?;
    let per = match per.trim() {
        "s" => 1.0,
        "m" => 60.0,
        _ => return Err(usage()),
    };
    if !(n.is_finite() && n > 0.0 && n <= 1_000_000.0) {
        return Err(format!(
            "'{text}': the rate must be above 0 and at most 1000000"
        ));
    }
    // The slowest rate is one start an hour: a longer spacing is a typo, and a spacing of
    // years would overflow the clock.
    let spacing = per / n;
    if spacing > 3600.0 {
        return Err(format!(
            "'{text}': too slow; the slowest rate is one start an hour (1/m is one a minute)"
        ));
    }
    Duration::try_from_secs_f64(spacing).map_err(|_| usage())
}

/// How an answer is printed: shared by `run` and `api`.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Apply a jq filter to a JSON answer (2xx only), in-process.
    #[arg(long, value_name = "FILTER", help_heading = "Output")]
    pub(crate) jq: Option<String>,

    /// With --jq: print strings without quotes, as jq -r.
    #[arg(short, long, requires = "jq", help_heading = "Output")]
    pub(crate) raw_output: bool,

    /// With --jq: one compact line per result, as jq -c.
    #[arg(short, long, requires = "jq", help_heading = "Output")]
    pub(crate) compact_output: bool,

    /// Write the body to FILE instead of stdout (replaced only by a complete 2xx answer); with
    /// --batch, the results, as they finish (see --resume).
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub(crate) output: Option<PathBuf>,

    /// Put the status line and headers before the body.
    #[arg(long, help_heading = "Output")]
    pub(crate) include: bool,

    /// Print the request that would be sent (key masked) and send nothing.
    #[arg(long, conflicts_with = "curl", help_heading = "Output")]
    pub(crate) dry_run: bool,

    /// Print an equivalent curl command (it reads the key from $MIIFLOW_API_KEY) and send nothing.
    #[arg(long, help_heading = "Output")]
    pub(crate) curl: bool,
}

/// Retries and timeouts: shared by `run` and `api`.
#[derive(Debug, Args)]
pub(crate) struct NetworkArgs {
    /// How often to send again when nothing can have run: the connection was refused, or the
    /// server said 429 or 503 (honouring Retry-After up to 60 s, else exponential backoff);
    /// for GET and HEAD also 502 and 504.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=10), help_heading = "Network")]
    pub(crate) retries: u32,

    /// Seconds to wait for a connection.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds, help_heading = "Network")]
    pub(crate) connect_timeout: Duration,

    /// Seconds the whole run may take, retries included; 0 means no limit [default: 600].
    /// In a batch, each line's; a quota pause (a long Retry-After) is bounded by it only when
    /// it is given.
    #[arg(long, value_name = "SECS", value_parser = seconds, help_heading = "Network")]
    pub(crate) timeout: Option<Duration>,
}

impl NetworkArgs {
    /// What a run may take in all, when limited.
    pub(crate) fn timeout(&self) -> Option<Duration> {
        let t = self.timeout.unwrap_or(Duration::from_secs(600));
        (!t.is_zero()).then_some(t)
    }
}

/// Send an authenticated request to any path of Miiflow's API, as `gh api` does.
///
/// The same key, base URL, output rules, exit codes and timeouts as `run`. GET unless there is
/// a body (items or --input: then POST); -X says otherwise. The path is joined onto the base
/// URL; a full URL must be on the API's own origin (the key never leaves it).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow api /v1/workflows
  miiflow api /v1/workflows/wf_123/run input='Your input data'
  miiflow api -X DELETE /api/v1/api_keys/key_8f2a
  miiflow api /api/v1/api_keys --jq '.[].name' -r")]
pub(crate) struct ApiArgs {
    /// The path, e.g. /v1/workflows (a query may follow), or a full URL on the API's origin.
    #[arg(value_name = "PATH", value_parser = non_empty)]
    pub(crate) path: String,

    /// Request items for a JSON body: key=value, key:=json, key=@file, key:=@file.
    #[arg(value_name = "ITEM", help_heading = "Input")]
    pub(crate) items: Vec<String>,

    /// The HTTP method [default: GET, or POST with a body].
    #[arg(short = 'X', long, value_name = "METHOD", help_heading = "Input")]
    pub(crate) method: Option<String>,

    /// A JSON file with the body; - reads stdin.
    #[arg(long, short = 'i', value_name = "FILE|-", help_heading = "Input")]
    pub(crate) input: Option<PathBuf>,

    #[command(flatten)]
    pub(crate) out: OutputArgs,

    #[command(flatten)]
    pub(crate) net: NetworkArgs,
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
    fn rates_are_spacings_between_starts() {
        assert_eq!(rate("10/s"), Ok(Duration::from_millis(100)));
        assert_eq!(rate("30/m"), Ok(Duration::from_secs(2)));
        assert_eq!(rate("0.5/s"), Ok(Duration::from_secs(2)));
        for bad in [
            "0/s", "10", "10/h", "-1/s", "x/s", "inf/s", "1e9/s", "1e-20/s", "1e-19/s", "0.0001/s",
        ] {
            assert!(rate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_need_a_unit_and_read_as_words() {
        assert!(duration("3").unwrap_err().contains("3d for days"));
        assert!(duration("1.5").is_err());
        assert_eq!(duration("3d").unwrap(), Duration::from_secs(3 * 86_400));
        assert_eq!(duration("90m").unwrap(), Duration::from_secs(5_400));
        assert_eq!(duration_words(Duration::from_secs(30 * 86_400)), "30 days");
        assert_eq!(
            duration_words(Duration::from_secs(5_400)),
            "1 hour 30 minutes"
        );
    }

    #[test]
    fn seconds_are_bounded() {
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(seconds("31536000"), Ok(Duration::from_secs(31_536_000)));
        for bad in ["9.3e18", "31536001", "-1", "NaN", "inf", "x"] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn help_lists_exit_codes_and_environment() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("130  interrupted"), "{help}");
        assert!(help.contains("MIIFLOW_API_KEY"), "{help}");
    }
}
