//! `miiflow mcp`: the server driven by the official MCP Python SDK (as an AI assistant would:
//! tools, calls, errors, an echoed key, progress, cancellation), the protocol's framing on a raw
//! exchange, the per-call timeout and the concurrency limit, and `mcp install` for each client.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

/// A config folder with the aliases the tests serve.
pub(crate) fn aliases(home: &Home, server: &Server) {
    for args in [
        &[
            "weather",
            "agent_weather",
            "units=metric",
            "--description",
            "Weather for a city",
            "--param",
            "city:string",
            "--param",
            "days:integer?",
        ][..],
        &["broken", "agent_broken", "$fault=500"],
        &["echo", "agent_echo", "--description", "Echoes its input"],
        &["slow", "agent_slow", "$fault=slow:600000"],
    ] {
        let out = home
            .miiflow(server)
            .args(["agents", "add"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

/// The tools' virtual environment's Python, when it has the MCP SDK (scripts/test installs
/// it; MIIFLOW_TEST_REQUIRE_TOOLS says it must be there).
pub(crate) fn sdk_python() -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tools-venv/bin/python");
    let found = std::process::Command::new(&python)
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found || std::env::var_os("MIIFLOW_TEST_REQUIRE_TOOLS").is_none(),
        "the MCP Python SDK is required (MIIFLOW_TEST_REQUIRE_TOOLS is set): \
         target/tools-venv/bin/pip install mcp==2.3.0"
    );
    if !found {
        eprintln!("skipped: the MCP Python SDK is not installed in target/tools-venv");
    }
    found.then_some(python)
}

pub(crate) fn history(home: &Home, server: &Server) -> Vec<Value> {
    let out = home
        .miiflow(server)
        .args(["history", "list", "-n", "50"])
        .output()
        .unwrap();
    serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)))
}

#[test]
fn an_assistant_uses_the_tools_through_the_official_sdk() {
    let Some(python) = sdk_python() else { return };
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp/client.py");
    let out = std::process::Command::new(python)
        .arg(client)
        .arg(assert_cmd::cargo::cargo_bin("miiflow"))
        .env("MIIFLOW_CONFIG_DIR", home.config_dir())
        .env("MIIFLOW_DATA_DIR", home.data_dir())
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let seen: Value = serde_json::from_str(&stdout(&out)).unwrap();
    check_scenario(&seen, &home, &server, "mcp");
}

