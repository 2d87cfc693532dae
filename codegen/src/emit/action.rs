//! One action's module: request, builder, response, nested types, error enum, examples.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::errors::error_enum;
use super::types::{member_checks, setter_parts, struct_def, type_defs, FieldAccess};
use super::{ident, type_tokens, Site};
use crate::ir::{Action, Param, ParamStyle, Position, Product, Rule, Ty};

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
    let hoisted = if a.hoisted.is_empty() {
        quote!()
    } else {
        let names = a.hoisted.iter().map(|n| ident(n));
        quote! {
            /// Defined identically by other actions of this version, so shared.
            pub use super::types::{#(#names),*};
        }
    };
    let error = error_enum(p, a);
    let examples = examples(p, a);
    quote! {
        #doc
        #request
        #response
        #hoisted
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
    let mut extra = docs::constraint_notes(
        param.required,
        param.min,
        param.max,
        param.default.as_deref(),
    );
    let wire = if param.indexed {
        format!("{}.N", param.wire_name)
    } else {
        param.wire_name.clone()
    };
    extra.push(format!("Wire name: `{wire}`."));
    if param.position != Position::Body && param.position != Position::Query {
        extra.push(format!(
            "Sent in the {}.",
            param.position.runtime_name().to_lowercase()
        ));
    }
    match param.style {
        ParamStyle::Json => extra.push("Sent as one JSON text.".to_owned()),
        ParamStyle::Simple => extra.push("Sent as one comma-separated value.".to_owned()),
        ParamStyle::Flat => {}
    }
    docs::member_doc(&param.description, param.example.as_deref(), &extra)
}

/// The request's wire layout: method, path, body format and where each parameter goes.
fn layout(a: &Action) -> TokenStream {
    let method = a.method.as_str();
    let path = &a.path;
    let body = ident(a.body.runtime_name());
    let params = a.params.iter().map(|p| {
        let name = &p.wire_name;
        let position = ident(p.position.runtime_name());
        let style = ident(p.style.runtime_name());
        quote! {
            crate::runtime::wire::WireParam {
                name: #name,
                position: crate::runtime::wire::Position::#position,
                style: crate::runtime::wire::Style::#style,
            },
        }
    });
    quote! {
        /// Where each parameter of the request goes on the wire.
        pub const LAYOUT: crate::runtime::wire::RequestLayout = crate::runtime::wire::RequestLayout {
            method: #method,
            path: #path,
            body: crate::runtime::wire::BodyFormat::#body,
            params: &[#(#params)*],
        };
    }
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
        let (args, value) = setter_parts(&param.ty, site);
        quote! {
            #doc
            pub fn #id(mut self, #args) -> Self {
                self.#id = Some(#value);
                self
            }
        }
    });
    let member_checks: Vec<TokenStream> = a
        .params
        .iter()
        .map(|param| {
            member_checks(
                &param.name,
                &param.ty,
                param.required,
                param.min,
                param.max,
                &FieldAccess::Builder(&param.rust_name),
            )
        })
        .filter(|c| !c.is_empty())
        .collect();
    let rules = rule_checks(a);
    let flag = if !rules.is_empty()
        || a.params
            .iter()
            .any(|p| uses_constraints(&p.ty, p.min, p.max))
    {
        quote!(constraints)
    } else {
        quote!(_constraints)
    };
    let rules = if rules.is_empty() {
        quote!()
    } else {
        quote! { if constraints { #(#rules)* } }
    };
    // Only what the action has: an action without checks must not emit an unused `mut`,
    // binding or flag (warnings fail users' `-D warnings` builds).
    let body = if member_checks.is_empty() && rules.is_empty() {
        quote! {
            crate::runtime::validate::Validator::new(#name::ACTION, &MESSAGES).finish()
        }
    } else {
        quote! {
            let mut validator = crate::runtime::validate::Validator::new(#name::ACTION, &MESSAGES);
            let v = &mut validator;
            #(#member_checks)*
            #rules
            validator.finish()
        }
    };
    let check_fn = quote! {
        fn check(&self, #flag: bool) -> Result<(), crate::runtime::ValidationError> {
            #body
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
        let copy = param.ty.is_copy();
        match (param.required, copy) {
            (true, true) => quote!(#id: Some(self.#id),),
            (true, false) => quote!(#id: Some(self.#id.clone()),),
            (false, true) => quote!(#id: self.#id,),
            (false, false) => quote!(#id: self.#id.clone(),),
        }
    });
    let messages = messages(p, a);
    let layout = layout(a);
    // `Deserialize` is for the stub, which reads requests back; without it, checking the
    // crate skips the largest derive of every action.
    let derive = quote! {
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[cfg_attr(feature = "stub-server", derive(serde::Deserialize))]
    };
    let builder_doc = docs::raw_doc_attrs(&format!(
        "Builds a [`{request_name}`]: [`build`](Self::build) checks every documented constraint and \
         reports all violations at once; [`build_unchecked`](Self::build_unchecked) checks only \
         that required parameters are set, for when a documented limit has gone stale."
    ));
    quote! {
        #messages

        #layout

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

            /// The request as the client sends it (the protocol lays it out by [`LAYOUT`]:
            /// a JSON body, query parameters flattened as `Name.1.Key`, or a RESTful request).
            #[inline]
            pub fn to_payload(&self) -> crate::runtime::client::Payload {
                crate::runtime::wire::payload(super::PROTOCOL, Self::ACTION, Self::VERSION, &LAYOUT, self)
            }
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

/// Whether the checks of a member of type `ty` read the `constraints` flag.
fn uses_constraints(ty: &Ty, min: Option<i64>, max: Option<i64>) -> bool {
    let nested = |t: &Ty| matches!(t, Ty::Enum(_) | Ty::Struct(_));
    min.is_some()
        || max.is_some()
        || match ty {
            Ty::List(inner) | Ty::Map(inner) => nested(inner),
            t => nested(t),
        }
}

/// The cross-field rules over the builder's `Option` fields.
fn rule_checks(a: &Action) -> Vec<TokenStream> {
    let mut out = Vec::new();
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

fn response(p: &Product, a: &Action) -> TokenStream {
    let def = struct_def(&a.response, Site::Action(&a.rust_mod));
    let name = ident(&a.response.rust_name);
    let xml = if p.protocol.has_xml() {
        {
            let root = &a.names.response;
            quote! {
                /// Decodes a success body in XML (`Format=XML`) into the same model as JSON.
                #[inline]
                pub fn from_xml(body: &[u8]) -> Result<Self, crate::runtime::DecodeError> {
                    crate::runtime::wire::decode_xml(#root, body)
                }
            }
        }
    } else {
        quote!()
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
            // Inline, like a generic: the decoder is compiled where it is called, so a
            // build pays only for the actions it uses.
            #[inline]
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

fn examples(p: &Product, a: &Action) -> TokenStream {
    let mut out = Vec::new();
    if !a.examples.iter().any(|e| e.response_json.is_some()) {
        let text = super::synth::response_json(p, a);
        let doc = docs::raw_doc_attrs(&format!(
            "The document shows no response example: a success body synthesized from the model \
             (documented field examples, else plain values of each type). The stub server \
             answers with it.\n\n{}",
            docs::code_block(&text)
        ));
        out.push(quote! { #doc pub const SYNTHESIZED_RESPONSE_JSON: &str = #text; });
    }
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
