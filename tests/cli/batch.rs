//! `run --batch`: ordered result lines, failures in place, real concurrency, shared backoff,
//! Ctrl-C keeping what finished.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

fn results(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn three_hundred_lines_in_order_with_failures_in_place() {
    let dir = temp();
    let mut text = String::new();
    for n in 1..=300 {
        match n {
            100 | 200 => text.push_str(&format!("{{\"n\":{n},\"$fault\":\"500\"}}\n")),
            150 => text.push_str("{\"n\": oops}\n"),
            _ => text.push_str(&format!("{{\"n\":{n}}}\n")),
        }
    }
    let file = write(dir.path(), "in.jsonl", text);
    let server = Server::with(&["--latency", "5"]);
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--concurrency", "16", "tag=x", "--batch"])
        .arg(&file)
        .output()
        .unwrap();
    let lines = results(&out.stdout);
    assert_eq!(lines.len(), 300);
    for (i, line) in lines.iter().enumerate() {
        let n = i as u64 + 1;
        assert_eq!(line["line"], n, "{line}");
        match n {
            100 | 200 => {
                assert_eq!(line["status"], 500, "{line}");
                assert_eq!(line["body"]["error"], "injected fault: HTTP 500");
            }
            150 => {
                assert_eq!(line["status"], Value::Null);
                let error = line["error"].as_str().unwrap();
                assert!(
                    error.starts_with("line 150, column 7: expected value"),
                    "{error}"
                );
            }
            _ => {
                assert_eq!(line["status"], 200, "{line}");
                assert_eq!(line["body"]["output"]["n"], n);
                assert_eq!(line["body"]["output"]["tag"], "x");
            }
        }
    }
    // The first failed line decides the exit code: line 100, a 5xx.
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(&err, "300 lines, 297 succeeded, 3 failed");
    assert!(
        err.contains("3 of 300 lines failed; the first, line 100: HTTP 500"),
        "{err}"
    );
    // The bad line never reached the server; the 500s were not resent.
    assert_eq!(server.requests().len(), 299);
}

#[test]
fn bodies_are_embedded_byte_for_byte_and_non_json_as_strings() {
    let dir = temp();
    write(
        dir.path(),
        "agent_text.json",
        r#"{"$mock": {"body": "not used"}}"#,
    );
    let server = Server::start();
    let file = write(
        dir.path(),
        "in.jsonl",
        "{\"big\": 123456789012345678901234567890, \"f\": 1.50}\n",
    );
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        "{\"line\":1,\"status\":200,\"body\":{\"run_id\":\"run_mock000001\",\"agent_id\":\"agent_b\",\
         \"status\":\"completed\",\"output\":{\"big\":123456789012345678901234567890,\"f\":1.50}}}\n"
    );
    let dir2 = temp();
    write(
        dir2.path(),
        "agent_sse.json",
        r#"{"$mock": {"events": [{"a": 1}]}}"#,
    );
    let server = Server::with(&["--answers", dir2.path().to_str().unwrap()]);
    let out = server
        .miiflow()
        .args(["run", "agent_sse", "--batch", "-"])
        .write_stdin("{}\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        // Server-sent events under --batch: the body is the array of the events' data.
        "{\"line\":1,\"status\":200,\"body\":[{\"a\":1}]}\n"
    );
}

#[test]
fn requests_really_overlap() {
    // Each answer takes 3 s: had the runs gone one after another, the eighth would have
    // started at least 21 s after the first; started together, all come before any answer.
    let server = Server::with(&["--latency", "3000"]);
    let input: String = (1..=8).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-", "--concurrency", "8"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(results(&out.stdout).len(), 8);
    let starts: Vec<u64> = server
        .requests()
        .iter()
        .map(|r| r["ms"].as_u64().unwrap())
        .collect();
    assert!(
        starts.iter().max().unwrap() - starts.iter().min().unwrap() < 3000,
        "a run started only after another's answer: {starts:?}"
    );
}

