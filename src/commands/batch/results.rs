//! `--batch IN -o RESULTS`: the results file. While the batch runs it is a journal: each
//! result is appended with one write as it finishes (a kill -9 leaves every finished line
//! readable; at worst the line being written is cut, and it is then ignored). `--resume` reads
//! it back; when the batch ends, it is rewritten atomically with exactly one result per input
//! line, in input order.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::source::Shard;
use crate::error::{self, Error, code};
use crate::output::OutputFile;
use crate::request::Request;

/// BLAKE3 of what a line sends: the endpoint's path, a newline and the body. A changed line,
/// item, agent or workflow changes it. (BLAKE3 rather than SHA-256: a few times faster without
/// SHA instructions, which a batch with `-o` pays on every line.)
pub type Digest = [u8; 32];

pub fn digest(req: &Request) -> Digest {
    let mut hash = blake3::Hasher::new();
    hash.update(req.url.path().as_bytes());
    hash.update(b"\n");
    if let Some(body) = &req.body {
        hash.update(body);
    }
    hash.finalize().into()
}

/// Appends the digest in lower-case hex.
pub fn hex_into(digest: &Digest, out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in digest {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
}

fn unhex(text: &str) -> Option<Digest> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// One result as recorded: what its head says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub digest: Option<Digest>,
    pub status: Option<u16>,
    pub exit: Option<u8>,
}

impl Recorded {
    /// The exit code this line gives: `exit` when recorded, else by status.
    pub fn code(&self) -> u8 {
        match (self.exit, self.status) {
            (Some(exit), _) => exit,
            (None, Some(status)) => error::status_code(status),
            (None, None) => code::FAILURE,
        }
    }

    pub fn reason(&self) -> String {
        match self.status {
            Some(s) => format!("{} (recorded in the results file)", error::status_words(s)),
            None => "failed (recorded in the results file)".into(),
        }
    }
}

/// The fields at the head of a result line: everything before `"error"` or `"body"`.
#[derive(serde::Deserialize)]
struct Head {
    line: u64,
    input_blake3: Option<String>,
    status: Option<u16>,
    exit: Option<u8>,
}

/// How much of each line `--resume` reads: the head fields fit many times over.
const HEAD: usize = 512;

fn parse_head(head: &[u8]) -> Option<Head> {
    let cut = [&b",\"error\":"[..], b",\"body\":"]
        .iter()
        .filter_map(|m| head.windows(m.len()).position(|w| w == *m))
        .min()?;
    let mut object = head[..cut].to_vec();
    object.push(b'}');
    serde_json::from_slice(&object).ok()
}

/// What `--resume` found, and what it decided for each line.
#[derive(Default)]
pub struct Resumed {
    /// The latest recorded result of each line, sorted by line (looked up by binary search:
    /// 48 bytes a line).
    index: Vec<(u64, Recorded)>,
    retry_failed: bool,
    /// Lines whose input changed since their result was recorded (the first few, and how many).
    pub changed: Vec<u64>,
    pub changed_count: u64,
    /// Recorded results kept, and how many of them failed.
    pub kept: u64,
    pub kept_failed: u64,
    /// Lines of RESULTS that were not results (a line cut by a kill, an edit).
    pub unreadable: u64,
}

impl Resumed {
    /// How many lines have a recorded result.
    pub fn recorded(&self) -> usize {
        self.index.len()
    }

    /// The recorded result that stands for line `n` (its input unchanged, and a success or
    /// a failure not to be retried), if there is one.
    pub fn keep(&mut self, n: u64, digest: Option<&Digest>) -> Option<Recorded> {
        let at = self
            .index
            .binary_search_by_key(&n, |(line, _)| *line)
            .ok()?;
        let recorded = self.index[at].1;
        let same = match (recorded.digest, digest) {
            (Some(a), Some(b)) => a == *b,
            // A line that could not be sent has no digest: looked at again (it costs no run).
            _ => false,
        };
        if !same {
            if recorded.digest.is_some() && digest.is_some() {
                self.changed_count += 1;
                if self.changed.len() < 10 {
                    self.changed.push(n);
                }
            }
            return None;
        }
        let ok = recorded.code() == code::OK;
        if !ok && self.retry_failed {
            return None;
        }
        self.kept += 1;
        if !ok {
            self.kept_failed += 1;
        }
        Some(recorded)
    }
}

