//! `miiflow history stats`: per agent or workflow, how its recorded runs went — a table and a
//! latency histogram on a terminal, JSON otherwise.

use crate::cli::HistoryStatsArgs;
use crate::context::Context;
use crate::history::{History, Stat, since_ms, time_text};
use crate::output::safe::escape_controls;
use crate::report::latency::{bars, show_ms};

pub(crate) fn run(ctx: &Context, args: &HistoryStatsArgs) -> anyhow::Result<()> {
    let history = History::open_existing()?;
    let target = ctx.target_id(args.agent.as_deref());
    let stats = history.stats(target.as_deref(), args.since.map(since_ms))?;
    if args.json || !ctx.ui.term().stdout_tty {
        let list: Vec<serde_json::Value> = stats.iter().map(json).collect();
        let mut text = serde_json::to_vec_pretty(&list)?;
        text.push(b'\n');
        return Ok(ctx.ui.out(&text)?);
    }
    if stats.is_empty() {
        ctx.ui.say("No runs recorded (that match).");
        return Ok(());
    }
    Ok(ctx.ui.out(table(&stats).as_bytes())?)
}

fn json(s: &Stat) -> serde_json::Value {
    let ms = |q: f64| s.latency.ms(q).map(|v| (v * 1000.0).round() / 1000.0);
    serde_json::json!({
        "kind": s.target.kind(),
        "target": s.target.id(),
        "runs": s.runs,
        "failed": s.failed,
        "failure_rate": rate(s),
        "latency_ms": { "p50": ms(0.5), "p95": ms(0.95), "p99": ms(0.99), "max": s.latency.max_ms() },
        "last_run": time_text(s.last_ms),
    })
}

fn rate(s: &Stat) -> f64 {
    (s.failed as f64 / s.runs.max(1) as f64 * 10_000.0).round() / 10_000.0
}

/// The table, then the latency histogram of every run it counts (of the one agent's, when
/// there is one).
fn table(stats: &[Stat]) -> String {
    let mut text = format!(
        "{:<28}  {:>7}  {:>6}  {:>6}  {:>8}  {:>8}  {:>8}  {}\n",
        "AGENT / WORKFLOW", "RUNS", "FAILED", "RATE", "P50", "P95", "P99", "LAST RUN (UTC)"
    );
    let mut all = crate::report::latency::Latency::default();
    for s in stats {
        let mut target = escape_controls(s.target.id()).into_owned();
        if target.chars().count() > 28 {
            target = target.chars().take(27).collect::<String>() + "…";
        }
        let p = |q: f64| s.latency.ms(q).map_or("-".to_owned(), show_ms);
        text.push_str(&format!(
            "{target:<28}  {:>7}  {:>6}  {:>5.1}%  {:>8}  {:>8}  {:>8}  {}\n",
            s.runs,
            s.failed,
            rate(s) * 100.0,
            p(0.5),
            p(0.95),
            p(0.99),
            time_text(s.last_ms)
        ));
        all.add(&s.latency);
    }
    text.push_str(&format!("\nLatency of {} run(s):\n", all.count()));
    for row in bars(&all, 40) {
        text.push_str(&format!("  {row}\n"));
    }
    text
}
