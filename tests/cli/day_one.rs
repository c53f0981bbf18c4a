//! What users and attackers met on the landed main (issue 18): results files that lost paid
//! work, keys in cut-off and quoted texts, hangs, memory, first-day friction. One test (at
//! least) per point, through the real binary against a real loopback server.

use std::io::{BufReader, Read};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

fn numbered(n: usize) -> String {
    (1..=n).map(|i| format!("{{\"n\":{i}}}\n")).collect()
}

fn lines_of(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// `miiflow ARGS… FILE` against `server` (ARGS ending in `--batch`).
fn batch(server: &Server, args: &[&str], file: &Path) -> std::process::Output {
    server.miiflow().args(args).arg(file).output().unwrap()
}

/// One run recorded in `home`'s history.
fn seed_history(home: &Home, server: &Server) {
    let out = home
        .miiflow(server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

// ---- 1. RESULTS that is the input under another name ------------------------------------

#[test]
fn results_that_are_the_input_under_another_name_are_refused() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(3));
    let linked = dir.path().join("linked.jsonl");
    std::fs::hard_link(&input, &linked).unwrap();
    let server = Server::start();
    for resume in [false, true] {
        let mut cmd = server.miiflow();
        cmd.args(["run", "agent_1", "--batch"])
            .arg(&input)
            .arg("-o")
            .arg(&linked);
        if resume {
            cmd.arg("--resume");
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_contains(&stderr(&out), "is the batch's own input");
    }
    // Through stdin too.
    let out = server
        .miiflow_std()
        .args(["run", "agent_1", "--batch", "-", "-o"])
        .arg(&linked)
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), numbered(3));
    assert_eq!(agent_runs(&server), 0);
}

// ---- 2. Two batches on one RESULTS --------------------------------------------------------

#[test]
fn a_second_batch_on_the_same_results_is_refused_naming_the_lock() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(4));
    let results = write(dir.path(), "r.jsonl", "kept as it is\n");
    // Another batch holds the file (as a running miiflow would).
    let held = std::fs::OpenOptions::new()
        .append(true)
        .open(&results)
        .unwrap();
    held.try_lock().unwrap();
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--batch"])
        .arg(&input)
        .arg("-o")
        .arg(&results)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(
        &stderr(&out),
        "another miiflow batch is writing these results",
    );
    assert_contains(&stderr(&out), "holds the lock on");
    assert_eq!(agent_runs(&server), 0);
    assert_eq!(
        std::fs::read_to_string(&results).unwrap(),
        "kept as it is\n"
    );
    drop(held);
    // Two real batches at once: one runs, the other is refused; the file is whole.
    let slow: String = (1..=4)
        .map(|i| format!("{{\"n\":{i},\"$fault\":\"slow:300\"}}\n"))
        .collect();
    let input = write(dir.path(), "slow.jsonl", slow);
    std::fs::remove_file(&results).unwrap();
    let mut first = server
        .miiflow_std()
        .args(["run", "agent_1", "--batch"])
        .arg(&input)
        .arg("-o")
        .arg(&results)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    server.wait_for_requests(1);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--batch"])
        .arg(&input)
        .arg("-o")
        .arg(&results)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(wait_or_kill(&mut first, "the first batch").success());
    let recorded = lines_of(&results);
    let lines: Vec<u64> = recorded
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 3, 4]);
}

// ---- 3. --resume with another --shard ----------------------------------------------------

#[test]
fn resuming_one_shard_keeps_the_other_shards_results() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(6));
    let results = dir.path().join("r.jsonl");
    let server = Server::start();
    let batch = |shard: &str| {
        let out = server
            .miiflow()
            .args(["run", "agent_1", "--resume", "--shard", shard, "--batch"])
            .arg(&input)
            .arg("-o")
            .arg(&results)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    batch("1/2");
    batch("2/2");
    let lines: Vec<u64> = lines_of(&results)
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 6], "shard 2 kept shard 1's lines");
    let err = batch("1/2");
    assert!(!err.contains("dropped"), "{err}");
    assert_eq!(lines_of(&results).len(), 6);
    assert_eq!(agent_runs(&server), 6, "nothing ran twice");
}

// ---- 4. A refused batch leaves RESULTS as it was -----------------------------------------

#[test]
fn a_refused_batch_leaves_the_results_as_they_were() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(2));
    let before = "{\"line\":1,\"status\":200,\"body\":\"paid for\"}\n";
    let results = write(dir.path(), "r.jsonl", before);
    let server = Server::start();
    let with_key = [("MIIFLOW_API_KEY", KEY)];
    let bad_url = [
        ("MIIFLOW_API_KEY", KEY),
        ("MIIFLOW_BASE_URL", "http://example.com"),
    ];
    /// Arguments, environment, the exit code.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], i32);
    let cases: [Case; 4] = [
        // No key anywhere.
        (&[], &[], 3),
        // A base URL that is refused.
        (&[], &bad_url, 2),
        // A profile with no key, and one that cannot be.
        (&["--profile", "nope"], &[], 3),
        (&["--profile", "bad/name"], &with_key, 2),
    ];
    for (args, env, code) in cases {
        let out = without_keyring(&mut miiflow())
            .env("MIIFLOW_BASE_URL", &server.url)
            .args(args)
            .args(["run", "agent_1", "--batch"])
            .arg(&input)
            .arg("-o")
            .arg(&results)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert_eq!(
            std::fs::read_to_string(&results).unwrap(),
            before,
            "{args:?}"
        );
    }
    assert_eq!(agent_runs(&server), 0);
}

