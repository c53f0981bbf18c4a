//! `miiflow keys rotate [NAME]`: create a new key, store it in the same profile, check it, then
//! delete the old one. Nothing is deleted until the new key is stored and works.

use crate::cli::KeysRotateArgs;
use crate::client;
use crate::config;
use crate::context::Context;
use crate::error::Error;
use crate::keys_api::Api;

pub(crate) fn run(ctx: &mut Context, args: KeysRotateArgs) -> anyhow::Result<()> {
    let profile = match args.name {
        Some(name) => {
            config::check_profile_name(&name)?;
            name
        }
        None => ctx.active_profile()?,
    };
    let (record, storage, old) = stored(ctx, &profile)?;
    let source = ctx.base_url_source(&profile);
    let api = Api::new(&ctx.base_url(&profile)?, source, old.clone(), &ctx.ui)?;
    let name = new_name(
        record.key_name.as_deref().unwrap_or(&profile),
        std::time::SystemTime::now(),
    );

    // 1. Create. A failure here changes nothing.
    let created = client::block_on(async { Ok(api.create(&old, &name).await?) })?;
    let new = created.secret()?;
    ctx.ui.say(&format!(
        "Created key '{}' ({}).",
        crate::output::safe::escape_controls(&created.name),
        crate::output::safe::escape_controls(&created.id)
    ));

    // 2. Store it in the same profile. If that fails the new secret is printed, never lost.
    if let Err(e) = ctx.update_config(|ctx, _| Ok(ctx.store(storage).set(&profile, &new)?)) {
        super::print_secret(&ctx.ui, &new);
        return Err(e.context(format!(
            "the new key ({}) was NOT stored; it is printed above, once. The old key still works \
             and was not deleted",
            created.id
        )));
    }

    // 3. Check it. If it does not work, put the old key back and delete nothing.
    if let Err(e) = client::block_on(async { Ok(api.list(&new).await?) }) {
        let restored = ctx.update_config(|ctx, _| Ok(ctx.store(storage).set(&profile, &old)?));
        let back = match restored {
            Ok(()) => "the old key is back in place".to_owned(),
            Err(m) => {
                super::print_secret(&ctx.ui, &old);
                format!("the old key could not be put back ({m:#}) and is printed above")
            }
        };
        return Err(e.context(format!(
            "the new key ({}) did not work; {back}; nothing was deleted. Delete the new key with \
             `miiflow keys delete {} --yes`",
            created.id, created.id
        )));
    }
    ctx.update_config(|_, config| {
        let entry = config.profiles.entry(profile.clone()).or_default();
        entry.key_id = Some(created.id.clone());
        entry.key_name = Some(created.name.clone());
        Ok(())
    })?;
    ctx.ui.say(&format!(
        "Profile '{profile}' now uses the new key {}, and it works.",
        new.masked()
    ));

    // 4. Only now, delete the old key. The rotation has happened either way: a key that could
    // not be deleted is a warning, not a failure.
    let Some(old_id) = record.key_id else {
        ctx.warn(
            "the old key was not deleted: its id is unknown (it was stored by `miiflow login`). \
             It is still valid: find it with `miiflow keys list` and delete it with `miiflow keys \
             delete ID`",
        );
        return Ok(());
    };
    match client::block_on(async { Ok(api.delete(&new, &old_id).await?) }) {
        Ok(true) => ctx.ui.say(&format!("Revoked the old key ({old_id}).")),
        Ok(false) => ctx.ui.say(&format!(
            "The old key ({old_id}) was already gone from the server."
        )),
        Err(e) => ctx.warn(&format!(
            "the new key is in place, but the old key ({old_id}) could not be deleted ({e:#}) and \
             is still valid: delete it with `miiflow keys delete {old_id} --yes`"
        )),
    }
    Ok(())
}

/// The new key's name: the old one's, dated (`ci` → `ci-2026-11-27`; an earlier date is
/// replaced), so that rotations do not pile up keys of one name.
fn new_name(old: &str, now: std::time::SystemTime) -> String {
    let today = &humantime::format_rfc3339_seconds(now).to_string()[..10];
    let dated = |s: &str| {
        s.len() > 11
            && s.as_bytes()[s.len() - 11] == b'-'
            && s[s.len() - 10..].bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
    };
    let base = if dated(old) {
        &old[..old.len() - 11]
    } else {
        old
    };
    format!("{base}-{today}")
}

/// The profile's record, where its key is, and the key itself: what a rotation replaces.
fn stored(
    ctx: &Context,
    profile: &str,
) -> anyhow::Result<(
    crate::config::Profile,
    crate::config::Storage,
    crate::credentials::ApiKey,
)> {
    let record = ctx.config.profile(profile).cloned().unwrap_or_default();
    let Some(storage) = record.storage else {
        return Err(Error::NoKey(format!(
            "profile '{profile}' has no stored key to rotate: run `miiflow login --profile {profile}`"
        ))
        .into());
    };
    let store = ctx.store(storage);
    let old = match store.get(profile) {
        Ok(Some(k)) => k,
        Ok(None) => {
            return Err(Error::NoKey(format!(
                "profile '{profile}''s key is gone from {}",
                store.describe()
            ))
            .into());
        }
        Err(e) => {
            return Err(Error::NoKey(format!("cannot read profile '{profile}''s key: {e}")).into());
        }
    };
    Ok((record, storage, old))
}

#[cfg(test)]
mod tests {
    #[test]
    fn new_names_are_dated_once() {
        let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_795_000_000);
        assert_eq!(super::new_name("ci", now), "ci-2026-11-18");
        assert_eq!(super::new_name("ci-2026-01-02", now), "ci-2026-11-18");
        assert_eq!(super::new_name("default", now), "default-2026-11-18");
        assert_eq!(super::new_name("x-2026", now), "x-2026-2026-11-18");
    }
}
