//! Run history: every run (single, `--workflow`, each batch line) recorded in a local SQLite
//! database, so an answer is not lost when the terminal scrolls away.
//!
//! History never fails a run: a database that cannot be opened, is locked past the busy
//! timeout, full or corrupt is one warning on stderr per process, and the run goes on with its
//! own exit code. The key is never stored.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use std::io::Write as _;

use rusqlite::blob::ZeroBlob;
use rusqlite::{Connection, MAIN_DB, OptionalExtension, params};

use crate::target::RunTarget;
use crate::ui::Ui;

mod spool;
mod stats;
pub(crate) use stats::Stat;
mod entry;
mod recorder;
pub(crate) use entry::{Entry, MAX_ANSWER};
mod writer;
pub(crate) use recorder::Recorder;

pub(crate) use writer::Writer;
use writer::{Spooled, record_one, spool};

pub(crate) const DATA_DIR_ENV: &str = "MIIFLOW_DATA_DIR";
pub(crate) const HISTORY_ENV: &str = "MIIFLOW_HISTORY";

/// The most of an input kept per entry; a longer input is cut there and flagged (such an
/// entry cannot be re-run).
pub(crate) const MAX_INPUT: usize = 16 * 1024 * 1024;

/// Inputs larger than this are kept in the `inputs` table (see [`History::record`]).
const APART: usize = 64 * 1024;

/// How long a writer waits for another process's write to finish.
const BUSY: Duration = Duration::from_secs(10);

/// A spooled entry (the fuzz target): what decodes, encodes to bytes that decode the same.
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_spool(data: &[u8]) {
    if let Some((entry, time)) = spool::decode(data) {
        let bytes = spool::encode(&entry, time);
        let (again, time2) = spool::decode(&bytes).expect("an encoded entry decodes");
        assert_eq!(time, time2);
        assert_eq!(format!("{entry:?}"), format!("{again:?}"));
    }
}

/// How long folding pending entries waits on another writer.
const FOLD_WAIT: Duration = Duration::from_secs(1);

/// The data folder: `MIIFLOW_DATA_DIR`, else the platform's (`$XDG_DATA_HOME/miiflow` on Linux).
pub(crate) fn dir() -> Option<PathBuf> {
    if let Some(d) = crate::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("ai", "miiflow", "miiflow").map(|p| p.data_dir().to_owned())
}

pub(crate) fn path(dir: &Path) -> PathBuf {
    dir.join("history.sqlite")
}

/// `MIIFLOW_HISTORY=off` (or 0, false, no) turns recording off.
pub(crate) fn off_by_env() -> bool {
    crate::env::var(HISTORY_ENV).is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "off" | "0" | "false" | "no"
        )
    })
}

static WARNED: AtomicBool = AtomicBool::new(false);

/// Says once per process that history could not be written; the run goes on.
pub(crate) fn warn(ui: &Ui, e: &anyhow::Error) {
    if !WARNED.swap(true, Ordering::Relaxed) {
        ui.warn(&format!(
            "run history not recorded: {e:#} (the run itself is unaffected; MIIFLOW_HISTORY=off \
             turns history off)"
        ));
    }
}

/// The run id of an answer that has one (`{"run_id": …}` at the top).
fn run_id(output: &[u8], cut: bool) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct WithId {
        run_id: Option<String>,
    }
    if cut || output.first() != Some(&b'{') || memchr::memmem::find(output, b"\"run_id\"").is_none()
    {
        return None;
    }
    serde_json::from_slice::<WithId>(output).ok()?.run_id
}

/// An open history database.
pub(crate) struct History {
    conn: Connection,
}

/// The schema's version, kept in the file's `user_version`.
const SCHEMA_VERSION: i64 = 3;

