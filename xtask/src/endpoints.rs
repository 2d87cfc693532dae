//! `cargo xtask coverage endpoints <provider> DIR`: the host our client resolves for every
//! product of an `import --all` tree, against the host the official Python SDK computes, in
//! the cases of `cloudapi_runtime::client::endpoint::comparison_cases` (each region of the
//! product's map and five ordinary ones, times the networks or Tencent host settings).
//!
//! Ours comes from the runtime's own resolver (`endpoint::resolve`) on the checked
//! `endpoints:` block of each product; theirs from `xtask/interop/official_endpoints.py`
//! (shared with `cargo xtask interop`) in `target/endpoints-venv-<provider>`: the pinned
//! official SDKs of `xtask/interop/requirements.txt` plus the packages the tree was
//! imported from (the sources of `DIR/aliyun.import.json`, else the sample,
//! `xtask/import/aliyun-sample.txt`; and what older clients import,
//! `xtask/interop/endpoints-requirements.txt`; Tencent: the all-services `tencentcloud-sdk-python`
//! of `xtask/import/tencentcloud.txt`), all `--no-deps`. The result replaces the
//! `endpoints: <provider> sample` section of COVERAGE.md: matched / compared per product,
//! every difference named.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cloudapi_runtime::client::endpoint;
use cloudapi_runtime::Endpoints;
use cloudapi_runtime::{Config, Credentials};

use crate::import::venv;

/// `cargo xtask coverage endpoints <aliyun|tencentcloud> DIR`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Resolve every product's hosts of an `import --all` tree (DIR) with the \
                  runtime's resolver and compare each with the host the official Python SDK \
                  computes (pinned SDKs in target/endpoints-venv-<provider>; needs PyPI); \
                  rewrite the `endpoints: <provider> sample` section of COVERAGE.md."
)]
pub struct Args {
    /// The provider whose tree DIR holds.
    #[arg(value_parser = ["aliyun", "tencentcloud"])]
    pub provider: String,
    /// What `cargo xtask import --all <provider> --out DIR` wrote.
    pub dir: PathBuf,
}

/// One product's comparison.
#[derive(Debug, Default)]
struct Compared {
    matched: usize,
    compared: usize,
    /// `region setting: ours ≠ theirs`, every difference.
    differences: Vec<String>,
}

/// One case to ask the official SDK about.
struct Case {
    product: String,
    region: String,
    setting: &'static str,
    ours: String,
}