/// What tests/mcp/client.py saw, and what the stand-in and the history saw of it; `via` is
/// the transport's name in the history (`mcp`, `mcp-http`).
pub(crate) fn check_scenario(seen: &Value, home: &Home, server: &Server, via: &str) {
    assert_eq!(seen["server"], "miiflow");
    assert_eq!(
        seen["tools"]["weather"]["description"],
        "Weather for a city"
    );
    assert_eq!(
        seen["tools"]["weather"]["schema"],
        json!({"type": "object", "properties": {"city": {"type": "string"},
               "days": {"type": "integer"}}, "required": ["city"]})
    );
    assert_eq!(seen["tools"]["echo"]["schema"], json!({"type": "object"}));
    // What a call is, for the client: it reaches the world outside, changes things, and a
    // repeated call runs the agent again; the title is the description's first sentence.
    assert_eq!(
        seen["tools"]["weather"]["annotations"],
        json!({"readOnlyHint": false, "idempotentHint": false, "openWorldHint": true}),
        "{seen}"
    );
    assert_eq!(seen["tools"]["weather"]["title"], "Weather for a city");
    // A 2xx answer: its exact JSON as text, and as structured content.
    assert_eq!(seen["ok"]["error"], false);
    let text: Value = serde_json::from_str(seen["ok"]["text"].as_str().unwrap()).unwrap();
    assert_eq!(
        text["output"],
        json!({"units": "metric", "city": "Oslo", "days": 2})
    );
    assert_eq!(seen["ok"]["structured"], text);
    // A 500: a tool error in words.
    assert_eq!(seen["fail"]["error"], true);
    let fail = seen["fail"]["text"].as_str().unwrap();
    assert!(fail.starts_with("HTTP 500 Internal Server Error"), "{fail}");
    assert!(fail.contains("calling again later may work"), "{fail}");
    // Arguments that do not fit the schema: refused, nothing sent.
    assert_eq!(seen["bad_arguments"]["error"], true);
    assert!(
        seen["bad_arguments"]["text"]
            .as_str()
            .unwrap()
            .contains("the argument 'city' is required")
    );
    // An answer that echoes the key: masked in the text and the structured content.
    let echoed = seen["echo"].to_string();
    assert!(!echoed.contains(&KEY[8..]), "{echoed}");
    assert_eq!(seen["echo"]["structured"]["output"]["secret"], "mk_…cdef");
    // A long run: progress came, the client gave up, the server went on serving.
    assert!(!seen["progress"].as_array().unwrap().is_empty(), "{seen}");
    assert!(seen.get("slow_finished").is_none());
    assert_eq!(seen["after_cancel"]["error"], false);
    // The stand-in saw each run with the alias's items under the arguments.
    let runs: Vec<Value> = server
        .requests()
        .iter()
        .filter(|r| r["path"] == "/api/v1/agent_run")
        .map(|r| serde_json::from_str(r["body"].as_str().unwrap()).unwrap())
        .collect();
    let agents: Vec<&str> = runs
        .iter()
        .map(|r| r["agent_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        agents,
        [
            "agent_weather",
            "agent_broken",
            "agent_echo",
            "agent_slow",
            "agent_weather"
        ]
    );
    assert_eq!(
        runs[0]["input"],
        json!({"units": "metric", "city": "Oslo", "days": 2})
    );
    // Every call is in the history, marked as coming from MCP; the cancelled one as 130.
    let entries = history(home, server);
    assert_eq!(entries.len(), 5, "{entries:#?}");
    assert!(
        entries
            .iter()
            .all(|e| e["via"].as_str().unwrap().starts_with(&format!("{via}:"))),
        "{entries:#?}"
    );
    let slow = entries
        .iter()
        .find(|e| e["via"] == format!("{via}:slow"))
        .unwrap();
    assert_eq!(slow["exit"], 130);
    assert_eq!(slow["error"], "Cancelled by the client.");
    assert!(!serde_json::to_string(&entries).unwrap().contains(&KEY[8..]));
}

/// `miiflow mcp serve ARGS` on pipes, and a reader of its stdout lines.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Session {
    fn start(home: &Home, server: &Server, args: &[&str]) -> Session {
        Session::start_at(home, &server.url, args)
    }

    /// The server, its runs sent to `url`.
    fn start_at(home: &Home, url: &str, args: &[&str]) -> Session {
        let mut child = miiflow_std()
            .env("MIIFLOW_CONFIG_DIR", home.config_dir())
            .env("MIIFLOW_DATA_DIR", home.data_dir())
            .env("MIIFLOW_BASE_URL", url)
            .env("MIIFLOW_API_KEY", KEY)
            .args(["mcp", "serve"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Session {
            child,
            stdin,
            lines,
        }
    }

    fn send(&mut self, message: Value) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    /// The next message on stdout (each must be one JSON-RPC 2.0 message on one line).
    fn next(&self) -> Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(60))
            .expect("a message within a minute");
        let value: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert_eq!(value["jsonrpc"], "2.0", "{line}");
        value
    }

    /// The next response whose id is `null` (an answer to a line that had none).
    fn response_null(&self) -> (Value, Vec<Value>) {
        let mut notes = Vec::new();
        loop {
            let m = self.next();
            match m.get("id") {
                Some(Value::Null) => return (m, notes),
                None => notes.push(m),
                Some(other) => panic!("a response out of turn ({other}): {m}"),
            }
        }
    }

    /// The response with `id`, skipping notifications (returned too).
    fn response(&self, id: u64) -> (Value, Vec<Value>) {
        let mut notes = Vec::new();
        loop {
            let m = self.next();
            if m.get("id").is_none() {
                notes.push(m);
                continue;
            }
            assert_eq!(m["id"], id, "a response out of turn: {m}");
            return (m, notes);
        }
    }

    fn initialize(&mut self) {
        self.send(
            json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "raw", "version": "1"}}}),
        );
        let (init, _) = self.response(0);
        assert_eq!(init["result"]["serverInfo"]["name"], "miiflow", "{init}");
        self.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    }

    fn call(&mut self, id: u64, tool: &str, args: Value, meta: Option<Value>) {
        let mut params = json!({"name": tool, "arguments": args});
        if let Some(meta) = meta {
            params["_meta"] = meta;
        }
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params}));
    }

    /// Closes stdin: the server ends; returns its exit status, stderr, and any stdout left.
    fn finish(mut self) -> (std::process::ExitStatus, String, Vec<String>) {
        drop(self.stdin.take());
        let status = wait_or_kill(&mut self.child, "mcp serve after stdin closed");
        let err = all_stderr(&mut self.child);
        let rest: Vec<String> = self.lines.try_iter().collect();
        (status, err, rest)
    }
}

