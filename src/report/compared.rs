//! The forms a diff is said in: the terminal's counts and table, `--json` (streamed: the
//! lines that differ, then the counts), `--junit` (one case a line that differs) and the CI
//! job summary's Markdown. Each renders the verdicts and the tally of [`crate::report::diff`]
//! and the text its [`Noted`] quoted; none judges, counts, masks or cuts on its own.

use std::io::{Read, Seek, Write};
use std::path::Path;

use crate::output::OutputFile;
use crate::report::diff::{FailOn, Kind, Met, Noted, Speed, Tally};
use crate::report::junit::xml;
use crate::report::latency::{Latency, show_ms};
use crate::report::summary::{md_cell, md_code};

/// How many lines of each group (regressed; the other differences) the table, the job
/// summary and the HTML page list.
pub(crate) const LISTED: usize = 20;

/// What the listing outputs keep of the lines that differ: the first [`LISTED`] regressed
/// and the first [`LISTED`] others, in line order.
#[derive(Default)]
pub(crate) struct Listed {
    pub(crate) regressed: Vec<(Noted, Option<String>)>,
    pub(crate) others: Vec<(Noted, Option<String>)>,
}

impl Listed {
    pub(crate) fn keep(&mut self, noted: &Noted, fields: Option<&str>) {
        let group = match noted.kind {
            Kind::Regressed => &mut self.regressed,
            _ => &mut self.others,
        };
        if group.len() < LISTED {
            group.push((noted.clone(), fields.map(str::to_owned)));
        }
    }
}

/// The words for a line's latency change: `1.8× slower`, `0.4× (faster)`.
pub(crate) fn speed_words(speed: Speed) -> Option<String> {
    match speed {
        Speed::Slower(r) => Some(format!("{r:.2}× slower")),
        Speed::Faster(r) => Some(format!("{r:.2}× faster")),
        _ => None,
    }
}

/// What a listed line is: its kind, the class of its failure, its latency change.
pub(crate) fn what(n: &Noted) -> String {
    let mut w = n.kind.words().to_owned();
    if let Some(class) = n.class {
        w.push_str(&format!(" ({})", class.words()));
    }
    if let Some(s) = speed_words(n.speed) {
        w = match n.kind {
            Kind::Unchanged => s,
            _ => format!("{w}, {s}"),
        };
    }
    w
}

/// The counts a diff ends with, in words, one kind a line (kinds with none are left out,
/// except the four a reader looks for).
pub(crate) fn counts_in_words(t: &Tally) -> Vec<String> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let n = t.of(kind);
        if n > 0
            || matches!(
                kind,
                Kind::Regressed | Kind::Fixed | Kind::Changed | Kind::Unchanged
            )
        {
            let mut line = format!("{:>9} {}", n, kind.words());
            if kind == Kind::Regressed && !t.regressed_by_class.is_empty() {
                let by: Vec<String> = t
                    .regressed_by_class
                    .iter()
                    .map(|(c, n)| format!("{n} {}", c.words()))
                    .collect();
                line.push_str(&format!(" ({})", by.join(", ")));
            }
            out.push(line);
        }
    }
    out.push(format!("{:>9} slower, {} faster", t.slower, t.faster));
    out
}

/// `p50 120 ms → 180 ms (1.50×)`, for each quantile both runs have.
pub(crate) fn latency_in_words(t: &Tally) -> Vec<String> {
    let q = |l: &Latency, q: f64| l.ms(q).map(show_ms).unwrap_or_else(|| "–".into());
    [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)]
        .iter()
        .map(|(name, quantile)| {
            let ratio = t
                .ratio(*quantile)
                .map(|r| format!(" ({r:.2}×)"))
                .unwrap_or_default();
            format!(
                "{name} {} → {}{ratio}",
                q(&t.base_latency, *quantile),
                q(&t.new_latency, *quantile)
            )
        })
        .collect()
}

