//! The client: its configuration ([`config`]), the host it calls ([`endpoint`]), what it
//! retries ([`retry`]), the actions it sends ([`action`], [`paginate`]), how a call fails
//! ([`error`]) and, here, the client core every generated `Client` wraps: the dispatch
//! loop, with timeouts, retries and client-side rate limiting. Its loop is not generic
//! over the action, so each generated method adds only a thin typed wrapper. How a
//! request is laid out and signed, and how a response is read, is the protocol's
//! business ([`WireProtocol`]).

pub mod action;
pub mod config;
pub mod endpoint;
pub mod error;
pub mod paginate;
mod rate_limit;
pub mod retry;

use std::fmt;
use std::sync::Arc;

use tracing::Instrument;

use crate::codec::response::{DecodeError, Model, ResponseLayout};
use crate::credentials::{Credentials, CredentialsError};
use crate::http::{
    HttpRequest, HttpResponse, HttpTransport, ReqwestTransport, TransportError, TransportErrorKind,
};
use crate::protocol::error::{ErrorMetadata, ServiceError};
use crate::protocol::service::{Operation, Service};
use crate::protocol::ProtocolWire as _;
use crate::protocol::{Payload, PayloadError, RequestContext, WireProtocol};
use config::Config;
use endpoint::EndpointError;
use error::{ResponseError, SdkError, TimeoutError};
use rate_limit::RateLimiter;
use retry::{CallOptions, Retry};

/// The non-generic outcome of one call.
enum Failure {
    Credentials(CredentialsError),
    Payload(PayloadError),
    Dispatch(TransportError),
    Timeout(TimeoutError),
    Service(ErrorMetadata),
    Http(HttpResponse),
}

impl Failure {
    /// The failure as the action's [`SdkError`].
    fn into_sdk_error<E: ServiceError>(self) -> SdkError<E> {
        match self {
            Failure::Credentials(e) => SdkError::Credentials(e),
            Failure::Payload(e) => SdkError::Dispatch(TransportError {
                kind: TransportErrorKind::Other,
                message: e.to_string(),
            }),
            Failure::Dispatch(e) => SdkError::Dispatch(e),
            Failure::Timeout(e) => SdkError::Timeout(e),
            Failure::Service(m) => SdkError::Service(E::from_metadata(m)),
            Failure::Http(resp) => SdkError::Response(ResponseError {
                status: resp.status,
                decode: DecodeError::new(".", "neither a success nor a provider error", &resp.body),
            }),
        }
    }
}

/// The shared client: cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Per-call overrides of this view ([`with_options`](Client::with_options)).
    options: CallOptions,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    service: Service,
    wire: &'static dyn WireProtocol,
    base_url: String,
    host: String,
    transport: Arc<dyn HttpTransport>,
    limiter: RateLimiter,
}

