//! One result line: what became of a batch line ([`Outcome`]), the line written for it
//! ([`Outcome::to_line`]) and read back by `--resume` ([`parse_head`]), and the digest that
//! ties a result to what was sent ([`digest`]). The format, in one place:
//! `{"line":N,"input_blake3":"…","record_blake3":"…","duration_ms":T,"status":S,"exit":C,"error":"…","body":…}`, fields always in
//! that order, so that `--resume` reads only each line's head.

use crate::error::{self, code};
pub(crate) use crate::output::{embed, embed_events};
use crate::request::Request;

/// BLAKE3 of what makes a line's result what it is: the whole URL it is sent to (base URL and
/// endpoint: staging is not production), the `--jq` filter that shaped the result, and the
/// body sent. A changed line, item, agent, workflow, base URL or filter changes it. (BLAKE3
/// rather than SHA-256: a few times faster without SHA instructions, which a batch with `-o`
/// pays on every line.)
pub(crate) type Digest = [u8; 32];

pub(crate) fn digest(req: &Request, jq: Option<&str>, expect: Option<&str>) -> Digest {
    let mut hash = blake3::Hasher::new();
    hash.update(b"miiflow results 2\n");
    hash.update(req.url.as_str().as_bytes());
    hash.update(b"\n");
    if let Some(filter) = jq {
        hash.update(&(filter.len() as u64).to_le_bytes());
        hash.update(filter.as_bytes());
    }
    hash.update(b"\n");
    if let Some(body) = &req.body {
        hash.update(body);
    }
    // Added only when there are expectations: results recorded without any keep their digest.
    if let Some(expect) = expect {
        hash.update(b"\nexpect\n");
        hash.update(expect.as_bytes());
    }
    hash.finalize().into()
}

/// BLAKE3 of a batch input's record as read: a JSON line's bytes, or a CSV row's cells. A
/// result carries it so that `results merge --input` can tell a result whose line has
/// changed since (none for a record that could not be read).
pub(crate) fn record_digest(record: &crate::results::records::Record) -> Option<Digest> {
    use crate::results::records::Record;
    let mut hash = blake3::Hasher::new();
    match record {
        Record::Line(bytes) => {
            hash.update(b"miiflow record\n");
            hash.update(bytes);
        }
        Record::Row { cells, .. } => {
            hash.update(b"miiflow row\n");
            for cell in cells {
                hash.update(&(cell.len() as u64).to_le_bytes());
                hash.update(cell.as_bytes());
            }
        }
        Record::Bad(_) | Record::End(_) => return None,
    }
    Some(hash.finalize().into())
}

/// Appends the digest in lower-case hex.
pub(crate) fn hex_into(digest: &Digest, out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in digest {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
}

/// A digest written in hex (either case); `None` for anything else. A table, not blake3's
/// `Hash::from_hex`: a merge reads two digests a line, and that function's per-digit calls
/// were a fifth of a 1,000,000-line merge at the release profile's `opt-level = "z"`.
pub(crate) fn unhex(text: &str) -> Option<Digest> {
    const NIBBLE: [u8; 256] = {
        let mut t = [0xff; 256];
        let mut i = 0;
        while i < 16 {
            t[b"0123456789abcdef"[i] as usize] = i as u8;
            t[b"0123456789ABCDEF"[i] as usize] = i as u8;
            i += 1;
        }
        t
    };
    let text = text.as_bytes();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let (hi, lo) = (NIBBLE[usize::from(pair[0])], NIBBLE[usize::from(pair[1])]);
        if (hi | lo) > 15 {
            return None;
        }
        *byte = hi << 4 | lo;
    }
    Some(out)
}

/// One result as recorded: what its head says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub(crate) digest: Option<Digest>,
    pub(crate) status: Option<u16>,
    pub(crate) exit: Option<u8>,
}

impl Recorded {
    /// The exit code this line gives: `exit` when recorded, else by status.
    pub(crate) fn code(&self) -> u8 {
        match (self.exit, self.status) {
            (Some(exit), _) => exit,
            (None, Some(status)) => error::status_code(status),
            (None, None) => code::FAILURE,
        }
    }

    pub(crate) fn reason(&self) -> String {
        match self.status {
            Some(s) => format!("{} (recorded in the results file)", error::status_words(s)),
            None => "failed (recorded in the results file)".into(),
        }
    }
}

/// The fields at the head of a result line: everything before `"error"` or `"body"`.
#[derive(serde::Deserialize)]
pub(crate) struct Head {
    pub(crate) line: u64,
    pub(crate) input_blake3: Option<String>,
    #[serde(default)]
    pub(crate) record_blake3: Option<String>,
    pub(crate) status: Option<u16>,
    pub(crate) exit: Option<u8>,
}

