//! Named structures (responses, and the nested values requests send) and string enums.

use super::docs;
use super::text::{close, open, str_lit, w, Out};
use super::{type_text, Site};
use crate::ir::{Answer, EnumDef, Field, StructDef, Ty, TypeDef};

/// Every named type, structures then enums, in spec order.
pub fn type_defs(o: &mut Out, types: &[TypeDef], site: Site) {
    for s in types.iter().filter_map(TypeDef::as_struct) {
        struct_def(o, s, site);
    }
    for e in types.iter().filter_map(TypeDef::as_enum) {
        enum_def(o, e);
    }
}

/// A structure: every field optional (lists and maps default to empty), decoded
/// tolerantly, unknown fields accepted. A structure that requests send (`input`) also
/// gets a setter per field and a check of its documented constraints.
///
/// `Serialize` and `Deserialize` come from the runtime's `wire_struct!`: one `visit_map`
/// whose fields use the shared seeds, and one map serializer. Derives with
/// `deserialize_with` would make a wrapper type, and so a fresh instantiation of the
/// deserializer, per field.
pub fn struct_def(o: &mut Out, s: &StructDef, site: Site) {
    o.blank();
    // The structure and its wire impls in one invocation: each field is written once.
    open!(o, "crate::runtime::codec::tolerant::wire_struct! {{");
    if s.description.trim().is_empty() {
        o.doc(&format!("The `{}` structure.", s.rust_name));
    } else {
        o.doc(&docs::doc_md(&s.description));
    }
    let members: Vec<(&str, bool)> = s
        .fields
        .iter()
        .map(|f| (f.rust_name.as_str(), f.secret))
        .collect();
    w!(
        o,
        "#[derive({}Clone, PartialEq, Default)]",
        derived_debug(&members)
    );
    w!(o, "#[non_exhaustive]");
    if s.fields.is_empty() {
        w!(o, "pub struct {} {{}}", s.rust_name);
    } else {
        open!(o, "pub struct {} {{", s.rust_name);
        for f in &s.fields {
            let description = field_description(f);
            let mut extra = Vec::new();
            if let Some(w) = &f.wrapped {
                extra.push(format!(
                    "On the wire the list is wrapped: `{{\"{}\": {{\"{w}\": [...]}}}}`.",
                    f.name
                ));
            }
            o.doc(&docs::member_doc(
                &description,
                f.example.as_deref(),
                &extra,
            ));
            let kind = match (&f.ty, &f.wrapped) {
                (Ty::List(inner), Some(w)) => format!("wrapped {w:?} {}", type_text(inner, site)),
                (Ty::List(inner), None) => format!("list {}", type_text(inner, site)),
                (Ty::Map(inner), _) => format!("map {}", type_text(inner, site)),
                (ty, _) => format!("opt {}", type_text(ty, site)),
            };
            w!(o, "{:?} {}: {kind},", f.name, f.rust_name);
        }
        close!(o, "}}");
    }
    close!(o, "}}");
    redacting_debug(o, &s.rust_name, &members);
    if s.input {
        input_impl(o, s, site);
    }
}

/// A response whose success body is not a JSON object of fields (`answer`): its one
/// field holds the whole body, through the runtime's `body_struct!` (a JSON value as
/// `wire_struct!`'s `opt`, `list` or `map` kinds, text as a `String`, bytes as a `Blob`).
pub fn body_struct_def(o: &mut Out, s: &StructDef, answer: Answer, site: Site) {
    let Some(f) = s.fields.first() else {
        return struct_def(o, s, site);
    };
    o.blank();
    open!(o, "crate::runtime::codec::response::body_struct! {{");
    let whole = match answer {
        Answer::Text => "The answer is text (not JSON): the whole body, in the one field.",
        Answer::Bytes => "The answer is raw bytes: the whole body, in the one field.",
        _ => "The answer is a JSON value as a whole (not an object of members): the whole body, in the one field.",
    };
    let doc = if s.description.trim().is_empty() {
        format!("The `{}` structure.", s.rust_name)
    } else {
        docs::doc_md(&s.description)
    };
    o.doc(&format!(
        "{doc}

{whole}"
    ));
    let members = [(f.rust_name.as_str(), f.secret)];
    w!(
        o,
        "#[derive({}Clone, PartialEq, Default)]",
        derived_debug(&members)
    );
    w!(o, "#[non_exhaustive]");
    open!(o, "pub struct {} {{", s.rust_name);
    o.doc(&docs::member_doc(
        &field_description(f),
        f.example.as_deref(),
        &[],
    ));
    match (answer, &f.ty) {
        (Answer::Text, _) => w!(o, "text {},", f.rust_name),
        (Answer::Bytes, _) => w!(o, "binary {},", f.rust_name),
        (_, Ty::List(inner)) => w!(o, "value {}: list {},", f.rust_name, type_text(inner, site)),
        (_, Ty::Map(inner)) => w!(o, "value {}: map {},", f.rust_name, type_text(inner, site)),
        (_, ty) => w!(o, "value {}: opt {},", f.rust_name, type_text(ty, site)),
    }
    close!(o, "}}");
    close!(o, "}}");
    redacting_debug(o, &s.rust_name, &members);
}

