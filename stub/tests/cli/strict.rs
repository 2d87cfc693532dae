//! The stub as strict as each provider, never stricter: an unknown action gets its own
//! provider's answer in its own envelope, whatever else shares the port; an unknown
//! parameter is refused by Tencent Cloud (`UnknownParameter`) and ignored by Alibaba
//! Cloud's gateways; an object for a list is `InvalidParameter` everywhere.

use cloudapi::aliyun::ccc::v20200701 as ccc;
use cloudapi::aliyun::cs::v20151215 as cs;
use cloudapi::runtime::client::Client as RawClient;
use cloudapi::runtime::http::{HttpTransport, ReqwestTransport};
use cloudapi::runtime::protocol::Payload;
use cloudapi::runtime::server::{RunningStub, StubBuilder};
use cloudapi::runtime::Config;
use cloudapi::runtime::{Operation, Service};
use cloudapi::tencentcloud::cvm::v20170312 as cvm;
use serde_json::{json, Value};

use super::{creds, ALIYUN, TENCENT};

async fn stub() -> RunningStub {
    StubBuilder::default()
        .credentials(creds(TENCENT))
        .credentials(creds(ALIYUN))
        .services(cloudapi::stub_services())
        .start()
        .await
        .unwrap()
}

/// Signs `payload` as `operation` of `service` now, for the stub's IP endpoint, and sends
/// it: the status and the JSON body.
async fn call(
    stub: &RunningStub,
    id: (&str, &str),
    service: Service,
    operation: &Operation,
    payload: &Payload,
) -> (u16, Value) {
    let config = Config::builder(creds(id)).endpoint(stub.endpoint()).build();
    let client = RawClient::new(config, service).unwrap();
    let request = client
        .sign(operation, payload, cloudapi::runtime::codec::time::now())
        .unwrap();
    let t = ReqwestTransport::new(std::time::Duration::from_secs(10)).unwrap();
    let resp = t.send(request).await.unwrap();
    let body = serde_json::from_slice(&resp.body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&resp.body)));
    (resp.status, body)
}

async fn tencent(stub: &RunningStub, action: &'static str, body: Value) -> (u16, Value) {
    let op = Operation {
        action,
        requests_per_second: None,
        // Never repeated: each test sends one request and reads its one answer.
        idempotent: false,
        idempotency_token: None,
    };
    let payload = Payload::Json(serde_json::to_vec(&body).unwrap());
    call(stub, TENCENT, cvm::client::SERVICE_INFO, &op, &payload).await
}

fn tencent_error(body: &Value) -> (&str, &str) {
    let e = &body["Response"]["Error"];
    (
        e["Code"].as_str().unwrap_or(""),
        e["Message"].as_str().unwrap_or(""),
    )
}

#[tokio::test]
async fn an_unknown_action_gets_its_own_providers_answer() {
    let stub = stub().await;
    // Tencent Cloud: HTTP 200, `{"Response":{"Error":…,"RequestId"}}`, never another
    // product's envelope (Simple Log Service serves `POST /` too).
    let (status, body) = tencent(&stub, "DescribeNothing", json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(tencent_error(&body).0, "InvalidAction", "{body}");
    assert!(body["Response"]["RequestId"].is_string(), "{body}");

    // Alibaba Cloud RPC: the gateway's 404.
    let op = Operation {
        action: "DescribeNothing",
        requests_per_second: None,
        idempotent: false,
        idempotency_token: None,
    };
    let payload = Payload::Query(cloudapi::runtime::protocol::layout::Query::new(
        "DescribeNothing",
        ccc::client::SERVICE_INFO.version,
    ));
    let (status, body) = call(&stub, ALIYUN, ccc::client::SERVICE_INFO, &op, &payload).await;
    assert_eq!(
        (status, &body["Code"], &body["Message"]),
        (
            404,
            &json!("InvalidAction.NotFound"),
            &json!("Specified api is not found, please check your url and method.")
        ),
        "{body}"
    );

    // ROA: the same code, in ROA's envelope (`code`, `message`, `requestId`).
    let detail = cs::DescribeClusterDetailRequest::builder()
        .cluster_id("c1")
        .build()
        .unwrap();
    let op = Operation {
        action: "DescribeNothing",
        requests_per_second: None,
        idempotent: false,
        idempotency_token: None,
    };
    let (status, body) = call(
        &stub,
        ALIYUN,
        cs::client::SERVICE_INFO,
        &op,
        &cloudapi::runtime::client::action::payload(&detail),
    )
    .await;
    assert_eq!(
        (status, &body["code"]),
        (404, &json!("InvalidAction.NotFound")),
        "{body}"
    );
    assert!(body["requestId"].is_string(), "{body}");
}

#[tokio::test]
async fn tencent_refuses_unknown_parameters_at_any_depth() {
    let stub = stub().await;
    let filter = json!({"Name": "zone", "Values": ["ap-guangzhou-1"]});
    let (_, body) = tencent(&stub, "DescribeInstances", json!({"Filters": [filter]})).await;
    assert!(body["Response"]["Error"].is_null(), "{body}");

    for (request, name) in [
        (json!({"Bogus": 1}), "Bogus"),
        (json!({"Filter": [filter]}), "Filter"),
        (
            json!({"Filters": [{"Name": "zone", "Values": ["a"], "Valeus": ["b"]}]}),
            "Filters.0.Valeus",
        ),
    ] {
        let (status, body) = tencent(&stub, "DescribeInstances", request.clone()).await;
        let (code, message) = tencent_error(&body);
        assert_eq!(
            (status, code),
            (200, "UnknownParameter"),
            "{request}: {body}"
        );
        assert!(message.contains(&format!("`{name}`")), "{request}: {body}");
    }
    // A list sent as one object, a structure sent as a string.
    for request in [
        json!({"Filters": filter}),
        json!({"Filters": ["zone"]}),
        json!({"InstanceIds": {"a": "b"}}),
    ] {
        let (_, body) = tencent(&stub, "DescribeInstances", request.clone()).await;
        assert_eq!(
            tencent_error(&body).0,
            "InvalidParameter",
            "{request}: {body}"
        );
    }
}

#[tokio::test]
async fn alibaba_ignores_unknown_parameters_as_its_gateways_do() {
    let stub = stub().await;
    // RPC: `Bogus` and a misspelt member of a list are ignored.
    let list = ccc::ListInstancesOfUserRequest::builder()
        .page_number(1)
        .page_size(10)
        .build()
        .unwrap();
    let Payload::Query(mut query) = cloudapi::runtime::client::action::payload(&list) else {
        panic!("RPC sends a query")
    };
    query.0.push(("Bogus".into(), "1".into()));
    query.0.push(("Tag.1.Kye".into(), "x".into()));
    let (status, body) = call(
        &stub,
        ALIYUN,
        ccc::client::SERVICE_INFO,
        &<ccc::ListInstancesOfUser as cloudapi::runtime::Action>::OPERATION,
        &Payload::Query(query),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // ROA: an unknown query parameter.
    let detail = cs::DescribeClusterDetailRequest::builder()
        .cluster_id("c1")
        .build()
        .unwrap();
    let Payload::Rest(mut rest) = cloudapi::runtime::client::action::payload(&detail) else {
        panic!("ROA sends a RESTful request")
    };
    rest.query.0.push(("bogus".into(), "1".into()));
    let (status, body) = call(
        &stub,
        ALIYUN,
        cs::client::SERVICE_INFO,
        &<cs::DescribeClusterDetail as cloudapi::runtime::Action>::OPERATION,
        &Payload::Rest(rest),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}
