//! Request parameters: unique and usable names (spec, Rust and wire), types the
//! protocol can send, ranges, and defaults that fit the type and the range.

use super::{Cx, Scope, Unique};
use crate::ir::{self, Ty};
use crate::source::FileId;
use crate::spec::{ActionSpec, ParameterSpec, Protocol};

/// The spec, Rust and wire names of one action's parameters seen so far.
#[derive(Default)]
struct Seen<'s> {
    names: Unique<&'s str>,
    rust: Unique<String>,
    wire: Unique<String>,
}

impl Cx<'_> {
    /// Checks the action's parameters and lowers those that pass.
    pub(super) fn params(
        &mut self,
        f: FileId,
        s: &ActionSpec,
        scope: &Scope,
        protocol: Protocol,
    ) -> Vec<ir::Param> {
        let mut seen = Seen::default();
        (0..s.parameters.len())
            .filter_map(|i| self.param(f, &s.parameters, i, scope, protocol, &mut seen))
            .collect()
    }

    fn param<'s>(
        &mut self,
        f: FileId,
        list: &'s [ParameterSpec],
        i: usize,
        scope: &Scope,
        protocol: Protocol,
        seen: &mut Seen<'s>,
    ) -> Option<ir::Param> {
        let p = &list[i];
        let path = format!("parameters[{i}]");
        let (rust_name, wire_name) = self.param_names(f, list, i, seen)?;
        let ty = self.param_ty(f, &path, p, &wire_name, scope, protocol)?;
        let (min, max) = self.param_range(f, &path, p, &ty)?;
        if !self.default_fits(f, &path, p, &ty, (min, max), scope) {
            return None;
        }
        Some(ir::Param {
            name: p.name.clone(),
            indexed: wire_name.ends_with(".N"),
            wire_name: wire_name.trim_end_matches(".N").to_owned(),
            rust_name,
            ty,
            required: p.required,
            min,
            max,
            default: p.default.as_ref().map(|d| d.0.clone()),
            example: p.example.as_ref().map(|e| e.0.clone()),
            description: p.description.clone(),
        })
    }

    /// The Rust name and the wire name (with any `.N`) of the `i`th parameter, if its
    /// name is new, its Rust name usable and new, and its wire name new.
    fn param_names<'s>(
        &mut self,
        f: FileId,
        list: &'s [ParameterSpec],
        i: usize,
        seen: &mut Seen<'s>,
    ) -> Option<(String, String)> {
        let p = &list[i];
        let path = format!("parameters[{i}]");
        let name_path = format!("{path}.name");
        if let Err(j) = seen.names.claim(p.name.as_str(), i) {
            let d = self
                .diag(
                    f,
                    &name_path,
                    format!("parameter `{}` is listed twice", p.name),
                )
                .label("duplicate")
                .related(
                    f,
                    self.span(f, &format!("parameters[{j}].name")),
                    "first listed here",
                )
                .help("remove one of them");
            self.diags.push(d);
            return None;
        }
        let rust_name = self.member_name(f, &path, &p.name, p.rust_name.as_deref(), "parameter")?;
        if ["build", "build_unchecked"].contains(&rust_name.as_str()) {
            self.err(
                f,
                &name_path,
                format!("parameter `{}` would be the builder method `{rust_name}`, which builds the request", p.name),
                "reserved name",
                format!("add `rust_name: {rust_name}_value` to the parameter"),
            );
            return None;
        }
        if let Err(j) = seen.rust.claim(rust_name.clone(), i) {
            let message = format!(
                "parameters `{}` and `{}` both become `{rust_name}` in Rust",
                list[j].name, p.name
            );
            let d = self
                .diag(f, &name_path, message)
                .label("collides after case conversion")
                .related(
                    f,
                    self.span(f, &format!("parameters[{j}].name")),
                    "this one",
                )
                .help("add `rust_name:` to one of them");
            self.diags.push(d);
            return None;
        }
        let wire_name = p.wire_name.clone().unwrap_or_else(|| p.name.clone());
        let base_wire = wire_name.trim_end_matches(".N");
        if let Err(j) = seen.wire.claim(base_wire.to_owned(), i) {
            let message = format!(
                "parameters `{}` and `{}` have the same wire name `{base_wire}`",
                list[j].name, p.name
            );
            let d = self
                .diag(f, &name_path, message)
                .label("same wire name")
                .help("each parameter must have its own name on the wire");
            self.diags.push(d);
            return None;
        }
        Some((rust_name, wire_name))
    }

    /// The parameter's type, if it is known and the protocol can send it under `wire_name`.
    fn param_ty(
        &mut self,
        f: FileId,
        path: &str,
        p: &ParameterSpec,
        wire_name: &str,
        scope: &Scope,
        protocol: Protocol,
    ) -> Option<Ty> {
        let ty_path = format!("{path}.type");
        let ty = self.ty(f, &ty_path, &p.ty, scope)?;
        let indexed = wire_name.ends_with(".N");
        if indexed && !matches!(ty, Ty::List(_)) {
            self.err(
                f,
                &format!("{path}.wire_name"),
                format!(
                    "wire name `{wire_name}` is indexed (`.N`) but the parameter is not a list"
                ),
                "`.N` needs a list",
                "make the type `list<...>`, or drop `.N` from the wire name",
            );
            return None;
        }
        if protocol != Protocol::Rpc {
            return Some(ty);
        }
        if let Ty::List(inner) = &ty {
            if !indexed {
                self.err(
                    f,
                    &ty_path,
                    format!(
                        "list parameter `{}` needs an indexed wire name in an RPC query",
                        p.name
                    ),
                    "no `.N` wire name",
                    format!("add `wire_name: {}.N` (sent as {0}.1, {0}.2, ...)", p.name),
                );
                return None;
            }
            if !matches!(
                **inner,
                Ty::String | Ty::Integer | Ty::Boolean | Ty::Float | Ty::Enum(_)
            ) {
                self.err(
                    f,
                    &ty_path,
                    "RPC query parameters can be lists of scalars only",
                    "nested list or structure",
                    "use a list of strings, numbers, booleans or enum values",
                );
                return None;
            }
        }
        if matches!(ty, Ty::Struct(_)) {
            self.err(
                f,
                &ty_path,
                "RPC query parameters cannot be structures",
                "structure in a query",
                "flatten the structure into scalar parameters",
            );
            return None;
        }
        Some(ty)
    }

    /// The parameter's (min, max), if a range is given for an integer only and is not empty.
    fn param_range(
        &mut self,
        f: FileId,
        path: &str,
        p: &ParameterSpec,
        ty: &Ty,
    ) -> Option<(Option<i64>, Option<i64>)> {
        let (min, max) = p.range.as_ref().map_or((None, None), |r| (r.min, r.max));
        if p.range.is_some() && *ty != Ty::Integer {
            self.err(
                f,
                &format!("{path}.range"),
                format!("a range is given for `{}`, which is not an integer", p.name),
                "range on a non-integer",
                "ranges apply to `type: integer` parameters",
            );
            return None;
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                let message = format!(
                    "the range of `{}` is empty: min {lo} is greater than max {hi}",
                    p.name
                );
                let d = self
                    .diag(f, &format!("{path}.range.min"), message)
                    .label("min > max")
                    .related(f, self.span(f, &format!("{path}.range.max")), "max")
                    .help("swap min and max, or check the document's range");
                self.diags.push(d);
                return None;
            }
        }
        Some((min, max))
    }

    /// Whether the parameter's default, if any, is a value of its type within its range.
    fn default_fits(
        &mut self,
        f: FileId,
        path: &str,
        p: &ParameterSpec,
        ty: &Ty,
        range: (Option<i64>, Option<i64>),
        scope: &Scope,
    ) -> bool {
        let Some(def) = &p.default else { return true };
        match default_problem(p, &def.0, ty, range, scope) {
            Some((message, label, help)) => {
                self.err(f, &format!("{path}.default"), message, label, help);
                false
            }
            None => true,
        }
    }
}