/// Version 1. WAL (set apart: not within a transaction): readers never block the writer.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id          INTEGER PRIMARY KEY,
    time_ms     INTEGER NOT NULL,
    profile     TEXT NOT NULL,
    base_url    TEXT NOT NULL,
    endpoint    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    target      TEXT NOT NULL,
    input       BLOB NOT NULL,
    input_cut   INTEGER NOT NULL DEFAULT 0,
    status      INTEGER,
    output      BLOB NOT NULL,
    output_cut  INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL,
    exit_code   INTEGER NOT NULL,
    run_id      TEXT,
    error       TEXT,
    batch       TEXT,
    batch_line  INTEGER
);
CREATE INDEX IF NOT EXISTS runs_time ON runs (time_ms);
CREATE TABLE IF NOT EXISTS inputs (
    run         INTEGER PRIMARY KEY,
    bytes       BLOB NOT NULL
);
";

/// Version 2: the pending file an entry was folded from (see `spool.rs`), so that folding
/// twice inserts once.
const SCHEMA_2: &str = "
ALTER TABLE runs ADD COLUMN spool TEXT;
CREATE UNIQUE INDEX runs_spool ON runs (spool) WHERE spool IS NOT NULL;
PRAGMA user_version = 2;
";

/// Version 3: the expectations a run was checked against; what asked for it (`via`: an MCP
/// tool call); and an index that holds all that
/// `history stats` reads, so that it never walks past recorded answers (whatever their size).
const SCHEMA_3: &str = "
ALTER TABLE runs ADD COLUMN expect TEXT;
ALTER TABLE runs ADD COLUMN via TEXT;
CREATE INDEX runs_stats ON runs (target, kind, time_ms, duration_ms, exit_code);
PRAGMA user_version = 3;
";

/// The time `d` ago, in milliseconds since the epoch (`--since`, `--older-than`).
pub(crate) fn since_ms(d: Duration) -> i64 {
    SystemTime::now()
        .checked_sub(d)
        .unwrap_or(SystemTime::UNIX_EPOCH)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as i64
}

impl History {
    /// The database for the commands that read it, which must exist (only runs create it).
    pub(crate) fn open_existing() -> anyhow::Result<History> {
        let dir = dir()
            .ok_or_else(|| anyhow::anyhow!("no home folder for the history; set {DATA_DIR_ENV}"))?;
        if !path(&dir).exists() {
            return Err(crate::error::Error::BadInput(format!(
                "no history yet: {} does not exist (runs are recorded as they happen)",
                path(&dir).display()
            ))
            .into());
        }
        History::open(&dir)
    }

    /// Opens (creating) the database in `dir`: the folder 0700 when created, the file 0600.
    pub(crate) fn open(dir: &Path) -> anyhow::Result<History> {
        crate::fs::ensure_dir(dir)?;
        let path = path(dir);
        // SQLite would block for ever opening a FIFO, or read a device: only regular files
        // (or none yet) are opened, the database and the journal files beside it.
        for file in [
            path.clone(),
            dir.join("history.sqlite-wal"),
            dir.join("history.sqlite-shm"),
        ] {
            if let Ok(meta) = std::fs::metadata(&file)
                && !meta.is_file()
            {
                anyhow::bail!("{} is not a regular file", file.display());
            }
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Created 0600 before SQLite opens it; its -wal and -shm files take its mode.
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(&path)
                .with_context(|| format!("cannot open {}", path.display()))?;
        }
        let mut conn =
            Connection::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
        conn.busy_timeout(BUSY)?;
        // NORMAL: no fsync per commit (WAL stays safe against a crash of the process; a power
        // cut may lose the last commits). The schema (and WAL, which the file remembers) is set
        // up once, when `user_version` says it is not there yet: opening costs a run little.
        let version = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        };
        if version(&conn).with_context(|| format!("{}", path.display()))? < SCHEMA_VERSION {
            conn.execute_batch("PRAGMA journal_mode = WAL")?;
            // Another process may be setting it up too: the version is read again under the
            // write lock.
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let found = version(&tx)?;
            if found < 1 {
                tx.execute_batch(SCHEMA)?;
            }
            if found < 2 {
                tx.execute_batch(SCHEMA_2)?;
            }
            if found < 3 {
                tx.execute_batch(SCHEMA_3)?;
            }
            tx.commit().with_context(|| format!("{}", path.display()))?;
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL")?;
        let mut history = History { conn };
        // Folding waits on another writer for a moment at most: a reader then shows what the
        // database holds, and the entries wait for the next one.
        history.conn.busy_timeout(FOLD_WAIT)?;
        let _ = history.fold(dir);
        history.conn.busy_timeout(BUSY)?;
        Ok(history)
    }