/// `Debug, ` to derive, unless a member (`(rust name, secret)`) is a secret: then
/// [`redacting_debug`] writes `Debug` by hand.
pub fn derived_debug(members: &[(&str, bool)]) -> &'static str {
    if members.iter().any(|(_, secret)| *secret) {
        ""
    } else {
        "Debug, "
    }
}

/// A hand-written `Debug` for a type with secret members, which print as the runtime's
/// `Redacted` does (`** redacted **`); nothing when no member is secret.
pub fn redacting_debug(o: &mut Out, name: &str, members: &[(&str, bool)]) {
    if !derived_debug(members).is_empty() {
        return;
    }
    o.blank();
    o.doc("`Debug`, with the secrets the document marks redacted.");
    open!(o, "impl std::fmt::Debug for {name} {{");
    open!(
        o,
        "fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{"
    );
    w!(o, "use crate::runtime::redact::Redacted;");
    w!(o, "f.debug_struct({})", str_lit(name));
    o.indent_in();
    for (field, secret) in members {
        if *secret {
            w!(o, ".field({}, &Redacted(&self.{field}))", str_lit(field));
        } else {
            w!(o, ".field({}, &self.{field})", str_lit(field));
        }
    }
    w!(o, ".finish()");
    o.indent_out();
    close!(o, "}}");
    close!(o, "}}");
}

fn field_description(f: &Field) -> String {
    if f.description.trim().is_empty() {
        format!("`{}`.", f.name)
    } else {
        f.description.clone()
    }
}

/// Setters and the constraint check of a structure sent in requests.
fn input_impl(o: &mut Out, s: &StructDef, site: Site) {
    o.blank();
    open!(o, "impl {} {{", s.rust_name);
    for f in &s.fields {
        let id = &f.rust_name;
        let mut extra = docs::constraint_notes(f.required, f.min, f.max, f.default.as_deref());
        extra.push(format!("Wire name: `{}`.", f.name));
        if f.deprecated {
            extra.push(DEPRECATED_DOC.to_owned());
        }
        o.doc(&docs::member_doc(
            &field_description(f),
            f.example.as_deref(),
            &extra,
        ));
        if f.deprecated {
            deprecated_attr(o, &f.name);
        }
        let (args, value) = setter_parts(&f.ty, site);
        o.open_list(
            &format!("pub fn {id}("),
            &["mut self", &args],
            ") -> Self {",
        );
        if matches!(f.ty, Ty::List(_) | Ty::Map(_)) {
            w!(o, "self.{id} = {value};");
        } else {
            o.list(&format!("self.{id} = Some("), &[value], ");");
        }
        w!(o, "self");
        close!(o, "}}");
        o.blank();
    }
    let any = s
        .fields
        .iter()
        .any(|f| has_checks(&f.ty, f.required, f.min, f.max));
    o.doc(&format!(
        "Checks the documented constraints of this {} (required fields always; ranges and enum values when `constraints`), naming each violation by its path from the request.",
        s.rust_name
    ));
    w!(o, "#[doc(hidden)]");
    o.open_list(
        "pub fn validate_into(",
        &[
            "&self",
            "v: &mut crate::runtime::validate::Validator",
            "constraints: bool",
        ],
        ") {",
    );
    // A structure without constraints leaves both arguments unused.
    if any {
        w!(o, "let _ = constraints;");
    } else {
        w!(o, "let _ = (v, constraints);");
    }
    for f in &s.fields {
        let access = FieldAccess::Field(&f.rust_name, matches!(f.ty, Ty::List(_) | Ty::Map(_)));
        member_checks(o, &f.name, &f.ty, f.required, f.min, f.max, &access);
    }
    close!(o, "}}");
    close!(o, "}}");
}

/// The argument list of a setter for a value of type `ty`, and the expression that
/// stores it.
/// The docs line of a member the provider marks deprecated.
pub(super) const DEPRECATED_DOC: &str = "Deprecated by the provider, which still accepts it.";

/// `#[deprecated]` on the setter of a member the provider marks deprecated.
pub(super) fn deprecated_attr(o: &mut Out, wire: &str) {
    w!(
        o,
        "#[deprecated(note = \"the provider marks `{wire}` deprecated; it is still sent when set\")]"
    );
}

pub(super) fn setter_parts(ty: &Ty, site: Site) -> (String, String) {
    match ty {
        Ty::List(inner) => (
            format!(
                "values: impl IntoIterator<Item = impl Into<{}>>",
                type_text(inner, site)
            ),
            "values.into_iter().map(Into::into).collect()".to_owned(),
        ),
        Ty::Map(inner) => (
            format!(
                "entries: impl IntoIterator<Item = (impl Into<String>, impl Into<{}>)>",
                type_text(inner, site)
            ),
            "entries.into_iter().map(|(k, v)| (k.into(), v.into())).collect()".to_owned(),
        ),
        ty => (
            format!("value: impl Into<{}>", type_text(ty, site)),
            "value.into()".to_owned(),
        ),
    }
}

