//! Batches as CI tests: `--expect` and `--expect-schema` (a run and a batch), `--junit`,
//! `--summary-json`, the CI job summary, and `--shard auto` from each engine's variables.

use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use crate::support::*;

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Five lines: two that meet `.output.n < 5`, a 500, a bad line, one that does not meet it.
fn five_lines(dir: &Path) -> std::path::PathBuf {
    write(
        dir,
        "in.jsonl",
        "{\"id\":\"a\",\"n\":1}\n{\"name\":\"b\",\"n\":2}\n{\"n\":3,\"$fault\":\"500\"}\nnot json\n\
         {\"n\":5}\n",
    )
}

#[test]
fn a_run_with_an_unmet_expectation_prints_the_answer_says_which_and_exits_1() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_e", "n:=7", "--expect", ".output.n < 5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let answer: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(answer["output"]["n"], 7, "the answer is printed");
    assert_contains(
        &stderr(&out),
        "unmet expectation --expect '.output.n < 5': it yielded false (it must yield true); \
         the run itself succeeded (HTTP 200 OK)",
    );
    // Met, and checked before --jq: the filter sees the answer as received.
    let out = server
        .miiflow()
        .args(["run", "agent_e", "n:=3", "--expect", ".output.n < 5"])
        .args([
            "--expect",
            ".run_id | startswith(\"run_\")",
            "--jq",
            ".output.n",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "3\n");
    // A filter that does not compile is refused before anything is sent.
    let before = server.requests().len();
    let out = server
        .miiflow()
        .args(["run", "agent_e", "--expect", ".["])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "--expect '.[':");
    assert_eq!(server.requests().len(), before);
    // An error answer is not judged: its status decides.
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_e",
            "$fault=404",
            "--expect",
            "false",
            "--retries",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(!stderr(&out).contains("unmet"), "{}", stderr(&out));
}

#[test]
fn a_schema_names_the_place_in_the_answer_for_both_drafts() {
    let dir = temp();
    for (name, draft) in [
        ("d7.json", "http://json-schema.org/draft-07/schema#"),
        ("d2020.json", "https://json-schema.org/draft/2020-12/schema"),
    ] {
        let schema = write(
            dir.path(),
            name,
            format!(
                r#"{{"$schema":"{draft}","type":"object","required":["output"],
                   "properties":{{"output":{{"properties":{{"temp":{{"type":"number"}}}}}}}}}}"#
            ),
        );
        let server = Server::start();
        let run = |temp: &str| {
            server
                .miiflow()
                .args(["run", "agent_s", temp, "--expect-schema"])
                .arg(&schema)
                .output()
                .unwrap()
        };
        let ok = run("temp:=21.5");
        assert!(ok.status.success(), "{}", stderr(&ok));
        let bad = run("temp=warm");
        assert_eq!(bad.status.code(), Some(1));
        let err = stderr(&bad);
        assert_contains(
            &err,
            &format!("unmet expectation --expect-schema {}", schema.display()),
        );
        assert_contains(&err, "at /output/temp: ");
        assert_contains(&err, "number");
    }
    let not_a_schema = write(dir.path(), "bad.json", r#"{"type": 7}"#);
    let out = Server::start()
        .miiflow()
        .args(["run", "agent_s", "--expect-schema"])
        .arg(&not_a_schema)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "not a JSON Schema");
}

