//! What every command needs to know about its surroundings: the global options, the config,
//! the stores, the environment, the terminal. Built once in `commands::dispatch`; handlers take
//! it so that tests can hand them other stores.

use std::ffi::OsString;
use std::path::PathBuf;

use reqwest::Url;

use crate::config::{self, Config, DEFAULT_PROFILE, Storage};
use crate::credentials::{self, ENV_KEY, KeyringStore, PlainFileStore, Resolved, Sources, Store};
use crate::error::Error;
use crate::request;
use crate::ui::Ui;

pub(crate) const PROFILE_ENV: &str = "MIIFLOW_PROFILE";
pub(crate) const BASE_URL_ENV: &str = "MIIFLOW_BASE_URL";

/// The options every command takes (`--profile`, `--base-url`, `-v`, `-q`, `--allow-http`),
/// and the command line as given (for a batch's "how to go on").
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub(crate) profile: Option<String>,
    pub(crate) base_url: Option<String>,
    pub(crate) verbose: u8,
    pub(crate) quiet: bool,
    pub(crate) allow_http: bool,
    /// The words after the program's name, read once.
    pub(crate) argv: Vec<std::ffi::OsString>,
}

pub(crate) struct Context {
    pub(crate) opts: Options,
    pub(crate) config_dir: PathBuf,
    pub(crate) config: Config,
    pub(crate) keyring: Box<dyn Store>,
    pub(crate) plain: PlainFileStore,
    pub(crate) env_key: Option<OsString>,
    pub(crate) env_profile: Option<String>,
    /// `MIIFLOW_BASE_URL`: the base URL when `--base-url` is not given (never saved to a
    /// profile: a stand-in's address must not outlive the shell that set it).
    pub(crate) env_base_url: Option<String>,
    /// Every byte a person sees goes through it.
    pub(crate) ui: Ui,
}

impl Context {
    pub(crate) fn from_env(opts: Options, ui: Ui) -> anyhow::Result<Context> {
        let keyring = Box::new(KeyringStore::native());
        let mut ctx = Context::new(opts, ui, config::dir()?, keyring)?;
        // Set but empty is unset, everywhere (runs, --curl's hint, status).
        ctx.env_key = crate::env::var_os(ENV_KEY).filter(|k| !k.is_empty());
        ctx.env_profile = crate::env::given(PROFILE_ENV);
        ctx.env_base_url = crate::env::given(BASE_URL_ENV);
        Ok(ctx)
    }

    /// A context with the given config folder and keyring, and nothing from the environment.
    pub(crate) fn new(
        opts: Options,
        ui: Ui,
        config_dir: PathBuf,
        keyring: Box<dyn Store>,
    ) -> anyhow::Result<Context> {
        if config::writable_by_others(&config_dir) {
            ui.warn(&format!(
                "{} can be written by other users, who could send your key to a server of \
                 theirs; run `chmod o-w` on it",
                Config::path(&config_dir).display()
            ));
        }
        Ok(Context {
            ui,
            config: Config::load(&config_dir)?,
            plain: PlainFileStore::new(&config_dir),
            keyring,
            env_key: None,
            env_profile: None,
            env_base_url: None,
            config_dir,
            opts,
        })
    }

    pub(crate) fn store(&self, storage: Storage) -> &dyn Store {
        match storage {
            Storage::Keyring => self.keyring.as_ref(),
            Storage::PlainFile => &self.plain,
        }
    }

    /// `--profile`, else `MIIFLOW_PROFILE`, else `default`.
    pub(crate) fn active_profile(&self) -> Result<String, Error> {
        let name = self
            .opts
            .profile
            .clone()
            .or_else(|| self.env_profile.clone())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        config::check_profile_name(&name)?;
        Ok(name)
    }

    /// The key to send. Which key hides which is for `status`, `-v` and auth errors to say
    /// (see [`key_note`]); a successful run says nothing about it.
    pub(crate) fn resolve_key(&self) -> Result<Resolved, Error> {
        if let Some(p) = &self.opts.profile {
            config::check_profile_name(p)?;
        }
        let resolved = credentials::resolve(&Sources {
            explicit_profile: self.opts.profile.as_deref(),
            env_key: self.env_key.clone(),
            env_profile: self.env_profile.as_deref(),
            config: &self.config,
            keyring: self.keyring.as_ref(),
            plain: &self.plain,
        })?;
        if self.opts.verbose > 0
            && let Some(note) = key_note(&resolved)
        {
            self.note(&note);
        }
        self.ui.mask_key(resolved.key.mask());
        if !resolved.key.maskable() && !self.opts.quiet {
            self.note(&short_key_note(&resolved.key));
        }
        Ok(resolved)
    }

