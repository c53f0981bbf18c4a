//! The performance benchmark: the release binaries against miiflow-mock on loopback, with curl
//! in the same run for comparison (this machine is noisy: medians and ratios, interleaved).
//!
//!     cargo bench --bench perf
//!     cargo bench --bench perf -- ci     # only the batches-as-CI-tests rows (issue 22)
//!     cargo bench --bench perf -- mcp    # only the MCP tool call row (issue 23)
//!     cargo bench --bench perf -- diff   # only `results diff` and `results report` (issue 31)
//!
//! Prints a Markdown table; the latest one is kept in docs/PERFORMANCE.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "mk_bench_0123456789abcdef";
const MIIFLOW: &str = env!("CARGO_BIN_EXE_miiflow");

#[path = "../tests/common/hermetic.rs"]
mod hermetic;

/// The stand-in, in a process of its own: a child forked from a process that holds the
/// stand-in's buffers (a 200 MB answer, a 100 MB input) would count those pages in its peak
/// RSS (`ru_maxrss`) until it execs, and every memory figure would be wrong. (Tried: the
/// stand-in on a thread of the bench put curl at 205 MB for a 200 MB answer.)
struct Mock {
    child: std::process::Child,
    url: String,
}

/// `target/release/miiflow-mock`, built first (a package of its own: `cargo bench` builds this
/// package's targets only).
fn mock_binary() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "miiflow-mock",
            "--bin",
            "miiflow-mock",
        ])
        .status()
        .expect("cargo runs");
    assert!(built.success(), "cannot build miiflow-mock");
    PathBuf::from(MIIFLOW).with_file_name("miiflow-mock")
}

