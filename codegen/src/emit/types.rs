//! Named structures (responses, and the nested values requests send) and string enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::{ident, type_text, type_tokens, Site};
use crate::ir::{EnumDef, Field, StructDef, Ty, TypeDef};

/// Every named type, structures then enums, in spec order.
pub fn type_defs(types: &[TypeDef], site: Site) -> TokenStream {
    let structs = types
        .iter()
        .filter_map(TypeDef::as_struct)
        .map(|s| struct_def(s, site));
    let enums = types.iter().filter_map(TypeDef::as_enum).map(enum_def);
    quote! { #(#structs)* #(#enums)* }
}

/// A structure: every field optional (lists and maps default to empty), decoded
/// tolerantly, unknown fields accepted. A structure that requests send (`input`) also
/// gets a setter per field and a check of its documented constraints.
///
/// `Serialize` and `Deserialize` come from the runtime's `wire_struct!`: one `visit_map`
/// whose fields use the shared seeds, and one map serializer. Derives with
/// `deserialize_with` would make a wrapper type, and so a fresh instantiation of the
/// deserializer, per field.
pub fn struct_def(s: &StructDef, site: Site) -> TokenStream {
    let name = ident(&s.rust_name);
    let doc = if s.description.trim().is_empty() {
        docs::raw_doc_attrs(&format!("The `{}` structure.", s.rust_name))
    } else {
        docs::doc_attrs(&s.description)
    };
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let description = field_description(f);
        let mut extra = Vec::new();
        if let Some(w) = &f.wrapped {
            extra.push(format!(
                "On the wire the list is wrapped: `{{\"{}\": {{\"{w}\": [...]}}}}`.",
                f.name
            ));
        }
        let doc = docs::member_doc(&description, f.example.as_deref(), &extra);
        let ty = field_type(f, site);
        quote! {
            #doc
            pub #id: #ty,
        }
    });
    let input = if s.input {
        input_impl(s, site)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        #input
    }
}

fn field_description(f: &Field) -> String {
    if f.description.trim().is_empty() {
        format!("`{}`.", f.name)
    } else {
        f.description.clone()
    }
}

/// A field's Rust type: lists and maps bare (empty when absent), the rest in `Option`.
fn field_type(f: &Field, site: Site) -> TokenStream {
    let ty = type_tokens(&f.ty, site);
    if matches!(f.ty, Ty::List(_) | Ty::Map(_)) {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

/// Setters and the constraint check of a structure sent in requests.
fn input_impl(s: &StructDef, site: Site) -> TokenStream {
    let name = ident(&s.rust_name);
    let setters = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let notes = docs::constraint_notes(f.required, f.min, f.max, f.default.as_deref());
        let mut extra = notes;
        extra.push(format!("Wire name: `{}`.", f.name));
        let doc = docs::member_doc(&field_description(f), f.example.as_deref(), &extra);
        let (args, value) = setter_parts(&f.ty, site);
        let value = if matches!(f.ty, Ty::List(_) | Ty::Map(_)) {
            value
        } else {
            quote!(Some(#value))
        };
        quote! {
            #doc
            pub fn #id(mut self, #args) -> Self {
                self.#id = #value;
                self
            }
        }
    });
    let checks: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let access = FieldAccess::Field(&f.rust_name, matches!(f.ty, Ty::List(_) | Ty::Map(_)));
            member_checks(&f.name, &f.ty, f.required, f.min, f.max, &access)
        })
        .filter(|c| !c.is_empty())
        .collect();
    // A structure without constraints leaves both arguments unused.
    let unused = if checks.is_empty() {
        quote! { let _ = (v, constraints); }
    } else {
        quote! { let _ = constraints; }
    };
    let doc = docs::raw_doc_attrs(&format!(
        "Checks the documented constraints of this {} (required fields always; ranges and enum values when `constraints`), naming each violation by its path from the request.",
        s.rust_name
    ));
    quote! {
        impl #name {
            #(#setters)*

            #doc
            #[doc(hidden)]
            pub fn validate_into(&self, v: &mut crate::runtime::validate::Validator, constraints: bool) {
                #unused
                #(#checks)*
            }
        }
    }
}

