//! The client core every generated `Client` wraps: configuration, signing, dispatch
//! with timeouts, retries with backoff and jitter, client-side rate limiting, and the
//! typed [`SdkError`]. Its dispatch loop is not generic over the action, so each
//! generated method adds only a thin typed wrapper.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::credentials::Credentials;
use super::error::{DecodeError, ErrorMetadata};
use super::http::{HttpRequest, HttpResponse, HttpTransport, ReqwestTransport, TransportError, TransportErrorKind};
use super::sign;
use super::validate::ValidationError;
use super::wire::Query;
use super::{Protocol, ServiceError};

/// How a product version signs requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Signing {
    /// Alibaba Cloud RPC, HMAC-SHA1 (SignatureVersion 1.0).
    HmacSha1,
    /// Alibaba Cloud V3, ACS3-HMAC-SHA256.
    Acs3HmacSha256,
    /// Tencent Cloud API 3.0, TC3-HMAC-SHA256.
    Tc3HmacSha256,
}

/// What a generated product version module tells the client about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// Request layout and response envelope.
    pub protocol: Protocol,
    /// The spec's signature algorithm.
    pub signing: Signing,
    /// The API version.
    pub version: &'static str,
    /// The default endpoint host.
    pub endpoint: &'static str,
    /// The service name (credential scope).
    pub service: &'static str,
    /// The default region, if any.
    pub default_region: Option<&'static str>,
}

/// One action, as the client needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The action name.
    pub action: &'static str,
    /// The documented rate limit, enforced when [`ConfigBuilder::rate_limit`] is on.
    pub requests_per_second: Option<u32>,
}

/// Alibaba Cloud RPC response format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// JSON (`Format=JSON`).
    #[default]
    Json,
    /// XML (`Format=XML`).
    Xml,
}

/// Bounded attempts with exponential backoff and full jitter.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: u32,
    /// The backoff before the second attempt; doubled for each further attempt.
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
    /// Whether a request that timed out is retried (safe for the read-only actions here).
    pub retry_timeouts: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: 3, initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_secs(5), retry_timeouts: true }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::default() }
    }

    /// The delay before attempt `attempt + 1`: a random duration up to the capped exponential backoff.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }
}

/// Client configuration. Build it with [`Config::builder`].
#[derive(Clone)]
pub struct Config {
    credentials: Credentials,
    endpoint: Option<String>,
    region: Option<String>,
    language: Option<String>,
    request_timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    rate_limit: bool,
    format: Format,
    signing: Option<Signing>,
    transport: Option<Arc<dyn HttpTransport>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder with the given credentials and defaults: the spec's endpoint over HTTPS,
    /// 30 s request timeout, 5 s connect timeout, 3 attempts, no client-side rate limit.
    pub fn builder(credentials: Credentials) -> ConfigBuilder {
        ConfigBuilder(Config {
            credentials,
            endpoint: None,
            region: None,
            language: None,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            rate_limit: false,
            format: Format::Json,
            signing: None,
            transport: None,
        })
    }
    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
}

/// Builds a [`Config`].
#[derive(Debug, Clone)]
pub struct ConfigBuilder(Config);

impl ConfigBuilder {
    /// Overrides the endpoint: `https://ccc.cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:8080`, or a bare host (HTTPS).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.0.endpoint = Some(endpoint.into());
        self
    }
    /// The region (`X-TC-Region`, Alibaba's `RegionId`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.0.region = Some(region.into());
        self
    }
    /// Tencent Cloud's `X-TC-Language` (`zh-CN`, `en-US`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.0.language = Some(language.into());
        self
    }
    /// The timeout of one attempt, from sending to the last byte of the response.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.0.request_timeout = timeout;
        self
    }
    /// The connect timeout of the default transport.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.0.connect_timeout = timeout;
        self
    }
    /// The retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.0.retry = policy;
        self
    }
    /// Enforces each action's documented rate limit on the client side.
    pub fn rate_limit(mut self, enabled: bool) -> Self {
        self.0.rate_limit = enabled;
        self
    }
    /// Alibaba Cloud RPC: ask for JSON (default) or XML responses.
    pub fn format(mut self, format: Format) -> Self {
        self.0.format = format;
        self
    }
    /// Overrides the spec's signature algorithm (Alibaba Cloud RPC: HMAC-SHA1 or ACS3).
    pub fn signing(mut self, signing: Signing) -> Self {
        self.0.signing = Some(signing);
        self
    }
    /// Brings your own HTTP transport.
    pub fn transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.0.transport = Some(transport);
        self
    }
    /// The configuration.
    pub fn build(self) -> Config {
        self.0
    }
}

