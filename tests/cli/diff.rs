//! `miiflow results diff` and `results report`: two runs of one suite against the stand-in,
//! every kind of line told apart in every output (the JUnit read by roxmltree, the JSON by
//! serde_json, the page by a real headless Chromium), bad input refused before a word.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::*;

/// Runs the six-line suite against a stand-in serving `faults` in request order (one line at a
/// time, no retries: request N is line N), its results in `name`.
fn run_suite(dir: &Path, input: &Path, name: &str, faults: &[&str]) -> PathBuf {
    let args: Vec<&str> = faults.iter().flat_map(|f| ["--fault", f]).collect();
    let server = Server::with(&args);
    let results = dir.join(name);
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_suite",
            "--concurrency",
            "1",
            "--retries",
            "0",
            "-q",
        ])
        .arg("--batch")
        .arg(input)
        .arg("-o")
        .arg(&results)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 5),
        "{}",
        stderr(&out)
    );
    results
}

/// Two runs: line 3 failed in the base run and passes now (fixed), line 4 passed and fails
/// now (regressed), line 2 takes 400 ms now (slower); line 5's answer is made to differ
/// (changed: the stand-in echoes its input, so the new results' answer is edited, the one
/// thing not produced by a run).
fn two_runs(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let input: String = (1..=6)
        .map(|i| format!("{{\"city\":\"c{i}\",\"n\":{i}}}\n"))
        .collect();
    let input = write(dir, "in.jsonl", input);
    let base = run_suite(dir, &input, "base.jsonl", &["slow:0", "slow:0", "500"]);
    let new = run_suite(
        dir,
        &input,
        "new.jsonl",
        &["slow:0", "slow:400", "slow:0", "503"],
    );
    let text = std::fs::read_to_string(&new).unwrap();
    let edited: String = text
        .lines()
        .map(|l| match l.starts_with("{\"line\":5,") {
            true => l.replace("\"city\":\"c5\"", "\"city\":\"Lyon\"") + "\n",
            false => format!("{l}\n"),
        })
        .collect();
    assert_ne!(edited, text, "line 5 edited");
    std::fs::write(&new, edited).unwrap();
    (input, base, new)
}

fn diff(args: &[&str], base: &Path, new: &Path) -> std::process::Output {
    miiflow()
        .args(["results", "diff"])
        .arg(base)
        .arg(new)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_kind_is_told_apart_on_the_terminal_with_the_regressions_first() {
    let dir = temp();
    let (input, base, new) = two_runs(dir.path());
    // Every line of a results file carries its time.
    for l in std::fs::read_to_string(&new).unwrap().lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(v["duration_ms"].as_f64().unwrap() > 0.0, "{l}");
    }
    let out = diff(&["--input", input.to_str().unwrap()], &base, &new);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    for want in [
        "        1 regressed (1 HTTP 5xx)",
        "        1 fixed",
        "        1 changed",
        "        3 unchanged",
        "        1 slower, 0 faster",
        "  latency p50 ",
    ] {
        assert_contains(&text, want);
    }
    // The table: the regressed line first, with its input's first fields, before → after.
    let regressed = text
        .find("regressed:\n      4  city=c4, n=4")
        .unwrap_or_else(|| panic!("{text}"));
    let others = text.find("      5  city=c5, n=5").unwrap();
    assert!(regressed < others, "{text}");
    assert_contains(&text, "→ HTTP 503 Service Unavailable: injected faul…");
    assert_contains(&text, ".output.city: \"c5\" → .output.city: \"Lyon\"");
    assert_contains(&text, "      3  city=c3, n=3            fixed (HTTP 5xx)");
    assert_contains(&stderr(&out), "miiflow: error: 1 line(s) regressed since ");
    assert_contains(&stderr(&out), "the first, line 4 (--fail-on regression)");
}

