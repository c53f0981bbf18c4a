//! `miiflow keys …`: the server's keys, with the active key. One file per subcommand.

mod create;
mod delete;
mod list;
mod rotate;

use crate::cli::KeysCommand;
use crate::context::Context;
use crate::credentials::Resolved;
use crate::keys_api::Api;

pub(crate) fn run(ctx: &mut Context, command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create(args) => create::run(ctx, args),
        KeysCommand::List(args) => list::run(ctx, args),
        KeysCommand::Delete(args) => delete::run(ctx, args),
        KeysCommand::Rotate(args) => rotate::run(ctx, args),
    }
}

/// The active key and an API client for its profile's server.
fn connect(ctx: &Context) -> anyhow::Result<(Resolved, Api)> {
    let resolved = ctx.resolve_key()?;
    let api = Api::new(
        &ctx.base_url(&resolved.profile)?,
        ctx.base_url_source(&resolved.profile),
        resolved.key.clone(),
        &ctx.ui,
    )?;
    Ok((resolved, api))
}

/// The base URL worth recording for a new profile: none when it is the default.
fn recorded_base(base: &reqwest::Url) -> Option<String> {
    let default = crate::request::base_url(None, false).ok();
    (Some(base) != default.as_ref()).then(|| base.to_string())
}

/// The secret, alone on its line on stdout: the one place a full key is ever printed.
pub(super) fn print_secret(ui: &crate::ui::Ui, key: &crate::credentials::ApiKey) {
    // A closed stdout cannot be helped here; the error that follows says what happened.
    let _ = ui.line(key.expose());
}
