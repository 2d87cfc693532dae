//! The documented rate limit (ListUsers: 20 requests per second) is honoured when enabled.
//! Time is tokio's paused clock, so the check is exact, not a timing guess.

use std::sync::Arc;

use cloudapi::tencentcloud::organization::v20210331::ListUsersRequest;

use super::{client, Recorder};

#[tokio::test(start_paused = true)]
async fn the_documented_rate_limit_spaces_requests_when_enabled() {
    for (enabled, min_span_ms) in [(true, 1000), (false, 0)] {
        let t = Arc::new(Recorder::default());
        let c = client(t.clone(), enabled);
        let start = tokio::time::Instant::now();
        for _ in 0..40 {
            c.call(ListUsersRequest::builder().zone_id("z").build().unwrap())
                .await
                .unwrap();
        }
        let sent = t.sent.lock().unwrap();
        let span = sent.last().unwrap().0 - start;
        // 40 requests at 20/s with a burst of 20: the last leaves after about one second.
        if enabled {
            assert!(
                span.as_millis() >= min_span_ms - 1 && span.as_millis() <= 1100,
                "{span:?}"
            );
            // A burst of 20 at once, then one every 50 ms: 39 leave within the first second.
            let at_once = sent.iter().filter(|(at, _)| *at == start).count();
            assert_eq!(at_once, 20);
            let in_first_second = sent
                .iter()
                .filter(|(at, _)| (*at - start).as_millis() < 1000)
                .count();
            assert!((38..=39).contains(&in_first_second), "{in_first_second}");
        } else {
            assert_eq!(span.as_millis(), 0);
        }
    }
}
