//! `miiflow run`: build the input, send one agent run, print the answer.

use crate::cli::{NetworkArgs, OutputArgs, RunArgs};
use crate::context::Context;
use crate::credentials::ENV_KEY;
use crate::error::Error;
use crate::exchange;
use crate::input::{self, Source};
use crate::limits;
use crate::output::{Jq, OutputFile};
use crate::request::{Request, RunTarget};

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
    let given = match (&args.text, &args.input) {
        (Some(text), _) => Given::Text(text),
        (None, input) => Given::Input(input.as_deref().map(Source::from_arg)),
    };
    let once = Once {
        target,
        items: &args.items,
        given,
        out: &args.out,
        net: &args.net,
        no_history: args.no_history,
    };
    if args.batch.is_some() {
        let (items, jq) = checked(ctx, &once)?;
        return crate::batch::run(ctx, &args, once.target, items, jq);
    }
    send_once(ctx, once)
}

/// `history rerun`: the recorded target exactly (today's aliases do not apply) and the
/// recorded input, the items merged over it.
pub(crate) fn rerun(
    ctx: &Context,
    target: RunTarget,
    recorded: (i64, Vec<u8>),
    args: &crate::cli::HistoryRerunArgs,
) -> anyhow::Result<()> {
    send_once(
        ctx,
        Once {
            target,
            items: &args.items,
            given: Given::Recorded(recorded.0, recorded.1),
            out: &args.out,
            net: &args.net,
            no_history: args.no_history,
        },
    )
}

/// Where a run's input comes from.
enum Given<'a> {
    /// `--input FILE|-`, or none (items alone, or `{}`).
    Input(Option<Source>),
    /// `--text TEXT|-`.
    Text(&'a str),
    /// A history entry's input: its id and bytes.
    Recorded(i64, Vec<u8>),
}

/// One run, as the command line (or a history entry) asks for it.
struct Once<'a> {
    target: RunTarget,
    items: &'a [String],
    given: Given<'a>,
    out: &'a OutputArgs,
    net: &'a NetworkArgs,
    no_history: bool,
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

/// The items and the filter, checked before a key is looked up or a byte is sent.
fn checked(ctx: &Context, once: &Once) -> anyhow::Result<(Vec<input::Prepared>, Option<Jq>)> {
    let items = input::parse_items(once.items, &mut |m| ctx.warn(&m))?;
    let jq = match &once.out.jq {
        Some(code) => Some(Jq::compile(code).map_err(Error::BadInput)?),
        None => None,
    };
    Ok((items, jq))
}

/// The input's bytes: the given input with the items merged over it.
fn build(ctx: &Context, given: Given, items: &[input::Prepared]) -> anyhow::Result<Vec<u8>> {
    let mut warn = |m: String| ctx.warn(&m);
    Ok(match given {
        Given::Recorded(id, bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::BadInput(format!("history entry {id}: not UTF-8")))?;
            input::from_text(text, &format!("history entry {id}"), items, &mut warn)?
        }
        Given::Text(text) => input::text(text)?,
        Given::Input(source) => {
            ctx.reading_stdin(source.as_ref());
            input::build(source.as_ref(), items, &mut warn)?
        }
    })
}

/// One run: checked, built, then printed as `--curl` or `--dry-run`, or sent.
fn send_once(ctx: &Context, once: Once) -> anyhow::Result<()> {
    let (items, jq) = checked(ctx, &once)?;
    let active = ctx.active_profile()?;
    let Once {
        target,
        given,
        out,
        net,
        no_history,
        ..
    } = once;
    let input = build(ctx, given, &items)?;
    if out.curl {
        let req = Request::run(&ctx.base_url(&active)?, &target, input);
        return curl(ctx, &req);
    }
    if out.dry_run {
        return dry_run(ctx, &active, &target, input);
    }
    // Where the answer goes is settled before anything is sent: a bad -o costs no run.
    let file = out.output.as_deref().map(OutputFile::create).transpose()?;
    let limit = limits::buffer()?;
    // The base URL is checked before the keyring is asked for anything.
    let (resolved, base) = exchange::key_and_base(ctx, &active)?;
    let req = Request::run(&base, &target, input);
    let exchanged = exchange::Exchanged {
        req: &req,
        label: target.id(),
        out,
        net,
        jq,
        limit,
        record: Some(exchange::Recording {
            target: target.clone(),
            off: no_history,
        }),
    };
    let result = exchange::send(ctx, exchanged, &resolved, &base, file);
    result.map_err(|e| {
        if !matches!(
            crate::error::typed(&e),
            Some(Error::Status { status: 404, .. })
        ) {
            return e;
        }
        let hint = format!(
            "POST {} answered 404: check the {} id ('{}') and the base URL (from {})",
            req.url,
            target.kind(),
            target.id(),
            ctx.base_url_source(&resolved.profile)
        );
        crate::error::with_hints(e, vec![hint])
    })
}

/// `--curl`: the equivalent command, reading the key from the environment.
fn curl(ctx: &Context, req: &Request) -> anyhow::Result<()> {
    ctx.ui.out(req.to_curl().as_bytes())?;
    if ctx.env_key.is_none() {
        let profile = match &ctx.global.profile {
            Some(p) => format!(" --profile {p}"),
            None => String::new(),
        };
        ctx.note(&format!(
            "the command reads the key from ${ENV_KEY}, which is not set here; fill it first: \
             export {ENV_KEY}=$(miiflow token{profile})"
        ));
    }
    Ok(())
}

/// `--dry-run`: the request that would be sent, key masked; without a key, said so.
fn dry_run(ctx: &Context, active: &str, target: &RunTarget, input: Vec<u8>) -> anyhow::Result<()> {
    let resolved = ctx.resolve_key();
    let profile = resolved.as_ref().map_or(active, |r| r.profile.as_str());
    let req = Request::run(&ctx.base_url(profile)?, target, input);
    if let Err(e) = &resolved {
        ctx.warn(&format!("{e}; a real run would stop here (exit 3)"));
    }
    let key = resolved.as_ref().ok().map(|r| &r.key);
    ctx.ui
        .out(req.dry_run(key, ctx.ui.term().stdout_color).as_bytes())?;
    Ok(())
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
        (_, [p, ..]) => format!("; it is an alias of profile '{p}' (run it with --profile {p})"),
        ([], []) if names.is_empty() => "; no aliases are defined (`miiflow agents add`)".into(),
        ([], []) => format!("; the aliases are: {}", names.join(", ")),
        (close, []) => format!("; did you mean {}?", close.join(" or ")),
    };
    Error::BadInput(format!(
        "'{word}' is not an alias, and does not look like an agent id (agent_…){hint}. Nothing \
         was sent"
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
