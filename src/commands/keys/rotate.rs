//! `miiflow keys rotate [NAME]`: create a new key, store it in the same profile, check it, then
//! delete the old one. Nothing is deleted until the new key is stored and works.

use crate::api::Api;
use crate::cli::KeysRotateArgs;
use crate::client;
use crate::config;
use crate::context::Context;
use crate::error::Error;

pub fn run(ctx: &mut Context, args: KeysRotateArgs) -> anyhow::Result<()> {
    let profile = match args.name {
        Some(name) => {
            config::check_profile_name(&name)?;
            name
        }
        None => ctx.active_profile()?,
    };
    let record = ctx.config.profile(&profile).cloned().unwrap_or_default();
    let Some(storage) = record.storage else {
        return Err(Error::NoKey(format!(
            "profile '{profile}' has no stored key to rotate: run `miiflow login --profile {profile}`"
        ))
        .into());
    };
    let store = ctx.store(storage);
    let old = match store.get(&profile) {
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
    let api = Api::new(ctx.base_url(&profile)?)?;
    let name = record.key_name.clone().unwrap_or_else(|| profile.clone());

    // 1. Create. A failure here changes nothing.
    let created = client::block_on(async { Ok(api.create(&old, &name).await?) })?;
    let new = created.secret()?;
    crate::say!(
        "Created key '{}' ({}).",
        crate::output::safe::escape_controls(&created.name),
        crate::output::safe::escape_controls(&created.id)
    );

    // 2. Store it in the same profile. If that fails the new secret is printed, never lost.
    if let Err(e) = ctx.update_config(|ctx, _| Ok(ctx.store(storage).set(&profile, &new)?)) {
        super::create::print_secret(&new);
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
                super::create::print_secret(&old);
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
    crate::say!(
        "Profile '{profile}' now uses the new key {}, and it works.",
        new.masked()
    );

    // 4. Only now, delete the old key.
    let Some(old_id) = record.key_id else {
        return Err(anyhow::anyhow!(
            "the old key was not deleted: its id is unknown (it was stored by `miiflow login`). \
             It is still valid: find it with `miiflow keys list` and delete it with `miiflow keys \
             delete ID`"
        ));
    };
    match client::block_on(async { Ok(api.delete(&new, &old_id).await?) }) {
        Ok(true) => crate::say!("Revoked the old key ({old_id})."),
        Ok(false) => crate::say!("The old key ({old_id}) was already gone from the server."),
        Err(e) => {
            return Err(e.context(format!(
                "the new key is in place, but the old key ({old_id}) could not be deleted and is \
                 still valid: delete it with `miiflow keys delete {old_id} --yes`"
            )));
        }
    }
    Ok(())
}
