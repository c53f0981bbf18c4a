//! The shape of the code, held by the build (see docs/ARCHITECTURE.md): read from `src/` as
//! text, so that no layer can drift without this test failing.
//!
//! - no import circle between files (a file's `crate::…` paths, tests left out);
//! - `commands/` is imported by `app.rs` and by its own `mod.rs` only: never from below, never
//!   by another command;
//! - clap's types end at `commands/`: no file outside `cli/`, `commands/` and `app.rs` names
//!   `crate::cli` or `clap::`;
//! - no file over 500 lines of code (before its tests; blank and comment lines not counted);
//! - the environment is read in `env.rs` only, the command line in `app.rs` only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file: its module path (`engine::job`), where it is, and its code (tests cut off).
struct File {
    module: String,
    path: PathBuf,
    code: String,
}

fn files() -> Vec<File> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&src, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            if parts == ["lib"] || parts == ["main"] {
                return None;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            Some(File {
                module: parts.join("::"),
                path,
                code,
            })
        })
        .collect()
}

/// The code lines of `code`: no blank lines, no comment lines.
fn code_lines(code: &str) -> impl Iterator<Item = &str> {
    code.lines().filter(|l| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with("//")
    })
}

/// The `crate::a::b::…` paths a file's code names (comments left out).
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in code_lines(code) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let tail = &rest[at + "crate::".len()..];
            let path: Vec<String> = tail
                .split("::")
                .map_while(|seg| {
                    let ident: String = seg
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    (!ident.is_empty() && ident.len() == seg.len()).then_some(ident)
                })
                .collect();
            // The last segment may be followed by other text (`crate::ui::Ui;`): take it too.
            let last: String = tail
                .split("::")
                .nth(path.len())
                .unwrap_or_default()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let mut path = path;
            if !last.is_empty() {
                path.push(last);
            }
            out.push(path);
            rest = tail;
        }
    }
    out
}

/// Which module each file names: the longest prefix of each `crate::` path that is a file.
fn edges(files: &[File]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<&str> = files.iter().map(|f| f.module.as_str()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        for mut path in crate_paths(&f.code) {
            while !path.is_empty() && !modules.contains(path.join("::").as_str()) {
                path.pop();
            }
            let to = path.join("::");
            let nested = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}::"));
            if !to.is_empty() && !nested(&f.module, &to) && !nested(&to, &f.module) {
                edges.entry(f.module.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// The import circles: strongly connected sets of more than one file (Tarjan).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut set = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                set.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if set.len() > 1 {
                s.out.push(set);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let edges = edges(&files());
    assert!(edges.len() > 30, "the files were read: {edges:?}");
    let circles = circles(&edges);
    assert!(circles.is_empty(), "import circles: {circles:?}");
}

#[test]
fn the_circle_finder_finds_circles() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    edges.entry("c".into()).or_default().insert("a".into());
    edges.entry("c".into()).or_default().insert("d".into());
    assert_eq!(circles(&edges).len(), 1);
    edges.get_mut("c").unwrap().remove("a");
    assert!(circles(&edges).is_empty());
}

/// Whether `module` is one of the source files.
fn files_named(module: &str) -> bool {
    files().iter().any(|f| f.module == module)
}

#[test]
fn commands_are_imported_by_the_program_only_and_never_by_each_other() {
    let mut wrong = Vec::new();
    for f in files() {
        let command = f
            .module
            .strip_prefix("commands::")
            .map(|rest| rest.split("::").next().unwrap().to_owned());
        for path in crate_paths(&f.code) {
            if path.first().map(String::as_str) != Some("commands") {
                continue;
            }
            let allowed = match (&command, f.module.as_str()) {
                (_, "app" | "commands") => true,
                (Some(mine), _) => path.get(1).is_none_or(|other| other == mine),
                (None, _) => false,
            };
            if !allowed {
                wrong.push(format!("{}: crate::{}", f.path.display(), path.join("::")));
            }
        }
        // Inside a command's folder, a file imports its folder's mod.rs, never a sibling.
        if let Some(mine) = &command
            && f.module.matches("::").count() == 2
        {
            for line in code_lines(&f.code) {
                if let Some(at) = line.find("super::") {
                    let next: String = line[at + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let sibling = format!("commands::{mine}::{next}");
                    if line[at + 7 + next.len()..].starts_with("::") && files_named(&sibling) {
                        wrong.push(format!("{}: super::{next}", f.path.display()));
                    }
                }
            }
        }
        // `super::other_command` from inside a command.
        if let Some(mine) = &command
            && f.module.matches("::").count() == 1
        {
            for line in code_lines(&f.code) {
                if let Some(at) = line.find("super::") {
                    let other: String = line[at + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let own_items = other.chars().next().is_some_and(|c| c.is_uppercase());
                    if !other.is_empty() && &other != mine && !own_items {
                        wrong.push(format!("{}: super::{other}", f.path.display()));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "commands imported from below or by another command: {wrong:#?}"
    );
}

#[test]
fn clap_types_end_at_the_commands() {
    let mut wrong = Vec::new();
    for f in files() {
        let top = f.module.split("::").next().unwrap();
        if matches!(top, "cli" | "commands" | "app") {
            continue;
        }
        for path in crate_paths(&f.code) {
            if path.first().is_some_and(|p| p == "cli") {
                wrong.push(format!("{}: crate::{}", f.path.display(), path.join("::")));
            }
        }
        for line in code_lines(&f.code) {
            // `clap::…` as a path of its own (not the end of another name).
            let names_clap = line.match_indices("clap::").any(|(at, _)| {
                !line[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if names_clap || line.trim_start().starts_with("use clap") {
                wrong.push(format!("{}: {}", f.path.display(), line.trim()));
            }
        }
    }
    assert!(wrong.is_empty(), "clap types below commands/: {wrong:#?}");
}

#[test]
fn no_file_is_over_500_lines_of_code() {
    let long: Vec<String> = files()
        .iter()
        .map(|f| (code_lines(&f.code).count(), &f.path))
        .filter(|(n, _)| *n > 500)
        .map(|(n, p)| format!("{}: {n} lines of code", p.display()))
        .collect();
    assert!(long.is_empty(), "files over 500 lines of code: {long:#?}");
}

#[test]
fn the_environment_and_the_command_line_are_read_in_one_place_each() {
    let mut wrong = Vec::new();
    for f in files() {
        for line in code_lines(&f.code) {
            let env = ["env::var(", "env::var_os(", "env::vars("]
                .iter()
                .any(|w| line.contains(&format!("std::{w}")));
            let argv = line.contains("env::args");
            if (env && f.module != "env") || (argv && f.module != "app") {
                wrong.push(format!("{}: {}", f.path.display(), line.trim()));
            }
        }
    }
    assert!(wrong.is_empty(), "read outside env.rs / app.rs: {wrong:#?}");
}
