//! `miiflow mcp serve | list-tools | install`.

use std::time::Duration;

use tokio::sync::Semaphore;

use crate::cli::{
    McpCommand, McpInstallArgs, McpListToolsArgs, McpServeArgs, McpTokenCommand, McpTokenCreateArgs,
};
use crate::client;
use crate::config::{McpToken, Storage};
use crate::context::Context;
use crate::credentials::Origin;
use crate::credentials::{ApiKey, StoreError};
use crate::engine::{Asked, Expect, Job, Net, Pace, Plan};
use crate::error::Error;
use crate::history::Recorder;
use crate::mcp::install;
use crate::mcp::serve::Server;
use crate::mcp::tools::{self, ToolDef};

/// A call's time limit when `--timeout` is not given.
const CALL_TIMEOUT: Duration = Duration::from_secs(300);

pub(crate) fn run(ctx: &mut Context, command: McpCommand) -> anyhow::Result<()> {
    match command {
        McpCommand::Serve(args) => serve(ctx, &args),
        McpCommand::ListTools(args) => list_tools(ctx, &args),
        McpCommand::Install(args) => install_entry(ctx, &args),
        McpCommand::Token(command) => token(ctx, command),
    }
}

/// `mcp token create | list | revoke`.
fn token(ctx: &mut Context, command: McpTokenCommand) -> anyhow::Result<()> {
    match command {
        McpTokenCommand::Create(args) => token_create(ctx, &args),
        McpTokenCommand::List => token_list(ctx),
        McpTokenCommand::Revoke(args) => token_revoke(ctx, &args.name),
    }
}

fn token_create(ctx: &mut Context, args: &McpTokenCreateArgs) -> anyhow::Result<()> {
    crate::mcp::tokens::check_name(&args.name)?;
    let storage = match args.insecure_storage {
        true => Storage::PlainFile,
        false => Storage::Keyring,
    };
    let secret = crate::mcp::tokens::new_secret()?;
    let key = ApiKey::parse(&secret).map_err(Error::BadInput)?;
    let name = args.name.clone();
    ctx.update_config(|ctx, config| {
        let mcp = config.mcp.get_or_insert_with(Default::default);
        if mcp.tokens.contains_key(&name) {
            return Err(Error::BadInput(format!(
                "mcp token '{name}' exists; revoke it first (miiflow mcp token revoke {name})"
            ))
            .into());
        }
        ctx.store(storage)
            .set(&McpToken::account(&name), &key)
            .map_err(|e| match e {
                StoreError::Unavailable(_) => anyhow::anyhow!(
                    "{e}; no token was made. --insecure-storage keeps it in a plain file"
                ),
                StoreError::Other(m) => anyhow::anyhow!("cannot store the token: {m}"),
            })?;
        mcp.tokens.insert(
            name.clone(),
            McpToken {
                storage,
                created: humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                    .to_string(),
                blake3: blake3::hash(secret.as_bytes()).to_hex().to_string(),
            },
        );
        Ok(())
    })?;
    // The token alone on stdout (for scripts); the advice on stderr.
    ctx.ui.line(&secret)?;
    if !ctx.ui.quiet() {
        ctx.ui.tell(&format!(
            "mcp token '{name}' made and kept in {}; it is shown this once: give it to the \
             assistant as `Authorization: Bearer TOKEN`. `miiflow mcp token revoke {name}` ends it.",
            ctx.store(storage).describe()
        ));
    }
    Ok(())
}

fn token_list(ctx: &Context) -> anyhow::Result<()> {
    let tokens = ctx.config.mcp.as_ref().map(|m| &m.tokens);
    let mut text = String::new();
    for (name, t) in tokens.into_iter().flatten() {
        text.push_str(&format!("{name}\t{}\t{}\n", t.storage.id(), t.created));
    }
    if text.is_empty() {
        ctx.note("no mcp tokens; make one with `miiflow mcp token create NAME`");
        return Ok(());
    }
    Ok(ctx.ui.out(text.as_bytes())?)
}

