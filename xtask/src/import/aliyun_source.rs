//! Reading an Alibaba Cloud product version's metadata from the installed packages: the
//! pinned SDK package `alibabacloud-<product><yyyymmdd>`'s `client.py` and models, read
//! as text, its summary (the title), and the action descriptions of the pinned npm
//! package; [`aliyun`] maps them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::aliyun::{self, ParsedClient, PyClass, PyOp};
use super::importer::{check_only, Fleet, Importer, Unavailable};
use super::output::{About, Imported, Kept};
use super::{list, npm, tencent, venv};

/// The committed sample of Alibaba products, relative to the repository root.
pub const ALIYUN_SAMPLE: &str = "xtask/import/aliyun-sample.txt";

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

/// The pins of Alibaba's SDK packages: `aliyun.txt` (the committed specs' sources), then
/// the coverage sample's, then the list of every product's (`aliyun-all.txt`); the first
/// pin of a package wins.
pub fn aliyun_pins(root: &Path) -> Result<(PathBuf, Vec<(String, String)>), String> {
    let (file, mut pins) = venv::read_pins(root, "aliyun")?;
    for list in [ALIYUN_SAMPLE, list::ALIYUN_ALL] {
        let (_, more) = venv::read_pins_file(root.join(list))?;
        for (n, v) in more {
            if !pins.iter().any(|(m, _)| *m == n) {
                pins.push((n, v));
            }
        }
    }
    Ok((file, pins))
}

/// The API version `aliyun-all.txt` pins for `product` (its current one), as `YYYYMMDD`.
pub fn aliyun_listed(root: &Path, product: &str) -> Result<String, String> {
    let (file, pins) = venv::read_pins_file(root.join(list::ALIYUN_ALL))?;
    pins.iter()
        .filter_map(|(n, _)| split_package(n))
        .filter(|(p, _)| p == product)
        .map(|(_, d)| d)
        .max()
        .ok_or_else(|| {
            format!(
                "import aliyun: `{product}` is not a product of {} (`alibabacloud-{product}<yyyymmdd>`); give --version YYYY-MM-DD, or refresh the list (`cargo xtask import --refresh-list aliyun --names FILE`)",
                file.display()
            )
        })
}

/// One Alibaba product version to import from an installed environment.
pub struct AliyunJob {
    pub site: PathBuf,
    pub product: String,
    /// The version as `YYYYMMDD`.
    pub digits: String,
    pub package: String,
    pub pin: String,
}

/// A product version's metadata: the SDK's models and operations of that version, what
/// its client says of hosts, the package's title and the npm package's descriptions.
pub struct AliyunSource {
    product: String,
    version: String,
    classes: Vec<PyClass>,
    ops: Vec<PyOp>,
    client: ParsedClient,
    title: Option<String>,
    origin: String,
    docs: BTreeMap<String, String>,
}

impl Importer for AliyunJob {
    const PROVIDER: &'static str = "aliyun";
    type Source = AliyunSource;

