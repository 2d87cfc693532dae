//! Idempotency tokens: a repeated `ClientToken` (any case) on the same action, signed with
//! the same access key id, within the window, gets the first answer again without its
//! handler running. The stub keys on the parameter's name for now.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cloudapi::aliyun::ecs::v20140526 as ecs;
use cloudapi::runtime::client::Client as RawClient;
use cloudapi::runtime::http::{HttpTransport, ReqwestTransport};
use cloudapi::runtime::protocol::Payload;
use cloudapi::runtime::server::{Reply, RunningStub};
use cloudapi::runtime::Config;
use serde_json::Value;

use super::{creds, ALIYUN};

const OTHER: (&str, &str) = ("LTAIother", "other-secret");

/// `InvokeCommand` with `extra` query parameters, signed by `id`: the answer's body.
async fn invoke(stub: &RunningStub, id: (&str, &str), extra: &[(&str, &str)]) -> Value {
    let request = ecs::InvokeCommandRequest::builder()
        .region_id("cn-hangzhou")
        .command_id("c-1")
        .instance_id(["i-1"])
        .build()
        .unwrap();
    let Payload::Query(mut query) = cloudapi::runtime::client::action::payload(&request) else {
        panic!("RPC sends a query")
    };
    for (k, v) in extra {
        query.0.push(((*k).to_owned(), (*v).to_owned()));
    }
    let config = Config::builder(creds(id)).endpoint(stub.endpoint()).build();
    let client = RawClient::new(config, ecs::client::SERVICE_INFO).unwrap();
    let signed = client
        .sign(
            &<ecs::InvokeCommand as cloudapi::runtime::Action>::OPERATION,
            &Payload::Query(query),
            cloudapi::runtime::codec::time::now(),
        )
        .unwrap();
    let t = ReqwestTransport::new(Duration::from_secs(10)).unwrap();
    let resp = t.send(signed).await.unwrap();
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    serde_json::from_slice(&resp.body).unwrap()
}

async fn stub(window: Duration) -> (RunningStub, Arc<AtomicU64>) {
    let calls = Arc::new(AtomicU64::new(0));
    let counted = calls.clone();
    let stub = ecs::stub::StubServer::builder(creds(ALIYUN))
        .on::<cloudapi::aliyun::ecs::v20140526::InvokeCommand>(move |_| {
            let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
            let mut r = ecs::InvokeCommandResponse::default();
            r.invoke_id = Some(format!("t-{n}"));
            Reply::Ok(r)
        })
        .into_builder()
        .credentials(creds(OTHER))
        .idempotency(100, window)
        .start()
        .await
        .unwrap();
    (stub, calls)
}

#[tokio::test]
async fn a_repeated_client_token_replays_the_first_answer() {
    let (stub, calls) = stub(Duration::from_secs(600)).await;
    let first = invoke(&stub, ALIYUN, &[("ClientToken", "tok-1")]).await;
    assert_eq!(first["InvokeId"], "t-1", "{first}");
    // The same token, also spelt `clientToken`: the first answer, request id included.
    for name in ["ClientToken", "clientToken"] {
        let again = invoke(&stub, ALIYUN, &[(name, "tok-1")]).await;
        assert_eq!(again, first);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // Another token, no token, or another access key: the handler runs.
    let other = invoke(&stub, ALIYUN, &[("ClientToken", "tok-2")]).await;
    assert_eq!(other["InvokeId"], "t-2");
    assert_eq!(invoke(&stub, ALIYUN, &[]).await["InvokeId"], "t-3");
    assert_eq!(invoke(&stub, ALIYUN, &[]).await["InvokeId"], "t-4");
    let by_other = invoke(&stub, OTHER, &[("ClientToken", "tok-1")]).await;
    assert_eq!(by_other["InvokeId"], "t-5");
    assert_eq!(calls.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn a_client_token_is_forgotten_after_the_window() {
    let (stub, calls) = stub(Duration::from_millis(200)).await;
    invoke(&stub, ALIYUN, &[("ClientToken", "tok")]).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let later = invoke(&stub, ALIYUN, &[("ClientToken", "tok")]).await;
    assert_eq!(later["InvokeId"], "t-2");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}
