//! `results diff`: what changed between two runs of one suite, line by line. Both files are
//! read once, side by side in line order (bounded memory however long they are); each line
//! gets a [`Kind`] (what became of its outcome and answer) and a [`Speed`] (its latency, base
//! against new), and the [`Tally`] counts them. The outputs (terminal, JSON, JUnit, the job
//! summary, the HTML report) render these verdicts; none of them judges a line itself.

use std::time::Duration;

use crate::error::code;
use crate::output::jq::{Jq, Render};
use crate::output::safe::{Mask, Quoted};
use crate::report::latency::{Latency, show_ms};
use crate::report::summary::Class;
use crate::results::line::Outcome;
use crate::results::read::ResultLine;

/// What became of a line between the base run and the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// Passed in the base run, failed in the new one.
    Regressed,
    /// Failed in the base run, passed in the new one.
    Fixed,
    /// Passed in both, with answers that differ as JSON values (or in `--jq`'s part of them).
    Changed,
    /// Failed in both.
    StillFailing,
    /// Passed in both with the same answer.
    Unchanged,
    /// The line's input is not what it was (the record digests differ): not compared.
    InputChanged,
    OnlyInBase,
    OnlyInNew,
}

impl Kind {
    pub(crate) const ALL: [Kind; 8] = [
        Kind::Regressed,
        Kind::Fixed,
        Kind::Changed,
        Kind::StillFailing,
        Kind::Unchanged,
        Kind::InputChanged,
        Kind::OnlyInBase,
        Kind::OnlyInNew,
    ];

    /// The name in `--json` and JUnit.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::Regressed => "regressed",
            Kind::Fixed => "fixed",
            Kind::Changed => "changed",
            Kind::StillFailing => "still_failing",
            Kind::Unchanged => "unchanged",
            Kind::InputChanged => "input_changed",
            Kind::OnlyInBase => "only_in_base",
            Kind::OnlyInNew => "only_in_new",
        }
    }

    /// In words, for people.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Kind::Regressed => "regressed",
            Kind::Fixed => "fixed",
            Kind::Changed => "changed",
            Kind::StillFailing => "still failing",
            Kind::Unchanged => "unchanged",
            Kind::InputChanged => "input changed",
            Kind::OnlyInBase => "only in base",
            Kind::OnlyInNew => "only in new",
        }
    }
}

/// A line's latency, new against base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Speed {
    /// At least `--latency-ratio` times the base's time.
    Slower(f64),
    /// At most the base's time divided by `--latency-ratio`.
    Faster(f64),
    /// Within the ratio, or both under the floor.
    Same,
    /// Not comparable: a side has no time (not sent, written before durations, or not both
    /// passed).
    Unknown,
}

/// How lines are compared.
pub(crate) struct Compare {
    /// Compare only what this filter yields of each answer (`--jq`).
    pub(crate) jq: Option<Jq>,
    /// `--latency-ratio`: slower at new ≥ base × ratio, faster at new ≤ base / ratio.
    pub(crate) ratio: f64,
    /// Lines whose times are both under this are never slower or faster (noise).
    pub(crate) floor: Duration,
    /// The most a filter's results may hold.
    pub(crate) limit: usize,
}

/// One line's verdict, with both sides as read.
pub(crate) struct Verdict<'a> {
    pub(crate) line: u64,
    pub(crate) kind: Kind,
    pub(crate) speed: Speed,
    /// The failure's class: the new run's for a regressed or still failing line, the base's
    /// for a fixed one.
    pub(crate) class: Option<Class>,
    pub(crate) base: Option<&'a ResultLine>,
    pub(crate) new: Option<&'a ResultLine>,
    /// A changed line's compared values (each side's answer, or what `--jq` yields of it), as
    /// the judging read them: the note shows where they differ without reading them again.
    pub(crate) values: Option<(Vec<serde_json::Value>, Vec<serde_json::Value>)>,
}

impl Verdict<'_> {
    /// A line that differs, to list: anything but unchanged at the same speed, or failing in
    /// both runs (counted, not listed: it is no difference).
    pub(crate) fn differs(&self) -> bool {
        match self.kind {
            Kind::Unchanged => matches!(self.speed, Speed::Slower(_) | Speed::Faster(_)),
            Kind::StillFailing => false,
            _ => true,
        }
    }
}

