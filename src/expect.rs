//! `--expect FILTER` and `--expect-schema FILE`: what a 2xx answer must be for a run (or a
//! batch line) to count as a success. Checked on the answer as received, before `--jq`.
//!
//! A filter is met when it yields `true`, and only `true` (one result or several); `false`,
//! `null`, any other value, an error or no result at all is unmet. A schema (JSON Schema,
//! drafts 7 and 2020-12; 2020-12 when it names none) is met when the answer validates.
//! An answer that is not JSON meets neither. Server-sent events are checked as the array of
//! their data, as a batch's result line holds them.

use std::path::Path;
use std::sync::Arc;

use crate::error::Error;
use crate::output::safe::{Mask, Quoted};
use crate::output::{Jq, JqError, Render};

/// The most bytes of results a filter may yield while being checked.
const RESULTS: usize = 64 * 1024;

/// How much of a value an unmet expectation quotes.
const QUOTED: usize = 120;

/// The expectations of a run or a batch: compiled (and the schema read) before anything is
/// sent; cheap to clone.
#[derive(Clone)]
pub(crate) struct Expectations {
    checks: Arc<Vec<Check>>,
    /// [`Expectations::describe`], made once (a batch's digest asks for it on every line).
    described: Arc<str>,
    /// What a result was judged by: the description and the schema's content (its file and
    /// every file it `$ref`s), so that a stricter schema under the same name re-runs a line.
    identity: Arc<str>,
}

enum Check {
    Filter {
        text: String,
        jq: Jq,
    },
    Schema {
        shown: String,
        schemas: boon::Schemas,
        index: boon::SchemaIndex,
        /// The BLAKE3 of the schema's bytes and of every file it `$ref`s, in hex.
        content: String,
    },
}

impl Check {
    /// How the command line said it: `--expect '.ok'`, `--expect-schema s.json`.
    fn name(&self) -> String {
        match self {
            Check::Filter { text, .. } => format!("--expect {}", quote(text)),
            Check::Schema { shown, .. } => format!("--expect-schema {}", quote(shown)),
        }
    }
}

fn quote(text: &str) -> String {
    shlex::try_quote(text).map_or_else(|_| format!("{text:?}"), |q| q.into_owned())
}

/// An expectation the answer did not meet: which one, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unmet {
    pub(crate) expectation: String,
    pub(crate) why: String,
}

impl std::fmt::Display for Unmet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unmet expectation {}: {}", self.expectation, self.why)
    }
}

impl Expectations {
    /// Compiles the filters and reads the schema; `None` when there are none. A filter that
    /// does not compile, or a schema that cannot be read or is not one, is a usage error.
    pub(crate) fn compile(
        filters: &[String],
        schema: Option<&Path>,
    ) -> Result<Option<Expectations>, Error> {
        let mut checks = Vec::new();
        for text in filters {
            let jq = Jq::compile(text)
                .map_err(|e| Error::BadInput(e.replacen("--jq", "--expect", 1)))?;
            checks.push(Check::Filter {
                text: text.clone(),
                jq,
            });
        }
        if let Some(path) = schema {
            checks.push(read_schema(path)?);
        }
        let names: Vec<String> = checks.iter().map(Check::name).collect();
        let described = names.join(" ");
        let identity = match checks.iter().find_map(|c| match c {
            Check::Schema { content, .. } => Some(content),
            Check::Filter { .. } => None,
        }) {
            Some(content) => format!("{described}\nschema-blake3 {content}"),
            None => described.clone(),
        };
        Ok((!checks.is_empty()).then(|| Expectations {
            checks: Arc::new(checks),
            described: described.into(),
            identity: identity.into(),
        }))
    }

