//! Retries, timeouts and secrecy, against the mock's fault injection. A workflow is never run
//! twice by accident: only refused connections, 429 and 503 are retried.

use std::time::{Duration, Instant};

use crate::support::*;

fn runs(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r["path"] == "/api/v1/agent_run")
        .count()
}

#[test]
fn rate_limits_are_retried_after_the_wait_the_server_asks_for() {
    let server = Server::with(&["--fault", "429:1", "--fault", "429:1"]);
    let started = Instant::now();
    let out = server
        .miiflow()
        .args(["run", "agent_1", "a=1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(runs(&server), 3);
    let err = stderr(&out);
    assert!(
        err.contains("HTTP 429 Too Many Requests; retrying in 1.0 s (Retry-After), attempt 2 of 4"),
        "{err}"
    );
    assert_contains(&err, "attempt 3 of 4");
    assert!(stdout(&out).contains(r#""output":{"a":"1"}"#));
}

#[test]
fn unavailable_is_retried_with_backoff() {
    let server = Server::with(&["--fault", "503"]);
    let out = server.miiflow().args(["run", "agent_1"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(runs(&server), 2);
    assert!(
        stderr(&out).contains("HTTP 503 Service Unavailable; retrying in 0."),
        "{}",
        stderr(&out)
    );
    let server = Server::with(&["--fault", "429"]);
    let out = server.miiflow().args(["run", "agent_1"]).output().unwrap();
    assert!(
        out.status.success(),
        "a 429 without Retry-After backs off: {}",
        stderr(&out)
    );
    assert_eq!(runs(&server), 2);
}

#[test]
fn answers_that_may_mean_the_workflow_ran_are_never_resent() {
    for (fault, code) in [
        ("500", 5),
        ("502", 5),
        ("504", 5),
        ("drop", 6),
        ("truncate", 6),
    ] {
        let server = Server::with(&["--fault", fault]);
        let out = server.miiflow().args(["run", "agent_1"]).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{fault}: {}", stderr(&out));
        assert_eq!(runs(&server), 1, "{fault}");
        assert!(
            !stderr(&out).contains("retrying"),
            "{fault}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn retries_give_up_after_the_limit_or_a_long_retry_after() {
    let server = Server::with(&["--fault", "503", "--fault", "503", "--fault", "503"]);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--retries", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(runs(&server), 2);
    let server = Server::with(&["--fault", "429"]);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--retries", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(runs(&server), 1);
    let server = Server::with(&["--fault", "429:3600"]);
    let out = server.miiflow().args(["run", "agent_1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(runs(&server), 1);
    assert_contains(
        &stderr(&out),
        "asks to wait 3600 s, longer than the 60 s miiflow waits",
    );
}

#[test]
fn a_refused_connection_is_retried_then_reported() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "--retries", "2", "--base-url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let err = stderr(&out);
    assert_eq!(err.matches("; retrying in ").count(), 2, "{err}");
    assert_contains(&err, "attempt 3 of 3");
    assert_contains(&err, "Connection refused");
}

#[test]
fn the_timeout_covers_the_whole_run() {
    let server = Server::with(&["--fault", "slow:30000"]);
    let started = Instant::now();
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--timeout", "1"])
        .output()
        .unwrap();
    // The answer would take 30 s.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(6));
    assert_contains(&stderr(&out), "no complete answer within 1 s (--timeout)");
    assert_eq!(runs(&server), 1);

    // Retries must fit in it too.
    let server = Server::with(&["--fault", "429:1", "--fault", "429:1"]);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--timeout", "1.5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_contains(&stderr(&out), "no time left under --timeout");
    assert_eq!(runs(&server), 2);
}

#[test]
fn a_connect_timeout_is_exit_6_naming_the_flag_and_is_not_retried() {
    // A loopback listener whose accept queue is full: further connections wait forever.
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket
        .bind(
            &"127.0.0.1:0"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
        )
        .unwrap();
    socket.listen(0).unwrap();
    let addr = socket.local_addr().unwrap().as_socket().unwrap();
    let mut held = Vec::new();
    while let Ok(stream) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
        held.push(stream);
        assert!(held.len() < 64, "the accept queue never filled");
    }
    let started = Instant::now();
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args([
            "run",
            "agent_1",
            "--connect-timeout",
            "0.5",
            "--base-url",
            &format!("http://{addr}"),
        ])
        .output()
        .unwrap();
    // Well short of the 10 s default that a forgotten flag would mean.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(6));
    assert_contains(
        &stderr(&out),
        &format!("could not connect to {addr} within 0.5 s (--connect-timeout)"),
    );
    assert!(!stderr(&out).contains("retrying"), "{}", stderr(&out));
}
