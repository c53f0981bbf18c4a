//! Miiflow's two public run contracts and `miiflow api` (issue 11): each documented curl and
//! miiflow send equal requests, and every run feature works with `--workflow`.

use std::process::Command;

use crate::support::*;

/// The two requests a server saw (ours, then curl's) agree on everything a server reads.
fn assert_same_request(server: &Server) {
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    let (ours, theirs) = (&requests[0], &requests[1]);
    for field in ["method", "path"] {
        assert_eq!(ours[field], theirs[field], "{field}");
    }
    let json = |r: &serde_json::Value| -> serde_json::Value {
        serde_json::from_str(r["body"].as_str().unwrap()).unwrap()
    };
    assert_eq!(json(ours), json(theirs), "body JSON");
    for header in ["authorization", "content-type"] {
        assert_eq!(
            ours["headers"][header], theirs["headers"][header],
            "{header}"
        );
    }
}

fn documented_curl(url: &str, body: &str) {
    let status = Command::new("curl")
        .args(["-sS", "-o", "/dev/null", "-X", "POST", url])
        .args(["-H", &format!("Authorization: Bearer {KEY}")])
        .args(["-H", "Content-Type: application/json", "-d", body])
        .status()
        .expect("curl runs");
    assert!(status.success());
}

#[test]
fn the_workflow_contract_matches_its_documented_curl() {
    let server = Server::start();
    server
        .miiflow()
        .args(["run", "--workflow", "wf_123", "--text", "Your input data"])
        .assert()
        .success();
    // The docs' example (www.miiflow.ai/docs/core-concepts/api-keys).
    documented_curl(
        &format!("{}/v1/workflows/wf_123/run", server.url),
        r#"{"input": "Your input data"}"#,
    );
    assert_same_request(&server);
    assert_eq!(server.requests()[0]["path"], "/v1/workflows/wf_123/run");
}

#[test]
fn the_agent_contract_takes_text_too() {
    let server = Server::start();
    server
        .miiflow()
        .args(["run", "agent_xxxYYYzzz", "--text", "hello"])
        .assert()
        .success();
    documented_curl(
        &format!("{}/api/v1/agent_run", server.url),
        r#"{"agent_id": "agent_xxxYYYzzz", "input": "hello"}"#,
    );
    assert_same_request(&server);
}