    /// The expectations a history entry records ([`Expectations::describe`]'s words), compiled
    /// again for `history rerun`: the rerun is checked as the run was. A schema is read again
    /// from the path recorded (relative to where the run was made).
    pub(crate) fn from_described(text: &str) -> Result<Option<Expectations>, Error> {
        let bad = |why: &str| Error::BadInput(format!("the recorded expectations {text}: {why}"));
        let words = shlex::split(text).ok_or_else(|| bad("cannot be read back"))?;
        let (mut filters, mut schema) = (Vec::new(), None);
        let mut words = words.into_iter();
        while let Some(flag) = words.next() {
            let value = words
                .next()
                .ok_or_else(|| bad("a flag without its value"))?;
            match flag.as_str() {
                "--expect" => filters.push(value),
                "--expect-schema" => schema = Some(std::path::PathBuf::from(value)),
                _ => return Err(bad("not --expect or --expect-schema")),
            }
        }
        Expectations::compile(&filters, schema.as_deref())
    }

    /// What a batch line's digest covers: [`Expectations::describe`] and the schema's content.
    pub(crate) fn identity(&self) -> &str {
        &self.identity
    }

    /// The expectations as the command line gave them, for the history and the digest.
    pub(crate) fn describe(&self) -> String {
        self.described.to_string()
    }

    /// Checks a 2xx answer (blocking; see [`Expectations::check`]): the first unmet
    /// expectation, in the order given (filters, then the schema).
    /// What the answer or a filter's words quote is masked with `mask` before it is cut.
    pub(crate) fn check_now(&self, body: &[u8], mask: &Mask) -> Result<(), Unmet> {
        // Read as a value only for a schema (a filter reads the answer itself).
        let mut value = None;
        for check in self.checks.iter() {
            let unmet = |why: String| Unmet {
                expectation: check.name(),
                why: mask.apply(&why),
            };
            match check {
                Check::Filter { jq, .. } => {
                    let render = Render {
                        compact: true,
                        ..Render::default()
                    };
                    let results = jq.apply(body, render, RESULTS).map_err(|e| {
                        unmet(match e {
                            JqError::Input(m) | JqError::Filter(m) => {
                                m.trim_start_matches("--jq: ").to_owned()
                            }
                            JqError::TooLarge(_) => "it yielded more than 64 KiB of results".into(),
                        })
                    })?;
                    truth(&results, mask).map_err(unmet)?;
                }
                Check::Schema { schemas, index, .. } => {
                    let depth = crate::json::max_depth(body);
                    let read = value.get_or_insert_with(|| {
                        (depth <= crate::output::jq::MAX_DEPTH)
                            .then(|| serde_json::from_slice::<serde_json::Value>(body).ok())
                            .flatten()
                    });
                    let Some(value) = read else {
                        return Err(unmet(not_json(body, depth)));
                    };
                    if let Err(e) = schemas.validate(value, *index) {
                        return Err(unmet(schema_errors(&e)));
                    }
                }
            }
        }
        Ok(())
    }

    /// [`Expectations::check_now`] on a thread with room for deep answers, until `deadline`
    /// (what is left of `--timeout`: a filter that never ends is an unmet expectation then);
    /// the caller may give up on it (Ctrl-C).
    pub(crate) async fn check(
        &self,
        body: bytes::Bytes,
        deadline: Option<std::time::Instant>,
        mask: &Mask,
    ) -> Result<(), Unmet> {
        let this = self.clone();
        let mask = mask.clone();
        let unmet = |why: String| Unmet {
            expectation: self.describe(),
            why,
        };
        let depth = crate::json::max_depth(&body);
        let check = crate::output::jq::on_own_thread(depth, move || this.check_now(&body, &mask));
        let checked = match deadline {
            Some(at) => match tokio::time::timeout_at(at.into(), check).await {
                Ok(checked) => checked,
                Err(_) => return Err(unmet("not decided within --timeout".into())),
            },
            None => check.await,
        };
        checked.unwrap_or_else(|why| Err(unmet(why)))
    }
}

