//! Batches at CI scale: `-o RESULTS` written as lines finish and surviving kill -9, `--resume`
//! and `--retry-failed`, `--rate`, `--shard`, CSV input, per-line `--jq`, `-v`, quota pauses.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

fn parse_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn results_file(path: &Path) -> Vec<Value> {
    parse_lines(&std::fs::read_to_string(path).unwrap())
}

fn numbered(n: usize) -> String {
    (1..=n).map(|i| format!("{{\"n\":{i}}}\n")).collect()
}

/// The `n` of every run the server was sent (from its log), in arrival order.
fn sent(server: &Server) -> Vec<u64> {
    server
        .requests()
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/agent_run"))
        .map(|r| {
            let body: Value = serde_json::from_str(r["body"].as_str().unwrap()).unwrap();
            body["input"]["n"].as_u64().unwrap()
        })
        .collect()
}

/// Waits (up to a minute: an event, not a time window) until `path` holds `n` complete lines.
pub(crate) fn wait_for_lines(path: &Path, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.matches('\n').count() >= n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{} never held {n} lines",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_batch_killed_with_sigkill_resumes_without_running_a_finished_line_again() {
    let dir = temp();
    // Lines 11 and 15 hang (the first time the server sees them); the others answer at once.
    let input: String = (1..=20)
        .map(|i| match i {
            11 | 15 => format!("{{\"n\":{i},\"$fault\":\"slow:600000\"}}\n"),
            _ => format!("{{\"n\":{i}}}\n"),
        })
        .collect();
    let file = write(dir.path(), "in.jsonl", &input);
    let results = dir.path().join("results.jsonl");
    let server = Server::start();
    let mut child = server
        .miiflow_std()
        .args(["run", "agent_b", "--concurrency", "4", "--batch"])
        .arg(&file)
        .arg("-o")
        .arg(&results)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Every line but the two hanging ones finished: 18 results, flushed as each finished.
    wait_for_lines(&results, 18);
    server.wait_for_requests(20);
    child.kill().unwrap(); // SIGKILL: nothing runs on the way out
    child.wait().unwrap();

    let recorded = results_file(&results);
    assert_eq!(recorded.len(), 18);
    let mut lines: Vec<u64> = recorded
        .iter()
        .map(|r| {
            assert_eq!(r["status"], 200, "{r}");
            assert_eq!(r["input_blake3"].as_str().unwrap().len(), 64);
            r["line"].as_u64().unwrap()
        })
        .collect();
    lines.sort();
    let expected: Vec<u64> = (1..=20).filter(|n| *n != 11 && *n != 15).collect();
    assert_eq!(lines, expected);

    let before = sent(&server).len();
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_b",
            "--concurrency",
            "4",
            "--resume",
            "--batch",
        ])
        .arg(&file)
        .arg("-o")
        .arg(&results)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(
        &err,
        "18 results recorded; only lines without a result are run",
    );
    assert_contains(&err, "resumed: 18 lines kept their recorded result");
    // Only the two lines that were in flight at the kill ran again.
    let mut again = sent(&server)[before..].to_vec();
    again.sort();
    assert_eq!(again, [11, 15]);
    // RESULTS now holds exactly one result per input line, in input order.
    let all = results_file(&results);
    let order: Vec<u64> = all.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(order, (1..=20).collect::<Vec<_>>());
    for r in &all {
        assert_eq!(r["status"], 200, "{r}");
        assert_eq!(r["body"]["output"]["n"], r["line"]);
    }
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn resume_runs_changed_lines_keeps_failures_and_retry_failed_runs_them() {
    let dir = temp();
    let results = dir.path().join("r.jsonl");
    let mut lines: Vec<String> = (1..=5).map(|i| format!("{{\"n\":{i}}}")).collect();
    lines[2] = "{\"n\":3,\"$fault\":\"500\"}".into();
    let file = write(dir.path(), "in.jsonl", lines.join("\n") + "\n");
    let server = Server::start();
    let batch = |extra: &[&str]| {
        server
            .miiflow()
            .args(["run", "agent_b", "--retries", "0", "--batch"])
            .arg(&file)
            .arg("-o")
            .arg(&results)
            .args(extra)
            .output()
            .unwrap()
    };
    // No RESULTS yet: --resume is a fresh start.
    let out = batch(&["--resume"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_contains(
        &stderr(&out),
        "no results yet; starting from the first line",
    );
    assert_eq!(results_file(&results)[2]["status"], 500);
    assert_eq!(sent(&server).len(), 5);

    // Line 2 changes: only it runs; the recorded failure of line 3 is kept (exit 5 still).
    lines[1] = "{\"n\":2,\"changed\":true}".into();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let out = batch(&["--resume"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(
        &err,
        "line(s) 2 were run again: their input, the base URL or --jq changed",
    );
    assert_contains(
        &err,
        "1 of them recorded failures, kept as they are: --retry-failed",
    );
    assert_eq!(sent(&server)[5..], [2]);
    let r = results_file(&results);
    assert_eq!(r.len(), 5);
    assert_eq!(r[1]["body"]["output"]["changed"], true);

    // --retry-failed runs line 3 again (the mock fails an input only once): all pass.
    let out = batch(&["--retry-failed"]); // implies --resume
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sent(&server)[6..], [3]);
    let r = results_file(&results);
    let statuses: Vec<&Value> = r.iter().map(|r| &r["status"]).collect();
    assert_eq!(statuses, [200, 200, 200, 200, 200]);

    // A shorter input: the results of lines it no longer has are dropped, and it says so.
    std::fs::write(&file, lines[..4].join("\n") + "\n").unwrap();
    let out = batch(&["--resume"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(
        &stderr(&out),
        "held 1 result(s) for lines the input (now 4 lines)",
    );
    assert_eq!(results_file(&results).len(), 4);
    assert_eq!(sent(&server).len(), 7, "nothing ran");

    // A line cut short (a kill mid-write) is ignored, and its line runs again.
    let mut text = std::fs::read_to_string(&results).unwrap();
    let cut = text.rfind("{\"line\":4").unwrap();
    text.truncate(cut + 20);
    std::fs::write(&results, text).unwrap();
    let out = batch(&["--resume"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(
        &stderr(&out),
        "1 line(s) of the results file were not results",
    );
    assert_eq!(sent(&server)[7..], [4]);
    let r = results_file(&results);
    assert_eq!(
        r.iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );

    // Without --resume, -o starts again from an empty file.
    let out = batch(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sent(&server).len(), 12);
}

#[test]
fn resume_needs_a_results_file_and_raw_output_is_refused() {
    let server = Server::start();
    for (args, says) in [
        (&["--resume"][..], "--resume needs -o RESULTS"),
        (&["--jq", ".", "-r"][..], "-r does not go with --batch"),
        (&["--shard", "4/3"][..], "expected I/N with 1 ≤ I ≤ N"),
        (&["--rate", "10/h"][..], "expected N/s or N/m"),
    ] {
        let out = server
            .miiflow()
            .args(["run", "agent_b", "--batch", "-"])
            .args(args)
            .write_stdin("{}\n")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_contains(&stderr(&out), says);
    }
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_b",
            "--batch",
            "-",
            "--resume",
            "-o",
            "/dev/null",
        ])
        .write_stdin("{}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "cannot be read back to resume");
    // -o naming the input itself would empty it before it is read.
    let dir = temp();
    let file = write(dir.path(), "in.jsonl", numbered(3));
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch"])
        .arg(&file)
        .arg("-o")
        .arg(dir.path().join(".").join("in.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "is the batch's own input");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), numbered(3));
    assert!(sent(&server).is_empty());
}

#[test]
fn shards_split_one_input_and_keep_real_line_numbers() {
    let dir = temp();
    let file = write(dir.path(), "in.jsonl", numbered(10));
    let server = Server::start();
    let mut merged = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let out = server
            .miiflow()
            .args(["run", "agent_b", "--shard", shard, "--batch"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let got = parse_lines(&stdout(&out));
        let lines: Vec<u64> = got.iter().map(|r| r["line"].as_u64().unwrap()).collect();
        let i: u64 = shard[..1].parse().unwrap();
        let want: Vec<u64> = (1..=10).filter(|n| (n - 1) % 3 == i - 1).collect();
        assert_eq!(lines, want, "shard {shard}");
        for r in got {
            assert_eq!(r["body"]["output"]["n"], r["line"]);
            merged.push(r["line"].as_u64().unwrap());
        }
    }
    merged.sort();
    assert_eq!(merged, (1..=10).collect::<Vec<_>>());
    assert_eq!(sent(&server).len(), 10);
}

#[test]
fn rate_spaces_the_starts_across_all_workers() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_b",
            "--batch",
            "-",
            "--concurrency",
            "8",
            "--rate",
            "5/s",
        ])
        .write_stdin(numbered(6))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ms: Vec<u64> = server
        .requests()
        .iter()
        .map(|r| r["ms"].as_u64().unwrap())
        .collect();
    assert_eq!(ms.len(), 6);
    // At most 5 starts in any second: six starts span at least a second (5 gaps of 200 ms),
    // whatever the load; without --rate they all start at once.
    let span = ms.iter().max().unwrap() - ms.iter().min().unwrap();
    assert!(span >= 950, "6 starts within {span} ms at 5/s: {ms:?}");
    for w in ms.windows(2) {
        assert!(
            w[1] + 60 >= w[0] + 200,
            "two starts {} ms apart: {ms:?}",
            w[1] - w[0]
        );
    }
}

#[test]
fn csv_input_quotes_types_columns_and_names_errors() {
    let dir = temp();
    let csv = "city,days:=,meta[tag],note\n\
               Paris,3,a,\"x, \"\"y\"\"\nz\"\n\
               Oslo,three,b,n\n\
               Rome,2\n\
               Lima,[1,c,\"\"\n";
    let file = write(dir.path(), "in.csv", csv);
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_b", "extra:=true", "--batch"])
        .arg(&file)
        .output()
        .unwrap();
    // Bad rows among sent ones: exit 1 (2 would say that nothing was sent).
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = parse_lines(&stdout(&out));
    assert_eq!(r.len(), 4);
    assert_eq!(
        r[0]["body"]["output"],
        serde_json::json!({"city": "Paris", "days": 3, "meta": {"tag": "a"},
                           "note": "x, \"y\"\nz", "extra": true})
    );
    assert_eq!(r[1]["line"], 2);
    assert_contains(
        r[1]["error"].as_str().unwrap(),
        "line 2 (CSV line 4), column 2 ('days:='): invalid JSON",
    );
    assert_contains(
        r[2]["error"].as_str().unwrap(),
        "line 3 (CSV line 5): 2 fields, but the header names 4",
    );
    assert_contains(
        r[3]["error"].as_str().unwrap(),
        "line 4 (CSV line 6), column 2 ('days:=')",
    );
    assert_eq!(server.requests().len(), 1, "only the good row was sent");

    // From stdin, the format is said with --batch-format.
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-", "--batch-format", "csv"])
        .write_stdin("n:=\n7\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(parse_lines(&stdout(&out))[0]["body"]["output"]["n"], 7);

    // A bad header is refused before anything is sent.
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-", "--batch-format", "csv"])
        .write_stdin("ok,:=\n1,2\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "CSV header, column 2 (':='): empty");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn jq_applies_to_each_line_and_a_failing_filter_keeps_the_answer() {
    let server = Server::start();
    let run = |filter: &str| {
        server
            .miiflow()
            .args(["run", "agent_b", "--batch", "-", "--jq", filter])
            .write_stdin("{\"n\":1,\"xs\":[1,2]}\n{\"n\":2,\"xs\":[]}\n{\"n\":3,\"xs\":[5]}\n")
            .output()
            .unwrap()
    };
    let out = run(".output.xs[]");
    assert!(out.status.success(), "{}", stderr(&out));
    let bodies: Vec<Value> = parse_lines(&stdout(&out))
        .into_iter()
        .map(|r| r["body"].clone())
        .collect();
    // One result is the value; any other number of results is an array.
    assert_eq!(
        bodies,
        [
            serde_json::json!([1, 2]),
            serde_json::json!([]),
            serde_json::json!(5)
        ]
    );

    let out = run(".output.n | if . == 2 then error(\"two\") else . end");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = parse_lines(&stdout(&out));
    assert_eq!(r[0]["body"], 1);
    assert_eq!(r[1]["status"], 200);
    assert_eq!(r[1]["exit"], 1);
    assert_contains(r[1]["error"].as_str().unwrap(), "two");
    assert_eq!(
        r[1]["body"]["output"]["n"], 2,
        "the unfiltered answer is kept"
    );
    assert_contains(&stderr(&out), "the first, line 2:");
}

#[test]
fn verbose_traces_each_line_with_the_key_masked() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-", "-vv"])
        .write_stdin("{\"n\":1}\n{\"n\":2}\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    for n in [1, 2] {
        assert_contains(
            &err,
            &format!("line {n}: > POST {}/api/v1/agent_run", server.url),
        );
        assert_contains(&err, &format!("line {n}: < HTTP/1.1 200 OK"));
        assert_contains(
            &err,
            &format!("line {n}: {{\"agent_id\":\"agent_b\",\"input\":{{\"n\":{n}}}}}"),
        );
    }
    assert_contains(&err, "line 1: > Authorization: Bearer ");
    assert!(!err.contains(KEY), "the key leaked: {err}");
    assert_eq!(
        parse_lines(&stdout(&out)).len(),
        2,
        "stdout holds only results"
    );
}

#[test]
fn a_long_retry_after_holds_every_worker_then_the_batch_goes_on() {
    let server = Server::with(&["--latency", "50"]);
    let mut input = String::from("{\"n\":1,\"$fault\":\"429:3\"}\n");
    input.push_str(
        &(2..=8)
            .map(|n| format!("{{\"n\":{n}}}\n"))
            .collect::<String>(),
    );
    // A single run waits at most 1 s here: a 3 s Retry-After is a quota pause for a batch.
    let out = server
        .miiflow()
        .env("MIIFLOW_MAX_RETRY_WAIT", "1")
        .args(["run", "agent_b", "--batch", "-", "--concurrency", "2"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(
        &err,
        "the server asks to wait 3 s (a quota); every worker holds until",
    );
    let r = parse_lines(&stdout(&out));
    assert_eq!(r.len(), 8);
    assert!(r.iter().all(|r| r["status"] == 200), "{r:?}");
    let requests = server.requests();
    // Answered 50 ms after it arrived; from then on nobody sent for three seconds.
    assert_held(&requests, 50, 150..2800);
    assert_eq!(requests.len(), 9, "8 lines and the one sent again");

    // With --timeout shorter than the wait, the line fails instead (and the rest go on).
    let server = Server::with(&["--latency", "50"]);
    let out = server
        .miiflow()
        .env("MIIFLOW_MAX_RETRY_WAIT", "1")
        .args(["run", "agent_b", "--batch", "-", "--timeout", "2"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_contains(&stderr(&out), "the server asks to wait 3 s");
    let r = parse_lines(&stdout(&out));
    assert_eq!(r[0]["status"], 429);
    assert!(r[1..].iter().all(|r| r["status"] == 200));
}
