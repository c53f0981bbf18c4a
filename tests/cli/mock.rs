//! `miiflow-mock`: the stand-in API itself.

use std::process::Command;

use assert_cmd::cargo::cargo_bin;

use crate::support::*;

fn mock() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(cargo_bin("miiflow-mock"));
    cmd.env_remove("MIIFLOW_API_KEY")
        .env_remove("MIIFLOW_BASE_URL");
    cmd
}

/// PATH with the built binaries first, as after `cargo install`.
fn path_with_binaries() -> std::ffi::OsString {
    let bin_dir = cargo_bin("miiflow").parent().unwrap().to_owned();
    let mut paths = vec![bin_dir];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

#[test]
fn exec_runs_the_demo() {
    let out = mock()
        .env("PATH", path_with_binaries())
        .args(["exec", "--", "miiflow", "run", "agent_demo", "city=Paris"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(&text, r#""output":{"city":"Paris"}"#);
}

#[test]
fn exec_passes_on_the_exit_code_and_sets_the_environment() {
    let out = mock()
        .args([
            "exec",
            "--",
            "sh",
            "-c",
            "echo \"$MIIFLOW_BASE_URL $MIIFLOW_API_KEY\"; exit 7",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7));
    let text = stdout(&out);
    assert!(
        text.starts_with("http://127.0.0.1:") && text.contains(" mk_mock_"),
        "{text}"
    );
    let out = mock()
        .args([
            "exec",
            "--key",
            "mk_given_key_1234",
            "--",
            "sh",
            "-c",
            "echo $MIIFLOW_API_KEY",
        ])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "mk_given_key_1234\n");
}

#[test]
fn help_says_it_is_not_miiflow() {
    let out = mock().arg("--help").output().unwrap();
    let text = stdout(&out);
    assert_contains(&text, "it is not Miiflow");
}

fn curl(args: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-sS", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("curl runs");
    let text = stdout(&out);
    let (body, code) = text.rsplit_once('\n').expect("a status line");
    (code.parse().expect("a status"), body.to_owned())
}

#[test]
fn key_api_is_stateful_and_checks_the_bearer() {
    let server = Server::start();
    let url = format!("{}/api/v1/api_keys", server.url);
    let auth = format!("Authorization: Bearer {KEY}");
    assert_eq!(curl(&[&url]).0, 401);
    let (code, body) = curl(&["-H", &auth, &url]);
    assert_eq!(code, 200);
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["name"], "mock");

    let (code, body) = curl(&[
        "-H",
        &auth,
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"name":"ci"}"#,
        &url,
    ]);
    assert_eq!(code, 201, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let (id, secret) = (
        created["id"].as_str().unwrap(),
        created["key"].as_str().unwrap(),
    );
    assert_eq!(created["name"], "ci");
    // The new key works at once.
    let (code, body) = curl(&["-H", &format!("Authorization: Bearer {secret}"), &url]);
    assert_eq!(code, 200);
    assert!(
        !body.contains(secret),
        "a listing never shows secrets: {body}"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let (code, _) = curl(&["-H", &auth, "-X", "DELETE", &format!("{url}/{id}")]);
    assert_eq!(code, 204);
    let (code, _) = curl(&["-H", &format!("Authorization: Bearer {secret}"), &url]);
    assert_eq!(code, 401, "a deleted key is revoked");
    let (code, _) = curl(&["-H", &auth, "-X", "DELETE", &format!("{url}/{id}")]);
    assert_eq!(code, 404);
}

#[test]
fn a_server_without_a_key_api_answers_404() {
    let server = Server::with(&["--no-key-api"]);
    let (code, _) = curl(&[
        "-H",
        &format!("Authorization: Bearer {KEY}"),
        &format!("{}/api/v1/api_keys", server.url),
    ]);
    assert_eq!(code, 404);
}

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