#[test]
fn every_kind_is_told_apart_in_json_and_junit_whatever_the_gate() {
    let dir = temp();
    let (_, base, new) = two_runs(dir.path());
    // --json: one document, the lines that differ and the counts.
    let junit = dir.path().join("diff.xml");
    let out = diff(
        &[
            "--json",
            "--fail-on",
            "never",
            "--junit",
            junit.to_str().unwrap(),
        ],
        &base,
        &new,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let counts = &doc["counts"];
    let want = [
        ("regressed", 1),
        ("fixed", 1),
        ("changed", 1),
        ("unchanged", 3),
        ("still_failing", 0),
        ("slower", 1),
        ("faster", 0),
    ];
    for (kind, n) in want {
        assert_eq!(counts[kind], n, "{kind}: {doc}");
    }
    let kinds: Vec<(u64, &str, &str)> = doc["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["kind"].as_str().unwrap(),
                l["speed"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (2, "unchanged", "slower"),
            (3, "fixed", "unknown"),
            (4, "regressed", "unknown"),
            (5, "changed", "same"),
        ]
    );
    assert_eq!(doc["lines"][2]["class"], "http_5xx");
    assert!(
        doc["latency_ms"]["ratio"]["p99"].as_f64().unwrap() > 1.5,
        "{doc}"
    );
    for side in ["base", "new"] {
        assert_eq!(doc["latency_ms"][side]["runs"], 6, "{doc}");
        for q in ["p50", "p95", "p99"] {
            assert!(doc["latency_ms"][side][q].as_f64().is_some(), "{doc}");
        }
    }
    assert_eq!(doc["gate"]["met"], false);
    assert_eq!(doc["exit"], 0);

    // JUnit: one case per line that differs; the regressed line fails there although the
    // gate (never) let the command pass.
    let xml = std::fs::read_to_string(&junit).unwrap();
    let parsed = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let cases: Vec<roxmltree::Node> = parsed
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 4, "{xml}");
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failed, ["line 4"], "{xml}");
    let suite = parsed
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("failures"), Some("1"));
    // The latency side, as the suite's properties.
    let props: Vec<(&str, &str)> = parsed
        .descendants()
        .filter(|n| n.has_tag_name("property"))
        .map(|p| (p.attribute("name").unwrap(), p.attribute("value").unwrap()))
        .collect();
    assert_eq!(props.len(), 9, "{xml}");
    assert!(
        props
            .iter()
            .any(|(k, v)| *k == "latency new p99" && v.ends_with(" ms")),
        "{xml}"
    );
    assert!(
        props
            .iter()
            .any(|(k, v)| *k == "latency ratio p99" && v.parse::<f64>().unwrap() > 1.5),
        "{xml}"
    );
}

#[test]
fn the_gate_decides_the_exit_code() {
    let dir = temp();
    let (_, base, new) = two_runs(dir.path());
    // The other gates.
    for (gate, code) in [
        ("change", 1),
        ("latency", 1),
        ("regression", 1),
        ("never", 0),
    ] {
        let out = diff(&["--fail-on", gate], &base, &new);
        assert_eq!(
            out.status.code(),
            Some(code),
            "--fail-on {gate}: {}",
            stderr(&out)
        );
    }
    let out = diff(&["--fail-on", "latency"], &base, &new);
    assert_contains(&stderr(&out), "2 line(s) regressed or slower");
    // A run against itself: nothing differs, whatever the gate (its failure fails in both).
    let out = diff(&["--fail-on", "change"], &new, &new);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(
        &stdout(&out),
        "        1 still failing\n        5 unchanged",
    );
    assert!(!stdout(&out).contains("changed, fixed"), "nothing listed");
    // --jq compares only that part: .output.n is the same on line 5.
    let out = diff(&["--fail-on", "change", "--jq", ".output.n"], &base, &new);
    assert_contains(&stdout(&out), "        0 changed");
}

#[test]
fn bad_input_is_refused_with_exit_2_before_anything_is_said() {
    let dir = temp();
    let line =
        |n: u64| format!("{{\"line\":{n},\"duration_ms\":5,\"status\":200,\"body\":{{}}}}\n");
    let good = write(dir.path(), "good.jsonl", line(1) + &line(2));
    let unordered = write(dir.path(), "unordered.jsonl", line(2) + &line(1));
    let twice = write(dir.path(), "twice.jsonl", line(1) + &line(1));
    let other = write(dir.path(), "other.jsonl", "{\"not\":\"a result\"}\n");
    let cases: Vec<(Vec<&str>, &Path, &str)> = vec![
        (
            vec![],
            &unordered,
            "result 1 comes after result 2: not one result a line in line order",
        ),
        (vec![], &twice, "result 1 comes after result 1"),
        (vec![], &other, "line 1 is not a result line"),
        (vec!["--jq", ".["], &good, "--jq"),
        (
            vec!["--latency-ratio", "1"],
            &good,
            "--latency-ratio 1: must be more than 1",
        ),
        (vec![], Path::new("/nonexistent/r.jsonl"), "cannot read it"),
    ];
    for (args, new, why) in cases {
        for json in [false, true] {
            let mut args = args.clone();
            if json {
                args.push("--json");
            }
            let out = diff(&args, &good, new);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{args:?} {new:?}: {}",
                stderr(&out)
            );
            assert_eq!(stdout(&out), "", "nothing said on stdout: {args:?}");
            assert_contains(&stderr(&out), why);
        }
    }
    // Unordered is refused as BASE too; merge puts it in order.
    let out = diff(&[], &unordered, &good);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "results merge");
}

