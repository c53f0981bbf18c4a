//! `miiflow mcp serve --http ADDR`: the same tools over MCP's Streamable HTTP transport (the
//! official SDK's server, `rmcp`), for assistants that do not start miiflow as a child process.
//!
//! In front of the SDK's service, every request must carry `Authorization: Bearer TOKEN`
//! (compared in constant time; else 401 with `WWW-Authenticate`); the SDK itself refuses a
//! `Host` that is not the bound address and an `Origin` that is not the server's own or one
//! allowed by `--allow-origin` (403: DNS rebinding), bodies over [`MAX_BODY`], and wrong
//! methods and media types. Current clients are served statelessly, 2025-11-25 clients with
//! sessions; a call that needs no stream gets a JSON answer.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};

use super::serve::{HALT_WAIT, Server};
use super::tokens::Accepted;
use crate::error::Error;

/// The largest request body taken (a tool call's arguments).
pub(crate) const MAX_BODY: usize = 1024 * 1024;

/// How long calls in flight may go on after a stop signal.
const DRAIN: Duration = Duration::from_secs(30);

/// How long a client may take over its TLS handshake, and over a request's head: a
/// connection cannot be held open without sending a request (and its token) in time.
const HANDSHAKE: Duration = Duration::from_secs(10);

/// Where and to whom the server listens.
pub(crate) struct Http {
    pub(crate) addr: SocketAddr,
    pub(crate) allow_remote: bool,
    /// Browser origins allowed besides the server's own (`--allow-origin`).
    pub(crate) origins: Vec<String>,
    /// Names taken in `Host` besides the bound address (`--allow-host`).
    pub(crate) hosts: Vec<String>,
    /// https with this certificate chain and key (`--tls-cert`, `--tls-key`).
    pub(crate) tls: Option<Arc<rustls::ServerConfig>>,
    /// The tokens a request may carry (`mcp token create`'s, MIIFLOW_MCP_TOKEN).
    pub(crate) tokens: Arc<Accepted>,
}

/// The token a server takes from its environment, as its BLAKE3 digest; one too short to be
/// a secret is a usage error.
pub(crate) fn token_from_env() -> Result<Option<blake3::Hash>, Error> {
    const MIN: usize = 32;
    match crate::env::var("MIIFLOW_MCP_TOKEN") {
        Some(t) if t.trim().len() >= MIN => Ok(Some(blake3::hash(t.trim().as_bytes()))),
        Some(_) => Err(Error::BadInput(format!(
            "MIIFLOW_MCP_TOKEN is shorter than {MIN} characters: use a random one (`miiflow \
             mcp token create NAME` makes one)"
        ))),
        None => Ok(None),
    }
}

/// No token at all: the server would be open to anyone on the machine, so it does not start.
pub(crate) fn no_token() -> Error {
    Error::BadInput(
        "mcp serve --http needs a token that clients send as `Authorization: Bearer TOKEN`: \
         make one with `miiflow mcp token create NAME` (or set MIIFLOW_MCP_TOKEN in a \
         container) and give it to the assistant"
            .into(),
    )
}

/// The TLS settings of `--tls-cert FILE --tls-key FILE`: read before the server listens, so a
/// bad file is a usage error (exit 2) and nothing is served.
pub(crate) fn tls(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, Error> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let bad = |flag: &str, file: &Path, why: &dyn std::fmt::Display| {
        Error::BadInput(format!("{flag} {}: {why}", file.display()))
    };
    let chain = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad("--tls-cert", cert, &e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad("--tls-cert", cert, &e))?;
    if chain.is_empty() {
        return Err(bad("--tls-cert", cert, &"no PEM certificate in it"));
    }
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|e| bad("--tls-key", key, &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::BadInput(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| {
            bad(
                "--tls-cert",
                cert,
                &format!("{e} (does --tls-key hold this certificate's key?)"),
            )
        })?;
    // hyper serves HTTP/1.1 here.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

impl Http {
    fn scheme(&self) -> &'static str {
        if self.tls.is_some() { "https" } else { "http" }
    }

    /// A non-loopback address is refused unless `--allow-remote` says so.
    pub(crate) fn check(&self) -> Result<(), Error> {
        if !self.addr.ip().is_loopback() && !self.allow_remote {
            return Err(Error::BadInput(format!(
                "--http {}: not a loopback address; serving other machines needs \
                 --allow-remote (and TLS in front: docs/guide/mcp.md)",
                self.addr
            )));
        }
        if self.addr.ip().is_unspecified() {
            return Err(Error::BadInput(format!(
                "--http {}: name the address clients use (a Host header must match it)",
                self.addr
            )));
        }
        Ok(())
    }

    /// The SDK's configuration: the bound address and `--allow-host`'s names as the only
    /// `Host`s; the server's own origins (on those) and `--allow-origin`'s as the only
    /// `Origin`s.
    fn config(&self, local: SocketAddr) -> StreamableHttpServerConfig {
        let port = local.port();
        let scheme = self.scheme();
        let mut hosts = vec![local.to_string()];
        if local.ip().is_loopback() {
            hosts.push(format!("localhost:{port}"));
        }
        hosts.extend(self.hosts.iter().cloned());
        let mut origins: Vec<String> = hosts
            .iter()
            .map(|host| match host.rsplit_once(':') {
                Some((_, p)) if p.parse::<u16>().is_ok() => format!("{scheme}://{host}"),
                _ => format!("{scheme}://{host}:{port}"),
            })
            .collect();
        origins.extend(self.origins.iter().cloned());
        StreamableHttpServerConfig::default()
            .with_allowed_hosts(hosts)
            .with_allowed_origins(origins)
            .with_json_response(true)
            .with_max_request_body_bytes(MAX_BODY)
    }
}

type Body = http_body_util::combinators::BoxBody<Bytes, Infallible>;

fn unauthorized(why: &str) -> Response<Body> {
    Response::builder()
        .status(StatusCode::UNAUTHORIZED)
        .header(
            hyper::header::WWW_AUTHENTICATE,
            "Bearer realm=\"miiflow mcp\"",
        )
        .header(hyper::header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Full::new(Bytes::from(why.to_owned())).boxed())
        .expect("a valid response")
}

/// Whether the request carries a live token (`Authorization: Bearer TOKEN`).
fn authorized<B>(req: &Request<B>, tokens: &Accepted) -> bool {
    req.headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| tokens.accepts(t.trim()))
}

