//! What an import produces, apart from how it is produced: the spec values with the
//! comment lines their files start with ([`SpecFile`], written by `codegen::spec::write`),
//! the mapped product ([`Imported`]), what exists already and wins ([`Kept`]), the report
//! of one product's import ([`Done`]), and the spec-format helpers the mappers share.

use std::collections::BTreeSet;

use codegen::spec::{self, ActionSpec, ProductSpec};
use serde::de::DeserializeOwned;

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
