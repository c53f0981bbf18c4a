//! Every bound miiflow puts on what it reads or keeps in memory, in one place (the README's
//! "Limits" section lists them). Two can be raised through the environment.

use crate::error::Error;

/// `--input FILE`, `--input -` and `key=@file` / `key:=@file`: the most that is read.
pub(crate) const INPUT_ENV: &str = "MIIFLOW_MAX_INPUT";
pub(crate) const DEFAULT_INPUT: u64 = 256 * MIB;

/// An answer that has to be held whole (pretty-printed, coloured or filtered, or one
/// server-sent event), and the results of a `--jq` filter.
pub(crate) const BUFFER_ENV: &str = "MIIFLOW_MAX_BUFFER";
pub(crate) const DEFAULT_BUFFER: u64 = 256 * MIB;

/// One line of a `--batch` input; a longer line is a bad line, read past without being kept.
pub(crate) const MAX_LINE: usize = 16 * MIB as usize;

/// How far past [`MAX_LINE`] a line is read in search of its end before the input is taken
/// for something other than JSON lines (`/dev/zero`, a binary file) and reading stops.
pub(crate) const MAX_SKIP: u64 = 1 << 30;

/// One answer of a `--batch` line, which is embedded in its result line.
pub(crate) const MAX_BATCH_BODY: usize = 16 * MIB as usize;

/// Array elements that request items may create in all (`a[9999]=x` creates 10,000).
pub(crate) const MAX_ITEM_ELEMENTS: usize = 100_000;

/// The longest `--timeout` or `--connect-timeout`: a year.
pub(crate) const MAX_SECONDS: f64 = 365.0 * 24.0 * 3600.0;

/// The longest `Retry-After` a run waits for before sending again; a longer one fails a
/// single run, and holds a batch (a quota pause).
pub(crate) const RETRY_WAIT_ENV: &str = "MIIFLOW_MAX_RETRY_WAIT";
pub(crate) const DEFAULT_RETRY_WAIT: u64 = 60;

const MIB: u64 = 1024 * 1024;

/// The longest `Retry-After` honoured by waiting, in force.
pub(crate) fn retry_wait() -> Result<std::time::Duration, Error> {
    match crate::env::var(RETRY_WAIT_ENV) {
        Some(text) if !text.trim().is_empty() => text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|s| (*s as f64) <= MAX_SECONDS)
            .map(std::time::Duration::from_secs)
            .ok_or_else(|| {
                Error::BadInput(format!(
                    "{RETRY_WAIT_ENV}={text:?}: expected a whole number of seconds"
                ))
            }),
        _ => Ok(std::time::Duration::from_secs(DEFAULT_RETRY_WAIT)),
    }
}

/// The input limit in force.
pub(crate) fn input() -> Result<u64, Error> {
    from_env(INPUT_ENV, DEFAULT_INPUT)
}

/// The buffer limit in force.
pub(crate) fn buffer() -> Result<usize, Error> {
    from_env(BUFFER_ENV, DEFAULT_BUFFER).map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

fn from_env(name: &str, default: u64) -> Result<u64, Error> {
    match crate::env::var(name) {
        Some(text) if !text.trim().is_empty() => parse_size(&text).ok_or_else(|| {
            Error::BadInput(format!(
                "{name}={text:?}: expected a size such as 512M, 2G or a number of bytes"
            ))
        }),
        _ => Ok(default),
    }
}

/// `1000`, `64K`, `512M`, `2G` (binary units; a trailing `B` or `iB` is allowed).
pub(crate) fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_uppercase();
    let t = t
        .strip_suffix("IB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(&t);
    let (digits, unit) = match t.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&t[..i], c),
        _ => (t, ' '),
    };
    let n: u64 = digits.trim().parse().ok()?;
    let mult: u64 = match unit {
        ' ' => 1,
        'K' => 1 << 10,
        'M' => 1 << 20,
        'G' => 1 << 30,
        'T' => 1 << 40,
        _ => return None,
    };
    n.checked_mul(mult).filter(|n| *n > 0)
}

/// `256 MiB`, `16 MiB`, `1000 bytes`.
pub(crate) fn show_size(n: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {unit}", n / size);
        }
    }
    format!("{n} bytes")
}

/// The error for an answer or result over the buffer limit: exit 1, naming the limit and how
/// to raise it.
pub(crate) fn over_buffer(what: &str, limit: usize) -> anyhow::Error {
    anyhow::anyhow!(
        "{what} is larger than {} and would have to be held in memory; raise the limit with \
         {BUFFER_ENV}=1G (for example), or write the answer as it comes (pipe it or use -o, \
         without --jq)",
        show_size(limit as u64)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        let table = [
            ("1000", Some(1000)),
            ("64K", Some(64 << 10)),
            ("512M", Some(512 << 20)),
            ("512MiB", Some(512 << 20)),
            ("2g", Some(2 << 30)),
            ("2GB", Some(2 << 30)),
            ("0", None),
            ("-1", None),
            ("lots", None),
            ("5X", None),
            ("99999999999T", None),
        ];
        for (text, want) in table {
            assert_eq!(parse_size(text), want, "{text}");
        }
        assert_eq!(show_size(DEFAULT_BUFFER), "256 MiB");
        assert_eq!(show_size(1000), "1000 bytes");
    }
}