/// Serves until a stop signal: then no connection is accepted, and those open may finish their
/// calls for up to [`DRAIN`] — a clean stop, `Ok`. A second signal, or calls still running at
/// the deadline, end it at once with the signal's error (130 for Ctrl-C, 143 for SIGTERM).
pub(crate) async fn serve(
    server: Arc<Server>,
    http: Http,
    stop: &mut crate::client::Stop,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(http.addr)
        .await
        .map_err(|e| Error::BadInput(format!("--http {}: cannot listen there: {e}", http.addr)))?;
    let local = listener.local_addr()?;
    let ui = server.ui.clone();
    let tools = server.tools.len();
    let handler = server.clone();
    let service = StreamableHttpService::new(
        move || Ok(super::serve::Shared(handler.clone())),
        Arc::new(LocalSessionManager::default()),
        http.config(local),
    );
    // One line a script can read: the URL.
    ui.tell(&format!(
        "mcp: serving {tools} tool(s) at {}://{local}/mcp",
        http.scheme()
    ));
    if !local.ip().is_loopback() && http.tls.is_none() {
        ui.warn(
            "serving plain HTTP to other machines: tokens cross the network in clear text; \
             give --tls-cert/--tls-key, or put a TLS proxy in front (docs/guide/mcp.md)",
        );
    }
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let tokens = http.tokens.clone();
    let acceptor = http.tls.clone().map(tokio_rustls::TlsAcceptor::from);
    let signal = loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => continue,
            },
            signal = stop.recv() => break signal,
        };
        let service = service.clone();
        let tokens = tokens.clone();
        let respond = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
            let mut service = service.clone();
            let tokens = tokens.clone();
            async move {
                if !authorized(&req, &tokens) {
                    return Ok::<_, Infallible>(unauthorized(
                        "a live bearer token is required: Authorization: Bearer TOKEN (`miiflow \
                         mcp token create`)\n",
                    ));
                }
                tower_service::Service::call(&mut service, req).await
            }
        });
        // Watched from the start: a stop waits for a handshake under way too.
        let watcher = graceful.watcher();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let mut http1 = hyper::server::conn::http1::Builder::new();
            http1
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HANDSHAKE);
            match acceptor {
                None => {
                    let conn = http1.serve_connection(TokioIo::new(stream), respond);
                    let _ = watcher.watch(conn).await;
                }
                Some(acceptor) => {
                    // A client that does not finish its handshake is dropped.
                    let Ok(Ok(tls)) =
                        tokio::time::timeout(HANDSHAKE, acceptor.accept(stream)).await
                    else {
                        return;
                    };
                    let conn = http1.serve_connection(TokioIo::new(tls), respond);
                    let _ = watcher.watch(conn).await;
                }
            }
        });
    };
    drop(listener);
    stopping(&server, graceful, stop, signal).await
}

/// After a stop signal: calls in flight finish for up to [`DRAIN`] (`Ok`), unless a second
/// signal or the deadline stops them at once (the signal's error).
async fn stopping(
    server: &Server,
    graceful: hyper_util::server::graceful::GracefulShutdown,
    stop: &mut crate::client::Stop,
    signal: Error,
) -> anyhow::Result<()> {
    let ui = &server.ui;
    // Said even with --quiet: a test or a supervisor waits for it.
    ui.tell(&format!(
        "mcp: stopping: no new connections; calls in flight may finish (up to {} s; a second \
         signal stops at once)",
        DRAIN.as_secs()
    ));
    let drained = graceful.shutdown();
    tokio::pin!(drained);
    let cut = tokio::select! {
        done = tokio::time::timeout(DRAIN, &mut drained) => match done {
            Ok(()) => return Ok(()),
            Err(_) => {
                ui.warn(&format!(
                    "mcp: calls still in flight after {} s were stopped",
                    DRAIN.as_secs()
                ));
                signal
            }
        },
        again = stop.recv() => {
            ui.warn("mcp: stopped at once: calls in flight were stopped");
            again
        }
    };
    // Each call in flight ends now, recorded as stopped, and its client is told so while its
    // connection is there; bounded, as a client that does not read could hold it.
    let _ = tokio::time::timeout(HALT_WAIT, async {
        server.halt.now(&cut).await;
        drained.await;
    })
    .await;
    Err(cut.into())
}
