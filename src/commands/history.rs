//! `miiflow history [list|show|rerun|clear]`: the runs recorded on this machine.

use crate::cli::{
    HistoryArgs, HistoryClearArgs, HistoryCommand, HistoryListArgs, HistoryRerunArgs,
    HistoryShowArgs,
};
use crate::context::Context;
use crate::engine::single::{self, Given, Single, What};
use crate::engine::{Asked, Expect};
use crate::error::Error;
use crate::history::{self, Filter, History, Row};
use crate::output;
use crate::output::safe::escape_controls;

pub(crate) fn run(ctx: &Context, args: HistoryArgs) -> anyhow::Result<()> {
    match args.command {
        None => list(ctx, &args.list),
        Some(HistoryCommand::List(a)) => list(ctx, &a),
        Some(HistoryCommand::Show(a)) => show(ctx, &a),
        Some(HistoryCommand::Rerun(a)) => rerun(ctx, a),
        Some(HistoryCommand::Clear(a)) => clear(ctx, &a),
        // Its own command file: dispatched from commands/mod.rs.
        Some(HistoryCommand::Stats(_)) => unreachable!("history stats is dispatched apart"),
    }
}

fn list(ctx: &Context, args: &HistoryListArgs) -> anyhow::Result<()> {
    let history = History::open_existing()?;
    let target = ctx.target_id(args.agent.as_deref());
    let rows = history.list(&Filter {
        limit: args.limit,
        target,
        failed: args.failed,
        since_ms: args.since.map(history::since_ms),
    })?;
    if args.json || !ctx.ui.term().stdout_tty {
        let list: Vec<serde_json::Value> = rows.iter().map(summary).collect();
        let mut text = serde_json::to_vec_pretty(&list)?;
        text.push(b'\n');
        return Ok(ctx.ui.out(&text)?);
    }
    if rows.is_empty() {
        ctx.ui.say("No runs recorded (that match).");
        return Ok(());
    }
    let mut text = format!(
        "{:>6}  {:<20}  {:<28}  {:>6}  {:>4}  {:>9}  {}\n",
        "ID", "TIME (UTC)", "AGENT / WORKFLOW", "STATUS", "EXIT", "DURATION", "RUN ID"
    );
    for r in &rows {
        let mut target = escape_controls(r.target.id()).into_owned();
        // A run an AI assistant asked for (`miiflow mcp serve`) is marked.
        if let Some(via) = &r.via {
            target = format!("{} ({})", target, escape_controls(via));
        }
        if target.chars().count() > 28 {
            target = target.chars().take(27).collect::<String>() + "…";
        }
        text.push_str(&format!(
            "{:>6}  {:<20}  {:<28}  {:>6}  {:>4}  {:>8.2}s  {}\n",
            r.id,
            r.time(),
            target,
            r.status.map_or("-".to_owned(), |s| s.to_string()),
            r.exit,
            r.duration_ms as f64 / 1000.0,
            r.run_id
                .as_deref()
                .map_or(String::new(), |id| escape_controls(id).into_owned()),
        ));
    }
    Ok(ctx.ui.out(text.as_bytes())?)
}

/// An entry for scripts: everything but the bytes (sizes instead).
/// `history show` for scripts: the summary's fields, then the input and the answer.
#[derive(serde::Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    summary: serde_json::Value,
    input: Embedded<'a>,
    output: Embedded<'a>,
}

/// Recorded bytes in the JSON of `history show`: as the JSON they are, untouched (not read
/// into a value: with arbitrary precision an object keyed `$serde_json::private::Number` would
/// read as a number), or as a string when they are not JSON.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Embedded<'a> {
    Json(&'a serde_json::value::RawValue),
    Text(String),
}

impl<'a> Embedded<'a> {
    fn of(bytes: &'a [u8]) -> Embedded<'a> {
        match serde_json::from_slice::<&serde_json::value::RawValue>(bytes) {
            Ok(raw) => Embedded::Json(raw),
            Err(_) => Embedded::Text(String::from_utf8_lossy(bytes).into_owned()),
        }
    }
}

fn summary(r: &Row) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "time": r.time(),
        "profile": r.profile,
        "base_url": r.base_url,
        "endpoint": r.endpoint,
        "kind": r.target.kind(),
        "target": r.target.id(),
        "status": r.status,
        "exit": r.exit,
        "duration_ms": r.duration_ms,
        "run_id": r.run_id,
        "error": r.error,
        "input_bytes": r.input_bytes,
        "input_cut": r.input_cut,
        "output_bytes": r.output_bytes,
        "output_cut": r.output_cut,
        "batch": r.batch,
        "batch_line": r.batch_line,
        "expect": r.expect,
        "via": r.via,
    })
}

fn get(history: &History, id: i64) -> anyhow::Result<Row> {
    history.get(id)?.ok_or_else(|| {
        Error::BadInput(format!(
            "no history entry {id}: `miiflow history` lists them"
        ))
        .into()
    })
}

