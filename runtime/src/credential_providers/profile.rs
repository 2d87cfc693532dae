//! Credentials from the providers' profile files.

use cloudapi_protocol::descriptor::ProfileFormat;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::OnceCell;

use super::imds::InstanceMetadata;
use super::sts::AssumeRole;
use super::{Cloud, ProviderConfig};
use crate::credentials::{
    Credentials, CredentialsError, ProvideCredentials, ProvideFuture, SharedCredentialsProvider,
};

/// Profile files larger than this are refused.
const MAX_FILE: u64 = 1024 * 1024;
/// How deep `ChainableRamRoleArn` profiles may point at each other.
const MAX_SOURCE_DEPTH: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tencent,
    AlibabaIni,
    AliyunCli,
}

/// Credentials from a provider's profile file, read at the first call that finds it (a
/// role the profile names is then assumed and refreshed as long as the provider lives):
///
/// - [`ProfileFile::tencent`]: the INI file `~/.tencentcloud/credentials` (else
///   `/etc/tencentcloud/credentials`; `TENCENTCLOUD_CREDENTIALS_FILE` names another),
///   section `[default]` (`TENCENTCLOUD_PROFILE` names another), keys `secret_id`,
///   `secret_key`.
/// - [`ProfileFile::alibaba`]: the INI file `~/.alibabacloud/credentials.ini`
///   (`ALIBABA_CLOUD_CREDENTIALS_FILE` names another), section `[default]`
///   (`ALIBABA_CLOUD_PROFILE` names another), `type` = `access_key` (`access_key_id`,
///   `access_key_secret`), `ecs_ram_role` (`role_name`, optional) or `ram_role_arn`
///   (`access_key_id`, `access_key_secret`, `role_arn`, `role_session_name`, `policy`).
/// - [`ProfileFile::aliyun_cli`]: the Alibaba Cloud CLI's `~/.aliyun/config.json`, the
///   profile named by `ALIBABA_CLOUD_PROFILE`, else by `current`; modes `AK`,
///   `StsToken`, `RamRoleArn`, `EcsRamRole` and `ChainableRamRoleArn`. Skipped when
///   `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`.
///
/// Other types and modes (OIDC, RSA key pairs, CloudSSO, OAuth, external processes) fail
/// with an "unsupported" error naming them.
pub struct ProfileFile {
    kind: Kind,
    file: Option<PathBuf>,
    profile: Option<String>,
    config: ProviderConfig,
    loaded: OnceCell<SharedCredentialsProvider>,
}

