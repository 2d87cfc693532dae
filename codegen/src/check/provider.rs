//! Provider-level files (`<provider>/provider.yaml`): the name and folder, one file per
//! provider, and its common error codes, checked once and shared by its products.

use super::{Cx, Unique};
use crate::ir;
use crate::load::LoadedProvider;
use crate::names::is_lowercase_name;
use crate::spec::ProviderSpec;

/// A checked `provider.yaml`: what its products inherit.
pub(super) struct Shared<'a> {
    pub spec: &'a ProviderSpec,
    /// The common errors, lowered.
    pub errors: Vec<ir::ErrorDef>,
}

impl Cx<'_> {
    /// Checks every provider file; those with problems are left out (their products then
    /// inherit nothing, and the problems are reported here).
    pub(super) fn providers<'a>(&mut self, list: &'a [LoadedProvider]) -> Vec<Shared<'a>> {
        let mut out = Vec::new();
        let mut seen = Unique::default();
        for p in list {
            let (f, s) = (p.file, &p.spec);
            let before = self.diags.len();
            if !is_lowercase_name(&s.provider) {
                self.err(
                    f,
                    "provider",
                    format!(
                        "`provider` must be a lowercase name such as `aliyun`, found `{}`",
                        s.provider
                    ),
                    "not a lowercase name",
                    "use lowercase ASCII letters, digits and `-`, starting with a letter",
                );
            } else {
                self.provider(f, &s.provider);
            }
            let folder = self.files[f]
                .name
                .rsplit_once('/')
                .map(|(d, _)| d.rsplit('/').next().unwrap_or(d).to_owned())
                .unwrap_or_default();
            if folder != s.provider {
                self.err(
                    f,
                    "provider",
                    format!(
                        "this provider.yaml describes `{}` but sits in `{}`",
                        s.provider,
                        if folder.is_empty() {
                            "the top folder"
                        } else {
                            &folder
                        }
                    ),
                    "does not match the folder",
                    format!("move it to `specs/{}/provider.yaml`", s.provider),
                );
            }
            if let Err(first) = seen.claim(s.provider.clone(), f) {
                let d = self
                    .diag(
                        f,
                        "provider",
                        format!("provider `{}` has two provider.yaml files", s.provider),
                    )
                    .related(first, self.span(first, "provider"), "first one")
                    .help("keep one provider.yaml per provider");
                self.diags.push(d);
            }
            let errors = self.errors(f, "errors", &s.errors);
            if self.diags.len() == before {
                out.push(Shared { spec: s, errors });
            }
        }
        out
    }
}
