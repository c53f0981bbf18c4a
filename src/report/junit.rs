//! `--junit FILE`: a JUnit XML report of a batch, for CI systems to show as tests. One
//! `testsuite` for the batch, one `testcase` per line (named `line N`, and its input's `id` or
//! `name` when it has one), a `failure` for each failed line (its class, why, and the start
//! of its answer, key masked). Cases are kept in an anonymous temporary file as lines finish
//! (in finishing order), and FILE is written once, whole, at the end: also after Ctrl-C.

use std::io::{Read, Seek, Write};
use std::path::Path;
use std::time::Duration;

use crate::credentials::ApiKey;
use crate::error::Error;
use crate::output::OutputFile;
use crate::output::safe::Quoted;
use crate::report::summary::{Class, Closing, why};
use crate::results::line::Outcome;

/// How much of a failed line's answer its failure quotes, in characters.
const QUOTED: usize = 1024;

/// `--junit FILE` checked (as `-o` is: before anything is sent) and a scratch file for its
/// cases beside it (FILE's folder was just checked; $TMPDIR may be small): what a batch's and
/// a diff's JUnit files are written through.
pub(crate) fn open(path: &Path) -> Result<(OutputFile, std::fs::File), Error> {
    let file = OutputFile::create(path).map_err(|e| match e {
        Error::BadInput(m) => Error::BadInput(m.replacen("-o ", "--junit ", 1)),
        other => other,
    })?;
    let folder = crate::fs::resolve(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_owned))
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new(".").to_owned());
    let scratch = tempfile::tempfile_in(&folder)
        .or_else(|_| tempfile::tempfile())
        .map_err(|e| {
            Error::BadInput(format!(
                "--junit {}: no scratch file for its cases in {}: {e}",
                path.display(),
                folder.display()
            ))
        })?;
    Ok((file, scratch))
}

pub(crate) struct Junit {
    file: OutputFile,
    /// As the user named it, for messages.
    shown: std::path::PathBuf,
    cases: std::io::BufWriter<std::fs::File>,
    /// The first failure to keep a case (a full disk): said by [`Junit::finish`].
    lost: Option<std::io::Error>,
    /// Which lines have a case (a bit a line): the others are `skipped` after Ctrl-C.
    done: Vec<u64>,
    /// Answers may echo the key: what a failure quotes is masked.
    key: ApiKey,
}

impl Junit {
    /// Checks FILE (as `-o` is: before anything is sent) and opens the cases' scratch file.
    pub(crate) fn create(path: &Path, key: ApiKey) -> Result<Junit, Error> {
        let (file, scratch) = open(path)?;
        Ok(Junit {
            file,
            shown: path.to_owned(),
            cases: std::io::BufWriter::new(scratch),
            lost: None,
            done: Vec::new(),
            key,
        })
    }

    /// One finished line's test case.
    pub(crate) fn case(
        &mut self,
        line: u64,
        name: Option<&str>,
        outcome: &Outcome,
        took: Option<Duration>,
    ) {
        let title = match name {
            Some(n) => format!("line {line} ({n})"),
            None => format!("line {line}"),
        };
        let secs = took.map_or(0.0, |t| t.as_secs_f64());
        let mut case = format!(
            "    <testcase classname=\"miiflow.batch\" name=\"{}\" time=\"{secs:.3}\"",
            xml(&title)
        );
        match Class::of(outcome) {
            None if matches!(outcome, Outcome::Kept(_)) => case.push_str(
                ">\n      <system-out>kept: its result was recorded by an earlier run \
                 (--resume)</system-out>\n    </testcase>\n",
            ),
            None => case.push_str("/>\n"),
            Some(class) => {
                let message = self.key.mask_in(&why(outcome));
                let detail = match outcome {
                    Outcome::Answer { status, body, .. } => format!(
                        "{}\n{}",
                        crate::error::status_words(*status),
                        Quoted::start_of(body, QUOTED, &self.key.mask())
                    ),
                    _ => message.clone(),
                };
                case.push_str(&format!(
                    ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                    class.key(),
                    xml(&message),
                    xml(&detail)
                ));
            }
        }
        // A scratch file that cannot be written loses cases; `finish` says so.
        if let Err(e) = self.cases.write_all(case.as_bytes()) {
            self.lost.get_or_insert(e);
        }
        let (word, bit) = ((line / 64) as usize, line % 64);
        if self.done.len() <= word {
            self.done.resize(word + 1, 0);
        }
        self.done[word] |= 1 << bit;
    }