fn token_revoke(ctx: &mut Context, name: &str) -> anyhow::Result<()> {
    crate::mcp::tokens::check_name(name)?;
    let name = name.to_owned();
    let removed = ctx.update_config(|ctx, config| {
        let Some(token) = config.mcp.as_mut().and_then(|m| m.tokens.remove(&name)) else {
            return Err(Error::BadInput(format!(
                "there is no mcp token '{name}' (miiflow mcp token list)"
            ))
            .into());
        };
        // Out of config.toml first: a running server refuses it from its next request.
        if let Err(e) = ctx.store(token.storage).delete(&McpToken::account(&name)) {
            ctx.warn(&format!(
                "could not remove the secret from {}: {e}",
                ctx.store(token.storage).describe()
            ));
        }
        Ok(token)
    })?;
    if !ctx.ui.quiet() {
        ctx.ui.tell(&format!(
            "mcp token '{name}' revoked (removed from {})",
            ctx.store(removed.storage).describe()
        ));
    }
    Ok(())
}

/// The tools to serve; none is a usage error that says how to make one.
fn tools(ctx: &Context, wanted: &[String]) -> anyhow::Result<Vec<ToolDef>> {
    let profile = ctx.active_profile()?;
    let tools = tools::select(&ctx.config, &profile, wanted)?;
    if tools.is_empty() {
        return Err(Error::BadInput(format!(
            "profile '{profile}' has no aliases to serve as tools; add one: miiflow agents add \
             NAME AGENT_ID --description 'what it does' --param city:string"
        ))
        .into());
    }
    Ok(tools)
}

fn serve(ctx: &Context, args: &McpServeArgs) -> anyhow::Result<()> {
    let tools = tools(ctx, &args.tools)?;
    let call_timeout = args
        .timeout
        .filter(|t| !t.is_zero())
        .unwrap_or(CALL_TIMEOUT);
    // The call's own timeout bounds everything (retries and quota pauses included): the
    // sender gets none of its own.
    let asked = Asked {
        net: Net::mcp(args.retries),
        jq: None,
        expect: Expect::None,
        no_history: args.no_history,
    };
    let http = match args.http {
        Some(addr) => {
            let tokens = crate::mcp::tokens::Accepted::new(
                crate::mcp::http::token_from_env()?,
                ctx.config_dir.clone(),
            );
            if tokens.count() == 0 {
                return Err(crate::mcp::http::no_token().into());
            }
            let http = crate::mcp::http::Http {
                addr,
                allow_remote: args.allow_remote,
                origins: args.allow_origins.clone(),
                hosts: args.allow_hosts.clone(),
                tls: match (&args.tls_cert, &args.tls_key) {
                    (Some(cert), Some(key)) => Some(crate::mcp::http::tls(cert, key)?),
                    _ => None,
                },
                tokens: std::sync::Arc::new(tokens),
            };
            http.check()?;
            Some(http)
        }
        None => None,
    };
    let plan = Plan::resolve(ctx, asked.check()?)?;
    if ctx.ui.term().stdin_tty && http.is_none() {
        // Started by hand: without a word it would look hung.
        ctx.ui.tell(
            "mcp serve: waiting for an MCP client's messages on stdin (JSON-RPC, one a line). \
             AI assistants start this server themselves: `miiflow mcp install --client …` adds \
             it to one. Ctrl-D or Ctrl-C stops it.",
        );
    }
    let recorder = Recorder::queue(plan.history.clone(), &ctx.ui);
    let runtime = client::runtime()?;
    let served = runtime.block_on(async {
        // The client's calls share one pace (--rate) and quota.
        let slots = std::sync::Arc::new(Semaphore::new(args.concurrency as usize));
        let server = Server {
            tools,
            job: Job::planned(&plan, Pace::Shared { rate: args.rate }, &ctx.ui)?,
            plan,
            history: recorder.clone(),
            slots: slots.clone(),
            halt: crate::mcp::serve::Halt::new(&slots, args.concurrency),
            call_timeout,
            ui: ctx.ui.clone(),
            via: if http.is_some() { "mcp-http" } else { "mcp" },
        };
        let mut stop = client::Stop::new()?;
        match http {
            // A stop signal drains the calls in flight: a clean stop (exit 0).
            Some(http) => {
                crate::mcp::http::serve(std::sync::Arc::new(server), http, &mut stop).await
            }
            None => {
                let halt = server.halt.clone();
                let run = server.run();
                tokio::pin!(run);
                tokio::select! {
                    served = &mut run => served,
                    stopped = stop.recv() => {
                        // The calls in flight end now, each recorded as stopped (the client
                        // may still read their results); bounded, as a stuck client could be.
                        let ended = async {
                            tokio::select! {
                                () = halt.now(&stopped) => {}
                                _ = &mut run => {}
                            }
                        };
                        let _ = tokio::time::timeout(crate::mcp::serve::HALT_WAIT, ended).await;
                        Err(stopped.into())
                    }
                }
            }
        }
    });
    // A read of stdin cannot be cancelled: the runtime is left behind (see client::Runtime).
    drop(runtime);
    // Every call's entry is written before the process ends (the server, gone with the
    // runtime's tasks, held the only other handle).
    if let Some(stop) = recorder.finish(served.is_err()) {
        return Err(stop.into());
    }
    served
}