#[test]
fn files_written_before_durations_read_as_of_unknown_time() {
    let dir = temp();
    let old = write(
        dir.path(),
        "old.jsonl",
        "{\"line\":1,\"status\":200,\"body\":{\"a\":1}}\n{\"line\":2,\"status\":200,\"body\":{\"a\":2}}\n",
    );
    let new = write(
        dir.path(),
        "new.jsonl",
        "{\"line\":1,\"duration_ms\":900,\"status\":200,\"body\":{\"a\":1}}\n\
         {\"line\":3,\"duration_ms\":5,\"status\":200,\"body\":{\"a\":3}}\n",
    );
    let out = diff(&["--json", "--fail-on", "never"], &old, &new);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["counts"]["unchanged"], 1);
    assert_eq!(doc["counts"]["only_in_base"], 1);
    assert_eq!(doc["counts"]["only_in_new"], 1);
    assert_eq!(doc["counts"]["slower"], 0, "no time, no speed");
    assert_eq!(doc["latency_ms"]["untimed"]["base"], 2);
    assert_eq!(doc["latency_ms"]["base"]["p50"], Value::Null);
    let out = diff(&["--fail-on", "change"], &old, &new);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(&stderr(&out), "2 line(s) changed");
}

#[test]
fn the_key_is_masked_and_markup_stays_text_in_every_output_of_a_diff() {
    let dir = temp();
    let evil = format!("<script>alert(1)</script> | [x](javascript:alert(1)) {KEY}");
    let base = write(
        dir.path(),
        "base.jsonl",
        format!("{{\"line\":1,\"duration_ms\":5,\"status\":200,\"body\":{{\"a\":\"{KEY}\"}}}}\n"),
    );
    let new = write(
        dir.path(),
        "new.jsonl",
        format!(
            "{{\"line\":1,\"duration_ms\":5,\"status\":500,\"body\":{{\"error\":{}}}}}\n",
            serde_json::to_string(&evil).unwrap()
        ),
    );
    let junit = dir.path().join("diff.xml");
    let summary = dir.path().join("summary.md");
    for json in [false, true] {
        let mut cmd = miiflow();
        cmd.env("MIIFLOW_API_KEY", KEY)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(["results", "diff"])
            .arg(&base)
            .arg(&new)
            .arg("--junit")
            .arg(&junit);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let all = [
            stdout(&out),
            stderr(&out),
            std::fs::read_to_string(&junit).unwrap(),
            std::fs::read_to_string(&summary).unwrap(),
        ];
        for text in &all {
            assert!(!text.contains(KEY), "the key leaked: {text}");
            assert!(
                !text.contains(&KEY[..KEY.len() - 4]),
                "a cut key leaked: {text}"
            );
        }
        assert_contains(&all[0], "mk_…cdef");
        // The job summary's Markdown: nothing there is markup.
        let md = &all[3];
        assert!(
            !md.contains("<script>") && !md.contains("](javascript"),
            "{md}"
        );
        assert_contains(md, "&#60;script&#62;");
        assert_contains(md, "### miiflow results diff: ");
    }
}

/// Chromium as Debian ships it (the test command installs it): headless, no sandbox (root
/// in CI), a profile of its own.
fn chromium(dir: &Path, args: &[&str], page: &Path) -> std::process::Output {
    let bin = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("chromium is not installed: scripts/test installs it (apt-get install chromium)");
    std::process::Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join("chromium-profile").display()
        ))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

