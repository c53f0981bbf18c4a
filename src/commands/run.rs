//! `miiflow run`: build the input, send one agent run, print the answer.

use std::io::Write;
use std::time::Instant;

use anyhow::Context as _;

use crate::cli::{Global, RunArgs};
use crate::client::{self, Options, Pacer, Sender};
use crate::context::Context;
use crate::credentials::ApiKey;
use crate::error::Error;
use crate::input::{self, Source};
use crate::output::{self, Jq, Stdout, Terminal};
use crate::request::Request;

pub fn run(ctx: &Context, args: RunArgs) -> anyhow::Result<()> {
    let mut warn = |m: String| ctx.warn(&m);

    // Everything the user gave is checked before a key is looked up or a byte is sent.
    let items = input::parse_items(&args.items)?;
    let jq = match &args.jq {
        Some(code) => Some(Jq::compile(code).map_err(Error::BadInput)?),
        None => None,
    };
    let source = args.input.as_deref().map(Source::from_arg);
    let input = input::build(source.as_ref(), &items, &mut warn)?;
    let active = ctx.active_profile()?;
    let mut stdout = Stdout::default();
    if args.curl {
        let req = Request::agent_run(&ctx.base_url(&active)?, &args.agent_id, &input);
        stdout.write_all(req.to_curl().as_bytes())?;
        return Ok(());
    }
    if args.dry_run {
        let resolved = ctx.resolve_key();
        let profile = resolved
            .as_ref()
            .map_or(active.as_str(), |r| r.profile.as_str());
        let req = Request::agent_run(&ctx.base_url(profile)?, &args.agent_id, &input);
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
    ctx.base_url(&active)?;
    let resolved = ctx.resolve_key()?;
    let req = Request::agent_run(&ctx.base_url(&resolved.profile)?, &args.agent_id, &input);
    let opts = Options {
        connect_timeout: args.connect_timeout,
        timeout: (!args.timeout.is_zero()).then_some(args.timeout),
    };
    let quiet = ctx.global.quiet;
    let spinner = output::spinner(ctx.term.stderr_tty && !quiet, &args.agent_id);
    let notify = |m: &str| {
        if !quiet {
            match &spinner {
                Some(s) => s.suspend(|| eprintln!("miiflow: {m}")),
                None => eprintln!("miiflow: {m}"),
            }
        }
    };
    let http = client::client(Options {
        timeout: None,
        ..opts
    })?;
    let sender = Sender {
        client: &http,
        opts,
        retries: args.retries,
        pacer: Pacer::default(),
        notify: &notify,
    };
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
    result
}

/// Where the body goes.
enum Sink {
    /// A pipe or file on stdout: the bytes as they arrive.
    Stream,
    /// A person or a filter: the whole body first, then pretty, coloured or filtered.
    Render,
    File(std::path::PathBuf),
}

#[allow(clippy::too_many_arguments)]
async fn exchange(
    global: &Global,
    args: &RunArgs,
    term: Terminal,
    req: &Request,
    key: &ApiKey,
    sender: &Sender<'_>,
    spinner: Option<&indicatif::ProgressBar>,
    jq: Option<&Jq>,
    stdout: &mut Stdout,
) -> anyhow::Result<()> {
    let opts = sender.opts;
    let verbose = global.verbose;
    if verbose > 0 {
        let mut err = std::io::stderr().lock();
        writeln!(err, "> POST {}", req.url)?;
        for (name, value) in req.headers(Some(key), false) {
            writeln!(err, "> {name}: {value}")?;
        }
        if verbose > 1 {
            writeln!(err, ">\n{}", String::from_utf8_lossy(&req.body))?;
        }
    }
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
        for line in head.lines().filter(|l| !l.is_empty()) {
            eprintln!("< {line}");
        }
    }

    let sink = match &args.output {
        Some(path) => Sink::File(path.clone()),
        None if !ok || jq.is_some() || term.pretty() => Sink::Render,
        None => Sink::Stream,
    };
    let mut body = Vec::new();
    let mut file = match &sink {
        Sink::File(path) => Some(create_output(path)?),
        _ => None,
    };
    if args.include {
        match file.as_mut() {
            Some(f) => f.write_all(head.as_bytes())?,
            None => stdout.write_all(head.as_bytes())?,
        }
    }
    loop {
        let chunk = resp.chunk().await.map_err(|e| client::classify(&e, opts));
        let chunk = match chunk {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(e.into()),
        };
        match (&sink, file.as_mut()) {
            (_, Some(f)) => f.write_all(&chunk)?,
            (Sink::Stream, None) => stdout.write_all(&chunk)?,
            _ => {}
        }
        if !ok || matches!(sink, Sink::Render) {
            body.extend_from_slice(&chunk);
        }
    }
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let elapsed = started.elapsed();
    if let (Some(f), Sink::File(path)) = (file, &sink) {
        f.persist(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if matches!(sink, Sink::Render) {
        let rendered = match jq {
            Some(jq) if ok => jq.apply(
                &body,
                args.raw_output,
                args.compact_output,
                term.stdout_color,
            )?,
            _ if term.pretty() => {
                output::pretty_json(&body, term.stdout_color).unwrap_or_else(|| body.clone())
            }
            _ => body.clone(),
        };
        stdout.write_all(&rendered)?;
    }
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