    /// How long a write waits on another process's lock before it fails.
    pub(crate) fn wait_at_most(&self, busy: Duration) -> anyhow::Result<()> {
        Ok(self.conn.busy_timeout(busy)?)
    }

    /// Moves the entries waiting in `pending/` into the database, in one transaction; a file
    /// that is not an entry is removed with them.
    fn fold(&mut self, dir: &Path) -> anyhow::Result<()> {
        let files = spool::pending(dir);
        if files.is_empty() {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut folded = Vec::with_capacity(files.len());
        for (name, path) in &files {
            match spool::read(path) {
                Some((entry, time_ms)) => {
                    insert(&tx, &entry, time_ms, Some(name))?;
                    folded.push(path);
                }
                // Never deleted unrecorded: set aside, where no fold reads it again.
                None => spool::set_aside(path),
            }
        }
        tx.commit()?;
        for path in folded {
            let _ = std::fs::remove_file(path);
        }
        Ok(())
    }

    /// Records entries in one transaction; returns their ids.
    pub(crate) fn record(&mut self, entries: &[Entry]) -> anyhow::Result<Vec<i64>> {
        let now = spool::now_ms();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut ids = Vec::with_capacity(entries.len());
        for e in entries {
            ids.push(insert(&tx, e, now - e.duration.as_millis() as i64, None)?);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// Entries, newest first, without their input and answer (only their sizes): a list of
    /// many large entries costs no more memory than a few.
    pub(crate) fn list(&self, filter: &Filter) -> anyhow::Result<Vec<Row>> {
        let mut sql = format!("SELECT {LIST_COLUMNS} FROM runs WHERE 1 = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(target) = &filter.target {
            sql.push_str(" AND target = ?");
            args.push(target.clone().into());
        }
        if filter.failed {
            sql.push_str(" AND exit_code != 0");
        }
        if let Some(since) = filter.since_ms {
            sql.push_str(" AND time_ms >= ?");
            args.push(since.into());
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?");
        args.push((filter.limit as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), Row::read)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub(crate) fn get(&self, id: i64) -> anyhow::Result<Option<Row>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM runs WHERE id = ?1"),
                [id],
                Row::read,
            )
            .optional()?)
    }

    /// Deletes entries older than `before_ms` (all without it); returns how many.
    pub(crate) fn clear(&mut self, before_ms: Option<i64>) -> anyhow::Result<usize> {
        let n = match before_ms {
            Some(t) => self
                .conn
                .execute("DELETE FROM runs WHERE time_ms < ?1", [t])?,
            None => self.conn.execute("DELETE FROM runs", [])?,
        };
        self.conn.execute(
            "DELETE FROM inputs WHERE run NOT IN (SELECT id FROM runs)",
            [],
        )?;
        // Give the space back: history can hold large answers.
        let _ = self
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;");
        Ok(n)
    }
}

/// Inserts one entry recorded at `time_ms` (folded from the pending file `spool`: inserted
/// once however often it is folded); returns its id.
fn insert(
    tx: &rusqlite::Transaction,
    e: &Entry,
    time_ms: i64,
    spool: Option<&str>,
) -> anyhow::Result<i64> {
    let (input, input_cut) = match e.input.len() > MAX_INPUT {
        true => (&e.input[..MAX_INPUT], true),
        false => (&e.input[..], false),
    };
    // A large input goes to a table of its own, where it is the last field of its record:
    // SQLite then writes it in place, page by page, instead of building the whole row in memory.
    let apart = input.len() > APART;
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO runs (time_ms, profile, base_url, endpoint, kind, target, input,
             input_cut, status, output, output_cut, duration_ms, exit_code, run_id, error,
             batch, batch_line, spool, expect, via)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20)",
    )?;
    let inserted = insert.execute(params![
        time_ms,
        e.profile,
        e.base_url,
        e.endpoint,
        e.target.kind(),
        e.target.id(),
        if apart { &[][..] } else { input },
        input_cut,
        e.status,
        e.output,
        e.output_cut,
        e.duration.as_millis() as i64,
        e.exit,
        run_id(&e.output, e.output_cut),
        e.error,
        e.batch.as_ref().map(|(name, _)| name.as_str()),
        e.batch.as_ref().map(|(_, line)| *line as i64),
        spool,
        e.expect,
        e.via,
    ])?;
    let id = tx.last_insert_rowid();
    if apart && inserted == 1 {
        tx.execute(
            "INSERT INTO inputs (run, bytes) VALUES (?1, ?2)",
            params![id, ZeroBlob(input.len() as u64)],
        )?;
        let mut blob = tx.blob_open(MAIN_DB, c"inputs", c"bytes", id, false)?;
        blob.write_all(input)?;
    }
    Ok(id)
}

