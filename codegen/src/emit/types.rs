//! Response structures and string enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::{ident, type_text, type_tokens, Site};
use crate::ir::{EnumDef, StructDef, Ty, TypeDef};

/// Every named type, structures then enums, in spec order.
pub fn type_defs(types: &[TypeDef], site: Site) -> TokenStream {
    let structs = types
        .iter()
        .filter_map(TypeDef::as_struct)
        .map(|s| struct_def(s, site));
    let enums = types.iter().filter_map(TypeDef::as_enum).map(enum_def);
    quote! { #(#structs)* #(#enums)* }
}

/// A response structure: every field optional (lists default to empty), decoded
/// tolerantly, unknown fields accepted.
///
/// `Deserialize` comes from the runtime's `deserialize_struct!`: one `visit_map` whose
/// fields use the shared seeds (`Opt<T>`, `List<T>`). A derive with `deserialize_with`
/// would make a wrapper type, and so a fresh instantiation of the deserializer, per field.
pub fn struct_def(s: &StructDef, site: Site) -> TokenStream {
    let name = ident(&s.rust_name);
    let doc = if s.description.trim().is_empty() {
        docs::raw_doc_attrs(&format!("The `{}` structure.", s.rust_name))
    } else {
        docs::doc_attrs(&s.description)
    };
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.rust_name);
        let wire = &f.name;
        let description = if f.description.trim().is_empty() {
            format!("`{wire}`.")
        } else {
            f.description.clone()
        };
        let doc = docs::member_doc(&description, f.example.as_deref(), &[]);
        let ty = type_tokens(&f.ty, site);
        if matches!(f.ty, Ty::List(_)) {
            quote! {
                #doc
                #[serde(rename = #wire, skip_serializing_if = "Vec::is_empty")]
                pub #id: #ty,
            }
        } else {
            quote! {
                #doc
                #[serde(rename = #wire, skip_serializing_if = "Option::is_none")]
                pub #id: Option<#ty>,
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The structures' `Deserialize` impls, as `deserialize_struct!` invocations written out as
/// text (prettyplease leaves macro arguments unformatted), one field per line.
pub fn decode_impls<'a>(structs: impl IntoIterator<Item = &'a StructDef>, site: Site) -> String {
    let mut out = String::new();
    for s in structs {
        out.push_str(&format!(
            "\ncrate::runtime::de::deserialize_struct!(\n    {},\n    \"the {0} structure\",\n",
            s.rust_name
        ));
        for f in &s.fields {
            let (seed, ty) = match &f.ty {
                Ty::List(inner) => ("List", type_text(inner, site)),
                ty => ("Opt", type_text(ty, site)),
            };
            out.push_str(&format!(
                "    ({:?}, {}, {seed}::<{ty}>),\n",
                f.name, f.rust_name
            ));
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
