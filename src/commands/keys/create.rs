//! `miiflow keys create NAME`: a new key on the server, stored as profile NAME. A created key is
//! never lost: if it cannot be stored, it is printed with the reason.

use crate::cli::KeysCreateArgs;
use crate::client;
use crate::config::{self, Profile, Storage};
use crate::context::Context;
use crate::credentials::Origin;
use crate::error::Error;

pub(crate) fn run(ctx: &mut Context, args: KeysCreateArgs) -> anyhow::Result<()> {
    let store_it = !args.no_store;
    if store_it {
        config::check_profile_name(&args.name)?;
        if ctx
            .config
            .profile(&args.name)
            .and_then(|p| p.storage)
            .is_some()
        {
            return Err(Error::BadInput(format!(
                "profile '{0}' already holds a key; choose another name, or forget that one first \
                 (`miiflow logout --profile {0}`)",
                args.name
            ))
            .into());
        }
    }
    let (resolved, api) = super::connect(ctx)?;
    let created = client::block_on(async { Ok(api.create(&resolved.key, &args.name).await?) })?;
    let secret = created.secret()?;
    ctx.ui.say(&format!(
        "Created key '{}' ({}).",
        crate::output::safe::escape_controls(&created.name),
        crate::output::safe::escape_controls(&created.id)
    ));
    if !store_it {
        super::print_secret(&ctx.ui, &secret);
        return Ok(());
    }
    let base = ctx.base_url(&resolved.profile)?;
    // Stored where the profile whose key made it stores its own (a plain-file login's keys
    // go to plain files too); the OS keyring when that key came from the environment.
    let storage = match &resolved.origin {
        Origin::Stored(storage) => *storage,
        Origin::Env => Storage::Keyring,
    };
    // The new profile's base URL: the one given with --base-url, else the one its maker's
    // profile keeps (never one that only came from MIIFLOW_BASE_URL).
    let recorded = match ctx.opts.base_url {
        Some(_) => super::recorded_base(&base),
        None => ctx
            .config
            .profile(&resolved.profile)
            .and_then(|p| p.base_url.clone()),
    };
    let stored = ctx.update_config(|ctx, config| {
        // Checked again under the lock: another process may have taken the name meanwhile.
        if config.profile(&args.name).and_then(|p| p.storage).is_some() {
            anyhow::bail!(
                "profile '{}' was given a key by another process meanwhile",
                args.name
            );
        }
        ctx.store(storage).set(&args.name, &secret)?;
        config.profiles.insert(
            args.name.clone(),
            Profile {
                base_url: recorded.clone(),
                storage: Some(storage),
                key_id: Some(created.id.clone()),
                key_name: Some(created.name.clone()),
                ..Profile::default()
            },
        );
        Ok(())
    });
    match stored {
        Ok(()) => {
            ctx.ui.say(&format!(
                "Stored in {} as profile '{1}': use it with `--profile {1}`.",
                ctx.store(storage).describe(),
                args.name
            ));
            if args.show {
                super::print_secret(&ctx.ui, &secret);
            }
            Ok(())
        }
        Err(e) => {
            super::print_secret(&ctx.ui, &secret);
            Err(e.context(format!(
                "the new key was NOT stored; it is printed above, once: copy it now (store it \
                 later with `miiflow login --profile {} --with-key`, adding --insecure-storage \
                 where the OS keyring cannot be used)",
                args.name
            )))
        }
    }
}
