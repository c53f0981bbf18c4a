//! login, logout, status and key precedence. The tests here need no keyring (plain-file storage,
//! or a keyring that is deliberately unreachable); `keyring.rs` has the real Secret Service.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;

fn login_plain(home: &Home, server: &Server, profile: &str, key: &str) {
    home.miiflow(server)
        .args([
            "login",
            "--with-key",
            "--insecure-storage",
            "--profile",
            profile,
        ])
        .write_stdin(format!("{key}\n"))
        .assert()
        .success();
}

#[test]
fn login_without_a_terminal_or_with_key_stops_at_once() {
    let home = Home::new();
    let server = Server::start();
    // stdin is a pipe that stays open: a login that read it would hang.
    let mut child = miiflow_std()
        .arg("login")
        .env("MIIFLOW_CONFIG_DIR", home.config_dir())
        .env("MIIFLOW_BASE_URL", &server.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let stdin = child.stdin.take();
    while child.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "login waited on stdin"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "--with-key");
    assert!(server.requests().is_empty());
}

#[test]
fn login_with_key_refuses_bad_keys() {
    let home = Home::new();
    let server = Server::start();
    for (stdin, why) in [
        ("", "empty"),
        ("\n", "empty"),
        ("mk_a b\n", "white space"),
        ("mk_a\n\n", "white space"),
    ] {
        let out = home
            .miiflow(&server)
            .args(["login", "--with-key", "--insecure-storage"])
            .write_stdin(stdin)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{stdin:?}");
        assert!(stderr(&out).contains(why), "{stdin:?}: {}", stderr(&out));
    }
    assert!(home.config().is_empty());
    assert!(server.requests().is_empty());
}

#[test]
fn a_refused_key_is_not_stored() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .args(["login", "--with-key", "--insecure-storage"])
        .write_stdin("mk_wrong_key_00000000\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("refused this key; it was not stored") && err.contains("HTTP 401"),
        "{err}"
    );
    assert!(!err.contains("mk_wrong_key_00000000"));
    assert!(home.config().is_empty());
    assert!(home.files_containing("mk_wrong_key").is_empty());
}

