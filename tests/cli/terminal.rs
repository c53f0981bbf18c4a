//! What a person sees on a real terminal (issue 10): no stale spinner or bar lines, Ctrl-C
//! leaves a clean screen. The screen is replayed from the bytes the terminal received.

use crate::support::*;

fn run_on_tty(server: &Server, args: &str) -> (Option<i32>, Vec<String>) {
    let term = Tty::start(
        args,
        &[("MIIFLOW_BASE_URL", &server.url), ("MIIFLOW_API_KEY", KEY)],
    );
    let (code, raw) = term.finish();
    (code, screen(&raw))
}

fn no_bar_left(lines: &[String]) {
    for line in lines {
        assert!(
            !line.contains("running agent") && !line.contains(" done ·") && !line.contains('⠁'),
            "a stale bar line: {line:?} in\n{lines:#?}"
        );
    }
}

#[test]
fn include_leaves_no_spinner_above_the_head() {
    let server = Server::with(&["--latency", "400"]);
    let (code, lines) = run_on_tty(&server, "run agent_1 a=1 --include");
    assert_eq!(code, Some(0));
    no_bar_left(&lines);
    assert_eq!(lines[0], "HTTP/1.1 200 OK", "{lines:#?}");
}

#[test]
fn events_stream_with_no_spinner_between_them() {
    let dir = temp();
    write(
        dir.path(),
        "agent_sse.json",
        r#"{"$mock": {"events": [{"step": 1}, {"step": 2}, {"step": 3}], "event_delay_ms": 300}}"#,
    );
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    let (code, lines) = run_on_tty(&server, "run agent_sse");
    assert_eq!(code, Some(0));
    no_bar_left(&lines);
    let events: Vec<&String> = lines.iter().filter(|l| l.starts_with('{')).collect();
    assert_eq!(
        events,
        [r#"{"step":1}"#, r#"{"step":2}"#, r#"{"step":3}"#],
        "{lines:#?}"
    );
}

#[test]
fn a_batch_on_a_terminal_leaves_only_results_and_the_summary() {
    let server = Server::with(&["--latency", "150"]);
    let dir = temp();
    let input: String = (1..=6).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let file = write(dir.path(), "in.jsonl", input);
    let (code, lines) = run_on_tty(
        &server,
        &format!("run agent_b --concurrency 2 --batch '{}'", file.display()),
    );
    assert_eq!(code, Some(0));
    no_bar_left(&lines);
    let results = lines.iter().filter(|l| l.starts_with("{\"line\":")).count();
    assert_eq!(results, 6, "{lines:#?}");
}

#[test]
fn ctrl_c_clears_the_spinner_and_says_nothing_more() {
    let server = Server::with(&["--fault", "slow:30000"]);
    let mut term = Tty::start(
        "run agent_1",
        &[("MIIFLOW_BASE_URL", &server.url), ("MIIFLOW_API_KEY", KEY)],
    );
    term.expect("running agent_1");
    term.send("\x03");
    let (code, raw) = term.finish();
    assert_eq!(code, Some(130));
    let lines = screen(&raw);
    no_bar_left(&lines);
    assert!(!raw.contains("error"), "{raw:?}");
    // The spinner never reached the last column, so the echoed ^C did not wrap.
    for line in raw.split(['\r', '\n']) {
        assert!(line.chars().count() < 80, "{line:?}");
    }
}

#[test]
fn base_url_mistakes_are_explained_before_anything_is_sent() {
    for (url, says) in [
        (
            "https://api.miiflow.ai/api/v1/agent_run",
            "that includes /api/v1/agent_run, which miiflow adds itself; use https://api.miiflow.ai",
        ),
        (
            "https://api.miiflow.ai/api/v1",
            "that includes /api/v1, which miiflow adds itself; use https://api.miiflow.ai",
        ),
        (
            "example.com",
            "start it with https:// (https://example.com)",
        ),
    ] {
        let out = miiflow()
            .env("MIIFLOW_API_KEY", KEY)
            .args(["run", "agent_1", "--base-url", url])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{url}");
        assert_contains(&stderr(&out), says);
    }
}

#[test]
fn a_404_names_the_url_and_what_to_check() {
    let dir = temp();
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    let out = server
        .miiflow()
        .args(["run", "agent_nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_contains(
        &stderr(&out),
        &format!(
            "POST {}/api/v1/agent_run answered 404: check the agent id ('agent_nope') and the \
             base URL (from MIIFLOW_BASE_URL)",
            server.url
        ),
    );
}

#[test]
fn errors_speak_in_one_voice() {
    // clap's usage errors and ours share the prefix.
    let out = miiflow().args(["run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("miiflow: error: "),
        "{}",
        stderr(&out)
    );
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "x", "--bogus"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).starts_with("miiflow: error: unexpected argument"),
        "{}",
        stderr(&out)
    );
    // Colour only on a terminal.
    assert!(!stderr(&out).contains('\x1b'));
    let (code, raw) = Tty::start("run x --bogus", &[]).finish();
    assert_eq!(code, Some(2));
    assert_contains(&raw, "miiflow: \x1b[1;31merror:\x1b[0m unexpected argument");
}

#[test]
fn unreachable_servers_name_where_their_address_came_from() {
    // A host that does not exist is not retried.
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args([
            "run",
            "agent_1",
            "--base-url",
            "https://no-such-host.invalid",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let err = stderr(&out);
    assert_contains(&err, "cannot find the host no-such-host.invalid");
    assert_contains(&err, "(the base URL is from --base-url)");
    assert!(!err.contains("retrying"), "{err}");

    let port = closed_port();
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .env("MIIFLOW_BASE_URL", format!("http://127.0.0.1:{port}"))
        .args(["run", "agent_1", "--retries", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert_contains(&stderr(&out), "(the base URL is from MIIFLOW_BASE_URL)");
}

#[test]
fn dry_run_is_coloured_on_a_terminal_and_plain_in_a_pipe() {
    let (code, raw) = Tty::start("run agent_1 a=1 --dry-run", &[("MIIFLOW_API_KEY", KEY)]).finish();
    assert_eq!(code, Some(0));
    assert_contains(&raw, "\x1b[32;1mPOST\x1b[0m");
    assert_contains(&raw, "\x1b[34;1mAuthorization\x1b[0m: Bearer mk_…cdef");
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "a=1", "--dry-run"])
        .output()
        .unwrap();
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn input_from_a_terminal_says_it_is_waiting() {
    let server = Server::start();
    let mut term = Tty::start(
        "run agent_1 --input -",
        &[("MIIFLOW_BASE_URL", &server.url), ("MIIFLOW_API_KEY", KEY)],
    );
    term.expect("reading the input from this terminal; end it with Ctrl-D");
    term.send("{\"q\": 1}\n\x04");
    let (code, raw) = term.finish();
    assert_eq!(code, Some(0), "{raw:?}");
    assert_eq!(
        only_body(&server),
        r#"{"agent_id":"agent_1","input":{"q": 1}}"#
    );
}

#[test]
fn a_bare_word_as_json_suggests_a_string() {
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "days:=three"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "write 'days=three'");
}