/// The gate's verdict in words: what the exit code says.
pub(crate) fn gate_words(fail_on: FailOn, met: Option<&Met>) -> String {
    match met {
        Some(m) => format!(
            "{} line(s) {}; the first, line {} (--fail-on {})",
            m.count,
            m.what,
            m.first,
            fail_on.key()
        ),
        None => format!("nothing the gate fails on (--fail-on {})", fail_on.key()),
    }
}

/// The terminal's table of listed lines, cut to `width` columns.
pub(crate) fn table(listed: &Listed, more: (u64, u64), width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let fields = listed
        .regressed
        .iter()
        .chain(&listed.others)
        .any(|(_, f)| f.is_some());
    for (title, group, more) in [
        ("regressed", &listed.regressed, more.0),
        ("changed, fixed and the rest", &listed.others, more.1),
    ] {
        if group.is_empty() {
            continue;
        }
        out.push(String::new());
        out.push(format!("{title}:"));
        for (n, f) in group {
            let head = match (fields, f) {
                (true, Some(f)) => format!("{:>7}  {:<22}  {}", n.line, cut(f, 22), what(n)),
                (true, None) => format!("{:>7}  {:<22}  {}", n.line, "", what(n)),
                _ => format!("{:>7}  {}", n.line, what(n)),
            };
            out.push(cut(&head, width));
            // Each side gets half of what is left of the line, cut as quoted text is cut.
            let half = width.saturating_sub(13) / 2;
            let arrow = format!(
                "         {} → {}",
                n.before.clone().cut(half.max(8)),
                n.after.clone().cut(half.max(8))
            );
            out.push(crate::output::safe::escape_controls(&arrow).into_owned());
        }
        if more > 0 {
            out.push(format!("    … and {more} more (--json lists every line)"));
        }
    }
    out
}

/// Our own words and the input's fields at most `width` characters, controls escaped.
fn cut(text: &str, width: usize) -> String {
    let text = crate::output::safe::escape_controls(text);
    match text.char_indices().nth(width.saturating_sub(1)) {
        Some((at, _)) if text.chars().count() > width => format!("{}…", &text[..at]),
        _ => text.into_owned(),
    }
}

/// One side of a listed line in `--json`.
fn side_json(
    ms: Option<std::time::Duration>,
    text: &crate::output::safe::Quoted,
) -> serde_json::Value {
    serde_json::json!({
        "ms": ms.map(|t| (t.as_secs_f64() * 1e6).round() / 1000.0),
        "text": text.to_string(),
    })
}

/// One line of `--json`'s `lines`.
pub(crate) fn line_json(n: &Noted, fields: Option<&str>) -> serde_json::Value {
    let (speed, ratio) = match n.speed {
        Speed::Slower(r) => ("slower", Some(r)),
        Speed::Faster(r) => ("faster", Some(r)),
        Speed::Same => ("same", None),
        Speed::Unknown => ("unknown", None),
    };
    serde_json::json!({
        "line": n.line,
        "kind": n.kind.key(),
        "class": n.class.map(|c| c.key()),
        "speed": speed,
        "ratio": ratio.map(|r| (r * 1000.0).round() / 1000.0),
        "input": fields,
        "base": side_json(n.took.0, &n.before),
        "new": side_json(n.took.1, &n.after),
    })
}

fn latency_json(l: &Latency) -> serde_json::Value {
    let ms = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 1000.0);
    serde_json::json!({
        "runs": l.count(),
        "p50": ms(l.ms(0.5)),
        "p95": ms(l.ms(0.95)),
        "p99": ms(l.ms(0.99)),
    })
}

