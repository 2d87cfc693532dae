//! End to end: the generated Alibaba Cloud CCC client against the generated stub server,
//! over real HTTP on 127.0.0.1, with HMAC-SHA1 and ACS3-HMAC-SHA256 signatures checked.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cloudapi::aliyun::ccc::v20200701::list_instances_of_user::{CallCenterInstance, Data};
use cloudapi::aliyun::ccc::v20200701::stub::StubServer;
use cloudapi::aliyun::ccc::v20200701::{
    Client, CommonError, ListInstancesOfUserError, ListInstancesOfUserRequest,
    ListInstancesOfUserResponse,
};
use cloudapi::runtime::server::Reply;
use cloudapi::runtime::Signing;
use cloudapi::runtime::{Config, Credentials, Format, RetryPolicy, SdkError};
use futures_util::StreamExt;

fn creds() -> Credentials {
    Credentials::new("testid", "testsecret")
}

fn config(endpoint: &str) -> cloudapi::runtime::ConfigBuilder {
    Config::builder(creds()).endpoint(endpoint).retry(
        RetryPolicy::attempts(3).with_backoff(Duration::from_millis(1), Duration::from_millis(5)),
    )
}

fn request(page: i64, size: i64) -> ListInstancesOfUserRequest {
    ListInstancesOfUserRequest::builder()
        .page_number(page)
        .page_size(size)
        .build()
        .unwrap()
}

#[tokio::test]
async fn succeeds_with_hmac_sha1_and_with_acs3() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    for signing in [Signing::HmacSha1, Signing::Acs3HmacSha256] {
        let c = Client::new(config(&stub.endpoint()).signing(signing).build()).unwrap();
        let resp = c
            .call(request(1, 10))
            .await
            .unwrap_or_else(|e| panic!("{signing:?}: {e}"));
        assert_eq!(
            resp.data.unwrap().list[0].name.as_deref(),
            Some("云呼测试实例")
        );
    }
    let got = stub.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].params.get("SignatureMethod"), Some("HMAC-SHA1"));
    assert_eq!(got[0].params.get("PageSize"), Some("10"));
    assert!(got[1]
        .header("authorization")
        .unwrap()
        .starts_with("ACS3-HMAC-SHA256 Credential=testid,"));
    assert_eq!(got[1].header("x-acs-action"), Some("ListInstancesOfUser"));
}

#[tokio::test]
async fn a_wrong_secret_is_signature_does_not_match() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    for signing in [Signing::HmacSha1, Signing::Acs3HmacSha256] {
        let c = Client::new(
            Config::builder(Credentials::new("testid", "nope"))
                .endpoint(stub.endpoint())
                .signing(signing)
                .retry(RetryPolicy::none())
                .build(),
        )
        .unwrap();
        match c.call(request(1, 10)).await {
            Err(SdkError::Service(
                e @ ListInstancesOfUserError::Common(CommonError::SignatureDoesNotMatch(_)),
            )) => assert_eq!(e.http_status(), 400),
            other => panic!("{signing:?}: {other:?}"),
        }
    }
    let c = Client::new(
        Config::builder(Credentials::new("other", "x"))
            .endpoint(stub.endpoint())
            .retry(RetryPolicy::none())
            .build(),
    )
    .unwrap();
    assert!(matches!(
        c.call(request(1, 10)).await,
        Err(SdkError::Service(ListInstancesOfUserError::Common(
            CommonError::InvalidAccessKeyIdNotFound(_)
        )))
    ));
}

#[tokio::test]
async fn the_xml_format_gives_the_same_model_as_json() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let json = Client::new(config(&stub.endpoint()).build())
        .unwrap()
        .call(request(1, 10))
        .await
        .unwrap();
    let xml = Client::new(config(&stub.endpoint()).format(Format::Xml).build())
        .unwrap()
        .call(request(1, 10))
        .await
        .unwrap();
    assert_eq!(json, xml);
    assert_eq!(stub.received()[1].params.get("Format"), Some("XML"));
    // A typed reply serialized as XML by the stub decodes back too.
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(|_| {
            Reply::Ok(
                ListInstancesOfUserResponse::from_json(
                    cloudapi::aliyun::ccc::v20200701::list_instances_of_user::EXAMPLE_RESPONSE_JSON
                        .as_bytes(),
                )
                .unwrap(),
            )
        })
        .start()
        .await
        .unwrap();
    let again = Client::new(config(&stub.endpoint()).format(Format::Xml).build())
        .unwrap()
        .call(request(1, 10))
        .await
        .unwrap();
    assert_eq!(again.data, json.data);
}