/// The results file while the batch runs.
pub struct Journal {
    shown: PathBuf,
    file: File,
    /// Its length: where the next line goes.
    end: u64,
    /// A regular file (else a FIFO or a device: written through, never read back or rewritten).
    regular: bool,
    /// Every result line in RESULTS, in file order: (line, offset, length), 24 bytes each.
    /// The last one of a line is its latest.
    spans: Vec<(u64, u64, u64)>,
}

fn cannot(path: &Path, e: &std::io::Error) -> Error {
    Error::BadInput(format!("-o {}: cannot write: {e}", path.display()))
}

impl Journal {
    /// Opens RESULTS before anything is sent. A fresh start empties it; `--resume` reads what
    /// it holds first (a missing RESULTS is a fresh start).
    pub fn open(
        path: &Path,
        resume: bool,
        retry_failed: bool,
    ) -> Result<(Journal, Resumed), Error> {
        let shown = path.to_owned();
        let meta = std::fs::metadata(path).ok();
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(Error::BadInput(format!(
                "-o {}: is a folder; give a file name",
                path.display()
            )));
        }
        let regular = meta.as_ref().is_none_or(|m| m.is_file());
        let mut resumed = Resumed {
            retry_failed,
            ..Resumed::default()
        };
        if !regular {
            if resume {
                return Err(Error::BadInput(format!(
                    "-o {}: is not a regular file, so it cannot be read back to resume",
                    path.display()
                )));
            }
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| cannot(path, &e))?;
            let journal = Journal {
                shown,
                file,
                end: 0,
                regular,
                spans: Vec::new(),
            };
            return Ok((journal, resumed));
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    Error::BadInput(format!("-o {}: no such folder", path.display()))
                }
                _ => cannot(path, &e),
            })?;
        if !resume {
            file.set_len(0).map_err(|e| cannot(path, &e))?;
        }
        let mut end = file.metadata().map_err(|e| cannot(path, &e))?.len();
        let mut spans = Vec::new();
        if resume && end > 0 {
            resumed.index = scan(&mut file, &mut spans, &mut resumed.unreadable)
                .map_err(|e| Error::BadInput(format!("-o {}: cannot read: {e}", path.display())))?;
            // A line cut short by a kill ends here: what comes next starts a line of its own.
            file.seek(SeekFrom::Start(end - 1))
                .map_err(|e| cannot(path, &e))?;
            let mut last = [0u8];
            file.read_exact(&mut last).map_err(|e| cannot(path, &e))?;
            if last[0] != b'\n' {
                file.write_all(b"\n").map_err(|e| cannot(path, &e))?;
                end += 1;
            }
        }
        let journal = Journal {
            shown,
            file,
            end,
            regular,
            spans,
        };
        Ok((journal, resumed))
    }

    pub fn path(&self) -> &Path {
        &self.shown
    }

    /// Appends result lines (each ending in a newline) with a single write, and notes each as
    /// its line's latest result.
    pub fn append(&mut self, lines: &[(u64, Vec<u8>)]) -> anyhow::Result<()> {
        let mut buf = Vec::with_capacity(lines.iter().map(|(_, l)| l.len()).sum());
        for (n, line) in lines {
            self.spans
                .push((*n, self.end + buf.len() as u64, line.len() as u64));
            buf.extend_from_slice(line);
        }
        self.file
            .write_all(&buf)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", self.shown.display()))?;
        self.end += buf.len() as u64;
        Ok(())
    }

    /// The batch is over: RESULTS becomes one result per input line (lines 1..=`lines`, those
    /// of `shard`), in input order, replaced atomically. Returns how many recorded results were
    /// dropped because their line is no longer in the input.
    pub fn finish(mut self, lines: u64, shard: Option<Shard>) -> anyhow::Result<u64> {
        if !self.regular {
            return Ok(0);
        }
        // By line, the latest (the later in the file) first; then one per line, of the input.
        let mut order = std::mem::take(&mut self.spans);
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        order.dedup_by_key(|(n, ..)| *n);
        let before = order.len();
        order.retain(|(n, ..)| *n <= lines && shard.is_none_or(|s| s.takes(*n)));
        let dropped = (before - order.len()) as u64;
        let mut out = OutputFile::create(&self.shown)?;
        // The journal is in finishing order, nearly input order: a large read buffer makes
        // most of these reads copies, not system calls.
        self.file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::with_capacity(1 << 20, &self.file);
        let mut at = 0u64;
        let mut buf = Vec::new();
        let mut chunk = Vec::new();
        for (_, offset, len) in order {
            reader.seek_relative(offset as i64 - at as i64)?;
            buf.resize(len as usize, 0);
            reader.read_exact(&mut buf)?;
            at = offset + len;
            chunk.extend_from_slice(&buf);
            if chunk.len() > 1 << 20 {
                out.write(&chunk)?;
                chunk.clear();
            }
        }
        out.write(&chunk)?;
        out.commit()?;
        Ok(dropped)
    }
}

