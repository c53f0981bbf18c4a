//! `--shard I/N`: which lines of a batch one job of N runs. A value the command line parses
//! and the batch driver uses; pure. `--shard auto` (and `auto/N`) reads I and N from the CI
//! engine's own variables ([`ShardArg::resolve`]).

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

/// `--shard` as given: `I/N`, `auto`, or `auto/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShardArg {
    Fixed(Shard),
    /// Read from the CI engine's variables; `auto/N` gives the count for engines that name
    /// only an index (Kubernetes Indexed Jobs, AWS Batch array jobs).
    Auto(Option<u64>),
}

impl std::str::FromStr for ShardArg {
    type Err = String;
    fn from_str(s: &str) -> Result<ShardArg, String> {
        let Some(rest) = s.trim().strip_prefix("auto") else {
            return s.parse().map(ShardArg::Fixed);
        };
        if rest.is_empty() {
            return Ok(ShardArg::Auto(None));
        }
        let usage = || format!("'{s}': expected I/N, auto, or auto/N (e.g. auto/8)");
        let n: u64 = rest
            .strip_prefix('/')
            .ok_or_else(usage)?
            .trim()
            .parse()
            .map_err(|_| usage())?;
        if n == 0 || n > MAX_SHARDS {
            return Err(format!("'{s}': N must be 1 to {MAX_SHARDS}"));
        }
        Ok(ShardArg::Auto(Some(n)))
    }
}

/// A CI engine's shard variables: its name, the index variable, whether it counts from 1,
/// and the count variable (`None`: the count is `auto/N`'s).
const ENGINES: &[(&str, &str, bool, Option<&str>)] = &[
    ("GitLab CI", "CI_NODE_INDEX", true, Some("CI_NODE_TOTAL")),
    (
        "CircleCI",
        "CIRCLE_NODE_INDEX",
        false,
        Some("CIRCLE_NODE_TOTAL"),
    ),
    (
        "Buildkite",
        "BUILDKITE_PARALLEL_JOB",
        false,
        Some("BUILDKITE_PARALLEL_JOB_COUNT"),
    ),
    (
        "Cloud Run jobs",
        "CLOUD_RUN_TASK_INDEX",
        false,
        Some("CLOUD_RUN_TASK_COUNT"),
    ),
    (
        "a Kubernetes Indexed Job",
        "JOB_COMPLETION_INDEX",
        false,
        None,
    ),
    (
        "an AWS Batch array job",
        "AWS_BATCH_JOB_ARRAY_INDEX",
        false,
        None,
    ),
];

