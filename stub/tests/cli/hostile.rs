//! Hostile clients against `cloudapi-stub serve`: malformed requests, header and body
//! abuse, lengths past 2^64, deep nesting, huge list indexes, stalled heads and bodies,
//! hundreds of idle connections, and 40 large signed requests; the stub answers each in
//! the provider's shape or closes the connection, goes on serving, and its memory stays
//! bounded (RSS read from `/proc/<pid>/status`). Timeouts are set short by flags so each
//! test takes seconds.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use cloudapi::aliyun::ecs::v20140526 as ecs;
use cloudapi::runtime::client::Client as RawClient;
use cloudapi::runtime::protocol::Payload;
use cloudapi::runtime::server::StubBuilder;
use cloudapi::runtime::Config;
use cloudapi::runtime::{Operation, Service};
use cloudapi::tencentcloud::cvm::v20170312 as cvm;
use serde_json::Value;

use super::{creds, raw_http, scratch, serve, Server, ALIYUN, TENCENT};

fn addr(server: &Server) -> String {
    server.endpoint.trim_start_matches("http://").to_owned()
}

/// What came back on one connection: the first answer's status and JSON body, if any.
#[derive(Debug)]
struct Answer {
    status: Option<u16>,
    body: Option<Value>,
    /// The stub closed the connection (rather than `wait` running out).
    closed: bool,
    elapsed: Duration,
}

impl Answer {
    /// The provider's error code in either provider's envelope.
    fn code(&self) -> Option<&str> {
        let b = self.body.as_ref()?;
        b["Response"]["Error"]["Code"]
            .as_str()
            .or_else(|| b["Code"].as_str())
            .or_else(|| b["code"].as_str())
    }
}

/// Sends `bytes` on a new connection (then, with `finish`, closes the sending side) and
/// reads until the stub closes the connection or `wait` passes.
fn exchange(server: &Server, bytes: &[u8], finish: bool, wait: Duration) -> Answer {
    let start = Instant::now();
    let mut stream = TcpStream::connect(addr(server)).unwrap();
    // The stub may answer and close before everything is written: not an error here.
    let _ = stream.write_all(bytes);
    if finish {
        let _ = stream.shutdown(Shutdown::Write);
    }
    read_answer(&mut stream, start, wait)
}

fn read_answer(stream: &mut TcpStream, start: Instant, wait: Duration) -> Answer {
    let mut got = Vec::new();
    let mut closed = false;
    let mut buf = [0u8; 64 * 1024];
    while start.elapsed() < wait {
        let left = wait
            .saturating_sub(start.elapsed())
            .max(Duration::from_millis(1));
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(n) if got.len() < (1 << 20) => got.extend_from_slice(&buf[..n]),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                closed = true;
                break;
            }
            Err(_) => break,
        }
    }
    let text = String::from_utf8_lossy(&got);
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|t| t.get(..3))
        .and_then(|s| s.parse().ok());
    let body = text
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b.trim()).ok());
    Answer {
        status,
        body,
        closed,
        elapsed: start.elapsed(),
    }
}

/// `payload` signed now as `operation` of `service` for the server's IP endpoint, as raw
/// HTTP/1.1 bytes asking for the connection to be closed after the answer.
fn signed(
    server: &Server,
    id: (&str, &str),
    service: Service,
    operation: &Operation,
    payload: &Payload,
) -> Vec<u8> {
    let config = Config::builder(creds(id))
        .endpoint(&server.endpoint)
        .build();
    let client = RawClient::new(config, service).unwrap();
    let mut request = client
        .sign(operation, payload, cloudapi::runtime::codec::time::now())
        .unwrap();
    request.headers.push(("Connection".into(), "close".into()));
    raw_http(&request)
}

fn describe_instances(server: &Server, body: &[u8]) -> Vec<u8> {
    signed(
        server,
        TENCENT,
        cvm::client::SERVICE_INFO,
        &<cvm::DescribeInstances as cloudapi::runtime::Action>::OPERATION,
        &Payload::Json(body.to_vec()),
    )
}

fn alive(server: &mut Server) {
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the stub has exited"
    );
    let a = exchange(server, &describe_instances(server, b"{}"), false, secs(10));
    assert_eq!((a.status, a.code()), (Some(200), None), "{a:?}");
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The stub process's resident memory, in KiB.
fn rss_kib(server: &Server) -> u64 {
    proc_status_kib(server, "VmRSS:")
}

