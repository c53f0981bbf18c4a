//! JSON for people: re-indented and coloured token by token, copying every string and number
//! as it was sent (no re-reading of numbers or escapes). Iterative, and linear in its input:
//! indentation stops growing past [`MAX_INDENT`] levels.

const KEY: &str = "34;1";
const STRING: &str = "32";
const NUMBER: &str = "36";
const LITERAL: &str = "33";
const NULL: &str = "90";

/// Nesting levels that get their own indentation; deeper levels line up with the last one, so
/// a hostile answer cannot make the output grow with the square of its depth.
pub(crate) const MAX_INDENT: usize = 64;

fn paint(out: &mut Vec<u8>, color: Option<&str>, text: &[u8]) {
    match color {
        Some(c) => {
            out.extend_from_slice(b"\x1b[");
            out.extend_from_slice(c.as_bytes());
            out.push(b'm');
            out.extend_from_slice(text);
            out.extend_from_slice(b"\x1b[0m");
        }
        None => out.extend_from_slice(text),
    }
}

/// How [`reformat`] lays JSON out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Two-space indent, one member per line, as jq prints.
    Pretty,
    /// No insignificant white space: one line.
    Compact,
    /// Every byte as sent, white space included: only colour is added (a pipe with colour
    /// forced must still carry the answer's own layout).
    Keep,
}

/// Re-indents valid JSON without re-reading its values: numbers and string escapes stay as
/// sent. Returns `None` when `text` is not one JSON value (it is then printed as it is).
pub(crate) fn pretty_json(text: &[u8], color: bool) -> Option<Vec<u8>> {
    let mut out = reformat(text, Layout::Pretty, color)?;
    out.push(b'\n');
    Some(out)
}

/// Lays out valid JSON token by token, copying every string and number as it is.
pub(crate) fn reformat(text: &[u8], layout: Layout, color: bool) -> Option<Vec<u8>> {
    let s = std::str::from_utf8(text).ok()?;
    crate::json::validate(s).ok()?;
    let c = |code| color.then_some(code);
    let pretty = layout == Layout::Pretty;
    let keep = layout == Layout::Keep;
    let mut out = Vec::with_capacity(text.len() + text.len() / 2);
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        if pretty {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', depth.min(MAX_INDENT) * 2));
        }
    };
    let next_significant = |from: usize| text[from..].iter().find(|b| !b.is_ascii_whitespace());
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match b {
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                if !keep && next_significant(i + 1) == Some(&close) {
                    out.extend_from_slice(&[b, close]);
                    let skip = text[i + 1..].iter().position(|x| *x == close).unwrap_or(0);
                    i += skip + 2;
                    continue;
                }
                out.push(b);
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
            }
            b':' if pretty => out.extend_from_slice(b": "),
            b':' => out.push(b':'),
            b'"' => {
                let mut j = i + 1;
                while text[j] != b'"' {
                    j += if text[j] == b'\\' { 2 } else { 1 };
                }
                let is_key = next_significant(j + 1) == Some(&b':');
                paint(&mut out, c(if is_key { KEY } else { STRING }), &text[i..=j]);
                i = j + 1;
                continue;
            }
            b if b.is_ascii_whitespace() => {
                if keep {
                    out.push(b);
                }
            }
            _ => {
                let len = text[i..]
                    .iter()
                    .position(|x| !(x.is_ascii_alphanumeric() || matches!(x, b'+' | b'-' | b'.')))
                    .unwrap_or(text.len() - i);
                let token = &text[i..i + len];
                let code = match token[0] {
                    b't' | b'f' => LITERAL,
                    b'n' => NULL,
                    _ => NUMBER,
                };
                paint(&mut out, c(code), token);
                i += len;
                continue;
            }
        }
        i += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_keeps_numbers_and_escapes() {
        let text = br#"{"a":[1.50,12345678901234567890123],"s":"\u00e9\"x","e":{},"l":[ ],"t":true,"n":null}"#;
        let out = String::from_utf8(pretty_json(text, false).unwrap()).unwrap();
        let want = r#"{
  "a": [
    1.50,
    12345678901234567890123
  ],
  "s": "\u00e9\"x",
  "e": {},
  "l": [],
  "t": true,
  "n": null
}
"#;
        assert_eq!(out, want);
    }

    #[test]
    fn pretty_colours_keys_and_values_differently() {
        let out = String::from_utf8(pretty_json(br#"{"k":"v","n":1}"#, true).unwrap()).unwrap();
        assert!(out.contains("\x1b[34;1m\"k\"\x1b[0m"), "{out:?}");
        assert!(out.contains("\x1b[32m\"v\"\x1b[0m"), "{out:?}");
        assert!(out.contains("\x1b[36m1\x1b[0m"), "{out:?}");
    }

    #[test]
    fn compact_removes_only_white_space() {
        let text = b"{ \"a\" : [ 1.50 , \"x y\" ],\n \"b\": { } }";
        let out = reformat(text, Layout::Compact, false).unwrap();
        assert_eq!(out, br#"{"a":[1.50,"x y"],"b":{}}"#);
    }

    #[test]
    fn keep_adds_colour_and_nothing_else() {
        let text = b"{ \"a\" :\t[ 1.50 , \"x y\" ],\n \"b\": { } }\n";
        let plain = reformat(text, Layout::Keep, false).unwrap();
        assert_eq!(plain, text);
        let coloured = reformat(text, Layout::Keep, true).unwrap();
        let stripped = String::from_utf8(coloured)
            .unwrap()
            .replace("\x1b[0m", "")
            .replace("\x1b[34;1m", "")
            .replace("\x1b[32m", "")
            .replace("\x1b[36m", "");
        assert_eq!(stripped.as_bytes(), text);
    }

    #[test]
    fn pretty_refuses_non_json() {
        assert!(pretty_json(b"hello", false).is_none());
        assert!(pretty_json(b"{\"a\":", false).is_none());
        assert!(pretty_json(b"\xff", false).is_none());
    }

    #[test]
    fn output_is_linear_in_depth() {
        let depth = 120;
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let out = pretty_json(text.as_bytes(), true).unwrap();
        // Each line holds at most MAX_INDENT levels of indentation.
        let longest = out.split(|b| *b == b'\n').map(<[u8]>::len).max().unwrap();
        assert!(longest <= MAX_INDENT * 2 + 16, "{longest}");
    }
}
