//! The batch's input, read once as a stream: JSON lines or CSV, a record at a time, with the
//! number of input bytes each took (for the progress bar) and `--shard`'s choice of lines.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::error::Error;
use crate::input::{self, Column, Source};
use crate::limits;

/// An opened input: its records to come, its size when it is a regular file (the bar counts
/// bytes then), its name for messages, and for CSV its columns (read from the header first).
pub(crate) struct Input {
    pub(crate) reader: Reader,
    pub(crate) total_bytes: Option<u64>,
    pub(crate) name: String,
    pub(crate) columns: Option<Vec<Column>>,
    /// The input as an open file (device and inode), to tell it from `-o RESULTS`.
    pub(crate) handle: Option<same_file::Handle>,
}

pub(crate) enum Reader {
    Lines(Box<dyn BufRead + Send>),
    Csv(Box<csv::Reader<Bounded>>),
}

/// The format of a batch's input (`--batch-format`, else the file's extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// One JSON value per line.
    Jsonl,
    /// A header row naming the keys, then one row per run (RFC 4180).
    Csv,
}

/// The format: `--batch-format`, else `.csv` means CSV and anything else JSON lines.
pub(crate) fn format(source: &Source, given: Option<Format>) -> Format {
    given.unwrap_or(match source {
        Source::File(p) if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) => {
            Format::Csv
        }
        _ => Format::Jsonl,
    })
}

/// Opens the batch source; a missing file, a folder or a bad CSV header is bad input, found
/// before anything is sent.
pub(crate) fn open(source: &Source, format: Format) -> Result<Input, Error> {
    let name = source.name();
    let (raw, total_bytes, handle): (Box<dyn Read + Send>, _, _) = match source {
        Source::Stdin => (
            Box::new(std::io::stdin()),
            None,
            same_file::Handle::stdin().ok(),
        ),
        Source::File(path) => {
            let (file, size) = open_file(path, &name)?;
            let handle = file
                .try_clone()
                .ok()
                .and_then(|f| same_file::Handle::from_file(f).ok());
            (Box::new(file), size, handle)
        }
    };
    match format {
        Format::Jsonl => Ok(Input {
            reader: Reader::Lines(Box::new(BufReader::new(raw))),
            total_bytes,
            name,
            columns: None,
            handle,
        }),
        Format::Csv => {
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(Bounded::new(raw));
            let headers = csv.headers().map_err(|e| {
                Error::BadInput(format!(
                    "{name}: cannot read the CSV header: {}",
                    csv_words(&e)
                ))
            })?;
            let headers: Vec<String> = headers.iter().map(str::to_owned).collect();
            if headers.is_empty() || headers.iter().all(String::is_empty) {
                return Err(Error::BadInput(format!(
                    "{name}: no CSV header; the first row names the keys"
                )));
            }
            let columns =
                input::columns(&headers).map_err(|e| Error::BadInput(format!("{name}: {e}")))?;
            csv.get_ref().mark(csv.position().byte());
            Ok(Input {
                reader: Reader::Csv(Box::new(csv)),
                total_bytes,
                name,
                columns: Some(columns),
                handle,
            })
        }
    }
}

fn open_file(path: &Path, name: &str) -> Result<(std::fs::File, Option<u64>), Error> {
    if path.is_dir() {
        return Err(Error::BadInput(format!("{name}: is a folder, not a file")));
    }
    let cannot = |e: std::io::Error| Error::BadInput(format!("{name}: cannot read: {e}"));
    // Opened once: a pipe, a FIFO or /dev/stdin can only be read once.
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    Ok((file, size))
}

/// A reader that fails once one CSV record has taken more than [`limits::MAX_LINE`] bytes
/// (the csv crate would otherwise hold an endless field in memory).
pub(crate) struct Bounded {
    inner: Box<dyn Read + Send>,
    read: u64,
    /// Where the current record began.
    mark: Cell<u64>,
}

impl Bounded {
    fn new(inner: Box<dyn Read + Send>) -> Bounded {
        Bounded {
            inner,
            read: 0,
            mark: Cell::new(0),
        }
    }

    fn mark(&self, at: u64) {
        self.mark.set(at);
    }
}

