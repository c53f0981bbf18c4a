//! `miiflow status`: every profile, where its key comes from, masked. Exit 3 when the active
//! profile has no key.

use serde_json::json;

use crate::cli::StatusArgs;
use crate::config::Storage;
use crate::context::Context;
use crate::credentials::{ENV_KEY, Origin, StoreError};

pub(crate) fn run(ctx: &Context, args: StatusArgs) -> anyhow::Result<()> {
    let active = ctx.active_profile()?;
    let mut names: Vec<String> = ctx.config.profiles.keys().cloned().collect();
    if !names.contains(&active) {
        names.insert(0, active.clone());
    }
    let resolved = ctx.resolve_key();
    let env_key = resolved
        .as_ref()
        .ok()
        .filter(|r| r.origin == Origin::Env)
        .map(|r| r.key.masked());

    // One keyring failure is enough: do not wait on it again for every profile.
    let mut keyring_down: Option<StoreError> = None;
    let mut profiles = Vec::new();
    for name in &names {
        let profile = ctx.config.profile(name).cloned().unwrap_or_default();
        let (key, error) = match profile.storage {
            None => (None, None),
            Some(Storage::Keyring) if keyring_down.is_some() => {
                (None, keyring_down.as_ref().map(|e| e.to_string()))
            }
            Some(storage) => match ctx.store(storage).get(name) {
                Ok(Some(k)) => (Some(k.masked()), None),
                Ok(None) => (
                    None,
                    Some(format!(
                        "the key is gone from {}",
                        ctx.store(storage).describe()
                    )),
                ),
                Err(e) => {
                    if matches!(e, StoreError::Unavailable(_)) {
                        keyring_down = Some(e.clone());
                    }
                    (None, Some(e.to_string()))
                }
            },
        };
        let base = ctx
            .base_url(name)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| e.to_string());
        profiles.push(json!({
            "name": name,
            "active": *name == active,
            "base_url": base,
            "storage": profile.storage.map(Storage::id),
            "path": (profile.storage == Some(Storage::PlainFile)).then(|| ctx.plain.path(name)),
            "key": key,
            "key_id": profile.key_id,
            "key_name": profile.key_name,
            "error": error,
        }));
    }
    let source = match &resolved {
        Ok(r) => Some(match r.origin {
            Origin::Env => "env",
            Origin::Stored(s) => s.id(),
        }),
        Err(_) => None,
    };

    if args.json {
        let out = json!({
            "active_profile": active,
            "active_source": source,
            "env_key": env_key,
            "profiles": profiles,
        });
        ctx.ui.line(&serde_json::to_string_pretty(&out)?)?;
    } else {
        match (&env_key, source) {
            (Some(k), _) => ctx.ui.line(&format!(
                "Active key: {ENV_KEY} ({k}), with profile '{active}''s settings"
            ))?,
            (None, Some(s)) => ctx
                .ui
                .line(&format!("Active key: profile '{active}' ({})", human(s)))?,
            (None, None) => ctx
                .ui
                .line(&format!("Active key: none (profile '{active}')"))?,
        }
        for p in &profiles {
            ctx.ui.line("")?;
            let marker = if p["active"] == true { " (active)" } else { "" };
            ctx.ui.line(&format!(
                "{}{marker}",
                p["name"].as_str().unwrap_or_default()
            ))?;
            ctx.ui.line(&format!(
                "  base URL  {}",
                p["base_url"].as_str().unwrap_or_default()
            ))?;
            let key = match (
                p["key"].as_str(),
                p["storage"].as_str(),
                p["error"].as_str(),
            ) {
                (Some(k), Some("plain-file"), _) => {
                    format!(
                        "{k} (plain file: {})",
                        p["path"].as_str().unwrap_or_default()
                    )
                }
                (Some(k), Some(s), _) => format!("{k} ({})", human(s)),
                (None, Some(s), Some(e)) => format!("unreadable ({}): {e}", human(s)),
                _ => "none stored".to_owned(),
            };
            ctx.ui.line(&format!("  key       {key}"))?;
            if let Some(id) = p["key_id"].as_str() {
                let name = p["key_name"]
                    .as_str()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                let line = format!("  key id    {id}{name}");
                ctx.ui.line(&crate::output::safe::escape_controls(&line))?;
            }
        }
    }
    resolved.map(|_| ()).map_err(Into::into)
}

/// A storage id from the JSON, in words.
fn human(id: &str) -> &str {
    match id {
        "plain-file" => "plain file",
        other => other,
    }
}
