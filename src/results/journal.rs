//! `--batch IN -o RESULTS`: the results file. While the batch runs it is a journal: each
//! result is appended with one write as it finishes (a kill -9 leaves every finished line
//! readable; at worst the line being written is cut, and it is then ignored). `--resume` reads
//! it back; when the batch ends, it is rewritten atomically with exactly one result per input
//! line, in input order.
//!
//! Everything that can be refused is refused by [`Planned::check`] before a key is looked up,
//! and RESULTS is touched (locked, emptied or read) only by [`Journal::open`], once nothing
//! else can refuse the batch. A lock on RESULTS keeps a second batch from writing it at once.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, code};
use crate::output::OutputFile;
use crate::results::line::{Digest, HEAD, Recorded, parse_head, read_line_start, unhex};

/// What a resume keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resume {
    /// RESULTS starts empty.
    Fresh,
    /// `--resume`: recorded results of unchanged lines stand, failures included.
    Keep,
    /// `--retry-failed`: recorded successes stand; failed lines run again.
    RetryFailed,
}

/// What `--resume` found, and what it decided for each line.
#[derive(Default)]
pub(crate) struct Resumed {
    /// The latest recorded result of each line, sorted by line (looked up by binary search:
    /// 48 bytes a line).
    index: Vec<(u64, Recorded)>,
    retry_failed: bool,
    /// Lines whose input changed since their result was recorded (the first few, and how many).
    pub(crate) changed: Vec<u64>,
    pub(crate) changed_count: u64,
    /// Recorded results kept, and how many of them failed.
    pub(crate) kept: u64,
    pub(crate) kept_failed: u64,
    /// Lines of RESULTS that were not results (a line cut by a kill, an edit).
    pub(crate) unreadable: u64,
}

impl Resumed {
    /// `--retry-failed`: recorded failures run again.
    pub(crate) fn retries_failed(&self) -> bool {
        self.retry_failed
    }

    /// How many lines have a recorded result.
    pub(crate) fn recorded(&self) -> usize {
        self.index.len()
    }

