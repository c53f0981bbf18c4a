//! Entry points for the fuzz targets in `fuzz/` (built only with the `fuzzing` feature): each
//! feeds outside bytes to one parser and asserts that parser's own promises — not only "no
//! panic", but what it accepts is what it says (valid JSON out, round trips, the API's origin
//! kept, bounded sizes). A crash found here becomes a test in the ordinary suite.

use crate::json::Json;

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Request items (one per line): whatever is accepted builds JSON that parses, and building
/// it twice gives the same bytes. Items that read files (`=@`, `:=@`) are skipped: a fuzzer
/// must not read the machine's files.
pub fn items(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let args: Vec<String> = text.lines().take(32).map(str::to_owned).collect();
    for a in &args {
        if let Ok(item) = crate::items::parse(a)
            && matches!(
                item.sep,
                crate::items::Sep::FileText | crate::items::Sep::FileJson
            )
        {
            return;
        }
    }
    let Ok(prepared) = crate::input::parse_items(&args, &mut |_| {}) else {
        return;
    };
    if let Ok(bytes) = crate::input::merge(None, &prepared) {
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).expect("items built JSON that does not parse");
        assert!(value.is_object() || value.is_array());
        let again = crate::input::merge(None, &prepared).expect("built once, built twice");
        assert_eq!(bytes, again, "the same items built different bytes");
    }
}

/// An `--input` file: what our JSON reader accepts, serde_json accepts, and the tree we build
/// from it writes JSON of the same value.
pub fn input_json(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let ours = crate::json::validate(text);
    // The oracle is serde_json reading a `Value` (which decodes strings: a lone surrogate
    // escape is refused, as our reader refuses it — this target's second finding was an oracle
    // that skipped strings), with serde_json's private number key renamed to one of the same
    // length: a `Value` reads an object keyed `$serde_json::private::Number` as a number (the
    // first finding: `history show` changed such an answer; it now embeds raw JSON).
    let neutral = text.replace(SERDE_TOKEN, "$serde_json::privatE::");
    let valid = serde_json::from_str::<serde_json::Value>(&neutral);
    assert_eq!(
        ours.is_ok(),
        valid.is_ok(),
        "our reader and serde_json disagree: {ours:?} / {valid:?}"
    );
    if text.contains(SERDE_TOKEN) {
        return;
    }
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    if let Ok(tree) = Json::parse(text, &mut |_| {}) {
        let bytes = tree.to_bytes();
        let back: serde_json::Value =
            serde_json::from_slice(&bytes).expect("the tree wrote JSON that does not parse");
        // Duplicate keys: the last value wins in both.
        assert_eq!(
            back,
            theirs.expect("accepted by both"),
            "the tree changed the value"
        );
    }
}

/// serde_json's private key for an arbitrary-precision number inside a `Value`: texts holding
/// it are not compared through `Value`.
const SERDE_TOKEN: &str = "$serde_json::private::";