/// The members of `--json` after `lines`: the counts, the latency side, the gate.
pub(crate) fn closing_json(
    t: &Tally,
    ratio: f64,
    floor: std::time::Duration,
    fail_on: FailOn,
    met: Option<&Met>,
    exit: u8,
) -> serde_json::Map<String, serde_json::Value> {
    let mut counts = serde_json::Map::new();
    for kind in Kind::ALL {
        counts.insert(kind.key().into(), t.of(kind).into());
    }
    counts.insert("slower".into(), t.slower.into());
    counts.insert("faster".into(), t.faster.into());
    let by_class: serde_json::Map<String, serde_json::Value> = t
        .regressed_by_class
        .iter()
        .map(|(c, n)| (c.key().to_owned(), (*n).into()))
        .collect();
    let r = |q: f64| t.ratio(q).map(|r| (r * 1000.0).round() / 1000.0);
    let value = serde_json::json!({
        "counts": counts,
        "regressed_by_class": by_class,
        "latency_ms": {
            "base": latency_json(&t.base_latency),
            "new": latency_json(&t.new_latency),
            "ratio": {"p50": r(0.5), "p95": r(0.95), "p99": r(0.99)},
            "untimed": {"base": t.base_untimed, "new": t.new_untimed},
            "latency_ratio": ratio,
            "floor_ms": floor.as_secs_f64() * 1000.0,
        },
        "fail_on": fail_on.key(),
        "gate": {
            "met": met.is_some(),
            "count": met.map_or(0, |m| m.count),
            "first": met.map(|m| m.first),
        },
        "exit": exit,
    });
    match value {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("an object"),
    }
}

/// `--json` on stdout: `{"base":…,"new":…,"lines":[` then each line that differs as it is
/// judged, then the counts. One JSON document, written as the files are read.
pub(crate) struct JsonStream {
    first: bool,
}

impl JsonStream {
    pub(crate) fn start(ui: &crate::ui::Ui, base: &Path, new: &Path) -> anyhow::Result<Self> {
        let head = serde_json::json!({
            "base": base.display().to_string(),
            "new": new.display().to_string(),
        })
        .to_string();
        // `{"base":…,"new":…` and the opening of `lines`.
        ui.out(format!("{},\"lines\":[", &head[..head.len() - 1]).as_bytes())?;
        Ok(JsonStream { first: true })
    }

    pub(crate) fn line(
        &mut self,
        ui: &crate::ui::Ui,
        value: &serde_json::Value,
    ) -> anyhow::Result<()> {
        let sep = if std::mem::take(&mut self.first) {
            "\n"
        } else {
            ",\n"
        };
        ui.out(format!("{sep}{value}").as_bytes())?;
        Ok(())
    }

    pub(crate) fn finish(
        self,
        ui: &crate::ui::Ui,
        closing: serde_json::Map<String, serde_json::Value>,
    ) -> anyhow::Result<()> {
        let rest = serde_json::Value::Object(closing).to_string();
        ui.out(format!("\n],{}\n", &rest[1..]).as_bytes())?;
        Ok(())
    }
}

/// `--junit FILE` for a diff: one case a line that differs, a `failure` for each regressed
/// line (whatever `--fail-on` says: the gate decides the exit code, the file shows the
/// facts). Cases are kept in a scratch file beside FILE and FILE written whole at the end.
pub(crate) struct DiffJunit {
    file: OutputFile,
    cases: std::io::BufWriter<std::fs::File>,
    count: u64,
    failures: u64,
}

impl DiffJunit {
    pub(crate) fn create(path: &Path) -> Result<DiffJunit, crate::error::Error> {
        let (file, scratch) = crate::report::junit::open(path)?;
        Ok(DiffJunit {
            file,
            cases: std::io::BufWriter::new(scratch),
            count: 0,
            failures: 0,
        })
    }

