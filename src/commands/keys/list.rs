//! `miiflow keys list`: the server's keys, marking those stored here.

use crate::cli::KeysListArgs;
use crate::client;
use crate::context::Context;
use crate::output::safe::escape_controls;

pub(crate) fn run(ctx: &mut Context, args: KeysListArgs) -> anyhow::Result<()> {
    let (resolved, api) = super::connect(ctx)?;
    let keys = client::block_on(async { Ok(api.list(&resolved.key).await?) })?;
    let stored_as = |id: &str| -> Option<String> {
        ctx.config
            .profiles
            .iter()
            .find(|(_, p)| p.key_id.as_deref() == Some(id) && p.storage.is_some())
            .map(|(name, _)| name.clone())
    };
    // The key this command used: by the id its profile records, else (MIIFLOW_API_KEY, a
    // profile stored without one) by the `last4` the list may carry.
    let in_use = match resolved.origin {
        crate::credentials::Origin::Stored(_) => ctx
            .config
            .profile(&resolved.profile)
            .and_then(|p| p.key_id.clone()),
        crate::credentials::Origin::Env => None,
    }
    .or_else(|| crate::keys_api::find(&keys, &resolved.key).map(|k| k.id.clone()));
    // A profile stored without a key id holds the key in use when that is the key resolved.
    let stored_as = |id: &str| -> Option<String> {
        stored_as(id).or_else(|| {
            let is_active = in_use.as_deref() == Some(id)
                && matches!(resolved.origin, crate::credentials::Origin::Stored(_));
            is_active.then(|| resolved.profile.clone())
        })
    };
    let is_in_use = |id: &str| in_use.as_deref() == Some(id);
    if args.json {
        let out: Vec<serde_json::Value> = keys
            .iter()
            .map(|k| {
                let mut v = serde_json::json!({
                    "id": k.id, "name": k.name, "created_at": k.created_at, "last_used_at": k.last_used_at,
                });
                for (field, value) in &k.rest {
                    v[field] = value.clone();
                }
                v["stored_as"] = stored_as(&k.id).into();
                v["in_use"] = is_in_use(&k.id).into();
                v
            })
            .collect();
        ctx.ui.line(&serde_json::to_string_pretty(&out)?)?;
        return Ok(());
    }
    if keys.is_empty() {
        ctx.ui.say("The server has no keys.");
        return Ok(());
    }
    let rows: Vec<[String; 5]> = keys
        .iter()
        .map(|k| {
            // The server's words, made safe for a terminal.
            let safe = |t: &str| escape_controls(t).into_owned();
            [
                safe(&k.id),
                safe(&k.name),
                k.created_at.as_deref().map_or_else(|| "-".into(), safe),
                k.last_used_at.as_deref().map_or_else(|| "-".into(), safe),
                match (stored_as(&k.id), is_in_use(&k.id)) {
                    (Some(p), true) => format!("profile {p} (in use)"),
                    (Some(p), false) => format!("profile {p}"),
                    (None, _) => "-".into(),
                },
            ]
        })
        .collect();
    let header = ["ID", "NAME", "CREATED", "LAST USED", "STORED HERE"].map(String::from);
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .chain([&header])
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in [&header].into_iter().chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        ctx.ui.line(cells.join("  ").trim_end())?;
    }
    Ok(())
}
