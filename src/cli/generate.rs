//! Shell completions and man pages, rendered from the clap definition in `cli.rs` (the one
//! source of the interface). Committed copies in `completions/` and `man/` are checked against
//! these by a test; `MIIFLOW_OVERWRITE_GENERATED=1 cargo test generated` refreshes them.

use clap_complete::Shell;
use roff::{Roff, roman};

/// The date on the man pages: the date of this version's interface, a constant so that the
/// pages are the same whenever they are generated. Change it with the interface.
const MAN_DATE: &str = "2026-11-26";

/// Each shell and the file its script is committed as.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "miiflow.bash"),
    (Shell::Zsh, "_miiflow"),
    (Shell::Fish, "miiflow.fish"),
    (Shell::PowerShell, "_miiflow.ps1"),
    (Shell::Elvish, "miiflow.elv"),
];

/// The completion script for a shell.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut reproducible(), "miiflow", &mut out);
    with_aliases(shell, out)
}

/// Alias names after `miiflow run`, read at completion time from `miiflow agents list
/// --names` (the config as it is then): clap's static scripts, with a hook per shell.
fn with_aliases(shell: Shell, script: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8(script).expect("clap writes UTF-8");
    let text = match shell {
        Shell::Bash => format!(
            "{text}
# Alias names (`miiflow agents`) where `miiflow run` takes an agent id.
_miiflow_complete() {{
    _miiflow \"$@\"
    local i word first=\"\" words=0 profile=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=\"${{COMP_WORDS[i]}}\"
        case \"$word\" in
            --profile|-p) profile=(--profile \"${{COMP_WORDS[i + 1]}}\"); i=$((i + 1)) ;;
            --base-url|--color) i=$((i + 1)) ;;
            -*) ;;
            *) words=$((words + 1)); [[ $words -eq 1 ]] && first=\"$word\" ;;
        esac
    done
    if [[ \"$first\" == run && $words -eq 1 && \"${{COMP_WORDS[COMP_CWORD]}}\" != -* ]]; then
        COMPREPLY+=( $(compgen -W \"$(command miiflow \"${{profile[@]}}\" agents list --names 2>/dev/null)\" -- \"${{COMP_WORDS[COMP_CWORD]}}\") )
    fi
}}
if [[ \"${{BASH_VERSINFO[0]}}\" -eq 4 && \"${{BASH_VERSINFO[1]}}\" -ge 4 || \"${{BASH_VERSINFO[0]}}\" -gt 4 ]]; then
    complete -F _miiflow_complete -o nosort -o bashdefault -o default miiflow
else
    complete -F _miiflow_complete -o bashdefault -o default miiflow
fi
"
        ),
        Shell::Zsh => {
            let hook = "(( $+functions[_miiflow_aliases] )) ||
_miiflow_aliases() {
    local -a names
    names=(${(f)\"$(miiflow agents list --names 2>/dev/null)\"})
    _describe -t aliases 'alias (miiflow agents)' names
    _default
}
";
            let text = text.replacen(
                "with --workflow, leave it out and start with the items:_default'",
                "with --workflow, leave it out and start with the items:_miiflow_aliases'",
                1,
            );
            match text.split_once('\n') {
                Some((first, rest)) => format!("{first}\n\n{hook}\n{rest}"),
                None => text,
            }
        }
        // clap's fish script completes no positional values: the shells after `completions`
        // are added here, from the interface, as the other shells' scripts list them.
        Shell::Fish => format!(
            "{text}complete -c miiflow -n \"__fish_miiflow_using_subcommand run\" -f -a \"(miiflow agents list --names 2>/dev/null)\" -d 'alias (miiflow agents)'\n\
             complete -c miiflow -n \"__fish_miiflow_using_subcommand completions\" -f -a \"{}\" -d 'shell'\n",
            shells().join(" ")
        ),
        _ => text,
    };
    text.into_bytes()
}

/// The shells `miiflow completions` takes, as its interface names them.
fn shells() -> Vec<String> {
    let cmd = reproducible();
    let completions = cmd
        .find_subcommand("completions")
        .expect("a completions command");
    completions
        .get_positionals()
        .flat_map(|arg| arg.get_possible_values())
        .map(|v| v.get_name().to_owned())
        .collect()
}

/// The interface with the package version only: generated files must not change with every
/// commit.
fn reproducible() -> clap::Command {
    super::command().version(env!("CARGO_PKG_VERSION"))
}

/// Every man page: `miiflow.1` and one per subcommand (`miiflow-keys-create.1`, …), as
/// (file name, contents).
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut cmd = reproducible();
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, &mut pages);
    pages
}

/// Every command's path below `miiflow` (`[]`, `["keys"]`, `["keys", "create"]`, …), for the
/// help snapshots.
pub fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, all: &mut Vec<Vec<String>>) {
        all.push(path.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            path.push(sub.get_name().to_owned());
            walk(sub, path, all);
            path.pop();
        }
    }
    let mut all = Vec::new();
    walk(&reproducible(), &mut Vec::new(), &mut all);
    all
}

fn collect(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
    pages.push(page(cmd));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, pages);
    }
}

