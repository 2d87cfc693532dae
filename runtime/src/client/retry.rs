//! Bounded retries with exponential backoff and full jitter, and the rule of what may be
//! retried.
//!
//! # What is retried
//!
//! A retry must never repeat a change the server may already have made. Every action
//! therefore knows whether it is safe to repeat ([`Operation::idempotent`]): read-only
//! actions are, and so are actions with an idempotency-token parameter
//! ([`Operation::idempotency_token`], e.g. `ClientToken`), which the generated client
//! fills with a fresh UUID (v4) when the caller leaves it unset, once per call, so every
//! attempt of the call carries the same token and the provider runs the change once.
//!
//! | failure | retried for |
//! |---|---|
//! | the connection could not be made; credentials unavailable (nothing was sent) | every action |
//! | throttling (`Throttling*`, `RequestLimitExceeded*`, HTTP 429): refused unexecuted | every action, after `x-acs-retry-after` if given |
//! | timeout, body broken off, HTTP 5xx, a transient provider error (`InternalError`, `ServiceUnavailable`) | actions safe to repeat; others only when opted in ([`RetryPolicy::retry_unsafe`], or per call with [`CallOptions::retry_unsafe`]) |
//! | anything else | never |
//!
//! Timeouts and broken-off bodies are retried only while [`RetryPolicy::retry_timeouts`]
//! is on. The wait before a retry is the backoff, or for a throttled answer the
//! provider's `x-acs-retry-after` (milliseconds, as Alibaba Cloud's SDKs read it), never
//! more than [`RetryPolicy::max_backoff`]. Tencent Cloud sends no such header; its
//! throttling answers wait the backoff.
//!
//! [`Operation::idempotent`]: crate::protocol::service::Operation::idempotent
//! [`Operation::idempotency_token`]: crate::protocol::service::Operation::idempotency_token

use cloudapi_protocol::Cloud;
use std::time::Duration;

use crate::protocol::error::ErrorMetadata;

/// Bounded attempts with exponential backoff and full jitter. Which failures are retried
/// is the module's rule ([`crate::client::retry`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: u32,
    /// The backoff before the second attempt; doubled for each further attempt.
    pub initial_backoff: Duration,
    /// The largest backoff, and the longest a provider's `x-acs-retry-after` is obeyed.
    pub max_backoff: Duration,
    /// Whether a request that timed out, or whose response broke off mid-body, is retried
    /// (the request reached the server: only for actions safe to repeat, unless
    /// [`retry_unsafe`](Self::retry_unsafe)).
    pub retry_timeouts: bool,
    /// Whether a state-changing action without an idempotency token is retried after its
    /// request may have reached the server (timeout, body broken off, 5xx, a transient
    /// provider error). Off by default: such a retry may repeat the change.
    pub retry_unsafe: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            retry_timeouts: true,
            retry_unsafe: false,
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// `max_attempts` attempts in all, the other settings the defaults.
    pub fn attempts(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts,
            ..Self::default()
        }
    }

    /// Sets the attempts in all, the first included.
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    /// Sets the first backoff and the largest one.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Sets [`retry_timeouts`](Self::retry_timeouts).
    pub fn with_retry_timeouts(mut self, on: bool) -> Self {
        self.retry_timeouts = on;
        self
    }

    /// Sets [`retry_unsafe`](Self::retry_unsafe): also retry state-changing actions without
    /// an idempotency token after their request may have reached the server.
    pub fn with_retry_unsafe(mut self, on: bool) -> Self {
        self.retry_unsafe = on;
        self
    }

    /// The delay before attempt `attempt + 1`: a random duration up to the capped exponential backoff.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }

    /// The delay before attempt `attempt + 1` after a failure of class `retry`: the
    /// provider's wait if it named one (at most [`max_backoff`](Self::max_backoff)), else
    /// the backoff.
    pub(crate) fn delay(&self, attempt: u32, retry: Retry) -> Duration {
        match retry {
            Retry::Throttled { after: Some(after) } => after.min(self.max_backoff),
            _ => self.backoff(attempt),
        }
    }
}

/// Per-call options: set on a client view with the generated clients' `with_options`
/// (`client.with_options(CallOptions::new().retry_unsafe(true)).create_vpc(request)`),
/// which shares the client's connections and rate limits.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CallOptions {
    /// The retry policy for these calls instead of the client's.
    pub retry: Option<RetryPolicy>,
    /// Overrides the policy's [`RetryPolicy::retry_unsafe`] for these calls.
    pub retry_unsafe: Option<bool>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }
    /// Uses `policy` instead of the client's retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
    /// Retries (or not) a state-changing action without an idempotency token after its
    /// request may have reached the server: the caller knows repeating it is harmless.
    pub fn retry_unsafe(mut self, on: bool) -> Self {
        self.retry_unsafe = Some(on);
        self
    }
}

/// What a failed attempt allows, as far as retrying goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Retrying cannot help.
    No,
    /// Nothing reached the server (no connection, no credentials): retried for every action.
    NotSent,
    /// Refused unexecuted for throttling: retried for every action, after `after` if the
    /// provider said how long to wait.
    Throttled { after: Option<Duration> },
    /// The request may have run (a 5xx, a transient provider error): retried only for
    /// actions safe to repeat, or when opted in.
    MaybeRan,
    /// As [`MaybeRan`](Self::MaybeRan), for a timeout or a body broken off: also needs
    /// [`RetryPolicy::retry_timeouts`].
    MaybeRanTimeout,
}

