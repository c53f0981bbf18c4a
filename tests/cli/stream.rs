//! Server-sent events: one compact JSON line per event, flushed as each arrives.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;

fn sse_server(events: &str, delay_ms: u64) -> (Server, tempfile::TempDir) {
    let dir = temp();
    write(
        dir.path(),
        "agent_sse.json",
        format!(r#"{{"$mock": {{"events": {events}, "event_delay_ms": {delay_ms}}}}}"#),
    );
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    (server, dir)
}

#[test]
fn events_reach_the_reader_one_by_one() {
    let (server, _dir) = sse_server(
        r#"[{"step": 1}, {"step": 2}, {"step": 3, "done": true}]"#,
        400,
    );
    let started = Instant::now();
    let mut child = server
        .miiflow_std()
        .args(["run", "agent_sse"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines {
        seen.push((line.unwrap(), started.elapsed()));
    }
    assert!(child.wait().unwrap().success());
    let texts: Vec<&str> = seen.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        texts,
        [
            r#"{"step":1}"#,
            r#"{"step":2}"#,
            r#"{"step":3,"done":true}"#
        ]
    );
    // The first event came out while the others were still on their way.
    let (first, last) = (seen[0].1, seen[2].1);
    assert!(
        last - first >= Duration::from_millis(600),
        "first at {first:?}, last at {last:?}"
    );
}

#[test]
fn jq_applies_to_each_event_and_non_json_data_stays_a_string() {
    let (server, _dir) = sse_server(r#"[{"delta": "Hel"}, {"delta": "lo"}, "[DONE]"]"#, 0);
    let out = server
        .miiflow()
        .args(["run", "agent_sse", "--jq", ".delta? // .", "-r"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hel\nlo\n[DONE]\n");
}
