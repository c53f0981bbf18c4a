//! MCP on stdin and stdout, one JSON-RPC message per line, framed here before the SDK sees a
//! line: JSON-RPC 2.0 wants an answer to a line that is not JSON (`-32700 Parse error`) and to
//! one too large to take (`-32600 Invalid Request`), where the SDK drops both silently and the
//! client waits for ever. Every line written goes through the `Ui` (one writer of stdout), whole.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader, DuplexStream};

use crate::ui::Ui;

/// The largest message taken, its newline included (the SDK's own limit).
pub(crate) const MAX_MESSAGE: usize = 16 * 1024 * 1024;

/// The transport the SDK is given: it reads the lines that are JSON, and what it writes goes
/// to stdout line by line. Two tasks do the work, on the caller's runtime; the writer's handle
/// is returned, to be awaited once the SDK is done (its last answers are then out).
pub(crate) fn transport(ui: Ui) -> ((DuplexStream, DuplexStream), tokio::task::JoinHandle<()>) {
    let (to_sdk, sdk_reads) = tokio::io::duplex(64 * 1024);
    let (sdk_writes, from_sdk) = tokio::io::duplex(64 * 1024);
    let out = ui.clone();
    tokio::spawn(async move {
        let _ = read_stdin(tokio::io::stdin(), to_sdk, &ui).await;
    });
    let writer = tokio::spawn(async move {
        let mut lines = BufReader::new(from_sdk);
        let mut line = Vec::new();
        while matches!(lines.read_until(b'\n', &mut line).await, Ok(n) if n > 0) {
            let ui = out.clone();
            let whole = std::mem::take(&mut line);
            let written = tokio::task::spawn_blocking(move || ui.out(&whole)).await;
            if !matches!(written, Ok(Ok(()))) {
                return;
            }
        }
    });
    ((sdk_reads, sdk_writes), writer)
}

/// Reads `stdin` line by line, never holding more than [`MAX_MESSAGE`]: a JSON line goes on to
/// the SDK, anything else is answered here. At the end of stdin the SDK's input ends too.
async fn read_stdin(
    stdin: impl AsyncRead + Unpin,
    mut to_sdk: DuplexStream,
    ui: &Ui,
) -> std::io::Result<()> {
    let mut stdin = BufReader::with_capacity(64 * 1024, stdin);
    let mut line: Vec<u8> = Vec::new();
    // The first bytes of a line too large to take: where its id may be found.
    let mut oversized: Option<Vec<u8>> = None;
    loop {
        let available = stdin.fill_buf().await?;
        if available.is_empty() {
            return Ok(());
        }
        let newline = memchr::memchr(b'\n', available);
        let take = newline.map_or(available.len(), |i| i + 1);
        match &mut oversized {
            Some(_) => {}
            None if line.len() + take > MAX_MESSAGE => {
                let mut head = std::mem::take(&mut line);
                head.truncate(64 * 1024);
                oversized = Some(head);
            }
            None => line.extend_from_slice(&available[..take]),
        }
        stdin.consume(take);
        if newline.is_none() {
            continue;
        }
        if let Some(head) = oversized.take() {
            let why = format!(
                "Invalid Request: the message is larger than {} MiB, the most taken",
                MAX_MESSAGE >> 20
            );
            answer(ui, id_of(&head), -32600, &why).await;
            continue;
        }
        let text = std::mem::take(&mut line);
        let body = text.strip_suffix(b"\n").unwrap_or(&text);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if body.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            Ok(_) => to_sdk.write_all(&text).await?,
            Err(e) => answer(ui, None, -32700, &format!("Parse error: {e}")).await,
        }
    }
}

/// Writes a JSON-RPC error response for request `id` (`null` when it cannot be known).
async fn answer(ui: &Ui, id: Option<serde_json::Value>, code: i64, message: &str) {
    let response = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(serde_json::Value::Null),
        "error": {"code": code, "message": message},
    });
    let mut line = response.to_string().into_bytes();
    line.push(b'\n');
    let ui = ui.clone();
    let _ = tokio::task::spawn_blocking(move || ui.out(&line)).await;
}

/// The `id` of a JSON-RPC request from the first bytes of its line, when it stands at the top
/// level before they end (clients write it before the parameters): a number or a string.
fn id_of(head: &[u8]) -> Option<serde_json::Value> {
    let (mut depth, mut i) = (0usize, 0usize);
    while i < head.len() {
        match head[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let end = string_end(head, i)?;
                let is_key = head[end + 1..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    .is_some_and(|b| *b == b':');
                if depth == 1 && is_key && &head[i..=end] == b"\"id\"" {
                    let rest = &head[end + 1..];
                    let colon = rest.iter().position(|b| *b == b':')?;
                    let mut values = serde_json::Deserializer::from_slice(&rest[colon + 1..])
                        .into_iter::<serde_json::Value>();
                    return match values.next()?.ok()? {
                        v @ (serde_json::Value::Number(_) | serde_json::Value::String(_)) => {
                            Some(v)
                        }
                        _ => None,
                    };
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Where the string starting at `head[start]` (a quote) ends: its closing quote.
fn string_end(head: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < head.len() {
        match head[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_of_a_cut_request_is_found_at_its_top_level() {
        let id = |s: &str| id_of(s.as_bytes());
        assert_eq!(
            id(r#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"argu"#),
            Some(serde_json::json!(7))
        );
        assert_eq!(
            id(r#"{"id": "a\"b", "params": {"#),
            Some(serde_json::json!("a\"b"))
        );
        assert_eq!(id(r#"{"params":{"id":3,"x":"#), None, "not the top level");
        assert_eq!(id(r#"{"method":"x","note":"id","params":"#), None);
        assert_eq!(id(r#"{"jsonrpc":"2.0","params":{"#), None);
    }
}
