//! Retries that never repeat a change, measured on VPC 2016-04-28 against the stub over
//! real HTTP: `CreateVpc` carries a `ClientToken`, filled once per call and identical on
//! every attempt; a handler that deduplicates by token, as the provider does, creates one
//! VPC per call whatever the fault. `ModifyVpcAttribute` has no token: once its request
//! may have reached the server it is not retried, unless the caller opts in.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cloudapi::aliyun::vpc::v20160428::stub::StubServer;
use cloudapi::aliyun::vpc::v20160428::{
    Client, CreateVpcRequest, CreateVpcResponse, ModifyVpcAttributeRequest,
    ModifyVpcAttributeResponse,
};
use cloudapi::runtime::protocol::Incoming;
use cloudapi::runtime::server::{Fault, Reply, RunningStub};
use cloudapi::runtime::{CallOptions, Config, Credentials, RetryPolicy, SdkError};

fn creds() -> Credentials {
    Credentials::new("vpc-retries-id", "vpc-retries-secret")
}

/// The faults of the measurement, each one after the request reached the handler or the
/// server: connection reset mid-body, truncated body, HTTP 500 `InternalError`, and an
/// answer later than the client's timeout.
fn may_have_run() -> Vec<(&'static str, Fault)> {
    vec![
        ("reset mid-body", Fault::ResetMidBody),
        ("truncated body", Fault::TruncateBody),
        (
            "HTTP 500 InternalError",
            Fault::Error {
                code: "InternalError".into(),
                message: "The request processing has failed due to some unknown error.".into(),
                http_status: 500,
            },
        ),
        (
            "latency past the timeout",
            Fault::Latency(Duration::from_millis(900)),
        ),
    ]
}

/// A VPC "provider": creates one VPC per `ClientToken` and answers a repeated token with
/// the VPC it created first, as Alibaba Cloud does. Counts handler runs per token.
#[derive(Default)]
struct Provider {
    /// token → (the VPC created, how many times the handler ran with the token).
    by_token: Mutex<HashMap<String, (String, usize)>>,
    /// Requests without a token (none expected).
    untokened: AtomicUsize,
    created: AtomicUsize,
}

impl Provider {
    fn create(&self, req: CreateVpcRequest) -> CreateVpcResponse {
        let Some(token) = req.client_token else {
            self.untokened.fetch_add(1, Ordering::SeqCst);
            let n = self.created.fetch_add(1, Ordering::SeqCst) + 1;
            return vpc(format!("vpc-untokened-{n}"));
        };
        let mut map = self.by_token.lock().unwrap();
        let entry = map.entry(token).or_insert_with(|| {
            let n = self.created.fetch_add(1, Ordering::SeqCst) + 1;
            (format!("vpc-{n}"), 0)
        });
        entry.1 += 1;
        vpc(entry.0.clone())
    }
}

fn vpc(id: String) -> CreateVpcResponse {
    let mut r = CreateVpcResponse::default();
    r.vpc_id = Some(id);
    r.request_id = Some("req".into());
    r
}

/// A stub whose `fault` hits the first `faulty` requests (every request with `None`).
async fn stub(
    provider: Arc<Provider>,
    fault: Fault,
    faulty: Option<usize>,
    modified: Arc<AtomicUsize>,
) -> RunningStub {
    let seen = AtomicUsize::new(0);
    StubServer::builder(creds())
        .on::<cloudapi::aliyun::vpc::v20160428::CreateVpc>(move |req| {
            Reply::Ok(provider.create(req))
        })
        .on::<cloudapi::aliyun::vpc::v20160428::ModifyVpcAttribute>(move |_| {
            modified.fetch_add(1, Ordering::SeqCst);
            Reply::Ok(ModifyVpcAttributeResponse::default())
        })
        .into_builder()
        .fault_fn(move |_: &Incoming| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            faulty.is_none_or(|f| n < f).then(|| fault.clone())
        })
        .start()
        .await
        .unwrap()
}

/// The default retry policy (3 attempts), with a request timeout short enough for the
/// latency fault and long enough that nothing else times out on two busy cores.
fn client(stub: &RunningStub) -> Client {
    Client::new(
        Config::builder(creds())
            .endpoint(stub.endpoint())
            .request_timeout(Duration::from_millis(500))
            .build(),
    )
    .unwrap()
}

