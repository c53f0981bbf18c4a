//! Snapshots (snapbox, as cargo and clap keep theirs): every command's `--help`, the bad-input
//! table, and what a person sees of `status`, `keys list`, `history list` and a batch's summary
//! on a terminal. The files are under `tests/cli/snapshots/`; after a deliberate change,
//! `SNAPSHOTS=overwrite cargo test snapshots` rewrites them (review the diff, then commit).

use std::path::PathBuf;

use snapbox::{Assert, Data, Redactions};

use crate::support::*;

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli/snapshots")
        .join(format!("{name}.txt"))
}

/// `actual` against the snapshot `name`, with what varies from run to run written as
/// placeholders (`[BASE_URL]`, `[TIME]`, `[DURATION]`, …).
#[track_caller]
fn assert_snapshot(name: &str, actual: String, redactions: Redactions) {
    Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .normalize_paths(false)
        .redact_with(redactions)
        .eq(actual, Data::read_from(&snapshot_path(name), None));
}

/// `actual` against the snapshot `name` byte for byte (no placeholders, no wildcards: a help
/// text's `...` is text).
#[track_caller]
fn assert_exact(name: &str, actual: String) {
    Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .eq(actual, Data::read_from(&snapshot_path(name), None).raw());
}

/// Times and durations, which differ at every run.
fn varying() -> Redactions {
    let mut r = Redactions::new();
    let regex = |p: &str| snapbox::filter::RedactedValue::from(regex::Regex::new(p).unwrap());
    r.insert("[TIME]", regex(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"))
        .unwrap();
    r.insert("[DURATION]", regex(r"\b\d+\.\d\d ?s\b")).unwrap();
    r.insert("[RATE]", regex(r"\b\d+(\.\d+)?/s\b")).unwrap();
    // A batch's latencies: `p50 4 ms, p95 5 ms, p99 1.25 s` (before [DURATION] takes a part).
    r.insert(
        "[LATENCY]",
        regex(r"p50 [\d.]+ m?s, p95 [\d.]+ m?s, p99 [\d.]+ m?s"),
    )
    .unwrap();
    r
}

fn with_url(server: &Server) -> Redactions {
    let mut r = varying();
    r.insert("[BASE_URL]", server.url.clone()).unwrap();
    r
}

#[test]
fn every_command_has_a_help_snapshot() {
    for path in miiflow::docs::command_paths() {
        let out = miiflow().args(&path).arg("--help").output().unwrap();
        assert!(out.status.success(), "{path:?}: {}", stderr(&out));
        let name = std::iter::once("miiflow")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("-");
        assert_exact(&format!("help/{name}"), stdout(&out));
    }
}

/// Every bad input is refused with exit 2, says what and where, and sends nothing.
#[test]
fn bad_input_is_refused_before_sending() {
    let server = Server::start();
    let dir = temp();
    let d = dir.path();
    write(d, "empty.json", "");
    write(d, "blank.json", "  \n\t\n");
    write(d, "bad.json", "{\n  \"a\": 1,\n  \"b\": [1,,2]\n}");
    write(d, "trailing.json", "{\"a\": 1} x");
    write(d, "latin1.json", b"{\"a\": \"caf\xe9\"}");
    write(d, "array.json", "[1, 2]");
    std::fs::create_dir(d.join("folder")).unwrap();
    let cases: &[&[&str]] = &[
        &["run", "agent_1", "--input", "missing.json"],
        &["run", "agent_1", "--input", "folder"],
        &["run", "agent_1", "--input", "empty.json"],
        &["run", "agent_1", "--input", "blank.json"],
        &["run", "agent_1", "--input", "bad.json"],
        &["run", "agent_1", "--input", "trailing.json"],
        &["run", "agent_1", "--input", "latin1.json"],
        &["run", "agent_1", "--input", "array.json", "a=1"],
        &["run", "agent_1", "nonsense"],
        &["run", "agent_1", "X-Header:1"],
        &["run", "agent_1", "a:=tru"],
        &["run", "agent_1", "a:="],
        &["run", "agent_1", "a[=1"],
        &["run", "agent_1", "a=1", "a[b]=2"],
        &["run", "agent_1", "a[-1]=2"],
        &["run", "agent_1", "a[99999999]=2"],
        &["run", "agent_1", "t=@missing.txt"],
        &["run", "agent_1", "t:=@latin1.json"],
        &["run", "agent_1", "t:=@folder"],
        &["run", "", "a=1"],
        &["run", " ", "a=1"],
        &["run"],
        &["run", "agent_1", "--jq", ".["],
        &["run", "agent_1", "--jq", "nosuchfn"],
        &["run", "agent_1", "--timeout", "soon"],
    ];
    let mut table = String::new();
    for args in cases {
        let out = server
            .miiflow()
            .current_dir(d)
            .args(*args)
            .output()
            .unwrap();
        assert!(out.stdout.is_empty(), "{args:?}");
        let shown =
            shlex::try_join(std::iter::once("miiflow").chain(args.iter().copied())).unwrap();
        table.push_str(&format!(
            "$ {shown}\n{}[exit {}]\n\n",
            stderr(&out),
            out.status.code().map_or("signal".into(), |c| c.to_string())
        ));
    }
    assert_exact("bad-input", table);
    assert!(server.requests().is_empty(), "{:#?}", server.requests());
}

/// What `ARGS` leaves on a 120-column terminal, as a person would read it.
fn on_terminal(home: &Home, server: &Server, args: &str) -> String {
    let config = home.config_dir();
    let data = home.data_dir();
    let term = Tty::start_wide(
        args,
        &[
            ("MIIFLOW_BASE_URL", &server.url),
            ("MIIFLOW_API_KEY", KEY),
            ("MIIFLOW_CONFIG_DIR", config.to_str().unwrap()),
            ("MIIFLOW_DATA_DIR", data.to_str().unwrap()),
        ],
        120,
    );
    let (code, raw) = term.finish();
    let mut lines = screen_wide(&raw, 120);
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    format!("{}\n[exit {}]\n", lines.join("\n"), code.unwrap_or(-1))
}

#[test]
fn status_keys_and_history_on_a_terminal() {
    let home = Home::new();
    let server = Server::start();
    for args in [&["run", "agent_a", "city=Paris"][..], &["run", "agent_b"]] {
        home.miiflow(&server)
            .env("MIIFLOW_API_KEY", KEY)
            .args(args)
            .assert()
            .success();
    }
    let mut r = with_url(&server);
    r.insert("[ROOT]", home.config_dir().parent().unwrap().to_path_buf())
        .unwrap();
    for (name, args) in [
        ("status", "status"),
        ("keys-list", "keys list"),
        ("history-list", "history list"),
    ] {
        let shown = on_terminal(&home, &server, args);
        assert_snapshot(&format!("terminal/{name}"), shown, r.clone());
    }
}

#[test]
fn a_batch_summary_on_a_terminal() {
    let home = Home::new();
    let server = Server::start();
    let dir = temp();
    let input = write(
        dir.path(),
        "in.jsonl",
        "{\"n\":1}\n{\"n\":2}\nnot json\n{\"n\":4}\n",
    );
    let results = dir.path().join("results.jsonl");
    let shown = on_terminal(
        &home,
        &server,
        &format!(
            "run agent_b --batch '{}' -o '{}'",
            input.display(),
            results.display()
        ),
    );
    let mut r = with_url(&server);
    r.insert("[DIR]", dir.path().to_path_buf()).unwrap();
    assert_snapshot("terminal/batch-summary", shown, r);
}
