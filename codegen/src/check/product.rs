//! Product-level rules: provider / product / version names, signing against the
//! protocol, the endpoint, the folder a product.yaml sits in, and actions that
//! collide; then the lowered [`ir::Product`].

use std::collections::HashSet;

use super::provider::Shared;
use super::{Cx, Scope, Unique};
use crate::ir;
use crate::ir::EndpointRule;
use crate::load::LoadedProduct;
use crate::names::snake;
use crate::source::FileId;
use crate::spec::{ProductSpec, Protocol, Signing};

impl Cx<'_> {
    pub(super) fn product(
        &mut self,
        p: &LoadedProduct,
        shared: Option<&Shared>,
    ) -> Option<ir::Product> {
        let (f, s) = (p.file, &p.spec);
        let before = self.diags.len();
        self.product_names(f, s);
        let provider = self.provider(f, &s.provider);
        let signing = self.signing_and_endpoint(f, s, shared);
        let endpoints = self.endpoints(f, s);
        self.product_folder(f, s);
        let errors = self.errors(f, "errors", &s.errors);
        let errors = match shared {
            Some(sh) => self.merge_errors(f, &sh.errors, errors),
            None => errors,
        };
        // The product's own common parameters, then the provider's it does not redefine.
        let mut common_parameters: Vec<(String, String)> = s
            .common_parameters
            .iter()
            .map(|c| (c.name.clone(), c.description.clone()))
            .collect();
        for c in shared.map_or(&[][..], |sh| &sh.spec.common_parameters[..]) {
            if !common_parameters.iter().any(|(n, _)| *n == c.name) {
                common_parameters.push((c.name.clone(), c.description.clone()));
            }
        }
        let shared_scope = Scope {
            local: &[],
            shared: &s.types,
            home: "",
        };
        let types = self.types(f, "types", &s.types, &shared_scope, &HashSet::new());
        let mut types = types;
        let mut actions = self.actions(p, &types, &common_parameters);
        self.dotted_in_requests(p);
        let provider = provider.filter(|_| self.diags.len() == before)?;
        let signing = signing?;
        super::share::hoist_identical_types(&mut types, &mut actions);
        super::share::mark_inputs(&mut types, &mut actions);
        let mut sources = vec![self.files[f].name.clone()];
        sources.extend(actions.iter().map(|a| a.source.clone()));
        let provider_mod = snake(&s.provider);
        let product_mod = snake(&s.product);
        let version_mod = format!("v{}", s.version.replace('-', ""));
        Some(ir::Product {
            provider,
            product: s.product.clone(),
            title: s.title.clone(),
            version: s.version.clone(),
            description: s.description.clone(),
            protocol: s.protocol,
            signing,
            endpoint: s.endpoint.clone(),
            service: s.service.clone(),
            default_region: s.default_region.clone(),
            endpoints,
            common_parameters,
            dir: format!("products/{}-{}/src/{version_mod}", s.provider, s.product),
            provider_mod,
            product_mod,
            version_mod,
            feature: format!("{}-{}", s.provider, s.product),
            default_feature: s.default_feature,
            types,
            errors,
            actions,
            sources,
        })
    }

    /// `provider` and `product` are lowercase names; `version` is a date.
    fn product_names(&mut self, f: FileId, s: &ProductSpec) {
        for (key, value) in [("provider", &s.provider), ("product", &s.product)] {
            if !crate::names::is_lowercase_name(value) {
                self.err(
                    f,
                    key,
                    format!("`{key}` must be a lowercase name such as `aliyun` or `ccc`, found `{value}`"),
                    "not a lowercase name",
                    "use lowercase ASCII letters, digits and `-`, starting with a letter",
                );
            }
        }
        let date = s.version.len() == 10
            && s.version.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !date {
            self.err(
                f,
                "version",
                format!(
                    "the API version `{}` is not a date of the form YYYY-MM-DD",
                    s.version
                ),
                "expected YYYY-MM-DD",
                "write the version as the provider prints it, e.g. \"2020-07-01\" (quoted)",
            );
        }
    }

    /// The provider is one the generator supports (a malformed name is reported by
    /// `product_names` alone).
    pub(super) fn provider(&mut self, f: FileId, name: &str) -> Option<ir::Provider> {
        let provider = ir::Provider::from_spec_name(name);
        if provider.is_none() && crate::names::is_lowercase_name(name) {
            let known: Vec<&str> = ir::Provider::ALL.iter().map(|p| p.spec_name()).collect();
            self.err(
                f,
                "provider",
                format!("the provider `{name}` is not one the generator supports"),
                "unknown provider",
                format!("use one of: {}", known.join(", ")),
            );
        }
        provider
    }

    /// The signing scheme (the product's, else the provider's default for the protocol)
    /// goes with the protocol, and the endpoint is a bare host.
    fn signing_and_endpoint(
        &mut self,
        f: FileId,
        s: &ProductSpec,
        shared: Option<&Shared>,
    ) -> Option<Signing> {
        let signing = s
            .signing
            .or_else(|| shared.and_then(|sh| sh.spec.signing.get(s.protocol)));
        let compatible = match signing {
            None => {
                self.err(
                    f,
                    "protocol",
                    format!("no signing is given for this {} product", s.protocol.name()),
                    "no `signing`",
                    "add `signing:` here, or a default for the protocol under `signing:` in the provider's provider.yaml",
                );
                false
            }
            Some(signing) => s.protocol.descriptor().allows_signing(signing),
        };
        if let (Some(signing), false) = (signing, compatible) {
            let at = if s.signing.is_some() {
                "signing"
            } else {
                "protocol"
            };
            self.err(
                f,
                at,
                format!(
                    "signing `{signing:?}` does not go with protocol `{}`",
                    s.protocol.name()
                ),
                "incompatible with the protocol",
                signings_by_protocol(),
            );
        }
        let e = &s.endpoint;
        if e.is_empty() || e.contains("://") || e.contains('/') || e.contains(char::is_whitespace) {
            self.err(
                f,
                "endpoint",
                format!("the endpoint `{e}` is not a host name"),
                "expected a host such as ccc.cn-shanghai.aliyuncs.com",
                "give the host only; the scheme and path are chosen by the client",
            );
        }
        signing.filter(|_| compatible)
    }

    /// The `endpoints:` block: a known rule that goes with the protocol, a product id that
    /// is a host label, and regions and hosts that are host names.
    fn endpoints(&mut self, f: FileId, s: &ProductSpec) -> Option<ir::Endpoints> {
        let e = s.endpoints.as_ref()?;
        let before = self.diags.len();
        let d = s.protocol.descriptor();
        let rule = EndpointRule::from_name(&e.rule);
        if rule.is_none() {
            self.err(
                f,
                "endpoints.rule",
                format!("the endpoint rule `{}` is not one the runtime knows", e.rule),
                "unknown rule",
                "use `regional` or `central` (Alibaba Cloud's `_endpoint_rule`), `sls` (Simple Log Service) or `tencent`",
            );
        }
        if rule.is_some_and(|rule| !d.allows_endpoint_rule(rule)) {
            self.err(
                f,
                "endpoints.rule",
                format!(
                    "the endpoint rule `{}` does not go with protocol `{}`",
                    e.rule,
                    s.protocol.name()
                ),
                "incompatible with the protocol",
                "Tencent Cloud products (tc3) use `tencent`, Simple Log Service (sls) `sls`, other Alibaba Cloud products `regional` or `central`",
            );
        }
        if !cloudapi_protocol::host::is_label(&e.product_id) {
            self.err(
                f,
                "endpoints.product_id",
                format!(
                    "the endpoint product id `{}` is not a host label",
                    e.product_id
                ),
                "not a host label",
                "give the id the host starts with, such as `vpc` (letters, digits, `-` and `_`)",
            );
        }
        if !d.region_hosts && !e.regions.is_empty() {
            self.err(
                f,
                "endpoints.regions",
                "a Tencent Cloud product has no per-region host map",
                "not used by the `tencent` rule",
                "remove `regions:`; the region picks the host through `regional_endpoint`",
            );
        }
        for (region, host) in &e.regions {
            let path = format!("endpoints.regions.{region}");
            if !cloudapi_protocol::host::is_label(region) {
                self.err(
                    f,
                    &path,
                    format!("the region `{region}` is not a host label"),
                    "not a region id",
                    "write the region id as the SDK's `_endpoint_map` does, such as `cn-beijing`",
                );
            }
            if !is_host_name(host) {
                self.err(
                    f,
                    &path,
                    format!("the endpoint `{host}` of region `{region}` is not a host name"),
                    "expected a host such as vpc.cn-beijing.aliyuncs.com",
                    "give the host only (dot-separated letters, digits, `-` and `_`); no scheme, port or path",
                );
            }
        }
        let rule = rule.filter(|_| self.diags.len() == before)?;
        Some(ir::Endpoints {
            rule,
            product_id: e.product_id.clone(),
            regions: e
                .regions
                .iter()
                .map(|(r, h)| (r.clone(), h.clone()))
                .collect(),
        })
    }

    /// A product.yaml sits in the folder `provider/product/version`.
    fn product_folder(&mut self, f: FileId, s: &ProductSpec) {
        let folder = self.files[f]
            .name
            .rsplit_once('/')
            .map(|(d, _)| d.to_owned())
            .unwrap_or_default();
        let expected = format!("{}/{}/{}", s.provider, s.product, s.version);
        if !folder.is_empty() && !folder.ends_with(&expected) {
            self.err(
                f,
                "product",
                format!("this product.yaml describes `{expected}` but sits in `{folder}`"),
                "does not match the folder",
                format!(
                    "move the files to `specs/{expected}/`, or fix provider / product / version"
                ),
            );
        }
    }

    /// The product's actions that pass their checks, sorted by name; two actions may
    /// not become the same Rust module.
    fn actions(
        &mut self,
        p: &LoadedProduct,
        shared_types: &[ir::TypeDef],
        common_parameters: &[(String, String)],
    ) -> Vec<ir::Action> {
        let mut actions = Vec::new();
        let mut modules = Unique::default();
        for a in &p.actions {
            let Some(action) = self.action(a, &p.spec, shared_types) else {
                continue;
            };
            self.check_examples(
                a.file,
                p.spec.protocol,
                &action,
                common_parameters,
                shared_types,
            );
            if let Err(first) = modules.claim(action.rust_mod.clone(), a.file) {
                // `createInstance` and `CreateInstance` are two wire names but one Rust
                // module, request type and method.
                let first_name = actions
                    .iter()
                    .find(|x: &&ir::Action| x.rust_mod == action.rust_mod)
                    .map_or(action.name.as_str(), |x| x.name.as_str());
                let (label, message, help) = if first_name == action.name {
                    (
                        "second definition",
                        format!(
                            "action `{}` is defined twice (as `{}` in Rust)",
                            action.name, action.rust_mod
                        ),
                        "each action is one file; rename or remove one of them".to_owned(),
                    )
                } else {
                    (
                        "same Rust names",
                        format!(
                            "actions `{first_name}` and `{}` both become `{}` (`{}`) in Rust",
                            action.name, action.rust_mod, action.names.request
                        ),
                        format!(
                            "the generator cannot keep both: remove `{}.yaml` (or `{first_name}.yaml`) from the product",
                            action.name
                        ),
                    )
                };
                let d = self
                    .diag(a.file, "name", message)
                    .label(label)
                    .related(first, self.span(first, "name"), "first defined here")
                    .help(help);
                self.diags.push(d);
            } else {
                actions.push(action);
            }
        }
        actions.sort_by(|a, b| a.name.cmp(&b.name));
        // The version module re-exports each action's items: an action type must not
        // take the name of another action's request, response or error.
        let taken: HashSet<String> = actions
            .iter()
            .flat_map(|a| {
                [
                    &a.names.request,
                    &a.names.builder,
                    &a.names.response,
                    &a.names.error,
                ]
            })
            .cloned()
            .chain(["Client", "Call", "CommonError", "StubServer"].map(String::from))
            .collect();
        for a in &mut actions {
            a.names.avoid(|n| taken.contains(n));
        }
        actions
    }
}

/// A host name: at least two dot-separated labels.
fn is_host_name(s: &str) -> bool {
    s.contains('.') && cloudapi_protocol::host::is_host(s)
}

/// What each protocol signs with, as a fix says it: `protocol rpc signs with hmac-sha1 or
/// acs3-hmac-sha256; roa with …`.
fn signings_by_protocol() -> String {
    let each: Vec<String> = Protocol::ALL
        .iter()
        .map(|p| {
            let names: Vec<&str> = p.descriptor().signings.iter().map(|s| s.name()).collect();
            format!("{} with {}", p.name(), names.join(" or "))
        })
        .collect();
    format!(
        "protocol {}",
        each.join("; ").replacen(" with ", " signs with ", 1)
    )
}
