//! What a provider's importer must provide ([`Importer`]), what it produces
//! (`codegen::spec` values, each with the comment lines its file starts with, written by
//! `codegen::spec::write`), and the one import every provider shares: read the metadata,
//! see what exists, then report the drift or map, check and write.

use std::path::Path;

use super::existing::{provider_file, Existing};
use super::output::{About, Done, Imported, Kept};
use super::write::write_product;

/// One provider's importer, for one product version. The shared steps are
/// [`Importer::import`]'s.
pub trait Importer: Sized {
    /// The provider, as `specs/<provider>/` names it (`aliyun`, `tencentcloud`).
    const PROVIDER: &'static str;
    /// The product version's metadata, as read from the installed packages.
    type Source;

    /// Installs the pinned packages of `product` (at `version`, `YYYY-MM-DD`, or the
    /// provider's default one) and gives the importer of that product version.
    fn fetch(root: &Path, product: &str, version: Option<&str>) -> Result<Self, String>;
    /// The product, as its folder below the provider's is named.
    fn product(&self) -> &str;
    /// Reads the product version's metadata.
    fn read(&self, root: &Path) -> Result<Self::Source, String>;
    /// What was read: the version, how many actions, where it comes from.
    fn about(source: &Self::Source) -> About;
    /// The metadata as spec values; what `kept` names exists already and wins.
    fn map(source: &Self::Source, kept: &Kept) -> Result<Imported, String>;
    /// `--all`: every product of the provider's pinned list (`sample`: its fixed sample),
    /// or `only` those, installed.
    fn fetch_all(root: &Path, sample: bool, only: &[String]) -> Result<Fleet<Self>, String>;
    /// The version asked for (`None`: the newest).
    fn version(&self) -> Option<String>;
    /// The actions the metadata lists, counted the plain way (for a failed import's report).
    fn count_actions(&self) -> usize;

    /// Imports (or with `diff`, reports drift) below `specs`; `lenient` drops actions the
    /// checker rejects instead of failing the product (`--all`).
    fn import(&self, root: &Path, specs: &Path, diff: bool, lenient: bool) -> Result<Done, String> {
        let source = self.read(root)?;
        let about = Self::about(&source);
        let provider_file = provider_file(root, specs, Self::PROVIDER);
        let product_rel = format!("{}/{}/{}", Self::PROVIDER, self.product(), about.version);
        let existing = Existing::read(specs, &product_rel, &provider_file, Self::PROVIDER)?;
        let mut done = Done {
            product: self.product().to_owned(),
            version: about.version,
            metadata_actions: about.actions,
            ..Done::default()
        };
        if diff {
            let meta = Self::map(&source, &existing.kept_provider_only())?;
            done.summary = drift_text(&existing, &meta, &product_rel, specs, &about.origin);
            return Ok(done);
        }
        let imported = Self::map(&source, &existing.kept)?;
        write_product(specs, &product_rel, &existing, imported, lenient, &mut done)?;
        Ok(done)
    }
}

/// Every product of a provider's list, installed for `--all`.
pub struct Fleet<I> {
    /// What was listed (the pinned metadata, or the list file).
    pub list: String,
    /// The pinned packages the metadata comes from (`name==version`).
    pub sources: Vec<String>,
    /// Each product's importer, in the list's order, or why it has none.
    pub products: Vec<Result<I, Unavailable>>,
}

/// A listed product that cannot be imported (its package did not install).
pub struct Unavailable {
    pub product: String,
    pub version: String,
    pub error: String,
    /// The progress line to print when the list reaches it.
    pub note: Option<String>,
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

/// `only`'s names that `all` lacks, as an error.
pub fn check_only(only: &[String], all: &[String], from: &str) -> Result<(), String> {
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
