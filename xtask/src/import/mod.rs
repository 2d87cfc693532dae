//! `cargo xtask import <provider> <product> [--version V] [--out DIR] [--diff]`: the
//! YAML specs of a whole product version, from the provider's published metadata.
//!
//! - The metadata comes from pinned packages installed into `target/import-venv`
//!   ([`venv`]); a failed install (PyPI unreachable) is an error.
//! - What the metadata says in prose becomes structure only where it is unambiguous
//!   ([`prose`]); the prose is always kept in the description.
//! - Hand-written specs win: an existing file is never written over (files are created
//!   with `create_new`); existing action files and `product.yaml` are reported as kept.
//! - The result must pass the spec checker: the importer runs `codegen`'s checker on
//!   the product as it will be on disk, drops any example the checker rejects (saying
//!   why at the top of the action file), and writes nothing if anything else fails.
//! - `--diff` writes nothing and prints the drift report ([`drift`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::load::{self, LoadedProduct};
use codegen::source::SourceFile;

pub mod aliyun;
pub mod all;
pub mod drift;
pub mod importer;
pub mod list;
pub mod npm;
pub mod paging;
pub mod prose;
pub mod tencent;
pub mod venv;

#[cfg(test)]
mod tests;

use codegen::spec::{ActionSpec, ProductSpec};
use importer::{Imported, Kept, SpecFile};

/// The command line of `cargo xtask import`.
#[derive(Debug, Clone, PartialEq, clap::Args)]
#[command(
    about = "Write a product version's specs from the provider's published metadata (needs PyPI)",
    long_about = "Write the YAML specs of a product version from the provider's published metadata \
                  (pinned packages installed from PyPI into target/import-venv). Existing files \
                  are never written over. With --all, import every pinned Tencent Cloud service \
                  or every Alibaba Cloud product of xtask/import/aliyun-all.txt (--sample: the \
                  fixed 80-product sample) leniently into --out DIR, failures collected in \
                  DIR/<provider>.import.json. --refresh-list rewrites aliyun-all.txt from a \
                  listing of PyPI's packages.",
    override_usage = "cargo xtask import [OPTIONS] <PROVIDER> <PRODUCT>\n       cargo xtask import --all <PROVIDER> --out <DIR> [--sample] [--only P,Q]\n       cargo xtask import --refresh-list aliyun --names <FILE>",
    after_help = "Examples:\n  cargo xtask import tencentcloud cvm\n  cargo xtask import aliyun vpcpeer --out /tmp/specs\n  cargo xtask import aliyun ccc --version 2020-07-01 --diff\n  cargo xtask import --all tencentcloud --out /tmp/cov/tc\n  cargo xtask import --all aliyun --out /tmp/cov/ali\n  cargo xtask import --refresh-list aliyun --names /tmp/pypi.tsv"
)]
pub struct Args {
    /// The provider: aliyun or tencentcloud.
    pub provider: String,
    /// The product, as the provider's SDK package names it (cvm, ecs, ...); not with --all
    /// or --refresh-list (then empty).
    #[arg(
        required_unless_present_any = ["all", "refresh_list"],
        conflicts_with_all = ["all", "refresh_list"],
        default_value = "",
        hide_default_value = true
    )]
    pub product: String,
    /// The API version, YYYY-MM-DD (default: Tencent Cloud, the newest in the metadata;
    /// Alibaba Cloud, the product's current one, pinned in xtask/import/aliyun-all.txt).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub version: Option<String>,
    /// Where to write the specs (default: specs/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; report where the existing specs and the metadata disagree.
    #[arg(long)]
    pub diff: bool,
    /// Every product of the provider's pinned metadata (Tencent Cloud) or of
    /// xtask/import/aliyun-all.txt (Alibaba Cloud), leniently; needs --out.
    #[arg(long, requires = "out", conflicts_with_all = ["version", "diff", "refresh_list"])]
    pub all: bool,
    /// With --all aliyun: the fixed 80-product sample (xtask/import/aliyun-sample.txt)
    /// instead of every product.
    #[arg(long, requires = "all")]
    pub sample: bool,
    /// With --all: only these products (comma-separated), for a trial run.
    #[arg(
        long,
        requires = "all",
        value_delimiter = ',',
        value_name = "PRODUCT,..."
    )]
    pub only: Vec<String>,
    /// Rewrite xtask/import/aliyun-all.txt from the listing --names gives (aliyun only).
    #[arg(long, requires = "names", conflicts_with_all = ["version", "diff", "out"])]
    pub refresh_list: bool,
    /// With --refresh-list: a listing of PyPI's packages, one a line, name then newest
    /// version (tab- or space-separated).
    #[arg(long, requires = "refresh_list", value_name = "FILE")]
    pub names: Option<PathBuf>,
}