// ---- 5. -o /dev/stdout appended to a log --------------------------------------------------

#[test]
fn output_through_dev_stdout_appends_to_the_log_it_is_redirected_to() {
    let dir = temp();
    let log = write(dir.path(), "ci.log", "earlier lines\n");
    let input = write(dir.path(), "in.jsonl", numbered(2));
    let server = Server::start();
    for args in [
        "run agent_1 a=1 -o /dev/stdout".to_owned(),
        format!("run agent_1 --batch '{}' -o /dev/stdout", input.display()),
        "run agent_1 a=2 -o /proc/self/fd/1".to_owned(),
        "run agent_1 a=3 -o /dev/fd/1".to_owned(),
    ] {
        let out = shell(&format!("miiflow {args} >> '{}'", log.display()))
            .env("MIIFLOW_BASE_URL", &server.url)
            .env("MIIFLOW_API_KEY", KEY)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args}: {}", stderr(&out));
    }
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.starts_with("earlier lines\n"), "{text}");
    assert_eq!(text.matches("run_mock").count(), 5, "{text}");
}

// ---- 6. RESULTS writable, its folder not ---------------------------------------------------

#[test]
fn results_whose_folder_cannot_take_the_rewrite_are_refused_before_sending() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = temp();
    let folder = dir.path().join("locked");
    std::fs::create_dir(&folder).unwrap();
    let input = write(dir.path(), "in.jsonl", numbered(2));
    let results = write(&folder, "r.jsonl", "");
    std::fs::set_permissions(&results, std::fs::Permissions::from_mode(0o666)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let server = Server::start();
    let mut cmd = server.miiflow_std();
    cmd.args(["run", "agent_1", "--batch"])
        .arg(&input)
        .arg("-o")
        .arg(&results)
        .current_dir(dir.path())
        .env("MIIFLOW_HISTORY", "off")
        .env("MIIFLOW_CONFIG_DIR", dir.path().join("no-config"));
    // Root writes anywhere: the batch then runs as nobody, to whom the folder is read-only
    // (from a copy of the binary in the test's folder: the build's may be in a folder nobody
    // cannot enter).
    if unsafe { libc::geteuid() } == 0 {
        let copy = dir.path().join("miiflow");
        std::fs::copy(assert_cmd::cargo::cargo_bin("miiflow"), &copy).unwrap();
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut as_nobody = std::process::Command::new(&copy);
        as_nobody
            .args(cmd.get_args())
            .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .current_dir(dir.path())
            .uid(65534)
            .gid(65534);
        for (k, v) in cmd.get_envs() {
            if v.is_none() {
                as_nobody.env_remove(k);
            }
        }
        cmd = as_nobody;
    }
    let out = cmd.output().unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(&stderr(&out), "cannot write");
    assert_eq!(agent_runs(&server), 0, "nothing was sent");
}

// ---- 7. What --resume counts as the same result ------------------------------------------

#[test]
fn a_resume_reruns_lines_recorded_with_another_filter_or_base_url() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(3));
    let results = dir.path().join("r.jsonl");
    let server = Server::start();
    let other = Server::start();
    let batch = |server: &Server, extra: &[&str]| {
        let out = server
            .miiflow()
            .args(["run", "agent_1", "--resume", "--batch"])
            .arg(&input)
            .arg("-o")
            .arg(&results)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    };
    batch(&server, &["--jq", ".output.n"]);
    assert_eq!(agent_runs(&server), 3);
    // The same filter: kept.
    batch(&server, &["--jq", ".output.n"]);
    assert_eq!(agent_runs(&server), 3);
    // Another filter: every line runs again, and the file holds one filter's results.
    let err = batch(&server, &["--jq", ".run_id"]);
    assert_contains(&err, "the base URL or --jq changed");
    assert_eq!(agent_runs(&server), 6);
    assert!(lines_of(&results).iter().all(|r| r["body"].is_string()));
    // Another base URL (staging → production): run there too.
    batch(&other, &["--jq", ".run_id"]);
    assert_eq!(agent_runs(&other), 3);
}