/// Waits (an event: the stand-in's log) until a slow run has reached the stand-in.
fn wait_for_a_slow_run(server: &Server) {
    let started = Instant::now();
    while slow_requests(server) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the run never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn slow_requests(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r["body"].as_str().is_some_and(|b| b.contains("agent_slow")))
        .count()
}

#[test]
fn the_protocol_is_one_json_rpc_message_per_line_and_a_cancelled_call_stops_its_run() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let mut s = Session::start(&home, &server, &["--tool", "weather", "--tool", "slow"]);
    s.initialize();
    s.send(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}));
    let (list, _) = s.response(1);
    let names: Vec<&str> = list["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["slow", "weather"], "--tool chooses");
    // A long call with a progress token, cancelled once the stand-in has it.
    s.call(2, "slow", json!({}), Some(json!({"progressToken": "p-2"})));
    wait_for_a_slow_run(&server);
    let progress = s.next();
    assert_eq!(progress["method"], "notifications/progress", "{progress}");
    assert_eq!(progress["params"]["progressToken"], "p-2");
    s.send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                  "params": {"requestId": 2, "reason": "the user pressed stop"}}),
    );
    // The server goes on; the cancelled call gets no response (the next is call 3's).
    s.call(3, "weather", json!({"city": "Oslo"}), None);
    let (answer, _) = s.response(3);
    assert_eq!(answer["result"]["isError"], false, "{answer}");
    // An unknown tool is a protocol error; a line that is not JSON is answered as one.
    s.call(4, "nope", json!({}), None);
    let (unknown, _) = s.response(4);
    assert!(
        unknown["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nope"),
        "{unknown}"
    );
    let (status, err, rest) = s.finish();
    assert!(status.success(), "{err}");
    assert!(
        rest.iter().all(|l| !l.contains("\"id\":2")),
        "a response for the cancelled call: {rest:?}"
    );
    for line in &rest {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(v["jsonrpc"], "2.0");
    }
    assert_contains(&err, "mcp: serving 2 tool(s) on stdio");
    let entries = history(&home, &server);
    let slow = entries.iter().find(|e| e["via"] == "mcp:slow").unwrap();
    assert_eq!(slow["exit"], 130);
}

/// An error answer with the key across the 2,048th character a tool error quotes, at every
/// offset: neither the client nor the history gets more of the key than its masked form.
#[test]
fn a_key_at_the_cut_of_a_tool_error_is_masked_for_the_client_and_the_history() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let body_of = |n: usize| {
        format!(
            "{{\"error\":\"no\",\"pad\":\"{}{KEY}\"}}",
            "x".repeat(2000 + n)
        )
    };
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let raw = RawServer::start(move |s| {
        let body = body_of(counter.fetch_add(1, Ordering::SeqCst));
        let _ = write!(
            s,
            "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
    });
    let mut s = Session::start_at(&home, &raw.url, &["--tool", "echo", "--retries", "0"]);
    s.initialize();
    for id in 1..=40 {
        s.call(id, "echo", json!({}), None);
        let (answer, _) = s.response(id);
        assert_eq!(answer["result"]["isError"], true, "{answer}");
        let text = answer["result"].to_string();
        assert_contains(&text, "The answer: ");
        assert!(
            crate::day_two::longest_run_of_key(&text) <= 4,
            "call {id}: {text}"
        );
    }
    let (status, err, _) = s.finish();
    assert!(status.success(), "{err}");
    let out = home
        .miiflow(&server)
        .args(["history", "list", "--json", "-n", "100"])
        .output()
        .unwrap();
    let listed: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(listed.len(), 40);
    for entry in listed {
        let out = home
            .miiflow(&server)
            .args(["history", "show", &entry["id"].to_string()])
            .output()
            .unwrap();
        let shown: Value = serde_json::from_str(&stdout(&out)).unwrap();
        for field in ["error", "output"] {
            let text = shown[field].to_string();
            assert!(
                crate::day_two::longest_run_of_key(&text) <= 4,
                "{field}: {text}"
            );
        }
    }
}

