//! Text from a server is untrusted: before it reaches a terminal it loses its control
//! characters (no escape sequences can move the cursor, retitle the window or hide text), and
//! the active key is masked wherever it appears.

use std::borrow::Cow;

/// Replaces control characters (C0, DEL, C1, and the bidi overrides) with visible escapes
/// (`\x1b`, `\u{202e}`), so that a server's text prints as text. Tabs stay.
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !bad(c) => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Replaces every occurrence of `secret` in `text` with `masked`.
pub(crate) fn mask(text: &str, secret: &str, masked: &str) -> String {
    if secret.is_empty() {
        return text.to_owned();
    }
    text.replace(secret, masked)
}

/// Where to cut `text` so that it does not end with the beginning of `secret` (what a cut
/// may leave of a key whose rest was cut off): the length to keep.
pub(crate) fn cut_partial(text: &[u8], secret: &[u8]) -> usize {
    let longest = (1..secret.len().min(text.len() + 1))
        .rev()
        .find(|k| secret.starts_with(&text[text.len() - k..]))
        .unwrap_or(0);
    text.len() - longest
}

/// At most `max` characters of `text`, cut after the key is masked by `mask`, never before: a key across the cut would be kept but for its last
/// characters.
pub(crate) fn mask_then_cut(text: &str, mask: &dyn Fn(&str) -> String, max: usize) -> String {
    let masked = mask(text);
    match masked.char_indices().nth(max) {
        Some((at, _)) => masked[..at].to_owned(),
        None => masked,
    }
}

/// How the key of a run is hidden in text: the secret searched for (nothing for a key too
/// short to mask) and the form shown instead (`mk_…abcd`). `Debug` shows only the masked form.
#[derive(Clone, Default)]
pub(crate) struct Mask {
    secret: std::sync::Arc<str>,
    masked: std::sync::Arc<str>,
}

impl std::fmt::Debug for Mask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mask({})", self.masked)
    }
}

impl Mask {
    /// Hides `secret` as `masked`; an empty `secret` hides nothing.
    pub(crate) fn new(secret: &str, masked: &str) -> Mask {
        Mask {
            secret: secret.into(),
            masked: masked.into(),
        }
    }

    /// `text` with the key masked.
    pub(crate) fn apply(&self, text: &str) -> String {
        mask(text, &self.secret, &self.masked)
    }

    /// `text` with the key masked, borrowed when it holds none.
    pub(crate) fn hide<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match !self.secret.is_empty() && text.contains(&*self.secret) {
            true => Cow::Owned(text.replace(&*self.secret, &self.masked)),
            false => Cow::Borrowed(text),
        }
    }
}

/// Text quoted from a server (an answer, an error's words, what a filter yielded), with the
/// key masked from the moment it is made. It is cut only through [`Quoted::cut`] and
/// [`Quoted::start_of`], which cut masked text and never keep the start of a key whose rest
/// fell past the cut: no surface can cut first and mask after. Each output format escapes it
/// for itself (XML, Markdown, a terminal).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct Quoted {
    text: String,
    /// The text stops short of what the server said.
    cut: bool,
}

impl Quoted {
    /// The whole of `text`, masked.
    pub(crate) fn new(text: &str, mask: &Mask) -> Quoted {
        Quoted {
            text: mask.apply(text),
            cut: false,
        }
    }

    /// The start of `bytes` (read as UTF-8, invalid sequences replaced), at most `max`
    /// characters, masked before it is cut: only a little more than `max` characters is read,
    /// so a large answer costs nothing.
    pub(crate) fn start_of(bytes: &[u8], max: usize, mask: &Mask) -> Quoted {
        let window = max
            .saturating_mul(4)
            .saturating_add(mask.secret.len())
            .min(bytes.len());
        let mut text = mask.apply(&String::from_utf8_lossy(&bytes[..window]));
        let mut cut = window < bytes.len();
        if cut && !mask.secret.is_empty() {
            // The window may end inside a key that the bytes after it complete.
            text.truncate(cut_partial(text.as_bytes(), mask.secret.as_bytes()));
        }
        if let Some((at, _)) = text.char_indices().nth(max) {
            text.truncate(at);
            cut = true;
        }
        Quoted { text, cut }
    }

    /// At most `max` characters of this masked text.
    pub(crate) fn cut(mut self, max: usize) -> Quoted {
        if let Some((at, _)) = self.text.char_indices().nth(max) {
            self.text.truncate(at);
            self.cut = true;
        }
        self
    }
}

