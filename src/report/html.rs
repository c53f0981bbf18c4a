//! The HTML report (`results report`, a batch's `--html`): one self-contained page a person
//! opens from a CI artifact. The verdict first, counts by class, a latency histogram (inline
//! SVG, p50/p95/p99 marked), the slowest lines, failures with the start of each answer, unmet
//! expectations; with a baseline, what changed since, regressions first.
//!
//! It renders what the batch's [`Summary`](crate::report::summary::Summary) counted and what the diff's [`Tally`] and
//! [`Listed`] hold (the text quoted there: masked, cut); its own part is HTML escaping. Its
//! Content-Security-Policy allows no request at all (`default-src 'none'`), with inline
//! styles the one thing allowed; there is no script. Its size does not grow with the run:
//! top lists with counts, never every line.

use std::fmt::Write as _;

use crate::report::compared::{self, Listed};
use crate::report::diff::{FailOn, Kind, Met, Tally};
use crate::report::latency::{Latency, ranges, show_ms};
use crate::report::summary::{Class, Closing};

/// A run's page, and what changed since a baseline when there is one.
pub(crate) struct Page<'a> {
    pub(crate) closing: &'a Closing<'a>,
    /// The wall time is the batch's (a batch's `--html`); a page made from files has none.
    pub(crate) timed: bool,
    pub(crate) diff: Option<Since<'a>>,
}

/// What changed since the baseline.
pub(crate) struct Since<'a> {
    pub(crate) base: &'a str,
    pub(crate) tally: &'a Tally,
    pub(crate) listed: &'a Listed,
    pub(crate) fail_on: FailOn,
    pub(crate) met: Option<&'a Met>,
}