impl Read for Bounded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read.saturating_sub(self.mark.get()) > limits::MAX_LINE as u64 {
            return Err(std::io::Error::other(format!(
                "a CSV record longer than {}; stopped reading the input",
                limits::show_size(limits::MAX_LINE as u64)
            )));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// One record of the input, or why it could not be had.
pub(crate) enum Record {
    /// A JSON line's text (without its newline).
    Line(Vec<u8>),
    /// A CSV row's cells, and the CSV line it starts on.
    Row { at: u64, cells: Vec<String> },
    /// A record that cannot be run (too long, not UTF-8, a CSV row of the wrong width): why.
    Bad(String),
    /// Reading cannot go on (an I/O error, an endless line): the reason. The last record.
    End(String),
}

impl Record {
    /// The record's first two fields, as a table shows which line is which: `city=Paris,
    /// n=3` for a JSON object, the first cells of a CSV row, else the line's start.
    pub(crate) fn first_fields(&self) -> Option<String> {
        let compact = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match self {
            Record::Line(bytes) => match serde_json::from_slice::<serde_json::Value>(bytes) {
                Ok(serde_json::Value::Object(map)) => Some(
                    map.iter()
                        .take(2)
                        .map(|(k, v)| format!("{k}={}", compact(v)))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Ok(other) => Some(compact(&other)),
                Err(_) => Some(String::from_utf8_lossy(bytes).into_owned()),
            },
            Record::Row { cells, .. } => {
                Some(cells.iter().take(2).cloned().collect::<Vec<_>>().join(", "))
            }
            Record::Bad(_) | Record::End(_) => None,
        }
    }
}

impl Reader {
    /// Reads the next record (numbered `n`, from 1) with the input bytes it took; `None` at
    /// the end. Blocking: called on the reader thread.
    pub(crate) fn next(&mut self, n: u64) -> Option<(Record, u64)> {
        match self {
            Reader::Lines(reader) => match read_line(reader.as_mut(), limits::MAX_LINE) {
                Ok(None) => None,
                Ok(Some((Line::Text(bytes), taken))) => Some((Record::Line(bytes), taken)),
                Ok(Some((Line::TooLong(len), taken))) => Some((
                    Record::Bad(format!(
                        "line {n}: the line is {len} bytes long; a batch line may hold at most {}",
                        limits::show_size(limits::MAX_LINE as u64)
                    )),
                    taken,
                )),
                Ok(Some((Line::Endless, taken))) => Some((
                    Record::End(format!(
                        "line {n}: more than {} without a newline; stopped reading the input \
                         (is it JSON lines?)",
                        limits::show_size(limits::MAX_SKIP)
                    )),
                    taken,
                )),
                Err(e) => Some((Record::End(format!("line {n}: cannot read: {e}")), 0)),
            },
            Reader::Csv(csv) => {
                let before = csv.position().byte();
                let mut row = csv::StringRecord::new();
                let read = csv.read_record(&mut row);
                let after = csv.position().byte();
                csv.get_ref().mark(after);
                let taken = after.saturating_sub(before);
                match read {
                    Ok(false) => None,
                    Ok(true) => {
                        let at = row.position().map_or(0, |p| p.line());
                        let width = csv.headers().map_or(0, |h| h.len());
                        if row.len() != width {
                            let fields = |n: usize| match n {
                                1 => "1 field".to_owned(),
                                n => format!("{n} fields"),
                            };
                            return Some((
                                Record::Bad(format!(
                                    "line {n} (CSV line {at}): {}, but the header names {width}",
                                    fields(row.len())
                                )),
                                taken,
                            ));
                        }
                        let cells = row.iter().map(str::to_owned).collect();
                        Some((Record::Row { at, cells }, taken))
                    }
                    Err(e) => match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => Some((
                            Record::Bad(format!("line {n} {}", csv_words(&e))),
                            taken.max(1),
                        )),
                        _ => Some((Record::End(csv_words(&e)), taken)),
                    },
                }
            }
        }
    }
}

/// A CSV error naming the CSV line and the column.
fn csv_words(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, err } => format!(
            "(CSV line {}), column {}: invalid UTF-8",
            pos.as_ref().map_or(0, |p| p.line()),
            err.field() + 1
        ),
        csv::ErrorKind::Io(io) => format!("cannot read: {io}"),
        _ => e.to_string(),
    }
}

