//! When the next request may start: the process-wide pace of a batch's workers.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// When the next request may start, shared by every sender of a process (batch workers): a
/// 429's hold, and with `--rate` an even spacing of starts (a token bucket of one token, so no
/// one-second window ever sees more than the rate).
#[derive(Debug, Clone, Default)]
pub(crate) struct Pacer(Arc<Mutex<Pace>>);

#[derive(Debug, Default)]
struct Pace {
    /// Nobody starts before this (a 429's Retry-After).
    not_before: Option<Instant>,
    /// `--rate`: the time between two starts.
    interval: Option<Duration>,
    /// The next free start slot.
    next_slot: Option<Instant>,
}

impl Pacer {
    /// A pacer that starts at most one request per `interval`.
    pub(crate) fn with_interval(interval: Duration) -> Pacer {
        Pacer(Arc::new(Mutex::new(Pace {
            interval: Some(interval),
            ..Pace::default()
        })))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Nobody sends for `wait` from now (a later hold already in force stays). True when this
    /// makes the hold longer by more than a second: the caller says so, once for many workers.
    pub(crate) fn hold(&self, wait: Duration) -> bool {
        let until = Instant::now() + wait;
        let mut pace = self.lock();
        let longer = pace
            .not_before
            .is_none_or(|t| until > t + Duration::from_secs(1));
        if pace.not_before.is_none_or(|t| t < until) {
            pace.not_before = Some(until);
        }
        longer
    }

    /// Waits until this request may start: past any hold, and at its own slot under a rate.
    pub(crate) async fn ready(&self) {
        loop {
            let now = Instant::now();
            let (hold, slot) = self.take_slot(now);
            if let Some(t) = hold {
                tokio::time::sleep_until(t.into()).await;
                continue;
            }
            let Some(slot) = slot else { return };
            if slot > now {
                tokio::time::sleep_until(slot.into()).await;
            }
            // A hold that began while this waited for its slot is honoured too.
            if self.lock().not_before.is_none_or(|t| t <= Instant::now()) {
                return;
            }
        }
    }

    /// The hold in force at `now`, or else this request's start slot (none without a rate).
    fn take_slot(&self, now: Instant) -> (Option<Instant>, Option<Instant>) {
        let mut pace = self.lock();
        if let Some(t) = pace.not_before.filter(|t| *t > now) {
            return (Some(t), None);
        }
        let Some(interval) = pace.interval else {
            return (None, None);
        };
        let slot = pace.next_slot.map_or(now, |s| s.max(now));
        pace.next_slot = Some(slot + interval);
        (None, Some(slot))
    }
}
