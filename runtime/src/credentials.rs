//! Access keys, from explicit values or the providers' environment variables.
//! The secret and the token never appear in `Debug` or `Display`.

use std::fmt;

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
        Credentials { access_key_id: access_key_id.into(), secret: secret.into(), token: None }
    }

    /// Adds a session (STS) token.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Alibaba Cloud: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`,
    /// optional `ALIBABA_CLOUD_SECURITY_TOKEN`.
    pub fn from_env_aliyun() -> Result<Self, CredentialsError> {
        Self::from_vars("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN")
    }

    /// Tencent Cloud: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, optional `TENCENTCLOUD_SESSION_TOKEN`.
    pub fn from_env_tencentcloud() -> Result<Self, CredentialsError> {
        Self::from_vars("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN")
    }

    fn from_vars(id: &'static str, secret: &'static str, token: &str) -> Result<Self, CredentialsError> {
        let get = |name: &'static str| std::env::var(name).ok().filter(|v| !v.is_empty()).ok_or(CredentialsError { variable: name });
        let mut c = Credentials::new(get(id)?, get(secret)?);
        c.token = std::env::var(token).ok().filter(|v| !v.is_empty());
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
    fn reads_the_providers_environment_variables() {
        // The only test that touches these variables.
        std::env::remove_var("ALIBABA_CLOUD_ACCESS_KEY_ID");
        assert_eq!(Credentials::from_env_aliyun().unwrap_err().variable, "ALIBABA_CLOUD_ACCESS_KEY_ID");
        std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIid");
        std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sec");
        let c = Credentials::from_env_aliyun().unwrap();
        assert_eq!((c.access_key_id(), c.secret(), c.token()), ("LTAIid", "sec", None));
        std::env::set_var("TENCENTCLOUD_SECRET_ID", "AKID1");
        std::env::set_var("TENCENTCLOUD_SECRET_KEY", "k");
        std::env::set_var("TENCENTCLOUD_SESSION_TOKEN", "t");
        let c = Credentials::from_env_tencentcloud().unwrap();
        assert_eq!((c.access_key_id(), c.token()), ("AKID1", Some("t")));
        let e = CredentialsError { variable: "X" };
        assert_eq!(e.to_string(), "the environment variable X is not set");
    }

    #[test]
    fn debug_redacts_the_secret_and_token() {
        let c = Credentials::new("AKID", "very-secret-key").with_token("tok-123");
        let shown = format!("{c:?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("very-secret-key") && !shown.contains("tok-123"), "{shown}");
    }
}
