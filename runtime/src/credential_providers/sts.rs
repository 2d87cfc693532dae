//! Temporary credentials of an assumed role, from STS, signed with source credentials
//! and sent through the runtime's own client (these providers sit above it).

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use serde::Deserialize;

use super::cache::CredentialsCache;
use super::{Cloud, ProviderConfig};
use crate::client::config::Config;
use crate::client::error::SdkError;
use crate::client::Client;
use crate::codec::response::{DecodeError, Model, ResponseLayout};
use crate::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, SharedCredentialsProvider,
};
use crate::protocol::error::{ErrorMetadata, ServiceError};
use crate::protocol::layout::Query;
use crate::protocol::service::{Operation, Service};
use crate::protocol::Payload;

/// The provider's STS as a product version (its facts are the descriptor's: Alibaba Cloud
/// STS 2015-04-01 is signed with ACS3, so that a source session token travels in a
/// header, not in the URL; Tencent Cloud STS 2018-08-13 is called in `ap-guangzhou`).
pub(crate) const fn sts_service(cloud: Cloud) -> Service {
    let sts = &cloud.descriptor().sts;
    Service {
        protocol: sts.protocol,
        signing: sts.signing,
        version: sts.version,
        endpoint: sts.endpoint,
        service: sts.service,
        default_region: sts.default_region,
        endpoints: None,
    }
}

/// Repeating it only issues other temporary credentials: safe to retry.
const ASSUME_ROLE: Operation = Operation {
    action: "AssumeRole",
    requests_per_second: None,
    idempotent: true,
    idempotency_token: None,
};

/// Temporary credentials of a role, from STS `AssumeRole`, signed with the credentials
/// of another provider (the source) and cached until five minutes before they expire.
///
/// Alibaba Cloud: `sts.aliyuncs.com` (`sts.<region>.aliyuncs.com` with
/// [`region`](AssumeRoleBuilder::region) or `ALIBABA_CLOUD_STS_REGION`, `sts-vpc.…` with
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`), parameters `RoleArn`, `RoleSessionName`,
/// `DurationSeconds` (default 3600, at least 900), `Policy`, `ExternalId`.
/// Tencent Cloud: `sts.tencentcloudapi.com`, region `ap-guangzhou`, parameters
/// `RoleArn`, `RoleSessionName`, `DurationSeconds` (default 7200, at most 43200).
/// The endpoint is overridable: [`AssumeRoleBuilder::endpoint`],
/// [`ProviderConfig::sts_endpoint`], or `CLOUDAPI_ALIBABA_STS_ENDPOINT` /
/// `CLOUDAPI_TENCENT_STS_ENDPOINT`.
pub struct AssumeRole {
    cloud: Cloud,
    role_arn: String,
    session_name: String,
    duration_seconds: u64,
    policy: Option<String>,
    external_id: Option<String>,
    region: Option<String>,
    endpoint: String,
    source: SharedCredentialsProvider,
    client: OnceLock<Result<Client, String>>,
    cache: CredentialsCache,
}

/// Builds an [`AssumeRole`].
#[derive(Debug, Clone)]
pub struct AssumeRoleBuilder {
    cloud: Cloud,
    role_arn: String,
    source: SharedCredentialsProvider,
    session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    external_id: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    config: ProviderConfig,
}

impl AssumeRole {
    /// Assumes `role_arn` (`acs:ram::<account>:role/<name>`, `qcs::cam::uin/<uin>:roleName/<name>`)
    /// with the credentials `source` gives.
    pub fn builder(
        cloud: Cloud,
        role_arn: impl Into<String>,
        source: impl Into<SharedCredentialsProvider>,
    ) -> AssumeRoleBuilder {
        AssumeRoleBuilder {
            cloud,
            role_arn: role_arn.into(),
            source: source.into(),
            session_name: None,
            duration: None,
            policy: None,
            external_id: None,
            region: None,
            endpoint: None,
            config: ProviderConfig::default(),
        }
    }
}

impl AssumeRoleBuilder {
    /// The session name (default `cloudapi-rust-<unix time>`).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }
    /// How long the credentials live (whole seconds).
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }
    /// Alibaba Cloud: a policy further restricting the role's permissions (JSON).
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }
    /// Alibaba Cloud: the role's external id.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }
    /// The STS region (Alibaba Cloud: picks `sts.<region>.aliyuncs.com`; Tencent Cloud:
    /// `X-TC-Region`, default `ap-guangzhou`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// The STS endpoint: a host or `scheme://host[:port]`.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }
    /// Takes the clock, the environment and the STS endpoint override from `config`.
    pub fn config(mut self, config: &ProviderConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Checks the parameters.
    pub fn build(self) -> Result<AssumeRole, CredentialsError> {
        let env = &self.config.env;
        if self.role_arn.trim().is_empty() {
            return Err(CredentialsError::invalid("the role ARN to assume is empty"));
        }
        let sts = &self.cloud.descriptor().sts;
        let (default_secs, range) = (
            sts.default_duration_secs,
            sts.min_duration_secs..=sts.max_duration_secs,
        );
        let duration_seconds = self.duration.map_or(default_secs, |d| d.as_secs());
        if !range.contains(&duration_seconds) {
            return Err(CredentialsError::invalid(format!(
                "the session duration {duration_seconds} s is outside {}..={} s",
                range.start(),
                range.end()
            )));
        }
        let region = self
            .region
            .clone()
            .or_else(|| sts.region_env.and_then(|v| env.get(v)));
        let default_endpoint = match (sts.regional_endpoint, &region) {
            (Some(regional), Some(r)) => {
                let host = match sts.vpc_endpoint {
                    Some((var, vpc)) if env.is_true(var) => vpc,
                    _ => regional,
                };
                host.replace("{region}", r)
            }
            _ => sts.endpoint.to_owned(),
        };
        let endpoint = match self.endpoint {
            Some(e) => e,
            None => self
                .config
                .endpoint_for(self.cloud, "STS", &default_endpoint),
        };
        let session_name = self
            .session_name
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("cloudapi-rust-{}", self.config.clock.now()));
        Ok(AssumeRole {
            cloud: self.cloud,
            role_arn: self.role_arn,
            session_name,
            duration_seconds,
            policy: self.policy.filter(|p| !p.is_empty()),
            external_id: self.external_id.filter(|p| !p.is_empty()),
            region,
            endpoint,
            source: self.source,
            client: OnceLock::new(),
            cache: CredentialsCache::new(self.config.clock.clone()),
        })
    }
}

