//! The Rust side of `cargo xtask interop` (see `xtask/interop/interop.py`): xtask's
//! `interop` binary, built only with the feature `interop` (`cargo build -p xtask
//! --features interop --bin interop`), the one part of xtask that links the generated crate.
//!
//! - `interop serve`: starts the stub servers of every product the script calls (Tencent
//!   Cloud Organization and CVM, Alibaba Cloud aliding, CCC, ECS, CS, OCR, PDS and Simple Log Service) with the
//!   credentials in `INTEROP_TENCENT_CREDENTIALS` and `INTEROP_ALIYUN_CREDENTIALS`
//!   (`ID:SECRET`, new each run of `cargo xtask interop`), prints `{"tencentcloud": URL,
//!   "tencentcloud-cvm": URL, "aliyun": URL, "aliyun-ecs": URL, "aliyun-cs": URL,
//!   "aliyun-ocr": URL, "aliyun-aliding": URL, "aliyun-pds": URL, "aliyun-sls": URL}` on one line, and serves until standard input
//!   closes. Handlers echo the request as the generated types parsed it (as JSON text in a
//!   string field of the response), so the script can compare it with what the official
//!   client sent.
//! - `interop sign`: reads one JSON case per line and prints, per case, the HTTP request our
//!   client signs for it with those credentials at the case's fixed timestamp, laid out by the generated request
//!   type's `cloudapi::runtime::client::action::payload` (CCC's ListInstancesOfUser: the parameters as given).
//! - `interop throughput`: requests per second our client sustains against the Tencent
//!   stub (signatures verified) over loopback, and memory per in-flight request; JSON.

use std::io::{BufRead, Write};

use cloudapi::aliyun::aliding::v20230426 as aliding;
use cloudapi::aliyun::ccc::v20200701 as ccc;
use cloudapi::aliyun::cs::v20151215 as cs;
use cloudapi::aliyun::ecs::v20140526 as ecs;
use cloudapi::aliyun::ocr_api::v20210707 as ocr;
use cloudapi::aliyun::pds::v20220301 as pds;
use cloudapi::aliyun::sls::v20201230 as sls;
use cloudapi::runtime::client::Client;
use cloudapi::runtime::protocol::layout::Query;
use cloudapi::runtime::protocol::Payload;
use cloudapi::runtime::server::{Reply, RunningStub};
use cloudapi::runtime::{Config, Credentials};
use cloudapi::runtime::{Operation, Service, Signing};
use cloudapi::tencentcloud::cvm::v20170312 as cvm;
use cloudapi::tencentcloud::organization::v20210331 as org;
use serde_json::{json, Value};

/// The variables `cargo xtask interop` passes each run's credentials in (`ID:SECRET`).
const TENCENT_VAR: &str = "INTEROP_TENCENT_CREDENTIALS";
const ALIYUN_VAR: &str = "INTEROP_ALIYUN_CREDENTIALS";

/// The credentials in the environment variable `var`.
fn env_credentials(var: &str) -> Result<Credentials, String> {
    let value = std::env::var(var).map_err(|_| format!("set {var}=ID:SECRET"))?;
    match value.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => {
            Ok(Credentials::new(id, secret))
        }
        _ => Err(format!("{var} is not ID:SECRET")),
    }
}

/// Both providers' credentials, for `serve` and `sign`.
struct Keys {
    tencent: Credentials,
    aliyun: Credentials,
}

fn keys() -> Result<Keys, String> {
    Ok(Keys {
        tencent: env_credentials(TENCENT_VAR)?,
        aliyun: env_credentials(ALIYUN_VAR)?,
    })
}

/// The Rust side of `cargo xtask interop`: our generated stub servers and signer, for
/// `xtask/interop/interop.py`.
#[derive(clap::Parser)]
#[command(
    name = "interop",
    after_help = "serve and sign read INTEROP_TENCENT_CREDENTIALS and INTEROP_ALIYUN_CREDENTIALS \
                  (ID:SECRET; cargo xtask interop sets them)."
)]
enum Mode {
    /// Serve every product the script calls on 127.0.0.1, print their endpoints as one JSON
    /// line, and serve until standard input closes.
    Serve,
    /// Read one JSON case per line; print the HTTP request our client signs for each.
    Sign,
    /// Requests per second against the Tencent Cloud stub and memory per in-flight
    /// request, as JSON.
    Throughput,
    /// The host our client resolves for each product, region and network, one per line.
    Endpoints,
}