#[test]
fn results_printed_to_stdout_cannot_be_resumed_and_stray_lines_are_dropped() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(2));
    let server = Server::start();
    let printed = server
        .miiflow()
        .args(["run", "agent_1", "--batch"])
        .arg(&input)
        .output()
        .unwrap();
    let results = write(dir.path(), "r.jsonl", &printed.stdout);
    let out = server
        .miiflow()
        .args(["run", "agent_1", "--resume", "--batch"])
        .arg(&input)
        .arg("-o")
        .arg(&results)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(&stderr(&out), "cannot be resumed");
    assert!(!stderr(&out).contains("results recorded"));
    assert_eq!(
        std::fs::read(&results).unwrap(),
        printed.stdout,
        "left as it was"
    );
    assert_eq!(agent_runs(&server), 2);
    // A hand-edited line 0 (and a line past the input) do not survive the rewrite.
    std::fs::remove_file(&results).unwrap();
    let run = |extra: &[&str]| {
        server
            .miiflow()
            .args(["run", "agent_1", "--batch"])
            .arg(&input)
            .arg("-o")
            .arg(&results)
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(run(&[]).status.success());
    let text = std::fs::read_to_string(&results).unwrap();
    let first = text.lines().next().unwrap().to_owned();
    let edited = format!(
        "{text}{}\n{}\n",
        first.replacen("\"line\":1", "\"line\":0", 1),
        first.replacen("\"line\":1", "\"line\":9", 1)
    );
    std::fs::write(&results, edited).unwrap();
    let out = run(&["--resume"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stderr(&out), "2 result(s) for lines the input");
    let lines: Vec<u64> = lines_of(&results)
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2]);
}

// ---- 8. An interrupted batch says how to go on -------------------------------------------