#[tokio::test]
#[allow(deprecated)] // checks the mapping to the deprecated `Unhandled` variant
async fn every_documented_error_code_reaches_the_caller_as_its_variant_with_its_status() {
    let code = Arc::new(std::sync::Mutex::new((String::new(), 400)));
    let shared = code.clone();
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(move |_| {
            let (c, s) = shared.lock().unwrap().clone();
            Reply::Error {
                code: c,
                message: "injected".into(),
                http_status: s,
            }
        })
        .start()
        .await
        .unwrap();
    let c = Client::new(config(&stub.endpoint()).retry(RetryPolicy::none()).build()).unwrap();
    for (i, expected) in ListInstancesOfUserError::CODES
        .iter()
        .chain(CommonError::CODES)
        .enumerate()
    {
        let status = [400, 403, 404, 500, 503][i % 5];
        *code.lock().unwrap() = (expected.to_string(), status);
        match c.call(request(1, 10)).await {
            Err(SdkError::Service(e)) => {
                assert!(
                    !matches!(e, ListInstancesOfUserError::Unhandled(_)),
                    "{expected}"
                );
                assert_eq!((e.code(), e.http_status()), (*expected, status));
                assert!(e.request_id().is_some());
            }
            other => panic!("{expected}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_server_refuses_out_of_range_pages_with_the_documents_error() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = Client::new(config(&stub.endpoint()).build()).unwrap();
    let req = ListInstancesOfUserRequest::builder()
        .page_number(1)
        .page_size(101)
        .build_unchecked()
        .unwrap();
    match c.call(req).await {
        Err(SdkError::Service(e @ ListInstancesOfUserError::ParameterMaximum(_))) => {
            assert_eq!(
                e.message(),
                "The parameter PageSize must be less than or equal to 100."
            );
            assert_eq!(e.http_status(), 400);
        }
        other => panic!("{other:?}"),
    }
    let req = ListInstancesOfUserRequest::builder()
        .page_number(0)
        .page_size(10)
        .build_unchecked()
        .unwrap();
    assert!(matches!(
        c.call(req).await,
        Err(SdkError::Service(
            ListInstancesOfUserError::ParameterMinimum(_)
        ))
    ));
}

#[tokio::test]
async fn throttling_then_success_is_retried() {
    let calls = Arc::new(AtomicUsize::new(0));
    let n = calls.clone();
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(move |_| {
            if n.fetch_add(1, Ordering::SeqCst) == 0 {
                Reply::error(
                    "Throttling.User",
                    "Request was denied due to user flow control.",
                )
            } else {
                Reply::Example
            }
        })
        .start()
        .await
        .unwrap();
    let c = Client::new(config(&stub.endpoint()).build()).unwrap();
    assert!(c.call(request(1, 10)).await.is_ok());
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Each attempt is signed afresh: the nonces differ.
    let got = stub.received();
    assert_ne!(
        got[0].params.get("SignatureNonce"),
        got[1].params.get("SignatureNonce")
    );
}

#[tokio::test]
async fn page_number_pagination_returns_every_item_exactly_once() {
    const TOTAL: i64 = 23;
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(|req| {
            let start = (req.page_number - 1) * req.page_size;
            let mut data = Data::default();
            data.total_count = Some(TOTAL);
            data.page_number = Some(req.page_number);
            data.page_size = Some(req.page_size);
            data.list = (start..(start + req.page_size).min(TOTAL))
                .map(|i| {
                    let mut inst = CallCenterInstance::default();
                    inst.id = Some(format!("ccc-{i}"));
                    inst
                })
                .collect();
            let mut r = ListInstancesOfUserResponse::default();
            r.data = Some(data);
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let c = Client::new(config(&stub.endpoint()).build()).unwrap();
    let ids: Vec<String> = c
        .paginator(request(1, 10))
        .items()
        .map(|i| i.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(
        ids,
        (0..TOTAL).map(|i| format!("ccc-{i}")).collect::<Vec<_>>()
    );
    let pages = stub
        .received()
        .iter()
        .map(|r| r.params.get("PageNumber").unwrap().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(pages, ["1", "2", "3"]);
}