/// Text for HTML: the five characters with a meaning there as references; controls (but for
/// tabs and line breaks) as U+FFFD.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1b1b1b;background:#fff}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}
.verdict{font-size:1.25em;font-weight:600;padding:.6em .9em;border-radius:6px;margin:.6em 0}
.pass{background:#e6f4ea;color:#0b5c1f}.fail{background:#fce8e6;color:#8c1d18}.stop{background:#fef7e0;color:#6b4a00}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ddd;padding:.25em .6em;vertical-align:top;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
pre{white-space:pre-wrap;word-break:break-all;margin:0;font:13px/1.35 ui-monospace,Menlo,Consolas,monospace}
svg{max-width:100%;height:auto}.muted{color:#666}
@media print{body{margin:0;max-width:none}.verdict{border:1px solid #999}h2{break-after:avoid}tr{break-inside:avoid}}
";

/// The whole page.
pub(crate) fn page(p: &Page) -> String {
    let s = p.closing.summary;
    let mut h = String::with_capacity(32 * 1024);
    let title = format!("miiflow report: {}", p.closing.name);
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>",
        esc(&title),
        esc(&title)
    );
    verdict(&mut h, p);
    if let Some(d) = &p.diff {
        since(&mut h, d);
    }
    counts(&mut h, p.closing, p.timed);
    let _ = writeln!(h, "<h2>Latency</h2>");
    match s.latency_in_words() {
        Some(words) => {
            let _ = writeln!(
                h,
                "<p id=\"latency\">{} runs: {}</p>",
                s.latency.count(),
                esc(&words)
            );
            histogram(&mut h, &s.latency);
        }
        None => h.push_str("<p class=\"muted\">Nothing was sent.</p>\n"),
    }
    slowest(&mut h, p.closing);
    failures(&mut h, p.closing);
    unmet(&mut h, p.closing);
    let _ = writeln!(
        h,
        "<p class=\"muted\">Written by miiflow {} · every answer quoted here is cut and has the \
         API key masked.</p>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    h
}

fn verdict(h: &mut String, p: &Page) {
    let s = p.closing.summary;
    if let Some(d) = &p.diff {
        let regressed = d.tally.of(Kind::Regressed);
        let (class, words) = match regressed {
            0 => ("pass", format!("No regressions since {}", d.base)),
            n => ("fail", format!("{n} regression(s) since {}", d.base)),
        };
        let _ = writeln!(
            h,
            "<p class=\"verdict {class}\" id=\"diff-verdict\">{}</p>",
            esc(&words)
        );
    }
    let (class, words) = match (&s.stopped, s.failed) {
        (Some(_), _) => ("stop", "Interrupted".to_owned()),
        (None, 0) => ("pass", "Passed".to_owned()),
        (None, n) => ("fail", format!("Failed: {n} of {} lines", s.done)),
    };
    let _ = writeln!(
        h,
        "<p class=\"verdict {class}\" id=\"verdict\">{}</p>",
        esc(&words)
    );
}

fn since(h: &mut String, d: &Since) {
    let _ = writeln!(
        h,
        "<h2>Since {}</h2>\n<p id=\"gate\">{}</p>",
        esc(d.base),
        esc(&compared::gate_words(d.fail_on, d.met))
    );
    for (title, id, group) in [
        ("Regressed", "regressed", &d.listed.regressed),
        ("Changed, fixed and the rest", "changed", &d.listed.others),
    ] {
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(
            h,
            "<h3>{title}</h3>\n<table id=\"{id}\"><tr><th class=\"n\">Line</th><th>What</th>\
             <th>Before</th><th>After</th></tr>"
        );
        for (n, fields) in group {
            let input = fields
                .as_deref()
                .map(|f| format!("<br><span class=\"muted\">{}</span>", esc(f)))
                .unwrap_or_default();
            let _ = writeln!(
                h,
                "<tr><td class=\"n\">{}</td><td>{}{input}</td><td><pre>{}</pre></td>\
                 <td><pre>{}</pre></td></tr>",
                n.line,
                esc(&compared::what(n)),
                esc(&n.before.to_string()),
                esc(&n.after.to_string())
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("<table id=\"kinds\"><tr><th>Kind</th><th class=\"n\">Lines</th></tr>\n");
    for kind in Kind::ALL {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            kind.words(),
            d.tally.of(kind)
        );
    }
    let _ = writeln!(
        h,
        "<tr><td>slower</td><td class=\"n\">{}</td></tr>\n<tr><td>faster</td><td class=\"n\">{}\
         </td></tr>\n</table>\n<p>Latency, base → new: {}</p>",
        d.tally.slower,
        d.tally.faster,
        esc(&compared::latency_in_words(d.tally).join(" · "))
    );
}

fn counts(h: &mut String, c: &Closing, timed: bool) {
    let s = c.summary;
    let (wall, rate) = match timed {
        true => (
            format!("{:.2} s", c.wall.as_secs_f64()),
            format!("{:.1}/s", c.throughput()),
        ),
        false => ("–".to_owned(), "–".to_owned()),
    };
    let _ = writeln!(
        h,
        "<h2>Counts</h2>\n<table id=\"counts\"><tr><th>Lines</th><th>Succeeded</th>\
         <th>Failed</th><th>Kept from results</th><th>Wall time</th><th>Throughput</th></tr>\n\
         <tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
         <td class=\"n\">{}</td><td class=\"n\">{wall}</td><td class=\"n\">{rate}</td></tr>\
         </table>",
        s.done,
        s.done - s.failed,
        s.failed,
        s.kept,
    );
    if s.failed > 0 {
        h.push_str(
            "<table id=\"classes\"><tr><th>Failed by class</th><th class=\"n\">Lines</th></tr>\n",
        );
        for class in Class::ALL {
            if let Some(n) = s.classes.get(&class) {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"n\">{n}</td></tr>",
                    class.words()
                );
            }
        }
        h.push_str("</table>\n");
    }
}

/// An SVG histogram: bars by range (ten a decade, log scale), lines at p50, p95 and p99.
fn histogram(h: &mut String, latency: &Latency) {
    let bins = ranges(latency, 10);
    let (Some(first), Some(last)) = (bins.first(), bins.last()) else {
        return;
    };
    let (w, ht, pad) = (720.0_f64, 180.0_f64, 30.0_f64);
    let (lo, hi) = ((first.0 as f64).log10(), (last.1 as f64).log10());
    let x = |us: f64| pad + (us.max(1.0).log10() - lo) / (hi - lo).max(1e-9) * (w - 2.0 * pad);
    let most = bins.iter().map(|b| b.2).max().unwrap_or(1).max(1) as f64;
    let _ = writeln!(
        h,
        "<svg id=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {}\" \
         role=\"img\" aria-label=\"latency histogram\">",
        ht + 40.0
    );
    for (from, to, n) in &bins {
        let (x0, x1) = (x(*from as f64), x(*to as f64));
        let bar = (*n as f64 / most) * (ht - 20.0);
        let _ = writeln!(
            h,
            "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar:.1}\" fill=\"#6d8fd1\">\
             <title>{} – {}: {n}</title></rect>",
            ht - bar,
            (x1 - x0 - 1.0).max(0.5),
            fine_ms(*from),
            fine_ms(*to)
        );
    }
    let _ = writeln!(
        h,
        "<line x1=\"{pad}\" y1=\"{ht}\" x2=\"{}\" y2=\"{ht}\" stroke=\"#444\"/>",
        w - pad
    );
    for (i, (name, q, color)) in [
        ("p50", 0.5, "#0b7a2a"),
        ("p95", 0.95, "#b06000"),
        ("p99", 0.99, "#b3261e"),
    ]
    .iter()
    .enumerate()
    {
        if let Some(ms) = latency.ms(*q) {
            let at = x(ms * 1000.0);
            let _ = writeln!(
                h,
                "<line x1=\"{at:.1}\" y1=\"0\" x2=\"{at:.1}\" y2=\"{ht}\" stroke=\"{color}\" \
                 stroke-dasharray=\"4 3\"/><text x=\"{at:.1}\" y=\"{:.1}\" font-size=\"12\" \
                 fill=\"{color}\" text-anchor=\"middle\">{name} {}</text>",
                ht + 14.0 + 12.0 * i as f64,
                esc(&show_ms(ms))
            );
        }
    }
    for (at, label) in [(first.0, first.0), (last.1, last.1)] {
        let _ = writeln!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#666\" text-anchor=\"middle\">{}\
             </text>",
            x(at as f64),
            ht + 38.0,
            esc(&show_ms(label as f64 / 1000.0))
        );
    }
    h.push_str("</svg>\n");
}

/// Microseconds as a histogram's edge: `1.3 ms`, `25 ms`, `1.25 s`.
fn fine_ms(us: u64) -> String {
    match us {
        0..10_000 => format!("{:.1} ms", us as f64 / 1000.0),
        _ => show_ms(us as f64 / 1000.0),
    }
}

fn slowest(h: &mut String, c: &Closing) {
    let slowest = c.summary.slowest();
    if slowest.is_empty() {
        return;
    }
    h.push_str(
        "<h2>Slowest lines</h2>\n<table id=\"slowest\"><tr><th class=\"n\">Line</th>\
         <th class=\"n\">Took</th></tr>\n",
    );
    for (took, line) in slowest {
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{line}</td><td class=\"n\">{}</td></tr>",
            esc(&show_ms(took.as_secs_f64() * 1000.0))
        );
    }
    h.push_str("</table>\n");
}

fn failures(h: &mut String, c: &Closing) {
    let s = c.summary;
    if s.failures.is_empty() {
        return;
    }
    let title = match s.failed as usize > s.failures.len() {
        true => format!("The first {} failures (of {})", s.failures.len(), s.failed),
        false => "Failures".to_owned(),
    };
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"failures\"><tr><th class=\"n\">Line</th><th>Class</th>\
         <th>Why</th><th>Start of the answer</th></tr>",
        esc(&title)
    );
    for (line, f) in &s.failures {
        let answer = f
            .answer
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{line}</td><td>{}</td><td>{}</td><td><pre>{}</pre></td></tr>",
            f.class.words(),
            esc(&f.why),
            esc(&answer)
        );
    }
    h.push_str("</table>\n");
}

fn unmet(h: &mut String, c: &Closing) {
    let s = c.summary;
    if s.unmet.is_empty() {
        return;
    }
    h.push_str(
        "<h2>Unmet expectations</h2>\n<table id=\"unmet\"><tr><th class=\"n\">Line</th>\
         <th>Expectation and why</th></tr>\n",
    );
    for (line, why) in &s.unmet {
        let _ = writeln!(
            h,
            "<tr><td class=\"n\">{line}</td><td>{}</td></tr>",
            esc(why)
        );
    }
    h.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_cannot_open_a_tag_or_an_attribute() {
        assert_eq!(
            esc("<script>alert('x')</script>&\"\u{1b}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\u{FFFD}"
        );
    }
}