/// What `history list` selects.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    pub(crate) limit: usize,
    pub(crate) target: Option<String>,
    pub(crate) failed: bool,
    pub(crate) since_ms: Option<i64>,
}

const COLUMNS: &str = "id, time_ms, profile, base_url, endpoint, kind, target, \
     coalesce((SELECT bytes FROM inputs WHERE run = id), input), input_cut, \
     status, output, output_cut, duration_ms, exit_code, run_id, error, batch, batch_line, \
     coalesce((SELECT length(bytes) FROM inputs WHERE run = id), length(input)), length(output), \
     expect, via";

/// The same, with empty blobs for the input and the answer.
const LIST_COLUMNS: &str = "id, time_ms, profile, base_url, endpoint, kind, target, X'', \
     input_cut, status, X'', output_cut, duration_ms, exit_code, run_id, error, batch, \
     batch_line, coalesce((SELECT length(bytes) FROM inputs WHERE run = id), length(input)), \
     length(output), expect, via";

/// One recorded run, read back.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) id: i64,
    pub(crate) time_ms: i64,
    pub(crate) profile: String,
    pub(crate) base_url: String,
    pub(crate) endpoint: String,
    /// The agent or workflow run (an unknown recorded kind reads as an agent).
    pub(crate) target: RunTarget,
    pub(crate) input: Vec<u8>,
    pub(crate) input_cut: bool,
    pub(crate) status: Option<u16>,
    pub(crate) output: Vec<u8>,
    pub(crate) output_cut: bool,
    pub(crate) duration_ms: i64,
    pub(crate) exit: u8,
    pub(crate) run_id: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) batch: Option<String>,
    pub(crate) batch_line: Option<i64>,
    /// The sizes of the input and the answer as stored (also when they were not read).
    pub(crate) input_bytes: i64,
    pub(crate) output_bytes: i64,
    /// The expectations checked (`--expect …`), as given.
    pub(crate) expect: Option<String>,
    /// What asked for the run (`mcp`: a tool call), when not the command line.
    pub(crate) via: Option<String>,
}

impl Row {
    fn read(r: &rusqlite::Row) -> rusqlite::Result<Row> {
        Ok(Row {
            id: r.get(0)?,
            time_ms: r.get(1)?,
            profile: r.get(2)?,
            base_url: r.get(3)?,
            endpoint: r.get(4)?,
            target: RunTarget::recorded(&r.get::<_, String>(5)?, &r.get::<_, String>(6)?),
            input: r.get(7)?,
            input_cut: r.get(8)?,
            status: r.get(9)?,
            output: r.get(10)?,
            output_cut: r.get(11)?,
            duration_ms: r.get(12)?,
            exit: r.get(13)?,
            run_id: r.get(14)?,
            error: r.get(15)?,
            batch: r.get(16)?,
            batch_line: r.get(17)?,
            input_bytes: r.get(18)?,
            output_bytes: r.get(19)?,
            expect: r.get(20)?,
            via: r.get(21)?,
        })
    }