/// A request that timed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    /// The timeout that elapsed.
    pub timeout: Duration,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no response within {:?}", self.timeout)
    }
}

impl std::error::Error for TimeoutError {}

/// A response that is neither a success the model can decode nor a provider error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseError {
    /// The HTTP status.
    pub status: u16,
    /// What failed to decode (with the field path and the raw body).
    pub decode: DecodeError,
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}: {}", self.status, self.decode)
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.decode)
    }
}

/// Every way a call can fail; `E` is the action's service error enum.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request broke a documented constraint and was not sent.
    Construction(ValidationError),
    /// The request could not be sent or the connection broke.
    Dispatch(TransportError),
    /// No response within the request timeout.
    Timeout(TimeoutError),
    /// A response that could not be decoded (field path and raw body kept).
    Response(ResponseError),
    /// The provider answered with an error.
    Service(E),
}

impl<E: ServiceError> SdkError<E> {
    /// The service error, if the provider answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }
    /// The provider's request id, when the provider answered.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().and_then(|e| e.meta().request_id())
    }
}

impl<E> From<ValidationError> for SdkError<E> {
    fn from(e: ValidationError) -> Self {
        SdkError::Construction(e)
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Construction(e) => write!(f, "{e}"),
            SdkError::Dispatch(e) => write!(f, "{e}"),
            SdkError::Timeout(e) => write!(f, "{e}"),
            SdkError::Response(e) => write!(f, "undecodable response: {e}"),
            SdkError::Service(e) => write!(f, "service error: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Construction(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e),
        }
    }
}

/// The non-generic outcome of one call.
enum Failure {
    Dispatch(TransportError),
    Timeout(TimeoutError),
    Service(ErrorMetadata),
    Http(HttpResponse),
}

/// A token bucket per action: `rps` tokens a second, bursts of up to `rps`.
#[derive(Debug, Default)]
struct RateLimiter {
    buckets: Mutex<HashMap<&'static str, (f64, Instant)>>,
}

impl RateLimiter {
    /// How long to wait before sending, having taken a token.
    fn reserve(&self, action: &'static str, rps: u32) -> Duration {
        let rps = f64::from(rps.max(1));
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets.entry(action).or_insert((rps, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rps).min(rps);
        *last = now;
        *tokens -= 1.0;
        if *tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-*tokens / rps)
        }
    }
}

/// The shared client: cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    service: Service,
    base_url: String,
    host: String,
    transport: Arc<dyn HttpTransport>,
    limiter: RateLimiter,
}

impl Client {
    /// A client for one product version.
    pub fn new(config: Config, service: Service) -> Result<Self, TransportError> {
        let base_url = match &config.endpoint {
            Some(e) if e.contains("://") => e.trim_end_matches('/').to_owned(),
            Some(e) => format!("https://{}", e.trim_end_matches('/')),
            None => format!("https://{}", service.endpoint),
        };
        let host = base_url.split_once("://").map_or(base_url.as_str(), |(_, h)| h).split('/').next().unwrap_or_default().to_owned();
        let transport: Arc<dyn HttpTransport> = match &config.transport {
            Some(t) => t.clone(),
            None => Arc::new(ReqwestTransport::new(config.connect_timeout)?),
        };
        Ok(Client { inner: Arc::new(Inner { config, service, base_url, host, transport, limiter: RateLimiter::default() }) })
    }

    /// A client with the default configuration and credentials from the provider's
    /// environment variables. (Placeholder until the protocol modules own this.)
    pub fn from_env(service: Service) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        let credentials = match service.protocol {
            Protocol::Rpc => Credentials::from_env_aliyun()?,
            Protocol::Tc3 => Credentials::from_env_tencentcloud()?,
        };
        Ok(Self::new(Config::builder(credentials).build(), service)?)
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls an action: `payload` is the JSON body (Tencent) or the query (Alibaba).
    pub async fn call<T: DeserializeOwned, E: ServiceError>(&self, op: &Operation, payload: Payload) -> Result<T, SdkError<E>> {
        let retryable: fn(&ErrorMetadata) -> bool = |m| E::from_metadata(m.clone()).is_retryable();
        let resp = match self.execute(op, &payload, retryable).await {
            Ok(resp) => resp,
            Err(Failure::Dispatch(e)) => return Err(SdkError::Dispatch(e)),
            Err(Failure::Timeout(e)) => return Err(SdkError::Timeout(e)),
            Err(Failure::Service(m)) => return Err(SdkError::Service(E::from_metadata(m))),
            Err(Failure::Http(resp)) => {
                let decode = DecodeError::new(".", format!("HTTP {} without a provider error body", resp.status), &resp.body);
                return Err(SdkError::Response(ResponseError { status: resp.status, decode }));
            }
        };
        let decoded = match (self.inner.service.protocol, self.inner.config.format) {
            (Protocol::Rpc, Format::Xml) => super::wire::decode_xml(&format!("{}Response", op.action), &resp.body),
            (protocol, _) => super::wire::decode_json(protocol, &resp.body),
        };
        decoded.map_err(|decode| SdkError::Response(ResponseError { status: resp.status, decode }))
    }

