//! `miiflow agents add|list|remove`: aliases for agents and workflows, with default items,
//! kept in config.toml (global, or a profile's with --profile).

use crate::cli::{AgentsAddArgs, AgentsCommand, AgentsListArgs, AgentsRemoveArgs};
use crate::config::Alias;
use crate::context::Context;
use crate::error::Error;
use crate::output::safe::escape_controls;

pub(crate) fn run(ctx: &mut Context, command: AgentsCommand) -> anyhow::Result<()> {
    match command {
        AgentsCommand::Add(a) => add(ctx, a),
        AgentsCommand::List(a) => list(ctx, &a),
        AgentsCommand::Remove(a) => remove(ctx, &a),
    }
}

/// A name that cannot be mistaken for an id, and that a shell completes as it is.
pub(crate) fn check_name(name: &str) -> Result<(), Error> {
    let plain = !name.is_empty()
        && name.len() <= 64
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !plain {
        return Err(Error::BadInput(format!(
            "'{name}' cannot be an alias: use letters, digits, - _ and ., starting with a letter \
             (at most 64)"
        )));
    }
    let lower = name.to_ascii_lowercase();
    if ["agent_", "wf_", "workflow_"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Err(Error::BadInput(format!(
            "'{name}' looks like an id, so it cannot be an alias (`miiflow run {name}` must \
             always mean that id); choose a name such as 'support'"
        )));
    }
    Ok(())
}

/// The profile whose aliases `--profile` names; none means the global ones.
fn scope(ctx: &Context) -> Result<Option<String>, Error> {
    match &ctx.opts.profile {
        Some(p) => {
            crate::config::check_profile_name(p)?;
            Ok(Some(p.clone()))
        }
        None => Ok(None),
    }
}

fn add(ctx: &mut Context, args: AgentsAddArgs) -> anyhow::Result<()> {
    check_name(&args.name)?;
    if args.workflow {
        crate::request::RunTarget::workflow(&args.id)?;
    }
    // The items must parse now; their values (files) are read at each run.
    for item in &args.items {
        crate::items::parse(item).map_err(Error::BadInput)?;
    }
    let mut names = std::collections::HashSet::new();
    for param in &args.params {
        let p: crate::mcp::tools::Param = param.parse().map_err(Error::BadInput)?;
        if !names.insert(p.name.clone()) {
            return Err(Error::BadInput(format!("--param {}: declared twice", p.name)).into());
        }
    }
    // The schema must read and compile now; it is read again when a server starts.
    let output_schema = match &args.output_schema {
        Some(path) => {
            crate::mcp::tools::OutputSchema::read(path)?;
            let absolute = std::fs::canonicalize(path)
                .map_err(|e| Error::BadInput(format!("--output-schema {}: {e}", path.display())))?;
            Some(absolute.display().to_string())
        }
        None => None,
    };
    let scope = scope(ctx)?;
    let alias = Alias {
        id: args.id.clone(),
        workflow: args.workflow,
        items: args.items.clone(),
        description: args.description.clone(),
        params: args.params.clone(),
        output_schema,
    };
    let replaced = ctx.update_config(|_, config| {
        let aliases = match &scope {
            Some(p) => &mut config.profiles.entry(p.clone()).or_default().agents,
            None => &mut config.agents,
        };
        Ok(aliases.insert(args.name.clone(), alias).is_some())
    })?;
    let whose = match &scope {
        Some(p) => format!("for profile '{p}'"),
        None => "for every profile".to_owned(),
    };
    ctx.ui.say(&format!(
        "{} alias '{}' {whose}: `miiflow run {}` runs {} {}{}.",
        if replaced { "Replaced" } else { "Saved" },
        args.name,
        args.name,
        if args.workflow { "workflow" } else { "agent" },
        args.id,
        match args.items.is_empty() {
            true => String::new(),
            false => format!(" with {}", args.items.join(" ")),
        }
    ));
    Ok(())
}

/// The aliases the active profile sees: (name, alias, where it is defined).
fn visible(ctx: &Context) -> anyhow::Result<Vec<(String, Alias, Option<String>)>> {
    let profile = ctx.active_profile()?;
    let mut all = Vec::new();
    if let Some(p) = ctx.config.profile(&profile) {
        for (name, alias) in &p.agents {
            all.push((name.clone(), alias.clone(), Some(profile.clone())));
        }
    }
    for (name, alias) in &ctx.config.agents {
        if !all.iter().any(|(n, ..)| n == name) {
            all.push((name.clone(), alias.clone(), None));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(all)
}

fn list(ctx: &Context, args: &AgentsListArgs) -> anyhow::Result<()> {
    let all = visible(ctx)?;
    if args.names {
        let text: String = all.iter().map(|(n, ..)| format!("{n}\n")).collect();
        return Ok(ctx.ui.out(text.as_bytes())?);
    }
    if args.json {
        let list: Vec<serde_json::Value> = all
            .iter()
            .map(|(name, a, profile)| {
                serde_json::json!({
                    "name": name,
                    "id": a.id,
                    "kind": if a.workflow { "workflow" } else { "agent" },
                    "items": a.items,
                    "description": a.description,
                    "params": a.params,
                    "profile": profile,
                })
            })
            .collect();
        let mut text = serde_json::to_vec_pretty(&list)?;
        text.push(b'\n');
        return Ok(ctx.ui.out(&text)?);
    }
    if all.is_empty() {
        ctx.ui
            .say("No aliases. Add one: miiflow agents add NAME AGENT_ID [ITEM…]");
        return Ok(());
    }
    let mut text = format!(
        "{:<20}  {:<9}  {:<28}  {:<10}  {}\n",
        "NAME", "KIND", "ID", "PROFILE", "ITEMS"
    );
    for (name, a, profile) in &all {
        text.push_str(&format!(
            "{:<20}  {:<9}  {:<28}  {:<10}  {}\n",
            name,
            if a.workflow { "workflow" } else { "agent" },
            escape_controls(&a.id),
            profile.as_deref().unwrap_or("(all)"),
            escape_controls(&a.items.join(" ")),
        ));
    }
    Ok(ctx.ui.out(text.as_bytes())?)
}

fn remove(ctx: &mut Context, args: &AgentsRemoveArgs) -> anyhow::Result<()> {
    let scope = scope(ctx)?;
    let removed = ctx.update_config(|_, config| {
        Ok(match &scope {
            Some(p) => config
                .profiles
                .get_mut(p)
                .and_then(|p| p.agents.remove(&args.name)),
            None => config.agents.remove(&args.name),
        })
    })?;
    match (removed, &scope) {
        (Some(_), Some(p)) => ctx
            .ui
            .say(&format!("Removed alias '{}' of profile '{p}'.", args.name)),
        (Some(_), None) => ctx.ui.say(&format!("Removed alias '{}'.", args.name)),
        (None, Some(p)) => {
            return Err(Error::BadInput(format!(
                "profile '{p}' has no alias '{}' (`miiflow agents list` shows them)",
                args.name
            ))
            .into());
        }
        (None, None) => {
            return Err(Error::BadInput(format!(
                "no global alias '{}' (`miiflow agents list` shows them; a profile's alias \
                 needs --profile)",
                args.name
            ))
            .into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_names() {
        for ok in ["support", "nightly-2", "a.b_c"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "agent_abc",
            "Agent_x",
            "wf_1",
            "",
            "-x",
            "a b",
            "1st",
            "a/b",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
