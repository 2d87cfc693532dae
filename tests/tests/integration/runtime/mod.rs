//! The runtime through the generated client (Tencent Cloud ListUsers), with no network: a user-supplied transport
//! sees requests signed and shaped as the provider expects (`custom_transport`), and the
//! documented rate limit is honoured when enabled (`rate_limit`). Over real HTTP, with
//! the stub's fault injection: response bodies are bounded in size and time, and a
//! reset mid-body is retried or reported (`bounded`). Over every action compiled in: each
//! example (or synthesized) response decodes and round-trips (`samples`). A chaos soak of
//! the retry rule over two products' stubs with seeded faults (`soak`). An action whose
//! request body and answer are bytes, written by hand as generated code is, through the
//! client and the stub (`answers`).

use std::sync::{Arc, Mutex};

use cloudapi::runtime::http::{
    BoxFuture, HttpRequest, HttpResponse, HttpTransport, TransportError,
};
use cloudapi::runtime::{Config, Credentials, RetryPolicy};
use cloudapi::tencentcloud::organization::v20210331::list_users::EXAMPLE_RESPONSE_JSON;
use cloudapi::tencentcloud::organization::v20210331::Client;

mod answers;
mod bounded;
mod custom_transport;
mod rate_limit;
mod samples;
mod soak;

/// A transport that records each request with the (tokio) time it was sent, and answers
/// with the document's example.
#[derive(Debug, Default)]
struct Recorder {
    sent: Mutex<Vec<(tokio::time::Instant, HttpRequest)>>,
}

impl HttpTransport for Recorder {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent
            .lock()
            .unwrap()
            .push((tokio::time::Instant::now(), request));
        Box::pin(async {
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: EXAMPLE_RESPONSE_JSON.as_bytes().to_vec(),
            })
        })
    }
}

/// A ListUsers client over `transport`.
fn client(transport: Arc<Recorder>, rate_limit: bool) -> Client {
    let creds = Credentials::new("AKIDexample", "secret-key").with_token("session-token");
    Client::new(
        Config::builder(creds)
            .endpoint("https://organization.tencentcloudapi.com")
            .region("ap-guangzhou")
            .rate_limit(rate_limit)
            .retry(RetryPolicy::none())
            .transport(transport)
            .build(),
    )
    .unwrap()
}
