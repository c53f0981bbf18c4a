//! A plan: what a command asked for, in the engine's own types, resolved once before anything
//! is sent (ripgrep's `HiArgs`). The command turns its clap arguments into an [`Asked`]; the
//! plan adds what the context says — the profile, the server and where its address came from,
//! the key (looked up once, its mask handed to the Ui), the buffer limit, the history folder —
//! and every refusal that can be made before sending is made while it is built.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;

use crate::context::Context;
use crate::credentials::Resolved;
use crate::error::Error;
use crate::expect::Expectations;
use crate::limits;
use crate::output::Jq;

/// How requests are sent: `--connect-timeout`, `--timeout`, `--retries`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Net {
    pub(crate) connect_timeout: Duration,
    /// What a run may take in all, retries included; `None`: no limit.
    pub(crate) timeout: Option<Duration>,
    /// `--timeout` was given (a quota pause longer than it fails a line instead of waiting).
    pub(crate) timeout_given: bool,
    pub(crate) retries: u32,
}

impl Net {
    /// The key API's: short, and never retried (a create is not repeated on a doubt).
    pub(crate) const KEY_API: Net = Net {
        connect_timeout: Duration::from_secs(10),
        timeout: Some(Duration::from_secs(30)),
        timeout_given: true,
        retries: 0,
    };

    /// An MCP call's: its own per-call timeout bounds it, not a run's.
    pub(crate) fn mcp(retries: u32) -> Net {
        Net {
            connect_timeout: Duration::from_secs(10),
            timeout: None,
            timeout_given: true,
            retries,
        }
    }
}

/// What is done with a request once it is built: sent, or shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Act {
    Send,
    /// `--curl`: the equivalent command, reading the key from the environment.
    Curl,
    /// `--dry-run`: the request that would be sent, the key masked.
    DryRun,
}

/// How `run` and `api` print an answer: `--include`, `-r`, `-c`, `-o FILE`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shown {
    pub(crate) include: bool,
    pub(crate) raw: bool,
    pub(crate) compact: bool,
    pub(crate) file: Option<PathBuf>,
}

/// The server and the key, resolved once: the active profile's base URL is checked first (a
/// refused URL is exit 2 before the keyring is asked for anything), then its key.
pub(crate) struct Origin {
    pub(crate) profile: String,
    pub(crate) base: Url,
    /// Where the base URL came from, in the words of an error message.
    pub(crate) source: String,
    pub(crate) key: Resolved,
}

impl Origin {
    pub(crate) fn resolve(ctx: &Context) -> anyhow::Result<Origin> {
        let profile = ctx.active_profile()?;
        let base = ctx.base_url(&profile)?;
        let key = ctx.resolve_key()?;
        Ok(Origin {
            source: ctx.base_url_source(&profile),
            profile,
            base,
            key,
        })
    }
}

/// `--jq`: compiled, and as written (part of a batch line's digest).
pub(crate) struct Filter {
    pub(crate) jq: Jq,
    pub(crate) text: String,
}

impl Filter {
    fn compile(text: Option<&str>) -> Result<Option<Filter>, Error> {
        text.map(|t| {
            Ok(Filter {
                jq: Jq::compile(t).map_err(Error::BadInput)?,
                text: t.to_owned(),
            })
        })
        .transpose()
    }
}

/// What a 2xx answer must be, as asked.
pub(crate) enum Expect {
    None,
    /// `--expect FILTER…`, `--expect-schema FILE`.
    Given {
        filters: Vec<String>,
        schema: Option<PathBuf>,
    },
    /// As history entry `id` recorded them (`history rerun` is checked as the run was).
    Recorded {
        id: i64,
        text: String,
    },
}

impl Expect {
    fn compile(self) -> anyhow::Result<Option<Expectations>> {
        match self {
            Expect::None => Ok(None),
            Expect::Given { filters, schema } => {
                Ok(Expectations::compile(&filters, schema.as_deref())?)
            }
            Expect::Recorded { id, text } => Expectations::from_described(&text).map_err(|e| {
                anyhow::Error::from(e).context(format!(
                    "history entry {id} cannot be checked as it was (run it from the folder it \
                     was run in, or run the agent again with `miiflow run`)"
                ))
            }),
        }
    }
}

/// What a command asks of the engine, in the engine's types (clap's end at `commands/`): the
/// command hands it over as given, and the engine checks it ([`Asked::check`]) before it
/// reads or sends anything.
pub(crate) struct Asked {
    pub(crate) net: Net,
    /// `--jq`, as written.
    pub(crate) jq: Option<String>,
    pub(crate) expect: Expect,
    /// `--no-history`.
    pub(crate) no_history: bool,
}

impl Asked {
    /// The expectations and the filter compiled: a bad one is exit 2 before anything is read.
    pub(crate) fn check(self) -> anyhow::Result<Checked> {
        Ok(Checked {
            expect: self.expect.compile()?,
            filter: Filter::compile(self.jq.as_deref())?,
            net: self.net,
            no_history: self.no_history,
        })
    }
}

/// What was asked, checked.
pub(crate) struct Checked {
    pub(crate) net: Net,
    pub(crate) filter: Option<Filter>,
    pub(crate) expect: Option<Expectations>,
    pub(crate) no_history: bool,
}

/// Everything a request is sent with, resolved once.
pub(crate) struct Plan {
    pub(crate) origin: Origin,
    pub(crate) net: Net,
    /// `-v` once: the request line and headers (key masked) and the answer's head; twice: the
    /// request body too.
    pub(crate) verbose: u8,
    pub(crate) filter: Option<Filter>,
    pub(crate) expect: Option<Expectations>,
    /// The most bytes held in memory at once for one answer (`MIIFLOW_MAX_BUFFER`).
    pub(crate) limit: usize,
    /// Where runs are recorded; `None`: the history is off.
    pub(crate) history: Option<PathBuf>,
}

impl Plan {
    /// The plan for `asked`: the buffer limit read, the server and key resolved, the history's
    /// folder found.
    pub(crate) fn resolve(ctx: &Context, asked: Checked) -> anyhow::Result<Plan> {
        let limit = limits::buffer()?;
        let origin = Origin::resolve(ctx)?;
        let history = ctx.history_dir(&origin.profile, asked.no_history);
        Ok(Plan {
            origin,
            net: asked.net,
            verbose: ctx.opts.verbose,
            filter: asked.filter,
            expect: asked.expect,
            limit,
            history,
        })
    }
}
