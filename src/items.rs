//! HTTPie's request-item grammar for JSON data, ported from HTTPie 3 (`cli/argtypes.py` and
//! `cli/nested_json/parse.py`) so that the same items build the same JSON as `http --offline`.
//!
//! An item is split at its first separator (longest wins at one position), with `\` escaping
//! separator characters. Only the four JSON data separators are accepted; HTTPie's header, query
//! and upload separators are recognised so they can be refused by name rather than misread.

use std::fmt;

/// What the value of an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sep {
    /// `key=value`: a string.
    Str,
    /// `key:=json`: raw JSON.
    Json,
    /// `key=@file`: the text of a file.
    FileText,
    /// `key:=@file`: the JSON of a file.
    FileJson,
}

/// One step of a nested key such as `a[b][0][]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
    Append,
}

impl fmt::Display for Seg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seg::Key(k) => write!(f, "[{k}]"),
            Seg::Index(i) => write!(f, "[{i}]"),
            Seg::Append => f.write_str("[]"),
        }
    }
}

/// A parsed request item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// The item as the user typed it, for messages.
    pub(crate) orig: String,
    pub(crate) path: Vec<Seg>,
    pub(crate) sep: Sep,
    pub(crate) value: String,
}

/// The largest array index an item may name: `a[99999999]=x` would otherwise allocate
/// a hundred million nulls.
pub(crate) const MAX_INDEX: usize = 10_000;

/// Every separator HTTPie knows, so that the split point is the one HTTPie would choose.
const SEPARATORS: [&str; 10] = [":", ";", ":@", "==", "==@", "=", ":=", "@", "=@", ":=@"];
const SPECIAL: [char; 4] = [':', ';', '@', '='];

enum Tok {
    Text(String),
    Escaped(char),
}

/// Splits one command-line item into key, separator and value, then parses the key's path.
pub(crate) fn parse(orig: &str) -> Result<Item, String> {
    let (key, sep, value) = split(orig)?;
    let sep = match sep {
        "=" => Sep::Str,
        ":=" => Sep::Json,
        "=@" => Sep::FileText,
        ":=@" => Sep::FileJson,
        ":" | ";" | ":@" => {
            return Err(format!(
                "item '{orig}' is an HTTP header in HTTPie's grammar; miiflow sends JSON data \
                 items only (key=value, key:=json, key=@file, key:=@file); escape a literal \
                 ':' as '\\:'"
            ));
        }
        "==" | "==@" => {
            return Err(format!(
                "item '{orig}' is a query parameter in HTTPie's grammar; miiflow sends JSON data \
                 items only (key=value, key:=json, key=@file, key:=@file)"
            ));
        }
        _ => {
            return Err(format!(
                "item '{orig}' is a file upload in HTTPie's grammar; use key=@file for the \
                 file's text or key:=@file for its JSON"
            ));
        }
    };
    let path = parse_path(&key).map_err(|e| format!("item '{orig}': {e}"))?;
    Ok(Item {
        orig: orig.to_owned(),
        path,
        sep,
        value,
    })
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut toks = vec![Tok::Text(String::new())];
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n) if SPECIAL.contains(&n) => {
                    toks.push(Tok::Escaped(n));
                    toks.push(Tok::Text(String::new()));
                }
                next => {
                    if let Some(Tok::Text(t)) = toks.last_mut() {
                        t.push('\\');
                        t.extend(next);
                    }
                }
            }
        } else if let Some(Tok::Text(t)) = toks.last_mut() {
            t.push(c);
        }
    }
    toks
}

fn split(orig: &str) -> Result<(String, &'static str, String), String> {
    let toks = tokenize(orig);
    let join = |toks: &[Tok]| -> String {
        toks.iter()
            .map(|t| match t {
                Tok::Text(s) => s.clone(),
                Tok::Escaped(c) => c.to_string(),
            })
            .collect()
    };
    for (i, tok) in toks.iter().enumerate() {
        let Tok::Text(text) = tok else { continue };
        // First position wins; at one position the longest separator wins.
        let best = SEPARATORS
            .iter()
            .filter_map(|sep| text.find(sep).map(|pos| (pos, *sep)))
            .min_by_key(|(pos, sep)| (*pos, usize::MAX - sep.len()));
        if let Some((pos, sep)) = best {
            let key = join(&toks[..i]) + &text[..pos];
            let value = text[pos + sep.len()..].to_owned() + &join(&toks[i + 1..]);
            return Ok((key, sep, value));
        }
    }
    Err(format!(
        "'{orig}' is not a request item: expected key=value, key:=json, key=@file or key:=@file"
    ))
}