/// An STS error answer.
#[derive(Debug)]
struct StsError(ErrorMetadata);

impl fmt::Display for StsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for StsError {}

impl ServiceError for StsError {
    fn from_metadata(meta: ErrorMetadata) -> Self {
        StsError(meta)
    }
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
    fn is_retryable(&self) -> bool {
        let code = self.0.code();
        code.starts_with("Throttling")
            || code.starts_with("InternalError")
            || code == "ServiceUnavailable"
            || code == "RequestLimitExceeded"
    }
}

// The answers. No `Debug`: they hold secrets.
impl Model for AlibabaAnswer {
    fn decode(layout: &ResponseLayout, body: &[u8]) -> Result<Self, DecodeError> {
        crate::codec::response::decode_response_serde(layout, body)
    }
}

impl Model for TencentAnswer {
    fn decode(layout: &ResponseLayout, body: &[u8]) -> Result<Self, DecodeError> {
        crate::codec::response::decode_response_serde(layout, body)
    }
}

#[derive(Deserialize)]
struct AlibabaAnswer {
    #[serde(rename = "Credentials")]
    credentials: AlibabaCredentials,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AlibabaCredentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: String,
    expiration: String,
}

#[derive(Deserialize)]
struct TencentAnswer {
    #[serde(rename = "Credentials")]
    credentials: TencentCredentials,
    #[serde(rename = "ExpiredTime")]
    expired_time: i64,
}

#[derive(Deserialize)]
struct TencentCredentials {
    #[serde(rename = "TmpSecretId")]
    tmp_secret_id: String,
    #[serde(rename = "TmpSecretKey")]
    tmp_secret_key: String,
    #[serde(rename = "Token")]
    token: String,
}

