//! The version `miiflow --version` prints: the package version, and the short commit hash and
//! its date when built from a git checkout (nothing is added elsewhere: a crate built from
//! crates.io or a tarball says only its version). Also the target triple for `version --json`.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    // Only a checkout of this project counts (not a parent folder's repository).
    let here = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let top = git(&["-C", &here, "rev-parse", "--show-toplevel"]);
    let ours = top.is_some_and(|t| std::path::Path::new(&t) == std::path::Path::new(&here));
    let commit = ours
        .then(|| git(&["-C", &here, "log", "-1", "--format=%h %cs", "--abbrev=9"]))
        .flatten();
    let (hash, date) = match commit.as_deref().and_then(|c| c.split_once(' ')) {
        Some((h, d)) => (h.to_owned(), d.to_owned()),
        None => (String::new(), String::new()),
    };
    let full = match hash.is_empty() {
        true => version.to_owned(),
        false => format!("{version} ({hash} {date})"),
    };
    println!("cargo:rustc-env=MIIFLOW_VERSION={full}");
    println!("cargo:rustc-env=MIIFLOW_COMMIT={hash}");
    println!("cargo:rustc-env=MIIFLOW_COMMIT_DATE={date}");
    println!(
        "cargo:rustc-env=MIIFLOW_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
    if ours {
        // A new commit changes the version: rebuild when HEAD moves (HEAD itself, and the ref
        // it names). Not the index: every `git add` or `git status` rewrites it.
        println!("cargo:rerun-if-changed={here}/.git/HEAD");
        if let Some(head) = std::fs::read_to_string(format!("{here}/.git/HEAD"))
            .ok()
            .and_then(|h| h.strip_prefix("ref: ").map(|r| r.trim().to_owned()))
        {
            println!("cargo:rerun-if-changed={here}/.git/{head}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
