//! What generated code tells the client about a product version and its actions.

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
    pub endpoints: Option<&'static crate::endpoint::Endpoints>,
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
    /// actions (see [`crate::retry`]).
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
