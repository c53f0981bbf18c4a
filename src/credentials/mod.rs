//! The API key: a redacting secret type from the moment it is read, and where it comes from.

mod keyring;
mod plain;

use std::ffi::OsString;

use secrecy::{ExposeSecret, SecretString};

pub(crate) use self::keyring::KeyringStore;
pub(crate) use self::plain::PlainFileStore;
use crate::config::{Config, DEFAULT_PROFILE, Storage};
use crate::error::Error;

/// The environment variable that carries a key for scripts and CI.
pub(crate) const ENV_KEY: &str = "MIIFLOW_API_KEY";

/// An API key. `Debug` prints `[REDACTED]`; the secret is reached only through
/// [`ApiKey::expose`], at the one place that builds the `Authorization` header.
#[derive(Clone)]
pub(crate) struct ApiKey(SecretString);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

impl ApiKey {
    /// Checks a key as typed or piped: one trailing newline is dropped; empty keys and keys
    /// with white space inside are refused.
    pub(crate) fn parse(text: &str) -> Result<ApiKey, String> {
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

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The shortest key that is masked in texts: a shorter one (`--key test` for the
    /// stand-in) would mask ordinary words, and is too short to be a secret anyway.
    pub(crate) const MIN_MASKED: usize = 12;

    /// Whether this key is long enough to be masked wherever a text repeats it.
    pub(crate) fn maskable(&self) -> bool {
        self.expose().chars().count() >= Self::MIN_MASKED
    }

    /// What is searched for in texts to mask: the key, or nothing for a key too short to mask.
    pub(crate) fn searched(&self) -> &str {
        match self.maskable() {
            true => self.expose(),
            false => "",
        }
    }

    /// `text` with this key masked wherever it appears (when it is long enough to mask).
    pub(crate) fn mask_in(&self, text: &str) -> String {
        crate::output::safe::mask(text, self.searched(), &self.masked())
    }

    /// How this key is hidden in quoted text ([`crate::output::safe::Quoted`]).
    pub(crate) fn mask(&self) -> crate::output::safe::Mask {
        crate::output::safe::Mask::new(self.searched(), &self.masked())
    }

    /// `mk_…abcd`: enough to tell keys apart, never enough to use one. Keys shorter than
    /// 12 characters show no tail at all.
    pub(crate) fn masked(&self) -> String {
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

/// Why a store could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StoreError {
    /// The store cannot be used here at all; the text names the cause.
    Unavailable(String),
    /// Anything else (I/O, an unreadable entry).
    Other(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(m) => write!(f, "cannot use the OS keyring: {m}"),
            StoreError::Other(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for StoreError {}

/// The two ways on when the keyring cannot be used.
pub(crate) const WAYS_ON: &str = "set MIIFLOW_API_KEY for this shell or CI job, or run `miiflow login \
     --insecure-storage` to keep the key in a plain file (mode 0600) instead";

/// Where secrets are kept, by profile name.
pub(crate) trait Store {
    fn get(&self, profile: &str) -> Result<Option<ApiKey>, StoreError>;
    fn set(&self, profile: &str, key: &ApiKey) -> Result<(), StoreError>;
    /// True when there was something to delete.
    fn delete(&self, profile: &str) -> Result<bool, StoreError>;
    /// For messages: "the OS keyring", "a plain file".
    fn describe(&self) -> &'static str;
}

/// Where the key a command uses came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    Env,
    Stored(Storage),
}

/// The key a command will send, and the profile whose settings apply.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) key: ApiKey,
    pub(crate) origin: Origin,
    pub(crate) profile: String,
    /// A stored key that `MIIFLOW_API_KEY` hides, by profile name.
    pub(crate) hidden: Option<String>,
}

/// What key resolution looks at.
pub(crate) struct Sources<'a> {
    /// `--profile` on the command line.
    pub(crate) explicit_profile: Option<&'a str>,
    /// `MIIFLOW_API_KEY`.
    pub(crate) env_key: Option<OsString>,
    /// `MIIFLOW_PROFILE`.
    pub(crate) env_profile: Option<&'a str>,
    pub(crate) config: &'a Config,
    pub(crate) keyring: &'a dyn Store,
    pub(crate) plain: &'a dyn Store,
}

/// The key for a command: an explicit `--profile`'s stored key; else `MIIFLOW_API_KEY`; else
/// the stored key of `MIIFLOW_PROFILE` or `default`.
pub(crate) fn resolve(s: &Sources) -> Result<Resolved, Error> {
    let profile = s
        .explicit_profile
        .or(s.env_profile)
        .unwrap_or(DEFAULT_PROFILE);
    let env_key = s.env_key.clone().filter(|v| !v.is_empty());
    if let (None, Some(raw)) = (s.explicit_profile, env_key) {
        let text = raw
            .into_string()
            .map_err(|_| Error::NoKey(format!("{ENV_KEY} is not valid UTF-8")))?;
        let key = ApiKey::parse(&text).map_err(|why| Error::NoKey(format!("{ENV_KEY}: {why}")))?;
        let hidden = s
            .config
            .profile(profile)
            .and_then(|p| p.storage)
            .map(|_| profile.to_owned());
        return Ok(Resolved {
            key,
            origin: Origin::Env,
            profile: profile.to_owned(),
            hidden,
        });
    }
    match stored(s, profile)? {
        Some((key, storage)) => Ok(Resolved {
            key,
            origin: Origin::Stored(storage),
            profile: profile.to_owned(),
            hidden: None,
        }),
        None if s.explicit_profile.is_some() => Err(Error::NoKey(format!(
            "profile '{profile}' has no stored key: run `miiflow login --profile {profile}`"
        ))),
        None => Err(Error::NoKey(format!(
            "no API key: run `miiflow login`, or set {ENV_KEY} (for scripts and CI)"
        ))),
    }
}

/// A profile's stored key, if the config says it has one.
fn stored(s: &Sources, profile: &str) -> Result<Option<(ApiKey, Storage)>, Error> {
    let Some(storage) = s.config.profile(profile).and_then(|p| p.storage) else {
        return Ok(None);
    };
    let store = match storage {
        Storage::Keyring => s.keyring,
        Storage::PlainFile => s.plain,
    };
    match store.get(profile) {
        Ok(Some(key)) => Ok(Some((key, storage))),
        Ok(None) => Err(Error::NoKey(format!(
            "profile '{profile}' is recorded as logged in, but its key is gone from {}: run \
             `miiflow login --profile {profile}` again",
            store.describe()
        ))),
        Err(StoreError::Unavailable(cause)) => Err(Error::NoKey(format!(
            "the keyring could not be reached to look for profile '{profile}''s key: {cause}; \
             {WAYS_ON}"
        ))),
        Err(StoreError::Other(m)) => Err(Error::NoKey(m)),
    }
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

    use crate::config::Profile;

    struct Memory(
        std::cell::RefCell<std::collections::HashMap<String, String>>,
        Option<StoreError>,
    );

    impl Memory {
        fn with(entries: &[(&str, &str)]) -> Memory {
            let map = entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            Memory(std::cell::RefCell::new(map), None)
        }
    }

    impl Store for Memory {
        fn get(&self, profile: &str) -> Result<Option<ApiKey>, StoreError> {
            if let Some(e) = &self.1 {
                return Err(e.clone());
            }
            Ok(self
                .0
                .borrow()
                .get(profile)
                .map(|k| ApiKey::parse(k).unwrap()))
        }
        fn set(&self, profile: &str, key: &ApiKey) -> Result<(), StoreError> {
            self.0
                .borrow_mut()
                .insert(profile.into(), key.expose().into());
            Ok(())
        }
        fn delete(&self, profile: &str) -> Result<bool, StoreError> {
            Ok(self.0.borrow_mut().remove(profile).is_some())
        }
        fn describe(&self) -> &'static str {
            "memory"
        }
    }

    fn config(profiles: &[(&str, Storage)]) -> Config {
        let mut c = Config::default();
        for (name, storage) in profiles {
            c.profiles.insert(
                name.to_string(),
                Profile {
                    storage: Some(*storage),
                    ..Profile::default()
                },
            );
        }
        c
    }

    #[test]
    fn precedence_explicit_profile_then_env_then_active_profile() {
        let keyring = Memory::with(&[
            ("default", "k_default"),
            ("ci", "k_ci"),
            ("other", "k_other"),
        ]);
        let plain = Memory::with(&[]);
        let cfg = config(&[
            ("default", Storage::Keyring),
            ("ci", Storage::Keyring),
            ("other", Storage::Keyring),
        ]);
        let sources = |explicit, env: Option<&str>, env_profile| Sources {
            explicit_profile: explicit,
            env_key: env.map(OsString::from),
            env_profile,
            config: &cfg,
            keyring: &keyring,
            plain: &plain,
        };
        // (--profile, MIIFLOW_API_KEY, MIIFLOW_PROFILE) → (key, origin, hidden profile)
        type Case<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            &'a str,
            Origin,
            Option<&'a str>,
        );
        let table: &[Case] = &[
            (
                Some("ci"),
                Some("k_env"),
                None,
                "k_ci",
                Origin::Stored(Storage::Keyring),
                None,
            ),
            (
                None,
                Some("k_env"),
                None,
                "k_env",
                Origin::Env,
                Some("default"),
            ),
            (
                None,
                Some("k_env"),
                Some("nobody"),
                "k_env",
                Origin::Env,
                None,
            ),
            (
                None,
                None,
                Some("other"),
                "k_other",
                Origin::Stored(Storage::Keyring),
                None,
            ),
            (
                None,
                None,
                None,
                "k_default",
                Origin::Stored(Storage::Keyring),
                None,
            ),
            (
                None,
                Some(""),
                None,
                "k_default",
                Origin::Stored(Storage::Keyring),
                None,
            ),
        ];
        for (explicit, env, env_profile, key, origin, hidden) in table {
            let r = resolve(&sources(*explicit, *env, *env_profile)).unwrap();
            assert_eq!(r.key.expose(), *key, "{explicit:?} {env:?} {env_profile:?}");
            assert_eq!(&r.origin, origin);
            assert_eq!(r.hidden.as_deref(), *hidden);
        }
    }

    #[test]
    fn no_key_says_where_it_looked() {
        let empty = Memory::with(&[]);
        let cfg = Config::default();
        let s = Sources {
            explicit_profile: None,
            env_key: None,
            env_profile: None,
            config: &cfg,
            keyring: &empty,
            plain: &empty,
        };
        assert!(
            matches!(resolve(&s), Err(Error::NoKey(m)) if m.contains("miiflow login") && m.contains(ENV_KEY))
        );
        let s = Sources {
            explicit_profile: Some("ci"),
            ..s
        };
        assert!(matches!(resolve(&s), Err(Error::NoKey(m)) if m.contains("--profile ci")));
    }

    #[test]
    fn an_unreachable_keyring_is_no_key_and_says_so() {
        let broken = Memory(
            Default::default(),
            Some(StoreError::Unavailable("no bus".into())),
        );
        let cfg = config(&[("default", Storage::Keyring)]);
        let s = Sources {
            explicit_profile: None,
            env_key: None,
            env_profile: None,
            config: &cfg,
            keyring: &broken,
            plain: &broken,
        };
        let err = resolve(&s).unwrap_err();
        assert!(
            matches!(&err, Error::NoKey(m) if m.contains("could not be reached") && m.contains("no bus")),
            "{err}"
        );
    }

    #[test]
    fn only_keys_long_enough_to_be_secrets_are_masked_in_texts() {
        let long = ApiKey::parse("mk_live_0123456789abcd").unwrap();
        assert!(long.maskable());
        assert_eq!(long.mask_in("a mk_live_0123456789abcd b"), "a mk_…abcd b");
        let short = ApiKey::parse("test").unwrap();
        assert!(!short.maskable());
        assert_eq!(short.searched(), "");
        assert_eq!(short.mask_in("testing the test"), "testing the test");
    }
}
