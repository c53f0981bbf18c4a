//! `miiflow logout`: forget stored keys. Idempotent; it does not revoke anything.

use crate::cli::LogoutArgs;
use crate::context::Context;
use crate::error::Error;

pub(crate) fn run(ctx: &mut Context, args: LogoutArgs) -> anyhow::Result<()> {
    if args.all && ctx.opts.profile.is_some() {
        return Err(Error::BadInput("--all and --profile do not go together".into()).into());
    }
    let active = ctx.active_profile()?;
    // Under the lock, from a fresh read: a profile another process just added is seen.
    let forgot = ctx.update_config(|ctx, config| {
        let targets: Vec<String> = match args.all {
            true => config.profiles.keys().cloned().collect(),
            false => vec![active.clone()],
        };
        let mut forgot = Vec::new();
        for profile in &targets {
            ctx.forget_secret(config, profile)?;
            if config.forget_key(profile) {
                forgot.push(profile.clone());
            }
        }
        Ok(forgot)
    })?;
    if forgot.is_empty() {
        match args.all {
            true => ctx.ui.say("No profile has a stored key: nothing to do."),
            false => ctx.ui.say(&format!(
                "Profile '{active}' has no stored key: nothing to do."
            )),
        }
        return Ok(());
    }
    for profile in &forgot {
        ctx.ui.say(&format!(
            "Logged out of profile '{profile}': its key is forgotten on this machine."
        ));
    }
    ctx.ui.say(
        "This does not revoke a key on the server: it stays valid until deleted there \
         (`miiflow keys delete NAME|ID`, or the dashboard).",
    );
    Ok(())
}
