//! A JSON tree that keeps what the user wrote.
//!
//! Values stay as their original bytes (`serde_json::value::RawValue`) until an item needs to
//! change them; only the objects and arrays on an item's path are opened. So numbers of any size
//! and spelling, string escapes and key order reach the server byte for byte.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use serde::Deserializer as _;
use serde::de::{self, Deserialize, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

#[derive(Debug, Clone)]
pub(crate) enum Json {
    /// Untouched bytes of one JSON value.
    Raw(Box<RawValue>),
    Object(Vec<(String, Json)>),
    Array(Vec<Json>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Array => "array",
            Kind::String => "string",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Null => "null",
        }
    }
}

/// Where a JSON text could not be read, with serde_json's words for what it expected.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl From<serde_json::Error> for SyntaxError {
    fn from(e: serde_json::Error) -> Self {
        let full = e.to_string();
        // serde_json appends " at line L column C"; we print the position in front instead.
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_owned(),
            None => full,
        };
        SyntaxError {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

impl SyntaxError {
    /// serde_json places a trailing comma's error on the `}` or `]` after it: the position is
    /// moved back to the comma itself, which is what the user must delete.
    fn at_comma(mut self, text: &str) -> SyntaxError {
        if !self.message.contains("trailing comma") || self.line == 0 {
            return self;
        }
        let Some(line_start) = text
            .split_inclusive('\n')
            .take(self.line - 1)
            .map(str::len)
            .try_fold(0usize, |a, n| a.checked_add(n))
        else {
            return self;
        };
        let at = (line_start + self.column.saturating_sub(1)).min(text.len());
        let before = text.as_bytes()[..at].trim_ascii_end();
        if before.last() != Some(&b',') {
            return self;
        }
        let comma = before.len() - 1;
        self.line = text.as_bytes()[..comma]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        let start = text.as_bytes()[..comma]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        self.column = text[start..comma].chars().count() + 1;
        self
    }
}

impl Json {
    pub(crate) fn string(s: &str) -> Json {
        Json::Raw(serde_json::value::to_raw_value(s).expect("a string always serialises"))
    }

    pub(crate) fn null() -> Json {
        Json::Raw(RawValue::from_string("null".into()).expect("null is JSON"))
    }

    pub(crate) fn kind(&self) -> Kind {
        match self {
            Json::Object(_) => Kind::Object,
            Json::Array(_) => Kind::Array,
            Json::Raw(raw) => match raw.get().as_bytes().first() {
                Some(b'{') => Kind::Object,
                Some(b'[') => Kind::Array,
                Some(b'"') => Kind::String,
                Some(b't' | b'f') => Kind::Boolean,
                Some(b'n') => Kind::Null,
                _ => Kind::Number,
            },
        }
    }

    /// Reads a JSON text; duplicate keys are reported through `warn` (with their path) and
    /// resolved as Python and jq do: the last value wins, in the first key's place.
    pub(crate) fn parse(text: &str, warn: &mut dyn FnMut(String)) -> Result<Json, SyntaxError> {
        let dups = check(text)?;
        let raw: Box<RawValue> =
            serde_json::from_str(text).map_err(|e| SyntaxError::from(e).at_comma(text))?;
        let mut json = Json::Raw(raw);
        if !dups.is_empty() {
            for path in dups {
                warn(format!("duplicate key {path}; the last value wins"));
            }
            json.open_deep();
        }
        Ok(json)
    }

    /// Turns a raw object or array into its parts, so that they can be changed.
    pub(crate) fn open(&mut self) {
        let kind = self.kind();
        let Json::Raw(raw) = self else { return };
        let opened = match kind {
            Kind::Object => {
                let Entries(entries) =
                    serde_json::from_str(raw.get()).expect("checked JSON reopens");
                Json::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k, Json::Raw(v)))
                        .collect(),
                )
            }
            Kind::Array => {
                let items: Vec<Box<RawValue>> =
                    serde_json::from_str(raw.get()).expect("checked JSON reopens");
                Json::Array(items.into_iter().map(Json::Raw).collect())
            }
            _ => return,
        };
        *self = opened;
    }

    fn open_deep(&mut self) {
        self.open();
        match self {
            Json::Object(entries) => entries.iter_mut().for_each(|(_, v)| v.open_deep()),
            Json::Array(items) => items.iter_mut().for_each(Json::open_deep),
            Json::Raw(_) => {}
        }
    }

    /// Writes the value: raw parts as they were, opened parts compactly.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        match self {
            Json::Raw(raw) => out.extend_from_slice(raw.get().as_bytes()),
            Json::Object(entries) => {
                out.push(b'{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut *out, k).expect("writing to a Vec");
                    out.push(b':');
                    v.write(out);
                }
                out.push(b'}');
            }
            Json::Array(items) => {
                out.push(b'[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    v.write(out);
                }
                out.push(b']');
            }
        }
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }
}

