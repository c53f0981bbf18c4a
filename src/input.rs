//! `--input FILE|-` and request items → the `input` value of an agent run, as JSON bytes.
//!
//! Everything here validates before anything is sent: a bad file or item is an
//! `Error::BadInput` naming the culprit.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::items::{self, Item, Seg, Sep};
use crate::json::{self, Json, Kind};

/// Where the base `input` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    pub(crate) fn from_arg(arg: &Path) -> Source {
        if arg == Path::new("-") {
            Source::Stdin
        } else {
            Source::File(arg.to_owned())
        }
    }

    pub(crate) fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Stdin => "<stdin>".into(),
        }
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::BadInput(msg.into())
}

/// Reads a file (or stdin) as UTF-8 text.
fn read_text(source: &Source) -> Result<String, Error> {
    let name = source.name();
    let bytes = match source {
        Source::Stdin => read_bounded(std::io::stdin().lock(), None, &name)?,
        Source::File(path) => read_file(path)?,
    };
    utf8(bytes, &name)
}

/// Reads at most the input limit: a regular file's size is checked before it is read, and
/// anything else (stdin, a FIFO, /dev/zero) stops one byte past the limit.
fn read_bounded(reader: impl Read, size: Option<u64>, name: &str) -> Result<Vec<u8>, Error> {
    let limit = crate::limits::input()?;
    let too_big = || {
        bad(format!(
            "{name}: larger than {}, the most miiflow reads as an input (raise it with {}=1G, \
             for example)",
            crate::limits::show_size(limit),
            crate::limits::INPUT_ENV
        ))
    };
    if size.is_some_and(|n| n > limit) {
        return Err(too_big());
    }
    let mut buf = Vec::with_capacity(size.unwrap_or(0) as usize);
    reader
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| bad(format!("{name}: cannot read: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(buf)
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(bad(format!("{name}: is a folder, not a file")));
    }
    let file = std::fs::File::open(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            _ => e.to_string(),
        };
        bad(format!("{name}: cannot read: {why}"))
    })?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    read_bounded(file, size, &name)
}

fn utf8(bytes: Vec<u8>, name: &str) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..at];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        bad(format!(
            "{name}:{line}:{column}: invalid UTF-8 (byte offset {at})"
        ))
    })
}

/// Reads a JSON document, reporting errors as `NAME:LINE:COLUMN: …`.
fn parse_json(text: &str, name: &str, warn: &mut dyn FnMut(String)) -> Result<Json, Error> {
    Json::parse(text, &mut |w| warn(format!("{name}: {w}"))).map_err(|e| bad(position(name, &e)))
}

/// `FILE:LINE:COLUMN: what was expected`; a batch line (named `line N`) has only a column.
fn position(name: &str, e: &json::SyntaxError) -> String {
    if name.starts_with("line ") {
        format!("{name}, column {}: {}", e.column, e.message)
    } else {
        format!("{name}:{e}")
    }
}

/// `--text TEXT` (or `-` for stdin, less one trailing newline): the input as a JSON string.
pub(crate) fn text(arg: &str) -> Result<Vec<u8>, Error> {
    let text = match arg {
        "-" => {
            let mut text = read_text(&Source::Stdin)?;
            if text.ends_with('\n') {
                text.pop();
                if text.ends_with('\r') {
                    text.pop();
                }
            }
            text
        }
        _ => arg.to_owned(),
    };
    Ok(serde_json::to_vec(&text).expect("a string serialises"))
}

/// The `input` value for one run: the source's JSON with the items merged over it.
///
/// Without items the source's bytes are sent exactly as written (surrounding white space
/// trimmed); with neither, the input is `{}`.
pub(crate) fn build(
    source: Option<&Source>,
    items: &[Prepared],
    warn: &mut dyn FnMut(String),
) -> Result<Vec<u8>, Error> {
    match source {
        Some(source) => from_text(read_text(source)?, &source.name(), items, warn),
        None => merge(None, items),
    }
}

