//! The arguments of `api`: an authenticated request to any path of the API.

use std::path::PathBuf;

use clap::Args;

use super::{NetworkArgs, OutputArgs, non_empty};

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
