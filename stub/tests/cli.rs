//! The `cloudapi-stub` binary, driven as users drive it: `serve` with the generated
//! clients of three products on one port and a scenario, and with `--record`; `verify` on
//! requests our client signed and saved as raw HTTP/1.1, at a given time and at their own.
//! Also the scenario and raw-request parsers and the recorder's request splitter. Modules:
//! `strict` (each provider's strictness), `hostile` (hostile clients, bounded memory),
//! `idempotent` (idempotency tokens).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use cloudapi::aliyun::ccc::v20200701 as ccc;
use cloudapi::aliyun::cs::v20151215 as cs;
use cloudapi::runtime::client::Client as RawClient;
use cloudapi::runtime::http::HttpRequest;
use cloudapi::runtime::protocol::Payload;
use cloudapi::runtime::server::{Fault, FaultRule};
use cloudapi::runtime::{Config, Credentials, RetryPolicy, SdkError};
use cloudapi::runtime::{Operation, Service};
use cloudapi::tencentcloud::organization::v20210331 as org;
use cloudapi_stub::record::{self, Piece, Splitter};
use cloudapi_stub::{raw, scenario};

#[path = "cli/hostile.rs"]
mod hostile;
#[path = "cli/idempotent.rs"]
mod idempotent;
#[path = "cli/strict.rs"]
mod strict;

const BIN: &str = env!("CARGO_BIN_EXE_cloudapi-stub");
const TENCENT: (&str, &str) = ("AKIDstubtest", "tencent-secret");
const ALIYUN: (&str, &str) = ("LTAIstubtest", "aliyun-secret");

fn creds((id, secret): (&str, &str)) -> Credentials {
    Credentials::new(id, secret)
}

fn flag((id, secret): (&str, &str)) -> String {
    format!("{id}:{secret}")
}

