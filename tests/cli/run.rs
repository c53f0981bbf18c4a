//! `miiflow run` through the real binary against the real mock.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn request_matches_the_documented_curl_command() {
    let server = Server::start();
    let input = r#"{"input_parameter_1":1,"input_parameter_2":"two"}"#;
    let dir = temp();
    let file = write(dir.path(), "in.json", input);
    server
        .miiflow()
        .args(["run", "agent_xxxYYYzzz", "--input"])
        .arg(&file)
        .assert()
        .success();
    // Miiflow's own example, sent by curl to the same server.
    let body = format!(r#"{{"agent_id":"agent_xxxYYYzzz","input":{input}}}"#);
    let status = Command::new("curl")
        .args(["-sS", "-o", "/dev/null", "-X", "POST"])
        .arg(format!("{}/api/v1/agent_run", server.url))
        .args(["-H", &format!("Authorization: Bearer {KEY}")])
        .args(["-H", "Content-Type: application/json", "-d", &body])
        .status()
        .expect("curl runs");
    assert!(status.success());
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let (ours, theirs) = (&requests[0], &requests[1]);
    for field in ["method", "path", "body"] {
        assert_eq!(ours[field], theirs[field], "{field}");
    }
    for header in ["authorization", "content-type"] {
        assert_eq!(
            ours["headers"][header], theirs["headers"][header],
            "{header}"
        );
    }
    assert_eq!(ours["method"], "POST");
    assert_eq!(ours["path"], "/api/v1/agent_run");
    assert_eq!(ours["headers"]["authorization"], format!("Bearer {KEY}"));
    assert_eq!(ours["headers"]["content-type"], "application/json");
}

