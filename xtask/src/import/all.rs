//! `cargo xtask import --all <provider> --out DIR`: every product at once, for the
//! coverage report (`cargo xtask coverage`, `COVERAGE.md`).
//!
//! - Tencent Cloud: every service of the pinned `tccli`, its newest version, with the
//!   error codes of the pinned `tencentcloud-sdk-python` (the package with every
//!   service), installed into `target/import-venv-tencent-all` (its files overlap the
//!   per-service packages of `target/import-venv`).
//! - Alibaba Cloud: every product of `xtask/import/aliyun-all.txt` (the newest API
//!   version of each, see [`super::list`]), or with `--sample` the fixed 80-product
//!   sample of `xtask/import/aliyun-sample.txt`; each package at the pin the single
//!   import uses ([`super::aliyun_pins`]). The packages are installed 50 at a time; a
//!   package that does not install is reported as its product's failure and the others
//!   go on.
//!
//! `--only P,Q` imports those products of the list alone (a trial run).
//!
//! The import is lenient: an action the checker rejects is left out with its reason,
//! and a product that fails is reported and the others go on. `DIR` must be empty of
//! that provider's products; it receives a loadable specs tree (the repository's
//! `provider.yaml` and one folder per product version) and `DIR/<provider>.import.json`,
//! the report that `cargo xtask coverage` reads.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::aliyun_source::{aliyun_pins, AliyunJob};
use super::importer::{Done, Importer};
use super::tencent_source::{newest_version, TencentJob};
use super::{list, venv, Args};

/// The committed sample of Alibaba products, relative to the repository root.
pub const ALIYUN_SAMPLE: &str = "xtask/import/aliyun-sample.txt";

/// The package with every Tencent service's `errorcodes.py`.
const TENCENT_SDK: &str = "tencentcloud-sdk-python";

/// `DIR/<provider>.import.json`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Report {
    pub provider: String,
    /// What was imported: the list file, or the pinned metadata, and `--only`'s subset.
    #[serde(default)]
    pub list: String,
    /// The pinned packages the metadata came from.
    pub sources: Vec<String>,
    pub seconds: f64,
    /// The import's peak resident memory (this process; pip and npm not counted).
    #[serde(default)]
    pub peak_rss_kib: Option<u64>,
    pub products: Vec<ProductReport>,
}

/// One product of the report.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ProductReport {
    #[serde(flatten)]
    pub done: Done,
    /// Why the product was not imported at all.
    pub error: Option<String>,
}

/// The report's file below `out`.
pub fn report_path(out: &Path, provider: &str) -> std::path::PathBuf {
    out.join(format!("{provider}.import.json"))
}

pub fn run(root: &Path, args: &Args) -> Result<(), String> {
    let out = args.out.as_deref().ok_or(super::USAGE)?;
    let existing = out.join(&args.provider);
    if existing.exists()
        && std::fs::read_dir(&existing)
            .map_err(|e| e.to_string())?
            .any(|e| e.is_ok_and(|e| e.path().is_dir()))
    {
        return Err(format!(
            "import --all: {} already holds products; give an empty --out",
            existing.display()
        ));
    }
    let started = Instant::now();
    let mut report = match args.provider.as_str() {
        "tencentcloud" if args.sample => {
            return Err("import --all: --sample is for aliyun (Tencent Cloud: every service of the pinned tccli; --only picks some)".into())
        }
        "tencentcloud" => tencent(root, out, &args.only)?,
        "aliyun" => {
            let list = if args.sample {
                ALIYUN_SAMPLE
            } else {
                list::ALIYUN_ALL
            };
            aliyun(root, out, list, &args.only)?
        }
        p => {
            return Err(format!(
                "import --all: provider `{p}` is not supported (supported: aliyun, tencentcloud)"
            ))
        }
    };
    if !args.only.is_empty() {
        report.list = format!("{} (--only {})", report.list, args.only.join(","));
    }
    report.seconds = started.elapsed().as_secs_f64();
    report.peak_rss_kib = crate::bench::peak_rss_kib();
    let failed = report.products.iter().filter(|p| p.error.is_some()).count();
    let written: usize = report.products.iter().map(|p| p.done.written.len()).sum();
    let meta: usize = report
        .products
        .iter()
        .map(|p| p.done.metadata_actions)
        .sum();
    let path = report_path(out, &args.provider);
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(&path, json)
        .map_err(|e| format!("import --all: cannot write {}: {e}", path.display()))?;
    println!(
        "import --all {}: {} products ({failed} failed), {written} of {meta} actions written in {:.0} s; report in {}",
        args.provider,
        report.products.len(),
        report.seconds,
        path.display()
    );
    Ok(())
}