pub const USAGE: &str = "usage: cargo xtask import <provider> <product> [--version YYYY-MM-DD] [--out DIR] [--diff]\n       cargo xtask import --all <provider> --out DIR [--sample] [--only P,Q]\n       cargo xtask import --refresh-list aliyun --names FILE";

impl Args {
    /// Parses the words after `cargo xtask import` (clap's error as text).
    #[cfg(test)]
    pub fn parse(args: &[String]) -> Result<Args, String> {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            args: Args,
        }
        let words = std::iter::once("import").chain(args.iter().map(String::as_str));
        <Cli as clap::Parser>::try_parse_from(words)
            .map(|cli| cli.args)
            .map_err(|e| e.to_string())
    }
}

/// Runs the command from the repository `root`.
pub fn run(root: &Path, args: &Args) -> Result<(), String> {
    if args.all {
        return all::run(root, args);
    }
    if args.refresh_list {
        let names = args.names.as_deref().ok_or(USAGE)?;
        return list::refresh(root, &args.provider, names);
    }
    match args.provider.as_str() {
        "tencentcloud" => {}
        "aliyun" => return run_aliyun(root, args),
        p => {
            return Err(format!(
                "import: provider `{p}` is not supported yet (supported: aliyun, tencentcloud)"
            ))
        }
    }
    let (pins_file, pins) = venv::read_pins(root, &args.provider)?;
    let tccli = venv::pinned(&pins, "tccli", &pins_file)?.to_owned();
    let sdk_package = format!("tencentcloud-sdk-python-{}", args.product);
    let sdk = venv::pinned(&pins, &sdk_package, &pins_file)?.to_owned();
    let site = venv::ensure(
        root,
        &[
            ("tccli".to_owned(), tccli.clone()),
            (sdk_package.clone(), sdk.clone()),
        ],
    )?;
    let specs = match &args.out {
        Some(o) => o.clone(),
        None => root.join("specs"),
    };
    let job = TencentJob {
        site: &site,
        service: &args.product,
        version: args.version.as_deref(),
        tccli: &tccli,
        sdk_package: &sdk_package,
        sdk: &sdk,
    };
    let done = job.import(root, &specs, args.diff, false)?;
    println!("{}", done.summary);
    Ok(())
}

/// What one product's import did, for the command's output and `--all`'s report.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Done {
    pub product: String,
    pub version: String,
    /// The actions the metadata lists for this version.
    pub metadata_actions: usize,
    /// Action files written.
    pub written: Vec<String>,
    /// Actions not imported, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Examples left out because the checker rejects them.
    pub dropped_examples: usize,
    /// Error codes given a `rust_name` because their own spelling collides.
    pub renamed_errors: usize,
    /// `(Action.Member, why)`: request members the metadata has and the specs lack.
    #[serde(default)]
    pub lost_members: Vec<(String, String)>,
    /// Actions written whose request has paging members and whose answer a list.
    #[serde(default)]
    pub pageable: usize,
    /// Of those, the ones given a paginator.
    #[serde(default)]
    pub paginated: usize,
    /// `(action, why)` of the pageable actions left without a paginator.
    #[serde(default)]
    pub unpaged: Vec<(String, String)>,
    #[serde(skip)]
    pub summary: String,
}

/// One Tencent service version to import from an installed environment.
pub struct TencentJob<'a> {
    pub site: &'a Path,
    pub service: &'a str,
    /// `None`: the newest version folder.
    pub version: Option<&'a str>,
    pub tccli: &'a str,
    /// The package that holds `errorcodes.py` and its version.
    pub sdk_package: &'a str,
    pub sdk: &'a str,
}

