//! Credentials of the role attached to the instance, from the instance metadata service:
//! Alibaba Cloud's ECS RAM role, Tencent Cloud's CVM role.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

use cloudapi_protocol::descriptor::{ExpiryFormat, Imds, ImdsToken};

use super::cache::CredentialsCache;
use super::{Cloud, ProviderConfig};
use crate::credentials::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};

/// The largest metadata answer read; anything longer is refused.
const MAX_BODY: usize = 64 * 1024;
/// How long an Alibaba Cloud metadata token is asked to live (the official SDKs' value).
const TOKEN_TTL_SECONDS: &str = "21600";

/// Credentials of the role attached to the instance, cached until five minutes before
/// they expire.
///
/// - Alibaba Cloud: `PUT /latest/api/token` (the IMDSv2 token, sent back as
///   `X-aliyun-ecs-metadata-token`; without one the requests go unauthenticated unless
///   `ALIBABA_CLOUD_IMDSV1_DISABLED=true`), `GET /latest/meta-data/ram/security-credentials/`
///   for the role name (or `ALIBABA_CLOUD_ECS_METADATA`), then `…/<role>`, on
///   `http://100.100.100.200`.
/// - Tencent Cloud: `GET /latest/meta-data/cam/security-credentials/` for the role name,
///   then `…/<role>`, on `http://metadata.tencentyun.com`.
///
/// The endpoint is overridable: [`InstanceMetadata::endpoint`],
/// [`ProviderConfig::metadata_endpoint`], or the variables
/// `CLOUDAPI_ALIBABA_METADATA_ENDPOINT` / `CLOUDAPI_TENCENT_METADATA_ENDPOINT`. Each
/// request has a short timeout (1 s by default) and answers are capped at 64 KiB.
pub struct InstanceMetadata {
    cloud: Cloud,
    endpoint: String,
    role: Option<String>,
    imds_v1_disabled: bool,
    timeout: Duration,
    http: OnceLock<Result<reqwest::Client, String>>,
    cache: CredentialsCache,
}