/// Runs one product's import, catching its failure (and a panic, reported as a bug).
/// `metadata_actions` counts the metadata's actions the plain way, for a product whose
/// import fails.
fn one(
    product: &str,
    version: &str,
    metadata_actions: impl FnOnce() -> usize,
    f: impl FnOnce() -> Result<Done, String>,
) -> ProductReport {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("import: bug: the importer panicked".to_owned()));
    match result {
        Ok(done) => {
            println!(
                "import --all: {product} {}: {} of {} actions",
                done.version,
                done.written.len(),
                done.metadata_actions
            );
            ProductReport { done, error: None }
        }
        Err(e) => {
            println!(
                "import --all: {product} {version}: failed: {}",
                e.lines().next().unwrap_or("")
            );
            ProductReport {
                done: Done {
                    product: product.to_owned(),
                    version: version.to_owned(),
                    metadata_actions: metadata_actions(),
                    ..Done::default()
                },
                error: Some(e),
            }
        }
    }
}

/// `only`'s names that `all` lacks, as an error.
fn check_only(only: &[String], all: &[String], from: &str) -> Result<(), String> {
    let missing: Vec<&str> = only
        .iter()
        .filter(|o| !all.contains(o))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "import --all: --only names what {from} does not hold: {}",
            missing.join(", ")
        ))
    }
}

fn tencent(root: &Path, out: &Path, only: &[String]) -> Result<Report, String> {
    let (pins_file, pins) = venv::read_pins(root, "tencentcloud")?;
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
            std::fs::read_dir(services_dir.join(s))
                .is_ok_and(|mut d| d.any(|v| v.is_ok_and(|v| v.path().join("api.json").exists())))
        })
        .collect();
    services.sort();
    check_only(only, &services, &format!("tccli {tccli}"))?;
    if !only.is_empty() {
        services.retain(|s| only.contains(s));
    }
    let mut report = Report {
        provider: "tencentcloud".into(),
        list: format!("every service of tccli {tccli}"),
        sources: vec![format!("tccli=={tccli}"), format!("{TENCENT_SDK}=={sdk}")],
        ..Report::default()
    };
    for s in &services {
        let job = TencentJob {
            site: site.clone(),
            service: s.clone(),
            version: None,
            tccli: tccli.clone(),
            sdk_package: TENCENT_SDK.to_owned(),
            sdk: sdk.clone(),
        };
        report.products.push(one(
            s,
            "",
            || tencent_actions(&site, s),
            || job.import(root, out, false, true),
        ));
    }
    Ok(report)
}

fn aliyun(root: &Path, out: &Path, list: &str, only: &[String]) -> Result<Report, String> {
    let (_, mut listed) = venv::read_pins_file(root.join(list))?;
    let products: Vec<String> = listed
        .iter()
        .filter_map(|(n, _)| split_package(n).map(|(p, _)| p))
        .collect();
    check_only(only, &products, list)?;
    if !only.is_empty() {
        listed.retain(|(n, _)| split_package(n).is_some_and(|(p, _)| only.contains(&p)));
    }
    let (_, pins) = aliyun_pins(root)?;
    // Every listed package at the pin the single import would use.
    let wanted: Vec<(String, String)> = listed
        .iter()
        .map(|(n, _)| {
            let v = pins.iter().find(|(m, _)| m == n).map(|(_, v)| v.clone());
            (n.clone(), v.unwrap_or_default())
        })
        .collect();
    let (site, not_installed) = install(root, &wanted)?;
    let mut report = Report {
        provider: "aliyun".into(),
        list: list.to_owned(),
        sources: wanted.iter().map(|(n, v)| format!("{n}=={v}")).collect(),
        ..Report::default()
    };
    for (package, pin) in &wanted {
        let Some((product, digits)) = split_package(package) else {
            report.products.push(ProductReport {
                done: Done {
                    product: package.clone(),
                    ..Done::default()
                },
                error: Some(format!(
                    "import --all: `{package}` is not alibabacloud-<product><yyyymmdd>"
                )),
            });
            continue;
        };
        let version = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]);
        if let Some(e) = not_installed
            .iter()
            .find(|(n, _)| n == package)
            .map(|(_, e)| e)
        {
            println!("import --all: {product} {version}: failed: not installed");
            report.products.push(ProductReport {
                done: Done {
                    product,
                    version,
                    ..Done::default()
                },
                error: Some(e.clone()),
            });
            continue;
        }
        let job = AliyunJob {
            site: site.clone(),
            product: product.clone(),
            digits: digits.clone(),
            package: package.clone(),
            pin: pin.clone(),
        };
        report.products.push(one(
            &product,
            &version,
            || aliyun_actions(&site, &product, &digits),
            || job.import(root, out, false, true),
        ));
    }
    Ok(report)
}