/// Issue 28, item 19: every line is answered as JSON-RPC says — one that is not JSON with
/// -32700, one over 16 MiB with -32600 and its id — and the session goes on; an answer over
/// 16 MiB says that the agent ran.
#[test]
fn bad_and_oversized_lines_are_answered_and_a_huge_answer_says_the_agent_ran() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let mut s = Session::start(&home, &server, &["--tool", "echo"]);
    s.initialize();
    {
        let stdin = s.stdin.as_mut().unwrap();
        stdin.write_all(b"{not json\n").unwrap();
        stdin.flush().unwrap();
    }
    let (bad, _) = s.response_null();
    assert_eq!(bad["error"]["code"], -32700, "{bad}");
    {
        let stdin = s.stdin.as_mut().unwrap();
        let huge = format!(
            "{{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{{\"name\":\"echo\",\
             \"arguments\":{{\"s\":\"{}\"}}}}}}\n",
            "x".repeat(17 << 20)
        );
        stdin.write_all(huge.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let (big, _) = s.response(9);
    assert_eq!(big["error"]["code"], -32600, "{big}");
    assert_contains(&big["error"]["message"].to_string(), "larger than 16 MiB");
    s.call(10, "echo", json!({"n": 1}), None);
    let (fine, _) = s.response(10);
    assert_eq!(fine["result"]["isError"], false, "{fine}");
    let (status, err, _) = s.finish();
    assert!(status.success(), "{err}");
    // An answer over 16 MiB: the run happened, and the tool error says so.
    let huge = RawServer::fixed("200 OK", format!("\"{}\"", "y".repeat(17 << 20)));
    let mut s = Session::start_at(&home, &huge.url, &["--tool", "echo"]);
    s.initialize();
    s.call(1, "echo", json!({}), None);
    let (answer, _) = s.response(1);
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    let text = answer["result"]["content"][0]["text"].as_str().unwrap();
    assert_contains(text, "The agent ran");
    assert!(!text.contains("Nothing may have run"), "{text}");
    let (status, err, _) = s.finish();
    assert!(status.success(), "{err}");
}

/// Issue 28, item 20: started by hand on a terminal, the server says what it waits for.
#[test]
fn serve_on_a_terminal_says_what_it_waits_for() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let config = home.config_dir();
    let data = home.data_dir();
    let mut term = Tty::start(
        "mcp serve",
        &[
            ("MIIFLOW_BASE_URL", &server.url),
            ("MIIFLOW_API_KEY", KEY),
            ("MIIFLOW_CONFIG_DIR", config.to_str().unwrap()),
            ("MIIFLOW_DATA_DIR", data.to_str().unwrap()),
        ],
    );
    term.expect("waiting for an MCP client");
    term.expect("mcp install");
    term.send("\x04");
    let (code, raw) = term.finish();
    assert_eq!(code, Some(0), "{raw}");
}

/// Issue 28, item 17: recording never holds a call: with the history locked by another
/// process, calls are answered at once (one slot: each waits for the one before), and every
/// call is recorded once the lock is gone.
#[test]
fn a_locked_history_holds_no_call() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    // The database exists, and another process holds its write lock: large answers (over
    // 64 KiB, not spooled by a single run) were recorded directly, each waiting 10 s.
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_x", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let db = rusqlite::Connection::open(home.data_dir().join("history.sqlite")).unwrap();
    db.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let mut s = Session::start(&home, &server, &["--tool", "echo", "--concurrency", "1"]);
    s.initialize();
    let started = Instant::now();
    for id in 1..=3 {
        s.call(id, "echo", json!({"big": "x".repeat(200_000)}), None);
    }
    for id in 1..=3 {
        let (answer, _) = s.response(id);
        assert_eq!(answer["result"]["isError"], false, "{answer}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "calls waited on the history: {:?}",
        started.elapsed()
    );
    db.execute_batch("ROLLBACK").unwrap();
    drop(db);
    let (status, err, _) = s.finish();
    assert!(status.success(), "{err}");
    let entries = history(&home, &server);
    assert_eq!(
        entries.iter().filter(|e| e["via"] == "mcp:echo").count(),
        3,
        "{entries:?}"
    );
}