impl InstanceMetadata {
    /// The metadata service of `cloud`, configured by `config` (endpoint, timeout, clock,
    /// and the environment for the variables above).
    pub fn new(cloud: Cloud, config: &ProviderConfig) -> Self {
        let facts = &cloud.descriptor().imds;
        let role = facts.role_env.and_then(|v| config.env.get(v));
        let imds_v1_disabled = facts
            .token
            .is_some_and(|t| config.env.is_true(t.required_env));
        InstanceMetadata {
            cloud,
            endpoint: config.endpoint_for(cloud, "METADATA", facts.endpoint),
            role,
            imds_v1_disabled,
            timeout: config.metadata_timeout,
            http: OnceLock::new(),
            cache: CredentialsCache::new(config.clock.clone()),
        }
    }
    /// The metadata service's base URL, `http://host[:port]`.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }
    /// The role's name, instead of asking the service for it.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into()).filter(|r| !r.is_empty());
        self
    }
    /// The connect and response timeout of each request.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Alibaba Cloud: refuse to go on without an IMDSv2 token.
    pub fn imds_v1_disabled(mut self, disabled: bool) -> Self {
        self.imds_v1_disabled = disabled;
        self
    }

    fn base(&self) -> &str {
        self.endpoint.trim_end_matches('/')
    }

    /// The provider's metadata service.
    fn facts(&self) -> &'static Imds {
        &self.cloud.descriptor().imds
    }

    fn list_path(&self) -> &'static str {
        self.facts().credentials_path
    }

    /// One request; the status and the body (at most [`MAX_BODY`] bytes).
    async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<(u16, Vec<u8>), CredentialsError> {
        let http = self
            .http
            .get_or_init(|| {
                reqwest::Client::builder()
                    .connect_timeout(self.timeout)
                    .timeout(self.timeout)
                    .no_proxy()
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| CredentialsError::invalid(format!("no HTTP client: {e}")))?;
        let url = format!("{}{path}", self.base());
        let mut req = http.request(method, &url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let unreachable = |e: reqwest::Error| {
            CredentialsError::unavailable(format!(
                "the metadata service at {} did not answer: {e}",
                self.base()
            ))
        };
        let mut resp = req.send().await.map_err(unreachable)?;
        let status = resp.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(CredentialsError::invalid(format!(
                    "the metadata service's answer to {path} is longer than {MAX_BODY} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, body))
    }

    /// A GET that must answer 200.
    async fn get(&self, path: &str, token: Option<&str>) -> Result<Vec<u8>, CredentialsError> {
        let headers: Vec<(&str, &str)> = token
            .zip(self.facts().token)
            .map(|(t, facts)| (facts.header, t))
            .into_iter()
            .collect();
        let (status, body) = self.request(reqwest::Method::GET, path, &headers).await?;
        match status {
            200 => Ok(body),
            404 => Err(CredentialsError::not_found(format!(
                "no role is attached to this instance (the metadata service answered 404 to {path})"
            ))),
            s if s >= 500 => Err(CredentialsError::unavailable(format!(
                "the metadata service answered HTTP {s} to {path}"
            ))),
            s => Err(CredentialsError::rejected(format!(
                "the metadata service answered HTTP {s} to {path}"
            ))),
        }
    }

    /// The session token (Alibaba Cloud's IMDSv2), or `None` to go on without one.
    async fn token(&self, facts: ImdsToken) -> Result<Option<String>, CredentialsError> {
        let outcome = self
            .request(
                reqwest::Method::PUT,
                facts.path,
                &[(facts.ttl_header, TOKEN_TTL_SECONDS)],
            )
            .await;
        let failure = match outcome {
            Ok((200, body)) => match String::from_utf8(body) {
                Ok(t) if !t.trim().is_empty() => return Ok(Some(t.trim().to_owned())),
                _ => CredentialsError::invalid("the metadata token is empty or not UTF-8"),
            },
            Ok((status, _)) => CredentialsError::rejected(format!(
                "the metadata service answered HTTP {status} to the token request"
            )),
            Err(e) => e,
        };
        if self.imds_v1_disabled {
            Err(failure.context(format_args!(
                "no metadata token, and {} is set",
                facts.required_env
            )))
        } else {
            tracing::debug!(error = %failure, "no metadata token; going on without one");
            Ok(None)
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let token = match self.facts().token {
            Some(facts) => self.token(facts).await?,
            None => None,
        };
        let role = match &self.role {
            Some(r) => r.clone(),
            None => {
                let body = self.get(self.list_path(), token.as_deref()).await?;
                let listed = String::from_utf8_lossy(&body);
                let role = listed.lines().map(str::trim).find(|l| !l.is_empty());
                role.map(str::to_owned).ok_or_else(|| {
                    CredentialsError::not_found("no role is attached to this instance")
                })?
            }
        };
        let path = format!(
            "{}{}",
            self.list_path(),
            crate::protocol::sign::percent_encode(&role)
        );
        let body = self.get(&path, token.as_deref()).await?;
        let c = parse(self.cloud, &body).map_err(|e| e.context(format_args!("role {role}")))?;
        tracing::debug!(
            role = role.as_str(),
            expiry = c.expiry(),
            "instance role credentials"
        );
        Ok(c)
    }
}

/// A string member of the metadata answer. Messages name the member, never its value.
fn string(v: &Value, name: &str) -> Result<String, CredentialsError> {
    match v.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(CredentialsError::invalid(format!(
            "the metadata answer has no string `{name}`"
        ))),
    }
}

fn parse(cloud: Cloud, body: &[u8]) -> Result<Credentials, CredentialsError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| CredentialsError::invalid("the metadata answer is not JSON"))?;
    let code = v.get("Code").and_then(Value::as_str).unwrap_or("");
    if code != "Success" {
        return Err(CredentialsError::rejected(format!(
            "the metadata service answered Code `{code}`"
        )));
    }
    let fields = cloud.descriptor().imds.answer;
    let expiry = match fields.expiry_format {
        ExpiryFormat::Iso8601 => {
            let expiration = string(&v, fields.expiry)?;
            crate::codec::time::parse_iso8601(&expiration).ok_or_else(|| {
                CredentialsError::invalid(format!(
                    "the metadata answer's `{}` {expiration:?} is not YYYY-MM-DDTHH:MM:SSZ",
                    fields.expiry
                ))
            })?
        }
        ExpiryFormat::UnixSeconds => match v.get(fields.expiry) {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(s)) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            CredentialsError::invalid(format!(
                "the metadata answer has no integer `{}`",
                fields.expiry
            ))
        })?,
    };
    Ok(Credentials::new(
        string(&v, fields.access_key_id)?,
        string(&v, fields.secret)?,
    )
    .with_token(string(&v, fields.token)?)
    .with_expiry(expiry))
}