/// How much of each line `--resume` reads: the head fields fit many times over.
pub(crate) const HEAD: usize = 512;

pub(crate) fn parse_head(head: &[u8]) -> Option<Head> {
    // Built once: a merge or a resume reads a million heads.
    static ENDS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
        std::sync::LazyLock::new(|| {
            [b",\"error\":".as_slice(), b",\"body\":"].map(memchr::memmem::Finder::new)
        });
    let cut = ENDS.iter().filter_map(|f| f.find(head)).min()?;
    let mut object = head[..cut].to_vec();
    object.push(b'}');
    serde_json::from_slice(&object).ok()
}

/// Reads the next line of a results file into `out` (cleared first), keeping at most `keep`
/// bytes of it (the rest is read past, never held). Returns the line's length with its
/// newline, and whether it had one (a last line cut by a kill has none); `None` at the end.
pub(crate) fn read_line_start(
    reader: &mut impl std::io::BufRead,
    keep: usize,
    out: &mut Vec<u8>,
) -> std::io::Result<Option<(u64, bool)>> {
    out.clear();
    let mut len = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok((len > 0).then_some((len, false)));
        }
        let (part, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let room = keep.saturating_sub(out.len());
        out.extend_from_slice(&part[..part.len().min(room)]);
        let used = part.len();
        len += used as u64;
        reader.consume(used);
        if done {
            return Ok(Some((len, true)));
        }
    }
}

/// What became of one line.
pub(crate) enum Outcome {
    /// An HTTP answer: the status, the body as embedded (or the filter's result), and why
    /// `--jq` failed on a 2xx body (the body is then the unfiltered answer).
    Answer {
        status: u16,
        body: Vec<u8>,
        filter_error: Option<String>,
        /// The expectation a 2xx answer did not meet (`--expect`), in words.
        unmet: Option<String>,
    },
    /// Bad input (`sent: false`) or a failed exchange: no status.
    Failed { error: String, code: u8, sent: bool },
    /// `--resume`: the result RESULTS holds for this line stands.
    Kept(Recorded),
}

impl Outcome {
    /// About how many bytes this result holds.
    pub(crate) fn size(&self) -> usize {
        match self {
            Outcome::Answer { body, .. } => body.len() + 64,
            Outcome::Failed { error, .. } => error.len() + 64,
            Outcome::Kept(_) => 64,
        }
    }

    /// Why the line failed, in words (for its history entry): the error, the unmet
    /// expectation, the filter's error; `None` when it did not.
    pub(crate) fn why(&self) -> Option<String> {
        match self {
            Outcome::Failed { error, .. } => Some(error.clone()),
            Outcome::Answer { unmet: Some(u), .. } => Some(u.clone()),
            Outcome::Answer {
                filter_error: Some(f),
                ..
            } => Some(f.clone()),
            _ => None,
        }
    }

    pub(crate) fn code(&self) -> u8 {
        match self {
            Outcome::Answer {
                filter_error: Some(_),
                ..
            }
            | Outcome::Answer { unmet: Some(_), .. } => code::FAILURE,
            Outcome::Answer { status, .. } => error::status_code(*status),
            Outcome::Failed { code, .. } => *code,
            Outcome::Kept(r) => r.code(),
        }
    }

    /// The line's result: `{"line":N,"status":S,"body":…}`, or `{"line":N,"status":null,
    /// "exit":C,"error":"…"}`; a failed filter adds `"exit":1,"error":…` before the body. In a
    /// results file, `"input_blake3"` follows `"line"`. (The fields before `body` and `error`
    /// are what `--resume` reads back.)
    pub(crate) fn to_line(&self, n: u64, digest: Option<&Digest>) -> Vec<u8> {
        self.to_line_with(n, digest, None, None)
    }