impl AssumeRole {
    fn client(&self) -> Result<&Client, CredentialsError> {
        self.client
            .get_or_init(|| {
                let service = sts_service(self.cloud);
                let mut config = Config::builder(self.source.clone())
                    .endpoint(self.endpoint.clone())
                    .request_timeout(Duration::from_secs(10));
                if let (true, Some(r)) = (
                    self.cloud.descriptor().sts.region_is_client_region,
                    &self.region,
                ) {
                    config = config.region(r.clone());
                }
                Client::new(config.build(), service).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| CredentialsError::invalid(format!("no HTTP client for STS: {e}")))
    }

    /// The failure of the call, without any part of the answer's body.
    fn failure(&self, e: SdkError<StsError>) -> CredentialsError {
        let what = format!("STS AssumeRole of {} at {}", self.role_arn, self.endpoint);
        match e {
            SdkError::Service(e) => CredentialsError::rejected(format!("{what} was refused: {e}")),
            SdkError::Dispatch(e) => CredentialsError::unavailable(format!("{what} failed: {e}")),
            SdkError::Timeout(e) => CredentialsError::unavailable(format!("{what} failed: {e}")),
            SdkError::Response(e) => CredentialsError::invalid(format!(
                "{what}: the answer (HTTP {}) does not decode at `{}`",
                e.status,
                e.decode.path()
            )),
            SdkError::Credentials(e) => e.context(format_args!("{what}: the source credentials")),
            other => CredentialsError::invalid(format!("{what} failed: {other}")),
        }
    }

    /// The two providers' `AssumeRole` differ in their requests and answers (what they
    /// are called with and answer is each API's own, not a fact of the descriptor).
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let client = self.client()?;
        let c = match self.cloud {
            Cloud::Alibaba => {
                let mut q = Query::new(ASSUME_ROLE.action, sts_service(self.cloud).version);
                q.push("RoleArn", &self.role_arn);
                q.push("RoleSessionName", &self.session_name);
                q.push("DurationSeconds", &(self.duration_seconds as i64));
                q.push_opt("Policy", self.policy.as_ref());
                q.push_opt("ExternalId", self.external_id.as_ref());
                let a: AlibabaAnswer = client
                    .call_payload::<_, StsError>(&ASSUME_ROLE, Payload::Query(q))
                    .await
                    .map_err(|e| self.failure(e))?;
                let c = a.credentials;
                let expiry = crate::codec::time::parse_iso8601(&c.expiration).ok_or_else(|| {
                    CredentialsError::invalid(format!(
                        "STS answered an `Expiration` that is not YYYY-MM-DDTHH:MM:SSZ: {:?}",
                        c.expiration
                    ))
                })?;
                Credentials::new(c.access_key_id, c.access_key_secret)
                    .with_token(c.security_token)
                    .with_expiry(expiry)
            }
            Cloud::Tencent => {
                let body = serde_json::json!({
                    "RoleArn": self.role_arn,
                    "RoleSessionName": self.session_name,
                    "DurationSeconds": self.duration_seconds,
                });
                let a: TencentAnswer = client
                    .call_payload::<_, StsError>(
                        &ASSUME_ROLE,
                        Payload::Json(body.to_string().into_bytes()),
                    )
                    .await
                    .map_err(|e| self.failure(e))?;
                Credentials::new(a.credentials.tmp_secret_id, a.credentials.tmp_secret_key)
                    .with_token(a.credentials.token)
                    .with_expiry(a.expired_time)
            }
            other => {
                return Err(CredentialsError::invalid(format!(
                    "no STS AssumeRole call for {other:?}"
                )))
            }
        };
        tracing::debug!(
            role_arn = self.role_arn.as_str(),
            expiry = c.expiry(),
            "assumed role"
        );
        Ok(c)
    }
}

impl ProvideCredentials for AssumeRole {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

impl fmt::Debug for AssumeRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRole")
            .field("cloud", &self.cloud)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration_seconds", &self.duration_seconds)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::credential_providers::test_server::{Reply, TestServer};
    use crate::credential_providers::{Clock, Env};
    use crate::credentials::CredentialsErrorKind;

    fn tencent_answer(expired_time: i64) -> String {
        format!(
            r#"{{"Response":{{"Credentials":{{"Token":"sts-token","TmpSecretId":"AKIDsts","TmpSecretKey":"sts-secret"}},"ExpiredTime":{expired_time},"Expiration":"2099-01-01T00:00:00Z","RequestId":"req-1"}}}}"#
        )
    }

    const ALIBABA_ANSWER: &str = r#"{"RequestId":"req-2","AssumedRoleUser":{"Arn":"acs:ram::1:role/r/s","AssumedRoleId":"3"},"Credentials":{"AccessKeyId":"STS.ali","AccessKeySecret":"ali-sts-secret","SecurityToken":"ali-sts-token","Expiration":"2099-01-01T00:00:00Z"}}"#;

