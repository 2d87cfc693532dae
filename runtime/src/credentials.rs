//! Access keys, from explicit values or the environment variables of a protocol's provider.
//! The secret and the token never appear in `Debug` or `Display`.

use std::fmt;

use crate::protocol::{CredentialEnv, Protocol};

/// An access key pair and an optional session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret: String,
    token: Option<String>,
}

impl Credentials {
    /// Credentials from explicit values.
    pub fn new(access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret: secret.into(),
            token: None,
        }
    }

    /// Adds a session (STS) token.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Credentials from the environment variables the provider of `protocol` documents
    /// (Tencent Cloud: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, optional
    /// `TENCENTCLOUD_SESSION_TOKEN`; Alibaba Cloud: `ALIBABA_CLOUD_ACCESS_KEY_ID`,
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN`).
    pub fn from_env(protocol: Protocol) -> Result<Self, CredentialsError> {
        Self::from_vars(protocol.wire().credential_env())
    }

    /// Credentials from the given environment variables.
    pub fn from_vars(env: CredentialEnv) -> Result<Self, CredentialsError> {
        let get = |name: &'static str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or(CredentialsError { variable: name })
        };
        let mut c = Credentials::new(get(env.access_key_id)?, get(env.secret)?);
        c.token = std::env::var(env.token).ok().filter(|v| !v.is_empty());
        Ok(c)
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
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret", &"** redacted **")
            .field("token", &self.token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

/// An environment variable the credentials need is missing or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    /// The variable's name.
    pub variable: &'static str,
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the environment variable {} is not set", self.variable)
    }
}

impl std::error::Error for CredentialsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_secret_and_token() {
        let c = Credentials::new("AKID", "very-secret-key").with_token("tok-123");
        let shown = format!("{c:?}");
        assert!(shown.contains("AKID"));
        assert!(
            !shown.contains("very-secret-key") && !shown.contains("tok-123"),
            "{shown}"
        );
    }
}