    /// [`Outcome::to_line`], with the digest of the input record itself after the input
    /// digest (`"record_blake3"`: what `results merge --input` compares) and how long the
    /// line took, retries included (`"duration_ms"`, to the microsecond: what `results diff`
    /// and `results report` read; a line that was not sent has none).
    pub(crate) fn to_line_with(
        &self,
        n: u64,
        digest: Option<&Digest>,
        record: Option<&Digest>,
        took: Option<std::time::Duration>,
    ) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(format!("{{\"line\":{n},").as_bytes());
        for (name, d) in [("input_blake3", digest), ("record_blake3", record)] {
            if let Some(d) = d {
                out.extend_from_slice(format!("\"{name}\":\"").as_bytes());
                hex_into(d, &mut out);
                out.extend_from_slice(b"\",");
            }
        }
        if let Some(took) = took {
            let micros = took.as_micros();
            out.extend_from_slice(
                format!("\"duration_ms\":{}.{:03},", micros / 1000, micros % 1000).as_bytes(),
            );
        }
        let error = |out: &mut Vec<u8>, code: u8, error: &str| {
            out.extend_from_slice(format!("\"exit\":{code},\"error\":").as_bytes());
            serde_json::to_writer(&mut *out, error).expect("writing to a Vec");
        };
        match self {
            Outcome::Answer {
                status,
                body,
                filter_error,
                unmet,
            } => {
                out.extend_from_slice(format!("\"status\":{status},").as_bytes());
                if let Some(e) = unmet.as_ref().or(filter_error.as_ref()) {
                    error(&mut out, code::FAILURE, e);
                    out.push(b',');
                }
                out.extend_from_slice(b"\"body\":");
                out.extend_from_slice(body);
            }
            Outcome::Failed { error: e, code, .. } => {
                out.extend_from_slice(b"\"status\":null,");
                error(&mut out, *code, e);
            }
            Outcome::Kept(_) => unreachable!("a kept result is already written"),
        }
        out.extend_from_slice(b"}\n");
        out
    }
}