impl Client {
    /// A client for one product version. Its host is resolved here, once
    /// ([`crate::client::endpoint`]): an explicit endpoint, else the product's map entry for the
    /// region, else its rule. A region the product cannot resolve (a regional product
    /// without a region, a region that is not a host label) fails with
    /// [`BuildError::Endpoint`], naming the region and the product.
    pub fn new(config: Config, service: Service) -> Result<Self, BuildError> {
        let base_url = endpoint::resolve_base_url(&config, &service)?;
        let host = base_url
            .split_once("://")
            .map_or(base_url.as_str(), |(_, h)| h)
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let transport: Arc<dyn HttpTransport> = match &config.transport {
            Some(t) => t.clone(),
            None => Arc::new(
                ReqwestTransport::new(config.connect_timeout)?
                    .with_max_response_bytes(config.max_response_bytes),
            ),
        };
        let wire = service.protocol.wire();
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                service,
                wire,
                base_url,
                host,
                transport,
                limiter: RateLimiter::default(),
            }),
            options: CallOptions::default(),
        })
    }

    /// A view of this client whose calls use `options` (a retry policy, opting in to
    /// retrying actions that are not safe to repeat). It shares the connections, the
    /// credentials and the rate limits; the client itself is unchanged.
    pub fn with_options(&self, options: CallOptions) -> Self {
        Client {
            inner: self.inner.clone(),
            options,
        }
    }

    /// The per-call options of this view.
    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The host (with a port, if the endpoint names one) every call of this client goes
    /// to, as resolved when it was built: `vpc.cn-beijing.aliyuncs.com`.
    pub fn endpoint(&self) -> &str {
        &self.inner.host
    }

    /// The base URL calls go to: `https://vpc.cn-beijing.aliyuncs.com`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Calls an action with the payload its protocol takes (see [`Payload`]): for actions
    /// without a generated model (the STS answers).
    ///
    /// Credentials are resolved before each attempt; a provider's failure is
    /// [`SdkError::Credentials`] (retried when the failure is transient). A payload the
    /// protocol cannot carry (a generated-code mismatch) fails as [`SdkError::Dispatch`]
    /// without sending anything.
    pub async fn call_payload<T: Model, E: ServiceError>(
        &self,
        op: &Operation,
        payload: Payload,
    ) -> Result<T, SdkError<E>> {
        let retryable: fn(&ErrorMetadata) -> bool = |m| E::from_metadata(m.clone()).is_retryable();
        // The awaiting is not generic (`call_raw`), so each action adds only the mapping.
        match self.call_raw(op, payload, retryable).await {
            Ok((resp, layout)) => T::decode(&layout, &resp.body).map_err(|decode| {
                SdkError::Response(ResponseError {
                    status: resp.status,
                    decode,
                })
            }),
            Err(failure) => Err(failure.into_sdk_error()),
        }
    }

    /// [`call_payload`](Self::call_payload) up to decoding: the answer and where its model sits.
    async fn call_raw(
        &self,
        op: &Operation,
        payload: Payload,
        retryable: fn(&ErrorMetadata) -> bool,
    ) -> Result<(HttpResponse, ResponseLayout), Failure> {
        let resp = self.execute(op, &payload, retryable).await?;
        let layout = self
            .inner
            .wire
            .success_layout(op.action, self.inner.config.format);
        Ok((resp, layout))
    }

    /// Attempts the call until it succeeds, fails for good, or the retry rule
    /// ([`crate::client::retry`]) forbids another attempt. The payload is built once, so every
    /// attempt carries the same idempotency token.
    async fn execute(
        &self,
        op: &Operation,
        payload: &Payload,
        retryable: fn(&ErrorMetadata) -> bool,
    ) -> Result<HttpResponse, Failure> {
        let policy = self
            .options
            .retry
            .as_ref()
            .unwrap_or(&self.inner.config.retry);
        let retry_unsafe = self.options.retry_unsafe.unwrap_or(policy.retry_unsafe);
        let safe = op.idempotent;
        let mut attempt = 1;
        loop {
            if let (true, Some(rps)) = (self.inner.config.rate_limit, op.requests_per_second) {
                let wait = self.inner.limiter.reserve(op.action, rps);
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
            }
            let span = tracing::info_span!(
                "cloudapi.call",
                action = op.action,
                attempt,
                request_id = tracing::field::Empty
            );
            let outcome = self
                .attempt(op, payload, retryable)
                .instrument(span.clone())
                .await;
            let (failure, retry) = match outcome {
                Ok(resp) => return Ok(resp),
                Err(f) => f,
            };
            if let Failure::Service(m) = &failure {
                span.record("request_id", m.request_id().unwrap_or(""));
            }
            if !retry.allowed(safe, policy, retry_unsafe) || attempt >= policy.max_attempts.max(1) {
                if retry != Retry::No && !retry.allowed(safe, policy, retry_unsafe) {
                    tracing::debug!(
                        parent: &span,
                        ?retry,
                        "not retried: the action is not safe to repeat"
                    );
                }
                return Err(failure);
            }
            let delay = policy.delay(attempt, retry);
            tracing::debug!(parent: &span, ?delay, ?retry, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// One attempt; a failure says what a retry would risk.
    async fn attempt(
        &self,
        op: &Operation,
        payload: &Payload,
        retryable: fn(&ErrorMetadata) -> bool,
    ) -> Result<HttpResponse, (Failure, Retry)> {
        let credentials = self.inner.config.credentials.resolve().await.map_err(|e| {
            let retry = if e.is_retryable() {
                Retry::NotSent
            } else {
                Retry::No
            };
            (Failure::Credentials(e), retry)
        })?;
        let request = self
            .sign_with(op, payload, &credentials, crate::codec::time::now())
            .map_err(|e| (Failure::Payload(e), Retry::No))?;
        let timeout = self.inner.config.request_timeout;
        let resp = match tokio::time::timeout(timeout, self.inner.transport.send(request)).await {
            Err(_) => {
                return Err((
                    Failure::Timeout(TimeoutError { timeout }),
                    Retry::MaybeRanTimeout,
                ))
            }
            Ok(Err(e)) => {
                let retry = match e.kind {
                    TransportErrorKind::Connect => Retry::NotSent,
                    // The request reached the server either way.
                    TransportErrorKind::Timeout | TransportErrorKind::Interrupted => {
                        Retry::MaybeRanTimeout
                    }
                    _ => Retry::No,
                };
                return Err((Failure::Dispatch(e), retry));
            }
            Ok(Ok(resp)) => resp,
        };
        // A user's transport may not enforce the limit itself.
        let limit = self.inner.config.max_response_bytes;
        if resp.body.len() as u64 > limit {
            let e = TransportError::body_too_large(limit, None);
            return Err((Failure::Dispatch(e), Retry::No));
        }
        if let Some(meta) = self
            .inner
            .wire
            .parse_error(resp.status, &resp.headers, &resp.body)
        {
            tracing::info!(
                code = meta.code(),
                request_id = meta.request_id().unwrap_or(""),
                "service error"
            );
            let retry = if retry::is_throttling(&meta) {
                Retry::Throttled {
                    after: retry::retry_after(&resp.headers),
                }
            } else if retryable(&meta) {
                Retry::MaybeRan
            } else {
                Retry::No
            };
            return Err((Failure::Service(meta), retry));
        }
        if !(200..300).contains(&resp.status) {
            let retry = if resp.status == 429 {
                Retry::Throttled {
                    after: retry::retry_after(&resp.headers),
                }
            } else if resp.status >= 500 {
                Retry::MaybeRan
            } else {
                Retry::No
            };
            return Err((Failure::Http(resp), retry));
        }
        Ok(resp)
    }

    /// Builds and signs the HTTP request for one attempt at time `now` with the
    /// configured fixed credentials, as the product's protocol lays it out. A client whose
    /// credentials come from a provider fails with [`SignError::ProviderCredentials`]:
    /// resolve them and call [`sign_with`](Client::sign_with).
    pub fn sign(
        &self,
        op: &Operation,
        payload: &Payload,
        now: i64,
    ) -> Result<HttpRequest, SignError> {
        let credentials = self
            .inner
            .config
            .credentials
            .as_static()
            .ok_or(SignError::ProviderCredentials)?;
        self.sign_with(op, payload, credentials, now)
            .map_err(SignError::Payload)
    }

    /// Builds and signs the HTTP request for one attempt at time `now` with `credentials`.
    pub fn sign_with(
        &self,
        op: &Operation,
        payload: &Payload,
        credentials: &Credentials,
        now: i64,
    ) -> Result<HttpRequest, PayloadError> {
        let inner = &*self.inner;
        let ctx = request_context(
            &inner.config,
            &inner.service,
            op,
            &inner.base_url,
            &inner.host,
            now,
            credentials,
        );
        inner.wire.sign(&ctx, payload)
    }
}

/// What the protocol needs to lay out and sign one attempt of `operation`, with what
/// `config` sets (region, language, format, signature override).
pub(crate) fn request_context<'a>(
    config: &'a Config,
    service: &'a Service,
    operation: &'a Operation,
    base_url: &'a str,
    host: &'a str,
    now: i64,
    credentials: &'a Credentials,
) -> RequestContext<'a> {
    RequestContext {
        service,
        operation,
        configured_region: config.region.as_deref(),
        language: config.language.as_deref(),
        format: config.format,
        configured_signing: config.signing,
        base_url,
        host,
        now,
        credentials,
    }
}