pub fn run(root: &Path, args: &Args) -> Result<(), String> {
    let provider = &args.provider;
    let dir = args.dir.as_path();
    let provider_dir = dir.join(provider);
    let provider_file = provider_dir.join(codegen::load::PROVIDER_FILE);
    let provider_text = std::fs::read(&provider_file).map_err(|e| {
        format!(
            "coverage endpoints: cannot read {} (run `cargo xtask import --all {provider} --out {}` first): {e}",
            provider_file.display(),
            dir.display()
        )
    })?;

    // Ours, per product: the checked endpoint metadata through the runtime's resolver.
    let mut cases: Vec<Case> = Vec::new();
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    let mut not_compared: Vec<(String, String)> = Vec::new();
    for version_dir in crate::coverage_file::product_dirs(&provider_dir)? {
        let rel = version_dir
            .strip_prefix(dir)
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .replace('\\', "/");
        let product_file = version_dir.join(codegen::load::PRODUCT_FILE);
        let files = vec![
            (
                format!("{provider}/{}", codegen::load::PROVIDER_FILE),
                provider_text.clone(),
            ),
            (
                format!("{rel}/{}", codegen::load::PRODUCT_FILE),
                std::fs::read(&product_file).map_err(|e| e.to_string())?,
            ),
        ];
        let product = match codegen::load_files(files) {
            Ok(mut loaded) if loaded.len() == 1 => loaded.remove(0),
            Ok(_) => {
                not_compared.push((rel, "its product.yaml did not load alone".into()));
                continue;
            }
            Err(d) => {
                let first = d.items.first().map_or("", |i| i.message.as_str());
                not_compared.push((rel, format!("the checker rejects it: {first}")));
                continue;
            }
        };
        let Some(ep) = &product.endpoints else {
            not_compared.push((rel, "no `endpoints:` block".into()));
            continue;
        };
        let ep: &'static Endpoints = Box::leak(Box::new(Endpoints {
            // The descriptor's enum, which the checker and the runtime share.
            rule: ep.rule,
            product_id: leak(&ep.product_id),
            regions: Box::leak(
                ep.regions
                    .iter()
                    .map(|(r, h)| (leak(r), leak(h)))
                    .collect::<Vec<_>>()
                    .into_boxed_slice(),
            ),
        }));
        let module = match provider.as_str() {
            // `alibabacloud-vpc20160428` installs `alibabacloud_vpc20160428`.
            "aliyun" => format!(
                "alibabacloud_{}{}",
                product.product.replace('-', "_"),
                product.version.replace('-', "")
            ),
            _ => format!(
                "tencentcloud.{p}.{v}.{p}_client",
                p = product.product,
                v = product.version_mod
            ),
        };
        modules.insert(rel.clone(), module);
        for (region, setting) in endpoint::comparison_cases(ep) {
            let config = endpoint::apply_setting(
                Config::builder(Credentials::new("id", "secret")).region(&region),
                setting,
            )
            .build();
            let ours = match endpoint::resolve(
                &config,
                &product.endpoint,
                product.default_region.as_deref(),
                Some(ep),
            ) {
                Ok(h) => h,
                Err(e) => format!("error: {e}"),
            };
            cases.push(Case {
                product: rel.clone(),
                region,
                setting,
                ours,
            });
        }
    }

    // Theirs.
    let python = ensure_venv(root, provider, dir)?;
    let input: Vec<serde_json::Value> = cases
        .iter()
        .map(|c| {
            serde_json::json!({
                "provider": provider,
                "module": modules[&c.product],
                "region": c.region,
                "setting": c.setting,
            })
        })
        .collect();
    let mut child = Command::new(&python)
        .arg(root.join("xtask/interop/official_endpoints.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("coverage endpoints: cannot run {}: {e}", python.display()))?;
    let mut stdin = child.stdin.take().ok_or("coverage endpoints: no stdin")?;
    let text = serde_json::to_vec(&input).map_err(|e| e.to_string())?;
    let writer = std::thread::spawn(move || stdin.write_all(&text));
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    writer
        .join()
        .map_err(|_| "coverage endpoints: the writer panicked".to_owned())?
        .map_err(|e| format!("coverage endpoints: cannot write the cases: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "coverage endpoints: official_endpoints.py failed ({})",
            out.status
        ));
    }
    let theirs: Vec<String> = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("coverage endpoints: official_endpoints.py's answer: {e}"))?;
    if theirs.len() != cases.len() {
        return Err(format!(
            "coverage endpoints: {} answers for {} cases",
            theirs.len(),
            cases.len()
        ));
    }

    // Compared: equal hosts, or both refusing.
    let mut by_product: BTreeMap<String, Compared> = BTreeMap::new();
    for (c, t) in cases.iter().zip(&theirs) {
        let p = by_product.entry(c.product.clone()).or_default();
        p.compared += 1;
        if c.ours == *t || (c.ours.starts_with("error: ") && t.starts_with("error: ")) {
            p.matched += 1;
        } else {
            p.differences.push(format!(
                "{} {}: ours `{}`, the SDK's `{t}`",
                c.region, c.setting, c.ours
            ));
        }
    }
    let section = section(provider, &by_product, &not_compared);
    crate::coverage_file::write_section(
        root,
        &format!("endpoints: {provider}, every product imported"),
        &section,
    )?;
    let (m, n) = by_product
        .values()
        .fold((0, 0), |(m, n), p| (m + p.matched, n + p.compared));
    println!(
        "coverage endpoints: {provider}: {m}/{n} cases matched in {} products ({} not compared); COVERAGE.md written",
        by_product.len(),
        not_compared.len()
    );
    Ok(())
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// The environment with the official SDKs the comparison constructs clients of.
fn ensure_venv(root: &Path, provider: &str, dir: &Path) -> Result<std::path::PathBuf, String> {
    let (_, mut wanted) = venv::read_pins_file(root.join("xtask/interop/requirements.txt"))?;
    match provider {
        "aliyun" => {
            // The packages the tree was imported from, else the sample's.
            let report = std::fs::read_to_string(crate::import::all::report_path(dir, provider))
                .ok()
                .and_then(|t| serde_json::from_str::<crate::import::all::Report>(&t).ok());
            let sample = match report {
                Some(r) => r
                    .sources
                    .iter()
                    .filter_map(|s| s.split_once("=="))
                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                    .collect(),
                None => {
                    venv::read_pins_file(root.join(crate::import::aliyun_source::ALIYUN_SAMPLE))?.1
                }
            };
            let (_, extra) =
                venv::read_pins_file(root.join("xtask/interop/endpoints-requirements.txt"))?;
            wanted.extend(sample);
            wanted.extend(extra);
        }
        _ => {
            // The all-services package instead of the per-service ones (their files overlap).
            wanted.retain(|(n, _)| {
                !n.starts_with("tencentcloud-sdk-python-") || n.ends_with("-common")
            });
            let (file, pins) = venv::read_pins(root, "tencentcloud")?;
            let sdk = venv::pinned(&pins, "tencentcloud-sdk-python", &file)?;
            wanted.push(("tencentcloud-sdk-python".to_owned(), sdk.to_owned()));
        }
    }
    wanted.sort();
    wanted.dedup();
    let site = venv::ensure_in(root, &format!("endpoints-venv-{provider}"), &wanted)?;
    // site-packages is `<venv>/lib/pythonX.Y/site-packages`.
    let venv = site
        .ancestors()
        .nth(3)
        .ok_or("coverage endpoints: no virtual environment above site-packages")?;
    Ok(venv.join("bin/python"))
}

