//! completions/ and man/ are generated from cli.rs and committed. This test regenerates them and
//! compares; `MIIFLOW_OVERWRITE_GENERATED=1 cargo test generated` writes them instead. Then the
//! committed files are checked by the tools that will read them: bash, zsh, fish, mandoc, man.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn overwrite() -> bool {
    std::env::var_os("MIIFLOW_OVERWRITE_GENERATED").is_some_and(|v| v == "1")
}

fn check(path: &Path, want: &[u8], stale: &mut Vec<String>) {
    if overwrite() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, want).unwrap();
    } else if std::fs::read(path).ok().as_deref() != Some(want) {
        stale.push(path.display().to_string());
    }
}

#[test]
fn generated_files_match_the_cli() {
    let mut stale = Vec::new();
    for (shell, name) in miiflow::docs::SHELLS {
        check(
            &root().join("completions").join(name),
            &miiflow::docs::completions(shell),
            &mut stale,
        );
    }
    let pages = miiflow::docs::man_pages();
    for (name, page) in &pages {
        check(&root().join("man").join(name), page, &mut stale);
    }
    // No page left behind for a command that is gone.
    for entry in std::fs::read_dir(root().join("man")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !pages.iter().any(|(n, _)| *n == name) {
            if overwrite() {
                std::fs::remove_file(entry.path()).unwrap();
            } else {
                stale.push(format!("{name} (no such command)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated files differ from the CLI: {stale:?}; run `MIIFLOW_OVERWRITE_GENERATED=1 cargo test generated` and commit the result"
    );
}

/// A tool the test command installs; plain `cargo test` skips where it is missing, unless
/// MIIFLOW_TEST_REQUIRE_TOOLS says it must be there.
fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .unwrap()
        .status
        .success();
    assert!(
        found || std::env::var_os("MIIFLOW_TEST_REQUIRE_TOOLS").is_none(),
        "{name} is required (MIIFLOW_TEST_REQUIRE_TOOLS is set) but not installed"
    );
    if !found {
        eprintln!("skipped: {name} is not installed");
    }
    found
}

#[test]
fn shells_accept_the_committed_scripts() {
    for (shell, file) in [
        ("bash", "miiflow.bash"),
        ("zsh", "_miiflow"),
        ("fish", "miiflow.fish"),
    ] {
        if !tool(shell) {
            continue;
        }
        let out = Command::new(shell)
            .arg("-n")
            .arg(root().join("completions").join(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{shell} -n {file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// What bash offers after `line`, with the committed script loaded.
fn bash_completes(line: &str) -> Vec<String> {
    let script = format!(
        "source '{}'\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\nread -ra COMP_WORDS <<< \"$COMP_LINE\"\n\
         [[ \"$COMP_LINE\" == *' ' ]] && COMP_WORDS+=('')\nCOMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n\
         _miiflow miiflow \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        root().join("completions/miiflow.bash").display()
    );
    let out = Command::new("bash").arg("-c").arg(script).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completes_commands_and_subcommands() {
    if !tool("bash") {
        return;
    }
    let top = bash_completes("miiflow ");
    for word in ["run", "login", "logout", "keys", "status", "completions"] {
        assert!(top.contains(&word.to_owned()), "{word} not in {top:?}");
    }
    let keys = bash_completes("miiflow keys ");
    for word in ["create", "delete", "list", "rotate"] {
        assert!(keys.contains(&word.to_owned()), "{word} not in {keys:?}");
    }
    let flags = bash_completes("miiflow run --ba");
    assert!(
        flags.contains(&"--batch".to_owned()) && flags.contains(&"--base-url".to_owned()),
        "{flags:?}"
    );
}

#[test]
fn mandoc_finds_nothing_to_warn_about() {
    if !tool("mandoc") {
        return;
    }
    let pages: Vec<PathBuf> = std::fs::read_dir(root().join("man"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(pages.len() >= 10, "{pages:?}");
    let out = Command::new("mandoc")
        .args(["-T", "lint", "-W", "warning"])
        .args(&pages)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success() && report.trim().is_empty(), "{report}");
}

#[test]
fn man_renders_the_run_page() {
    if !tool("man") {
        return;
    }
    let out = Command::new("man")
        .arg("-l")
        .arg(root().join("man/miiflow-run.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for words in [
        "--input",
        "EXIT STATUS",
        "ENVIRONMENT",
        "MIIFLOW_API_KEY",
        "EXAMPLES",
        "miiflow run agent_abc123 city=Paris",
    ] {
        assert!(text.contains(words), "{words} not in:\n{text}");
    }
}

#[test]
fn the_completions_command_prints_the_committed_script() {
    let out = crate::support::miiflow()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        out.stdout,
        std::fs::read(root().join("completions/miiflow.bash")).unwrap()
    );
}
