//! `miiflow mcp serve`: an MCP server on stdio (the official Rust SDK, `rmcp`) whose tools are
//! the profile's aliases. Every call runs through the engine's [`Job`]: the same key (from
//! the keyring, never in any client's config), base URL, retries, pace and limits as
//! `miiflow run`. stdout carries only protocol messages; diagnostics go to stderr.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    ListToolsResult, PaginatedRequestParams, ProgressNotificationParam, ServerCapabilities,
    ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value};
use tokio::sync::Semaphore;

use super::tools::ToolDef;
use crate::engine::{self, Called, Collect, Job, Plan};
use crate::error::{self, Error, code};
use crate::history::{Entry, Recorder};
use crate::limits;
use crate::output::safe::{Mask, Quoted};
use crate::request::Request;
use crate::ui::Ui;

/// How often a call in flight reports progress, when the client asked for it.
/// How much of an error answer a tool error quotes, in characters.
const QUOTED: usize = 2048;

const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// The server: its tools and what every call is sent with.
pub(crate) struct Server {
    pub(crate) tools: Vec<ToolDef>,
    pub(crate) job: Job,
    /// The server and profile every call goes to.
    pub(crate) plan: Plan,
    /// Where calls are recorded: queued, so that recording never holds a call, its answer or
    /// its slot.
    pub(crate) history: Recorder,
    /// Calls in flight; more wait their turn.
    pub(crate) slots: Arc<Semaphore>,
    /// Stopping at once (a second signal, the drain's deadline).
    pub(crate) halt: Arc<Halt>,
    pub(crate) call_timeout: Duration,
    pub(crate) ui: Ui,
    /// How the history names the transport: `mcp` (stdio) or `mcp-http`.
    pub(crate) via: &'static str,
}

/// How long a stop at once waits for the calls it ends to be recorded (and, over HTTP,
/// answered): bounded, as a client that does not read could hold them.
pub(crate) const HALT_WAIT: Duration = Duration::from_secs(5);

/// Stopping at once: every call in flight ends now, recorded as stopped by the signal (its
/// client told so, when its connection is still there); calls waiting for a slot never start.
pub(crate) struct Halt {
    token: tokio_util::sync::CancellationToken,
    /// The signal's exit code, for the calls' records.
    code: AtomicU8,
    slots: Arc<Semaphore>,
    size: u32,
}

impl Halt {
    /// For a server whose calls take `size` slots of `slots`.
    pub(crate) fn new(slots: &Arc<Semaphore>, size: u32) -> Arc<Halt> {
        Arc::new(Halt {
            token: tokio_util::sync::CancellationToken::new(),
            code: AtomicU8::new(code::INTERRUPTED),
            slots: slots.clone(),
            size,
        })
    }

    /// Ends every call in flight as stopped by `signal`; returns once each has been recorded
    /// (a call gives its slot back after its record is queued).
    pub(crate) async fn now(&self, signal: &Error) {
        self.code.store(error::code_of(signal), Ordering::SeqCst);
        self.token.cancel();
        let _ = self.slots.acquire_many(self.size).await;
    }
}

/// The server shared by the HTTP transport's sessions and stateless calls (one queue of
/// slots, one pace, one history for all).
#[derive(Clone)]
pub(crate) struct Shared(pub(crate) Arc<Server>);

/// How a call ended, before it is a tool result.
enum Ended {
    Answer {
        status: u16,
        body: Vec<u8>,
    },
    /// No whole answer; `status` when the server had answered (the run happened).
    Failed {
        error: Error,
        status: Option<u16>,
    },
    TimedOut,
    Cancelled,
    /// The server was stopped at once, by a signal with this exit code.
    Halted(u8),
}

impl Server {
    /// Serves on stdin/stdout until the client closes them (or a signal).
    pub(crate) async fn run(self) -> anyhow::Result<()> {
        let tools = self.tools.len();
        let ui = self.ui.clone();
        let (transport, written) = super::stdio::transport(ui.clone());
        let running = match self.serve(transport).await {
            Ok(running) => running,
            // stdin ended before anything was asked (Ctrl-D at a terminal): nothing to do.
            Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => return Ok(()),
            Err(e) => {
                anyhow::bail!("mcp: the client's first message was not an MCP handshake: {e}")
            }
        };
        if !ui.quiet() {
            ui.tell(&format!("mcp: serving {tools} tool(s) on stdio"));
        }
        running.waiting().await?;
        // The SDK has let go of its end: the last answers are on stdout once this ends.
        let _ = written.await;
        Ok(())
    }

