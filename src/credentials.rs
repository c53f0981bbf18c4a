//! The API key: a redacting secret type from the moment it is read, and where it comes from.

use secrecy::{ExposeSecret, SecretString};

use crate::error::Error;

/// The environment variable that carries a key for scripts and CI.
pub const ENV_KEY: &str = "MIIFLOW_API_KEY";

/// An API key. `Debug` prints `[REDACTED]`; the secret is reached only through
/// [`ApiKey::expose`], at the one place that builds the `Authorization` header.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

impl ApiKey {
    /// Checks a key as typed or piped: one trailing newline is dropped; empty keys and keys
    /// with white space inside are refused.
    pub fn parse(text: &str) -> Result<ApiKey, String> {
        let text = text
            .strip_suffix('\n')
            .map(|t| t.strip_suffix('\r').unwrap_or(t))
            .unwrap_or(text);
        if text.is_empty() {
            return Err("the key is empty".into());
        }
        if text.chars().any(char::is_whitespace) {
            return Err("the key contains white space".into());
        }
        if text.chars().any(char::is_control) {
            return Err("the key contains control characters".into());
        }
        Ok(ApiKey(SecretString::from(text.to_owned())))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// `mk_…abcd`: enough to tell keys apart, never enough to use one. Keys shorter than
    /// 12 characters show no tail at all.
    pub fn masked(&self) -> String {
        let key = self.expose();
        let prefix: String = match key.find('_') {
            Some(i) if i <= 4 => key[..=i].to_owned(),
            _ => String::new(),
        };
        let chars: Vec<char> = key.chars().collect();
        if chars.len() < 12 {
            return format!("{prefix}…");
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{prefix}…{tail}")
    }
}

/// Where a key came from, for `status` and for notices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Env,
}

/// Finds the key for a command. For now the only source is `MIIFLOW_API_KEY`; stored
/// profiles plug in here.
pub fn resolve(env: Option<std::ffi::OsString>) -> Result<(ApiKey, Origin), Error> {
    let no_key = || {
        Error::NoKey(format!(
            "no API key: run `miiflow login`, or set {ENV_KEY} (for scripts and CI)"
        ))
    };
    let Some(raw) = env else { return Err(no_key()) };
    let text = raw
        .into_string()
        .map_err(|_| Error::NoKey(format!("{ENV_KEY} is not valid UTF-8")))?;
    if text.is_empty() {
        return Err(no_key());
    }
    let key = ApiKey::parse(&text).map_err(|why| Error::NoKey(format!("{ENV_KEY}: {why}")))?;
    Ok((key, Origin::Env))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_prefix_and_last_four() {
        let key = ApiKey::parse("mk_live_0123456789abcd").unwrap();
        assert_eq!(key.masked(), "mk_…abcd");
        assert_eq!(ApiKey::parse("short").unwrap().masked(), "…");
        assert_eq!(ApiKey::parse("0123456789abcdef").unwrap().masked(), "…cdef");
        assert!(!format!("{key:?}").contains("0123456789"));
    }

    #[test]
    fn parse_trims_one_newline_and_refuses_bad_keys() {
        assert_eq!(ApiKey::parse("abc\n").unwrap().expose(), "abc");
        assert_eq!(ApiKey::parse("abc\r\n").unwrap().expose(), "abc");
        assert!(ApiKey::parse("abc\n\n").is_err());
        assert!(ApiKey::parse("").is_err());
        assert!(ApiKey::parse("\n").is_err());
        assert!(ApiKey::parse("a b").is_err());
    }

    #[test]
    fn resolve_needs_a_key() {
        assert!(
            matches!(resolve(None), Err(Error::NoKey(m)) if m.contains("miiflow login") && m.contains(ENV_KEY))
        );
        assert!(matches!(resolve(Some("".into())), Err(Error::NoKey(_))));
        assert_eq!(resolve(Some("k_123".into())).unwrap().1, Origin::Env);
    }
}