/// Both providers' credentials, or the process ends with status 2 saying which is missing.
fn keys_or_exit(mode: &str) -> Keys {
    keys().unwrap_or_else(|e| {
        eprintln!("interop {mode}: {e} (cargo xtask interop sets it)");
        std::process::exit(2);
    })
}

fn main() {
    let mode = <Mode as clap::Parser>::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let code = match mode {
        Mode::Serve => rt.block_on(serve(keys_or_exit("serve"))),
        Mode::Sign => sign(&keys_or_exit("sign")),
        Mode::Throughput => rt.block_on(throughput()),
        Mode::Endpoints => endpoints(),
    };
    std::process::exit(code);
}

/// The request as our generated type parsed it, as JSON text, for the script to compare
/// with what the official client sent.
macro_rules! echo {
    ($request:expr) => {
        serde_json::to_string(&$request).ok()
    };
}

/// A document's example response, decoded with the generated type.
fn example<T>(
    decode: fn(&[u8]) -> Result<T, cloudapi::runtime::DecodeError>,
    json: &str,
) -> Result<T, String> {
    decode(json.as_bytes()).map_err(|e| e.to_string())
}

async fn serve(keys: Keys) -> i32 {
    let tencent_creds = || keys.tencent.clone();
    let aliyun_creds = || keys.aliyun.clone();
    let tencent = org::stub::StubServer::builder(tencent_creds())
        .on::<cloudapi::tencentcloud::organization::v20210331::ListUsers>(|req| {
            let mut resp = match example(
                org::ListUsersResponse::from_json,
                org::list_users::EXAMPLE_RESPONSE_JSON,
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e),
            };
            if let Some(u) = resp.users.first_mut() {
                u.description = echo!(req);
            }
            Reply::Ok(resp)
        })
        .start()
        .await;
    let cvm = cvm::stub::StubServer::builder(tencent_creds())
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeInstances>(|req| {
            let mut resp = match example(
                cvm::DescribeInstancesResponse::from_json,
                cvm::describe_instances::EXAMPLE_RESPONSE_JSON,
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e),
            };
            if let Some(i) = resp.instance_set.first_mut() {
                i.instance_name = echo!(req);
            }
            Reply::Ok(resp)
        })
        .on::<cloudapi::tencentcloud::cvm::v20170312::DescribeImages>(|req| {
            // The document gives no example: one image, with a size beyond i64 (uint64).
            let mut tag = cvm::describe_images::Tag::default();
            tag.key = Some("owner".into());
            tag.value = Some("alice".into());
            let mut image = cvm::describe_images::Image::default();
            image.image_id = Some("img-9qabwvbn".into());
            image.os_name = echo!(req);
            image.image_size = Some(u64::MAX);
            image.architecture = Some("x86_64".into());
            image.is_support_cloudinit = Some(true);
            image.tags = vec![tag];
            let mut resp = cvm::DescribeImagesResponse::default();
            resp.image_set = vec![image];
            resp.total_count = Some(1);
            Reply::Ok(resp)
        })
        .start()
        .await;
    let aliyun = ccc::stub::StubServer::builder(aliyun_creds())
        .on::<cloudapi::aliyun::ccc::v20200701::ListInstancesOfUser>(|req| {
            if req.page_size == 10 {
                // The document's example, verbatim (integers as strings).
                return Reply::Example;
            }
            let mut resp = match example(
                ccc::ListInstancesOfUserResponse::from_json,
                ccc::list_instances_of_user::EXAMPLE_RESPONSE_JSON,
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e),
            };
            if let Some(d) = resp.data.as_mut() {
                d.page_number = Some(req.page_number);
                d.page_size = Some(req.page_size);
            }
            Reply::Ok(resp)
        })
        .start()
        .await;
    let ecs = ecs::stub::StubServer::builder(aliyun_creds())
        .on::<cloudapi::aliyun::ecs::v20140526::InvokeCommand>(|req| {
            let mut resp = match example(
                ecs::InvokeCommandResponse::from_json,
                ecs::invoke_command::EXAMPLE_RESPONSE_JSON,
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e),
            };
            resp.invoke_id = echo!(req);
            Reply::Ok(resp)
        })
        .on::<cloudapi::aliyun::ecs::v20140526::DescribeRegions>(|req| {
            // The example's region, then one whose LocalName is the echo (a wrapped list
            // of two, in JSON and in XML).
            let mut resp = match example(
                ecs::DescribeRegionsResponse::from_json,
                ecs::describe_regions::EXAMPLE_RESPONSE_JSON,
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e),
            };
            let mut region = ecs::describe_regions::Region::default();
            region.region_id = Some("cn-shanghai".into());
            region.local_name = echo!(req);
            region.region_endpoint = Some("ecs.cn-shanghai.aliyuncs.com".into());
            region.status = Some(ecs::describe_regions::RegionStatus::SoldOut);
            resp.regions.push(region);
            Reply::Ok(resp)
        })
        .start()
        .await;
    let cs = cs::stub::StubServer::builder(aliyun_creds())
        .on::<cloudapi::aliyun::cs::v20151215::ModifyCluster>(|req| {
            let mut resp = match example(
                cs::ModifyClusterResponse::from_json,
                cs::modify_cluster::EXAMPLE_RESPONSE_JSON,
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e),
            };
            resp.cluster_id = Some(req.cluster_id.clone());
            resp.task_id = echo!(req);
            Reply::Ok(resp)
        })
        .on::<cloudapi::aliyun::cs::v20151215::DescribeClusterDetail>(|req| {
            let mut resp = match example(
                cs::DescribeClusterDetailResponse::from_json,
                cs::describe_cluster_detail::EXAMPLE_RESPONSE_JSON,
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e),
            };
            resp.cluster_id = Some(req.cluster_id.clone());
            resp.name = echo!(req);
            Reply::Ok(resp)
        })
        // No response body to echo in: the request as our types parsed it comes back as
        // an error's message.
        .on::<cloudapi::aliyun::cs::v20151215::ModifyClusterTags>(|req| {
            Reply::error("Echo", echo!(req).unwrap_or_default())
        })
        .start()
        .await;
    // OCR: an image as the RPC body, the parameters in the query; the echo carries the
    // bytes as base64 (the request's `Blob`).
    let ocr = ocr::stub::StubServer::builder(aliyun_creds())
        .on::<ocr::RecognizeGeneral>(|req| {
            let mut resp = ocr::RecognizeGeneralResponse::default();
            resp.data = echo!(req);
            Reply::Ok(resp)
        })
        .start()
        .await;
    // aliding: the caller's account as the JSON text of the `AccountContext` header.
    let aliding = aliding::stub::StubServer::builder(aliyun_creds())
        .on::<aliding::AddAttendee>(|req| {
            let mut resp = aliding::AddAttendeeResponse::default();
            resp.error_msg = echo!(req);
            resp.success = Some(true);
            Reply::Ok(resp)
        })
        .start()
        .await;
    // PDS through its gateway: JSON bodies, a bytes answer, an error with the request id
    // in `x-ca-request-id`; the stub checks the classic ROA signature.
    let pds = pds::stub::StubServer::builder(aliyun_creds())
        .on::<pds::ListMyDrives>(|req| {
            let mut resp = pds::ListMyDrivesResponse::default();
            resp.next_marker = echo!(req);
            Reply::Ok(resp)
        })
        .on::<pds::GetDownloadUrl>(|req| {
            let mut resp = pds::GetDownloadUrlResponse::default();
            resp.url = echo!(req);
            resp.size = Some(1_048_576);
            Reply::Ok(resp)
        })
        // The official client keeps no body of this answer: with drive `echo` the request
        // as our types parsed it comes back as an error's message.
        .on::<pds::DownloadFile>(|req| {
            if req.drive_id.as_deref() == Some("echo") {
                return Reply::error("Echo", echo!(req).unwrap_or_default());
            }
            let mut resp = pds::DownloadFileResponse::default();
            resp.body = echo!(req).unwrap_or_default().into_bytes().into();
            Reply::Ok(resp)
        })
        .on::<pds::DeleteFile>(|req| Reply::Error {
            code: "NotFound.File".into(),
            message: format!("file {} not found", req.file_id),
            http_status: 404,
        })
        .start()
        .await;
    // Simple Log Service: the project travels in the host (`<project>.localhost:PORT`,
    // which the script resolves to the stub), the action is found by method and path.
    let sls = sls::stub::StubServer::builder(aliyun_creds())
        // CreateLogStore and UpdateLogStore answer nothing: the echo comes back as an
        // error's message.
        .on::<cloudapi::aliyun::sls::v20201230::CreateLogStore>(|req| {
            Reply::error("Echo", echo!(req).unwrap_or_default())
        })
        .on::<cloudapi::aliyun::sls::v20201230::UpdateLogStore>(|req| {
            Reply::error("Echo", echo!(req).unwrap_or_default())
        })
        .on::<cloudapi::aliyun::sls::v20201230::GetLogStore>(|req| {
            let mut resp = sls::GetLogStoreResponse::default();
            resp.logstore_name = Some(req.logstore.clone());
            resp.ttl = Some(30);
            resp.shard_count = Some(2);
            resp.auto_split = Some(true);
            resp.create_time = Some(1_524_155_379);
            resp.mode = echo!(req);
            Reply::Ok(resp)
        })
        .on::<cloudapi::aliyun::sls::v20201230::ListLogStores>(|req| {
            let mut resp = sls::ListLogStoresResponse::default();
            resp.logstores = vec!["app-log".into(), echo!(req).unwrap_or_default()];
            resp.count = Some(2);
            resp.total = Some(2);
            Reply::Ok(resp)
        })
        // The same method and path, told apart by the path's fixed query (`?action=STOP`):
        // each answers an error whose code names the action that handled it.
        .on::<cloudapi::aliyun::sls::v20201230::StopEtl>(|req| {
            Reply::error("EchoStopETL", echo!(req).unwrap_or_default())
        })
        .on::<cloudapi::aliyun::sls::v20201230::StartEtl>(|req| {
            Reply::error("EchoStartETL", echo!(req).unwrap_or_default())
        })
        .on::<cloudapi::aliyun::sls::v20201230::UpdateEtl>(|req| {
            Reply::error("EchoUpdateETL", echo!(req).unwrap_or_default())
        })
        .on::<cloudapi::aliyun::sls::v20201230::GetCursor>(|req| {
            let mut resp = sls::GetCursorResponse::default();
            resp.cursor = echo!(req);
            Reply::Ok(resp)
        })
        .on::<cloudapi::aliyun::sls::v20201230::DeleteLogStore>(|req| Reply::Error {
            code: "LogStoreNotExist".into(),
            message: format!("logstore {} does not exist", req.logstore),
            http_status: 404,
        })
        .start()
        .await;
    let started = [
        ("tencentcloud", tencent),
        ("tencentcloud-cvm", cvm),
        ("aliyun", aliyun),
        ("aliyun-ecs", ecs),
        ("aliyun-cs", cs),
        ("aliyun-ocr", ocr),
        ("aliyun-aliding", aliding),
        ("aliyun-pds", pds),
        ("aliyun-sls", sls),
    ];
    let mut stubs: Vec<(&str, RunningStub)> = Vec::new();
    for (name, stub) in started {
        match stub {
            Ok(s) => stubs.push((name, s)),
            Err(e) => {
                eprintln!("interop: cannot start the {name} stub server: {e}");
                return 1;
            }
        }
    }
    let endpoints: serde_json::Map<String, Value> = stubs
        .iter()
        .map(|(name, stub)| ((*name).to_owned(), Value::String(stub.endpoint())))
        .collect();
    println!("{}", Value::Object(endpoints));
    let _ = std::io::stdout().flush();
    // Serve until standard input closes (the script's parent ends us that way).
    let _ = tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        while std::io::stdin()
            .read_line(&mut sink)
            .map(|n| n > 0)
            .unwrap_or(false)
        {
            sink.clear();
        }
    })
    .await;
    let served: Vec<String> = stubs
        .iter()
        .map(|(name, stub)| format!("{name}: {}", stub.received().len()))
        .collect();
    eprintln!(
        "interop: requests the stubs served (signatures verified): {}",
        served.join(", ")
    );
    0
}

