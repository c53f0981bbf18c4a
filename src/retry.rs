//! When to send a run again, and how long to wait first. Pure: the sending loop lives in
//! `client.rs`.
//!
//! A workflow run is not idempotent, so a request is repeated only when the server cannot have
//! started it: the connection was refused before anything was sent, or the server said 429 (rate
//! limited) or 503 (unavailable). Never after a 500/502/504, a timeout or a dropped answer.

use std::time::{Duration, SystemTime};

/// The first backoff step; each retry doubles it, up to [`MAX_BACKOFF`].
pub(crate) const BASE_BACKOFF: Duration = Duration::from_millis(500);
pub(crate) const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What went wrong with one attempt, as far as retrying cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// An HTTP answer with this status and `Retry-After` (already parsed).
    Status(u16, Option<Duration>),
    /// The connection could not be made: nothing was sent.
    NotConnected,
    /// Anything else: the request may have reached the server.
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Done: report this outcome.
    Stop,
    /// The server asked for a longer wait than the most honoured: report it, saying so.
    TooLong(Duration),
    /// Wait this long, then send again.
    Retry(Duration, Reason),
}

/// Where a wait came from, for the message on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    RetryAfter,
    Backoff,
}

/// `attempt` counts from 0 (the first try); `jitter` is in [0, 1); `max_wait` is the longest
/// `Retry-After` waited for ([`crate::limits::retry_wait`]).
/// `idempotent`: the request can be repeated without doing anything twice (GET, HEAD), so a
/// 502 or 504 may be retried too.
pub(crate) fn decide(
    outcome: Outcome,
    attempt: u32,
    retries: u32,
    idempotent: bool,
    jitter: f64,
    max_wait: Duration,
) -> Decision {
    let retryable = match outcome {
        Outcome::Status(429 | 503, _) | Outcome::NotConnected => true,
        Outcome::Status(502 | 504, _) => idempotent,
        Outcome::Status(..) | Outcome::Failed => false,
    };
    if !retryable || attempt >= retries {
        return Decision::Stop;
    }
    match outcome {
        Outcome::Status(_, Some(wait)) if wait > max_wait => Decision::TooLong(wait),
        Outcome::Status(_, Some(wait)) => Decision::Retry(wait, Reason::RetryAfter),
        _ => Decision::Retry(backoff(attempt, jitter), Reason::Backoff),
    }
}

/// Exponential backoff with jitter: half the step plus up to half again at random.
pub(crate) fn backoff(attempt: u32, jitter: f64) -> Duration {
    let step = BASE_BACKOFF
        .saturating_mul(2u32.saturating_pow(attempt.min(16)))
        .min(MAX_BACKOFF);
    step.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// `Retry-After` as seconds or an HTTP date; a date in the past means now.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn reads_may_also_be_retried_after_502_and_504() {
        for status in [502, 504] {
            let outcome = Outcome::Status(status, None);
            assert!(matches!(
                decide(outcome, 0, 3, true, 1.0, S(60)),
                Decision::Retry(..)
            ));
            assert_eq!(decide(outcome, 0, 3, false, 1.0, S(60)), Decision::Stop);
        }
        assert_eq!(
            decide(Outcome::Status(500, None), 0, 3, true, 1.0, S(60)),
            Decision::Stop
        );
    }

    #[test]
    fn decisions() {
        use Decision::*;
        let table = [
            (
                Outcome::Status(429, Some(S(1))),
                0,
                3,
                Retry(S(1), Reason::RetryAfter),
            ),
            (
                Outcome::Status(503, Some(S(2))),
                2,
                3,
                Retry(S(2), Reason::RetryAfter),
            ),
            (Outcome::Status(429, Some(S(2))), 3, 3, Stop),
            (Outcome::Status(429, Some(S(3600))), 0, 3, TooLong(S(3600))),
            (
                Outcome::Status(503, None),
                0,
                3,
                Retry(Duration::from_millis(500), Reason::Backoff),
            ),
            (Outcome::NotConnected, 1, 3, Retry(S(1), Reason::Backoff)),
            (Outcome::NotConnected, 0, 0, Stop),
            (Outcome::Status(500, None), 0, 3, Stop),
            (Outcome::Status(502, None), 0, 3, Stop),
            (Outcome::Status(504, None), 0, 3, Stop),
            (Outcome::Status(404, None), 0, 3, Stop),
            (Outcome::Status(200, None), 0, 3, Stop),
            (Outcome::Failed, 0, 3, Stop),
        ];
        for (outcome, attempt, retries, want) in table {
            assert_eq!(
                decide(outcome, attempt, retries, false, 1.0, S(60)),
                want,
                "{outcome:?} #{attempt}"
            );
        }
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        assert_eq!(backoff(0, 1.0), Duration::from_millis(500));
        assert_eq!(backoff(0, 0.0), Duration::from_millis(250));
        assert_eq!(backoff(3, 1.0), S(4));
        assert_eq!(backoff(20, 1.0), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX, 1.0), MAX_BACKOFF);
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("7", now), Some(S(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(S(0)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(S(3))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(S(0))
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }
}
