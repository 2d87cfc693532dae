//! Emitting: the IR becomes Rust source with `quote`, formatted by `prettyplease`.
//!
//! One file per action (`<provider>/<product>/<version>/<action>.rs`), one
//! `mod.rs` per module level, the crate root and the crate's `Cargo.toml`
//! (its features follow the products). Output is deterministic: products,
//! actions and types are emitted in a fixed order, and nothing depends on
//! hash order, time or the environment.

mod action;
mod client;
mod docs;
mod errors;
mod stub;
pub mod synth;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{self, Product, Ty};

/// The marker every emitted file carries; `xtask` only ever deletes files that have it.
pub const GENERATED_MARKER: &str = "@generated";

/// One emitted file, with its path relative to the generated crate's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Emits the whole generated crate for a checked set of products.
///
/// # Panics
/// Never for checked input: a failure to parse the emitted tokens would be a
/// bug in the emitter, and is reported as one.
pub fn emit(products: &[Product]) -> Vec<GeneratedFile> {
    let mut files = vec![cargo_toml(products), lib_rs(products)];
    let mut jobs: Vec<(&Product, Option<usize>)> = Vec::new();
    let mut providers: Vec<&str> = products.iter().map(|p| p.provider_mod.as_str()).collect();
    providers.dedup();
    for provider in providers {
        let of_provider: Vec<&Product> = products
            .iter()
            .filter(|p| p.provider_mod == provider)
            .collect();
        let mut prods: Vec<&str> = of_provider.iter().map(|p| p.product_mod.as_str()).collect();
        prods.dedup();
        let items = prods.iter().map(|m| {
            let p = of_provider
                .iter()
                .find(|p| p.product_mod == *m)
                .map_or("", |p| p.feature.as_str());
            let title = of_provider
                .iter()
                .find(|p| p.product_mod == *m)
                .map_or("", |p| p.title.as_str());
            let doc = docs::doc_attrs(title);
            let id = ident(m);
            quote! { #doc #[cfg(feature = #p)] pub mod #id; }
        });
        let doc = docs::inner_doc(&format!("{provider} APIs."));
        files.push(rust_file(
            &format!("src/{provider}/mod.rs"),
            "the product specs",
            quote! { #doc #(#items)* },
        ));
        for prod in prods {
            let versions: Vec<&&Product> = of_provider
                .iter()
                .filter(|p| p.product_mod == prod)
                .collect();
            let items = versions.iter().map(|p| {
                let id = ident(&p.version_mod);
                let doc = docs::doc_attrs(&format!("API version {}.", p.version));
                quote! { #doc pub mod #id; }
            });
            let doc = docs::inner_doc(&docs::escape(&versions[0].title));
            files.push(rust_file(
                &format!("src/{provider}/{prod}/mod.rs"),
                "the product specs",
                quote! { #doc #(#items)* },
            ));
            for p in versions {
                jobs.push((p, None));
                jobs.extend((0..p.actions.len()).map(|i| (*p, Some(i))));
            }
        }
    }
    // Action files are independent: format them on every core, keeping the order.
    let emitted = crate::par::par_map(&jobs, |(p, action)| match action {
        None => product_files(p),
        Some(i) => {
            let a = &p.actions[*i];
            let file = rust_file(
                &format!("{}/{}.rs", p.dir, a.rust_mod),
                &a.source,
                action::action_file(p, a),
            );
            let structs = std::iter::once(&a.response)
                .chain(a.types.iter().filter_map(ir::TypeDef::as_struct));
            vec![with_type_impls(
                file,
                structs,
                &a.types,
                Site::Action(&a.rust_mod),
            )]
        }
    });
    files.extend(emitted.into_iter().flatten());
    files
}

/// The product-level files of a version: `mod.rs`, `client.rs`, `stub.rs`, `types.rs`.
fn product_files(p: &Product) -> Vec<GeneratedFile> {
    let dir = &p.dir;
    let mut files = Vec::new();
    let source = p.sources.first().map_or("", String::as_str);
    let mut items = Vec::new();
    let mut doc = format!(
        "{} — API version {}.\n\n{}",
        docs::escape(&p.title),
        p.version,
        docs::escape(p.description.trim_end())
    );
    doc.push_str(&format!("\n\nEndpoint: `{}`.", p.endpoint));
    if !p.common_parameters.is_empty() {
        doc.push_str("\n\n# Common parameters\n\nSet by the client on every request:\n");
        for (name, d) in &p.common_parameters {
            doc.push_str(&format!("\n- `{name}`: {}", docs::escape(d.trim())));
        }
    }
    items.push(docs::inner_doc(&doc));
    let version = &p.version;
    let endpoint = &p.endpoint;
    let service = &p.service;
    let protocol = ident(p.protocol.runtime_name());
    let region = match &p.default_region {
        Some(r) => quote!(Some(#r)),
        None => quote!(None),
    };
    items.push(quote! {
        /// The API version this module was generated for.
        pub const VERSION: &str = #version;
        /// The default endpoint host.
        pub const ENDPOINT: &str = #endpoint;
        /// The service name (Tencent Cloud's credential scope; Alibaba Cloud's product code).
        pub const SERVICE: &str = #service;
        /// The default region, where the product has one.
        pub const DEFAULT_REGION: Option<&str> = #region;
        /// How requests and responses are laid out.
        pub const PROTOCOL: crate::runtime::Protocol = crate::runtime::Protocol::#protocol;
    });
    let product_name = format!("{}/{}/{}", p.provider.spec_name(), p.product, p.version);
    let samples = p.actions.iter().map(|a| {
        let m = ident(&a.rust_mod);
        let resp = ident(&a.names.response);
        let name = &a.name;
        let (json, synthesized) = if a.examples.iter().any(|e| e.response_json.is_some()) {
            (quote!(#m::EXAMPLE_RESPONSE_JSON), false)
        } else {
            (quote!(#m::SYNTHESIZED_RESPONSE_JSON), true)
        };
        quote! {
            crate::runtime::de::ResponseSample {
                product: #product_name,
                action: #name,
                protocol: PROTOCOL,
                json: #json,
                synthesized: #synthesized,
                check: crate::runtime::de::round_trip::<#m::#resp>,
            },
        }
    });
    items.push(quote! {
        /// Every action's documented response example (or, where the document shows none,
        /// the one synthesized from the model), with a decode and round-trip check: for tests
        /// (feature `response-samples`, so users' builds do not compile every decoder).
        #[doc(hidden)]
        #[cfg(feature = "response-samples")]
        pub const RESPONSE_SAMPLES: &[crate::runtime::de::ResponseSample] = &[#(#samples)*];
    });
    if !p.errors.is_empty() {
        items.push(quote! {
            /// The product's common error codes.
            pub mod errors;
            pub use errors::CommonError;
        });
        files.push(rust_file(
            &format!("{dir}/errors.rs"),
            source,
            errors::common_error_enum(p),
        ));
    }
    if !p.types.is_empty() {
        items.push(quote! {
            /// Types shared by several actions.
            pub mod types;
        });
        let body = types::type_defs(&p.types, Site::Types);
        let doc = docs::inner_doc("Types shared by several actions of this product version.");
        let file = rust_file(&format!("{dir}/types.rs"), source, quote! { #doc #body });
        let structs = p.types.iter().filter_map(ir::TypeDef::as_struct);
        files.push(with_type_impls(file, structs, &p.types, Site::Types));
    }
    for a in &p.actions {
        let m = ident(&a.rust_mod);
        let doc = docs::doc_attrs(&format!("{}: {}", a.name, docs::first_line(&a.description)));
        let n = &a.names;
        let names = [&n.request, &n.builder, &n.response, &n.error].map(|s| ident(s));
        items.push(quote! {
            #doc
            pub mod #m;
            pub use #m::{#(#names),*};
        });
    }
    items.push(quote! {
        /// The client: one async method per action.
        pub mod client;
        pub use client::Client;
    });
    items.push(quote! {
        /// A local stub server for tests (feature `stub-server`).
        #[cfg(feature = "stub-server")]
        pub mod stub;
    });
    files.push(rust_file(
        &format!("{dir}/client.rs"),
        source,
        client::client_file(p),
    ));
    files.push(rust_file(
        &format!("{dir}/stub.rs"),
        source,
        stub::stub_file(p),
    ));
    files.push(rust_file(
        &format!("{dir}/mod.rs"),
        source,
        quote! { #(#items)* },
    ));
    files
}

fn lib_rs(products: &[Product]) -> GeneratedFile {
    let mut providers: Vec<(&str, Vec<&str>)> = Vec::new();
    for p in products {
        match providers.iter_mut().find(|(m, _)| *m == p.provider_mod) {
            Some((_, f)) => {
                if !f.contains(&p.feature.as_str()) {
                    f.push(&p.feature);
                }
            }
            None => providers.push((&p.provider_mod, vec![&p.feature])),
        }
    }
    let mods = providers.iter().map(|(m, features)| {
        let id = ident(m);
        let doc = docs::doc_attrs(&format!("{m} products."));
        let cfg = if features.len() == 1 {
            let f = features[0];
            quote!(feature = #f)
        } else {
            quote!(any(#(feature = #features),*))
        };
        // Emitted files are formatted by prettyplease; rustfmt would only re-wrap them.
        quote! { #doc #[cfg(#cfg)] #[rustfmt::skip] pub mod #id; }
    });
    let mut doc = String::from(
        "Typed, validated clients for cloud APIs, generated from YAML specs.\n\n\
         Each product version is a module behind its own cargo feature:\n",
    );
    for p in products {
        doc.push_str(&format!(
            "\n- `{}::{}::{}` (feature `{}`): {}",
            p.provider_mod,
            p.product_mod,
            p.version_mod,
            p.feature,
            docs::escape(&p.title)
        ));
    }
    doc.push_str(
        "\n\nThe hand-written runtime (the `cloudapi-runtime` crate) is re-exported as [`runtime`].",
    );
    let doc = docs::inner_doc(&doc);
    let mut file = rust_file(
        "src/lib.rs",
        "the specs",
        quote! {
            #doc
            #![forbid(unsafe_code)]
            #![warn(missing_docs)]
            pub use cloudapi_runtime as runtime;
            #(#mods)*
        },
    );
    file.contents.push_str(&stub_services(products));
    file.contents.push_str(&response_samples(products));
    file
}

/// `stub_services()`, every product version behind its feature, for the standalone stub
/// server; written out as rustfmt would (prettyplease joins a short attribute and its
/// statement on one line).
fn stub_services(products: &[Product]) -> String {
    let mut out = String::from(
        "\n/// Every product version compiled in (one per enabled product feature), each action\n\
         /// answering with its document's example: serve them on one port with\n\
         /// [`StubBuilder::services`](runtime::stub::StubBuilder::services), as the\n\
         /// `cloudapi-stub` binary does.\n\
         #[cfg(feature = \"stub-server\")]\n\
         // Pushed one by one: each line has its own `cfg`.\n\
         #[allow(unused_mut, clippy::vec_init_then_push)]\n\
         pub fn stub_services() -> Vec<runtime::stub::ServiceStub> {\n    \
         let mut services = Vec::new();\n",
    );
    for p in products {
        out.push_str(&format!(
            "    #[cfg(feature = \"{}\")]\n    services.push({}::{}::{}::stub::service());\n",
            p.feature, p.provider_mod, p.product_mod, p.version_mod
        ));
    }
    out.push_str("    services\n}\n");
    out
}

/// `response_samples()`, every compiled-in product version's `RESPONSE_SAMPLES` with its
/// name, for tests over every action; written out as rustfmt would.
fn response_samples(products: &[Product]) -> String {
    let mut out = String::from(
        "\n/// Every product version compiled in (one per enabled product feature) with each\n\
         /// action's response example or synthesized response and its decode check: for tests\n\
         /// (feature `response-samples`).\n\
         #[doc(hidden)]\n\
         #[cfg(feature = \"response-samples\")]\n\
         // Pushed one by one: each line has its own `cfg`.\n\
         #[allow(unused_mut, clippy::vec_init_then_push)]\n\
         pub fn response_samples() -> Vec<&'static [runtime::de::ResponseSample]> {\n    \
         let mut samples = Vec::new();\n",
    );
    for p in products {
        out.push_str(&format!(
            "    #[cfg(feature = \"{}\")]\n    samples.push({}::{}::{}::RESPONSE_SAMPLES);\n",
            p.feature, p.provider_mod, p.product_mod, p.version_mod
        ));
    }
    out.push_str("    samples\n}\n");
    out
}

fn cargo_toml(products: &[Product]) -> GeneratedFile {
    let mut features: Vec<&str> = products.iter().map(|p| p.feature.as_str()).collect();
    features.dedup();
    let mut defaults: Vec<&str> = products
        .iter()
        .filter(|p| p.default_feature)
        .map(|p| p.feature.as_str())
        .collect();
    defaults.dedup();
    let default = defaults
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut list = features
        .iter()
        .map(|f| format!("{f} = []\n"))
        .collect::<String>();
    list.push_str(&format!(
        "# Every product (the `cloudapi-stub` binary serves them all).\nall-products = [{}]\n",
        features
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let contents = format!(
        "# {GENERATED_MARKER} by `cargo xtask codegen` from specs/. Do not edit: change the specs or\n\
         # codegen/src/emit/mod.rs (the template) and regenerate.\n{}",
        CARGO_TEMPLATE.replace("{default}", &default).replace("{features}", &list)
    );
    GeneratedFile {
        path: "Cargo.toml".into(),
        contents,
    }
}

const CARGO_TEMPLATE: &str = r#"[package]
name = "cloudapi"
version = "0.1.0"
description = "Typed, validated Rust clients for Alibaba Cloud and Tencent Cloud APIs, generated from YAML specs."
edition.workspace = true
license.workspace = true
publish.workspace = true

[features]
default = [{default}]
{features}
# Per-product stub servers for tests (see `cloudapi::runtime::stub`); requests also
# implement `Deserialize` (the stub reads them).
stub-server = ["cloudapi-runtime/stub-server"]
# For the test suite: `response_samples()`, every action's example or synthesized response
# with a decode and round-trip check (this compiles every action's decoder).
response-samples = []

[dependencies]
cloudapi-runtime = { path = "../runtime", version = "0.1.0" }
# The derives in generated models expand to paths into these two crates.
serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#;

/// Appends the structures' `wire_struct!` and the enums' `string_enum_impls!`
/// invocations (pre-formatted text, as prettyplease leaves macro arguments unformatted)
/// to a formatted file.
fn with_type_impls<'a>(
    mut file: GeneratedFile,
    structs: impl IntoIterator<Item = &'a ir::StructDef>,
    types: &[ir::TypeDef],
    site: Site,
) -> GeneratedFile {
    file.contents.push_str(&types::wire_impls(structs, site));
    file.contents.push_str(&types::enum_impls(
        types.iter().filter_map(ir::TypeDef::as_enum),
    ));
    file
}

/// Parses and pretty-prints a file's tokens behind the `@generated` header.
fn rust_file(path: &str, source: &str, tokens: TokenStream) -> GeneratedFile {
    let header =
        format!("// {GENERATED_MARKER} by `cargo xtask codegen` from {source}. Do not edit.\n\n");
    let body = match syn::parse2::<syn::File>(tokens) {
        Ok(file) => space_items(&prettyplease::unparse(&file)),
        // An emitter bug: fail the build of the generated crate, naming it.
        Err(e) => format!(
            "compile_error!({:?});\n",
            format!("codegen emitted invalid Rust in {path}: {e}")
        ),
    };
    GeneratedFile {
        path: path.to_owned(),
        contents: header + &body,
    }
}

/// Puts a blank line between items, as hand-written Rust has (prettyplease leaves none):
/// after the inner docs, and wherever an item (its docs, attributes or keyword) follows
/// the end of another item at the same indentation. Statements inside bodies, fields,
/// variants and match arms are left alone, and so are a `mod` and the `use` after it.
fn space_items(text: &str) -> String {
    const ITEM_STARTS: [&str; 12] = [
        "///", "#[", "pub ", "pub(", "fn ", "impl ", "impl<", "const ", "static ", "struct ",
        "enum ", "mod ",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev: Option<&str> = None;
    for line in text.lines() {
        if let Some(p) = prev {
            let body = line.trim_start();
            let indent = line.len() - body.len();
            let p_body = p.trim_start();
            let same_indent = p.len() - p_body.len() == indent;
            let ends_item = (p_body == "}" || p_body.ends_with(';') || p_body.ends_with('}'))
                && !p_body.starts_with("//");
            let starts_item = ITEM_STARTS.iter().any(|s| body.starts_with(s))
                || (indent == 0 && body.starts_with("crate::"));
            let after_inner_docs = p_body.starts_with("//!") && !body.starts_with("//!");
            let use_after_mod = body.starts_with("pub use ") && p_body.starts_with("pub mod ");
            if after_inner_docs || (same_indent && ends_item && starts_item && !use_after_mod) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

/// An identifier from a checked name.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Where emitted code sits in a version module, for rendering type references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site<'a> {
    /// An action's module (its `rust_mod`).
    Action(&'a str),
    /// The version's `types` module.
    Types,
    /// Another child of the version module: `client`, `stub`.
    Version,
}

/// A type as Rust source text, as seen from `from`: the one renderer of type references.
pub(crate) fn type_text(ty: &Ty, from: Site) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Integer => "i64".into(),
        Ty::U64 => "u64".into(),
        Ty::Boolean => "bool".into(),
        Ty::Float => "f64".into(),
        Ty::DateTime => "crate::runtime::DateTime".into(),
        Ty::Binary => "crate::runtime::Blob".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::List(inner) => format!("Vec<{}>", type_text(inner, from)),
        Ty::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(inner, from)
        ),
        Ty::Struct(r) | Ty::Enum(r) => match (&r.home, from) {
            (ir::TypeHome::Shared, Site::Types) => r.rust_name.clone(),
            (ir::TypeHome::Shared, _) => format!("super::types::{}", r.rust_name),
            (ir::TypeHome::Action(m), Site::Action(here)) if m == here => r.rust_name.clone(),
            (ir::TypeHome::Action(m), _) => format!("super::{m}::{}", r.rust_name),
        },
    }
}

/// [`type_text`] as tokens.
pub(crate) fn type_tokens(ty: &Ty, from: Site) -> TokenStream {
    let text = type_text(ty, from);
    // Checked names always lex; an emitter bug fails the generated crate's build, named.
    text.parse().unwrap_or_else(|_| {
        let message = format!("codegen rendered an invalid type `{text}`");
        quote!(compile_error!(#message))
    })
}
