//! Credentials, and the providers that find them where the official SDKs do.
//!
//! A client signs with [`Credentials`] given in code, or asks a provider
//! ([`ProvideCredentials`]) before every attempt. [`DefaultChain`] tries, in order:
//!
//! 1. the environment ([`Environment`]: `TENCENTCLOUD_SECRET_ID`/`_KEY`/`_SESSION_TOKEN`,
//!    `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`/`ALIBABA_CLOUD_SECURITY_TOKEN`);
//! 2. the profile files ([`ProfileFile`]): Alibaba Cloud CLI's `~/.aliyun/config.json`, then
//!    `~/.alibabacloud/credentials.ini`; Tencent Cloud's `~/.tencentcloud/credentials`;
//! 3. the instance's role ([`InstanceMetadata`]): Alibaba Cloud's ECS RAM role, Tencent
//!    Cloud's CVM role.
//!
//! Profiles may name a role to assume ([`AssumeRole`], through STS). Credentials that
//! expire (instance roles, STS) are cached and refreshed before they expire ([`Cached`]).
//!
//! The secret and the token never appear in `Debug`, `Display`, errors or logs.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::http::BoxFuture;
use crate::protocol::{CredentialEnv, Protocol};

mod cache;
mod chain;
mod env;
mod imds;
mod profile;
mod sts;
#[cfg(test)]
mod test_server;

pub use cache::Cached;
pub use chain::{Chain, DefaultChain};
pub use env::Environment;
pub use imds::InstanceMetadata;
pub use profile::ProfileFile;
pub use sts::{AssumeRole, AssumeRoleBuilder};

/// An access key pair, an optional session token and, for temporary credentials, when
/// they expire.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret: String,
    token: Option<String>,
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

    /// Credentials from the environment variables the provider of `protocol` documents
    /// (Tencent Cloud: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, optional
    /// `TENCENTCLOUD_SESSION_TOKEN`; Alibaba Cloud: `ALIBABA_CLOUD_ACCESS_KEY_ID`,
    /// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN`).
    pub fn from_env(protocol: Protocol) -> Result<Self, CredentialsError> {
        Self::from_vars(protocol.cloud().credential_env())
    }

    /// Credentials from the given environment variables.
    pub fn from_vars(names: CredentialEnv) -> Result<Self, CredentialsError> {
        env::read(names, &Env::process())
    }

    /// The provider chain the official SDKs use for `protocol`'s provider (environment,
    /// profile files, instance role), reading the process environment; see
    /// [`DefaultChain`].
    pub fn default_chain(protocol: Protocol) -> DefaultChain {
        DefaultChain::new(protocol)
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
    kind: CredentialsErrorKind,
    message: String,
    variable: Option<&'static str>,
    attempts: Vec<(String, CredentialsError)>,
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
    /// For a [`Chain`] that found nothing: each provider's name and failure, in order.
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
/// Implementations that fetch over the network should cache (see [`Cached`]); their
/// `Debug` must not show secrets.
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

/// Whose credentials: the providers differ in files, metadata services and STS. Defined,
/// with those facts, in the protocol descriptor; a protocol's is [`Protocol::cloud`].
pub use cloudapi_protocol::Cloud;

/// Where providers read environment variables: the process's, or a fixed set (tests,
/// sandboxes). `Debug` shows no values.
#[derive(Clone, Default)]
pub struct Env(Option<Arc<Vec<(String, String)>>>);

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Env(None)
    }
    /// A fixed set of variables; nothing else is visible.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Env(Some(Arc::new(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )))
    }
    /// A variable's value; unset and empty are the same.
    pub fn get(&self, name: &str) -> Option<String> {
        let v = match &self.0 {
            None => std::env::var(name).ok(),
            Some(vars) => vars
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone()),
        };
        v.filter(|v| !v.is_empty())
    }
    /// Whether a variable is `true` (any case).
    pub(crate) fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
    /// The home directory: `HOME`, else `USERPROFILE` (Windows).
    pub fn home(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("Env(process)"),
            Some(v) => write!(f, "Env({} fixed variables)", v.len()),
        }
    }
}

/// The time providers compare expiries with, in Unix seconds; replaceable in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(Arc::new(crate::time::now))
    }
    /// A clock that calls `now`.
    pub fn new(now: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        Clock(Arc::new(now))
    }
    /// The current time, Unix seconds.
    pub fn now(&self) -> i64 {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// What every provider shares: the environment, the home directory, the clock and the
/// endpoint overrides. The default reads the process environment and the system clock.
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    env: Env,
    home: Option<PathBuf>,
    clock: Clock,
    metadata_endpoint: Option<String>,
    sts_endpoint: Option<String>,
    metadata_timeout: Duration,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        ProviderConfig {
            env: Env::process(),
            home: None,
            clock: Clock::system(),
            metadata_endpoint: None,
            sts_endpoint: None,
            metadata_timeout: Duration::from_secs(1),
        }
    }
}