/// The masked text, with `…` where it was cut.
impl std::fmt::Display for Quoted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)?;
        if self.cut {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// Masks a secret in a stream of chunks: holds back just enough bytes at each chunk's end to
/// catch a secret split across two chunks, so memory stays at one secret's length.
pub(crate) struct Masker {
    secret: Vec<u8>,
    masked: Vec<u8>,
    carry: Vec<u8>,
}

impl Masker {
    pub(crate) fn new(secret: &str, masked: &str) -> Masker {
        Masker {
            secret: secret.as_bytes().to_vec(),
            masked: masked.as_bytes().to_vec(),
            carry: Vec::new(),
        }
    }

    /// The bytes of `chunk` that can be released now, masked.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        if self.secret.is_empty() {
            return chunk.to_vec();
        }
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(chunk);
        let mut out = Vec::with_capacity(buf.len());
        let mut rest = &buf[..];
        while let Some(at) = memchr::memmem::find(rest, &self.secret) {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(&self.masked);
            rest = &rest[at + self.secret.len()..];
        }
        // The longest tail that could be the start of a secret the next chunk completes.
        let held = (1..self.secret.len().min(rest.len() + 1))
            .rev()
            .find(|k| self.secret.starts_with(&rest[rest.len() - k..]))
            .unwrap_or(0);
        out.extend_from_slice(&rest[..rest.len() - held]);
        self.carry = rest[rest.len() - held..].to_vec();
        out
    }

    /// All of `bytes`, masked: a whole text rather than a stream.
    pub(crate) fn all(secret: &str, masked: &str, bytes: &[u8]) -> Vec<u8> {
        let mut m = Masker::new(secret, masked);
        let mut out = m.push(bytes);
        out.extend(m.finish());
        out
    }

    /// Whatever was held back, once the stream has ended.
    pub(crate) fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.carry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The streaming masker finds the key however the stream is cut: the output equals
        /// masking the whole text at once, and never holds the key.
        #[test]
        fn a_key_split_across_any_chunk_boundary_is_masked(
            before in "[a-z mk_]{0,40}",
            after in "[a-z mk_]{0,40}",
            cuts in proptest::collection::vec(0usize..120, 0..6),
        ) {
            let key = "mk_live_2f8c1e9a7b3d4c65";
            let masked = "mk_…4c65";
            let text = format!("{before}{key}{after}{key}");
            let bytes = text.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort();
            let mut m = Masker::new(key, masked);
            let mut out = Vec::new();
            let mut at = 0;
            for c in cuts.into_iter().chain([bytes.len()]) {
                out.extend(m.push(&bytes[at..c]));
                at = c;
            }
            out.extend(m.finish());
            proptest::prop_assert_eq!(&out, &Masker::all(key, masked, bytes));
            proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), mask(&text, key, masked));
            proptest::prop_assert!(!String::from_utf8_lossy(&Masker::all(key, masked, bytes)).contains(key));
        }
    }

    proptest::proptest! {
        /// Whatever the key's offset and the cut's length, a quote never shows a run of the
        /// key longer than its masked form does (`mk_` and the last four characters).
        #[test]
        fn a_quote_never_shows_more_of_the_key_than_its_mask(
            offset in 0usize..300,
            max in 0usize..320,
            filler in "[a-zé ]{0,3}",
        ) {
            let key = "mk_live_2f8c1e9a7b3d4c65aa91";
            let m = Mask::new(key, "mk_…aa91");
            let text = format!("{}{key}{}", filler.repeat(offset / 3 + 1), "z".repeat(40));
            for quoted in [Quoted::new(&text, &m).cut(max), Quoted::start_of(text.as_bytes(), max, &m)] {
                let shown = quoted.to_string();
                proptest::prop_assert!(longest_run_of(key, &shown) <= 4, "{shown}");
            }
        }
    }

    /// The longest substring of `key` found in `text`, in bytes.
    pub(crate) fn longest_run_of(key: &str, text: &str) -> usize {
        (1..=key.len())
            .rev()
            .find(|n| (0..=key.len() - n).any(|i| text.contains(&key[i..i + n])))
            .unwrap_or(0)
    }

    #[test]
    fn controls_become_visible() {
        assert_eq!(escape_controls("plain text\tok"), "plain text\tok");
        assert_eq!(
            escape_controls("a\x1b]0;pwned\x07b\u{9b}c\u{202e}d"),
            "a\\x1b]0;pwned\\x07b\\x9bc\\u{202e}d"
        );
        assert_eq!(escape_controls("two\nlines\r"), "two\\x0alines\\x0d");
    }

    #[test]
    fn a_cut_never_keeps_the_start_of_a_key() {
        assert_eq!(cut_partial(b"abc mk_tes", b"mk_test_123"), 4);
        assert_eq!(cut_partial(b"abc m", b"mk_test_123"), 4);
        assert_eq!(cut_partial(b"abc", b"mk_test_123"), 3);
        let text = format!("{}mk_live_secret_4321 tail", "x".repeat(290));
        let cut = mask_then_cut(&text, &|t| mask(t, "mk_live_secret_4321", "mk_…4321"), 300);
        assert_eq!(cut, format!("{}mk_…4321 t", "x".repeat(290)));
        assert!(!cut.contains("mk_live"));
    }

    #[test]
    fn masker_catches_a_secret_split_anywhere() {
        let secret = "mk_secret_123";
        let text = format!("before {secret} middle {secret}{secret} end mk_ x");
        let want = text.replace(secret, "mk_…0123");
        for cut_a in 0..text.len() {
            for cut_b in cut_a..text.len() {
                let mut m = Masker::new(secret, "mk_…0123");
                let mut out = m.push(&text.as_bytes()[..cut_a]);
                out.extend(m.push(&text.as_bytes()[cut_a..cut_b]));
                out.extend(m.push(&text.as_bytes()[cut_b..]));
                out.extend(m.finish());
                assert_eq!(String::from_utf8(out).unwrap(), want, "{cut_a} {cut_b}");
            }
        }
    }
}
