//! One run as the command line or a history entry asks for it: the items and the filter
//! checked, the input built (byte for byte), then printed as `--curl` or `--dry-run`, or sent
//! and printed (with the hint a 404 deserves). `run` and `history rerun` both end here.

use crate::cli::{NetworkArgs, OutputArgs};
use crate::context::Context;
use crate::credentials::ENV_KEY;
use crate::error::Error;
use crate::expect::Expectations;
use crate::input::{self, Source};
use crate::limits;
use crate::output::{Jq, OutputFile};
use crate::request::{Request, RunTarget};

/// Where a run's input comes from.
pub(crate) enum Given<'a> {
    /// `--input FILE|-`, or none (items alone, or `{}`).
    Input(Option<Source>),
    /// `--text TEXT|-`.
    Text(&'a str),
    /// A history entry's input: its id and bytes.
    Recorded(i64, Vec<u8>),
}

/// One run, as the command line (or a history entry) asks for it.
pub(crate) struct Once<'a> {
    pub(crate) target: RunTarget,
    pub(crate) items: &'a [String],
    pub(crate) given: Given<'a>,
    pub(crate) out: &'a OutputArgs,
    pub(crate) net: &'a NetworkArgs,
    pub(crate) no_history: bool,
    /// `--expect`, `--expect-schema`: what a 2xx answer must be.
    pub(crate) expect: Option<Expectations>,
}

/// `history rerun`: the recorded target exactly (today's aliases do not apply) and the
/// recorded input, the items merged over it.
pub(crate) fn rerun(
    ctx: &Context,
    target: RunTarget,
    recorded: (i64, Vec<u8>),
    args: &crate::cli::HistoryRerunArgs,
    expect: Option<Expectations>,
) -> anyhow::Result<()> {
    send(
        ctx,
        Once {
            target,
            items: &args.items,
            given: Given::Recorded(recorded.0, recorded.1),
            out: &args.out,
            net: &args.net,
            no_history: args.no_history,
            expect,
        },
    )
}

/// The items and the filter, checked before a key is looked up or a byte is sent.
pub(crate) fn checked(
    ctx: &Context,
    once: &Once,
) -> anyhow::Result<(Vec<input::Prepared>, Option<Jq>)> {
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
pub(crate) fn send(ctx: &Context, once: Once) -> anyhow::Result<()> {
    let (items, jq) = checked(ctx, &once)?;
    let active = ctx.active_profile()?;
    let Once {
        target,
        given,
        out,
        net,
        no_history,
        expect,
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
    let (resolved, base) = super::key_and_base(ctx, &active)?;
    let req = Request::run(&base, &target, input);
    let exchanged = super::Exchanged {
        req: &req,
        label: target.id(),
        out,
        net,
        jq,
        expect: expect.clone(),
        limit,
        record: Some(super::Recording {
            target: target.clone(),
            off: no_history,
            expect: expect.as_ref().map(Expectations::describe),
        }),
    };
    let result = super::send(ctx, exchanged, &resolved, &base, file);
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