/// One JSON text (a file, or a batch line) named `name` in messages, with the items merged over
/// it. Without items or duplicate keys the text's own buffer is returned, unparsed and uncopied,
/// so a large input costs its size once.
pub(crate) fn from_text(
    text: String,
    name: &str,
    items: &[Prepared],
    warn: &mut dyn FnMut(String),
) -> Result<Vec<u8>, Error> {
    if text.trim().is_empty() {
        return Err(bad(format!(
            "{name}: the input is empty; expected a JSON value"
        )));
    }
    let dups = json::check(&text).map_err(|e| bad(position(name, &e)))?;
    if items.is_empty() && dups.is_empty() {
        let end = text.trim_end().len();
        let start = text.len() - text.trim_start().len();
        let mut bytes = text.into_bytes();
        bytes.truncate(end);
        bytes.drain(..start);
        return Ok(bytes);
    }
    let json = parse_json(&text, name, warn)?;
    merge(Some((name.to_owned(), json)), items)
}

/// Merges parsed items over an optional base document (named for messages).
pub(crate) fn merge(base: Option<(String, Json)>, items: &[Prepared]) -> Result<Vec<u8>, Error> {
    let mut root = match base {
        Some((name, json)) => {
            if !items.is_empty() && json.kind() != Kind::Object {
                return Err(bad(format!(
                    "{name}: the input is {} {}, so items cannot be merged into it; \
                     items need an object",
                    article(json.kind()),
                    json.kind().name()
                )));
            }
            Some(json)
        }
        None => None,
    };
    let mut budget = crate::limits::MAX_ITEM_ELEMENTS;
    for Prepared { item, value } in items {
        set(&mut root, &item.path, value.clone(), &mut budget)
            .map_err(|e| bad(format!("item '{}': {e}", item.orig)))?;
    }
    Ok(root.unwrap_or_else(|| Json::Object(Vec::new())).to_bytes())
}

/// A CSV column: its header names the key (a path, as in items); a header written `name:=`
/// makes its cells raw JSON, as `key:=json` does.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    header: String,
    path: Vec<Seg>,
    json: bool,
}

/// The columns a CSV header row names; a bad header is bad input before anything is sent.
pub(crate) fn columns(headers: &[String]) -> Result<Vec<Column>, Error> {
    let columns = headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let (name, json) = match header.strip_suffix(":=") {
                Some(name) => (name, true),
                None => (header.as_str(), false),
            };
            let named =
                |why: String| bad(format!("CSV header, column {} ('{header}'): {why}", i + 1));
            if name.is_empty() {
                return Err(named("empty; each column needs a key".into()));
            }
            let path = items::parse_path(name).map_err(named)?;
            Ok(Column {
                header: header.clone(),
                path,
                json,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    // Two columns for one key (`a,a`), or for a key and a key inside it (`a[b],a`): one cell
    // would silently replace the other in every row. (Two `a[]` append, and are fine.)
    let mut full: std::collections::HashMap<&[Seg], usize> = Default::default();
    let mut inner: std::collections::HashMap<&[Seg], usize> = Default::default();
    for (j, column) in columns.iter().enumerate() {
        let path = column.path.as_slice();
        let appends = path.last() == Some(&Seg::Append);
        let clash = full
            .get(path)
            .filter(|_| !appends)
            .or_else(|| inner.get(path))
            .or_else(|| (1..path.len()).find_map(|k| full.get(&path[..k])));
        if let Some(&i) = clash {
            return Err(bad(format!(
                "CSV header, column {} ('{}'): names the same key as column {} ('{}'), so one \
                 cell would replace the other; rename one of them",
                j + 1,
                column.header,
                i + 1,
                columns[i].header
            )));
        }
        full.entry(path).or_insert(j);
        for k in 1..path.len() {
            inner.entry(&path[..k]).or_insert(j);
        }
    }
    Ok(columns)
}

/// The input for one CSV row (batch line `n`, starting on CSV line `at`): one key per column,
/// then the command-line items merged over it. Errors name both numberings and the column.
pub(crate) fn from_row(
    columns: &[Column],
    cells: &[String],
    n: u64,
    at: u64,
    items: &[Prepared],
    warn: &mut dyn FnMut(String),
) -> Result<Vec<u8>, Error> {
    let mut root = None;
    let mut budget = crate::limits::MAX_ITEM_ELEMENTS;
    for (i, (column, cell)) in columns.iter().zip(cells).enumerate() {
        let name = format!(
            "line {n} (CSV line {at}), column {} ('{}')",
            i + 1,
            column.header
        );
        let value = match column.json {
            false => Json::string(cell),
            true if cell.trim().is_empty() => {
                return Err(bad(format!(
                    "{name}: empty; a := column holds JSON (write null for no value)"
                )));
            }
            true => Json::parse(cell, &mut |w| warn(format!("{name}: {w}"))).map_err(|e| {
                bad(format!(
                    "{name}: invalid JSON: {} at column {} of the cell; for text, name the \
                     column without :=",
                    e.message, e.column
                ))
            })?,
        };
        set(&mut root, &column.path, value, &mut budget)
            .map_err(|e| bad(format!("{name}: {e}")))?;
    }
    let base = root.map(|json| (format!("line {n} (CSV line {at})"), json));
    merge(base, items)
}

fn article(kind: Kind) -> &'static str {
    match kind {
        Kind::Object | Kind::Array => "an",
        _ => "a",
    }
}

/// A request item with its value resolved (files read, JSON checked): done once, before
/// anything is sent, and reused for every line of a batch.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    item: Item,
    value: Json,
}

