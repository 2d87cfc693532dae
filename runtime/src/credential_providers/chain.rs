//! Providers tried in order, and the chain the official SDKs use.

use std::fmt;

use super::cache::Cached;
use super::env::Environment;
use super::imds::InstanceMetadata;
use super::profile::ProfileFile;
use super::ProviderConfig;
use crate::credentials::{
    Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
    SharedCredentialsProvider,
};
use crate::protocol::Protocol;

/// Providers tried in order: the first that yields credentials wins. When none does, the
/// error lists every provider's failure; its kind is that of the first failure which is
/// not [`NotFound`](CredentialsErrorKind::NotFound) or
/// [`Unavailable`](CredentialsErrorKind::Unavailable) (a source that holds something
/// unusable), else `NotFound`. As in the official SDKs, a failing source does not stop
/// the chain.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    providers: Vec<(String, SharedCredentialsProvider)>,
}

impl Chain {
    /// A chain that tries `provider` first.
    pub fn first_try(
        name: impl Into<String>,
        provider: impl Into<SharedCredentialsProvider>,
    ) -> Self {
        Chain::default().or_else(name, provider)
    }
    /// Tries `provider` after the ones before.
    pub fn or_else(
        mut self,
        name: impl Into<String>,
        provider: impl Into<SharedCredentialsProvider>,
    ) -> Self {
        self.providers.push((name.into(), provider.into()));
        self
    }
    /// The providers' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.providers.iter().map(|(n, _)| n.as_str())
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut attempts = Vec::new();
        for (name, provider) in &self.providers {
            match provider.resolve().await {
                Ok(c) => {
                    tracing::debug!(provider = name.as_str(), "credentials found");
                    return Ok(c);
                }
                Err(e) => {
                    tracing::debug!(provider = name.as_str(), error = %e, "no credentials");
                    attempts.push((name.clone(), e));
                }
            }
        }
        let kind = attempts
            .iter()
            .map(|(_, e)| e.kind())
            .find(|k| {
                !matches!(
                    k,
                    CredentialsErrorKind::NotFound | CredentialsErrorKind::Unavailable
                )
            })
            .unwrap_or(CredentialsErrorKind::NotFound);
        let message = if attempts.is_empty() {
            "the credentials chain is empty".to_owned()
        } else {
            let each: Vec<String> = attempts
                .iter()
                .map(|(name, e)| format!("{name}: {e}"))
                .collect();
            format!("no credentials from any provider ({})", each.join("; "))
        };
        Err(CredentialsError {
            attempts,
            ..CredentialsError::new(kind, message)
        })
    }
}

impl ProvideCredentials for Chain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolve())
    }
}

/// The chain the official SDKs use, for one protocol's provider, cached (see [`Cached`]):
///
/// - Alibaba Cloud: `environment` ([`Environment`]), `cli-profile`
///   (`~/.aliyun/config.json`), `profile` (`~/.alibabacloud/credentials.ini`), `ecs-ram-role`
///   ([`InstanceMetadata`]; skipped when `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`);
/// - Tencent Cloud: `environment`, `profile` (`~/.tencentcloud/credentials`), `cvm-role`.
///
/// Credentials given in code ([`Config::builder`](crate::Config::builder) with
/// [`Credentials`](crate::credentials::Credentials)) come before all of these.
#[derive(Debug)]
pub struct DefaultChain {
    inner: Cached<Chain>,
    names: Vec<String>,
}

impl DefaultChain {
    /// Reads the process environment, `HOME` and the system clock.
    pub fn new(protocol: Protocol) -> Self {
        Self::with_config(protocol, &ProviderConfig::default())
    }
    /// Reads what `config` says (environment, home directory, clock, endpoints).
    pub fn with_config(protocol: Protocol, config: &ProviderConfig) -> Self {
        let cloud = protocol.cloud();
        let facts = cloud.descriptor();
        let mut chain = Chain::first_try(
            "environment",
            SharedCredentialsProvider::new(Environment::with_config(protocol, config)),
        );
        for &(name, format) in facts.profiles {
            chain = chain.or_else(
                name,
                SharedCredentialsProvider::new(ProfileFile::of_format(format, config)),
            );
        }
        let imds = facts.imds;
        if !imds.disabled_env.is_some_and(|v| config.env.is_true(v)) {
            chain = chain.or_else(
                imds.chain_name,
                SharedCredentialsProvider::new(InstanceMetadata::new(cloud, config)),
            );
        }
        let names = chain.names().map(str::to_owned).collect();
        DefaultChain {
            inner: Cached::new(chain).clock(config.clock.clone()),
            names,
        }
    }
    /// The providers' names, in the order they are tried.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        self.inner.provide_credentials()
    }
}

