//! The stub's request path on arbitrary bytes, as a hostile client sends them: routing and
//! signature verification of what `ReceivedRequest::parse_http1` reads
//! (`StubBuilder::verify_request`), then the bytes themselves over TCP to a running stub
//! of several products (Tencent Cloud, Alibaba Cloud RPC, ROA and Simple Log Service)
//! with verification off, so that routing, parameter decoding and the handlers run. Never
//! a panic (libFuzzer aborts on a panic in any thread) and every request gets an answer
//! or a closed connection within the stub's timeouts.
#![no_main]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::OnceLock;
use std::time::Duration;

use cloudapi::runtime::credentials::Credentials;
use cloudapi::runtime::protocol::ReceivedRequest;
use cloudapi::runtime::server::StubBuilder;
use libfuzzer_sys::fuzz_target;

fn builder() -> StubBuilder {
    StubBuilder::default()
        .credentials(Credentials::new("AKIDfuzz", "fuzz-secret"))
        .services(cloudapi::stub_services())
}

/// A stub without signature checks, on a thread of its own for the whole run.
fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            rt.block_on(async move {
                let stub = builder()
                    .verify_signatures(false)
                    .received_window(16, 1 << 20)
                    .read_timeouts(Duration::from_millis(200), Duration::from_millis(200))
                    .start()
                    .await
                    .expect("the stub starts");
                tx.send(stub.addr()).expect("the address is sent");
                std::future::pending::<()>().await;
            });
        });
        rx.recv().expect("the stub's address")
    })
}

fuzz_target!(|data: &[u8]| {
    static VERIFIER: OnceLock<StubBuilder> = OnceLock::new();
    let verifier = VERIFIER.get_or_init(builder);
    if let Ok(request) = ReceivedRequest::parse_http1(data) {
        let _ = verifier.verify_request(&request, 1_700_000_000);
    }
    let Ok(mut stream) = TcpStream::connect(server()) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(data);
    let _ = stream.shutdown(Shutdown::Write);
    let mut answer = Vec::new();
    let _ = stream.take(1 << 20).read_to_end(&mut answer);
});