impl ProfileFile {
    fn with_kind(kind: Kind, config: &ProviderConfig) -> Self {
        ProfileFile {
            kind,
            file: None,
            profile: None,
            config: config.clone(),
            loaded: OnceCell::new(),
        }
    }
    /// Tencent Cloud's `~/.tencentcloud/credentials`.
    pub fn tencent(config: &ProviderConfig) -> Self {
        Self::with_kind(Kind::Tencent, config)
    }
    /// Alibaba Cloud's `~/.alibabacloud/credentials.ini`.
    pub fn alibaba(config: &ProviderConfig) -> Self {
        Self::with_kind(Kind::AlibabaIni, config)
    }
    /// The Alibaba Cloud CLI's `~/.aliyun/config.json`.
    pub fn aliyun_cli(config: &ProviderConfig) -> Self {
        Self::with_kind(Kind::AliyunCli, config)
    }
    /// The profile file in `format`.
    pub(crate) fn of_format(format: ProfileFormat, config: &ProviderConfig) -> Self {
        let kind = match format {
            ProfileFormat::AliyunCli => Kind::AliyunCli,
            ProfileFormat::AlibabaIni => Kind::AlibabaIni,
            ProfileFormat::TencentIni => Kind::Tencent,
        };
        Self::with_kind(kind, config)
    }
    /// Reads this file instead of the default one.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }
    /// Reads this profile instead of the one the environment (or the file) names.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    fn env(&self, name: &str) -> Option<String> {
        self.config.env.get(name)
    }

    /// The file to read: the explicit one, the variable's, else the first candidate
    /// under the home directory (or the system) that exists.
    fn path(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(p) = &self.file {
            return Ok(p.clone());
        }
        let var = match self.kind {
            Kind::Tencent => Some("TENCENTCLOUD_CREDENTIALS_FILE"),
            Kind::AlibabaIni => Some("ALIBABA_CLOUD_CREDENTIALS_FILE"),
            Kind::AliyunCli => None,
        };
        if let Some(p) = var.and_then(|v| self.env(v)) {
            return Ok(PathBuf::from(p));
        }
        let home = self.config.home_dir();
        let mut candidates = Vec::new();
        if let Some(home) = &home {
            candidates.push(match self.kind {
                Kind::Tencent => home.join(".tencentcloud").join("credentials"),
                Kind::AlibabaIni => home.join(".alibabacloud").join("credentials.ini"),
                Kind::AliyunCli => home.join(".aliyun").join("config.json"),
            });
        }
        if self.kind == Kind::Tencent {
            candidates.push(PathBuf::from("/etc/tencentcloud/credentials"));
        }
        if let Some(found) = candidates.iter().find(|p| p.is_file()) {
            return Ok(found.clone());
        }
        let looked: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        Err(CredentialsError::not_found(if looked.is_empty() {
            "no home directory (HOME is not set) to find the profile file in".to_owned()
        } else {
            format!("no profile file ({} not found)", looked.join(", "))
        }))
    }

    fn load(&self) -> Result<SharedCredentialsProvider, CredentialsError> {
        if self.kind == Kind::AliyunCli
            && self
                .config
                .env
                .is_true("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")
        {
            return Err(CredentialsError::not_found(
                "the CLI profile is disabled (ALIBABA_CLOUD_CLI_PROFILE_DISABLED)",
            ));
        }
        let path = self.path()?;
        let text = read_file(&path)?;
        let loaded = match self.kind {
            Kind::Tencent => {
                let name = self
                    .profile
                    .clone()
                    .or_else(|| self.env("TENCENTCLOUD_PROFILE"));
                let name = name.as_deref().unwrap_or("default");
                let ini = Ini::parse(&text, &path, false)?;
                let s = ini.section(name)?;
                Credentials::new(s.require("secret_id")?, s.require("secret_key")?).into()
            }
            Kind::AlibabaIni => {
                let name = self
                    .profile
                    .clone()
                    .or_else(|| self.env("ALIBABA_CLOUD_PROFILE"));
                let name = name.as_deref().unwrap_or("default");
                let ini = Ini::parse(&text, &path, true)?;
                self.alibaba_section(ini.section(name)?)?
            }
            Kind::AliyunCli => self.cli_profile(&text, &path)?,
        };
        tracing::debug!(file = %path.display(), "credentials profile loaded");
        Ok(loaded)
    }

    fn alibaba_section(
        &self,
        s: Section<'_>,
    ) -> Result<SharedCredentialsProvider, CredentialsError> {
        let ak = || -> Result<Credentials, CredentialsError> {
            Ok(Credentials::new(
                s.require("access_key_id")?,
                s.require("access_key_secret")?,
            ))
        };
        match s.get("type").unwrap_or("") {
            "access_key" => Ok(ak()?.into()),
            "ecs_ram_role" => {
                let mut imds = InstanceMetadata::new(Cloud::Alibaba, &self.config);
                if let Some(role) = s.get("role_name") {
                    imds = imds.role(role);
                }
                Ok(SharedCredentialsProvider::new(imds))
            }
            "ram_role_arn" => {
                let mut b = AssumeRole::builder(Cloud::Alibaba, s.require("role_arn")?, ak()?)
                    .config(&self.config);
                if let Some(n) = s.get("role_session_name") {
                    b = b.session_name(n);
                }
                if let Some(p) = s.get("policy") {
                    b = b.policy(p);
                }
                Ok(SharedCredentialsProvider::new(b.build().map_err(|e| s.context(e))?))
            }
            "" => Err(s.context(CredentialsError::invalid("`type` is missing"))),
            other => Err(s.context(CredentialsError::invalid(format!(
                "unsupported credential type `{other}` (supported: access_key, ecs_ram_role, ram_role_arn)"
            )))),
        }
    }

    fn cli_profile(
        &self,
        text: &str,
        path: &Path,
    ) -> Result<SharedCredentialsProvider, CredentialsError> {
        let config: Value = serde_json::from_str(text).map_err(|e| {
            CredentialsError::invalid(format!(
                "{} is not JSON (line {}, column {})",
                path.display(),
                e.line(),
                e.column()
            ))
        })?;
        let name = match self.profile.clone().or_else(|| self.env("ALIBABA_CLOUD_PROFILE")) {
            Some(n) => n,
            None => config
                .get("current")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| {
                    CredentialsError::invalid(format!(
                        "{}: no profile named (`current` is empty and ALIBABA_CLOUD_PROFILE is not set)",
                        path.display()
                    ))
                })?,
        };
        self.cli_mode(&config, &name, path, 0)
    }

    fn cli_mode(
        &self,
        config: &Value,
        name: &str,
        path: &Path,
        depth: usize,
    ) -> Result<SharedCredentialsProvider, CredentialsError> {
        let profile = config
            .get("profiles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| {
                CredentialsError::not_found(format!("{} has no profile `{name}`", path.display()))
            })?;
        let at = format!("{} profile `{name}`", path.display());
        let field = |key: &str| -> Option<String> {
            match profile.get(key) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }
        };
        let require = |key: &str| {
            field(key).ok_or_else(|| CredentialsError::invalid(format!("{at}: `{key}` is missing")))
        };
        let ak = || -> Result<Credentials, CredentialsError> {
            Ok(Credentials::new(
                require("access_key_id")?,
                require("access_key_secret")?,
            ))
        };
        let assume = |source: SharedCredentialsProvider| -> Result<SharedCredentialsProvider, CredentialsError> {
            let mut b = AssumeRole::builder(Cloud::Alibaba, require("ram_role_arn")?, source)
                .config(&self.config);
            if let Some(n) = field("ram_session_name") {
                b = b.session_name(n);
            }
            if let Some(p) = field("policy") {
                b = b.policy(p);
            }
            if let Some(x) = field("external_id") {
                b = b.external_id(x);
            }
            if let Some(r) = field("sts_region") {
                b = b.region(r);
            }
            if let Some(secs) = field("expired_seconds").and_then(|s| s.parse::<u64>().ok()).filter(|s| *s > 0) {
                b = b.duration(Duration::from_secs(secs));
            }
            Ok(SharedCredentialsProvider::new(
                b.build().map_err(|e| e.context(&at))?,
            ))
        };
        let mode = profile.get("mode").and_then(Value::as_str).unwrap_or("");
        match mode {
            "AK" => Ok(ak()?.into()),
            "StsToken" => Ok(ak()?.with_token(require("sts_token")?).into()),
            "RamRoleArn" => assume(ak()?.into()),
            "EcsRamRole" => {
                let mut imds = InstanceMetadata::new(Cloud::Alibaba, &self.config);
                if let Some(role) = field("ram_role_name") {
                    imds = imds.role(role);
                }
                Ok(SharedCredentialsProvider::new(imds))
            }
            "ChainableRamRoleArn" => {
                let source = require("source_profile")?;
                if depth >= MAX_SOURCE_DEPTH {
                    return Err(CredentialsError::invalid(format!(
                        "{at}: more than {MAX_SOURCE_DEPTH} chained source profiles (a loop?)"
                    )));
                }
                let source = self
                    .cli_mode(config, &source, path, depth + 1)
                    .map_err(|e| e.context(format_args!("{at}: source profile")))?;
                assume(source)
            }
            "" => Err(CredentialsError::invalid(format!("{at}: `mode` is missing"))),
            other => Err(CredentialsError::invalid(format!(
                "{at}: unsupported mode `{other}` (supported: AK, StsToken, RamRoleArn, EcsRamRole, ChainableRamRoleArn)"
            ))),
        }
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let inner = self
            .loaded
            .get_or_try_init(|| async { self.load() })
            .await?;
        inner.resolve().await
    }
}