/// One case: `{"provider", "action", "signing", "timestamp", "endpoint", "region",
/// "params"}`. `params` is the request keyed by wire names, as the generated request type
/// (de)serializes it (CCC's ListInstancesOfUser, the default Alibaba Cloud action: query
/// parameters as strings, sent as given; ListUsers is the default Tencent Cloud action).
fn sign(keys: &Keys) -> i32 {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { return 1 };
        if line.trim().is_empty() {
            continue;
        }
        match sign_case(&line, keys) {
            Ok(v) => println!("{v}"),
            Err(e) => {
                eprintln!("interop sign: {e}: {line}");
                return 1;
            }
        }
    }
    0
}

/// A generated request from the case's parameters (wire names), checked as its builder
/// checks it.
macro_rules! typed {
    ($params:expr, $ty:ty) => {{
        let req: $ty = serde_json::from_value($params.clone()).map_err(|e| e.to_string())?;
        req.validate().map_err(|e| e.to_string())?;
        req
    }};
}

/// What to sign for a case: the product, the action and the laid-out request.
fn case_request(case: &Value) -> Result<(Service, Operation, Payload), String> {
    let params = &case["params"];
    let provider = case["provider"].as_str();
    let action = case["action"].as_str();
    Ok(match (provider, action) {
        (Some("tencentcloud"), None | Some("ListUsers")) => {
            let req = typed!(params, org::ListUsersRequest);
            (
                org::client::SERVICE_INFO,
                <org::ListUsers as cloudapi::runtime::Action>::OPERATION,
                cloudapi::runtime::client::action::payload(&req),
            )
        }
        (Some("tencentcloud"), Some("DescribeInstances")) => {
            let req = typed!(params, cvm::DescribeInstancesRequest);
            (
                cvm::client::SERVICE_INFO,
                <cvm::DescribeInstances as cloudapi::runtime::Action>::OPERATION,
                cloudapi::runtime::client::action::payload(&req),
            )
        }
        (Some("tencentcloud"), Some("DescribeImages")) => {
            let req = typed!(params, cvm::DescribeImagesRequest);
            (
                cvm::client::SERVICE_INFO,
                <cvm::DescribeImages as cloudapi::runtime::Action>::OPERATION,
                cloudapi::runtime::client::action::payload(&req),
            )
        }
        (Some("aliyun"), None | Some("ListInstancesOfUser")) => {
            let mut q = Query::new("ListInstancesOfUser", ccc::VERSION);
            for (k, v) in params.as_object().ok_or("params must be an object")? {
                q.0.push((
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                ));
            }
            (
                ccc::client::SERVICE_INFO,
                <ccc::ListInstancesOfUser as cloudapi::runtime::Action>::OPERATION,
                Payload::Query(q),
            )
        }
        (Some("aliyun"), Some("InvokeCommand")) => {
            let req = typed!(params, ecs::InvokeCommandRequest);
            (
                ecs::client::SERVICE_INFO,
                <ecs::InvokeCommand as cloudapi::runtime::Action>::OPERATION,
                cloudapi::runtime::client::action::payload(&req),
            )
        }
        (Some("aliyun"), Some("DescribeRegions")) => {
            let req = typed!(params, ecs::DescribeRegionsRequest);
            (
                ecs::client::SERVICE_INFO,
                <ecs::DescribeRegions as cloudapi::runtime::Action>::OPERATION,
                cloudapi::runtime::client::action::payload(&req),
            )
        }
        (Some("aliyun"), Some("ModifyCluster")) => {
            let req = typed!(params, cs::ModifyClusterRequest);
            (
                cs::client::SERVICE_INFO,
                <cs::ModifyCluster as cloudapi::runtime::Action>::OPERATION,
                cloudapi::runtime::client::action::payload(&req),
            )
        }
        (Some("aliyun"), Some("ModifyClusterTags")) => {
            let req = typed!(params, cs::ModifyClusterTagsRequest);
            (
                cs::client::SERVICE_INFO,
                <cs::ModifyClusterTags as cloudapi::runtime::Action>::OPERATION,
                cloudapi::runtime::client::action::payload(&req),
            )
        }
        (Some("aliyun"), Some("DescribeClusterDetail")) => {
            let req = typed!(params, cs::DescribeClusterDetailRequest);
            (
                cs::client::SERVICE_INFO,
                <cs::DescribeClusterDetail as cloudapi::runtime::Action>::OPERATION,
                cloudapi::runtime::client::action::payload(&req),
            )
        }
        other => return Err(format!("unknown provider and action {other:?}")),
    })
}

