//! A run's entry kept without waiting: one small file written to `pending/` beside the
//! database (a temp file renamed into place, no fsync), folded into SQLite by the next process
//! that opens the history — `history list`, a batch, or the run that finds [`FOLD_AT`] entries
//! waiting. A run then costs a file write instead of SQLite's open, commit and checkpoint.
//!
//! The file name is unique (time, process, a counter) and is recorded with the entry: folding
//! twice (two processes at once, or a crash between the commit and the unlink) inserts once.
//! The format, read back from a file in our own private folder but still read defensively:
//!
//! ```text
//! miiflow-entry 1\n
//! {"time_ms":…,"profile":…,…,"input_len":N,"output_len":M}\n
//! <N bytes of input><M bytes of answer>
//! ```

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::Entry;
use crate::target::RunTarget;

const MAGIC: &[u8] = b"miiflow-entry 1\n";
/// The folder beside the database.
const PENDING: &str = "pending";
/// Entries larger than this are written to the database directly (they would be copied twice).
pub(crate) const MAX_SPOOLED: usize = 64 * 1024;
/// The most a header may take.
const MAX_HEADER: usize = 64 * 1024;
/// A run that finds this many entries waiting folds them itself (so that `pending/` stays small
/// for someone who never reads the history).
pub(crate) const FOLD_AT: usize = 64;
/// A temp file older than this was left by a killed process.
const STALE: Duration = Duration::from_secs(3600);

/// An entry as spooled: everything but the input and the answer, which follow it as bytes.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Header {
    time_ms: i64,
    profile: String,
    base_url: String,
    endpoint: String,
    kind: String,
    target: String,
    status: Option<u16>,
    output_cut: bool,
    duration_ms: u64,
    exit: u8,
    error: Option<String>,
    batch: Option<(String, u64)>,
    #[serde(default)]
    expect: Option<String>,
    #[serde(default)]
    via: Option<String>,
    input_len: usize,
    output_len: usize,
}

/// The bytes of a spooled entry recorded at `time_ms`.
pub(super) fn encode(entry: &Entry, time_ms: i64) -> Vec<u8> {
    let header = Header {
        time_ms,
        profile: entry.profile.clone(),
        base_url: entry.base_url.clone(),
        endpoint: entry.endpoint.clone(),
        kind: entry.target.kind().to_owned(),
        target: entry.target.id().to_owned(),
        status: entry.status,
        output_cut: entry.output_cut,
        duration_ms: entry.duration.as_millis() as u64,
        exit: entry.exit,
        error: entry.error.clone(),
        batch: entry.batch.clone(),
        expect: entry.expect.clone(),
        via: entry.via.clone(),
        input_len: entry.input.len(),
        output_len: entry.output.len(),
    };
    let mut out = Vec::with_capacity(256 + entry.input.len() + entry.output.len());
    out.extend_from_slice(MAGIC);
    serde_json::to_writer(&mut out, &header).expect("a header serialises");
    out.push(b'\n');
    out.extend_from_slice(&entry.input);
    out.extend_from_slice(&entry.output);
    out
}

/// An entry and its time, from [`encode`]'s bytes; `None` for anything else.
pub(super) fn decode(bytes: &[u8]) -> Option<(Entry, i64)> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let end = memchr::memchr(b'\n', &rest[..rest.len().min(MAX_HEADER)])?;
    let header: Header = serde_json::from_slice(&rest[..end]).ok()?;
    let body = &rest[end + 1..];
    if header.input_len.checked_add(header.output_len)? != body.len() {
        return None;
    }
    let (input, output) = body.split_at(header.input_len);
    let entry = Entry {
        profile: header.profile,
        base_url: header.base_url,
        endpoint: header.endpoint,
        target: RunTarget::recorded(&header.kind, &header.target),
        input: bytes::Bytes::copy_from_slice(input),
        status: header.status,
        output: output.to_vec(),
        output_cut: header.output_cut,
        duration: Duration::from_millis(header.duration_ms),
        exit: header.exit,
        error: header.error,
        batch: header.batch,
        expect: header.expect,
        via: header.via,
    };
    Some((entry, header.time_ms))
}

pub(super) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as i64
}

/// Whether `dir`'s database is there and is one (a regular file with SQLite's header): only
/// then is an entry spooled. Otherwise the entry is written directly, which creates the
/// database, or says once what is wrong with it.
pub(super) fn ready(dir: &Path) -> bool {
    let path = super::path(dir);
    // Looked at before it is opened: a FIFO in the database's place must not hold the run.
    if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; 16];
    std::fs::File::open(&path)
        .and_then(|mut file| file.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0"
}

