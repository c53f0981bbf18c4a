//! One file per command; `dispatch` builds the context and picks the handler.

pub(crate) mod agents;
pub(crate) mod api;
pub(crate) mod history;
pub(crate) mod history_stats;
pub(crate) mod keys;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod mcp;
pub(crate) mod results;
pub(crate) mod run;
pub(crate) mod status;
pub(crate) mod token;

use crate::cli::{Cli, Command};
use crate::context::Context;
use crate::ui::Ui;

/// Runs the command `cli` says, its bytes through `ui`; `argv` is the command line as given.
pub(crate) fn dispatch(cli: Cli, ui: Ui, argv: Vec<std::ffi::OsString>) -> anyhow::Result<()> {
    let command = match cli.command {
        // Needs no config, key or network.
        Command::Version(args) => return version(&ui, args.json),
        Command::Completions(args) => {
            ui.out(&crate::cli::generate::completions(args.shell))?;
            return Ok(());
        }
        Command::Results(command) => {
            // The key is looked up only to be masked in what is quoted from the files; a
            // missing key or config hides nothing and refuses nothing.
            let global = cli.global;
            let mask = || {
                Context::from_env(global.options(argv.clone()), ui.clone())
                    .ok()
                    .and_then(|ctx| ctx.resolve_key().ok())
                    .map(|r| r.key.mask())
                    .unwrap_or_default()
            };
            return results::run(&ui, command, &mask);
        }
        other => other,
    };
    let mut ctx = Context::from_env(cli.global.options(argv), ui)?;
    match command {
        Command::Run(args) => run::run(&ctx, args),
        Command::Login(args) => login::run(&mut ctx, args),
        Command::Logout(args) => logout::run(&mut ctx, args),
        Command::Status(args) => status::run(&ctx, args),
        Command::Keys(command) => keys::run(&mut ctx, command),
        Command::Token(args) => token::run(&ctx, args),
        Command::Api(args) => api::run(&ctx, args),
        Command::History(crate::cli::HistoryArgs {
            command: Some(crate::cli::HistoryCommand::Stats(args)),
            ..
        }) => history_stats::run(&ctx, &args),
        Command::History(args) => history::run(&ctx, args),
        Command::Agents(command) => agents::run(&mut ctx, command),
        Command::Mcp(command) => mcp::run(&mut ctx, command),
        Command::Completions(_) | Command::Version(_) | Command::Results(_) => Ok(()),
    }
}

/// `miiflow version [--json]`: what this binary is and what it was built with.
fn version(ui: &Ui, json: bool) -> anyhow::Result<()> {
    let stores: &[&str] = if cfg!(target_os = "linux") {
        &["secret-service"]
    } else if cfg!(target_os = "macos") {
        &["keychain"]
    } else if cfg!(windows) {
        &["windows-credential-manager"]
    } else {
        &[]
    };
    let commit = env!("MIIFLOW_COMMIT");
    let date = env!("MIIFLOW_COMMIT_DATE");
    let text = if json {
        serde_json::to_string_pretty(&serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "commit": (!commit.is_empty()).then_some(commit),
            "commit_date": (!date.is_empty()).then_some(date),
            "target": env!("MIIFLOW_TARGET"),
            "tls": "rustls (ring), the platform's trust store",
            "keyring_stores": stores,
        }))?
    } else {
        format!(
            "miiflow {}\ntarget: {}\ntls: rustls (ring), the platform's trust store\nkeyring stores: {}",
            env!("MIIFLOW_VERSION"),
            env!("MIIFLOW_TARGET"),
            stores.join(", ")
        )
    };
    ui.line(&text)?;
    Ok(())
}