#[test]
fn calls_past_the_concurrency_wait_and_each_has_its_own_timeout() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let mut s = Session::start(
        &home,
        &server,
        &["--concurrency", "1", "--timeout", "1", "--no-history"],
    );
    s.initialize();
    // Two inputs: the stand-in is slow once per input.
    s.call(1, "slow", json!({"n": 1}), None);
    s.call(2, "slow", json!({"n": 2}), None);
    wait_for_a_slow_run(&server);
    assert_eq!(
        slow_requests(&server),
        1,
        "the second call waits for the first"
    );
    for id in [1, 2] {
        let (r, _) = s.response(id);
        assert_eq!(r["result"]["isError"], true, "{r}");
        let text = r["result"]["content"][0]["text"].as_str().unwrap();
        assert!(text.contains("took longer than 1 s"), "{text}");
    }
    assert_eq!(slow_requests(&server), 2);
    let (status, err, _) = s.finish();
    assert!(status.success(), "{err}");
    assert!(
        !home.data_dir().join("history.sqlite").exists(),
        "--no-history"
    );
}

#[test]
fn serve_refuses_to_start_without_tools_or_a_key() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["mcp", "serve"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "has no aliases to serve as tools");
    assert!(stdout(&out).is_empty(), "nothing but protocol on stdout");
    aliases(&home, &server);
    let out = without_keyring(&mut home.miiflow(&server))
        .args(["mcp", "serve"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let out = home
        .miiflow(&server)
        .args(["agents", "add", "x", "agent_x", "--param", "days:int"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "expected NAME:TYPE");
}

/// A config file as a user has it: comments (where the format takes them), other servers,
/// other settings.
fn existing(client: &str) -> (&'static str, &'static str) {
    match client {
        "zed" => (
            "settings.json",
            "// Zed settings\n{\n  \"theme\": \"One Dark\", // mine\n  \"context_servers\": {\n    \"other\": {\"source\": \"custom\", \"command\": \"other-mcp\"},\n  },\n}\n",
        ),
        "vscode" => (
            "mcp.json",
            "{\n  // my servers\n  \"servers\": {\n    \"github\": {\"type\": \"http\", \"url\": \"https://api.githubcopilot.com/mcp/\"}\n  }\n}\n",
        ),
        _ => (
            "config.json",
            "{\n  \"numStartups\": 12,\n  \"mcpServers\": {\n    \"other\": {\"command\": \"other-mcp\", \"args\": []}\n  }\n}\n",
        ),
    }
}

#[test]
fn install_adds_the_entry_to_each_clients_file_keeping_the_rest() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let dir = temp();
    let exe = std::fs::canonicalize(assert_cmd::cargo::cargo_bin("miiflow")).unwrap();
    for (client, key) in [
        ("claude-desktop", "mcpServers"),
        ("claude-code", "mcpServers"),
        ("cursor", "mcpServers"),
        ("vscode", "servers"),
        ("zed", "context_servers"),
    ] {
        let (name, text) = existing(client);
        let path = dir.path().join(client).join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        let install = |extra: &[&str]| {
            home.miiflow(&server)
                .env("MIIFLOW_API_KEY", KEY)
                .args(["mcp", "install", "--client", client, "--config"])
                .arg(&path)
                .args(["--tool", "weather"])
                .args(extra)
                .output()
                .unwrap()
        };
        let dry = install(&["--dry-run"]);
        assert!(dry.status.success(), "{client}: {}", stderr(&dry));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "--dry-run changes nothing"
        );
        assert_contains(&stdout(&dry), &exe.display().to_string());
        let out = install(&[]);
        assert!(out.status.success(), "{client}: {}", stderr(&out));
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(!written.contains(&KEY[8..]), "no key in {client}'s file");
        let backup = path.with_file_name(format!("{name}.miiflow-backup"));
        assert_eq!(
            std::fs::read_to_string(&backup).unwrap(),
            text,
            "{client}: the backup"
        );
        // Every line of the old file is still there (the entry went inside its object).
        for line in text.lines().filter(|l| l.contains('"') || l.contains("//")) {
            assert!(
                written.contains(line.trim_end_matches(',')),
                "{client}: {line:?} kept in\n{written}"
            );
        }
        let value = jsonc(&written);
        let entry = &value[key]["miiflow"];
        assert_eq!(
            entry["command"],
            exe.display().to_string(),
            "{client}: {written}"
        );
        // The base URL came from MIIFLOW_BASE_URL, which the client does not pass on.
        assert_eq!(
            entry["args"],
            json!([
                "--base-url",
                server.url,
                "mcp",
                "serve",
                "--tool",
                "weather"
            ]),
            "{client}"
        );
        assert_eq!(
            entry["env"]["MIIFLOW_CONFIG_DIR"],
            home.config_dir().display().to_string()
        );
        // Installing the same entry again changes nothing; another one updates it in place.
        let again = install(&[]);
        assert!(again.status.success());
        assert_contains(
            &stderr(&again),
            "already there as it is; nothing was changed",
        );
        assert_eq!(jsonc(&std::fs::read_to_string(&path).unwrap()), value);
        let other = install(&["--tool", "echo"]);
        assert!(other.status.success());
        assert_contains(&stderr(&other), "the server entry replaced");
        let value = jsonc(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(value[key]["miiflow"]["args"][7], "echo", "{value}");
    }
}

#[test]
fn install_finds_the_documented_places_and_leaves_a_file_that_is_not_json_alone() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let dir = temp();
    // The documented places, from the home folder (Linux).
    for (client, place) in [
        ("claude-code", ".claude.json"),
        ("cursor", ".cursor/mcp.json"),
    ] {
        let fake_home = temp();
        let out = home
            .miiflow(&server)
            .env("HOME", fake_home.path())
            .args(["mcp", "install", "--client", client])
            .output()
            .unwrap();
        assert!(out.status.success(), "{client}: {}", stderr(&out));
        let written = jsonc(&std::fs::read_to_string(fake_home.path().join(place)).unwrap());
        assert_eq!(
            written["mcpServers"]["miiflow"]["args"],
            json!(["--base-url", server.url, "mcp", "serve"])
        );
    }
    // A file that is not JSON is left alone.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{ not json").unwrap();
    let out = home
        .miiflow(&server)
        .args(["mcp", "install", "--client", "cursor", "--config"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "nothing was changed");
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "{ not json");
}

