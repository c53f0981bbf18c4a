//! The work of one batch line: its input built from the record, the resume's decision, the
//! exchange through the engine's [`Job`], `--jq`, and its history entry.

use std::sync::Mutex;
use std::time::Instant;

use crate::engine::{self, Called, Collect, Fetched, Job, Plan};
use crate::error::{self, Error, code};
use crate::expect::Expectations;
use crate::history::Entry;
use crate::input::{self, Column, Prepared};
use crate::limits;
use crate::output::Render;
use crate::request::{Request, RunTarget};
use crate::results::journal::Resumed;
use crate::results::line::{
    Digest, Outcome, digest, embed, embed_events, one_value, record_digest,
};
use crate::results::records::Record;
use crate::ui::Ui;

/// `--jq`'s results in a result line: compact JSON.
const COMPACT: Render = Render {
    raw: false,
    compact: true,
    color: false,
};

/// What every line of the batch shares: the job, where it goes, the items and CSV columns to
/// build its input, and (with `-o`) what a resume keeps.
pub(super) struct Batch {
    pub(super) job: Job,
    /// The plan every line is sent by: its server, filter and expectations (both part of a
    /// line's digest), and whether lines are recorded.
    pub(super) plan: Plan,
    pub(super) target: RunTarget,
    pub(super) items: Vec<Prepared>,
    pub(super) columns: Option<Vec<Column>>,
    /// Results go to a file: each records its input's digest, and `--resume` decides here.
    pub(super) resumed: Option<Mutex<Resumed>>,
    /// Where the `-v` trace and warnings go (around the progress bar).
    pub(super) ui: Ui,
    /// The input's name, for history entries.
    pub(super) name: String,
    /// `--junit`: each line's test case is named by its input's `id` or `name`.
    pub(super) names: bool,
}

/// What one line's work did: its outcome, the digest of what it sent (for RESULTS), its
/// history entry, how long it ran (`None`: nothing was sent), and its input's `id`/`name`.
pub(super) struct Ran {
    pub(super) outcome: Outcome,
    pub(super) digest: Option<Digest>,
    pub(super) entry: Option<Entry>,
    pub(super) took: Option<std::time::Duration>,
    pub(super) name: Option<String>,
    /// The digest of the input record as read (with `-o`), see [`record_digest`].
    pub(super) record: Option<Digest>,
}

impl Ran {
    pub(super) fn failed(outcome: Outcome) -> Ran {
        Ran {
            outcome,
            digest: None,
            entry: None,
            took: None,
            name: None,
            record: None,
        }
    }
}

