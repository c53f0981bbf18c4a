//! The key API (an assumption of this project; see docs/API.md): list, create, delete.

use reqwest::Url;
use serde::Deserialize;

use crate::credentials::ApiKey;
use crate::engine::{Collect, Job, Net, Pace, Setup};
use crate::error::Error;
use crate::request::{self, API_KEYS_PATH, Request};
use crate::ui::Ui;

/// The most a key API answer may hold: a list of keys is small.
const MAX_ANSWER: usize = 8 * 1024 * 1024;

pub(crate) const NO_KEY_API: &str = "this server has no key API: create keys in the dashboard \
     (Settings › API Keys) and use `miiflow login`";

/// A key as the server lists it. Unknown fields are kept for `--json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct KeyInfo {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) created_at: Option<String>,
    #[serde(default)]
    pub(crate) last_used_at: Option<String>,
    #[serde(flatten)]
    pub(crate) rest: serde_json::Map<String, serde_json::Value>,
}

impl KeyInfo {
    /// Whether this listed key is `key`, by the `last4` the list may carry.
    pub(crate) fn is(&self, key: &ApiKey) -> bool {
        let secret: Vec<char> = key.expose().chars().collect();
        let last4: String = secret[secret.len().saturating_sub(4)..].iter().collect();
        self.rest.get("last4").and_then(|v| v.as_str()) == Some(last4.as_str())
    }
}

/// The one listed key that is `key` (by `last4`), if the list says so unambiguously.
pub(crate) fn find<'a>(keys: &'a [KeyInfo], key: &ApiKey) -> Option<&'a KeyInfo> {
    let mut matching = keys.iter().filter(|k| k.is(key));
    let one = matching.next()?;
    matching.next().is_none().then_some(one)
}

/// A key just created: the only time the server shows its secret.
#[derive(Deserialize)]
pub(crate) struct Created {
    pub(crate) id: String,
    pub(crate) name: String,
    key: secrecy::SecretString,
}

impl Created {
    pub(crate) fn secret(&self) -> Result<ApiKey, Error> {
        use secrecy::ExposeSecret;
        ApiKey::parse(self.key.expose_secret())
            .map_err(|why| Error::Network(format!("the server sent an unusable key: {why}")))
    }
}

/// The key API's client: its requests are sent, and their answers read, by the engine's
/// [`Job`] (the same send, body reader and failure words as a run), with the key calls' own
/// timeouts and no retries (a create is not repeated on a doubt).
pub(crate) struct Api {
    job: Job,
    base: Url,
}

impl Api {
    /// The key API of `base` (whose address came from `source`), called with `key` unless a
    /// call names another.
    pub(crate) fn new(base: &Url, source: String, key: ApiKey, ui: &Ui) -> anyhow::Result<Api> {
        let setup = Setup {
            key,
            base,
            source,
            net: Net::KEY_API,
            pace: Pace::Single,
            ui,
        };
        Ok(Api {
            job: Job::new(setup, 0, None, MAX_ANSWER)?,
            base: base.clone(),
        })
    }

    fn url(&self, suffix: &str) -> Url {
        request::endpoint(&self.base, &format!("{API_KEYS_PATH}{suffix}"))
    }

    /// A 2xx answer's body; anything else is the error it means, the key masked in it.
    async fn send(&self, req: Request, key: &ApiKey) -> Result<Vec<u8>, Error> {
        let job = self.job.rekeyed(key);
        let too_big = || {
            Error::Network(format!(
                "the key API's answer is larger than {}: not what a key list is",
                crate::limits::show_size(MAX_ANSWER as u64)
            ))
        };
        let collect = Collect {
            max: MAX_ANSWER,
            too_big: &too_big,
            prefix: "",
            say: &|_| {},
        };
        let fetched = job.fetch(&req, None, &collect).await?;
        if (200..300).contains(&fetched.status) {
            return Ok(fetched.body);
        }
        Err(Error::Status {
            status: fetched.status,
            reason: crate::output::reason::status_reason(fetched.status, &fetched.body, &|t| {
                job.masked(t)
            }),
        })
    }

    pub(crate) async fn list(&self, key: &ApiKey) -> Result<Vec<KeyInfo>, Error> {
        let req = Request {
            method: reqwest::Method::GET,
            url: self.url(""),
            body: None,
        };
        let body = self.send(req, key).await.map_err(no_api)?;
        serde_json::from_slice(&body)
            .map_err(|e| Error::Network(format!("the key list is not what was expected: {e}")))
    }

    pub(crate) async fn create(&self, key: &ApiKey, name: &str) -> Result<Created, Error> {
        let req = Request {
            method: reqwest::Method::POST,
            url: self.url(""),
            body: Some(serde_json::json!({ "name": name }).to_string().into()),
        };
        let body = self.send(req, key).await.map_err(no_api)?;
        serde_json::from_slice(&body).map_err(|e| {
            Error::Network(format!(
                "the new key's answer is not what was expected: {e}"
            ))
        })
    }

    /// Revokes a key; false when the server no longer had it.
    pub(crate) async fn delete(&self, key: &ApiKey, id: &str) -> Result<bool, Error> {
        let mut url = self.url("");
        url.path_segments_mut()
            .map_err(|()| Error::BadInput("the base URL cannot take a path".into()))?
            .push(id);
        let req = Request {
            method: reqwest::Method::DELETE,
            url,
            body: None,
        };
        match self.send(req, key).await {
            Ok(_) => Ok(true),
            Err(Error::Status { status: 404, .. }) => Ok(false),
            Err(e) => Err(no_api(e)),
        }
    }
}

/// A 404 or 405 from the key API means the server has none: say so, and what to do instead.
fn no_api(e: Error) -> Error {
    match e {
        Error::Status {
            status: s @ (404 | 405),
            ..
        } => Error::Status {
            status: s,
            reason: format!("HTTP {s}: {NO_KEY_API}"),
        },
        e => e,
    }
}

/// Whether an error says the server has no key API.
pub(crate) fn is_no_key_api(e: &Error) -> bool {
    matches!(
        e,
        Error::Status {
            status: 404 | 405,
            ..
        }
    )
}
