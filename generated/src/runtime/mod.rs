//! The hand-written runtime that generated code builds on.
//!
//! Nothing here is generated: generated modules call into it so that each action
//! adds only its own types and glue. See `ARCHITECTURE.md`.

pub mod client;
pub mod credentials;
pub mod de;
pub mod error;
pub mod http;
pub mod paginate;
pub mod sign;
#[cfg(feature = "stub-server")]
pub mod stub;
pub mod time;
pub mod validate;
pub mod wire;
pub mod xml;

pub use client::{Config, ConfigBuilder, Format, RetryPolicy, SdkError};
pub use credentials::{Credentials, CredentialsError};
pub use error::{DecodeError, ErrorMetadata};
pub use validate::{ValidationError, Violation, ViolationKind};

/// How a product lays out requests and envelopes responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// Alibaba Cloud RPC: query parameters, top-level response object, errors with 4xx/5xx.
    Rpc,
    /// Tencent Cloud API 3.0: JSON body, `{"Response": ...}`, errors with HTTP 200.
    Tc3,
}

/// What a generated service error enum offers, whatever the action.
pub trait ServiceError: std::error::Error {
    /// Builds the error from a provider error's metadata.
    fn from_metadata(meta: ErrorMetadata) -> Self;
    /// The code, message, request id and HTTP status.
    fn meta(&self) -> &ErrorMetadata;
    /// Whether retrying the same request may succeed.
    fn is_retryable(&self) -> bool;
}
