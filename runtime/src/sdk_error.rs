//! [`SdkError`], every way a call can fail, and the errors it wraps.
//!
//! Each error's `Display` describes its own layer only and hands the layer below out
//! through [`source`](std::error::Error::source), so reporters that print a message and
//! then walk the chain (`anyhow`, `eyre`) print every part once.

use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::error::DecodeError;
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

impl<E> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only this layer: the wrapped error is the source.
        f.write_str(match self {
            SdkError::Construction(_) => "failed to construct request",
            SdkError::Credentials(_) => "no credentials to sign with",
            SdkError::Dispatch(_) => "dispatch failure",
            SdkError::Timeout(_) => "request timed out",
            SdkError::Response(_) => "response could not be decoded",
            SdkError::Service(_) => "service error",
        })
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Construction(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorMetadata, Unhandled};
    use crate::http::TransportErrorKind;

    /// Every message of an error's source chain, outermost first.
    fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
        let mut out = vec![e.to_string()];
        let mut next = e.source();
        while let Some(e) = next {
            out.push(e.to_string());
            next = e.source();
        }
        out
    }

    #[test]
    fn no_message_of_a_source_chain_repeats_another() {
        let meta = ErrorMetadata::new(
            "Throttling.User",
            "Request was denied due to user flow control.",
            Some("req-1".into()),
            400,
        );
        let errors: Vec<SdkError<Unhandled>> = vec![
            SdkError::Construction(ValidationError::missing("ListUsers", "ZoneId")),
            SdkError::Credentials(CredentialsError::missing_variable("TENCENTCLOUD_SECRET_ID")),
            SdkError::Dispatch(TransportError {
                kind: TransportErrorKind::Connect,
                message: "connection refused".into(),
            }),
            SdkError::Timeout(TimeoutError {
                timeout: Duration::from_millis(200),
            }),
            SdkError::Response(ResponseError {
                status: 502,
                decode: DecodeError::new(".", "expected value at line 1 column 1", b"<html/>"),
            }),
            SdkError::Service(Unhandled::new(meta.clone())),
        ];
        for e in &errors {
            let messages = chain(e);
            assert!(messages.len() >= 2, "{messages:?}: the cause is a source");
            for (i, outer) in messages.iter().enumerate() {
                assert!(!outer.is_empty());
                for inner in &messages[i + 1..] {
                    assert!(
                        !outer.contains(inner.as_str()) && !inner.contains(outer.as_str()),
                        "`{outer}` and `{inner}` repeat each other in {messages:?}"
                    );
                }
            }
        }
        // The leaf still says everything about itself.
        let service = chain(&errors[5]);
        assert_eq!(service, ["service error".to_owned(), meta.to_string()]);
        assert!(service[1].contains("Throttling.User") && service[1].contains("req-1"));
        let response = chain(&errors[4]);
        assert_eq!(response.len(), 3, "{response:?}");
        assert!(response[1].contains("502") && response[2].contains("expected value"));
    }
}