#[derive(Debug, PartialEq)]
enum PathTok {
    Text(String),
    Number(NumberText),
    Open,
    Close,
}

/// An integer as Python's `int()` reads it: the normalised decimal digits and the sign.
#[derive(Debug, PartialEq)]
struct NumberText {
    negative: bool,
    digits: String,
}

impl NumberText {
    fn as_key(&self) -> String {
        if self.negative && self.digits != "0" {
            format!("-{}", self.digits)
        } else {
            self.digits.clone()
        }
    }
}

/// Python's `int(str)` for ASCII text: surrounding white space, an optional sign, digits with
/// single underscores between them.
fn py_int(s: &str) -> Option<NumberText> {
    let s = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty()
        || body.starts_with('_')
        || body.ends_with('_')
        || body.contains("__")
        || !body.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let digits: String = body.chars().filter(|c| *c != '_').collect();
    let trimmed = digits.trim_start_matches('0');
    let digits = if trimmed.is_empty() { "0" } else { trimmed };
    Some(NumberText {
        negative,
        digits: digits.to_owned(),
    })
}

fn tokenize_path(source: &str) -> Vec<PathTok> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut escaped = false;
    let flush = |buf: &mut String, escaped: &mut bool, out: &mut Vec<PathTok>| {
        if buf.is_empty() {
            return;
        }
        let text = std::mem::take(buf);
        let tok = if *escaped {
            PathTok::Text(text)
        } else if let Some(n) = py_int(&text) {
            PathTok::Number(n)
        } else if let Some(rest) = text.strip_prefix('\\').filter(|r| py_int(r).is_some()) {
            // `\1` is the key "1", not an index.
            PathTok::Text(rest.to_owned())
        } else {
            PathTok::Text(text)
        };
        out.push(tok);
        *escaped = false;
    };
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' | ']' => {
                flush(&mut buf, &mut escaped, &mut out);
                out.push(if c == '[' {
                    PathTok::Open
                } else {
                    PathTok::Close
                });
            }
            '\\' if chars.peek().is_some() => {
                let n = chars.next().unwrap_or_default();
                if matches!(n, '[' | ']' | '\\') {
                    escaped = true;
                } else {
                    buf.push('\\');
                }
                buf.push(n);
            }
            _ => buf.push(c),
        }
    }
    flush(&mut buf, &mut escaped, &mut out);
    out
}

fn index(n: NumberText) -> Result<Seg, String> {
    if n.negative && n.digits != "0" {
        return Err("negative indexes are not supported".into());
    }
    match n.digits.parse::<usize>() {
        Ok(i) if i <= MAX_INDEX => Ok(Seg::Index(i)),
        _ => Err(format!(
            "index {} is too large (at most {MAX_INDEX})",
            n.digits
        )),
    }
}

/// Parses a nested key (`a[b][0][]`) into its steps.
pub(crate) fn parse_path(source: &str) -> Result<Vec<Seg>, String> {
    let mut toks = tokenize_path(source).into_iter().peekable();
    let mut path = Vec::new();
    let unexpected = |got: Option<PathTok>, want: &str| -> String {
        match got {
            None => format!("key '{source}' ends early: expecting {want}"),
            Some(t) => format!("key '{source}': expecting {want}, found {}", describe(&t)),
        }
    };
    // The root: a literal key, `[N]` or `[]`; an empty key is the key "".
    match toks.next() {
        None => path.push(Seg::Key(String::new())),
        Some(PathTok::Text(t)) => path.push(Seg::Key(t)),
        Some(PathTok::Number(n)) => path.push(Seg::Key(n.as_key())),
        Some(PathTok::Open) => match toks.next() {
            Some(PathTok::Close) => path.push(Seg::Append),
            Some(PathTok::Number(n)) => {
                path.push(index(n)?);
                match toks.next() {
                    Some(PathTok::Close) => {}
                    t => return Err(unexpected(t, "']'")),
                }
            }
            t => return Err(unexpected(t, "a number or ']'")),
        },
        Some(t) => return Err(unexpected(Some(t), "a text, a number or '['")),
    }
    while let Some(t) = toks.next() {
        if t != PathTok::Open {
            return Err(unexpected(Some(t), "'['"));
        }
        let seg = match toks.next() {
            Some(PathTok::Close) => {
                path.push(Seg::Append);
                continue;
            }
            Some(PathTok::Text(t)) => Seg::Key(t),
            Some(PathTok::Number(n)) => index(n)?,
            t => return Err(unexpected(t, "a text, a number or ']'")),
        };
        match toks.next() {
            Some(PathTok::Close) => path.push(seg),
            t => return Err(unexpected(t, "']'")),
        }
    }
    Ok(path)
}

