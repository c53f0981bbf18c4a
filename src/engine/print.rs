//! The printer of `run` and `api`: one answer for a person or a script. stdout gets the body
//! (exact bytes in a pipe, pretty on a terminal, events line by line, `--jq`'s results), `-o`
//! a complete 2xx body, stderr the status line.

use std::time::Instant;

use super::Job;
use super::plan::Shown;
use crate::error::{self, Error};
use crate::expect::Expectations;
use crate::limits;
use crate::output::safe::Masker;
use crate::output::{self, Jq, Layout, OutputFile, Render};
use crate::request::Request;
use crate::sse;
use crate::ui::Ui;

/// Where the body goes: stdout, or `-o FILE` (replaced only once a 2xx answer is complete).
enum Target<'a> {
    Stdout(&'a Ui),
    File(OutputFile),
}

impl Target<'_> {
    /// True once stdout's reader has gone away: there is no one left to read the answer.
    fn gone(&self) -> bool {
        match self {
            Target::Stdout(out) => out.closed(),
            Target::File(file) => file.closed(),
        }
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
pub(crate) struct Exchange<'a> {
    pub(crate) job: &'a Job,
    pub(crate) ui: &'a Ui,
    pub(crate) out: &'a Shown,
    pub(crate) spinner: Option<&'a indicatif::ProgressBar>,
    /// `--expect`, `--expect-schema`: checked on a 2xx answer as received.
    pub(crate) expect: Option<&'a Expectations>,
    /// The status and the answer's first bytes, for the history.
    pub(crate) capture: std::cell::RefCell<crate::history::Entry>,
}

/// An answer as it came: its head, read; its body, to read.
struct Answer {
    resp: reqwest::Response,
    head: String,
    status: u16,
    started: Instant,
}

/// With expectations, the answer as received, to check once it is all in (`over`: it grew
/// past the buffer limit, and cannot be checked).
#[derive(Default)]
struct Seen {
    bytes: Vec<u8>,
    over: bool,
}

