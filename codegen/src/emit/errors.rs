//! Service error enums: one `CommonError` per product version for the product's common
//! codes, and one enum per action for its own codes, `Common(CommonError)` and `Unhandled`.
//! Common codes are emitted once per product instead of once per action.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::ident;
use crate::ir::{Action, ErrorDef, Product};

fn variant_doc(e: &ErrorDef) -> TokenStream {
    let mut md = format!("`{}`", e.code);
    if let Some(s) = e.http_status {
        md.push_str(&format!(" (HTTP {s})"));
    }
    if !e.description.is_empty() {
        md.push_str(&format!(": {}", docs::escape(&e.description)));
    }
    if let Some(m) = &e.message {
        md.push_str(&format!("\n\nMessage: {}", docs::inline_code(m)));
    }
    if e.retryable {
        md.push_str("\n\nRetryable.");
    }
    docs::raw_doc_attrs(&md)
}

/// The product's common codes (`errors.rs` of a version module).
pub fn common_error_enum(p: &Product) -> TokenStream {
    let name = ident("CommonError");
    let variants = p.errors.iter().map(|e| {
        let id = ident(&e.rust_name);
        let doc = variant_doc(e);
        quote! { #doc #id(crate::runtime::ErrorMetadata), }
    });
    let codes: Vec<&str> = p.errors.iter().map(|e| e.code.as_str()).collect();
    let ids: Vec<_> = p.errors.iter().map(|e| ident(&e.rust_name)).collect();
    let retryable: Vec<_> = p
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| ident(&e.rust_name))
        .collect();
    let retry = if retryable.is_empty() {
        quote!(false)
    } else {
        quote!(matches!(self, #(Self::#retryable(_))|*))
    };
    let doc = docs::inner_doc(&format!(
        "The common error codes of {} {}.",
        docs::escape(&p.title),
        p.version
    ));
    quote! {
        #doc

        /// A common error code of the product, shared by every action; each action's error
        /// enum holds it as its `Common` variant.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum CommonError {
            #(#variants)*
        }

        impl CommonError {
            /// Every common code, in declaration order.
            pub const CODES: &'static [&'static str] = &[#(#codes),*];

            /// The common error for `meta`'s code, or `meta` back if the code is not a common one.
            pub fn from_code(meta: crate::runtime::ErrorMetadata) -> Result<Self, crate::runtime::ErrorMetadata> {
                match meta.code() {
                    #(#codes => Ok(Self::#ids(meta)),)*
                    _ => Err(meta),
                }
            }

            /// The code, message, request id and HTTP status.
            pub fn meta(&self) -> &crate::runtime::ErrorMetadata {
                match self {
                    #(Self::#ids(m))|* => m,
                }
            }

            /// Whether retrying the same request may succeed (throttling, transient failures).
            pub fn is_retryable(&self) -> bool {
                #retry
            }
        }

        crate::runtime::service_error_impls!(accessors #name);
    }
}

pub fn error_enum(p: &Product, a: &Action) -> TokenStream {
    let name = ident(&a.names.error);
    let has_common = !p.errors.is_empty();
    let doc = docs::raw_doc_attrs(&format!(
        "A service error of {0}: one variant per code the document lists for {0}{1}, and an \
         opaque unhandled case for any other code.\n\n\
         Match on the variants you handle and on [`code()`](Self::code) in a wildcard arm: a code \
         that a later spec lists moves from the unhandled case to a variant of its own.",
        a.name,
        if has_common {
            format!(
                ", the product's common codes in [`Common`]({}::Common)",
                a.names.error
            )
        } else {
            String::new()
        }
    ));
    let variants = a.errors.iter().map(|e| {
        let id = ident(&e.rust_name);
        let doc = variant_doc(e);
        quote! { #doc #id(crate::runtime::ErrorMetadata), }
    });
    let codes: Vec<&str> = a.errors.iter().map(|e| e.code.as_str()).collect();
    let ids: Vec<_> = a.errors.iter().map(|e| ident(&e.rust_name)).collect();
    let retryable: Vec<_> = a
        .errors
        .iter()
        .filter(|e| e.retryable)
        .map(|e| ident(&e.rust_name))
        .collect();
    let retry_arm = if retryable.is_empty() {
        quote!()
    } else {
        quote! { #(Self::#retryable(_))|* => true, }
    };
    let (common_variant, fallback, common_meta, common_retry) = if has_common {
        (
            quote! {
                /// A common error code of the product.
                Common(super::CommonError),
            },
            quote! {
                match super::CommonError::from_code(meta) {
                    Ok(common) => Self::Common(common),
                    Err(meta) => Self::Unhandled(crate::runtime::error::Unhandled::new(meta)),
                }
            },
            quote!(Self::Common(c) => c.meta(),),
            quote!(Self::Common(c) => c.is_retryable(),),
        )
    } else {
        (
            quote!(),
            quote!(Self::Unhandled(crate::runtime::error::Unhandled::new(meta))),
            quote!(),
            quote!(),
        )
    };
    let codes_doc = docs::raw_doc_attrs(if has_common {
        "The codes the document lists for this action, in declaration order\n\
         (the product's common codes are [`CommonError::CODES`](super::CommonError::CODES))."
    } else {
        "The codes the document lists for this action, in declaration order."
    });
    // A `match` only where there are codes to match, and a wildcard arm only where some
    // variant is left (no `match_single_binding`, no unreachable pattern).
    let from_metadata = if codes.is_empty() {
        fallback
    } else {
        quote! {
            match meta.code() {
                #(#codes => Self::#ids(meta),)*
                _ => #fallback,
            }
        }
    };
    let other_arm = if retryable.len() < ids.len() {
        quote!(_ => false,)
    } else {
        quote!()
    };
    let own_meta = if ids.is_empty() {
        quote!()
    } else {
        quote!(#(Self::#ids(m))|* => m,)
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #common_variant
            /// A code this version of the spec does not list.
            ///
            /// Do not match on this variant: match on [`code()`](Self::code) in a wildcard arm.
            #[deprecated(note = "not forward compatible: a code a later spec lists moves to its own variant; match on `.code()` in a wildcard arm instead")]
            Unhandled(crate::runtime::error::Unhandled),
        }

        impl #name {
            #codes_doc
            pub const CODES: &'static [&'static str] = &[#(#codes),*];
        }

        crate::runtime::service_error_impls!(#name, super::PROTOCOL);

        // The generated code itself must name the deprecated `Unhandled` variant.
        #[allow(deprecated)]
        impl crate::runtime::ServiceError for #name {
            fn from_metadata(meta: crate::runtime::ErrorMetadata) -> Self {
                #from_metadata
            }
            fn meta(&self) -> &crate::runtime::ErrorMetadata {
                match self {
                    #common_meta
                    #own_meta
                    Self::Unhandled(u) => u.meta(),
                }
            }
            fn is_retryable(&self) -> bool {
                match self {
                    #retry_arm
                    #common_retry
                    Self::Unhandled(u) => u.meta().http_status() >= 500,
                    #other_arm
                }
            }
        }
    }
}
