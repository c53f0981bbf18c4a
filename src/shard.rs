//! `--shard I/N`: which lines of a batch one job of N runs. A value the command line parses
//! and the batch driver uses; pure.

/// `--shard I/N`: this job runs the lines whose (line − 1) mod N = I − 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shard {
    pub(crate) index: u64,
    pub(crate) count: u64,
}

/// The most shards a batch may be split into: more than any CI engine runs at once.
pub(crate) const MAX_SHARDS: u64 = 100_000;

impl Shard {
    /// Whether this shard runs line `line` (lines count from 1; there is no line 0).
    pub(crate) fn takes(&self, line: u64) -> bool {
        line >= 1 && (line - 1) % self.count == self.index - 1
    }

    /// The first line from `line` on that this shard runs (arithmetic, not a walk: a shard
    /// of a large N skips far ahead at once).
    pub(crate) fn next_from(&self, line: u64) -> u64 {
        let line = line.max(1);
        let at = (line - 1) % self.count;
        let want = self.index - 1;
        line + (want + self.count - at) % self.count
    }

    /// How many of the lines 1..=`lines` this shard runs.
    pub(crate) fn count_in(&self, lines: u64) -> u64 {
        match lines >= self.index {
            true => (lines - self.index) / self.count + 1,
            false => 0,
        }
    }
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let usage = || format!("'{s}': expected I/N with 1 ≤ I ≤ N, e.g. 2/4");
        let (i, n) = s.split_once('/').ok_or_else(usage)?;
        let (index, count) = (
            i.trim().parse::<u64>().map_err(|_| usage())?,
            n.trim().parse::<u64>().map_err(|_| usage())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        if count > MAX_SHARDS {
            return Err(format!(
                "'{s}': at most {MAX_SHARDS} shards (N); each shard is one job of a CI matrix"
            ));
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shards of any count split any input: every line in exactly one of them, each
        /// shard's `next_from` walks exactly its lines, and `count_in` counts them.
        #[test]
        fn shards_partition_every_line_exactly_once(count in 1u64..40, lines in 0u64..300) {
            let shards: Vec<Shard> = (1..=count)
                .map(|i| format!("{i}/{count}").parse().unwrap())
                .collect();
            for line in 1..=lines {
                proptest::prop_assert_eq!(shards.iter().filter(|s| s.takes(line)).count(), 1);
            }
            let mut total = 0;
            for s in &shards {
                let mut walked = Vec::new();
                let mut next = s.next_from(1);
                while next <= lines {
                    walked.push(next);
                    next = s.next_from(next + 1);
                }
                let taken: Vec<u64> = (1..=lines).filter(|l| s.takes(*l)).collect();
                proptest::prop_assert_eq!(&walked, &taken);
                proptest::prop_assert_eq!(s.count_in(lines), taken.len() as u64);
                total += taken.len() as u64;
            }
            proptest::prop_assert_eq!(total, lines);
        }
    }

    #[test]
    fn shards_split_lines_by_remainder() {
        let s: Shard = "2/3".parse().unwrap();
        let taken: Vec<u64> = (1..=9).filter(|n| s.takes(*n)).collect();
        assert_eq!(taken, [2, 5, 8]);
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "1/-2", "", "1/100001"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert!(!s.takes(0), "there is no line 0");
        let huge: Shard = "1/100000".parse().unwrap();
        assert_eq!(huge.next_from(2), 100_001);
        assert_eq!(huge.count_in(250_000), 3);
        // Every line is in exactly one shard.
        for n in 1..=50u64 {
            let owners = (1..=7)
                .filter(|i| {
                    Shard {
                        index: *i,
                        count: 7,
                    }
                    .takes(n)
                })
                .count();
            assert_eq!(owners, 1);
        }
    }

    #[test]
    fn next_from_and_count_in_agree_with_takes() {
        for count in 1..=7u64 {
            for index in 1..=count {
                let s = Shard { index, count };
                for from in 0..40u64 {
                    let want = (from.max(1)..).find(|n| s.takes(*n)).unwrap();
                    assert_eq!(s.next_from(from), want, "{index}/{count} from {from}");
                }
                for lines in 0..40u64 {
                    let want = (1..=lines).filter(|n| s.takes(*n)).count() as u64;
                    assert_eq!(s.count_in(lines), want, "{index}/{count} in {lines}");
                }
            }
        }
    }
}
