//! The profiles file: per profile the base URL, the key's id and name, and where its secret is
//! stored. Never the secret itself (the opt-in plain file lives beside it, not in it).
//! Writes are atomic: a temporary file in the same folder, renamed over the old one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::fs;
use crate::target::RunTarget;

pub(crate) const CONFIG_DIR_ENV: &str = "MIIFLOW_CONFIG_DIR";
pub(crate) const DEFAULT_PROFILE: &str = "default";

/// Where a profile's secret lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Storage {
    /// The OS keyring: service `miiflow`, account = the profile's name.
    Keyring,
    /// `credentials/PROFILE.key` in the config folder, mode 0600 in a 0700 folder.
    PlainFile,
}

impl Storage {
    /// The name in the config file and in `status --json`.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Storage::Keyring => "keyring",
            Storage::PlainFile => "plain-file",
        }
    }

    /// The words for people.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Storage::Keyring => "keyring",
            Storage::PlainFile => "plain file",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) storage: Option<Storage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) key_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) key_name: Option<String>,
    /// `false`: runs with this profile are not recorded in the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) history: Option<bool>,
    /// Aliases that only this profile sees (they hide global ones of the same name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) agents: BTreeMap<String, Alias>,
}

/// `miiflow agents add NAME ID [--workflow] [ITEM…]`: a name for an agent or a workflow, and
/// items merged into every run of it (before the command line's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Alias {
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) workflow: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) items: Vec<String>,
    /// What it does, for people and for AI assistants (`mcp serve`'s tool description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    /// Its declared parameters, `name:type` or `name:type?` (`mcp serve`'s input schema).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) params: Vec<String>,
    /// A JSON Schema file (absolute path) a 2xx answer must fit: `mcp serve`'s output schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) output_schema: Option<String>,
}

/// `[mcp]`: what `miiflow mcp serve` offers when no `--tool` is given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct McpConfig {
    /// The aliases served as tools (all the profile sees when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) tools: Vec<String>,
    /// `mcp token create NAME`: where each token's secret is kept (never here).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) tokens: BTreeMap<String, McpToken>,
}

/// An `mcp serve --http` token: its secret is in `storage` under [`McpToken::account`]; here
/// only its BLAKE3 digest, which a running server compares with what a request presents (so
/// it needs no keyring, and sees a revoked token go at once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct McpToken {
    pub(crate) storage: Storage,
    pub(crate) created: String,
    pub(crate) blake3: String,
}

impl McpToken {
    /// The store's account for token NAME: `+` is in no profile's name, so no profile's key
    /// can be taken for a token, nor the other way round.
    pub(crate) fn account(name: &str) -> String {
        format!("mcp-token+{name}")
    }
}