    /// The SDK package `alibabacloud-<product><yyyymmdd>`; without a version, the one
    /// `aliyun-all.txt` lists.
    fn fetch(root: &Path, product: &str, version: Option<&str>) -> Result<Self, String> {
        let digits: String = match version {
            Some(version) => {
                let digits: String = version.chars().filter(|c| *c != '-').collect();
                if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
                    return Err(format!(
                        "import aliyun: --version `{version}` is not YYYY-MM-DD"
                    ));
                }
                digits
            }
            None => {
                let digits = aliyun_listed(root, product)?;
                println!(
                    "import aliyun: {} {}-{}-{} (the version {} pins)",
                    product,
                    &digits[..4],
                    &digits[4..6],
                    &digits[6..],
                    list::ALIYUN_ALL
                );
                digits
            }
        };
        let (pins_file, pins) = aliyun_pins(root)?;
        let package = format!("alibabacloud-{product}{digits}");
        let pin = venv::pinned(&pins, &package, &pins_file)?.to_owned();
        let site = venv::ensure(root, &[(package.clone(), pin.clone())])?;
        Ok(AliyunJob {
            site,
            product: product.to_owned(),
            digits,
            package,
            pin,
        })
    }

    fn product(&self) -> &str {
        &self.product
    }

    fn read(&self, root: &Path) -> Result<AliyunSource, String> {
        let d = &self.digits;
        let version = format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]);
        let module_name = format!("alibabacloud_{}{d}", self.product.replace('-', "_"));
        let module = self.site.join(&module_name);
        let read = |p: &Path| {
            std::fs::read_to_string(p)
                .map(tencent::unix_lines)
                .map_err(|e| format!("import: cannot read {}: {e}", p.display()))
        };
        let client = read(&module.join("client.py"))?;
        let mut classes = Vec::new();
        let single = module.join("models.py");
        let mut model_files = Vec::new();
        if single.exists() {
            model_files.push(single);
        } else {
            let dir = module.join("models");
            let entries = std::fs::read_dir(&dir)
                .map_err(|e| format!("import: cannot read {}: {e}", dir.display()))?;
            model_files.extend(
                entries
                    .filter_map(|e| Some(e.ok()?.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "py")),
            );
            model_files.sort();
        }
        for f in &model_files {
            classes.extend(
                aliyun::parse_models(&read(f)?)
                    .map_err(|e| format!("import: {}: {e}", f.display()))?,
            );
        }
        let mut parsed = aliyun::parse_client(&client)?;
        let ops: Vec<PyOp> = std::mem::take(&mut parsed.ops)
            .into_iter()
            .filter(|o| o.version == version || o.version.is_empty())
            .collect();
        let title = package_title(&self.site, &module_name, &self.pin, &self.product);
        let origin = format!(
            "{} {} (client.py and models) by `cargo xtask import aliyun {} --version {version}`",
            self.package, self.pin, self.product
        );
        let docs = action_docs(root, &self.product, d)?;
        Ok(AliyunSource {
            product: self.product.clone(),
            version,
            classes,
            ops,
            client: parsed,
            title,
            origin,
            docs,
        })
    }

    fn about(source: &AliyunSource) -> About {
        About {
            version: source.version.clone(),
            actions: source.ops.len(),
            origin: source.origin.clone(),
        }
    }

    fn map(source: &AliyunSource, kept: &Kept) -> Result<Imported, String> {
        let src = aliyun::Source {
            product: &source.product,
            version: &source.version,
            classes: &source.classes,
            ops: &source.ops,
            endpoint: source.client.endpoint.as_deref(),
            default_region: source.client.default_region.as_deref(),
            title: source.title.as_deref(),
            origin: &source.origin,
            gateway: source.client.gateway,
            docs: &source.docs,
            endpoints: source.client.endpoints.as_ref(),
        };
        aliyun::map(&src, kept)
    }

    /// Every product of `aliyun-all.txt` (`sample`: of `aliyun-sample.txt`), each package
    /// at the pin the single import uses, installed [`INSTALL_BATCH`] at a time; a package
    /// that does not install is its product's failure.
    fn fetch_all(root: &Path, sample: bool, only: &[String]) -> Result<Fleet<Self>, String> {
        let list = if sample {
            ALIYUN_SAMPLE
        } else {
            list::ALIYUN_ALL
        };
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
        let mut products = Vec::new();
        for (package, pin) in &wanted {
            let Some((product, digits)) = split_package(package) else {
                products.push(Err(Unavailable {
                    product: package.clone(),
                    version: String::new(),
                    error: format!(
                        "import --all: `{package}` is not alibabacloud-<product><yyyymmdd>"
                    ),
                    note: None,
                }));
                continue;
            };
            let version = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]);
            if let Some(e) = not_installed
                .iter()
                .find(|(n, _)| n == package)
                .map(|(_, e)| e)
            {
                products.push(Err(Unavailable {
                    note: Some(format!(
                        "import --all: {product} {version}: failed: not installed"
                    )),
                    product,
                    version,
                    error: e.clone(),
                }));
                continue;
            }
            products.push(Ok(AliyunJob {
                site: site.clone(),
                product,
                digits,
                package: package.clone(),
                pin: pin.clone(),
            }));
        }
        Ok(Fleet {
            list: list.to_owned(),
            sources: wanted.iter().map(|(n, v)| format!("{n}=={v}")).collect(),
            products,
        })
    }

    fn version(&self) -> Option<String> {
        let d = &self.digits;
        Some(format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
    }

    /// The `_with_options` functions of the package's `client.py`, counted as text.
    fn count_actions(&self) -> usize {
        let client = self
            .site
            .join(format!(
                "alibabacloud_{}{}",
                self.product.replace('-', "_"),
                self.digits
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

/// The action descriptions of the product version's npm package, if one is pinned in
/// `xtask/import/aliyun-docs.txt` (the Python packages carry none).
fn action_docs(
    root: &Path,
    product: &str,
    yyyymmdd: &str,
) -> Result<BTreeMap<String, String>, String> {
    let (file, pins) = venv::read_pins_file(npm::pins_file(root))?;
    let package = format!("@alicloud/{}{yyyymmdd}", product.replace('-', ""));
    let Ok(version) = venv::pinned(&pins, &package, &file) else {
        return Ok(BTreeMap::new());
    };
    let dts = npm::client_dts(root, &package, version)?;
    let text = std::fs::read_to_string(&dts)
        .map_err(|e| format!("import: cannot read {}: {e}", dts.display()))?;
    Ok(npm::action_docs(&tencent::unix_lines(text)))
}

/// The product's name from the installed package's summary, `Alibaba Cloud <Name>
/// (<yyyymmdd>) SDK Library for Python`, when it says more than the code.
fn package_title(site: &Path, module_name: &str, pin: &str, product: &str) -> Option<String> {
    let meta = site
        .join(format!("{module_name}-{pin}.dist-info"))
        .join("METADATA");
    let text = std::fs::read_to_string(meta).ok()?;
    let summary = text
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix("Summary: "))?;
    aliyun::title_from_summary(summary, product)
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