/// Why [`Client::new`] could not build a client.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The default transport could not be built.
    Transport(TransportError),
    /// No host could be resolved for the product, region and network.
    Endpoint(EndpointError),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Transport(e) => fmt::Display::fmt(e, f),
            BuildError::Endpoint(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Transport(e) => e.source(),
            BuildError::Endpoint(e) => e.source(),
        }
    }
}

impl From<TransportError> for BuildError {
    fn from(e: TransportError) -> Self {
        BuildError::Transport(e)
    }
}

impl From<EndpointError> for BuildError {
    fn from(e: EndpointError) -> Self {
        BuildError::Endpoint(e)
    }
}

/// Why [`Client::sign`] could not sign.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignError {
    /// The protocol cannot lay out the payload.
    Payload(PayloadError),
    /// The client's credentials come from a provider, which only the async call path asks.
    ProviderCredentials,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Payload(e) => fmt::Display::fmt(e, f),
            SignError::ProviderCredentials => f.write_str(
                "the client's credentials come from a provider: resolve them and call sign_with",
            ),
        }
    }
}

impl std::error::Error for SignError {}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;
    use crate::credentials::{CredentialsErrorKind, ProvideCredentials, ProvideFuture};
    use crate::protocol::error::Unhandled;
    use crate::protocol::service::Signing;
    use crate::protocol::testing::{service, OPERATION};
    use crate::protocol::Protocol;
    use retry::RetryPolicy;

    /// Hands out `id-<n>` on the n-th call; fails (transiently) when told to.
    #[derive(Debug, Default)]
    struct Counting {
        calls: AtomicUsize,
        fail: bool,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            let fail = self.fail;
            Box::pin(async move {
                if fail {
                    Err(CredentialsError::new(
                        CredentialsErrorKind::Unavailable,
                        "metadata down",
                    ))
                } else {
                    Ok(Credentials::new(format!("id-{n}"), "s"))
                }
            })
        }
    }

    #[derive(Debug)]
    struct Recording(std::sync::Mutex<Vec<HttpRequest>>);

    impl HttpTransport for Recording {
        fn send(
            &self,
            request: HttpRequest,
        ) -> crate::http::BoxFuture<'_, Result<HttpResponse, TransportError>> {
            self.0.lock().unwrap().push(request);
            Box::pin(async { Ok(HttpResponse::new(503, "text/plain", b"busy".to_vec())) })
        }
    }

    fn client(provider: Arc<Counting>, transport: Arc<Recording>) -> Client {
        let config = Config::builder(provider as Arc<dyn ProvideCredentials>)
            .transport(transport)
            .retry(
                RetryPolicy::attempts(3)
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(1))
                    .with_retry_timeouts(false),
            )
            .build();
        Client::new(config, service(Protocol::Tc3, Signing::Tc3HmacSha256)).unwrap()
    }

    #[tokio::test]
    async fn each_attempt_signs_with_freshly_resolved_credentials() {
        let provider = Arc::new(Counting::default());
        let transport = Arc::new(Recording(Default::default()));
        let c = client(provider.clone(), transport.clone());
        let e = c
            .call_payload::<serde_json::Value, Unhandled2>(
                &OPERATION,
                Payload::Json(b"{}".to_vec()),
            )
            .await
            .unwrap_err();
        assert!(matches!(e, SdkError::Response(_)), "{e:?}");
        let sent = transport.0.lock().unwrap();
        assert_eq!(sent.len(), 3);
        for (i, req) in sent.iter().enumerate() {
            let auth = &req
                .headers
                .iter()
                .find(|(k, _)| k == "Authorization")
                .unwrap()
                .1;
            assert!(
                auth.contains(&format!("Credential=id-{}/", i + 1)),
                "{auth}"
            );
        }
        // The synchronous signer needs fixed credentials.
        assert_eq!(
            c.sign(&OPERATION, &Payload::Json(Vec::new()), 0)
                .unwrap_err(),
            SignError::ProviderCredentials
        );
    }

    #[tokio::test]
    async fn a_provider_failure_is_a_credentials_error_and_nothing_is_sent() {
        let provider = Arc::new(Counting {
            fail: true,
            ..Default::default()
        });
        let transport = Arc::new(Recording(Default::default()));
        let c = client(provider.clone(), transport.clone());
        let e = c
            .call_payload::<serde_json::Value, Unhandled2>(
                &OPERATION,
                Payload::Json(b"{}".to_vec()),
            )
            .await
            .unwrap_err();
        match &e {
            SdkError::Credentials(c) => assert_eq!(c.message(), "metadata down"),
            other => panic!("{other:?}"),
        }
        assert_eq!(e.to_string(), "no credentials to sign with: metadata down");
        // Transient: retried up to the policy's attempts, and never sent.
        assert_eq!(provider.calls.load(Ordering::SeqCst), 3);
        assert!(transport.0.lock().unwrap().is_empty());
    }

    /// Answers each attempt with the next scripted outcome (the last one repeats).
    #[derive(Debug)]
    struct Scripted {
        script: Vec<Result<HttpResponse, TransportErrorKind>>,
        sent: AtomicUsize,
    }

    impl HttpTransport for Scripted {
        fn send(
            &self,
            _request: HttpRequest,
        ) -> crate::http::BoxFuture<'_, Result<HttpResponse, TransportError>> {
            let n = self.sent.fetch_add(1, Ordering::SeqCst);
            let next = self.script[n.min(self.script.len() - 1)].clone();
            Box::pin(async move {
                next.map_err(|kind| TransportError {
                    kind,
                    message: "scripted".into(),
                })
            })
        }
    }

    fn json(status: u16, body: &str) -> Result<HttpResponse, TransportErrorKind> {
        Ok(HttpResponse::new(
            status,
            "application/json",
            body.as_bytes().to_vec(),
        ))
    }

    /// How many attempts `op` makes against `script` (Alibaba RPC, JSON answers).
    async fn attempts(
        op: Operation,
        script: Vec<Result<HttpResponse, TransportErrorKind>>,
        options: CallOptions,
    ) -> usize {
        let transport = Arc::new(Scripted {
            script,
            sent: AtomicUsize::new(0),
        });
        let config = Config::builder(Credentials::new("id", "secret"))
            .transport(transport.clone())
            .retry(
                RetryPolicy::attempts(3)
                    .with_backoff(Duration::from_millis(1), Duration::from_millis(1)),
            )
            .build();
        let c = Client::new(config, service(Protocol::Rpc, Signing::HmacSha1))
            .unwrap()
            .with_options(options);
        let _ = c
            .call_payload::<serde_json::Value, Retryable>(
                &op,
                Payload::Query(crate::protocol::layout::Query(Vec::new())),
            )
            .await;
        transport.sent.load(Ordering::SeqCst)
    }

    const CHANGE: Operation = Operation {
        action: "CreateThing",
        requests_per_second: None,
        idempotent: false,
        idempotency_token: None,
    };
    const TOKENED: Operation = Operation {
        idempotent: true,
        idempotency_token: Some("ClientToken"),
        ..CHANGE
    };

    #[tokio::test]
    async fn a_change_without_a_token_is_not_retried_once_it_may_have_run() {
        let internal = || {
            json(
                500,
                r#"{"Code":"InternalError","Message":"m","RequestId":"r"}"#,
            )
        };
        let bare500 = || json(502, "bad gateway");
        for (name, script) in [
            ("5xx provider error", vec![internal()]),
            ("bare 5xx", vec![bare500()]),
            (
                "body broken off",
                vec![Err(TransportErrorKind::Interrupted)],
            ),
            ("transport timeout", vec![Err(TransportErrorKind::Timeout)]),
        ] {
            assert_eq!(
                attempts(CHANGE, script.clone(), CallOptions::new()).await,
                1,
                "{name}"
            );
            assert_eq!(
                attempts(TOKENED, script.clone(), CallOptions::new()).await,
                3,
                "{name}"
            );
            assert_eq!(
                attempts(OPERATION, script.clone(), CallOptions::new()).await,
                3,
                "{name}"
            );
            let opted = CallOptions::new().retry_unsafe(true);
            assert_eq!(attempts(CHANGE, script, opted).await, 3, "{name} opted in");
        }
    }

    #[tokio::test]
    async fn unsent_and_throttled_requests_are_retried_for_every_action() {
        let throttled = || {
            json(
                400,
                r#"{"Code":"Throttling.User","Message":"m","RequestId":"r"}"#,
            )
        };
        let ok = || json(200, r#"{"RequestId":"r"}"#);
        for script in [
            vec![Err(TransportErrorKind::Connect), ok()],
            vec![throttled(), throttled(), ok()],
            vec![json(429, "slow down"), ok()],
        ] {
            let want = script.len();
            assert_eq!(attempts(CHANGE, script, CallOptions::new()).await, want);
        }
        // Not a transient failure: never retried.
        let denied = json(
            403,
            r#"{"Code":"Forbidden.RAM","Message":"m","RequestId":"r"}"#,
        );
        assert_eq!(
            attempts(OPERATION, vec![denied], CallOptions::new()).await,
            1
        );
        // The per-call policy wins over the client's.
        let once = CallOptions::new().retry_policy(RetryPolicy::none());
        let throttled = vec![throttled()];
        assert_eq!(attempts(OPERATION, throttled, once).await, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn x_acs_retry_after_sets_the_wait_within_the_maximum() {
        let mut throttled = HttpResponse::new(
            400,
            "application/json",
            br#"{"Code":"Throttling","Message":"m","RequestId":"r"}"#.to_vec(),
        );
        throttled
            .headers
            .push(("x-acs-retry-after".into(), "2500".into()));
        for (max, want) in [
            (Duration::from_secs(5), 2500),
            (Duration::from_secs(1), 1000),
        ] {
            let transport = Arc::new(Scripted {
                script: vec![Ok(throttled.clone()), json(200, r#"{"RequestId":"r"}"#)],
                sent: AtomicUsize::new(0),
            });
            let config = Config::builder(Credentials::new("id", "secret"))
                .transport(transport.clone())
                .retry(RetryPolicy::attempts(2).with_backoff(Duration::ZERO, max))
                .build();
            let c = Client::new(config, service(Protocol::Rpc, Signing::HmacSha1)).unwrap();
            let start = tokio::time::Instant::now();
            c.call_payload::<serde_json::Value, Retryable>(
                &CHANGE,
                Payload::Query(crate::protocol::layout::Query(Vec::new())),
            )
            .await
            .unwrap();
            assert_eq!(start.elapsed(), Duration::from_millis(want));
            assert_eq!(transport.sent.load(Ordering::SeqCst), 2);
        }
    }

    /// A service error whose `InternalError` and throttling codes are retryable, as the
    /// providers' common codes are.
    #[derive(Debug)]
    struct Retryable(Unhandled);
    impl std::fmt::Display for Retryable {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.fmt(f)
        }
    }
    impl std::error::Error for Retryable {}
    impl ServiceError for Retryable {
        fn from_metadata(meta: ErrorMetadata) -> Self {
            Retryable(Unhandled::new(meta))
        }
        fn meta(&self) -> &ErrorMetadata {
            self.0.meta()
        }
        fn is_retryable(&self) -> bool {
            let code = self.0.meta().code();
            code == "InternalError" || retry::is_throttling(self.0.meta())
        }
    }

    /// `Unhandled` as a service error, for these tests.
    #[derive(Debug)]
    struct Unhandled2(Unhandled);
    impl std::fmt::Display for Unhandled2 {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.fmt(f)
        }
    }
    impl std::error::Error for Unhandled2 {}
    impl ServiceError for Unhandled2 {
        fn from_metadata(meta: ErrorMetadata) -> Self {
            Unhandled2(Unhandled::new(meta))
        }
        fn meta(&self) -> &ErrorMetadata {
            self.0.meta()
        }
        fn is_retryable(&self) -> bool {
            false
        }
    }
}