    /// The input a call sends: the alias's items, the arguments merged over them (an
    /// argument replaces the item of the same top-level key).
    fn input(&self, def: &ToolDef, args: Map<String, Value>) -> Result<Vec<u8>, Error> {
        let mut warn = |m: String| self.ui.warn(&m);
        let items = crate::input::parse_items(&def.items, &mut warn)?;
        let defaults = crate::input::build(None, &items, &mut warn)?;
        let mut object = match serde_json::from_slice::<Value>(&defaults) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Err(Error::BadInput(format!(
                    "the alias '{}' does not build a JSON object from its items",
                    def.alias
                )));
            }
        };
        for (k, v) in args {
            object.insert(k, v);
        }
        Ok(serde_json::to_vec(&Value::Object(object)).expect("a value serialises"))
    }

    /// Sends the run and reads its answer, the history entry filled in as it goes.
    async fn exchange(&self, req: &Request, entry: &mut Entry) -> Result<(u16, Vec<u8>), Error> {
        let too_big = || {
            Error::Network(format!(
                "the answer is larger than {}, the most a tool result holds",
                limits::show_size(limits::MAX_BATCH_BODY as u64)
            ))
        };
        // No -v here: stderr is the client's log.
        let collect = Collect {
            max: limits::MAX_BATCH_BODY,
            too_big: &too_big,
            prefix: "",
            say: &|_| {},
        };
        let Called { fetched, .. } = self.job.call(req, Some(entry), &collect, None).await?;
        let body = match fetched.events {
            true => crate::output::embed_events(&fetched.body),
            false => fetched.body,
        };
        Ok((fetched.status, body))
    }

    /// One call: checked, waited for a slot, run within the per-call timeout (with progress
    /// notifications when asked for), stopped by `notifications/cancelled`, recorded.
    async fn call(
        &self,
        def: &ToolDef,
        args: Map<String, Value>,
        ctx: &RequestContext<RoleServer>,
    ) -> CallToolResult {
        if let Err(why) = def.check(&args) {
            return error_result(format!(
                "{why} (the tool '{}' takes: {})",
                def.name,
                def.params_text()
            ));
        }
        let input = match self.input(def, args) {
            Ok(input) => input,
            Err(e) => return error_result(e.to_string()),
        };
        let origin = &self.plan.origin;
        let req = Request::run(&origin.base, &def.target, input);
        let mut entry = engine::entry(&origin.profile, &origin.base, &req, &def.target);
        entry.via = Some(format!("{}:{}", self.via, def.name));
        let slot = tokio::select! {
            slot = self.slots.acquire() => slot.expect("the semaphore is never closed"),
            () = ctx.ct.cancelled() => return error_result("cancelled by the client before it ran".into()),
            () = self.halt.token.cancelled() => return error_result("The server is stopping: the call was not run.".into()),
        };
        let started = Instant::now();
        let ticker = ctx.meta.get_progress_token().map(|token| {
            let peer = ctx.peer.clone();
            let what = format!("{} {}", def.target.kind(), def.target.id());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(PROGRESS_EVERY);
                tick.tick().await;
                loop {
                    tick.tick().await;
                    let secs = started.elapsed().as_secs_f64();
                    let mut p = ProgressNotificationParam::new(token.clone(), secs.floor());
                    p.message = Some(format!("running {what}: {secs:.0} s"));
                    if peer.notify_progress(p).await.is_err() {
                        return;
                    }
                }
            })
        });
        let ended = tokio::select! {
            done = tokio::time::timeout(self.call_timeout, self.exchange(&req, &mut entry)) => {
                match done {
                    Ok(Ok((status, body))) => Ended::Answer { status, body },
                    Ok(Err(error)) => Ended::Failed { error, status: entry.status },
                    Err(_) => Ended::TimedOut,
                }
            }
            // Dropping the exchange aborts the HTTP request.
            () = ctx.ct.cancelled() => Ended::Cancelled,
            () = self.halt.token.cancelled() => Ended::Halted(self.halt.code.load(Ordering::SeqCst)),
        };
        if let Some(t) = ticker {
            t.abort();
        }
        let result = self.result(def, &ended);
        let exit = match &ended {
            Ended::Answer { status, .. } => error::status_code(*status),
            Ended::Failed { error, .. } => error::code_of(error),
            Ended::TimedOut => code::NETWORK,
            Ended::Cancelled => code::INTERRUPTED,
            Ended::Halted(code) => *code,
        };
        // The error's words are the tool result's own (already masked).
        let why = (exit != code::OK)
            .then(|| result.content.first().and_then(|c| c.as_text()))
            .flatten()
            .map(|t| t.text.clone());
        entry.finish(started.elapsed(), exit, why, &self.job.key);
        // Queued: the answer never waits on the history.
        let _ = self.history.record(entry, false);
        // The next call may start (and a halt knows this one is recorded).
        drop(slot);
        result
    }

    /// The tool result: a 2xx answer as text (and as structured content when it is a JSON
    /// object); anything else an error in words. The key is masked in all of it.
    fn result(&self, def: &ToolDef, ended: &Ended) -> CallToolResult {
        let masked = |text: &str| self.job.masked(text);
        match ended {
            Ended::Answer { status, body } if (200..300).contains(status) => {
                // An answer that does not fit the alias's output schema: a tool error saying
                // where (the check `--expect-schema` makes).
                if let Some(output) = &def.output
                    && let Err(unmet) = output.check.check_now(body, &self.job.key.mask())
                {
                    return error_result(masked(&format!(
                        "The run's answer does not fit the tool's output schema: {unmet}. The \
                         agent ran: calling again runs it again."
                    )));
                }
                let text = masked(&String::from_utf8_lossy(body));
                let mut result = CallToolResult::success(vec![ContentBlock::text(text.clone())]);
                if let Ok(Value::Object(object)) = serde_json::from_str::<Value>(&text) {
                    result.structured_content = Some(Value::Object(object));
                }
                result
            }
            Ended::Answer { status, body } => error_result(refused(
                *status,
                body,
                def,
                &self.plan.origin.profile,
                &self.job.key.mask(),
            )),
            // The server answered: the agent ran, whatever happened to its answer after.
            Ended::Failed {
                error,
                status: Some(status),
            } => error_result(masked(&format!(
                "The run was answered ({}) but {error}. The agent ran: calling again runs it \
                 again.",
                error::status_words(*status)
            ))),
            Ended::Failed {
                error,
                status: None,
            } => error_result(masked(&format!(
                "The run did not get an answer: {error}. It may have run on Miiflow's side all \
                 the same; calling again is safe only when the error says the connection was \
                 refused (nothing was sent)."
            ))),
            Ended::TimedOut => error_result(format!(
                "The run took longer than {} s (the per-call timeout, `mcp serve --timeout`); it \
                 may still finish on Miiflow's side.",
                self.call_timeout.as_secs()
            )),
            Ended::Cancelled => error_result("Cancelled by the client.".into()),
            Ended::Halted(_) => error_result(
                "The server was stopped before the run answered; it may have run on Miiflow's \
                 side all the same."
                    .into(),
            ),
        }
    }
}

