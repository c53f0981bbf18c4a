//! The OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows),
//! through keyring-core and the platform's store crate: service `miiflow`, account = the profile's name. Every call runs
//! on its own thread under a timeout, so a locked or absent keyring cannot hang a CI job.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};

use super::{ApiKey, Store, StoreError};

pub(crate) const SERVICE: &str = "miiflow";
/// Seconds a keyring call may take (default 5).
pub(crate) const TIMEOUT_ENV: &str = "MIIFLOW_KEYRING_TIMEOUT";
/// `off`: this process never touches the OS keyring (`miiflow-mock exec` sets it, so that
/// trying miiflow against the stand-in cannot replace a real profile's key).
pub(crate) const OFF_ENV: &str = "MIIFLOW_KEYRING";

#[derive(Clone)]
enum Backend {
    /// The platform's store, set up on first use.
    Native,
    /// A given store: keyring-core's mock in unit tests.
    #[cfg(test)]
    Custom(Arc<CredentialStore>),
}

pub(crate) struct KeyringStore {
    backend: Backend,
    timeout: Duration,
}

impl KeyringStore {
    pub(crate) fn native() -> KeyringStore {
        let timeout = crate::env::var(TIMEOUT_ENV)
            .and_then(|s| s.parse::<f64>().ok())
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .unwrap_or(Duration::from_secs(5));
        KeyringStore {
            backend: Backend::Native,
            timeout,
        }
    }

    #[cfg(test)]
    pub(crate) fn with_store(store: Arc<CredentialStore>) -> KeyringStore {
        KeyringStore {
            backend: Backend::Custom(store),
            timeout: Duration::from_secs(5),
        }
    }

    fn call<T: Send + 'static>(
        &self,
        profile: &str,
        op: impl FnOnce(&Entry) -> keyring_core::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        if crate::env::var(OFF_ENV).is_some_and(|v| v == "off") {
            return Err(StoreError::Unavailable(format!(
                "{OFF_ENV}=off says not to use it here (miiflow-mock exec sets it: the stand-in's \
                 keys stay out of your keyring)"
            )));
        }
        let backend = self.backend.clone();
        let profile = profile.to_owned();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let result = entry(&backend, &profile).and_then(|e| op(&e));
            let _ = tx.send(result);
        });
        match rx.recv_timeout(self.timeout) {
            Ok(result) => result.map_err(|e| describe(&e)),
            Err(_) => Err(StoreError::Unavailable(format!(
                "the keyring did not answer within {} s (is it locked, waiting on a prompt?)",
                self.timeout.as_secs_f64()
            ))),
        }
    }
}

fn entry(backend: &Backend, profile: &str) -> keyring_core::Result<Entry> {
    match backend {
        Backend::Native => match &*NATIVE {
            Ok(store) => store.build(SERVICE, profile, None),
            Err(e) => Err(clone_error(e)),
        },
        #[cfg(test)]
        Backend::Custom(store) => store.build(SERVICE, profile, None),
    }
}

/// The platform's store, set up once per process (on the first keyring call's thread).
static NATIVE: std::sync::LazyLock<keyring_core::Result<Arc<CredentialStore>>> =
    std::sync::LazyLock::new(native_store);

/// The store crates keyring-core's authors publish, used directly (as the `keyring` crate's
/// README advises applications to): Keychain, Credential Manager, Secret Service.
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    #[cfg(target_os = "macos")]
    let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
    #[cfg(windows)]
    let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
    #[cfg(all(unix, not(target_os = "macos")))]
    let store: Arc<CredentialStore> = dbus_secret_service_keyring_store::Store::new()?;
    #[cfg(any(unix, windows))]
    return Ok(store);
    #[cfg(not(any(unix, windows)))]
    Err(KeyringError::NotSupportedByStore(
        "no OS keyring on this platform; use login --insecure-storage".into(),
    ))
}

/// The store's set-up error is kept in a static; its words are what we need.
fn clone_error(e: &KeyringError) -> KeyringError {
    KeyringError::Invalid("keyring".into(), format!("{e} ({e:?})"))
}

/// Names the cause in the user's terms. The texts matched here are those measured on headless
/// Linux (see KEYRING-CI.md): no session bus, no provider, a locked keyring.
fn describe(e: &KeyringError) -> StoreError {
    let text = format!("{e} {e:?}");
    let lower = text.to_lowercase();
    let cause = if lower.contains("org.freedesktop.secrets") || lower.contains("serviceunknown") {
        "no Secret Service provider is running on the D-Bus session (such as gnome-keyring or KeePassXC)"
            .to_owned()
    } else if lower.contains("failed to connect")
        || lower.contains("dbus_session_bus_address")
        || lower.contains("connection refused")
        || lower.contains("no such file or directory")
    {
        "there is no D-Bus session bus to reach a Secret Service (usual on a headless or CI machine)"
            .to_owned()
    } else if lower.contains("prompt") || lower.contains("dismissed") {
        "the keyring is locked and the unlock prompt could not be shown or was dismissed".to_owned()
    } else if matches!(e, KeyringError::NoStorageAccess(_)) || lower.contains("locked") {
        format!("the keyring is locked or refused access ({e})")
    } else if matches!(
        e,
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..)
    ) {
        return StoreError::Other("the stored key is not readable text".into());
    } else {
        format!("{e}")
    };
    StoreError::Unavailable(cause)
}

impl Store for KeyringStore {
    fn get(&self, profile: &str) -> Result<Option<ApiKey>, StoreError> {
        let found = self.call(profile, |e| match e.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(err) => Err(err),
        })?;
        match found {
            Some(secret) => ApiKey::parse(&secret).map(Some).map_err(|why| {
                StoreError::Other(format!(
                    "the key stored for profile '{profile}' is unusable: {why}"
                ))
            }),
            None => Ok(None),
        }
    }

    fn set(&self, profile: &str, key: &ApiKey) -> Result<(), StoreError> {
        let secret = key.clone();
        self.call(profile, move |e| e.set_password(secret.expose()))
    }

    fn delete(&self, profile: &str) -> Result<bool, StoreError> {
        self.call(profile, |e| match e.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(err) => Err(err),
        })
    }

    fn describe(&self) -> &'static str {
        "the OS keyring"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_named() {
        let platform =
            |s: &str| KeyringError::PlatformFailure(Box::new(std::io::Error::other(s.to_owned())));
        let cases = [
            (
                platform("zbus error: Failed to connect to address unix:path=/run/user/0/bus"),
                "no D-Bus session bus",
            ),
            (
                platform("ServiceUnknown: The name org.freedesktop.secrets was not provided"),
                "no Secret Service provider",
            ),
            (
                KeyringError::NoStorageAccess(Box::new(std::io::Error::other("prompt dismissed"))),
                "unlock prompt",
            ),
            (
                KeyringError::NoStorageAccess(Box::new(std::io::Error::other("NoResult"))),
                "locked",
            ),
        ];
        for (err, want) in cases {
            match describe(&err) {
                StoreError::Unavailable(m) => assert!(m.contains(want), "{m}"),
                other => panic!("{other:?}"),
            }
        }
    }
}
