//! The HTTP transport behind a trait, so users can bring their own; `reqwest` (rustls) by default.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A request ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full URL, query string included.
    pub url: String,
    /// Headers to send (`Host` is derived from the URL by the transport).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// Headers as received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a status, a `Content-Type` and a body.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        HttpResponse {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body,
        }
    }

    /// A header's value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a request did not get a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS): safe to retry.
    Connect,
    /// The transport's own timeout fired.
    Timeout,
    /// Anything else (the connection broke before a response, a bad URL, ...).
    Other,
    /// The connection broke while the response body was being read (reset, closed
    /// early): the request reached the server. Retried when the retry policy retries
    /// timeouts ([`RetryPolicy::retry_timeouts`](crate::RetryPolicy::retry_timeouts)).
    Interrupted,
    /// The response body is larger than the configured limit
    /// ([`ConfigBuilder::max_response_bytes`](crate::ConfigBuilder::max_response_bytes));
    /// it was not read beyond the limit. Never retried.
    BodyTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

/// A failure to exchange a request and a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// The underlying error's message.
    pub message: String,
}

impl TransportError {
    /// A response body larger than `limit` bytes; `declared` is its `Content-Length`,
    /// when that is what gave it away.
    pub fn body_too_large(limit: u64, declared: Option<u64>) -> Self {
        let message = match declared {
            Some(n) => format!(
                "the response body of {n} bytes (Content-Length) exceeds the limit of {limit} bytes"
            ),
            None => format!("the response body exceeds the limit of {limit} bytes"),
        };
        TransportError {
            kind: TransportErrorKind::BodyTooLarge { limit },
            message,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error ({:?}): {}", self.kind, self.message)
    }
}

impl std::error::Error for TransportError {}

/// A boxed future, as transports return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An error's message and its sources', joined with `: ` (reqwest's own message alone
/// does not say that the connection was reset).
fn causes(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

/// The default limit of a response body, 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 << 20;

/// Sends one HTTP request. Implement it to bring your own HTTP stack.
///
/// A transport reads the whole response body within `send`, so the client's request
/// timeout covers it, and should stop reading past its size limit with
/// [`TransportError::body_too_large`] (the client refuses a larger body it is handed
/// all the same, once buffered).
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends `request`; the client applies the overall request timeout around this call.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// The default transport: `reqwest` with rustls. It reads a response body as it arrives
/// and stops at its limit ([`DEFAULT_MAX_RESPONSE_BYTES`] unless set): a body whose
/// `Content-Length` is over the limit is refused before any of it is read.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_response_bytes: u64,
}

impl ReqwestTransport {
    /// A transport with a connect timeout and the default body limit.
    pub fn new(connect_timeout: Duration) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .build()
            .map_err(|e| TransportError {
                kind: TransportErrorKind::Other,
                message: e.to_string(),
            })?;
        Ok(ReqwestTransport::from_client(client))
    }

    /// Wraps a configured `reqwest::Client`, with the default body limit.
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The largest response body read, in bytes.
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }
}

impl HttpTransport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| {
                TransportError {
                    kind: TransportErrorKind::Other,
                    message: e.to_string(),
                }
            })?;
            let mut builder = self.client.request(method, &request.url);
            for (k, v) in &request.headers {
                builder = builder.header(k.as_str(), v.as_str());
            }
            let classify = |e: reqwest::Error| {
                let kind = if e.is_connect() {
                    TransportErrorKind::Connect
                } else if e.is_timeout() {
                    TransportErrorKind::Timeout
                } else {
                    TransportErrorKind::Other
                };
                // reqwest's message never holds headers, so no secret can leak here.
                TransportError {
                    kind,
                    message: e.to_string(),
                }
            };
            let mut resp = builder.body(request.body).send().await.map_err(classify)?;
            let status = resp.status().as_u16();
            let headers = resp
                .headers()
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let limit = self.max_response_bytes;
            let declared = resp.content_length();
            if let Some(n) = declared.filter(|n| *n > limit) {
                return Err(TransportError::body_too_large(limit, Some(n)));
            }
            // What the headers promise, up to the limit, but never a large allocation
            // on their word alone.
            let capacity = declared.unwrap_or(0).min(limit).min(1 << 20);
            let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
            loop {
                let chunk = match resp.chunk().await {
                    Ok(Some(chunk)) => chunk,
                    Ok(None) => break,
                    Err(e) => {
                        return Err(TransportError {
                            kind: if e.is_timeout() {
                                TransportErrorKind::Timeout
                            } else {
                                TransportErrorKind::Interrupted
                            },
                            message: format!("reading the response body: {}", causes(&e)),
                        })
                    }
                };
                if (body.len() + chunk.len()) as u64 > limit {
                    return Err(TransportError::body_too_large(limit, None));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}
