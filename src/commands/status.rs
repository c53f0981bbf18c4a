//! `miiflow status`: every profile, where its key comes from, masked. Exit 3 when the active
//! profile has no key.

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::StatusArgs;
use crate::config::Storage;
use crate::context::Context;
use crate::credentials::{ENV_KEY, Origin, StoreError};
use crate::output::safe::escape_controls;
use crate::ui::Ui;

/// What `status --json` says: the active key's source, then every profile.
#[derive(Debug, Serialize)]
struct Status {
    active_profile: String,
    /// `env`, `keyring`, `plain-file`, or none.
    active_source: Option<&'static str>,
    /// The key in `MIIFLOW_API_KEY`, masked, when it is the one in use.
    env_key: Option<String>,
    profiles: Vec<ProfileStatus>,
}

/// One profile as `status` shows it.
#[derive(Debug, Serialize)]
struct ProfileStatus {
    name: String,
    active: bool,
    /// The base URL, or why it cannot be used.
    base_url: String,
    /// Where it comes from: `--base-url`, `MIIFLOW_BASE_URL`, `profile` or `default`.
    base_url_source: &'static str,
    /// The profile's own base URL (config.toml), when it has one: what it uses without the
    /// flag or the variable.
    profile_base_url: Option<String>,
    storage: Option<&'static str>,
    /// The plain file that holds the key, for `plain-file`.
    path: Option<PathBuf>,
    /// The key, masked.
    key: Option<String>,
    key_id: Option<String>,
    key_name: Option<String>,
    /// Why the stored key cannot be read.
    error: Option<String>,
}

pub(crate) fn run(ctx: &Context, args: StatusArgs) -> anyhow::Result<()> {
    let active = ctx.active_profile()?;
    let resolved = ctx.resolve_key();
    let status = Status {
        profiles: profiles(ctx, &active),
        env_key: resolved
            .as_ref()
            .ok()
            .filter(|r| r.origin == Origin::Env)
            .map(|r| r.key.masked()),
        active_source: resolved.as_ref().ok().map(|r| match r.origin {
            Origin::Env => "env",
            Origin::Stored(s) => s.id(),
        }),
        active_profile: active,
    };
    match args.json {
        true => ctx.ui.line(&serde_json::to_string_pretty(&status)?)?,
        false => show(&ctx.ui, &status)?,
    }
    resolved.map(|_| ()).map_err(Into::into)
}

/// Every profile (the active one first when the config does not have it), its key read from
/// its store. One keyring failure is enough: it is not waited on again for every profile.
fn profiles(ctx: &Context, active: &str) -> Vec<ProfileStatus> {
    let mut names: Vec<String> = ctx.config.profiles.keys().cloned().collect();
    if !names.iter().any(|n| n == active) {
        names.insert(0, active.to_owned());
    }
    let mut keyring_down: Option<StoreError> = None;
    let mut profiles = Vec::new();
    for name in names {
        let profile = ctx.config.profile(&name).cloned().unwrap_or_default();
        let (key, error) = match profile.storage {
            None => (None, None),
            Some(Storage::Keyring) if keyring_down.is_some() => {
                (None, keyring_down.as_ref().map(|e| e.to_string()))
            }
            Some(storage) => match ctx.store(storage).get(&name) {
                Ok(Some(k)) => (Some(k.masked()), None),
                Ok(None) => {
                    let place = ctx.store(storage).describe();
                    (None, Some(format!("the key is gone from {place}")))
                }
                Err(e) => {
                    if matches!(e, StoreError::Unavailable(_)) {
                        keyring_down = Some(e.clone());
                    }
                    (None, Some(e.to_string()))
                }
            },
        };
        profiles.push(ProfileStatus {
            active: name == active,
            base_url: ctx
                .base_url(&name)
                .map(|u| u.to_string())
                .unwrap_or_else(|e| e.to_string()),
            base_url_source: match (ctx.opts.base_url.is_some(), ctx.env_base_url.is_some()) {
                (true, _) => "--base-url",
                (false, true) => crate::context::BASE_URL_ENV,
                _ if profile.base_url.is_some() => "profile",
                _ => "default",
            },
            profile_base_url: profile.base_url.clone(),
            storage: profile.storage.map(Storage::id),
            path: (profile.storage == Some(Storage::PlainFile)).then(|| ctx.plain.path(&name)),
            key,
            key_id: profile.key_id,
            key_name: profile.key_name,
            error,
            name,
        });
    }
    profiles
}

