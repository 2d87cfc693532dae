//! Request parameters: unique and usable names (spec, Rust and wire), types the
//! protocol can send, ranges, and defaults that fit the type and the range.

use super::{Cx, Scope, Unique};
use crate::ir::{self, Ty};
use crate::source::FileId;
use crate::spec::{ActionSpec, ParameterSpec, Protocol, RangeSpec};

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
        let hosts: Vec<usize> = (0..s.parameters.len())
            .filter(|&i| s.parameters[i].position == Some(crate::spec::Position::Host))
            .collect();
        if let [first, second, ..] = hosts[..] {
            self.err(
                f,
                &format!("parameters[{second}].position"),
                format!(
                    "parameters `{}` and `{}` both take the host; a request has one host",
                    s.parameters[first].name, s.parameters[second].name
                ),
                "a second host parameter",
                "keep `position: host` on the parameter the document puts in the host",
            );
        }
        (0..s.parameters.len())
            .filter_map(|i| self.param(f, s, i, scope, protocol, &mut seen))
            .collect()
    }

    fn param<'s>(
        &mut self,
        f: FileId,
        action: &'s ActionSpec,
        i: usize,
        scope: &Scope,
        protocol: Protocol,
        seen: &mut Seen<'s>,
    ) -> Option<ir::Param> {
        let list = &action.parameters;
        let p = &list[i];
        let path = format!("parameters[{i}]");
        let (rust_name, wire_name) = self.param_names(f, list, i, seen)?;
        let ty = self.param_ty(f, &path, p, &wire_name, scope)?;
        let (position, style) = self.placement(f, &path, p, &ty, action, protocol)?;
        let (min, max) = self.range(f, &path, &p.name, p.range.as_ref(), &ty)?;
        if !self.default_fits(f, &path, p, &ty, (min, max), scope) {
            return None;
        }
        if !self.secret_fits(f, &path, &p.name, p.secret, &ty) {
            return None;
        }
        if !self.deprecated_fits(f, &path, &p.name, p.deprecated, p.required) {
            return None;
        }
        Some(ir::Param {
            name: p.name.clone(),
            indexed: wire_name.ends_with(".N"),
            position,
            style,
            wire_name: wire_name.trim_end_matches(".N").to_owned(),
            rust_name,
            ty,
            required: p.required,
            min,
            max,
            default: p.default.as_ref().map(|d| d.0.clone()),
            example: p.example.as_ref().map(|e| e.0.clone()),
            description: p.description.clone(),
            secret: p.secret,
            deprecated: p.deprecated,
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
        // The builder's own methods: `build`, `build_unchecked`, and the private `check` and
        // `assemble` they call.
        if ["build", "build_unchecked", "check", "assemble"].contains(&rust_name.as_str()) {
            self.err(
                f,
                &name_path,
                format!("parameter `{}` would be the builder method `{rust_name}`, which builds or checks the request", p.name),
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

    /// The parameter's type, if it is known (`.N` wire names are for lists).
    fn param_ty(
        &mut self,
        f: FileId,
        path: &str,
        p: &ParameterSpec,
        wire_name: &str,
        scope: &Scope,
    ) -> Option<Ty> {
        let ty_path = format!("{path}.type");
        let ty = self.ty(f, &ty_path, &p.ty, scope)?;
        if wire_name.ends_with(".N") && !matches!(ty, Ty::List(_)) {
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
        Some(ty)
    }

    /// Where the parameter goes and how it is written, if the protocol allows it.
    fn placement(
        &mut self,
        f: FileId,
        path: &str,
        p: &ParameterSpec,
        ty: &Ty,
        action: &ActionSpec,
        protocol: Protocol,
    ) -> Option<(ir::Position, ir::ParamStyle)> {
        let d = protocol.descriptor();
        let position = p.position.unwrap_or(d.default_position);
        if !d.allows_position(position) {
            self.err(
                f,
                &format!("{path}.position"),
                format!("a {} action cannot send a parameter in the {}", protocol.name(), position.name()),
                "not available for this protocol",
                "path and header parameters are for roa and sls products, host parameters for sls; tc3 sends every parameter in its JSON body (or the query of a GET)",
            );
            return None;
        }
        let scalar = !matches!(ty, Ty::List(_) | Ty::Map(_) | Ty::Struct(_) | Ty::Json);
        if matches!(
            position,
            ir::Position::Path | ir::Position::Header | ir::Position::Host
        ) {
            // A header may carry a structure, list or map as one JSON text (aliding's
            // `AccountContext: {"accountId":"…"}`), as the SDKs send a `json`-style shrink.
            let json_header = position == ir::Position::Header
                && p.style == Some(ir::ParamStyle::Json)
                && !matches!(ty, Ty::Json);
            if !scalar && !json_header {
                self.err(
                    f,
                    &format!("{path}.type"),
                    format!(
                        "the {} parameter `{}` must be a scalar",
                        position.name(),
                        p.name
                    ),
                    "not a scalar",
                    "path, header and host parameters are strings, numbers, booleans or enum values; a header may carry a structure, list or map as JSON text with `style: json`",
                );
                return None;
            }
            if position == ir::Position::Host && !p.required {
                self.err(
                    f,
                    &format!("{path}.name"),
                    format!("host parameter `{}` must be required", p.name),
                    "optional host parameter",
                    "add `required: true`: the request goes to `<value>.<endpoint>`",
                );
                return None;
            }
            if position == ir::Position::Path {
                let template = action.path.as_deref().unwrap_or("");
                let wire = p.wire_name.as_deref().unwrap_or(&p.name);
                if !template.contains(&format!("{{{wire}}}")) {
                    self.err(
                        f,
                        &format!("{path}.position"),
                        format!("path parameter `{wire}` does not appear in the path `{template}`"),
                        "not in the path template",
                        format!("add `{{{wire}}}` to the action's `path`, or change the position"),
                    );
                    return None;
                }
                if !p.required {
                    self.err(
                        f,
                        &format!("{path}.name"),
                        format!("path parameter `{}` must be required", p.name),
                        "optional path parameter",
                        "add `required: true`: a path segment cannot be left out",
                    );
                    return None;
                }
            }
        }
        let style = p.style.unwrap_or(ir::ParamStyle::Flat);
        if style != ir::ParamStyle::Flat {
            let cloud = d.cloud.descriptor();
            let problem = if !d.allows_style(style) {
                Some(format!(
                    "{} flattens every structure and list (`Filters.{}.Name`)",
                    cloud.title, cloud.list_base
                ))
            } else if scalar {
                Some("a style applies to lists, maps and structures only".to_owned())
            } else if style == ir::ParamStyle::Simple
                && !matches!(ty, Ty::List(inner) if !matches!(**inner, Ty::List(_) | Ty::Map(_) | Ty::Struct(_) | Ty::Json))
            {
                Some("`simple` joins a list of scalars with commas".to_owned())
            } else {
                None
            };
            if let Some(problem) = problem {
                self.err(
                    f,
                    &format!("{path}.style"),
                    format!(
                        "style `{style:?}` does not fit parameter `{}`: {problem}",
                        p.name
                    ),
                    "style not applicable",
                    "remove `style`, or use `json` for a structure sent as one JSON text",
                );
                return None;
            }
        }
        Some((position, style))
    }

    /// The (min, max) of `name`, if a range is given for an integer only and is not empty.
    pub(super) fn range(
        &mut self,
        f: FileId,
        path: &str,
        name: &str,
        range: Option<&RangeSpec>,
        ty: &Ty,
    ) -> Option<(Option<i64>, Option<i64>)> {
        let (min, max) = range.map_or((None, None), |r| (r.min, r.max));
        if range.is_some() && !matches!(ty, Ty::Integer | Ty::U64) {
            self.err(
                f,
                &format!("{path}.range"),
                format!("a range is given for `{name}`, which is not an integer"),
                "range on a non-integer",
                "ranges apply to `type: integer` and `uint64` values",
            );
            return None;
        }
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                let message =
                    format!("the range of `{name}` is empty: min {lo} is greater than max {hi}");
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
        match default_problem(&p.name, &p.ty, &def.0, ty, range, scope) {
            Some((message, label, help)) => {
                self.err(f, &format!("{path}.default"), message, label, help);
                false
            }
            None => true,
        }
    }
}

/// What is wrong with `def` as the default of `name` (of type `ty`, written `ty_text`,
/// within `range`): the message, label and help of the diagnostic.
pub(super) fn default_problem(
    name: &str,
    ty_text: &str,
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
                        name,
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
                    name
                ),
                "not an integer",
                "write the default as a whole number",
            )),
        },
        Ty::Boolean if def != "true" && def != "false" => Some((
            format!(
                "the default `{def}` of boolean parameter `{}` is not true or false",
                name
            ),
            "not a boolean",
            "write `true` or `false`",
        )),
        Ty::Enum(_) => {
            let spec = scope.find(ty_text.trim()).map(|(s, _)| s);
            let values: Vec<&str> = spec
                .and_then(|s| s.values.as_ref())
                .map(|v| v.iter().map(|x| x.value.0.as_str()).collect())
                .unwrap_or_default();
            (!values.contains(&def)).then(|| {
                (
                    format!(
                        "the default `{def}` of `{}` is not one of its values ({})",
                        name,
                        values.join(", ")
                    ),
                    "not an enum value",
                    "use one of the listed values, or add the value to the enum",
                )
            })
        }
        Ty::U64 if def.parse::<u64>().is_err() => Some((
            format!("the default `{def}` of `{name}` is not an unsigned integer"),
            "not an unsigned integer",
            "write the default as a whole number, 0 or more",
        )),
        Ty::Float if def.parse::<f64>().is_err() => Some((
            format!("the default `{def}` of `{name}` is not a number"),
            "not a number",
            "write the default as a number",
        )),
        Ty::List(_) | Ty::Struct(_) | Ty::Map(_) | Ty::Json | Ty::Binary => Some((
            format!(
                "parameter `{}` cannot have a default: defaults are for scalars",
                name
            ),
            "default on a list or structure",
            "remove `default`",
        )),
        _ => None,
    }
}