#[test]
fn an_interrupted_batch_says_what_did_not_run_and_the_command_to_go_on() {
    let dir = temp();
    let results = dir.path().join("r.jsonl");
    let server = Server::start();
    for with_output in [true, false] {
        // The stand-in hangs on each distinct input once: each round has its own.
        let input: String = (1..=6)
            .map(|i| match i {
                1 | 2 => format!("{{\"n\":{i},\"round\":{with_output}}}\n"),
                _ => format!("{{\"n\":{i},\"round\":{with_output},\"$fault\":\"slow:600000\"}}\n"),
            })
            .collect();
        let input = write(dir.path(), "my in.jsonl", input);
        let mut cmd = server.miiflow_std();
        cmd.args(["run", "agent_1", "--concurrency", "2", "--batch"])
            .arg(&input);
        if with_output {
            cmd.arg("-o").arg(&results);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let before = agent_runs(&server);
        // The events the assertions are about: lines 1 and 2 recorded (in RESULTS, or on
        // stdout), lines 3 and 4 in flight. (Counting requests alone raced the recording.)
        // (stdout stays open: a reader gone would end the batch its own way.)
        let _out = match with_output {
            true => {
                crate::batch_ci::wait_for_lines(&results, 2);
                None
            }
            false => Some(read_results(&mut child, 2)),
        };
        server.wait_for_requests(before + 4);
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let status = wait_or_kill(&mut child, "the batch after Ctrl-C");
        let err = all_stderr(&mut child);
        assert_eq!(status.code(), Some(130), "{err}");
        assert_contains(&err, "interrupted · 2 lines done");
        assert_contains(&err, "4 did not run");
        match with_output {
            true => assert_contains(
                &err,
                &format!(
                    "miiflow run agent_1 --concurrency 2 --batch '{}' -o {} --resume",
                    input.display(),
                    results.display()
                ),
            ),
            false => assert_contains(&err, "with -o RESULTS they would have been kept"),
        }
    }
}

// ---- 9. Keys across a cut ----------------------------------------------------------------

#[test]
fn a_key_across_a_cut_is_never_kept_in_part() {
    // An answer whose key straddles the history's 1 MiB cut: all of it but its last character
    // before the cut.
    let mut body = vec![b'x'; 1024 * 1024 - (KEY.len() - 1)];
    body.extend_from_slice(KEY.as_bytes());
    body.extend_from_slice(b" and the rest");
    let raw = RawServer::fixed("200 OK", body);
    let home = Home::new();
    let out = home
        .miiflow(&Server::start())
        .env("MIIFLOW_BASE_URL", &raw.url)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "-o", "/dev/null"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let db = std::fs::read(home.data_dir().join("history.sqlite")).unwrap_or_default();
    let wal = std::fs::read(home.data_dir().join("history.sqlite-wal")).unwrap_or_default();
    assert!(
        db.len() + wal.len() > 1024 * 1024,
        "the answer was recorded"
    );
    let start = &KEY.as_bytes()[..5];
    for bytes in [&db, &wal] {
        assert!(
            !bytes.windows(start.len()).any(|w| w == start),
            "the start of the key is in the history"
        );
    }
    // An error reason cut at 300 characters, the key across the cut.
    let reason = format!(
        "{{\"error\":\"{}{KEY}\"}}",
        "e".repeat(300 - (KEY.len() - 1))
    );
    let raw = RawServer::fixed("400 Bad Request\r\ncontent-type: application/json", reason);
    let out = miiflow()
        .env("MIIFLOW_BASE_URL", &raw.url)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(!stderr(&out).contains(&KEY[..5]), "{}", stderr(&out));
}

// ---- 10. Errors that quote server data -----------------------------------------------------

#[test]
fn errors_quoting_the_key_mask_it_on_stderr_and_in_result_lines() {
    let dir = temp();
    // A cross-origin redirect whose Location carries the key.
    let fault = format!("redirect:http://localhost:9/cb?token={KEY}");
    let server = Server::with(&["--fault", &fault, "--fault", &fault]);
    let out = server.miiflow().args(["run", "agent_1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains(&stderr(&out), "refused a redirect");
    assert!(!stderr(&out).contains(KEY), "{}", stderr(&out));
    let input = write(dir.path(), "in.jsonl", numbered(1));
    let out = batch(&server, &["run", "agent_1", "--batch"], &input);
    assert_contains(&stdout(&out), "refused a redirect");
    assert!(!stdout(&out).contains(KEY), "{}", stdout(&out));
    assert!(!stderr(&out).contains(KEY), "{}", stderr(&out));
    // A failing --jq that quotes the value it choked on.
    let server = Server::start();
    let item = format!("s={KEY}");
    let out = server
        .miiflow()
        .args(["run", "agent_1", &item, "--jq", ".output.s | tonumber"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains(KEY), "{}", stderr(&out));
    let input = write(dir.path(), "key.jsonl", format!("{{\"s\":\"{KEY}\"}}\n"));
    let out = batch(
        &server,
        &["run", "agent_1", "--jq", ".output.s | tonumber", "--batch"],
        &input,
    );
    let line: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(line["exit"], 1, "{line}");
    assert!(!line["error"].as_str().unwrap().contains(KEY), "{line}");
}

// ---- 11. Short keys ------------------------------------------------------------------------

#[test]
fn a_short_key_masks_no_words_and_says_so() {
    let dir = temp();
    let server = Server::with(&["--key", "test", "--answers", dir.path().to_str().unwrap()]);
    let out = miiflow()
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", "test")
        .args(["run", "agent_test"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    // The stand-in's 404 names the agent: no word of it is taken for the key.
    assert_contains(&stdout(&out), "agent agent_test not found");
    let err = stderr(&out);
    assert_contains(&err, "agent agent_test not found");
    assert_contains(&err, "too short to tell from ordinary words");
}

// ---- 12. Signals while the history is written ---------------------------------------------

#[test]
fn a_history_that_is_a_fifo_or_locked_never_holds_a_run_or_its_signals() {
    let home = Home::new();
    std::fs::create_dir_all(home.data_dir()).unwrap();
    let fifo = home.data_dir().join("history.sqlite");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stderr(&out), "is not a regular file");
    let out = home
        .miiflow(&server)
        .args(["history"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    std::fs::remove_file(&fifo).unwrap();

    // A database locked by another process. A small entry is spooled (issue 19): the run
    // does not wait for the lock at all, and the entry reaches the database once the lock is
    // gone, with the next reader.
    seed_history(&home, &server);
    let db = rusqlite::Connection::open(home.data_dir().join("history.sqlite")).unwrap();
    db.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "spooled=yes"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("not recorded"),
        "the run waited on the lock: {}",
        stderr(&out)
    );
    db.execute_batch("ROLLBACK").unwrap();
    let out = home
        .miiflow(&server)
        .args(["history", "show", "2"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stdout(&out), "spooled");

    // A large entry is written directly: the history write waits on the lock after the
    // answer is out, and Ctrl-C ends the wait at once (130), as it would any other wait.
    let dir = temp();
    let large = write(
        dir.path(),
        "large.json",
        format!("{{\"text\":\"{}\"}}", "x".repeat(100_000)),
    );
    db.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("miiflow"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("MIIFLOW_CONFIG_DIR", home.config_dir())
        .env("MIIFLOW_DATA_DIR", home.data_dir())
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "--input"])
        .arg(&large)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The status line is said once the answer is out: the history write comes after it.
    let mut err = BufReader::new(child.stderr.take().unwrap());
    wait_for_line(&mut err, "HTTP 200");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = wait_or_kill(&mut child, "a run writing a locked history");
    assert_eq!(status.code(), Some(130));
    db.execute_batch("ROLLBACK").unwrap();
}

// ---- 13. A locked history never slows a batch ---------------------------------------------

#[test]
fn a_locked_history_does_not_slow_a_batch() {
    let dir = temp();
    let home = Home::new();
    let server = Server::start();
    seed_history(&home, &server);
    let db = rusqlite::Connection::open(home.data_dir().join("history.sqlite")).unwrap();
    db.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let input = write(dir.path(), "in.jsonl", numbered(3000));
    let started = Instant::now();
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "--concurrency", "16", "--batch"])
        .arg(&input)
        .output()
        .unwrap();
    let took = started.elapsed();
    db.execute_batch("ROLLBACK").unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 3000);
    assert_eq!(stderr(&out).matches("run history not recorded").count(), 1);
    // Before: about 512 lines per 10 s busy wait (70 s for these). Not a timing test: a
    // bound five times the history's own give-up time.
    assert!(
        took < Duration::from_secs(25),
        "{took:?}: the batch waited on the history"
    );
}

// ---- 14. --shard with a huge N ------------------------------------------------------------

#[test]
fn a_shard_of_a_huge_count_skips_ahead_and_huge_counts_are_refused() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(5));
    let server = Server::start();
    let mut child = server
        .miiflow_std()
        .args(["run", "agent_1", "--shard", "1/100000", "--batch"])
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert!(wait_or_kill(&mut child, "a batch of shard 1/100000").success());
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out.lines().count(), 1);
    let out = batch(
        &server,
        &["run", "agent_1", "--shard", "1/100000000", "--batch"],
        &input,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "at most 100000 shards");
}

