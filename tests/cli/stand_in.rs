//! miiflow against the stand-in's canned answers and faults (the stand-in's own behaviour is
//! tested in its crate, `crates/miiflow-mock/tests`).

use crate::support::*;

#[path = "../common/curl.rs"]
mod curl;
use curl::curl;

#[test]
fn canned_answers_set_status_headers_and_stream_events() {
    let dir = temp();
    write(
        dir.path(),
        "agent_sse.json",
        r#"{"$mock": {"events": [{"step": 1}, {"step": 2, "done": true}], "event_delay_ms": 50}}"#,
    );
    write(
        dir.path(),
        "agent_busy.json",
        r#"{"$mock": {"status": 409, "headers": {"x-run": "r1"}, "body": {"error": "already running"}}}"#,
    );
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    let (code, body) = curl(&[
        "-H",
        &format!("Authorization: Bearer {KEY}"),
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"agent_id":"agent_sse","input":{}}"#,
        &format!("{}/api/v1/agent_run", server.url),
    ]);
    assert_eq!(code, 200);
    assert_eq!(
        body,
        "data: {\"step\":1}\n\ndata: {\"step\":2,\"done\":true}\n\n"
    );

    let out = server
        .miiflow()
        .args(["run", "agent_busy", "--include"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let text = stdout(&out);
    assert!(
        text.starts_with("HTTP/1.1 409 Conflict\n") && text.contains("x-run: r1\n"),
        "{text}"
    );
    assert!(text.ends_with(r#"{"error": "already running"}"#), "{text}");

    let out = server
        .miiflow()
        .args(["run", "agent_unknown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_contains(&stderr(&out), "agent agent_unknown not found");
}

#[test]
fn faults_are_consumed_in_order() {
    let server = Server::with(&["--fault", "503", "--fault", "429:7"]);
    let first = server
        .miiflow()
        .args(["run", "agent_1", "--retries", "0"])
        .output()
        .unwrap();
    assert_eq!(first.status.code(), Some(5));
    let second = server
        .miiflow()
        .args(["run", "agent_1", "--include", "--retries", "0"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(4));
    assert_contains(&stdout(&second), "retry-after: 7\n");
    server.miiflow().args(["run", "agent_1"]).assert().success();
}
