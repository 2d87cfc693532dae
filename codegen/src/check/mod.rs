//! Checking: every rule a spec must meet, reported with file, line, column and a
//! fix; and lowering of what passes into the [`ir`] the emitter works from.
//!
//! Checks never stop at the first problem: everything found in one run is reported.
//! The rules live by family, each an `impl Cx` block of its own:
//!
//! - `product`: provider / product / version, endpoint, signing, folder, the
//!   product's actions taken together, and the lowered [`ir::Product`];
//! - `action`: one action's name, file, rate limit, examples, and its assembly;
//! - `errors`: error-code lists (a product's common errors and an action's own);
//! - `params`: request parameters (names, wire names, types, ranges, defaults);
//! - `types`: type expressions, named structures and enums, recursion;
//! - `rules`: cross-field `requires` / `conflicts` rules;
//! - `pagination`: pagination parameters and response paths;
//! - `enums`: the YAML layer's own enums mapped to the IR's.

use std::collections::hash_map::{Entry, HashMap};
use std::hash::Hash;
use std::ops::Range;

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir;
use crate::load::Loaded;
use crate::names::{self, ident_problem, snake};
use crate::source::{FileId, SourceFile};
use crate::spec::TypeSpec;

mod action;
mod enums;
mod errors;
mod examples;
mod pagination;
mod params;
mod product;
mod provider;
mod rules;
mod share;
mod types;

/// Checks loaded specs and lowers them; all problems are returned together.
pub fn check(loaded: Loaded) -> Result<Vec<ir::Product>, Diagnostics> {
    let Loaded {
        files,
        products,
        providers,
        diagnostics,
    } = loaded;
    let mut cx = Cx {
        files: &files,
        diags: diagnostics,
    };
    let providers = cx.providers(&providers);
    let mut out = Vec::new();
    let mut modules = Unique::default();
    for p in &products {
        let shared = providers
            .iter()
            .find(|s| s.spec.provider == p.spec.provider);
        let Some(ir) = cx.product(p, shared) else {
            continue;
        };
        let key = (
            ir.provider_mod.clone(),
            ir.product_mod.clone(),
            ir.version_mod.clone(),
        );
        if let Err(first) = modules.claim(key, p.file) {
            let message = format!(
                "product `{}/{}` version {} is defined twice",
                ir.provider.spec_name(),
                ir.product,
                ir.version
            );
            let d = cx
                .diag(p.file, "version", message)
                .related(first, cx.span(first, "version"), "first defined here")
                .help("keep one product.yaml per provider / product / version");
            cx.diags.push(d);
        } else {
            out.push(ir);
        }
    }
    if !cx.diags.is_empty() {
        let mut items = cx.diags;
        items.sort_by_key(|d| (d.file, d.span.start));
        items.dedup();
        return Err(Diagnostics { files, items });
    }
    out.sort_by(|a, b| {
        (&a.provider_mod, &a.product_mod, &a.version_mod).cmp(&(
            &b.provider_mod,
            &b.product_mod,
            &b.version_mod,
        ))
    });
    Ok(out)
}