/// The pretty printer: its output (plain and coloured, the colour codes removed) re-parses to
/// the same value, and it never grows an answer out of proportion.
pub fn pretty(data: &[u8]) {
    if memchr::memmem::find(data, SERDE_TOKEN.as_bytes()).is_some() {
        return;
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    for color in [false, true] {
        let Some(out) = crate::output::pretty_json(data, color) else {
            continue;
        };
        let plain = strip_ansi(&out);
        let back: serde_json::Value = serde_json::from_slice(&plain)
            .unwrap_or_else(|e| panic!("pretty output does not parse ({e})"));
        assert_eq!(back, value, "pretty printing changed the value");
        // Indentation stops growing at 64 levels: at most 2*64+2 bytes a line more.
        let lines = plain.iter().filter(|b| **b == b'\n').count() + 1;
        assert!(plain.len() <= data.len() * 4 + lines * 132 + 16);
    }
}

fn strip_ansi(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            i += 2;
            while i < bytes.len() && !bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            i += 1;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Server-sent events: the events are the same however the stream is cut into chunks, and
/// what is held for an unfinished event never exceeds what was pushed.
pub fn sse(data: &[u8]) {
    let (split, stream) = match data.split_first() {
        Some((s, rest)) => (*s as usize, rest),
        None => return,
    };
    let mut whole = crate::sse::Parser::default();
    let all = whole.push(stream);
    let mut pieces = crate::sse::Parser::default();
    let mut events = Vec::new();
    let step = split.max(1);
    for chunk in stream.chunks(step) {
        events.extend(pieces.push(chunk));
        assert!(pieces.pending() <= stream.len());
    }
    assert_eq!(all, events, "chunking changed the events");
    for e in &all {
        assert!(e.len() <= stream.len());
    }
}

/// JSON-lines batch input: every byte is accounted for, lines are cut at newlines only, and a
/// kept line is never longer than the limit.
pub fn jsonl_batch(data: &[u8]) {
    crate::results::records::fuzz_jsonl(data);
}

/// CSV batch input: a header and rows; every row becomes JSON that parses, or a named error.
pub fn csv_batch(data: &[u8]) {
    crate::results::records::fuzz_csv(data);
}

/// A results file's lines, as `--resume` reads their heads and `results diff` reads them
/// whole: they parse or are refused, and what we write reads back as written (line, digest,
/// time, exit code).
pub fn results_lines(data: &[u8]) {
    crate::results::read::fuzz_results(data);
}

/// A spooled history entry (`pending/`): anything that decodes re-encodes to the same bytes.
pub fn spool(data: &[u8]) {
    crate::history::fuzz_spool(data);
}

/// Base URLs and API paths: an accepted base URL keeps every endpoint on its own origin, and
/// `api PATH` never leaves the API's origin; a workflow id stays one path segment.
pub fn urls(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let (base, path) = text.split_once('\n').unwrap_or((text, "/api/v1/api_keys"));
    let Ok(base) = crate::request::base_url(Some(base), false) else {
        return;
    };
    for p in [
        crate::request::AGENT_RUN_PATH,
        crate::request::API_KEYS_PATH,
    ] {
        let url = crate::request::endpoint(&base, p);
        assert_eq!(url.origin(), base.origin(), "an endpoint left the origin");
    }
    if let Ok(url) = crate::request::api_url(&base, path) {
        assert_eq!(url.origin(), base.origin(), "api {path:?} left the origin");
    }
    if let Ok(target) = crate::target::RunTarget::workflow(path) {
        let req = crate::request::Request::run(&base, &target, b"{}".to_vec());
        assert_eq!(req.url.origin(), base.origin());
        let base_segments = base.path_segments().map_or(0, |s| s.count());
        let segments = req.url.path_segments().map_or(0, |s| s.count());
        assert!(
            segments <= base_segments + 4,
            "workflow id {path:?} added path segments: {}",
            req.url
        );
    }
}

/// Proxy variables and NO_PROXY: no panic, a proxy for loopback never, and an accepted proxy
/// is an http(s) URL.
pub fn proxy(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let (target, proxy, no_proxy) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let Ok(target) = reqwest::Url::parse(target) else {
        return;
    };
    let env = |name: &str| match name {
        "https_proxy" | "http_proxy" => Some(proxy.to_owned()),
        "no_proxy" => Some(no_proxy.to_owned()),
        _ => None,
    };
    if let Ok(Some(p)) = crate::proxy::fuzz_for_target(&target, &env) {
        assert!(
            !crate::request::is_loopback(&target),
            "a proxy for loopback"
        );
        assert!(matches!(p.url.scheme(), "http" | "https"));
    }
}

/// config.toml: no panic, and a config that reads is read the same way twice.
pub fn config(data: &[u8]) {
    let Some(text) = text(data) else { return };
    crate::config::Config::fuzz_parse(text);
}

/// Durations and rates (`--since`, `--older-than`, `--rate`, `--shard`): accepted values are
/// in their documented ranges, and a shard partitions lines.
pub fn durations(data: &[u8]) {
    let Some(text) = text(data) else { return };
    if let Ok(d) = crate::duration::parse(text) {
        // A unit is always there (a bare number is refused), and the words a question shows
        // for it mean the same whole seconds (any length: a huge --since means everything).
        assert!(
            text.chars().any(|c| c.is_alphabetic()),
            "{text:?} has no unit"
        );
        let words = crate::duration::words(d);
        if d.as_secs() > 0 {
            let back = humantime::parse_duration(&words).expect("the words parse back");
            assert_eq!(back.as_secs(), d.as_secs(), "{text:?} → {words:?}");
        }
    }
    if let Ok(every) = crate::duration::rate(text) {
        assert!(every >= std::time::Duration::from_micros(1));
        assert!(every <= std::time::Duration::from_secs(3600));
    }
    if let Ok(shard) = text.parse::<crate::shard::Shard>() {
        let mut next = shard.next_from(1);
        let mut seen = 0;
        for line in 1..=200u64 {
            if shard.takes(line) {
                assert_eq!(next, line, "next_from skipped a line the shard takes");
                next = shard.next_from(line + 1);
                seen += 1;
            }
        }
        assert_eq!(seen, shard.count_in(200));
    }
}