fn sign_case(line: &str, keys: &Keys) -> Result<Value, String> {
    let case: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let ts = case["timestamp"].as_i64().ok_or("no timestamp")?;
    let endpoint = case["endpoint"].as_str().unwrap_or("");
    let (service, op, payload) = case_request(&case)?;
    let creds = match case["provider"].as_str() {
        Some("tencentcloud") => keys.tencent.clone(),
        _ => keys.aliyun.clone(),
    };
    let signing = match case["signing"].as_str() {
        Some("acs3") => Signing::Acs3HmacSha256,
        Some("hmac-sha1") => Signing::HmacSha1,
        _ => Signing::Tc3HmacSha256,
    };
    let mut config = Config::builder(creds.clone()).signing(signing);
    if !endpoint.is_empty() {
        config = config.endpoint(endpoint);
    }
    if let Some(region) = case["region"].as_str() {
        config = config.region(region);
    }
    let client = Client::new(config.build(), service).map_err(|e| e.to_string())?;
    let req = client.sign(&op, &payload, ts).map_err(|e| e.to_string())?;
    let canonical = canonical(&req, signing, service.service, ts, &creds);
    Ok(json!({
        "canonical": canonical,
        "method": req.method,
        "url": req.url,
        "headers": req.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "body": String::from_utf8_lossy(&req.body),
    }))
}