/// Lists the tools `serve` would serve: none is an empty list (exit 0), with a note on how to
/// make one; only `serve` refuses to start without any.
fn list_tools(ctx: &Context, args: &McpListToolsArgs) -> anyhow::Result<()> {
    let profile = ctx.active_profile()?;
    let tools = tools::select(&ctx.config, &profile, &args.tools)?;
    if tools.is_empty() {
        ctx.note(&format!(
            "profile '{profile}' has no aliases to serve as tools; add one: miiflow agents add \
             NAME AGENT_ID --description 'what it does'"
        ));
    }
    if args.json || !ctx.ui.term().stdout_tty {
        // What `tools/list` gives a client, the same value.
        let list: Vec<rmcp::model::Tool> = tools.iter().map(ToolDef::to_tool).collect();
        let mut text = serde_json::to_vec_pretty(&serde_json::json!({ "tools": list }))?;
        text.push(b'\n');
        return Ok(ctx.ui.out(&text)?);
    }
    let mut text = String::new();
    for t in &tools {
        let params = t.params_text();
        text.push_str(&format!(
            "{}  ({} {})\n  {}\n  arguments: {params}\n",
            t.name,
            t.target.kind(),
            t.target.id(),
            t.description
        ));
    }
    Ok(ctx.ui.out(text.as_bytes())?)
}

fn install_entry(ctx: &Context, args: &McpInstallArgs) -> anyhow::Result<()> {
    let client = install::client_name(args.client.into());
    let (entry, prompt, token_from) = match &args.url {
        Some(url) => {
            let http = http_entry(ctx, args, url)?;
            (http.entry, http.prompt, Some(http.token_from))
        }
        None => (stdio_entry(ctx, args)?, None, None),
    };
    let place = install::place(args.client.into(), args.config.as_deref())?;
    let change = install::install(&place, &args.name, &entry, prompt.as_ref(), args.dry_run)?;
    let what = match (change.created, change.replaced) {
        _ if change.unchanged => "already there as it is; nothing was changed",
        (true, _) => "a new file",
        (false, true) => "the server entry replaced",
        (false, false) => "the server entry added",
    };
    let pretty = serde_json::to_string_pretty(&serde_json::json!({ &args.name: entry }))?;
    if args.dry_run {
        ctx.ui.out(format!("{pretty}\n").as_bytes())?;
        ctx.note(&format!(
            "--dry-run: {} would be written ({what}); nothing was changed",
            change.path.display()
        ));
    } else {
        ctx.ui.say(&format!(
            "{client}: '{}' written to {} ({what}{}). Restart {client} to load it.",
            args.name,
            change.path.display(),
            change.backup.as_ref().map_or(String::new(), |b| format!(
                "; the previous file is {}",
                b.display()
            ))
        ));
    }
    if let Some(from) = token_from {
        ctx.note(&format!(
            "{client} takes the token from {from}: a token of `miiflow mcp token create NAME` \
             (the server takes those; the file holds none)"
        ));
    } else if let Ok(resolved) = ctx.resolve_key()
        && matches!(resolved.origin, Origin::Env)
    {
        ctx.warn(&format!(
            "the key here comes from {}, which {client} will not pass to the server: store it \
             with `miiflow login` (the keyring) so that the server finds it",
            crate::credentials::ENV_KEY
        ));
    }
    Ok(())
}

