//! A push parser for server-sent events (the WHATWG `text/event-stream` format): feed it the
//! body's chunks as they arrive, take out each event's data as soon as its blank line is in.
//!
//! Only `data` matters here (the API sends one JSON value per event); `event`, `id`, `retry`
//! and comments are read past. The crates that parse SSE wrap async byte streams; this is the
//! small synchronous core that our chunk loop needs, with its own tests.

#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// Bytes of a line not yet ended.
    line: Vec<u8>,
    /// The current event's data lines, joined by `\n`.
    data: Vec<u8>,
    has_data: bool,
    /// A `\r` ended the last chunk: a `\n` starting the next one belongs to it.
    after_cr: bool,
}

impl Parser {
    /// Takes a chunk; returns the data of every event it completed, in order. An event
    /// without its closing blank line when the stream ends is never dispatched, as the format
    /// says.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        let mut events = Vec::new();
        for &b in chunk {
            if std::mem::take(&mut self.after_cr) && b == b'\n' {
                continue;
            }
            match b {
                b'\r' | b'\n' => {
                    self.after_cr = b == b'\r';
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.line_ended(&line) {
                        events.push(event);
                    }
                }
                _ => self.line.push(b),
            }
        }
        events
    }

    /// Bytes held for an event not yet complete: a caller bounds this.
    pub(crate) fn pending(&self) -> usize {
        self.line.len() + self.data.len()
    }

    fn line_ended(&mut self, line: &[u8]) -> Option<Vec<u8>> {
        if line.is_empty() {
            if !std::mem::take(&mut self.has_data) {
                return None;
            }
            return Some(std::mem::take(&mut self.data));
        }
        if line[0] == b':' {
            return None;
        }
        let (field, value) = match line.iter().position(|b| *b == b':') {
            Some(i) => {
                let value = &line[i + 1..];
                (&line[..i], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        if field == b"data" {
            if self.has_data {
                self.data.push(b'\n');
            }
            self.data.extend_from_slice(value);
            self.has_data = true;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(chunks: &[&[u8]]) -> Vec<String> {
        let mut p = Parser::default();
        chunks
            .iter()
            .flat_map(|c| p.push(c))
            .map(|e| String::from_utf8(e).unwrap())
            .collect()
    }

    #[test]
    fn events_split_anywhere_come_out_whole() {
        let stream = b"data: {\"a\":1}\n\n: comment\nevent: x\nid: 7\ndata:{\"b\":2}\n\n";
        let want = vec![r#"{"a":1}"#.to_owned(), r#"{"b":2}"#.to_owned()];
        assert_eq!(all(&[stream]), want);
        for cut in 0..stream.len() {
            assert_eq!(all(&[&stream[..cut], &stream[cut..]]), want, "cut at {cut}");
        }
    }

    #[test]
    fn line_endings_and_multi_line_data() {
        assert_eq!(all(&[b"data: a\r\ndata: b\r\n\r\n"]), vec!["a\nb"]);
        assert_eq!(all(&[b"data: a\r", b"\n\r", b"\n"]), vec!["a"]);
        assert_eq!(all(&[b"data: a\r\r"]), vec!["a"]);
        assert_eq!(all(&[b"data\n\n"]), vec![""]);
    }

    #[test]
    fn no_data_no_event_and_an_unfinished_event_is_dropped() {
        assert!(all(&[b"event: ping\n\n: keep-alive\n\n"]).is_empty());
        assert!(all(&[b"data: half"]).is_empty());
    }
}
