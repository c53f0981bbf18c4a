//! Pure request building: (base URL, agent id, input, key) → the request, and its renderings
//! for `--dry-run`, `--curl` and `--verbose`. No I/O.

use std::net::IpAddr;

use reqwest::Url;

use crate::credentials::{ApiKey, ENV_KEY};
use crate::error::Error;
pub(crate) use crate::target::RunTarget;

pub(crate) const DEFAULT_BASE_URL: &str = "https://api.miiflow.ai";
pub(crate) const AGENT_RUN_PATH: &str = "/api/v1/agent_run";
/// The second contract: `{WORKFLOWS_PATH}/{id}/run`.
pub(crate) const WORKFLOWS_PATH: &str = "/v1/workflows";
/// The key API: assumed, not documented by Miiflow (see docs/API.md).
pub(crate) const API_KEYS_PATH: &str = "/api/v1/api_keys";
pub(crate) const USER_AGENT: &str = concat!("miiflow/", env!("CARGO_PKG_VERSION"));

/// True for hosts whose traffic never leaves the machine.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Checks the base URL: http or https with a host, no query; plain http only to loopback
/// unless `allow_http`.
pub(crate) fn base_url(arg: Option<&str>, allow_http: bool) -> Result<Url, Error> {
    let text = arg.unwrap_or(DEFAULT_BASE_URL);
    let shown = hide_userinfo(text);
    let bad = |why: &str| Error::BadInput(format!("base URL '{shown}': {why}"));
    if !text.contains("://") {
        // A loopback host (a local stand-in) speaks plain http; anything else https.
        let bare = shown.trim_start_matches('/');
        let scheme = match Url::parse(&format!("http://{bare}")) {
            Ok(u) if is_loopback(&u) => "http",
            _ => "https",
        };
        return Err(bad(&format!(
            "start it with {scheme}:// ({scheme}://{bare})"
        )));
    }
    let url = Url::parse(text).map_err(|e| bad(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "remove the user name and password (USER:PASSWORD@): the API key is the only \
             credential miiflow sends",
        ));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(
            "the scheme must be https:// (or http:// to this machine)",
        ));
    }
    if url.host().is_none() {
        return Err(bad("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or fragment"));
    }
    // The documented endpoint pasted whole, or its /api/v1 prefix: miiflow adds these itself.
    let path = url.path().trim_end_matches('/');
    for suffix in [AGENT_RUN_PATH, "/api/v1", API_KEYS_PATH] {
        if let Some(prefix) = path.strip_suffix(suffix) {
            let mut base = url.clone();
            base.set_path(if prefix.is_empty() { "/" } else { prefix });
            return Err(bad(&format!(
                "that includes {suffix}, which miiflow adds itself; use {}",
                base.as_str().trim_end_matches('/')
            )));
        }
    }
    if url.scheme() == "http" && !allow_http && !is_loopback(&url) {
        return Err(Error::BadInput(format!(
            "refusing to send the API key over plain http:// to {}: use https://, or \
             --allow-http if you accept that anyone on the way can read the key",
            url.host_str().unwrap_or_default()
        )));
    }
    Ok(url)
}

/// A URL as typed, with anything before an `@` in its authority replaced by `…`, so that a
/// password never reaches a message.
fn hide_userinfo(text: &str) -> String {
    let Some(start) = text.find("://").map(|i| i + 3) else {
        return text.to_owned();
    };
    let end = text[start..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |i| start + i);
    match text[start..end].rfind('@') {
        Some(at) => format!("{}…@{}", &text[..start], &text[start + at + 1..]),
        None => text.to_owned(),
    }
}

/// `prefix` + `input` + `}`, reusing the input's buffer.
fn wrap(prefix: Vec<u8>, mut body: Vec<u8>) -> bytes::Bytes {
    body.reserve_exact(prefix.len() + 1);
    body.splice(0..0, prefix);
    body.push(b'}');
    body.into()
}

