//! `miiflow login`: take a key (hidden prompt or stdin), check it, store it, record the profile.

use std::io::Read;

use crate::cli::LoginArgs;
use crate::client;
use crate::config::Storage;
use crate::context::Context;
use crate::credentials::{ApiKey, StoreError, WAYS_ON};
use crate::error::Error;
use crate::keys_api::{self, Api};

/// What the server said about the key.
enum Checked {
    /// It works; and which server key it is, when the list says.
    Yes(Option<(String, String)>),
    Skipped,
    Unknown(String),
}

pub(crate) fn run(ctx: &mut Context, args: LoginArgs) -> anyhow::Result<()> {
    let profile = ctx.active_profile()?;
    let base = ctx.base_url(&profile)?;
    let storage = if args.insecure_storage {
        Storage::PlainFile
    } else {
        Storage::Keyring
    };
    // Where the key would come from is settled first (never a wait on stdin), then the
    // keyring is asked: nobody pastes a key only to hear that it cannot be kept.
    if !(args.with_key || ctx.ui.can_prompt()) {
        return Err(no_terminal().into());
    }
    if storage == Storage::Keyring
        && let Err(e @ StoreError::Unavailable(_)) = ctx.store(storage).get(&profile)
    {
        return Err(anyhow::anyhow!(
            "{e}; no key was asked for. Ways on: {WAYS_ON}"
        ));
    }
    let key = read_key(&ctx.ui, args.with_key, &profile)?;
    // A server that echoes the key being checked (in an error, a redirect) has it masked.
    ctx.ui.mask_key(key.mask());

    let checked = if args.no_verify {
        Checked::Skipped
    } else {
        let api = Api::new(&base, ctx.base_url_source(&profile), key.clone(), &ctx.ui)?;
        match client::block_on(async { Ok(api.list(&key).await) })? {
            Ok(keys) => {
                Checked::Yes(keys_api::find(&keys, &key).map(|k| (k.id.clone(), k.name.clone())))
            }
            Err(
                e @ Error::Status {
                    status: 401 | 403, ..
                },
            ) => {
                return Err(
                    anyhow::Error::new(e).context("the server refused this key; it was not stored")
                );
            }
            Err(e) if keys_api::is_no_key_api(&e) => {
                Checked::Unknown("this server has no key API to check it with".into())
            }
            Err(e) => Checked::Unknown(e.to_string()),
        }
    };

    let known = match &checked {
        Checked::Yes(known) => known.clone(),
        _ => None,
    };
    store_key(ctx, &profile, &key, storage, &base, known)?;

    let place = match storage {
        Storage::Keyring => "the OS keyring".to_owned(),
        Storage::PlainFile => format!("a plain file, {}", ctx.plain.path(&profile).display()),
    };
    ctx.ui.say(&format!(
        "Logged in: profile '{profile}', key {}, stored in {place}.",
        key.masked()
    ));
    match checked {
        Checked::Yes(_) => ctx.ui.say(&format!("The key works with {base}.")),
        Checked::Skipped => ctx.ui.say("The key was not checked (--no-verify)."),
        Checked::Unknown(why) => ctx.note(&format!("the key could not be verified: {why}")),
    }
    Ok(())
}

/// Stores the key and records the profile, under the config lock; the old copy goes when the
/// storage changes.
pub(crate) fn store_key(
    ctx: &mut Context,
    profile: &str,
    key: &ApiKey,
    storage: Storage,
    base: &reqwest::Url,
    known: Option<(String, String)>,
) -> anyhow::Result<()> {
    let explicit_base = ctx.opts.base_url.is_some();
    ctx.update_config(|ctx, config| {
        ctx.store(storage).set(profile, key).map_err(|e| match e {
            StoreError::Unavailable(_) => {
                anyhow::anyhow!("{e}; the key was not stored. Ways on: {WAYS_ON}")
            }
            StoreError::Other(m) => anyhow::anyhow!("cannot store the key: {m}"),
        })?;
        let previous = config.profile(profile).and_then(|p| p.storage);
        if let Some(old) = previous.filter(|old| *old != storage) {
            // The key moved: the old copy must not linger.
            if let Err(e) = ctx.store(old).delete(profile) {
                ctx.warn(&format!(
                    "could not remove the old copy from {}: {e}",
                    ctx.store(old).describe()
                ));
            }
        }
        let entry = config.profiles.entry(profile.to_owned()).or_default();
        entry.storage = Some(storage);
        // The server key it is, when the server's list said (else not known).
        (entry.key_id, entry.key_name) = known.unzip();
        if explicit_base {
            entry.base_url = Some(base.to_string());
        }
        Ok(())
    })
}

fn no_terminal() -> Error {
    Error::BadInput(
        "no terminal to ask for the key on: pipe it in with --with-key, e.g. \
         `printf %s \"$KEY\" | miiflow login --with-key`"
            .into(),
    )
}

/// The key, from stdin with --with-key or from a hidden prompt on a terminal; never waits on
/// a stdin that nobody said to read.
fn read_key(ui: &crate::ui::Ui, with_key: bool, profile: &str) -> anyhow::Result<ApiKey> {
    let bad = |why: String| Error::BadInput(why);
    if with_key {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .take(64 * 1024)
            .read_to_string(&mut text)
            .map_err(|e| bad(format!("cannot read the key from stdin: {e}")))?;
        return Ok(ApiKey::parse(&text).map_err(|why| bad(format!("the key on stdin: {why}")))?);
    }
    if !ui.can_prompt() {
        return Err(no_terminal().into());
    }
    let typed = ui.password(&format!("API key for profile '{profile}' (hidden)"))?;
    Ok(ApiKey::parse(&typed).map_err(|why| bad(format!("the key: {why}")))?)
}
