//! Service errors as the providers send them, and undecodable responses.

use std::fmt;

use serde::Deserialize;

use super::Protocol;

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
    pub fn new(code: impl Into<String>, message: impl Into<String>, request_id: Option<String>, http_status: u16) -> Self {
        ErrorMetadata { code: code.into(), message: message.into(), request_id, http_status, extra: None }
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

    /// Parses a provider error body. `None` when the body is not an error envelope.
    pub fn from_body(protocol: Protocol, http_status: u16, body: &[u8]) -> Option<Self> {
        match protocol {
            Protocol::Tc3 => {
                #[derive(Deserialize)]
                struct Envelope {
                    #[serde(rename = "Response")]
                    response: Inner,
                }
                #[derive(Deserialize)]
                struct Inner {
                    #[serde(rename = "Error")]
                    error: Option<Err>,
                    #[serde(rename = "RequestId")]
                    request_id: Option<String>,
                }
                #[derive(Deserialize)]
                struct Err {
                    #[serde(rename = "Code")]
                    code: Option<String>,
                    #[serde(rename = "Message")]
                    message: Option<String>,
                }
                let env: Envelope = serde_json::from_slice(body).ok()?;
                let e = env.response.error?;
                Some(ErrorMetadata::new(e.code.unwrap_or_default(), e.message.unwrap_or_default(), env.response.request_id, http_status))
            }
            Protocol::Rpc => {
                #[derive(Deserialize)]
                struct Body {
                    #[serde(rename = "Code")]
                    code: Option<String>,
                    #[serde(rename = "Message")]
                    message: Option<String>,
                    #[serde(rename = "RequestId")]
                    request_id: Option<String>,
                    #[serde(rename = "HostId")]
                    host_id: Option<String>,
                    #[serde(rename = "Recommend")]
                    recommend: Option<String>,
                }
                let b: Body = serde_json::from_slice(body).ok()?;
                // Success bodies may carry `"Code": "OK"` (CCC does); only non-2xx is an error.
                if (200..300).contains(&http_status) {
                    return None;
                }
                let mut m = ErrorMetadata::new(b.code.unwrap_or_default(), b.message.unwrap_or_default(), b.request_id, http_status);
                if b.host_id.is_some() || b.recommend.is_some() {
                    m.extra = Some(Box::new((b.host_id, b.recommend)));
                }
                Some(m)
            }
        }
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.code, self.http_status, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

/// A response body that could not be decoded into the documented model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    path: String,
    message: String,
    body: String,
}

impl DecodeError {
    /// A decode failure at `path` of `body`.
    pub fn new(path: impl Into<String>, message: impl Into<String>, body: &[u8]) -> Self {
        DecodeError { path: path.into(), message: message.into(), body: String::from_utf8_lossy(body).into_owned() }
    }
    /// The path of the field that failed (`Data.List[0].AdminList`), or `.` for the whole body.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The raw body as received (lossily converted to UTF-8).
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode the response at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A service error whose code the action's spec does not list, kept whole.
///
/// Generated error enums hold it in their `Unhandled` variant, which is deprecated for
/// matching: a later spec may list the code, and the error then moves to a variant of
/// its own. Match on the error's `code()` instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unhandled {
    meta: ErrorMetadata,
}

impl Unhandled {
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