/// `pattern` is matched by regex-lite (vendor/README.md): ECMA's \d, \w and \s as before (\s
/// with its non-ASCII spaces), and a Unicode property class refused before anything is sent.
#[test]
fn schema_patterns_keep_ecma_classes_and_refuse_unicode_properties_before_sending() {
    let dir = temp();
    let schema = write(
        dir.path(),
        "p.json",
        r#"{"properties":{"output":{"properties":{
             "code":{"type":"string","pattern":"^\\d{3}-\\w+$"},
             "gap":{"type":"string","pattern":"^a\\sb$"}}}}}"#,
    );
    let server = Server::start();
    let run = |items: &[&str]| {
        server
            .miiflow()
            .args(["run", "agent_p"])
            .args(items)
            .arg("--expect-schema")
            .arg(&schema)
            .output()
            .unwrap()
    };
    let ok = run(&["code=123-ab_c", "gap=a b"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let nbsp = run(&["code=123-x", "gap=a\u{a0}b"]);
    assert!(
        nbsp.status.success(),
        "a no-break space is ECMA's \\s: {}",
        stderr(&nbsp)
    );
    let bad = run(&["code=12-x"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stderr(&bad));
    assert_contains(&stderr(&bad), "at /output/code: ");
    let before = server.requests().len();
    let unicode = write(
        dir.path(),
        "u.json",
        r#"{"properties":{"output":{"properties":{"name":{"pattern":"^\\p{L}+$"}}}}}"#,
    );
    let out = server
        .miiflow()
        .args(["run", "agent_p", "name=é", "--expect-schema"])
        .arg(&unicode)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(&stderr(&out), "Unicode character classes are not supported");
    assert_eq!(server.requests().len(), before, "nothing was sent");
}

#[test]
fn a_batch_marks_each_unmet_line_and_fails_with_exit_1() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", "{\"n\":1}\n{\"n\":9}\n{\"n\":2}\n");
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--expect", ".output.n < 5", "--batch"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let results = lines(&stdout(&out));
    assert_eq!(results[0].get("exit"), None);
    assert_eq!(results[1]["exit"], 1);
    assert_eq!(results[1]["status"], 200);
    assert_eq!(
        results[1]["error"],
        "unmet expectation --expect '.output.n < 5': it yielded false (it must yield true)"
    );
    assert_eq!(results[1]["body"]["output"]["n"], 9, "the answer is kept");
    let err = stderr(&out);
    assert_contains(&err, "3 lines, 2 succeeded, 1 failed (1 unmet expectation)");
    assert_contains(&err, "p50 ");
}

#[test]
fn expectations_are_recorded_in_the_history_and_the_key_is_masked_in_what_they_quote() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args([
            "run",
            "agent_h",
            &format!("k={KEY}"),
            "--expect",
            ".output.k",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains(KEY), "{err}");
    assert_contains(&err, "it yielded \"mk_…cdef\"");
    let out = home
        .miiflow(&server)
        .args(["history", "list", "--json"])
        .output()
        .unwrap();
    let listed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let id = listed[0]["id"].as_i64().unwrap();
    let out = home
        .miiflow(&server)
        .args(["history", "show", &id.to_string()])
        .output()
        .unwrap();
    let entry: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(entry["expect"], "--expect .output.k");
    assert_eq!(entry["exit"], 1);
    assert!(
        entry["error"]
            .as_str()
            .unwrap()
            .starts_with("unmet expectation")
    );
    // The input is what the user sent; the answer and the error are masked.
    for field in ["error", "output"] {
        assert!(
            !entry[field].to_string().contains(&KEY[8..]),
            "{field}: {entry}"
        );
    }
    // A batch line's entry records them too.
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", "{\"n\":1}\n");
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_h", "--expect", "true", "--batch"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = home
        .miiflow(&server)
        .args(["history", "show", &(id + 1).to_string()])
        .output()
        .unwrap();
    let entry: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(entry["expect"], "--expect true");
    assert_eq!(entry["batch_line"], 1);
}

#[test]
fn junit_has_a_case_per_line_named_by_id_with_each_failure_and_no_key() {
    let dir = temp();
    let input = five_lines(dir.path());
    let echo = write(
        dir.path(),
        "echo.jsonl",
        format!("{{\"$fault\":\"403\",\"k\":\"{KEY}\"}}\n"),
    );
    let junit = dir.path().join("report.xml");
    let server = Server::start();
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_j",
            "--retries",
            "0",
            "--expect",
            ".output.n < 5",
        ])
        .arg("--junit")
        .arg(&junit)
        .arg("--batch")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let text = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("tests"), Some("5"));
    assert_eq!(suite.attribute("failures"), Some("3"));
    assert!(suite.attribute("name").unwrap().ends_with("in.jsonl"));
    let cases: Vec<(String, Option<String>)> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|c| {
            let failure = c
                .children()
                .find(|n| n.has_tag_name("failure"))
                .map(|f| f.attribute("type").unwrap().to_owned());
            (c.attribute("name").unwrap().to_owned(), failure)
        })
        .collect();
    let mut cases = cases;
    cases.sort();
    let want: Vec<(String, Option<String>)> = [
        ("line 1 (a)", None),
        ("line 2 (b)", None),
        ("line 3", Some("http_5xx")),
        ("line 4", Some("bad_line")),
        ("line 5", Some("unmet_expectation")),
    ]
    .iter()
    .map(|(n, f)| (n.to_string(), f.map(str::to_owned)))
    .collect();
    assert_eq!(cases, want);
    for case in suite.children().filter(|n| n.has_tag_name("testcase")) {
        let time: f64 = case.attribute("time").unwrap().parse().unwrap();
        assert!(time >= 0.0);
    }
    // A failing answer that echoes the key: masked in the report.
    let out = server
        .miiflow()
        .args(["run", "agent_j", "--retries", "0", "--junit"])
        .arg(&junit)
        .arg("--batch")
        .arg(&echo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = std::fs::read_to_string(&junit).unwrap();
    assert!(text.contains("<failure type=\"http_4xx\""), "{text}");
    assert!(!text.contains(&KEY[8..]), "{text}");
    // A report that cannot be written is refused before anything is sent.
    let before = server.requests().len();
    let out = server
        .miiflow()
        .args(["run", "agent_j", "--junit"])
        .arg(dir.path().join("no/such/dir/r.xml"))
        .arg("--batch")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(&stderr(&out), "--junit");
    assert_eq!(server.requests().len(), before);
}

