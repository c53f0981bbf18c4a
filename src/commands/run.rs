//! `miiflow run`: build the input, send one agent run, print the answer.

use crate::batch::Lines;
use crate::cli::RunArgs;
use crate::context::Context;
use crate::engine::single::{self, Given, Single, What};
use crate::engine::{Asked, Expect};
use crate::error::Error;
use crate::input::Source;
use crate::request::RunTarget;

pub(crate) fn run(ctx: &Context, mut args: RunArgs) -> anyhow::Result<()> {
    let target = target(ctx, &mut args)?;
    if args.text.is_some() && !args.items.is_empty() {
        return Err(Error::BadInput(
            "--text sends the input as one string; it does not take items (use --input or \
             items for an object)"
                .into(),
        )
        .into());
    }
    let asked = Asked {
        net: args.net.net(),
        jq: args.out.jq.clone(),
        expect: Expect::Given {
            filters: std::mem::take(&mut args.expect),
            schema: args.expect_schema.take(),
        },
        no_history: args.no_history,
    };
    match args.batch.take() {
        Some(input) => {
            let lines = lines(input, args);
            crate::batch::run(ctx, target, lines, asked)
        }
        None => {
            let single = single(target, &args, asked);
            single::run(ctx, single)
        }
    }
}

/// One run, in the engine's words.
fn single(target: RunTarget, args: &RunArgs, asked: Asked) -> Single<'_> {
    Single {
        what: What::Run(target),
        items: &args.items,
        given: match (&args.text, &args.input) {
            (Some(text), _) => Given::Text(text),
            (None, input) => Given::Input(input.as_deref().map(Source::from_arg)),
        },
        act: args.out.act(),
        shown: args.out.shown(),
        asked,
    }
}

/// A batch (`--batch`), in the engine's words; the batch refuses what it must before it
/// opens anything.
fn lines(input: std::path::PathBuf, args: RunArgs) -> Lines {
    Lines {
        input,
        format: args.batch_format.map(Into::into),
        results: args.out.output,
        raw: args.out.raw_output,
        resume: args.resume,
        retry_failed: args.retry_failed,
        junit: args.junit,
        html: args.html,
        summary_json: args.summary_json,
        concurrency: args.concurrency as usize,
        rate: args.rate,
        shard: args.shard,
        items: args.items,
    }
}

/// The agent or workflow: `--workflow ID`, an alias (its items go before the command
/// line's), or an agent id. A word that is neither an alias nor id-shaped is refused.
fn target(ctx: &Context, args: &mut RunArgs) -> anyhow::Result<RunTarget> {
    if let Some(id) = &args.workflow {
        // With --workflow there is no agent id: a first word is the first item.
        if let Some(first) = args.agent_id.take() {
            if crate::items::parse(&first).is_err() {
                return Err(Error::BadInput(format!(
                    "'{first}' is not a request item, and --workflow takes no agent id: run \
                     an agent with `miiflow run {first}`, a workflow with `miiflow run \
                     --workflow {id}`"
                ))
                .into());
            }
            args.items.insert(0, first);
        }
        return Ok(RunTarget::workflow(id)?);
    }
    let id = args.agent_id.clone().unwrap_or_default();
    let profile = ctx.active_profile()?;
    match ctx.config.alias(&profile, &id) {
        Some(alias) => {
            let mut items = alias.items.clone();
            items.append(&mut args.items);
            args.items = items;
            Ok(alias.target()?)
        }
        None if !id_shaped(&id) => Err(not_an_alias(ctx, &profile, &id).into()),
        None => Ok(RunTarget::Agent(id)),
    }
}

/// Whether a word can be an agent id: Miiflow's start with `agent_` (workflows' with `wf_`
/// or `workflow_`); a word with a digit in it is taken for an id too. Anything else must be
/// an alias: a mistyped alias is refused, not sent as an agent that does not exist.
fn id_shaped(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ["agent_", "wf_", "workflow_"]
        .iter()
        .any(|p| lower.starts_with(p))
        || word.chars().any(|c| c.is_ascii_digit())
}

/// Why a word that is neither an alias nor an id is refused, with the aliases close to it.
fn not_an_alias(ctx: &Context, profile: &str, word: &str) -> Error {
    let mine = ctx.config.profile(profile).map(|p| &p.agents);
    let names: Vec<&str> = mine
        .into_iter()
        .flat_map(|a| a.keys())
        .chain(ctx.config.agents.keys())
        .map(String::as_str)
        .collect();
    let close = crate::suggest::closest(word, names.iter().copied());
    let elsewhere: Vec<&str> = ctx
        .config
        .profiles
        .iter()
        .filter(|(name, p)| name.as_str() != profile && p.agents.contains_key(word))
        .map(|(name, _)| name.as_str())
        .collect();
    let hint = match (close.as_slice(), elsewhere.as_slice()) {
        (_, [p, ..]) => format!(" It is an alias of profile '{p}' (run it with --profile {p})."),
        ([], []) if names.is_empty() => " No aliases are defined (`miiflow agents add`).".into(),
        ([], []) => format!(" The aliases are: {}.", names.join(", ")),
        (close, []) => format!(" Did you mean {}?", close.join(" or ")),
    };
    Error::BadInput(format!(
        "'{word}' is not an alias, and does not look like an agent id (agent_…); nothing was \
         sent.{hint}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_told_from_words() {
        for id in [
            "agent_xxxYYYzzz",
            "AGENT_1",
            "wf_7",
            "workflow_x",
            "night1",
            "a1b2",
        ] {
            assert!(id_shaped(id), "{id}");
        }
        for word in ["support", "nightly", "suport", "agent"] {
            assert!(!id_shaped(word), "{word}");
        }
    }
}
