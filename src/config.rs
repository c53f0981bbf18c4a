//! The profiles file: per profile the base URL, the key's id and name, and where its secret is
//! stored. Never the secret itself (the opt-in plain file lives beside it, not in it).
//! Writes are atomic: a temporary file in the same folder, renamed over the old one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::error::Error;

pub const CONFIG_DIR_ENV: &str = "MIIFLOW_CONFIG_DIR";
pub const DEFAULT_PROFILE: &str = "default";

/// Where a profile's secret lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Storage {
    /// The OS keyring: service `miiflow`, account = the profile's name.
    Keyring,
    /// `credentials/PROFILE.key` in the config folder, mode 0600 in a 0700 folder.
    PlainFile,
}

impl Storage {
    /// The name in the config file and in `status --json`.
    pub fn id(self) -> &'static str {
        match self {
            Storage::Keyring => "keyring",
            Storage::PlainFile => "plain-file",
        }
    }

    /// The words for people.
    pub fn describe(self) -> &'static str {
        match self {
            Storage::Keyring => "keyring",
            Storage::PlainFile => "plain file",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Storage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// The config folder: `MIIFLOW_CONFIG_DIR`, else the platform's (`~/.config/miiflow` on Linux).
pub fn dir() -> anyhow::Result<PathBuf> {
    if let Some(d) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    directories::ProjectDirs::from("ai", "miiflow", "miiflow")
        .map(|p| p.config_dir().to_owned())
        .context("cannot find a home folder for miiflow's config; set MIIFLOW_CONFIG_DIR")
}

/// Profile names become keyring accounts and file names: keep them plain.
pub fn check_profile_name(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::BadInput(format!(
            "profile name '{name}': use up to 64 letters, digits, '_', '-' or '.', not starting with '.' or '-'"
        )))
    }
}

/// Creates a folder readable by its owner only.
pub fn private_dir(path: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict {}", path.display()))?;
    }
    Ok(())
}

/// Writes a file atomically with owner-only permissions.
pub fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = path.parent().context("a file path has a folder")?;
    private_dir(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".miiflow-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    // tempfile creates files 0600 on Unix already; the contents go in only after that.
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

impl Config {
    pub fn path(dir: &Path) -> PathBuf {
        dir.join("config.toml")
    }

    pub fn load(dir: &Path) -> anyhow::Result<Config> {
        let path = Config::path(dir);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                toml::from_str(&text).with_context(|| format!("cannot read {}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    pub fn save(&self, dir: &Path) -> anyhow::Result<()> {
        let text = format!(
            "# miiflow profiles. Secrets are never stored here: see `miiflow status`.\n{}",
            toml::to_string(self).context("cannot encode the config")?
        );
        write_private(&Config::path(dir), text.as_bytes())
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_never_holds_a_secret_field() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        config.profiles.insert(
            "ci".into(),
            Profile {
                base_url: Some("https://example.com".into()),
                storage: Some(Storage::PlainFile),
                key_id: Some("key_1".into()),
                key_name: Some("ci".into()),
            },
        );
        config.save(dir.path()).unwrap();
        let text = std::fs::read_to_string(Config::path(dir.path())).unwrap();
        assert!(text.contains("storage = \"plain-file\""), "{text}");
        assert_eq!(Config::load(dir.path()).unwrap(), config);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(Config::path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn missing_file_is_an_empty_config() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(dir.path()).unwrap(), Config::default());
    }

    #[test]
    fn profile_names() {
        for ok in ["default", "ci", "prod-2", "a.b_c"] {
            assert!(check_profile_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".hidden", "-x", "a/b", "a b", &"x".repeat(65)] {
            assert!(check_profile_name(bad).is_err(), "{bad}");
        }
    }
}