    fn has_case(&self, line: u64) -> bool {
        self.done
            .get((line / 64) as usize)
            .is_some_and(|w| w & (1 << (line % 64)) != 0)
    }

    /// After Ctrl-C (or a closed stdout): a `skipped` case for each line of the batch read but
    /// not finished, and one for the lines never read, so a CI viewer shows the suite was cut
    /// short. Returns them and how many cases they are.
    fn skipped(&self, closing: &Closing) -> (String, u64) {
        let s = closing.summary;
        if s.stopped.is_none() {
            return (String::new(), 0);
        }
        let (mut text, mut count) = (String::new(), 0);
        for line in 1..=s.lines {
            if closing.shard.is_some_and(|sh| !sh.takes(line)) || self.has_case(line) {
                continue;
            }
            text.push_str(&format!(
                "    <testcase classname=\"miiflow.batch\" name=\"line {line}\" time=\"0.000\">\n      \
                 <skipped message=\"not run: the batch was interrupted\"/>\n    </testcase>\n"
            ));
            count += 1;
        }
        if !s.input_ended {
            text.push_str(&format!(
                "    <testcase classname=\"miiflow.batch\" name=\"lines after line {}\" \
                 time=\"0.000\">\n      <skipped message=\"not read: the batch was interrupted \
                 before the rest of the input was read\"/>\n    </testcase>\n",
                s.lines
            ));
            count += 1;
        }
        (text, count)
    }

    /// Writes FILE: the suite's counts, then every case.
    pub(crate) fn finish(self, closing: &Closing) -> anyhow::Result<()> {
        let (skipped, skips) = self.skipped(closing);
        let Junit {
            mut file,
            cases,
            lost,
            shown,
            ..
        } = self;
        let lost_cases = |e: std::io::Error| {
            anyhow::anyhow!(
                "--junit {}: its test cases could not be kept in a scratch file beside it ({e}); \
                 the report was not written (the results and the other reports are)",
                shown.display()
            )
        };
        if let Some(e) = lost {
            return Err(lost_cases(e));
        }
        let mut scratch = cases.into_inner().map_err(|e| lost_cases(e.into_error()))?;
        scratch.rewind()?;
        let s = closing.summary;
        let (tests, failures, wall) = (s.done + skips, s.failed, closing.wall.as_secs_f64());
        let suite = match closing.shard {
            Some(shard) => format!("{} (shard {}/{})", closing.name, shard.index, shard.count),
            None => closing.name.to_owned(),
        };
        let mut head = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"miiflow\" \
             tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{wall:.3}\">\n  \
             <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" \
             skipped=\"{skips}\" time=\"{wall:.3}\" timestamp=\"{}\">\n",
            xml(&suite),
            humantime::format_rfc3339_seconds(std::time::SystemTime::now() - closing.wall)
        );
        if s.stopped.is_some() {
            head.push_str(
                "    <properties>\n      <property name=\"interrupted\" value=\"true\"/>\n    \
                 </properties>\n",
            );
        }
        file.write(head.as_bytes())?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = scratch.read(&mut buf)?;
            if n == 0 {
                break;
            }
            file.write(&buf[..n])?;
        }
        file.write(skipped.as_bytes())?;
        file.write(b"  </testsuite>\n</testsuites>\n")?;
        file.commit()
    }
}

/// Text for XML 1.0, in an attribute or an element: the five entities escaped; characters
/// XML 1.0 cannot hold at all (most control characters) become U+FFFD.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_cannot_break_out_or_be_invalid() {
        assert_eq!(
            xml("a<b>&\"c'\u{1}\u{1b}\u{FFFF}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}\u{FFFD}\u{FFFD}\n"
        );
        assert_eq!(xml("]]>"), "]]&gt;");
    }
}
