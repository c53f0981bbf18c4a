//! Local state under a busy CI runner: parallel processes, pipes, FIFOs, kills, closed stdout,
//! file modes and symlinks (issue 9, items 1–7).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `login --insecure-storage` for `profile`, with no server (`--no-verify`).
fn plain_login(config: &Path, profile: &str) -> Command {
    let mut cmd = miiflow_std();
    cmd.env("MIIFLOW_CONFIG_DIR", config)
        .args(["--profile", profile])
        .args(["login", "--with-key", "--insecure-storage", "--no-verify"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Runs a login to its end with `key` on stdin.
fn with_key(mut login: Command, key: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = login.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(key.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn plain_login_with(config: &Path, profile: &str, key: &str) -> std::process::Output {
    with_key(plain_login(config, profile), key)
}

fn key_files(config: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(config.join("credentials"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn twelve_parallel_logins_keep_twelve_profiles() {
    let dir = temp();
    let config = dir.path().join("config");
    let children: Vec<_> = (0..12)
        .map(|i| {
            let mut child = plain_login(&config, &format!("p{i}")).spawn().unwrap();
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin
                .write_all(format!("mk_parallel_{i:04}_abcdef").as_bytes())
                .unwrap();
            drop(stdin);
            child
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let text = std::fs::read_to_string(config.join("config.toml")).unwrap();
    for i in 0..12 {
        assert_contains(&text, &format!("[profiles.p{i}]"));
    }
    let files = key_files(&config);
    assert_eq!(files.len(), 12, "{files:?}");

    // logout --all leaves no key file behind, recorded or not.
    std::fs::write(
        config.join("credentials/orphan.key"),
        "mk_orphan_key_000000",
    )
    .unwrap();
    let out = miiflow()
        .env("MIIFLOW_CONFIG_DIR", &config)
        .args(["logout", "--all"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(key_files(&config), Vec::<String>::new());
}

#[test]
fn a_held_config_lock_is_waited_for_then_named() {
    let dir = temp();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let lock = std::fs::File::create(config.join("config.lock")).unwrap();
    lock.lock().unwrap();
    let mut login = plain_login(&config, "ci");
    login.env("MIIFLOW_LOCK_TIMEOUT", "0.5");
    let out = with_key(login, KEY);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_contains(&err, "config.lock");
    assert_contains(&err, "nothing was changed");
    assert!(!config.join("config.toml").exists());
    assert_eq!(key_files(&config), Vec::<String>::new());

    // Once it is free, the same login goes through.
    lock.unlock().unwrap();
    let out = plain_login_with(&config, "ci", KEY);
    assert!(out.status.success());
}

#[test]
fn a_secret_file_left_by_a_killed_write_is_swept_away() {
    let dir = temp();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("credentials")).unwrap();
    // What a process killed between writing its temporary key file and renaming it leaves.
    std::fs::write(config.join("credentials/.miiflow-Ab3dEf"), KEY).unwrap();
    let out = plain_login_with(&config, "other", OTHER);
    assert!(out.status.success());
    assert_eq!(key_files(&config), ["other.key"]);
}

#[test]
fn an_existing_config_folder_keeps_its_mode_and_a_symlinked_config_stays_one() {
    let dir = temp();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o755)).unwrap();
    let real = dir.path().join("dotfiles/miiflow.toml");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::write(&real, "# mine\n").unwrap();
    std::os::unix::fs::symlink(&real, config.join("config.toml")).unwrap();

    let out = plain_login_with(&config, "ci", KEY);
    assert!(out.status.success());
    assert_eq!(mode(&config), 0o755);
    assert_eq!(mode(&config.join("credentials")), 0o700);
    assert_eq!(mode(&config.join("credentials/ci.key")), 0o600);
    let link = std::fs::symlink_metadata(config.join("config.toml")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_contains(&std::fs::read_to_string(&real).unwrap(), "[profiles.ci]");

    // A folder miiflow makes itself is private.
    let fresh = dir.path().join("fresh/config");
    let out = plain_login_with(&fresh, "ci", KEY);
    assert!(out.status.success());
    assert_eq!(mode(&fresh), 0o700);

    // A config others may write is a warning: they could point a profile elsewhere.
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o666)).unwrap();
    let out = miiflow()
        .env("MIIFLOW_CONFIG_DIR", &config)
        .args(["status"])
        .output()
        .unwrap();
    assert_contains(&stderr(&out), "can be written by other users");
}

/// A pipe whose reader is already gone: every write to it fails with EPIPE.
fn closed_pipe() -> Stdio {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    unsafe { libc::close(fds[0]) };
    Stdio::from(unsafe { std::os::fd::OwnedFd::from_raw_fd(fds[1]) })
}

#[test]
fn every_command_ends_quietly_on_a_closed_stdout() {
    let home = Home::new();
    let server = Server::start();
    let login = home
        .miiflow(&server)
        .args(["login", "--with-key", "--insecure-storage"])
        .write_stdin(KEY)
        .output()
        .unwrap();
    assert!(login.status.success(), "{}", stderr(&login));
    let dir = temp();
    let batch = write(dir.path(), "in.jsonl", "{}\n{}\n");
    let commands: Vec<Vec<String>> = [
        "status",
        "status --json",
        "keys list",
        "keys list --json",
        "keys create ci --show",
        "keys create cj --no-store",
        "keys rotate",
        "completions bash",
        "run agent_1 a=1",
        "run agent_1 --dry-run",
        "run agent_1 --curl",
        "run agent_1 --jq .output",
    ]
    .iter()
    .map(|c| c.split(' ').map(String::from).collect())
    .chain([vec![
        "run".into(),
        "agent_1".into(),
        "--batch".into(),
        batch.display().to_string(),
    ]])
    .collect();
    for args in commands {
        let mut cmd = miiflow_std();
        cmd.env("MIIFLOW_CONFIG_DIR", home.config_dir())
            .env("MIIFLOW_BASE_URL", &server.url)
            .env("MIIFLOW_KEYRING_TIMEOUT", "1")
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/miiflow-test-bus",
            )
            .args(&args)
            .stdout(closed_pipe())
            .stderr(Stdio::piped());
        let out = cmd.output().unwrap();
        let err = stderr(&out);
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_batch_reads_pipes_fifos_and_dev_stdin_once() {
    let server = Server::start();
    // /dev/stdin, a pipe.
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "/dev/stdin"])
        .write_stdin("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3, "{}", stdout(&out));

    // A FIFO, written by another process.
    let dir = temp();
    let fifo = dir.path().join("in.fifo");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "{\"n\":1}\n{\"n\":2}\n").unwrap())
    };
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch"])
        .arg(&fifo)
        .output()
        .unwrap();
    writer.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert_contains(&text, r#""line":2,"status":200"#);
}

#[test]
fn an_overlong_batch_line_is_a_bad_line_read_past() {
    let server = Server::start();
    // 17 MiB of zeros with no newline, from /dev/zero: one line over the 16 MiB limit.
    let out = shell("head -c 17825792 /dev/zero | miiflow run agent_b --batch -")
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stdout(&out);
    assert_contains(&text, r#""line":1,"status":null"#);
    assert_contains(&text, "at most 16 MiB");
    assert!(server.requests().is_empty());

    // /dev/zero itself: no newline ever; reading stops after 1 GiB, with that one bad line.
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(
        &stdout(&out),
        "more than 1 GiB without a newline; stopped reading",
    );
    assert!(server.requests().is_empty());

    // An overlong line among good ones is reported in place; the others run.
    let dir = temp();
    let mut input = b"{\"n\":1}\n".to_vec();
    input.extend(std::iter::repeat_n(b' ', 17 * 1024 * 1024));
    input.extend_from_slice(b"\n{\"n\":3}\n");
    let file = write(dir.path(), "in.jsonl", input);
    let out = server
        .miiflow()
        .args(["run", "agent_b", "--batch"])
        .arg(&file)
        .output()
        .unwrap();
    // Lines were sent: the bad one makes it exit 1, not 2 (nothing sent).
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_contains(lines[0], r#""status":200"#);
    assert_contains(lines[1], r#""line":2,"status":null"#);
    assert_contains(lines[2], r#""line":3,"status":200"#);
}

#[test]
fn inputs_beyond_the_limit_are_refused_before_they_are_read() {
    let server = Server::start();
    let dir = temp();
    let big = write(dir.path(), "big.json", format!("\"{}\"", "x".repeat(4096)));
    for args in [
        vec![
            "run".to_owned(),
            "agent_1".into(),
            "--input".into(),
            big.display().to_string(),
        ],
        vec![
            "run".to_owned(),
            "agent_1".into(),
            format!("k=@{}", big.display()),
        ],
        vec![
            "run".to_owned(),
            "agent_1".into(),
            format!("k:=@{}", big.display()),
        ],
        vec![
            "run".to_owned(),
            "agent_1".into(),
            "--input".into(),
            "/dev/zero".into(),
        ],
    ] {
        let out = server
            .miiflow()
            .env("MIIFLOW_MAX_INPUT", "1K")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_contains(&err, "larger than 1 KiB");
        assert_contains(&err, "MIIFLOW_MAX_INPUT");
    }
    // From stdin too.
    let out = server
        .miiflow()
        .env("MIIFLOW_MAX_INPUT", "1K")
        .args(["run", "agent_1", "--input", "-"])
        .write_stdin(format!("\"{}\"", "x".repeat(4096)))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(server.requests().is_empty());
}

#[test]
fn items_cannot_build_gigabytes() {
    let server = Server::start();
    let items: Vec<String> = (0..20).map(|i| format!("a[{i}][9999]=x")).collect();
    let out = server
        .miiflow()
        .args(["run", "agent_1"])
        .args(&items)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "100000 array elements in all");
    assert!(server.requests().is_empty());
}

#[test]
fn a_closed_stderr_is_no_crash() {
    let server = Server::with(&["--fault", "500"]);
    for args in [
        &["run", "agent_1"][..],
        &["run", "agent_1", "-v"],
        &["status"],
    ] {
        let out = server
            .miiflow_std()
            .args(args)
            .stdout(Stdio::null())
            .stderr(closed_pipe())
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
    // The first run met the fault: its exit code still says so.
    let out = Server::with(&["--fault", "500"])
        .miiflow_std()
        .args(["run", "agent_1"])
        .stdout(Stdio::null())
        .stderr(closed_pipe())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
}
