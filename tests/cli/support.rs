//! Shared test helpers: a hermetic `miiflow` command and a real `miiflow-mock` on loopback.

use std::io::{BufRead, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;

pub(crate) const KEY: &str = "mk_test_0123456789abcdef";
/// A second key, for tests with two.
pub(crate) const OTHER: &str = "mk_other_key_fedcba9876";

/// No D-Bus session bus at all, as on a fresh CI machine: the keyring cannot be reached.
pub(crate) fn without_keyring(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    cmd.env(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/miiflow-test-bus",
    )
}

#[path = "../common/hermetic.rs"]
mod hermetic;
use hermetic::SCRUB;

/// A config folder and a data folder (run history) of its own for every command that does
/// not share them (never the user's).
fn fresh_dirs() -> (PathBuf, PathBuf) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let id = std::process::id();
    (
        tmp.join(format!("config-{id}-{n}")),
        tmp.join(format!("data-{id}-{n}")),
    )
}

/// `miiflow` with a clean environment and a config folder of its own.
pub(crate) fn miiflow() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(cargo_bin("miiflow"));
    for var in SCRUB {
        cmd.env_remove(var);
    }
    let (config, data) = fresh_dirs();
    cmd.env("MIIFLOW_CONFIG_DIR", config)
        .env("MIIFLOW_DATA_DIR", data);
    cmd
}

/// The same, as a plain `std::process::Command`, for tests that signal the process.
pub(crate) fn miiflow_std() -> Command {
    let mut cmd = Command::new(cargo_bin("miiflow"));
    for var in SCRUB {
        cmd.env_remove(var);
    }
    let (config, data) = fresh_dirs();
    cmd.env("MIIFLOW_CONFIG_DIR", config)
        .env("MIIFLOW_DATA_DIR", data);
    cmd
}

/// A config folder shared by the commands of one test, as a user's would be.
pub(crate) struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub(crate) fn new() -> Home {
        Home { dir: temp() }
    }

    pub(crate) fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub(crate) fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `miiflow` with this config and data folder, pointed at `server`, with no key in the
    /// environment.
    pub(crate) fn miiflow(&self, server: &Server) -> assert_cmd::Command {
        let mut cmd = miiflow();
        cmd.env("MIIFLOW_CONFIG_DIR", self.config_dir())
            .env("MIIFLOW_DATA_DIR", self.data_dir())
            .env("MIIFLOW_BASE_URL", &server.url);
        cmd
    }

    /// Every file under the config folder whose bytes contain `needle`.
    pub(crate) fn files_containing(&self, needle: &str) -> Vec<PathBuf> {
        fn walk(dir: &Path, needle: &[u8], found: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, needle, found);
                } else if std::fs::read(&path)
                    .is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle))
                {
                    found.push(path);
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.config_dir(), needle.as_bytes(), &mut found);
        found
    }

    pub(crate) fn config(&self) -> String {
        std::fs::read_to_string(self.config_dir().join("config.toml")).unwrap_or_default()
    }
}

/// A folder with the test's files, removed at the end.
pub(crate) fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

pub(crate) fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write a test file");
    path
}

/// The stand-in API, serving on a thread of this test process (stopped on drop): requests and
/// keys are read from its memory, nothing is polled.
pub(crate) struct Server {
    mock: miiflow_mock::Running,
    pub(crate) url: String,
}

impl Server {
    pub(crate) fn start() -> Server {
        Server::with(&[])
    }

    /// Starts the stand-in with `miiflow-mock serve`'s options (faults, answers, latency…),
    /// accepting [`KEY`].
    pub(crate) fn with(args: &[&str]) -> Server {
        let mut all = vec!["--key", KEY];
        all.extend_from_slice(args);
        let mock = miiflow_mock::Running::start(&all, miiflow_mock::Remember::Requests)
            .expect("start the stand-in");
        Server {
            url: mock.url().to_owned(),
            mock,
        }
    }

    /// `miiflow` pointed at this server with the accepted key.
    pub(crate) fn miiflow(&self) -> assert_cmd::Command {
        let mut cmd = miiflow();
        cmd.env("MIIFLOW_BASE_URL", &self.url)
            .env("MIIFLOW_API_KEY", self.mock.key());
        cmd
    }

    pub(crate) fn miiflow_std(&self) -> Command {
        let mut cmd = miiflow_std();
        cmd.env("MIIFLOW_BASE_URL", &self.url)
            .env("MIIFLOW_API_KEY", self.mock.key());
        cmd
    }