// ---- 15. history list reads sizes, not blobs ----------------------------------------------

#[test]
fn listing_large_history_entries_does_not_load_them() {
    let home = Home::new();
    let server = Server::start();
    seed_history(&home, &server);
    let db = rusqlite::Connection::open(home.data_dir().join("history.sqlite")).unwrap();
    // 300 entries with 1 MiB answers and inputs: 600 MB if a list loaded them.
    for _ in 0..300 {
        db.execute_batch(
            "INSERT INTO runs (time_ms, profile, base_url, endpoint, kind, target, input, \
             status, output, duration_ms, exit_code) SELECT time_ms, profile, base_url, endpoint, \
             kind, target, zeroblob(1048576), status, zeroblob(1048576), duration_ms, exit_code \
             FROM runs LIMIT 1",
        )
        .unwrap();
    }
    drop(db);
    // Under an address-space limit far below what loading them would take.
    let bin = assert_cmd::cargo::cargo_bin("miiflow");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 400000; exec '{}' history -n 301 --json",
            bin.display()
        ))
        .env("MIIFLOW_DATA_DIR", home.data_dir())
        .env("MIIFLOW_CONFIG_DIR", home.config_dir())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.len(), 301);
    assert_eq!(listed[0]["output_bytes"], 1048576);
}

// ---- 16. A slow line holds back bounded memory ---------------------------------------------

#[test]
fn finished_results_held_behind_a_slow_line_are_bounded() {
    let dir = temp();
    let answers = dir.path().join("answers");
    std::fs::create_dir(&answers).unwrap();
    // A 4 MiB answer for every line but the first, which hangs until its --timeout.
    let big = format!("{{\"output\":\"{}\"}}", "y".repeat(4 * 1024 * 1024));
    write(&answers, "agent_big.json", &big);
    let input: String = (1..=60)
        .map(|i| match i {
            1 => "{\"$fault\":\"slow:600000\"}\n".to_owned(),
            _ => format!("{{\"n\":{i}}}\n"),
        })
        .collect();
    let input = write(dir.path(), "in.jsonl", input);
    let server = Server::with(&["--answers", answers.to_str().unwrap()]);
    let out = server
        .miiflow()
        .args([
            "run",
            "agent_big",
            "--timeout",
            "4",
            "--concurrency",
            "4",
            "--batch",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6), "line 1 timed out");
    assert_eq!(stdout(&out).lines().count(), 60);
    // While line 1 hung, no more lines started than 64 MiB of results (16 of 4 MiB) and the
    // workers allow: all 59 would have, without the bound (240 MiB held).
    let requests = server.requests();
    let first = requests[0]["ms"].as_u64().unwrap();
    let during = requests
        .iter()
        .filter(|r| r["ms"].as_u64().unwrap() < first + 3500)
        .count();
    assert!(during <= 24, "{during} lines started behind the slow one");
}

// ---- 17. SSL_CERT_FILE and SSL_CERT_DIR ---------------------------------------------------

#[test]
fn trust_variables_that_name_nothing_usable_are_errors_not_hangs() {
    let dir = temp();
    let fifo = dir.path().join("fifo.pem");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let empty = write(dir.path(), "empty.pem", "not a certificate\n");
    let cases = [
        ("SSL_CERT_FILE", dir.path().join("missing.pem")),
        ("SSL_CERT_FILE", fifo.clone()),
        ("SSL_CERT_FILE", "/dev/zero".into()),
        ("SSL_CERT_FILE", empty.clone()),
        ("SSL_CERT_DIR", dir.path().join("nope")),
        ("SSL_CERT_DIR", std::fs::canonicalize(dir.path()).unwrap()),
    ];
    for (var, value) in cases {
        let mut child = miiflow_std()
            .env("MIIFLOW_BASE_URL", "https://127.0.0.1:9")
            .env("MIIFLOW_API_KEY", KEY)
            .env(var, &value)
            .args(["run", "agent_1"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let status = wait_or_kill(&mut child, &format!("{var}={}", value.display()));
        let err = all_stderr(&mut child);
        assert_eq!(status.code(), Some(2), "{var}={}: {err}", value.display());
        assert_contains(&err, &format!("{var}={}", value.display()));
    }
}

// ---- 18. Panics -----------------------------------------------------------------------------

#[test]
fn absurd_rates_are_refused_and_a_panicking_line_is_a_failed_line() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(3));
    let server = Server::start();
    for rate in ["1e-20/s", "1e-19/s"] {
        let out = server
            .miiflow()
            .args(["run", "agent_1", "--rate", rate, "--batch"])
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{rate}: {}", stderr(&out));
        assert_contains(&stderr(&out), "too slow");
    }
    let out = server
        .miiflow()
        .env("MIIFLOW_DEBUG_PANIC_LINE", "2")
        .args(["run", "agent_1", "--batch"])
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["line"], 2);
    assert_contains(lines[1]["error"].as_str().unwrap(), "internal error");
    assert_contains(&stderr(&out), "3 lines, 2 succeeded, 1 failed");
}