/// Parses command-line items and resolves their values, naming the first bad one.
pub(crate) fn parse_items(
    args: &[String],
    warn: &mut dyn FnMut(String),
) -> Result<Vec<Prepared>, Error> {
    args.iter()
        .map(|a| {
            let item = items::parse(a).map_err(bad)?;
            let value = item_value(&item, warn)?;
            Ok(Prepared { item, value })
        })
        .collect()
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), crate::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

fn item_value(item: &Item, warn: &mut dyn FnMut(String)) -> Result<Json, Error> {
    let named = |e: Error| match e {
        Error::BadInput(m) => bad(format!("item '{}': {m}", item.orig)),
        other => other,
    };
    match item.sep {
        Sep::Str => Ok(Json::string(&item.value)),
        Sep::Json => {
            let name = format!("item '{}'", item.orig);
            if item.value.trim().is_empty() {
                return Err(bad(format!("{name}: expected a JSON value after ':='")));
            }
            Json::parse(&item.value, &mut |w| warn(format!("{name}: {w}"))).map_err(|e| {
                // A bare word was most likely meant as a string.
                let hint = match item.orig.split_once(":=") {
                    Some((key, word))
                        if !word.is_empty()
                            && word
                                .chars()
                                .all(|c| c.is_alphanumeric() || "_-. ".contains(c)) =>
                    {
                        format!("; for the string \"{word}\", write '{key}={word}'")
                    }
                    _ => String::new(),
                };
                bad(format!(
                    "{name}: invalid JSON after ':=': {} at column {}{hint}",
                    e.message, e.column
                ))
            })
        }
        Sep::FileText => {
            let path = expand_home(&item.value);
            let bytes = read_file(&path).map_err(named)?;
            let text = utf8(bytes, &path.display().to_string()).map_err(named)?;
            Ok(Json::string(&text))
        }
        Sep::FileJson => {
            let source = Source::File(expand_home(&item.value));
            let text = read_text(&source).map_err(named)?;
            if text.trim().is_empty() {
                return Err(named(bad(format!(
                    "{}: the file is empty; expected JSON",
                    source.name()
                ))));
            }
            parse_json(&text, &source.name(), warn).map_err(named)
        }
    }
}

fn container_for(seg: &Seg) -> Json {
    match seg {
        Seg::Key(_) => Json::Object(Vec::new()),
        Seg::Index(_) | Seg::Append => Json::Array(Vec::new()),
    }
}

