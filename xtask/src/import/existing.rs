//! What is on disk where an import writes: the provider file and the product folder's
//! specs, loaded (they must load), what of them wins over the metadata ([`Kept`]), and
//! the drift report against the metadata.

use std::path::{Path, PathBuf};

use codegen::load::{self, LoadedProduct};
use codegen::spec::ActionSpec;

use super::drift;
use super::output::{Imported, Kept};

/// The provider.yaml the output tree uses: its own, else the repository's.
pub fn provider_file(root: &Path, specs: &Path, provider: &str) -> PathBuf {
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
    pub(super) files: Vec<(String, Vec<u8>)>,
    /// The provider file's text, when the output tree has none of its own (it is
    /// copied there so that the tree checks and generates on its own).
    pub(super) provider_copy: Option<(String, Vec<u8>)>,
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
    pub fn kept_provider_only(&self) -> Kept {
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