fn passed(r: &ResultLine) -> bool {
    r.outcome.code() == code::OK
}

/// Judges one line (at least one side present).
pub(crate) fn judge<'a>(
    base: Option<&'a ResultLine>,
    new: Option<&'a ResultLine>,
    compare: &Compare,
) -> Verdict<'a> {
    let mut values = None;
    let (kind, class) = match (base, new) {
        (None, Some(_)) => (Kind::OnlyInNew, None),
        (Some(_), None) | (None, None) => (Kind::OnlyInBase, None),
        (Some(b), Some(n)) if b.record.is_some() && n.record.is_some() && b.record != n.record => {
            (Kind::InputChanged, None)
        }
        (Some(b), Some(n)) => match (passed(b), passed(n)) {
            (true, false) => (Kind::Regressed, Class::of(&n.outcome)),
            (false, true) => (Kind::Fixed, Class::of(&b.outcome)),
            (false, false) => (Kind::StillFailing, Class::of(&n.outcome)),
            (true, true) => match same_answer(&b.outcome, &n.outcome, compare) {
                Judged::Same => (Kind::Unchanged, None),
                Judged::Differ(read) => {
                    values = read;
                    (Kind::Changed, None)
                }
            },
        },
    };
    let speed = match (kind, base.and_then(|b| b.took), new.and_then(|n| n.took)) {
        (Kind::Unchanged | Kind::Changed, Some(b), Some(n)) => speed(b, n, compare),
        _ => Speed::Unknown,
    };
    Verdict {
        line: new.or(base).map_or(0, |r| r.line),
        kind,
        speed,
        class,
        base,
        new,
        values,
    }
}

fn speed(base: Duration, new: Duration, compare: &Compare) -> Speed {
    if base < compare.floor && new < compare.floor {
        return Speed::Same;
    }
    let ratio = new.as_secs_f64() / base.as_secs_f64().max(1e-6);
    if ratio >= compare.ratio {
        Speed::Slower(ratio)
    } else if ratio <= 1.0 / compare.ratio {
        Speed::Faster(ratio)
    } else {
        Speed::Same
    }
}

/// The body of an answer (`None` for a failure).
fn body(outcome: &Outcome) -> Option<&[u8]> {
    match outcome {
        Outcome::Answer { body, .. } => Some(body),
        _ => None,
    }
}

/// What is compared of an answer: the JSON value, or the values `--jq` yields (its error
/// when it fails).
fn compared(body: &[u8], compare: &Compare) -> Result<Vec<serde_json::Value>, String> {
    let parse = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes);
    match &compare.jq {
        None => parse(body).map(|v| vec![v]).map_err(|e| e.to_string()),
        Some(jq) => {
            let render = Render {
                compact: true,
                ..Render::default()
            };
            let out = jq
                .apply(body, render, compare.limit)
                .map_err(|e| e.to_string())?;
            out.split(|b| *b == b'\n')
                .filter(|v| !v.is_empty())
                .map(|v| parse(v).map_err(|e| e.to_string()))
                .collect()
        }
    }
}

/// Two answers judged: the same, or different (with the values compared, when both read).
enum Judged {
    Same,
    Differ(Option<(Vec<serde_json::Value>, Vec<serde_json::Value>)>),
}

fn same_answer(base: &Outcome, new: &Outcome, compare: &Compare) -> Judged {
    match (body(base), body(new)) {
        (Some(b), Some(n)) if b == n => Judged::Same,
        (Some(b), Some(n)) => match (compared(b, compare), compared(n, compare)) {
            (Ok(b), Ok(n)) if b.len() == n.len() && b.iter().zip(&n).all(|(b, n)| same(b, n)) => {
                Judged::Same
            }
            (Ok(b), Ok(n)) => Judged::Differ(Some((b, n))),
            // The filter failed the same way on both (a member neither has).
            (Err(b), Err(n)) if compare.jq.is_some() && b == n => Judged::Same,
            _ => Judged::Differ(None),
        },
        _ => Judged::Differ(None),
    }
}

