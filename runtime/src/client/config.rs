//! Client configuration: credentials, endpoint, region, timeouts, retries, rate limiting,
//! response format, signature override and transport.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::client::retry::RetryPolicy;
use crate::credentials::{ProvideCredentials, SharedCredentialsProvider};
use crate::http::HttpTransport;
use crate::protocol::service::Signing;
use crate::protocol::Format;

/// Client configuration. Build it with [`Config::builder`].
#[derive(Clone)]
pub struct Config {
    pub(crate) credentials: SharedCredentialsProvider,
    pub(crate) endpoint: Option<String>,
    pub(crate) region: Option<String>,
    pub(crate) network: Option<String>,
    pub(crate) suffix: Option<String>,
    pub(crate) regional_endpoint: bool,
    pub(crate) internal: bool,
    pub(crate) root_domain: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) request_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_response_bytes: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: bool,
    pub(crate) format: Format,
    pub(crate) signing: Option<Signing>,
    pub(crate) transport: Option<Arc<dyn HttpTransport>>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Credentials`' own `Debug` redacts the secret and the token, and so must every
        // provider's.
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("network", &self.network)
            .field("suffix", &self.suffix)
            .field("regional_endpoint", &self.regional_endpoint)
            .field("internal", &self.internal)
            .field("root_domain", &self.root_domain)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A builder with the given credentials and defaults: the spec's endpoint over HTTPS,
    /// 30 s request timeout, 5 s connect timeout, 16 MiB response bodies at most, 3
    /// attempts, no client-side rate limit.
    ///
    /// `credentials` is fixed [`Credentials`](crate::Credentials), or a provider asked before each attempt
    /// (an `Arc<dyn ProvideCredentials>` or a [`SharedCredentialsProvider`], e.g. of a
    /// [`DefaultChain`](crate::DefaultChain)).
    pub fn builder(credentials: impl Into<SharedCredentialsProvider>) -> ConfigBuilder {
        ConfigBuilder(Config {
            credentials: credentials.into(),
            endpoint: None,
            region: None,
            network: None,
            suffix: None,
            regional_endpoint: false,
            internal: false,
            root_domain: None,
            language: None,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            max_response_bytes: crate::http::DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryPolicy::default(),
            rate_limit: false,
            format: Format::Json,
            signing: None,
            transport: None,
        })
    }
    /// The credentials, or the provider of them, in force.
    pub fn credentials(&self) -> &SharedCredentialsProvider {
        &self.credentials
    }
    /// The largest response body accepted, in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }
    /// The region asked for, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
    /// The network asked for (Alibaba Cloud), if any.
    pub fn network(&self) -> Option<&str> {
        self.network.as_deref()
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
    /// Replaces the credentials with `provider`, asked before each attempt.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.0.credentials = SharedCredentialsProvider::new(provider);
        self
    }
    /// Overrides the endpoint: `https://ccc.cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:8080`, or a bare host (HTTPS).
    /// It wins over the host the region, network and product would give
    /// (see the `endpoint` module).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.0.endpoint = Some(endpoint.into());
        self
    }
    /// The region (`X-TC-Region`, Alibaba's `RegionId`). For a product with endpoint
    /// metadata it also picks the host (see the `endpoint` module): the product's map entry for
    /// the region, else its rule (`vpc.cn-beijing.aliyuncs.com`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.0.region = Some(region.into());
        self
    }
    /// Alibaba Cloud: the network the host is reached on, as the official SDKs' `network`
    /// (`Config(network=…)`): `public` (the default) or, for instance, `vpc` (inside a VPC
    /// without internet access), `share`, `ipv6`, `proxy`, `inner` or `dualstack`. Any
    /// other value than `public` becomes `<product>-<network>` in the host when the
    /// product's rule makes the host (`vpc-vpc.cn-beijing.aliyuncs.com`); the SDKs accept
    /// any host label, and so does the client. A region the product's map names keeps the
    /// map's host, as in the SDKs.
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.0.network = Some(network.into());
        self
    }
    /// Alibaba Cloud: the endpoint suffix (the Go SDK's `suffix`): `<product>-<suffix>` in
    /// a host the product's rule makes.
    pub fn suffix(mut self, suffix: impl Into<String>) -> Self {
        self.0.suffix = Some(suffix.into());
        self
    }
    /// Tencent Cloud: call the regional host, `<service>.<region>.tencentcloudapi.com`
    /// (a region is then required).
    pub fn regional_endpoint(mut self, regional: bool) -> Self {
        self.0.regional_endpoint = regional;
        self
    }
    /// Tencent Cloud: call the internal host, `<service>.internal.tencentcloudapi.com`
    /// (from inside Tencent Cloud).
    pub fn internal(mut self, internal: bool) -> Self {
        self.0.internal = internal;
        self
    }
    /// Tencent Cloud: the root domain (`HttpProfile.rootDomain`, default
    /// `tencentcloudapi.com`).
    pub fn root_domain(mut self, root_domain: impl Into<String>) -> Self {
        self.0.root_domain = Some(root_domain.into());
        self
    }
    /// Tencent Cloud's `X-TC-Language` (`zh-CN`, `en-US`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.0.language = Some(language.into());
        self
    }
    /// The timeout of one attempt, from sending to the last byte of the response body (a
    /// body that trickles in is cut off by it).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.0.request_timeout = timeout;
        self
    }
    /// The connect timeout of the default transport.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.0.connect_timeout = timeout;
        self
    }
    /// The largest response body accepted, in bytes (default 16 MiB). The default
    /// transport refuses a larger `Content-Length` before reading any of the body and
    /// stops reading a body that grows past it; the call fails with
    /// [`SdkError::Dispatch`](crate::SdkError::Dispatch), of kind
    /// [`BodyTooLarge`](crate::http::TransportErrorKind::BodyTooLarge), not retried.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.0.max_response_bytes = limit;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;

    #[test]
    fn config_debug_never_shows_the_secret() {
        let c = Config::builder(Credentials::new("id", "s3cr3t-value").with_token("t0k3n-value"))
            .build();
        let shown = format!("{c:?}");
        assert!(shown.contains("id"));
        assert!(
            !shown.contains("s3cr3t-value") && !shown.contains("t0k3n-value"),
            "{shown}"
        );
        let shown = format!(
            "{:?}",
            Config::builder(Credentials::new("id", "s3cr3t-value"))
        );
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        let provider = Config::builder(Credentials::new("id", "x"))
            .credentials_provider(std::sync::Arc::new(
                Credentials::new("id", "s3cr3t-value").with_token("t0k3n-value"),
            ))
            .build();
        let shown = format!("{provider:?}");
        assert!(
            !shown.contains("s3cr3t-value") && !shown.contains("t0k3n-value"),
            "{shown}"
        );
        assert!(provider.credentials().as_static().is_none());
    }
}
