//! Checking: every rule a spec must meet, reported with file, line, column and a
//! fix; and lowering of what passes into the [`ir`] the emitter works from.
//!
//! Checks never stop at the first problem: everything found in one run is reported.

use std::collections::hash_map::{Entry, HashMap};
use std::collections::HashSet;
use std::hash::Hash;

use crate::diag::{Diagnostic, Diagnostics};
use crate::ir::{self, Ty};
use crate::load::{Loaded, LoadedAction, LoadedProduct};
use crate::names::{self, camel, closest, ident_problem, snake};
use crate::source::{FileId, SourceFile};
use crate::spec::*;

/// Checks loaded specs and lowers them; all problems are returned together.
pub fn check(loaded: Loaded) -> Result<Vec<ir::Product>, Diagnostics> {
    let Loaded { files, products, diagnostics } = loaded;
    let mut cx = Cx { files: &files, diags: diagnostics };
    let mut out = Vec::new();
    let mut modules = Unique::default();
    for p in &products {
        if let Some(ir) = cx.product(p) {
            let key = (ir.provider_mod.clone(), ir.product_mod.clone(), ir.version_mod.clone());
            if let Err(first) = modules.claim(key, p.file) {
                let d = cx
                    .diag(p.file, "version", format!("product `{}/{}` version {} is defined twice", ir.provider, ir.product, ir.version))
                    .related(first, cx.files[first].value_span("version"), "first defined here")
                    .help("keep one product.yaml per provider / product / version");
                cx.diags.push(d);
            } else {
                out.push(ir);
            }
        }
    }
    if cx.diags.is_empty() {
        out.sort_by(|a, b| (&a.provider_mod, &a.product_mod, &a.version_mod).cmp(&(&b.provider_mod, &b.product_mod, &b.version_mod)));
        Ok(out)
    } else {
        let mut items = cx.diags;
        items.sort_by_key(|d| (d.file, d.span.start));
        items.dedup();
        Err(Diagnostics { files, items })
    }
}

/// Where each name was first seen: every duplicate check claims its names here.
struct Unique<K, At = usize> {
    seen: HashMap<K, At>,
}

impl<K, At> Default for Unique<K, At> {
    fn default() -> Self {
        Unique { seen: HashMap::new() }
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

struct Cx<'a> {
    files: &'a [SourceFile],
    diags: Vec<Diagnostic>,
}

/// Named types visible from an action: its own, then the product's shared ones.
struct Scope<'a> {
    local: &'a [TypeSpec],
    shared: &'a [TypeSpec],
}

impl Scope<'_> {
    fn find(&self, name: &str) -> Option<(&TypeSpec, bool)> {
        self.local.iter().find(|t| t.name == name).map(|t| (t, false)).or_else(|| self.shared.iter().find(|t| t.name == name).map(|t| (t, true)))
    }
    fn names(&self) -> impl Iterator<Item = &str> {
        self.local.iter().chain(self.shared).map(|t| t.name.as_str()).chain(["string", "integer", "boolean", "float"])
    }
}