/// Equal as JSON values: objects whatever their keys' order, numbers by value whatever their
/// spelling (`1`, `1.0`, `1e0`).
pub(crate) fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                    (Some(x), Some(y), ..) => x == y,
                    (.., Some(x), Some(y)) => x == y,
                    _ => x.as_f64().is_some() && x.as_f64() == y.as_f64(),
                }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// What a diff counts.
#[derive(Default)]
pub(crate) struct Tally {
    /// Lines by kind, in [`Kind::ALL`]'s order.
    pub(crate) kinds: [u64; 8],
    /// The first line of each kind.
    pub(crate) first: [Option<u64>; 8],
    pub(crate) slower: u64,
    pub(crate) faster: u64,
    pub(crate) first_slower: Option<u64>,
    /// Regressed lines by the class of their new failure.
    pub(crate) regressed_by_class: std::collections::BTreeMap<Class, u64>,
    /// The latencies of each run's lines (every line with a time).
    pub(crate) base_latency: Latency,
    pub(crate) new_latency: Latency,
    /// Lines of each file without a time (sent before durations were written, or not sent).
    pub(crate) base_untimed: u64,
    pub(crate) new_untimed: u64,
}

impl Tally {
    pub(crate) fn count(&mut self, v: &Verdict) {
        let k = Kind::ALL.iter().position(|k| *k == v.kind).expect("a kind");
        self.kinds[k] += 1;
        self.first[k].get_or_insert(v.line);
        if v.kind == Kind::Regressed {
            *self
                .regressed_by_class
                .entry(v.class.unwrap_or(Class::Other))
                .or_default() += 1;
        }
        match v.speed {
            Speed::Slower(_) => {
                self.slower += 1;
                self.first_slower.get_or_insert(v.line);
            }
            Speed::Faster(_) => self.faster += 1,
            _ => {}
        }
        for (side, latency, untimed) in [
            (v.base, &mut self.base_latency, &mut self.base_untimed),
            (v.new, &mut self.new_latency, &mut self.new_untimed),
        ] {
            match side.map(|r| r.took) {
                Some(Some(took)) => latency.record(took),
                Some(None) => *untimed += 1,
                None => {}
            }
        }
    }

    pub(crate) fn of(&self, kind: Kind) -> u64 {
        self.kinds[Kind::ALL.iter().position(|k| *k == kind).expect("a kind")]
    }

    pub(crate) fn first_of(&self, kind: Kind) -> Option<u64> {
        self.first[Kind::ALL.iter().position(|k| *k == kind).expect("a kind")]
    }

    /// The latency ratio new / base at quantile `q`, when both runs have times.
    pub(crate) fn ratio(&self, q: f64) -> Option<f64> {
        Some(self.new_latency.ms(q)? / self.base_latency.ms(q)?.max(1e-3))
    }
}

/// `--fail-on`: what makes the diff exit 1. Each gate includes the regressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailOn {
    /// A line that passed fails now.
    Regression,
    /// A regression, or any other difference of outcome or answer: fixed, changed, input
    /// changed, a line in only one file.
    Change,
    /// A regression, or a line slower past the ratio.
    Latency,
    Never,
}

/// The gate met: how many lines, the first, and what they are.
pub(crate) struct Met {
    pub(crate) count: u64,
    pub(crate) first: u64,
    pub(crate) what: &'static str,
}

impl FailOn {
    pub(crate) fn key(self) -> &'static str {
        match self {
            FailOn::Regression => "regression",
            FailOn::Change => "change",
            FailOn::Latency => "latency",
            FailOn::Never => "never",
        }
    }

    pub(crate) fn met(self, t: &Tally) -> Option<Met> {
        let kinds: &[Kind] = match self {
            FailOn::Never => return None,
            FailOn::Regression | FailOn::Latency => &[Kind::Regressed],
            FailOn::Change => &[
                Kind::Regressed,
                Kind::Fixed,
                Kind::Changed,
                Kind::InputChanged,
                Kind::OnlyInBase,
                Kind::OnlyInNew,
            ],
        };
        let mut count: u64 = kinds.iter().map(|k| t.of(*k)).sum();
        let mut first = kinds.iter().filter_map(|k| t.first_of(*k)).min();
        if self == FailOn::Latency {
            count += t.slower;
            first = first.into_iter().chain(t.first_slower).min();
        }
        let what = match self {
            FailOn::Change => {
                "changed (regressed, fixed, changed, input changed or in one file only)"
            }
            FailOn::Latency => "regressed or slower",
            _ => "regressed",
        };
        Some(Met {
            count,
            first: first?,
            what,
        })
        .filter(|m| m.count > 0)
    }
}