/// Our canonical request (TC3, ACS3) or string to sign (HMAC-SHA1) for a signed request.
fn canonical(
    req: &cloudapi::runtime::http::HttpRequest,
    signing: Signing,
    service: &str,
    ts: i64,
    creds: &Credentials,
) -> String {
    use cloudapi::runtime::protocol::sign;
    let header = |n: &str| {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    // The URL as sent: authority, path (still percent-encoded) and raw query.
    let (authority, path, query) = {
        let rest = req
            .url
            .split_once("://")
            .map_or(req.url.as_str(), |(_, r)| r);
        let (authority, target) = rest.split_once('/').unwrap_or((rest, ""));
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        (authority.to_owned(), format!("/{path}"), query.to_owned())
    };
    let params: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let d = |s: &str| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (d(k), d(v))
        })
        .collect();
    match signing {
        Signing::HmacSha1 => sign::rpc::string_to_sign(req.method, &params),
        Signing::Acs3HmacSha256 => {
            let mut headers: Vec<(String, String)> = req
                .headers
                .iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
                .cloned()
                .collect();
            headers.push(("host".into(), authority));
            sign::acs3::canonical_request(
                req.method,
                &path,
                &params,
                &headers,
                header("x-acs-content-sha256"),
            )
        }
        _ => {
            let input = sign::tc3::Input {
                method: req.method,
                host: &authority,
                query: &query,
                content_type: header("Content-Type"),
                payload: &req.body,
                service,
                timestamp: ts,
            };
            sign::tc3::sign(&input, creds.access_key_id(), creds.secret()).canonical_request
        }
    }
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

