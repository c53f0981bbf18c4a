//! A single request as the command line (or a history entry) asks for it — a run of an agent
//! or workflow (`run`, `history rerun`) or a call to any path (`api`): the items and the filter
//! checked, the body built (byte for byte), then shown as `--curl` or `--dry-run`, or planned,
//! sent and printed. `--curl` and `--dry-run` exist here only.

use super::plan::{Act, Asked, Plan, Shown};
use super::record::Recording;
use crate::context::Context;
use crate::credentials::ENV_KEY;
use crate::error::Error;
use crate::input::{self, Source};
use crate::output::OutputFile;
use crate::request::{Request, RunTarget};

/// Where a request's body comes from.
pub(crate) enum Given<'a> {
    /// `--input FILE|-`, or none (items alone; for a run, `{}`).
    Input(Option<Source>),
    /// `--text TEXT|-`.
    Text(&'a str),
    /// A history entry's input: its id and bytes.
    Recorded(i64, Vec<u8>),
}

/// What is asked of the API.
pub(crate) enum What {
    /// A run of an agent or workflow (recorded in the history).
    Run(RunTarget),
    /// `api [-X METHOD] PATH`: GET, or POST when there is a body, unless `method` says.
    Call {
        method: Option<reqwest::Method>,
        path: String,
    },
}

/// One request, as asked, in the engine's types.
pub(crate) struct Single<'a> {
    pub(crate) what: What,
    pub(crate) items: &'a [String],
    pub(crate) given: Given<'a>,
    pub(crate) act: Act,
    pub(crate) shown: Shown,
    /// The network options, the filter, the expectations, whether it is recorded.
    pub(crate) asked: Asked,
}

/// The items, checked before a key is looked up or a byte is sent (warnings said).
pub(crate) fn items(ctx: &Context, items: &[String]) -> anyhow::Result<Vec<input::Prepared>> {
    Ok(input::parse_items(items, &mut |m| ctx.warn(&m))?)
}

/// The body's bytes: the given input with the items merged over it; a call with neither has
/// none.
fn body(
    ctx: &Context,
    what: &What,
    given: Given,
    items: &[input::Prepared],
) -> anyhow::Result<Option<Vec<u8>>> {
    let mut warn = |m: String| ctx.warn(&m);
    Ok(Some(match given {
        Given::Input(None) if items.is_empty() && matches!(what, What::Call { .. }) => {
            return Ok(None);
        }
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
    }))
}

impl What {
    /// The request to `base`.
    fn request(&self, base: &reqwest::Url, body: Option<Vec<u8>>) -> Result<Request, Error> {
        Ok(match self {
            What::Run(target) => Request::run(base, target, body.unwrap_or_default()),
            What::Call { method, path } => {
                let method = match (method, &body) {
                    (Some(m), _) => m.clone(),
                    (None, Some(_)) => reqwest::Method::POST,
                    (None, None) => reqwest::Method::GET,
                };
                Request::call(method, crate::request::api_url(base, path)?, body)
            }
        })
    }
}

/// One request: checked, built, then shown (`--curl`, `--dry-run`) or planned and sent.
pub(crate) fn run(ctx: &Context, single: Single) -> anyhow::Result<()> {
    let Single {
        what,
        items,
        given,
        act,
        shown,
        asked,
    } = single;
    let mut checked = asked.check()?;
    let items = self::items(ctx, items)?;
    let body = body(ctx, &what, given, &items)?;
    match act {
        Act::Curl => {
            return curl(
                ctx,
                &what.request(&ctx.base_url(&ctx.active_profile()?)?, body)?,
            );
        }
        Act::DryRun => return dry_run(ctx, &what, body),
        Act::Send => {}
    }
    // Where the answer goes is settled before anything is sent: a bad -o costs no run.
    let file = shown.file.as_deref().map(OutputFile::create).transpose()?;
    // Only runs are recorded.
    checked.no_history |= !matches!(what, What::Run(_));
    let plan = Plan::resolve(ctx, checked)?;
    let req = what.request(&plan.origin.base, body)?;
    let (label, record) = match &what {
        What::Run(target) => (
            target.id().to_owned(),
            Some(Recording {
                target: target.clone(),
            }),
        ),
        What::Call { .. } => (format!("{} {}", req.method, req.url.path()), None),
    };
    let x = super::Exchanged {
        req: &req,
        label: &label,
        shown: &shown,
        record,
    };
    let result = super::send(ctx, &plan, x, file);
    match &what {
        What::Run(target) => result.map_err(|e| not_found(e, &plan, &req, target)),
        What::Call { .. } => result,
    }
}

/// A run answered 404: which id and which base URL to check.
fn not_found(e: anyhow::Error, plan: &Plan, req: &Request, target: &RunTarget) -> anyhow::Error {
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
        plan.origin.source
    );
    crate::error::with_hints(e, vec![hint])
}

/// `--curl`: the equivalent command, reading the key from the environment.
fn curl(ctx: &Context, req: &Request) -> anyhow::Result<()> {
    ctx.ui.out(req.to_curl().as_bytes())?;
    if ctx.env_key.is_none() {
        let profile = match &ctx.opts.profile {
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
fn dry_run(ctx: &Context, what: &What, body: Option<Vec<u8>>) -> anyhow::Result<()> {
    let base = ctx.base_url(&ctx.active_profile()?)?;
    let resolved = ctx.resolve_key();
    let req = what.request(&base, body)?;
    if let Err(e) = &resolved {
        let what = match what {
            What::Run(_) => "run",
            What::Call { .. } => "request",
        };
        ctx.warn(&format!("{e}; a real {what} would stop here (exit 3)"));
    }
    let key = resolved.as_ref().ok().map(|r| &r.key);
    ctx.ui
        .out(req.dry_run(key, ctx.ui.term().stdout_color).as_bytes())?;
    Ok(())
}
