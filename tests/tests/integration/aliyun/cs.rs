//! End to end: Container Service 2015-12-15 (Alibaba Cloud ROA) against the generated stub
//! server over real HTTP on 127.0.0.1, with ACS3-HMAC-SHA256 signatures checked.
//!
//! ModifyCluster is a PUT on `/api/v2/clusters/{ClusterId}` with a JSON body holding
//! nested structures; DescribeClusterDetail is a GET on `/clusters/{ClusterId}` whose
//! answer has a list of structures, a structure, a map and a date-time.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use cloudapi::aliyun::cs::v20151215::modify_cluster::{CertSans, CertSansAction};
use cloudapi::aliyun::cs::v20151215::stub::StubServer;
use cloudapi::aliyun::cs::v20151215::types::MaintenanceWindow;
use cloudapi::aliyun::cs::v20151215::{
    describe_cluster_detail, modify_cluster, Client, CommonError, DescribeClusterDetailError,
    DescribeClusterDetailRequest, DescribeClusterDetailResponse, ModifyClusterError,
    ModifyClusterRequest, ModifyClusterResponse,
};
use cloudapi::runtime::server::Reply;
use cloudapi::runtime::{Config, Credentials, RetryPolicy, SdkError, ViolationKind};
use serde_json::json;

fn creds() -> Credentials {
    Credentials::new("testid", "testsecret")
}

fn client_with(endpoint: &str, creds: Credentials) -> Client {
    Client::new(
        Config::builder(creds)
            .endpoint(endpoint)
            .retry(RetryPolicy::none())
            .build(),
    )
    .unwrap()
}

fn client(endpoint: &str) -> Client {
    client_with(endpoint, creds())
}

/// A cluster id with characters that must be percent-encoded in a path segment.
const ODD_ID: &str = "c82e/6987 集群*~";
/// `ODD_ID` as Alibaba Cloud encodes a path segment (only `A-Z a-z 0-9 - _ . ~` kept).
const ODD_ID_ENCODED: &str = "c82e%2F6987%20%E9%9B%86%E7%BE%A4%2A~";

fn window() -> MaintenanceWindow {
    MaintenanceWindow::default()
        .enable(true)
        .maintenance_time("2020-10-15T12:31:00.000+08:00")
        .duration("3h")
        .weekly_period("Monday,Thursday")
}

