//! `miiflow api [-X METHOD] PATH [ITEM…]`: an authenticated request to any path of the API, as
//! `gh api` does, with everything `run` has: the key, the base URL and its origin rule, the
//! output rules, exit codes, retries and timeouts.

use crate::cli::ApiArgs;
use crate::context::Context;
use crate::error::Error;
use crate::input::{self, Source};
use crate::limits;
use crate::output::{Jq, OutputFile};
use crate::request::Request;

pub(crate) fn run(ctx: &Context, args: ApiArgs) -> anyhow::Result<()> {
    let mut warn = |m: String| ctx.warn(&m);
    let items = input::parse_items(&args.items, &mut warn)?;
    let jq = match &args.out.jq {
        Some(code) => Some(Jq::compile(code).map_err(Error::BadInput)?),
        None => None,
    };
    let body = match (&args.input, items.is_empty()) {
        (None, true) => None,
        (source, _) => {
            let source = source.as_deref().map(Source::from_arg);
            ctx.reading_stdin(source.as_ref());
            Some(input::build(source.as_ref(), &items, &mut warn)?)
        }
    };
    let method = method(args.method.as_deref(), body.is_some())?;
    let active = ctx.active_profile()?;
    if args.out.curl || args.out.dry_run {
        let resolved = ctx.resolve_key();
        let profile = resolved
            .as_ref()
            .map_or(active.as_str(), |r| r.profile.as_str());
        let req = Request::call(method, crate::request::api_url(&ctx.base_url(profile)?, &args.path)?, body);
        if args.out.curl {
            ctx.ui.out(req.to_curl().as_bytes())?;
        } else {
            if let Err(e) = &resolved {
                warn(format!("{e}; a real request would stop here (exit 3)"));
            }
            let key = resolved.as_ref().ok().map(|r| &r.key);
            ctx.ui
                .out(req.dry_run(key, ctx.ui.term().stdout_color).as_bytes())?;
        }
        return Ok(());
    }
    let file = args
        .out
        .output
        .as_deref()
        .map(OutputFile::create)
        .transpose()?;
    let limit = limits::buffer()?;
    let (resolved, base) = crate::engine::key_and_base(ctx, &active)?;
    let req = Request::call(method, crate::request::api_url(&base, &args.path)?, body);
    let label = format!("{} {}", req.method, req.url.path());
    let x = crate::engine::Exchanged {
        req: &req,
        label: &label,
        out: &args.out,
        net: &args.net,
        jq,
        expect: None,
        limit,
        record: None,
    };
    crate::engine::send(ctx, x, &resolved, &base, file)
}

/// `-X`, else GET, or POST when there is a body.
fn method(arg: Option<&str>, has_body: bool) -> Result<reqwest::Method, Error> {
    match arg {
        None if has_body => Ok(reqwest::Method::POST),
        None => Ok(reqwest::Method::GET),
        Some(m) => reqwest::Method::from_bytes(m.to_ascii_uppercase().as_bytes())
            .map_err(|_| Error::BadInput(format!("-X '{m}': not an HTTP method"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        assert_eq!(method(None, false).unwrap(), reqwest::Method::GET);
        assert_eq!(method(None, true).unwrap(), reqwest::Method::POST);
        assert_eq!(
            method(Some("delete"), false).unwrap(),
            reqwest::Method::DELETE
        );
        assert!(method(Some("GE T"), false).is_err());
    }
}
