//! `-o FILE`: settled before sending, replaced only by a complete 2xx answer, modes kept,
//! symlinks followed, no temporary file left on SIGTERM or SIGINT (issue 9, item 5).

use std::io::BufReader;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".miiflow"))
        .collect()
}

/// `miiflow ARGS` under `umask MASK`.
fn with_umask(server: &Server, mask: &str, args: &str) -> std::process::Output {
    shell(&format!("umask {mask} && miiflow {args}"))
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .output()
        .unwrap()
}

#[test]
fn places_that_cannot_be_written_are_refused_before_sending() {
    let server = Server::start();
    let dir = temp();
    for target in [
        dir.path().to_owned(),
        dir.path().join("no/such/folder/a.json"),
        "/proc/self/answer.json".into(),
    ] {
        let out = server
            .miiflow()
            .args(["run", "agent_1", "-o"])
            .arg(&target)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{target:?}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains(".miiflow-output"),
            "{}",
            stderr(&out)
        );
    }
    assert!(server.requests().is_empty());
}

#[test]
fn new_files_get_the_umask_mode_and_existing_files_keep_theirs() {
    let server = Server::start();
    let dir = temp();
    let a = dir.path().join("a.json");
    let out = with_umask(&server, "022", &format!("run agent_1 -o '{}'", a.display()));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&a), 0o644);
    let b = dir.path().join("b.json");
    with_umask(&server, "077", &format!("run agent_1 -o '{}'", b.display()));
    assert_eq!(mode(&b), 0o600);

    let c = write(dir.path(), "c.json", "old");
    std::fs::set_permissions(&c, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = with_umask(
        &server,
        "022",
        &format!("run agent_1 x=1 -o '{}'", c.display()),
    );
    assert!(out.status.success());
    assert_eq!(mode(&c), 0o640);
    assert_contains(
        &std::fs::read_to_string(&c).unwrap(),
        r#""output":{"x":"1"}"#,
    );
}

#[test]
fn a_symlink_is_written_through_not_replaced() {
    let server = Server::start();
    let dir = temp();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let target = write(&dir.path().join("real"), "answer.json", "old");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("real/answer.json", &link).unwrap();
    let out = server
        .miiflow()
        .args(["run", "agent_1", "a=1", "-o"])
        .arg(&link)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_contains(&std::fs::read_to_string(&target).unwrap(), r#""a":"1""#);
    assert!(leftovers(dir.path()).is_empty() && leftovers(&dir.path().join("real")).is_empty());
}

#[test]
fn only_a_complete_2xx_answer_replaces_the_file() {
    let dir = temp();
    let file = write(dir.path(), "answer.json", "previous answer");

    // An error answer: the file stays, the error body goes to stdout, stderr says so.
    let server = Server::with(&["--fault", "500"]);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous answer");
    assert!(!out.stdout.is_empty());
    assert_contains(
        &stderr(&out),
        "was left as it was; the error answer went to stdout",
    );

    // An answer cut short: the file stays, exit 6.
    let server = Server::with(&["--fault", "truncate"]);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "a=1", "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous answer");
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn no_temporary_file_survives_sigterm_or_sigint() {
    for (signal, code) in [("-TERM", 143), ("-INT", 130), ("-HUP", 143)] {
        let server = Server::with(&["--fault", "slow:30000"]);
        let dir = temp();
        let file = dir.path().join("answer.json");
        let mut child = server
            .miiflow_std()
            .args(["run", "agent_1", "-v", "-o"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The temporary file exists once the request is on its way.
        let mut err = BufReader::new(child.stderr.take().unwrap());
        wait_for_line(&mut err, "> POST");
        server.wait_for_requests(1);
        assert_eq!(leftovers(dir.path()).len(), 1, "{signal}");
        Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "{signal}");
        assert!(
            leftovers(dir.path()).is_empty(),
            "{signal}: {:?}",
            leftovers(dir.path())
        );
        assert!(!file.exists());
    }
}