impl TencentJob<'_> {
    /// Imports (or with `diff`, reports drift) below `specs`; `lenient` drops actions the
    /// checker rejects instead of failing the product (`--all`).
    pub fn import(
        &self,
        root: &Path,
        specs: &Path,
        diff: bool,
        lenient: bool,
    ) -> Result<Done, String> {
        let service_dir = self.site.join("tccli/services").join(self.service);
        let vdir = match self.version {
            Some(v) => format!("v{}", v.trim_start_matches('v').replace('-', "")),
            None => newest_version(&service_dir)?,
        };
        let meta_dir = service_dir.join(&vdir);
        let api: tencent::Api = read_json(&meta_dir.join("api.json"))?;
        let examples_path = meta_dir.join("examples.json");
        let examples: tencent::Examples = if examples_path.exists() {
            read_json(&examples_path)?
        } else {
            tencent::Examples::default()
        };
        let errors_path = self
            .site
            .join("tencentcloud")
            .join(self.service)
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
        let errors = tencent::parse_errorcodes(&errors_text);
        let origin = format!(
            "tccli {tccli} (services/{p}/{vdir}/api.json, examples.json) and {pkg} {sdk} ({p}/{vdir}/errorcodes.py) by `cargo xtask import tencentcloud {p}`",
            tccli = self.tccli,
            pkg = self.sdk_package,
            sdk = self.sdk,
            p = self.service
        );
        let src = tencent::Source {
            service: self.service,
            api: &api,
            examples: &examples,
            errors: &errors,
            origin: &origin,
        };
        let provider_file = provider_file(root, specs, "tencentcloud");
        let product_rel = format!("tencentcloud/{}/{}", self.service, api.metadata.api_version);
        let existing = Existing::read(specs, &product_rel, &provider_file, "tencentcloud")?;
        let mut done = Done {
            product: self.service.to_owned(),
            version: api.metadata.api_version.clone(),
            metadata_actions: api.actions.len(),
            ..Done::default()
        };
        if diff {
            let meta = tencent::map(&src, &existing.kept_provider_only())?;
            done.summary = drift_text(&existing, &meta, &product_rel, specs, &origin);
            return Ok(done);
        }
        let imported = tencent::map(&src, &existing.kept)?;
        write_product(specs, &product_rel, &existing, imported, lenient, &mut done)?;
        Ok(done)
    }
}

fn drift_text(
    existing: &Existing,
    meta: &Imported,
    product_rel: &str,
    specs: &Path,
    origin: &str,
) -> String {
    let lines = existing.drift(meta);
    let mut s = format!(
        "import --diff: {product_rel}: specs in {} against {origin}",
        specs.join(product_rel).display()
    );
    if lines.is_empty() {
        s.push_str("\nno drift");
    }
    for l in lines {
        s.push('\n');
        s.push_str(&l);
    }
    s
}

/// The pins of Alibaba's SDK packages: `aliyun.txt` (the committed specs' sources), then
/// the coverage sample's, then the list of every product's (`aliyun-all.txt`); the first
/// pin of a package wins.
pub fn aliyun_pins(root: &Path) -> Result<(PathBuf, Vec<(String, String)>), String> {
    let (file, mut pins) = venv::read_pins(root, "aliyun")?;
    for list in [all::ALIYUN_SAMPLE, list::ALIYUN_ALL] {
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
        .filter_map(|(n, _)| all::split_package(n))
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

/// `cargo xtask import aliyun <product> [--version YYYY-MM-DD]`: the SDK package
/// `alibabacloud-<product><yyyymmdd>`'s `client.py` and models, read as text; without
/// `--version`, the version `aliyun-all.txt` lists.
fn run_aliyun(root: &Path, args: &Args) -> Result<(), String> {
    let digits: String = match &args.version {
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
            let digits = aliyun_listed(root, &args.product)?;
            println!(
                "import aliyun: {} {}-{}-{} (the version {} pins)",
                args.product,
                &digits[..4],
                &digits[4..6],
                &digits[6..],
                list::ALIYUN_ALL
            );
            digits
        }
    };
    let (pins_file, pins) = aliyun_pins(root)?;
    let package = format!("alibabacloud-{}{digits}", args.product);
    let pin = venv::pinned(&pins, &package, &pins_file)?.to_owned();
    let site = venv::ensure(root, &[(package.clone(), pin.clone())])?;
    let specs = match &args.out {
        Some(o) => o.clone(),
        None => root.join("specs"),
    };
    let job = AliyunJob {
        site: &site,
        product: &args.product,
        digits: &digits,
        package: &package,
        pin: &pin,
    };
    let done = job.import(root, &specs, args.diff, false)?;
    println!("{}", done.summary);
    Ok(())
}

/// One Alibaba product version to import from an installed environment.
pub struct AliyunJob<'a> {
    pub site: &'a Path,
    pub product: &'a str,
    /// The version as `YYYYMMDD`.
    pub digits: &'a str,
    pub package: &'a str,
    pub pin: &'a str,
}