/// The checking context: the sources diagnostics point into, and the diagnostics so far.
struct Cx<'a> {
    files: &'a [SourceFile],
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    /// The byte span of the value at the YAML `path` of `file`.
    fn span(&self, file: FileId, path: &str) -> Range<usize> {
        self.files[file].value_span(path)
    }

    /// A diagnostic pointing at the value at `path`.
    fn diag(&self, file: FileId, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(file, self.span(file, path), message)
    }

    /// Reports a problem at `path`: what is wrong, the label under it, and the fix.
    fn err(
        &mut self,
        file: FileId,
        path: &str,
        message: impl Into<String>,
        label: &str,
        help: impl Into<String>,
    ) {
        let d = self.diag(file, path, message).label(label).help(help);
        self.diags.push(d);
    }

    /// The snake_case Rust name of a field or parameter, or a diagnostic.
    fn member_name(
        &mut self,
        f: FileId,
        path: &str,
        name: &str,
        override_: Option<&str>,
        what: &str,
    ) -> Option<String> {
        let (rust, at) = match override_ {
            Some(r) => (r.to_owned(), format!("{path}.rust_name")),
            None => (snake(name), format!("{path}.name")),
        };
        if let Some(problem) = ident_problem(&rust) {
            let fix = if names::is_keyword(&rust) {
                format!("{rust}_")
            } else {
                "a_snake_case_name".to_owned()
            };
            self.err(
                f,
                &at,
                format!(
                    "{what} `{name}` becomes `{rust}` in Rust, which cannot be used: {problem}"
                ),
                "not a usable Rust name",
                format!("add `rust_name: {fix}` to the {what}"),
            );
            return None;
        }
        if rust.chars().any(|c| c.is_ascii_uppercase()) {
            self.err(
                f,
                &at,
                format!("rust_name `{rust}` is not snake_case"),
                "expected snake_case",
                format!("use `{}`", snake(&rust)),
            );
            return None;
        }
        Some(rust)
    }
}

/// Where each name was first seen: every duplicate check claims its names here.
struct Unique<K, At = usize> {
    seen: HashMap<K, At>,
}

impl<K, At> Default for Unique<K, At> {
    fn default() -> Self {
        Unique {
            seen: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash, At: Copy> Unique<K, At> {
    /// Claims `key` for `at`; if it was claimed before, it stays with its first claimant,
    /// whose place is returned.
    fn claim(&mut self, key: K, at: At) -> Result<(), At> {
        match self.seen.entry(key) {
            Entry::Occupied(first) => Err(*first.get()),
            Entry::Vacant(e) => {
                e.insert(at);
                Ok(())
            }
        }
    }

    /// Like [`claim`](Self::claim), but `key` moves to `at` either way: each repeat is
    /// reported against the one before it.
    fn claim_last(&mut self, key: K, at: At) -> Result<(), At> {
        self.seen.insert(key, at).map_or(Ok(()), Err)
    }
}

/// The built-in scalar type names of the spec format.
const BUILTIN_TYPES: [&str; 9] = [
    "string", "integer", "uint64", "boolean", "float", "double", "datetime", "binary", "json",
];

/// Named types visible from an action: its own, then the product's shared ones.
struct Scope<'a> {
    local: &'a [TypeSpec],
    shared: &'a [TypeSpec],
    /// The module of the action whose types are `local`.
    home: &'a str,
}

impl Scope<'_> {
    /// The type named `name`, and whether it is the product's (shared).
    fn find(&self, name: &str) -> Option<(&TypeSpec, bool)> {
        let local = self
            .local
            .iter()
            .find(|t| t.name == name)
            .map(|t| (t, false));
        local.or_else(|| {
            self.shared
                .iter()
                .find(|t| t.name == name)
                .map(|t| (t, true))
        })
    }

    /// Every type name usable here, the built-in ones last (for "did you mean").
    fn names(&self) -> impl Iterator<Item = &str> {
        let named = self
            .local
            .iter()
            .chain(self.shared)
            .map(|t| t.name.as_str());
        named.chain(BUILTIN_TYPES)
    }
}

#[cfg(test)]
mod tests {
    use super::Unique;

    #[test]
    fn a_name_stays_with_its_first_claimant() {
        let mut seen = Unique::default();
        assert_eq!(seen.claim("a", 0), Ok(()));
        assert_eq!(seen.claim("b", 1), Ok(()));
        assert_eq!(seen.claim("a", 2), Err(0));
        assert_eq!(seen.claim("a", 3), Err(0));
        let mut last = Unique::default();
        assert_eq!(last.claim_last("a", 0), Ok(()));
        assert_eq!(last.claim_last("a", 1), Err(0));
        assert_eq!(last.claim_last("a", 2), Err(1));
    }
}
