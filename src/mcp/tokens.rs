//! `miiflow mcp token create | list | revoke`: the bearer tokens `mcp serve --http` accepts.
//! A token's secret is kept where the API key is (the OS keyring, or the plain file with
//! `--insecure-storage`) and shown once; config.toml records its name, store, date and BLAKE3
//! digest. A running server accepts a token whose digest config.toml lists now (re-read when
//! the file changes: a revoked token is refused at once), or `MIIFLOW_MCP_TOKEN`.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::SystemTime;

use crate::config::Config;
use crate::error::Error;

/// A new token: `mcp_` and 256 bits from the OS, in hex.
pub(crate) fn new_secret() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Network(format!("cannot get random bytes from the OS: {e}")))?;
    let mut text = String::from("mcp_");
    for b in bytes {
        text.push_str(&format!("{b:02x}"));
    }
    Ok(text)
}

/// Token names are keyring accounts and file names: kept plain.
pub(crate) fn check_name(name: &str) -> Result<(), Error> {
    crate::config::check_profile_name(name)
        .map_err(|_| Error::BadInput(format!("token name '{name}': use up to 64 letters, digits, '_', '-' or '.', not starting with '.' or '-'")))
}

/// The config file's stamp (modified, length) when its digests were read, and the digests.
type Listed = (Option<(SystemTime, u64)>, Vec<blake3::Hash>);

/// What a running server accepts: `MIIFLOW_MCP_TOKEN`'s digest, and the digests config.toml
/// lists, read again whenever the file changes.
pub(crate) struct Accepted {
    env: Option<blake3::Hash>,
    config_dir: PathBuf,
    listed: Mutex<Listed>,
}

impl Accepted {
    pub(crate) fn new(env: Option<blake3::Hash>, config_dir: PathBuf) -> Accepted {
        let accepted = Accepted {
            env,
            config_dir,
            listed: Mutex::new((None, Vec::new())),
        };
        accepted.refresh();
        accepted
    }

    /// How many tokens are accepted now.
    pub(crate) fn count(&self) -> usize {
        self.refresh();
        let listed = self.listed.lock().unwrap_or_else(|e| e.into_inner());
        listed.1.len() + usize::from(self.env.is_some())
    }

    fn refresh(&self) {
        let path = Config::path(&self.config_dir);
        let stamp = std::fs::metadata(&path)
            .ok()
            .and_then(|m| Some((m.modified().ok()?, m.len())));
        let mut listed = self.listed.lock().unwrap_or_else(|e| e.into_inner());
        if listed.0 == stamp && stamp.is_some() {
            return;
        }
        // Unreadable or gone: no stored token is accepted (the environment's still is).
        let digests = Config::load(&self.config_dir)
            .ok()
            .and_then(|c| c.mcp)
            .map(|m| {
                m.tokens
                    .values()
                    .filter_map(|t| blake3::Hash::from_hex(&t.blake3).ok())
                    .collect()
            })
            .unwrap_or_default();
        *listed = (stamp, digests);
    }

    /// Whether `presented` is a live token (digests compared in constant time).
    pub(crate) fn accepts(&self, presented: &str) -> bool {
        let digest = blake3::hash(presented.as_bytes());
        if self.env.is_some_and(|e| e == digest) {
            return true;
        }
        self.refresh();
        let listed = self.listed.lock().unwrap_or_else(|e| e.into_inner());
        listed
            .1
            .iter()
            .fold(false, |found, d| found | (*d == digest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_random_bits_and_never_the_same() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert!(a.starts_with("mcp_") && a[4..].bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