/// Joins a path onto the base, keeping any path prefix the base has.
pub(crate) fn endpoint(base: &Url, path: &str) -> Url {
    let joined = format!("{}{path}", base.as_str().trim_end_matches('/'));
    Url::parse(&joined).expect("a checked base URL plus a path is a URL")
}

/// One request, ready to send: a run, or any call of `miiflow api`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    pub(crate) method: reqwest::Method,
    pub(crate) url: Url,
    /// Cheap to clone for a retry, however large. `None`: no body, no Content-Type.
    pub(crate) body: Option<bytes::Bytes>,
}

impl Request {
    /// A run of either contract.
    pub(crate) fn run(base: &Url, target: &RunTarget, input: impl Into<Vec<u8>>) -> Request {
        match target {
            RunTarget::Agent(id) => Request::agent_run(base, id, input),
            RunTarget::Workflow(id) => Request::workflow_run(base, id, input),
        }
    }

    /// The body is `{"agent_id":…,"input":…}`, as Miiflow documents it, with `input` exactly
    /// the bytes given. The input's buffer becomes the body's, so a large input is not copied.
    pub(crate) fn agent_run(base: &Url, agent_id: &str, input: impl Into<Vec<u8>>) -> Request {
        let mut prefix = b"{\"agent_id\":".to_vec();
        serde_json::to_writer(&mut prefix, agent_id).expect("writing to a Vec");
        prefix.extend_from_slice(b",\"input\":");
        Request {
            method: reqwest::Method::POST,
            url: endpoint(base, AGENT_RUN_PATH),
            body: Some(wrap(prefix, input.into())),
        }
    }

    /// `POST {base}/v1/workflows/{id}/run` with `{"input":…}` (the id checked by
    /// [`RunTarget::workflow`], percent-encoded as one segment).
    pub(crate) fn workflow_run(base: &Url, id: &str, input: impl Into<Vec<u8>>) -> Request {
        let mut url = endpoint(base, WORKFLOWS_PATH);
        url.path_segments_mut()
            .expect("an http(s) URL has path segments")
            .push(id)
            .push("run");
        Request {
            method: reqwest::Method::POST,
            url,
            body: Some(wrap(b"{\"input\":".to_vec(), input.into())),
        }
    }

    /// The `input` of a run, as sent: the body less the envelope this module put around it
    /// (shares the body's buffer). `None` for a request that is not a run.
    pub(crate) fn run_input(&self) -> Option<bytes::Bytes> {
        let body = self.body.as_ref()?;
        let start = if let Some(rest) = body.strip_prefix(b"{\"agent_id\":") {
            let mut ids = serde_json::Deserializer::from_slice(rest).into_iter::<String>();
            ids.next()?.ok()?;
            let after = 12 + ids.byte_offset();
            body[after..]
                .starts_with(b",\"input\":")
                .then_some(after + 9)?
        } else if body.starts_with(b"{\"input\":") {
            9
        } else {
            return None;
        };
        (body.len() > start && body.ends_with(b"}")).then(|| body.slice(start..body.len() - 1))
    }

    /// Any call (`miiflow api`).
    pub(crate) fn call(method: reqwest::Method, url: Url, body: Option<Vec<u8>>) -> Request {
        Request {
            method,
            url,
            body: body.map(Into::into),
        }
    }

    /// The method can be sent again after a 502/503/504 without doing anything twice.
    pub(crate) fn idempotent(&self) -> bool {
        matches!(self.method, reqwest::Method::GET | reqwest::Method::HEAD)
    }

    /// The headers sent, with the key masked unless `reveal` (used only to build the real request).
    pub(crate) fn headers(
        &self,
        key: Option<&ApiKey>,
        reveal: bool,
    ) -> Vec<(&'static str, String)> {
        let auth = match key {
            Some(k) if reveal => format!("Bearer {}", k.expose()),
            Some(k) => format!("Bearer {}", k.masked()),
            None => "Bearer <no key: run `miiflow login` or set MIIFLOW_API_KEY>".into(),
        };
        let mut headers = vec![("Authorization", auth)];
        if self.body.is_some() {
            headers.push(("Content-Type", "application/json".into()));
        }
        headers.push(("User-Agent", USER_AGENT.into()));
        headers
    }