impl ProvideCredentials for ProfileFile {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolve())
    }
}

impl fmt::Debug for ProfileFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileFile")
            .field("kind", &self.kind)
            .field("file", &self.file)
            .field("profile", &self.profile)
            .field("loaded", &self.loaded.get())
            .finish_non_exhaustive()
    }
}

/// Reads a profile file (small; read whole).
fn read_file(path: &Path) -> Result<String, CredentialsError> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            CredentialsError::not_found(format!("{shown} not found"))
        } else {
            CredentialsError::invalid(format!("{shown}: {e}"))
        }
    })?;
    if meta.len() > MAX_FILE {
        return Err(CredentialsError::invalid(format!(
            "{shown} is larger than {MAX_FILE} bytes"
        )));
    }
    std::fs::read_to_string(path).map_err(|e| CredentialsError::invalid(format!("{shown}: {e}")))
}

/// An INI file as the official SDKs read it: `[section]`, `key = value` (or `key: value`),
/// `#` and `;` comment lines; keys lowercased; values trimmed, matching quotes removed
/// and, for Alibaba Cloud, anything after a `#` dropped.
struct Ini<'a> {
    path: &'a Path,
    sections: Vec<(String, Vec<(String, String)>)>,
}

impl<'a> Ini<'a> {
    fn parse(text: &str, path: &'a Path, inline_comments: bool) -> Result<Self, CredentialsError> {
        let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            let bad = |what: &str| {
                CredentialsError::invalid(format!("{}:{}: {what}", path.display(), n + 1))
            };
            if let Some(rest) = line.strip_prefix('[') {
                let name = rest
                    .strip_suffix(']')
                    .ok_or_else(|| bad("a section header without `]`"))?;
                sections.push((name.trim().to_owned(), Vec::new()));
                continue;
            }
            let sep = line
                .find(['=', ':'])
                .ok_or_else(|| bad("expected `[section]` or `key = value`"))?;
            let key = line[..sep].trim().to_ascii_lowercase();
            let mut value = line[sep + 1..].trim();
            if inline_comments {
                value = value.split('#').next().unwrap_or("").trim();
            }
            for q in ['"', '\''] {
                if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
                    value = &value[1..value.len() - 1];
                }
            }
            let (_, entries) = sections
                .last_mut()
                .ok_or_else(|| bad("a key before any `[section]`"))?;
            entries.retain(|(k, _)| *k != key);
            entries.push((key, value.to_owned()));
        }
        Ok(Ini { path, sections })
    }

    fn section<'s>(&'s self, name: &'s str) -> Result<Section<'s>, CredentialsError> {
        self.sections
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, entries)| Section {
                path: self.path,
                name,
                entries,
            })
            .ok_or_else(|| {
                CredentialsError::not_found(format!(
                    "{} has no profile [{name}]",
                    self.path.display()
                ))
            })
    }
}

