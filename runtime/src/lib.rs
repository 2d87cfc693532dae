//! The hand-written runtime that generated code builds on.
//!
//! Nothing here is generated: generated modules call into it so that each action
//! adds only its own types and glue. See `ARCHITECTURE.md`.
#![warn(missing_docs)]

pub mod action;
pub mod client;
pub mod config;
pub mod credentials;
pub mod de;
pub mod endpoint;
pub mod error;
pub mod flat;
pub mod http;
pub mod paginate;
pub mod protocol;
mod rate_limit;
pub mod redact;
pub mod retry;
pub mod scalar;
pub mod sdk_error;
mod service;
pub mod sign;
#[cfg(feature = "stub-server")]
pub mod stub;
pub mod time;
pub mod validate;
pub mod verify;
pub mod wire;
pub mod xml;

pub use action::{Action, ActionRequest, Paginated, Paginator, RequestBuilder, Sample};
pub use config::{Config, ConfigBuilder, Format};
pub use credentials::{
    Credentials, CredentialsError, DefaultChain, ProvideCredentials, SharedCredentialsProvider,
};
pub use endpoint::{EndpointError, EndpointRule, Endpoints};
pub use error::{DecodeError, ErrorMetadata, Unhandled};
pub use protocol::{Protocol, ProtocolWire};
pub use retry::{CallOptions, RetryPolicy};
pub use scalar::{Blob, DateTime};
pub use sdk_error::{ResponseError, SdkError, TimeoutError};
pub use validate::{ValidationError, Violation, ViolationKind};

/// What a generated service error enum offers, whatever the action.
pub trait ServiceError: std::error::Error {
    /// Builds the error from a provider error's metadata.
    fn from_metadata(meta: ErrorMetadata) -> Self;
    /// The code, message, request id and HTTP status.
    fn meta(&self) -> &ErrorMetadata;
    /// Whether retrying the same request may succeed.
    fn is_retryable(&self) -> bool;
}

/// The fixed part of the generated error enums, written once here.
///
/// `service_error_impls!(XError, PROTOCOL)` gives an action's error enum `from_body`
/// (the protocol reads the envelope: [`ErrorMetadata::from_body`] asks
/// [`protocol::WireProtocol::parse_error`]), `meta`, `is_retryable` (through
/// [`ServiceError`]) and the accessors below;
/// `service_error_impls!(accessors CommonError)` gives an enum with an inherent `meta()`
/// the accessors alone: `code`, `message`, `request_id`, `http_status`, `Display`, `Error`.
#[macro_export]
#[doc(hidden)]
macro_rules! __service_error_impls {
    ($t:ident, $protocol:expr) => {
        impl $t {
            /// Parses a provider error body; `None` if the body is not an error envelope.
            pub fn from_body(http_status: u16, body: &[u8]) -> ::std::option::Option<Self> {
                $crate::ErrorMetadata::from_body($protocol, http_status, body)
                    .map(<Self as $crate::ServiceError>::from_metadata)
            }
            /// The code, message, request id and HTTP status.
            pub fn meta(&self) -> &$crate::ErrorMetadata {
                $crate::ServiceError::meta(self)
            }
            /// Whether retrying the same request may succeed (throttling, transient failures).
            pub fn is_retryable(&self) -> bool {
                $crate::ServiceError::is_retryable(self)
            }
        }
        $crate::__service_error_impls!(accessors $t);
    };
    (accessors $t:ident) => {
        impl $t {
            /// The provider's error code.
            pub fn code(&self) -> &str {
                self.meta().code()
            }
            /// The provider's message.
            pub fn message(&self) -> &str {
                self.meta().message()
            }
            /// The request id, to quote to the provider's support.
            pub fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta().request_id()
            }
            /// The HTTP status the error came with.
            pub fn http_status(&self) -> u16 {
                self.meta().http_status()
            }
        }
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(self.meta(), f)
            }
        }
        impl ::std::error::Error for $t {}
    };
}
#[doc(hidden)]
pub use crate::__service_error_impls as service_error_impls;