/// The entry that has the client start `miiflow mcp serve` itself (stdio).
fn stdio_entry(ctx: &Context, args: &McpInstallArgs) -> anyhow::Result<serde_json::Value> {
    // The tools must exist now: a typo is found here, not when the client starts the server.
    tools(ctx, &args.tools)?;
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| anyhow::anyhow!("cannot find this miiflow's own path: {e}"))?;
    // What was checked here is what the client will start: the active profile (from
    // --profile or MIIFLOW_PROFILE), the base URL when it came from --base-url or
    // MIIFLOW_BASE_URL (the client passes neither), the config and data folders when moved by
    // the environment, made absolute (the client starts the server in a folder of its own).
    // Never the key.
    let profile = ctx.active_profile()?;
    let mut serve_args: Vec<String> = Vec::new();
    if let Some(url) = ctx.override_base_url() {
        serve_args.extend(["--base-url".into(), url.to_owned()]);
    }
    serve_args.extend(["mcp".into(), "serve".into()]);
    if ctx.opts.profile.is_some() || profile != crate::config::DEFAULT_PROFILE {
        serve_args.extend(["--profile".into(), profile]);
    }
    for t in &args.tools {
        serve_args.extend(["--tool".into(), t.clone()]);
    }
    let mut entry = install::entry(args.client.into(), &exe.to_string_lossy(), &serve_args);
    let mut env = serde_json::Map::new();
    for var in [crate::config::CONFIG_DIR_ENV, crate::history::DATA_DIR_ENV] {
        if let Some(v) = crate::env::var_os(var).filter(|v| !v.is_empty()) {
            let dir = std::fs::canonicalize(&v)
                .or_else(|_| std::path::absolute(&v))
                .map_err(|e| anyhow::anyhow!("{var}: cannot make it absolute: {e}"))?;
            env.insert(var.into(), dir.to_string_lossy().into_owned().into());
        }
    }
    if !env.is_empty() {
        entry["env"] = env.into();
    }
    Ok(entry)
}

/// The entry that points the client at a server over HTTP (`--url`); a client that cannot
/// take the token from anywhere but its file is refused, with what to paste instead.
fn http_entry(
    ctx: &Context,
    args: &McpInstallArgs,
    url: &str,
) -> anyhow::Result<install::HttpEntry> {
    let client = install::client_name(args.client.into());
    let parsed = url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
        .ok_or_else(|| {
            Error::BadInput(format!(
                "--url {url}: not an http(s) URL; give the one `miiflow mcp serve --http` says, \
                 e.g. http://127.0.0.1:8931/mcp"
            ))
        })?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::BadInput(
            "--url: a user or password in the URL would put a secret in the client's file; \
             the token goes in the Authorization header, from the client's secret store"
                .into(),
        )
        .into());
    }
    let loopback = match parsed.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if parsed.scheme() == "http" && !loopback {
        ctx.warn(&format!(
            "--url {url}: plain http to another machine: the token crosses the network in \
             clear text; serve it with --tls-cert/--tls-key or behind a TLS proxy (https://…)"
        ));
    }
    install::http_entry(args.client.into(), url, &args.token_env, &args.name).map_err(|no| {
        let paste = no.paste.map_or(String::new(), |p| format!(":\n{p}"));
        Error::BadInput(format!(
            "{client} cannot keep a server's token out of its file: {}; nothing was \
             changed{paste}",
            no.why
        ))
        .into()
    })
}