impl Alias {
    /// What the alias runs.
    pub(crate) fn target(&self) -> Result<RunTarget, Error> {
        match self.workflow {
            true => RunTarget::workflow(&self.id),
            false => Ok(RunTarget::Agent(self.id.clone())),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Config {
    /// `false`: no run is recorded in the history (a profile may say otherwise for itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) history: Option<bool>,
    /// Aliases for every profile.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) agents: BTreeMap<String, Alias>,
    #[serde(default)]
    pub(crate) profiles: BTreeMap<String, Profile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) mcp: Option<McpConfig>,
}

/// The config folder: `MIIFLOW_CONFIG_DIR`, else the platform's (`~/.config/miiflow` on Linux).
pub(crate) fn dir() -> anyhow::Result<PathBuf> {
    if let Some(d) = crate::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    directories::ProjectDirs::from("ai", "miiflow", "miiflow")
        .map(|p| p.config_dir().to_owned())
        .context("cannot find a home folder for miiflow's config; set MIIFLOW_CONFIG_DIR")
}

/// Profile names become keyring accounts and file names: keep them plain.
pub(crate) fn check_profile_name(name: &str) -> Result<(), Error> {
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

/// Changes the config under [`fs::lock`]: reads it afresh (another process may have changed it),
/// applies `change`, writes it back, and clears the credentials folder of anything no profile
/// records. Returns the config as written.
pub(crate) fn update<T>(
    dir: &Path,
    change: impl FnOnce(&mut Config) -> anyhow::Result<T>,
) -> anyhow::Result<(Config, T)> {
    let _lock = fs::lock(dir)?;
    let path = Config::path(dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut config = match &text {
        Some(t) => Config::parse(t, &path)?,
        None => Config::default(),
    };
    let before = config.clone();
    let out = change(&mut config)?;
    if config != before || text.is_none() {
        let edited = edit(text.as_deref(), &before, &config)?;
        fs::write_private(&path, edited.as_bytes())?;
    }
    sweep(dir, &config);
    Ok((config, out))
}

/// The config file's text after a change from `before` to `after`, edited in place: what the
/// change did not touch (the user's comments, layout, and keys miiflow does not know) stays
/// byte for byte. Each key's value is compared as miiflow writes it: a key whose value changed
/// is replaced, one the change removed is removed, one it added is added.
fn edit(text: Option<&str>, before: &Config, after: &Config) -> anyhow::Result<String> {
    let header = "# miiflow profiles. Secrets are never stored here: see `miiflow status`.\n";
    let mut doc: toml_edit::DocumentMut = match text {
        Some(t) => t.parse().context("cannot read the config to change it")?,
        None => toml_edit::DocumentMut::new(),
    };
    let as_doc = |c: &Config| -> anyhow::Result<toml_edit::DocumentMut> {
        toml_edit::ser::to_string(c)
            .context("cannot encode the config")?
            .parse()
            .context("cannot encode the config")
    };
    let (mut base, mut new) = (as_doc(before)?, as_doc(after)?);
    standard_tables(base.as_table_mut());
    standard_tables(&mut new);
    merge(doc.as_table_mut(), base.as_table(), new.as_table());
    Ok(match text {
        Some(_) => doc.to_string(),
        None => format!("{header}{doc}"),
    })
}

/// Tables written as `[a.b]` sections, as a person writes the config, not `b = { … }`.
fn standard_tables(table: &mut toml_edit::Table) {
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
    for key in keys {
        let Some(item) = table.get_mut(&key) else {
            continue;
        };
        if let Some(inline) = item.as_inline_table().cloned() {
            *item = toml_edit::Item::Table(inline.into_table());
        }
        if let Some(inner) = item.as_table_mut() {
            // A table of tables (`[profiles]`) needs no header of its own.
            inner.set_implicit(true);
            standard_tables(inner);
        }
    }
}

/// Makes `file` say what `new` says wherever `new` differs from `base` (see [`edit`]).
fn merge(
    file: &mut dyn toml_edit::TableLike,
    base: &dyn toml_edit::TableLike,
    new: &dyn toml_edit::TableLike,
) {
    let written = |item: Option<&toml_edit::Item>| {
        item.map(|i| {
            let mut i = i.clone();
            i.make_value();
            i.to_string().trim().to_owned()
        })
    };
    for (key, item) in new.iter() {
        let was = base.get(key);
        if let (Some(new_table), Some(file_table)) = (
            item.as_table_like(),
            file.get_mut(key).and_then(|i| i.as_table_like_mut()),
        ) {
            let empty = toml_edit::Table::new();
            let base_table = was.and_then(|b| b.as_table_like()).unwrap_or(&empty);
            merge(file_table, base_table, new_table);
            continue;
        }
        if file.contains_key(key) && written(was) == written(Some(item)) {
            continue;
        }
        match file.get_mut(key) {
            // A changed value keeps the comments around its key.
            Some(old) if old.is_value() && item.is_value() => {
                let decor = old.as_value().map(|v| v.decor().clone());
                *old = item.clone();
                if let (Some(decor), Some(v)) = (decor, old.as_value_mut()) {
                    *v.decor_mut() = decor;
                }
            }
            _ => {
                file.insert(key, item.clone());
            }
        }
    }
    let gone: Vec<String> = base
        .iter()
        .map(|(k, _)| k.to_owned())
        .filter(|k| !new.contains_key(k))
        .collect();
    for key in gone {
        file.remove(&key);
    }
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
            match profile.strip_prefix("mcp-token+") {
                Some(token) => config
                    .mcp
                    .as_ref()
                    .and_then(|m| m.tokens.get(token))
                    .is_some_and(|t| t.storage == Storage::PlainFile),
                None => config
                    .profile(profile)
                    .is_some_and(|p| p.storage == Some(Storage::PlainFile)),
            }
        });
        let ours = name.starts_with(fs::TEMP_PREFIX) || name.ends_with(".key");
        if ours && !recorded {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// True when others than the owner (and the group) may write the config: anyone could
/// then point a profile at their own server.
pub(crate) fn writable_by_others(dir: &Path) -> bool {
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
    pub(crate) fn path(dir: &Path) -> PathBuf {
        dir.join("config.toml")
    }

    pub(crate) fn load(dir: &Path) -> anyhow::Result<Config> {
        let path = Config::path(dir);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Reads `text` twice (the fuzz target): no panic, and the same result both times.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn fuzz_parse(text: &str) {
        let path = Path::new("config.toml");
        let once = Config::parse(text, path).map(|c| format!("{c:?}"));
        let twice = Config::parse(text, path).map(|c| format!("{c:?}"));
        assert_eq!(once.ok(), twice.ok());
    }

    fn parse(text: &str, path: &Path) -> anyhow::Result<Config> {
        toml_edit::de::from_str(text).with_context(|| format!("cannot read {}", path.display()))
    }

    pub(crate) fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// `keys delete`: drops the profile that held a revoked key; one that also holds aliases
    /// or a history setting keeps them (and its base URL), less its key fields.
    pub(crate) fn forget_profile(&mut self, name: &str) {
        let Some(p) = self.profiles.get_mut(name) else {
            return;
        };
        if p.agents.is_empty() && p.history.is_none() {
            self.profiles.remove(name);
            return;
        }
        self.forget_key(name);
    }

    /// `logout`: forgets a profile's key fields only; the rest (its base URL, aliases, history
    /// setting) is kept, and a profile left with nothing is dropped. True if there was a key
    /// to forget.
    pub(crate) fn forget_key(&mut self, name: &str) -> bool {
        let Some(p) = self.profiles.get_mut(name) else {
            return false;
        };
        let had_key = p.storage.is_some() || p.key_id.is_some();
        p.storage = None;
        p.key_id = None;
        p.key_name = None;
        if *p == Profile::default() {
            self.profiles.remove(name);
        }
        had_key
    }

    /// Whether runs with `profile` are recorded: the profile's `history`, else the global one,
    /// else yes.
    pub(crate) fn history(&self, profile: &str) -> bool {
        self.profile(profile)
            .and_then(|p| p.history)
            .or(self.history)
            .unwrap_or(true)
    }

    /// The alias `name` as `profile` sees it: its own, else a global one.
    pub(crate) fn alias(&self, profile: &str, name: &str) -> Option<&Alias> {
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
        let expected = config.clone();
        update(dir.path(), |c| {
            *c = expected;
            Ok(())
        })
        .unwrap();
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
    fn a_change_keeps_comments_layout_and_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let text = "\
# my miiflow setup
history = true   # keep runs

[profiles.ci]
# the staging server
base_url = \"https://staging.example\"
storage = \"keyring\"
team = \"data\"            # not miiflow's

[profiles.ci.agents.nightly]
id = \"wf_7\"
workflow = true

[extra]
anything = [1, 2]
";
        std::fs::write(Config::path(dir.path()), text).unwrap();
        update(dir.path(), |c| {
            c.profiles.get_mut("ci").unwrap().base_url = Some("https://prod.example".into());
            c.profiles.get_mut("ci").unwrap().key_id = Some("key_1".into());
            c.profiles.get_mut("ci").unwrap().agents.remove("nightly");
            Ok(())
        })
        .unwrap();
        let after = std::fs::read_to_string(Config::path(dir.path())).unwrap();
        let want = text
            .replace("https://staging.example", "https://prod.example")
            .replace(
                "[profiles.ci.agents.nightly]\nid = \"wf_7\"\nworkflow = true\n\n",
                "",
            );
        let want = want.replace(
            "team = \"data\"            # not miiflow's\n",
            "team = \"data\"            # not miiflow's\nkey_id = \"key_1\"\n",
        );
        assert_eq!(after, want);
        // Forgetting the profile's key keeps its base URL (logout forgets the key only).
        update(dir.path(), |c| {
            c.forget_key("ci");
            Ok(())
        })
        .unwrap();
        let after = std::fs::read_to_string(Config::path(dir.path())).unwrap();
        assert!(
            after.contains("base_url = \"https://prod.example\""),
            "{after}"
        );
        assert!(
            !after.contains("storage") && !after.contains("key_id"),
            "{after}"
        );
        assert!(
            after.contains("# the staging server") && after.contains("team"),
            "{after}"
        );
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

    #[test]
    fn a_change_that_changes_nothing_leaves_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# hand-written\n[profiles.ci]\nbase_url   =   \"https://x.example\"\n";
        std::fs::write(Config::path(dir.path()), text).unwrap();
        update(dir.path(), |_| Ok(())).unwrap();
        assert_eq!(
            std::fs::read_to_string(Config::path(dir.path())).unwrap(),
            text
        );
        update(dir.path(), |c| {
            c.profiles.entry("new".into()).or_default().history = Some(false);
            Ok(())
        })
        .unwrap();
        let after = std::fs::read_to_string(Config::path(dir.path())).unwrap();
        assert!(after.starts_with(text), "{after}");
        assert!(
            after.ends_with("[profiles.new]\nhistory = false\n"),
            "{after}"
        );
    }
}