impl AliyunJob<'_> {
    /// As [`TencentJob::import`].
    pub fn import(
        &self,
        root: &Path,
        specs: &Path,
        diff: bool,
        lenient: bool,
    ) -> Result<Done, String> {
        let d = self.digits;
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
        let parsed = aliyun::parse_client(&client)?;
        let ops: Vec<aliyun::PyOp> = parsed
            .ops
            .into_iter()
            .filter(|o| o.version == version || o.version.is_empty())
            .collect();
        let title = package_title(self.site, &module_name, self.pin, self.product);
        let origin = format!(
            "{} {} (client.py and models) by `cargo xtask import aliyun {} --version {version}`",
            self.package, self.pin, self.product
        );
        let docs = action_docs(root, self.product, d)?;
        let src = aliyun::Source {
            product: self.product,
            version: &version,
            classes: &classes,
            ops: &ops,
            endpoint: parsed.endpoint.as_deref(),
            default_region: parsed.default_region.as_deref(),
            title: title.as_deref(),
            origin: &origin,
            sls_gateway: parsed.sls_gateway,
            docs: &docs,
            endpoints: parsed.endpoints.as_ref(),
        };
        let provider_file = provider_file(root, specs, "aliyun");
        let product_rel = format!("aliyun/{}/{version}", self.product);
        let existing = Existing::read(specs, &product_rel, &provider_file, "aliyun")?;
        let mut done = Done {
            product: self.product.to_owned(),
            version: version.clone(),
            metadata_actions: ops.len(),
            ..Done::default()
        };
        if diff {
            let meta = aliyun::map(&src, &existing.kept_provider_only())?;
            done.summary = drift_text(&existing, &meta, &product_rel, specs, &origin);
            return Ok(done);
        }
        let imported = aliyun::map(&src, &existing.kept)?;
        write_product(specs, &product_rel, &existing, imported, lenient, &mut done)?;
        Ok(done)
    }
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

/// The provider.yaml the output tree uses: its own, else the repository's.
fn provider_file(root: &Path, specs: &Path, provider: &str) -> PathBuf {
    let own = specs.join(provider).join(load::PROVIDER_FILE);
    if own.exists() {
        own
    } else {
        root.join("specs").join(provider).join(load::PROVIDER_FILE)
    }
}

/// What is on disk where the import writes.
pub struct Existing {
    /// `(path relative to the specs root, contents)` of the provider file and of every
    /// file in the product folder.
    files: Vec<(String, Vec<u8>)>,
    /// The provider file's text, when the output tree has none of its own (it is
    /// copied there so that the tree checks and generates on its own).
    provider_copy: Option<(String, Vec<u8>)>,
    pub kept: Kept,
    product: Option<codegen::spec::ProductSpec>,
    actions: Vec<codegen::spec::ActionSpec>,
}

impl Existing {
    /// Reads the provider file and the product folder `product_rel` below `specs`.
    pub fn read(
        specs: &Path,
        product_rel: &str,
        provider_file: &Path,
        provider: &str,
    ) -> Result<Existing, String> {
        let provider_rel = format!("{provider}/{}", load::PROVIDER_FILE);
        let provider_text = std::fs::read(provider_file)
            .map_err(|e| format!("import: cannot read {}: {e}", provider_file.display()))?;
        let mut files = vec![(provider_rel.clone(), provider_text.clone())];
        let provider_copy =
            (!specs.join(&provider_rel).exists()).then_some((provider_rel, provider_text));
        let dir = specs.join(product_rel);
        if dir.exists() {
            let mut names: Vec<String> = std::fs::read_dir(&dir)
                .map_err(|e| format!("import: cannot read {}: {e}", dir.display()))?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
                .collect();
            names.sort();
            for n in names {
                let bytes = std::fs::read(dir.join(&n))
                    .map_err(|e| format!("import: cannot read {}: {e}", dir.join(&n).display()))?;
                files.push((format!("{product_rel}/{n}"), bytes));
            }
        }
        Self::from_files(files, provider_copy, product_rel)
    }

