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
    /// `false`: runs with this profile are not recorded in the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<bool>,
    /// Aliases that only this profile sees (they hide global ones of the same name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub agents: BTreeMap<String, Alias>,
}

/// `miiflow agents add NAME ID [--workflow] [ITEM…]`: a name for an agent or a workflow, and
/// items merged into every run of it (before the command line's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub id: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub workflow: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// `false`: no run is recorded in the history (a profile may say otherwise for itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<bool>,
    /// Aliases for every profile.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub agents: BTreeMap<String, Alias>,
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

/// Creates a folder (and its parents) readable by its owner only, when it does not exist yet.
/// An existing folder is left as it is: its owner chose its mode.
pub fn ensure_dir(path: &Path) -> anyhow::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(path)
        .with_context(|| format!("cannot create {}", path.display()))
}

/// The folder that holds plain-file keys: created if needed, and kept 0700 whatever it was.
pub fn private_dir(path: &Path) -> anyhow::Result<()> {
    ensure_dir(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict {}", path.display()))?;
    }
    Ok(())
}

/// Prefix of the temporary files that atomic writes rename into place.
const TEMP_PREFIX: &str = ".miiflow-";

/// Writes a file atomically with owner-only permissions: a temporary file in the same folder,
/// renamed over the old one. A symlink stays a symlink: the file it points to is replaced.
pub fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let dir = path.parent().context("a file path has a folder")?;
    ensure_dir(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    // tempfile creates files 0600 on Unix already; the contents go in only after that.
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// How long a command waits for another miiflow that is changing the config.
pub const LOCK_TIMEOUT_ENV: &str = "MIIFLOW_LOCK_TIMEOUT";
const LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Holds `config.lock` in the config folder: an advisory lock that serialises every change to
/// the config and the credentials folder among miiflow processes. Released on drop (and by
/// the OS when a process dies).
pub struct Lock {
    _file: std::fs::File,
}

pub fn lock(dir: &Path) -> anyhow::Result<Lock> {
    ensure_dir(dir)?;
    let path = dir.join("config.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let timeout = std::env::var(LOCK_TIMEOUT_ENV)
        .ok()
        .and_then(|t| t.parse::<f64>().ok())
        .and_then(|t| std::time::Duration::try_from_secs_f64(t).ok())
        .unwrap_or(LOCK_TIMEOUT);
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Lock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "another miiflow process has held {} for {} s while changing the config; \
                 nothing was changed. Try again when it is done (or raise {LOCK_TIMEOUT_ENV})",
                path.display(),
                timeout.as_secs_f64()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
}

/// Changes the config under [`lock`]: reads it afresh (another process may have changed it),
/// applies `change`, writes it back, and clears the credentials folder of anything no profile
/// records. Returns the config as written.
pub fn update<T>(
    dir: &Path,
    change: impl FnOnce(&mut Config) -> anyhow::Result<T>,
) -> anyhow::Result<(Config, T)> {
    let _lock = lock(dir)?;
    let mut config = Config::load(dir)?;
    let out = change(&mut config)?;
    config.save(dir)?;
    sweep(dir, &config);
    Ok((config, out))
}

/// Under the lock no other process is writing: a temporary file in the credentials folder is
/// left from a process that was killed, and a key file that no profile records is an orphan.
/// Both go.
fn sweep(dir: &Path, config: &Config) {
    let creds = dir.join("credentials");
    let Ok(entries) = std::fs::read_dir(&creds) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let recorded = name.strip_suffix(".key").is_some_and(|profile| {
            config
                .profile(profile)
                .is_some_and(|p| p.storage == Some(Storage::PlainFile))
        });
        let ours = name.starts_with(TEMP_PREFIX) || name.ends_with(".key");
        if ours && !recorded {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// True when others than the owner (and the group) may write the config: anyone could
/// then point a profile at their own server.
pub fn writable_by_others(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(Config::path(dir)).is_ok_and(|m| m.permissions().mode() & 0o002 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
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

    /// Drops a profile whose key is forgotten; one that also holds aliases or a history
    /// setting keeps them (and its base URL), less its key fields. True if there was something to forget.
    pub fn forget_profile(&mut self, name: &str) -> bool {
        let Some(p) = self.profiles.get_mut(name) else {
            return false;
        };
        if p.agents.is_empty() && p.history.is_none() {
            self.profiles.remove(name);
            return true;
        }
        let had_key = p.storage.is_some() || p.key_id.is_some();
        p.storage = None;
        p.key_id = None;
        p.key_name = None;
        had_key
    }

    /// Whether runs with `profile` are recorded: the profile's `history`, else the global one,
    /// else yes.
    pub fn history(&self, profile: &str) -> bool {
        self.profile(profile)
            .and_then(|p| p.history)
            .or(self.history)
            .unwrap_or(true)
    }

    /// The alias `name` as `profile` sees it: its own, else a global one.
    pub fn alias(&self, profile: &str, name: &str) -> Option<&Alias> {
        self.profile(profile)
            .and_then(|p| p.agents.get(name))
            .or_else(|| self.agents.get(name))
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
                ..Profile::default()
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