/// HTTPie's `interpret()`: walks `path` from `root`, creating objects and arrays as needed,
/// and sets the value at its end.
/// `budget` is how many more array elements the items may create, all together: an index
/// fills the array up to it, so `a[i][9999]=x` repeated would otherwise grow without bound.
fn set(
    root: &mut Option<Json>,
    path: &[Seg],
    value: Json,
    budget: &mut usize,
) -> Result<(), String> {
    let mut cursor = root.get_or_insert_with(|| container_for(&path[0]));
    let mut value = Some(value);
    for (i, seg) in path.iter().enumerate() {
        let next = path.get(i + 1);
        let wanted = match seg {
            Seg::Key(_) => Kind::Object,
            _ => Kind::Array,
        };
        if cursor.kind() != wanted {
            return Err(format!(
                "cannot perform '{}' based access on '{}' which has a type of '{}' but this \
                 operation requires a type of '{}'",
                match seg {
                    Seg::Key(_) => "key",
                    Seg::Index(_) => "index",
                    Seg::Append => "append",
                },
                items::show_path(&path[..i]),
                cursor.kind().name(),
                wanted.name()
            ));
        }
        cursor.open();
        let fresh = || match next {
            Some(n) => container_for(n),
            None => Json::null(),
        };
        let slot: &mut Json = match (cursor, seg) {
            (Json::Object(entries), Seg::Key(k)) => {
                let at = match entries.iter().position(|(key, _)| key == k) {
                    Some(at) => at,
                    None => {
                        entries.push((k.clone(), fresh()));
                        entries.len() - 1
                    }
                };
                &mut entries[at].1
            }
            (Json::Array(items), Seg::Index(n)) => {
                if items.len() <= *n {
                    let grow = n + 1 - items.len();
                    if grow > *budget {
                        return Err(format!(
                            "the items would create more than {} array elements in all",
                            crate::limits::MAX_ITEM_ELEMENTS
                        ));
                    }
                    *budget -= grow;
                    items.resize_with(n + 1, Json::null);
                }
                if next.is_some() && items[*n].kind() == Kind::Null {
                    items[*n] = fresh();
                }
                &mut items[*n]
            }
            (Json::Array(items), Seg::Append) => {
                if *budget == 0 {
                    return Err(format!(
                        "the items would create more than {} array elements in all",
                        crate::limits::MAX_ITEM_ELEMENTS
                    ));
                }
                *budget -= 1;
                items.push(fresh());
                items.last_mut().expect("just pushed")
            }
            _ => unreachable!("kind checked above"),
        };
        if next.is_none() {
            *slot = value.take().expect("set once");
            return Ok(());
        }
        cursor = slot;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build_items(items: &[&str]) -> Result<String, String> {
        let args: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        let items = parse_items(&args, &mut |_| {}).map_err(|e| e.to_string())?;
        let out = merge(None, &items).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn items_build_nested_json() {
        let cases: &[(&[&str], &str)] = &[
            (&[], "{}"),
            (&["a=1"], r#"{"a":"1"}"#),
            (&["a:=1"], r#"{"a":1}"#),
            (&["a[b][c]=x"], r#"{"a":{"b":{"c":"x"}}}"#),
            (&["a[]=x", "a[]=y"], r#"{"a":["x","y"]}"#),
            (&["a[2]=x"], r#"{"a":[null,null,"x"]}"#),
            (&["a[1][b]=x"], r#"{"a":[null,{"b":"x"}]}"#),
            (&["[]:=1", "[]:=2"], "[1,2]"),
            (&["a=1", "a=2"], r#"{"a":"2"}"#),
            (
                &["n:=123456789012345678901234567890"],
                r#"{"n":123456789012345678901234567890}"#,
            ),
            (&[r"k\=q=v"], r#"{"k=q":"v"}"#),
        ];
        for (items, want) in cases {
            assert_eq!(build_items(items).as_deref(), Ok(*want), "{items:?}");
        }
    }

    #[test]
    fn items_together_create_a_bounded_number_of_elements() {
        let one: Vec<String> = (0..9).map(|i| format!("a[{i}][9999]=x")).collect();
        let refs: Vec<&str> = one.iter().map(String::as_str).collect();
        assert!(build_items(&refs).is_ok());
        let many: Vec<String> = (0..11).map(|i| format!("a[{i}][9999]=x")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let err = build_items(&refs).unwrap_err();
        assert!(err.contains("array elements in all"), "{err}");
    }

    #[test]
    fn a_bare_word_after_json_separator_suggests_a_string() {
        let err = build_items(&["days:=three"]).unwrap_err();
        assert!(
            err.contains("for the string \"three\", write 'days=three'"),
            "{err}"
        );
        let err = build_items(&["days:={"]).unwrap_err();
        assert!(!err.contains("write '"), "{err}");
    }

    #[test]
    fn type_clashes_are_named() {
        let err = build_items(&["a=1", "a[b]=2"]).unwrap_err();
        assert!(err.contains("a[b]=2") && err.contains("'string'"), "{err}");
        let err = build_items(&["a[]=1", "a[x]=2"]).unwrap_err();
        assert!(err.contains("'array'"), "{err}");
    }

    #[test]
    fn items_merge_over_a_document_keeping_its_bytes() {
        let doc = Json::parse(
            r#"{"big":1e400,"o":{"x":"\u00e9"},"keep":[1.0]}"#,
            &mut |_| {},
        )
        .unwrap();
        let items = parse_items(&["o[y]:=2".into(), "new=z".into()], &mut |_| {}).unwrap();
        let out = merge(Some(("f".into(), doc)), &items).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"big":1e400,"o":{"x":"\u00e9","y":2},"keep":[1.0],"new":"z"}"#
        );
    }

    #[test]
    fn items_need_an_object() {
        let doc = Json::parse("[1]", &mut |_| {}).unwrap();
        let items = parse_items(&["a=1".into()], &mut |_| {}).unwrap();
        let err = merge(Some(("f.json".into(), doc)), &items).unwrap_err();
        assert!(err.to_string().contains("an array"), "{err}");
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        /// Items drawn from the grammar's own characters, so separators, brackets and escapes
        /// meet in every order; plus wholly arbitrary strings.
        fn item() -> impl Strategy<Value = String> {
            prop_oneof!["[a-z0-9\\[\\]=:;@\\\\\" {}.,-]{0,14}", any::<String>(),]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn any_items_never_panic_and_build_the_same_valid_json_twice(args in prop::collection::vec(item(), 0..6)) {
                let build = || -> Result<Vec<u8>, String> {
                    let items = parse_items(&args, &mut |_| {}).map_err(|e| e.to_string())?;
                    merge(None, &items).map_err(|e| e.to_string())
                };
                let first = build();
                prop_assert_eq!(&first, &build());
                if let Ok(bytes) = first {
                    prop_assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_ok(), "{:?}", String::from_utf8_lossy(&bytes));
                }
            }

            #[test]
            fn any_bytes_as_an_input_file_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), with_item in any::<bool>()) {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("in.json");
                std::fs::write(&path, &bytes).unwrap();
                let items = if with_item { parse_items(&["k=v".to_owned()], &mut |_| {}).unwrap() } else { vec![] };
                if let Ok(out) = build(Some(&Source::File(path)), &items, &mut |_| {}) {
                    prop_assert!(serde_json::from_slice::<serde_json::Value>(&out).is_ok());
                }
            }

            #[test]
            fn json_like_input_files_never_panic(text in "[ \\[\\]{}:,\"a-c0-9.eE+\\-tfnrul\\\\]{0,40}") {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("in.json");
                std::fs::write(&path, &text).unwrap();
                let items = parse_items(&["a[b]=1".to_owned()], &mut |_| {}).unwrap();
                for items in [&items[..], &[]] {
                    if let Ok(out) = build(Some(&Source::File(path.clone())), items, &mut |_| {}) {
                        prop_assert!(serde_json::from_slice::<serde_json::Value>(&out).is_ok(), "{}", text);
                    }
                }
            }
        }
    }

    #[test]
    fn csv_headers_naming_one_key_twice_are_refused() {
        let h = |cells: &[&str]| columns(&cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        for clash in [
            &["a", "a"][..],
            &["a[b]", "a"],
            &["a", "a[b]"],
            &["x", "a[b][c]", "a[b]"],
        ] {
            let err = h(clash).err().unwrap().to_string();
            assert!(
                err.contains("names the same key as column"),
                "{clash:?}: {err}"
            );
        }
        for fine in [
            &["a", "b"][..],
            &["a[b]", "a[c]"],
            &["a[]", "a[]"],
            &["n:=", "m"],
        ] {
            assert!(h(fine).is_ok(), "{fine:?}");
        }
    }
}
