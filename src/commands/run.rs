//! `miiflow run`: build the input, send one agent run, print the answer.

use std::time::Instant;

use crate::cli::{NetworkArgs, OutputArgs, RunArgs};
use crate::client;
use crate::context::Context;
use crate::credentials::{ENV_KEY, Origin, Resolved};
use crate::error::{self, Error};
use crate::exchange::{self, Job};
use crate::input::{self, Source};
use crate::limits;
use crate::output::safe::Masker;
use crate::output::{self, Jq, JqError, Layout, OutputFile, Render};
use crate::request::{Request, RunTarget};
use crate::sse;
use crate::ui::Ui;

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
    let result = send(
        ctx,
        Exchanged {
            req: &req,
            label: target.id(),
            out: &args.out,
            net: &args.net,
            jq,
            limit,
            record: Some(Recording {
                target: target.clone(),
                off: args.no_history,
            }),
        },
        &resolved,
        &base,
        file,
    );
    if let Err(e) = &result
        && matches!(
            e.downcast_ref::<Error>(),
            Some(Error::Status { status: 404, .. })
        )
    {
        ctx.note(&format!(
            "POST {} answered 404: check the {} id ('{}') and the base URL (from {})",
            req.url,
            match target {
                RunTarget::Agent(_) => "agent",
                RunTarget::Workflow(_) => "workflow",
            },
            target.id(),
            ctx.base_url_source(&resolved.profile)
        ));
    }
    result
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

/// After a 401 or 403: which key was sent and where it came from; for 403, that keys can be
/// scoped to workflows and operations.
fn explain_auth(ctx: &Context, resolved: &Resolved, result: &anyhow::Result<()>) {
    let status = match result
        .as_ref()
        .err()
        .and_then(|e| e.downcast_ref::<Error>())
    {
        Some(Error::Status {
            status: s @ (401 | 403),
            ..
        }) => *s,
        _ => return,
    };
    {
        if ctx.global.verbose == 0
            && let Some(note) = crate::context::key_note(resolved)
        {
            ctx.note(&note);
        }
        let what = match status {
            403 => {
                "the key was accepted but may not do this: keys can be scoped to workflows and \
                    to operations (read, write, execute), so this one may not cover this workflow \
                    or operation. The key sent was"
            }
            _ => "the key was refused. The key sent was",
        };
        ctx.note(&format!(
            "{what} {}, from {}; `miiflow status` shows where keys come from",
            resolved.key.masked(),
            match resolved.origin {
                Origin::Env => ENV_KEY.to_owned(),
                Origin::Stored(storage) =>
                    format!("profile '{}' ({})", resolved.profile, storage.describe()),
            }
        ));
    }
}

/// What one request needs besides the context: for `run` and `api` alike.
pub(super) struct Exchanged<'a> {
    pub(super) req: &'a Request,
    /// What the spinner says is running.
    pub(super) label: &'a str,
    pub(super) out: &'a OutputArgs,
    pub(super) net: &'a NetworkArgs,
    pub(super) jq: Option<Jq>,
    pub(super) limit: usize,
    /// For a run: what its history entry says it ran (`None`: not recorded).
    pub(super) record: Option<Recording>,
}

/// What a run's history entry needs besides the exchange.
pub(super) struct Recording {
    pub(super) target: RunTarget,
    /// `--no-history`.
    pub(super) off: bool,
}