fn page(cmd: &clap::Command) -> (String, Vec<u8>) {
    // The top-level help's own "Exit codes"/"Environment" blocks are rendered as sections
    // below, on every page, instead of as clap's "EXTRA".
    let man = clap_mangen::Man::new(cmd.clone())
        .date(MAN_DATE)
        .source(concat!("miiflow ", env!("CARGO_PKG_VERSION")))
        .manual("miiflow manual");
    let name = man.get_filename();
    let mut out = Vec::new();
    type Part = fn(&clap_mangen::Man, &mut dyn std::io::Write) -> std::io::Result<()>;
    let parts: [Part; 5] = [
        clap_mangen::Man::render_title,
        clap_mangen::Man::render_name_section,
        clap_mangen::Man::render_synopsis_section,
        clap_mangen::Man::render_description_section,
        clap_mangen::Man::render_options_section,
    ];
    for part in parts {
        part(&man, &mut out).expect("writing to a Vec");
    }
    // clap_mangen puts a blank line between two `.br` before a value list, which mandoc
    // rightly warns about; one `.br` says the same.
    let out_text = String::from_utf8(out)
        .expect("roff is text")
        .replace("\n.br\n\n.br\n", "\n.br\n");
    let mut out = out_text.into_bytes();
    if cmd.get_subcommands().any(|s| s.get_name() != "help") {
        man.render_subcommands_section(&mut out)
            .expect("writing to a Vec");
    }
    let mut roff = Roff::default();
    // Blocks of the command's own after-help ("Examples:", "Request items:", …).
    let after = cmd
        .get_after_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    for (title, lines) in blocks(&after) {
        if matches!(title.as_str(), "Exit codes" | "Environment") {
            continue;
        }
        section(&mut roff, &title.to_uppercase(), &lines);
    }
    section(&mut roff, "EXIT STATUS", &block_lines(super::EXIT_CODES));
    section(&mut roff, "ENVIRONMENT", &block_lines(super::ENVIRONMENT));
    section(&mut roff, "FILES", &block_lines(super::FILES));
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "miiflow(1), miiflow-run(1), miiflow-login(1), miiflow-status(1), miiflow-keys(1), \
         miiflow-mock --help",
    )]);
    out.extend_from_slice(roff.to_roff().as_bytes());
    (name, ascii_roff(&drop_help_entry(&out)))
}

/// The subcommands section without clap's `help` subcommand: it has no page of its own
/// (`miiflow-help(1)` would name a page that does not exist).
fn drop_help_entry(roff: &[u8]) -> String {
    let text = String::from_utf8(roff.to_vec()).expect("roff is text");
    let mut out = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let help_entry = line == ".TP"
            && lines
                .peek()
                .is_some_and(|next| next.ends_with("\\-help(1)") && !next.contains(' '));
        if help_entry {
            lines.next(); // its name
            lines.next(); // its one-line description
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Roff in ASCII: `…` as three dots (groff's ASCII device has no stand-in for it and drops it
/// under `LC_ALL=C`), every other character as groff's `\[uXXXX]` escape, which mandoc and
/// groff render (with an ASCII stand-in where the terminal has no UTF-8) instead of warning
/// about raw UTF-8.
fn ascii_roff(text: &str) -> Vec<u8> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // `\&` first: three dots can never start a line as a request.
            '…' => out.push_str("\\&..."),
            c if c.is_ascii() => out.push(c),
            c => out.push_str(&format!("\\[u{:04X}]", c as u32)),
        }
    }
    out.into_bytes()
}

/// A section of preformatted lines (examples and tables keep their layout).
fn section(roff: &mut Roff, title: &str, lines: &[String]) {
    roff.control("SH", [title]);
    roff.control("nf", [] as [&str; 0]);
    for line in lines {
        roff.text([roman(line.as_str())]);
    }
    roff.control("fi", [] as [&str; 0]);
}

/// Splits after-help text into titled blocks: a line ending in ':' opens one.
fn blocks(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            out.push((line.trim_end_matches(':').to_owned(), Vec::new()));
        } else if let Some((_, lines)) = out.last_mut()
            && !line.trim().is_empty()
        {
            lines.push(line.trim_start().to_owned());
        }
    }
    out
}

/// The lines of a one-block text such as [`super::EXIT_CODES`], without its title.
fn block_lines(text: &str) -> Vec<String> {
    blocks(text)
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_and_pages_are_reproducible() {
        let pages = man_pages();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for want in [
            "miiflow.1",
            "miiflow-run.1",
            "miiflow-login.1",
            "miiflow-keys-create.1",
            "miiflow-completions.1",
        ] {
            assert!(names.contains(&want), "{names:?}");
        }
        assert_eq!(pages, man_pages());
        let run = String::from_utf8(
            pages
                .iter()
                .find(|(n, _)| n == "miiflow-run.1")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap();
        for section in [
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
            "EXAMPLES",
            "REQUEST ITEMS",
        ] {
            assert!(
                run.contains(&format!(".SH \"{section}\""))
                    || run.contains(&format!(".SH {section}")),
                "{section}"
            );
        }
    }

    #[test]
    fn blocks_split_on_titles() {
        let b = blocks("Examples:\n  a\n  b\n\nMore:\n  c");
        assert_eq!(
            b,
            vec![
                ("Examples".into(), vec!["a".into(), "b".into()]),
                ("More".into(), vec!["c".into()])
            ]
        );
    }
}
