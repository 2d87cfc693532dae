//! Server-side signature verification, as the providers verify requests: one
//! implementation per protocol (TC3-HMAC-SHA256, Alibaba Cloud HMAC-SHA1, ACS3-HMAC-SHA256
//! for RPC and ROA), behind [`Verifier`], which adds the replay check.
//!
//! ```
//! use cloudapi_runtime::protocol::verify::Verifier;
//! use cloudapi_runtime::protocol::ReceivedRequest;
//! use cloudapi_runtime::{Credentials, Protocol};
//!
//! let verifier = Verifier::new(Protocol::Tc3, Some("cvm"));
//! let raw = b"POST / HTTP/1.1\r\nHost: cvm.tencentcloudapi.com\r\n\r\n";
//! let request = ReceivedRequest::parse_http1(raw).unwrap();
//! let keys = Credentials::new("AKIDEXAMPLE", "secret");
//! let err = verifier.verify(&request, &keys, 1_551_113_065).unwrap_err();
//! assert_eq!(err.code, "AuthFailure.InvalidAuthorization");
//! ```
//!
//! What is checked, per protocol (the protocol modules hold the details):
//!
//! | | TC3 | HMAC-SHA1 | ACS3 |
//! |---|---|---|---|
//! | signed | method, path, raw query, the `SignedHeaders` (at least `content-type;host`), body, timestamp, scope | method, every parameter (query and form) | method, path, query, the `SignedHeaders` (at least `host`, every `x-acs-*`, `content-type` with a body), body |
//! | window (default) | `X-TC-Timestamp`, 300 s | `Timestamp`, 900 s | `x-acs-date`, 900 s |
//! | scope | date = the timestamp's UTC date; service = the expected one, when set | — | — |
//! | replay | none: TC3 signs no nonce | `SignatureNonce` | `x-acs-signature-nonce` |
//!
//! Errors carry the provider's code, message and HTTP status: `AuthFailure.SignatureFailure`,
//! `AuthFailure.SignatureExpire`, `AuthFailure.SecretIdNotFound`,
//! `AuthFailure.InvalidAuthorization`; `SignatureDoesNotMatch`, `InvalidTimeStamp.Expired`,
//! `InvalidAccessKeyId.NotFound`, `SignatureNonceUsed`, `IncompleteSignature` …

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::protocol::service::Service;
use crate::protocol::Protocol;
use crate::protocol::ProtocolWire as _;

use crate::protocol::{CredentialLookup, ReceivedRequest, Verified, VerifyError, VerifyErrorKind};

/// What a protocol's verification is configured with: the time window and the service a
/// TC3 credential scope must name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    window_secs: i64,
    expected_service: Option<String>,
}

impl VerifyOptions {
    /// The protocol's default window (TC3 300 s, Alibaba Cloud 900 s), any service.
    pub fn new(protocol: Protocol) -> Self {
        VerifyOptions {
            window_secs: protocol.wire_verify().default_window_secs(),
            expected_service: None,
        }
    }
    /// How far the signed time may be from the server's clock, either way, in whole
    /// seconds (the bounds are accepted).
    pub fn window(mut self, window: Duration) -> Self {
        self.window_secs = i64::try_from(window.as_secs()).unwrap_or(i64::MAX);
        self
    }
    /// The service a TC3 credential scope must name (`None`: any, as some SDKs derive it
    /// from the endpoint). Alibaba Cloud signatures have no scope.
    pub fn expected_service(mut self, service: Option<&str>) -> Self {
        self.expected_service = service.map(str::to_owned);
        self
    }
    /// The window, in seconds.
    pub fn window_secs(&self) -> i64 {
        self.window_secs
    }
    /// The service a TC3 credential scope must name, if one is set.
    pub fn expected_service_name(&self) -> Option<&str> {
        self.expected_service.as_deref()
    }
}

/// The nonces of verified requests, until their signed time leaves the window: keyed by a
/// SHA-256 of the access key id and the nonce (so a long nonce costs no more), at most
/// `capacity` of them.
struct NonceCache {
    expiry: HashMap<[u8; 32], i64>,
    by_expiry: BTreeSet<(i64, [u8; 32])>,
    capacity: usize,
}

impl NonceCache {
    fn key(access_key_id: &str, nonce: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update((access_key_id.len() as u64).to_be_bytes());
        h.update(access_key_id.as_bytes());
        h.update(nonce.as_bytes());
        h.finalize().into()
    }

    /// Forgets the nonces whose requests can no longer pass the window at `now`.
    fn purge(&mut self, now: i64) {
        while let Some(&(expires, key)) = self.by_expiry.first() {
            if expires >= now {
                break;
            }
            self.by_expiry.pop_first();
            self.expiry.remove(&key);
        }
    }

    /// Records `nonce`, refused if it is already recorded or the cache is full.
    fn record(
        &mut self,
        access_key_id: &str,
        nonce: &str,
        expires: i64,
        now: i64,
    ) -> Result<(), VerifyError> {
        self.purge(now);
        let key = Self::key(access_key_id, nonce);
        if self.expiry.contains_key(&key) {
            return Err(VerifyError::new(
                VerifyErrorKind::Replayed,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
                400,
            ));
        }
        if self.expiry.len() >= self.capacity {
            return Err(VerifyError::new(
                VerifyErrorKind::Capacity,
                "ServiceUnavailable",
                format!(
                    "The request has failed due to a temporary failure of the server: {} signature nonces are remembered, the most this verifier keeps.",
                    self.capacity
                ),
                503,
            ));
        }
        self.expiry.insert(key, expires);
        self.by_expiry.insert((expires, key));
        Ok(())
    }
}

/// Verifies signed requests of one protocol as its provider does, and refuses a nonce
/// used again within the window.
///
/// The nonce cache is bounded ([`Verifier::DEFAULT_MAX_NONCES`] unless set): a nonce is
/// remembered until its request's signed time leaves the window, and while the cache is
/// full of unexpired nonces a new one is refused (`ServiceUnavailable`, 503) rather than
/// let an older one be replayed.
pub struct Verifier {
    protocol: Protocol,
    options: VerifyOptions,
    nonces: Mutex<NonceCache>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("protocol", &self.protocol)
            .field("options", &self.options)
            .field("remembered_nonces", &self.remembered_nonces())
            .finish()
    }
}

impl Verifier {
    /// How many nonces a verifier remembers unless told otherwise.
    pub const DEFAULT_MAX_NONCES: usize = 100_000;

