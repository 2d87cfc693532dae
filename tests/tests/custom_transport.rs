//! A user-supplied transport (no network): requests are signed and shaped as the provider
//! expects, and the documented rate limit (ListUsers: 20 requests per second) is honoured
//! when enabled. Time is tokio's paused clock, so the check is exact, not a timing guess.

use std::sync::{Arc, Mutex};

use cloudapi::runtime::http::{BoxFuture, HttpRequest, HttpResponse, HttpTransport, TransportError};
use cloudapi::runtime::{sign, Config, Credentials, RetryPolicy};
use cloudapi::tencentcloud::organization::v20210331::list_users::EXAMPLE_RESPONSE_JSON;
use cloudapi::tencentcloud::organization::v20210331::{Client, ListUsersRequest};

#[derive(Debug, Default)]
struct Recorder {
    sent: Mutex<Vec<(tokio::time::Instant, HttpRequest)>>,
}

impl HttpTransport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.lock().unwrap().push((tokio::time::Instant::now(), request));
        Box::pin(async { Ok(HttpResponse { status: 200, headers: vec![], body: EXAMPLE_RESPONSE_JSON.as_bytes().to_vec() }) })
    }
}

fn client(transport: Arc<Recorder>, rate_limit: bool) -> Client {
    let creds = Credentials::new("AKIDexample", "secret-key").with_token("session-token");
    Client::new(Config::builder(creds).endpoint("https://organization.tencentcloudapi.com").region("ap-guangzhou").rate_limit(rate_limit).retry(RetryPolicy::none()).transport(transport).build()).unwrap()
}

#[tokio::test]
async fn requests_carry_the_tc3_headers_and_a_verifiable_signature() {
    let t = Arc::new(Recorder::default());
    let c = client(t.clone(), false);
    c.list_users(ListUsersRequest::builder().zone_id("z-1").build().unwrap()).await.unwrap();
    let sent = t.sent.lock().unwrap();
    let req = &sent[0].1;
    let h = |n: &str| req.headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("header {n}"));
    assert_eq!(req.url, "https://organization.tencentcloudapi.com/");
    assert_eq!((h("X-TC-Action"), h("X-TC-Version"), h("X-TC-Region"), h("X-TC-Token")), ("ListUsers", "2021-03-31", "ap-guangzhou", "session-token"));
    let auth = sign::tc3::parse_authorization(h("Authorization")).unwrap();
    assert_eq!((auth.secret_id.as_str(), auth.service.as_str()), ("AKIDexample", "organization"));
    let ts: i64 = h("X-TC-Timestamp").parse().unwrap();
    let input = sign::tc3::Input { method: "POST", host: "organization.tencentcloudapi.com", query: "", content_type: h("Content-Type"), payload: &req.body, service: "organization", timestamp: ts };
    assert_eq!(sign::tc3::sign(&input, "AKIDexample", "secret-key").signature, auth.signature);
    // The secret never travels.
    assert!(req.headers.iter().all(|(_, v)| !v.contains("secret-key")));
}

#[tokio::test(start_paused = true)]
async fn the_documented_rate_limit_spaces_requests_when_enabled() {
    for (enabled, min_span_ms) in [(true, 1000), (false, 0)] {
        let t = Arc::new(Recorder::default());
        let c = client(t.clone(), enabled);
        let start = tokio::time::Instant::now();
        for _ in 0..40 {
            c.list_users(ListUsersRequest::builder().zone_id("z").build().unwrap()).await.unwrap();
        }
        let sent = t.sent.lock().unwrap();
        let span = sent.last().unwrap().0 - start;
        // 40 requests at 20/s with a burst of 20: the last leaves after about one second.
        if enabled {
            assert!(span.as_millis() >= min_span_ms - 1 && span.as_millis() <= 1100, "{span:?}");
            // A burst of 20 at once, then one every 50 ms: 39 leave within the first second.
            let at_once = sent.iter().filter(|(at, _)| *at == start).count();
            assert_eq!(at_once, 20);
            let in_first_second = sent.iter().filter(|(at, _)| (*at - start).as_millis() < 1000).count();
            assert!((38..=39).contains(&in_first_second), "{in_first_second}");
        } else {
            assert_eq!(span.as_millis(), 0);
        }
    }
}