#[test]
fn junit_is_written_on_ctrl_c_with_the_lines_done() {
    let dir = temp();
    let input: String = (1..=6)
        .map(|i| match i {
            1 | 2 => format!("{{\"n\":{i}}}\n"),
            _ => format!("{{\"n\":{i},\"$fault\":\"slow:600000\"}}\n"),
        })
        .collect();
    let input = write(dir.path(), "in.jsonl", input);
    let junit = dir.path().join("report.xml");
    let summary = dir.path().join("summary.json");
    let html = dir.path().join("report.html");
    let server = Server::start();
    let mut child = server
        .miiflow_std()
        .args(["run", "agent_c", "--concurrency", "2", "--junit"])
        .arg(&junit)
        .arg("--summary-json")
        .arg(&summary)
        .arg("--html")
        .arg(&html)
        .arg("--batch")
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The event the assertions are about: the batch has written lines 1 and 2 (stdout gets
    // each line once it is counted), and lines 3 and 4 are in flight.
    let _out = read_results(&mut child, 2);
    server.wait_for_requests(4);
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = wait_or_kill(&mut child, "the batch after Ctrl-C");
    let err = all_stderr(&mut child);
    assert_eq!(status.code(), Some(130), "{err}");
    // The HTML report is written on Ctrl-C too, saying so first.
    let page = std::fs::read_to_string(&html).unwrap();
    assert_contains(
        &page,
        "<p class=\"verdict stop\" id=\"verdict\">Interrupted</p>",
    );
    assert_contains(
        &page,
        "<td class=\"n\">2</td><td class=\"n\">2</td><td class=\"n\">0</td>",
    );
    let text = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let (skipped, ran): (Vec<&roxmltree::Node>, Vec<_>) = cases
        .iter()
        .partition(|c| c.children().any(|n| n.has_tag_name("skipped")));
    assert_eq!(ran.len(), 2, "{text}");
    // Every line that did not run is in the report as skipped (one case for lines not read).
    let names: Vec<&str> = skipped
        .iter()
        .map(|c| c.attribute("name").unwrap())
        .collect();
    for n in 3..=6 {
        let covered = names.iter().any(|name| {
            *name == format!("line {n}")
                || name
                    .strip_prefix("lines after line ")
                    .is_some_and(|m| m.parse::<u64>().unwrap() < n)
        });
        assert!(covered, "line {n} is not in the report: {text}");
    }
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(
        suite.attribute("skipped"),
        Some(skipped.len().to_string().as_str())
    );
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert!(
        text.contains("<property name=\"interrupted\" value=\"true\"/>"),
        "{text}"
    );
    let summary: Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    assert_eq!(summary["interrupted"], true);
    assert_eq!(summary["lines"], 2);
    assert_eq!(summary["not_run"], 4);
    assert_eq!(summary["exit"], 130);
}

#[test]
fn the_summary_counts_classes_retries_and_latency_and_appends_to_the_job_summary() {
    let dir = temp();
    let input = five_lines(dir.path());
    let step = dir.path().join("step-summary.md");
    std::fs::write(&step, "earlier step\n").unwrap();
    let json = dir.path().join("summary.json");
    let server = Server::with(&["--fault", "429:1"]);
    let out = server
        .miiflow()
        .env("GITHUB_STEP_SUMMARY", &step)
        .args(["run", "agent_g", "--retries", "1", "--concurrency", "1"])
        .args(["--expect", ".output.n < 5", "--summary-json"])
        .arg(&json)
        .arg("--batch")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(
        &err,
        "5 lines, 2 succeeded, 3 failed (1 HTTP 5xx, 1 unmet expectation, 1 bad line) · 4 run in ",
    );
    assert_contains(&err, "1 retry, 1 429 wait");
    let s: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(s["lines"], 5);
    assert_eq!(s["succeeded"], 2);
    assert_eq!(s["ran"], 4);
    assert_eq!(s["failed_by_class"]["http_5xx"], 1);
    assert_eq!(s["failed_by_class"]["unmet_expectation"], 1);
    assert_eq!(s["failed_by_class"]["bad_line"], 1);
    assert_eq!(s["failed_by_class"]["http_4xx"], 0);
    assert_eq!(s["retries"], 1);
    assert_eq!(s["waits_429"], 1);
    assert_eq!(s["latency_ms"]["runs"], 4);
    let (p50, p99) = (
        s["latency_ms"]["p50"].as_f64().unwrap(),
        s["latency_ms"]["p99"].as_f64().unwrap(),
    );
    assert!(p50 > 0.0 && p50 <= p99, "{s}");
    assert_eq!(s["exit"], 5);
    let md = std::fs::read_to_string(&step).unwrap();
    assert!(md.starts_with("earlier step\n### miiflow batch: `"), "{md}");
    assert_contains(&md, "❌ failed");
    assert_contains(&md, "| 5 | 2 | 3 | 0 |");
    assert_contains(&md, "| 3 | HTTP 5xx | HTTP 500 Internal Server Error");
    assert_contains(&md, "| 4 | bad line |");
    assert_contains(&md, "| 5 | unmet expectation |");
    assert_contains(&md, "**Latency** (4 runs): p50 ");
}

#[test]
fn shard_auto_reads_the_ci_engines_variables_and_says_what_it_found() {
    let dir = temp();
    let input = write(
        dir.path(),
        "in.jsonl",
        (1..=6)
            .map(|i| format!("{{\"n\":{i}}}\n"))
            .collect::<String>(),
    );
    type Vars = &'static [(&'static str, &'static str)];
    let cases: &[(&str, Vars, &str, &[u64])] = &[
        (
            "auto",
            &[("CI_NODE_INDEX", "2"), ("CI_NODE_TOTAL", "3")],
            "--shard auto: GitLab CI (CI_NODE_INDEX=2, CI_NODE_TOTAL=3): shard 2/3",
            &[2, 5],
        ),
        (
            "auto",
            &[("CIRCLE_NODE_INDEX", "0"), ("CIRCLE_NODE_TOTAL", "2")],
            "--shard auto: CircleCI (CIRCLE_NODE_INDEX=0, CIRCLE_NODE_TOTAL=2): shard 1/2",
            &[1, 3, 5],
        ),
        (
            "auto/3",
            &[("JOB_COMPLETION_INDEX", "2")],
            "--shard auto: a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=2, auto/3): shard 3/3",
            &[3, 6],
        ),
    ];
    for (arg, vars, said, want) in cases {
        let server = Server::start();
        let mut cmd = server.miiflow();
        for (k, v) in *vars {
            cmd.env(k, v);
        }
        let out = cmd
            .args(["run", "agent_s", "--shard", arg, "--batch"])
            .arg(&input)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_contains(&stderr(&out), said);
        let got: Vec<u64> = lines(&stdout(&out))
            .iter()
            .map(|l| l["line"].as_u64().unwrap())
            .collect();
        assert_eq!(&got, want, "{arg} {vars:?}");
    }
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_s", "--shard", "auto", "--batch"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for var in [
        "CI_NODE_INDEX",
        "CIRCLE_NODE_INDEX",
        "BUILDKITE_PARALLEL_JOB",
        "JOB_COMPLETION_INDEX",
    ] {
        assert_contains(&err, var);
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn history_stats_counts_runs_failures_and_latencies_per_agent() {
    let home = Home::new();
    let server = Server::with(&["--latency", "20"]);
    let dir = temp();
    let input = write(
        dir.path(),
        "in.jsonl",
        "{\"n\":1}\n{\"n\":2,\"$fault\":\"500\"}\n{\"n\":3}\n{\"n\":4}\n",
    );
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_one", "--retries", "0", "--batch"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    for _ in 0..2 {
        let out = home
            .miiflow(&server)
            .env("MIIFLOW_API_KEY", KEY)
            .args(["run", "--workflow", "wf_two"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = home
        .miiflow(&server)
        .args(["history", "stats"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let stats: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let stats = stats.as_array().unwrap();
    assert_eq!(stats.len(), 2);
    assert_eq!(stats[0]["target"], "agent_one");
    assert_eq!(stats[0]["kind"], "agent");
    assert_eq!(
        (stats[0]["runs"].as_u64(), stats[0]["failed"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(stats[0]["failure_rate"], 0.25);
    assert_eq!(stats[1]["target"], "wf_two");
    assert_eq!(stats[1]["kind"], "workflow");
    assert_eq!(stats[1]["runs"], 2);
    let p50 = stats[0]["latency_ms"]["p50"].as_f64().unwrap();
    assert!(p50 >= 20.0, "the stand-in waits 20 ms: {p50}");
    assert!(stats[0]["last_run"].as_str().unwrap().ends_with('Z'));
    // One agent (an alias stands for its id), and --since.
    let out = home
        .miiflow(&server)
        .args(["agents", "add", "two", "--workflow", "wf_two"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = home
        .miiflow(&server)
        .args(["history", "stats", "--agent", "two", "--since", "1h"])
        .output()
        .unwrap();
    let stats: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stats.as_array().unwrap().len(), 1);
    assert_eq!(stats[0]["target"], "wf_two");
    // On a terminal: a table and a histogram.
    let data = home.data_dir();
    let config = home.config_dir();
    let term = Tty::start(
        "history stats",
        &[
            ("MIIFLOW_DATA_DIR", data.to_str().unwrap()),
            ("MIIFLOW_CONFIG_DIR", config.to_str().unwrap()),
        ],
    );
    let (code, raw) = term.finish();
    assert_eq!(code, Some(0), "{raw}");
    let screen = screen(&raw).join("\n");
    assert!(screen.contains("AGENT / WORKFLOW"), "{screen}");
    assert!(screen.contains("agent_one"), "{screen}");
    assert!(screen.contains("25.0%"), "{screen}");
    assert!(screen.contains("Latency of 6 run(s):"), "{screen}");
    assert!(screen.contains('█'), "{screen}");
}

#[test]
fn reports_that_would_overwrite_the_results_or_the_input_are_refused_before_anything_is_sent() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", "{\"n\":1}\n");
    let results = dir.path().join("results.jsonl");
    std::fs::write(&results, "kept\n").unwrap();
    let server = Server::start();
    let same_as_results = format!("{}/./results.jsonl", dir.path().display());
    let cases: [(&[&str], &str); 4] = [
        (&["--junit", &same_as_results], "--junit"),
        (&["--summary-json", &same_as_results], "--summary-json"),
        (&["--junit", "in.jsonl"], "is the same file as --batch"),
        (
            &["--junit", "r.xml", "--summary-json", "r.xml"],
            "is the same file as --summary-json",
        ),
    ];
    for (args, says) in cases {
        let out = server
            .miiflow()
            .current_dir(dir.path())
            .args(["run", "agent_r", "--batch"])
            .arg(&input)
            .arg("-o")
            .arg(&results)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_contains(&stderr(&out), says);
    }
    assert!(server.requests().is_empty(), "nothing was sent");
    assert_eq!(std::fs::read_to_string(&results).unwrap(), "kept\n");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "{\"n\":1}\n");
    // results merge: OUT is not the batch file it checks against.
    let out = miiflow()
        .args(["results", "merge"])
        .arg(&results)
        .arg("-o")
        .arg(&input)
        .arg("--input")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "is the batch file (--input)");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "{\"n\":1}\n");
}

#[test]
fn a_job_summary_that_is_a_fifo_does_not_hold_the_batch() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", "{\"n\":1}\n");
    let fifo = dir.path().join("summary.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let server = Server::start();
    let mut child = server
        .miiflow_std()
        .env("GITHUB_STEP_SUMMARY", &fifo)
        .args(["run", "agent_f", "--batch"])
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_or_kill(&mut child, "a batch with a FIFO as its job summary");
    let err = all_stderr(&mut child);
    assert!(status.success(), "{err}");
    assert_contains(&err, "cannot append the summary: not a regular file");
}

#[test]
fn an_expectation_that_never_decides_fails_its_line_at_the_timeout_and_the_batch_ends() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", "{\"n\":1}\n");
    let server = Server::start();
    let mut child = server
        .miiflow_std()
        .args([
            "run",
            "agent_x",
            "--timeout",
            "1",
            "--expect",
            "def f: f; f",
            "--batch",
        ])
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Was: the line failed at its deadline, then the process waited for ever on the thread
    // still running the filter.
    let status = wait_or_kill(&mut child, "a batch whose expectation never decides");
    let err = all_stderr(&mut child);
    assert_eq!(status.code(), Some(1), "{err}");
    assert_contains(
        &err,
        "unmet expectation --expect 'def f: f; f': not decided within --timeout",
    );
}