    /// The recorded result that stands for line `n` (its input unchanged, and a success or
    /// a failure not to be retried), if there is one.
    pub(crate) fn keep(&mut self, n: u64, digest: Option<&Digest>) -> Option<Recorded> {
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

/// RESULTS as checked before anything is refusable: where it is and how it will be written.
/// The file that replaces it at the end is tried now (made, then removed: a folder that
/// cannot take it is found before anything is sent, and a kill -9 leaves nothing behind).
pub(crate) struct Planned {
    shown: PathBuf,
    kind: Kind,
    resume: Resume,
}

enum Kind {
    /// A regular file (or none yet): a journal, rewritten in input order at the end.
    Regular {
        /// RESULTS opened to read and append, when it exists already.
        existing: Option<File>,
    },
    /// A device, a FIFO or one of this process's descriptors (`/dev/stdout`): written
    /// through as lines finish, never read back, truncated or rewritten.
    Through(OutputFile),
}

fn cannot(path: &Path, e: &std::io::Error) -> Error {
    Error::BadInput(format!("-o {}: cannot write: {e}", path.display()))
}

impl Planned {
    /// Checks `-o RESULTS` without changing it: not a folder, in a folder that exists and
    /// can take the final rewrite, not the batch's own input (compared as open files: a hard
    /// link or a bind mount is the same file), readable back when resuming.
    pub(crate) fn check(
        path: &Path,
        resume: Resume,
        input: Option<&same_file::Handle>,
    ) -> Result<Planned, Error> {
        let shown = path.to_owned();
        let rewrite = OutputFile::create(path)?;
        let same_as_input = |handle: Option<same_file::Handle>| -> Result<(), Error> {
            match (handle, input) {
                (Some(h), Some(i)) if h == *i => Err(Error::BadInput(format!(
                    "-o {}: is the batch's own input (the same file under another name);                      write the results to another file",
                    path.display()
                ))),
                _ => Ok(()),
            }
        };
        if rewrite.is_direct() {
            if resume != Resume::Fresh {
                return Err(Error::BadInput(format!(
                    "-o {}: is not a regular file, so it cannot be read back to resume",
                    path.display()
                )));
            }
            same_as_input(same_file::Handle::from_path(path).ok())?;
            return Ok(Planned {
                shown,
                kind: Kind::Through(rewrite),
                resume,
            });
        }
        let existing = match std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
        {
            Ok(file) => Some(file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(cannot(path, &e)),
        };
        if let Some(file) = &existing {
            same_as_input(
                file.try_clone()
                    .ok()
                    .and_then(|f| same_file::Handle::from_file(f).ok()),
            )?;
        }
        drop(rewrite);
        Ok(Planned {
            shown,
            kind: Kind::Regular { existing },
            resume,
        })
    }
}

/// The results file while the batch runs.
pub(crate) struct Journal {
    shown: PathBuf,
    file: File,
    /// Its length: where the next line goes.
    end: u64,
    /// RESULTS is rewritten in input order at the end (else written through, never rewritten).
    rewrite: bool,
    /// Every result line in RESULTS, in file order: (line, offset, length), 24 bytes each.
    /// The last one of a line is its latest.
    spans: Vec<(u64, u64, u64)>,
}

impl Journal {
    /// Takes RESULTS for this batch: locks it (a second batch on the same file is refused,
    /// naming the lock), then empties it for a fresh start or reads what it holds to resume
    /// (a missing RESULTS is a fresh start). Nothing is sent yet.
    pub(crate) fn open(planned: Planned) -> Result<(Journal, Resumed), anyhow::Error> {
        let Planned {
            shown,
            kind,
            resume,
        } = planned;
        let mut resumed = Resumed {
            retry_failed: resume == Resume::RetryFailed,
            ..Resumed::default()
        };
        let existing = match kind {
            Kind::Through(out) => {
                let file = out.into_file().expect("a direct output file");
                let journal = Journal {
                    shown,
                    file,
                    end: 0,
                    rewrite: false,
                    spans: Vec::new(),
                };
                return Ok((journal, resumed));
            }
            Kind::Regular { existing } => existing,
        };
        let mut file = lock(&shown, existing)?;
        if resume == Resume::Fresh {
            file.set_len(0).map_err(|e| cannot(&shown, &e))?;
        }
        let mut end = file.metadata().map_err(|e| cannot(&shown, &e))?.len();
        let mut spans = Vec::new();
        if resume != Resume::Fresh && end > 0 {
            let read = scan(&mut file, &mut spans, &mut resumed.unreadable).map_err(|e| {
                Error::BadInput(format!("-o {}: cannot read: {e}", shown.display()))
            })?;
            if read.undigested > 0 {
                return Err(Error::BadInput(format!(
                    "-o {}: cannot be resumed: {} of its results carry no input digest (results \
                     printed to stdout and redirected have none; only -o records them), so \
                     nothing tells which lines they belong to now. It was left as it was; run \
                     without --resume to start again, or write to another file",
                    shown.display(),
                    read.undigested
                ))
                .into());
            }
            resumed.index = read.index;
            // A line cut short by a kill ends here: what comes next starts a line of its own.
            file.seek(SeekFrom::Start(end - 1))
                .map_err(|e| cannot(&shown, &e))?;
            let mut last = [0u8];
            file.read_exact(&mut last).map_err(|e| cannot(&shown, &e))?;
            if last[0] != b'\n' {
                file.write_all(b"\n").map_err(|e| cannot(&shown, &e))?;
                end += 1;
            }
        }
        let journal = Journal {
            shown,
            file,
            end,
            rewrite: true,
            spans,
        };
        Ok((journal, resumed))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.shown
    }

    /// Appends result lines (each ending in a newline) with a single write, and notes each as
    /// its line's latest result.
    pub(crate) fn append(&mut self, lines: &[(u64, Vec<u8>)]) -> anyhow::Result<()> {
        let mut buf = Vec::with_capacity(lines.iter().map(|(_, l)| l.len()).sum());
        for (n, line) in lines {
            self.spans
                .push((*n, self.end + buf.len() as u64, line.len() as u64));
            buf.extend_from_slice(line);
        }
        self.file.write_all(&buf).map_err(|e| {
            anyhow::Error::new(e).context(format!("cannot write {}", self.shown.display()))
        })?;
        self.end += buf.len() as u64;
        Ok(())
    }

    /// The batch is over: RESULTS becomes one result per input line (lines 1..=`lines`; the
    /// lines of other shards keep theirs), in input order, replaced atomically. Returns how
    /// many recorded results were dropped because their line is not in the input.
    pub(crate) fn finish(mut self, lines: u64) -> anyhow::Result<u64> {
        if !self.rewrite {
            return Ok(0);
        }
        // Tried before anything was sent; a failure now (the folder changed, a full disk) is
        // said after the summary, and RESULTS still holds every line.
        let mut out = OutputFile::create(&self.shown).map_err(|e| anyhow::anyhow!("{e}"))?;
        // By line, the latest (the later in the file) first; then one per line, of the input.
        let mut order = std::mem::take(&mut self.spans);
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        order.dedup_by_key(|(n, ..)| *n);
        let before = order.len();
        order.retain(|(n, ..)| (1..=lines).contains(n));
        let dropped = (before - order.len()) as u64;
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

/// Opens (creating) and locks RESULTS. Another batch holding it is refused at once, naming
/// the lock. A file renamed over RESULTS between the open and the lock (the other batch's
/// final rewrite) is opened again, so the lock is always on the file the path names.
pub(crate) fn lock(path: &Path, mut existing: Option<File>) -> anyhow::Result<File> {
    for _ in 0..8 {
        let file = match existing.take() {
            Some(f) => f,
            None => std::fs::OpenOptions::new()
                .read(true)
                .append(true)
                .create(true)
                .open(path)
                .map_err(|e| cannot(path, &e))?,
        };
        match file.try_lock() {
            Ok(()) => {}
            // Nothing was done: refused as bad input is (exit 2), so that a script can tell
            // it from a batch whose lines failed.
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::BadInput(format!(
                    "-o {}: another miiflow batch is writing these results (it holds the lock \
                     on {}); nothing was sent and the file was left as it is. Wait for that \
                     batch to end, or give each batch its own results file (e.g. one per shard)",
                    path.display(),
                    path.display()
                ))
                .into());
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(anyhow::anyhow!(
                    "-o {}: cannot lock it: {e}",
                    path.display()
                ));
            }
        }
        let still = same_file::Handle::from_path(path).ok();
        let locked = file
            .try_clone()
            .ok()
            .and_then(|f| same_file::Handle::from_file(f).ok());
        if still.is_some() && still == locked {
            return Ok(file);
        }
    }
    anyhow::bail!(
        "-o {}: the file keeps being replaced by another process; write to another file",
        path.display()
    )
}

/// What [`scan`] found.
struct Scanned {
    /// The latest recorded result of each line, sorted by line.
    index: Vec<(u64, Recorded)>,
    /// Results of runs (with a status) that carry no input digest: not written by `-o`.
    undigested: u64,
}

/// Reads a results file's lines: the latest complete, readable result of each line number
/// (sorted by line), and where every result line is.
fn scan(
    file: &mut File,
    spans: &mut Vec<(u64, u64, u64)>,
    unreadable: &mut u64,
) -> std::io::Result<Scanned> {
    let mut undigested = 0;
    file.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut index = Vec::new();
    let mut offset = 0u64;
    let mut head = Vec::with_capacity(HEAD);
    while let Some((len, complete)) = read_line_start(&mut reader, HEAD, &mut head)? {
        match parse_head(&head).filter(|_| complete) {
            Some(h) => {
                if h.input_blake3.is_none() && h.status.is_some() {
                    undigested += 1;
                }
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
    Ok(Scanned { index, undigested })
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "abababababababababababababababababababababababababababababababab";

    #[test]
    fn a_cut_last_line_is_ignored_and_later_results_win() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(
            &path,
            format!(
                "{{\"line\":1,\"input_blake3\":\"{D}\",\"status\":500,\"body\":{{}}}}\n\
                 {{\"line\":1,\"input_blake3\":\"{D}\",\"status\":200,\"body\":{{}}}}\n\
                 {{\"line\":2,\"status\":200,\"bo"
            ),
        )
        .unwrap();
        let planned = Planned::check(&path, Resume::Keep, None).unwrap();
        let (mut journal, resumed) = Journal::open(planned).unwrap();
        assert_eq!(resumed.index.len(), 1);
        assert_eq!(resumed.index[0].1.status, Some(200));
        assert_eq!(resumed.unreadable, 1);
        journal
            .append(&[(2, b"{\"line\":2,\"status\":201,\"body\":1}\n".to_vec())])
            .unwrap();
        assert_eq!(journal.finish(2).unwrap(), 0);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!(
                "{{\"line\":1,\"input_blake3\":\"{D}\",\"status\":200,\"body\":{{}}}}\n\
                 {{\"line\":2,\"status\":201,\"body\":1}}\n"
            )
        );
        // Results printed to stdout (a status, no digest) cannot be resumed: refused, and the
        // file is left as it was.
        let printed = "{\"line\":1,\"status\":200,\"body\":{}}\n";
        std::fs::write(&path, printed).unwrap();
        let planned = Planned::check(&path, Resume::Keep, None).unwrap();
        let refused = Journal::open(planned).err().unwrap().to_string();
        assert!(refused.contains("cannot be resumed"), "{refused}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), printed);
    }

    fn recorded(status: u16, exit: Option<u8>) -> Recorded {
        Recorded {
            digest: Some([1; 32]),
            status: Some(status),
            exit,
        }
    }

    #[test]
    fn a_resume_keeps_unchanged_results_and_retries_only_when_asked() {
        let mut r = Resumed {
            index: vec![
                (1, recorded(200, None)),
                (2, recorded(500, None)),
                (3, recorded(200, Some(1))),
                (
                    4,
                    Recorded {
                        digest: None,
                        status: None,
                        exit: Some(2),
                    },
                ),
            ],
            ..Resumed::default()
        };
        let same = Some(&[1u8; 32]);
        assert!(r.keep(1, same).is_some(), "a success stands");
        assert!(
            r.keep(2, same).is_some(),
            "a recorded failure stands with --resume"
        );
        assert!(r.keep(3, same).is_some());
        assert!(
            r.keep(4, same).is_none(),
            "a line that failed before sending runs again"
        );
        assert!(r.keep(5, same).is_none(), "no result: it runs");
        assert!(
            r.keep(1, Some(&[2u8; 32])).is_none(),
            "changed input: it runs"
        );
        assert_eq!((r.kept, r.kept_failed, r.changed_count), (3, 2, 1));
        assert_eq!(r.changed, [1]);
        r.retry_failed = true;
        assert!(
            r.keep(2, same).is_none(),
            "--retry-failed runs a failure again"
        );
        assert!(r.keep(1, same).is_some(), "and keeps a success");
    }

    #[test]
    fn results_that_cannot_be_written_are_refused_before_anything() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Planned::check(dir.path(), Resume::Fresh, None)
            .err()
            .unwrap();
        assert!(folder.to_string().contains("is a folder"), "{folder}");
        let missing = dir.path().join("no/such/r.jsonl");
        let missing = Planned::check(&missing, Resume::Fresh, None).err().unwrap();
        assert!(missing.to_string().contains("no such folder"), "{missing}");
        // The input under another name: a hard link is the same open file.
        let input = dir.path().join("in.jsonl");
        std::fs::write(&input, "{}\n").unwrap();
        let link = dir.path().join("link.jsonl");
        std::fs::hard_link(&input, &link).unwrap();
        let handle = same_file::Handle::from_path(&input).unwrap();
        let same = Planned::check(&link, Resume::Keep, Some(&handle))
            .err()
            .unwrap();
        assert!(
            same.to_string().contains("is the batch's own input"),
            "{same}"
        );
        assert_eq!(
            std::fs::read_to_string(&input).unwrap(),
            "{}\n",
            "untouched"
        );
        assert!(Planned::check(&dir.path().join("r.jsonl"), Resume::Fresh, Some(&handle)).is_ok());
    }

    #[test]
    fn the_rewrite_drops_lines_the_input_does_not_have() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let planned = Planned::check(&path, Resume::Fresh, None).unwrap();
        let (mut journal, _) = Journal::open(planned).unwrap();
        let line = |n: u64| {
            (
                n,
                format!("{{\"line\":{n},\"status\":200,\"body\":{n}}}\n").into_bytes(),
            )
        };
        journal
            .append(&[line(3), line(0), line(1), line(9), line(2)])
            .unwrap();
        assert_eq!(
            journal.finish(3).unwrap(),
            2,
            "line 0 and line 9 are dropped"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("{\"line\":1,") && lines[2].starts_with("{\"line\":3,"));
    }
}