/// How a check reads a member: a structure's field (`self.x`, bare when `bare`) or a
/// builder's `Option` field.
pub(super) enum FieldAccess<'a> {
    /// `self.<name>`; lists and maps are bare, the rest `Option`.
    Field(&'a str, bool),
    /// A request builder's `self.<name>: Option<T>`.
    Builder(&'a str),
}

/// Whether [`member_checks`] writes anything for such a member.
pub(super) fn has_checks(ty: &Ty, required: bool, min: Option<i64>, max: Option<i64>) -> bool {
    let nested = |t: &Ty| matches!(t, Ty::Enum(_) | Ty::Struct(_));
    required
        || min.is_some()
        || max.is_some()
        || match ty {
            Ty::List(inner) | Ty::Map(inner) => nested(inner),
            t => nested(t),
        }
}

/// The checks of one member (wire name `wire`, type `ty`): required, range, enum values,
/// and the nested checks of structures, with a path.
pub(super) fn member_checks(
    o: &mut Out,
    wire: &str,
    ty: &Ty,
    required: bool,
    min: Option<i64>,
    max: Option<i64>,
    access: &FieldAccess,
) {
    let (id, bare) = match access {
        FieldAccess::Field(n, bare) => (*n, *bare),
        FieldAccess::Builder(n) => (*n, false),
    };
    let wire = str_lit(wire);
    if required {
        if bare {
            w!(o, "v.required({wire}, !self.{id}.is_empty());");
        } else {
            w!(o, "v.required({wire}, self.{id}.is_some());");
        }
    }
    // Every value of the member (flattening the Option or the list).
    let all = if !bare && matches!(ty, Ty::List(_) | Ty::Map(_)) {
        format!("self.{id}.iter().flatten()")
    } else {
        format!("self.{id}.iter()")
    };
    let known = match ty {
        Ty::Enum(_) => Some(all.clone()),
        Ty::List(inner) if matches!(**inner, Ty::Enum(_)) => Some(all.clone()),
        Ty::Map(inner) if matches!(**inner, Ty::Enum(_)) => Some(format!("{all}.map(|(_, x)| x)")),
        _ => None,
    };
    if min.is_some() || max.is_some() || known.is_some() {
        open!(o, "if constraints {{");
        if min.is_some() || max.is_some() {
            let value = if matches!(ty, Ty::U64) {
                format!("self.{id}.map(|x| i64::try_from(x).unwrap_or(i64::MAX))")
            } else {
                format!("self.{id}")
            };
            o.list(
                "v.range(",
                &[wire.clone(), value, opt_i64(min), opt_i64(max)],
                ");",
            );
        }
        if let Some(known) = known {
            o.list("v.known(", &[wire.clone(), known], ");");
        }
        close!(o, "}}");
    }
    let (pattern, each, enter) = match ty {
        Ty::Struct(_) => ("x", all, format!("v.enter({wire});")),
        Ty::List(inner) if matches!(**inner, Ty::Struct(_)) => (
            "(i, x)",
            format!("{all}.enumerate()"),
            format!("v.enter_index({wire}, i);"),
        ),
        Ty::Map(inner) if matches!(**inner, Ty::Struct(_)) => {
            ("(k, x)", all, format!("v.enter_key({wire}, k);"))
        }
        _ => return,
    };
    open!(o, "if v.can_descend() {{");
    open!(o, "for {pattern} in {each} {{");
    o.text(&enter);
    w!(o, "x.validate_into(v, constraints);");
    w!(o, "v.leave();");
    close!(o, "}}");
    close!(o, "}}");
}

pub(super) fn opt_i64(v: Option<i64>) -> String {
    match v {
        Some(v) => format!("Some({v}i64)"),
        None => "None".to_owned(),
    }
}

/// The enums' impls, as `string_enum_impls!` invocations written out as text, one
/// variant per line.
pub fn enum_impls<'a>(enums: impl IntoIterator<Item = &'a EnumDef>) -> String {
    let mut out = String::new();
    for e in enums {
        out.push_str(&format!(
            "\ncrate::runtime::codec::tolerant::string_enum_impls!({} {{\n",
            e.rust_name
        ));
        for v in &e.values {
            out.push_str(&format!("    {} => {:?},\n", v.rust_name, v.value));
        }
        out.push_str("});\n");
    }
    out
}

/// A string enum that keeps values it does not know in `Unknown`.
pub fn enum_def(o: &mut Out, e: &EnumDef) {
    o.blank();
    o.doc(&docs::doc_md(&e.description));
    w!(o, "#[derive(Debug, Clone, PartialEq, Eq, Hash)]");
    w!(o, "#[non_exhaustive]");
    open!(o, "pub enum {} {{", e.rust_name);
    for v in &e.values {
        if v.description.is_empty() {
            o.doc(&format!("`{}`", v.value));
        } else {
            o.doc(&format!("`{}`: {}", v.value, docs::escape(&v.description)));
        }
        w!(o, "{},", v.rust_name);
    }
    o.doc("A value this version of the spec does not list, kept as received.");
    w!(o, "Unknown(String),");
    close!(o, "}}");
}
