//! Types: type expressions (`string`, `list<T>`, a name), named types (structures
//! and string enums) with their fields and values, and structures that would
//! contain themselves.

use std::collections::HashSet;

use super::{Cx, Scope, Unique};
use crate::ir::{self, Ty};
use crate::load::LoadedProduct;
use crate::names::{self, camel, closest, ident_problem};
use crate::source::FileId;
use crate::spec::{EnumValueSpec, FieldSpec, TypeSpec};

/// The spec names and Rust names of one list of fields or enum values seen so far.
#[derive(Default)]
struct Seen<'s> {
    names: Unique<&'s str>,
    rust: Unique<String>,
}

impl Cx<'_> {
    /// Parses a type expression: a built-in scalar (see [`super::BUILTIN_TYPES`]),
    /// `list<T>`, `map<T>` or a type name.
    pub(super) fn ty(&mut self, f: FileId, path: &str, text: &str, scope: &Scope) -> Option<Ty> {
        let t = text.trim();
        match t {
            "string" => return Some(Ty::String),
            "integer" => return Some(Ty::Integer),
            "uint64" => return Some(Ty::U64),
            "boolean" => return Some(Ty::Boolean),
            "float" | "double" => return Some(Ty::Float),
            "datetime" => return Some(Ty::DateTime),
            "binary" => return Some(Ty::Binary),
            "json" => return Some(Ty::Json),
            _ => {}
        }
        if let Some(inner) = t.strip_prefix("list<").and_then(|r| r.strip_suffix('>')) {
            return self
                .ty(f, path, inner, scope)
                .map(|i| Ty::List(Box::new(i)));
        }
        if let Some(inner) = t.strip_prefix("map<").and_then(|r| r.strip_suffix('>')) {
            return self.ty(f, path, inner, scope).map(|i| Ty::Map(Box::new(i)));
        }
        if let Some((spec, shared)) = scope.find(t) {
            let home = if shared {
                ir::TypeHome::Shared
            } else {
                ir::TypeHome::Action(scope.home.to_owned())
            };
            let r = ir::TypeRef {
                rust_name: camel(&spec.name),
                home,
            };
            return Some(if spec.values.is_some() {
                Ty::Enum(r)
            } else {
                Ty::Struct(r)
            });
        }
        let help = match closest(t, scope.names()) {
            Some(c) => {
                format!(
                    "did you mean `{c}`? Types are {}, list<T>, map<T>, or a name under `types:`",
                    super::BUILTIN_TYPES.join(", ")
                )
            }
            None => format!(
                "types are {}, list<T>, map<T>, or a name defined under `types:`",
                super::BUILTIN_TYPES.join(", ")
            ),
        };
        self.err(
            f,
            path,
            format!("unknown type `{t}`"),
            "not a known type",
            help,
        );
        None
    }

    /// Checks the named types at `base` (`types`) and lowers those that pass.
    /// `reserved` holds Rust names the generated code of this scope already takes.
    pub(super) fn types(
        &mut self,
        f: FileId,
        base: &str,
        list: &[TypeSpec],
        scope: &Scope,
        reserved: &HashSet<String>,
    ) -> Vec<ir::TypeDef> {
        let mut out = Vec::new();
        let mut seen = Unique::default();
        for (i, t) in list.iter().enumerate() {
            let path = format!("{base}[{i}]");
            let Some(rust_name) = self.type_name(f, base, list, i, reserved, &mut seen) else {
                continue;
            };
            match (&t.fields, &t.values) {
                (Some(fields), None) => {
                    if let Some(s) =
                        self.struct_def(f, &path, &rust_name, &t.description, fields, scope)
                    {
                        out.push(ir::TypeDef::Struct(s));
                    }
                }
                (None, Some(values)) => {
                    if let Some(e) = self.enum_def(f, &path, t, values) {
                        out.push(ir::TypeDef::Enum(e));
                    }
                }
                (Some(_), Some(_)) => self.err(
                    f,
                    &format!("{path}.name"),
                    format!("type `{}` has both `fields` and `enum`", t.name),
                    "ambiguous type",
                    "a named type is either a structure (`fields`) or a string enum (`enum`)",
                ),
                (None, None) => self.err(
                    f,
                    &format!("{path}.name"),
                    format!("type `{}` has neither `fields` nor `enum`", t.name),
                    "empty type",
                    "add `fields:` for a structure or `enum:` for a set of values",
                ),
            }
        }
        self.check_cycles(f, base, list, scope);
        out
    }

    /// The Rust name of the `i`th type, if it is usable, not reserved and not taken.
    fn type_name(
        &mut self,
        f: FileId,
        base: &str,
        list: &[TypeSpec],
        i: usize,
        reserved: &HashSet<String>,
        seen: &mut Unique<String>,
    ) -> Option<String> {
        let t = &list[i];
        let path = format!("{base}[{i}].name");
        let rust_name = camel(&t.name);
        if let Some(problem) = ident_problem(&rust_name) {
            self.err(
                f,
                &path,
                format!("type name `{}` cannot be used in Rust: {problem}", t.name),
                "not a usable type name",
                "type names are UpperCamelCase ASCII, e.g. `CallCenterInstance`",
            );
            return None;
        }
        if names::RESERVED_TYPE_NAMES.contains(&rust_name.as_str()) || reserved.contains(&rust_name)
        {
            self.err(
                f,
                &path,
                format!(
                    "type name `{}` clashes with a name the generated code uses",
                    t.name
                ),
                "reserved name",
                format!("rename the type, e.g. `{}Info`", t.name),
            );
            return None;
        }
        if let Err(j) = seen.claim(rust_name.clone(), i) {
            let message = if list[j].name == t.name {
                format!("type `{}` is defined twice", t.name)
            } else {
                format!(
                    "types `{}` and `{}` both become the Rust type `{rust_name}`",
                    list[j].name, t.name
                )
            };
            let d = self
                .diag(f, &path, message)
                .label("duplicate")
                .related(
                    f,
                    self.span(f, &format!("{base}[{j}].name")),
                    "first defined here",
                )
                .help("give each type a distinct name");
            self.diags.push(d);
            return None;
        }
        Some(rust_name)
    }

    /// A structure that contains itself other than through a list would have infinite size.
    fn check_cycles(&mut self, f: FileId, base: &str, list: &[TypeSpec], scope: &Scope) {
        // The named structures a type's fields hold directly (not through a list).
        let direct = |t: &TypeSpec| -> Vec<String> {
            let fields = t.fields.iter().flatten();
            let structs = fields
                .filter_map(|fl| scope.find(fl.ty.trim()).filter(|(s, _)| s.fields.is_some()));
            structs.map(|(s, _)| s.name.clone()).collect()
        };
        for (i, t) in list.iter().enumerate() {
            let mut stack = direct(t);
            let mut visited = HashSet::new();
            while let Some(n) = stack.pop() {
                if n == t.name {
                    self.err(
                        f,
                        &format!("{base}[{i}].name"),
                        format!("type `{}` contains itself (not through a list)", t.name),
                        "infinitely large",
                        "make the recursive field a `list<...>`, which can be empty",
                    );
                    break;
                }
                if visited.insert(n.clone()) {
                    if let Some((s, _)) = scope.find(&n) {
                        stack.extend(direct(s));
                    }
                }
            }
        }
    }

    fn enum_def(
        &mut self,
        f: FileId,
        path: &str,
        t: &TypeSpec,
        values: &[EnumValueSpec],
    ) -> Option<ir::EnumDef> {
        if values.is_empty() {
            self.err(
                f,
                &format!("{path}.enum"),
                format!("enum `{}` has no values", t.name),
                "empty enum",
                "list the documented values; use `type: string` if the document gives none",
            );
            return None;
        }
        let mut seen = Seen::default();
        let out: Vec<ir::EnumValue> = (0..values.len())
            .filter_map(|i| self.enum_value(f, path, t, values, i, &mut seen))
            .collect();
        Some(ir::EnumDef {
            name: t.name.clone(),
            rust_name: camel(&t.name),
            description: t.description.clone(),
            values: out,
        })
    }

    /// The `i`th value of enum `t`, if it is new and makes a new, usable variant.
    fn enum_value<'s>(
        &mut self,
        f: FileId,
        path: &str,
        t: &TypeSpec,
        values: &'s [EnumValueSpec],
        i: usize,
        seen: &mut Seen<'s>,
    ) -> Option<ir::EnumValue> {
        let v = &values[i];
        let vpath = format!("{path}.enum[{i}].value");
        if let Err(j) = seen.names.claim(v.value.0.as_str(), i) {
            let d = self
                .diag(
                    f,
                    &vpath,
                    format!("enum `{}` lists the value `{}` twice", t.name, v.value.0),
                )
                .label("duplicate")
                .related(
                    f,
                    self.span(f, &format!("{path}.enum[{j}].value")),
                    "first listed here",
                )
                .help("remove the repeated value");
            self.diags.push(d);
            return None;
        }
        let rust_name = v.rust_name.clone().unwrap_or_else(|| camel(&v.value.0));
        if let Some(problem) = ident_problem(&rust_name) {
            self.err(
                f,
                &vpath,
                format!(
                    "enum value `{}` cannot name a Rust variant (`{rust_name}`): {problem}",
                    v.value.0
                ),
                "needs a Rust name",
                "add `rust_name:` with an UpperCamelCase variant name for this value",
            );
            return None;
        }
        if rust_name == "Unknown" {
            self.err(
                f,
                &vpath,
                "the variant name `Unknown` is reserved for values the spec does not list",
                "reserved",
                "add `rust_name:` with another variant name for this value",
            );
            return None;
        }
        if let Err(j) = seen.rust.claim(rust_name.clone(), i) {
            let message = format!(
                "enum values `{}` and `{}` both become the variant `{rust_name}`",
                values[j].value.0, v.value.0
            );
            let d = self
                .diag(f, &vpath, message)
                .label("collides after case conversion")
                .related(
                    f,
                    self.span(f, &format!("{path}.enum[{j}].value")),
                    "this one",
                )
                .help("add `rust_name:` to one of them");
            self.diags.push(d);
            return None;
        }
        Some(ir::EnumValue {
            value: v.value.0.clone(),
            rust_name,
            description: v.description.clone(),
        })
    }

    /// A structure (a named type with `fields`, or an action's response) named `rust_name`;
    /// `None` if any of its fields has a problem.
    pub(super) fn struct_def(
        &mut self,
        f: FileId,
        path: &str,
        rust_name: &str,
        description: &str,
        fields: &[FieldSpec],
        scope: &Scope,
    ) -> Option<ir::StructDef> {
        let before = self.diags.len();
        let mut seen = Seen::default();
        let out: Vec<ir::Field> = (0..fields.len())
            .filter_map(|i| self.field(f, path, fields, i, scope, &mut seen))
            .collect();
        (self.diags.len() == before).then(|| ir::StructDef {
            rust_name: rust_name.to_owned(),
            description: description.to_owned(),
            fields: out,
            input: false,
        })
    }

    /// The `i`th field of the structure at `path`, if its names are new and usable and its type known.
    fn field<'s>(
        &mut self,
        f: FileId,
        path: &str,
        fields: &'s [FieldSpec],
        i: usize,
        scope: &Scope,
        seen: &mut Seen<'s>,
    ) -> Option<ir::Field> {
        let fl = &fields[i];
        let fpath = format!("{path}.fields[{i}]");
        if fl.dotted && !is_dotted_key(&fl.name) {
            self.err(
                f,
                &format!("{fpath}.dotted"),
                format!("field `{}` is marked `dotted` but its name is not keys joined by dots", fl.name),
                "`dotted` needs a dotted key",
                "`dotted: true` is for a key that contains dots on the wire (`Area.en`); remove it, or give the key exactly as the answer spells it",
            );
            return None;
        }
        if !fl.dotted && !is_wire_name(&fl.name) {
            let help = match fl.name.split_once('.') {
                Some((outer, inner)) if !inner.contains('.') => format!(
                    "a list wrapped in an object is one field: `name: {outer}`, `type: list<…>`, `wrapped: {inner}`; a nested object is a field whose type is a structure; a key that really contains the dot on the wire (`{{\"{}\": …}}`) says `dotted: true`",
                    fl.name
                ),
                _ => "a field name is the key exactly as it appears in the JSON; nested objects are fields whose type is a structure; a key that really contains dots says `dotted: true`".to_owned(),
            };
            self.err(
                f,
                &format!("{fpath}.name"),
                format!("field name `{}` is not a single JSON key", fl.name),
                "dotted or empty name",
                help,
            );
            return None;
        }
        if let Err(j) = seen.names.claim(fl.name.as_str(), i) {
            let d = self
                .diag(
                    f,
                    &format!("{fpath}.name"),
                    format!("field `{}` is listed twice", fl.name),
                )
                .label("duplicate")
                .related(
                    f,
                    self.span(f, &format!("{path}.fields[{j}].name")),
                    "first listed here",
                )
                .help("remove one of them");
            self.diags.push(d);
            return None;
        }
        let rust_name = self.member_name(f, &fpath, &fl.name, fl.rust_name.as_deref(), "field")?;
        if let Err(j) = seen.rust.claim(rust_name.clone(), i) {
            let message = format!(
                "fields `{}` and `{}` both become `{rust_name}` in Rust",
                fields[j].name, fl.name
            );
            let d = self
                .diag(f, &format!("{fpath}.name"), message)
                .label("collides after case conversion")
                .related(
                    f,
                    self.span(f, &format!("{path}.fields[{j}].name")),
                    "this one",
                )
                .help("add `rust_name:` to one of them");
            self.diags.push(d);
            return None;
        }
        let ty = self.ty(f, &format!("{fpath}.type"), &fl.ty, scope)?;
        if let Some(w) = &fl.wrapped {
            if !matches!(ty, Ty::List(_)) {
                self.err(
                    f,
                    &format!("{fpath}.wrapped"),
                    format!("field `{}` is `wrapped` but is not a list", fl.name),
                    "`wrapped` needs a list",
                    "make the type `list<...>`, or remove `wrapped`",
                );
                return None;
            }
            if !is_wire_name(w) {
                self.err(
                    f,
                    &format!("{fpath}.wrapped"),
                    format!("`wrapped: {w}` is not a wire name"),
                    "not a name",
                    "give the key the list sits under, e.g. `wrapped: Region` for {\"Regions\":{\"Region\":[…]}}",
                );
                return None;
            }
        }
        let (min, max) = self.range(f, &fpath, &fl.name, fl.range.as_ref(), &ty)?;
        if let Some(def) = &fl.default {
            if let Some((message, label, help)) =
                super::params::default_problem(&fl.name, &fl.ty, &def.0, &ty, (min, max), scope)
            {
                self.err(f, &format!("{fpath}.default"), message, label, help);
                return None;
            }
        }
        if !self.secret_fits(f, &fpath, &fl.name, fl.secret, &ty) {
            return None;
        }
        if !self.deprecated_fits(f, &fpath, &fl.name, fl.deprecated, fl.required) {
            return None;
        }
        let example = fl.example.as_ref().map(|e| e.0.clone());
        Some(ir::Field {
            name: fl.name.clone(),
            rust_name,
            ty,
            wrapped: fl.wrapped.clone(),
            required: fl.required,
            min,
            max,
            default: fl.default.as_ref().map(|d| d.0.clone()),
            example,
            description: fl.description.clone(),
            secret: fl.secret,
            deprecated: fl.deprecated,
        })
    }

    /// A field marked `dotted` (a key with dots, `Area.en`) is only for answers: a request
    /// flattens a structure's fields as `Name.Field` (`Tag.1.Key`), and the stub reads such
    /// names back as paths, so a structure any parameter of the product reaches (directly,
    /// in lists or maps, or through other structures) must not have one. Each such field is
    /// reported once, where its structure is defined, naming a parameter that sends it.
    pub(super) fn dotted_in_requests(&mut self, p: &LoadedProduct) {
        let mut reported: HashSet<(FileId, usize, usize)> = HashSet::new();
        for a in &p.actions {
            let scope = Scope {
                local: &a.spec.types,
                shared: &p.spec.types,
                home: "",
            };
            let structure = |ty: &str| {
                scope
                    .find(base_type(ty))
                    .filter(|(t, _)| t.fields.is_some())
            };
            let mut todo: Vec<(&TypeSpec, bool, &str)> = a
                .spec
                .parameters
                .iter()
                .filter_map(|param| {
                    structure(&param.ty).map(|(t, shared)| (t, shared, param.name.as_str()))
                })
                .collect();
            let mut seen: HashSet<(bool, &str)> = HashSet::new();
            while let Some((t, shared, param)) = todo.pop() {
                if !seen.insert((shared, t.name.as_str())) {
                    continue;
                }
                let (file, list) = if shared {
                    (p.file, &p.spec.types)
                } else {
                    (a.file, &a.spec.types)
                };
                let Some(ti) = list.iter().position(|x| std::ptr::eq(x, t)) else {
                    continue;
                };
                for (j, fl) in t.fields.iter().flatten().enumerate() {
                    if fl.dotted && reported.insert((file, ti, j)) {
                        self.err(
                            file,
                            &format!("types[{ti}].fields[{j}].dotted"),
                            format!(
                                "`{}` has the dotted key `{}`, but requests send `{}` (the parameter `{param}` of `{}`)",
                                t.name, fl.name, t.name, a.spec.name
                            ),
                            "a dotted key in a request",
                            format!(
                                "a request flattens nested fields as `Name.Field`, so a key with a dot cannot be told from a path: keep `dotted` to answers, and give the request its own structure (`{}` as a structure with the field `{}`)",
                                fl.name.split('.').next().unwrap_or(""),
                                fl.name.split('.').nth(1).unwrap_or("")
                            ),
                        );
                    }
                    if let Some(inner) = structure(&fl.ty) {
                        todo.push((inner.0, inner.1, param));
                    }
                }
            }
        }
    }

    /// `deprecated: true` marks a member the provider still accepts: never `required`.
    pub(super) fn deprecated_fits(
        &mut self,
        f: FileId,
        path: &str,
        name: &str,
        deprecated: bool,
        required: bool,
    ) -> bool {
        if deprecated && required {
            self.err(
                f,
                &format!("{path}.deprecated"),
                format!("`{name}` is both `deprecated` and `required`"),
                "a deprecated member is optional",
                "remove `required` (the provider accepts calls without it) or remove `deprecated`",
            );
            return false;
        }
        true
    }

    /// `secret: true` marks a string (a password, key or token), which `Debug` redacts.
    pub(super) fn secret_fits(
        &mut self,
        f: FileId,
        path: &str,
        name: &str,
        secret: bool,
        ty: &Ty,
    ) -> bool {
        if secret && *ty != Ty::String {
            self.err(
                f,
                &format!("{path}.secret"),
                format!("`{name}` is marked `secret` but is not a string"),
                "`secret` needs a string",
                "mark the string that holds the password, key or token (in a structure, its field), or remove `secret`",
            );
            return false;
        }
        true
    }
}

/// The named type a type expression holds (`Thing` of `list<map<Thing>>`).
fn base_type(ty: &str) -> &str {
    let mut t = ty.trim();
    while let Some(inner) = t
        .strip_prefix("list<")
        .or_else(|| t.strip_prefix("map<"))
        .and_then(|r| r.strip_suffix('>'))
    {
        t = inner.trim();
    }
    t
}

/// A key that contains dots (`Area.en`, `PrivatePoolOptions.Id`), which a field marked
/// `dotted` may be: wire names joined by single dots.
fn is_dotted_key(name: &str) -> bool {
    name.contains('.') && name.split('.').all(is_wire_name)
}

/// A single JSON key or header name: non-empty, no dots, no whitespace or brackets.
pub(super) fn is_wire_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c == '.' || c.is_whitespace() || matches!(c, '[' | ']' | '{' | '}' | '"'))
}
