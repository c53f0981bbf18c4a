//! The arguments of `results`: what a batch's results files become after the batch.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::BatchFormat;

/// Work with the results files batches write (`run --batch IN -o RESULTS`).
#[derive(Debug, Subcommand)]
#[command(after_help = "Examples:
  miiflow results merge shard-*.jsonl -o all.jsonl --input inputs.jsonl
  miiflow results diff last-night.jsonl results.jsonl
  miiflow results report results.jsonl -o report.html --baseline last-night.jsonl")]
pub(crate) enum ResultsCommand {
    Merge(ResultsMergeArgs),
    Diff(ResultsDiffArgs),
    Report(ResultsReportArgs),
}

/// Merge results files (a CI matrix's shards, several nights' runs) into one, in line order.
///
/// One result per line: where several files hold the same line, a success beats a failure,
/// and then the later file given wins. Streaming, with bounded memory. The output is itself
/// a results file: `run --batch IN -o OUT --resume` goes on from it. With --input, every
/// line of the batch file must have a result for its current text, else exit 1 naming the
/// missing and stale lines (OUT is written all the same).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow results merge results-*.jsonl -o results.jsonl
  miiflow results merge shard-1.jsonl shard-2.jsonl -o all.jsonl --input inputs.jsonl")]
pub(crate) struct ResultsMergeArgs {
    /// The results files (`-o RESULTS` of batches), in order: on a tie, the later wins.
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<PathBuf>,

    /// Write the merged results to OUT (replaced only when complete; it may be one of the
    /// FILEs) instead of stdout.
    #[arg(short, long, value_name = "OUT")]
    pub(crate) output: Option<PathBuf>,

    /// The batch file the results are for: check that every line has a current result.
    #[arg(long, value_name = "BATCH_FILE")]
    pub(crate) input: Option<PathBuf>,

    /// The batch file's format [default: csv for a .csv file, else jsonl].
    #[arg(long, value_name = "FORMAT", value_enum, requires = "input")]
    pub(crate) batch_format: Option<BatchFormat>,
}

/// What changed between two runs of one suite: each line regressed (passed, now fails),
/// fixed, changed (both passed, the answers differ as JSON values), still failing, unchanged,
/// input changed, or in one file only; and slower or faster past --latency-ratio.
///
/// BASE and NEW are results files of the same batch input (`run --batch IN -o RESULTS`, or
/// `results merge`): one result a line, in line order (anything else is refused, exit 2).
/// Read side by side, streaming. Exit 1 when the --fail-on gate is met (naming how many
/// lines and the first), 0 otherwise, 2 for bad input (nothing said but why).
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow results diff last-night.jsonl results.jsonl
  miiflow results diff base.jsonl new.jsonl --jq .output.answer --fail-on change
  miiflow results diff base.jsonl new.jsonl --json | jq .counts
  miiflow results diff base.jsonl new.jsonl --junit diff.xml --fail-on never")]
pub(crate) struct ResultsDiffArgs {
    /// The earlier run's results (the baseline).
    #[arg(value_name = "BASE")]
    pub(crate) base: PathBuf,

    /// The later run's results.
    #[arg(value_name = "NEW")]
    pub(crate) new: PathBuf,

    /// Compare only what this jq filter yields of each answer (e.g. `.output.answer`).
    #[arg(long, value_name = "FILTER")]
    pub(crate) jq: Option<String>,

    /// What makes the diff exit 1: a regression; any change of outcome or answer (regressions
    /// included); a regression or a slower line; or never.
    #[arg(long, value_enum, default_value_t = FailOnArg::Regression, value_name = "WHEN")]
    pub(crate) fail_on: FailOnArg,

    /// A line is slower when it took at least R times as long as in BASE (faster at 1/R).
    #[arg(long, value_name = "R", default_value_t = 1.5)]
    pub(crate) latency_ratio: f64,

    /// Lines that took less than this in both runs are never slower or faster (noise).
    #[arg(long, value_name = "DURATION", default_value = "50ms", value_parser = crate::duration::parse)]
    pub(crate) latency_floor: std::time::Duration,

    /// One JSON document on stdout (docs/guide/nightly.md describes it) instead of the table.
    #[arg(long)]
    pub(crate) json: bool,

    /// Also write a JUnit XML file: one test case per line that differs (a regressed line is
    /// a failure there, whatever --fail-on says).
    #[arg(long, value_name = "FILE")]
    pub(crate) junit: Option<PathBuf>,

    /// The batch file both ran: the table shows each line's first fields.
    #[arg(long, value_name = "BATCH_FILE")]
    pub(crate) input: Option<PathBuf>,

    /// The batch file's format [default: csv for a .csv file, else jsonl].
    #[arg(long, value_name = "FORMAT", value_enum, requires = "input")]
    pub(crate) batch_format: Option<BatchFormat>,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FailOnArg {
    Regression,
    Change,
    Latency,
    Never,
}

/// One self-contained HTML page about a run: the verdict, counts by class, a latency
/// histogram, the slowest lines, failures with the start of each answer, unmet expectations;
/// with --baseline, what changed since (regressions first).
///
/// It loads nothing from anywhere (its Content-Security-Policy allows no request), needs no
/// JavaScript, prints, and stays small however many lines (top lists with counts). Several
/// FILEs (a matrix's shards) are read as `results merge` would merge them.
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  miiflow results report results.jsonl -o report.html
  miiflow results report shard-*.jsonl -o report.html --baseline last-night.jsonl --jq .output")]
pub(crate) struct ResultsReportArgs {
    /// The results files of the run.
    #[arg(value_name = "RESULTS", required = true)]
    pub(crate) files: Vec<PathBuf>,

    /// Where the page is written (replaced only when complete).
    #[arg(short, long, value_name = "FILE.html")]
    pub(crate) output: PathBuf,

    /// An earlier run's results: the page adds what changed since.
    #[arg(long, value_name = "BASE")]
    pub(crate) baseline: Option<PathBuf>,

    /// With --baseline: compare only what this jq filter yields of each answer, as
    /// `results diff --jq` does (answers carry a run id that differs at every run).
    #[arg(long, value_name = "FILTER", requires = "baseline")]
    pub(crate) jq: Option<String>,
}