// ---- 19. A date past 9999 -----------------------------------------------------------------

#[test]
fn a_history_entry_dated_past_9999_does_not_break_the_list() {
    let home = Home::new();
    let server = Server::start();
    seed_history(&home, &server);
    let db = rusqlite::Connection::open(home.data_dir().join("history.sqlite")).unwrap();
    db.execute_batch("UPDATE runs SET time_ms = 999999999999999")
        .unwrap();
    drop(db);
    let out = home.miiflow(&server).args(["history"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stdout(&out), "@999999999999999ms");
    let out = home
        .miiflow(&server)
        .args(["history", "show", "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

// ---- 20. rerun sends the recorded target --------------------------------------------------

#[test]
fn rerun_sends_the_recorded_target_not_todays_alias() {
    let home = Home::new();
    let server = Server::start();
    let run = |args: &[&str]| {
        let out = home
            .miiflow(&server)
            .env("MIIFLOW_API_KEY", KEY)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    run(&["run", "night1", "a=1"]);
    run(&["agents", "add", "night1", "wf_7", "--workflow", "extra=1"]);
    run(&["history", "rerun", "1"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1]["path"], "/api/v1/agent_run");
    assert_eq!(requests[1]["body"], requests[0]["body"]);
}

// ---- 21. CSV headers naming one key twice -------------------------------------------------

#[test]
fn csv_headers_naming_one_key_twice_are_refused() {
    let dir = temp();
    let server = Server::start();
    for (header, clash) in [
        (
            "a,a",
            "column 2 ('a'): names the same key as column 1 ('a')",
        ),
        (
            "a[b],a",
            "column 2 ('a'): names the same key as column 1 ('a[b]')",
        ),
        (
            "x,a,a[b]",
            "column 3 ('a[b]'): names the same key as column 2 ('a')",
        ),
    ] {
        let file = write(dir.path(), "in.csv", format!("{header}\n1,2,3\n"));
        let out = server
            .miiflow()
            .args(["run", "agent_1", "--batch"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{header}");
        assert_contains(&stderr(&out), clash);
    }
    let file = write(dir.path(), "ok.csv", "a[],a[]\n1,2\n");
    let out = batch(&server, &["run", "agent_1", "--batch"], &file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(agent_runs(&server), 1);
}

// ---- 22. api paths with a URL in the query ------------------------------------------------

#[test]
fn an_api_path_with_a_url_in_its_query_is_a_path() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["api", "/api/v1/api_keys?cb=https://example.com/x"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["path"], "/api/v1/api_keys");
}

// ---- 23. config.toml edited in place ------------------------------------------------------

#[test]
fn config_changes_keep_the_users_comments_and_keys() {
    let home = Home::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    let mine = "# my setup: do not lose this\n[profiles.ci]\nbase_url = \"http://127.0.0.1:1\"  # local\nowner = \"me\"\n";
    std::fs::write(home.config_dir().join("config.toml"), mine).unwrap();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .args(["agents", "add", "support", "agent_sup", "lang=en"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = home
        .miiflow(&server)
        .args(["agents", "remove", "support"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(home.config(), mine);
}

// ---- 24. A bare number is no duration -----------------------------------------------------

#[test]
fn durations_need_a_unit_and_the_prompt_says_days() {
    let home = Home::new();
    let server = Server::start();
    seed_history(&home, &server);
    for args in [
        &["history", "clear", "--older-than", "3", "--yes"][..],
        &["history", "--since", "3"],
    ] {
        let out = home.miiflow(&server).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_contains(&stderr(&out), "has no unit: write 3d for days");
    }
    let listed = home.miiflow(&server).args(["history"]).output().unwrap();
    assert_eq!(
        stdout(&listed).matches("\"id\"").count(),
        1,
        "nothing was deleted"
    );
    let data = home.data_dir();
    let tty = Tty::start(
        "history clear --older-than 30d",
        &[("MIIFLOW_DATA_DIR", data.to_str().unwrap())],
    );
    let mut tty = tty;
    tty.expect("Delete every recorded run older than 30 days?");
    tty.send("\n");
    let (code, screen) = tty.finish();
    assert_eq!(code, Some(0), "{screen}");
    assert_contains(&screen, "Nothing deleted.");
}

// ---- 25. No bar glued into piped output ---------------------------------------------------

#[test]
fn a_batch_piped_on_a_terminal_draws_no_bar_but_one_to_a_file_does() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(40));
    let server = Server::with(&["--latency", "50"]);
    let env = [
        ("MIIFLOW_BASE_URL", server.url.as_str()),
        ("MIIFLOW_API_KEY", KEY),
    ];
    let piped = Tty::start(
        &format!(
            "run agent_1 --concurrency 2 --batch '{}' | cat",
            input.display()
        ),
        &env,
    );
    let (code, screen) = piped.finish();
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains("done ·"), "a bar was drawn:\n{screen:?}");
    assert_contains(&screen, "40 lines, 40 succeeded");
    let results = dir.path().join("out.jsonl");
    let to_file = Tty::start(
        &format!(
            "run agent_1 --concurrency 2 --batch '{}' > '{}'",
            input.display(),
            results.display()
        ),
        &env,
    );
    to_file.expect("done ·");
    let (code, _) = to_file.finish();
    assert_eq!(code, Some(0));
}

// ---- 26. A headless login checks the keyring first ----------------------------------------

#[test]
fn login_without_a_keyring_says_so_before_asking_for_the_key() {
    let out = without_keyring(&mut miiflow())
        .args(["login", "--with-key", "--no-verify"])
        .write_stdin("never read\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains(&stderr(&out), "no key was asked for");
    assert_contains(&stderr(&out), "--insecure-storage");
    let tty = Tty::start(
        "login --no-verify",
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")],
    );
    let (code, screen) = tty.finish();
    assert_eq!(code, Some(1), "{screen}");
    assert!(!screen.contains("API key for profile"), "asked:\n{screen}");
}

// ---- 27. Loopback base URLs without a scheme ----------------------------------------------

#[test]
fn a_loopback_base_url_without_a_scheme_is_told_http() {
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["--base-url", "127.0.0.1:8787", "run", "agent_1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(
        &stderr(&out),
        "start it with http:// (http://127.0.0.1:8787)",
    );
}

// ---- 28. A mistyped alias ------------------------------------------------------------------

#[test]
fn a_word_that_is_neither_an_alias_nor_an_id_is_refused_with_close_aliases() {
    let home = Home::new();
    let server = Server::start();
    let out = home
        .miiflow(&server)
        .args(["agents", "add", "support", "agent_sup"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = home
        .miiflow(&server)
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "suport", "q=hi"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains(&stderr(&out), "'suport' is not an alias");
    assert_contains(&stderr(&out), "nothing was sent. Did you mean support?\n");
    assert!(server.requests().is_empty());
}

// ---- 29. Bare commands print a short usage -------------------------------------------------

#[test]
fn bare_commands_print_a_short_usage() {
    for args in [&[][..], &["keys"], &["agents"]] {
        let out = miiflow().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with("Usage: miiflow"), "{err}");
        assert!(
            err.lines().count() <= 25,
            "{} lines:\n{err}",
            err.lines().count()
        );
        assert_contains(&err, "--help` shows every option");
        assert!(!err.contains("error:Run"), "{err}");
    }
}

// ---- 30. history show on a terminal -------------------------------------------------------

#[test]
fn history_show_separates_the_url_and_the_method() {
    let home = Home::new();
    let server = Server::start();
    seed_history(&home, &server);
    let tty = Tty::start(
        "history show 1",
        &[("MIIFLOW_DATA_DIR", home.data_dir().to_str().unwrap())],
    );
    let (code, screen) = tty.finish();
    assert_eq!(code, Some(0), "{screen}");
    assert_contains(&screen, &format!("{} · POST /api/v1/agent_run", server.url));
}

// ---- 31. A bad CSV row in the middle -------------------------------------------------------

#[test]
fn a_short_csv_row_fails_in_place_and_the_batch_exits_1() {
    let dir = temp();
    let file = write(dir.path(), "in.csv", "a,b\n1,2\n3,4\n5\n6,7\n");
    let server = Server::start();
    let out = batch(&server, &["run", "agent_1", "--batch"], &file);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(
        lines[2]["error"],
        "line 3 (CSV line 4): 1 field, but the header names 2"
    );
    assert_eq!(agent_runs(&server), 3);
    // Nothing sent: then exit 2 stands.
    let file = write(dir.path(), "bad.csv", "a,b\n5\n");
    let out = batch(&server, &["run", "agent_1", "--batch"], &file);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

// ---- 32. Deleting a key that does not exist ----------------------------------------------

#[test]
fn deleting_a_missing_key_is_an_error_unless_missing_ok() {
    let server = Server::start();
    let out = server
        .miiflow()
        .args(["keys", "delete", "nosuchkey", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains(&stderr(&out), "no key named or with id 'nosuchkey'");
    let out = server
        .miiflow()
        .args(["keys", "delete", "nosuchkey", "--yes", "--missing-ok"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stderr(&out), "nothing to do");
}

// ---- 33. --resume without -o -----------------------------------------------------------------

#[test]
fn resume_without_results_says_why_it_needs_them() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(1));
    for flag in ["--resume", "--retry-failed"] {
        let out = miiflow()
            .args(["run", "agent_1", flag, "--batch"])
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert_contains(&err, &format!("{flag} needs -o RESULTS"));
        assert!(!err.contains("required arguments"), "{err}");
    }
}

// ---- 34. Suggestions and positions ------------------------------------------------------------

#[test]
fn a_mistyped_command_gets_a_suggestion_and_a_trailing_comma_its_place() {
    let out = miiflow().arg("rn").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "tip: a similar subcommand exists: 'run'");
    let dir = temp();
    let bad = write(dir.path(), "bad.json", "{\n  \"a\": 1,\n  \"b\": 2,\n}\n");
    let out = miiflow()
        .env("MIIFLOW_API_KEY", KEY)
        .args(["run", "agent_1", "--input"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "bad.json:3:9: trailing comma");
}

// ---- 35. logout forgets the key only -----------------------------------------------------------

#[test]
fn logout_keeps_the_profiles_base_url() {
    let home = Home::new();
    let server = Server::start();
    let out = without_keyring(&mut home.miiflow(&server))
        .args(["--profile", "ci", "--base-url", &server.url])
        .args(["login", "--with-key", "--insecure-storage"])
        .write_stdin(KEY)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = without_keyring(&mut home.miiflow(&server))
        .args(["--profile", "ci", "logout"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let config = home.config();
    assert_contains(&config, &format!("base_url = \"{}/\"", server.url));
    assert!(!config.contains("storage"), "{config}");
}

// ---- 36. The stand-in's keys, and keys stored by login -----------------------------------------

#[test]
fn created_keys_look_random_and_a_login_key_is_marked_as_stored() {
    let home = Home::new();
    let server = Server::start();
    let mut made = Vec::new();
    for name in ["one", "two"] {
        let out = server
            .miiflow()
            .args(["keys", "create", name, "--no-store"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        made.push(stdout(&out).trim().to_owned());
    }
    assert!(!made[0].ends_with("created"), "{made:?}");
    assert_ne!(made[0][made[0].len() - 4..], made[1][made[1].len() - 4..]);
    let out = without_keyring(&mut home.miiflow(&server))
        .args(["login", "--with-key", "--insecure-storage"])
        .write_stdin(made[1].as_str())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = without_keyring(&mut home.miiflow(&server))
        .args(["keys", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let keys: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let two = keys.iter().find(|k| k["name"] == "two").unwrap();
    assert_eq!(two["stored_as"], "default", "{keys:#?}");
    assert_eq!(two["in_use"], true);
}

// ---- 37. An empty MIIFLOW_API_KEY is unset ------------------------------------------------------

#[test]
fn an_empty_env_key_counts_as_unset_for_the_curl_hint_too() {
    let out = miiflow()
        .env("MIIFLOW_API_KEY", "")
        .args(["run", "agent_1", "--curl"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_contains(&stderr(&out), "which is not set here");
}

// ---- 38. Ctrl-C at a prompt ends its line --------------------------------------------------------

#[test]
fn ctrl_c_at_the_delete_prompt_ends_the_line() {
    let server = Server::start();
    let mut tty = Tty::start(
        "keys delete mock",
        &[
            ("MIIFLOW_BASE_URL", server.url.as_str()),
            ("MIIFLOW_API_KEY", KEY),
        ],
    );
    tty.expect("Revoke key");
    tty.send("\x03");
    let (code, raw) = tty.finish();
    assert_eq!(code, Some(130), "{raw:?}");
    let after = raw.rsplit("Revoke key").next().unwrap();
    assert!(
        after.contains('\n'),
        "the prompt's line was left open: {after:?}"
    );
    assert_eq!(server.keys().len(), 1, "nothing deleted");
}

// ---- 5, again: RESULTS through /dev/stdout whose reader goes away --------------------------

#[test]
fn results_through_dev_stdout_end_quietly_when_the_reader_goes_away() {
    let dir = temp();
    let input = write(dir.path(), "in.jsonl", numbered(3000));
    let server = Server::start();
    let out = shell(&format!(
        "{{ miiflow run agent_1 --batch '{}' -o /dev/stdout; echo \"exit=$?\" >&2; }} | head -n 2",
        input.display()
    ))
    .env("MIIFLOW_BASE_URL", &server.url)
    .env("MIIFLOW_API_KEY", KEY)
    .output()
    .unwrap();
    let err = stderr(&out);
    assert_eq!(stdout(&out).lines().count(), 2);
    assert!(!err.contains("Broken pipe"), "{err}");
    assert!(!err.contains("error"), "{err}");
    // Cut short, and said so (issue 28, item 11): not a pass.
    assert_contains(&err, "interrupted (the reader of stdout went away)");
    assert_contains(&err, "exit=141");
    assert!(
        !err.contains("-o /dev/stdout --resume"),
        "results through /dev/stdout cannot be resumed: {err}"
    );
}

#[test]
fn a_run_through_dev_stdout_ends_quietly_when_the_reader_goes_away() {
    let dir = temp();
    let big = format!("{{\"s\":\"{}\"}}", "x".repeat(4 << 20));
    let input = write(dir.path(), "big.json", big);
    let server = Server::start();
    let out = shell(&format!(
        "{{ miiflow run agent_1 --input '{}' -o /dev/stdout; echo \"exit=$?\" >&2; }} | head -c 20",
        input.display()
    ))
    .env("MIIFLOW_BASE_URL", &server.url)
    .env("MIIFLOW_API_KEY", KEY)
    .output()
    .unwrap();
    let err = stderr(&out);
    assert_eq!(out.stdout.len(), 20);
    assert!(
        !err.contains("Broken pipe") && !err.contains("error"),
        "{err}"
    );
    assert_contains(&err, "exit=0");
}
