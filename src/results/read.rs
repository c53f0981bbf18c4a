//! Results files read whole, one line at a time, in line order: what `results diff` and
//! `results report` read. A line becomes the [`Outcome`] the batch had (so that a report
//! counts it as the batch did), with its digests and how long it took.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, code};
use crate::output::safe::Mask;
use crate::results::line::{Digest, HEAD, Outcome, parse_head, read_line_start, unhex};

/// The longest result line read (a batch's largest answer and its head).
const MAX_LINE: usize = crate::limits::MAX_BATCH_BODY + 1024 * 1024;

/// One result as a results file holds it.
pub(crate) struct ResultLine {
    pub(crate) line: u64,
    /// The input record's digest (`"record_blake3"`): a line whose input changed is not
    /// compared. (What was sent, `"input_blake3"`, also covers the base URL: a suite run
    /// against staging and production is still the same suite.)
    pub(crate) record: Option<Digest>,
    /// How long it took; `None` when not sent, or written before durations were recorded.
    pub(crate) took: Option<Duration>,
    pub(crate) outcome: Outcome,
}

#[derive(serde::Deserialize)]
struct Whole<'a> {
    line: u64,
    #[serde(default, borrow)]
    record_blake3: Option<&'a str>,
    #[serde(default)]
    duration_ms: Option<f64>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    exit: Option<u8>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default, borrow)]
    body: Option<&'a serde_json::value::RawValue>,
}

/// A result line's outcome as the batch had it: an answer (with the unmet expectation or the
/// filter's error its `"error"` names), or a failure; masked by `mask` as it is made (the
/// batch masked the key it ran with; this is the key active now). `None`: not a result line.
pub(crate) fn parse(bytes: &[u8], mask: &Mask) -> Option<ResultLine> {
    let w: Whole = serde_json::from_slice(bytes).ok()?;
    let outcome = match w.status {
        Some(status) => {
            // An answer's error is an unmet expectation or `--jq`'s (expect.rs words the former).
            let (unmet, filter_error) = match w.error {
                Some(e) if e.starts_with("unmet expectation") => (Some(mask.apply(&e)), None),
                Some(e) => (None, Some(mask.apply(&e))),
                None => (None, None),
            };
            Outcome::Answer {
                status,
                body: w
                    .body
                    .map_or(b"null".to_vec(), |b| mask.hide(b.get()).as_bytes().to_vec()),
                filter_error,
                unmet,
            }
        }
        None => {
            let exit = w.exit.unwrap_or(code::FAILURE);
            Outcome::Failed {
                error: mask.apply(w.error.as_deref().unwrap_or("failed")),
                code: exit,
                sent: exit != code::USAGE,
            }
        }
    };
    Some(ResultLine {
        line: w.line,
        record: w.record_blake3.and_then(unhex),
        took: w
            .duration_ms
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .map(|ms| Duration::from_secs_f64(ms.min(1e12) / 1000.0)),
        outcome,
    })
}

/// A results file read in line order.
pub(crate) struct Ordered {
    shown: PathBuf,
    reader: BufReader<std::fs::File>,
    buf: Vec<u8>,
    last: u64,
    mask: Mask,
    /// Result lines read so far.
    pub(crate) count: u64,
}

fn cannot(path: &Path, e: &std::io::Error) -> Error {
    Error::BadInput(format!("{}: cannot read it: {e}", path.display()))
}

impl Ordered {
    /// Opens FILE and checks all of it first (heads only): every line a result, each line
    /// number after the one before. Refused (exit 2) before anything is said otherwise.
    pub(crate) fn open(path: &Path, mask: &Mask) -> Result<Ordered, Error> {
        let file = std::fs::File::open(path).map_err(|e| cannot(path, &e))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(Error::BadInput(format!(
                "{}: is a folder, not a results file",
                path.display()
            )));
        }
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut head = Vec::with_capacity(HEAD);
        let (mut last, mut n) = (0u64, 0u64);
        while let Some((_, complete)) =
            read_line_start(&mut reader, HEAD, &mut head).map_err(|e| cannot(path, &e))?
        {
            n += 1;
            let Some(h) = parse_head(&head).filter(|_| complete) else {
                return Err(Error::BadInput(format!(
                    "{}: line {n} is not a result line (a results file is what `run --batch … \
                     -o RESULTS` or `results merge` writes)",
                    path.display()
                )));
            };
            if h.line <= last {
                return Err(Error::BadInput(format!(
                    "{}: result {} comes after result {last}: not one result a line in line \
                     order (`miiflow results merge {} -o SORTED` puts it in order)",
                    path.display(),
                    h.line,
                    path.display()
                )));
            }
            last = h.line;
        }
        use std::io::Seek;
        let mut file = reader.into_inner();
        file.seek(std::io::SeekFrom::Start(0))
            .map_err(|e| cannot(path, &e))?;
        Ok(Ordered {
            shown: path.to_owned(),
            reader: BufReader::with_capacity(1 << 20, file),
            buf: Vec::new(),
            last: 0,
            count: 0,
            mask: mask.clone(),
        })
    }

    /// The next result; `None` at the end. A line that changed since it was checked is bad
    /// input as well.
    pub(crate) fn next(&mut self) -> Result<Option<ResultLine>, Error> {
        let Some((len, _)) = read_line_start(&mut self.reader, MAX_LINE, &mut self.buf)
            .map_err(|e| cannot(&self.shown, &e))?
        else {
            return Ok(None);
        };
        let whole = len as usize == self.buf.len();
        match parse(&self.buf, &self.mask).filter(|r| whole && r.line > self.last) {
            Some(r) => {
                self.last = r.line;
                self.count += 1;
                Ok(Some(r))
            }
            None => Err(Error::BadInput(format!(
                "{}: the result after line {} cannot be read (changed while read, or longer \
                 than {})",
                self.shown.display(),
                self.last,
                crate::limits::show_size(MAX_LINE as u64)
            ))),
        }
    }
}