async fn throughput() -> i32 {
    use std::time::{Duration, Instant};
    // Client and stub share this process: any pair of credentials serves, one per run.
    let secret = format!("{:x}", {
        use std::hash::{BuildHasher, Hasher};
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    });
    let creds = || Credentials::new("AKIDthroughput", secret.as_str());
    let Ok(stub) = org::stub::StubServer::builder(creds()).start().await else {
        return 1;
    };
    let config = Config::builder(creds())
        .endpoint(stub.endpoint())
        .retry(cloudapi::runtime::RetryPolicy::none())
        .build();
    let Ok(client) = org::Client::new(config) else {
        return 1;
    };
    let request = org::ListUsersRequest::builder()
        .zone_id("z-1")
        .build()
        .expect("valid request");
    // Throughput: 64 concurrent callers for 3 seconds (after a short warm-up).
    let run = |secs: f64| {
        let client = client.clone();
        let request = request.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs_f64(secs);
            let tasks: Vec<_> = (0..64)
                .map(|_| {
                    let (c, r) = (client.clone(), request.clone());
                    tokio::spawn(async move {
                        let mut n = 0u64;
                        while Instant::now() < deadline {
                            if c.call(r.clone()).await.is_ok() {
                                n += 1;
                            }
                        }
                        n
                    })
                })
                .collect();
            let mut total = 0;
            for t in tasks {
                total += t.await.unwrap_or(0);
            }
            total
        }
    };
    let _ = run(0.5).await;
    let start = Instant::now();
    let done = run(3.0).await;
    let rps = done as f64 / start.elapsed().as_secs_f64();
    // Memory per in-flight request: 2,000 requests held open by a stub that never answers.
    let Ok(hang) = org::stub::StubServer::builder(creds())
        .on::<org::ListUsers>(|_| Reply::Hang)
        .start()
        .await
    else {
        return 1;
    };
    let hung = org::Client::new(
        Config::builder(creds())
            .endpoint(hang.endpoint())
            .retry(cloudapi::runtime::RetryPolicy::none())
            .request_timeout(Duration::from_secs(60))
            .build(),
    )
    .expect("client");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let before = rss_kib();
    let n = 2000;
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (c, r) = (hung.clone(), request.clone());
            tokio::spawn(async move { c.call(r).await })
        })
        .collect();
    // Wait until the stub has received them all.
    let t0 = Instant::now();
    while hang.received().len() < n && t0.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let after = rss_kib();
    let in_flight = hang.received().len();
    for t in &tasks {
        t.abort();
    }
    // Both client and stub live in this process: the figure covers both ends of each connection.
    println!(
        "{}",
        json!({"requests": done, "rps": rps, "in_flight": in_flight, "kib_per_in_flight": (after.saturating_sub(before)) as f64 / in_flight.max(1) as f64})
    );
    0
}