    /// A verifier for `protocol` with its default window; `service` is the service a TC3
    /// credential scope must name (`None`: any).
    pub fn new(protocol: Protocol, service: Option<&str>) -> Self {
        Verifier {
            protocol,
            options: VerifyOptions::new(protocol).expected_service(service),
            nonces: Mutex::new(NonceCache {
                expiry: HashMap::new(),
                by_expiry: BTreeSet::new(),
                capacity: Self::DEFAULT_MAX_NONCES,
            }),
        }
    }
    /// A verifier for a product version: its protocol, its service as the expected scope.
    pub fn for_service(service: &Service) -> Self {
        Verifier::new(service.protocol, Some(service.service))
    }
    /// How far the signed time may be from `now`, either way (default: TC3 300 s,
    /// Alibaba Cloud 900 s); whole seconds.
    pub fn window(mut self, window: Duration) -> Self {
        self.options = self.options.window(window);
        self
    }
    /// The service a TC3 credential scope must name (`None`: any).
    pub fn expected_service(mut self, service: Option<&str>) -> Self {
        self.options = self.options.expected_service(service);
        self
    }
    /// How many nonces to remember at most.
    pub fn max_nonces(self, max: usize) -> Self {
        self.nonces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .capacity = max;
        self
    }
    /// The protocol verified.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }
    /// The window and the expected service.
    pub fn options(&self) -> &VerifyOptions {
        &self.options
    }
    /// How many nonces are remembered now (expired ones go at the next verification).
    pub fn remembered_nonces(&self) -> usize {
        self.nonces
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .expiry
            .len()
    }

    /// Checks `request` at `now` (Unix seconds): the signature against `keys`, the signed
    /// headers, the scope and the window through the protocol, then the nonce, which is
    /// remembered only when everything else checked out.
    pub fn verify(
        &self,
        request: &ReceivedRequest,
        keys: &dyn CredentialLookup,
        now: i64,
    ) -> Result<Verified, VerifyError> {
        let verified = self
            .protocol
            .wire_verify()
            .verify(request, keys, now, &self.options)?;
        if let Some(nonce) = &verified.nonce {
            let expires = verified
                .timestamp
                .saturating_add(self.options.window_secs());
            self.nonces
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .record(&verified.access_key_id, nonce, expires, now)?;
        }
        Ok(verified)
    }
}

/// The most bytes [`ReceivedRequest::parse_http1`] reads as the request line and headers.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The largest body [`ReceivedRequest::parse_http1`] accepts.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Why a raw HTTP/1.1 request could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpParseError {
    /// The request line and headers do not end with an empty line.
    UnterminatedHead,
    /// The request line and headers are longer than [`MAX_HEAD_BYTES`].
    HeadTooLarge,
    /// The request line and headers are not UTF-8.
    NotUtf8,
    /// The request line is not `METHOD TARGET HTTP/1.x`.
    RequestLine(String),
    /// A header line that is not `Name: value` (1-based line number, counting the
    /// request line).
    Header {
        /// The line number.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A `Content-Length` that is not one number.
    ContentLength(String),
    /// A body larger than [`MAX_BODY_BYTES`].
    BodyTooLarge {
        /// The declared length.
        length: usize,
    },
    /// Fewer bytes after the headers than `Content-Length` declares.
    TruncatedBody {
        /// The declared length.
        expected: usize,
        /// The bytes there are.
        actual: usize,
    },
    /// Bytes after the body (or a body without `Content-Length`).
    TrailingBytes(usize),
    /// A request this reader does not take (`Transfer-Encoding`).
    Unsupported(&'static str),
}

impl fmt::Display for HttpParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpParseError::UnterminatedHead => {
                f.write_str("the request line and headers do not end with an empty line")
            }
            HttpParseError::HeadTooLarge => write!(
                f,
                "the request line and headers are longer than {MAX_HEAD_BYTES} bytes"
            ),
            HttpParseError::NotUtf8 => f.write_str("the request line and headers are not UTF-8"),
            HttpParseError::RequestLine(line) => write!(
                f,
                "the request line {line:?} is not `METHOD TARGET HTTP/1.1`"
            ),
            HttpParseError::Header { line, reason } => {
                write!(f, "header line {line} is not `Name: value`: {reason}")
            }
            HttpParseError::ContentLength(v) => {
                write!(f, "the Content-Length {v:?} is not one number of bytes")
            }
            HttpParseError::BodyTooLarge { length } => write!(
                f,
                "the body of {length} bytes is larger than {MAX_BODY_BYTES} bytes"
            ),
            HttpParseError::TruncatedBody { expected, actual } => write!(
                f,
                "Content-Length declares {expected} bytes of body but {actual} follow the headers"
            ),
            HttpParseError::TrailingBytes(n) => write!(
                f,
                "{n} bytes follow the body that Content-Length declares (none without one)"
            ),
            HttpParseError::Unsupported(what) => write!(f, "{what} is not supported"),
        }
    }
}

impl std::error::Error for HttpParseError {}