/// What is wrong with `def` as the default of `p` (of type `ty`, within `range`):
/// the message, label and help of the diagnostic.
fn default_problem(
    p: &ParameterSpec,
    def: &str,
    ty: &Ty,
    (min, max): (Option<i64>, Option<i64>),
    scope: &Scope,
) -> Option<(String, &'static str, &'static str)> {
    match ty {
        Ty::Integer => match def.parse::<i64>() {
            Ok(v) if min.is_some_and(|m| v < m) || max.is_some_and(|m| v > m) => {
                let bound = |b: Option<i64>| b.map_or("".into(), |m| m.to_string());
                Some((
                    format!(
                        "the default {v} of `{}` is outside its range {}..={}",
                        p.name,
                        bound(min),
                        bound(max)
                    ),
                    "outside the range",
                    "fix the default or the range to match the document",
                ))
            }
            Ok(_) => None,
            Err(_) => Some((
                format!(
                    "the default `{def}` of integer parameter `{}` is not an integer",
                    p.name
                ),
                "not an integer",
                "write the default as a whole number",
            )),
        },
        Ty::Boolean if def != "true" && def != "false" => Some((
            format!(
                "the default `{def}` of boolean parameter `{}` is not true or false",
                p.name
            ),
            "not a boolean",
            "write `true` or `false`",
        )),
        Ty::Enum(_) => {
            let spec = scope.find(p.ty.trim()).map(|(s, _)| s);
            let values: Vec<&str> = spec
                .and_then(|s| s.values.as_ref())
                .map(|v| v.iter().map(|x| x.value.0.as_str()).collect())
                .unwrap_or_default();
            (!values.contains(&def)).then(|| {
                (
                    format!(
                        "the default `{def}` of `{}` is not one of its values ({})",
                        p.name,
                        values.join(", ")
                    ),
                    "not an enum value",
                    "use one of the listed values, or add the value to the enum",
                )
            })
        }
        Ty::List(_) | Ty::Struct(_) => Some((
            format!(
                "parameter `{}` cannot have a default: defaults are for scalars",
                p.name
            ),
            "default on a list or structure",
            "remove `default`",
        )),
        _ => None,
    }
}
