//! Service errors as the providers send them, and undecodable responses.
//!
//! Reading a provider's error envelope is the protocol's business
//! ([`WireProtocol::parse_error`](crate::protocol::WireProtocol::parse_error)); this
//! module holds what every protocol produces.

use std::fmt;

use crate::protocol::Protocol;
use crate::protocol::ProtocolWire as _;

/// What every service error carries, whatever its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: String,
    message: String,
    request_id: Option<String>,
    http_status: u16,
    /// Alibaba Cloud's `HostId` and `Recommend`, boxed: most errors have neither.
    extra: Option<Box<(Option<String>, Option<String>)>>,
}

impl ErrorMetadata {
    /// Metadata with a code, message, request id and HTTP status.
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        request_id: Option<String>,
        http_status: u16,
    ) -> Self {
        ErrorMetadata {
            code: code.into(),
            message: message.into(),
            request_id,
            http_status,
            extra: None,
        }
    }
    /// Adds Alibaba Cloud's `HostId` and `Recommend`, where the envelope has them.
    pub(crate) fn with_details(
        mut self,
        host_id: Option<String>,
        recommend: Option<String>,
    ) -> Self {
        self.extra =
            (host_id.is_some() || recommend.is_some()).then(|| Box::new((host_id, recommend)));
        self
    }
    /// The provider's error code, e.g. `InvalidParameter.NextTokenInvalid`.
    pub fn code(&self) -> &str {
        &self.code
    }
    /// The provider's message.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The request id, to quote to the provider's support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// The HTTP status (Tencent Cloud sends errors with 200).
    pub fn http_status(&self) -> u16 {
        self.http_status
    }
    /// Alibaba Cloud's `HostId`.
    pub fn host_id(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.0.as_deref())
    }
    /// Alibaba Cloud's `Recommend` (a link to the diagnosis page).
    pub fn recommend(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.1.as_deref())
    }

    /// Parses a provider error body in `protocol`'s envelope. `None` when the body is
    /// not an error envelope.
    pub fn from_body(protocol: Protocol, http_status: u16, body: &[u8]) -> Option<Self> {
        protocol.wire().parse_error(http_status, &[], body)
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `InvalidParameter.ValueTooLarge: MaxResults must be at most 100 (request id …)`;
        // the HTTP status is in `http_status()` (Tencent Cloud sends every error with 200).
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

/// A provider error whose code the spec does not list, kept opaque so that a code
/// documented later can become its own variant without breaking matches.
///
/// Match on [`code`](ErrorMetadata::code) through [`meta`](Unhandled::meta) instead of
/// on the variant that holds this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unhandled {
    meta: ErrorMetadata,
}

impl Unhandled {
    /// Wraps the metadata of an unlisted code (for generated code).
    #[doc(hidden)]
    pub fn new(meta: ErrorMetadata) -> Self {
        Unhandled { meta }
    }
    /// The code, message, request id and HTTP status.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.meta, f)
    }
}

impl std::error::Error for Unhandled {}

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
/// [`WireProtocol::parse_error`](crate::protocol::WireProtocol::parse_error)), `meta`, `is_retryable` (through
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unhandled_shows_its_metadata_and_has_no_source() {
        let meta = ErrorMetadata::new("Brand.New", "m", Some("r".into()), 503);
        let u = Unhandled::new(meta.clone());
        assert_eq!(u.meta(), &meta);
        assert_eq!(u.to_string(), meta.to_string());
        assert!(std::error::Error::source(&u).is_none());
        let detailed = meta.clone().with_details(Some("h".into()), None);
        assert_eq!(
            (detailed.host_id(), detailed.recommend()),
            (Some("h"), None)
        );
        assert_eq!(detailed.clone().with_details(None, None), meta);
    }
}