/// The same, for a person.
fn show(ui: &Ui, status: &Status) -> std::io::Result<()> {
    let active = &status.active_profile;
    match (&status.env_key, status.active_source) {
        (Some(k), _) => ui.line(&format!(
            "Active key: {ENV_KEY} ({k}), with profile '{active}''s settings"
        ))?,
        (None, Some(s)) => ui.line(&format!("Active key: profile '{active}' ({})", human(s)))?,
        (None, None) => ui.line(&format!("Active key: none (profile '{active}')"))?,
    }
    for p in &status.profiles {
        ui.line("")?;
        let marker = if p.active { " (active)" } else { "" };
        ui.line(&format!("{}{marker}", p.name))?;
        let from = match (p.base_url_source, &p.profile_base_url) {
            ("profile" | "default", _) => String::new(),
            (source, Some(own)) => format!(" (from {source}; the profile's own: {own})"),
            (source, None) => format!(" (from {source}; the profile has none of its own)"),
        };
        ui.line(&escape_controls(&format!(
            "  base URL  {}{from}",
            p.base_url
        )))?;
        let key = match (&p.key, p.storage, &p.error) {
            (Some(k), Some("plain-file"), _) => {
                let path = p.path.as_deref().unwrap_or_else(|| "".as_ref());
                format!("{k} (plain file: {})", path.display())
            }
            (Some(k), Some(s), _) => format!("{k} ({})", human(s)),
            (None, Some(s), Some(e)) => format!("unreadable ({}): {e}", human(s)),
            _ => "none stored".to_owned(),
        };
        ui.line(&format!("  key       {key}"))?;
        if let Some(id) = &p.key_id {
            let name = p
                .key_name
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            ui.line(&escape_controls(&format!("  key id    {id}{name}")))?;
        }
    }
    Ok(())
}

/// A storage id, in words.
fn human(id: &str) -> &str {
    match id {
        "plain-file" => "plain file",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::Terminal;

    fn profile(name: &str, active: bool) -> ProfileStatus {
        ProfileStatus {
            name: name.into(),
            active,
            base_url: "https://api.miiflow.ai/".into(),
            base_url_source: "default",
            profile_base_url: None,
            storage: Some("keyring"),
            path: None,
            key: Some("mk_…abcd".into()),
            key_id: Some("key_1".into()),
            key_name: Some("ci".into()),
            error: None,
        }
    }

    #[test]
    fn status_reads_the_same_to_a_person_and_to_a_script() {
        let status = Status {
            active_profile: "default".into(),
            active_source: Some("keyring"),
            env_key: None,
            profiles: vec![profile("default", true), profile("ci", false)],
        };
        let ui = Ui::buffered(Terminal::default(), false);
        show(&ui, &status).unwrap();
        assert_eq!(
            ui.written().0,
            "Active key: profile 'default' (keyring)\n\ndefault (active)\n  base URL  \
             https://api.miiflow.ai/\n  key       mk_…abcd (keyring)\n  key id    key_1 (ci)\n\n\
             ci\n  base URL  https://api.miiflow.ai/\n  key       mk_…abcd (keyring)\n  key id    \
             key_1 (ci)\n"
        );
        let json: serde_json::Value = serde_json::to_value(&status).unwrap();
        assert_eq!(json["profiles"][0]["name"], "default");
        assert_eq!(json["profiles"][1]["active"], false);
        assert_eq!(json["active_source"], "keyring");
        assert!(json["env_key"].is_null() && json["profiles"][0]["error"].is_null());
    }
}