#[test]
fn every_run_feature_works_with_a_workflow() {
    let server = Server::start();
    let dir = temp();
    // Items, --input, --jq.
    let input = write(dir.path(), "in.json", r#"{"n": 12345678901234567890}"#);
    let out = server
        .miiflow()
        .args(["run", "--workflow", "wf_1", "city=Paris", "--input"])
        .arg(&input)
        .args(["--jq", ".output.city", "-r"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Paris\n");
    assert_eq!(
        server.requests()[0]["body"],
        r#"{"input":{"n":12345678901234567890,"city":"Paris"}}"#
    );
    // -o, and --text from stdin (one trailing newline dropped).
    let file = dir.path().join("out.json");
    let out = server
        .miiflow()
        .args(["run", "--workflow", "wf_1", "--text", "-", "-o"])
        .arg(&file)
        .write_stdin("from stdin\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_contains(
        &std::fs::read_to_string(&file).unwrap(),
        r#""output":"from stdin""#,
    );
    // --batch.
    let out = server
        .miiflow()
        .args(["run", "--workflow", "wf_1", "--batch", "-"])
        .write_stdin("{\"a\":1}\n\"text\"\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(&text, r#"{"line":1,"status":200,"body":{"run_id":"#);
    assert_contains(
        &text,
        r#""workflow_id":"wf_1","status":"completed","output":"text"}}"#,
    );
    // --dry-run and --curl send nothing.
    let before = server.requests().len();
    let out = server
        .miiflow()
        .args(["run", "--workflow", "wf 1", "a=1", "--dry-run"])
        .output()
        .unwrap();
    assert_contains(&stdout(&out), "POST http://");
    assert_contains(&stdout(&out), "/v1/workflows/wf%201/run\n");
    assert_contains(&stdout(&out), r#"{"input":{"a":"1"}}"#);
    let out = server
        .miiflow()
        .args(["run", "--workflow", "wf_1", "--text", "hi", "--curl"])
        .output()
        .unwrap();
    assert_contains(&stdout(&out), "/v1/workflows/wf_1/run \\\n");
    assert_eq!(server.requests().len(), before);
}

#[test]
fn retries_and_faults_apply_to_workflows() {
    let server = Server::with(&["--fault", "429:1", "--fault", "500"]);
    let out = server
        .miiflow()
        .args(["run", "--workflow", "wf_1", "--text", "x"])
        .output()
        .unwrap();
    // 429 retried once, then the 500 is final.
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn workflow_ids_never_change_the_path() {
    for id in ["../agent_run", "a/b", "a?b=1", "a#b", ".."] {
        let out = miiflow()
            .env("MIIFLOW_API_KEY", KEY)
            .args(["run", "--workflow", id, "--dry-run"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{id}");
        assert_contains(&stderr(&out), "an id is one path segment");
    }
}

#[test]
fn an_agent_id_beside_workflow_is_explained() {
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "--workflow", "wf_1", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "--workflow takes no agent id");
}

#[test]
fn text_conflicts_with_other_inputs() {
    for args in [
        &["run", "--workflow", "w", "--text", "x", "a=1"][..],
        &["run", "agent_1", "--text", "x", "--input", "f.json"],
        &["run", "agent_1", "--text", "x", "--batch", "-"],
    ] {
        let out = miiflow()
            .env("MIIFLOW_API_KEY", KEY)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_403_says_keys_can_be_scoped() {
    let server = Server::with(&["--fault", "403"]);
    let out = server
        .miiflow()
        .args(["run", "--workflow", "wf_1", "--text", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert_contains(
        &err,
        "keys can be scoped to workflows and to operations (read, write, execute)",
    );
    assert_contains(&err, "The key sent was mk_…cdef, from MIIFLOW_API_KEY");
}

#[test]
fn api_reaches_any_path_with_the_stored_key() {
    let server = Server::start();
    // GET by default, the output rules of run.
    let out = server
        .miiflow()
        .args(["api", "/api/v1/api_keys", "--jq", ".[0].id", "-r"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "key_mock0001\n");
    let seen = server.requests();
    assert_eq!(seen[0]["method"], "GET");
    assert_eq!(seen[0]["body"], "");
    assert!(seen[0]["headers"].get("content-type").is_none());
    // POST when there is a body; piped output is the exact bytes.
    let out = server
        .miiflow()
        .args(["api", "v1/workflows/wf_2/run", "input=hi"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        stdout(&out),
        r#"{"run_id":"run_mock000001","workflow_id":"wf_2","status":"completed","output":"hi"}"#
    );
    // -X, an error status and its exit code.
    let out = server
        .miiflow()
        .args(["api", "-X", "PUT", "/nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(server.requests().last().unwrap()["method"], "PUT");
}

#[test]
fn api_never_sends_the_key_to_another_origin() {
    let server = Server::start();
    let other = Server::start();
    for url in [
        format!("{}/api/v1/api_keys", other.url),
        "https://example.com/x".into(),
    ] {
        let out = server.miiflow().args(["api", &url]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{url}");
        assert_contains(&stderr(&out), "is not on the API's origin");
    }
    assert!(other.requests().is_empty() && server.requests().is_empty());
    // The API's own origin as a full URL is fine.
    let out = server
        .miiflow()
        .args(["api", &format!("{}/api/v1/api_keys", server.url)])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn api_retries_reads_after_a_bad_gateway_but_never_writes() {
    // GET: 502 then 200.
    let server = Server::with(&["--key-fault", "502"]);
    let out = server
        .miiflow()
        .args(["api", "/api/v1/api_keys"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stderr(&out), "HTTP 502 Bad Gateway; retrying");
    assert_eq!(server.requests().len(), 2);
    // POST: a 502 is final.
    let server = Server::with(&["--fault", "502"]);
    let out = server
        .miiflow()
        .args(["api", "/v1/workflows/w/run", "input=x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_workflow_can_answer_with_events() {
    let dir = temp();
    write(
        dir.path(),
        "wf_sse.json",
        r#"{"$mock": {"events": [{"delta": "Hel"}, {"delta": "lo"}]}}"#,
    );
    let server = Server::with(&["--answers", dir.path().to_str().unwrap()]);
    let out = server
        .miiflow()
        .args([
            "run",
            "--workflow",
            "wf_sse",
            "--text",
            "hi",
            "--jq",
            ".delta",
            "-r",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "Hel\nlo\n");
}

#[test]
fn api_has_the_output_rules_of_run() {
    let server = Server::start();
    let dir = temp();
    let file = write(dir.path(), "keys.json", "old");
    let out = server
        .miiflow()
        .args(["api", "/api/v1/api_keys", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_contains(
        &std::fs::read_to_string(&file).unwrap(),
        r#""id":"key_mock0001""#,
    );
    // A failed call leaves -o as it was.
    let out = server
        .miiflow()
        .args(["api", "/nowhere", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert_contains(&std::fs::read_to_string(&file).unwrap(), "key_mock0001");
    let out = server
        .miiflow()
        .args(["api", "/api/v1/api_keys", "--include"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).starts_with("HTTP/1.1 200 OK\n"),
        "{}",
        stdout(&out)
    );
    // On a terminal: pretty and coloured.
    let (code, raw) = Tty::start(
        "api /api/v1/api_keys",
        &[("MIIFLOW_BASE_URL", &server.url), ("MIIFLOW_API_KEY", KEY)],
    )
    .finish();
    assert_eq!(code, Some(0));
    assert_contains(
        &raw,
        "\x1b[34;1m\"id\"\x1b[0m: \x1b[32m\"key_mock0001\"\x1b[0m",
    );
}
