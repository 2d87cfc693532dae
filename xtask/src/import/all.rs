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
//!   import uses ([`super::aliyun_source::aliyun_pins`]). The packages are installed 50 at a time; a
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

use super::aliyun_source::AliyunJob;
use super::importer::Importer;
use super::output::Done;
use super::tencent_source::TencentJob;
use super::Args;

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
        "tencentcloud" => import_all::<TencentJob>(root, out, args.sample, &args.only)?,
        "aliyun" => import_all::<AliyunJob>(root, out, args.sample, &args.only)?,
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

/// Every product of `I`'s list, leniently, into `out`.
fn import_all<I: Importer>(
    root: &Path,
    out: &Path,
    sample: bool,
    only: &[String],
) -> Result<Report, String> {
    let fleet = I::fetch_all(root, sample, only)?;
    let mut report = Report {
        provider: I::PROVIDER.into(),
        list: fleet.list,
        sources: fleet.sources,
        ..Report::default()
    };
    for p in fleet.products {
        match p {
            Ok(job) => {
                let version = job.version().unwrap_or_default();
                report.products.push(one(
                    job.product(),
                    &version,
                    || job.count_actions(),
                    || job.import(root, out, false, true),
                ));
            }
            Err(u) => {
                if let Some(note) = &u.note {
                    println!("{note}");
                }
                report.products.push(ProductReport {
                    done: Done {
                        product: u.product,
                        version: u.version,
                        ..Done::default()
                    },
                    error: Some(u.error),
                });
            }
        }
    }
    Ok(report)
}