/// A source of results in line order: one file, or several merged.
pub(crate) trait Source {
    fn next(&mut self) -> Result<Option<ResultLine>, crate::error::Error>;
}

impl Source for crate::results::read::Ordered {
    fn next(&mut self) -> Result<Option<ResultLine>, crate::error::Error> {
        crate::results::read::Ordered::next(self)
    }
}

impl Source for crate::results::read::Merged {
    fn next(&mut self) -> Result<Option<ResultLine>, crate::error::Error> {
        crate::results::read::Merged::next(self)
    }
}

/// A line that differs, as every output lists it: both sides in words, quoted (the outcomes
/// were masked when read) and cut at the width asked for.
#[derive(Debug, Clone)]
pub(crate) struct Noted {
    pub(crate) line: u64,
    pub(crate) kind: Kind,
    pub(crate) speed: Speed,
    pub(crate) class: Option<Class>,
    pub(crate) before: Quoted,
    pub(crate) after: Quoted,
    /// Each side's time, when known.
    pub(crate) took: (Option<Duration>, Option<Duration>),
}

impl Verdict<'_> {
    pub(crate) fn note(&self, compare: &Compare, width: usize) -> Noted {
        let none = Mask::default();
        let took = |r: Option<&ResultLine>| {
            let words = r.and_then(|r| r.took).map_or("(no time)".to_owned(), |t| {
                show_ms(t.as_secs_f64() * 1000.0)
            });
            Quoted::new(&words, &none)
        };
        let (before, after) = match self.kind {
            Kind::Changed => changed(self, compare, width),
            // Only its time differs: the times are what there is to see.
            Kind::Unchanged => (took(self.base), took(self.new)),
            _ => (
                side(self.base, compare, width),
                side(self.new, compare, width),
            ),
        };
        Noted {
            line: self.line,
            kind: self.kind,
            speed: self.speed,
            class: self.class,
            before,
            after,
            took: (
                self.base.and_then(|r| r.took),
                self.new.and_then(|r| r.took),
            ),
        }
    }
}

/// A changed line's two sides: where the answers first differ (`.output.city: "Paris"`).
fn changed(v: &Verdict, compare: &Compare, width: usize) -> (Quoted, Quoted) {
    let none = Mask::default();
    match &v.values {
        Some((b, n)) => {
            let (path, x, y) = match (b.as_slice(), n.as_slice()) {
                ([x], [y]) => first_difference(x, y, String::new()),
                _ => (
                    "(results)".to_owned(),
                    Some(serde_json::Value::Array(b.clone())),
                    Some(serde_json::Value::Array(n.clone())),
                ),
            };
            let show = |v: Option<serde_json::Value>| match v {
                Some(v) => format!("{}: {v}", if path.is_empty() { "." } else { &path }),
                None => format!("{}: (none)", if path.is_empty() { "." } else { &path }),
            };
            (
                Quoted::new(&show(x), &none).cut(width),
                Quoted::new(&show(y), &none).cut(width),
            )
        }
        None => (side(v.base, compare, width), side(v.new, compare, width)),
    }
}

/// The first place two values differ (as [`same`] sees them), as a jq path, and the value on
/// each side there (`None`: the member or item is not there).
fn first_difference(
    a: &serde_json::Value,
    b: &serde_json::Value,
    at: String,
) -> (String, Option<serde_json::Value>, Option<serde_json::Value>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            for k in keys {
                let path = match k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !k.is_empty()
                    && !k.starts_with(|c: char| c.is_ascii_digit())
                {
                    true => format!("{at}.{k}"),
                    false => format!("{at}[{}]", Value::String(k.clone())),
                };
                match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) if same(v, w) => continue,
                    (Some(v), Some(w)) => return first_difference(v, w, path),
                    (v, w) => return (path, v.cloned(), w.cloned()),
                }
            }
            (at, Some(a.clone()), Some(b.clone()))
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let path = format!("{at}[{i}]");
                match (x.get(i), y.get(i)) {
                    (Some(v), Some(w)) if same(v, w) => continue,
                    (Some(v), Some(w)) => return first_difference(v, w, path),
                    (v, w) => return (path, v.cloned(), w.cloned()),
                }
            }
            (at, Some(a.clone()), Some(b.clone()))
        }
        _ => (at, Some(a.clone()), Some(b.clone())),
    }
}