/// The argument list of a setter for a value of type `ty`, and the expression that
/// stores it.
pub(super) fn setter_parts(ty: &Ty, site: Site) -> (TokenStream, TokenStream) {
    match ty {
        Ty::List(inner) => {
            let inner = type_tokens(inner, site);
            (
                quote!(values: impl IntoIterator<Item = impl Into<#inner>>),
                quote!(values.into_iter().map(Into::into).collect()),
            )
        }
        Ty::Map(inner) => {
            let inner = type_tokens(inner, site);
            (
                quote!(entries: impl IntoIterator<Item = (impl Into<String>, impl Into<#inner>)>),
                quote!(entries
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect()),
            )
        }
        ty => {
            let ty = type_tokens(ty, site);
            (quote!(value: impl Into<#ty>), quote!(value.into()))
        }
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

/// The checks of one member (wire name `wire`, type `ty`): required, range, enum values,
/// and the nested checks of structures, with a path.
pub(super) fn member_checks(
    wire: &str,
    ty: &Ty,
    required: bool,
    min: Option<i64>,
    max: Option<i64>,
    access: &FieldAccess,
) -> TokenStream {
    let (id, bare) = match access {
        FieldAccess::Field(n, bare) => (ident(n), *bare),
        FieldAccess::Builder(n) => (ident(n), false),
    };
    // `present`: whether it is set; `opt`: an `Option<&T>`-like iterator source.
    let present = if bare {
        quote!(!self.#id.is_empty())
    } else {
        quote!(self.#id.is_some())
    };
    let mut out = Vec::new();
    if required {
        out.push(quote! { v.required(#wire, #present); });
    }
    let mut constrained = Vec::new();
    if min.is_some() || max.is_some() {
        let lo = opt_i64(min);
        let hi = opt_i64(max);
        let value = if matches!(ty, Ty::U64) {
            quote!(self.#id.map(|x| i64::try_from(x).unwrap_or(i64::MAX)))
        } else {
            quote!(self.#id)
        };
        constrained.push(quote! { v.range(#wire, #value, #lo, #hi); });
    }
    // Every value of the member (flattening the Option or the list).
    let all = if bare {
        quote!(self.#id.iter())
    } else {
        match ty {
            Ty::List(_) | Ty::Map(_) => quote!(self.#id.iter().flatten()),
            _ => quote!(self.#id.iter()),
        }
    };
    match ty {
        Ty::Enum(_) => constrained.push(quote! { v.known(#wire, #all); }),
        Ty::List(inner) if matches!(**inner, Ty::Enum(_)) => {
            constrained.push(quote! { v.known(#wire, #all); })
        }
        Ty::Map(inner) if matches!(**inner, Ty::Enum(_)) => {
            constrained.push(quote! { v.known(#wire, #all.map(|(_, x)| x)); })
        }
        _ => {}
    }
    if !constrained.is_empty() {
        out.push(quote! { if constraints { #(#constrained)* } });
    }
    let nested = match ty {
        Ty::Struct(_) => quote! {
            for x in #all {
                v.enter(#wire);
                x.validate_into(v, constraints);
                v.leave();
            }
        },
        Ty::List(inner) if matches!(**inner, Ty::Struct(_)) => quote! {
            for (i, x) in #all.enumerate() {
                v.enter_index(#wire, i);
                x.validate_into(v, constraints);
                v.leave();
            }
        },
        Ty::Map(inner) if matches!(**inner, Ty::Struct(_)) => quote! {
            for (k, x) in #all {
                v.enter_key(#wire, k);
                x.validate_into(v, constraints);
                v.leave();
            }
        },
        _ => quote!(),
    };
    if !nested.is_empty() {
        out.push(quote! { if v.can_descend() { #nested } });
    }
    quote! { #(#out)* }
}

pub(super) fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// The structures' `Serialize` and `Deserialize` impls, as `wire_struct!` invocations
/// written out as text (prettyplease leaves macro arguments unformatted), one field per line.
pub fn wire_impls<'a>(structs: impl IntoIterator<Item = &'a StructDef>, site: Site) -> String {
    let mut out = String::new();
    for s in structs {
        out.push_str(&format!(
            "\ncrate::runtime::de::wire_struct!(\n    {},\n    \"the {0} structure\",\n",
            s.rust_name
        ));
        for f in &s.fields {
            let kind = match (&f.ty, &f.wrapped) {
                (Ty::List(inner), Some(w)) => format!("wrapped({w:?}): {}", type_text(inner, site)),
                (Ty::List(inner), None) => format!("list: {}", type_text(inner, site)),
                (Ty::Map(inner), _) => format!("map: {}", type_text(inner, site)),
                (ty, _) => format!("opt: {}", type_text(ty, site)),
            };
            out.push_str(&format!("    ({:?}, {}, {kind}),\n", f.name, f.rust_name));
        }
        out.push_str(");\n");
    }
    out
}

/// The enums' impls, as `string_enum_impls!` invocations written out as text, one
/// variant per line.
pub fn enum_impls<'a>(enums: impl IntoIterator<Item = &'a EnumDef>) -> String {
    let mut out = String::new();
    for e in enums {
        out.push_str(&format!(
            "\ncrate::runtime::de::string_enum_impls!({} {{\n",
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
pub fn enum_def(e: &EnumDef) -> TokenStream {
    let name = ident(&e.rust_name);
    let doc = docs::doc_attrs(&e.description);
    let variants = e.values.iter().map(|v| {
        let id = ident(&v.rust_name);
        let text = if v.description.is_empty() {
            format!("`{}`", v.value)
        } else {
            format!("`{}`: {}", v.value, docs::escape(&v.description))
        };
        let doc = docs::raw_doc_attrs(&text);
        quote! { #doc #id, }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the spec does not list, kept as received.
            Unknown(String),
        }
    }
}