    /// The time as RFC 3339 (UTC, seconds); a time RFC 3339 cannot write (before 1970, after
    /// 9999: a clock or a database gone wrong) is shown as its milliseconds.
    pub(crate) fn time(&self) -> String {
        time_text(self.time_ms)
    }
}

/// A recorded time as RFC 3339 (UTC, seconds), or its milliseconds when RFC 3339 cannot
/// write it.
pub(crate) fn time_text(time_ms: i64) -> String {
    /// 9999-12-31T23:59:59.999Z
    const LAST: i64 = 253_402_300_799_999;
    match time_ms {
        ms @ 0..=LAST => {
            let t = SystemTime::UNIX_EPOCH + Duration::from_millis(ms as u64);
            humantime::format_rfc3339_seconds(t).to_string()
        }
        ms => format!("@{ms}ms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entry::MASK_ROOM;

    fn row_entry() -> Entry {
        Entry {
            profile: "default".into(),
            target: RunTarget::Agent("agent_a".into()),
            ..Entry::default()
        }
    }

    #[test]
    fn entries_round_trip_and_answers_are_capped() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = History::open(dir.path()).unwrap();
        let mut e = Entry {
            profile: "default".into(),
            base_url: "http://127.0.0.1:1".into(),
            endpoint: "POST /api/v1/agent_run".into(),
            target: RunTarget::Agent("agent_a".into()),
            input: bytes::Bytes::from_static(b"{\"n\": 1.50}"),
            status: Some(200),
            exit: 0,
            ..Entry::default()
        };
        e.keep_output(br#"{"run_id":"run_1","output":1}"#);
        let mut big = e.clone();
        big.output.clear();
        big.keep_output(&vec![b'x'; MAX_ANSWER + 10]);
        let key = crate::credentials::ApiKey::parse("mk_unit_0123456789abcd").unwrap();
        big.mask(&key);
        assert!(big.output_cut);
        // A key across the cut: masked before the cut, and no start of it kept.
        let mut across = e.clone();
        across.output.clear();
        across.keep_output(&vec![b'x'; MAX_ANSWER - 5]);
        across.keep_output(key.expose().as_bytes());
        across.keep_output(b" and more");
        across.mask(&key);
        assert!(across.output_cut);
        assert_eq!(across.output.len(), MAX_ANSWER);
        assert!(
            across.output.ends_with(b"xmk_\xe2\x80"),
            "cut inside the mask, not the key"
        );
        let mut partial = e.clone();
        partial.output.clear();
        partial.keep_output(&vec![b'x'; MAX_ANSWER + MASK_ROOM - 5]);
        partial.keep_output(key.expose().as_bytes());
        partial.output.drain(..MASK_ROOM);
        partial.mask(&key);
        assert!(
            !partial.output.ends_with(b"mk_u"),
            "no start of a key at the cut"
        );
        let ids = h.record(&[e, big]).unwrap();
        let row = h.get(ids[0]).unwrap().unwrap();
        assert_eq!(row.input, b"{\"n\": 1.50}");
        assert_eq!(row.run_id.as_deref(), Some("run_1"));
        let rows = h
            .list(&Filter {
                limit: 10,
                ..Filter::default()
            })
            .unwrap();
        assert_eq!(rows[0].id, ids[1], "newest first");
        assert_eq!(rows[0].output_bytes, MAX_ANSWER as i64);
        assert!(rows[0].output.is_empty(), "a list reads sizes, not answers");
        assert!(rows[0].output_cut && rows[0].run_id.is_none());
        // A large input is written in place, byte for byte.
        let large: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut big_input = row_entry();
        big_input.input = bytes::Bytes::from(large.clone());
        let id = h.record(&[big_input]).unwrap()[0];
        assert_eq!(h.get(id).unwrap().unwrap().input, large);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_spooled_entry_is_folded_once_however_often_it_is_folded() {
        let dir = tempfile::tempdir().unwrap();
        drop(History::open(dir.path()).unwrap());
        let mut e = row_entry();
        e.input = bytes::Bytes::from_static(b"{\"spooled\":1}");
        e.duration = Duration::from_millis(5);
        assert!(matches!(spool(dir.path(), e.clone()), Spooled::Kept));
        let (name, file) = spool::pending(dir.path()).remove(0);
        let copy = std::fs::read(&file).unwrap();
        let all = Filter {
            limit: 10,
            ..Filter::default()
        };
        let h = History::open(dir.path()).unwrap();
        assert_eq!(h.list(&all).unwrap().len(), 1);
        assert!(
            spool::pending(dir.path()).is_empty(),
            "folded files are removed"
        );
        // The same file again (a second process folding it, or a crash before the unlink).
        std::fs::write(dir.path().join("pending").join(&name), copy).unwrap();
        std::fs::write(dir.path().join("pending").join("junk.entry"), b"not one").unwrap();
        let h = History::open(dir.path()).unwrap();
        let rows = h.list(&all).unwrap();
        assert_eq!(rows.len(), 1);
        assert!(spool::pending(dir.path()).is_empty());
        // What cannot be read back is set aside, never deleted unrecorded.
        assert_eq!(
            std::fs::read(dir.path().join("pending").join(".unreadable-junk.entry")).unwrap(),
            b"not one"
        );
        let row = h.get(rows[0].id).unwrap().unwrap();
        assert_eq!(row.input, b"{\"spooled\":1}");
        assert_eq!(row.duration_ms, 5);
        // A large entry is not spooled, nor one without a database to fold it into.
        let mut large = row_entry();
        large.input = bytes::Bytes::from(vec![b' '; spool::MAX_SPOOLED + 1]);
        assert!(matches!(spool(dir.path(), large), Spooled::Not(_)));
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(spool(empty.path(), row_entry()), Spooled::Not(_)));
    }

    #[test]
    fn the_run_that_finds_many_entries_waiting_folds_them() {
        let dir = tempfile::tempdir().unwrap();
        drop(History::open(dir.path()).unwrap());
        for n in 1..spool::FOLD_AT {
            assert!(
                matches!(spool(dir.path(), row_entry()), Spooled::Kept),
                "{n}"
            );
        }
        assert!(matches!(spool(dir.path(), row_entry()), Spooled::Fold));
    }

    #[test]
    fn a_version_1_database_is_brought_to_version_2() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(path(dir.path())).unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        conn.execute_batch("PRAGMA user_version = 1").unwrap();
        drop(conn);
        let mut h = History::open(dir.path()).unwrap();
        h.record(&[row_entry()]).unwrap();
        let v: i64 = h
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }

    #[test]
    fn times_past_what_rfc_3339_writes_are_shown_as_milliseconds() {
        let row = |time_ms| Row {
            id: 1,
            time_ms,
            profile: String::new(),
            base_url: String::new(),
            endpoint: String::new(),
            target: RunTarget::Agent("a".into()),
            input: Vec::new(),
            input_cut: false,
            status: None,
            output: Vec::new(),
            output_cut: false,
            duration_ms: 0,
            exit: 0,
            run_id: None,
            error: None,
            batch: None,
            batch_line: None,
            input_bytes: 0,
            output_bytes: 0,
            expect: None,
            via: None,
        };
        assert_eq!(row(0).time(), "1970-01-01T00:00:00Z");
        assert_eq!(row(999_999_999_999_999).time(), "@999999999999999ms");
        assert_eq!(row(-5).time(), "@-5ms");
    }

    #[test]
    fn a_short_key_masks_nothing_in_an_entry() {
        let mut e = Entry::default();
        e.keep_output(b"testing the test");
        e.error = Some("a test failed".into());
        e.mask(&crate::credentials::ApiKey::parse("test").unwrap());
        assert_eq!(e.output, b"testing the test");
        assert_eq!(e.error.as_deref(), Some("a test failed"));
    }
}
