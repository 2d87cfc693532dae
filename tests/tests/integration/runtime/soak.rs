//! A chaos soak of the retry rule: thousands of concurrent calls, state-changing and
//! read-only, of Alibaba Cloud VPC 2016-04-28 and Tencent Cloud CVM 2017-03-12, against
//! the stubs over real HTTP, with faults drawn from a fixed seed for each attempt of each
//! call: connection reset mid-body, truncated body, HTTP 500 `InternalError`, throttling
//! with and without `x-acs-retry-after`, an answer later than the client's timeout.
//!
//! Each call carries its number (VPC: `VpcName`; CVM: `Offset`), so the stubs' fault hook
//! knows the call and the attempt, and draws the same fault for them whatever the
//! scheduling. Checked: every call ends, within its deadline, in success or a typed
//! error; every attempt of a `CreateVpc` call carries the call's one token (a fresh UUID
//! per call), so the provider, which deduplicates by token, creates one VPC per call
//! however often its handler runs; a faulted attempt is retried exactly when the rule
//! allows (throttling for every action; cut bodies, 5xx and timeouts only for actions
//! safe to repeat), so `ModifyVpcAttribute`, which has no token, is never sent again once
//! it may have run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cloudapi::aliyun::vpc::v20160428 as vpc;
use cloudapi::runtime::protocol::Incoming;
use cloudapi::runtime::server::{Fault, Reply, RunningStub};
use cloudapi::runtime::{Config, Credentials, RetryPolicy, SdkError, ServiceError};
use cloudapi::tencentcloud::cvm::v20170312 as cvm;
use futures_util::StreamExt;

const SEED: u64 = 0x2026_1206_0021_5eed;
const CALLS: u64 = 2400;
const CONCURRENCY: usize = 48;
const MAX_ATTEMPTS: usize = 3;
/// Generous for a debug build on two busy cores: an answer that is not made late must
/// never time out, or the checks below would see a retry the faults do not explain.
const TIMEOUT: Duration = Duration::from_millis(1000);
const LATE: Duration = Duration::from_millis(1300);
const RETRY_AFTER: Duration = Duration::from_millis(30);
/// What no call may take, however the faults fall: three timeouts and two backoffs come
/// to about three seconds; the rest is slack for two busy cores.
const DEADLINE: Duration = Duration::from_secs(15);