/// Writes `entry` to `dir/pending/` (created 0700 when missing); returns how many entries are
/// waiting there now, counted up to [`FOLD_AT`].
pub(super) fn write(dir: &Path, entry: &Entry) -> std::io::Result<usize> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let pending = dir.join(PENDING);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let name = format!(
        "{nanos:024}-{}-{}.entry",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let bytes = encode(entry, now_ms() - entry.duration.as_millis() as i64);
    // A header that [`decode`] would not read back (a long --expect, id or base URL) is not
    // spooled: the entry is written to the database directly instead.
    let header = memchr::memchr(b'\n', &bytes[MAGIC.len()..]).unwrap_or(usize::MAX);
    if header >= MAX_HEADER {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the entry's header is too long to spool",
        ));
    }
    let temp = pending.join(format!(".tmp-{name}"));
    let mut file = match create(&temp) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::fs::private_dir(&pending).map_err(std::io::Error::other)?;
            create(&temp)?
        }
        other => other?,
    };
    let written = file.write_all(&bytes).and_then(|()| {
        drop(file);
        std::fs::rename(&temp, pending.join(&name))
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    Ok(std::fs::read_dir(&pending)?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".entry"))
        .take(FOLD_AT)
        .count())
}

fn create(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// What is waiting in `dir/pending/`, oldest first; temp files of killed processes are removed
/// on the way.
pub(super) fn pending(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(read) = std::fs::read_dir(dir.join(PENDING)) else {
        return Vec::new();
    };
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for item in read.filter_map(Result::ok) {
        let name = item.file_name().to_string_lossy().into_owned();
        // Regular files only (a FIFO would hold every reader; a symlink points elsewhere).
        if !item.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        if name.ends_with(".entry") && !name.starts_with('.') {
            files.push((name, item.path()));
        } else if name.starts_with(".tmp-")
            && item
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > STALE)
        {
            let _ = std::fs::remove_file(item.path());
        }
    }
    files.sort();
    files
}

/// A pending file's entry; `None` when it is not one (too large, or not in the format).
/// Renames a pending file that cannot be read back to `.unreadable-NAME` beside it: kept for
/// a person to look at, never folded or removed.
pub(super) fn set_aside(path: &Path) {
    if let Some(name) = path.file_name() {
        let mut aside = std::ffi::OsString::from(".unreadable-");
        aside.push(name);
        let _ = std::fs::rename(path, path.with_file_name(aside));
    }
}

pub(super) fn read(path: &Path) -> Option<(Entry, i64)> {
    let file = std::fs::File::open(path).ok()?;
    // A batch's writer spools entries of any size when the database is busy.
    let limit = (MAGIC.len() + MAX_HEADER + super::MAX_INPUT + 2 * super::MAX_ANSWER) as u64;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > limit {
        return None;
    }
    decode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        let mut e = Entry {
            profile: "default".into(),
            base_url: "http://127.0.0.1:1".into(),
            endpoint: "POST /v1/workflows/wf%201/run".into(),
            target: RunTarget::Workflow("wf 1".into()),
            input: bytes::Bytes::from_static(b"{\"n\":\n1}"),
            status: Some(500),
            duration: Duration::from_millis(1234),
            exit: 1,
            error: Some("HTTP 500\nwith a line".into()),
            batch: Some(("in.jsonl".into(), 7)),
            ..Entry::default()
        };
        e.keep_output(b"{\"error\":\"x\"}\n\x00\xff");
        e
    }

    #[test]
    fn an_entry_comes_back_as_it_was_spooled() {
        let e = entry();
        let (back, time) = decode(&encode(&e, 42)).unwrap();
        assert_eq!(time, 42);
        assert_eq!(format!("{back:?}"), format!("{e:?}"));
    }

    #[test]
    fn anything_but_a_whole_entry_is_refused() {
        let bytes = encode(&entry(), 1);
        for cut in [0, 5, MAGIC.len(), MAGIC.len() + 10, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(b'x');
        assert!(decode(&longer).is_none());
        let lying = String::from_utf8_lossy(&bytes)
            .replace("\"input_len\":8", "\"input_len\":18446744073709551615");
        assert!(decode(lying.as_bytes()).is_none());
        assert!(decode(b"miiflow-entry 1\n{}\n").is_none());
    }

    #[test]
    fn temp_files_of_killed_writers_are_removed_once_stale_and_odd_files_ignored() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &entry()).unwrap();
        let pending_dir = dir.path().join(PENDING);
        let stale = pending_dir.join(".tmp-stale.entry");
        let fresh = pending_dir.join(".tmp-fresh.entry");
        for path in [&stale, &fresh] {
            std::fs::write(path, b"cut sho").unwrap();
        }
        let old = SystemTime::now() - 2 * STALE;
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old)
            .unwrap();
        std::fs::create_dir(pending_dir.join("folder.entry")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/dev/zero", pending_dir.join("zero.entry")).unwrap();
        assert_eq!(pending(dir.path()).len(), 1);
        assert!(!stale.exists());
        assert!(fresh.exists());
    }

    #[test]
    fn entries_are_written_into_place_and_listed_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        assert!(pending(dir.path()).is_empty());
        assert!(!ready(dir.path()));
        assert_eq!(write(dir.path(), &entry()).unwrap(), 1);
        assert_eq!(write(dir.path(), &entry()).unwrap(), 2);
        let files = pending(dir.path());
        assert_eq!(files.len(), 2);
        assert!(files[0].0 < files[1].0);
        let (back, _) = read(&files[0].1).unwrap();
        assert_eq!(back.input, entry().input);
        std::fs::write(dir.path().join("history.sqlite"), b"SQLite format 3\0...").unwrap();
        assert!(ready(dir.path()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir.path().join(PENDING)), 0o700);
            assert_eq!(mode(&files[0].1), 0o600);
        }
    }
}