#[test]
fn the_report_opens_in_a_browser_with_the_verdict_first_and_no_request_leaving_it() {
    let dir = temp();
    let (_, base, new) = two_runs(dir.path());
    // A hostile answer on line 6 of the new run: markup, a link, an image from a listener.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let hostile = format!(
        "<script>fetch('http://127.0.0.1:{port}/s')</script><img src=\"http://127.0.0.1:{port}/i\">\
         <a href=\"javascript:alert(1)\">x</a><style>@import url(http://127.0.0.1:{port}/c);</style> {KEY}"
    );
    let text = std::fs::read_to_string(&new).unwrap();
    let line6 = format!(
        "{{\"line\":6,\"duration_ms\":3.5,\"status\":502,\"body\":{{\"error\":{}}}}}",
        serde_json::to_string(&hostile).unwrap()
    );
    let text: String = text
        .lines()
        .map(|l| match l.starts_with("{\"line\":6,") {
            true => format!("{line6}\n"),
            false => format!("{l}\n"),
        })
        .collect();
    std::fs::write(&new, text).unwrap();
    let page = dir.path().join("report.html");
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["results", "report"])
        .arg(&new)
        .arg("-o")
        .arg(&page)
        .arg("--baseline")
        .arg(&base)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains(KEY), "the key is masked");
    assert!(html.len() < 64 * 1024, "{} bytes", html.len());

    let dom = chromium(dir.path(), &["--dump-dom"], &page);
    let dom = String::from_utf8_lossy(&dom.stdout);
    // The verdict first, then the counts, as the browser parsed them.
    let verdict = dom
        .find("id=\"diff-verdict\">2 regression(s) since ")
        .unwrap_or_else(|| panic!("{dom}"));
    let counts = dom.find("id=\"counts\"").unwrap();
    assert!(verdict < counts);
    assert_contains(&dom, "id=\"verdict\">Failed: 2 of 6 lines");
    assert_contains(&dom, "<td>HTTP 5xx</td><td class=\"n\">2</td>");
    assert_contains(&dom, "<svg id=\"histogram\"");
    // The hostile answer is text: no element came of it.
    assert_eq!(dom.matches("<script").count(), 0, "{dom}");
    assert_eq!(dom.matches("<img").count(), 0, "{dom}");
    assert_eq!(dom.matches("<a ").count(), 0, "{dom}");
    assert_eq!(dom.matches("<style").count(), 1, "only the page's own");
    assert_contains(&dom, "&lt;script&gt;fetch(");
    assert_contains(&dom, "mk_…cdef");
    // A screenshot, for the guide, and no request reached the listener.
    let shot = dir.path().join("report.png");
    let out = chromium(
        dir.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1100,1500",
        ],
        &page,
    );
    assert!(shot.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    assert!(
        listener.accept().is_err(),
        "the page made a request to the listener"
    );
}

/// A night of a 200-line suite, made up to the millisecond (the page is the same at every
/// run): failures of three classes, an unmet expectation, and for the new night two
/// regressions, a fix, a changed answer and a slower line.
fn made_up_night(new: bool) -> String {
    (1..=200u64)
        .map(|n| {
            let ms = 180.0 + ((n * 7919) % 97) as f64 * 9.5 + if n % 50 == 0 { 2400.0 } else { 0.0 };
            let ms = if new && n == 17 { ms * 3.0 } else { ms };
            let city = ["Paris", "Lyon", "Nice", "Lille"][(n % 4) as usize];
            let answer = if new && n == 42 { "sunny" } else { "cloudy" };
            let ok = format!(
                "{{\"line\":{n},\"duration_ms\":{ms:.3},\"status\":200,\"body\":{{\"status\":\"completed\",\"output\":{{\"city\":\"{city}\",\"sky\":\"{answer}\"}}}}}}"
            );
            match (n, new) {
                (9, false) | (120, _) => format!("{{\"line\":{n},\"duration_ms\":{ms:.3},\"status\":503,\"body\":{{\"error\":\"upstream model timed out\"}}}}"),
                (63, true) => format!("{{\"line\":{n},\"duration_ms\":{ms:.3},\"status\":422,\"body\":{{\"error\":\"input.city: unknown city\"}}}}"),
                (77, true) => format!("{{\"line\":{n},\"status\":null,\"exit\":6,\"error\":\"cannot connect to api.miiflow.ai: connection reset\"}}"),
                (150, _) => format!("{{\"line\":{n},\"duration_ms\":{ms:.3},\"status\":200,\"exit\":1,\"error\":\"unmet expectation --expect '.output.sky != null': it yielded false (it must yield true)\",\"body\":{{\"status\":\"completed\",\"output\":{{\"sky\":null}}}}}}"),
                _ => ok,
            }
        })
        .map(|l| l + "\n")
        .collect()
}

