//! Typed errors where a caller or the exit code depends on the kind, and the one place that
//! turns any error into an exit code.

use std::fmt;

/// The exit codes of `miiflow`, as documented in `--help` and the README.
pub(crate) mod code {
    pub(crate) const OK: u8 = 0;
    pub(crate) const FAILURE: u8 = 1;
    pub(crate) const USAGE: u8 = 2;
    pub(crate) const AUTH: u8 = 3;
    pub(crate) const CLIENT: u8 = 4;
    pub(crate) const SERVER: u8 = 5;
    pub(crate) const NETWORK: u8 = 6;
    pub(crate) const INTERRUPTED: u8 = 130;
    pub(crate) const TERMINATED: u8 = 143;
    /// 128 + SIGPIPE: a batch cut short because its stdout reader went away.
    pub(crate) const READER_GONE: u8 = 141;
}

#[derive(Debug)]
pub(crate) enum Error {
    /// Usage or input that cannot be sent: exit 2.
    BadInput(String),
    /// No key to send: exit 3. The text says where we looked.
    NoKey(String),
    /// The server answered with a non-2xx status (its body has already been printed);
    /// `reason` is the line for stderr, status included.
    Status { status: u16, reason: String },
    /// The request or the answer did not make it across the network: exit 6.
    Network(String),
    /// A redirect that would have taken the request elsewhere: exit 1.
    RedirectRefused(String),
    /// Ctrl-C: exit 130.
    Interrupted,
    /// SIGTERM or SIGHUP: exit 143 (Unix only: Windows has no such signals).
    #[cfg_attr(not(unix), allow(dead_code))]
    Terminated,
    /// Some lines of a batch failed: the exit code the first failed line would have given.
    Batch { code: u8, message: String },
    /// A batch stopped because the reader of its results on stdout went away (`| head`):
    /// exit 141, as a shell reports a process that SIGPIPE ended.
    ReaderGone,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadInput(m) | Error::NoKey(m) | Error::Network(m) => f.write_str(m),
            Error::RedirectRefused(m) => f.write_str(m),
            Error::Status { reason, .. } => f.write_str(reason),
            Error::Interrupted => f.write_str("interrupted"),
            Error::Terminated => f.write_str("terminated"),
            Error::Batch { message, .. } => f.write_str(message),
            Error::ReaderGone => f.write_str("stopped: the reader of stdout went away"),
        }
    }
}

impl std::error::Error for Error {}

/// The exit code for an HTTP status: 0 for 2xx, then by class.
pub(crate) fn status_code(status: u16) -> u8 {
    match status {
        200..=299 => code::OK,
        401 | 403 => code::AUTH,
        400..=499 => code::CLIENT,
        500..=599 => code::SERVER,
        _ => code::FAILURE,
    }
}

/// `HTTP 404 Not Found` (or `HTTP 599` for a status with no standard words).
pub(crate) fn status_words(status: u16) -> String {
    let words = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("HTTP {status} {words}").trim_end().to_owned()
}

/// An error with what to do about it (jj's `CommandError { hints }`): the hints travel with
/// the error and are printed after its line, in one place (the program's main).
#[derive(Debug)]
pub(crate) struct Hinted {
    pub(crate) error: anyhow::Error,
    pub(crate) hints: Vec<String>,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.error)
    }
}

impl std::error::Error for Hinted {}

/// `error` with `hints` added (to those it has already).
pub(crate) fn with_hints(error: anyhow::Error, hints: Vec<String>) -> anyhow::Error {
    if hints.is_empty() {
        return error;
    }
    match error.downcast::<Hinted>() {
        Ok(mut h) => {
            h.hints.extend(hints);
            h.into()
        }
        Err(error) => Hinted { error, hints }.into(),
    }
}

/// The error itself and its hints.
pub(crate) fn split_hints(error: anyhow::Error) -> (anyhow::Error, Vec<String>) {
    match error.downcast::<Hinted>() {
        Ok(h) => (h.error, h.hints),
        Err(error) => (error, Vec::new()),
    }
}

/// The typed cause of an error, looking through hints.
pub(crate) fn typed(err: &anyhow::Error) -> Option<&Error> {
    if let Some(h) = err.downcast_ref::<Hinted>() {
        return typed(&h.error);
    }
    err.downcast_ref::<Error>()
}

/// The exit code for an error that ended the program: the first typed cause decides.
pub(crate) fn exit_code(err: &anyhow::Error) -> u8 {
    if let Some(h) = err.downcast_ref::<Hinted>() {
        return exit_code(&h.error);
    }
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return code_of(e);
        }
    }
    code::FAILURE
}

/// The exit code a typed error gives.
pub(crate) fn code_of(e: &Error) -> u8 {
    match e {
        Error::BadInput(_) => code::USAGE,
        Error::NoKey(_) => code::AUTH,
        Error::Status { status, .. } => status_code(*status),
        Error::Network(_) => code::NETWORK,
        Error::RedirectRefused(_) => code::FAILURE,
        Error::Interrupted => code::INTERRUPTED,
        Error::Terminated => code::TERMINATED,
        Error::Batch { code, .. } => *code,
        Error::ReaderGone => code::READER_GONE,
    }
}

/// True for Ctrl-C, and for a batch whose stdout reader went away: both end quietly (the
/// batch's closing summary says what happened).
pub(crate) fn is_interrupted(err: &anyhow::Error) -> bool {
    if let Some(h) = err.downcast_ref::<Hinted>() {
        return is_interrupted(&h.error);
    }
    err.chain().any(|c| {
        matches!(
            c.downcast_ref::<Error>(),
            Some(Error::Interrupted | Error::ReaderGone)
        )
    })
}

/// True when the error only says that the reader of stdout went away (`| head`).
pub(crate) fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_classes() {
        let table = [
            (200, 0),
            (204, 0),
            (301, 1),
            (400, 4),
            (401, 3),
            (403, 3),
            (404, 4),
            (429, 4),
            (500, 5),
            (503, 5),
        ];
        for (status, want) in table {
            assert_eq!(status_code(status), want, "{status}");
        }
    }

    #[test]
    fn typed_causes_decide_through_context() {
        let cases: Vec<(Error, u8)> = vec![
            (Error::BadInput("x".into()), 2),
            (Error::NoKey("x".into()), 3),
            (Error::Network("x".into()), 6),
            (Error::RedirectRefused("x".into()), 1),
            (Error::Interrupted, 130),
            (
                Error::Status {
                    status: 502,
                    reason: "x".into(),
                },
                5,
            ),
        ];
        for (e, want) in cases {
            let err = anyhow::Error::new(e).context("while running");
            assert_eq!(exit_code(&err), want, "{err:#}");
        }
        assert_eq!(exit_code(&anyhow::anyhow!("plain")), 1);
        // Hints change nothing about the code, and travel with the error.
        let hinted = with_hints(
            Error::Status {
                status: 404,
                reason: "HTTP 404".into(),
            }
            .into(),
            vec!["check the id".into()],
        );
        let hinted = with_hints(hinted, vec!["and the base URL".into()]);
        assert_eq!(exit_code(&hinted), 4);
        assert!(matches!(
            typed(&hinted),
            Some(Error::Status { status: 404, .. })
        ));
        let (error, hints) = split_hints(hinted);
        assert_eq!(error.to_string(), "HTTP 404");
        assert_eq!(hints, ["check the id", "and the base URL"]);
    }
}
