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
        let req = Request::call(method, url(&ctx.base_url(profile)?, &args.path)?, body);
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
    let req = Request::call(method, url(&base, &args.path)?, body);
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

/// The path joined onto the base URL, or a full URL that must be on the API's own origin: the
/// key is never sent anywhere else.
pub(super) fn url(base: &reqwest::Url, path: &str) -> Result<reqwest::Url, Error> {
    // Only a PATH that starts with a scheme is a full URL (`/x?cb=https://…` is a path).
    let scheme = path.split_once("://").map(|(s, _)| s);
    let full = scheme.is_some_and(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if full {
        let url = reqwest::Url::parse(path)
            .map_err(|e| Error::BadInput(format!("'{path}': not a URL ({e})")))?;
        let same = url.scheme() == base.scheme()
            && url.host_str() == base.host_str()
            && url.port_or_known_default() == base.port_or_known_default();
        if !same || !url.username().is_empty() || url.password().is_some() {
            return Err(Error::BadInput(format!(
                "'{}' is not on the API's origin ({}): the key is only ever sent there; give a \
                 path such as /v1/workflows, or change --base-url",
                crate::proxy::redact(&url),
                base.origin().ascii_serialization()
            )));
        }
        return Ok(url);
    }
    let joined = format!("/{}", path.trim_start_matches('/'));
    reqwest::Url::parse(&format!("{}{joined}", base.as_str().trim_end_matches('/')))
        .map_err(|e| Error::BadInput(format!("'{path}': not a usable path ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_on_the_api_origin() {
        let base = reqwest::Url::parse("https://api.miiflow.ai/prefix/").unwrap();
        let ok = [
            (
                "/v1/workflows",
                "https://api.miiflow.ai/prefix/v1/workflows",
            ),
            (
                "v1/workflows?limit=5",
                "https://api.miiflow.ai/prefix/v1/workflows?limit=5",
            ),
            ("https://api.miiflow.ai:443/x", "https://api.miiflow.ai/x"),
            (
                "/x?cb=https://example.com/y",
                "https://api.miiflow.ai/prefix/x?cb=https://example.com/y",
            ),
        ];
        for (path, want) in ok {
            assert_eq!(url(&base, path).unwrap().as_str(), want, "{path}");
        }
        for path in [
            "https://evil.example/v1",
            "http://api.miiflow.ai/v1",
            "https://api.miiflow.ai:8443/v1",
            "https://user:pw@api.miiflow.ai/v1",
        ] {
            let err = url(&base, path).unwrap_err().to_string();
            assert!(err.contains("not on the API's origin"), "{path}: {err}");
            assert!(!err.contains("pw@"), "{err}");
        }
    }

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