    /// What `--dry-run` prints: request line, headers (key masked), blank line, body. With
    /// `color`, coloured as xh's `--offline` is, the body's bytes kept as they will be sent.
    pub(crate) fn dry_run(&self, key: Option<&ApiKey>, color: bool) -> String {
        let paint = |code: &str, text: &str| match color {
            true => format!("\x1b[{code}m{text}\x1b[0m"),
            false => text.to_owned(),
        };
        let mut out = format!(
            "{} {}\n",
            paint("32;1", self.method.as_str()),
            paint("36", self.url.as_str())
        );
        for (name, value) in self.headers(key, false) {
            out.push_str(&format!("{}: {value}\n", paint("34;1", name)));
        }
        if let Some(body) = &self.body {
            out.push('\n');
            let body = match color {
                true => crate::output::reformat(body, crate::output::Layout::Keep, true)
                    .unwrap_or_else(|| body.to_vec()),
                false => body.to_vec(),
            };
            out.push_str(&String::from_utf8_lossy(&body));
            out.push('\n');
        }
        out
    }

    /// An equivalent curl command; the key is read from the environment when it runs.
    pub(crate) fn to_curl(&self) -> String {
        let quote = |s: &str| {
            shlex::try_quote(s)
                .map(|q| q.into_owned())
                .unwrap_or_else(|_| format!("'{}'", s.replace('\'', r"'\''")))
        };
        let mut out = format!(
            "curl -sS -X {} {} \\\n  -H \"Authorization: Bearer ${ENV_KEY}\"",
            self.method,
            quote(self.url.as_str())
        );
        if let Some(body) = &self.body {
            out.push_str(&format!(
                " \\\n  -H 'Content-Type: application/json' \\\n  --data-binary {}",
                quote(&String::from_utf8_lossy(body))
            ));
        }
        out.push('\n');
        out
    }
}

/// A URL without its password, for messages.
pub(crate) fn redact(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("xxxxx"));
    }
    shown.as_str().trim_end_matches('/').to_owned()
}

