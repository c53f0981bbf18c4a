//! `miiflow results merge`: shards and nights merged into one results file, in line order,
//! a success over a failure, completeness checked against the batch file.

use std::path::Path;

use serde_json::Value;

use crate::support::*;

fn results(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn merge(args: &[&str], files: &[&Path]) -> std::process::Output {
    let mut cmd = miiflow();
    cmd.args(["results", "merge"]);
    for f in files {
        cmd.arg(f);
    }
    cmd.args(args).output().unwrap()
}

#[test]
fn shards_merge_into_the_results_of_one_batch_that_resume_takes_as_they_are() {
    let dir = temp();
    let input = write(
        dir.path(),
        "in.jsonl",
        (1..=7)
            .map(|i| format!("{{\"n\":{i}}}\n"))
            .collect::<String>(),
    );
    let server = Server::start();
    let mut shards = Vec::new();
    for i in 1..=3 {
        let out_file = dir.path().join(format!("shard-{i}.jsonl"));
        let out = server
            .miiflow()
            .args(["run", "agent_m", "--shard", &format!("{i}/3"), "--batch"])
            .arg(&input)
            .arg("-o")
            .arg(&out_file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        shards.push(out_file);
    }
    let merged = dir.path().join("all.jsonl");
    let files: Vec<&Path> = shards.iter().rev().map(|p| p.as_path()).collect();
    let out = merge(
        &[
            "-o",
            merged.to_str().unwrap(),
            "--input",
            input.to_str().unwrap(),
        ],
        &files,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(
        &stderr(&out),
        "merged 3 file(s): 7 lines (7 succeeded, 0 failed)",
    );
    let lines = results(&merged);
    let numbers: Vec<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7]);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["body"]["output"]["n"], i as u64 + 1);
    }
    // The merged file is a results file: a resume from it sends nothing.
    let before = agent_runs(&server);
    let out = server
        .miiflow()
        .args(["run", "agent_m", "--batch"])
        .arg(&input)
        .arg("-o")
        .arg(&merged)
        .arg("--resume")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_contains(&stderr(&out), "resumed: 7 lines kept their recorded result");
    assert_eq!(agent_runs(&server), before, "nothing ran again");
}

const D1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const D2: &str = "2222222222222222222222222222222222222222222222222222222222222222";

fn result(line: u64, digest: &str, status: u16, tag: &str) -> String {
    format!(
        "{{\"line\":{line},\"input_blake3\":\"{digest}\",\"status\":{status},\"body\":\"{tag}\"}}\n"
    )
}

#[test]
fn a_success_beats_a_failure_the_later_file_wins_and_a_journal_out_of_order_is_sorted() {
    let dir = temp();
    // A journal left by a kill: finishing order, line 2 twice (the later wins), a cut line.
    let night1 = write(
        dir.path(),
        "night1.jsonl",
        format!(
            "{}{}{}{}{{\"line\":5,\"status\":2",
            result(3, D1, 200, "n1-3"),
            result(2, D1, 500, "n1-2-first"),
            result(1, D1, 200, "n1-1"),
            result(2, D1, 503, "n1-2-later"),
        ),
    );
    let night2 = write(
        dir.path(),
        "night2.jsonl",
        format!(
            "{}{}{}",
            result(1, D2, 200, "n2-1"),
            result(3, D1, 500, "n2-3"),
            result(4, D1, 200, "n2-4"),
        ),
    );
    let out = merge(&[], &[&night1, &night2]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tags: Vec<(u64, String)> = stdout(&out)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["line"].as_u64().unwrap(),
                v["body"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        (1, "n2-1"),       // two successes: the later file's
        (2, "n1-2-later"), // two failures in one file: the later line's
        (3, "n1-3"),       // a success beats the later file's failure
        (4, "n2-4"),
    ];
    let want: Vec<(u64, String)> = want.iter().map(|(n, t)| (*n, t.to_string())).collect();
    assert_eq!(tags, want);
    let err = stderr(&out);
    assert_contains(&err, "1 line(s) were not results");
    assert_contains(
        &err,
        "1 line(s) had successful results for different inputs",
    );
    // OUT may be one of the FILEs: it is replaced only once the merge is complete.
    let out = merge(&["-o", night2.to_str().unwrap()], &[&night1, &night2]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(results(&night2).len(), 4);
}

#[test]
fn with_the_batch_file_missing_and_stale_lines_are_named_and_exit_1() {
    let dir = temp();
    let input = write(
        dir.path(),
        "in.jsonl",
        (1..=5)
            .map(|i| format!("{{\"n\":{i}}}\n"))
            .collect::<String>(),
    );
    let server = Server::start();
    let partial = dir.path().join("partial.jsonl");
    let out = server
        .miiflow()
        .args(["run", "agent_m", "--shard", "1/2", "--batch"])
        .arg(&input)
        .arg("-o")
        .arg(&partial)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // Line 3 changed since its result was recorded.
    std::fs::write(
        &input,
        "{\"n\":1}\n{\"n\":2}\n{\"n\":33}\n{\"n\":4}\n{\"n\":5}\n",
    )
    .unwrap();
    let merged = dir.path().join("all.jsonl");
    let out = merge(
        &[
            "-o",
            merged.to_str().unwrap(),
            "--input",
            input.to_str().unwrap(),
        ],
        &[&partial],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains(&err, "2 line(s) of the input have no result: 2, 4");
    assert_contains(
        &err,
        "1 result(s) are stale (their input line changed, or is gone): 3",
    );
    assert_eq!(results(&merged).len(), 3, "OUT is written all the same");
    // A results file with a line the input no longer has.
    std::fs::write(&input, "{\"n\":1}\n").unwrap();
    let out = merge(&["--input", input.to_str().unwrap()], &[&partial]);
    assert_eq!(out.status.code(), Some(1));
    assert_contains(
        &stderr(&out),
        "2 result(s) are stale (their input line changed, or is gone): 3, 5",
    );
    // Files that cannot be read are refused before anything is written.
    let out = merge(
        &["-o", merged.to_str().unwrap()],
        &[&dir.path().join("nope.jsonl")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_contains(&stderr(&out), "nope.jsonl: cannot read");
}
