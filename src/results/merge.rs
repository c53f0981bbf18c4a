//! `miiflow results merge FILE… [-o OUT] [--input BATCH]`: results files (from shards, or from
//! several nights) merged into one, ordered by line, itself a results file for `--resume`.
//!
//! Streaming, memory bounded: each file is read twice, first its heads only (is it in line
//! order?), then its lines; files in order (every finished batch's) are merged as streams (a
//! k-way merge, one line of each held), a file out of order (a journal left by a kill) is read
//! through an index of its lines (16 bytes a line). Where several results hold the same line:
//! one whose input is the batch's current line (with `--input`) beats one that is not, a
//! success beats a failure, and then the later wins (later on the command line, later in its
//! file). With `--input`, every line of the batch must have a current result, else exit 1
//! naming the missing and stale lines (OUT is still written).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{Error, code};
use crate::input::Source;
use crate::limits;
use crate::output::OutputFile;
use crate::results::line::{Digest, HEAD, Head, parse_head, read_line_start, record_digest, unhex};
use crate::results::records::Format;
use crate::results::records::{self, Record};
use crate::ui::Ui;

/// The longest result line merged: the largest answer a line holds, and room for its error.
const MAX_RESULT_LINE: usize = limits::MAX_BATCH_BODY + 1024 * 1024;

/// How many missing or stale lines are named.
const NAMED: usize = 10;

/// What `results merge` was asked.
pub(crate) struct Merge<'a> {
    pub(crate) files: &'a [PathBuf],
    pub(crate) output: Option<&'a Path>,
    pub(crate) input: Option<&'a Path>,
    pub(crate) format: Option<Format>,
}

/// One result line read back: its head's fields and its bytes (newline included).
struct Candidate {
    line: u64,
    ok: bool,
    input: Option<Digest>,
    record: Option<Digest>,
    bytes: Vec<u8>,
}

impl Candidate {
    fn from(head: Head, bytes: Vec<u8>) -> Candidate {
        let recorded = crate::results::line::Recorded {
            digest: None,
            status: head.status,
            exit: head.exit,
        };
        Candidate {
            line: head.line,
            ok: recorded.code() == code::OK,
            input: head.input_blake3.as_deref().and_then(unhex),
            record: head.record_blake3.as_deref().and_then(unhex),
            bytes,
        }
    }
}

/// One results file, read in line order.
struct Cursor {
    reader: BufReader<File>,
    /// `None`: the file is in line order and read as it is. Else the offsets of its lines,
    /// sorted by line (file order within a line), and the next to read.
    index: Option<(Vec<(u64, u64)>, usize)>,
    /// The next result, read ahead.
    next: Option<Candidate>,
    /// Lines that were not results (cut by a kill, edited, too long).
    unreadable: u64,
}

impl Cursor {
    /// Opens a results file and reads its heads: in line order, or indexed.
    fn open(path: &Path) -> Result<Cursor, Error> {
        let cannot =
            |e: std::io::Error| Error::BadInput(format!("{}: cannot read: {e}", path.display()));
        let file = File::open(path).map_err(cannot)?;
        if !file.metadata().map_err(cannot)?.is_file() {
            return Err(Error::BadInput(format!(
                "{}: not a regular file (a results file is read twice)",
                path.display()
            )));
        }
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut spans = Vec::new();
        let (mut offset, mut sorted, mut last) = (0u64, true, 0u64);
        let mut head = Vec::with_capacity(HEAD);
        let mut unreadable = 0;
        while let Some((len, complete)) =
            read_line_start(&mut reader, HEAD, &mut head).map_err(cannot)?
        {
            match parse_head(&head).filter(|_| complete) {
                Some(h) => {
                    sorted &= h.line >= last;
                    last = h.line;
                    spans.push((h.line, offset));
                }
                None => unreadable += 1,
            }
            offset += len;
        }
        reader.seek(SeekFrom::Start(0)).map_err(cannot)?;
        let index = match sorted {
            true => None,
            false => {
                // Stable: file order is kept within a line (the later result is the later).
                spans.sort_by_key(|(line, _)| *line);
                Some((spans, 0))
            }
        };
        let mut cursor = Cursor {
            reader,
            index,
            next: None,
            unreadable,
        };
        cursor.advance().map_err(cannot)?;
        Ok(cursor)
    }

    /// Reads the next result into `next`.
    fn advance(&mut self) -> std::io::Result<()> {
        self.next = None;
        let mut bytes = Vec::new();
        loop {
            if let Some((spans, at)) = &mut self.index {
                let Some((_, offset)) = spans.get(*at) else {
                    return Ok(());
                };
                *at += 1;
                self.reader.seek(SeekFrom::Start(*offset))?;
            }
            let Some((len, complete)) =
                read_line_start(&mut self.reader, MAX_RESULT_LINE, &mut bytes)?
            else {
                return Ok(());
            };
            let whole = len as usize == bytes.len();
            let head = &bytes[..bytes.len().min(HEAD)];
            // Lines that are not results were counted when the heads were read.
            match parse_head(head).filter(|_| complete) {
                Some(h) if whole => {
                    self.next = Some(Candidate::from(h, std::mem::take(&mut bytes)));
                    return Ok(());
                }
                Some(_) => self.unreadable += 1,
                None => {}
            }
        }
    }
}

