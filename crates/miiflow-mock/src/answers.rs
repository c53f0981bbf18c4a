//! Canned answers from `--answers DIR`, and the truncate fault.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, channel::Channel};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde_json::value::RawValue;

use super::reply::{Body, error, json};

/// A canned answer: the file's bytes as a 200 JSON body, or, when the file is an object
/// with a `"$mock"` member, the answer it describes:
/// `{"$mock": {"status": 200, "headers": {…}, "body": …, "events": […], "event_delay_ms": 50}}`.
pub(super) async fn canned(
    dir: &std::path::Path,
    agent_id: &str,
) -> Result<Response<Body>, std::io::Error> {
    let safe = !agent_id.is_empty()
        && agent_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !agent_id.starts_with('.');
    let path = dir.join(format!("{agent_id}.json"));
    let Ok(text) = (if safe {
        std::fs::read(&path)
    } else {
        Err(std::io::ErrorKind::NotFound.into())
    }) else {
        return Ok(error(
            StatusCode::NOT_FOUND,
            &format!("agent {agent_id} not found"),
        ));
    };
    #[derive(serde::Deserialize)]
    struct Spec {
        #[serde(rename = "$mock")]
        mock: Directed,
    }
    #[derive(serde::Deserialize)]
    struct Directed {
        #[serde(default)]
        status: Option<u16>,
        #[serde(default)]
        headers: serde_json::Map<String, serde_json::Value>,
        #[serde(default)]
        body: Option<Box<RawValue>>,
        #[serde(default)]
        events: Option<Vec<Box<RawValue>>>,
        #[serde(default)]
        event_delay_ms: u64,
    }
    let Ok(Spec { mock }) = serde_json::from_slice::<Spec>(&text) else {
        return Ok(json(StatusCode::OK, text));
    };
    let status = StatusCode::from_u16(mock.status.unwrap_or(200)).map_err(std::io::Error::other)?;
    let mut resp = match mock.events {
        Some(events) => {
            let (mut tx, body) = Channel::<Bytes, std::io::Error>::new(4);
            let delay = Duration::from_millis(mock.event_delay_ms);
            tokio::spawn(async move {
                for (i, event) in events.iter().enumerate() {
                    if i > 0 {
                        tokio::time::sleep(delay).await;
                    }
                    let compact: serde_json::Value =
                        serde_json::from_str(event.get()).unwrap_or_default();
                    let frame = format!("data: {compact}\n\n");
                    if tx.send_data(Bytes::from(frame)).await.is_err() {
                        return;
                    }
                }
            });
            let mut resp = Response::new(body.boxed());
            resp.headers_mut().insert(
                CONTENT_TYPE,
                "text/event-stream".parse().expect("static header"),
            );
            resp
        }
        None => json(
            status,
            mock.body.map(|b| b.get().to_owned()).unwrap_or_default(),
        ),
    };
    *resp.status_mut() = status;
    for (name, value) in mock.headers {
        let value = value
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string());
        if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(&value),
        ) {
            resp.headers_mut().insert(n, v);
        }
    }
    Ok(resp)
}

/// Sends half of the body under a `Content-Length` for all of it, then breaks the connection.
pub(super) async fn truncated(resp: Response<Body>) -> Result<Response<Body>, std::io::Error> {
    let (mut parts, body) = resp.into_parts();
    let bytes = body.collect().await?.to_bytes();
    let (mut tx, channel) = Channel::<Bytes, std::io::Error>::new(1);
    let half = bytes.slice(..bytes.len() / 2);
    tokio::spawn(async move {
        let _ = tx.send_data(half).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
        tx.abort(std::io::Error::other("injected fault: truncate"));
    });
    parts.headers.insert(CONTENT_LENGTH, bytes.len().into());
    Ok(Response::from_parts(parts, channel.boxed()))
}
