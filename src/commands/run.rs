//! `miiflow run`: build the input, send one agent run, print the answer.

use crate::cli::RunArgs;
use crate::context::Context;
use crate::credentials::ENV_KEY;
use crate::error::Error;
use crate::exchange::{self};
use crate::input::{self, Source};
use crate::limits;
use crate::output::{Jq, OutputFile};
use crate::request::{Request, RunTarget};

pub(crate) fn run(ctx: &Context, mut args: RunArgs) -> anyhow::Result<()> {
    let mut warn = |m: String| ctx.warn(&m);
    let target = match &args.workflow {
        Some(id) => {
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
            RunTarget::workflow(id)?
        }
        // `history rerun`: the recorded target, exactly (today's aliases do not apply).
        None if args.recorded_input.is_some() => {
            RunTarget::Agent(args.agent_id.clone().unwrap_or_default())
        }
        None => {
            let id = args.agent_id.clone().unwrap_or_default();
            // An alias: its id, and its items before the command line's.
            let profile = ctx.active_profile()?;
            match ctx.config.alias(&profile, &id) {
                Some(alias) => {
                    let mut items = alias.items.clone();
                    items.append(&mut args.items);
                    args.items = items;
                    match alias.workflow {
                        true => RunTarget::workflow(&alias.id)?,
                        false => RunTarget::Agent(alias.id.clone()),
                    }
                }
                None if !id_shaped(&id) => return Err(not_an_alias(ctx, &profile, &id).into()),
                None => RunTarget::Agent(id),
            }
        }
    };
    if args.text.is_some() && !args.items.is_empty() {
        return Err(Error::BadInput(
            "--text sends the input as one string; it does not take items (use --input or \
             items for an object)"
                .into(),
        )
        .into());
    }

    // Everything the user gave is checked before a key is looked up or a byte is sent.
    let items = input::parse_items(&args.items, &mut warn)?;
    let jq = match &args.out.jq {
        Some(code) => Some(Jq::compile(code).map_err(Error::BadInput)?),
        None => None,
    };
    if args.batch.is_some() {
        return crate::batch::run(ctx, &args, target, items, jq);
    }
    let active = ctx.active_profile()?;
    let input = match (&args.text, args.recorded_input.take()) {
        (_, Some((id, bytes))) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::BadInput(format!("history entry {id}: not UTF-8")))?;
            input::from_text(text, &format!("history entry {id}"), &items, &mut warn)?
        }
        (Some(text), None) => input::text(text)?,
        (None, None) => {
            let source = args.input.as_deref().map(Source::from_arg);
            ctx.reading_stdin(source.as_ref());
            input::build(source.as_ref(), &items, &mut warn)?
        }
    };
    if args.out.curl {
        let req = Request::run(&ctx.base_url(&active)?, &target, input);
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
        return Ok(());
    }
    if args.out.dry_run {
        let resolved = ctx.resolve_key();
        let profile = resolved
            .as_ref()
            .map_or(active.as_str(), |r| r.profile.as_str());
        let req = Request::run(&ctx.base_url(profile)?, &target, input);
        if let Err(e) = &resolved {
            warn(format!("{e}; a real run would stop here (exit 3)"));
        }
        ctx.ui.out(
            req.dry_run(
                resolved.as_ref().ok().map(|r| &r.key),
                ctx.ui.term().stdout_color,
            )
            .as_bytes(),
        )?;
        return Ok(());
    }
    // Where the answer goes is settled before anything is sent: a bad -o costs no run.
    let file = args
        .out
        .output
        .as_deref()
        .map(OutputFile::create)
        .transpose()?;
    let limit = limits::buffer()?;
    // The base URL is checked before the keyring is asked for anything.
    let (resolved, base) = exchange::key_and_base(ctx, &active)?;
    let req = Request::run(&base, &target, input);
    let result = exchange::send(
        ctx,
        exchange::Exchanged {
            req: &req,
            label: target.id(),
            out: &args.out,
            net: &args.net,
            jq,
            limit,
            record: Some(exchange::Recording {
                target: target.clone(),
                off: args.no_history,
            }),
        },
        &resolved,
        &base,
        file,
    );
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
            match target {
                RunTarget::Agent(_) => "agent",
                RunTarget::Workflow(_) => "workflow",
            },
            target.id(),
            ctx.base_url_source(&resolved.profile)
        );
        crate::error::with_hints(e, vec![hint])
    })
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