/// Sends one request and prints its answer: spinner, sender, output rules, signals; then the
/// notes an auth error deserves.
pub(super) fn send(
    ctx: &Context,
    x: Exchanged,
    resolved: &Resolved,
    base: &reqwest::Url,
    file: Option<OutputFile>,
) -> anyhow::Result<()> {
    let spinner =
        crate::ui::progress::spinner(ctx.ui.term().stderr_tty && !ctx.ui.quiet(), x.label);
    ctx.ui.set_bar(spinner.clone());
    let job = Job {
        key: resolved.key.clone(),
        sender: exchange::sender(ctx, x.net, base)?,
        verbose: ctx.global.verbose,
        jq: x.jq,
        limit: x.limit,
    };
    let exchange = Exchange {
        job: &job,
        ui: &ctx.ui,
        out: x.out,
        spinner: spinner.as_ref(),
        capture: Default::default(),
    };
    let started = Instant::now();
    let result = client::block_on(exchange.run(x.req, file));
    // Also on Ctrl-C: no spinner left behind on the terminal.
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    ctx.ui.set_bar(None);
    explain_auth(ctx, resolved, &result);
    if let Some(rec) = &x.record
        && !matches!(
            result
                .as_ref()
                .err()
                .and_then(|e| e.downcast_ref::<Error>()),
            Some(Error::Interrupted | Error::Terminated)
        )
        && let Some(dir) = ctx.history_dir(&resolved.profile, rec.off)
    {
        let capture = exchange.capture.into_inner();
        let status = capture.status;
        let mut entry = crate::history::Entry {
            status,
            output: capture.output,
            output_cut: capture.output_cut,
            ..exchange::entry(&resolved.profile, base, x.req, &rec.target)
        };
        entry.duration = started.elapsed();
        entry.exit = match &result {
            Ok(()) => 0,
            Err(e) => error::exit_code(e),
        };
        entry.error = result.as_ref().err().map(|e| format!("{e:#}"));
        entry.mask(&resolved.key);
        // Written after the answer is out, under the signals: Ctrl-C ends a wait on a locked
        // database at once (exit 130), and the entry is not written.
        match client::block_on(async { Ok(crate::history::record_one(dir, entry).await) }) {
            Err(stopped) => return Err(stopped),
            Ok(Ok(id)) if result.is_err() && status.is_some_and(|s| s < 300) => {
                // A failing --jq (or -o): the answer is kept.
                ctx.note(&format!(
                    "the answer is kept in the history: miiflow history show {id} --output"
                ));
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => crate::history::warn(&ctx.ui, &e),
        }
    }
    result
}

/// Where the body goes: stdout, or `-o FILE` (replaced only once a 2xx answer is complete).
enum Target<'a> {
    Stdout(&'a Ui),
    File(OutputFile),
}

impl Target<'_> {
    /// True once stdout's reader has gone away: there is no one left to read the answer.
    fn gone(&self) -> bool {
        matches!(self, Target::Stdout(out) if out.closed())
    }

    fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        match self {
            Target::Stdout(out) => out.out(bytes)?,
            Target::File(file) => file.write(bytes)?,
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Target::File(file) => file.commit(),
            Target::Stdout(_) => Ok(()),
        }
    }
}

/// One event as one line: its JSON data compacted (data that is not JSON becomes a JSON
/// string), or what `--jq` makes of it.
async fn render_event(
    data: &[u8],
    jq: Option<&Jq>,
    render: Render,
    limit: usize,
) -> anyhow::Result<Vec<u8>> {
    let json = match output::reformat(data, Layout::Compact, false) {
        Some(compact) => compact,
        None => serde_json::to_vec(&String::from_utf8_lossy(data))?,
    };
    if let Some(jq) = jq {
        return Ok(jq.run(json.into(), render, limit).await?);
    }
    let mut line = match render.color {
        true => output::reformat(&json, Layout::Compact, true).unwrap_or(json),
        false => json,
    };
    line.push(b'\n');
    Ok(line)
}

/// One exchange printed for a person or a script: the job it is sent with, and where its
/// output goes.
struct Exchange<'a> {
    job: &'a Job,
    ui: &'a Ui,
    out: &'a OutputArgs,
    spinner: Option<&'a indicatif::ProgressBar>,
    /// The status and the answer's first bytes, for the history.
    capture: std::cell::RefCell<crate::history::Entry>,
}

