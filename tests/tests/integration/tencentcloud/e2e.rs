//! End to end: the generated Tencent Cloud client against the generated stub server,
//! over real HTTP on 127.0.0.1, with TC3 signatures checked by the stub.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, Credentials, RetryPolicy, SdkError};
use cloudapi::tencentcloud::organization::v20210331::list_users::UserInfo;
use cloudapi::tencentcloud::organization::v20210331::stub::StubServer;
use cloudapi::tencentcloud::organization::v20210331::{
    Client, CommonError, ListUsersError, ListUsersRequest, ListUsersResponse,
};
use futures_util::StreamExt;

fn creds() -> Credentials {
    Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    )
}

fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::attempts(attempts).with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn client(endpoint: &str, retry: RetryPolicy) -> Client {
    Client::new(
        Config::builder(creds())
            .endpoint(endpoint)
            .retry(retry)
            .request_timeout(Duration::from_secs(5))
            .build(),
    )
    .unwrap()
}

fn request() -> ListUsersRequest {
    ListUsersRequest::builder().zone_id("z-1").build().unwrap()
}

#[tokio::test]
async fn list_users_succeeds_against_a_server_that_checks_signatures() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint(), RetryPolicy::none());
    let resp = c
        .call(
            ListUsersRequest::builder()
                .zone_id("z-00fc2p61****")
                .filter("张三 +*~")
                .filter_groups(["g-1", "g-2"])
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.total_counts, Some(50));
    assert_eq!(resp.users[0].user_name.as_deref(), Some("test"));
    let got = stub.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].action, "ListUsers");
    assert_eq!(got[0].header("x-tc-version"), Some("2021-03-31"));
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["Filter"], "张三 +*~");
    assert_eq!(body["FilterGroups"], serde_json::json!(["g-1", "g-2"]));
}

/// The document says `NextToken` takes precedence over `Offset`: the client-side
/// `conflicts` rule is advice (`build()` refuses the pair, `build_unchecked()` sends it),
/// and the stub, like the provider, accepts both, while still refusing what the provider
/// refuses (a range).
#[tokio::test]
async fn the_stub_accepts_offset_with_next_token_as_the_provider_does() {
    let both = || {
        ListUsersRequest::builder()
            .zone_id("z-1")
            .offset(10)
            .next_token("OTM0YzE4MzY2ZjdhMWM0MYZDhnYaxsiYTLI=")
    };
    let refused = both().build().unwrap_err();
    assert!(refused.for_parameter("Offset").is_some(), "{refused}");
    let seen = Arc::new(std::sync::Mutex::new(None));
    let inner = seen.clone();
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(move |req| {
            *inner.lock().unwrap() = Some((req.offset, req.next_token.clone()));
            Reply::Example
        })
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint(), RetryPolicy::none());
    let resp = c.call(both().build_unchecked().unwrap()).await.unwrap();
    assert_eq!(resp.total_counts, Some(50));
    assert_eq!(
        *seen.lock().unwrap(),
        Some((
            Some(10),
            Some("OTM0YzE4MzY2ZjdhMWM0MYZDhnYaxsiYTLI=".to_owned())
        ))
    );

    // A range the provider enforces is still refused, conflict or not.
    let too_many = both().max_results(101).build_unchecked().unwrap();
    match c.call(too_many).await {
        Err(SdkError::Service(e)) => {
            assert_eq!(e.http_status(), 200);
            assert!(e.message().contains("MaxResults"), "{e}");
        }
        other => panic!("expected the provider's range error, got {other:?}"),
    }
    assert_eq!(
        stub.received().len(),
        2,
        "both reached the stub, one its handler"
    );
}