/// How many packages one `pip install` gets.
const INSTALL_BATCH: usize = 50;

/// Installs `wanted` into the import environment, [`INSTALL_BATCH`] at a time; a batch
/// that fails is retried one package at a time. The site-packages folder, and each
/// package that did not install with the error.
fn install(
    root: &Path,
    wanted: &[(String, String)],
) -> Result<(std::path::PathBuf, Vec<(String, String)>), String> {
    let mut failed = Vec::new();
    let mut site = None;
    for batch in wanted.chunks(INSTALL_BATCH) {
        match venv::ensure(root, batch) {
            Ok(s) => site = Some(s),
            Err(_) if batch.len() > 1 => {
                println!(
                    "import --all: a batch did not install; installing its packages one by one"
                );
                for one in batch {
                    match venv::ensure(root, std::slice::from_ref(one)) {
                        Ok(s) => site = Some(s),
                        Err(e) => failed.push((one.0.clone(), e)),
                    }
                }
            }
            Err(e) => failed.push((batch[0].0.clone(), e)),
        }
    }
    let site = match site {
        Some(s) => s,
        // Nothing installed (or nothing wanted): the environment's folder all the same.
        None => venv::ensure(root, &[])?,
    };
    Ok((site, failed))
}

/// The actions of a service's newest `api.json`, read as plain JSON.
fn tencent_actions(site: &Path, service: &str) -> usize {
    let dir = site.join("tccli/services").join(service);
    let Ok(v) = newest_version(&dir) else {
        return 0;
    };
    std::fs::read_to_string(dir.join(v).join("api.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|j| j.get("actions")?.as_object().map(|a| a.len()))
        .unwrap_or(0)
}

/// The `_with_options` functions of a package's `client.py`, counted as text.
fn aliyun_actions(site: &Path, product: &str, digits: &str) -> usize {
    let client = site
        .join(format!(
            "alibabacloud_{}{digits}",
            product.replace('-', "_")
        ))
        .join("client.py");
    std::fs::read_to_string(client).map_or(0, |t| {
        t.lines()
            .filter(|l| {
                let l = l.trim_start();
                l.starts_with("def ") && l.contains("_with_options(")
            })
            .count()
    })
}

/// `alibabacloud-r-kvstore20150101` → (`r-kvstore`, `20150101`).
pub fn split_package(package: &str) -> Option<(String, String)> {
    let rest = package.strip_prefix("alibabacloud-")?;
    if rest.len() <= 8 || !rest.is_char_boundary(rest.len() - 8) {
        return None;
    }
    let (product, digits) = rest.split_at(rest.len() - 8);
    (digits.chars().all(|c| c.is_ascii_digit()) && !product.is_empty())
        .then(|| (product.to_owned(), digits.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::split_package;

    #[test]
    fn package_names() {
        assert_eq!(
            split_package("alibabacloud-r-kvstore20150101"),
            Some(("r-kvstore".into(), "20150101".into()))
        );
        assert_eq!(split_package("alibabacloud-ecs"), None);
        assert_eq!(split_package("tccli"), None);
    }
}
