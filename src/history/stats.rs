//! `history stats`: per agent or workflow, how many runs, how many failed, their latencies
//! and the last run, read in one pass over the database.

use std::collections::HashMap;
use std::time::Duration;

use super::History;
use crate::report::latency::Latency;
use crate::request::RunTarget;

/// One agent's or workflow's runs.
pub(crate) struct Stat {
    pub(crate) target: RunTarget,
    pub(crate) runs: u64,
    pub(crate) failed: u64,
    pub(crate) latency: Latency,
    /// When its latest run started (ms since the epoch).
    pub(crate) last_ms: i64,
}

impl History {
    /// The runs of `target` (all when `None`) since `since_ms`, by agent or workflow, most
    /// runs first.
    pub(crate) fn stats(
        &self,
        target: Option<&str>,
        since_ms: Option<i64>,
    ) -> anyhow::Result<Vec<Stat>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, target, duration_ms, exit_code, time_ms FROM runs
             WHERE (?1 IS NULL OR target = ?1) AND (?2 IS NULL OR time_ms >= ?2)",
        )?;
        let mut rows = stmt.query(rusqlite::params![target, since_ms])?;
        let mut by: HashMap<(String, String), Stat> = HashMap::new();
        while let Some(row) = rows.next()? {
            let key = (row.get_ref(0)?.as_str()?, row.get_ref(1)?.as_str()?);
            let (duration_ms, exit, time_ms): (i64, i64, i64) =
                (row.get(2)?, row.get(3)?, row.get(4)?);
            let stat = by
                .entry((key.0.to_owned(), key.1.to_owned()))
                .or_insert_with(|| Stat {
                    target: RunTarget::recorded(key.0, key.1),
                    runs: 0,
                    failed: 0,
                    latency: Latency::default(),
                    last_ms: i64::MIN,
                });
            stat.runs += 1;
            stat.failed += u64::from(exit != 0);
            stat.latency.record(Duration::from_millis(
                u64::try_from(duration_ms).unwrap_or(0),
            ));
            stat.last_ms = stat.last_ms.max(time_ms);
        }
        let mut stats: Vec<Stat> = by.into_values().collect();
        stats.sort_by(|a, b| {
            b.runs
                .cmp(&a.runs)
                .then_with(|| a.target.id().cmp(b.target.id()))
        });
        Ok(stats)
    }
}
