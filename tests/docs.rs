//! `scripts/test-docs`: every console example of the README and the guide (`docs/guide/*.md`)
//! is run against the stand-in API, and the output shown must be the output produced.
//!
//! A ```` ```console ```` block holds commands (`$ COMMAND`, run by `sh -c` in the page's own
//! folder, with `miiflow` and `miiflow-mock` first on PATH and a stand-in's `MIIFLOW_BASE_URL`
//! and `MIIFLOW_API_KEY` in the environment) each followed by what it prints: stdout, then
//! stderr, then `[exit N]` when N is not 0. `[..]` stands for any text within a line, `...` on
//! a line of its own for any lines, and `[BASE_URL]`, `[ROOT]` (the page's sandbox: the
//! commands run in `[ROOT]/work`, with `[ROOT]/config` and `[ROOT]/data`), `[TIME]`,
//! `[DURATION]`, `[MS]` (a history entry's `duration_ms`) and `[RATE]` for what differs at every
//! run. The commands of one page share its
//! folder, configuration and history, in order.
//!
//! A block that cannot run here is written ```` ```console,ignore ```` and must follow a
//! paragraph saying so (`*Not run by the docs test: …*`), so that a reader sees it too.
//!
//! `DOCS=overwrite scripts/test-docs` writes the outputs produced into the pages (keeping
//! those that already match); review the diff before committing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use snapbox::{Assert, Redactions};

#[path = "common/hermetic.rs"]
mod hermetic;

/// The stand-in's key in the examples (long enough to be masked, as a real key is).
const KEY: &str = "mk_live_2f8c1e9a7b3d4c65";
/// What marks a block that is not run.
const NOT_RUN: &str = "*Not run by the docs test:";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The pages: the README and every guide page.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut guide: Vec<PathBuf> = std::fs::read_dir(root().join("docs/guide"))
        .expect("docs/guide")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    guide.sort();
    pages.extend(guide);
    pages
}

/// One command of a console block and the output shown for it.
#[derive(Debug)]
struct Example {
    /// 1-based line of the `$` in the page.
    line: usize,
    command: String,
    /// Line range of the shown output in the page (for overwriting).
    output: std::ops::Range<usize>,
    expected: String,
}

/// The console blocks of a page: their examples, in order; an error for a block marked not
/// run without the visible note.
fn examples(text: &str, page: &Path) -> Result<Vec<Example>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut all = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let fence = lines[i].trim_end();
        if !fence.starts_with("```console") {
            i += 1;
            continue;
        }
        let ignored = fence != "```console";
        if ignored {
            // The paragraph just before the block says why it is not run.
            let said = lines[..i]
                .iter()
                .rev()
                .skip_while(|l| l.trim().is_empty())
                .take_while(|l| !l.trim().is_empty())
                .any(|l| l.contains(NOT_RUN));
            if fence != "```console,ignore" || !said {
                return Err(format!(
                    "{}:{}: a console block that is not run must be ```console,ignore after a \
                     line with \"{NOT_RUN} …*\"",
                    page.display(),
                    i + 1
                ));
            }
        }
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && lines[end].trim_end() != "```" {
            end += 1;
        }
        if !ignored {
            let mut j = start;
            while j < end {
                let Some(first) = lines[j].strip_prefix("$ ") else {
                    return Err(format!(
                        "{}:{}: a console block starts with a `$ ` command",
                        page.display(),
                        j + 1
                    ));
                };
                let line = j + 1;
                let mut command = first.to_owned();
                while command.ends_with('\\') && j + 1 < end {
                    j += 1;
                    command.push('\n');
                    command.push_str(lines[j]);
                }
                j += 1;
                let out_start = j;
                while j < end && !lines[j].starts_with("$ ") {
                    j += 1;
                }
                let mut expected = lines[out_start..j].join("\n");
                if !expected.is_empty() {
                    expected.push('\n');
                }
                all.push(Example {
                    line,
                    command,
                    output: out_start..j,
                    expected,
                });
            }
        }
        i = end + 1;
    }
    Ok(all)
}

/// A page's folder, configuration, history and stand-in.
struct Sandbox {
    dir: tempfile::TempDir,
    mock: miiflow_mock::Running,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for sub in ["work", "home", "config", "data"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        let mock = miiflow_mock::Running::start(&["--key", KEY], miiflow_mock::Remember::Nothing)
            .expect("start the stand-in");
        Sandbox { dir, mock }
    }

    fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// Runs `command` as a reader would at a shell: stdout, then stderr, then `[exit N]`.
    fn run(&self, command: &str) -> String {
        let bin = PathBuf::from(env!("CARGO_BIN_EXE_miiflow"))
            .parent()
            .unwrap()
            .to_owned();
        let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )))
        .unwrap();
        let mut cmd = Command::new("sh");
        hermetic::scrubbed(&mut cmd);
        let home = self.dir.path().join("home");
        let out = cmd
            .arg("-c")
            .arg(command)
            .current_dir(self.work())
            .env("PATH", path)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("MIIFLOW_CONFIG_DIR", self.dir.path().join("config"))
            .env("MIIFLOW_DATA_DIR", self.dir.path().join("data"))
            .env("MIIFLOW_BASE_URL", self.mock.url())
            .env("MIIFLOW_API_KEY", KEY)
            // No keyring here: a command that needs one says so at once.
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/miiflow-docs-bus",
            )
            .env("TZ", "UTC")
            .stdin(Stdio::null())
            .output()
            .expect("sh runs");
        let mut shown = String::from_utf8_lossy(&out.stdout).into_owned();
        if !shown.is_empty() && !shown.ends_with('\n') {
            shown.push('\n');
        }
        shown.push_str(&String::from_utf8_lossy(&out.stderr));
        if !shown.is_empty() && !shown.ends_with('\n') {
            shown.push('\n');
        }
        match out.status.code() {
            Some(0) => {}
            Some(n) => shown.push_str(&format!("[exit {n}]\n")),
            None => shown.push_str("[exit signal]\n"),
        }
        shown
    }

    fn redactions(&self) -> Redactions {
        let mut r = Redactions::new();
        let regex = |p: &str| snapbox::filter::RedactedValue::from(regex::Regex::new(p).unwrap());
        r.insert("[BASE_URL]", self.mock.url().to_owned()).unwrap();
        r.insert("[ROOT]", self.dir.path().to_path_buf()).unwrap();
        // The folder of the miiflow being run (`mcp install` writes its absolute path).
        let bin = std::fs::canonicalize(env!("CARGO_BIN_EXE_miiflow")).unwrap();
        r.insert("[BIN]", bin.parent().unwrap().to_path_buf())
            .unwrap();
        r.insert("[TIME]", regex(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"))
            .unwrap();
        r.insert("[DURATION]", regex(r"\b\d+\.\d\d ?s\b")).unwrap();
        r.insert("[RATE]", regex(r"\b\d+(\.\d+)?/s\b")).unwrap();
        // A batch's latencies: `p50 4 ms, p95 5 ms, p99 1.25 s` (before [DURATION] takes a part).
        r.insert(
            "[LATENCY]",
            regex(r"p50 [\d.]+ m?s, p95 [\d.]+ m?s, p99 [\d.]+ m?s"),
        )
        .unwrap();
        r.insert("[MS]", regex(r#""duration_ms": ?(?<redacted>\d+)"#))
            .unwrap();
        r
    }
}

fn main() {
    let overwrite = std::env::var("DOCS").is_ok_and(|v| v == "overwrite");
    let mut failures = Vec::new();
    let mut ran = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("a page");
        let examples = match examples(&text, &page) {
            Ok(e) => e,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        if examples.is_empty() {
            continue;
        }
        let sandbox = Sandbox::new();
        let assert = Assert::new()
            .normalize_paths(false)
            .redact_with(sandbox.redactions());
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        // Replacements from the last to the first, so earlier ranges stay valid.
        let mut replace: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for ex in &examples {
            ran += 1;
            let actual = sandbox.run(&ex.command);
            let name = format!("{}:{}", page.display(), ex.line);
            if let Err(e) = assert.try_eq(
                Some(&name),
                actual.clone().into(),
                ex.expected.clone().into(),
            ) {
                if overwrite {
                    replace.push((ex.output.clone(), sandbox.redactions().redact(&actual)));
                } else {
                    failures.push(format!("$ {}\n{e}", ex.command));
                }
            }
        }
        if overwrite && !replace.is_empty() {
            for (range, output) in replace.into_iter().rev() {
                let new: Vec<String> = output.lines().map(str::to_owned).collect();
                lines.splice(range, new);
            }
            let mut out = lines.join("\n");
            out.push('\n');
            std::fs::write(&page, out).expect("write the page");
        }
    }
    if failures.is_empty() {
        println!("test-docs: {ran} examples ran, every output as shown");
        return;
    }
    for f in &failures {
        eprintln!("{f}\n");
    }
    eprintln!(
        "test-docs: {} of {ran} examples differ from their pages (DOCS=overwrite rewrites them; \
         review the diff)",
        failures.len()
    );
    std::process::exit(1);
}
