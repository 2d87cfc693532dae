//! Credentials: what a request is signed with ([`Credentials`]), and where a client gets
//! them before each attempt ([`ProvideCredentials`], [`SharedCredentialsProvider`]), or why
//! it could not ([`CredentialsError`]).
//!
//! The providers that find credentials where the official SDKs do (the environment,
//! profile files, the instance's role, STS and their default chain) are in
//! `credential_providers`, above the client (STS is called through it).
//!
//! The secret and the token never appear in `Debug`, `Display`, errors or logs.

use std::fmt;
use std::sync::Arc;

use crate::http::BoxFuture;

/// An access key pair, an optional session token and, for temporary credentials, when
/// they expire.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret: String,
    pub(crate) token: Option<String>,
    expiry: Option<i64>,
}

impl Credentials {
    /// Credentials from explicit values.
    pub fn new(access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret: secret.into(),
            token: None,
            expiry: None,
        }
    }

    /// Adds a session (STS) token.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Marks the credentials as expiring at `unix` (seconds since the epoch).
    pub fn with_expiry(mut self, unix: i64) -> Self {
        self.expiry = Some(unix);
        self
    }

    /// The access key id (Tencent's SecretId); not secret.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// The secret. Handle with care: never log it.
    pub fn secret(&self) -> &str {
        &self.secret
    }
    /// The session token, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
    /// When the credentials expire (Unix seconds), for temporary ones.
    pub fn expiry(&self) -> Option<i64> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret", &crate::redact::Redacted(&self.secret))
            .field("token", &crate::redact::Redacted(&self.token))
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// What kind of failure a [`CredentialsError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source holds nothing: a variable unset, no file, no profile of that name,
    /// no role attached to the instance.
    NotFound,
    /// The source holds something unusable: a malformed file, a missing key, an
    /// unsupported mode, a response that does not decode.
    Invalid,
    /// The source could not be reached (connection refused, timeout, HTTP 5xx): a
    /// later try may succeed.
    Unavailable,
    /// The service answered with a refusal (an STS error code, a metadata `Code` other
    /// than `Success`).
    Rejected,
}

/// Why no credentials could be had. The message never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    pub(crate) kind: CredentialsErrorKind,
    pub(crate) message: String,
    pub(crate) variable: Option<&'static str>,
    pub(crate) attempts: Vec<(String, CredentialsError)>,
}

impl CredentialsError {
    /// A failure of the given kind. For providers written outside this crate.
    pub fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        CredentialsError {
            kind,
            message: message.into(),
            variable: None,
            attempts: Vec::new(),
        }
    }
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotFound, message)
    }
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::Invalid, message)
    }
    pub(crate) fn unavailable(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::Unavailable, message)
    }
    pub(crate) fn rejected(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::Rejected, message)
    }
    /// A required environment variable is missing or empty.
    pub fn missing_variable(variable: &'static str) -> Self {
        CredentialsError {
            variable: Some(variable),
            ..Self::not_found(format!("the environment variable {variable} is not set"))
        }
    }
    /// The same error with `context` in front of its message.
    pub(crate) fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }
    /// The message (also the `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The missing environment variable, when that is the failure.
    pub fn variable(&self) -> Option<&'static str> {
        self.variable
    }
    /// For a chain of providers (`credential_providers::Chain`) that found nothing: each
    /// provider's name and failure, in order.
    pub fn attempts(&self) -> &[(String, CredentialsError)] {
        &self.attempts
    }
    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        self.kind == CredentialsErrorKind::Unavailable
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// The future a provider returns.
pub type ProvideFuture<'a> = BoxFuture<'a, Result<Credentials, CredentialsError>>;

/// A source of credentials, asked before each attempt of a call.
///
/// Implementations that fetch over the network should cache (see
/// `credential_providers::Cached`); their `Debug` must not show secrets.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// The credentials to sign with now.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// Credentials as a client holds them: fixed values, or a provider asked before each
/// attempt. Cheap to clone. Built from [`Credentials`], an `Arc<dyn ProvideCredentials>`
/// or [`SharedCredentialsProvider::new`].
#[derive(Clone)]
pub struct SharedCredentialsProvider(Source);

#[derive(Clone)]
enum Source {
    Static(Credentials),
    Dynamic(Arc<dyn ProvideCredentials>),
}

impl SharedCredentialsProvider {
    /// Wraps a provider.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        SharedCredentialsProvider(Source::Dynamic(Arc::new(provider)))
    }
    /// The fixed credentials, when these are not a provider.
    pub fn as_static(&self) -> Option<&Credentials> {
        match &self.0 {
            Source::Static(c) => Some(c),
            Source::Dynamic(_) => None,
        }
    }
    /// The credentials to sign with now.
    pub async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        match &self.0 {
            Source::Static(c) => Ok(c.clone()),
            Source::Dynamic(p) => p.provide_credentials().await,
        }
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolve())
    }
}

impl From<Credentials> for SharedCredentialsProvider {
    fn from(c: Credentials) -> Self {
        SharedCredentialsProvider(Source::Static(c))
    }
}

impl From<Arc<dyn ProvideCredentials>> for SharedCredentialsProvider {
    fn from(p: Arc<dyn ProvideCredentials>) -> Self {
        SharedCredentialsProvider(Source::Dynamic(p))
    }
}

impl fmt::Debug for SharedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Both redact: `Credentials`' own `Debug`, and every provider's by contract.
        match &self.0 {
            Source::Static(c) => fmt::Debug::fmt(c, f),
            Source::Dynamic(p) => fmt::Debug::fmt(p, f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_secret_and_token() {
        let c = Credentials::new("AKID", "very-secret-key")
            .with_token("tok-123")
            .with_expiry(42);
        let shown = format!("{c:?}");
        assert!(shown.contains("AKID") && shown.contains("42"), "{shown}");
        assert!(
            !shown.contains("very-secret-key") && !shown.contains("tok-123"),
            "{shown}"
        );
        let shared = SharedCredentialsProvider::from(c.clone());
        let shown = format!("{shared:?}");
        assert!(!shown.contains("very-secret-key") && !shown.contains("tok-123"));
    }
}
