//! What a provider's importer must provide ([`Importer`]), what it produces
//! (`codegen::spec` values, each with the comment lines its file starts with, written by
//! `codegen::spec::write`), and the one import every provider shares: read the metadata,
//! see what exists, then report the drift or map, check and write.

use std::collections::BTreeSet;
use std::path::Path;

use codegen::spec::{self, ActionSpec, ProductSpec};
use serde::de::DeserializeOwned;

use super::existing::{provider_file, Existing};
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

/// What an importer read: the version (`YYYY-MM-DD`), the number of actions the metadata
/// lists, and where it comes from (for the files' header comments and the drift report).
pub struct About {
    pub version: String,
    pub actions: usize,
    pub origin: String,
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

/// One spec file to write: the value and the `# ` comment lines at its top (where it
/// comes from, what was left out and why).
#[derive(Debug, Clone, PartialEq)]
pub struct SpecFile<T> {
    pub comments: Vec<String>,
    pub spec: T,
}

impl<T: serde::Serialize> SpecFile<T> {
    /// The file's text.
    pub fn to_yaml(&self) -> String {
        spec::write::to_yaml_with_comments(&self.comments, &self.spec)
    }
}

/// The mapped product and actions. With a [`Kept`] product, `product` is what the
/// metadata says (for the report) and the actions do not rely on its new types.
#[derive(Debug)]
pub struct Imported {
    pub product: SpecFile<ProductSpec>,
    pub actions: Vec<SpecFile<ActionSpec>>,
    /// Lines for the command's report.
    pub notes: Vec<String>,
    /// `(action, why)` of the metadata's actions not imported.
    pub skipped: Vec<(String, String)>,
    /// `(Action.Member, why)` of request members the metadata has and the specs lack.
    pub lost: Vec<(String, String)>,
}

/// What already exists where the import writes, and wins over the metadata.
#[derive(Debug, Default, Clone)]
pub struct Kept {
    /// `product.yaml` exists: it is not rewritten; its type names, if any.
    pub product_types: Option<BTreeSet<String>>,
    /// Action files that exist.
    pub actions: BTreeSet<String>,
    /// Type names those action files define for themselves (a product type of the same
    /// name would be shadowed there).
    pub action_types: BTreeSet<String>,
    /// Codes the provider's `provider.yaml` lists already.
    pub provider_errors: BTreeSet<String>,
}

/// One of the spec format's words (`host`, `GET`, `protobuf`) as its enum.
pub fn word<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(text))
        .map_err(|e| format!("`{text}` is not a word of the spec format here: {e}"))
}

/// Whether a member is a password, secret key or token, which the spec marks `secret`
/// (so `Debug` redacts it): a string whose name ends in one of those words. Not `SecretId`,
/// `NextToken` or `ClientToken` (ids and idempotency tokens), nor `NeedResetPassword` (a
/// boolean).
pub fn looks_secret(name: &str, ty: &str) -> bool {
    const ENDINGS: [&str; 9] = [
        "password",
        "passwd",
        "secret",
        "secretkey",
        "privatekey",
        "securitytoken",
        "sessiontoken",
        "accesstoken",
        "refreshtoken",
    ];
    let lower: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    ty == "string" && ENDINGS.iter().any(|e| lower.ends_with(e))
}

fn mark_types(types: &mut [spec::TypeSpec]) {
    for f in types.iter_mut().flat_map(|t| t.fields.iter_mut().flatten()) {
        f.secret = looks_secret(&f.name, &f.ty);
    }
}

/// Marks every parameter and field that [`looks_secret`] `secret`, once the types are final.
pub fn mark_secrets(imported: &mut Imported) {
    mark_types(&mut imported.product.spec.types);
    for a in &mut imported.actions {
        let a = &mut a.spec;
        for p in &mut a.parameters {
            p.secret = looks_secret(&p.name, &p.ty);
        }
        for f in &mut a.response.fields {
            f.secret = looks_secret(&f.name, &f.ty);
        }
        mark_types(&mut a.types);
    }
}

impl<T> std::ops::Deref for SpecFile<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.spec
    }
}

impl<T> std::ops::DerefMut for SpecFile<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.spec
    }
}

/// Alibaba Cloud's `endpoints:` block as `client.py` gives it: the rule, the product id
/// and `(region, host)` in the map's order.
pub type EndpointsOut = (String, String, Vec<(String, String)>);
