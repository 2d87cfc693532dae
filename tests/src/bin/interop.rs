//! The Rust side of `cargo xtask interop` (see `xtask/interop/interop.py`).
//!
//! - `interop serve`: starts the Tencent Cloud and Alibaba Cloud stub servers with the
//!   interop credentials, prints `{"tencentcloud": URL, "aliyun": URL}` on one line, and
//!   serves until standard input closes. Handlers echo the request as the generated types
//!   parsed it, so the script can compare it with what the official client sent.
//! - `interop sign`: reads one JSON case per line and prints, per case, the HTTP request our
//!   client signs for it at the case's fixed timestamp.
//! - `interop throughput`: requests per second our client sustains against the Tencent
//!   stub (signatures verified) over loopback, and memory per in-flight request; JSON.

use std::io::{BufRead, Write};

use cloudapi::aliyun::ccc::v20200701 as ccc;
use cloudapi::runtime::client::{Client, Payload, Signing};
use cloudapi::runtime::stub::Reply;
use cloudapi::runtime::wire::Query;
use cloudapi::runtime::{Config, Credentials};
use cloudapi::tencentcloud::organization::v20210331 as org;
use serde_json::{json, Value};

const TENCENT_ID: &str = "AKIDinteropEXAMPLE";
const TENCENT_KEY: &str = "interopSecretKeyEXAMPLE";
const ALIYUN_ID: &str = "LTAIinteropEXAMPLE";
const ALIYUN_SECRET: &str = "interopAccessKeySecret";

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let code = match mode.as_str() {
        "serve" => rt.block_on(serve()),
        "sign" => sign(),
        "throughput" => rt.block_on(throughput()),
        _ => {
            eprintln!("usage: interop <serve|sign|throughput>");
            2
        }
    };
    std::process::exit(code);
}

async fn serve() -> i32 {
    let tencent = org::stub::StubServer::builder(Credentials::new(TENCENT_ID, TENCENT_KEY))
        .on_list_users(|req| {
            let mut resp = match org::ListUsersResponse::from_json(
                org::list_users::EXAMPLE_RESPONSE_JSON.as_bytes(),
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e.to_string()),
            };
            // The request as our generated type parsed it, for the script to compare.
            if let Some(u) = resp.users.first_mut() {
                u.description = serde_json::to_string(&req).ok();
            }
            Reply::Ok(resp)
        })
        .start()
        .await;
    let aliyun = ccc::stub::StubServer::builder(Credentials::new(ALIYUN_ID, ALIYUN_SECRET))
        .on_list_instances_of_user(|req| {
            if req.page_size == 10 {
                // The document's example, verbatim (integers as strings).
                return Reply::Example;
            }
            let mut resp = match ccc::ListInstancesOfUserResponse::from_json(
                ccc::list_instances_of_user::EXAMPLE_RESPONSE_JSON.as_bytes(),
            ) {
                Ok(r) => r,
                Err(e) => return Reply::error("InternalError", e.to_string()),
            };
            if let Some(d) = resp.data.as_mut() {
                d.page_number = Some(req.page_number);
                d.page_size = Some(req.page_size);
            }
            Reply::Ok(resp)
        })
        .start()
        .await;
    let (tencent, aliyun) = match (tencent, aliyun) {
        (Ok(t), Ok(a)) => (t, a),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("interop: cannot start the stub servers: {e}");
            return 1;
        }
    };
    println!(
        "{}",
        json!({"tencentcloud": tencent.endpoint(), "aliyun": aliyun.endpoint()})
    );
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
    eprintln!(
        "interop: the stubs served {} Tencent Cloud and {} Alibaba Cloud requests",
        tencent.received().len(),
        aliyun.received().len()
    );
    0
}

/// One case: `{"provider", "signing", "timestamp", "params"}`; `params` is the action's
/// parameters (Tencent: the JSON body; Alibaba: query parameters as strings).
fn sign() -> i32 {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { return 1 };
        if line.trim().is_empty() {
            continue;
        }
        match sign_case(&line) {
            Ok(v) => println!("{v}"),
            Err(e) => {
                eprintln!("interop sign: {e}: {line}");
                return 1;
            }
        }
    }
    0
}

fn sign_case(line: &str) -> Result<Value, String> {
    let case: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let ts = case["timestamp"].as_i64().ok_or("no timestamp")?;
    let endpoint = case["endpoint"].as_str().unwrap_or("");
    let (service, creds, op, payload) = match case["provider"].as_str() {
        Some("tencentcloud") => {
            let req: org::ListUsersRequest =
                serde_json::from_value(case["params"].clone()).map_err(|e| e.to_string())?;
            (
                org::client::SERVICE_INFO,
                Credentials::new(TENCENT_ID, TENCENT_KEY),
                org::list_users::OPERATION,
                req.to_payload(),
            )
        }
        Some("aliyun") => {
            let mut q = Query::new("ListInstancesOfUser", ccc::VERSION);
            for (k, v) in case["params"]
                .as_object()
                .ok_or("params must be an object")?
            {
                q.0.push((
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                ));
            }
            (
                ccc::client::SERVICE_INFO,
                Credentials::new(ALIYUN_ID, ALIYUN_SECRET),
                ccc::list_instances_of_user::OPERATION,
                Payload::Query(q),
            )
        }
        other => return Err(format!("unknown provider {other:?}")),
    };
    let signing = match case["signing"].as_str() {
        Some("acs3") => Signing::Acs3HmacSha256,
        Some("hmac-sha1") => Signing::HmacSha1,
        _ => Signing::Tc3HmacSha256,
    };
    let mut config = Config::builder(creds).signing(signing);
    if !endpoint.is_empty() {
        config = config.endpoint(endpoint);
    }
    if let Some(region) = case["region"].as_str() {
        config = config.region(region);
    }
    let client = Client::new(config.build(), service).map_err(|e| e.to_string())?;
    let req = client.sign(&op, &payload, ts).map_err(|e| e.to_string())?;
    let canonical = canonical(&req, signing, ts);
    Ok(json!({
        "canonical": canonical,
        "method": req.method,
        "url": req.url,
        "headers": req.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "body": String::from_utf8_lossy(&req.body),
    }))
}

/// Our canonical request (TC3, ACS3) or string to sign (HMAC-SHA1) for a signed request.
fn canonical(req: &cloudapi::runtime::http::HttpRequest, signing: Signing, ts: i64) -> String {
    use cloudapi::runtime::sign;
    let header = |n: &str| {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let (authority, query) = {
        let rest = req
            .url
            .split_once("://")
            .map_or(req.url.as_str(), |(_, r)| r);
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        (
            authority.to_owned(),
            path.split_once('?').map_or("", |(_, q)| q).to_owned(),
        )
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
                "/",
                &params,
                &headers,
                header("x-acs-content-sha256"),
            )
        }
        _ => {
            let input = sign::tc3::Input {
                method: req.method,
                host: &authority,
                query: "",
                content_type: header("Content-Type"),
                payload: &req.body,
                service: "organization",
                timestamp: ts,
            };
            sign::tc3::sign(&input, TENCENT_ID, TENCENT_KEY).canonical_request
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
    let creds = || Credentials::new(TENCENT_ID, TENCENT_KEY);
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
                            if c.list_users(r.clone()).await.is_ok() {
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
        .on_list_users(|_| Reply::Hang)
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
            tokio::spawn(async move { c.list_users(r).await })
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