    /// The same from files in memory (`(path relative to the specs root, contents)`).
    pub fn from_files(
        files: Vec<(String, Vec<u8>)>,
        provider_copy: Option<(String, Vec<u8>)>,
        product_rel: &str,
    ) -> Result<Existing, String> {
        let loaded = load::load_files(files.clone());
        if !loaded.diagnostics.is_empty() {
            let d = codegen::Diagnostics {
                files: loaded.files,
                items: loaded.diagnostics,
            };
            return Err(format!(
                "import: the existing specs do not load; fix them first:\n{}",
                d.render()
            ));
        }
        let mut kept = Kept::default();
        for p in &loaded.providers {
            kept.provider_errors
                .extend(p.spec.errors.iter().map(|e| e.code.clone()));
        }
        let prefix = format!("{product_rel}/");
        let mut product = None;
        let mut actions = Vec::new();
        // Action files without a product.yaml are reported by the loader; here the
        // product's own folder is what counts.
        let in_folder = |p: &LoadedProduct| loaded.files[p.file].name.starts_with(&prefix);
        for p in loaded.products.iter().filter(|p| in_folder(p)) {
            kept.product_types = Some(p.spec.types.iter().map(|t| t.name.clone()).collect());
            product = Some(p.spec.clone());
            for a in &p.actions {
                kept.actions.insert(file_stem(&loaded.files[a.file].name));
                kept.action_types
                    .extend(a.spec.types.iter().map(|t| t.name.clone()));
                actions.push(a.spec.clone());
            }
        }
        Ok(Existing {
            files,
            provider_copy,
            kept,
            product,
            actions,
        })
    }

    /// Only the provider's codes kept: the metadata's own view, for the drift report.
    fn kept_provider_only(&self) -> Kept {
        Kept {
            provider_errors: self.kept.provider_errors.clone(),
            ..Kept::default()
        }
    }

    /// The drift report against the metadata as mapped with nothing kept.
    pub fn drift(&self, meta: &Imported) -> Vec<String> {
        let meta_actions: Vec<ActionSpec> = meta.actions.iter().map(|a| a.spec.clone()).collect();
        drift::report(
            self.product.as_ref(),
            &self.actions,
            &meta.product,
            &meta_actions,
            &self.kept.provider_errors,
        )
    }
}

fn file_stem(path: &str) -> String {
    let base = path.rsplit('/').next().unwrap_or(path);
    base.trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .to_owned()
}

/// The files an import writes, after the checker accepted them.
#[derive(Debug)]
pub struct Planned {
    /// `(path relative to the specs root, text)`.
    pub files: Vec<(String, String)>,
    pub written_actions: Vec<String>,
    pub kept_actions: Vec<String>,
    pub product_kept: bool,
    pub dropped_examples: usize,
    /// `(action, the checker's first message)` of actions left out (lenient plans only).
    pub dropped_actions: Vec<(String, String)>,
}

/// Lays out the import against what exists, and has the checker accept it: examples it
/// rejects are dropped (with the reason at the top of the file); anything else it
/// rejects is an error, and nothing is planned.
#[cfg(test)]
pub fn plan(existing: &Existing, product_rel: &str, imported: Imported) -> Result<Planned, String> {
    plan_with(existing, product_rel, imported, false)
}