/// Why an answer is not a JSON value the schema can judge.
fn not_json(body: &[u8], depth: usize) -> String {
    match depth > crate::output::jq::MAX_DEPTH {
        true => format!(
            "the answer nests {depth} levels deep; at most {} are checked",
            crate::output::jq::MAX_DEPTH
        ),
        false => match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            Err(e) => format!("the answer is not JSON ({e})"),
            Ok(_) => "the answer is not JSON".into(),
        },
    }
}

/// A filter's compact results, one per line: met when every one is `true`.
fn truth(results: &[u8], mask: &Mask) -> Result<(), String> {
    let text = String::from_utf8_lossy(results);
    let values: Vec<&str> = text.lines().collect();
    if values.is_empty() {
        return Err("it yielded nothing (it must yield true)".into());
    }
    match values.iter().find(|v| **v != "true") {
        None => Ok(()),
        Some(v) => {
            let shown = Quoted::new(v, mask).cut(QUOTED);
            Err(format!("it yielded {shown} (it must yield true)"))
        }
    }
}

/// The schema's complaints: each place in the answer (a JSON pointer) and what is wrong
/// there, the first few.
fn schema_errors(e: &boon::ValidationError) -> String {
    fn leaves<'a, 's, 'v>(
        e: &'a boon::ValidationError<'s, 'v>,
        out: &mut Vec<&'a boon::ValidationError<'s, 'v>>,
    ) {
        if e.causes.is_empty() {
            out.push(e);
        }
        for c in &e.causes {
            leaves(c, out);
        }
    }
    let mut found = Vec::new();
    leaves(e, &mut found);
    let shown: Vec<String> = found
        .iter()
        .take(3)
        .map(|e| {
            let at = e.instance_location.to_string();
            let at = if at.is_empty() { "/".into() } else { at };
            format!("at {at}: {}", e.kind)
        })
        .collect();
    let more = match found.len() {
        n if n > 3 => format!(" (and {} more)", n - 3),
        _ => String::new(),
    };
    format!("{}{more}", shown.join("; "))
}

/// Reads and compiles `--expect-schema FILE`: its own `$schema` says the draft (2020-12 when
/// it says none); `$ref`s are read only from files in the schema's folder (or below it),
/// nothing elsewhere and nothing over the network. A schema that refers to itself without
/// looking into the answer (`{"$ref": "#"}`) can never decide: refused here, before sending.
fn read_schema(path: &Path) -> Result<Check, Error> {
    let shown = path.display().to_string();
    let bad = |why: String| Error::BadInput(format!("--expect-schema {shown}: {why}"));
    let bytes = crate::input::read_file(path)
        .map_err(|e| Error::BadInput(format!("--expect-schema {e}")))?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("not JSON ({e})")))?;
    let canonical = std::fs::canonicalize(path).map_err(|e| bad(e.to_string()))?;
    let url = url::Url::from_file_path(&canonical)
        .map_err(|_| bad("cannot be named as a file URL".into()))?;
    let folder = canonical.parent().unwrap_or(Path::new("/")).to_owned();
    let hash = Arc::new(std::sync::Mutex::new(blake3::Hasher::new()));
    hash.lock().expect("not poisoned").update(&bytes);
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V2020_12);
    compiler.use_loader(Box::new(Beside {
        folder,
        hash: hash.clone(),
    }));
    compiler
        .add_resource(url.as_str(), value)
        .map_err(|e| bad(format!("{e:#}")))?;
    let mut schemas = boon::Schemas::new();
    let index = compiler
        .compile(url.as_str(), &mut schemas)
        .map_err(|e| bad(format!("not a JSON Schema: {e:#}")))?;
    // A $ref cycle at the same place of the answer shows on any value that reaches it.
    for probe in [
        serde_json::Value::Null,
        serde_json::json!(true),
        serde_json::json!(0),
        serde_json::json!(""),
        serde_json::json!([]),
        serde_json::json!({}),
    ] {
        if let Err(e) = schemas.validate(&probe, index)
            && let Some(cycle) = ref_cycle(&e)
        {
            return Err(bad(format!(
                "its $refs form a cycle that never decides: {cycle}"
            )));
        }
    }
    let content = hash
        .lock()
        .expect("not poisoned")
        .finalize()
        .to_hex()
        .to_string();
    Ok(Check::Schema {
        shown,
        schemas,
        index,
        content,
    })
}

