//! Reading a Tencent Cloud service version's metadata from the installed packages: the
//! pinned `tccli` wheel's `services/<service>/<version>/api.json` and `examples.json`,
//! and the service's SDK package's `errorcodes.py`; [`tencent`] maps them.

use std::path::{Path, PathBuf};

use codegen::spec::ErrorSpec;

use super::importer::{check_only, Fleet, Importer};
use super::output::{About, Imported, Kept};
use super::tencent::{self, Api, Examples};
use super::venv;

/// The package with every Tencent service's `errorcodes.py` (for `--all`).
const TENCENT_SDK: &str = "tencentcloud-sdk-python";

/// One Tencent service version to import from an installed environment.
pub struct TencentJob {
    pub site: PathBuf,
    pub service: String,
    /// `None`: the newest version folder.
    pub version: Option<String>,
    pub tccli: String,
    /// The package that holds `errorcodes.py` and its version.
    pub sdk_package: String,
    pub sdk: String,
}

/// A service version's metadata.
pub struct TencentSource {
    service: String,
    api: Api,
    examples: Examples,
    errors: Vec<ErrorSpec>,
    origin: String,
}

impl Importer for TencentJob {
    const PROVIDER: &'static str = "tencentcloud";
    type Source = TencentSource;

    fn fetch(root: &Path, product: &str, version: Option<&str>) -> Result<Self, String> {
        let (pins_file, pins) = venv::read_pins(root, Self::PROVIDER)?;
        let tccli = venv::pinned(&pins, "tccli", &pins_file)?.to_owned();
        let sdk_package = format!("tencentcloud-sdk-python-{product}");
        let sdk = venv::pinned(&pins, &sdk_package, &pins_file)?.to_owned();
        let site = venv::ensure(
            root,
            &[
                ("tccli".to_owned(), tccli.clone()),
                (sdk_package.clone(), sdk.clone()),
            ],
        )?;
        Ok(TencentJob {
            site,
            service: product.to_owned(),
            version: version.map(str::to_owned),
            tccli,
            sdk_package,
            sdk,
        })
    }

    fn product(&self) -> &str {
        &self.service
    }

    fn read(&self, _root: &Path) -> Result<TencentSource, String> {
        let service_dir = self.site.join("tccli/services").join(&self.service);
        let vdir = match &self.version {
            Some(v) => format!("v{}", v.trim_start_matches('v').replace('-', "")),
            None => newest_version(&service_dir)?,
        };
        let meta_dir = service_dir.join(&vdir);
        let api: Api = read_json(&meta_dir.join("api.json"))?;
        let examples_path = meta_dir.join("examples.json");
        let examples: Examples = if examples_path.exists() {
            read_json(&examples_path)?
        } else {
            Examples::default()
        };
        let errors_path = self
            .site
            .join("tencentcloud")
            .join(&self.service)
            .join(&vdir)
            .join("errorcodes.py");
        let errors_text = std::fs::read_to_string(&errors_path).map_err(|e| {
            format!(
                "import: cannot read {} ({}=={} has no errorcodes.py for {vdir}?): {e}",
                errors_path.display(),
                self.sdk_package,
                self.sdk
            )
        })?;
        let origin = format!(
            "tccli {tccli} (services/{p}/{vdir}/api.json, examples.json) and {pkg} {sdk} ({p}/{vdir}/errorcodes.py) by `cargo xtask import tencentcloud {p}`",
            tccli = self.tccli,
            pkg = self.sdk_package,
            sdk = self.sdk,
            p = self.service
        );
        Ok(TencentSource {
            service: self.service.clone(),
            api,
            examples,
            errors: tencent::parse_errorcodes(&errors_text),
            origin,
        })
    }

    fn about(source: &TencentSource) -> About {
        About {
            version: source.api.metadata.api_version.clone(),
            actions: source.api.actions.len(),
            origin: source.origin.clone(),
        }
    }

    fn map(source: &TencentSource, kept: &Kept) -> Result<Imported, String> {
        let src = tencent::Source {
            service: &source.service,
            api: &source.api,
            examples: &source.examples,
            errors: &source.errors,
            origin: &source.origin,
        };
        tencent::map(&src, kept)
    }

    /// Every service of the pinned `tccli`, with the error codes of the all-services SDK
    /// package, installed into `target/import-venv-tencent-all` (its files overlap the
    /// per-service packages').
    fn fetch_all(root: &Path, sample: bool, only: &[String]) -> Result<Fleet<Self>, String> {
        if sample {
            return Err("import --all: --sample is for aliyun (Tencent Cloud: every service of the pinned tccli; --only picks some)".into());
        }
        let (pins_file, pins) = venv::read_pins(root, Self::PROVIDER)?;
        let tccli = venv::pinned(&pins, "tccli", &pins_file)?.to_owned();
        let sdk = venv::pinned(&pins, TENCENT_SDK, &pins_file)?.to_owned();
        let site = venv::ensure_in(
            root,
            "import-venv-tencent-all",
            &[
                ("tccli".to_owned(), tccli.clone()),
                (TENCENT_SDK.to_owned(), sdk.clone()),
            ],
        )?;
        let services_dir = site.join("tccli/services");
        let mut services: Vec<String> = std::fs::read_dir(&services_dir)
            .map_err(|e| format!("import --all: cannot read {}: {e}", services_dir.display()))?
            .filter_map(|e| {
                let e = e.ok()?;
                e.path().is_dir().then_some(())?;
                e.file_name().into_string().ok()
            })
            .filter(|s| {
                std::fs::read_dir(services_dir.join(s)).is_ok_and(|mut d| {
                    d.any(|v| v.is_ok_and(|v| v.path().join("api.json").exists()))
                })
            })
            .collect();
        services.sort();
        check_only(only, &services, &format!("tccli {tccli}"))?;
        if !only.is_empty() {
            services.retain(|s| only.contains(s));
        }
        Ok(Fleet {
            list: format!("every service of tccli {tccli}"),
            sources: vec![format!("tccli=={tccli}"), format!("{TENCENT_SDK}=={sdk}")],
            products: services
                .into_iter()
                .map(|service| {
                    Ok(TencentJob {
                        site: site.clone(),
                        service,
                        version: None,
                        tccli: tccli.clone(),
                        sdk_package: TENCENT_SDK.to_owned(),
                        sdk: sdk.clone(),
                    })
                })
                .collect(),
        })
    }

    fn version(&self) -> Option<String> {
        self.version.clone()
    }

    /// The actions of the service's newest `api.json`, read as plain JSON.
    fn count_actions(&self) -> usize {
        let dir = self.site.join("tccli/services").join(&self.service);
        let Ok(v) = newest_version(&dir) else {
            return 0;
        };
        std::fs::read_to_string(dir.join(v).join("api.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .and_then(|j| j.get("actions")?.as_object().map(|a| a.len()))
            .unwrap_or(0)
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("import: cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("import: {}: {e}", path.display()))
}

/// The newest `vYYYYMMDD` folder of a service.
fn newest_version(service_dir: &Path) -> Result<String, String> {
    let entries = std::fs::read_dir(service_dir).map_err(|e| {
        format!(
            "import: no metadata for this product at {} ({e}); is the product name the service's short name?",
            service_dir.display()
        )
    })?;
    entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            n.len() == 9 && n.starts_with('v') && n[1..].chars().all(|c| c.is_ascii_digit())
        })
        .max()
        .ok_or_else(|| format!("import: no version folder under {}", service_dir.display()))
}