/// Plans the import (what `plan` does in tests); with `lenient`, an action the checker rejects for anything but its examples
/// is left out (listed in [`Planned::dropped_actions`]) instead of failing the product.
pub fn plan_with(
    existing: &Existing,
    product_rel: &str,
    mut imported: Imported,
    lenient: bool,
) -> Result<Planned, String> {
    importer::mark_secrets(&mut imported);
    let mut dropped_actions: Vec<(String, String)> = Vec::new();
    let product_kept = existing.kept.product_types.is_some();
    let action_path = |a: &SpecFile<ActionSpec>| format!("{product_rel}/{}.yaml", a.name);
    let product_path = format!("{product_rel}/{}", load::PRODUCT_FILE);
    let mut dropped_examples = 0;
    for _round in 0..256 {
        let mut files = existing.files.clone();
        if !product_kept {
            files.push((
                product_path.clone(),
                imported.product.to_yaml().into_bytes(),
            ));
        }
        for a in &imported.actions {
            files.push((action_path(a), a.to_yaml().into_bytes()));
        }
        let diags = match codegen::load_files(files.clone()) {
            Ok(_) => {
                verbatim(
                    &files,
                    &imported.product,
                    &imported.actions,
                    product_kept,
                    product_rel,
                )?;
                let mut out: Vec<(String, String)> = Vec::new();
                if let Some((p, t)) = &existing.provider_copy {
                    out.push((p.clone(), String::from_utf8_lossy(t).into_owned()));
                }
                if !product_kept {
                    out.push((product_path.clone(), imported.product.to_yaml()));
                }
                out.extend(
                    imported
                        .actions
                        .iter()
                        .map(|a| (action_path(a), a.to_yaml())),
                );
                return Ok(Planned {
                    files: out,
                    written_actions: imported.actions.iter().map(|a| a.name.clone()).collect(),
                    kept_actions: existing.kept.actions.iter().cloned().collect(),
                    product_kept,
                    dropped_examples,
                    dropped_actions,
                });
            }
            Err(d) => d,
        };
        // Examples the checker rejects are dropped, with the first reason given.
        let mut dropped_now = 0;
        let mut fatal = Vec::new();
        for a in imported.actions.iter_mut() {
            let name = action_path(a);
            let Some(fid) = diags.files.iter().position(|f| f.name == name) else {
                continue;
            };
            let source = SourceFile::new(name.clone(), diags.files[fid].text.clone());
            let mut reasons: Vec<Option<String>> = vec![None; a.examples.len()];
            for d in diags.items.iter().filter(|d| d.file == fid) {
                let hit = (0..a.examples.len()).find(|i| {
                    ["request", "response_json"].iter().any(|k| {
                        let span = source.value_span(&format!("examples[{i}].{k}"));
                        span.start == d.span.start
                            && span != source.value_span(&format!("examples[{i}]"))
                    })
                });
                match hit {
                    Some(i) => {
                        reasons[i].get_or_insert_with(|| d.message.clone());
                    }
                    None => fatal.push(d.clone()),
                }
            }
            for i in (0..a.examples.len()).rev() {
                if let Some(reason) = &reasons[i] {
                    let ex = a.examples.remove(i);
                    a.comments.push(format!(
                        "Example {} ({}) left out: {reason}",
                        i + 1,
                        if ex.title.is_empty() {
                            "untitled"
                        } else {
                            &ex.title
                        }
                    ));
                    dropped_now += 1;
                }
            }
        }
        dropped_examples += dropped_now;
        // Diagnostics outside the actions being written are fatal too.
        let ours: BTreeSet<String> = imported.actions.iter().map(&action_path).collect();
        fatal.extend(
            diags
                .items
                .iter()
                .filter(|d| !ours.contains(&diags.files[d.file].name))
                .cloned(),
        );
        let ours_only = fatal
            .iter()
            .all(|d| ours.contains(&diags.files[d.file].name));
        if dropped_now == 0 && lenient && !fatal.is_empty() && ours_only {
            let mut reasons: BTreeMap<String, String> = BTreeMap::new();
            for d in &fatal {
                reasons
                    .entry(diags.files[d.file].name.clone())
                    .or_insert_with(|| d.message.clone());
            }
            imported
                .actions
                .retain(|a| match reasons.get(&action_path(a)) {
                    Some(reason) => {
                        dropped_actions.push((a.name.clone(), reason.clone()));
                        false
                    }
                    None => true,
                });
            continue;
        }
        if dropped_now == 0 {
            let d = codegen::Diagnostics {
                files: diags.files,
                items: if fatal.is_empty() { diags.items } else { fatal },
            };
            return Err(format!(
                "import: the imported specs do not pass the checker; nothing was written:\n{}",
                d.render()
            ));
        }
    }
    Err("import: examples kept failing the checker after 256 rounds; nothing was written".into())
}