/// A test case's name from a line's input: its top-level `id` or `name` (a string or a
/// number), when it has one.
fn case_name(input: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        id: Option<serde_json::Value>,
        name: Option<serde_json::Value>,
    }
    let named: Named = serde_json::from_slice(input).ok()?;
    [named.id, named.name]
        .into_iter()
        .flatten()
        .find_map(|v| match v {
            serde_json::Value::String(s) => Some(s),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
}

impl Batch {
    /// Line `n`: its input, then (unless a resume keeps its recorded result) its run, and the
    /// history entry of the run.
    pub(super) async fn one(&self, n: u64, record: Record) -> Ran {
        // Debug builds only: a seam for the test that a panicking line is a failed line.
        #[cfg(debug_assertions)]
        if crate::env::var("MIIFLOW_DEBUG_PANIC_LINE").is_some_and(|v| v == n.to_string()) {
            panic!("line {n} panics (MIIFLOW_DEBUG_PANIC_LINE)");
        }
        let record_digest = self.resumed.as_ref().and_then(|_| record_digest(&record));
        let name = format!("line {n}");
        let bad = |error: String| Outcome::Failed {
            error,
            code: code::USAGE,
            sent: false,
        };
        let mut warnings = Vec::new();
        let built = match record {
            Record::Line(bytes) => match String::from_utf8(bytes) {
                Ok(text) => input::from_text(text, &name, &self.items, &mut |w| warnings.push(w)),
                Err(_) => Err(Error::BadInput(format!("{name}: invalid UTF-8"))),
            },
            Record::Row { at, cells } => input::from_row(
                self.columns.as_deref().unwrap_or_default(),
                &cells,
                n,
                at,
                &self.items,
                &mut |w| warnings.push(w),
            ),
            Record::Bad(why) | Record::End(why) => Err(Error::BadInput(why)),
        };
        let input = match built {
            Ok(input) => input,
            Err(e) => return Ran::failed(bad(e.to_string())),
        };
        let name = self.names.then(|| case_name(&input)).flatten();
        for w in warnings {
            self.ui.warn(&w);
        }
        let plan = &self.plan;
        let req = Request::run(&plan.origin.base, &self.target, input);
        let digest = self.resumed.as_ref().map(|_| {
            let expect = plan.expect.as_ref().map(Expectations::identity);
            digest(&req, plan.filter.as_ref().map(|f| f.text.as_str()), expect)
        });
        if let Some(resumed) = &self.resumed {
            let kept = resumed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .keep(n, digest.as_ref());
            if let Some(recorded) = kept {
                return Ran {
                    digest,
                    name,
                    record: record_digest,
                    ..Ran::failed(Outcome::Kept(recorded))
                };
            }
        }
        let mut entry = plan.history.as_ref().map(|_| {
            let mut e = engine::entry(&plan.origin.profile, &plan.origin.base, &req, &self.target);
            e.batch = Some((self.name.clone(), n));
            e.expect = plan.expect.as_ref().map(Expectations::describe);
            e
        });
        let started = Instant::now();
        let outcome = self
            .exchange(n, &req, entry.as_mut())
            .await
            .unwrap_or_else(|e| Outcome::Failed {
                // A failure may quote server data (a redirect's Location): the key is masked.
                error: self.job.masked(&e.to_string()),
                code: error::exit_code(&anyhow::Error::new(e)),
                sent: true,
            });
        let took = started.elapsed();
        if let Some(e) = &mut entry {
            e.finish(took, outcome.code(), outcome.why(), &self.job.key);
        }
        Ran {
            outcome,
            digest,
            entry,
            took: Some(took),
            name,
            record: record_digest,
        }
    }

    pub(super) async fn exchange(
        &self,
        n: u64,
        req: &Request,
        entry: Option<&mut Entry>,
    ) -> Result<Outcome, Error> {
        let job = &self.job;
        let too_big = || {
            Error::Network(format!(
                "the answer is larger than {}, the most a result line holds; run this input \
                 alone to get it",
                limits::show_size(limits::MAX_BATCH_BODY as u64)
            ))
        };
        let started = Instant::now();
        let prefix = format!("line {n}: ");
        let collect = Collect {
            max: limits::MAX_BATCH_BODY,
            too_big: &too_big,
            prefix: &prefix,
            say: &|text: &str| self.ui.err(text),
        };
        let Called {
            fetched:
                Fetched {
                    status,
                    events,
                    body,
                },
            unmet,
        } = job
            .call(req, entry, &collect, self.plan.expect.as_ref())
            .await?;
        let ok = (200..300).contains(&status);
        let body = match (events, ok) {
            (true, _) => embed_events(&body),
            (false, true) => embed(&body),
            // An error answer may echo the key: it is masked, as for a single run.
            (false, false) => embed(job.masked(&String::from_utf8_lossy(&body)).as_bytes()),
        };
        let (body, filter_error) = match (&job.jq, ok) {
            (Some(jq), true) => match job.filter(jq, body.clone().into(), COMPACT, started).await {
                Ok(result) => (one_value(&result), None),
                // jq's words may quote the value it choked on: the key is masked.
                Err(e) => (body, Some(job.masked(&e.to_string()))),
            },
            _ => (body, None),
        };
        Ok(Outcome::Answer {
            status,
            body,
            filter_error,
            // The answer may echo the key: the words naming what it yielded are masked.
            unmet: unmet.map(|u| job.masked(&u.to_string())),
        })
    }
}