/// The batch's own lines, read alongside the merge (`--input`): each line's record digest.
struct Expected {
    reader: records::Reader,
    /// The next line number to read.
    next: u64,
    ended: bool,
}

impl Expected {
    /// The digest of line `n` (`Some(None)`: a line that cannot be read, so has no digest);
    /// `None` past the end of the input. Lines before `n` not asked for are returned as
    /// missing.
    fn line(&mut self, n: u64, missing: &mut Named) -> Option<Option<Digest>> {
        while !self.ended && self.next <= n {
            let line = self.next;
            let Some((record, _)) = self.reader.next(line) else {
                self.ended = true;
                break;
            };
            if matches!(record, Record::End(_)) {
                self.ended = true;
            }
            self.next += 1;
            if line == n {
                return Some(record_digest(&record));
            }
            missing.add(line);
        }
        None
    }

    /// Every line not asked for by the end: missing.
    fn rest(&mut self, missing: &mut Named) {
        while self.line(u64::MAX, missing).is_some() {}
    }
}

/// Lines named in a message: the first few, and how many.
#[derive(Default)]
struct Named {
    first: Vec<u64>,
    count: u64,
}

impl Named {
    fn add(&mut self, line: u64) {
        self.count += 1;
        if self.first.len() < NAMED {
            self.first.push(line);
        }
    }

    fn words(&self) -> String {
        let shown: Vec<String> = self.first.iter().map(u64::to_string).collect();
        match self.count as usize > shown.len() {
            true => format!(
                "{} and {} more",
                shown.join(", "),
                self.count as usize - shown.len()
            ),
            false => shown.join(", "),
        }
    }
}

/// Runs the merge; returns Err (exit 1) when `--input` finds lines missing or stale.
pub(crate) fn merge(ui: &Ui, m: Merge) -> anyhow::Result<()> {
    if let (Some(out), Some(input)) = (m.output, m.input)
        && crate::fs::same_place(out, input)
    {
        return Err(Error::BadInput(format!(
            "-o {}: is the batch file (--input); write the merged results to another file",
            out.display()
        ))
        .into());
    }
    let mut cursors = Vec::with_capacity(m.files.len());
    for path in m.files {
        cursors.push(Cursor::open(path)?);
    }
    let mut expected = match m.input {
        Some(path) => {
            let source = Source::from_arg(path);
            let input = records::open(&source, records::format(&source, m.format))?;
            Some(Expected {
                reader: input.reader,
                next: 1,
                ended: false,
            })
        }
        None => None,
    };
    // OUT may be a running batch's RESULTS: its lock is taken as a batch takes it (and held
    // until OUT is replaced), so that neither the merge nor the batch's results are lost.
    let held = match m.output {
        Some(path) if !crate::output::file::through_descriptor(path) && !special(path) => {
            let existed = std::fs::symlink_metadata(path).is_ok();
            let lock = crate::results::journal::lock(path, None)?;
            Some(Held {
                path,
                _lock: lock,
                created: !existed,
            })
        }
        _ => None,
    };
    let mut out = match m.output {
        Some(path) => Target::new(To::File(OutputFile::create(path)?)),
        None => Target::new(To::Stdout(ui)),
    };
    let merged = write_merged(&mut cursors, expected.as_mut(), &mut out)?;
    out.finish()?;
    if let Some(h) = held {
        h.done();
    }
    report(ui, &m, &cursors, merged)
}

/// OUT's lock while the merge writes it.
struct Held<'a> {
    path: &'a std::path::Path,
    _lock: std::fs::File,
    /// OUT did not exist: the lock made it, and a merge that fails removes it again.
    created: bool,
}

impl Held<'_> {
    /// OUT was replaced: nothing to undo.
    fn done(mut self) {
        self.created = false;
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        if self.created && std::fs::metadata(self.path).is_ok_and(|m| m.len() == 0) {
            let _ = std::fs::remove_file(self.path);
        }
    }
}