/// One side of a line in words: a passed answer's start (or what `--jq` yields of it, on one
/// line), a failure's why; `(none)` for a line the file does not have.
fn side(r: Option<&ResultLine>, compare: &Compare, width: usize) -> Quoted {
    let none = Mask::default();
    let Some(r) = r else {
        return Quoted::new("(none)", &none);
    };
    match &r.outcome {
        Outcome::Answer { body, .. } if r.outcome.code() == code::OK => match &compare.jq {
            None => Quoted::start_of(body, width, &none),
            Some(_) => {
                let text = match compared(body, compare) {
                    Ok(values) => values
                        .iter()
                        .map(|v| serde_json::to_string(v).unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join(" "),
                    Err(e) => e,
                };
                Quoted::new(&text, &none).cut(width)
            }
        },
        failed => Quoted::new(&crate::report::summary::why(failed), &none).cut(width),
    }
}

/// Walks both sources side by side: every line of either is judged, counted, and handed to
/// `each` (in line order).
pub(crate) fn diff(
    base: &mut dyn Source,
    new: &mut dyn Source,
    compare: &Compare,
    each: &mut dyn FnMut(&Verdict) -> anyhow::Result<()>,
) -> anyhow::Result<Tally> {
    let mut tally = Tally::default();
    let (mut b, mut n) = (base.next()?, new.next()?);
    while b.is_some() || n.is_some() {
        let (bl, nl) = (b.as_ref().map(|r| r.line), n.as_ref().map(|r| r.line));
        let (take_b, take_n) = match (bl, nl) {
            (Some(x), Some(y)) => (x <= y, y <= x),
            (Some(_), None) => (true, false),
            _ => (false, true),
        };
        let verdict = judge(
            b.as_ref().filter(|_| take_b),
            n.as_ref().filter(|_| take_n),
            compare,
        );
        tally.count(&verdict);
        each(&verdict)?;
        if take_b {
            b = base.next()?;
        }
        if take_n {
            n = new.next()?;
        }
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::read::parse;

    fn compare(jq: Option<&str>) -> Compare {
        Compare {
            jq: jq.map(|j| Jq::compile(j).unwrap()),
            ratio: 1.5,
            floor: Duration::from_millis(50),
            limit: 1 << 20,
        }
    }

    fn line(text: &str) -> ResultLine {
        parse(text.as_bytes(), &crate::output::safe::Mask::default()).unwrap()
    }

    #[test]
    fn every_kind_is_told_apart() {
        let c = compare(None);
        let ok = line(r#"{"line":1,"duration_ms":100,"status":200,"body":{"a":1,"b":[1.0,2]}}"#);
        let same = line(r#"{"line":1,"duration_ms":110,"status":200,"body":{"b":[1,2e0],"a":1}}"#);
        let other = line(r#"{"line":1,"duration_ms":100,"status":200,"body":{"a":2,"b":[1,2]}}"#);
        let failed = line(r#"{"line":1,"duration_ms":100,"status":500,"body":{"error":"x"}}"#);
        let slow = line(r#"{"line":1,"duration_ms":160,"status":200,"body":{"a":1,"b":[1,2]}}"#);
        let kind = |b: &ResultLine, n: &ResultLine| judge(Some(b), Some(n), &c).kind;
        assert_eq!(
            kind(&ok, &same),
            Kind::Unchanged,
            "key order and number spelling"
        );
        assert_eq!(kind(&ok, &other), Kind::Changed);
        assert_eq!(kind(&ok, &failed), Kind::Regressed);
        assert_eq!(
            judge(Some(&ok), Some(&failed), &c).class,
            Some(Class::Http5xx)
        );
        assert_eq!(kind(&failed, &ok), Kind::Fixed);
        assert_eq!(kind(&failed, &failed), Kind::StillFailing);
        assert_eq!(judge(Some(&ok), None, &c).kind, Kind::OnlyInBase);
        assert_eq!(judge(None, Some(&ok), &c).kind, Kind::OnlyInNew);
        assert_eq!(judge(Some(&ok), Some(&same), &c).speed, Speed::Same);
        assert!(
            matches!(judge(Some(&ok), Some(&slow), &c).speed, Speed::Slower(r) if (r - 1.6).abs() < 1e-9)
        );
        assert!(matches!(
            judge(Some(&slow), Some(&ok), &c).speed,
            Speed::Faster(_)
        ));
        let a = line(
            r#"{"line":1,"record_blake3":"00000000000000000000000000000000000000000000000000000000000000aa","status":200,"body":1}"#,
        );
        let b = line(
            r#"{"line":1,"record_blake3":"00000000000000000000000000000000000000000000000000000000000000bb","status":500,"body":1}"#,
        );
        assert_eq!(kind(&a, &b), Kind::InputChanged);
        // Only --jq's part is compared.
        assert_eq!(
            judge(Some(&ok), Some(&other), &compare(Some(".b"))).kind,
            Kind::Unchanged
        );
        let fast = line(r#"{"line":1,"duration_ms":10,"status":200,"body":{"a":1,"b":[1,2]}}"#);
        let faster = line(r#"{"line":1,"duration_ms":30,"status":200,"body":{"a":1,"b":[1,2]}}"#);
        assert_eq!(
            judge(Some(&fast), Some(&faster), &c).speed,
            Speed::Same,
            "under the floor"
        );
        let untimed = line(r#"{"line":1,"status":200,"body":{"a":1,"b":[1,2]}}"#);
        assert_eq!(judge(Some(&untimed), Some(&ok), &c).speed, Speed::Unknown);
    }

    #[test]
    fn a_changed_line_shows_where_the_answers_first_differ() {
        let c = compare(None);
        let a = line(
            r#"{"line":2,"status":200,"body":{"id":"r1","output":{"city":"Paris","list":[1,2]}}}"#,
        );
        let b = line(
            r#"{"line":2,"status":200,"body":{"id":"r1","output":{"list":[1,3],"city":"Paris"}}}"#,
        );
        let n = judge(Some(&a), Some(&b), &c).note(&c, 100);
        assert_eq!(
            (n.before.to_string(), n.after.to_string()),
            (
                ".output.list[1]: 2".to_owned(),
                ".output.list[1]: 3".to_owned()
            )
        );
        let b = line(
            r#"{"line":2,"status":200,"body":{"id":"r1","output":{"city":"Paris","list":[1,2],"odd key":1}}}"#,
        );
        let n = judge(Some(&a), Some(&b), &c).note(&c, 100);
        assert_eq!(n.after.to_string(), r#".output["odd key"]: 1"#);
        assert_eq!(n.before.to_string(), r#".output["odd key"]: (none)"#);
    }

    #[test]
    fn each_gate_counts_its_lines_and_names_the_first() {
        let c = compare(None);
        let mut t = Tally::default();
        let ok = line(r#"{"line":4,"duration_ms":100,"status":200,"body":1}"#);
        let changed = line(r#"{"line":4,"duration_ms":300,"status":200,"body":2}"#);
        t.count(&judge(Some(&ok), Some(&changed), &c));
        assert!(FailOn::Regression.met(&t).is_none());
        assert_eq!(FailOn::Change.met(&t).unwrap().first, 4);
        assert_eq!(FailOn::Latency.met(&t).unwrap().count, 1);
        let ok9 = line(r#"{"line":9,"status":200,"body":1}"#);
        let bad9 = line(r#"{"line":9,"status":null,"exit":6,"error":"cannot connect"}"#);
        t.count(&judge(Some(&ok9), Some(&bad9), &c));
        let met = FailOn::Regression.met(&t).unwrap();
        assert_eq!((met.count, met.first), (1, 9));
        assert_eq!(t.regressed_by_class.get(&Class::Network), Some(&1));
        assert_eq!(FailOn::Latency.met(&t).unwrap().count, 2);
        assert!(FailOn::Never.met(&t).is_none());
    }
}