#[test]
fn big_integers_and_spelling_reach_the_server_and_come_back_byte_for_byte() {
    let server = Server::start();
    let dir = temp();
    let input = "{\n  \"n\": 1234567890123456789012345,\n  \"f\": 1.50, \"e\": 1E+2,\n  \"s\": \"caf\\u00e9 \\/\", \"z\": -0\n}\n";
    let file = write(dir.path(), "in.json", input);
    let out = server
        .miiflow()
        .args(["run", "agent_big", "--input"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let sent = only_body(&server);
    assert_eq!(
        sent,
        format!(r#"{{"agent_id":"agent_big","input":{}}}"#, input.trim())
    );
    // The mock echoes the input raw; piped, we print exactly what it sent.
    let expected = format!(
        r#"{{"run_id":"run_mock000001","agent_id":"agent_big","status":"completed","output":{}}}"#,
        input.trim()
    );
    assert_eq!(out.stdout, expected.as_bytes());
}

#[test]
fn piped_body_is_exactly_the_servers_bytes() {
    let dir = temp();
    let answer =
        b"{ \"n\" : 12345678901234567890123456789 ,\n\"t\":\"\\u2603\\n\",  \"x\": [1.0e10]}\n\n";
    write(dir.path(), "agent_exact.json", answer);
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    let out = server
        .miiflow()
        .args(["run", "agent_exact"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(out.stdout, answer);
    let err = stderr(&out);
    assert!(err.starts_with("HTTP 200 OK · "), "{err}");
}

#[test]
fn items_merge_over_the_input_file_and_stdin() {
    let server = Server::start();
    let dir = temp();
    let file = write(dir.path(), "in.json", r#"{"keep":1.10,"o":{"a":1}}"#);
    server
        .miiflow()
        .args(["run", "agent_1", "--input"])
        .arg(&file)
        .args(["o[b]:=true", "tags[]=x", "name=Ada"])
        .assert()
        .success();
    assert_eq!(
        only_body(&server),
        r#"{"agent_id":"agent_1","input":{"keep":1.10,"o":{"a":1,"b":true},"tags":["x"],"name":"Ada"}}"#
    );
    let server = Server::start();
    server
        .miiflow()
        .args(["run", "agent_1", "--input", "-", "q=2"])
        .write_stdin("{\"q\": 1, \"r\": 2.0}\n")
        .assert()
        .success();
    assert_eq!(
        only_body(&server),
        r#"{"agent_id":"agent_1","input":{"q":"2","r":2.0}}"#
    );
}

#[test]
fn stdin_is_read_only_when_asked_for() {
    let server = Server::start();
    server
        .miiflow()
        .args(["run", "agent_1", "a=1"])
        .write_stdin("{\"ignored\": true}")
        .assert()
        .success();
    assert_eq!(
        only_body(&server),
        r#"{"agent_id":"agent_1","input":{"a":"1"}}"#
    );
}

#[test]
fn duplicate_keys_warn_and_the_last_wins() {
    let server = Server::start();
    let dir = temp();
    let file = write(dir.path(), "dup.json", r#"{"a":1,"b":2,"a":3}"#);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--input"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        stderr(&out).contains(r#"duplicate key ."a"; the last value wins"#),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        only_body(&server),
        r#"{"agent_id":"agent_1","input":{"a":3,"b":2}}"#
    );
}

#[test]
fn file_items_read_text_and_json() {
    let server = Server::start();
    let dir = temp();
    write(dir.path(), "note.txt", "line one\nline two\n");
    write(dir.path(), "cfg.json", r#"{"depth": 2.50}"#);
    server
        .miiflow()
        .current_dir(dir.path())
        .args(["run", "agent_1", "note=@note.txt", "cfg:=@cfg.json"])
        .assert()
        .success();
    assert_eq!(
        only_body(&server),
        r#"{"agent_id":"agent_1","input":{"note":"line one\nline two\n","cfg":{"depth": 2.50}}}"#
    );
}

#[test]
fn plain_http_is_refused_for_other_hosts() {
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "--base-url", "http://example.invalid"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &stderr(&out),
        "refusing to send the API key over plain http://",
    );
    // --allow-http lets it through (and then the name does not resolve: a network error).
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args([
            "run",
            "agent_1",
            "--allow-http",
            "--base-url",
            "http://example.invalid",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
}

#[test]
fn no_key_is_exit_3_and_nothing_is_sent() {
    let server = Server::start();
    let out = miiflow()
        .env("MIIFLOW_BASE_URL", &server.url)
        .args(["run", "agent_1", "a=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert_contains(&err, "miiflow login");
    assert_contains(&err, "MIIFLOW_API_KEY");
    assert!(server.requests().is_empty());
}

#[test]
fn exit_codes_follow_the_status_class_and_the_body_still_reaches_stdout() {
    for (fault, code) in [
        ("400", 4),
        ("404", 4),
        ("422", 4),
        ("403", 3),
        ("500", 5),
        ("503", 5),
    ] {
        let server = Server::with(&["--fault", fault]);
        let out = server
            .miiflow()
            .args(["run", "agent_1", "--retries", "0"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{fault}: {}", stderr(&out));
        assert_eq!(
            stdout(&out),
            format!(r#"{{"error":"injected fault: HTTP {fault}"}}"#)
        );
        let err = stderr(&out);
        assert_contains(&err, &format!("miiflow: error: HTTP {fault} "));
        assert_contains(&err, &format!("injected fault: HTTP {fault}"));
    }
}

#[test]
fn a_wrong_key_is_exit_3() {
    let server = Server::start();
    let out = server
        .miiflow()
        .env("MIIFLOW_API_KEY", "mk_wrong_key_000000000")
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_contains(
        &stderr(&out),
        "HTTP 401 Unauthorized: invalid or missing API key",
    );
    assert_contains(
        &stderr(&out),
        "the key was refused. The key sent was mk_…0000, from MIIFLOW_API_KEY",
    );
    assert!(!stderr(&out).contains("mk_wrong_key_000000000"));
}

#[test]
fn network_failures_are_exit_6() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "--base-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_contains(&stderr(&out), "cannot connect to 127.0.0.1:");

    for (fault, words) in [("drop", "failed"), ("truncate", "cut short")] {
        let server = Server::with(&["--fault", fault]);
        let out = server
            .miiflow()
            .args(["run", "agent_1", "a=1"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(6), "{fault}: {}", stderr(&out));
        assert!(stderr(&out).contains(words), "{fault}: {}", stderr(&out));
    }

    let server = Server::with(&["--fault", "slow:3000"]);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--timeout", "0.3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert_contains(&stderr(&out), "0.3 s (--timeout)");
}

#[test]
fn a_cross_origin_redirect_is_refused_and_the_other_server_sees_nothing() {
    let other = Server::start();
    let target = format!("redirect:{}/api/v1/agent_run", other.url);
    let server = Server::with(&["--fault", &target]);
    let out = server.miiflow().args(["run", "agent_1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains(&stderr(&out), "refused a redirect");
    assert!(other.requests().is_empty());
}

#[test]
fn a_same_origin_redirect_is_followed_with_the_key() {
    let server = Server::start();
    let redirecting = Server::with(&["--fault", "redirect:/api/v1/agent_run"]);
    let _ = server;
    let out = redirecting
        .miiflow()
        .args(["run", "agent_1", "a=1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = redirecting.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1]["headers"]["authorization"],
        format!("Bearer {KEY}")
    );
}

#[test]
fn ctrl_c_ends_a_run_with_130() {
    let server = Server::with(&["--fault", "slow:30000"]);
    let child = server
        .miiflow_std()
        .args(["run", "agent_1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    server.wait_for_requests(1);
    let started = Instant::now();
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130));
    // The answer would take 30 s: Ctrl-C ended the run long before.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = temp();
    let big = format!(r#"{{"data":"{}"}}"#, "x".repeat(4 << 20));
    write(dir.path(), "agent_big.json", &big);
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    let out = shell("miiflow run agent_big | head -c1")
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"{");
    let err = stderr(&out);
    assert!(
        !err.contains("Broken pipe") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn output_options() {
    let server = Server::start();
    let dir = temp();
    let target = dir.path().join("answer.json");
    let out = server
        .miiflow()
        .args(["run", "agent_1", "a=1", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let saved = std::fs::read_to_string(&target).unwrap();
    assert!(saved.ends_with(r#""output":{"a":"1"}}"#), "{saved}");

    // A folder that does not exist: refused before anything is sent.
    let runs_before = server.requests().len();
    let out = server
        .miiflow()
        .args(["run", "agent_1", "-o"])
        .arg(dir.path().join("no/such/folder/answer.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "no such folder");
    assert_eq!(server.requests().len(), runs_before);

    let out = server
        .miiflow()
        .args(["run", "agent_1", "a=1", "--include"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.starts_with("HTTP/1.1 200 OK\n"), "{text}");
    assert_contains(&text, "content-type: application/json\n");
    assert!(text.ends_with("\n\n{\"run_id\":\"run_mock000002\",\"agent_id\":\"agent_1\",\"status\":\"completed\",\"output\":{\"a\":\"1\"}}"), "{text}");

    let out = server
        .miiflow()
        .args(["run", "agent_1", "city=Paris", "--jq", ".output.city", "-r"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "Paris\n");
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_1",
            "n:=123456789012345678901234567",
            "--jq",
            ".output",
            "-c",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "{\"n\":123456789012345678901234567}\n");

    let filtered = dir.path().join("city.txt");
    server
        .miiflow()
        .args([
            "run",
            "agent_1",
            "city=Oslo",
            "--jq",
            ".output.city",
            "-r",
            "-o",
        ])
        .arg(&filtered)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&filtered).unwrap(), "Oslo\n");

    let out = server
        .miiflow()
        .args(["run", "agent_1", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn a_failed_answer_is_never_filtered() {
    let server = Server::with(&["--fault", "404"]);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--jq", ".output", "-r"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(stdout(&out), r#"{"error":"injected fault: HTTP 404"}"#);
}

#[test]
fn verbose_masks_the_key_everywhere() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_1", "-vv", "a=1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert_contains(&err, "> Authorization: Bearer mk_…cdef");
    assert_contains(&err, "< HTTP/1.1 200 OK");
    assert_contains(&err, r#"{"agent_id":"agent_1","input":{"a":"1"}}"#);
    assert!(!err.contains(KEY) && !stdout(&out).contains(KEY));
}

#[test]
fn dry_run_sends_nothing_and_masks_the_key() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--dry-run", "a=1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("POST {}/api/v1/agent_run\n", server.url)),
        "{text}"
    );
    assert_contains(&text, "Authorization: Bearer mk_…cdef\n");
    assert!(
        text.ends_with("\n\n{\"agent_id\":\"agent_1\",\"input\":{\"a\":\"1\"}}\n"),
        "{text}"
    );
    assert!(!text.contains(KEY));
    assert!(server.requests().is_empty());
}

#[test]
fn the_curl_command_works_and_reads_the_key_from_the_environment() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_1",
            "--curl",
            "q=it's \"quoted\"",
            "n:=12345678901234567890123",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let curl = stdout(&out);
    assert!(!curl.contains(KEY), "{curl}");
    assert!(server.requests().is_empty());
    let ran = Command::new("sh")
        .arg("-c")
        .arg(&curl)
        .env("MIIFLOW_API_KEY", KEY)
        .output()
        .unwrap();
    assert!(ran.status.success());
    assert_eq!(
        only_body(&server),
        r#"{"agent_id":"agent_1","input":{"q":"it's \"quoted\"","n":12345678901234567890123}}"#
    );
}

#[test]
fn terminal_output_is_pretty_and_coloured_and_keeps_numbers() {
    let dir = temp();
    write(
        dir.path(),
        "agent_t.json",
        r#"{"n":12345678901234567890123,"s":"\u00e9"}"#,
    );
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    let bin = assert_cmd::cargo::cargo_bin("miiflow");
    // `script` gives the command a terminal for stdout and stderr.
    let out = Command::new("script")
        .args([
            "-qec",
            &format!("'{}' run agent_t", bin.display()),
            "/dev/null",
        ])
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("\x1b[34;1m\"n\"\x1b[0m: \x1b[36m12345678901234567890123\x1b[0m"),
        "{text:?}"
    );
    assert!(text.contains("\"\\u00e9\""), "{text:?}");
    assert!(text.contains("HTTP 200 OK"), "{text:?}");
    // NO_COLOR keeps it pretty but plain.
    let out = Command::new("script")
        .args([
            "-qec",
            &format!("'{}' run agent_t", bin.display()),
            "/dev/null",
        ])
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("{\r\n  \"n\": 12345678901234567890123,\r\n"),
        "{text:?}"
    );
    assert!(!text.contains("\x1b[3"), "{text:?}");
}

#[test]
fn no_spinner_or_colour_when_stderr_is_not_a_terminal() {
    let server = Server::with(&["--latency", "300"]);
    let started = Instant::now();
    let out = server.miiflow().args(["run", "agent_1"]).output().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    let err = stderr(&out);
    assert!(
        err.starts_with("HTTP 200 OK · 0.") && err.ends_with(" s\n"),
        "{err:?}"
    );
    assert_eq!(err.lines().count(), 1, "{err:?}");
}

#[test]
fn help_documents_exit_codes() {
    let out = miiflow().arg("--help").output().unwrap();
    let text = stdout(&out);
    for line in [
        "3    no API key",
        "6    network",
        "130  interrupted",
        "MIIFLOW_BASE_URL",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
}

/// Strips the SGR colour sequences the printer adds.
fn strip_colour(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find('m').expect("an SGR sequence ends with m");
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn colour_policy_on_a_pipe() {
    let dir = temp();
    let answer = "{ \"n\" : 12345678901234567890123,\n  \"s\":\"\\u00e9\" }";
    write(dir.path(), "agent_t.json", answer);
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = server.miiflow();
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(["run", "agent_t"]).args(args).output().unwrap()
    };
    // Plain pipe: exact bytes.
    assert_eq!(stdout(&run(&[], &[])), answer);
    // Colour forced, by the variable or the flag: colour is added, the bytes stay.
    for out in [
        run(&[("CLICOLOR_FORCE", "1")], &[]),
        run(&[], &["--color", "always"]),
        run(&[("NO_COLOR", "1")], &["--color", "always"]),
    ] {
        let text = stdout(&out);
        assert!(
            text.contains("\x1b[36m12345678901234567890123\x1b[0m"),
            "{text:?}"
        );
        assert_eq!(strip_colour(&text), answer);
    }
    // NO_COLOR beats CLICOLOR_FORCE; --color never beats both.
    assert_eq!(
        stdout(&run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[])),
        answer
    );
    assert_eq!(
        stdout(&run(&[("CLICOLOR_FORCE", "1")], &["--color", "never"])),
        answer
    );
    // CLICOLOR_FORCE=0 is off.
    assert_eq!(stdout(&run(&[("CLICOLOR_FORCE", "0")], &[])), answer);
    // The status line on stderr follows the same policy.
    let err = stderr(&run(&[], &["--color", "always"]));
    assert!(err.starts_with("\x1b[32;1mHTTP 200 OK\x1b[0m"), "{err:?}");
}

#[test]
fn colour_on_a_terminal_follows_the_flag() {
    let server = Server::start();
    let bin = assert_cmd::cargo::cargo_bin("miiflow");
    let on_terminal = |args: &str| {
        let out = Command::new("script")
            .args([
                "-qec",
                &format!("'{}' run agent_1 a=1 {args}", bin.display()),
                "/dev/null",
            ])
            .env("MIIFLOW_BASE_URL", &server.url)
            .env("MIIFLOW_API_KEY", KEY)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .unwrap();
        stdout(&out)
    };
    let plain = on_terminal("--color never");
    // (The spinner's line clearing stays; colour goes.)
    assert!(
        !plain.contains("\x1b[0m") && !plain.contains("\x1b[3"),
        "{plain:?}"
    );
    assert_contains(&plain, "\"a\": \"1\"");
    let coloured = on_terminal("--color auto");
    assert_contains(&coloured, "\x1b[34;1m\"a\"\x1b[0m");
}

#[test]
fn dry_run_without_a_key_still_prints_and_warns() {
    let out = miiflow()
        .args(["run", "agent_1", "a=1", "--dry-run"])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/miiflow-test-bus",
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(&text, "POST https://api.miiflow.ai/api/v1/agent_run");
    assert_contains(&text, "Bearer <no key");
    assert_contains(&stderr(&out), "a real run would stop here (exit 3)");
}

#[test]
fn version_names_the_commit_and_what_was_compiled_in() {
    let head = std::process::Command::new("git")
        .args(["log", "-1", "--format=%h %cs", "--abbrev=9"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let out = miiflow().arg("--version").output().unwrap();
    let text = stdout(&out);
    assert!(
        text.starts_with(concat!("miiflow ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    if head.status.success() {
        // Built from this checkout: the commit and its date follow.
        let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
        assert_contains(&text, &format!("({head})"));
    }
    let out = miiflow().args(["version", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
    assert!(v["target"].as_str().unwrap().contains("linux"), "{v}");
    assert_eq!(v["keyring_stores"][0], "secret-service");
    assert!(v["tls"].as_str().unwrap().starts_with("rustls"));
}
