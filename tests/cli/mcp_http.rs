//! `miiflow mcp serve --http`: the same tools over Streamable HTTP, driven by the official MCP
//! Python SDK's HTTP client, and the doors checked with raw HTTP (a token, the Host, the
//! Origin, methods, media types, the body's size), then a stop signal that drains.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::mcp::{aliases, check_scenario, history, sdk_python};
use crate::support::*;

const TOKEN: &str = "mcp-test-token-0123456789abcdefghijklmnop";

/// `miiflow mcp serve --http 127.0.0.1:0 ARGS`, started and read until it says its URL.
struct Running {
    child: Child,
    url: String,
    /// Its stderr's later lines, as they come.
    lines: std::sync::mpsc::Receiver<String>,
}

impl Running {
    fn start(home: &Home, server: &Server, args: &[&str]) -> Running {
        Running::start_with(home, server, args, Some(TOKEN))
    }

    /// The same, with `env_token` as MIIFLOW_MCP_TOKEN (none: the stored tokens only).
    fn start_with(home: &Home, server: &Server, args: &[&str], env_token: Option<&str>) -> Running {
        let mut cmd = miiflow_std();
        if let Some(t) = env_token {
            cmd.env("MIIFLOW_MCP_TOKEN", t);
        }
        let mut child = cmd
            .env("MIIFLOW_CONFIG_DIR", home.config_dir())
            .env("MIIFLOW_DATA_DIR", home.data_dir())
            .env("MIIFLOW_BASE_URL", &server.url)
            .env("MIIFLOW_API_KEY", KEY)
            .args(["mcp", "serve", "--http", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        // The event: the line that says where it serves.
        err.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://") || w.starts_with("https://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .to_owned();
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Keep stderr drained, its lines at hand.
            for line in err.lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        Running { child, url, lines }
    }

    /// Waits for a stderr line holding `needle` (the event), and returns it.
    fn wait_for(&self, needle: &str) -> String {
        for line in self.lines.iter() {
            if line.contains(needle) {
                return line;
            }
        }
        panic!("stderr ended without a line holding {needle:?}")
    }

    /// SIGTERM, then the exit code.
    fn stop(mut self) -> Option<i32> {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        self.child.wait().unwrap().code()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn an_assistant_uses_the_tools_over_http_through_the_official_sdk() {
    let Some(python) = sdk_python() else { return };
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let running = Running::start(&home, &server, &[]);
    let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp/client.py");
    let out = std::process::Command::new(python)
        .arg(client)
        .arg("--http")
        .arg(&running.url)
        .env("MIIFLOW_MCP_TOKEN", TOKEN)
        .env("MIIFLOW_API_KEY", KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let seen: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // A stop signal: no new connection, the calls in flight finish, exit 0.
    assert_eq!(running.stop(), Some(0));
    check_scenario(&seen, &home, &server, "mcp-http");
}

/// `--tls-cert`/`--tls-key`: the same scenario through the official SDK over https, trusting
/// only the private CA; plain HTTP to the TLS port gets no answer; bad files are refused
/// before anything listens.
#[test]
fn it_serves_https_with_a_certificate_and_key() {
    let Some(python) = sdk_python() else { return };
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = private_ca(dir.path(), "IP:127.0.0.1,DNS:localhost");
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let running = Running::start(&home, &server, &["--tls-cert", cert, "--tls-key", key]);
    assert!(
        running.url.starts_with("https://127.0.0.1:"),
        "{}",
        running.url
    );
    let client = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp/client.py");
    let out = std::process::Command::new(&python)
        .arg(&client)
        .arg("--http")
        .arg(&running.url)
        .env("SSL_CERT_FILE", &ca)
        .env("MIIFLOW_MCP_TOKEN", TOKEN)
        .env("MIIFLOW_API_KEY", KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let seen: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // Not over plain HTTP: the TLS port does not answer in clear text.
    let (status, _) = post(
        &running.url.replacen("https://", "http://", 1),
        &[("Authorization", &format!("Bearer {TOKEN}"))],
        "{}",
    );
    assert_eq!(status, 0);
    assert_eq!(running.stop(), Some(0));
    check_scenario(&seen, &home, &server, "mcp-http");

    // A key that is not the certificate's, a file that is not PEM, a missing one: exit 2.
    let elsewhere = tempfile::tempdir().unwrap();
    let (_, other, _) = private_ca(elsewhere.path(), "IP:127.0.0.1");
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    for (cert, key, says) in [
        (
            other.to_str().unwrap(),
            key,
            "does --tls-key hold this certificate's key?",
        ),
        (readme.to_str().unwrap(), key, "--tls-cert"),
        (
            cert,
            "/nonexistent/key.pem",
            "--tls-key /nonexistent/key.pem",
        ),
    ] {
        let out = home
            .miiflow(&server)
            .env("MIIFLOW_MCP_TOKEN", TOKEN)
            .args([
                "mcp",
                "serve",
                "--http",
                "127.0.0.1:0",
                "--tls-cert",
                cert,
                "--tls-key",
                key,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_contains(&stderr(&out), says);
        assert!(!stderr(&out).contains("serving"), "{}", stderr(&out));
    }
}

/// `--allow-host NAME`: a name clients use (a certificate's, a proxy's) is taken in `Host`,
/// and that name's origin in `Origin`; without it, 403.
#[test]
fn allow_host_admits_a_name_the_server_is_reached_by() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let list = r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"#;
    let bearer = format!("Bearer {TOKEN}");
    for (allowed, host, origin, expected) in [
        (None, "mcp.example.test", None, 403),
        (Some("mcp.example.test"), "mcp.example.test", None, 200),
        (Some("mcp.example.test"), "other.example.test", None, 403),
        (Some("mcp.example.test:9"), "mcp.example.test", None, 403),
        (
            Some("mcp.example.test"),
            "mcp.example.test",
            Some("http://mcp.example.test"),
            200,
        ),
        (
            Some("mcp.example.test"),
            "mcp.example.test",
            Some("http://evil.test"),
            403,
        ),
    ] {
        let args: Vec<&str> = allowed.iter().flat_map(|h| ["--allow-host", h]).collect();
        let running = Running::start(&home, &server, &args);
        let port = running
            .url
            .rsplit(':')
            .next()
            .unwrap()
            .trim_end_matches("/mcp");
        let host = format!("{host}:{port}");
        let origin = origin.map(|o| format!("{o}:{port}"));
        let mut headers = vec![
            ("Authorization", bearer.as_str()),
            ("Host", host.as_str()),
            ("MCP-Protocol-Version", "2026-07-28"),
            ("Mcp-Method", "tools/list"),
        ];
        if let Some(origin) = &origin {
            headers.push(("Origin", origin));
        }
        let (status, answer) = post(&running.url, &headers, list);
        assert_eq!(status, expected, "{allowed:?} {host} {origin:?}: {answer}");
        if expected == 200 {
            assert_contains(&answer, "\"weather\"");
        }
    }
}

/// A raw HTTP/1.1 request to the server; the status code and the whole answer.
fn raw(url: &str, request: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let authority = url.trim_start_matches("http://").split('/').next().unwrap();
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

fn post(url: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let authority = url.trim_start_matches("http://").split('/').next().unwrap();
    let mut request = format!("POST /mcp HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    let has = |name: &str| headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(name));
    if !has("content-type") {
        request.push_str("Content-Type: application/json\r\n");
    }
    if !has("accept") {
        request.push_str("Accept: application/json, text/event-stream\r\n");
    }
    for (h, v) in headers {
        if h.eq_ignore_ascii_case("host") {
            request = request.replace(&format!("Host: {authority}\r\n"), "");
        }
        request.push_str(&format!("{h}: {v}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    raw(url, &request)
}

const INIT: &str = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#;

#[test]
fn the_doors_refuse_a_missing_token_a_foreign_origin_a_rebinding_host_and_oversized_bodies() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let running = Running::start(&home, &server, &[]);
    let url = &running.url;
    let bearer = format!("Bearer {TOKEN}");
    // The token opens the door: a 2025-11-25 client's handshake is answered.
    let (status, answer) = post(url, &[("Authorization", &bearer)], INIT);
    assert_eq!(status, 200, "{answer}");
    assert_contains(&answer, "\"name\":\"miiflow\"");
    // No token, a wrong one, another scheme: 401 with WWW-Authenticate, nothing else said.
    for auth in [
        None,
        Some("Bearer nope"),
        Some(format!("Basic {TOKEN}").as_str()),
    ] {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("Authorization", a)).into_iter().collect();
        let (status, answer) = post(url, &headers, INIT);
        assert_eq!(status, 401, "{auth:?}: {answer}");
        assert_contains(&answer.to_ascii_lowercase(), "www-authenticate: bearer");
        assert!(!answer.contains("miiflow\",\"version"), "{answer}");
    }
    // A page from another origin, and a rebinding Host: 403.
    let (status, answer) = post(
        url,
        &[
            ("Authorization", &bearer),
            ("Origin", "https://evil.example"),
        ],
        INIT,
    );
    assert_eq!(status, 403, "{answer}");
    let port = url.rsplit(':').next().unwrap().trim_end_matches("/mcp");
    let (status, answer) = post(
        url,
        &[
            ("Authorization", &bearer),
            ("Host", &format!("evil.example:{port}")),
        ],
        INIT,
    );
    assert_eq!(status, 403, "{answer}");
    // The server's own origin is welcome.
    let own = format!("http://127.0.0.1:{port}");
    let (status, answer) = post(url, &[("Authorization", &bearer), ("Origin", &own)], INIT);
    assert_eq!(status, 200, "{answer}");
    // Wrong media type, wrong method: 415, 405.
    let (status, answer) = post(
        url,
        &[("Authorization", &bearer), ("Content-Type", "text/plain")],
        INIT,
    );
    assert_eq!(status, 415, "{answer}");
    let authority = url.trim_start_matches("http://").trim_end_matches("/mcp");
    let (status, answer) = raw(
        url,
        &format!(
            "PUT /mcp HTTP/1.1\r\nHost: {authority}\r\nAuthorization: {bearer}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        ),
    );
    assert_eq!(status, 405, "{answer}");
    // A body over the limit (1 MiB): refused, not read into memory.
    let big = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{{"pad":"{}"}}}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let (status, answer) = post(url, &[("Authorization", &bearer)], &big);
    assert!(
        status == 413 || status == 400,
        "{status}: {}",
        &answer[..answer.len().min(300)]
    );
    // Nothing ran.
    assert_eq!(agent_runs(&server), 0);
}

#[test]
fn the_server_refuses_to_start_without_a_token_or_on_a_remote_address_unasked() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let cases: [(&[&str], Option<&str>, &str); 3] = [
        (
            &["--http", "127.0.0.1:0"],
            None,
            "needs a token that clients send",
        ),
        (
            &["--http", "127.0.0.1:0"],
            Some("tiny-token-xyz"),
            "shorter than 32 characters",
        ),
        (
            &["--http", "10.1.2.3:8931"],
            Some(TOKEN),
            "not a loopback address",
        ),
    ];
    for (args, token, why) in cases {
        let mut cmd = home.miiflow(&server);
        cmd.args(["mcp", "serve"]).args(args);
        match token {
            Some(t) => cmd.env("MIIFLOW_MCP_TOKEN", t),
            None => cmd.env_remove("MIIFLOW_MCP_TOKEN"),
        };
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_contains(&stderr(&out), why);
        assert!(
            !stderr(&out).contains("tiny-token-xyz"),
            "the token is not repeated"
        );
    }
}

/// `mcp token create` shows a token once, alone on stdout; a server started with no token in
/// its environment accepts it; `mcp token revoke` ends it for that running server at once.
#[test]
fn a_created_token_opens_the_door_and_a_revoked_one_is_refused_by_the_running_server() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let created = home
        .miiflow(&server)
        .args(["mcp", "token", "create", "webui", "--insecure-storage"])
        .output()
        .unwrap();
    assert!(created.status.success(), "{}", stderr(&created));
    let token = stdout(&created);
    let token = token.strip_suffix('\n').unwrap();
    assert!(token.starts_with("mcp_") && token.len() == 68, "{token:?}");
    assert!(!token.contains('\n'), "alone on its line");
    assert_contains(&stderr(&created), "shown this once");
    assert!(
        !stderr(&created).contains(token),
        "the advice does not repeat it"
    );
    // The secret is in the store, never in config.toml (its digest is).
    assert!(!home.config().contains(token), "{}", home.config());
    assert_contains(&home.config(), "[mcp.tokens.webui]");
    let kept = home.config_dir().join("credentials/mcp-token+webui.key");
    assert_eq!(std::fs::read_to_string(&kept).unwrap().trim(), token);
    // Another change to the config keeps it (the credentials folder is swept of what no
    // profile or token records).
    let other = home
        .miiflow(&server)
        .args(["agents", "add", "other", "agent_other"])
        .output()
        .unwrap();
    assert!(other.status.success(), "{}", stderr(&other));
    assert!(kept.exists(), "the token's secret was swept away");
    let list = home
        .miiflow(&server)
        .args(["mcp", "token", "list"])
        .output()
        .unwrap();
    assert_contains(&stdout(&list), "webui\tplain-file\t");
    assert!(!stdout(&list).contains(token));
    // A second token of that name is refused.
    let again = home
        .miiflow(&server)
        .args(["mcp", "token", "create", "webui", "--insecure-storage"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));

    let running = Running::start_with(&home, &server, &[], None);
    let bearer = format!("Bearer {token}");
    let (status, answer) = post(&running.url, &[("Authorization", &bearer)], INIT);
    assert_eq!(status, 200, "{answer}");
    let revoked = home
        .miiflow(&server)
        .args(["mcp", "token", "revoke", "webui"])
        .output()
        .unwrap();
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    let (status, answer) = post(&running.url, &[("Authorization", &bearer)], INIT);
    assert_eq!(
        status, 401,
        "the running server refuses it at once: {answer}"
    );
    // Its secret is gone from the store too, and revoking it again is an error.
    assert!(home.files_containing(token).is_empty());
    let twice = home
        .miiflow(&server)
        .args(["mcp", "token", "revoke", "webui"])
        .output()
        .unwrap();
    assert_eq!(twice.status.code(), Some(2), "{}", stderr(&twice));
}

/// A stateless tools/call as a 2026-07-28 client sends it.
fn call(url: &str, token: &str, city: &str) -> (u16, String) {
    let body = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"weather","arguments":{{"city":"{city}"}},"_meta":{{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{{}}}}}}}}"#
    );
    post(
        url,
        &[
            ("Authorization", &format!("Bearer {token}")),
            ("MCP-Protocol-Version", "2026-07-28"),
            ("Mcp-Method", "tools/call"),
            ("Mcp-Name", "weather"),
        ],
        &body,
    )
}

/// 200 calls from 20 clients at once: every one answered and recorded (as mcp-http:weather),
/// calls past --concurrency queued, the server's memory bounded.
#[test]
fn two_hundred_calls_from_twenty_clients_are_all_answered_and_recorded() {
    let home = Home::new();
    let server = Server::with(&["--latency", "20"]);
    aliases(&home, &server);
    let running = Running::start(&home, &server, &["--concurrency", "8"]);
    let url = running.url.clone();
    let clients: Vec<_> = (0..20)
        .map(|c| {
            let url = url.clone();
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| call(&url, TOKEN, &format!("c{c}-{i}")))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut answered = 0;
    for client in clients {
        for (status, answer) in client.join().unwrap() {
            assert_eq!(status, 200, "{answer}");
            assert_contains(&answer, "\"isError\":false");
            answered += 1;
        }
    }
    assert_eq!(answered, 200);
    assert_eq!(agent_runs(&server), 200);
    let status = std::fs::read_to_string(format!("/proc/{}/status", running.child.id())).unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(peak_kb < 64 * 1024, "peak RSS {peak_kb} KB");
    assert_eq!(running.stop(), Some(0));
    let out = home
        .miiflow(&server)
        .args(["history", "list", "-n", "500"])
        .output()
        .unwrap();
    let entries: Vec<Value> = serde_json::from_str(&stdout(&out)).unwrap();
    let http = entries
        .iter()
        .filter(|e| e["via"] == "mcp-http:weather")
        .count();
    assert_eq!(http, 200, "every call recorded");
}

/// A server whose stand-in answers after `latency_ms`, sent SIGTERM once a call's run has
/// reached the stand-in (the event); the call's thread gives its status and answer.
fn stopped_with_a_call_in_flight(
    latency_ms: u32,
) -> (
    Home,
    Server,
    Running,
    std::thread::JoinHandle<(u16, String)>,
) {
    let home = Home::new();
    let server = Server::with(&["--latency", &latency_ms.to_string()]);
    aliases(&home, &server);
    let running = Running::start(&home, &server, &[]);
    let url = running.url.clone();
    let call = std::thread::spawn(move || call(&url, TOKEN, "Tromsø"));
    server.wait_for_requests(1);
    unsafe { libc::kill(running.child.id() as i32, libc::SIGTERM) };
    (home, server, running, call)
}

/// SIGTERM while a call is in flight: the server takes no new connection, the call gets its
/// answer, it is recorded, and the server exits 0.
#[test]
fn a_stop_signal_lets_the_call_in_flight_finish_and_records_it() {
    let (home, server, running, call) = stopped_with_a_call_in_flight(1500);
    let (status, answer) = call.join().unwrap();
    assert_eq!(status, 200, "{answer}");
    assert_contains(&answer, "\"isError\":false");
    assert_contains(&answer, "Tromsø");
    let mut running = running;
    let code = running.child.wait().unwrap().code();
    assert_eq!(code, Some(0));
    // No new connection after the signal.
    let authority = running
        .url
        .trim_start_matches("http://")
        .trim_end_matches("/mcp")
        .to_owned();
    assert!(std::net::TcpStream::connect(&authority).is_err());
    let entries = history(&home, &server);
    assert_eq!(entries.len(), 1, "{entries:#?}");
    assert_eq!(entries[0]["via"], "mcp-http:weather");
    assert_eq!(entries[0]["exit"], 0);
}

/// A second signal while calls drain stops at once, with the signal's exit code (143 for
/// SIGTERM, 130 for Ctrl-C): the call in flight ends now, its client is told the server
/// stopped (not left waiting for the minute the stand-in would take), and it is recorded with
/// that exit code.
#[test]
fn a_second_signal_while_draining_stops_at_once_with_the_signals_code() {
    for (second, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let (home, server, running, call) = stopped_with_a_call_in_flight(60_000);
        let pid = running.child.id() as i32;
        running.wait_for("mcp: stopping");
        unsafe { libc::kill(pid, second) };
        let mut running = running;
        assert_eq!(running.child.wait().unwrap().code(), Some(code));
        let line = running.wait_for("warning");
        assert_contains(&line, "calls in flight were stopped");
        let (status, answer) = call.join().unwrap();
        assert_eq!(status, 200, "{answer}");
        assert_contains(&answer, "\"isError\":true");
        assert_contains(&answer, "The server was stopped before the run answered");
        let entries = history(&home, &server);
        assert_eq!(entries.len(), 1, "{entries:#?}");
        assert_eq!(entries[0]["via"], "mcp-http:weather");
        assert_eq!(entries[0]["exit"], code, "{entries:#?}");
    }
}

/// `agents add --output-schema FILE`: the tool's outputSchema, and a 2xx answer that does not
/// fit it is a tool error saying where; a schema that is not an object's is refused.
#[test]
fn an_output_schema_is_given_to_clients_and_answers_that_do_not_fit_are_tool_errors() {
    let home = Home::new();
    let server = Server::start();
    let dir = temp();
    let schema = write(
        dir.path(),
        "thermo.json",
        r#"{"type":"object","required":["output"],"properties":{"output":{"type":"object","required":["temp"],"properties":{"temp":{"type":"number"}}}}}"#,
    );
    let not_object = write(dir.path(), "list.json", r#"{"type":"array"}"#);
    let refused = home
        .miiflow(&server)
        .args(["agents", "add", "bad", "agent_b", "--output-schema"])
        .arg(&not_object)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert_contains(&stderr(&refused), "needs \"type\": \"object\"");
    let added = home
        .miiflow(&server)
        .args([
            "agents",
            "add",
            "thermo",
            "agent_t",
            "--param",
            "city:string",
        ])
        .args([
            "--param",
            "temp:number?",
            "--description",
            "Temperature",
            "--output-schema",
        ])
        .arg(&schema)
        .output()
        .unwrap();
    assert!(added.status.success(), "{}", stderr(&added));
    let tools = home
        .miiflow(&server)
        .args(["mcp", "list-tools", "--json"])
        .output()
        .unwrap();
    let tools: Value = serde_json::from_str(&stdout(&tools)).unwrap();
    assert_eq!(
        tools["tools"][0]["outputSchema"]["properties"]["output"]["required"][0],
        "temp"
    );
    let running = Running::start(&home, &server, &[]);
    let call = |args: &str| {
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"thermo","arguments":{args},"_meta":{{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{{}}}}}}}}"#
        );
        post(
            &running.url,
            &[
                ("Authorization", &format!("Bearer {TOKEN}")),
                ("MCP-Protocol-Version", "2026-07-28"),
                ("Mcp-Method", "tools/call"),
                ("Mcp-Name", "thermo"),
            ],
            &body,
        )
    };
    let (status, fits) = call(r#"{"city":"Oslo","temp":21.5}"#);
    assert_eq!(status, 200, "{fits}");
    assert_contains(&fits, "\"isError\":false");
    let (status, misfit) = call(r#"{"city":"Oslo"}"#);
    assert_eq!(status, 200, "{misfit}");
    assert_contains(&misfit, "\"isError\":true");
    assert_contains(&misfit, "does not fit the tool's output schema");
    assert_contains(&misfit, "/output");
    assert_contains(&misfit, "temp");
}

/// A client that opens a connection and never finishes its request's head (a slow-loris) is
/// cut off after the header timeout (10 s), before any token is looked at: connections cannot
/// be held open without a token.
#[test]
fn a_request_head_that_never_ends_is_cut_off() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let running = Running::start(&home, &server, &[]);
    cut_off(&running.url, b"POST /mcp HTTP/1.1\r\nHost: ");
    // The server is still serving others.
    let (status, answer) = call(&running.url, TOKEN, "Oslo");
    assert_eq!(status, 200, "{answer}");
}

/// The same for a TLS handshake that never starts: cut off after 10 s.
#[test]
fn a_tls_handshake_that_never_ends_is_cut_off() {
    let home = Home::new();
    let server = Server::start();
    aliases(&home, &server);
    let dir = tempfile::tempdir().unwrap();
    let (_, cert, key) = private_ca(dir.path(), "IP:127.0.0.1");
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let running = Running::start(&home, &server, &["--tls-cert", cert, "--tls-key", key]);
    cut_off(&running.url, b"");
}

/// Connects to `url`'s server, sends `start`, and waits for the server to close the
/// connection (the event; a bound far past the server's timeout keeps a broken server from
/// hanging the suite).
fn cut_off(url: &str, start: &[u8]) {
    use std::io::{Read, Write};
    let authority = url
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_end_matches("/mcp");
    let mut stream = std::net::TcpStream::connect(authority).unwrap();
    stream.write_all(start).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(120)))
        .unwrap();
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    assert!(
        read.is_ok(),
        "the server kept the connection open: {read:?}"
    );
}