fn modify_request() -> ModifyClusterRequest {
    ModifyClusterRequest::builder()
        .cluster_id(ODD_ID)
        .cluster_name("cluster-new-name")
        .deletion_protection(true)
        .maintenance_window(window())
        .api_server_custom_cert_sans(
            CertSans::default()
                .action(CertSansAction::Append)
                .subject_alternative_names(["example.com", "*.example.org"]),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn modify_cluster_puts_the_set_members_as_json_on_the_encoded_path() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::cs::v20151215::ModifyCluster>(move |req| {
            keep.lock().unwrap().push(req);
            Reply::Example
        })
        .start()
        .await
        .unwrap();
    let sent = modify_request();
    let resp = client(&stub.endpoint()).call(sent.clone()).await.unwrap();
    assert_eq!(resp.task_id.as_deref(), Some("T-5a54309c80282e39ea00002f"));

    // Received, so the ACS3 signature over the encoded path and the body verified.
    let got = stub.received();
    assert_eq!(got.len(), 1);
    let got = &got[0];
    assert_eq!(got.action, "ModifyCluster");
    assert_eq!(got.method, "PUT");
    assert_eq!(got.path, format!("/api/v2/clusters/{ODD_ID_ENCODED}"));
    assert!(got.params.0.is_empty(), "no query: {:?}", got.params);
    assert_eq!(got.header("x-acs-version"), Some("2015-12-15"));
    assert!(got
        .header("authorization")
        .unwrap()
        .starts_with("ACS3-HMAC-SHA256 Credential=testid,"));
    assert!(got
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let body: serde_json::Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(
        body,
        json!({
            "cluster_name": "cluster-new-name",
            "deletion_protection": true,
            "maintenance_window": {
                "enable": true,
                "maintenance_time": "2020-10-15T12:31:00.000+08:00",
                "duration": "3h",
                "weekly_period": "Monday,Thursday"
            },
            "api_server_custom_cert_sans": {
                "action": "append",
                "subject_alternative_names": ["example.com", "*.example.org"]
            }
        }),
        "exactly the set members; the path parameter stays in the path"
    );

    // The handler got the typed request back, the path parameter decoded.
    let seen = seen.lock().unwrap();
    assert_eq!(*seen, [sent]);
    assert_eq!(seen[0].cluster_id, ODD_ID);
    assert_eq!(
        seen[0].api_server_custom_cert_sans.as_ref().unwrap().action,
        Some(CertSansAction::Append)
    );
}

#[tokio::test]
async fn a_partial_update_sends_only_what_is_set() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint());
    c.call(
        ModifyClusterRequest::builder()
            .cluster_id("c-1")
            .maintenance_window(MaintenanceWindow::default().enable(false))
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    c.call(
        ModifyClusterRequest::builder()
            .cluster_id("c-2")
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let got = stub.received();
    let body: serde_json::Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body, json!({"maintenance_window": {"enable": false}}));
    assert_eq!(got[0].path, "/api/v2/clusters/c-1");
    // Nothing to send: no body, and no content type claiming one.
    assert!(got[1].body.is_empty());
    assert_eq!(got[1].header("content-type"), None);
}

#[tokio::test]
async fn a_wrong_secret_or_unknown_key_gets_the_providers_error() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let wrong = client_with(&stub.endpoint(), Credentials::new("testid", "nope"));
    match wrong.call(modify_request()).await {
        Err(SdkError::Service(
            e @ ModifyClusterError::Common(CommonError::SignatureDoesNotMatch(_)),
        )) => {
            assert_eq!(e.http_status(), 400);
            assert!(e.request_id().is_some());
        }
        other => panic!("{other:?}"),
    }
    let unknown = client_with(&stub.endpoint(), Credentials::new("other", "testsecret"));
    assert!(matches!(
        unknown
            .call(
                DescribeClusterDetailRequest::builder()
                    .cluster_id("c-1")
                    .build()
                    .unwrap()
            )
            .await,
        Err(SdkError::Service(DescribeClusterDetailError::Common(
            CommonError::InvalidAccessKeyIdNotFound(_)
        )))
    ));
    assert!(
        stub.received().is_empty(),
        "unverified requests go no further"
    );
}

#[test]
fn cert_sans_need_their_action_and_names_and_the_action_must_be_known() {
    let missing = ModifyClusterRequest::builder()
        .cluster_id("c-1")
        .api_server_custom_cert_sans(CertSans::default().subject_alternative_names(["a"]));
    for result in [missing.clone().build(), missing.build_unchecked()] {
        let e = result.unwrap_err();
        assert_eq!(e.violations().len(), 1, "{e}");
        assert_eq!(
            e.violations()[0].parameter,
            "api_server_custom_cert_sans.action"
        );
        assert_eq!(e.violations()[0].kind, ViolationKind::Required);
    }
    let e = ModifyClusterRequest::builder()
        .cluster_id("c-1")
        .api_server_custom_cert_sans(CertSans::default())
        .build_unchecked()
        .unwrap_err();
    let paths: Vec<_> = e.violations().iter().map(|v| &*v.parameter).collect();
    assert_eq!(
        paths,
        [
            "api_server_custom_cert_sans.action",
            "api_server_custom_cert_sans.subject_alternative_names"
        ]
    );
    let unknown = ModifyClusterRequest::builder()
        .cluster_id("c-1")
        .api_server_custom_cert_sans(
            CertSans::default()
                .action(CertSansAction::Unknown("replace".into()))
                .subject_alternative_names(["a"]),
        );
    let e = unknown.clone().build().unwrap_err();
    assert!(matches!(
        &e.violations()[0].kind,
        ViolationKind::NotInEnum { value, allowed } if value == "replace" && *allowed == ["append", "overwrite"]
    ));
    assert!(unknown.build_unchecked().is_ok());
    assert!(ModifyClusterRequest::builder().build_unchecked().is_err());
}