#[tokio::test]
async fn a_bad_signature_or_unknown_key_is_the_providers_auth_error() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let wrong_secret = Client::new(
        Config::builder(Credentials::new(creds().access_key_id(), "wrong"))
            .endpoint(stub.endpoint())
            .retry(RetryPolicy::none())
            .build(),
    )
    .unwrap();
    match wrong_secret.call(request()).await {
        Err(SdkError::Service(
            e @ ListUsersError::Common(CommonError::AuthFailureSignatureFailure(_)),
        )) => {
            assert!(e.request_id().is_some());
            assert!(!e.is_retryable());
        }
        other => panic!("expected a signature failure, got {other:?}"),
    }
    let wrong_id = Client::new(
        Config::builder(Credentials::new("AKIDother", "x"))
            .endpoint(stub.endpoint())
            .retry(RetryPolicy::none())
            .build(),
    )
    .unwrap();
    assert!(matches!(
        wrong_id.call(request()).await,
        Err(SdkError::Service(ListUsersError::Common(
            CommonError::AuthFailureSecretIdNotFound(_)
        )))
    ));
    assert!(
        stub.received().is_empty(),
        "unsigned requests never reach handlers"
    );
}

#[tokio::test]
#[allow(deprecated)] // checks the mapping to the deprecated `Unhandled` variant
async fn every_documented_error_code_reaches_the_caller_as_its_variant() {
    let code = Arc::new(std::sync::Mutex::new(String::new()));
    let shared = code.clone();
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(move |_| {
            Reply::error(shared.lock().unwrap().clone(), "injected")
        })
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint(), RetryPolicy::none());
    for expected in ListUsersError::CODES.iter().chain(CommonError::CODES) {
        *code.lock().unwrap() = expected.to_string();
        match c.call(request()).await {
            Err(SdkError::Service(e)) => {
                assert!(!matches!(e, ListUsersError::Unhandled(_)), "{expected}");
                assert_eq!(e.code(), *expected);
                assert_eq!(e.message(), "injected");
                assert!(e.request_id().unwrap().starts_with("stub-"));
                assert_eq!(e.http_status(), 200);
            }
            other => panic!("{expected}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn throttling_is_retried_until_it_succeeds() {
    let calls = Arc::new(AtomicUsize::new(0));
    let n = calls.clone();
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(move |_| {
            if n.fetch_add(1, Ordering::SeqCst) < 2 {
                Reply::error("RequestLimitExceeded", "slow down")
            } else {
                Reply::Example
            }
        })
        .start()
        .await
        .unwrap();
    let resp = client(&stub.endpoint(), fast_retries(3))
        .call(request())
        .await
        .unwrap();
    assert_eq!(resp.total_counts, Some(50));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // With fewer attempts than failures, the last error surfaces, typed.
    calls.store(0, Ordering::SeqCst);
    let e = client(&stub.endpoint(), fast_retries(2))
        .call(request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            SdkError::Service(ListUsersError::Common(CommonError::RequestLimitExceeded(_)))
        ),
        "{e:?}"
    );
    // InternalError is not retried (as the official SDKs do).
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(|_| {
            Reply::error("InternalError", "boom")
        })
        .start()
        .await
        .unwrap();
    let _ = client(&stub.endpoint(), fast_retries(3))
        .call(request())
        .await
        .unwrap_err();
    assert_eq!(stub.received().len(), 1);
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(|_| Reply::Hang)
        .start()
        .await
        .unwrap();
    let c = Client::new(
        Config::builder(creds())
            .endpoint(stub.endpoint())
            .retry(RetryPolicy::none())
            .request_timeout(Duration::from_millis(200))
            .build(),
    )
    .unwrap();
    match c.call(request()).await {
        Err(SdkError::Timeout(t)) => assert_eq!(t.timeout, Duration::from_millis(200)),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_malformed_and_html_bodies_are_decode_errors() {
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(|req| {
            match req.filter.as_deref() {
                Some("truncated") => Reply::Raw {
                    status: 200,
                    content_type: "application/json".into(),
                    body: br#"{"Response":{"TotalCounts":5,"Users":[{"UserN"#.to_vec(),
                },
                Some("wrong-type") => Reply::Raw {
                    status: 200,
                    content_type: "application/json".into(),
                    body: br#"{"Response":{"TotalCounts":"five"}}"#.to_vec(),
                },
                _ => Reply::Raw {
                    status: 502,
                    content_type: "text/html".into(),
                    body: b"<html><body>502 Bad Gateway</body></html>".to_vec(),
                },
            }
        })
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint(), fast_retries(2));
    let call = |f: &'static str| {
        c.call(
            ListUsersRequest::builder()
                .zone_id("z")
                .filter(f)
                .build()
                .unwrap(),
        )
    };
    match call("truncated").await {
        Err(SdkError::Response(e)) => {
            assert_eq!(e.status, 200);
            assert!(e.decode.body().ends_with("UserN"));
        }
        other => panic!("{other:?}"),
    }
    match call("wrong-type").await {
        Err(SdkError::Response(e)) => assert_eq!(e.decode.path(), "Response.TotalCounts"),
        other => panic!("{other:?}"),
    }
    match call("html").await {
        Err(SdkError::Response(e)) => {
            assert_eq!(e.status, 502);
            assert!(e.decode.body().contains("Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
    // The 502 was retried once (two attempts in all).
    assert_eq!(
        stub.received()
            .iter()
            .filter(|r| String::from_utf8_lossy(&r.body).contains("html"))
            .count(),
        2
    );
}

#[tokio::test]
async fn a_request_breaking_a_constraint_is_refused_by_the_server_too() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint(), RetryPolicy::none());
    let req = ListUsersRequest::builder()
        .zone_id("z")
        .max_results(500)
        .build_unchecked()
        .unwrap();
    match c.call(req).await {
        Err(SdkError::Service(
            e @ ListUsersError::Common(CommonError::InvalidParameterValue(_)),
        )) => {
            assert_eq!(
                e.message(),
                "The parameter MaxResults must be less than or equal to 100."
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn connection_refused_is_a_dispatch_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = client(&format!("http://127.0.0.1:{port}"), fast_retries(2));
    assert!(matches!(
        c.call(request()).await,
        Err(SdkError::Dispatch(_))
    ));
}

fn paged_stub_handler(req: ListUsersRequest) -> Reply<ListUsersResponse> {
    // 7 users, 3 per page: tokens "p2", "p3"; the last page is not truncated.
    let start = match req.next_token.as_deref() {
        None => 0,
        Some("p2") => 3,
        Some("p3") => 6,
        Some(_) => return Reply::error("InvalidParameter.NextTokenInvalid", "bad token"),
    };
    let mut r = ListUsersResponse::default();
    r.users = (start..(start + 3).min(7))
        .map(|i| {
            let mut u = UserInfo::default();
            u.user_id = Some(format!("u-{i}"));
            u
        })
        .collect();
    r.total_counts = Some(7);
    r.is_truncated = Some(start + 3 < 7);
    r.next_token = (start + 3 < 7).then(|| format!("p{}", start / 3 + 2));
    Reply::Ok(r)
}

#[tokio::test]
async fn token_pagination_returns_every_item_exactly_once() {
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(paged_stub_handler)
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint(), RetryPolicy::none());
    let pages: Vec<_> = c.paginator(request()).pages().collect().await;
    assert_eq!(pages.len(), 3);
    let ids: Vec<String> = c
        .paginator(request())
        .items()
        .map(|u| u.unwrap().user_id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, (0..7).map(|i| format!("u-{i}")).collect::<Vec<_>>());
}

#[tokio::test]
async fn pagination_stops_on_a_repeated_or_empty_token() {
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(|req| {
            let mut r = ListUsersResponse::default();
            r.is_truncated = Some(true);
            // The server claims more pages but keeps handing out the same token.
            r.next_token = Some("same".into());
            r.users = vec![UserInfo::default()];
            if req.filter.as_deref() == Some("empty") {
                r.next_token = Some(String::new());
            }
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint(), RetryPolicy::none());
    assert_eq!(c.paginator(request()).pages().count().await, 2);
    let empty = ListUsersRequest::builder()
        .zone_id("z")
        .filter("empty")
        .build()
        .unwrap();
    assert_eq!(c.paginator(empty).pages().count().await, 1);
}

#[tokio::test]
async fn a_page_error_ends_the_stream_with_that_error() {
    let stub = StubServer::builder(creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(|_| {
            Reply::error("FailedOperation.ZoneIdNotExist", "no zone")
        })
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint(), RetryPolicy::none());
    let items: Vec<_> = c.paginator(request()).items().collect().await;
    assert_eq!(items.len(), 1);
    assert!(matches!(
        &items[0],
        Err(SdkError::Service(
            ListUsersError::FailedOperationZoneIdNotExist(_)
        ))
    ));
}