/// Whether `s` is an HTTP token (a method or a header name).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl ReceivedRequest {
    /// Reads one raw HTTP/1.x request as a client sent it (a capture): the request line
    /// (origin form `/path?query`, or absolute form `http://host/path?query`, whose
    /// authority becomes `host` when no `Host` header is sent), the headers (UTF-8, names
    /// lowercased, values trimmed) and a body of `Content-Length` bytes. Lines may end
    /// with CRLF or LF; whitespace after the body is ignored. At most
    /// [`MAX_HEAD_BYTES`] of head and [`MAX_BODY_BYTES`] of body; chunked bodies are
    /// refused.
    pub fn parse_http1(bytes: &[u8]) -> Result<ReceivedRequest, HttpParseError> {
        let window = &bytes[..bytes.len().min(MAX_HEAD_BYTES + 4)];
        let (head_len, sep_len) = match (find(window, b"\r\n\r\n"), find(window, b"\n\n")) {
            (Some(a), Some(b)) if b < a => (b, 2),
            (Some(a), _) => (a, 4),
            (None, Some(b)) => (b, 2),
            (None, None) if bytes.len() > MAX_HEAD_BYTES => {
                return Err(HttpParseError::HeadTooLarge)
            }
            (None, None) => return Err(HttpParseError::UnterminatedHead),
        };
        if head_len > MAX_HEAD_BYTES {
            return Err(HttpParseError::HeadTooLarge);
        }
        let head = std::str::from_utf8(&bytes[..head_len]).map_err(|_| HttpParseError::NotUtf8)?;
        let rest = &bytes[head_len + sep_len..];
        let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let request_line = lines.next().unwrap_or("");
        let bad_line = || HttpParseError::RequestLine(request_line.chars().take(200).collect());
        let mut parts = request_line.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad_line());
        };
        if !is_token(method) || !matches!(version, "HTTP/1.1" | "HTTP/1.0") {
            return Err(bad_line());
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        for (i, line) in lines.enumerate() {
            let number = i + 2;
            if line.starts_with([' ', '\t']) {
                return Err(HttpParseError::Header {
                    line: number,
                    reason: "folded header lines are obsolete",
                });
            }
            let Some((name, value)) = line.split_once(':') else {
                return Err(HttpParseError::Header {
                    line: number,
                    reason: "there is no colon",
                });
            };
            if !is_token(name) {
                return Err(HttpParseError::Header {
                    line: number,
                    reason: "the name is not a token",
                });
            }
            headers.push((
                name.to_ascii_lowercase(),
                value.trim_matches([' ', '\t']).to_owned(),
            ));
        }
        if headers.iter().any(|(k, _)| k == "transfer-encoding") {
            return Err(HttpParseError::Unsupported(
                "Transfer-Encoding (send the body with Content-Length)",
            ));
        }
        let mut length: Option<usize> = None;
        for (_, v) in headers.iter().filter(|(k, _)| k == "content-length") {
            let n: usize = v
                .parse()
                .ok()
                .filter(|_| v.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| HttpParseError::ContentLength(v.clone()))?;
            if length.is_some_and(|l| l != n) {
                return Err(HttpParseError::ContentLength(v.clone()));
            }
            length = Some(n);
        }
        let length = length.unwrap_or(0);
        if length > MAX_BODY_BYTES {
            return Err(HttpParseError::BodyTooLarge { length });
        }
        if rest.len() < length {
            return Err(HttpParseError::TruncatedBody {
                expected: length,
                actual: rest.len(),
            });
        }
        let (body, trailing) = rest.split_at(length);
        if !trailing.iter().all(u8::is_ascii_whitespace) {
            return Err(HttpParseError::TrailingBytes(trailing.len()));
        }
        let target = match crate::protocol::split_absolute_target(target) {
            Some((authority, path)) => {
                if authority.is_empty() {
                    return Err(bad_line());
                }
                if !headers.iter().any(|(k, _)| k == "host") {
                    headers.push(("host".to_owned(), authority.to_owned()));
                }
                path
            }
            None if target.starts_with('/') => target.to_owned(),
            None => return Err(bad_line()),
        };
        Ok(ReceivedRequest::from_parts(
            method,
            &target,
            headers,
            body.to_vec(),
        ))
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::config::Config;
    use crate::credentials::Credentials;
    use crate::http::HttpRequest;
    use crate::protocol::layout::Query;
    use crate::protocol::service::Signing;
    use crate::protocol::sign;
    use crate::protocol::testing;
    use crate::protocol::{Body, Payload, RestRequest};

    /// 2019-02-25T16:44:25Z, Tencent Cloud's example time.
    const T: i64 = 1_551_113_065;
    const TC3_DEFAULT: [&str; 2] = sign::tc3::DEFAULT_SIGNED_HEADERS;
    const TC3_WITH_ACTION: [&str; 3] = ["content-type", "host", "x-tc-action"];

    fn creds() -> Credentials {
        Credentials::new("testid", "testsecret")
    }

    /// A signed request as it goes on the wire, HTTP/1.1, with the host it was signed for.
    fn to_http1(req: &HttpRequest) -> Vec<u8> {
        let rest = req
            .url
            .split_once("://")
            .map_or(req.url.as_str(), |(_, r)| r);
        let (authority, target) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let mut head = format!("{} {target} HTTP/1.1\r\nHost: {authority}\r\n", req.method);
        for (k, v) in &req.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Connection: close\r\nContent-Length: {}\r\n\r\n",
            req.body.len()
        ));
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&req.body);
        bytes
    }

    /// The request as a server reads it off the wire.
    fn received(req: &HttpRequest) -> ReceivedRequest {
        ReceivedRequest::parse_http1(&to_http1(req)).expect("a request the client sent")
    }

    fn tc3_service() -> Service {
        testing::service(Protocol::Tc3, Signing::Tc3HmacSha256)
    }

    /// A TC3 POST with a JSON body signed at `at` over `signed`.
    fn tc3_post(signed: &[&str], at: i64) -> ReceivedRequest {
        let config = Config::builder(creds()).build();
        let body = br#"{"Limit":1,"Name":"a b"}"#.to_vec();
        received(
            &testing::sign_tc3_over(&tc3_service(), &config, &Payload::Json(body), at, signed)
                .unwrap(),
        )
    }

    /// A TC3 GET, the parameters in the query.
    fn tc3_get(at: i64) -> ReceivedRequest {
        let config = Config::builder(creds()).build();
        let mut q = Query::default();
        q.push("Filters.0.Name", &"zone a+b/c".to_owned());
        q.push("Limit", &10i64);
        received(&testing::sign(&tc3_service(), &config, &Payload::Query(q), at).unwrap())
    }

    /// An Alibaba Cloud RPC request signed with `signing` at `at`.
    fn rpc(signing: Signing, at: i64) -> ReceivedRequest {
        let service = testing::service(Protocol::Rpc, Signing::HmacSha1);
        let config = Config::builder(creds()).signing(signing).build();
        let mut q = Query::new("ListThings", "2020-07-01");
        q.push("PageSize", &10i64);
        q.push("Name", &"a b*c~".to_owned());
        received(&testing::sign(&service, &config, &Payload::Query(q), at).unwrap())
    }

    /// An Alibaba Cloud ROA request with `body`, signed at `at`.
    fn roa(body: Body, at: i64) -> ReceivedRequest {
        let service = testing::service(Protocol::Roa, Signing::Acs3HmacSha256);
        let config = Config::builder(creds()).build();
        let mut r = RestRequest::new("POST", "/clusters/{ClusterId}/nodes");
        r.path_params.push(("ClusterId", "c 1/x*".into()));
        r.query.push("dryRun", &true);
        r.headers
            .push(("x-acs-resourcegroup-id".into(), "rg-1".into()));
        r.body = body;
        received(&testing::sign(&service, &config, &Payload::Rest(r), at).unwrap())
    }

    fn roa_json(at: i64) -> ReceivedRequest {
        roa(Body::Json(br#"{"name":"n 1","count":2}"#.to_vec()), at)
    }

    fn roa_form(at: i64) -> ReceivedRequest {
        let mut form = Query::default();
        form.push("Name", &"a b&c=d".to_owned());
        roa(Body::Form(form), at)
    }

    fn verifier(protocol: Protocol) -> Verifier {
        Verifier::new(protocol, Some("example"))
    }

    type Refusal = (VerifyErrorKind, &'static str, u16);

    fn check(v: &Verifier, req: &ReceivedRequest, at: i64) -> Result<Verified, Refusal> {
        v.verify(req, &creds(), at)
            .map_err(|e| (e.kind, e.code, e.http_status))
    }

    fn set_header(req: &mut ReceivedRequest, name: &str, value: &str) {
        let h = req.headers.iter_mut().find(|(k, _)| k == name).unwrap();
        h.1 = value.to_owned();
    }

    // ---- published vectors, verified (sign.rs signs them) ----

    #[test]
    fn tencents_published_example_verifies() {
        let payload = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
        let mut raw = format!(
            "POST / HTTP/1.1\r\nHost: cvm.tencentcloudapi.com\r\nContent-Type: application/json; charset=utf-8\r\n\
             X-TC-Action: DescribeInstances\r\nX-TC-Timestamp: 1551113065\r\nX-TC-Version: 2017-03-12\r\n\
             X-TC-Region: ap-guangzhou\r\nAuthorization: TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168\r\n\
             Content-Length: {}\r\n\r\n",
            payload.len()
        )
        .into_bytes();
        raw.extend_from_slice(payload);
        let req = ReceivedRequest::parse_http1(&raw).unwrap();
        let keys = Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        );
        let v = Verifier::new(Protocol::Tc3, Some("cvm"));
        let ok = v.verify(&req, &keys, T).unwrap();
        assert_eq!(
            (
                ok.access_key_id.as_str(),
                ok.signing,
                ok.timestamp,
                ok.nonce
            ),
            (
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                Signing::Tc3HmacSha256,
                T,
                None
            )
        );
        assert_eq!(v.verify(&req, &keys, T + 300).map(|_| ()), Ok(()));
        let e = v.verify(&req, &keys, T + 301).unwrap_err();
        assert_eq!(
            (e.kind, e.code),
            (VerifyErrorKind::Expired, "AuthFailure.SignatureExpire")
        );
        // The organization product refuses a request signed for cvm.
        let e = Verifier::new(Protocol::Tc3, Some("organization"))
            .verify(&req, &keys, T)
            .unwrap_err();
        assert_eq!(
            (e.kind, e.code, e.message.as_str()),
            (
                VerifyErrorKind::Scope,
                "AuthFailure.InvalidAuthorization",
                "The request `Authorization` header does not conform to tencentcloud standards: `Service` in Credential not valid."
            )
        );
    }

    /// The current document's request, signed over `content-type;host;x-tc-action` (its
    /// canonical request hash is checked against the document in `sign.rs`).
    #[test]
    fn tencents_current_example_signed_over_x_tc_action_verifies() {
        let payload = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
        let headers = [
            ("content-type", "application/json; charset=utf-8"),
            ("host", "cvm.tencentcloudapi.com"),
            ("x-tc-action", "DescribeInstances"),
        ];
        let signed = sign::tc3::sign_request(
            &sign::tc3::Request {
                method: "POST",
                path: "/",
                query: "",
                headers: &headers,
                payload,
                service: "cvm",
                timestamp: T,
            },
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        );
        let mut raw = format!(
            "POST / HTTP/1.1\nHost: cvm.tencentcloudapi.com\nContent-Type: application/json; charset=utf-8\n\
             X-TC-Action: DescribeInstances\nX-TC-Timestamp: 1551113065\nX-TC-Version: 2017-03-12\n\
             Authorization: {}\nContent-Length: {}\n\n",
            signed.authorization,
            payload.len()
        )
        .into_bytes();
        raw.extend_from_slice(payload);
        let req = ReceivedRequest::parse_http1(&raw).unwrap();
        let keys = Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        );
        let v = Verifier::new(Protocol::Tc3, Some("cvm"));
        assert_eq!(v.verify(&req, &keys, T).map(|v| v.timestamp), Ok(T));
        let mut other_action = req.clone();
        set_header(&mut other_action, "x-tc-action", "TerminateInstances");
        let e = v.verify(&other_action, &keys, T).unwrap_err();
        assert_eq!(
            (e.kind, e.code),
            (VerifyErrorKind::Mismatch, "AuthFailure.SignatureFailure")
        );
        assert!(e
            .canonical
            .unwrap()
            .contains("\nx-tc-action:terminateinstances\n"));
    }

    #[test]
    fn alibabas_published_hmac_sha1_example_verifies() {
        let raw = b"GET /?AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1\
            &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0\
            &Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D HTTP/1.1\r\n\
            Host: ecs.aliyuncs.com\r\n\r\n";
        let req = ReceivedRequest::parse_http1(raw).unwrap();
        let at = crate::codec::time::parse_iso8601("2016-02-23T12:46:24Z").unwrap();
        let v = Verifier::new(Protocol::Rpc, None);
        let ok = v.verify(&req, &creds(), at).unwrap();
        assert_eq!(
            (ok.signing, ok.timestamp, ok.nonce.as_deref()),
            (
                Signing::HmacSha1,
                at,
                Some("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf")
            )
        );
        let e = v.verify(&req, &creds(), at).unwrap_err();
        assert_eq!(
            (e.kind, e.code, e.message.as_str(), e.http_status),
            (
                VerifyErrorKind::Replayed,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
                400
            )
        );
        let e = Verifier::new(Protocol::Rpc, None)
            .verify(&req, &creds(), at + 901)
            .unwrap_err();
        assert_eq!(
            (e.kind, e.code, e.message.as_str()),
            (
                VerifyErrorKind::Expired,
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired."
            )
        );
    }

    #[test]
    fn alibabas_published_acs3_example_verifies() {
        let raw = b"POST /?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai HTTP/1.1\r\n\
            Host: ecs.cn-shanghai.aliyuncs.com\r\n\
            x-acs-action: RunInstances\r\n\
            x-acs-version: 2014-05-26\r\n\
            x-acs-date: 2023-10-26T10:22:32Z\r\n\
            x-acs-signature-nonce: 3156853299f313e23d1673dc12e1703d\r\n\
            x-acs-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\r\n\
            Authorization: ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0\r\n\r\n";
        let req = ReceivedRequest::parse_http1(raw).unwrap();
        let at = crate::codec::time::parse_iso8601("2023-10-26T10:22:32Z").unwrap();
        let keys = Credentials::new("YourAccessKeyId", "YourAccessKeySecret");
        let v = Verifier::new(Protocol::Rpc, None);
        let ok = v.verify(&req, &keys, at - 900).unwrap();
        assert_eq!(
            (ok.signing, ok.nonce.as_deref()),
            (
                Signing::Acs3HmacSha256,
                Some("3156853299f313e23d1673dc12e1703d")
            )
        );
        assert_eq!(
            v.verify(&req, &keys, at).unwrap_err().code,
            "SignatureNonceUsed"
        );
        let e = Verifier::new(Protocol::Rpc, None)
            .verify(&req, &Credentials::new("YourAccessKeyId", "other"), at)
            .unwrap_err();
        assert_eq!(
            (e.kind, e.code, e.http_status),
            (VerifyErrorKind::Mismatch, "SignatureDoesNotMatch", 400)
        );
        assert!(e.message.starts_with(
            "Specified signature is not matched with our calculation. server string to sign is:POST\\n/\\nImageId="
        ));
        let e = Verifier::new(Protocol::Rpc, None)
            .verify(&req, &Credentials::new("other", "YourAccessKeySecret"), at)
            .unwrap_err();
        assert_eq!(
            (e.kind, e.code, e.http_status),
            (
                VerifyErrorKind::UnknownAccessKey,
                "InvalidAccessKeyId.NotFound",
                404
            )
        );
    }

    // ---- signed headers and scope ----

    #[test]
    fn tc3_honours_the_signed_header_list() {
        let v = || verifier(Protocol::Tc3);
        let with_action = tc3_post(&TC3_WITH_ACTION, T);
        assert!(with_action
            .header("authorization")
            .unwrap()
            .contains(", SignedHeaders=content-type;host;x-tc-action, "));
        assert!(check(&v(), &with_action, T).is_ok());
        let mut other = with_action.clone();
        set_header(&mut other, "x-tc-action", "DeleteThings");
        assert_eq!(
            check(&v(), &other, T).unwrap_err(),
            (
                VerifyErrorKind::Mismatch,
                "AuthFailure.SignatureFailure",
                401
            )
        );
        // Over the default `content-type;host`, the action is not covered (as with
        // Tencent Cloud): the same change passes.
        let mut default = tc3_post(&TC3_DEFAULT, T);
        set_header(&mut default, "x-tc-action", "DeleteThings");
        assert!(check(&v(), &default, T).is_ok());
        // The canonical headers follow the list's order.
        assert!(check(
            &v(),
            &tc3_post(&["host", "x-tc-timestamp", "content-type"], T),
            T
        )
        .is_ok());

        let malformed = Err((
            VerifyErrorKind::Malformed,
            "AuthFailure.InvalidAuthorization",
            401,
        ));
        let without_host = tc3_post(&["content-type", "x-tc-action"], T);
        assert_eq!(check(&v(), &without_host, T).map(|_| ()), malformed);
        let without_type = tc3_post(&["host"], T);
        assert_eq!(check(&v(), &without_type, T).map(|_| ()), malformed);
        for list in [
            "Content-Type;host",
            "content-type;host;host",
            "content-type;;host",
        ] {
            let mut edited = tc3_post(&TC3_DEFAULT, T);
            let auth = edited.header("authorization").unwrap().replace(
                "SignedHeaders=content-type;host,",
                &format!("SignedHeaders={list},"),
            );
            set_header(&mut edited, "authorization", &auth);
            assert_eq!(check(&v(), &edited, T).map(|_| ()), malformed, "{list}");
        }
    }

    #[test]
    fn tc3_checks_the_credential_scope() {
        let config = Config::builder(creds()).build();
        let cvm = Service {
            service: "cvm",
            ..tc3_service()
        };
        let for_cvm =
            received(&testing::sign(&cvm, &config, &Payload::Json(b"{}".to_vec()), T).unwrap());
        assert_eq!(
            check(&verifier(Protocol::Tc3), &for_cvm, T).unwrap_err(),
            (
                VerifyErrorKind::Scope,
                "AuthFailure.InvalidAuthorization",
                401
            )
        );
        let any = Verifier::new(Protocol::Tc3, None);
        assert!(
            check(&any, &for_cvm, T).is_ok(),
            "any service when none is set"
        );
        assert!(check(&any.expected_service(Some("cvm")), &for_cvm, T).is_ok());

        // The scope's date must be the timestamp's.
        let mut next_day = tc3_post(&TC3_DEFAULT, T);
        set_header(&mut next_day, "x-tc-timestamp", &(T + 86_400).to_string());
        let e = verifier(Protocol::Tc3)
            .verify(&next_day, &creds(), T + 86_400)
            .unwrap_err();
        assert_eq!(
            (e.kind, e.code),
            (VerifyErrorKind::Scope, "AuthFailure.SignatureFailure")
        );
        assert!(
            e.message.ends_with("(the credential scope's date 2019-02-25 is not 2019-02-26, the UTC date of X-TC-Timestamp)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn acs3_requires_host_the_acs_headers_and_the_content_type_to_be_signed() {
        let req = roa_json(T);
        assert!(check(&verifier(Protocol::Roa), &req, T).is_ok());
        for name in [
            "host",
            "x-acs-signature-nonce",
            "x-acs-date",
            "content-type",
        ] {
            let mut edited = req.clone();
            let auth = edited.header("authorization").unwrap().to_owned();
            let (head, rest) = auth.split_once("SignedHeaders=").unwrap();
            let (list, tail) = rest.split_once(',').unwrap();
            let list: Vec<&str> = list.split(';').filter(|n| *n != name).collect();
            let auth = format!("{head}SignedHeaders={},{tail}", list.join(";"));
            set_header(&mut edited, "authorization", &auth);
            let e = verifier(Protocol::Roa)
                .verify(&edited, &creds(), T)
                .unwrap_err();
            assert_eq!(
                (e.kind, e.code, e.message),
                (
                    VerifyErrorKind::Malformed,
                    "IncompleteSignature",
                    format!("The request signature does not conform to Aliyun standards: the header {name} is sent but not signed.")
                )
            );
        }
        let mut unsent_nonce = rpc(Signing::HmacSha1, T);
        unsent_nonce.query.retain(|(k, _)| k != "SignatureNonce");
        assert_eq!(
            check(&verifier(Protocol::Rpc), &unsent_nonce, T).unwrap_err(),
            (VerifyErrorKind::Missing, "MissingSignatureNonce", 400)
        );
        let mut bad_time = rpc(Signing::HmacSha1, T);
        bad_time
            .query
            .iter_mut()
            .find(|(k, _)| k == "Timestamp")
            .unwrap()
            .1 = "yesterday".into();
        assert_eq!(
            check(&verifier(Protocol::Rpc), &bad_time, T).unwrap_err(),
            (VerifyErrorKind::Malformed, "InvalidTimeStamp.Format", 400)
        );
        bad_time.query.retain(|(k, _)| k != "Timestamp");
        let e = verifier(Protocol::Rpc)
            .verify(&bad_time, &creds(), T)
            .unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (
                "IllegalTimestamp",
                "The input parameter \"Timestamp\" that is mandatory for processing this request is not supplied."
            )
        );
    }

    // ---- time window ----

    #[test]
    fn the_window_is_inclusive_and_configurable() {
        type Make = fn(i64) -> ReceivedRequest;
        let cases: [(Protocol, Make, i64, &str, u16); 5] = [
            (
                Protocol::Tc3,
                |at| tc3_post(&TC3_DEFAULT, at),
                300,
                "AuthFailure.SignatureExpire",
                401,
            ),
            (
                Protocol::Tc3,
                tc3_get,
                300,
                "AuthFailure.SignatureExpire",
                401,
            ),
            (
                Protocol::Rpc,
                |at| rpc(Signing::HmacSha1, at),
                900,
                "InvalidTimeStamp.Expired",
                400,
            ),
            (
                Protocol::Rpc,
                |at| rpc(Signing::Acs3HmacSha256, at),
                900,
                "InvalidTimeStamp.Expired",
                400,
            ),
            (
                Protocol::Roa,
                roa_json,
                900,
                "InvalidTimeStamp.Expired",
                400,
            ),
        ];
        for (protocol, make, window, code, status) in cases {
            let req = make(T);
            let expired = Err((VerifyErrorKind::Expired, code, status));
            let at = |now: i64| check(&verifier(protocol), &req, now).map(|v| v.timestamp);
            assert_eq!(at(T + window), Ok(T), "{protocol:?}");
            assert_eq!(at(T - window), Ok(T), "{protocol:?}");
            assert_eq!(at(T + window + 1), expired, "{protocol:?}");
            assert_eq!(at(T - window - 1), expired, "{protocol:?}");
            let narrow = || verifier(protocol).window(Duration::from_secs(10));
            assert_eq!(narrow().options().window_secs(), 10);
            assert_eq!(check(&narrow(), &req, T + 10).map(|v| v.timestamp), Ok(T));
            assert_eq!(check(&narrow(), &req, T - 10).map(|v| v.timestamp), Ok(T));
            assert_eq!(check(&narrow(), &req, T + 11).map(|v| v.timestamp), expired);
            assert_eq!(check(&narrow(), &req, T - 11).map(|v| v.timestamp), expired);
        }
        assert_eq!(VerifyOptions::new(Protocol::Tc3).window_secs(), 300);
        assert_eq!(VerifyOptions::new(Protocol::Rpc).window_secs(), 900);
        assert_eq!(VerifyOptions::new(Protocol::Roa).window_secs(), 900);
        // A timestamp far from any clock cannot overflow the comparison.
        let mut far = tc3_post(&TC3_DEFAULT, T);
        set_header(&mut far, "x-tc-timestamp", &i64::MAX.to_string());
        assert_eq!(
            check(&verifier(Protocol::Tc3), &far, i64::MIN)
                .unwrap_err()
                .0,
            VerifyErrorKind::Expired
        );
        set_header(&mut far, "x-tc-timestamp", "-1551113065");
        assert_eq!(
            check(&verifier(Protocol::Tc3), &far, T).unwrap_err().0,
            VerifyErrorKind::Malformed
        );
    }

    // ---- nonces ----

    /// `req` (HMAC-SHA1) with its `Timestamp` moved to `ts`, signed again: the same nonce.
    fn resigned(req: &ReceivedRequest, ts: i64) -> ReceivedRequest {
        let mut r = req.clone();
        r.query.retain(|(k, _)| k != "Signature");
        r.query
            .iter_mut()
            .find(|(k, _)| k == "Timestamp")
            .unwrap()
            .1 = crate::codec::time::iso8601(ts);
        let sts = sign::rpc::string_to_sign(&r.method, &r.params());
        r.query.push((
            "Signature".into(),
            sign::rpc::signature(&sts, creds().secret()),
        ));
        r
    }

    #[test]
    fn a_nonce_is_refused_within_the_window_and_accepted_after_it() {
        let v = verifier(Protocol::Rpc);
        let used = Err((VerifyErrorKind::Replayed, "SignatureNonceUsed", 400));
        let first = rpc(Signing::HmacSha1, T);
        let nonce = first.param("SignatureNonce").unwrap().to_owned();
        assert_eq!(check(&v, &first, T).unwrap().nonce, Some(nonce.clone()));
        assert_eq!(check(&v, &first, T + 1).map(|_| ()), used);
        // While the first request can still pass the window, its nonce stays used...
        let later = resigned(&first, T + 900);
        assert_eq!(later.param("SignatureNonce"), Some(nonce.as_str()));
        assert_eq!(check(&v, &later, T + 900).map(|_| ()), used);
        // ... and once it cannot, the nonce may come again.
        let after = resigned(&first, T + 901);
        assert!(check(&v, &after, T + 901).is_ok());
        assert_eq!(check(&v, &after, T + 901).map(|_| ()), used);
        // A refused request does not use its nonce up.
        let fresh = rpc(Signing::HmacSha1, T);
        let mut forged = fresh.clone();
        forged
            .query
            .iter_mut()
            .find(|(k, _)| k == "PageSize")
            .unwrap()
            .1 = "11".into();
        assert_eq!(
            check(&v, &forged, T).unwrap_err().0,
            VerifyErrorKind::Mismatch
        );
        assert!(check(&v, &fresh, T).is_ok());

        for (protocol, req) in [
            (Protocol::Rpc, rpc(Signing::Acs3HmacSha256, T)),
            (Protocol::Roa, roa_form(T)),
        ] {
            let v = verifier(protocol);
            assert!(check(&v, &req, T).is_ok(), "{protocol:?}");
            assert_eq!(check(&v, &req, T).map(|_| ()), used, "{protocol:?}");
            assert_eq!(v.remembered_nonces(), 1);
        }
        // TC3 signs no nonce: a request verifies as often as it is sent within the window.
        let v = verifier(Protocol::Tc3);
        let req = tc3_post(&TC3_DEFAULT, T);
        assert_eq!(check(&v, &req, T).unwrap().nonce, None);
        assert!(check(&v, &req, T).is_ok());
        assert_eq!(v.remembered_nonces(), 0);
    }

    #[test]
    fn the_nonce_cache_is_bounded_and_refuses_rather_than_forgets() {
        let v = verifier(Protocol::Rpc).max_nonces(2);
        assert!(check(&v, &rpc(Signing::HmacSha1, T), T).is_ok());
        assert!(check(&v, &rpc(Signing::HmacSha1, T), T).is_ok());
        assert_eq!(
            check(&v, &rpc(Signing::HmacSha1, T), T).map(|_| ()),
            Err((VerifyErrorKind::Capacity, "ServiceUnavailable", 503))
        );
        assert_eq!(v.remembered_nonces(), 2);
        assert!(check(&v, &rpc(Signing::HmacSha1, T + 901), T + 901).is_ok());
        assert_eq!(v.remembered_nonces(), 1, "the expired ones are gone");
        assert!(format!("{v:?}").contains("remembered_nonces: 1"));
    }

    // ---- every one-byte change of a signed part is refused ----

    /// A part of a request a signature covers.
    #[derive(Debug, Clone, PartialEq)]
    enum Part {
        Method,
        Path,
        RawQuery,
        QueryName(usize),
        QueryValue(usize),
        Header(&'static str),
        Body,
    }

    fn text<'a>(req: &'a mut ReceivedRequest, part: &Part) -> Option<&'a mut String> {
        Some(match part {
            Part::Method => &mut req.method,
            Part::Path => &mut req.path,
            Part::RawQuery => &mut req.raw_query,
            Part::QueryName(i) => &mut req.query[*i].0,
            Part::QueryValue(i) => &mut req.query[*i].1,
            Part::Header(name) => &mut req.headers.iter_mut().find(|(k, _)| k == name)?.1,
            Part::Body => return None,
        })
    }

    /// Flips each bit of each byte of each part (text stays UTF-8: invalid results are
    /// skipped) and expects a refusal, except where `equivalent` says the change is not
    /// one to what the protocol signs. Returns how many variants were tried.
    fn every_flip_is_refused(
        protocol: Protocol,
        req: &ReceivedRequest,
        parts: &[Part],
        equivalent: impl Fn(&Part, u8, u8) -> bool,
    ) -> usize {
        assert!(
            check(&verifier(protocol), req, T).is_ok(),
            "{protocol:?} untouched"
        );
        let mut tried = 0;
        for part in parts {
            let len = {
                let mut r = req.clone();
                match text(&mut r, part) {
                    Some(s) => s.len(),
                    None => r.body.len(),
                }
            };
            assert!(len > 0, "{protocol:?} {part:?} is empty");
            for i in 0..len {
                for bit in 0..8 {
                    let mut r = req.clone();
                    let (before, after) = match text(&mut r, part) {
                        Some(s) => {
                            let mut bytes = std::mem::take(s).into_bytes();
                            let before = bytes[i];
                            bytes[i] ^= 1 << bit;
                            let after = bytes[i];
                            match String::from_utf8(bytes) {
                                Ok(t) => *s = t,
                                Err(_) => continue,
                            }
                            (before, after)
                        }
                        None => {
                            let before = r.body[i];
                            r.body[i] ^= 1 << bit;
                            (before, r.body[i])
                        }
                    };
                    tried += 1;
                    // A fresh verifier each time: a remembered nonce must not be what refuses it.
                    let got = check(&verifier(protocol), &r, T);
                    if equivalent(part, before, after) {
                        assert!(
                            got.is_ok(),
                            "{protocol:?} {part:?}[{i}] {before:#x}->{after:#x}: {got:?}"
                        );
                    } else {
                        assert!(
                            got.is_err(),
                            "{protocol:?} {part:?}[{i}] {before:#x}->{after:#x} was accepted"
                        );
                    }
                }
            }
        }
        tried
    }

    fn query_parts(req: &ReceivedRequest) -> Vec<Part> {
        (0..req.query.len())
            .flat_map(|i| [Part::QueryName(i), Part::QueryValue(i)])
            .collect()
    }

    fn signed_header_parts(req: &ReceivedRequest) -> Vec<Part> {
        let auth = req.header("authorization").unwrap();
        let list = auth
            .split("SignedHeaders=")
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap();
        let mut parts: Vec<Part> = list
            .split(';')
            .map(|n| Part::Header(Box::leak(n.to_owned().into_boxed_str())))
            .collect();
        parts.push(Part::Header("authorization"));
        parts
    }

    #[test]
    fn every_one_byte_change_to_a_signed_part_of_a_tc3_request_is_refused() {
        // TC3 lowercases signed header values (Tencent Cloud's document:
        // `x-tc-action:describeinstances`), so a change of case there is no change.
        let case_only = |part: &Part, before: u8, after: u8| {
            matches!(part, Part::Header(name) if *name != "authorization")
                && before.is_ascii_alphabetic()
                && before.eq_ignore_ascii_case(&after)
        };
        let mut tried = 0;
        for signed in [&TC3_DEFAULT[..], &TC3_WITH_ACTION[..]] {
            let req = tc3_post(signed, T);
            let mut parts = vec![
                Part::Method,
                Part::Path,
                Part::Body,
                Part::Header("x-tc-timestamp"),
            ];
            parts.extend(signed_header_parts(&req));
            tried += every_flip_is_refused(Protocol::Tc3, &req, &parts, case_only);
        }
        let get = tc3_get(T);
        let mut parts = vec![
            Part::Method,
            Part::Path,
            Part::RawQuery,
            Part::Header("x-tc-timestamp"),
        ];
        parts.extend(signed_header_parts(&get));
        tried += every_flip_is_refused(Protocol::Tc3, &get, &parts, case_only);
        assert!(tried > 5_000, "{tried}");
    }

    #[test]
    fn every_one_byte_change_to_a_signed_part_of_an_hmac_sha1_request_is_refused() {
        // HMAC-SHA1 signs the method and every parameter (nonce, timestamp and signature
        // among them); the path is not part of its string to sign.
        let req = rpc(Signing::HmacSha1, T);
        let mut parts = vec![Part::Method];
        parts.extend(query_parts(&req));
        let names: Vec<&str> = req.query.iter().map(|(k, _)| k.as_str()).collect();
        for name in [
            "SignatureNonce",
            "Timestamp",
            "Signature",
            "AccessKeyId",
            "Name",
        ] {
            assert!(names.contains(&name), "{name}");
        }
        let tried = every_flip_is_refused(Protocol::Rpc, &req, &parts, |_, _, _| false);
        assert!(tried > 1_000, "{tried}");
    }

    #[test]
    fn every_one_byte_change_to_a_signed_part_of_an_acs3_request_is_refused() {
        let mut tried = 0;
        for (protocol, req) in [
            (Protocol::Rpc, rpc(Signing::Acs3HmacSha256, T)),
            (Protocol::Roa, roa_json(T)),
            (Protocol::Roa, roa_form(T)),
        ] {
            let mut parts = vec![Part::Method, Part::Path];
            parts.extend(query_parts(&req));
            parts.extend(signed_header_parts(&req));
            if !req.body.is_empty() {
                parts.push(Part::Body);
            }
            assert!(parts.contains(&Part::Header("x-acs-signature-nonce")));
            assert!(parts.contains(&Part::Header("x-acs-date")));
            tried += every_flip_is_refused(protocol, &req, &parts, |_, _, _| false);
        }
        assert!(tried > 5_000, "{tried}");
    }

    // ---- raw HTTP/1.1 ----

    #[test]
    fn raw_requests_parse_as_a_server_reads_them() {
        let req = rpc(Signing::HmacSha1, T);
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/");
        assert_eq!(req.header("host"), Some("127.0.0.1:8080"));
        assert_eq!(req.header("content-length"), Some("0"));
        assert!(req.raw_query.contains("Name=a%20b%2Ac~"));
        assert_eq!(req.param("Name"), Some("a b*c~"));

        let form = roa_form(T);
        assert_eq!(form.form, vec![("Name".to_owned(), "a b&c=d".to_owned())]);
        assert_eq!(form.path, "/clusters/c%201%2Fx%2A/nodes");

        let absolute = ReceivedRequest::parse_http1(
            b"GET http://api.example.com:8080?a=1%202 HTTP/1.0\nX-Thing:  v  \n\n\r\n",
        )
        .unwrap();
        assert_eq!(
            (absolute.path.as_str(), absolute.raw_query.as_str()),
            ("/", "a=1%202")
        );
        assert_eq!(absolute.query, vec![("a".to_owned(), "1 2".to_owned())]);
        assert_eq!(absolute.header("host"), Some("api.example.com:8080"));
        assert_eq!(absolute.header("x-thing"), Some("v"));

        let body =
            ReceivedRequest::parse_http1(b"PUT /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc\r\n")
                .unwrap();
        assert_eq!(body.body, b"abc");
    }

    #[test]
    fn malformed_raw_requests_are_typed_errors() {
        use HttpParseError as E;
        let parse = |b: &[u8]| ReceivedRequest::parse_http1(b).unwrap_err();
        assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: x\r\n"), E::UnterminatedHead);
        assert_eq!(
            parse(b"GET / HTTP/2\r\n\r\n"),
            E::RequestLine("GET / HTTP/2".into())
        );
        assert_eq!(
            parse(b"GET  / HTTP/1.1\r\n\r\n"),
            E::RequestLine("GET  / HTTP/1.1".into())
        );
        assert_eq!(
            parse(b"GET x HTTP/1.1\r\n\r\n"),
            E::RequestLine("GET x HTTP/1.1".into())
        );
        assert_eq!(
            parse(b"GET / HTTP/1.1\r\nHost x\r\n\r\n"),
            E::Header {
                line: 2,
                reason: "there is no colon"
            }
        );
        assert_eq!(
            parse(b"GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n"),
            E::Header {
                line: 3,
                reason: "folded header lines are obsolete"
            }
        );
        assert_eq!(
            parse(b"GET / HTTP/1.1\r\nBad Name: b\r\n\r\n"),
            E::Header {
                line: 2,
                reason: "the name is not a token"
            }
        );
        assert_eq!(parse(b"GET / HTTP/1.1\r\nA: \xff\r\n\r\n"), E::NotUtf8);
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            E::Unsupported("Transfer-Encoding (send the body with Content-Length)")
        );
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc"),
            E::ContentLength("+3".into())
        );
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
            E::ContentLength("4".into())
        );
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabc"),
            E::TruncatedBody {
                expected: 5,
                actual: 3
            }
        );
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nabc"),
            E::TrailingBytes(2)
        );
        assert_eq!(parse(b"POST / HTTP/1.1\r\n\r\nabc"), E::TrailingBytes(3));
        assert_eq!(
            parse(b"POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n"),
            E::BodyTooLarge {
                length: 999_999_999_999
            }
        );
        let mut huge = b"GET / HTTP/1.1\r\nX: ".to_vec();
        huge.resize(MAX_HEAD_BYTES + 10, b'a');
        assert_eq!(parse(&huge), E::HeadTooLarge);
        huge.extend_from_slice(b"\r\n\r\n");
        assert_eq!(parse(&huge), E::HeadTooLarge);
        assert_eq!(
            E::TruncatedBody {
                expected: 5,
                actual: 3
            }
            .to_string(),
            "Content-Length declares 5 bytes of body but 3 follow the headers"
        );
    }

    /// The stub server verifies with a [`Verifier`] at its own clock.
    #[cfg(feature = "stub-server")]
    mod stub {
        use super::*;
        use crate::server::{Handler, Outcome, Reply, StubBuilder};
        use crate::validate::{Messages, Validator};
        use std::sync::Arc;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        /// Sends raw bytes; the status and the body of the answer.
        async fn send(addr: std::net::SocketAddr, raw: &[u8]) -> (u16, String) {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(raw).await.unwrap();
            let mut out = Vec::new();
            s.read_to_end(&mut out).await.unwrap();
            let text = String::from_utf8_lossy(&out).into_owned();
            let status = text[9..12].parse().unwrap();
            let body = text.split_once("\r\n\r\n").unwrap().1.to_owned();
            (status, body)
        }

        fn ok() -> Handler {
            Arc::new(|_| Outcome::Reply(Reply::Ok(serde_json::json!({"Ok": true}))))
        }

        #[tokio::test]
        async fn a_stub_on_a_fixed_clock_verifies_a_captured_request_once() {
            let service = testing::service(Protocol::Rpc, Signing::HmacSha1);
            let config = Config::builder(creds()).build();
            let mut q = Query::new("ListThings", "2020-07-01");
            q.push("PageSize", &10i64);
            let captured =
                to_http1(&testing::sign(&service, &config, &Payload::Query(q), T).unwrap());

            let stub = StubBuilder::new(service, creds())
                .handler("ListThings", ok())
                .fixed_clock(T + 60)
                .start()
                .await
                .unwrap();
            let (status, body) = send(stub.addr(), &captured).await;
            assert_eq!(status, 200, "{body}");
            let (status, body) = send(stub.addr(), &captured).await;
            assert_eq!(status, 400);
            assert!(body.contains("\"Code\":\"SignatureNonceUsed\""), "{body}");
            assert!(
                body.contains("Specified signature nonce was used already."),
                "{body}"
            );
            assert_eq!(stub.received().len(), 1);

            // On the system clock the capture has expired; a skewed clock brings it back.
            let live = StubBuilder::new(service, creds())
                .handler("ListThings", ok())
                .start()
                .await
                .unwrap();
            let (status, body) = send(live.addr(), &captured).await;
            assert_eq!(status, 400);
            assert!(
                body.contains("\"Code\":\"InvalidTimeStamp.Expired\""),
                "{body}"
            );
            let skewed = StubBuilder::new(service, creds())
                .handler("ListThings", ok())
                .clock_skew(T - crate::codec::time::now())
                .signature_window(Duration::from_secs(120))
                .start()
                .await
                .unwrap();
            let (status, body) = send(skewed.addr(), &captured).await;
            assert_eq!(status, 200, "{body}");
        }

        #[tokio::test]
        async fn a_tc3_stub_refuses_a_request_signed_for_another_service() {
            let config = Config::builder(creds()).build();
            let cvm = Service {
                service: "cvm",
                ..tc3_service()
            };
            let captured =
                to_http1(&testing::sign(&cvm, &config, &Payload::Json(b"{}".to_vec()), T).unwrap());
            let stub = StubBuilder::new(tc3_service(), creds())
                .handler("ListThings", ok())
                .fixed_clock(T)
                .start()
                .await
                .unwrap();
            let (status, body) = send(stub.addr(), &captured).await;
            assert_eq!(status, 200, "Tencent Cloud answers errors with 200");
            assert!(
                body.contains("`Service` in Credential not valid."),
                "{body}"
            );
            let any = StubBuilder::new(tc3_service(), creds())
                .handler("ListThings", ok())
                .fixed_clock(T)
                .signing_service(None)
                .start()
                .await
                .unwrap();
            let (_, body) = send(any.addr(), &captured).await;
            assert!(body.contains("\"Ok\":true"), "{body}");
        }

        #[test]
        fn the_stub_leaves_advisory_cross_field_rules_to_the_client() {
            static MESSAGES: Messages = Messages::DEFAULT;
            let conflict =
                |v: &mut Validator| v.conflicts(&[("Offset", true), ("NextToken", true)]);
            let mut v = Validator::new("ListUsers", &MESSAGES);
            conflict(&mut v);
            v.requires("Marker", true, "Limit", false);
            let only_rules = v.finish();
            assert!(only_rules.is_err());
            let advisory = ["Offset", "Marker"];
            assert_eq!(
                Outcome::check(Protocol::Tc3, only_rules.clone(), &[], &advisory),
                Ok(())
            );
            // A rule the provider enforces (not advisory) is refused like any other.
            match Outcome::check(Protocol::Tc3, only_rules, &[], &["Marker"]) {
                Err(Outcome::Reply(Reply::Error { message, .. })) => {
                    assert!(message.contains("Offset"), "{message}")
                }
                other => panic!("{other:?}"),
            }

            let mut v = Validator::new("ListUsers", &MESSAGES);
            conflict(&mut v);
            v.range("Limit", Some(100), Some(1), Some(50));
            let e = v.finish().unwrap_err();
            let expected = Outcome::Reply(Reply::Error {
                code: "LimitExceeded".into(),
                message: "The parameter Limit must be less than or equal to 50.".into(),
                http_status: 400,
            });
            assert_eq!(
                Outcome::check(
                    Protocol::Tc3,
                    Err(e.clone()),
                    &[("maximum", "LimitExceeded")],
                    &advisory
                ),
                Err(expected)
            );
            assert_eq!(Outcome::check(Protocol::Tc3, Ok(()), &[], &[]), Ok(()));
        }
    }
}