/// The guide's screenshots of the report (docs/guide/img/), made from a made-up night by the
/// browser the other tests use; rewritten when they change.
#[test]
fn the_guides_screenshots_of_the_report_are_made_here() {
    let dir = temp();
    write(dir.path(), "last-night.jsonl", made_up_night(false));
    write(dir.path(), "results.jsonl", made_up_night(true));
    let page = dir.path().join("report.html");
    let out = miiflow()
        .current_dir(dir.path())
        .args(["results", "report", "results.jsonl", "-o", "report.html"])
        .args(["--baseline", "last-night.jsonl"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(&page).unwrap();
    assert_contains(
        &html,
        "id=\"diff-verdict\">2 regression(s) since last-night.jsonl",
    );
    let img = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guide/img");
    std::fs::create_dir_all(&img).unwrap();
    let shot = dir.path().join("report.png");
    let out = chromium(
        dir.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,2300",
            "--hide-scrollbars",
        ],
        &page,
    );
    let png = std::fs::read(&shot)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let committed = img.join("report.png");
    if std::fs::read(&committed).ok().as_deref() != Some(&png[..]) {
        std::fs::write(&committed, &png).unwrap();
    }
}

/// The diff's section of the job summary, through GitHub's own Markdown engine: the server's
/// words and the files' names are text, each table row has its cells.
#[test]
fn the_diffs_job_summary_renders_server_text_as_text_in_githubs_engine() {
    let Some(python) = crate::day_two::gfm_python() else {
        return;
    };
    let dir = temp();
    let said =
        "![pwned](https://evil.example/p.png) [click](javascript:alert(1)) *bold* a | b <b>x</b>";
    let base = write(
        dir.path(),
        "night`1 | <!--.jsonl",
        "{\"line\":1,\"duration_ms\":5,\"status\":200,\"body\":{\"a\":1}}\n",
    );
    let new = write(
        dir.path(),
        "new.jsonl",
        format!(
            "{{\"line\":1,\"duration_ms\":5,\"status\":500,\"body\":{}}}\n",
            serde_json::json!({ "error": said })
        ),
    );
    let step = dir.path().join("step.md");
    let out = miiflow()
        .env("GITHUB_STEP_SUMMARY", &step)
        .args(["results", "diff"])
        .arg(&base)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let md = std::fs::read_to_string(&step).unwrap();
    let html = crate::day_two::gfm_html(&python, &step);
    for tag in ["<img", "<a ", "<b>", "<em>", "<!--"] {
        assert!(!html.contains(tag), "{tag} in\n{html}\nfrom\n{md}");
    }
    assert!(html.contains("<h3>miiflow results diff: <code>"), "{html}");
    assert!(html.contains("<p>❌ 1 line(s) regressed"), "{html}");
    for (row, cells) in crate::day_two::table_rows(&html) {
        assert!(cells == 2 || cells == 4, "{cells} cells: {row}");
    }
    assert!(
        html.contains("![pwned](https://evil.example/p.png)"),
        "{html}"
    );
}

/// A reader that goes away (`| head`) is no verdict: exit 141, whatever the gate, and the
/// diff stops reading.
#[test]
fn a_closed_stdout_ends_the_diff_with_141_not_a_verdict() {
    let dir = temp();
    let night = |city: &str| -> String {
        (1..=20_000)
            .map(|n| {
                format!(
                    "{{\"line\":{n},\"duration_ms\":5,\"status\":200,\"body\":{{\"city\":\"{city}\"}}}}\n"
                )
            })
            .collect()
    };
    let base = write(dir.path(), "base.jsonl", night("Paris"));
    let new = write(dir.path(), "new.jsonl", night("Lyon"));
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' results diff '{}' '{}' --json --fail-on never | head -c 1 >/dev/null",
            assert_cmd::cargo::cargo_bin("miiflow").display(),
            base.display(),
            new.display()
        ))
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(141), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

/// A file the command writes is never one it reads (a JUnit file or a page written over the
/// results would destroy them): refused with exit 2, the file untouched.
#[test]
fn an_output_over_an_input_is_refused_and_the_input_kept() {
    let dir = temp();
    let text = "{\"line\":1,\"duration_ms\":5,\"status\":200,\"body\":{}}\n";
    let base = write(dir.path(), "base.jsonl", text);
    let new = write(dir.path(), "new.jsonl", text);
    std::os::unix::fs::symlink(&new, dir.path().join("link.jsonl")).unwrap();
    let runs: [(&[&str], &str); 3] = [
        (
            &[
                "results",
                "diff",
                "base.jsonl",
                "new.jsonl",
                "--junit",
                "new.jsonl",
            ],
            "--junit new.jsonl: is new.jsonl",
        ),
        (
            &[
                "results",
                "diff",
                "base.jsonl",
                "new.jsonl",
                "--junit",
                "link.jsonl",
            ],
            "--junit link.jsonl: is new.jsonl",
        ),
        (
            &[
                "results",
                "report",
                "new.jsonl",
                "--baseline",
                "base.jsonl",
                "-o",
                "base.jsonl",
            ],
            "-o base.jsonl: is base.jsonl",
        ),
    ];
    for (args, why) in runs {
        let out = miiflow()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_contains(&stderr(&out), why);
        assert_eq!(stdout(&out), "");
    }
    for p in [&base, &new] {
        assert_eq!(std::fs::read_to_string(p).unwrap(), text);
    }
}