/// A tool error for an error answer: its reason, what to do, and the start of the answer, the
/// key masked in all of it.
pub(crate) fn refused(
    status: u16,
    body: &[u8],
    def: &ToolDef,
    profile: &str,
    mask: &Mask,
) -> String {
    let reason = crate::output::reason::status_reason(status, body, &|t| mask.apply(t));
    let advice = advice(status, def, profile);
    let answer = Quoted::start_of(body, QUOTED, mask);
    format!("{reason}. {advice}\n\nThe answer: {answer}")
}

fn error_result(text: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(text)])
}

/// What an error status means for whoever called the tool, and what to do.
fn advice(status: u16, def: &ToolDef, profile: &str) -> String {
    match status {
        401 => format!(
            "Miiflow refused the API key. The person running this server can check it with \
             `miiflow status --profile {profile}` and log in again with `miiflow login`."
        ),
        403 => "The API key may not run this: keys can be scoped to workflows and operations. \
                Use a key that covers it."
            .into(),
        404 => format!(
            "Miiflow has no {} '{}' (or the base URL is wrong): check the alias '{}' with \
             `miiflow agents list`.",
            def.target.kind(),
            def.target.id(),
            def.alias
        ),
        429 => "Miiflow's rate limit was reached (the retries included); wait a little and \
                call again."
            .into(),
        500..=599 => "Miiflow failed to run it; calling again later may work.".into(),
        _ => "The request was refused; check the arguments.".into(),
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("miiflow", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Each tool runs a Miiflow agent or workflow with the arguments given and returns \
                 its answer (JSON). Runs may take a while and may cost money: call a tool once \
                 per question.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.tools.iter().map(ToolDef::to_tool).collect(),
        ))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools
            .iter()
            .find(|t| t.name == name)
            .map(ToolDef::to_tool)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(def) = self.tools.iter().find(|t| t.name == request.name) else {
            return Err(ErrorData::invalid_params(
                format!("no tool named '{}'", request.name),
                None,
            ));
        };
        let args = request.arguments.unwrap_or_default();
        Ok(self.call(def, args, &context).await.into())
    }
}

impl ServerHandler for Shared {
    fn get_info(&self) -> ServerConfig {
        self.0.get_info()
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        self.0.list_tools(request, context).await
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.0.get_tool(name)
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        self.0.call_tool(request, context).await
    }
}
