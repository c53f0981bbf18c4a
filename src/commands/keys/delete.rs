//! `miiflow keys delete NAME|ID`: revoke on the server, forget the local profile holding it.

use crate::cli::KeysDeleteArgs;
use crate::client;
use crate::context::Context;
use crate::error::Error;

pub(crate) fn run(ctx: &mut Context, args: KeysDeleteArgs) -> anyhow::Result<()> {
    let (resolved, api) = super::connect(ctx)?;
    let keys = client::block_on(async { Ok(api.list(&resolved.key).await?) })?;
    let by_id: Vec<_> = keys.iter().filter(|k| k.id == args.target).collect();
    let by_name: Vec<_> = keys.iter().filter(|k| k.name == args.target).collect();
    // Else a local profile's key (after a rotation the key's name carries a date).
    let profile_key = ctx
        .config
        .profile(&args.target)
        .and_then(|p| p.key_id.clone());
    let by_profile: Vec<_> = keys
        .iter()
        .filter(|k| Some(&k.id) == profile_key.as_ref())
        .collect();
    let matches = [by_id, by_name, by_profile]
        .into_iter()
        .find(|m| !m.is_empty())
        .unwrap_or_default();
    let key = match matches.as_slice() {
        [] if args.missing_ok => {
            ctx.ui.say(&format!(
                "The server has no key named or with id '{}': nothing to do (--missing-ok).",
                args.target
            ));
            return Ok(());
        }
        [] => anyhow::bail!(
            "the server has no key named or with id '{}' (`miiflow keys list` shows them); \
             nothing was deleted. --missing-ok makes this exit 0",
            crate::output::safe::escape_controls(&args.target)
        ),
        [one] => (*one).clone(),
        many => {
            let ids: Vec<&str> = many.iter().map(|k| k.id.as_str()).collect();
            return Err(Error::BadInput(format!(
                "{} keys are named '{}': delete one by id ({})",
                many.len(),
                args.target,
                ids.join(", ")
            ))
            .into());
        }
    };
    let what = format!(
        "key '{}' ({})",
        crate::output::safe::escape_controls(&key.name),
        crate::output::safe::escape_controls(&key.id)
    );
    if !args.yes {
        if !ctx.ui.can_prompt() {
            return Err(Error::BadInput(format!(
                "not deleting {what} without confirmation: there is no terminal to ask on; pass --yes"
            ))
            .into());
        }
        // Asked under the signals: the listing above went through the runtime, whose Ctrl-C
        // handler stays installed, so a Ctrl-C typed before the prompt reads the terminal raw
        // was swallowed and the prompt waited for ever (seen under load).
        let (ui, question) = (
            ctx.ui.clone(),
            format!("Revoke {what}? Anything using it stops working."),
        );
        let sure = client::block_on(async move {
            tokio::task::spawn_blocking(move || ui.confirm(&question))
                .await
                .map_err(|e| anyhow::anyhow!("the question stopped: {e}"))?
        })?;
        if !sure {
            anyhow::bail!("cancelled: nothing was deleted");
        }
    }
    let existed = client::block_on(async { Ok(api.delete(&resolved.key, &key.id).await?) })?;
    if existed {
        ctx.ui.say(&format!("Revoked {what}."));
    } else {
        ctx.ui
            .say(&format!("{what} was already gone from the server."));
    }
    let holders = ctx.update_config(|ctx, config| {
        let holders: Vec<String> = config
            .profiles
            .iter()
            .filter(|(_, p)| p.key_id.as_deref() == Some(key.id.as_str()))
            .map(|(name, _)| name.clone())
            .collect();
        for profile in &holders {
            ctx.forget_secret(config, profile)?;
            config.forget_profile(profile);
        }
        Ok(holders)
    })?;
    for profile in holders {
        ctx.ui
            .say(&format!("Forgot local profile '{profile}', which held it."));
    }
    Ok(())
}