    /// The id a word stands for in a filter (`history --agent`): an alias's id, or the word.
    pub(crate) fn target_id(&self, word: Option<&str>) -> Option<String> {
        word.map(|w| {
            self.active_profile()
                .ok()
                .and_then(|p| self.config.alias(&p, w).map(|alias| alias.id.clone()))
                .unwrap_or_else(|| w.to_owned())
        })
    }

    /// The base URL for a profile: `--base-url`, else `MIIFLOW_BASE_URL`, else the profile's,
    /// else the default.
    pub(crate) fn base_url(&self, profile: &str) -> Result<Url, Error> {
        let configured = self
            .config
            .profile(profile)
            .and_then(|p| p.base_url.clone());
        let text = self.override_base_url().map(str::to_owned).or(configured);
        request::base_url(text.as_deref(), self.opts.allow_http)
    }

    /// The base URL given for this command alone (`--base-url`, else `MIIFLOW_BASE_URL`),
    /// over every profile's.
    pub(crate) fn override_base_url(&self) -> Option<&str> {
        self.opts
            .base_url
            .as_deref()
            .or(self.env_base_url.as_deref())
    }

    /// Where a profile's base URL comes from, in the words of an error message.
    pub(crate) fn base_url_source(&self, profile: &str) -> String {
        if self.opts.base_url.is_some() {
            return "--base-url".to_owned();
        }
        if self.env_base_url.is_some() {
            return BASE_URL_ENV.to_owned();
        }
        match self
            .config
            .profile(profile)
            .and_then(|p| p.base_url.as_ref())
        {
            Some(_) => format!("profile '{profile}' (config.toml)"),
            None => "the default".to_owned(),
        }
    }

    /// The folder of the history to record runs of `profile` in, unless it is off
    /// (`--no-history`, `MIIFLOW_HISTORY=off`, `history = false` in config.toml). The
    /// database is opened by whoever records, off the main thread: a database that cannot be
    /// opened is a warning (once), never an error, and never a wait that signals cannot end.
    pub(crate) fn history_dir(&self, profile: &str, off: bool) -> Option<PathBuf> {
        if off || crate::history::off_by_env() || !self.config.history(profile) {
            return None;
        }
        let dir = crate::history::dir();
        if dir.is_none() {
            crate::history::warn(
                &self.ui,
                &anyhow::anyhow!(
                    "no home folder for it; set {}",
                    crate::history::DATA_DIR_ENV
                ),
            );
        }
        dir
    }

    /// Removes a profile's secret from wherever the config says it is (`logout`, `keys
    /// delete`).
    pub(crate) fn forget_secret(&self, config: &Config, profile: &str) -> anyhow::Result<()> {
        if let Some(storage) = config.profile(profile).and_then(|p| p.storage) {
            self.store(storage)
                .delete(profile)
                .map_err(|e| anyhow::anyhow!("cannot forget profile '{profile}''s key: {e}"))?;
        }
        Ok(())
    }

    /// Before the input is read from stdin on a terminal: how to end it.
    pub(crate) fn reading_stdin(&self, source: Option<&crate::input::Source>) {
        if matches!(source, Some(crate::input::Source::Stdin)) && self.ui.term().stdin_tty {
            self.ui
                .tell("reading the input from this terminal; end it with Ctrl-D");
        }
    }

    pub(crate) fn note(&self, message: &str) {
        self.ui.note(message);
    }

    pub(crate) fn warn(&self, message: &str) {
        self.ui.warn(message);
    }

    /// Changes the config under its lock, from a fresh read; `self.config` becomes the result.
    pub(crate) fn update_config<T>(
        &mut self,
        change: impl FnOnce(&Context, &mut Config) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let (config, out) = config::update(&self.config_dir, |config| change(self, config))?;
        self.config = config;
        Ok(out)
    }
}

/// For a key too short to mask: that it is not masked, and why.
pub(crate) fn short_key_note(key: &crate::credentials::ApiKey) -> String {
    format!(
        "the key is {} characters long, too short to tell from ordinary words: it is not \
         masked in answers, errors or the history (keys of {} characters or more are)",
        key.expose().chars().count(),
        crate::credentials::ApiKey::MIN_MASKED
    )
}

/// When `MIIFLOW_API_KEY` hides a stored key: the sentence that says so.
pub(crate) fn key_note(resolved: &Resolved) -> Option<String> {
    resolved.hidden.as_ref().map(|hidden| {
        format!(
            "using {ENV_KEY}; it takes precedence over the key stored for profile '{hidden}' \
             (pass --profile {hidden} to use that one)"
        )
    })
}