fn describe(t: &PathTok) -> String {
    match t {
        PathTok::Text(s) => format!("'{s}'"),
        PathTok::Number(n) => format!("'{}'", n.as_key()),
        PathTok::Open => "'['".into(),
        PathTok::Close => "']'".into(),
    }
}

/// The path as HTTPie prints it in messages: `a[b][0]`.
pub(crate) fn show_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for (i, seg) in path.iter().enumerate() {
        match (i, seg) {
            (0, Seg::Key(k)) => out.push_str(k),
            _ => out.push_str(&seg.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Seg {
        Seg::Key(s.into())
    }

    #[test]
    fn splits_at_first_longest_separator() {
        let cases: &[(&str, &str, Sep, &str)] = &[
            ("a=b", "a", Sep::Str, "b"),
            ("a:=1", "a", Sep::Json, "1"),
            ("a=@f.txt", "a", Sep::FileText, "f.txt"),
            ("a:=@f.json", "a", Sep::FileJson, "f.json"),
            ("a=b=c", "a", Sep::Str, "b=c"),
            ("a=b:=c", "a", Sep::Str, "b:=c"),
            (r"k\=q=v", "k=q", Sep::Str, "v"),
            (r"k\:x=v", "k:x", Sep::Str, "v"),
            (r"a=b\=c", "a", Sep::Str, "b=c"),
            ("=v", "", Sep::Str, "v"),
            ("a=", "a", Sep::Str, ""),
        ];
        for (input, k, sep, v) in cases {
            let item = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(show_path(&item.path), *k, "{input}");
            assert_eq!(item.sep, *sep, "{input}");
            assert_eq!(item.value, *v, "{input}");
        }
    }

    #[test]
    fn refuses_other_httpie_items_by_name() {
        for (input, word) in [
            ("X-Api:1", "header"),
            ("q==1", "query"),
            ("f@file.bin", "upload"),
            ("nothing", "not a request item"),
        ] {
            let err = parse(input).unwrap_err();
            assert!(err.contains(word), "{input}: {err}");
            assert!(err.contains(input), "{input}: {err}");
        }
    }

    #[test]
    fn parses_nested_paths() {
        let cases: &[(&str, Vec<Seg>)] = &[
            ("a", vec![key("a")]),
            ("a[b][c]", vec![key("a"), key("b"), key("c")]),
            ("a[]", vec![key("a"), Seg::Append]),
            ("a[2]", vec![key("a"), Seg::Index(2)]),
            ("[]", vec![Seg::Append]),
            ("[1]", vec![Seg::Index(1)]),
            ("007", vec![key("7")]),
            ("a[\\1]", vec![key("a"), key("1")]),
            ("a\\[b\\]", vec![key("a[b]")]),
            ("", vec![key("")]),
        ];
        for (input, want) in cases {
            assert_eq!(&parse_path(input).unwrap(), want, "{input}");
        }
    }

    #[test]
    fn refuses_bad_paths() {
        for input in ["a[", "a[b", "a]", "a[b]c", "[x]", "a[-1]", "a[100001]"] {
            assert!(parse_path(input).is_err(), "{input}");
        }
    }

    #[test]
    fn py_int_matches_python() {
        assert_eq!(py_int(" 1_000 ").map(|n| n.as_key()), Some("1000".into()));
        assert_eq!(py_int("-0").map(|n| n.as_key()), Some("0".into()));
        assert_eq!(py_int("+5").map(|n| n.as_key()), Some("5".into()));
        for bad in ["", "_1", "1_", "1__0", "1.0", "x", "-"] {
            assert!(py_int(bad).is_none(), "{bad}");
        }
    }
}
