//! Credentials from the environment variables the provider documents.

use super::{Env, ProviderConfig};
use crate::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::protocol::{CredentialEnv, Protocol};

/// Reads `names` from `env`: the key id and the secret must be set, the token may be.
pub(crate) fn read(names: CredentialEnv, env: &Env) -> Result<Credentials, CredentialsError> {
    let get = |name: &'static str| {
        env.get(name)
            .ok_or_else(|| CredentialsError::missing_variable(name))
    };
    let mut c = Credentials::new(get(names.access_key_id)?, get(names.secret)?);
    c.token = env.get(names.token);
    Ok(c)
}

/// Credentials from the environment variables of a protocol's provider (Tencent Cloud:
/// `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, optional
/// `TENCENTCLOUD_SESSION_TOKEN`; Alibaba Cloud: `ALIBABA_CLOUD_ACCESS_KEY_ID`,
/// `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN`), read at
/// each call.
#[derive(Debug, Clone)]
pub struct Environment {
    names: CredentialEnv,
    env: Env,
}

impl Environment {
    /// Reads the process environment.
    pub fn new(protocol: Protocol) -> Self {
        Self::with_config(protocol, &ProviderConfig::default())
    }
    /// Reads the environment of `config`.
    pub fn with_config(protocol: Protocol, config: &ProviderConfig) -> Self {
        Environment {
            names: protocol.cloud().credential_env(),
            env: config.env.clone(),
        }
    }
}

impl ProvideCredentials for Environment {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = read(self.names, &self.env);
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    #[tokio::test]
    async fn reads_each_providers_variables_and_names_the_missing_one() {
        let config = ProviderConfig::new().env(Env::from_pairs([
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ali-secret"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", "ali-token"),
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", ""),
        ]));
        let c = Environment::with_config(Protocol::Rpc, &config)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret(), c.token()),
            ("LTAIenv", "ali-secret", Some("ali-token"))
        );
        // An empty variable counts as unset.
        let e = Environment::with_config(Protocol::Tc3, &config)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.variable(), Some("TENCENTCLOUD_SECRET_KEY"));
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
    }
}