/// A client's JSON (comments and trailing commas allowed) as a value.
fn jsonc(text: &str) -> Value {
    let stripped: String = text
        .lines()
        .map(|l| {
            // A `//` outside a string (an even number of quotes before it) starts a comment.
            let comment = l
                .match_indices("//")
                .find(|(i, _)| l[..*i].matches('"').count() % 2 == 0);
            match comment {
                Some((i, _)) => &l[..i],
                None => l,
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let no_trailing = regex::Regex::new(r",(\s*[}\]])")
        .unwrap()
        .replace_all(&stripped, "$1");
    serde_json::from_str(&no_trailing).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// `mcp install --url URL`: an HTTP client's entry points at the running server and takes the
/// token from the client's environment reference (Claude Code, Cursor) or its password prompt
/// (VS Code), never from the file; Claude Desktop and Zed are refused with what to do (Zed's
/// with what to paste, a placeholder in place of the token), nothing written.
#[test]
fn install_points_http_clients_at_the_url_with_the_token_never_in_the_file() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .args(["mcp", "token", "create", "editor", "--insecure-storage"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).trim().to_owned();
    let dir = temp();
    let url = "http://127.0.0.1:8931/mcp";
    let install = |client: &str, path: &Path, extra: &[&str]| {
        home.miiflow(&server)
            .env("MIIFLOW_MCP_TOKEN", &token)
            .args([
                "mcp", "install", "--client", client, "--url", url, "--config",
            ])
            .arg(path)
            .args(extra)
            .output()
            .unwrap()
    };
    for (client, key, reference) in [
        ("claude-code", "mcpServers", "Bearer ${MIIFLOW_MCP_TOKEN}"),
        ("cursor", "mcpServers", "Bearer ${env:EDITOR_TOKEN}"),
        ("vscode", "servers", "Bearer ${input:miiflow-token}"),
    ] {
        let path = dir.path().join(client).join("mcp.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            "{\n  // mine\n  \"inputs\": [],\n  \"other\": 1\n}\n",
        )
        .unwrap();
        let extra: &[&str] = match client {
            "cursor" => &["--token-env", "EDITOR_TOKEN"],
            _ => &[],
        };
        let dry = install(client, &path, &[extra, &["--dry-run"]].concat());
        assert!(dry.status.success(), "{client}: {}", stderr(&dry));
        assert_contains(&stdout(&dry), reference);
        for _ in 0..2 {
            let out = install(client, &path, extra);
            assert!(out.status.success(), "{client}: {}", stderr(&out));
            assert_contains(&stderr(&out), "a token of `miiflow mcp token create NAME`");
        }
        // The second time found it as asked: nothing written, no second backup.
        assert!(
            !path.with_file_name("mcp.json.miiflow-backup.1").exists(),
            "{client}"
        );
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(!written.contains(&token), "{client}: no token in {written}");
        assert!(
            !written.contains(&KEY[8..]),
            "{client}: no key in {written}"
        );
        assert_contains(&written, "// mine");
        let value = jsonc(&written);
        let entry = &value[key]["miiflow"];
        assert_eq!(entry["url"], url, "{client}: {written}");
        assert_eq!(entry["headers"]["Authorization"], reference, "{written}");
        assert!(entry.get("command").is_none(), "{written}");
        match client {
            "vscode" => {
                assert_eq!(entry["type"], "http");
                // Installed twice: one prompt, a password one.
                let inputs = value["inputs"].as_array().unwrap();
                assert_eq!(inputs.len(), 1, "{written}");
                assert_eq!(inputs[0]["id"], "miiflow-token");
                assert_eq!(inputs[0]["type"], "promptString");
                assert_eq!(inputs[0]["password"], true);
            }
            "claude-code" => assert_eq!(entry["type"], "http"),
            _ => assert_eq!(value["inputs"], serde_json::json!([])),
        }
    }
    for (client, says) in [
        ("claude-desktop", "Customize → Connectors"),
        ("zed", "\"Authorization\": \"Bearer <TOKEN>\""),
    ] {
        let path = dir.path().join(client).join("settings.json");
        let out = install(client, &path, &[]);
        assert_eq!(out.status.code(), Some(2), "{client}: {}", stderr(&out));
        assert_contains(&stderr(&out), says);
        assert_contains(&stderr(&out), "nothing was changed");
        assert!(!stderr(&out).contains(&token));
        assert!(!path.exists(), "{client}: nothing written");
    }
}

/// `mcp install` refuses a --url that is not http(s), --tool with --url (the server chooses
/// its tools), --token-env without --url: exit 2, nothing written.
#[test]
fn install_refuses_a_bad_url_and_options_that_do_not_go_with_it() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let dir = temp();
    let url = "http://127.0.0.1:8931/mcp";
    for args in [
        &["--url", "ftp://127.0.0.1/mcp"][..],
        &["--url", "127.0.0.1:8931"],
        &["--url", "http://me:mcp_secret@127.0.0.1:8931/mcp"],
        &["--url", url, "--tool", "weather"],
        &["--token-env", "X"],
    ] {
        let path = dir.path().join("bad.json");
        let out = home
            .miiflow(&server)
            .args(["mcp", "install", "--client", "cursor", "--config"])
            .arg(&path)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!path.exists(), "{args:?}");
    }
}

/// SIGTERM to the stdio server while a call is in flight: the call ends at once, recorded with
/// the signal's exit code (143), and the server exits 143.
#[test]
fn a_stop_signal_on_stdio_records_the_call_it_stops() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let mut s = Session::start(&home, &server, &["--tool", "slow"]);
    s.initialize();
    s.call(1, "slow", json!({}), None);
    wait_for_a_slow_run(&server);
    unsafe { libc::kill(s.child.id() as i32, libc::SIGTERM) };
    let (status, err, _) = s.finish();
    assert_eq!(status.code(), Some(143), "{err}");
    let entries = history(&home, &server);
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["via"], "mcp:slow");
    assert_eq!(entries[0]["exit"], 143, "{entries:#?}");
}
