//! Run history (SQLite) and aliases, through the real binary against the mock.

use std::process::Stdio;

use serde_json::Value;

use crate::support::*;

fn list(home: &Home, server: &Server, args: &[&str]) -> Vec<Value> {
    let out = home
        .miiflow(server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["history", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_run_is_recorded_exactly_and_never_with_the_key() {
    let home = Home::new();
    let server = Server::start();
    let run = |args: &[&str]| {
        home.miiflow(&server)
            .env("MIIFLOW_API_KEY", KEY)
            .args(args)
            .output()
            .unwrap()
    };
    let input = write(
        home.data_dir().parent().unwrap(),
        "in.json",
        "{\"n\": 1.50, \"k\": \"v\"}",
    );
    assert!(
        run(&["run", "agent_a", "--input", input.to_str().unwrap()])
            .status
            .success()
    );
    assert!(run(&["run", "--workflow", "wf_1", "x=1"]).status.success());
    // A failing run is recorded with its exit code; the key it echoes is not.
    let out = run(&["run", "agent_a", &format!("secret={KEY}"), "--retries", "0"]);
    assert!(out.status.success());
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", "mk_wrong_key_000000000")
        .args(["run", "agent_a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));

    let rows = list(&home, &server, &[]);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["status"], 401, "newest first: {rows:?}");
    assert_eq!(rows[0]["exit"], 3);
    assert_eq!(rows[2]["kind"], "workflow");
    assert_eq!(rows[2]["target"], "wf_1");
    assert_eq!(rows[2]["endpoint"], "POST /v1/workflows/wf_1/run");
    assert_eq!(rows[3]["run_id"], "run_mock000001");
    assert_eq!(rows[3]["base_url"], server.url.as_str());
    let id = rows[3]["id"].as_i64().unwrap().to_string();

    // The input's exact bytes (number as written, spacing kept).
    let out = home
        .miiflow(&server)
        .args(["history", "show", &id, "--input"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "{\"n\": 1.50, \"k\": \"v\"}");
    let out = home
        .miiflow(&server)
        .args(["history", "show", &id, "--output"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "{\"run_id\":\"run_mock000001\",\"agent_id\":\"agent_a\",\"status\":\"completed\",\
         \"output\":{\"n\": 1.50, \"k\": \"v\"}}"
    );
    // The key was in an input of ours (kept: it is what was sent) but no answer or error of
    // the database holds it outside that input.
    let db = std::fs::read(home.data_dir().join("history.sqlite")).unwrap();
    let occurrences = db
        .windows(KEY.len())
        .filter(|w| *w == KEY.as_bytes())
        .count();
    assert!(occurrences <= 1, "the key is stored {occurrences} times");
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&home.data_dir()), 0o700);
    assert_eq!(mode(&home.data_dir().join("history.sqlite")), 0o600);

    // Filters.
    assert_eq!(list(&home, &server, &["--failed"]).len(), 1);
    assert_eq!(list(&home, &server, &["--agent", "wf_1"]).len(), 1);
    assert_eq!(list(&home, &server, &["-n", "2"]).len(), 2);
    assert_eq!(list(&home, &server, &["--since", "1h"]).len(), 4);
}

#[test]
fn history_can_be_turned_off_three_ways() {
    let home = Home::new();
    let server = Server::start();
    let run = |env: Option<(&str, &str)>, args: &[&str]| {
        let mut cmd = home.miiflow(&server);
        cmd.env("MIIFLOW_API_KEY", KEY)
            .args(["run", "agent_a"])
            .args(args);
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        assert!(cmd.output().unwrap().status.success());
    };
    run(None, &["--no-history"]);
    run(Some(("MIIFLOW_HISTORY", "off")), &[]);
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(home.config_dir().join("config.toml"), "history = false\n").unwrap();
    run(None, &[]);
    assert!(!home.data_dir().join("history.sqlite").exists());
    // A profile may say otherwise for itself.
    std::fs::write(
        home.config_dir().join("config.toml"),
        "history = false\n[profiles.rec]\nhistory = true\n",
    )
    .unwrap();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .env("MIIFLOW_PROFILE", "rec")
        .args(["run", "agent_a"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(list(&home, &server, &[]).len(), 1);
}

#[test]
fn a_broken_database_is_a_warning_and_the_run_keeps_its_exit_code() {
    let home = Home::new();
    let server = Server::start();
    std::fs::create_dir_all(home.data_dir()).unwrap();
    std::fs::write(
        home.data_dir().join("history.sqlite"),
        "this is not a database at all, not even close to one".repeat(100),
    )
    .unwrap();
    for (args, code) in [
        (&["agent_a"][..], 0),
        (&["agent_a", "--retries", "0", "bad:=x"][..], 2),
    ] {
        let out = home
            .miiflow(&server)
            .env("MIIFLOW_API_KEY", KEY)
            .arg("run")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
        if code == 0 {
            let err = stderr(&out);
            assert_eq!(err.matches("run history not recorded").count(), 1, "{err}");
        }
    }
    // A batch warns once, whatever the number of lines.
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_a", "--batch", "-"])
        .write_stdin("{}\n{}\n{}\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stderr(&out).matches("run history not recorded").count(), 1);
}

#[test]
fn twenty_processes_at_once_lose_no_entry_and_a_batch_records_every_line() {
    let home = Home::new();
    let server = Server::with(&["--latency", "20"]);
    let children: Vec<_> = (0..20)
        .map(|i| {
            let mut cmd = server.miiflow_std();
            cmd.env("MIIFLOW_CONFIG_DIR", home.config_dir())
                .env("MIIFLOW_DATA_DIR", home.data_dir())
                .args(["run", "agent_p", &format!("i:={i}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        assert!(!stderr(&out).contains("history"), "{}", stderr(&out));
    }
    let rows = list(&home, &server, &["-n", "100"]);
    let mut seen: Vec<i64> = rows
        .iter()
        .map(|r| {
            let id = r["id"].as_i64().unwrap().to_string();
            let out = home
                .miiflow(&server)
                .args(["history", "show", &id, "--input"])
                .output()
                .unwrap();
            let input: Value = serde_json::from_slice(&out.stdout).unwrap();
            input["i"].as_i64().unwrap()
        })
        .collect();
    seen.sort();
    assert_eq!(seen, (0..20).collect::<Vec<_>>());

    let lines: String = (1..=300).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_b", "--batch", "-", "--concurrency", "32"])
        .write_stdin(lines)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = list(&home, &server, &["-n", "1000", "--agent", "agent_b"]);
    assert_eq!(rows.len(), 300);
    let mut lines: Vec<i64> = rows
        .iter()
        .map(|r| r["batch_line"].as_i64().unwrap())
        .collect();
    lines.sort();
    assert_eq!(lines, (1..=300).collect::<Vec<_>>());
    assert!(rows.iter().all(|r| r["batch"] == "<stdin>"));
}

#[test]
fn rerun_sends_the_recorded_input_with_items_over_it_and_clear_deletes() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "--workflow", "wf_9", "a=1", "b:=[1,2]"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let id = list(&home, &server, &[])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["history", "rerun", &id, "a=2", "--jq", ".output"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = server.requests();
    assert_eq!(requests[1]["path"], "/v1/workflows/wf_9/run");
    assert_eq!(requests[1]["body"], "{\"input\":{\"a\":\"2\",\"b\":[1,2]}}");
    assert_eq!(
        list(&home, &server, &[]).len(),
        2,
        "the rerun is a new entry"
    );

    // A failing --jq points at the stored answer, which holds it exactly.
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_j", "z=1", "--jq", "error(\"no\")"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let id = list(&home, &server, &[])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    assert_contains(
        &stderr(&out),
        &format!("the answer is kept in the history: miiflow history show {id} --output"),
    );
    let shown = home
        .miiflow(&server)
        .args(["history", "show", &id, "--output"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&shown),
        "{\"run_id\":\"run_mock000003\",\"agent_id\":\"agent_j\",\"status\":\"completed\",\
         \"output\":{\"z\":\"1\"}}"
    );

    let out = home
        .miiflow(&server)
        .args(["history", "show", "999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "no history entry 999");

    // Without a terminal, clearing needs --yes.
    let out = home
        .miiflow(&server)
        .args(["history", "clear"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "pass --yes");
    let out = home
        .miiflow(&server)
        .args(["history", "clear", "--older-than", "1h", "--yes"])
        .output()
        .unwrap();
    assert_contains(&stderr(&out), "Deleted 0 recorded run(s)");
    let out = home
        .miiflow(&server)
        .args(["history", "clear", "--yes"])
        .output()
        .unwrap();
    assert_contains(&stderr(&out), "Deleted 3 recorded run(s)");
    assert!(list(&home, &server, &[]).is_empty());
}

#[test]
fn aliases_resolve_with_their_items_under_the_command_lines() {
    let home = Home::new();
    let server = Server::start();
    let miiflow = |args: &[&str]| {
        home.miiflow(&server)
            .env("MIIFLOW_API_KEY", KEY)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(
        miiflow(&["agents", "add", "support", "agent_sup", "lang=en", "tier=1"])
            .status
            .success()
    );
    assert!(
        miiflow(&[
            "agents",
            "add",
            "--profile",
            "ci",
            "nightly",
            "wf_7",
            "--workflow"
        ])
        .status
        .success()
    );
    let out = miiflow(&["agents", "add", "agent_abc", "agent_abc"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "looks like an id");

    let out = miiflow(&["run", "support", "tier=2", "q=hi"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body = &server.requests()[0]["body"];
    assert_eq!(
        body,
        "{\"agent_id\":\"agent_sup\",\"input\":{\"lang\":\"en\",\"tier\":\"2\",\"q\":\"hi\"}}"
    );
    // A profile's alias is seen with that profile only: elsewhere the word is no alias and
    // no id, so it is refused (nothing sent), naming the profile that has it.
    let out = miiflow(&["run", "nightly"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "It is an alias of profile 'ci'");
    assert_eq!(server.requests().len(), 1, "not sent");
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .env("MIIFLOW_PROFILE", "ci")
        .args(["run", "nightly"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.requests()[1]["path"], "/v1/workflows/wf_7/run");

    let out = miiflow(&["--profile", "ci", "agents", "list", "--json"]);
    let listed: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = listed.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["nightly", "support"]);
    assert_eq!(listed[0]["profile"], "ci");
    assert_eq!(listed[1]["items"], serde_json::json!(["lang=en", "tier=1"]));

    let out = miiflow(&["agents", "remove", "support"]);
    assert!(out.status.success());
    let out = miiflow(&["agents", "remove", "support"]);
    assert_eq!(out.status.code(), Some(2));
    let out = miiflow(&["agents", "list", "--names"]);
    assert_eq!(stdout(&out), "");
    // A logout keeps the profile's aliases.
    let out = miiflow(&["--profile", "ci", "logout"]);
    assert!(out.status.success());
    assert_contains(&home.config(), "[profiles.ci.agents.nightly]");
}

#[test]
fn completions_offer_alias_names_after_run() {
    let home = Home::new();
    let server = Server::start();
    for name in ["support", "summarise"] {
        let out = home
            .miiflow(&server)
            .args(["agents", "add", name, "agent_x"])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let script = String::from_utf8(
        home.miiflow(&server)
            .args(["completions", "bash"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("miiflow");
    let dir = bin.parent().unwrap();
    // bash, as a shell would: the words typed so far, then the function the script registered.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{script}\nCOMP_WORDS=(miiflow run su); COMP_CWORD=2; COMP_LINE='miiflow run su'; \
             COMP_POINT=${{#COMP_LINE}}; _miiflow_complete miiflow su run; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        ))
        .env("PATH", format!("{}:/usr/bin:/bin", dir.display()))
        .env("MIIFLOW_CONFIG_DIR", home.config_dir())
        .output()
        .unwrap();
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        words.lines().any(|w| w == "support"),
        "{words:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(words.lines().any(|w| w == "summarise"), "{words:?}");
    for shell in ["zsh", "fish"] {
        let out = home
            .miiflow(&server)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_contains(&stdout(&out), "agents list --names");
    }
}

#[test]
fn entries_waiting_behind_a_locked_database_are_listed_once_it_is_free() {
    let home = Home::new();
    let server = Server::start();
    let run = |value: &str| {
        let out = home
            .miiflow(&server)
            .env("MIIFLOW_API_KEY", KEY)
            .args(["run", "agent_a", &format!("n={value}")])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!stderr(&out).contains("not recorded"), "{}", stderr(&out));
    };
    run("first");
    let db = rusqlite::Connection::open(home.data_dir().join("history.sqlite")).unwrap();
    db.execute_batch("BEGIN EXCLUSIVE").unwrap();
    // The run does not wait for the lock: its entry waits in pending/.
    run("second");
    // A reader is not held either: it lists what the database holds.
    assert_eq!(list(&home, &server, &[]).len(), 1);
    db.execute_batch("ROLLBACK").unwrap();
    let rows = list(&home, &server, &[]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(list(&home, &server, &[]).len(), 2, "folded once");
    let pending = home.data_dir().join("pending");
    assert_eq!(std::fs::read_dir(pending).unwrap().count(), 0);
}
