//! `miiflow run`: build the input, send one agent run, print the answer.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;

use crate::cli::{Global, RunArgs};
use crate::client::{self, Options, Pacer, Sender};
use crate::context::Context;
use crate::credentials::{ApiKey, ENV_KEY, Origin, Resolved};
use crate::error::Error;
use crate::input::{self, Source};
use crate::output::{self, Jq, Stdout, Terminal};
use crate::request::Request;
use crate::sse;

pub fn run(ctx: &Context, args: RunArgs) -> anyhow::Result<()> {
    let mut warn = |m: String| ctx.warn(&m);

    // Everything the user gave is checked before a key is looked up or a byte is sent.
    let items = input::parse_items(&args.items, &mut warn)?;
    let jq = match &args.jq {
        Some(code) => Some(Jq::compile(code).map_err(Error::BadInput)?),
        None => None,
    };
    let active = ctx.active_profile()?;
    if let Some(batch) = &args.batch {
        let lines = super::batch::open(&Source::from_arg(batch))?;
        let (resolved, base) = target(ctx, &active)?;
        let sender = sender(ctx, &args, None)?;
        return super::batch::run(ctx, &args, lines, &items, &base, &resolved.key, sender);
    }
    let source = args.input.as_deref().map(Source::from_arg);
    let input = input::build(source.as_ref(), &items, &mut warn)?;
    let mut stdout = Stdout::default();
    if args.curl {
        let req = Request::agent_run(&ctx.base_url(&active)?, &args.agent_id, input);
        stdout.write_all(req.to_curl().as_bytes())?;
        return Ok(());
    }
    if args.dry_run {
        let resolved = ctx.resolve_key();
        let profile = resolved
            .as_ref()
            .map_or(active.as_str(), |r| r.profile.as_str());
        let req = Request::agent_run(&ctx.base_url(profile)?, &args.agent_id, input);
        if let Err(e) = &resolved {
            warn(format!("{e}; a real run would stop here (exit 3)"));
        }
        stdout.write_all(
            req.dry_run(resolved.as_ref().ok().map(|r| &r.key))
                .as_bytes(),
        )?;
        return Ok(());
    }
    // The base URL is checked before the keyring is asked for anything.
    let (resolved, base) = target(ctx, &active)?;
    let req = Request::agent_run(&base, &args.agent_id, input);
    let spinner = output::spinner(ctx.term.stderr_tty && !ctx.global.quiet, &args.agent_id);
    let sender = sender(ctx, &args, spinner.clone())?;
    let result = client::block_on(exchange(
        &ctx.global,
        &args,
        ctx.term,
        &req,
        &resolved.key,
        &sender,
        spinner.as_ref(),
        jq.as_ref(),
        &mut stdout,
    ));
    // Also on Ctrl-C: no spinner left behind on the terminal.
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    if let Err(e) = &result
        && matches!(
            e.downcast_ref::<Error>(),
            Some(Error::Status {
                status: 401 | 403,
                ..
            })
        )
    {
        ctx.note(&format!(
            "the key sent was {}, from {}; `miiflow status` shows where keys come from",
            resolved.key.masked(),
            match resolved.origin {
                Origin::Env => ENV_KEY.to_owned(),
                Origin::Stored(storage) =>
                    format!("profile '{}' ({})", resolved.profile, storage.describe()),
            }
        ));
    }
    result
}

/// The key to send and the server to send it to. The active profile's base URL is checked
/// first, so a refused URL (exit 2) is found before the keyring is asked for anything.
fn target(ctx: &Context, active: &str) -> anyhow::Result<(Resolved, reqwest::Url)> {
    ctx.base_url(active)?;
    let resolved = ctx.resolve_key()?;
    let base = ctx.base_url(&resolved.profile)?;
    Ok((resolved, base))
}

/// The sender for this command's options; retry notices go to stderr around `bar`.
pub fn sender(
    ctx: &Context,
    args: &RunArgs,
    bar: Option<indicatif::ProgressBar>,
) -> anyhow::Result<Sender> {
    let opts = Options {
        connect_timeout: args.connect_timeout,
        timeout: (!args.timeout.is_zero()).then_some(args.timeout),
    };
    let quiet = ctx.global.quiet;
    Ok(Sender {
        // Each send sets its own timeout: what is left of --timeout.
        client: client::client(Options {
            timeout: None,
            ..opts
        })?,
        opts,
        retries: args.retries,
        pacer: Pacer::default(),
        notify: Arc::new(move |m: &str| {
            if !quiet {
                match &bar {
                    Some(b) => b.suspend(|| eprintln!("miiflow: {m}")),
                    None => eprintln!("miiflow: {m}"),
                }
            }
        }),
    })
}

/// How the body is handled.
enum Sink {
    /// The bytes as they arrive: to a pipe, a file, or `-o`.
    Stream,
    /// Server-sent events: one compact JSON line per event, as each arrives.
    Events(sse::Parser),
    /// For a person or a filter: the whole body first, then pretty, coloured or filtered.
    Render,
}