/// `--jq`'s results as one value: one result is itself, any other number an array of them.
pub(crate) fn one_value(results: &[u8]) -> Vec<u8> {
    let values: Vec<&[u8]> = results
        .split(|b| *b == b'\n')
        .filter(|v| !v.is_empty())
        .collect();
    match values.as_slice() {
        [one] => one.to_vec(),
        many => {
            let mut out = vec![b'['];
            for (i, v) in many.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(v);
            }
            out.push(b']');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A result line written is JSON, and `--resume` reads back the line, digest, status
        /// and exit it was written with, whatever the error text or body.
        #[test]
        fn result_lines_read_back_as_written(
            n in 1u64..u64::MAX / 2,
            digest in proptest::array::uniform32(proptest::num::u8::ANY),
            status in 100u16..600,
            code in 1u8..=6,
            error in ".{0,300}",
            body in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
            filter_failed in proptest::bool::ANY,
            answered in proptest::bool::ANY,
        ) {
            let outcome = match answered {
                true => Outcome::Answer {
                    status,
                    body: embed(&body),
                    filter_error: filter_failed.then(|| error.clone()),
                    unmet: None,
                },
                false => Outcome::Failed { error: error.clone(), code, sent: true },
            };
            let written = outcome.to_line(n, Some(&digest));
            proptest::prop_assert!(written.ends_with(b"}\n"), "a line ends with its brace");
            serde_json::from_slice::<serde_json::Value>(&written).unwrap();
            let head = parse_head(&written[..written.len().min(HEAD)]).unwrap();
            proptest::prop_assert_eq!(head.line, n);
            proptest::prop_assert_eq!(head.input_blake3.as_deref().and_then(unhex), Some(digest));
            proptest::prop_assert_eq!(head.status, answered.then_some(status));
            let exit = match (answered, filter_failed) {
                (true, false) => None,
                _ => Some(outcome.code()),
            };
            proptest::prop_assert_eq!(head.exit, exit);
        }
    }

    #[test]
    pub(crate) fn heads_are_read_without_the_body() {
        let h = parse_head(br#"{"line":7,"input_blake3":"ab","status":200,"body":{"x":"#).unwrap();
        assert_eq!((h.line, h.status, h.exit), (7, Some(200), None));
        let h =
            parse_head(br#"{"line":8,"status":null,"exit":6,"error":"cannot connect"}"#).unwrap();
        assert_eq!((h.line, h.status, h.exit), (8, None, Some(6)));
        assert!(parse_head(br#"{"line":9,"sta"#).is_none());
        let d = [0xabu8; 32];
        let mut text = Vec::new();
        hex_into(&d, &mut text);
        assert_eq!(unhex(std::str::from_utf8(&text).unwrap()), Some(d));
        assert_eq!(unhex("zz"), None);
    }

    proptest::proptest! {
        /// The table reads hex as blake3's own parser does: every digest in either case, and
        /// nothing else (a wrong length, a non-hex byte anywhere, non-ASCII text).
        #[test]
        fn unhex_agrees_with_blake3(
            d in proptest::array::uniform32(proptest::num::u8::ANY),
            upper in proptest::bool::ANY,
            at in 0usize..64,
            bad in proptest::char::any(),
            cut in 0usize..66,
        ) {
            let reference = |t: &str| blake3::Hash::from_hex(t).ok().map(|h| *h.as_bytes());
            let mut text = String::new();
            let mut bytes = Vec::new();
            hex_into(&d, &mut bytes);
            text.push_str(std::str::from_utf8(&bytes).unwrap());
            if upper {
                text = text.to_uppercase();
            }
            proptest::prop_assert_eq!(unhex(&text), Some(d));
            let mut spoiled: Vec<char> = text.chars().collect();
            spoiled[at] = bad;
            let spoiled: String = spoiled.into_iter().collect();
            proptest::prop_assert_eq!(unhex(&spoiled), reference(&spoiled));
            let short = &text[..cut.min(64)];
            proptest::prop_assert_eq!(unhex(short), reference(short));
        }
    }

    fn answer(status: u16, body: &str) -> Outcome {
        Outcome::Answer {
            status,
            body: body.as_bytes().to_vec(),
            filter_error: None,
            unmet: None,
        }
    }

    #[test]
    fn result_lines_keep_their_field_order() {
        let line = answer(200, "{\"a\":1}").to_line(3, None);
        assert_eq!(line, b"{\"line\":3,\"status\":200,\"body\":{\"a\":1}}\n");
        let d = [0x11u8; 32];
        let line = String::from_utf8(answer(500, "1").to_line(4, Some(&d))).unwrap();
        assert!(
            line.starts_with("{\"line\":4,\"input_blake3\":\"1111"),
            "{line}"
        );
        let failed = Outcome::Failed {
            error: "cannot \"connect\"".into(),
            code: 6,
            sent: true,
        };
        assert_eq!(
            failed.to_line(5, None),
            b"{\"line\":5,\"status\":null,\"exit\":6,\"error\":\"cannot \\\"connect\\\"\"}\n"
        );
        let filtered = Outcome::Answer {
            status: 200,
            body: b"{}".to_vec(),
            filter_error: Some("--jq: bad".into()),
            unmet: None,
        };
        let text = String::from_utf8(filtered.to_line(6, None)).unwrap();
        assert_eq!(
            text,
            "{\"line\":6,\"status\":200,\"exit\":1,\"error\":\"--jq: bad\",\"body\":{}}\n"
        );
        assert_eq!(filtered.code(), 1);
    }

    #[test]
    fn every_line_written_reads_back_as_its_head() {
        let d = [0xabu8; 32];
        let cases = [
            answer(200, "{\"x\":[1,2]}"),
            answer(404, "\"gone\""),
            Outcome::Failed {
                error: "e".into(),
                code: 2,
                sent: false,
            },
        ];
        for (i, outcome) in cases.iter().enumerate() {
            let line = outcome.to_line(i as u64 + 1, Some(&d));
            let head = parse_head(&line[..line.len().min(HEAD)]).expect("a head");
            assert_eq!(head.line, i as u64 + 1);
            assert_eq!(head.input_blake3.as_deref().and_then(unhex), Some(d));
            let recorded = Recorded {
                digest: Some(d),
                status: head.status,
                exit: head.exit,
            };
            assert_eq!(recorded.code(), outcome.code());
        }
    }

    #[test]
    fn bodies_are_embedded_as_json() {
        assert_eq!(embed(b"{ \"a\" : 1.50 }"), b"{\"a\":1.50}");
        assert_eq!(embed(b"not json"), b"\"not json\"");
        assert_eq!(
            embed_events(b"data: {\"a\":1}\n\ndata: text\n\n"),
            b"[{\"a\":1},\"text\"]"
        );
        assert_eq!(one_value(b"1\n"), b"1");
        assert_eq!(one_value(b"1\n2\n"), b"[1,2]");
        assert_eq!(one_value(b""), b"[]");
    }

    #[test]
    fn digests_cover_the_url_the_filter_and_the_body() {
        let base = reqwest::Url::parse("https://api.miiflow.ai").unwrap();
        let other = reqwest::Url::parse("https://staging.miiflow.ai").unwrap();
        let req = |base: &reqwest::Url, input: &str| {
            Request::agent_run(base, "agent_a", input.as_bytes().to_vec())
        };
        let d = digest(&req(&base, "{}"), None, None);
        assert_eq!(d, digest(&req(&base, "{}"), None, None));
        assert_ne!(d, digest(&req(&base, "{ }"), None, None));
        assert_ne!(d, digest(&req(&other, "{}"), None, None));
        assert_ne!(d, digest(&req(&base, "{}"), Some("."), None));
        assert_ne!(
            digest(&req(&base, "{}"), Some(".a"), None),
            digest(&req(&base, "{}"), Some(".b"), None)
        );
        assert_ne!(d, digest(&req(&base, "{}"), None, Some("--expect .ok")));
    }
}