impl fmt::Display for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.names.join(" → "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential_providers::test_server::{Reply, TestServer};
    use crate::credential_providers::Env;
    use crate::credentials::Credentials;

    #[derive(Debug)]
    struct Failing(CredentialsError);
    impl ProvideCredentials for Failing {
        fn provide_credentials(&self) -> ProvideFuture<'_> {
            let e = self.0.clone();
            Box::pin(async move { Err(e) })
        }
    }

    #[tokio::test]
    async fn the_first_provider_that_yields_wins_and_failures_are_all_reported() {
        let chain = Chain::first_try(
            "a",
            SharedCredentialsProvider::new(Failing(CredentialsError::not_found("nothing in a"))),
        )
        .or_else("b", Credentials::new("from-b", "s"))
        .or_else("c", Credentials::new("from-c", "s"));
        let c = chain.provide_credentials().await.unwrap();
        assert_eq!(c.access_key_id(), "from-b");

        let chain = Chain::first_try(
            "a",
            SharedCredentialsProvider::new(Failing(CredentialsError::not_found("nothing in a"))),
        )
        .or_else(
            "b",
            SharedCredentialsProvider::new(Failing(CredentialsError::invalid("b is malformed"))),
        )
        .or_else(
            "c",
            SharedCredentialsProvider::new(Failing(CredentialsError::unavailable("c is down"))),
        );
        let e = chain.provide_credentials().await.unwrap_err();
        assert_eq!(
            e.to_string(),
            "no credentials from any provider (a: nothing in a; b: b is malformed; c: c is down)"
        );
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        let names: Vec<_> = e.attempts().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(!e.is_retryable());
    }

    #[tokio::test]
    async fn the_default_chain_falls_through_to_the_instance_role() {
        let home = tempfile::tempdir().unwrap();
        let server = TestServer::start(|req| match req.path.as_str() {
            "/latest/meta-data/cam/security-credentials/" => Reply::ok("role-x"),
            "/latest/meta-data/cam/security-credentials/role-x" => Reply::ok(
                r#"{"TmpSecretId":"AKIDtmp","TmpSecretKey":"tmp-secret","Token":"tmp-token","ExpiredTime":4102444800,"Code":"Success"}"#,
            ),
            _ => Reply::status(404, ""),
        })
        .await;
        let config = ProviderConfig::new()
            .env(Env::from_pairs([("TENCENTCLOUD_SECRET_ID", "only-the-id")]))
            .home(home.path())
            .metadata_endpoint(server.endpoint());
        let chain = DefaultChain::with_config(Protocol::Tc3, &config);
        assert_eq!(chain.names(), ["environment", "profile", "cvm-role"]);
        let c = chain.provide_credentials().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.token(), c.expiry()),
            ("AKIDtmp", Some("tmp-token"), Some(4_102_444_800))
        );
        // Cached: a second call asks nothing of the server.
        let before = server.requests().len();
        chain.provide_credentials().await.unwrap();
        assert_eq!(server.requests().len(), before);
    }

    #[tokio::test]
    async fn the_default_chain_reports_every_source_when_none_has_credentials() {
        let home = tempfile::tempdir().unwrap();
        let server = TestServer::start(|_| Reply::status(404, "")).await;
        let config = ProviderConfig::new()
            .env(Env::from_pairs([("ALIBABA_CLOUD_PROFILE", "work")]))
            .home(home.path())
            .metadata_endpoint(server.endpoint());
        let chain = DefaultChain::with_config(Protocol::Rpc, &config);
        assert_eq!(
            chain.names(),
            ["environment", "cli-profile", "profile", "ecs-ram-role"]
        );
        let e = chain.provide_credentials().await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound, "{e}");
        let msg = e.to_string();
        for part in [
            "environment: the environment variable ALIBABA_CLOUD_ACCESS_KEY_ID is not set",
            "cli-profile: ",
            "config.json",
            "profile: ",
            "credentials.ini",
            "ecs-ram-role: ",
        ] {
            assert!(msg.contains(part), "`{part}` missing from {msg}");
        }

        let config = config.env(Env::from_pairs([(
            "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
            "true",
        )]));
        let chain = DefaultChain::with_config(Protocol::Rpc, &config);
        assert_eq!(chain.names(), ["environment", "cli-profile", "profile"]);
    }
}
