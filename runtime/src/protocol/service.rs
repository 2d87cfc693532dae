//! What generated code tells the client, the protocols and the stub server about a
//! product version and its actions: the [`Service`], its [`Operation`]s and its endpoint
//! metadata ([`Endpoints`]; resolving a host from it is the client's `endpoint`).

use cloudapi_protocol::host::is_host;

use crate::protocol::Protocol;

/// How a product version signs requests (defined in the protocol descriptor).
pub use cloudapi_protocol::Signing;

/// What a generated product version module tells the client about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// Request layout and response envelope.
    pub protocol: Protocol,
    /// The spec's signature algorithm.
    pub signing: Signing,
    /// The API version.
    pub version: &'static str,
    /// The default endpoint host (the host without endpoint metadata).
    pub endpoint: &'static str,
    /// The service name (credential scope).
    pub service: &'static str,
    /// The default region, if any.
    pub default_region: Option<&'static str>,
    /// How the host follows from the region and network (the spec's `endpoints:`);
    /// `None` keeps [`endpoint`](Self::endpoint) for every region.
    pub endpoints: Option<&'static Endpoints>,
}

/// One action, as the client needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The action name.
    pub action: &'static str,
    /// The documented rate limit, enforced when
    /// [`ConfigBuilder::rate_limit`](crate::ConfigBuilder::rate_limit) is on.
    pub requests_per_second: Option<u32>,
    /// Whether the action is safe to repeat: read-only, or carrying an idempotency token
    /// (the spec's `idempotent:`, else derived from the action's name and parameters). A
    /// failure after the request may have reached the server is retried only for such
    /// actions (see the client's `retry` module).
    pub idempotent: bool,
    /// The wire name of the action's idempotency-token parameter (`ClientToken`), if it
    /// has one. The generated client fills it with a fresh UUID once per call when the
    /// caller leaves it unset; a server (the stub) can answer a repeated token with the
    /// first answer.
    pub idempotency_token: Option<&'static str>,
}

impl Operation {
    /// The action `action`: no rate limit, not safe to repeat, no token.
    pub const fn named(action: &'static str) -> Self {
        Operation {
            action,
            requests_per_second: None,
            idempotent: false,
            idempotency_token: None,
        }
    }
    /// With the documented rate limit.
    pub const fn rate_limit(mut self, requests_per_second: u32) -> Self {
        self.requests_per_second = Some(requests_per_second);
        self
    }
    /// Safe to repeat (read-only, or carrying a token).
    pub const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }
    /// With the idempotency-token parameter `name`.
    pub const fn token(mut self, name: &'static str) -> Self {
        self.idempotency_token = Some(name);
        self
    }
}

/// How a product's host follows from the region: its spec's `endpoints:` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoints {
    /// The rule applied when the region has no entry in [`regions`](Self::regions).
    pub rule: EndpointRule,
    /// The product id the rule puts first in the host (Alibaba Cloud: lowercased, as the
    /// SDKs do; Tencent Cloud: the service name).
    pub product_id: &'static str,
    /// Hosts by region, sorted by region (Alibaba Cloud's `_endpoint_map`).
    pub regions: &'static [(&'static str, &'static str)],
}

impl Endpoints {
    /// The map's host for `region`, if it has one.
    pub fn region_host(&self, region: &str) -> Option<&'static str> {
        self.regions
            .iter()
            .find(|(r, _)| *r == region)
            .map(|(_, h)| *h)
    }
}

/// The rule that makes a host from a region (defined in the protocol descriptor).
pub use cloudapi_protocol::EndpointRule;

impl Endpoints {
    /// Whether `host` (as a `Host` header sends it, maybe with a port) is one this
    /// metadata resolves to for some configuration: a map entry, or the rule's shape
    /// (`vpc.cn-beijing.aliyuncs.com`, `vpc-vpc.cn-beijing.aliyuncs.com`,
    /// `cvm.internal.tencentcloudapi.com` or under another root domain,
    /// `<project>.cn-hangzhou-intranet.log.aliyuncs.com`). The stub routes by it.
    pub fn names_host(&self, host: &str) -> bool {
        let host = match host.rsplit_once(':') {
            Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
            _ => host,
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if !is_host(&host) {
            return false;
        }
        if self
            .regions
            .iter()
            .any(|(_, h)| h.eq_ignore_ascii_case(&host))
        {
            return true;
        }
        let product = self.product_id.to_ascii_lowercase();
        let first = host.split('.').next().unwrap_or("");
        match self.rule {
            EndpointRule::Regional | EndpointRule::Central => {
                host.ends_with(".aliyuncs.com")
                    && (first == product
                        || first
                            .strip_prefix(product.as_str())
                            .is_some_and(|rest| rest.starts_with('-')))
            }
            EndpointRule::Tencent => first == product && host.contains('.'),
            EndpointRule::Sls => {
                host.ends_with(".log.aliyuncs.com")
                    || host == "log-global.aliyuncs.com"
                    || host.ends_with(".sls.aliyuncs.com")
            }
        }
    }
}
