//! Why a server said no: the one-line reason of a non-2xx answer, from its body, made safe.

use super::safe::{escape_controls, mask_then_cut};
use crate::error::status_words;

/// How much of an error body is kept to find its reason in; the rest only passes through.
pub(crate) const REASON_PREFIX: usize = 64 * 1024;

/// A one-line reason for a non-2xx answer: the status, and the body's `error`, `message` or
/// `detail` when it has one (its first line, at most 300 characters), with control characters
/// made visible and the key masked by `mask` (a server may echo what it was sent): masked
/// first, cut after, so a key across the cut is never kept but for its end.
pub(crate) fn status_reason(status: u16, body: &[u8], mask: &dyn Fn(&str) -> String) -> String {
    let head = status_words(status);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return head;
    };
    let said = ["error", "message", "detail"]
        .iter()
        .find_map(|k| match value.get(k) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(inner @ serde_json::Value::Object(_)) => inner
                .get("message")
                .and_then(|m| m.as_str())
                .map(str::to_owned),
            _ => None,
        });
    let Some(said) = said else {
        return head;
    };
    let line = mask_then_cut(said.lines().next().unwrap_or_default(), mask, 300);
    format!("{head}: {}", escape_controls(&line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> String {
        text.to_owned()
    }

    #[test]
    fn reasons_come_from_the_body_safely() {
        assert_eq!(
            status_reason(404, br#"{"error":"agent not found"}"#, &plain),
            "HTTP 404 Not Found: agent not found"
        );
        assert_eq!(
            status_reason(404, br#"{"error":{"message":"nope"}}"#, &plain),
            "HTTP 404 Not Found: nope"
        );
        assert_eq!(status_reason(404, b"<html>", &plain), "HTTP 404 Not Found");
        assert_eq!(
            status_reason(400, br#"{"error":"bad \u001b[2Jthing"}"#, &plain),
            "HTTP 400 Bad Request: bad \\x1b[2Jthing"
        );
        let key = crate::credentials::ApiKey::parse("mk_live_secret_4321").unwrap();
        let said = status_reason(
            401,
            br#"{"error":"key mk_live_secret_4321 is revoked"}"#,
            &|t| key.mask_in(t),
        );
        assert_eq!(said, "HTTP 401 Unauthorized: key mk_…4321 is revoked");
    }

    #[test]
    fn a_reason_is_one_line_of_at_most_300_characters() {
        let long = format!("{{\"message\":\"{}\\nsecond line\"}}", "w".repeat(400));
        let said = status_reason(500, long.as_bytes(), &plain);
        assert_eq!(
            said,
            format!("HTTP 500 Internal Server Error: {}", "w".repeat(300))
        );
        assert_eq!(status_reason(599, b"{}", &plain), "HTTP 599");
        assert_eq!(
            status_reason(422, br#"{"detail":"no"}"#, &plain),
            "HTTP 422 Unprocessable Entity: no"
        );
    }
}