/// One line of a JSON-lines input: its bytes (without the newline), or how long it was when
/// it is longer than the most kept (it is then read past, not kept).
pub(crate) enum Line {
    Text(Vec<u8>),
    TooLong(u64),
    /// Over [`limits::MAX_SKIP`] without a newline (`/dev/zero`, a binary file): reading stops.
    Endless,
}

/// Reads one line, keeping at most `max` bytes of it; `None` at the end of the input. Also
/// returns how many bytes of the input the line took (its newline included).
pub(crate) fn read_line(
    reader: &mut dyn BufRead,
    max: usize,
) -> std::io::Result<Option<(Line, u64)>> {
    let mut line = Vec::new();
    let mut taken = 0u64;
    let mut too_long = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            if taken == 0 {
                return Ok(None);
            }
            break;
        }
        let (chunk, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long && line.len() + chunk.len() > max {
            too_long = true;
            line = Vec::new();
        }
        if !too_long {
            line.extend_from_slice(chunk);
        }
        let used = done.unwrap_or(buf.len());
        taken += used as u64;
        reader.consume(used);
        if done.is_some() {
            break;
        }
        if taken > limits::MAX_SKIP {
            return Ok(Some((Line::Endless, taken)));
        }
    }
    let ended = if too_long {
        Line::TooLong(taken)
    } else {
        Line::Text(line)
    };
    Ok(Some((ended, taken)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_input(text: &str) -> Input {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, text).unwrap();
        let input = open(&Source::File(path), Format::Csv).unwrap();
        drop(dir);
        input
    }

    #[test]
    fn csv_rows_keep_quoted_commas_quotes_and_newlines() {
        let mut input = csv_input("city,note\nParis,\"a, \"\"b\"\"\nc\"\nOslo,x\n");
        let Reader::Csv(_) = &input.reader else {
            panic!("not CSV")
        };
        let Some((Record::Row { at, cells }, _)) = input.reader.next(1) else {
            panic!("no row")
        };
        assert_eq!((at, cells), (2, vec!["Paris".into(), "a, \"b\"\nc".into()]));
        let Some((Record::Row { at, cells }, _)) = input.reader.next(2) else {
            panic!("no row")
        };
        assert_eq!((at, cells), (4, vec!["Oslo".into(), "x".into()]));
        assert!(input.reader.next(3).is_none());
    }

    #[test]
    fn a_csv_row_of_the_wrong_width_is_a_bad_record_and_reading_goes_on() {
        let mut input = csv_input("a,b\n1\n2,3\n");
        let Some((Record::Bad(why), _)) = input.reader.next(1) else {
            panic!("not bad")
        };
        assert_eq!(why, "line 1 (CSV line 2): 1 field, but the header names 2");
        assert!(matches!(
            input.reader.next(2),
            Some((Record::Row { .. }, _))
        ));
    }
}

/// JSON-lines input (the fuzz target): every byte is taken by some line, a kept line holds no
/// newline and is at most the limit, and reading ends.
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_jsonl(data: &[u8]) {
    let mut reader = std::io::BufReader::with_capacity(7, data);
    let mut taken = 0u64;
    while let Some((line, n)) = read_line(&mut reader, 64).expect("reading a slice") {
        assert!(n > 0, "a line took no bytes");
        taken += n;
        if let Line::Text(bytes) = line {
            assert!(bytes.len() <= 64 && !bytes.contains(&b'\n'));
        }
    }
    assert_eq!(taken, data.len() as u64, "bytes not accounted for");
}

/// CSV input (the fuzz target): written to a file, read as `--batch FILE.csv` reads it; every
/// row builds JSON that parses, or says why not.
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_csv(data: &[u8]) {
    use crate::input::Source;
    let path = std::env::temp_dir().join(format!("miiflow-fuzz-{}.csv", std::process::id()));
    std::fs::write(&path, data).expect("a temporary file");
    let Ok(mut input) = open(&Source::File(path), Format::Csv) else {
        return;
    };
    let columns = input.columns.take().expect("a CSV input has columns");
    for n in 1..=1000 {
        match input.reader.next(n) {
            None | Some((Record::End(_), _)) => break,
            Some((Record::Row { at, cells }, _)) => {
                if let Ok(bytes) = crate::input::from_row(&columns, &cells, n, at, &[], &mut |_| {})
                {
                    serde_json::from_slice::<serde_json::Value>(&bytes)
                        .expect("a CSV row built JSON that does not parse");
                }
            }
            Some(_) => {}
        }
    }
}
