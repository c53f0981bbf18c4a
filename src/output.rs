//! What reaches the user: the body on stdout (terminal: pretty and coloured; pipe: exact bytes),
//! the status line, warnings and the spinner on stderr, and `--jq`.

use std::io::{self, IsTerminal, Write};
use std::time::Duration;

use crate::cli::ColorChoice;

/// Whether to colour a stream: `--color` first, then `NO_COLOR`, then `CLICOLOR_FORCE`, then
/// whether the stream is a terminal.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => is_terminal,
    }
}

/// How stdout and stderr behave for one command.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub stdout_tty: bool,
    pub stderr_tty: bool,
    pub stdout_color: bool,
    pub stderr_color: bool,
}

impl Terminal {
    pub fn detect(choice: ColorChoice) -> Terminal {
        let stdout_tty = io::stdout().is_terminal();
        let stderr_tty = io::stderr().is_terminal();
        Terminal {
            stdout_tty,
            stderr_tty,
            stdout_color: use_color(choice, stdout_tty),
            stderr_color: use_color(choice, stderr_tty),
        }
    }

    /// Bodies are pretty-printed for a person: on a terminal, or when colour is forced.
    pub fn pretty(&self) -> bool {
        self.stdout_tty || self.stdout_color
    }
}

/// stdout that ends quietly when its reader goes away (`| head`): later writes are dropped.
#[derive(Default)]
pub struct Stdout {
    closed: bool,
}

impl Stdout {
    /// True once the reader has gone away.
    pub fn closed(&self) -> bool {
        self.closed
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        match out.write_all(bytes).and_then(|()| out.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

fn paint(out: &mut Vec<u8>, color: Option<&str>, text: &[u8]) {
    match color {
        Some(c) => {
            out.extend_from_slice(format!("\x1b[{c}m").as_bytes());
            out.extend_from_slice(text);
            out.extend_from_slice(b"\x1b[0m");
        }
        None => out.extend_from_slice(text),
    }
}

const KEY: &str = "34;1";
const STRING: &str = "32";
const NUMBER: &str = "36";
const LITERAL: &str = "33";
const NULL: &str = "90";

/// How [`reformat`] lays JSON out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Two-space indent, one member per line, as jq prints.
    Pretty,
    /// No insignificant white space: one line.
    Compact,
}

/// Re-indents valid JSON without re-reading its values: numbers and string escapes stay as
/// sent. Returns `None` when `text` is not one JSON value (it is then printed as it is).
pub fn pretty_json(text: &[u8], color: bool) -> Option<Vec<u8>> {
    let mut out = reformat(text, Layout::Pretty, color)?;
    out.push(b'\n');
    Some(out)
}

/// Lays out valid JSON token by token, copying every string and number as it is.
pub fn reformat(text: &[u8], layout: Layout, color: bool) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(text).ok()?;
    crate::json::validate(s).ok()?;
    let c = |code| color.then_some(code);
    let pretty = layout == Layout::Pretty;
    let mut out = Vec::with_capacity(text.len() + text.len() / 2);
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        if pretty {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', depth * 2));
        }
    };
    let next_significant = |from: usize| text[from..].iter().find(|b| !b.is_ascii_whitespace());
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match b {
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                if next_significant(i + 1) == Some(&close) {
                    out.extend_from_slice(&[b, close]);
                    let skip = text[i + 1..].iter().position(|x| *x == close).unwrap_or(0);
                    i += skip + 2;
                    continue;
                }
                out.push(b);
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
            }
            b':' if pretty => out.extend_from_slice(b": "),
            b':' => out.push(b':'),
            b'"' => {
                let mut j = i + 1;
                while text[j] != b'"' {
                    j += if text[j] == b'\\' { 2 } else { 1 };
                }
                let is_key = next_significant(j + 1) == Some(&b':');
                paint(&mut out, c(if is_key { KEY } else { STRING }), &text[i..=j]);
                i = j + 1;
                continue;
            }
            b if b.is_ascii_whitespace() => {}
            _ => {
                let len = text[i..]
                    .iter()
                    .position(|x| !(x.is_ascii_alphanumeric() || matches!(x, b'+' | b'-' | b'.')))
                    .unwrap_or(text.len() - i);
                let token = &text[i..i + len];
                let code = match token[0] {
                    b't' | b'f' => LITERAL,
                    b'n' => NULL,
                    _ => NUMBER,
                };
                paint(&mut out, c(code), token);
                i += len;
                continue;
            }
        }
        i += 1;
    }
    Some(out)
}

