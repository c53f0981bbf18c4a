//! The JSON built from request items equals what HTTPie (`http --offline`) builds from the
//! same items. Each case also has its expected JSON written down, so the table checks
//! miiflow even where HTTPie is not installed; where it is, HTTPie checks the table.

use proptest::strategy::Strategy as _;
use std::process::Command;

use crate::support::*;

/// (items, the input JSON both tools build)
const CASES: &[(&[&str], &str)] = &[
    (&["name=Ada"], r#"{"name":"Ada"}"#),
    (
        &["n:=42", "f:=1.5", "t:=true", "z:=null"],
        r#"{"n":42,"f":1.5,"t":true,"z":null}"#,
    ),
    (
        &["big:=123456789012345678901234567890"],
        r#"{"big":123456789012345678901234567890}"#,
    ),
    (&["o:={\"a\":[1,2]}"], r#"{"o":{"a":[1,2]}}"#),
    (&["a[b][c]=x"], r#"{"a":{"b":{"c":"x"}}}"#),
    (&["a[]=x", "a[]=y"], r#"{"a":["x","y"]}"#),
    (&["a[2]=x"], r#"{"a":[null,null,"x"]}"#),
    (&["a[1][b]=x", "a[0]:=0"], r#"{"a":[0,{"b":"x"}]}"#),
    (
        &["a[b][]:=1", "a[b][]:=2", "a[c]=z"],
        r#"{"a":{"b":[1,2],"c":"z"}}"#,
    ),
    (&["[]:=1", "[]:=2"], "[1,2]"),
    (&["[1]=x"], r#"[null,"x"]"#),
    (&[r"k\=q=v"], r#"{"k=q":"v"}"#),
    (&[r"a\:b=1"], r#"{"a:b":"1"}"#),
    (&[r"a\[b\]=1"], r#"{"a[b]":"1"}"#),
    (&[r"a[\1]=x"], r#"{"a":{"1":"x"}}"#),
    (&["007=x"], r#"{"7":"x"}"#),
    (&["a=b=c"], r#"{"a":"b=c"}"#),
    (&["a=1", "a=2"], r#"{"a":"2"}"#),
    (&["=empty-key"], r#"{"":"empty-key"}"#),
    (&["empty="], r#"{"empty":""}"#),
    (&["unicode=café ☃"], r#"{"unicode":"café ☃"}"#),
    (&["text=@note.txt"], r#"{"text":"hello\nworld\n"}"#),
    (&["doc:=@doc.json"], r#"{"doc":{"x": [1, "two"]}}"#),
    (
        &["u[a]=1", "u[b][]:=2", "u[b][]=3"],
        r#"{"u":{"a":"1","b":[2,"3"]}}"#,
    ),
];

fn fixtures() -> tempfile::TempDir {
    let dir = temp();
    write(dir.path(), "note.txt", "hello\nworld\n");
    write(dir.path(), "doc.json", r#"{"x": [1, "two"]}"#);
    dir
}

/// The `input` miiflow would send, from --dry-run.
fn miiflow_input(dir: &std::path::Path, items: &[&str]) -> String {
    let out = miiflow()
        .current_dir(dir)
        .args(["run", "agent_items", "--dry-run"])
        .args(items)
        .output()
        .unwrap();
    assert!(out.status.success(), "{items:?}: {}", stderr(&out));
    let text = stdout(&out);
    let body = text.lines().last().expect("a body line");
    let prefix = r#"{"agent_id":"agent_items","input":"#;
    body.strip_prefix(prefix)
        .and_then(|b| b.strip_suffix('}'))
        .unwrap_or_else(|| panic!("unexpected body {body}"))
        .to_owned()
}

/// True when Python reads both texts as the same JSON value (as HTTPie would compare them).
fn same_json(a: &str, b: &str) -> bool {
    Command::new("python3")
        .args([
            "-c",
            "import json,sys; sys.exit(json.loads(sys.argv[1]) != json.loads(sys.argv[2]))",
            a,
            b,
        ])
        .status()
        .expect("python3 runs")
        .success()
}

#[test]
fn items_build_the_expected_json() {
    let dir = fixtures();
    for (items, want) in CASES {
        assert_eq!(miiflow_input(dir.path(), items), *want, "{items:?}");
    }
}

#[test]
fn items_build_what_httpie_builds() {
    let httpie = Command::new("http").arg("--version").output();
    if httpie.is_err() {
        assert!(
            std::env::var_os("MIIFLOW_TEST_REQUIRE_HTTPIE").is_none(),
            "HTTPie's `http` is required (MIIFLOW_TEST_REQUIRE_HTTPIE is set) but not on PATH"
        );
        eprintln!("skipped: HTTPie's `http` is not installed (pip install httpie)");
        return;
    }
    let dir = fixtures();
    for (items, _) in CASES {
        let out = Command::new("http")
            .current_dir(dir.path())
            .args([
                "--offline",
                "--ignore-stdin",
                "--print=B",
                "POST",
                "http://127.0.0.1:9/",
            ])
            .args(*items)
            .output()
            .unwrap();
        assert!(out.status.success(), "{items:?}: {}", stderr(&out));
        let theirs = stdout(&out);
        let ours = miiflow_input(dir.path(), items);
        assert!(
            same_json(&ours, theirs.trim()),
            "{items:?}: miiflow {ours} vs HTTPie {theirs}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

    /// The law behind the table above, for generated keys and values: whatever HTTPie builds
    /// from a set of items, miiflow builds the same JSON value (HTTPie starts a process per
    /// case, so a few dozen cases; the table holds the chosen edge cases).
    #[test]
    fn generated_items_build_what_httpie_builds(
        items in proptest::collection::vec(
            (
                "[a-z]{1,4}",
                proptest::option::of(proptest::prop_oneof!["\\[[a-z]{1,3}\\]", "\\[\\]"]),
                proptest::prop_oneof![
                    "=[a-zA-Z0-9 ,.]{0,8}",
                    proptest::prop_oneof![
                        proptest::strategy::Just("1".to_owned()),
                        proptest::strategy::Just("-2.50".to_owned()),
                        proptest::strategy::Just("true".to_owned()),
                        proptest::strategy::Just("null".to_owned()),
                        proptest::strategy::Just("[1,\"a\"]".to_owned()),
                        proptest::strategy::Just("{\"k\":{\"n\":1}}".to_owned()),
                    ]
                    .prop_map(|v| format!(":={v}")),
                ],
            ),
            1..5,
        )
    ) {
        if Command::new("http").arg("--version").output().is_err() {
            assert!(std::env::var_os("MIIFLOW_TEST_REQUIRE_HTTPIE").is_none());
            return Ok(());
        }
        let args: Vec<String> = items
            .iter()
            .map(|(key, nested, value)| format!("{key}{}{value}", nested.as_deref().unwrap_or("")))
            .collect();
        let dir = temp();
        let theirs = Command::new("http")
            .current_dir(dir.path())
            .args(["--offline", "--ignore-stdin", "--print=B", "POST", "http://127.0.0.1:9/"])
            .args(&args)
            .output()
            .unwrap();
        let ours = miiflow()
            .current_dir(dir.path())
            .args(["run", "agent_items", "--dry-run"])
            .args(&args)
            .output()
            .unwrap();
        // Where both build a request, they build the same JSON (HTTPie and miiflow both refuse
        // a key used as an object and an array at once; miiflow also refuses what HTTPie
        // would send as duplicate keys).
        if theirs.status.success() && ours.status.success() {
            let body = stdout(&ours);
            let input = body
                .lines()
                .last()
                .and_then(|b| b.strip_prefix(r#"{"agent_id":"agent_items","input":"#))
                .and_then(|b| b.strip_suffix('}'))
                .unwrap()
                .to_owned();
            proptest::prop_assert!(
                same_json(&input, stdout(&theirs).trim()),
                "{args:?}: miiflow {input} vs HTTPie {}",
                stdout(&theirs)
            );
        }
    }
}
