//! One action's module: request, builder, response, nested types, error enum, examples.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::errors::error_enum;
use super::types::{struct_def, type_defs};
use super::{ident, type_tokens, Site};
use crate::ir::{Action, Param, Product, Protocol, Rule, Ty};

pub fn action_file(p: &Product, a: &Action) -> TokenStream {
    let mut md = docs::escape(a.description.trim());
    md.push_str(&format!(
        "\n\nAction `{}` of API version {}, sent as HTTP {}.",
        a.name,
        p.version,
        a.method.as_str()
    ));
    if let Some((rps, d)) = &a.rate_limit {
        md.push_str(&format!(
            "\n\nRate limit: {rps} requests per second. {}",
            docs::escape(d)
        ));
    }
    let doc = docs::inner_doc(&md);
    let request = request(p, a);
    let response = response(p, a);
    let types = type_defs(&a.types, Site::Action(&a.rust_mod));
    let error = error_enum(p, a);
    let examples = examples(a);
    quote! {
        #doc
        #request
        #response
        #types
        #error
        #examples
    }
}

/// The type of a parameter's field in the request: required ones are bare.
fn param_type(param: &Param, site: Site) -> TokenStream {
    let ty = type_tokens(&param.ty, site);
    if param.required {
        ty
    } else {
        quote!(Option<#ty>)
    }
}

fn param_doc(param: &Param) -> TokenStream {
    let mut extra = Vec::new();
    if param.required {
        extra.push("Required.".to_owned());
    }
    match (param.min, param.max) {
        (Some(lo), Some(hi)) => extra.push(format!("Range: {lo} to {hi}.")),
        (Some(lo), None) => extra.push(format!("Minimum: {lo}.")),
        (None, Some(hi)) => extra.push(format!("Maximum: {hi}.")),
        (None, None) => {}
    }
    if let Some(d) = &param.default {
        extra.push(format!(
            "Default (applied by the service when unset): {}.",
            docs::inline_code(d)
        ));
    }
    let wire = if param.indexed {
        format!("{}.N", param.wire_name)
    } else {
        param.wire_name.clone()
    };
    extra.push(format!("Wire name: `{wire}`."));
    docs::member_doc(&param.description, param.example.as_deref(), &extra)
}

fn request(p: &Product, a: &Action) -> TokenStream {
    let site = Site::Action(&a.rust_mod);
    let (request_name, builder_name) = (&a.names.request, &a.names.builder);
    let name = ident(request_name);
    let builder = ident(builder_name);
    let action = &a.name;
    let doc = docs::raw_doc_attrs(&format!(
        "The request of {action}. Build it with [`{request_name}::builder`], which checks the documented constraints."
    ));
    let fields = a.params.iter().map(|param| {
        let id = ident(&param.rust_name);
        let wire = &param.wire_name;
        let ty = param_type(param, site);
        // The setter carries the full documentation; the field links to it.
        let doc = docs::raw_doc_attrs(&format!(
            "{} See [`{builder_name}::{}`].",
            docs::escape(docs::first_line(&param.description)),
            param.rust_name
        ));
        let skip = if param.required {
            quote!()
        } else {
            quote!(, default, skip_serializing_if = "Option::is_none")
        };
        quote! {
            #doc
            #[serde(rename = #wire #skip)]
            pub #id: #ty,
        }
    });
    let builder_fields = a.params.iter().map(|param| {
        let id = ident(&param.rust_name);
        let ty = type_tokens(&param.ty, site);
        quote! { #id: Option<#ty>, }
    });
    let setters = a.params.iter().map(|param| {
        let id = ident(&param.rust_name);
        let doc = param_doc(param);
        match &param.ty {
            Ty::List(inner) => {
                let inner = type_tokens(inner, site);
                quote! {
                    #doc
                    pub fn #id(mut self, values: impl IntoIterator<Item = impl Into<#inner>>) -> Self {
                        self.#id = Some(values.into_iter().map(Into::into).collect());
                        self
                    }
                }
            }
            ty => {
                let ty = type_tokens(ty, site);
                quote! {
                    #doc
                    pub fn #id(mut self, value: impl Into<#ty>) -> Self {
                        self.#id = Some(value.into());
                        self
                    }
                }
            }
        }
    });
    let required_checks = a.params.iter().filter(|x| x.required).map(|param| {
        let id = ident(&param.rust_name);
        let n = &param.name;
        quote! { v.required(#n, self.#id.is_some()); }
    });
    let constraint_checks = constraint_checks(a);
    // Only what the action has: an action without constraints must not emit an empty `if`
    // or an unused `mut` (warnings fail users' `-D warnings` builds).
    let required_checks: Vec<TokenStream> = required_checks.collect();
    let binding = if required_checks.is_empty() && constraint_checks.is_empty() {
        quote!(v)
    } else {
        quote!(mut v)
    };
    let (flag, constrained) = if constraint_checks.is_empty() {
        (quote!(_constraints), quote!())
    } else {
        (
            quote!(constraints),
            quote! { if constraints { #(#constraint_checks)* } },
        )
    };
    let check_fn = quote! {
        fn check(&self, #flag: bool) -> Result<(), crate::runtime::ValidationError> {
            let #binding = crate::runtime::validate::Validator::new(#name::ACTION, &MESSAGES);
            #(#required_checks)*
            #constrained
            v.finish()
        }
    };
    let assemble_required = a.params.iter().filter(|x| x.required).map(|param| {
        let id = ident(&param.rust_name);
        let n = &param.name;
        quote! {
            let Some(#id) = self.#id else {
                return Err(crate::runtime::ValidationError::missing(#name::ACTION, #n));
            };
        }
    });
    let assemble = a.params.iter().map(|param| {
        let id = ident(&param.rust_name);
        if param.required {
            quote!(#id,)
        } else {
            quote!(#id: self.#id,)
        }
    });
    let to_builder = a.params.iter().map(|param| {
        let id = ident(&param.rust_name);
        let copy = matches!(param.ty, Ty::Integer | Ty::Boolean | Ty::Float);
        match (param.required, copy) {
            (true, true) => quote!(#id: Some(self.#id),),
            (true, false) => quote!(#id: Some(self.#id.clone()),),
            (false, true) => quote!(#id: self.#id,),
            (false, false) => quote!(#id: self.#id.clone(),),
        }
    });
    let messages = messages(p, a);
    let wire = match p.protocol {
        Protocol::Rpc => {
            let pushes = a.params.iter().map(|param| {
                let id = ident(&param.rust_name);
                let w = &param.wire_name;
                match (&param.ty, param.required) {
                    (Ty::List(_), true) => quote! { q.push_list(#w, Some(&self.#id)); },
                    (Ty::List(_), false) => quote! { q.push_list(#w, self.#id.as_ref()); },
                    (_, true) => quote! { q.push(#w, &self.#id); },
                    (_, false) => quote! { q.push_opt(#w, self.#id.as_ref()); },
                }
            });
            let reads = a.params.iter().map(|param| {
                let id = ident(&param.rust_name);
                let w = &param.wire_name;
                match (&param.ty, param.required) {
                    (Ty::List(_), true) => quote! { #id: q.indexed(#w)?.ok_or_else(|| crate::runtime::wire::QueryError { parameter: format!("{}.1", #w), invalid: None })?, },
                    (Ty::List(_), false) => quote! { #id: q.indexed(#w)?, },
                    (_, true) => quote! { #id: q.required(#w)?, },
                    (_, false) => quote! { #id: q.optional(#w)?, },
                }
            });
            quote! {
                /// The query parameters on the wire, in order: `Action`, `Version`, then the
                /// action's own; lists are flattened as `Name.1`, `Name.2`, ...
                pub fn to_query(&self) -> crate::runtime::wire::Query {
                    let mut q = crate::runtime::wire::Query::new(Self::ACTION, Self::VERSION);
                    #(#pushes)*
                    q
                }

                /// Reads the request back from query parameters (the stub server does);
                /// constraints are not checked here: call [`Self::validate`].
                pub fn from_query(q: &crate::runtime::wire::Query) -> Result<Self, crate::runtime::wire::QueryError> {
                    Ok(Self { #(#reads)* })
                }
            }
        }
        Protocol::Tc3 => quote! {
            /// The JSON body on the wire (`X-TC-Action` is [`Self::ACTION`], `X-TC-Version` is [`Self::VERSION`]).
            pub fn to_json(&self) -> Vec<u8> {
                crate::runtime::wire::to_json_body(self)
            }
        },
    };
    let derive = match p.protocol {
        Protocol::Tc3 => {
            quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)])
        }
        Protocol::Rpc => quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize)]),
    };
    let builder_doc = docs::raw_doc_attrs(&format!(
        "Builds a [`{request_name}`]: [`build`](Self::build) checks every documented constraint and \
         reports all violations at once; [`build_unchecked`](Self::build_unchecked) checks only \
         that required parameters are set, for when a documented limit has gone stale."
    ));
    quote! {
        #messages

        #doc
        #derive
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// The action name.
            pub const ACTION: &'static str = #action;
            /// The API version.
            pub const VERSION: &'static str = super::VERSION;

            /// A builder for this request.
            pub fn builder() -> #builder {
                #builder::default()
            }

            /// A builder holding this request's values, to change some and build again.
            pub fn to_builder(&self) -> #builder {
                #builder { #(#to_builder)* }
            }

            /// Checks every documented constraint; all violations are reported together.
            pub fn validate(&self) -> Result<(), crate::runtime::ValidationError> {
                self.to_builder().check(true)
            }

            #wire
        }

        #builder_doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #builder {
            #(#builder_fields)*
        }

        impl #builder {
            #(#setters)*

            #check_fn

            fn assemble(self) -> Result<#name, crate::runtime::ValidationError> {
                #(#assemble_required)*
                Ok(#name { #(#assemble)* })
            }

            /// Builds the request, checking required parameters, ranges, enum values
            /// and cross-field rules.
            pub fn build(self) -> Result<#name, crate::runtime::ValidationError> {
                self.check(true)?;
                self.assemble()
            }

            /// Builds the request checking only that required parameters are set.
            pub fn build_unchecked(self) -> Result<#name, crate::runtime::ValidationError> {
                self.check(false)?;
                self.assemble()
            }
        }
    }
}

/// The validation messages, from the action's error codes where the document gives them.
fn messages(p: &Product, a: &Action) -> TokenStream {
    let mut seen = std::collections::HashSet::new();
    let fields = a
        .errors
        .iter()
        .chain(&p.errors)
        .filter(|e| e.violation.is_some_and(|v| seen.insert(v)))
        .filter_map(|e| {
            let id = ident(e.violation?.runtime_name());
            let m = e.message.as_deref()?;
            Some(quote!(#id: #m,))
        });
    quote! {
        /// Validation messages; the document's own templates where it gives them.
        static MESSAGES: crate::runtime::validate::Messages = crate::runtime::validate::Messages {
            #(#fields)*
            ..crate::runtime::validate::Messages::DEFAULT
        };
    }
}

/// Range, enum and cross-field checks over the builder's `Option` fields.
fn constraint_checks(a: &Action) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for param in &a.params {
        let id = ident(&param.rust_name);
        let n = &param.name;
        if param.min.is_some() || param.max.is_some() {
            let lo = opt_i64(param.min);
            let hi = opt_i64(param.max);
            out.push(quote! { v.range(#n, self.#id, #lo, #hi); });
        }
        match &param.ty {
            Ty::Enum(_) => out.push(quote! { v.known(#n, self.#id.iter()); }),
            Ty::List(inner) if matches!(**inner, Ty::Enum(_)) => {
                out.push(quote! { v.known(#n, self.#id.iter().flatten()); })
            }
            _ => {}
        }
    }
    for rule in &a.rules {
        match rule {
            Rule::Requires {
                param, requires, ..
            } => {
                let (pa, pb) = (&a.params[*param], &a.params[*requires]);
                let (ia, ib) = (ident(&pa.rust_name), ident(&pb.rust_name));
                let (na, nb) = (&pa.name, &pb.name);
                out.push(quote! { v.requires(#na, self.#ia.is_some(), #nb, self.#ib.is_some()); });
            }
            Rule::Conflicts { params, .. } => {
                let pairs = params.iter().map(|i| {
                    let pa = &a.params[*i];
                    let (id, n) = (ident(&pa.rust_name), &pa.name);
                    quote!((#n, self.#id.is_some()))
                });
                out.push(quote! { v.conflicts(&[#(#pairs),*]); });
            }
        }
    }
    out
}

fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn response(p: &Product, a: &Action) -> TokenStream {
    let def = struct_def(&a.response, Site::Action(&a.rust_mod));
    let name = ident(&a.response.rust_name);
    let xml = match p.protocol {
        Protocol::Rpc => {
            let root = &a.names.response;
            quote! {
                /// Decodes a success body in XML (`Format=XML`) into the same model as JSON.
                pub fn from_xml(body: &[u8]) -> Result<Self, crate::runtime::DecodeError> {
                    crate::runtime::wire::decode_xml(#root, body)
                }
            }
        }
        Protocol::Tc3 => quote!(),
    };
    let action = &a.name;
    let rps = match &a.rate_limit {
        Some((r, _)) => quote!(Some(#r)),
        None => quote!(None),
    };
    quote! {
        #def

        impl #name {
            /// Decodes a success body (JSON), naming the failing field on error.
            pub fn from_json(body: &[u8]) -> Result<Self, crate::runtime::DecodeError> {
                crate::runtime::wire::decode_json(super::PROTOCOL, body)
            }
            #xml
        }

        /// The action as the client dispatches it.
        pub const OPERATION: crate::runtime::client::Operation =
            crate::runtime::client::Operation { action: #action, requests_per_second: #rps };
    }
}

fn examples(a: &Action) -> TokenStream {
    let mut out = Vec::new();
    for (i, ex) in a.examples.iter().enumerate() {
        let suffix = if i == 0 {
            String::new()
        } else {
            format!("_{}", i + 1)
        };
        let title = if ex.title.is_empty() {
            String::new()
        } else {
            format!("{}: ", docs::escape(&ex.title))
        };
        for (kind, text) in [
            ("REQUEST", &ex.request),
            ("RESPONSE_JSON", &ex.response_json),
            ("RESPONSE_XML", &ex.response_xml),
        ] {
            let Some(text) = text else { continue };
            let id = ident(&format!("EXAMPLE{suffix}_{kind}"));
            let what = match kind {
                "REQUEST" => "the request",
                "RESPONSE_JSON" => "the response, JSON",
                _ => "the response, XML",
            };
            let doc = docs::raw_doc_attrs(&format!(
                "{title}{what}, exactly as the document prints it.\n\n{}",
                docs::code_block(text)
            ));
            out.push(quote! { #doc pub const #id: &str = #text; });
        }
    }
    quote! { #(#out)* }
}
