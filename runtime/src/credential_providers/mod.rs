//! The credential providers: they find credentials where the official SDKs do.
//!
//! A client signs with [`Credentials`] given in code, or asks a provider
//! ([`ProvideCredentials`](crate::credentials::ProvideCredentials)) before every attempt. [`DefaultChain`] tries, in order:
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

use crate::credentials::{Credentials, CredentialsError};
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

impl Credentials {
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
        Clock(Arc::new(crate::codec::time::now))
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
    use crate::credentials::{CredentialsErrorKind, ProvideCredentials};

    #[test]
    fn debug_shows_no_variable_values() {
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