#[test]
fn one_rate_limit_slows_every_worker() {
    let server = Server::with(&["--latency", "100"]);
    let mut input = String::from("{\"$fault\":\"429:1\"}\n");
    input.push_str(
        &(2..=12)
            .map(|n| format!("{{\"n\":{n}}}\n"))
            .collect::<String>(),
    );
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-", "--concurrency", "4"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = server.requests();
    assert_eq!(requests.len(), 13, "12 lines and one retry");
    // The 429 was answered 100 ms after it arrived; for one second after that, nobody sent.
    assert_held(&requests, 100, 150..900);
    assert_contains(&stderr(&out), "retrying in 1.0 s (Retry-After)");
}

#[test]
fn the_first_failed_line_sets_the_exit_code() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-", "--retries", "0"])
        .write_stdin("{\"a\":1}\n[1\n{\"$fault\":\"404\"}\n")
        .output()
        .unwrap();
    // A bad line among sent ones is a failure (1): exit 2 says that nothing was sent.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-", "--retries", "0"])
        .write_stdin("[1\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-", "--retries", "0"])
        .write_stdin("{\"$fault\":\"404\",\"k\":2}\n{\"$fault\":\"503\"}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "-"])
        .write_stdin("{\"$fault\":\"drop\"}\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert_eq!(results(&out.stdout)[0]["status"], Value::Null);
}

#[test]
fn batch_input_problems_are_refused_up_front() {
    let dir = temp();
    for (args, words) in [
        (
            &["--batch", "missing.jsonl"][..],
            "missing.jsonl: cannot read",
        ),
        (&["--batch", "."], "is a folder"),
        (
            &["--batch", "x.jsonl", "--input", "y.json"],
            "cannot be used with",
        ),
        (&["--concurrency", "4"], "--batch"),
        (
            &["--batch", "x.jsonl", "--concurrency", "0"],
            "0 is not in 1..=256",
        ),
    ] {
        let out = miiflow()
            .current_dir(dir.path())
            .env("MIIFLOW_API_KEY", KEY)
            .args(["run", "agent_b"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(words), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn ctrl_c_mid_batch_keeps_the_finished_lines() {
    let server = Server::with(&["--latency", "300"]);
    let dir = temp();
    let input: String = (1..=40).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let file = write(dir.path(), "in.jsonl", input);
    let mut child = server
        .miiflow_std()
        .args(["run", "agent_b", "--concurrency", "2", "--batch"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let started = Instant::now();
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    // The rest of the batch would take at least 5 s more: it stopped at once instead.
    assert!(started.elapsed() < Duration::from_secs(5));
    let lines = results(format!("{first}{rest}").as_bytes());
    assert!(!lines.is_empty() && lines.len() < 40, "{}", lines.len());
    let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    assert!(lines.iter().all(|l| l["status"] == 200));
}

#[test]
fn a_closed_stdout_stops_the_batch() {
    let server = Server::with(&["--latency", "50"]);
    let dir = temp();
    let input: String = (1..=200).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let file = write(dir.path(), "in.jsonl", input);
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' run agent_b --concurrency 2 --batch '{}' | head -n 1",
            assert_cmd::cargo::cargo_bin("miiflow").display(),
            file.display()
        ))
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    assert_eq!(results(&out.stdout).len(), 1);
    let err = stderr(&out);
    assert!(
        !err.contains("Broken pipe") && !err.contains("panicked"),
        "{err}"
    );
    assert!(
        server.requests().len() < 20,
        "{} runs after the reader left",
        server.requests().len()
    );
}

#[test]
fn bad_items_stop_a_batch_before_anything_is_sent() {
    let server = Server::start();
    let dir = temp();
    let file = write(dir.path(), "in.jsonl", "{\"n\":1}\n{\"n\":2}\n");
    let out = server
        .miiflow()
        .current_dir(dir.path())
        .args(["run", "agent_b", "note=@missing.txt", "--batch"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &stderr(&out),
        "item 'note=@missing.txt': missing.txt: cannot read",
    );
    assert!(out.stdout.is_empty());
    assert!(server.requests().is_empty());
    // A file item is read once and merged into every line.
    write(dir.path(), "note.txt", "hello");
    let out = server
        .miiflow()
        .current_dir(dir.path())
        .args(["run", "agent_b", "note=@note.txt", "--batch"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        results(&out.stdout)
            .iter()
            .all(|r| r["body"]["output"]["note"] == "hello")
    );
}