/// Where the body goes: stdout, or a temporary file renamed over `-o FILE` once complete.
enum Target<'a> {
    Stdout(&'a mut Stdout),
    File(tempfile::NamedTempFile, &'a std::path::Path),
}

impl Target<'_> {
    fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Target::Stdout(out) => out.write_all(bytes)?,
            Target::File(file, path) => file
                .write_all(bytes)
                .with_context(|| format!("cannot write {}", path.display()))?,
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        if let Target::File(file, path) = self {
            file.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    }
}

/// One event as one line: its JSON data compacted (data that is not JSON becomes a JSON
/// string), or what `--jq` makes of it.
fn render_event(data: &[u8], jq: Option<&Jq>, raw: bool, color: bool) -> anyhow::Result<Vec<u8>> {
    let json = match output::reformat(data, output::Layout::Compact, false) {
        Some(compact) => compact,
        None => serde_json::to_vec(&String::from_utf8_lossy(data))?,
    };
    if let Some(jq) = jq {
        return jq.apply(&json, raw, true, color);
    }
    let mut line = match color {
        true => output::reformat(&json, output::Layout::Compact, true).unwrap_or(json),
        false => json,
    };
    line.push(b'\n');
    Ok(line)
}

#[allow(clippy::too_many_arguments)]
async fn exchange(
    global: &Global,
    args: &RunArgs,
    term: Terminal,
    req: &Request,
    key: &ApiKey,
    sender: &Sender,
    spinner: Option<&indicatif::ProgressBar>,
    jq: Option<&Jq>,
    stdout: &mut Stdout,
) -> anyhow::Result<()> {
    let opts = sender.opts;
    let verbose = global.verbose;
    // stderr lines around a live spinner go above it, not through it.
    let say = |text: &str| match spinner {
        Some(s) => s.suspend(|| eprint!("{text}")),
        None => eprint!("{text}"),
    };
    if verbose > 0 {
        let mut text = format!("> POST {}\n", req.url);
        for (name, value) in req.headers(Some(key), false) {
            text.push_str(&format!("> {name}: {value}\n"));
        }
        if verbose > 1 {
            text.push_str(&format!(">\n{}\n", String::from_utf8_lossy(&req.body)));
        }
        say(&text);
    }
    // Where the body goes is settled before anything is sent: a bad -o path costs no run.
    let mut out = match &args.output {
        Some(path) => Target::File(create_output(path)?, path),
        None => Target::Stdout(stdout),
    };
    let started = Instant::now();
    let mut resp = sender.send(req, key).await?;
    let status = resp.status();
    let ok = status.is_success();
    let head = {
        let mut h = format!("{:?} {}\n", resp.version(), status);
        for (name, value) in resp.headers() {
            h.push_str(&format!(
                "{name}: {}\n",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        h.push('\n');
        h
    };
    if verbose > 0 {
        let text: String = head
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| format!("< {l}\n"))
            .collect();
        say(&text);
    }

    let events = ok
        && resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
    let sink = match &args.output {
        _ if events => Sink::Events(sse::Parser::default()),
        // A filter needs the whole body, wherever its result goes.
        _ if ok && jq.is_some() => Sink::Render,
        None if !ok || term.pretty() => Sink::Render,
        _ => Sink::Stream,
    };
    if args.include {
        out.write(head.as_bytes())?;
    }
    let color = term.stdout_color && args.output.is_none();
    let mut sink = sink;
    let mut body = Vec::new();
    loop {
        let chunk = match resp.chunk().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(client::classify(&e, opts).into()),
        };
        match &mut sink {
            Sink::Stream => out.write(&chunk)?,
            Sink::Events(parser) => {
                for data in parser.push(&chunk) {
                    out.write(&render_event(&data, jq, args.raw_output, color)?)?;
                }
            }
            Sink::Render => {}
        }
        if !ok || matches!(sink, Sink::Render) {
            body.extend_from_slice(&chunk);
        }
    }
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let elapsed = started.elapsed();
    if matches!(sink, Sink::Render) {
        let rendered = match jq {
            Some(jq) if ok => jq.apply(&body, args.raw_output, args.compact_output, color)?,
            _ if term.pretty() => output::pretty_json(&body, color).unwrap_or_else(|| body.clone()),
            _ => body.clone(),
        };
        out.write(&rendered)?;
    }
    out.finish()?;
    if !global.quiet {
        eprintln!(
            "{}",
            output::status_line(status, elapsed, term.stderr_color)
        );
    }
    if ok {
        Ok(())
    } else {
        Err(Error::Status {
            status: status.as_u16(),
            reason: output::reason(status, &body),
        }
        .into())
    }
}

/// A temporary file beside the target, renamed into place once the whole body is in.
fn create_output(path: &std::path::Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(".miiflow-output")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))
}
