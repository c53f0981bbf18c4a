//! Latencies: a histogram of how long runs took (bounded memory however many; 3 significant
//! digits), its percentiles, and a small picture of it for a terminal. A batch's summary and
//! `history stats` both use it.

use std::time::Duration;

/// Run latencies: a histogram (bounded memory however many lines; 3 significant digits).
pub(crate) struct Latency(hdrhistogram::Histogram<u64>);

impl Default for Latency {
    fn default() -> Latency {
        // From 1 µs to a day, 3 significant digits (longer is counted as a day).
        Latency(
            hdrhistogram::Histogram::new_with_bounds(1, 86_400_000_000, 3).expect("valid bounds"),
        )
    }
}

impl Latency {
    pub(crate) fn record(&mut self, took: Duration) {
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX).max(1);
        self.0.saturating_record(micros);
    }

    pub(crate) fn count(&self) -> u64 {
        self.0.len()
    }

    /// The latency at quantile `q` (0–1), in milliseconds; `None` when nothing ran.
    pub(crate) fn ms(&self, q: f64) -> Option<f64> {
        (self.count() > 0).then(|| self.0.value_at_quantile(q) as f64 / 1000.0)
    }

    /// Adds another histogram's runs.
    pub(crate) fn add(&mut self, other: &Latency) {
        self.0.add(&other.0).expect("histograms of the same bounds");
    }

    pub(crate) fn max_ms(&self) -> Option<f64> {
        (self.count() > 0).then(|| self.0.max() as f64 / 1000.0)
    }
}

/// Milliseconds as people read them: `840 ms`, `1.25 s`.
pub(crate) fn show_ms(ms: f64) -> String {
    match ms < 1000.0 {
        true => format!("{ms:.0} ms"),
        false => format!("{:.2} s", ms / 1000.0),
    }
}

/// The histogram in `steps` ranges a decade (log-spaced edges, in µs, from the decade of the
/// fastest run to past the slowest): (from, to, runs), `to` excluded. For the HTML report.
pub(crate) fn ranges(latency: &Latency, steps: u32) -> Vec<(u64, u64, u64)> {
    let h = &latency.0;
    if h.is_empty() {
        return Vec::new();
    }
    let low = (h.min().max(1) as f64).log10().floor() as i32 * steps as i32;
    let high = (h.max().max(1) as f64).log10().ceil() as i32 * steps as i32;
    let edge = |i: i32| 10f64.powf(f64::from(i) / f64::from(steps)).round() as u64;
    let mut out: Vec<(u64, u64, u64)> = Vec::new();
    for i in low..high.max(low + 1) {
        let (lo, hi) = (edge(i), edge(i + 1));
        if hi > lo {
            out.push((lo, hi, h.count_between(lo, hi - 1)));
        }
    }
    // The last edge may fall on the slowest run itself.
    if let Some(last) = out.last_mut()
        && last.1 <= h.max()
    {
        last.1 = h.max() + 1;
        last.2 = h.count_between(last.0, h.max());
    }
    out
}

/// The histogram as bars for a terminal: one row per range (1-2-5 steps from the fastest to
/// the slowest run), the bar's length by how many runs fell in it.
pub(crate) fn bars(latency: &Latency, width: usize) -> Vec<String> {
    let h = &latency.0;
    if h.is_empty() {
        return Vec::new();
    }
    // Range edges in µs: 1, 2, 5, 10, 20, 50… covering min..=max.
    let mut edges = vec![1u64];
    while *edges.last().expect("not empty") <= h.max() {
        let last = *edges.last().expect("not empty");
        let digits = 10u64.pow(last.ilog10());
        edges.push(match last / digits {
            1 => 2 * digits,
            2 => 5 * digits,
            _ => 10 * digits,
        });
    }
    let first = edges.iter().rposition(|e| *e <= h.min()).unwrap_or(0);
    let ranges: Vec<(u64, u64, u64)> = edges[first..]
        .windows(2)
        .map(|w| (w[0], w[1], h.count_between(w[0], w[1] - 1)))
        .collect();
    let most = ranges.iter().map(|r| r.2).max().unwrap_or(1).max(1);
    let label = |us: u64| show_ms(us as f64 / 1000.0);
    ranges
        .iter()
        .map(|(lo, hi, n)| {
            let eighths = (*n as usize * width * 8).div_ceil(most as usize);
            let mut bar = "█".repeat(eighths / 8);
            if !eighths.is_multiple_of(8) {
                bar.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8 - 1]);
            }
            format!("{:>8} – {:<8} {bar} {n}", label(*lo), label(*hi))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_cover_the_fastest_to_the_slowest_run() {
        let mut l = Latency::default();
        for ms in [3u64, 4, 4, 12, 150] {
            l.record(Duration::from_millis(ms));
        }
        let rows = bars(&l, 10);
        assert_eq!(rows.len(), 6, "{rows:#?}");
        assert!(
            rows[0].starts_with("    2 ms – 5 ms     ██████████ 3"),
            "{rows:#?}"
        );
        assert!(rows[1].ends_with(" 0"), "{rows:#?}");
        assert!(rows[5].contains("100 ms – 200 ms"), "{rows:#?}");
        assert!(bars(&Latency::default(), 10).is_empty());
        let r = ranges(&l, 10);
        assert_eq!(
            r.iter().map(|r| r.2).sum::<u64>(),
            5,
            "every run in a range: {r:?}"
        );
        assert!(
            r.first().unwrap().0 <= 3000 && r.last().unwrap().1 > 150_000,
            "{r:?}"
        );
        assert!(r.windows(2).all(|w| w[0].1 == w[1].0), "contiguous: {r:?}");
    }
}
