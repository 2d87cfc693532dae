//! Bounded resources over real HTTP, with the stub's fault injection: a response body
//! over the limit is refused without being buffered, a body that trickles in is cut off
//! by the request timeout, a connection reset mid-body is retried or reported.

use std::time::{Duration, Instant};

use cloudapi::runtime::http::TransportErrorKind;
use cloudapi::runtime::server::{Fault, FaultRule, RunningStub};
use cloudapi::runtime::{Config, ConfigBuilder, Credentials, RetryPolicy, SdkError};
use cloudapi::tencentcloud::organization::v20210331::stub::StubServer;
use cloudapi::tencentcloud::organization::v20210331::{Client, ListUsersRequest};

fn creds() -> Credentials {
    Credentials::new("AKIDbounded", "bounded-secret")
}

async fn stub(rule: FaultRule) -> RunningStub {
    StubServer::builder(creds())
        .into_builder()
        .fault(rule)
        .start()
        .await
        .unwrap()
}

fn client(stub: &RunningStub, config: impl FnOnce(ConfigBuilder) -> ConfigBuilder) -> Client {
    let builder = Config::builder(creds())
        .endpoint(stub.endpoint())
        .retry(RetryPolicy::none());
    Client::new(config(builder).build()).unwrap()
}

fn request() -> ListUsersRequest {
    ListUsersRequest::builder().zone_id("z-1").build().unwrap()
}

const GIB: u64 = 1 << 30;

#[tokio::test]
async fn a_body_over_the_limit_is_refused_without_being_buffered() {
    // 1 GiB announced by Content-Length: refused from the headers.
    let huge = stub(FaultRule::new(Fault::LargeBody {
        bytes: GIB,
        chunked: false,
    }))
    .await;
    let started = Instant::now();
    let e = client(&huge, |c| c).call(request()).await.unwrap_err();
    let SdkError::Dispatch(t) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        t.kind,
        TransportErrorKind::BodyTooLarge { limit: 16 << 20 },
        "the default limit"
    );
    assert!(
        t.message.contains("1073741824 bytes") && t.message.contains("16777216"),
        "{t}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        huge.streamed_bytes() < 64 << 20,
        "{} bytes were produced",
        huge.streamed_bytes()
    );

    // 1 GiB chunked, with no length to go by: reading stops at the limit.
    let chunked = stub(FaultRule::new(Fault::LargeBody {
        bytes: GIB,
        chunked: true,
    }))
    .await;
    let c = client(&chunked, |c| c.max_response_bytes(1 << 20));
    let e = c.call(request()).await.unwrap_err();
    match &e {
        SdkError::Dispatch(t) => {
            assert_eq!(t.kind, TransportErrorKind::BodyTooLarge { limit: 1 << 20 })
        }
        other => panic!("{other:?}"),
    }
    assert!(chunked.streamed_bytes() < 64 << 20);

    // The same answer padded to 2 MiB passes a 4 MiB limit (and decodes: it is the
    // example followed by spaces).
    let padded = stub(FaultRule::new(Fault::LargeBody {
        bytes: 2 << 20,
        chunked: true,
    }))
    .await;
    let c = client(&padded, |c| c.max_response_bytes(4 << 20));
    assert_eq!(c.call(request()).await.unwrap().total_counts, Some(50));
}

#[tokio::test]
async fn a_slow_drip_body_is_cut_off_by_the_request_timeout() {
    let drip = stub(FaultRule::new(Fault::SlowDrip(Duration::from_millis(20))).every(2)).await;
    let c = client(&drip, |c| c.request_timeout(Duration::from_millis(400)));
    // The first answer comes at once; the second trickles (the example is ~500 bytes,
    // 10 s at one byte every 20 ms).
    c.call(request()).await.unwrap();
    let started = Instant::now();
    let e = c.call(request()).await.unwrap_err();
    assert!(matches!(e, SdkError::Timeout(_)), "{e:?}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(3),
        "{took:?}"
    );
    assert!(drip.streamed_bytes() > 0, "the body had started");
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried_then_reported() {
    // Every second request is reset mid-body: the second call's first attempt.
    let reset = stub(FaultRule::new(Fault::ResetMidBody).every(2)).await;
    let retrying = client(&reset, |c| {
        c.retry(
            RetryPolicy::attempts(2)
                .with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
        )
    });
    retrying.call(request()).await.unwrap();
    retrying.call(request()).await.unwrap();
    assert_eq!(reset.received().len(), 3, "one retry");

    // Without retries it is a dispatch error saying the body broke off.
    let once = client(&reset, |c| c);
    let e = loop {
        // Whichever call lands on an even request.
        if let Err(e) = once.call(request()).await {
            break e;
        }
    };
    match &e {
        SdkError::Dispatch(t) => {
            assert_eq!(t.kind, TransportErrorKind::Interrupted, "{t}");
            assert!(t.message.contains("response body"), "{t}");
        }
        other => panic!("{other:?}"),
    }
}
