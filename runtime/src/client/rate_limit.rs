//! Client-side rate limiting: a token bucket per action.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A token bucket per action: `rps` tokens a second, bursts of up to `rps`.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    buckets: Mutex<HashMap<&'static str, (f64, Instant)>>,
}

impl RateLimiter {
    /// How long to wait before sending, having taken a token.
    pub(crate) fn reserve(&self, action: &'static str, rps: u32) -> Duration {
        let rps = f64::from(rps.max(1));
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets.entry(action).or_insert((rps, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rps).min(rps);
        *last = now;
        *tokens -= 1.0;
        if *tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-*tokens / rps)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_limiter_allows_a_burst_then_spaces_requests() {
        let l = RateLimiter::default();
        for _ in 0..20 {
            assert_eq!(l.reserve("ListUsers", 20), Duration::ZERO);
        }
        let wait = l.reserve("ListUsers", 20);
        assert!(
            wait > Duration::from_millis(30) && wait <= Duration::from_millis(50),
            "{wait:?}"
        );
        // Another action has its own bucket.
        assert_eq!(l.reserve("Other", 20), Duration::ZERO);
    }
}
