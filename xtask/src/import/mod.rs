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
//!
//! Each provider's importer ([`importer::Importer`]: `aliyun_source` + `aliyun`,
//! `tencent_source` + `tencent`) fetches and reads one product version's metadata and
//! maps it to `codegen::spec` values; the rest is shared: what an import produces
//! ([`output`]), what exists ([`existing`]), the checker loop ([`plan`]), writing
//! ([`write`](mod@write)), `--all` ([`all`]).

use std::path::{Path, PathBuf};

pub mod aliyun;
pub mod aliyun_source;
pub mod all;
pub mod drift;
pub mod existing;
pub mod importer;
pub mod list;
pub mod npm;
pub mod output;
pub mod paging;
pub mod plan;
pub mod prose;
pub mod tencent;
pub mod tencent_source;
pub mod venv;
pub mod write;

#[cfg(test)]
mod tests;

use aliyun_source::AliyunJob;
use importer::Importer;
use tencent_source::TencentJob;

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
        "tencentcloud" => run_one::<TencentJob>(root, args),
        "aliyun" => run_one::<AliyunJob>(root, args),
        p => Err(format!(
            "import: provider `{p}` is not supported yet (supported: aliyun, tencentcloud)"
        )),
    }
}

/// `cargo xtask import <provider> <product>`: installs the product's packages, then
/// imports it (or reports its drift).
fn run_one<I: Importer>(root: &Path, args: &Args) -> Result<(), String> {
    let job = I::fetch(root, &args.product, args.version.as_deref())?;
    let specs = match &args.out {
        Some(o) => o.clone(),
        None => root.join("specs"),
    };
    let done = job.import(root, &specs, args.diff, false)?;
    println!("{}", done.summary);
    Ok(())
}
