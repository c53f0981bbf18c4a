//! The key API (an assumption of this project; see docs/API.md): list, create, delete.

use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;

use crate::client::{self, Options};
use crate::credentials::ApiKey;
use crate::error::Error;
use crate::request::{self, API_KEYS_PATH};

/// Key calls are quick; a stuck server must not hold a terminal for the run timeout.
const OPTIONS: Options = Options {
    connect_timeout: Duration::from_secs(10),
    timeout: Some(Duration::from_secs(30)),
};

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

pub(crate) struct Api {
    http: client::Http,
    base: Url,
}

impl Api {
    pub(crate) fn new(base: Url) -> anyhow::Result<Api> {
        Ok(Api {
            http: client::client(&base, OPTIONS)?,
            base,
        })
    }

    /// Says where the base URL came from in errors about reaching it.
    pub(crate) fn with_source(mut self, source: String) -> Api {
        self.http = self.http.with_source(source);
        self
    }

    fn url(&self, suffix: &str) -> Url {
        request::endpoint(&self.base, &format!("{API_KEYS_PATH}{suffix}"))
    }

    async fn send(
        &self,
        req: reqwest::RequestBuilder,
        key: &ApiKey,
    ) -> Result<(reqwest::StatusCode, Vec<u8>), Error> {
        let resp = req
            .bearer_auth(key.expose())
            .send()
            .await
            .map_err(|e| self.http.classify(&e))?;
        let status = resp.status();
        let mut resp = resp;
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.http.classify(&e))? {
            if body.len() + chunk.len() > MAX_ANSWER {
                return Err(Error::Network(format!(
                    "the key API's answer is larger than {}: not what a key list is",
                    crate::limits::show_size(MAX_ANSWER as u64)
                )));
            }
            body.extend_from_slice(&chunk);
        }
        if status.is_success() {
            return Ok((status, body));
        }
        Err(Error::Status {
            status: status.as_u16(),
            reason: crate::output::reason::status_reason(status.as_u16(), &body, &|t| {
                key.mask_in(t)
            }),
        })
    }

    pub(crate) async fn list(&self, key: &ApiKey) -> Result<Vec<KeyInfo>, Error> {
        let (_, body) = self
            .send(self.http.client.get(self.url("")), key)
            .await
            .map_err(no_api)?;
        serde_json::from_slice(&body)
            .map_err(|e| Error::Network(format!("the key list is not what was expected: {e}")))
    }

    pub(crate) async fn create(&self, key: &ApiKey, name: &str) -> Result<Created, Error> {
        let body = serde_json::json!({ "name": name }).to_string();
        let req = self
            .http
            .client
            .post(self.url(""))
            .header("Content-Type", "application/json")
            .body(body);
        let (_, body) = self.send(req, key).await.map_err(no_api)?;
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
        match self.send(self.http.client.delete(url), key).await {
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