/// The handlers on keyring-core's mock store: fast, in one process, no D-Bus.
#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use clap::Parser;
    use keyring_core::{Entry, Error as KeyringError, mock};

    use crate::cli::{Cli, LogoutArgs};
    use crate::config::Storage;
    use crate::context::Context;
    use crate::credentials::{ApiKey, KeyringStore, Origin};

    const KEY: &str = "mk_unit_0123456789abcd";

    fn context(
        dir: &std::path::Path,
        store: &Arc<keyring_core::CredentialStore>,
        args: &[&str],
    ) -> Context {
        let mut argv = vec!["miiflow"];
        argv.extend_from_slice(args);
        argv.push("status");
        let cli = Cli::parse_from(argv);
        // What the handlers say goes to buffers: the test's output stays clean.
        let ui = crate::ui::Ui::buffered(crate::ui::Terminal::default(), cli.global.quiet);
        Context::new(
            cli.global.options(Vec::new()),
            ui,
            dir.to_owned(),
            Box::new(KeyringStore::with_store(store.clone())),
        )
        .unwrap()
    }

    fn base() -> reqwest::Url {
        reqwest::Url::parse("https://api.miiflow.ai").unwrap()
    }

    #[test]
    fn login_stores_in_the_keyring_and_logout_forgets() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<keyring_core::CredentialStore> = mock::Store::new().unwrap();
        let key = ApiKey::parse(KEY).unwrap();
        let mut ctx = context(dir.path(), &store, &[]);
        super::login::store_key(&mut ctx, "default", &key, Storage::Keyring, &base(), None)
            .unwrap();
        assert_eq!(
            store
                .build("miiflow", "default", None)
                .unwrap()
                .get_password()
                .unwrap(),
            KEY
        );
        let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
        assert!(
            config.contains("storage = \"keyring\"") && !config.contains(KEY),
            "{config}"
        );

        // Another process would start from the files and the store.
        let ctx = context(dir.path(), &store, &[]);
        let resolved = ctx.resolve_key().unwrap();
        assert_eq!(
            (resolved.key.expose(), resolved.origin),
            (KEY, Origin::Stored(Storage::Keyring))
        );

        let mut ctx = context(dir.path(), &store, &[]);
        super::logout::run(&mut ctx, LogoutArgs { all: false }).unwrap();
        assert!(matches!(
            store
                .build("miiflow", "default", None)
                .unwrap()
                .get_password(),
            Err(KeyringError::NoEntry)
        ));
        super::logout::run(&mut ctx, LogoutArgs { all: false }).unwrap();
        assert!(ctx.resolve_key().is_err());
        // The handler spoke through its Ui: into the test's buffer, not the test's output.
        let (out, err) = ctx.ui.written();
        assert_eq!(out, "");
        assert!(
            err.starts_with("Logged out of profile 'default': its key is forgotten")
                && err.contains("Profile 'default' has no stored key: nothing to do."),
            "{err}"
        );
    }

    #[test]
    fn a_locked_keyring_stores_nothing_and_names_the_ways_on() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<keyring_core::CredentialStore> = mock::Store::new().unwrap();
        let entry: Entry = store.build("miiflow", "ci", None).unwrap();
        let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(KeyringError::NoStorageAccess(Box::new(
            std::io::Error::other("prompt dismissed"),
        )));
        let mut ctx = context(dir.path(), &store, &["--profile", "ci"]);
        let key = ApiKey::parse(KEY).unwrap();
        let err = super::login::store_key(&mut ctx, "ci", &key, Storage::Keyring, &base(), None)
            .unwrap_err();
        let text = format!("{err:#}");
        assert!(
            text.contains("unlock prompt")
                && text.contains("MIIFLOW_API_KEY")
                && text.contains("--insecure-storage"),
            "{text}"
        );
        assert!(!dir.path().join("config.toml").exists());
    }

    #[test]
    fn moving_a_key_to_the_keyring_removes_the_plain_file() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<keyring_core::CredentialStore> = mock::Store::new().unwrap();
        let key = ApiKey::parse(KEY).unwrap();
        let mut ctx = context(dir.path(), &store, &[]);
        super::login::store_key(&mut ctx, "default", &key, Storage::PlainFile, &base(), None)
            .unwrap();
        assert!(ctx.plain.path("default").exists());
        super::login::store_key(&mut ctx, "default", &key, Storage::Keyring, &base(), None)
            .unwrap();
        assert!(!ctx.plain.path("default").exists());
        assert_eq!(ctx.keyring.get("default").unwrap().unwrap().expose(), KEY);
    }
}
