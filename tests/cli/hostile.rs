//! A hostile or broken server: endless, deep and huge answers, escape sequences, echoed keys
//! (issue 9, items 8–15).

use std::io::{BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// `miiflow` pointed at a raw server, with the test key.
fn at(server: &RawServer) -> assert_cmd::Command {
    let mut cmd = miiflow();
    cmd.env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY);
    cmd
}

fn at_std(server: &RawServer) -> Command {
    let mut cmd = miiflow_std();
    cmd.env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY);
    cmd
}

#[test]
fn an_endless_error_body_streams_to_a_pipe() {
    let server = RawServer::endless(
        "500 Internal Server Error",
        "text/plain",
        b"",
        &[b'e'; 65536],
    );
    let mut child = at_std(&server)
        .args(["run", "agent_1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // 64 MiB come through while the answer is still going: nothing holds it all.
    read_at_least(&mut child.stdout.take().unwrap(), 64 << 20);
    let status = child.wait().unwrap();
    assert_ne!(status.code(), Some(101));
}

#[test]
fn what_must_be_held_is_capped_with_a_clear_error() {
    // A filter needs the whole answer.
    let server = RawServer::endless("200 OK", "application/json", b"[", &b"1,".repeat(32768));
    let out = at(&server)
        .env("MIIFLOW_MAX_BUFFER", "1M")
        .args(["run", "agent_1", "--jq", "length"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(&err, "larger than 1 MiB");
    assert_contains(&err, "MIIFLOW_MAX_BUFFER");

    // One server-sent event that never ends.
    let server = RawServer::endless("200 OK", "text/event-stream", b"data: \"", &[b'x'; 65536]);
    let out = at(&server)
        .env("MIIFLOW_MAX_BUFFER", "1M")
        .args(["run", "agent_1"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains(&stderr(&out), "one server-sent event is larger than 1 MiB");
}

#[test]
fn a_body_too_large_to_lay_out_is_printed_as_it_comes() {
    // Colour forced on a pipe holds the body to colour it; past the limit it streams instead.
    let server = RawServer::endless("200 OK", "application/json", b"[", &b"1,".repeat(32768));
    let mut child = at_std(&server)
        .env("MIIFLOW_MAX_BUFFER", "1M")
        .env("CLICOLOR_FORCE", "1")
        .args(["run", "agent_1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    read_at_least(&mut child.stdout.take().unwrap(), 8 << 20);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    assert_contains(&err, "larger than 1 MiB; printing it as received");
}

#[test]
fn a_deep_answer_is_refused_by_jq_and_kept() {
    let depth = 20_000;
    let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let server = RawServer::fixed("200 OK\r\ncontent-type: application/json", body.clone());
    let out = at(&server)
        .args(["run", "agent_1", "--jq", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(&err, "nests 20000 levels deep");
    assert_contains(&err, "HTTP 200 OK");
    assert_contains(
        &err,
        "the run succeeded (HTTP 200 OK) and its answer was printed to stdout unfiltered",
    );
    assert_eq!(stdout(&out), body);

    // Coloured, the output stays proportional to the answer.
    let out = at(&server)
        .env("CLICOLOR_FORCE", "1")
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stdout.len() < body.len() * 20,
        "{} bytes",
        out.stdout.len()
    );
}

#[test]
fn a_failing_filter_keeps_the_answer_and_says_the_run_succeeded() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_1", "a=1", "--jq", ".output.a | error"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_contains(&err, "HTTP 200 OK");
    assert_contains(&err, "the run succeeded (HTTP 200 OK)");
    assert_contains(&stdout(&out), r#""output":{"a":"1"}"#);
}

#[test]
fn an_endless_filter_stops_at_the_timeout_and_on_ctrl_c() {
    let server = Server::start();
    let started = Instant::now();
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_1",
            "--timeout",
            "2",
            "--jq",
            "last(range(1e15))",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains(&stderr(&out), "--jq did not finish within 2 s (--timeout)");
    // It would run for days.
    assert!(started.elapsed() < Duration::from_secs(30));

    let mut child = server
        .miiflow_std()
        .args(["run", "agent_1", "-v", "--jq", "last(range(1e15))"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The answer's head is in: the filter runs as soon as its short body is.
    let mut err = BufReader::new(child.stderr.take().unwrap());
    wait_for_line(&mut err, "< HTTP/1.1 200");
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
}

#[test]
fn server_text_cannot_drive_the_terminal_or_show_the_key() {
    let body = format!(r#"{{"error":"\u001b]0;pwned\u0007\u001b[2J key {KEY} refused"}}"#);
    let server = RawServer::fixed("401 Unauthorized\r\ncontent-type: application/json", body);
    let out = at(&server).args(["run", "agent_1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
    assert_contains(&err, "\\x1b]0;pwned\\x07");
    assert!(!err.contains(KEY), "{err}");
    assert_contains(&err, "key mk_…cdef refused");
    assert!(!stdout(&out).contains(KEY), "{}", stdout(&out));

    // Key names in a table.
    let list = r#"[{"id":"key_1","name":"evil\u001b[31mred","created_at":"2026-01-01"}]"#;
    let server = RawServer::fixed("200 OK\r\ncontent-type: application/json", list);
    let out = at(&server).args(["keys", "list"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains('\x1b'), "{text:?}");
    assert_contains(&text, "evil\\x1b[31mred");
}

#[test]
fn a_base_url_with_a_password_is_refused_without_echoing_it() {
    for extra in [&[][..], &["--dry-run"][..], &["--curl"][..], &["-v"][..]] {
        let out = miiflow()
            .env("MIIFLOW_API_KEY", KEY)
            .args([
                "run",
                "agent_1",
                "--base-url",
                "https://user:hunter2@api.example.com",
            ])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!all.contains("hunter2"), "{all}");
        assert_contains(&all, "USER:PASSWORD@");
    }
}

#[test]
fn out_of_range_durations_are_usage_errors() {
    for flag in ["--timeout", "--connect-timeout"] {
        let out = miiflow()
            .env("MIIFLOW_API_KEY", KEY)
            .args(["run", "agent_1", flag, "9.3e18"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_contains(&stderr(&out), "out of range");
    }
}

#[test]
fn an_endless_key_list_is_refused_at_its_cap_and_the_key_api_echo_is_masked() {
    // The key API reads its answers with the engine's reader: an endless list stops at 8 MiB.
    let server = RawServer::endless("200 OK", "application/json", b"[", &b"{},".repeat(20000));
    let out = at(&server)
        .args(["keys", "list"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_contains(&stderr(&out), "larger than 8 MiB: not what a key list is");
    // An error that repeats the key has it masked.
    let server = RawServer::fixed(
        "403 Forbidden\r\ncontent-type: application/json",
        format!("{{\"error\":\"key {KEY} may not list keys\"}}"),
    );
    let out = at(&server).args(["keys", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains(KEY), "{err}");
    assert_contains(&err, "may not list keys");
}

/// Found by the `input_json` fuzz target: with serde_json's arbitrary precision, an object whose
/// only key is `$serde_json::private::Number` reads as a number. `history show` embeds the
/// input and the answer as they are: such an answer stays the object it was.
#[test]
fn history_show_embeds_an_answer_that_looks_like_serde_s_number_token_as_it_is() {
    let answer = r#"{"$serde_json::private::Number":"123"}"#;
    let raw = RawServer::fixed("200 OK\r\ncontent-type: application/json", answer);
    let data = temp();
    let with_data = |cmd: &mut assert_cmd::Command| {
        cmd.env("MIIFLOW_DATA_DIR", data.path());
    };
    let mut run = at(&raw);
    with_data(&mut run);
    let out = run.args(["run", "agent_1", "n:=1.50"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), answer);
    let mut show = at(&raw);
    with_data(&mut show);
    let out = show.args(["history", "show", "1"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(r#""output":{answer}"#)),
        "the answer was changed: {text}"
    );
    assert!(text.contains(r#""input":{"n":1.50}"#), "{text}");
}