/// splitmix64 of `x`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn draw(call: u64, salt: u64) -> u64 {
    mix(SEED ^ mix(call.wrapping_mul(31).wrapping_add(salt)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Action {
    /// VPC `CreateVpc`: state-changing, with `ClientToken`.
    CreateVpc,
    /// VPC `ModifyVpcAttribute`: state-changing, no token.
    ModifyVpc,
    /// VPC `DescribeVpcs`: read-only.
    DescribeVpcs,
    /// CVM `DescribeInstances`: read-only (Tencent Cloud).
    DescribeInstances,
}

impl Action {
    fn of(call: u64) -> Action {
        match draw(call, 7) % 4 {
            0 => Action::CreateVpc,
            1 => Action::ModifyVpc,
            2 => Action::DescribeVpcs,
            _ => Action::DescribeInstances,
        }
    }
    fn safe(self) -> bool {
        self != Action::ModifyVpc
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Injected {
    None,
    ResetMidBody,
    TruncatedBody,
    InternalError500,
    Throttled,
    ThrottledRetryAfter,
    LateAnswer,
}

impl Injected {
    /// The fault of attempt `attempt` (0-based) of call `call`.
    fn of(call: u64, attempt: u64) -> Injected {
        match draw(call, 1000 + attempt) % 100 {
            0..=7 => Injected::ResetMidBody,
            8..=15 => Injected::TruncatedBody,
            16..=23 => Injected::InternalError500,
            24..=30 => Injected::Throttled,
            31..=37 => Injected::ThrottledRetryAfter,
            38..=43 => Injected::LateAnswer,
            _ => Injected::None,
        }
    }
    fn fault(self) -> Option<Fault> {
        Some(match self {
            Injected::None => return None,
            Injected::ResetMidBody => Fault::ResetMidBody,
            Injected::TruncatedBody => Fault::TruncateBody,
            Injected::InternalError500 => Fault::Error {
                code: "InternalError".into(),
                message: "An internal error occurred.".into(),
                http_status: 500,
            },
            Injected::Throttled => Fault::Throttle,
            Injected::ThrottledRetryAfter => Fault::ThrottleRetryAfter(RETRY_AFTER),
            Injected::LateAnswer => Fault::Latency(LATE),
        })
    }
    /// Whether the rule retries this failure for `action`. Tencent Cloud's
    /// `InternalError` is not a retryable code in its provider file, so it is final there.
    fn retried(self, action: Action) -> bool {
        match self {
            Injected::None => false,
            Injected::Throttled | Injected::ThrottledRetryAfter => true,
            Injected::ResetMidBody | Injected::TruncatedBody | Injected::LateAnswer => {
                action.safe()
            }
            Injected::InternalError500 => action.safe() && action != Action::DescribeInstances,
        }
    }
}

/// One attempt as the stub's hook saw it.
#[derive(Debug, Clone)]
struct Attempt {
    injected: Injected,
    token: Option<String>,
}

/// What the stubs saw and did.
#[derive(Default)]
struct Log {
    /// Per call, its attempts in order of arrival.
    attempts: Mutex<HashMap<u64, (Action, Vec<Attempt>)>>,
    /// `CreateVpc`, deduplicated by token as the provider does: token → (VPC, runs).
    vpcs: Mutex<HashMap<String, (String, usize)>>,
    /// `CreateVpc` runs without a token.
    untokened: Mutex<usize>,
    /// `ModifyVpcAttribute` runs per call.
    modified: Mutex<HashMap<u64, usize>>,
}

impl Log {
    /// The stubs' fault hook: which call and attempt this is, and its fault.
    fn hook(&self, req: &Incoming) -> Option<Fault> {
        let (action, call) = match req.action.as_str() {
            "CreateVpc" => (Action::CreateVpc, call_of(req.params.get("VpcName"))),
            "ModifyVpcAttribute" => (Action::ModifyVpc, call_of(req.params.get("VpcName"))),
            "DescribeVpcs" => (Action::DescribeVpcs, call_of(req.params.get("VpcName"))),
            "DescribeInstances" => {
                let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
                (Action::DescribeInstances, body["Offset"].as_u64().unwrap())
            }
            other => panic!("unexpected action {other}"),
        };
        let mut all = self.attempts.lock().unwrap();
        let (_, attempts) = all.entry(call).or_insert((action, Vec::new()));
        let injected = Injected::of(call, attempts.len() as u64);
        attempts.push(Attempt {
            injected,
            token: req.params.get("ClientToken").map(str::to_owned),
        });
        injected.fault()
    }

    fn create(&self, req: vpc::CreateVpcRequest) -> vpc::CreateVpcResponse {
        let mut resp = vpc::CreateVpcResponse::default();
        resp.request_id = Some("soak".into());
        let Some(token) = req.client_token else {
            *self.untokened.lock().unwrap() += 1;
            resp.vpc_id = Some("vpc-untokened".into());
            return resp;
        };
        let mut vpcs = self.vpcs.lock().unwrap();
        let n = vpcs.len();
        let entry = vpcs.entry(token).or_insert_with(|| (format!("vpc-{n}"), 0));
        entry.1 += 1;
        resp.vpc_id = Some(entry.0.clone());
        resp
    }
}

fn call_of(name: Option<&str>) -> u64 {
    name.and_then(|n| n.strip_prefix("soak-"))
        .and_then(|n| n.parse().ok())
        .expect("every soak request names its call")
}

/// How a call ended.
#[derive(Debug)]
struct Ended {
    call: u64,
    action: Action,
    took: Duration,
    /// `Ok(vpc id, for CreateVpc)` or the error's kind.
    result: Result<Option<String>, String>,
}

fn error_kind<E: ServiceError>(e: &SdkError<E>) -> String {
    match e {
        SdkError::Service(s) => format!("service {}", s.meta().code()),
        SdkError::Timeout(_) => "timeout".into(),
        SdkError::Dispatch(t) => format!("dispatch {:?}", t.kind),
        SdkError::Response(r) => format!("response {}", r.status),
        other => format!("other {other}"),
    }
}

fn config(stub: &RunningStub, creds: Credentials) -> Config {
    Config::builder(creds)
        .endpoint(stub.endpoint())
        .request_timeout(TIMEOUT)
        .retry(
            RetryPolicy::attempts(MAX_ATTEMPTS as u32)
                .with_backoff(Duration::from_millis(5), Duration::from_millis(40)),
        )
        .build()
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chaos_soak_never_repeats_a_change() {
    let started = Instant::now();
    let log = Arc::new(Log::default());
    let ali = Credentials::new("soak-ali", "soak-ali-secret");
    let tc = Credentials::new("AKIDsoak", "soak-tc-secret");

    let (l1, l2, l3) = (log.clone(), log.clone(), log.clone());
    let vpc_stub = vpc::stub::StubServer::builder(ali.clone())
        .on::<cloudapi::aliyun::vpc::v20160428::CreateVpc>(move |req| Reply::Ok(l1.create(req)))
        .on::<cloudapi::aliyun::vpc::v20160428::ModifyVpcAttribute>(move |req| {
            let call = call_of(req.vpc_name.as_deref());
            *l2.modified.lock().unwrap().entry(call).or_default() += 1;
            Reply::Ok(vpc::ModifyVpcAttributeResponse::default())
        })
        .into_builder()
        .fault_fn(move |req| l3.hook(req))
        .start()
        .await
        .unwrap();
    let l4 = log.clone();
    let cvm_stub = cvm::stub::StubServer::builder(tc.clone())
        .into_builder()
        .fault_fn(move |req| l4.hook(req))
        .start()
        .await
        .unwrap();
    let vpc_client = vpc::Client::new(config(&vpc_stub, ali)).unwrap();
    let cvm_client = cvm::Client::new(config(&cvm_stub, tc)).unwrap();

    let ended: Vec<Ended> = futures_util::stream::iter(0..CALLS)
        .map(|call| {
            let (vpc_client, cvm_client) = (vpc_client.clone(), cvm_client.clone());
            async move {
                let action = Action::of(call);
                let name = format!("soak-{call}");
                let begun = Instant::now();
                let work = async {
                    match action {
                        Action::CreateVpc => {
                            let req = vpc::CreateVpcRequest::builder()
                                .region_id("cn-hangzhou")
                                .vpc_name(&name)
                                .build()
                                .unwrap();
                            match vpc_client.call(req).await {
                                Ok(r) => Ok(r.vpc_id),
                                Err(e) => Err(error_kind(&e)),
                            }
                        }
                        Action::ModifyVpc => {
                            let req = vpc::ModifyVpcAttributeRequest::builder()
                                .vpc_id("vpc-soak")
                                .vpc_name(&name)
                                .build()
                                .unwrap();
                            match vpc_client.call(req).await {
                                Ok(_) => Ok(None),
                                Err(e) => Err(error_kind(&e)),
                            }
                        }
                        Action::DescribeVpcs => {
                            let req = vpc::DescribeVpcsRequest::builder()
                                .region_id("cn-hangzhou")
                                .vpc_name(&name)
                                .build()
                                .unwrap();
                            match vpc_client.call(req).await {
                                Ok(_) => Ok(None),
                                Err(e) => Err(error_kind(&e)),
                            }
                        }
                        Action::DescribeInstances => {
                            let req = cvm::DescribeInstancesRequest::builder()
                                .offset(call as i64)
                                .build()
                                .unwrap();
                            match cvm_client.call(req).await {
                                Ok(_) => Ok(None),
                                Err(e) => Err(error_kind(&e)),
                            }
                        }
                    }
                };
                let result = match tokio::time::timeout(DEADLINE, work).await {
                    Ok(r) => r,
                    Err(_) => panic!("call {call} ({action:?}) missed its deadline"),
                };
                Ended {
                    call,
                    action,
                    took: begun.elapsed(),
                    result,
                }
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    // Late answers' handlers may still be running.
    tokio::time::sleep(LATE + Duration::from_millis(200)).await;
    let ran_for = started.elapsed();

    let attempts = log.attempts.lock().unwrap();
    let vpcs = log.vpcs.lock().unwrap();
    let modified = log.modified.lock().unwrap();
    assert_eq!(ended.len() as u64, CALLS);
    assert_eq!(
        *log.untokened.lock().unwrap(),
        0,
        "a CreateVpc ran without a token"
    );

    let mut calls_by_action: BTreeMap<Action, usize> = BTreeMap::new();
    let mut injected: BTreeMap<(Action, Injected), usize> = BTreeMap::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut total_attempts = 0;
    let mut tokens_seen: HashSet<&str> = HashSet::new();
    let mut slowest = Duration::ZERO;
    for e in &ended {
        *calls_by_action.entry(e.action).or_default() += 1;
        slowest = slowest.max(e.took);
        assert!(e.took < DEADLINE);
        let (action, tries) = attempts
            .get(&e.call)
            .unwrap_or_else(|| panic!("call {} never reached the stub", e.call));
        assert_eq!(*action, e.action);
        total_attempts += tries.len();
        assert!(
            (1..=MAX_ATTEMPTS).contains(&tries.len()),
            "call {}: {} attempts",
            e.call,
            tries.len()
        );
        for t in tries {
            *injected.entry((e.action, t.injected)).or_default() += 1;
        }
        // Every attempt but the last failed in a way the rule retries for this action,
        // and the last is retried no further only because it succeeded, its failure is
        // not retried for this action, or the attempts ran out.
        let (last, before) = tries.split_last().unwrap();
        for t in before {
            assert!(
                t.injected.retried(e.action),
                "call {} ({:?}) was retried after {:?} ({:?}): {tries:?}",
                e.call,
                e.action,
                t.injected,
                e.result
            );
        }
        if last.injected.retried(e.action) {
            assert_eq!(
                tries.len(),
                MAX_ATTEMPTS,
                "call {} ({:?}) gave up early after {:?} ({:?}): {tries:?}",
                e.call,
                e.action,
                last.injected,
                e.result
            );
        }
        // The outcome follows the last attempt.
        match (&e.result, last.injected) {
            (Ok(_), Injected::None) => {}
            (Err(kind), i) if i != Injected::None => *errors.entry(kind.clone()).or_default() += 1,
            (r, i) => panic!("call {} ({:?}): {r:?} after {i:?}", e.call, e.action),
        }
        match e.action {
            Action::CreateVpc => {
                // One token per call, on every attempt, fresh for each call.
                let token = tries[0]
                    .token
                    .as_deref()
                    .expect("CreateVpc without a token");
                assert!(is_uuid_v4(token), "{token}");
                for t in tries {
                    assert_eq!(
                        t.token.as_deref(),
                        Some(token),
                        "call {}: {tries:?}",
                        e.call
                    );
                }
                assert!(
                    tokens_seen.insert(token),
                    "token {token} reused by another call"
                );
                // The VPC the call returns is the one its token created.
                if let Ok(Some(vpc)) = &e.result {
                    assert_eq!(Some(vpc), vpcs.get(token).map(|v| &v.0), "call {}", e.call);
                }
            }
            Action::ModifyVpc => {
                let runs = modified.get(&e.call).copied().unwrap_or(0);
                assert!(
                    runs <= 1,
                    "call {}: ModifyVpcAttribute ran {runs} times",
                    e.call
                );
            }
            _ => assert!(tries.iter().all(|t| t.token.is_none())),
        }
    }
    // The provider created one VPC per call whose request reached its handler.
    let creates = calls_by_action[&Action::CreateVpc];
    assert!(vpcs.len() <= creates);
    assert!(vpcs.keys().all(|t| tokens_seen.contains(t.as_str())));
    let repeated_runs: usize = vpcs.values().map(|(_, runs)| runs - 1).sum();
    // Every fault was drawn for every action, and retries happened.
    for action in [
        Action::CreateVpc,
        Action::ModifyVpc,
        Action::DescribeVpcs,
        Action::DescribeInstances,
    ] {
        for i in [
            Injected::ResetMidBody,
            Injected::TruncatedBody,
            Injected::InternalError500,
            Injected::Throttled,
            Injected::ThrottledRetryAfter,
            Injected::LateAnswer,
        ] {
            assert!(
                injected.contains_key(&(action, i)),
                "{action:?} never got {i:?}"
            );
        }
    }
    let retries = total_attempts - ended.len();
    assert!(retries > 0);
    let failed: usize = errors.values().sum();
    println!(
        "chaos soak (seed {SEED:#x}): {CALLS} calls {calls_by_action:?}, {total_attempts} attempts, \
         {retries} retries, {} succeeded, {failed} failed, in {ran_for:?} (slowest call {slowest:?})",
        ended.len() - failed
    );
    println!("  errors by kind: {errors:?}");
    println!("  faults injected: {injected:?}");
    println!(
        "  CreateVpc: {} VPCs for {creates} calls; {repeated_runs} handler runs repeated a token \
         (absorbed by the token); ModifyVpcAttribute ran at most once per call ({} runs)",
        vpcs.len(),
        modified.values().sum::<usize>()
    );
    assert!(ran_for < Duration::from_secs(50), "{ran_for:?}");
}