/// The status line: `HTTP 200 OK · 0.42 s`.
pub fn status_line(status: reqwest::StatusCode, elapsed: Duration, color: bool) -> String {
    let text = format!(
        "HTTP {} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let text = text.trim_end();
    let secs = format!("{:.2} s", elapsed.as_secs_f64());
    if !color {
        return format!("{text} · {secs}");
    }
    let code = match status.as_u16() {
        200..=299 => "32;1",
        400..=499 => "33;1",
        _ => "31;1",
    };
    format!("\x1b[{code}m{text}\x1b[0m · {secs}")
}

/// A one-line reason for a non-2xx answer: the status, and the body's `error`, `message` or
/// `detail` when it has one.
pub fn reason(status: reqwest::StatusCode, body: &[u8]) -> String {
    let head = format!(
        "HTTP {} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    let head = head.trim_end().to_owned();
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return head;
    };
    let said = ["error", "message", "detail"]
        .iter()
        .find_map(|k| match value.get(k) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(inner @ serde_json::Value::Object(_)) => inner
                .get("message")
                .and_then(|m| m.as_str())
                .map(str::to_owned),
            _ => None,
        });
    match said {
        Some(s) => {
            let line: String = s
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect();
            format!("{head}: {line}")
        }
        None => head,
    }
}

/// A spinner with the elapsed time on stderr, only when stderr is a terminal.
pub fn spinner(show: bool, what: &str) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} · {elapsed}")
            .expect("a valid template"),
    );
    bar.set_message(format!("running {what}"));
    bar.enable_steady_tick(Duration::from_millis(100));
    Some(bar)
}

/// A compiled `--jq` filter.
pub struct Jq {
    filter: jaq_core::compile::Filter<jaq_core::Native<jaq_core::data::JustLut<jaq_json::Val>>>,
}