#[tokio::test]
async fn the_stub_refuses_an_unknown_nested_enum_value() {
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let req = ModifyClusterRequest::builder()
        .cluster_id("c-1")
        .api_server_custom_cert_sans(
            CertSans::default()
                .action(CertSansAction::Unknown("replace".into()))
                .subject_alternative_names(["a"]),
        )
        .build_unchecked()
        .unwrap();
    match client(&stub.endpoint()).call(req).await {
        Err(SdkError::Service(
            e @ ModifyClusterError::Common(CommonError::InvalidParameter(_)),
        )) => {
            assert_eq!(e.http_status(), 400);
            assert_eq!(
                e.message(),
                "The parameter api_server_custom_cert_sans.action must be one of append, overwrite."
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn describe_cluster_detail_gets_the_path_and_decodes_the_example() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::cs::v20151215::DescribeClusterDetail>(move |req| {
            keep.lock().unwrap().push(req);
            Reply::Example
        })
        .start()
        .await
        .unwrap();
    let sent = DescribeClusterDetailRequest::builder()
        .cluster_id(ODD_ID)
        .build()
        .unwrap();
    let resp = client(&stub.endpoint()).call(sent.clone()).await.unwrap();
    let got = stub.received();
    assert_eq!(got[0].method, "GET");
    assert_eq!(got[0].path, format!("/clusters/{ODD_ID_ENCODED}"));
    assert!(got[0].body.is_empty());
    assert_eq!(*seen.lock().unwrap(), [sent]);

    assert_eq!(
        resp.cluster_id.as_deref(),
        Some("c82e6987e2961451182edacd74faf****")
    );
    assert_eq!(resp.cluster_type.as_deref(), Some("ManagedKubernetes"));
    assert_eq!(resp.deletion_protection, Some(true));
    assert_eq!(resp.size, Some(5));
    let created = resp.created.as_ref().unwrap();
    assert_eq!(created.as_str(), "2019-11-25T15:50:20+08:00");
    assert_eq!(created.unix_seconds(), Some(1_574_668_220));
    assert_eq!(resp.tags.len(), 1);
    assert_eq!(resp.tags[0].key.as_deref(), Some("env"));
    assert_eq!(resp.tags[0].value.as_deref(), Some("prod"));
    let w = resp.maintenance_window.as_ref().unwrap();
    assert_eq!(
        *w,
        MaintenanceWindow::default()
            .enable(false)
            .maintenance_time("2020-10-15T12:31:00.000+08:00")
            .duration("3h")
            .weekly_period("Monday,Thursday")
    );
    assert_eq!(
        resp.parameters,
        BTreeMap::from([("Eip".to_owned(), "True".to_owned())])
    );
}

#[tokio::test]
async fn a_documented_error_arrives_as_its_variant_with_code_message_and_request_id() {
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::cs::v20151215::DescribeClusterDetail>(|req| Reply::Error {
            code: "ErrorClusterNotFound".into(),
            message: format!("The specified cluster {} does not exist.", req.cluster_id),
            http_status: 404,
        })
        .start()
        .await
        .unwrap();
    let result = client(&stub.endpoint())
        .call(
            DescribeClusterDetailRequest::builder()
                .cluster_id("c-gone")
                .build()
                .unwrap(),
        )
        .await;
    match result {
        Err(SdkError::Service(e @ DescribeClusterDetailError::ErrorClusterNotFound(_))) => {
            assert_eq!(e.code(), "ErrorClusterNotFound");
            assert_eq!(e.message(), "The specified cluster c-gone does not exist.");
            assert_eq!(e.http_status(), 404);
            assert!(e.request_id().is_some_and(|id| id.starts_with("stub-")));
            assert!(!e.is_retryable());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn every_example_decodes_and_round_trips_through_the_stub() {
    let detail = DescribeClusterDetailResponse::from_json(
        describe_cluster_detail::EXAMPLE_RESPONSE_JSON.as_bytes(),
    )
    .unwrap();
    let modify =
        ModifyClusterResponse::from_json(modify_cluster::EXAMPLE_RESPONSE_JSON.as_bytes()).unwrap();
    assert_eq!(
        modify.request_id.as_deref(),
        Some("687C5BAA-D103-4993-884B-C35E4314A1E1")
    );
    let detail_req = || {
        DescribeClusterDetailRequest::builder()
            .cluster_id("c-1")
            .build()
            .unwrap()
    };

    // Default replies: the examples verbatim.
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint());
    assert_eq!(c.call(detail_req()).await.unwrap(), detail);
    assert_eq!(c.call(modify_request()).await.unwrap(), modify);

    // The models, serialized back by the stub, decode to themselves.
    let (d, m) = (detail.clone(), modify.clone());
    let stub = StubServer::builder(creds())
        .on::<cloudapi::aliyun::cs::v20151215::DescribeClusterDetail>(move |_| Reply::Ok(d.clone()))
        .on::<cloudapi::aliyun::cs::v20151215::ModifyCluster>(move |_| Reply::Ok(m.clone()))
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint());
    assert_eq!(c.call(detail_req()).await.unwrap(), detail);
    assert_eq!(c.call(modify_request()).await.unwrap(), modify);

    // And they serialize to the documents' JSON.
    for (model, text) in [
        (
            serde_json::to_value(&detail).unwrap(),
            describe_cluster_detail::EXAMPLE_RESPONSE_JSON,
        ),
        (
            serde_json::to_value(&modify).unwrap(),
            modify_cluster::EXAMPLE_RESPONSE_JSON,
        ),
    ] {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(model, doc);
    }
}

/// A transport that sends through reqwest and keeps every answer as it came off the wire.
#[derive(Debug)]
struct Tap {
    inner: cloudapi::runtime::http::ReqwestTransport,
    answers: Mutex<Vec<cloudapi::runtime::http::HttpResponse>>,
}

impl cloudapi::runtime::http::HttpTransport for Tap {
    fn send(
        &self,
        request: cloudapi::runtime::http::HttpRequest,
    ) -> cloudapi::runtime::http::BoxFuture<
        '_,
        Result<cloudapi::runtime::http::HttpResponse, cloudapi::runtime::http::TransportError>,
    > {
        Box::pin(async move {
            let resp = self.inner.send(request).await?;
            self.answers.lock().unwrap().push(resp.clone());
            Ok(resp)
        })
    }
}

/// A client whose answers are kept as they came off the wire.
fn tapped(endpoint: &str) -> (Client, Arc<Tap>) {
    let tap = Arc::new(Tap {
        inner: cloudapi::runtime::http::ReqwestTransport::from_client(reqwest::Client::new()),
        answers: Mutex::new(Vec::new()),
    });
    let client = Client::new(
        Config::builder(creds())
            .endpoint(endpoint)
            .retry(RetryPolicy::none())
            .transport(tap.clone())
            .build(),
    )
    .unwrap();
    (client, tap)
}

/// Answers that are not a JSON object (`response.body` in the spec): a JSON array
/// (DescribeUserClusterNamespaces, `value` of `list<string>`), any JSON value
/// (DescribePolicies, `value` of `json`) and text (DescribeClusterAttachScripts, `text`),
/// each held whole in the response's one field, from a handler's reply and from the stub's
/// default (the synthesized sample), sent by the stub as they are.
#[tokio::test]
async fn answers_that_are_a_json_array_any_json_or_text_decode_into_their_field() {
    use cloudapi::aliyun::cs::v20151215::{
        describe_cluster_attach_scripts, describe_policies, describe_user_cluster_namespaces,
        DescribeClusterAttachScripts, DescribeClusterAttachScriptsResponse, DescribePolicies,
        DescribePoliciesResponse, DescribeUserClusterNamespaces,
        DescribeUserClusterNamespacesResponse,
    };
    let script = "curl -fsSL https://example.com/attach.sh | bash -s -- --token \"a b\"\n";
    let stub = StubServer::builder(creds())
        .on::<DescribeUserClusterNamespaces>(|req| {
            let mut r = DescribeUserClusterNamespacesResponse::default();
            r.body = vec!["default".into(), format!("ns-of-{}", req.cluster_id)];
            Reply::Ok(r)
        })
        .on::<DescribePolicies>(|_| {
            let mut r = DescribePoliciesResponse::default();
            r.body = Some(json!([{"name": "ACKAllowedRepos", "category": "k8s-general"}, 2]));
            Reply::Ok(r)
        })
        .on::<DescribeClusterAttachScripts>(move |req| {
            assert_eq!(req.arch.as_deref(), Some("arm64"));
            let mut r = DescribeClusterAttachScriptsResponse::default();
            r.body = script.to_owned();
            Reply::Ok(r)
        })
        .start()
        .await
        .unwrap();
    let (c, tap) = tapped(&stub.endpoint());

    let ns = c
        .describe_user_cluster_namespaces()
        .cluster_id("c-1")
        .send()
        .await
        .unwrap();
    assert_eq!(ns.body, ["default", "ns-of-c-1"]);
    let policies = c.describe_policies().send().await.unwrap();
    assert_eq!(
        policies.body,
        Some(json!([{"name": "ACKAllowedRepos", "category": "k8s-general"}, 2]))
    );
    let attach = c
        .describe_cluster_attach_scripts()
        .cluster_id("c-1")
        .arch("arm64")
        .send()
        .await
        .unwrap();
    assert_eq!(attach.body, script);

    // On the wire: the array and the value as they are (no `requestId` member added), the
    // text as text; the request id in the header.
    let answers = tap.answers.lock().unwrap().clone();
    let wire: Vec<(Option<&str>, &[u8])> = answers
        .iter()
        .map(|a| (a.header("content-type"), a.body.as_slice()))
        .collect();
    assert_eq!(
        wire,
        [
            (
                Some("application/json"),
                br#"["default","ns-of-c-1"]"#.as_slice()
            ),
            (
                Some("application/json"),
                br#"[{"category":"k8s-general","name":"ACKAllowedRepos"},2]"#.as_slice()
            ),
            (Some("text/plain; charset=utf-8"), script.as_bytes()),
        ]
    );
    assert!(answers.iter().all(|a| a
        .header("x-acs-request-id")
        .is_some_and(|id| id.starts_with("stub-"))));

    // The stub's default answers: the synthesized samples, decoded as the client does.
    let stub = StubServer::builder(creds()).start().await.unwrap();
    let c = client(&stub.endpoint());
    let ns = c
        .describe_user_cluster_namespaces()
        .cluster_id("c-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        ns,
        DescribeUserClusterNamespacesResponse::from_json(
            describe_user_cluster_namespaces::SYNTHESIZED_RESPONSE_JSON.as_bytes()
        )
        .unwrap()
    );
    assert_eq!(ns.body, ["example"]);
    let policies = c.describe_policies().send().await.unwrap();
    assert_eq!(
        policies.body.as_ref(),
        Some(
            &serde_json::from_str::<serde_json::Value>(
                describe_policies::SYNTHESIZED_RESPONSE_JSON
            )
            .unwrap()
        )
    );
    let attach = c
        .describe_cluster_attach_scripts()
        .cluster_id("c-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        attach.body,
        describe_cluster_attach_scripts::SYNTHESIZED_RESPONSE_BODY
    );
    assert_eq!(
        DescribeClusterAttachScriptsResponse::from_body(b"any text")
            .unwrap()
            .body,
        "any text"
    );
}

/// A text answer that is not UTF-8, and an array whose element has the wrong type, are
/// decode errors naming the place, not panics.
#[tokio::test]
async fn a_whole_answer_that_does_not_fit_is_a_decode_error() {
    use cloudapi::aliyun::cs::v20151215::{
        DescribeClusterAttachScripts, DescribeUserClusterNamespaces,
    };
    let stub = StubServer::builder(creds())
        .on::<DescribeClusterAttachScripts>(|_| Reply::Raw {
            status: 200,
            content_type: "text/plain".into(),
            body: vec![b'o', b'k', 0xff],
        })
        .on::<DescribeUserClusterNamespaces>(|_| Reply::Raw {
            status: 200,
            content_type: "application/json".into(),
            body: br#"["a", {"b": 1}]"#.to_vec(),
        })
        .start()
        .await
        .unwrap();
    let c = client(&stub.endpoint());
    match c
        .describe_cluster_attach_scripts()
        .cluster_id("c-1")
        .send()
        .await
    {
        Err(SdkError::Response(e)) => {
            assert!(e.decode.message().contains("not UTF-8"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match c
        .describe_user_cluster_namespaces()
        .cluster_id("c-1")
        .send()
        .await
    {
        Err(SdkError::Response(e)) => assert_eq!(e.decode.path(), "[1]", "{e}"),
        other => panic!("{other:?}"),
    }
}