/// An object's members in order, duplicates resolved (last value, first place).
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries: Vec<(String, Box<RawValue>)> = Vec::new();
                let mut seen: HashMap<String, usize> = HashMap::new();
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    match seen.get(&k) {
                        Some(&i) => entries[i].1 = v,
                        None => {
                            seen.insert(k.clone(), entries.len());
                            entries.push((k, v));
                        }
                    }
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(V)
    }
}

/// Validates a JSON text without building it, and returns the paths of duplicate keys.
/// Memory stays proportional to nesting depth and key counts, not to the text.
pub(crate) fn check(text: &str) -> Result<Vec<String>, SyntaxError> {
    let walk = RefCell::new(Walk::default());
    let mut de = serde_json::Deserializer::from_str(text);
    let fix = |e: serde_json::Error| SyntaxError::from(e).at_comma(text);
    Node(&walk).deserialize(&mut de).map_err(fix)?;
    de.end().map_err(fix)?;
    Ok(walk.into_inner().dups)
}

/// How serde_json (with `arbitrary_precision`) presents a number, so that numbers of any
/// size are accepted, as JSON allows.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

#[derive(Default)]
struct Walk {
    path: Vec<String>,
    dups: Vec<String>,
}

struct Node<'a>(&'a RefCell<Walk>);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            self.0.borrow_mut().path.push(format!("[{i}]"));
            let more = seq.next_element_seed(Node(self.0))?;
            self.0.borrow_mut().path.pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.is_empty() && key == NUMBER_TOKEN {
                // serde_json's arbitrary_precision hands numbers over as this one-entry map.
                map.next_value::<IgnoredAny>()?;
                return Ok(());
            }
            let segment = format!(".{}", serde_json::to_string(&key).unwrap_or_default());
            if !seen.insert(key) {
                let mut walk = self.0.borrow_mut();
                let path = walk.path.concat() + &segment;
                walk.dups.push(path);
            }
            self.0.borrow_mut().path.push(segment);
            map.next_value_seed(Node(self.0))?;
            self.0.borrow_mut().path.pop();
        }
        Ok(())
    }
}