impl Cx<'_> {
    fn diag(&self, file: FileId, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(file, self.files[file].value_span(path), message)
    }

    fn err(&mut self, file: FileId, path: &str, message: impl Into<String>, label: &str, help: impl Into<String>) {
        let d = self.diag(file, path, message).label(label).help(help);
        self.diags.push(d);
    }

    fn product(&mut self, p: &LoadedProduct) -> Option<ir::Product> {
        let f = p.file;
        let s = &p.spec;
        let before = self.diags.len();
        for (key, value) in [("provider", &s.provider), ("product", &s.product)] {
            if value.is_empty() || !value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || !value.starts_with(|c: char| c.is_ascii_lowercase()) {
                self.err(f, key, format!("`{key}` must be a lowercase name such as `aliyun` or `ccc`, found `{value}`"), "not a lowercase name", "use lowercase ASCII letters, digits and `-`, starting with a letter");
            }
        }
        let version_ok = s.version.len() == 10 && s.version.chars().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() });
        if !version_ok {
            self.err(f, "version", format!("the API version `{}` is not a date of the form YYYY-MM-DD", s.version), "expected YYYY-MM-DD", "write the version as the provider prints it, e.g. \"2020-07-01\" (quoted)");
        }
        let compatible = matches!((s.protocol, s.signing), (Protocol::Tc3, Signing::Tc3HmacSha256) | (Protocol::Rpc, Signing::HmacSha1 | Signing::Acs3HmacSha256));
        if !compatible {
            self.err(f, "signing", format!("signing `{:?}` does not go with protocol `{:?}`", s.signing, s.protocol), "incompatible with the protocol", "protocol tc3 signs with tc3-hmac-sha256; protocol rpc with hmac-sha1 or acs3-hmac-sha256");
        }
        if s.endpoint.is_empty() || s.endpoint.contains("://") || s.endpoint.contains('/') || s.endpoint.contains(char::is_whitespace) {
            self.err(f, "endpoint", format!("the endpoint `{}` is not a host name", s.endpoint), "expected a host such as ccc.cn-shanghai.aliyuncs.com", "give the host only; the scheme and path are chosen by the client");
        }
        let folder = self.files[f].name.rsplit_once('/').map(|(d, _)| d.to_owned()).unwrap_or_default();
        let expected = format!("{}/{}/{}", s.provider, s.product, s.version);
        if !folder.is_empty() && !folder.ends_with(&expected) {
            self.err(f, "product", format!("this product.yaml describes `{expected}` but sits in `{folder}`"), "does not match the folder", format!("move the files to `specs/{expected}/`, or fix provider / product / version"));
        }
        let errors = self.errors(f, "errors", &s.errors);
        let shared_scope = Scope { local: &[], shared: &s.types };
        let types = self.types(f, "types", &s.types, &shared_scope, &HashSet::new());
        let mut actions = Vec::new();
        let mut action_mods = Unique::default();
        for a in &p.actions {
            if let Some(action) = self.action(a, s, &types) {
                if let Err(first) = action_mods.claim(action.rust_mod.clone(), a.file) {
                    let d = self
                        .diag(a.file, "name", format!("action `{}` is defined twice (as `{}` in Rust)", action.name, action.rust_mod))
                        .label("second definition")
                        .related(first, self.files[first].value_span("name"), "first defined here")
                        .help("each action is one file; rename or remove one of them");
                    self.diags.push(d);
                    continue;
                }
                actions.push(action);
            }
        }
        actions.sort_by(|a, b| a.name.cmp(&b.name));
        if self.diags.len() != before {
            return None;
        }
        let mut sources = vec![self.files[f].name.clone()];
        sources.extend(actions.iter().map(|a| a.source.clone()));
        Some(ir::Product {
            provider: s.provider.clone(),
            product: s.product.clone(),
            title: s.title.clone(),
            version: s.version.clone(),
            description: s.description.clone(),
            protocol: s.protocol,
            signing: s.signing,
            endpoint: s.endpoint.clone(),
            service: s.service.clone(),
            default_region: s.default_region.clone(),
            common_parameters: s.common_parameters.iter().map(|c| (c.name.clone(), c.description.clone())).collect(),
            provider_mod: snake(&s.provider),
            product_mod: snake(&s.product),
            version_mod: format!("v{}", s.version.replace('-', "")),
            feature: format!("{}-{}", s.provider, s.product),
            types,
            errors,
            actions,
            sources,
        })
    }

    fn errors(&mut self, f: FileId, base: &str, list: &[ErrorSpec]) -> Vec<ir::ErrorDef> {
        let mut out: Vec<ir::ErrorDef> = Vec::new();
        let mut by_code = Unique::default();
        let mut by_rust = Unique::default();
        let mut violations = Unique::default();
        for (i, e) in list.iter().enumerate() {
            let path = format!("{base}[{i}].code");
            if let Err(j) = by_code.claim(e.code.as_str(), i) {
                let d = self.diag(f, &path, format!("error code `{}` is listed twice", e.code)).label("duplicate").related(f, self.files[f].value_span(&format!("{base}[{j}].code")), "first listed here").help("remove one of the two entries");
                self.diags.push(d);
                continue;
            }
            let rust_name = camel(&e.code);
            if let Some(problem) = ident_problem(&rust_name) {
                self.err(f, &path, format!("error code `{}` cannot name a Rust variant (`{rust_name}`): {problem}", e.code), "not usable as a variant name", "error codes are dotted names such as `InvalidParameter.ParamError`");
                continue;
            }
            if rust_name == "Unhandled" {
                self.err(f, &path, "error code `Unhandled` collides with the fallback variant for unknown codes", "reserved", "the generated error enum uses `Unhandled` for codes the spec does not list");
                continue;
            }
            if let Err(j) = by_rust.claim(rust_name.clone(), i) {
                let d = self.diag(f, &path, format!("error codes `{}` and `{}` both become the Rust variant `{rust_name}`", list[j].code, e.code)).label("collides after case conversion").related(f, self.files[f].value_span(&format!("{base}[{j}].code")), "this one").help("two codes must differ in more than case and punctuation");
                self.diags.push(d);
                continue;
            }
            if let Some(v) = e.violation {
                if let Err(j) = violations.claim_last(v, i) {
                    let d = self.diag(f, &format!("{base}[{i}].violation"), format!("two error codes give the message for `{v:?}` violations")).label("second one").related(f, self.files[f].value_span(&format!("{base}[{j}].violation")), "first one").help("keep `violation:` on one of them");
                    self.diags.push(d);
                }
                if e.message.is_none() {
                    self.err(f, &format!("{base}[{i}].violation"), "an error code used for client-side violations needs a `message` template", "no message", "add `message:` with `%s` for the parameter name (and the limit)");
                }
            }
            out.push(ir::ErrorDef {
                code: e.code.clone(),
                rust_name,
                http_status: e.http_status,
                message: e.message.clone(),
                description: e.description.clone(),
                retryable: e.retryable,
                violation: e.violation,
            });
        }
        out
    }

    fn action(&mut self, a: &LoadedAction, product: &ProductSpec, shared_types: &[ir::TypeDef]) -> Option<ir::Action> {
        let f = a.file;
        let s = &a.spec;
        let before = self.diags.len();
        let rust_mod = snake(&s.name);
        if let Some(problem) = ident_problem(&camel(&s.name)).or_else(|| ident_problem(&rust_mod)) {
            self.err(f, "name", format!("action name `{}` cannot be used in Rust: {problem}", s.name), "not a usable action name", "action names are UpperCamelCase ASCII, e.g. `ListUsers`");
        } else if camel(&s.name) != s.name {
            self.err(f, "name", format!("action name `{}` is not UpperCamelCase", s.name), "expected UpperCamelCase", format!("write it as the provider does, e.g. `{}`", camel(&s.name)));
        } else if ["types", "client"].contains(&rust_mod.as_str()) {
            self.err(f, "name", format!("action `{}` would be the module `{rust_mod}`, which the generator uses", s.name), "reserved module name", "this name cannot be generated; open an issue");
        }
        let file_stem = self.files[f].name.rsplit('/').next().unwrap_or("").trim_end_matches(".yaml").trim_end_matches(".yml").to_owned();
        if file_stem != s.name {
            self.err(f, "name", format!("the action `{}` is in the file `{file_stem}.yaml`", s.name), "does not match the file name", format!("rename the file to `{}.yaml` (one action per file, named after it)", s.name));
        }
        if let Some(r) = &s.rate_limit {
            if r.requests_per_second == 0 {
                self.err(f, "rate_limit.requests_per_second", "a rate limit of 0 requests per second would block every call", "must be at least 1", "give the documented limit, or remove `rate_limit`");
            }
        }
        // Named types: the action's own must not shadow the product's.
        let shared_names: HashSet<&str> = product.types.iter().map(|t| t.name.as_str()).collect();
        let reserved: HashSet<String> = ["Request", "RequestBuilder", "Response", "Error"].iter().map(|x| format!("{}{x}", camel(&s.name))).collect();
        for (i, t) in s.types.iter().enumerate() {
            if shared_names.contains(t.name.as_str()) {
                self.err(f, &format!("types[{i}].name"), format!("type `{}` is already defined by the product", t.name), "shadows a shared type", "use the product's type, or give this one another name");
            }
        }
        let scope = Scope { local: &s.types, shared: &product.types };
        let types = self.types(f, "types", &s.types, &scope, &reserved);
        let params = self.params(f, s, &scope, product.protocol);
        let rules = self.rules(f, s, &params);
        let response = self.struct_def(f, "response", &format!("{}Response", camel(&s.name)), &s.response.description, &s.response.fields, &scope);
        let errors = self.errors(f, "errors", &s.errors);
        let structs: HashMap<&str, &ir::StructDef> = types
            .iter()
            .chain(shared_types)
            .filter_map(ir::TypeDef::as_struct)
            .map(|s| (s.rust_name.as_str(), s))
            .collect();
        let pagination = s.pagination.as_ref().and_then(|p| self.pagination(f, p, &params, &response, &structs));
        for (i, ex) in s.examples.iter().enumerate() {
            if let Some(json) = &ex.response_json {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
                    self.err(f, &format!("examples[{i}].response_json"), format!("the JSON response example does not parse: {e}"), "invalid JSON", "keep the example exactly as the document prints it, inside a `|` block");
                }
            }
        }
        let response = response?;
        if self.diags.len() != before {
            return None;
        }
        Some(ir::Action {
            name: s.name.clone(),
            rust_mod,
            description: s.description.clone(),
            method: s.http_method,
            rate_limit: s.rate_limit.as_ref().map(|r| (r.requests_per_second, r.description.clone())),
            params,
            rules,
            pagination,
            response,
            types,
            errors,
            examples: s.examples.iter().map(|e| ir::Example { title: e.title.clone(), request: e.request.clone(), response_json: e.response_json.clone(), response_xml: e.response_xml.clone() }).collect(),
            source: self.files[f].name.clone(),
        })
    }

    /// Parses a type expression: `string`, `integer`, `boolean`, `float`, `list<T>` or a type name.
    fn ty(&mut self, f: FileId, path: &str, text: &str, scope: &Scope) -> Option<Ty> {
        let t = text.trim();
        match t {
            "string" => return Some(Ty::String),
            "integer" => return Some(Ty::Integer),
            "boolean" => return Some(Ty::Boolean),
            "float" => return Some(Ty::Float),
            _ => {}
        }
        if let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            return self.ty(f, path, inner, scope).map(|i| Ty::List(Box::new(i)));
        }
        match scope.find(t) {
            Some((spec, shared)) => {
                let r = ir::TypeRef { rust_name: camel(&spec.name), shared };
                Some(if spec.values.is_some() { Ty::Enum(r) } else { Ty::Struct(r) })
            }
            None => {
                let help = match closest(t, scope.names()) {
                    Some(c) => format!("did you mean `{c}`? Types are string, integer, boolean, float, list<T>, or a name under `types:`"),
                    None => "types are string, integer, boolean, float, list<T>, or a name defined under `types:`".to_owned(),
                };
                self.err(f, path, format!("unknown type `{t}`"), "not a known type", help);
                None
            }
        }
    }

    fn types(&mut self, f: FileId, base: &str, list: &[TypeSpec], scope: &Scope, reserved: &HashSet<String>) -> Vec<ir::TypeDef> {
        let mut out = Vec::new();
        let mut by_rust = Unique::default();
        for (i, t) in list.iter().enumerate() {
            let path = format!("{base}[{i}]");
            let rust_name = camel(&t.name);
            if let Some(problem) = ident_problem(&rust_name) {
                self.err(f, &format!("{path}.name"), format!("type name `{}` cannot be used in Rust: {problem}", t.name), "not a usable type name", "type names are UpperCamelCase ASCII, e.g. `CallCenterInstance`");
                continue;
            }
            if names::RESERVED_TYPE_NAMES.contains(&rust_name.as_str()) || reserved.contains(&rust_name) {
                self.err(f, &format!("{path}.name"), format!("type name `{}` clashes with a name the generated code uses", t.name), "reserved name", format!("rename the type, e.g. `{}Info`", t.name));
                continue;
            }
            if let Err(j) = by_rust.claim(rust_name.clone(), i) {
                let msg = if list[j].name == t.name { format!("type `{}` is defined twice", t.name) } else { format!("types `{}` and `{}` both become the Rust type `{rust_name}`", list[j].name, t.name) };
                let d = self.diag(f, &format!("{path}.name"), msg).label("duplicate").related(f, self.files[f].value_span(&format!("{base}[{j}].name")), "first defined here").help("give each type a distinct name");
                self.diags.push(d);
                continue;
            }
            match (&t.fields, &t.values) {
                (Some(fields), None) => {
                    if let Some(s) = self.struct_def(f, &path, &rust_name, &t.description, fields, scope) {
                        out.push(ir::TypeDef::Struct(s));
                    }
                }
                (None, Some(values)) => {
                    if let Some(e) = self.enum_def(f, &path, t, values) {
                        out.push(ir::TypeDef::Enum(e));
                    }
                }
                (Some(_), Some(_)) => self.err(f, &format!("{path}.name"), format!("type `{}` has both `fields` and `enum`", t.name), "ambiguous type", "a named type is either a structure (`fields`) or a string enum (`enum`)"),
                (None, None) => self.err(f, &format!("{path}.name"), format!("type `{}` has neither `fields` nor `enum`", t.name), "empty type", "add `fields:` for a structure or `enum:` for a set of values"),
            }
        }
        self.check_cycles(f, base, list, scope);
        out
    }

    /// A structure that contains itself other than through a list would have infinite size.
    fn check_cycles(&mut self, f: FileId, base: &str, list: &[TypeSpec], scope: &Scope) {
        let direct = |t: &TypeSpec| -> Vec<String> {
            t.fields.iter().flatten().filter_map(|fl| scope.find(fl.ty.trim()).filter(|(s, _)| s.fields.is_some()).map(|(s, _)| s.name.clone())).collect()
        };
        for (i, t) in list.iter().enumerate() {
            let mut stack = direct(t);
            let mut seen = HashSet::new();
            while let Some(n) = stack.pop() {
                if n == t.name {
                    self.err(f, &format!("{base}[{i}].name"), format!("type `{}` contains itself (not through a list)", t.name), "infinitely large", "make the recursive field a `list<...>`, which can be empty");
                    break;
                }
                if seen.insert(n.clone()) {
                    if let Some((s, _)) = scope.find(&n) {
                        stack.extend(direct(s));
                    }
                }
            }
        }
    }

    fn enum_def(&mut self, f: FileId, path: &str, t: &TypeSpec, values: &[EnumValueSpec]) -> Option<ir::EnumDef> {
        if values.is_empty() {
            self.err(f, &format!("{path}.enum"), format!("enum `{}` has no values", t.name), "empty enum", "list the documented values; use `type: string` if the document gives none");
            return None;
        }
        let mut out = Vec::new();
        let mut by_value = Unique::default();
        let mut by_rust = Unique::default();
        for (i, v) in values.iter().enumerate() {
            let vpath = format!("{path}.enum[{i}].value");
            if let Err(j) = by_value.claim(v.value.0.as_str(), i) {
                let d = self.diag(f, &vpath, format!("enum `{}` lists the value `{}` twice", t.name, v.value.0)).label("duplicate").related(f, self.files[f].value_span(&format!("{path}.enum[{j}].value")), "first listed here").help("remove the repeated value");
                self.diags.push(d);
                continue;
            }
            let rust_name = v.rust_name.clone().unwrap_or_else(|| camel(&v.value.0));
            if let Some(problem) = ident_problem(&rust_name) {
                self.err(f, &vpath, format!("enum value `{}` cannot name a Rust variant (`{rust_name}`): {problem}", v.value.0), "needs a Rust name", "add `rust_name:` with an UpperCamelCase variant name for this value");
                continue;
            }
            if rust_name == "Unknown" {
                self.err(f, &vpath, "the variant name `Unknown` is reserved for values the spec does not list", "reserved", "add `rust_name:` with another variant name for this value");
                continue;
            }
            if let Err(j) = by_rust.claim(rust_name.clone(), i) {
                let d = self.diag(f, &vpath, format!("enum values `{}` and `{}` both become the variant `{rust_name}`", values[j].value.0, v.value.0)).label("collides after case conversion").related(f, self.files[f].value_span(&format!("{path}.enum[{j}].value")), "this one").help("add `rust_name:` to one of them");
                self.diags.push(d);
                continue;
            }
            out.push(ir::EnumValue { value: v.value.0.clone(), rust_name, description: v.description.clone() });
        }
        Some(ir::EnumDef { name: t.name.clone(), rust_name: camel(&t.name), description: t.description.clone(), values: out })
    }

    fn struct_def(&mut self, f: FileId, path: &str, rust_name: &str, description: &str, fields: &[FieldSpec], scope: &Scope) -> Option<ir::StructDef> {
        let before = self.diags.len();
        let mut out = Vec::new();
        let mut by_name = Unique::default();
        let mut by_rust = Unique::default();
        for (i, fl) in fields.iter().enumerate() {
            let fpath = format!("{path}.fields[{i}]");
            if let Err(j) = by_name.claim(fl.name.as_str(), i) {
                let d = self.diag(f, &format!("{fpath}.name"), format!("field `{}` is listed twice", fl.name)).label("duplicate").related(f, self.files[f].value_span(&format!("{path}.fields[{j}].name")), "first listed here").help("remove one of them");
                self.diags.push(d);
                continue;
            }
            let Some(field_rust) = self.member_name(f, &fpath, &fl.name, fl.rust_name.as_deref(), "field") else { continue };
            if let Err(j) = by_rust.claim(field_rust.clone(), i) {
                let d = self.diag(f, &format!("{fpath}.name"), format!("fields `{}` and `{}` both become `{field_rust}` in Rust", fields[j].name, fl.name)).label("collides after case conversion").related(f, self.files[f].value_span(&format!("{path}.fields[{j}].name")), "this one").help("add `rust_name:` to one of them");
                self.diags.push(d);
                continue;
            }
            let Some(ty) = self.ty(f, &format!("{fpath}.type"), &fl.ty, scope) else { continue };
            out.push(ir::Field { name: fl.name.clone(), rust_name: field_rust, ty, example: fl.example.as_ref().map(|e| e.0.clone()), description: fl.description.clone() });
        }
        (self.diags.len() == before).then(|| ir::StructDef { name: rust_name.to_owned(), rust_name: rust_name.to_owned(), description: description.to_owned(), fields: out })
    }

    /// The snake_case Rust name of a field or parameter, or a diagnostic.
    fn member_name(&mut self, f: FileId, path: &str, name: &str, override_: Option<&str>, what: &str) -> Option<String> {
        let (rust, at) = match override_ {
            Some(r) => (r.to_owned(), format!("{path}.rust_name")),
            None => (snake(name), format!("{path}.name")),
        };
        if let Some(problem) = ident_problem(&rust) {
            let fix = if names::is_keyword(&rust) { format!("{rust}_") } else { "a_snake_case_name".to_owned() };
            self.err(f, &at, format!("{what} `{name}` becomes `{rust}` in Rust, which cannot be used: {problem}"), "not a usable Rust name", format!("add `rust_name: {fix}` to the {what}"));
            return None;
        }
        if rust.chars().any(|c| c.is_ascii_uppercase()) {
            self.err(f, &at, format!("rust_name `{rust}` is not snake_case"), "expected snake_case", format!("use `{}`", snake(&rust)));
            return None;
        }
        Some(rust)
    }

    fn params(&mut self, f: FileId, s: &ActionSpec, scope: &Scope, protocol: Protocol) -> Vec<ir::Param> {
        let mut out = Vec::new();
        let mut by_name = Unique::default();
        let mut by_wire = Unique::default();
        let mut by_rust = Unique::default();
        for (i, p) in s.parameters.iter().enumerate() {
            let path = format!("parameters[{i}]");
            if let Err(j) = by_name.claim(p.name.as_str(), i) {
                let d = self.diag(f, &format!("{path}.name"), format!("parameter `{}` is listed twice", p.name)).label("duplicate").related(f, self.files[f].value_span(&format!("parameters[{j}].name")), "first listed here").help("remove one of them");
                self.diags.push(d);
                continue;
            }
            let Some(rust_name) = self.member_name(f, &path, &p.name, p.rust_name.as_deref(), "parameter") else { continue };
            if ["build", "build_unchecked"].contains(&rust_name.as_str()) {
                self.err(f, &format!("{path}.name"), format!("parameter `{}` would be the builder method `{rust_name}`, which builds the request", p.name), "reserved name", format!("add `rust_name: {rust_name}_value` to the parameter"));
                continue;
            }
            if let Err(j) = by_rust.claim(rust_name.clone(), i) {
                let d = self.diag(f, &format!("{path}.name"), format!("parameters `{}` and `{}` both become `{rust_name}` in Rust", s.parameters[j].name, p.name)).label("collides after case conversion").related(f, self.files[f].value_span(&format!("parameters[{j}].name")), "this one").help("add `rust_name:` to one of them");
                self.diags.push(d);
                continue;
            }
            let wire_name = p.wire_name.clone().unwrap_or_else(|| p.name.clone());
            let indexed = wire_name.ends_with(".N");
            let base_wire = wire_name.trim_end_matches(".N").to_owned();
            if let Err(j) = by_wire.claim(base_wire.clone(), i) {
                let d = self.diag(f, &format!("{path}.name"), format!("parameters `{}` and `{}` have the same wire name `{base_wire}`", s.parameters[j].name, p.name)).label("same wire name").help("each parameter must have its own name on the wire");
                self.diags.push(d);
                continue;
            }
            let Some(ty) = self.ty(f, &format!("{path}.type"), &p.ty, scope) else { continue };
            if indexed && !matches!(ty, Ty::List(_)) {
                self.err(f, &format!("{path}.wire_name"), format!("wire name `{wire_name}` is indexed (`.N`) but the parameter is not a list"), "`.N` needs a list", "make the type `list<...>`, or drop `.N` from the wire name");
                continue;
            }
            if let Ty::List(inner) = &ty {
                if protocol == Protocol::Rpc && !indexed {
                    self.err(f, &format!("{path}.type"), format!("list parameter `{}` needs an indexed wire name in an RPC query", p.name), "no `.N` wire name", format!("add `wire_name: {}.N` (sent as {0}.1, {0}.2, ...)", p.name));
                    continue;
                }
                if protocol == Protocol::Rpc && !matches!(**inner, Ty::String | Ty::Integer | Ty::Boolean | Ty::Float | Ty::Enum(_)) {
                    self.err(f, &format!("{path}.type"), "RPC query parameters can be lists of scalars only", "nested list or structure", "use a list of strings, numbers, booleans or enum values");
                    continue;
                }
            }
            if protocol == Protocol::Rpc && matches!(ty, Ty::Struct(_)) {
                self.err(f, &format!("{path}.type"), "RPC query parameters cannot be structures", "structure in a query", "flatten the structure into scalar parameters");
                continue;
            }
            let (min, max) = p.range.as_ref().map_or((None, None), |r| (r.min, r.max));
            if p.range.is_some() && ty != Ty::Integer {
                self.err(f, &format!("{path}.range"), format!("a range is given for `{}`, which is not an integer", p.name), "range on a non-integer", "ranges apply to `type: integer` parameters");
                continue;
            }
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    let d = self.diag(f, &format!("{path}.range.min"), format!("the range of `{}` is empty: min {lo} is greater than max {hi}", p.name)).label("min > max").related(f, self.files[f].value_span(&format!("{path}.range.max")), "max").help("swap min and max, or check the document's range");
                    self.diags.push(d);
                    continue;
                }
            }
            if let Some(def) = &p.default {
                let dpath = format!("{path}.default");
                match &ty {
                    Ty::Integer => match def.0.parse::<i64>() {
                        Ok(v) if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) => {
                            self.err(f, &dpath, format!("the default {v} of `{}` is outside its range {}..={}", p.name, min.map_or("".into(), |m| m.to_string()), max.map_or("".into(), |m| m.to_string())), "outside the range", "fix the default or the range to match the document");
                            continue;
                        }
                        Ok(_) => {}
                        Err(_) => {
                            self.err(f, &dpath, format!("the default `{}` of integer parameter `{}` is not an integer", def.0, p.name), "not an integer", "write the default as a whole number");
                            continue;
                        }
                    },
                    Ty::Boolean if def.0 != "true" && def.0 != "false" => {
                        self.err(f, &dpath, format!("the default `{}` of boolean parameter `{}` is not true or false", def.0, p.name), "not a boolean", "write `true` or `false`");
                        continue;
                    }
                    Ty::Enum(_) => {
                        let spec = scope.find(p.ty.trim()).map(|(s, _)| s);
                        let values: Vec<&str> = spec.and_then(|s| s.values.as_ref()).map(|v| v.iter().map(|x| x.value.0.as_str()).collect()).unwrap_or_default();
                        if !values.contains(&def.0.as_str()) {
                            self.err(f, &dpath, format!("the default `{}` of `{}` is not one of its values ({})", def.0, p.name, values.join(", ")), "not an enum value", "use one of the listed values, or add the value to the enum");
                            continue;
                        }
                    }
                    Ty::List(_) | Ty::Struct(_) => {
                        self.err(f, &dpath, format!("parameter `{}` cannot have a default: defaults are for scalars", p.name), "default on a list or structure", "remove `default`");
                        continue;
                    }
                    _ => {}
                }
            }
            out.push(ir::Param {
                name: p.name.clone(),
                wire_name: base_wire,
                indexed,
                rust_name,
                ty,
                required: p.required,
                min,
                max,
                default: p.default.as_ref().map(|d| d.0.clone()),
                example: p.example.as_ref().map(|e| e.0.clone()),
                description: p.description.clone(),
            });
        }
        out
    }

    fn param_index(&mut self, f: FileId, path: &str, name: &str, params: &[ir::Param], s: &ActionSpec) -> Option<usize> {
        if let Some(i) = params.iter().position(|p| p.name == name) {
            return Some(i);
        }
        // A parameter that exists in the spec but failed its own checks is already reported.
        if s.parameters.iter().any(|p| p.name == name) {
            return None;
        }
        let help = match closest(name, s.parameters.iter().map(|p| p.name.as_str())) {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("the action's parameters are: {}", s.parameters.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")),
        };
        self.err(f, path, format!("`{name}` is not a parameter of {}", s.name), "unknown parameter", help);
        None
    }

    fn rules(&mut self, f: FileId, s: &ActionSpec, params: &[ir::Param]) -> Vec<ir::Rule> {
        let mut out = Vec::new();
        for (i, r) in s.rules.iter().enumerate() {
            match (&r.requires, &r.conflicts) {
                (Some(q), None) => {
                    let a = self.param_index(f, &format!("rules[{i}].requires.parameter"), &q.parameter, params, s);
                    let b = self.param_index(f, &format!("rules[{i}].requires.requires"), &q.requires, params, s);
                    if let (Some(a), Some(b)) = (a, b) {
                        if a == b {
                            self.err(f, &format!("rules[{i}].requires.requires"), format!("`{}` cannot require itself", q.parameter), "same parameter", "name two different parameters");
                        } else {
                            out.push(ir::Rule::Requires { param: a, requires: b, description: q.description.clone() });
                        }
                    }
                }
                (None, Some(c)) => {
                    let idx: Vec<Option<usize>> = c.parameters.iter().enumerate().map(|(j, n)| self.param_index(f, &format!("rules[{i}].conflicts.parameters[{j}]"), n, params, s)).collect();
                    let mut seen = Unique::default();
                    let distinct = c.parameters.iter().enumerate().all(|(j, n)| seen.claim(n, j).is_ok());
                    if c.parameters.len() < 2 || !distinct {
                        self.err(f, &format!("rules[{i}].conflicts.parameters"), "a conflicts rule needs two or more different parameters", "too few parameters", "list the parameters that must not be set together");
                    } else if idx.iter().all(Option::is_some) {
                        out.push(ir::Rule::Conflicts { params: idx.into_iter().flatten().collect(), description: c.description.clone() });
                    }
                }
                _ => self.err(f, &format!("rules[{i}]"), "a rule must have exactly one of `requires` or `conflicts`", "ambiguous rule", "write each rule as its own list item"),
            }
        }
        out
    }

    /// Resolves `Data.List` against the response structure and the lowered named types.
    fn response_path(&mut self, f: FileId, path: &str, dotted: &str, response: &ir::StructDef, structs: &HashMap<&str, &ir::StructDef>) -> Option<(Vec<ir::PathStep>, Ty)> {
        let mut steps = Vec::new();
        let mut current = response;
        let mut ty: Option<Ty> = None;
        for (k, seg) in dotted.split('.').enumerate() {
            if k > 0 {
                match &ty {
                    Some(Ty::Struct(r)) => current = structs.get(r.rust_name.as_str())?,
                    _ => {
                        let prefix = dotted.split('.').take(k).collect::<Vec<_>>().join(".");
                        self.err(f, path, format!("`{dotted}`: `{prefix}` is not a structure"), "cannot go further", "paths go through structure fields only");
                        return None;
                    }
                }
            }
            let Some(fl) = current.fields.iter().find(|x| x.name == seg) else {
                let names = current.fields.iter().map(|x| x.name.as_str()).collect::<Vec<_>>();
                let help = match closest(seg, names.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("the fields of `{}` are: {}", current.rust_name, names.join(", ")),
                };
                self.err(f, path, format!("`{dotted}`: `{}` has no field `{seg}`", current.rust_name), "unknown field", help);
                return None;
            };
            steps.push(ir::PathStep { rust_name: fl.rust_name.clone(), is_list: matches!(fl.ty, Ty::List(_)) });
            ty = Some(fl.ty.clone());
        }
        ty.map(|t| (steps, t))
    }

    fn pagination(&mut self, f: FileId, p: &PaginationSpec, params: &[ir::Param], response: &Option<ir::StructDef>, structs: &HashMap<&str, &ir::StructDef>) -> Option<ir::Pagination> {
        let response = response.as_ref()?;
        let param_of = |cx: &mut Self, path: &str, name: &str, want: Ty| -> Option<usize> {
            match params.iter().position(|x| x.name == name) {
                Some(i) if params[i].ty == want => Some(i),
                Some(_) => {
                    cx.err(f, path, format!("pagination parameter `{name}` must be of type {want:?}"), "wrong type", "point at the parameter that carries the page or token");
                    None
                }
                None => {
                    cx.err(f, path, format!("`{name}` is not a parameter of this action"), "unknown parameter", "name one of the action's parameters");
                    None
                }
            }
        };
        let expect = |cx: &mut Self, path: &str, dotted: &str, ok: fn(&Ty) -> bool, what: &str| -> Option<(Vec<ir::PathStep>, Ty)> {
            let (steps, ty) = cx.response_path(f, path, dotted, response, structs)?;
            if !ok(&ty) {
                cx.err(f, path, format!("`{dotted}` must be {what}"), "wrong type", format!("point at the response field that is {what}"));
                return None;
            }
            Some((steps, ty))
        };
        match (&p.page_number, &p.token) {
            (Some(pn), None) => {
                let page = param_of(self, "pagination.page_number.page", &pn.page, Ty::Integer);
                let size = param_of(self, "pagination.page_number.size", &pn.size, Ty::Integer);
                let total = expect(self, "pagination.page_number.total", &pn.total, |t| *t == Ty::Integer, "an integer");
                let items = expect(self, "pagination.page_number.items", &pn.items, |t| matches!(t, Ty::List(_)), "a list");
                let (Some(page), Some(size), Some((total, _)), Some((items, Ty::List(item)))) = (page, size, total, items) else { return None };
                Some(ir::Pagination::PageNumber { page, size, total, items, item_ty: *item })
            }
            (None, Some(t)) => {
                let request = param_of(self, "pagination.token.request", &t.request, Ty::String);
                let resp = expect(self, "pagination.token.response", &t.response, |t| *t == Ty::String, "a string");
                let truncated = t.truncated.as_ref().map(|tr| expect(self, "pagination.token.truncated", tr, |t| *t == Ty::Boolean, "a boolean"));
                let items = expect(self, "pagination.token.items", &t.items, |t| matches!(t, Ty::List(_)), "a list");
                let (Some(request), Some((resp, _)), Some((items, Ty::List(item)))) = (request, resp, items) else { return None };
                let truncated = match truncated {
                    Some(Some((s, _))) => Some(s),
                    Some(None) => return None,
                    None => None,
                };
                Some(ir::Pagination::Token { request, response: resp, truncated, items, item_ty: *item })
            }
            _ => {
                self.err(f, "pagination", "pagination must have exactly one of `page_number` or `token`", "ambiguous pagination", "keep the style the document describes");
                None
            }
        }
    }
}