fn create() -> CreateVpcRequest {
    CreateVpcRequest::builder()
        .region_id("cn-hangzhou")
        .vpc_name("retried")
        .build()
        .unwrap()
}

fn modify() -> ModifyVpcAttributeRequest {
    ModifyVpcAttributeRequest::builder()
        .vpc_id("vpc-1")
        .vpc_name("renamed")
        .build()
        .unwrap()
}

fn tokens(stub: &RunningStub, action: &str) -> Vec<Option<String>> {
    stub.received()
        .iter()
        .filter(|r| r.action == action)
        .map(|r| r.params.get("ClientToken").map(str::to_owned))
        .collect()
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
}

#[test]
fn the_operations_say_what_is_safe_to_repeat() {
    let safe = |op: cloudapi::runtime::Operation| (op.idempotent, op.idempotency_token);
    use cloudapi::runtime::Action;
    assert_eq!(
        safe(cloudapi::aliyun::vpc::v20160428::CreateVpc::OPERATION),
        (true, Some("ClientToken"))
    );
    assert_eq!(
        safe(cloudapi::aliyun::vpc::v20160428::ModifyVpcAttribute::OPERATION),
        (false, None)
    );
    assert_eq!(
        safe(cloudapi::aliyun::vpc::v20160428::DescribeVpcs::OPERATION),
        (true, None)
    );
}

/// The measurement: a fault on every request. The call reaches the server three
/// times (the default policy), every time with the same generated token, so a provider
/// that deduplicates by token runs the change at most once.
#[tokio::test]
async fn create_vpc_under_a_fault_on_every_request_sends_one_token() {
    for (name, fault) in may_have_run() {
        let provider = Arc::new(Provider::default());
        let stub = stub(provider.clone(), fault, None, Default::default()).await;
        let e = client(&stub).call(create()).await.unwrap_err();
        let sent = tokens(&stub, "CreateVpc");
        assert_eq!(sent.len(), 3, "{name}: three attempts ({e})");
        let first = sent[0]
            .clone()
            .unwrap_or_else(|| panic!("{name}: no ClientToken"));
        assert!(is_uuid_v4(&first), "{name}: {first}");
        assert!(
            sent.iter().all(|t| t.as_deref() == Some(&first)),
            "{name}: {sent:?}"
        );
        let map = provider.by_token.lock().unwrap();
        assert!(
            map.len() <= 1,
            "{name}: one token at most reached the handler"
        );
        assert!(
            provider.created.load(Ordering::SeqCst) <= 1,
            "{name}: created once at most"
        );
        assert_eq!(provider.untokened.load(Ordering::SeqCst), 0);
    }
}

/// The fault hits the first two attempts, the third gets through: one VPC, the one the
/// first attempt that reached the handler created, and the call succeeds with it.
#[tokio::test]
async fn create_vpc_retried_through_faults_creates_one_vpc() {
    for (name, fault) in may_have_run() {
        let provider = Arc::new(Provider::default());
        let stub = stub(provider.clone(), fault, Some(2), Default::default()).await;
        let c = client(&stub);
        let resp = c
            .call(create())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // A handler still sleeping out the latency fault may run after the answer.
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let sent = tokens(&stub, "CreateVpc");
        assert_eq!(sent.len(), 3, "{name}");
        assert!(sent.iter().all(|t| t == &sent[0]), "{name}: {sent:?}");
        assert_eq!(
            provider.created.load(Ordering::SeqCst),
            1,
            "{name}: one VPC"
        );
        assert_eq!(resp.vpc_id.as_deref(), Some("vpc-1"), "{name}");
        let map = provider.by_token.lock().unwrap();
        let runs = map.values().map(|(_, runs)| *runs).sum::<usize>();
        // The stub replays a repeated token's first answer as the provider does, so the
        // handler ran once whatever cut the answers off; a late answer's handler may run
        // again while the first is still sleeping (nothing is cached before it answers).
        let want = match name {
            "latency past the timeout" => 1..=3,
            _ => 1..=1,
        };
        assert!(
            want.contains(&runs),
            "{name}: {runs} handler runs, deduplicated by the token"
        );
    }
}