impl ProviderConfig {
    /// The process environment and the system clock.
    pub fn new() -> Self {
        Self::default()
    }
    /// Reads variables from `env` instead of the process environment.
    pub fn env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }
    /// The home directory profile files are found in (default: `HOME`, else `USERPROFILE`).
    pub fn home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }
    /// The clock expiries are compared with.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
    /// The instance metadata service, `http://host[:port]` (default: the provider's; or
    /// `CLOUDAPI_ALIBABA_METADATA_ENDPOINT` / `CLOUDAPI_TENCENT_METADATA_ENDPOINT`).
    pub fn metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(endpoint.into());
        self
    }
    /// The STS endpoint, a host or `scheme://host[:port]` (default: the provider's; or
    /// `CLOUDAPI_ALIBABA_STS_ENDPOINT` / `CLOUDAPI_TENCENT_STS_ENDPOINT`).
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }
    /// The connect and response timeout of each metadata request (default 1 s).
    pub fn metadata_timeout(mut self, timeout: Duration) -> Self {
        self.metadata_timeout = timeout;
        self
    }

    /// The environment in use.
    pub fn environment(&self) -> &Env {
        &self.env
    }
    pub(crate) fn home_dir(&self) -> Option<PathBuf> {
        self.home.clone().or_else(|| self.env.home())
    }
    /// An endpoint: the explicit one, else `<PREFIX>_<what>_ENDPOINT`, else `default`.
    pub(crate) fn endpoint_for(&self, cloud: Cloud, what: &str, default: &str) -> String {
        let explicit = match what {
            "METADATA" => &self.metadata_endpoint,
            _ => &self.sts_endpoint,
        };
        explicit
            .clone()
            .or_else(|| {
                self.env.get(&format!(
                    "{}_{what}_ENDPOINT",
                    cloud.descriptor().env_prefix
                ))
            })
            .unwrap_or_else(|| default.to_owned())
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
        let env = Env::from_pairs([("TENCENTCLOUD_SECRET_KEY", "very-secret-key")]);
        assert!(!format!("{env:?}").contains("very-secret-key"));
    }

    #[test]
    fn each_protocol_maps_to_its_cloud() {
        assert_eq!(Protocol::Tc3.cloud(), Cloud::Tencent);
        assert_eq!(Protocol::Rpc.cloud(), Cloud::Alibaba);
    }

    #[test]
    fn credentials_come_from_each_protocols_environment_variables() {
        // The only test that touches these variables of the process (moved here from
        // `protocol`); every other test reads a fixed `Env`.
        std::env::remove_var("ALIBABA_CLOUD_ACCESS_KEY_ID");
        let e = Credentials::from_env(Protocol::Rpc).unwrap_err();
        assert_eq!(e.variable(), Some("ALIBABA_CLOUD_ACCESS_KEY_ID"));
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
        assert_eq!(
            e.to_string(),
            "the environment variable ALIBABA_CLOUD_ACCESS_KEY_ID is not set"
        );
        std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIid");
        std::env::set_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sec");
        let c = Credentials::from_env(Protocol::Rpc).unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret(), c.token()),
            ("LTAIid", "sec", None)
        );
        std::env::set_var("TENCENTCLOUD_SECRET_ID", "AKID1");
        std::env::set_var("TENCENTCLOUD_SECRET_KEY", "k");
        std::env::set_var("TENCENTCLOUD_SESSION_TOKEN", "t");
        let c = Credentials::from_env(Protocol::Tc3).unwrap();
        assert_eq!((c.access_key_id(), c.token()), ("AKID1", Some("t")));

        // The default chain reads the same variables (and `HOME`) from the process.
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let c = rt
            .block_on(Credentials::default_chain(Protocol::Tc3).provide_credentials())
            .unwrap();
        assert_eq!((c.access_key_id(), c.secret()), ("AKID1", "k"));

        // Without the variables, it finds the profile file under `HOME`.
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".tencentcloud")).unwrap();
        std::fs::write(
            home.path().join(".tencentcloud/credentials"),
            "[default]\nsecret_id = AKIDhome\nsecret_key = home-key\n",
        )
        .unwrap();
        let saved_home = std::env::var_os("HOME");
        std::env::set_var("HOME", home.path());
        std::env::remove_var("TENCENTCLOUD_SECRET_ID");
        let found = rt.block_on(Credentials::default_chain(Protocol::Tc3).provide_credentials());
        match saved_home {
            Some(h) => std::env::set_var("HOME", h),
            None => std::env::remove_var("HOME"),
        }
        let c = found.unwrap();
        assert_eq!((c.access_key_id(), c.secret()), ("AKIDhome", "home-key"));
    }
}