impl Seen {
    fn keep(&mut self, chunk: &[u8], limit: usize) {
        if self.over || self.bytes.len() + chunk.len() > limit {
            self.over = true;
            self.bytes = Vec::new();
            return;
        }
        self.bytes.extend_from_slice(chunk);
    }
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
        let chunk = self.job.read(resp, None).await?;
        if let Some(c) = &chunk {
            self.capture.borrow_mut().keep_output(c);
        }
        Ok(chunk)
    }

    /// Sends `req` and prints its answer: to stdout, or a 2xx body to `file`.
    pub(crate) async fn run(&self, req: &Request, file: Option<OutputFile>) -> anyhow::Result<()> {
        if let Some(s) = self.spinner {
            // Ctrl-C is caught by now (see client::block_on): the spinner can always be cleared.
            crate::ui::progress::start(s);
        }
        let job = self.job;
        if let Some(text) = job.trace_request(req, "") {
            self.say(&text);
        }
        let started = Instant::now();
        let resp = job.send(req).await?;
        let status = resp.status().as_u16();
        self.capture.borrow_mut().status = Some(status);
        let ok = resp.status().is_success();
        let head = super::head(&resp);
        if let Some(text) = job.trace_response(&head, "") {
            self.say(&text);
        }

        let answer = Answer {
            resp,
            head,
            status,
            started,
        };
        match ok {
            true => self.success(answer, file).await,
            false => self.failure(answer, file).await,
        }
    }

    /// An error answer goes to stdout (scripts read it), never to -o; the key is masked in it.
    /// Piped, it streams; for a person it is pretty when it fits the buffer.
    async fn failure(&self, answer: Answer, file: Option<OutputFile>) -> anyhow::Result<()> {
        let Answer {
            mut resp,
            head,
            status,
            started,
        } = answer;
        let (job, term) = (self.job, self.ui.term());
        let mut out = Target::Stdout(self.ui);
        if self.out.include {
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
            self.ui.tell(&format!(
                "{} was left as it was; the error answer went to stdout",
                file.path().display()
            ));
        }
        Err(Error::Status {
            status,
            reason: crate::output::reason::status_reason(status, &prefix, &|t| job.masked(t)),
        }
        .into())
    }

    /// A 2xx answer: streamed, laid out, filtered, or read event by event, to stdout or `-o`.
    async fn success(&self, answer: Answer, file: Option<OutputFile>) -> anyhow::Result<()> {
        let Answer {
            mut resp,
            head,
            status,
            started,
        } = answer;
        let (job, term, opts_out) = (self.job, self.ui.term(), self.out);
        let to_file = file.is_some();
        let events = super::is_events(&resp);
        let mut sink = match (events, &job.jq, to_file) {
            (true, _, _) => Sink::Events(sse::Parser::default()),
            (false, Some(_), _) => Sink::Hold(None),
            (false, None, false) if term.layout().is_some() => Sink::Hold(term.layout()),
            _ => Sink::Stream,
        };
        let color = term.stdout_color && !to_file;
        let render = Render {
            raw: opts_out.raw,
            compact: opts_out.compact,
            color,
        };
        let mut out = match file {
            Some(f) => Target::File(f),
            None => Target::Stdout(self.ui),
        };
        if opts_out.include {
            out.write(head.as_bytes())?;
        }
        let mut seen = self.expect.map(|_| Seen::default());
        let body = self
            .read(&mut resp, &mut sink, &mut out, render, seen.as_mut())
            .await?;
        if let Some(s) = self.spinner {
            s.finish_and_clear();
        }
        // Checked on the answer as received (before --jq), said after it is printed.
        let unmet = match (self.expect, seen) {
            (Some(expect), Some(seen)) => {
                self.check(expect, &sink, &body, seen, events, started)
                    .await
            }
            _ => None,
        };
        let printed = match &out {
            Target::File(f) => format!("written to {}", f.path().display()),
            Target::Stdout(_) => "printed".to_owned(),
        };
        let finished = self.finish(sink, out, body, render, status, started).await;
        match unmet {
            Some(unmet) if finished.is_ok() => Err(AnswerShown(format!(
                "{unmet}; the run itself succeeded ({}) and its answer was {printed}",
                error::status_words(status)
            ))
            .into()),
            _ => finished,
        }
    }

    /// The expectations, on the whole answer as received: events as the array of their data.
    async fn check(
        &self,
        expect: &Expectations,
        sink: &Sink,
        body: &[u8],
        seen: Seen,
        events: bool,
        started: Instant,
    ) -> Option<crate::expect::Unmet> {
        let whole = match sink {
            Sink::Hold(_) if !events => body,
            _ if seen.over => {
                return Some(crate::expect::Unmet {
                    expectation: expect.describe(),
                    why: format!(
                        "the answer is larger than {}, the most held to check ({})",
                        limits::show_size(self.job.limit as u64),
                        limits::BUFFER_ENV
                    ),
                });
            }
            _ => &seen.bytes,
        };
        self.job.judge(expect, whole, events, started).await
    }

    /// Reads the answer into `sink`: written as it comes, or held (returned).
    async fn read(
        &self,
        resp: &mut reqwest::Response,
        sink: &mut Sink,
        out: &mut Target<'_>,
        render: Render,
        mut seen: Option<&mut Seen>,
    ) -> anyhow::Result<Vec<u8>> {
        let job = self.job;
        let mut body = Vec::new();
        while let Some(chunk) = self.next(resp).await? {
            if out.gone() {
                // `| head` has what it wanted: stop reading, quietly.
                break;
            }
            if let Some(seen) = seen.as_deref_mut()
                && !matches!(sink, Sink::Hold(_))
            {
                seen.keep(&chunk, job.limit);
            }
            match sink {
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
                    self.ui.warn(&format!(
                        "the answer is larger than {}; printing it as received",
                        limits::show_size(job.limit as u64)
                    ));
                    out.write(&std::mem::take(&mut body))?;
                    out.write(&chunk)?;
                    *sink = Sink::Stream;
                    if let Some(seen) = seen.as_deref_mut() {
                        seen.over = true;
                    }
                }
            }
        }
        Ok(body)
    }

    /// A held answer laid out or filtered, `-o` committed, the status line said. A filter
    /// that fails leaves the unfiltered answer where its result would have gone.
    async fn finish(
        &self,
        sink: Sink,
        mut out: Target<'_>,
        mut body: Vec<u8>,
        render: Render,
        status: u16,
        started: Instant,
    ) -> anyhow::Result<()> {
        let (job, term) = (self.job, self.ui.term());
        let mut failed = None;
        match (&sink, &job.jq) {
            (Sink::Hold(Some(layout)), _) => {
                out.write(&render_body(&body, *layout, term.stdout_color))?
            }
            (Sink::Hold(None), Some(jq)) => {
                let whole = bytes::Bytes::from(std::mem::take(&mut body));
                match job.filter(jq, whole.clone(), render, started).await {
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
        let written = match &out {
            Target::File(f) => Some((f.path().to_owned(), f.written())),
            Target::Stdout(_) => None,
        };
        out.finish()?;
        self.finish_status(status, started);
        if let Some((path, bytes)) = written {
            self.ui
                .status(&format!("written to {} ({bytes} bytes)", path.display()));
        }
        Ok(())
    }

    /// The status line on stderr; not with `--include`, whose head on stdout says it already.
    fn finish_status(&self, status: u16, started: Instant) {
        if let Some(s) = self.spinner {
            s.finish_and_clear();
        }
        if self.out.include {
            return;
        }
        self.ui.status(&output::status_line(
            status,
            started.elapsed(),
            self.ui.term().stderr_color,
        ));
    }
}

/// A run that failed after its whole answer was shown (an unmet expectation): nothing more
/// of it is worth pointing at.
#[derive(Debug)]
pub(crate) struct AnswerShown(String);

impl std::fmt::Display for AnswerShown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for AnswerShown {}

/// A held body laid out for a person; what is not JSON is printed as it is.
fn render_body(body: &[u8], layout: Layout, color: bool) -> Vec<u8> {
    let shown = match layout {
        Layout::Pretty => output::pretty_json(body, color),
        other => output::reformat(body, other, color),
    };
    shown.unwrap_or_else(|| body.to_vec())
}