/// Whether two URLs are on the same origin (scheme, host, port): the key is sent only to the
/// API's own (`api PATH`, and redirects).
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The path joined onto the base URL, or a full URL that must be on the API's own origin: the
/// key is never sent anywhere else.
pub(crate) fn api_url(base: &reqwest::Url, path: &str) -> Result<reqwest::Url, Error> {
    // Only a PATH that starts with a scheme is a full URL (`/x?cb=https://…` is a path).
    let scheme = path.split_once("://").map(|(s, _)| s);
    let full = scheme.is_some_and(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if full {
        let url = reqwest::Url::parse(path)
            .map_err(|e| Error::BadInput(format!("'{path}': not a URL ({e})")))?;
        if !same_origin(&url, base) || !url.username().is_empty() || url.password().is_some() {
            return Err(Error::BadInput(format!(
                "'{}' is not on the API's origin ({}): the key is only ever sent there; give a \
                 path such as /v1/workflows, or change --base-url",
                redact(&url),
                base.origin().ascii_serialization()
            )));
        }
        return Ok(url);
    }
    let joined = format!("/{}", path.trim_start_matches('/'));
    reqwest::Url::parse(&format!("{}{joined}", base.as_str().trim_end_matches('/')))
        .map_err(|e| Error::BadInput(format!("'{path}': not a usable path ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_gives_back_its_input_exactly() {
        let base = Url::parse("https://api.miiflow.ai").unwrap();
        for target in [
            RunTarget::Agent("a\"input\":x".into()),
            RunTarget::Workflow("wf_1".into()),
        ] {
            let req = Request::run(&base, &target, b"{\"n\": 1.50}".to_vec());
            assert_eq!(
                req.run_input().unwrap(),
                &b"{\"n\": 1.50}"[..],
                "{target:?}"
            );
        }
        let call = Request::call(reqwest::Method::GET, base, None);
        assert_eq!(call.run_input(), None);
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn base_urls() {
        let table: &[(Option<&str>, bool, Result<&str, &str>)] = &[
            (None, false, Ok("https://api.miiflow.ai/")),
            (
                Some("http://127.0.0.1:8080"),
                false,
                Ok("http://127.0.0.1:8080/"),
            ),
            (Some("http://127.8.0.1"), false, Ok("http://127.8.0.1/")),
            (Some("http://[::1]:9"), false, Ok("http://[::1]:9/")),
            (Some("http://localhost:9"), false, Ok("http://localhost:9/")),
            (Some("http://example.com"), false, Err("plain http://")),
            (Some("http://example.com"), true, Ok("http://example.com/")),
            (Some("ftp://example.com"), false, Err("scheme")),
            (Some("https://x.io/?a=1"), false, Err("query")),
            (Some("not a url"), false, Err("base URL")),
            (Some("https://user:pw@x.io"), false, Err("USER:PASSWORD@")),
            (Some("https://user@x.io"), false, Err("USER:PASSWORD@")),
            (
                Some("https://api.miiflow.ai/api/v1/agent_run"),
                false,
                Err(
                    "that includes /api/v1/agent_run, which miiflow adds itself; use https://api.miiflow.ai",
                ),
            ),
            (
                Some("https://x.io/proxy/api/v1/"),
                false,
                Err("that includes /api/v1, which miiflow adds itself; use https://x.io/proxy"),
            ),
            (
                Some("example.com"),
                false,
                Err("start it with https:// (https://example.com)"),
            ),
            (
                Some("127.0.0.1:8787"),
                false,
                Err("start it with http:// (http://127.0.0.1:8787)"),
            ),
            (
                Some("localhost:8787/x"),
                false,
                Err("start it with http:// (http://localhost:8787/x)"),
            ),
            (
                Some("api.miiflow.ai/x"),
                false,
                Err("(https://api.miiflow.ai/x)"),
            ),
            (
                Some("https://x.io/api/v2"),
                false,
                Ok("https://x.io/api/v2"),
            ),
        ];
        for (arg, allow, want) in table {
            let got = base_url(*arg, *allow)
                .map(|u| u.to_string())
                .map_err(|e| e.to_string());
            match (got, want) {
                (Ok(g), Ok(w)) => assert_eq!(&g, w),
                (Err(g), Err(w)) => assert!(g.contains(w), "{arg:?}: {g}"),
                (g, w) => panic!("{arg:?}: got {g:?}, want {w:?}"),
            }
        }
    }

    #[test]
    fn refused_userinfo_never_shows_the_password() {
        for text in [
            "https://user:hunter2@x.io/",
            "http://user:hunter2@example.com",
            "https://user:hunter2@[::1",
        ] {
            let err = base_url(Some(text), false).unwrap_err().to_string();
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn agent_run_matches_the_documented_request() {
        let table = [
            (
                "https://api.miiflow.ai",
                "https://api.miiflow.ai/api/v1/agent_run",
            ),
            (
                "https://api.miiflow.ai/",
                "https://api.miiflow.ai/api/v1/agent_run",
            ),
            (
                "http://127.0.0.1:3000/proxy/",
                "http://127.0.0.1:3000/proxy/api/v1/agent_run",
            ),
        ];
        for (base, want) in table {
            let req = Request::agent_run(&url(base), "agent_xxxYYYzzz", &br#"{"a":1}"#[..]);
            assert_eq!(req.url.as_str(), want);
            assert_eq!(
                req.body.as_deref(),
                Some(&br#"{"agent_id":"agent_xxxYYYzzz","input":{"a":1}}"#[..])
            );
        }
        let req = Request::agent_run(&url("https://x.io"), "a\"b", &b"1"[..]);
        assert_eq!(
            req.body.as_deref(),
            Some(&br#"{"agent_id":"a\"b","input":1}"#[..])
        );
    }

    #[test]
    fn workflow_runs_match_the_second_contract() {
        let table = [
            (
                "https://api.miiflow.ai",
                "wf_123",
                "https://api.miiflow.ai/v1/workflows/wf_123/run",
            ),
            (
                "http://127.0.0.1:9/p/",
                "a b%",
                "http://127.0.0.1:9/p/v1/workflows/a%20b%25/run",
            ),
        ];
        for (base, id, want) in table {
            let target = RunTarget::workflow(id).unwrap();
            let req = Request::run(&url(base), &target, &b"\"Your input data\""[..]);
            assert_eq!(req.url.as_str(), want);
            assert_eq!(
                req.body.as_deref(),
                Some(&br#"{"input":"Your input data"}"#[..])
            );
        }
        for bad in ["", ".", "..", "a/b", "a?b", "a#b", "a\\b", "a\nb"] {
            assert!(RunTarget::workflow(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn calls_without_a_body_send_no_content_type() {
        let req = Request::call(reqwest::Method::GET, url("https://x.io/v1/workflows"), None);
        let key = ApiKey::parse("mk_secret_value_9876").unwrap();
        let names: Vec<&str> = req
            .headers(Some(&key), false)
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(names, ["Authorization", "User-Agent"]);
        assert_eq!(
            req.dry_run(Some(&key), false),
            format!(
                "GET https://x.io/v1/workflows\nAuthorization: Bearer mk_…9876\nUser-Agent: {USER_AGENT}\n"
            )
        );
        assert!(
            req.to_curl()
                .starts_with("curl -sS -X GET https://x.io/v1/workflows \\\n"),
            "{}",
            req.to_curl()
        );
        assert!(!req.to_curl().contains("Content-Type"));
        assert!(req.idempotent());
    }

    #[test]
    fn renderings_never_show_the_key() {
        let key = ApiKey::parse("mk_secret_value_9876").unwrap();
        let req = Request::agent_run(&url("https://x.io"), "agent_1", &b"{}"[..]);
        let dry = req.dry_run(Some(&key), false);
        assert!(
            dry.starts_with("POST https://x.io/api/v1/agent_run\n"),
            "{dry}"
        );
        assert!(dry.contains("Authorization: Bearer mk_…9876"), "{dry}");
        assert!(!dry.contains("secret_value"), "{dry}");
        let curl = req.to_curl();
        assert!(
            curl.contains("\"Authorization: Bearer $MIIFLOW_API_KEY\""),
            "{curl}"
        );
        assert!(
            curl.contains(r#"'{"agent_id":"agent_1","input":{}}'"#),
            "{curl}"
        );
        let real = req.headers(Some(&key), true);
        assert_eq!(real[0].1, "Bearer mk_secret_value_9876");
    }

    #[test]
    fn curl_quotes_single_quotes() {
        let req = Request::agent_run(&url("https://x.io"), "agent_1", &br#"{"q":"it's"}"#[..]);
        let curl = req.to_curl();
        assert!(!curl.contains("it's'"), "{curl}");
    }

    #[test]
    fn paths_stay_on_the_api_origin() {
        let base = reqwest::Url::parse("https://api.miiflow.ai/prefix/").unwrap();
        let ok = [
            (
                "/v1/workflows",
                "https://api.miiflow.ai/prefix/v1/workflows",
            ),
            (
                "v1/workflows?limit=5",
                "https://api.miiflow.ai/prefix/v1/workflows?limit=5",
            ),
            ("https://api.miiflow.ai:443/x", "https://api.miiflow.ai/x"),
            (
                "/x?cb=https://example.com/y",
                "https://api.miiflow.ai/prefix/x?cb=https://example.com/y",
            ),
        ];
        for (path, want) in ok {
            assert_eq!(api_url(&base, path).unwrap().as_str(), want, "{path}");
        }
        for path in [
            "https://evil.example/v1",
            "http://api.miiflow.ai/v1",
            "https://api.miiflow.ai:8443/v1",
            "https://user:pw@api.miiflow.ai/v1",
        ] {
            let err = api_url(&base, path).unwrap_err().to_string();
            assert!(err.contains("not on the API's origin"), "{path}: {err}");
            assert!(!err.contains("pw@"), "{err}");
        }
    }
}