impl ShardArg {
    /// The shard this job runs, and (for `auto`) what was found, in words. `env` looks a
    /// variable up (the process environment; a map in tests). `auto` with no engine's
    /// variables set, or with values that do not make a shard, is refused naming them.
    pub(crate) fn resolve(
        self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(Shard, Option<String>), String> {
        let given = match self {
            ShardArg::Fixed(s) => return Ok((s, None)),
            ShardArg::Auto(n) => n,
        };
        for (engine, index_var, one_based, count_var) in ENGINES {
            let Some(index) = env(index_var).filter(|v| !v.trim().is_empty()) else {
                continue;
            };
            let number = |var: &str, text: &str| {
                text.trim().parse::<u64>().map_err(|_| {
                    format!("--shard auto: {engine}: {var}={text:?} is not a whole number")
                })
            };
            let i = number(index_var, &index)?;
            let (count, from) = match (count_var, given) {
                (Some(var), _) => match env(var).filter(|v| !v.trim().is_empty()) {
                    Some(text) => (number(var, &text)?, format!("{var}={}", text.trim())),
                    None => {
                        return Err(format!(
                            "--shard auto: {engine}: {index_var} is set but {var} is not"
                        ));
                    }
                },
                (None, Some(n)) => (n, format!("auto/{n}")),
                (None, None) => {
                    return Err(format!(
                        "--shard auto: {engine} ({index_var}) names only this job's index; give \
                         the number of jobs: --shard auto/N"
                    ));
                }
            };
            if let (Some(n), Some(_)) = (given, count_var)
                && n != count
            {
                return Err(format!(
                    "--shard auto/{n}: {engine} says there are {count} jobs ({from})"
                ));
            }
            // The values as the engine set them, in every refusal (never a number computed
            // from them: a zero-based u64::MAX + 1 must not read as 0).
            let refused = |e: &str| {
                format!(
                    "--shard auto: {engine}: {index_var}={} and {from} do not make a shard ({e})",
                    index.trim()
                )
            };
            let index = match one_based {
                true => i,
                false => i
                    .checked_add(1)
                    .ok_or_else(|| refused("the index is too large"))?,
            };
            let text = format!("{index}/{count}");
            let shard: Shard = text.parse().map_err(|e: String| refused(&e))?;
            let said = format!(
                "--shard auto: {engine} ({index_var}={}, {from}): shard {text}",
                i
            );
            return Ok((shard, Some(said)));
        }
        let names: Vec<String> = ENGINES
            .iter()
            .map(|(engine, index, _, count)| match count {
                Some(c) => format!("{index}/{c} ({engine})"),
                None => format!("{index} ({engine}, with auto/N)"),
            })
            .collect();
        Err(format!(
            "--shard auto: no CI engine's shard variables are set; looked for {}. Give the \
             shard as I/N instead. GitHub Actions has no such variable: use a matrix and \
             `--shard ${{{{ matrix.shard }}}}/N` (examples/ci/github-actions.yml)",
            names.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(arg: &str, vars: &[(&str, &str)]) -> Result<(Shard, Option<String>), String> {
        let arg: ShardArg = arg.parse().unwrap();
        let env = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        arg.resolve(&env)
    }

    /// Issue 28, item 28: a zero-based index of u64::MAX does not wrap, and the refusal names
    /// the value as the engine set it; the refusal with no engine says how on GitHub.
    #[test]
    fn a_huge_index_is_refused_as_given() {
        let max = u64::MAX.to_string();
        let e = resolve(
            "auto",
            &[
                ("CIRCLE_NODE_INDEX", max.as_str()),
                ("CIRCLE_NODE_TOTAL", "4"),
            ],
        )
        .unwrap_err();
        assert!(e.contains(&format!("CIRCLE_NODE_INDEX={max}")), "{e}");
        assert!(!e.contains("CIRCLE_NODE_INDEX=0"), "{e}");
        let none = resolve("auto", &[]).unwrap_err();
        assert!(
            none.contains("GitHub Actions has no such variable"),
            "{none}"
        );
        assert!(none.contains("--shard ${{ matrix.shard }}/N"), "{none}");
    }

    #[test]
    fn auto_reads_each_engines_variables() {
        let shard = |i, n| Shard { index: i, count: n };
        type Vars = &'static [(&'static str, &'static str)];
        let cases: &[(&str, Vars, Shard)] = &[
            (
                "auto",
                &[("CI_NODE_INDEX", "2"), ("CI_NODE_TOTAL", "4")],
                shard(2, 4),
            ),
            (
                "auto",
                &[("CIRCLE_NODE_INDEX", "0"), ("CIRCLE_NODE_TOTAL", "3")],
                shard(1, 3),
            ),
            (
                "auto",
                &[
                    ("BUILDKITE_PARALLEL_JOB", "4"),
                    ("BUILDKITE_PARALLEL_JOB_COUNT", "5"),
                ],
                shard(5, 5),
            ),
            (
                "auto",
                &[("CLOUD_RUN_TASK_INDEX", "1"), ("CLOUD_RUN_TASK_COUNT", "2")],
                shard(2, 2),
            ),
            ("auto/8", &[("JOB_COMPLETION_INDEX", "7")], shard(8, 8)),
            ("auto/3", &[("AWS_BATCH_JOB_ARRAY_INDEX", "0")], shard(1, 3)),
            (
                "2/5",
                &[("CI_NODE_INDEX", "1"), ("CI_NODE_TOTAL", "4")],
                shard(2, 5),
            ),
        ];
        for (arg, vars, want) in cases {
            let (got, said) = resolve(arg, vars).unwrap();
            assert_eq!(got, *want, "{arg} {vars:?}");
            if arg.starts_with("auto") {
                let said = said.unwrap();
                assert!(
                    said.ends_with(&format!("shard {}/{}", want.index, want.count)),
                    "{said}"
                );
            }
        }
        let said = resolve("auto", &[("CI_NODE_INDEX", "2"), ("CI_NODE_TOTAL", "4")])
            .unwrap()
            .1
            .unwrap();
        assert_eq!(
            said,
            "--shard auto: GitLab CI (CI_NODE_INDEX=2, CI_NODE_TOTAL=4): shard 2/4"
        );
    }

    #[test]
    fn auto_refuses_what_makes_no_shard_naming_the_variables() {
        let none = resolve("auto", &[]).unwrap_err();
        for var in [
            "CI_NODE_INDEX",
            "CIRCLE_NODE_INDEX",
            "BUILDKITE_PARALLEL_JOB",
            "CLOUD_RUN_TASK_INDEX",
            "JOB_COMPLETION_INDEX",
            "AWS_BATCH_JOB_ARRAY_INDEX",
        ] {
            assert!(none.contains(var), "{var}: {none}");
        }
        let errs = [
            resolve("auto", &[("JOB_COMPLETION_INDEX", "1")]).unwrap_err(),
            resolve("auto", &[("CI_NODE_INDEX", "1")]).unwrap_err(),
            resolve("auto", &[("CI_NODE_INDEX", "x"), ("CI_NODE_TOTAL", "2")]).unwrap_err(),
            resolve("auto", &[("CI_NODE_INDEX", "0"), ("CI_NODE_TOTAL", "2")]).unwrap_err(),
            resolve("auto/2", &[("JOB_COMPLETION_INDEX", "2")]).unwrap_err(),
            resolve("auto/3", &[("CI_NODE_INDEX", "1"), ("CI_NODE_TOTAL", "4")]).unwrap_err(),
        ];
        assert!(errs[0].contains("--shard auto/N"), "{}", errs[0]);
        assert!(errs[1].contains("CI_NODE_TOTAL is not"), "{}", errs[1]);
        assert!(errs[2].contains("not a whole number"), "{}", errs[2]);
        assert!(errs[3].contains("do not make a shard"), "{}", errs[3]);
        assert!(errs[4].contains("do not make a shard"), "{}", errs[4]);
        assert!(errs[5].contains("says there are 4 jobs"), "{}", errs[5]);
        for bad in ["auto/0", "auto/x", "autox", "auto/100001"] {
            assert!(bad.parse::<ShardArg>().is_err(), "{bad}");
        }
    }

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
