//! The CI recipes in examples/ci/, run as written: their own script blocks, taken from the
//! files, against the stand-in (a GitHub job that fails, then goes green on its second attempt
//! without paying twice; GitLab's and Kubernetes' shards from their own variables); and the
//! release installer that the root action.yml runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::*;

fn recipe(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/ci")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first YAML block scalar (`key: |` or `- |`) after the line holding `marker`, dedented.
fn block_after(text: &str, marker: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let start = lines
        .iter()
        .position(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("no {marker:?}"));
    let open = (start..lines.len())
        .find(|&i| lines[i].trim_end().ends_with('|'))
        .expect("a block scalar");
    let body: Vec<&str> = lines[open + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > indent(lines[open]))
        .copied()
        .collect();
    let strip = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .expect("a non-empty block");
    body.iter()
        .map(|l| l.get(strip..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A script block run as its CI runner would: `set -e`, in `dir`, against `server`.
fn run_script(
    script: &str,
    dir: &Path,
    server: &Server,
    env: &[(&str, &str)],
) -> std::process::Output {
    let mut cmd = shell(&format!("set -e\n{script}"));
    cmd.current_dir(dir)
        .env("MIIFLOW_BASE_URL", &server.url)
        .env("MIIFLOW_API_KEY", KEY);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn inputs(dir: &Path) {
    write(
        dir,
        "inputs.jsonl",
        "{\"n\":1}\n{\"n\":2}\n{\"n\":3,\"$fault\":\"500\"}\n{\"n\":4}\n{\"n\":5}\n{\"n\":6}\n",
    );
}

#[test]
fn the_github_recipe_fails_then_goes_green_on_a_second_attempt_without_paying_twice() {
    let workflow = recipe("github-actions.yml");
    let script = block_after(&workflow, "name: Run this shard");
    let merge = block_after(&workflow, "name: Merge the shards");
    assert!(workflow.contains("on:") && workflow.contains("actions/cache/save@"));
    let dir = temp();
    inputs(dir.path());
    let server = Server::start();
    let shard = |n: &str, attempt: &str| {
        run_script(
            &script,
            dir.path(),
            &server,
            &[("SHARD", n), ("SHARDS", "2"), ("ATTEMPT", attempt)],
        )
    };
    // Attempt 1: shard 1 (lines 1, 3, 5) meets the stand-in's fault on line 3.
    let first = shard("1", "1");
    assert_eq!(first.status.code(), Some(5), "{}", stderr(&first));
    let second = shard("2", "1");
    assert!(second.status.success(), "{}", stderr(&second));
    assert_eq!(agent_runs(&server), 6);
    let report = std::fs::read_to_string(dir.path().join("results/shard-1.xml")).unwrap();
    assert!(report.contains("failures=\"1\""), "{report}");
    // "Re-run failed jobs": attempt 2 of shard 1 only; the fault is gone.
    let again = shard("1", "2");
    assert!(again.status.success(), "{}", stderr(&again));
    assert_contains(
        &stderr(&again),
        "resumed: 2 lines kept their recorded result",
    );
    assert_eq!(agent_runs(&server), 7, "only the failed line ran again");
    let report = std::fs::read_to_string(dir.path().join("results/shard-1.xml")).unwrap();
    assert!(report.contains("failures=\"0\""), "{report}");
    // The merge job.
    let merged = run_script(&merge, dir.path(), &server, &[]);
    assert!(merged.status.success(), "{}", stderr(&merged));
    let text = std::fs::read_to_string(dir.path().join("results.jsonl")).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert!(lines.iter().all(|l| l["status"] == 200), "{text}");
    nights(&workflow, dir.path(), &server);
}

/// The GitHub recipe's last steps over two nights: the first has no baseline (a report
/// alone), the second fails on a regression after writing its report; each keeps its results
/// for the next.
fn nights(workflow: &str, dir: &Path, server: &Server) {
    let compare = block_after(workflow, "name: Compare with last night");
    let keep = block_after(workflow, "name: Keep tonight's results");
    let first = run_script(&compare, dir, server, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_contains(&page, "id=\"verdict\">Passed</p>");
    assert!(run_script(&keep, dir, server, &[]).status.success());
    // The next night every line fails (an item asking the stand-in for a 503 once per input).
    let out = server
        .miiflow()
        .current_dir(dir)
        .args(["run", "agent_xxxYYYzzz", "--batch", "inputs.jsonl"])
        .args(["-o", "results.jsonl", "$fault=503", "--retries", "0", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let second = run_script(&compare, dir, server, &[]);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert_contains(
        &stderr(&second),
        "6 line(s) regressed since last-night/results.jsonl",
    );
    let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_contains(
        &page,
        "id=\"diff-verdict\">6 regression(s) since last-night/results.jsonl",
    );
    let junit = std::fs::read_to_string(dir.join("diff.xml")).unwrap();
    assert!(junit.contains("failures=\"6\""), "{junit}");
}

#[test]
fn the_gitlab_recipe_shards_from_its_parallel_variables() {
    let ci = recipe("gitlab-ci.yml");
    assert!(ci.contains("parallel: 4"));
    let script = block_after(&ci, "miiflow-shard:");
    let dir = temp();
    inputs(dir.path());
    let server = Server::start();
    let out = run_script(
        &script,
        dir.path(),
        &server,
        &[("CI_NODE_INDEX", "2"), ("CI_NODE_TOTAL", "4")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(
        &stderr(&out),
        "--shard auto: GitLab CI (CI_NODE_INDEX=2, CI_NODE_TOTAL=4): shard 2/4",
    );
    let results = std::fs::read_to_string(dir.path().join("results/shard-2.jsonl")).unwrap();
    let lines: Vec<u64> = results
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(lines, [2, 6]);
}

#[test]
fn the_kubernetes_recipe_runs_its_index_and_maps_exit_codes_to_the_failure_policy() {
    let job = recipe("kubernetes-indexed-job.yaml");
    assert!(job.contains("completionMode: Indexed") && job.contains("secretKeyRef"));
    let dir = temp();
    // The pod's /data volume is this test's folder.
    let script =
        block_after(&job, "- name: miiflow").replace("/data", &dir.path().display().to_string());
    inputs(dir.path());
    let server = Server::start();
    let out = run_script(
        &script,
        dir.path(),
        &server,
        &[("JOB_COMPLETION_INDEX", "2")],
    );
    // Index 2 is shard 3/4: lines 3 (the stand-in's 500) and... none after 6; exit 5 is
    // retried by the policy (Count), and the retry resumes.
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(job.contains("values: [5, 6]") && job.contains("values: [1, 2, 3, 4]"));
    let retry = run_script(
        &script,
        dir.path(),
        &server,
        &[("JOB_COMPLETION_INDEX", "2")],
    );
    assert!(retry.status.success(), "{}", stderr(&retry));
    assert_contains(
        &stderr(&retry),
        "a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=2, auto/4): shard 3/4",
    );
}

/// A release as GitHub serves it, in a folder: the archive and its .sha256.
fn fake_release(root: &Path, version: &str, target: &str) -> PathBuf {
    let dir = root.join(format!("v{version}"));
    let stage = root.join("stage").join(format!("miiflow-{target}"));
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    // A stand-in binary (compressing the real debug build would take most of a minute).
    let bin = stage.join("miiflow");
    std::fs::write(&bin, format!("#!/bin/sh\necho miiflow {version}\n")).unwrap();
    let mut perms = std::fs::metadata(&bin).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&bin, perms).unwrap();
    let archive = dir.join(format!("miiflow-{target}.tar.xz"));
    let ok = Command::new("tar")
        .arg("-cJf")
        .arg(&archive)
        .arg("-C")
        .arg(root.join("stage"))
        .arg(format!("miiflow-{target}"))
        .status()
        .unwrap();
    assert!(ok.success());
    let sum = Command::new("sha256sum").arg(&archive).output().unwrap();
    let hash = String::from_utf8(sum.stdout).unwrap()[..64].to_owned();
    std::fs::write(
        dir.join(format!("miiflow-{target}.tar.xz.sha256")),
        format!("{hash} *miiflow-{target}.tar.xz\n"),
    )
    .unwrap();
    archive
}

#[test]
fn the_installer_checks_the_archive_and_puts_miiflow_on_the_path() {
    let root = temp();
    let target = "x86_64-unknown-linux-gnu";
    let archive = fake_release(root.path(), "9.9.9", target);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install-release");
    let install = |extra: &[(&str, &str)], into: &Path| {
        let github_path = root.path().join("github-path");
        let mut cmd = Command::new("bash");
        cmd.arg(&script)
            .env("MIIFLOW_VERSION", "v9.9.9")
            .env("MIIFLOW_TARGET", target)
            .env(
                "MIIFLOW_RELEASES",
                format!("file://{}", root.path().display()),
            )
            .env("MIIFLOW_INSTALL_DIR", into)
            .env("GITHUB_PATH", &github_path);
        for (k, v) in extra {
            cmd.env(k, v);
        }
        (cmd.output().unwrap(), github_path)
    };
    let into = root.path().join("bin");
    let (out, github_path) = install(&[], &into);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), into.display().to_string());
    assert_eq!(
        std::fs::read_to_string(&github_path).unwrap().trim(),
        into.display().to_string()
    );
    let version = Command::new(into.join("miiflow"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(stdout(&version), "miiflow 9.9.9\n");
    // A pinned checksum that is not the archive's: refused.
    let other = root.path().join("other");
    let (out, _) = install(&[("MIIFLOW_SHA256", &"0".repeat(64))], &other);
    assert!(!out.status.success());
    assert_contains(&stderr(&out), "is not the pinned MIIFLOW_SHA256");
    assert!(!other.join("miiflow").exists());
    // An archive changed after its checksum was published: refused.
    let mut bytes = std::fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&archive, bytes).unwrap();
    let (out, _) = install(&[], &other);
    assert!(!out.status.success());
    assert_contains(&stderr(&out), "does not match the published");
    assert!(!other.join("miiflow").exists());
}

#[test]
fn the_actions_batch_step_runs_the_batch_with_its_inputs() {
    let action =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    // The step's `run: |` block, its indentation taken off.
    let block: Vec<&str> = action
        .lines()
        .skip_while(|l| !l.contains("name: Run the batch"))
        .skip_while(|l| l.trim() != "run: |")
        .skip(1)
        .take_while(|l| l.starts_with("        "))
        .map(|l| &l[8..])
        .collect();
    assert!(!block.is_empty(), "the batch step's run block");
    let dir = temp();
    // Run as GitHub runs a `shell: bash` step: a file, `bash --noprofile --norc -eo pipefail`.
    std::fs::write(dir.path().join("step.sh"), block.join("\n")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("miiflow");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let step = format!("PATH='{path}' bash --noprofile --norc -eo pipefail step.sh");
    let step = step.as_str();
    inputs(dir.path());
    let server = Server::start();
    let out = run_script(
        step,
        dir.path(),
        &server,
        &[
            ("AGENT", "agent_xxxYYYzzz"),
            ("BATCH", "inputs.jsonl"),
            (
                "ARGS",
                "--retries 0 --expect '.status == \"completed\"' --junit 'my report.xml'",
            ),
        ],
    );
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_contains(&stderr(&out), "6 lines, 5 succeeded, 1 failed (1 HTTP 5xx)");
    let report = std::fs::read_to_string(dir.path().join("my report.xml")).unwrap();
    assert!(report.contains("tests=\"6\""), "{report}");
    // Issue 28, item 26: ARGS is split, never evaluated.
    let out = run_script(
        step,
        dir.path(),
        &server,
        &[
            ("AGENT", "agent_xxxYYYzzz"),
            ("BATCH", "inputs.jsonl"),
            (
                "ARGS",
                "--retries 0 --junit '$(touch pwned).xml' ; touch pwned2",
            ),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!dir.path().join("pwned").exists() && !dir.path().join("pwned2").exists());
    let out = run_script(
        step,
        dir.path(),
        &server,
        &[
            ("AGENT", "agent_xxxYYYzzz"),
            ("BATCH", "inputs.jsonl"),
            ("ARGS", "--retries 0 --junit '$(touch pwned).xml'"),
        ],
    );
    // (The stand-in fails a line once: this run's lines all succeed.)
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dir.path().join("pwned").exists());
    assert!(dir.path().join("$(touch pwned).xml").exists());
}

/// Issue 28, item 29: a version that is not released is said plainly (exit 3), and the action
/// then builds miiflow from its own source with the runner's cargo (stubbed here: it records
/// how it was called and puts a miiflow where `cargo install --root` would).
#[test]
fn an_unreleased_version_is_said_plainly_and_the_action_builds_from_source() {
    let root = temp();
    let empty = root.path().join("releases");
    std::fs::create_dir(&empty).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(repo.join("scripts/install-release"))
        .env("MIIFLOW_VERSION", "0.1.0")
        .env("MIIFLOW_TARGET", "x86_64-unknown-linux-gnu")
        .env("MIIFLOW_RELEASES", format!("file://{}", empty.display()))
        .env("MIIFLOW_INSTALL_DIR", root.path().join("bin"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains(&stderr(&out), "miiflow 0.1.0 has not been released");
    assert_contains(&stderr(&out), "cargo install --locked --git");
    // The action's install step, as GitHub runs it.
    let action = std::fs::read_to_string(repo.join("action.yml")).unwrap();
    let block: Vec<&str> = action
        .lines()
        .skip_while(|l| !l.contains("name: Install miiflow"))
        .skip_while(|l| l.trim() != "run: |")
        .skip(1)
        .take_while(|l| l.starts_with("        "))
        .map(|l| &l[8..])
        .collect();
    std::fs::write(root.path().join("step.sh"), block.join("\n")).unwrap();
    let stubs = root.path().join("stubs");
    std::fs::create_dir(&stubs).unwrap();
    write(
        &stubs,
        "cargo",
        "#!/bin/sh\necho \"$@\" > \"$STUB_LOG\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --root ] && r=$2; shift; done\n\
         mkdir -p \"$r/bin\" && printf '#!/bin/sh\\necho built\\n' > \"$r/bin/miiflow\" && chmod +x \"$r/bin/miiflow\"\n",
    );
    Command::new("chmod")
        .arg("+x")
        .arg(stubs.join("cargo"))
        .status()
        .unwrap();
    let (github_path, github_output, log) = (
        root.path().join("github-path"),
        root.path().join("github-output"),
        root.path().join("cargo.log"),
    );
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "step.sh"])
        .current_dir(root.path())
        .env(
            "PATH",
            format!("{}:{}", stubs.display(), std::env::var("PATH").unwrap()),
        )
        .env("GITHUB_ACTION_PATH", repo)
        .env("GITHUB_PATH", &github_path)
        .env("GITHUB_OUTPUT", &github_output)
        .env("RUNNER_TEMP", root.path())
        .env("STUB_LOG", &log)
        .env("MIIFLOW_VERSION", "0.1.0")
        .env("MIIFLOW_RELEASES", format!("file://{}", empty.display()))
        .env("MIIFLOW_INSTALL_DIR", root.path().join("bin"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_contains(&stdout(&out), "::notice::miiflow 0.1.0 is not released");
    let called = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        called.trim(),
        format!(
            "install --locked --quiet --path {} --root {}/miiflow-from-source",
            repo.display(),
            root.path().display()
        )
    );
    let bin = format!("{}/miiflow-from-source/bin", root.path().display());
    assert_eq!(std::fs::read_to_string(&github_path).unwrap().trim(), bin);
    assert_eq!(
        std::fs::read_to_string(&github_output).unwrap().trim(),
        format!("path={bin}")
    );
}