/// A running `cloudapi-stub serve`, killed when dropped.
struct Server {
    child: Child,
    endpoint: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` on a free port with both providers' credentials and `extra` flags.
fn serve(extra: &[&str]) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--credentials"])
        .arg(flag(TENCENT))
        .arg("--credentials")
        .arg(flag(ALIYUN))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let endpoint = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    Server { child, endpoint }
}

fn config(id: (&str, &str), endpoint: &str) -> Config {
    Config::builder(creds(id))
        .endpoint(endpoint)
        .retry(RetryPolicy::none())
        .build()
}

fn scratch(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(name).tempdir().unwrap()
}

#[tokio::test]
async fn one_port_serves_every_product_with_a_scenario() {
    let dir = scratch("scenario");
    let file = dir.path().join("scenario.json");
    std::fs::write(
        &file,
        r#"[{"action": "ListUsers", "every": 2, "throttle": true},
            {"action": "ListInstancesOfUser", "every": 2, "error": {"code": "ServiceUnavailable", "status": 503}}]"#,
    )
    .unwrap();
    let server = serve(&["--scenario", file.to_str().unwrap()]);
    let ep = &server.endpoint;

    let tencent = org::Client::new(config(TENCENT, ep)).unwrap();
    let list_users = || {
        org::ListUsersRequest::builder()
            .zone_id("z-1")
            .build()
            .unwrap()
    };
    let first = tencent.call(list_users()).await.unwrap();
    assert_eq!(first.total_counts, Some(50), "the document's example");
    // Every second ListUsers is throttled, with Tencent Cloud's code.
    match tencent.call(list_users()).await.unwrap_err() {
        SdkError::Service(e) => assert_eq!(e.code(), "RequestLimitExceeded"),
        other => panic!("{other:?}"),
    }
    tencent.call(list_users()).await.unwrap();

    // Alibaba Cloud RPC (HMAC-SHA1) on the same port; its rule counts its own requests.
    let aliyun = ccc::Client::new(config(ALIYUN, ep)).unwrap();
    let list = || {
        ccc::ListInstancesOfUserRequest::builder()
            .page_number(1)
            .page_size(10)
            .build()
            .unwrap()
    };
    let got = aliyun.call(list()).await.unwrap();
    assert_eq!(got.code.as_deref(), Some("OK"));
    match aliyun.call(list()).await.unwrap_err() {
        SdkError::Service(e) => {
            assert_eq!((e.code(), e.http_status()), ("ServiceUnavailable", 503));
        }
        other => panic!("{other:?}"),
    }

    // Alibaba Cloud ROA (ACS3), a path parameter, a synthesized or documented answer.
    let roa = cs::Client::new(config(ALIYUN, ep)).unwrap();
    let req = cs::DescribeClusterDetailRequest::builder()
        .cluster_id("c-1")
        .build()
        .unwrap();
    roa.call(req).await.unwrap();

    // A parameter the document rules out gets the provider's code, from the stub.
    // (Built past the client's own validation.)
    let mut bad = list();
    bad.page_size = 101;
    match aliyun.call(bad).await.unwrap_err() {
        SdkError::Service(e) => assert_eq!(e.code(), "Parameter.Maximum"),
        other => panic!("{other:?}"),
    }

    // Signatures are verified: a wrong secret is refused with the provider's code.
    let wrong = org::Client::new(config((TENCENT.0, "wrong"), ep)).unwrap();
    match wrong.call(list_users()).await.unwrap_err() {
        SdkError::Service(e) => assert_eq!(e.code(), "AuthFailure.SignatureFailure"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_skewed_clock_makes_fresh_signatures_expire() {
    let server = serve(&["--skew", "3600"]);
    let tencent = org::Client::new(config(TENCENT, &server.endpoint)).unwrap();
    let req = org::ListUsersRequest::builder()
        .zone_id("z-1")
        .build()
        .unwrap();
    match tencent.call(req).await.unwrap_err() {
        SdkError::Service(e) => assert_eq!(e.code(), "AuthFailure.SignatureExpire"),
        other => panic!("{other:?}"),
    }
}

/// `request` as raw HTTP/1.1 bytes, the way it goes on the wire.
fn raw_http(request: &HttpRequest) -> Vec<u8> {
    let rest = request.url.split_once("://").unwrap().1;
    let (host, target) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let mut out = format!("{} {target} HTTP/1.1\r\nHost: {host}\r\n", request.method);
    for (k, v) in &request.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", request.body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&request.body);
    bytes
}

const SIGNED_AT: i64 = 1_700_000_000;

/// Signs `payload` for `operation` of `service` at [`SIGNED_AT`], against its real
/// endpoint, and saves it in `dir` as `name`.
fn save(
    dir: &Path,
    name: &str,
    id: (&str, &str),
    service: Service,
    operation: &Operation,
    payload: &Payload,
) -> PathBuf {
    let config = Config::builder(creds(id)).build();
    let client = RawClient::new(config, service).unwrap();
    let request = client.sign(operation, payload, SIGNED_AT).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, raw_http(&request)).unwrap();
    path
}

fn verify(now: impl ToString, files: &[&Path]) -> (Option<i32>, Vec<String>) {
    let out = Command::new(BIN)
        .args(["verify", "--credentials"])
        .arg(flag(TENCENT))
        .arg("--credentials")
        .arg(flag(ALIYUN))
        .arg("--now")
        .arg(now.to_string())
        .args(files)
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    (out.status.code(), lines)
}

#[test]
fn verify_judges_saved_requests_one_line_each() {
    let dir = scratch("verify");
    let d = dir.path();
    let users = org::ListUsersRequest::builder()
        .zone_id("z-1")
        .build()
        .unwrap();
    let tc3 = save(
        d,
        "tc3.http",
        TENCENT,
        org::client::SERVICE_INFO,
        &<org::ListUsers as cloudapi::runtime::Action>::OPERATION,
        &cloudapi::runtime::client::action::payload(&users),
    );
    let list = ccc::ListInstancesOfUserRequest::builder()
        .page_number(2)
        .page_size(20)
        .build()
        .unwrap();
    let rpc = save(
        d,
        "rpc.http",
        ALIYUN,
        ccc::client::SERVICE_INFO,
        &<ccc::ListInstancesOfUser as cloudapi::runtime::Action>::OPERATION,
        &cloudapi::runtime::client::action::payload(&list),
    );
    let detail = cs::DescribeClusterDetailRequest::builder()
        .cluster_id("c 1/x")
        .build()
        .unwrap();
    let roa = save(
        d,
        "roa.http",
        ALIYUN,
        cs::client::SERVICE_INFO,
        &<cs::DescribeClusterDetail as cloudapi::runtime::Action>::OPERATION,
        &cloudapi::runtime::client::action::payload(&detail),
    );
    // The same TC3 request with one byte of its body changed.
    let tampered = d.join("tampered.http");
    let text = String::from_utf8(std::fs::read(&tc3).unwrap()).unwrap();
    std::fs::write(&tampered, text.replace("z-1", "z-2")).unwrap();

    let (code, lines) = verify(SIGNED_AT + 30, &[&tc3, &rpc, &roa]);
    assert_eq!(lines, ["accepted", "accepted", "accepted"]);
    assert_eq!(code, Some(0));

    let (code, lines) = verify(SIGNED_AT + 30, &[&tc3, &tampered, &rpc]);
    assert_eq!(code, Some(1), "{lines:?}");
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        (lines[0].as_str(), lines[2].as_str()),
        ("accepted", "accepted")
    );
    assert!(
        lines[1].starts_with("rejected: AuthFailure.SignatureFailure: "),
        "{lines:?}"
    );

    // An hour later every signature has expired, each in its provider's words.
    let (code, lines) = verify(SIGNED_AT + 3600, &[&tc3, &rpc]);
    assert_eq!(code, Some(1));
    assert!(
        lines[0].starts_with("rejected: AuthFailure.SignatureExpire: "),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("rejected: "), "{lines:?}");

    // `--now auto`: each file at the time it was signed at (TC3's X-TC-Timestamp, ACS3's
    // x-acs-date or HMAC-SHA1's Timestamp); a tampered one still fails.
    let (code, lines) = verify("auto", &[&tc3, &rpc, &roa]);
    assert_eq!(lines, ["accepted"; 3]);
    assert_eq!(code, Some(0));
    let (code, lines) = verify("auto", &[&tampered]);
    assert_eq!(code, Some(1));
    assert!(
        lines[0].starts_with("rejected: AuthFailure.SignatureFailure: "),
        "{lines:?}"
    );
    // A request that names no signed time is judged now, and refused as the provider would.
    let untimed = d.join("untimed.http");
    std::fs::write(
        &untimed,
        text.lines()
            .filter(|l| !l.starts_with("X-TC-Timestamp"))
            .collect::<Vec<_>>()
            .join("\r\n"),
    )
    .unwrap();
    let (code, lines) = verify("auto", &[&untimed]);
    assert_eq!(code, Some(1));
    assert!(lines[0].starts_with("rejected: "), "{lines:?}");
    let out = Command::new(BIN)
        .args(["verify", "--credentials", "a:b", "--now", "soon"])
        .arg(&tc3)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("or auto"));

    // A file that is not a request is a usage error: nothing is judged.
    let junk = d.join("junk.http");
    std::fs::write(&junk, "hello").unwrap();
    let (code, lines) = verify(SIGNED_AT, &[&tc3, &junk]);
    assert_eq!((code, lines.len()), (Some(2), 0));
    let (code, _) = verify(SIGNED_AT, &[&d.join("missing.http")]);
    assert_eq!(code, Some(2));
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn record_saves_each_request_as_sent_and_the_answers_pass_unchanged() {
    let dir = scratch("record");
    let saved = dir.path().join("saved");
    let file = dir.path().join("scenario.json");
    std::fs::write(
        &file,
        r#"[{"action": "ListUsers", "every": 2, "throttle": true}]"#,
    )
    .unwrap();
    let server = serve(&[
        "--scenario",
        file.to_str().unwrap(),
        "--record",
        saved.to_str().unwrap(),
        "--record-max",
        "4",
    ]);
    let ep = &server.endpoint;
    let tencent = org::Client::new(config(TENCENT, ep)).unwrap();
    let users = org::ListUsersRequest::builder()
        .zone_id("z-1")
        .build()
        .unwrap();
    // Through the relay: the example, then the scenario's throttling, then the example.
    assert_eq!(
        tencent.call(users.clone()).await.unwrap().total_counts,
        Some(50)
    );
    match tencent.call(users.clone()).await.unwrap_err() {
        SdkError::Service(e) => assert_eq!(e.code(), "RequestLimitExceeded"),
        other => panic!("{other:?}"),
    }
    let wrong = org::Client::new(config((TENCENT.0, "wrong"), ep)).unwrap();
    match wrong.call(users.clone()).await.unwrap_err() {
        SdkError::Service(e) => assert_eq!(e.code(), "AuthFailure.SignatureFailure"),
        other => panic!("{other:?}"),
    }
    let roa = cs::Client::new(config(ALIYUN, ep)).unwrap();
    let detail = cs::DescribeClusterDetailRequest::builder()
        .cluster_id("c 1/x")
        .build()
        .unwrap();
    roa.call(detail.clone()).await.unwrap();
    // A fifth request is answered but not saved (--record-max 4).
    roa.call(detail).await.unwrap();

    assert_eq!(
        names(&saved),
        [
            "000001-ListUsers.http",
            "000002-ListUsers.http",
            "000003-ListUsers.http",
            "000004-DescribeClusterDetail.http",
        ]
    );
    // Saved exactly as sent: each verifies at its own time, but the one signed with the
    // wrong secret.
    let path = |n: &str| saved.join(n);
    let files = names(&saved).iter().map(|n| path(n)).collect::<Vec<_>>();
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (code, lines) = verify("auto", &refs);
    assert_eq!(code, Some(1));
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!([&lines[0], &lines[1], &lines[3]], ["accepted"; 3]);
    assert!(
        lines[2].starts_with("rejected: AuthFailure.SignatureFailure: "),
        "{lines:?}"
    );
    let roa_file = std::fs::read_to_string(&files[3]).unwrap();
    assert!(
        roa_file.starts_with("GET /clusters/c%201%2Fx HTTP/1.1\r\n"),
        "{roa_file}"
    );
}

#[tokio::test]
async fn record_relays_a_broken_answer_broken() {
    let dir = scratch("record-reset");
    let saved = dir.path().join("saved");
    let server = serve(&["--reset-every", "1", "--record", saved.to_str().unwrap()]);
    let tencent = org::Client::new(config(TENCENT, &server.endpoint)).unwrap();
    let users = org::ListUsersRequest::builder()
        .zone_id("z-1")
        .build()
        .unwrap();
    match tencent.call(users).await {
        Err(SdkError::Dispatch(_) | SdkError::Response(_)) => {}
        other => panic!("half an answer, then a reset: {other:?}"),
    }
    assert_eq!(names(&saved), ["000001-ListUsers.http"]);
}

#[test]
fn the_splitter_follows_requests_by_content_length() {
    let one =
        b"POST / HTTP/1.1\r\nHost: h\r\nX-TC-Action: ListUsers\r\nContent-Length: 3\r\n\r\nabc"
            .to_vec();
    let two = b"GET /?Action=DescribeRegions&Version=1 HTTP/1.1\r\nHost: h\r\n\r\n".to_vec();
    // Byte by byte, and both in one read (keep-alive, pipelined).
    let mut s = Splitter::default();
    let mut got = Vec::new();
    for b in one.iter().chain(&two) {
        got.extend(s.feed(std::slice::from_ref(b)));
    }
    assert_eq!(
        got,
        [Piece::Request(one.clone()), Piece::Request(two.clone())]
    );
    let mut s = Splitter::default();
    assert_eq!(
        s.feed(&[one.clone(), two.clone()].concat()),
        [Piece::Request(one.clone()), Piece::Request(two.clone())]
    );
    assert_eq!(record::file_name(7, &one), "000007-ListUsers.http");
    assert_eq!(record::file_name(8, &two), "000008-DescribeRegions.http");
    assert_eq!(record::file_name(9, b"junk"), "000009-unknown.http");

    // A body larger than a file may hold is passed by, unbuffered; the next request is saved.
    let big = raw::MAX_REQUEST_BYTES as usize + 1;
    let mut s = Splitter::default();
    let head = format!("PUT /x HTTP/1.1\r\nContent-Length: {big}\r\n\r\n");
    let skipped = s.feed(head.as_bytes());
    assert!(
        matches!(skipped.as_slice(), [Piece::Skipped(why)] if why.contains("the stub refuses it")),
        "{skipped:?}"
    );
    let chunk = vec![0u8; 1 << 20];
    let mut left = big;
    while left > chunk.len() {
        assert_eq!(s.feed(&chunk), []);
        left -= chunk.len();
    }
    let mut tail = vec![0u8; left];
    tail.extend_from_slice(&one);
    assert_eq!(s.feed(&tail), [Piece::Request(one.clone())]);

    // A chunked body cannot be followed: recording stops on that connection.
    let mut s = Splitter::default();
    let chunked =
        s.feed(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    assert!(
        matches!(chunked.as_slice(), [Piece::Stopped(why)] if why.contains("chunked")),
        "{chunked:?}"
    );
    assert_eq!(s.feed(&one), []);
}

#[test]
fn signed_time_reads_each_protocols_timestamp() {
    let parse = |text: &str| raw::parse_request(text.as_bytes()).unwrap();
    assert_eq!(
        raw::signed_time(&parse(
            "POST / HTTP/1.1\r\nX-TC-Timestamp: 1700000000\r\n\r\n"
        )),
        Some(1_700_000_000)
    );
    assert_eq!(
        raw::signed_time(&parse(
            "GET / HTTP/1.1\r\nx-acs-date: 2023-11-14T22:13:20Z\r\n\r\n"
        )),
        Some(1_700_000_000)
    );
    assert_eq!(
        raw::signed_time(&parse(
            "POST /?Timestamp=2023-11-14T22%3A13%3A20Z HTTP/1.1\r\n\r\n"
        )),
        Some(1_700_000_000)
    );
    assert_eq!(raw::signed_time(&parse("GET / HTTP/1.1\r\n\r\n")), None);
    assert_eq!(
        raw::signed_time(&parse("GET / HTTP/1.1\r\nX-TC-Timestamp: soon\r\n\r\n")),
        None
    );
}

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    let dir = scratch("usage");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"[{"throttle": true}, {"every": 0, "hang": true}]"#).unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--credentials", "a:b"])
        .arg("--scenario")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.json: rule 1: every must be at least 1"),
        "{stderr}"
    );
    let out = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--credentials",
            "no-colon",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ID:SECRET"));
}

#[test]
fn scenario_rules_are_checked_one_by_one() {
    let rules = scenario::parse(
        r#"[{"action": "ListUsers", "every": 2, "throttle": true},
            {"error": {"code": "InternalError"}},
            {"body_bytes": 1073741824, "chunked": true},
            {"latency_ms": 5}]"#,
    )
    .unwrap();
    assert_eq!(
        rules,
        [
            FaultRule::new(Fault::Throttle).action("ListUsers").every(2),
            FaultRule::new(Fault::Error {
                code: "InternalError".into(),
                message: scenario::DEFAULT_ERROR_MESSAGE.into(),
                http_status: 400,
            }),
            FaultRule::new(Fault::LargeBody {
                bytes: 1 << 30,
                chunked: true
            }),
            FaultRule::new(Fault::Latency(std::time::Duration::from_millis(5))),
        ]
    );
    let error = |text: &str| scenario::parse(text).unwrap_err().to_string();
    assert_eq!(
        error(r#"[{"hang": true, "throttle": true}]"#),
        "rule 0: one fault per rule, this one has throttle, hang: split it into several rules"
    );
    assert!(
        error(r#"[{"hang": true}, {"hangs": true}]"#).starts_with("rule 1: unknown field `hangs`")
    );
    assert!(error(r#"[{"every": 2}]"#).starts_with("rule 0: no fault"));
    assert_eq!(
        error(r#"[{"throttle": true, "chunked": true}]"#),
        "rule 0: chunked applies to body_bytes only"
    );
    assert!(error(r#"{"throttle": true}"#).starts_with("not a JSON list of rules"));
}

#[test]
fn raw_requests_are_read_by_content_length() {
    let r = raw::parse_request(
        b"POST /?Action=X HTTP/1.1\r\nHost: h:1\r\nContent-Length: 2\r\nX-A: b\r\n\r\n{}\n",
    )
    .unwrap();
    assert_eq!(
        (r.method.as_str(), r.path.as_str(), r.body.as_slice()),
        ("POST", "/", b"{}".as_slice())
    );
    assert_eq!((r.param("Action"), r.header("x-a")), (Some("X"), Some("b")));
    let error = |bytes: &[u8]| raw::parse_request(bytes).unwrap_err().to_string();
    assert_eq!(
        error(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n{}"),
        "the body has 2 bytes, Content-Length says 5"
    );
    assert!(error(b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n").contains("one request per file"));
    assert!(error(b"GET / HTTP/1.1\r\nHost: h\r\n").contains("do not end"));
    assert!(
        error(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").contains("Content-Length")
    );
}
