//! `miiflow-mock`: the stand-in API itself, as a process (its command line, `exec`) and in this
//! test's process (its behaviour, read through curl as any client would).

use std::path::PathBuf;

use miiflow_mock::Running;

const KEY: &str = "mk_test_0123456789abcdef";

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn assert_contains(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "{needle:?} not in:\n{haystack}");
}

/// The stand-in in this process, accepting [`KEY`].
struct Server {
    url: String,
    _mock: Running,
}

impl Server {
    fn start() -> Server {
        Server::with(&[])
    }

    fn with(args: &[&str]) -> Server {
        let mut all = vec!["--key", KEY];
        all.extend_from_slice(args);
        let mock =
            Running::start(&all, miiflow_mock::Remember::Requests).expect("start the stand-in");
        Server {
            url: mock.url().to_owned(),
            _mock: mock,
        }
    }
}

fn mock() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_miiflow-mock"));
    cmd.env_remove("MIIFLOW_API_KEY")
        .env_remove("MIIFLOW_BASE_URL");
    cmd
}

/// PATH with the built binaries first, as after `cargo install`: `miiflow` is built beside
/// `miiflow-mock` by the workspace's `cargo build` or `cargo test`.
fn path_with_binaries() -> std::ffi::OsString {
    let bin_dir: PathBuf = PathBuf::from(env!("CARGO_BIN_EXE_miiflow-mock"))
        .parent()
        .unwrap()
        .to_owned();
    assert!(
        bin_dir
            .join(format!("miiflow{}", std::env::consts::EXE_SUFFIX))
            .exists(),
        "miiflow is not built beside miiflow-mock: run the workspace's cargo build or cargo test"
    );
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

#[path = "../../../tests/common/curl.rs"]
mod curl;
use curl::curl;

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
