//! [`SdkError`], every way a call can fail, and the errors it wraps.
//!
//! [`SdkError`]'s `Display` is one line that says what happened, the wrapped error's
//! text included (a provider error's code, message and request id; a transport failure's
//! cause); its [`source`](std::error::Error::source) is therefore what lies *below* the
//! wrapped error, never the wrapped error itself, so reporters that print a message and
//! then walk the chain (`anyhow`'s `{:#}`, `eyre`) print every part once.

use std::fmt;
use std::time::Duration;

use crate::codec::response::DecodeError;
use crate::credentials::CredentialsError;
use crate::http::TransportError;
use crate::validate::ValidationError;
use crate::ServiceError;

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
        // The decode failure is the source; it is not repeated here.
        write!(f, "the response had HTTP status {}", self.status)
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
    /// No credentials to sign with: the configured provider failed (the request was not
    /// sent).
    Credentials(CredentialsError),
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

/// One line that names what a person needs: for [`SdkError::Service`] the provider's
/// code, message and request id (`InvalidParameter.ValueTooLarge: MaxResults must be at
/// most 100 (request id 3969FC68-…)`); for the others a short cause (`dispatch failure:
/// connection refused`, `request timed out after 30s`).
///
/// The wrapped error's text is part of this line, so [`source`](std::error::Error::source)
/// skips it and returns what lies below it (usually nothing): `{}` and `anyhow`'s `{:#}`
/// print the same facts, each once. Reach the wrapped error itself through the variant
/// (or [`SdkError::service_error`]).
impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // "invalid ListUsers request: The parameter ZoneId is required."
            SdkError::Construction(e) => fmt::Display::fmt(e, f),
            SdkError::Credentials(e) => write!(f, "no credentials to sign with: {e}"),
            SdkError::Dispatch(e) => write!(f, "dispatch failure: {}", e.message),
            SdkError::Timeout(e) => write!(f, "request timed out after {:?}", e.timeout),
            SdkError::Response(e) => write!(
                f,
                "response with HTTP status {} could not be decoded at `{}`: {}",
                e.status,
                e.decode.path(),
                e.decode.message()
            ),
            SdkError::Service(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // What `Display` printed is not handed out again: only what lies below it.
        match self {
            SdkError::Construction(e) => e.source(),
            SdkError::Credentials(e) => e.source(),
            SdkError::Dispatch(e) => e.source(),
            SdkError::Timeout(e) => e.source(),
            SdkError::Response(e) => e.decode.source(),
            SdkError::Service(e) => e.source(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::TransportErrorKind;
    use crate::protocol::error::{ErrorMetadata, Unhandled};

    fn every_kind() -> Vec<SdkError<Unhandled>> {
        let meta = ErrorMetadata::new(
            "InvalidParameter.ValueTooLarge",
            "MaxResults must be at most 100",
            Some("3969FC68-1B1E-4F54-9D6A-2F3A0C1D2E4F".into()),
            400,
        );
        vec![
            SdkError::Construction(ValidationError::missing("ListUsers", "ZoneId")),
            SdkError::Credentials(CredentialsError::missing_variable("TENCENTCLOUD_SECRET_ID")),
            SdkError::Dispatch(TransportError {
                kind: TransportErrorKind::Connect,
                message: "connection refused".into(),
            }),
            SdkError::Timeout(TimeoutError {
                timeout: Duration::from_secs(30),
            }),
            SdkError::Response(ResponseError {
                status: 502,
                decode: DecodeError::new("Users[0].Age", "expected an integer", b"<html/>"),
            }),
            SdkError::Service(Unhandled::new(meta)),
        ]
    }

    #[test]
    fn display_is_one_line_that_names_what_happened() {
        let shown: Vec<String> = every_kind().iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "invalid ListUsers request: The parameter ZoneId is required.",
                "no credentials to sign with: the environment variable TENCENTCLOUD_SECRET_ID is not set",
                "dispatch failure: connection refused",
                "request timed out after 30s",
                "response with HTTP status 502 could not be decoded at `Users[0].Age`: expected an integer",
                "InvalidParameter.ValueTooLarge: MaxResults must be at most 100 \
                 (request id 3969FC68-1B1E-4F54-9D6A-2F3A0C1D2E4F)",
            ]
        );
        // Without a request id, none is shown.
        let bare: SdkError<Unhandled> = SdkError::Service(Unhandled::new(ErrorMetadata::new(
            "Throttling",
            "slow down",
            None,
            400,
        )));
        assert_eq!(bare.to_string(), "Throttling: slow down");
    }

    #[test]
    fn anyhow_prints_each_fact_once() {
        for e in every_kind() {
            let plain = e.to_string();
            let report = anyhow::Error::new(e);
            // `{}` is the outermost message; `{:#}` adds the chain below it, which the
            // message already covers, so both print the same line.
            assert_eq!(format!("{report}"), plain);
            assert_eq!(format!("{report:#}"), plain);
            assert_eq!(report.chain().count(), 1, "{report:#}");
        }
        // A cause below the wrapped error is still reached (and printed once).
        #[derive(Debug)]
        struct Below;
        impl fmt::Display for Below {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the layer below")
            }
        }
        impl std::error::Error for Below {}
        #[derive(Debug)]
        struct Wrapped(Below);
        impl fmt::Display for Wrapped {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("code: message")
            }
        }
        impl std::error::Error for Wrapped {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let e: SdkError<Wrapped> = SdkError::Service(Wrapped(Below));
        let report = anyhow::Error::new(e);
        assert_eq!(format!("{report:#}"), "code: message: the layer below");
    }
}