impl ProvideCredentials for InstanceMetadata {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}

impl fmt::Debug for InstanceMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstanceMetadata")
            .field("cloud", &self.cloud)
            .field("endpoint", &self.endpoint)
            .field("role", &self.role)
            .field("imds_v1_disabled", &self.imds_v1_disabled)
            .field("timeout", &self.timeout)
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

    const ALI_ROLE: &str = "/latest/meta-data/ram/security-credentials/EcsRole";

    fn ali_answer(expiration: &str) -> String {
        format!(
            r#"{{"AccessKeyId":"STS.ecs","AccessKeySecret":"ecs-secret","SecurityToken":"ecs-token","Expiration":"{expiration}","Code":"Success","LastUpdated":"2024-01-01T00:00:00Z"}}"#
        )
    }

    #[tokio::test]
    async fn alibaba_asks_a_token_then_the_role_then_its_credentials() {
        let server = TestServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
            ("PUT", "/latest/api/token") => Reply::ok("imds-token"),
            (_, _) if req.header("x-aliyun-ecs-metadata-token") != Some("imds-token") => {
                Reply::status(401, "")
            }
            ("GET", "/latest/meta-data/ram/security-credentials/") => Reply::ok("EcsRole\n"),
            ("GET", ALI_ROLE) => Reply::ok(ali_answer("2099-01-01T00:00:00Z")),
            _ => Reply::status(404, ""),
        })
        .await;
        let config = ProviderConfig::new().env(Env::from_pairs([(
            "CLOUDAPI_ALIBABA_METADATA_ENDPOINT",
            server.endpoint(),
        )]));
        let imds = InstanceMetadata::new(Cloud::Alibaba, &config);
        let shown = format!("{imds:?}");
        assert!(shown.contains(&server.endpoint()), "{shown}");
        let c = imds.provide_credentials().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret(), c.token(), c.expiry()),
            (
                "STS.ecs",
                "ecs-secret",
                Some("ecs-token"),
                crate::codec::time::parse_iso8601("2099-01-01T00:00:00Z")
            )
        );
        let reqs = server.requests();
        let seen: Vec<_> = reqs
            .iter()
            .map(|r| (r.method.as_str(), r.path.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("PUT", "/latest/api/token"),
                ("GET", "/latest/meta-data/ram/security-credentials/"),
                ("GET", ALI_ROLE)
            ]
        );
        assert_eq!(
            reqs[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
            Some("21600")
        );
        assert!(!format!("{imds:?}").contains("ecs-secret"));
    }

    #[tokio::test]
    async fn alibaba_goes_on_without_a_token_unless_imds_v1_is_disabled() {
        let server = TestServer::start(|req| match req.path.as_str() {
            "/latest/api/token" => Reply::status(403, ""),
            ALI_ROLE if req.header("x-aliyun-ecs-metadata-token").is_none() => {
                Reply::ok(ali_answer("2099-01-01T00:00:00Z"))
            }
            _ => Reply::status(404, ""),
        })
        .await;
        let config = ProviderConfig::new().metadata_endpoint(server.endpoint());
        let c = InstanceMetadata::new(Cloud::Alibaba, &config)
            .role("EcsRole")
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "STS.ecs");
        let e = InstanceMetadata::new(Cloud::Alibaba, &config)
            .role("EcsRole")
            .imds_v1_disabled(true)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            e.to_string().contains("ALIBABA_CLOUD_IMDSV1_DISABLED"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn tencent_credentials_are_refreshed_before_they_expire() {
        let now = Arc::new(AtomicI64::new(1_700_000_000));
        let server_now = now.clone();
        let server = TestServer::start(move |req| match req.path.as_str() {
            "/latest/meta-data/cam/security-credentials/" => Reply::ok("CvmRole"),
            "/latest/meta-data/cam/security-credentials/CvmRole" => Reply::ok(format!(
                r#"{{"TmpSecretId":"AKIDcvm","TmpSecretKey":"cvm-secret","Token":"cvm-token","ExpiredTime":{},"Expiration":"x","Code":"Success"}}"#,
                // Expires one second after the moment it is asked.
                server_now.load(Ordering::SeqCst) + 1
            )),
            _ => Reply::status(404, ""),
        })
        .await;
        let clock_now = now.clone();
        let config = ProviderConfig::new()
            .metadata_endpoint(server.endpoint())
            .clock(Clock::new(move || clock_now.load(Ordering::SeqCst)));
        let imds = InstanceMetadata::new(Cloud::Tencent, &config);
        let c = imds.provide_credentials().await.unwrap();
        assert_eq!(
            (c.access_key_id(), c.token(), c.expiry()),
            ("AKIDcvm", Some("cvm-token"), Some(1_700_000_001))
        );
        // Within the refresh lead already: the next call fetches again.
        imds.provide_credentials().await.unwrap();
        assert_eq!(server.requests().len(), 4);
    }

    #[tokio::test]
    async fn failures_are_typed_and_bounded() {
        let server = TestServer::start(|req| match req.path.as_str() {
            "/latest/meta-data/cam/security-credentials/" => Reply::status(404, ""),
            "/latest/meta-data/cam/security-credentials/Refused" => {
                Reply::ok(r#"{"Code":"Failure","TmpSecretKey":"never-shown"}"#)
            }
            "/latest/meta-data/cam/security-credentials/Huge" => Reply::ok(vec![b' '; 100_000]),
            "/latest/meta-data/cam/security-credentials/Slow" => {
                Reply::ok("{}").after(Duration::from_secs(5))
            }
            "/latest/meta-data/cam/security-credentials/Broken" => Reply::status(503, ""),
            "/latest/meta-data/cam/security-credentials/BadType" => {
                Reply::ok(r#"{"Code":"Success","TmpSecretId":"a","TmpSecretKey":123456789,"Token":"t","ExpiredTime":1}"#)
            }
            _ => Reply::status(404, ""),
        })
        .await;
        let config = ProviderConfig::new()
            .metadata_endpoint(server.endpoint())
            .metadata_timeout(Duration::from_millis(300));
        let fetch = |role: Option<&str>| {
            let mut p = InstanceMetadata::new(Cloud::Tencent, &config);
            if let Some(r) = role {
                p = p.role(r);
            }
            async move { p.provide_credentials().await.unwrap_err() }
        };
        let e = fetch(None).await;
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound, "{e}");
        let e = fetch(Some("Refused")).await;
        assert_eq!(e.kind(), CredentialsErrorKind::Rejected, "{e}");
        assert!(e.to_string().contains("Failure") && !e.to_string().contains("never-shown"));
        let e = fetch(Some("Huge")).await;
        assert!(e.to_string().contains("longer than 65536 bytes"), "{e}");
        let e = fetch(Some("Slow")).await;
        assert_eq!(e.kind(), CredentialsErrorKind::Unavailable, "{e}");
        assert!(e.is_retryable());
        let e = fetch(Some("Broken")).await;
        assert_eq!(e.kind(), CredentialsErrorKind::Unavailable, "{e}");
        let e = fetch(Some("BadType")).await;
        assert_eq!(
            e.to_string(),
            "role BadType: the metadata answer has no string `TmpSecretKey`"
        );
        // Nothing listening at all.
        let closed = TestServer::start(|_| Reply::ok("")).await;
        let endpoint = closed.endpoint();
        drop(closed);
        let e = InstanceMetadata::new(
            Cloud::Tencent,
            &ProviderConfig::new().metadata_endpoint(endpoint),
        )
        .provide_credentials()
        .await
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Unavailable, "{e}");
    }
}
