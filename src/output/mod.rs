//! How answers are shaped for whoever reads them — the bytes, not the streams (those are the
//! [`crate::ui::Ui`]'s): [`pretty`] (the JSON printer), [`jq`] (`--jq`), [`mod@file`] (`-o`,
//! replaced only once an answer is complete), [`reason`] (an error answer's reason), and
//! [`safe`] (server text made safe: masked, cut, escaped).

pub(crate) mod file;
pub(crate) mod jq;
pub(crate) mod pretty;

pub(crate) mod reason;
pub(crate) mod safe;

use std::time::Duration;

pub(crate) use file::OutputFile;
pub(crate) use jq::{Jq, JqError, Render};
pub(crate) use pretty::{Layout, pretty_json, reformat};

/// A body as a result line holds it: compact JSON as sent (numbers and escapes kept), or a
/// JSON string when it is not JSON.
pub(crate) fn embed(body: &[u8]) -> Vec<u8> {
    reformat(body, Layout::Compact, false).unwrap_or_else(|| {
        serde_json::to_vec(&String::from_utf8_lossy(body)).expect("a string serialises")
    })
}

/// A server-sent-event answer as a result line holds it: an array of the events' data.
pub(crate) fn embed_events(body: &[u8]) -> Vec<u8> {
    let mut parser = crate::sse::Parser::default();
    let mut out = vec![b'['];
    for (i, data) in parser.push(body).into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&embed(&data));
    }
    out.push(b']');
    out
}

/// The status line: `HTTP 200 OK · 0.42 s`.
pub(crate) fn status_line(status: u16, elapsed: Duration, color: bool) -> String {
    let text = crate::error::status_words(status);
    let secs = format!("{:.2} s", elapsed.as_secs_f64());
    if !color {
        return format!("{text} · {secs}");
    }
    let code = match status {
        200..=299 => "32;1",
        400..=499 => "33;1",
        _ => "31;1",
    };
    format!("\x1b[{code}m{text}\x1b[0m · {secs}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        let line = status_line(200, Duration::from_millis(420), false);
        assert_eq!(line, "HTTP 200 OK · 0.42 s");
        let line = status_line(599, Duration::from_millis(5), false);
        assert_eq!(line, "HTTP 599 · 0.01 s");
    }
}