/// How a 2xx body is handled.
enum Sink {
    /// The bytes as they arrive: to a pipe or `-o`.
    Stream,
    /// Server-sent events: one compact JSON line per event, as each arrives.
    Events(sse::Parser),
    /// For a person (`Some(layout)`) or a filter (`None`): the whole body first, up to the
    /// buffer limit.
    Hold(Option<Layout>),
}

impl Exchange<'_> {
    /// stderr text (around a live spinner: the Ui knows it).
    fn say(&self, text: &str) {
        self.ui.err(text);
    }

    /// The next piece of the answer, through the job's body reader; kept for the history up
    /// to its cap.
    async fn next(&self, resp: &mut reqwest::Response) -> Result<Option<bytes::Bytes>, Error> {
        let chunk = self.job.chunk(resp).await?;
        if let Some(c) = &chunk {
            self.capture.borrow_mut().keep_output(c);
        }
        Ok(chunk)
    }

    async fn run(&self, req: &Request, file: Option<OutputFile>) -> anyhow::Result<()> {
        let (opts_out, term) = (self.out, self.ui.term());
        if let Some(s) = self.spinner {
            // Ctrl-C is caught by now (see client::block_on): the spinner can always be cleared.
            crate::ui::progress::start(s);
        }
        let job = self.job;
        if let Some(text) = job.trace_request(req, "") {
            self.say(&text);
        }
        let started = Instant::now();
        let deadline = job.sender.opts.timeout.map(|t| started + t);
        let mut resp = job.send(req).await?;
        let status = resp.status().as_u16();
        self.capture.borrow_mut().status = Some(status);
        let ok = resp.status().is_success();
        let head = exchange::head(&resp);
        if let Some(text) = job.trace_response(&head, "") {
            self.say(&text);
        }
        let opts = job.sender.opts;

        if !ok {
            // An error answer goes to stdout (scripts read it), never to -o; the key is masked
            // in it. Piped, it streams; for a person it is pretty when it fits the buffer.
            let mut out = Target::Stdout(self.ui);
            if opts_out.include {
                out.write(job.masked(&head).as_bytes())?;
            }
            let mut masker = Masker::new(job.key.searched(), &job.key.masked());
            let mut prefix = Vec::new();
            let mut held = Some(Vec::new()).filter(|_| term.layout().is_some());
            while let Some(chunk) = self.next(&mut resp).await? {
                if out.gone() {
                    break;
                }
                if prefix.len() < crate::output::reason::REASON_PREFIX {
                    let room = crate::output::reason::REASON_PREFIX - prefix.len();
                    prefix.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                let masked = masker.push(&chunk);
                match &mut held {
                    Some(buf) if buf.len() + masked.len() <= job.limit => {
                        buf.extend_from_slice(&masked)
                    }
                    Some(buf) => {
                        out.write(buf)?;
                        out.write(&masked)?;
                        held = None;
                    }
                    None => out.write(&masked)?,
                }
            }
            let rest = masker.finish();
            match (held, term.layout()) {
                (Some(mut buf), Some(layout)) => {
                    buf.extend_from_slice(&rest);
                    let shown = render_body(&buf, layout, term.stdout_color);
                    out.write(&shown)?;
                }
                _ => out.write(&rest)?,
            }
            self.finish_status(status, started);
            if let Some(file) = &file {
                self.ui.say(&format!(
                    "miiflow: {} was left as it was; the error answer went to stdout",
                    file.path().display()
                ));
            }
            return Err(Error::Status {
                status,
                reason: crate::output::reason::status_reason(status, &prefix, &|t| job.masked(t)),
            }
            .into());
        }

        let to_file = file.is_some();
        let events = exchange::is_events(&resp);
        let mut sink = match (events, &job.jq, to_file) {
            (true, _, _) => Sink::Events(sse::Parser::default()),
            (false, Some(_), _) => Sink::Hold(None),
            (false, None, false) if term.layout().is_some() => Sink::Hold(term.layout()),
            _ => Sink::Stream,
        };
        let color = term.stdout_color && !to_file;
        let render = Render {
            raw: opts_out.raw_output,
            compact: opts_out.compact_output,
            color,
        };
        let mut out = match file {
            Some(f) => Target::File(f),
            None => Target::Stdout(self.ui),
        };
        if opts_out.include {
            out.write(head.as_bytes())?;
        }
        let mut body = Vec::new();
        while let Some(chunk) = self.next(&mut resp).await? {
            if out.gone() {
                // `| head` has what it wanted: stop reading, quietly.
                break;
            }
            match &mut sink {
                Sink::Stream => out.write(&chunk)?,
                Sink::Events(parser) => {
                    for data in parser.push(&chunk) {
                        out.write(&render_event(&data, job.jq.as_ref(), render, job.limit).await?)?;
                    }
                    if parser.pending() > job.limit {
                        return Err(limits::over_buffer("one server-sent event", job.limit));
                    }
                }
                Sink::Hold(_) if body.len() + chunk.len() <= job.limit => {
                    body.extend_from_slice(&chunk)
                }
                Sink::Hold(None) => {
                    return Err(limits::over_buffer("the answer given to --jq", job.limit));
                }
                Sink::Hold(Some(_)) => {
                    // Too large to lay out for a person: it is printed as it comes instead.
                    self.say(&format!(
                        "miiflow: warning: the answer is larger than {}; printing it as received\n",
                        limits::show_size(job.limit as u64)
                    ));
                    out.write(&std::mem::take(&mut body))?;
                    out.write(&chunk)?;
                    sink = Sink::Stream;
                }
            }
        }
        if let Some(s) = self.spinner {
            s.finish_and_clear();
        }
        let mut failed = None;
        match (&sink, &job.jq) {
            (Sink::Hold(Some(layout)), _) => {
                out.write(&render_body(&body, *layout, term.stdout_color))?
            }
            (Sink::Hold(None), Some(jq)) => {
                let whole = bytes::Bytes::from(std::mem::take(&mut body));
                let filtered = jq.run(whole.clone(), render, job.limit);
                let filtered = match deadline {
                    Some(d) => tokio::time::timeout_at(d.into(), filtered)
                        .await
                        .unwrap_or_else(|_| {
                            Err(JqError::Filter(format!(
                                "--jq did not finish within {} s (--timeout)",
                                opts.timeout.unwrap_or_default().as_secs_f64()
                            )))
                        }),
                    None => filtered.await,
                };
                match filtered {
                    Ok(result) => out.write(&result)?,
                    Err(e) => failed = Some((e, whole)),
                }
            }
            _ => {}
        }
        if let Some((e, raw)) = failed {
            // The run happened: its answer is kept, unfiltered, where the result would have gone.
            let raw = match (&out, term.layout()) {
                (Target::Stdout(_), Some(layout)) => render_body(&raw, layout, term.stdout_color),
                _ => raw.to_vec(),
            };
            out.write(&raw)?;
            let place = match &out {
                Target::File(f) => format!("written to {}", f.path().display()),
                Target::Stdout(_) => "printed to stdout".to_owned(),
            };
            out.finish()?;
            self.finish_status(status, started);
            return Err(anyhow::anyhow!(
                "{e}; the run succeeded ({}) and its answer was {place} unfiltered",
                error::status_words(status)
            ));
        }
        out.finish()?;
        self.finish_status(status, started);
        Ok(())
    }

    fn finish_status(&self, status: u16, started: Instant) {
        if let Some(s) = self.spinner {
            s.finish_and_clear();
        }
        self.ui.status(&output::status_line(
            status,
            started.elapsed(),
            self.ui.term().stderr_color,
        ));
    }
}

/// A held body laid out for a person; what is not JSON is printed as it is.
fn render_body(body: &[u8], layout: Layout, color: bool) -> Vec<u8> {
    let shown = match layout {
        Layout::Pretty => output::pretty_json(body, color),
        other => output::reformat(body, other, color),
    };
    shown.unwrap_or_else(|| body.to_vec())
}