#[test]
fn a_key_that_cannot_be_checked_is_stored_with_a_note() {
    let home = Home::new();
    let server = Server::with(&["--no-key-api"]);
    let out = home
        .miiflow(&server)
        .args(["login", "--with-key", "--insecure-storage"])
        .write_stdin(KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(
        &stderr(&out),
        "could not be verified: this server has no key API",
    );

    let home = Home::new();
    let url = format!("http://127.0.0.1:{}", closed_port());
    let out = miiflow()
        .env("MIIFLOW_CONFIG_DIR", home.config_dir())
        .args([
            "login",
            "--with-key",
            "--insecure-storage",
            "--base-url",
            &url,
        ])
        .write_stdin(KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stderr(&out), "could not be verified: cannot connect");
    assert_contains(&home.config(), &url);
}

#[test]
fn plain_file_storage_from_login_to_logout() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .args(["login", "--with-key", "--insecure-storage"])
        .write_stdin(format!("{KEY}\n"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stderr(&out), "The key works");
    let key_file = home.config_dir().join("credentials/default.key");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), KEY);
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&key_file), 0o600);
        assert_eq!(mode(key_file.parent().unwrap()), 0o700);
    }
    // Only the opt-in plain file holds the secret; the config never does.
    assert_eq!(home.files_containing(KEY), vec![key_file.clone()]);
    assert_contains(&home.config(), "storage = \"plain-file\"");

    home.miiflow(&server)
        .args(["run", "agent_1", "a=1"])
        .assert()
        .success();
    let runs = server.requests();
    assert_eq!(
        runs.last().unwrap()["headers"]["authorization"],
        format!("Bearer {KEY}")
    );

    let out = home.miiflow(&server).args(["status"]).output().unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("mk_…cdef (plain file: "), "{text}");
    assert!(!text.contains(KEY), "{text}");
    let out = home
        .miiflow(&server)
        .args(["status", "--json"])
        .output()
        .unwrap();
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["active_source"], "plain-file");
    assert_eq!(status["profiles"][0]["storage"], "plain-file");
    assert_eq!(status["profiles"][0]["key"], "mk_…cdef");

    let out = home.miiflow(&server).args(["logout"]).output().unwrap();
    assert!(out.status.success());
    assert_contains(&stderr(&out), "does not revoke");
    assert!(!key_file.exists());
    let out = home.miiflow(&server).args(["logout"]).output().unwrap();
    assert!(out.status.success(), "logging out twice is fine");
    assert_contains(&stderr(&out), "nothing to do");
    let out = home.miiflow(&server).args(["status"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_contains(&stdout(&out), "none stored");
}

#[test]
fn the_environment_key_and_profiles_take_turns() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER]);
    login_plain(&home, &server, "default", KEY);
    let auth_of_last_run = || {
        let requests = server.requests();
        requests.last().unwrap()["headers"]["authorization"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // MIIFLOW_API_KEY beats the stored default; a successful run prints its status line only.
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", OTHER)
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(auth_of_last_run(), format!("Bearer {OTHER}"));
    let err = stderr(&out);
    assert!(
        err.starts_with("HTTP 200 OK") && err.lines().count() == 1,
        "{err}"
    );
    // -v says which key hides which, once; so does an auth error.
    let precedence = "takes precedence over the key stored for profile 'default'";
    for (args, env_key) in [
        (&["run", "agent_1", "-v"][..], OTHER),
        (&["run", "agent_1"], "mk_wrong_key_000000"),
    ] {
        let out = home
            .miiflow(&server)
            .env("MIIFLOW_API_KEY", env_key)
            .args(args)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(err.matches(precedence).count(), 1, "{args:?}: {err}");
    }
    // -q silences everything but errors.
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", OTHER)
        .args(["run", "agent_1", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        stderr(&out)
    );
    // An explicit --profile beats MIIFLOW_API_KEY.
    home.miiflow(&server)
        .env("MIIFLOW_API_KEY", OTHER)
        .args(["--profile", "default", "run", "agent_1"])
        .assert()
        .success();
    assert_eq!(auth_of_last_run(), format!("Bearer {KEY}"));
    // MIIFLOW_PROFILE picks the stored key when there is no env key.
    login_plain(&home, &server, "second", OTHER);
    home.miiflow(&server)
        .env("MIIFLOW_PROFILE", "second")
        .args(["run", "agent_1"])
        .assert()
        .success();
    assert_eq!(auth_of_last_run(), format!("Bearer {OTHER}"));
    // A profile with no key is exit 3, and names the way on.
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", OTHER)
        .args(["--profile", "nobody", "run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_contains(&stderr(&out), "miiflow login --profile nobody");
}

#[test]
fn no_keyring_at_all_is_a_clear_message_not_a_hang() {
    let home = Home::new();
    let server = Server::start();
    let started = Instant::now();
    let out = without_keyring(&mut home.miiflow(&server))
        .args(["login", "--with-key"])
        .write_stdin(KEY)
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for words in [
        "no D-Bus session bus",
        "no key was asked for",
        "MIIFLOW_API_KEY",
        "--insecure-storage",
    ] {
        assert!(err.contains(words), "{words}: {err}");
    }
    assert!(!err.contains(KEY));
    assert!(home.config().is_empty());

    // A profile recorded in the keyring, with the keyring gone: exit 3, saying which.
    std::fs::create_dir_all(home.config_dir()).unwrap();
    write(
        &home.config_dir(),
        "config.toml",
        "[profiles.default]\nstorage = \"keyring\"\n",
    );
    let out = without_keyring(&mut home.miiflow(&server))
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_contains(&stderr(&out), "the keyring could not be reached");
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r["path"] != "/api/v1/agent_run")
    );
}

#[test]
fn a_keyring_that_never_answers_times_out() {
    let dir = temp();
    let socket = dir.path().join("bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    // Accept and hold connections, answering nothing.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let home = Home::new();
    let started = Instant::now();
    // --no-verify: no server is asked, only the keyring.
    let out = miiflow()
        .env("MIIFLOW_CONFIG_DIR", home.config_dir())
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", socket.display()),
        )
        .env("MIIFLOW_KEYRING_TIMEOUT", "1")
        .args(["login", "--with-key", "--no-verify"])
        .write_stdin(KEY)
        .output()
        .unwrap();
    // The default would be 5 s.
    assert!(
        started.elapsed() < Duration::from_millis(4900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    assert_contains(&stderr(&out), "did not answer within 1 s");
}

#[test]
fn status_without_any_key_is_exit_3_and_json_says_so() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .args(["status", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["active_profile"], "default");
    assert_eq!(status["active_source"], serde_json::Value::Null);
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["status"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_contains(&stdout(&out), "Active key: MIIFLOW_API_KEY (mk_…cdef)");
}

#[test]
fn logout_all_forgets_every_profile() {
    let home = Home::new();
    let server = Server::start();
    login_plain(&home, &server, "one", KEY);
    login_plain(&home, &server, "two", KEY);
    let out = home
        .miiflow(&server)
        .args(["logout", "--all"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert_contains(&err, "profile 'one'");
    assert_contains(&err, "profile 'two'");
    assert!(home.files_containing(KEY).is_empty());
    let out = home
        .miiflow(&server)
        .args(["logout", "--all", "--profile", "one"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_flag_takes_a_key() {
    // The key is read from stdin, a prompt or the environment; a flag would put it in `ps`.
    for flag in ["--key", "--api-key", "--token"] {
        let out = miiflow().args(["login", flag, KEY]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag}");
    }
}

fn tty(home: &Home, server: &Server, env_key: bool, args: &str) -> Tty {
    let config = home.config_dir();
    let mut env = vec![
        ("MIIFLOW_CONFIG_DIR", config.to_str().unwrap()),
        ("MIIFLOW_BASE_URL", server.url.as_str()),
    ];
    if env_key {
        env.push(("MIIFLOW_API_KEY", KEY));
    }
    Tty::start(args, &env)
}

#[test]
fn login_asks_with_a_hidden_prompt_on_a_terminal() {
    let home = Home::new();
    let server = Server::start();
    let mut term = tty(&home, &server, false, "login --insecure-storage");
    term.expect("API key for profile 'default' (hidden)");
    term.expect_no_echo();
    term.send(&format!("{KEY}\r"));
    let (code, screen) = term.finish();
    assert_eq!(code, Some(0), "{screen:?}");
    assert!(!screen.contains(KEY), "the key is never echoed: {screen:?}");
    assert_contains(&screen, "Logged in: profile 'default'");
    assert_eq!(
        std::fs::read_to_string(home.config_dir().join("credentials/default.key")).unwrap(),
        KEY
    );
}

#[test]
fn keys_delete_asks_on_a_terminal_and_no_deletes_nothing() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER]);
    let prompt = "Revoke key 'mock-2' (key_mock0002)?";
    let mut term = tty(&home, &server, true, "keys delete mock-2");
    term.expect(prompt);
    term.send("n\r");
    let (code, screen) = term.finish();
    assert_eq!(code, Some(1));
    assert_contains(&screen, "nothing was deleted");
    assert_eq!(server.keys().len(), 2);

    // `y` alone does not revoke: a change of mind before Enter counts.
    let mut term = tty(&home, &server, true, "keys delete mock-2");
    term.expect(prompt);
    term.send("yn\r");
    let (code, _) = term.finish();
    assert_eq!(code, Some(1));
    assert_eq!(server.keys().len(), 2);
    let mut term = tty(&home, &server, true, "keys delete mock-2");
    term.expect(prompt);
    term.send("y\r");
    let (code, screen) = term.finish();
    assert_eq!(code, Some(0), "{screen:?}");
    assert_contains(&screen, "Revoked key 'mock-2'");
    assert_eq!(server.keys().len(), 1);
}

#[test]
fn ctrl_c_at_the_delete_confirmation_is_exit_130_quietly() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER]);
    let mut term = tty(&home, &server, true, "keys delete mock-2");
    term.expect("Revoke key 'mock-2'");
    term.send("\x03");
    let (code, screen) = term.finish();
    assert_eq!(code, Some(130), "{screen:?}");
    assert!(!screen.contains("error"), "{screen:?}");
    assert_eq!(server.keys().len(), 2);
}

#[test]
fn token_prints_the_key_in_use_for_scripts() {
    let home = Home::new();
    let server = Server::start();
    login_plain(&home, &server, "ci", KEY);
    let out = home
        .miiflow(&server)
        .args(["--profile", "ci", "token"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{KEY}\n"));
    assert!(out.stderr.is_empty(), "never logged: {}", stderr(&out));

    // The key a run would send: MIIFLOW_API_KEY when no --profile is given.
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", OTHER)
        .arg("token")
        .output()
        .unwrap();
    assert_eq!(stdout(&out), format!("{OTHER}\n"));

    // No key: exit 3, as for a run.
    let out = home.miiflow(&server).arg("token").output().unwrap();
    assert_eq!(out.status.code(), Some(3));

    // A round trip: the --curl command, filled by `miiflow token`, runs.
    let out = home
        .miiflow(&server)
        .args(["--profile", "ci", "run", "agent_1", "a=1", "--curl"])
        .output()
        .unwrap();
    assert_contains(
        &stderr(&out),
        "export MIIFLOW_API_KEY=$(miiflow token --profile ci)",
    );
    let curl = stdout(&out);
    let token = home
        .miiflow(&server)
        .args(["--profile", "ci", "token"])
        .output()
        .unwrap();
    let ran = std::process::Command::new("sh")
        .arg("-c")
        .arg(&curl)
        .env("MIIFLOW_API_KEY", stdout(&token).trim())
        .output()
        .unwrap();
    assert_contains(&stdout(&ran), r#""output":{"a":"1"}"#);
}

#[test]
fn token_on_a_terminal_asks_first() {
    let home = Home::new();
    let server = Server::start();
    login_plain(&home, &server, "default", KEY);
    let config = home.config_dir();
    let env = [
        ("MIIFLOW_CONFIG_DIR", config.to_str().unwrap()),
        ("MIIFLOW_BASE_URL", server.url.as_str()),
    ];
    let mut term = Tty::start("token", &env);
    term.expect("Print the API key mk_…cdef on this terminal?");
    term.send("n\r");
    let (code, screen) = term.finish();
    assert_eq!(code, Some(1));
    assert!(!screen.contains(KEY), "{screen:?}");
    let (code, screen) = Tty::start("token --show", &env).finish();
    assert_eq!(code, Some(0));
    assert_contains(&screen, KEY);
}
