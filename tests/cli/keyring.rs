//! End to end on a real Secret Service: `scripts/test` runs these inside a private D-Bus session
//! with gnome-keyring unlocked (see KEYRING-CI.md), and checks the stored items with
//! `secret-tool`, as a user's own tools would see them. Ignored by plain `cargo test`, so that
//! a developer's own keyring is never touched by accident.

use std::process::Command;

use crate::support::*;

fn require_private_keyring() {
    assert!(
        std::env::var_os("MIIFLOW_TEST_KEYRING").is_some(),
        "these tests write to the session's keyring: run them through scripts/test, which \
         starts a private one and sets MIIFLOW_TEST_KEYRING"
    );
}

/// What `secret-tool` finds for a profile: the secret, or None.
fn secret_tool(profile: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", "miiflow", "username", profile])
        .output()
        .expect("secret-tool runs");
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}

/// A profile name of this test's own, so parallel tests never share a keyring item.
fn unique(name: &str) -> String {
    format!("{name}-{}", std::process::id())
}

#[test]
#[ignore = "needs a private Secret Service: run scripts/test"]
fn login_run_status_logout_on_the_real_keyring() {
    require_private_keyring();
    let home = Home::new();
    let server = Server::start();
    let profile = unique("e2e");
    home.miiflow(&server)
        .args(["login", "--with-key", "--profile", &profile])
        .write_stdin(format!("{KEY}\n"))
        .assert()
        .success();
    assert_eq!(secret_tool(&profile).as_deref(), Some(KEY));
    assert!(
        home.files_containing(KEY).is_empty(),
        "the config folder never holds the secret"
    );
    assert_contains(&home.config(), "storage = \"keyring\"");

    // A separate process reads it back.
    home.miiflow(&server)
        .args(["--profile", &profile, "run", "agent_1", "a=1"])
        .assert()
        .success();
    assert_eq!(
        server.requests().last().unwrap()["headers"]["authorization"],
        format!("Bearer {KEY}")
    );
    let out = home
        .miiflow(&server)
        .args(["--profile", &profile, "status"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_contains(&stdout(&out), "mk_…cdef (keyring)");

    home.miiflow(&server)
        .args(["--profile", &profile, "logout"])
        .assert()
        .success();
    assert_eq!(secret_tool(&profile), None);
    home.miiflow(&server)
        .args(["--profile", &profile, "logout"])
        .assert()
        .success();
}

#[test]
#[ignore = "needs a private Secret Service: run scripts/test"]
fn keys_create_rotate_delete_on_the_real_keyring() {
    require_private_keyring();
    let home = Home::new();
    let server = Server::start();
    let name = unique("ci");
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "create", &name])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty(),
        "no --show: the secret is not printed"
    );
    let first = secret_tool(&name).expect("stored in the keyring");
    assert!(home.files_containing(&first).is_empty());
    assert_contains(&home.config(), "key_id = \"key_new0001\"");

    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "list"])
        .output()
        .unwrap();
    assert_contains(&stdout(&out), &format!("profile {name}"));

    let out = home
        .miiflow(&server)
        .args(["keys", "rotate", &name])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let second = secret_tool(&name).expect("still stored");
    assert_ne!(first, second);
    let ids: Vec<String> = server
        .keys()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["key_mock0001", "key_new0002"]);

    home.miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "delete", &name, "--yes"])
        .assert()
        .success();
    assert_eq!(secret_tool(&name), None);
    assert!(!home.config().contains(&name));
}

#[test]
#[ignore = "needs a private Secret Service: run scripts/test"]
fn a_locked_keyring_is_a_clear_message_not_a_hang() {
    require_private_keyring();
    // A session of its own whose gnome-keyring was started but never unlocked.
    let data = temp();
    let runtime = temp();
    let config = temp();
    let script = format!(
        "gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1; \
         printf %s '{KEY}' | '{}' login --with-key --no-verify",
        assert_cmd::cargo::cargo_bin("miiflow").display()
    );
    let started = std::time::Instant::now();
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script])
        .env("XDG_DATA_HOME", data.path())
        .env("XDG_RUNTIME_DIR", runtime.path())
        .env("MIIFLOW_CONFIG_DIR", config.path())
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_contains(&err, "the keyring is locked");
    assert_contains(&err, "--insecure-storage");
    assert!(!err.contains(KEY));
    assert!(!config.path().join("config.toml").exists());
}

/// `mcp token create|list|revoke` on the real keyring: the secret is stored where the API key
/// is (seen by `secret-tool` under `mcp-token+NAME`), config.toml keeps only its digest, and
/// revoking removes the item.
#[test]
#[ignore = "needs a private Secret Service: run scripts/test"]
fn mcp_tokens_on_the_real_keyring() {
    require_private_keyring();
    let home = Home::new();
    let server = Server::start();
    let name = unique("assistant");
    let account = format!("mcp-token+{name}");
    let out = home
        .miiflow(&server)
        .args(["mcp", "token", "create", &name])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).trim().to_owned();
    assert!(token.starts_with("mcp_") && token.len() == 68, "{token}");
    assert_eq!(secret_tool(&account).as_deref(), Some(token.as_str()));
    assert!(
        home.files_containing(&token).is_empty(),
        "the config folder never holds the token"
    );
    let digest = blake3::hash(token.as_bytes()).to_hex().to_string();
    assert_contains(&home.config(), &digest);
    let out = home
        .miiflow(&server)
        .args(["mcp", "token", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stdout(&out), &name);
    assert_contains(&stdout(&out), "keyring");
    assert!(!stdout(&out).contains(&token));

    home.miiflow(&server)
        .args(["mcp", "token", "revoke", &name])
        .assert()
        .success();
    assert_eq!(secret_tool(&account), None);
    assert!(!home.config().contains(&digest));
}
