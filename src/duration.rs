//! Durations as people write them on a command line — `30m`, `2h`, `1d` (`history clear
//! --older-than`), `10/s` (`--rate`), seconds (`--timeout`) — and in words for messages. Pure:
//! clap's value parsers call these.

use std::time::Duration;

/// `30m`, `2h`, `1d`, `1w`. A bare number is refused: `3` might mean seconds or days, and a
/// history clear is no place to guess.
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(format!(
            "'{text}' has no unit: write {t}d for days, {t}h for hours, {t}m for minutes (or \
             1w, 30s)"
        ));
    }
    humantime::parse_duration(t)
        .map_err(|e| format!("'{text}': {e}; write it as 30m, 2h, 1d or 1w"))
}

/// A duration in words for a question or a message: `30 days`, `1 hour 30 minutes`.
pub(crate) fn words(d: Duration) -> String {
    let mut secs = d.as_secs();
    let mut parts = Vec::new();
    for (unit, size) in [
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ] {
        let n = secs / size;
        secs %= size;
        if n > 0 {
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
    }
    match parts.is_empty() {
        true => "0 seconds".into(),
        false => parts.join(" "),
    }
}

/// `--rate N/s` or `N/m`: the time between two starts.
pub(crate) fn rate(text: &str) -> Result<Duration, String> {
    let usage = || format!("'{text}': expected N/s or N/m, e.g. 10/s or 300/m");
    let (n, per) = text.split_once('/').ok_or_else(usage)?;
    let n: f64 = n.trim().parse().map_err(|_| usage())?;
    let per = match per.trim() {
        "s" => 1.0,
        "m" => 60.0,
        _ => return Err(usage()),
    };
    if !(n.is_finite() && n > 0.0 && n <= 1_000_000.0) {
        return Err(format!(
            "'{text}': the rate must be above 0 and at most 1000000"
        ));
    }
    // The slowest rate is one start an hour: a longer spacing is a typo, and a spacing of
    // years would overflow the clock.
    let spacing = per / n;
    if spacing > 3600.0 {
        return Err(format!(
            "'{text}': too slow; the slowest rate is one start an hour (1/m is one a minute)"
        ));
    }
    Duration::try_from_secs_f64(spacing).map_err(|_| usage())
}

/// A number of seconds (`--timeout`, `--connect-timeout`): 0 to a year.
pub(crate) fn seconds(s: &str) -> Result<Duration, String> {
    let n: f64 = s
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds"))?;
    if !(0.0..=crate::limits::MAX_SECONDS).contains(&n) {
        return Err(format!(
            "'{s}' is out of range: give 0 to {} seconds (a year)",
            crate::limits::MAX_SECONDS
        ));
    }
    Duration::try_from_secs_f64(n).map_err(|_| format!("'{s}' is not a usable number of seconds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `durations` fuzz target (its first assertion was wrong, not the parser): a
    /// duration of centuries is accepted (a `--since` that means everything), and the words a
    /// question shows for it mean the same whole seconds.
    #[test]
    fn huge_durations_are_accepted_and_their_words_read_back() {
        let d = parse("109400000m").unwrap();
        assert_eq!(d.as_secs(), 109_400_000 * 60);
        let words = words(d);
        assert_eq!(humantime::parse_duration(&words).unwrap(), d, "{words}");
    }

    #[test]
    fn rates_are_spacings_between_starts() {
        assert_eq!(rate("10/s"), Ok(Duration::from_millis(100)));
        assert_eq!(rate("30/m"), Ok(Duration::from_secs(2)));
        assert_eq!(rate("0.5/s"), Ok(Duration::from_secs(2)));
        for bad in [
            "0/s", "10", "10/h", "-1/s", "x/s", "inf/s", "1e9/s", "1e-20/s", "1e-19/s", "0.0001/s",
        ] {
            assert!(rate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_need_a_unit_and_read_as_words() {
        assert!(parse("3").unwrap_err().contains("3d for days"));
        assert!(parse("1.5").is_err());
        assert_eq!(parse("3d").unwrap(), Duration::from_secs(3 * 86_400));
        assert_eq!(parse("90m").unwrap(), Duration::from_secs(5_400));
        assert_eq!(words(Duration::from_secs(30 * 86_400)), "30 days");
        assert_eq!(words(Duration::from_secs(5_400)), "1 hour 30 minutes");
    }

    #[test]
    fn seconds_are_bounded() {
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(seconds("31536000"), Ok(Duration::from_secs(31_536_000)));
        for bad in ["9.3e18", "31536001", "-1", "NaN", "inf", "x"] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }
}
