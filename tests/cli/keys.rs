//! `miiflow keys …` against the mock's key API, without a keyring (plain-file profiles, or a
//! keyring made unreachable on purpose).

use crate::support::*;

fn names(server: &Server) -> Vec<String> {
    server
        .keys()
        .iter()
        .map(|k| k["name"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(server: &Server) -> Vec<String> {
    server
        .keys()
        .iter()
        .map(|k| k["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A plain-file profile holding `key`, with its server id known (as `keys create` records it).
fn plain_profile(home: &Home, profile: &str, key: &str, id: Option<&str>) {
    let dir = home.config_dir();
    std::fs::create_dir_all(dir.join("credentials")).unwrap();
    let mut config = std::fs::read_to_string(dir.join("config.toml")).unwrap_or_default();
    config.push_str(&format!("[profiles.{profile}]\nstorage = \"plain-file\"\n"));
    if let Some(id) = id {
        config.push_str(&format!("key_id = \"{id}\"\n"));
    }
    write(&dir, "config.toml", config);
    write(&dir.join("credentials"), &format!("{profile}.key"), key);
}

#[test]
fn create_no_store_prints_the_secret_once_and_stores_nothing() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "create", "ci", "--no-store"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let secret = stdout(&out);
    let secret = secret.strip_suffix('\n').unwrap();
    assert!(!secret.is_empty() && !secret.contains('\n'));
    assert_contains(&stderr(&out), "Created key 'ci' (key_new0001)");
    assert!(!stderr(&out).contains(secret));
    assert_eq!(names(&server), ["mock", "ci"]);
    assert!(home.config().is_empty());
    // The printed key works.
    home.miiflow(&server)
        .env("MIIFLOW_API_KEY", secret)
        .args(["run", "agent_1"])
        .assert()
        .success();
}

#[test]
fn create_with_the_keyring_unavailable_still_hands_the_key_over() {
    let home = Home::new();
    let server = Server::start();
    let out = without_keyring(&mut home.miiflow(&server))
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "create", "ci"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_contains(&err, "the new key was NOT stored");
    assert_contains(&err, "no D-Bus session bus");
    let secret = stdout(&out).trim().to_owned();
    assert!(secret.starts_with("mk_"), "{secret}");
    assert!(!home.config().contains("ci"), "{}", home.config());
    home.miiflow(&server)
        .env("MIIFLOW_API_KEY", &secret)
        .args(["run", "agent_1"])
        .assert()
        .success();
}

#[test]
fn create_refuses_a_profile_that_already_holds_a_key() {
    let home = Home::new();
    let server = Server::start();
    plain_profile(&home, "ci", OTHER, None);
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "create", "ci"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "already holds a key");
    assert!(server.requests().is_empty());
}

#[test]
fn list_marks_the_keys_stored_here() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER]);
    plain_profile(&home, "second", OTHER, Some("key_mock0002"));
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("ID ") && lines[0].contains("STORED HERE"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("key_mock0001") && lines[1].ends_with(" -"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("key_mock0002") && lines[2].ends_with("profile second"),
        "{text}"
    );
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[1]["stored_as"], "second");
    assert_eq!(list[0]["stored_as"], serde_json::Value::Null);
    assert_eq!(list[1]["in_use"], false);
    assert!(!stdout(&out).contains(OTHER));

    // With the stored key in use, the list says which one it is.
    let out = home
        .miiflow(&server)
        .args(["--profile", "second", "keys", "list"])
        .output()
        .unwrap();
    let text = stdout(&out);
    let row = text
        .lines()
        .find(|l| l.starts_with("key_mock0002"))
        .unwrap();
    assert!(row.ends_with("profile second (in use)"), "{text}");
}

#[test]
fn delete_needs_a_terminal_or_yes_and_then_forgets_the_local_profile() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER]);
    plain_profile(&home, "second", OTHER, Some("key_mock0002"));
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "delete", "mock-2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "pass --yes");
    assert_eq!(ids(&server), ["key_mock0001", "key_mock0002"]);
    assert!(home.config().contains("second"));

    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "delete", "mock-2", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(&err, "Revoked key 'mock-2' (key_mock0002)");
    assert_contains(&err, "Forgot local profile 'second'");
    assert_eq!(ids(&server), ["key_mock0001"]);
    assert!(!home.config().contains("second"));
    assert!(home.files_containing(OTHER).is_empty());

    // Again: a named key that does not exist is an error a script sees, unless --missing-ok.
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "delete", "key_mock0002", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_contains(&stderr(&out), "no key named or with id 'key_mock0002'");
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["keys", "delete", "key_mock0002", "--yes", "--missing-ok"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_contains(&stderr(&out), "nothing to do");
}