impl Mock {
    fn start(args: &[&str]) -> Mock {
        use std::io::BufRead;
        static BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        let mut child = Command::new(BINARY.get_or_init(mock_binary))
            .args(["serve", "--key", KEY])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start miiflow-mock");
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first
            .trim()
            .strip_prefix("export MIIFLOW_BASE_URL=")
            .unwrap()
            .to_owned();
        Mock { child, url }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a command to the end: wall time, peak RSS in KiB (from wait4), success.
fn measure(cmd: &mut Command) -> (Duration, u64, bool) {
    let started = Instant::now();
    let child = cmd.spawn().expect("spawn");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting on our own child, with valid pointers to a status and a rusage.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let took = started.elapsed();
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    std::mem::forget(child);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (took, usage.ru_maxrss as u64, ok)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn miiflow(url: &str) -> Command {
    let mut cmd = Command::new(MIIFLOW);
    hermetic(&mut cmd);
    cmd.env("MIIFLOW_API_KEY", KEY)
        .env("MIIFLOW_BASE_URL", url)
        .env(
            "MIIFLOW_CONFIG_DIR",
            std::env::temp_dir().join("miiflow-bench-config"),
        )
        .env(
            "MIIFLOW_DATA_DIR",
            std::env::temp_dir().join("miiflow-bench-data"),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Loopback traffic only: a proxy from the environment would measure something else, and the
/// developer's own key, base URL or folders would be used.
fn hermetic(cmd: &mut Command) -> &mut Command {
    hermetic::scrubbed(cmd)
}

fn curl(url: &str, body: &str) -> Command {
    let mut cmd = Command::new("curl");
    hermetic(&mut cmd);
    cmd.args(["-sS", "-o", "/dev/null", "-X", "POST"])
        .arg(format!("{url}/api/v1/agent_run"))
        .args(["-H", &format!("Authorization: Bearer {KEY}")])
        .args([
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            body,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// A file of about `mb` MB: `{"data":"xxxx…"}`.
fn big_json(path: &Path, mb: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(b"{\"data\":\"").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..mb {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"}").unwrap();
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let curl = Command::new("curl")
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, Linux {}; {curl}", kernel.trim())
}

/// `runs` interleaved pairs of the same command, with history recorded in `data` and with
/// `MIIFLOW_HISTORY=off`: the two medians.
fn history_on_off(data: &Path, runs: usize, command: impl Fn() -> Command) -> (Duration, Duration) {
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (t, _, ok) = measure(command().env("MIIFLOW_DATA_DIR", data));
        assert!(ok, "a run with history failed");
        on.push(t);
        let (t, _, ok) = measure(command().env("MIIFLOW_HISTORY", "off"));
        assert!(ok, "a run without history failed");
        off.push(t);
    }
    (median(on), median(off))
}

fn print(rows: Vec<(String, String, String)>) {
    println!("Machine: {}", machine());
    println!("Command: cargo bench --bench perf\n");
    println!("| measure | result | against the target |");
    println!("|---|---|---|");
    for (what, result, verdict) in rows {
        println!("| {what} | {result} | {verdict} |");
    }
}

/// Batches as CI tests (issue 22): what expectations, `--junit` and the summary cost on a
/// 10,000-line batch; `results merge` of 1,000,000 lines; `history stats` of 100,000 entries.
fn ci_tests(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    for latency in ["10", "0"] {
        checked_batch(dir, rows, latency);
    }
    let mock = Mock::start(&[]);
    merge_and_stats(dir, rows, &mock);
}

/// A 10,000-line batch with two `--expect`, `--junit` and `--summary-json` against the same
/// without, the stand-in answering after `latency` ms.
fn checked_batch(dir: &Path, rows: &mut Vec<(String, String, String)>, latency: &str) {
    let mock = Mock::start(&["--latency", latency]);
    let lines: String = (1..=10_000).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let batch = dir.join("ci10k.jsonl");
    std::fs::write(&batch, lines).unwrap();
    let (junit, summary, results) = (
        dir.join("ci.xml"),
        dir.join("ci-summary.json"),
        dir.join("ci-results.jsonl"),
    );
    let run = |checked: bool| {
        let mut cmd = miiflow(&mock.url);
        cmd.env("MIIFLOW_HISTORY", "off")
            .args(["run", "agent_bench", "--concurrency", "50", "--batch"])
            .arg(&batch)
            .arg("-o")
            .arg(&results);
        if checked {
            cmd.args(["--expect", ".status == \"completed\""])
                .args(["--expect", ".output.n > 0"])
                .arg("--junit")
                .arg(&junit)
                .arg("--summary-json")
                .arg(&summary);
        }
        cmd
    };
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let (t, _, ok) = measure(&mut run(true));
        assert!(ok, "the checked batch failed");
        with.push(t);
        let (t, _, ok) = measure(&mut run(false));
        assert!(ok, "the plain batch failed");
        without.push(t);
    }
    let (w, o) = (median(with), median(without));
    let cost = (w.as_secs_f64() / o.as_secs_f64() - 1.0) * 100.0;
    let per_line = (w.as_secs_f64() - o.as_secs_f64()) / 10_000.0 * 1e6;
    let verdict = match latency {
        "0" => format!(
            "{cost:+.1}%, {per_line:.0} µs a line (the worst case: answers that take no time, \
             nothing but CPU; `--jq` costs the same)"
        ),
        _ => format!("{cost:+.1}% (target ≤ +5%)"),
    };
    rows.push((
        format!(
            "`--batch` 10,000 inputs, concurrency 50, answers after {latency} ms: 2× `--expect`, \
             `--junit`, `--summary-json` vs none (7 interleaved, median)"
        ),
        format!("{:.3} s vs {:.3} s", w.as_secs_f64(), o.as_secs_f64()),
        verdict,
    ));
}

/// `results merge` of 1,000,000 lines and `history stats` of 100,000 entries.
fn merge_and_stats(dir: &Path, rows: &mut Vec<(String, String, String)>, mock: &Mock) {
    // results merge: 4 shards of a 1,000,000-line batch, checked against the batch file.
    let total = 1_000_000u64;
    let input = dir.join("merge-in.jsonl");
    let mut inp = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    let mut shards: Vec<_> = (1..=4)
        .map(|i| {
            let path = dir.join(format!("merge-shard-{i}.jsonl"));
            (
                std::io::BufWriter::new(std::fs::File::create(&path).unwrap()),
                path,
            )
        })
        .collect();
    for n in 1..=total {
        let line = format!("{{\"n\":{n},\"city\":\"Paris\"}}");
        writeln!(inp, "{line}").unwrap();
        let mut hash = blake3::Hasher::new();
        hash.update(b"miiflow record\n");
        hash.update(line.as_bytes());
        let record = hash.finalize().to_hex();
        let input_digest = blake3::hash(line.as_bytes()).to_hex();
        let (out, _) = &mut shards[((n - 1) % 4) as usize];
        writeln!(
            out,
            "{{\"line\":{n},\"input_blake3\":\"{input_digest}\",\"record_blake3\":\"{record}\",\
             \"status\":200,\"body\":{{\"run_id\":\"run_{n}\",\"status\":\"completed\",\
             \"output\":{line}}}}}"
        )
        .unwrap();
    }
    drop(inp);
    let paths: Vec<PathBuf> = shards
        .into_iter()
        .map(|(w, p)| {
            drop(w);
            p
        })
        .collect();
    let size: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    let merged = dir.join("merged.jsonl");
    let (t, rss, ok) = measure(
        miiflow(&mock.url)
            .args(["results", "merge"])
            .args(&paths)
            .arg("-o")
            .arg(&merged)
            .arg("--input")
            .arg(&input),
    );
    assert!(ok, "results merge failed");
    assert_eq!(std::fs::metadata(&merged).unwrap().len(), size);
    rows.push((
        format!(
            "`results merge` of 4 shards, 1,000,000 lines ({} MB), checked with `--input`",
            size / 1_000_000
        ),
        format!(
            "{:.2} s, peak RSS {:.1} MB",
            t.as_secs_f64(),
            rss as f64 / 1024.0
        ),
        "target < 64 MB".into(),
    ));
    for p in paths.iter().chain([&merged, &input]) {
        let _ = std::fs::remove_file(p);
    }

    // history stats of 100,000 entries (recorded by a 100,000-line batch).
    let data = dir.join("stats-data");
    let lines: String = (1..=100_000).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let batch = dir.join("stats100k.jsonl");
    std::fs::write(&batch, lines).unwrap();
    let (_, _, ok) = measure(
        miiflow(&mock.url)
            .env("MIIFLOW_DATA_DIR", &data)
            .args(["run", "agent_bench", "--concurrency", "50", "--batch"])
            .arg(&batch),
    );
    assert!(ok, "the 100,000-line batch failed");
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..5 {
        let (t, rss, ok) = measure(
            miiflow(&mock.url)
                .env("MIIFLOW_DATA_DIR", &data)
                .args(["history", "stats", "--json"]),
        );
        assert!(ok, "history stats failed");
        times.push(t);
        peak = peak.max(rss);
    }
    rows.push((
        "`history stats` of 100,000 entries (5 runs, median)".into(),
        format!(
            "{}, peak RSS {:.1} MB",
            ms(median(times)),
            peak as f64 / 1024.0
        ),
        "target < 1 s".into(),
    ));
}

/// What one run sends: the body curl is given too.
const BODY: &str = r#"{"agent_id":"agent_bench","input":{"a":"1"}}"#;

fn main() {
    // `cargo bench` passes --bench; `-- ci` runs only the batches-as-CI-tests rows.
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<(String, String, String)> = Vec::new();
    if std::env::args().skip(1).any(|a| a == "ci") {
        ci_tests(dir.path(), &mut rows);
        print(rows);
        return;
    }
    if std::env::args().skip(1).any(|a| a == "mcp") {
        let run = mcp_call(dir.path(), &mut rows);
        mcp_http_calls(dir.path(), run, &mut rows);
        print(rows);
        return;
    }
    if std::env::args().skip(1).any(|a| a == "diff") {
        diff_and_report(dir.path(), &mut rows);
        print(rows);
        return;
    }

    one_run(&mut rows);
    one_https_run(dir.path(), &mut rows);
    start_up(&mut rows);
    batch_1000(dir.path(), &mut rows);
    memory(dir.path(), &mut rows);
    results_to_a_file(dir.path(), &mut rows);
    rate(dir.path(), &mut rows);
    memory_at_scale(dir.path(), &mut rows);
    history(dir.path(), &mut rows);
    diff_and_report(dir.path(), &mut rows);
    print(rows);
}

/// Two nights of an `n`-line suite as results files: every line timed; in the new night 1% of
/// the lines fail, 1% answer differently and 1% take three times as long.
fn two_nights(dir: &Path, n: u64) -> (PathBuf, PathBuf) {
    let paths = (
        dir.join(format!("base-{n}.jsonl")),
        dir.join(format!("new-{n}.jsonl")),
    );
    let mut base = std::io::BufWriter::new(std::fs::File::create(&paths.0).unwrap());
    let mut new = std::io::BufWriter::new(std::fs::File::create(&paths.1).unwrap());
    for line in 1..=n {
        let ms = 200.0 + (line * 7919 % 997) as f64;
        let record = blake3::hash(format!("{line}").as_bytes()).to_hex();
        let ok = |ms: f64, city: &str| {
            format!(
                "{{\"line\":{line},\"record_blake3\":\"{record}\",\"duration_ms\":{ms:.3},\
                 \"status\":200,\"body\":{{\"run_id\":\"run_{line}\",\"status\":\"completed\",\
                 \"output\":{{\"n\":{line},\"city\":\"{city}\"}}}}}}"
            )
        };
        writeln!(base, "{}", ok(ms, "Paris")).unwrap();
        let tonight = match line % 100 {
            7 => format!(
                "{{\"line\":{line},\"record_blake3\":\"{record}\",\"duration_ms\":{ms:.3},\
                 \"status\":503,\"body\":{{\"error\":\"upstream timed out\"}}}}"
            ),
            8 => ok(ms, "Lyon"),
            9 => ok(ms * 3.0, "Paris"),
            _ => ok(ms, "Paris"),
        };
        writeln!(new, "{tonight}").unwrap();
    }
    paths
}

/// A section of the benchmark (see `main`): `results diff` and `results report` over two
/// nights of 1,000,000 and of 200,000 lines.
fn diff_and_report(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    for n in [1_000_000u64, 200_000] {
        let (base, new) = two_nights(dir, n);
        let size = std::fs::metadata(&new).unwrap().len() / 1_000_000;
        let words = if n == 1_000_000 {
            "1,000,000"
        } else {
            "200,000"
        };
        let (t, rss, ok) = measure(
            miiflow("http://127.0.0.1:9")
                .args(["results", "diff", "--json", "--fail-on", "never"])
                .arg(&base)
                .arg(&new),
        );
        assert!(ok, "results diff failed");
        rows.push((
            format!("`results diff --json` of two {words}-line runs ({size} MB each; 3% differ)"),
            format!(
                "{:.2} s, peak RSS {:.1} MB",
                t.as_secs_f64(),
                rss as f64 / 1024.0
            ),
            "target < 64 MB".into(),
        ));
        let page = dir.join("report.html");
        let (t, rss, ok) = measure(
            miiflow("http://127.0.0.1:9")
                .args(["results", "report"])
                .arg(&new)
                .arg("-o")
                .arg(&page)
                .arg("--baseline")
                .arg(&base),
        );
        assert!(ok, "results report failed");
        let bytes = std::fs::metadata(&page).unwrap().len();
        rows.push((
            format!("`results report --baseline` of a {words}-line run"),
            format!(
                "{:.2} s, peak RSS {:.1} MB, the page {:.0} KB",
                t.as_secs_f64(),
                rss as f64 / 1024.0,
                bytes as f64 / 1024.0
            ),
            "bounded memory; the page does not grow with the run".into(),
        ));
        for p in [&base, &new, &page] {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// A section of the benchmark (see `main`).
fn one_run(rows: &mut Vec<(String, String, String)>) {
    // 1. One run against curl, interleaved.
    let mock = Mock::start(&[]);
    for _ in 0..5 {
        measure(miiflow(&mock.url).args(["run", "agent_bench", "a=1"]));
        measure(&mut curl(&mock.url, BODY));
    }
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..51 {
        let (t, _, ok) = measure(miiflow(&mock.url).args(["run", "agent_bench", "a=1"]));
        assert!(ok, "miiflow run failed");
        ours.push(t);
        let (t, _, ok) = measure(&mut curl(&mock.url, BODY));
        assert!(ok, "curl failed");
        theirs.push(t);
    }
    let (m, c) = (median(ours), median(theirs));
    rows.push((
        "one `run` vs `curl` (same POST, 51 interleaved, median)".into(),
        format!("{} vs {}", ms(m), ms(c)),
        format!(
            "{:.2}× curl (target ≤ 1.0×)",
            m.as_secs_f64() / c.as_secs_f64()
        ),
    ));
}

/// A section of the benchmark (see `main`).
fn one_https_run(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    // 1b. One https run against curl: a local TLS mock with a private CA (SSL_CERT_FILE for
    // miiflow, --cacert for curl), interleaved.
    let tls = dir.join("tls");
    std::fs::create_dir(&tls).unwrap();
    let openssl = |args: &[&str]| {
        let ok = Command::new("openssl")
            .args(args)
            .current_dir(&tls)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "openssl {args:?}");
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=bench CA",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
        "-subj",
        "/CN=bench",
    ]);
    std::fs::write(tls.join("ext.cnf"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
    let tls_mock = Mock::start(&[
        "--tls-cert",
        tls.join("srv.pem").to_str().unwrap(),
        "--tls-key",
        tls.join("srv.key").to_str().unwrap(),
    ]);
    let https = tls_mock.url.replacen("http://", "https://", 1);
    let ca = tls.join("ca.pem");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for i in 0..26 {
        let (t, _, ok) = measure(
            miiflow(&https)
                .env("SSL_CERT_FILE", &ca)
                .env_remove("SSL_CERT_DIR")
                .args(["run", "agent_bench", "a=1"]),
        );
        assert!(ok, "miiflow https run failed");
        let mut c = curl(&https, BODY);
        let (t2, _, ok) = measure(c.arg("--cacert").arg(&ca));
        assert!(ok, "curl https failed");
        if i > 4 {
            ours.push(t);
            theirs.push(t2);
        }
    }
    let (m, c) = (median(ours), median(theirs));
    rows.push((
        "one https `run` vs `curl` (private CA, 21 interleaved, median)".into(),
        format!("{} vs {}", ms(m), ms(c)),
        format!(
            "{:.2}× curl (target ≤ 1.0×)",
            m.as_secs_f64() / c.as_secs_f64()
        ),
    ));
    drop(tls_mock);
    let size = std::fs::metadata(MIIFLOW).map(|m| m.len()).unwrap_or(0);
    rows.push((
        "release `miiflow` binary (stripped)".into(),
        format!("{:.2} MB ({size} bytes)", size as f64 / 1e6),
        "target < 9 MB (issue 14)".into(),
    ));
}

/// A section of the benchmark (see `main`).
fn start_up(rows: &mut Vec<(String, String, String)>) {
    let mock = Mock::start(&[]);
    // 2. Start-up.
    let version: Vec<Duration> = (0..101)
        .map(|_| measure(Command::new(MIIFLOW).arg("--version").stdout(Stdio::null())).0)
        .collect();
    rows.push((
        "`miiflow --version` (101 runs, median)".into(),
        ms(median(version)),
        "target ≤ 3 ms".into(),
    ));
    let dry: Vec<Duration> = (0..101)
        .map(|_| measure(miiflow(&mock.url).args(["run", "agent_bench", "a=1", "--dry-run"])).0)
        .collect();
    rows.push((
        "`miiflow run --dry-run` (101 runs, median)".into(),
        ms(median(dry)),
        "".into(),
    ));
    drop(mock);
}

/// A section of the benchmark (see `main`).
fn batch_1000(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    // 3. A batch of 1,000 at concurrency 50, 50 ms per answer: ideal 1.0 s.
    let mock = Mock::start(&["--latency", "50"]);
    let lines: String = (1..=1000).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let batch = dir.join("batch.jsonl");
    std::fs::write(&batch, lines).unwrap();
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..3 {
        let (t, _, ok) = measure(
            miiflow(&mock.url)
                .args(["run", "agent_bench", "--concurrency", "50", "--batch"])
                .arg(&batch),
        );
        assert!(ok, "batch failed");
        ours.push(t);
        let script = format!(
            "seq 1000 | xargs -P 50 -I{{}} curl -sS -o /dev/null -X POST '{}/api/v1/agent_run' -H 'Authorization: Bearer {KEY}' -H 'Content-Type: application/json' --data-binary '{{\"agent_id\":\"agent_bench\",\"input\":{{\"n\":{{}}}}}}'",
            mock.url
        );
        let (t, _, ok) = measure(hermetic(Command::new("sh").arg("-c").arg(&script)));
        assert!(ok, "xargs curl failed");
        theirs.push(t);
    }
    let (b, x) = (median(ours), median(theirs));
    rows.push((
        "`--batch` 1,000 inputs, concurrency 50, 50 ms latency (3 runs, median)".into(),
        format!("{:.3} s (ideal 1.000 s)", b.as_secs_f64()),
        format!("{:.2}× ideal (target ≤ 1.15×)", b.as_secs_f64()),
    ));
    rows.push((
        "`xargs -P 50` running `curl`, same 1,000 (3 runs, median)".into(),
        format!("{:.3} s", x.as_secs_f64()),
        format!(
            "miiflow {:.1}× faster (target ≥ 3×)",
            x.as_secs_f64() / b.as_secs_f64()
        ),
    ));
    drop(mock);
}

/// A section of the benchmark (see `main`).
fn memory(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    // 4. Memory: a 200 MB answer piped on; a 100 MB input file.
    let answers = dir.join("answers");
    std::fs::create_dir(&answers).unwrap();
    big_json(&answers.join("agent_big.json"), 200);
    std::fs::write(answers.join("agent_sink.json"), r#"{"ok":true}"#).unwrap();
    let input: PathBuf = dir.join("input.json");
    big_json(&input, 100);
    let mock = Mock::start(&["--answers", answers.to_str().unwrap()]);
    let (_, rss, ok) = measure(miiflow(&mock.url).args(["run", "agent_big"]));
    assert!(ok, "big answer failed");
    let (_, curl_rss, _) = measure(
        Command::new("curl")
            .args(["-sS", "-o", "/dev/null", "-X", "POST"])
            .arg(format!("{}/api/v1/agent_run", mock.url))
            .args([
                "-H",
                &format!("Authorization: Bearer {KEY}"),
                "-H",
                "Content-Type: application/json",
                "-d",
                r#"{"agent_id":"agent_big","input":{}}"#,
            ]),
    );
    rows.push((
        "peak RSS, 200 MB answer piped on".into(),
        format!(
            "{:.1} MB (curl: {:.1} MB)",
            rss as f64 / 1024.0,
            curl_rss as f64 / 1024.0
        ),
        "target < 32 MB".into(),
    ));
    let size = std::fs::metadata(&input).unwrap().len() as f64 / (1 << 20) as f64;
    for (history, target) in [("on", "target ≤ 1.2× (issue 19)"), ("off", "target < 1.5×")] {
        let data = dir.join("input-history");
        let (_, rss, ok) = measure(
            miiflow(&mock.url)
                .env("MIIFLOW_DATA_DIR", &data)
                .env("MIIFLOW_HISTORY", history)
                .args(["run", "agent_sink", "--input"])
                .arg(&input),
        );
        assert!(ok, "big input failed");
        let rss_mb = rss as f64 / 1024.0;
        rows.push((
            format!("peak RSS, {size:.0} MB `--input` file, history {history}"),
            format!("{rss_mb:.1} MB"),
            format!("{:.2}× the file ({target})", rss_mb / size),
        ));
    }
    drop(mock);
}

/// A section of the benchmark (see `main`).
fn results_to_a_file(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    // 5. Results to a file: a 10,000-line batch with -o against the same to stdout.
    let mock = Mock::start(&[]);
    let lines: String = (1..=10_000).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let batch = dir.join("batch10k.jsonl");
    std::fs::write(&batch, lines).unwrap();
    let results = dir.join("results10k.jsonl");
    let (mut to_file, mut to_stdout) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        let (t, _, ok) = measure(
            miiflow(&mock.url)
                .args(["run", "agent_bench", "--concurrency", "50", "--batch"])
                .arg(&batch)
                .arg("-o")
                .arg(&results),
        );
        assert!(ok, "batch -o failed");
        to_file.push(t);
        let (t, _, ok) = measure(
            miiflow(&mock.url)
                .args(["run", "agent_bench", "--concurrency", "50", "--batch"])
                .arg(&batch),
        );
        assert!(ok, "batch failed");
        to_stdout.push(t);
    }
    let (f, o) = (median(to_file), median(to_stdout));
    rows.push((
        "`--batch` 10,000 inputs `-o RESULTS` vs to stdout (no latency, 7 interleaved, median)"
            .into(),
        format!("{:.3} s vs {:.3} s", f.as_secs_f64(), o.as_secs_f64()),
        format!("{:.3}× (target ≤ 1.05×)", f.as_secs_f64() / o.as_secs_f64()),
    ));
    drop(mock);
}

/// A section of the benchmark (see `main`).
fn rate(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    // 6. --rate: how close the starts come to the rate asked for (from the mock's log).
    let log = dir.join("rate.log");
    let mock = Mock::start(&["--log", log.to_str().unwrap()]);
    let lines: String = (1..=101).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let batch = dir.join("rate.jsonl");
    std::fs::write(&batch, lines).unwrap();
    let (_, _, ok) = measure(
        miiflow(&mock.url)
            .args([
                "run",
                "agent_bench",
                "--concurrency",
                "16",
                "--rate",
                "40/s",
                "--batch",
            ])
            .arg(&batch),
    );
    assert!(ok, "rate batch failed");
    let starts: Vec<f64> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["ms"].as_f64().unwrap()
        })
        .collect();
    let span = (starts.last().unwrap() - starts[0]) / 1000.0;
    let achieved = (starts.len() - 1) as f64 / span;
    let busiest = starts
        .iter()
        .map(|t| {
            starts
                .iter()
                .filter(|u| **u >= *t && **u < t + 1000.0)
                .count()
        })
        .max()
        .unwrap();
    rows.push((
        "`--rate 40/s`, 101 inputs, concurrency 16 (starts seen by the server)".into(),
        format!("{achieved:.2}/s over {span:.2} s; busiest second: {busiest} starts"),
        format!(
            "{:.3}× the rate; never over 40 in a second",
            achieved / 40.0
        ),
    ));
    drop(mock);
}

/// A section of the benchmark (see `main`).
fn memory_at_scale(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    // 7. Memory at scale: 200,000 lines with -o, then --resume over the complete results.
    let mock = Mock::start(&[]);
    let batch = dir.join("batch200k.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&batch).unwrap());
        for n in 1..=200_000 {
            writeln!(f, "{{\"n\":{n},\"city\":\"Paris\"}}").unwrap();
        }
    }
    let results = dir.join("results200k.jsonl");
    let (t, rss, ok) = measure(
        miiflow(&mock.url)
            .args(["run", "agent_bench", "--concurrency", "50", "--batch"])
            .arg(&batch)
            .arg("-o")
            .arg(&results),
    );
    assert!(ok, "200k batch failed");
    let (t2, rss2, ok) = measure(
        miiflow(&mock.url)
            .args([
                "run",
                "agent_bench",
                "--concurrency",
                "50",
                "--resume",
                "--batch",
            ])
            .arg(&batch)
            .arg("-o")
            .arg(&results),
    );
    assert!(ok, "200k resume failed");
    rows.push((
        "peak RSS, 200,000-line batch with `-o` (no latency)".into(),
        format!(
            "{:.1} MB in {:.1} s ({:.0} lines/s)",
            rss as f64 / 1024.0,
            t.as_secs_f64(),
            200_000.0 / t.as_secs_f64()
        ),
        "target < 64 MB".into(),
    ));
    rows.push((
        "peak RSS, `--resume` over those 200,000 results (all kept)".into(),
        format!(
            "{:.1} MB in {:.1} s",
            rss2 as f64 / 1024.0,
            t2.as_secs_f64()
        ),
        "target < 64 MB".into(),
    ));
    drop(mock);
}

/// A section of the benchmark (see `main`).
fn history(dir: &Path, rows: &mut Vec<(String, String, String)>) {
    // 8. History: a batch with its lines recorded against the same with MIIFLOW_HISTORY=off.
    let mock = Mock::start(&["--latency", "50"]);
    let lines: String = (1..=1000).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let batch = dir.join("history.jsonl");
    std::fs::write(&batch, lines).unwrap();
    let data = dir.join("history-data");
    let batch_of = |url: &str, batch: &Path| {
        let mut cmd = miiflow(url);
        cmd.args(["run", "agent_bench", "--concurrency", "50", "--batch"])
            .arg(batch);
        cmd
    };
    let (h, n) = history_on_off(&data, 5, || batch_of(&mock.url, &batch));
    rows.push((
        "`--batch` 1,000 inputs, concurrency 50, 50 ms: history on vs off (5 interleaved, median)"
            .into(),
        format!("{:.3} s vs {:.3} s", h.as_secs_f64(), n.as_secs_f64()),
        format!(
            "{:+.1}% (target < 10%)",
            (h.as_secs_f64() / n.as_secs_f64() - 1.0) * 100.0
        ),
    ));
    drop(mock);
    let mock = Mock::start(&[]);
    let batch = dir.join("batch10k.jsonl");
    let (h, n) = history_on_off(&data, 5, || batch_of(&mock.url, &batch));
    rows.push((
        "`--batch` 10,000 inputs, no latency: history on vs off (5 interleaved, median)".into(),
        format!("{:.3} s vs {:.3} s", h.as_secs_f64(), n.as_secs_f64()),
        format!(
            "{:+.1}% (the worst case: nothing to wait for but the disk)",
            (h.as_secs_f64() / n.as_secs_f64() - 1.0) * 100.0
        ),
    ));
    let (h, n) = history_on_off(&data, 41, || {
        let mut cmd = miiflow(&mock.url);
        cmd.args(["run", "agent_bench", "a=1"]);
        cmd
    });
    rows.push((
        "one `run`, history on vs off (41 interleaved, median)".into(),
        format!("{} vs {}", ms(h), ms(n)),
        format!(
            "{:.2}× (+{:.2} ms; target ≤ 1.15×, issue 19)",
            h.as_secs_f64() / n.as_secs_f64(),
            (h.as_secs_f64() - n.as_secs_f64()) * 1e3
        ),
    ));
    drop(mock);

    ci_tests(dir, rows);
    let run = mcp_call(dir, rows);
    mcp_http_calls(dir, run, rows);
}

/// `miiflow mcp serve` (its arguments still to add) for the stand-in, with the alias `bench`
/// in a config folder of its own and the history off.
fn mcp_server(mock: &Mock, config: &Path) -> Command {
    let added = miiflow(&mock.url)
        .env("MIIFLOW_CONFIG_DIR", config)
        .args([
            "agents",
            "add",
            "bench",
            "agent_bench",
            "--param",
            "a:string",
        ])
        .status()
        .unwrap();
    assert!(added.success(), "agents add failed");
    let mut server = miiflow(&mock.url);
    server
        .env("MIIFLOW_CONFIG_DIR", config)
        .env("MIIFLOW_HISTORY", "off");
    server
}

/// An MCP tool call (a request on a running `miiflow mcp serve`, to its answer) against the
/// same run as a `miiflow run` process, interleaved.
/// Returns the median of the direct `miiflow run`s, for the HTTP row.
fn mcp_call(dir: &Path, rows: &mut Vec<(String, String, String)>) -> Duration {
    use std::io::{BufRead, BufReader};
    let mock = Mock::start(&[]);
    let config = dir.join("mcp-config");
    let mut server = mcp_server(&mock, &config)
        .args(["mcp", "serve", "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("mcp serve");
    let mut to = server.stdin.take().unwrap();
    let mut from = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    writeln!(
        to,
        r#"{{"jsonrpc":"2.0","id":0,"method":"initialize","params":{{"protocolVersion":"2025-06-18","capabilities":{{}},"clientInfo":{{"name":"bench","version":"1"}}}}}}"#
    )
    .unwrap();
    from.read_line(&mut line).unwrap();
    writeln!(
        to,
        r#"{{"jsonrpc":"2.0","method":"notifications/initialized"}}"#
    )
    .unwrap();
    let mut exchange = |message: String, line: &mut String| {
        writeln!(to, "{message}").unwrap();
        to.flush().unwrap();
        line.clear();
        from.read_line(line).unwrap();
    };
    let (mut calls, mut runs) = (Vec::new(), Vec::new());
    for id in 1..=61u64 {
        let started = Instant::now();
        exchange(
            format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"bench","arguments":{{"a":"1"}}}}}}"#
            ),
            &mut line,
        );
        let took = started.elapsed();
        assert!(
            line.contains(r#""isError":false"#),
            "a tool call failed: {line}"
        );
        let (t, _, ok) = measure(miiflow(&mock.url).env("MIIFLOW_HISTORY", "off").args([
            "run",
            "agent_bench",
            "a=1",
        ]));
        assert!(ok, "miiflow run failed");
        if id > 10 {
            calls.push(took);
            runs.push(t);
        }
    }
    drop(to);
    let _ = server.wait();
    let (c, r) = (median(calls), median(runs));
    rows.push((
        "one MCP tool call on a running `mcp serve` vs the same `miiflow run` (51 interleaved, \
         median; history off for both)"
            .into(),
        format!("{} vs {}", ms(c), ms(r)),
        format!(
            "{:.2}× the run ({:+.2} ms: the server is already up, its connection kept alive)",
            c.as_secs_f64() / r.as_secs_f64(),
            (c.as_secs_f64() - r.as_secs_f64()) * 1e3
        ),
    ));
    r
}

/// One keep-alive HTTP/1.1 exchange: the answer's body.
fn exchange_http(stream: &mut std::net::TcpStream, request: &[u8]) -> String {
    use std::io::Read;
    stream.write_all(request).unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .expect("a JSON answer with its length");
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).unwrap();
    String::from_utf8(body).unwrap()
}

/// 20 clients at once, each sending `request` 30 times on one keep-alive connection and
/// checking that the answer holds `expect`: how long each call took, but the first five of
/// each client (they warm the connection and the server).
fn twenty_clients(authority: &str, request: &str, expect: &'static str) -> Vec<Duration> {
    let clients: Vec<_> = (0..20)
        .map(|_| {
            let (authority, request) = (authority.to_owned(), request.to_owned());
            std::thread::spawn(move || {
                let mut stream = std::net::TcpStream::connect(&authority).unwrap();
                stream.set_nodelay(true).unwrap();
                (0..30)
                    .map(|i| {
                        let started = Instant::now();
                        let answer = exchange_http(&mut stream, request.as_bytes());
                        assert!(answer.contains(expect), "{answer}");
                        (i >= 5).then(|| started.elapsed())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .flatten()
        .collect()
}

/// A section of the benchmark (see `main`): tool calls over `mcp serve --http`, 20 clients on
/// keep-alive connections calling at once, against the stand-in answered directly by curl.
fn mcp_http_calls(dir: &Path, direct_run: Duration, rows: &mut Vec<(String, String, String)>) {
    use std::io::{BufRead, BufReader};
    const TOKEN: &str = "bench-token-0123456789abcdef0123456789";
    let mock = Mock::start(&[]);
    let config = dir.join("mcp-http-config");
    let mut server = mcp_server(&mock, &config)
        .env("MIIFLOW_MCP_TOKEN", TOKEN)
        .args([
            "mcp",
            "serve",
            "--http",
            "127.0.0.1:0",
            "--concurrency",
            "20",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .expect("mcp serve --http");
    let mut line = String::new();
    BufReader::new(server.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let authority = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("the URL")
        .to_owned();
    let body = r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"bench","arguments":{"a":"1"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#;
    let request = format!(
        "POST /mcp HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n\
         MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/call\r\nMcp-Name: bench\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let calls = twenty_clients(&authority, &request, r#""isError":false"#);
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.id())).unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    // The same 20 clients posting the run to the stand-in themselves: what a call costs
    // without MCP, the token, miiflow's engine and the second hop.
    let mock_authority = mock.url.trim_start_matches("http://").to_owned();
    let run_body = r#"{"agent_id":"agent_bench","input":{"a":"1"}}"#;
    let direct_request = format!(
        "POST /api/v1/agent_run HTTP/1.1\r\nHost: {mock_authority}\r\nAuthorization: Bearer \
         {KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{run_body}",
        run_body.len()
    );
    let direct = twenty_clients(&mock_authority, &direct_request, r#""status":"completed""#);
    let (call, run) = (median(calls), median(direct));
    rows.push((
        "tool calls over `mcp serve --http`, 20 clients at once on keep-alive connections (500 \
         calls, median) vs the same clients posting the run to the stand-in directly, and a \
         direct `miiflow run` (the row above)"
            .into(),
        format!(
            "{} vs {}; {:.2}× a `miiflow run` ({}); the server's peak RSS {:.1} MB",
            ms(call),
            ms(run),
            call.as_secs_f64() / direct_run.as_secs_f64(),
            ms(direct_run),
            peak_kb as f64 / 1024.0
        ),
        format!(
            "{:+.2} ms a call: MCP, the token, the engine and the second hop (goal: < 1 ms at p50)",
            (call.as_secs_f64() - run.as_secs_f64()) * 1e3
        ),
    ));
}
