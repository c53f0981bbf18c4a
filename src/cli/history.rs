//! The arguments of `history`: the runs recorded on this machine.

use std::time::Duration;

use clap::{Args, Subcommand};

use super::{NetworkArgs, OutputArgs};

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
  miiflow history stats --since 7d         # per agent: failures, p50/p95/p99 latency
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
    Stats(HistoryStatsArgs),
}

/// Per agent or workflow: runs, failures, failure rate, p50/p95/p99 latency, last run; on a
/// terminal a table and a latency histogram, JSON otherwise.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow history stats
  miiflow history stats --agent support --since 7d
  miiflow history stats --json | jq '.[] | select(.failure_rate > 0.05)'")]
pub(crate) struct HistoryStatsArgs {
    /// Only this agent or workflow id (or alias).
    #[arg(long, value_name = "ID|ALIAS")]
    pub(crate) agent: Option<String>,

    /// Only runs newer than this: 30m, 2h, 1d, 1w.
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub(crate) since: Option<Duration>,

    /// Print JSON, also on a terminal.
    #[arg(long)]
    pub(crate) json: bool,
}

/// List recorded runs, newest first: a table on a terminal, JSON otherwise.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  miiflow history list -n 5\n  miiflow history list --agent weather | jq -r '.[].status'"
)]
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
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub(crate) since: Option<Duration>,

    /// Print JSON, also on a terminal.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Show one recorded run: what was sent and what came back.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  miiflow history show 42\n  miiflow history show 42 --output > answer.json"
)]
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
#[command(
    after_help = "Examples:\n  miiflow history rerun 42\n  miiflow history rerun 42 city=Oslo --jq .output"
)]
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
#[command(
    after_help = "Examples:\n  miiflow history clear --yes\n  miiflow history clear --older-than 30d --yes"
)]
pub(crate) struct HistoryClearArgs {
    /// Only runs older than this: 30d, 12h.
    #[arg(long, value_name = "DURATION", value_parser = crate::duration::parse)]
    pub(crate) older_than: Option<Duration>,

    /// Do not ask for confirmation.
    #[arg(long, short)]
    pub(crate) yes: bool,
}