/// A device or FIFO (written directly, never locked or replaced).
fn special(path: &std::path::Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

#[derive(Default)]
struct Merged {
    written: u64,
    failed: u64,
    unchecked: u64,
    differing: u64,
    missing: Named,
    stale: Named,
}

/// Writes the winner of every line to `out`, in line order, holding one result of each file
/// and the line's best so far (never every result of a line: a line re-run a thousand times
/// costs what one result does).
fn write_merged(
    cursors: &mut [Cursor],
    mut expected: Option<&mut Expected>,
    out: &mut Target<'_>,
) -> anyhow::Result<Merged> {
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = cursors
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.next.as_ref().map(|n| Reverse((n.line, i))))
        .collect();
    let mut m = Merged::default();
    while let Some(Reverse((line, _))) = heap.peek().copied() {
        let want = expected
            .as_deref_mut()
            .map(|e| e.line(line, &mut m.missing));
        let current = |c: &Candidate| match &want {
            Some(Some(Some(d))) => c.record.as_ref() == Some(d) || c.record.is_none(),
            _ => true,
        };
        // Every result of this line arrives in command-line order, then file order (the heap
        // orders by line, then file); the best by (current, success) wins, the later on a tie.
        let mut best: Option<Candidate> = None;
        let mut first_input: Option<Digest> = None;
        let mut differs = false;
        while let Some(Reverse((l, i))) = heap.peek().copied() {
            if l != line {
                break;
            }
            heap.pop();
            let cursor = &mut cursors[i];
            while cursor.next.as_ref().is_some_and(|c| c.line == line) {
                let c = cursor.next.take().expect("checked");
                cursor.advance()?;
                if let Some(input) = c.input.filter(|_| c.ok) {
                    differs |= first_input.get_or_insert(input) != &input;
                }
                if best
                    .as_ref()
                    .is_none_or(|b| (current(&c), c.ok) >= (current(b), b.ok))
                {
                    best = Some(c);
                }
            }
            if let Some(next) = &cursor.next {
                heap.push(Reverse((next.line, i)));
            }
        }
        let winner = best.expect("at least one candidate");
        m.differing += u64::from(differs);
        match &want {
            Some(None) => m.stale.add(line),
            Some(Some(Some(d))) if winner.record.as_ref().is_some_and(|r| r != d) => {
                m.stale.add(line)
            }
            Some(Some(Some(_))) if winner.record.is_none() && winner.input.is_some() => {
                m.unchecked += 1
            }
            _ => {}
        }
        out.write(&winner.bytes)?;
        m.written += 1;
        m.failed += u64::from(!winner.ok);
    }
    if let Some(e) = expected {
        e.rest(&mut m.missing);
    }
    Ok(m)
}

/// Says what was merged; Err (exit 1) when `--input` finds lines missing or stale.
fn report(ui: &Ui, m: &Merge<'_>, cursors: &[Cursor], merged: Merged) -> anyhow::Result<()> {
    let Merged {
        written,
        failed,
        unchecked,
        differing,
        missing,
        stale,
    } = merged;
    let unreadable: u64 = cursors.iter().map(|c| c.unreadable).sum();
    if !ui.quiet() {
        let into = m
            .output
            .map_or(String::new(), |p| format!(" into {}", p.display()));
        ui.tell(&format!(
            "merged {} file(s): {written} lines ({} succeeded, {failed} failed){into}",
            m.files.len(),
            written - failed
        ));
        if unreadable > 0 {
            ui.tell(&format!(
                "{unreadable} line(s) were not results (cut short by a kill, or edited) and \
                 were skipped"
            ));
        }
        if differing > 0 {
            ui.warn(&format!(
                "{differing} line(s) had successful results for different inputs; the later \
                 file's was kept (--input BATCH_FILE keeps the one for the batch's current line)"
            ));
        }
        if unchecked > 0 {
            ui.warn(&format!(
                "{unchecked} result(s) were recorded by a version of miiflow that did not keep \
                 their line's digest: they could not be checked against the input"
            ));
        }
    }
    if missing.count + stale.count == 0 {
        return Ok(());
    }
    let mut parts = Vec::new();
    if missing.count > 0 {
        parts.push(format!(
            "{} line(s) of the input have no result: {}",
            missing.count,
            missing.words()
        ));
    }
    if stale.count > 0 {
        parts.push(format!(
            "{} result(s) are stale (their input line changed, or is gone): {}",
            stale.count,
            stale.words()
        ));
    }
    Err(Error::Batch {
        code: code::FAILURE,
        message: format!(
            "{}; run the batch again with -o and --resume to complete them",
            parts.join("; ")
        ),
    }
    .into())
}

/// Where the merged results go, written in blocks: a merge writes a million lines, and a
/// write per line cost more than the merge itself (one system call each).
struct Target<'a> {
    to: To<'a>,
    pending: Vec<u8>,
}

enum To<'a> {
    Stdout(&'a Ui),
    File(OutputFile),
}

impl<'a> Target<'a> {
    /// How much is held before it is written.
    const BLOCK: usize = 256 * 1024;

    fn new(to: To<'a>) -> Self {
        Target {
            to,
            pending: Vec::with_capacity(Self::BLOCK + MAX_RESULT_LINE.min(64 * 1024)),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= Self::BLOCK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        match &mut self.to {
            To::Stdout(ui) => ui.out(&self.pending)?,
            To::File(f) => f.write(&self.pending)?,
        }
        self.pending.clear();
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<()> {
        self.flush()?;
        match self.to {
            To::File(f) => f.commit(),
            To::Stdout(_) => Ok(()),
        }
    }
}