    pub(crate) fn case(&mut self, n: &Noted) -> std::io::Result<()> {
        let secs = n.took.1.map_or(0.0, |t| t.as_secs_f64());
        let words = format!("{}\nbase: {}\nnew: {}", what(n), n.before, n.after);
        let body = match n.kind {
            Kind::Regressed => {
                self.failures += 1;
                format!(
                    "      <failure type=\"regressed.{}\" message=\"{}\">{}</failure>\n",
                    n.class.map_or("other", |c| c.key()),
                    xml(&format!("regressed: {}", n.after)),
                    xml(&words)
                )
            }
            _ => format!("      <system-out>{}</system-out>\n", xml(&words)),
        };
        self.count += 1;
        write!(
            self.cases,
            "    <testcase classname=\"miiflow.diff.{}\" name=\"line {}\" time=\"{secs:.3}\">\n{body}    </testcase>\n",
            n.kind.key(),
            n.line
        )
    }

    /// Writes FILE: the suite, its latency side as properties (`latency base p50` …), the cases.
    pub(crate) fn finish(mut self, suite: &str, t: &Tally) -> anyhow::Result<()> {
        self.cases.flush()?;
        let mut scratch = self.cases.into_inner().map_err(|e| e.into_error())?;
        scratch.rewind()?;
        let (tests, failures) = (self.count, self.failures);
        let mut head = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"miiflow diff\" \
             tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n  <testsuite name=\"{}\" \
             tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n    <properties>\n",
            xml(suite)
        );
        let ms = |v: Option<f64>| v.map_or("none".to_owned(), |v| format!("{v:.3} ms"));
        for (name, q) in [("p50", 0.5), ("p95", 0.95), ("p99", 0.99)] {
            let ratio = t.ratio(q).map_or("none".to_owned(), |r| format!("{r:.3}"));
            for (key, value) in [
                (format!("latency base {name}"), ms(t.base_latency.ms(q))),
                (format!("latency new {name}"), ms(t.new_latency.ms(q))),
                (format!("latency ratio {name}"), ratio),
            ] {
                head.push_str(&format!(
                    "      <property name=\"{}\" value=\"{}\"/>\n",
                    xml(&key),
                    xml(&value)
                ));
            }
        }
        head.push_str("    </properties>\n");
        self.file.write(head.as_bytes())?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = scratch.read(&mut buf)?;
            if n == 0 {
                break;
            }
            self.file.write(&buf[..n])?;
        }
        self.file.write(b"  </testsuite>\n</testsuites>\n")?;
        self.file.commit()
    }
}

/// The job summary's section (`$GITHUB_STEP_SUMMARY`).
pub(crate) fn markdown(
    base: &str,
    new: &str,
    t: &Tally,
    listed: &Listed,
    fail_on: FailOn,
    met: Option<&Met>,
) -> String {
    let verdict = match met {
        Some(_) => "❌",
        None => "✅",
    };
    let mut md = format!(
        "### miiflow results diff: {} → {}\n\n{verdict} {}\n\n| Kind | Lines |\n|---|---:|\n",
        md_code(base),
        md_code(new),
        md_cell(&gate_words(fail_on, met))
    );
    for kind in Kind::ALL {
        md.push_str(&format!("| {} | {} |\n", kind.words(), t.of(kind)));
    }
    md.push_str(&format!(
        "| slower | {} |\n| faster | {} |\n",
        t.slower, t.faster
    ));
    md.push_str(&format!(
        "\n**Latency** (base → new): {}\n",
        md_cell(&latency_in_words(t).join(" · "))
    ));
    for (title, group) in [
        ("Regressed", &listed.regressed),
        ("Other differences", &listed.others),
    ] {
        if group.is_empty() {
            continue;
        }
        md.push_str(&format!(
            "\n<details><summary>{title}</summary>\n\n| Line | What | Base | New |\n|---:|---|---|---|\n"
        ));
        for (n, _) in group {
            md.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                n.line,
                md_cell(&what(n)),
                md_cell(&n.before.to_string()),
                md_cell(&n.after.to_string())
            ));
        }
        md.push_str("\n</details>\n");
    }
    md.push('\n');
    md
}