/// A value the caller sets is sent as is, on every attempt.
#[tokio::test]
async fn a_token_the_caller_sets_is_sent_as_is() {
    let provider = Arc::new(Provider::default());
    let stub = stub(provider, Fault::ResetMidBody, Some(1), Default::default()).await;
    let mut req = create();
    req.client_token = Some("my-own-token-1".into());
    client(&stub).call(req).await.unwrap();
    assert_eq!(
        tokens(&stub, "CreateVpc"),
        vec![Some("my-own-token-1".to_owned()); 2]
    );
    // Two calls, two fresh tokens.
    client(&stub).call(create()).await.unwrap();
    client(&stub).call(create()).await.unwrap();
    let sent = tokens(&stub, "CreateVpc");
    assert_eq!(sent.len(), 4);
    assert_ne!(sent[2], sent[3]);
}

/// Without a token, a state-changing action is sent once under each fault after which it
/// may have run; throttling (refused unexecuted) is still retried; the caller may opt in
/// per call or per client.
#[tokio::test]
async fn a_change_without_a_token_is_not_retried_once_it_may_have_run() {
    for (name, fault) in may_have_run() {
        let modified = Arc::new(AtomicUsize::new(0));
        let stub = stub(Default::default(), fault, None, modified.clone()).await;
        let c = client(&stub);
        let e = c.call(modify()).await.unwrap_err();
        assert_eq!(stub.received().len(), 1, "{name}: no retry ({e})");
        // Opted in per call: the default policy's three attempts.
        let opted = c.with_options(CallOptions::new().retry_unsafe(true));
        opted.call(modify()).await.unwrap_err();
        assert_eq!(stub.received().len(), 4, "{name}: opted in per call");
        // Per client.
        let retrying = Client::new(
            Config::builder(creds())
                .endpoint(stub.endpoint())
                .request_timeout(Duration::from_millis(500))
                .retry(RetryPolicy::default().with_retry_unsafe(true))
                .build(),
        )
        .unwrap();
        retrying.call(modify()).await.unwrap_err();
        assert_eq!(stub.received().len(), 7, "{name}: opted in per client");
        if let SdkError::Service(s) = &e {
            assert_eq!(s.code(), "InternalError");
        }
        // The late answers' handlers run, and are counted, after the client gave up.
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let ran = modified.load(Ordering::SeqCst);
        assert!(ran <= 7, "{name}: {ran}");
    }
    for (name, fault) in [
        ("throttled", Fault::Throttle),
        (
            "throttled, x-acs-retry-after",
            Fault::ThrottleRetryAfter(Duration::from_millis(50)),
        ),
    ] {
        let modified = Arc::new(AtomicUsize::new(0));
        let stub = stub(Default::default(), fault, Some(2), modified.clone()).await;
        client(&stub)
            .call(modify())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            stub.received().len(),
            3,
            "{name}: retried, refused unexecuted"
        );
        assert_eq!(modified.load(Ordering::SeqCst), 1, "{name}: ran once");
    }
}

/// `x-acs-retry-after` (milliseconds) sets the wait before the retry, bounded by the
/// policy's largest backoff.
#[tokio::test]
async fn x_acs_retry_after_sets_the_wait() {
    for (after, max, least, most) in [(400, 2_000, 400, 1_500), (5_000, 300, 300, 1_200)] {
        let stub = stub(
            Default::default(),
            Fault::ThrottleRetryAfter(Duration::from_millis(after)),
            Some(1),
            Default::default(),
        )
        .await;
        let c = Client::new(
            Config::builder(creds())
                .endpoint(stub.endpoint())
                .retry(
                    RetryPolicy::default()
                        .with_backoff(Duration::from_millis(1), Duration::from_millis(max)),
                )
                .build(),
        )
        .unwrap();
        let started = std::time::Instant::now();
        c.call(modify()).await.unwrap();
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(least) && took < Duration::from_millis(most),
            "retry-after {after} ms, max {max} ms: {took:?}"
        );
    }
}