    async fn execute(&self, op: &Operation, payload: &Payload, retryable: fn(&ErrorMetadata) -> bool) -> Result<HttpResponse, Failure> {
        let policy = &self.inner.config.retry;
        let mut attempt = 1;
        loop {
            if let (true, Some(rps)) = (self.inner.config.rate_limit, op.requests_per_second) {
                let wait = self.inner.limiter.reserve(op.action, rps);
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            let span = tracing::info_span!("cloudapi.call", action = op.action, attempt, request_id = tracing::field::Empty);
            let outcome = self.attempt(op, payload, retryable).instrument(span.clone()).await;
            let (failure, may_retry) = match outcome {
                Ok(resp) => return Ok(resp),
                Err(f) => f,
            };
            if let Failure::Service(m) = &failure {
                span.record("request_id", m.request_id().unwrap_or(""));
            }
            if !may_retry || attempt >= policy.max_attempts.max(1) {
                return Err(failure);
            }
            let delay = policy.backoff(attempt);
            tracing::debug!(parent: &span, ?delay, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt; a failure says whether a retry may help.
    async fn attempt(&self, op: &Operation, payload: &Payload, retryable: fn(&ErrorMetadata) -> bool) -> Result<HttpResponse, (Failure, bool)> {
        let request = self.sign(op, payload, super::time::now());
        let timeout = self.inner.config.request_timeout;
        let resp = match tokio::time::timeout(timeout, self.inner.transport.send(request)).await {
            Err(_) => return Err((Failure::Timeout(TimeoutError { timeout }), self.inner.config.retry.retry_timeouts)),
            Ok(Err(e)) => {
                let retry = match e.kind {
                    TransportErrorKind::Connect => true,
                    TransportErrorKind::Timeout => self.inner.config.retry.retry_timeouts,
                    _ => false,
                };
                return Err((Failure::Dispatch(e), retry));
            }
            Ok(Ok(resp)) => resp,
        };
        let meta = if self.inner.service.protocol == Protocol::Rpc && resp.body.trim_ascii_start().starts_with(b"<") {
            super::wire::xml_error(resp.status, &resp.body)
        } else {
            ErrorMetadata::from_body(self.inner.service.protocol, resp.status, &resp.body)
        };
        if let Some(meta) = meta {
            tracing::info!(code = meta.code(), request_id = meta.request_id().unwrap_or(""), "service error");
            let retry = retryable(&meta);
            return Err((Failure::Service(meta), retry));
        }
        if !(200..300).contains(&resp.status) {
            let retry = resp.status >= 500 || resp.status == 429;
            return Err((Failure::Http(resp), retry));
        }
        Ok(resp)
    }

    /// Builds and signs the HTTP request for one attempt at time `now`.
    pub fn sign(&self, op: &Operation, payload: &Payload, now: i64) -> HttpRequest {
        let inner = &*self.inner;
        let creds = &inner.config.credentials;
        let signing = inner.config.signing.unwrap_or(inner.service.signing);
        let region = inner.config.region.as_deref().or(inner.service.default_region);
        match (payload, signing) {
            (Payload::Json(body), _) => {
                let content_type = "application/json";
                let input = sign::tc3::Input {
                    method: "POST",
                    host: &inner.host,
                    query: "",
                    content_type,
                    payload: body,
                    service: inner.service.service,
                    timestamp: now,
                };
                let signed = sign::tc3::sign(&input, creds.access_key_id(), creds.secret());
                let mut headers = vec![
                    ("Authorization".to_owned(), signed.authorization),
                    ("Content-Type".to_owned(), content_type.to_owned()),
                    ("X-TC-Action".to_owned(), op.action.to_owned()),
                    ("X-TC-Timestamp".to_owned(), now.to_string()),
                    ("X-TC-Version".to_owned(), inner.service.version.to_owned()),
                ];
                if let Some(r) = region.filter(|r| !r.is_empty()) {
                    headers.push(("X-TC-Region".to_owned(), r.to_owned()));
                }
                if let Some(t) = creds.token() {
                    headers.push(("X-TC-Token".to_owned(), t.to_owned()));
                }
                if let Some(l) = &inner.config.language {
                    headers.push(("X-TC-Language".to_owned(), l.clone()));
                }
                HttpRequest { method: "POST", url: format!("{}/", inner.base_url), headers, body: body.clone() }
            }
            (Payload::Query(query), Signing::Acs3HmacSha256) => {
                // Action and Version travel in headers; the action's own parameters in the query.
                let params: Vec<(String, String)> = query.0.iter().filter(|(k, _)| k != "Action" && k != "Version").cloned().collect();
                let nonce = nonce();
                let hash = sign::acs3::payload_hash(b"");
                let mut signed = vec![
                    ("host".to_owned(), inner.host.clone()),
                    ("x-acs-action".to_owned(), op.action.to_owned()),
                    ("x-acs-content-sha256".to_owned(), hash.clone()),
                    ("x-acs-date".to_owned(), super::time::iso8601(now)),
                    ("x-acs-signature-nonce".to_owned(), nonce),
                    ("x-acs-version".to_owned(), inner.service.version.to_owned()),
                ];
                if let Some(t) = creds.token() {
                    signed.push(("x-acs-security-token".to_owned(), t.to_owned()));
                }
                let cr = sign::acs3::canonical_request("POST", "/", &params, &signed, &hash);
                let signature = sign::acs3::signature(&cr, creds.secret());
                let names = {
                    let mut n: Vec<&str> = signed.iter().map(|(k, _)| k.as_str()).collect();
                    n.sort_unstable();
                    n.join(";")
                };
                let mut headers: Vec<(String, String)> = signed.into_iter().filter(|(k, _)| k != "host").collect();
                headers.push(("Authorization".to_owned(), format!("ACS3-HMAC-SHA256 Credential={},SignedHeaders={names},Signature={signature}", creds.access_key_id())));
                let url = if params.is_empty() { format!("{}/", inner.base_url) } else { format!("{}/?{}", inner.base_url, sign::rpc::encode_query(&params)) };
                HttpRequest { method: "POST", url, headers, body: Vec::new() }
            }
            (Payload::Query(query), _) => {
                let mut params = query.0.clone();
                let format = match inner.config.format {
                    Format::Json => "JSON",
                    Format::Xml => "XML",
                };
                params.extend([
                    ("Format".to_owned(), format.to_owned()),
                    ("AccessKeyId".to_owned(), creds.access_key_id().to_owned()),
                    ("SignatureMethod".to_owned(), "HMAC-SHA1".to_owned()),
                    ("SignatureVersion".to_owned(), "1.0".to_owned()),
                    ("SignatureNonce".to_owned(), nonce()),
                    ("Timestamp".to_owned(), super::time::iso8601(now)),
                ]);
                if let Some(r) = region {
                    params.push(("RegionId".to_owned(), r.to_owned()));
                }
                if let Some(t) = creds.token() {
                    params.push(("SecurityToken".to_owned(), t.to_owned()));
                }
                let sts = sign::rpc::string_to_sign("POST", &params);
                params.push(("Signature".to_owned(), sign::rpc::signature(&sts, creds.secret())));
                HttpRequest { method: "POST", url: format!("{}/?{}", inner.base_url, sign::rpc::encode_query(&params)), headers: Vec::new(), body: Vec::new() }
            }
        }
    }
}

/// What a generated method hands the client.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Tencent Cloud: the JSON body.
    Json(Vec<u8>),
    /// Alibaba Cloud RPC: the query parameters (`Action`, `Version` and the action's own).
    Query(Query),
}

/// A unique nonce (random, 128 bits, hex).
fn nonce() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = RetryPolicy { max_attempts: 5, initial_backoff: Duration::from_millis(100), max_backoff: Duration::from_millis(300), retry_timeouts: true };
        for attempt in 1..10 {
            let d = p.backoff(attempt);
            let cap = Duration::from_millis(100 * (1 << (attempt - 1).min(16))).min(Duration::from_millis(300));
            assert!(d <= cap, "attempt {attempt}: {d:?} > {cap:?}");
        }
    }

    #[test]
    fn the_rate_limiter_allows_a_burst_then_spaces_requests() {
        let l = RateLimiter::default();
        for _ in 0..20 {
            assert_eq!(l.reserve("ListUsers", 20), Duration::ZERO);
        }
        let wait = l.reserve("ListUsers", 20);
        assert!(wait > Duration::from_millis(30) && wait <= Duration::from_millis(50), "{wait:?}");
        // Another action has its own bucket.
        assert_eq!(l.reserve("Other", 20), Duration::ZERO);
    }

    #[test]
    fn config_debug_never_shows_the_secret() {
        let c = Config::builder(Credentials::new("id", "s3cr3t-value")).build();
        assert!(!format!("{c:?}").contains("s3cr3t-value"));
    }
}