/// Bytes as stored; on a terminal, JSON laid out and coloured.
fn shown(ctx: &Context, bytes: &[u8]) -> Vec<u8> {
    match ctx.ui.term().layout() {
        Some(output::Layout::Pretty) => {
            output::pretty_json(bytes, ctx.ui.term().stdout_color).unwrap_or_else(|| bytes.to_vec())
        }
        Some(layout) => output::reformat(bytes, layout, ctx.ui.term().stdout_color)
            .unwrap_or_else(|| bytes.to_vec()),
        None => bytes.to_vec(),
    }
}

fn show(ctx: &Context, args: &HistoryShowArgs) -> anyhow::Result<()> {
    let history = History::open_existing()?;
    let row = get(&history, args.id)?;
    let cut = |what: &str, cut: bool| {
        if cut {
            ctx.ui.note(&format!(
                "the {what} was longer than history keeps; this is its beginning"
            ));
        }
    };
    if args.input {
        cut("input", row.input_cut);
        return Ok(ctx.ui.out(&shown(ctx, &row.input))?);
    }
    if args.output {
        cut("answer", row.output_cut);
        return Ok(ctx.ui.out(&shown(ctx, &row.output))?);
    }
    // The whole entry: JSON for scripts (input and answer embedded as JSON, byte for byte,
    // when they are JSON; else as a string), a summary then both for a person.
    if !ctx.ui.term().stdout_tty {
        let entry = Shown {
            summary: summary(&row),
            input: Embedded::of(&row.input),
            output: Embedded::of(&row.output),
        };
        let mut text = serde_json::to_vec(&entry)?;
        text.push(b'\n');
        return Ok(ctx.ui.out(&text)?);
    }
    let mut text = format!(
        "Run {} · {} · profile {} · {} · {}\n{} · {} · exit {} · {:.2} s{}\n",
        row.id,
        row.time(),
        escape_controls(&row.profile),
        escape_controls(&row.base_url),
        escape_controls(&row.endpoint),
        row.status
            .map_or("no answer".to_owned(), crate::error::status_words),
        escape_controls(row.target.id()),
        row.exit,
        row.duration_ms as f64 / 1000.0,
        row.run_id
            .as_deref()
            .map_or(String::new(), |id| format!(" · {}", escape_controls(id))),
    );
    if let Some(via) = &row.via {
        text.push_str(&format!("via: {}\n", escape_controls(via)));
    }
    if let Some(e) = &row.expect {
        text.push_str(&format!("expected: {}\n", escape_controls(e)));
    }
    if let Some(e) = &row.error {
        text.push_str(&format!("error: {}\n", escape_controls(e)));
    }
    text.push_str("\nInput:\n");
    ctx.ui.out(text.as_bytes())?;
    ctx.ui.out(&shown(ctx, &row.input))?;
    ctx.ui.out(b"\nAnswer:\n")?;
    ctx.ui.out(&shown(ctx, &row.output))?;
    cut("input", row.input_cut);
    cut("answer", row.output_cut);
    Ok(())
}

fn rerun(ctx: &Context, args: HistoryRerunArgs) -> anyhow::Result<()> {
    let row = get(&History::open_existing()?, args.id)?;
    if row.input_cut {
        return Err(Error::BadInput(format!(
            "history entry {}: its input was longer than history keeps, so it cannot be run again",
            row.id
        ))
        .into());
    }
    // The recorded target exactly (today's aliases do not apply) and the recorded input, the
    // items merged over it.
    let single = Single {
        what: What::Run(row.target),
        items: &args.items,
        given: Given::Recorded(row.id, row.input),
        act: args.out.act(),
        shown: args.out.shown(),
        asked: Asked {
            net: args.net.net(),
            jq: args.out.jq.clone(),
            // Checked as the run was: its recorded expectations apply again.
            expect: match row.expect {
                Some(text) => Expect::Recorded { id: row.id, text },
                None => Expect::None,
            },
            no_history: args.no_history,
        },
    };
    single::run(ctx, single)
}

fn clear(ctx: &Context, args: &HistoryClearArgs) -> anyhow::Result<()> {
    let mut history = History::open_existing()?;
    let what = match args.older_than {
        Some(d) => format!(
            "every recorded run older than {}",
            crate::duration::words(d)
        ),
        None => "every recorded run".to_owned(),
    };
    if !args.yes {
        if !ctx.ui.term().stdin_tty {
            return Err(Error::BadInput(format!(
                "this deletes {what}; pass --yes to confirm without a terminal"
            ))
            .into());
        }
        if !ctx.ui.confirm(&format!("Delete {what}?"))? {
            ctx.ui.say("Nothing deleted.");
            return Ok(());
        }
    }
    let n = history.clear(args.older_than.map(history::since_ms))?;
    ctx.ui.say(&format!("Deleted {n} recorded run(s)."));
    Ok(())
}
