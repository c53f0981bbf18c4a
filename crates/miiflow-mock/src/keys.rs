//! The key API (an assumption of this project, see docs/API.md): create, list, delete.

use hyper::{Method, Response, StatusCode};

use bytes::Bytes;

use super::reply::{Body, error, full, json, now};

/// A key the stand-in knows.
pub(super) struct KeyRecord {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) secret: String,
    pub(super) created_at: String,
    pub(super) last_used_at: Option<String>,
}

/// The keys accepted, and how many were created (for their ids).
#[derive(Default)]
pub(super) struct Keys {
    pub(super) keys: Vec<KeyRecord>,
    pub(super) created: u64,
}

impl Keys {
    /// Whether `secret` is a key this stand-in accepts; if so, it was just used.
    pub(super) fn used(&mut self, secret: Option<&str>) -> bool {
        match self
            .keys
            .iter_mut()
            .find(|k| Some(k.secret.as_str()) == secret)
        {
            Some(k) => {
                k.last_used_at = Some(now());
                true
            }
            None => false,
        }
    }
}

impl KeyRecord {
    /// The key as the key API lists it: never its secret, only its last four characters.
    fn listing(&self) -> serde_json::Value {
        let last4: String = {
            let chars: Vec<char> = self.secret.chars().collect();
            chars[chars.len().saturating_sub(4)..].iter().collect()
        };
        let mut v = serde_json::json!({"id": self.id, "name": self.name, "created_at": self.created_at, "last4": last4});
        if let Some(used) = &self.last_used_at {
            v["last_used_at"] = used.clone().into();
        }
        v
    }
}

impl Keys {
    /// Every key, as listed.
    pub(super) fn listed(&self) -> Vec<serde_json::Value> {
        self.keys.iter().map(KeyRecord::listing).collect()
    }
}

pub(super) fn keys(st: &mut Keys, method: &Method, rest: &str, body: &[u8]) -> Response<Body> {
    match (method, rest) {
        (&Method::GET, "" | "/") => json(
            StatusCode::OK,
            serde_json::Value::from(st.listed()).to_string(),
        ),
        (&Method::POST, "" | "/") => {
            #[derive(serde::Deserialize)]
            struct Create {
                name: String,
            }
            let Ok(Create { name }) = serde_json::from_slice::<Create>(body) else {
                return error(StatusCode::BAD_REQUEST, "expected {\"name\": \"…\"}");
            };
            if name.trim().is_empty() {
                return error(StatusCode::BAD_REQUEST, "name is empty");
            }
            st.created += 1;
            let n = st.created;
            // Random like a real key: masked keys (`mk_…3f9a`) tell apart.
            let secret: String = (0..24)
                .map(|_| char::from_digit(fastrand::u32(0..16), 16).expect("a hex digit"))
                .collect();
            let record = KeyRecord {
                id: format!("key_new{n:04}"),
                name,
                secret: format!("mk_mock_{secret}"),
                created_at: now(),
                last_used_at: None,
            };
            let out = serde_json::json!({
                "id": record.id, "name": record.name, "key": record.secret, "created_at": record.created_at,
            });
            st.keys.push(record);
            json(StatusCode::CREATED, out.to_string())
        }
        (&Method::DELETE, id) if id.starts_with('/') => {
            let id = &id[1..];
            match st.keys.iter().position(|k| k.id == id) {
                Some(i) => {
                    st.keys.remove(i);
                    let mut resp = Response::new(full(Bytes::new()));
                    *resp.status_mut() = StatusCode::NO_CONTENT;
                    resp
                }
                None => error(StatusCode::NOT_FOUND, &format!("no key {id}")),
            }
        }
        _ => error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed"),
    }
}
