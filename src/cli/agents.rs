//! The arguments of `agents`: aliases for agents and workflows.

use clap::{Args, Subcommand};

use super::non_empty;

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
#[command(
    after_help = "Examples:\n  miiflow agents add weather agent_abc123 units=metric --description 'Weather for a city' --param city:string\n  miiflow agents add summarise wf_42 --workflow"
)]
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

    /// What the agent does, in a sentence: shown by `agents list`, and the description AI
    /// assistants read (`miiflow mcp serve`).
    #[arg(long, value_name = "TEXT")]
    pub(crate) description: Option<String>,

    /// A parameter the agent takes, NAME:TYPE (TYPE: string, integer, number, boolean,
    /// object, array; NAME:TYPE? when it may be left out); repeatable. The input schema AI
    /// assistants see (`miiflow mcp serve`).
    #[arg(long = "param", value_name = "NAME:TYPE[?]")]
    pub(crate) params: Vec<String>,

    /// A JSON Schema (an object's) that a 2xx answer must fit: the MCP tool's outputSchema; an
    /// answer that does not fit is a tool error saying where.
    #[arg(long, value_name = "FILE")]
    pub(crate) output_schema: Option<std::path::PathBuf>,
}

/// List the aliases this profile sees (its own, then the global ones).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  miiflow agents list\n  miiflow agents list --json")]
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
#[command(after_help = "Examples:\n  miiflow agents remove weather")]
pub(crate) struct AgentsRemoveArgs {
    #[arg(value_name = "NAME")]
    pub(crate) name: String,
}