impl Jq {
    /// Compiles a filter; errors are usage errors (exit 2), found before anything is sent.
    pub fn compile(code: &str) -> Result<Jq, String> {
        use jaq_core::load::{Arena, File, Loader};
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let loader = Loader::new(defs);
        let arena = Arena::default();
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errs| {
                use jaq_core::load::Error;
                // Each error says what was expected and where (the rest of the filter from there).
                let at = |rest: &str| match rest.is_empty() {
                    true => "at the end".to_owned(),
                    false => format!("at '{}'", rest.chars().take(20).collect::<String>()),
                };
                let what: Vec<String> = errs
                    .into_iter()
                    .flat_map(|(_, e)| match e {
                        Error::Io(io) => io.into_iter().map(|(p, m)| format!("{p}: {m}")).collect(),
                        Error::Lex(lex) => lex
                            .into_iter()
                            .map(|(expect, rest)| {
                                format!("expected {} {}", expect.as_str(), at(rest))
                            })
                            .collect(),
                        Error::Parse(parse) => parse
                            .into_iter()
                            .map(|(expect, rest)| {
                                format!("expected {} {}", expect.as_str(), at(rest))
                            })
                            .collect::<Vec<_>>(),
                    })
                    .collect();
                format!("--jq '{code}': {}", what.join("; "))
            })?;
        let filter = jaq_core::Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errs| {
                let names: Vec<String> = errs
                    .into_iter()
                    .flat_map(|(_, es)| es.into_iter().map(|(name, _)| name.to_string()))
                    .collect();
                format!("--jq '{code}': unknown name(s): {}", names.join(", "))
            })?;
        Ok(Jq { filter })
    }

    /// Runs the filter on a JSON body and renders each result as jq would.
    pub fn apply(
        &self,
        body: &[u8],
        raw: bool,
        compact: bool,
        color: bool,
    ) -> anyhow::Result<Vec<u8>> {
        use jaq_core::{Ctx, Vars, data, unwrap_valr};
        let input = jaq_json::read::parse_single(body)
            .map_err(|e| anyhow::anyhow!("--jq: the answer is not JSON ({e})"))?;
        let ctx = Ctx::<data::JustLut<jaq_json::Val>>::new(&self.filter.lut, Vars::new([]));
        let mut out = Vec::new();
        for result in self.filter.id.run((ctx, input)).map(unwrap_valr) {
            let value = result.map_err(|e| anyhow::anyhow!("--jq: {e}"))?;
            match &value {
                jaq_json::Val::TStr(s) if raw => out.extend_from_slice(s),
                _ => {
                    let text = value.to_string();
                    match (compact, pretty_json(text.as_bytes(), color)) {
                        (false, Some(p)) => {
                            out.extend_from_slice(&p);
                            continue;
                        }
                        _ => out.extend_from_slice(text.as_bytes()),
                    }
                }
            }
            out.push(b'\n');
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_keeps_numbers_and_escapes() {
        let text = br#"{"a":[1.50,12345678901234567890123],"s":"\u00e9\"x","e":{},"l":[ ],"t":true,"n":null}"#;
        let out = String::from_utf8(pretty_json(text, false).unwrap()).unwrap();
        let want = r#"{
  "a": [
    1.50,
    12345678901234567890123
  ],
  "s": "\u00e9\"x",
  "e": {},
  "l": [],
  "t": true,
  "n": null
}
"#;
        assert_eq!(out, want);
    }

    #[test]
    fn pretty_colours_keys_and_values_differently() {
        let out = String::from_utf8(pretty_json(br#"{"k":"v","n":1}"#, true).unwrap()).unwrap();
        assert!(out.contains("\x1b[34;1m\"k\"\x1b[0m"), "{out:?}");
        assert!(out.contains("\x1b[32m\"v\"\x1b[0m"), "{out:?}");
        assert!(out.contains("\x1b[36m1\x1b[0m"), "{out:?}");
    }

    #[test]
    fn compact_removes_only_white_space() {
        let text = b"{ \"a\" : [ 1.50 , \"x y\" ],\n \"b\": { } }";
        let out = reformat(text, Layout::Compact, false).unwrap();
        assert_eq!(out, br#"{"a":[1.50,"x y"],"b":{}}"#);
    }

    #[test]
    fn pretty_refuses_non_json() {
        assert!(pretty_json(b"hello", false).is_none());
        assert!(pretty_json(b"{\"a\":", false).is_none());
        assert!(pretty_json(b"\xff", false).is_none());
    }

    #[test]
    fn reasons_come_from_the_body_when_it_has_one() {
        let s = reqwest::StatusCode::NOT_FOUND;
        assert_eq!(
            reason(s, br#"{"error":"agent not found"}"#),
            "HTTP 404 Not Found: agent not found"
        );
        assert_eq!(
            reason(s, br#"{"error":{"message":"nope"}}"#),
            "HTTP 404 Not Found: nope"
        );
        assert_eq!(reason(s, b"<html>"), "HTTP 404 Not Found");
    }

    #[test]
    fn jq_keeps_big_numbers_and_raw_strings() {
        let jq = Jq::compile(".n, .s").unwrap();
        let out = jq
            .apply(
                br#"{"n":1234567890123456789012345,"s":"a\"b"}"#,
                true,
                false,
                false,
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1234567890123456789012345\na\"b\n"
        );
        assert!(Jq::compile(".[").is_err());
        assert!(Jq::compile("nosuchfn").is_err());
    }

    #[test]
    fn status_lines() {
        let line = status_line(reqwest::StatusCode::OK, Duration::from_millis(420), false);
        assert_eq!(line, "HTTP 200 OK · 0.42 s");
    }
}