    /// The keys the server knows, as its key API lists them.
    pub(crate) fn keys(&self) -> Vec<serde_json::Value> {
        self.mock.keys()
    }

    /// Every request the server has seen, in order.
    pub(crate) fn requests(&self) -> Vec<serde_json::Value> {
        self.mock.requests()
    }

    /// Waits until the server has seen `n` requests.
    pub(crate) fn wait_for_requests(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.requests().len() < n {
            assert!(
                Instant::now() < deadline,
                "the server never saw {n} request(s)"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// A batch's 429 hold, from the server's log: the line carrying a `$fault` was answered
/// `latency` ms after it arrived, and no request arrived from `quiet.start` to `quiet.end` ms
/// after that answer.
pub(crate) fn assert_held(
    requests: &[serde_json::Value],
    latency: u64,
    quiet: std::ops::Range<u64>,
) {
    let limited = requests
        .iter()
        .find(|r| r["body"].as_str().unwrap().contains("$fault"))
        .expect("the limited request was logged")["ms"]
        .as_u64()
        .unwrap();
    let answered = limited + latency;
    for r in requests {
        let ms = r["ms"].as_u64().unwrap();
        assert!(
            !(answered + quiet.start..answered + quiet.end).contains(&ms),
            "a request at {ms} ms during the hold after the 429 answered at {answered} ms"
        );
    }
}

/// `haystack` contains `needle`, or the test fails showing the whole haystack.
#[track_caller]
pub(crate) fn assert_contains(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "{needle:?} not in:\n{haystack}");
}

pub(crate) fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A local port with nothing listening on it, that stays so: a socket is bound to it (never
/// listening, so a connection is refused) and kept for the rest of the test process. A port
/// merely closed again was handed to the next test that bound port 0 — a stand-in then
/// answered a test that expected no server (seen once in three runs of scripts/test).
pub(crate) fn closed_port() -> u16 {
    let socket =
        socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("a socket");
    let any: std::net::SocketAddr = "127.0.0.1:0".parse().expect("an address");
    socket.bind(&any.into()).expect("bind");
    let port = socket
        .local_addr()
        .expect("addr")
        .as_socket()
        .expect("an IP address")
        .port();
    std::mem::forget(socket);
    port
}

#[test]
fn a_closed_port_refuses_connections_and_is_never_handed_out_again() {
    let port = closed_port();
    let refused = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    let taken = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap_err();
    assert_eq!(taken.kind(), std::io::ErrorKind::AddrInUse);
}

/// The body of the only request a server saw, as a string.
pub(crate) fn only_body(server: &Server) -> String {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests[0]["body"].as_str().expect("a body").to_owned()
}

/// A hostile or broken HTTP server on loopback: every connection gets what `answer` writes
/// (after the request head has been read). For what `miiflow-mock` will not do: endless,
/// deep or huge bodies, escape sequences, echoed keys.
pub(crate) struct RawServer {
    pub(crate) url: String,
}

impl RawServer {
    pub(crate) fn start(
        answer: impl Fn(&mut std::net::TcpStream) + Send + Sync + 'static,
    ) -> RawServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let answer = std::sync::Arc::new(answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let answer = answer.clone();
                std::thread::spawn(move || {
                    read_request(&mut stream);
                    answer(&mut stream);
                });
            }
        });
        RawServer { url }
    }

    /// A server that answers every request with this status line, headers and body.
    pub(crate) fn fixed(head: &str, body: impl Into<Vec<u8>>) -> RawServer {
        let head = head.to_owned();
        let body = body.into();
        RawServer::start(move |s| {
            use std::io::Write;
            let _ = write!(
                s,
                "HTTP/1.1 {head}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(&body);
        })
    }

    /// A server whose answer never ends: this status and content type, then `chunk` forever
    /// (chunked encoding), until the client goes away.
    pub(crate) fn endless(head: &str, content_type: &str, start: &[u8], chunk: &[u8]) -> RawServer {
        let (head, content_type) = (head.to_owned(), content_type.to_owned());
        let (start, chunk) = (start.to_vec(), chunk.to_vec());
        RawServer::start(move |s| {
            use std::io::Write;
            let _ = write!(
                s,
                "HTTP/1.1 {head}\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n"
            );
            let frame = |data: &[u8]| {
                let mut f = format!("{:x}\r\n", data.len()).into_bytes();
                f.extend_from_slice(data);
                f.extend_from_slice(b"\r\n");
                f
            };
            if !start.is_empty() && s.write_all(&frame(&start)).is_err() {
                return;
            }
            let framed = frame(&chunk);
            while s.write_all(&framed).is_ok() {}
        })
    }
}

/// Reads an HTTP request's head and (Content-Length) body, so that the client sees its
/// request taken before the answer comes.
fn read_request(stream: &mut std::net::TcpStream) {
    use std::io::Read;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let len = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    let _ = stream.read_exact(&mut body);
}

/// `sh -c SCRIPT` in which `miiflow` is this build's binary, in the scrubbed environment:
/// for pipes, umasks and redirections.
pub(crate) fn shell(script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!(
        "miiflow() {{ '{}' \"$@\"; }}\n{script}",
        cargo_bin("miiflow").display()
    ));
    for var in SCRUB {
        cmd.env_remove(var);
    }
    let (config, data) = fresh_dirs();
    cmd.env("MIIFLOW_CONFIG_DIR", config)
        .env("MIIFLOW_DATA_DIR", data);
    cmd
}

/// Takes `child`'s stdout (a batch's results, printed as each line is counted) and reads its
/// first `n` result lines (the event a test waits for); returns the rest of the stream.
pub(crate) fn read_results(
    child: &mut Child,
    n: usize,
) -> std::io::BufReader<std::process::ChildStdout> {
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout piped"));
    for _ in 0..n {
        let mut line = String::new();
        out.read_line(&mut line).expect("a result line");
        assert!(
            line.starts_with("{\"line\":"),
            "not a result line: {line:?}"
        );
    }
    out
}

/// Reads stderr lines until one starts with `prefix` (the event a test waits for).
pub(crate) fn wait_for_line(reader: &mut impl BufRead, prefix: &str) {
    let mut line = String::new();
    while !line.starts_with(prefix) {
        line.clear();
        let n = reader.read_line(&mut line).expect("read a line");
        assert!(
            n > 0,
            "the stream ended before a line starting with {prefix:?}"
        );
    }
}

/// Reads at least `n` bytes, failing if the stream ends first; returns how many were read.
pub(crate) fn read_at_least(reader: &mut impl std::io::Read, n: usize) -> usize {
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0usize;
    while total < n {
        let got = reader.read(&mut buf).expect("read");
        assert!(got > 0, "the stream stopped after {total} bytes");
        total += got;
    }
    total
}

/// `miiflow ARGS` on a real terminal (`script` gives it a pty for stdin, stdout and stderr).
/// Keys are typed only once the screen shows what the test waits for: no time windows.
/// `\x03` typed here reaches the program as Ctrl-C (SIGINT from the terminal).
pub(crate) struct Tty {
    child: Child,
    stdin: Option<std::process::ChildStdin>,
    screen: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Tty {
    /// Starts `miiflow ARGS` (ARGS as a shell would split them) with `env`, in a clean
    /// environment.
    pub(crate) fn start(args: &str, env: &[(&str, &str)]) -> Tty {
        Tty::start_wide(args, env, 80)
    }

    /// The same on a terminal `cols` columns wide.
    pub(crate) fn start_wide(args: &str, env: &[(&str, &str)], cols: usize) -> Tty {
        let mut cmd = Command::new("script");
        cmd.args([
            "-qefc",
            &format!(
                "stty cols {cols} rows 24; exec '{}' {args}",
                cargo_bin("miiflow").display()
            ),
            "/dev/null",
        ]);
        for var in SCRUB {
            cmd.env_remove(var);
        }
        let (config, data) = fresh_dirs();
        cmd.env("MIIFLOW_CONFIG_DIR", config)
            .env("MIIFLOW_DATA_DIR", data);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script runs");
        let stdin = child.stdin.take();
        let mut out = child.stdout.take().expect("piped");
        let screen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = screen.clone();
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = std::io::Read::read(&mut out, &mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Tty {
            child,
            stdin,
            screen,
            reader: Some(reader),
        }
    }

    /// Everything the program has written to the terminal so far.
    pub(crate) fn raw(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().unwrap()).into_owned()
    }

    /// Waits until the terminal shows `text` (failing after a generous 30 s).
    pub(crate) fn expect(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.raw().contains(text) {
            assert!(
                Instant::now() < deadline,
                "{text:?} never appeared in:\n{:?}",
                self.raw()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the program has turned the terminal's echo off (a hidden prompt is ready):
    /// keys typed before that are discarded by the terminal mode change (TCSAFLUSH), as they
    /// would be for a person typing ahead.
    pub(crate) fn expect_no_echo(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if self.echo_off() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "echo never went off:\n{:?}",
                self.raw()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether the program under `script` has its terminal's echo off.
    fn echo_off(&self) -> bool {
        use std::os::fd::AsRawFd;
        let children =
            std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", self.child.id()))
                .unwrap_or_default();
        children.split_whitespace().any(|pid| {
            let Ok(tty) = std::fs::read_link(format!("/proc/{pid}/fd/0")) else {
                return false;
            };
            let Ok(file) = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOCTTY)
                .open(&tty)
            else {
                return false;
            };
            let mut termios: libc::termios = unsafe { std::mem::zeroed() };
            let read = unsafe { libc::tcgetattr(file.as_raw_fd(), &mut termios) };
            read == 0 && termios.c_lflag & libc::ECHO == 0
        })
    }

    pub(crate) fn send(&mut self, keys: &str) {
        use std::io::Write;
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(keys.as_bytes()).expect("type");
        stdin.flush().expect("flush");
    }

    /// Waits for the program to end (60 s at most: a test never hangs); its exit code and
    /// what the terminal showed.
    pub(crate) fn finish(mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("still running after 60 s; the screen:\n{:?}", self.raw());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        drop(self.stdin.take());
        if let Some(r) = self.reader.take() {
            r.join().expect("reader");
        }
        (status.code(), self.raw())
    }
}

/// The screen after `raw` was written to an 80-column terminal: carriage returns, line
/// clearing and cursor moves applied, colours dropped. What a person would see at the end.
pub(crate) fn screen(raw: &str) -> Vec<String> {
    screen_wide(raw, 80)
}

/// The same on a terminal `cols` columns wide.
pub(crate) fn screen_wide(raw: &str, cols: usize) -> Vec<String> {
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => {
                row += 1;
                col = 0;
                if lines.len() <= row {
                    lines.push(Vec::new());
                }
            }
            '\r' => col = 0,
            '\x1b' if chars.peek() == Some(&'[') => {
                chars.next();
                let mut param = String::new();
                let mut end = ' ';
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() || d == '~' {
                        end = d;
                        break;
                    }
                    param.push(d);
                }
                let n: usize = param.parse().unwrap_or(1);
                match end {
                    'K' => lines[row].truncate(if param == "2" { 0 } else { col }),
                    'A' => row = row.saturating_sub(n),
                    'B' => row += n,
                    'G' => col = n.saturating_sub(1),
                    _ => {}
                }
                if param == "2" && end == 'K' {
                    lines[row].clear();
                }
                while lines.len() <= row {
                    lines.push(Vec::new());
                }
            }
            '\x1b' => {}
            c if c.is_control() && c != '\t' => {}
            c => {
                if col >= cols {
                    row += 1;
                    col = 0;
                    if lines.len() <= row {
                        lines.push(Vec::new());
                    }
                }
                let line = &mut lines[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>().trim_end().to_owned())
        .collect()
}

/// How many agent runs the server has seen.
pub(crate) fn agent_runs(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r["path"] == "/api/v1/agent_run")
        .count()
}

/// Reads all of a child's stderr.
pub(crate) fn all_stderr(child: &mut std::process::Child) -> String {
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut err)
        .expect("read stderr");
    err
}

/// Waits for a child with a generous deadline (a hang fails the test instead of hanging it).
pub(crate) fn wait_or_kill(
    child: &mut std::process::Child,
    what: &str,
) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what}: still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A private CA and a certificate from it for `names` (DNS or IP), made with openssl.
pub(crate) fn private_ca(dir: &Path, names: &str) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl runs");
        assert!(out.status.success(), "openssl {args:?}: {}", stderr(&out));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "30",
        "-subj",
        "/CN=miiflow test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
        "-subj",
        "/CN=miiflow test server",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        format!("subjectAltName={names}\nbasicConstraints=CA:FALSE\n"),
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "30",
        "-extfile",
        "ext.cnf",
    ]);
    (dir.join("ca.pem"), dir.join("srv.pem"), dir.join("srv.key"))
}