    #[tokio::test]
    async fn tencent_assume_role_is_signed_with_the_source_and_decoded() {
        let server = TestServer::start(|_| Reply::ok(tencent_answer(4_102_444_800))).await;
        let p = AssumeRole::builder(
            Cloud::Tencent,
            "qcs::cam::uin/100:roleName/deploy",
            Credentials::new("AKIDsource", "source-secret"),
        )
        .session_name("ci")
        .duration(Duration::from_secs(1800))
        .config(&ProviderConfig::new().env(Env::from_pairs([(
            "CLOUDAPI_TENCENT_STS_ENDPOINT",
            server.endpoint(),
        )])))
        .build()
        .unwrap();
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret(), c.token(), c.expiry()),
            (
                "AKIDsts",
                "sts-secret",
                Some("sts-token"),
                Some(4_102_444_800)
            )
        );
        let reqs = server.requests();
        assert_eq!(reqs.len(), 1);
        let r = &reqs[0];
        assert_eq!(r.header("x-tc-action"), Some("AssumeRole"));
        assert_eq!(r.header("x-tc-version"), Some("2018-08-13"));
        assert_eq!(r.header("x-tc-region"), Some("ap-guangzhou"));
        let auth = r.header("authorization").unwrap();
        assert!(
            auth.starts_with("TC3-HMAC-SHA256 Credential=AKIDsource/")
                && auth.contains("/sts/tc3_request"),
            "{auth}"
        );
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"RoleArn": "qcs::cam::uin/100:roleName/deploy", "RoleSessionName": "ci", "DurationSeconds": 1800})
        );
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("source-secret") && !shown.contains("sts-secret"),
            "{shown}"
        );
    }

    #[tokio::test]
    async fn alibaba_assume_role_sends_the_parameters_and_the_source_token_in_a_header() {
        let server = TestServer::start(|_| Reply::ok(ALIBABA_ANSWER)).await;
        let p = AssumeRole::builder(
            Cloud::Alibaba,
            "acs:ram::1:role/r",
            Credentials::new("LTAIsource", "source-secret").with_token("source-token"),
        )
        .session_name("s")
        .policy(r#"{"Version":"1"}"#)
        .endpoint(server.endpoint())
        .build()
        .unwrap();
        let c = p.provide_credentials().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret(), c.token()),
            ("STS.ali", "ali-sts-secret", Some("ali-sts-token"))
        );
        assert_eq!(
            c.expiry(),
            crate::codec::time::parse_iso8601("2099-01-01T00:00:00Z")
        );
        let r = &server.requests()[0];
        assert_eq!(r.header("x-acs-action"), Some("AssumeRole"));
        assert_eq!(r.header("x-acs-version"), Some("2015-04-01"));
        assert_eq!(r.header("x-acs-security-token"), Some("source-token"));
        assert!(r
            .header("authorization")
            .unwrap()
            .starts_with("ACS3-HMAC-SHA256 Credential=LTAIsource,"));
        assert_eq!(r.param("RoleArn"), Some("acs:ram::1:role/r"));
        assert_eq!(r.param("RoleSessionName"), Some("s"));
        assert_eq!(r.param("DurationSeconds"), Some("3600"));
        assert_eq!(r.param("Policy"), Some(r#"{"Version":"1"}"#));
        assert_eq!(r.param("SecurityToken"), None);
    }

    #[tokio::test]
    async fn credentials_expiring_within_the_lead_are_assumed_again() {
        let now = Arc::new(AtomicI64::new(1_700_000_000));
        let server_now = now.clone();
        let server = TestServer::start(move |_| {
            Reply::ok(tencent_answer(server_now.load(Ordering::SeqCst) + 1))
        })
        .await;
        let clock_now = now.clone();
        let config = ProviderConfig::new()
            .sts_endpoint(server.endpoint())
            .clock(Clock::new(move || clock_now.load(Ordering::SeqCst)));
        let p = AssumeRole::builder(
            Cloud::Tencent,
            "qcs::cam::uin/1:roleName/r",
            Credentials::new("a", "b"),
        )
        .config(&config)
        .build()
        .unwrap();
        assert_eq!(
            p.provide_credentials().await.unwrap().expiry(),
            Some(1_700_000_001)
        );
        p.provide_credentials().await.unwrap();
        assert_eq!(server.requests().len(), 2);
    }

    #[tokio::test]
    async fn failures_name_the_role_and_keep_their_kind() {
        let server = TestServer::start(|req| {
            if req.header("x-tc-action").is_some() {
                Reply::ok(r#"{"Response":{"Error":{"Code":"InvalidParameter.RoleNotExist","Message":"role not exist"},"RequestId":"req-9"}}"#)
            } else {
                Reply::status(403, r#"{"Code":"NoPermission","Message":"You are not authorized","RequestId":"req-8","HostId":"sts.aliyuncs.com"}"#)
            }
        })
        .await;
        let config = ProviderConfig::new().sts_endpoint(server.endpoint());
        let e = AssumeRole::builder(
            Cloud::Tencent,
            "qcs::cam::uin/1:roleName/gone",
            Credentials::new("a", "b"),
        )
        .config(&config)
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Rejected, "{e}");
        let msg = e.to_string();
        assert!(
            msg.contains("roleName/gone") && msg.contains("InvalidParameter.RoleNotExist"),
            "{msg}"
        );
        let e = AssumeRole::builder(
            Cloud::Alibaba,
            "acs:ram::1:role/r",
            Credentials::new("a", "b"),
        )
        .config(&config)
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
        assert!(e.to_string().contains("NoPermission"), "{e}");

        // The source's failure, with its kind.
        let e = AssumeRole::builder(
            Cloud::Tencent,
            "qcs::cam::uin/1:roleName/r",
            SharedCredentialsProvider::new(crate::credential_providers::Environment::with_config(
                crate::Protocol::Tc3,
                &ProviderConfig::new().env(Env::from_pairs::<&str, &str>([])),
            )),
        )
        .config(&config)
        .build()
        .unwrap()
        .provide_credentials()
        .await
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound, "{e}");
        assert!(e.to_string().contains("the source credentials: the environment variable TENCENTCLOUD_SECRET_ID is not set"), "{e}");

        // Parameters are checked before anything is sent.
        let e = AssumeRole::builder(
            Cloud::Alibaba,
            "acs:ram::1:role/r",
            Credentials::new("a", "b"),
        )
        .duration(Duration::from_secs(60))
        .build()
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the session duration 60 s is outside 900..=43200 s"
        );
        assert!(
            AssumeRole::builder(Cloud::Tencent, " ", Credentials::new("a", "b"))
                .build()
                .is_err()
        );
    }

    #[test]
    fn alibaba_endpoint_follows_the_sts_region_variables() {
        let config = ProviderConfig::new().env(Env::from_pairs([
            ("ALIBABA_CLOUD_STS_REGION", "cn-hangzhou"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
        ]));
        let p = AssumeRole::builder(
            Cloud::Alibaba,
            "acs:ram::1:role/r",
            Credentials::new("a", "b"),
        )
        .config(&config)
        .build()
        .unwrap();
        assert_eq!(p.endpoint, "sts-vpc.cn-hangzhou.aliyuncs.com");
        let p = AssumeRole::builder(
            Cloud::Alibaba,
            "acs:ram::1:role/r",
            Credentials::new("a", "b"),
        )
        .config(&ProviderConfig::new().env(Env::from_pairs::<&str, &str>([])))
        .build()
        .unwrap();
        assert_eq!(p.endpoint, "sts.aliyuncs.com");
    }

    /// Against the runtime's stub server, which checks the signature as the providers do.
    #[cfg(feature = "stub-server")]
    #[tokio::test]
    async fn the_stub_server_accepts_the_signatures() {
        use crate::server::{Outcome, Reply as StubReply, StubBuilder};
        for (cloud, service, answer) in [
            (
                Cloud::Tencent,
                sts_service(Cloud::Tencent),
                serde_json::json!({"Credentials":{"Token":"t","TmpSecretId":"AKIDsts","TmpSecretKey":"k"},"ExpiredTime":4102444800_i64}),
            ),
            (
                Cloud::Alibaba,
                sts_service(Cloud::Alibaba),
                serde_json::json!({"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"k","SecurityToken":"t","Expiration":"2100-01-01T00:00:00Z"}}),
            ),
        ] {
            let source = Credentials::new("source-id", "source-secret");
            let stub = StubBuilder::new(service, source.clone())
                .handler(
                    "AssumeRole",
                    Arc::new(move |incoming| {
                        assert!(
                            incoming.params.get("RoleArn").is_some() || !incoming.body.is_empty()
                        );
                        Outcome::Reply(StubReply::Ok(answer.clone()))
                    }),
                )
                .start()
                .await
                .unwrap();
            let c = AssumeRole::builder(cloud, "role-arn", source)
                .endpoint(stub.endpoint())
                .build()
                .unwrap()
                .provide_credentials()
                .await
                .unwrap();
            assert_eq!(c.expiry(), Some(4_102_444_800), "{cloud:?}");
            assert_eq!(stub.received().len(), 1, "{cloud:?}");
        }
    }
}