fn section(
    provider: &str,
    by_product: &BTreeMap<String, Compared>,
    not_compared: &[(String, String)],
) -> String {
    let (m, n) = by_product
        .values()
        .fold((0, 0), |(m, n), p| (m + p.matched, n + p.compared));
    let mut md = format!(
        "## endpoints: {provider}, every product imported\n\nThe host our client resolves for each product of `cargo xtask import --all {provider}`, against the host the official Python SDK computes (`cargo xtask coverage endpoints {provider} DIR`; the same cases and script as the committed products' comparison in `cargo xtask interop`). {m} of {n} cases match in {} products.\n\n| product | matched / compared |\n|---|---|\n",
        by_product.len()
    );
    for (p, c) in by_product {
        md.push_str(&format!("| {p} | {} / {} |\n", c.matched, c.compared));
    }
    let diffs: Vec<String> = by_product
        .iter()
        .flat_map(|(p, c)| c.differences.iter().map(move |d| format!("- {p}: {d}")))
        .collect();
    md.push_str(&format!("\nDifferences ({}):\n\n", diffs.len()));
    if diffs.is_empty() {
        md.push_str("None.\n");
    } else {
        for d in &diffs {
            md.push_str(&format!("{}\n", d.replace('|', "\\|")));
        }
    }
    md.push_str(&format!("\nNot compared ({}):\n\n", not_compared.len()));
    if not_compared.is_empty() {
        md.push_str("None.\n");
    } else {
        for (p, why) in not_compared {
            md.push_str(&format!("- {p}: {why}\n"));
        }
    }
    md
}
