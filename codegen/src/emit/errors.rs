//! Per-action service error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::ident;
use crate::ir::Action;

pub fn error_enum(a: &Action) -> TokenStream {
    let name = ident(&format!("{}Error", a.name));
    let doc = docs::raw_doc_attrs(&format!(
        "A service error of {}: one variant per documented code (the action's own, then the \
         product's common codes), and [`{}Error::Unhandled`] for any other code.",
        a.name, a.name
    ));
    let variants = a.errors.iter().map(|e| {
        let id = ident(&e.rust_name);
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
        if e.common {
            md.push_str("\n\nA common error code of the product.");
        }
        let doc = docs::raw_doc_attrs(&md);
        quote! { #doc #id(crate::runtime::ErrorMetadata), }
    });
    let codes: Vec<&str> = a.errors.iter().map(|e| e.code.as_str()).collect();
    let ids: Vec<_> = a.errors.iter().map(|e| ident(&e.rust_name)).collect();
    let retryable: Vec<_> = a.errors.iter().filter(|e| e.retryable).map(|e| ident(&e.rust_name)).collect();
    let retry_arm = if retryable.is_empty() { quote!() } else { quote! { #(Self::#retryable(_))|* => true, } };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A code this version of the spec does not list.
            Unhandled(crate::runtime::ErrorMetadata),
        }

        impl #name {
            /// Every code this enum has a variant for, in declaration order.
            pub const CODES: &'static [&'static str] = &[#(#codes),*];

            /// Parses a provider error body; `None` if the body is not an error envelope.
            pub fn from_body(http_status: u16, body: &[u8]) -> Option<Self> {
                crate::runtime::ErrorMetadata::from_body(super::PROTOCOL, http_status, body)
                    .map(<Self as crate::runtime::ServiceError>::from_metadata)
            }
            /// The provider's error code.
            pub fn code(&self) -> &str {
                crate::runtime::ServiceError::meta(self).code()
            }
            /// The provider's message.
            pub fn message(&self) -> &str {
                crate::runtime::ServiceError::meta(self).message()
            }
            /// The request id, to quote to the provider's support.
            pub fn request_id(&self) -> Option<&str> {
                crate::runtime::ServiceError::meta(self).request_id()
            }
            /// The HTTP status the error came with.
            pub fn http_status(&self) -> u16 {
                crate::runtime::ServiceError::meta(self).http_status()
            }
            /// Whether retrying the same request may succeed (throttling, transient failures).
            pub fn is_retryable(&self) -> bool {
                crate::runtime::ServiceError::is_retryable(self)
            }
        }

        impl crate::runtime::ServiceError for #name {
            fn from_metadata(meta: crate::runtime::ErrorMetadata) -> Self {
                match meta.code() {
                    #(#codes => Self::#ids(meta),)*
                    _ => Self::Unhandled(meta),
                }
            }
            fn meta(&self) -> &crate::runtime::ErrorMetadata {
                match self {
                    #(Self::#ids(m))|* | Self::Unhandled(m) => m,
                }
            }
            fn is_retryable(&self) -> bool {
                match self {
                    #retry_arm
                    Self::Unhandled(m) => m.http_status() >= 500,
                    _ => false,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(crate::runtime::ServiceError::meta(self), f)
            }
        }

        impl std::error::Error for #name {}
    }
}
