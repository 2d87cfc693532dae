//! Bounded retries with exponential backoff and full jitter.

use std::time::Duration;

/// Bounded attempts with exponential backoff and full jitter.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: u32,
    /// The backoff before the second attempt; doubled for each further attempt.
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
    /// Whether a request that timed out, or whose response broke off mid-body, is retried
    /// (the request reached the server: safe for read-only actions).
    pub retry_timeouts: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            retry_timeouts: true,
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

    /// The delay before attempt `attempt + 1`: a random duration up to the capped exponential backoff.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            retry_timeouts: true,
        };
        for attempt in 1..10 {
            let d = p.backoff(attempt);
            let cap = Duration::from_millis(100 * (1 << (attempt - 1).min(16)))
                .min(Duration::from_millis(300));
            assert!(d <= cap, "attempt {attempt}: {d:?} > {cap:?}");
        }
    }
}