/// The written files read back as the values written (descriptions and examples
/// verbatim, and everything else).
fn verbatim(
    files: &[(String, Vec<u8>)],
    product: &ProductSpec,
    actions: &[SpecFile<ActionSpec>],
    product_kept: bool,
    product_rel: &str,
) -> Result<(), String> {
    let loaded = load::load_files(files.to_vec());
    let prefix = format!("{product_rel}/");
    let bug = |what: &str| Err(format!("import: bug: {what} does not read back verbatim"));
    for p in loaded
        .products
        .iter()
        .filter(|p| loaded.files[p.file].name.starts_with(&prefix))
    {
        if !product_kept && p.spec != *product {
            return bug("product.yaml");
        }
        for la in &p.actions {
            let Some(a) = actions.iter().find(|a| a.name == la.spec.name) else {
                continue;
            };
            if la.spec != a.spec {
                return bug(&format!("{}.yaml", a.name));
            }
        }
    }
    Ok(())
}

/// Checks and writes the import below `specs`, creating files only (never replacing
/// one), and returns the summary.
pub fn write_product(
    specs: &Path,
    product_rel: &str,
    existing: &Existing,
    imported: Imported,
    lenient: bool,
    done: &mut Done,
) -> Result<(), String> {
    let notes = imported.notes.clone();
    let errors = imported.product.errors.len();
    let shared = imported.product.types.len();
    done.skipped.extend(imported.skipped.iter().cloned());
    done.lost_members = imported.lost.clone();
    let mut imported = imported;
    let shared_types = imported.product.types.clone();
    for a in imported.actions.iter_mut() {
        match paging::infer(&a.spec, &shared_types) {
            paging::Paging::NotPaged => {}
            paging::Paging::Paged(p) => {
                a.pagination = Some(*p);
                done.pageable += 1;
                done.paginated += 1;
            }
            paging::Paging::Unclear(why) => {
                done.pageable += 1;
                done.unpaged.push((a.name.clone(), why));
            }
        }
    }
    done.renamed_errors = imported
        .product
        .errors
        .iter()
        .filter(|e| e.rust_name.is_some())
        .count();
    let p = plan_with(existing, product_rel, imported, lenient)?;
    done.written = p.written_actions.clone();
    done.dropped_examples = p.dropped_examples;
    done.skipped.extend(
        p.dropped_actions
            .iter()
            .map(|(a, why)| (a.clone(), format!("the checker rejects it: {why}"))),
    );
    for (rel, text) in &p.files {
        let path = specs.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("import: cannot create {}: {e}", dir.display()))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                format!(
                    "import: cannot create {} (never written over): {e}",
                    path.display()
                )
            })?;
        std::io::Write::write_all(&mut f, text.as_bytes())
            .map_err(|e| format!("import: cannot write {}: {e}", path.display()))?;
    }
    let mut s = format!(
        "import: {product_rel} -> {}: {} actions written, {} kept{}; {}",
        specs.display(),
        p.written_actions.len(),
        p.kept_actions.len(),
        if p.kept_actions.is_empty() {
            String::new()
        } else {
            format!(" ({})", p.kept_actions.join(", "))
        },
        if p.product_kept {
            format!("product.yaml kept and not updated (the metadata's {errors} product error codes are not in it, `--diff` lists them; types several actions use are written into each of them)")
        } else {
            format!("product.yaml written ({errors} error codes, {shared} shared types)")
        }
    );
    if p.dropped_examples > 0 {
        s.push_str(&format!(
            "\nimport: {} examples the checker rejects were left out (reasons at the top of each action file)",
            p.dropped_examples
        ));
    }
    for n in notes {
        s.push_str(&format!("\nimport: note: {n}"));
    }
    for (member, why) in &done.lost_members {
        s.push_str(&format!(
            "\nimport: request member left out: {member} ({why})"
        ));
    }
    for (a, why) in &p.dropped_actions {
        s.push_str(&format!(
            "\nimport: {a}: left out, the checker rejects it: {why}"
        ));
    }
    done.summary = s;
    Ok(())
}