/// Reads a results file's lines: the latest complete, readable result of each line number
/// (sorted by line), and where every result line is.
fn scan(
    file: &mut File,
    spans: &mut Vec<(u64, u64, u64)>,
    unreadable: &mut u64,
) -> std::io::Result<Vec<(u64, Recorded)>> {
    file.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut index = Vec::new();
    let mut offset = 0u64;
    let mut head = Vec::with_capacity(HEAD);
    loop {
        head.clear();
        let mut len = 0u64;
        let mut complete = false;
        loop {
            let buf = reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let (part, done) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (&buf[..=i], true),
                None => (buf, false),
            };
            let room = HEAD.saturating_sub(head.len());
            head.extend_from_slice(&part[..part.len().min(room)]);
            let used = part.len();
            len += used as u64;
            reader.consume(used);
            if done {
                complete = true;
                break;
            }
        }
        if len == 0 {
            break;
        }
        match parse_head(&head).filter(|_| complete) {
            Some(h) => {
                spans.push((h.line, offset, len));
                index.push((
                    h.line,
                    Recorded {
                        digest: h.input_blake3.as_deref().and_then(unhex),
                        status: h.status,
                        exit: h.exit,
                    },
                ));
            }
            None => *unreadable += 1,
        }
        offset += len;
    }
    // The latest result of each line wins: a stable sort keeps file order within a line.
    index.sort_by_key(|(n, _)| *n);
    let mut kept = 0;
    for i in 0..index.len() {
        if kept > 0 && index[kept - 1].0 == index[i].0 {
            index[kept - 1] = index[i];
        } else {
            index[kept] = index[i];
            kept += 1;
        }
    }
    index.truncate(kept);
    index.shrink_to_fit();
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_read_without_the_body() {
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

    #[test]
    fn a_cut_last_line_is_ignored_and_later_results_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(
            &path,
            "{\"line\":1,\"status\":500,\"body\":{}}\n{\"line\":1,\"status\":200,\"body\":{}}\n{\"line\":2,\"status\":200,\"bo",
        )
        .unwrap();
        let (mut journal, resumed) = Journal::open(&path, true, false).unwrap();
        assert_eq!(resumed.index.len(), 1);
        assert_eq!(resumed.index[0].1.status, Some(200));
        assert_eq!(resumed.unreadable, 1);
        journal
            .append(&[(2, b"{\"line\":2,\"status\":201,\"body\":1}\n".to_vec())])
            .unwrap();
        assert_eq!(journal.finish(2, None).unwrap(), 0);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"line\":1,\"status\":200,\"body\":{}}\n{\"line\":2,\"status\":201,\"body\":1}\n"
        );
    }
}