impl Retry {
    /// Whether this failure may be retried for an action (`safe`: safe to repeat) under
    /// `policy`, with the per-call `retry_unsafe` override.
    pub(crate) fn allowed(self, safe: bool, policy: &RetryPolicy, retry_unsafe: bool) -> bool {
        match self {
            Retry::No => false,
            Retry::NotSent | Retry::Throttled { .. } => true,
            Retry::MaybeRan => safe || retry_unsafe,
            Retry::MaybeRanTimeout => policy.retry_timeouts && (safe || retry_unsafe),
        }
    }
}

/// Whether a provider error is throttling: the request was refused without being run.
/// Alibaba Cloud's `Throttling`, `Throttling.User`, `Throttling.Api` (and other
/// `Throttling.*`), Tencent Cloud's `RequestLimitExceeded` and its `.…` codes, or HTTP 429.
pub fn is_throttling(meta: &ErrorMetadata) -> bool {
    let code = meta.code();
    meta.http_status() == 429
        || Cloud::ALL.iter().any(|c| {
            let throttling = c.descriptor().throttling_code;
            code.strip_prefix(throttling)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
}

/// The wait an Alibaba Cloud answer asks for in `x-acs-retry-after`: a positive whole
/// number of milliseconds, as the official SDKs read it (`get_throttling_time_left` in
/// `alibabacloud_tea_openapi`); anything else is no wait.
pub fn retry_after(headers: &[(String, String)]) -> Option<Duration> {
    let named = |k: &str| {
        Cloud::ALL
            .iter()
            .filter_map(|c| c.descriptor().retry_after_header)
            .any(|h| k.eq_ignore_ascii_case(h))
    };
    let value = headers.iter().find(|(k, _)| named(k))?.1.trim();
    match value.parse::<u64>() {
        Ok(ms) if ms > 0 => Some(Duration::from_millis(ms)),
        _ => None,
    }
}

/// A fresh idempotency token: a random UUID, version 4, in its hyphenated lowercase form
/// (`0b6e8f4c-…`), as the official SDKs send in `ClientToken`.
pub fn idempotency_token() -> String {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&fastrand::u64(..).to_le_bytes());
    b[8..].copy_from_slice(&fastrand::u64(..).to_le_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = RetryPolicy::attempts(5)
            .with_backoff(Duration::from_millis(100), Duration::from_millis(300));
        for attempt in 1..10 {
            let d = p.backoff(attempt);
            let cap = Duration::from_millis(100 * (1 << (attempt - 1).min(16)))
                .min(Duration::from_millis(300));
            assert!(d <= cap, "attempt {attempt}: {d:?} > {cap:?}");
        }
    }

    #[test]
    fn retry_after_is_milliseconds_and_bounded() {
        let h = |v: &str| vec![("X-Acs-Retry-After".to_owned(), v.to_owned())];
        assert_eq!(retry_after(&h("1500")), Some(Duration::from_millis(1500)));
        for bad in ["0", "-5", "", "1.5", "soon"] {
            assert_eq!(retry_after(&h(bad)), None, "{bad}");
        }
        assert_eq!(retry_after(&[]), None);
        let p = RetryPolicy::default().with_backoff(Duration::ZERO, Duration::from_secs(2));
        let throttled = Retry::Throttled {
            after: Some(Duration::from_secs(60)),
        };
        assert_eq!(p.delay(1, throttled), Duration::from_secs(2));
        let throttled = Retry::Throttled {
            after: Some(Duration::from_millis(20)),
        };
        assert_eq!(p.delay(1, throttled), Duration::from_millis(20));
    }

    #[test]
    fn the_rule() {
        let p = RetryPolicy::default();
        let no_timeouts = RetryPolicy::default().with_retry_timeouts(false);
        let throttled = Retry::Throttled { after: None };
        for (retry, safe, opted, policy, want) in [
            (Retry::NotSent, false, false, &p, true),
            (throttled, false, false, &p, true),
            (Retry::MaybeRan, false, false, &p, false),
            (Retry::MaybeRan, true, false, &p, true),
            (Retry::MaybeRan, false, true, &p, true),
            (Retry::MaybeRanTimeout, false, false, &p, false),
            (Retry::MaybeRanTimeout, true, false, &p, true),
            (Retry::MaybeRanTimeout, true, false, &no_timeouts, false),
            (Retry::No, true, true, &p, false),
        ] {
            assert_eq!(
                retry.allowed(safe, policy, opted),
                want,
                "{retry:?} {safe} {opted}"
            );
        }
    }

    #[test]
    fn tokens_are_uuid_v4_and_fresh() {
        let a = idempotency_token();
        let b = idempotency_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
    }

    #[test]
    fn throttling_codes() {
        for (code, status, want) in [
            ("Throttling", 400, true),
            ("Throttling.User", 400, true),
            ("RequestLimitExceeded", 200, true),
            ("RequestLimitExceeded.UinLimitExceeded", 200, true),
            ("InternalError", 500, false),
            ("Whatever", 429, true),
            ("ThrottlingX", 400, false),
        ] {
            let m = ErrorMetadata::new(code, "", None, status);
            assert_eq!(is_throttling(&m), want, "{code}");
        }
    }
}
