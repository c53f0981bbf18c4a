//! The arguments of `results`: what a batch's results files become after the batch.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::BatchFormat;

/// Work with the results files batches write (`run --batch IN -o RESULTS`).
#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  miiflow results merge shard-*.jsonl -o all.jsonl --input inputs.jsonl"
)]
pub(crate) enum ResultsCommand {
    Merge(ResultsMergeArgs),
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