/// Reads the files a schema `$ref`s: only in the schema's folder or below it (a schema from a
/// repository must not read `~/.ssh` or `/etc`), adding each to the content's digest.
struct Beside {
    folder: std::path::PathBuf,
    hash: Arc<std::sync::Mutex<blake3::Hasher>>,
}

impl boon::UrlLoader for Beside {
    fn load(&self, url: &str) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
        let parsed = url::Url::parse(url)?;
        let path = match parsed.scheme() {
            "file" => parsed
                .to_file_path()
                .map_err(|_| format!("{url}: not a file path"))?,
            _ => return Err(format!("{url}: only files beside the schema are read").into()),
        };
        let real = std::fs::canonicalize(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !real.starts_with(&self.folder) {
            return Err(format!(
                "{}: outside the schema's folder {}; only files beside the schema are read",
                path.display(),
                self.folder.display()
            )
            .into());
        }
        let bytes = crate::input::read_file(&real).map_err(|e| e.to_string())?;
        let mut hash = self.hash.lock().map_err(|_| "poisoned")?;
        hash.update(url.as_bytes());
        hash.update(&bytes);
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// The words of a `$ref` cycle among a validation's errors, if there is one.
fn ref_cycle(e: &boon::ValidationError) -> Option<String> {
    if matches!(e.kind, boon::ErrorKind::RefCycle { .. }) {
        return Some(e.kind.to_string());
    }
    e.causes.iter().find_map(ref_cycle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(list: &[&str]) -> Expectations {
        let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        Expectations::compile(&list, None).unwrap().unwrap()
    }

    #[test]
    fn a_filter_is_met_only_by_true() {
        let e = filters(&[".ok"]);
        assert_eq!(e.check_now(br#"{"ok":true}"#, &Mask::default()), Ok(()));
        for (body, why) in [
            (
                &br#"{"ok":false}"#[..],
                "it yielded false (it must yield true)",
            ),
            (br#"{"ok":null}"#, "it yielded null (it must yield true)"),
            (
                br#"{"ok":"true"}"#,
                "it yielded \"true\" (it must yield true)",
            ),
            (br#"{"ok":1}"#, "it yielded 1 (it must yield true)"),
        ] {
            let unmet = e.check_now(body, &Mask::default()).unwrap_err();
            assert_eq!(unmet.why, why);
            assert_eq!(unmet.expectation, "--expect .ok");
        }
        let empty = filters(&["empty"])
            .check_now(b"{}", &Mask::default())
            .unwrap_err();
        assert_eq!(empty.why, "it yielded nothing (it must yield true)");
        let error = filters(&[".a.b"])
            .check_now(br#"{"a":1}"#, &Mask::default())
            .unwrap_err();
        assert!(error.why.contains("cannot"), "{}", error.why);
        let many = filters(&[".[] | . > 1"]);
        assert_eq!(many.check_now(b"[2,3]", &Mask::default()), Ok(()));
        assert!(many.check_now(b"[2,1]", &Mask::default()).is_err());
        let not_json = filters(&["true"])
            .check_now(b"plain text", &Mask::default())
            .unwrap_err();
        assert!(not_json.why.contains("not JSON"), "{}", not_json.why);
    }

    #[test]
    fn the_first_unmet_is_named_in_the_order_given() {
        let e = filters(&[".a == 1", r#".b == "x y""#]);
        assert_eq!(
            e.check_now(br#"{"a":1,"b":"x y"}"#, &Mask::default()),
            Ok(())
        );
        let unmet = e
            .check_now(br#"{"a":1,"b":"z"}"#, &Mask::default())
            .unwrap_err();
        assert_eq!(unmet.expectation, r#"--expect '.b == "x y"'"#);
        assert_eq!(
            unmet.to_string(),
            r#"unmet expectation --expect '.b == "x y"': it yielded false (it must yield true)"#
        );
        assert_eq!(e.describe(), r#"--expect '.a == 1' --expect '.b == "x y"'"#);
        let long = filters(&[".s"]);
        let body = format!("{{\"s\":\"{}\"}}", "x".repeat(500));
        let why = long
            .check_now(body.as_bytes(), &Mask::default())
            .unwrap_err()
            .why;
        assert!(why.len() < 200 && why.contains('…'), "{why}");
    }

    #[test]
    fn bad_filters_are_usage_errors() {
        let e = Expectations::compile(&[".[".into()], None).err().unwrap();
        assert!(e.to_string().starts_with("--expect '.[':"), "{e}");
        assert!(Expectations::compile(&[], None).unwrap().is_none());
    }

    fn schema(text: &str) -> Result<Expectations, Error> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        std::fs::write(&path, text).unwrap();
        Expectations::compile(&[], Some(&path)).map(Option::unwrap)
    }

    #[test]
    fn schemas_of_both_drafts_name_the_place_that_fails() {
        for draft in [
            "http://json-schema.org/draft-07/schema#",
            "https://json-schema.org/draft/2020-12/schema",
        ] {
            let e = schema(&format!(
                r#"{{"$schema":"{draft}","type":"object","required":["output"],
                    "properties":{{"output":{{"type":"object","properties":
                    {{"temp":{{"type":"number"}}}}}}}}}}"#
            ))
            .unwrap();
            assert_eq!(
                e.check_now(br#"{"output":{"temp":21.5}}"#, &Mask::default()),
                Ok(())
            );
            let unmet = e
                .check_now(br#"{"output":{"temp":"warm"}}"#, &Mask::default())
                .unwrap_err();
            assert!(unmet.why.starts_with("at /output/temp: "), "{}", unmet.why);
            assert!(unmet.why.contains("number"), "{}", unmet.why);
            let unmet = e.check_now(br#"{"x":1}"#, &Mask::default()).unwrap_err();
            assert!(unmet.why.starts_with("at /: "), "{}", unmet.why);
            assert!(unmet.why.contains("output"), "{}", unmet.why);
            assert!(
                e.check_now(b"not json", &Mask::default())
                    .unwrap_err()
                    .why
                    .contains("not JSON")
            );
        }
        // prefixItems is 2020-12's: without $schema, 2020-12 applies.
        let e = schema(r#"{"prefixItems":[{"type":"string"}]}"#).unwrap();
        assert!(e.check_now(b"[1]", &Mask::default()).is_err());
        assert!(e.check_now(br#"["a"]"#, &Mask::default()).is_ok());
        let bad = schema(r#"{"type":"nonsense"}"#).err().unwrap().to_string();
        assert!(bad.contains("not a JSON Schema"), "{bad}");
        let bad = schema("{").err().unwrap().to_string();
        assert!(bad.contains("not JSON"), "{bad}");
    }

    #[test]
    fn a_filter_that_never_ends_is_unmet_at_the_deadline() {
        let e = filters(&["def f: f; f"]);
        let at = std::time::Instant::now() + std::time::Duration::from_millis(200);
        let unmet = crate::client::runtime()
            .unwrap()
            .block_on(e.check(bytes::Bytes::from_static(b"{}"), Some(at), &Mask::default()))
            .unwrap_err();
        assert_eq!(unmet.why, "not decided within --timeout");
    }

    #[test]
    fn deep_answers_are_judged_without_overflowing() {
        let e = filters(&["true"]);
        let depth = crate::output::jq::MAX_DEPTH + 1;
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let unmet = crate::client::runtime()
            .unwrap()
            .block_on(e.check(deep.into(), None, &Mask::default()))
            .unwrap_err();
        assert!(unmet.why.contains("levels deep"), "{}", unmet.why);
    }
}
