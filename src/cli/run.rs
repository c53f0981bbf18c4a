//! The arguments of `run` (input, batch, expectations), and the output and network options
//! `run`, `api` and `history rerun` share.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::non_empty;

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
    #[arg(long, value_name = "N/s|N/m", requires = "batch", help_heading = "Batch", value_parser = crate::duration::rate)]
    pub(crate) rate: Option<Duration>,

    /// With --batch: run only the lines whose (line - 1) mod N = I - 1, keeping their line
    /// numbers (one job of a CI matrix of N). `auto` reads I and N from GitLab, CircleCI,
    /// Buildkite or Cloud Run jobs; `auto/N` the index of a Kubernetes Indexed Job or an AWS
    /// Batch array job.
    #[arg(
        long,
        value_name = "I/N|auto|auto/N",
        requires = "batch",
        help_heading = "Batch"
    )]
    pub(crate) shard: Option<crate::shard::ShardArg>,

    /// With --batch -o RESULTS: keep the results RESULTS already holds for unchanged input
    /// lines and run only the rest.
    #[arg(long, requires = "batch", help_heading = "Batch")]
    pub(crate) resume: bool,

    /// --resume, and also run again the lines whose recorded result failed.
    #[arg(long, requires = "batch", help_heading = "Batch")]
    pub(crate) retry_failed: bool,

    /// A jq filter the answer must make true (repeatable): a 2xx answer for which it yields
    /// false, null, anything but true, an error or nothing is a failure (exit 1; in a batch,
    /// the line's). Checked on the answer as received, before --jq.
    #[arg(long, value_name = "FILTER", help_heading = "Expectations", conflicts_with_all = ["dry_run", "curl"])]
    pub(crate) expect: Vec<String>,

    /// A JSON Schema file (draft 7 or 2020-12) a 2xx answer must validate against, else a
    /// failure naming where in the answer it does not.
    #[arg(long, value_name = "FILE", help_heading = "Expectations", conflicts_with_all = ["dry_run", "curl"])]
    pub(crate) expect_schema: Option<PathBuf>,

    /// With --batch: write a JUnit XML report to FILE (one test case per line), at the end and
    /// on Ctrl-C.
    #[arg(long, value_name = "FILE", requires = "batch", help_heading = "Batch")]
    pub(crate) junit: Option<PathBuf>,

    /// With --batch: write an HTML report to FILE (one self-contained page: the verdict,
    /// counts, a latency histogram, the slowest lines, failures), at the end and on Ctrl-C.
    #[arg(long, value_name = "FILE", requires = "batch", help_heading = "Batch")]
    pub(crate) html: Option<PathBuf>,

    /// With --batch: also write the closing summary as JSON to FILE (counts by outcome,
    /// retries, wall time, throughput, latency percentiles).
    #[arg(long, value_name = "FILE", requires = "batch", help_heading = "Batch")]
    pub(crate) summary_json: Option<PathBuf>,

    /// Do not record this run (or batch) in the history.
    #[arg(long, help_heading = "Output")]
    pub(crate) no_history: bool,

    #[command(flatten)]
    pub(crate) out: OutputArgs,

    #[command(flatten)]
    pub(crate) net: NetworkArgs,
}

/// The format of a `--batch` input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum BatchFormat {
    /// One JSON value per line.
    Jsonl,
    /// A header row naming the keys, then one row per run (RFC 4180).
    Csv,
}

impl From<BatchFormat> for crate::results::records::Format {
    fn from(format: BatchFormat) -> Self {
        match format {
            BatchFormat::Jsonl => crate::results::records::Format::Jsonl,
            BatchFormat::Csv => crate::results::records::Format::Csv,
        }
    }
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
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = crate::duration::seconds, help_heading = "Network")]
    pub(crate) connect_timeout: Duration,

    /// Seconds the whole run may take, retries included; 0 means no limit [default: 600].
    /// In a batch, each line's; a quota pause (a long Retry-After) is bounded by it only when
    /// it is given.
    #[arg(long, value_name = "SECS", value_parser = crate::duration::seconds, help_heading = "Network")]
    pub(crate) timeout: Option<Duration>,
}

impl NetworkArgs {
    /// The engine's network options: `--timeout` 600 s unless given, 0 for no limit.
    pub(crate) fn net(&self) -> crate::engine::Net {
        let t = self.timeout.unwrap_or(Duration::from_secs(600));
        crate::engine::Net {
            connect_timeout: self.connect_timeout,
            timeout: (!t.is_zero()).then_some(t),
            timeout_given: self.timeout.is_some(),
            retries: self.retries,
        }
    }
}

impl OutputArgs {
    /// What is done with the request: `--curl`, `--dry-run`, or sent.
    pub(crate) fn act(&self) -> crate::engine::Act {
        match (self.curl, self.dry_run) {
            (true, _) => crate::engine::Act::Curl,
            (false, true) => crate::engine::Act::DryRun,
            (false, false) => crate::engine::Act::Send,
        }
    }

    /// How the answer is printed.
    pub(crate) fn shown(&self) -> crate::engine::Shown {
        crate::engine::Shown {
            include: self.include,
            raw: self.raw_output,
            compact: self.compact_output,
            file: self.output.clone(),
        }
    }
}
