//! The opt-in plain-file store (`login --insecure-storage`): `credentials/PROFILE.key` in the
//! config folder, mode 0600 in a 0700 folder, written atomically. For machines with no keyring.

use std::path::PathBuf;

use super::{ApiKey, Store, StoreError};

pub(crate) struct PlainFileStore {
    dir: PathBuf,
}

impl PlainFileStore {
    /// A store in `config_dir/credentials`.
    pub(crate) fn new(config_dir: &std::path::Path) -> PlainFileStore {
        PlainFileStore {
            dir: config_dir.join("credentials"),
        }
    }

    pub(crate) fn path(&self, profile: &str) -> PathBuf {
        self.dir.join(format!("{profile}.key"))
    }
}

impl Store for PlainFileStore {
    fn get(&self, profile: &str) -> Result<Option<ApiKey>, StoreError> {
        let path = self.path(profile);
        match std::fs::read_to_string(&path) {
            Ok(text) => ApiKey::parse(&text).map(Some).map_err(|why| {
                StoreError::Other(format!(
                    "{}: the stored key is unusable: {why}",
                    path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Other(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// Callers hold the config lock (see `config::update`), which is what makes a temporary
    /// file left by a killed writer safe to sweep away.
    fn set(&self, profile: &str, key: &ApiKey) -> Result<(), StoreError> {
        crate::fs::private_dir(&self.dir)
            .and_then(|()| crate::fs::write_private(&self.path(profile), key.expose().as_bytes()))
            .map_err(|e| StoreError::Other(format!("{e:#}")))
    }

    fn delete(&self, profile: &str) -> Result<bool, StoreError> {
        match std::fs::remove_file(self.path(profile)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(StoreError::Other(format!(
                "cannot remove {}: {e}",
                self.path(profile).display()
            ))),
        }
    }

    fn describe(&self) -> &'static str {
        "a plain file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_with_private_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let store = PlainFileStore::new(dir.path());
        let key = ApiKey::parse("mk_plain_0123456789").unwrap();
        assert!(store.get("p").unwrap().is_none());
        store.set("p", &key).unwrap();
        assert_eq!(store.get("p").unwrap().unwrap().expose(), key.expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode =
                |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&store.path("p")), 0o600);
            assert_eq!(mode(&dir.path().join("credentials")), 0o700);
        }
        assert!(store.delete("p").unwrap());
        assert!(!store.delete("p").unwrap());
    }
}
