//! The stand-in server: hyper on a loopback port, state in memory.

use std::collections::VecDeque;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::value::RawValue;

use super::Fault;
use super::answers::{canned, truncated};
use super::keys::{KeyRecord, Keys, keys};
use super::reply::{Body, error, full, json, now};

/// What the mock serves.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Keys accepted as `Authorization: Bearer KEY`; keys created through the key API join them.
    pub keys: Vec<String>,
    /// A folder of `AGENT_ID.json` canned answers; without it every run is echoed.
    pub answers: Option<PathBuf>,
    /// Added before every `agent_run` answer.
    pub latency: Duration,
    /// Consumed one per `agent_run` request, in order.
    pub faults: Vec<Fault>,
    /// Consumed one per key-API request, in order (statuses and `drop` apply there).
    pub key_faults: Vec<Fault>,
    /// Every request as a JSON line (method, path, headers, body).
    pub log: Option<PathBuf>,
    /// Answer 404 to the key API, as a server without one would.
    pub no_key_api: bool,
    /// Serve https with this certificate chain and key (PEM files).
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Keep every request in memory too, for [`Mock::requests`] (a test's in-process stand-in).
    pub remember: bool,
}

/// The TLS settings for `--tls-cert`/`--tls-key`.
fn tls_config(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> std::io::Result<Arc<rustls::ServerConfig>> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let bad = |what: &std::path::Path, e: &dyn std::fmt::Display| {
        std::io::Error::other(format!("{}: {e}", what.display()))
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad(cert, &e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(cert, &e))?;
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| bad(key, &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| bad(cert, &e))?;
    Ok(Arc::new(config))
}

pub(super) struct State {
    pub(super) config: Config,
    pub(super) keys: Keys,
    pub(super) runs: u64,
    pub(super) faults: VecDeque<Fault>,
    pub(super) key_faults: VecDeque<Fault>,
    pub(super) log: Option<std::fs::File>,
    /// Every request, when [`Config::remember`] says so.
    pub(super) requests: Vec<serde_json::Value>,
    pub(super) started: std::time::Instant,
    /// Inputs whose `$fault` has been served.
    pub(super) directed: std::collections::HashSet<Bytes>,
}

/// A running mock.
pub struct Mock {
    addr: SocketAddr,
    /// `None` in a handle made by [`Mock::clone_handle`], which only reads.
    task: Option<tokio::task::JoinHandle<()>>,
    https: bool,
    state: Arc<Mutex<State>>,
}

impl Mock {
    /// Binds `addr` (port 0 for a free one) and serves in the background of the current runtime.
    pub async fn start(addr: SocketAddr, config: Config) -> std::io::Result<Mock> {
        let tls = match &config.tls {
            Some((cert, key)) => Some(tokio_rustls::TlsAcceptor::from(tls_config(cert, key)?)),
            None => None,
        };
        let https = tls.is_some();
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let log = match &config.log {
            Some(path) => Some(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?,
            ),
            None => None,
        };
        let keys = config
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| KeyRecord {
                id: format!("key_mock{:04}", i + 1),
                name: if i == 0 {
                    "mock".into()
                } else {
                    format!("mock-{}", i + 1)
                },
                secret: k.clone(),
                created_at: now(),
                last_used_at: None,
            })
            .collect();
        let state = Arc::new(Mutex::new(State {
            faults: config.faults.iter().cloned().collect(),
            key_faults: config.key_faults.iter().cloned().collect(),
            started: std::time::Instant::now(),
            directed: Default::default(),
            config,
            keys: Keys { keys, created: 0 },
            runs: 0,
            log,
            requests: Vec::new(),
        }));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                // TLS writes a handshake in pieces: without this, Nagle's algorithm meets the
                // client's delayed ACK and a run waits 40 ms at random.
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| handle(state.clone(), req));
                    let http = hyper::server::conn::http1::Builder::new();
                    match tls {
                        Some(acceptor) => {
                            // A client that refuses our certificate just goes away.
                            if let Ok(stream) = acceptor.accept(stream).await {
                                let _ = http.serve_connection(TokioIo::new(stream), service).await;
                            }
                        }
                        None => {
                            let _ = http.serve_connection(TokioIo::new(stream), service).await;
                        }
                    }
                });
            }
        });
        Ok(Mock {
            addr,
            task: Some(task),
            https,
            state: shared,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    pub fn stop(self) {
        if let Some(task) = self.task {
            task.abort();
        }
    }

    /// A handle that reads this mock's requests and keys (from another thread); stopping it
    /// does nothing.
    pub(crate) fn clone_handle(&self) -> Mock {
        Mock {
            addr: self.addr,
            task: None,
            https: self.https,
            state: self.state.clone(),
        }
    }

    /// Every request so far, in order, as the log writes them (with [`Config::remember`]).
    pub fn requests(&self) -> Vec<serde_json::Value> {
        self.state.lock().expect("mock state").requests.clone()
    }

    /// The keys the key API knows, as it lists them.
    pub fn keys(&self) -> Vec<serde_json::Value> {
        self.state.lock().expect("mock state").keys.listed()
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    req: Request<Incoming>,
) -> Result<Response<Body>, std::io::Error> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    let path = parts.uri.path().to_owned();
    let auth = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    {
        let mut st = state.lock().expect("mock state");
        let headers: serde_json::Map<String, serde_json::Value> = parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
            .collect();
        let line = serde_json::json!({
            "ms": st.started.elapsed().as_millis() as u64,
            "method": parts.method.as_str(),
            "path": path,
            "headers": headers,
            "body": String::from_utf8_lossy(&body),
        });
        if let Some(log) = st.log.as_mut() {
            // One write per line: a reader polling the log never sees half a line from us.
            let mut text = line.to_string();
            text.push('\n');
            let _ = log.write_all(text.as_bytes());
        }
        if st.config.remember {
            st.requests.push(line);
        }
    }
    let authorised = state.lock().expect("mock state").keys.used(auth.as_deref());
    let keys_path = path.strip_prefix("/api/v1/api_keys");
    // The second contract: /v1/workflows/{id}/run, the id one percent-encoded segment.
    let workflow = path
        .strip_prefix("/v1/workflows/")
        .and_then(|rest| rest.strip_suffix("/run"))
        .filter(|id| !id.is_empty() && !id.contains('/'))
        .map(percent_decode);
    match (&parts.method, path.as_str(), keys_path) {
        (&Method::POST, "/api/v1/agent_run", _) => {
            if !authorised {
                return Ok(error(
                    StatusCode::UNAUTHORIZED,
                    "invalid or missing API key",
                ));
            }
            agent_run(state, &parts.headers, body, None).await
        }
        (&Method::POST, _, _) if workflow.is_some() => {
            if !authorised {
                return Ok(error(
                    StatusCode::UNAUTHORIZED,
                    "invalid or missing API key",
                ));
            }
            agent_run(state, &parts.headers, body, workflow).await
        }
        (_, _, _) if workflow.is_some() => Ok(error(StatusCode::METHOD_NOT_ALLOWED, "use POST")),
        (_, _, Some(rest)) if !state.lock().expect("mock state").config.no_key_api => {
            let fault = state.lock().expect("mock state").key_faults.pop_front();
            match fault {
                Some(Fault::Status(code)) => {
                    let status =
                        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    return Ok(error(status, &format!("injected fault: HTTP {code}")));
                }
                Some(Fault::Drop) => return Err(std::io::Error::other("injected fault: drop")),
                Some(Fault::Slow(d)) => tokio::time::sleep(d).await,
                _ => {}
            }
            if !authorised {
                return Ok(error(
                    StatusCode::UNAUTHORIZED,
                    "invalid or missing API key",
                ));
            }
            Ok(keys(
                &mut state.lock().expect("mock state").keys,
                &parts.method,
                rest,
                &body,
            ))
        }
        (_, "/api/v1/agent_run", _) => Ok(error(StatusCode::METHOD_NOT_ALLOWED, "use POST")),
        _ => Ok(error(StatusCode::NOT_FOUND, "not found")),
    }
}

#[derive(serde::Deserialize)]
struct RunBody {
    #[serde(default)]
    agent_id: String,
    input: Box<RawValue>,
}

/// `%XX` escapes in a path segment, decoded (invalid ones are kept as they are).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A run of either contract: `workflow` is the id from a `/v1/workflows/{id}/run` path, else
/// the body's `agent_id` names the agent.
async fn agent_run(
    state: Arc<Mutex<State>>,
    headers: &hyper::HeaderMap,
    body: Bytes,
    workflow: Option<String>,
) -> Result<Response<Body>, std::io::Error> {
    let (fault, latency, answers, run) = {
        let mut st = state.lock().expect("mock state");
        st.runs += 1;
        (
            st.faults.pop_front(),
            st.config.latency,
            st.config.answers.clone(),
            st.runs,
        )
    };
    // A run's own input may ask for a fault: {"$fault": "500"} (for batch tests, where the
    // order requests arrive in is not the order of the lines).
    let fault = fault.or_else(|| {
        #[derive(serde::Deserialize)]
        struct Directive {
            input: DirectiveInput,
        }
        #[derive(serde::Deserialize)]
        struct DirectiveInput {
            #[serde(rename = "$fault")]
            fault: String,
        }
        let fault = serde_json::from_slice::<Directive>(&body)
            .ok()
            .and_then(|d| d.input.fault.parse().ok())?;
        // Once per distinct input: a resend of the same run is answered normally.
        let first_time = state
            .lock()
            .expect("mock state")
            .directed
            .insert(body.clone());
        first_time.then_some(fault)
    });
    tokio::time::sleep(latency).await;
    match fault {
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return Ok(error(status, &format!("injected fault: HTTP {code}")));
        }
        Some(Fault::RateLimit(secs)) => {
            let mut resp = error(StatusCode::TOO_MANY_REQUESTS, "rate limited");
            resp.headers_mut().insert(RETRY_AFTER, secs.into());
            return Ok(resp);
        }
        Some(Fault::Drop) => return Err(std::io::Error::other("injected fault: drop")),
        Some(Fault::Slow(d)) => tokio::time::sleep(d).await,
        Some(Fault::Redirect(to)) => {
            let mut resp = Response::new(full(Bytes::new()));
            *resp.status_mut() = StatusCode::TEMPORARY_REDIRECT;
            resp.headers_mut()
                .insert(LOCATION, to.parse().map_err(std::io::Error::other)?);
            return Ok(resp);
        }
        Some(Fault::Truncate) | None => {}
    }
    let json_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_type {
        return Ok(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        ));
    }
    let run_body: RunBody = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => {
            return Ok(error(
                StatusCode::BAD_REQUEST,
                &format!("bad request body: {e}"),
            ));
        }
    };
    if workflow.is_none() && run_body.agent_id.is_empty() {
        return Ok(error(StatusCode::BAD_REQUEST, "agent_id is empty"));
    }
    let id = workflow.as_deref().unwrap_or(&run_body.agent_id);
    let resp = match answers {
        Some(dir) => canned(&dir, id).await?,
        None => json(StatusCode::OK, echo(&run_body, workflow.as_deref(), run)),
    };
    if fault == Some(Fault::Truncate) {
        return truncated(resp).await;
    }
    Ok(resp)
}

/// `{"run_id":…,"agent_id":…,"status":"completed","output":<the input, byte for byte>}`
/// (`"workflow_id"` for a workflow run).
fn echo(run: &RunBody, workflow: Option<&str>, n: u64) -> Vec<u8> {
    let (field, id) = match workflow {
        Some(w) => ("workflow_id", w),
        None => ("agent_id", run.agent_id.as_str()),
    };
    let mut out = format!("{{\"run_id\":\"run_mock{n:06}\",\"{field}\":").into_bytes();
    serde_json::to_writer(&mut out, id).expect("writing to a Vec");
    out.extend_from_slice(b",\"status\":\"completed\",\"output\":");
    out.extend_from_slice(run.input.get().as_bytes());
    out.push(b'}');
    out
}