/// How deeply a JSON text nests (its brackets outside strings), in one pass with no recursion:
/// checked before anything recursive reads a text from elsewhere.
pub(crate) fn max_depth(text: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in text {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Checks that a text is one JSON value and nothing else, building nothing. Every string is
/// decoded, keys and values alike, at any depth: a lone surrogate escape (`"\udf87"`) is
/// refused wherever it is, as serde_json refuses it when it reads a value. (Skipping strings
/// unread took them in arrays and refused them in keys and at the top: the `input_json` fuzz
/// target's third, fourth and fifth findings.)
pub(crate) fn validate(text: &str) -> Result<(), SyntaxError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let fix = |e: serde_json::Error| SyntaxError::from(e).at_comma(text);
    (&mut de).deserialize_any(Decoded).map_err(fix)?;
    de.end().map_err(fix)?;
    Ok(())
}

/// A value read and dropped, its strings decoded (borrowed when they hold no escape).
struct Decoded;

impl<'de> Deserialize<'de> for Decoded {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Decoded, D::Error> {
        d.deserialize_any(Decoded)
    }
}

impl<'de> Visitor<'de> for Decoded {
    type Value = Decoded;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Decoded, E> {
        Ok(Decoded)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Decoded, E> {
        Ok(Decoded)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Decoded, E> {
        Ok(Decoded)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Decoded, E> {
        Ok(Decoded)
    }
    fn visit_str<E>(self, _: &str) -> Result<Decoded, E> {
        Ok(Decoded)
    }
    fn visit_unit<E>(self) -> Result<Decoded, E> {
        Ok(Decoded)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Decoded, A::Error> {
        while seq.next_element::<Decoded>()?.is_some() {}
        Ok(Decoded)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded, A::Error> {
        // Keys are strings (with arbitrary precision, a number is a map with a private key).
        while map.next_key::<Decoded>()?.is_some() {
            map.next_value::<Decoded>()?;
        }
        Ok(Decoded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (String, Vec<String>) {
        let mut warnings = Vec::new();
        let json = Json::parse(text, &mut |w| warnings.push(w)).unwrap();
        (String::from_utf8(json.to_bytes()).unwrap(), warnings)
    }

    /// RFC 8259's grammar takes any `\uXXXX` and leaves open what a lone surrogate means; a
    /// reader that decodes strings (serde_json's, jq's) cannot read one. Ours refuses it
    /// wherever it is, in an answer (printed then as received, not laid out) and in an input.
    /// The input_json fuzz target found the reader taking it in some places and not others
    /// (in an array, at the top, in a key); their bytes are in the seed corpus.
    #[test]
    fn a_lone_surrogate_is_refused_wherever_it_is() {
        for text in [
            r#"["\udf87"]"#,
            r#"{"a":"\udbff","b":"\udc00x"}"#,
            r#"[")il11til0<2\udf87z88U01mm[{ dn::$serde_json::private::>>>>>i::9l"]"#,
            r#""tili{arng cof88e00<2\udf88z88U01mma!+\\\\)`\\< `,`o r \\""#,
            r#"{"l0<2\udf83j88U01mm[{ dn::$serd":         19}"#,
        ] {
            assert!(validate(text).is_err(), "{text}");
            assert!(Json::parse(text, &mut |_| {}).is_err(), "{text}");
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_err(),
                "{text}"
            );
        }
        for ok in [
            r#"["\ud83d\ude00"]"#,
            r#"{"\u00e9":"\ud83d\ude00"}"#,
            r#""\n""#,
        ] {
            assert!(validate(ok).is_ok(), "a pair is a character: {ok}");
            assert!(Json::parse(ok, &mut |_| {}).is_ok(), "{ok}");
        }
    }

    #[test]
    fn keeps_numbers_escapes_and_order() {
        let text = r#"{"z":1234567890123456789012345,"h":1e400,"a":1.50,"e":1E+2,"s":"\u00e9\n","k":[1.0,-0]}"#;
        assert_eq!(parse(text), (text.to_owned(), vec![]));
    }

    #[test]
    fn duplicates_warn_and_last_wins_in_first_place() {
        let (out, warnings) = parse(r#"{"a":1,"b":{"c":1,"c":2.50},"a":3}"#);
        assert_eq!(out, r#"{"a":3,"b":{"c":2.50}}"#);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains(r#"."b"."c""#), "{warnings:?}");
        assert!(warnings[1].contains(r#"."a""#), "{warnings:?}");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        // A trailing comma is pointed at, not the brace after it.
        let err = Json::parse("{\n  \"a\": 1,\n}", &mut |_| {}).unwrap_err();
        assert_eq!((err.line, err.column), (2, 9));
        let err = validate("[1, 2 ,  ]").unwrap_err();
        assert_eq!((err.line, err.column), (1, 7));
        assert!(err.message.contains("trailing comma"), "{}", err.message);
    }

    #[test]
    fn depth_ignores_brackets_in_strings() {
        assert_eq!(max_depth(b"1"), 0);
        assert_eq!(max_depth(br#"[{"a":[1]},[]]"#), 3);
        assert_eq!(max_depth(br#"["[[[\"[[", {"k]": 1}]"#), 2);
    }

    #[test]
    fn kinds() {
        for (text, kind) in [
            ("{}", Kind::Object),
            ("[]", Kind::Array),
            ("\"x\"", Kind::String),
            ("-1", Kind::Number),
            ("true", Kind::Boolean),
            ("null", Kind::Null),
        ] {
            assert_eq!(Json::parse(text, &mut |_| {}).unwrap().kind(), kind);
        }
    }
}