/// Several results files read as one, in line order, as `results merge` merges them: where
/// more than one holds a line, a success beats a failure, then the later file wins.
pub(crate) struct Merged {
    files: Vec<Ordered>,
    next: Vec<Option<ResultLine>>,
}

impl Merged {
    pub(crate) fn new(mut files: Vec<Ordered>) -> Result<Merged, Error> {
        let next = files
            .iter_mut()
            .map(Ordered::next)
            .collect::<Result<_, _>>()?;
        Ok(Merged { files, next })
    }

    pub(crate) fn next(&mut self) -> Result<Option<ResultLine>, Error> {
        let Some(line) = self.next.iter().flatten().map(|r| r.line).min() else {
            return Ok(None);
        };
        let mut best: Option<ResultLine> = None;
        for (file, next) in self.files.iter_mut().zip(self.next.iter_mut()) {
            if next.as_ref().is_some_and(|r| r.line == line) {
                let candidate = std::mem::replace(next, file.next()?).expect("checked");
                let ok = |r: &ResultLine| r.outcome.code() == code::OK;
                if best.as_ref().is_none_or(|b| ok(&candidate) >= ok(b)) {
                    best = Some(candidate);
                }
            }
        }
        Ok(best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_(bytes: &[u8]) -> Option<ResultLine> {
        parse(bytes, &Mask::new("mk_secret_0123456789", "mk_…6789"))
    }

    #[test]
    fn lines_read_back_as_the_outcomes_the_batch_had() {
        let r = parse_(br#"{"line":3,"duration_ms":12.5,"status":200,"body":{"a":1}}"#).unwrap();
        assert_eq!(r.line, 3);
        assert_eq!(r.took, Some(Duration::from_micros(12_500)));
        assert!(
            matches!(&r.outcome, Outcome::Answer { status: 200, body, unmet: None, .. } if body == br#"{"a":1}"#)
        );
        let r = parse_(
            br#"{"line":4,"status":200,"exit":1,"error":"unmet expectation --expect .ok: it yielded false","body":{}}"#,
        )
        .unwrap();
        assert!(matches!(&r.outcome, Outcome::Answer { unmet: Some(_), .. }));
        assert_eq!(r.outcome.code(), code::FAILURE);
        let r = parse_(br#"{"line":5,"status":null,"exit":2,"error":"not JSON"}"#).unwrap();
        assert!(matches!(
            &r.outcome,
            Outcome::Failed {
                sent: false,
                code: 2,
                ..
            }
        ));
        assert_eq!(r.took, None, "a line written before durations: unknown");
        assert!(parse_(b"{\"nope\":1}").is_none());
        let r =
            parse_(br#"{"line":6,"status":500,"body":{"echo":"mk_secret_0123456789"}}"#).unwrap();
        assert!(
            matches!(&r.outcome, Outcome::Answer { body, .. } if body == "{\"echo\":\"mk_…6789\"}".as_bytes()),
            "masked as read"
        );
        assert!(
            parse_(br#"{"line":1,"duration_ms":-1,"status":200,"body":1}"#)
                .unwrap()
                .took
                .is_none()
        );
    }
}

/// Results-file lines (the fuzz target): a head that parses names a line; a result we write
/// reads back with the line, digest, status and exit it was written with.
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_results(data: &[u8]) {
    for head in data.split(|b| *b == b'\n') {
        let _ = parse_head(&head[..head.len().min(HEAD)]);
    }
    let (n, rest) = match data.split_first() {
        Some((n, rest)) => (u64::from(*n) + 1, rest),
        None => return,
    };
    let text = String::from_utf8_lossy(rest).into_owned();
    let digest: Digest = *blake3::hash(rest).as_bytes();
    let outcomes = [
        Outcome::Failed {
            error: text.clone(),
            code: 6,
            sent: true,
        },
        Outcome::Answer {
            status: 200,
            body: crate::output::embed(rest),
            filter_error: Some(text),
            unmet: None,
        },
    ];
    let took =
        std::time::Duration::from_micros(u64::from(rest.first().copied().unwrap_or(0)) * 997);
    let mask = crate::output::safe::Mask::default();
    for outcome in &outcomes {
        let written = outcome.to_line_with(n, Some(&digest), Some(&digest), Some(took));
        serde_json::from_slice::<serde_json::Value>(&written).expect("a result line is JSON");
        let head = parse_head(&written[..written.len().min(HEAD)])
            .expect("a result line we wrote has a head");
        assert_eq!(head.line, n);
        assert_eq!(head.input_blake3.as_deref().and_then(unhex), Some(digest));
        assert_eq!(head.exit, Some(outcome.code()));
        // Read whole (`results diff`, `results report`): the same line, time and verdict.
        let read = parse(&written, &mask).expect("a line we wrote reads");
        assert_eq!(
            (read.line, read.took, read.record),
            (n, Some(took), Some(digest))
        );
        assert_eq!(read.outcome.code(), outcome.code());
    }
    for line in data.split(|b| *b == b'\n') {
        let _ = parse(line, &mask);
    }
}