/// A `/proc/<pid>/status` figure of the stub process, in KiB (`VmRSS:`, `VmHWM:`).
fn proc_status_kib(server: &Server, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn head(extra: &str) -> Vec<u8> {
    format!("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{extra}\r\n")
        .into_bytes()
}

/// A name, the bytes sent, and the status and provider code expected (`None`: any 4xx, or
/// the connection closed without an answer; any code).
type Case<'a> = (&'a str, Vec<u8>, Option<u16>, Option<&'a str>);

#[test]
fn malformed_requests_get_an_answer_or_a_closed_connection() {
    let mut server = serve(&["--max-body", "1000000"]);
    let tc = "X-TC-Action: DescribeInstances\r\nX-TC-Version: 2017-03-12\r\n";
    let acs = "x-acs-action: InvokeCommand\r\nx-acs-version: 2014-05-26\r\n";
    let long_header = format!("X-Long: {}\r\n", "a".repeat(1 << 20));
    let many_headers: String = (0..1000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let mut cases: Vec<Case> = vec![
        (
            "TLS hello",
            b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03".to_vec(),
            None,
            None,
        ),
        ("no target", b"GET\r\n\r\n".to_vec(), Some(400), None),
        (
            "NUL bytes",
            b"GET /\0 HTTP/1.1\r\n\r\n".to_vec(),
            Some(400),
            None,
        ),
        ("a 1 MiB header", head(&long_header), None, None),
        ("1000 headers", head(&many_headers), None, None),
        (
            "a 1 MiB path",
            format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "p".repeat(1 << 20)).into_bytes(),
            None,
            None,
        ),
        // 2^64: past u64, refused before anything is read.
        (
            "Content-Length 2^64",
            head(&format!("{tc}Content-Length: 18446744073709551616\r\n")),
            Some(400),
            None,
        ),
        (
            "Content-Length -1",
            head(&format!("{tc}Content-Length: -1\r\n")),
            Some(400),
            None,
        ),
        (
            "two Content-Lengths",
            head(&format!("{tc}Content-Length: 2\r\nContent-Length: 3\r\n")),
            Some(400),
            None,
        ),
        (
            "a chunk size past u64",
            [
                head(&format!("{tc}Transfer-Encoding: chunked\r\n")),
                b"fffffffffffffffffffff\r\nab\r\n0\r\n\r\n".to_vec(),
            ]
            .concat(),
            Some(200),
            Some("InvalidRequest"),
        ),
        // u64::MAX is one more than hyper reads (431 from the HTTP layer); just below it,
        // and a body over --max-body, get the provider's too-large answer in its envelope
        // (Tencent Cloud's errors come with HTTP 200).
        (
            "Content-Length u64::MAX",
            head(&format!("{tc}Content-Length: 18446744073709551615\r\n")),
            Some(431),
            None,
        ),
        (
            "Content-Length u64::MAX - 2 (Tencent)",
            head(&format!("{tc}Content-Length: 18446744073709551613\r\n")),
            Some(200),
            Some("RequestSizeLimitExceeded"),
        ),
        (
            "Content-Length u64::MAX - 2 (Alibaba)",
            head(&format!("{acs}Content-Length: 18446744073709551613\r\n")),
            Some(413),
            Some("InvalidRequest"),
        ),
        (
            "a body over --max-body, sent whole",
            [
                head(&format!("{tc}Content-Length: 3000000\r\n")),
                vec![b' '; 3_000_000],
            ]
            .concat(),
            Some(200),
            Some("RequestSizeLimitExceeded"),
        ),
        (
            "a chunked body over --max-body",
            [
                head(&format!("{tc}Transfer-Encoding: chunked\r\n")),
                format!("{:x}\r\n", 600_000).into_bytes(),
                vec![b'a'; 600_000],
                format!("\r\n{:x}\r\n", 600_000).into_bytes(),
                vec![b'a'; 600_000],
                b"\r\n0\r\n\r\n".to_vec(),
            ]
            .concat(),
            Some(200),
            Some("RequestSizeLimitExceeded"),
        ),
        // Unsigned but well formed: the provider's signature error.
        (
            "unsigned",
            head(&format!(
                "{tc}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}"
            )),
            Some(200),
            Some("AuthFailure.InvalidAuthorization"),
        ),
    ];
    cases.push((
        "pipelined garbage after a request",
        [
            head(&format!("{tc}Content-Length: 2\r\n")),
            b"{}".to_vec(),
            b"\x00\x01\x02 garbage\r\n\r\n".to_vec(),
        ]
        .concat(),
        Some(200),
        None,
    ));
    for (name, bytes, status, code) in cases {
        let a = exchange(&server, &bytes, true, secs(10));
        assert!(a.closed, "{name}: the connection stays open: {a:?}");
        if let Some(status) = status {
            assert_eq!(a.status, Some(status), "{name}: {a:?}");
        } else if let Some(s) = a.status {
            assert!((400..500).contains(&s), "{name}: {a:?}");
        }
        if let Some(code) = code {
            assert_eq!(a.code(), Some(code), "{name}: {a:?}");
        }
    }
    alive(&mut server);
}

#[test]
fn deep_nesting_and_huge_indexes_are_refused_in_the_providers_shape() {
    let mut server = serve(&[]);
    // Tencent Cloud: JSON nested 100,000 deep is InvalidParameter, in the Response
    // envelope, without a stack overflow.
    let deep = format!(
        "{{\"Filters\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let a = exchange(
        &server,
        &describe_instances(&server, deep.as_bytes()),
        false,
        secs(20),
    );
    assert_eq!(
        (a.status, a.code()),
        (Some(200), Some("InvalidParameter")),
        "{a:?}"
    );

    // Alibaba Cloud RPC: a declared list with an index of 99,999,999 or a key nested 100
    // deep is InvalidParameter (nothing that large is allocated); undeclared parameters
    // are ignored whatever their shape, as the gateways do.
    let invoke = ecs::InvokeCommandRequest::builder()
        .region_id("cn-hangzhou")
        .command_id("c-1")
        .instance_id(["i-1"])
        .build()
        .unwrap();
    let rpc = |extra: &[(&str, &str)]| {
        let Payload::Query(mut query) = cloudapi::runtime::client::action::payload(&invoke) else {
            panic!("RPC sends a query")
        };
        for (k, v) in extra {
            query.0.push(((*k).to_owned(), (*v).to_owned()));
        }
        let bytes = signed(
            &server,
            ALIYUN,
            ecs::client::SERVICE_INFO,
            &<ecs::InvokeCommand as cloudapi::runtime::Action>::OPERATION,
            &Payload::Query(query),
        );
        exchange(&server, &bytes, false, secs(10))
    };
    let deep_key = format!("Tag.1{}", ".A.1".repeat(100));
    for extra in [
        vec![("Tag.99999999.Key", "k")],
        vec![("Tag.18446744073709551616.Key", "k")],
        vec![(deep_key.as_str(), "v")],
    ] {
        let a = rpc(&extra);
        assert_eq!(
            (a.status, a.code()),
            (Some(400), Some("InvalidParameter")),
            "{extra:?}: {a:?}"
        );
        assert!(a.elapsed < secs(5), "{a:?}");
    }
    let unknown_deep = format!("Bogus{}", ".1".repeat(100));
    for extra in [
        vec![("Tag.1.Key", "k"), ("Tag.1.Kye", "x")],
        vec![("Bogus.99999999", "x")],
        vec![("Bogus..01", "x")],
        vec![(unknown_deep.as_str(), "x")],
    ] {
        let a = rpc(&extra);
        assert_eq!((a.status, a.code()), (Some(200), None), "{extra:?}: {a:?}");
    }
    alive(&mut server);
}

#[test]
fn stalled_heads_and_bodies_are_timed_out() {
    let mut server = serve(&["--header-timeout-ms", "500", "--body-timeout-ms", "500"]);
    // A head that never ends: the connection is closed.
    let a = exchange(&server, b"POST / HTTP/1.1\r\nHost: x\r\n", false, secs(10));
    assert!(a.closed && a.elapsed < secs(5), "{a:?}");

    // A body that stops: the provider's envelope with RequestTimeout, then closed.
    let stalled = [
        head("X-TC-Action: DescribeInstances\r\nX-TC-Version: 2017-03-12\r\nContent-Length: 1000\r\n"),
        b"{\"Filters\"".to_vec(),
    ]
    .concat();
    let a = exchange(&server, &stalled, false, secs(10));
    assert_eq!(a.code(), Some("RequestTimeout"), "{a:?}");
    assert!(a.closed && a.elapsed < secs(5), "{a:?}");

    // Slowloris: a head dripped one byte every 50 ms is cut at the head timeout even
    // though bytes keep coming.
    let start = Instant::now();
    let mut stream = TcpStream::connect(addr(&server)).unwrap();
    let drip = b"POST / HTTP/1.1\r\nHost: x\r\nX-Pad: "
        .iter()
        .chain([b'a'; 1000].iter());
    let mut cut = false;
    for b in drip {
        if stream.write_all(&[*b]).is_err() {
            cut = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        if start.elapsed() > secs(10) {
            break;
        }
    }
    if !cut {
        cut = read_answer(&mut stream, Instant::now(), secs(2)).closed;
    }
    assert!(cut && start.elapsed() < secs(5), "{:?}", start.elapsed());
    alive(&mut server);
}

#[test]
fn hundreds_of_idle_connections_are_closed_and_others_served() {
    let mut server = serve(&["--idle-timeout-ms", "1000"]);
    let mut idle: Vec<TcpStream> = (0..500)
        .map(|_| TcpStream::connect(addr(&server)).unwrap())
        .collect();
    // Served meanwhile.
    alive(&mut server);
    let start = Instant::now();
    let closed = idle
        .iter_mut()
        .filter_map(|s| read_answer(s, start, secs(10)).closed.then_some(()))
        .count();
    assert_eq!(closed, 500, "after {:?}", start.elapsed());
    assert!(start.elapsed() < secs(8), "{:?}", start.elapsed());
    alive(&mut server);
}

#[test]
fn the_body_budget_is_shared_across_connections() {
    let mut server = serve(&["--body-budget", "1000000"]);
    let tc = "X-TC-Action: DescribeInstances\r\nX-TC-Version: 2017-03-12\r\n";
    // One client announces 900 kB and sends 10 bytes...
    let mut holder = TcpStream::connect(addr(&server)).unwrap();
    holder
        .write_all(
            &[
                head(&format!("{tc}Content-Length: 900000\r\n")),
                b"0123456789".to_vec(),
            ]
            .concat(),
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // ... so another's 900 kB is past the budget: the provider's busy answer.
    let second = [
        head(&format!("{tc}Content-Length: 900000\r\n")),
        vec![b' '; 900_000],
    ]
    .concat();
    let a = exchange(&server, &second, false, secs(10));
    assert_eq!(
        (a.status, a.code()),
        (Some(200), Some("RequestLimitExceeded")),
        "{a:?}"
    );
    // The first gives its share back when it goes.
    drop(holder);
    std::thread::sleep(Duration::from_millis(300));
    let a = exchange(&server, &second, true, secs(10));
    assert_eq!(a.code(), Some("AuthFailure.InvalidAuthorization"), "{a:?}");
    alive(&mut server);
}

/// Sends `copies` of `request` from `parallel` threads; the answers' codes.
fn flood(server: &Server, request: &[u8], copies: usize, parallel: usize) -> Vec<Option<String>> {
    let per = copies.div_ceil(parallel);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..parallel)
            .map(|_| {
                s.spawn(|| {
                    (0..per)
                        .map(|_| {
                            let a = exchange(server, request, false, secs(60));
                            assert!(a.status.is_some(), "{a:?}");
                            a.code().map(str::to_owned)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

/// 40 signed requests of 20 MB each (TC3 signs no nonce, so one request is sent 40
/// times), 8 at a time: the stub keeps no received requests when serving, reads bodies
/// within its budget, and its RSS grows by less than 200 MB; with `--record`, what is
/// saved stays within `--record-max-bytes`.
#[test]
fn large_signed_requests_keep_memory_bounded() {
    let values = format!("\"{}\"", "v".repeat(20 << 20));
    let body = format!("{{\"Filters\":[{{\"Name\":\"zone\",\"Values\":[{values}]}}]}}");
    for record in [false, true] {
        let dir = scratch("hostile-record");
        let dir_flag = dir.path().to_str().unwrap().to_owned();
        let flags: Vec<&str> = if record {
            vec!["--record", &dir_flag, "--record-max-bytes", "100000000"]
        } else {
            vec![]
        };
        let mut server = serve(&flags);
        alive(&mut server);
        let before = rss_kib(&server);
        let request = describe_instances(&server, body.as_bytes());
        let codes = flood(&server, &request, 40, 8);
        let after = rss_kib(&server);
        let answered = codes.iter().filter(|c| c.is_none()).count();
        let busy = codes
            .iter()
            .filter(|c| c.as_deref() == Some("RequestLimitExceeded"))
            .count();
        eprintln!(
            "large_signed_requests (record: {record}): VmRSS {before} KiB before, {after} KiB after 40 x 20 MB (peak VmHWM {} KiB); {answered} answered, {busy} busy",
            proc_status_kib(&server, "VmHWM:")
        );
        assert_eq!(answered + busy, 40, "{codes:?}");
        assert!(answered > 0, "{codes:?}");
        assert!(
            after.saturating_sub(before) < 200 * 1024,
            "RSS grew from {before} KiB to {after} KiB"
        );
        if record {
            let saved: u64 = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().metadata().unwrap().len())
                .sum();
            assert!(saved <= 100_000_000, "{saved} bytes saved");
            let files = std::fs::read_dir(dir.path()).unwrap().count();
            assert!(files < 40, "{files} files saved");
        }
        alive(&mut server);
    }
}

/// In a Rust test's stub, `received()` keeps a bounded window: the latest requests
/// within a count and a byte budget, the rest counted as dropped.
#[tokio::test]
async fn the_received_window_is_bounded() {
    let stub = StubBuilder::default()
        .credentials(creds(TENCENT))
        .services(cloudapi::stub_services())
        .received_window(5, 3 << 20)
        .start()
        .await
        .unwrap();
    let config = Config::builder(creds(TENCENT))
        .endpoint(stub.endpoint())
        .build();
    let client = cvm::Client::new(config).unwrap();
    let big = "v".repeat(1 << 20);
    for _ in 0..40 {
        let req = cvm::DescribeInstancesRequest::builder()
            .filters([cvm::types::Filter::default()
                .name("zone")
                .values([big.clone()])])
            .build_unchecked()
            .unwrap();
        let _ = client.call(req).await;
    }
    let kept = stub.received();
    assert!(kept.len() <= 3, "{} kept", kept.len());
    assert!(!kept.is_empty());
    assert_eq!(stub.received_dropped(), 40 - kept.len() as u64);
    let bytes: usize = kept.iter().map(|i| i.body.len()).sum();
    assert!(bytes <= 3 << 20, "{bytes}");
    assert_eq!(stub.bodies_in_flight(), 0);
}

/// `--record` writes new files only: never through a symlink or over a file put in its
/// way, and never more than its file count and byte budget.
#[tokio::test]
async fn the_recorder_writes_new_files_only_within_its_budget() {
    use cloudapi_stub::record::Recorder;
    let dir = scratch("hostile-recorder");
    let outside = scratch("hostile-outside");
    let target = outside.path().join("target");
    let recorder = Recorder::new(dir.path(), 3, 1000).unwrap();
    // The next name taken by someone else: a symlink (dangling) and a plain file.
    std::os::unix::fs::symlink(&target, dir.path().join("000001-unknown.http")).unwrap();
    std::fs::write(dir.path().join("000002-unknown.http"), b"theirs").unwrap();
    assert_eq!(recorder.save(b"not a request").await, None);
    assert_eq!(recorder.save(b"not a request").await, None);
    assert!(!target.exists(), "written through the symlink");
    assert_eq!(
        std::fs::read(dir.path().join("000002-unknown.http")).unwrap(),
        b"theirs"
    );
    // Then new names: three files at most, 1000 bytes at most.
    assert!(recorder.save(&[b'a'; 600]).await.is_some());
    assert_eq!(
        recorder.save(&[b'a'; 600]).await,
        None,
        "over the byte budget"
    );
    assert!(recorder.save(b"a").await.is_some());
    assert!(recorder.save(b"b").await.is_some());
    assert_eq!(recorder.save(b"c").await, None, "over the file count");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2 + 3);
}