#[test]
fn rotate_with_a_failing_create_deletes_nothing() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER, "--key-fault", "500"]);
    plain_profile(&home, "default", OTHER, Some("key_mock0002"));
    let out = home
        .miiflow(&server)
        .args(["keys", "rotate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_eq!(ids(&server), ["key_mock0001", "key_mock0002"]);
    assert_eq!(home.files_containing(OTHER).len(), 1);
    assert!(home.config().contains("key_mock0002"));
}

#[test]
fn rotate_replaces_the_key_then_deletes_the_old_one() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER]);
    plain_profile(&home, "default", OTHER, Some("key_mock0002"));
    let out = home
        .miiflow(&server)
        .args(["keys", "rotate"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(&err, "Revoked the old key (key_mock0002)");
    assert_eq!(ids(&server), ["key_mock0001", "key_new0001"]);
    // Named after the old key (here the profile, as login stored it), dated.
    let name = &names(&server)[1];
    assert!(
        name.starts_with("default-20") && name.len() == "default-2026-11-27".len(),
        "{name}"
    );
    assert!(home.files_containing(OTHER).is_empty());
    assert_contains(&home.config(), "key_id = \"key_new0001\"");
    // The profile's new key works; the old one is revoked.
    home.miiflow(&server)
        .args(["run", "agent_1"])
        .assert()
        .success();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", OTHER)
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn rotate_without_the_old_id_keeps_the_old_key_and_says_so() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER]);
    plain_profile(&home, "default", OTHER, None);
    let out = home
        .miiflow(&server)
        .args(["keys", "rotate"])
        .output()
        .unwrap();
    // The rotation happened: exit 0, with a warning about the key left behind.
    assert_eq!(out.status.code(), Some(0));
    assert_contains(
        &stderr(&out),
        "warning: the old key was not deleted: its id is unknown",
    );
    assert_eq!(
        ids(&server),
        ["key_mock0001", "key_mock0002", "key_new0001"]
    );
    home.miiflow(&server)
        .args(["run", "agent_1"])
        .assert()
        .success();
}

#[test]
fn a_server_without_a_key_api_points_to_the_dashboard() {
    let server = Server::with(&["--no-key-api"]);
    for args in [
        &["keys", "list"][..],
        &["keys", "create", "x", "--no-store"],
    ] {
        let out = server.miiflow().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(4), "{args:?}");
        let err = stderr(&out);
        assert_contains(&err, "this server has no key API");
        assert_contains(&err, "Settings › API Keys");
    }
}

#[test]
fn rotate_that_cannot_store_the_new_key_prints_it_and_keeps_the_old_one() {
    let home = Home::new();
    let server = Server::with(&["--key", OTHER]);
    plain_profile(&home, "default", OTHER, Some("key_mock0002"));
    // Another miiflow holds the config: the new key cannot be stored.
    let lock = std::fs::File::create(home.config_dir().join("config.lock")).unwrap();
    lock.lock().unwrap();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_LOCK_TIMEOUT", "0.3")
        .args(["keys", "rotate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let printed = stdout(&out);
    let new_key = printed.trim();
    assert!(
        new_key.starts_with("mk_") && new_key != OTHER,
        "{printed:?}"
    );
    assert_contains(&stderr(&out), "was NOT stored; it is printed above, once");
    // The new key exists on the server and works; the old one is still stored and valid.
    assert_eq!(
        ids(&server),
        ["key_mock0001", "key_mock0002", "key_new0001"]
    );
    assert_eq!(home.files_containing(OTHER).len(), 1);
    for key in [new_key, OTHER] {
        home.miiflow(&server)
            .env("MIIFLOW_API_KEY", key)
            .args(["run", "agent_1"])
            .assert()
            .success();
    }
}

#[test]
fn rotate_whose_new_key_does_not_work_puts_the_old_one_back() {
    let home = Home::new();
    // The create goes through; the check with the new key is refused.
    let server = Server::with(&[
        "--key",
        OTHER,
        "--key-fault",
        "slow:0",
        "--key-fault",
        "401",
    ]);
    plain_profile(&home, "default", OTHER, Some("key_mock0002"));
    let out = home
        .miiflow(&server)
        .args(["keys", "rotate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(
        &err,
        "did not work; the old key is back in place; nothing was deleted",
    );
    assert_eq!(
        ids(&server),
        ["key_mock0001", "key_mock0002", "key_new0001"]
    );
    assert_eq!(home.files_containing(OTHER).len(), 1);
    assert_contains(&home.config(), "key_mock0002");
    assert!(out.stdout.is_empty());
}

#[test]
fn rotate_whose_old_key_cannot_be_deleted_keeps_the_new_one() {
    let home = Home::new();
    let server = Server::with(&[
        "--key",
        OTHER,
        "--key-fault",
        "slow:0",
        "--key-fault",
        "slow:0",
        "--key-fault",
        "500",
    ]);
    plain_profile(&home, "default", OTHER, Some("key_mock0002"));
    let out = home
        .miiflow(&server)
        .args(["keys", "rotate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(
        &err,
        "warning: the new key is in place, but the old key (key_mock0002) could not be deleted",
    );
    assert_contains(&home.config(), "key_id = \"key_new0001\"");
    assert!(home.files_containing(OTHER).is_empty());
    assert_eq!(
        ids(&server),
        ["key_mock0001", "key_mock0002", "key_new0001"]
    );
    home.miiflow(&server)
        .args(["run", "agent_1"])
        .assert()
        .success();
}
