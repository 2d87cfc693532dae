//! Error-code lists, a product's common errors and an action's own: codes are
//! unique, make usable and distinct Rust variants, and at most one code carries
//! the message for each kind of client-side violation.

use super::{Cx, Unique};
use crate::ir;
use crate::names::{camel, ident_problem};
use crate::source::FileId;
use crate::spec::{ErrorSpec, ViolationKind};

/// The codes, variant names and violation kinds of one list seen so far.
#[derive(Default)]
struct Seen<'s> {
    codes: Unique<&'s str>,
    variants: Unique<String>,
    violations: Unique<ViolationKind>,
}

impl Cx<'_> {
    /// Checks the error list at `base` (`errors`) and lowers the entries that pass.
    pub(super) fn errors(
        &mut self,
        f: FileId,
        base: &str,
        list: &[ErrorSpec],
    ) -> Vec<ir::ErrorDef> {
        let mut seen = Seen::default();
        let mut out = Vec::new();
        for (i, e) in list.iter().enumerate() {
            let Some(rust_name) = self.error_variant(f, base, list, i, &mut seen) else {
                continue;
            };
            if let Some(v) = e.violation {
                self.violation(f, base, i, e, v, &mut seen.violations);
            }
            out.push(ir::ErrorDef {
                code: e.code.clone(),
                rust_name,
                http_status: e.http_status,
                message: e.message.clone(),
                description: e.description.clone(),
                retryable: e.retryable,
                violation: e.violation.map(Into::into),
            });
        }
        out
    }

    /// The Rust variant of the `i`th code, if the code is new and makes a new, usable variant.
    fn error_variant<'s>(
        &mut self,
        f: FileId,
        base: &str,
        list: &'s [ErrorSpec],
        i: usize,
        seen: &mut Seen<'s>,
    ) -> Option<String> {
        let e = &list[i];
        let path = format!("{base}[{i}].code");
        if let Err(j) = seen.codes.claim(e.code.as_str(), i) {
            let d = self
                .diag(f, &path, format!("error code `{}` is listed twice", e.code))
                .label("duplicate")
                .related(
                    f,
                    self.span(f, &format!("{base}[{j}].code")),
                    "first listed here",
                )
                .help("remove one of the two entries");
            self.diags.push(d);
            return None;
        }
        let rust_name = match &e.rust_name {
            Some(given) => {
                let rpath = format!("{base}[{i}].rust_name");
                let problem = ident_problem(given).or_else(|| {
                    (camel(given) != *given)
                        .then(|| format!("it is not UpperCamelCase (`{}` would be)", camel(given)))
                });
                if let Some(problem) = problem {
                    self.err(
                        f,
                        &rpath,
                        format!("`rust_name` `{given}` of error code `{}` is not a usable variant name: {problem}", e.code),
                        "not an UpperCamelCase identifier",
                        format!(
                            "write an UpperCamelCase Rust identifier such as `{}`",
                            Some(camel(given))
                                .filter(|c| ident_problem(c).is_none())
                                .unwrap_or_else(|| "InvalidParameterValueTooLarge2".to_owned())
                        ),
                    );
                    return None;
                }
                given.clone()
            }
            None => camel(&e.code),
        };
        let name_path = if e.rust_name.is_some() {
            format!("{base}[{i}].rust_name")
        } else {
            path.clone()
        };
        if e.rust_name.is_none() {
            if let Some(problem) = ident_problem(&rust_name) {
                self.err(
                    f,
                    &path,
                    format!(
                        "error code `{}` cannot name a Rust variant (`{rust_name}`): {problem}",
                        e.code
                    ),
                    "not usable as a variant name",
                    "error codes are dotted names such as `InvalidParameter.ParamError`",
                );
                return None;
            }
        }
        if rust_name == "Unhandled" || rust_name == "Common" {
            self.err(
                f,
                &name_path,
                format!(
                    "error code `{}` would become the variant `{rust_name}`, which the generated error enums use themselves",
                    e.code
                ),
                "reserved",
                "the generated error enums use `Common` for the product's common codes and `Unhandled` for codes the spec does not list; give the code another `rust_name:`",
            );
            return None;
        }
        if let Err(j) = seen.variants.claim(rust_name.clone(), i) {
            let message = format!(
                "error codes `{}` and `{}` both become the Rust variant `{rust_name}`",
                list[j].code, e.code
            );
            let other = if list[j].rust_name.is_some() {
                format!("{base}[{j}].rust_name")
            } else {
                format!("{base}[{j}].code")
            };
            let d = self
                .diag(f, &name_path, message)
                .label(if e.rust_name.is_some() {
                    "this variant name is taken"
                } else {
                    "collides after case conversion"
                })
                .related(f, self.span(f, &other), "this one")
                .help(format!(
                    "give one of them another variant name with `rust_name:` (e.g. `rust_name: {rust_name}2`)"
                ));
            self.diags.push(d);
            return None;
        }
        Some(rust_name)
    }

    /// One code per violation kind, and it has a message template.
    fn violation(
        &mut self,
        f: FileId,
        base: &str,
        i: usize,
        e: &ErrorSpec,
        v: ViolationKind,
        seen: &mut Unique<ViolationKind>,
    ) {
        let path = format!("{base}[{i}].violation");
        if let Err(j) = seen.claim_last(v, i) {
            let d = self
                .diag(
                    f,
                    &path,
                    format!("two error codes give the message for `{v:?}` violations"),
                )
                .label("second one")
                .related(
                    f,
                    self.span(f, &format!("{base}[{j}].violation")),
                    "first one",
                )
                .help("keep `violation:` on one of them");
            self.diags.push(d);
        }
        if e.message.is_none() {
            self.err(
                f,
                &path,
                "an error code used for client-side violations needs a `message` template",
                "no message",
                "add `message:` with `%s` for the parameter name (and the limit)",
            );
        }
    }
}

impl Cx<'_> {
    /// The provider's common errors with the product's own: a product entry replaces the
    /// provider's entry of the same code (and takes over its violation kind); a product
    /// code that would become the same Rust variant as another provider code is an error.
    pub(super) fn merge_errors(
        &mut self,
        f: FileId,
        provider: &[ir::ErrorDef],
        product: Vec<ir::ErrorDef>,
    ) -> Vec<ir::ErrorDef> {
        let mut out: Vec<ir::ErrorDef> = provider.to_vec();
        for (i, e) in product.into_iter().enumerate() {
            if let Some(v) = e.violation {
                for other in out.iter_mut().filter(|o| o.code != e.code) {
                    if other.violation == Some(v) {
                        other.violation = None;
                    }
                }
            }
            if let Some(same) = out.iter_mut().find(|o| o.code == e.code) {
                *same = e;
            } else if let Some(clash) = out.iter().find(|o| o.rust_name == e.rust_name) {
                self.err(
                    f,
                    &format!("errors[{i}].code"),
                    format!(
                        "error code `{}` and the provider's common code `{}` both become the Rust variant `{}`",
                        e.code, clash.code, e.rust_name
                    ),
                    "collides with a provider code",
                    "list the provider's code here to replace it, or give this code another variant name with `rust_name:`",
                );
            } else {
                out.push(e);
            }
        }
        out
    }
}