struct Section<'a> {
    path: &'a Path,
    name: &'a str,
    entries: &'a [(String, String)],
}

impl Section<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
    fn context(&self, e: CredentialsError) -> CredentialsError {
        e.context(format_args!("{} [{}]", self.path.display(), self.name))
    }
    fn require(&self, key: &str) -> Result<String, CredentialsError> {
        self.get(key)
            .map(str::to_owned)
            .ok_or_else(|| self.context(CredentialsError::invalid(format!("`{key}` is missing"))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential_providers::test_server::{Reply, TestServer};
    use crate::credential_providers::Env;
    use crate::credentials::CredentialsErrorKind;

    fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn config(home: &Path, vars: &[(&str, &str)]) -> ProviderConfig {
        ProviderConfig::new()
            .env(Env::from_pairs(vars.iter().copied()))
            .home(home)
    }

    #[tokio::test]
    async fn tencent_reads_the_default_section_or_the_named_one() {
        let home = tempfile::tempdir().unwrap();
        write(
            home.path(),
            ".tencentcloud/credentials",
            "# Tencent Cloud\n[default]\nsecret_id = AKIDdefault\nsecret_key=\"default-key\"\n\n[other]\nSECRET_ID: AKIDother\nsecret_key = other-key\n[broken]\nsecret_id = x\n",
        );
        let c = ProfileFile::tencent(&config(home.path(), &[]))
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret()),
            ("AKIDdefault", "default-key")
        );
        let p = ProfileFile::tencent(&config(home.path(), &[("TENCENTCLOUD_PROFILE", "other")]));
        let c = p.provide_credentials().await.unwrap();
        assert_eq!((c.access_key_id(), c.secret()), ("AKIDother", "other-key"));
        assert!(!format!("{p:?}").contains("other-key"), "{p:?}");
        let e = ProfileFile::tencent(&config(home.path(), &[]))
            .profile("broken")
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert!(
            e.to_string()
                .ends_with("credentials [broken]: `secret_key` is missing"),
            "{e}"
        );
        let e = ProfileFile::tencent(&config(home.path(), &[]))
            .profile("nope")
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound, "{e}");

        // TENCENTCLOUD_CREDENTIALS_FILE names another file.
        let other = write(
            home.path(),
            "elsewhere.ini",
            "[default]\nsecret_id=AKIDfile\nsecret_key=k\n",
        );
        let c = ProfileFile::tencent(&config(
            home.path(),
            &[("TENCENTCLOUD_CREDENTIALS_FILE", other.to_str().unwrap())],
        ))
        .provide_credentials()
        .await
        .unwrap();
        assert_eq!(c.access_key_id(), "AKIDfile");

        // A malformed line is reported with its number.
        let bad = write(home.path(), "bad.ini", "[default]\nsecret_id AKID\n");
        let e = ProfileFile::tencent(&config(home.path(), &[]))
            .file(&bad)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("bad.ini:2: expected `[section]` or `key = value`"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn alibaba_ini_types_map_to_providers() {
        let home = tempfile::tempdir().unwrap();
        let server = TestServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
            ("PUT", _) => Reply::status(404, ""),
            ("GET", "/latest/meta-data/ram/security-credentials/IniRole") => Reply::ok(
                r#"{"AccessKeyId":"STS.imds","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T00:00:00Z","Code":"Success"}"#,
            ),
            ("POST", "/") if req.param("RoleArn") == Some("acs:ram::1:role/ini") => Reply::ok(
                r#"{"RequestId":"r","Credentials":{"AccessKeyId":"STS.assumed","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T00:00:00Z"}}"#,
            ),
            _ => Reply::status(400, r#"{"Code":"Unexpected","Message":"unexpected request"}"#),
        })
        .await;
        write(
            home.path(),
            ".alibabacloud/credentials.ini",
            "[default]\ntype = access_key   # the default\naccess_key_id = LTAIini\naccess_key_secret = ini-secret\n\
             [ecs]\ntype = ecs_ram_role\nrole_name = IniRole\n\
             [arn]\ntype = ram_role_arn\naccess_key_id = LTAIsrc\naccess_key_secret = src\nrole_arn = acs:ram::1:role/ini\nrole_session_name = sess\n\
             [oidc]\ntype = oidc_role_arn\n",
        );
        let base = config(home.path(), &[])
            .metadata_endpoint(server.endpoint())
            .sts_endpoint(server.endpoint());
        let get = |profile: &str| {
            let p = ProfileFile::alibaba(&base).profile(profile);
            async move { p.provide_credentials().await }
        };
        let c = get("default").await.unwrap();
        assert_eq!((c.access_key_id(), c.secret()), ("LTAIini", "ini-secret"));
        assert_eq!(get("ecs").await.unwrap().access_key_id(), "STS.imds");
        assert_eq!(get("arn").await.unwrap().access_key_id(), "STS.assumed");
        let assumed = server
            .requests()
            .into_iter()
            .find(|r| r.method == "POST")
            .unwrap();
        assert_eq!(assumed.param("RoleSessionName"), Some("sess"));
        assert!(assumed
            .header("authorization")
            .unwrap()
            .contains("Credential=LTAIsrc,"));
        let e = get("oidc").await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert!(
            e.to_string()
                .contains("[oidc]: unsupported credential type `oidc_role_arn`"),
            "{e}"
        );

        // ALIBABA_CLOUD_PROFILE and ALIBABA_CLOUD_CREDENTIALS_FILE choose the profile and file.
        let other = write(
            home.path(),
            "x.ini",
            "[p]\ntype=access_key\naccess_key_id=LTAIx\naccess_key_secret=s\n",
        );
        let c = ProfileFile::alibaba(&config(
            home.path(),
            &[
                ("ALIBABA_CLOUD_CREDENTIALS_FILE", other.to_str().unwrap()),
                ("ALIBABA_CLOUD_PROFILE", "p"),
            ],
        ))
        .provide_credentials()
        .await
        .unwrap();
        assert_eq!(c.access_key_id(), "LTAIx");
    }

    #[tokio::test]
    async fn aliyun_cli_modes_map_to_providers() {
        let home = tempfile::tempdir().unwrap();
        let server = TestServer::start(|req| match (req.method.as_str(), req.path.as_str()) {
            ("PUT", _) => Reply::ok("tok"),
            ("GET", "/latest/meta-data/ram/security-credentials/") => Reply::ok("CliRole"),
            ("GET", "/latest/meta-data/ram/security-credentials/CliRole") => Reply::ok(
                r#"{"AccessKeyId":"STS.cli-imds","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T00:00:00Z","Code":"Success"}"#,
            ),
            ("POST", "/") => Reply::ok(format!(
                r#"{{"RequestId":"r","Credentials":{{"AccessKeyId":"STS.for-{}","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2099-01-01T00:00:00Z"}}}}"#,
                req.param("RoleArn").unwrap_or("?")
            )),
            _ => Reply::status(404, ""),
        })
        .await;
        write(
            home.path(),
            ".aliyun/config.json",
            r#"{"current":"ak","profiles":[
                {"name":"ak","mode":"AK","access_key_id":"LTAIcli","access_key_secret":"cli-secret","region_id":"cn-hangzhou"},
                {"name":"sts","mode":"StsToken","access_key_id":"STS.x","access_key_secret":"s","sts_token":"cli-token"},
                {"name":"ecs","mode":"EcsRamRole","ram_role_name":""},
                {"name":"arn","mode":"RamRoleArn","access_key_id":"LTAIsrc","access_key_secret":"s","ram_role_arn":"acs:ram::1:role/a","ram_session_name":"cli","expired_seconds":900},
                {"name":"chain","mode":"ChainableRamRoleArn","source_profile":"arn","ram_role_arn":"acs:ram::1:role/b"},
                {"name":"loop","mode":"ChainableRamRoleArn","source_profile":"loop","ram_role_arn":"acs:ram::1:role/c"},
                {"name":"sso","mode":"CloudSSO"}
            ],"meta_path":""}"#,
        );
        let base = config(home.path(), &[])
            .metadata_endpoint(server.endpoint())
            .sts_endpoint(server.endpoint());
        let get = |profile: Option<&str>| {
            let mut p = ProfileFile::aliyun_cli(&base);
            if let Some(n) = profile {
                p = p.profile(n);
            }
            async move { p.provide_credentials().await }
        };
        let c = get(None).await.unwrap();
        assert_eq!((c.access_key_id(), c.secret()), ("LTAIcli", "cli-secret"));
        let c = ProfileFile::aliyun_cli(&config(home.path(), &[("ALIBABA_CLOUD_PROFILE", "sts")]))
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.token(), Some("cli-token"));
        assert_eq!(
            get(Some("ecs")).await.unwrap().access_key_id(),
            "STS.cli-imds"
        );
        assert_eq!(
            get(Some("arn")).await.unwrap().access_key_id(),
            "STS.for-acs:ram::1:role/a"
        );
        let posts: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST")
            .collect();
        assert_eq!(posts[0].param("DurationSeconds"), Some("900"));
        assert_eq!(posts[0].param("RoleSessionName"), Some("cli"));
        // The chained profile assumes `a` with the source's keys, then `b` with `a`'s.
        assert_eq!(
            get(Some("chain")).await.unwrap().access_key_id(),
            "STS.for-acs:ram::1:role/b"
        );
        let posts: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST")
            .collect();
        assert!(posts
            .last()
            .unwrap()
            .header("authorization")
            .unwrap()
            .contains("Credential=STS.for-acs:ram::1:role/a,"));
        let e = get(Some("loop")).await.unwrap_err();
        assert!(e.to_string().contains("chained source profiles"), "{e}");
        let e = get(Some("sso")).await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::Invalid);
        assert!(
            e.to_string()
                .contains("profile `sso`: unsupported mode `CloudSSO`"),
            "{e}"
        );
        let e = get(Some("absent")).await.unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);

        let e = ProfileFile::aliyun_cli(&config(
            home.path(),
            &[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE")],
        ))
        .provide_credentials()
        .await
        .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
        let bad = write(home.path(), "bad.json", "{\"current\":\n  nope}");
        let e = ProfileFile::aliyun_cli(&base)
            .file(&bad)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("bad.json is not JSON (line 2, column 4)"),
            "{e}"
        );
    }

    #[tokio::test]
    async fn missing_files_and_homes_are_not_found() {
        let home = tempfile::tempdir().unwrap();
        let e = ProfileFile::alibaba(&config(home.path(), &[]))
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(e.kind(), CredentialsErrorKind::NotFound);
        assert!(e.to_string().contains(".alibabacloud"), "{e}");
        let e =
            ProfileFile::aliyun_cli(&ProviderConfig::new().env(Env::from_pairs::<&str, &str>([])))
                .provide_credentials()
                .await
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no home directory (HOME is not set) to find the profile file in"
        );
    }
}