/// `interop endpoints`: one line per case, `product<TAB>region<TAB>setting<TAB>host`, the
/// host our client resolves (`error: …` when it refuses), for the script to compare with
/// the official SDKs. Alibaba Cloud settings are networks; Tencent Cloud's are
/// `global`, `regional`, `internal` and `root=<domain>`.
fn endpoints() -> i32 {
    use cloudapi::runtime::{client::endpoint, client::Client, Config, Credentials};
    let services = [
        (
            "aliyun/vpc",
            cloudapi::aliyun::vpc::v20160428::client::SERVICE_INFO,
        ),
        (
            "aliyun/ccc",
            cloudapi::aliyun::ccc::v20200701::client::SERVICE_INFO,
        ),
        (
            "aliyun/sls",
            cloudapi::aliyun::sls::v20201230::client::SERVICE_INFO,
        ),
        (
            "tencentcloud/cvm",
            cloudapi::tencentcloud::cvm::v20170312::client::SERVICE_INFO,
        ),
        (
            "tencentcloud/organization",
            cloudapi::tencentcloud::organization::v20210331::client::SERVICE_INFO,
        ),
    ];
    for (name, service) in services {
        let Some(ep) = service.endpoints else {
            eprintln!("interop endpoints: {name} has no endpoint metadata");
            return 1;
        };
        for (region, setting) in endpoint::comparison_cases(ep) {
            let c = endpoint::apply_setting(
                Config::builder(Credentials::new("id", "secret")).region(&region),
                setting,
            );
            let host = match Client::new(c.build(), service) {
                Ok(client) => client.endpoint().to_owned(),
                Err(e) => format!("error: {e}"),
            };
            println!("{name}\t{region}\t{setting}\t{host}");
        }
    }
    0
}
